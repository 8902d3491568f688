"""The ``liangye`` command line.

* ``liangye demo`` — the main job on the embedded real data (see :mod:`coupling.app.demo`).
* ``liangye score DATA --spec SPEC.toml`` — coupling coordination of a user's file
  (``--method topsis``: entropy-TOPSIS closeness on the same spec instead).
* ``liangye sdm DATA --y Y --x X1 X2 --w queen`` — a spatial panel model with its effects,
  with China's provincial W built in (``queen``, ``rook``, ``knn:4``, ``distance``,
  ``economic:<column>``) or read from a file (GAL, GWT, CSV).
* ``liangye weights --kind queen --out w.gal`` — China's provincial W for other software.
* ``liangye io TABLE [TABLE ...]`` — coefficients, linkages and fusion of input-output
  tables (NBS layout or WIOD national tables; see :mod:`coupling.app.io_command`).

``--level city`` (``sdm`` and ``weights``) works on prefecture-level cities instead: the
region column is resolved with :func:`spatial.geography.resolve_cities` (``--province-column``
for names shared by two provinces, such as Suzhou), optionally aligned to the current units
with :func:`spatial.geography.align_cities` (``--align``), and the built-in W come from
:func:`spatial.weights.china_cities` (``queen``, ``rook``, ``knn:K``, ``distance``,
``band:KM``, ``negexp:KM``, ``economic:COLUMN``). ``--level county`` does the same on the
county-level units (:func:`spatial.geography.resolve_counties`, ``--province-column`` and
``--city-column`` for names such as 朝阳区 or 城区; :func:`spatial.weights.china_counties`;
the optional extra ``liangye[counties]``), without ``--align``.

Input files are CSV (UTF-8 with or without BOM, or GB18030/GBK, detected; ``--encoding``
to force one), TSV or Excel (``.xlsx``, ``.xls``); numbers written with thousands
separators are read as numbers. Output CSV is UTF-8 with a byte-order mark by default, so
that Excel opens Chinese columns correctly (``--output-encoding`` to change it). Province
names in any spelling (内蒙古, 内蒙古自治区, Inner Mongolia) count as one province.

Every command writes its tables and an HTML report to ``--out``; a missing file, a
malformed specification or unknown columns end with a one-line message and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from spatial._core.errors import LiangyeError
from spatial._core.messages import suggest
from spatial._core.version import __version__

from .files import CommandError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "CITY_W_KINDS",
    "LEVELS",
    "W_KINDS",
    "CommandError",
    "china_weights",
    "main",
    "read_spec",
    "run_score",
    "run_sdm",
    "run_weights",
]

#: Options of ``CouplingCoordination`` a spec file may set, and the options of its ``fit``.
MODEL_OPTIONS = (
    "weighting",
    "pooling",
    "shift",
    "variant",
    "alpha",
    "bands",
    "closed",
    "constant",
    "balance",
    "lag_thresholds",
    "ratio",
)
FIT_OPTIONS = ("bootstrap", "seed", "level")
#: Options of :func:`coupling.topsis.topsis` a spec file may set (``--method topsis``).
TOPSIS_OPTIONS = (
    "weighting",
    "pooling",
    "shift",
    "constant",
    "balance",
    "normalization",
    "distance",
)
#: What ``liangye score --method`` computes.
SCORE_METHODS = ("coupling", "topsis")
#: The built-in kinds of ``--w`` and ``weights --kind`` (China's 31 provinces).
W_KINDS = ("queen", "rook", "knn:K", "distance", "economic:COLUMN")
#: The built-in kinds at ``--level city`` and ``--level county``.
CITY_W_KINDS = ("queen", "rook", "knn:K", "distance", "band:KM", "negexp:KM", "economic:COLUMN")
ISLANDS = ("hainan", "nearest", "error")
#: The units of ``--level``.
LEVELS = ("province", "city", "county")
#: What ``--align`` does with the values of units merged into one current unit.
ALIGN_HOW = ("sum", "mean", "drop")


# --------------------------------------------------------------------------- inputs
def _read(path: Path, args: argparse.Namespace) -> tuple[pd.DataFrame, Any]:
    from .files import read_table

    return read_table(path, encoding=args.encoding, sheet=args.sheet)


def _toml_hint(text: str) -> str:
    """A hint when the spec uses bare non-ASCII keys, which TOML does not allow."""
    for number, line in enumerate(text.splitlines(), start=1):
        key = line.split("=", 1)[0].strip() if "=" in line else ""
        if key and not key.startswith(('"', "'", "#", "[")) and not key.isascii():
            return (
                f" TOML keys that are not plain ASCII must be quoted: on line {number} write "
                f'"{key}" = ... instead of {key} = ...'
            )
    return ""


def read_spec(path: Path) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, str]]:
    """Read a TOML spec.

    ``[subsystems.<name>]`` tables of ``indicator = "+"|"-"`` (quote Chinese names:
    ``"产值" = "+"``), an optional ``[options]`` table (any option of
    :class:`~coupling.CouplingCoordination`, plus ``bootstrap``, ``seed`` and ``level``
    of its ``fit``, and ``normalization`` / ``distance`` of :func:`coupling.topsis.topsis`)
    and optional top-level ``region`` / ``year`` column names.

    Returns
    -------
    system, model options, fit options, key columns
    """
    from ..data import IndicatorSystem

    if not path.is_file():
        raise CommandError(f"spec file not found: {path}")
    text = path.read_text(encoding="utf-8-sig")
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CommandError(f"malformed spec {path}: {err}.{_toml_hint(text)}") from err
    subsystems = spec.get("subsystems")
    if not isinstance(subsystems, dict) or not subsystems:
        raise CommandError(
            f"malformed spec {path}: it needs [subsystems.<name>] tables of indicator = '+' or '-'"
        )
    options = dict(spec.get("options", {}))
    known = list(dict.fromkeys([*MODEL_OPTIONS, *FIT_OPTIONS, *TOPSIS_OPTIONS]))
    unknown = sorted(set(options) - set(known))
    if unknown:
        hints = "".join(suggest(u, known) for u in unknown)
        raise CommandError(
            f"malformed spec {path}: unknown option(s) {unknown};{hints} allowed: "
            f"{', '.join(known)}"
        )
    fit = {k: options.pop(k) for k in FIT_OPTIONS if k in options}
    keys = {k: str(spec[k]) for k in ("region", "year") if k in spec}
    try:
        system = IndicatorSystem(subsystems)
    except LiangyeError as err:
        raise CommandError(f"malformed spec {path}: {err}") from err
    return system, options, fit, keys


def _keys(frame: pd.DataFrame, source: Path, region: str, year: str, flags: str) -> None:
    missing = [c for c in (region, year) if c not in frame.columns]
    if missing:
        hints = "".join(suggest(c, frame.columns) for c in missing)
        raise CommandError(
            f"column(s) {missing} not in {source}.{hints} Its columns: "
            f"{', '.join(map(str, frame.columns))}; {flags}"
        )


def _source_notes(source: Any) -> list[str]:
    notes = list(source.notes)
    if source.thousands_columns:
        notes.append(
            "Numbers written with thousands separators were read as numbers in: "
            + ", ".join(map(str, source.thousands_columns))
            + "."
        )
    return notes


# ---------------------------------------------------------------------------- W
def china_weights(
    spec: str,
    *,
    data: pd.DataFrame | None = None,
    region: str | None = None,
    islands: str | None = None,
    level: str = "province",
) -> Any:
    """China's provincial (or city) W from a ``--w``/``--kind`` spec, for the units of ``data``.

    ``queen`` and ``rook`` (contiguity; Hainan linked to Guangdong by default,
    ``islands="nearest"`` or ``"error"`` otherwise), ``knn:K`` (K nearest capitals),
    ``distance`` (inverse great-circle distance between capitals) and
    ``economic:COLUMN`` (``1/|x_i - x_j|`` of the column's mean over the years of
    ``data``). With ``data``, W covers the provinces it names (any spelling).

    ``level="city"``: :func:`spatial.weights.china_cities` (ids: 6-digit codes) with the
    kinds of :data:`CITY_W_KINDS`; ``data[region]`` then holds names or codes of
    prefecture-level units, and islands are linked to the nearest mainland unit
    (``islands="nearest"``, the default there) or refused (``"error"``).
    ``level="county"``: the same with :func:`spatial.weights.china_counties`.
    """
    from spatial.weights import HAINAN_LINK, china_provinces

    if level not in LEVELS:
        raise CommandError(f"--level {level!r} is not one of {', '.join(LEVELS)}")
    if level != "province":
        return _unit_weights(spec, _level(level), data=data, region=region, islands=islands)
    islands = islands or "hainan"
    kind, _, argument = spec.partition(":")
    kind = kind.strip().lower()
    link = {"hainan": HAINAN_LINK, "nearest": "nearest", "error": "error"}
    if islands not in link:
        raise CommandError(f"--islands {islands!r} is not one of {', '.join(ISLANDS)}")
    options: dict[str, Any] = {}
    if data is not None and region is not None:
        options["provinces"] = list(pd.unique(data[region]))
    if kind in ("queen", "rook"):
        return china_provinces(kind, islands=link[islands], **options)  # type: ignore[arg-type]
    if kind == "knn":
        try:
            k = int(argument or 4)
        except ValueError as err:
            raise CommandError(f"--w knn:K needs a whole number K, got {argument!r}") from err
        return china_provinces("knn", k=k, **options)
    if kind == "distance":
        return china_provinces("distance", **options)
    if kind == "economic":
        values = _economic_column(data, region, argument)  # averaged over each province's rows
        return china_provinces("economic", economic=values, **options)
    raise CommandError(
        f"--w {spec!r} is neither a weights file nor a built-in kind; use one of "
        f"{', '.join(W_KINDS)} or the path of a .gal, .gwt or .csv file"
        + (" (band:KM and negexp:KM are kinds of --level city)" if kind in ("band", "negexp")
           else "")
    )  # fmt: skip


def _economic_column(data: pd.DataFrame | None, region: str | None, argument: str) -> pd.Series:
    """A (unit, row) Series of ``--w economic:COLUMN``, averaged over each unit's rows."""
    if data is None or region is None or not argument:
        raise CommandError("--w economic:COLUMN needs a column of the data, e.g. economic:gdp")
    if argument not in data.columns:
        raise CommandError(
            f"--w economic:{argument}: no column {argument!r} in the data."
            + suggest(argument, data.columns)
        )
    return pd.Series(
        pd.to_numeric(data[argument], errors="coerce").to_numpy(),
        index=pd.MultiIndex.from_arrays([data[region], range(len(data))]),
    )


