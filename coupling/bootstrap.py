"""Region bootstrap of data-driven indicator weights, batched.

Regions are resampled with replacement (each keeps its whole time series);
every resample is standardized and weighted again, all resamples of a chunk in
one array operation. The toolkit uses the resulting weight draws to put
confidence intervals on the weights and on ``D``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from spatial._core.options import check_option

from .exceptions import InvalidOptionError
from .standardize import indicator_bounds, standardize
from .weights import critic_weights, cv_weights, entropy_weights

__all__ = ["WEIGHTING_METHODS", "WeightDraws", "bootstrap_weights", "percentile_interval"]

Method = Literal["entropy", "critic", "cv"]

#: Data-driven weighting methods; each maps z (..., n, J) and groups to a result with ``.weight``.
WEIGHTING_METHODS: dict[str, Callable[..., tuple[np.ndarray, ...]]] = {
    "entropy": entropy_weights,
    "critic": critic_weights,
    "cv": cv_weights,
}

#: Values standardized and weighted at once: chunks that stay in cache run 2-3x
#: faster than one huge batch (measured in benchmarks/bench_coupling.py).
CHUNK_VALUES = 500_000


class WeightDraws(NamedTuple):
    """Weights of the valid resamples and the count of discarded ones.

    ``weights`` has shape ``(n_valid, P, J)`` where ``P`` is 1 for panel
    pooling and the number of years for by-period pooling.
    """

    weights: np.ndarray
    n_discarded: int


def bootstrap_weights(
    x: ArrayLike,
    directions: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    method: Method = "entropy",
    pooled: bool = True,
    shift: float = 1e-4,
    n_resamples: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> WeightDraws:
    """Indicator weights re-estimated on region resamples.

    Parameters
    ----------
    x : array_like, shape (T, N, J)
        Raw indicator values, year-major (as :func:`coupling.data.panel_arrays`).
    directions, groups : array_like
        As in :func:`coupling.standardize` and :func:`coupling.entropy_weights`.
    method : {"entropy", "critic", "cv"}
        Weighting method.
    pooled : bool
        ``True``: one standardization and weight vector over all region-years
        (``pooling="panel"``); ``False``: one per year.
    shift : float
        Standardization shift.
    n_resamples : int
        Number of resamples of the ``N`` regions (with replacement).
    seed : int or Generator, optional
        Seed for :func:`numpy.random.default_rng`; the draws are reproducible.

    Returns
    -------
    WeightDraws
        Resamples in which an indicator is constant (min-max undefined) are
        discarded and counted, never patched.

    Notes
    -----
    Resample ``b`` draws region indices ``i_1..i_N`` uniformly with replacement
    and keeps each drawn region's whole series, which preserves the panel's
    time dependence (a cluster bootstrap over regions).
    """
    check_option("method", method, tuple(WEIGHTING_METHODS))
    if int(n_resamples) < 1:
        raise InvalidOptionError(f"n_resamples must be a positive integer, got {n_resamples!r}.")
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 3:
        raise InvalidOptionError(f"x must have shape (T, N, J), got {arr.shape}.")
    t, n, j = arr.shape
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(int(n_resamples), n))
    by_region = np.ascontiguousarray(np.moveaxis(arr, 1, 0))  # (N, T, J)
    weigh = WEIGHTING_METHODS[method]
    chunk = max(1, CHUNK_VALUES // arr.size)
    kept: list[np.ndarray] = []
    discarded = 0
    for start in range(0, draws.shape[0], chunk):
        sample = by_region[draws[start : start + chunk]]  # (b, N, T, J)
        if pooled:
            sample = sample.reshape(sample.shape[0], 1, n * t, j)
        else:
            sample = np.swapaxes(sample, 1, 2)  # (b, T, N, J)
        lo, hi = indicator_bounds(sample)
        valid = ~(hi == lo).any(axis=(-3, -2, -1))
        z = standardize(sample, directions, shift=shift, bounds=(lo, hi), constant="drop")
        kept.append(weigh(z, groups)[-1][valid])
        discarded += int((~valid).sum())
    return WeightDraws(np.concatenate(kept, axis=0), discarded)


def percentile_interval(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed percentile interval over the first axis of ``draws``."""
    if not 0 < level < 1:
        raise InvalidOptionError(f"level must lie in (0, 1), got {level!r}.")
    tail = (1.0 - level) / 2.0
    lower, upper = np.quantile(draws, [tail, 1.0 - tail], axis=0)
    return lower, upper
