"""Tests of the city level of spatial/viz/maps.py: choropleth(..., level="city").

The panel is built from the prefecture-level layer itself (the 300 prefecture-level cities,
prefectures, leagues and municipalities, without the autonomous prefectures, as in a yearbook
panel), two years, with one city missing in the second year. Pictures are written as PNG and
read back (see pictures.py); the drawn collections are inspected: one line collection of
province borders over each map and each South China Sea inset, and the no-data units in grey.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from spatial.exceptions import FontNotFoundError, InvalidOptionError, SpecificationError
from spatial.geography import CityNameError, load_china_cities, load_china_provinces
from spatial.viz import choropleth, find_cjk_font
from spatial.viz.maps import NO_DATA_COLOR, PROVINCE_BORDERS_GID
from tests.spatial.viz.pictures import assert_picture, insets, legend_texts, main_axes

MISSING_2023 = "320500"  # Suzhou, Jiangsu: no value in 2023


@pytest.fixture(scope="module")
def cities() -> pd.DataFrame:
    """A (city, year) panel of 2015 and 2023, keyed by code, with names alongside."""
    layer = load_china_cities()
    layer = layer[layer["unit_type"] != "autonomous_prefecture"]
    frames = []
    for year, shift in ((2015, 0.0), (2023, 0.3)):
        value = np.log(layer["area_km2"].to_numpy()) + shift
        frames.append(
            pd.DataFrame(
                {
                    "code": layer.index,
                    "name_zh": layer["name_zh"].to_numpy(),
                    "province_en": layer["province_en"].to_numpy(),
                    "year": year,
                    "v": value,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table.loc[(table["year"] == 2023) & (table["code"] == MISSING_2023), "v"] = np.nan
    return table


@pytest.fixture(scope="module")
def city_figure(cities: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Figure:
    path = tmp_path_factory.mktemp("city") / "city.png"
    before = cities.copy()
    fig = choropleth(cities, "v", region="code", level="city", k=4, path=path)
    pd.testing.assert_frame_equal(cities, before)  # the input is not modified
    assert_picture(path)
    return fig


def border_collections(ax: Axes) -> list[Collection]:
    return [c for c in ax.collections if c.get_gid() == PROVINCE_BORDERS_GID]


def no_data_paths(ax: Axes) -> int:
    """The units drawn with the no-data face in ``ax`` (one path per unit, multipolygons as
    compound paths; one face may serve all paths of a collection)."""
    grey = to_hex(NO_DATA_COLOR)
    count = 0
    for collection in ax.collections:
        if collection.get_gid() == PROVINCE_BORDERS_GID:
            continue
        faces = [to_hex(face) for face in collection.get_facecolors()]
        if len(faces) == 1:
            faces = faces * len(collection.get_paths())
        count += faces.count(grey)
    return count


# ------------------------------------------------------------------------------ drawing
def test_city_map_two_years(city_figure):
    axes = main_axes(city_figure)
    assert [ax.get_title() for ax in axes] == ["2015", "2023"]
    labels = legend_texts(city_figure)
    assert len(labels) == 5 and labels[-1] == "No data"
    texts = [t.get_text() for t in axes[0].texts]
    assert "N" in texts and "1000 km" in texts  # north arrow and scale bar
    assert len(insets(city_figure)) == 2
    assert all("South China Sea" in t.get_text() for ax in insets(city_figure) for t in ax.texts)


def test_province_borders_drawn_over_cities(city_figure):
    n_provinces = len(load_china_provinces(include_other=True))
    for ax in main_axes(city_figure) + insets(city_figure):
        borders = border_collections(ax)
        assert len(borders) == 1  # one layer on each map and each inset
        assert len(borders[0].get_paths()) >= n_provinces
        assert ax.collections[-1] is borders[0]  # drawn over the city polygons
        assert borders[0].get_linewidths()[0] > max(
            c.get_linewidths()[0] for c in ax.collections if c is not borders[0]
        )


def test_units_without_data_are_grey(city_figure):
    layer = load_china_cities(include_county_level=True)
    kinds = layer["unit_type"].value_counts()
    absent = kinds["autonomous_prefecture"] + kinds["county_level_under_province"]
    first, second = main_axes(city_figure)
    # one path per unit: the 60 units outside the panel, and Taiwan, Hong Kong and Macao
    assert no_data_paths(first) == absent + 3 == 63
    assert no_data_paths(second) == no_data_paths(first) + 1  # Suzhou has no value in 2023
    for ax in (first, second):
        drawn = sum(len(c.get_paths()) for c in ax.collections if c not in border_collections(ax))
        assert drawn == len(layer) + 3  # every unit once


def test_names_resolve_like_codes(cities, city_figure):
    named = choropleth(cities, "v", region="name_zh", level="city", k=4)
    for by_code, by_name in zip(main_axes(city_figure), main_axes(named)):
        faces = [np.concatenate([c.get_facecolors() for c in ax.collections])
                 for ax in (by_code, by_name)]  # fmt: skip
        np.testing.assert_array_equal(faces[0], faces[1])
    assert legend_texts(named) == legend_texts(city_figure)


def test_same_name_in_two_provinces_needs_the_province(cities):
    table = cities[cities["year"] == 2015].copy()
    table["city"] = table["name_zh"].str.replace("苏州市", "Suzhou").str.replace("宿州市", "Suzhou")
    before = table.copy()
    with pytest.raises(CityNameError, match="'Suzhou' could be Suzhou"):
        choropleth(table, "v", level="city")
    fig = choropleth(table, "v", level="city", province="province_en")
    assert [ax.get_title() for ax in main_axes(fig)] == ["2015"]
    pd.testing.assert_frame_equal(table, before)


# ------------------------------------------------------------------------------ errors
def test_city_map_bad_input(cities):
    wrong = cities.replace({"name_zh": {"南京市": "Nanjin", "杭州市": "Atlantis"}})
    before = wrong.copy()
    with pytest.raises(CityNameError, match=r"2 city name\(s\) do not resolve: 'Atlantis'") as info:
        choropleth(wrong, "v", region="name_zh", level="city")
    assert isinstance(info.value, ValueError)
    assert "'Nanjin' (did you mean Nanjing" in str(info.value)
    pd.testing.assert_frame_equal(wrong, before)
    with pytest.raises(InvalidOptionError, match="level='town' is not supported; choose one"):
        choropleth(cities, "v", region="code", level="town")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="province='province_en' chooses among units"):
        choropleth(cities, "v", region="code", province="province_en")


# ------------------------------------------------------------------------ Chinese labels
def test_chinese_city_map_or_clear_font_error(cities, tmp_path):
    font = find_cjk_font()
    if font is None:
        with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
            choropleth(cities, "v", region="code", level="city", language="zh")
        return
    path = tmp_path / "city_zh.png"
    fig = choropleth(cities, "v", region="name_zh", level="city", language="zh", years=2023,
                     label="取值", title="地级市", path=path)  # fmt: skip
    assert_picture(path)
    assert [ax.get_title() for ax in main_axes(fig)] == ["2023年"]
    assert legend_texts(fig)[-1] == "无数据"
    assert fig.legends[0].get_texts()[0].get_fontfamily()[0] == font
    assert [t.get_text() for t in insets(fig)[0].texts] == ["南海诸岛"]
    assert "1000 千米" in [t.get_text() for t in main_axes(fig)[0].texts]
    assert len(border_collections(main_axes(fig)[0])) == 1


def test_lisa_and_hot_spot_maps_at_city_level():
    """LISA and Gi* results on the city W map onto the cities, province borders on top."""
    import matplotlib.pyplot as plt

    from spatial import gi_star, local_moran
    from spatial.viz import hotspot_map, lisa_map
    from spatial.weights import china_cities

    w = china_cities("queen")
    layer = load_china_cities()
    rng = np.random.default_rng(4)
    lat = layer.loc[list(w.ids), "centroid_lat"].to_numpy()
    table = pd.DataFrame(
        {"city": list(w.ids), "year": 2020, "v": lat + rng.normal(0, 2, len(lat)) + 30}
    )
    before = table.copy()
    lisa = local_moran(table, "v", w, "city", "year", permutations=99, seed=0)
    hot = gi_star(table, "v", w, "city", "year", permutations=99, seed=0)
    for fig in (lisa_map(lisa, level="city"), hotspot_map(hot, level="city")):
        main = main_axes(fig)[0]
        assert len(border_collections(main)) == 1
        assert main.collections[-1].get_gid() == PROVINCE_BORDERS_GID
        plt.close(fig)
    pd.testing.assert_frame_equal(table, before)
    with pytest.raises(SpecificationError, match=r"province name\(s\) do not resolve"):
        lisa_map(lisa, level="province")
