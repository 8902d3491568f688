"""Tests of coupling/drivers/moderation.py against statsmodels OLS with explicit dummies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from coupling.drivers.moderation import moderation
from spatial._core.errors import SpecificationError
from spatial.exceptions import CollinearityError


def panel(n: int = 20, t: int = 8, seed: int = 0) -> pd.DataFrame:
    """y = 0.5 x + 0.3 w + 0.4 x w + 0.2 c + effects + noise."""
    rng = np.random.default_rng(seed)
    reg, yr = np.repeat(np.arange(n), t), np.tile(np.arange(t), n)
    mu, lam = rng.normal(size=n)[reg], rng.normal(size=t)[yr]
    x, w, c = rng.normal(size=n * t) + mu, rng.normal(1.0, 0.8, size=n * t), rng.normal(size=n * t)
    y = 0.5 * x + 0.3 * w + 0.4 * x * w + 0.2 * c + mu + lam + rng.normal(size=n * t)
    return pd.DataFrame({"region": reg, "year": yr, "x": x, "w": w, "c": c, "y": y})


def reference_fit(df: pd.DataFrame, cov_type: str):
    """Uncentred statsmodels OLS with region and year dummies."""
    design = pd.concat([
        df[["x", "w"]].assign(xw=df["x"] * df["w"], c=df["c"]),
        pd.get_dummies(df["region"], prefix="r", dtype=float),
        pd.get_dummies(df["year"], prefix="t", drop_first=True, dtype=float),
    ], axis=1)  # fmt: skip
    kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": df["region"].to_numpy()},
              "use_t": True} if cov_type == "cluster" else {"cov_type": "nonrobust"}  # fmt: skip
    return sm.OLS(df["y"], design).fit(**kwargs)


@pytest.mark.parametrize("cov_type", ["cluster", "nonrobust"])
@pytest.mark.parametrize("center", [True, False])
def test_simple_slopes_equal_statsmodels_t_test(cov_type, center):
    df = panel()
    res = moderation(df, y="y", x="x", moderator="w", controls="c", cov_type=cov_type,
                     center=center)  # fmt: skip
    fit = reference_fit(df, cov_type)
    # the product's coefficient does not depend on centring
    assert res.coefficients.loc["x:w", "coef"] == pytest.approx(fit.params["xw"], rel=1e-8)
    assert res.coefficients.loc["x:w", "std_error"] == pytest.approx(fit.bse["xw"], rel=1e-8)
    mean, sd = df["w"].mean(), df["w"].std(ddof=1)
    np.testing.assert_allclose(res.simple_slopes.index, [mean - sd, mean, mean + sd], rtol=1e-12)
    for v, row in res.simple_slopes.iterrows():
        r = np.zeros(len(fit.params))
        r[list(fit.params.index).index("x")] = 1.0
        r[list(fit.params.index).index("xw")] = v
        test = fit.t_test(r)
        assert row["slope"] == pytest.approx(float(test.effect[0]), rel=1e-8)
        assert row["std_error"] == pytest.approx(float(test.sd[0, 0]), rel=1e-8)
        assert row["p_value"] == pytest.approx(float(test.pvalue), rel=1e-6)
        lo, hi = test.conf_int()[0]
        assert (row["lower"], row["upper"]) == pytest.approx((lo, hi), rel=1e-8)


def test_johnson_neyman_values_have_critical_t():
    df = panel(seed=4)
    df["y"] = df["y"] - 0.5 * df["x"]  # slope 0.4 w: crosses zero inside the data
    res = moderation(df, y="y", x="x", moderator="w", controls="c", cov_type="nonrobust")
    fit = reference_fit(df, "nonrobust")
    crit = stats.t.ppf(0.975, fit.df_resid)
    assert len(res.johnson_neyman) == 2
    for v in res.johnson_neyman:
        r = np.zeros(len(fit.params))
        r[list(fit.params.index).index("x")] = 1.0
        r[list(fit.params.index).index("xw")] = v
        assert abs(float(fit.t_test(r).tvalue[0, 0])) == pytest.approx(crit, rel=1e-8)


def test_at_values_and_bad_input():
    df = panel()
    before = df.copy(deep=True)
    res = moderation(df, y="y", x="x", moderator="w", at=[0.0, 2.0])
    pd.testing.assert_frame_equal(df, before)
    assert list(res.simple_slopes.index) == [0.0, 2.0]
    assert "Simple slopes" in str(res.summary())
    with pytest.raises(SpecificationError, match=r"'x' is given as x and as moderator"):
        moderation(df, y="y", x="x", moderator="x")
    with pytest.raises(SpecificationError, match=r"at must be finite moderator values"):
        moderation(df, y="y", x="x", moderator="w", at=[])
    df["w_year"] = df["year"].astype(float)
    with pytest.raises(CollinearityError, match=r"moderation equation"):
        moderation(df, y="y", x="x", moderator="w_year", effects="year")
