"""Exploratory spatial data analysis of a regional panel (esda imported on first use).

- :mod:`spatial.exploratory.autocorrelation`: global Moran's I and Geary's C by
  year (:func:`moran_by_year`) and local Moran's I / LISA clusters
  (:func:`local_moran`), as tidy tables. Their figures are in :mod:`spatial.viz`
  (:func:`~spatial.viz.moran_plot`, :func:`~spatial.viz.moran_scatter`,
  :func:`~spatial.viz.lisa_map`).
"""

from .autocorrelation import (
    LISA_LABELS,
    LISA_LABELS_ZH,
    LocalMoranResults,
    MoranResults,
    local_moran,
    moran_by_year,
)

__all__ = [
    "LISA_LABELS",
    "LISA_LABELS_ZH",
    "LocalMoranResults",
    "MoranResults",
    "local_moran",
    "moran_by_year",
]
