"""The 19 sectors of China's yearbook employment tables, with the 2011/2012 bridge.

The tables "employed persons in urban units by sector and region" of the China
Statistical Yearbook use the sections of the industrial classification GB/T
4754: the 2002 edition up to the 2011 data year and the 2011 edition from the
2012 data year on. Six section names changed between them; :func:`harmonize_sectors`
maps either edition (Chinese or English names) to one set of keys so that a
panel spanning both reads as one table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable

import pandas as pd

from spatial._core.messages import format_items

from ..exceptions import SpecificationError

__all__ = [
    "PRODUCER_SERVICES",
    "SECTORS",
    "harmonize_sectors",
    "sector_key",
]

#: Key -> (GB/T 4754-2011 Chinese name, GB/T 4754-2002 Chinese name, English name).
SECTORS: dict[str, tuple[str, str, str]] = {
    "agriculture": (
        "农、林、牧、渔业",
        "农、林、牧、渔业",
        "Agriculture, forestry, animal husbandry and fishery",
    ),
    "mining": ("采矿业", "采矿业", "Mining"),
    "manufacturing": ("制造业", "制造业", "Manufacturing"),
    "utilities": (
        "电力、热力、燃气及水生产和供应业",
        "电力、燃气及水的生产和供应业",
        "Production and supply of electricity, heat, gas and water",
    ),
    "construction": ("建筑业", "建筑业", "Construction"),
    "wholesale_retail": ("批发和零售业", "批发和零售业", "Wholesale and retail trades"),
    "transport": (
        "交通运输、仓储和邮政业",
        "交通运输、仓储和邮政业",
        "Transport, storage and post",
    ),
    "accommodation": ("住宿和餐饮业", "住宿和餐饮业", "Hotels and catering services"),
    "information": (
        "信息传输、软件和信息技术服务业",
        "信息传输、计算机服务和软件业",
        "Information transmission, software and information technology",
    ),
    "finance": ("金融业", "金融业", "Financial intermediation"),
    "real_estate": ("房地产业", "房地产业", "Real estate"),
    "leasing_business": ("租赁和商务服务业", "租赁和商务服务业", "Leasing and business services"),
    "research": (
        "科学研究和技术服务业",
        "科学研究、技术服务和地质勘查业",
        "Scientific research and technical services",
    ),
    "environment": (
        "水利、环境和公共设施管理业",
        "水利、环境和公共设施管理业",
        "Management of water conservancy, environment and public facilities",
    ),
    "resident_services": (
        "居民服务、修理和其他服务业",
        "居民服务和其他服务业",
        "Services to households, repair and other services",
    ),
    "education": ("教育", "教育", "Education"),
    "health": ("卫生和社会工作", "卫生、社会保障和社会福利业", "Health and social work"),
    "culture": ("文化、体育和娱乐业", "文化、体育和娱乐业", "Culture, sports and entertainment"),
    "public_administration": (
        "公共管理、社会保障和社会组织",
        "公共管理和社会组织",
        "Public management, social security and social organization",
    ),
}

#: Producer (business) services as most studies of co-agglomeration define them:
#: transport, information, finance, leasing and business services, research.
PRODUCER_SERVICES: tuple[str, ...] = (
    "transport", "information", "finance", "leasing_business", "research",
)  # fmt: skip

_EXTRA_ENGLISH = {
    "information transmission, computer services and software": "information",
    "scientific research, technical services and geological prospecting": "research",
    "health, social security and social welfare": "health",
    "public management and social organization": "public_administration",
    "resident services and other services": "resident_services",
    "production and supply of electricity, gas and water": "utilities",
    "farming, forestry, animal husbandry and fishery": "agriculture",
}


def _normalize(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s、，,()（）'\"\-/&]+|and|和|及|的", "", text)


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, names in SECTORS.items():
        for name in (key, *names):
            table[_normalize(name)] = key
    for name, key in _EXTRA_ENGLISH.items():
        table[_normalize(name)] = key
    return table


_LOOKUP = _lookup()


def sector_key(name: Hashable) -> str | None:
    """The harmonized key of a sector name of either GB/T 4754 edition, or ``None``.

    Examples
    --------
    >>> sector_key("信息传输、计算机服务和软件业"), sector_key("信息传输、软件和信息技术服务业")
    ('information', 'information')
    """
    return _LOOKUP.get(_normalize(str(name)))


def harmonize_sectors(table: pd.DataFrame, *, keys: tuple[Hashable, ...] = ()) -> pd.DataFrame:
    """Rename the sector columns of a yearbook table to harmonized keys.

    Parameters
    ----------
    table : DataFrame
        Columns: key columns (``keys``, e.g. region and year), optionally a
        total, and sector columns named as in either edition of the yearbook
        (Chinese or English). Not modified.
    keys : tuple
        Columns to keep as they are (region, year, total...).

    Returns
    -------
    DataFrame
        The same table with sector columns renamed to the keys of
        :data:`SECTORS`.

    Raises
    ------
    SpecificationError
        A column that is neither a key nor a known sector, or two columns that
        map to the same sector.
    """
    rename: dict[Hashable, str] = {}
    unknown = []
    for column in table.columns:
        if column in keys:
            continue
        key = sector_key(column)
        if key is None:
            unknown.append(column)
        else:
            rename[column] = key
    if unknown:
        raise SpecificationError(
            f"Column(s) {format_items(unknown)} are not yearbook sectors; name them as in the "
            "yearbook (either GB/T 4754 edition) or pass them in keys=."
        )
    seen: dict[str, list[Hashable]] = {}
    for column, key in rename.items():
        seen.setdefault(key, []).append(column)
    doubled = {k: v for k, v in seen.items() if len(v) > 1}
    if doubled:
        raise SpecificationError(f"Several columns name the same sector: {doubled}.")
    return table.rename(columns=rename)
