"""Tests of spatial/models/covariance.py and likelihood.py: equivalent routes agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, sparse

from spatial import (
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
    SpatialWeights,
)
from spatial.models import covariance as covariance_module
from spatial.models.covariance import InverseFilter
from spatial.models.likelihood import Scaling, full_error_loglik, full_lag_loglik
from spatial.models.logdet import make_logdet


def grid_weights(side: int) -> SpatialWeights:
    """Rook contiguity on a side x side lattice, row-standardized."""
    n = side * side
    idx = np.arange(n).reshape(side, side)
    pairs = np.vstack([
        np.column_stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()]),
        np.column_stack([idx[:-1].ravel(), idx[1:].ravel()]),
    ])  # fmt: skip
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    mat = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    return SpatialWeights.from_sparse(mat).standardize("row")


def simulated_panel(
    w: SpatialWeights, t: int, seed: int, *, error: bool = False, time_effects: bool = True
) -> pd.DataFrame:
    """SDM (or SEM) data with entity (and time) effects, rho = 0.4, beta = (1, -0.5),
    theta = (0.5, 0.3)."""
    rng = np.random.default_rng(seed)
    n = w.n
    a = np.eye(n) - 0.4 * w.matrix.toarray()
    x = rng.normal(size=(t, n, 2))
    mu, xi = rng.normal(size=n), rng.normal(size=t) * time_effects
    y = np.empty((t, n))
    for s in range(t):
        wx = w.matrix @ x[s]
        eps = rng.normal(size=n)
        if error:
            y[s] = x[s] @ [1.0, -0.5] + mu + xi[s] + np.linalg.solve(a, eps)
        else:
            y[s] = np.linalg.solve(a, x[s] @ [1.0, -0.5] + wx @ [0.5, 0.3] + mu + xi[s] + eps)
    return pd.DataFrame({
        "id": np.tile(np.arange(n), t), "t": np.repeat(np.arange(t), n),
        "y": y.ravel(), "x1": x[..., 0].ravel(), "x2": x[..., 1].ravel(),
    })  # fmt: skip


@pytest.mark.parametrize(
    ("model", "error"),
    [(SpatialDurbinPanel, False), (SpatialLagPanel, False), (SpatialErrorPanel, True),
     (SpatialDurbinErrorPanel, True)],
)  # fmt: skip
@pytest.mark.parametrize("effects", ["individual", "twoways"])
def test_analytic_information_matches_numerical_hessian(model, error, effects):
    """Expected (analytic) and observed (numerical) information agree in a large sample."""
    w = grid_weights(20)
    data = simulated_panel(w, 10, seed=4, error=error, time_effects=effects == "twoways")
    spec = model(data, "y", ["x1", "x2"], w, region="id", year="t", effects=effects)
    analytic = spec.fit(bias_correction="none")
    numeric = spec.fit(bias_correction="none", cov_type="hessian")
    np.testing.assert_allclose(numeric.params, analytic.params, rtol=0)
    # N T = 4,000: observed and expected information differ by O(1/sqrt(NT))
    np.testing.assert_allclose(numeric.std_errors, analytic.std_errors, rtol=0.06)


@pytest.mark.parametrize("model", [SpatialDurbinPanel, SpatialErrorPanel])
def test_concentrated_and_full_likelihood_share_the_optimum(cigar, cigar_w, model):
    spec = model(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year")
    res = spec.fit(bias_correction="none")
    d = spec.design
    ld = make_logdet(cigar_w, "eigen")
    scaling = Scaling(d.y.size, spec.panel.t)
    k = d.z.shape[1]

    def negative(p: np.ndarray) -> float:
        gamma, rho, sigma2 = p[:k], p[k], np.exp(p[k + 1])
        if model is SpatialDurbinPanel:
            return -full_lag_loglik(gamma, rho, sigma2, d.y, d.wy, d.z, ld, scaling)
        return -full_error_loglik(gamma, rho, sigma2, d.y, d.wy, d.z, d.wz, ld, scaling)

    start = np.concatenate([res.params.to_numpy() * 0.9, [np.log(res.sigma2 * 1.2)]])
    found = optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(found.x[:-1], res.params.to_numpy(), rtol=1e-4, atol=1e-6)
    assert np.exp(found.x[-1]) == pytest.approx(res.sigma2, rel=1e-4)
    assert -found.fun == pytest.approx(res.loglik, rel=1e-10)


def test_within_transformation_equals_explicit_dummies(cigar, cigar_w):
    """Two-way effects by demeaning = state and year dummies on the raw (lag-first) data."""
    within = SpatialDurbinPanel(
        cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year", effects="twoways"
    ).fit(bias_correction="none")
    dummies = pd.get_dummies(cigar[["state", "year"]].astype(str), drop_first=True, dtype=float)
    names = list(dummies.columns)
    data = pd.concat([cigar, dummies], axis=1)
    explicit = SpatialDurbinPanel(
        data, "logc", ["logp", "logy", *names], cigar_w, region="state", year="year",
        effects="none", durbin=["logp", "logy"],
    ).fit()  # fmt: skip
    shared = ["logp", "logy", "W_logp", "W_logy", "rho"]
    # 75 dummy columns cost some conditioning: agreement to 1e-7 absolute
    np.testing.assert_allclose(explicit.params[shared], within.params[shared], atol=1e-7)
    np.testing.assert_allclose(explicit.std_errors[shared[:-1]], within.std_errors[shared[:-1]],
                               rtol=1e-6)  # fmt: skip
    assert explicit.loglik == pytest.approx(within.loglik, rel=1e-10)


def test_lee_yu_correction_moves_towards_the_transformation_approach(cigar, cigar_w):
    spec = SpatialDurbinPanel(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year")
    direct = spec.fit(bias_correction="none").params
    corrected = spec.fit(bias_correction="lee_yu").params
    transformed = spec.fit(bias_correction="transformation").params
    gap_before = np.abs(direct - transformed)
    gap_after = np.abs(corrected - transformed)
    assert gap_after["rho"] < 0.25 * gap_before["rho"]
    assert (gap_after <= gap_before + 1e-12).sum() >= 4


def test_sparse_filter_equals_dense(cigar_w, monkeypatch):
    dense = InverseFilter(cigar_w, 0.4)
    monkeypatch.setattr(covariance_module, "DENSE_LIMIT", 10)
    sparse_filter = InverseFilter(cigar_w, 0.4, n_probes=2000, seed=1)
    assert dense.dense and not sparse_filter.dense
    v = np.random.default_rng(0).normal(size=(cigar_w.n, 3))
    np.testing.assert_allclose(sparse_filter.solve(v), dense.solve(v), rtol=1e-12)
    np.testing.assert_allclose(sparse_filter.g(v), dense.g(v), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sparse_filter.g_transpose(v), dense.g_transpose(v), rtol=1e-12,
                               atol=1e-14)  # fmt: skip
    # stochastic diagonal of G with 2,000 probes: errors of a few 1e-2 on entries ~0.1
    error = np.abs(sparse_filter.diagonal() - dense.diagonal())
    assert error.mean() < 0.015 and error.max() < 0.08
    for center in (False, True):
        # 2,000 Hutchinson probes: relative error of a few per cent on traces of order 10
        np.testing.assert_allclose(sparse_filter.traces(center), dense.traces(center), rtol=0.1,
                                   atol=0.3)  # fmt: skip


def test_qml_sandwich_tracks_non_normal_errors():
    """Skewed, heavy-tailed errors (centred chi-square(2)): the ML standard error of sigma2
    assumes kurtosis 3 and is about half the Monte Carlo spread; the QML sandwich (Lee 2004)
    recovers it, and leaves the coefficients' standard errors as they are."""
    w = grid_weights(15)
    n, t, reps = w.n, 4, 120
    solve = np.linalg.inv(np.eye(n) - 0.4 * w.matrix.toarray())
    rng = np.random.default_rng(0)
    estimates, analytic, robust = [], [], []
    for _ in range(reps):
        x = rng.normal(size=(t, n, 2))
        eps = (rng.chisquare(2, size=(t, n)) - 2.0) / 2.0
        y = np.einsum("ij,tj->ti", solve, x @ [1.0, -0.5] + eps)
        frame = pd.DataFrame({
            "id": np.tile(np.arange(n), t), "t": np.repeat(np.arange(t), n),
            "y": y.ravel(), "x1": x[..., 0].ravel(), "x2": x[..., 1].ravel(),
        })  # fmt: skip
        model = SpatialLagPanel(frame, "y", ["x1", "x2"], w, region="id", year="t", effects="none")
        fit, qml = model.fit(), model.fit(cov_type="qml")
        estimates.append([*fit.params, fit.sigma2])
        analytic.append([*fit.std_errors, fit.sigma2_se])
        robust.append([*qml.std_errors, qml.sigma2_se])
    spread = np.std(estimates, axis=0)
    ratio_ml = np.mean(analytic, axis=0) / spread
    ratio_qml = np.mean(robust, axis=0) / spread
    assert ratio_ml[-1] < 0.65  # normal-theory SE of sigma2 far too small
    assert 0.85 < ratio_qml[-1] < 1.15
    np.testing.assert_allclose(ratio_qml[:-1], ratio_ml[:-1], rtol=0.05)


