"""Cost of the distribution-dynamics step of the main job, in fresh interpreters.

``liangye demo`` must finish in under 8 s on 2 cores, first run included, so
what counts is the time of a *new* process: imports plus the first call. Each
case runs in its own interpreter (``python -c ...``), after ``import coupling``
(the job has loaded it by then), on a 31-region x 6-year panel (the Chinese
provinces of the demo) with k = 4 classes and a line-contiguity W:

* ``markov_chain``: classic and spatial chains with the tests of spatial
  dependence (numpy, no giddy / quantecon / numba);
* ``kernel_density``: densities of D by year, reflected at 0 and 1;
* ``giddy reference``: the same chains through giddy's ``Markov`` and
  ``Spatial_Markov`` with steady states, as the module computed them before
  (import of giddy plus numba compiling quantecon's ``gth_solve``).

Reported: the median over ``ROUNDS`` rounds. Run with
``python benchmarks/bench_dynamics.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _machine import describe_machine

ROUNDS = 5

SETUP = """
import time
import coupling
import numpy as np, pandas as pd
from scipy import sparse
n, t = 31, 6
ids = [f"r{i:02d}" for i in range(n)]
values = np.random.default_rng(0).uniform(size=(n, t))
table = pd.DataFrame({"region": np.repeat(ids, t), "year": np.tile(np.arange(t), n),
                      "D": values.ravel()})
line = sparse.diags([np.ones(n - 1), np.ones(n - 1)], [-1, 1]).tocsr()
start = time.perf_counter()
"""

CASES = {
    "markov_chain": """
from spatial import SpatialWeights
from coupling.regional.dynamics import markov_chain
w = SpatialWeights.from_sparse(line, ids)
markov_chain(table, region="region", year="year", k=4)
markov_chain(table, region="region", year="year", k=4, w=w)
""",
    "kernel_density": """
from coupling.regional.dynamics import kernel_density
kernel_density(table, "D", "year")
""",
    "giddy reference": """
import libpysal
from giddy.ergodic import steady_state
from giddy.markov import Markov, Spatial_Markov
w = libpysal.weights.W.from_sparse(line)
w.transform = "r"
classic = Markov(Spatial_Markov(values, w, k=4, m=4, fixed=True).class_ids, summary=False)
steady_state(classic.p, fill_empty_classes=True)
chain = Spatial_Markov(values, w, k=4, m=4, fixed=True)
[steady_state(p, fill_empty_classes=True) for p in chain.P]
chain.LR, chain.Q, chain.x2
""",
}


def fresh_time(case: str) -> float:
    """Seconds from just before the case's imports to its end, in a new interpreter."""
    code = SETUP + CASES[case] + "\nprint(time.perf_counter() - start)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "giddy", "liangye")))
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(ROUNDS):  # interleaved, so drift affects all cases alike
        for name in CASES:
            times[name].append(fresh_time(name))
    print(f"\nmedian of {ROUNDS} fresh interpreters, imports + first calls (seconds):")
    for name, values in times.items():
        print(f"  {name:<16} {statistics.median(values):.3f}")


if __name__ == "__main__":
    main()
