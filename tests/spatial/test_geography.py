"""Tests of spatial/geography: the embedded provinces and name resolution."""

from __future__ import annotations

import pytest

from spatial.geography import (
    NBS_REGIONS,
    ProvinceNameError,
    load_china_provinces,
    province_codes,
    resolve_provinces,
)


def test_thirty_one_units_with_attributes():
    gdf = load_china_provinces()
    assert len(gdf) == 31 and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    assert list(gdf.index) == list(province_codes())
    assert gdf.loc["15", ["name_zh", "name_zh_short", "name_en"]].tolist() == [
        "内蒙古自治区", "内蒙古", "Inner Mongolia",
    ]  # fmt: skip
    # Hainan: the mainland centroid sits on the main island (about 19.2 N), not at 17.9 N
    assert gdf.loc["46", "mainland_centroid_lat"] == pytest.approx(19.19, abs=0.01)
    assert gdf.loc["11", "capital_zh"] == "北京市"
    everything = load_china_provinces(include_other=True)
    assert len(everything) == 34 and not everything.loc[["71", "81", "82"], "in_31"].any()


def test_nbs_regions_partition_the_31_units():
    codes = [c for group in NBS_REGIONS.values() for c in group]
    assert sorted(codes) == sorted(province_codes()) and len(codes) == 31
    assert {k: len(v) for k, v in NBS_REGIONS.items()} == {
        "East": 10, "Central": 6, "West": 12, "Northeast": 3,
    }  # fmt: skip
    gdf = load_china_provinces()
    assert gdf.loc["46", "region"] == "East" and gdf.loc["15", "region_zh"] == "西部"


@pytest.mark.parametrize(
    "name",
    ["内蒙古", "内蒙古自治区", "Inner Mongolia", "Nei Mongol", 15, "15", "150000",
     "inner mongolia autonomous region", "Neimenggu", " 内蒙古 "],
)  # fmt: skip
def test_every_spelling_resolves_to_the_same_code(name):
    assert resolve_provinces([name]) == ["15"]


def test_other_spellings_and_similar_names_stay_apart():
    names = ["Shaanxi", "Shanxi", "陕西省", "山西", "Tibet", "Xizang", "西藏自治区",
             "Guangxi Zhuang", "广西壮族自治区", "Beijing Municipality", "北京市", 1 + 10,
             "Hong Kong"]  # fmt: skip
    assert resolve_provinces(names) == ["61", "14", "61", "14", "54", "54", "54", "45", "45",
                                        "11", "11", "11", "81"]  # fmt: skip


def test_unresolved_names_are_listed_with_suggestions():
    with pytest.raises(ProvinceNameError, match=r"2 province name\(s\) do not resolve") as info:
        resolve_provinces(["Beijing", "Inner Mongolai", "Atlantis"])
    assert "Inner Mongolia (内蒙古, 15)" in str(info.value)
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
