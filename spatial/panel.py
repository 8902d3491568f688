"""Validation of a spatial panel and its alignment to W by entity id.

:func:`spatial_panel` turns a long DataFrame (entity, time, y, x...) and a
:class:`SpatialWeights` into time-major arrays ``y (T, N)`` and ``X (T, N, K)``
whose entity axis follows W's ids. Problems raise errors that name the
variables, entities and periods involved.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupling._common import format_items, suggest

from .exceptions import PanelStructureError, SpecificationError, WeightsAlignmentError, WeightsError
from .weights import SpatialWeights

__all__ = ["SpatialPanelData", "spatial_panel"]


@dataclass(frozen=True)
class SpatialPanelData:
    """A balanced panel aligned to W.

    Attributes
    ----------
    y : ndarray, shape (T, N)
    x : ndarray, shape (T, N, K)
    y_name : str
    x_names : tuple of str
    entities : pandas.Index
        Entity labels in W's order (the N axis).
    times : pandas.Index
        Sorted period labels (the T axis).
    w : SpatialWeights
        W reordered to ``entities``.
    entity_name, time_name : hashable
    """

    y: np.ndarray
    x: np.ndarray
    y_name: str
    x_names: tuple[str, ...]
    entities: pd.Index
    times: pd.Index
    w: SpatialWeights
    entity_name: Hashable
    time_name: Hashable

    @property
    def n(self) -> int:
        """Number of entities."""
        return self.y.shape[1]

    @property
    def t(self) -> int:
        """Number of periods."""
        return self.y.shape[0]


def _keys(
    data: pd.DataFrame, entity: Hashable | None, time: Hashable | None
) -> tuple[np.ndarray, np.ndarray, Hashable, Hashable]:
    levels = list(data.index.names) if isinstance(data.index, pd.MultiIndex) else []
    if entity is None and time is None:
        if len(levels) != 2:
            raise SpecificationError(
                "Name the entity and time columns (entity=..., time=...) or pass data with a "
                "two-level (entity, time) MultiIndex."
            )
        return (
            data.index.get_level_values(0).to_numpy(),
            data.index.get_level_values(1).to_numpy(),
            levels[0],
            levels[1],
        )
    found = []
    for role, key in (("entity", entity), ("time", time)):
        if key is None:
            raise SpecificationError(f"Give both entity and time (the {role} name is missing).")
        if key in data.columns:
            found.append(data[key].to_numpy())
        elif key in levels:
            found.append(data.index.get_level_values(key).to_numpy())
        else:
            raise SpecificationError(
                f"The {role} key {key!r} is neither a column nor an index level."
                + suggest(str(key), [str(c) for c in data.columns])
            )
    return found[0], found[1], entity, time


def spatial_panel(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: SpatialWeights,
    entity: Hashable | None = None,
    time: Hashable | None = None,
) -> SpatialPanelData:
    """Validate a long panel and align it to W.

    Parameters
    ----------
    data : DataFrame
        One row per (entity, time); keys as columns or a two-level index. Not
        modified.
    y : str
        Dependent variable.
    x : sequence of str
        Regressors.
    w : SpatialWeights
        Weights whose ids are the entities.
    entity, time : hashable, optional
        Key names; both omitted means the levels of a MultiIndex.

    Raises
    ------
    SpecificationError, PanelStructureError, WeightsAlignmentError, WeightsError
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    if not isinstance(w, SpatialWeights):
        raise SpecificationError(
            f"w must be a SpatialWeights, got {type(w).__name__}; build one with "
            "SpatialWeights.from_dataframe / from_libpysal / from_sparse."
        )
    names = [y, *x]
    if len(x) == 0:
        raise SpecificationError("Give at least one regressor in x.")
    repeated = sorted({v for v in names if names.count(v) > 1})
    if repeated:
        raise SpecificationError(f"Variable(s) {repeated} are listed more than once.")
    missing = [v for v in names if v not in data.columns]
    if missing:
        hints = "".join(suggest(v, [str(c) for c in data.columns]) for v in missing)
        raise SpecificationError(f"Column(s) {missing} are not in the data.{hints}")
    entities, times, entity_name, time_name = _keys(data, entity, time)
    for role, labels in (("entity", entities), ("time", times)):
        if pd.isna(labels).any():
            raise PanelStructureError(f"Some rows have no {role} label.")
    columns = [data[v] for v in names]
    non_numeric = [v for v, c in zip(names, columns) if not pd.api.types.is_numeric_dtype(c.dtype)]
    if non_numeric:
        raise PanelStructureError(f"Column(s) {non_numeric} are not numeric.")
    values = np.column_stack([c.to_numpy(dtype=np.float64, na_value=np.nan) for c in columns])
    bad = ~np.isfinite(values)
    if bad.any():
        rows, cols = np.nonzero(bad)
        where = [f"{names[c]!r} at ({entities[r]}, {times[r]})" for r, c in zip(rows, cols)]
        raise PanelStructureError(
            f"{rows.size} missing or infinite value(s): {format_items(where)}."
        )
    islands = w.islands
    if islands:
        raise WeightsError(
            f"W has entities without neighbours (islands): {format_items(list(islands))}. Link "
            "them (e.g. to their nearest neighbour) or drop them from the data and from W."
        )
    entity_codes = w.id_index.get_indexer(entities)
    unknown = list(pd.unique(entities[entity_codes < 0])) if (entity_codes < 0).any() else []
    present = np.zeros(w.n, dtype=bool)
    present[entity_codes[entity_codes >= 0]] = True
    absent = [w.ids[i] for i in np.flatnonzero(~present)]
    if unknown or absent:
        hint = ""
        if {str(u) for u in unknown} & {str(i) for i in w.ids}:
            hint = " Some labels match as text: make the id types agree (e.g. all str)."
        raise WeightsAlignmentError(
            f"Data entities and W ids do not match: in the data but not in W: "
            f"{format_items(unknown)}; in W but not in the data: {format_items(absent)}.{hint}"
        )
    aligned = w
    time_codes, periods = pd.factorize(times, sort=True)
    n, t = aligned.n, len(periods)
    cell = time_codes * n + entity_codes
    counts = np.bincount(cell, minlength=n * t)
    if (counts > 1).any():
        dup = np.flatnonzero(counts > 1)
        pairs = [f"({aligned.ids[c % n]}, {periods[c // n]})" for c in dup]
        raise PanelStructureError(
            f"{dup.size} (entity, time) pair(s) occur more than once: {format_items(pairs)}."
        )
    if (counts == 0).any():
        gaps = np.flatnonzero(counts == 0)
        pairs = [f"({aligned.ids[c % n]}, {periods[c // n]})" for c in gaps]
        raise PanelStructureError(
            f"The panel is unbalanced: {gaps.size} (entity, time) pair(s) are missing, e.g. "
            f"{format_items(pairs)}. Spatial panel models need every entity in every period."
        )
    ordered = np.empty_like(values)
    ordered[cell] = values
    ordered = ordered.reshape(t, n, len(names))
    return SpatialPanelData(
        y=ordered[:, :, 0],
        x=ordered[:, :, 1:],
        y_name=str(y),
        x_names=tuple(str(v) for v in x),
        entities=pd.Index(aligned.ids, name=entity_name),
        times=pd.Index(periods, name=time_name),
        w=aligned,
        entity_name=entity_name,
        time_name=time_name,
    )
