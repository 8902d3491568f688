"""Wall time of the main job (``liangye demo``) and of its steps, in fresh processes.

Each run is a new interpreter (``python -m coupling.app.cli demo``), so every import,
every figure and every report file counts. Two conditions, measured in this run:

* **empty caches**: a new, empty matplotlib configuration folder (``MPLCONFIGDIR``), so
  matplotlib rebuilds its font list as on the first run after installing the package
  (Python's bytecode is compiled by pip at install time and counts as warm);
* **warm**: the same folder again.

Reported: the wall time (median of ``ROUNDS`` runs for the warm case) and the time at
which each of the four steps and the report were done, as the demo prints them.
Target (from the project's issue): the demo within 8 s on a 2-core machine, first run
included. Run with ``python benchmarks/bench_demo.py``.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import describe_machine

ROUNDS = 3
TARGET = 8.0
STEP = re.compile(r"\[\s*([0-9.]+) s\] (\S+ \S+)")


def run(config: Path, out: Path) -> tuple[float, list[tuple[str, float]]]:
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "coupling.app.cli", "demo", "--out", str(out)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    steps = [(m.group(2), float(m.group(1))) for m in STEP.finditer(done.stdout)]
    return wall, steps


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "matplotlib", "liangye")))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        first, steps = run(root / "mpl", root / "first")
        warm = [run(root / "mpl", root / f"warm{i}") for i in range(ROUNDS)]
    median = statistics.median(w for w, _ in warm)
    print(f"\nliangye demo, wall time (target {TARGET:g} s):")
    for label, seconds in (
        ("empty caches (first run)", first),
        (f"warm, median of {ROUNDS}", median),
    ):
        print(f"  {label:<26} {seconds:6.2f} s  {'ok' if seconds <= TARGET else 'over target'}")
    print("\nsteps of the first run (time when done, seconds after the demo started):")
    for name, at in steps:
        print(f"  {at:6.2f}  {name}")


if __name__ == "__main__":
    main()
