"""Dynamic spatial Durbin panels with fixed effects, by (bias-corrected) QML.

The model (Yu, de Jong and Lee 2008; Lee and Yu 2010b; Elhorst 2014, ch. 4) is

.. math:: y_t = \\tau y_{t-1} + \\eta W y_{t-1} + \\rho W y_t + X_t\\beta + W X_t\\theta
    + \\mu + \\alpha_t + \\varepsilon_t, \\qquad t = 2, \\dots, T,

with region effects :math:`\\mu` (``effects="individual"``) and optionally year effects
:math:`\\alpha_t` (``"twoways"``). :func:`fit_dynamic` works on time-major arrays
``y (T, N)`` and ``X (T, N, K)``: it lags first (``y_{t-1}``, ``W y_{t-1}``, ``W y_t`` and
``W X_t`` on the raw data), drops the first period, demeans over the remaining ``T - 1``
periods, concentrates the likelihood in :math:`\\rho` exactly as the static lag model
(:func:`spatial.models.likelihood.concentrated_lag_loglik`) and, with
``bias_correction="transformation"``, removes the :math:`O(1/T)` bias of Yu, de Jong
and Lee (2008) as SDPDmod's ``SDPDm(..., LYtrans = TRUE, dynamic = TRUE)`` does.
:func:`dynamic_effects` gives the short- and long-run direct, indirect and total effects
(Debarsy, Ertur and LeSage 2012) with delta-method or simulated standard errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from spatial._core.options import check_option

from ..exceptions import EstimationError, PanelStructureError, SpecificationError
from ..weights import SpatialWeights
from .covariance import InverseFilter, covariance_from_information, lag_information
from .estimate import maximize_scalar
from .impacts import multipliers
from .likelihood import Scaling, concentrated_lag_loglik, full_lag_loglik, lag_moments
from .logdet import EIGEN_LIMIT, make_logdet
from .spectral import EigenSpectrum
from .transform import spatial_lag, within_transform

__all__ = [
    "DynamicEffects",
    "DynamicFit",
    "dynamic_bias",
    "dynamic_effects",
    "fit_dynamic",
    "stability_modulus",
]

Dynamic = Literal["time", "spacetime", "both", "none"]
DynamicEffectsKind = Literal["individual", "twoways"]
DynamicCorrection = Literal["none", "transformation"]
DynamicCov = Literal["analytic", "qml"]
DYNAMIC_TERMS: dict[str, tuple[str, ...]] = {
    "time": ("y_lag",),
    "spacetime": ("W_y_lag",),
    "both": ("y_lag", "W_y_lag"),
    "none": (),
}


@dataclass(frozen=True)
class DynamicFit:
    """Estimates of a dynamic spatial Durbin panel.

    Attributes
    ----------
    params : Series
        ``[x..., W_x..., y_lag?, W_y_lag?, rho]`` (bias corrected with
        ``bias_correction="transformation"``).
    cov : DataFrame
        Covariance of ``params`` (``sigma2`` left out).
    sigma2, sigma2_se : float
        Error variance and its standard error.
    loglik : float
        Log-likelihood at ``params`` and ``sigma2`` (the scaling of ``options["scaling"]``).
    nobs : int
        ``N (T - 1)``, the observations used (the first period is lost).
    n_regions, n_years : int
        ``N`` and ``T`` (periods of the data, the lost one included).
    uncorrected : Series
        The QML estimates before the bias correction (with ``sigma2`` last).
    bias : Series
        :math:`\\hat\\theta - \\tilde\\theta` (zero without correction), with ``sigma2``.
    options : dict
        ``dynamic``, ``effects``, ``bias_correction``, ``cov_type``, ``logdet``,
        ``bounds``, ``scaling`` (nobs, periods, unit_root), ``converged``, ``unit_roots``
        (eigenvalues removed from the bias, see :func:`dynamic_bias`) and ``stability``.
    """

    params: pd.Series
    cov: pd.DataFrame
    sigma2: float
    sigma2_se: float
    loglik: float
    nobs: int
    n_regions: int
    n_years: int
    uncorrected: pd.Series
    bias: pd.Series
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def std_errors(self) -> pd.Series:
        """Square roots of the diagonal of ``cov``."""
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index)


def _check_arrays(y: np.ndarray, x: np.ndarray, w: SpatialWeights) -> tuple[np.ndarray, ...]:
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[:, :, None]
    if y.ndim != 2 or x.ndim != 3 or x.shape[:2] != y.shape:
        raise SpecificationError(
            f"y must be (T, N) and x (T, N, K) with the same T and N; got {y.shape} and {x.shape}."
        )
    if y.shape[1] != w.n:
        raise SpecificationError(f"y has {y.shape[1]} regions but W has {w.n}.")
    if y.shape[0] < 3:
        raise PanelStructureError(
            f"A dynamic panel needs at least 3 periods (one is lost to the lag); got {y.shape[0]}."
        )
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise SpecificationError("y and x must be finite.")
    return y, x


def stability_modulus(tau: float, eta: float, rho: float, w: SpatialWeights) -> float:
    """Largest modulus of the eigenvalues of :math:`(I - \\rho W)^{-1}(\\tau I + \\eta W)`.

    Parameters
    ----------
    tau, eta, rho : float
        Time, space-time and spatial autoregressive parameters.
    w : SpatialWeights

    Returns
    -------
    float
        :math:`\\max_i |(\\tau + \\eta\\omega_i)/(1 - \\rho\\omega_i)|` over the eigenvalues
        :math:`\\omega_i` of W; the model is stable when it is below 1.

    Notes
    -----
    The reduced form is :math:`y_t = A y_{t-1} + \\dots` with
    :math:`A = (I - \\rho W)^{-1}(\\tau I + \\eta W)`, whose eigenvalues are
    :math:`(\\tau + \\eta\\omega_i)/(1 - \\rho\\omega_i)`; stationarity needs all of them
    inside the unit circle (Yu, de Jong and Lee 2008, assumption 4; Debarsy, Ertur and
    LeSage 2012; Elhorst 2014, ch. 4, who writes it for a row-standardized W with real
    eigenvalues as :math:`\\tau + (\\rho + \\eta)\\omega_{max} < 1` and
    :math:`\\tau + (\\rho + \\eta)\\omega_{min} > -1` in the special case
    :math:`\\rho = 0`). Up to ``EIGEN_LIMIT`` (1,000) regions all eigenvalues are used;
    above, the map :math:`\\omega \\mapsto (\\tau + \\eta\\omega)/(1 - \\rho\\omega)` is monotone
    on the real interval of W's eigenvalues, so its extremes are at the interval's
    ends (exact for real spectra, e.g. a row-standardized symmetric W).

    References
    ----------
    Yu, J., de Jong, R. and Lee, L.-F. (2008). Quasi-maximum likelihood estimators for
    spatial dynamic panel data with fixed effects when both n and T are large. *Journal of
    Econometrics* 146(1): 118-134.

    Debarsy, N., Ertur, C. and LeSage, J. P. (2012). Interpreting dynamic space-time
    panel data models. *Statistical Methodology* 9(1-2): 158-171.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    W with eigenvalues 1 and -1: :math:`\\max(|0.5 + 0.1|/0.8, |0.5 - 0.1|/1.2) = 0.75`:

    >>> w = SpatialWeights.from_sparse(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> round(stability_modulus(0.5, 0.1, 0.2, w), 6)
    0.75
    """
    if w.n <= EIGEN_LIMIT:
        omega = np.asarray(w.eigenvalues())
    else:
        omega = np.asarray(w.eigenvalue_range(), dtype=np.float64)
    return float(np.max(np.abs((tau + eta * omega) / (1.0 - rho * omega))))


def dynamic_bias(
    tau: float,
    eta: float,
    rho: float,
    sigma2: float,
    w: SpatialWeights,
    *,
    terms: tuple[str, ...],
    effects: DynamicEffectsKind,
    periods: int,
    n_probes: int = 50,
    seed: int | None = 0,
) -> tuple[dict[str, float], int]:
    """The bias vector :math:`b` of Yu, de Jong and Lee (2008) for the lagged terms, rho, sigma2.

    Parameters
    ----------
    tau, eta, rho, sigma2 : float
        Estimates (``tau``/``eta`` are 0 when the term is absent).
    w : SpatialWeights
    terms : tuple of str
        Lagged terms in the model (``"y_lag"``, ``"W_y_lag"``).
    effects : {"individual", "twoways"}
        With ``"twoways"`` the unit eigenvalue of the row-standardized W is removed
        (Lee and Yu 2010a transformation: ``n = N - 1``).
    periods : int
        ``T - 1``, the periods used.

    Returns
    -------
    b : dict
        Entries ``y_lag``, ``W_y_lag``, ``rho``, ``sigma2`` (zeros for the coefficients of
        X and WX, which are not returned).
    unit_roots : int
        Number of eigenvalues of :math:`A` removed as (near) unit roots.

    Notes
    -----
    With :math:`S = I - \\rho W`, :math:`G = WS^{-1}`, :math:`A = S^{-1}(\\tau I + \\eta W)`
    and :math:`M = (I - A)^{-1}S^{-1} = ((1 - \\tau)I - (\\rho + \\eta)W)^{-1}`,

    .. math::
        b_\\tau = \\tfrac1n tr\\,M, \\quad b_\\eta = \\tfrac1n tr\\,WM, \\quad
        b_\\rho = \\tfrac\\tau n tr\\,GM + \\tfrac\\eta n tr\\,GWM + \\tfrac1n tr\\,G, \\quad
        b_{\\sigma^2} = \\frac1{2\\sigma^2},

    (Yu, de Jong and Lee 2008, the leading bias of Theorem 3 with its :math:`(I - A)^{-1}`
    series summed; the space-time term as in SDPDmod's ``SDPDm``). The QML estimator has
    bias :math:`-\\Sigma^{-1}b/T` and :func:`fit_dynamic` returns
    :math:`\\tilde\\theta = \\hat\\theta + \\Sigma^{-1}b/(T-1)` (``T - 1`` periods used),
    :math:`\\Sigma` the information matrix divided by the observations.

    Every trace is a sum over the eigenvalues :math:`\\omega` of W of
    :math:`m = 1/((1 - \\tau) - (\\rho + \\eta)\\omega)`, :math:`\\omega m`,
    :math:`g m`, :math:`g\\omega m` and :math:`g = \\omega/(1 - \\rho\\omega)`. With year effects
    (``"twoways"``, row-standardized W) the Lee-Yu (2010a) orthonormal transformation
    removes the eigenvalue :math:`\\omega = 1`: the sums run over the other ``N - 1``
    eigenvalues and ``n = N - 1``; with region effects alone ``n = N``. As in SDPDmod,
    eigenvalues :math:`a = (\\tau + \\eta\\omega)/(1 - \\rho\\omega)` of :math:`A` with real part
    above :math:`1 - 1/n` (spatial cointegration) are left out of the sums and replaced by
    :math:`(T-1)/(2(1 - \\rho)) \\cdot m_u/n` in :math:`b_\\tau, b_\\eta, b_\\rho`,
    :math:`m_u` their number (Yu, de Jong and Lee 2012; SDPDmod adds no such term when
    only ``y_lag`` is in the model, a slip this function does not copy).

    Up to ``EIGEN_LIMIT`` regions the eigenvalues are exact; above, the traces are
    Hutchinson (1989) estimates with ``n_probes`` Rademacher probes and sparse LU solves of
    :math:`S` and :math:`(1 - \\tau)I - (\\rho + \\eta)W` (no unit-root screening).

    References
    ----------
    Yu, J., de Jong, R. and Lee, L.-F. (2008). Quasi-maximum likelihood estimators for
    spatial dynamic panel data with fixed effects when both n and T are large. *Journal of
    Econometrics* 146(1): 118-134.

    Yu, J., de Jong, R. and Lee, L.-F. (2012). Estimation for spatial dynamic panel data
    with fixed effects: the case of spatial cointegration. *Journal of Econometrics*
    167(1): 16-37.

    Lee, L.-F. and Yu, J. (2010a). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Lee, L.-F. and Yu, J. (2010b). A spatial dynamic panel data model with both time and
    individual fixed effects. *Econometric Theory* 26(2): 564-597.

    Hutchinson, M. F. (1989). A stochastic estimator of the trace of the influence matrix
    for Laplacian smoothing splines. *Communications in Statistics - Simulation and
    Computation* 18(3): 1059-1076.

    Examples
    --------
    W with eigenvalues 1 and -1, :math:`\\tau = 0.5`, :math:`\\eta = \\rho = 0`: :math:`m = 2`,
    so :math:`b_\\tau = (2 + 2)/2 = 2` with region effects, and :math:`b_\\rho = 0`:

    >>> w = SpatialWeights.from_sparse(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> b, roots = dynamic_bias(0.5, 0.0, 0.0, 1.0, w, terms=("y_lag",),
    ...                         effects="individual", periods=9)
    >>> {k: round(v, 6) for k, v in b.items()}, roots
    ({'y_lag': 2.0, 'rho': 0.0, 'sigma2': 0.5}, 0)
    """
    n_all = w.n
    drop_unit = effects == "twoways"
    n = n_all - 1 if drop_unit else n_all
    roots = 0
    if n_all <= EIGEN_LIMIT:
        omega = np.asarray(w.eigenvalues()).astype(complex)
        if drop_unit:
            omega = np.delete(omega, int(np.argmin(np.abs(omega - 1.0))))
        a = (tau + eta * omega) / (1.0 - rho * omega)
        unit = a.real > 1.0 - 1.0 / n
        roots = int(unit.sum())
        omega = omega[~unit]
        m = 1.0 / ((1.0 - tau) - (rho + eta) * omega)
        g = omega / (1.0 - rho * omega)
        tr_m, tr_wm = np.sum(m).real, np.sum(omega * m).real
        tr_gm, tr_gwm = np.sum(g * m).real, np.sum(g * omega * m).real
        tr_g = float(np.sum(g).real)
    else:
        mat = sparse.csc_matrix(w.matrix)
        eye = sparse.identity(n_all, format="csc")
        s_lu = sparse_linalg.splu(sparse.csc_matrix(eye - rho * mat))
        m_lu = sparse_linalg.splu(sparse.csc_matrix((1.0 - tau) * eye - (rho + eta) * mat))
        z = np.random.default_rng(seed).choice([-1.0, 1.0], size=(n_all, n_probes))
        u = m_lu.solve(z)
        wu = mat @ u

        def probe(v: np.ndarray) -> float:
            return float(np.einsum("ij,ij->", z, v) / n_probes)

        tr_m, tr_wm = probe(u), probe(wu)
        tr_gm = probe(mat @ s_lu.solve(u))
        tr_gwm = probe(mat @ s_lu.solve(wu))
        tr_g = probe(mat @ s_lu.solve(z))
        if drop_unit:  # remove the eigenvalue 1 (eigenvector 1) of a row-standardized W
            m1, g1 = 1.0 / (1.0 - tau - rho - eta), 1.0 / (1.0 - rho)
            tr_m, tr_wm, tr_gm, tr_gwm = tr_m - m1, tr_wm - m1, tr_gm - g1 * m1, tr_gwm - g1 * m1
            tr_g -= g1
    unit_term = periods / (2.0 * (1.0 - rho)) * roots / n
    b: dict[str, float] = {}
    if "y_lag" in terms:
        b["y_lag"] = float(tr_m) / n + unit_term
    if "W_y_lag" in terms:
        b["W_y_lag"] = float(tr_wm) / n + unit_term
    b["rho"] = (tau * float(tr_gm) + eta * float(tr_gwm) + tr_g) / n + unit_term
    b["sigma2"] = 1.0 / (2.0 * sigma2)
    return b, roots


def _kurtosis_adjustment(
    filt: InverseFilter, sigma2: float, resid: np.ndarray, k: int, scaling: Scaling
) -> np.ndarray:
    """Fourth-moment part of the QML covariance (see :func:`fit_dynamic`, ``cov_type``)."""
    g = filt.diagonal()
    if scaling.unit_root:  # diagonal of JGJ, the transformed G
        g = g - _centred_diag(filt)
    kappa = float(np.mean(resid**4)) - 3.0 * sigma2**2
    tr_g = float(np.sum(g))
    omega = np.zeros((k + 2, k + 2))
    omega[k, k] = kappa * scaling.periods * float(g @ g) / sigma2**2
    omega[k, k + 1] = omega[k + 1, k] = kappa * scaling.periods * tr_g / (2.0 * sigma2**3)
    omega[k + 1, k + 1] = kappa * scaling.nobs / (4.0 * sigma2**4)
    return omega


def _centred_diag(filt: InverseFilter) -> np.ndarray:
    """``diag(G) - diag(JGJ)``: the change of the diagonal when the means are removed."""
    n = filt.w.n
    ones = np.ones((n, 1))
    row = filt.g(ones).ravel() / n  # G 1 / N
    col = filt.g_transpose(ones).ravel() / n  # G' 1 / N
    total = float(row.sum()) / n  # 1'G1 / N^2
    return row + col - total


def fit_dynamic(
    y: np.ndarray,
    x: np.ndarray,
    w: SpatialWeights,
    *,
    x_names: Sequence[str] | None = None,
    durbin_cols: Sequence[int] | None = None,
    dynamic: Dynamic = "both",
    effects: DynamicEffectsKind = "twoways",
    bias_correction: DynamicCorrection = "transformation",
    logdet: Literal["auto", "eigen", "lu", "chebyshev", "mc"] = "auto",
    cov_type: DynamicCov = "analytic",
    n_probes: int = 50,
    seed: int | None = 0,
) -> DynamicFit:
    """Fit the dynamic spatial Durbin panel by QML, with the Yu-de Jong-Lee correction.

    Parameters
    ----------
    y : ndarray, shape (T, N)
        Dependent variable, time-major, regions in W's order.
    x : ndarray, shape (T, N, K)
        Regressors.
    w : SpatialWeights
    x_names : sequence of str, optional
        Names of the K regressors (default ``x1..xK``).
    durbin_cols : sequence of int, optional
        Columns of ``x`` whose spatial lags enter (default all; ``[]`` gives the dynamic
        SAR model).
    dynamic : {"time", "spacetime", "both", "none"}
        Lagged terms: :math:`y_{t-1}` (``y_lag``), :math:`Wy_{t-1}` (``W_y_lag``) or both;
        ``"none"`` fits the static SDM on periods ``2..T`` (for checks).
    effects : {"individual", "twoways"}
        Region, or region and year, fixed effects.
    bias_correction : {"transformation", "none"}
        ``"none"``: the direct QML on the within-transformed data of periods ``2..T``
        (SDPDmod's ``LYtrans = FALSE``). ``"transformation"``: the Lee-Yu approach with the
        bias correction of Yu, de Jong and Lee (2008) (SDPDmod's ``LYtrans = TRUE``): with
        ``"twoways"`` the year effects are removed by the orthonormal transformation
        (``(N - 1)(T - 1)`` observations, the log-determinant without W's unit root; a
        row-standardized W is required); then
        :math:`\\tilde\\theta = \\hat\\theta + \\Sigma^{-1}b/(T - 1)` with ``b`` from
        :func:`dynamic_bias`.
    logdet : {"auto", "eigen", "lu", "chebyshev", "mc"}
        Log-determinant kernel (:func:`spatial.models.logdet.make_logdet`).
    cov_type : {"analytic", "qml"}
        Inverse of the information matrix, or the QML sandwich
        :math:`\\Sigma^{-1} + \\Sigma^{-1}\\Omega\\Sigma^{-1}` with the fourth-moment part of
        :math:`\\Omega` only (as SDPDmod's dynamic models; Yu, de Jong and Lee 2008, eq. 17
        with :math:`\\mu_3 = 0`).
    n_probes, seed : int
        Hutchinson probes (large N).

    Returns
    -------
    DynamicFit

    Raises
    ------
    SpecificationError, PanelStructureError, CollinearityError, EstimationError

    Notes
    -----
    With :math:`z_t = [X_t, WX_t, y_{t-1}, Wy_{t-1}]` (lagged on the raw data), ``Q`` the
    within transformation over periods ``2..T`` and :math:`\\gamma` the coefficients, the
    concentrated log-likelihood is that of the static lag model,

    .. math:: \\ln L(\\rho) = -\\frac n2\\left[\\ln\\left(2\\pi
        \\frac{(e_0 - \\rho e_1)'(e_0 - \\rho e_1)}{n}\\right) + 1\\right]
        + T'[\\ln|I - \\rho W| - u\\ln(1 - \\rho)],

    :math:`e_0, e_1` the residuals of :math:`Qy` and :math:`QWy` on :math:`QZ`, with
    :math:`(n, T', u) = (N(T-1), T-1, 0)` for ``"none"`` and for region effects and
    :math:`((N-1)(T-1), T-1, 1)` for ``"transformation"`` with year effects (Lee and Yu
    2010a, b; Yu, de Jong and Lee 2008). It is maximised over W's admissible interval
    (:func:`spatial.models.estimate.maximize_scalar`), :math:`\\hat\\gamma = b_0 - \\hat\\rho b_1`,
    :math:`\\hat\\sigma^2 = SSE/n`. The information matrix is that of the lag model on the
    design with the lagged terms (:func:`spatial.models.covariance.lag_information`, Elhorst 2014,
    eq. 3.11; the ``G`` of the transformed W is :math:`JGJ` with year effects), evaluated at
    the reported (corrected) estimates, as SDPDmod does.

    References
    ----------
    Yu, J., de Jong, R. and Lee, L.-F. (2008). Quasi-maximum likelihood estimators for
    spatial dynamic panel data with fixed effects when both n and T are large. *Journal of
    Econometrics* 146(1): 118-134.

    Lee, L.-F. and Yu, J. (2010a). Estimation of spatial autoregressive panel data models
    with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Lee, L.-F. and Yu, J. (2010b). A spatial dynamic panel data model with both time and
    individual fixed effects. *Econometric Theory* 26(2): 564-597.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Simonovska, R. (2025). SDPDmod: Spatial Dynamic Panel Data Modeling. R package
    version 0.0.6.
    """
    check_option("dynamic", dynamic, tuple(DYNAMIC_TERMS))
    check_option("effects", effects, ("individual", "twoways"))
    check_option("bias_correction", bias_correction, ("none", "transformation"))
    check_option("cov_type", cov_type, ("analytic", "qml"))
    y, x = _check_arrays(y, x, w)
    t_all, n = y.shape
    k = x.shape[2]
    names_x = tuple(x_names) if x_names is not None else tuple(f"x{j + 1}" for j in range(k))
    if len(names_x) != k:
        raise SpecificationError(f"x_names has {len(names_x)} names for {k} regressors.")
    cols = list(range(k)) if durbin_cols is None else [int(c) for c in durbin_cols]
    if any(c < 0 or c >= k for c in cols) or len(set(cols)) != len(cols):
        raise SpecificationError(f"durbin_cols must be distinct columns of x (0..{k - 1}).")
    terms = DYNAMIC_TERMS[dynamic]
    if bias_correction == "transformation" and not terms:
        raise SpecificationError('bias_correction="transformation" needs a dynamic term.')
    if bias_correction == "transformation" and effects == "twoways":
        if not w.is_row_standardized:
            raise SpecificationError(
                "The Lee-Yu transformation with year effects needs a row-standardized W."
            )

    mat = w.matrix
    periods = t_all - 1
    blocks = [x[1:]]
    if cols:
        blocks.append(spatial_lag(mat, x[1:][:, :, cols]))
    if "y_lag" in terms:
        blocks.append(y[:-1, :, None])
    if "W_y_lag" in terms:
        blocks.append(spatial_lag(mat, y[:-1])[:, :, None])
    raw = np.concatenate(blocks, axis=2)
    names = (*names_x, *(f"W_{names_x[c]}" for c in cols), *terms)
    z = within_transform(raw, effects).reshape(periods * n, -1)
    yy = within_transform(y[1:], effects).ravel()
    wy = within_transform(spatial_lag(mat, y[1:]), effects).ravel()
    moments = lag_moments(yy, wy, z, names)

    if bias_correction == "transformation" and effects == "twoways":
        scaling = Scaling((n - 1) * periods, periods, unit_root=True)
    else:
        scaling = Scaling(n * periods, periods)
    ld = make_logdet(w, logdet, n_probes=n_probes, seed=seed)
    exact = ld.method in ("eigen", "lu") and isinstance(ld.spectrum, EigenSpectrum)

    def slope(r: float) -> float:
        trace = -float(ld.spectrum.sum(r, 1, 1)) + (1.0 / (1.0 - r) if scaling.unit_root else 0.0)
        score = scaling.nobs * float(moments.e01 - r * moments.e11) / float(moments.sse(r))
        return score + scaling.periods * trace

    best = maximize_scalar(
        lambda r: concentrated_lag_loglik(r, moments, ld, scaling),
        ld.bounds,
        grid=16 if ld.method == "lu" else 40,
        derivative=slope if exact else None,
    )
    rho = best.argmax
    coef = moments.coefficients(rho)
    sigma2 = float(moments.sse(rho)) / scaling.nobs
    labels = [*names, "rho", "sigma2"]
    theta_hat = np.concatenate([coef, [rho, sigma2]])

    def information(theta: np.ndarray) -> np.ndarray:
        filt = InverseFilter(w, float(theta[-2]), n_probes=n_probes, seed=seed)
        return lag_information(
            z, theta[:-2], float(theta[-2]), float(theta[-1]), filt, effects, (periods, n), scaling
        )

    theta = theta_hat.copy()
    roots = 0
    if bias_correction == "transformation":
        tau = float(coef[names.index("y_lag")]) if "y_lag" in terms else 0.0
        eta = float(coef[names.index("W_y_lag")]) if "W_y_lag" in terms else 0.0
        b, roots = dynamic_bias(
            tau, eta, rho, sigma2, w, terms=terms, effects=effects, periods=periods,
            n_probes=n_probes, seed=seed,
        )  # fmt: skip
        vector = np.array([b.get(label, 0.0) for label in labels])
        sigma = information(theta_hat) / scaling.nobs
        theta = theta_hat + np.linalg.solve(sigma, vector) / periods
    info = information(theta)
    full_cov = covariance_from_information(info)
    coef, rho, sigma2 = theta[:-2], float(theta[-2]), float(theta[-1])
    if cov_type == "qml":
        resid = yy - rho * wy - z @ coef
        filt = InverseFilter(w, rho, n_probes=n_probes, seed=seed)
        omega = _kurtosis_adjustment(filt, sigma2, resid, coef.size, scaling)
        full_cov = full_cov + full_cov @ omega @ full_cov
    loglik = full_lag_loglik(coef, rho, sigma2, yy, wy, z, ld, scaling)
    params = pd.Series(theta[:-1], index=labels[:-1])
    tau_f = float(params.get("y_lag", 0.0))
    eta_f = float(params.get("W_y_lag", 0.0))
    options: dict[str, Any] = {
        "dynamic": dynamic,
        "effects": effects,
        "bias_correction": bias_correction,
        "cov_type": cov_type,
        "logdet": ld.method,
        "bounds": ld.bounds,
        "scaling": (scaling.nobs, scaling.periods, scaling.unit_root),
        "converged": best.converged and not best.at_bound,
        "unit_roots": roots,
        "stability": stability_modulus(tau_f, eta_f, rho, w) if terms else 0.0,
        "x_names": names_x,
        "durbin": tuple(names_x[c] for c in cols),
        "n_probes": n_probes,
        "seed": seed,
    }
    return DynamicFit(
        params=params,
        cov=pd.DataFrame(full_cov[:-1, :-1], index=params.index, columns=params.index),
        sigma2=sigma2,
        sigma2_se=float(np.sqrt(full_cov[-1, -1])),
        loglik=float(loglik),
        nobs=n * periods,
        n_regions=n,
        n_years=t_all,
        uncorrected=pd.Series(theta_hat, index=labels),
        bias=pd.Series(theta_hat - theta, index=labels),
        options=options,
    )


@dataclass(frozen=True)
class DynamicEffects:
    """Short- and long-run direct, indirect and total effects of a dynamic SDM.

    Attributes
    ----------
    estimates, std_errors : DataFrame
        Variables in rows; columns ``(horizon, effect)`` with horizon ``short``/``long``
        and effect ``direct``/``indirect``/``total``.
    method : str
        ``delta`` or ``simulation``.
    n_draws, n_discarded : int
        Simulation draws and draws discarded as unstable or outside W's interval.
    stability : float
        :func:`stability_modulus` at the estimates.
    """

    estimates: pd.DataFrame
    std_errors: pd.DataFrame
    method: str
    n_draws: int
    n_discarded: int
    stability: float


def _effects_matrix(
    p: np.ndarray, layout: dict[str, Any], spectrum: Any
) -> np.ndarray:  # (D, K, 6): short d/i/t, long d/i/t
    rho = p[:, layout["rho"]]
    tau = p[:, layout["tau"]] if layout["tau"] is not None else np.zeros(len(p))
    eta = p[:, layout["eta"]] if layout["eta"] is not None else np.zeros(len(p))
    out = np.empty((len(p), len(layout["beta"]), 6))
    for h, (r, scale) in enumerate(((rho, 1.0), ((rho + eta) / (1.0 - tau), 1.0 / (1.0 - tau)))):
        m = multipliers(r, spectrum)
        for j, (bi, ti) in enumerate(zip(layout["beta"], layout["theta"], strict=True)):
            beta = p[:, bi]
            theta = p[:, ti] if ti >= 0 else 0.0
            direct = scale * (beta * m.a + theta * m.b)
            total = scale * (beta * m.c0 + theta * m.c1)
            out[:, j, 3 * h : 3 * h + 3] = np.column_stack([direct, total - direct, total])
    return out


def dynamic_effects(
    fit: DynamicFit,
    w: SpatialWeights,
    *,
    method: Literal["delta", "simulation"] = "delta",
    n_draws: int = 1000,
    seed: int | None = 0,
    step: float = 1e-6,
) -> DynamicEffects:
    """Short- and long-run effects with delta-method or simulated standard errors.

    Parameters
    ----------
    fit : DynamicFit
    w : SpatialWeights
        The W of the fit.
    method : {"delta", "simulation"}
        Delta method with a central-difference gradient of the effects in the
        parameters, or ``n_draws`` draws from :math:`N(\\hat\\theta, \\hat V)` (seeded
        ``numpy.random.Generator``) whose standard deviations are reported; the
        estimates are the plug-in values either way.
    step : float
        Relative step of the central differences.

    Raises
    ------
    EstimationError
        The estimates are unstable (:func:`stability_modulus` >= 1): the long-run effects
        do not exist.

    Notes
    -----
    Short run :math:`S_k = (I - \\rho W)^{-1}(\\beta_k I + \\theta_k W)`; long run
    :math:`L_k = ((1 - \\tau)I - (\\rho + \\eta)W)^{-1}(\\beta_k I + \\theta_k W)
    = (1 - \\tau)^{-1}(I - \\rho^* W)^{-1}(\\beta_k I + \\theta_k W)` with
    :math:`\\rho^* = (\\rho + \\eta)/(1 - \\tau)`; direct = :math:`tr(\\cdot)/N`, total =
    :math:`1'(\\cdot)1/N`, indirect = total - direct (Debarsy, Ertur and LeSage 2012;
    Elhorst 2014, ch. 4). Both are evaluated by the spectral multipliers of
    :func:`spatial.models.impacts.multipliers` (exact eigenvalues up to 1,000 regions, power
    series with Hutchinson traces above), so no N x N matrix is inverted. The delta
    method uses :math:`\\nabla e' \\hat V \\nabla e`.

    References
    ----------
    Debarsy, N., Ertur, C. and LeSage, J. P. (2012). Interpreting dynamic space-time
    panel data models. *Statistical Methodology* 9(1-2): 158-171.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
    Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC Press,
    Boca Raton.
    """
    check_option("method", method, ("delta", "simulation"))
    index = list(fit.params.index)
    names = fit.options["x_names"]
    durbin = fit.options["durbin"]
    layout: dict[str, Any] = {
        "beta": [index.index(v) for v in names],
        "theta": [index.index(f"W_{v}") if v in durbin else -1 for v in names],
        "rho": index.index("rho"),
        "tau": index.index("y_lag") if "y_lag" in index else None,
        "eta": index.index("W_y_lag") if "W_y_lag" in index else None,
    }
    ld = make_logdet(w, "auto", n_probes=fit.options["n_probes"], seed=fit.options["seed"])
    p0 = fit.params.to_numpy()
    tau = float(fit.params.get("y_lag", 0.0))
    eta = float(fit.params.get("W_y_lag", 0.0))
    modulus = stability_modulus(tau, eta, float(fit.params["rho"]), w)
    if modulus >= 1.0:
        raise EstimationError(
            f"The estimates are not stable: the eigenvalues of (I - rho W)^-1 (tau I + eta W) "
            f"reach modulus {modulus:.4g} >= 1, so the long-run effects do not exist."
        )
    est = _effects_matrix(p0[None], layout, ld.spectrum)[0]
    cov = fit.cov.to_numpy()
    discarded, draws = 0, 0
    if method == "delta":
        h = step * np.maximum(np.abs(p0), 1.0)
        shifts = np.concatenate([p0 + np.diag(h), p0 - np.diag(h)])
        values = _effects_matrix(shifts, layout, ld.spectrum)
        grad = (values[: p0.size] - values[p0.size :]) / (2.0 * h[:, None, None])
        se = np.sqrt(np.einsum("ajk,ab,bjk->jk", grad, cov, grad))
    else:
        draws = n_draws
        rng = np.random.default_rng(seed)
        sample = rng.multivariate_normal(p0, cov, size=n_draws, method="cholesky")
        low, high = ld.bounds
        t_d = sample[:, layout["tau"]] if layout["tau"] is not None else np.zeros(n_draws)
        e_d = sample[:, layout["eta"]] if layout["eta"] is not None else np.zeros(n_draws)
        r_d = sample[:, layout["rho"]]
        ok = (r_d > low) & (r_d < high)
        ok &= np.array([stability_modulus(a, b, c, w) < 1.0 for a, b, c in zip(t_d, e_d, r_d)])
        discarded = int((~ok).sum())
        values = _effects_matrix(sample[ok], layout, ld.spectrum)
        se = values.std(axis=0, ddof=1)
    columns = pd.MultiIndex.from_product(
        [("short", "long"), ("direct", "indirect", "total")], names=["horizon", "effect"]
    )
    return DynamicEffects(
        estimates=pd.DataFrame(est, index=list(names), columns=columns),
        std_errors=pd.DataFrame(se, index=list(names), columns=columns),
        method=method,
        n_draws=draws,
        n_discarded=discarded,
        stability=modulus,
    )
