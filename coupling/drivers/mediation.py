"""Mediation analysis with fixed effects: the stepwise equations, Sobel tests, bootstrap intervals.

:func:`mediation` estimates the equations of the causal-steps approach (Baron and
Kenny 1986) with region and/or year fixed effects, each by the one fixed-effects
OLS of the toolkit (:func:`spatial.models.ols.panel_ols`):

* total effect: :math:`y = c\\,x + Z\\gamma + \\mu + \\xi + e`;
* mediator ``j``: :math:`m_j = a_j x + \\sum_{i<j} d_{ji} m_i + Z\\gamma_j + \\mu + \\xi + e_j`
  (the :math:`d_{ji}` only for chained mediators);
* outcome: :math:`y = c' x + \\sum_j b_j m_j + Z\\gamma_y + \\mu + \\xi + e_y`,

and reports the indirect effects (products of path coefficients), the direct
effect :math:`c'`, the total effect :math:`c`, the proportion mediated, Sobel
(delta-method) tests and bootstrap intervals. The bootstrap is batched: every
resample is transformed and solved at once with stacked QR decompositions, not
refitted in a Python loop. :func:`~coupling.drivers.moderation.moderation` and
:func:`~coupling.drivers.spatial_mediation.spatial_mediation` live beside it.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from spatial._core.distributions import normal_quantile, normal_two_sided, t_two_sided
from spatial._core.errors import ColumnNotFoundError, InvalidOptionError, SpecificationError
from spatial._core.messages import format_items, suggest
from spatial._core.options import check_option, check_seed
from spatial._core.panel import PanelArrays, panel_arrays
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.exceptions import CollinearityError
from spatial.models.ols import OLSCovType, PanelOLS, panel_ols
from spatial.models.transform import Effects, within_transform

from ..exceptions import BootstrapFailureError, BootstrapFailureWarning, InsufficientDataError

__all__ = [
    "MIN_BOOTSTRAP_REGIONS",
    "BootstrapFailureError",
    "BootstrapFailureWarning",
    "MediationEffects",
    "MediationResults",
    "mediation",
]

#: Fixed effects of the equations; ``"region"`` and ``"year"`` are the toolkit's
#: ``"individual"`` and ``"time"``.
MediationEffects = Literal["twoways", "individual", "time", "region", "year", "none"]
CI = Literal["percentile", "bc"]
_EFFECT_NAMES: dict[str, Effects] = {
    "twoways": "twoways", "individual": "individual", "region": "individual",
    "time": "time", "year": "time", "none": "none",
}  # fmt: skip
#: The cluster bootstrap resamples regions; below this many it is refused.
MIN_BOOTSTRAP_REGIONS = 10
#: A resampled design whose column-scaled QR has ``min |R_kk|`` below this is singular.
RANK_TOLERANCE = 1e-10
#: Floats held by one batch of resampled panels (about 32 MB).
_BATCH_FLOATS = 4_000_000


# ----------------------------------------------------------------------------- shared helpers
def _effects_option(effects: str) -> Effects:
    check_option("effects", effects, tuple(_EFFECT_NAMES))
    return _EFFECT_NAMES[effects]


def _names(value: str | Sequence[str], role: str) -> tuple[str, ...]:
    names = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(v, str) for v in names):
        raise SpecificationError(f"{role} must be column names (str), got {list(names)!r}.")
    return names


def _check_roles(roles: Mapping[str, tuple[str, ...]]) -> None:
    """Every variable plays one role: y, x, mediators/moderator and controls are distinct."""
    seen: dict[str, str] = {}
    for role, names in roles.items():
        for name in names:
            if name in seen:
                other = seen[name]
                what = "twice" if other == role else f"as {other} and as {role}"
                raise SpecificationError(
                    f"Column {name!r} is given {what}; each variable plays one role (a mediator "
                    "equal to y or x is not a mediator). Remove it from one of the lists."
                )
            seen[name] = role


def _load(
    data: pd.DataFrame,
    columns: Sequence[str],
    region: Hashable | None,
    year: Hashable | None,
    effects: Effects,
) -> PanelArrays:
    """The variables as a ``(T, N, K)`` panel; a cross-section when region and year are None."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    two_level = isinstance(data.index, pd.MultiIndex) and data.index.nlevels == 2
    if region is None and year is None and not two_level:
        if effects != "none":
            raise SpecificationError(
                f"effects={effects!r} needs panel keys: name the region and year columns "
                "(region=..., year=...), or pass effects='none' for a cross-section."
            )
        missing = [c for c in columns if c not in data.columns]
        if missing:
            hints = "".join(suggest(c, data.columns) for c in missing)
            raise ColumnNotFoundError(
                f"Column(s) {missing} are not in the data.{hints} Available columns: "
                f"{format_items(list(data.columns), 12)}."
            )
        keyed = data[list(columns)].reset_index(drop=True)
        keyed["_row"] = np.arange(len(keyed))
        keyed["_period"] = 0
        return panel_arrays(keyed, columns, "_row", "_period")
    return panel_arrays(data, columns, region, year)


