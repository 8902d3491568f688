"""Build the packaged provincial panel from the ``techme`` long table.

Run from the repository root, with ``shared/`` beside the clone::

    python coupling/datasets/tools/build_techme.py

The sources default to ``../shared/data/china_techme`` and ``../shared/data/china_geo``
relative to the repository and the output to ``coupling/datasets`` (each can be given
with ``--source``, ``--geo`` and ``--out``). The script lives in the repository, not in
the installed package.

Provenance
----------
``techme_province_panel_long.csv`` is a conversion (``rdata`` Python package) of the ``.rda``
data sets of the R package *techme* by Hu Huaping (GitHub ``huhuaping/techme``, commit
9ad60a190dec4a56953da9c478d42cd44c80762a, MIT licence), which compiles provincial tables of the
China Statistical Yearbook on Science and Technology and of the China Statistical Yearbook
(public finance). English province names come from ``china_geo/provinces_cn.csv``.

Cleaning steps (each one is checked by an assertion below)
----------------------------------------------------------
1. Pin the raw file: SHA-256 of its bytes (line endings normalised to ``\\n``) must equal
   ``RAW_SHA256``; any change to the raw data stops the build.
2. Select the 26 series of ``SERIES`` by (dataset, variable code). ``v4_zh_nbzc_hj`` exists in
   both RDActivity and RDSource; it is taken from RDActivity after checking that both agree to
   within the 0.5 (10 thousand yuan) rounding of RDSource.
3. Relabel wrong unit labels (``RELABEL``): in IndustryRD four count series carry the label
   万元 in some years although the values continue the count series. The rows relabelled must be
   exactly the listed years, and the national series' year-on-year ratio across them must stay
   within [0.5, 2] (a 万元/count mix-up would be off by orders of magnitude).
4. Check: one unit per series, 31 provinces + national (code ``00``), no duplicate
   (code, variable, year), basic + applied + experimental = total R&D within 0.5 %, RDActivity
   total / 1e4 = RDIntense R&D expenditure (亿元, one decimal) within 1 % or within its 0.05
   rounding, invention patents <= patent applications, the 2023 R&D intensity spot values
   (national 2.65, Beijing 6.73, Shanghai 4.34, Tibet 0.30), no 2017 high-tech operations,
   national budget row (2019-2023 only) = sum of provinces, national technology absorbed > sum
   of provinces.
5. Pivot to one row per (code, year) over the union of years of all series (a balanced panel:
   absent cells are NaN), add ``province_zh`` / ``province_en``, sort by code then year.
   Values are not rescaled: every column keeps its source unit.
6. Write the panel and a data dictionary as UTF-8 CSV with ``\\n`` line endings; floats use
   ``%.10g`` only if that round-trips every value, otherwise Python's shortest round-trip repr.
   The written panel is read back and compared exactly.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: The repository root (this file is coupling/datasets/tools/build_techme.py).
REPOSITORY = Path(__file__).resolve().parents[3]
RAW_NAME = "techme_province_panel_long.csv"
RAW_SHA256 = "f6cc45863c98f5cb89df988b29f54e82971a86977817c1c914c60da9f98a7490"
PANEL_NAME = "china_techme_panel.csv"
COLUMNS_NAME = "china_techme_columns.csv"
NATIONAL = ("00", "全国", "China (national total)")

# column -> (dataset, variable code, unit_zh, unit_en, English description)
SERIES: dict[str, tuple[str, str, str, str, str]] = {
    "ht_enterprises": (
        "IndustryOperation",
        "v4_cy_scjy_qys",
        "个",
        "enterprises",
        "High-tech manufacturing: number of enterprises",
    ),
    "ht_revenue": (
        "IndustryOperation",
        "v4_cy_scjy_zyyw",
        "亿元",
        "100 million yuan",
        "High-tech manufacturing: main business revenue",
    ),
    "ht_profit": (
        "IndustryOperation",
        "v4_cy_scjy_lrze",
        "亿元",
        "100 million yuan",
        "High-tech manufacturing: total profit",
    ),
    "ht_rd_expenditure": (
        "IndustryRD",
        "v4_cy_RDhd_nbzc",
        "万元",
        "10 thousand yuan",
        "High-tech manufacturing: intramural R&D expenditure",
    ),
    "ht_rd_personnel_fte": (
        "IndustryRD",
        "v4_cy_RDhd_qsdl",
        "人年",
        "person-years",
        "High-tech manufacturing: R&D personnel, full-time equivalent",
    ),
    "ht_rd_institutions": (
        "IndustryRD",
        "v4_cy_RDhd_yfjgs",
        "个",
        "institutions",
        "High-tech manufacturing: R&D institutions run by enterprises",
    ),
    "ht_patent_applications": (
        "IndustryRD",
        "v4_cy_qyzl_sqs",
        "件",
        "patents",
        "High-tech manufacturing: patent applications",
    ),
    "ht_invention_patents": (
        "IndustryRD",
        "v4_cy_qyzl_fms",
        "件",
        "patents",
        "High-tech manufacturing: invention patent applications (subset of ht_patent_applications)",
    ),
    "ht_new_product_projects": (
        "IndustryRD",
        "v4_cy_xcp_kfxm",
        "项",
        "projects",
        "High-tech manufacturing: new-product development projects",
    ),
    "ht_new_product_dev_expenditure": (
        "IndustryRD",
        "v4_cy_xcp_kfjf",
        "万元",
        "10 thousand yuan",
        "High-tech manufacturing: new-product development expenditure",
    ),
    "ht_new_product_revenue": (
        "IndustryRD",
        "v4_cy_xcp_xssr",
        "万元",
        "10 thousand yuan",
        "High-tech manufacturing: sales revenue of new products",
    ),
    "tm_export_contracts": (
        "MarketPush",
        "v4_cg_jssc_ht",
        "项",
        "contracts",
        "Technology market, outflow: contracts sold by the province",
    ),
    "tm_export_value": (
        "MarketPush",
        "v4_cg_jssc_je",
        "万元",
        "10 thousand yuan",
        "Technology market, outflow: turnover of contracts sold",
    ),
    "tm_absorb_contracts": (
        "MarketPull",
        "v4_cg_jssr_ht",
        "项",
        "contracts",
        "Technology market, inflow: contracts absorbed (bought) by the province",
    ),
    "tm_absorb_value": (
        "MarketPull",
        "v4_cg_jssr_je",
        "万元",
        "10 thousand yuan",
        "Technology market, inflow: turnover of contracts absorbed",
    ),
    "rd_expenditure": (
        "RDActivity",
        "v4_zh_nbzc_hj",
        "万元",
        "10 thousand yuan",
        "Intramural R&D expenditure, all performers, total",
    ),
    "rd_basic": (
        "RDActivity",
        "v4_zh_nbzc_jcyj",
        "万元",
        "10 thousand yuan",
        "Intramural R&D expenditure: basic research",
    ),
    "rd_applied": (
        "RDActivity",
        "v4_zh_nbzc_yyyj",
        "万元",
        "10 thousand yuan",
        "Intramural R&D expenditure: applied research",
    ),
    "rd_experimental": (
        "RDActivity",
        "v4_zh_nbzc_syfz",
        "万元",
        "10 thousand yuan",
        "Intramural R&D expenditure: experimental development",
    ),
    "rd_intensity": (
        "RDIntense",
        "v4_ztr_qd_RD",
        "%",
        "percent of GDP",
        "R&D intensity: R&D expenditure as a share of GDP",
    ),
    "rd_personnel_fte": (
        "RDLaborHour",
        "v4_zh_qsdl_hj",
        "人年",
        "person-years",
        "R&D personnel, full-time equivalent, total",
    ),
    "rd_researchers_fte": (
        "RDLaborHour",
        "v4_zh_qsdl_yjry",
        "人年",
        "person-years",
        "R&D researchers, full-time equivalent",
    ),
    "budget_total": (
        "PublicBudget",
        "v6_cz_yszc_hj",
        "亿元",
        "100 million yuan",
        "General public budget expenditure, total",
    ),
    "budget_education": (
        "PublicBudget",
        "v6_cz_yszc_jy",
        "亿元",
        "100 million yuan",
        "General public budget expenditure: education",
    ),
    "budget_science_tech": (
        "PublicBudget",
        "v6_cz_yszc_kxjs",
        "亿元",
        "100 million yuan",
        "General public budget expenditure: science and technology",
    ),
    "budget_agri_forestry_water": (
        "PublicBudget",
        "v6_cz_yszc_nls",
        "亿元",
        "100 million yuan",
        "General public budget expenditure: agriculture, forestry and water affairs",
    ),
}

# variable code -> source years labelled 万元 whose values are counts (found by grouping the raw
# rows by variables, units, year); they are relabelled to the series' unit in SERIES.
RELABEL: dict[str, tuple[int, ...]] = {
    "v4_cy_RDhd_qsdl": (2020,),
    "v4_cy_RDhd_yfjgs": (2020,),
    "v4_cy_qyzl_fms": (2018, 2019, 2020, 2022, 2023),
    "v4_cy_xcp_kfxm": (2020,),
}

NOTES: dict[str, str] = {
    "ht_enterprises": "2017 absent in source. Break 2010->2011 (national 28189 -> 21682): "
    "size threshold for enterprises above designated size raised.",
    "ht_revenue": "2017 absent in source. Current prices.",
    "ht_profit": "2017 absent in source. Ningxia (64) -0.1 in 2013 and 0.0 in 2014.",
    "ht_rd_personnel_fte": "2020 labelled 万元 in source; relabelled (values continue the series).",
    "ht_rd_institutions": "2020 labelled 万元 in source; relabelled. Tibet (54) missing 2018, "
    "2020, 2021.",
    "ht_invention_patents": "2018-2020 and 2022-2023 labelled 万元 in source (only 2021 is "
    "labelled 件); relabelled.",
    "ht_new_product_projects": "2020 labelled 万元 in source; relabelled.",
    "ht_new_product_revenue": "Tibet (54) missing 2017-2022.",
    "tm_export_contracts": "Years 2000, 2005, 2010, 2012-2023. Tibet (54) missing 2000-2016; "
    "Hainan (46) and Qinghai (63) missing 2000.",
    "tm_export_value": "Years 2000, 2005, 2010, 2012-2023. Tibet (54) missing 2000-2016; "
    "Hainan (46) and Qinghai (63) missing 2000. Sum of provinces is 91-100 % "
    "of the national total. Current prices.",
    "tm_absorb_contracts": "Years 2000, 2005, 2010, 2012-2023. National total equals "
    "tm_export_contracts (whole national market).",
    "tm_absorb_value": "Years 2000, 2005, 2010, 2012-2023. National total is the whole national "
    "market (= tm_export_value), NOT the sum of provinces, which is only "
    "78-96 % of it. Current prices.",
    "rd_expenditure": "Equals rd_basic + rd_applied + rd_experimental (within 0.5 %). "
    "Current prices.",
    "rd_intensity": "Starts 2011; two decimals as published.",
}
for _col in (
    "budget_total",
    "budget_education",
    "budget_science_tech",
    "budget_agri_forestry_water",
):
    NOTES[_col] = (
        "National row only 2019-2023, equal to the sum of the 31 provinces "
        "(local budgets, not central + local). Current prices."
    )

SPOT_RD_INTENSITY_2023 = {"00": 2.65, "11": 6.73, "31": 4.34, "54": 0.30}


def _check(condition: object, message: str) -> None:
    """Fail loudly (also under ``python -O``) when a data check does not hold."""
    if not bool(condition):
        raise AssertionError(f"techme build check failed: {message}")


def _wide(long: pd.DataFrame, dataset: str, variable: str) -> pd.DataFrame:
    """One source series as a code x year table."""
    rows = long[(long["dataset"] == dataset) & (long["variables"] == variable)]
    return rows.pivot(index="code", columns="year", values="value")


def read_raw(source: Path) -> pd.DataFrame:
    """Read the raw long CSV after checking its SHA-256."""
    path = source / RAW_NAME
    digest = hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    _check(
        digest == RAW_SHA256,
        f"{path} changed (sha256 {digest}); re-inspect the data, "
        "then update RAW_SHA256 and the checks",
    )
    return pd.read_csv(path, dtype={"code": str, "variables": str, "units": str})


def select_and_clean(long: pd.DataFrame) -> pd.DataFrame:
    """Steps 2-4: select the series, relabel wrong units and check the result."""
    act = _wide(long, "RDActivity", "v4_zh_nbzc_hj")
    src = _wide(long, "RDSource", "v4_zh_nbzc_hj")
    _check((act - src).abs().max().max() <= 0.5 + 1e-6, "RDActivity/RDSource totals differ")

    keys = pd.DataFrame(
        [(c, ds, v) for c, (ds, v, *_) in SERIES.items()],
        columns=["column", "dataset", "variables"],
    )
    sel = long.merge(keys, on=["dataset", "variables"], how="inner", validate="many_to_one")
    _check(sel["column"].nunique() == len(SERIES), "a selected series is absent")
    _check(not sel.duplicated(["code", "variables", "year"]).any(), "duplicate rows")

    target = sel["column"].map({c: s[2] for c, s in SERIES.items()})
    for variable, years in RELABEL.items():
        wrong = (sel["variables"] == variable) & (sel["units"] != target)
        _check(
            sorted(sel.loc[wrong, "year"].unique()) == list(years)
            and (sel.loc[wrong, "units"] == "万元").all(),
            f"unexpected unit labels for {variable}",
        )
        national = sel[(sel["variables"] == variable) & (sel["code"] == "00")]
        ratio = national.set_index("year")["value"].sort_index().pipe(lambda s: s / s.shift())
        touching = [y for y in ratio.index if y in years or y - 1 in years]
        _check(
            ratio.loc[touching].dropna().between(0.5, 2).all(),
            f"{variable}: relabelled years do not continue the series",
        )
        sel.loc[wrong, "units"] = target[wrong]
    _check((sel["units"] == target).all(), "a series has more than one unit")
    return sel


def check_values(long: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Step 4: cross-series consistency checks on the wide panel."""
    p = panel.set_index(["code", "year"])
    rd = p[["rd_expenditure", "rd_basic", "rd_applied", "rd_experimental"]].dropna(how="all")
    parts = rd["rd_basic"] + rd["rd_applied"] + rd["rd_experimental"]
    _check(((parts / rd["rd_expenditure"] - 1).abs() <= 0.005).all(), "R&D parts != total")

    intense = _wide(long, "RDIntense", "v4_ztr_jf_RD").stack()
    ours = (p["rd_expenditure"] / 1e4).reindex(intense.index)
    gap = (ours - intense).abs()
    _check(
        ((gap <= 0.01 * intense) | (gap <= 0.05 + 1e-9)).all(),
        "rd_expenditure disagrees with RDIntense R&D expenditure",
    )

    has = p["ht_patent_applications"].notna()
    _check(
        (p.loc[has, "ht_invention_patents"] <= p.loc[has, "ht_patent_applications"]).all(),
        "invention patents exceed patent applications",
    )
    for code, value in SPOT_RD_INTENSITY_2023.items():
        _check(p.loc[(code, 2023), "rd_intensity"] == value, f"R&D intensity 2023 {code}")
    _check(
        p.xs(2017, level="year")[["ht_enterprises", "ht_revenue", "ht_profit"]].isna().all().all(),
        "2017 high-tech operations unexpectedly present",
    )

    prov = p.drop(index="00", level="code").groupby(level="year")
    nat = p.xs("00", level="code")
    budget = [c for c in SERIES if c.startswith("budget_")]
    has_nat = nat["budget_total"].notna()
    _check(
        (nat.loc[has_nat, budget] - prov[budget].sum().loc[has_nat]).abs().max().max() < 0.05,
        "national budget row is not the sum of provinces",
    )
    _check(list(has_nat[has_nat].index) == list(range(2019, 2024)), "national budget years")
    absorbed_gap = nat["tm_absorb_value"] - prov["tm_absorb_value"].sum(min_count=1)
    _check((absorbed_gap.dropna() > 0).all(), "national technology absorbed <= sum of provinces")


