"""Lazy attributes of a package (PEP 562), so that ``import spatial`` stays light."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from the submodule ``table[name]`` of
    ``package`` on first use and keeps it in the package's namespace.

    Examples
    --------
    >>> getattr_ = lazy_attributes("json", {"JSONDecoder": "decoder"})
    >>> getattr_("JSONDecoder").__name__
    'JSONDecoder'
    >>> getattr_("missing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'json' has no attribute 'missing'
    """

    def attribute(name: str) -> Any:
        if name in table:
            value = getattr(import_module(f".{table[name]}", package), name)
            setattr(sys.modules[package], name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
