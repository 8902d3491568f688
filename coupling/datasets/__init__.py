"""Real provincial panel data shipped with the package.

The panel (31 Chinese provinces plus the national total, 2000/2010-2023) covers high-tech
manufacturing, technology-market flows, R&D inputs and public budget expenditure. It is
compiled from the R package *techme* (Hu Huaping, MIT licence) by
the build script ``coupling/datasets/tools/build_techme.py`` (kept in the
repository, not installed); see ``SOURCE.md`` in this package for provenance,
cleaning steps and known gaps. It is not employment by industry.
"""

from __future__ import annotations

from importlib.resources import files

import pandas as pd

from spatial.geography.regions import NBS_REGION_OF, NBS_REGIONS, NBS_REGIONS_ZH

__all__ = [
    "NBS_REGIONS",
    "NBS_REGIONS_ZH",
    "NBS_REGION_OF",
    "describe_provincial_panel",
    "load_provincial_panel",
]

_PANEL = "china_techme_panel.csv"
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
