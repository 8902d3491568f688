"""Tests of spatial/heterogeneity/gwr.py (GWR and MGWR through mgwr).

References:
* ``tests/spatial/reference/georgia_gwr_published.json``: the Georgia example printed in
  mgwr's notebooks (pysal/mgwr commit 4ffbdf4; produced by ``georgia_gwr_reference.py``),
  compared at half a unit of the last printed digit;
* GWR 4.0.90 output shipped with libpysal (``georgia_BS_NN_listwise.csv`` and
  ``georgia_BS_NN_summary.txt``): an independent program, compared at the tolerances
  mgwr's own tests use against it;
* mgwr called directly with the same arguments: identical numbers (1e-12).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spatial.exceptions import (
    CollinearityError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)
from spatial.heterogeneity.gwr import (
    BandwidthSearchWarning,
    adjusted_critical_t,
    gwr,
    local_map,
    mgwr,
    region_coordinates,
)

libpysal = pytest.importorskip("libpysal")
PUBLISHED = json.loads(
    (Path(__file__).parents[1] / "reference" / "georgia_gwr_published.json").read_text()
)
X3 = ["PctFB", "PctBlack", "PctRural"]


@pytest.fixture(scope="module")
def georgia() -> pd.DataFrame:
    return pd.read_csv(libpysal.examples.get_path("GData_utm.csv"))


@pytest.fixture(scope="module")
def georgia_gwr(georgia):
    return gwr(
        georgia,
        "PctBach",
        X3,
        region="AreaKey",
        coords=("X", "Y"),
        standardize=True,
        bandwidth_bounds=(2, None),
    )


@pytest.fixture(scope="module")
def georgia_mgwr(georgia):
    with pytest.warns(BandwidthSearchWarning, match="PctRural ended at 158"):
        return mgwr(
            georgia, "PctBach", X3, region="AreaKey", coords=("X", "Y"), bandwidth_bounds=(2, None)
        )


def test_gwr_reproduces_the_published_georgia_example(georgia_gwr):
    pub = PUBLISHED["gwr"]
    diag = georgia_gwr.diagnostics.loc["all"]
    assert diag["bandwidth"] == pub["bandwidth"] == 117
    for key in ("aicc", "aic", "rss", "enp"):
        assert diag[key] == pytest.approx(pub[key], abs=5e-4)
    assert diag["r2"] == pytest.approx(pub["r2"], abs=5e-4)
    assert diag["critical_t"] == pytest.approx(pub["adj_critical_t"], abs=5e-4)
    params = georgia_gwr.params[["const", *X3]].to_numpy()[:5]
    np.testing.assert_allclose(params, pub["params_first_5"], rtol=0, atol=5e-9)


def test_mgwr_reproduces_the_published_georgia_example(georgia_mgwr):
    pub = PUBLISHED["mgwr"]
    bws = georgia_mgwr.bandwidths
    assert bws["bandwidth"].tolist() == pub["bandwidths"] == [92, 101, 136, 158]
    np.testing.assert_allclose(bws["enp"], pub["enp_j"], rtol=0, atol=5e-4)
    np.testing.assert_allclose(bws["critical_t"], pub["adj_critical_t"], rtol=0, atol=5e-4)
    diag = georgia_mgwr.diagnostics.loc["all"]
    for key in ("aicc", "rss", "enp"):
        assert diag[key] == pytest.approx(pub[key], abs=5e-4)
    assert diag["r2"] == pytest.approx(pub["r2"], abs=5e-3)
    assert georgia_mgwr.options["standardize"] is True


def test_wrapper_equals_mgwr_called_directly(georgia, georgia_gwr, georgia_mgwr):
    from mgwr.gwr import GWR, MGWR
    from mgwr.sel_bw import Sel_BW

    y = georgia[["PctBach"]].to_numpy(float)
    X = georgia[X3].to_numpy(float)
    y = (y - y.mean(axis=0)) / y.std(axis=0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    xy = georgia[["X", "Y"]].to_numpy(float)
    bw = Sel_BW(xy, y, X, n_jobs=1).search(bw_min=2)
    ref = GWR(xy, y, X, bw, n_jobs=1).fit()
    local = georgia_gwr.local
    np.testing.assert_allclose(local["estimate"], ref.params.ravel(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(local["se"], ref.bse.ravel(), rtol=0, atol=1e-12)
    assert georgia_gwr.diagnostics.loc["all", "aicc"] == pytest.approx(ref.aicc, abs=1e-12)
    assert georgia_gwr.diagnostics.loc["all", "critical_t"] == pytest.approx(
        ref.critical_tval(), abs=1e-12
    )
    flagged = np.abs(ref.filter_tvals()) > 0
    np.testing.assert_array_equal(local["significant"].to_numpy(), flagged.ravel())
    selector = Sel_BW(xy, y, X, multi=True, n_jobs=1)
    selector.search(multi_bw_min=[2])
    mref = MGWR(xy, y, X, selector, n_jobs=1).fit()
    np.testing.assert_allclose(georgia_mgwr.local["estimate"], mref.params.ravel(), atol=1e-12)
    np.testing.assert_allclose(
        georgia_mgwr.bandwidths["critical_t"], mref.critical_tval(), atol=1e-12
    )


def test_gwr_matches_gwr4_independent_output(georgia):
    """GWR4 (adaptive bisquare, 90 neighbours, raw variables) vs the wrapper."""
    path = libpysal.examples.get_path("georgia_BS_NN_listwise.csv")
    gwr4 = pd.read_csv(path, skipinitialspace=True)
    res = gwr(
        georgia,
        "PctBach",
        ["PctRural", "PctPov", "PctBlack"],
        region="AreaKey",
        coords=("X", "Y"),
        bandwidth=90,
    )
    params = res.params[["const", "PctRural", "PctPov", "PctBlack"]]
    est = gwr4[["est_Intercept", "est_PctRural", "est_PctPov", "est_PctBlack"]].to_numpy()
    # mgwr's own tests use these tolerances against the same file
    np.testing.assert_allclose(params.to_numpy()[:, :3], est[:, :3], rtol=1e-4)
    np.testing.assert_allclose(params.to_numpy()[:, 3], est[:, 3], rtol=1e-2)
    diag = res.diagnostics.loc["all"]
    # GWR4 summary: AICc 896.462831 at bandwidth 90.398 (continuous); ours at 90 neighbours
    assert diag["aicc"] == pytest.approx(896.462831, abs=1.0)
    assert diag["r2"] == pytest.approx(0.592415, abs=5e-3)


def test_lonlat_uses_spherical_distances(georgia):
    res = gwr(
        georgia,
        "PctBach",
        ["PctRural", "PctPov", "PctBlack"],
        region="AreaKey",
        coords=("Longitud", "Latitude"),
        spherical=True,
    )
    # mgwr's test_sel_bw.test_golden_adapt_AICc_Longlat: 92 neighbours
    assert res.diagnostics.loc["all", "bandwidth"] == 92
    assert "great-circle" in " ".join(res.notes)


def test_adjusted_critical_t_formula():
    from scipy import stats

    assert adjusted_critical_t(10.0, 4, 100) == pytest.approx(
        stats.t.ppf(1 - 0.05 * 4 / 10 / 2, 99), abs=1e-14
    )
    assert adjusted_critical_t(4.0, 4, 100) == pytest.approx(stats.t.ppf(0.975, 99), abs=1e-14)
    with pytest.raises(InvalidOptionError, match="level"):
        adjusted_critical_t(4.0, 4, 100, level=1.5)


def province_frame(years=(None,), seed=0):
    from spatial.geography import province_codes

    rng = np.random.default_rng(seed)
    codes = list(province_codes())
    xy, _, _ = region_coordinates(codes)
    rows = []
    for year in years:
        x1 = rng.normal(size=31)
        y = 1 + (0.5 + 0.02 * (xy[:, 0] - 110)) * x1 + 0.1 * rng.normal(size=31)
        part = pd.DataFrame({"province": codes, "x1": x1, "y": y})
        if year is not None:
            part["year"] = year
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def test_provinces_by_year_equal_separate_cross_sections():
    panel = province_frame(years=(2020, 2021))
    res = gwr(panel, "y", ["x1"], region="province", year="year", kernel="gaussian", bandwidth=12)
    assert res.options["spherical"] and "centroids" in res.options["coordinates"]
    for year in (2020, 2021):
        one = gwr(
            panel[panel["year"] == year].drop(columns="year"),
            "y",
            ["x1"],
            region="province",
            kernel="gaussian",
            bandwidth=12,
        )
        got = res.local[res.local["year"] == year]["estimate"].to_numpy()
        np.testing.assert_array_equal(got, one.local["estimate"].to_numpy())
    pooled = gwr(
        panel,
        "y",
        ["x1"],
        region="province",
        year="year",
        kernel="gaussian",
        bandwidth=24,
        pooling="pooled",
    )
    assert len(pooled.local) == 62 * 2 and any("Pooled" in n for n in pooled.notes)
    assert "GWR" in str(res.summary())


def test_local_map_draws_provinces(tmp_path):
    panel = province_frame(years=(2020, 2021))
    res = gwr(panel, "y", ["x1"], region="province", year="year", kernel="gaussian", bandwidth=12)
    fig = local_map(res, "x1", k=3, path=tmp_path / "x1.png")
    titled = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert len(titled) == 2 and (tmp_path / "x1.png").exists()
    cross = gwr(province_frame(), "y", ["x1"], region="province", kernel="gaussian", bandwidth=12)
    fig = cross.map("x1", value="t", k=3)
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["x1"]
    with pytest.raises(InvalidOptionError, match="parameter='x9'"):
        local_map(cross, "x9")


# ----------------------------------------------------------------------------- bad input
def test_bandwidth_search_at_bound_warns(georgia):
    with pytest.warns(BandwidthSearchWarning, match=r"lower bound 150 .*bandwidth_bounds="):
        gwr(
            georgia,
            "PctBach",
            X3,
            region="AreaKey",
            coords=("X", "Y"),
            bandwidth_bounds=(150, None),
        )


def test_mgwr_backfitting_that_does_not_converge_warns(georgia):
    with pytest.warns(BandwidthSearchWarning, match="max_iter=1 iterations"):
        mgwr(
            georgia,
            "PctBach",
            X3,
            region="AreaKey",
            coords=("X", "Y"),
            max_iter=1,
            bandwidth_bounds=(50, 150),
        )


def test_too_few_observations():
    frame = province_frame().head(3)
    with pytest.raises(SpecificationError, match="3 observations for 2 parameters"):
        gwr(frame, "y", ["x1"], region="province")
    with pytest.raises(InvalidOptionError, match="not possible with 31 observations"):
        gwr(province_frame(), "y", ["x1"], region="province", bandwidth=40)


def test_missing_coordinates_for_a_region():
    frame = province_frame()
    coords = {c: (0.0, float(i)) for i, c in enumerate(frame["province"]) if c != "11"}
    with pytest.raises(SpecificationError, match=r"No coordinates for 1 region\(s\): 11"):
        gwr(frame, "y", ["x1"], region="province", coords=coords)
    other = frame.assign(province=[f"unit{i}" for i in range(31)])
    with pytest.raises(SpecificationError, match=r"not all Chinese provinces.*coords="):
        gwr(other, "y", ["x1"], region="province")


def test_missing_values():
    frame = province_frame()
    frame.loc[4, "x1"] = np.nan
    with pytest.raises(MissingValueError, match="'x1' at"):
        gwr(frame, "y", ["x1"], region="province")


def test_collinear_design_and_local_design(georgia):
    frame = province_frame()
    frame["x2"] = 3 * frame["x1"]
    with pytest.raises(CollinearityError, match="linearly dependent"):
        gwr(frame, "y", ["x1", "x2"], region="province")
    # a regressor without variation in the north-east: local designs there are singular
    local = georgia.copy()
    local["dummy"] = np.where(local["Y"] > local["Y"].quantile(0.8), 0.0, local["PctPov"])
    with pytest.raises(CollinearityError, match="singular"):
        gwr(
            local,
            "PctBach",
            ["dummy", "PctRural"],
            region="AreaKey",
            coords=("X", "Y"),
            bandwidth=10,
        )


def test_bad_options():
    frame = province_frame()
    with pytest.raises(InvalidOptionError, match="kernel='tricube'"):
        gwr(frame, "y", ["x1"], region="province", kernel="tricube")
    with pytest.raises(InvalidOptionError, match="criterion='aic'"):
        gwr(frame, "y", ["x1"], region="province", criterion="aic")
    with pytest.raises(InvalidOptionError, match="pooling='stack'"):
        gwr(frame, "y", ["x1"], region="province", pooling="stack")
    with pytest.raises(InvalidOptionError, match="bandwidth_bounds resolve"):
        gwr(frame, "y", ["x1"], region="province", bandwidth_bounds=(20, 10))
    with pytest.raises(InvalidOptionError, match="one per parameter"):
        mgwr(frame, "y", ["x1"], region="province", bandwidth=[20, 25, 30])


def test_nothing_passed_is_modified(georgia):
    before = georgia.copy()
    coords = georgia.set_index("AreaKey")[["X", "Y"]]
    coords_before = coords.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BandwidthSearchWarning)
        res = gwr(
            georgia, "PctBach", X3, region="AreaKey", coords=coords, standardize=True, bandwidth=117
        )
    pd.testing.assert_frame_equal(georgia, before)
    pd.testing.assert_frame_equal(coords, coords_before)
    local = res.local
    local["estimate"] = 0.0
    assert (res.local["estimate"] != 0).any()
