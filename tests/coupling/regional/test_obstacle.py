"""Tests of coupling/obstacle.py: the obstacle degree model."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coupling import CouplingCoordination, IndicatorSystem, obstacle_degree
from coupling.exceptions import InvalidOptionError, SpecificationError

from ..conftest import random_panel, split_system

EXACT_RTOL = 1e-12  # fractions worked by hand against float64

SYSTEM = IndicatorSystem({"manufacturing": {"m1": "+", "m2": "-"}, "services": {"s1": "+"}})
#: Regions a, b, c in years 1 and 2. Pooled bounds: m1 in [0, 10], m2 in [2, 6], s1 in [1, 5].
DATA = pd.DataFrame(
    {
        "region": list("abcabc"),
        "year": [1, 1, 1, 2, 2, 2],
        "m1": [0.0, 5.0, 10.0, 10.0, 5.0, 0.0],
        "m2": [2.0, 4.0, 6.0, 6.0, 2.0, 4.0],
        "s1": [1.0, 3.0, 5.0, 5.0, 3.0, 1.0],
    }
)
#: Fixed weights, alpha = (1/2, 1/2): F = (3/4 * 1/2, 1/4 * 1/2, 1 * 1/2) = (3/8, 1/8, 1/2).
WEIGHTS = {"m1": 0.75, "m2": 0.25, "s1": 1.0}


def hand_obstacles() -> dict[tuple[str, int], list[Fraction]]:
    """z = (x - min)/(max - min) (+) or (max - x)/(max - min) (-); I = 1 - z; O = F I / sum F I.

    a1: z = (0, 1, 0)     I = (1, 0, 1)     F I = (3/8, 0, 1/2)      sum 7/8   -> (3/7, 0, 4/7)
    b1: z = (.5, .5, .5)  I = (.5, .5, .5)  F I = (3/16, 1/16, 1/4)  sum 1/2   -> (3/8, 1/8, 1/2)
    c1: z = (1, 0, 1)     I = (0, 1, 0)     F I = (0, 1/8, 0)        sum 1/8   -> (0, 1, 0)
    a2: z = (1, 0, 1)     as c1                                                -> (0, 1, 0)
    b2: z = (.5, 1, .5)   I = (.5, 0, .5)   F I = (3/16, 0, 1/4)     sum 7/16  -> (3/7, 0, 4/7)
    c2: z = (0, .5, 0)    I = (1, .5, 1)    F I = (3/8, 1/16, 1/2)   sum 15/16 -> (2/5, 1/15, 8/15)
    """
    f = Fraction
    return {
        ("a", 1): [f(3, 7), f(0), f(4, 7)],
        ("b", 1): [f(3, 8), f(1, 8), f(1, 2)],
        ("c", 1): [f(0), f(1), f(0)],
        ("a", 2): [f(0), f(1), f(0)],
        ("b", 2): [f(3, 7), f(0), f(4, 7)],
        ("c", 2): [f(2, 5), f(1, 15), f(8, 15)],
    }


def test_hand_worked_obstacles():
    res = CouplingCoordination(SYSTEM, weighting=WEIGHTS).fit(DATA, "region", "year")
    out = obstacle_degree(res, DATA, "region", "year")
    table = out.indicators.set_index(["region", "year", "indicator"])
    for (region, year), shares in hand_obstacles().items():
        for name, share in zip(("m1", "m2", "s1"), shares):
            got = table.loc[(region, year, name), "obstacle"]
            assert got == pytest.approx(100 * float(share), rel=EXACT_RTOL, abs=1e-12)
    np.testing.assert_allclose(table["factor"].to_numpy()[:3], [0.375, 0.125, 0.5], rtol=0)
    assert table.loc[("b", 1, "m2"), "z"] == 0.5
    assert table.loc[("c", 2, "m2"), "deviation"] == 0.5
    subs = out.subsystems.set_index(["region", "year", "subsystem"])["obstacle"]
    assert subs[("c", 2, "manufacturing")] == pytest.approx(100 * (2 / 5 + 1 / 15), rel=1e-12)
    ranks = table.xs(("c", 2), level=("region", "year"))["rank"].tolist()
    assert ranks == [2, 3, 1]
    sums = out.indicators.groupby(["region", "year"])["obstacle"].sum()
    np.testing.assert_allclose(sums, 100.0, rtol=1e-12)


def test_by_period_bounds_are_used_per_year():
    data = DATA.copy()
    data.loc[3:, "m1"] = [20.0, 10.0, 0.0]  # year 2 range of m1 is [0, 20]
    res = CouplingCoordination(SYSTEM, weighting=WEIGHTS, pooling="by_period").fit(
        data, "region", "year"
    )
    out = obstacle_degree(res, data, "region", "year")
    z = out.indicators.set_index(["region", "year", "indicator"])["z"]
    assert z[("b", 2, "m1")] == 0.5  # (10 - 0) / (20 - 0)
    # c is the best of year 1 (m1 = 10 on the year's range [0, 10]): z = 1, while the pooled
    # range [0, 20] would give 0.5
    assert z[("a", 1, "m1")] == 0.0 and z[("c", 1, "m1")] == 1.0


def test_ideal_region_year_has_no_obstacle_and_top_ranks():
    data = DATA.copy()
    data.loc[2, ["m2"]] = 2.0  # c in year 1 is now best on every indicator
    res = CouplingCoordination(SYSTEM, weighting=WEIGHTS).fit(data, "region", "year")
    out = obstacle_degree(res, data, "region", "year")
    ideal = out.indicators[(out.indicators.region == "c") & (out.indicators.year == 1)]
    assert ideal["obstacle"].isna().all() and ideal["rank"].isna().all()
    assert out.options["at_ideal"] == ("(c, 1)",)
    top = out.top(1)
    assert len(top) == 5 and (top["rank"] == 1).all()
    with pytest.raises(InvalidOptionError, match="n must be"):
        out.top(0)


def test_constant_dropped_indicator_has_zero_obstacle():
    panel = random_panel(8, 2, 4, seed=3)
    panel["x2"] = 1.0
    res = CouplingCoordination(split_system(4), constant="drop").fit(panel, "region", "year")
    out = obstacle_degree(res, panel, "region", "year")
    dropped = out.indicators[out.indicators.indicator == "x2"]
    assert (dropped["obstacle"] == 0).all() and dropped["z"].isna().all()


def test_obstacle_data_must_match_the_fit(tmp_path):
    res = CouplingCoordination(SYSTEM, weighting=WEIGHTS).fit(DATA, "region", "year")
    with pytest.raises(SpecificationError, match="regions only in the data d"):
        extra = pd.concat([DATA, DATA.iloc[[0, 3]].assign(region="d")])
        obstacle_degree(res, extra, "region", "year")
    with pytest.raises(SpecificationError, match=r"outside the bounds.*m1 at \(a, 1\)"):
        obstacle_degree(res, DATA.assign(m1=DATA.m1 - 1), "region", "year")
    with pytest.raises(SpecificationError, match="must be a fitted CouplingResults"):
        obstacle_degree(DATA, DATA)  # type: ignore[arg-type]
    out = obstacle_degree(res, DATA, "region", "year")
    with pytest.raises(InvalidOptionError, match="level='region'"):
        out.mean_by_year("region")
    assert "Obstacle degrees" in str(out.summary())
    fig = out.plot(tmp_path / "obstacle.png")
    assert isinstance(fig, Figure) and (tmp_path / "obstacle.png").exists()
