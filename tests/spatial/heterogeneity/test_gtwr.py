"""Tests of spatial/heterogeneity/gtwr.py: GTWR against a dense implementation written here.

Reference: `dense_gtwr` below builds every n x n weight matrix explicitly from pairwise
differences (np.linalg.solve per row, the full hat matrix S); it shares no code with the
module. Tolerances: 1e-10 (absolute, on quantities of order 1) for local coefficients,
standard errors, tr(S), AICc and predictions; 1e-8 against mgwr's GWR.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from spatial.exceptions import (
    BandwidthSearchWarning,
    CollinearityError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)
from spatial.heterogeneity.gtwr import GTWR

TOL_DENSE = 1e-10
TOL_MGWR = 1e-8


def make_panel(n_regions=40, n_years=5, seed=0, noise=0.1):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10, size=(n_regions, 2))
    rows = []
    for r in range(n_regions):
        for t in range(n_years):
            x1, x2 = rng.normal(size=2)
            b1 = 1.0 + 0.2 * xy[r, 0] + 0.3 * t  # varies in space and time
            b2 = -0.5 + 0.1 * xy[r, 1]
            y = 2.0 + b1 * x1 + b2 * x2 + noise * rng.normal()
            rows.append(
                {"region": r, "year": 2000 + t, "x1": x1, "x2": x2, "y": y, "b1": b1, "b2": b2}
            )
    frame = pd.DataFrame(rows)
    coords = {r: tuple(xy[r]) for r in range(n_regions)}
    return frame, coords


def dense_gtwr(frame, coords, *, bandwidth, tau, kernel, fixed, x=("x1", "x2")):
    frame = frame.sort_values(["region", "year"])
    X = np.column_stack([np.ones(len(frame)), frame[list(x)].to_numpy()])
    y = frame["y"].to_numpy()
    u = np.array([coords[r][0] for r in frame["region"]])
    v = np.array([coords[r][1] for r in frame["region"]])
    t = frame["year"].to_numpy(float)
    d = np.sqrt((u[:, None] - u) ** 2 + (v[:, None] - v) ** 2 + tau * (t[:, None] - t) ** 2)
    n, k = X.shape
    if fixed:
        h = np.full(n, float(bandwidth))
    else:
        h = np.sort(d, axis=1)[:, int(bandwidth) - 1] * 1.0000001
    z = d / h[:, None]
    if kernel == "bisquare":
        W = np.where(z < 1, (1 - z**2) ** 2, 0.0)
    elif kernel == "gaussian":
        W = np.exp(-0.5 * z**2)
    else:
        W = np.exp(-z)
    beta = np.empty((n, k))
    S = np.empty((n, n))
    CCT = np.empty((n, k))
    for i in range(n):
        XtW = X.T * W[i]
        C = np.linalg.solve(XtW @ X, XtW)
        beta[i] = C @ y
        S[i] = X[i] @ C
        CCT[i] = np.diag(C @ C.T)
    resid = y - S @ y
    rss = resid @ resid
    tr_s = np.trace(S)
    aicc = n * np.log(rss / n) + n * np.log(2 * np.pi) + n * (n + tr_s) / (n - 2 - tr_s)
    sigma2 = rss / (n - tr_s)
    return {
        "beta": beta,
        "tr_s": tr_s,
        "aicc": aicc,
        "se": np.sqrt(CCT * sigma2),
        "cv": np.mean((resid / (1 - np.diag(S))) ** 2),
        "X": X,
        "y": y,
        "u": u,
        "v": v,
        "t": t,
        "W": W,
    }


@pytest.mark.parametrize(
    ("kernel", "fixed", "bandwidth", "tau"),
    [
        ("bisquare", False, 30, 0.8),  # the nearest-neighbour path (30 <= n / 4)
        ("bisquare", False, 33, 0.0),  # the same with ties: 5 years share each location
        ("bisquare", False, 120, 0.8),  # all distances (120 > n / 4)
        ("gaussian", True, 2.5, 0.3),
        ("exponential", False, 25, 2.0),
        ("bisquare", True, 6.0, 1.5),
    ],
)
def test_matches_dense_implementation(kernel, fixed, bandwidth, tau):
    frame, coords = make_panel()  # n = 200
    ref = dense_gtwr(frame, coords, bandwidth=bandwidth, tau=tau, kernel=kernel, fixed=fixed)
    res = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel=kernel, fixed=fixed).fit(
        bandwidth=bandwidth, tau=tau, block_bytes=8 * 200 * 7
    )  # 7-row blocks: many chunks
    est = res.params[["const", "x1", "x2"]].to_numpy()
    np.testing.assert_allclose(est, ref["beta"], rtol=0, atol=TOL_DENSE)
    assert res.diagnostics["enp"] == pytest.approx(ref["tr_s"], abs=TOL_DENSE)
    assert res.diagnostics["aicc"] == pytest.approx(ref["aicc"], abs=TOL_DENSE)
    assert res.diagnostics["cv"] == pytest.approx(ref["cv"], abs=TOL_DENSE)
    se = res.local.pivot_table(
        index=["region", "year"], columns="parameter", values="se", sort=False
    )[["const", "x1", "x2"]].to_numpy()
    np.testing.assert_allclose(se, ref["se"], rtol=0, atol=TOL_DENSE)


@pytest.mark.parametrize("tau", [0.0, 0.8])
def test_nearest_neighbour_path_equals_all_distances(monkeypatch, tau):
    """The k-d tree path of the adaptive bisquare kernel gives the all-distances answer."""
    import spatial.heterogeneity.gtwr as gtwr_module

    frame, coords = make_panel()
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
    near = model.fit(bandwidth=37, tau=tau)
    monkeypatch.setattr(gtwr_module, "_NEIGHBOUR_SHARE", 0.0)
    dense = model.fit(bandwidth=37, tau=tau)
    np.testing.assert_allclose(
        near.local[["estimate", "se"]], dense.local[["estimate", "se"]], rtol=0, atol=1e-12
    )
    assert near.diagnostics["aicc"] == pytest.approx(dense.diagnostics["aicc"], abs=1e-10)


def test_threads_give_the_same_answer():
    frame, coords = make_panel()
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
    one = model.fit(bandwidth=40, tau=1.0, block_bytes=8 * 200 * 5)
    two = model.fit(bandwidth=40, tau=1.0, block_bytes=8 * 200 * 5, n_jobs=2)
    np.testing.assert_array_equal(one.local["estimate"], two.local["estimate"])


@pytest.mark.parametrize(
    ("kernel", "fixed", "bandwidth"),
    [
        ("bisquare", True, 4.0),
        ("gaussian", True, 1.5),
        ("bisquare", False, 35),
        ("exponential", True, 2.0),
    ],
)
def test_one_year_equals_mgwr_gwr(kernel, fixed, bandwidth):
    from mgwr.gwr import GWR

    frame, coords = make_panel(n_regions=120, n_years=1, seed=3)
    res = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel=kernel, fixed=fixed).fit(
        bandwidth=bandwidth, tau=0.0
    )
    xy = np.array([coords[r] for r in range(120)])
    ref = GWR(
        xy,
        frame[["y"]].to_numpy(),
        frame[["x1", "x2"]].to_numpy(),
        bandwidth,
        kernel=kernel,
        fixed=fixed,
        n_jobs=1,
    ).fit()
    np.testing.assert_allclose(
        res.params[["const", "x1", "x2"]].to_numpy(), ref.params, rtol=0, atol=TOL_MGWR
    )
    assert res.diagnostics["enp"] == pytest.approx(ref.tr_S, abs=TOL_MGWR)
    assert res.diagnostics["aicc"] == pytest.approx(ref.aicc, abs=TOL_MGWR)
    se = res.local.pivot_table(
        index=["region", "year"], columns="parameter", values="se", sort=False
    )[["const", "x1", "x2"]].to_numpy()
    np.testing.assert_allclose(se, ref.bse, rtol=0, atol=TOL_MGWR)


def test_tau_zero_ignores_time_and_equal_times_ignore_tau():
    frame, coords = make_panel(n_regions=60, n_years=1, seed=5)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="gaussian", fixed=True)
    a = model.fit(bandwidth=2.0, tau=0.0).local["estimate"].to_numpy()
    b = model.fit(bandwidth=2.0, tau=7.0).local["estimate"].to_numpy()
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_prediction_equals_direct_computation():
    frame, coords = make_panel()
    res = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="bisquare").fit(
        bandwidth=30, tau=0.8
    )
    ref = dense_gtwr(frame, coords, bandwidth=30, tau=0.8, kernel="bisquare", fixed=False)
    pts = np.array([[2.0, 3.0], [7.5, 1.0], [5.0, 5.0]])
    times = np.array([2001.5, 2004.0, 2006.0])
    P = np.array([[0.3, -1.0], [1.2, 0.4], [-0.7, 0.0]])
    out = res.predict(pts, times, P)
    X, y = ref["X"], ref["y"]
    for j in range(3):
        d = np.sqrt(
            (ref["u"] - pts[j, 0]) ** 2
            + (ref["v"] - pts[j, 1]) ** 2
            + 0.8 * (ref["t"] - times[j]) ** 2
        )
        h = np.sort(d)[29] * 1.0000001
        w = np.where(d < h, (1 - (d / h) ** 2) ** 2, 0.0)
        beta = np.linalg.solve((X.T * w) @ X, (X.T * w) @ y)
        np.testing.assert_allclose(
            out.loc[j, ["const", "x1", "x2"]].to_numpy(float), beta, rtol=0, atol=TOL_DENSE
        )
        assert out.loc[j, "prediction"] == pytest.approx(np.r_[1.0, P[j]] @ beta, abs=TOL_DENSE)
    # predicting at a training point reproduces its fitted local coefficients
    again = res.predict([coords[3]], [2002.0], [[0.0, 0.0]])
    fitted = res.params.loc[(3, 2002)]
    np.testing.assert_allclose(
        again.loc[0, ["const", "x1", "x2"]].to_numpy(float),
        fitted[["const", "x1", "x2"]].to_numpy(float),
        atol=TOL_DENSE,
    )


def test_recovers_space_time_varying_coefficients():
    frame, coords = make_panel(n_regions=80, n_years=6, seed=11, noise=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BandwidthSearchWarning)  # an interior optimum
        res = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="bisquare").fit(
            taus=[0.3, 3.0, 30.0], bandwidth_bounds=(12, None)
        )
    est = res.params.reset_index().merge(frame, on=["region", "year"])
    err1 = np.abs(est["x1_x"] - est["b1"])
    err2 = np.abs(est["x2_x"] - est["b2"])
    # truth: b1 spans about 3.5 (space and time), b2 about 1 (space); measured 0.068, 0.058
    assert np.median(err1) < 0.1 and np.median(err2) < 0.1
    ols = np.linalg.lstsq(
        np.column_stack([np.ones(len(frame)), frame[["x1", "x2"]]]), frame["y"], rcond=None
    )[0]
    assert np.median(err1) < 0.2 * np.median(np.abs(ols[1] - frame["b1"]))  # OLS: 0.58
    assert np.median(err2) < 0.5 * np.median(np.abs(ols[2] - frame["b2"]))  # OLS: 0.25
    # the search weights time (b1 drifts with t): tau = 3 of the grid, not the smallest
    assert res.tau == 3.0 and len(res.search) > 10
    assert res.diagnostics["r2"] > 0.99


def test_search_matches_exhaustive_minimum_of_its_grid():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="bisquare")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BandwidthSearchWarning)
        res = model.fit(tau=1.0, bandwidth_bounds=(15, 120))
    scores = {q: model.fit(bandwidth=q, tau=1.0).diagnostics["aicc"] for q in range(15, 121)}
    best = min(scores, key=scores.get)
    # golden section finds the global minimum of this (unimodal here) profile, or ties it
    assert (
        scores[int(res.bandwidth)] == pytest.approx(scores[best], abs=1e-9)
        or abs(int(res.bandwidth) - best) <= 2
    )


def test_dask_client_gives_the_local_answer():
    distributed = pytest.importorskip("dask.distributed")
    frame, coords = make_panel(n_regions=25, n_years=4, seed=4)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="gaussian", fixed=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BandwidthSearchWarning)
        local = model.fit(taus=[0.5, 2.0])
        with distributed.Client(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as client:
            remote = model.fit(taus=[0.5, 2.0], client=client)
    assert remote.options["backend"] == "dask"
    assert remote.bandwidth == local.bandwidth and remote.tau == local.tau
    np.testing.assert_allclose(remote.local["estimate"], local.local["estimate"], atol=1e-12)
    with pytest.raises(InvalidOptionError, match="client must be a dask"):
        model.fit(taus=[0.5, 2.0], client="localhost:8786")


# ----------------------------------------------------------------------------- bad input
def test_bandwidth_at_bound_warns_naming_the_option():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
    with pytest.warns(BandwidthSearchWarning, match="lower bound 100 of bandwidth_bounds"):
        model.fit(tau=1.0, bandwidth_bounds=(100, 110))


def test_search_that_does_not_converge_warns():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
    with pytest.warns(BandwidthSearchWarning, match="max_iter=2"):
        model.fit(tau=1.0, max_iter=2)


def test_tau_at_end_of_grid_warns():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="gaussian", fixed=True)
    with pytest.warns(BandwidthSearchWarning, match="end of the grid taus"):
        model.fit(bandwidth=3.0, taus=[1e-6, 2e-6])


def test_too_small_bandwidth_is_collinear():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="bisquare", fixed=True)
    with pytest.raises(CollinearityError, match="larger bandwidth="):
        model.fit(bandwidth=0.01, tau=1.0)


def test_collinear_local_design():
    frame, coords = make_panel(n_regions=30, n_years=4, seed=2)
    frame["x2"] = np.where(frame["region"] < 15, 1.0, frame["x2"])  # constant in one area
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords, kernel="bisquare", fixed=False)
    with pytest.raises(CollinearityError, match="singular"):
        model.fit(bandwidth=5, tau=0.0)


def test_globally_collinear_regressors():
    frame, coords = make_panel(n_regions=20, n_years=3)
    frame["x3"] = 2 * frame["x1"]
    with pytest.raises(CollinearityError, match="linearly dependent"):
        GTWR(frame, "y", ["x1", "x3"], coords=coords)


def test_too_few_observations_for_the_bandwidth():
    frame, coords = make_panel(n_regions=10, n_years=2)
    model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
    with pytest.raises(InvalidOptionError, match="not possible with 20 observations"):
        model.fit(bandwidth=50, tau=1.0)
    tiny, tiny_coords = make_panel(n_regions=2, n_years=2)
    with pytest.raises(SpecificationError, match="too few"):
        GTWR(tiny, "y", ["x1", "x2"], coords=tiny_coords)


def test_missing_coordinates_and_values():
    frame, coords = make_panel(n_regions=10, n_years=2)
    partial = {r: c for r, c in coords.items() if r != 7}
    with pytest.raises(SpecificationError, match=r"No coordinates for 1 region\(s\): 7"):
        GTWR(frame, "y", ["x1", "x2"], coords=partial)
    holed = frame.copy()
    holed.loc[3, "x1"] = np.nan
    with pytest.raises(MissingValueError, match="missing or infinite"):
        GTWR(holed, "y", ["x1", "x2"], coords=coords)
    with pytest.raises(SpecificationError, match="not all Chinese provinces"):
        GTWR(frame, "y", ["x1", "x2"])


def test_bad_options():
    frame, coords = make_panel(n_regions=10, n_years=3)
    with pytest.raises(InvalidOptionError, match="kernel='box'"):
        GTWR(frame, "y", ["x1"], coords=coords, kernel="box")
    model = GTWR(frame, "y", ["x1"], coords=coords)
    with pytest.raises(InvalidOptionError, match="criterion='BIC'"):
        model.fit(criterion="BIC")
    with pytest.raises(InvalidOptionError, match="tau must be"):
        model.fit(tau=-1.0)
    with pytest.raises(InvalidOptionError, match="taus must be"):
        model.fit(taus=[np.nan])


def test_inputs_are_not_modified_and_results_are_frozen():
    frame, coords = make_panel(n_regions=30, n_years=3)
    before, coords_before = frame.copy(), dict(coords)
    res = GTWR(frame, "y", ["x1", "x2"], coords=coords).fit(bandwidth=30, tau=1.0)
    pd.testing.assert_frame_equal(frame, before)
    assert coords == coords_before
    local = res.local
    local["estimate"] = 0.0
    assert (res.local["estimate"] != 0).any()
    with pytest.raises(AttributeError):
        res.local = None  # type: ignore[misc]
    assert "GTWR" in str(res.summary())


def test_province_panel_uses_centroids():
    from spatial.geography import province_codes

    rng = np.random.default_rng(0)
    codes = list(province_codes())
    frame = pd.DataFrame(
        [{"code": c, "year": y, "x1": rng.normal()} for c in codes for y in (2020, 2021)]
    )
    frame["y"] = 1 + frame["x1"] + 0.1 * rng.normal(size=len(frame))
    res = GTWR(frame, "y", ["x1"], region="code").fit(bandwidth=30, tau=1e4)
    assert res.options["spherical"] and "centroids" in res.options["coordinates"]
    assert len(res.local) == 62 * 2
