"""Tests of coupling/data.py: indicator systems and panel validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coupling import IndicatorSystem
from coupling.data import panel_arrays
from coupling.exceptions import (
    DuplicateObservationError,
    IndicatorNotFoundError,
    InvalidOptionError,
    MissingValueError,
    PanelBalanceWarning,
    SpecificationError,
    UnbalancedPanelError,
)

from .conftest import random_panel


def test_system_properties():
    system = IndicatorSystem(
        {"manufacturing": {"a": "+", "b": "-"}, "services": [("c", "+")]},
        names_zh={"services": "生产性服务业"},
    )
    assert system.subsystems == ("manufacturing", "services")
    assert system.indicators == ("a", "b", "c")
    assert system.directions.tolist() == [1, -1, 1]
    assert system.groups.tolist() == [0, 0, 1]
    assert system.indicators_of("services") == ("c",)
    assert system.names_zh == {"manufacturing": "制造业", "services": "生产性服务业"}
    assert system.to_frame()["direction"].tolist() == ["+", "-", "+"]
    assert IndicatorSystem.from_frame(system.to_frame()) == system
    assert "IndicatorSystem" in repr(system)


def test_system_from_frame_accepts_words():
    spec = pd.DataFrame(
        {"subsystem": ["m", "s"], "indicator": ["a", "b"], "direction": ["positive", "Negative"]}
    )
    assert IndicatorSystem.from_frame(spec).directions.tolist() == [1, -1]


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({}, "at least one subsystem"),
        ({"m": {}}, "has no indicators"),
        ({"m": {"a": "up"}}, "direction 'up'"),
        ({"m": {"a": "+"}, "s": {"a": "+"}}, "'a' is listed twice"),
        ({"m": [("a", "+"), ("a", "-")]}, "'a' is listed twice"),
        ({"m": ["a"]}, "expected \\(indicator, direction\\) pairs"),
    ],
)
def test_system_errors(spec, match):
    with pytest.raises(SpecificationError, match=match):
        IndicatorSystem(spec)


def test_system_unknown_subsystem_lookup_suggests():
    system = IndicatorSystem({"manufacturing": {"a": "+"}, "services": {"b": "+"}})
    with pytest.raises(SpecificationError, match="Did you mean 'services'"):
        system.indicators_of("service")
    with pytest.raises(SpecificationError, match="unknown subsystems"):
        IndicatorSystem({"m": {"a": "+"}}, names_zh={"x": "未知"})
    with pytest.raises(SpecificationError, match="lacks column"):
        IndicatorSystem.from_frame(pd.DataFrame({"subsystem": ["m"]}))


def test_panel_arrays_layout_is_year_major_and_sorted():
    panel = random_panel(4, 3, 2).sample(frac=1.0, random_state=0)
    arrays = panel_arrays(panel, ["x0", "x1"], "region", "year")
    assert arrays.values.shape == (3, 4, 2)
    assert arrays.regions.tolist() == ["r000", "r001", "r002", "r003"]
    assert arrays.years.tolist() == [2001, 2002, 2003]
    row = panel[(panel.region == "r002") & (panel.year == 2003)]
    assert arrays.values[2, 2].tolist() == row[["x0", "x1"]].to_numpy().ravel().tolist()
    assert arrays.index()[0] == ("r000", 2001)


def test_missing_indicator_suggests_a_name():
    panel = random_panel(3, 2, 2)
    with pytest.raises(IndicatorNotFoundError, match="Did you mean 'x1'") as info:
        panel_arrays(panel, ["x0", "x_1"], "region", "year")
    assert isinstance(info.value, KeyError)
    with pytest.raises(IndicatorNotFoundError, match="region key 'province'"):
        panel_arrays(panel, ["x0"], "province", "year")


def test_non_numeric_value_is_located():
    panel = random_panel(3, 2, 2).astype({"x1": object})
    panel.loc[4, "x1"] = "n/a"
    with pytest.raises(MissingValueError, match=r"'x1': 1 cell\(s\), e.g. 'n/a' at \(r002, 2001\)"):
        panel_arrays(panel, ["x0", "x1"], "region", "year")


def test_missing_and_infinite_values_are_located():
    panel = random_panel(3, 2, 2)
    panel.loc[1, "x0"] = np.nan
    panel.loc[5, "x1"] = np.inf
    with pytest.raises(MissingValueError, match=r"2 missing or infinite.*'x0' at \(r000, 2002\)"):
        panel_arrays(panel, ["x0", "x1"], "region", "year")


def test_missing_key_label():
    panel = random_panel(3, 2, 1)
    panel.loc[0, "region"] = None
    with pytest.raises(MissingValueError, match="no region label"):
        panel_arrays(panel, ["x0"], "region", "year")


def test_duplicates_are_listed():
    panel = random_panel(3, 2, 1)
    panel = pd.concat([panel, panel.iloc[[2]]], ignore_index=True)
    with pytest.raises(DuplicateObservationError, match=r"\(r001, 2001\)"):
        panel_arrays(panel, ["x0"], "region", "year")


def test_duplicate_column_names():
    panel = random_panel(3, 2, 2)
    panel.columns = ["region", "year", "x0", "x0"]
    with pytest.raises(SpecificationError, match="named more than once"):
        panel_arrays(panel, ["x0"], "region", "year")


def test_unbalanced_error_and_drop():
    panel = random_panel(4, 3, 2)
    holes = panel.drop(index=[1, 5])  # (r000, 2002) and (r001, 2003)
    with pytest.raises(UnbalancedPanelError, match=r"2 region-year\(s\) are missing.*r000, r001"):
        panel_arrays(holes, ["x0", "x1"], "region", "year")
    with pytest.warns(PanelBalanceWarning, match=r"removed 2 region\(s\).*\(4 rows\): r000, r001"):
        arrays = panel_arrays(holes, ["x0", "x1"], "region", "year", balance="drop")
    assert arrays.regions.tolist() == ["r002", "r003"]
    assert arrays.dropped_regions == ("r000", "r001")
    expected = panel[panel.region.isin(["r002", "r003"])].sort_values(["year", "region"])
    np.testing.assert_array_equal(arrays.values.reshape(-1, 2), expected[["x0", "x1"]])
    lonely = panel[((panel.region == "r000") & (panel.year == 2001))
                   | ((panel.region == "r001") & (panel.year == 2002))]  # fmt: skip
    with pytest.raises(UnbalancedPanelError, match="No region is observed in every year"):
        panel_arrays(lonely, ["x0"], "region", "year", balance="drop")


def test_keys_required_without_multiindex():
    with pytest.raises(SpecificationError, match="two-level"):
        panel_arrays(random_panel(2, 2, 1), ["x0"])
    with pytest.raises(SpecificationError, match="year name is missing"):
        panel_arrays(random_panel(2, 2, 1), ["x0"], region="region")
    with pytest.raises(TypeError, match="DataFrame"):
        panel_arrays(np.zeros((2, 2)), ["x0"], "a", "b")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="balance="):
        panel_arrays(random_panel(2, 2, 1), ["x0"], "region", "year", balance="fill")  # type: ignore[arg-type]
