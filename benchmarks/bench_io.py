"""Speed and memory of the value-chain decompositions, each beside a baseline in one run.

Cases (targets from the project's issue):

1. WWZ of one WIOD 2013 world table (41 x 35 = 1,435 country-sectors; the 2011 table of
   ``../shared/data/wiod2013`` when it is there, else a simulated table of that size), from a
   fresh table (the Leontief inverse included): under 1.5 s. Baselines in the same run: the
   floor of one dense inverse ``np.linalg.inv(I - A)``, and decompr 6.8.0's ``wwz()`` on the
   same table when ``Rscript`` with decompr is available (``R_LIBS`` pointing at it), timed
   inside R (``system.time`` around ``wwz()``; R's start-up excluded).
2. KWW + WWZ + Wang et al. (2017) participation and production length for all 17 WIOD 2013
   tables (1995-2011), reading included: under 60 s.
3. The same measures on simulated tables of 2,464 rows (44 x 56, the size of WIOD 2016):
   under 5 s; and of 3,800 rows (76 x 50, the size of OECD ICIO 2023): under 30 s with a peak
   resident memory under 6 GB, measured in a fresh process (``ru_maxrss``).

Medians of repeated runs where a case is short; one run for the long ones (stated).
Run with ``python benchmarks/bench_io.py``.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _machine import describe_machine, median_time

from coupling.inputoutput import MRIOTable, read_wiod

WIOD2013 = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiod2013"

R_WWZ = r"""
suppressPackageStartupMessages(library(decompr))
args <- commandArgs(trailingOnly = TRUE)
G <- as.integer(args[2]); N <- as.integer(args[3])
Z <- matrix(readBin(file.path(args[1], "Z.bin"), "double", G * N * G * N), G * N, byrow = TRUE)
Y <- matrix(readBin(file.path(args[1], "Y.bin"), "double", G * N * G), G * N, byrow = TRUE)
k <- sprintf("C%02d", seq_len(G)); i <- sprintf("s%02d", seq_len(N))
d <- load_tables_vectors(x = Z, y = Y, k = k, i = i, o = rowSums(Z) + rowSums(Y))
elapsed <- system.time(w <- wwz(d))[["elapsed"]]
cat(sprintf("%.3f %s\n", elapsed, as.character(packageVersion("decompr"))))
"""


def simulated(G: int, N: int, seed: int = 0, K: int = 5) -> MRIOTable:
    """A world table with skewed flows, heavy domestic blocks and column sums of A of 0.55."""
    rng = np.random.default_rng(seed)
    GN = G * N
    Z = rng.gamma(0.3, 1.0, (GN, GN))
    Z[np.kron(np.eye(G), np.ones((N, N))) > 0] *= 20.0
    Y = rng.gamma(0.5, 1.0, (GN, G * K))
    own = np.repeat(np.arange(G), N)
    Y.reshape(GN, G, K)[np.arange(GN), own, :] *= 30.0
    x = Z.sum(1) + Y.sum(1)
    Z *= (0.55 * x / Z.sum(0))[None, :]
    return MRIOTable.from_arrays(Z, Y, [f"C{g:02d}" for g in range(G)],
                                 [f"s{i:02d}" for i in range(N)])  # fmt: skip


def world_2011() -> tuple[MRIOTable, str]:
    path = WIOD2013 / "wiot_2011.npz"
    if path.exists():
        table = read_wiod(path, zero_output="zero")
        assert isinstance(table, MRIOTable)
        return table, "WIOD 2013 release, 2011"
    return simulated(41, 35), "simulated 41 x 35 (shared/data/wiod2013 absent)"


def fresh(table: MRIOTable) -> MRIOTable:
    """The same table without its cached inverses."""
    return MRIOTable(table.intermediate, table.final_demand, zero_output="zero",
                     rtol=table.rtol, atol=table.atol)  # fmt: skip


def all_measures(table: MRIOTable) -> None:
    decomposition = table.wwz()
    decomposition.kww("country")
    table.gvc_participation()
    table.production_length()


def decompr_seconds(table: MRIOTable) -> str:
    """decompr's wwz() on ``table`` timed inside R, or why it was not run."""
    if shutil.which("Rscript") is None:
        return "not run: Rscript not found"
    G, N = len(table.countries), len(table.sectors)
    with tempfile.TemporaryDirectory() as folder:
        table.intermediate.to_numpy().astype("<f8").tofile(os.path.join(folder, "Z.bin"))
        table._Yd.astype("<f8").tofile(os.path.join(folder, "Y.bin"))
        script = os.path.join(folder, "wwz.R")
        Path(script).write_text(R_WWZ, encoding="utf-8")
        done = subprocess.run(["Rscript", script, folder, str(G), str(N)], capture_output=True,
                              text=True, check=False, timeout=600)  # fmt: skip
    if done.returncode != 0:
        return "not run: " + (done.stderr.strip().splitlines() or ["Rscript failed"])[-1]
    seconds, version = done.stdout.split()
    return f"{float(seconds):.2f} s (decompr {version}, one run)"


def child(G: int, N: int) -> None:
    """Run the measures on a simulated G x N table; print seconds and peak memory."""
    start = time.perf_counter()
    all_measures(simulated(G, N))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    print(f"{elapsed:.3f} {peak:.3f}")


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas")))
    table, label = world_2011()
    floor_A = table.technical_coefficients().to_numpy()
    floor = median_time(lambda: np.linalg.inv(np.eye(len(floor_A)) - floor_A), 5)
    ours = median_time(lambda: fresh(table).wwz(), 5)
    print(f"\n1. WWZ, {label}: {ours:.3f} s (median of 5, fresh table; target < 1.5 s)")
    print(f"   floor, one dense inverse of I - A: {floor:.3f} s ({ours / floor:.1f}x the floor)")
    print(f"   decompr wwz(): {decompr_seconds(table)}")

    paths = sorted(WIOD2013.glob("wiot_*.npz"))
    if paths:
        start = time.perf_counter()
        for path in paths:
            year = read_wiod(path, zero_output="zero")
            assert isinstance(year, MRIOTable)
            all_measures(year)
        total = time.perf_counter() - start
        print(f"\n2. KWW + WWZ + Wang et al. (2017) for {len(paths)} WIOD 2013 tables, reading "
              f"included: {total:.1f} s (one run; target < 60 s)")  # fmt: skip
    else:
        print(f"\n2. skipped: no WIOD 2013 tables in {WIOD2013}")

    for G, N, limit in ((44, 56, 5.0), (76, 50, 30.0)):
        done = subprocess.run([sys.executable, __file__, "--child", str(G), str(N)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        seconds, peak = (float(v) for v in done.stdout.split())
        print(f"\n3. simulated {G} x {N} = {G * N} rows, WWZ + KWW + participation + length: "
              f"{seconds:.2f} s (one run, fresh process; target < {limit:g} s), peak memory "
              f"{peak:.2f} GiB (target < 6 GB)")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
