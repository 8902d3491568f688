"""Random-effects spatial panels by maximum likelihood, and their specification tests.

Array kernels for the individual random-effects spatial lag model (SAR, and SDM
with ``WX`` among the regressors) and the random-effects spatial error models
with the Baltagi, Song and Koh (2003) and the Kapoor, Kelejian and Prucha (2007)
error structures, as R splm's ``spml(model="random")`` (Millo and Piras 2012),
and the Baltagi, Song and Koh (2003) LM tests (splm's ``bsktest``). The spatial
Hausman test is :mod:`spatial.models.hausman`.

Arrays are time-major: ``y`` is ``(T, N)``, ``x`` is ``(T, N, K)``; stacked
vectors have the time index slow (element ``t N + i``), so that period blocks are
``I_T (x) W``. With ``phi = sigma_mu^2 / sigma^2`` and
``theta = 1 - (1 + T phi)^{-1/2}``, the quasi-demeaning :math:`a^*_{it} = a_{it}
- \\theta \\bar a_i` whitens the individual error component (Elhorst 2003).

Estimation profiles the likelihood: for given ``(spatial parameter, phi)`` the
coefficients and ``sigma2`` are GLS on the transformed data; ``s = ln(1 + T phi)``
is maximised by :func:`spatial.models.estimate.maximize_scalar` (grid + Brent) on
``[0, 20]`` for each value of the spatial parameter, and the spatial parameter by
the same search around it (nested one-dimensional searches, not the alternating
scheme of Elhorst 2003). The Baltagi model from ``BALTAGI_SPARSE_FROM`` units on,
where each evaluation is a sparse LU, is maximised jointly in both (a grid, then
L-BFGS-B; :func:`_joint_search`), with about a tenth of the evaluations. Below that,
the grid that brackets lambda takes, for each of its values, the maximum over a batched
grid of 257 values of s refined by a parabola (:func:`_parabola_max`); the bracketed
search uses the exact inner maximum. The covariance is the inverse of the numerical
Hessian of the full log-likelihood in ``(beta, spatial, phi, sigma2)``.

References
----------
Elhorst, J. P. (2003). Specification and estimation of spatial panel data models.
*International Regional Science Review* 26(3): 244-268.

Baltagi, B. H., Song, S. H. and Koh, W. (2003). Testing panel data regression models
with spatial error correlation. *Journal of Econometrics* 117(1): 123-150.

Kapoor, M., Kelejian, H. H. and Prucha, I. R. (2007). Panel data models with spatially
correlated error components. *Journal of Econometrics* 140(1): 97-130.

Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
Statistical Software* 47(1): 1-38.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, sparse, stats
from scipy.sparse.linalg import splu

from spatial._core.options import check_option

from ..exceptions import (
    BoundaryWarning,
    CollinearityError,
    EstimationError,
    PanelStructureError,
)
from .covariance import numerical_hessian
from .estimate import BOUND_MARGIN, maximize_scalar
from .likelihood import LogDet, least_squares
from .logdet import memoized
from .transform import spatial_lag

__all__ = [
    "BSKTests",
    "RandomEffectsResult",
    "bsk_tests",
    "fit_random_error",
    "fit_random_lag",
    "quasi_demean",
    "random_effects_design",
    "random_effects_loglik",
]

Model = Literal["lag", "baltagi", "kkp"]
MODELS: tuple[str, ...] = ("lag", "baltagi", "kkp")
#: Search interval of ``s = ln(1 + T phi)`` (phi up to about 5e8 / T).
S_BOUNDS = (0.0, 20.0)
_LOG_2PI = float(np.log(2.0 * np.pi))


@dataclass(frozen=True)
class RandomEffectsResult:
    """A fitted random-effects spatial panel.

    Attributes
    ----------
    model : str
        ``lag`` (SAR/SDM), ``baltagi`` or ``kkp`` (spatial error structures).
    names : tuple of str
        Names of ``params``: the coefficients, then ``rho`` (lag) or ``lambda``
        (error), ``phi`` and ``sigma2``.
    params : ndarray
        ``(beta..., spatial, phi, sigma2)``; ``phi = sigma_mu^2 / sigma^2``.
    cov : ndarray
        Inverse of the negative numerical Hessian of the full log-likelihood.
    beta_cov_gls : ndarray
        :math:`\\sigma^2 (X'\\Omega^{-1}X)^{-1}` at the estimate, the coefficient
        covariance splm reports (conditional on the spatial parameter and phi).
    loglik : float
    converged : bool
    evaluations : int
        Concentrated log-likelihood evaluations of the nested searches.
    nobs, n, t : int
    """

    model: str
    names: tuple[str, ...]
    params: np.ndarray
    cov: np.ndarray
    beta_cov_gls: np.ndarray
    loglik: float
    converged: bool
    evaluations: int
    nobs: int
    n: int
    t: int

    @property
    def k(self) -> int:
        """Number of coefficients."""
        return len(self.names) - 3

    @property
    def coefficients(self) -> np.ndarray:
        return self.params[: self.k]

    @property
    def spatial(self) -> float:
        """``rho`` (lag model) or ``lambda`` (error models)."""
        return float(self.params[self.k])

    @property
    def phi(self) -> float:
        return float(self.params[self.k + 1])

    @property
    def sigma2(self) -> float:
        return float(self.params[self.k + 2])

    @property
    def theta(self) -> float:
        """Quasi-demeaning factor :math:`1 - (1 + T\\phi)^{-1/2}`."""
        return float(1.0 - (1.0 + self.t * self.phi) ** -0.5)

    @property
    def std_errors(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))


def quasi_demean(values: np.ndarray, theta: float) -> np.ndarray:
    """:math:`a^*_{it} = a_{it} - \\theta \\bar a_i` for ``(T, N)`` or ``(T, N, K)`` arrays.

    Notes
    -----
    With :math:`\\Omega_u = \\sigma^2(\\phi J_T \\otimes I_N + I_{NT})`,
    :math:`\\Omega_u^{-1/2} \\propto I_{NT} - \\theta (\\bar J_T \\otimes I_N)`,
    :math:`\\theta = 1 - (1 + T\\phi)^{-1/2}` (Elhorst 2003).

    Examples
    --------
    >>> quasi_demean(np.array([[1.0, 2.0], [3.0, 6.0]]), 0.5)
    array([[0., 0.],
           [2., 4.]])
    """
    arr = np.asarray(values, dtype=np.float64)
    return arr - theta * arr.mean(axis=0, keepdims=True)


def _theta(t: int, phi: float) -> float:
    return float(1.0 - (1.0 + t * phi) ** -0.5)


def random_effects_design(
    x: np.ndarray,
    w_matrix: sparse.spmatrix,
    names: Sequence[str] | None = None,
    *,
    intercept: bool = True,
    durbin: bool = False,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """The design ``[1, X, WX]`` of shape ``(T, N, K')`` and its column names.

    ``WX`` (``durbin=True``, names ``W*name``) lags the columns of ``x`` period by
    period (:func:`spatial.models.transform.spatial_lag`); the intercept is not lagged.
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    k = arr.shape[2]
    labels = list(names) if names is not None else [f"x{j + 1}" for j in range(k)]
    if len(labels) != k:
        raise PanelStructureError(f"{len(labels)} names for {k} columns of x.")
    blocks, out = [arr], list(labels)
    if durbin:
        blocks.append(spatial_lag(w_matrix, arr))
        out += [f"W*{name}" for name in labels]
    if intercept:
        blocks.insert(0, np.ones((*arr.shape[:2], 1)))
        out.insert(0, "(Intercept)")
    return np.concatenate(blocks, axis=2), tuple(out)


def _logdet_at(logdet: LogDet, value: float) -> float:
    """:math:`\\ln|I - sW|` at one value ``s`` of the spatial parameter."""
    return float(np.asarray(logdet(np.array([value])))[0])


def _check(y: np.ndarray, z: np.ndarray, w_matrix: sparse.spmatrix) -> None:
    if y.ndim != 2 or z.ndim != 3 or z.shape[:2] != y.shape:
        raise PanelStructureError(
            f"y must be (T, N) and the design (T, N, K) of the same T and N; got {y.shape} "
            f"and {z.shape}."
        )
    if w_matrix.shape != (y.shape[1], y.shape[1]):
        raise PanelStructureError(f"W is {w_matrix.shape} for N = {y.shape[1]} entities.")
    if y.shape[0] < 2:
        raise PanelStructureError("Random effects need at least two periods.")


#: Below this N the Baltagi et al. (2003) kernel factors :math:`I + T\\phi B'B` densely
#: (Cholesky; faster than a sparse LU's overhead at provincial N); from it on, by sparse LU.
BALTAGI_SPARSE_FROM = 150


class _Baltagi:
    """:math:`V'(I + T\\phi B'B)^{-1}B'B\\,V` and :math:`\\ln|I + T\\phi B'B|` for the
    Baltagi et al. (2003) error model.

    :math:`M = I + T\\phi B'B` is symmetric positive definite. Small N: the eigenvalues
    :math:`\\mu_i` and vectors :math:`U` of :math:`B'B`, computed once for each
    :math:`\\lambda` (the inner search over :math:`\\phi` keeps :math:`\\lambda` fixed),
    give :math:`\\ln|M| = \\sum_i \\ln(1 + T\\phi\\mu_i)` and
    :math:`M^{-1}B'B = U\\,\\mathrm{diag}(\\mu_i/(1 + T\\phi\\mu_i))\\,U'`. From
    ``BALTAGI_SPARSE_FROM`` on: sparse LU
    without pivoting in symmetric mode on the minimum-degree ordering of :math:`M + M'`,
    :math:`\\ln|M| = \\sum_i \\ln u_{ii}`; :math:`B'B` keeps the sparsity of :math:`W'W`,
    so no N x N dense matrix is formed (scipy's SuperLU; a sparse Cholesky library such as
    CHOLMOD is not a pip-only dependency).
    """

    def __init__(self, w_matrix: sparse.spmatrix, t: int) -> None:
        n = w_matrix.shape[0]
        self.dense = n < BALTAGI_SPARSE_FROM
        w = sparse.csr_matrix(w_matrix, dtype=np.float64)
        self.w = w.toarray() if self.dense else w
        self.eye = np.eye(n) if self.dense else sparse.identity(n, format="csr")
        self.t = t
        self._spectrum: tuple[float, np.ndarray, np.ndarray, np.ndarray] | None = None

    def _rotated(self, lam: float, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Eigenvalues of :math:`B'B` and :math:`U'V`, remembered for the last lambda."""
        cached = self._spectrum
        if cached is None or cached[0] != lam or cached[1] is not vectors:
            b = self.eye - lam * self.w
            mu, u = np.linalg.eigh(b.T @ b)
            cached = (lam, vectors, np.clip(mu, 0.0, None), u.T @ vectors)
            self._spectrum = cached
        return cached[2], cached[3]

    def between_many(
        self, lam: float, phis: np.ndarray, vectors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`between` for several ``phi`` at one ``lambda`` (dense kernel only):
        shapes ``(P, K, K)`` and ``(P,)``."""
        mu, rotated = self._rotated(lam, vectors)
        scale = mu[None, :] / (1.0 + self.t * phis[:, None] * mu[None, :])
        quad = np.einsum("nk,pn,nl->pkl", rotated, scale, rotated)
        return quad, np.log1p(self.t * phis[:, None] * mu[None, :]).sum(axis=1)

    def between(self, lam: float, phi: float, vectors: np.ndarray) -> tuple[np.ndarray, float]:
        """``V' (I + T phi B'B)^{-1} B'B V`` (symmetric) and ``ln|I + T phi B'B|``."""
        if self.dense:
            quads, ln_ms = self.between_many(lam, np.array([phi]), vectors)
            return quads[0], float(ln_ms[0])
        b = self.eye - lam * self.w
        btb = sparse.csc_matrix(b.T @ b)
        try:
            lu = splu(
                sparse.csc_matrix(self.eye + self.t * phi * btb),
                permc_spec="MMD_AT_PLUS_A",
                diag_pivot_thresh=0.0,
                options={"SymmetricMode": True},
            )
        except RuntimeError as err:
            raise EstimationError(f"I + T phi B'B is singular at lambda = {lam:.6g}.") from err
        diag = lu.U.diagonal()
        if np.any(diag <= 0):
            raise EstimationError(f"I + T phi B'B is not positive definite at lambda = {lam:.6g}.")
        solved, ln_m = lu.solve(np.asarray(btb @ vectors)), float(np.log(diag).sum())
        quad = vectors.T @ solved
        return 0.5 * (quad + quad.T), ln_m


def _whitened(
    model: str, spatial: float, phi: float, data: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """``(target, design)`` whose OLS is the GLS of the lag or the KKP model, stacked."""
    t = data["y"].shape[0]
    theta = _theta(t, phi)
    if model == "lag":
        target = data["y"] - spatial * data["wy"]
        design = data["z"]
    else:  # kkp: filter, then quasi-demean
        target = data["y"] - spatial * data["wy"]
        design = data["z"] - spatial * data["wz"]
    target, design = quasi_demean(target, theta), quasi_demean(design, theta)
    return target.ravel(), design.reshape(-1, design.shape[2])


def _baltagi_moments(
    lam: float, phi: float, data: dict[str, np.ndarray], kernel: _Baltagi
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """``[Z y]' Sigma^{-1} [Z y]`` blocks of the Baltagi model and ``ln|M|``."""
    # sum_t ||B (v_t - v_bar)||^2 blocks: quadratic in lambda, from three fixed products
    c0, c1, c2 = data["within_cross"]
    between, ln_m = kernel.between(lam, phi, data["zy_mean"])
    cross = c0 - lam * c1 + lam * lam * c2 + kernel.t * between
    return cross[:-1, :-1], cross[:-1, -1], float(cross[-1, -1]), ln_m


def _parabola_max(x: np.ndarray, values: np.ndarray) -> float:
    """The maximum of ``values`` on the even grid ``x``, refined by the parabola through the
    best point and its neighbours (for a smooth function, error of order h^3)."""
    best = int(np.argmax(values))
    if not np.isfinite(values[best]) or best in (0, values.size - 1):
        return float(values[best])
    left, mid, right = values[best - 1 : best + 2]
    curvature = left - 2.0 * mid + right
    if not np.isfinite(curvature) or curvature >= 0:
        return float(mid)
    return float(mid - (right - left) ** 2 / (8.0 * curvature))


def _baltagi_concentrated_many(
    lam: float, phis: np.ndarray, data: dict[str, np.ndarray], kernel: _Baltagi, logdet_value: float
) -> np.ndarray:
    """:func:`_concentrated` of the Baltagi model at one ``lambda`` and many ``phi`` at once
    (dense kernel): the GLS moments of all ``phi`` are one batched product and solve."""
    c0, c1, c2 = data["within_cross"]
    between, ln_m = kernel.between_many(lam, phis, data["zy_mean"])
    cross = (c0 - lam * c1 + lam * lam * c2)[None] + kernel.t * between
    zz, zy, yy = cross[:, :-1, :-1], cross[:, :-1, -1], cross[:, -1, -1]
    sse = yy - np.einsum("pk,pk->p", zy, np.linalg.solve(zz, zy[:, :, None])[:, :, 0])
    t, n = data["y"].shape
    nobs = n * t
    with np.errstate(invalid="ignore", divide="ignore"):
        value = -0.5 * nobs * (_LOG_2PI + 1.0 + np.log(sse / nobs)) - 0.5 * ln_m
    return np.where(np.isfinite(value), value + t * logdet_value, -np.inf)


def _prepare(
    model: str, y: np.ndarray, z: np.ndarray, w_matrix: sparse.spmatrix
) -> dict[str, np.ndarray]:
    data = {"y": y, "z": z, "wy": spatial_lag(w_matrix, y)}
    if model == "kkp":
        data["wz"] = spatial_lag(w_matrix, z)
    if model in ("lag", "kkp"):
        # cross-products of [Z, (WZ,) y, Wy] and of their region means: the GLS moments
        # of any (spatial parameter, phi) are combinations of these (see _moment_gls)
        blocks = [z, data["wz"]] if model == "kkp" else [z]
        v = np.concatenate([*blocks, y[:, :, None], data["wy"][:, :, None]], axis=2)
        means = v.mean(axis=0)
        within = (v - means).reshape(-1, v.shape[2])
        data["cross_within"] = within.T @ within
        data["cross_between"] = y.shape[0] * means.T @ means
    if model == "baltagi":
        zy = np.concatenate([z, y[:, :, None]], axis=2)
        zy_within = zy - zy.mean(axis=0, keepdims=True)
        flat = zy_within.reshape(-1, zy.shape[2])
        lagged = spatial_lag(w_matrix, zy_within).reshape(-1, zy.shape[2])
        cross = flat.T @ lagged
        data["within_cross"] = np.stack([flat.T @ flat, cross + cross.T, lagged.T @ lagged])
        data["zy_mean"] = zy.mean(axis=0)
    return data


def _gls(
    model: str,
    spatial: float,
    phi: float,
    data: dict[str, np.ndarray],
    names: tuple[str, ...],
    kernel: _Baltagi | None,
) -> tuple[np.ndarray, float, np.ndarray, float]:
    """GLS ``beta``, ``e' Sigma^{-1} e``, ``Z' Sigma^{-1} Z`` and the log-det of ``Sigma``'s
    non-spatial part (``ln(1 + T phi)`` times N, or ``ln|M|``)."""
    t, n = data["y"].shape
    if model == "baltagi":
        assert kernel is not None
        zz, zy, yy, ln_m = _baltagi_moments(spatial, phi, data, kernel)
        try:
            beta = np.linalg.solve(zz, zy)
        except np.linalg.LinAlgError as err:
            raise EstimationError("Z' Sigma^{-1} Z is singular.") from err
        return beta, float(yy - zy @ beta), zz, ln_m
    zz, zy, yy = _moment_gls(model, spatial, phi, data)
    try:
        beta = np.linalg.solve(zz, zy)
    except np.linalg.LinAlgError:
        target, design = _whitened(model, spatial, phi, data)
        beta = least_squares(design, target, names)  # names the collinear columns
    return beta, float(yy - zy @ beta), zz, n * float(np.log1p(t * phi))


def _moment_gls(
    model: str, spatial: float, phi: float, data: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, float]:
    """``Z*'Z*``, ``Z*'a*`` and ``a*'a*`` of the quasi-demeaned GLS regression.

    With :math:`v^* = (v - \\bar v_i) + (1 - \\theta)\\bar v_i`, :math:`\\sum v^*{v^*}' =
    \\sum (v - \\bar v_i)(v - \\bar v_i)' + (1 - \\theta)^2 T \\sum_i \\bar v_i \\bar v_i'`
    (within plus shrunk between, which keeps the precision of the data), and the regression of
    :math:`a = y - s\\,Wy` on :math:`Z` (lag) or :math:`Z - s\\,WZ` (KKP) takes its
    moments from those of :math:`[Z, (WZ,) y, Wy]`: no pass over the NT rows.
    """
    t = data["y"].shape[0]
    theta = _theta(t, phi)
    q = data["cross_within"] + (1.0 - theta) ** 2 * data["cross_between"]
    k = data["z"].shape[2]
    iy, iwy = q.shape[0] - 2, q.shape[0] - 1
    yy = q[iy, iy] - 2.0 * spatial * q[iy, iwy] + spatial * spatial * q[iwy, iwy]
    if model == "lag":
        return q[:k, :k], q[:k, iy] - spatial * q[:k, iwy], float(yy)
    z, wz = slice(0, k), slice(k, 2 * k)
    zz = q[z, z] - spatial * (q[z, wz] + q[wz, z]) + spatial * spatial * q[wz, wz]
    za = q[z, iy] - spatial * (q[z, iwy] + q[wz, iy]) + spatial * spatial * q[wz, iwy]
    return zz, za, float(yy)


def _concentrated(
    model: str,
    spatial: float,
    phi: float,
    data: dict[str, np.ndarray],
    names: tuple[str, ...],
    logdet_value: float,
    kernel: _Baltagi | None,
) -> float:
    """:math:`-\\frac{NT}2(\\ln 2\\pi + 1 + \\ln\\hat\\sigma^2) - \\frac12\\ln|\\Sigma|
    + T\\ln|I - \\rho W|` with :math:`\\hat\\sigma^2 = e'\\Sigma^{-1}e/NT`
    (``logdet_value`` is :math:`\\ln|I - \\rho W|` at ``spatial``)."""
    t, n = data["y"].shape
    _, sse, _, ln_sigma = _gls(model, spatial, phi, data, names, kernel)
    nobs = n * t
    return -0.5 * nobs * (_LOG_2PI + 1.0 + np.log(sse / nobs)) - 0.5 * ln_sigma + t * logdet_value


def random_effects_loglik(
    params: ArrayLike,
    y: np.ndarray,
    z: np.ndarray,
    w_matrix: sparse.spmatrix,
    logdet: LogDet,
    model: Model = "lag",
) -> float:
    """Full log-likelihood of a random-effects spatial panel at ``(beta, spatial, phi, sigma2)``.

    Parameters
    ----------
    params : array_like
        ``(beta..., rho or lambda, phi, sigma2)``.
    y : ndarray, shape (T, N)
    z : ndarray, shape (T, N, K)
        The full design (intercept and ``WX`` included, see :func:`random_effects_design`).
    w_matrix : sparse matrix, shape (N, N)
    logdet : callable
        :math:`\\rho \\mapsto \\ln|I - \\rho W|`, e.g. :func:`spatial.models.logdet.make_logdet`.
    model : {"lag", "baltagi", "kkp"}

    Returns
    -------
    float

    Notes
    -----
    With :math:`A = I_N - \\rho W`, :math:`B = I_N - \\lambda W`,
    :math:`\\phi = \\sigma^2_\\mu/\\sigma^2`, :math:`\\bar J_T = J_T/T`,
    :math:`E_T = I_T - \\bar J_T` and data stacked by period:

    ``lag`` (Elhorst 2003): :math:`(I_T \\otimes A) y = Z\\beta + \\iota_T \\otimes \\mu
    + \\varepsilon`, so :math:`u` has covariance :math:`\\sigma^2(\\phi J_T \\otimes I_N
    + I_{NT})` with determinant :math:`\\sigma^{2NT}(1 + T\\phi)^N`, and

    .. math:: \\ln L = -\\frac{NT}2\\ln(2\\pi\\sigma^2) - \\frac N2\\ln(1 + T\\phi)
        + T\\ln|A| - \\frac{e'e}{2\\sigma^2},

    :math:`e = [(I_T \\otimes A)y - Z\\beta]^*` quasi-demeaned with
    :math:`\\theta = 1 - (1 + T\\phi)^{-1/2}` (:func:`quasi_demean`; it commutes with
    :math:`I_T \\otimes A`).

    ``baltagi`` (Baltagi, Song and Koh 2003): :math:`u = \\iota_T \\otimes \\mu +
    (I_T \\otimes B^{-1})\\nu`, :math:`\\Omega = \\sigma^2[\\phi J_T \\otimes I_N +
    I_T \\otimes (B'B)^{-1}] = \\sigma^2[\\bar J_T \\otimes (T\\phi I_N + (B'B)^{-1})
    + E_T \\otimes (B'B)^{-1}]`, hence with :math:`M = I_N + T\\phi B'B`,
    :math:`r = y - Z\\beta`, :math:`\\tilde r_t = r_t - \\bar r`,

    .. math:: \\ln L = -\\frac{NT}2\\ln(2\\pi\\sigma^2) - \\frac12\\ln|M| + T\\ln|B|
        - \\frac{1}{2\\sigma^2}\\Big[\\sum_t \\|B\\tilde r_t\\|^2
        + T\\bar r' M^{-1}B'B\\,\\bar r\\Big],

    since :math:`-\\frac12\\ln|T\\phi I + (B'B)^{-1}| + (T - 1)\\ln|B| = -\\frac12\\ln|M|
    + T\\ln|B|`. :math:`M` is sparse (a sparse LU gives its log-determinant and solves).

    ``kkp`` (Kapoor, Kelejian and Prucha 2007): :math:`(I_T \\otimes B)u = \\iota_T
    \\otimes \\mu + \\nu`, :math:`\\Omega = \\sigma^2(\\phi J_T + I_T) \\otimes (B'B)^{-1}`:
    the ``lag`` formula with :math:`\\ln|B|` and :math:`e = [(I_T \\otimes B)(y - Z\\beta)]^*`.

    References
    ----------
    Elhorst, J. P. (2003). Specification and estimation of spatial panel data models.
    *International Regional Science Review* 26(3): 244-268.

    Baltagi, B. H., Song, S. H. and Koh, W. (2003). Testing panel data regression models
    with spatial error correlation. *Journal of Econometrics* 117(1): 123-150.

    Kapoor, M., Kelejian, H. H. and Prucha, I. R. (2007). Panel data models with spatially
    correlated error components. *Journal of Econometrics* 140(1): 97-130.

    Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
    Statistical Software* 47(1): 1-38.
    """
    check_option("model", model, MODELS)
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    _check(y, z, w_matrix)
    kernel = _Baltagi(w_matrix, y.shape[0]) if model == "baltagi" else None
    return _loglik(params, y, z, w_matrix, logdet, model, kernel)


def _loglik(
    params: ArrayLike,
    y: np.ndarray,
    z: np.ndarray,
    w_matrix: sparse.spmatrix,
    logdet: LogDet,
    model: Model,
    kernel: _Baltagi | None,
) -> float:
    """:func:`random_effects_loglik` on checked arrays, with the Baltagi kernel given (the
    numerical Hessian reuses one kernel, and its spectrum, across its evaluations)."""
    theta_all = np.asarray(params, dtype=np.float64)
    k = z.shape[2]
    beta, spatial, phi, sigma2 = theta_all[:k], *theta_all[k : k + 3]
    if phi < 0 or sigma2 <= 0:
        return -np.inf
    t, n = y.shape
    nobs = n * t
    resid = y - z @ beta
    ld = _logdet_at(logdet, spatial)
    if model == "baltagi":
        assert kernel is not None
        mean = resid.mean(axis=0)
        between, ln_m = kernel.between(spatial, phi, mean[:, None])
        within = resid - mean
        filtered = within - spatial * spatial_lag(w_matrix, within)
        quad = float((filtered**2).sum() + t * between[0, 0])
        return (
            -0.5 * nobs * (_LOG_2PI + np.log(sigma2)) - 0.5 * ln_m + t * ld - quad / (2.0 * sigma2)
        )
    if model == "lag":
        e = y - spatial * spatial_lag(w_matrix, y) - z @ beta
    else:
        e = resid - spatial * spatial_lag(w_matrix, resid)
    e = quasi_demean(e, _theta(t, phi))
    return (
        -0.5 * nobs * (_LOG_2PI + np.log(sigma2))
        - 0.5 * n * np.log1p(t * phi)
        + t * ld
        - float((e**2).sum()) / (2.0 * sigma2)
    )


#: Grid points of the searches over the spatial parameter (outer) and ln(1 + T phi) (inner),
#: each refined by Brent's method.
GRID_SPATIAL = 24
GRID_PHI = 16
#: Points in s = ln(1 + T phi) of the batched inner grid of the dense Baltagi kernel.
COARSE_GRID_PHI = 257


#: Starting grid of the joint search (interior points of the spatial interval, and s).
JOINT_GRID_SPATIAL = 7
JOINT_GRID_S = (0.0, 0.5, 1.5, 3.0, 6.0)


def _joint_search(
    func: Callable[[float, float], float], bounds: tuple[float, float]
) -> tuple[float, float, bool]:
    """Maximise ``func(spatial, s)`` jointly, for the sparse Baltagi kernel.

    Each evaluation of the Baltagi likelihood factors :math:`I + T\\phi B'B`, so the
    nested searches (about 1,100 evaluations) are too slow at large N. Instead: the best
    point of a ``JOINT_GRID_SPATIAL`` x ``len(JOINT_GRID_S)`` grid, then L-BFGS-B with
    bounds (Byrd, Lu, Nocedal and Zhu 1995; ``scipy.optimize.minimize``) on
    ``(spatial, s)`` with finite-difference gradients, typically 60-100 evaluations.
    The result is never worse than the best grid point.
    """
    lo, hi = bounds
    inner = (lo + BOUND_MARGIN * (hi - lo), hi - BOUND_MARGIN * (hi - lo))
    grid = [
        (r, v, func(r, v))
        for r in np.linspace(*inner, JOINT_GRID_SPATIAL + 2)[1:-1]
        for v in JOINT_GRID_S
    ]
    r0, v0, best = max(grid, key=lambda item: item[2])
    if not np.isfinite(best):
        raise EstimationError("The likelihood is not finite anywhere on the starting grid.")
    scale = max(abs(best), 1.0)  # keep L-BFGS-B's relative tolerances meaningful

    def objective(p: np.ndarray) -> float:
        value = func(float(p[0]), float(p[1]))
        return -value / scale if np.isfinite(value) else np.inf

    found = optimize.minimize(
        objective,
        np.array([r0, v0]),
        method="L-BFGS-B",
        bounds=[inner, S_BOUNDS],
        options={"ftol": 1e-15, "gtol": 1e-10, "eps": 1e-8},
    )
    if not np.isfinite(found.fun) or -found.fun * scale < best:
        return r0, v0, False
    return float(found.x[0]), float(found.x[1]), bool(found.success)


def _fit(
    model: Model,
    y: np.ndarray,
    z: np.ndarray,
    names: tuple[str, ...],
    w_matrix: sparse.spmatrix,
    logdet: LogDet,
    bounds: tuple[float, float],
    spatial_name: str,
) -> RandomEffectsResult:
    _check(y, z, w_matrix)
    t, n = y.shape
    data = _prepare(model, y, z, w_matrix)
    kernel = _Baltagi(w_matrix, t) if model == "baltagi" else None
    count = [0]
    search_logdet = memoized(logdet)  # the searches return to the same spatial values

    def conc(spatial: float, phi: float, logdet_value: float) -> float:
        count[0] += 1
        try:
            return _concentrated(model, spatial, phi, data, names, logdet_value, kernel)
        except (CollinearityError, EstimationError, np.linalg.LinAlgError):
            return -np.inf  # e.g. the filtered intercept vanishing as lambda -> 1

    def conc_many(spatial: float, phis: np.ndarray, logdet_value: float) -> np.ndarray:
        if kernel is None or not kernel.dense:
            return np.array([conc(spatial, float(phi), logdet_value) for phi in phis])
        count[0] += phis.size
        try:
            return _baltagi_concentrated_many(spatial, phis, data, kernel, logdet_value)
        except np.linalg.LinAlgError:  # a singular Z' Sigma^-1 Z somewhere: one at a time
            return np.array([conc(spatial, float(phi), logdet_value) for phi in phis])

    def inner(spatial: float) -> tuple[float, float, bool]:
        """The best s = ln(1 + T phi) for this spatial parameter (its log-det computed once)."""
        logdet_value = _logdet_at(search_logdet, spatial)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BoundaryWarning)  # phi = 0 is admissible
            best = maximize_scalar(
                lambda s: conc_many(spatial, np.expm1(np.atleast_1d(s)) / t, logdet_value),
                S_BOUNDS,
                grid=GRID_PHI,
                name="ln(1 + T phi)",
            )
        return best.argmax, best.value, best.converged

    if kernel is not None and not kernel.dense:
        spatial, s_best, converged = _joint_search(
            lambda r, v: conc(r, float(np.expm1(v) / t), _logdet_at(search_logdet, r)),
            bounds,
        )
    else:

        def profile(values: np.ndarray) -> np.ndarray:
            """The profile over the spatial parameter; on the dense Baltagi kernel the grid
            that brackets it uses a fine batched grid in s per value (refined by a
            parabola), and the bracketed search the exact inner maximum."""
            r = np.atleast_1d(values)
            if r.size == 1 or kernel is None:
                return np.array([inner(float(v))[1] for v in r])
            s_grid = np.linspace(*S_BOUNDS, COARSE_GRID_PHI)
            return np.array(
                [
                    _parabola_max(
                        s_grid,
                        conc_many(float(v), np.expm1(s_grid) / t, _logdet_at(search_logdet, v)),
                    )
                    for v in r
                ]
            )

        outer = maximize_scalar(
            profile,
            bounds,
            grid=GRID_SPATIAL,
            name=spatial_name,
        )
        spatial = outer.argmax
        s_best, _, inner_ok = inner(spatial)
        converged = outer.converged and inner_ok
    phi = float(np.expm1(s_best) / t)
    beta, sse, zz, _ = _gls(model, spatial, phi, data, names, kernel)
    sigma2 = sse / (n * t)
    params = np.concatenate([beta, [spatial, phi, sigma2]])
    loglik = _loglik(params, y, z, w_matrix, logdet, model, kernel)
    hessian = numerical_hessian(
        lambda p: _loglik(p, y, z, w_matrix, logdet, model, kernel),
        params,
    )
    try:
        cov = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError as err:
        raise EstimationError("The numerical Hessian is singular at the estimate.") from err
    beta_cov = sigma2 * np.linalg.inv(zz)
    return RandomEffectsResult(
        model=model,
        names=(*names, spatial_name, "phi", "sigma2"),
        params=params,
        cov=cov,
        beta_cov_gls=beta_cov,
        loglik=float(loglik),
        converged=bool(converged),
        evaluations=count[0],
        nobs=n * t,
        n=n,
        t=t,
    )


def fit_random_lag(
    y: np.ndarray,
    x: np.ndarray,
    w_matrix: sparse.spmatrix,
    logdet: LogDet,
    bounds: tuple[float, float],
    names: Sequence[str] | None = None,
    *,
    intercept: bool = True,
    durbin: bool = False,
) -> RandomEffectsResult:
    """Random-effects spatial lag (SAR) or Durbin (SDM) panel by maximum likelihood.

    :math:`y_t = \\rho W y_t + \\alpha + X_t\\beta [+ WX_t\\gamma] + \\mu + \\varepsilon_t`,
    :math:`\\mu_i \\sim N(0, \\sigma^2_\\mu)`, :math:`\\varepsilon \\sim N(0, \\sigma^2 I)`,
    :math:`\\phi = \\sigma^2_\\mu/\\sigma^2`; splm's ``spml(model="random", lag=TRUE,
    spatial.error="none")``.

    Parameters
    ----------
    y : ndarray, shape (T, N)
    x : ndarray, shape (T, N, K) or (T, N)
        Regressors without intercept (it is added when ``intercept``).
    w_matrix : sparse matrix, shape (N, N)
    logdet : callable
        :math:`\\ln|I - \\rho W|`, e.g. ``make_logdet(SpatialWeights, method)``.
    bounds : (float, float)
        Admissible interval of ``rho`` (``LogDeterminant.bounds``).
    names : sequence of str, optional
    intercept, durbin : bool
        Add a constant; add ``WX`` (the SDM).

    Returns
    -------
    RandomEffectsResult
        ``params = (beta..., rho, phi, sigma2)``.

    Notes
    -----
    The log-likelihood is that of :func:`random_effects_loglik` (``model="lag"``).
    For given :math:`(\\rho, \\phi)` OLS of :math:`[(I_T\\otimes A)y]^*` on :math:`Z^*`
    gives :math:`\\beta` and :math:`\\hat\\sigma^2 = e'e/NT`, leaving

    .. math:: \\ln L_c = -\\frac{NT}2(\\ln 2\\pi + 1 + \\ln\\hat\\sigma^2)
        - \\frac N2\\ln(1 + T\\phi) + T\\ln|I - \\rho W|,

    maximised over :math:`s = \\ln(1 + T\\phi) \\in [0, 20]` for each :math:`\\rho` and
    over :math:`\\rho` outside (nested grid + Brent searches; the log-determinant is
    computed once per :math:`\\rho`). The covariance
    inverts the numerical Hessian of the full log-likelihood (Elhorst 2003;
    Millo and Piras 2012).

    References
    ----------
    Elhorst, J. P. (2003). Specification and estimation of spatial panel data models.
    *International Regional Science Review* 26(3): 244-268.

    Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
    Statistical Software* 47(1): 1-38.
    """
    y = np.asarray(y, dtype=np.float64)
    z, labels = random_effects_design(x, w_matrix, names, intercept=intercept, durbin=durbin)
    return _fit("lag", y, z, labels, w_matrix, logdet, bounds, "rho")


def fit_random_error(
    y: np.ndarray,
    x: np.ndarray,
    w_matrix: sparse.spmatrix,
    logdet: LogDet,
    bounds: tuple[float, float],
    names: Sequence[str] | None = None,
    *,
    structure: Literal["baltagi", "kkp"] = "baltagi",
    intercept: bool = True,
) -> RandomEffectsResult:
    """Random-effects spatial error panel by maximum likelihood.

    ``structure="baltagi"`` (splm ``spatial.error="b"``; Baltagi, Song and Koh 2003):
    :math:`u_t = \\mu + e_t`, :math:`e_t = \\lambda W e_t + \\varepsilon_t` (the
    spatial process acts on the remainder error only). ``structure="kkp"``
    (``spatial.error="kkp"``; Kapoor, Kelejian and Prucha 2007):
    :math:`u_t = \\lambda W u_t + \\mu + \\varepsilon_t` (it also spreads the
    individual effects).

    Parameters
    ----------
    y, x, w_matrix, logdet, bounds, names, intercept
        As :func:`fit_random_lag`; ``bounds`` is the interval of ``lambda``.
    structure : {"baltagi", "kkp"}

    Returns
    -------
    RandomEffectsResult
        ``params = (beta..., lambda, phi, sigma2)``.

    Notes
    -----
    Log-likelihoods in :func:`random_effects_loglik`; for given
    :math:`(\\lambda, \\phi)` GLS gives :math:`\\beta` and
    :math:`\\hat\\sigma^2 = e'\\Sigma^{-1}e/NT`, and the concentrated likelihood is
    maximised as in :func:`fit_random_lag`.

    References
    ----------
    Baltagi, B. H., Song, S. H. and Koh, W. (2003). Testing panel data regression models
    with spatial error correlation. *Journal of Econometrics* 117(1): 123-150.

    Kapoor, M., Kelejian, H. H. and Prucha, I. R. (2007). Panel data models with spatially
    correlated error components. *Journal of Econometrics* 140(1): 97-130.

    Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
    Statistical Software* 47(1): 1-38.
    """
    check_option("structure", structure, ("baltagi", "kkp"))
    y = np.asarray(y, dtype=np.float64)
    z, labels = random_effects_design(x, w_matrix, names, intercept=intercept)
    return _fit(structure, y, z, labels, w_matrix, logdet, bounds, "lambda")


@dataclass(frozen=True)
class BSKTests:
    """Baltagi, Song and Koh (2003) LM statistics from pooled OLS residuals.

    Attributes
    ----------
    lm1, lm1_pvalue : float
        Random effects (no spatial error): N(0, 1), one-sided p-value.
    lm2, lm2_pvalue : float
        Spatial error (no random effects): N(0, 1), two-sided p-value.
    lmj, lmj_pvalue : float
        Joint :math:`LM_J = LM_1^2 + LM_2^2`, :math:`\\chi^2_2`.
    lmh, lmh_pvalue : float
        Honda-type one-sided joint :math:`(LM_1 + LM_2)/\\sqrt2`, N(0, 1).
    """

    lm1: float
    lm1_pvalue: float
    lm2: float
    lm2_pvalue: float
    lmj: float
    lmj_pvalue: float
    lmh: float
    lmh_pvalue: float


def bsk_tests(residuals: np.ndarray, w_matrix: sparse.spmatrix) -> BSKTests:
    """Baltagi, Song and Koh (2003) LM tests for random effects and spatial error.

    Parameters
    ----------
    residuals : ndarray, shape (T, N)
        Pooled OLS residuals :math:`\\hat u` (time-major).
    w_matrix : sparse matrix, shape (N, N)

    Returns
    -------
    BSKTests

    Notes
    -----
    With :math:`\\hat u` stacked by period (BSK 2003, eqs. 2.9-2.18),
    :math:`b = tr(W^2 + W'W)`:

    .. math:: LM_1 = \\sqrt{\\frac{NT}{2(T-1)}}\\Big[\\frac{\\hat u'(J_T \\otimes I_N)\\hat u}
        {\\hat u'\\hat u} - 1\\Big], \\qquad
        LM_2 = \\sqrt{\\frac{N^2T}{b}}\\,
        \\frac{\\hat u'(I_T \\otimes (W + W')/2)\\hat u}{\\hat u'\\hat u},

    each N(0, 1) under its null; :math:`LM_J = LM_1^2 + LM_2^2 \\sim \\chi^2_2` under
    :math:`\\sigma^2_\\mu = \\lambda = 0`, and :math:`LM_H = (LM_1 + LM_2)/\\sqrt2`
    is the one-sided version. splm's ``bsktest`` ``LM1``, ``LM2`` and ``LMH``
    (the latter as the Gourieroux-Holly-Monfort mixed :math:`\\chi^2`).

    References
    ----------
    Baltagi, B. H., Song, S. H. and Koh, W. (2003). Testing panel data regression models
    with spatial error correlation. *Journal of Econometrics* 117(1): 123-150.

    Millo, G. and Piras, G. (2012). splm: Spatial panel data models in R. *Journal of
    Statistical Software* 47(1): 1-38.
    """
    u = np.asarray(residuals, dtype=np.float64)
    if u.ndim != 2 or w_matrix.shape != (u.shape[1], u.shape[1]):
        raise PanelStructureError("residuals must be (T, N) and W (N, N).")
    t, n = u.shape
    if t < 2:
        raise PanelStructureError("The BSK tests need at least two periods.")
    uu = float((u**2).sum())
    sums = u.sum(axis=0)
    lm1 = np.sqrt(n * t / (2.0 * (t - 1))) * (float(sums @ sums) / uu - 1.0)
    w = sparse.csr_matrix(w_matrix)
    b = float(w.multiply(w.T).sum() + w.multiply(w).sum())  # tr(W^2) + tr(W'W)
    quad = float((u * spatial_lag(w, u)).sum())  # u'(I (x) W)u = u'(I (x) (W+W')/2)u
    lm2 = np.sqrt(n * n * t / b) * quad / uu
    lmj = lm1**2 + lm2**2
    lmh = (lm1 + lm2) / np.sqrt(2.0)
    return BSKTests(
        lm1=float(lm1),
        lm1_pvalue=float(stats.norm.sf(lm1)),
        lm2=float(lm2),
        lm2_pvalue=float(2.0 * stats.norm.sf(abs(lm2))),
        lmj=float(lmj),
        lmj_pvalue=float(stats.chi2.sf(lmj, 2)),
        lmh=float(lmh),
        lmh_pvalue=float(stats.norm.sf(lmh)),
    )
