"""The geographical detector: factor, interaction, risk and ecological detectors, and the
optimal-parameters discretization (OPGD), for a cross-section or every year of a panel at once.

Every statistic is a numpy array kernel over *series*: one series is one partition of the
units of one year (a factor, a discretization of a factor, or the intersection of two
factors). Stratum counts, sums and within sums of squares of all series come from one
``np.bincount`` on combined ``series * strata + stratum`` codes; the q of every
(factor, method, number of classes, year) of the optimal discretization comes from prefix
sums of y ordered by the factor, read at the break points (classes are intervals, so a
stratum sum is a difference of two prefix sums); Fisher-Jenks natural breaks for every
factor, year and number of classes come from one batched dynamic programme. pandas appears
only at the boundary (:func:`geodetector` and the result tables).

Notes
-----
With N units in a year, L strata h = 1..L of N_h units, stratum means ybar_h and within
variances sigma_h^2 (ddof 0), and sigma^2 the variance of y over the N units (ddof 0):

- factor detector (Wang et al. 2010; Wang, Zhang and Fu 2016):
  ``q = 1 - sum_h N_h sigma_h^2 / (N sigma^2) = 1 - SSW / SST``;
  ``F = (N - L) / (L - 1) * q / (1 - q)``, which is the one-way analysis-of-variance F;
  ``p`` is the upper tail of the noncentral F(L - 1, N - L; lambda) at F with
  ``lambda = [sum_h ybar_h^2 - (sum_h sqrt(N_h) ybar_h)^2 / N] / sigma^2`` (Wang, Zhang and
  Fu 2016, as in the R packages geodetector 1.0-3 and gdverse and the Python package
  geodetector 0.2.0; the R package geodetector divides by the sample variance of y,
  ddof 1, instead); ``p_anova`` is the upper tail of the central F(L - 1, N - L) (lambda = 0),
  the classical test of equal stratum means.
- interaction detector (Wang and Xu 2017): ``q12 = q(X1 ∩ X2)`` on the strata of the
  intersection (every non-empty combination of a stratum of X1 and one of X2), and the type
  from q1, q2 and q12, in this order: ``q12 < min(q1, q2)`` nonlinear weaken;
  ``q12 <= max(q1, q2)`` uni-variable weaken; ``q12 < q1 + q2`` bi-variable enhance;
  ``q12 = q1 + q2`` independent; otherwise nonlinear enhance (comparisons with the
  tolerance ``tol``). The significance of q12 (``p12``) is the factor detector's test
  applied to the intersected strata as one factor.
- risk detector (Wang et al. 2010): stratum means, and Welch's t test between every pair of
  strata of a factor: ``t = (ybar_1 - ybar_2) / sqrt(s_1^2/n_1 + s_2^2/n_2)`` with sample
  variances (ddof 1), Welch-Satterthwaite degrees of freedom
  ``(s_1^2/n_1 + s_2^2/n_2)^2 / [(s_1^2/n_1)^2/(n_1 - 1) + (s_2^2/n_2)^2/(n_2 - 1)]`` and a
  two-sided p-value; it needs n_1, n_2 >= 2 (NaN otherwise).
- ecological detector (Wang et al. 2010):
  ``F = N_X1 (N_X2 - 1) SSW_X1 / [N_X2 (N_X1 - 1) SSW_X2]`` with F(N_X1 - 1, N_X2 - 1)
  degrees of freedom; with both factors on the same N units this is
  ``SSW_X1 / SSW_X2 = (1 - q1) / (1 - q2)``, and ``p`` is two-sided, ``2 min(P(F' <= F),
  P(F' >= F))``.

References
----------
Wang, J.-F., Li, X.-H., Christakos, G., Liao, Y.-L., Zhang, T., Gu, X. and Zheng, X.-Y.
(2010). Geographical detectors-based health risk assessment and its application in the
neural tube defects study of the Heshun Region, China. *International Journal of
Geographical Information Science* 24(1): 107-127.

Wang, J.-F., Zhang, T.-L. and Fu, B.-J. (2016). A measure of spatial stratified
heterogeneity. *Ecological Indicators* 67: 250-256.

Wang, J.-F. and Xu, C.-D. (2017). Geodetector: principle and prospective. *Acta
Geographica Sinica* 72(1): 116-134.

Song, Y., Wang, J., Ge, Y. and Xu, C. (2020). An optimal parameters-based geographical
detector model enhances geographic characteristics of explanatory variables for spatial
heterogeneity analysis: cases with different types of spatial data. *GIScience & Remote
Sensing* 57(5): 593-610.

Fisher, W. D. (1958). On grouping for maximum homogeneity. *Journal of the American
Statistical Association* 53(284): 789-798.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from .._core.errors import ColumnNotFoundError, MissingValueError, SpecificationError
from .._core.messages import format_items
from .._core.options import Balance, check_option
from .._core.panel import panel_arrays, panel_keys
from .._core.results import FrozenTables
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, SingletonStratumWarning, StratificationError

__all__ = [
    "DISCRETIZATION_METHODS",
    "INTERACTION_TYPES",
    "DiscretizationMethod",
    "GeodetectorResults",
    "break_points",
    "geodetector",
]

#: Discretization methods of the optimal-parameters search (OPGD).
DiscretizationMethod = Literal["equal", "quantile", "natural", "geometric", "sd", "maximum"]
DISCRETIZATION_METHODS: tuple[str, ...] = (
    "equal",
    "quantile",
    "natural",
    "geometric",
    "sd",
    "maximum",
)
#: What to do with strata of one unit.
Singletons = Literal["keep", "drop"]
#: Interaction types of Wang and Xu (2017), in the order of their codes 0..4.
INTERACTION_TYPES: tuple[str, ...] = (
    "nonlinear weaken",
    "uni-variable weaken",
    "bi-variable enhance",
    "independent",
    "nonlinear enhance",
)


# --------------------------------------------------------------------------- kernels
@dataclass(frozen=True)
class _PartitionStats:
    """Stratum statistics of S series (partitions of the units of one year each)."""

    counts: np.ndarray  # (S, L) units per stratum (after dropping singletons if asked)
    means: np.ndarray  # (S, L) stratum means of y (NaN where empty)
    ssw_h: np.ndarray  # (S, L) within sums of squares per stratum
    n: np.ndarray  # (S,) units used
    strata: np.ndarray  # (S,) non-empty strata used
    sst: np.ndarray  # (S,) total sum of squares of the units used
    ssw: np.ndarray  # (S,) within sum of squares
    q: np.ndarray  # (S,)
    lam: np.ndarray  # (S,) noncentrality of Wang, Zhang and Fu (2016)


def _partition_stats(
    y: np.ndarray, year_of: np.ndarray, codes: np.ndarray, n_codes: int, *, drop: bool
) -> _PartitionStats:
    """q, lambda and stratum statistics of S partitions, all in three ``np.bincount`` passes.

    ``y`` is (T, N); series s partitions the units of year ``year_of[s]`` by ``codes[s]``
    (values 0..n_codes-1). With ``drop`` the units of one-unit strata are left out of the
    series (sum of squares, N and L included), as in gdverse and the geodetector package.
    """
    s_count, n_units = codes.shape
    values = y[year_of]  # (S, N)
    key = (np.arange(s_count)[:, None] * n_codes + codes).ravel()
    size = s_count * n_codes
    counts = np.bincount(key, minlength=size).reshape(s_count, n_codes).astype(np.float64)
    if drop:
        keep = counts >= 2
        used = keep.reshape(-1)[key].reshape(s_count, n_units)
        counts = np.where(keep, counts, 0.0)
    else:
        used = np.ones((s_count, n_units), dtype=bool)
    weights = np.where(used, values, 0.0)
    n = used.sum(axis=1).astype(np.float64)
    grand = weights.sum(axis=1) / n
    centred = np.where(used, values - grand[:, None], 0.0)
    sums = np.bincount(key, weights=centred.ravel(), minlength=size).reshape(s_count, n_codes)
    with np.errstate(invalid="ignore", divide="ignore"):
        means_c = np.where(counts > 0, sums / counts, np.nan)
    resid = np.where(
        used, centred - np.nan_to_num(means_c).reshape(-1)[key].reshape(s_count, n_units), 0.0
    )
    ssw_h = np.bincount(key, weights=(resid * resid).ravel(), minlength=size).reshape(
        s_count, n_codes
    )
    sst = (centred * centred).sum(axis=1)
    ssw = ssw_h.sum(axis=1)
    strata = (counts > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = 1.0 - ssw / sst
        means = means_c + grand[:, None]
        sigma2 = sst / n
        m = np.where(counts > 0, means, 0.0)
        lam = ((m * m).sum(axis=1) - (np.sqrt(counts) * m).sum(axis=1) ** 2 / n) / sigma2
    return _PartitionStats(counts, means, ssw_h, n, strata, sst, ssw, q, lam)


def _factor_tests(
    q: np.ndarray, n: np.ndarray, strata: np.ndarray, lam: np.ndarray
) -> dict[str, np.ndarray]:
    """F, its degrees of freedom, the noncentral (Wang et al. 2016) and central p-values."""
    df1 = strata - 1.0
    df2 = n - strata
    ok = (df1 >= 1) & (df2 >= 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        f_value = np.where(ok, df2 / df1 * q / (1.0 - q), np.nan)
    p = np.full(q.shape, np.nan)
    p_anova = np.full(q.shape, np.nan)
    good = ok & np.isfinite(f_value)
    if good.any():
        p[good] = stats.ncf.sf(f_value[good], df1[good], df2[good], np.maximum(lam[good], 0.0))
        p_anova[good] = stats.f.sf(f_value[good], df1[good], df2[good])
    perfect = ok & (q >= 1.0)
    p[perfect] = 0.0
    p_anova[perfect] = 0.0
    return {"F": f_value, "df1": df1, "df2": df2, "p": p, "p_anova": p_anova}


def _interaction_codes(q1: np.ndarray, q2: np.ndarray, q12: np.ndarray, tol: float) -> np.ndarray:
    """Codes 0..4 of :data:`INTERACTION_TYPES` (Wang and Xu 2017), -1 where a q is NaN."""
    low = np.minimum(q1, q2)
    high = np.maximum(q1, q2)
    total = q1 + q2
    out = np.select(
        [q12 < low - tol, q12 <= high + tol, q12 < total - tol, q12 <= total + tol],
        [0, 1, 2, 3],
        default=4,
    )
    return np.where(np.isnan(q1) | np.isnan(q2) | np.isnan(q12), -1, out)


# ---------------------------------------------------------------- discretization kernels
def _fisher_jenks_starts(xs: np.ndarray, k_max: int) -> list[np.ndarray]:
    """Exact Fisher (1958) optimal partitions of each sorted row of ``xs`` (B, n).

    Returns ``starts[m - 2]`` (B, n) for m = 2..k_max: the first index of the last class of
    the best m-class partition of ``xs[b, :j + 1]``. The dynamic programme
    ``D_m(j) = min_{m-1 <= i <= j} D_{m-1}(i - 1) + SSD(i, j)`` has a monotone argmin
    (SSD satisfies the quadrangle inequality), so each level is solved by divide and
    conquer over j, with every row and every node of a depth in one array operation:
    O(k n log n) work per row instead of O(k n^2).
    """
    b_count, n = xs.shape
    c1 = np.zeros((b_count, n + 1))
    c2 = np.zeros((b_count, n + 1))
    shift = xs.mean(axis=1, keepdims=True)
    np.cumsum(xs - shift, axis=1, out=c1[:, 1:])
    np.cumsum((xs - shift) ** 2, axis=1, out=c2[:, 1:])
    c1, c2 = c1.ravel(), c2.ravel()  # flat gathers are faster than 2-D fancy indexing

    def ssd(row: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Within sum of squares of x[i..j] of the rows starting at flat offset ``row``."""
        s = c1[row + j + 1] - c1[row + i]
        return (c2[row + j + 1] - c2[row + i]) - s * s / (j - i + 1)

    cols = np.tile(np.arange(n), b_count)
    previous = ssd(np.repeat(np.arange(b_count) * (n + 1), n), np.zeros_like(cols), cols)
    starts: list[np.ndarray] = []
    for m in range(2, k_max + 1):
        current = np.full(b_count * n, np.inf)
        arg = np.zeros(b_count * n, dtype=np.int64)
        b = np.arange(b_count)
        jlo = np.full(b_count, m - 1)
        jhi = np.full(b_count, n - 1)
        ilo = np.full(b_count, m - 1)
        ihi = np.full(b_count, n - 1)
        if m - 1 > n - 1:
            b = b[:0]
        while b.size:
            mid = (jlo + jhi) // 2
            length = np.minimum(mid, ihi) - ilo + 1
            first = np.cumsum(length) - length
            seg = np.repeat(np.arange(b.size), length)
            cand = np.arange(seg.size) - (first - ilo)[seg]
            bb = b[seg]
            value = previous[bb * n + cand - 1] + ssd(bb * (n + 1), cand, mid[seg])
            best = np.minimum.reduceat(value, first)
            hit = np.flatnonzero(value == best[seg])
            lead = np.ones(hit.size, dtype=bool)
            lead[1:] = seg[hit[1:]] != seg[hit[:-1]]
            opt = cand[hit[lead]]
            current[b * n + mid] = best
            arg[b * n + mid] = opt
            left = jlo <= mid - 1
            right = mid + 1 <= jhi
            b = np.concatenate([b[left], b[right]])
            jlo, jhi, ilo, ihi = (
                np.concatenate([jlo[left], (mid + 1)[right]]),
                np.concatenate([(mid - 1)[left], jhi[right]]),
                np.concatenate([ilo[left], opt[right]]),
                np.concatenate([opt[left], ihi[right]]),
            )
        starts.append(arg.reshape(b_count, n))
        previous = current
    return starts


