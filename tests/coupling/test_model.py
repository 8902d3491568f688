"""Tests of coupling/model.py and coupling/results.py: the whole pipeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling import Bands, CouplingCoordination, IndicatorSystem
from coupling.exceptions import (
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    SpecificationError,
)
from coupling.model import _stored_by_region
from spatial._core.panel import panel_arrays

from .conftest import random_panel, split_system

TOY_RTOL = 1e-12  # pure-Python reference, same formulas: agreement to rounding


@pytest.mark.parametrize("case", [0, 1], ids=["shift0", "shift1e-4"])
def test_toy_panel_every_intermediate(toy_reference, toy_frame, toy_system, case):
    ref = toy_reference["cases"][case]
    res = CouplingCoordination(toy_system, shift=ref["shift"]).fit(toy_frame, "province", "year")
    weights = res.indicator_weights.droplevel("subsystem")
    for name in toy_reference["raw"]:
        assert weights.loc[name, "e"] == pytest.approx(ref["e"][name], rel=TOY_RTOL)
        assert weights.loc[name, "d"] == pytest.approx(ref["d"][name], rel=TOY_RTOL)
        assert weights.loc[name, "w"] == pytest.approx(ref["w"][name], rel=TOY_RTOL)
        assert weights.loc[name, "min"] == min(toy_reference["raw"][name])
        assert weights.loc[name, "max"] == max(toy_reference["raw"][name])
    # the package sorts by (region, year); the reference lists year 1 then year 2
    order = [toy_reference["cases"][case]["rows"].index([r, y]) for r, y in res.scores.index]
    for sub in ("manufacturing", "services"):
        np.testing.assert_allclose(
            res.indices[sub], np.asarray(ref["U"][sub])[order], rtol=TOY_RTOL
        )
    for col in ("C", "T", "D", "E"):
        np.testing.assert_allclose(res.scores[col], np.asarray(ref[col])[order], rtol=TOY_RTOL)
    assert res.scores["tier"].tolist() == [ref["tier"][i] for i in order]
    assert res.scores["lag_type"].tolist() == [ref["lag_type"][i] for i in order]
    for variant in ("wang2021", "fan2024"):
        other = CouplingCoordination(toy_system, shift=ref["shift"], variant=variant)
        d = other.fit(toy_frame, "province", "year").scores["D"]
        np.testing.assert_allclose(d, np.asarray(ref[f"D_{variant}"])[order], rtol=TOY_RTOL)


def test_toy_standardized_values_are_the_hand_fractions(toy_reference, toy_frame, toy_system):
    """z and p of the reference are the package's standardize/entropy intermediates."""
    from coupling import entropy_weights, standardize

    ref = toy_reference["cases"][1]
    names = list(toy_reference["raw"])
    x = toy_frame[names].to_numpy()
    z = standardize(x, toy_system.directions, shift=1e-4)
    np.testing.assert_allclose(z, np.column_stack([ref["z"][n] for n in names]), rtol=TOY_RTOL)
    res = entropy_weights(z, toy_system.groups)
    np.testing.assert_allclose(res.entropy, [ref["e"][n] for n in names], rtol=TOY_RTOL)


def test_top_tier_holds_d_lifted_above_one_by_the_shift(toy_frame, toy_system):
    res = CouplingCoordination(toy_system).fit(toy_frame, "province", "year")
    top = res.scores.loc[("C", 2)]
    assert top["D"] > 1.0  # region C is best on every indicator in year 2
    assert top["tier"] == "high-quality coordination"
    assert top["tier_zh"] == "优质协调"


def test_multiindex_input_and_input_unchanged(toy_frame, toy_system):
    before = toy_frame.copy(deep=True)
    by_columns = CouplingCoordination(toy_system).fit(toy_frame, region="province", year="year")
    pd.testing.assert_frame_equal(toy_frame, before)
    indexed = toy_frame.set_index(["province", "year"])
    by_index = CouplingCoordination(toy_system).fit(indexed)
    pd.testing.assert_frame_equal(by_columns.scores, by_index.scores)
    assert by_index.scores.index.names == ["province", "year"]


