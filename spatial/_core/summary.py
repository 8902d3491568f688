"""Result tables as text, HTML and LaTeX; significance stars; number formatting."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["STAR_LEVELS", "Summary", "format_number", "stars"]

#: Significance stars: *** p < 0.01, ** p < 0.05, * p < 0.1 (strict inequalities).
STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))


def stars(pvalue: float) -> str:
    """``***``, ``**``, ``*`` or ``""`` for a p-value (p < 1%, 5%, 10%).

    Examples
    --------
    >>> [stars(p) for p in (0.001, 0.01, 0.049, 0.1, float("nan"))]
    ['***', '**', '**', '', '']
    """
    for level, mark in STAR_LEVELS:
        if pvalue < level:
            return mark
    return ""


def format_number(value: Any, digits: int = 4) -> str:
    """A cell of a printed table: fixed decimals, or ``digits`` significant digits for very
    large or small magnitudes; missing values are blank; other values as ``str``.

    Examples
    --------
    >>> format_number(0.123456), format_number(123456.0), format_number(2e-5), format_number(None)
    ('0.1235', '1.235e+05', '2e-05', '')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if not isinstance(value, float):
        return str(value)
    size = abs(value)
    if size >= 1e5 or 0 < size < 1e-3:
        return f"{value:.{digits}g}"
    return f"{value:.{digits}f}"


@dataclass(frozen=True)
class Summary:
    """A titled list of tables that renders as text, HTML or LaTeX.

    ``str(summary)`` gives the text form; notebooks show the HTML form.
    """

    title: str
    tables: tuple[tuple[str, pd.DataFrame], ...]
    notes: tuple[str, ...] = field(default=())
    digits: int = 4

    def _formatted(self, table: pd.DataFrame) -> pd.DataFrame:
        out = table.copy()
        for col in out.columns:
            if pd.api.types.is_float_dtype(out[col]):
                out[col] = out[col].map(lambda v: format_number(v, self.digits))
        return out

    def as_text(self) -> str:
        """Plain-text rendering, for the terminal and log files."""
        parts = [self.title, "=" * len(self.title)]
        for caption, table in self.tables:
            parts += ["", caption, "-" * len(caption), self._formatted(table).to_string()]
        if self.notes:
            parts += ["", *self.notes]
        return "\n".join(parts)

    def as_html(self) -> str:
        """HTML rendering (one ``<table>`` per part)."""
        parts = [f"<h3>{html.escape(self.title)}</h3>"]
        for caption, table in self.tables:
            parts += [f"<h4>{html.escape(caption)}</h4>", self._formatted(table).to_html(border=0)]
        parts += [f"<p>{html.escape(note)}</p>" for note in self.notes]
        return "\n".join(parts)

    def as_latex(self) -> str:
        """LaTeX rendering (one ``tabular`` per part)."""
        parts = [f"% {self.title}"]
        for caption, table in self.tables:
            parts += [f"% {caption}", self._formatted(table).to_latex()]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return self.as_html()
