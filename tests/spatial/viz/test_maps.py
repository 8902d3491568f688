"""Tests of spatial/maps.py: choropleths, LISA maps and group trends render to real pictures.

Each picture is written as PNG to ``tmp_path`` and read back: the file must be larger than
10 kB, and the image must not be blank (pixel standard deviation > 0.05 and at least five
distinct colours). Chinese labels are drawn when a CJK font is installed; otherwise the clear
FontNotFoundError is checked (and it is checked on every machine with the font search
patched out).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

import spatial.viz.figure as figure_module
from coupling.classify import TEN_TIER
from coupling.datasets import load_provincial_panel
from spatial.exceptions import (
    ColumnNotFoundError,
    DuplicateObservationError,
    FontNotFoundError,
    InvalidOptionError,
    PanelStructureError,
    SpecificationError,
)
from spatial.exploratory import LocalMoranResults, local_moran
from spatial.geography import NBS_REGIONS, ProvinceNameError
from spatial.viz import choropleth, find_cjk_font, group_trend, lisa_map
from spatial.weights import china_provinces

# A picture: > 10 kB on disk, pixel sd > 0.05 (of values in [0, 1]), >= 5 distinct colours.
MIN_BYTES = 10_000
MIN_STD = 0.05
MIN_COLORS = 5


def assert_picture(path: Path) -> None:
    """The PNG at ``path`` exists, is large enough and is not blank."""
    assert path.is_file(), path
    assert path.stat().st_size > MIN_BYTES, path.stat().st_size
    image = imread(path)
    rgb = np.asarray(image[..., :3], dtype=np.float64)
    assert rgb.std() > MIN_STD
    levels = np.round(rgb * 255).astype(np.uint32)
    colors = np.unique((levels[..., 0] << 16) | (levels[..., 1] << 8) | levels[..., 2])
    assert colors.size >= MIN_COLORS


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """rd_intensity of the 31 provinces, 2011-2023 (complete)."""
    data = load_provincial_panel()
    return data[data["year"] >= 2011].reset_index(drop=True)


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


# ------------------------------------------------------------------------- group trend
def test_group_trend_lines_are_group_means(panel, tmp_path):
    path = tmp_path / "trend.png"
    fig = group_trend(panel, "rd_intensity", region="province_en", path=path)
    assert_picture(path)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert list(lines) == [*NBS_REGIONS, "National mean"]
    east = panel[panel["code"].isin(NBS_REGIONS["East"])].groupby("year")["rd_intensity"].mean()
    np.testing.assert_allclose(lines["East"].get_ydata(), east.to_numpy(), rtol=1e-12)
    overall = panel.groupby("year")["rd_intensity"].mean()
    np.testing.assert_allclose(lines["National mean"].get_ydata(), overall, rtol=1e-12)


def test_group_trend_custom_groups_and_errors(panel):
    jjj, delta = "Jing-Jin-Ji", "Yangtze delta"
    groups = {"北京": jjj, "Tianjin": jjj, "13": jjj, "上海": delta, "江苏": delta, "浙江": delta}
    fig = group_trend(panel, "rd_intensity", region="code", groups=groups, national=False)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert list(lines) == [jjj, delta]
    means = panel[panel["code"].isin(["11", "12", "13"])].groupby("year")["rd_intensity"].mean()
    np.testing.assert_allclose(lines[jjj].get_ydata(), means.to_numpy(), rtol=1e-12)
    with pytest.raises(ProvinceNameError, match="Shangai"):
        group_trend(panel, "rd_intensity", region="code", groups={"Shangai": "a"})
    gaps = panel.copy()
    gaps.loc[gaps.index[:3], "rd_intensity"] = np.nan
    with pytest.warns(UserWarning, match="3 missing region-year value"):
        group_trend(gaps, "rd_intensity", region="code")
    with pytest.raises(PanelStructureError, match="no values"):
        group_trend(load_provincial_panel().query("year == 2010"), "rd_intensity", region="code")


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


def test_missing_cjk_font_raises_clear_error(panel, monkeypatch):
    monkeypatch.setattr(figure_module, "find_cjk_font", lambda: None)
    with pytest.raises(FontNotFoundError, match=r"install|Install") as info:
        group_trend(panel, "rd_intensity", region="code", language="zh")
    message = str(info.value)
    assert "fonts-noto-cjk" in message and "language='en'" in message
    with pytest.raises(InvalidOptionError, match="choose one of"):
        group_trend(panel, "rd_intensity", region="code", language="fr")  # type: ignore[arg-type]
