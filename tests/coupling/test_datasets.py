"""Tests for the packaged provincial panel (coupling.datasets)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coupling.datasets import describe_provincial_panel, load_provincial_panel

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
TECHME = SHARED / "china_techme"
GEO = SHARED / "china_geo"
PACKAGE_DIR = ROOT / "coupling" / "datasets"
BUILD_SCRIPT = PACKAGE_DIR / "tools" / "build_techme.py"
ID_COLUMNS = ["code", "province_zh", "province_en", "year"]
YEARS = [2000, 2005, *range(2010, 2024)]
HT_OPERATIONS = ["ht_enterprises", "ht_revenue", "ht_profit"]
RELABELLED = [
    "ht_rd_personnel_fte",
    "ht_rd_institutions",
    "ht_invention_patents",
    "ht_new_product_projects",
]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return load_provincial_panel(national=True)


def national(panel: pd.DataFrame, column: str) -> pd.Series:
    return panel[panel["code"] == "00"].set_index("year")[column]


def value(panel: pd.DataFrame, code: str, year: int, column: str) -> float:
    row = panel[(panel["code"] == code) & (panel["year"] == year)]
    assert len(row) == 1
    return float(row[column].iloc[0])


def test_default_has_31_provinces_balanced() -> None:
    frame = load_provincial_panel()
    assert frame["code"].nunique() == 31
    assert "00" not in set(frame["code"])
    assert len(frame) == 31 * len(YEARS)
    assert sorted(frame["year"].unique()) == YEARS


def test_national_adds_code_00(panel: pd.DataFrame) -> None:
    assert panel["code"].nunique() == 32
    assert len(panel) == 32 * len(YEARS)
    nat = panel[panel["code"] == "00"]
    assert set(nat["province_zh"]) == {"全国"}
    assert set(nat["province_en"]) == {"China (national total)"}


def test_keys_unique_and_sorted(panel: pd.DataFrame) -> None:
    assert not panel.duplicated(["code", "year"]).any()
    expected = panel.sort_values(["code", "year"], ignore_index=True)
    pd.testing.assert_frame_equal(panel, expected)
    assert panel.index.equals(pd.RangeIndex(len(panel)))


def test_dtypes(panel: pd.DataFrame) -> None:
    assert list(panel.columns[:4]) == ID_COLUMNS
    for column in ("code", "province_zh", "province_en"):
        assert pd.api.types.is_string_dtype(panel[column])
        assert panel[column].map(type).eq(str).all()
    assert panel["code"].str.fullmatch(r"\d{2}").all()
    assert panel["year"].dtype == np.dtype("int64")
    for column in panel.columns[4:]:
        assert panel[column].dtype == np.dtype("float64"), column


def test_province_names(panel: pd.DataFrame) -> None:
    names = panel.drop_duplicates("code").set_index("code")
    assert names.loc["11", ["province_zh", "province_en"]].tolist() == ["北京", "Beijing"]
    assert names.loc["15", ["province_zh", "province_en"]].tolist() == ["内蒙古", "Inner Mongolia"]
    assert names.loc["54", ["province_zh", "province_en"]].tolist() == ["西藏", "Tibet"]
    assert names["province_en"].is_unique


@pytest.mark.parametrize(
    ("code", "expected"), [("00", 2.65), ("11", 6.73), ("31", 4.34), ("54", 0.30)]
)
def test_rd_intensity_2023_matches_nbs_bulletin(
    panel: pd.DataFrame, code: str, expected: float
) -> None:
    # NBS et al., 2023 statistical bulletin on national R&D expenditure.
    assert value(panel, code, 2023, "rd_intensity") == pytest.approx(expected, abs=1e-9)


def test_2017_missing_for_high_tech_operations_only(panel: pd.DataFrame) -> None:
    y2017 = panel[panel["year"] == 2017]
    assert y2017[HT_OPERATIONS].isna().all().all()
    rd = [
        "rd_expenditure",
        "rd_basic",
        "rd_applied",
        "rd_experimental",
        "rd_intensity",
        "rd_personnel_fte",
        "rd_researchers_fte",
        "ht_rd_expenditure",
    ]
    assert y2017[rd].notna().all().all()
    assert panel[panel["year"] == 2016][HT_OPERATIONS].notna().all().all()


def test_technology_market_gap_2011(panel: pd.DataFrame) -> None:
    tm = [c for c in panel.columns if c.startswith("tm_")]
    assert panel.loc[panel["year"] == 2011, tm].isna().all().all()
    assert (
        panel.loc[panel["year"] == 2012, ["tm_absorb_contracts", "tm_absorb_value"]]
        .notna()
        .all()
        .all()
    )


@pytest.mark.parametrize("column", RELABELLED)
def test_relabelled_series_show_no_jump(panel: pd.DataFrame, column: str) -> None:
    series = national(panel, column).loc[2018:2023]
    ratios = (series / series.shift()).dropna()
    assert len(ratios) == 5
    assert ratios.between(0.8, 1.5).all(), ratios.to_dict()


def test_ht_rd_personnel_2019_2021(panel: pd.DataFrame) -> None:
    fte = national(panel, "ht_rd_personnel_fte")
    for ratio in (fte[2020] / fte[2019], fte[2021] / fte[2020]):
        assert 0.8 <= ratio <= 1.5


def test_invention_patents_within_applications(panel: pd.DataFrame) -> None:
    both = panel.dropna(subset=["ht_patent_applications"])
    assert len(both) == 32 * 6
    assert (both["ht_invention_patents"] <= both["ht_patent_applications"]).all()


def test_rd_expenditure_is_sum_of_activities(panel: pd.DataFrame) -> None:
    rd = panel.dropna(subset=["rd_expenditure"])
    parts = rd["rd_basic"] + rd["rd_applied"] + rd["rd_experimental"]
    np.testing.assert_allclose(parts, rd["rd_expenditure"], rtol=5e-3)


def test_documented_breaks_and_oddities(panel: pd.DataFrame) -> None:
    assert value(panel, "00", 2010, "ht_enterprises") == 28189
    assert value(panel, "00", 2011, "ht_enterprises") == 21682
    assert value(panel, "64", 2013, "ht_profit") == pytest.approx(-0.1)
    assert value(panel, "64", 2014, "ht_profit") == 0
    tibet = panel[panel["code"] == "54"].set_index("year")["tm_export_value"]
    assert tibet.loc[[2000, 2005, 2010, 2012, 2013, 2014, 2015, 2016]].isna().all()
    assert tibet.loc[2017:].notna().all()
    budget = national(panel, "budget_total")
    assert budget.loc[2010:2018].isna().all()
    assert budget.loc[2019:].notna().all()


def test_dictionary_lists_every_data_column(panel: pd.DataFrame) -> None:
    info = describe_provincial_panel()
    data_columns = [c for c in panel.columns if c not in ID_COLUMNS]
    assert info["column"].tolist() == data_columns
    assert list(info.columns) == [
        "column",
        "description",
        "name_zh",
        "unit_zh",
        "unit_en",
        "source_dataset",
        "source_code",
        "first_year",
        "last_year",
        "years_missing_within_span",
        "n_missing_31",
        "notes",
    ]
    for column in ("description", "name_zh", "unit_zh", "unit_en", "source_code"):
        assert (info[column] != "").all(), column
    assert info["source_code"].str.startswith(("v4_", "v6_")).all()


def test_dictionary_matches_data(panel: pd.DataFrame) -> None:
    provinces = panel[panel["code"] != "00"]
    for row in describe_provincial_panel().itertuples(index=False):
        years = sorted(panel.loc[panel[row.column].notna(), "year"].unique())
        assert (row.first_year, row.last_year) == (years[0], years[-1])
        gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        assert row.years_missing_within_span == ";".join(map(str, gaps))
        covered = provinces[provinces["year"].isin(years)]
        assert row.n_missing_31 == covered[row.column].isna().sum(), row.column
    info = describe_provincial_panel().set_index("column")
    assert info.loc["ht_enterprises", "years_missing_within_span"] == "2017"
    assert info.loc["ht_new_product_revenue", "n_missing_31"] == 6
    assert info.loc["tm_export_value", "n_missing_31"] == 10


def test_caller_cannot_corrupt_package_data() -> None:
    first = load_provincial_panel(national=True)
    pristine = first.copy(deep=True)
    first.loc[:, "rd_intensity"] = -1.0
    first["code"] = "xx"
    first.iloc[:10, 4:] = np.nan
    pd.testing.assert_frame_equal(load_provincial_panel(national=True), pristine)

    info = describe_provincial_panel()
    info_pristine = info.copy(deep=True)
    info["unit_en"] = "corrupted"
    pd.testing.assert_frame_equal(describe_provincial_panel(), info_pristine)


def _build_script():
    """The build script, which lives in the repository but not in the installed package."""
    spec = importlib.util.spec_from_file_location("build_techme", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_raw = pytest.mark.skipif(
    not (TECHME.is_dir() and GEO.is_dir()),
    reason=f"raw data not found at {TECHME} and {GEO} (expects shared/ beside the repository)",
)


@needs_raw
def test_rebuild_reproduces_shipped_files(tmp_path: Path) -> None:
    build_techme = _build_script()

    build_techme.main(["--source", str(TECHME), "--geo", str(GEO), "--out", str(tmp_path)])
    for name in (build_techme.PANEL_NAME, build_techme.COLUMNS_NAME):
        assert (tmp_path / name).read_bytes() == (PACKAGE_DIR / name).read_bytes(), name


@needs_raw
def test_build_rejects_unit_mixup() -> None:
    build_techme = _build_script()

    long = pd.read_csv(TECHME / build_techme.RAW_NAME, dtype={"code": str})
    hit = (long["variables"] == "v4_cy_RDhd_qsdl") & (long["year"] == 2020)
    long.loc[hit, "value"] = long.loc[hit, "value"] / 1e4  # as if converted from 万元
    with pytest.raises(AssertionError, match="do not continue the series"):
        build_techme.select_and_clean(long)


@needs_raw
def test_build_rejects_changed_raw_file(tmp_path: Path) -> None:
    build_techme = _build_script()

    raw = (TECHME / build_techme.RAW_NAME).read_bytes()
    changed = raw.replace(b",2.65\n", b",2.66\n", 1)
    assert changed != raw
    (tmp_path / build_techme.RAW_NAME).write_bytes(changed)
    with pytest.raises(AssertionError, match="changed"):
        build_techme.read_raw(tmp_path)
