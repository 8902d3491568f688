"""Moderation analysis with fixed effects: a centred interaction and simple slopes.

:func:`moderation` regresses ``y`` on ``x``, the moderator ``w`` and their product
(centred by default) with region and/or year fixed effects through
:func:`spatial.models.ols.panel_ols`, and reports the effect of ``x`` at chosen values of
the moderator (simple slopes) and the Johnson-Neyman values of the moderator where
that effect turns significant.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from spatial._core.distributions import t_two_sided
from spatial._core.errors import SpecificationError
from spatial._core.options import check_option
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.models.ols import OLSCovType

from .mediation import (
    MediationEffects,
    _check_level,
    _check_roles,
    _coef_table,
    _effects_option,
    _load,
    _names,
)
from .mediation import _fit as _fit_equation

__all__ = ["ModerationResults", "moderation"]


@dataclass(frozen=True, repr=False)
class ModerationResults(FrozenTables):
    """Moderation analysis; from :func:`moderation`.

    Attributes
    ----------
    coefficients : DataFrame
        Indexed by term (``x``, the moderator, ``<x>:<moderator>``, the controls;
        ``const`` first without fixed effects): ``coef``, ``std_error``, ``t``,
        ``p_value``.
    cov : DataFrame
        Covariance of the coefficients.
    simple_slopes : DataFrame
        Indexed by the moderator value (original units): ``slope`` (dy/dx there),
        ``std_error``, ``t``, ``p_value``, ``lower``, ``upper``.
    johnson_neyman : tuple of float
        Moderator values (original units, ascending) where the slope's t equals the
        critical value at ``level``; empty when there is none.
    nobs, dof : int
        Observations; residual degrees of freedom (absorbed effects counted).
    r2 : float
        Within R-squared (centred R-squared without effects).
    options : mapping
        y, x, moderator, controls, effects, center, the centring means, cov_type,
        level, t degrees of freedom, version.
    """

    coefficients: pd.DataFrame
    cov: pd.DataFrame
    simple_slopes: pd.DataFrame
    johnson_neyman: tuple[float, ...]
    nobs: int
    dof: int
    r2: float
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Coefficients, simple slopes and the Johnson-Neyman values."""
        opts = self.options
        jn = ", ".join(f"{v:.4g}" for v in self.johnson_neyman) or "none"
        notes = (
            f"y = {opts['y']}, x = {opts['x']}, moderator = {opts['moderator']}"
            f"{' (both centred at their means)' if opts['center'] else ''}; effects="
            f"{opts['effects']}, cov_type={opts['cov_type']}; {self.nobs} observations, "
            f"within R2 = {self.r2:.4f}.",
            f"Johnson-Neyman values of {opts['moderator']} (|t| = critical value at "
            f"{opts['level']:.0%}): {jn}.",
        )
        return Summary(
            f"Moderation of {opts['x']} -> {opts['y']} by {opts['moderator']}",
            (("Coefficients", self.coefficients), ("Simple slopes", self.simple_slopes)),
            notes,
        )


