"""Private helpers shared by :mod:`coupling` and :mod:`spatial`.

Option checking, short listings of offending labels for error messages, and
the :class:`Summary` container that renders result tables as text, HTML and
LaTeX.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["Summary", "check_option", "format_items", "nonfinite_cells", "panel_keys", "suggest"]

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


def nonfinite_cells(values: np.ndarray, describe: Callable[[int, int], str]) -> list[str]:
    """Descriptions ``describe(row, column)`` of the missing or infinite cells of a 2-D array."""
    rows, cols = np.nonzero(~np.isfinite(values))
    return [describe(int(r), int(c)) for r, c in zip(rows, cols)]


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A ' Did you mean ...?' hint with the closest candidate names, or ''."""
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=3, cutoff=0.6)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def panel_keys(
    data: pd.DataFrame,
    first: Hashable | None,
    second: Hashable | None,
    *,
    roles: tuple[str, str],
    spec_error: type[Exception],
    missing_error: type[Exception],
) -> tuple[np.ndarray, np.ndarray, Hashable, Hashable]:
    """The two key arrays of a long panel (e.g. region and year), from columns or a
    two-level index, with their names; both keys omitted means the index levels.

    ``spec_error`` is raised for an incomplete request, ``missing_error`` for a
    key that is neither a column nor an index level (with a close-name hint).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
    levels = list(data.index.names) if isinstance(data.index, pd.MultiIndex) else []
    if first is None and second is None:
        if len(levels) != 2:
            raise spec_error(
                f"Name the {roles[0]} and {roles[1]} columns ({roles[0]}=..., {roles[1]}=...) "
                f"or pass data with a two-level ({roles[0]}, {roles[1]}) MultiIndex."
            )
        return (
            data.index.get_level_values(0).to_numpy(),
            data.index.get_level_values(1).to_numpy(),
            levels[0],
            levels[1],
        )
    found = []
    for role, key in zip(roles, (first, second)):
        if key is None:
            raise spec_error(f"Give both {roles[0]} and {roles[1]} (the {role} name is missing).")
        if key in data.columns:
            found.append(data[key].to_numpy())
        elif key in levels:
            found.append(data.index.get_level_values(levels.index(key)).to_numpy())
        else:
            raise missing_error(
                f"The {role} key {key!r} is neither a column nor an index level of the data."
                + suggest(str(key), [str(c) for c in data.columns])
            )
    return found[0], found[1], first, second


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
