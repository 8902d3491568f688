"""Speed of the panel threshold regression (Hansen 1999), with its bootstrap.

Times ``PanelThreshold(...).fit(n_thresholds=2, bootstrap=(300, 300))`` from the DataFrame to
the results (search over the 400-quantile grid, refinement, two bootstrap F tests of 300
draws each, regime regression) on simulated panels of the sizes the issue names, and on
Hansen's investment panel (565 firms x 14 years, three thresholds) when ``../shared/data`` is
present. It also times the plain approach of a research script on a small part of the job:
one least-squares fit per candidate threshold, for one search, to give the ratio per search.

Targets (issue 12): 31 x 20, double threshold with 300 draws each, under 5 s; 285 x 15 under
30 s. Medians of several runs, measured in one run. ``python benchmarks/bench_threshold.py``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from _machine import describe_machine, median_time

from coupling.drivers.threshold import PanelThreshold

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hansen1999" / "hansen1999.csv"


def simulated(n: int, t: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    q, r, x = (rng.uniform(size=n * t), rng.normal(size=n * t), rng.normal(size=n * t))
    slope = np.select([q <= 0.3, q <= 0.7], [1.0, 2.0], 0.5)
    y = np.repeat(rng.normal(size=n), t) + 0.5 * x + slope * r + rng.normal(0, 0.5, n * t)
    return pd.DataFrame(
        {
            "region": np.repeat(np.arange(n), t),
            "year": np.tile(np.arange(t), n),
            "y": y,
            "x": x,
            "r": r,
            "q": q,
        }
    )


def loop_search(frame: pd.DataFrame, grid: int = 400) -> float:
    """One threshold search as scripts write it: a within regression per candidate."""
    demeaned = frame[["y", "x", "r"]] - frame.groupby("region")[["y", "x", "r"]].transform("mean")
    distinct = np.unique(frame["q"])
    steps = np.arange(0.01, 0.99 + 1e-12, 1 / grid)
    best = np.inf
    for g in np.unique(distinct[np.floor(steps * distinct.size).astype(int) - 1]):
        z = frame["r"] * (frame["q"] <= g)
        z = z - z.groupby(frame["region"]).transform("mean")
        design = np.column_stack([demeaned["x"], demeaned["r"], z])
        coef = np.linalg.lstsq(design, demeaned["y"].to_numpy(), rcond=None)[0]
        resid = demeaned["y"].to_numpy() - design @ coef
        best = min(best, float(resid @ resid))
    return best


def main() -> None:
    print(describe_machine(("numpy", "scipy", "pandas")))
    rows = []
    for n, t in ((31, 20), (285, 15)):
        frame = simulated(n, t)
        model = PanelThreshold(frame, y="y", x=["x"], q="q", regime=["r"])
        fit = median_time(partial(model.fit, n_thresholds=2, bootstrap=(300, 300), seed=0), 3)
        one = median_time(partial(model.fit, n_thresholds=1, bootstrap=0), 5)
        loop = median_time(partial(loop_search, frame), 3)
        rows.append(
            {
                "panel": f"{n} x {t}",
                "fit (s)": round(fit, 3),
                "one search, batched (s)": round(one, 4),
                "one search, loop (s)": round(loop, 3),
                "loop / batched": round(loop / one),
            }
        )
    if SHARED.exists():
        hansen = pd.read_csv(SHARED)
        model = PanelThreshold(
            hansen, y="i", x=["q1", "q2", "q3", "d1", "qd1"], q="d1", regime=["c1"],
            region="id", year="year",
        )  # fmt: skip
        fit = median_time(
            lambda: model.fit(n_thresholds=3, trim=(0.01, 0.01, 0.05), bootstrap=300, seed=0),
            repeats=3,
        )
        rows.append(
            {"panel": "Hansen 565 x 14: triple, 3 x 300 draws (s)", "fit (s)": round(fit, 3)}
        )
    print("fit = double threshold with 300 + 300 bootstrap draws")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
