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

from .exceptions import CollinearityError

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
    """OLS coefficients of each column of ``targets`` on ``z``; collinear ``z`` is an error."""
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
    """The two OLS fits of the concentrated lag likelihood (Anselin 1988; Elhorst 2014)."""

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
    """OLS of ``y`` and of ``wy`` on ``z`` and the cross-products of their residuals."""
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
    (Elhorst 2014, eq. 3.10 ff.), with ``n`` and ``T`` from ``scaling``.
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
    """Unconcentrated log-likelihood of a lag model at ``(gamma, rho, sigma2)``."""
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

    :math:`\\ln L(\\lambda) = -\\frac n2 \\ln(2\\pi\\hat\\sigma^2(\\lambda)) - \\frac n2
    + T\\ln|I - \\lambda W|` (Elhorst 2014, ch. 3).
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
    """Unconcentrated log-likelihood of an error model at ``(beta, lam, sigma2)``."""
    e = (y - lam * wy) - (z - lam * wz) @ beta
    return float(
        -0.5 * scaling.nobs * np.log(2.0 * np.pi * sigma2)
        - (e @ e) / (2.0 * sigma2)
        + scaling.logdet_term(logdet, lam)
    )