def _natural_breaks(xs: np.ndarray, classes: Sequence[int]) -> dict[int, np.ndarray]:
    """Fisher-Jenks upper class bounds (B, k - 1) of sorted rows for each k in ``classes``."""
    b_count, n = xs.shape
    k_max = max(classes)
    starts = _fisher_jenks_starts(xs, k_max)
    rows = np.arange(b_count)
    out = {}
    for k in classes:
        if k > n:
            out[k] = np.repeat(xs[:, -1:], k - 1, axis=1)
            continue
        cuts = np.empty((b_count, k - 1), dtype=np.int64)
        end = np.full(b_count, n - 1)
        for m in range(k, 1, -1):
            start = starts[m - 2][rows, end]
            cuts[:, m - 2] = start
            end = start - 1
        out[k] = xs[rows[:, None], cuts - 1]  # last value of each class but the last
    return out


def _breaks(xs: np.ndarray, method: str, k: int, natural: Mapping[int, np.ndarray]) -> np.ndarray:
    """Inner break points (B, k - 1) of sorted rows ``xs`` (B, n); class h is
    ``breaks[h - 1] < x <= breaks[h]``."""
    lo, hi = xs[:, :1], xs[:, -1:]
    h = np.arange(1, k)
    if method == "equal":
        return lo + h * ((hi - lo) / k)
    if method == "quantile":
        return np.quantile(xs, h / k, axis=1).T
    if method == "natural":
        return natural[k]
    if method == "geometric":
        shift = np.where(lo > 0, 0.0, 1.0 - lo)
        base = lo + shift
        return base * ((hi + shift) / base) ** (h / k) - shift
    if method == "sd":
        mean = xs.mean(axis=1, keepdims=True)
        return mean + xs.std(axis=1, keepdims=True) * (h - k / 2)
    # maximum breaks: midpoints of the k - 1 largest gaps (ties: the later gap first, as
    # mapclassify's MaximumBreaks)
    gaps = np.diff(xs, axis=1)
    order = np.argsort(gaps, axis=1, kind="stable")[:, ::-1][:, : k - 1]
    order.sort(axis=1)
    rows = np.arange(xs.shape[0])[:, None]
    return (xs[rows, order] + xs[rows, order + 1]) / 2.0


