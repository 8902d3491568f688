"""Tests of spatial/models/ols.py: the fixed-effects OLS equals OLS on explicit dummies.

Reference: statsmodels' ``OLS`` on the raw data with region and year dummies (first
level dropped, a constant kept), with ``cov_type`` nonrobust, HC1 and cluster (groups =
regions). By the Frisch-Waugh-Lovell theorem the slopes, residuals and every covariance
block of the slopes agree; tolerance rtol=1e-9 (different summation order only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from spatial.exceptions import CollinearityError, InvalidOptionError
from spatial.models.ols import panel_ols

T, N, K = 6, 9, 2


def simulated(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, N, K))
    region, year = rng.normal(size=N), rng.normal(size=(T, 1))
    y = x @ np.array([1.0, -0.5]) + region + year + rng.standard_t(5, size=(T, N))
    return y, x


def dummies_fit(y: np.ndarray, x: np.ndarray, effects: str, cov_type: str):
    frame = pd.DataFrame(x.reshape(T * N, K), columns=["x0", "x1"])
    frame["region"] = np.tile(np.arange(N), T)
    frame["year"] = np.repeat(np.arange(T), N)
    blocks = [sm.add_constant(frame[["x0", "x1"]])]
    if effects in ("individual", "twoways"):
        blocks.append(pd.get_dummies(frame["region"], prefix="r", drop_first=True, dtype=float))
    if effects in ("time", "twoways"):
        blocks.append(pd.get_dummies(frame["year"], prefix="t", drop_first=True, dtype=float))
    model = sm.OLS(y.ravel(), pd.concat(blocks, axis=1))
    if cov_type == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": frame["region"]})
    return model.fit(cov_type=cov_type)


@pytest.mark.parametrize("effects", ["individual", "time", "twoways", "none"])
@pytest.mark.parametrize("cov_type", ["nonrobust", "HC1", "cluster"])
def test_panel_ols_equals_ols_on_dummies(effects, cov_type):
    y, x = simulated()
    ours = panel_ols(y, x, effects, names=("x0", "x1"), cov_type=cov_type)
    ref = dummies_fit(y, x, effects, cov_type)
    names = ["const", "x0", "x1"] if effects == "none" else ["x0", "x1"]
    assert list(ours.names) == names
    np.testing.assert_allclose(ours.coef, ref.params[names].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(ours.cov, ref.cov_params().loc[names, names], rtol=1e-9)
    np.testing.assert_allclose(ours.resid.ravel(), ref.resid, atol=1e-12)
    assert ours.dof == int(ref.df_resid)
    if effects == "none":
        assert ours.r2 == pytest.approx(ref.rsquared, rel=1e-12)


def test_within_r2_and_collinearity():
    y, x = simulated(1)
    fit = panel_ols(y, x, "twoways", names=("x0", "x1"))
    assert 0 < fit.r2 < 1
    constant_in_time = np.broadcast_to(x[:1, :, :1], (T, N, 1))
    with pytest.raises(CollinearityError):
        panel_ols(y, np.concatenate([x, constant_in_time], axis=2), "individual",
                  names=("x0", "x1", "fixed"))  # fmt: skip
    with pytest.raises(InvalidOptionError, match="cov_type='robust'"):
        panel_ols(y, x, "none", names=("x0", "x1"), cov_type="robust")  # type: ignore[arg-type]
