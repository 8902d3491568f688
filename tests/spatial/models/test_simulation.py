"""Simulators and the Monte Carlo runner of :mod:`spatial.models.simulation`.

The simulators are checked against a dense re-computation of each DGP from the same draws;
the runner for reproducibility across n_jobs, chunking and a Dask ``LocalCluster``, for
recovery of a two-way SDM (Lee-Yu correction) and for the counting of failed fits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from spatial import SpatialDurbinPanel, SpatialWeights
from spatial.exceptions import EstimationError, InvalidOptionError, SpecificationError
from spatial.models import simulation as sim
from spatial.models.simulation import (
    MonteCarloWarning,
    monte_carlo_table,
    run_monte_carlo,
    simulate_panel,
)
from tests.spatial.conftest import lattice_w, simulate_sdm

BETA = (1.0, -0.5)
THETA = (0.5, 0.3)
SDM_TRUTH: dict[str, Any] = {"beta": BETA, "theta": THETA, "rho": 0.4}
#: Keywords of simulate_panel for each model.
DESIGNS: dict[str, dict[str, Any]] = {
    "SDM": {"beta": BETA, "theta": THETA, "rho": 0.4},
    "SAR": {"beta": BETA, "rho": -0.3},
    "SEM": {"beta": BETA, "lam": 0.5},
    "SDEM": {"beta": BETA, "theta": THETA, "lam": -0.4},
    "SLX": {"beta": BETA, "theta": THETA},
}


@pytest.fixture(scope="module")
def w4() -> SpatialWeights:
    return lattice_w(4)


@pytest.fixture(scope="module")
def w5() -> SpatialWeights:
    return lattice_w(5)


# --------------------------------------------------------------------------- simulator
def dense_dgp(
    model: str, w: SpatialWeights, periods: int, design: dict[str, Any], effects: str,
    sigma2: float, seed: int, x: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Re-draw x, mu, xi, eps from ``seed`` in the documented order and build y with a
    dense inverse, period by period."""
    rng = np.random.default_rng(seed)
    n, k = w.n, len(design["beta"])
    if x is None:
        x = rng.standard_normal((periods, n, k))
    mu = rng.standard_normal(n) if effects in ("individual", "twoways") else np.zeros(n)
    xi = rng.standard_normal(periods) if effects in ("time", "twoways") else np.zeros(periods)
    eps = np.sqrt(sigma2) * rng.standard_normal((periods, n))
    wd = w.matrix.toarray()
    eye = np.eye(n)
    beta = np.asarray(design["beta"])
    theta = np.asarray(design.get("theta", np.zeros(k)))
    lag_y = np.linalg.inv(eye - design.get("rho", 0.0) * wd)
    lag_e = np.linalg.inv(eye - design.get("lam", 0.0) * wd)
    y = np.empty((periods, n))
    for t in range(periods):
        mean = x[t] @ beta + wd @ x[t] @ theta + mu + xi[t]
        if model in ("SDM", "SAR"):
            y[t] = lag_y @ (mean + eps[t])
        elif model in ("SEM", "SDEM"):
            y[t] = mean + lag_e @ eps[t]
        else:
            y[t] = mean + eps[t]
    return x, y


