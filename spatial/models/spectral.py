"""Functions of W evaluated for many values of a spatial parameter at once.

The likelihood, the information matrix and the impacts all need sums over the
spectrum of W of the form

.. math:: \\sum_i g_i \\frac{\\lambda_i^p}{(1 - \\rho \\lambda_i)^m},

with ``g_i = 1`` for traces (``p = 0, m = 1``: :math:`tr (I - \\rho W)^{-1}`;
``p = 1, m = 1``: :math:`tr\\, W (I - \\rho W)^{-1}`; ``m = 2``: their derivatives)
and ``g_i`` the weights of :math:`N^{-1} 1' (I - \\rho W)^{-1} 1` for totals.
:class:`EigenSpectrum` evaluates them exactly from one eigen-decomposition
(small N); :class:`SeriesSpectrum` from the moments :math:`tr(W^k)` and
:math:`1'W^k 1` of a power series (large N; LeSage and Pace 2009, ch. 4), with
the traces estimated by Hutchinson's (1989) estimator.
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from ..exceptions import EstimationError

__all__ = ["EigenSpectrum", "SeriesSpectrum", "Spectrum"]

Kind = Literal["trace", "total"]

#: Evaluate at most this many (rho, eigenvalue) pairs at once (memory bound).
CHUNK = 2_000_000


class Spectrum(Protocol):
    """Interface of the spectral kernels (see module docstring).

    Notes
    -----
    ``sum(rho, p, m)`` is :math:`\\sum_i g_i \\lambda_i^p/(1 - \\rho\\lambda_i)^m`,
    with :math:`g_i = 1` (``kind="trace"``: :math:`tr[W^p(I - \\rho W)^{-m}]`) or
    the total weights (``kind="total"``: :math:`N^{-1}1'W^p(I - \\rho W)^{-m}1`);
    ``logdet(rho)`` is :math:`\\sum_i \\ln(1 - \\rho\\lambda_i) = \\ln|I - \\rho W|`
    (Ord 1975; LeSage and Pace 2009, ch. 4).

    References
    ----------
    Ord, K. (1975). Estimation methods for models of spatial interaction. *Journal of
    the American Statistical Association* 70(349): 120-126.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.
    """

    n: int
    method: str

    def sum(self, rho: ArrayLike, power: int, order: int, kind: Kind = "trace") -> np.ndarray:
        """:math:`\\sum_i g_i \\lambda_i^p / (1 - \\rho\\lambda_i)^m` for each ``rho``."""
        ...

    def logdet(self, rho: ArrayLike) -> np.ndarray:
        """:math:`\\ln|I - \\rho W|` for each ``rho``."""
        ...


class EigenSpectrum:
    """Exact spectral sums from the eigenvalues (and, for totals, eigenvectors) of W.

    Parameters
    ----------
    eigenvalues : array_like
        All N eigenvalues (complex allowed; results are real parts).
    total_weights : array_like, optional
        :math:`g_i = (1'v_i)(u_i'1)/N` with right eigenvectors ``v_i`` and the
        rows ``u_i`` of ``V^{-1}``; omitted for a row-standardized W, where
        :math:`1'(I - \\rho W)^{-1} 1 / N = 1/(1 - \\rho)` exactly.

    Notes
    -----
    With :math:`W = V\\Lambda V^{-1}`,
    :math:`W^p(I - \\rho W)^{-m} = V \\operatorname{diag}(\\lambda_i^p/(1 - \\rho\\lambda_i)^m)
    V^{-1}`, so :math:`tr[W^p(I - \\rho W)^{-m}] = \\sum_i \\lambda_i^p/(1 - \\rho\\lambda_i)^m`
    and :math:`N^{-1}1'W^p(I - \\rho W)^{-m}1 = \\sum_i g_i\\lambda_i^p/(1 - \\rho\\lambda_i)^m`;
    :math:`\\ln|I - \\rho W| = \\sum_i \\ln(1 - \\rho\\lambda_i)` (Ord 1975). For a
    row-standardized W, :math:`W1 = 1` gives the totals
    :math:`1/(1 - \\rho)^m` for every ``p`` (LeSage and Pace 2009, ch. 4).

    References
    ----------
    Ord, K. (1975). Estimation methods for models of spatial interaction. *Journal of
    the American Statistical Association* 70(349): 120-126.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    For the W with eigenvalues 1 and -1,
    :math:`(I - 0.5W)^{-1} = \\frac43\\begin{pmatrix}1 & 0.5 \\\\ 0.5 & 1\\end{pmatrix}`:
    :math:`tr(I - 0.5W)^{-1} = 2 + 2/3`, :math:`tr\\,W(I - 0.5W)^{-1} = 2 - 2/3` and
    :math:`\\ln|I - 0.5W| = \\ln 0.75`:

    >>> spec = EigenSpectrum([1.0, -1.0])
    >>> np.round(spec.sum([0.5], 0, 1), 4), np.round(spec.sum([0.5], 1, 1), 4)
    (array([2.6667]), array([1.3333]))
    >>> np.round(spec.logdet([0.5]), 4)
    array([-0.2877])
    """

    method = "eigen"

    def __init__(self, eigenvalues: ArrayLike, total_weights: ArrayLike | None = None) -> None:
        lam = np.asarray(eigenvalues)
        self.eigenvalues = lam
        self.n = lam.size
        self.total_weights = None if total_weights is None else np.asarray(total_weights)
        self._numerators: dict[tuple[int, str], np.ndarray] = {}

    @classmethod
    def from_weights(cls, w: object) -> EigenSpectrum:
        """From a :class:`~spatial.weights.SpatialWeights` (cached decomposition)."""
        from ..weights import SpatialWeights

        assert isinstance(w, SpatialWeights)
        if w.is_row_standardized:
            return cls(w.eigenvalues())
        lam, v, v_inv = w.eigen_decomposition()
        ones = np.ones(w.n)
        return cls(lam, (ones @ v) * (v_inv @ ones) / w.n)

    def _numerator(self, power: int, kind: Kind) -> np.ndarray:
        key = (power, kind)
        if key not in self._numerators:
            weights = 1.0 if kind == "trace" else self.total_weights
            assert weights is not None
            self._numerators[key] = weights * self.eigenvalues**power
        return self._numerators[key]

    def sum(self, rho: ArrayLike, power: int, order: int, kind: Kind = "trace") -> np.ndarray:
        values = np.asarray(rho, dtype=np.float64)
        if kind == "total" and self.total_weights is None:
            # row-standardized: only lambda = 1 carries the total, with weight 1
            return np.asarray(1.0 / (1.0 - values) ** order)
        lam, numerator = self.eigenvalues, self._numerator(power, kind)
        if values.size == 1:  # one rho (a root search, a point estimate)
            factor = 1.0 - float(values.reshape(())) * lam
            found = (numerator / (factor if order == 1 else factor**order)).sum()
            return np.full(values.shape, float(np.real(found)))
        flat = values.ravel()
        out = np.empty(flat.size, dtype=np.result_type(lam, np.float64))
        step = max(1, CHUNK // max(lam.size, 1))
        for start in range(0, flat.size, step):
            r = flat[start : start + step, None]
            out[start : start + step] = (numerator / (1.0 - r * lam) ** order).sum(axis=1)
        return np.real(out).reshape(values.shape)

    def trace_g(self, rho: float) -> float:
        """:math:`tr\\, W(I - \\rho W)^{-1} = \\sum_i \\lambda_i/(1 - \\rho\\lambda_i)` at one
        ``rho``: :meth:`sum` with ``power = order = 1``, without its generality, for the
        score of the lag and error likelihoods in a root search."""
        lam = self.eigenvalues
        return float(np.real((lam / (1.0 - rho * lam)).sum()))

    def logdet(self, rho: ArrayLike) -> np.ndarray:
        values = np.asarray(rho, dtype=np.float64)
        lam = self.eigenvalues
        out = np.empty(values.size)
        step = max(1, CHUNK // max(lam.size, 1))
        flat = values.ravel()
        for start in range(0, flat.size, step):
            # the real part of ln(1 - rho lam) is ln|1 - rho lam|, for complex lam too
            factors = np.abs(1.0 - flat[start : start + step, None] * lam)
            out[start : start + step] = np.log(factors).sum(axis=1)
        return out.reshape(values.shape)


class SeriesSpectrum:
    """Spectral sums by power series in ``rho`` from the moments of W.

    Parameters
    ----------
    trace_moments : array_like
        :math:`t_k = tr(W^k)`, ``k = 0..K``.
    total_moments : array_like
        :math:`m_k = 1'W^k 1 / N`, ``k = 0..K``.
    n : int
        Number of entities.

    Notes
    -----
    :math:`\\sum_i \\lambda_i^p/(1-\\rho\\lambda_i) = \\sum_q \\rho^q t_{q+p}` and
    :math:`\\sum_i \\lambda_i^p/(1-\\rho\\lambda_i)^2 = \\sum_q (q+1)\\rho^q t_{q+p}`;
    :math:`\\ln|I - \\rho W| = -\\sum_{k\\ge1} \\rho^k t_k / k` (Barry and Pace 1999).
    Valid for :math:`|\\rho| \\max|\\lambda| < 1`; the series is truncated at ``K``.
    Totals use :math:`m_k` in place of :math:`t_k` (LeSage and Pace 2009, ch. 4).
    :meth:`from_matrix` estimates :math:`t_k`, :math:`k \\ge 3`, by Hutchinson's
    (1989) estimator :math:`t_k \\approx m^{-1}\\sum_r z_r'W^k z_r` with ``m``
    Rademacher probes; :math:`t_0 = N`, :math:`t_1 = tr\\,W` and
    :math:`t_2 = \\sum_{ij} w_{ij}w_{ji}` are exact, and so are the :math:`m_k`
    (matrix-vector products).

    References
    ----------
    Barry, R. P. and Pace, R. K. (1999). Monte Carlo estimates of the log determinant
    of large sparse matrices. *Linear Algebra and its Applications* 289(1-3): 41-54.

    Hutchinson, M. F. (1989). A stochastic estimator of the trace of the influence
    matrix for Laplacian smoothing splines. *Communications in Statistics -
    Simulation and Computation* 18(3): 1059-1076.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    For the W with eigenvalues 1 and -1, :math:`t_k = 1 + (-1)^k` and
    :math:`\\sum_q 0.5^q t_q = 2/0.75`:

    >>> w = sparse.csr_matrix([[0.0, 1.0], [1.0, 0.0]])
    >>> spec = SeriesSpectrum.from_matrix(w, order=40, exact=True)
    >>> spec.trace_moments[:4], spec.total_moments[:2]
    (array([2., 0., 2., 0.]), array([1., 1.]))
    >>> np.round(spec.sum([0.5], 0, 1), 4), np.round(spec.logdet([0.5]), 4)
    (array([2.6667]), array([-0.2877]))
    """

    method = "series"

    def __init__(self, trace_moments: ArrayLike, total_moments: ArrayLike, n: int) -> None:
        self.trace_moments = np.asarray(trace_moments, dtype=np.float64)
        self.total_moments = np.asarray(total_moments, dtype=np.float64)
        self.n = int(n)

    @classmethod
    def from_matrix(
        cls,
        matrix: sparse.spmatrix,
        order: int = 100,
        n_probes: int = 50,
        seed: int | None = 0,
        exact: bool = False,
    ) -> SeriesSpectrum:
        """Moments of a sparse W: totals exactly (mat-vecs), traces exactly for
        ``exact=True`` (dense powers, small N only) or by Hutchinson with
        ``n_probes`` Rademacher vectors."""
        n = matrix.shape[0]
        totals = np.empty(order + 1)
        vec = np.ones(n)
        for k in range(order + 1):
            totals[k] = vec.sum() / n
            vec = matrix.T @ vec
        traces = np.empty(order + 1)
        if exact:
            power = np.eye(n)
            dense = matrix.toarray()
            for k in range(order + 1):
                traces[k] = np.trace(power)
                power = dense @ power
        else:
            rng = np.random.default_rng(seed)
            probes = rng.choice([-1.0, 1.0], size=(n, n_probes))
            current = probes
            for k in range(order + 1):
                traces[k] = np.einsum("ij,ij->", probes, current) / n_probes
                current = matrix @ current
            traces[0] = n
            if order >= 2:  # tr W and tr W^2 are cheap to have exactly
                csr = sparse.csr_matrix(matrix)
                traces[1] = csr.diagonal().sum()
                traces[2] = csr.multiply(csr.T).sum()
        return cls(traces, totals, n)

    def _coefficients(self, rho: np.ndarray, order: int, count: int) -> np.ndarray:
        q = np.arange(count)
        powers = rho[:, None] ** q[None, :]
        if order == 1:
            return powers
        if order == 2:
            return powers * (q + 1.0)
        raise EstimationError(f"Series sums are implemented for order 1 and 2, not {order}.")

    def sum(self, rho: ArrayLike, power: int, order: int, kind: Kind = "trace") -> np.ndarray:
        values = np.asarray(rho, dtype=np.float64)
        moments = self.trace_moments if kind == "trace" else self.total_moments
        usable = moments[power:]
        coef = self._coefficients(values.ravel(), order, usable.size)
        return (coef @ usable).reshape(values.shape)

    def logdet(self, rho: ArrayLike) -> np.ndarray:
        values = np.asarray(rho, dtype=np.float64)
        k = np.arange(1, self.trace_moments.size)
        terms = values.ravel()[:, None] ** k[None, :] / k[None, :]
        return -(terms @ self.trace_moments[1:]).reshape(values.shape)
