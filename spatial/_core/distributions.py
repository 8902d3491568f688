"""Tail probabilities and quantiles of the normal, chi-squared and t distributions.

Thin wrappers of :mod:`scipy.special` (``ndtr``, ``ndtri``, ``chdtrc``, ``stdtr``),
imported when first called so that ``import spatial`` stays light.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["chi2_sf", "normal_quantile", "normal_two_sided", "t_two_sided"]


def normal_two_sided(z: ArrayLike) -> np.ndarray:
    """Two-sided p-value ``2 (1 - Phi(|z|))``.

    Examples
    --------
    >>> float(normal_two_sided(1.959963984540054)).__round__(6)
    0.05
    """
    from scipy import special

    return np.asarray(2.0 * special.ndtr(-np.abs(np.asarray(z, dtype=np.float64))))


def normal_quantile(p: ArrayLike) -> np.ndarray:
    """The quantile ``Phi^{-1}(p)`` of the standard normal."""
    from scipy import special

    return np.asarray(special.ndtri(p))


def chi2_sf(df: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Upper tail ``P(chi2(df) > x)``.

    Examples
    --------
    >>> float(chi2_sf(1, 3.841458820694124)).__round__(6)
    0.05
    """
    from scipy import special

    return np.asarray(special.chdtrc(df, x))


def t_two_sided(df: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Two-sided p-value of Student's t with ``df`` degrees of freedom."""
    from scipy import special

    return np.asarray(2.0 * special.stdtr(df, -np.abs(np.asarray(t, dtype=np.float64))))
