"""Tests of coupling/inputoutput/sectors.py (with sectors.csv and SECTORS.md): the NBS and
WIOD classifications, their detection, and the sector groups.

Expected counts and code lists are the ones SECTORS.md states (sections 3, 4, 5.6 and 6);
the codes and names to detect are read from the source files in ``shared/data``.
"""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pandas as pd
import pytest

from coupling.exceptions import SectorMappingError
from coupling.inputoutput import IOTable
from coupling.inputoutput.sectors import (
    CLASSIFICATIONS,
    GROUPS,
    PRODUCER_SERVICE_CATEGORIES,
    detect_classification,
    group_members,
    sector_table,
)
from tests.shared_data import shared_path

#: SECTORS.md section 2: the classification of every NBS table in shared/data/china_nbs_io.
NBS_FILES = {
    "china_2002_122.csv": "nbs2002_122",
    "china_2005_42.csv": "nbs2005_42",
    "china_2007_135.csv": "nbs2007_135",
    "china_2010_41.csv": "nbs2010_41",
    "china_2012_139.csv": "nbs2012_139",
    "china_2015_42.csv": "nbs2015_42",
    "china_2017_149.csv": "nbs2017_149",
    "china_2017_42.csv": "nbs2017_42",
    "china_2018_42.csv": "nbs2017_42",
    "china_2020_42.csv": "nbs2017_42",
    "china_2018_153.csv": "nbs2018_153",
    "china_2020_153.csv": "nbs2018_153",
}

#: SECTORS.md section 6: sectors, manufacturing, equipment, producer services, of which with
#: an approximation note.
COUNTS = {
    "nbs2002_122": (122, 72, 22, 17, 5),
    "nbs2005_42": (42, 17, 6, 8, 4),
    "nbs2007_135": (135, 81, 27, 22, 9),
    "nbs2010_41": (41, 16, 6, 8, 4),
    "nbs2012_139": (139, 84, 30, 21, 9),
    "nbs2015_42": (42, 19, 8, 6, 4),
    "nbs2017_149": (149, 86, 30, 23, 4),
    "nbs2017_42": (42, 18, 8, 7, 4),
    "nbs2018_153": (153, 88, 32, 23, 4),
    "wiod2013_35": (35, 14, 3, 8, 7),
    "wiod2016_56": (56, 19, 7, 17, 6),
}


def labelled(classification: str | None, codes) -> SimpleNamespace:
    """The two attributes group_members reads from a table."""
    return SimpleNamespace(classification=classification, sectors=tuple(codes))


def codes_of(classification: str) -> list[str]:
    rows = sector_table()
    return rows.loc[rows["classification"] == classification, "code"].tolist()


def r(lo: int, hi: int, width: int = 2) -> list[str]:
    return [f"{i:0{width}d}" for i in range(lo, hi + 1)]


# ------------------------------------------------------------------------------ detection
@pytest.mark.parametrize(("name", "key"), list(NBS_FILES.items()))
def test_every_nbs_table_is_detected(name, key):
    raw = pd.read_csv(shared_path("china_nbs_io", name), dtype={"Code": str})
    rows = raw[raw["Code"].str.isdigit()]
    if "Origin" in rows:
        rows = rows[rows["Origin"] == "Domestic"]
    codes = rows["Code"].tolist()
    zh, en = rows["DescriptionInChinese"].tolist(), rows["Description"].tolist()
    assert detect_classification(codes, zh, en) == key
    # by either language alone (the other replaced by codes, as a table without names)
    assert detect_classification(codes, zh, codes) == key
    assert detect_classification(codes, codes, en) == key
    # names of another table with the same number of sectors do not match
    wrong = [f"部门{c}" for c in codes]
    assert detect_classification(codes, wrong, wrong) is None


