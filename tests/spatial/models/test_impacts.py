"""Tests of spatial/models/impacts.py: effects against dense algebra, series, inference."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from spatial import (
    SLXPanel,
    SpatialDurbinErrorPanel,
    SpatialDurbinPanel,
    SpatialLagPanel,
    SpatialWeights,
)
from spatial.exceptions import InvalidOptionError, SpecificationError
from spatial.models.impacts import compute_impacts
from spatial.models.spectral import EigenSpectrum, SeriesSpectrum


@pytest.fixture(scope="module")
def sdm(cigar, cigar_w):
    return SpatialDurbinPanel(
        cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year"
    ).fit()


def _dense_effects(w: SpatialWeights, rho: float, beta: float, theta: float) -> np.ndarray:
    """LeSage-Pace definitions with an explicit N x N inverse."""
    a = w.matrix.toarray()
    s = np.linalg.inv(np.eye(w.n) - rho * a) @ (beta * np.eye(w.n) + theta * a)
    direct, total = np.trace(s) / w.n, s.sum() / w.n
    return np.array([direct, total - direct, total])


def test_effects_equal_dense_definitions(sdm, cigar_w):
    p = sdm.params
    est = sdm.impacts().estimates
    for var in ("logp", "logy"):
        dense = _dense_effects(cigar_w, p["rho"], p[var], p[f"W_{var}"])
        np.testing.assert_allclose(est.loc[var].to_numpy(), dense, rtol=1e-12)


def test_effects_for_a_non_standardized_w(cigar_w):
    binary = SpatialWeights.from_sparse((cigar_w.matrix > 0).astype(float), ids=cigar_w.ids)
    spectrum = EigenSpectrum.from_weights(binary)
    params = np.array([-1.0, 0.6, 0.1, -0.3, 0.12])  # logp, logy, W_logp, W_logy, rho
    res = compute_impacts(("logp", "logy"), params, np.eye(5) * 1e-4, np.array([0, 1]),
                          np.array([2, 3]), 4, spectrum, binary.rho_bounds())  # fmt: skip
    for k, var in enumerate(("logp", "logy")):
        dense = _dense_effects(binary, 0.12, params[k], params[k + 2])
        np.testing.assert_allclose(res.estimates.loc[var].to_numpy(), dense, rtol=1e-11)


def test_exact_and_series_traces_give_the_same_effects(sdm, cigar_w):
    args = (("logp", "logy"), sdm.params.to_numpy(), sdm.cov.to_numpy(), np.array([0, 1]),
            np.array([2, 3]), 4)  # fmt: skip
    bounds = cigar_w.rho_bounds()
    exact = compute_impacts(*args, EigenSpectrum.from_weights(cigar_w), bounds)
    series = compute_impacts(
        *args, SeriesSpectrum.from_matrix(cigar_w.matrix, order=120, exact=True), bounds
    )
    pd.testing.assert_frame_equal(series.estimates, exact.estimates, rtol=1e-10)
    pd.testing.assert_frame_equal(series.std_errors, exact.std_errors, rtol=1e-9)


def test_delta_method_gradient_against_finite_differences(sdm):
    """The analytic gradients of the delta method equal numerical derivatives."""
    base = sdm.params.to_numpy()
    inputs = sdm._impact_inputs
    assert inputs is not None

    def effects(p: np.ndarray) -> np.ndarray:
        out = compute_impacts(inputs.names, p, np.eye(p.size), inputs.beta_index,
                              inputs.theta_index, inputs.rho_index, inputs.spectrum,
                              inputs.bounds)  # fmt: skip
        return out.estimates.to_numpy().ravel()

    step = 1e-6
    jac = np.column_stack([
        (effects(base + step * e) - effects(base - step * e)) / (2 * step) for e in np.eye(5)
    ])  # fmt: skip
    numeric_se = np.sqrt(np.einsum("ip,pq,iq->i", jac, sdm.cov.to_numpy(), jac))
    np.testing.assert_allclose(sdm.impacts().std_errors.to_numpy().ravel(), numeric_se,
                               rtol=1e-6)  # fmt: skip


def test_simulation_is_seeded_and_reports_plugin_or_mean(sdm):
    one = sdm.impacts(method="simulation", n_draws=3000, seed=5)
    two = sdm.impacts(method="simulation", n_draws=3000, seed=5)
    pd.testing.assert_frame_equal(one.std_errors, two.std_errors)
    pd.testing.assert_frame_equal(one.estimates, sdm.impacts().estimates)
    mean = sdm.impacts(method="simulation", n_draws=3000, seed=5, estimate="mean")
    assert one.draws is not None
    np.testing.assert_allclose(mean.estimates.to_numpy(), one.draws.mean(axis=0), rtol=1e-12)
    assert one.n_discarded == 0 and one.draws.shape == (3000, 2, 3)
    ci = one.conf_int(0.9)
    q = np.quantile(one.draws[:, 0, 0], [0.05, 0.95])
    np.testing.assert_allclose(ci.loc["logp", ("direct", "lower")], q[0], rtol=1e-12)
    np.testing.assert_allclose(ci.loc["logp", ("direct", "upper")], q[1], rtol=1e-12)


def test_results_tables(sdm):
    imp = sdm.impacts()
    long = imp.to_frame()
    assert len(long) == 6 and set(long["effect"]) == {"direct", "indirect", "total"}
    assert (imp.pvalues.to_numpy() < 0.05).sum() >= 4
    normal = imp.conf_int()
    half = 1.959963984540054 * imp.std_errors.loc["logp", "total"]
    assert normal.loc["logp", ("total", "upper")] == pytest.approx(
        imp.estimates.loc["logp", "total"] + half, rel=1e-12
    )
    text = str(imp.summary())
    assert "Direct effects" in text and "method=delta" in text
    with pytest.raises(SpecificationError, match="level must lie"):
        imp.conf_int(1.5)
    with pytest.raises(InvalidOptionError, match="method='bootstrap' is not supported"):
        sdm.impacts(method="bootstrap")  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [SLXPanel, SpatialDurbinErrorPanel])
def test_models_without_a_lag_of_y_have_coefficients_as_effects(cigar, cigar_w, model):
    res = model(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year").fit()
    imp = res.impacts()
    for var in ("logp", "logy"):
        assert imp.estimates.loc[var, "direct"] == pytest.approx(res.params[var], rel=1e-12)
        assert imp.estimates.loc[var, "indirect"] == pytest.approx(res.params[f"W_{var}"],
                                                                    rel=1e-12)  # fmt: skip
        assert imp.std_errors.loc[var, "indirect"] == pytest.approx(
            res.std_errors[f"W_{var}"], rel=1e-12
        )


def dense_effects(result, w, name):
    """Direct (diagonal) and total (row sums) effects of ``name`` from dense matrices."""
    params = result.params
    rho = params.get("rho", 0.0)
    matrix = w.matrix.toarray()
    theta = params.get(f"W_{name}", 0.0)
    s = np.linalg.inv(np.eye(w.n) - rho * matrix) @ (params[name] * np.eye(w.n) + theta * matrix)
    return np.diag(s), s.sum(axis=1)


@pytest.mark.parametrize("standardized", [True, False])
@pytest.mark.parametrize("model", [SpatialDurbinPanel, SpatialLagPanel, SLXPanel])
def test_effects_by_region_equal_dense_matrices(cigar, cigar_w, model, standardized):
    """By-region effects = diag(S_k) and row sums of S_k from a dense inverse (1e-12), their
    averages = the summary effects, also for a binary (not row-standardized) W and for
    Durbin terms on a subset of the regressors; delta SEs = finite differences."""
    w = cigar_w if standardized else SpatialWeights.from_sparse(
        (cigar_w.sparse > 0).astype(float), cigar_w.ids)  # fmt: skip
    options = {"durbin": ["logp"]} if model is not SpatialLagPanel else {}
    result = model(cigar, "logc", ["logp", "logy"], w, region="state", year="year",
                   **options).fit()  # fmt: skip
    impacts = result.impacts(by_unit=True)
    table = impacts.by_unit
    assert len(table) == 46 * 2 * 3 and {"p_value", "lower", "upper"} <= set(table.columns)
    for name in ("logp", "logy"):
        direct, total = dense_effects(result, w, name)
        part = table[table["variable"] == name].set_index(["effect", "region"])["estimate"]
        np.testing.assert_allclose(part["direct"].to_numpy(), direct, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(part["total"].to_numpy(), total, rtol=1e-10, atol=1e-13)
        means = part.groupby(level="effect").mean()
        np.testing.assert_allclose(means[["direct", "indirect", "total"]].to_numpy(),
                                   impacts.estimates.loc[name].to_numpy(), rtol=1e-10,
                                   atol=1e-13)  # fmt: skip
    # delta SE of one region's total effect of logp against a finite-difference gradient
    region = list(w.ids).index(w.ids[5])
    base = result.params.to_numpy()

    def total_of_region(p):
        shifted = SimpleNamespace(params=pd.Series(p, index=result.params.index))
        return dense_effects(shifted, w, "logp")[1][region]

    grad = np.array([(total_of_region(base + h) - total_of_region(base - h)) / (2e-6)
                     for h in np.eye(base.size) * 1e-6])  # fmt: skip
    se = np.sqrt(grad @ result.cov.to_numpy() @ grad)
    row = table[(table["variable"] == "logp") & (table["effect"] == "total")].iloc[region]
    assert row["std_error"] == pytest.approx(se, rel=1e-5)
