"""Tests of spatial/models/hausman.py: splm's sphtest contrast, analytic and bootstrap.

References (``reference/splm_hausman_R.json``, written by ``reference/splm_hausman.R`` with
splm 1.6-5 run here): ``sphtest(formula, spatial.model = "lag" | "error", method = "ML")``
on Cigar, Produc and a simulated 49 x 5 panel (``reference/hausman_simulated.py``), with the
FE and RE fits behind each. splm's statistic is ``abs(d'(V_RE - V_FE)^-1 d)``; on Cigar and
Produc its ``V_FE - V_RE`` is indefinite (the JSON stores the eigenvalues), so the textbook
statistic is undefined there and the toolkit refuses it; on the simulated panel the
difference is positive definite and the toolkit gives splm's number.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spatial import SpatialErrorPanel, SpatialLagPanel, SpatialWeights, hausman_test
from spatial.exceptions import EstimationError, InvalidOptionError, SpecificationError
from spatial.models.hausman import HausmanWarning, hausman_statistic

from .test_reference import REFERENCE

SPLM = json.loads((REFERENCE / "splm_hausman_R.json").read_text())
MODELS = {"lag": SpatialLagPanel, "error": SpatialErrorPanel}
KEYS = {"region": "region", "year": "year"}


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, SpatialWeights]:
    data = pd.read_csv(REFERENCE / "hausman_simulated.csv")
    binary = np.loadtxt(REFERENCE / "hausman_simulated_w.csv", delimiter=",")
    return data, SpatialWeights.from_sparse(binary).standardize()


def _pair(model, data, y, x, w, keys=KEYS):
    fixed = model(data, y, x, w, **keys, effects="individual").fit(bias_correction="none")
    random = model(data, y, x, w, **keys, effects="random").fit()
    return fixed, random


# ------------------------------------------------------------------------- kernel
def test_statistic_of_a_positive_definite_difference_is_the_quadratic_form():
    v = np.array([[0.3, 0.05], [0.05, 0.3]])
    d = np.array([0.3, -0.2])
    statistic, df = hausman_statistic(d, v)
    assert df == 2 and statistic == pytest.approx(d @ np.linalg.solve(v, d), rel=1e-12)


def test_singular_difference_needs_generalized_and_indefinite_is_always_refused():
    ones = np.ones((2, 2))  # rank 1, pinv = J / 4
    with pytest.raises(EstimationError, match=r"singular .*generalized=True"):
        hausman_statistic(np.array([1.0, 2.0]), ones)
    statistic, df = hausman_statistic(np.array([1.0, 2.0]), ones, generalized=True)
    assert df == 1 and statistic == pytest.approx(9.0 / 4.0, rel=1e-10)
    indefinite = np.diag([1.0, -0.5])
    for generalized in (False, True):
        with pytest.raises(EstimationError, match=r"not positive semi-definite.*bootstrap"):
            hausman_statistic(np.array([1.0, 1.0]), indefinite, generalized=generalized)


# ------------------------------------------------------------------ splm agreement
@pytest.mark.parametrize("spec", ["lag", "error"])
@pytest.mark.parametrize("case", ["simulated_re", "simulated_fe"])
def test_positive_definite_difference_gives_splm_sphtest(simulated, case, spec):
    """Where V_FE - V_RE is positive definite, the statistic, df and p-value are splm's
    (relative 2e-5: the random-effects estimates of the two programs agree to ~1e-7)."""
    data, w = simulated
    ref = SPLM[case][spec]
    assert min(ref["contrast"]["eigenvalues_vfe_minus_vre"]) > 0
    fixed, random = _pair(MODELS[spec], data, "y_re" if case == "simulated_re" else "y_fe",
                          ["x1", "x2"], w)  # fmt: skip
    test = hausman_test(fixed, random)
    assert test.names == ("x1", "x2") and test.df == ref["sphtest"]["df"] == 2
    assert test.statistic == pytest.approx(ref["sphtest"]["statistic"], rel=2e-5)
    assert test.pvalue == pytest.approx(ref["sphtest"]["p_value"], rel=1e-4)
    assert (test.pvalue < 0.05) == (case == "simulated_fe")  # power where RE is false


@pytest.mark.parametrize("spec", ["lag", "error"])
def test_cigar_contrast_is_splms_and_its_indefinite_difference_is_refused(cigar, cigar_w, spec):
    """Cigar: df 2 (the slopes; rho/lambda, the intercept and phi are not contrasted); the
    signed quadratic form computed here from the toolkit's fits equals splm's (splm prints
    its absolute value), and the toolkit raises instead of returning it."""
    ref = SPLM["cigar"][spec]
    keys = {"region": "state", "year": "year"}
    fixed, random = _pair(MODELS[spec], cigar, "logc", ["logp", "logy"], cigar_w, keys)
    names = ["logp", "logy"]
    d = (fixed.params[names] - random.params[names]).to_numpy()
    v = (fixed.cov.loc[names, names] - random.cov_gls.loc[names, names]).to_numpy()
    assert len(names) == ref["sphtest"]["df"]
    assert d @ np.linalg.solve(v, d) == pytest.approx(ref["contrast"]["signed_statistic"], rel=2e-5)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(v), ref["contrast"]["eigenvalues_vfe_minus_vre"], rtol=1e-3
    )
    for generalized in (False, True):
        with pytest.raises(EstimationError, match="not positive semi-definite"):
            hausman_test(fixed, random, generalized=generalized)


@pytest.mark.parametrize("spec", ["lag", "error"])
def test_produc_contrast_has_splms_df_and_is_refused(produc_frame, spec):
    ref = SPLM["produc"][spec]
    data, w = produc_frame
    names = ["lpcap", "lpc", "lemp", "unemp"]
    fixed, random = _pair(MODELS[spec], data, "lgsp", names, w, {"region": "state",
                                                                   "year": "year"})  # fmt: skip
    d = (fixed.params[names] - random.params[names]).to_numpy()
    v = (fixed.cov.loc[names, names] - random.cov_gls.loc[names, names]).to_numpy()
    assert len(names) == ref["sphtest"]["df"] == 4
    assert d @ np.linalg.solve(v, d) == pytest.approx(ref["contrast"]["signed_statistic"], rel=2e-5)
    with pytest.raises(EstimationError, match=r"sphtest prints its absolute value"):
        hausman_test(fixed, random)


def test_spatial_parameter_only_on_request_and_with_the_full_covariance(simulated):
    data, w = simulated
    fixed, random = _pair(SpatialLagPanel, data, "y_re", ["x1", "x2"], w)
    with pytest.raises(SpecificationError, match="covariance='full'"):
        hausman_test(fixed, random, spatial=True)
    try:
        test = hausman_test(fixed, random, spatial=True, covariance="full")
    except EstimationError as error:  # the full difference may be indefinite: say so
        assert "bootstrap" in str(error)
    else:
        assert test.names == ("x1", "x2", "rho") and test.df == 3 and test.statistic >= 0


def test_misuse_is_refused(simulated, cigar, cigar_w):
    data, w = simulated
    fixed, random = _pair(SpatialLagPanel, data, "y_re", ["x1", "x2"], w)
    with pytest.raises(SpecificationError, match="fixed-effects fit first"):
        hausman_test(random, fixed)
    error_random = SpatialErrorPanel(data, "y_re", ["x1", "x2"], w, **KEYS, effects="random").fit()
    with pytest.raises(SpecificationError, match="different models"):
        hausman_test(fixed, error_random)
    with pytest.raises(InvalidOptionError, match="method"):
        hausman_test(fixed, random, method="wild")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="too few"):
        hausman_test(fixed, random, method="bootstrap", n_boot=3)


# ----------------------------------------------------------------------- bootstrap
def test_bootstrap_on_cigar_is_finite_reproducible_and_independent_of_the_cores(cigar, cigar_w):
    keys = {"region": "state", "year": "year"}
    fixed, random = _pair(SpatialLagPanel, cigar, "logc", ["logp", "logy"], cigar_w, keys)
    one = hausman_test(fixed, random, method="bootstrap", n_boot=40, seed=3)
    two = hausman_test(fixed, random, method="bootstrap", n_boot=40, seed=3, n_jobs=2)
    assert one.df == 2 and np.isfinite(one.statistic) and one.statistic >= 0
    assert one.statistic == two.statistic and one.n_failed == two.n_failed == 0
    assert np.linalg.eigvalsh(one.cov.to_numpy()).min() >= 0
    assert 0 <= one.pvalue <= 1 and one.method == "bootstrap" and one.n_boot == 40
    other = hausman_test(fixed, random, method="bootstrap", n_boot=40, seed=4)
    assert other.statistic != one.statistic


def test_bootstrap_on_produc_is_finite(produc_frame):
    data, w = produc_frame
    names = ["lpcap", "lpc", "lemp", "unemp"]
    fixed, random = _pair(SpatialLagPanel, data, "lgsp", names, w, {"region": "state",
                                                                      "year": "year"})  # fmt: skip
    test = hausman_test(fixed, random, method="bootstrap", n_boot=30, seed=0, n_jobs=2)
    assert test.df == 4 and np.isfinite(test.statistic) and test.statistic >= 0
    assert test.pvalue == pytest.approx(stats.chi2.sf(test.statistic, 4), rel=1e-12)


def test_bootstrap_covariance_is_the_covariance_of_refits_on_resampled_regions(simulated):
    """The bootstrap covariance equals the covariance of d computed here by refitting both
    models through the public API on the same region draws, each draw a DataFrame with its
    own W (the binary weights among the drawn regions, row-standardized). W links cells of
    the 7 x 7 lattice up to two steps apart (8 to 24 neighbours), so that no drawn region
    is left without a drawn neighbour."""
    data, _ = simulated
    cells = np.array([(i, j) for i in range(7) for j in range(7)])
    gap = np.abs(cells[:, None, :] - cells[None, :, :]).max(axis=2)
    binary = ((gap > 0) & (gap <= 2)).astype(float)
    w = SpatialWeights.from_sparse(binary).standardize()
    fixed, random = _pair(SpatialLagPanel, data, "y_re", ["x1", "x2"], w)
    test = hausman_test(fixed, random, method="bootstrap", n_boot=8, seed=11)
    draws = np.random.default_rng(11).integers(0, 49, size=(8, 49))
    wide = {v: data.pivot(index="year", columns="region", values=v) for v in ("y_re", "x1", "x2")}
    diffs = []
    for draw in draws:
        sub = binary[np.ix_(draw, draw)]
        assert sub.sum(axis=1).min() > 0
        w_b = SpatialWeights.from_sparse(sub).standardize()
        frame = pd.DataFrame({
            "region": np.tile(np.arange(49), 5), "year": np.repeat(wide["x1"].index, 49),
            **{v: table.to_numpy()[:, draw].ravel() for v, table in wide.items()},
        })  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fe_b, re_b = _pair(SpatialLagPanel, frame, "y_re", ["x1", "x2"], w_b)
        diffs.append(fe_b.params[["x1", "x2"]].to_numpy() - re_b.params[["x1", "x2"]].to_numpy())
    expected = np.cov(np.array(diffs), rowvar=False)
    np.testing.assert_allclose(test.cov.to_numpy(), expected, rtol=1e-8, atol=1e-14)


def test_failed_draws_are_counted_and_warned(simulated, monkeypatch):
    data, w = simulated
    fixed, random = _pair(SpatialLagPanel, data, "y_re", ["x1", "x2"], w)
    model = type(random._source.model)
    real = model.resampled
    calls = {"n": 0}

    def sometimes_failing(self, positions):
        calls["n"] += 1
        if calls["n"] % 5 == 0:
            raise EstimationError("a draw that cannot be fitted")
        return real(self, positions)

    monkeypatch.setattr(model, "resampled", sometimes_failing)
    with pytest.warns(HausmanWarning, match="failed to fit"):
        test = hausman_test(fixed, random, method="bootstrap", n_boot=20, seed=0)
    assert 0 < test.n_failed < 20


def test_progress_bar_writes_to_standard_error_only(simulated, capsys):
    data, w = simulated
    fixed, random = _pair(SpatialLagPanel, data, "y_re", ["x1", "x2"], w)
    hausman_test(fixed, random, method="bootstrap", n_boot=6, seed=0, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""


@pytest.mark.slow
def test_bootstrap_size_and_power_in_a_small_monte_carlo():
    """Rejection rates at 5% over 100 simulated panels (49 regions x 5 years, lattice W,
    rho 0.4): random effects true (size) and effects correlated with x1 (power). Printed
    with -s; the size must lie within 3 Monte Carlo standard errors of 0.05."""
    binary = np.loadtxt(REFERENCE / "hausman_simulated_w.csv", delimiter=",")
    w = SpatialWeights.from_sparse(binary).standardize()
    solve = np.linalg.inv(np.eye(49) - 0.4 * w.matrix.toarray())
    rejections = {"re": [], "fe": []}
    for r in range(100):
        rng = np.random.default_rng(1000 + r)
        xbar = rng.normal(size=(49, 2))
        x = xbar[None] + 0.5 * rng.normal(size=(5, 49, 2))
        for case in ("re", "fe"):
            mu = 0.7 * rng.normal(size=49) + (xbar[:, 0] if case == "fe" else 0.0)
            y = np.stack(
                [solve @ (x[t] @ [1.0, -0.5] + mu + rng.normal(size=49)) for t in range(5)]
            )
            frame = pd.DataFrame({"region": np.tile(range(49), 5), "year": np.repeat(range(5), 49),
                                  "y": y.ravel(), "x1": x[:, :, 0].ravel(),
                                  "x2": x[:, :, 1].ravel()})  # fmt: skip
            fixed, random = _pair(SpatialLagPanel, frame, "y", ["x1", "x2"], w)
            test = hausman_test(fixed, random, method="bootstrap", n_boot=99, seed=r, n_jobs=2)
            rejections[case].append(test.pvalue < 0.05)
    size, power = np.mean(rejections["re"]), np.mean(rejections["fe"])
    print(f"\nbootstrap Hausman, 100 panels: size {size:.3f}, power {power:.3f}")
    assert abs(size - 0.05) <= 3 * np.sqrt(0.05 * 0.95 / 100)
    assert power >= 0.8