@pytest.mark.parametrize("model", list(DESIGNS))
@pytest.mark.parametrize("effects", ["twoways", "individual", "time", "none"])
def test_simulator_reproduces_the_dgp(w4: SpatialWeights, model: str, effects: str) -> None:
    periods, sigma2, seed = 3, 1.7, 11
    design = DESIGNS[model]
    frame, parts = simulate_panel(  # type: ignore[call-overload]
        model, w4, periods=periods, sigma2=sigma2, effects=effects,
        rng=np.random.default_rng(seed), return_components=True, **design,
    )  # fmt: skip
    x, y = dense_dgp(model, w4, periods, design, effects, sigma2, seed)
    n = w4.n
    assert list(frame.columns) == ["region", "year", "y", "x1", "x2"]
    assert frame["region"].tolist() == list(w4.ids) * periods
    assert frame["year"].tolist() == np.repeat(np.arange(periods), n).tolist()
    np.testing.assert_array_equal(frame[["x1", "x2"]].to_numpy(), x.reshape(-1, 2))
    np.testing.assert_array_equal(parts.x, x)
    np.testing.assert_allclose(frame["y"].to_numpy(), y.ravel(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(parts.y, y, rtol=1e-12, atol=1e-14)
    # the components rebuild y by the documented formula
    wd = w4.matrix.toarray()
    np.testing.assert_allclose(parts.wx, np.einsum("ij,tjk->tik", wd, x), rtol=1e-12)
    if effects in ("time", "none"):
        assert not parts.mu.any()
    if effects in ("individual", "none"):
        assert not parts.xi.any()


def test_given_regressors_are_used_and_not_drawn(w4: SpatialWeights) -> None:
    x = np.random.default_rng(5).standard_normal((4, w4.n, 2))
    frame = simulate_panel("SDM", w4, periods=4, x=x, rng=np.random.default_rng(2), **SDM_TRUTH)
    _, y = dense_dgp("SDM", w4, 4, SDM_TRUTH, "twoways", 1.0, 2, x=x)
    np.testing.assert_array_equal(frame[["x1", "x2"]].to_numpy(), x.reshape(-1, 2))
    np.testing.assert_allclose(frame["y"].to_numpy(), y.ravel(), rtol=1e-12, atol=1e-14)


def test_sdm_matches_the_test_helper(w4: SpatialWeights) -> None:
    """The SDM simulator draws exactly as ``conftest.simulate_sdm`` does."""
    ours = simulate_panel("SDM", w4, periods=5, rng=np.random.default_rng(7), **SDM_TRUTH)
    helper = simulate_sdm(w4, 5, 0.4, BETA, THETA, seed=7)
    np.testing.assert_allclose(ours["y"], helper["y"], rtol=1e-13)
    np.testing.assert_array_equal(ours[["x1", "x2"]], helper[["x1", "x2"]])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"model": "SARAR"}, InvalidOptionError, ["model='SARAR'", "'SDM'", "'SLX'"]),
        ({"effects": "two-way"}, InvalidOptionError, ["effects='two-way'", "'twoways'"]),
        ({"periods": 0}, InvalidOptionError, ["periods", ">= 1"]),
        ({"sigma2": 0.0}, InvalidOptionError, ["sigma2", "positive"]),
        ({"rho": 1.5}, InvalidOptionError, ["rho=1.5", "admissible interval"]),
        ({"theta": (0.5,)}, SpecificationError, ["theta needs 2 values"]),
        ({"model": "SAR"}, SpecificationError, ["SAR", "theta must be empty"]),
        ({"model": "SEM", "theta": ()}, SpecificationError, ["SEM", "rho must be 0"]),
        ({"lam": 0.3}, SpecificationError, ["SDM", "lam must be 0"]),
        ({"beta": ()}, SpecificationError, ["beta", "at least one"]),
        ({"x": np.zeros((3, 16, 2))}, SpecificationError, ["x must have shape", "(4, 16, 2)"]),
        ({"rng": 3}, InvalidOptionError, ["numpy.random.Generator"]),
    ],
)
def test_simulator_rejects_bad_inputs(
    w4: SpatialWeights, kwargs: dict[str, Any], error: type[Exception], words: list[str]
) -> None:
    call: dict[str, Any] = {"model": "SDM", "periods": 4, "rng": np.random.default_rng(0),
                            **SDM_TRUTH, **kwargs}  # fmt: skip
    model = call.pop("model")
    with pytest.raises(error) as info:
        simulate_panel(model, w4, **call)
    for word in words:
        assert word in str(info.value)


