"""Coupling degree ``C``, coordination index ``T`` and coupling-coordination degree ``D``.

All functions take composite indices ``U`` with the subsystems on the last axis,
``(..., k)``, and return arrays of shape ``(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from spatial._core.options import check_option

from .exceptions import InvalidOptionError, SpecificationError

__all__ = [
    "VARIANTS",
    "CouplingCoordinationDegree",
    "coordination_index",
    "coupling_coordination",
    "coupling_degree",
    "resolve_alpha",
]

Variant = Literal["standard", "wang2021", "fan2024"]
VARIANTS: tuple[Variant, ...] = ("standard", "wang2021", "fan2024")
#: Tolerance for alpha summing to one.
ALPHA_TOLERANCE = 1e-9


class CouplingCoordinationDegree(NamedTuple):
    """Coupling degree ``C``, coordination index ``T`` and degree ``D = sqrt(C T)``."""

    C: np.ndarray
    T: np.ndarray
    D: np.ndarray


def _as_indices(u: ArrayLike) -> np.ndarray:
    arr = np.asarray(u, dtype=np.float64)
    if arr.ndim < 1 or arr.shape[-1] < 2:
        raise InvalidOptionError(
            f"U must have the subsystems on its last axis, at least two; got shape {arr.shape}."
        )
    if (arr < 0).any():
        raise InvalidOptionError("Composite indices U must be non-negative.")
    return arr


def coupling_degree(u: ArrayLike, variant: Variant = "standard") -> np.ndarray:
    """Coupling degree ``C`` of ``k >= 2`` subsystems.

    Parameters
    ----------
    u : array_like, shape (..., k)
        Composite indices, subsystems on the last axis.
    variant : {"standard", "wang2021", "fan2024"}
        Which formula (see Notes).

    Returns
    -------
    ndarray, shape (...)
        ``C`` in ``[0, 1]``. Where every ``U`` is zero, ``standard`` and
        ``wang2021`` are undefined (``nan``) while ``fan2024`` gives 1.

    Notes
    -----
    ``standard``: :math:`C = k \\left[\\prod_i U_i / (\\sum_i U_i)^k\\right]^{1/k}`,
    computed as the ratio of the geometric to the arithmetic mean of ``U``; for
    two subsystems :math:`C = 2\\sqrt{U_1 U_2}/(U_1 + U_2)`.

    ``wang2021``: :math:`C = \\sqrt{\\left[1 - \\frac{\\sum_{i>j}|U_i - U_j|}
    {\\sum_{m=1}^{k-1} m}\\right] \\left[\\prod_i \\frac{U_i}{\\max_i U_i}\\right]^{1/(k-1)}}`.

    ``fan2024``: :math:`C = 1 - 2\\,\\mathrm{sd}(U)` with the population standard
    deviation; for two subsystems :math:`C = 1 - |U_1 - U_2|`.

    With ``U = (0.3, 0.6)`` and equal ``alpha``: ``D = 0.6514`` (standard),
    ``0.5160`` (wang2021), ``0.5612`` (fan2024).

    References
    ----------
    Standard form: the "normative formula" of the traditional model as set out
    by Wang et al. (2021); ``wang2021``: the modified model of the same paper,
    Wang Shujia, Kong Wei, Ren Liang, Zhi Dandan, Dai Binting (2021). Research
    on misuses and modification of coupling coordination degree model in China.
    *Journal of Natural Resources* 36(3): 793-810. ``fan2024``: the
    deviation-based coupling degree named ``fan2024`` in this toolkit's
    specification; the formula is as stated above.

    Examples
    --------
    >>> float(coupling_degree([0.3, 0.6]))
    0.9428090415820634
    """
    check_option("variant", variant, VARIANTS)
    arr = _as_indices(u)
    k = arr.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if variant == "standard":
            geometric = np.exp(np.log(arr).mean(axis=-1))
            # GM <= AM exactly; exp(mean(log)) can overshoot the ratio 1 by an ulp
            return np.asarray(np.minimum(geometric / arr.mean(axis=-1), 1.0))
        if variant == "wang2021":
            ordered = np.sort(arr, axis=-1)
            # sum_{i>j} |U_i - U_j| = sum_r (2r - k + 1) U_(r) over the sorted values
            spread = ordered @ (2.0 * np.arange(k) - k + 1.0)
            balance = 1.0 - spread / (k * (k - 1) / 2.0)
            top = ordered[..., -1:]
            ratio = np.exp(np.log(arr / top).sum(axis=-1) / (k - 1))
            return np.asarray(np.sqrt(balance * ratio))
        return np.asarray(1.0 - 2.0 * arr.std(axis=-1))


def resolve_alpha(
    alpha: Sequence[float] | Mapping[str, float] | np.ndarray | None,
    k: int,
    names: Sequence[str] | None = None,
) -> np.ndarray:
    """Subsystem weights for ``T``: equal when ``None``; checked to be >= 0 and sum to one.

    A mapping is read by subsystem name (``names`` gives the order).
    """
    if alpha is None:
        return np.full(k, 1.0 / k)
    if isinstance(alpha, Mapping):
        if names is None or set(alpha) != set(names):
            raise SpecificationError(
                f"alpha names {sorted(alpha)} do not match the subsystems {list(names or [])}."
            )
        values = np.array([alpha[name] for name in names], dtype=np.float64)
    else:
        values = np.asarray(alpha, dtype=np.float64)
    if values.shape != (k,):
        raise SpecificationError(
            f"alpha needs one weight per subsystem ({k}), got {values.tolist()}."
        )
    if not np.isfinite(values).all() or (values < 0).any():
        raise SpecificationError(f"alpha must be finite and non-negative, got {values.tolist()}.")
    if abs(values.sum() - 1.0) > ALPHA_TOLERANCE:
        raise SpecificationError(
            f"alpha must sum to 1 (within {ALPHA_TOLERANCE:g}); {values.tolist()} sums to "
            f"{values.sum():.12g}."
        )
    return values


def coordination_index(
    u: ArrayLike, alpha: Sequence[float] | np.ndarray | None = None
) -> np.ndarray:
    """Comprehensive coordination index :math:`T = \\sum_i \\alpha_i U_i`.

    ``alpha`` defaults to equal weights ``1/k`` and must sum to one.

    Examples
    --------
    >>> round(float(coordination_index([0.3, 0.6])), 12)
    0.45
    """
    arr = _as_indices(u)
    return np.asarray(arr @ resolve_alpha(alpha, arr.shape[-1]))


def coupling_coordination(
    u: ArrayLike,
    variant: Variant = "standard",
    alpha: Sequence[float] | np.ndarray | None = None,
) -> CouplingCoordinationDegree:
    """Coupling degree, coordination index and :math:`D = \\sqrt{C T}` in one call.

    Examples
    --------
    >>> round(float(coupling_coordination([0.3, 0.6]).D), 4)
    0.6514
    """
    c = coupling_degree(u, variant)
    t = coordination_index(u, alpha)
    return CouplingCoordinationDegree(c, t, np.sqrt(c * t))
