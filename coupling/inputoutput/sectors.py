"""Sector classifications of the NBS and WIOD tables, and the groups studies use.

``sectors.csv`` (beside this module; its rules and every judgement call are in
``SECTORS.md``) lists each sector of the NBS national tables (2002 122 sectors, 2005 42,
2007 135, 2010 41, 2012 139, 2015 42, 2017 149, the 42-sector non-competitive tables of
2017/2018/2020 and the 153 sectors of 2018/2020) and of WIOD (2013 release, 35 sectors;
2016 release, 56) with

- its ``section``: agriculture, mining, manufacturing, utilities, construction, services;
- ``equipment``: 1 for 装备制造业 (GB/T 4754 divisions C33-C40 and C43), the usual proxy
  of advanced manufacturing (先进制造业) in Chinese studies;
- ``producer_service``: the category of 国家统计局《生产性服务业统计分类(2019)》 that the
  sector approximates (IO sectors and the classification do not coincide: wholesale and
  retail are one IO sector in most tables, passenger and freight transport too), with the
  approximation stated in ``approximation``.

A table's classification is found from its sector codes and names
(:func:`detect_classification`); a group is then a name (:data:`GROUPS`, or a producer
service category of :data:`PRODUCER_SERVICE_CATEGORIES`) or the user's own list of codes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Protocol

import pandas as pd

from spatial._core.messages import format_items, suggest

from ..exceptions import SectorMappingError

__all__ = [
    "CLASSIFICATIONS",
    "GROUPS",
    "PRODUCER_SERVICE_CATEGORIES",
    "GroupSpec",
    "detect_classification",
    "group_members",
    "sector_names",
    "sector_table",
    "short_labels",
]

#: A group: a name of :data:`GROUPS` or of :data:`PRODUCER_SERVICE_CATEGORIES`, or the codes
#: of the sectors that form it.
GroupSpec = str | Sequence[Hashable]

#: The classifications of ``sectors.csv`` and the tables they describe.
CLASSIFICATIONS: dict[str, str] = {
    "nbs2002_122": "NBS 2002 benchmark table, 122 sectors",
    "nbs2005_42": "NBS 2005 extension table, 42 sectors",
    "nbs2007_135": "NBS 2007 benchmark table, 135 sectors",
    "nbs2010_41": "NBS 2010 extension table, 41 sectors",
    "nbs2012_139": "NBS 2012 benchmark table, 139 sectors",
    "nbs2015_42": "NBS 2015 extension table, 42 sectors",
    "nbs2017_149": "NBS 2017 benchmark table, 149 sectors",
    "nbs2017_42": "NBS 42-sector tables of 2017, 2018 and 2020 (non-competitive)",
    "nbs2018_153": "NBS 2018 and 2020 tables, 153 sectors",
    "wiod2013_35": "WIOD 2013 release, 35 sectors (ISIC rev. 3)",
    "wiod2016_56": "WIOD 2016 release, 56 sectors (ISIC rev. 4)",
}

#: Named groups: name -> (Chinese name, English name).
GROUPS: dict[str, tuple[str, str]] = {
    "agriculture": ("农林牧渔业", "Agriculture"),
    "mining": ("采矿业", "Mining"),
    "manufacturing": ("制造业", "Manufacturing"),
    "equipment": ("装备制造业", "Equipment manufacturing"),
    "utilities": ("电力、热力、燃气及水生产和供应业", "Utilities"),
    "construction": ("建筑业", "Construction"),
    "services": ("服务业", "Services"),
    "producer_services": ("生产性服务业", "Producer services"),
}

#: The ten categories of 《生产性服务业统计分类(2019)》: key -> (Chinese, English).
PRODUCER_SERVICE_CATEGORIES: dict[str, tuple[str, str]] = {
    "rd_design": ("研发设计与其他技术服务", "R&D, design and other technical services"),
    "logistics": (
        "货物运输、通用航空生产、仓储和邮政快递服务",
        "Freight transport, general aviation, storage, post and express",
    ),
    "information": ("信息服务", "Information services"),
    "finance": ("金融服务", "Financial services"),
    "environment": ("节能与环保服务", "Energy saving and environmental services"),
    "leasing": ("生产性租赁服务", "Producer leasing services"),
    "business": ("商务服务", "Business services"),
    "human_resources": (
        "人力资源管理与职业教育培训服务",
        "Human resources management and vocational training",
    ),
    "trade": ("批发与贸易经纪代理服务", "Wholesale and trade brokerage"),
    "support": ("生产性支持服务", "Producer support services"),
}


class _Labelled(Protocol):
    classification: str | None

    @property
    def sectors(self) -> pd.DataFrame | tuple[str, ...]: ...


@lru_cache(maxsize=1)
def sector_table() -> pd.DataFrame:
    """The whole of ``sectors.csv`` (one row per sector and classification)."""
    path = resources.files("coupling.inputoutput").joinpath("sectors.csv")
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    table["equipment"] = table["equipment"] == "1"
    return table


@lru_cache(maxsize=16)
def _names_of(classification: str) -> tuple[dict[str, str], dict[str, str]]:
    table = sector_table()
    rows = table[table["classification"] == classification]
    return dict(zip(rows["code"], rows["name_zh"])), dict(zip(rows["code"], rows["name_en"]))


def _normal(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(name)).split()).lower()


@lru_cache(maxsize=1)
def _signatures() -> dict[str, tuple[frozenset[str], dict[str, str], dict[str, str]]]:
    table = sector_table()
    out = {}
    for key, rows in table.groupby("classification", sort=False):
        codes = list(rows["code"])
        out[str(key)] = (
            frozenset(codes),
            {c: _normal(n) for c, n in zip(codes, rows["name_zh"])},
            {c: _normal(n) for c, n in zip(codes, rows["name_en"])},
        )
    return out


def detect_classification(
    codes: Sequence[str], names_zh: Sequence[str], names_en: Sequence[str]
) -> str | None:
    """The classification whose codes are exactly ``codes`` and whose Chinese or English
    names agree (spaces and full-width forms ignored), or ``None``.

    Tables without names (the names are the codes) match on codes alone, and only when a
    single classification has those codes (``"01"``...``"42"`` are the codes of three NBS
    classifications: a table with them and no names is not guessed). A table whose codes are
    part of a classification (empty sectors dropped) matches it when no classification has
    exactly its codes.

    Examples
    --------
    >>> detect_classification([f"c{i}" for i in range(1, 36)], [], [])
    'wiod2013_35'
    >>> detect_classification(["01", "02"], ["农业", "工业"], ["a", "b"]) is None
    True
    """
    wanted = frozenset(codes)
    named = any(n != c for c, n in zip(codes, names_zh)) or any(
        n != c for c, n in zip(codes, names_en)
    )

    def agrees(zh: dict[str, str], en: dict[str, str]) -> bool:
        return (
            not named
            or all(zh[c] == _normal(n) for c, n in zip(codes, names_zh))
            or all(en[c] == _normal(n) for c, n in zip(codes, names_en))
        )

    signatures = _signatures()
    for exact in (True, False):  # the same sectors first; then a table with sectors removed
        found = [key for key, (known, zh, en) in signatures.items()
                 if (wanted == known if exact else wanted < known) and agrees(zh, en)]  # fmt: skip
        if found:
            # several classifications share codes ("01"..."42"): without names, no guess
            return found[0] if len(found) == 1 else None
    return None


def sector_names(
    classification: str, codes: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Chinese and English names of ``codes`` in ``classification`` (from
    ``sectors.csv``); a code it does not list keeps itself as its name.

    Examples
    --------
    >>> sector_names("wiod2016_56", ["C26"])[1]
    ('Manufacture of computer, electronic and optical products',)
    """
    zh, en = _names_of(classification)
    return tuple(zh.get(c, c) for c in codes), tuple(en.get(c, c).strip() for c in codes)


