"""Tests of coupling/app/report.py: the HTML, Markdown and CSV of a report."""

from __future__ import annotations

import codecs
import itertools
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from coupling.app.report import Report, markdown_table


class _Page(HTMLParser):
    """Elements of a page: ids, the TOC links, headings, tables and their rows."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.ids: list[str] = []
        self.toc_links: list[str] = []
        self.headings: dict[str, str] = {}  # h2 id -> text
        self.events: list[tuple[str, dict[str, str | None]]] = []  # start tags in order
        self._stack: list[str] = []
        self._in_toc = False
        self._h2: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.events.append((tag, attributes))
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "nav":
            self._in_toc = True
        if tag == "a" and self._in_toc:
            self.toc_links.append(attributes.get("href") or "")
        if tag == "h2":
            self._h2 = attributes.get("id") or ""
            self.headings[self._h2] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_toc = False
        if tag == "h2":
            self._h2 = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._h2 is not None:
            self.headings[self._h2] += data


def _parse(path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _figure(width: float = 4.0, height: float = 3.0) -> Figure:
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [0, 1, 4], color="C1")
    axes.set_title("a figure")
    return figure


def _table_html(page_html: str, name: str) -> str:
    """The HTML of one table block (its ``div.tbl``)."""
    pattern = rf'<div class="tbl" id="table-{name}">.*?<p class="note">.*?</p>\n</div>'
    match = re.search(pattern, page_html, re.S)
    assert match, name
    return match.group(0)


def _rows(fragment: str) -> int:
    return fragment.count("<tr>")


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(0)
    long = pd.DataFrame({"x": rng.normal(size=40), "label": [f"r{i}" for i in range(40)]})
    named = pd.DataFrame({"D": [0.1, 0.2, 0.3]}, index=pd.Index([2021, 2022, 2023], name="year"))
    multi = pd.DataFrame(
        {"D": [0.1, 0.2, 0.3, 0.4]},
        index=pd.MultiIndex.from_product([["11", "12"], [2022, 2023]], names=["code", "year"]),
    )
    wide = pd.DataFrame(rng.uniform(size=(3, 30)), columns=[f"indicator_{j}" for j in range(30)])
    return {"long": long, "named": named, "multi": multi, "wide": wide}


@pytest.fixture
def english(tmp_path, frames):
    report = Report("Coupling <&> report", subtitle="31 provinces, 2018-2023")
    report.header({"Input file": "<panel>.csv", "Dependent variable": "D & E", "W": "queen"})
    report.text("An introduction.")
    report.heading("1. Coupling coordination")
    for name, frame in frames.items():
        report.table(f"The {name} table", frame, name)
    report.heading("2. Spatial pattern")
    report.figure("A small figure", _figure(3, 2), "small", width=240)
    report.heading("2. Spatial pattern")  # a repeated heading gets its own id
    report.figure("A large figure", _figure(), "large")
    files = report.write(tmp_path)
    return tmp_path, files


def test_files_written(english):
    out, files = english
    assert files[:2] == [out / "report.html", out / "report.md"]
    assert {p.name for p in files[2:]} == {
        "long.csv",
        "named.csv",
        "multi.csv",
        "wide.csv",
        "small.png",
        "large.png",
    }
    assert all(p.exists() for p in files)
    assert (out / "figures" / "large.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_contents_list_every_heading_and_resolve(english):
    out, _ = english
    page = _parse(out / "report.html")
    assert page.lang == "en"
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    assert list(page.headings.values()) == [
        "1. Coupling coordination",
        "2. Spatial pattern",
        "2. Spatial pattern",
    ]
    assert all(link.startswith("#") for link in page.toc_links)
    targets = [link[1:] for link in page.toc_links]
    assert set(targets) <= set(page.ids)
    assert [t for t in targets if t in page.headings] == list(page.headings)
    # tables and figures are listed too, and the contents come before the first section
    assert {"table-long", "table-wide", "figure-small", "figure-large"} <= set(targets)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert text.index('<nav class="toc"') < text.index("An introduction.") < text.index("<h2")
    assert "Contents" in text


def test_anchor_ids_are_stable(tmp_path):
    def ids() -> list[str]:
        report = Report("T")
        report.heading("1. Coupling coordination")
        report.heading("二、空间格局")
        report.table("t", pd.DataFrame({"a": [1]}), "scores")
        report.write(tmp_path)
        return _parse(tmp_path / "report.html").ids

    first = ids()
    assert first == ids()
    assert "sec-1-coupling-coordination" in first and "sec-二-空间格局" in first
    assert "table-scores" in first


def test_chinese_headings_link(tmp_path):
    report = Report("耦合协调度报告", language="zh")
    report.heading("一、耦合协调度")
    report.heading("二、空间格局")
    report.write(tmp_path)
    page = _parse(tmp_path / "report.html")
    assert list(page.headings.values()) == ["一、耦合协调度", "二、空间格局"]
    assert [link[1:] for link in page.toc_links] == list(page.headings)


def test_long_table_shows_12_rows_then_all_behind_details(english):
    out, _ = english
    text = (out / "report.html").read_text(encoding="utf-8")
    block = _table_html(text, "long")
    assert block.count("<table") == 1, "one table: the switch reveals the rest of it"
    shown, rest = block.split('<tbody class="rest">')
    assert _rows(shown.split("<tbody>")[1]) == 12
    assert _rows(rest) == 40 - 12
    assert "r0<" in shown and "r11<" in shown and "r12<" not in shown and "r39<" in rest
    assert "<details" in block and "<summary>" in block and "Show all 40 rows" in block
    # the closed switch hides the rest; it comes first in the source for the CSS to see it
    assert block.index("<details") < block.index('<tbody class="rest">')
    assert "details.more:not([open]) ~ .scroll tbody.rest { display: none; }" in text
    assert '<a href="tables/long.csv">tables/long.csv</a>' in block
    # short tables: no switch, still a link to the CSV
    short = _table_html(text, "named")
    assert "<details" not in short and '<a href="tables/named.csv">' in short


def test_max_rows_option(tmp_path, frames):
    report = Report("T")
    report.table("all rows", frames["long"], "all", max_rows=None)
    report.table("five rows", frames["long"], "five", max_rows=5)
    report.write(tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<details" not in _table_html(text, "all") and _rows(_table_html(text, "all")) == 41
    five = _table_html(text, "five")
    assert _rows(five.split('<tbody class="rest">')[0]) == 1 + 5 and "Show all 40 rows" in five
    with pytest.raises(ValueError, match="max_rows"):
        report.table("none", frames["long"], "none", max_rows=0)


def test_index_only_when_it_carries_information(english, frames):
    out, _ = english
    text = (out / "report.html").read_text(encoding="utf-8")
    long = _table_html(text, "long")
    assert '<th scope="row"' not in long and "row_0" not in long
    header = re.search(r"<thead>(.*?)</thead>", long, re.S)
    assert header and re.findall(r">([^<]*)</th>", header.group(1)) == ["x", "label"]
    assert list(pd.read_csv(out / "tables" / "long.csv").columns) == ["x", "label"]
    # a named index and a MultiIndex are kept, in the page and in the CSV
    assert '<th scope="col" class="lbl">year</th>' in _table_html(text, "named")
    assert list(pd.read_csv(out / "tables" / "named.csv").columns) == ["year", "D"]
    multi = _table_html(text, "multi")
    assert ">code</th>" in multi and ">year</th>" in multi and multi.count('scope="row"') == 8
    assert list(pd.read_csv(out / "tables" / "multi.csv").columns) == ["code", "year", "D"]
    # and nowhere an invented column
    for csv in (out / "tables").glob("*.csv"):
        columns = pd.read_csv(csv, nrows=0).columns
        assert not any(c.startswith(("Unnamed", "row_", "level_")) for c in columns), csv


def test_index_rule_for_unnamed_and_placeholder_indexes(tmp_path):
    zero_to_n = pd.DataFrame({"a": [1, 2, 3]}, index=pd.Index([0, 1, 2]))
    labels = pd.DataFrame({"a": [1, 2]}, index=["r1", "r2"])
    crosstab = pd.crosstab(np.array([2020, 2020, 2021]), np.array(["x", "y", "x"]))
    assert crosstab.index.name == "row_0"
    report = Report("T")
    report.table("0..n-1", zero_to_n, "zero_to_n")
    report.table("labels", labels, "labels")
    report.table("crosstab", crosstab, "crosstab")
    report.table("forced off", labels, "forced_off", index=False)
    report.table("forced on", zero_to_n, "forced_on", index=True)
    report.write(tmp_path)

    def columns(name: str) -> list[str]:
        return list(pd.read_csv(tmp_path / "tables" / f"{name}.csv").columns)

    assert columns("zero_to_n") == ["a"]
    assert columns("labels") == ["index", "a"]
    assert columns("crosstab") == ["index", "x", "y"]
    assert columns("forced_off") == ["a"]
    assert columns("forced_on") == ["index", "a"]
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "row_0" not in text and "col_0" not in text
    assert _table_html(text, "crosstab").count('<th scope="row"') == 2
    assert markdown_table(zero_to_n) == "| a |\n|---|\n| 1 |\n| 2 |\n| 3 |"


def test_csv_has_a_bom_and_reads_back(english, frames):
    out, _ = english
    for name in frames:
        raw = (out / "tables" / f"{name}.csv").read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), name
        assert not raw[3:].startswith(codecs.BOM_UTF8)
    back = pd.read_csv(out / "tables" / "long.csv")
    pd.testing.assert_frame_equal(back, frames["long"], check_dtype=False)
    back = pd.read_csv(out / "tables" / "multi.csv", dtype={"code": str}, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back.set_index(["code", "year"]), frames["multi"])
    wide = pd.read_csv(out / "tables" / "wide.csv")
    np.testing.assert_allclose(wide.to_numpy(), frames["wide"].to_numpy(), rtol=1e-15)


def test_csv_encoding_option_and_chinese_text(tmp_path):
    frame = pd.DataFrame({"province": ["北京", "天津"], "tier": ["勉强协调", "初级协调"]})
    report = Report("T")
    report.table("t", frame, "tiers")
    report.write(tmp_path / "bom")
    report.write(tmp_path / "plain", csv_encoding="utf-8")
    with_bom = (tmp_path / "bom" / "tables" / "tiers.csv").read_bytes()
    plain = (tmp_path / "plain" / "tables" / "tiers.csv").read_bytes()
    assert with_bom == codecs.BOM_UTF8 + plain
    assert with_bom.decode("utf-8-sig").splitlines()[1] == "北京,勉强协调"
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "bom" / "tables" / "tiers.csv"), frame)


def test_chinese_edition(tmp_path, frames):
    report = Report("耦合协调度报告", language="zh", subtitle="31 个省份")
    report.heading("一、耦合协调度")
    report.table("长表", frames["long"], "long")
    report.figure("小图", _figure(3, 2), "small")
    report.write(tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = _parse(tmp_path / "report.html")
    assert page.lang == "zh-CN"
    for word in ("目录", "显示全部 40 行", "CSV 文件", "表 1", "图 1", "由 liangye"):
        assert word in text, word
    for word in ("Contents", "Show all", "Table 1", "Figure 1", "Generated by"):
        assert word not in text, word
    fonts = re.search(r"body \{ font-family: ([^;]*);", text)
    assert fonts
    stack = fonts.group(1)
    assert stack.startswith('"Noto Sans CJK SC"') and stack.endswith("sans-serif")
    for font in ("Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"):
        assert f'"{font}"' in stack
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "… 另有 28 行：tables/long.csv" in markdown and "**表 1 长表**" in markdown
    # the English edition keeps CJK fonts as a fallback for Chinese labels
    report = Report("T")
    report.write(tmp_path / "en")
    english = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert '"Noto Sans CJK SC"' in english and 'lang="en"' in english
    with pytest.raises(ValueError, match="language"):
        Report("T", language="fr")  # type: ignore[arg-type]


def test_header_block_escaped(english):
    out, _ = english
    text = (out / "report.html").read_text(encoding="utf-8")
    block = re.search(r'<dl class="meta">(.*?)</dl>', text, re.S)
    assert block
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1)) == [
        ("Input file", "&lt;panel&gt;.csv"),
        ("Dependent variable", "D &amp; E"),
        ("W", "queen"),
    ]
    assert "<panel>" not in text
    assert "<h1>Coupling &lt;&amp;&gt; report</h1>" in text
    assert '<p class="subtitle">31 provinces, 2018-2023</p>' in text
    # header and subtitle come before the contents
    assert text.index('<dl class="meta">') < text.index('<nav class="toc"')
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "- **Input file:** <panel>.csv" in markdown


def test_meta_argument_and_repeated_header(tmp_path):
    report = Report("T", meta={"Input": "a.csv", "W": "queen"})
    report.header({"W": "distance", "Bootstrap": 100})
    assert report.meta == {"Input": "a.csv", "W": "distance", "Bootstrap": "100"}
    report.write(tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<dt>W</dt><dd>distance</dd>" in text and "<dd>100</dd>" in text


def test_wide_table_is_split_into_parts_in_a_scroll_box(english):
    out, _ = english
    text = (out / "report.html").read_text(encoding="utf-8")
    wide = _table_html(text, "wide")
    assert re.search(r'<div class="scroll"[^>]*>\s*<p class="part">Columns 1–', wide)
    parts = wide.count("<table>")
    assert parts >= 2 and wide.count('<th scope="col"') == 30  # no index: 30 columns in all
    assert re.findall(r"Columns (\d+)–(\d+) of 30", wide)[-1][1] == "30"
    rule = re.search(r"\n\.scroll \{([^}]*)\}", text)
    assert rule and "overflow-x: auto" in rule.group(1)
    # the page itself fits a 1,280 px window
    body = re.search(r"body \{([^}]*)\}", text)
    assert body and "max-width: 72rem" in body.group(1)
    assert "box-sizing: border-box" in text


def test_cells_numbers_and_labels(tmp_path):
    frame = pd.DataFrame(
        {
            "D": [0.123456, np.nan],
            "n": [3, 4],
            "tier_zh": ["勉强协调", "初级协调"],
            "note": ["a long sentence " * 4, "short"],
            "coef": ["0.0751***", "(0.0211)"],
        },
        index=pd.Index(["北京", "天津"], name="province"),
    )
    report = Report("T")
    report.table("cells", frame, "cells", digits=3)
    report.write(tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    block = _table_html(text, "cells")
    assert '<td class="num">0.123</td><td class="num">3</td>' in block
    assert '<td class="num"></td>' in block  # NaN shows empty
    assert '<td class="lbl">勉强协调</td>' in block
    assert '<td class="txt">a long sentence' in block
    assert '<td class="num">0.0751***</td>' in block
    assert '<th scope="row">北京</th>' in block
    assert "td.num, td.lbl { white-space: nowrap; }" in text
    assert "font-variant-numeric: tabular-nums" in text


def test_figures(english):
    out, _ = english
    text = (out / "report.html").read_text(encoding="utf-8")
    small = re.search(r'<figure id="figure-small"><img ([^>]*)>', text)
    assert small
    assert 'src="figures/small.png"' in small.group(1) and 'alt="A small figure"' in small.group(1)
    assert 'style="width: 240px"' in small.group(1)
    assert re.search(r'width="\d+" height="\d+"', small.group(1))
    large = re.search(r'<figure id="figure-large"><img ([^>]*)>', text)
    assert large and "style=" not in large.group(1)
    assert "Figure 1.</span> A small figure" in text and "Figure 2.</span> A large figure" in text
    assert "figure img { display: block; max-width: 100%; height: auto;" in text
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "![A large figure](figures/large.png)" in markdown
    report = Report("T")
    with pytest.raises(ValueError, match="width"):
        report.figure("f", _figure(), "f", width="100px; background: red")


def test_markdown_truncates_long_tables(english):
    out, _ = english
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "… 28 more rows: tables/long.csv" in markdown
    block = markdown.split("**Table 1. The long table** (tables/long.csv)")[1].split("… 28")[0]
    assert block.count("\n| ") == 12 + 1  # the header and 12 rows
    assert "more rows: tables/named.csv" not in markdown
    assert markdown.startswith("# Coupling <&> report\n")
    assert "## 1. Coupling coordination" in markdown


def test_markdown_table_options():
    frame = pd.DataFrame({"a": [1.5, 2.0, 3.0], "b": ["x|y", "z", "w"]})
    assert (
        markdown_table(frame, 1, max_rows=2) == "| a | b |\n|---|---|\n| 1.5 | x\\|y |\n| 2.0 | z |"
    )
    assert markdown_table(frame, 1, index=True).splitlines()[2] == "| 0 | 1.5 | x\\|y |"
    # the index rule looks at the whole frame, not at the rows shown
    shuffled = frame.set_axis([0, 1, 7])
    assert markdown_table(shuffled, 1, max_rows=2).splitlines()[0] == "| index | a | b |"


def test_self_contained_page(english):
    out, _ = english
    page = _parse(out / "report.html")
    for tag, attributes in page.events:
        for key in ("src", "href"):
            value = attributes.get(key) or ""
            assert not re.match(r"(?:https?:)?//", value), (tag, value)
        assert tag not in {"script", "link", "iframe"}
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "@media print" in text and "@import" not in text and "url(" not in text


def test_names_checked(frames):
    report = Report("T")
    report.table("t", frames["named"], "t")
    with pytest.raises(ValueError, match="already"):
        report.table("t again", frames["named"], "t")
    with pytest.raises(ValueError, match="file name"):
        report.table("t", frames["named"], "../t")


def test_series_and_snapshot(tmp_path):
    series = pd.Series([0.5, 0.25], index=pd.Index(["a", "b"], name="k"), name="D")
    frame = series.to_frame()
    report = Report("T")
    report.table("series", series, "series")
    report.table("frame", frame, "frame")
    frame.loc["a", "D"] = 9.0  # changes after the call do not show
    report.write(tmp_path)
    for name in ("series", "frame"):
        back = pd.read_csv(tmp_path / "tables" / f"{name}.csv")
        assert back.to_dict("list") == {"k": ["a", "b"], "D": [0.5, 0.25]}


def test_each_edition_shows_its_column_of_a_pair_and_labels_only_the_page(tmp_path):
    frame = pd.DataFrame(
        {
            "subsystem": ["manufacturing", "services"],
            "tier": ["barely coordinated", "good coordination"],
            "tier_zh": ["勉强协调", "良好协调"],
            "province_en": ["Beijing", "Tianjin"],
            "province_zh": ["北京", "天津"],
            "variable": ["W_rd_intensity", "other"],
        },
        index=pd.Index([2020, 2021], name="year"),
    )
    zh = Report("T", language="zh")._display(frame)
    assert list(zh.columns) == ["子系统", "协调等级", "省份", "变量"]
    assert zh.index.name == "年份"
    assert zh["子系统"].tolist() == ["制造业", "服务业"]
    assert zh["协调等级"].tolist() == ["勉强协调", "良好协调"]
    assert zh["变量"].tolist() == ["W×R&D 经费投入强度", "other"]  # unknown values unchanged
    en = Report("T", language="en")._display(frame)
    assert list(en.columns) == ["subsystem", "tier", "province", "variable"]
    assert en["province"].tolist() == ["Beijing", "Tianjin"]
    own = Report("T", language="en", labels={"subsystem": "part"})._display(frame)
    assert "part" in own.columns
    report = Report("T", language="zh")
    report.table("t", frame, "pairs")
    report.write(tmp_path)
    written = pd.read_csv(tmp_path / "tables" / "pairs.csv", encoding="utf-8-sig")
    assert list(written.columns) == ["year", *frame.columns]  # the CSV keeps every name


def test_column_parts_cover_every_column_once_and_repeat_the_index():
    from coupling.app.report import _column_groups, _columns, _grid

    frame = pd.DataFrame(
        np.arange(40 * 3, dtype=float).reshape(3, 40) * 1000.123,
        columns=[f"column_{j:02d}" for j in range(40)],
        index=pd.Index(["a", "b", "c"], name="key"),
    )
    grid = _grid(frame, 4, None)
    groups = _column_groups(grid)
    assert len(groups) > 1 and groups[0][0] == 0 and groups[-1][1] == 40
    assert all(a[1] == b[0] for a, b in itertools.pairwise(groups))  # contiguous, no overlap
    sizes = [last - first for first, last in groups]
    assert max(sizes) - min(sizes) <= 2  # parts of about equal width
    part = _columns(grid, *groups[1])
    assert part.index_values == grid.index_values and part.columns[0] == grid.columns[groups[1][0]]
    narrow = _grid(frame.iloc[:, :3], 4, None)
    assert _column_groups(narrow) == [(0, 3)]
