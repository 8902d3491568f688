"""Tests of coupling/data.py: indicator systems and panel validation."""

from __future__ import annotations

import pandas as pd
import pytest

from coupling import IndicatorSystem
from coupling.exceptions import (
    SpecificationError,
)


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
