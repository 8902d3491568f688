"""Geographically and temporally weighted regression (GTWR) with memory linear in n.

:class:`GTWR` fits Huang, Wu and Barry's (2010) model on a long (region, year)
panel: every observation gets its own weighted least squares, with weights that
decay in a spatio-temporal distance. The kernel works on blocks of rows, so no
``n x n`` matrix is ever held: a block of ``b`` rows needs ``O(b n)`` memory and
the whole fit ``O(n)`` beyond it. The adaptive bisquare kernel (the default) is zero
beyond the ``q``-th neighbour, so for ``q <= n / 4`` each row uses its nearest
neighbours from a k-d tree (``scipy.spatial.cKDTree``): ``O(n q)`` work instead of
``O(n^2)``. The bandwidth is chosen by golden section (on the log of the neighbour
count when adaptive) and the space-time ratio ``tau`` over a grid, jointly, by AICc
or CV; the grid can run on a Dask cluster (``client=``), the row blocks on local
threads (``n_jobs``).

Written by hand: the Python GTWR package builds n x n matrices (127 TiB at 944,655
observations, its issue 7) and mgwr has no temporal distance.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._core.options import Balance, check_option
from .._core.results import FrozenTables
from .._core.summary import Summary
from .._core.version import __version__
from ..exceptions import (
    BandwidthSearchWarning,
    CollinearityError,
    EstimationError,
    InvalidOptionError,
    SpecificationError,
)
from .gwr import (
    KERNELS,
    Kernel,
    _check_design,
    _is_column_pair,
    _plain_critical_t,
    _prepare,
    adjusted_critical_t,
)

if TYPE_CHECKING:
    from dask.distributed import Client

__all__ = ["EARTH_RADIUS_KM", "GTWR", "GTWRCriterion", "GTWRResults"]

GTWRCriterion = Literal["AICc", "CV"]
#: Earth radius (km) of the chord coordinates used for lon/lat (as mgwr's haversine).
EARTH_RADIUS_KM = 6371.0
_ADAPTIVE_EPS = 1.0000001  # mgwr's factor on the distance to the q-th neighbour
_DEFAULT_BLOCK_BYTES = 8 * 2**20
#: Adaptive bisquare bandwidths up to this share of n use the nearest neighbours (k-d tree)
#: instead of all n distances per row: O(n q) work instead of O(n^2).
_NEIGHBOUR_SHARE = 0.25


# ----------------------------------------------------------------------------- kernels
def _space_time(xy: np.ndarray, t: np.ndarray, tau: float, spherical: bool) -> np.ndarray:
    """Coordinates whose Euclidean distance is d_ST = sqrt(d_S^2 + tau d_T^2), centred."""
    if spherical:
        lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
        space = EARTH_RADIUS_KM * np.column_stack(
            [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
        )
    else:
        space = np.asarray(xy, dtype=np.float64)
    out = np.column_stack([space, math.sqrt(tau) * np.asarray(t, dtype=np.float64)])
    return out - out.mean(axis=0)


@dataclass(frozen=True)
class _Design:
    """Everything a block evaluation needs (picklable, shipped once to Dask workers)."""

    X: np.ndarray  # (n, k) with the constant
    y: np.ndarray  # (n,)
    xy: np.ndarray  # (n, 2)
    t: np.ndarray  # (n,)
    spherical: bool
    kernel: str
    fixed: bool


def _moments(X: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    k = X.shape[1]
    a, b = np.triu_indices(k)
    cols = [X[:, a] * X[:, b]]
    if y is not None:
        cols.append(X * y[:, None])
    return np.ascontiguousarray(np.column_stack(cols))


def _unpack(m: np.ndarray, k: int) -> np.ndarray:
    a, b = np.triu_indices(k)
    out = np.empty((m.shape[0], k, k))
    out[:, a, b] = m
    out[:, b, a] = m
    return out


def _weights(
    d2: np.ndarray, bandwidth: float, kernel: str, fixed: bool, n_train: int
) -> np.ndarray:
    """Kernel weights (in place on the squared distances of a block)."""
    if fixed:
        h2 = np.full((d2.shape[0], 1), bandwidth * bandwidth)
    else:
        q = int(bandwidth)
        if q > n_train:
            raise InvalidOptionError(
                f"An adaptive bandwidth of {q} neighbours exceeds the {n_train} observations."
            )
        kth = np.partition(d2, q - 1, axis=1)[:, q - 1 : q]
        h2 = kth * _ADAPTIVE_EPS**2
        h2[h2 <= 0] = np.finfo(float).tiny
    if kernel == "bisquare":
        d2 /= h2
        np.subtract(1.0, d2, out=d2)
        np.maximum(d2, 0.0, out=d2)
        d2 *= d2
    elif kernel == "gaussian":
        d2 /= h2
        d2 *= -0.5
        np.exp(d2, out=d2)
    else:  # exponential
        np.sqrt(d2, out=d2)
        d2 /= np.sqrt(h2)
        np.negative(d2, out=d2)
        np.exp(d2, out=d2)
    return d2


def _block(
    design: _Design,
    S: np.ndarray,
    sq: np.ndarray,
    Z: np.ndarray,
    Zxx: np.ndarray | None,
    targets: np.ndarray,
    target_sq: np.ndarray,
    rows: np.ndarray | None,
    bandwidth: float,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Local moments of a block of target points: A_i, [X'W_i^2X], X'W_i y.

    ``rows`` are the training indices of the targets (their self-distance is set
    to exactly 0), or None for new points.
    """
    d2 = targets @ S.T
    d2 *= -2.0
    d2 += target_sq[:, None]
    d2 += sq[None, :]
    np.maximum(d2, 0.0, out=d2)
    if rows is not None:
        d2[np.arange(len(rows)), rows] = 0.0
    w = _weights(d2, bandwidth, design.kernel, design.fixed, len(sq))
    m = w @ Z
    m2 = None
    if Zxx is not None:
        w *= w
        m2 = w @ Zxx
    return m, m2, targets


