"""Spatial weights and spatial panel models of the liangye toolkit.

Fixed-effects spatial Durbin panels and their nested models (SAR, SEM, SDEM,
SLX) by maximum likelihood, with the Lee-Yu bias correction, direct/indirect/
total effects with inference, LR/Wald/LM tests and publication tables. Each
stage lives in a module named after it: :mod:`spatial.weights`,
:mod:`spatial.panel`, :mod:`spatial.transform`, :mod:`spatial.logdet`,
:mod:`spatial.spectral`, :mod:`spatial.likelihood`, :mod:`spatial.estimate`,
:mod:`spatial.covariance`, :mod:`spatial.impacts`, :mod:`spatial.diagnostics`,
:mod:`spatial.model`, :mod:`spatial.results`, :mod:`spatial.tables`.
"""

from __future__ import annotations

from .diagnostics import lm_tests, lr_test, wald_test
from .exploratory import (
    LocalMoranResults,
    MoranResults,
    local_moran,
    moran_by_year,
    moran_scatter,
)
from .impacts import ImpactsResults
from .model import (
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
)
from .results import SpatialPanelResults, TestResult
from .tables import compare
from .viz.maps import choropleth, find_cjk_font, group_trend, lisa_map
from .weights import SpatialWeights

__all__ = [
    "ImpactsResults",
    "LocalMoranResults",
    "MoranResults",
    "SLXPanel",
    "SpatialDurbinErrorPanel",
    "SpatialDurbinPanel",
    "SpatialErrorPanel",
    "SpatialLagPanel",
    "SpatialPanelResults",
    "SpatialWeights",
    "TestResult",
    "choropleth",
    "compare",
    "find_cjk_font",
    "group_trend",
    "lisa_map",
    "lm_tests",
    "local_moran",
    "lr_test",
    "moran_by_year",
    "moran_scatter",
    "wald_test",
]