class _Level(NamedTuple):
    """A level below the province (``--level city`` or ``county``): its units, names and W."""

    name: str  # "city", "county"
    units: str  # "prefecture-level cities"
    weights: Callable[..., Any]  # china_cities, china_counties
    subset: str  # the keyword of their subset: "cities", "counties"
    resolve: Callable[..., list[str]]  # resolve_cities, resolve_counties
    table: Callable[[], pd.DataFrame]  # the units' attributes, indexed by code


def _level(name: str) -> _Level:
    """The ``--level`` ``name`` (``"city"`` or ``"county"``)."""
    from spatial.geography import (
        load_china_cities,
        load_china_counties,
        resolve_cities,
        resolve_counties,
    )
    from spatial.weights import china_cities, china_counties

    if name == "city":
        return _Level("city", "prefecture-level cities", china_cities, "cities", resolve_cities,
                      lambda: load_china_cities(include_county_level=True))  # fmt: skip
    return _Level("county", "county-level units", china_counties, "counties", resolve_counties,
                  load_china_counties)  # fmt: skip


def _unit_weights(
    spec: str, level: _Level, *, data: pd.DataFrame | None, region: str | None,
    islands: str | None,
) -> Any:  # fmt: skip
    """W of China's cities or counties (``--level city|county``), ids = 6-digit codes."""
    islands = islands or "nearest"
    if islands not in ("nearest", "error"):
        raise CommandError(
            f"--islands {islands} is for provinces; at --level {level.name} use nearest (each "
            "island unit linked to the mainland unit with the nearest boundary, the default) "
            "or error"
        )
    kind, _, argument = spec.partition(":")
    kind = kind.strip().lower()
    options: dict[str, Any] = {}
    if data is not None and region is not None:
        options[level.subset] = list(pd.unique(data[region]))
    if kind in ("queen", "rook"):
        return level.weights(kind, islands=islands, **options)
    if kind == "economic":
        values = _economic_column(data, region, argument.strip())
        return level.weights("economic", economic=values, **options)
    if kind in ("knn", "band", "negexp", "distance"):
        if kind == "distance" and argument:
            raise CommandError(f"--w {spec!r}: distance takes no argument (band:KM does)")
        try:
            return level.weights(f"{kind}:{argument}" if argument else kind, **options)
        except LiangyeError as err:
            raise CommandError(f"--w {spec!r}: {err}") from err
    raise CommandError(
        f"--w {spec!r} is neither a weights file nor a built-in kind at --level {level.name}; "
        f"use one of {', '.join(CITY_W_KINDS)} or the path of a .gal, .gwt or .csv file"
    )


