"""A small report writer: sections of text, tables and figures to HTML, Markdown and CSV.

Used by the main job (:mod:`coupling.app.demo`). Tables are written as CSV under
``tables/``, figures as PNG under ``figures/``; ``report.html`` and
``report.md`` reference them by relative path, so the folder can be moved or
zipped as a whole.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Report", "markdown_table"]

_STYLE = """
body { font-family: system-ui, "Noto Sans", "Helvetica Neue", Arial, sans-serif; margin: 2rem auto;
       max-width: 70rem; color: #1d1d1f; line-height: 1.45; padding: 0 1rem; }
h1 { border-bottom: 2px solid #2b6cb0; padding-bottom: .3rem; }
h2 { margin-top: 2.2rem; color: #2b6cb0; }
table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .86rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .25rem .6rem; text-align: right; }
th { background: #f3f6fa; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; border: 1px solid #e3e6ea; }
figcaption, .note { color: #555; font-size: .9rem; }
"""


def _cell(value: Any, digits: int) -> str:
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        size = abs(value)
        return f"{value:.{digits}g}" if size >= 1e5 or 0 < size < 1e-3 else f"{value:.{digits}f}"
    return str(value)


def markdown_table(frame: pd.DataFrame, digits: int = 4) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` (index as first column)."""
    table = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    header = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v, digits) for v in row) + " |")
    return "\n".join(lines)


@dataclass
class _Block:
    kind: str  # "heading", "text", "table", "figure"
    content: Any
    caption: str = ""
    name: str = ""


@dataclass
class Report:
    """Collects the blocks of a report, then writes it to a folder."""

    title: str
    blocks: list[_Block] = field(default_factory=list)

    def heading(self, text: str) -> None:
        """Start a section."""
        self.blocks.append(_Block("heading", text))

    def text(self, paragraph: str) -> None:
        """A paragraph of plain text."""
        self.blocks.append(_Block("text", paragraph))

    def table(self, caption: str, frame: pd.DataFrame, name: str, *, digits: int = 4) -> None:
        """A table, also written as ``tables/<name>.csv``."""
        self.blocks.append(_Block("table", (frame, digits), caption, name))

    def figure(self, caption: str, figure: Any, name: str) -> None:
        """A matplotlib figure, written as ``figures/<name>.png``."""
        self.blocks.append(_Block("figure", figure, caption, name))

    def write(self, folder: Path) -> list[Path]:
        """Write ``report.html``, ``report.md``, the CSV tables and the PNG figures."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tables").mkdir(exist_ok=True)
        (folder / "figures").mkdir(exist_ok=True)
        written: list[Path] = []
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        markdown = [f"# {self.title}", ""]
        for block in self.blocks:
            if block.kind == "heading":
                body.append(f"<h2>{html.escape(block.content)}</h2>")
                markdown += [f"## {block.content}", ""]
            elif block.kind == "text":
                body.append(f"<p>{html.escape(block.content)}</p>")
                markdown += [block.content, ""]
            elif block.kind == "table":
                frame, digits = block.content
                path = folder / "tables" / f"{block.name}.csv"
                frame.to_csv(path, encoding="utf-8")
                written.append(path)
                shown = frame.map(lambda v, d=digits: _cell(v, d))
                body.append(
                    f"<h3>{html.escape(block.caption)}</h3>"
                    + shown.to_html(border=0, escape=True)
                    + f"<p class='note'>CSV: tables/{block.name}.csv</p>"
                )
                markdown += [
                    f"**{block.caption}** (tables/{block.name}.csv)",
                    "",
                    markdown_table(frame, digits),
                    "",
                ]
            else:
                path = folder / "figures" / f"{block.name}.png"
                block.content.savefig(path, dpi=130, bbox_inches="tight")
                written.append(path)
                src = f"figures/{block.name}.png"
                body.append(
                    f"<figure><img src='{src}' alt='{html.escape(block.caption)}'>"
                    f"<figcaption>{html.escape(block.caption)}</figcaption></figure>"
                )
                markdown += [f"![{block.caption}]({src})", "", f"*{block.caption}*", ""]
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head><body>"
            + "\n".join(body)
            + "</body></html>"
        )
        (folder / "report.html").write_text(page, encoding="utf-8")
        (folder / "report.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")
        return [folder / "report.html", folder / "report.md", *written]
