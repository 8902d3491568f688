"""Tests of coupling/topsis.py: entropy-TOPSIS on the coupling engine's inputs."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling import CouplingCoordination, IndicatorSystem
from coupling.exceptions import (
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    NegativeValueError,
    SpecificationError,
)
from coupling.topsis import TopsisResults, topsis

from .conftest import REFERENCE, random_panel, split_system

EXACT = 1e-12  # float64 against the same numbers worked another way
PUBLISHED = 1e-3  # published to three decimals, from rounded intermediate tables

PYMCDM = json.loads((REFERENCE / "topsis_pymcdm.json").read_text(encoding="utf-8"))


def fighter_frame() -> tuple[pd.DataFrame, IndicatorSystem]:
    ref = PYMCDM["fighter"]
    frame = pd.DataFrame(ref["matrix"], columns=ref["attributes"])
    frame.insert(0, "region", ref["alternatives"])
    frame.insert(1, "year", 1981)
    signs = {a: "+" if t > 0 else "-" for a, t in zip(ref["attributes"], ref["types"])}
    return frame, IndicatorSystem({"aircraft": signs})


def panel_frame() -> tuple[pd.DataFrame, IndicatorSystem]:
    ref = PYMCDM["entropy_panel"]
    frame = pd.DataFrame(ref["matrix"], columns=ref["indicators"])
    frame.insert(0, "region", ref["regions"] * len(ref["years"]))
    frame.insert(1, "year", np.repeat(ref["years"], len(ref["regions"])))
    signs = {a: "+" if t > 0 else "-" for a, t in zip(ref["indicators"], ref["types"])}
    return frame, IndicatorSystem({"all": signs})


def year_major(scores: pd.DataFrame, column: str) -> np.ndarray:
    return scores[column].swaplevel().sort_index().to_numpy()


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_hwang_yoon_fighter_aircraft(normalization):
    """Hwang and Yoon (1981) fighter example: pymcdm 1.4.0 (1e-12) and the book (3 decimals)."""
    frame, system = fighter_frame()
    ref = PYMCDM["fighter"]
    weights = dict(zip(ref["attributes"], ref["weights"]))
    res = topsis(frame, system, weighting=weights, normalization=normalization)
    scores = res.scores.droplevel("year")
    for column, key in (("closeness", "closeness"), ("d_plus", "d_plus"), ("d_minus", "d_minus")):
        np.testing.assert_allclose(scores[column], ref[f"{key}_{normalization}"], rtol=EXACT)
    if normalization == "vector":
        np.testing.assert_allclose(
            scores["closeness"], ref["published_closeness_vector"], rtol=0, atol=PUBLISHED
        )
        assert scores["rank"].tolist() == [1, 4, 2, 3]
        ideal = res.ideal.droplevel("subsystem")
        assert ideal.loc["cost", "ideal_value"] == 4.5  # the cheapest aircraft
        assert ideal.loc["cost", "anti_ideal_value"] == 6.5


def test_entropy_topsis_panel_and_by_period_against_pymcdm():
    """Independent entropy weights + pymcdm 1.4.0 TOPSIS (tests/coupling/reference), 1e-12."""
    frame, system = panel_frame()
    ref = PYMCDM["entropy_panel"]
    pooled = topsis(frame, system, weighting="entropy", shift=ref["shift"])
    np.testing.assert_allclose(
        pooled.indicator_weights["w"], ref["entropy_weights_panel"], rtol=EXACT
    )
    np.testing.assert_allclose(
        year_major(pooled.scores, "closeness"), ref["closeness_panel"], rtol=EXACT
    )
    weighted = topsis(frame, system, distance="weighted_euclidean", shift=ref["shift"])
    np.testing.assert_allclose(
        year_major(weighted.scores, "closeness"),
        ref["closeness_panel_weighted_euclidean"],
        rtol=EXACT,
    )
    by_year = topsis(frame, system, pooling="by_period", shift=ref["shift"])
    np.testing.assert_allclose(
        by_year.indicator_weights["w"].to_numpy().reshape(3, 4),
        ref["entropy_weights_by_period"],
        rtol=EXACT,
    )
    np.testing.assert_allclose(
        year_major(by_year.scores, "closeness"), ref["closeness_by_period"], rtol=EXACT
    )
    assert by_year.indicator_weights.index.names == ["year", "subsystem", "indicator"]


def test_hand_worked_two_subsystems():
    """Three regions, one year; m1 (+) and s1 (-), equal weights, min-max, worked by hand.

    z(m1) = (x - 1)/3 = (0, 1/3, 1); z(s1) = (3 - x)/2 = (0, 1, 1/2); ideal (1, 1), anti (0, 0).
    Overall weights (1/2, 1/2), v = z/2:
      a: D+ = sqrt(1/4 + 1/4) = sqrt(1/2), D- = 0, C = 0
      b: D+ = sqrt((1/3)^2 + 0) = 1/3, D- = sqrt((1/6)^2 + (1/2)^2) = sqrt(10)/6
      c: D+ = sqrt(0 + (1/4)^2) = 1/4, D- = sqrt((1/2)^2 + (1/4)^2) = sqrt(5)/4
    Each subsystem alone (weight 1): D+ = 1 - z, D- = z, C = z.
    With distance="weighted_euclidean" (w instead of w^2): b: D+ = sqrt(1/2 (2/3)^2) =
    sqrt(2)/3, D- = sqrt(1/2 (1/9 + 1)) = sqrt(5)/3; C = sqrt(5)/(sqrt(2) + sqrt(5)).
    """
    frame = pd.DataFrame(
        {"region": list("abc"), "year": 2020, "m1": [1.0, 2, 4], "s1": [3.0, 1, 2]}
    )
    system = IndicatorSystem({"manufacturing": {"m1": "+"}, "services": {"s1": "-"}})
    res = topsis(frame, system, weighting="equal")
    s = res.scores.droplevel("year")
    d_plus = [math.sqrt(0.5), 1 / 3, 1 / 4]
    d_minus = [0.0, math.sqrt(10) / 6, math.sqrt(5) / 4]
    np.testing.assert_allclose(s["d_plus"], d_plus, rtol=EXACT)
    np.testing.assert_allclose(s["d_minus"], d_minus, rtol=EXACT, atol=1e-15)
    np.testing.assert_allclose(
        s["closeness"], [m / (p + m) for p, m in zip(d_plus, d_minus)], rtol=EXACT
    )
    assert s["rank"].tolist() == [3, 2, 1]
    subs = res.subsystem_scores.droplevel("year")["closeness"]
    np.testing.assert_allclose(
        subs.xs("manufacturing", level="subsystem"), [0, 1 / 3, 1], rtol=EXACT, atol=1e-15
    )
    np.testing.assert_allclose(subs.xs("services", level="subsystem"), [0, 1, 0.5], rtol=EXACT)
    frame_out = res.to_frame()
    assert list(frame_out.columns) == [
        "region",
        "year",
        "closeness",
        "d_plus",
        "d_minus",
        "rank",
        "closeness_manufacturing",
        "closeness_services",
    ]
    w = topsis(frame, system, weighting="equal", distance="weighted_euclidean").scores
    b = math.sqrt(5) / (math.sqrt(2) + math.sqrt(5))
    assert w["closeness"].iloc[1] == pytest.approx(b, rel=EXACT)


def test_subsystem_scores_equal_topsis_on_each_subsystem():
    """Two routes: the subsystem scores vs TOPSIS on a system of that subsystem alone."""
    panel = random_panel(7, 3, 6, seed=1)
    system = split_system(6)
    for weighting in ("entropy", "critic", "cv"):
        res = topsis(panel, system, weighting=weighting)
        for name in system.subsystems:
            alone = IndicatorSystem(
                {
                    name: {
                        i: d
                        for i, d in zip(system.indicators, system.to_frame()["direction"])
                        if i in system.indicators_of(name)
                    }
                }
            )
            single = topsis(panel, alone, weighting=weighting).scores
            part = res.subsystem_scores.xs(name, level="subsystem")
            np.testing.assert_allclose(
                part[["d_plus", "d_minus", "closeness"]],
                single[["d_plus", "d_minus", "closeness"]],
                rtol=EXACT,
            )
            assert (part["rank"] == single["rank"]).all()


def test_uses_the_engines_weights():
    """The within-subsystem weights are the coupling engine's; given engine weights work."""
    panel = random_panel(9, 2, 4, seed=2)
    system = split_system(4)
    engine = CouplingCoordination(system, weighting="critic").fit(panel, "region", "year")
    res = topsis(panel, system, weighting="critic")
    np.testing.assert_allclose(
        res.indicator_weights["w_subsystem"], engine.indicator_weights["w"], rtol=EXACT
    )
    given_w = topsis(panel, system, weighting=engine.indicator_weights["w"])
    assert given_w.options["weights_given"] == "within_subsystems"
    np.testing.assert_allclose(
        given_w.indicator_weights["w"], engine.indicator_weights["w"] / 2, rtol=EXACT
    )
    np.testing.assert_allclose(
        given_w.subsystem_scores["closeness"], res.subsystem_scores["closeness"], rtol=EXACT
    )
    entropy = topsis(panel, system)
    ent = entropy.indicator_weights
    # entropy overall weights are the within-subsystem divergences renormalized over all
    engine_e = CouplingCoordination(system).fit(panel, "region", "year").indicator_weights
    np.testing.assert_allclose(ent["w"], engine_e["d"] / engine_e["d"].sum(), rtol=EXACT)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    scale=st.floats(0.01, 1000.0),
    normalization=st.sampled_from(["minmax", "vector"]),
    pooling=st.sampled_from(["panel", "by_period"]),
)
def test_properties(seed, scale, normalization, pooling):
    """Closeness in [0, 1]; scores unchanged when an indicator is measured in other units."""
    panel = random_panel(6, 3, 4, seed=seed)
    system = split_system(4)
    res = topsis(panel, system, normalization=normalization, pooling=pooling)
    for table in (res.scores, res.subsystem_scores):
        assert table["closeness"].between(0, 1).all()
        assert (table["d_plus"] >= 0).all() and (table["d_minus"] >= 0).all()
    assert res.scores.groupby(level=1)["rank"].min().eq(1).all()
    rescaled = panel.assign(x2=panel["x2"] * scale)
    again = topsis(rescaled, system, normalization=normalization, pooling=pooling)
    np.testing.assert_allclose(again.scores["closeness"], res.scores["closeness"], rtol=1e-9)
    assert (again.scores["rank"] == res.scores["rank"]).all()


