"""Speed of a Monte Carlo study on the local cores: serial against joblib processes.

Case: 200 replications of the two-way spatial Durbin panel on a 7 x 7 rook lattice
(N = 49, row-standardized), T = 10, two regressors, rho = 0.4, Lee-Yu correction
(:func:`spatial.models.simulation.run_monte_carlo`), with ``n_jobs=1`` and ``n_jobs=2``.
The first call of each setting is reported apart (it starts the joblib worker pool);
then the median of ``REPEATS`` calls and the speed-up. The estimates are identical
across the settings (checked).

Run with ``python benchmarks/bench_simulation.py``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from _machine import describe_machine
from scipy import sparse

from spatial import SpatialWeights
from spatial.models.simulation import MonteCarloResults, run_monte_carlo

REPLICATIONS = 200
PERIODS = 10
SIDE = 7
REPEATS = 5
TRUTH = {"beta": (1.0, -0.5), "theta": (0.5, 0.3), "rho": 0.4}


def lattice(side: int) -> SpatialWeights:
    """Row-standardized rook contiguity of a ``side x side`` grid."""
    line = sparse.diags([1.0, 1.0], [-1, 1], shape=(side, side))
    rook = sparse.kron(sparse.eye(side), line) + sparse.kron(line, sparse.eye(side))
    return SpatialWeights.from_sparse(rook).standardize("row")


def study(w: SpatialWeights, n_jobs: int) -> MonteCarloResults:
    return run_monte_carlo(
        "SDM", w, replications=REPLICATIONS, periods=PERIODS, truth=TRUTH,
        fit_options={"bias_correction": "lee_yu"}, seed=0, n_jobs=n_jobs,
    )  # fmt: skip


def timed(w: SpatialWeights, n_jobs: int) -> tuple[float, float, MonteCarloResults]:
    """First-call time, median of REPEATS further calls, and the last result."""
    start = time.perf_counter()
    result = study(w, n_jobs)
    first = time.perf_counter() - start
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = study(w, n_jobs)
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), result


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "joblib", "liangye")))
    w = lattice(SIDE)
    print(f"\n{REPLICATIONS} replications, two-way SDM, {SIDE}x{SIDE} rook lattice "
          f"(N = {w.n}), T = {PERIODS}, Lee-Yu correction")  # fmt: skip
    medians = {}
    results = {}
    for n_jobs in (1, 2):
        first, median, results[n_jobs] = timed(w, n_jobs)
        medians[n_jobs] = median
        per = median / REPLICATIONS * 1e3
        print(f"  n_jobs={n_jobs}: first call {first:6.2f} s, median of {REPEATS} "
              f"{median:6.2f} s ({per:.1f} ms per replication)")  # fmt: skip
    same = np.array_equal(results[1].estimates.to_numpy(), results[2].estimates.to_numpy())
    print(f"  speed-up n_jobs=2 / n_jobs=1: {medians[1] / medians[2]:.2f}x "
          f"(identical estimates: {same})")  # fmt: skip
    print("\nTable of the last run:")
    print(results[2].table.round(4).to_string())


if __name__ == "__main__":
    main()