def moderation(
    data: pd.DataFrame,
    *,
    y: str,
    x: str,
    moderator: str,
    controls: str | Sequence[str] = (),
    region: Hashable | None = "region",
    year: Hashable | None = "year",
    effects: MediationEffects = "twoways",
    center: bool = True,
    at: Sequence[float] | None = None,
    cov_type: OLSCovType = "cluster",
    level: float = 0.95,
) -> ModerationResults:
    """Moderation of the effect of ``x`` on ``y`` by ``moderator``, with fixed effects.

    Parameters
    ----------
    data : DataFrame
        A long (region, year) panel, or with ``region=None, year=None`` and
        ``effects="none"`` a cross-section. Not modified.
    y, x, moderator : str
        Outcome, focal regressor and moderator.
    controls : str or sequence of str
        Covariates.
    region, year : hashable or None
        Panel keys.
    effects : {"twoways", "individual", "time", "region", "year", "none"}
        Fixed effects (``"region"`` = ``"individual"``, ``"year"`` = ``"time"``).
    center : bool
        Centre ``x`` and the moderator at their sample means before forming the
        product (Aiken and West 1991); the product's coefficient and the simple
        slopes do not change, the main effects become effects at the mean.
    at : sequence of float, optional
        Moderator values (original units) for the simple slopes; default the mean
        minus one standard deviation, the mean and the mean plus one standard
        deviation (``ddof=1``).
    cov_type : {"cluster", "HC1", "nonrobust"}
        Covariance (cluster: by region).
    level : float
        Level of the slope intervals and of the Johnson-Neyman values.

    Returns
    -------
    ModerationResults

    Raises
    ------
    SpecificationError
        A variable given in two roles; an empty ``at``.
    CollinearityError
        The product collinear with the other regressors, or a regressor absorbed.

    Notes
    -----
    The model is :math:`y = b_x \\tilde x + b_w \\tilde w + b_{xw} \\tilde x \\tilde w +
    Z\\gamma + \\mu + \\xi + e` with :math:`\\tilde x = x - \\bar x` and
    :math:`\\tilde w = w - \\bar w` when centred (otherwise the raw variables). The
    simple slope at a moderator value :math:`v` is
    :math:`\\theta(v) = b_x + b_{xw}(v - \\bar w)` (:math:`b_x + b_{xw} v` uncentred), with
    :math:`se = \\sqrt{V_{xx} + u^2 V_{ww}^{(xw)} + 2u\\,V_{x,xw}}`, :math:`u = v - \\bar w`
    (Aiken and West 1991, ch. 2), and t with the residual degrees of freedom (``G - 1``
    for the cluster covariance). The Johnson-Neyman values solve
    :math:`\\theta(v)^2 = t_{crit}^2\\,se(v)^2`, a quadratic in :math:`u`
    (Johnson and Neyman 1936; Hayes 2018, ch. 7).

    References
    ----------
    Aiken, L. S. and West, S. G. (1991). *Multiple Regression: Testing and
    Interpreting Interactions*. Sage, Newbury Park.

    Johnson, P. O. and Neyman, J. (1936). Tests of certain linear hypotheses and
    their application to some educational problems. *Statistical Research Memoirs*
    1: 57-93.

    Hayes, A. F. (2018). *Introduction to Mediation, Moderation, and Conditional
    Process Analysis*, 2nd ed. Guilford Press, New York.

    Examples
    --------
    An exact fit :math:`y = 1 + 2x + w + 0.5xw` (no noise): the slope of ``x`` at
    :math:`w = 2` is :math:`2 + 0.5 \\cdot 2 = 3`:

    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 1.0],
    ...                    "w": [0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 4.0]})
    >>> df["y"] = 1 + 2 * df["x"] + df["w"] + 0.5 * df["x"] * df["w"]
    >>> res = moderation(df, y="y", x="x", moderator="w", region=None, year=None,
    ...                  effects="none", cov_type="nonrobust", at=[0.0, 2.0])
    >>> res.simple_slopes["slope"].round(6).tolist()
    [2.0, 3.0]
    >>> round(float(res.coefficients.loc["x:w", "coef"]), 6)
    0.5
    """
    y_name, x_name = _names(y, "y"), _names(x, "x")
    mod, ctrl = _names(moderator, "moderator"), _names(controls, "controls")
    if len(y_name) != 1 or len(x_name) != 1 or len(mod) != 1:
        raise SpecificationError("y, x and moderator must each be one column name.")
    _check_roles({"y": y_name, "x": x_name, "moderator": mod, "controls": ctrl})
    resolved = _effects_option(effects)
    check_option("cov_type", cov_type, ("cluster", "HC1", "nonrobust"))
    check_option("center", center, (True, False))
    level = _check_level(level)
    product = f"{x_name[0]}:{mod[0]}"
    if product in ctrl:
        raise SpecificationError(f"A control is named {product!r}, the name of the product term.")

    panel = _load(data, (*y_name, *x_name, *mod, *ctrl), region, year, resolved)
    values = panel.values
    t, n, _ = values.shape
    x_mean, w_mean = float(values[:, :, 1].mean()), float(values[:, :, 2].mean())
    w_sd = float(values[:, :, 2].std(ddof=1))
    shift_x, shift_w = (x_mean, w_mean) if center else (0.0, 0.0)
    xc, wc = values[:, :, 1] - shift_x, values[:, :, 2] - shift_w
    design = np.concatenate(
        [values[:, :, :1], np.stack([xc, wc, xc * wc], axis=2), values[:, :, 3:]], axis=2
    )
    names = (y_name[0], x_name[0], mod[0], product, *ctrl)
    fit = _fit_equation(design, 0, range(1, len(names)), names, resolved, cov_type, "moderation")
    table = _coef_table(fit, cov_type, n)
    cov = pd.DataFrame(fit.cov, index=table.index, columns=table.index)
    df_t = n - 1 if cov_type == "cluster" else fit.dof

    if at is None:
        points = np.array([w_mean - w_sd, w_mean, w_mean + w_sd])
    else:
        points = np.atleast_1d(np.asarray(at, dtype=np.float64))
        if points.size == 0 or not np.all(np.isfinite(points)):
            raise SpecificationError(f"at must be finite moderator values, got {at!r}.")
    i, j = fit.names.index(x_name[0]), fit.names.index(product)
    bx, bxw = fit.coef[i], fit.coef[j]
    vx, vxw, cxw = fit.cov[i, i], fit.cov[j, j], fit.cov[i, j]
    u = points - shift_w
    slope = bx + bxw * u
    se = np.sqrt(vx + u**2 * vxw + 2 * u * cxw)
    tstat = slope / se
    from scipy import stats

    crit = float(stats.t.ppf(0.5 + level / 2, df_t))
    slopes = pd.DataFrame(
        {"slope": slope, "std_error": se, "t": tstat, "p_value": t_two_sided(df_t, tstat),
         "lower": slope - crit * se, "upper": slope + crit * se},
        index=pd.Index(points, name=mod[0]),
    )  # fmt: skip
    # Johnson-Neyman: (bxw^2 - c^2 vxw) u^2 + 2 (bx bxw - c^2 cxw) u + (bx^2 - c^2 vx) = 0
    quad = np.array([bxw**2 - crit**2 * vxw, 2 * (bx * bxw - crit**2 * cxw), bx**2 - crit**2 * vx])
    roots = np.roots(quad) if np.any(quad != 0) else np.array([])
    real = np.sort(roots[np.abs(roots.imag) < 1e-12].real + shift_w) if roots.size else roots
    options = {
        "y": y_name[0], "x": x_name[0], "moderator": mod[0], "controls": ctrl,
        "effects": resolved, "center": bool(center), "x_mean": x_mean,
        "moderator_mean": w_mean, "moderator_sd": w_sd, "cov_type": cov_type,
        "level": level, "t_dof": int(df_t), "version": __version__,
    }  # fmt: skip
    return ModerationResults(
        coefficients=table,
        cov=cov,
        simple_slopes=slopes,
        johnson_neyman=tuple(float(v) for v in real),
        nobs=t * n,
        dof=fit.dof,
        r2=fit.r2,
        options=MappingProxyType(options),
    )
