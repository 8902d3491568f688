"""Indicator systems and the conversion of a long panel into arrays.

:class:`IndicatorSystem` says which indicator belongs to which subsystem and in
which direction it counts. :func:`panel_arrays` validates a (region, year)
panel against a system and returns a year-major array ``(T, N, J)`` with the
sorted region and year labels. This is the only place where the coupling
engine touches pandas on the way in.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from spatial._core.common import check_option, format_items, nonfinite_cells, panel_keys, suggest

from .classify import KNOWN_NAMES_ZH
from .exceptions import (
    DuplicateObservationError,
    IndicatorNotFoundError,
    InvalidOptionError,
    MissingValueError,
    PanelBalanceWarning,
    SpecificationError,
    UnbalancedPanelError,
)

__all__ = ["Direction", "IndicatorSystem", "PanelArrays", "panel_arrays"]

Direction = Literal["+", "-"]
Balance = Literal["error", "drop"]
IndicatorSpec = Mapping[str, Direction] | Sequence[tuple[str, Direction]]


class IndicatorSystem:
    """Subsystems, their indicators and each indicator's direction.

    Parameters
    ----------
    subsystems : mapping
        ``{subsystem: {indicator: "+" or "-"}}``. Each inner value may also be a
        sequence of ``(indicator, direction)`` pairs, which lets an indicator
        listed twice be caught (a dict literal silently keeps the last one).
        ``"+"`` marks a positive (benefit) indicator, ``"-"`` a negative (cost)
        indicator.
    names_zh : mapping, optional
        Chinese names of the subsystems, used in Chinese lag-type labels.
        ``manufacturing`` and ``services`` are known (制造业, 服务业); other
        subsystems default to their own name.

    Raises
    ------
    SpecificationError
        Fewer than one subsystem, an empty subsystem, a direction other than
        ``"+"``/``"-"``, or an indicator listed twice (in one subsystem or two).

    Examples
    --------
    >>> system = IndicatorSystem({
    ...     "manufacturing": {"revenue": "+", "energy_per_output": "-"},
    ...     "services": [("value_added", "+"), ("employment", "+")],
    ... })
    >>> system.indicators
    ('revenue', 'energy_per_output', 'value_added', 'employment')
    """

    __slots__ = ("_names_zh", "_spec")

    def __init__(
        self,
        subsystems: Mapping[str, IndicatorSpec],
        names_zh: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(subsystems, Mapping) or len(subsystems) == 0:
            raise SpecificationError(
                "An indicator system needs a mapping {subsystem: {indicator: '+' or '-'}} "
                "with at least one subsystem."
            )
        spec: list[tuple[str, tuple[tuple[str, Direction], ...]]] = []
        seen: dict[str, str] = {}
        for name, members in subsystems.items():
            pairs = list(members.items()) if isinstance(members, Mapping) else list(members)
            if not pairs:
                raise SpecificationError(f"Subsystem {name!r} has no indicators.")
            checked: list[tuple[str, Direction]] = []
            for pair in pairs:
                if not (isinstance(pair, tuple) and len(pair) == 2):
                    raise SpecificationError(
                        f"Subsystem {name!r}: expected (indicator, direction) pairs, got {pair!r}."
                    )
                indicator, direction = pair
                if direction not in ("+", "-"):
                    raise SpecificationError(
                        f"Indicator {indicator!r} in subsystem {name!r} has direction "
                        f"{direction!r}; use '+' (more is better) or '-' (less is better)."
                    )
                if indicator in seen:
                    raise SpecificationError(
                        f"Indicator {indicator!r} is listed twice (in subsystem {seen[indicator]!r}"
                        f" and {name!r}); each indicator may appear once."
                    )
                seen[indicator] = str(name)
                checked.append((str(indicator), direction))
            spec.append((str(name), tuple(checked)))
        self._spec = tuple(spec)
        names = dict(names_zh or {})
        unknown = sorted(set(names) - {s for s, _ in spec})
        if unknown:
            raise SpecificationError(f"names_zh names unknown subsystems: {unknown}.")
        self._names_zh = {s: names.get(s, KNOWN_NAMES_ZH.get(s, s)) for s, _ in spec}

    @classmethod
    def from_frame(
        cls,
        table: pd.DataFrame,
        subsystem: str = "subsystem",
        indicator: str = "indicator",
        direction: str = "direction",
    ) -> IndicatorSystem:
        """Build a system from a table with one row per indicator.

        Directions may be written ``+``/``-`` or ``positive``/``negative``.
        """
        missing = [c for c in (subsystem, indicator, direction) if c not in table.columns]
        if missing:
            raise SpecificationError(
                f"The specification table lacks column(s) {missing}; it has {list(table.columns)}."
            )
        aliases = {"+": "+", "-": "-", "positive": "+", "negative": "-"}
        spec: dict[str, list[tuple[str, Direction]]] = {}
        for sub, ind, dirn in table[[subsystem, indicator, direction]].itertuples(index=False):
            key = str(dirn).strip().lower()
            spec.setdefault(str(sub), []).append((str(ind), aliases.get(key, key)))  # type: ignore[arg-type]
        return cls(spec)

    @property
    def subsystems(self) -> tuple[str, ...]:
        """Subsystem names, in the order given."""
        return tuple(s for s, _ in self._spec)

    @property
    def indicators(self) -> tuple[str, ...]:
        """All indicator names, subsystem by subsystem."""
        return tuple(i for _, pairs in self._spec for i, _ in pairs)

    @property
    def directions(self) -> np.ndarray:
        """``+1`` for positive and ``-1`` for negative indicators, in indicator order."""
        return np.array(
            [1 if d == "+" else -1 for _, pairs in self._spec for _, d in pairs], dtype=np.int8
        )

    @property
    def groups(self) -> np.ndarray:
        """Index of the subsystem of each indicator, in indicator order."""
        return np.array(
            [k for k, (_, pairs) in enumerate(self._spec) for _ in pairs], dtype=np.intp
        )

    @property
    def names_zh(self) -> dict[str, str]:
        """Chinese subsystem names used in labels."""
        return dict(self._names_zh)

    def indicators_of(self, subsystem: str) -> tuple[str, ...]:
        """Indicator names of one subsystem."""
        for name, pairs in self._spec:
            if name == subsystem:
                return tuple(i for i, _ in pairs)
        raise SpecificationError(
            f"No subsystem {subsystem!r}; the system has {list(self.subsystems)}."
            + suggest(subsystem, self.subsystems)
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: subsystem, indicator, direction."""
        return pd.DataFrame(
            [(s, i, d) for s, pairs in self._spec for i, d in pairs],
            columns=["subsystem", "indicator", "direction"],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndicatorSystem) and self._spec == other._spec

    def __hash__(self) -> int:
        return hash(self._spec)

    def __repr__(self) -> str:
        body = ", ".join(
            f"{s!r}: {{{', '.join(f'{i!r}: {d!r}' for i, d in pairs)}}}" for s, pairs in self._spec
        )
        return f"IndicatorSystem({{{body}}})"


