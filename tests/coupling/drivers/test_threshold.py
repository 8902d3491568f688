"""Tests of coupling.drivers.threshold (Hansen's panel threshold regression).

References:

* ``reference/threshold_reference.R`` -> ``threshold_reference.json``: the same procedure
  written independently in R 4.2 (``lm.fit`` on data demeaned with ``ave()`` for every
  candidate; ``lm`` with explicit region dummies and ``sandwich::vcovCL`` for the
  regimes), on Hansen's (1999) investment panel and on the shipped simulated panel.
* ``reference/threshold_pdr.txt``: Hansen's own algorithm as ported in pdR 1.9.3.
* Plain loops (one least-squares fit per candidate and per bootstrap draw) for the
  batched search and bootstrap.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coupling.drivers.threshold import PanelThreshold, lr_critical_value
from spatial._core.errors import (
    ColumnNotFoundError,
    SpecificationError,
    UnbalancedPanelError,
)
from spatial.exceptions import CollinearityError, EstimationError
from tests.shared_data import shared_path

REFERENCE = Path(__file__).parents[1] / "reference"
R_REF = json.loads((REFERENCE / "threshold_reference.json").read_text())
HANSEN_X = ["q1", "q2", "q3", "d1", "qd1"]


@pytest.fixture(scope="module")
def sim() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "threshold_sim.csv")


@pytest.fixture(scope="module")
def hansen() -> pd.DataFrame:
    return pd.read_csv(shared_path("hansen1999", "hansen1999.csv"))


def _fit(frame: pd.DataFrame, case: str, **options):
    if case == "hansen1999":
        model = PanelThreshold(
            frame, y="i", x=HANSEN_X, q="d1", regime=["c1"], region="id", year="year"
        )
        return model.fit(n_thresholds=3, trim=(0.01, 0.01, 0.05), grid=400, **options)
    effects = "twoways" if case == "sim_twoways" else "individual"
    model = PanelThreshold(frame, y="y", x=["x"], q="q", regime=["r"], effects=effects)
    return model.fit(n_thresholds=3, trim=0.05, grid=100, **options)


def _check_against_r(res, ref) -> None:
    ci = res.threshold_ci
    for label, key in (("Th-1", "th1"), ("Th-21", "th21"), ("Th-22", "th22"), ("Th-3", "th3")):
        # the R candidates are read back from JSON; the data carry 7-9 significant digits
        np.testing.assert_allclose(
            ci.loc[label, ["threshold", "lower", "upper"]].to_numpy(float),
            [ref[key]["gamma"], ref[key]["lower"], ref[key]["upper"]],
            rtol=1e-9,
        )
    tests = res.f_tests
    np.testing.assert_allclose(tests["F"], ref["F"], rtol=1e-8)
    np.testing.assert_allclose(
        tests["rss"], [ref["th1"]["sse"], ref["th22"]["sse"], ref["th3"]["sse"]], rtol=1e-10
    )


@pytest.mark.parametrize("case", ["sim_individual", "sim_twoways"])
def test_search_tests_and_intervals_equal_r(sim, case):
    """Thresholds, CIs, RSS and F of 1-3 thresholds equal the R loop over candidates."""
    _check_against_r(_fit(sim, case, bootstrap=0), R_REF[case])


def test_hansen_investment_equals_r_loop(hansen):
    """Hansen's (1999) example: 0.0157, then 0.5407 and 0.1396, F 32.82 / 23.42 / 5.44."""
    res = _fit(hansen, "hansen1999", bootstrap=0)
    ref = R_REF["hansen1999"]
    _check_against_r(res, ref)
    assert res.threshold_ci.loc["Th-1", "threshold"] == pytest.approx(0.0157, abs=1e-9)


@pytest.mark.parametrize("case", ["sim_individual", "hansen1999"])
def test_regime_coefficients_and_cluster_se_equal_lm_with_dummies(sim, case, request):
    """Double-threshold regime coefficients and cluster SEs equal lm + sandwich::vcovCL."""
    frame = request.getfixturevalue("hansen") if case == "hansen1999" else sim
    ref = R_REF[case]
    model = (
        PanelThreshold(frame, y="i", x=HANSEN_X, q="d1", regime=["c1"], region="id", year="year")
        if case == "hansen1999"
        else PanelThreshold(frame, y="y", x=["x"], q="q", regime=["r"])
    )
    trim = 0.01 if case == "hansen1999" else 0.05
    grid = 400 if case == "hansen1999" else 100
    double = model.fit(n_thresholds=2, trim=trim, grid=grid, bootstrap=0)
    np.testing.assert_allclose(
        double.thresholds, sorted([ref["th21"]["gamma"], ref["th22"]["gamma"]]), rtol=1e-9
    )
    names = list(ref["coef"])
    np.testing.assert_allclose(double.params[names], [ref["coef"][k] for k in names], rtol=1e-7)
    np.testing.assert_allclose(
        double.std_errors[names], [ref["se_cluster"][k] for k in names], rtol=1e-7
    )
    assert double.rss == pytest.approx(ref["rss_double"], rel=1e-10)