def _neighbour_block(
    tree: Any,
    S: np.ndarray,
    Z: np.ndarray,
    Zxx: np.ndarray | None,
    rows: np.ndarray,
    q: int,
    extra: int,
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """:func:`_block` for the adaptive bisquare kernel from the nearest neighbours only.

    The bisquare weight is zero beyond the distance to the ``q``-th neighbour, so the
    local moments need only the neighbours inside it: a k-d tree returns the nearest
    ``q + extra``. Returns None when ties at that distance reach past them (the caller
    then uses the dense block).
    """
    n = len(S)
    kq = min(n, q + extra)
    dist, idx = tree.query(S[rows], k=kq)
    h = dist[:, q - 1 : q] * _ADAPTIVE_EPS
    if kq < n and (dist[:, -1:] < h).any():
        return None
    h = np.where(h > 0, h, np.finfo(float).tiny)
    w = np.maximum(1.0 - (dist / h) ** 2, 0.0) ** 2
    m = np.einsum("bq,bqc->bc", w, Z[idx])
    m2 = None if Zxx is None else np.einsum("bq,bqc->bc", w * w, Zxx[idx])
    return m, m2


def _solve_block(
    m: np.ndarray, k: int, first_row: int, labels: Any
) -> tuple[np.ndarray, np.ndarray]:
    kk = k * (k + 1) // 2
    A = _unpack(m[:, :kk], k)
    c = m[:, kk : kk + k]
    try:
        Ainv = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        Ainv = None
    if Ainv is None or not np.isfinite(Ainv).all():
        bad = first_row + _first_singular(A)
        raise CollinearityError(
            f"The local design of observation {labels(bad)} is singular: too few "
            "observations with positive weight, or regressors without local variation. "
            "Use a larger bandwidth= (or raise the lower end of bandwidth_bounds=)."
        )
    cond = np.linalg.cond(A)
    if (cond > 1e12).any():
        bad = first_row + int(np.argmax(cond > 1e12))
        raise CollinearityError(
            f"The local design of observation {labels(bad)} is nearly singular (condition "
            f"number {float(cond.max()):.3g}): use a larger bandwidth= (or raise the lower end "
            "of bandwidth_bounds=)."
        )
    beta = np.einsum("bkl,bl->bk", Ainv, c)
    return beta, Ainv


def _first_singular(A: np.ndarray) -> int:
    for i, a in enumerate(A):
        if np.linalg.matrix_rank(a) < a.shape[0]:
            return i
    return 0


def _evaluate(
    design: _Design,
    bandwidth: float,
    tau: float,
    *,
    full: bool,
    block_rows: int,
    n_jobs: int,
    labels: Any = None,
) -> dict[str, Any]:
    """One GTWR fit at (bandwidth, tau): estimates, hat diagonal, criteria; O(n) memory."""
    S = _space_time(design.xy, design.t, tau, design.spherical)
    sq = np.einsum("ij,ij->i", S, S)
    X, y = design.X, design.y
    n, k = X.shape
    Z = _moments(X, y)
    Zxx = _moments(X, None) if full else None
    label_of = labels if labels is not None else (lambda i: f"#{i}")
    q = int(bandwidth)
    tree, extra = None, 0
    if design.kernel == "bisquare" and not design.fixed and q <= _NEIGHBOUR_SHARE * n:
        from scipy.spatial import cKDTree

        tree = cKDTree(S)
        # observations sharing a location (all years of a region) tie at tau = 0
        extra = max(8, int(np.unique(design.xy, axis=0, return_counts=True)[1].max()) + 1)
        cols = Z.shape[1] + (0 if Zxx is None else Zxx.shape[1])
        block_rows = max(1, (block_rows * n) // (min(n, q + extra) * cols))
    starts = list(range(0, n, block_rows))

    def run(chunk: list[int]) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray | None]]:
        out = []
        for r0 in chunk:
            rows = np.arange(r0, min(r0 + block_rows, n))
            near = None if tree is None else _neighbour_block(tree, S, Z, Zxx, rows, q, extra)
            if near is None:
                m, m2, _ = _block(design, S, sq, Z, Zxx, S[rows], sq[rows], rows, bandwidth)
            else:
                m, m2 = near
            beta, Ainv = _solve_block(m, k, r0, label_of)
            xi = X[rows]
            influ = np.einsum("bk,bkl,bl->b", xi, Ainv, xi)  # w_ii = K(0) = 1
            cct = None
            if m2 is not None:
                B = _unpack(m2, k)
                cct = np.einsum("bkl,blm,bkm->bk", Ainv, B, Ainv)
            out.append((r0, beta, influ, cct))
        return out

    if n_jobs == 1 or len(starts) == 1:
        parts = run(starts)
    else:
        from joblib import Parallel, delayed

        jobs = n_jobs if n_jobs > 0 else max(1, _cpu_count())
        groups = [starts[i :: jobs * 4] for i in range(jobs * 4)]
        with _single_thread_blas():
            nested = Parallel(n_jobs=jobs, prefer="threads")(delayed(run)(g) for g in groups if g)
        parts = [p for group in nested for p in group]
    parts.sort(key=lambda p: p[0])
    beta = np.concatenate([p[1] for p in parts])
    influ = np.concatenate([p[2] for p in parts])
    fitted = np.einsum("ik,ik->i", X, beta)
    resid = y - fitted
    rss = float(resid @ resid)
    tr_s = float(influ.sum())
    out: dict[str, Any] = {
        "beta": beta,
        "influ": influ,
        "fitted": fitted,
        "resid": resid,
        "rss": rss,
        "tr_s": tr_s,
        "aicc": _aicc(rss, tr_s, n),
        "cv": float(np.mean((resid / (1.0 - influ)) ** 2)),
    }
    if full:
        out["cct"] = np.concatenate([p[3] for p in parts])
    return out


