"""One-line weights for China's 31 provincial units on the embedded geography."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from spatial._core.messages import format_items
from spatial._core.options import check_option

from ..exceptions import SpecificationError, WeightsAlignmentError
from ..geography import load_china_provinces, province_codes, resolve_provinces
from .builders import (
    contiguity,
    economic_distance,
    economic_geographic,
    inverse_distance,
    knn,
)
from .matrix import SpatialWeights, Transform

__all__ = ["HAINAN_LINK", "china_provinces"]

Kind = Literal["queen", "rook", "distance", "knn", "economic", "economic_geographic"]
KINDS: tuple[str, ...] = ("queen", "rook", "distance", "knn", "economic", "economic_geographic")
#: The convention of provincial studies: Hainan (an island) linked to Guangdong.
HAINAN_LINK: dict[Hashable, Sequence[Hashable]] = {"46": ["44"]}


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
    if economic is None:
        raise SpecificationError(f"kind={kind!r} needs `economic`: one value per province.")
    values = pd.Series(economic)
    if isinstance(values.index, pd.MultiIndex):  # a (province, year) panel: sample-period mean
        by_code = resolve_provinces(values.index.get_level_values(0))
        values = values.groupby(pd.Index(by_code)).mean()  # any spelling: one province
    resolved = resolve_provinces(values.index)
    if len(set(resolved)) < len(resolved):
        twice = sorted({c for c in resolved if resolved.count(c) > 1})
        raise SpecificationError(
            f"`economic` has more than one value for province(s) {format_items(twice)} "
            "(spelled in several ways?); pass one value per province or a (province, year) "
            "Series, which is averaged over its years."
        )
    values = pd.Series(values.to_numpy(), index=resolved)
    missing = [c for c in codes if c not in values.index]
    if missing:
        raise WeightsAlignmentError(f"`economic` has no value for {format_items(missing)}.")
    econ = economic_distance(values.loc[codes], transform=transform)
    if kind == "economic":
        return econ
    return economic_geographic(geographic, econ, phi, transform=transform)