def test_hansen_code_differs_by_its_objective_not_by_the_search(hansen):
    """pdR (Hansen's code) finds 0.0157 too, but 0.53616 for the second threshold.

    The cause is the objective, not the search: Hansen's code drops each firm's last
    demeaned year and puts q < gamma (not q <= gamma) in the lower regime. A plain loop
    over the same 400-quantile grid with that objective picks 0.53616, as pdR prints
    (threshold_pdr.txt); with every demeaned year (the within estimator of Hansen 1999,
    eq. 5, and of ``xtreg, fe``) it picks 0.54072, as this module and the R loop do.
    """
    frame = hansen.sort_values(["id", "year"])
    n, t = frame["id"].nunique(), frame["year"].nunique()
    y, c1, q = (frame[c].to_numpy().reshape(n, t) for c in ("i", "c1", "d1"))
    x = np.stack([frame[c].to_numpy().reshape(n, t) for c in HANSEN_X], axis=2)

    def demean(a):
        return a - a.mean(axis=1, keepdims=True)

    distinct = np.unique(q)
    steps = np.arange(0.01, 0.99 + 1e-12, 1 / 400)
    grid = np.unique(distinct[np.floor(steps * distinct.size).astype(int) - 1])
    floor = math.ceil(0.01 * q.size)

    def best(strict: bool, drop_last: bool, fixed: float) -> float:
        keep = slice(0, t - 1) if drop_last else slice(0, t)
        sse = []
        for g in grid:
            below = (q < g) if strict else (q <= g)
            low = (q < fixed) if strict else (q <= fixed)
            sizes = np.bincount((below.astype(int) + low.astype(int)).ravel(), minlength=3)
            if sizes.min() < floor:
                sse.append(np.inf)
                continue
            cols = [demean(x[:, :, k]) for k in range(x.shape[2])]
            cols += [demean(c1), demean(c1 * low), demean(c1 * below)]
            design = np.stack([c[:, keep].ravel() for c in cols], axis=1)
            target = demean(y)[:, keep].ravel()
            resid = target - design @ np.linalg.lstsq(design, target, rcond=None)[0]
            sse.append(resid @ resid)
        return float(grid[int(np.argmin(sse))])

    assert best(strict=True, drop_last=True, fixed=0.0157) == pytest.approx(0.53616, abs=5e-6)
    ours = _fit(hansen, "hansen1999", bootstrap=0).threshold_ci.loc["Th-22", "threshold"]
    assert best(strict=False, drop_last=False, fixed=0.0157) == pytest.approx(ours, abs=1e-12)
    assert ours == pytest.approx(0.54072, abs=5e-6)


def _loop_bootstrap(frame, draws, seed, depth):
    """Hansen's bootstrap of the sim panel's F tests 1..depth, one lstsq per candidate."""
    frame = frame.sort_values(["year", "region"])
    n, t = frame["region"].nunique(), frame["year"].nunique()
    y, x, r, q = (frame[c].to_numpy().reshape(t, n) for c in ("y", "x", "r", "q"))
    distinct = np.unique(q)
    steps = np.arange(0.05, 0.95 + 1e-12, 1 / 100)
    grid = np.unique(distinct[np.floor(steps * distinct.size).astype(int) - 1])
    floor = math.ceil(0.05 * q.size)

    def demean(a):
        return (a - a.mean(axis=0, keepdims=True)).ravel()

    def sse(target, gammas):
        cols = [demean(x), demean(r)] + [demean(r * (q <= g)) for g in gammas]
        design = np.stack(cols, axis=1)
        resid = target - design @ np.linalg.lstsq(design, target, rcond=None)[0]
        return float(resid @ resid), resid

    def search(target, fixed):
        best, best_g = np.inf, None
        for g in grid:
            bounds = sorted([*fixed, g])
            sizes = np.diff([0, *[(q <= b).sum() for b in bounds], q.size])
            if g in fixed or sizes.min() < floor:
                continue
            s = sse(target, [*fixed, g])[0]
            if s < best:
                best, best_g = s, g
        return best, best_g

    nu = n * (t - 1)
    rng = np.random.default_rng(seed)
    target = demean(y)
    fixed, out = [], []
    s_prev = sse(target, [])[0]
    for j in range(depth):
        s_j, g_j = search(target, fixed)
        f_obs = (s_prev - s_j) / (s_j / nu)
        _, resid = sse(target, fixed)
        fitted = (target - resid).reshape(t, n)
        units = rng.integers(0, n, size=(draws, n))
        stats = []
        for b in range(draws):
            ystar = demean(fitted + resid.reshape(t, n)[:, units[b]])
            path, gs = [sse(ystar, [])[0]], []
            for _ in range(j + 1):
                s_b, g_b = search(ystar, gs)
                path.append(s_b)
                gs.append(g_b)
            stats.append((path[-2] - path[-1]) / (path[-1] / nu))
        out.append((f_obs, np.array(stats)))
        if j == 0:
            fixed = [g_j]
        else:  # the refined first threshold, as the module's double model
            _, g_r = search(target, [g_j])
            fixed = sorted([g_r, g_j])
        s_prev = sse(target, fixed)[0]
    return out


