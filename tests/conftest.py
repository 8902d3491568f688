"""Test-wide settings: property tests draw the same examples on every run.

Hypothesis seeds each property test from the test itself (``derandomize``), so a test run
in CI is reproducible; widen ``max_examples`` locally to search harder.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("reproducible", derandomize=True)
settings.load_profile("reproducible")
