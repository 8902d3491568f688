"""Builders of spatial weights from geometries, coordinates and economic variables.

Every builder returns an immutable :class:`~spatial.weights.SpatialWeights`
with the ids attached, row-standardized unless ``transform="none"``.
Distances between longitude/latitude points are great-circle (haversine) in km.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse

from spatial._core.messages import format_items
from spatial._core.options import check_option

from ..exceptions import SpecificationError, WeightsAlignmentError, WeightsError
from .matrix import SpatialWeights, Transform

__all__ = [
    "EARTH_RADIUS_KM",
    "contiguity",
    "distance_band",
    "economic_distance",
    "economic_geographic",
    "great_circle_distances",
    "haversine_km",
    "inverse_distance",
    "knn",
    "negative_exponential",
]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
Islands = Literal["error", "nearest"] | Mapping[Hashable, Sequence[Hashable]]


def haversine_km(
    lon1: Any, lat1: Any, lon2: Any, lat2: Any, *, radius: float = EARTH_RADIUS_KM
) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (broadcast).

    Notes
    -----
    ``d = 2 R asin(sqrt(sin^2((phi2 - phi1)/2) + cos(phi1) cos(phi2) sin^2((lam2 - lam1)/2)))``
    on a sphere of radius R (default 6,371.0088 km, the IUGG mean radius); the error
    against the ellipsoid is below 0.5%.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2): 159.

    Examples
    --------
    >>> round(float(haversine_km(116.4074, 39.9042, 121.4737, 31.2304)), 1)  # Beijing-Shanghai
    1067.3
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    lam1, lam2 = np.radians(lon1), np.radians(lon2)
    h = (
        np.sin((phi1 - phi2) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam1 - lam2) / 2) ** 2
    )
    return np.asarray(2.0 * radius * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def great_circle_distances(coordinates: ArrayLike) -> np.ndarray:
    """Pairwise great-circle distances (km) between ``(lon, lat)`` points in degrees.

    Notes
    -----
    :func:`haversine_km` between every pair of points.

    Examples
    --------
    >>> round(float(great_circle_distances([[116.4, 39.9], [121.47, 31.23]])[0, 1]))
    1067
    """
    xy = np.asarray(coordinates, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise SpecificationError(f"coordinates must be (n, 2) longitude/latitude; got {xy.shape}.")
    lon, lat = xy[:, 0], xy[:, 1]
    return haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])


def _distances(coordinates: ArrayLike, ids: Sequence[Hashable], great_circle: bool) -> np.ndarray:
    xy = np.asarray(coordinates, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] != len(ids):
        raise SpecificationError(
            f"coordinates must be ({len(ids)}, 2) to match the ids; got {xy.shape}."
        )
    if not np.isfinite(xy).all():
        raise SpecificationError("coordinates contain missing or infinite values.")
    if great_circle:
        dist = great_circle_distances(xy)
    else:
        dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))
    off = ~np.eye(len(ids), dtype=bool)
    if (dist[off] == 0).any():
        rows, cols = np.nonzero((dist == 0) & off)
        pairs = [f"({ids[int(r)]}, {ids[int(c)]})" for r, c in zip(rows, cols) if r < c]
        raise WeightsError(
            f"Zero distances between distinct units {format_items(pairs)}: inverse and "
            "negative-exponential weights are undefined. Remove or merge duplicated points."
        )
    return dist


def _finish(matrix: np.ndarray | sparse.spmatrix, ids: Sequence[Hashable], transform: Transform,
            *, allow_islands: bool = False) -> SpatialWeights:  # fmt: skip
    check_option("transform", transform, ("row", "none"))
    w = SpatialWeights(matrix, list(ids))
    if w.islands and not allow_islands:
        raise WeightsError(
            f"The weights leave {len(w.islands)} unit(s) without neighbours: "
            f"{format_items(list(w.islands))}. Widen the threshold or use another builder."
        )
    return w.standardize("row") if transform == "row" else w


def knn(
    coordinates: ArrayLike,
    ids: Sequence[Hashable],
    k: int = 4,
    *,
    great_circle: bool = True,
    transform: Transform = "row",
) -> SpatialWeights:
    """k nearest neighbours (asymmetric), binary before standardization.

    Notes
    -----
    :math:`w_{ij} = 1` if ``j`` is among the ``k`` units closest to ``i`` (great-circle
    or Euclidean distance), else 0; ties are broken by position. Every unit has
    exactly ``k`` neighbours, so W is usually asymmetric (Getis and Aldstadt 2004;
    Anselin and Rey 2014).
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    In the examples three points lie on a line at :math:`x = 0, 1, 3` (planar
    coordinates, ``great_circle=False``).

    >>> xy, ids = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], ["a", "b", "c"]
    >>> knn(xy, ids, k=1, great_circle=False).sparse.toarray()
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 1., 0.]])
    """
    n = len(ids)
    if not 1 <= int(k) < n:
        raise SpecificationError(f"k must be between 1 and {n - 1}; got {k}.")
    dist = _distances(coordinates, ids, great_circle)
    np.fill_diagonal(dist, np.inf)
    nearest = np.argsort(dist, axis=1, kind="stable")[:, : int(k)]
    rows = np.repeat(np.arange(n), int(k))
    mat = sparse.csr_matrix((np.ones(n * int(k)), (rows, nearest.ravel())), shape=(n, n))
    return _finish(mat, ids, transform)


def inverse_distance(
    coordinates: ArrayLike,
    ids: Sequence[Hashable],
    *,
    power: float = 1.0,
    cutoff: float | None = None,
    great_circle: bool = True,
    transform: Transform = "row",
) -> SpatialWeights:
    """Inverse distance :math:`w_{ij} = d_{ij}^{-\\alpha}` (zero beyond ``cutoff`` km).

    Notes
    -----
    :math:`w_{ij} = d_{ij}^{-\\alpha}` for :math:`i \\ne j` and :math:`d_{ij} \\le`
    ``cutoff`` (all pairs without a cutoff), :math:`\\alpha` = ``power``, else 0
    (Anselin 1988; Getis and Aldstadt 2004).
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    In the examples three points lie on a line at :math:`x = 0, 1, 3` (planar
    coordinates, ``great_circle=False``).
    Row ``a`` has raw weights :math:`(0, 1, 1/3)`, so :math:`(0, 3/4, 1/4)` after
    row-standardization; row ``c`` has :math:`(1/3, 1/2, 0)/(5/6)`:

    >>> xy, ids = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], ["a", "b", "c"]
    >>> np.round(inverse_distance(xy, ids, great_circle=False).sparse.toarray(), 4)
    array([[0.    , 0.75  , 0.25  ],
           [0.6667, 0.    , 0.3333],
           [0.4   , 0.6   , 0.    ]])
    """
    if not power > 0:
        raise SpecificationError(f"power must be positive; got {power}.")
    dist = _distances(coordinates, ids, great_circle)
    with np.errstate(divide="ignore"):
        weights = dist ** (-float(power))
    np.fill_diagonal(weights, 0.0)
    if cutoff is not None:
        weights[dist > cutoff] = 0.0
    return _finish(weights, ids, transform)


def distance_band(
    coordinates: ArrayLike,
    ids: Sequence[Hashable],
    threshold: float,
    *,
    great_circle: bool = True,
    transform: Transform = "row",
) -> SpatialWeights:
    """Binary weights for pairs no farther apart than ``threshold`` (km).

    Notes
    -----
    :math:`w_{ij} = 1` if :math:`i \\ne j` and :math:`d_{ij} \\le` ``threshold``, else 0
    (Getis and Aldstadt 2004; Anselin and Rey 2014). A threshold that leaves a
    unit without neighbours is an error.
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    In the examples three points lie on a line at :math:`x = 0, 1, 3` (planar
    coordinates, ``great_circle=False``).

    >>> xy, ids = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], ["a", "b", "c"]
    >>> distance_band(xy, ids, 2.0, great_circle=False).sparse.toarray()
    array([[0. , 1. , 0. ],
           [0.5, 0. , 0.5],
           [0. , 1. , 0. ]])
    """
    dist = _distances(coordinates, ids, great_circle)
    weights = (dist <= threshold).astype(np.float64)
    np.fill_diagonal(weights, 0.0)
    return _finish(weights, ids, transform)


def negative_exponential(
    coordinates: ArrayLike,
    ids: Sequence[Hashable],
    *,
    scale: float,
    cutoff: float | None = None,
    great_circle: bool = True,
    transform: Transform = "row",
) -> SpatialWeights:
    """Negative exponential distance decay :math:`w_{ij} = \\exp(-d_{ij}/s)`.

    Notes
    -----
    :math:`w_{ij} = \\exp(-d_{ij}/s)` for :math:`i \\ne j` and :math:`d_{ij} \\le`
    ``cutoff`` (all pairs without a cutoff), :math:`s` = ``scale`` in km, else 0: a
    distance-decay weight like the inverse distance (Anselin 1988; Getis and
    Aldstadt 2004).
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    In the examples three points lie on a line at :math:`x = 0, 1, 3` (planar
    coordinates, ``great_circle=False``).
    Raw weights :math:`e^{-1} = 0.3679`, :math:`e^{-2} = 0.1353`, :math:`e^{-3} = 0.0498`:

    >>> xy, ids = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], ["a", "b", "c"]
    >>> w = negative_exponential(xy, ids, scale=1.0, great_circle=False, transform="none")
    >>> np.round(w.sparse.toarray(), 4)
    array([[0.    , 0.3679, 0.0498],
           [0.3679, 0.    , 0.1353],
           [0.0498, 0.1353, 0.    ]])
    """
    if not scale > 0:
        raise SpecificationError(f"scale must be positive (km); got {scale}.")
    dist = _distances(coordinates, ids, great_circle)
    weights = np.exp(-dist / float(scale))
    np.fill_diagonal(weights, 0.0)
    if cutoff is not None:
        weights[dist > cutoff] = 0.0
    return _finish(weights, ids, transform)


def economic_distance(values: pd.Series, *, transform: Transform = "row") -> SpatialWeights:
    """Economic distance weights :math:`w_{ij} = 1/|\\bar x_i - \\bar x_j|`.

    Parameters
    ----------
    values : Series
        One value per unit (index = ids), e.g. GDP per capita averaged over the
        sample period (see :meth:`pandas.DataFrame.groupby`).

    Raises
    ------
    WeightsError
        Ties (equal values): the weight of a zero difference is undefined.

    Notes
    -----
    :math:`w_{ij} = 1/|\\bar x_i - \\bar x_j|` for :math:`i \\ne j`: units with similar
    values weigh more, as in the similarity weights of Case, Rosen and Hines
    (1993), the source of the "economic distance" matrix of regional studies.
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Case, A. C., Rosen, H. S. and Hines, J. R. (1993). Budget spillovers and fiscal
    policy interdependence: evidence from the states. *Journal of Public
    Economics* 52(3): 285-307.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    Values 1, 2, 4: raw row ``a`` is :math:`(0, 1, 1/3)`, row ``c`` is
    :math:`(1/3, 1/2, 0)`:

    >>> values = pd.Series([1.0, 2.0, 4.0], index=["a", "b", "c"])
    >>> np.round(economic_distance(values).sparse.toarray(), 4)
    array([[0.    , 0.75  , 0.25  ],
           [0.6667, 0.    , 0.3333],
           [0.4   , 0.6   , 0.    ]])
    """
    series = pd.Series(values).astype(np.float64)
    if series.isna().any():
        missing = list(series.index[series.isna()])
        raise SpecificationError(f"Missing economic values for {format_items(missing)}.")
    x = series.to_numpy()
    gap = np.abs(x[:, None] - x[None, :])
    off = ~np.eye(x.size, dtype=bool)
    if (gap[off] == 0).any():
        rows, cols = np.nonzero((gap == 0) & off)
        pairs = [f"({series.index[r]}, {series.index[c]})" for r, c in zip(rows, cols) if r < c]
        raise WeightsError(
            f"Tied economic values (zero differences) for {format_items(pairs)}: "
            "1/|x_i - x_j| is undefined. Use another variable or more decimals."
        )
    with np.errstate(divide="ignore"):
        weights = np.where(off, 1.0 / gap, 0.0)
    return _finish(weights, list(series.index), transform)


def economic_geographic(
    geographic: SpatialWeights, economic: SpatialWeights, phi: float = 0.5,
    *, transform: Transform = "row",
) -> SpatialWeights:  # fmt: skip
    """Nested economic-geographic weights :math:`W = \\phi W_g + (1 - \\phi) W_e`.

    Both inputs are row-standardized first and matched by id.

    Notes
    -----
    :math:`W = \\phi W_g^* + (1 - \\phi) W_e^*` with :math:`W_g^*`, :math:`W_e^*` the
    row-standardized inputs and :math:`0 \\le \\phi \\le 1`; a convex combination of
    row-stochastic matrices is row-stochastic, so ``transform="row"`` changes
    nothing unless a unit is an island in both. The economic part is usually
    :func:`economic_distance` (Case, Rosen and Hines 1993).

    References
    ----------
    Shao, S., Li, X., Cao, J. and Yang, L. (2016). *Economic Research Journal*
    (Jingji Yanjiu) 2016(9), in Chinese: the nested matrix, combining inverse
    geographic distance and economic distance.

    Case, A. C., Rosen, H. S. and Hines, J. R. (1993). Budget spillovers and fiscal
    policy interdependence: evidence from the states. *Journal of Public
    Economics* 52(3): 285-307.

    Examples
    --------
    Half the distance band and half the economic distance: row ``b`` is
    :math:`0.5(0.5, 0, 0.5) + 0.5(2/3, 0, 1/3)`:

    >>> xy, ids = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], ["a", "b", "c"]
    >>> geo = distance_band(xy, ids, 2.0, great_circle=False)
    >>> econ = economic_distance(pd.Series([1.0, 2.0, 4.0], index=ids))
    >>> np.round(economic_geographic(geo, econ, 0.5).sparse.toarray(), 4)
    array([[0.    , 0.875 , 0.125 ],
           [0.5833, 0.    , 0.4167],
           [0.2   , 0.8   , 0.    ]])
    """
    if not 0 <= phi <= 1:
        raise SpecificationError(f"phi must lie in [0, 1]; got {phi}.")
    if set(geographic.ids) != set(economic.ids):
        raise WeightsAlignmentError("The geographic and economic weights have different ids.")
    econ = economic.reorder(geographic.ids).standardize("row").matrix
    geo = geographic.standardize("row").matrix
    return _finish(phi * geo + (1.0 - phi) * econ, geographic.ids, transform)


def _check_geodataframe(frame: Any) -> None:
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        raise SpecificationError(f"Expected a GeoDataFrame, got {type(frame).__name__}.")
    if frame.crs is None:
        raise SpecificationError("The GeoDataFrame has no CRS; set it with .set_crs(...).")
    invalid = ~frame.geometry.is_valid
    if invalid.any() or frame.geometry.isna().any():
        bad = list(frame.index[invalid | frame.geometry.isna()])
        raise SpecificationError(
            f"Invalid or missing geometries for {format_items(bad)}; repair them (e.g. "
            "with .make_valid()) before building weights."
        )


def _shared_boundary(geometries: np.ndarray, *, rook: bool) -> sparse.csr_matrix:
    """Binary contiguity of polygons: a shared vertex (queen) or a shared edge (rook).

    The vertex-set algorithm of libpysal's contiguity builders, as array operations:
    every ring vertex is keyed by its exact coordinates (rook: every ring segment by
    its two end points, in either direction), and two polygons are neighbours when a
    key belongs to both. Written here so that building W does not import libpysal
    (about 2 s); libpysal is the reference in the tests.
    """
    import shapely

    parts, part_owner = shapely.get_parts(geometries, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    owner = part_owner[ring_part[coord_ring]]
    _, vertex = np.unique(coords, axis=0, return_inverse=True)
    vertex = vertex.ravel()
    if rook:
        same_ring = coord_ring[1:] == coord_ring[:-1]
        ends = np.sort(np.column_stack([vertex[:-1], vertex[1:]])[same_ring], axis=1)
        _, key = np.unique(ends, axis=0, return_inverse=True)
        key, owner = key.ravel(), owner[:-1][same_ring]
    else:
        key = vertex
    members = pd.DataFrame({"key": key, "owner": owner}).drop_duplicates()
    shared = members.merge(members, on="key")
    shared = shared[shared["owner_x"] != shared["owner_y"]]
    n = len(geometries)
    mat = sparse.coo_matrix(
        (np.ones(len(shared)), (shared["owner_x"].to_numpy(), shared["owner_y"].to_numpy())),
        shape=(n, n),
    ).tocsr()
    return (mat > 0).astype(np.float64)


def contiguity(
    frame: Any,
    ids: str | None = None,
    *,
    rook: bool = False,
    islands: Islands = "error",
    transform: Transform = "row",
) -> SpatialWeights:
    """Queen (default) or rook contiguity of polygons, with island handling.

    Parameters
    ----------
    frame : GeoDataFrame
        Polygons with a CRS and valid geometries.
    ids : str, optional
        Column holding the unit ids (default: the index).
    rook : bool
        Rook (shared edge) instead of queen (shared point) contiguity.
    islands : {"error", "nearest"} or mapping
        Units without a contiguous neighbour: an error (default), a link to
        the unit with the nearest boundary (distance between the polygons in
        the units of the CRS), or the links given as ``{island: [neighbours]}``
        (made symmetric).

    Notes
    -----
    :math:`w_{ij} = 1` if polygons ``i`` and ``j`` share at least one boundary point
    (queen) or a boundary segment (rook), else 0 (Anselin 1988; Anselin and Rey
    2014), computed from shared vertices or edges (the vertex-set algorithm of
    libpysal's contiguity builders, here without importing libpysal); island links
    are added symmetrically with weight 1.
    With ``transform="row"`` every row is divided by its sum,
    :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey 2014).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Examples
    --------
    Squares ``a`` and ``b`` side by side and ``c`` above ``b``: ``a`` and ``c``
    touch only at a corner, a queen but not a rook neighbour.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> squares = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(1, 1, 2, 2)],
    ...                            index=["a", "b", "c"], crs="EPSG:3857")
    >>> contiguity(squares, transform="none").sparse.toarray()
    array([[0., 1., 1.],
           [1., 0., 1.],
           [1., 1., 0.]])
    >>> contiguity(squares, rook=True, transform="none").sparse.toarray()
    array([[0., 1., 0.],
           [1., 0., 1.],
           [0., 1., 0.]])
    """
    _check_geodataframe(frame)
    labels = list(frame[ids]) if ids is not None else list(frame.index)
    indexed = frame.set_axis(pd.Index(labels), axis=0)
    order = {label: k for k, label in enumerate(labels)}
    mat = _shared_boundary(indexed.geometry.to_numpy(), rook=rook).tolil()
    alone = [labels[i] for i in np.flatnonzero(np.asarray(mat.sum(axis=1)).ravel() == 0)]
    if alone:
        if isinstance(islands, Mapping):
            for island, partners in islands.items():
                for partner in partners:
                    if island not in order or partner not in order:
                        raise WeightsAlignmentError(
                            f"islands links {island!r} -> {partner!r}: unknown id."
                        )
                    i, j = labels.index(island), labels.index(partner)
                    mat[i, j] = mat[j, i] = 1.0
        elif islands == "nearest":
            geometry = indexed.geometry.reset_index(drop=True)
            for label in alone:
                i = labels.index(label)
                with warnings.catch_warnings():  # only the order of the distances matters
                    warnings.simplefilter("ignore", UserWarning)
                    gap = np.array(geometry.distance(geometry.iloc[i]), dtype=np.float64)
                gap[i] = np.inf
                j = int(np.argmin(gap))
                mat[i, j] = mat[j, i] = 1.0
        else:
            check_option("islands", islands, ("error", "nearest"))
            raise WeightsError(
                f"Units without a contiguous neighbour (islands): {format_items(alone)}. Pass "
                "islands='nearest' or islands={island: [neighbours]}."
            )
    return _finish(mat.tocsr(), labels, transform)