def _counts_below(xs: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """``#{x <= b}`` for every break of every sorted row: (B, M) from xs (B, n), breaks (B, M)."""
    n = xs.shape[1]
    joined = np.concatenate([xs, breaks], axis=1)
    order = np.argsort(joined, axis=1, kind="stable")  # equal x before the break
    is_break = order >= n
    seen = np.cumsum(~is_break, axis=1)
    rows, cols = np.nonzero(is_break)
    out = np.empty(breaks.shape, dtype=np.int64)
    out[rows, order[rows, cols] - n] = seen[rows, cols]
    return out


def break_points(
    x: np.ndarray | Sequence[float], *, method: DiscretizationMethod, k: int
) -> np.ndarray:
    """Inner break points of one discretization of ``x`` into ``k`` classes.

    Class h (h = 1..k) holds the values with ``breaks[h - 2] < x <= breaks[h - 1]`` (the
    first class everything up to ``breaks[0]``, the last everything above ``breaks[-1]``).

    Parameters
    ----------
    x : array_like, shape (n,)
        Finite values.
    method : {"equal", "quantile", "natural", "geometric", "sd", "maximum"}
        ``equal``: ``min + h (max - min) / k``; ``quantile``: the h/k quantiles (linear
        interpolation, numpy's default); ``natural``: Fisher-Jenks, the exact partition of
        the sorted values into k intervals with the least within sum of squares (Fisher
        1958; the upper bound of each class); ``geometric``: ``a r^h - s`` with
        ``a = min + s``, ``r = ((max + s)/a)^(1/k)`` and ``s = 0`` for positive data,
        ``1 - min`` otherwise; ``sd``: ``mean + sd (h - k/2)``, classes one standard
        deviation (ddof 0) wide, centred on the mean; ``maximum``: the midpoints of the k - 1
        largest gaps between sorted values (mapclassify's ``MaximumBreaks``).
    k : int
        Number of classes, at least 2. Tied or out-of-range breaks leave classes empty.

    Returns
    -------
    ndarray, shape (k - 1,)

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0]
    >>> break_points(x, method="natural", k=3).tolist()
    [3.0, 12.0]
    >>> break_points(x, method="equal", k=2).tolist()
    [15.5]
    """
    check_option("method", method, DISCRETIZATION_METHODS)
    k = _check_int("k", k, 2)
    values = np.sort(np.asarray(x, dtype=np.float64).ravel())[None, :]
    if values.size < 2 or not np.isfinite(values).all():
        raise StratificationError("x must hold at least two finite values.")
    natural = _natural_breaks(values, [k]) if method == "natural" else {}
    return _breaks(values, method, k, natural)[0]


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True, repr=False)
class GeodetectorResults(FrozenTables):
    """Results of :func:`geodetector`; every table has a ``year`` column for panels.

    Attributes
    ----------
    factor : DataFrame
        One row per factor (and year): ``strata`` (L), ``n`` (N), ``q``, ``F``, ``df1``,
        ``df2``, ``lambda``, ``p`` (noncentral F of Wang, Zhang and Fu 2016), ``p_anova``
        (central F) and ``significant`` (``p < alpha``).
    interaction : DataFrame
        One row per pair of factors (and year): ``q1``, ``q2``, ``q12``, ``p12`` (the factor
        detector's noncentral-F p-value of the intersected strata), ``strata12`` (non-empty
        intersected strata), ``singletons12`` (of them, those with one unit), ``type``.
    means : DataFrame
        Risk detector, stratum means: ``factor``, ``stratum``, ``n``, ``mean``, ``var``
        (ddof 1; NaN for one unit); discretized strata also show ``lower`` and ``upper``.
    risk : DataFrame
        Risk detector, Welch t tests: ``factor``, ``stratum1``, ``stratum2``, ``mean1``,
        ``mean2``, ``t``, ``df``, ``p``, ``significant``.
    ecological : DataFrame
        ``factor1``, ``factor2``, ``F``, ``df1``, ``df2``, ``p`` (two-sided),
        ``significant``.
    discretization : DataFrame
        For factors searched by OPGD: q (and strata) of every method and number of classes
        (and year); empty when no factor was searched.
    chosen : DataFrame
        For discretized factors: the method, classes, strata, q and break points used.
    strata : DataFrame
        The stratum of every unit (and year) for every factor, as used.
    alpha, singletons, tol, balance : options as resolved
    y : str
        The response column.
    """

    factor: pd.DataFrame
    interaction: pd.DataFrame
    means: pd.DataFrame
    risk: pd.DataFrame
    ecological: pd.DataFrame
    discretization: pd.DataFrame
    chosen: pd.DataFrame
    strata: pd.DataFrame
    y: str
    alpha: float
    singletons: str
    tol: float
    balance: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def summary(self) -> Summary:
        """Factor q and p, interaction types, ecological tests and the chosen discretization.

        Examples
        --------
        >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "x": list("aabbcc"),
        ...                       "z": list("ababab")})
        >>> summary = geodetector(frame, "y", ["x", "z"]).summary()
        >>> [caption for caption, _ in summary.tables]
        ['Factor detector', 'Interaction detector', 'Ecological detector']
        >>> summary.tables[0][1][["factor", "q", "F", "p_anova"]].round(4)  # q = 32/35, 3/35
          factor       q       F  p_anova
        0      x  0.9143  16.000   0.0251
        1      z  0.0857   0.375   0.5734
        """
        tables: list[tuple[str, pd.DataFrame]] = [("Factor detector", self.factor)]
        if len(self.interaction):
            tables.append(("Interaction detector", self.interaction))
        if len(self.ecological):
            tables.append(("Ecological detector", self.ecological))
        if len(self.chosen):
            tables.append(("Discretization", self.chosen))
        notes = (
            f"Response: {self.y}. p: noncentral F of Wang, Zhang and Fu (2016); p_anova: "
            f"central F (equal stratum means). significant: p < {self.alpha}.",
            f"One-unit strata: {self.singletons}.",
        )
        return Summary("Geographical detector", tuple(tables), notes)


