"""Spatial econometric panel models and their numerics.

The estimation pipeline, one module per stage, in the order the data pass through it:

=======================  ==================================================================
``models.data``          the long panel validated and aligned to W by region id
                         (time-major arrays ``y (T, N)``, ``X (T, N, K)``)
``models.transform``     spatial lags ``Wy``, ``WX`` period by period; the within
                         (region / year / two-way) transformation
``models.ols``           the one fixed-effects least-squares routine of the toolkit (SLX,
                         LM tests, the drivers and convergence regressions of ``coupling``)
``models.logdet``        log-determinants ``ln|I - rho W|``: eigen, sparse LU, Chebyshev,
                         Monte Carlo
``models.spectral``      sums over W's spectrum for many rho at once (traces, totals)
``models.likelihood``    concentrated and full log-likelihoods of the lag and error models
``models.estimate``      the search over the spatial parameter; the Lee-Yu correction
``models.covariance``    analytic information, numerical Hessian, QML sandwich
``models.panels``        the model classes: SDM, SAR, SEM, SDEM, SAC and SLX panels
``models.random_effects`` individual random effects by ML (SAR, SDM, SEM); BSK kernel
``models.dynamic``       dynamic spatial Durbin panels by bias-corrected QML
``models.results``       :class:`SpatialPanelResults`
``models.impacts``       direct, indirect and total effects
``models.diagnostics``   LR, Wald, LM and BSK tests
``models.hausman``       the spatial Hausman test (splm's contrast; analytic or bootstrap)
``models.tables``        side-by-side tables (:func:`compare`)
``models.simulation``    simulators of every model and the Monte Carlo runner
=======================  ==================================================================

The log-determinant and spectral kernels (``logdet``, ``spectral``) are the linear algebra
every likelihood, covariance and effect shares; the transformation and the fixed-effects
OLS (``transform``, ``ols``) are the pieces ``coupling`` reuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core.lazy import lazy_attributes
from .diagnostics import TestResult, bsk_tests, lm_tests, lr_test, wald_test
from .hausman import HausmanResult, hausman_test
from .impacts import ImpactsResults
from .panels import (
    SACPanel,
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
)
from .results import SpatialPanelResults
from .tables import compare

if TYPE_CHECKING:
    from .simulation import MonteCarloResults, run_monte_carlo, simulate_panel

#: Names loaded on first use, and the module that holds each.
_LAZY = {
    "MonteCarloResults": "simulation",
    "run_monte_carlo": "simulation",
    "simulate_panel": "simulation",
}

__all__ = [
    "HausmanResult",
    "ImpactsResults",
    "MonteCarloResults",
    "SACPanel",
    "SLXPanel",
    "SpatialDurbinErrorPanel",
    "SpatialDurbinPanel",
    "SpatialErrorPanel",
    "SpatialLagPanel",
    "SpatialPanelResults",
    "TestResult",
    "bsk_tests",
    "compare",
    "hausman_test",
    "lm_tests",
    "lr_test",
    "run_monte_carlo",
    "simulate_panel",
    "wald_test",
]

__getattr__ = lazy_attributes(__name__, _LAZY)