def test_ranks_are_within_year_and_ties_share_the_best():
    frame = pd.DataFrame(
        {
            "region": list("abcabc"),
            "year": [1, 1, 1, 2, 2, 2],
            "x": [1.0, 2, 2, 3, 4, 5],
            "y": [1.0, 2, 2, 3, 4, 5],
        }
    )
    res = topsis(frame, IndicatorSystem({"s": {"x": "+", "y": "+"}}))
    assert res.scores["rank"].tolist() == [3, 3, 1, 2, 1, 1]  # a1 a2 b1 b2 c1 c2: b1, c1 tie


def test_input_is_not_modified_and_results_are_frozen():
    panel = random_panel(5, 2, 4, seed=4)
    before = panel.copy(deep=True)
    res = topsis(panel, split_system(4), weighting={f"x{j}": 0.25 for j in range(4)})
    pd.testing.assert_frame_equal(panel, before)
    assert isinstance(res, TopsisResults) and res.options["weights_given"] == "overall"
    table = res.scores
    table.loc[table.index[0], "closeness"] = -1.0
    assert res.scores["closeness"].iloc[0] >= 0
    with pytest.raises(AttributeError):
        res.scores = table  # type: ignore[misc]
    text = str(res.summary())
    assert "Closeness by year" in text and "normalization=minmax" in text
    assert "TopsisResults" in repr(res)


