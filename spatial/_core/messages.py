"""Pieces of error messages: short listings, close-name hints, offending cells."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["format_items", "nonfinite_cells", "suggest"]


def format_items(items: Sequence[Any], limit: int = 5) -> str:
    """The first ``limit`` items and a count of the rest, for messages.

    Examples
    --------
    >>> format_items(["a", "b", "c"], limit=2)
    'a, b (and 1 more)'
    """
    shown = ", ".join(str(i) for i in items[:limit])
    rest = len(items) - limit
    return f"{shown} (and {rest} more)" if rest > 0 else shown


def nonfinite_cells(values: np.ndarray, describe: Callable[[int, int], str]) -> list[str]:
    """Descriptions ``describe(row, column)`` of the missing or infinite cells of a 2-D array."""
    finite = np.isfinite(values)
    if finite.all():
        return []
    rows, cols = np.nonzero(~finite)
    return [describe(int(r), int(c)) for r, c in zip(rows, cols)]


def suggest(name: str, candidates: Iterable[Any]) -> str:
    """A ' Did you mean ...?' hint with the closest candidate names, or ''.

    Examples
    --------
    >>> suggest("provnce", ["province", "year"])
    " Did you mean 'province'?"
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=3, cutoff=0.6)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
