"""Min-max standardization of indicators (the first step of every index).

For a positive indicator ``z = (x - min) / (max - min) + shift``; for a negative
one ``z = (max - x) / (max - min) + shift``; min and max are taken over the rows
in scope (axis ``-2``), so a stacked array ``(..., n_rows, n_indicators)``
standardizes many years or resamples at once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from spatial._core.options import check_option

from .exceptions import ConstantIndicatorError, InvalidOptionError

__all__ = ["as_directions", "indicator_bounds", "standardize"]

Constant = Literal["raise", "drop"]


def as_directions(directions: ArrayLike, n_indicators: int) -> np.ndarray:
    """Directions as an array of ``+1``/``-1``; accepts ``"+"``/``"-"`` or signs."""
    raw = np.asarray(directions)
    if raw.dtype.kind in "US":
        mapped = np.where(raw == "+", 1, np.where(raw == "-", -1, 0))
    else:
        mapped = raw.astype(np.int64, copy=False)
    if mapped.shape != (n_indicators,) or not np.isin(mapped, (-1, 1)).all():
        raise InvalidOptionError(
            f"directions must hold one '+' or '-' (or +1/-1) per indicator ({n_indicators}), "
            f"got {raw.tolist()!r}."
        )
    return mapped.astype(np.int8)


def indicator_bounds(x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of each indicator over the rows in scope (axis ``-2``).

    Returns two arrays of shape ``(..., 1, n_indicators)``.
    """
    arr = np.asarray(x, dtype=np.float64)
    return arr.min(axis=-2, keepdims=True), arr.max(axis=-2, keepdims=True)


def standardize(
    x: ArrayLike,
    directions: ArrayLike,
    *,
    shift: float = 1e-4,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
    constant: Constant = "raise",
) -> np.ndarray:
    """Min-max standardize indicators, by direction, plus a shift.

    Parameters
    ----------
    x : array_like, shape (..., n_rows, n_indicators)
        Raw indicator values; leading axes are batches (years, resamples).
    directions : array_like, shape (n_indicators,)
        ``"+"`` / ``+1`` for positive, ``"-"`` / ``-1`` for negative indicators.
    shift : float, default 1e-4
        Added to every standardized value so that ``ln p`` stays finite in the
        entropy method; ``0`` is allowed (entropy then uses ``0 ln 0 = 0``).
    bounds : (min, max), optional
        Precomputed :func:`indicator_bounds`; computed from ``x`` when omitted.
    constant : {"raise", "drop"}
        An indicator with ``max == min`` raises :class:`ConstantIndicatorError`
        or, with ``"drop"``, is standardized to exactly 0 (no shift), so that
        every weighting method gives it weight 0 exactly.

    Returns
    -------
    ndarray
        Standardized values ``z``, same shape as ``x``, in ``[shift, 1 + shift]``.

    Notes
    -----
    Positive: :math:`z_{ij} = (x_{ij} - \\min_i x_{ij}) / (\\max_i x_{ij} - \\min_i x_{ij}) + s`.
    Negative: :math:`z_{ij} = (\\max_i x_{ij} - x_{ij}) / (\\max_i x_{ij} - \\min_i x_{ij}) + s`.
    The range method is the standard first step of the entropy weight method
    (e.g. Wang, Kong, Ren, Zhi 2021, *J. Natural Resources* 36(3): 793-810).

    Examples
    --------
    >>> standardize([[1.0, 5.0], [3.0, 1.0]], ["+", "-"], shift=0.0)
    array([[0., 0.],
           [1., 1.]])
    """
    check_option("constant", constant, ("raise", "drop"))
    if not (np.isfinite(shift) and shift >= 0):
        raise InvalidOptionError(f"shift must be a finite number >= 0, got {shift!r}.")
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim < 2:
        raise InvalidOptionError(
            f"x must have shape (..., n_rows, n_indicators); got shape {arr.shape}."
        )
    signs = as_directions(directions, arr.shape[-1])
    lo, hi = indicator_bounds(arr) if bounds is None else bounds
    spread = hi - lo
    flat = spread == 0
    if flat.any() and constant == "raise":
        cols = sorted({int(j) for j in np.nonzero(flat)[-1]})
        raise ConstantIndicatorError(
            f"Indicator column(s) {cols} are constant over the rows in scope; min-max "
            "standardization is undefined. Remove them or pass constant='drop'."
        )
    positive = signs > 0
    reference = np.where(positive, lo, hi)
    with np.errstate(divide="ignore"):
        scale = np.where(flat, 0.0, np.where(positive, 1.0, -1.0) / spread)
    z = arr - reference
    z *= scale
    z += np.where(flat, 0.0, shift)
    return z