def test_wiod_2013_sectors_are_detected():
    with open(shared_path("wiod2013", "wiod2013_sectors.csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes, names = [r["code"] for r in rows], [r["name"] for r in rows]
    assert len(codes) == 35
    assert detect_classification(codes, codes, names) == "wiod2013_35"
    assert detect_classification(codes, codes, codes) == "wiod2013_35"


def test_wiod_2016_sectors_are_detected():
    path = shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv")
    with open(path, encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=";")
        codes_line, names_line = next(reader), next(reader)
    end = codes_line.index("CONS_h")
    codes, names = codes_line[4:end], names_line[4:end]
    assert len(codes) == 56 and names[codes.index("C19")].endswith(" ")  # SECTORS.md 1
    assert detect_classification(codes, codes, names) == "wiod2016_56"
    # the nine industries empty for China dropped (SECTORS.md 7): still wiod2016_56
    empty = {"C33", "G45", "J58", "J59_J60", "K66", "M71", "M73", "T", "U"}
    kept = [(c, n) for c, n in zip(codes, names) if c not in empty]
    assert detect_classification([c for c, _ in kept], [c for c, _ in kept],
                                 [n for _, n in kept]) == "wiod2016_56"  # fmt: skip


def test_names_compare_without_spaces_and_full_width_forms():
    codes = codes_of("nbs2017_42")
    rows = sector_table().set_index(["classification", "code"]).loc["nbs2017_42"]
    zh = [f" {n} " for n in rows.loc[codes, "name_zh"]]
    zh[3] = "金属矿 采选产品"  # a space inside a name
    # full-width commas (U+FF0C) in the English names: NFKC turns them into ","
    en = rows.loc[codes, "name_en"].tolist()
    en = [e.replace(",", "\uff0c") for e in en]
    assert detect_classification(codes, zh, codes) == "nbs2017_42"
    assert detect_classification(codes, codes, en) == "nbs2017_42"


def test_tables_without_names_match_on_codes_alone():
    # the docstring example: WIOD 2013 codes c1 ... c35
    assert detect_classification([f"c{i}" for i in range(1, 36)], [], []) == "wiod2013_35"
    codes41 = r(1, 41)
    assert detect_classification(codes41, codes41, codes41) == "nbs2010_41"
    codes135 = r(1, 135, 3)
    assert detect_classification(codes135, codes135, codes135) == "nbs2007_135"
    assert detect_classification(["01", "02"], ["农业", "工业"], ["a", "b"]) is None


def test_codes_shared_by_several_classifications_are_not_guessed():
    # 01 ... 42 are the codes of nbs2005_42, nbs2015_42 and nbs2017_42, whose sectors differ
    # (manufacturing 06-22, 06-24, 06-23: SECTORS.md 3). Without names there is no telling
    # them apart: the answer is None, not the first classification of the file.
    codes = r(1, 42)
    assert [k for k in CLASSIFICATIONS if set(codes_of(k)) == set(codes)] == [
        "nbs2005_42",
        "nbs2015_42",
        "nbs2017_42",
    ]
    assert detect_classification(codes, codes, codes) is None


# --------------------------------------------------------------------------------- groups
@pytest.mark.parametrize("key", list(COUNTS))
def test_group_counts_as_sectors_md_states(key):
    sectors, manufacturing, equipment, services, approximated = COUNTS[key]
    table = labelled(key, codes_of(key))
    assert len(table.sectors) == sectors
    assert len(group_members(table, "manufacturing")) == manufacturing
    assert len(group_members(table, "equipment")) == equipment
    assert len(group_members(table, "producer_services")) == services
    rows = sector_table()
    rows = rows[rows["classification"] == key]
    assert (rows["approximation"] != "").sum() == approximated
    # the ten categories partition the producer services
    parts = [
        c
        for category in PRODUCER_SERVICE_CATEGORIES
        if (rows["producer_service"] == category).any()
        for c in group_members(table, category)
    ]
    assert sorted(parts) == sorted(group_members(table, "producer_services"))
    # the six sections partition the sectors
    sections = ["agriculture", "mining", "manufacturing", "utilities", "construction", "services"]
    assert sum(len(group_members(table, s)) for s in sections) == sectors


#: SECTORS.md section 3: code ranges of the sections (inclusive).
SECTIONS = {
    "nbs2017_42": {"agriculture": r(1, 1), "mining": r(2, 5), "manufacturing": r(6, 23),
                   "utilities": r(24, 26), "construction": r(27, 27), "services": r(28, 42)},
    "nbs2015_42": {"manufacturing": r(6, 24), "services": r(29, 42)},
    "nbs2005_42": {"manufacturing": r(6, 22), "utilities": r(23, 25)},
    "nbs2012_139": {"mining": r(6, 11, 3), "construction": r(99, 102, 3)},
    "nbs2018_153": {"manufacturing": r(12, 99, 3), "construction": r(103, 108, 3)},
    "wiod2013_35": {"manufacturing": [f"c{i}" for i in range(3, 17)], "utilities": ["c17"]},
}  # fmt: skip


@pytest.mark.parametrize("key", list(SECTIONS))
def test_section_code_ranges(key):
    table = labelled(key, codes_of(key))
    for section, codes in SECTIONS[key].items():
        assert group_members(table, section) == codes, section


def test_equipment_and_categories_as_listed():
    # SECTORS.md 4 and 5.6
    t42 = labelled("nbs2017_42", codes_of("nbs2017_42"))
    assert group_members(t42, "equipment") == [*r(15, 21), "23"]
    assert group_members(t42, "rd_design") == ["35", "36"]
    assert group_members(t42, "business") == ["34"]
    t149 = labelled("nbs2017_149", codes_of("nbs2017_149"))
    logistics = ["108", "110", "112", "114", "115", "116", "117", "118"]
    assert group_members(t149, "logistics") == logistics
    assert group_members(t149, "finance") == ["126", "127", "128"]
    assert group_members(t149, "trade") == ["105"]
    assert group_members(t149, "support") == ["139"]
    wiod16 = labelled("wiod2016_56", codes_of("wiod2016_56"))
    assert group_members(wiod16, "business") == ["M69_M70", "M73", "N"]
    assert group_members(wiod16, "equipment") == ["C25", "C26", "C27", "C28", "C29", "C30", "C33"]
    wiod13 = labelled("wiod2013_35", codes_of("wiod2013_35"))
    assert group_members(wiod13, "equipment") == ["c13", "c14", "c15"]


def test_a_group_keeps_the_table_order_and_its_sectors():
    codes = codes_of("nbs2017_42")
    # an nbs2017_42 table with 23 (repair) removed, sectors in reverse order: 17 manufacturing
    table = labelled("nbs2017_42", [c for c in reversed(codes) if c != "23"])
    assert group_members(table, "manufacturing") == list(reversed(r(6, 22)))
    assert group_members(table, ["07", "06"]) == ["07", "06"]  # the table's order
    assert group_members(labelled(None, ["1", "2"]), [2]) == ["2"]


def test_group_errors():
    table = labelled("nbs2017_42", codes_of("nbs2017_42"))
    with pytest.raises(SectorMappingError, match=r"Unknown sector group 'manufactoring'.*"
                       "Did you mean 'manufacturing'"):  # fmt: skip
        group_members(table, "manufactoring")
    with pytest.raises(SectorMappingError, match="'human_resources' has no sector in this table"):
        group_members(table, "human_resources")
    with pytest.raises(SectorMappingError, match=r"Sector\(s\) 43, 99 of the group are not"):
        group_members(table, ["01", "43", "99"])
    with pytest.raises(SectorMappingError, match=r"The group \(\) has no sector"):
        group_members(table, ())
    custom = labelled("custom", ["a", "b"])
    with pytest.raises(SectorMappingError, match="Pass the sector codes of the group instead"):
        group_members(custom, "services")
    with pytest.raises(SectorMappingError, match="not one of them"):
        group_members(labelled(None, ["a", "b"]), "finance")


def test_named_groups_of_a_table_read_by_its_classification():
    # an IOTable that names its sectors like the NBS 2010 table resolves groups through it
    codes = codes_of("nbs2010_41")
    rows = sector_table().set_index(["classification", "code"]).loc["nbs2010_41"]
    n = len(codes)
    table = IOTable(
        pd.DataFrame(0.0, index=codes, columns=codes),
        pd.DataFrame({"EX": [1.0] * n}, index=codes),
        pd.Series([1.0] * n, index=codes),
        names_zh=dict(zip(codes, rows.loc[codes, "name_zh"])),
    )
    assert table.classification == "nbs2010_41"
    assert group_members(table, "manufacturing") == r(6, 21)
    merged = table.aggregate({c: "all" for c in codes})
    with pytest.raises(SectorMappingError, match="an aggregated table or a table of its own"):
        group_members(merged, "manufacturing")


def test_sector_table_format():
    table = sector_table()
    assert len(table) == 956  # SECTORS.md 1 (the first eight columns; labels may follow)
    assert list(table.columns)[:8] == [
        "classification", "code", "name_zh", "name_en", "section", "equipment",
        "producer_service", "approximation",
    ]  # fmt: skip
    assert list(dict.fromkeys(table["classification"])) == list(CLASSIFICATIONS)
    assert set(table["producer_service"]) - {""} <= set(PRODUCER_SERVICE_CATEGORIES)
    assert set(table["section"]) <= set(GROUPS)
    assert not table.duplicated(["classification", "code"]).any()
    # equipment only in manufacturing, categories only in services (SECTORS.md 1)
    assert (table.loc[table["equipment"], "section"] == "manufacturing").all()
    assert (table.loc[table["producer_service"] != "", "section"] == "services").all()
    # codes keep their leading zeros
    assert table.loc[table["classification"] == "nbs2017_149", "code"].iloc[0] == "001"