def test_results_are_immutable(toy_frame, toy_system):
    res = CouplingCoordination(toy_system).fit(toy_frame, "province", "year")
    scores = res.scores
    scores.loc[:, "D"] = -1.0
    assert (res.scores["D"] > 0).all()
    with pytest.raises(AttributeError, match="immutable"):
        res.scores = scores  # type: ignore[misc]
    with pytest.raises(TypeError):
        res.options["shift"] = 1.0  # type: ignore[index]


def test_options_recorded(toy_frame, toy_system):
    res = CouplingCoordination(
        toy_system, shift=0.01, alpha={"manufacturing": 0.4, "services": 0.6}, closed="right"
    ).fit(toy_frame, "province", "year")
    opts = res.options
    assert opts["shift"] == 0.01
    assert opts["alpha"] == {"manufacturing": 0.4, "services": 0.6}
    assert opts["closed"] == "right" and opts["bands"] == "ten_tier"
    assert (opts["n_regions"], opts["n_years"]) == (3, 2)
    assert "version" in opts
    u = res.indices
    np.testing.assert_allclose(
        res.scores["T"], 0.4 * u["manufacturing"] + 0.6 * u["services"], rtol=1e-15
    )


def test_by_period_equals_scoring_each_year_alone():
    panel = random_panel(12, 4, 6, seed=3)
    system = split_system(6)
    model = CouplingCoordination(system, pooling="by_period")
    res = model.fit(panel, "region", "year")
    for year, one_year in panel.groupby("year"):
        alone = CouplingCoordination(system).fit(one_year, "region", "year")
        np.testing.assert_allclose(
            res.indicator_weights.xs(year, level="year")["w"],
            alone.indicator_weights["w"],
            rtol=1e-13,
        )
        np.testing.assert_allclose(
            res.scores.xs(year, level="year")["D"],
            alone.scores.xs(year, level="year")["D"],
            rtol=1e-13,
        )


@pytest.mark.parametrize("weighting", ["critic", "cv", "equal"])
def test_other_weightings_feed_the_same_pipeline(weighting):
    from coupling import composite_index, critic_weights, cv_weights, standardize

    panel = random_panel(10, 3, 6, seed=5)
    system = split_system(6)
    res = CouplingCoordination(system, weighting=weighting).fit(panel, "region", "year")
    ordered = panel.sort_values(["year", "region"])
    z = standardize(ordered[list(system.indicators)].to_numpy(), system.directions)
    w = {
        "critic": lambda: critic_weights(z, system.groups).weight,
        "cv": lambda: cv_weights(z, system.groups).weight,
        "equal": lambda: np.array([1 / 3] * 6),
    }[weighting]()
    np.testing.assert_allclose(res.indicator_weights["w"], w, rtol=1e-13)
    u = composite_index(z, w, system.groups)
    expected = pd.DataFrame(u, columns=system.subsystems, index=pd.MultiIndex.from_frame(
        ordered[["region", "year"]]
    )).sort_index()  # fmt: skip
    np.testing.assert_allclose(res.indices.to_numpy(), expected.to_numpy(), rtol=1e-13)


def test_user_weights():
    panel = random_panel(8, 3, 4, seed=1)
    system = split_system(4)
    fixed = {"x0": 0.25, "x1": 0.75, "x2": 0.5, "x3": 0.5}
    res = CouplingCoordination(system, weighting=fixed).fit(panel, "region", "year")
    assert res.indicator_weights["w"].tolist() == [0.25, 0.75, 0.5, 0.5]
    assert res.options["weighting"] == "user"
    with pytest.raises(SpecificationError, match="sum to 1 within each subsystem"):
        CouplingCoordination(system, weighting={**fixed, "x0": 0.5})
    with pytest.raises(SpecificationError, match="missing \\['x3'\\]"):
        CouplingCoordination(system, weighting={"x0": 0.25, "x1": 0.75, "x2": 1.0})


def test_constant_indicator_raise_or_drop():
    panel = random_panel(6, 3, 4, seed=2)
    panel["x3"] = 7.0
    system = split_system(4)
    with pytest.raises(ConstantIndicatorError, match="x3"):
        CouplingCoordination(system).fit(panel, "region", "year")
    res = CouplingCoordination(system, constant="drop").fit(panel, "region", "year")
    w = res.indicator_weights["w"]
    assert w.loc[("services", "x3")] == 0.0
    assert w.loc[("services", "x2")] == pytest.approx(1.0, rel=1e-15)
    panel["x2"] = 1.0
    with pytest.raises(ConstantIndicatorError, match="Every indicator of subsystem 'services'"):
        CouplingCoordination(system, constant="drop").fit(panel, "region", "year")


