"""Reading and writing weights files: GAL, GWT (via libpysal) and CSV matrices."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from pathlib import Path

import pandas as pd

from spatial._core.messages import format_items

from ..exceptions import SpecificationError, WeightsAlignmentError
from .matrix import SpatialWeights, Transform

__all__ = ["read_weights", "write_weights"]


def read_weights(path: str | Path, *, ids: Sequence[Hashable] | None = None) -> SpatialWeights:
    """Read ``.gal`` / ``.gwt`` (libpysal) or ``.csv`` (square matrix with labels).

    A CSV file has the ids in its first column and as its header, as written
    by :func:`write_weights`. Files store ids as text: pass ``ids`` to get them
    back with their own type (matched by their text) and in that order.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if not file.exists():
        raise SpecificationError(f"No weights file at {file}.")
    if suffix in (".gal", ".gwt"):
        import libpysal

        handle = libpysal.io.open(str(file), "r")
        try:
            with warnings.catch_warnings():  # ids are matched by text below, no DBF needed
                warnings.filterwarnings("ignore", message="DBF relating to GWT was not found")
                w = SpatialWeights.from_libpysal(handle.read())
        finally:
            handle.close()
    elif suffix == ".csv":
        table = pd.read_csv(file, index_col=0, dtype=str)
        table.index = table.index.astype(str)
        w = SpatialWeights.from_dataframe(table.astype(float))
    else:
        raise SpecificationError(f"Unknown weights format {suffix!r}; use .gal, .gwt or .csv.")
    if ids is None:
        return w
    by_text = {str(i): i for i in ids}
    unknown = [i for i in w.ids if str(i) not in by_text]
    if unknown or len(by_text) != len(w.ids):
        raise WeightsAlignmentError(
            f"The file's ids and `ids` differ: only in the file {format_items(unknown)}."
        )
    transform: Transform = "row" if w.is_row_standardized else "none"
    relabelled = SpatialWeights(w.matrix, [by_text[str(i)] for i in w.ids], transform)
    return relabelled.reorder(list(ids))


def write_weights(w: SpatialWeights, path: str | Path) -> Path:
    """Write ``.gal`` (binary neighbours), ``.gwt`` (weights) or ``.csv`` (full matrix)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in (".gal", ".gwt"):
        import libpysal

        lib_w = w.to_libpysal()
        handle = libpysal.io.open(str(file), "w")
        try:
            handle.write(lib_w)
        finally:
            handle.close()
    elif suffix == ".csv":
        pd.DataFrame(w.sparse.toarray(), index=list(w.ids), columns=list(w.ids)).to_csv(file)
    else:
        raise SpecificationError(f"Unknown weights format {suffix!r}; use .gal, .gwt or .csv.")
    return file
