"""Tests of spatial/models/diagnostics.py: LR, Wald and LM tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

from spatial import (
    SLXPanel,
    SpatialDurbinPanel,
    SpatialErrorPanel,
    SpatialLagPanel,
    SpatialWeights,
    lm_tests,
)
from spatial.exceptions import SpecificationError
from spatial.models.transform import spatial_lag, within_transform

from .test_reference import REFERENCE


@pytest.fixture(scope="module")
def fits(cigar, cigar_w):
    args = (cigar, "logc", ["logp", "logy"], cigar_w)
    keys = {"region": "state", "year": "year"}
    return {
        "SDM": SpatialDurbinPanel(*args, **keys).fit(),
        "SAR": SpatialLagPanel(*args, **keys).fit(),
        "SEM": SpatialErrorPanel(*args, **keys).fit(),
        "SLX": SLXPanel(*args, **keys).fit(),
    }


def test_lr_tests(fits):
    sdm = fits["SDM"]
    for name, df in (("SAR", 2), ("SEM", 2), ("SLX", 1)):
        test = sdm.lr_test(fits[name])
        assert test.df == df
        assert test.statistic == pytest.approx(2 * (sdm.loglik - fits[name].loglik), rel=1e-14)
        assert test.pvalue == pytest.approx(stats.chi2.sf(test.statistic, df), rel=1e-12)
    with pytest.raises(SpecificationError, match="pass the larger"):
        fits["SAR"].lr_test(sdm)


def test_lr_refuses_incomparable_models(cigar, cigar_w, fits):
    other = SpatialLagPanel(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year",
                            effects="individual").fit()  # fmt: skip
    with pytest.raises(SpecificationError, match="differ in effects"):
        fits["SDM"].lr_test(other)
    half = cigar[cigar["year"] < 80]
    small = SpatialLagPanel(
        half, "logc", ["logp", "logy"], cigar_w, region="state", year="year"
    ).fit()
    with pytest.raises(SpecificationError, match="differ in nobs"):
        fits["SDM"].lr_test(small)


def test_wald_tests_by_hand(fits):
    sdm = fits["SDM"]
    p, v = sdm.params, sdm.cov
    theta = p[["W_logp", "W_logy"]].to_numpy()
    v_theta = v.loc[["W_logp", "W_logy"], ["W_logp", "W_logy"]].to_numpy()
    assert sdm.wald_test("theta = 0").statistic == pytest.approx(
        theta @ np.linalg.solve(v_theta, theta), rel=1e-12
    )
    # common factor: g = theta + rho * beta, G = [rho I, I, beta]
    order = ["logp", "logy", "W_logp", "W_logy", "rho"]
    g = theta + p["rho"] * p[["logp", "logy"]].to_numpy()
    jac = np.hstack([p["rho"] * np.eye(2), np.eye(2), p[["logp", "logy"]].to_numpy()[:, None]])
    middle = jac @ v.loc[order, order].to_numpy() @ jac.T
    common = sdm.wald_test("theta+rho*beta=0")
    assert common.statistic == pytest.approx(g @ np.linalg.solve(middle, g), rel=1e-12)
    assert common.df == 2 and "theta + rho*beta = 0" in str(common)
    rho = sdm.wald_test("rho = 0")
    assert rho.statistic == pytest.approx((p["rho"] / sdm.std_errors["rho"]) ** 2, rel=1e-12)


def test_wald_errors(fits):
    with pytest.raises(SpecificationError, match="'theta = 0', 'theta \\+ rho\\*beta = 0'"):
        fits["SDM"].wald_test("beta = 0")
    with pytest.raises(SpecificationError, match="no lagged regressors"):
        fits["SAR"].wald_test("theta = 0")
    with pytest.raises(SpecificationError, match="no spatial parameter"):
        fits["SLX"].wald_test("rho = 0")


def test_lm_tests_match_spreg_on_a_cross_section():
    """spreg.OLS(spat_diag=True) LM diagnostics on Columbus (T = 1, no effects)."""
    spreg = pytest.importorskip("spreg")
    from libpysal.weights import WSP

    data = pd.read_csv(REFERENCE / "columbus_data.csv").assign(period=1)
    links = pd.read_csv(REFERENCE / "columbus_neighbors.csv")
    mat = sparse.csr_matrix((np.ones(len(links)), (links["id"] - 1, links["neighbor"] - 1)),
                            shape=(49, 49))  # fmt: skip
    w = SpatialWeights.from_sparse(mat, ids=data["POLYID"].tolist()).standardize("row")
    ours = lm_tests(data, "CRIME", ["INC", "HOVAL"], w, region="POLYID", year="period")
    lib_w = WSP(w.sparse).to_W()
    ols = spreg.OLS(data[["CRIME"]].to_numpy(), data[["INC", "HOVAL"]].to_numpy(), w=lib_w,
                    spat_diag=True)  # fmt: skip
    expected = {"LM lag": ols.lm_lag, "LM error": ols.lm_error,
                "robust LM lag": ols.rlm_lag, "robust LM error": ols.rlm_error}  # fmt: skip
    for name, (statistic, pvalue) in expected.items():
        assert ours.loc[name, "statistic"] == pytest.approx(statistic, rel=1e-10), name
        assert ours.loc[name, "p_value"] == pytest.approx(pvalue, rel=1e-8), name


def test_panel_lm_tests_against_dense_kronecker_algebra(cigar, cigar_w):
    """Panel LM statistics written with explicit I_T (x) W matrices (Elhorst 2014, 3.5)."""
    ours = lm_tests(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year",
                    effects="individual")  # fmt: skip
    frame = cigar.sort_values(["year", "state"])
    t, n = 30, 46
    y = frame["logc"].to_numpy().reshape(t, n)
    x = frame[["logp", "logy"]].to_numpy().reshape(t, n, 2)
    big_w = np.kron(np.eye(t), cigar_w.matrix.toarray())
    xt = within_transform(x, "individual").reshape(-1, 2)
    yt = within_transform(y, "individual").ravel()
    wy = within_transform(spatial_lag(cigar_w.matrix, y), "individual").ravel()
    beta = np.linalg.lstsq(xt, yt, rcond=None)[0]
    e = yt - xt @ beta
    s2 = e @ e / (n * t)
    wxb = within_transform((big_w @ (x.reshape(-1, 2) @ beta)).reshape(t, n), "individual").ravel()
    m = np.eye(n * t) - xt @ np.linalg.solve(xt.T @ xt, xt.T)
    w_small = cigar_w.matrix.toarray()
    t_w = t * np.trace(w_small.T @ w_small + w_small @ w_small)
    j = (wxb @ m @ wxb + t_w * s2) / s2
    lm_lag = (e @ wy / s2) ** 2 / j
    lm_err = (e @ big_w @ e / s2) ** 2 / t_w
    assert ours.loc["LM lag", "statistic"] == pytest.approx(lm_lag, rel=1e-10)
    assert ours.loc["LM error", "statistic"] == pytest.approx(lm_err, rel=1e-10)
    assert (ours["df"] == 1).all()