def _aicc(rss: float, tr_s: float, n: int) -> float:
    if n - 2.0 - tr_s <= 0 or rss <= 0:
        return math.inf
    return n * math.log(rss / n) + n * math.log(2 * math.pi) + n * (n + tr_s) / (n - 2.0 - tr_s)


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


class _single_thread_blas:
    """Limit BLAS to one thread while joblib threads share the cores (threadpoolctl)."""

    def __enter__(self) -> None:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - threadpoolctl ships with joblib users
            self._limit = None
            return
        self._limit = threadpool_limits(limits=1, user_api="blas")

    def __exit__(self, *exc: Any) -> None:
        if self._limit is not None:
            self._limit.restore_original_limits()


# ----------------------------------------------------------------------------- search
def _golden(
    design: _Design,
    tau: float,
    low: float,
    high: float,
    criterion: str,
    max_iter: int,
    block_rows: int,
    n_jobs: int,
) -> dict[str, Any]:
    """Golden-section search of the bandwidth at one tau (integers when adaptive)."""
    adaptive = not design.fixed
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    cache: dict[float, float] = {}

    def to_h(x: float) -> float:
        """Adaptive bandwidths (neighbour counts) are searched on the log scale."""
        return float(round(math.exp(x))) if adaptive else x

    def score(x: float) -> float:
        h = to_h(x)
        if h not in cache:
            try:
                res = _evaluate(design, h, tau, full=False, block_rows=block_rows, n_jobs=n_jobs)
                value = res["aicc"] if criterion == "AICc" else res["cv"]
            except CollinearityError:
                value = math.inf
            cache[h] = value if math.isfinite(value) else math.inf
        return cache[h]

    a, c = (math.log(low), math.log(high)) if adaptive else (low, high)
    b = c - ratio * (c - a)
    d = a + ratio * (c - a)
    iterations, converged = 0, False
    tol = 0.0 if adaptive else 1e-4 * (high - low)
    while iterations < max_iter:
        iterations += 1
        if score(b) <= score(d):
            c = d
        else:
            a = b
        b = c - ratio * (c - a)
        d = a + ratio * (c - a)
        if c - a <= tol or (adaptive and to_h(b) == to_h(d)):
            converged = True
            break
    for x in (a, c, b, d):
        score(x)
    best = min(cache, key=lambda h: cache[h])
    return {
        "tau": tau,
        "bandwidth": best,
        "score": cache[best],
        "iterations": iterations,
        "converged": converged,
        "history": sorted(cache.items()),
    }


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class GTWRResults(FrozenTables):
    """Results of :meth:`GTWR.fit` (immutable).

    Attributes
    ----------
    local : DataFrame
        One row per (region, year, parameter): ``estimate``, ``se``, ``t``,
        ``critical_t``, ``significant``.
    diagnostics : Series
        ``n``, ``bandwidth``, ``tau``, ``aicc``, ``cv``, ``r2``, ``enp``
        (tr S), ``rss``, ``sigma2``, ``critical_t``.
    search : DataFrame
        Every (tau, bandwidth) evaluated by the search with its criterion;
        empty when both were given.
    fitted : DataFrame
        ``y``, ``fitted``, ``residual``, ``influence`` (S_ii) by region and year.
    options : dict
        Kernel, fixed, criterion, bounds, grid, coordinates, backend, timings,
        versions.
    """

    local: pd.DataFrame
    diagnostics: pd.Series
    search: pd.DataFrame
    fitted: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    _design: _Design | None = None

    @property
    def bandwidth(self) -> float:
        return float(self.diagnostics["bandwidth"])

    @property
    def tau(self) -> float:
        return float(self.diagnostics["tau"])

    @property
    def params(self) -> pd.DataFrame:
        """Local estimates wide: one row per (region, year), one column per parameter."""
        keys = [self.options["region"], self.options["year"]]
        return self.local.pivot_table(
            index=keys, columns="parameter", values="estimate", sort=False
        )

    def predict(self, points: Any, times: Any, X: Any) -> pd.DataFrame:
        """Local coefficients and predictions at new points.

        Parameters
        ----------
        points : array-like, shape (m, 2)
            Coordinates, in the units of the fit (lon/lat degrees when
            ``options["spherical"]``).
        times : array-like, shape (m,)
            Years (same scale as the fit).
        X : array-like, shape (m, k)
            Regressors, without the constant, in the order of the fit.

        Returns
        -------
        DataFrame
            One column per parameter (the local estimates at the point, from the
            training data with the fitted bandwidth and tau) and ``prediction``.

        Notes
        -----
        :math:`\\hat y_p = x_p^\\top (X^\\top W_p X)^{-1} X^\\top W_p y` with
        :math:`W_p` the kernel weights of the training observations at the
        spatio-temporal distance from point :math:`p` (adaptive: the distance to
        its :math:`q`-th nearest training observation).
        """
        design = self._design
        if design is None:  # pragma: no cover - always set by fit
            raise EstimationError("These results carry no training data.")
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        tt = np.asarray(times, dtype=np.float64).reshape(-1)
        P = np.asarray(X, dtype=np.float64)
        k = design.X.shape[1]
        P = P.reshape(len(pts), -1) if P.ndim == 1 else P
        if P.shape != (len(pts), k - 1) or len(tt) != len(pts):
            raise SpecificationError(
                f"predict needs points (m, 2), times (m,) and X (m, {k - 1}); got "
                f"{pts.shape}, {tt.shape}, {P.shape}."
            )
        if not (np.isfinite(pts).all() and np.isfinite(tt).all() and np.isfinite(P).all()):
            raise SpecificationError("predict: points, times and X must be finite.")
        tau, bandwidth = self.tau, self.bandwidth
        both = _space_time(
            np.vstack([design.xy, pts]), np.concatenate([design.t, tt]), tau, design.spherical
        )
        n = len(design.y)
        S, targets = both[:n], both[n:]
        sq = np.einsum("ij,ij->i", S, S)
        tsq = np.einsum("ij,ij->i", targets, targets)
        Z = _moments(design.X, design.y)
        rows_per = int(self.options["block_rows"])
        betas = []
        for r0 in range(0, len(pts), rows_per):
            sl = slice(r0, r0 + rows_per)
            m, _, _ = _block(design, S, sq, Z, None, targets[sl], tsq[sl], None, bandwidth)
            beta, _ = _solve_block(m, k, r0, lambda i: f"new point #{i}")
            betas.append(beta)
        beta = np.concatenate(betas)
        Pc = np.column_stack([np.ones(len(pts)), P])
        out = pd.DataFrame(beta, columns=self.options["parameters"])
        out["prediction"] = np.einsum("ik,ik->i", Pc, beta)
        return out

    def summary(self) -> Summary:
        """Diagnostics and the distribution of the local estimates."""
        local = self.local
        stats = (
            local.groupby("parameter", sort=False)["estimate"]
            .describe()[["mean", "std", "min", "50%", "max"]]
            .rename(columns={"50%": "median"})
        )
        stats["share significant"] = local.groupby("parameter", sort=False)["significant"].mean()
        return Summary(
            title=f"GTWR ({self.options['kernel']} kernel)",
            tables=(
                ("Diagnostics", self.diagnostics.to_frame("value")),
                ("Local estimates", stats),
            ),
            notes=self.notes,
        )


