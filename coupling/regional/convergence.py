"""Sigma and beta convergence of a score across regions.

Sigma convergence
    The dispersion of the value across regions falls over time. Measured per
    year by the standard deviation and the coefficient of variation
    :math:`CV_t = s_t / \\bar y_t`, overall and within groups, with a trend
    test: the OLS slope of :math:`CV_t` on time and its t-test p-value.

Beta convergence
    Regions with a low value grow faster. With
    :math:`g_{i,t} = \\ln(y_{i,t+1} / y_{i,t})`:

    * absolute: :math:`g_{i,t} = a + \\beta \\ln y_{i,t} + \\varepsilon_{i,t}`,
      pooled OLS (:func:`spatial.models.ols.panel_ols`);
    * conditional: :math:`g_{i,t} = \\mu_i + \\lambda_t + \\beta \\ln y_{i,t}
      + X_{i,t}\\gamma + \\varepsilon_{i,t}` with fixed effects (absorbed by
      the within transformation of :func:`spatial.models.ols.panel_ols`) and optional controls;
    * spatial: with a weights matrix, the spatial Durbin panel model
      :math:`g_t = \\rho W g_t + \\beta \\ln y_t + \\theta W \\ln y_t + X_t\\gamma
      + WX_t\\delta + \\mu + \\lambda_t + \\varepsilon_t` of
      :class:`spatial.SpatialDurbinPanel`, with the direct, indirect and total
      effects of :math:`\\ln y_t`.

    :math:`\\beta < 0` means convergence, at the speed
    :math:`s = -\\ln(1 + \\beta)/\\tau` per period (``tau`` periods per
    observation step) with half-life :math:`\\ln 2 / s`.

References
----------
Barro, R. J. and Sala-i-Martin, X. (1992). Convergence. *Journal of Political
Economy* 100(2): 223-251.

Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
Spatial Panels*. Springer.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from spatial._core.distributions import t_two_sided
from spatial._core.messages import format_items
from spatial._core.options import check_option
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.exceptions import CollinearityError
from spatial.models.ols import panel_ols
from spatial.viz.figure import new_axes, save_figure, year_axis, years_on_axis

from ..data import Balance, panel_arrays
from ..exceptions import (
    DegenerateIndexError,
    InsufficientDataError,
    InvalidOptionError,
    NegativeValueError,
    SpecificationError,
)
from ..results import CouplingResults
from ._inputs import ValuePanel, as_table, check_nonnegative, region_groups, value_panel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from spatial.weights import SpatialWeights

__all__ = [
    "BetaConvergenceResults",
    "SigmaConvergenceResults",
    "beta_convergence",
    "convergence_speed",
    "sigma_convergence",
]

Kind = Literal["absolute", "conditional"]
Effects = Literal["none", "individual", "time", "twoways"]
CovType = Literal["nonrobust", "HC1", "cluster"]


# ------------------------------------------------------------------- sigma
@dataclass(frozen=True, repr=False)
class SigmaConvergenceResults(FrozenTables):
    """Dispersion by year and its trend; from :func:`sigma_convergence`.

    Attributes
    ----------
    dispersion : DataFrame
        Long table: ``scope`` (``"all"`` or a group), year, ``n``, ``mean``,
        ``sd`` and ``cv`` (``sd / mean``).
    trend : DataFrame
        Indexed by scope: ``slope`` of ``cv`` on time (per unit of the year
        labels when numeric, else per period), ``std_error``, ``t``,
        ``p_value``, ``n_years``. A negative, significant slope indicates
        sigma convergence.
    options : mapping
        Value, ``ddof``, groups, time variable, version.
    """

    dispersion: pd.DataFrame
    trend: pd.DataFrame
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """CV by year and scope, and the trend tests."""
        year = self.options["year_name"]
        wide = self.dispersion.pivot(index=year, columns="scope", values="cv")
        notes = (
            f"cv = sd / mean with sd of ddof={self.options['ddof']}; trend: OLS of cv on "
            f"{self.options['time']} with a constant, t test of the slope.",
        )
        return Summary(
            f"Sigma convergence of {self.options['value']}",
            (("Coefficient of variation", wide), ("Trend of the coefficient of variation",
                                                  self.trend)),
            notes,
        )  # fmt: skip

    def plot(self, path: str | PathLike[str] | None = None) -> Figure:
        """Coefficient of variation over time, overall and by group."""
        fig, (ax,) = new_axes()
        year = self.options["year_name"]
        for scope, part in self.dispersion.groupby("scope", sort=False):
            x = years_on_axis(ax, pd.Index(part[year]))
            ax.plot(x, part["cv"].to_numpy(), marker="o", ms=3, label=str(scope))
        ax.set_xlabel(str(year))
        ax.set_ylabel(f"coefficient of variation of {self.options['value']}")
        ax.legend(fontsize="small")
        return save_figure(fig, path)


def _cv_trend(time: np.ndarray, cv: np.ndarray) -> dict[str, float]:
    """OLS slope of ``cv`` on ``time`` with a constant, its standard error, t and two-sided
    p-value on ``n - 2`` degrees of freedom (the toolkit's OLS; one series of T years)."""
    fit = panel_ols(cv[:, None], time[:, None, None], "none", names=("time",))
    slope, se = float(fit.coef[1]), float(np.sqrt(fit.cov[1, 1]))
    return {
        "slope": slope,
        "std_error": se,
        "t": slope / se,
        "p_value": float(t_two_sided(fit.dof, slope / se)),
        "n_years": int(time.size),
    }


def sigma_convergence(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    group: Hashable | None = None,
    groups: Mapping[Any, Hashable] | None = None,
    ddof: int = 0,
    allow_singleton_groups: bool = False,
    balance: Balance = "error",
) -> SigmaConvergenceResults:
    """Coefficient of variation per year (overall and by group) and its time trend.

    Parameters
    ----------
    table : DataFrame or CouplingResults
        Balanced long (region, year) panel with the value.
    value : str, default "D"
        Column to analyse (non-negative).
    region, year : hashable, optional
        Key names; omit both for a (region, year) MultiIndex.
    group, groups : optional
        Groups as a column or a ``{region: group}`` mapping (see
        :func:`coupling.dagum_gini`); adds one scope per group.
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation: 0 gives the
        dispersion :math:`\\sqrt{\\sum_i (y_i - \\bar y)^2 / n}` of Barro and
        Sala-i-Martin (1992); 1 the sample standard deviation.
    allow_singleton_groups : bool, default False
        A group with one region raises unless True.
    balance : {"error", "drop"}
        Unbalanced panel: raise, or drop incomplete regions with a warning.

    Returns
    -------
    SigmaConvergenceResults

    Raises
    ------
    InsufficientDataError
        Fewer than three years (the trend test needs one residual degree of
        freedom).
    NegativeValueError
        Negative values.
    DegenerateIndexError
        A year (or a group-year) with mean 0.

    Notes
    -----
    :math:`CV_t = \\sqrt{\\frac{1}{n - \\mathrm{ddof}}\\sum_i (y_{it} - \\bar y_t)^2}
    / \\bar y_t`; the trend is the OLS regression :math:`CV_t = a + b\\,t + e_t`.
    Equal values in a year give ``cv = 0``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("ababab"), "year": [1, 1, 2, 2, 3, 3],
    ...                    "D": [0.2, 0.6, 0.3, 0.5, 0.35, 0.45]})
    >>> res = sigma_convergence(df, region="region", year="year")
    >>> res.dispersion["cv"].round(4).tolist()
    [0.5, 0.25, 0.125]
    """
    if int(ddof) != ddof or ddof < 0:
        raise InvalidOptionError(f"ddof must be a whole number >= 0, got {ddof!r}.")
    panel = value_panel(table, value, region, year, balance=balance)
    t = panel.values.shape[0]
    if t < 3:
        raise InsufficientDataError(
            f"The trend test of sigma convergence needs at least three years; the table has {t}."
        )
    check_nonnegative(panel, "The coefficient of variation")
    use_groups = group is not None or groups is not None
    codes, labels = region_groups(
        table, panel, group, groups, region, year,
        allow_singleton_groups=allow_singleton_groups, required=False,
    )  # fmt: skip
    scopes: list[tuple[str, np.ndarray]] = [("all", np.ones(codes.size, dtype=bool))]
    if use_groups:
        scopes += [(str(label), codes == j) for j, label in enumerate(labels)]
    time, time_name = year_axis(panel.years)[0], "the year" if _numeric(panel) else "the period"
    rows, trends = [], {}
    for scope, members in scopes:
        part = panel.values[:, members]
        mean = part.mean(axis=1)
        if (mean == 0).any():
            where = [panel.years[i] for i in np.flatnonzero(mean == 0)]
            raise DegenerateIndexError(
                f"The coefficient of variation divides by the mean, which is 0 for scope "
                f"{scope!r} in year(s) {format_items(where)}."
            )
        sd = part.std(axis=1, ddof=int(ddof)) if part.shape[1] > ddof else np.full(t, np.nan)
        cv = sd / mean
        rows.append(pd.DataFrame({
            "scope": scope, panel.year_name: panel.years.to_numpy(), "n": part.shape[1],
            "mean": mean, "sd": sd, "cv": cv,
        }))  # fmt: skip
        trends[scope] = _cv_trend(time, cv)
    trend = pd.DataFrame.from_dict(trends, orient="index")
    trend.index.name = "scope"
    options = {
        "value": value,
        "ddof": int(ddof),
        "group_labels": tuple(labels) if use_groups else (),
        "time": time_name,
        "year_name": panel.year_name,
        "n_regions": len(panel.regions),
        "n_years": t,
        "balance": balance,
        "version": __version__,
    }
    return SigmaConvergenceResults(
        dispersion=pd.concat(rows, ignore_index=True),
        trend=trend,
        options=MappingProxyType(options),
    )


def _numeric(panel: ValuePanel) -> bool:
    return bool(pd.api.types.is_numeric_dtype(panel.years))


# -------------------------------------------------------------------- beta
def convergence_speed(beta: float, tau: float = 1.0) -> tuple[float, float]:
    """Speed ``s = -ln(1 + beta) / tau`` and half-life ``ln 2 / s``.

    NaN speed where ``1 + beta <= 0``; NaN half-life where ``s <= 0`` (no
    convergence).

    Examples
    --------
    >>> [round(v, 4) for v in convergence_speed(-0.1)]
    [0.1054, 6.5788]
    """
    if not (np.isfinite(tau) and tau > 0):
        raise InvalidOptionError(f"tau must be a positive number, got {tau!r}.")
    speed = -float(np.log1p(beta)) / tau if beta > -1 else float("nan")
    half_life = float(np.log(2.0) / speed) if speed > 0 else float("nan")
    return speed, half_life


@dataclass(frozen=True, repr=False)
class BetaConvergenceResults(FrozenTables):
    """Beta convergence regression; from :func:`beta_convergence`.

    Attributes
    ----------
    estimates : DataFrame
        Indexed by variable (``const``, ``ln_<value>``, controls and, for the
        spatial model, ``W_`` terms and ``rho``): ``coef``, ``std_error``,
        ``statistic`` (t for OLS, z for the SDM) and ``p_value``. With fixed
        effects only the slopes are estimated (no ``const``).
    convergence : DataFrame
        One row: ``beta``, ``std_error``, ``p_value``, ``speed``,
        ``half_life`` (in periods of ``tau``).
    impacts : DataFrame or None
        Spatial model only: direct, indirect and total effects of
        ``ln_<value>`` (rows) with ``estimate``, ``std_error``, ``z``,
        ``p_value``.
    data : DataFrame
        The regression table: region, initial year of each period,
        ``growth``, ``ln_<value>`` and controls.
    nobs : int
    r2 : float
        R-squared (OLS) or the within R-squared reported by the SDM.
    model : str
        ``"pooled OLS"``, ``"fixed effects OLS"`` or ``"SDM"``.
    options : mapping
        Kind, effects, covariance, tau, controls, W transform, version.
    fit : object
        The underlying :class:`spatial.models.ols.PanelOLS` or
        :class:`spatial.SpatialPanelResults` fit.
    """

    estimates: pd.DataFrame
    convergence: pd.DataFrame
    impacts: pd.DataFrame | None
    data: pd.DataFrame
    nobs: int
    r2: float
    model: str
    options: Mapping[str, Any]
    fit: Any = field(repr=False, compare=False)

    @property
    def beta(self) -> float:
        """The coefficient of the initial log level."""
        return float(self.convergence["beta"].iloc[0])

    def summary(self) -> Summary:
        """Coefficients, convergence speed and (spatial) effects."""
        tables: list[tuple[str, pd.DataFrame]] = [
            ("Estimates", self.estimates),
            ("Convergence", self.convergence),
        ]
        if self.impacts is not None:
            tables.append((f"Effects of {self.options['ln_name']}", self.impacts))
        opts = self.options
        notes = (
            f"{self.model}, {opts['kind']} beta convergence, effects={opts['effects']}, "
            f"{self.nobs} observations, R2 = {self.r2:.4f}; growth = ln(y[t+1] / y[t]); "
            f"speed = -ln(1 + beta) / tau with tau = {opts['tau']:g}.",
        )
        return Summary(f"Beta convergence of {opts['value']}", tuple(tables), notes)


def _growth_table(
    table: pd.DataFrame,
    value: str,
    controls: tuple[str, ...],
    region: Hashable | None,
    year: Hashable | None,
    balance: Balance,
) -> tuple[pd.DataFrame, str, Hashable, Hashable]:
    panel = panel_arrays(table, [value, *controls], region, year, balance=balance)
    y = panel.values[:, :, 0]
    if y.shape[0] < 2:
        raise InsufficientDataError(
            f"Beta convergence needs growth between at least two years; the table has {y.shape[0]}."
        )
    negative, zero = y < 0, y == 0
    for mask, error, what in ((negative, NegativeValueError, "negative"),
                              (zero, DegenerateIndexError, "zero")):  # fmt: skip
        if mask.any():
            rows, cols = np.nonzero(mask)
            where = [f"({panel.regions[c]}, {panel.years[r]})" for r, c in zip(rows, cols)]
            raise error(
                f"ln {value} is undefined where {value!r} is {what}: {format_items(where)}."
            )
    t, n = y.shape
    log = np.log(y)
    ln_name = f"ln_{value}"
    region_name = panel.region_name if panel.region_name is not None else "region"
    year_name = panel.year_name if panel.year_name is not None else "year"
    reserved = {"growth", ln_name, region_name, year_name} & set(controls)
    if reserved:
        raise SpecificationError(
            f"Control name(s) {sorted(map(str, reserved))} clash with the regression's."
        )
    columns: dict[Hashable, Any] = {
        region_name: np.tile(panel.regions.to_numpy(), t - 1),
        year_name: np.repeat(panel.years.to_numpy()[:-1], n),
        "growth": (log[1:] - log[:-1]).ravel(),
        ln_name: log[:-1].ravel(),
    }
    for c, name in enumerate(controls, start=1):
        columns[name] = panel.values[:-1, :, c].ravel()
    return pd.DataFrame(columns), ln_name, region_name, year_name


def beta_convergence(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    kind: Kind = "absolute",
    controls: Sequence[str] = (),
    effects: Effects | None = None,
    w: SpatialWeights | None = None,
    tau: float = 1.0,
    cov_type: CovType = "nonrobust",
    balance: Balance = "error",
) -> BetaConvergenceResults:
    """Absolute, conditional or spatial beta convergence of a value.

    Parameters
    ----------
    table : DataFrame or CouplingResults
        Balanced long (region, year) panel with the value (positive) and the
        controls.
    value : str, default "D"
        Column whose growth is explained.
    region, year : hashable, optional
        Key names; omit both for a (region, year) MultiIndex.
    kind : {"absolute", "conditional"}
        ``"absolute"``: growth on the initial log level with a constant;
        ``"conditional"``: with fixed effects and the ``controls``.
    controls : sequence of str
        Control columns, taken at the initial year of each period
        (conditional only).
    effects : {"twoways", "individual", "time", "none"}, optional
        Fixed effects of the conditional model (default ``"twoways"``); the
        absolute model has none.
    w : spatial.SpatialWeights, optional
        Spatial weights (matched to the regions by id, used as given: pass a
        row-standardized W as usual). Estimates the spatial Durbin panel model
        with the same effects and reports the effects of the initial level.
    tau : float, default 1
        Length of one observation step in the time unit of the speed.
    cov_type : {"nonrobust", "HC1", "cluster"}
        Covariance of the OLS estimates (``"cluster"``: by region). The SDM
        uses its analytic information matrix.
    balance : {"error", "drop"}
        Unbalanced panel: raise, or drop incomplete regions with a warning.

    Returns
    -------
    BetaConvergenceResults

    Raises
    ------
    InsufficientDataError
        Fewer than two years, or fewer than three with fixed effects.
    NegativeValueError, DegenerateIndexError
        Negative or zero values (no logarithm).
    SpecificationError
        Controls or effects with ``kind="absolute"``, regressors collinear
        with the fixed effects, clashing names.
    InvalidOptionError
        Unknown options, non-positive ``tau``.

    Notes
    -----
    :math:`g_{i,t} = \\ln(y_{i,t+1}/y_{i,t})` is regressed on
    :math:`\\ln y_{i,t}`; OLS fits use :func:`spatial.models.ols.panel_ols` (the
    within estimator, equal to OLS on region and period dummies, with the
    absorbed effects counted in the degrees of freedom), the spatial fit
    ``SpatialDurbinPanel(data, "growth", ["ln_<value>", *controls], w,
    effects=...).fit()``. Speed :math:`s = -\\ln(1 + \\beta)/\\tau`, half-life
    :math:`\\ln 2 / s` (Barro and Sala-i-Martin 1992).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> d = [rng.uniform(0.2, 0.8, 20)]
    >>> for _ in range(5):
    ...     d.append(np.exp(np.log(d[-1]) * 0.8 + 0.02 * rng.standard_normal(20)))
    >>> df = pd.DataFrame({"region": np.tile(np.arange(20), 6),
    ...                    "year": np.repeat(np.arange(6), 20), "D": np.concatenate(d)})
    >>> res = beta_convergence(df, region="region", year="year")
    >>> bool(-0.3 < res.beta < -0.1)
    True
    """
    check_option("kind", kind, ("absolute", "conditional"))
    check_option("cov_type", cov_type, ("nonrobust", "HC1", "cluster"))
    controls = (controls,) if isinstance(controls, str) else tuple(controls)
    if kind == "absolute":
        if controls:
            raise SpecificationError(
                f"Absolute beta convergence has no controls; got {list(controls)}. Use "
                "kind='conditional'."
            )
        if effects not in (None, "none"):
            raise SpecificationError(
                f"Absolute beta convergence is pooled (effects='none'); got effects={effects!r}. "
                "Use kind='conditional' for fixed effects."
            )
        resolved: Effects = "none"
    else:
        resolved = effects if effects is not None else "twoways"
        check_option("effects", resolved, ("none", "individual", "time", "twoways"))  # fmt: skip
    if not (np.isfinite(tau) and tau > 0):
        raise InvalidOptionError(f"tau must be a positive number, got {tau!r}.")
    frame = as_table(table)
    data, ln_name, region_name, year_name = _growth_table(
        frame, value, controls, region, year, balance
    )
    periods = data[year_name].nunique()
    if resolved != "none" and periods < 2:
        raise InsufficientDataError(
            f"Fixed effects need at least two growth periods (three years); the table has "
            f"{periods + 1} year(s). Use kind='absolute'."
        )
    names = [ln_name, *controls]
    impacts = None
    fit: Any
    if w is None:
        panel = panel_arrays(data, ["growth", *names], region_name, year_name)
        try:
            fit = panel_ols(panel.values[:, :, 0], panel.values[:, :, 1:], resolved,
                            names=tuple(names), cov_type=cov_type)  # fmt: skip
        except CollinearityError as err:
            raise SpecificationError(
                f"The regressors {names} are collinear with the constant or the fixed effects "
                f"(effects={resolved!r}); a control constant within regions or periods is "
                f"absorbed. Drop it or change effects. ({err})"
            ) from err
        se = np.sqrt(np.diag(fit.cov))
        tvalues = fit.coef / se
        estimates = pd.DataFrame(
            {"coef": fit.coef, "std_error": se, "statistic": tvalues,
             "p_value": t_two_sided(fit.dof, tvalues)},
            index=pd.Index(fit.names),
        )  # fmt: skip
        r2 = fit.r2
        model = "pooled OLS" if resolved == "none" else "fixed effects OLS"
        w_transform = None
    else:
        from spatial import SpatialDurbinPanel

        fit = SpatialDurbinPanel(
            data, "growth", names, w, region=region_name, year=year_name, effects=resolved
        ).fit()
        estimates = pd.DataFrame({
            "coef": fit.params, "std_error": fit.std_errors,
            "statistic": fit.tstats, "p_value": fit.pvalues,
        })  # fmt: skip
        effect = fit.impacts()
        impacts = pd.DataFrame(
            {
                "estimate": effect.estimates.loc[ln_name],
                "std_error": effect.std_errors.loc[ln_name],
                "z": effect.zstats.loc[ln_name],
                "p_value": effect.pvalues.loc[ln_name],
            }
        )
        r2 = float(fit.r2)
        model = "SDM"
        w_transform = w.transform
    estimates.index.name = "variable"
    beta = float(estimates.loc[ln_name, "coef"])
    speed, half_life = convergence_speed(beta, tau)
    convergence = pd.DataFrame(
        {
            "beta": [beta],
            "std_error": [float(estimates.loc[ln_name, "std_error"])],
            "p_value": [float(estimates.loc[ln_name, "p_value"])],
            "speed": [speed],
            "half_life": [half_life],
        },
        index=pd.Index([ln_name], name="variable"),
    )
    options = {
        "value": value,
        "ln_name": ln_name,
        "kind": kind,
        "effects": resolved,
        "controls": controls,
        "cov_type": cov_type if w is None else "analytic",
        "tau": float(tau),
        "w_transform": w_transform,
        "balance": balance,
        "n_regions": int(data[region_name].nunique()),
        "n_periods": int(periods),
        "version": __version__,
    }
    return BetaConvergenceResults(
        estimates=estimates,
        convergence=convergence,
        impacts=impacts,
        data=data,
        nobs=len(data),
        r2=r2,
        model=model,
        options=MappingProxyType(options),
        fit=fit,
    )