# ---------------------------------------------------------------------------- helpers
def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidOptionError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _resolve_discretize(
    discretize: str | Mapping[str, Any] | None, factors: Sequence[str], classes: Sequence[int]
) -> dict[str, tuple[str, int] | str]:
    """{factor: "optimal" or (method, k)} for the factors to discretize."""
    if discretize is None:
        return {}
    if isinstance(discretize, str):
        check_option("discretize", discretize, ("optimal",))
        return dict.fromkeys(factors, "optimal")
    if not isinstance(discretize, Mapping):
        raise InvalidOptionError(
            f"discretize must be None, 'optimal' or a mapping {{factor: 'optimal' or "
            f"{{'method': ..., 'k': ...}}}}, got {type(discretize).__name__}."
        )
    out: dict[str, tuple[str, int] | str] = {}
    for name, spec in discretize.items():
        if name not in factors:
            raise SpecificationError(
                f"discretize names {name!r}, which is not one of the factors {list(factors)}."
            )
        if spec == "optimal":
            out[name] = "optimal"
            continue
        if not isinstance(spec, Mapping) or set(spec) != {"method", "k"}:
            raise InvalidOptionError(
                f"discretize[{name!r}] must be 'optimal' or {{'method': ..., 'k': ...}}, "
                f"got {spec!r}."
            )
        method = check_option(
            f"discretize[{name!r}]['method']", spec["method"], DISCRETIZATION_METHODS
        )
        out[name] = (method, _check_int(f"discretize[{name!r}]['k']", spec["k"], 2))
    return out


