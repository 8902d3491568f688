"""Tests of spatial/models/logdet.py: the log-determinant kernels agree with each other."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from spatial import SpatialWeights
from spatial.exceptions import InvalidOptionError
from spatial.models.logdet import chebyshev_traces, logdet_chebyshev, logdet_lu, make_logdet
from spatial.models.spectral import SeriesSpectrum


def knn_weights(n: int, k: int = 5, seed: int = 0) -> SpatialWeights:
    """Asymmetric k-nearest-neighbour W on random points, row-standardized."""
    from scipy.spatial import cKDTree

    points = np.random.default_rng(seed).uniform(size=(n, 2))
    _, idx = cKDTree(points).query(points, k + 1)
    rows = np.repeat(np.arange(n), k)
    mat = sparse.csr_matrix((np.ones(n * k), (rows, idx[:, 1:].ravel())), shape=(n, n))
    return SpatialWeights.from_sparse(mat).standardize("row")


def slogdet(w: SpatialWeights, rho: np.ndarray) -> np.ndarray:
    dense = w.matrix.toarray()
    return np.array([np.linalg.slogdet(np.eye(w.n) - r * dense)[1] for r in rho])


@pytest.fixture(scope="module", params=["cigarette", "knn"])
def weights(request, cigar_w) -> SpatialWeights:
    return cigar_w if request.param == "cigarette" else knn_weights(300)


def test_eigen_and_lu_equal_slogdet(weights):
    low, high = weights.rho_bounds()
    rho = np.linspace(low * 0.95, high * 0.95, 9)
    exact = slogdet(weights, rho)
    np.testing.assert_allclose(make_logdet(weights, "eigen")(rho), exact, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(logdet_lu(rho, weights.matrix), exact, rtol=1e-10, atol=1e-10)


def test_chebyshev_with_exact_traces_approximates_closely(weights):
    interval = weights.eigenvalue_range()
    traces = chebyshev_traces(weights.matrix, 30, interval, exact=True)
    rho = np.linspace(-0.9, 0.8, 8)
    # Chebyshev error of ln(1 - rho x) of order 30: below 1e-8 per entity for |rho| <= 0.9
    err = logdet_chebyshev(rho, traces, interval) - slogdet(weights, rho)
    assert np.abs(err).max() < 1e-8 * weights.n


def test_power_series_with_exact_traces_converges(weights):
    series = SeriesSpectrum.from_matrix(weights.matrix, order=200, exact=True)
    rho = np.linspace(-0.6, 0.6, 7)
    np.testing.assert_allclose(series.logdet(rho), slogdet(weights, rho), rtol=1e-9, atol=1e-9)


def test_stochastic_kernels_on_a_larger_w():
    w = knn_weights(4000, seed=3)
    rho = np.array([-0.5, 0.2, 0.5, 0.8])
    exact = logdet_lu(rho, w.matrix)
    # exact tr W, tr W^2 plus 50 Hutchinson probes: relative error below 0.5% at N = 4000
    for method in ("chebyshev", "mc"):
        approx = make_logdet(w, method, n_probes=50, seed=1)(rho)
        np.testing.assert_allclose(approx, exact, rtol=0.01, err_msg=method)


def test_vectorised_equals_scalar_calls(cigar_w):
    ld = make_logdet(cigar_w, "eigen")
    rho = np.array([-0.4, 0.1, 0.7])
    np.testing.assert_array_equal(ld(rho), [ld(np.array([r]))[0] for r in rho])


def test_auto_choice_and_mc_interval(cigar_w):
    assert make_logdet(cigar_w).method == "eigen"
    mc = make_logdet(cigar_w, "mc")
    # |rho| < 1 / spectral radius (= 1 for a row-standardized W)
    assert mc.bounds[0] == pytest.approx(-1.0) and mc.bounds[1] == pytest.approx(1.0)
    assert make_logdet(cigar_w, "eigen").bounds[0] < -1.0
    with pytest.raises(InvalidOptionError, match="logdet='qr' is not supported"):
        make_logdet(cigar_w, "qr")  # type: ignore[arg-type]


@pytest.mark.parametrize("model", ["SpatialDurbinPanel", "SpatialErrorPanel"])
def test_fits_with_the_sparse_lu_kernel_equal_the_eigen_fits(model):
    """With logdet='lu' the grid is placed by the Chebyshev approximation and checked with
    exact LU log-determinants; the estimate equals the one with exact eigenvalues."""
    import spatial

    from ..conftest import lattice_w, simulate_sdm

    w = lattice_w(12)
    data = simulate_sdm(w, 4, 0.5, (1.0, -0.5), (0.3, 0.2), seed=3)
    cls = getattr(spatial, model)
    fits = {
        method: cls(data, "y", ["x1", "x2"], w, region="id", year="t").fit(logdet=method)
        for method in ("eigen", "lu")
    }
    assert fits["lu"].options["logdet"] == "lu"
    np.testing.assert_allclose(fits["lu"].params, fits["eigen"].params, rtol=0, atol=1e-7)
    assert fits["lu"].loglik == pytest.approx(fits["eigen"].loglik, rel=1e-10)
    assert fits["lu"].options["evaluations"] < 40
