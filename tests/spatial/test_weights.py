"""Tests of spatial/weights.py: builders, transformations, spectrum and errors of SpatialWeights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import spatial.weights.matrix as weights_module
from spatial import SpatialWeights
from spatial.exceptions import (
    InvalidOptionError,
    WeightsAlignmentError,
    WeightsError,
)
from tests.spatial.conftest import lattice_matrix, lattice_w

# A path graph a - b - c - d (binary, symmetric).
PATH = np.array(
    [
        [0.0, 1.0, 0.0, 0.0],
        [1.0, 0.0, 1.0, 0.0],
        [0.0, 1.0, 0.0, 1.0],
        [0.0, 0.0, 1.0, 0.0],
    ]
)
PATH_IDS = ["a", "b", "c", "d"]


def dense(w: SpatialWeights) -> np.ndarray:
    return w.sparse.toarray()


def sorted_dense_eigenvalues(matrix: np.ndarray) -> np.ndarray:
    lam = np.linalg.eigvals(matrix)
    assert np.abs(lam.imag).max() < 1e-10
    return np.sort(lam.real)


@pytest.fixture(scope="module")
def big_lattice() -> SpatialWeights:
    """40 x 40 row-standardized rook lattice (N = 1600 > 1000: the ARPACK branch)."""
    return lattice_w(40)


# ---------------------------------------------------------------------------- builders
def test_from_sparse_accepts_dense_and_sparse_and_keeps_ids() -> None:
    from_dense = SpatialWeights.from_sparse(PATH, ids=PATH_IDS)
    from_csr = SpatialWeights.from_sparse(sparse.csr_matrix(PATH), ids=PATH_IDS)
    from_coo = SpatialWeights.from_sparse(sparse.coo_matrix(PATH), ids=PATH_IDS)
    for w in (from_dense, from_csr, from_coo):
        np.testing.assert_array_equal(dense(w), PATH)
        assert w.ids == tuple(PATH_IDS)
        assert w.n == 4
        assert w.n_links == 6
        assert w.transform == "none"
        assert sparse.issparse(w.sparse)


def test_from_sparse_default_ids_are_positions() -> None:
    w = SpatialWeights.from_sparse(PATH)
    assert w.ids == (0, 1, 2, 3)


def test_from_sparse_does_not_keep_a_reference_to_the_input() -> None:
    values = PATH.copy()
    w = SpatialWeights.from_sparse(values, ids=PATH_IDS)
    values[0, 1] = 7.0
    np.testing.assert_array_equal(dense(w), PATH)


def test_from_dataframe_matches_columns_to_rows_by_label() -> None:
    rng = np.random.default_rng(1)
    n = 6
    values = rng.uniform(size=(n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    np.fill_diagonal(values, 0.0)  # asymmetric on purpose: a transposition would show
    labels = [f"r{i}" for i in range(n)]
    frame = pd.DataFrame(values, index=labels, columns=labels)
    shuffled = frame[[labels[i] for i in (3, 0, 5, 1, 4, 2)]]
    w = SpatialWeights.from_dataframe(shuffled)
    assert w.ids == tuple(labels)
    np.testing.assert_array_equal(dense(w), values)
    assert w.sparse[0, 2] == values[0, 2]


def test_from_dataframe_row_order_is_kept() -> None:
    frame = pd.DataFrame(PATH, index=PATH_IDS, columns=PATH_IDS)
    order = ["c", "a", "d", "b"]
    w = SpatialWeights.from_dataframe(frame.loc[order, PATH_IDS])
    assert w.ids == tuple(order)
    np.testing.assert_array_equal(dense(w), frame.loc[order, order].to_numpy())


def test_from_libpysal_w_lat2w_equals_own_lattice() -> None:
    libpysal_weights = pytest.importorskip("libpysal.weights")
    lat = libpysal_weights.lat2W(5, 5)  # rook contiguity, ids 0..24 row by row
    w = SpatialWeights.from_libpysal(lat)
    assert w.ids == tuple(lat.id_order)
    np.testing.assert_array_equal(dense(w), lattice_matrix(5).toarray())
    np.testing.assert_allclose(dense(w.standardize("row")), dense(lattice_w(5)), rtol=1e-15)


def test_from_libpysal_graph_from_w() -> None:
    graph_module = pytest.importorskip("libpysal.graph")
    libpysal_weights = pytest.importorskip("libpysal.weights")
    graph = graph_module.Graph.from_W(libpysal_weights.lat2W(4, 4))
    w = SpatialWeights.from_libpysal(graph)
    assert w.ids == tuple(graph.unique_ids)
    np.testing.assert_array_equal(dense(w), lattice_matrix(4).toarray())


def test_from_libpysal_graph_build_contiguity_keeps_labels() -> None:
    graph_module = pytest.importorskip("libpysal.graph")
    gpd = pytest.importorskip("geopandas")
    geometry = pytest.importorskip("shapely.geometry")
    side = 4
    labels = [f"c{i:02d}" for i in range(side * side)]
    cells = [geometry.box(c, -r, c + 1, -r + 1) for r in range(side) for c in range(side)]
    # reversed order: the ids, not the positions, must carry the labels
    series = gpd.GeoSeries(cells, index=labels).iloc[::-1]
    graph = graph_module.Graph.build_contiguity(series, rook=True)
    w = SpatialWeights.from_libpysal(graph)
    assert set(w.ids) == set(labels)
    expected = SpatialWeights.from_sparse(lattice_matrix(side), ids=labels).reorder(w.ids)
    np.testing.assert_array_equal(dense(w), dense(expected))


def test_from_libpysal_rejects_other_objects() -> None:
    with pytest.raises(WeightsError, match="Expected a libpysal W or Graph, got ndarray"):
        SpatialWeights.from_libpysal(PATH)


# ------------------------------------------------------------------ transformations
def test_standardize_returns_a_new_object_and_leaves_the_original() -> None:
    w = SpatialWeights.from_sparse(PATH, ids=PATH_IDS)
    before = dense(w)
    rw = w.standardize("row")
    assert rw is not w
    assert rw.transform == "row" and rw.is_row_standardized
    assert w.transform == "none" and not w.is_row_standardized
    np.testing.assert_array_equal(dense(w), before)
    np.testing.assert_allclose(dense(rw), PATH / PATH.sum(axis=1, keepdims=True), rtol=1e-15)
    assert rw.ids == w.ids
    assert w.standardize("none") is w


def test_standardize_twice_is_idempotent() -> None:
    rw = lattice_w(5)
    np.testing.assert_array_equal(dense(rw.standardize("row")), dense(rw))


def test_standardize_keeps_island_rows_zero() -> None:
    values = PATH.copy()
    values[3, 2] = values[2, 3] = 0.0
    rw = SpatialWeights.from_sparse(values, ids=PATH_IDS).standardize("row")
    np.testing.assert_array_equal(dense(rw)[3], np.zeros(4))
    np.testing.assert_allclose(dense(rw).sum(axis=1), [1.0, 1.0, 1.0, 0.0])


def test_standardize_rejects_unknown_kind() -> None:
    with pytest.raises(InvalidOptionError, match="kind='col' is not supported; choose one of"):
        lattice_w(3).standardize("col")  # type: ignore[arg-type]


def test_weights_are_immutable() -> None:
    w = SpatialWeights.from_sparse(PATH, ids=PATH_IDS)
    with pytest.raises(AttributeError, match="immutable"):
        w.ids = ("w", "x", "y", "z")  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        w._matrix = sparse.csr_matrix(np.zeros((4, 4)))
    with pytest.raises(AttributeError, match="immutable"):
        w.anything = 1  # type: ignore[attr-defined]
    # the public sparse matrix is a copy
    copy = w.sparse
    copy[0, 1] = 5.0
    np.testing.assert_array_equal(dense(w), PATH)
    assert w.ids == tuple(PATH_IDS)


def test_reorder_permutes_rows_and_columns_by_label() -> None:
    rng = np.random.default_rng(2)
    values = rng.uniform(size=(5, 5)) * (rng.uniform(size=(5, 5)) < 0.7)
    np.fill_diagonal(values, 0.0)
    ids = ["v", "w", "x", "y", "z"]
    w = SpatialWeights.from_sparse(values, ids=ids)
    order = ["y", "v", "z", "x", "w"]
    moved = w.reorder(order)
    assert moved.ids == tuple(order)
    positions = [ids.index(i) for i in order]
    np.testing.assert_array_equal(dense(moved), values[np.ix_(positions, positions)])
    back = moved.reorder(ids)
    np.testing.assert_array_equal(dense(back), values)
    assert w.ids == tuple(ids)  # the original is untouched


def test_reorder_keeps_transform_and_spectrum(cigar_w: SpatialWeights) -> None:
    rng = np.random.default_rng(3)
    order = list(rng.permutation(np.asarray(cigar_w.ids)))
    moved = cigar_w.reorder(order)
    assert moved.transform == "row" and moved.is_row_standardized
    np.testing.assert_allclose(
        np.sort(moved.eigenvalues()), np.sort(cigar_w.eigenvalues()), rtol=1e-10, atol=1e-12
    )


def test_neighbor_counts_on_lattice() -> None:
    counts = lattice_w(4).neighbor_counts
    assert isinstance(counts, pd.Series)
    assert list(counts.index) == list(range(16))
    grid = counts.to_numpy().reshape(4, 4)
    assert grid[0, 0] == grid[0, 3] == grid[3, 0] == grid[3, 3] == 2
    np.testing.assert_array_equal(grid[0, 1:3], [3, 3])
    np.testing.assert_array_equal(grid[1:3, 1:3], [[4, 4], [4, 4]])
    assert counts.sum() == lattice_w(4).n_links == 2 * 2 * 4 * 3


def test_neighbor_counts_cigarette(cigar_w: SpatialWeights) -> None:
    counts = cigar_w.neighbor_counts
    assert counts.sum() == 188
    assert counts.min() >= 1
    assert list(counts.index) == list(cigar_w.ids)


def test_islands() -> None:
    assert lattice_w(3).islands == ()
    values = PATH.copy()
    values[0, 1] = values[1, 0] = 0.0
    w = SpatialWeights.from_sparse(values, ids=PATH_IDS)
    assert w.islands == ("a",)
    assert w.neighbor_counts["a"] == 0


# ------------------------------------------------------------------------ spectrum
@pytest.mark.parametrize("standardize", [True, False])
def test_eigenvalues_equal_numpy(standardize: bool) -> None:
    w = lattice_w(7, standardize=standardize)
    expected = sorted_dense_eigenvalues(dense(w))
    # atol for the eigenvalues that are zero in exact arithmetic (about 1e-16 numerically)
    np.testing.assert_allclose(np.sort(w.eigenvalues()), expected, rtol=1e-10, atol=1e-12)


def test_eigenvalues_cigarette_equal_numpy(cigar_w: SpatialWeights) -> None:
    expected = sorted_dense_eigenvalues(dense(cigar_w))
    np.testing.assert_allclose(np.sort(cigar_w.eigenvalues()), expected, rtol=1e-10, atol=1e-12)


def test_eigenvalues_of_asymmetric_weights_equal_numpy() -> None:
    # an asymmetric W that is not a scaled symmetric matrix: the general eig branch
    values = np.array(
        [
            [0.0, 2.0, 0.0, 1.0],
            [1.0, 0.0, 1.0, 0.0],
            [0.0, 3.0, 0.0, 1.0],
            [1.0, 0.0, 1.0, 0.0],
        ]
    )
    w = SpatialWeights.from_sparse(values)
    lam = np.linalg.eigvals(values)
    np.testing.assert_allclose(
        np.sort_complex(np.asarray(w.eigenvalues(), dtype=complex)),
        np.sort_complex(lam),
        rtol=1e-10,
        atol=1e-12,
    )


def test_eigen_decomposition_reconstructs_w(cigar_w: SpatialWeights) -> None:
    lam, v, v_inv = cigar_w.eigen_decomposition()
    np.testing.assert_allclose(v @ np.diag(lam) @ v_inv, dense(cigar_w), atol=1e-12)


def test_rho_bounds_are_inverse_extreme_eigenvalues() -> None:
    w = lattice_w(7)
    lam = sorted_dense_eigenvalues(dense(w))
    low, high = w.rho_bounds()
    np.testing.assert_allclose([low, high], [1.0 / lam[0], 1.0 / lam[-1]], rtol=1e-10)
    assert high == pytest.approx(1.0, rel=1e-12)  # row-standardized: largest eigenvalue 1


def test_rho_bounds_cigarette(cigar_w: SpatialWeights) -> None:
    lam = sorted_dense_eigenvalues(dense(cigar_w))
    np.testing.assert_allclose(cigar_w.rho_bounds(), (1 / lam[0], 1 / lam[-1]), rtol=1e-10)


def test_rho_bounds_need_negative_and_positive_eigenvalues() -> None:
    w = SpatialWeights.from_sparse(np.zeros((3, 3)), ids="xyz")
    with pytest.raises(WeightsError, match="needs a negative and a positive eigenvalue"):
        w.rho_bounds()


def test_eigenvalue_range_arpack_row_standardized(
    big_lattice: SpatialWeights, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert big_lattice.n > weights_module.SPARSE_RANGE_ABOVE
    calls = []
    real_eigsh = weights_module.sparse_linalg.eigsh

    def spy(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(kwargs.get("which"))
        return real_eigsh(*args, **kwargs)

    monkeypatch.setattr(weights_module.sparse_linalg, "eigsh", spy)
    low, high = big_lattice.eigenvalue_range()
    assert sorted(calls) == ["LA", "SA"]  # the ARPACK branch ran
    # dense reference: W = D^-1 A is similar to the symmetric D^-1/2 A D^-1/2
    binary = lattice_matrix(40).toarray()
    root = 1.0 / np.sqrt(binary.sum(axis=1))
    lam = np.linalg.eigvalsh(root[:, None] * binary * root[None, :])
    np.testing.assert_allclose([low, high], [lam[0], lam[-1]], rtol=1e-8)
    np.testing.assert_allclose(big_lattice.rho_bounds(), (1 / lam[0], 1 / lam[-1]), rtol=1e-8)


def test_eigenvalue_range_arpack_unstandardized(monkeypatch: pytest.MonkeyPatch) -> None:
    w = lattice_w(40, standardize=False)
    calls = []
    real_eigs = weights_module.sparse_linalg.eigs

    def spy(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(kwargs.get("which"))
        return real_eigs(*args, **kwargs)

    monkeypatch.setattr(weights_module.sparse_linalg, "eigs", spy)
    low, high = w.eigenvalue_range()
    assert sorted(calls) == ["LR", "SR"]
    lam = np.linalg.eigvalsh(dense(w))  # binary rook contiguity is symmetric
    np.testing.assert_allclose([low, high], [lam[0], lam[-1]], rtol=1e-8)
    # the grid's spectrum is known: 2 cos(pi i / 41) + 2 cos(pi j / 41)
    np.testing.assert_allclose(high, 4 * np.cos(np.pi / 41), rtol=1e-8)


def test_dense_eigenvalues_refused_for_very_large_w() -> None:
    side = int(np.ceil(np.sqrt(weights_module.DENSE_EIGEN_LIMIT + 1)))
    w = lattice_w(side)
    with pytest.raises(WeightsError, match="too large; use logdet="):
        w.eigenvalues()


def test_summary_fields(cigar_w: SpatialWeights) -> None:
    table = cigar_w.summary()
    assert list(table.columns) == ["value"]
    assert list(table.index) == [
        "entities",
        "links (non-zero weights)",
        "mean neighbours",
        "min neighbours",
        "max neighbours",
        "islands",
        "row-standardized",
        "symmetric",
        "smallest eigenvalue",
        "largest eigenvalue",
        "rho lower bound",
        "rho upper bound",
    ]
    value = table["value"]
    counts = cigar_w.neighbor_counts
    lam = sorted_dense_eigenvalues(dense(cigar_w))
    assert value["entities"] == 46
    assert value["links (non-zero weights)"] == 188
    assert value["mean neighbours"] == pytest.approx(188 / 46)
    assert value["min neighbours"] == counts.min()
    assert value["max neighbours"] == counts.max()
    assert value["islands"] == 0
    assert value["row-standardized"] is True
    assert value["symmetric"] is False
    assert value["smallest eigenvalue"] == pytest.approx(lam[0], rel=1e-10)
    assert value["largest eigenvalue"] == pytest.approx(1.0, rel=1e-10)
    assert value["rho lower bound"] == pytest.approx(1 / lam[0], rel=1e-10)
    assert value["rho upper bound"] == pytest.approx(1.0, rel=1e-10)


def test_summary_of_binary_lattice() -> None:
    value = lattice_w(3, standardize=False).summary()["value"]
    assert value["symmetric"] is True
    assert value["row-standardized"] is False
    assert value["min neighbours"] == 2 and value["max neighbours"] == 4
    assert value["largest eigenvalue"] == pytest.approx(2 * np.sqrt(2), rel=1e-10)


def test_repr() -> None:
    assert repr(lattice_w(3)) == "<SpatialWeights: 9 entities, 24 links, transform='row'>"


# -------------------------------------------------------------------------- errors
def test_not_square() -> None:
    with pytest.raises(WeightsError, match=r"W must be square; got shape \(3, 4\)"):
        SpatialWeights.from_sparse(np.zeros((3, 4)), ids="abc")


def test_from_dataframe_not_square() -> None:
    frame = pd.DataFrame(np.zeros((2, 3)), index=["a", "b"], columns=["a", "b", "c"])
    with pytest.raises(WeightsError, match="must be square"):
        SpatialWeights.from_dataframe(frame)


def test_wrong_number_of_ids() -> None:
    with pytest.raises(WeightsError, match="W has 4 rows but 3 ids were given"):
        SpatialWeights.from_sparse(PATH, ids=["a", "b", "c"])


def test_duplicated_ids() -> None:
    with pytest.raises(WeightsError, match="W ids must be unique; repeated: b"):
        SpatialWeights.from_sparse(PATH, ids=["a", "b", "b", "d"])


def test_negative_weight() -> None:
    values = PATH.copy()
    values[2, 1] = -0.5
    with pytest.raises(WeightsError, match="negative weights in the rows of c"):
        SpatialWeights.from_sparse(values, ids=PATH_IDS)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weight(bad: float) -> None:
    values = PATH.copy()
    values[1, 2] = bad
    with pytest.raises(WeightsError, match="missing or infinite weights"):
        SpatialWeights.from_sparse(values, ids=PATH_IDS)


def test_non_zero_diagonal() -> None:
    values = PATH.copy()
    values[3, 3] = 1.0
    with pytest.raises(WeightsError, match=r"non-zero diagonal .* at d; set W\[i, i\] = 0"):
        SpatialWeights.from_sparse(values, ids=PATH_IDS)


def test_unknown_transform() -> None:
    with pytest.raises(WeightsError, match="transform='col' is not supported"):
        SpatialWeights(PATH, PATH_IDS, transform="col")  # type: ignore[arg-type]


def test_from_dataframe_labels_differ() -> None:
    frame = pd.DataFrame(PATH, index=PATH_IDS, columns=["a", "b", "c", "e"])
    with pytest.raises(
        WeightsAlignmentError,
        match="Row and column labels differ: only in rows d; only in columns e",
    ):
        SpatialWeights.from_dataframe(frame)


def test_reorder_unknown_ids() -> None:
    w = SpatialWeights.from_sparse(PATH, ids=PATH_IDS)
    with pytest.raises(
        WeightsAlignmentError,
        match="Ids in the data but not in W: q; in W but not in the data: d",
    ):
        w.reorder(["a", "b", "c", "q"])


def test_reorder_missing_ids() -> None:
    w = SpatialWeights.from_sparse(PATH, ids=PATH_IDS)
    with pytest.raises(WeightsAlignmentError, match="in W but not in the data: c, d"):
        w.reorder(["a", "b"])


def test_reorder_int_ids_requested_as_text_gets_a_hint() -> None:
    w = SpatialWeights.from_sparse(PATH)  # ids 0..3 (int)
    with pytest.raises(WeightsAlignmentError, match="match as text"):
        w.reorder(["0", "1", "2", "3"])


def test_reorder_without_text_match_has_no_hint() -> None:
    w = SpatialWeights.from_sparse(PATH)
    with pytest.raises(WeightsAlignmentError) as info:
        w.reorder([0, 1, 2, 9])
    assert "match as text" not in str(info.value)


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="must be square"):
        SpatialWeights.from_sparse(np.zeros((2, 3)))
