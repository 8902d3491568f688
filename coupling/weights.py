"""Indicator weights: entropy, CRITIC, coefficient of variation, equal.

Every function takes standardized values ``z`` of shape
``(..., n_rows, n_indicators)`` (leading axes are batches: years, bootstrap
resamples) and an optional ``groups`` vector assigning each indicator to a
subsystem; weights are normalized to sum to one *within* each subsystem.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .exceptions import InvalidOptionError

__all__ = [
    "CVWeights",
    "CriticWeights",
    "EntropyWeights",
    "critic_weights",
    "cv_weights",
    "entropy_weights",
    "equal_weights",
    "membership",
    "normalize_within",
]


#: Correlations within this distance of 1 count as perfect (CRITIC conflict 0).
CORRELATION_ROUNDING = 1e-12


class EntropyWeights(NamedTuple):
    """Entropy ``e``, divergence ``d = 1 - e`` and weight ``w``, each ``(..., n_indicators)``."""

    entropy: np.ndarray
    divergence: np.ndarray
    weight: np.ndarray


class CriticWeights(NamedTuple):
    """CRITIC contrast (std), conflict ``sum(1 - r)``, information ``C`` and weight."""

    std: np.ndarray
    conflict: np.ndarray
    information: np.ndarray
    weight: np.ndarray


class CVWeights(NamedTuple):
    """Mean, standard deviation, coefficient of variation and weight."""

    mean: np.ndarray
    std: np.ndarray
    cv: np.ndarray
    weight: np.ndarray


def membership(groups: ArrayLike | None, n_indicators: int) -> np.ndarray:
    """One-hot ``(n_indicators, n_groups)`` matrix; ``None`` means a single group."""
    if groups is None:
        return np.ones((n_indicators, 1))
    codes = np.asarray(groups)
    if codes.shape != (n_indicators,) or codes.dtype.kind not in "iu" or codes.min() < 0:
        raise InvalidOptionError(
            f"groups must give a non-negative integer subsystem index for each of the "
            f"{n_indicators} indicators, got {codes.tolist()!r}."
        )
    return (codes[:, None] == np.arange(codes.max() + 1)).astype(np.float64)


def normalize_within(score: np.ndarray, groups: ArrayLike | None) -> np.ndarray:
    """Divide non-negative scores by their sum within each group (``nan`` for a zero sum)."""
    member = membership(groups, score.shape[-1])
    totals = (score @ member) @ member.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return score / totals


def _as_rows(z: ArrayLike, *, nonnegative: bool) -> np.ndarray:
    arr = np.asarray(z, dtype=np.float64)
    if arr.ndim < 2 or arr.shape[-2] < 2:
        raise InvalidOptionError(
            f"z must have shape (..., n_rows, n_indicators) with at least 2 rows; got {arr.shape}."
        )
    if nonnegative and (arr < 0).any():
        raise InvalidOptionError(
            "Entropy weights need non-negative standardized values; standardize first."
        )
    return arr


def entropy_weights(z: ArrayLike, groups: ArrayLike | None = None) -> EntropyWeights:
    """Entropy weight method.

    Parameters
    ----------
    z : array_like, shape (..., n_rows, n_indicators)
        Standardized, non-negative values (see :func:`coupling.standardize`).
    groups : array_like of int, optional
        Subsystem index of each indicator; weights sum to one per subsystem.

    Returns
    -------
    EntropyWeights
        ``entropy``, ``divergence`` and ``weight``, each of shape ``(..., n_indicators)``.

    Notes
    -----
    With ``n`` rows in scope,

    .. math:: p_{ij} = z_{ij} / \\sum_i z_{ij}, \\qquad
              e_j = -\\frac{1}{\\ln n} \\sum_i p_{ij} \\ln p_{ij}, \\qquad
              d_j = 1 - e_j, \\qquad w_j = d_j / \\sum_{k \\in s(j)} d_k,

    with :math:`0 \\ln 0 = 0`, evaluated as
    :math:`\\sum_i p_{ij} \\ln p_{ij} = S_j^{-1} \\sum_i z_{ij} \\ln z_{ij} - \\ln S_j`,
    :math:`S_j = \\sum_i z_{ij}`, which needs no array of ``p``. A column of
    zeros (a dropped constant indicator) carries no information: ``e = 1``. Since
    :math:`e_j \\le 1` exactly, ``d`` is floored at 0 against rounding (a
    constant column gives ``e = 1 + 1e-16``, and must get weight 0, not -1e-15).

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
    Technical Journal* 27: 379-423; the weighting as used in coupling studies:
    Wang, Kong, Ren, Zhi (2021), *J. Natural Resources* 36(3): 793-810.

    Examples
    --------
    >>> res = entropy_weights([[0.0, 1.0], [1.0, 1.0]])
    >>> res.weight
    array([1., 0.])
    """
    arr = _as_rows(z, nonnegative=True)
    n = arr.shape[-2]
    total = arr.sum(axis=-2)
    # sum_i p ln p = (sum_i z ln z) / S - ln S with S = sum_i z: no p array is formed
    zlogz = np.log(arr, out=np.zeros_like(arr), where=arr > 0)
    zlogz *= arr
    with np.errstate(invalid="ignore", divide="ignore"):
        entropy = (np.log(total) - zlogz.sum(axis=-2) / total) / np.log(n)
    entropy = np.where(total > 0, entropy, 1.0)
    divergence = np.maximum(1.0 - entropy, 0.0)
    return EntropyWeights(entropy, divergence, normalize_within(divergence, groups))


def critic_weights(z: ArrayLike, groups: ArrayLike | None = None) -> CriticWeights:
    """CRITIC weights (Criteria Importance Through Intercriteria Correlation).

    Notes
    -----
    :math:`C_j = \\sigma_j \\sum_{k} (1 - r_{jk})`, :math:`w_j = C_j / \\sum_{k \\in s(j)} C_k`,
    where :math:`\\sigma_j` is the standard deviation of the standardized
    indicator and :math:`r_{jk}` the Pearson correlation; the sum over ``k`` runs
    over the indicators of the same subsystem (a subsystem is its own system of
    criteria). Constant indicators get :math:`C_j = 0` and are left out of the
    others' conflict sums. A subsystem with a single indicator gives it weight 1.
    The degrees of freedom of :math:`\\sigma` cancel in the weights. When every
    pair of a subsystem's indicators is perfectly correlated there is no
    conflict and the weights are undefined (``nan``).

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective
    weights in multiple criteria problems: the CRITIC method. *Computers &
    Operations Research* 22(7): 763-770.
    """
    arr = _as_rows(z, nonnegative=False)
    n_ind = arr.shape[-1]
    member = membership(groups, n_ind)
    same = member @ member.T
    centred = arr - arr.mean(axis=-2, keepdims=True)
    cov = np.swapaxes(centred, -1, -2) @ centred / (arr.shape[-2] - 1)
    std = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    live = std > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / (std[..., :, None] * std[..., None, :])
    pair_live = live[..., :, None] & live[..., None, :] & (same > 0)
    # 1 - r >= 0 exactly; a perfect correlation computed as 1 -/+ 1e-16 is no conflict
    distance = np.where(1.0 - corr < CORRELATION_ROUNDING, 0.0, 1.0 - corr)
    conflict = np.where(pair_live, distance, 0.0).sum(axis=-1)
    information = std * conflict
    live_in_group = (live @ member) @ member.T
    information = np.where(live & (live_in_group == 1), 1.0, information)
    return CriticWeights(std, conflict, information, normalize_within(information, groups))


def cv_weights(z: ArrayLike, groups: ArrayLike | None = None) -> CVWeights:
    """Coefficient-of-variation weights.

    Notes
    -----
    :math:`v_j = \\sigma_j / \\bar z_j` on the standardized values (which are
    positive once shifted), :math:`w_j = v_j / \\sum_{k \\in s(j)} v_k`; the
    degrees of freedom of :math:`\\sigma_j` cancel.

    This is the standard-deviation weighting of the objective-weight
    literature made scale-free by dividing by the mean (变异系数法).
    """
    arr = _as_rows(z, nonnegative=True)
    mean = arr.mean(axis=-2)
    std = arr.std(axis=-2, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.where(std > 0, std / mean, 0.0)
    return CVWeights(mean, std, cv, normalize_within(cv, groups))


def equal_weights(n_indicators: int, groups: ArrayLike | None = None) -> np.ndarray:
    """``1 / J_s`` for each of the ``J_s`` indicators of subsystem ``s``."""
    return normalize_within(np.ones(n_indicators), groups)
