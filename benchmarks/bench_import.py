"""Import time of the package faces against the libraries they stand on, in one run.

Each import runs in a fresh interpreter (``python -c "import ..."``), so nothing is
cached in the process; the operating system's file cache is warm after the first
round. Reported: the median over ``ROUNDS`` rounds of

* ``import pandas, scipy.sparse, scipy.linalg`` (the floor under both packages);
* ``import spatial`` and ``import coupling``;

and the ratios to the floor. The packages are byte-compiled first, as ``pip install``
leaves them (pandas and scipy are compiled the same way), so that the times are those of
imports and not of compiling the sources (which an interpreter run with
``PYTHONDONTWRITEBYTECODE=1`` on an editable install would redo at every start).
Target (from the project's issue): each face within
1.3x of the floor, with neither matplotlib, esda nor (for ``spatial``) ``coupling``
loaded (checked by ``tests/test_architecture.py``). Run with
``python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time

from _machine import describe_machine

ROUNDS = 15
TARGET = 1.3
CASES = {
    "floor": "import pandas, scipy.sparse, scipy.linalg",
    "spatial": "import spatial",
    "coupling": "import coupling",
}


def wall_time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def compile_packages() -> None:
    """Byte-compile spatial and coupling where they are imported from (as pip does)."""
    import coupling
    import spatial

    for package in (spatial, coupling):
        compileall.compile_dir(package.__path__[0], quiet=1)


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas", "liangye")))
    compile_packages()
    for code in CASES.values():  # warm the file cache
        wall_time(code)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(ROUNDS):  # interleaved, so drift affects all cases alike
        for name, code in CASES.items():
            times[name].append(wall_time(code))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["floor"]
    print(f"\nmedian of {ROUNDS} fresh interpreters (seconds, ratio to the floor):")
    for name, code in CASES.items():
        ratio = medians[name] / floor
        verdict = "" if name == "floor" else ("  ok" if ratio <= TARGET else "  over target")
        print(f"  {code:<45} {medians[name]:.3f}  {ratio:.2f}x{verdict}")


if __name__ == "__main__":
    main()
