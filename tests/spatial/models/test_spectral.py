"""Tests of spatial/models/spectral.py: exact spectral sums against dense algebra and series."""

from __future__ import annotations

import numpy as np
import pytest

from spatial import SpatialWeights
from spatial.models.spectral import EigenSpectrum, SeriesSpectrum

RHO = np.array([-0.6, -0.1, 0.0, 0.35, 0.7])


def _dense_sums(w: SpatialWeights, rho: float) -> dict[str, float]:
    a = w.matrix.toarray()
    inv = np.linalg.inv(np.eye(w.n) - rho * a)
    ones = np.ones(w.n)
    return {
        "tr_inv": np.trace(inv),
        "tr_w_inv": np.trace(a @ inv),
        "tr_w_inv2": np.trace(a @ inv @ inv),
        "tr_g2": np.trace(a @ inv @ a @ inv),
        "total0": ones @ inv @ ones / w.n,
        "total1": ones @ inv @ a @ ones / w.n,
    }


@pytest.mark.parametrize("standardized", [True, False])
def test_eigen_sums_equal_dense_algebra(cigar_w, standardized):
    w = cigar_w if standardized else SpatialWeights.from_sparse(
        (cigar_w.matrix > 0).astype(float), ids=cigar_w.ids
    )  # fmt: skip
    spectrum = EigenSpectrum.from_weights(w)
    low, high = w.rho_bounds()
    for r in RHO * (high if standardized else 1.0 / max(-low, high) * 0.99):
        dense = _dense_sums(w, r)
        assert spectrum.sum(r, 0, 1)[()] == pytest.approx(dense["tr_inv"], rel=1e-11)
        assert spectrum.sum(r, 1, 1)[()] == pytest.approx(dense["tr_w_inv"], rel=1e-11, abs=1e-11)
        assert spectrum.sum(r, 1, 2)[()] == pytest.approx(dense["tr_w_inv2"], rel=1e-11, abs=1e-11)
        assert spectrum.sum(r, 2, 2)[()] == pytest.approx(dense["tr_g2"], rel=1e-11)
        assert spectrum.sum(r, 0, 1, "total")[()] == pytest.approx(dense["total0"], rel=1e-11)
        assert spectrum.sum(r, 1, 1, "total")[()] == pytest.approx(dense["total1"], rel=1e-11)


def test_exact_series_equals_eigen(cigar_w):
    eigen = EigenSpectrum.from_weights(cigar_w)
    series = SeriesSpectrum.from_matrix(cigar_w.matrix, order=300, exact=True)
    for power, order, kind in [(0, 1, "trace"), (1, 1, "trace"), (1, 2, "trace"),
                               (2, 2, "trace"), (0, 1, "total"), (1, 2, "total")]:  # fmt: skip
        np.testing.assert_allclose(
            series.sum(RHO, power, order, kind), eigen.sum(RHO, power, order, kind),
            rtol=1e-9, atol=1e-9,
        )  # fmt: skip
    np.testing.assert_allclose(series.logdet(RHO), eigen.logdet(RHO), rtol=1e-9, atol=1e-9)


def test_hutchinson_traces_are_unbiased_estimates(cigar_w):
    exact = SeriesSpectrum.from_matrix(cigar_w.matrix, order=6, exact=True).trace_moments
    estimates = np.array([
        SeriesSpectrum.from_matrix(cigar_w.matrix, order=6, n_probes=200, seed=s).trace_moments
        for s in range(20)
    ])  # fmt: skip
    # mean of 20 x 200 probes: standard error below 2% of tr(W^2) for this W
    np.testing.assert_allclose(estimates.mean(axis=0)[2:], exact[2:], rtol=0.05)
    assert (estimates[:, 0] == cigar_w.n).all()
