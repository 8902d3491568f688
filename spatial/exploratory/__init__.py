"""Exploratory spatial data analysis."""

from .autocorrelation import (
    LISA_LABELS,
    LISA_LABELS_ZH,
    LocalMoranResults,
    MoranResults,
    local_moran,
    moran_by_year,
    moran_scatter,
)

__all__ = [
    "LISA_LABELS",
    "LISA_LABELS_ZH",
    "LocalMoranResults",
    "MoranResults",
    "local_moran",
    "moran_by_year",
    "moran_scatter",
]
