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

from spatial._core.common import format_items, nonfinite_cells, panel_keys, suggest

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
    entities, times, entity_name, time_name = panel_keys(
        data,
        entity,
        time,
        roles=("entity", "time"),
        spec_error=SpecificationError,
        missing_error=SpecificationError,
    )
    for role, labels in (("entity", entities), ("time", times)):
        if pd.isna(labels).any():
            raise PanelStructureError(f"Some rows have no {role} label.")
    columns = [data[v] for v in names]
    non_numeric = [v for v, c in zip(names, columns) if not pd.api.types.is_numeric_dtype(c.dtype)]
    if non_numeric:
        raise PanelStructureError(f"Column(s) {non_numeric} are not numeric.")
    values = np.column_stack([c.to_numpy(dtype=np.float64, na_value=np.nan) for c in columns])
    where = nonfinite_cells(values, lambda r, c: f"{names[c]!r} at ({entities[r]}, {times[r]})")
    if where:
        raise PanelStructureError(
            f"{len(where)} missing or infinite value(s): {format_items(where)}."
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