@dataclass(frozen=True)
class PanelArrays:
    """A validated balanced panel as a year-major array.

    Attributes
    ----------
    values : ndarray, shape (T, N, J)
        Indicator values; ``values[t, i, j]`` is indicator ``j`` of region ``i``
        in year ``t``.
    regions, years : pandas.Index
        Sorted region and year labels.
    indicators : tuple of str
        Column names, in the order of the last axis.
    region_name, year_name : hashable
        Names to give the (region, year) index of outputs.
    dropped_regions : tuple
        Regions removed by ``balance="drop"``.
    """

    values: np.ndarray
    regions: pd.Index
    years: pd.Index
    indicators: tuple[str, ...]
    region_name: Hashable
    year_name: Hashable
    dropped_regions: tuple[Hashable, ...] = ()

    def index(self) -> pd.MultiIndex:
        """The (region, year) index of the region-major flattening of ``(N, T)`` outputs."""
        n, t = len(self.regions), len(self.years)
        return pd.MultiIndex(
            levels=[self.regions, self.years],
            codes=[np.repeat(np.arange(n), t), np.tile(np.arange(t), n)],
            names=[self.region_name, self.year_name],
        )


def _keys(
    data: pd.DataFrame, region: Hashable | None, year: Hashable | None
) -> tuple[np.ndarray, np.ndarray, Hashable, Hashable]:
    """Region and year label arrays, from columns or from a two-level index."""
    return panel_keys(
        data,
        region,
        year,
        roles=("region", "year"),
        spec_error=SpecificationError,
        missing_error=IndicatorNotFoundError,
    )


