"""Tests of coupling/bootstrap.py and of the bootstrap option of the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coupling import CouplingCoordination, bootstrap_weights
from coupling.exceptions import InvalidOptionError

from .conftest import random_panel, split_system


@pytest.mark.parametrize("pooling", ["panel", "by_period"])
@pytest.mark.parametrize("weighting", ["entropy", "critic"])
def test_batched_draws_equal_refitting_each_resample(pooling, weighting):
    """One batched call gives the weights the full pipeline gives on each resample."""
    panel = random_panel(9, 4, 6, seed=21)
    system = split_system(6)
    model = CouplingCoordination(system, weighting=weighting, pooling=pooling)
    draws = bootstrap_weights(
        model_values := panel.sort_values(["year", "region"])[list(system.indicators)]
        .to_numpy()
        .reshape(4, 9, 6),
        system.directions,
        system.groups,
        method=weighting,
        pooled=pooling == "panel",
        n_resamples=5,
        seed=7,
    )
    assert draws.n_discarded == 0
    regions = np.array(sorted(panel.region.unique()))
    picks = np.random.default_rng(7).integers(0, 9, size=(5, 9))
    for b in range(5):
        parts = [
            panel[panel.region == regions[i]].assign(region=f"copy{k}")
            for k, i in enumerate(picks[b])
        ]
        refit = model.fit(pd.concat(parts), "region", "year")
        np.testing.assert_allclose(
            draws.weights[b].ravel(), refit.indicator_weights["w"].to_numpy(), rtol=1e-12
        )
    assert model_values.shape == (4, 9, 6)


def test_model_bootstrap_is_seeded_and_brackets_the_estimate():
    panel = random_panel(15, 5, 6, seed=22)
    model = CouplingCoordination(split_system(6))
    one = model.fit(panel, "region", "year", bootstrap=300, seed=3)
    two = model.fit(panel, "region", "year", bootstrap=300, seed=3)
    boot = one.bootstrap
    assert boot is not None and two.bootstrap is not None
    pd.testing.assert_frame_equal(boot.D, two.bootstrap.D)
    w = boot.indicator_weights
    assert (w["lower"] <= w["upper"]).all() and (w["std_error"] > 0).all()
    np.testing.assert_allclose(w["w"], one.indicator_weights["w"], rtol=0)
    np.testing.assert_allclose(boot.D["D"], one.scores["D"], rtol=0)
    inside = (boot.D["lower"] <= boot.D["D"] + 1e-12) & (boot.D["D"] <= boot.D["upper"] + 1e-12)
    assert inside.mean() > 0.9
    assert (boot.n_resamples, boot.level, boot.seed) == (300, 0.95, 3)
    assert {"D_lower", "D_upper"} <= set(one.to_frame().columns)
    assert "Bootstrap of the weights" in str(one.summary())


def test_degenerate_resamples_are_discarded_and_counted():
    panel = random_panel(6, 2, 4, seed=5)
    panel["x3"] = np.where(panel.region == "r000", 2.0, 1.0)  # constant unless r000 is drawn
    draws = bootstrap_weights(
        panel.sort_values(["year", "region"])[["x0", "x1", "x2", "x3"]].to_numpy().reshape(2, 6, 4),
        [1, -1, 1, 1],
        [0, 0, 1, 1],
        n_resamples=400,
        seed=0,
    )
    expected = int((np.random.default_rng(0).integers(0, 6, size=(400, 6)) != 0).all(axis=1).sum())
    assert draws.n_discarded == expected > 0
    assert draws.weights.shape == (400 - expected, 1, 4)


def test_bootstrap_errors():
    panel = random_panel(5, 2, 4)
    with pytest.raises(InvalidOptionError, match="data-driven weights"):
        CouplingCoordination(split_system(4), weighting="equal").fit(
            panel, "region", "year", bootstrap=10
        )
    with pytest.raises(InvalidOptionError, match="level must lie"):
        CouplingCoordination(split_system(4)).fit(panel, "region", "year", bootstrap=10, level=95)
    with pytest.raises(InvalidOptionError, match="n_resamples"):
        bootstrap_weights(np.ones((2, 3, 2)), [1, 1], n_resamples=0)
    with pytest.raises(InvalidOptionError, match="shape \\(T, N, J\\)"):
        bootstrap_weights(np.ones((3, 2)), [1, 1])
    with pytest.raises(InvalidOptionError, match="method="):
        bootstrap_weights(np.ones((2, 3, 2)), [1, 1], method="equal")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="resamples were usable"):
        CouplingCoordination(split_system(4)).fit(panel, "region", "year", bootstrap=1)
