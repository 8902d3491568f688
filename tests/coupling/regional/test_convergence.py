"""Tests of coupling/convergence.py: sigma and beta convergence."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from coupling import beta_convergence, sigma_convergence
from coupling.exceptions import (
    DegenerateIndexError,
    InsufficientDataError,
    InvalidOptionError,
    NegativeValueError,
    SpecificationError,
)
from coupling.regional.convergence import convergence_speed
from spatial import SpatialDurbinPanel, SpatialWeights

EXACT_RTOL = 1e-10  # two least-squares routes to one estimate: rounding only
TRUE_BETA = -0.2


def converging_panel(n: int = 40, t: int = 8, seed: int = 0) -> pd.DataFrame:
    """ln D[t+1] = (1 + beta) ln D[t] + a_i + e with beta = -0.2 and a control x."""
    rng = np.random.default_rng(seed)
    level = np.log(rng.uniform(0.2, 0.9, n))
    effect = rng.normal(0.0, 0.02, n)
    rows = [level]
    for _ in range(t - 1):
        level = (1 + TRUE_BETA) * level + effect + rng.normal(0.0, 0.01, n)
        rows.append(level)
    logs = np.array(rows)  # (T, N)
    return pd.DataFrame(
        {
            "region": np.tile([f"r{i:02d}" for i in range(n)], t),
            "year": np.repeat(np.arange(2001, 2001 + t), n),
            "D": np.exp(logs).ravel(),
            "x": rng.normal(size=n * t),
        }
    )


# ------------------------------------------------------------------- sigma
def test_sigma_by_hand_and_trend_against_linregress():
    # year 1: 0.2, 0.6 -> mean 0.4, sd 0.2 (ddof 0), cv 0.5; year 2: 0.3, 0.5 -> cv 0.1/0.4;
    # year 3: 0.35, 0.45 -> cv 0.05/0.4
    df = pd.DataFrame({"region": list("ababab"), "year": [1, 1, 2, 2, 3, 3],
                       "D": [0.2, 0.6, 0.3, 0.5, 0.35, 0.45]})  # fmt: skip
    res = sigma_convergence(df, region="region", year="year")
    np.testing.assert_allclose(res.dispersion["cv"], [0.5, 0.25, 0.125], rtol=1e-12)
    line = stats.linregress([1, 2, 3], [0.5, 0.25, 0.125])
    assert res.trend.loc["all", "slope"] == pytest.approx(line.slope, rel=EXACT_RTOL)
    assert res.trend.loc["all", "p_value"] == pytest.approx(line.pvalue, rel=1e-8)
    sample = sigma_convergence(df, region="region", year="year", ddof=1)
    np.testing.assert_allclose(sample.dispersion["cv"], np.array([0.5, 0.25, 0.125]) * 2**0.5)


def test_sigma_by_group_and_plot(tmp_path):
    df = converging_panel(n=12, t=5)
    zones = {f"r{i:02d}": ("east" if i < 6 else "west") for i in range(12)}
    res = sigma_convergence(df, region="region", year="year", groups=zones)
    assert list(res.trend.index) == ["all", "east", "west"]
    east = df[df.region.map(zones) == "east"].groupby("year")["D"]
    expected = (east.std(ddof=0) / east.mean()).to_numpy()
    got = res.dispersion.query("scope == 'east'")["cv"].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert (res.trend["slope"] < 0).all()  # the simulated panel converges
    fig = res.plot(tmp_path / "sigma.png")
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 3
    assert "Sigma convergence of D" in str(res.summary())


def test_sigma_bad_input():
    df = converging_panel(n=4, t=3)
    keys = {"region": "region", "year": "year"}
    with pytest.raises(InsufficientDataError, match="at least three years"):
        sigma_convergence(df[df.year < 2003], **keys)
    with pytest.raises(NegativeValueError, match="non-negative"):
        sigma_convergence(df.assign(D=df.D - 10), **keys)
    zero = df.assign(D=np.where(df.year == 2002, 0.0, df.D))
    with pytest.raises(DegenerateIndexError, match="0 for scope 'all' in year"):
        sigma_convergence(zero, **keys)
    with pytest.raises(InvalidOptionError, match="ddof"):
        sigma_convergence(df, ddof=-1, **keys)


# -------------------------------------------------------------------- beta
def test_convergence_speed_by_hand():
    speed, half = convergence_speed(-0.1)
    assert speed == pytest.approx(-math.log(0.9), rel=1e-15)
    assert half == pytest.approx(math.log(2) / -math.log(0.9), rel=1e-15)
    assert speed == pytest.approx(0.1053605156578263, rel=1e-15)
    speed, half = convergence_speed(0.05)
    assert speed < 0 and math.isnan(half)
    assert all(math.isnan(v) for v in convergence_speed(-1.2))
    assert convergence_speed(-0.1, tau=5)[0] == pytest.approx(-math.log(0.9) / 5, rel=1e-15)
    with pytest.raises(InvalidOptionError, match="tau must be"):
        convergence_speed(-0.1, tau=0)


def test_absolute_beta_recovers_the_simulated_speed():
    df = converging_panel()
    res = beta_convergence(df, region="region", year="year")
    logs = np.log(df.pivot(index="year", columns="region", values="D").to_numpy())
    slope = np.polyfit(logs[:-1].ravel(), (logs[1:] - logs[:-1]).ravel(), 1)[0]
    assert res.beta == pytest.approx(slope, rel=EXACT_RTOL)
    assert res.beta == pytest.approx(TRUE_BETA, abs=0.03)
    row = res.convergence.iloc[0]
    assert row["speed"] == pytest.approx(-math.log1p(res.beta), rel=1e-12)
    assert row["p_value"] < 1e-6 and res.model == "pooled OLS"
    assert list(res.estimates.index) == ["const", "ln_D"]
    assert res.nobs == 40 * 7
    assert "Beta convergence of D" in str(res.summary())


def two_way_within(values: np.ndarray) -> np.ndarray:
    """Balanced two-way demeaning of a (T, N) array."""
    return values - values.mean(0) - values.mean(1, keepdims=True) + values.mean()


def test_conditional_beta_equals_the_within_estimator():
    df = converging_panel(n=15, t=6, seed=1)
    res = beta_convergence(df, region="region", year="year", kind="conditional", controls=["x"])
    wide = {c: df.pivot(index="year", columns="region", values=c).to_numpy() for c in ("D", "x")}
    logs = np.log(wide["D"])
    growth = two_way_within(logs[1:] - logs[:-1]).ravel()
    design = np.column_stack([two_way_within(logs[:-1]).ravel(),
                              two_way_within(wide["x"][:-1]).ravel()])  # fmt: skip
    coef = np.linalg.lstsq(design, growth, rcond=None)[0]
    assert res.beta == pytest.approx(coef[0], rel=EXACT_RTOL)
    assert res.estimates.loc["x", "coef"] == pytest.approx(coef[1], rel=1e-8)
    assert res.model == "fixed effects OLS" and res.options["effects"] == "twoways"
    clustered = beta_convergence(
        df, region="region", year="year", kind="conditional", cov_type="cluster"
    )
    plain = beta_convergence(df, region="region", year="year", kind="conditional")
    assert clustered.beta == pytest.approx(plain.beta, rel=1e-12)
    assert clustered.convergence["std_error"].iloc[0] != plain.convergence["std_error"].iloc[0]


def test_spatial_beta_is_the_sdm_on_the_growth_table():
    n, t = 16, 6
    df = converging_panel(n=n, t=t, seed=2)
    ids = [f"r{i:02d}" for i in range(n)]
    ring = np.zeros((n, n))
    for i in range(n):
        ring[i, (i + 1) % n] = ring[(i + 1) % n, i] = 1.0
    w = SpatialWeights.from_sparse(ring, ids).standardize("row")
    res = beta_convergence(df, region="region", year="year", kind="conditional", w=w)
    # the growth table built independently: period = initial year
    wide = np.log(df.pivot(index="year", columns="region", values="D"))
    growth = (wide.shift(-1) - wide).iloc[:-1]
    table = pd.DataFrame({
        "region": np.tile(wide.columns, t - 1), "year": np.repeat(wide.index[:-1], n),
        "g": growth.to_numpy().ravel(), "lnD": wide.iloc[:-1].to_numpy().ravel(),
    })  # fmt: skip
    direct = SpatialDurbinPanel(table, "g", ["lnD"], w, region="region", year="year").fit()
    assert res.beta == pytest.approx(float(direct.params["lnD"]), rel=1e-9)
    assert res.estimates.loc["rho", "coef"] == pytest.approx(direct.rho, rel=1e-9)
    assert res.impacts is not None
    effects = direct.impacts().estimates.loc["lnD"]
    np.testing.assert_allclose(res.impacts["estimate"], effects, rtol=1e-9)
    assert res.beta < 0 and res.model == "SDM"


def test_beta_bad_input():
    df = converging_panel(n=6, t=3)
    keys = {"region": "region", "year": "year"}
    with pytest.raises(DegenerateIndexError, match=r"'D' is zero: \(r00, 2001\)"):
        beta_convergence(df.assign(D=np.where(df.index == 0, 0.0, df.D)), **keys)
    with pytest.raises(NegativeValueError, match="is negative"):
        beta_convergence(df.assign(D=-df.D), **keys)
    with pytest.raises(SpecificationError, match="no controls"):
        beta_convergence(df, controls=["x"], **keys)
    with pytest.raises(SpecificationError, match="pooled"):
        beta_convergence(df, effects="twoways", **keys)
    with pytest.raises(InsufficientDataError, match="at least two growth periods"):
        beta_convergence(df[df.year < 2003], kind="conditional", **keys)
    with pytest.raises(InsufficientDataError, match="at least two years"):
        beta_convergence(df[df.year == 2001], **keys)
    constant = df.assign(x=df.region.str[1:].astype(float))  # absorbed by region effects
    with pytest.raises(SpecificationError, match="collinear"):
        beta_convergence(constant, kind="conditional", controls=["x"], **keys)
    with pytest.raises(InvalidOptionError, match="kind='sigma'"):
        beta_convergence(df, kind="sigma", **keys)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="tau must be"):
        beta_convergence(df, tau=-1.0, **keys)
    with pytest.raises(SpecificationError, match="clash"):
        beta_convergence(df.assign(growth=1.0), kind="conditional", controls=["growth"], **keys)
