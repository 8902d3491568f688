"""Tests of coupling/drivers/mediation.py: every estimate against an independent route.

References: statsmodels OLS (coefficients and covariances, explicit dummies for the panel
case), statsmodels' ``Mediation`` (ACME of linear models) on its ``framing`` data,
hand-worked Sobel numbers, a plain loop refit of the bootstrap, and a Monte Carlo with a
known indirect effect.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from coupling.drivers.mediation import (
    BootstrapFailureError,
    BootstrapFailureWarning,
    batched_least_squares,
    bootstrap_interval,
    mediation,
)
from coupling.exceptions import InsufficientDataError
from spatial._core.errors import ColumnNotFoundError, InvalidOptionError, SpecificationError
from spatial.exceptions import CollinearityError

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
FRAMING = Path(sm.__file__).parent / "stats" / "tests" / "results" / "framing.csv"


def simulated_panel(n: int = 20, t: int = 8, seed: int = 0, chained: bool = False) -> pd.DataFrame:
    """Panel with region and year effects; a1 = 0.8, b1 = 0.5, c' = 0.3 (a2 = 0.5, d21 = 0.6,
    b2 = 0.4 when chained)."""
    rng = np.random.default_rng(seed)
    reg, yr = np.repeat(np.arange(n), t), np.tile(np.arange(2001, 2001 + t), n)
    mu, lam = rng.normal(size=n)[reg], rng.normal(size=t)[yr - 2001]
    x = rng.normal(size=n * t) + mu
    c1 = rng.normal(size=n * t) + 0.3 * x
    m1 = 0.8 * x + 0.2 * c1 + mu - lam + rng.normal(size=n * t)
    m2 = 0.5 * x + (0.6 * m1 if chained else 0) + lam + rng.normal(size=n * t)
    y = 0.3 * x + 0.5 * m1 + 0.4 * m2 + 0.2 * c1 + mu + lam + rng.normal(size=n * t)
    return pd.DataFrame({
        "province": [f"p{i:02d}" for i in reg], "year": yr,
        "x": x, "m1": m1, "m2": m2, "c1": c1, "y": y,
    })  # fmt: skip


def dummies_ols(
    df: pd.DataFrame, dep: str, regs: list[str], effects: str
) -> sm.regression.linear_model.RegressionResultsWrapper:
    """statsmodels OLS with explicit region / year dummies, clustered by region."""
    parts = [df[regs]]
    if effects in ("twoways", "individual"):
        parts.append(pd.get_dummies(df["province"], drop_first=False, dtype=float))
    if effects in ("twoways", "time"):
        parts.append(pd.get_dummies(df["year"], prefix="y", drop_first=effects == "twoways",
                                    dtype=float))  # fmt: skip
    if effects == "none":
        parts.insert(0, pd.DataFrame({"const": np.ones(len(df))}, index=df.index))
    design = pd.concat(parts, axis=1)
    groups = pd.factorize(df["province"])[0]
    return sm.OLS(df[dep], design).fit(cov_type="cluster", cov_kwds={"groups": groups},
                                       use_t=True)  # fmt: skip


# ------------------------------------------------------------------ statsmodels, no panel (a)
@pytest.fixture(scope="module")
def framing() -> pd.DataFrame:
    if not FRAMING.exists():
        pytest.skip(f"statsmodels' test data {FRAMING} are not installed")
    frame = pd.read_csv(FRAMING)
    frame["male"] = (frame["gender"] == "male").astype(float)
    return frame[["cong_mesg", "emo", "treat", "age", "income", "male"]].astype(float)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC1"])
def test_cross_section_equations_equal_statsmodels_ols(framing, cov_type):
    controls = ["age", "income", "male"]
    res = mediation(
        framing,
        y="cong_mesg",
        x="treat",
        mediators="emo",
        controls=controls,
        region=None,
        year=None,
        effects="none",
        cov_type=cov_type,
        bootstrap=0,
    )
    specs = {"total": ("cong_mesg", ["treat", *controls]),
             "mediator: emo": ("emo", ["treat", *controls]),
             "outcome": ("cong_mesg", ["treat", "emo", *controls])}  # fmt: skip
    fits = {}
    for label, (dep, regs) in specs.items():
        fit = sm.OLS(framing[dep], sm.add_constant(framing[regs])).fit(cov_type=cov_type)
        fits[label] = fit
        ours = res.equations.loc[label]
        np.testing.assert_allclose(ours["coef"], fit.params[ours.index], rtol=1e-8)
        np.testing.assert_allclose(ours["std_error"], fit.bse[ours.index], rtol=1e-8)
        if cov_type == "nonrobust":
            np.testing.assert_allclose(ours["p_value"], fit.pvalues[ours.index], rtol=1e-6)
    a, b = fits["mediator: emo"].params["treat"], fits["outcome"].params["emo"]
    se_a, se_b = fits["mediator: emo"].bse["treat"], fits["outcome"].bse["emo"]
    eff = res.effects
    assert eff.loc["indirect (emo)", "estimate"] == pytest.approx(a * b, rel=1e-10)
    sobel = np.sqrt(b**2 * se_a**2 + a**2 * se_b**2)
    assert eff.loc["indirect (emo)", "std_error"] == pytest.approx(sobel, rel=1e-10)
    assert eff.loc["total", "estimate"] == pytest.approx(fits["total"].params["treat"], rel=1e-10)
    assert eff.loc["direct", "estimate"] == pytest.approx(
        fits["outcome"].params["treat"], rel=1e-10
    )


def test_indirect_effect_equals_statsmodels_mediation_acme(framing):
    from statsmodels.stats.mediation import Mediation

    controls = ["age", "income", "male"]
    outcome = sm.OLS(framing["cong_mesg"], sm.add_constant(framing[["emo", "treat", *controls]]))
    mediator = sm.OLS(framing["emo"], sm.add_constant(framing[["treat", *controls]]))
    med = Mediation(outcome, mediator, (2, 1), 1)  # treat in each exog; emo in the outcome's
    sm_res = med.fit(method="boot", n_rep=500, rng=np.random.RandomState(4231))
    table = sm_res.summary()
    res = mediation(framing, y="cong_mesg", x="treat", mediators="emo", controls=controls,
                    region=None, year=None, effects="none", cov_type="nonrobust",
                    bootstrap=2000, seed=7)  # fmt: skip
    eff = res.effects
    # statsmodels' estimate is the mean of 500 bootstrap refits; its sampling error is about
    # se / sqrt(500), so 4 of those bound the difference from the plug-in a*b
    se = eff.loc["indirect (emo)", "std_error"]
    assert table.loc["ACME (average)", "Estimate"] == pytest.approx(
        eff.loc["indirect (emo)", "estimate"], abs=4 * se / np.sqrt(500)
    )
    assert table.loc["ADE (average)", "Estimate"] == pytest.approx(
        eff.loc["direct", "estimate"], abs=4 * eff.loc["direct", "std_error"] / np.sqrt(500)
    )
    # both are percentile bootstrap intervals of the same quantity: limits agree within a
    # fraction of the standard error (Monte Carlo error of 2.5% quantiles of 500 draws)
    for ours, theirs in (("lower", "Lower CI bound"), ("upper", "Upper CI bound")):
        assert eff.loc["indirect (emo)", ours] == pytest.approx(
            table.loc["ACME (average)", theirs], abs=0.35 * se
        )


# ------------------------------------------------------------------ hand-worked Sobel (c)
def test_sobel_against_hand_computation():
    """x = 0..4, m = 2x + r, y = x + 0.5 m + e with r, e orthogonal to the regressors:
    a = 2, b = 0.5, c' = 1 exactly; s_a^2 = 10/3 / Sxx(10) = 1/3; outcome s^2 = 6/2 = 3,
    Var(b) = 3 Sxx / (Sxx Smm - Sxm^2) = 3*10/(10*50 - 20^2) = 0.3, Var(c') = 3*50/100 = 1.5;
    total equation residuals 0.5 r + e, SSE 8.5 on 3 df: Var(c) = 8.5/3/10."""
    df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0]})
    df["m"] = 2 * df["x"] + [1.0, -2.0, 0.0, 2.0, -1.0]
    df["y"] = df["x"] + 0.5 * df["m"] + [1.0, 0.0, -2.0, 0.0, 1.0]
    res = mediation(
        df,
        y="y",
        x="x",
        mediators="m",
        region=None,
        year=None,
        effects="none",
        cov_type="nonrobust",
        bootstrap=0,
    )
    eff = res.effects
    sobel = np.sqrt(0.5**2 * (1 / 3) + 2**2 * 0.3)  # 1.1328430...
    assert eff.loc["indirect (m)", "std_error"] == pytest.approx(sobel, rel=1e-12)
    assert eff.loc["indirect (m)", "z"] == pytest.approx(1 / sobel, rel=1e-12)
    assert eff.loc["indirect (m)", "p_value"] == pytest.approx(
        2 * stats.norm.sf(1 / sobel), rel=1e-10
    )
    assert eff.loc["direct", "std_error"] == pytest.approx(np.sqrt(1.5), rel=1e-12)
    assert eff.loc["total", "std_error"] == pytest.approx(np.sqrt(8.5 / 30), rel=1e-12)
    assert res.proportion_mediated == pytest.approx(0.5, rel=1e-12)


# ------------------------------------------------------------------ panel: explicit dummies (b)
@pytest.mark.parametrize("effects", ["twoways", "region", "year"])
def test_panel_equations_equal_statsmodels_with_dummies(effects):
    df = simulated_panel()
    res = mediation(
        df,
        y="y",
        x="x",
        mediators=["m1", "m2"],
        controls="c1",
        region="province",
        effects=effects,
        bootstrap=0,
    )
    names = {"twoways": "twoways", "region": "individual", "year": "time"}
    specs = {
        "total": ("y", ["x", "c1"]),
        "mediator: m1": ("m1", ["x", "c1"]),
        "mediator: m2": ("m2", ["x", "c1"]),
        "outcome": ("y", ["x", "m1", "m2", "c1"]),
    }
    for label, (dep, regs) in specs.items():
        fit = dummies_ols(df, dep, regs, names[effects])
        ours = res.equations.loc[label]
        np.testing.assert_allclose(ours["coef"], fit.params[regs], rtol=1e-8)
        np.testing.assert_allclose(ours["std_error"], fit.bse[regs], rtol=1e-8)
        np.testing.assert_allclose(ours["p_value"], fit.pvalues[regs], rtol=1e-6)
    assert res.options["effects"] == names[effects]


def test_chained_effects_against_statsmodels_products():
    df = simulated_panel(chained=True)
    res = mediation(
        df,
        y="y",
        x="x",
        mediators=["m1", "m2"],
        controls="c1",
        region="province",
        chained=True,
        bootstrap=0,
    )
    f_m1 = dummies_ols(df, "m1", ["x", "c1"], "twoways").params
    f_m2 = dummies_ols(df, "m2", ["x", "m1", "c1"], "twoways").params
    f_y = dummies_ols(df, "y", ["x", "m1", "m2", "c1"], "twoways").params
    f_c = dummies_ols(df, "y", ["x", "c1"], "twoways").params
    eff = res.effects["estimate"]
    expected = {
        "indirect (m1)": f_m1["x"] * f_y["m1"],
        "indirect (m2)": f_m2["x"] * f_y["m2"],
        "indirect (m1 -> m2)": f_m1["x"] * f_m2["m1"] * f_y["m2"],  # a1 d21 b2 (PROCESS model 6)
        "direct": f_y["x"],
        "total": f_c["x"],
    }
    for name, value in expected.items():
        assert eff[name] == pytest.approx(value, rel=1e-8)
    assert eff["total"] == pytest.approx(eff["direct"] + eff["total indirect"], rel=1e-10)
    assert eff["total indirect"] == pytest.approx(
        sum(eff[k] for k in expected if k.startswith("indirect")), rel=1e-12
    )


# ------------------------------------------------------------------ bootstrap = loop refit (e)
def relabelled(df: pd.DataFrame, regions: np.ndarray) -> pd.DataFrame:
    labels = sorted(df["province"].unique())
    parts = []
    for k, r in enumerate(regions):
        part = df[df["province"] == labels[r]].copy()
        part["province"] = f"draw{k:03d}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("chained", [False, True])
def test_batched_bootstrap_equals_loop_refit(chained):
    df = simulated_panel(n=12, t=5, seed=3, chained=chained)
    draws, seed = 25, 11
    res = mediation(df, y="y", x="x", mediators=["m1", "m2"], controls="c1", region="province",
                    chained=chained, bootstrap=draws, seed=seed)  # fmt: skip
    index = np.random.default_rng(seed).integers(0, 12, size=(draws, 12))
    loop = np.array([
        mediation(relabelled(df, idx), y="y", x="x", mediators=["m1", "m2"], controls="c1",
                  region="province", chained=chained, bootstrap=0).effects["estimate"].to_numpy()
        for idx in index
    ])  # fmt: skip
    np.testing.assert_allclose(res.bootstrap_draws, loop, rtol=0, atol=1e-10)
    lower, upper = np.quantile(loop, [0.025, 0.975], axis=0)
    np.testing.assert_allclose(res.effects["lower"], lower, atol=1e-10)
    np.testing.assert_allclose(res.effects["upper"], upper, atol=1e-10)


def test_row_bootstrap_equals_loop_refit(framing):
    data = framing.iloc[:60].reset_index(drop=True)
    res = mediation(
        data,
        y="cong_mesg",
        x="treat",
        mediators="emo",
        controls="age",
        region=None,
        year=None,
        effects="none",
        cov_type="nonrobust",
        bootstrap=20,
        seed=5,
    )
    assert res.options["resampling"] == "rows"
    index = np.random.default_rng(5).integers(0, 60, size=(20, 60))
    loop = np.array([
        mediation(data.iloc[idx].reset_index(drop=True), y="cong_mesg", x="treat",
                  mediators="emo", controls="age", region=None, year=None, effects="none",
                  cov_type="nonrobust", bootstrap=0).effects["estimate"].to_numpy()
        for idx in index
    ])  # fmt: skip
    np.testing.assert_allclose(res.bootstrap_draws, loop, rtol=0, atol=1e-10)


def test_bias_corrected_interval_by_hand():
    """Efron's BC limits: Phi(2 z0 -+ 1.96) quantiles, z0 = Phi^-1(share below the estimate)."""
    rng = np.random.default_rng(0)
    draws = rng.normal(1.0, 1.0, size=(4000, 1)) ** 2
    estimate = np.array([1.0])
    z0 = stats.norm.ppf((draws[:, 0] < 1.0).mean())
    probs = stats.norm.cdf([2 * z0 - stats.norm.ppf(0.975), 2 * z0 + stats.norm.ppf(0.975)])
    lower, upper = bootstrap_interval(draws, estimate, 0.95, "bc")
    assert lower[0] == pytest.approx(np.quantile(draws, probs[0]), rel=1e-12)
    assert upper[0] == pytest.approx(np.quantile(draws, probs[1]), rel=1e-12)
    lower, _ = bootstrap_interval(draws, np.array([-1.0]), 0.95, "bc")  # every draw above
    assert np.isnan(lower[0])


def test_batched_least_squares_equals_lstsq():
    rng = np.random.default_rng(1)
    z, yv = rng.normal(size=(7, 30, 3)), rng.normal(size=(7, 30))
    z[3, :, 2] = 2 * z[3, :, 0]  # collinear draw
    coef, ok = batched_least_squares(z, yv)
    assert ok.tolist() == [True, True, True, False, True, True, True]
    for b in np.flatnonzero(ok):
        np.testing.assert_allclose(coef[b], np.linalg.lstsq(z[b], yv[b], rcond=None)[0],
                                   rtol=1e-12, atol=1e-14)  # fmt: skip
    assert np.isnan(coef[3]).all()


# ------------------------------------------------------------------ Monte Carlo recovery (f)
def test_known_indirect_effect_recovered():
    """a1 b1 = 0.8 * 0.5 = 0.4 and a2 b2 = 0.5 * 0.4 = 0.2 (c' = 0.3) over 40 panels."""
    estimates, covered = [], 0
    for rep in range(40):
        df = simulated_panel(n=25, t=6, seed=100 + rep)
        res = mediation(
            df, y="y", x="x", mediators=["m1", "m2"], controls="c1", region="province", bootstrap=0
        )
        eff = res.effects
        estimates.append(eff.loc[["indirect (m1)", "indirect (m2)", "direct"], "estimate"])
        half = 1.959964 * eff.loc["indirect (m1)", "std_error"]
        covered += abs(eff.loc["indirect (m1)", "estimate"] - 0.4) < half
    est = np.array(estimates)
    mc_se = est.std(axis=0, ddof=1) / np.sqrt(len(est))
    assert np.all(np.abs(est.mean(axis=0) - [0.4, 0.2, 0.3]) < 4 * mc_se)
    assert covered >= 33  # nominal 38 of 40; P(X <= 32 | p = 0.95) < 0.1%
    res = mediation(simulated_panel(n=25, t=6, seed=7), y="y", x="x", mediators=["m1", "m2"],
                    controls="c1", region="province", bootstrap=500, seed=0, ci="bc")  # fmt: skip
    assert (
        res.effects.loc["indirect (m1)", "lower"] < 0.4 < res.effects.loc["indirect (m1)", "upper"]
    )


# ------------------------------------------------------------------ bad input (5)
def test_mediator_collinear_with_x():
    df = simulated_panel()
    df["m_bad"] = 2 * df["x"] + 1
    with pytest.raises(CollinearityError, match=r"outcome equation .*collinear.*Drop"):
        mediation(df, y="y", x="x", mediators="m_bad", region="province", bootstrap=0)


def test_mediator_absorbed_by_effects():
    df = simulated_panel()
    df["m_const"] = df["year"] * 0.5
    with pytest.raises(CollinearityError, match=r"'m_const'.*mediator: m_const equation, does not"):
        mediation(df, y="y", x="x", mediators="m_const", region="province", bootstrap=0)


@pytest.mark.parametrize("mediators, match", [
    ("y", r"'y' is given as y and as mediators"),
    (["m1", "x"], r"'x' is given as x and as mediators"),
    (["m1", "m1"], r"'m1' is given twice"),
    ([], r"at least one mediator"),
])  # fmt: skip
def test_mediator_equal_to_y_or_x(mediators, match):
    with pytest.raises(SpecificationError, match=match):
        mediation(simulated_panel(), y="y", x="x", mediators=mediators, region="province")


def test_missing_columns_and_keys():
    df = simulated_panel()
    with pytest.raises(ColumnNotFoundError, match=r"\['m3'\] are not in the data"):
        mediation(df, y="y", x="x", mediators="m3", region="province", bootstrap=0)
    with pytest.raises(ColumnNotFoundError, match=r"region key 'region' is neither"):
        mediation(df, y="y", x="x", mediators="m1", bootstrap=0)
    with pytest.raises(SpecificationError, match=r"needs panel keys"):
        mediation(df, y="y", x="x", mediators="m1", region=None, year=None, bootstrap=0)


def test_too_few_regions_for_cluster_bootstrap():
    df = simulated_panel(n=6)
    with pytest.raises(InsufficientDataError, match=r"only 6 \(at least 10.*bootstrap=0"):
        mediation(df, y="y", x="x", mediators="m1", region="province")


def test_singular_resamples_raise_or_warn_with_count():
    df = simulated_panel(n=12, t=5)
    # a control that varies within one region only: resamples without it are singular
    df["local"] = np.where(df["province"] == "p03", np.arange(len(df)) % 5, 0.0)
    with pytest.raises(BootstrapFailureError, match=r"had a singular design .*max_failed=0.01"):
        mediation(df, y="y", x="x", mediators="m1", controls="local", region="province",
                  bootstrap=200, seed=0)  # fmt: skip
    with pytest.warns(BootstrapFailureWarning, match=r"^(\d+) of 200 bootstrap resamples") as rec:
        res = mediation(df, y="y", x="x", mediators="m1", controls="local", region="province",
                        bootstrap=200, seed=0, max_failed=0.9)  # fmt: skip
    failed = int(str(rec[0].message).split()[0])
    missing = (np.random.default_rng(0).integers(0, 12, size=(200, 12)) != 3).all(axis=1)
    assert failed == res.options["n_failed"] == int(missing.sum()) > 0
    assert res.bootstrap_draws.shape[0] == 200 - failed


@pytest.mark.parametrize("option, match", [
    ({"effects": "two-way"}, r"effects='two-way' is not supported"),
    ({"ci": "bca"}, r"ci='bca' is not supported; choose one of 'percentile', 'bc'"),
    ({"cov_type": "HC3"}, r"cov_type='HC3'"),
    ({"bootstrap": 1}, r"bootstrap must be 0 \(none\) or at least 2"),
    ({"level": 95}, r"level must lie in \(0, 1\)"),
    ({"seed": 1.5}, r"seed must be an int"),
])  # fmt: skip
def test_invalid_options(option, match):
    with pytest.raises(InvalidOptionError, match=match):
        mediation(simulated_panel(), y="y", x="x", mediators="m1", region="province", **option)


def test_input_not_modified_and_result_frozen():
    df = simulated_panel(n=12)
    before = df.copy(deep=True)
    res = mediation(df, y="y", x="x", mediators=["m1", "m2"], controls="c1", region="province",
                    bootstrap=20, seed=0)  # fmt: skip
    pd.testing.assert_frame_equal(df, before)
    table = res.effects
    table.loc["direct", "estimate"] = 99.0  # a copy
    assert res.effects.loc["direct", "estimate"] != 99.0
    with pytest.raises(AttributeError):
        res.proportion_mediated = 0.0  # type: ignore[misc]
    text = str(res.summary())
    assert "Effects" in text and "20 resamples of regions (seed 0)" in text
    assert res.options["bootstrap"] == 20 and res.options["ci"] == "percentile"
