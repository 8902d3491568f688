"""Spatial weights, China's geography and spatial panel econometrics: the base of liangye.

Where each stage lives (``spatial`` never imports ``coupling``):

============================  ===============================================================
``spatial.weights``           :class:`SpatialWeights`, builders (contiguity, kNN, distance,
                              economic), China's provinces, cities and counties, GAL/GWT/CSV
``spatial.geography``         China's provinces, prefecture cities and counties, name
                              resolution, crosswalks, the NBS regions
``spatial.models``            the spatial panel models and their numerics: panel data,
                              transforms, log-determinants, likelihoods, covariance, FE / RE /
                              dynamic / SAC panels, results, impacts, tests, tables,
                              simulation (see its docstring for the module of each stage)
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
from .models import (
    ImpactsResults,
    SACPanel,
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
    SpatialPanelResults,
    TestResult,
    bsk_tests,
    compare,
    hausman_test,
    lm_tests,
    lr_test,
    wald_test,
)
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
