"""Spatial weights: the immutable :class:`SpatialWeights` and its builders.

* :mod:`spatial.weights.matrix` — the weights object (ids, standardization, eigenvalues).
* :mod:`spatial.weights.builders` — contiguity, k nearest neighbours, inverse
  distance, distance band, negative exponential, economic and nested
  economic-geographic weights.
* :mod:`spatial.weights.io` — GAL, GWT and CSV files.
* :mod:`spatial.weights.china` — :func:`china_provinces`, :func:`china_cities` and
  :func:`china_counties`, the one-liners on China's provinces, prefecture cities and
  counties.
"""

from __future__ import annotations

from .builders import (
    contiguity,
    distance_band,
    economic_distance,
    economic_geographic,
    great_circle_distances,
    inverse_distance,
    knn,
    negative_exponential,
)
from .china import CITY_KINDS, HAINAN_LINK, china_cities, china_counties, china_provinces
from .io import read_weights, write_weights
from .matrix import DENSE_EIGEN_LIMIT, SpatialWeights

__all__ = [
    "CITY_KINDS",
    "DENSE_EIGEN_LIMIT",
    "HAINAN_LINK",
    "SpatialWeights",
    "china_cities",
    "china_counties",
    "china_provinces",
    "contiguity",
    "distance_band",
    "economic_distance",
    "economic_geographic",
    "great_circle_distances",
    "inverse_distance",
    "knn",
    "negative_exponential",
    "read_weights",
    "write_weights",
]
