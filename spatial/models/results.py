"""Results of the spatial panel models: labelled estimates, inference, tables, tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from .._core.distributions import normal_quantile, normal_two_sided
from .._core.options import check_option
from .._core.summary import Summary
from ..exceptions import SpecificationError
from ..weights import DENSE_EIGEN_LIMIT, SpatialWeights
from .diagnostics import TestResult, lr_test, wald_test
from .impacts import ImpactsResults, compute_impacts, unit_impacts
from .spectral import EigenSpectrum, SeriesSpectrum

__all__ = ["FitSource", "SpatialPanelResults", "TestResult"]


class _Model(Protocol):
    """What a result needs from the model that produced it (a
    :class:`~spatial.models.panels.SpatialDurbinPanel` or one of its siblings)."""

    @property
    def fit(self) -> Callable[..., SpatialPanelResults]: ...

    def resampled(self, positions: np.ndarray) -> _Model: ...

    def decomposition(
        self, params: pd.Series, sigma2: float
    ) -> tuple[pd.DataFrame, pd.Series, pd.Series]: ...


@dataclass(frozen=True)
class FitSource:
    """The model a result came from and the options of its ``fit``: what the fixed effects,
    fitted values and residuals are computed from on first access, and what a bootstrap
    refits on resampled regions (:func:`spatial.hausman_test` with ``method="bootstrap"``).

    ``decomposable`` is False for the dynamic and random-effects fits, which carry no
    fixed effects.
    """

    model: _Model
    fit_options: Mapping[str, Any]
    decomposable: bool


@dataclass(frozen=True)
class _ImpactInputs:
    """What the impacts need from a fit (kept private)."""

    names: tuple[str, ...]
    beta_index: np.ndarray
    theta_index: np.ndarray
    rho_index: int | None
    spectrum: EigenSpectrum | SeriesSpectrum
    bounds: tuple[float, float]
    w: SpatialWeights | None = None
    regions: pd.Index | None = None


@dataclass(frozen=True)
class SpatialPanelResults:
    """A fitted spatial panel model.

    Attributes
    ----------
    model : str
        ``SDM``, ``SAR``, ``SEM``, ``SDEM`` or ``SLX``.
    params : Series
        Coefficients: regressors, ``W_<regressor>`` for the lagged ones, and
        ``rho`` (lag models) or ``lambda`` (error models); ``sigma2`` apart.
    cov : DataFrame
        Covariance of ``params``.
    sigma2 : float
        Error variance (bias-corrected when asked for).
    loglik : float
        Maximised log-likelihood (of the direct or the transformed likelihood).
    nobs, n_regions, n_years : int
    options : mapping
        Effects, bias correction, log-determinant method, interval of the
        spatial parameter, covariance type, convergence, version...
    cov_gls : DataFrame or None
        Random effects only: the covariance of the coefficients conditional on the
        spatial parameter and ``phi``, :math:`\\sigma^2 (X'\\Omega^{-1}X)^{-1}` (the one
        splm reports; ``cov`` is the inverse of the full numerical Hessian).
    fixed_effects, fitted, residuals : DataFrame, Series, Series
        The estimated fixed effects with standard errors, the fitted values and the
        residuals, labelled by region and year (properties, computed on first access).
    """

    model: str
    params: pd.Series
    cov: pd.DataFrame
    sigma2: float
    sigma2_se: float
    loglik: float
    nobs: int
    n_regions: int
    n_years: int
    r2: float
    options: Mapping[str, Any]
    cov_gls: pd.DataFrame | None = field(default=None, repr=False)
    dynamic_fit: tuple[Any, SpatialWeights] | None = field(default=None, repr=False)
    _impact_inputs: _ImpactInputs | None = field(default=None, repr=False)
    _source: FitSource | None = field(default=None, repr=False)

    # ----------------------------------------------------------- decomposition
    @cached_property
    def _decomposition(self) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
        """Fixed effects, fitted values and residuals, computed on first access."""
        source = self._source
        if source is None or not source.decomposable:
            raise SpecificationError(
                f"This {self.model} fit carries no fixed effects, fitted values or residuals "
                "(random-effects and dynamic fits do not)."
            )
        return source.model.decomposition(self.params, self.sigma2)

    @property
    def fixed_effects(self) -> pd.DataFrame:
        """Estimated fixed effects: ``effect`` (``intercept``, ``region`` or ``year``),
        ``label``, ``estimate`` and ``std_error`` (empty without fixed effects)."""
        return self._decomposition[0].copy()

    @property
    def fitted(self) -> pd.Series:
        """Fitted values ``y - residuals``, indexed by (region, year)."""
        return self._decomposition[1].copy()

    @property
    def residuals(self) -> pd.Series:
        """Residuals net of the fixed effects, indexed by (region, year) (for error models
        the spatially autocorrelated error ``u``)."""
        return self._decomposition[2].copy()

    # --------------------------------------------------------------- inference
    @property
    def std_errors(self) -> pd.Series:
        """Square roots of the diagonal of ``cov``."""
        return pd.Series(np.sqrt(np.diag(self.cov)), index=self.params.index, name="std_error")

    @property
    def tstats(self) -> pd.Series:
        """``params / std_errors`` (asymptotically normal)."""
        return (self.params / self.std_errors).rename("z")

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided normal p-values."""
        return pd.Series(
            normal_two_sided(self.tstats.to_numpy()),
            index=self.params.index,
            name="p_value",
        )

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Normal (Wald) confidence intervals."""
        if not 0 < level < 1:
            raise SpecificationError(f"level must lie in (0, 1), got {level!r}.")
        half = normal_quantile(0.5 + level / 2) * self.std_errors
        return pd.DataFrame({"lower": self.params - half, "upper": self.params + half})

    @property
    def converged(self) -> bool:
        """Whether the optimiser converged (and the spatial parameter is interior)."""
        return bool(self.options.get("converged", True))

    @property
    def rho(self) -> float:
        """The spatial parameter (``rho`` or ``lambda``; 0 for SLX)."""
        for name in ("rho", "lambda"):
            if name in self.params.index:
                return float(self.params[name])
        return 0.0

    @property
    def n_params(self) -> int:
        """Estimated parameters including ``sigma2`` (and the fixed effects are not counted)."""
        return int(self.params.size + 1)

    @property
    def aic(self) -> float:
        """:math:`-2\\ln L + 2k`."""
        return -2.0 * self.loglik + 2.0 * self.n_params

    @property
    def bic(self) -> float:
        """:math:`-2\\ln L + k\\ln n`."""
        return -2.0 * self.loglik + self.n_params * np.log(self.nobs)

    # ----------------------------------------------------------------- impacts
    def impacts(
        self,
        *,
        method: Literal["delta", "simulation"] = "delta",
        n_draws: int = 1000,
        seed: int | None = 0,
        estimate: Literal["plugin", "mean"] = "plugin",
        level: float = 0.95,
        by_unit: bool = False,
        horizon: Literal["short", "long"] = "short",
    ) -> ImpactsResults:
        """Direct, indirect and total effects (LeSage and Pace 2009).

        ``method="delta"`` gives delta-method standard errors with analytic
        gradients; ``"simulation"`` draws the parameters from their asymptotic
        normal distribution (``n_draws``, ``seed``), discards draws whose
        spatial parameter leaves its interval, and reports the plug-in estimate
        (or the draws' mean with ``estimate="mean"``) with the draws' standard
        deviation. With ``by_unit=True`` the result also carries the effects on
        each region (``.by_unit``, delta-method inference; W of at most
        ``DENSE_EIGEN_LIMIT`` regions). Dynamic models report short-run effects
        (``horizon="short"``) or long-run effects (``"long"``) (Debarsy, Ertur and
        LeSage 2012; :func:`spatial.models.dynamic.dynamic_effects`).
        """
        check_option("horizon", horizon, ("short", "long"))
        if self.dynamic_fit is not None:
            return self._dynamic_impacts(method, n_draws, seed, level, horizon)
        if horizon == "long":
            raise SpecificationError(
                "Long-run effects need a dynamic model (dynamic='time', 'spacetime' or 'both')."
            )
        inputs = self._impact_inputs
        if inputs is None:
            raise SpecificationError(
                f"{self.model} has no spatial multiplier: its coefficients are the effects."
            )
        summary = compute_impacts(
            inputs.names,
            self.params.to_numpy(),
            self.cov.to_numpy(),
            inputs.beta_index,
            inputs.theta_index,
            inputs.rho_index,
            inputs.spectrum,
            inputs.bounds,
            method=method,
            n_draws=n_draws,
            seed=seed,
            estimate=estimate,
            level=level,
        )
        if not by_unit:
            return summary
        if inputs.w is None or inputs.regions is None or inputs.w.n > DENSE_EIGEN_LIMIT:
            raise SpecificationError(
                f"Effects by region need W's eigenvectors, computed for at most "
                f"{DENSE_EIGEN_LIMIT} regions; this model has "
                f"{inputs.w.n if inputs.w is not None else 'no'} W."
            )
        table = unit_impacts(
            inputs.names, self.params.to_numpy(), self.cov.to_numpy(), inputs.beta_index,
            inputs.theta_index, inputs.rho_index, inputs.w.eigen_decomposition(),
            inputs.regions, level=level,
        )  # fmt: skip
        return replace(summary, by_unit=table)

    def _dynamic_impacts(
        self, method: Literal["delta", "simulation"], n_draws: int, seed: int | None,
        level: float, horizon: str,
    ) -> ImpactsResults:  # fmt: skip
        """Short- or long-run effects of a dynamic model as an :class:`ImpactsResults`."""
        from .dynamic import dynamic_effects

        assert self.dynamic_fit is not None
        fit, w = self.dynamic_fit
        found = dynamic_effects(fit, w, method=method, n_draws=n_draws, seed=seed)
        return ImpactsResults(
            found.estimates[horizon], found.std_errors[horizon], method, level,
            found.n_draws, found.n_discarded, seed,
        )  # fmt: skip

    # ------------------------------------------------------------------- tests
    def lr_test(self, restricted: SpatialPanelResults) -> TestResult:
        """Likelihood-ratio test of a nested (restricted) model fitted on the same data."""
        return lr_test(self, restricted)

    def wald_test(self, hypothesis: str) -> TestResult:
        """Wald test of ``"theta = 0"``, ``"theta + rho*beta = 0"`` or ``"rho = 0"``."""
        return wald_test(self, hypothesis)

    # ------------------------------------------------------------------ tables
    def summary(self) -> Summary:
        """Coefficient table and fit statistics (text, HTML, LaTeX)."""
        ci = self.conf_int()
        table = pd.DataFrame(
            {
                "coef": self.params,
                "std.err.": self.std_errors,
                "z": self.tstats,
                "P>|z|": self.pvalues,
                "[0.025": ci["lower"],
                "0.975]": ci["upper"],
            }
        )
        opts = self.options
        fit = pd.DataFrame(
            {
                "value": [
                    self.nobs, self.n_regions, self.n_years, opts.get("effects"),
                    opts.get("bias_correction"), opts.get("logdet"), self.sigma2,
                    self.loglik, self.aic, self.bic, self.r2,
                ]
            },
            index=[
                "observations", "regions", "years", "fixed effects", "bias correction",
                "log-determinant", "sigma2", "log-likelihood", "AIC", "BIC", "R2 (within)",
            ],
        )  # fmt: skip
        fit["value"] = fit["value"].astype(object)
        notes = (
            f"Interval of the spatial parameter: ({opts.get('bounds', ('', ''))[0]:.6g}, "
            f"{opts.get('bounds', ('', ''))[1]:.6g}); covariance: {opts.get('cov_type')}; "
            f"converged: {self.converged}.",
        )
        return Summary(f"{self.model} panel model", (("Estimates", table), ("Fit", fit)), notes)

    def __repr__(self) -> str:
        return (
            f"<SpatialPanelResults {self.model}: {self.n_regions} regions x "
            f"{self.n_years} years, loglik {self.loglik:.4f}>"
        )
