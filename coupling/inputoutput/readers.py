"""Readers of published input-output tables: NBS, WIOD and OECD ICIO layouts.

Each reader reads a local file (nothing is downloaded), recognises its layout by the codes
of its rows and columns, and builds an :class:`~coupling.inputoutput.tables.IOTable` or
:class:`~coupling.inputoutput.tables.MRIOTable`, whose constructor checks the accounting
identities. A file in another layout ends with a :class:`~coupling.exceptions.TableLayoutError`
that says which codes were looked for and which were found.

- :func:`read_io_table`: the NBS national tables (《中国投入产出表》) in the layout of their
  machine-readable copies: columns ``Code``, ``Description``, ``DescriptionInChinese``,
  [``Origin``], the sector codes (``"01"``...``"42"`` or ``"001"``...), ``TIU`` (中间使用合计),
  final-use codes (``FU101`` 农村居民消费, ``FU102`` 城镇居民消费, ``THC``, ``FU103`` 政府消费,
  ``TC``, ``FU201`` 固定资本形成, ``FU202`` 存货变动, ``GCF``, ``EX`` 出口, ``TFU``), ``IM``
  进口, ``ERR`` 其他, ``GO`` 总产出; rows the sector codes, ``TII`` (中间投入合计),
  ``VA001``-``VA004`` (劳动者报酬, 生产税净额, 固定资产折旧, 营业盈余), ``TVA``, ``TI``. The
  non-competitive tables (the 42-sector tables of 2017, 2018 and 2020) have a column
  ``Origin`` with ``Domestic`` (国内) and ``Imports`` (进口) rows. CSV in UTF-8 or GBK, or
  Excel; Chinese column headers (代码, 部门, 来源...) are accepted too.
- :func:`read_wiod`: the WIOD 2016 release national tables (``XXX_NIOT_nov16``, ';'
  separated, thousands separated by spaces, all years in one file) and the WIOD 2013 world
  tables as ``.npz`` arrays (keys ``Z``, ``Y``, ``output``, ``countries``, ``industries``,
  ``year``).
- :func:`read_icio`: OECD ICIO CSV files: rows ``<country>_<sector>`` (then value-added and
  output rows such as ``TLS``, ``VA``/``VALU``, ``OUT``/``OUTPUT``), columns the same codes
  and final demand ``<country>_<category>``; China's and Mexico's split rows and columns
  (``CN1``/``CN2``, ``MX1``/``MX2``: processing and other production) are folded into
  ``CHN`` and ``MEX``, as the OECD and exvatools do.

Rounded tables (WIOD publishes whole millions) cannot meet an identity better than half a
unit per cell summed; their readers set ``atol`` to that bound (0.5 x the number of cells in
the longest identity) and record it on the table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from spatial._core.messages import format_items

from ..exceptions import TableLayoutError
from ._checks import ZeroOutput, check_identity
from .tables import IOTable, MRIOTable

__all__ = ["read_icio", "read_io_table", "read_wiod"]

# Header names accepted for the label columns of an NBS-layout file.
_CODE = ("Code", "code", "代码", "部门代码", "编码")
_NAME_ZH = ("DescriptionInChinese", "部门名称", "部门", "名称", "中文名称")
_NAME_EN = ("Description", "description", "英文名称")
_ORIGIN = ("Origin", "origin", "来源")
_DOMESTIC = ("domestic", "国内", "国产")
_IMPORTED = ("imports", "imported", "import", "进口")
# Final-use subtotals and the parts that make them (a subtotal is dropped when its parts are
# there; kept as the category when they are not).
_SUBTOTALS = {
    "THC": ("FU101", "FU102"),
    "TC": ("FU101", "FU102", "FU103"),
    "GCF": ("FU201", "FU202"),
}
_NOT_FINAL = ("TIU", "TFU", "IM", "ERR", "GO")
_VALUE_ADDED = re.compile(r"^VA\d{3}$")


def _first(columns: Sequence[Hashable], names: Sequence[str]) -> Hashable | None:
    stripped = {str(c).strip(): c for c in columns}
    return next((stripped[n] for n in names if n in stripped), None)


def _year_of(path: Path, year: int | None) -> int | None:
    if year is not None:
        return year
    found = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", path.stem)
    return int(found[0]) if len(found) == 1 else None


def _pad(codes: Sequence[Any]) -> list[str]:
    """Sector codes as text; numeric codes padded to the width of the longest (Excel turns
    ``"01"`` into 1)."""
    text = [str(c).strip() for c in codes]
    text = [t[:-2] if re.fullmatch(r"\d+\.0", t) else t for t in text]
    digits = [t for t in text if t.isdigit()]
    width = max((len(t) for t in digits), default=0)
    return [t.zfill(width) if t.isdigit() else t for t in text]


def read_io_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    year: int | None = None,
    unit: str | None = "万元",
    zero_output: ZeroOutput = "raise",
    rtol: float = 1e-6,
    atol: float = 0.0,
) -> IOTable:
    """Read an NBS national input-output table (competitive or non-competitive).

    Parameters
    ----------
    path : path
        CSV (UTF-8 or GBK/GB18030, detected), XLSX or XLS in the NBS layout described in
        the module docstring.
    sheet : str or int, optional
        The worksheet of a workbook (the first by default).
    encoding : str, optional
        Force the encoding of a CSV file.
    year : int, optional
        The year of the table; taken from a four-digit year in the file name otherwise.
    unit : str, optional
        The unit of the values (NBS: ``"万元"``), kept as a label.
    zero_output, rtol, atol
        Passed to :class:`~coupling.inputoutput.tables.IOTable`.

    Returns
    -------
    IOTable
        Final demand by its most detailed categories (subtotals such as ``TC`` are kept only
        where their parts are absent); ``IM`` as imports and ``ERR`` as the statistical
        discrepancy of a competitive table; ``VA001``... as value-added components.

    Raises
    ------
    TableLayoutError
        No code column, no sector columns matching the sector rows, no ``GO`` column or no
        value-added rows.
    FileReadError
        The file cannot be read (missing, unknown encoding...).
    """
    from coupling.app.files import read_table  # the toolkit's one reader of users' files

    file = Path(path)
    frame, _ = read_table(file, encoding=encoding, sheet=sheet)
    code_col = _first(frame.columns, _CODE)
    if code_col is None:
        raise TableLayoutError(
            f"{file.name}: no code column; expected one of {', '.join(_CODE)} (the NBS layout: "
            f"Code, Description, DescriptionInChinese, [Origin], sector codes, TIU, final "
            f"use, GO). Found columns {format_items([str(c) for c in frame.columns], limit=8)}."
        )
    codes = _pad(frame[code_col].tolist())
    frame = frame.assign(**{str(code_col): codes}).set_index(code_col)
    frame.columns = _pad(frame.columns)
    origin_col = _first(frame.columns, _ORIGIN)
    sector_rows = [c for c in dict.fromkeys(codes) if c.isdigit()]
    sector_cols = [c for c in frame.columns if c in sector_rows]
    if not sector_rows or len(sector_cols) != len(sector_rows):
        missing = [s for s in sector_rows if s not in sector_cols]
        raise TableLayoutError(
            f"{file.name}: the sector codes of the rows ({format_items(sector_rows) or 'none'}) "
            f"must also head the columns of intermediate use; columns missing for "
            f"{format_items(missing) or 'all'}."
        )
    absent = [c for c in ("GO",) if c not in frame.columns]
    va_rows = [c for c in codes if _VALUE_ADDED.match(c)] or [c for c in codes if c == "TVA"]
    if absent or not va_rows:
        raise TableLayoutError(
            f"{file.name}: expected a GO (总产出) column and value-added rows VA001... (or "
            f"TVA); found columns {format_items([str(c) for c in frame.columns[-8:]])} and "
            f"rows {format_items(codes[-8:])}."
        )
    final_cols = _final_columns(frame.columns, sector_cols)
    names_zh_col, names_en_col = _first(frame.columns, _NAME_ZH), _first(frame.columns, _NAME_EN)

    def part(rows: pd.DataFrame) -> pd.DataFrame:
        return rows.loc[sector_rows]

    if origin_col is not None:
        kinds = frame[origin_col].astype(str).str.strip().str.lower()
        domestic = frame[kinds.isin(_DOMESTIC) & frame.index.isin(sector_rows)]
        imported = frame[kinds.isin(_IMPORTED) & frame.index.isin(sector_rows)]
        if len(domestic) != len(sector_rows) or len(imported) != len(sector_rows):
            raise TableLayoutError(
                f"{file.name}: a non-competitive table needs one Domestic and one Imports row "
                f"per sector ({len(sector_rows)}); found {len(domestic)} and {len(imported)} "
                f"(values of {origin_col}: {format_items(sorted(set(kinds)))})."
            )
        names_source = domestic
        Z = part(domestic)[sector_cols]
        F = part(domestic)[final_cols]
        extra: dict[str, Any] = {
            "imported_intermediate": part(imported)[sector_cols],
            "imported_final": part(imported)[final_cols],
        }
        output = part(domestic)["GO"]
    else:
        rows = frame.loc[sector_rows]
        names_source = rows
        Z, F, output = rows[sector_cols], rows[final_cols], rows["GO"]
        extra = {
            "imports": rows["IM"] if "IM" in frame.columns else None,
            "discrepancy": rows["ERR"] if "ERR" in frame.columns else None,
        }
    VA = frame.loc[va_rows, sector_cols]
    VA = VA[~VA.index.duplicated()]
    names_zh = names_source[names_zh_col] if names_zh_col is not None else None
    names_en = names_source[names_en_col] if names_en_col is not None else None
    return IOTable(
        Z,
        F,
        VA,
        output=output,
        exports="EX" if "EX" in final_cols else None,
        names_zh=None if names_zh is None else names_zh.astype(str).str.strip(),
        names_en=None if names_en is None else names_en.astype(str).str.strip(),
        year=_year_of(file, year),
        unit=unit,
        zero_output=zero_output,
        rtol=rtol,
        atol=atol,
        **extra,
    )


def _final_columns(columns: Sequence[str], sector_cols: Sequence[str]) -> list[str]:
    """The most detailed final-use columns of an NBS-layout table."""
    after = [c for c in columns if c not in sector_cols and c.isupper() and c not in _NOT_FINAL]
    final = [c for c in after if c.startswith("FU") or c in ("EX", *_SUBTOTALS)]
    present = set(final)
    return [
        c
        for c in final
        if not (c in _SUBTOTALS and set(_SUBTOTALS[c]) <= present)
        and not (c == "THC" and "TC" in present and "FU103" not in present)
    ]


@overload
def read_wiod(
    path: str | os.PathLike[str],
    *,
    year: int,
    zero_output: ZeroOutput = ...,
    output: Literal["rowsums", "published"] = ...,
) -> IOTable | MRIOTable: ...
@overload
def read_wiod(
    path: str | os.PathLike[str],
    *,
    year: None = ...,
    zero_output: ZeroOutput = ...,
    output: Literal["rowsums", "published"] = ...,
) -> dict[int, IOTable] | MRIOTable: ...
def read_wiod(
    path: str | os.PathLike[str],
    *,
    year: int | None = None,
    zero_output: ZeroOutput = "raise",
    output: Literal["rowsums", "published"] = "rowsums",
) -> IOTable | MRIOTable | dict[int, IOTable]:
    """Read a WIOD national table (2016 release CSV) or world table (2013 release ``.npz``).

    Parameters
    ----------
    path : path
        ``XXX_NIOT_nov16.csv`` (';' separated, as exported from the WIOD workbook, all years)
        or ``wiot_YYYY.npz``.
    year : int, optional
        National tables: the year to read (all years, as ``{year: IOTable}``, by default).
    zero_output : {"raise", "drop", "zero"}
        Passed to the tables. WIOD has empty industries (nine for China in 2014);
        ``"drop"`` removes them from a national table, ``"zero"`` keeps them. World tables
        accept ``"raise"`` and ``"zero"`` only.
    output : {"rowsums", "published"}
        World tables: gross output as the row sums ``Z u + Y u`` (default: the
        decompositions add up exactly only then, and decompr's reference numbers use them)
        or as published (which differs from the row sums by rounding, mean relative 4e-4).

    Returns
    -------
    IOTable, dict of IOTable, or MRIOTable
        National tables are non-competitive (Domestic and Imports rows): final demand
        ``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``, ``INVEN``, ``EXP`` (exports); value
        added the TOT row ``VA``; the TOT rows ``TXSP`` (taxes less subsidies on products),
        ``EXP_adj``, ``PURR``, ``PURNR`` and ``IntTTM`` are other inputs, which close the
        column identity. With ``zero_output="drop"`` the imports of products that China does
        not make stay in the inputs of their buyers (see :class:`IOTable`).
    """
    file = Path(path)
    if file.suffix.lower() == ".npz":
        return _read_wiod_world(file, zero_output=zero_output, output=output)
    raw = pd.read_csv(
        file,
        sep=";",
        encoding="utf-8-sig",
        skiprows=[1],
        thousands=" ",
        dtype={"Code": str, "Description": str, "Origin": str},
    )
    needed = ("Year", "Code", "Origin", "GO", "EXP")
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise TableLayoutError(
            f"{file.name}: not a WIOD national table (columns Year;Code;Description;Origin;"
            f"industries;CONS_h...;EXP;GO): missing {', '.join(missing)}."
        )
    finals = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN", "EXP"]
    start = list(raw.columns).index("Origin") + 1
    sectors = [c for c in raw.columns[start:] if c not in (*finals, "GO")]
    years = sorted({int(y) for y in raw["Year"].dropna()})
    if year is not None and year not in years:
        raise TableLayoutError(f"{file.name} has the years {years[0]}-{years[-1]}, not {year}.")
    names_en = (
        raw[raw["Origin"] == "Domestic"]
        .drop_duplicates("Code")
        .set_index("Code")["Description"]
        .str.strip()
    )
    columns = [*sectors, *finals, "GO"]
    text = [c for c in columns if not pd.api.types.is_numeric_dtype(raw[c])]
    if text:
        raise TableLayoutError(
            f"{file.name}: columns {format_items(text)} hold text where WIOD has numbers "
            "(thousands separated by spaces)."
        )
    numbers = raw[columns].to_numpy(dtype=float)
    codes, origin, year_of = raw["Code"].to_numpy(), raw["Origin"].to_numpy(), raw["Year"]
    tables = {}
    for y in [year] if year is not None else years:

        def rows(kind: str, y: int = y) -> pd.DataFrame:
            mask = ((year_of == y) & (origin == kind)).to_numpy()
            return pd.DataFrame(numbers[mask], index=pd.Index(codes[mask]), columns=columns)

        dom, imp, tot = rows("Domestic"), rows("Imports"), rows("TOT")
        others = [r for r in tot.index if r not in ("II_fob", "GO", "VA")]
        tables[y] = IOTable(
            dom[sectors],
            dom[finals],
            tot.loc[["VA"], sectors],
            output=dom["GO"],
            other_inputs=tot.loc[others, sectors],
            imported_intermediate=imp[sectors],
            imported_final=imp[finals],
            exports="EXP",
            names_en=names_en,
            year=y,
            unit="USD million",
            zero_output=zero_output,
            rtol=0.0,
            atol=0.5 * (2 * len(sectors) + len(finals) + 1),
        )
    return tables[year] if year is not None else tables


def _read_wiod_world(file: Path, *, zero_output: ZeroOutput, output: str) -> MRIOTable:
    with np.load(file, allow_pickle=False) as data:
        keys = set(data.files)
        missing = [k for k in ("Z", "Y", "output", "countries", "industries") if k not in keys]
        if missing:
            raise TableLayoutError(
                f"{file.name}: a WIOD world table in .npz needs the arrays Z, Y, output, "
                f"countries and industries (and year); missing {', '.join(missing)}."
            )
        Z, Y = data["Z"].astype(float), data["Y"].astype(float)
        published = data["output"].astype(float)
        countries = [str(c) for c in data["countries"]]
        sectors = [str(s) for s in data["industries"]]
        year = int(data["year"]) if "year" in keys else _year_of(file, None)
    if zero_output == "drop":
        raise TableLayoutError(
            "zero_output='drop' is not available for a world table (every country keeps its "
            "sectors); use 'zero'."
        )
    categories = ["households", "npish", "government", "gfcf", "inventories"]
    K = Y.shape[1] // len(countries)
    cells = Z.shape[1] + Y.shape[1] + 1
    return MRIOTable.from_arrays(
        Z,
        Y,
        countries,
        sectors,
        categories=categories if K == 5 else None,
        output=published if output == "published" else None,
        year=year,
        unit="USD million",
        zero_output=zero_output,
        rtol=0.0,
        atol=0.5 * cells,
    )


def read_icio(
    path: str | os.PathLike[str],
    *,
    year: int | None = None,
    zero_output: Literal["raise", "zero"] = "raise",
    rtol: float = 1e-6,
    atol: float = 0.0,
) -> MRIOTable:
    """Read an OECD ICIO table (CSV), folding China's and Mexico's split rows.

    Parameters
    ----------
    path : path
        CSV: first column the row labels ``<country>_<sector>``; then the same labels as
        intermediate-use columns, and final-demand columns ``<country>_<category>``;
        optional rows and columns of totals (``TLS``, ``VA``, ``VALU``, ``OUT``,
        ``OUTPUT``, ``TOTAL``) are used for the checks only.
    year : int, optional
        Taken from the file name otherwise.
    zero_output, rtol, atol
        Passed to :class:`~coupling.inputoutput.tables.MRIOTable`.

    Returns
    -------
    MRIOTable
        With ``CN1`` + ``CN2`` in ``CHN`` and ``MX1`` + ``MX2`` in ``MEX`` (rows and
        columns summed), output the row sums.

    Notes
    -----
    The table is folded before anything is computed from it. exvatools' ``make_wio``
    instead decomposes the split table (China's domestic block being CN1 and CN2 together)
    and folds the results: gross exports agree, the value-added terms do not (by up to
    0.15% of a country's gross exports on its test table). The tests compare with exvatools
    on the folded table and record both.
    """
    file = Path(path)
    frame = pd.read_csv(file, index_col=0)
    frame.index = frame.index.astype(str).str.strip()
    frame.columns = frame.columns.astype(str).str.strip()
    folds = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
    pattern = re.compile(r"^([A-Za-z0-9]{3})_(.+)$")
    labelled = [(r, pattern.match(r)) for r in frame.index]
    rows = [r for r, m in labelled if m]
    if not rows:
        raise TableLayoutError(
            f"{file.name}: no rows labelled <country>_<sector> (e.g. CHN_10T39); found "
            f"{format_items(list(frame.index[:6]))}."
        )

    def fold(label: str) -> str:
        m = pattern.match(label)
        assert m is not None
        return f"{folds.get(m.group(1), m.group(1))}_{m.group(2)}"

    sector_cols = [c for c in frame.columns if c in set(rows)]
    final_cols = [c for c in frame.columns if pattern.match(c) and c not in set(rows)]
    if not sector_cols or not final_cols:
        raise TableLayoutError(
            f"{file.name}: expected intermediate-use columns named like the rows and final-demand "
            f"columns <country>_<category>; found {len(sector_cols)} and {len(final_cols)}."
        )
    values = frame.loc[rows, [*sector_cols, *final_cols]].apply(pd.to_numeric)
    folded_rows = values.groupby(pd.Index([fold(r) for r in rows]), sort=False).sum()
    Z = (
        folded_rows[sector_cols]
        .T.groupby(pd.Index([fold(c) for c in sector_cols]), sort=False)
        .sum()
        .T
    )
    F = (
        folded_rows[final_cols]
        .T.groupby(pd.Index([fold(c) for c in final_cols]), sort=False)
        .sum()
        .T
    )
    order = [r for r in dict.fromkeys(fold(r) for r in rows)]
    index = pd.MultiIndex.from_tuples(
        [tuple(r.split("_", 1)) for r in order], names=["country", "sector"]
    )
    countries = list(dict.fromkeys(index.get_level_values(0)))
    sectors = list(dict.fromkeys(index.get_level_values(1)))
    index = pd.MultiIndex.from_product([countries, sectors], names=["country", "sector"])
    labels = [f"{c}_{s}" for c, s in index]
    missing = [r for r in labels if r not in Z.index]
    if missing:
        raise TableLayoutError(
            f"{file.name}: the rows are not every country by every sector; missing "
            f"{format_items(missing)}."
        )
    Zm = pd.DataFrame(Z.loc[labels, labels].to_numpy(), index=index, columns=index)
    fd_labels = [tuple(c.split("_", 1)) for c in F.columns]
    Fm = pd.DataFrame(
        F.loc[labels].to_numpy(),
        index=index,
        columns=pd.MultiIndex.from_tuples(fd_labels, names=["country", "category"]),
    )
    table = MRIOTable(
        Zm, Fm, year=_year_of(file, year), zero_output=zero_output, rtol=rtol, atol=atol
    )
    total_row = next((r for r in ("OUT", "OUTPUT", "TOTAL") if r in frame.index), None)
    if total_row is not None:
        published = frame.loc[total_row, sector_cols].apply(pd.to_numeric)
        published = published.groupby(pd.Index([fold(c) for c in sector_cols]), sort=False).sum()
        check_identity(
            table.output.to_numpy(),
            published.loc[labels].to_numpy(),
            labels,
            f"published output ({total_row} row)",
            rtol=rtol,
            atol=atol,
        )
    return table
