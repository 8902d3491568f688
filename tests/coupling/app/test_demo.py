"""Tests of coupling/app/demo.py (the main job, in English and in Chinese)."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from matplotlib import image

from coupling.app.cli import main
from coupling.app.demo import DEMO_SYSTEM, complete_years
from coupling.app.report import Report, markdown_table
from coupling.datasets import load_provincial_panel

TABLES = {
    "indicator_weights",
    "weights_bootstrap",
    "d_by_year",
    "d_by_province",
    "tier_counts",
    "lag_types",
    "scores",
    "topsis",
    "grey_relational",
    "geodetector",
    "geodetector_interaction",
    "moran",
    "lisa",
    "hotspot_counts",
    "gravity_centres",
    "ellipses",
    "rey_types",
    "model_comparison",
    "model_tests",
    "impacts",
    "dagum",
    "dagum_intervals",
    "theil",
    "markov",
    "markov_tests",
    "obstacles",
    "sigma",
    "beta",
    "io_fusion",
    "io_fusion_by_sector",
    "io_linkages",
}
FIGURES = {
    "map_d",
    "trend_by_region",
    "moran_scatter",
    "lisa_map",
    "hotspot_map",
    "centre_path",
    "dagum",
    "kernel_density",
    "io_fusion_path",
    "io_fusion_heatmap",
}


def _not_blank(path) -> None:
    pixels = image.imread(path)
    assert pixels.std() > 0.05
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1]).round(2), axis=0)
    assert len(colours) >= 5


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    lines: list[str] = []
    summary = __import__("coupling.app.demo", fromlist=["run_demo"]).run_demo(
        out, bootstrap=100, seed=0, echo=lines.append
    )
    return out, lines, summary


def test_complete_years_of_the_demo_system():
    # 2017 lacks high-tech operations; Tibet lacks technology exports up to 2016
    years = complete_years(load_provincial_panel(), DEMO_SYSTEM.indicators)
    assert years == [2018, 2019, 2020, 2021, 2022, 2023]


def test_demo_writes_the_whole_report(demo_report):
    out, lines, summary = demo_report
    steps = [line.split("] ")[1][:3] for line in lines[:5]]
    assert steps == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    assert "Mean D (standard) rose from" in summary and "Dagum Gini of D" in summary
    assert "Complete consumption of producer services by manufacturing" in summary
    assert {p.stem for p in (out / "tables").glob("*.csv")} == TABLES
    assert {p.stem for p in (out / "figures").glob("*.png")} == FIGURES
    for png in (out / "figures").glob("*.png"):
        assert png.stat().st_size > 10_000
        _not_blank(png)
    html = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    for name in FIGURES:
        assert f"figures/{name}.png" in html and f"figures/{name}.png" in markdown
    assert html.count('<div class="tbl"') == len(TABLES)
    scores = pd.read_csv(out / "tables" / "scores.csv", dtype={"code": str})
    assert len(scores) == 31 * 6 and scores["D"].between(0, 1).all()
    assert {"province_zh", "province_en", "tier", "lag_type", "D_wang2021"} <= set(scores.columns)
    tests = pd.read_csv(out / "tables" / "model_tests.csv")
    assert set(tests["test"]) == {
        "LR SDM vs SAR",
        "LR SDM vs SEM",
        "Wald theta = 0",
        "Wald theta + rho*beta = 0",
    }
    dagum = pd.read_csv(out / "tables" / "dagum.csv")
    np.testing.assert_allclose(dagum[["G_w", "G_nb", "G_t"]].sum(axis=1), dagum["G"], rtol=1e-12)


# WIOD 2016 codes of the two groups (coupling/inputoutput/SECTORS.md), present for China
PRODUCER_SERVICES = ["G46", "H49", "H50", "H51", "H52", "H53", "J61", "J62_J63", "K64", "K65",
                     "M69_M70", "M72", "M74_M75", "N"]  # fmt: skip
MANUFACTURING = ["C10-C12", "C13-C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22", "C23",
                 "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31_C32"]  # fmt: skip


def test_demo_fusion_equals_sums_of_the_published_flows(demo_report):
    # Direct fusion, output-weighted, is sum of flows over sum of output (coupling/inputoutput/
    # fusion.py): computed here from the packaged CSV with plain pandas, domestic and imported
    # rows together, for 2000 and 2014.
    from importlib.resources import files

    out, _, _ = demo_report
    with files("coupling.datasets").joinpath("wiod2016_china_niot.csv").open("rb") as handle:
        raw = pd.read_csv(handle, sep=";", skiprows=[1], thousands=" ", encoding="utf-8-sig")
    fusion = pd.read_csv(out / "tables" / "io_fusion.csv").set_index("year")
    for year in (2000, 2014):
        rows = raw[(raw["Year"] == year) & raw["Origin"].isin(["Domestic", "Imports"])]
        output = raw[(raw["Year"] == year) & (raw["Code"] == "GO")]
        for source, target, column in (
            (PRODUCER_SERVICES, MANUFACTURING, "producer services → manufacturing, direct"),
            (MANUFACTURING, PRODUCER_SERVICES, "manufacturing → producer services, direct"),
        ):
            flows = rows[rows["Code"].isin(source)][target].to_numpy().sum()
            expected = flows / output[target].to_numpy().sum()
            assert fusion.loc[year, column] == pytest.approx(expected, rel=1e-12), (year, column)


def screenshot(page, shot, profile) -> subprocess.CompletedProcess[str]:
    """Headless Chromium renders ``page`` at 1,280 px and writes a PNG to ``shot``."""
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
         "--window-size=1280,2400", f"--screenshot={shot}", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="no Chromium on this machine"
)

#: Added to a copy of a report: after layout at 1,280 px, the tables whose box scrolls
#: sideways (and the page, if it does) are written into an attribute of <body>.
OVERFLOW_PROBE = """<script>
window.addEventListener('load', () => {
  const wide = [];
  document.querySelectorAll('.scroll').forEach(box => {
    if (box.scrollWidth > box.clientWidth + 1) wide.push(box.closest('.tbl').id);
  });
  if (document.documentElement.scrollWidth > window.innerWidth) wide.push('page');
  document.body.setAttribute('data-overflow', wide.join(' ') || 'none');
});
</script>"""


def overflowing(page, profile) -> str:
    """What scrolls sideways in ``page`` at 1,280 px in headless Chromium ('none' if nothing)."""
    probe = page.with_name("overflow_probe.html")
    html = page.read_text(encoding="utf-8").replace("</body>", OVERFLOW_PROBE + "</body>")
    probe.write_text(html, encoding="utf-8")
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={profile}", "--window-size=1280,2000", "--dump-dom",
         probe.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    probe.unlink()
    found = re.search(r'data-overflow="([^"]*)"', done.stdout)
    assert found, done.stderr
    return found.group(1)


@needs_chromium
def test_report_renders_in_a_headless_browser(demo_report, tmp_path):
    out, _, _ = demo_report
    shot = tmp_path / "page.png"
    result = screenshot(out / "report.html", shot, tmp_path / "profile")
    assert shot.exists(), result.stderr
    assert shot.stat().st_size > 50_000
    _not_blank(shot)


@pytest.fixture(scope="module")
def chinese_report(tmp_path_factory):
    from spatial.viz import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no font with Chinese glyphs (Debian: fonts-noto-cjk)")
    out = tmp_path_factory.mktemp("report_zh")
    __import__("coupling.app.demo", fromlist=["run_demo"]).run_demo(
        out, bootstrap=50, seed=0, language="zh", quiet=True
    )
    return out


@needs_chromium
def test_no_table_of_the_report_scrolls_sideways_at_1280_px(demo_report, tmp_path):
    out, _, _ = demo_report
    assert overflowing(out / "report.html", tmp_path / "profile") == "none"


@needs_chromium
def test_no_table_of_the_chinese_edition_scrolls_sideways(chinese_report, tmp_path):
    assert overflowing(chinese_report / "report.html", tmp_path / "profile") == "none"


def test_chinese_edition_labels_its_tables_and_keeps_english_names_in_the_csv(chinese_report):
    page = (chinese_report / "report.html").read_text(encoding="utf-8")
    weights = page[page.index('id="table-indicator_weights"') :]
    weights = weights[: weights.index("</table>")]
    for label in ("子系统", "指标", "方向", "权重 w", "制造业", "高技术制造业企业数"):
        assert label in weights
    for name in (">subsystem<", ">indicator<", ">manufacturing<", ">ht_enterprises<"):
        assert name not in weights
    assert "CSV 文件保留英文列名" in page
    table = pd.read_csv(chinese_report / "tables" / "indicator_weights.csv", encoding="utf-8-sig")
    assert {"subsystem", "indicator", "w"} <= set(table.columns)
    assert set(table["subsystem"]) == {"manufacturing", "services"}
    scores = page[page.index('id="table-scores"') :]
    scores = scores[: scores.index('class="note"')]
    assert "协调等级" in scores and "勉强协调" in scores and "barely coordinated" not in scores


def test_english_edition_shows_its_own_column_of_a_pair(demo_report):
    out, _, _ = demo_report
    page = (out / "report.html").read_text(encoding="utf-8")
    scores = page[page.index('id="table-scores"') :]
    scores = scores[: scores.index('class="note"')]
    assert ">tier<" in scores and ">tier_zh<" not in scores and "勉强协调" not in scores
    assert "Columns 1–" in scores  # the wide table comes in parts that fit the page
    csv = pd.read_csv(out / "tables" / "scores.csv", encoding="utf-8-sig")
    assert {"tier", "tier_zh", "province_en", "province_zh"} <= set(csv.columns)


def test_chinese_edition(chinese_report):
    out = chinese_report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page or "lang='zh-CN'" in page
    for words in ("一、耦合协调度", "二、D 的空间格局", "三、D 的空间杜宾模型", "目录", "勉强协调"):
        assert words in page
    assert {p.stem for p in (out / "figures").glob("*.png")} == FIGURES
    tiers = pd.read_csv(out / "tables" / "tier_counts.csv", encoding="utf-8-sig")
    assert "勉强协调" in tiers.columns


@needs_chromium
def test_chinese_edition_renders_in_a_headless_browser(chinese_report, tmp_path):
    shot = tmp_path / "page_zh.png"
    result = screenshot(chinese_report / "report.html", shot, tmp_path / "profile")
    assert shot.exists(), result.stderr
    assert shot.stat().st_size > 50_000
    _not_blank(shot)


def test_chinese_edition_without_a_font_says_what_to_install(tmp_path, monkeypatch):
    import spatial.viz.figure as figure_module
    from coupling.app.demo import run_demo
    from spatial.exceptions import FontNotFoundError

    monkeypatch.setattr(figure_module, "find_cjk_font", lambda: None)
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        run_demo(tmp_path, bootstrap=0, language="zh", quiet=True)
    assert not (tmp_path / "report.html").exists()


def test_cli_demo(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--bootstrap", "20"]) == 0
    printed = capsys.readouterr().out
    assert "1/5 coupling coordination" in printed and "report.html" in printed
    assert main(["demo", "--out", str(tmp_path / "q"), "--bootstrap", "0", "--quiet"]) == 0
    assert "1/5" not in capsys.readouterr().out
    assert (tmp_path / "report.html").exists() and (tmp_path / "report.md").exists()


def test_markdown_and_report_writer(tmp_path):
    frame = pd.DataFrame({"a": [1.5, np.nan], "b": ["x", "y"]}, index=["r1", "r2"])
    assert (
        markdown_table(frame)
        == "| index | a | b |\n|---|---|---|\n| r1 | 1.5000 | x |\n| r2 |  | y |"
    )
    report = Report("T <&>")
    report.heading("S")
    report.text("p")
    report.table("cap", frame, "t1")
    files = report.write(tmp_path)
    assert (tmp_path / "tables" / "t1.csv").exists() and len(files) == 3
    assert "T &lt;&amp;&gt;" in (tmp_path / "report.html").read_text(encoding="utf-8")
