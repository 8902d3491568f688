"""Spatial lags and the within (fixed-effects) transformation.

Arrays are time-major: ``(T, N)`` or ``(T, N, K)``. The estimator lags first
(``W y_t``, ``W X_t`` on the raw data, period by period) and demeans second
(Elhorst 2014, ch. 3): demeaning first and lagging the demeaned data is a
different estimator when time effects are present.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import sparse

from spatial._core.options import check_option

from ..exceptions import PanelStructureError

__all__ = [
    "EFFECTS",
    "Effects",
    "absorbed_dof",
    "resolve_effects",
    "spatial_lag",
    "within_transform",
]

Effects = Literal["individual", "time", "twoways", "none"]
EFFECTS: tuple[Effects, ...] = ("individual", "time", "twoways", "none")


def spatial_lag(w: sparse.spmatrix, values: np.ndarray) -> np.ndarray:
    """``W a_t`` for every period ``t`` of a ``(T, N)`` or ``(T, N, K)`` array, in one product.

    Notes
    -----
    For time-major stacked data the panel spatial lag is :math:`(I_T \\otimes W)a`,
    i.e. :math:`(Wa)_{it} = \\sum_j w_{ij} a_{jt}` period by period (Elhorst 2014,
    ch. 3). It is applied to the raw data, before :func:`within_transform`.

    References
    ----------
    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    >>> w = sparse.csr_matrix([[0, 1.0], [1.0, 0]])
    >>> spatial_lag(w, np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[2., 1.],
           [4., 3.]])
    """
    arr = np.asarray(values, dtype=np.float64)
    t, n = arr.shape[:2]
    stacked = np.moveaxis(arr, 1, 0).reshape(n, -1)  # (N, T*K)
    lagged = np.asarray(w @ stacked).reshape((n, t, *arr.shape[2:]))
    return np.ascontiguousarray(np.moveaxis(lagged, 0, 1))


def within_transform(values: np.ndarray, effects: Effects) -> np.ndarray:
    """Remove entity, period or both means from a ``(T, N, ...)`` array.

    Notes
    -----
    ``individual``: :math:`a_{it} - \\bar a_{i\\cdot}`; ``time``:
    :math:`a_{it} - \\bar a_{\\cdot t}`; ``twoways``:
    :math:`a_{it} - \\bar a_{i\\cdot} - \\bar a_{\\cdot t} + \\bar a_{\\cdot\\cdot}`;
    ``none``: unchanged. Equivalent to OLS on entity and/or period dummies
    (Frisch-Waugh-Lovell): the transformed data are the residuals of a
    regression on the dummies, so regressing transformed on transformed
    variables gives the dummy-variable (LSDV) slopes (Frisch and Waugh 1933;
    Lovell 1963). The ``twoways`` formula is that projection for a balanced
    panel (Elhorst 2014, ch. 3).

    References
    ----------
    Frisch, R. and Waugh, F. V. (1933). Partial time regressions as compared with
    individual trends. *Econometrica* 1(4): 387-401.

    Lovell, M. C. (1963). Seasonal adjustment of economic time series and multiple
    regression analysis. *Journal of the American Statistical Association* 58(304):
    993-1010.

    Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to
    Spatial Panels*. SpringerBriefs in Regional Science. Springer, Berlin.

    Examples
    --------
    Two periods (rows) of two entities (columns); entity means 2 and 4,
    period means 1.5 and 4.5, grand mean 3:

    >>> a = np.array([[1.0, 2.0], [3.0, 6.0]])
    >>> within_transform(a, "individual")
    array([[-1., -2.],
           [ 1.,  2.]])
    >>> within_transform(a, "time")
    array([[-0.5,  0.5],
           [-1.5,  1.5]])
    >>> within_transform(a, "twoways")
    array([[ 0.5, -0.5],
           [-0.5,  0.5]])
    """
    check_option("effects", effects, EFFECTS)
    arr = np.asarray(values, dtype=np.float64)
    if effects == "none":
        return arr.copy()
    if effects in ("individual", "twoways") and arr.shape[0] < 2:
        raise PanelStructureError(
            f"effects={effects!r} needs at least 2 periods; the data have {arr.shape[0]}."
        )
    if effects in ("time", "twoways") and arr.shape[1] < 2:
        raise PanelStructureError(f"effects={effects!r} needs at least 2 entities.")
    out = arr.copy()
    if effects in ("individual", "twoways"):
        out -= arr.mean(axis=0, keepdims=True)
    if effects in ("time", "twoways"):
        out -= arr.mean(axis=1, keepdims=True)
    if effects == "twoways":
        out += arr.mean(axis=(0, 1), keepdims=True)
    return out


def resolve_effects(effects: Effects | None, periods: int) -> Effects:
    """The effects of a model: the given option, checked, or by default ``"twoways"``
    for a panel and ``"none"`` for a cross-section (one period, which cannot have effects).

    Examples
    --------
    >>> resolve_effects(None, 6), resolve_effects(None, 1), resolve_effects("time", 6)
    ('twoways', 'none', 'time')
    """
    chosen: Effects = "twoways" if effects is None and periods > 1 else effects or "none"
    check_option("effects", chosen, EFFECTS)
    if periods == 1 and chosen != "none":
        raise PanelStructureError(
            f"A cross-section (one period) cannot have effects={chosen!r}; use "
            "effects='none' (an intercept is then estimated)."
        )
    return chosen


def absorbed_dof(effects: Effects, n: int, t: int) -> int:
    """Number of fixed effects absorbed by the transformation (for degrees of freedom).

    Notes
    -----
    The rank of the dummy matrix that the transformation projects out:
    :math:`N` entity dummies, :math:`T` period dummies, or :math:`N + T - 1` for
    both (one is redundant with the other set; Frisch and Waugh 1933; Lovell
    1963).

    References
    ----------
    Frisch, R. and Waugh, F. V. (1933). Partial time regressions as compared with
    individual trends. *Econometrica* 1(4): 387-401.

    Lovell, M. C. (1963). Seasonal adjustment of economic time series and multiple
    regression analysis. *Journal of the American Statistical Association* 58(304):
    993-1010.

    Examples
    --------
    >>> absorbed_dof("individual", 30, 10), absorbed_dof("twoways", 30, 10)
    (30, 39)
    """
    return {"individual": n, "time": t, "twoways": n + t - 1, "none": 0}[effects]
