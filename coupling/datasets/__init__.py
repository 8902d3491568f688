"""Real data shipped with the package: a provincial panel and China's national IO tables.

The panel (31 Chinese provinces plus the national total, 2000/2010-2023) covers high-tech
manufacturing, technology-market flows, R&D inputs and public budget expenditure. It is
compiled from the R package *techme* (Hu Huaping, MIT licence) by
the build script ``coupling/datasets/tools/build_techme.py`` (kept in the
repository, not installed); see ``SOURCE.md`` in this package for provenance,
cleaning steps and known gaps. It is not employment by industry.

The national input-output tables of China 2000-2014 (56 industries, domestic and imported
use in separate rows) are the WIOD 2016 release (Timmer et al. 2015), licensed under
Creative Commons Attribution 4.0 (``LICENSE-wiod2016.md``); the packaged file is the
release's table, unmodified (see ``SOURCE.md``); :func:`load_china_io_tables` reads it.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import Any

import pandas as pd

from spatial.geography.regions import NBS_REGION_OF, NBS_REGIONS, NBS_REGIONS_ZH

__all__ = [
    "NBS_REGIONS",
    "NBS_REGIONS_ZH",
    "NBS_REGION_OF",
    "describe_provincial_panel",
    "load_china_io_tables",
    "load_provincial_panel",
]

_PANEL = "china_techme_panel.csv"
_WIOD_CHINA = "wiod2016_china_niot.csv"
_COLUMNS = "china_techme_columns.csv"
_TEXT_COLUMNS = ("code", "province_zh", "province_en")
_NATIONAL_CODE = "00"
_DICTIONARY_INTS = ("first_year", "last_year", "n_missing_31")


def load_provincial_panel(*, national: bool = False) -> pd.DataFrame:
    """Load the wide provincial panel (one row per province and year).

    Parameters
    ----------
    national : bool, default False
        If True, also return the national-total rows (``code == "00"``, 全国).

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (2-digit GB/T 2260 code, str), ``province_zh`` (short Chinese name),
        ``province_en``, ``year`` (int64), then 26 float64 series columns described by
        :func:`describe_provincial_panel`. Rows are sorted by ``code`` then ``year``; every
        code has the same years (2000, 2005, 2010-2023), absent values are NaN. 496 rows
        (31 provinces x 16 years) by default, 512 with ``national=True``.

    Notes
    -----
    Each call reads the packaged CSV afresh, so modifying the returned frame never affects
    later calls. Values keep their source units (see ``unit_en`` in the data dictionary), at
    current prices. Series cover different years: high-tech operations 2010-2023 without
    2017, high-tech R&D 2016-2023, technology market 2000, 2005, 2010 and 2012-2023, R&D
    2010/2011-2023, budget 2010-2023 (national row 2019-2023 only). National rows are not
    always the sum of the provinces (R&D intensity, technology absorbed).

    Examples
    --------
    >>> from coupling.datasets import load_provincial_panel
    >>> panel = load_provincial_panel()
    >>> panel["code"].nunique()
    31
    >>> float(panel.query("code == '11' and year == 2023")["rd_intensity"].iloc[0])
    6.73
    """
    source = files(__name__).joinpath(_PANEL)
    with source.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype={name: str for name in _TEXT_COLUMNS})
    if not national:
        frame = frame[frame["code"] != _NATIONAL_CODE]
    data_columns = [c for c in frame.columns if c not in (*_TEXT_COLUMNS, "year")]
    frame = frame.astype({"year": "int64", **dict.fromkeys(data_columns, "float64")})
    return frame.sort_values(["code", "year"], ignore_index=True)


def describe_provincial_panel() -> pd.DataFrame:
    """Return the data dictionary of :func:`load_provincial_panel`.

    Returns
    -------
    pandas.DataFrame
        One row per series column, with ``column``, ``description`` (English), ``name_zh``
        (the source's Chinese item name), ``unit_zh``, ``unit_en``, ``source_dataset`` and
        ``source_code`` (techme data set and variable code), ``first_year`` and ``last_year``
        (int), ``years_missing_within_span`` (``;``-separated calendar years without data,
        empty if none), ``n_missing_31`` (missing cells among the 31 provinces in the years
        covered) and ``notes``.

    Notes
    -----
    The identifier columns ``code``, ``province_zh``, ``province_en`` and ``year`` are not
    listed. Empty text fields are returned as empty strings, not NaN.

    Examples
    --------
    >>> from coupling.datasets import describe_provincial_panel
    >>> info = describe_provincial_panel().set_index("column")
    >>> info.loc["rd_intensity", "unit_en"]
    'percent of GDP'
    """
    source = files(__name__).joinpath(_COLUMNS)
    with source.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return frame.astype(dict.fromkeys(_DICTIONARY_INTS, "int64"))


def load_china_io_tables() -> dict[int, Any]:
    """China's national input-output tables 2000-2014 from the WIOD 2016 release.

    Returns
    -------
    dict of int to IOTable
        One non-competitive :class:`~coupling.inputoutput.IOTable` per year (USD million,
        current prices; final demand ``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``,
        ``INVEN``, ``EXP``). The nine industries the release leaves empty for China (C33,
        G45, J58, J59_J60, K66, M71, M73, T, U) are dropped (``zero_output="drop"``), so
        each table has 47 of the 56 WIOD industries; their classification is
        ``"wiod2016_56"``, so the named groups (``"manufacturing"``,
        ``"producer_services"``...) resolve.

    Notes
    -----
    Source: WIOD 2016 release, national input-output table of China (CHN_NIOT_nov16), CC BY
    4.0; cite Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J.
    (2015), "An Illustrated User Guide to the World Input-Output Database: the Case of Global
    Automotive Production", Review of International Economics 23: 575-605. The published
    values are whole millions, so the identities hold to the rounding bound the reader
    sets (0.5 per summed cell).

    Examples
    --------
    >>> from coupling.datasets import load_china_io_tables
    >>> tables = load_china_io_tables()
    >>> sorted(tables)[:3], len(tables[2014].sectors)
    ([2000, 2001, 2002], 47)
    """
    from ..inputoutput import read_wiod

    with as_file(files(__name__).joinpath(_WIOD_CHINA)) as path:
        tables = read_wiod(path, zero_output="drop")
    assert isinstance(tables, dict)  # a national table file: one table per year
    return tables