def _check_level(level: float) -> float:
    if not (isinstance(level, (float, int)) and 0 < float(level) < 1):
        raise InvalidOptionError(f"level must lie in (0, 1), got {level!r}.")
    return float(level)


def _coef_table(fit: PanelOLS, cov_type: str, n_regions: int) -> pd.DataFrame:
    """Coefficients, standard errors, t statistics and p-values of one fit.

    p-values use Student's t with the residual degrees of freedom, or with
    ``G - 1`` for the cluster covariance (Cameron and Miller 2015; statsmodels'
    ``use_t`` convention).
    """
    se = np.sqrt(np.diag(fit.cov))
    t = fit.coef / se
    df = n_regions - 1 if cov_type == "cluster" else fit.dof
    return pd.DataFrame(
        {"coef": fit.coef, "std_error": se, "t": t, "p_value": t_two_sided(df, t)},
        index=pd.Index(fit.names, name="term"),
    )


def _fit(
    values: np.ndarray,
    dependent: int,
    regressors: Sequence[int],
    names: Sequence[str],
    effects: Effects,
    cov_type: OLSCovType,
    label: str,
) -> PanelOLS:
    target = values[:, :, dependent]
    within = within_transform(target, effects)
    if effects != "none" and not np.any(np.abs(within) > 1e-12 * max(1.0, np.abs(target).max())):
        raise CollinearityError(
            f"{names[dependent]!r}, the dependent variable of the {label} equation, does not "
            f"vary once effects={effects!r} are removed (it is constant within regions or "
            "years): there is nothing to explain. Use another variable or change effects."
        )
    try:
        return panel_ols(
            values[:, :, dependent],
            values[:, :, list(regressors)],
            effects,
            names=tuple(names[r] for r in regressors),
            cov_type=cov_type,
        )
    except CollinearityError as err:
        raise CollinearityError(
            f"The regressors of the {label} equation ({', '.join(names[r] for r in regressors)}) "
            f"are collinear, or one is absorbed by effects={effects!r}: a mediator that is a "
            "linear function of x (or of the controls) carries no separate variation. Drop "
            f"or replace that variable, or change effects. ({err})"
        ) from err


