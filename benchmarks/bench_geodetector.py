"""Geographical detector: the toolkit against the Python package geodetector 0.2.0.

    .venv/bin/python benchmarks/bench_geodetector.py

Job: 2,800 units x 20 years, 10 continuous factors, the OPGD search over 6 methods x 6
numbers of classes (3..8), i.e. 10 x 6 x 6 x 20 = 7,200 q values, then the four detectors
on the chosen discretization. The toolkit does every year at once; the package is called
year by year (its OptimalDiscretizer is given quantile, equal and jenks: it silently skips
"sd", as mapclassify's StdMean takes no k, and "geometric", mapped to None there), and it
is timed on fewer years and scaled, since one year takes seconds. Medians of a few runs.
"""

from __future__ import annotations

import platform
import warnings

import numpy as np
import pandas as pd
from _machine import median_time

from spatial.heterogeneity.geodetector import (
    DISCRETIZATION_METHODS,
    SingletonStratumWarning,
    _grid_q,
    _natural_breaks,
    geodetector,
)


def make_panel(n: int = 2800, years: int = 20, factors: int = 10, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=(years, n, factors))
    y = np.log(x[..., 0]) + np.sin(x[..., 1]) + (x[..., 2] > 1.5) + rng.normal(size=(years, n))
    frame = pd.DataFrame(x.reshape(-1, factors), columns=[f"x{j}" for j in range(factors)])
    frame.insert(0, "y", y.ravel())
    frame.insert(0, "year", np.repeat(np.arange(2001, 2001 + years), n))
    frame.insert(0, "county", np.tile(np.arange(n), years))
    return frame


def main() -> None:
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{platform.machine()}"
    )
    panel = make_panel()
    factors = [c for c in panel.columns if c.startswith("x")]
    warnings.simplefilter("ignore", SingletonStratumWarning)

    # the q kernel alone: 7,200 q values from sorted factors and prefix sums (breaks given)
    x = panel[factors].to_numpy().reshape(20, 2800, 10).transpose(2, 0, 1).reshape(200, 2800)
    yv = panel["y"].to_numpy().reshape(20, 2800)
    order = np.argsort(x, axis=1)
    xs = np.take_along_axis(x, order, axis=1)
    ys = np.take_along_axis(np.tile(yv, (10, 1)), order, axis=1)
    combos = [(m, k) for m in DISCRETIZATION_METHODS for k in range(3, 9)]
    natural = _natural_breaks(xs, range(3, 9))
    t_q = median_time(lambda: _grid_q(xs, ys, combos, natural, drop=False), 3)
    t_nat = median_time(lambda: _natural_breaks(xs, range(3, 9)), 2)
    print(
        f"q of 10 factors x 6 methods x 6 classes x 20 years (7,200 q), breaks given: {t_q:.3f} s"
    )
    print(f"Fisher-Jenks breaks, 200 factor-years x 6 class counts (exact, batched): {t_nat:.2f} s")
    no_natural = tuple(m for m in DISCRETIZATION_METHODS if m != "natural")
    t_fast = median_time(
        lambda: geodetector(
            panel,
            "y",
            factors,
            region="county",
            year="year",
            discretize="optimal",
            methods=no_natural,
        ),
        repeats=2,
    )
    t_all = median_time(
        lambda: geodetector(
            panel, "y", factors, region="county", year="year", discretize="optimal"
        ),
        repeats=2,
    )
    print(
        f"geodetector(), whole job from the DataFrame, 5 methods without natural breaks: "
        f"{t_fast:.2f} s"
    )
    print(f"geodetector(), whole job from the DataFrame, all 6 methods: {t_all:.2f} s")

    from geodetector import OptimalDiscretizer

    one = panel[panel["year"] == 2001]
    years_timed = 1

    def package_year() -> None:
        OptimalDiscretizer(discretize_methods=["quantile", "equal", "jenks"], k_range=(3, 8)).fit(
            one[factors], one["y"]
        )

    t_pkg = median_time(package_year, 2) * 20 / years_timed
    t_mine = median_time(
        lambda: geodetector(
            panel,
            "y",
            factors,
            region="county",
            year="year",
            discretize="optimal",
            methods=("quantile", "equal", "natural"),
        ),
        repeats=2,
    )
    print(
        f"OPGD search quantile/equal/natural x 3..8, 10 factors, 20 years: toolkit "
        f"{t_mine:.2f} s (with all four detectors), geodetector package {t_pkg:.1f} s "
        f"(1 year x 20, search only): {t_pkg / t_mine:.0f}x"
    )


if __name__ == "__main__":
    main()