def test_constant_within_one_year_names_the_year():
    panel = random_panel(5, 3, 4, seed=4)
    panel.loc[panel["year"] == 2002, "x0"] = 3.0
    with pytest.raises(ConstantIndicatorError, match="x0 in 2002"):
        CouplingCoordination(split_system(4), pooling="by_period").fit(panel, "region", "year")


def test_perfectly_correlated_critic_subsystem_is_an_error():
    panel = random_panel(6, 2, 4, seed=9)
    panel["x1"] = -3.0 * panel["x0"]  # x1 is negative: same ranking as x0
    with pytest.raises(DegenerateIndexError, match=r"critic weights are undefined.*manufacturing"):
        CouplingCoordination(split_system(4), weighting="critic").fit(panel, "region", "year")


def test_all_zero_composite_is_an_error_with_shift_zero():
    frame = pd.DataFrame({"r": ["a", "b", "c"], "y": [1, 1, 1], "m": [0.0, 1, 2], "s": [0.0, 2, 1]})
    system = IndicatorSystem({"manufacturing": {"m": "+"}, "services": {"s": "+"}})
    with pytest.raises(DegenerateIndexError, match=r"\('a', 1\).*shift > 0"):
        CouplingCoordination(system, shift=0.0).fit(frame, "r", "y")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weighting": "topsis"}, "weighting='topsis' is not supported"),
        ({"pooling": "yearly"}, "'panel', 'by_period'"),
        ({"variant": "liu"}, "'standard', 'wang2021', 'fan2024'"),
        ({"bands": "five_tier"}, "'ten_tier', 'four_stage'"),
        ({"closed": "both"}, "closed="),
        ({"constant": "zero"}, "constant="),
        ({"balance": "fill"}, "balance="),
        ({"shift": -1.0}, "shift must be"),
    ],
)
def test_unknown_options_are_refused(toy_system, kwargs, match):
    with pytest.raises(InvalidOptionError, match=match):
        CouplingCoordination(toy_system, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": [0.3, 0.6]}, "sum to 1"),
        ({"lag_thresholds": (1.1, 0.9)}, "lag_thresholds"),
        ({"ratio": ("services", "services")}, "two different subsystems"),
    ],
)
def test_bad_specifications_are_refused(toy_system, kwargs, match):
    with pytest.raises(SpecificationError, match=match):
        CouplingCoordination(toy_system, **kwargs)


def test_one_subsystem_is_refused():
    with pytest.raises(SpecificationError, match="at least two subsystems"):
        CouplingCoordination(IndicatorSystem({"manufacturing": {"a": "+"}}))


def test_user_bands_and_custom_lag_thresholds(toy_frame, toy_system):
    bands = Bands("three", [0, 0.5, 0.7, 1], ["low", "middle", "high"], ["低", "中", "高"])
    res = CouplingCoordination(toy_system, bands=bands, lag_thresholds=(0.5, 2.0)).fit(
        toy_frame, "province", "year"
    )
    d = res.scores["D"]
    expected = np.where(d < 0.5, "low", np.where(d < 0.7, "middle", "high"))
    assert res.scores["tier"].tolist() == expected.tolist()
    e = res.scores["E"]
    assert (res.scores["lag_type"] == "synchronous").tolist() == ((e >= 0.5) & (e <= 2.0)).tolist()