# ----------------------------------------------------------------------------- batched OLS
def batched_least_squares(
    design: np.ndarray, target: np.ndarray, *, tol: float = RANK_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients of many regressions at once, by stacked QR decompositions.

    Parameters
    ----------
    design : ndarray, shape (B, n, k)
    target : ndarray, shape (B, n)
    tol : float
        A regression is singular when a column is zero or the smallest
        :math:`|R_{kk}|` of the QR decomposition of its column-normalised design
        is below ``tol``.

    Returns
    -------
    coef : ndarray, shape (B, k)
        NaN rows for singular regressions.
    ok : ndarray of bool, shape (B,)

    Examples
    --------
    Two regressions through the origin, the second with a zero regressor:

    >>> z = np.array([[[1.0], [2.0]], [[0.0], [0.0]]])
    >>> coef, ok = batched_least_squares(z, np.array([[2.0, 4.0], [1.0, 2.0]]))
    >>> coef.ravel().tolist(), ok.tolist()
    ([2.0, nan], [True, False])
    """
    norms = np.sqrt(np.einsum("bnk,bnk->bk", design, design))
    ok = (norms > 0).all(axis=1)
    coef = np.full(design.shape[::2], np.nan)
    if not ok.any():
        return coef, ok
    scaled = design[ok] / norms[ok][:, None, :]
    q, r = np.linalg.qr(scaled)
    diag = np.abs(np.diagonal(r, axis1=1, axis2=2))
    full_rank = diag.min(axis=1) > tol
    rows = np.flatnonzero(ok)[full_rank]
    ok[:] = False
    ok[rows] = True
    qty = np.einsum("bnk,bn->bk", q[full_rank], target[rows])
    solved = np.linalg.solve(r[full_rank], qty[:, :, None])[:, :, 0]
    coef[rows] = solved / norms[rows]
    return coef, ok


# ----------------------------------------------------------------------------- intervals
def bootstrap_interval(
    draws: np.ndarray, estimate: np.ndarray, level: float, ci: CI
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile or bias-corrected bootstrap interval of each column of ``draws``.

    Notes
    -----
    Percentile: the :math:`(1-\\ell)/2` and :math:`(1+\\ell)/2` quantiles of the draws.
    Bias-corrected: with :math:`z_0 = \\Phi^{-1}(\\#\\{\\theta^*_b < \\hat\\theta\\}/B)`, the
    quantiles :math:`\\Phi(2z_0 \\mp z_{(1+\\ell)/2})` (Efron and Tibshirani 1993, 14.3;
    MacKinnon, Lockwood and Williams 2004); NaN when every draw lies on one side of
    the estimate. Quantiles interpolate linearly between order statistics
    (``numpy.quantile``'s default).

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman and Hall, New York.

    MacKinnon, D. P., Lockwood, C. M. and Williams, J. (2004). Confidence limits
    for the indirect effect: distribution of the product and resampling methods.
    *Multivariate Behavioral Research* 39(1): 99-128.

    Examples
    --------
    >>> draws = np.arange(1.0, 102.0)[:, None]  # 1, 2, ..., 101
    >>> bootstrap_interval(draws, np.array([51.0]), 0.9, "percentile")
    (array([6.]), array([96.]))
    """
    check_option("ci", ci, ("percentile", "bc"))
    tail = (1.0 - level) / 2.0
    if ci == "percentile":
        lower, upper = np.quantile(draws, [tail, 1.0 - tail], axis=0)
        return lower, upper
    share = (draws < estimate[None, :]).mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = normal_quantile(share)
    crit = float(normal_quantile(1.0 - tail))
    from scipy import special

    lower, upper = np.full(draws.shape[1], np.nan), np.full(draws.shape[1], np.nan)
    for k in np.flatnonzero(np.isfinite(z0)):
        probs = special.ndtr([2 * z0[k] - crit, 2 * z0[k] + crit])
        lower[k], upper[k] = np.quantile(draws[:, k], probs)
    return lower, upper


# ----------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class _Spec:
    """Column positions of the equations in the ``(T, N, K)`` array: y 0, x 1, then the
    mediators, then the controls."""

    names: tuple[str, ...]
    n_mediators: int
    chained: bool

    @property
    def controls(self) -> list[int]:
        return list(range(2 + self.n_mediators, len(self.names)))

    def equations(self) -> list[tuple[str, int, list[int]]]:
        """(label, dependent, regressors) of the total, mediator and outcome equations."""
        med = [2 + j for j in range(self.n_mediators)]
        out = [("total", 0, [1, *self.controls])]
        for j, m in enumerate(med):
            earlier = med[:j] if self.chained else []
            out.append((f"mediator: {self.names[m]}", m, [1, *earlier, *self.controls]))
        out.append(("outcome", 0, [1, *med, *self.controls]))
        return out

    def paths(self) -> list[tuple[int, ...]]:
        """Mediator chains (indices 0..k-1) from x to y: single mediators, and with
        ``chained`` every ordered subset (Hayes 2018, model 6)."""
        k = self.n_mediators
        if not self.chained:
            return [(j,) for j in range(k)]
        return [c for size in range(1, k + 1) for c in itertools.combinations(range(k), size)]

    def factors(self, path: tuple[int, ...]) -> list[tuple[int, int]]:
        """(equation, position of the coefficient) of each factor of a path's product.

        Equations are numbered as :meth:`equations` (0 total, 1.. mediators, last outcome),
        positions count the regressors of that equation (without a constant).
        """
        k = self.n_mediators
        first = path[0]
        out = [(1 + first, 0)]  # a: x in the first mediator's equation
        for prev, nxt in itertools.pairwise(path):
            out.append((1 + nxt, 1 + prev))  # d: m_prev in m_next's equation (after x)
        out.append((k + 1, 1 + path[-1]))  # b: the last mediator in the outcome equation
        return out


def _effect_values(spec: _Spec, coefs: Sequence[np.ndarray]) -> np.ndarray:
    """Path effects, total indirect, direct, total (columns) for coefficient rows (B, k)."""
    k = spec.n_mediators
    columns = []
    for path in spec.paths():
        value = np.ones(coefs[0].shape[0])
        for eq, pos in spec.factors(path):
            value = value * coefs[eq][:, pos]
        columns.append(value)
    indirect = np.sum(columns, axis=0)
    direct = coefs[k + 1][:, 0]
    total = coefs[0][:, 0]
    return np.column_stack([*columns, indirect, direct, total])


def _delta_se(spec: _Spec, fits: Sequence[PanelOLS], offset: int) -> np.ndarray:
    """Sobel / first-order delta-method standard errors of the path effects and their sum.

    Coefficients of different equations are treated as uncorrelated (Sobel 1982);
    within an equation their covariance is used. ``offset`` is 1 when the fits
    carry a leading constant (no fixed effects).
    """
    coefs = [f.coef[offset:] for f in fits]
    covs = [f.cov[offset:, offset:] for f in fits]
    grads_all = [np.zeros_like(c) for c in coefs]
    out = []
    for path in spec.paths():
        factors = spec.factors(path)
        grads = [np.zeros_like(c) for c in coefs]
        for i, (eq, pos) in enumerate(factors):
            others = np.prod([coefs[e][p] for j, (e, p) in enumerate(factors) if j != i])
            grads[eq][pos] += others
        for eq in range(len(coefs)):
            grads_all[eq] += grads[eq]
        out.append(sum(float(g @ c @ g) for g, c in zip(grads, covs)))
    out.append(sum(float(g @ c @ g) for g, c in zip(grads_all, covs)))
    return np.sqrt(out)


def _resampled_effects(
    spec: _Spec,
    values: np.ndarray,
    effects: Effects,
    index: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Effects of every resample (rows of ``index``: drawn regions), batched.

    ``values`` is ``(T, N, K)``; each draw takes regions ``index[b]`` (a region drawn
    twice counts as two regions), is within-transformed with ``effects`` and every
    equation is solved by :func:`batched_least_squares`.
    """
    t, n, _ = values.shape
    draws = index.shape[0]
    out = np.full((draws, len(spec.paths()) + 3), np.nan)
    ok_all = np.zeros(draws, dtype=bool)
    step = max(1, _BATCH_FLOATS // max(1, values.size))
    for start in range(0, draws, step):
        block = index[start : start + step]
        sample = np.moveaxis(values[:, block, :], 1, 2)  # (T, N, B, K)
        sample = within_transform(sample, effects)
        stacked = np.moveaxis(sample, 2, 0).reshape(block.shape[0], t * n, -1)  # (B, TN, K)
        coefs, ok = [], np.ones(block.shape[0], dtype=bool)
        for _, dep, regs in spec.equations():
            design = stacked[:, :, regs]
            if effects == "none":
                design = np.concatenate([np.ones((*design.shape[:2], 1)), design], axis=2)
            coef, good = batched_least_squares(design, stacked[:, :, dep])
            coefs.append(coef[:, 1:] if effects == "none" else coef)
            ok &= good
        out[start : start + block.shape[0]] = _effect_values(spec, coefs)
        ok_all[start : start + block.shape[0]] = ok
    return out, ok_all


@dataclass(frozen=True, repr=False)
class MediationResults(FrozenTables):
    """Mediation analysis; from :func:`mediation`.

    Attributes
    ----------
    equations : DataFrame
        Indexed by (``equation``, ``term``): ``coef``, ``std_error``, ``t``, ``p_value``
        of the ``total`` equation (y on x and controls), each ``mediator: <m>``
        equation and the ``outcome`` equation (y on x, the mediators and controls).
    effects : DataFrame
        Indexed by ``effect``: ``indirect (<m>)`` for each mediator (and
        ``indirect (<m1> -> <m2>)`` chains when ``chained``), ``total indirect``,
        ``direct`` (:math:`c'`), ``total`` (:math:`c`) and ``proportion mediated``,
        with ``estimate``, ``std_error`` (Sobel / delta method for indirect effects,
        the coefficient's for direct and total, none for the proportion), ``z``,
        ``p_value`` (normal) and the bootstrap interval ``lower``, ``upper``.
    proportion_mediated : float
        Total indirect effect over the total effect.
    nobs, n_regions, n_years : int
    options : mapping
        y, x, mediators, controls, effects (resolved), chained, cov_type,
        bootstrap, ci, level, seed, resampling (``"regions"`` or ``"rows"``),
        n_failed (dropped singular resamples), max_failed, version.
    bootstrap_draws : ndarray or None
        Effects of the kept resamples, ``(draws, effects)`` in the row order of
        :attr:`effects`.
    """

    equations: pd.DataFrame
    effects: pd.DataFrame
    proportion_mediated: float
    nobs: int
    n_regions: int
    n_years: int
    options: Mapping[str, Any]
    bootstrap_draws: np.ndarray | None = field(default=None, compare=False)

    @property
    def indirect(self) -> float:
        """The total indirect effect."""
        return float(self.effects.loc["total indirect", "estimate"])

    def summary(self) -> Summary:
        """The equations and the effects with Sobel tests and bootstrap intervals."""
        opts = self.options
        notes = [
            f"y = {opts['y']}, x = {opts['x']}, mediators = {', '.join(opts['mediators'])}"
            f"{' (chained)' if opts['chained'] else ''}; controls: "
            f"{', '.join(opts['controls']) or 'none'}; effects={opts['effects']}, "
            f"cov_type={opts['cov_type']}; {self.nobs} observations "
            f"({self.n_regions} regions x {self.n_years} years).",
            "Indirect effects: Sobel (delta-method) z tests; direct and total: the "
            "coefficient's standard error.",
        ]
        if opts["bootstrap"]:
            notes.append(
                f"{opts['ci']} bootstrap intervals at {opts['level']:.0%}: {opts['bootstrap']} "
                f"resamples of {opts['resampling']} (seed {opts['seed']}), {opts['n_failed']} "
                "singular resamples dropped."
            )
        return Summary(
            f"Mediation of {opts['x']} -> {opts['y']}",
            (("Equations", self.equations), ("Effects", self.effects)),
            tuple(notes),
        )


def mediation(
    data: pd.DataFrame,
    *,
    y: str,
    x: str,
    mediators: str | Sequence[str],
    controls: str | Sequence[str] = (),
    region: Hashable | None = "region",
    year: Hashable | None = "year",
    effects: MediationEffects = "twoways",
    chained: bool = False,
    cov_type: OLSCovType = "cluster",
    bootstrap: int = 1000,
    ci: CI = "percentile",
    level: float = 0.95,
    seed: int | None = None,
    max_failed: float = 0.01,
) -> MediationResults:
    """Mediation of the effect of ``x`` on ``y`` by one or more mediators, with fixed effects.

    Parameters
    ----------
    data : DataFrame
        A long (region, year) panel, or with ``region=None, year=None`` and
        ``effects="none"`` a cross-section (one row per observation). Not modified.
    y, x : str
        Outcome and cause.
    mediators : str or sequence of str
        One or more mediators (parallel; in order of the chain when ``chained``).
    controls : str or sequence of str
        Covariates of every equation.
    region, year : hashable or None
        Panel keys (columns or index levels).
    effects : {"twoways", "individual", "time", "region", "year", "none"}
        Fixed effects of every equation (``"region"`` = ``"individual"``,
        ``"year"`` = ``"time"``); ``"none"`` estimates a constant.
    chained : bool
        Serial mediation: each mediator's equation also has the earlier mediators,
        and every chain x -> m_i -> ... -> m_j -> y is an indirect effect (Hayes
        2018, model 6).
    cov_type : {"cluster", "HC1", "nonrobust"}
        Covariance of every equation (cluster: by region).
    bootstrap : int
        Resamples (0 for none): regions with replacement (cluster bootstrap) with
        fixed effects, observations (rows) with ``effects="none"``.
    ci : {"percentile", "bc"}
        Percentile or bias-corrected bootstrap intervals.
    level : float
        Confidence level.
    seed : int or None
        Seed of the resampling (a private ``numpy.random.Generator``).
    max_failed : float
        Largest share of singular resamples that are dropped (with a
        :class:`BootstrapFailureWarning`); more raise :class:`BootstrapFailureError`.

    Returns
    -------
    MediationResults

    Raises
    ------
    SpecificationError
        A variable given in two roles (a mediator equal to y or x), no mediator.
    ColumnNotFoundError, MissingValueError, UnbalancedPanelError
        From the panel validator.
    CollinearityError
        A mediator collinear with x (or the controls), or absorbed by the effects.
    InsufficientDataError
        Fewer than :data:`MIN_BOOTSTRAP_REGIONS` regions for the cluster bootstrap.
    BootstrapFailureError
        More than ``max_failed`` of the resamples singular.

    Warns
    -----
    BootstrapFailureWarning
        Singular resamples dropped (their number is ``options["n_failed"]``).

    Notes
    -----
    With the coefficients of the equations above (Baron and Kenny 1986), the
    indirect effect through mediator ``j`` is :math:`a_j b_j`; with chained
    mediators each chain :math:`x \\to m_{s_1} \\to \\dots \\to m_{s_p} \\to y`
    contributes :math:`a_{s_1} d_{s_2 s_1} \\cdots d_{s_p s_{p-1}} b_{s_p}` (Hayes 2018,
    ch. 5; e.g. :math:`a_1 d_{21} b_2`). In linear models estimated on the same
    observations the total effect splits exactly,
    :math:`c = c' + \\sum_{\\text{chains}} (\\text{indirect})`, which is checked. The
    proportion mediated is total indirect / :math:`c`.

    Sobel (1982): :math:`se(a b) = \\sqrt{b^2 se_a^2 + a^2 se_b^2}`, and for longer
    chains and the total indirect effect the first-order delta method
    :math:`\\nabla'\\Sigma\\nabla` with the coefficients of different equations
    uncorrelated; :math:`z = \\text{estimate}/se`, two-sided normal p-values.

    Bootstrap: ``bootstrap`` draws of ``N`` region indices (``rng.integers(0, N,
    size=(bootstrap, N))`` with ``rng = numpy.random.default_rng(seed)``; ``N T``
    row indices with ``effects="none"``), every equation refitted on each resample
    (a region drawn twice is two regions), and percentile or bias-corrected
    intervals (:func:`bootstrap_interval`; MacKinnon, Lockwood and Williams 2004).

    References
    ----------
    Baron, R. M. and Kenny, D. A. (1986). The moderator-mediator variable
    distinction in social psychological research. *Journal of Personality and
    Social Psychology* 51(6): 1173-1182.

    Sobel, M. E. (1982). Asymptotic confidence intervals for indirect effects in
    structural equation models. *Sociological Methodology* 13: 290-312.

    MacKinnon, D. P., Lockwood, C. M. and Williams, J. (2004). Confidence limits
    for the indirect effect: distribution of the product and resampling methods.
    *Multivariate Behavioral Research* 39(1): 99-128.

    Hayes, A. F. (2018). *Introduction to Mediation, Moderation, and Conditional
    Process Analysis*, 2nd ed. Guilford Press, New York.

    Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to
    cluster-robust inference. *Journal of Human Resources* 50(2): 317-372.

    Examples
    --------
    A cross-section built so that :math:`a = 2`, :math:`b = 0.5`, :math:`c' = 1`
    exactly (the residuals are orthogonal to the regressors):

    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0]})
    >>> df["m"] = 2 * df["x"] + [1.0, -2.0, 0.0, 2.0, -1.0]
    >>> df["y"] = df["x"] + 0.5 * df["m"] + [1.0, 0.0, -2.0, 0.0, 1.0]
    >>> res = mediation(df, y="y", x="x", mediators="m", region=None, year=None,
    ...                 effects="none", cov_type="nonrobust", bootstrap=0)
    >>> res.effects["estimate"].round(6).tolist()
    [1.0, 1.0, 1.0, 2.0, 0.5]
    >>> list(res.effects.index)
    ['indirect (m)', 'total indirect', 'direct', 'total', 'proportion mediated']
    """
    y_name, x_name = _names(y, "y"), _names(x, "x")
    meds, ctrl = _names(mediators, "mediators"), _names(controls, "controls")
    if len(y_name) != 1 or len(x_name) != 1:
        raise SpecificationError("y and x must each be one column name.")
    if not meds:
        raise SpecificationError("Give at least one mediator (mediators=[...]).")
    _check_roles({"y": y_name, "x": x_name, "mediators": meds, "controls": ctrl})
    resolved = _effects_option(effects)
    check_option("cov_type", cov_type, ("cluster", "HC1", "nonrobust"))
    check_option("ci", ci, ("percentile", "bc"))
    check_option("chained", chained, (True, False))
    level = _check_level(level)
    seed = check_seed(seed)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)):
        raise InvalidOptionError(
            f"bootstrap must be a whole number of resamples, got {bootstrap!r}."
        )
    if bootstrap < 0 or 0 < bootstrap < 2:
        raise InvalidOptionError(f"bootstrap must be 0 (none) or at least 2, got {bootstrap}.")
    if not 0 <= max_failed < 1:
        raise InvalidOptionError(f"max_failed must lie in [0, 1), got {max_failed!r}.")

    names = (*y_name, *x_name, *meds, *ctrl)
    panel = _load(data, names, region, year, resolved)
    values = panel.values
    t, n, _ = values.shape
    spec = _Spec(names, len(meds), bool(chained))
    fits, tables = [], {}
    for label, dep, regs in spec.equations():
        fit = _fit(values, dep, regs, names, resolved, cov_type, label)
        fits.append(fit)
        tables[label] = _coef_table(fit, cov_type, n)
    offset = 1 if resolved == "none" else 0
    point = _effect_values(spec, [f.coef[None, offset:] for f in fits])[0]
    k_paths = len(spec.paths())
    scale = np.abs(point[: k_paths + 2]).sum() + np.abs(point[-1])
    if abs(point[-1] - point[-2] - point[k_paths]) > 1e-8 * scale + 1e-12:
        raise CollinearityError(  # pragma: no cover - guards the identity c = c' + indirect
            f"The total effect {point[-1]:.10g} differs from direct + indirect "
            f"{point[-2] + point[k_paths]:.10g}: the equations are numerically ill-conditioned."
        )
    se = np.concatenate([
        _delta_se(spec, fits, offset),
        np.sqrt([fits[-1].cov[offset, offset], fits[0].cov[offset, offset]]),
    ])  # fmt: skip
    proportion = point[k_paths] / point[-1] if point[-1] != 0 else np.nan
    estimates = np.append(point, proportion)
    se = np.append(se, np.nan)

    lower = np.full(estimates.size, np.nan)
    upper = np.full(estimates.size, np.nan)
    kept: np.ndarray | None = None
    n_failed = 0
    resampling = "rows" if resolved == "none" else "regions"
    if bootstrap:
        flat = values.reshape(1, t * n, -1) if resolved == "none" else values
        units = flat.shape[1]
        if resolved != "none" and n < MIN_BOOTSTRAP_REGIONS:
            raise InsufficientDataError(
                f"The cluster bootstrap resamples regions, and the panel has only {n} (at "
                f"least {MIN_BOOTSTRAP_REGIONS} are needed for resamples that vary). Use "
                "bootstrap=0 (Sobel tests only), or more regions."
            )
        rng = np.random.default_rng(seed)
        index = rng.integers(0, units, size=(int(bootstrap), units))
        draws, ok = _resampled_effects(spec, flat, resolved, index)
        n_failed = int((~ok).sum())
        if n_failed > max_failed * bootstrap:
            raise BootstrapFailureError(
                f"{n_failed} of {bootstrap} bootstrap resamples had a singular design (more "
                f"than max_failed={max_failed:g} of them): a regressor barely varies within "
                "the resampled regions. Drop or replace it, change effects, or raise max_failed."
            )
        if n_failed:
            warnings.warn(
                f"{n_failed} of {bootstrap} bootstrap resamples had a singular design and were "
                "dropped (options['n_failed']).",
                BootstrapFailureWarning,
                stacklevel=2,
            )
        kept = draws[ok]
        with np.errstate(divide="ignore", invalid="ignore"):
            kept = np.column_stack([kept, kept[:, k_paths] / kept[:, -1]])
        lower, upper = bootstrap_interval(kept, estimates, level, ci)

    labels = [f"indirect ({' -> '.join(meds[i] for i in p)})" for p in spec.paths()]
    labels += ["total indirect", "direct", "total", "proportion mediated"]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = estimates / se
    effects_table = pd.DataFrame(
        {"estimate": estimates, "std_error": se, "z": z, "p_value": normal_two_sided(z),
         "lower": lower, "upper": upper},
        index=pd.Index(labels, name="effect"),
    )  # fmt: skip
    equations = pd.concat(tables, names=["equation", "term"])
    options = {
        "y": y_name[0], "x": x_name[0], "mediators": meds, "controls": ctrl,
        "effects": resolved, "chained": bool(chained), "cov_type": cov_type,
        "bootstrap": int(bootstrap), "ci": ci, "level": level, "seed": seed,
        "resampling": resampling, "n_failed": n_failed, "max_failed": max_failed,
        "version": __version__,
    }  # fmt: skip
    return MediationResults(
        equations=equations,
        effects=effects_table,
        proportion_mediated=float(proportion),
        nobs=t * n,
        n_regions=n,
        n_years=t,
        options=MappingProxyType(options),
        bootstrap_draws=kept,
    )
