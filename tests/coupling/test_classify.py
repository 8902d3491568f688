"""Tests for coupling/classify.py: band schemes, tiers and relative-development lag types.

Expected labels are the ones listed in the project specification (ten tiers of D in steps
of 0.1, four stages of C cut at 0.3 / 0.5 / 0.8, lag types at E = 0.9 and 1.1), with the
band edges taken as exact decimals.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from coupling.classify import (
    FOUR_STAGE,
    TEN_TIER,
    Bands,
    band_codes,
    classify,
    relative_development,
)
from coupling.exceptions import (
    DegenerateIndexError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)

# Source: project specification, ten-tier scale of D (lowest first).
TEN_EN = [
    "extreme imbalance",
    "severe imbalance",
    "moderate imbalance",
    "mild imbalance",
    "on the verge of imbalance",
    "barely coordinated",
    "primary coordination",
    "intermediate coordination",
    "good coordination",
    "high-quality coordination",
]
TEN_ZH = [
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
]
# Source: project specification, four-stage scale of C.
FOUR_EN = ["low-level coupling", "antagonism", "running-in", "high-level coupling"]
FOUR_ZH = ["低水平耦合", "拮抗", "磨合", "高水平耦合"]


# --------------------------------------------------------------------------------------
# Ten-tier scale
# --------------------------------------------------------------------------------------


def test_ten_tier_labels_in_order() -> None:
    assert list(TEN_TIER.labels) == TEN_EN
    assert list(TEN_TIER.labels_zh) == TEN_ZH
    # edges 0, 0.1, ..., 1.0 as exact decimals
    assert TEN_TIER.edges == (*(float(f"0.{i}") for i in range(10)), 1.0)


@pytest.mark.parametrize("closed", ["left", "right"])
def test_ten_tier_midpoints_in_order(closed: str) -> None:
    mids = [0.05 + 0.1 * i for i in range(10)]
    assert classify(mids, closed=closed).tolist() == TEN_EN
    assert classify(mids, closed=closed, language="zh").tolist() == TEN_ZH


def test_ten_tier_edges_left_closed() -> None:
    out = classify([0.0, 0.1, 0.3, 0.65, 1.0])
    assert out.tolist() == [
        "extreme imbalance",
        "severe imbalance",  # [0.1, 0.2)
        "mild imbalance",  # [0.3, 0.4)
        "primary coordination",
        "high-quality coordination",  # 1.0 in the top band
    ]


def test_ten_tier_edges_right_closed() -> None:
    out = classify([0.0, 0.1, 0.3, 0.65, 1.0], closed="right")
    assert out.tolist() == [
        "extreme imbalance",  # bottom edge in the bottom band
        "extreme imbalance",  # (0, 0.1]
        "moderate imbalance",  # (0.2, 0.3]
        "primary coordination",
        "high-quality coordination",
    ]


def test_ten_tier_chinese() -> None:
    assert classify([0.65], language="zh").tolist() == ["初级协调"]
    assert classify([1.0], language="zh", closed="right").tolist() == ["优质协调"]


def test_band_codes_both_closures() -> None:
    values = [0.0, 0.1, 0.15, 0.9, 0.95, 1.0]
    np.testing.assert_array_equal(band_codes(values, TEN_TIER.edges), [0, 1, 1, 9, 9, 9])
    np.testing.assert_array_equal(
        band_codes(values, TEN_TIER.edges, closed="right"), [0, 0, 1, 8, 9, 9]
    )


# --------------------------------------------------------------------------------------
# Four-stage scale
# --------------------------------------------------------------------------------------


def test_four_stage_labels() -> None:
    assert list(FOUR_STAGE.labels) == FOUR_EN
    assert list(FOUR_STAGE.labels_zh) == FOUR_ZH
    assert FOUR_STAGE.edges == (0.0, 0.3, 0.5, 0.8, 1.0)


def test_four_stage_cut_points() -> None:
    values = [0.2, 0.3, 0.5, 0.8, 0.9]
    assert classify(values, "four_stage").tolist() == [
        "low-level coupling",
        "antagonism",
        "running-in",
        "high-level coupling",
        "high-level coupling",
    ]
    assert classify(values, FOUR_STAGE, closed="right").tolist() == [
        "low-level coupling",
        "low-level coupling",
        "antagonism",
        "running-in",
        "high-level coupling",
    ]
    assert classify(values, "four_stage", language="zh").tolist() == [
        "低水平耦合",
        "拮抗",
        "磨合",
        "高水平耦合",
        "高水平耦合",
    ]


# --------------------------------------------------------------------------------------
# User-defined bands, output form, tolerance
# --------------------------------------------------------------------------------------


def test_user_defined_bands() -> None:
    three = Bands("three", [0, 0.4, 0.7, 1], ["low", "middle", "high"], ["低", "中", "高"])
    assert three.edges == (0.0, 0.4, 0.7, 1.0)
    assert classify([0.1, 0.4, 0.69, 1.0], three).tolist() == ["low", "middle", "middle", "high"]
    assert classify([0.1, 0.4, 0.7], three, closed="right", language="zh").tolist() == [
        "低",
        "低",
        "中",
    ]


def test_user_bands_default_chinese_labels_are_english() -> None:
    three = Bands("three", [0, 0.4, 0.7, 1], ["low", "middle", "high"])
    assert three.labels_zh == ("low", "middle", "high")
    assert classify([0.8], three, language="zh").tolist() == ["high"]


def test_user_bands_other_range() -> None:
    scores = Bands("scores", [0, 50, 100], ["fail", "pass"])
    assert classify([0, 49.9, 50, 100], scores).tolist() == ["fail", "fail", "pass", "pass"]


def test_series_keeps_index_and_name() -> None:
    index = pd.MultiIndex.from_tuples(
        [("Beijing", 2020), ("Tianjin", 2020), ("Hebei", 2021)], names=["province", "year"]
    )
    d = pd.Series([0.05, 0.65, 0.92], index=index, name="D")
    out = classify(d)
    pd.testing.assert_index_equal(out.index, index)
    assert out.name == "D"
    assert out.tolist() == [
        "extreme imbalance",
        "primary coordination",
        "high-quality coordination",
    ]


def test_result_is_ordered_categorical() -> None:
    out = classify(np.array([0.65, 0.05, 0.35]))
    assert isinstance(out.dtype, pd.CategoricalDtype)
    assert out.cat.ordered
    assert list(out.cat.categories) == TEN_EN
    np.testing.assert_array_equal(out.cat.codes.to_numpy(), [6, 0, 3])
    assert out.iloc[1] < out.iloc[2] < out.iloc[0]
    assert out.max() == "primary coordination"
    zh = classify(np.array([0.65]), language="zh")
    assert list(zh.cat.categories) == TEN_ZH


def test_tolerance_at_top_edge() -> None:
    # 1.00005 lies 5e-5 above the top edge
    assert classify([1.00005], tolerance=5e-5).tolist() == ["high-quality coordination"]
    assert classify([1.00005], tolerance=1e-4).tolist() == ["high-quality coordination"]
    with pytest.raises(InvalidOptionError, match=r"outside the band range \[0\.0, 1\.0\]"):
        classify([1.00005], tolerance=4.9e-5)
    with pytest.raises(InvalidOptionError, match="tolerance 0"):
        classify([1.00005])


def test_tolerance_at_bottom_edge() -> None:
    assert classify([-5e-5], tolerance=5e-5, closed="right").tolist() == ["extreme imbalance"]
    assert classify([-5e-5], tolerance=5e-5).tolist() == ["extreme imbalance"]


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def test_value_outside_unit_interval() -> None:
    with pytest.raises(InvalidOptionError, match=r"1 value\(s\) are missing or outside"):
        classify([0.5, 1.2])
    with pytest.raises(InvalidOptionError, match=re.escape("-0.1")):
        classify([-0.1])


def test_missing_value() -> None:
    with pytest.raises(InvalidOptionError, match="missing or outside the band range"):
        classify([0.5, np.nan])
    with pytest.raises(InvalidOptionError, match="missing"):
        band_codes(pd.Series([np.nan]), TEN_TIER.edges)


def test_unknown_scheme() -> None:
    listing = re.escape("choose one of 'ten_tier', 'four_stage'")
    with pytest.raises(InvalidOptionError, match=listing):
        classify([0.5], "five_tier")


def test_bad_closure() -> None:
    with pytest.raises(InvalidOptionError, match=r"closed='both' is not supported"):
        classify([0.5], closed="both")
    with pytest.raises(InvalidOptionError, match=r"choose one of 'left', 'right'"):
        band_codes([0.5], TEN_TIER.edges, closed="neither")


def test_bad_language() -> None:
    with pytest.raises(InvalidOptionError, match=r"language='fr' is not supported"):
        classify([0.5], language="fr")


@pytest.mark.parametrize(
    "edges", [[0, 0.5, 0.5, 1], [0, 0.7, 0.4, 1], [0, np.nan, 1], [0]], ids=str
)
def test_bands_edges_not_increasing(edges: list[float]) -> None:
    labels = ["x"] * max(len(edges) - 1, 1)
    with pytest.raises(SpecificationError, match="strictly increasing"):
        Bands("bad", edges, labels)


def test_bands_wrong_label_count() -> None:
    with pytest.raises(SpecificationError, match="4 edges make 3 bands, but 2 labels"):
        Bands("bad", [0, 0.4, 0.7, 1], ["low", "high"])
    with pytest.raises(SpecificationError, match="labels_zh must have one label per band"):
        Bands("bad", [0, 0.4, 0.7, 1], ["low", "middle", "high"], ["低", "高"])


# --------------------------------------------------------------------------------------
# Relative development E = U1 / U2
# --------------------------------------------------------------------------------------


def test_relative_development_values_and_labels() -> None:
    out = relative_development([0.3, 0.9, 0.6, 1.1, 0.7], [0.6, 1.0, 0.6, 1.0, 0.5])
    # Source: E by hand: 0.3/0.6 = 0.5, 0.9/1 = 0.9, 0.6/0.6 = 1, 1.1/1 = 1.1, 0.7/0.5 = 1.4
    np.testing.assert_allclose(out["E"].to_numpy(), [0.5, 0.9, 1.0, 1.1, 1.4], rtol=1e-12)
    assert list(out.columns) == ["E", "lag_type", "lag_type_zh"]
    assert out["lag_type"].tolist() == [
        "manufacturing lags",
        "synchronous",  # E = 0.9 exactly: inclusive
        "synchronous",
        "synchronous",  # E = 1.1 exactly: inclusive
        "services lags",
    ]
    assert out["lag_type_zh"].tolist() == [
        "制造业滞后型",
        "同步发展型",
        "同步发展型",
        "同步发展型",
        "服务业滞后型",
    ]


def test_relative_development_just_outside_thresholds() -> None:
    out = relative_development([0.8999, 1.1001], [1.0, 1.0])
    assert out["lag_type"].tolist() == ["manufacturing lags", "services lags"]


def test_relative_development_categoricals_are_ordered() -> None:
    out = relative_development([1.0], [1.0])
    assert out["lag_type"].cat.ordered
    assert list(out["lag_type"].cat.categories) == [
        "manufacturing lags",
        "synchronous",
        "services lags",
    ]
    assert list(out["lag_type_zh"].cat.categories) == ["制造业滞后型", "同步发展型", "服务业滞后型"]


def test_relative_development_series_keeps_index() -> None:
    index = pd.Index(["Beijing", "Shanghai"], name="province")
    out = relative_development(
        pd.Series([0.2, 0.8], index=index), pd.Series([0.5, 0.5], index=index)
    )
    pd.testing.assert_index_equal(out.index, index)
    assert out["lag_type"].tolist() == ["manufacturing lags", "services lags"]


def test_relative_development_custom_names() -> None:
    out = relative_development([0.2, 0.5, 0.9], [0.5, 0.5, 0.5], names=("industry", "tourism"))
    assert out["lag_type"].tolist() == ["industry lags", "synchronous", "tourism lags"]
    # without names_zh, unknown names are used as they are
    assert out["lag_type_zh"].tolist() == ["industry滞后型", "同步发展型", "tourism滞后型"]
    out_zh = relative_development(
        [0.2, 0.9],
        [0.5, 0.5],
        names=("industry", "tourism"),
        names_zh={"industry": "工业", "tourism": "旅游业"},
    )
    assert out_zh["lag_type_zh"].tolist() == ["工业滞后型", "旅游业滞后型"]


def test_relative_development_names_zh_overrides_known() -> None:
    out = relative_development([0.2], [0.5], names_zh={"manufacturing": "制造"})
    assert out["lag_type_zh"].tolist() == ["制造滞后型"]


def test_relative_development_custom_thresholds() -> None:
    out = relative_development([0.7, 0.8, 1.2, 1.25], [1.0] * 4, thresholds=(0.8, 1.2))
    assert out["lag_type"].tolist() == [
        "manufacturing lags",
        "synchronous",
        "synchronous",
        "services lags",
    ]
    # low == high is allowed: only E exactly 1 is synchronous
    out = relative_development([0.99, 1.0, 1.01], [1.0] * 3, thresholds=(1.0, 1.0))
    assert out["lag_type"].tolist() == ["manufacturing lags", "synchronous", "services lags"]


@pytest.mark.parametrize("u_second", [[0.5, 0.0], [0.5, -0.2]], ids=["zero", "negative"])
def test_relative_development_second_not_positive(u_second: list[float]) -> None:
    with pytest.raises(DegenerateIndexError, match=r"undefined where U_services <= 0"):
        relative_development([0.3, 0.4], u_second)


@pytest.mark.parametrize(
    "thresholds", [(1.1, 0.9), (0.0, 1.1), (-0.5, 1.1), (0.9, np.inf)], ids=str
)
def test_relative_development_bad_thresholds(thresholds: tuple[float, float]) -> None:
    with pytest.raises(SpecificationError, match=r"thresholds must satisfy 0 < low <= high"):
        relative_development([0.3], [0.5], thresholds=thresholds)


@pytest.mark.parametrize(
    ("u_first", "u_second"),
    [([np.nan, 0.5], [0.5, 0.5]), ([0.5, 0.5], [0.5, np.nan]), ([np.inf], [0.5])],
    ids=["missing-first", "missing-second", "infinite"],
)
def test_relative_development_missing_index(u_first: list[float], u_second: list[float]) -> None:
    # A missing U must not be labelled (NaN compares false with both thresholds and would
    # otherwise fall into the synchronous band).
    with pytest.raises(MissingValueError, match="found missing values"):
        relative_development(u_first, u_second)
