"""Neighbour sets of weights objects, shared by the tests of the China weights builders."""

from __future__ import annotations

from collections.abc import Sequence

from spatial import SpatialWeights


def neighbour_sets(w: SpatialWeights, ids: Sequence[str]) -> dict[str, set[str]]:
    """``{id: set of neighbour ids}`` of ``w``, read in the order of ``ids``."""
    matrix = w.reorder(list(ids)).sparse.tocsr()
    return {ids[i]: {ids[j] for j in matrix[i].indices} for i in range(len(ids))}


def libpysal_sets(neighbors: dict[str, list[str]]) -> dict[str, set[str]]:
    """The same for a libpysal ``W.neighbors`` dict."""
    return {i: set(n) for i, n in neighbors.items()}