def build_panel(sel: pd.DataFrame, geo: Path) -> pd.DataFrame:
    """Step 5: pivot to one row per (code, year) and attach province names."""
    provinces = pd.read_csv(geo / "provinces_cn.csv", dtype={"code": str, "in_31": str})
    provinces = provinces[provinces["in_31"] == "True"]
    names = pd.DataFrame(
        [NATIONAL, *provinces[["code", "name_zh_short", "name_en"]].itertuples(index=False)],
        columns=["code", "province_zh", "province_en"],
    )
    source_names = sel[["code", "province"]].drop_duplicates().set_index("code")["province"]
    _check(
        len(names) == 32
        and source_names.index.is_unique
        and source_names.sort_index().equals(
            names.set_index("code")["province_zh"].sort_index().rename("province")
        ),
        "provinces differ from 31 provinces + national",
    )

    wide = sel.pivot(index=["code", "year"], columns="column", values="value")
    full = pd.MultiIndex.from_product(
        [sorted(names["code"]), sorted(sel["year"].unique())], names=["code", "year"]
    )
    wide = wide.reindex(index=full, columns=list(SERIES)).reset_index()
    panel = names.merge(wide, on="code", how="right", validate="one_to_many")
    panel = panel[["code", "province_zh", "province_en", "year", *SERIES]]
    panel["year"] = panel["year"].astype("int64")
    return panel.sort_values(["code", "year"], ignore_index=True)


