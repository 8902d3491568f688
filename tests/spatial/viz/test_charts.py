"""Tests of spatial/viz/charts.py (group trends; the Moran figures are tested with the
statistics in tests/spatial/exploratory/test_autocorrelation.py) and of the figure
conventions of spatial/viz/figure.py."""

from __future__ import annotations

import numpy as np
import pytest

import spatial.viz.figure as figure_module
from coupling.datasets import load_provincial_panel
from spatial.exceptions import FontNotFoundError, InvalidOptionError, PanelStructureError
from spatial.geography import NBS_REGIONS, ProvinceNameError
from spatial.viz import group_trend
from tests.spatial.viz.pictures import assert_picture


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


def test_missing_cjk_font_raises_clear_error(panel, monkeypatch):
    monkeypatch.setattr(figure_module, "find_cjk_font", lambda: None)
    with pytest.raises(FontNotFoundError, match=r"install|Install") as info:
        group_trend(panel, "rd_intensity", region="code", language="zh")
    message = str(info.value)
    assert "fonts-noto-cjk" in message and "language='en'" in message
    with pytest.raises(InvalidOptionError, match="choose one of"):
        group_trend(panel, "rd_intensity", region="code", language="fr")  # type: ignore[arg-type]
