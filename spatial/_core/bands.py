"""Labelled bands: a partition of an interval into consecutive classes, and the classifier.

:class:`Bands` is generic (edges and English/Chinese labels); the coupling
package defines its ten tiers of ``D`` and four stages of ``C`` with it, and the
maps of :mod:`spatial.viz` colour regions by any such scheme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .errors import InvalidOptionError, SpecificationError
from .messages import format_items
from .options import check_option

__all__ = ["Bands", "Closed", "band_codes"]

#: Interval closure of bands: ``[a, b)`` ("left") or ``(a, b]`` ("right").
Closed = Literal["left", "right"]


@dataclass(frozen=True)
class Bands:
    """A labelled partition of an interval into consecutive bands.

    Parameters
    ----------
    name : str
        Name of the scheme.
    edges : sequence of float
        Strictly increasing band edges, ``len(labels) + 1`` of them.
    labels : sequence of str
        English label of each band, lowest first.
    labels_zh : sequence of str, optional
        Chinese labels; default the English ones.

    Examples
    --------
    >>> Bands("three", [0, 0.4, 0.7, 1], ["low", "middle", "high"]).labels_zh
    ('low', 'middle', 'high')
    """

    name: str
    edges: tuple[float, ...]
    labels: tuple[str, ...]
    labels_zh: tuple[str, ...] = ()

    def __init__(
        self,
        name: str,
        edges: Sequence[float],
        labels: Sequence[str],
        labels_zh: Sequence[str] | None = None,
    ) -> None:
        cut = tuple(float(e) for e in edges)
        if len(cut) < 2 or not np.all(np.isfinite(cut)) or not np.all(np.diff(cut) > 0):
            raise SpecificationError(
                f"Band edges must be finite and strictly increasing, got {list(edges)}."
            )
        if len(labels) != len(cut) - 1:
            raise SpecificationError(
                f"{len(cut)} edges make {len(cut) - 1} bands, but {len(labels)} labels were given."
            )
        zh = tuple(labels_zh) if labels_zh is not None else tuple(labels)
        if len(zh) != len(labels):
            raise SpecificationError("labels_zh must have one label per band.")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "edges", cut)
        object.__setattr__(self, "labels", tuple(labels))
        object.__setattr__(self, "labels_zh", zh)


def band_codes(
    values: ArrayLike, edges: Sequence[float], closed: Closed = "left", tolerance: float = 0.0
) -> np.ndarray:
    """Zero-based band index of each value.

    Parameters
    ----------
    values : array_like
        Values to classify.
    edges : sequence of float
        Increasing band edges.
    closed : {"left", "right"}
        ``"left"``: bands ``[a, b)`` with the top edge in the top band;
        ``"right"``: bands ``(a, b]`` with the bottom edge in the bottom band.
    tolerance : float, default 0
        Values up to ``tolerance`` beyond the outer edges belong to the outer
        bands (the shift of standardization can lift ``D`` just above 1).

    Raises
    ------
    InvalidOptionError
        Missing values or values outside ``[edges[0] - tolerance, edges[-1] + tolerance]``.
    """
    check_option("closed", closed, ("left", "right"))
    arr = np.asarray(values, dtype=np.float64)
    cut = np.asarray(edges, dtype=np.float64)
    outside = ~((arr >= cut[0] - tolerance) & (arr <= cut[-1] + tolerance))
    if outside.any():
        bad = arr[outside].ravel().tolist()
        raise InvalidOptionError(
            f"{len(bad)} value(s) are missing or outside the band range [{cut[0]}, {cut[-1]}]"
            f" (tolerance {tolerance:g}): {format_items(bad)}."
        )
    side: Literal["left", "right"] = "right" if closed == "left" else "left"
    return np.searchsorted(cut[1:-1], arr, side=side)