class _Units:
    """What ``--level city|county`` did to the region column: the codes, notes and tables."""

    def __init__(
        self, frame: pd.DataFrame, notes: list[str], units: pd.DataFrame, alignment: Any
    ) -> None:
        self.frame = frame  # the data with the region column as 6-digit codes
        self.notes = notes  # one line per fact: resolved, unified, disambiguated, merged
        self.units = units  # one row per unit: code, names, province, spellings, rows
        self.alignment = alignment  # the report of align_cities, or None


def _unit_error(err: LiangyeError, args: argparse.Namespace, level: _Level) -> CommandError:
    """A city or county name error in the terms of the command line."""
    message = (
        str(err)
        .replace(
            "Pass province= (one per name, or {name: province}) to choose.",
            "Pass --province-column COL (a column naming each row's province) to choose.",
        )
        .replace(
            "Pass province= and/or city= (one per name, or {name: province}) to choose.",
            "Pass --province-column COL and/or --city-column COL (columns naming each row's "
            "province and prefecture-level city) to choose.",
        )
    )
    if "do not resolve" in message and level.name == "city" and not getattr(args, "align", None):
        message += (
            " Units merged, split or renamed since 2000 (莱芜, 巢湖, 襄樊, 毕节地区) are "
            "mapped to the current ones by --align."
        )
    return CommandError(f"--level {level.name}, column {args.region!r}: {message}")


def _parent_column(frame: pd.DataFrame, option: str, column: str | None) -> pd.Series | None:
    """The column ``--province-column`` or ``--city-column`` names, or None."""
    if column is None:
        return None
    if column not in frame.columns:
        raise CommandError(
            f"{option} {column!r} is not a column of the data." + suggest(column, frame.columns)
        )
    return frame[column]