# --------------------------------------------------------------------------- runner
def test_same_seed_same_results_across_backends(w5: SpatialWeights) -> None:
    """Replication r depends on SeedSequence(seed).spawn(R)[r] only: n_jobs, chunks and
    a Dask cluster give identical numbers."""
    distributed = pytest.importorskip("distributed")
    common: dict[str, Any] = {"replications": 8, "periods": 5, "truth": SDM_TRUTH, "seed": 3}
    serial = run_monte_carlo("SDM", w5, n_jobs=1, **common)
    two = run_monte_carlo("SDM", w5, n_jobs=2, chunk=3, **common)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = run_monte_carlo("SDM", w5, client=client, chunk=5, **common)
    assert (serial.options["backend"], two.options["backend"]) == ("joblib", "joblib")
    assert remote.options["backend"] == "dask"
    for other in (two, remote):
        pd.testing.assert_frame_equal(other.estimates, serial.estimates, check_exact=True)
        pd.testing.assert_frame_equal(other.std_errors, serial.std_errors, check_exact=True)
        pd.testing.assert_frame_equal(other.table, serial.table, check_exact=True)
    # replication 5 is the direct simulate-and-fit of the fifth spawned seed
    rng = np.random.default_rng(np.random.SeedSequence(3).spawn(8)[5])
    data = simulate_panel("SDM", w5, periods=5, rng=rng, **SDM_TRUTH)
    fit = SpatialDurbinPanel(data, "y", ["x1", "x2"], w5, region="region", year="year",
                             effects="twoways").fit()  # fmt: skip
    expected = [*fit.params[["x1", "x2", "W_x1", "W_x2", "rho"]], fit.sigma2]
    np.testing.assert_array_equal(serial.estimates.loc[5].to_numpy(), expected)
    other_seed = run_monte_carlo("SDM", w5, **{**common, "seed": 4})
    assert not other_seed.estimates.equals(serial.estimates)


def test_lee_yu_recovers_the_two_way_sdm() -> None:
    w = lattice_w(7)
    mc = run_monte_carlo(
        "SDM", w, replications=40, periods=10, truth=SDM_TRUTH, effects="twoways",
        fit_options={"bias_correction": "lee_yu"}, seed=2024, n_jobs=2,
    )  # fmt: skip
    coefficients = ["x1", "x2", "W_x1", "W_x2", "rho"]
    assert mc.n_failed == 0 and mc.converged.all()
    assert list(mc.table.index) == [*coefficients, "sigma2"]
    assert list(mc.table.columns) == list(sim.TABLE_COLUMNS)
    assert mc.estimates.shape == mc.std_errors.shape == (40, 6)
    assert (mc.table["bias"][coefficients].abs() < 0.05).all(), mc.table
    assert abs(mc.table.loc["sigma2", "bias"]) < 0.05
    assert mc.table["coverage"].between(0.0, 1.0).all()
    assert (mc.table["coverage"][coefficients] >= 0.8).all(), mc.table
    np.testing.assert_allclose(mc.table["true"], [*BETA, *THETA, 0.4, 1.0])
    # the table follows the documented formulas
    err = mc.estimates - mc.truth
    np.testing.assert_allclose(mc.table["rmse"], np.sqrt((err**2).mean()), rtol=1e-12)
    z = 1.959963984540054
    np.testing.assert_allclose(mc.table["coverage"], (err.abs() <= z * mc.std_errors).mean())
    text = str(mc.summary())
    assert "Bias, RMSE and coverage" in text and "coverage" in text and "40" in text


@pytest.mark.parametrize(("model", "effects"), [("SAR", "individual"), ("SEM", "twoways"),
                                                ("SDEM", "time"), ("SLX", "none")])  # fmt: skip
