"""The one validator of long (region, year) panels of the toolkit.

Every analysis that starts from a long table (coupling scores, disparity and
dynamics, spatial panel models, Moran's I and LISA, maps) passes it through
:func:`panel_arrays`, which returns the chosen columns as a year-major array
``(T, N, K)`` with sorted region and year labels. Problems raise the shared
errors of :mod:`spatial._core.errors` with messages that name the columns,
regions and years involved.

Panel keys are called ``region`` and ``year`` throughout the toolkit: a region
is any cross-sectional unit (a province, a city, a US state, a firm), a year any
period. Both are columns or the two levels of a MultiIndex.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import (
    ColumnNotFoundError,
    DuplicateObservationError,
    InvalidOptionError,
    MissingValueError,
    PanelBalanceWarning,
    SpecificationError,
    SpellingWarning,
    UnbalancedPanelError,
)
from .messages import format_items, nonfinite_cells, suggest
from .options import Balance, check_option

#: From this many rows the numeric columns are read as one block of the frame.
_BLOCK_ROWS = 5_000

__all__ = ["PanelArrays", "panel_arrays", "panel_keys", "require_columns", "rows_of_years"]


@dataclass(frozen=True)
class PanelArrays:
    """A validated panel as a year-major array.

    Attributes
    ----------
    values : ndarray, shape (T, N, K)
        ``values[t, i, k]`` is column ``k`` of region ``i`` in year ``t``; read-only, and
        possibly a strided view of the data's own columns (no copy is made of a frame
        already sorted by year or by region).
    regions, years : pandas.Index
        Sorted region and year labels (named after the key columns).
    columns : tuple of str
        Column names, in the order of the last axis.
    region_name, year_name : hashable
        Names of the key columns.
    dropped_regions : tuple
        Regions removed by ``balance="drop"``.
    merged_spellings : tuple of (kept, (others, ...))
        Province spellings unified to the first one seen (see
        :func:`spatial.geography.unify_province_labels`).
    """

    values: np.ndarray
    regions: pd.Index
    years: pd.Index
    columns: tuple[str, ...]
    region_name: Hashable
    year_name: Hashable
    dropped_regions: tuple[Hashable, ...] = ()
    merged_spellings: tuple[tuple[Hashable, tuple[Hashable, ...]], ...] = ()

    def index(self) -> pd.MultiIndex:
        """The (region, year) index of the region-major flattening of ``(N, T)`` outputs."""
        n, t = len(self.regions), len(self.years)
        return pd.MultiIndex(
            levels=[self.regions, self.years],
            codes=[np.repeat(np.arange(n), t), np.tile(np.arange(t), n)],
            names=[self.region_name, self.year_name],
        )

    def where(self, mask: np.ndarray) -> list[str]:
        """``(region, year)`` labels of the cells where ``mask`` (shape (T, N)) is true."""
        rows, cols = np.nonzero(mask)
        return [f"({self.regions[c]}, {self.years[r]})" for r, c in zip(rows, cols)]


def panel_keys(
    data: pd.DataFrame, region: Hashable | None, year: Hashable | None
) -> tuple[np.ndarray, np.ndarray, Hashable, Hashable]:
    """Region and year label arrays of a long panel, and their names.

    Keys are columns or index levels; both omitted means the two levels of a
    MultiIndex.

    Raises
    ------
    SpecificationError
        One key given without the other, or no keys and no two-level index.
    ColumnNotFoundError
        A key that is neither a column nor an index level (with a close-name hint).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    levels = list(data.index.names) if isinstance(data.index, pd.MultiIndex) else []
    if region is None and year is None:
        if len(levels) != 2:
            raise SpecificationError(
                "Name the region and year columns (region=..., year=...) or pass data with a "
                "two-level (region, year) MultiIndex."
            )
        return (
            data.index.get_level_values(0).to_numpy(),
            data.index.get_level_values(1).to_numpy(),
            levels[0],
            levels[1],
        )
    found = []
    for role, key in (("region", region), ("year", year)):
        if key is None:
            raise SpecificationError(f"Give both region and year (the {role} name is missing).")
        if key in data.columns:
            found.append(data[key].to_numpy())
        elif key in levels:
            found.append(data.index.get_level_values(levels.index(key)).to_numpy())
        else:
            raise ColumnNotFoundError(
                f"The {role} key {key!r} is neither a column nor an index level of the data."
                + suggest(str(key), data.columns)
            )
    return found[0], found[1], region, year


def labelled_keys(
    data: pd.DataFrame, region: Hashable | None, year: Hashable | None
) -> tuple[np.ndarray, np.ndarray, Hashable, Hashable]:
    """:func:`panel_keys`, refusing rows without a region or a year label.

    Raises
    ------
    MissingValueError
        Rows whose region or year label is missing (their number and the first row).
    """
    region_values, year_values, region_name, year_name = panel_keys(data, region, year)
    for role, labels in (("region", region_values), ("year", year_values)):
        absent = pd.isna(labels)
        if absent.any():
            raise MissingValueError(
                f"{int(absent.sum())} row(s) have no {role} label (first at row "
                f"{int(np.flatnonzero(absent)[0])})."
            )
    return region_values, year_values, region_name, year_name


