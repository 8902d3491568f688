"""Ranks along one axis of an array (1 = largest), through pandas rather than scipy.stats.

``scipy.stats`` costs about 0.3 s to import; the main job ranks a few small tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["rank_descending"]


def rank_descending(values: np.ndarray, axis: int) -> np.ndarray:
    """Ranks along ``axis``, 1 for the largest value; ties share the best (smallest) rank.

    The ``"min"`` method of :func:`scipy.stats.rankdata` applied to ``-values``.

    Examples
    --------
    >>> rank_descending(np.array([[0.2, 0.9, 0.2], [3.0, 1.0, 2.0]]), axis=1).tolist()
    [[2, 1, 2], [1, 3, 2]]
    """
    moved = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    ranks = pd.DataFrame(flat).rank(axis=1, method="min", ascending=False).to_numpy()
    return np.moveaxis(ranks.astype(np.int64).reshape(moved.shape), -1, axis)