def test_constant_indicator_raises_or_gets_weight_zero():
    panel = random_panel(6, 2, 4, seed=5)
    panel["x3"] = 2.0
    with pytest.raises(ConstantIndicatorError, match=r"x3.*constant='drop'"):
        topsis(panel, split_system(4))
    res = topsis(panel, split_system(4), constant="drop")
    assert res.indicator_weights.loc[("services", "x3"), "w"] == 0
    panel["x2"] = 1.0
    with pytest.raises(ConstantIndicatorError, match="Every indicator of subsystem 'services'"):
        topsis(panel, split_system(4), constant="drop")
    by_year = random_panel(4, 2, 4, seed=5)
    by_year.loc[by_year.year == 2002, "x0"] = 1.0
    with pytest.raises(ConstantIndicatorError, match="x0 in 2002"):
        topsis(by_year, split_system(4), pooling="by_period")


def test_bad_input_messages():
    panel = random_panel(5, 2, 4, seed=6)
    system = split_system(4)
    with pytest.raises(SpecificationError, match="must be an IndicatorSystem"):
        topsis(panel, {"m": {"x0": "+"}})  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match=r"weighting='entropie'.*'entropy'"):
        topsis(panel, system, weighting="entropie")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="normalization='sum'"):
        topsis(panel, system, normalization="sum")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match=r"pooling='year'.*'by_period'"):
        topsis(panel, system, pooling="year")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="distance='manhattan'"):
        topsis(panel, system, distance="manhattan")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="shift must be"):
        topsis(panel, system, shift=-1)
    with pytest.raises(SpecificationError, match=r"missing \['x3'\], unknown \['z'\]"):
        topsis(panel, system, weighting={"x0": 0.5, "x1": 0.2, "x2": 0.3, "z": 0.0})
    with pytest.raises(SpecificationError, match=r"sum to 1 over all indicators .* 2"):
        topsis(panel, system, weighting={f"x{j}": 0.5 for j in range(4)} | {"x0": 1.0})
    with pytest.raises(SpecificationError, match="finite and >= 0"):
        topsis(panel, system, weighting={"x0": -0.5, "x1": 0.5, "x2": 0.5, "x3": 0.5})
    yearly = CouplingCoordination(system, pooling="by_period").fit(panel, "region", "year")
    with pytest.raises(SpecificationError, match="pooling='by_period' vary by year"):
        topsis(panel, system, weighting=yearly.indicator_weights["w"])
    with pytest.raises(NegativeValueError, match=r"x1 at \(r000, 2001\).*normalization='minmax'"):
        topsis(
            panel.assign(x1=panel["x1"] - panel["x1"].iloc[0] - 1e-3 * (panel.index == 0)),
            system,
            normalization="vector",
        )
    with pytest.raises(DegenerateIndexError, match="weights are undefined"):
        topsis(panel, system, weighting={"x0": 0.5, "x1": 0.5, "x2": 0.0, "x3": 0.0})