def test_every_model_runs(w5: SpatialWeights, model: str, effects: str) -> None:
    design = DESIGNS[model]
    mc = run_monte_carlo(model, w5, replications=3, periods=4, truth=design,
                         effects=effects, seed=1)  # type: ignore[arg-type]  # fmt: skip
    assert mc.n_failed == 0
    names = ["x1", "x2"]
    if effects == "none":
        names.insert(0, "const")
    if "theta" in design:
        names += ["W_x1", "W_x2"]
    names += ["rho"] if "rho" in design else ["lambda"] if "lam" in design else []
    assert list(mc.table.index) == [*names, "sigma2"]
    assert mc.table["mean"].notna().all()
    if effects == "none":
        assert mc.truth["const"] == 0.0


def test_failed_fits_are_counted_and_reported(w5: SpatialWeights) -> None:
    """A fit option that raises in every fit: all replications are counted as failed,
    with the error naming the allowed values, and the table is empty, not dropped."""
    with pytest.warns(MonteCarloWarning, match="4 of 4 replications failed"):
        mc = run_monte_carlo("SDM", w5, replications=4, periods=4, truth=SDM_TRUTH,
                             fit_options={"cov_type": "cluster"})  # fmt: skip
    assert mc.n_failed == 4
    assert mc.failures["replication"].tolist() == [0, 1, 2, 3]
    message = mc.failures["error"].iloc[0]
    assert "InvalidOptionError" in message and "cov_type='cluster'" in message
    assert "'analytic', 'hessian', 'qml'" in message
    assert mc.estimates.isna().all().all() and mc.table["bias"].isna().all()
    assert "4 failed" in str(mc.summary())


def test_some_failures_leave_the_others_in_the_table(
    w5: SpatialWeights, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Flaky(SpatialDurbinPanel):
        def fit(self, **options: Any) -> Any:
            if self.panel.y[0, 0] > 0:
                raise EstimationError("forced failure")
            return super().fit(**options)

    monkeypatch.setitem(sim.MODELS, "SDM", Flaky)
    with pytest.warns(MonteCarloWarning, match="EstimationError: forced failure"):
        mc = run_monte_carlo("SDM", w5, replications=10, periods=4, truth=SDM_TRUTH, chunk=4)
    failed = mc.estimates.isna().all(axis=1)
    assert 0 < mc.n_failed < 10 and failed.sum() == mc.n_failed
    assert mc.failures["replication"].tolist() == failed[failed].index.tolist()
    assert not mc.converged[failed].any()
    ok = ~failed
    expected = monte_carlo_table(mc.estimates[ok], mc.std_errors[ok], mc.truth)
    pd.testing.assert_frame_equal(mc.table, expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"model": "SARMA"}, InvalidOptionError, ["model='SARMA'", "'SDM'", "'SLX'"]),
        ({"effects": "both"}, InvalidOptionError, ["'individual'", "'twoways'"]),
        ({"fit_options": {"bias": "none"}}, InvalidOptionError,
         ["fit_options key='bias'", "'bias_correction'", "'cov_type'"]),
        ({"truth": {"beta": BETA, "delta": 1.0}}, SpecificationError,
         ["'delta'", "'beta'", "'lam'"]),
        ({"truth": {"theta": THETA}}, SpecificationError, ["needs 'beta'"]),
        ({"replications": 1}, InvalidOptionError, ["replications", ">= 2"]),
        ({"n_jobs": 0}, InvalidOptionError, ["n_jobs"]),
        ({"level": 95}, InvalidOptionError, ["level", "(0, 1)"]),
        ({"chunk": 0}, InvalidOptionError, ["chunk"]),
        ({"client": object()}, InvalidOptionError, ["dask.distributed.Client"]),
    ],
)  # fmt: skip
def test_runner_rejects_bad_options(
    w4: SpatialWeights, kwargs: dict[str, Any], error: type[Exception], words: list[str]
) -> None:
    call: dict[str, Any] = {"model": "SDM", "replications": 2, "periods": 3,
                            "truth": SDM_TRUTH, **kwargs}  # fmt: skip
    model = call.pop("model")
    with pytest.raises(error) as info:
        run_monte_carlo(model, w4, **call)
    for word in words:
        assert word in str(info.value)