def test_batched_bootstrap_equals_plain_loop(sim):
    """p-values and critical values equal a loop that refits every draw and candidate."""
    res = PanelThreshold(sim, y="y", x=["x"], q="q", regime=["r"]).fit(
        n_thresholds=2, trim=0.05, grid=100, bootstrap=12, seed=7
    )
    for (f_obs, stats), (_, row) in zip(
        _loop_bootstrap(sim, 12, 7, 2), res.f_tests.iterrows(), strict=True
    ):
        assert row["F"] == pytest.approx(f_obs, rel=1e-9)
        assert row["pvalue"] == pytest.approx(np.mean(stats >= f_obs), abs=1e-12)
        ordered = np.sort(stats)
        expected = [ordered[math.ceil(p * 12) - 1] for p in (0.90, 0.95, 0.99)]
        crit = row[["crit10", "crit5", "crit1"]].to_numpy(float)
        np.testing.assert_allclose(crit, expected, rtol=1e-8)


def test_threads_give_the_same_numbers(sim):
    model = PanelThreshold(sim, y="y", x=["x"], q="q", regime=["r"])
    one = model.fit(n_thresholds=2, bootstrap=300, seed=3, trim=0.05)
    two = model.fit(n_thresholds=2, bootstrap=300, seed=3, trim=0.05, n_jobs=2)
    pd.testing.assert_frame_equal(one.f_tests, two.f_tests)


def test_sim_panel_recovers_its_two_thresholds(sim):
    """The DGP of threshold_sim.py: thresholds 0.3 and 0.7, slopes 1, 2, 0.5 of r."""
    res = PanelThreshold(sim, y="y", x=["x"], q="q", regime=["r"]).fit(
        n_thresholds=2, trim=0.05, grid=None, bootstrap=200, seed=0
    )
    np.testing.assert_allclose(res.thresholds, [0.3, 0.7], atol=0.02)
    assert res.f_tests.loc["single", "pvalue"] < 0.01
    assert res.f_tests.loc["double", "pvalue"] < 0.01
    np.testing.assert_allclose(res.params[["r_r1", "r_r2", "r_r3"]], [1.0, 2.0, 0.5], atol=0.15)
    assert res.params["x"] == pytest.approx(0.5, abs=0.1)


def test_monte_carlo_threshold_recovery():
    """Over 20 panels (N = 60, T = 8) the single threshold at 0.4 is found within 0.03."""
    rng = np.random.default_rng(11)
    n, t = 60, 8
    errors, rejections = [], 0
    for _ in range(20):
        q, r = rng.uniform(size=n * t), rng.normal(size=n * t)
        y = np.repeat(rng.normal(size=n), t) + np.where(q <= 0.4, 0.5, 1.5) * r
        frame = pd.DataFrame(
            {
                "region": np.repeat(np.arange(n), t),
                "year": np.tile(np.arange(t), n),
                "y": y + rng.normal(0, 0.5, n * t),
                "q": q,
                "r": r,
            }
        )
        res = PanelThreshold(frame, y="y", x=[], q="q", regime=["r"]).fit(bootstrap=49, seed=1)
        errors.append(res.thresholds[0] - 0.4)
        rejections += res.f_tests.loc["single", "pvalue"] < 0.05
    assert np.median(np.abs(errors)) < 0.03
    assert rejections == 20


def test_no_threshold_is_not_rejected_too_often():
    """Under the null (one slope) the 5% bootstrap test rejects in few of 40 panels."""
    rng = np.random.default_rng(5)
    n, t, rejections = 30, 6, 0
    for _ in range(40):
        frame = pd.DataFrame(
            {
                "region": np.repeat(np.arange(n), t),
                "year": np.tile(np.arange(t), n),
                "q": rng.uniform(size=n * t),
                "r": rng.normal(size=n * t),
            }
        )
        frame["y"] = frame["r"] + rng.normal(size=n * t)
        res = PanelThreshold(frame, y="y", x=[], q="q", regime=["r"]).fit(
            bootstrap=99, seed=2, trim=0.05
        )
        rejections += res.f_tests.loc["single", "pvalue"] < 0.05
    assert rejections <= 6  # binomial(40, 0.05): P(X > 6) < 0.01