# ----------------------------------------------------------------------------- model
class GTWR:
    """Geographically and temporally weighted regression (Huang, Wu and Barry 2010).

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per region and year (never modified).
    y : str
        Dependent variable.
    x : sequence of str
        Regressors (an intercept ``const`` is added).
    region, year : hashable
        Key columns; years must be numbers (they are the time coordinate).
    coords : None, pair of column names, mapping or DataFrame
        As in :func:`~spatial.heterogeneity.gwr.gwr`; default the centroids of
        China's provinces.
    spherical : bool, optional
        Coordinates are lon/lat (default: True for province centroids, else
        False): they become 3-D Earth-centred coordinates in km, whose chord
        distance is a monotone function of the great-circle distance (the same
        neighbours; at most 0.5% shorter below 2,000 km).
    kernel : {"bisquare", "gaussian", "exponential"}
    fixed : bool, default False
        Fixed bandwidth (a spatio-temporal distance), or adaptive (a number of
        nearest neighbours in space-time).
    balance : {"error", "drop"}
        What to do with an unbalanced panel.

    Raises
    ------
    SpecificationError, MissingValueError, UnbalancedPanelError, CollinearityError
        Bad data, found in the constructor.

    Notes
    -----
    Observation :math:`i` at :math:`(u_i, v_i, t_i)`. Huang et al. define
    :math:`d^{ST}_{ij} = \\sqrt{\\lambda d^S_{ij}{}^2 + \\mu (t_i - t_j)^2}`; with
    :math:`\\lambda = 1` (the bandwidth carries the spatial scale) this is

    .. math:: d^{ST}_{ij} = \\sqrt{d^S_{ij}{}^2 + \\tau (t_i - t_j)^2}, \\qquad
              \\tau = \\mu / \\lambda,

    in the units of the spatial distance (``tau`` has units distance^2 / year^2).
    Weights :math:`w_{ij} = K(d^{ST}_{ij} / h_i)` with the kernels of
    :func:`~spatial.heterogeneity.gwr.gwr`, :math:`h_i = h` (fixed) or
    :math:`1.0000001` times the distance to the :math:`h`-th nearest observation
    (adaptive, counting :math:`i` itself, as mgwr). Then

    .. math:: \\hat\\beta_i = (X^\\top W_i X)^{-1} X^\\top W_i y, \\qquad
              S_{ii} = x_i^\\top (X^\\top W_i X)^{-1} x_i \\, w_{ii},

    :math:`\\operatorname{tr} S = \\sum_i S_{ii}` (computed block by block, never
    storing S), :math:`\\mathrm{AICc} = n\\ln(\\mathrm{RSS}/n) + n\\ln 2\\pi +
    n(n + \\operatorname{tr}S)/(n - 2 - \\operatorname{tr}S)`, :math:`\\mathrm{CV} =
    \\frac1n\\sum_i (e_i / (1 - S_{ii}))^2`, :math:`\\hat\\sigma^2 =
    \\mathrm{RSS}/(n - \\operatorname{tr} S)` and
    :math:`\\operatorname{Var}\\hat\\beta_i = \\hat\\sigma^2 C_i C_i^\\top` with
    :math:`C_i = (X^\\top W_i X)^{-1} X^\\top W_i`. Since :math:`d^{ST}` is the
    Euclidean distance between :math:`(u, v, \\sqrt\\tau\\, t)`, each block of
    distances is one matrix product.

    References
    ----------
    Huang, B., Wu, B. and Barry, M. (2010). Geographically and temporally weighted
    regression for modeling spatio-temporal variation in house prices.
    *International Journal of Geographical Information Science* 24(3): 383-401.

    Fotheringham, A. S., Brunsdon, C. and Charlton, M. (2002). *Geographically Weighted
    Regression*. Wiley, Chichester.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> grid = [(i, j) for i in range(6) for j in range(6)]
    >>> rows = [{"region": r, "year": 2000 + t, "x1": rng.normal()}
    ...         for r in range(36) for t in range(4)]
    >>> panel = pd.DataFrame(rows)
    >>> u = np.array([grid[r][0] for r in panel["region"]])
    >>> panel["y"] = 1 + (1 + 0.3 * u) * panel["x1"] + 0.05 * rng.normal(size=len(panel))
    >>> coords = {r: grid[r] for r in range(36)}
    >>> res = GTWR(panel, "y", ["x1"], coords=coords, kernel="gaussian", fixed=True).fit(
    ...     bandwidth=1.5, tau=0.5)
    >>> res.diagnostics[["bandwidth", "tau", "enp"]].round(3).tolist()
    [1.5, 0.5, 9.828]
    >>> # mean slope of x1 in the first and last unit (true 1.0 and 2.5), smoothed by the kernel
    >>> res.params.groupby(level=0)["x1"].mean().iloc[[0, 35]].round(2).tolist()
    [1.36, 2.23]
    """

    def __init__(
        self,
        data: pd.DataFrame,
        y: str,
        x: Sequence[str],
        *,
        region: Hashable = "region",
        year: Hashable = "year",
        coords: Any = None,
        spherical: bool | None = None,
        kernel: Kernel = "bisquare",
        fixed: bool = False,
        balance: Balance = "error",
    ) -> None:
        check_option("kernel", kernel, KERNELS)
        if not isinstance(fixed, bool):
            raise InvalidOptionError(f"fixed must be True or False; got {fixed!r}.")
        if year is None:
            raise SpecificationError(
                "GTWR needs a year column (year=...); for a cross-section "
                "use spatial.heterogeneity.gwr.gwr."
            )
        prep = _prepare(data, y, x, region, year, coords, spherical, balance)
        years = prep.panel.years
        if not pd.api.types.is_numeric_dtype(years):
            raise SpecificationError(
                f"The years of {year!r} must be numbers (they are the time coordinate); got "
                f"{list(years[:3])}."
            )
        values = prep.panel.values  # (T, N, K)
        n_regions = values.shape[1]
        k = len(prep.x)
        # region-major rows: (region i, year t) -> i * T + t
        flat = values.transpose(1, 0, 2).reshape(-1, values.shape[2])
        X = np.column_stack([np.ones(len(flat)), flat[:, 1 : 1 + k]])
        _check_design(flat[:, 1 : 1 + k], prep.x, "the panel")
        if len(flat) < k + 3:
            raise SpecificationError(
                f"{len(flat)} observations are too few for {k + 1} local parameters."
            )
        xy = prep.coords.transpose(1, 0, 2).reshape(-1, 2)
        t = np.tile(np.asarray(years, dtype=np.float64), n_regions)
        self._prep = prep
        self._design = _Design(
            X=X,
            y=flat[:, 0].copy(),
            xy=np.ascontiguousarray(xy),
            t=t,
            spherical=prep.spherical,
            kernel=kernel,
            fixed=fixed,
        )
        self.kernel = kernel
        self.fixed = fixed
        self.names = ["const", *prep.x]
        self.n = len(flat)
        self._coords_given = coords is not None and not _is_column_pair(coords)

    def _label(self, i: int) -> str:
        panel = self._prep.panel
        t = len(panel.years)
        return f"({panel.regions[i // t]}, {panel.years[i % t]})"

    def default_taus(self) -> np.ndarray:
        """The default grid of tau: (s_S / s_T)^2 x 10^(-2, -1, 0, 1, 2).

        s_S is the root of the summed variances of the (projected) spatial
        coordinates and s_T the standard deviation of the years, so the middle
        value gives space and time equal spread.
        """
        d = self._design
        space = _space_time(d.xy, d.t, 0.0, d.spherical)[:, :-1]
        s_space2 = float(space.var(axis=0).sum())
        s_time2 = float(np.var(d.t))
        if s_time2 == 0:
            return np.array([0.0])
        return s_space2 / s_time2 * 10.0 ** np.arange(-2.0, 3.0)

    def _default_bounds(self, tau: float) -> tuple[float, float]:
        n, k = self.n, len(self.names)
        if not self.fixed:
            first = 40 + 2 * k
            return (float(first) if first < n else float(k + 2)), float(n)
        from scipy.spatial import cKDTree

        S = _space_time(self._design.xy, self._design.t, tau, self._design.spherical)
        dist, _ = cKDTree(S).query(S, k=2)
        positive = dist[:, 1][dist[:, 1] > 0]
        span = float(np.sqrt(((S.max(axis=0) - S.min(axis=0)) ** 2).sum()))
        low = float(positive.min()) / 2.0 if positive.size else span / 1e3
        return low, 2.0 * span

    def fit(
        self,
        *,
        bandwidth: float | None = None,
        tau: float | None = None,
        taus: Sequence[float] | None = None,
        criterion: GTWRCriterion = "AICc",
        bandwidth_bounds: tuple[float | None, float | None] | None = None,
        multiple_testing: bool = True,
        level: float = 0.95,
        max_iter: int = 60,
        block_bytes: int = _DEFAULT_BLOCK_BYTES,
        n_jobs: int = 1,
        client: Client | None = None,
    ) -> GTWRResults:
        """Choose the bandwidth and tau (unless given) and fit.

        Parameters
        ----------
        bandwidth : float, optional
            Neighbours (adaptive, an integer) or a spatio-temporal distance
            (fixed); searched by golden section when omitted.
        tau : float, optional
            Space-time ratio :math:`\\tau = \\mu/\\lambda` (>= 0); chosen over
            ``taus`` when omitted.
        taus : sequence of float, optional
            Grid of tau searched when ``tau`` is None (default
            :meth:`default_taus`). Each grid value gets its own bandwidth search;
            the pair with the smallest criterion wins. A winner at either end of
            the grid warns.
        criterion : {"AICc", "CV"}
        bandwidth_bounds : (low, high), optional
            Interval of the golden-section search (default ``[40 + 2k, n]``
            neighbours, or half the smallest to twice the largest
            spatio-temporal distance). An optimum at a bound warns.
        multiple_testing : bool, default True
            Adjusted critical t of da Silva and Fotheringham (2016).
        level : float, default 0.95
        max_iter : int, default 60
            Golden-section iterations per tau; stopping there warns.
        block_bytes : int, default 8 MiB
            Memory of one block of kernel weights (rows x n doubles); the peak is
            a few such blocks per thread plus O(n k^2).
        n_jobs : int, default 1
            Threads over row blocks (joblib; -1 all cores; BLAS is limited to one
            thread meanwhile).
        client : dask.distributed.Client, optional
            Search the tau grid on this Dask cluster: one task per tau value.

        Returns
        -------
        GTWRResults

        Raises
        ------
        InvalidOptionError
            Bad options or a bandwidth impossible for the data.
        CollinearityError
            A singular local design at the bandwidth given or chosen.
        EstimationError
            No bandwidth of the search interval gives a finite criterion.

        Warns
        -----
        BandwidthSearchWarning
            Bandwidth at a bound of ``bandwidth_bounds``, tau at an end of
            ``taus``, or a search stopped by ``max_iter``.
        """
        check_option("criterion", criterion, ("AICc", "CV"))
        if not 0 < level < 1:
            raise InvalidOptionError(f"level must lie in (0, 1); got {level!r}.")
        if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
            raise InvalidOptionError(f"n_jobs must be a non-zero integer; got {n_jobs!r}.")
        if not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
            raise InvalidOptionError(f"max_iter must be a positive integer; got {max_iter!r}.")
        if not isinstance(block_bytes, (int, np.integer)) or block_bytes < 1:
            raise InvalidOptionError(f"block_bytes must be a positive integer; got {block_bytes}.")
        design, n, k = self._design, self.n, len(self.names)
        block_rows = int(max(1, min(n, block_bytes // (8 * n))))
        if tau is not None:
            if (
                isinstance(tau, bool)
                or not isinstance(tau, (int, float, np.number))
                or not (tau >= 0 and math.isfinite(tau))
            ):
                raise InvalidOptionError(f"tau must be a finite number >= 0; got {tau!r}.")
            grid = np.array([float(tau)])
        else:
            grid = np.asarray(self.default_taus() if taus is None else taus, dtype=np.float64)
            if grid.ndim != 1 or grid.size == 0 or not np.isfinite(grid).all() or (grid < 0).any():
                raise InvalidOptionError(f"taus must be finite numbers >= 0; got {taus!r}.")
        if bandwidth is not None:
            from .gwr import _check_bandwidth

            bandwidth = _check_bandwidth(bandwidth, n, k, self.fixed)
        start = time.perf_counter()
        search_rows: list[dict[str, Any]] = []
        backend = "none"
        notes: list[str] = []
        bounds_used: dict[float, tuple[float, float]] = {}
        if bandwidth is not None and len(grid) == 1:
            best_h, best_tau = float(bandwidth), float(grid[0])
        elif bandwidth is not None:  # search tau only, at the given bandwidth
            backend = "local"
            scores = []
            for g in grid:
                try:
                    res = _evaluate(
                        design,
                        bandwidth,
                        float(g),
                        full=False,
                        block_rows=block_rows,
                        n_jobs=n_jobs,
                    )
                    value = res["aicc"] if criterion == "AICc" else res["cv"]
                except CollinearityError:
                    value = math.inf
                scores.append(value)
                search_rows.append({"tau": float(g), "bandwidth": bandwidth, "criterion": value})
            if not np.isfinite(scores).any():
                raise EstimationError(
                    f"No tau of {grid.tolist()} gives a finite {criterion} at bandwidth "
                    f"{bandwidth:g}; use a larger bandwidth=."
                )
            best_h, best_tau = float(bandwidth), float(grid[int(np.argmin(scores))])
        else:
            tasks = []
            for g in grid:
                low, high = self._resolve_bounds(bandwidth_bounds, float(g))
                bounds_used[float(g)] = (low, high)
                tasks.append((float(g), low, high))
            if client is not None:
                from ..models.simulation import _client_class

                if not isinstance(client, _client_class()):
                    raise InvalidOptionError(
                        f"client must be a dask.distributed.Client; got {type(client).__name__}."
                    )
                shared = client.scatter(design, broadcast=True)
                futures = [
                    client.submit(
                        _golden,
                        shared,
                        g,
                        lo,
                        hi,
                        criterion,
                        max_iter,
                        block_rows,
                        1,
                        pure=False,
                    )
                    for g, lo, hi in tasks
                ]
                results = client.gather(futures)
                backend = "dask"
            else:
                results = [
                    _golden(design, g, lo, hi, criterion, max_iter, block_rows, n_jobs)
                    for g, lo, hi in tasks
                ]
                backend = "joblib threads" if n_jobs != 1 else "local"
            for r in results:
                search_rows += [
                    {"tau": r["tau"], "bandwidth": h, "criterion": s} for h, s in r["history"]
                ]
            finite = [r for r in results if math.isfinite(r["score"])]
            if not finite:
                raise EstimationError(
                    f"No bandwidth in the search interval gives a finite {criterion} (every "
                    "local design was singular or tr(S) too large); raise the lower end of "
                    "bandwidth_bounds=."
                )
            best = min(finite, key=lambda r: r["score"])
            best_h, best_tau = float(best["bandwidth"]), float(best["tau"])
            if not best["converged"]:
                warnings.warn(
                    f"The bandwidth search at tau={best_tau:g} stopped after max_iter={max_iter} "
                    "golden-section iterations without converging; raise max_iter.",
                    BandwidthSearchWarning,
                    stacklevel=2,
                )
            low, high = bounds_used[best_tau]
            slack = 1.0 if not self.fixed else 1e-3 * (high - low)
            for side, bound in (("lower", low), ("upper", high)):
                if abs(best_h - bound) <= slack:
                    warnings.warn(
                        f"The bandwidth search ended at {best_h:g}, at the {side} bound "
                        f"{bound:g} of bandwidth_bounds; the criterion may keep falling beyond "
                        "it. Widen bandwidth_bounds= (or pass bandwidth=).",
                        BandwidthSearchWarning,
                        stacklevel=2,
                    )
        if len(grid) > 1:
            idx = int(np.flatnonzero(grid == best_tau)[0])
            if idx in (0, len(grid) - 1) and not (idx == 0 and best_tau == 0):
                warnings.warn(
                    f"tau={best_tau:g} is at the {'lower' if idx == 0 else 'upper'} end of the "
                    f"grid taus={np.round(grid, 6).tolist()}; extend taus= beyond it.",
                    BandwidthSearchWarning,
                    stacklevel=2,
                )
        final = _evaluate(
            design,
            best_h,
            best_tau,
            full=True,
            block_rows=block_rows,
            n_jobs=n_jobs,
            labels=self._label,
        )
        elapsed = time.perf_counter() - start
        return self._results(
            final,
            best_h,
            best_tau,
            criterion,
            multiple_testing,
            level,
            search_rows,
            grid,
            bounds_used,
            backend,
            block_rows,
            elapsed,
            notes,
            n_jobs,
        )

    def _resolve_bounds(
        self, bandwidth_bounds: tuple[float | None, float | None] | None, tau: float
    ) -> tuple[float, float]:
        low, high = self._default_bounds(tau)
        if bandwidth_bounds is not None:
            if not isinstance(bandwidth_bounds, (tuple, list)) or len(bandwidth_bounds) != 2:
                raise InvalidOptionError(
                    f"bandwidth_bounds must be a pair (low, high); got {bandwidth_bounds!r}."
                )
            lo, hi = bandwidth_bounds
            low = low if lo is None else float(lo)
            high = high if hi is None else float(hi)
        if not (0 < low < high) or (not self.fixed and (high > self.n or low < 1)):
            raise InvalidOptionError(
                f"bandwidth_bounds resolve to ({low:g}, {high:g}); need 0 < low < high"
                + ("" if self.fixed else f" <= n = {self.n} neighbours")
                + "."
            )
        return low, high

    def _results(
        self,
        final: dict[str, Any],
        h: float,
        tau: float,
        criterion: str,
        multiple_testing: bool,
        level: float,
        search_rows: list[dict[str, Any]],
        grid: np.ndarray,
        bounds: dict[float, tuple[float, float]],
        backend: str,
        block_rows: int,
        elapsed: float,
        notes: list[str],
        n_jobs: int,
    ) -> GTWRResults:
        design, n, k = self._design, self.n, len(self.names)
        panel = self._prep.panel
        tr_s, rss = final["tr_s"], final["rss"]
        sigma2 = rss / (n - tr_s)
        se = np.sqrt(final["cct"] * sigma2)
        beta = final["beta"]
        tv = beta / se
        crit = (
            adjusted_critical_t(tr_s, k, n, level=level)
            if multiple_testing
            else _plain_critical_t(n, level)
        )
        region, year = str(panel.region_name), str(panel.year_name)
        t_count = len(panel.years)
        regions = np.repeat(np.asarray(panel.regions), t_count)
        years = np.tile(np.asarray(panel.years), len(panel.regions))
        local = pd.DataFrame(
            {
                region: np.repeat(regions, k),
                year: np.repeat(years, k),
                "parameter": np.tile(self.names, n),
                "estimate": beta.ravel(),
                "se": se.ravel(),
                "t": tv.ravel(),
                "critical_t": crit,
            }
        )
        local["significant"] = np.abs(local["t"]) > crit
        yv = design.y
        tss = float(((yv - yv.mean()) ** 2).sum())
        diagnostics = pd.Series(
            {
                "n": float(n),
                "bandwidth": h,
                "tau": tau,
                "aicc": final["aicc"],
                "cv": final["cv"],
                "r2": 1.0 - rss / tss,
                "enp": tr_s,
                "rss": rss,
                "sigma2": sigma2,
                "critical_t": crit,
            },
            name="GTWR",
        )
        fitted = pd.DataFrame(
            {
                region: regions,
                year: years,
                "y": yv,
                "fitted": final["fitted"],
                "residual": final["resid"],
                "influence": final["influ"],
            }
        )
        unit = (
            "neighbours (adaptive)"
            if not self.fixed
            else ("km (space-time)" if design.spherical else "coordinate units (space-time)")
        )
        notes = [
            *notes,
            f"d_ST^2 = d_S^2 + tau * d_T^2 (lambda = 1, tau = mu/lambda); bandwidth in {unit}.",
            (
                "Spatial distance: chord between Earth-centred points (R = 6371 km) from "
                "lon/lat, monotone in the great-circle distance."
                if design.spherical
                else "Spatial distance: Euclidean in the given coordinates."
            ),
            "Significance: |t| > critical t "
            + (
                "adjusted for multiple testing (da Silva and Fotheringham 2016)"
                if multiple_testing
                else "not adjusted for multiple testing"
            )
            + f", level {level}.",
        ]
        options = {
            "model": "GTWR",
            "kernel": self.kernel,
            "fixed": self.fixed,
            "criterion": criterion,
            "taus": grid.tolist(),
            "bandwidth_bounds": bounds,
            "spherical": design.spherical,
            "coordinates": self._prep.coord_source,
            "multiple_testing": multiple_testing,
            "level": level,
            "parameters": list(self.names),
            "region": region,
            "year": year,
            "backend": backend,
            "n_jobs": n_jobs,
            "block_rows": block_rows,
            "elapsed": elapsed,
            "version": __version__,
        }
        search = pd.DataFrame(search_rows, columns=["tau", "bandwidth", "criterion"])
        return GTWRResults(
            local=local,
            diagnostics=diagnostics,
            search=search,
            fitted=fitted,
            options=options,
            notes=tuple(notes),
            _design=design,
        )