def _unit_panel(
    frame: pd.DataFrame,
    args: argparse.Namespace,
    year: str | None,
    columns: Sequence[str],
    level: _Level,
) -> _Units:
    """Resolve (and at city level with ``--align`` align) the region column to 6-digit codes.

    ``columns`` are the numeric columns an alignment carries over (the others are left out).
    """
    from spatial.geography import align_cities
    from spatial.geography.cities import CityNameError

    region, province_column = args.region, args.province_column
    align = getattr(args, "align", None)  # liangye weights has no --align
    province = _parent_column(frame, "--province-column", province_column)
    parents: dict[str, Any] = {"province": province}
    if level.name == "county":
        parents["city"] = _parent_column(frame, "--city-column", args.city_column)
    notes: list[str] = []
    alignment = None
    labels = frame[region]
    try:
        if align:
            if year is None:
                raise CommandError("--align needs a year column (--year)")
            aligned, alignment = align_cities(
                frame, region=region, year=year, value_columns=list(dict.fromkeys(columns)),
                how=align, province=province_column,
            )  # fmt: skip
            codes = list(aligned[region])
            out = aligned
        else:
            codes = level.resolve(labels, **parents)
            out = frame.copy()
            out[region] = codes
    except CityNameError as err:
        raise _unit_error(err, args, level) from err
    cities = level.table().set_index("code", drop=False)
    order = list(dict.fromkeys(codes))
    parent_names = [*(["city_zh"] if level.name == "county" else []), "province_zh"]
    units = cities.loc[order, ["name_zh", "name_en", *parent_names]].rename_axis("code")
    units["rows"] = pd.Series(codes).value_counts().reindex(order).to_numpy()
    where = f", {year} {out[year].min()}-{out[year].max()}" if year is not None else ""
    notes.append(
        f"Level: {level.units}. {len(labels)} rows of {region!r} resolved to "
        f"{len(order)} units{where} (ids: 6-digit GB/T 2260 codes; names in units.csv)."
    )
    if not align:
        spellings = pd.Series(list(labels), dtype=object).astype(str).groupby(
            pd.Series(codes)).agg(lambda s: list(dict.fromkeys(s)))  # fmt: skip
        units["spellings"] = ["; ".join(spellings[c]) for c in order]
        several = [
            f"{', '.join(spellings[c])} -> {cities.at[c, 'name_zh']} ({c})"
            for c in order
            if len(spellings[c]) > 1
        ]
        if several:
            notes.append(f"Names spelled in more than one way are one unit: {'; '.join(several)}.")
        if any(p is not None for p in parents.values()):
            needed = []
            for name in dict.fromkeys(labels):
                try:
                    level.resolve([name])
                except CityNameError:
                    chosen = sorted({c for lab, c in zip(labels, codes) if lab == name})
                    shown = ", ".join(
                        f"{cities.at[c, 'name_zh']} ("
                        + ", ".join(str(cities.at[c, p]) for p in parent_names)
                        + f", {c})"
                        for c in chosen
                    )
                    needed.append(f"{name} -> {shown}")
            if needed:
                used = [c for c in (province_column, getattr(args, "city_column", None)) if c]
                notes.append(
                    f"Names shared by several units, resolved with "
                    f"{' and '.join(map(repr, used))}: " + "; ".join(needed) + "."
                )
    elif alignment is not None and len(alignment):
        grouped = alignment.groupby(["action", "label", "to_name"], sort=False)["year"]
        said = [
            f"{action} {label} -> {to} ({years.min()}-{years.max()}, {len(years)} rows)"
            for (action, label, to), years in grouped
        ]
        how = {"sum": "added", "mean": "averaged", "drop": "dropped"}[align]
        notes.append(
            f"Aligned to the current units (--align {align}: the values of units merged "
            f"into another are {how}): " + "; ".join(said) + ". Details in alignment.csv."
        )
    else:
        notes.append("Aligned to the current units (--align): nothing to merge or rename.")
    return _Units(out, notes, units.reset_index(), alignment)


