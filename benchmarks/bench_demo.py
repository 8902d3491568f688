"""Wall time of the main job (``liangye demo``) against its library baseline, in one run.

Each run is a new interpreter, so every import, every figure and every report file
counts. Two conditions, each measured for the demo and for the baseline:

* **empty caches**: a new, empty matplotlib configuration folder (``MPLCONFIGDIR``) for
  every run, so that matplotlib rebuilds its font list as on the first run after
  installing;
* **warm**: one folder reused.

The baseline is ``import pandas, scipy.sparse, matplotlib.pyplot, statsmodels.api``: the
libraries the demo stands on, imported and nothing done. The packages are byte-compiled
first, as ``pip install`` leaves them. Reported: medians of ``ROUNDS`` interleaved runs,
the ratio of the demo to the baseline in each condition, and the time at which each step
of the last demo was done, as the demo prints it. Target (from the project's issue): the
demo with empty caches within 1.8x its baseline. Run with ``python benchmarks/bench_demo.py``.
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
from bench_import import compile_packages

ROUNDS = 5
TARGET = 1.8
BASELINE = "import pandas, scipy.sparse, matplotlib.pyplot, statsmodels.api"
STEP = re.compile(r"\[\s*([0-9.]+) s\] (\S+ \S+)")


def run(command: list[str], config: Path) -> tuple[float, str]:
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "matplotlib", "statsmodels", "liangye")))
    compile_packages()
    baseline = [sys.executable, "-c", BASELINE]
    times: dict[tuple[str, str], list[float]] = {}
    last = ""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        warm_config = root / "warm"
        run(baseline, warm_config)  # fills the warm folder
        for r in range(ROUNDS):
            demo = [sys.executable, "-m", "coupling.app.cli", "demo", "--out", str(root / f"o{r}")]
            for condition in ("empty", "warm"):
                for name, command in (("baseline", baseline), ("demo", demo)):
                    config = root / f"{condition}{r}{name}" if condition == "empty" else warm_config
                    seconds, out = run(command, config)
                    times.setdefault((condition, name), []).append(seconds)
                    last = out if name == "demo" else last
    print(f"\nmedian wall time of {ROUNDS} fresh interpreters (seconds):")
    print(f"  {'condition':<14} {'baseline':>9} {'demo':>7} {'demo/baseline':>14}")
    for condition in ("empty", "warm"):
        base = statistics.median(times[(condition, "baseline")])
        demo_time = statistics.median(times[(condition, "demo")])
        ratio = demo_time / base
        verdict = ("  ok" if ratio <= TARGET else "  over target") if condition == "empty" else ""
        print(f"  {condition + ' caches':<14} {base:9.2f} {demo_time:7.2f} {ratio:13.2f}x{verdict}")
    print(f"  baseline: {BASELINE}")
    print("\nsteps of the last demo (time when done, seconds after the demo started):")
    for match in STEP.finditer(last):
        print(f"  {float(match.group(1)):6.2f}  {match.group(2)}")


if __name__ == "__main__":
    main()
