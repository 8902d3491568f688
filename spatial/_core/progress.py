"""A progress display for long loops over draws or replications (rich, loaded on use).

:func:`draw_progress` returns a context manager with ``advance(k)``: on a terminal a rich
progress bar on standard error; elsewhere (a notebook capture, a log file, a test) nothing,
unless asked for. Nothing is printed to standard output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DrawProgress", "draw_progress", "wants_progress"]


class DrawProgress:
    """Advance a rich task, or do nothing when the display is off."""

    def __init__(self, progress: Any = None, task: Any = None) -> None:
        self._progress, self._task = progress, task

    def advance(self, steps: int = 1) -> None:
        """Record ``steps`` finished units of work."""
        if self._progress is not None:
            self._progress.advance(self._task, steps)


def wants_progress(progress: bool | None) -> bool:
    """``progress`` if given, else whether standard error is a terminal."""
    if progress is not None:
        return bool(progress)
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def draw_progress(description: str, total: int, *, show: bool) -> Iterator[DrawProgress]:
    """A progress bar of ``total`` units on standard error while the block runs.

    Examples
    --------
    >>> with draw_progress("bootstrap", 3, show=False) as bar:
    ...     bar.advance(3)
    """
    if not show:
        yield DrawProgress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield DrawProgress(progress, progress.add_task(description, total=total))
