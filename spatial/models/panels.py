"""Spatial panel models: SDM, SAR, SEM, SDEM and SLX with fixed effects, by ML.

A model validates the data, W and the specification in its constructor; ``fit``
takes the numerical options and returns an immutable
:class:`~spatial.models.results.SpatialPanelResults`. The pipeline follows Elhorst
(2014, ch. 3): lag first (``Wy``, ``WX`` on the raw data, period by period),
demean second, concentrate the likelihood in the spatial parameter, maximise it
over the exact admissible interval, optionally correct the bias of the direct
approach (Lee and Yu 2010), and invert the analytic information matrix.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._core.options import check_option
from .._core.version import __version__
from ..exceptions import BoundaryWarning, PanelStructureError, SpecificationError
from ..weights import SpatialWeights
from .covariance import (
    InverseFilter,
    covariance_from_information,
    error_information,
    lag_direction,
    lag_information,
    numerical_hessian,
    qml_adjustment,
    sandwich,
)
from .data import SpatialPanelData, resample_regions, spatial_panel
from .estimate import lee_yu_twoways, maximize_scalar
from .likelihood import (
    LagMoments,
    Scaling,
    concentrated_error_loglik,
    concentrated_lag_loglik,
    error_regression,
    full_error_loglik,
    full_lag_loglik,
    lag_moments,
    least_squares,
)
from .logdet import LogDeterminant, make_logdet, memoized
from .ols import panel_ols
from .results import FitSource, SpatialPanelResults, _ImpactInputs
from .spectral import EigenSpectrum
from .transform import Effects, resolve_effects, spatial_lag, within_transform

__all__ = [
    "SACPanel",
    "SLXPanel",
    "SpatialDurbinErrorPanel",
    "SpatialDurbinPanel",
    "SpatialErrorPanel",
    "SpatialLagPanel",
]

BiasCorrection = Literal["none", "lee_yu", "transformation"]
ModelEffects = Literal["individual", "time", "twoways", "none", "random"]
ErrorStructure = Literal["baltagi", "kkp"]
Dynamic = Literal["time", "spacetime", "both"]
CovType = Literal["analytic", "hessian", "qml", "cluster"]
LogdetMethod = Literal["auto", "eigen", "lu", "chebyshev", "mc"]


@dataclass(frozen=True)
class _Design:
    """Transformed, stacked arrays of length NT shared by every fit of a model."""

    y: np.ndarray
    wy: np.ndarray
    z: np.ndarray
    wz: np.ndarray
    names: tuple[str, ...]
    wwy: np.ndarray  # W(Wy), for the SAC model only


class _SpatialPanelModel:
    """Shared construction and fitting of the five models."""

    model_name = ""
    kind: Literal["lag", "error", "sac", "ols"] = "lag"
    lags_x = False

    def __init__(
        self,
        data: pd.DataFrame,
        y: str,
        x: Sequence[str],
        w: SpatialWeights,
        *,
        region: Hashable | None = None,
        year: Hashable | None = None,
        effects: ModelEffects | None = None,
        durbin: Sequence[str] | None = None,
        error_structure: ErrorStructure | None = None,
        dynamic: Dynamic | None = None,
    ) -> None:
        panel = spatial_panel(data, y, x, w, region=region, year=year)
        self._setup(
            panel, effects=effects, durbin=durbin, error_structure=error_structure, dynamic=dynamic
        )

    def _setup(
        self,
        panel: SpatialPanelData,
        *,
        effects: ModelEffects | None,
        durbin: Sequence[str] | None,
        error_structure: ErrorStructure | None,
        dynamic: Dynamic | None,
    ) -> None:
        """Check the specification against a validated panel and build the design."""
        self._specification: dict[str, Any] = {
            "effects": effects, "durbin": durbin, "error_structure": error_structure,
            "dynamic": dynamic,
        }  # fmt: skip
        self.dynamic = self._dynamic(dynamic, effects)
        self.random = effects == "random"
        self.error_structure = self._error_structure(error_structure)
        if self.random:
            if self.kind not in ("lag", "error") or self.model_name == "SDEM":
                raise SpecificationError(
                    f"effects='random' is available for the SAR, SDM and SEM models, not "
                    f"{self.model_name}; use fixed effects ('individual', 'time', 'twoways')."
                )
            if panel.t < 2:
                raise PanelStructureError("Random effects need at least 2 periods.")
        # random effects are estimated on the raw data (with a constant)
        fixed = None if self.random else effects
        self.effects: Effects = "none" if self.random else resolve_effects(fixed, panel.t)  # type: ignore[arg-type]
        self.durbin = self._durbin_names(panel, durbin)
        self.panel = panel
        self.design = self._design(panel)
        d = self.design
        # the OLS fits of the concentrated lag likelihood double as the collinearity check
        self._moments: LagMoments | None = None
        if self.kind == "lag":
            self._moments = lag_moments(d.y, d.wy, d.z, d.names)
        else:
            least_squares(d.z, d.y, d.names)

    def resampled(self, positions: np.ndarray) -> _SpatialPanelModel:
        """The same model on the regions at ``positions`` (drawn with replacement), with the
        W they induce (:func:`spatial.models.data.resample_regions`); for bootstraps that
        resample whole regions. The panel is not validated again."""
        model = object.__new__(type(self))
        model._setup(resample_regions(self.panel, positions), **self._specification)
        return model

    # ------------------------------------------------------------ construction
    def _dynamic(self, dynamic: Dynamic | None, effects: ModelEffects | None) -> Dynamic | None:
        """The lagged terms of a dynamic model: ``y_lag`` ("time"), ``W_y_lag``
        ("spacetime") or both; lag models with region or two-way fixed effects only."""
        if dynamic is None:
            return None
        check_option("dynamic", dynamic, ("time", "spacetime", "both"))
        if self.kind != "lag" or self.model_name == "SAC":
            raise SpecificationError(
                f"dynamic=... is available for SpatialDurbinPanel and SpatialLagPanel, not "
                f"{self.model_name}."
            )
        if effects not in (None, "individual", "twoways"):
            raise SpecificationError(
                f"A dynamic model needs region or two-way fixed effects; got effects={effects!r}."
            )
        return dynamic

    def _error_structure(self, structure: ErrorStructure | None) -> ErrorStructure | None:
        """The random-effects error structure: only for ``SpatialErrorPanel`` with random
        effects (default Baltagi et al. 2003)."""
        if structure is None:
            return "baltagi" if self.random and self.kind == "error" else None
        check_option("error_structure", structure, ("baltagi", "kkp"))
        if not (self.random and self.kind == "error"):
            raise SpecificationError(
                "error_structure applies to SpatialErrorPanel with effects='random' only."
            )
        return structure

    def _durbin_names(
        self, panel: SpatialPanelData, durbin: Sequence[str] | None
    ) -> tuple[str, ...]:
        if not self.lags_x:
            if durbin:
                raise SpecificationError(
                    f"{self.model_name} has no spatially lagged regressors; use "
                    "SpatialDurbinPanel or SpatialDurbinErrorPanel for durbin=..."
                )
            return ()
        chosen = (
            list(panel.x_names)
            if durbin is None
            else [durbin]
            if isinstance(durbin, str)
            else list(durbin)
        )
        unknown = [v for v in chosen if v not in panel.x_names]
        if unknown or not chosen:
            raise SpecificationError(
                f"durbin must name some of the regressors {list(panel.x_names)}; got {chosen}."
            )
        return tuple(v for v in panel.x_names if v in chosen)

    def _raw_design(self, panel: SpatialPanelData) -> tuple[np.ndarray, list[str]]:
        """The regressors ``(T, N, K)`` on the raw data: [const], X, WX of the Durbin terms."""
        lag_cols = [panel.x_names.index(v) for v in self.durbin]
        lagged = spatial_lag(panel.w.matrix, panel.x[:, :, lag_cols])
        blocks = [panel.x, lagged] if lag_cols else [panel.x]
        names = [*panel.x_names, *(f"W_{v}" for v in self.durbin)]
        if self.effects == "none":
            blocks.insert(0, np.ones((panel.t, panel.n, 1)))
            names.insert(0, "const")
        return np.concatenate(blocks, axis=2), names

    def _design(self, panel: SpatialPanelData) -> _Design:
        w = panel.w.matrix
        raw, names = self._raw_design(panel)
        t, n = panel.t, panel.n

        def stacked(values: np.ndarray) -> np.ndarray:
            out = within_transform(values, self.effects)
            return out.reshape(t * n, -1) if out.ndim == 3 else out.ravel()

        filtered = self.kind in ("error", "sac")
        wz = stacked(spatial_lag(w, raw)) if filtered else np.empty((t * n, 0))
        wy = spatial_lag(w, panel.y)
        wwy = stacked(spatial_lag(w, wy)) if self.kind == "sac" else np.empty(0)
        return _Design(
            y=stacked(panel.y),
            wy=stacked(wy),
            z=stacked(raw),
            wz=wz,
            names=tuple(names),
            wwy=wwy,
        )

    # ------------------------------------------------------------------- fit
    def _scaling(self, bias_correction: BiasCorrection) -> Scaling:
        n, t = self.panel.n, self.panel.t
        if bias_correction != "transformation" or self.effects == "none":
            return Scaling(n * t, t)
        if self.effects != "individual" and not self.panel.w.is_row_standardized:
            raise SpecificationError(
                "The Lee-Yu transformation approach with time effects needs a row-standardized W."
            )
        return {
            "individual": Scaling(n * (t - 1), t - 1),
            "time": Scaling((n - 1) * t, t, unit_root=True),
            "twoways": Scaling((n - 1) * (t - 1), t - 1, unit_root=True),
        }[self.effects]

    def fit(
        self,
        *,
        bias_correction: BiasCorrection | None = None,
        logdet: LogdetMethod = "auto",
        cov_type: CovType | None = None,
        n_probes: int = 50,
        seed: int | None = 0,
    ) -> SpatialPanelResults:
        """Estimate the model.

        Parameters
        ----------
        bias_correction : {"lee_yu", "none", "transformation"}, optional
            ``"none"``: the direct approach (Stata xsmle's default output);
            ``"lee_yu"`` (the default of static models): the direct approach with
            the Lee-Yu (2010) correction (``sigma2 * T/(T-1)`` for region effects,
            ``sigma2 * N/(N-1)`` for time effects, the analytic correction of all
            parameters for two-way effects), with the covariance of the
            transformation approach; ``"transformation"``: the Lee-Yu orthonormal
            transformation approach, and for dynamic models (their default) the
            bias correction of Yu, de Jong and Lee (2008). No effect without fixed
            effects or with random effects.
        logdet : {"auto", "eigen", "lu", "chebyshev", "mc"}
            Log-determinant kernel (see :func:`spatial.models.logdet.make_logdet`).
        cov_type : {"analytic", "hessian", "qml", "cluster"}, optional
            Analytic information matrix (the default), numerical Hessian of the
            full log-likelihood (the only one, and the default, of the SAC model),
            the quasi-ML sandwich robust to non-normal errors (Lee 2004; see
            :func:`spatial.models.covariance.qml_adjustment`), or (SLX only) standard
            errors clustered by region.
        n_probes, seed : int
            Hutchinson probes and their seed for the stochastic kernels (large N).
        """
        options = {
            "bias_correction": bias_correction, "logdet": logdet, "cov_type": cov_type,
            "n_probes": n_probes, "seed": seed,
        }  # fmt: skip
        found = self._fit(bias_correction, logdet, cov_type, n_probes, seed)
        decomposable = self.dynamic is None and not self.random
        return replace(found, _source=FitSource(self, options, decomposable))

    def _fit(
        self,
        bias_correction: BiasCorrection | None,
        logdet: LogdetMethod,
        cov_type: CovType | None,
        n_probes: int,
        seed: int | None,
    ) -> SpatialPanelResults:
        if self.dynamic is not None:
            return self._fit_dynamic(bias_correction, logdet, cov_type, n_probes, seed)
        bias_correction = "lee_yu" if bias_correction is None else bias_correction
        check_option("bias_correction", bias_correction, ("none", "lee_yu", "transformation"))
        allowed: dict[str, tuple[CovType, ...]] = {
            "ols": ("analytic", "cluster"),
            "sac": ("hessian",),
            "random": ("hessian",),
        }
        allowed_cov = allowed.get(
            "random" if self.random else self.kind, ("analytic", "hessian", "qml")
        )
        cov_type = allowed_cov[0] if cov_type is None else cov_type
        check_option("cov_type", cov_type, allowed_cov)
        if self.kind == "ols":
            return self._fit_ols(cov_type)
        ld = make_logdet(self.panel.w, logdet, n_probes=n_probes, seed=seed)
        if self.random:
            return self._fit_random(ld, cov_type)
        scaling = self._scaling(bias_correction)
        if self.kind == "sac":
            return self._fit_sac(ld, scaling, bias_correction, cov_type)
        return self._fit_spatial(
            ld, scaling, bias_correction, cov_type, n_probes, seed, lag=self.kind == "lag"
        )

    def _fit_spatial(
        self,
        ld: LogDeterminant,
        scaling: Scaling,
        bias_correction: BiasCorrection,
        cov_type: CovType,
        n_probes: int,
        seed: int | None,
        *,
        lag: bool,
    ) -> SpatialPanelResults:
        d, panel = self.design, self.panel
        n, t = panel.n, panel.t
        name = "rho" if lag else "lambda"
        grid = 64 if ld.method == "lu" else 40
        # with sparse LU the grid is placed by the Chebyshev log-determinant and checked exactly
        approx = (
            make_logdet(panel.w, "chebyshev", n_probes=n_probes, seed=seed)
            if ld.method == "lu"
            else None
        )
        # the score is exact when both the log-det and its trace derivative are exact
        exact = ld.method in ("eigen", "lu") and isinstance(ld.spectrum, EigenSpectrum)

        spectrum = ld.spectrum

        def trace_term(r: float) -> float:
            """d/drho of periods * (ln|I - rho W| [- ln(1 - rho)]) (exact spectra only)."""
            assert isinstance(spectrum, EigenSpectrum)
            slope = -spectrum.trace_g(r)
            return scaling.periods * (slope + (1.0 / (1.0 - r) if scaling.unit_root else 0.0))

        if lag:
            moments = self._moments
            assert moments is not None

            e00, e01, e11 = float(moments.e00), float(moments.e01), float(moments.e11)

            def lag_slope(r: float) -> float:
                sse = e00 - 2.0 * r * e01 + r * r * e11
                return scaling.nobs * (e01 - r * e11) / sse + trace_term(r)

            best = maximize_scalar(
                lambda r: concentrated_lag_loglik(r, moments, ld, scaling), ld.bounds,
                grid=grid, name=name, derivative=lag_slope if exact else None,
                coarse=None if approx is None else
                lambda r: concentrated_lag_loglik(r, moments, approx, scaling),
            )  # fmt: skip
            rho = best.argmax
            coef = moments.coefficients(rho)
            sigma2 = float(moments.sse(rho)) / scaling.nobs
        else:

            def error_slope(r: float) -> float:
                beta, sse = error_regression(r, d.y, d.wy, d.z, d.wz)
                resid = (d.y - r * d.wy) - (d.z - r * d.wz) @ beta[0]
                score = resid @ (d.wy - d.wz @ beta[0])
                return scaling.nobs * float(score) / float(sse[0]) + trace_term(r)

            best = maximize_scalar(
                lambda r: concentrated_error_loglik(r, d.y, d.wy, d.z, d.wz, ld, scaling),
                ld.bounds, grid=grid, name=name, derivative=error_slope if exact else None,
                coarse=None if approx is None else
                lambda r: concentrated_error_loglik(r, d.y, d.wy, d.z, d.wz, approx, scaling),
            )  # fmt: skip
            rho = best.argmax
            beta, sse = error_regression(rho, d.y, d.wy, d.z, d.wz)
            coef, sigma2 = beta[0], float(sse[0]) / scaling.nobs

        def information(
            coef: np.ndarray, rho: float, sigma2: float, scaling: Scaling = scaling
        ) -> np.ndarray:
            filt = InverseFilter(panel.w, rho, n_probes=n_probes, seed=seed)
            if lag:
                return lag_information(d.z, coef, rho, sigma2, filt, self.effects, (t, n), scaling)
            return error_information(d.z - rho * d.wz, rho, sigma2, filt, scaling)

        # The covariance of the Lee-Yu corrected estimates is that of the transformation
        # approach (T - 1 periods; N(T - 1) or (N - 1)(T - 1) observations): with region
        # effects both give the same estimates (Lee and Yu 2010), so they share their errors.
        cov_scaling = scaling
        if bias_correction == "lee_yu" and (
            self.effects == "individual"
            or (self.effects == "twoways" and panel.w.is_row_standardized)
        ):
            cov_scaling = self._scaling("transformation")

        if bias_correction == "lee_yu":
            if self.effects == "individual":
                sigma2 *= t / (t - 1)
            elif self.effects == "time":
                sigma2 *= n / (n - 1)
            elif self.effects == "twoways":
                theta = np.concatenate([coef, [rho, sigma2]])
                theta = lee_yu_twoways(theta, information(coef, rho, sigma2), n * t, n, coef.size)
                coef, rho, sigma2 = theta[:-2], float(theta[-2]), float(theta[-1]) * t / (t - 1)
        if lag:
            resid = d.y - rho * d.wy - d.z @ coef
        else:
            resid = (d.y - rho * d.wy) - (d.z - rho * d.wz) @ coef
        if cov_type == "qml":
            filt = InverseFilter(panel.w, rho, n_probes=n_probes, seed=seed)
            if lag:
                v = lag_direction(d.z, coef, filt, self.effects, (t, n))
                omega = qml_adjustment(d.z, v, resid, sigma2, filt, cov_scaling.periods)
            else:
                filtered = d.z - rho * d.wz
                omega = qml_adjustment(filtered, None, resid, sigma2, filt, cov_scaling.periods)
            full_cov = sandwich(information(coef, rho, sigma2, cov_scaling), omega)
        elif cov_type == "hessian":

            def loglik(p: np.ndarray) -> float:
                k = coef.size
                s = cov_scaling
                if lag:
                    return full_lag_loglik(p[:k], p[k], p[k + 1], d.y, d.wy, d.z, ld, s)
                return full_error_loglik(p[:k], p[k], p[k + 1], d.y, d.wy, d.z, d.wz, ld, s)

            hessian = numerical_hessian(loglik, np.concatenate([coef, [rho, sigma2]]))
            full_cov = covariance_from_information(-hessian)
        else:
            full_cov = covariance_from_information(information(coef, rho, sigma2, cov_scaling))
        params = pd.Series(np.concatenate([coef, [rho]]), index=self._index(d.names, name))
        r2 = 1.0 - float(resid @ resid) / float(d.y @ d.y) if d.y @ d.y > 0 else 0.0
        options = self._options(bias_correction, cov_type, best.converged and not best.at_bound)
        options.update(logdet=ld.method, bounds=ld.bounds, n_probes=n_probes, seed=seed,
                       at_bound=best.at_bound, evaluations=best.evaluations)  # fmt: skip
        impact_inputs = self._impact_inputs(params, ld, lag=lag)
        return SpatialPanelResults(
            model=self.model_name,
            params=params,
            cov=pd.DataFrame(full_cov[:-1, :-1], index=params.index, columns=params.index),
            sigma2=float(sigma2),
            sigma2_se=float(np.sqrt(full_cov[-1, -1])),
            loglik=float(best.value),
            nobs=n * t,
            n_regions=n,
            n_years=t,
            r2=r2,
            options=options,
            _impact_inputs=impact_inputs,
        )

    def _fit_sac(
        self,
        ld: LogDeterminant,
        scaling: Scaling,
        bias_correction: BiasCorrection,
        cov_type: CovType,
    ) -> SpatialPanelResults:
        """SAC: maximise the likelihood concentrated in (rho, lambda), profiling lambda.

        For each rho the likelihood is that of an error model of ``y - rho Wy``
        (:func:`spatial.models.likelihood.concentrated_error_loglik`, batched over lambda)
        plus ``T ln|I - rho W|``; the outer search over rho maximises the profile.
        """
        d, panel = self.design, self.panel
        n, t = panel.n, panel.t
        ld_values = memoized(ld)  # the same lambda grid is searched for every rho

        def inner(r: float) -> tuple[float, float]:
            """The best lambda for ``rho = r`` and the profile log-likelihood there."""
            y_r, wy_r = d.y - r * d.wy, d.wy - r * d.wwy
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BoundaryWarning)  # judged at the optimum
                best = maximize_scalar(
                    lambda lam: concentrated_error_loglik(
                        lam, y_r, wy_r, d.z, d.wz, ld_values, scaling
                    ),
                    ld.bounds, grid=24, name="lambda",
                )  # fmt: skip
            return best.argmax, best.value + float(scaling.logdet_term(ld_values, np.array([r]))[0])

        outer = maximize_scalar(
            lambda rs: np.array([inner(float(r))[1] for r in np.atleast_1d(rs)]),
            ld.bounds, grid=24, name="rho",
        )  # fmt: skip
        rho = outer.argmax
        lam, value = inner(rho)
        y_r, wy_r = d.y - rho * d.wy, d.wy - rho * d.wwy
        beta, sse = error_regression(lam, y_r, wy_r, d.z, d.wz)
        coef, sigma2 = beta[0], float(sse[0]) / scaling.nobs
        if bias_correction == "lee_yu" and self.effects in ("individual", "time", "twoways"):
            sigma2 *= {"individual": t / (t - 1), "time": n / (n - 1),
                       "twoways": t / (t - 1)}[self.effects]  # fmt: skip
        k = coef.size

        def loglik(p: np.ndarray) -> float:
            y_p, wy_p = d.y - p[k] * d.wy, d.wy - p[k] * d.wwy
            error_part = full_error_loglik(
                p[:k], p[k + 1], p[k + 2], y_p, wy_p, d.z, d.wz, ld, scaling
            )
            return error_part + float(scaling.logdet_term(ld, np.array([p[k]]))[0])

        hessian = numerical_hessian(loglik, np.concatenate([coef, [rho, lam, sigma2]]))
        full_cov = covariance_from_information(-hessian)
        names = [*d.names, "rho", "lambda"]
        params = pd.Series(np.concatenate([coef, [rho, lam]]), index=names)
        resid = (y_r - lam * wy_r) - (d.z - lam * d.wz) @ coef
        at_bound = outer.at_bound or min(lam - ld.bounds[0], ld.bounds[1] - lam) < 1e-5 * (
            ld.bounds[1] - ld.bounds[0]
        )
        options = self._options(bias_correction, cov_type, outer.converged and not at_bound)
        options.update(logdet=ld.method, bounds=ld.bounds, at_bound=at_bound,
                       evaluations=outer.evaluations)  # fmt: skip
        r2 = 1.0 - float(resid @ resid) / float(d.y @ d.y) if d.y @ d.y > 0 else 0.0
        return SpatialPanelResults(
            model=self.model_name,
            params=params,
            cov=pd.DataFrame(full_cov[:-1, :-1], index=params.index, columns=params.index),
            sigma2=float(sigma2),
            sigma2_se=float(np.sqrt(full_cov[-1, -1])),
            loglik=float(value),
            nobs=n * t,
            n_regions=n,
            n_years=t,
            r2=r2,
            options=options,
            _impact_inputs=self._impact_inputs(params, ld, lag=True),
        )

    def _fit_dynamic(
        self,
        bias_correction: BiasCorrection | None,
        logdet: LogdetMethod,
        cov_type: CovType | None,
        n_probes: int,
        seed: int | None,
    ) -> SpatialPanelResults:
        """Dynamic spatial Durbin panel by QML (:func:`spatial.models.dynamic.fit_dynamic`)."""
        from .dynamic import fit_dynamic

        correction = "transformation" if bias_correction is None else bias_correction
        check_option("bias_correction", correction, ("transformation", "none"))
        chosen = "analytic" if cov_type is None else cov_type
        check_option("cov_type", chosen, ("analytic", "qml"))
        panel = self.panel
        assert self.dynamic is not None
        fit = fit_dynamic(
            panel.y, panel.x, panel.w, x_names=panel.x_names,
            durbin_cols=[panel.x_names.index(v) for v in self.durbin], dynamic=self.dynamic,
            effects=self.effects,  # type: ignore[arg-type]
            bias_correction=correction,  # type: ignore[arg-type]
            logdet=logdet, cov_type=chosen,  # type: ignore[arg-type]
            n_probes=n_probes, seed=seed,
        )  # fmt: skip
        options = self._options(correction, chosen, bool(fit.options.get("converged", True)))
        options.update({k: v for k, v in fit.options.items() if k not in options})
        options["dynamic"] = self.dynamic
        return SpatialPanelResults(
            model=self.model_name,
            params=fit.params,
            cov=fit.cov,
            sigma2=fit.sigma2,
            sigma2_se=fit.sigma2_se,
            loglik=fit.loglik,
            nobs=fit.nobs,
            n_regions=panel.n,
            n_years=panel.t,
            r2=float("nan"),
            options=options,
            dynamic_fit=(fit, panel.w),
        )

    def _fit_random(self, ld: LogDeterminant, cov_type: CovType) -> SpatialPanelResults:
        """Individual random effects by ML (:mod:`spatial.models.random_effects`)."""
        from .random_effects import fit_random_error, fit_random_lag

        panel = self.panel
        raw, names = self._raw_design(panel)  # effects "none": the constant comes first
        x, labels = raw[:, :, 1:], names[1:]
        if self.kind == "lag":
            fit = fit_random_lag(panel.y, x, panel.w.matrix, ld, ld.bounds, labels)
        else:
            fit = fit_random_error(panel.y, x, panel.w.matrix, ld, ld.bounds, labels,
                                   structure=self.error_structure or "baltagi")  # fmt: skip
        spatial = "rho" if self.kind == "lag" else "lambda"
        index = ["const", *labels, spatial, "phi"]
        params = pd.Series(fit.params[:-1], index=index)
        coefficients = index[: fit.k]
        options = self._options("none", cov_type, fit.converged)
        options.update(effects="random", error_structure=self.error_structure,
                       logdet=ld.method, bounds=ld.bounds, evaluations=fit.evaluations)  # fmt: skip
        return SpatialPanelResults(
            model=self.model_name,
            params=params,
            cov=pd.DataFrame(fit.cov[:-1, :-1], index=params.index, columns=params.index),
            sigma2=float(fit.params[-1]),
            sigma2_se=float(np.sqrt(fit.cov[-1, -1])),
            loglik=float(fit.loglik),
            nobs=fit.nobs,
            n_regions=panel.n,
            n_years=panel.t,
            r2=float("nan"),
            options=options,
            cov_gls=pd.DataFrame(fit.beta_cov_gls, index=coefficients, columns=coefficients),
            _impact_inputs=self._impact_inputs(params, ld, lag=self.kind == "lag"),
        )

    def _fit_ols(self, cov_type: CovType) -> SpatialPanelResults:
        panel = self.panel
        n, t = panel.n, panel.t
        lag_cols = [panel.x_names.index(v) for v in self.durbin]
        raw = np.concatenate([panel.x, spatial_lag(panel.w.matrix, panel.x[:, :, lag_cols])], 2)
        names = (*panel.x_names, *(f"W_{v}" for v in self.durbin))
        fit = panel_ols(panel.y, raw, self.effects, names=names,
                        cov_type="cluster" if cov_type == "cluster" else "nonrobust")  # fmt: skip
        nobs = n * t
        params = pd.Series(fit.coef, index=list(fit.names))
        options = self._options("none", cov_type, True)
        options.update(logdet="none", bounds=(np.nan, np.nan), dof=fit.dof)
        ld = make_logdet(panel.w, "eigen" if n <= 1_000 else "mc", n_probes=50, seed=0)
        return SpatialPanelResults(
            model=self.model_name,
            params=params,
            cov=pd.DataFrame(fit.cov, index=params.index, columns=params.index),
            sigma2=fit.sse / fit.dof,
            sigma2_se=float(np.sqrt(2.0 / fit.dof) * fit.sse / fit.dof),
            loglik=-0.5 * nobs * (np.log(2.0 * np.pi * fit.sse / nobs) + 1.0),
            nobs=nobs,
            n_regions=n,
            n_years=t,
            r2=fit.r2,
            options=options,
            _impact_inputs=self._impact_inputs(params, ld, lag=False),
        )

    def decomposition(
        self, params: pd.Series, sigma2: float
    ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
        """Estimated fixed effects (with standard errors), fitted values and residuals.

        With ``e = y - rho Wy - X beta - WX theta`` on the raw data (``rho = 0`` for the
        error models and SLX), the effects are the means of ``e``: region effects
        :math:`\\hat\\mu_i = \\bar e_{i\\cdot}` (s.e. :math:`\\sqrt{\\sigma^2/T}`), year effects
        :math:`\\hat\\alpha_t = \\bar e_{\\cdot t}` (s.e. :math:`\\sqrt{\\sigma^2/N}`); with both,
        an intercept :math:`\\bar e` and deviations from it that sum to zero (Elhorst 2014,
        section 3.3). Residuals are ``e`` less the effects (for error models the spatially
        autocorrelated error ``u``), and fitted values ``y`` less the residuals.
        """
        panel = self.panel
        t, n = panel.t, panel.n
        raw, names = self._raw_design(panel)
        rho = float(params.get("rho", 0.0))
        e = panel.y - rho * spatial_lag(panel.w.matrix, panel.y) - raw @ params[names].to_numpy()
        rows: list[tuple[str, Any, float, float]] = []
        region_part = np.zeros(n)
        year_part = np.zeros(t)
        intercept = float(e.mean()) if self.effects == "twoways" else 0.0
        if self.effects in ("individual", "twoways"):
            region_part = e.mean(axis=0) - intercept
        if self.effects in ("time", "twoways"):
            year_part = e.mean(axis=1) - intercept
        if self.effects == "twoways":
            rows.append(("intercept", "", intercept, float(np.sqrt(sigma2 / (n * t)))))
        if self.effects in ("individual", "twoways"):
            se = float(np.sqrt(sigma2 / t))
            rows += [("region", r, float(v), se) for r, v in zip(panel.regions, region_part)]
        if self.effects in ("time", "twoways"):
            se = float(np.sqrt(sigma2 / n))
            rows += [("year", label, float(v), se) for label, v in zip(panel.years, year_part)]
        effects = pd.DataFrame(rows, columns=["effect", "label", "estimate", "std_error"])
        residual = e - intercept - region_part[None, :] - year_part[:, None]
        index = pd.MultiIndex.from_product([panel.regions, panel.years],
                                           names=[panel.region_name, panel.year_name])  # fmt: skip
        residuals = pd.Series(residual.T.ravel(), index=index, name="residual")
        fitted = pd.Series((panel.y - residual).T.ravel(), index=index, name="fitted")
        return effects, fitted, residuals

    def _index(self, *parts: Sequence[str] | str) -> pd.Index:
        """The index of the parameters named by ``parts``, built once per model (an Index is
        immutable, so every result of the model may share it)."""
        key = tuple(p if isinstance(p, str) else tuple(p) for p in parts)
        cache = self.__dict__.setdefault("_indexes", {})
        if key not in cache:
            cache[key] = pd.Index([n for p in key for n in ((p,) if isinstance(p, str) else p)])
        return cache[key]

    def _impact_inputs(self, params: pd.Series, ld: LogDeterminant, *, lag: bool) -> _ImpactInputs:
        names = self.panel.x_names
        index = list(params.index)
        beta = np.array([index.index(v) for v in names])
        theta = np.array([index.index(f"W_{v}") if v in self.durbin else -1 for v in names])
        return _ImpactInputs(
            names, beta, theta, index.index("rho") if lag else None, ld.spectrum, ld.bounds,
            self.panel.w, self.panel.regions,
        )  # fmt: skip

    def _options(self, bias_correction: str, cov_type: str, converged: bool) -> dict[str, Any]:
        return {
            "effects": self.effects,
            "bias_correction": bias_correction if self.effects != "none" else "none",
            "cov_type": cov_type,
            "durbin": self.durbin,
            "converged": converged,
            "w_transform": self.panel.w.transform,
            "version": __version__,
        }


class SpatialDurbinPanel(_SpatialPanelModel):
    """Spatial Durbin model :math:`y = \\rho Wy + X\\beta + WX\\theta + \\mu + \\xi + \\varepsilon`.

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per (region, year); keys as columns or a
        two-level index. Not modified.
    y : str
        Dependent variable.
    x : sequence of str
        Regressors.
    w : SpatialWeights
        Weights whose ids are the regions (matched by label).
    region, year : hashable, optional
        Key names (omit both for a (region, year) MultiIndex); keyword-only.
    effects : {"individual", "time", "twoways", "none", "random"}, optional
        Fixed effects; default ``"twoways"``, or ``"none"`` (with an intercept)
        for a cross-section; ``"random"``: individual random effects by ML
        (:mod:`spatial.models.random_effects`; params ``const``, the coefficients, ``rho``
        or ``lambda`` and ``phi`` = sigma_mu^2 / sigma^2; SAR, SDM and SEM).
    durbin : sequence of str, optional
        Regressors to lag (default all).
    error_structure : {"baltagi", "kkp"}, optional
        SEM with random effects: the spatial process acts on the remainder error
        (Baltagi et al. 2003, default) or on the whole error (Kapoor, Kelejian and
        Prucha 2007).
    dynamic : {"time", "spacetime", "both"}, optional
        SDM and SAR with fixed effects: add ``y_lag`` (:math:`y_{t-1}`), ``W_y_lag``
        (:math:`Wy_{t-1}`) or both, estimated by QML with the Yu, de Jong and Lee
        (2008) correction (:mod:`spatial.models.dynamic`); ``impacts(horizon="short" |
        "long")``.

    Notes
    -----
    With region effects :math:`\\mu` and year effects :math:`\\xi`, the model is
    estimated by maximising the log-likelihood concentrated in :math:`\\rho`,

    .. math:: \\ln L(\\rho) = -\\frac{NT}{2}\\ln(2\\pi\\hat\\sigma^2(\\rho))
              + T\\ln|I_N - \\rho W| - \\frac{NT}{2},

    on the within-transformed data (``Wy`` and ``WX`` lagged before demeaning), over
    the exact admissible interval of :math:`\\rho`; ``fit(bias_correction="lee_yu")``
    then corrects the bias of the direct approach (Lee and Yu 2010), and the
    covariance is the inverse of the analytic information matrix (Elhorst 2014,
    ch. 3). Effects: :meth:`SpatialPanelResults.impacts` (LeSage and Pace 2009).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    Halleck Vega, S. and Elhorst, J. P. (2015). The SLX model. *Journal of Regional
    Science* 55(3): 339-363.

    Examples
    --------
    A simulated panel on a 6 x 6 rook lattice, 8 years, true rho = 0.4:

    >>> import numpy as np, pandas as pd
    >>> from scipy import sparse
    >>> from spatial import SpatialWeights
    >>> side, years = 6, 8
    >>> line = sparse.diags([1.0, 1.0], [-1, 1], shape=(side, side))
    >>> rook = sparse.kron(sparse.eye(side), line) + sparse.kron(line, sparse.eye(side))
    >>> w = SpatialWeights.from_sparse(rook, [f"r{i}" for i in range(side**2)]).standardize()
    >>> rng = np.random.default_rng(1)
    >>> n = side**2
    >>> x = rng.normal(size=(years, n))
    >>> inverse = np.linalg.inv(np.eye(n) - 0.4 * w.matrix.toarray())
    >>> y = np.stack([inverse @ (1.0 * x[t] + 0.5 * (w.matrix @ x[t]) + rng.normal(size=n))
    ...               for t in range(years)])
    >>> df = pd.DataFrame({"region": np.tile(w.ids, years), "year": np.repeat(range(years), n),
    ...                    "x": x.ravel(), "y": y.ravel()})
    >>> res = SpatialDurbinPanel(df, "y", ["x"], w, region="region", year="year").fit()
    >>> list(res.params.index)
    ['x', 'W_x', 'rho']
    >>> bool(abs(res.rho - 0.4) < 2 * res.std_errors["rho"])
    True
    >>> effects = res.impacts().estimates  # direct, indirect, total by variable
    >>> bool(np.isclose(effects.loc["x", "total"], (res.params["x"] + res.params["W_x"])
    ...                 / (1 - res.rho)))
    True
    """

    model_name = "SDM"
    kind = "lag"
    lags_x = True


class SpatialLagPanel(_SpatialPanelModel):
    """Spatial lag (SAR) model :math:`y = \\rho Wy + X\\beta + \\mu + \\xi + \\varepsilon`.

    Same parameters and estimation as :class:`SpatialDurbinPanel`, without ``durbin``.

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    Halleck Vega, S. and Elhorst, J. P. (2015). The SLX model. *Journal of Regional
    Science* 55(3): 339-363.
    """

    model_name = "SAR"
    kind = "lag"
    lags_x = False


class SpatialErrorPanel(_SpatialPanelModel):
    """Spatial error (SEM) model :math:`y = X\\beta + \\mu + \\xi + u`,
    :math:`u = \\lambda Wu + \\varepsilon`.

    Same parameters as :class:`SpatialLagPanel`; the likelihood is concentrated in
    :math:`\\lambda` with :math:`\\beta(\\lambda)` the GLS estimate on the filtered
    data :math:`(I - \\lambda W)y`, :math:`(I - \\lambda W)X` (Anselin 1988; Elhorst
    2014, ch. 3).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    Halleck Vega, S. and Elhorst, J. P. (2015). The SLX model. *Journal of Regional
    Science* 55(3): 339-363.
    """

    model_name = "SEM"
    kind = "error"
    lags_x = False


class SpatialDurbinErrorPanel(_SpatialPanelModel):
    """Spatial Durbin error (SDEM) model :math:`y = X\\beta + WX\\theta + \\mu + \\xi + u`,
    :math:`u = \\lambda Wu + \\varepsilon`.

    Same parameters as :class:`SpatialDurbinPanel`; estimated as the SEM with the
    lagged regressors. Its direct effects are :math:`\\beta` and its indirect
    effects :math:`\\theta` (for row-standardized W; LeSage and Pace 2009).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    Halleck Vega, S. and Elhorst, J. P. (2015). The SLX model. *Journal of Regional
    Science* 55(3): 339-363.
    """

    model_name = "SDEM"
    kind = "error"
    lags_x = True


class SACPanel(_SpatialPanelModel):
    """Spatial autoregressive model with autoregressive errors (SAC, SARAR):
    :math:`y = \\rho Wy + X\\beta + \\mu + \\xi + u`, :math:`u = \\lambda Wu + \\varepsilon`.

    Same parameters as :class:`SpatialLagPanel` (the same W in both processes, as
    splm's ``spml(lag=TRUE, spatial.error="b")`` with fixed effects). The likelihood
    is concentrated in :math:`(\\rho, \\lambda)`: for each :math:`\\rho` it is the
    error model's likelihood of :math:`y - \\rho Wy` plus :math:`T\\ln|I - \\rho W|`,
    maximised over :math:`\\lambda`, and the profile is maximised over :math:`\\rho`
    (Anselin 1988, section 6.2; Elhorst 2014, ch. 3). The covariance is the inverse
    of the numerical Hessian of the full log-likelihood. With ``lee_yu`` only
    :math:`\\sigma^2` is corrected (by T/(T - 1) for region or two-way effects,
    N/(N - 1) for year effects). Effects as for the SAR model (LeSage and Pace 2009).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.
    """

    model_name = "SAC"
    kind = "sac"
    lags_x = False


class SLXPanel(_SpatialPanelModel):
    """Spatial lag of X (SLX) model :math:`y = X\\beta + WX\\theta + \\mu + \\xi + \\varepsilon`.

    Same parameters as :class:`SpatialDurbinPanel`; estimated by OLS with the
    fixed effects absorbed (:func:`spatial.models.ols.panel_ols`), ``cov_type="analytic"``
    or ``"cluster"`` (by region). Direct effects :math:`\\beta`, indirect
    :math:`\\theta` (Halleck Vega and Elhorst 2015).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer, Dordrecht.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, ch. 3.

    Halleck Vega, S. and Elhorst, J. P. (2015). The SLX model. *Journal of Regional
    Science* 55(3): 339-363.
    """

    model_name = "SLX"
    kind = "ols"
    lags_x = True
