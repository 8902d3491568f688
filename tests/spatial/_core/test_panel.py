"""Tests of spatial/_core/panel.py: the one panel validator of the toolkit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial._core.errors import (
    ColumnNotFoundError,
    DuplicateObservationError,
    InvalidOptionError,
    MissingValueError,
    PanelBalanceWarning,
    SpecificationError,
    UnbalancedPanelError,
)
from spatial._core.panel import panel_arrays, require_columns


def random_panel(n_regions: int, n_years: int, n_columns: int, seed: int = 0) -> pd.DataFrame:
    """Long panel, region-major rows: regions r000.., years from 2001, columns x0..x{K-1}."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "region": np.repeat([f"r{i:03d}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2001, 2001 + n_years), n_regions),
        }
    )
    values = rng.lognormal(size=(len(frame), n_columns))
    return pd.concat([frame, pd.DataFrame(values, columns=[f"x{j}" for j in range(n_columns)])],
                     axis=1)  # fmt: skip


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
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'x1'") as info:
        panel_arrays(panel, ["x0", "x_1"], "region", "year")
    assert isinstance(info.value, KeyError)
    with pytest.raises(ColumnNotFoundError, match="region key 'province'"):
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


def test_allow_missing_keeps_gaps_as_nan():
    panel = random_panel(3, 2, 1).drop(index=[1])  # (r000, 2002) absent
    panel.loc[2, "x0"] = np.nan  # (r001, 2001) missing
    arrays = panel_arrays(panel, ["x0"], "region", "year", allow_missing=True)
    assert np.isnan(arrays.values[1, 0, 0]) and np.isnan(arrays.values[0, 1, 0])
    assert np.isfinite(arrays.values).sum() == 4
    assert arrays.where(np.isnan(arrays.values[:, :, 0])) == ["(r001, 2001)", "(r000, 2002)"]


def test_require_columns_lists_every_missing_column():
    panel = random_panel(2, 2, 1)
    with pytest.raises(ColumnNotFoundError, match=r"'x9', 'yr' are not in the table") as info:
        require_columns(panel, ["x0", "x9", "yr"])
    assert isinstance(info.value, KeyError)


def test_the_callers_frame_is_not_modified():
    panel = random_panel(3, 2, 2).sample(frac=1.0, random_state=1)
    before = panel.copy()
    panel_arrays(panel, ["x0", "x1"], "region", "year")
    pd.testing.assert_frame_equal(panel, before)


@pytest.mark.parametrize("layout", ["region-major", "year-major", "shuffled", "reversed"])
def test_sorted_and_shuffled_rows_give_the_same_arrays(layout):
    """A frame sorted by region then year, or by year then region, takes the fast path
    (no factorization); shuffled or reverse-sorted rows take the general one; all four
    give the same arrays, computed here by an explicit pivot."""
    from spatial._core.panel import _sorted_grid

    frame = random_panel(7, 5, 2, seed=3)
    if layout == "year-major":
        frame = frame.sort_values(["year", "region"])
    elif layout == "shuffled":
        frame = frame.sample(frac=1.0, random_state=1)
    elif layout == "reversed":
        frame = frame.iloc[::-1]
    fast = _sorted_grid(frame["region"].to_numpy(), frame["year"].to_numpy())
    assert (fast is not None) == (layout in ("region-major", "year-major"))
    panel = panel_arrays(frame, ["x0", "x1"], "region", "year")
    for k, column in enumerate(["x0", "x1"]):
        expected = frame.pivot(index="year", columns="region", values=column).sort_index()
        np.testing.assert_array_equal(panel.values[:, :, k], expected.to_numpy())
    assert list(panel.regions) == sorted(frame["region"].unique())
    assert list(panel.years) == list(range(2001, 2006))


def test_spellings_merged_on_a_sorted_frame_leave_the_fast_path():
    """内蒙古 and 内蒙古自治区 in every year form a sorted grid of three labels; merged into
    one province they are two rows per year, which the general route reports."""
    frame = pd.DataFrame({
        "region": ["内蒙古", "内蒙古自治区", "北京"] * 2, "year": [2020] * 3 + [2021] * 3,
        "x": np.arange(6.0),
    })  # fmt: skip
    with pytest.warns(UserWarning, match="unified"):
        with pytest.raises(DuplicateObservationError, match="more than once"):
            panel_arrays(frame, ["x"], "region", "year")
