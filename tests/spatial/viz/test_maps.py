"""Tests of spatial/maps.py: choropleths, LISA maps and group trends render to real pictures.

Each picture is written as PNG to ``tmp_path`` and read back: the file must be larger than
10 kB, and the image must not be blank (pixel standard deviation > 0.05 and at least five
distinct colours). Chinese labels are drawn when a CJK font is installed; otherwise the clear
FontNotFoundError is checked (and it is checked on every machine with the font search
patched out).
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coupling.classify import TEN_TIER
from spatial.exceptions import (
    ColumnNotFoundError,
    DuplicateObservationError,
    FontNotFoundError,
    InvalidOptionError,
    SpecificationError,
)
from spatial.exploratory import LocalMoranResults, local_moran
from spatial.geography import ProvinceNameError
from spatial.viz import choropleth, find_cjk_font, lisa_map
from spatial.weights import china_provinces
from tests.spatial.viz.pictures import assert_picture, legend_texts


@pytest.fixture(scope="module")
def lisa(panel: pd.DataFrame) -> LocalMoranResults:
    return local_moran(panel, "rd_intensity", china_provinces(), "code", "year", years=[2023])


def degree(panel: pd.DataFrame) -> pd.DataFrame:
    """A D-like variable in [0, 1] for the ten tiers."""
    out = panel[panel["year"].isin([2015, 2023])].copy()
    out["D"] = np.sqrt(out["rd_intensity"] / out["rd_intensity"].max())
    return out


# ------------------------------------------------------------------------- choropleth
def test_choropleth_small_multiples_from_chinese_names(panel, tmp_path):
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    rc_before = dict(mpl.rcParams)
    path = tmp_path / "new" / "folder" / "rd.png"
    fig = choropleth(panel, "rd_intensity", region="province_zh", years=[2013, 2018, 2023],
                     scheme="natural_breaks", k=4, path=path)  # fmt: skip
    assert isinstance(fig, Figure)
    assert_picture(path)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["2013", "2018", "2023"]
    labels = legend_texts(fig)
    assert len(labels) == 5 and labels[-1] == "No data"  # 4 classes + Taiwan, HK, Macao
    assert plt.get_fignums() == open_before  # no pyplot state
    assert dict(mpl.rcParams) == rc_before


def test_choropleth_ten_tier_bands(panel, tmp_path):
    path = tmp_path / "tiers.png"
    fig = choropleth(degree(panel), "D", region="province_en", bands=TEN_TIER, ncols=2,
                     title="Coupling coordination degree", path=path)  # fmt: skip
    assert_picture(path)
    labels = legend_texts(fig)
    tiers = [lab for lab in labels if lab != "No data"]
    assert tiers and set(tiers) <= set(TEN_TIER.labels)
    assert tiers == sorted(tiers, key=TEN_TIER.labels.index)  # ordered, lowest first


def test_choropleth_single_year_without_other_units(panel, tmp_path):
    path = tmp_path / "one.png"
    fig = choropleth(panel, "rd_intensity", region="code", years=2023, include_other=False,
                     path=path)  # fmt: skip
    assert_picture(path)
    assert "No data" not in legend_texts(fig)


def test_choropleth_bad_input(panel):
    wrong = panel.replace({"province_en": {"Beijing": "Beijng", "Tibet": "Tibbet"}})
    with pytest.raises(ProvinceNameError, match=r"'Beijng' \(did you mean Beijing"):
        choropleth(wrong, "rd_intensity", region="province_en", years=2023)
    with pytest.raises(InvalidOptionError, match="choose one of"):
        choropleth(panel, "rd_intensity", region="code", scheme="jenks")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match=r"Year\(s\) 1999 are not in the table"):
        choropleth(panel, "rd_intensity", region="code", years=[1999])
    with pytest.raises(ColumnNotFoundError, match="'rd_intensty' are not in the table"):
        choropleth(panel, "rd_intensty", region="code")
    twice = pd.concat([panel, panel.assign(code="北京").iloc[:1]])  # Beijing spelled twice
    with pytest.raises(DuplicateObservationError, match=r"occur more than once: \(11, 2011\)"):
        choropleth(twice, "rd_intensity", region="code")
    hong_kong = pd.DataFrame({"code": ["81"], "year": [2023], "rd_intensity": [1.0]})
    with pytest.raises(SpecificationError, match="include_other=True draws"):
        choropleth(hong_kong, "rd_intensity", region="code", include_other=False)


# ------------------------------------------------------------------------- LISA map
def test_lisa_map_renders_categories(lisa, tmp_path):
    path = tmp_path / "lisa.png"
    fig = lisa_map(lisa, 2023, path=path)
    assert_picture(path)
    counts = lisa.counts().loc[2023]
    labels = legend_texts(fig)
    for name in ("HH", "LH", "LL", "HL", "not significant"):
        assert f"{name} ({counts[name]})" in labels


# ------------------------------------------------------------------------ Chinese labels
def test_chinese_labels_or_clear_font_error(panel, lisa, tmp_path):
    font = find_cjk_font()
    if font is None:
        with pytest.raises(FontNotFoundError, match="fonts-noto-cjk") as info:
            choropleth(degree(panel), "D", region="code", bands=TEN_TIER, language="zh")
        assert isinstance(info.value, RuntimeError)
        assert "language='en'" in str(info.value)
        return
    path = tmp_path / "zh.png"
    fig = choropleth(degree(panel), "D", region="code", bands=TEN_TIER, language="zh",
                     title="耦合协调度", path=path)  # fmt: skip
    assert_picture(path)
    labels = legend_texts(fig)
    assert set(labels) <= {*TEN_TIER.labels_zh, "无数据"}
    assert fig.legends[0].get_texts()[0].get_fontfamily()[0] == font
    lisa_path = tmp_path / "lisa_zh.png"
    lisa_fig = lisa_map(lisa, 2023, language="zh", path=lisa_path)
    assert_picture(lisa_path)
    assert any(text.startswith("高-高") for text in legend_texts(lisa_fig))