def test_three_subsystems_and_ratio_choice():
    panel = random_panel(9, 3, 6, seed=8)
    system = IndicatorSystem(
        {"manufacturing": {"x0": "+", "x1": "+"}, "services": {"x2": "+", "x3": "+"},
         "innovation": {"x4": "+", "x5": "+"}}
    )  # fmt: skip
    res = CouplingCoordination(system, ratio=("innovation", "services")).fit(
        panel, "region", "year"
    )
    u = res.indices
    np.testing.assert_allclose(res.scores["E"], u["innovation"] / u["services"], rtol=1e-15)
    assert set(res.scores["lag_type"].cat.categories) == {
        "innovation lags", "synchronous", "services lags"
    }  # fmt: skip
    cube = u.to_numpy()
    standard = 3 * (cube.prod(axis=1) / cube.sum(axis=1) ** 3) ** (1 / 3)
    np.testing.assert_allclose(res.scores["C"], standard, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_permuting_rows_changes_nothing(seed):
    panel = random_panel(7, 3, 4, seed=11)
    system = split_system(4)
    base = CouplingCoordination(system).fit(panel, "region", "year")
    shuffled = panel.sample(frac=1.0, random_state=seed)
    again = CouplingCoordination(system).fit(shuffled, "region", "year")
    pd.testing.assert_frame_equal(base.scores, again.scores, rtol=1e-13)
    pd.testing.assert_frame_equal(base.indicator_weights, again.indicator_weights, rtol=1e-13)


@settings(max_examples=25, deadline=None)
@given(
    factor=st.floats(1e-3, 1e3),
    offset=st.floats(-100, 100),
    column=st.sampled_from(["x0", "x1", "x2", "x3"]),
)
def test_weights_invariant_to_rescaling_an_indicator(factor, offset, column):
    panel = random_panel(7, 3, 4, seed=12)
    system = split_system(4)
    base = CouplingCoordination(system).fit(panel, "region", "year")
    scaled = panel.assign(**{column: panel[column] * factor + offset})
    again = CouplingCoordination(system).fit(scaled, "region", "year")
    np.testing.assert_allclose(again.indicator_weights["w"], base.indicator_weights["w"], rtol=1e-9)
    np.testing.assert_allclose(again.scores["D"], base.scores["D"], rtol=1e-9)


def test_to_frame_and_summary(toy_frame, toy_system):
    res = CouplingCoordination(toy_system).fit(toy_frame, "province", "year")
    long = res.to_frame()
    assert list(long.columns[:4]) == ["province", "year", "U_manufacturing", "U_services"]
    assert len(long) == 6 and {"C", "T", "D", "tier", "tier_zh", "lag_type"} <= set(long.columns)
    merged = toy_frame.merge(long, on=["province", "year"])
    assert len(merged) == 6
    summary = res.summary()
    text = str(summary)
    assert "Indicator weights" in text and "Tier counts by year" in text
    assert "<table" in summary.as_html()
    assert "tabular" in summary.as_latex()
    assert "CouplingResults" in repr(res)


def test_equal_indices_give_coupling_exactly_one():
    """Equal U in every subsystem: C = 1 exactly (the AM-GM bound), even after rounding."""
    frame = pd.DataFrame({"r": ["a", "a"], "y": [1, 2], "m": [3.0, 7.0], "s1": [1.0, 5.0],
                          "s2": [10.0, 30.0]})  # fmt: skip
    system = IndicatorSystem({"manufacturing": {"m": "+"}, "services": {"s1": "+", "s2": "+"}})
    res = CouplingCoordination(system, weighting="equal").fit(frame, "r", "y")
    assert (res.scores["C"] == 1.0).all()
    assert res.scores["coupling_stage"].tolist() == ["high-level coupling"] * 2


@pytest.mark.parametrize("rows", [21, 6_000])  # below and above the block read of the columns
@pytest.mark.parametrize("pooling", ["panel", "by_period"])
def test_rows_by_region_by_year_or_shuffled_score_alike(rows, pooling):
    """The pooled engine computes in the order the rows are stored when they are sorted by
    region (no copy); sorted by year or shuffled, the same scores, weights and bootstrap."""
    panel = random_panel(rows // 3, 3, 4, seed=5).sort_values(["region", "year"])
    stored = panel_arrays(panel, ["x0", "x1", "x2", "x3"], "region", "year").values
    assert _stored_by_region(stored)  # sorted by region: the engine reads the rows in place
    system = split_system(4)
    model = CouplingCoordination(system, pooling=pooling)
    fits = [
        model.fit(frame, "region", "year", bootstrap=20, seed=1)
        for frame in (panel, panel.sort_values(["year", "region"]),
                      panel.sample(frac=1.0, random_state=2))
    ]  # fmt: skip
    for other in fits[1:]:
        pd.testing.assert_frame_equal(fits[0].scores, other.scores, rtol=1e-12)
        pd.testing.assert_frame_equal(fits[0].indicator_weights, other.indicator_weights,
                                      rtol=1e-12)  # fmt: skip
        pd.testing.assert_frame_equal(fits[0].bootstrap.D, other.bootstrap.D, rtol=1e-12)
