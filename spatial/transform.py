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

from .exceptions import PanelStructureError

__all__ = ["EFFECTS", "Effects", "absorbed_dof", "spatial_lag", "within_transform"]

Effects = Literal["individual", "time", "twoways", "none"]
EFFECTS: tuple[Effects, ...] = ("individual", "time", "twoways", "none")


def spatial_lag(w: sparse.spmatrix, values: np.ndarray) -> np.ndarray:
    """``W a_t`` for every period ``t`` of a ``(T, N)`` or ``(T, N, K)`` array, in one product.

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
    (Frisch-Waugh-Lovell).
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


def absorbed_dof(effects: Effects, n: int, t: int) -> int:
    """Number of fixed effects absorbed by the transformation (for degrees of freedom)."""
    return {"individual": n, "time": t, "twoways": n + t - 1, "none": 0}[effects]
