"""Shared fixtures of the coupling tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coupling import IndicatorSystem

REFERENCE = Path(__file__).with_name("reference")


@pytest.fixture(scope="session")
def toy_reference() -> dict:
    """Hand-worked toy panel (tests/coupling/reference/toy_panel.py)."""
    return json.loads((REFERENCE / "toy_panel.json").read_text(encoding="utf-8"))


@pytest.fixture
def toy_frame(toy_reference: dict) -> pd.DataFrame:
    rows = toy_reference["cases"][0]["rows"]
    frame = pd.DataFrame(rows, columns=["province", "year"])
    for name, values in toy_reference["raw"].items():
        frame[name] = np.asarray(values, dtype=float)
    return frame


@pytest.fixture
def toy_system(toy_reference: dict) -> IndicatorSystem:
    dirs = toy_reference["directions"]
    return IndicatorSystem(
        {sub: {m: dirs[m] for m in members} for sub, members in toy_reference["subsystems"].items()}
    )


def random_panel(n_regions: int, n_years: int, n_indicators: int, seed: int = 0) -> pd.DataFrame:
    """A long panel with log-normal indicators x0..x{J-1}, regions r000.., years from 2001."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "region": np.repeat([f"r{i:03d}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2001, 2001 + n_years), n_regions),
        }
    )
    values = rng.lognormal(size=(len(frame), n_indicators))
    return pd.concat(
        [frame, pd.DataFrame(values, columns=[f"x{j}" for j in range(n_indicators)])], axis=1
    )


def split_system(n_indicators: int) -> IndicatorSystem:
    """x0..x{J-1} split into manufacturing (first half) and services; x1 negative."""
    half = n_indicators // 2
    names = [f"x{j}" for j in range(n_indicators)]
    return IndicatorSystem(
        {
            "manufacturing": {n: ("-" if n == "x1" else "+") for n in names[:half]},
            "services": {n: "+" for n in names[half:]},
        }
    )
