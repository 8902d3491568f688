"""Information matrices and covariances of the spatial ML estimators.

Parameters are ordered ``(coefficients..., spatial parameter, sigma2)``. The
analytic information matrices follow Elhorst (2014, eqs. 3.11 and 3.13; Anselin
1988 for the cross-section); :func:`numerical_hessian` differentiates the full
log-likelihood for the equivalence checks and for ``cov_type="hessian"``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from .exceptions import EstimationError
from .likelihood import Scaling
from .transform import Effects, within_transform
from .weights import SpatialWeights

__all__ = [
    "DENSE_LIMIT",
    "InverseFilter",
    "covariance_from_information",
    "error_information",
    "lag_direction",
    "lag_information",
    "numerical_hessian",
    "qml_adjustment",
    "sandwich",
]

#: Up to this N the filter inverts densely (exact traces); above, sparse LU and Hutchinson.
DENSE_LIMIT = 2_000


class InverseFilter:
    """Products with :math:`(I - \\rho W)^{-1}` and :math:`G = W(I - \\rho W)^{-1}` at one rho.

    Dense (exact) for ``N <= DENSE_LIMIT``; otherwise a sparse LU factorization
    with Hutchinson (1989) trace estimates from ``n_probes`` seeded
    Rademacher probes.
    """

    def __init__(
        self, w: SpatialWeights, rho: float, *, n_probes: int = 50, seed: int | None = 0
    ) -> None:
        self.w = w
        self.rho = float(rho)
        self.n_probes = n_probes
        self.seed = seed
        self.dense = w.n <= DENSE_LIMIT
        if self.dense:
            a = np.eye(w.n) - self.rho * w.matrix.toarray()
            self._lu = scipy.linalg.lu_factor(a)
            self._g = scipy.linalg.lu_solve(self._lu, w.matrix.toarray())
        else:
            a = sparse.identity(w.n, format="csc") - self.rho * sparse.csc_matrix(w.matrix)
            self._splu = sparse_linalg.splu(a)

    def solve(self, v: np.ndarray, transpose: bool = False) -> np.ndarray:
        """:math:`(I - \\rho W)^{-1} v` (or with the transpose) for ``v`` of shape (N, m)."""
        if self.dense:
            return scipy.linalg.lu_solve(self._lu, v, trans=1 if transpose else 0)
        return self._splu.solve(np.asarray(v, dtype=np.float64), trans="T" if transpose else "N")

    def g(self, v: np.ndarray) -> np.ndarray:
        """:math:`G v = W (I - \\rho W)^{-1} v`."""
        return self._g @ v if self.dense else self.w.matrix @ self.solve(v)

    def g_transpose(self, v: np.ndarray) -> np.ndarray:
        """:math:`G' v = (I - \\rho W')^{-1} W' v`."""
        return self._g.T @ v if self.dense else self.solve(self.w.matrix.T @ v, transpose=True)

    def diagonal(self) -> np.ndarray:
        """:math:`diag(G)`: exact (dense) or by the stochastic diagonal estimator
        :math:`E[z \\circ Gz]` with Rademacher probes (Bekas, Kokiopoulou, Saad 2007)."""
        if self.dense:
            return np.diag(self._g).copy()
        probes = np.random.default_rng(self.seed).choice(
            [-1.0, 1.0], size=(self.w.n, self.n_probes)
        )
        return np.mean(probes * self.g(probes), axis=1)

    def traces(self, center: bool = False) -> tuple[float, float, float]:
        """:math:`tr\\,G`, :math:`tr\\,G^2`, :math:`tr\\,G'G`, with ``G`` replaced by
        :math:`JGJ`, :math:`J = I - 11'/N`, when ``center`` (time effects removed)."""
        n = self.w.n
        if self.dense:
            g = self._g
            if center:
                g = g - g.mean(axis=0, keepdims=True)
                g = g - g.mean(axis=1, keepdims=True)
            return float(np.trace(g)), float(np.sum(g * g.T)), float(np.sum(g * g))
        probes = np.random.default_rng(self.seed).choice([-1.0, 1.0], size=(n, self.n_probes))

        def centred(v: np.ndarray) -> np.ndarray:
            return v - v.mean(axis=0, keepdims=True) if center else v

        gz = centred(self.g(centred(probes)))
        gtz = centred(self.g_transpose(centred(probes)))
        m = self.n_probes
        return (
            float(np.einsum("ij,ij->", probes, gz) / m),
            float(np.einsum("ij,ij->", gtz, gz) / m),
            float(np.einsum("ij,ij->", gz, gz) / m),
        )


def lag_information(
    z: np.ndarray,
    gamma: np.ndarray,
    rho: float,
    sigma2: float,
    filt: InverseFilter,
    effects: Effects,
    shape: tuple[int, int],
    scaling: Scaling,
) -> np.ndarray:
    """Information matrix of a lag model (SAR, SDM) at ``(gamma, rho, sigma2)``.

    Notes
    -----
    With :math:`G = W(I-\\rho W)^{-1}` and :math:`v = Q (I_T \\otimes G) Z\\gamma`
    (``Q`` the within transformation),

    .. math::
        \\begin{pmatrix}
        Z'Z/\\sigma^2 & Z'v/\\sigma^2 & 0 \\\\
        \\cdot & T\\,tr(G^2 + G'G) + v'v/\\sigma^2 & T\\,tr(G)/\\sigma^2 \\\\
        \\cdot & \\cdot & n/(2\\sigma^4)
        \\end{pmatrix}

    (Elhorst 2014, eq. 3.11), with ``n`` and ``T`` taken from ``scaling``; when
    the scaling removes W's unit root (Lee-Yu transformation with time
    effects), ``G`` is replaced by :math:`JGJ`.
    """
    v = lag_direction(z, gamma, filt, effects, shape)
    tr_g, tr_gg, tr_gtg = filt.traces(center=scaling.unit_root)
    k = z.shape[1]
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = z.T @ z / sigma2
    info[:k, k] = info[k, :k] = z.T @ v / sigma2
    info[k, k] = scaling.periods * (tr_gg + tr_gtg) + (v @ v) / sigma2
    info[k, k + 1] = info[k + 1, k] = scaling.periods * tr_g / sigma2
    info[k + 1, k + 1] = scaling.nobs / (2.0 * sigma2**2)
    return info


def lag_direction(
    z: np.ndarray, gamma: np.ndarray, filt: InverseFilter, effects: Effects, shape: tuple[int, int]
) -> np.ndarray:
    """:math:`v = Q (I_T \\otimes G) Z\\gamma`, the mean part of the transformed ``Wy``."""
    t, n = shape
    zg = (z @ gamma).reshape(t, n)
    return within_transform(filt.g(zg.T).T, effects).ravel()


def qml_adjustment(
    z: np.ndarray,
    v: np.ndarray | None,
    resid: np.ndarray,
    sigma2: float,
    filt: InverseFilter,
    periods: float,
) -> np.ndarray:
    """The non-normality term :math:`\\Omega` of the QML covariance (Lee 2004).

    Parameters
    ----------
    z : ndarray
        Design (filtered, for error models).
    v : ndarray or None
        :func:`lag_direction` for lag models; ``None`` for error models.
    resid : ndarray
        Residuals, whose third and fourth moments :math:`\\mu_3, \\mu_4` are used.
    sigma2 : float
    filt : InverseFilter
        At the estimate of the spatial parameter.
    periods : float
        ``T`` (each period repeats the cross-section of ``G``).

    Notes
    -----
    With :math:`g = diag(G)` stacked over periods, :math:`\\kappa = \\mu_4 - 3\\sigma^4`
    and ``n`` observations, the non-zero blocks are
    :math:`\\Omega_{\\beta\\rho} = \\mu_3 Z'g/\\sigma^4`,
    :math:`\\Omega_{\\beta\\sigma^2} = \\mu_3 Z'1/(2\\sigma^6)`,
    :math:`\\Omega_{\\rho\\rho} = 2\\mu_3 v'g/\\sigma^4 + \\kappa T\\sum_i G_{ii}^2/\\sigma^4`,
    :math:`\\Omega_{\\rho\\sigma^2} = [\\mu_3 v'1 + \\kappa T\\, tr\\,G]/(2\\sigma^6)`,
    :math:`\\Omega_{\\sigma^2\\sigma^2} = \\kappa n/(4\\sigma^8)`, and the covariance is
    :math:`I^{-1} + I^{-1}\\Omega I^{-1}` (Lee 2004, *Econometrica* 72: 1899-1925,
    Theorem 3.2). It is exact for a cross-section and applied to the stacked
    transformed model with fixed effects; :math:`\\Omega = 0` for normal errors.
    """
    mu3 = float(np.mean(resid**3))
    kappa = float(np.mean(resid**4)) - 3.0 * sigma2**2
    g = filt.diagonal()
    stacked_g = np.tile(g, z.shape[0] // g.size)  # rows are time-major: t * N + i
    k = z.shape[1]
    ones = np.ones(z.shape[0])
    mean_part = np.zeros(z.shape[0]) if v is None else v
    omega = np.zeros((k + 2, k + 2))
    omega[:k, k] = omega[k, :k] = mu3 * (z.T @ stacked_g) / sigma2**2
    omega[:k, k + 1] = omega[k + 1, :k] = mu3 * z.sum(axis=0) / (2.0 * sigma2**3)
    omega[k, k] = (2.0 * mu3 * (mean_part @ stacked_g) + kappa * periods * (g @ g)) / sigma2**2
    omega[k, k + 1] = omega[k + 1, k] = (mu3 * (mean_part @ ones) + kappa * periods * g.sum()) / (
        2.0 * sigma2**3
    )
    omega[k + 1, k + 1] = kappa * z.shape[0] / (4.0 * sigma2**4)
    return omega


def sandwich(information: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """QML covariance :math:`I^{-1} + I^{-1}\\Omega I^{-1}`."""
    inverse = covariance_from_information(information)
    return inverse + inverse @ omega @ inverse


def error_information(
    z_filtered: np.ndarray, lam: float, sigma2: float, filt: InverseFilter, scaling: Scaling
) -> np.ndarray:
    """Information matrix of an error model (SEM, SDEM) at ``(beta, lam, sigma2)``.

    Notes
    -----
    Block diagonal in :math:`\\beta` (Elhorst 2014, eq. 3.13):
    :math:`Z_\\lambda'Z_\\lambda/\\sigma^2`, then
    :math:`\\begin{pmatrix} T\\,tr(G^2 + G'G) & T\\,tr(G)/\\sigma^2 \\\\
    \\cdot & n/(2\\sigma^4)\\end{pmatrix}` with :math:`G = W(I - \\lambda W)^{-1}`.
    """
    tr_g, tr_gg, tr_gtg = filt.traces(center=scaling.unit_root)
    k = z_filtered.shape[1]
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = z_filtered.T @ z_filtered / sigma2
    info[k, k] = scaling.periods * (tr_gg + tr_gtg)
    info[k, k + 1] = info[k + 1, k] = scaling.periods * tr_g / sigma2
    info[k + 1, k + 1] = scaling.nobs / (2.0 * sigma2**2)
    return info


def covariance_from_information(information: np.ndarray) -> np.ndarray:
    """Inverse of an information matrix, refusing a singular one."""
    try:
        cov = np.linalg.inv(information)
    except np.linalg.LinAlgError as err:
        raise EstimationError("The information matrix is singular.") from err
    if not np.all(np.isfinite(cov)) or (np.diag(cov) <= 0).any():
        raise EstimationError(
            "The information matrix is not positive definite at the estimate; standard errors "
            "are undefined (check for collinearity or a spatial parameter at its bound)."
        )
    return cov


def numerical_hessian(loglik: Callable[[np.ndarray], float], params: np.ndarray) -> np.ndarray:
    """Numerical Hessian of ``loglik`` at ``params`` (statsmodels' ``approx_hess3``)."""
    from statsmodels.tools.numdiff import approx_hess3

    return np.asarray(approx_hess3(np.asarray(params, dtype=np.float64), loglik))
