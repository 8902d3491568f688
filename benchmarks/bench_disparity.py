"""Speed of the Dagum Gini decomposition with a region bootstrap, side by side in one run.

For 31 provinces in the four NBS regions x 20 years x 1,000 bootstrap draws
(regions resampled within their region), it times

* ``dagum_gini(..., bootstrap=1000)``: the whole call from a tidy table
  (validation, resampling, the batched kernel over all draws and years,
  intervals and tables);
* the batched kernel alone: ``dagum_decomposition`` on the stacked array
  ``(1000, 20, 31)``;
* a per-(draw, year) loop calling the same numpy kernel on one year at a time;
* the straightforward nested-loop version a research script would write
  (loops over draws, years, groups and region pairs), timed on a few draws
  because it is slow, and compared per draw.

Medians of several runs; ratios are measured in this run. Target (from the
project's issue): the batched 1,000-draw decomposition well under a second.
Run with ``python benchmarks/bench_disparity.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _machine import describe_machine, median_time

from coupling import NBS_REGION_OF, dagum_gini
from coupling.regional.inequality import dagum_decomposition, resample_within_groups

YEARS = 20
DRAWS = 1000
LOOP_DRAWS = 20  # the nested loops are timed on this many draws
PER_YEAR_DRAWS = 100  # the per-(draw, year) numpy loop on this many


def make_table(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = sorted(NBS_REGION_OF)
    table = pd.DataFrame(
        {
            "code": np.repeat(codes, YEARS),
            "year": np.tile(np.arange(2004, 2004 + YEARS), len(codes)),
        }
    )
    table["D"] = rng.uniform(0.2, 0.8, len(table))
    return table


def nested_loops(y: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """G, G_w, G_nb, G_t of y (draws, years, n) with plain Python loops, as scripts do."""
    draws, years, n = y.shape
    k = int(codes.max()) + 1
    out = np.empty((draws, years, 4))
    for b in range(draws):
        for t in range(years):
            row = y[b, t].tolist()
            groups = [[row[i] for i in range(n) if codes[i] == j] for j in range(k)]
            mean = sum(row) / n
            means = [sum(g) / len(g) for g in groups]
            p = [len(g) / n for g in groups]
            s = [len(g) * means[j] / (n * mean) for j, g in enumerate(groups)]
            total = 0.0
            for a in row:
                for c in row:
                    total += abs(a - c)
            gini = total / (2 * n * n * mean)
            g_w = 0.0
            for j, g in enumerate(groups):
                diff = 0.0
                for a in g:
                    for c in g:
                        diff += abs(a - c)
                g_w += diff / (2 * len(g) ** 2 * means[j]) * p[j] * s[j]
            g_nb = g_t = 0.0
            for j in range(k):
                for h in range(j):
                    hi, lo = (j, h) if means[j] >= means[h] else (h, j)
                    d = q = absolute = 0.0
                    for a in groups[hi]:
                        for c in groups[lo]:
                            d += max(a - c, 0.0)
                            q += max(c - a, 0.0)
                            absolute += abs(a - c)
                    pairs = len(groups[hi]) * len(groups[lo])
                    g_jh = absolute / (pairs * (means[j] + means[h]))
                    big_d = (d - q) / (d + q)
                    share = g_jh * (p[j] * s[h] + p[h] * s[j])
                    g_nb += share * big_d
                    g_t += share * (1.0 - big_d)
            out[b, t] = gini, g_w, g_nb, g_t
    return out


def per_year_loop(y: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The numpy kernel called once per (draw, year)."""
    draws, years, _ = y.shape
    out = np.empty((draws, years, 4))
    for b in range(draws):
        for t in range(years):
            res = dagum_decomposition(y[b, t], codes)
            out[b, t] = res.G, res.G_w, res.G_nb, res.G_t
    return out


def main() -> None:
    print(describe_machine(("numpy", "pandas", "liangye")))
    table = make_table()
    wide = table.pivot(index="year", columns="code", values="D")
    y = wide.to_numpy()  # (T, N), codes sorted as in the package
    labels = pd.Series(NBS_REGION_OF)[wide.columns]
    codes = pd.factorize(labels, sort=True)[0]
    index = resample_within_groups(codes, DRAWS, np.random.default_rng(0))
    stacked = np.moveaxis(y[:, index], 1, 0)  # (DRAWS, T, N)

    batched = dagum_decomposition(stacked, codes)
    check = nested_loops(stacked[:3], codes)
    got = np.stack([batched.G, batched.G_w, batched.G_nb, batched.G_t], axis=-1)[:3]
    assert np.allclose(got, check, rtol=1e-12, atol=0), "batched and nested loops disagree"

    def call() -> object:
        return dagum_gini(table, "D", region="code", year="year", groups=NBS_REGION_OF,
                          bootstrap=DRAWS, seed=0)  # fmt: skip

    t_call = median_time(call, 7)
    t_kernel = median_time(lambda: dagum_decomposition(stacked, codes), 7)
    t_year = median_time(lambda: per_year_loop(stacked[:PER_YEAR_DRAWS], codes), 3)
    t_loop = median_time(lambda: nested_loops(stacked[:LOOP_DRAWS], codes), 3)
    per_kernel = t_kernel / DRAWS
    per_year = t_year / PER_YEAR_DRAWS
    per_loop = t_loop / LOOP_DRAWS
    print(f"\nDagum decomposition, 31 regions in 4 groups x {YEARS} years x {DRAWS} draws")
    print(f"{'route':>46} {'median s':>10} {'draws':>6} {'ms / draw':>10} {'vs batched':>11}")
    rows = [
        (f"dagum_gini(table, bootstrap={DRAWS})", t_call, DRAWS, t_call / DRAWS),
        ("batched kernel (draws, years, regions)", t_kernel, DRAWS, per_kernel),
        ("numpy kernel per (draw, year), Python loop", t_year, PER_YEAR_DRAWS, per_year),
        ("nested Python loops (research script)", t_loop, LOOP_DRAWS, per_loop),
    ]
    for name, seconds, draws, per in rows:
        print(f"{name:>46} {seconds:10.4f} {draws:6d} {per * 1e3:10.3f} {per / per_kernel:10.1f}x")
    print(
        f"\nExtrapolated to {DRAWS} draws: nested loops {per_loop * DRAWS:.1f} s, per-year numpy "
        f"loop {per_year * DRAWS:.2f} s, batched kernel {t_kernel:.3f} s "
        f"(speed-up {per_loop / per_kernel:.0f}x over the nested loops, measured per draw)."
    )


if __name__ == "__main__":
    main()
