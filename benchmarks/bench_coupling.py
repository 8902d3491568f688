"""Speed of the coupling-coordination pipeline, side by side in one run.

For panels of 31 x 20, 3,000 x 20 and 50,000 x 20 (10^6) region-years with 20
indicators (10 per subsystem), it times

* ``liangye``: ``CouplingCoordination(system).fit(df, ...)`` from a DataFrame,
  validation, bookkeeping and labelled results included;
* ``numpy``: a bare numpy computation of the same quantities (min-max, entropy
  weights, U, C, T, D, tiers) on the already-extracted array;
* ``pandas loop``: the column-by-column pandas script a research project
  typically writes;

and, for the bootstrap, 1,000 region resamples of the 31 x 20 panel batched in
one call against refitting the pipeline on each resample. Medians of several
runs and ratios are printed; run it with ``python benchmarks/bench_coupling.py``.
Targets (from the project's issue): at 10^6 region-years the pipeline within
2.5x of bare numpy; the 1,000-resample bootstrap well under a second and at
least 20x faster than looping.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from _machine import describe_machine, median_time

from coupling import CouplingCoordination, IndicatorSystem

N_INDICATORS = 20
YEARS = 20
SIZES = {"31 x 20": 31, "3,000 x 20": 3_000, "10^6 region-years": 50_000}
EDGES = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])


def make_panel(n_regions: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = n_regions * YEARS
    frame = pd.DataFrame(
        rng.lognormal(size=(rows, N_INDICATORS)),
        columns=[f"x{j:02d}" for j in range(N_INDICATORS)],
    )
    frame.insert(0, "year", np.tile(np.arange(2001, 2001 + YEARS), n_regions))
    frame.insert(0, "region", np.repeat(np.arange(n_regions), YEARS))
    return frame


SYSTEM = IndicatorSystem(
    {
        "manufacturing": {f"x{j:02d}": "+" for j in range(N_INDICATORS // 2)},
        "services": {f"x{j:02d}": "+" for j in range(N_INDICATORS // 2, N_INDICATORS)},
    }
)


def bare_numpy(x: np.ndarray) -> np.ndarray:
    """Min-max, entropy weights, U, C, T, D and tier codes on an (n, J) array."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    z = (x - lo) / (hi - lo) + 1e-4
    p = z / z.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(x.shape[0])
    d = 1 - e
    half = x.shape[1] // 2
    w = np.concatenate([d[:half] / d[:half].sum(), d[half:] / d[half:].sum()])
    u1 = z[:, :half] @ w[:half]
    u2 = z[:, half:] @ w[half:]
    c = 2 * np.sqrt(u1 * u2) / (u1 + u2)
    dd = np.sqrt(c * (u1 + u2) / 2)
    return np.searchsorted(EDGES, dd, side="right")


def pandas_script(df: pd.DataFrame) -> pd.DataFrame:
    """What a research script does: a loop over indicators and subsystems in pandas."""
    out = df[["region", "year"]].copy()
    n = len(df)
    for subsystem, columns in (("m", SYSTEM.indicators_of("manufacturing")),
                               ("s", SYSTEM.indicators_of("services"))):  # fmt: skip
        z = pd.DataFrame(index=df.index)
        div = {}
        for col in columns:
            z[col] = (df[col] - df[col].min()) / (df[col].max() - df[col].min()) + 1e-4
            p = z[col] / z[col].sum()
            div[col] = 1 + (p * np.log(p)).sum() / np.log(n)
        total = sum(div.values())
        out[f"U_{subsystem}"] = sum(z[c] * div[c] / total for c in columns)
    out["C"] = 2 * np.sqrt(out["U_m"] * out["U_s"]) / (out["U_m"] + out["U_s"])
    out["T"] = (out["U_m"] + out["U_s"]) / 2
    out["D"] = np.sqrt(out["C"] * out["T"])
    out["tier"] = pd.cut(out["D"], np.linspace(0, 1.0001, 11), right=False)
    return out


def bench_pipeline() -> None:
    print("\nFull pipeline (median seconds; ratio = time / bare numpy)")
    print(f"{'panel':>20} {'liangye':>10} {'numpy':>10} {'pandas loop':>12} "
          f"{'liangye/numpy':>14} {'pandas/liangye':>15}")  # fmt: skip
    model = CouplingCoordination(SYSTEM)
    for label, n_regions in SIZES.items():
        df = make_panel(n_regions)
        x = df[list(SYSTEM.indicators)].to_numpy()
        repeats = 7 if n_regions < 10_000 else 3
        t_lib = median_time(lambda df=df: model.fit(df, "region", "year"), repeats)
        t_np = median_time(lambda x=x: bare_numpy(x), repeats)
        t_pd = median_time(lambda df=df: pandas_script(df), repeats)
        ref = model.fit(df, "region", "year").scores["D"].to_numpy()
        check = np.sqrt(pandas_script(df).set_index(["region", "year"]).sort_index()["D"])
        assert np.allclose(np.sqrt(ref), check, rtol=1e-10), "implementations disagree"
        print(f"{label:>20} {t_lib:10.4f} {t_np:10.4f} {t_pd:12.4f} "
              f"{t_lib / t_np:14.2f} {t_pd / t_lib:15.2f}")  # fmt: skip


def bench_bootstrap(n_resamples: int = 1000) -> None:
    df = make_panel(31)
    model = CouplingCoordination(SYSTEM)
    t_batched = median_time(
        lambda: model.fit(df, "region", "year", bootstrap=n_resamples, seed=0), 5
    )
    t_plain = median_time(lambda: model.fit(df, "region", "year"), 7)
    rng = np.random.default_rng(0)
    by_region = dict(tuple(df.groupby("region")))

    def loop() -> None:
        for pick in rng.integers(0, 31, size=(n_resamples, 31)):
            parts = [by_region[i].assign(region=k) for k, i in enumerate(pick)]
            model.fit(pd.concat(parts), "region", "year")

    t_loop = median_time(loop, 1)
    print(f"\nBootstrap: {n_resamples} region resamples of 31 x 20 with {N_INDICATORS} indicators")
    print(f"  batched fit(bootstrap={n_resamples}): {t_batched:.3f} s "
          f"(plain fit {t_plain * 1e3:.1f} ms)")  # fmt: skip
    print(f"  loop of {n_resamples} fits:            {t_loop:.3f} s")
    print(f"  speed-up: {t_loop / t_batched:.1f}x")


if __name__ == "__main__":
    print(describe_machine(("numpy", "scipy", "pandas", "liangye")))
    bench_pipeline()
    if "--no-bootstrap" not in sys.argv:
        bench_bootstrap()