def _encode_strata(series: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..L-1 of a stratum column (sorted labels), with missing labels an error."""
    missing = series.isna().to_numpy()
    if missing.any():
        rows = [str(r) for r in series.index[missing][:5]]
        raise MissingValueError(
            f"Factor {name!r} has {int(missing.sum())} missing stratum label(s), at rows "
            f"{format_items(rows)}. Drop those units or give them a stratum."
        )
    try:
        codes, labels = pd.factorize(series, sort=True)
    except TypeError:  # mixed label types
        codes, labels = pd.factorize(series.astype(str), sort=True)
    return codes.astype(np.float64), pd.Index(labels)


def _year_label(years: pd.Index | None, t: int) -> str:
    return "" if years is None else f" in {years[t]}"


# ---------------------------------------------------------------------------- main
def geodetector(
    data: pd.DataFrame,
    y: str,
    factors: Sequence[str],
    *,
    region: Hashable | None = None,
    year: Hashable | None = None,
    discretize: Literal["optimal"] | Mapping[str, Any] | None = None,
    methods: Iterable[str] = DISCRETIZATION_METHODS,
    classes: Iterable[int] = range(3, 9),
    alpha: float = 0.05,
    singletons: Singletons = "keep",
    tol: float = 1e-10,
    balance: Balance = "error",
) -> GeodetectorResults:
    """Geographical detector of ``y`` by ``factors``, for a cross-section or every year.

    Parameters
    ----------
    data : DataFrame
        One row per unit (cross-section) or per region-year (panel). Never modified.
    y : str
        The response column (numeric).
    factors : sequence of str
        Explanatory columns. A factor not discretized is used as given: each distinct value
        (any type) is a stratum.
    region, year : hashable, optional
        Panel keys (columns or index levels). Without ``year`` the rows form one
        cross-section (``region``, if given, labels the units and must be unique); with
        ``year`` every year is analysed on its own, all years at once.
    discretize : None, "optimal" or mapping
        None: every factor is used as given. ``"optimal"``: every factor is discretized by
        the optimal-parameters search (OPGD, Song et al. 2020): the method in ``methods`` and
        number of classes in ``classes`` with the largest q, per factor and year (ties: the
        first method, then the fewest classes). A mapping discretizes the factors it names,
        each with ``"optimal"`` or ``{"method": ..., "k": ...}``; other factors are used as
        given. Break points are those of :func:`break_points` on the values of the year.
    methods : iterable of {"equal", "quantile", "natural", "geometric", "sd", "maximum"}
        Methods searched by OPGD.
    classes : iterable of int
        Numbers of classes searched by OPGD (each >= 2).
    alpha : float, default 0.05
        Level of the ``significant`` columns.
    singletons : {"keep", "drop"}
        A stratum of one unit has within variance 0. ``"keep"`` (default, as the R package
        geodetector of Xu and Wang) keeps it in q, L and lambda; ``"drop"`` leaves its units
        out of that partition (N, L and the total sum of squares included), as gdverse and the
        Python package geodetector do. Either way a :class:`SingletonStratumWarning` names the
        factors' one-unit strata, and no t test involves them.
    tol : float, default 1e-10
        Tolerance of the comparisons of q12 with min(q1, q2), max(q1, q2) and q1 + q2.
    balance : {"error", "drop"}
        Passed to the panel validator (:func:`spatial._core.panel.panel_arrays`).

    Returns
    -------
    GeodetectorResults

    Raises
    ------
    StratificationError
        A factor with fewer than two strata in a year, a response constant in a year, fewer
        than three units.
    MissingValueError
        Missing response, factor values or stratum labels.
    InvalidOptionError
        An unknown method, option or a bad number of classes.

    Warns
    -----
    SingletonStratumWarning
        A stratum of a factor holds one unit.

    Notes
    -----
    The formulas are in the module docstring (:mod:`spatial.heterogeneity.geodetector`).
    The intersection of two partitions refines both, so with ``singletons="keep"``
    ``q12 >= max(q1, q2)`` always and the two weaken types cannot occur; they occur when
    one-unit strata are dropped.

    The noncentral p-value follows Wang, Zhang and Fu (2016) as every published program
    does, but its lambda, computed from the stratum means themselves, is not invariant to
    adding a constant to y (q and F are): unless all strata have the same size,
    ``sum_h ybar_h^2 - (sum_h sqrt(N_h) ybar_h)^2 / N`` grows with the level of y even when
    all means are equal. ``p_anova`` (lambda = 0) is the location-invariant test of equal
    stratum means.

    References
    ----------
    Wang, J.-F., Li, X.-H., Christakos, G., Liao, Y.-L., Zhang, T., Gu, X. and Zheng, X.-Y.
    (2010). *International Journal of Geographical Information Science* 24(1): 107-127.

    Wang, J.-F., Zhang, T.-L. and Fu, B.-J. (2016). *Ecological Indicators* 67: 250-256.

    Wang, J.-F. and Xu, C.-D. (2017). *Acta Geographica Sinica* 72(1): 116-134.

    Song, Y., Wang, J., Ge, Y. and Xu, C. (2020). *GIScience & Remote Sensing* 57(5):
    593-610.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "x": list("aaabbb"),
    ...                       "z": list("abcabc")})
    >>> res = geodetector(frame, "y", ["x", "z"])
    >>> res.factor[["factor", "q"]].round(6).values.tolist()   # 1 - 4/17.5 = 27/35
    [['x', 0.771429], ['z', 0.228571]]
    >>> res.interaction[["q12", "type"]].values.tolist()
    [[1.0, 'independent']]
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    check_option("singletons", singletons, ("keep", "drop"))
    check_option("balance", balance, ("error", "drop"))
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha must be a number in (0, 1), got {alpha!r}.")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol >= 0:
        raise InvalidOptionError(f"tol must be a number >= 0, got {tol!r}.")
    if isinstance(factors, str):
        factors = [factors]
    factors = list(factors)
    if not factors:
        raise SpecificationError("Give at least one factor.")
    if len(set(factors)) != len(factors):
        raise SpecificationError(f"Factors are named more than once: {factors}.")
    if y in factors:
        raise SpecificationError(f"The response {y!r} is also among the factors.")
    method_list = [check_option("methods", m, DISCRETIZATION_METHODS) for m in methods]
    if not method_list:
        raise InvalidOptionError("methods must name at least one method.")
    class_list = sorted({_check_int("classes", k, 2) for k in classes})
    if not class_list:
        raise InvalidOptionError("classes must hold at least one number of classes.")
    plan = _resolve_discretize(discretize, factors, class_list)

    # ---- the working table: keys, response, stratum codes, continuous factors
    for name in (y, *factors):
        if name not in data.columns:
            raise ColumnNotFoundError(
                f"Column {name!r} is not in the data; its columns are "
                f"{format_items(list(data.columns), 12)}."
            )
    work = pd.DataFrame(index=data.index)
    panel = year is not None
    if panel:
        if region is None:
            raise SpecificationError("Give region=... with year=... (the panel keys).")
        region_values, year_values, region_name, year_name = panel_keys(data, region, year)
        keys: tuple[Hashable, Hashable] = (region_name, year_name)
        work[region_name] = region_values
        work[year_name] = year_values
    else:
        keys = ("unit", "__year__")
        if region is not None:
            region_values, _, region_name, _ = panel_keys(data, region, region)
            keys = (region_name, "__year__")
            work[region_name] = region_values
        else:
            work["unit"] = np.arange(len(data))
        work["__year__"] = 0
    work[y] = data[y]
    labels: dict[str, pd.Index] = {}
    for name in factors:
        if name in plan:
            work[name] = data[name]
        else:
            codes, labels[name] = _encode_strata(data[name], name)
            work[name] = codes
    columns = [y, *factors]
    arrays = panel_arrays(work, columns, keys[0], keys[1], balance=balance)
    values = arrays.values  # (T, N, 1 + F)
    t_count, n_units = values.shape[:2]
    years = arrays.years if panel else None
    yv = values[:, :, 0]
    if n_units < 3:
        raise StratificationError(
            f"The geographical detector needs at least 3 units, got {n_units}."
        )
    flat = np.flatnonzero(np.ptp(yv, axis=1) == 0)
    if flat.size:
        where = [str(years[t]) for t in flat] if years is not None else []
        raise StratificationError(
            f"The response {y!r} is constant"
            + (f" in year(s) {format_items(where)}" if where else "")
            + "; q is undefined (0/0)."
        )

    # ---- discretization (OPGD search and fixed specifications)
    codes_all = np.zeros((len(factors), t_count, n_units), dtype=np.int64)
    n_levels = np.zeros(len(factors), dtype=np.int64)
    search_rows: list[pd.DataFrame] = []
    chosen_rows: list[dict[str, Any]] = []
    bounds: dict[tuple[str, int], np.ndarray] = {}
    disc = [f for f in factors if f in plan]
    if disc:
        idx = [factors.index(f) + 1 for f in disc]
        x = values[:, :, idx].transpose(2, 0, 1).reshape(len(disc) * t_count, n_units)
        order = np.argsort(x, axis=1, kind="stable")
        xs = np.take_along_axis(x, order, axis=1)
        ys = np.take_along_axis(np.tile(yv, (len(disc), 1)), order, axis=1)
        combos: list[tuple[str, int]] = []
        for f in disc:
            spec = plan[f]
            if isinstance(spec, tuple):
                combos.append(spec)
            else:
                combos += [(m, k) for m in method_list for k in class_list]
        combos = list(dict.fromkeys(combos))
        ks = sorted({k for m, k in combos if m == "natural"})
        natural = _natural_breaks(xs, ks) if ks else {}
        q_grid, strata_grid, breaks_grid = _grid_q(
            xs, ys, combos, natural, drop=singletons == "drop"
        )
        constant = np.ptp(xs, axis=1) == 0
        for j, f in enumerate(disc):
            rows = slice(j * t_count, (j + 1) * t_count)
            if constant[rows].any():
                bad = np.flatnonzero(constant[rows])
                raise StratificationError(
                    f"Factor {f!r} is constant"
                    + (
                        f" in year(s) {format_items([str(years[t]) for t in bad])}"
                        if years is not None
                        else ""
                    )
                    + "; it cannot be discretized into two or more strata."
                )
            spec = plan[f]
            allowed = [
                c
                for c, combo in enumerate(combos)
                if (spec == "optimal" and combo[0] in method_list and combo[1] in class_list)
                or combo == spec
            ]
            grid = q_grid[rows][:, allowed]
            if spec == "optimal":
                block = pd.DataFrame(
                    {
                        "factor": f,
                        "method": np.tile([combos[c][0] for c in allowed], t_count),
                        "k": np.tile([combos[c][1] for c in allowed], t_count),
                        "strata": strata_grid[rows][:, allowed].ravel(),
                        "q": grid.ravel(),
                    }
                )
                if years is not None:
                    block.insert(0, years.name or "year", np.repeat(years, len(allowed)))
                search_rows.append(block)
            pick = np.argmax(np.where(np.isnan(grid), -np.inf, grid), axis=1)
            for t in range(t_count):
                c = allowed[pick[t]]
                method, k = combos[c]
                brk = breaks_grid[c][j * t_count + t]
                cut = np.searchsorted(brk, x[j * t_count + t], side="left")
                codes_all[factors.index(f), t] = cut
                lo = np.concatenate([[xs[j * t_count + t, 0]], brk])
                hi = np.concatenate([brk, [xs[j * t_count + t, -1]]])
                bounds[(f, t)] = np.column_stack([lo, hi])
                row = {
                    "factor": f,
                    "method": method,
                    "k": k,
                    "strata": int(np.unique(cut).size),
                    "breaks": tuple(brk.tolist()),
                }
                if years is not None:
                    row = {years.name or "year": years[t], **row}
                chosen_rows.append(row)
            n_levels[factors.index(f)] = max(class_list + [k for m, k in combos])
    for f in factors:
        if f not in plan:
            j = factors.index(f)
            codes_all[j] = values[:, :, j + 1].astype(np.int64)
            n_levels[j] = len(labels[f])
    return _detect(
        yv,
        codes_all,
        n_levels,
        factors,
        labels,
        bounds,
        years,
        arrays,
        search_rows,
        chosen_rows,
        y=y,
        alpha=float(alpha),
        singletons=singletons,
        tol=float(tol),
        balance=balance,
        panel=panel,
        options={"discretize": plan, "methods": tuple(method_list), "classes": tuple(class_list)},
    )