def _weights(
    args: argparse.Namespace, frame: pd.DataFrame, level: _Level | None
) -> tuple[Any, str]:
    """The W of ``liangye sdm`` (provinces, or the units of ``level``) and a line describing it."""
    from spatial.weights import SpatialWeights, read_weights

    kinds = W_KINDS if level is None else CITY_W_KINDS
    path = Path(args.w)
    if path.suffix.lower() in (".gal", ".gwt", ".csv") or path.is_file():
        if not path.is_file():
            raise CommandError(
                f"weights file not found: {path} (or use a built-in kind: {', '.join(kinds)})"
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if level is not None:  # the file's ids (names or codes) resolved like the data's
                from spatial.geography.cities import CityNameError

                w = read_weights(path)
                try:
                    ids = level.resolve([str(i) for i in w.ids])
                except CityNameError as err:
                    raise CommandError(f"ids of {path}: {err}") from err
                transform = "row" if w.is_row_standardized else "none"
                w = SpatialWeights(w.matrix, ids, transform)  # type: ignore[arg-type]
                w = w.reorder(list(pd.unique(frame[args.region])))
            else:
                w = read_weights(path, ids=list(pd.unique(frame[args.region])))
        folded = sorted({str(c.message).split("\n")[0] for c in caught})
        if w.islands:
            raise CommandError(
                f"W in {path} has regions without neighbours: {list(w.islands)[:10]}. Link "
                "them in the file, or use --w queen (China's provinces, Hainan linked to "
                "Guangdong)" + (f" [reader said: {'; '.join(folded)}]" if folded else "")
            )
        described = f"file {path}"
    elif level is not None:
        w = china_weights(args.w, data=frame, region=args.region, islands=args.islands,
                          level=level.name)  # fmt: skip
        described = f"China's {level.units} ({w.n} units), {args.w}" + (
            f" (islands: {args.islands or 'nearest'})" if args.w in ("queen", "rook") else ""
        )
    else:
        w = china_weights(args.w, data=frame, region=args.region, islands=args.islands)
        described = f"China's provinces, {args.w}" + (
            f" (islands: {args.islands or 'hainan'})" if args.w in ("queen", "rook") else ""
        )
    if args.standardize:
        w = w.standardize("row")
    return w, described + (", row-standardized" if args.standardize else ", as given")


# ---------------------------------------------------------------------------- commands
def _write_tables(out: Path, tables: Mapping[str, pd.DataFrame], encoding: str) -> None:
    from .files import write_csv

    for name, table in tables.items():
        write_csv(table, out / name, encoding=encoding)


def run_score(args: argparse.Namespace) -> str:
    """``liangye score``: score a user's panel; returns the summary text."""
    from ..model import CouplingCoordination

    system, options, fit, keys = read_spec(Path(args.spec))
    frame, source = _read(Path(args.data), args)
    region = args.region or keys.get("region", "region")
    year = args.year or keys.get("year", "year")
    _keys(frame, Path(args.data), region, year, "pass --region/--year or set them in the spec")
    if args.bootstrap is not None:
        fit["bootstrap"] = args.bootstrap
    if args.seed is not None:
        fit["seed"] = args.seed
    if args.balance is not None:
        options["balance"] = args.balance
    if getattr(args, "method", "coupling") == "topsis":
        return _run_topsis(args, system, options, fit, frame, source, region, year)
    topsis_only = sorted(set(options) - set(MODEL_OPTIONS))
    if topsis_only:
        raise CommandError(
            f"option(s) {topsis_only} of the spec belong to --method topsis; remove them or "
            "pass --method topsis"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CouplingCoordination(system, **options).fit(frame, region=region, year=year, **fit)
    said = [str(c.message) for c in caught if issubclass(c.category, UserWarning)]
    return _score_outputs(
        args, result, frame, source, region, year, system, said,
        title="Coupling coordination",
        method=None,
        options_text=", ".join(f"{k}={v}" for k, v in {**options, **fit}.items()) or "defaults",
        fill=lambda report: _score_report(report, result, args.lang),
    )  # fmt: skip


def _score_outputs(
    args: argparse.Namespace,
    result: Any,
    frame: pd.DataFrame,
    source: Any,
    region: str,
    year: str,
    system: Any,
    said: list[str],
    *,
    title: str,
    method: str | None,
    options_text: str,
    fill: Callable[[Any], None],
) -> str:
    """Files of ``liangye score`` (either method): scores.csv, indicator_weights.csv, the
    report with its header and notes (``fill`` adds the method's tables) and summary.txt."""
    from .report import Report

    summary = result.summary()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "scores.csv": _with_kept_columns(result.to_frame(), frame, region, year, args.keep),
        "indicator_weights.csv": result.indicator_weights.reset_index(),
    }
    _write_tables(out, tables, args.output_encoding)
    report = Report(title, language=args.lang)
    header = {
        "input": f"{args.data} ({source.format}"
        + (f", {source.encoding}" if source.encoding else "")
        + ")",
        "specification": str(args.spec),
    }
    if method is not None:
        header["method"] = method
    header["region, year"] = f"{region}, {year}"
    header["subsystems"] = "; ".join(
        f"{s}: {', '.join(system.indicators_of(s))}" for s in system.subsystems
    )
    header["options"] = options_text
    report.header(header)
    for note in [*_source_notes(source), *said]:
        report.text(note)
    fill(report)
    report.write(out, csv_encoding=args.output_encoding)
    (out / "summary.txt").write_text(str(summary) + "\n", encoding="utf-8")
    lines = [str(summary), *said]
    lines.append(f"\nWrote scores.csv, indicator_weights.csv, summary.txt, report.html to {out}.")
    return "\n".join(lines)


def _run_topsis(
    args: argparse.Namespace,
    system: Any,
    options: dict[str, Any],
    fit: dict[str, Any],
    frame: pd.DataFrame,
    source: Any,
    region: str,
    year: str,
) -> str:
    """``liangye score --method topsis``: TOPSIS closeness of a user's panel."""
    from ..topsis import topsis

    if fit.get("bootstrap"):
        raise CommandError(
            "--method topsis has no bootstrap; drop --bootstrap (or bootstrap in the spec)"
        )
    unused = sorted({*(set(options) - set(TOPSIS_OPTIONS)), *(set(fit) - {"bootstrap"})})
    used = {k: v for k, v in options.items() if k in TOPSIS_OPTIONS}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = topsis(frame, system, region=region, year=year, **used)
    said = [str(c.message) for c in caught if issubclass(c.category, UserWarning)]
    if unused:
        said.append(f"Options of the spec not used by TOPSIS (coupling only): {', '.join(unused)}.")
    options_text = ", ".join(
        f"{k}={result.options[k]}"
        for k in ("weighting", "pooling", "normalization", "distance", "shift")
    )
    return _score_outputs(
        args, result, frame, source, region, year, system, said,
        title="TOPSIS",
        method="TOPSIS (Hwang and Yoon 1981)",
        options_text=options_text,
        fill=lambda report: _topsis_report(report, result),
    )  # fmt: skip


def _topsis_report(report: Any, result: Any) -> None:
    """Tables of the ``score --method topsis`` report."""
    report.heading("Indicator weights")
    report.table("Indicator weights (w: overall; w_subsystem: within the subsystem)",
                 result.indicator_weights, "indicator_weights_table")  # fmt: skip
    report.table("Ideal and anti-ideal points", result.ideal, "ideal_points")
    scores = result.scores
    year = scores.index.names[1]
    report.heading("TOPSIS closeness")
    report.text(
        "closeness = D- / (D+ + D-), the distances to the anti-ideal and the ideal point; "
        "rank 1 is the closest to the ideal within the year."
    )
    by_year = scores.groupby(level=1)["closeness"].agg(["mean", "std", "min", "max"])
    report.table("Closeness by year", by_year, "closeness_by_year")
    subs = result.subsystem_scores.pivot_table(
        index=year, columns="subsystem", values="closeness", aggfunc="mean", sort=False
    )
    report.table("Mean closeness by subsystem and year", subs, "closeness_by_subsystem")
    latest = scores.xs(scores.index.levels[1][-1], level=1).sort_values("rank")
    report.table(f"Closeness and rank, {scores.index.levels[1][-1]}", latest, "closeness_latest")
    report.table("Scores by region and year", result.to_frame().set_index(list(
        scores.index.names)), "scores_table")  # fmt: skip


def _with_kept_columns(
    scores: pd.DataFrame, frame: pd.DataFrame, region: str, year: str, keep: Sequence[str]
) -> pd.DataFrame:
    """The scores with columns of the input carried over (``--keep``), by region and year."""
    from spatial.geography import unify_province_labels

    if not keep:
        return scores
    missing = [c for c in keep if c not in frame.columns]
    if missing:
        hints = "".join(suggest(c, frame.columns) for c in missing)
        raise CommandError(f"--keep: column(s) {missing} not in the data.{hints}")
    extra = frame[[region, year, *keep]].copy()
    extra[region] = unify_province_labels(extra[region])[0]  # as the scores label them
    clash = [c for c in keep if c in scores.columns]
    if clash:
        raise CommandError(f"--keep: column(s) {clash} are also score columns; rename them")
    return scores.merge(extra, on=[region, year], how="left", validate="one_to_one")


def _score_report(report: Any, result: Any, language: Any) -> None:
    """Tables and figures of the ``score`` report."""
    from spatial.viz import group_trend

    from ..regional.dynamics import kernel_density

    report.heading("Indicator weights")
    report.table("Indicator weights", result.indicator_weights, "indicator_weights_table")
    scores = result.scores
    by_year = scores.groupby(level=1)["D"].agg(["mean", "std", "min", "max"])
    report.heading("Coupling coordination degree D")
    report.table("D by year", by_year, "d_by_year")
    table = scores.reset_index()
    region, year = scores.index.names
    try:
        figure = group_trend(table, "D", region=region, year=year, language=language)
        caption = "Mean D by NBS region and year"
    except LiangyeError:
        figure = group_trend(table, "D", region=region, year=year, groups={}, language=language)
        caption = "Mean D by year"
    report.figure(caption, figure, "d_trend")
    report.figure("Kernel densities of D by year", kernel_density(scores, "D").plot(), "d_density")
    report.table("Scores by region and year", scores, "scores_table")


def run_sdm(args: argparse.Namespace) -> str:
    """``liangye sdm``: fit a spatial panel model; returns the summary text."""
    from spatial import (
        SLXPanel,
        SpatialDurbinErrorPanel,
        SpatialDurbinPanel,
        SpatialErrorPanel,
        SpatialLagPanel,
    )

    from .report import Report

    models = {
        "sdm": SpatialDurbinPanel,
        "sar": SpatialLagPanel,
        "sem": SpatialErrorPanel,
        "sdem": SpatialDurbinErrorPanel,
        "slx": SLXPanel,
    }
    _check_level_options(args)
    frame, source = _read(Path(args.data), args)
    _keys(frame, Path(args.data), args.region, args.region_year, "pass --region/--year")
    missing = [c for c in [args.y, *args.x] if c not in frame.columns]
    if missing:
        hints = "".join(suggest(c, frame.columns) for c in missing)
        raise CommandError(
            f"column(s) {missing} not in {args.data}.{hints} Its columns: "
            f"{', '.join(map(str, frame.columns))}"
        )
    units = None
    level = None if args.level == "province" else _level(args.level)
    if level is not None:
        kind, _, argument = str(args.w).partition(":")
        economic = [argument] if kind.strip().lower() == "economic" and argument in frame else []
        units = _unit_panel(frame, args, args.region_year, [args.y, *args.x, *economic], level)
        frame = units.frame
    w, w_text = _weights(args, frame, level)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = models[args.model](
            frame, args.y, args.x, w, region=args.region, year=args.region_year,
            effects=args.effects,
        )  # fmt: skip
        result = model.fit(bias_correction=args.bias_correction)
    said = [str(c.message) for c in caught if issubclass(c.category, UserWarning)]
    text = str(result.summary())
    params = pd.DataFrame(
        {"coef": result.params, "std_error": result.std_errors, "z": result.tstats,
         "p_value": result.pvalues}
    ).rename_axis("term")  # fmt: skip
    tables = {"params.csv": params.reset_index()}
    level_notes: list[str] = []
    if units is not None:
        level_notes = units.notes
        tables["units.csv"] = units.units
        if units.alignment is not None:
            tables["alignment.csv"] = units.alignment
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = Report(f"{result.model} panel model of {args.y}", language=args.lang)
    report.header(
        {
            "input": f"{args.data} ({source.format}"
            + (f", {source.encoding}" if source.encoding else "")
            + ")",
            "dependent variable": args.y,
            "regressors": ", ".join(args.x),
            "region, year": f"{args.region}, {args.region_year}",
            "level": "provinces" if level is None else level.units,
            "W": w_text,
            "options": f"model={args.model}, effects={args.effects}, "
            f"bias_correction={args.bias_correction}, impacts={args.impacts}",
        }
    )
    for note in [*_source_notes(source), *level_notes, *said]:
        report.text(note)
    if units is not None and level is not None:
        report.table(f"Units ({level.units})", units.units.set_index("code"),
                     "units")  # fmt: skip
        if units.alignment is not None and len(units.alignment):
            report.table("Alignment to the current units", units.alignment, "alignment")
    report.heading("Estimates")
    report.table("Coefficients", params, "params_table")
    if args.model in ("sdm", "sar", "sdem", "slx"):
        impacts = result.impacts(method=args.impacts, seed=0)
        tables["impacts.csv"] = impacts.to_frame()
        text += "\n\n" + str(impacts.summary())
        report.heading("Direct, indirect and total effects")
        report.table("Effects", impacts.to_frame().set_index(["variable", "effect"]), "effects")
        report.figure("Effects with 95% intervals", _effects_figure(impacts, args.lang), "effects")
    _write_tables(out, tables, args.output_encoding)
    report.write(out, csv_encoding=args.output_encoding)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    lines = [*level_notes, text, *said]
    lines.append(f"\nWrote {', '.join(tables)}, summary.txt, report.html to {out}.")
    return "\n".join(lines)


def _effects_figure(impacts: Any, language: str) -> Any:
    """Direct, indirect and total effects of each regressor with their intervals."""
    from spatial.viz.figure import new_axes, style

    frame = impacts.to_frame()
    names = list(dict.fromkeys(frame["variable"]))
    with style(language):
        fig, (ax,) = new_axes((6.0, 0.6 + 0.55 * len(names) * 3))
        _draw_effects(ax, frame, names)
    return fig


def _draw_effects(ax: Any, frame: pd.DataFrame, names: list[str]) -> None:
    """Points and 95% intervals of the direct, indirect and total effects."""
    import numpy as np

    colours = {"direct": "#1b6ca8", "indirect": "#d95f02", "total": "#1a9850"}
    for offset, (effect, colour) in enumerate(colours.items()):
        part = frame[frame["effect"] == effect].set_index("variable").loc[names]
        y = np.arange(len(names)) * 4 + offset
        ax.errorbar(part["estimate"], y, xerr=[part["estimate"] - part["lower"],
                    part["upper"] - part["estimate"]], fmt="o", color=colour,
                    label=effect, capsize=2)  # fmt: skip
    ax.axvline(0, color="grey", lw=0.7)
    ax.set_yticks(np.arange(len(names)) * 4 + 1, names)
    ax.invert_yaxis()
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def run_weights(args: argparse.Namespace) -> str:
    """``liangye weights``: write China's provincial (or city) W to a GAL, GWT or CSV file."""
    from spatial.weights import write_weights

    frame = None
    notes: list[str] = []
    _check_level_options(args)
    level = None if args.level == "province" else _level(args.level)
    if args.data is not None:
        frame, _ = _read(Path(args.data), args)
        _keys(frame, Path(args.data), args.region, args.region, "pass --region")
        if level is not None:
            units = _unit_panel(frame, args, None, [], level)
            frame, notes = units.frame, units.notes
    elif args.kind.startswith("economic"):
        raise CommandError("--kind economic:COLUMN needs --data FILE with that column")
    w = china_weights(args.kind, data=frame, region=args.region, islands=args.islands,
                      level=args.level)  # fmt: skip
    if args.standardize:
        w = w.standardize("row")
    path = write_weights(w, Path(args.out))
    units_name = "provinces" if level is None else f"{level.units} (ids: 6-digit codes)"
    islands = ""
    if args.kind in ("queen", "rook"):
        islands = f", islands: {args.islands or ('hainan' if level is None else 'nearest')}"
    done = f"Wrote {w.n} {units_name}, {w.n_links} links ({args.kind}{islands}) to {path}."
    return "\n".join([*notes, done])


# ---------------------------------------------------------------------------- parser
def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding",
        help="encoding of a CSV input (default: UTF-8 with or without BOM, else GB18030)",
    )
    parser.add_argument("--sheet", help="sheet of an Excel input (name or 0-based number)")
    parser.add_argument(
        "--output-encoding",
        default="utf-8-sig",
        help="encoding of the CSV outputs (default utf-8-sig: UTF-8 with BOM, for Excel)",
    )
    parser.add_argument("--lang", default="en", choices=["en", "zh"], help="report language")


