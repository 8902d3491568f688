"""Panel threshold regression with fixed effects (Hansen 1999).

The model with ``m`` thresholds :math:`\\gamma_1 < \\dots < \\gamma_m` of a threshold
variable :math:`q_{it}` is

.. math::

    y_{it} = \\mu_i + x_{it}'\\beta + \\sum_{j=1}^{m+1} r_{it}'\\delta_j
             \\,1(\\gamma_{j-1} < q_{it} \\le \\gamma_j) + e_{it},
    \\qquad \\gamma_0 = -\\infty,\\ \\gamma_{m+1} = \\infty,

with region effects :math:`\\mu_i` (optionally year effects too) removed by the within
transformation; :math:`x` holds the regime-independent and :math:`r` the regime-dependent
regressors. Every stage below is Hansen's (1999) procedure, as in Stata's ``xthreg``
(Wang 2015):

* **Search.** Given fixed thresholds, the sum of squared residuals :math:`S(\\gamma)` of
  the within regression is computed for every candidate :math:`\\gamma` at once: with
  :math:`M` the residual maker of the base regressors and :math:`Z_\\gamma` the transformed
  columns :math:`r_{it} 1(q_{it} \\le \\gamma)`,
  :math:`S(\\gamma) = \\tilde y'M\\tilde y - \\tilde y'MZ_\\gamma(Z_\\gamma'MZ_\\gamma)^{-1}
  Z_\\gamma'M\\tilde y`. Sorting the observations by :math:`q` turns every
  :math:`Z_\\gamma'(\\cdot)` into a cumulative sum, so all candidates (and all bootstrap
  draws) cost a few array passes, not a regression each.
* **Sequential estimation** (Hansen 1999, sec. 5): :math:`\\hat\\gamma_1` minimises
  :math:`S_1`; :math:`\\hat\\gamma_2` minimises :math:`S_2(\\hat\\gamma_1, \\gamma)`; the
  refinement :math:`\\hat\\gamma_1^r` minimises :math:`S(\\gamma, \\hat\\gamma_2)`; a third
  threshold is searched given :math:`(\\hat\\gamma_1^r, \\hat\\gamma_2)`.
* **Tests.** :math:`F_j = (S_{j-1} - S_j)/\\hat\\sigma^2_j`,
  :math:`\\hat\\sigma^2_j = S_j/(N(T-1))`, with a bootstrap p-value: residual vectors of
  whole regions of the model with :math:`j-1` thresholds are resampled with replacement,
  added to its fitted values, and the :math:`j-1` and :math:`j` thresholds re-estimated
  sequentially on each draw. All draws share one design, so a batch of draws is one
  matrix product; draws are split over ``n_jobs`` threads.
* **Confidence intervals** of each threshold by inverting the likelihood ratio
  :math:`LR(\\gamma) = (S(\\gamma) - S(\\hat\\gamma))/\\hat\\sigma^2`: the candidates with
  :math:`LR(\\gamma) \\le c(\\alpha) = -2\\ln(1 - \\sqrt{1 - \\alpha})` (Hansen 2000).
* **Regime coefficients** from the fixed-effects regression at the thresholds
  (:func:`spatial.models.ols.panel_ols`), with standard errors clustered by region by default.

**Candidates** (Hansen 1999): with ``grid=G`` the distinct values of :math:`q` at the
quantiles ``trim, trim + 1/G, ..., 1 - trim`` of those values (Hansen used ``G = 400``);
with ``grid=None`` every distinct value. A candidate is admissible when every regime it
creates holds at least ``ceil(trim * N T)`` observations.

Written by hand: no maintained Python package estimates this model (the one on PyPI is
an untested 0.0.x release), and statsmodels has no panel threshold regression.

References
----------
Hansen, B. E. (1999). Threshold effects in non-dynamic panels: Estimation, testing, and
inference. *Journal of Econometrics* 93(2): 345-368.

Hansen, B. E. (2000). Sample splitting and threshold estimation. *Econometrica* 68(3):
575-603.

Wang, Q. (2015). Fixed-effect panel threshold model using Stata. *Stata Journal* 15(1):
121-134.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from spatial._core.distributions import t_two_sided
from spatial._core.errors import SpecificationError
from spatial._core.options import check_option, check_seed
from spatial._core.panel import PanelArrays, panel_arrays
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary, stars
from spatial.exceptions import CollinearityError, EstimationError
from spatial.models.ols import OLSCovType, panel_ols
from spatial.models.transform import within_transform

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PanelThreshold", "ThresholdResults", "lr_critical_value"]

ThresholdEffects = Literal["individual", "twoways"]
_STAGES = ("single", "double", "triple")
_CHUNK = 128  # bootstrap draws per batch: bounds memory at N T x 128 per regime variable


def lr_critical_value(level: float) -> float:
    """The critical value :math:`c(\\alpha) = -2\\ln(1 - \\sqrt{1 - \\alpha})` of Hansen (2000).

    The threshold's confidence set is :math:`\\{\\gamma: LR(\\gamma) \\le c(\\alpha)\\}`, with
    ``level`` :math:`= 1 - \\alpha`.

    References
    ----------
    Hansen, B. E. (2000). Sample splitting and threshold estimation. *Econometrica* 68(3):
    575-603 (Table 1: 5.94, 7.35 and 10.59 at 90, 95 and 99 %).

    Examples
    --------
    >>> [round(lr_critical_value(p), 2) for p in (0.90, 0.95, 0.99)]
    [5.94, 7.35, 10.59]
    """
    if not 0.0 < level < 1.0:
        raise SpecificationError(f"level must lie strictly between 0 and 1, got {level!r}.")
    return -2.0 * math.log(1.0 - math.sqrt(level))


@dataclass(frozen=True)
class _Search:
    """The arrays every threshold search shares (observations flattened year-major)."""

    n: int
    t: int
    effects: ThresholdEffects
    y: np.ndarray  # (n_obs,) transformed
    base: np.ndarray  # (n_obs, p) transformed x and r
    r: np.ndarray  # (n_obs, kr) raw regime-dependent regressors
    q: np.ndarray  # (n_obs,)
    candidates: np.ndarray  # (G,) ascending
    cuts: np.ndarray  # (G,) number of observations with q <= candidate
    order: np.ndarray  # observations sorted by q
    zz: np.ndarray  # (G, kr, kr) Z_g'Z_g of the transformed candidate columns
    min_count: int

    def transform(self, values: np.ndarray) -> np.ndarray:
        """The within transformation of ``(n_obs, m)`` columns."""
        m = values.shape[1]
        return within_transform(values.reshape(self.t, self.n, m), self.effects).reshape(-1, m)

    def columns(self, gammas: Sequence[float]) -> np.ndarray:
        """Transformed regime columns :math:`r\\,1(q \\le \\gamma)` of fixed thresholds."""
        if not gammas:
            return self.base[:, :0]
        raw = np.concatenate([self.r * (self.q <= g)[:, None] for g in gammas], axis=1)
        return self.transform(raw)

    def at_cuts(self, products: np.ndarray) -> np.ndarray:
        """Sums of ``products`` (rows in q order) over the observations with q <= each candidate."""
        total = np.cumsum(products, axis=0)
        padded = np.concatenate([np.zeros((1, *total.shape[1:])), total])
        return padded[self.cuts]

    def admissible(self, fixed: Sequence[float]) -> np.ndarray:
        """Candidates that leave at least ``min_count`` observations in every regime."""
        n_obs = self.q.size
        sorted_q = self.q[self.order]
        fixed_counts = np.searchsorted(sorted_q, np.asarray(fixed, dtype=float), side="right")
        bounds = np.column_stack(
            [
                np.zeros(self.cuts.size),
                np.broadcast_to(fixed_counts, (self.cuts.size, fixed_counts.size)),
                self.cuts,
                np.full(self.cuts.size, n_obs),
            ]
        )
        sizes = np.diff(np.sort(bounds, axis=1), axis=1)
        return np.asarray(sizes.min(axis=1) >= self.min_count)

    def projection(
        self, fixed: Sequence[float], responses: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """An orthonormal basis of the base regressors with the ``fixed`` thresholds'
        columns, and the residuals of ``responses`` (n_obs, m) on it."""
        basis, _ = np.linalg.qr(np.concatenate([self.base, self.columns(fixed)], axis=1))
        return basis, responses - basis @ (basis.T @ responses)

    def base_sse(self, fixed: Sequence[float], y: np.ndarray) -> float:
        """The sum of squared residuals of ``y`` (n_obs,) with the ``fixed`` thresholds."""
        resid = self.projection(fixed, y)[1]
        return float(resid @ resid)

    def sse(self, fixed: Sequence[float], responses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:math:`S(\\gamma)` of every candidate (rows) for every response column, and the
        sums of squared residuals with the ``fixed`` thresholds only.

        Inadmissible candidates get ``inf``. ``responses`` are transformed, shape (n_obs, m).
        """
        basis, resid = self.projection(fixed, responses)
        sse0 = np.einsum("im,im->m", resid, resid)
        r_sorted = self.r[self.order]
        zq = self.at_cuts(r_sorted[:, :, None] * basis[self.order][:, None, :])  # (G, kr, p)
        mzz = self.zz - zq @ np.swapaxes(zq, 1, 2)
        zy = self.at_cuts(r_sorted[:, :, None] * resid[self.order][:, None, :])  # (G, kr, m)
        ok = self.admissible(fixed)
        scale = np.einsum("gaa->g", mzz)
        ok &= scale > 1e-10 * np.einsum("gaa->g", self.zz).max()
        eye = np.eye(mzz.shape[1])
        safe = np.where(ok[:, None, None], mzz, eye)
        gain = np.einsum("gam,gam->gm", zy, np.linalg.solve(safe, zy))
        out = sse0[None, :] - gain
        out[~ok] = np.inf
        return out, sse0


