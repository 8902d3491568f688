"""Where the tests find ``shared/data`` (beside the clone), and a skip when it is absent.

Tests that need the real datasets of ``../shared/data`` call :func:`shared_path`; in a
clone without ``shared/`` beside it they are skipped with a reason naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """The path of ``shared/data/<parts>``, or a skip naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is missing (the shared data are expected beside the clone)")
    return path
