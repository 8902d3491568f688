"""Direct, indirect and total effects of spatial models (LeSage and Pace 2009, ch. 2).

For a lag model the effects of regressor ``k`` come from
:math:`S_k = (I - \\rho W)^{-1}(\\beta_k I + \\theta_k W)`: direct
:math:`= tr(S_k)/N`, total :math:`= 1'S_k 1/N`, indirect = total - direct.
Through the spectral sums of :mod:`spatial.models.spectral` each is
:math:`\\beta_k a(\\rho) + \\theta_k b(\\rho)` with scalar multipliers, so many
simulation draws cost one array operation and no N x N inverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from spatial._core.distributions import normal_quantile, normal_two_sided
from spatial._core.options import check_option
from spatial._core.summary import Summary

from ..exceptions import SpecificationError
from .spectral import EigenSpectrum, SeriesSpectrum

__all__ = [
    "EFFECTS",
    "ImpactsResults",
    "Multipliers",
    "compute_impacts",
    "multipliers",
    "unit_impacts",
]

EFFECTS = ("direct", "indirect", "total")
#: The column index of every table of effects (an immutable Index, shared).
_EFFECT_COLUMNS = pd.Index(EFFECTS, name="effect")
Method = Literal["delta", "simulation"]


class Multipliers(NamedTuple):
    """Scalar multipliers of ``beta`` and ``theta`` in direct and total effects, and slopes.

    ``direct = beta * a + theta * b``; ``total = beta * c0 + theta * c1``;
    ``da`` etc. are derivatives in ``rho``. See :func:`multipliers` for the
    formulas.

    References
    ----------
    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.
    """

    a: np.ndarray
    b: np.ndarray
    c0: np.ndarray
    c1: np.ndarray
    da: np.ndarray
    db: np.ndarray
    dc0: np.ndarray
    dc1: np.ndarray


def multipliers(rho: np.ndarray, spectrum: EigenSpectrum | SeriesSpectrum) -> Multipliers:
    """Effect multipliers for each value of ``rho``.

    Notes
    -----
    :math:`a = tr(I-\\rho W)^{-1}/N`, :math:`b = tr\\,W(I-\\rho W)^{-1}/N`,
    :math:`c_0 = 1'(I-\\rho W)^{-1}1/N`, :math:`c_1 = 1'(I-\\rho W)^{-1}W1/N`; for a
    row-standardized W, :math:`c_0 = c_1 = 1/(1-\\rho)`. They are the average
    diagonal and the average row sum of :math:`(I - \\rho W)^{-1}` and of
    :math:`W(I - \\rho W)^{-1}` (LeSage and Pace 2009, ch. 2). The slopes use
    :math:`\\partial (I - \\rho W)^{-1}/\\partial\\rho = W(I - \\rho W)^{-2}`:
    :math:`a' = tr\\,W(I-\\rho W)^{-2}/N`, :math:`b' = tr\\,W^2(I-\\rho W)^{-2}/N`,
    :math:`c_0' = 1'W(I-\\rho W)^{-2}1/N`, :math:`c_1' = 1'W^2(I-\\rho W)^{-2}1/N`,
    all evaluated through the spectral sums of :mod:`spatial.models.spectral`.

    References
    ----------
    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    For the W with eigenvalues 1 and -1, :math:`a = 1/(1 - \\rho^2)`,
    :math:`b = \\rho/(1 - \\rho^2)`, :math:`c_0 = c_1 = 1/(1 - \\rho)`, so at
    :math:`\\rho = 0.5`: :math:`a = 4/3`, :math:`b = 2/3`, :math:`a' = 2\\rho/(1-\\rho^2)^2 = 16/9`,
    :math:`b' = (1 + \\rho^2)/(1 - \\rho^2)^2 = 20/9` and :math:`c' = 1/(1-\\rho)^2 = 4`:

    >>> m = multipliers(np.array([0.5]), EigenSpectrum([1.0, -1.0]))
    >>> [round(float(value[0]), 4) for value in m]
    [1.3333, 0.6667, 2.0, 2.0, 1.7778, 2.2222, 4.0, 4.0]
    """
    n = spectrum.n
    r = np.asarray(rho, dtype=np.float64)
    return Multipliers(
        spectrum.sum(r, 0, 1) / n,
        spectrum.sum(r, 1, 1) / n,
        spectrum.sum(r, 0, 1, "total"),
        spectrum.sum(r, 1, 1, "total"),
        spectrum.sum(r, 1, 2) / n,
        spectrum.sum(r, 2, 2) / n,
        spectrum.sum(r, 1, 2, "total"),
        spectrum.sum(r, 2, 2, "total"),
    )


@dataclass(frozen=True)
class ImpactsResults:
    """Direct, indirect and total effects with their inference.

    Attributes
    ----------
    estimates, std_errors, zstats, pvalues : DataFrame
        Variables in rows, ``direct``/``indirect``/``total`` in columns.
    method : str
        ``delta`` or ``simulation``.
    level : float
        Default confidence level of :meth:`conf_int`.
    n_draws, n_discarded : int
        Simulation draws, and draws discarded because ``rho`` fell outside its
        admissible interval (not clamped).
    seed : int or None
    estimate : str
        ``plugin`` (effects at the estimates, the convention of LeSage and Pace)
        or ``mean`` (mean of the draws, as SDPDmod and Elhorst's code report).
    draws : ndarray or None
        Simulated effects ``(n_valid, variables, 3)``.
    by_unit : DataFrame or None
        With ``impacts(by_unit=True)``: the effects on each region, one row per
        (region, variable, effect), with delta-method standard errors, z, p-values
        and intervals (:func:`unit_impacts`).

    Notes
    -----
    :attr:`zstats` is estimate / standard error and :attr:`pvalues` is
    :math:`2(1 - \\Phi(|z|))`. :meth:`conf_int` gives
    :math:`\\hat e \\pm z_{(1+\\ell)/2}\\,se` for the delta method and the
    :math:`(1-\\ell)/2` and :math:`(1+\\ell)/2` percentiles of the draws for the
    simulation (LeSage and Pace 2009).

    References
    ----------
    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.
    """

    estimates: pd.DataFrame
    std_errors: pd.DataFrame
    method: str
    level: float = 0.95
    n_draws: int = 0
    n_discarded: int = 0
    seed: int | None = None
    estimate: str = "plugin"
    draws: np.ndarray | None = None
    by_unit: pd.DataFrame | None = None

    @property
    def zstats(self) -> pd.DataFrame:
        """Estimate divided by standard error."""
        return self.estimates / self.std_errors

    @property
    def pvalues(self) -> pd.DataFrame:
        """Two-sided normal p-values of the z statistics."""
        return pd.DataFrame(
            normal_two_sided(self.zstats.to_numpy()),
            index=self.estimates.index,
            columns=self.estimates.columns,
        )

    def conf_int(self, level: float | None = None) -> pd.DataFrame:
        """Intervals per variable and effect: normal (delta) or percentile (simulation)."""
        lev = self.level if level is None else level
        if not 0 < lev < 1:
            raise SpecificationError(f"level must lie in (0, 1), got {lev!r}.")
        if self.draws is not None:
            tail = (1 - lev) / 2
            lower, upper = np.quantile(self.draws, [tail, 1 - tail], axis=0)
        else:
            half = normal_quantile(0.5 + lev / 2) * self.std_errors.to_numpy()
            lower = self.estimates.to_numpy() - half
            upper = self.estimates.to_numpy() + half
        columns = pd.MultiIndex.from_product([EFFECTS, ["lower", "upper"]])
        values = np.stack([lower, upper], axis=-1).reshape(lower.shape[0], -1)
        return pd.DataFrame(values, index=self.estimates.index, columns=columns)

    def to_frame(self) -> pd.DataFrame:
        """Long table: variable, effect, estimate, std_error, z, p-value, interval."""
        ci = self.conf_int()
        rows = []
        for var in self.estimates.index:
            for eff in EFFECTS:
                rows.append({
                    "variable": var,
                    "effect": eff,
                    "estimate": self.estimates.loc[var, eff],
                    "std_error": self.std_errors.loc[var, eff],
                    "z": self.zstats.loc[var, eff],
                    "p_value": self.pvalues.loc[var, eff],
                    "lower": ci.loc[var, (eff, "lower")],
                    "upper": ci.loc[var, (eff, "upper")],
                })  # fmt: skip
        return pd.DataFrame(rows)

    def summary(self) -> Summary:
        """Effects with standard errors and p-values, one table per effect."""
        tables = []
        for eff in EFFECTS:
            table = pd.DataFrame({
                "estimate": self.estimates[eff],
                "std.err.": self.std_errors[eff],
                "z": self.zstats[eff],
                "P>|z|": self.pvalues[eff],
            })  # fmt: skip
            tables.append((f"{eff.capitalize()} effects", table))
        note = f"method={self.method}"
        if self.method == "simulation":
            note += (
                f", {self.n_draws} draws (seed {self.seed}), {self.n_discarded} discarded with "
                f"rho outside its interval, point estimate: {self.estimate}"
            )
        return Summary("Impacts", tuple(tables), (note,))


def compute_impacts(
    names: tuple[str, ...],
    params: np.ndarray,
    cov: np.ndarray,
    beta_index: np.ndarray,
    theta_index: np.ndarray,
    rho_index: int | None,
    spectrum: EigenSpectrum | SeriesSpectrum,
    bounds: tuple[float, float],
    *,
    method: Method = "delta",
    n_draws: int = 1000,
    seed: int | None = 0,
    estimate: Literal["plugin", "mean"] = "plugin",
    level: float = 0.95,
) -> ImpactsResults:
    """Effects and their inference for a fitted model.

    Parameters
    ----------
    names : tuple of str
        The regressors whose effects are reported.
    params, cov : ndarray
        All estimated coefficients (without ``sigma2``) and their covariance.
    beta_index, theta_index : ndarray of int
        Position of each regressor's ``beta`` and ``theta`` in ``params``
        (``-1`` where the regressor is not lagged).
    rho_index : int or None
        Position of ``rho``; ``None`` for models without a spatial lag of ``y``
        (SLX, SDEM), whose effects are ``beta`` (direct) and ``theta c1`` (indirect).
    spectrum : EigenSpectrum or SeriesSpectrum
    bounds : (float, float)
        Admissible interval of ``rho`` (draws outside are discarded).
    method : {"delta", "simulation"}
    n_draws, seed, estimate, level
        Simulation settings (see :class:`ImpactsResults`).

    Returns
    -------
    ImpactsResults

    Notes
    -----
    For regressor ``k`` with coefficients :math:`\\beta_k` and :math:`\\theta_k`
    (:math:`\\theta_k = 0` if not lagged) and the :func:`multipliers` at
    :math:`\\rho`, direct :math:`= \\beta_k a + \\theta_k b`, total
    :math:`= \\beta_k c_0 + \\theta_k c_1` and indirect = total - direct (LeSage and
    Pace 2009, ch. 2; Elhorst 2014, ch. 2). Without a lag of ``y``,
    :math:`\\rho = 0` gives direct :math:`\\beta_k` and indirect
    :math:`\\theta_k c_1(0)`.

    ``delta``: the variance of each effect :math:`e` is
    :math:`\\nabla e'\\,\\widehat{Cov}\\,\\nabla e`, with the gradients of (direct,
    total) :math:`(a, c_0)` in :math:`\\beta_k`, :math:`(b, c_1)` in
    :math:`\\theta_k` and :math:`(\\beta_k a' + \\theta_k b',\\ \\beta_k c_0' + \\theta_k c_1')`
    in :math:`\\rho`, and indirect = total - direct. ``simulation``: ``n_draws``
    parameter vectors from the multivariate normal with mean ``params`` and
    covariance ``cov``, draws with :math:`\\rho` outside ``bounds`` discarded, the
    effects evaluated at each draw and their standard deviation reported
    (LeSage and Pace 2009).

    References
    ----------
    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    A lag model with :math:`\\beta = 2`, :math:`\\rho = 0.5`, :math:`Var(\\hat\\beta) = 0.01`,
    :math:`Var(\\hat\\rho) = 0.0025` and the W with eigenvalues 1 and -1
    (:func:`multipliers`): direct :math:`2 \\cdot 4/3`, total :math:`2 \\cdot 2`;
    delta-method variances :math:`(4/3)^2 0.01 + (32/9)^2 0.0025 = (2/9)^2` (direct)
    and :math:`2^2 0.01 + 8^2 0.0025 = 0.2` (total):

    >>> res = compute_impacts(("x",), np.array([2.0, 0.5]), np.diag([0.01, 0.0025]),
    ...                       np.array([0]), np.array([-1]), 1, EigenSpectrum([1.0, -1.0]),
    ...                       (-1.0, 1.0))
    >>> res.estimates.round(4)
    effect    direct  indirect  total
    variable
    x         2.6667    1.3333    4.0
    >>> res.std_errors.round(4)
    effect    direct  indirect   total
    variable
    x         0.2222     0.232  0.4472
    """
    check_option("method", method, ("delta", "simulation"))
    check_option("estimate", estimate, ("plugin", "mean"))
    beta_index = np.asarray(beta_index)
    theta_index = np.asarray(theta_index)

    def effects_at(p: np.ndarray) -> tuple[np.ndarray, Multipliers]:
        """Effects (draws, K, 3) for parameter rows ``p`` (draws, n_params)."""
        rho = p[:, rho_index] if rho_index is not None else np.zeros(p.shape[0])
        mult = multipliers(rho, spectrum)
        beta = p[:, beta_index]
        theta = np.where(theta_index >= 0, p[:, np.maximum(theta_index, 0)], 0.0)
        direct = beta * mult.a[:, None] + theta * mult.b[:, None]
        total = beta * mult.c0[:, None] + theta * mult.c1[:, None]
        return np.stack([direct, total - direct, total], axis=-1), mult

    point, mult = effects_at(params[None, :])
    frame_index = pd.Index(names, name="variable")

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=frame_index, columns=_EFFECT_COLUMNS)

    if method == "delta":
        k = len(names)
        grads = np.zeros((k, 3, params.size))
        rows = np.arange(k)
        beta, theta = params[beta_index], np.where(theta_index >= 0, params[theta_index], 0.0)
        grads[rows, 0, beta_index] = mult.a[0]
        grads[rows, 2, beta_index] = mult.c0[0]
        lagged = theta_index >= 0
        grads[rows[lagged], 0, theta_index[lagged]] = mult.b[0]
        grads[rows[lagged], 2, theta_index[lagged]] = mult.c1[0]
        if rho_index is not None:
            grads[:, 0, rho_index] = beta * mult.da[0] + theta * mult.db[0]
            grads[:, 2, rho_index] = beta * mult.dc0[0] + theta * mult.dc1[0]
        grads[:, 1] = grads[:, 2] - grads[:, 0]
        variance = np.einsum("kep,pq,keq->ke", grads, cov, grads)
        return ImpactsResults(frame(point[0]), frame(np.sqrt(variance)), "delta", level)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(params, cov, size=int(n_draws), method="cholesky")
    keep = np.ones(draws.shape[0], dtype=bool)
    if rho_index is not None:
        keep = (draws[:, rho_index] > bounds[0]) & (draws[:, rho_index] < bounds[1])
    simulated, _ = effects_at(draws[keep])
    centre = simulated.mean(axis=0) if estimate == "mean" else point[0]
    return ImpactsResults(
        frame(centre),
        frame(simulated.std(axis=0, ddof=1)),
        "simulation",
        level,
        int(n_draws),
        int((~keep).sum()),
        seed,
        estimate,
        simulated,
    )


def unit_impacts(
    names: tuple[str, ...],
    params: np.ndarray,
    cov: np.ndarray,
    beta_index: np.ndarray,
    theta_index: np.ndarray,
    rho_index: int | None,
    eigen: tuple[np.ndarray, np.ndarray, np.ndarray],
    regions: pd.Index,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Direct, indirect and total effects of each regressor on each region, with delta SEs.

    Parameters
    ----------
    names, params, cov, beta_index, theta_index, rho_index
        As for :func:`compute_impacts`.
    eigen : (lam, V, V_inv)
        Eigen-decomposition of W (:meth:`spatial.weights.SpatialWeights.eigen_decomposition`).
    regions : pandas.Index
        Region labels in W's order.
    level : float
        Confidence level of the normal intervals.

    Returns
    -------
    DataFrame
        One row per (region, variable, effect): ``estimate``, ``std_error``, ``z``,
        ``p_value``, ``lower``, ``upper``.

    Notes
    -----
    With :math:`S_k = (I - \\rho W)^{-1}(\\beta_k I + \\theta_k W)
    = V\\,\\mathrm{diag}(g)\\,V^{-1}`,
    :math:`g_m = (\\beta_k + \\theta_k\\lambda_m)/(1 - \\rho\\lambda_m)`, region ``i``'s direct
    effect is :math:`(S_k)_{ii} = \\sum_m V_{im}(V^{-1})_{mi} g_m` (the effect of its own
    :math:`x_k` on its own :math:`y`), its total effect the row sum
    :math:`(S_k 1)_i = \\sum_m V_{im} (V^{-1}1)_m g_m` (the effect on its :math:`y` of a
    change of :math:`x_k` in every region), and the indirect effect their difference
    (LeSage and Pace 2009, section 2.7). Their averages over regions are the summary
    effects of :func:`compute_impacts`. Standard errors by the delta method with the
    analytic gradients :math:`\\partial g_m/\\partial\\beta_k = 1/(1-\\rho\\lambda_m)`,
    :math:`\\partial g_m/\\partial\\theta_k = \\lambda_m/(1-\\rho\\lambda_m)` and
    :math:`\\partial g_m/\\partial\\rho = \\lambda_m g_m/(1-\\rho\\lambda_m)`.

    References
    ----------
    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.
    """
    lam, vectors, inverse = eigen
    own = vectors * inverse.T  # (N, M): V_im (V^-1)_mi
    row = vectors * (inverse @ np.ones(len(lam)))[None, :]  # (N, M): V_im (V^-1 1)_m
    rho = float(params[rho_index]) if rho_index is not None else 0.0
    denominator = 1.0 - rho * lam
    half = stats_quantile(level)
    frames = []
    for k, name in enumerate(names):
        beta = float(params[beta_index[k]])
        theta = float(params[theta_index[k]]) if theta_index[k] >= 0 else 0.0
        g = (beta + theta * lam) / denominator
        slopes = {int(beta_index[k]): 1.0 / denominator}
        if theta_index[k] >= 0:
            slopes[int(theta_index[k])] = lam / denominator
        if rho_index is not None:
            slopes[int(rho_index)] = lam * g / denominator
        positions = list(slopes)
        block = cov[np.ix_(positions, positions)]
        values, grads = {}, {}
        for effect, basis in (("direct", own), ("total", row)):
            values[effect] = np.real(basis @ g)
            grads[effect] = np.stack([np.real(basis @ slopes[p]) for p in positions], axis=1)
        values["indirect"] = values["total"] - values["direct"]
        grads["indirect"] = grads["total"] - grads["direct"]
        for effect in EFFECTS:
            se = np.sqrt(np.einsum("ip,pq,iq->i", grads[effect], block, grads[effect]))
            frames.append(pd.DataFrame({
                "region": regions, "variable": name, "effect": effect,
                "estimate": values[effect], "std_error": se,
            }))  # fmt: skip
    table = pd.concat(frames, ignore_index=True)
    table["z"] = table["estimate"] / table["std_error"]
    table["p_value"] = normal_two_sided(table["z"].to_numpy())
    table["lower"] = table["estimate"] - half * table["std_error"]
    table["upper"] = table["estimate"] + half * table["std_error"]
    return table


def stats_quantile(level: float) -> float:
    """The two-sided normal critical value of a ``level`` interval (1.96 for 0.95)."""
    if not 0 < level < 1:
        raise SpecificationError(f"level must lie in (0, 1), got {level!r}.")
    return float(normal_quantile(0.5 + level / 2))