def short_labels(
    classification: str | None, codes: Sequence[str], names: Sequence[str], language: str
) -> list[str]:
    """Labels for chart axes: the ``short_zh``/``short_en`` of ``sectors.csv`` where the
    classification lists the code, else the name cut to 8 Chinese or 24 other characters.

    Examples
    --------
    >>> short_labels(None, ["x"], ["A very long sector name that goes on"], "en")
    ['A very long sector name…']
    """
    column = "short_zh" if language == "zh" else "short_en"
    known: dict[str, str] = {}
    table = sector_table()
    if classification is not None and column in table.columns:
        rows = table[table["classification"] == classification]
        known = dict(zip(rows["code"], rows[column]))
    limit = 8 if language == "zh" else 24
    out = []
    for code, name in zip(codes, names):
        label = known.get(code) or str(name).strip()
        out.append(label if len(label) <= limit else label[: limit - 1] + "…")
    return out


def group_members(table: _Labelled, group: GroupSpec) -> list[str]:
    """The sector codes of ``group`` in ``table``, in the table's order.

    Parameters
    ----------
    table : IOTable or MRIOTable
    group : str or sequence
        A name of :data:`GROUPS` or :data:`PRODUCER_SERVICE_CATEGORIES` (resolved through
        the table's classification) or sector codes of the table.

    Raises
    ------
    SectorMappingError
        An unknown group name, a table of unknown classification with a group name, codes
        that are not sectors of the table, an empty group.
    """
    sectors = table.sectors
    codes = [str(c) for c in (sectors.index if isinstance(sectors, pd.DataFrame) else sectors)]
    if isinstance(group, str):
        if group not in GROUPS and group not in PRODUCER_SERVICE_CATEGORIES:
            names = [*GROUPS, *PRODUCER_SERVICE_CATEGORIES]
            raise SectorMappingError(
                f"Unknown sector group {group!r}; choose one of {', '.join(names)}, or pass "
                f"the sector codes of the group.{suggest(group, names)}"
            )
        if table.classification is None or table.classification == "custom":
            raise SectorMappingError(
                f"The group {group!r} is defined for the NBS and WIOD classifications, but "
                "the sectors of this table are not one of them (an aggregated table or a "
                "table of its own). Pass the sector codes of the group instead."
            )
        rows = sector_table()
        rows = rows[rows["classification"] == table.classification]
        if group in PRODUCER_SERVICE_CATEGORIES:
            chosen = rows[rows["producer_service"] == group]
        elif group == "producer_services":
            chosen = rows[rows["producer_service"] != ""]
        elif group == "equipment":
            chosen = rows[rows["equipment"]]
        else:
            chosen = rows[rows["section"] == group]
        members = set(chosen["code"])
    else:
        members = {str(c) for c in group}
        unknown = sorted(members - set(codes))
        if unknown:
            raise SectorMappingError(
                f"Sector(s) {format_items(unknown)} of the group are not sectors of the table "
                f"({format_items(codes)})."
            )
    found = [c for c in codes if c in members]
    if not found:
        raise SectorMappingError(f"The group {group!r} has no sector in this table.")
    return found