def test_qml_equals_analytic_without_excess_moments(cigar, cigar_w):
    """With Omega = 0 the sandwich is the inverse information: check the algebra exactly."""
    from spatial.models.covariance import sandwich

    info = np.diag([4.0, 9.0, 16.0])
    np.testing.assert_allclose(sandwich(info, np.zeros((3, 3))), np.diag([1 / 4, 1 / 9, 1 / 16]))
    res = SpatialDurbinPanel(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year")
    qml = res.fit(cov_type="qml")
    assert qml.options["cov_type"] == "qml"
    # the cigarette residuals are close to normal: robust and ML SEs within 15%
    np.testing.assert_allclose(qml.std_errors, res.fit().std_errors, rtol=0.15)
    sem = SpatialErrorPanel(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year")
    np.testing.assert_allclose(sem.fit(cov_type="qml").std_errors, sem.fit().std_errors, rtol=0.15)


@pytest.mark.parametrize("model", [SpatialDurbinPanel, SpatialLagPanel, SpatialErrorPanel])
def test_lee_yu_errors_equal_the_transformation_approach(cigar, cigar_w, model):
    """Lee and Yu (2010): with region effects the corrected direct estimates equal the
    transformation approach's, so their standard errors must too (Cigar 1987-1992, T = 6,
    where the direct information understated se(rho) by about 9%)."""
    short = cigar[cigar["year"] >= 87]
    spec = model(short, "logc", ["logp", "logy"], cigar_w, region="state", year="year",
                 effects="individual")  # fmt: skip
    lee_yu = spec.fit(bias_correction="lee_yu")
    transformed = spec.fit(bias_correction="transformation")
    pd.testing.assert_series_equal(lee_yu.params, transformed.params, rtol=1e-9)
    pd.testing.assert_series_equal(lee_yu.std_errors, transformed.std_errors, rtol=1e-9)
    assert lee_yu.sigma2 == pytest.approx(transformed.sigma2, rel=1e-9)
    direct = spec.fit(bias_correction="none")
    name = "lambda" if model is SpatialErrorPanel else "rho"
    assert lee_yu.std_errors[name] > 1.04 * direct.std_errors[name]
