"""Machine, BLAS and library versions printed at the top of every benchmark."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version


def describe_machine(packages: tuple[str, ...]) -> str:
    """One block of text: CPU, cores, Python, BLAS and package versions."""
    lines = [
        f"machine: {platform.machine()} {platform.processor() or ''}".rstrip(),
        f"cores: {os.cpu_count()}  python: {platform.python_version()}",
    ]
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)"
                for i in threadpool_info()]  # fmt: skip
        lines.append(f"BLAS: {'; '.join(blas) or 'unknown'}")
    except ImportError:
        lines.append("BLAS: threadpoolctl not installed")
    found = []
    for name in packages:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    lines.append("versions: " + ", ".join(found))
    return "\n".join(lines)


def median_time(func: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls, in seconds (one warm-up call first)."""
    func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