def _numeric_values(
    data: pd.DataFrame, indicators: Sequence[str], regions: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """The indicator block as float64, with errors naming column, region and year."""
    missing = [c for c in indicators if c not in data.columns]
    if missing:
        hints = "".join(suggest(c, [str(k) for k in data.columns]) for c in missing)
        raise IndicatorNotFoundError(
            f"Indicator column(s) {missing} are not in the data.{hints} "
            f"Available columns: {format_items(list(data.columns), 12)}."
        )
    repeated = [c for c in indicators if int((data.columns == c).sum()) > 1]
    if repeated:
        raise SpecificationError(f"The data has more than one column named {repeated}.")
    for col in indicators:
        series = data[col]
        if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            coerced = pd.to_numeric(series, errors="coerce")
            bad = np.flatnonzero(coerced.isna().to_numpy() & series.notna().to_numpy())
            if bad.size:
                where = [f"{series.iloc[i]!r} at ({regions[i]}, {years[i]})" for i in bad]
                raise MissingValueError(
                    f"Column {col!r} has {bad.size} non-numeric value(s): {format_items(where)}. "
                    "Convert the column to numbers before scoring."
                )
    values = data[list(indicators)].to_numpy(dtype=np.float64, na_value=np.nan)
    where = nonfinite_cells(values, lambda r, c: f"{indicators[c]!r} at ({regions[r]}, {years[r]})")
    if where:
        raise MissingValueError(
            f"{len(where)} missing or infinite value(s): {format_items(where)}. Fill or drop them "
            "(and keep the panel balanced) before scoring."
        )
    return values


def panel_arrays(
    data: pd.DataFrame,
    indicators: Sequence[str],
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    balance: Balance = "error",
) -> PanelArrays:
    """Validate a long (region, year) panel and return it as a ``(T, N, J)`` array.

    Parameters
    ----------
    data : DataFrame
        One row per region-year; region and year in columns or in a two-level
        index. It is never modified.
    indicators : sequence of str
        Indicator columns, in the order wanted on the last axis.
    region, year : hashable, optional
        Column (or index level) names; both omitted means the first and second
        levels of a MultiIndex.
    balance : {"error", "drop"}
        An unbalanced panel raises :class:`UnbalancedPanelError` (default) or,
        with ``"drop"``, loses every region not observed in all years, with a
        :class:`PanelBalanceWarning` naming them.

    Raises
    ------
    IndicatorNotFoundError, MissingValueError, DuplicateObservationError,
    UnbalancedPanelError
        Each message names the columns, regions and years involved.
    """
    check_option("balance", balance, ("error", "drop"), InvalidOptionError)
    region_values, year_values, region_name, year_name = _keys(data, region, year)
    for role, labels in (("region", region_values), ("year", year_values)):
        absent = pd.isna(labels)
        if absent.any():
            raise MissingValueError(
                f"{int(absent.sum())} row(s) have no {role} label (first at row "
                f"{int(np.flatnonzero(absent)[0])})."
            )
    values = _numeric_values(data, indicators, region_values, year_values)
    region_codes, regions = pd.factorize(region_values, sort=True)
    year_codes, years = pd.factorize(year_values, sort=True)
    n, t = len(regions), len(years)
    cell = year_codes * n + region_codes
    counts = np.bincount(cell, minlength=n * t)
    if (counts > 1).any():
        dup = np.flatnonzero(counts > 1)
        pairs = [f"({regions[c % n]}, {years[c // n]})" for c in dup]
        raise DuplicateObservationError(
            f"{dup.size} (region, year) pair(s) occur more than once: {format_items(pairs)}. "
            "Aggregate or remove the duplicates."
        )
    dropped: tuple[Hashable, ...] = ()
    if (counts == 0).any():
        complete = np.asarray((counts.reshape(t, n) > 0).all(axis=0))
        incomplete = [regions[i] for i in np.flatnonzero(~complete)]
        if balance == "error":
            gaps = np.flatnonzero(counts == 0)
            pairs = [f"({regions[c % n]}, {years[c // n]})" for c in gaps]
            raise UnbalancedPanelError(
                f"The panel is unbalanced: {gaps.size} region-year(s) are missing, e.g. "
                f"{format_items(pairs)}; regions affected: {format_items(incomplete)}. Pass "
                "balance='drop' to drop those regions, or subset the data yourself."
            )
        if not complete.any():
            raise UnbalancedPanelError(
                "No region is observed in every year; balance='drop' would drop them all."
            )
        keep_rows = complete[region_codes]
        warnings.warn(
            f"balance='drop' removed {len(incomplete)} region(s) not observed in all {t} years "
            f"({int((~keep_rows).sum())} rows): {format_items(incomplete, 20)}.",
            PanelBalanceWarning,
            stacklevel=3,
        )
        dropped = tuple(incomplete)
        new_code = np.cumsum(complete) - 1
        values, year_codes = values[keep_rows], year_codes[keep_rows]
        region_codes = new_code[region_codes[keep_rows]]
        regions = regions[complete]
        n = len(regions)
        cell = year_codes * n + region_codes
    if not np.array_equal(cell, np.arange(cell.size)):
        ordered = np.empty_like(values)
        ordered[cell] = values
        values = ordered
    return PanelArrays(
        values=values.reshape(t, n, len(indicators)),
        regions=pd.Index(regions, name=region_name),
        years=pd.Index(years, name=year_name),
        indicators=tuple(indicators),
        region_name=region_name,
        year_name=year_name,
        dropped_regions=dropped,
    )
