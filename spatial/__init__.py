"""Spatial weights, China's geography and spatial panel econometrics: the base of liangye.

Where each stage lives (``spatial`` never imports ``coupling``):

============================  ===============================================================
``spatial.weights``           :class:`SpatialWeights`, builders (contiguity, kNN, distance,
                              economic), China's provinces, GAL/GWT/CSV files
``spatial.geography``         China's 31 provinces, name resolution, the NBS regions
``spatial.panel``             the long panel validated and aligned to W by region id
``spatial.transform``         spatial lags and the within transformation
``spatial.logdet``,           log-determinant kernels (eigen, sparse LU, Chebyshev, Monte
``spatial.spectral``          Carlo) and the traces behind the effects
``spatial.likelihood``,       concentrated likelihoods, the search over rho, the Lee-Yu
``spatial.estimate``          correction
``spatial.covariance``        analytic information, numerical Hessian, QML sandwich
``spatial.ols``               the one fixed-effects least-squares routine (SLX, LM tests)
``spatial.model``             SDM, SAR, SEM, SDEM, SAC and SLX panels (fit returns results)
``spatial.results``,          results, direct/indirect/total effects, LR/Wald/LM tests,
``spatial.impacts``,          side-by-side tables
``spatial.diagnostics``,
``spatial.tables``
``spatial.exploratory``       Moran's I, Geary's C and LISA by year (ESDA); Gi* hot spots,
                              gravity centres and deviational ellipses, LISA time paths
``spatial.heterogeneity``     geodetector; GWR and MGWR (mgwr); GTWR
``spatial.viz``               maps and charts (matplotlib, imported on first use)
``spatial._core``             the toolkit's private helpers shared with ``coupling``
============================  ===============================================================

Panel keys are ``region`` and ``year`` everywhere (a region is any cross-sectional
unit, a year any period). ESDA and the figures are loaded when first used, so
``import spatial`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._core.lazy import lazy_attributes
from ._core.version import __version__
from .diagnostics import TestResult, bsk_tests, hausman_test, lm_tests, lr_test, wald_test
from .impacts import ImpactsResults
from .model import (
    SACPanel,
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
)
from .results import SpatialPanelResults
from .tables import compare
from .weights import SpatialWeights

if TYPE_CHECKING:
    from .exploratory import (
        LocalMoranResults,
        MoranResults,
        deviational_ellipses,
        gi_star,
        gravity_centres,
        lisa_paths,
        local_moran,
        moran_by_year,
    )
    from .viz import choropleth, find_cjk_font, group_trend, lisa_map, moran_plot, moran_scatter

#: Names loaded on first use, and the module that holds each.
_LAZY = {
    "LocalMoranResults": "exploratory",
    "MoranResults": "exploratory",
    "local_moran": "exploratory",
    "moran_by_year": "exploratory",
    "gi_star": "exploratory",
    "gravity_centres": "exploratory",
    "deviational_ellipses": "exploratory",
    "lisa_paths": "exploratory",
    "choropleth": "viz",
    "find_cjk_font": "viz",
    "group_trend": "viz",
    "lisa_map": "viz",
    "moran_plot": "viz",
    "moran_scatter": "viz",
}

__all__ = [
    "ImpactsResults",
    "LocalMoranResults",
    "MoranResults",
    "SACPanel",
    "SLXPanel",
    "SpatialDurbinErrorPanel",
    "SpatialDurbinPanel",
    "SpatialErrorPanel",
    "SpatialLagPanel",
    "SpatialPanelResults",
    "SpatialWeights",
    "TestResult",
    "__version__",
    "bsk_tests",
    "choropleth",
    "compare",
    "deviational_ellipses",
    "find_cjk_font",
    "gi_star",
    "gravity_centres",
    "group_trend",
    "hausman_test",
    "lisa_map",
    "lisa_paths",
    "lm_tests",
    "local_moran",
    "lr_test",
    "moran_by_year",
    "moran_plot",
    "moran_scatter",
    "wald_test",
]


__getattr__ = lazy_attributes(__name__, _LAZY)
