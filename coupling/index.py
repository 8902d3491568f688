"""Composite development index ``U`` of each subsystem."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .weights import membership

__all__ = ["composite_index"]


def composite_index(
    z: ArrayLike, indicator_weights: ArrayLike, groups: ArrayLike | None = None
) -> np.ndarray:
    """Weighted sum of standardized indicators within each subsystem.

    Parameters
    ----------
    z : array_like, shape (..., n_rows, n_indicators)
        Standardized values.
    indicator_weights : array_like, shape (..., n_indicators)
        Weights summing to one within each subsystem; leading axes broadcast
        against those of ``z`` (one weight vector per year or per resample).
    groups : array_like of int, optional
        Subsystem index of each indicator (``None``: one subsystem).

    Returns
    -------
    ndarray, shape (..., n_rows, n_subsystems)
        :math:`U_{is} = \\sum_{j \\in s} w_j z_{ij}`.

    Examples
    --------
    >>> composite_index([[0.2, 0.4, 1.0]], [0.5, 0.5, 1.0], groups=[0, 0, 1])
    array([[0.3, 1. ]])
    """
    arr = np.asarray(z, dtype=np.float64)
    w = np.asarray(indicator_weights, dtype=np.float64)
    member = membership(groups, arr.shape[-1])
    return arr @ (w[..., :, None] * member)
