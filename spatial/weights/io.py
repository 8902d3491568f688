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

    Notes
    -----
    GAL and GWT are the neighbour-list formats of GeoDa and PySAL (Anselin and
    Rey 2014), read and written by ``libpysal.io`` (Rey and Anselin 2007): a
    GAL file has a header with the number of units, then for each unit a line
    ``id count`` and a line with the neighbours' ids (binary weights); a GWT
    file has a header and one line ``origin destination weight`` per link. The
    CSV file is the full :math:`N \\times N` matrix with the ids as first column
    and header.

    References
    ----------
    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Rey, S. J. and Anselin, L. (2007). PySAL: a Python library of spatial analytical
    methods. *The Review of Regional Studies* 37(1): 5-27.

    Examples
    --------
    A round trip through CSV; the ids come back as text unless ``ids`` is given:

    >>> import tempfile
    >>> import numpy as np
    >>> w = SpatialWeights.from_sparse(np.array([[0.0, 1.0], [1.0, 0.0]]), ids=[10, 20])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_weights(w, Path(folder) / "w.csv")
    ...     print(read_weights(path).ids, read_weights(path, ids=[20, 10]).ids)
    ('10', '20') (20, 10)
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
    """Write ``.gal`` (binary neighbours), ``.gwt`` (weights) or ``.csv`` (full matrix).

    Returns the path written. The format follows the file's suffix; GAL keeps
    only who neighbours whom, so weights are lost there (see :func:`read_weights`).

    Notes
    -----
    GAL and GWT are the neighbour-list formats of GeoDa and PySAL (Anselin and
    Rey 2014), read and written by ``libpysal.io`` (Rey and Anselin 2007): a
    GAL file has a header with the number of units, then for each unit a line
    ``id count`` and a line with the neighbours' ids (binary weights); a GWT
    file has a header and one line ``origin destination weight`` per link. The
    CSV file is the full :math:`N \\times N` matrix with the ids as first column
    and header.

    References
    ----------
    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    Rey, S. J. and Anselin, L. (2007). PySAL: a Python library of spatial analytical
    methods. *The Review of Regional Studies* 37(1): 5-27.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> w = SpatialWeights.from_sparse(np.array([[0.0, 1.0], [1.0, 0.0]]), ids=["a", "b"])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_weights(w, Path(folder) / "w.csv")
    ...     print(path.read_text().splitlines())
    [',a,b', 'a,0.0,1.0', 'b,1.0,0.0']
    """
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