def data_dictionary(sel: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Describe every series column of the panel."""
    provinces = panel[panel["code"] != "00"]
    rows = []
    for column, (dataset, variable, unit_zh, unit_en, description) in SERIES.items():
        years = sorted(panel.loc[panel[column].notna(), "year"].unique())
        gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        covered = provinces[provinces["year"].isin(years)]
        rows.append(
            {
                "column": column,
                "description": description,
                "name_zh": ";".join(sel.loc[sel["column"] == column, "chn_block4"].unique()),
                "unit_zh": unit_zh,
                "unit_en": unit_en,
                "source_dataset": dataset,
                "source_code": variable,
                "first_year": int(years[0]),
                "last_year": int(years[-1]),
                "years_missing_within_span": ";".join(str(y) for y in gaps),
                "n_missing_31": int(covered[column].isna().sum()),
                "notes": NOTES.get(column, ""),
            }
        )
    return pd.DataFrame(rows)


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Step 6: deterministic UTF-8 CSV with round-tripping floats."""
    values = frame.select_dtypes("float64").to_numpy().ravel()
    values = values[~np.isnan(values)]
    short = all(float(f"{v:.10g}") == v for v in values)
    frame.to_csv(
        path,
        index=False,
        encoding="utf-8",
        lineterminator="\n",
        float_format="%.10g" if short else None,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = REPOSITORY.parent / "shared" / "data"
    parser.add_argument(
        "--source",
        type=Path,
        default=shared / "china_techme",
        help="china_techme directory (default ../shared/data/china_techme)",
    )
    parser.add_argument(
        "--geo",
        type=Path,
        default=shared / "china_geo",
        help="china_geo directory (default ../shared/data/china_geo)",
    )
    parser.add_argument("--out", type=Path, default=REPOSITORY / "coupling" / "datasets",
                        help="output directory (default coupling/datasets)")  # fmt: skip
    args = parser.parse_args(argv)

    long = read_raw(args.source)
    sel = select_and_clean(long)
    panel = build_panel(sel, args.geo)
    check_values(long, panel)

    args.out.mkdir(parents=True, exist_ok=True)
    _write(panel, args.out / PANEL_NAME)
    _write(data_dictionary(sel, panel), args.out / COLUMNS_NAME)
    back = pd.read_csv(
        args.out / PANEL_NAME, dtype={"code": str, "province_zh": str, "province_en": str}
    )
    pd.testing.assert_frame_equal(back, panel, check_exact=True, check_dtype=False)
    print(f"wrote {len(panel)} rows x {panel.shape[1]} columns to {args.out / PANEL_NAME}")


if __name__ == "__main__":
    main()
