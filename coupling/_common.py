"""Private helpers shared by :mod:`coupling` and :mod:`spatial`.

Option checking, short listings of offending labels for error messages, and
the :class:`Summary` container that renders result tables as text, HTML and
LaTeX.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

__all__ = ["Summary", "check_option", "format_items", "suggest"]

T = TypeVar("T")


def check_option(
    name: str, value: T, allowed: Iterable[Any], error: type[Exception] = ValueError
) -> T:
    """Return ``value`` if it is one of ``allowed``; raise ``error`` naming the choices."""
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise error(f"{name}={value!r} is not supported; choose one of {choices}.")
    return value


def format_items(items: Sequence[Any], limit: int = 5) -> str:
    """Render the first ``limit`` items and a count of the rest, for messages."""
    shown = ", ".join(str(i) for i in items[:limit])
    rest = len(items) - limit
    return f"{shown} (and {rest} more)" if rest > 0 else shown


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A ' Did you mean ...?' hint with the closest candidate names, or ''."""
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=3, cutoff=0.6)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


@dataclass(frozen=True)
class Summary:
    """A titled list of tables that renders as text, HTML or LaTeX.

    ``str(summary)`` gives the text form; notebooks show the HTML form.
    """

    title: str
    tables: tuple[tuple[str, pd.DataFrame], ...]
    notes: tuple[str, ...] = field(default=())
    digits: int = 4

    def _number(self, value: float) -> str:
        if pd.isna(value):
            return ""
        size = abs(value)
        if size >= 1e5 or 0 < size < 1e-3:
            return f"{value:.{self.digits}g}"
        return f"{value:.{self.digits}f}"

    def _formatted(self, table: pd.DataFrame) -> pd.DataFrame:
        out = table.copy()
        for col in out.columns:
            if pd.api.types.is_float_dtype(out[col]):
                out[col] = out[col].map(self._number)
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
        parts = [f"<h3>{self.title}</h3>"]
        for caption, table in self.tables:
            parts += [f"<h4>{caption}</h4>", self._formatted(table).to_html(border=0)]
        parts += [f"<p>{note}</p>" for note in self.notes]
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
