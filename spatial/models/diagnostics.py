"""Specification tests: likelihood ratio, Wald and Lagrange multiplier; BSK random effects.

LR and Wald compare nested spatial models (SDM against SAR, SEM and SLX);
the LM tests (Anselin 1988; Anselin, Bera, Florax, Yoon 1996; their panel
versions in Elhorst 2014, section 3.5 and Debarsy and Ertur 2010) start from the
non-spatial fixed-effects regression.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .._core.distributions import chi2_sf
from ..exceptions import SpecificationError
from ..weights import SpatialWeights
from .data import spatial_panel
from .ols import panel_ols
from .transform import Effects, resolve_effects, spatial_lag, within_transform

__all__ = [
    "HYPOTHESES",
    "FittedPanel",
    "TestResult",
    "bsk_tests",
    "lm_tests",
    "lr_test",
    "wald_test",
]


@dataclass(frozen=True)
class TestResult:
    """A test statistic with its degrees of freedom and p-value."""

    __test__ = False  # not a pytest test class

    name: str
    statistic: float
    df: int
    pvalue: float
    distribution: str = "chi2"

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.distribution}({self.df}) = {self.statistic:.4f}, "
            f"p = {self.pvalue:.4g}"
        )


class FittedPanel(Protocol):
    """What the tests read from a fitted spatial panel (a
    :class:`~spatial.models.results.SpatialPanelResults`, which imports this module: the
    tests name the attributes they use instead of importing the results class)."""

    @property
    def model(self) -> str: ...

    @property
    def params(self) -> pd.Series: ...

    @property
    def cov(self) -> pd.DataFrame: ...

    @property
    def loglik(self) -> float: ...

    @property
    def nobs(self) -> int: ...

    @property
    def n_regions(self) -> int: ...

    @property
    def n_years(self) -> int: ...

    @property
    def options(self) -> Mapping[str, Any]: ...

    @property
    def n_params(self) -> int: ...


#: Hypotheses understood by :func:`wald_test` (spaces are ignored).
HYPOTHESES = ("theta = 0", "theta + rho*beta = 0", "rho = 0")


def lr_test(unrestricted: FittedPanel, restricted: FittedPanel) -> TestResult:
    """Likelihood ratio :math:`2(\\ln L_u - \\ln L_r)` with df = difference in parameters.

    Both models must be fitted on the same observations with the same effects
    and bias-correction approach (the log-likelihoods must be comparable).

    References
    ----------
    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, section 3.5.
    """
    for attr in ("nobs", "n_regions", "n_years"):
        if getattr(unrestricted, attr) != getattr(restricted, attr):
            raise SpecificationError(f"The models differ in {attr}; they are not nested.")
    for option in ("effects", "bias_correction"):
        a, b = unrestricted.options.get(option), restricted.options.get(option)
        comparable = {a, b} <= {"none", "lee_yu"} if option == "bias_correction" else a == b
        if not comparable:
            raise SpecificationError(
                f"The models differ in {option} ({a!r} vs {b!r}); their log-likelihoods are not "
                "comparable."
            )
    df = unrestricted.n_params - restricted.n_params
    if df <= 0:
        raise SpecificationError(
            f"{unrestricted.model} has {unrestricted.n_params} parameters and {restricted.model} "
            f"{restricted.n_params}: pass the larger (unrestricted) model first."
        )
    statistic = 2.0 * (unrestricted.loglik - restricted.loglik)
    return TestResult(
        f"LR {unrestricted.model} vs {restricted.model}", statistic, df,
        float(chi2_sf(df, statistic)),
    )  # fmt: skip


def wald_test(results: FittedPanel, hypothesis: str) -> TestResult:
    """Wald test of a spatial restriction on a Durbin model.

    ``"theta = 0"`` (SDM -> SAR), ``"theta + rho*beta = 0"`` (SDM -> SEM, the
    common-factor restriction; delta method), ``"rho = 0"`` (SDM -> SLX).

    Notes
    -----
    :math:`W = g'(J V J')^{-1} g \\sim \\chi^2_q` with :math:`g` the restriction at the
    estimates, :math:`J` its Jacobian and :math:`V` the covariance of the estimates.

    References
    ----------
    Burridge, P. (1981). Testing for a common factor in a spatial autoregression model.
    *Environment and Planning A* 13(7): 795-800.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, section 3.5.
    """
    key = hypothesis.replace(" ", "")
    known = {h.replace(" ", ""): h for h in HYPOTHESES}
    if key not in known:
        choices = ", ".join(repr(h) for h in HYPOTHESES)
        raise SpecificationError(
            f"hypothesis={hypothesis!r} is not supported; use one of {choices}."
        )
    params, cov = results.params, results.cov
    lagged = [v for v in params.index if v.startswith("W_")]
    spatial = "rho" if "rho" in params.index else "lambda" if "lambda" in params.index else None
    if key == "rho=0":
        if spatial is None:
            raise SpecificationError(f"{results.model} has no spatial parameter to test.")
        index = [spatial]
        g = params[index].to_numpy()
        jac = np.eye(1)
        cov_sub = cov.loc[index, index].to_numpy()
    else:
        if not lagged:
            raise SpecificationError(f"{results.model} has no lagged regressors (theta).")
        betas = [v[2:] for v in lagged]
        theta = params[lagged].to_numpy()
        if key == "theta=0":
            index, g, jac = lagged, theta, np.eye(len(lagged))
        else:
            if spatial != "rho":
                raise SpecificationError("theta + rho*beta = 0 is a restriction of the SDM.")
            rho, beta = params["rho"], params[betas].to_numpy()
            index = [*betas, *lagged, "rho"]
            g = theta + rho * beta
            k = len(lagged)
            jac = np.hstack([rho * np.eye(k), np.eye(k), beta[:, None]])
        cov_sub = cov.loc[index, index].to_numpy()
    middle = jac @ cov_sub @ jac.T
    statistic = float(g @ np.linalg.solve(middle, g))
    df = g.size
    return TestResult(f"Wald {known[key]}", statistic, df, float(chi2_sf(df, statistic)))


def lm_tests(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: SpatialWeights,
    *,
    region: Hashable | None = None,
    year: Hashable | None = None,
    effects: Effects | None = None,
) -> pd.DataFrame:
    """LM-lag, LM-error and their robust versions from the fixed-effects OLS residuals.

    Parameters
    ----------
    data, y, x, w, region, year, effects
        As for the models (same inputs as :class:`~spatial.SpatialLagPanel`).

    Returns
    -------
    DataFrame
        Rows ``LM lag``, ``LM error``, ``robust LM lag``, ``robust LM error``;
        columns ``statistic``, ``df`` (1) and ``p_value``.

    Notes
    -----
    With OLS residuals ``e`` of the transformed model, :math:`\\hat\\sigma^2 = e'e/NT`,
    :math:`T_W = T\\,tr(W'W + WW)` and
    :math:`J = [(WX\\hat\\beta)'M(WX\\hat\\beta) + T_W\\hat\\sigma^2]/\\hat\\sigma^2`:
    LM-lag :math:`= (e'Wy/\\hat\\sigma^2)^2/J`, LM-error :math:`= (e'We/\\hat\\sigma^2)^2/T_W`,
    robust LM-lag :math:`= (e'Wy/\\hat\\sigma^2 - e'We/\\hat\\sigma^2)^2/(J - T_W)`,
    robust LM-error
    :math:`= (e'We/\\hat\\sigma^2 - T_W/J\\; e'Wy/\\hat\\sigma^2)^2/(T_W(1 - T_W/J))`
    (Anselin et al. 1996; Elhorst 2014, section 3.5). ``Wy`` is lagged before the
    within transformation, as in the models.

    References
    ----------
    Anselin, L., Bera, A. K., Florax, R. and Yoon, M. J. (1996). Simple diagnostic tests
    for spatial dependence. *Regional Science and Urban Economics* 26(1): 77-104.

    Debarsy, N. and Ertur, C. (2010). Testing for spatial autocorrelation in a fixed
    effects panel data model. *Regional Science and Urban Economics* 40(6): 453-470.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. Springer, Berlin, section 3.5.
    """
    panel = spatial_panel(data, y, x, w, region=region, year=year)
    effects = resolve_effects(effects, panel.t)
    t, n = panel.t, panel.n
    mat = panel.w.matrix
    fit = panel_ols(panel.y, panel.x, effects, names=panel.x_names)
    xt, e = fit.design, fit.resid.ravel()
    xs = panel.x if effects != "none" else np.concatenate([np.ones((t, n, 1)), panel.x], axis=2)
    wyt = within_transform(spatial_lag(mat, panel.y), effects).ravel()
    sigma2 = fit.sse / (t * n)
    we = spatial_lag(mat, fit.resid).ravel()
    wxb = within_transform(spatial_lag(mat, (xs @ fit.coef)), effects).ravel()
    m_wxb = wxb - xt @ np.linalg.lstsq(xt, wxb, rcond=None)[0]
    t_w = t * float(mat.multiply(mat.T).sum() + mat.multiply(mat).sum())  # T tr(WW + W'W)
    j = (wxb @ m_wxb + t_w * sigma2) / sigma2
    lag_score, err_score = e @ wyt / sigma2, e @ we / sigma2
    stats_ = {
        "LM lag": lag_score**2 / j,
        "LM error": err_score**2 / t_w,
        "robust LM lag": (lag_score - err_score) ** 2 / (j - t_w),
        "robust LM error": (err_score - t_w / j * lag_score) ** 2 / (t_w * (1.0 - t_w / j)),
    }
    out = pd.DataFrame({"statistic": pd.Series(stats_)})
    out["df"] = 1
    out["p_value"] = chi2_sf(1, out["statistic"])
    return out


def bsk_tests(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: SpatialWeights,
    *,
    region: Hashable | None = None,
    year: Hashable | None = None,
) -> pd.DataFrame:
    """Baltagi, Song and Koh (2003) LM tests for random effects and spatial error
    correlation, from the pooled OLS residuals (as splm's ``bsktest``).

    Returns
    -------
    DataFrame
        Rows ``LM1`` (random effects, N(0, 1), one-sided), ``LM2`` (spatial error,
        N(0, 1), two-sided), ``LMJ`` (joint, chi2(2)) and ``LMH`` (Honda-type joint,
        one-sided); columns ``statistic`` and ``p_value``.

    Notes
    -----
    The statistics of :func:`spatial.models.random_effects.bsk_tests` on the residuals of
    OLS with a constant (:func:`spatial.models.ols.panel_ols` without effects).

    References
    ----------
    Baltagi, B. H., Song, S. H. and Koh, W. (2003). Testing panel data regression
    models with spatial error correlation. *Journal of Econometrics* 117(1): 123-150.
    """
    from .random_effects import bsk_tests as kernel

    panel = spatial_panel(data, y, x, w, region=region, year=year)
    residuals = panel_ols(panel.y, panel.x, "none", names=panel.x_names).resid
    found = kernel(residuals, panel.w.matrix)
    rows = {
        "LM1": (found.lm1, found.lm1_pvalue),
        "LM2": (found.lm2, found.lm2_pvalue),
        "LMJ": (found.lmj, found.lmj_pvalue),
        "LMH": (found.lmh, found.lmh_pvalue),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["statistic", "p_value"])
