"""Least squares with fixed effects: the one fixed-effects OLS routine of the toolkit.

Used by the SLX panel model, the LM tests of :mod:`spatial.models.diagnostics` and the
beta-convergence regressions of :mod:`coupling.regional.convergence`. The
regression :math:`y_{it} = \\mu_i + \\lambda_t + x_{it}'\\beta + \\varepsilon_{it}`
is estimated by OLS on the within-transformed data
(:func:`spatial.models.transform.within_transform`); by the Frisch-Waugh-Lovell theorem
this gives the coefficients, residuals and every covariance below of the
regression on explicit region and year dummies, with the absorbed effects
counted in the degrees of freedom. Without effects a constant ``const`` is
estimated.

Covariances, with :math:`\\tilde X` the transformed regressors, :math:`e` the
residuals, :math:`n = NT` observations and :math:`k` parameters including the
absorbed effects:

* ``"nonrobust"``: :math:`s^2 (\\tilde X'\\tilde X)^{-1}`, :math:`s^2 = e'e/(n - k)`;
* ``"HC1"``: :math:`\\frac{n}{n-k} (\\tilde X'\\tilde X)^{-1} \\sum_i \\tilde x_i e_i^2
  \\tilde x_i' (\\tilde X'\\tilde X)^{-1}` (MacKinnon and White 1985);
* ``"cluster"`` (by region): :math:`\\frac{G}{G-1}\\frac{n-1}{n-k} (\\tilde X'\\tilde X)^{-1}
  \\sum_g \\tilde X_g'e_g e_g'\\tilde X_g (\\tilde X'\\tilde X)^{-1}` with :math:`G = N`
  clusters (Cameron and Miller 2015; statsmodels' and Stata's small-sample factor).

Written by hand rather than through statsmodels so that the effects are absorbed
without building N + T dummy columns; statsmodels with explicit dummies is the
reference in the tests.

References
----------
MacKinnon, J. G. and White, H. (1985). Some heteroskedasticity-consistent
covariance matrix estimators with improved finite sample properties. *Journal
of Econometrics* 29(3): 305-325.

Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources* 50(2): 317-372.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .._core.options import check_option
from .likelihood import least_squares
from .transform import Effects, absorbed_dof, within_transform

__all__ = ["OLSCovType", "PanelOLS", "panel_ols"]

OLSCovType = Literal["nonrobust", "HC1", "cluster"]


@dataclass(frozen=True)
class PanelOLS:
    """A fixed-effects least-squares fit on arrays.

    Attributes
    ----------
    coef : ndarray, shape (k,)
    cov : ndarray, shape (k, k)
    names : tuple of str
        ``const`` first when no effects are absorbed.
    resid : ndarray, shape (T, N)
    design : ndarray, shape (T * N, k)
        The transformed regressors (with the constant).
    sse, dof : float, int
        Residual sum of squares; ``n - k`` with the absorbed effects counted.
    r2 : float
        Within R-squared (centered R-squared without effects).
    """

    coef: np.ndarray
    cov: np.ndarray
    names: tuple[str, ...]
    resid: np.ndarray
    design: np.ndarray
    sse: float
    dof: int
    r2: float


def panel_ols(
    y: np.ndarray,
    x: np.ndarray,
    effects: Effects,
    *,
    names: tuple[str, ...],
    cov_type: OLSCovType = "nonrobust",
) -> PanelOLS:
    """OLS of ``y (T, N)`` on ``x (T, N, K)`` with region and/or year fixed effects.

    Raises
    ------
    CollinearityError
        A regressor absorbed by the effects or collinear with the others.

    Examples
    --------
    >>> y = np.array([[1.0, 2.0, 4.0], [2.0, 3.5, 5.0]])
    >>> x = np.array([[[0.0], [1.0], [3.0]], [[1.0], [2.0], [3.5]]])
    >>> fit = panel_ols(y, x, "individual", names=("x",))
    >>> round(float(fit.coef[0]), 6)  # sum(x~ y~) / sum(x~^2) = 1.5 / 1.125
    1.333333
    """
    check_option("cov_type", cov_type, ("nonrobust", "HC1", "cluster"))
    t, n = y.shape
    if effects == "none":
        x = np.concatenate([np.ones((t, n, 1)), x], axis=2)
        names = ("const", *names)
    z = within_transform(x, effects).reshape(t * n, -1)
    target = within_transform(y, effects).ravel()
    coef = least_squares(z, target, names)
    resid = target - z @ coef
    sse = float(resid @ resid)
    nobs, k = t * n, coef.size + absorbed_dof(effects, n, t)
    dof = nobs - k
    zz_inv = np.linalg.inv(z.T @ z)
    if cov_type == "nonrobust":
        cov = sse / dof * zz_inv
    else:
        if cov_type == "HC1":
            scores = z * resid[:, None]
            factor = nobs / dof
        else:  # one cluster per region: sum the scores over the years
            scores = (z * resid[:, None]).reshape(t, n, -1).sum(axis=0)
            factor = n / (n - 1) * (nobs - 1) / dof
        cov = factor * zz_inv @ (scores.T @ scores) @ zz_inv
    centred = target - target.mean() if effects == "none" else target
    total = float(centred @ centred)
    return PanelOLS(
        coef=coef,
        cov=cov,
        names=tuple(names),
        resid=resid.reshape(t, n),
        design=z,
        sse=sse,
        dof=dof,
        r2=1.0 - sse / total if total > 0 else 0.0,
    )
