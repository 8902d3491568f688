"""Spatial weights: the immutable :class:`SpatialWeights` matrix with its ids.

W is stored sparse (CSR) with the entity label of every row; models match it to
the data by these labels, never by position. Transformations return new
objects; eigenvalues are computed once and cached.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csr_matrix
from scipy.sparse import linalg as sparse_linalg

from spatial._core.messages import format_items
from spatial._core.options import check_option

from ..exceptions import WeightsAlignmentError, WeightsError

__all__ = ["SpatialWeights"]

Transform = Literal["row", "none"]

#: Matrices up to this size get a dense eigen-decomposition when asked for eigenvalues.
DENSE_EIGEN_LIMIT = 5_000
#: Above this size the extreme eigenvalues come from ARPACK instead of a dense decomposition.
SPARSE_RANGE_ABOVE = 1_000


class SpatialWeights:
    """A spatial weights matrix with entity ids.

    Parameters
    ----------
    matrix : sparse matrix or array, shape (N, N)
        Non-negative weights with a zero diagonal.
    ids : sequence of hashable
        Entity label of each row (and column), unique.
    transform : {"none", "row"}
        How the weights were transformed (recorded, not applied).

    Raises
    ------
    WeightsError
        Not square, ids of the wrong length or duplicated, negative or
        non-finite weights, a non-zero diagonal.

    Notes
    -----
    Build with :meth:`from_dataframe`, :meth:`from_libpysal` or
    :meth:`from_sparse`; standardize with :meth:`standardize`. Islands (rows
    without neighbours) are allowed in the object and reported by
    :attr:`islands`; the models refuse them.

    Row-standardization is :math:`w^*_{ij} = w_{ij}/\\sum_k w_{ik}` (Anselin and Rey
    2014). When :math:`W = D^{-1}C` comes from a symmetric ``C`` with row sums
    :math:`D`, the eigenvalues are those of the symmetric matrix
    :math:`D^{1/2}WD^{-1/2} = D^{-1/2}CD^{-1/2}`, hence real (Ord 1975).
    :meth:`rho_bounds` is the interval
    :math:`(1/\\lambda_{min}, 1/\\lambda_{max})` of the real eigenvalues, on
    which :math:`I - \\rho W` is non-singular (Ord 1975; LeSage and Pace 2009,
    ch. 4).

    References
    ----------
    Ord, K. (1975). Estimation methods for models of spatial interaction. *Journal of
    the American Statistical Association* 70(349): 120-126.

    Anselin, L. and Rey, S. J. (2014). *Modern Spatial Econometrics in Practice: A
    Guide to GeoDa, GeoDaSpace and PySAL*. GeoDa Press, Chicago.

    LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC
    Press, Boca Raton.

    Examples
    --------
    >>> import numpy as np
    >>> w = SpatialWeights.from_sparse(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]), ids="abc")
    >>> w.standardize("row").sparse.toarray()[1]
    array([0.5, 0. , 0.5])

    The row-standardized path has eigenvalues -1, 0 and 1:

    >>> tuple(round(bound, 6) for bound in w.standardize("row").rho_bounds())
    (-1.0, 1.0)
    """

    __slots__ = ("_cache", "_ids", "_matrix", "_symmetric_base", "_transform")
    _cache: dict[Hashable, Any]
    _ids: tuple[Hashable, ...]
    _matrix: csr_matrix
    _symmetric_base: np.ndarray | None
    _transform: str

    def __init__(
        self,
        matrix: Any,
        ids: Sequence[Hashable],
        transform: Transform = "none",
        *,
        _symmetric_base: np.ndarray | None = None,
    ) -> None:
        check_option("transform", transform, ("none", "row"), WeightsError)
        mat = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
        n_rows, n_cols = mat.shape
        if n_rows != n_cols:
            raise WeightsError(f"W must be square; got shape {mat.shape}.")
        labels = tuple(ids)
        if len(labels) != n_rows:
            raise WeightsError(f"W has {n_rows} rows but {len(labels)} ids were given.")
        dup = pd.Index(labels)[pd.Index(labels).duplicated()].unique().tolist()
        if dup:
            raise WeightsError(f"W ids must be unique; repeated: {format_items(dup)}.")
        mat.sum_duplicates()
        mat.eliminate_zeros()
        if not np.isfinite(mat.data).all():
            raise WeightsError("W has missing or infinite weights.")
        if (mat.data < 0).any():
            rows = np.repeat(np.arange(n_rows), np.diff(mat.indptr))[mat.data < 0]
            raise WeightsError(
                f"W has negative weights in the rows of {format_items([labels[r] for r in rows])}."
            )
        diagonal = mat.diagonal()
        if (diagonal != 0).any():
            where = [labels[i] for i in np.flatnonzero(diagonal)]
            raise WeightsError(
                f"W has a non-zero diagonal (an entity is its own neighbour) at "
                f"{format_items(where)}; set W[i, i] = 0."
            )
        mat.sort_indices()
        object.__setattr__(self, "_matrix", mat)
        object.__setattr__(self, "_ids", labels)
        object.__setattr__(self, "_transform", transform)
        object.__setattr__(self, "_symmetric_base", _symmetric_base)
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("SpatialWeights is immutable; its methods return new objects.")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the constructor's arguments (for worker processes); the cache of
        derived quantities is not sent."""
        return (_rebuild_weights, (self._matrix, self._ids, self._transform, self._symmetric_base))

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_sparse(cls, matrix: Any, ids: Sequence[Hashable] | None = None) -> SpatialWeights:
        """From a scipy sparse matrix or dense array; ``ids`` default to ``0..N-1``."""
        n = matrix.shape[0]
        return cls(matrix, list(range(n)) if ids is None else list(ids))

    @classmethod
    def from_dataframe(cls, frame: pd.DataFrame) -> SpatialWeights:
        """From a square DataFrame whose index and columns are the entity labels.

        Columns are matched to rows by label (their order may differ).
        """
        if frame.shape[0] != frame.shape[1]:
            raise WeightsError(f"The weights table must be square; got {frame.shape}.")
        rows, cols = list(frame.index), list(frame.columns)
        if set(rows) != set(cols):
            only_rows = [r for r in rows if r not in set(cols)]
            only_cols = [c for c in cols if c not in set(rows)]
            raise WeightsAlignmentError(
                f"Row and column labels differ: only in rows {format_items(only_rows)}; only "
                f"in columns {format_items(only_cols)}."
            )
        values = frame.loc[:, rows].to_numpy(dtype=np.float64)
        return cls(values, rows)

    @classmethod
    def from_libpysal(cls, w: Any) -> SpatialWeights:
        """From a libpysal ``W`` (``id_order``) or ``Graph`` (``unique_ids``)."""
        if hasattr(w, "unique_ids") and hasattr(w, "sparse"):  # libpysal.graph.Graph
            return cls(w.sparse, list(w.unique_ids))
        if hasattr(w, "id_order") and hasattr(w, "sparse"):  # libpysal.weights.W
            return cls(w.sparse, list(w.id_order))
        raise WeightsError(f"Expected a libpysal W or Graph, got {type(w).__name__}.")

    def to_libpysal(self) -> Any:
        """This W as a libpysal ``W`` with the same ids in the same order (for esda, giddy,
        libpysal's writers); libpysal's island warnings are silenced (see :attr:`islands`)."""
        from libpysal.weights import WSP

        return WSP(self._matrix.copy(), id_order=list(self._ids)).to_W(silence_warnings=True)

    # ---------------------------------------------------------------- properties
    @property
    def ids(self) -> tuple[Hashable, ...]:
        """Entity label of each row, in matrix order."""
        return self._ids

    def cached(self, key: Hashable) -> Any:
        """A derived object stored by :meth:`cache` (eigenvalues, kernels), or ``None``."""
        return self._cache.get(key)

    def cache(self, key: Hashable, value: Any) -> None:
        """Remember a quantity derived from W (W itself never changes)."""
        self._cache[key] = value

    @property
    def id_index(self) -> pd.Index:
        """The ids as a pandas Index (cached), for label look-ups."""
        if "index" not in self._cache:
            self._cache["index"] = pd.Index(self._ids)
        return self._cache["index"]

    @property
    def n(self) -> int:
        """Number of entities."""
        return len(self._ids)

    @property
    def sparse(self) -> csr_matrix:
        """A copy of W as a CSR matrix."""
        return self._matrix.copy()

    @property
    def matrix(self) -> csr_matrix:
        """W itself (read-only view for the estimation kernels; do not modify)."""
        return self._matrix

    @property
    def transform(self) -> str:
        """``"row"`` if row-standardized, else ``"none"``."""
        return self._transform

    @property
    def neighbor_counts(self) -> pd.Series:
        """Number of neighbours of each entity."""
        return pd.Series(np.diff(self._matrix.indptr), index=pd.Index(self._ids), name="neighbors")

    @property
    def islands(self) -> tuple[Hashable, ...]:
        """Entities without neighbours."""
        if "islands" not in self._cache:
            counts = np.diff(self._matrix.indptr)
            self._cache["islands"] = tuple(self._ids[i] for i in np.flatnonzero(counts == 0))
        return self._cache["islands"]

    @property
    def n_links(self) -> int:
        """Number of non-zero weights."""
        return int(self._matrix.nnz)

    @property
    def is_row_standardized(self) -> bool:
        """True if every row sums to one (within 1e-12)."""
        sums = np.asarray(self._matrix.sum(axis=1)).ravel()
        return bool(np.allclose(sums, 1.0, rtol=0, atol=1e-12))

    @property
    def is_symmetric(self) -> bool:
        """True if W equals its transpose (within 1e-12)."""
        diff = abs(self._matrix - self._matrix.T)
        return bool(diff.nnz == 0 or diff.max() <= 1e-12)

    # ------------------------------------------------------------ transformations
    def standardize(self, kind: Transform = "row") -> SpatialWeights:
        """Row-standardize (``"row"``) or keep (``"none"``); returns a new object.

        A row-standardized symmetric matrix remembers its symmetric base so that
        eigenvalues come from the similar symmetric matrix (real, fast, stable).
        Rows of islands stay zero.
        """
        check_option("kind", kind, ("row", "none"))
        if kind == "none":
            return self
        sums = np.asarray(self._matrix.sum(axis=1)).ravel()
        scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
        base = self._symmetric_base
        if base is None and self._transform == "none" and self.is_symmetric:
            base = sums
        return SpatialWeights(
            sparse.diags(scale) @ self._matrix if self._transform != "row" else self._matrix,
            self._ids,
            "row",
            _symmetric_base=base,
        )

    def reorder(self, ids: Sequence[Hashable]) -> SpatialWeights:
        """W with rows and columns permuted to ``ids`` (which must be exactly W's ids)."""
        wanted = list(ids)
        position = {label: k for k, label in enumerate(self._ids)}
        missing = [i for i in wanted if i not in position]
        extra = sorted(set(position) - set(wanted), key=str)
        if missing or extra or len(wanted) != self.n:
            hint = ""
            if missing and {str(m) for m in missing} & {str(k) for k in position}:
                hint = " Labels match as text: make the id types agree (e.g. all str)."
            raise WeightsAlignmentError(
                f"Ids in the data but not in W: {format_items(missing)}; in W but not in the "
                f"data: {format_items(extra)}.{hint}"
            )
        order = np.array([position[i] for i in wanted])
        if np.array_equal(order, np.arange(self.n)):
            return self
        base = None if self._symmetric_base is None else self._symmetric_base[order]
        transform: Transform = "row" if self._transform == "row" else "none"
        return SpatialWeights(
            self._matrix[order][:, order], wanted, transform, _symmetric_base=base
        )

    # --------------------------------------------------------------- spectrum
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of W (real when W is similar to a symmetric matrix), cached.

        Dense computation; refused above ``DENSE_EIGEN_LIMIT`` entities (use a
        sparse log-determinant method there).
        """
        if "eigenvalues" not in self._cache:
            self._cache["eigenvalues"] = self._eigen(vectors=False)[0]
        return self._cache["eigenvalues"]

    def eigen_decomposition(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Eigenvalues ``lam``, right eigenvectors ``V`` and ``V^{-1}`` (cached)."""
        if "vectors" not in self._cache:
            self._cache["vectors"] = self._eigen(vectors=True)
            self._cache["eigenvalues"] = self._cache["vectors"][0]
        return self._cache["vectors"]

    def _eigen(self, *, vectors: bool) -> tuple[np.ndarray, ...]:
        if self.n > DENSE_EIGEN_LIMIT:
            raise WeightsError(
                f"A dense eigen-decomposition of a {self.n} x {self.n} W is too large; use "
                "logdet='lu', 'chebyshev' or 'mc'."
            )
        dense = self._matrix.toarray()
        if self._symmetric_base is not None or self.is_symmetric:
            root = (
                np.sqrt(self._symmetric_base)
                if self._symmetric_base is not None
                else np.ones(self.n)
            )
            inv_root = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
            sym = root[:, None] * dense * inv_root[None, :]
            sym = (sym + sym.T) / 2.0
            if not vectors:
                return (np.linalg.eigvalsh(sym),)
            lam, q = np.linalg.eigh(sym)
            return lam, inv_root[:, None] * q, q.T * root[None, :]
        if not vectors:
            lam = np.linalg.eigvals(dense)
            return (lam.real if np.abs(lam.imag).max() < 1e-12 else lam,)
        lam, v = np.linalg.eig(dense)
        return lam, v, np.linalg.inv(v)

    def eigenvalue_range(self) -> tuple[float, float]:
        """Smallest and largest real eigenvalue (dense up to 1,000 entities, ARPACK above)."""
        if "range" not in self._cache:
            if "eigenvalues" in self._cache or self.n <= SPARSE_RANGE_ABOVE:
                lam = self.eigenvalues()
                real = lam.real[np.abs(np.imag(lam)) < 1e-10] if np.iscomplexobj(lam) else lam
                self._cache["range"] = (float(real.min()), float(real.max()))
            else:
                self._cache["range"] = self._sparse_range()
        return self._cache["range"]

    def _sparse_range(self) -> tuple[float, float]:
        mat = self._matrix
        if self._symmetric_base is not None:
            root = np.sqrt(self._symmetric_base)
            inv = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
            sym = sparse.diags(root) @ mat @ sparse.diags(inv)
            sym = (sym + sym.T) / 2.0
            low = sparse_linalg.eigsh(sym, k=1, which="SA", return_eigenvectors=False)[0]
            high = sparse_linalg.eigsh(sym, k=1, which="LA", return_eigenvectors=False)[0]
            return float(low), float(high)
        low = sparse_linalg.eigs(mat, k=1, which="SR", return_eigenvectors=False)[0].real
        high = (
            1.0
            if self.is_row_standardized
            else sparse_linalg.eigs(mat, k=1, which="LR", return_eigenvectors=False)[0].real
        )
        return float(low), float(high)

    def rho_bounds(self) -> tuple[float, float]:
        """The admissible interval ``(1/omega_min, 1/omega_max)`` of a spatial parameter."""
        low, high = self.eigenvalue_range()
        if low >= 0 or high <= 0:
            raise WeightsError(
                f"W's real eigenvalues span [{low:.6g}, {high:.6g}]; a spatial parameter "
                "interval needs a negative and a positive eigenvalue."
            )
        return 1.0 / low, 1.0 / high

    def summary(self) -> pd.DataFrame:
        """Entities, links, neighbours, islands, eigenvalue range and rho interval, for a paper."""
        counts = np.diff(self._matrix.indptr)
        low, high = self.eigenvalue_range()
        rows = {
            "entities": self.n,
            "links (non-zero weights)": self.n_links,
            "mean neighbours": float(counts.mean()),
            "min neighbours": int(counts.min()),
            "max neighbours": int(counts.max()),
            "islands": len(self.islands),
            "row-standardized": self.is_row_standardized,
            "symmetric": self.is_symmetric,
            "smallest eigenvalue": low,
            "largest eigenvalue": high,
            "rho lower bound": 1.0 / low if low < 0 else float("nan"),
            "rho upper bound": 1.0 / high if high > 0 else float("nan"),
        }
        return pd.DataFrame({"value": pd.Series(rows, dtype=object)})

    def __repr__(self) -> str:
        return (
            f"<SpatialWeights: {self.n} entities, {self.n_links} links, "
            f"transform={self._transform!r}>"
        )


def _rebuild_weights(
    matrix: csr_matrix, ids: tuple[Hashable, ...], transform: Transform, base: np.ndarray | None
) -> SpatialWeights:
    """Unpickle a :class:`SpatialWeights` (see ``__reduce__``)."""
    return SpatialWeights(matrix, ids, transform, _symmetric_base=base)
