"""Time and memory of GTWR (:class:`spatial.heterogeneity.gtwr.GTWR`) as n grows.

Case: U units on a 100 x 100 km square (planar coordinates, seeded), Y = 20 years,
y = 1 + b1(u, t) x1 + b2(v) x2 + noise; adaptive bisquare kernel.

For each size the benchmark reports, with ``n_jobs=2`` threads:

* one fit at a given (bandwidth, tau), standard errors included: the median of
  ``REPEATS`` runs (one run at the largest size) and the peak memory traced by
  ``tracemalloc`` (numpy's buffers are traced) during it;
* a full joint search (5 values of tau, golden section over the log of the bandwidth at
  each): its time and number of criterion evaluations, at every size including the full
  one (2,800 x 20 = 56,000 observations; about 4 minutes on 2 cores).

The adaptive bisquare kernel uses only the nearest neighbours inside the bandwidth
(k-d tree), so one evaluation costs O(n q), not O(n^2). The process's maximum resident
set (``ru_maxrss``) is printed at the end.

Run with ``python benchmarks/bench_gtwr.py``.
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from _machine import describe_machine

from spatial.exceptions import BandwidthSearchWarning
from spatial.heterogeneity.gtwr import GTWR

YEARS = 20
SIZES = (250, 700, 2800)
REPEATS = 3
BANDWIDTH = 400  # neighbours in space-time
TAU = 25.0  # km^2 per year^2


def make_panel(units: int, seed: int = 0) -> tuple[pd.DataFrame, dict[int, tuple[float, float]]]:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, size=(units, 2))
    region = np.repeat(np.arange(units), YEARS)
    year = np.tile(np.arange(2000, 2000 + YEARS), units)
    x1, x2 = rng.normal(size=(2, units * YEARS))
    b1 = 1 + 0.02 * xy[region, 0] + 0.05 * (year - 2000)
    b2 = -0.5 + 0.01 * xy[region, 1]
    y = 1 + b1 * x1 + b2 * x2 + 0.2 * rng.normal(size=units * YEARS)
    frame = pd.DataFrame({"region": region, "year": year, "x1": x1, "x2": x2, "y": y})
    return frame, {i: (float(a), float(b)) for i, (a, b) in enumerate(xy)}


def timed_fit(model: GTWR, **options: object) -> tuple[float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    model.fit(**options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak / 2**20


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "joblib", "mgwr")))
    print(f"GTWR, adaptive bisquare, {YEARS} years, k = 3, n_jobs = 2\n")
    for units in SIZES:
        frame, coords = make_panel(units)
        n = len(frame)
        model = GTWR(frame, "y", ["x1", "x2"], coords=coords)
        repeats = 1 if units == SIZES[-1] else REPEATS
        runs = [timed_fit(model, bandwidth=BANDWIDTH, tau=TAU, n_jobs=2) for _ in range(repeats)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(
            f"n = {n:>6} ({units} x {YEARS}): one fit {seconds:7.2f} s (median of {repeats}), "
            f"peak traced memory {peak:7.1f} MiB"
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BandwidthSearchWarning)
            start = time.perf_counter()
            res = model.fit(n_jobs=2)
            elapsed = time.perf_counter() - start
        print(
            f"           full search: {elapsed:7.1f} s, {len(res.search)} evaluations "
            f"(5 taus), chose bandwidth {res.bandwidth:g}, tau {res.tau:g}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Maximum resident set of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