def _search_arrays(
    panel: PanelArrays, x: list[str], regime: list[str], q: str, effects: ThresholdEffects
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """y, base design (transformed), raw regime columns and q, flattened year-major."""
    values = panel.values
    cols = {name: values[:, :, k] for k, name in enumerate(panel.columns)}
    t, n = values.shape[:2]
    y = within_transform(cols["__y__"], effects).ravel()
    design = np.stack([cols[c] for c in [*x, *regime]], axis=2)
    base = within_transform(design, effects).reshape(t * n, -1)
    raw_r = np.stack([cols[c] for c in regime], axis=2).reshape(t * n, -1)
    return y, base, raw_r, cols[q].ravel()


def _candidate_grid(q: np.ndarray, trim: float, grid: int | None) -> np.ndarray:
    """Hansen's (1999) grid: distinct values of q at quantiles trim, trim + 1/grid, ..."""
    distinct = np.unique(q)
    if grid is None:
        return distinct
    steps = np.arange(trim, 1.0 - trim + 1e-12, 1.0 / grid)
    index = np.floor(steps * distinct.size).astype(int) - 1
    return np.unique(distinct[np.clip(index, 0, distinct.size - 1)])


def _pair_sums(parts: np.ndarray) -> np.ndarray:
    """:math:`\\sum_i s_{ia}(g) s_{ib}(g)` for partial sums ``parts`` of shape (units, G, kr)."""
    return np.einsum("iga,igb->gab", parts, parts)


def _candidate_gram(
    r: np.ndarray, q: np.ndarray, candidates: np.ndarray, n: int, t: int, effects: ThresholdEffects
) -> np.ndarray:
    """:math:`Z_g'Z_g` for the transformed columns :math:`r 1(q \\le \\gamma_g)`, all g.

    For :math:`u = r\\,1(q \\le \\gamma)` in a balanced panel,
    :math:`\\|\\tilde u\\|^2 = u'u - T\\sum_i \\bar u_i^2` (region effects), minus
    :math:`N\\sum_t \\bar u_t^2` and plus :math:`NT\\bar u^2` with year effects too.
    """
    g, kr = candidates.size, r.shape[1]
    first = np.searchsorted(candidates, q, side="left")  # the observation counts for g >= first
    cross = np.zeros((g + 1, kr, kr))
    np.add.at(cross, first, r[:, :, None] * r[:, None, :])
    gram = np.cumsum(cross, axis=0)[:g]

    def partial(groups: np.ndarray, count: int) -> np.ndarray:
        sums = np.zeros((count, g + 1, kr))
        np.add.at(sums, (groups, first), r)
        return np.cumsum(sums, axis=1)[:, :g]

    obs = np.arange(q.size)
    gram = gram - _pair_sums(partial(obs % n, n)) / t
    if effects == "twoways":
        totals = partial(np.zeros(q.size, dtype=int), 1)
        gram = gram - _pair_sums(partial(obs // n, t)) / n + _pair_sums(totals) / (n * t)
    return gram


def _sequential(
    search: _Search, responses: np.ndarray, fixed: tuple[float, ...], depth: int
) -> np.ndarray:
    """Sums of squared residuals along sequential estimation of ``depth`` thresholds.

    Returns an array (depth + 1, m): row 0 the fit with ``fixed`` thresholds, row j the
    fit after j more thresholds estimated one at a time (without refinement), for each
    response column. Columns that pick the same threshold continue as one batch.
    """
    curve, path0 = search.sse(fixed, responses)
    best = np.argmin(curve, axis=0)
    path = np.empty((depth + 1, responses.shape[1]))
    path[0] = path0
    path[1] = curve[best, np.arange(best.size)]
    if depth > 1:
        for g in np.unique(best):
            cols = np.flatnonzero(best == g)
            more = (*fixed, float(search.candidates[g]))
            path[1:, cols] = _sequential(search, responses[:, cols], more, depth - 1)
    return path


@dataclass(frozen=True)
class _Stage:
    """One threshold search on the data: the LR curve and its minimum."""

    label: str
    fixed: tuple[float, ...]
    curve: np.ndarray  # (G,) S(gamma), inf where inadmissible
    index: int
    candidates: np.ndarray

    @property
    def gamma(self) -> float:
        """The minimising candidate."""
        return float(self.candidates[self.index])


class PanelThreshold:
    """Fixed-effects panel threshold regression (Hansen 1999), as Stata's ``xthreg``.

    Parameters
    ----------
    data : DataFrame
        A balanced long panel, one row per region and year; never modified.
    y : str
        Dependent variable.
    x : sequence of str
        Regime-independent regressors (may be empty).
    q : str
        Threshold variable (it may also be a regressor).
    regime : sequence of str
        Regime-dependent regressors; their coefficients are estimated in each regime and
        named ``<name>_r1``, ``<name>_r2``, ... from the lowest regime up.
    region, year : str
        Panel keys (columns or index levels).
    effects : {"individual", "twoways"}
        Region effects (Hansen's model) or region and year effects, removed by the within
        transformation.

    Notes
    -----
    The model, the search, the tests and the intervals are described in the module
    docstring (:mod:`coupling.drivers.threshold`), with their sources.

    Examples
    --------
    A panel with a threshold at q = 0.5 where the slope of r changes from 1 to 3:

    >>> rng = np.random.default_rng(0)
    >>> n, t = 40, 8
    >>> frame = pd.DataFrame({"region": np.repeat(np.arange(n), t),
    ...                       "year": np.tile(np.arange(t), n),
    ...                       "q": rng.uniform(size=n * t), "r": rng.normal(size=n * t)})
    >>> frame["y"] = np.where(frame.q <= 0.5, 1.0, 3.0) * frame.r + rng.normal(0, 0.3, n * t)
    >>> res = PanelThreshold(frame, y="y", x=[], q="q", regime=["r"]).fit(bootstrap=50, seed=1)
    >>> round(float(res.thresholds[0]), 2), float(res.f_tests.loc["single", "pvalue"])
    (0.5, 0.0)
    >>> res.params.round(1).to_dict()
    {'r_r1': 1.0, 'r_r2': 3.0}
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        y: str,
        x: Sequence[str],
        q: str,
        regime: Sequence[str],
        region: str = "region",
        year: str = "year",
        effects: ThresholdEffects = "individual",
    ) -> None:
        check_option("effects", effects, ("individual", "twoways"))
        x, regime = [str(c) for c in _as_list(x, "x")], [str(c) for c in _as_list(regime, "regime")]
        if not regime:
            raise SpecificationError(
                "regime=[] names no regime-dependent regressor; give the variable(s) whose "
                "coefficient changes at the threshold (Stata's rx())."
            )
        both = sorted(set(x) & set(regime))
        if both:
            raise SpecificationError(
                f"{both} appear in both x and regime; a regressor is either regime-independent "
                "(x) or regime-dependent (regime)."
            )
        if y in [*x, *regime, q]:
            raise SpecificationError(f"The dependent variable {y!r} is also a regressor or q.")
        for role, names in (("x", x), ("regime", regime)):
            dup = sorted({c for c in names if names.count(c) > 1})
            if dup:
                raise SpecificationError(f"{role} lists {dup} more than once.")
        columns = list(dict.fromkeys([y, *x, *regime, q]))
        frame = data.rename(columns={y: "__y__"}) if y in data.columns else data
        cols = ["__y__" if c == y else c for c in columns]
        self._panel = panel_arrays(frame, cols, region, year)
        if len(self._panel.years) < 2:
            raise SpecificationError("A fixed-effects threshold model needs at least two years.")
        self.y, self.x, self.q, self.regime = y, x, q, regime
        self.effects: ThresholdEffects = effects

    def fit(
        self,
        *,
        n_thresholds: int = 1,
        trim: float | Sequence[float] = 0.01,
        grid: int | None = 400,
        bootstrap: int | Sequence[int] = 300,
        level: float = 0.95,
        cov_type: OLSCovType = "cluster",
        seed: int | None = None,
        n_jobs: int = 1,
    ) -> ThresholdResults:
        """Estimate the thresholds, test their number and fit the regimes.

        Parameters
        ----------
        n_thresholds : {1, 2, 3}
            Number of thresholds estimated (sequentially, as ``xthreg``'s ``thnum()``);
            the F tests of 1, ..., ``n_thresholds`` thresholds are all reported.
        trim : float or sequence of float, default 0.01
            Smallest share of observations in a regime, one value or one per threshold.
        grid : int or None, default 400
            Number of quantiles of the distinct values of ``q`` searched (Hansen's 400);
            ``None`` searches every distinct value.
        bootstrap : int or sequence of int, default 300
            Bootstrap draws of each F test (one value or one per threshold); 0 skips it.
        level : float, default 0.95
            Confidence level of the threshold intervals.
        cov_type : {"cluster", "HC1", "nonrobust"}
            Covariance of the regime coefficients (clustered by region by default).
        seed : int, optional
            Seed of the bootstrap (a local numpy Generator; global state is untouched).
        n_jobs : int, default 1
            Threads sharing the bootstrap draws (the same numbers for any value).

        Returns
        -------
        ThresholdResults
        """
        if n_thresholds not in (1, 2, 3):
            raise SpecificationError(f"n_thresholds must be 1, 2 or 3, got {n_thresholds!r}.")
        trims = _per_threshold(trim, n_thresholds, "trim", float)
        draws = _per_threshold(bootstrap, n_thresholds, "bootstrap", int)
        if any(not 0.0 < v < 0.5 for v in trims):
            raise SpecificationError(f"trim must lie strictly between 0 and 0.5, got {trim!r}.")
        if any(v < 0 for v in draws):
            raise SpecificationError(f"bootstrap must be a non-negative count, got {bootstrap!r}.")
        if grid is not None and (isinstance(grid, bool) or not isinstance(grid, int) or grid < 10):
            raise SpecificationError(f"grid must be an int of at least 10 or None, got {grid!r}.")
        if not isinstance(n_jobs, int) or n_jobs < 1:
            raise SpecificationError(f"n_jobs must be a positive int, got {n_jobs!r}.")
        critical = lr_critical_value(level)
        check_option("cov_type", cov_type, ("nonrobust", "HC1", "cluster"))
        seed = check_seed(seed)
        panel, effects = self._panel, self.effects
        t, n = panel.values.shape[:2]
        y, base, raw_r, q = _search_arrays(panel, self.x, self.regime, self.q, effects)
        _check_rank(base, [*self.x, *self.regime])
        candidates = _candidate_grid(q, trims[0], grid)
        order = np.argsort(q, kind="stable")
        search = _Search(
            n=n,
            t=t,
            effects=effects,
            y=y,
            base=base,
            r=raw_r,
            q=q,
            candidates=candidates,
            cuts=np.searchsorted(q[order], candidates, side="right"),
            order=order,
            zz=_candidate_gram(raw_r, q, candidates, n, t, effects),
            min_count=max(1, math.ceil(trims[0] * q.size)),
        )
        nu = n * (t - 1)
        rng = np.random.default_rng(seed)

        def minimise(fixed: tuple[float, ...], stage_trim: float, label: str) -> _Stage:
            local = _with_min_count(search, stage_trim)
            curve = local.sse(fixed, y[:, None])[0][:, 0]
            if not np.isfinite(curve).any():
                raise EstimationError(
                    f"No admissible candidate for threshold {label} of {self.q!r}: it has "
                    f"{np.unique(q).size} distinct values and every candidate leaves a regime "
                    f"with fewer than {local.min_count} observations (trim={stage_trim}). Lower "
                    "trim or n_thresholds, or use a threshold variable with more distinct values."
                )
            return _Stage(label, fixed, curve, int(np.argmin(curve)), candidates)

        stages: list[_Stage] = []
        sse_path = [search.base_sse((), y)]
        tests: list[dict[str, Any]] = []
        fixed: tuple[float, ...] = ()
        for j in range(n_thresholds):
            null = tuple(sorted(fixed))
            if j == 0:
                stage = minimise((), trims[0], "Th-1")
                stages.append(stage)
                fixed = (stage.gamma,)
            elif j == 1:
                stage = minimise(fixed, trims[1], "Th-22")
                refined = minimise((stage.gamma,), trims[1], "Th-21")
                stages += [refined, stage]
                fixed = (refined.gamma, stage.gamma)
            else:
                stage = minimise(fixed, trims[2], "Th-3")
                stages.append(stage)
                fixed = (*fixed, stage.gamma)
            sse_j = float(stage.curve[stage.index])
            f_stat = (sse_path[-1] - sse_j) / (sse_j / nu)
            boot = _bootstrap_f(
                _with_min_count(search, trims[j]), null, j + 1, draws[j], rng, n_jobs, nu
            )
            tests.append(_test_row(_STAGES[j], sse_j, nu, f_stat, boot))
            sse_path.append(search.base_sse(tuple(sorted(fixed)), y))
        return self._results(
            search,
            stages,
            tests,
            tuple(sorted(fixed)),
            critical,
            {
                "n_thresholds": n_thresholds,
                "trim": tuple(trims),
                "grid": grid,
                "bootstrap": tuple(draws),
                "level": level,
                "cov_type": cov_type,
                "seed": seed,
                "effects": effects,
            },
        )

    def _results(
        self,
        search: _Search,
        stages: list[_Stage],
        tests: list[dict[str, Any]],
        thresholds: tuple[float, ...],
        critical: float,
        options: dict[str, Any],
    ) -> ThresholdResults:
        panel = self._panel
        t, n = panel.values.shape[:2]
        nu = n * (t - 1)
        ci_rows, lr_rows = {}, []
        for stage in stages:
            sse_min = stage.curve[stage.index]
            lr = (stage.curve - sse_min) / (sse_min / nu)
            finite = np.isfinite(lr)
            inside = search.candidates[finite & (lr <= critical)]
            ci_rows[stage.label] = {
                "threshold": stage.gamma,
                "lower": float(inside.min()),
                "upper": float(inside.max()),
            }
            lr_rows.append(
                pd.DataFrame(
                    {"stage": stage.label, "gamma": search.candidates[finite], "lr": lr[finite]}
                )
            )
        values = {name: panel.values[:, :, k] for k, name in enumerate(panel.columns)}
        q = values[self.q]
        bounds = np.array([-np.inf, *thresholds, np.inf])
        regime_of = np.searchsorted(bounds[1:-1], q, side="left")  # q <= gamma_j -> regime j
        columns, names = [values[c] for c in self.x], list(self.x)
        for c in self.regime:
            for j in range(len(thresholds) + 1):
                columns.append(values[c] * (regime_of == j))
                names.append(f"{c}_r{j + 1}")
        fit = panel_ols(
            values["__y__"],
            np.stack(columns, axis=2),
            self.effects,
            names=tuple(names),
            cov_type=options["cov_type"],
        )
        se = np.sqrt(np.diag(fit.cov))
        dof = n - 1 if options["cov_type"] == "cluster" else fit.dof
        counts = np.bincount(regime_of.ravel(), minlength=len(thresholds) + 1)
        regimes = pd.DataFrame(
            {
                "lower": bounds[:-1],
                "upper": bounds[1:],
                "n_obs": counts,
                "share": counts / q.size,
            },
            index=pd.Index([f"r{j + 1}" for j in range(len(thresholds) + 1)], name="regime"),
        )
        index = pd.Index(names, name="parameter")
        return ThresholdResults(
            params=pd.Series(fit.coef, index=index, name="coef"),
            std_errors=pd.Series(se, index=index, name="std_error"),
            pvalues=pd.Series(t_two_sided(dof, fit.coef / se), index=index, name="pvalue"),
            cov=pd.DataFrame(fit.cov, index=index, columns=index),
            thresholds=np.array(thresholds),
            threshold_ci=pd.DataFrame.from_dict(ci_rows, orient="index").rename_axis("model"),
            f_tests=pd.DataFrame(tests).set_index("model"),
            lr=pd.concat(lr_rows, ignore_index=True),
            regimes=regimes,
            regime=pd.Series(
                regime_of.T.ravel() + 1, index=panel.index(), name="regime", dtype=int
            ),
            rss=fit.sse,
            r2_within=fit.r2,
            nobs=q.size,
            n_regions=n,
            n_years=t,
            df_resid=dof,
            options=options,
            variables={"y": self.y, "x": self.x, "q": self.q, "regime": self.regime},
        )


def _as_list(names: Sequence[str] | str, role: str) -> list[str]:
    if isinstance(names, str):
        return [names]
    if not isinstance(names, Sequence):
        raise SpecificationError(f"{role} must be a column name or a list of names.")
    return list(names)


def _per_threshold(value: Any, count: int, name: str, kind: type) -> list[Any]:
    """One option value per threshold, from a scalar or a sequence of ``count`` values."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != count:
            raise SpecificationError(
                f"{name} has {len(value)} values for {count} threshold(s); give one value or "
                f"{count}."
            )
        values = list(value)
    else:
        values = [value] * count
    try:
        return [kind(v) for v in values]
    except (TypeError, ValueError):
        raise SpecificationError(f"{name} must be numeric, got {value!r}.") from None


def _check_rank(base: np.ndarray, names: list[str]) -> None:
    """Regressors absorbed by the effects or collinear with one another are an error."""
    sv = np.linalg.svd(base, compute_uv=False)
    if sv.size and sv[-1] <= 1e-10 * max(sv[0], 1e-300):
        norms = np.linalg.norm(base, axis=0)
        absorbed = [nm for nm, v in zip(names, norms) if v <= 1e-10 * max(norms.max(), 1e-300)]
        what = f"{absorbed} do not vary within regions" if absorbed else "they are collinear"
        raise CollinearityError(
            f"The regressors {names} cannot all be estimated with fixed effects: {what}. Drop "
            "the absorbed or redundant ones."
        )


def _with_min_count(search: _Search, trim: float) -> _Search:
    """The search with the regime-size floor of ``trim``."""
    return replace(search, min_count=max(1, math.ceil(trim * search.q.size)))


def _bootstrap_f(
    search: _Search,
    null: tuple[float, ...],
    depth: int,
    draws: int,
    rng: np.random.Generator,
    n_jobs: int,
    nu: int,
) -> np.ndarray:
    """Bootstrap F statistics of ``depth`` against ``depth - 1`` thresholds (Hansen 1999).

    Residual vectors of whole regions under the null model (thresholds ``null``) are
    drawn with replacement and added to its fitted values; on each draw the thresholds
    are re-estimated sequentially from none.
    """
    if draws == 0:
        return np.empty(0)
    resid = search.projection(null, search.y)[1]
    fitted = (search.y - resid).reshape(search.t, search.n)
    units = rng.integers(0, search.n, size=(draws, search.n))
    panel_resid = resid.reshape(search.t, search.n)

    def batch(rows: np.ndarray) -> np.ndarray:
        ystar = fitted[:, :, None] + np.moveaxis(panel_resid[:, units[rows]], 1, 2)
        responses = search.transform(ystar.reshape(search.n * search.t, rows.size))
        path = _sequential(search, responses, (), depth)
        return (path[depth - 1] - path[depth]) / (path[depth] / nu)

    chunks = np.array_split(np.arange(draws), max(1, math.ceil(draws / _CHUNK)))
    if n_jobs == 1 or len(chunks) == 1:
        parts = [batch(rows) for rows in chunks]
    else:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(batch)(r) for r in chunks)
    stats = np.concatenate(parts)
    bad = int((~np.isfinite(stats)).sum())
    if bad:
        raise EstimationError(
            f"{bad} of {draws} bootstrap draws of the {_STAGES[depth - 1]}-threshold test found "
            "no admissible threshold (a resample with too few distinct observations in a "
            "regime). Lower trim, or use fewer thresholds."
        )
    return stats


def _test_row(model: str, sse: float, nu: int, f_stat: float, boot: np.ndarray) -> dict[str, Any]:
    """One row of the threshold-effect test table, as ``xthreg`` prints it."""
    if boot.size:
        ordered = np.sort(boot)
        crit = [ordered[math.ceil(p * boot.size) - 1] for p in (0.90, 0.95, 0.99)]
        pvalue = float(np.mean(boot >= f_stat))
    else:
        crit, pvalue = [np.nan] * 3, np.nan
    return {
        "model": model,
        "rss": sse,
        "mse": sse / nu,
        "F": f_stat,
        "pvalue": pvalue,
        "crit10": crit[0],
        "crit5": crit[1],
        "crit1": crit[2],
        "draws": int(boot.size),
    }


@dataclass(frozen=True, repr=False)
class ThresholdResults(FrozenTables):
    """Estimates of a panel threshold regression.

    Attributes
    ----------
    params, std_errors, pvalues : Series
        Regime-independent coefficients (by name) and regime coefficients
        ``<name>_r1``, ``<name>_r2``, ... (lowest regime first); p-values from the t
        distribution with ``df_resid`` degrees of freedom (N - 1 when clustered).
    cov : DataFrame
    thresholds : ndarray
        The thresholds of the fitted model, ascending.
    threshold_ci : DataFrame
        By model as ``xthreg`` labels them (``Th-1`` the single model's threshold,
        ``Th-21``/``Th-22`` the refined first and the second of the double model, ``Th-3``
        the third): ``threshold``, ``lower``, ``upper``.
    f_tests : DataFrame
        By model (``single``, ``double``, ``triple``): ``rss``, ``mse``, ``F``, bootstrap
        ``pvalue`` and critical values ``crit10``, ``crit5``, ``crit1``, ``draws``.
    lr : DataFrame
        The likelihood-ratio curve of every search: ``stage``, ``gamma``, ``lr``.
    regimes : DataFrame
        Bounds, observation counts and shares of the regimes.
    regime : Series
        The regime (1, 2, ...) of each region-year.
    rss, r2_within : float
        Of the fitted threshold model.
    nobs, n_regions, n_years, df_resid : int
    options, variables : dict
        Every option resolved at fit, and the variables.
    """

    params: pd.Series
    std_errors: pd.Series
    pvalues: pd.Series
    cov: pd.DataFrame
    thresholds: np.ndarray
    threshold_ci: pd.DataFrame
    f_tests: pd.DataFrame
    lr: pd.DataFrame
    regimes: pd.DataFrame
    regime: pd.Series
    rss: float
    r2_within: float
    nobs: int
    n_regions: int
    n_years: int
    df_resid: int
    options: dict[str, Any]
    variables: dict[str, Any]

    @property
    def tstats(self) -> pd.Series:
        """Coefficients over standard errors."""
        return (self.params / self.std_errors).rename("t")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Intervals of the coefficients from the t distribution with ``df_resid`` dof."""
        from scipy import stats

        half = stats.t.ppf(0.5 + level / 2, self.df_resid) * self.std_errors
        return pd.DataFrame({"lower": self.params - half, "upper": self.params + half})

    def summary(self) -> Summary:
        """Threshold estimates, threshold-effect tests and regime coefficients, as ``xthreg``."""
        level = round(100 * self.options["level"])
        coefs = pd.DataFrame(
            {
                "coef": self.params,
                "std_error": self.std_errors,
                "t": self.tstats,
                "pvalue": self.pvalues,
                "": [stars(p) for p in self.pvalues],
            }
        )
        draws = " ".join(str(d) for d in self.options["bootstrap"])
        v = self.variables
        return Summary(
            title="Fixed-effects panel threshold regression (Hansen 1999)",
            tables=(
                (f"Threshold estimator (level = {level})", self.threshold_ci),
                (f"Threshold effect test (bootstrap = {draws})", self.f_tests),
                ("Regimes", self.regimes),
                (f"Coefficients ({self.options['cov_type']} standard errors)", coefs),
            ),
            notes=(
                f"y = {v['y']}; threshold variable q = {v['q']}; regime-dependent: "
                f"{', '.join(v['regime'])}. N = {self.n_regions}, T = {self.n_years}, "
                f"effects = {self.options['effects']}, trim = {self.options['trim']}, grid = "
                f"{self.options['grid']}. F = (S0 - S1) / (S1 / (N (T - 1))); p-values from "
                "region-resampling bootstrap draws.",
            ),
        )

    def plot_lr(self, *, stage: str | None = None, ax: Any = None) -> Figure:
        """The likelihood-ratio curve LR(gamma) of each search, with the critical value.

        ``stage`` picks one search (``"Th-1"``, ``"Th-21"``, ``"Th-22"``, ``"Th-3"``);
        by default one panel per search.
        """
        from spatial.viz.figure import new_figure

        stages = [stage] if stage is not None else list(self.threshold_ci.index)
        unknown = [s for s in stages if s not in self.threshold_ci.index]
        if unknown:
            raise SpecificationError(
                f"stage {unknown[0]!r} is not one of {list(self.threshold_ci.index)}."
            )
        if ax is None:
            fig = new_figure((4.2 * len(stages), 3.6))
            axes = fig.subplots(1, len(stages), squeeze=False)[0]
        else:
            fig, axes = ax.figure, [ax]
        critical = lr_critical_value(self.options["level"])
        lr = self.lr
        for axis, name in zip(axes, stages):
            part = lr[lr["stage"] == name]
            axis.plot(part["gamma"], part["lr"], lw=1.0, color="C0")
            axis.axhline(critical, ls="--", lw=0.8, color="C3")
            axis.axvline(self.threshold_ci.loc[name, "threshold"], ls=":", lw=0.8, color="0.4")
            axis.set_title(name)
            axis.set_xlabel(f"threshold ({self.variables['q']})")
            axis.set_ylabel("LR")
        return fig
