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

from ..exceptions import EstimationError
from ..weights import SpatialWeights
from .likelihood import Scaling
from .logdet import sparse_lu
from .transform import Effects, within_transform

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
#: Up to this N the dense copy of W is kept with W (at most 2 MB) for the next filter.
DENSE_CACHE_LIMIT = 500


class InverseFilter:
    """Products with :math:`(I - \\rho W)^{-1}` and :math:`G = W(I - \\rho W)^{-1}` at one rho.

    Dense (exact) for ``N <= DENSE_LIMIT``; otherwise a sparse LU factorization
    with Hutchinson (1989) trace estimates from ``n_probes`` seeded
    Rademacher probes.

    Notes
    -----
    With probes :math:`z_r`, :math:`r = 1..m`, with independent :math:`\\pm 1` entries,
    :math:`tr\\,A \\approx m^{-1}\\sum_r z_r'Az_r` (Hutchinson 1989), applied as
    :math:`tr\\,G \\approx m^{-1}\\sum_r z_r'Gz_r`,
    :math:`tr\\,G^2 \\approx m^{-1}\\sum_r (G'z_r)'(Gz_r)` and
    :math:`tr\\,G'G \\approx m^{-1}\\sum_r (Gz_r)'(Gz_r)`; the diagonal is
    :math:`diag(G) \\approx m^{-1}\\sum_r z_r \\circ Gz_r` (Bekas, Kokiopoulou and
    Saad 2007). The sparse LU factorization of :math:`I - \\rho W` serves all
    products (LeSage and Pace 2009, ch. 4).

    References
    ----------
    Hutchinson, M. F. (1989). A stochastic estimator of the trace of the influence
    matrix for Laplacian smoothing splines. *Communications in Statistics -
    Simulation and Computation* 18(3): 1059-1076.

    Bekas, C., Kokiopoulou, E. and Saad, Y. (2007). An estimator for the diagonal of
    a matrix. *Applied Numerical Mathematics* 57(11-12): 1214-1229.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    In the examples W has eigenvalues 1 and -1 and :math:`\\rho = 0.5`, so
    :math:`G = \\frac23\\begin{pmatrix}1 & 2 \\\\ 2 & 1\\end{pmatrix}` with eigenvalues
    :math:`2` and :math:`-2/3`: :math:`tr\\,G = 4/3`, :math:`tr\\,G^2 = tr\\,G'G = 40/9`,
    :math:`G1 = 2 \\cdot 1` and :math:`diag(G) = (2/3, 2/3)`.
    With time effects removed, :math:`JGJ` keeps only the eigenvalue :math:`-2/3`:

    >>> from spatial.weights import SpatialWeights
    >>> filt = InverseFilter(SpatialWeights.from_sparse(np.array([[0.0, 1], [1, 0]])), 0.5)
    >>> [round(t, 4) for t in filt.traces()]
    [1.3333, 4.4444, 4.4444]
    >>> [round(t, 4) for t in filt.traces(center=True)]
    [-0.6667, 0.4444, 0.4444]
    >>> np.round(filt.solve(np.array([[1.0], [0.0]])), 4).ravel()  # (4/3)(1, 0.5)
    array([1.3333, 0.6667])
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
            matrix = w.cached("dense")
            if matrix is None:
                matrix = w.matrix.toarray()
                if w.n <= DENSE_CACHE_LIMIT:  # small: kept with W for the next filter
                    matrix.flags.writeable = False
                    w.cache("dense", matrix)
            self._lu = scipy.linalg.lu_factor(np.eye(w.n) - self.rho * matrix)
            self._g = scipy.linalg.lu_solve(self._lu, matrix)
        else:
            a = sparse.identity(w.n, format="csc") - self.rho * sparse.csc_matrix(w.matrix)
            self._splu = sparse_lu(a)

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
    effects), ``G`` is replaced by :math:`JGJ`, :math:`J = I_N - 11'/N`. The
    cross-section version is in Anselin (1988).

    References
    ----------
    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Lee, L.-F. and Yu, J. (2010). Estimation of spatial autoregressive panel data
    models with fixed effects. *Journal of Econometrics* 154(2): 165-185.

    Examples
    --------
    In the examples W has eigenvalues 1 and -1 and :math:`\\rho = 0.5`, so
    :math:`G = \\frac23\\begin{pmatrix}1 & 2 \\\\ 2 & 1\\end{pmatrix}` with eigenvalues
    :math:`2` and :math:`-2/3`: :math:`tr\\,G = 4/3`, :math:`tr\\,G^2 = tr\\,G'G = 40/9`,
    :math:`G1 = 2 \\cdot 1` and :math:`diag(G) = (2/3, 2/3)`.
    A cross-section (``T = 1``) with a constant, :math:`\\gamma = 1` and
    :math:`\\sigma^2 = 1` has :math:`v = (2, 2)'`, so the :math:`\\rho\\rho` entry is
    :math:`80/9 + 8`:

    >>> from spatial.weights import SpatialWeights
    >>> filt = InverseFilter(SpatialWeights.from_sparse(np.array([[0.0, 1], [1, 0]])), 0.5)
    >>> info = lag_information(np.ones((2, 1)), np.array([1.0]), 0.5, 1.0, filt, "none",
    ...                        (1, 2), Scaling(2, 1))
    >>> np.round(info, 4)
    array([[ 2.    ,  4.    ,  0.    ],
           [ 4.    , 16.8889,  1.3333],
           [ 0.    ,  1.3333,  1.    ]])
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
    """:math:`v = Q (I_T \\otimes G) Z\\gamma`, the mean part of the transformed ``Wy``.

    Notes
    -----
    In the lag model :math:`Wy = G Z\\gamma + G\\varepsilon` per period (data in
    levels), so after the within transformation ``Q`` (:func:`within_transform`
    with ``effects``) the non-stochastic part of the transformed :math:`Wy` is
    :math:`v = Q(I_T \\otimes G)Z\\gamma` (Elhorst 2014, ch. 3); ``Z`` is time-major
    with ``shape = (T, N)``.

    References
    ----------
    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    In the examples W has eigenvalues 1 and -1 and :math:`\\rho = 0.5`, so
    :math:`G = \\frac23\\begin{pmatrix}1 & 2 \\\\ 2 & 1\\end{pmatrix}` with eigenvalues
    :math:`2` and :math:`-2/3`: :math:`tr\\,G = 4/3`, :math:`tr\\,G^2 = tr\\,G'G = 40/9`,
    :math:`G1 = 2 \\cdot 1` and :math:`diag(G) = (2/3, 2/3)`.

    >>> from spatial.weights import SpatialWeights
    >>> filt = InverseFilter(SpatialWeights.from_sparse(np.array([[0.0, 1], [1, 0]])), 0.5)
    >>> lag_direction(np.ones((2, 1)), np.array([1.0]), filt, "none", (1, 2)).round(6)
    array([2., 2.])
    """
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

    References
    ----------
    Lee, L.-F. (2004). Asymptotic distributions of quasi-maximum likelihood
    estimators for spatial autoregressive models. *Econometrica* 72(6): 1899-1925.

    Examples
    --------
    In the examples W has eigenvalues 1 and -1 and :math:`\\rho = 0.5`, so
    :math:`G = \\frac23\\begin{pmatrix}1 & 2 \\\\ 2 & 1\\end{pmatrix}` with eigenvalues
    :math:`2` and :math:`-2/3`: :math:`tr\\,G = 4/3`, :math:`tr\\,G^2 = tr\\,G'G = 40/9`,
    :math:`G1 = 2 \\cdot 1` and :math:`diag(G) = (2/3, 2/3)`.
    Residuals :math:`\\pm 1` with :math:`\\sigma^2 = 1` have :math:`\\mu_3 = 0` and
    :math:`\\kappa = 1 - 3 = -2`, so :math:`\\Omega_{\\rho\\rho} = -2 \\cdot 8/9`,
    :math:`\\Omega_{\\rho\\sigma^2} = -2 \\cdot (4/3)/2` and
    :math:`\\Omega_{\\sigma^2\\sigma^2} = -2 \\cdot 2/4`:

    >>> from spatial.weights import SpatialWeights
    >>> filt = InverseFilter(SpatialWeights.from_sparse(np.array([[0.0, 1], [1, 0]])), 0.5)
    >>> v = np.array([2.0, 2.0])
    >>> omega = qml_adjustment(np.ones((2, 1)), v, np.array([1.0, -1.0]), 1.0, filt, 1)
    >>> np.round(omega, 4)
    array([[ 0.    ,  0.    ,  0.    ],
           [ 0.    , -1.7778, -1.3333],
           [ 0.    , -1.3333, -1.    ]])
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
    """QML covariance :math:`I^{-1} + I^{-1}\\Omega I^{-1}`.

    Notes
    -----
    The asymptotic covariance of the quasi-ML estimator under non-normal
    errors, :math:`\\Sigma^{-1} + \\Sigma^{-1}\\Omega\\Sigma^{-1}` with
    :math:`\\Sigma` the information matrix and :math:`\\Omega` from
    :func:`qml_adjustment` (Lee 2004); the inverse is
    :func:`covariance_from_information`.

    References
    ----------
    Lee, L.-F. (2004). Asymptotic distributions of quasi-maximum likelihood
    estimators for spatial autoregressive models. *Econometrica* 72(6): 1899-1925.

    Examples
    --------
    :math:`0.5 + 0.5 \\cdot 1 \\cdot 0.5 = 0.75`:

    >>> sandwich(np.diag([2.0, 4.0]), np.diag([1.0, 0.0]))
    array([[0.75, 0.  ],
           [0.  , 0.25]])
    """
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
    \\cdot & n/(2\\sigma^4)\\end{pmatrix}` with :math:`G = W(I - \\lambda W)^{-1}`,
    :math:`Z_\\lambda = Z - \\lambda WZ` (``z_filtered``), ``n`` and ``T`` from
    ``scaling`` and ``G`` replaced by :math:`JGJ` when ``scaling.unit_root``.
    The cross-section version is in Anselin (1988).

    References
    ----------
    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Examples
    --------
    In the examples W has eigenvalues 1 and -1 and :math:`\\rho = 0.5`, so
    :math:`G = \\frac23\\begin{pmatrix}1 & 2 \\\\ 2 & 1\\end{pmatrix}` with eigenvalues
    :math:`2` and :math:`-2/3`: :math:`tr\\,G = 4/3`, :math:`tr\\,G^2 = tr\\,G'G = 40/9`,
    :math:`G1 = 2 \\cdot 1` and :math:`diag(G) = (2/3, 2/3)`.
    With a constant, :math:`Z_\\lambda = 0.5 \\cdot 1`, so :math:`Z_\\lambda'Z_\\lambda = 0.5`:

    >>> from spatial.weights import SpatialWeights
    >>> filt = InverseFilter(SpatialWeights.from_sparse(np.array([[0.0, 1], [1, 0]])), 0.5)
    >>> info = error_information(np.full((2, 1), 0.5), 0.5, 1.0, filt, Scaling(2, 1))
    >>> np.round(info, 4)
    array([[0.5   , 0.    , 0.    ],
           [0.    , 8.8889, 1.3333],
           [0.    , 1.3333, 1.    ]])
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
    """Inverse of an information matrix, refusing a singular one.

    Raises
    ------
    EstimationError
        The matrix is singular, its inverse is not finite or has a non-positive
        diagonal (not positive definite at the estimate).

    Notes
    -----
    The ML covariance is the inverse of the information matrix,
    :math:`\\widehat{Var}(\\hat\\theta) = I(\\hat\\theta)^{-1}` (Anselin 1988;
    Elhorst 2014, ch. 3).

    References
    ----------
    Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer
    Academic, Dordrecht.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    >>> covariance_from_information(np.array([[4.0, 2.0], [2.0, 2.0]]))
    array([[ 0.5, -0.5],
           [-0.5,  1. ]])
    """
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
    """Numerical Hessian of ``loglik`` at ``params`` (statsmodels' ``approx_hess3``).

    Notes
    -----
    Central differences with steps :math:`h_i = \\epsilon^{1/4}\\max(|x_i|, 0.1)`
    (:math:`\\epsilon` the machine epsilon):

    .. math:: H_{ij} \\approx \\frac{f(x + h_ie_i + h_je_j) - f(x + h_ie_i - h_je_j)
        - f(x - h_ie_i + h_je_j) + f(x - h_ie_i - h_je_j)}{4h_ih_j}

    (Ridout 2009, eq. 9, as implemented by statsmodels). The result is exact
    (up to rounding) for quadratic functions.

    References
    ----------
    Ridout, M. S. (2009). Statistical applications of the complex-step method of
    numerical differentiation. *The American Statistician* 63(1): 66-74.

    Examples
    --------
    >>> f = lambda p: -0.5 * p[0] ** 2 - p[1] ** 2 + p[0] * p[1]
    >>> np.round(numerical_hessian(f, np.array([1.0, 2.0])), 6)
    array([[-1.,  1.],
           [ 1., -2.]])
    """
    from statsmodels.tools.numdiff import approx_hess3

    return np.asarray(approx_hess3(np.asarray(params, dtype=np.float64), loglik))