def test_ties_at_the_threshold_fall_in_the_lower_regime():
    """q <= gamma is regime 1: a hand-made panel where q takes the values 1, 2, 3."""
    n, t = 12, 6
    rng = np.random.default_rng(0)
    q = np.tile([1.0, 2.0, 3.0], n * t // 3)
    r = rng.normal(size=n * t)
    y = np.where(q <= 2.0, 1.0, -1.0) * r + 0.01 * rng.normal(size=n * t)
    frame = pd.DataFrame(
        {
            "region": np.repeat(np.arange(n), t),
            "year": np.tile(np.arange(t), n),
            "q": q,
            "r": r,
            "y": y,
        }
    )
    res = PanelThreshold(frame, y="y", x=[], q="q", regime=["r"]).fit(
        bootstrap=0, trim=0.1, grid=None
    )
    assert res.thresholds.tolist() == [2.0]
    assert res.regimes["n_obs"].tolist() == [48, 24]
    assert (res.regime.to_numpy() == np.where(q <= 2.0, 1, 2)).all()
    assert res.params.round(2).tolist() == [1.0, -1.0]


def test_critical_values_of_hansen_2000_table_1():
    """Hansen (2000), Table 1: c = 5.94, 7.35, 10.59 at 90, 95, 99 %."""
    assert [round(lr_critical_value(p), 2) for p in (0.9, 0.95, 0.99)] == [5.94, 7.35, 10.59]


def test_results_summary_and_plot(sim):
    import matplotlib

    matplotlib.use("Agg")
    res = PanelThreshold(sim, y="y", x=["x"], q="q", regime=["r"]).fit(
        n_thresholds=2, bootstrap=20, seed=0, trim=0.05
    )
    text = str(res.summary())
    assert "Threshold estimator (level = 95)" in text and "Th-22" in text
    assert "Threshold effect test (bootstrap = 20 20)" in text
    assert list(res.f_tests.index) == ["single", "double"]
    assert list(res.params.index) == ["x", "r_r1", "r_r2", "r_r3"]
    assert (res.thresholds == np.sort(res.thresholds)).all()
    ci = res.conf_int()
    assert (ci["lower"] < res.params).all() and (res.params < ci["upper"]).all()
    fig = res.plot_lr()
    assert len(fig.axes) == 3
    assert res.regime.index.names == ["region", "year"]
    assert res.regimes["n_obs"].sum() == res.nobs == 400


def test_input_is_not_modified(sim):
    before = sim.copy()
    PanelThreshold(sim, y="y", x=["x"], q="q", regime=["r"]).fit(bootstrap=5, seed=0)
    pd.testing.assert_frame_equal(sim, before)


def test_bad_input_is_named(sim):
    kw = {"y": "y", "x": ["x"], "q": "q"}
    with pytest.raises(SpecificationError, match="names no regime-dependent regressor"):
        PanelThreshold(sim, regime=[], **kw)
    with pytest.raises(ColumnNotFoundError, match="rr"):
        PanelThreshold(sim, regime=["rr"], **kw)
    with pytest.raises(SpecificationError, match=r"\['x'\] appear in both x and regime"):
        PanelThreshold(sim, regime=["x"], **kw)
    with pytest.raises(UnbalancedPanelError, match="unbalanced"):
        PanelThreshold(sim.iloc[1:], regime=["r"], **kw)
    model = PanelThreshold(sim, regime=["r"], **kw)
    with pytest.raises(SpecificationError, match="n_thresholds must be 1, 2 or 3"):
        model.fit(n_thresholds=4)
    with pytest.raises(SpecificationError, match="trim has 1 values for 2 threshold"):
        model.fit(n_thresholds=2, trim=[0.05])
    with pytest.raises(SpecificationError, match=r"trim must lie strictly between 0 and 0\.5"):
        model.fit(trim=0.5)
    const = sim.assign(z=sim["region"] * 1.0)
    with pytest.raises(CollinearityError, match=r"\['z'\] do not vary within regions"):
        PanelThreshold(const, y="y", x=["z"], q="q", regime=["r"]).fit(bootstrap=0)


def test_threshold_variable_with_too_few_values(sim):
    few = sim.assign(q=(sim["q"] > 0.5).astype(float))
    model = PanelThreshold(few, y="y", x=["x"], q="q", regime=["r"])
    with pytest.raises(EstimationError, match="No admissible candidate for threshold Th-22"):
        model.fit(n_thresholds=2, trim=0.05, bootstrap=0)
    with pytest.raises(EstimationError, match="2 distinct values"):
        model.fit(n_thresholds=2, trim=0.05, bootstrap=0)
