"""Tests of spatial/models/results.py: fixed effects, fitted values and residuals of a fit.

Reference: the same SDM with explicit state and year dummies on the raw data (and a
constant), whose dummy coefficients are differences of the fixed effects; tolerance
1e-6 (75 dummy columns cost some conditioning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial import SpatialDurbinPanel, SpatialErrorPanel, SpatialLagPanel


@pytest.fixture(scope="module")
def two_way(cigar, cigar_w):
    model = SpatialDurbinPanel(cigar, "logc", ["logp", "logy"], cigar_w, region="state",
                               year="year", effects="twoways")  # fmt: skip
    return model.fit(bias_correction="none")


def test_fixed_effects_equal_the_dummy_coefficients(cigar, cigar_w, two_way):
    dummies = pd.get_dummies(cigar[["state", "year"]].astype(str), drop_first=True, dtype=float)
    data = pd.concat([cigar, dummies], axis=1)
    explicit = SpatialDurbinPanel(
        data, "logc", ["logp", "logy", *dummies.columns], cigar_w, region="state",
        year="year", effects="none", durbin=["logp", "logy"],
    ).fit()  # fmt: skip
    effects = two_way.fixed_effects.set_index(["effect", "label"])["estimate"]
    regions, years = effects["region"], effects["year"]
    assert abs(regions.sum()) < 1e-9 and abs(years.sum()) < 1e-9
    state_dummies = [c for c in dummies.columns if c.startswith("state_")]
    for column in state_dummies:
        label = int(column.split("_")[1])
        assert regions[label] - regions.iloc[0] == pytest.approx(explicit.params[column],
                                                                 abs=1e-6)  # fmt: skip
    for column in [c for c in dummies.columns if c.startswith("year_")]:
        label = int(column.split("_")[1])
        assert years[label] - years.iloc[0] == pytest.approx(explicit.params[column], abs=1e-6)
    baseline = effects["intercept"].iloc[0] + regions.iloc[0] + years.iloc[0]
    assert baseline == pytest.approx(explicit.params["const"], abs=1e-6)
    # residuals are the same in both parametrisations, and y = fitted + residuals
    np.testing.assert_allclose(two_way.residuals.to_numpy(), explicit.residuals.to_numpy(),
                               atol=1e-6)  # fmt: skip
    y = cigar.set_index(["state", "year"])["logc"].loc[two_way.fitted.index]
    np.testing.assert_allclose((two_way.fitted + two_way.residuals).to_numpy(), y, rtol=1e-12)
    assert two_way.fitted.index.names == ["state", "year"]
    se = two_way.fixed_effects.groupby("effect")["std_error"].first()
    assert se["region"] == pytest.approx(np.sqrt(two_way.sigma2 / 30), rel=1e-12)
    assert se["year"] == pytest.approx(np.sqrt(two_way.sigma2 / 46), rel=1e-12)


@pytest.mark.parametrize("model", [SpatialLagPanel, SpatialErrorPanel])
def test_region_effects_are_means_of_the_structural_residual(cigar, cigar_w, model):
    res = model(cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year",
                effects="individual").fit()  # fmt: skip
    effects = res.fixed_effects
    assert set(effects["effect"]) == {"region"} and len(effects) == 46
    by_region = res.residuals.groupby(level="state").mean()
    np.testing.assert_allclose(by_region.to_numpy(), 0.0, atol=1e-12)
