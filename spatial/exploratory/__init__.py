"""Exploratory spatial data analysis of a regional panel (esda imported on first use).

- :mod:`spatial.exploratory.autocorrelation`: global Moran's I and Geary's C by
  year (:func:`moran_by_year`) and local Moran's I / LISA clusters
  (:func:`local_moran`), as tidy tables. Their figures are in :mod:`spatial.viz`
  (:func:`~spatial.viz.moran_plot`, :func:`~spatial.viz.moran_scatter`,
  :func:`~spatial.viz.lisa_map`).
- :mod:`spatial.exploratory.hotspots`: Getis-Ord Gi* hot and cold spots by year
  (:func:`gi_star`; map :func:`~spatial.viz.hotspot_map`).
- :mod:`spatial.exploratory.centres`: weighted gravity centres and their path in km
  (:func:`gravity_centres`), standard deviational ellipses (:func:`deviational_ellipses`;
  map :func:`~spatial.viz.centre_path_map`).
- :mod:`spatial.exploratory.lisa_paths`: LISA time paths and Rey's (2001) space-time
  transition types (:func:`lisa_paths`).
"""

from .autocorrelation import (
    LISA_LABELS,
    LISA_LABELS_ZH,
    LocalMoranResults,
    MoranResults,
    local_moran,
    moran_by_year,
)
from .centres import (
    EllipseResults,
    GravityCentreResults,
    deviational_ellipses,
    gravity_centres,
    haversine_km,
)
from .hotspots import HOTSPOT_LABELS, HOTSPOT_LABELS_ZH, GiStarResults, gi_star
from .lisa_paths import REY_TYPES, LisaPathResults, lisa_paths

__all__ = [
    "HOTSPOT_LABELS",
    "HOTSPOT_LABELS_ZH",
    "LISA_LABELS",
    "LISA_LABELS_ZH",
    "REY_TYPES",
    "EllipseResults",
    "GiStarResults",
    "GravityCentreResults",
    "LisaPathResults",
    "LocalMoranResults",
    "MoranResults",
    "deviational_ellipses",
    "gi_star",
    "gravity_centres",
    "haversine_km",
    "lisa_paths",
    "local_moran",
    "moran_by_year",
]
