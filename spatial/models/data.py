"""A spatial panel: the validated long panel aligned to W by region id.

:func:`spatial_panel` passes the data through the toolkit's one panel validator
(:func:`spatial._core.panel.panel_arrays`) and reorders the region axis to the
ids of a :class:`~spatial.weights.SpatialWeights` with :func:`align_to_weights`,
giving time-major arrays ``y (T, N)`` and ``X (T, N, K)``. W is matched to the
data by id labels, never by position.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .._core.errors import PanelStructureError, SpecificationError
from .._core.messages import format_items
from .._core.panel import PanelArrays, panel_arrays
from ..exceptions import WeightsAlignmentError, WeightsError
from ..weights import SpatialWeights

__all__ = [
    "SpatialPanelData",
    "align_to_weights",
    "check_weights",
    "induced_weights",
    "resample_regions",
    "spatial_panel",
]


@dataclass(frozen=True)
class SpatialPanelData:
    """A balanced panel aligned to W.

    Attributes
    ----------
    y : ndarray, shape (T, N)
    x : ndarray, shape (T, N, K)
    y_name : str
    x_names : tuple of str
    regions : pandas.Index
        The data's region labels in W's order (the N axis).
    years : pandas.Index
        Sorted period labels (the T axis).
    w : SpatialWeights
        W, whose ids are ``regions`` (or their province codes).
    region_name, year_name : hashable
        Names of the key columns.
    """

    y: np.ndarray
    x: np.ndarray
    y_name: str
    x_names: tuple[str, ...]
    regions: pd.Index
    years: pd.Index
    w: SpatialWeights
    region_name: Hashable
    year_name: Hashable

    @property
    def n(self) -> int:
        """Number of regions."""
        return self.y.shape[1]

    @property
    def t(self) -> int:
        """Number of periods."""
        return self.y.shape[0]


def check_weights(w: object) -> SpatialWeights:
    """``w`` if it is a :class:`SpatialWeights`, else a :class:`SpecificationError` saying how
    to build one."""
    if not isinstance(w, SpatialWeights):
        raise SpecificationError(
            f"w must be a SpatialWeights, got {type(w).__name__}; build one with "
            "spatial.weights.china_provinces(), SpatialWeights.from_dataframe / from_libpysal / "
            "from_sparse, or read_weights."
        )
    return w


def _alignment_hint(only_data: Sequence[Hashable], w: SpatialWeights) -> str:
    """Why the labels may not match: id types, or province names against codes."""
    ids_text = {str(i) for i in w.ids}
    if any(str(r) in ids_text for r in only_data):
        return " Some labels match as text: make the id types agree (e.g. all str)."
    from ..geography import ProvinceNameError, province_codes, resolve_provinces

    if set(map(str, w.ids)) <= set(province_codes()):
        try:
            resolve_provinces(only_data)
        except ProvinceNameError:
            return ""
        return (
            " W's ids are 2-digit province codes and the data have names: convert them with "
            "spatial.geography.resolve_provinces(data[region])."
        )
    return ""


def _codes_in_weights(regions: pd.Index, w: SpatialWeights) -> np.ndarray:
    """Position in W of each region: by label, or, when W's ids are province codes and
    the data name the provinces (in any spelling), by the resolved code."""
    codes = w.id_index.get_indexer(regions)
    if (codes >= 0).all():
        return codes
    from ..geography import ProvinceNameError, province_codes, resolve_provinces

    if set(map(str, w.ids)) <= set(province_codes()):
        try:
            resolved = resolve_provinces(regions)
        except ProvinceNameError:
            return codes
        position = {str(i): k for k, i in enumerate(w.ids)}
        by_code = np.array([position.get(c, -1) for c in resolved], dtype=np.intp)
        if (by_code >= 0).all() and len(set(resolved)) == len(resolved):
            return by_code
    return codes


def align_to_weights(panel: PanelArrays, w: SpatialWeights) -> tuple[np.ndarray, pd.Index]:
    """The values of ``panel`` with the region axis in the order of ``w.ids``, and the
    data's region labels in that order.

    Regions are matched to W's ids by label; when W's ids are the 2-digit province
    codes of :func:`spatial.weights.china_provinces` and the data name the provinces
    (in any spelling of :func:`spatial.geography.resolve_provinces`), by the resolved
    code, and the data's labels are kept.

    Raises
    ------
    WeightsAlignmentError
        Regions of the data not in W, or ids of W not in the data (the first
        few of each side are listed, with a hint when the types or the spelling
        differ).
    """
    if panel.regions.equals(w.id_index):  # already in W's order
        return panel.values, pd.Index(panel.regions, name=panel.region_name)
    codes = _codes_in_weights(panel.regions, w)
    only_data = [r for r, c in zip(panel.regions, codes) if c < 0]
    present = np.zeros(w.n, dtype=bool)
    present[codes[codes >= 0]] = True
    only_w = [w.ids[i] for i in np.flatnonzero(~present)]
    if only_data or only_w:
        raise WeightsAlignmentError(
            f"The regions of the data and the ids of W do not match: in the data but not in W: "
            f"{format_items(only_data) or 'none'}; in W but not in the data: "
            f"{format_items(only_w) or 'none'} (data: {len(panel.regions)} regions, e.g. "
            f"{format_items(list(panel.regions), 3)}; W: {w.n} ids, e.g. "
            f"{format_items(list(w.ids), 3)}). W is matched to the data by id: subset W with "
            f"w.reorder(ids) or the data to the same regions.{_alignment_hint(only_data, w)}"
        )
    order = np.argsort(codes)
    return panel.values[:, order], pd.Index(panel.regions[order], name=panel.region_name)


def spatial_panel(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: SpatialWeights,
    *,
    region: Hashable | None = None,
    year: Hashable | None = None,
) -> SpatialPanelData:
    """Validate a long panel and align it to W.

    Parameters
    ----------
    data : DataFrame
        One row per (region, year); keys as columns or a two-level index. Not
        modified.
    y : str
        Dependent variable.
    x : sequence of str
        Regressors.
    w : SpatialWeights
        Weights whose ids are the regions.
    region, year : hashable, optional
        Key names; both omitted means the levels of a MultiIndex.

    Raises
    ------
    SpecificationError, ColumnNotFoundError, PanelStructureError (and its
    MissingValueError, DuplicateObservationError, UnbalancedPanelError),
    WeightsAlignmentError, WeightsError
    """
    check_weights(w)
    x = [x] if isinstance(x, str) else list(x)
    names = [y, *x]
    if len(x) == 0:
        raise SpecificationError("Give at least one regressor in x.")
    repeated = sorted({v for v in names if names.count(v) > 1})
    if repeated:
        raise SpecificationError(f"Variable(s) {repeated} are listed more than once.")
    panel = panel_arrays(data, names, region, year)
    if len(panel.regions) < 2:
        raise PanelStructureError(
            f"A spatial panel needs at least 2 regions; got {len(panel.regions)}."
        )
    islands = w.islands
    if islands:
        raise WeightsError(
            f"W has regions without neighbours (islands): {format_items(list(islands))}. Link "
            "them (e.g. to their nearest neighbour, or spatial.weights.china_provinces(), which "
            "links Hainan to Guangdong) or drop them from the data and from W."
        )
    values, regions = align_to_weights(panel, w)
    return SpatialPanelData(
        y=np.ascontiguousarray(values[:, :, 0]),
        x=np.ascontiguousarray(values[:, :, 1:]),
        y_name=str(y),
        x_names=tuple(str(v) for v in x),
        regions=regions,
        years=panel.years,
        w=w,
        region_name=panel.region_name,
        year_name=panel.year_name,
    )


def induced_weights(w: SpatialWeights, positions: np.ndarray) -> SpatialWeights:
    """The weights among the regions at ``positions`` of ``w`` (repetitions allowed).

    Parameters
    ----------
    w : SpatialWeights
    positions : ndarray of int, shape (M,)
        Rows of ``w``, drawn with replacement by a bootstrap of whole regions.

    Returns
    -------
    SpatialWeights
        Ids ``0..M-1``. Entry ``(a, b)`` is the weight between the regions drawn ``a``-th
        and ``b``-th in the untransformed W: :math:`C^*_{ab} = C_{p_a p_b}`. Two draws of
        the same region are not neighbours of each other (:math:`C_{ii} = 0`). A
        row-standardized W is row-standardized again over the neighbours drawn; a drawn
        region none of whose neighbours was drawn has no neighbour in the draw (a zero row).

    Notes
    -----
    When ``w`` is :math:`D^{-1}C` with ``C`` symmetric, :math:`C^* = D_p W_{pp}` is
    symmetric and the result keeps the symmetric base of its eigenvalues.

    Examples
    --------
    >>> line = SpatialWeights.from_sparse(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> induced_weights(line.standardize(), np.array([1, 1, 2])).matrix.toarray()
    array([[0. , 0. , 1. ],
           [0. , 0. , 1. ],
           [0.5, 0.5, 0. ]])
    """
    positions = np.asarray(positions, dtype=np.intp)
    sub = w.matrix[positions][:, positions]
    ids = range(positions.size)
    if w.transform != "row":
        return SpatialWeights(sub, ids)
    base = w._symmetric_base
    if base is not None:
        sub = sparse.diags(base[positions]) @ sub
    return SpatialWeights(sub, ids).standardize("row")


def resample_regions(panel: SpatialPanelData, positions: np.ndarray) -> SpatialPanelData:
    """The panel of the regions at ``positions`` (whole series, repetitions allowed), with
    the W they induce (:func:`induced_weights`) and regions relabelled ``0..M-1``.

    Examples
    --------
    >>> w = SpatialWeights.from_sparse(np.array([[0, 1], [1, 0]]), ids="ab")
    >>> panel = SpatialPanelData(np.arange(4.0).reshape(2, 2), np.ones((2, 2, 1)), "y", ("x",),
    ...                          pd.Index(["a", "b"]), pd.Index([1, 2]), w, "region", "year")
    >>> resample_regions(panel, np.array([1, 1])).y
    array([[1., 1.],
           [3., 3.]])
    """
    positions = np.asarray(positions, dtype=np.intp)
    return SpatialPanelData(
        y=np.ascontiguousarray(panel.y[:, positions]),
        x=np.ascontiguousarray(panel.x[:, positions]),
        y_name=panel.y_name,
        x_names=panel.x_names,
        regions=pd.RangeIndex(positions.size, name=panel.region_name),
        years=panel.years,
        w=induced_weights(panel.w, positions),
        region_name=panel.region_name,
        year_name=panel.year_name,
    )