def _level_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--level", default="province", choices=list(LEVELS),
                        help="units: China's 31 provinces (default), its prefecture-level "
                        "cities (names resolved, W of china_cities) or its county-level units "
                        '(china_counties; pip install "liangye[counties]")')  # fmt: skip
    parser.add_argument("--province-column",
                        help="--level city or county: column naming each row's province, for "
                        "names shared by two provinces (Suzhou: 苏州 or 宿州)")  # fmt: skip
    parser.add_argument("--city-column",
                        help="--level county: column naming each row's prefecture-level city, "
                        "for county names shared within a province (城区, 鼓楼区)")  # fmt: skip


def _check_level_options(args: argparse.Namespace) -> None:
    """Refuse the options of another ``--level``."""
    given = {"--province-column": args.province_column, "--city-column": args.city_column,
             "--align": getattr(args, "align", None)}  # fmt: skip
    belongs = {"--province-column": ("city", "county"), "--city-column": ("county",),
               "--align": ("city",)}  # fmt: skip
    wrong = [o for o, value in given.items() if value and args.level not in belongs[o]]
    if wrong:
        said = "; ".join(f"{o} belongs to --level {' or '.join(belongs[o])}" for o in wrong)
        raise CommandError(f"{said}, not to --level {args.level}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liangye", description="Coupling coordination and spatial panel econometrics."
    )
    parser.add_argument("--version", action="version", version=f"liangye {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="the main job on the embedded provincial panel")
    demo.add_argument("--out", type=Path, default=Path("liangye-report"),
                      help="report folder (default ./liangye-report)")  # fmt: skip
    demo.add_argument("--bootstrap", type=int, default=1000,
                      help="region resamples for the weights (0 skips; default 1000)")  # fmt: skip
    demo.add_argument("--seed", type=int, default=0, help="seed of every random step")
    demo.add_argument("--lang", default="en", choices=["en", "zh"],
                      help="report language: English or Chinese (needs a CJK font)")  # fmt: skip
    demo.add_argument("--quiet", action="store_true", help="no progress display")
    score = commands.add_parser("score", help="coupling coordination (or TOPSIS) of a panel file")
    score.add_argument("data", help="CSV, TSV or Excel file with region, year and indicators")
    score.add_argument("--spec", required=True, help="TOML indicator system")
    score.add_argument("--region", help="region column (default from the spec, or 'region')")
    score.add_argument("--year", help="year column (default from the spec, or 'year')")
    score.add_argument("--bootstrap", type=int, help="region resamples of the weights")
    score.add_argument("--seed", type=int, help="seed of the bootstrap")
    score.add_argument("--balance", choices=["error", "drop"],
                       help="unbalanced panel: stop (default) or drop incomplete ones")  # fmt: skip
    score.add_argument("--keep", nargs="+", default=[],
                       help="input columns to carry into scores.csv (e.g. drivers)")  # fmt: skip
    score.add_argument("--method", default="coupling", choices=list(SCORE_METHODS),
                       help="coupling coordination (default) or topsis (closeness to the "
                       "ideal, same spec and weights)")  # fmt: skip
    score.add_argument("--out", default="liangye-score", help="output folder")
    _input_options(score)
    sdm = commands.add_parser("sdm", help="spatial panel model of a panel file")
    sdm.add_argument("data", help="CSV, TSV or Excel file with region, year, y and x")
    sdm.add_argument("--y", required=True, help="dependent variable")
    sdm.add_argument("--x", nargs="+", required=True, help="regressors")
    sdm.add_argument("--w", required=True,
                     help=f"weights: {', '.join(W_KINDS)} (China's provinces; at --level "
                     f"city {', '.join(CITY_W_KINDS)}) or a .gal, .gwt or .csv file")  # fmt: skip
    sdm.add_argument("--islands", default=None, choices=list(ISLANDS),
                     help="contiguity W: link Hainan to Guangdong (default for provinces), "
                     "to the nearest unit (default for cities), or stop")  # fmt: skip
    _level_options(sdm)
    sdm.add_argument("--align", nargs="?", const="sum", choices=list(ALIGN_HOW),
                     help="--level city: map old units (莱芜, 巢湖, 襄樊...) onto the current "
                     "ones; values of merged units are added (sum, the default), averaged "
                     "(mean) or the absorbed units dropped (drop)")  # fmt: skip
    sdm.add_argument("--region", default="region", help="region column (default region)")
    sdm.add_argument("--year", dest="region_year", default="year",
                     help="year column (default year)")  # fmt: skip
    sdm.add_argument("--effects", default="twoways",
                     choices=["individual", "time", "twoways", "none"])  # fmt: skip
    sdm.add_argument("--model", default="sdm", choices=["sdm", "sar", "sem", "sdem", "slx"])
    sdm.add_argument("--bias-correction", default="lee_yu",
                     choices=["lee_yu", "none", "transformation"])  # fmt: skip
    sdm.add_argument("--impacts", default="delta", choices=["delta", "simulation"])
    sdm.add_argument("--no-standardize", dest="standardize", action="store_false",
                     help="keep W as built or read (default: row-standardize)")  # fmt: skip
    sdm.add_argument("--out", default="liangye-sdm", help="output folder")
    _input_options(sdm)
    weights = commands.add_parser("weights", help="write China's provincial W to a file")
    weights.add_argument("--kind", default="queen",
                         help=f"one of {', '.join(W_KINDS)} (at --level city "
                         f"{', '.join(CITY_W_KINDS)})")  # fmt: skip
    weights.add_argument("--islands", default=None, choices=list(ISLANDS))
    _level_options(weights)
    weights.add_argument("--data", help="file with the units to keep (and the economic column)")
    weights.add_argument("--region", default="region", help="province or city column of --data")
    weights.add_argument("--no-standardize", dest="standardize", action="store_false",
                         help="write binary/raw weights (default: row-standardized)")  # fmt: skip
    weights.add_argument("--out", required=True, help="output file: .gal, .gwt or .csv")
    weights.add_argument("--encoding", help="encoding of a CSV --data")
    weights.add_argument("--sheet", help="sheet of an Excel --data")
    from .io_command import add_io_parser

    add_io_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``liangye`` console command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from .demo import run_demo

            print(run_demo(args.out, bootstrap=args.bootstrap, seed=args.seed,
                           language=args.lang, quiet=args.quiet))  # fmt: skip
        elif args.command == "score":
            print(run_score(args))
        elif args.command == "sdm":
            print(run_sdm(args))
        elif args.command == "io":
            from .io_command import run_io

            print(run_io(args))
        else:
            print(run_weights(args))
    except LiangyeError as err:
        message = re.sub(r"\s+", " ", str(err)).strip()
        print(f"liangye {args.command}: error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
