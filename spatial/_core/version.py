"""The installed version of the toolkit, recorded on every result."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("liangye")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"
