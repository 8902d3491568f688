"""Tests of coupling/drivers/spatial_mediation.py: the fits are SpatialDurbinPanel's, the
mediated effects equal a dense hand computation of tr(S_b S_a)/N and 1'S_b S_a 1/N, and the
simulated intervals cover the truth of a simulated panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from coupling.drivers.spatial_mediation import spatial_mediation
from spatial import SpatialDurbinPanel, SpatialWeights
from spatial._core.errors import SpecificationError

SIDE, YEARS = 6, 10
TRUE = {"m": (1.0, 0.5, 0.4), "b": (0.6, 0.3, 0.3), "c": (0.2, 0.1, 0.3)}  # beta, theta, rho


def lattice() -> SpatialWeights:
    line = sparse.diags([1.0, 1.0], [-1, 1], shape=(SIDE, SIDE))
    rook = sparse.kron(sparse.eye(SIDE), line) + sparse.kron(line, sparse.eye(SIDE))
    return SpatialWeights.from_sparse(rook, [f"r{i:02d}" for i in range(SIDE**2)]).standardize()


def simulate(w: SpatialWeights, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = w.n
    wm = w.matrix.toarray()
    eye = np.eye(n)
    bm, tm, rm = TRUE["m"]
    bb, tb, ry = TRUE["b"]
    bc, tc, _ = TRUE["c"]
    mu_m, mu_y = rng.normal(size=n), rng.normal(size=n)
    x = rng.normal(size=(YEARS, n)) + 0.5 * mu_m
    m = np.empty_like(x)
    y = np.empty_like(x)
    for t in range(YEARS):
        m[t] = np.linalg.solve(eye - rm * wm, bm * x[t] + tm * wm @ x[t] + mu_m + 0.3 * t
                               + rng.normal(size=n))  # fmt: skip
        y[t] = np.linalg.solve(eye - ry * wm, bc * x[t] + tc * wm @ x[t] + bb * m[t]
                               + tb * wm @ m[t] + mu_y - 0.2 * t + rng.normal(size=n))  # fmt: skip
    return pd.DataFrame({"region": np.tile(w.ids, YEARS), "year": np.repeat(range(YEARS), n),
                         "x": x.ravel(), "m": m.ravel(), "y": y.ravel(),
                         "c": rng.normal(size=YEARS * n)})  # fmt: skip


def dense_s(w: SpatialWeights, beta: float, theta: float, rho: float) -> np.ndarray:
    wm = w.matrix.toarray()
    eye = np.eye(w.n)
    return np.linalg.solve(eye - rho * wm, beta * eye + theta * wm)


def summaries(s: np.ndarray) -> tuple[float, float, float]:
    n = s.shape[0]
    direct, total = np.trace(s) / n, s.sum() / n
    return direct, total - direct, total


@pytest.fixture(scope="module")
def fitted():
    w = lattice()
    df = simulate(w, seed=1)
    return w, df, spatial_mediation(df, y="y", x="x", mediator="m", controls="c", w=w,
                                    n_draws=2000, seed=0)  # fmt: skip


def test_equations_are_spatial_durbin_fits(fitted):
    w, df, res = fitted
    med = SpatialDurbinPanel(df, "m", ["x", "c"], w, region="region", year="year").fit()
    out = SpatialDurbinPanel(df, "y", ["x", "m", "c"], w, region="region", year="year").fit()
    pd.testing.assert_series_equal(res.mediator_fit.params, med.params, rtol=1e-12)
    pd.testing.assert_series_equal(res.outcome_fit.params, out.params, rtol=1e-12)
    eff = res.effects["estimate"]
    for path, fit, var in (("a (x -> m)", med, "x"), ("b (m -> y)", out, "m"),
                           ("direct path (x -> y)", out, "x")):  # fmt: skip
        ref = fit.impacts().estimates.loc[var]
        for e in ("direct", "indirect", "total"):
            assert eff[path, e] == pytest.approx(ref[e], rel=1e-10)


def test_mediated_effects_equal_dense_hand_computation(fitted):
    w, _, res = fitted
    pm, py = res.mediator_fit.params, res.outcome_fit.params
    s_a = dense_s(w, pm["x"], pm["W_x"], pm["rho"])
    s_b = dense_s(w, py["m"], py["W_m"], py["rho"])
    s_c = dense_s(w, py["x"], py["W_x"], py["rho"])
    eff = res.effects["estimate"]
    mediated = summaries(s_b @ s_a)
    whole = summaries(s_c + s_b @ s_a)
    for k, e in enumerate(("direct", "indirect", "total")):
        assert eff["mediated (x -> m -> y)", e] == pytest.approx(mediated[k], rel=1e-10)
        assert eff["total", e] == pytest.approx(whole[k], rel=1e-10)
    # row-standardized W: the total mediated effect is the product of the total impacts ...
    assert mediated[2] == pytest.approx(summaries(s_a)[2] * summaries(s_b)[2], rel=1e-10)
    # ... but the direct one is not the product of the direct impacts
    assert abs(mediated[0] - summaries(s_a)[0] * summaries(s_b)[0]) > 1e-4


def test_simulated_intervals_cover_the_truth(fitted):
    """40 simulated panels: mean estimates within 4 Monte Carlo standard errors of the truth
    and 95% intervals covering it at least 34 times of 40 (P(X <= 33 | 0.95) < 0.5%)."""
    w, _, res = fitted
    assert res.options["n_discarded"] == 0
    assert res.draws.shape == (2000, 15)
    assert "Spatial mediation" in str(res.summary())
    s_a, s_b, s_c = (dense_s(w, *TRUE[k]) for k in ("m", "b", "c"))
    paths = ["mediated (x -> m -> y)", "total", "a (x -> m)", "b (m -> y)"]
    truth = np.array([summaries(s) for s in (s_b @ s_a, s_c + s_b @ s_a, s_a, s_b)])  # (4, 3)
    estimates, covered = [], np.zeros((4, 3), dtype=int)
    for rep in range(40):
        fit = spatial_mediation(simulate(w, 100 + rep), y="y", x="x", mediator="m",
                                controls="c", w=w, n_draws=500, seed=rep)  # fmt: skip
        table = fit.effects.loc[paths]
        est = table["estimate"].to_numpy().reshape(4, 3)
        lower = table["lower"].to_numpy().reshape(4, 3)
        upper = table["upper"].to_numpy().reshape(4, 3)
        estimates.append(est)
        covered += (lower < truth) & (truth < upper)
    est = np.array(estimates)
    mc_se = est.std(axis=0, ddof=1) / np.sqrt(len(est))
    assert np.all(np.abs(est.mean(axis=0) - truth) < 4 * mc_se)
    assert covered.min() >= 34, covered


def test_bad_input():
    w = lattice()
    df = simulate(w, seed=2)
    before = df.copy(deep=True)
    spatial_mediation(df, y="y", x="x", mediator="m", w=w, n_draws=50, seed=0)
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(SpecificationError, match=r"'y' is given as y and as mediator"):
        spatial_mediation(df, y="y", x="x", mediator="y", w=w)
    with pytest.raises(SpecificationError, match=r"n_draws must be an integer of at least 2"):
        spatial_mediation(df, y="y", x="x", mediator="m", w=w, n_draws=1)
