"""Log-likelihoods of the spatial lag (SAR, SDM) and spatial error (SEM, SDEM) models.

All functions take the within-transformed, stacked data of length ``NT``:
``y`` and ``wy`` (the transformed spatial lag of ``y``), the design ``z`` (``X`` and,
for Durbin models, ``WX``) and, for error models, ``wz``. The concentrated
forms are vectorised over many values of the spatial parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..exceptions import CollinearityError

__all__ = [
    "LagMoments",
    "Scaling",
    "concentrated_error_loglik",
    "concentrated_lag_loglik",
    "error_regression",
    "full_error_loglik",
    "full_lag_loglik",
    "lag_moments",
    "least_squares",
]

LogDet = Callable[[ArrayLike], np.ndarray]


@dataclass(frozen=True)
class Scaling:
    """Constants of a log-likelihood: effective observations and the log-det weight.

    The direct approach (Elhorst 2014) uses ``nobs = NT`` and ``periods = T``;
    the Lee-Yu (2010) transformation approach uses ``nobs = N(T-1)``,
    ``(N-1)T`` or ``(N-1)(T-1)`` and ``periods = T-1`` or ``T``, with
    ``unit_root=True`` when the time effects remove W's unit eigenvalue
    (the :math:`-\\ln(1-\\rho)` term of a row-standardized W).

    Attributes
    ----------
    nobs : float
        Effective number of observations ``n`` of the Gaussian part.
    periods : float
        Weight ``T`` of the log-determinant (periods that repeat the cross-section).
    unit_root : bool
        Whether :meth:`logdet_term` removes the unit eigenvalue of W.

    Notes
    -----
    Every log-likelihood of :mod:`spatial.models.likelihood` has the form

    .. math:: \\ln L = -\\frac n2 \\ln(2\\pi\\sigma^2) - \\frac{e'e}{2\\sigma^2}
        + T\\,[\\ln|I_N - \\rho W| - u\\ln(1 - \\rho)],

    with :math:`\\rho` the spatial parameter (:math:`\\lambda` in error models),
    ``n = nobs``, ``T = periods`` and ``u = 1`` if ``unit_root`` else 0.
    The settings are ``(NT, T, False)`` for the direct approach (Elhorst 2014,
    ch. 3) and, for the Lee-Yu (2010) transformation approach,
    ``(N(T-1), T-1, False)`` with individual effects, ``((N-1)T, T, True)``
    with time effects and ``((N-1)(T-1), T-1, True)`` with both: the
    orthonormal transformation for the time effects drops the eigenvalue 1 of
    a row-standardized W, so :math:`\\ln|I - \\rho W|` loses the term
    :math:`\\ln(1 - \\rho)`.

    References
    ----------
    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    For the two-entity W with eigenvalues 1 and -1,
    :math:`\\ln|I - \\rho W| = \\ln(1 - \\rho) + \\ln(1 + \\rho)`; removing the unit
    root leaves :math:`T \\ln(1 + \\rho) = 2 \\ln 1.5` at ``rho = 0.5``:

    >>> ln_det = lambda r: np.log(1.0 - np.asarray(r) ** 2)
    >>> round(float(Scaling(2.0, 2.0, unit_root=True).logdet_term(ln_det, 0.5)), 4)
    0.8109
    """

    nobs: float
    periods: float
    unit_root: bool = False

    def logdet_term(self, logdet: LogDet, rho: ArrayLike) -> np.ndarray:
        """``periods * (ln|I - rho W| - [ln(1 - rho)])``."""
        values = np.asarray(rho, dtype=np.float64)
        term = np.asarray(logdet(values)).reshape(values.shape)
        if self.unit_root:
            term = term - np.log1p(-values)
        return self.periods * term


def least_squares(z: np.ndarray, targets: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """OLS coefficients of each column of ``targets`` on ``z``; collinear ``z`` is an error.

    Parameters
    ----------
    z : ndarray, shape (n, k)
        Design.
    targets : ndarray, shape (n,) or (n, m)
        Dependent variable(s).
    names : tuple of str
        Names of the columns of ``z`` (for the error message).

    Returns
    -------
    ndarray, shape (k,) or (k, m)

    Raises
    ------
    CollinearityError
        ``z`` has numerically deficient rank.

    Notes
    -----
    :math:`b = (Z'Z)^{-1} Z'Y`, computed by the SVD least-squares solver
    (``numpy.linalg.lstsq``). ``z`` counts as collinear when its numerical
    rank is below ``k`` or its smallest singular value is at most
    :math:`10^{-10}` times its largest. These are the auxiliary regressions
    of the concentrated likelihoods (Anselin 1988; Elhorst 2014, ch. 3).

    References
    ----------
    Golub, G. H. and Van Loan, C. F. (2013). *Matrix Computations*, 4th ed.
    Johns Hopkins University Press, Baltimore.

    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    The points lie on :math:`y = 1 + 2x`:

    >>> z = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> np.round(least_squares(z, np.array([1.0, 3.0, 5.0]), ("const", "x")), 6)
    array([1., 2.])
    """
    coef, _, rank, sv = np.linalg.lstsq(z, targets, rcond=None)
    if rank < z.shape[1] or sv[-1] <= sv[0] * 1e-10:
        raise CollinearityError(_collinearity_message(z, names))
    return coef


def _collinearity_message(z: np.ndarray, names: tuple[str, ...]) -> str:
    norms = np.linalg.norm(z, axis=0)
    scale = max(norms.max(), 1.0)
    empty = [names[j] for j in np.flatnonzero(norms <= 1e-10 * scale)]
    if empty:
        return (
            f"Regressor(s) {empty} vanish after the fixed-effects transformation (constant "
            "within the absorbed dimension, e.g. time-invariant with entity effects); drop them."
        )
    _, r = np.linalg.qr(z / np.where(norms > 0, norms, 1.0))
    dependent = [names[j] for j in np.flatnonzero(np.abs(np.diag(r)) < 1e-8)]
    return f"The regressors are linearly dependent (numerically): check {dependent or list(names)}."


@dataclass(frozen=True)
class LagMoments:
    """The two OLS fits of the concentrated lag likelihood (Anselin 1988; Elhorst 2014).

    Attributes
    ----------
    b0, b1 : ndarray
        OLS coefficients of ``y`` and of ``wy`` on ``z``.
    e00, e01, e11 : float
        Cross-products :math:`e_0'e_0`, :math:`e_0'e_1`, :math:`e_1'e_1` of the
        residuals :math:`e_0 = y - Zb_0` and :math:`e_1 = Wy - Zb_1`.

    Notes
    -----
    For a given :math:`\\rho` the ML coefficients of the lag model are
    :math:`\\hat\\gamma(\\rho) = b_0 - \\rho b_1` and its residuals
    :math:`e_0 - \\rho e_1`, so the residual sum of squares
    :math:`e_{00} - 2\\rho e_{01} + \\rho^2 e_{11}` is a quadratic in
    :math:`\\rho` (Anselin 1988; Elhorst 2014, ch. 3).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.
    """

    b0: np.ndarray  # OLS of y on z
    b1: np.ndarray  # OLS of wy on z
    e00: float  # e0'e0
    e01: float  # e0'e1
    e11: float  # e1'e1

    def sse(self, rho: ArrayLike) -> np.ndarray:
        """:math:`(e_0 - \\rho e_1)'(e_0 - \\rho e_1)`."""
        r = np.asarray(rho, dtype=np.float64)
        return self.e00 - 2.0 * r * self.e01 + r * r * self.e11

    def coefficients(self, rho: float) -> np.ndarray:
        """:math:`\\hat\\gamma(\\rho) = b_0 - \\rho b_1`."""
        return self.b0 - rho * self.b1


def lag_moments(y: np.ndarray, wy: np.ndarray, z: np.ndarray, names: tuple[str, ...]) -> LagMoments:
    """OLS of ``y`` and of ``wy`` on ``z`` and the cross-products of their residuals.

    Notes
    -----
    :math:`b_0 = (Z'Z)^{-1}Z'y`, :math:`b_1 = (Z'Z)^{-1}Z'Wy`,
    :math:`e_0 = y - Zb_0`, :math:`e_1 = Wy - Zb_1`, and the cross-products
    :math:`e_0'e_0`, :math:`e_0'e_1`, :math:`e_1'e_1`: the first step of the
    concentrated ML estimation of the lag model (Anselin 1988; Elhorst 2014,
    ch. 3), after which the likelihood depends on :math:`\\rho` alone.

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.

    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> m = lag_moments(y, wy, z, ("const",))
    >>> float(m.b0[0]), float(m.b1[0]), float(m.e00), float(m.e01), float(m.e11)
    (2.0, 2.0, 2.0, -1.0, 0.5)
    >>> float(m.sse(0.5)), float(m.coefficients(0.5)[0])  # 2 + 2(0.5) + 0.5(0.25); 2 - 0.5(2)
    (3.125, 1.0)
    """
    coef = least_squares(z, np.column_stack([y, wy]), names)
    resid = np.column_stack([y, wy]) - z @ coef
    cross = resid.T @ resid
    return LagMoments(coef[:, 0], coef[:, 1], cross[0, 0], cross[0, 1], cross[1, 1])


def concentrated_lag_loglik(
    rho: ArrayLike, moments: LagMoments, logdet: LogDet, scaling: Scaling
) -> np.ndarray:
    """Concentrated log-likelihood of a lag model for each value of ``rho``.

    Notes
    -----
    :math:`\\ln L(\\rho) = -\\frac{n}{2}\\ln(2\\pi\\hat\\sigma^2(\\rho)) - \\frac n2
    + T \\ln|I - \\rho W|`, :math:`\\hat\\sigma^2(\\rho) = (e_0 - \\rho e_1)'(e_0 - \\rho e_1)/n`
    (Elhorst 2014, eq. 3.10 ff.), with ``n`` and ``T`` from ``scaling``; when
    ``scaling.unit_root``, :math:`T\\ln(1 - \\rho)` is subtracted (Lee and Yu
    2010). It is the full log-likelihood (:func:`full_lag_loglik`) at
    :math:`\\hat\\gamma(\\rho) = b_0 - \\rho b_1` and
    :math:`\\hat\\sigma^2(\\rho)` (Anselin 1988), so its maximiser is the ML
    estimate of :math:`\\rho`.

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.
    At :math:`\\rho = 0.5`, :math:`\\hat\\sigma^2 = 3.125/3` and
    :math:`\\ln|I - 0.5W| = \\ln 0.5 + 2\\ln 1.25`, so
    :math:`\\ln L = -1.5(\\ln(2\\pi \\cdot 3.125/3) + 1) - 0.24686 = -4.56491`:

    >>> from spatial.models.logdet import logdet_eigen
    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> m = lag_moments(y, wy, z, ("const",))
    >>> ln_det = lambda r: logdet_eigen(r, [1.0, -0.5, -0.5])
    >>> np.round(concentrated_lag_loglik([0.0, 0.5], m, ln_det, Scaling(3, 1)), 4)
    array([-3.6486, -4.5649])
    """
    r = np.asarray(rho, dtype=np.float64)
    sigma2 = moments.sse(r) / scaling.nobs
    return -0.5 * scaling.nobs * (np.log(2.0 * np.pi * sigma2) + 1.0) + scaling.logdet_term(
        logdet, r
    )


def full_lag_loglik(
    gamma: np.ndarray,
    rho: float,
    sigma2: float,
    y: np.ndarray,
    wy: np.ndarray,
    z: np.ndarray,
    logdet: LogDet,
    scaling: Scaling,
) -> float:
    """Unconcentrated log-likelihood of a lag model at ``(gamma, rho, sigma2)``.

    Notes
    -----
    With :math:`e = y - \\rho Wy - Z\\gamma` (transformed data),

    .. math:: \\ln L = -\\frac n2 \\ln(2\\pi\\sigma^2) - \\frac{e'e}{2\\sigma^2}
        + T\\,[\\ln|I - \\rho W| - u\\ln(1 - \\rho)],

    ``n``, ``T`` and ``u`` from ``scaling`` (Anselin 1988; Elhorst 2014, ch. 3;
    Lee and Yu 2010 for the transformation approach).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.
    At the concentrated maximisers :math:`\\gamma = b_0 - 0.5 b_1 = 1` and
    :math:`\\sigma^2 = 3.125/3` it equals the concentrated log-likelihood:

    >>> from spatial.models.logdet import logdet_eigen
    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> ln_det = lambda r: logdet_eigen(r, [1.0, -0.5, -0.5])
    >>> ll = full_lag_loglik(np.array([1.0]), 0.5, 3.125 / 3, y, wy, z, ln_det, Scaling(3, 1))
    >>> round(ll, 4)
    -4.5649
    """
    e = y - rho * wy - z @ gamma
    return float(
        -0.5 * scaling.nobs * np.log(2.0 * np.pi * sigma2)
        - (e @ e) / (2.0 * sigma2)
        + scaling.logdet_term(logdet, rho)
    )


def error_regression(
    lam: ArrayLike, y: np.ndarray, wy: np.ndarray, z: np.ndarray, wz: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """GLS coefficients and SSE of the spatially filtered regression for each ``lam``.

    With :math:`y_\\lambda = y - \\lambda Wy` and :math:`Z_\\lambda = Z - \\lambda WZ`,
    the normal equations are quadratic in ``lam``, so all values are solved
    in one batched call. Returns ``beta (L, k)`` and ``sse (L,)``.

    Notes
    -----
    .. math::
        \\hat\\beta(\\lambda) = (Z_\\lambda'Z_\\lambda)^{-1} Z_\\lambda'y_\\lambda, \\qquad
        SSE(\\lambda) = y_\\lambda'y_\\lambda - \\hat\\beta(\\lambda)'Z_\\lambda'y_\\lambda,

    where :math:`Z_\\lambda'Z_\\lambda = Z'Z - \\lambda(Z'WZ + (WZ)'Z) + \\lambda^2 (WZ)'WZ`
    and :math:`Z_\\lambda'y_\\lambda = Z'y - \\lambda(Z'Wy + (WZ)'y) + \\lambda^2 (WZ)'Wy`:
    the concentrated ML step of the spatial error model (Anselin 1988;
    Elhorst 2014, ch. 3).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.
    Here :math:`WZ = Z`. At :math:`\\lambda = 0` this is OLS; at 0.5,
    :math:`y_\\lambda = (-0.25, 1, 2.25)'`, :math:`Z_\\lambda = 0.5` and
    :math:`\\hat\\beta = 1.5/0.75 = 2`:

    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> beta, sse = error_regression([0.0, 0.5], y, wy, z, z)
    >>> beta.ravel().tolist(), np.round(sse, 6).tolist()
    ([2.0, 2.0], [2.0, 3.125])
    """
    r = np.atleast_1d(np.asarray(lam, dtype=np.float64)).ravel()
    zz, zwz, wzwz = z.T @ z, z.T @ wz, wz.T @ wz
    zy, zwy, wzy, wzwy = z.T @ y, z.T @ wy, wz.T @ y, wz.T @ wy
    yy, ywy, wywy = y @ y, y @ wy, wy @ wy
    a = zz[None] - r[:, None, None] * (zwz + zwz.T)[None] + (r**2)[:, None, None] * wzwz[None]
    b = zy[None] - r[:, None] * (zwy + wzy)[None] + (r**2)[:, None] * wzwy[None]
    beta = np.linalg.solve(a, b[..., None])[..., 0]
    yl_yl = yy - 2.0 * r * ywy + r**2 * wywy
    sse = yl_yl - np.einsum("lk,lk->l", b, beta)
    return beta, sse


def concentrated_error_loglik(
    lam: ArrayLike,
    y: np.ndarray,
    wy: np.ndarray,
    z: np.ndarray,
    wz: np.ndarray,
    logdet: LogDet,
    scaling: Scaling,
) -> np.ndarray:
    """Concentrated log-likelihood of an error model for each value of ``lam``.

    Notes
    -----
    :math:`\\ln L(\\lambda) = -\\frac n2 \\ln(2\\pi\\hat\\sigma^2(\\lambda)) - \\frac n2
    + T\\ln|I - \\lambda W|` (Elhorst 2014, ch. 3), with
    :math:`\\hat\\sigma^2(\\lambda) = SSE(\\lambda)/n` from :func:`error_regression`,
    ``n`` and ``T`` from ``scaling``, and :math:`T\\ln(1 - \\lambda)` subtracted
    when ``scaling.unit_root`` (Lee and Yu 2010).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.
    :math:`SSE(0) = 2` gives :math:`-1.5(\\ln(2\\pi \\cdot 2/3) + 1) = -3.64862`:

    >>> from spatial.models.logdet import logdet_eigen
    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> ln_det = lambda r: logdet_eigen(r, [1.0, -0.5, -0.5])
    >>> ll = concentrated_error_loglik([0.0], y, wy, z, z, ln_det, Scaling(3, 1))
    >>> np.round(ll, 4)
    array([-3.6486])
    """
    r = np.asarray(lam, dtype=np.float64)
    _, sse = error_regression(r, y, wy, z, wz)
    sigma2 = sse.reshape(r.shape) / scaling.nobs
    return -0.5 * scaling.nobs * (np.log(2.0 * np.pi * sigma2) + 1.0) + scaling.logdet_term(
        logdet, r
    )


def full_error_loglik(
    beta: np.ndarray,
    lam: float,
    sigma2: float,
    y: np.ndarray,
    wy: np.ndarray,
    z: np.ndarray,
    wz: np.ndarray,
    logdet: LogDet,
    scaling: Scaling,
) -> float:
    """Unconcentrated log-likelihood of an error model at ``(beta, lam, sigma2)``.

    Notes
    -----
    With :math:`e = (y - \\lambda Wy) - (Z - \\lambda WZ)\\beta` (transformed data),

    .. math:: \\ln L = -\\frac n2 \\ln(2\\pi\\sigma^2) - \\frac{e'e}{2\\sigma^2}
        + T\\,[\\ln|I - \\lambda W| - u\\ln(1 - \\lambda)],

    ``n``, ``T`` and ``u`` from ``scaling`` (Anselin 1988; Elhorst 2014, ch. 3;
    Lee and Yu 2010 for the transformation approach).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Examples
    --------
    In the examples, W links three entities with weights 1/2 (eigenvalues 1, -1/2,
    -1/2), :math:`y = (1, 2, 3)'`, :math:`Wy = (2.5, 2, 1.5)'` and ``z`` is a constant.
    At :math:`\\lambda = 0`, :math:`\\beta = 2`, :math:`\\sigma^2 = 2/3` it equals the
    concentrated value :math:`-3.64862`:

    >>> from spatial.models.logdet import logdet_eigen
    >>> y, wy, z = np.array([1.0, 2.0, 3.0]), np.array([2.5, 2.0, 1.5]), np.ones((3, 1))
    >>> ln_det = lambda r: logdet_eigen(r, [1.0, -0.5, -0.5])
    >>> ll = full_error_loglik(np.array([2.0]), 0.0, 2 / 3, y, wy, z, z, ln_det, Scaling(3, 1))
    >>> round(ll, 4)
    -3.6486
    """
    e = (y - lam * wy) - (z - lam * wz) @ beta
    return float(
        -0.5 * scaling.nobs * np.log(2.0 * np.pi * sigma2)
        - (e @ e) / (2.0 * sigma2)
        + scaling.logdet_term(logdet, lam)
    )