def _unified_provinces(
    labels: np.ndarray, distinct: np.ndarray | None = None
) -> tuple[np.ndarray, tuple[tuple[Hashable, tuple[Hashable, ...]], ...]]:
    """Region labels with several spellings of a province unified, and what was merged
    (``distinct``: the distinct labels, when the caller knows them)."""
    from ..geography.provinces import unify_province_labels

    if distinct is None:
        distinct = pd.unique(labels)  # the spellings are read once each, not once per row
    unified, merged = unify_province_labels(distinct)
    if not merged:
        return labels, ()
    canonical = dict(zip(distinct, unified))
    shown = "; ".join(f"{', '.join(map(str, others))} -> {kept}" for kept, others in merged.items())
    warnings.warn(
        f"Province names spelled in more than one way were unified to the first spelling: {shown}.",
        SpellingWarning,
        stacklevel=4,
    )
    out = np.empty(len(labels), dtype=object)
    out[:] = [canonical[label] for label in labels]
    return out, tuple((kept, tuple(others)) for kept, others in merged.items())


def _numeric_block(
    data: pd.DataFrame, columns: Sequence[str], regions: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """The chosen columns as float64, with errors naming every bad column and cell."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        hints = "".join(suggest(c, data.columns) for c in missing)
        raise ColumnNotFoundError(
            f"Column(s) {missing} are not in the data.{hints} "
            f"Available columns: {format_items(list(data.columns), 12)}."
        )
    repeated = {c for c in columns if list(columns).count(c) > 1}
    if data.columns.has_duplicates:
        repeated |= set(data.columns[data.columns.duplicated()]) & set(columns)
    if repeated:
        raise SpecificationError(f"Column(s) {sorted(repeated)} are named more than once.")
    problems = []
    arrays = []
    coerced_any = False
    for col in columns:
        series = data[col]
        if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            coerced = pd.to_numeric(series, errors="coerce")
            bad = np.flatnonzero(coerced.isna().to_numpy() & series.notna().to_numpy())
            if bad.size:
                where = [f"{series.iloc[i]!r} at ({regions[i]}, {years[i]})" for i in bad]
                problems.append(f"{col!r}: {bad.size} cell(s), e.g. {format_items(where, 3)}")
            series, coerced_any = coerced, True
        arrays.append(series)
    if problems:
        raise MissingValueError(
            f"Non-numeric values in {len(problems)} column(s): {'; '.join(problems)}. Convert "
            "them to numbers (numbers written with thousands separators: read the file with "
            "thousands=',')."
        )
    if not arrays:
        return np.empty((len(data), 0))
    if len(data) >= _BLOCK_ROWS and not coerced_any:
        # large frames: a view of pandas' own column block, no copy of the data
        return data[list(columns)].to_numpy(dtype=np.float64, na_value=np.nan)
    # small frames: stacking the columns avoids the cost of a column subset of the frame
    return np.column_stack([s.to_numpy(dtype=np.float64, na_value=np.nan) for s in arrays])


def _sorted_grid(
    regions: np.ndarray, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """The fast path of :func:`panel_arrays`: when the rows are every (region, year) pair
    once, sorted by year then region (``year_major``) or by region then year, with sorted
    labels, the sorted regions and years and which of the two layouts it is; else None
    (and the general route factorizes the labels)."""
    m = len(years)
    if m < 2:
        return None
    try:
        for year_major in (True, False):
            slow, fast = (years, regions) if year_major else (regions, years)
            changes = np.flatnonzero(slow[1:] != slow[:-1])
            block = int(changes[0]) + 1 if changes.size else m
            if m % block:
                continue
            grid_slow = slow.reshape(-1, block)
            grid_fast = fast.reshape(-1, block)
            first_slow, first_fast = grid_slow[:, 0], grid_fast[0]
            if (
                bool((grid_slow == first_slow[:, None]).all())
                and bool((grid_fast == first_fast[None, :]).all())
                and bool((first_slow[1:] > first_slow[:-1]).all())
                and bool((first_fast[1:] > first_fast[:-1]).all())
            ):
                if year_major:
                    return first_fast, first_slow, True
                return first_slow, first_fast, False
    except TypeError:  # labels of mixed types: the general route sorts them
        return None
    return None


def _read_only(values: np.ndarray) -> np.ndarray:
    """``values`` (a view where it may share the caller's data) that no one can write to."""
    view = values.view()
    view.flags.writeable = False
    return view


def panel_arrays(
    data: pd.DataFrame,
    columns: Sequence[str],
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    balance: Balance = "error",
    allow_missing: bool = False,
) -> PanelArrays:
    """Validate a long (region, year) panel and return it as a ``(T, N, K)`` array.

    Parameters
    ----------
    data : DataFrame
        One row per region-year; region and year in columns or in a two-level
        index. It is never modified.
    columns : sequence of str
        Numeric columns, in the order wanted on the last axis.
    region, year : hashable, optional
        Column (or index level) names; both omitted means the first and second
        levels of a MultiIndex.
    balance : {"error", "drop"}
        An unbalanced panel raises :class:`UnbalancedPanelError` (default) or,
        with ``"drop"``, loses every region not observed in all years, with a
        :class:`PanelBalanceWarning` naming them (and recorded in
        ``dropped_regions``).
    allow_missing : bool, default False
        Keep missing values and absent region-years as NaN instead of raising
        (for maps, which draw them as "no data"); ``balance`` is then ignored.

    Returns
    -------
    PanelArrays

    Raises
    ------
    ColumnNotFoundError, MissingValueError, DuplicateObservationError, UnbalancedPanelError
        Each message names the columns, regions and years involved.

    Warns
    -----
    SpellingWarning
        Province names spelled in several ways (内蒙古 in some years, 内蒙古自治区 in
        others) count as one region, labelled with the first spelling seen.

    Examples
    --------
    >>> frame = pd.DataFrame({"province": ["B", "A", "B", "A"], "year": [2020, 2020, 2021, 2021],
    ...                       "x": [1.0, 2.0, 3.0, 4.0]})
    >>> panel = panel_arrays(frame, ["x"], "province", "year")
    >>> list(panel.regions), panel.values[:, :, 0].tolist()
    (['A', 'B'], [[2.0, 1.0], [4.0, 3.0]])
    """
    check_option("balance", balance, ("error", "drop"))
    region_values, year_values, region_name, year_name = labelled_keys(data, region, year)
    grid = _sorted_grid(region_values, year_values)
    region_values, merged = _unified_provinces(region_values, None if grid is None else grid[0])
    if merged:  # spellings merged: the rows are no longer a grid of distinct labels
        grid = None
    columns = [str(c) for c in columns]
    values = _numeric_block(data, columns, region_values, year_values)
    if not allow_missing:
        where = nonfinite_cells(
            values, lambda r, c: f"{columns[c]!r} at ({region_values[r]}, {year_values[r]})"
        )
        if where:
            raise MissingValueError(
                f"{len(where)} missing or infinite value(s): {format_items(where)}. Fill or drop "
                "them (and keep the panel balanced) first."
            )
    if grid is not None:
        regions, years, year_major = grid
        n, t, k = len(regions), len(grid[1]), len(columns)
        # a view in the (T, N, K) layout, not a copy (strided when the rows are by region)
        cube = values.reshape(t, n, k) if year_major else values.reshape(n, t, k).swapaxes(0, 1)
        dropped: tuple[Hashable, ...] = ()
    else:
        cube, regions, years, dropped = _scattered(
            values, region_values, year_values, balance, allow_missing
        )
    return PanelArrays(
        values=_read_only(cube),
        regions=pd.Index(regions, name=region_name),
        years=pd.Index(years, name=year_name),
        columns=tuple(columns),
        region_name=region_name,
        year_name=year_name,
        dropped_regions=dropped,
        merged_spellings=merged,
    )


def _scattered(
    values: np.ndarray,
    region_values: np.ndarray,
    year_values: np.ndarray,
    balance: Balance,
    allow_missing: bool,
) -> tuple[np.ndarray, Any, Any, tuple[Hashable, ...]]:
    """The general route of :func:`panel_arrays`: rows in any order, labels factorized and
    sorted, duplicates refused, gaps refused (or dropped, or kept as NaN); returns the
    ``(T, N, K)`` values, the regions, the years and the dropped regions."""
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
    if (counts == 0).any() and not allow_missing:
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
            stacklevel=4,
        )
        dropped = tuple(incomplete)
        new_code = np.cumsum(complete) - 1
        values, year_codes = values[keep_rows], year_codes[keep_rows]
        region_codes = new_code[region_codes[keep_rows]]
        regions = regions[complete]
        n = len(regions)
        cell = year_codes * n + region_codes
    if not np.array_equal(cell, np.arange(n * t)):
        ordered = np.full((n * t, values.shape[1]), np.nan)
        ordered[cell] = values
        values = ordered
    return values.reshape(t, n, -1), regions, years, dropped


def require_columns(table: pd.DataFrame, columns: Sequence[Hashable]) -> None:
    """Raise :class:`ColumnNotFoundError` listing every column of ``columns`` not in ``table``."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"Expected a pandas DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        hints = "".join(suggest(str(c), table.columns) for c in missing)
        raise ColumnNotFoundError(
            f"Column(s) {format_items([repr(c) for c in missing])} are not in the table; its "
            f"columns are {format_items(list(table.columns), 12)}.{hints}"
        )


def rows_of_years(table: pd.DataFrame, year: Hashable, years: Sequence[Any] | None) -> pd.DataFrame:
    """The rows of ``table`` whose ``year`` is one of ``years`` (all rows when None).

    Raises
    ------
    InvalidOptionError
        ``years`` is empty or names a year the table does not have.
    """
    if years is None:
        return table
    wanted = list(years)
    absent = [y for y in wanted if y not in set(table[year])]
    if absent or not wanted:
        raise InvalidOptionError(
            f"Year(s) {format_items(absent) or '(none)'} are not in the table."
        )
    return table[table[year].isin(wanted)]