def _grid_q(
    xs: np.ndarray,
    ys: np.ndarray,
    combos: Sequence[tuple[str, int]],
    natural: Mapping[int, np.ndarray],
    *,
    drop: bool,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """q and strata of every (row, combo) from prefix sums of y in the order of x.

    ``xs`` (B, n) sorted factor values, ``ys`` (B, n) the response in the same order.
    Classes are intervals of the sorted values, so stratum sums are differences of prefix
    sums at ``#{x <= break}``.
    """
    b_count, n = xs.shape
    yc = ys - ys.mean(axis=1, keepdims=True)
    p1 = np.zeros((b_count, n + 1))
    p2 = np.zeros((b_count, n + 1))
    np.cumsum(yc, axis=1, out=p1[:, 1:])
    np.cumsum(yc * yc, axis=1, out=p2[:, 1:])
    all_breaks = [_breaks(xs, m, k, natural) for m, k in combos]
    widths = [k - 1 for _, k in combos]
    counts = _counts_below(xs, np.concatenate(all_breaks, axis=1))
    q = np.empty((b_count, len(combos)))
    strata = np.empty((b_count, len(combos)), dtype=np.int64)
    rows = np.arange(b_count)[:, None]
    start = 0
    for c, width in enumerate(widths):
        cut = counts[:, start : start + width]
        start += width
        edges = np.concatenate(
            [np.zeros((b_count, 1), np.int64), cut, np.full((b_count, 1), n)], axis=1
        )
        size = np.diff(edges, axis=1).astype(np.float64)
        s = np.diff(p1[rows, edges], axis=1)
        ss = np.diff(p2[rows, edges], axis=1)
        use = size >= (2 if drop else 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            within = np.where(use, ss - s * s / np.where(size > 0, size, 1.0), 0.0).sum(axis=1)
            total_n = np.where(use, size, 0.0).sum(axis=1)
            total_s = np.where(use, s, 0.0).sum(axis=1)
            sst = np.where(use, ss, 0.0).sum(axis=1) - total_s**2 / total_n
            q[:, c] = 1.0 - within / sst
        strata[:, c] = use.sum(axis=1)
    return q, strata, all_breaks


def _detect(
    yv: np.ndarray,
    codes_all: np.ndarray,
    n_levels: np.ndarray,
    factors: list[str],
    labels: Mapping[str, pd.Index],
    bounds: Mapping[tuple[str, int], np.ndarray],
    years: pd.Index | None,
    arrays: Any,
    search_rows: list[pd.DataFrame],
    chosen_rows: list[dict[str, Any]],
    *,
    y: str,
    alpha: float,
    singletons: str,
    tol: float,
    balance: str,
    panel: bool,
    options: Mapping[str, Any],
) -> GeodetectorResults:
    """The four detectors on the stratum codes (F, T, N) of every factor and year."""
    f_count, t_count, n_units = codes_all.shape
    drop = singletons == "drop"
    year_name = (years.name or "year") if years is not None else None
    width = int(n_levels.max())
    year_of = np.tile(np.arange(t_count), f_count)
    codes = codes_all.reshape(f_count * t_count, n_units)
    base = _partition_stats(yv, year_of, codes, width, drop=False)
    fstats = _partition_stats(yv, year_of, codes, width, drop=True) if drop else base

    # ---- checks: strata per factor-year, one-unit strata
    few = base.strata < 2
    if few.any():
        bad = [
            f"{factors[s // t_count]!r}{_year_label(years, s % t_count)}"
            for s in np.flatnonzero(few)
        ]
        raise StratificationError(
            f"A factor needs at least two strata; {format_items(bad)} has only one."
        )
    lonely = np.argwhere(base.counts == 1)
    if lonely.size:
        shown = []
        for s, h in lonely[:8]:
            f = factors[s // t_count]
            lab = labels[f][h] if f in labels else h + 1
            lab = lab.item() if isinstance(lab, np.generic) else lab
            shown.append(f"{f!r} stratum {lab!r}{_year_label(years, s % t_count)}")
        more = "" if len(lonely) <= 8 else f" and {len(lonely) - 8} more"
        warnings.warn(
            f"{len(lonely)} stratum(s) hold one unit: {'; '.join(shown)}{more}. Their within "
            f"variance is 0 and no t test involves them; singletons={singletons!r} "
            + ("keeps them in q." if singletons == "keep" else "leaves their units out."),
            SingletonStratumWarning,
            stacklevel=3,
        )
    if drop and (fstats.strata < 2).any():
        bad = [
            f"{factors[s // t_count]!r}{_year_label(years, s % t_count)}"
            for s in np.flatnonzero(fstats.strata < 2)
        ]
        raise StratificationError(
            f"With singletons='drop', {format_items(bad)} has fewer than two strata left."
        )

    def frame(columns: dict[str, Any], year_index: np.ndarray) -> pd.DataFrame:
        out = pd.DataFrame(columns)
        if panel:
            out.insert(0, year_name, np.asarray(years)[year_index])
        return out

    tests = _factor_tests(fstats.q, fstats.n, fstats.strata.astype(np.float64), fstats.lam)
    fac_idx = np.repeat(np.arange(f_count), t_count)
    factor_table = frame(
        {
            "factor": np.asarray(factors, dtype=object)[fac_idx],
            "strata": fstats.strata,
            "n": fstats.n.astype(np.int64),
            "q": fstats.q,
            "F": tests["F"],
            "df1": tests["df1"],
            "df2": tests["df2"],
            "lambda": fstats.lam,
            "p": tests["p"],
            "p_anova": tests["p_anova"],
            "significant": tests["p"] < alpha,
        },
        year_of,
    )
    if panel:
        factor_table = factor_table.sort_values([year_name], kind="stable").reset_index(drop=True)

    # ---- interaction detector: every pair, every year, in one bincount
    pairs = list(combinations(range(f_count), 2))
    if pairs:
        first = np.array([a for a, _ in pairs])
        second = np.array([b for _, b in pairs])
        joint = codes_all[first] * n_levels[second][:, None, None] + codes_all[second]
        # renumber the joint codes to 0..L12-1 per pair so the bincount stays small
        flat = joint.reshape(len(pairs), -1)
        offset = (np.arange(len(pairs)) * (int(flat.max()) + 1))[:, None]
        uniq, inv = np.unique(flat + offset, return_inverse=True)
        pair_of = uniq // (int(flat.max()) + 1)
        local = np.arange(uniq.size) - np.searchsorted(pair_of, pair_of)
        joint_codes = local[inv.reshape(flat.shape)].reshape(len(pairs) * t_count, n_units)
        jstats = _partition_stats(
            yv,
            np.tile(np.arange(t_count), len(pairs)),
            joint_codes,
            int(local.max()) + 1,
            drop=drop,
        )
        if drop:
            # q1 and q2 as the geodetector package computes them for the pair: each factor
            # with its own one-unit strata dropped
            q1 = fstats.q.reshape(f_count, t_count)[first].ravel()
            q2 = fstats.q.reshape(f_count, t_count)[second].ravel()
        else:
            q1 = base.q.reshape(f_count, t_count)[first].ravel()
            q2 = base.q.reshape(f_count, t_count)[second].ravel()
        kind = _interaction_codes(q1, q2, jstats.q, tol)
        # the significance of q12: the factor detector's test on the intersected strata
        tests12 = _factor_tests(jstats.q, jstats.n, jstats.strata.astype(np.float64), jstats.lam)
        full = (
            _partition_stats(
                yv,
                np.tile(np.arange(t_count), len(pairs)),
                joint_codes,
                int(local.max()) + 1,
                drop=False,
            )
            if drop
            else jstats
        )
        interaction_table = frame(
            {
                "factor1": np.asarray(factors, dtype=object)[np.repeat(first, t_count)],
                "factor2": np.asarray(factors, dtype=object)[np.repeat(second, t_count)],
                "q1": q1,
                "q2": q2,
                "q12": jstats.q,
                "p12": tests12["p"],
                "strata12": full.strata,
                "singletons12": (full.counts == 1).sum(axis=1),
                "type": np.array(
                    [INTERACTION_TYPES[k] if k >= 0 else "" for k in kind], dtype=object
                ),
            },
            np.tile(np.arange(t_count), len(pairs)),
        )
        ratio = (1.0 - fstats.q.reshape(f_count, t_count)[first]) / (
            1.0 - fstats.q.reshape(f_count, t_count)[second]
        )
        n_eco = np.broadcast_to(float(n_units), ratio.shape)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            lower = stats.f.cdf(ratio, n_eco - 1, n_eco - 1)
            upper = stats.f.sf(ratio, n_eco - 1, n_eco - 1)
        p_eco = np.minimum(1.0, 2.0 * np.minimum(lower, upper))
        ecological_table = frame(
            {
                "factor1": np.asarray(factors, dtype=object)[np.repeat(first, t_count)],
                "factor2": np.asarray(factors, dtype=object)[np.repeat(second, t_count)],
                "F": ratio.ravel(),
                "df1": (n_eco - 1).ravel(),
                "df2": (n_eco - 1).ravel(),
                "p": p_eco.ravel(),
                "significant": p_eco.ravel() < alpha,
            },
            np.tile(np.arange(t_count), len(pairs)),
        )
        if panel:
            interaction_table = interaction_table.sort_values(
                [year_name], kind="stable"
            ).reset_index(drop=True)
            ecological_table = ecological_table.sort_values([year_name], kind="stable").reset_index(
                drop=True
            )
    else:
        interaction_table = pd.DataFrame(
            columns=[
                "factor1",
                "factor2",
                "q1",
                "q2",
                "q12",
                "p12",
                "strata12",
                "singletons12",
                "type",
            ]
        )
        ecological_table = pd.DataFrame(
            columns=["factor1", "factor2", "F", "df1", "df2", "p", "significant"]
        )

    means_table, risk_table = _risk(
        base, factors, labels, bounds, years, t_count, alpha, panel, year_name
    )

    strata_table = pd.DataFrame(
        {
            arrays.region_name: np.tile(np.asarray(arrays.regions), t_count),
        }
    )
    if panel:
        strata_table.insert(1, year_name, np.repeat(np.asarray(years), n_units))
    for j, f in enumerate(factors):
        c = codes_all[j].ravel()
        strata_table[f] = np.asarray(labels[f])[c] if f in labels else c + 1
    search = (
        pd.concat(search_rows, ignore_index=True)
        if search_rows
        else pd.DataFrame(columns=["factor", "method", "k", "strata", "q"])
    )
    chosen = (
        pd.DataFrame(chosen_rows)
        if chosen_rows
        else pd.DataFrame(columns=["factor", "method", "k", "strata", "breaks"])
    )
    if len(chosen):
        q_used = factor_table.set_index(([year_name] if panel else []) + ["factor"])["q"]
        key = list(zip(chosen[year_name], chosen["factor"])) if panel else list(chosen["factor"])
        chosen.insert(len(chosen.columns) - 1, "q", q_used.loc[key].to_numpy())
    return GeodetectorResults(
        factor=factor_table,
        interaction=interaction_table,
        means=means_table,
        risk=risk_table,
        ecological=ecological_table,
        discretization=search,
        chosen=chosen,
        strata=strata_table,
        y=y,
        alpha=alpha,
        singletons=singletons,
        tol=tol,
        balance=balance,
        options=dict(options),
    )


def _risk(
    base: _PartitionStats,
    factors: list[str],
    labels: Mapping[str, pd.Index],
    bounds: Mapping[tuple[str, int], np.ndarray],
    years: pd.Index | None,
    t_count: int,
    alpha: float,
    panel: bool,
    year_name: Hashable,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratum means and Welch t tests of every pair of non-empty strata of each series."""
    counts = base.counts
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(counts >= 2, base.ssw_h / (counts - 1), np.nan)
    series, stratum = np.nonzero(counts > 0)
    f_idx, t_idx = series // t_count, series % t_count
    lab = [
        labels[factors[f]][h] if factors[f] in labels else h + 1
        for f, h in zip(f_idx.tolist(), stratum.tolist())
    ]
    means = pd.DataFrame(
        {
            "factor": np.asarray(factors, dtype=object)[f_idx],
            "stratum": pd.array(lab, dtype=object),
            "n": counts[series, stratum].astype(np.int64),
            "mean": base.means[series, stratum],
            "var": var[series, stratum],
        }
    )
    if bounds:
        lo = np.full(series.size, np.nan)
        hi = np.full(series.size, np.nan)
        for r, (f, t, h) in enumerate(zip(f_idx.tolist(), t_idx.tolist(), stratum.tolist())):
            b = bounds.get((factors[f], t))
            if b is not None:
                lo[r], hi[r] = b[h]
        means["lower"], means["upper"] = lo, hi
    if panel:
        means.insert(0, year_name, np.asarray(years)[t_idx])
    # pairs of non-empty strata within each series
    starts = np.searchsorted(series, np.arange(counts.shape[0]))
    sizes = np.bincount(series, minlength=counts.shape[0])
    left, right = [], []
    for s0, size in zip(starts.tolist(), sizes.tolist()):
        a, b = np.triu_indices(size, 1)
        left.append(s0 + a)
        right.append(s0 + b)
    i = np.concatenate(left) if left else np.zeros(0, np.int64)
    j = np.concatenate(right) if right else np.zeros(0, np.int64)
    m1, m2 = base.means[series[i], stratum[i]], base.means[series[j], stratum[j]]
    n1, n2 = counts[series[i], stratum[i]], counts[series[j], stratum[j]]
    v1, v2 = var[series[i], stratum[i]] / n1, var[series[j], stratum[j]] / n2
    with np.errstate(invalid="ignore", divide="ignore"):
        t_value = (m1 - m2) / np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
        p = 2.0 * stats.t.sf(np.abs(t_value), df)
    risk = pd.DataFrame(
        {
            "factor": np.asarray(factors, dtype=object)[f_idx[i]],
            "stratum1": pd.array([lab[r] for r in i.tolist()], dtype=object),
            "stratum2": pd.array([lab[r] for r in j.tolist()], dtype=object),
            "mean1": m1,
            "mean2": m2,
            "t": t_value,
            "df": df,
            "p": p,
            "significant": p < alpha,
        }
    )
    if panel:
        risk.insert(0, year_name, np.asarray(years)[t_idx[i]])
        order = np.lexsort((np.arange(len(risk)), t_idx[i]))
        risk = risk.iloc[order].reset_index(drop=True)
        order_m = np.lexsort((np.arange(len(means)), t_idx))
        means = means.iloc[order_m].reset_index(drop=True)
    return means, risk
