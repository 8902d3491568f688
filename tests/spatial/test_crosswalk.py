"""Tests of spatial/geography/crosswalk.py: the changes of prefecture-level units and align_cities.

The events and their sources are in spatial/geography/city_changes.csv (one source per row);
the expected values below are hand sums of the made-up panels built here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial._core.errors import (
    DuplicateObservationError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)
from spatial.geography.cities import CityNameError, load_china_cities
from spatial.geography.crosswalk import UnitSplitError, align_cities, city_changes

YEARS = range(2015, 2023)


def yearbook_panel() -> pd.DataFrame:
    """Jinan, Laiwu (until 2018, the last year before the merger) and Qingdao, 2015-2022."""
    rows = []
    for year in YEARS:
        rows.append(("济南市", year, 6000.0 + 100 * (year - 2015), 700.0))
        rows.append(("青岛", year, 9000.0 + 10 * (year - 2015), 900.0))
        if year < 2019:
            rows.append(("莱芜市", year, 1000.0 + (year - 2015), 130.0))
    return pd.DataFrame(rows, columns=["city", "year", "gdp", "pop"])


def cell(frame: pd.DataFrame, code: str, year: int, column: str) -> float:
    row = frame[(frame["city"] == code) & (frame["year"] == year)]
    assert len(row) == 1, (code, year)
    return float(row[column].iloc[0])


def test_laiwu_is_added_to_jinan_before_2019_and_reported():
    panel = yearbook_panel()
    aligned, report = align_cities(panel, region="city", year="year")
    assert list(aligned.columns) == ["city", "year", "gdp", "pop"]
    assert sorted(aligned["city"].unique()) == ["370100", "370200"]
    assert len(aligned) == 2 * len(YEARS)  # one row per current unit and year
    for year in YEARS:
        jinan = 6000.0 + 100 * (year - 2015)
        laiwu = 1000.0 + (year - 2015) if year < 2019 else 0.0
        assert cell(aligned, "370100", year, "gdp") == jinan + laiwu
        assert cell(aligned, "370100", year, "pop") == (830.0 if year < 2019 else 700.0)
        assert cell(aligned, "370200", year, "gdp") == 9000.0 + 10 * (year - 2015)
    assert report["action"].tolist() == ["merged"] * 4
    assert report["year"].tolist() == [2015, 2016, 2017, 2018]
    assert set(report["label"]) == {"莱芜市"} and set(report["from_code"]) == {"371200"}
    assert set(report["to_code"]) == {"370100"} and set(report["to_name"]) == {"济南市"}
    assert report["event"].str.startswith("merge 2019").all()


def test_mean_weighted_mean_and_per_column_aggregation():
    panel = yearbook_panel()
    panel["gdp_pc"] = panel["gdp"] / panel["pop"]
    aligned, _ = align_cities(
        panel, region="city", year="year", value_columns=["gdp", "gdp_pc"],
        how={"gdp": "sum", "gdp_pc": "weighted_mean"}, weight="pop",
    )  # fmt: skip
    # the population-weighted mean of per-capita GDP is total GDP over total population
    expected = (6000.0 + 1000.0) / (700.0 + 130.0)
    assert cell(aligned, "370100", 2015, "gdp_pc") == pytest.approx(expected, rel=1e-12)
    assert cell(aligned, "370100", 2015, "gdp") == 7000.0
    assert cell(aligned, "370100", 2020, "gdp_pc") == pytest.approx(6500.0 / 700.0, rel=1e-12)
    plain, _ = align_cities(panel, region="city", year="year", value_columns=["pop"], how="mean")
    assert cell(plain, "370100", 2016, "pop") == (700.0 + 130.0) / 2
    with pytest.raises(SpecificationError, match="needs weight="):
        align_cities(panel, region="city", year="year", how="weighted_mean")
    with pytest.raises(InvalidOptionError, match="how='median' is not supported"):
        align_cities(panel, region="city", year="year", how="median")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="one aggregation per value column"):
        align_cities(panel, region="city", year="year", how={"gdp": "sum"})


def test_a_missing_part_makes_the_merged_value_missing():
    panel = yearbook_panel()
    panel.loc[(panel["city"] == "莱芜市") & (panel["year"] == 2016), "gdp"] = np.nan
    aligned, _ = align_cities(panel, region="city", year="year")
    assert np.isnan(cell(aligned, "370100", 2016, "gdp"))
    assert cell(aligned, "370100", 2017, "gdp") == 6200.0 + 1002.0


def test_how_drop_keeps_jinan_alone_and_reports_the_boundary():
    aligned, report = align_cities(yearbook_panel(), region="city", year="year", how="drop")
    assert cell(aligned, "370100", 2015, "gdp") == 6000.0
    counts = report.groupby("action").size().to_dict()
    assert counts == {"dropped_merged": 4, "boundary_changed": 4}
    changed = report[report["action"] == "boundary_changed"]
    assert changed["to_code"].eq("370100").all() and changed["year"].max() == 2018


def test_renamed_units_and_old_codes():
    panel = pd.DataFrame({
        "city": ["襄樊", "襄阳市", 522400, "毕节", "Simao", "371200"],
        "year": [2008, 2012, 2010, 2012, 2005, 2010],
        "gdp": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })  # fmt: skip
    aligned, report = align_cities(panel, region="city", year="year")
    assert aligned[["city", "year", "gdp"]].values.tolist() == [
        ["370100", 2010, 6.0], ["420600", 2008, 1.0], ["420600", 2012, 2.0],
        ["520500", 2010, 3.0], ["520500", 2012, 4.0], ["530800", 2005, 5.0],
    ]  # fmt: skip
    renamed = report[report["action"] == "renamed"].set_index("year")
    assert renamed.loc[2008, ["label", "from_name", "to_name"]].tolist() == [
        "襄樊",
        "襄樊市",
        "襄阳市",
    ]
    assert renamed.loc[2005, "to_name"] == "普洱市"
    assert renamed.loc[2010, "from_name"] == "毕节地区"
    assert report.loc[report["label"] == "371200", "action"].tolist() == ["merged"]


def test_two_labels_of_one_unit_in_one_year_raise():
    panel = pd.DataFrame({"city": ["襄樊", "襄阳"], "year": [2008, 2008], "gdp": [1.0, 2.0]})
    with pytest.raises(DuplicateObservationError, match="'襄樊' and '襄阳' in 2008"):
        align_cities(panel, region="city", year="year")


def test_chaohu_is_dropped_and_its_receivers_flagged():
    panel = pd.DataFrame({
        "city": ["巢湖市", "合肥", "芜湖", "马鞍山", "合肥", "芜湖", "马鞍山"],
        "year": [2010, 2010, 2010, 2010, 2012, 2012, 2012],
        "gdp": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    })  # fmt: skip
    aligned, report = align_cities(panel, region="city", year="year")
    assert sorted(aligned["city"].unique()) == ["340100", "340200", "340500"]
    assert cell(aligned, "340100", 2010, "gdp") == 2.0  # Chaohu's parts are not added to anyone
    dropped = report[report["action"] == "dropped_split"]
    assert dropped[["label", "from_code", "to_code"]].values.tolist() == [
        ["巢湖市", "341400", "340100;340200;340500"]
    ]
    flagged = report[report["action"] == "boundary_changed"]
    assert sorted(flagged["to_code"]) == ["340100", "340200", "340500"]
    assert (flagged["year"] == 2010).all()
    with pytest.raises(UnitSplitError, match="巢湖市 \\(341400"):
        align_cities(panel, region="city", year="year", split="error")


def test_unknown_and_ambiguous_names():
    panel = pd.DataFrame({"city": ["济南", "Atlantis"], "year": [2015, 2015], "gdp": [1.0, 2.0]})
    with pytest.raises(CityNameError, match="do not resolve: 'Atlantis'"):
        align_cities(panel, region="city", year="year")
    twins = pd.DataFrame({
        "city": ["Suzhou", "Suzhou", "台州", "泰州"], "year": [2015] * 4,
        "gdp": [1.0, 2.0, 3.0, 4.0], "prov": ["江苏", "Anhui", "浙江", "江苏"],
    })  # fmt: skip
    with pytest.raises(CityNameError, match="several provinces"):
        align_cities(twins, region="city", year="year")
    aligned, report = align_cities(twins, region="city", year="year", province="prov")
    assert aligned[["city", "gdp"]].values.tolist() == [
        ["320500", 1.0], ["321200", 4.0], ["331000", 3.0], ["341300", 2.0],
    ]  # fmt: skip
    assert list(aligned.columns) == ["city", "year", "gdp"] and report.empty
    with pytest.raises(CityNameError, match="outside the province"):
        align_cities(twins.assign(prov="浙江"), region="city", year="year", province="prov")


def test_the_input_is_not_modified_and_a_multiindex_works():
    panel = yearbook_panel()
    before = panel.copy(deep=True)
    align_cities(panel, region="city", year="year", how="drop")
    align_cities(panel, region="city", year="year")
    pd.testing.assert_frame_equal(panel, before)
    indexed = panel.set_index(["city", "year"])
    aligned, report = align_cities(indexed)
    expected, _ = align_cities(panel, region="city", year="year")
    pd.testing.assert_frame_equal(aligned, expected)
    assert len(report) == 4


def test_missing_labels_and_bad_weights_raise():
    panel = yearbook_panel()
    with pytest.raises(MissingValueError, match="have no region label"):
        align_cities(panel.assign(city=None), region="city", year="year")
    with pytest.raises(MissingValueError, match="must be positive and finite"):
        align_cities(panel.assign(pop=0.0), region="city", year="year", value_columns=["gdp"],
                     how="weighted_mean", weight="pop")  # fmt: skip


def test_events_table_covers_the_issue_and_points_at_current_units():
    table = city_changes()
    current = load_china_cities(include_county_level=True).index
    for codes in table["new_code"]:
        assert all(code in current for code in codes.split(";")), codes
    moved = table[table["kind"] != "rename"]
    assert not moved["old_code"].isin(current).any()  # old codes are free, not reused
    assert (table["source"].str.len() > 20).all()
    expected = {  # old name -> (year, kind, new code), as listed in issue 14 (Shannan: see below)
        "巢湖市": (2011, "split", "340100;340200;340500"), "莱芜市": (2019, "merge", "370100"),
        "毕节地区": (2011, "upgrade", "520500"), "铜仁地区": (2011, "upgrade", "520600"),
        "海东地区": (2013, "upgrade", "630200"), "儋州市": (2015, "upgrade", "460400"),
        "吐鲁番地区": (2015, "upgrade", "650400"), "哈密地区": (2016, "upgrade", "650500"),
        "日喀则地区": (2014, "upgrade", "540200"), "昌都地区": (2014, "upgrade", "540300"),
        "林芝地区": (2015, "upgrade", "540400"), "那曲地区": (2017, "upgrade", "540600"),
        "襄樊市": (2010, "rename", "420600"), "思茅市": (2007, "rename", "530800"),
        # the issue says 2015; Xinhua announced the State Council's approval on 2016-02-16
        "山南地区": (2016, "upgrade", "540500"),
    }  # fmt: skip
    found = {row.old_name_zh: (row.year, row.kind, row.new_code) for row in table.itertuples()}
    for name, event in expected.items():
        assert found[name] == event, name
    assert table.loc[table["new_code"] == "460300", ["year", "kind"]].values.tolist() == [
        [2012, "new"]
    ]
    table.loc[0, "year"] = 1900  # a copy: the module's table is unchanged
    assert city_changes().loc[0, "year"] == 2007


def test_prefecture_counts_match_published_tables_for_two_years():
    """The current layer with later events undone reproduces the published counts.

    End of 2011: 332 prefecture-level divisions, 284 of them prefecture-level cities
    (National Bureau of Statistics, China Statistical Yearbook 2012, table 1-1,
    https://www.stats.gov.cn/sj/ndsj/2012/html/B0101C.HTM); end of 2007: 333 and 283
    (China Statistical Yearbook 2008, table 1-1, "2007年底"). October 2017: 334 = 294 cities
    + 30 autonomous prefectures + 7 prefectures + 3 leagues (qwbkw.com/jingyan/042lyd.html,
    "截至2017年10月2日", a secondary copy). End of 2023: 333 = 293 + 7 + 30 + 3 (the layer).
    """
    from spatial.geography.crosswalk import prefecture_counts

    end_2007 = prefecture_counts(2007)
    assert (end_2007["total"], end_2007["prefecture_city"]) == (333, 283)
    end_2011 = prefecture_counts(2011)
    assert (end_2011["total"], end_2011["prefecture_city"]) == (332, 284)
    assert prefecture_counts(2017).to_dict() == {
        "prefecture_city": 294, "prefecture": 7, "autonomous_prefecture": 30, "league": 3,
        "total": 334,
    }  # fmt: skip
    assert prefecture_counts(2023)["total"] == 333
    with pytest.raises(SpecificationError, match="covers the end of 2007 onwards"):
        prefecture_counts(2005)
