"""Fixtures of the figure tests: a real provincial panel."""

from __future__ import annotations

import pandas as pd
import pytest

from coupling.datasets import load_provincial_panel


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """rd_intensity of the 31 provinces, 2011-2023 (complete)."""
    data = load_provincial_panel()
    return data[data["year"] >= 2011].reset_index(drop=True)
