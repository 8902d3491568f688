"""Monte Carlo recovery of a two-way fixed-effects spatial Durbin panel on a 7 x 7 lattice.

DGP (tests/spatial/conftest.py, ``simulate_sdm``): N = 49 (rook, row-standardized), T = 10,
rho = 0.4, beta = (1, -0.5), theta = (0.5, 0.3), entity and period effects, N(0, 1) errors.
The quick recovery check runs by default; the coverage study is marked ``slow``
(``pytest -m slow -s tests/spatial/models/test_monte_carlo.py`` prints its table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial import SpatialDurbinPanel, SpatialWeights
from tests.spatial.conftest import lattice_w, simulate_sdm

T = 10
RHO = 0.4
BETA = (1.0, -0.5)
THETA = (0.5, 0.3)
TRUTH = pd.Series([*BETA, *THETA, RHO], index=["x1", "x2", "W_x1", "W_x2", "rho"])


def replicate(
    w: SpatialWeights,
    seeds: range,
    corrections: tuple[str, ...],
    *,
    periods: int = T,
    effects: str = "twoways",
) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Estimates and analytic standard errors (replications x parameters, plus sigma2)."""
    estimates: dict[str, list[np.ndarray]] = {c: [] for c in corrections}
    errors: dict[str, list[np.ndarray]] = {c: [] for c in corrections}
    for seed in seeds:
        data = simulate_sdm(w, periods, RHO, BETA, THETA, seed=seed, effects=effects)
        model = SpatialDurbinPanel(data, "y", ["x1", "x2"], w, region="id", year="t",
                                   effects=effects)  # type: ignore[arg-type]  # fmt: skip
        for correction in corrections:
            result = model.fit(bias_correction=correction)  # type: ignore[arg-type]
            assert result.converged
            estimates[correction].append(np.append(result.params[TRUTH.index], result.sigma2))
            errors[correction].append(np.append(result.std_errors[TRUTH.index], result.sigma2_se))
    columns = [*TRUTH.index, "sigma2"]
    return {
        c: (pd.DataFrame(estimates[c], columns=columns), pd.DataFrame(errors[c], columns=columns))
        for c in corrections
    }


@pytest.fixture(scope="module")
def lattice() -> SpatialWeights:
    return lattice_w(7)


def test_lee_yu_recovers_the_parameters(lattice: SpatialWeights) -> None:
    estimates, errors = replicate(lattice, range(30), ("lee_yu",))["lee_yu"]
    params = list(TRUTH.index)
    bias = estimates[params].mean() - TRUTH
    assert (bias.abs() < 0.05).all(), bias
    # analytic standard errors against the Monte Carlo spread
    ratio = errors[params].mean() / estimates[params].std(ddof=1)
    assert ((ratio > 0.75) & (ratio < 1.25)).all(), ratio
    # the corrected error variance is close to 1
    assert abs(estimates["sigma2"].mean() - 1.0) < 0.05


@pytest.mark.slow
@pytest.mark.parametrize(("periods", "effects"), [(10, "twoways"), (5, "twoways"),
                                                  (5, "individual")])  # fmt: skip
def test_coverage_of_wald_intervals(lattice: SpatialWeights, periods: int, effects: str) -> None:
    """Coverage of nominal 95% Wald intervals: with the Lee-Yu correction (and its
    covariance from the transformed likelihood) within 0.90-0.98 for every coefficient."""
    replications = 500
    corrections = ("none", "lee_yu")
    runs = replicate(lattice, range(1_000, 1_000 + replications), corrections,
                     periods=periods, effects=effects)  # fmt: skip
    truth = pd.concat([TRUTH, pd.Series({"sigma2": 1.0})])
    rows = {}
    for correction, (estimates, errors) in runs.items():
        covered = (estimates - truth).abs() <= 1.959964 * errors
        rows[f"coverage ({correction})"] = covered.mean()
        rows[f"mean bias ({correction})"] = estimates.mean() - truth
        rows[f"mean SE / MC SD ({correction})"] = errors.mean() / estimates.std(ddof=1)
    table = pd.DataFrame(rows).T
    print(
        f"\nSDM with {effects} effects, 7x7 rook lattice (N=49), T={periods}, "
        f"{replications} replications, nominal 95% Wald intervals:"
    )
    print(table.round(3).to_string())
    coverage = table.loc["coverage (lee_yu)", list(TRUTH.index)]
    assert ((coverage >= 0.90) & (coverage <= 0.98)).all(), coverage
