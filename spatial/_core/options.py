"""Checks of options and settings, with messages that list what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TypeVar

import numpy as np

from .errors import InvalidOptionError

__all__ = ["Balance", "Language", "check_option", "check_seed"]

T = TypeVar("T")

#: What the panel validator does with regions not observed in every year.
Balance = Literal["error", "drop"]
#: Language of labels in tables and figures.
Language = Literal["en", "zh"]


def check_option(
    name: str, value: T, allowed: Iterable[Any], error: type[Exception] = InvalidOptionError
) -> T:
    """Return ``value`` if it is one of ``allowed``; raise ``error`` naming the choices.

    Examples
    --------
    >>> check_option("effects", "twoways", ("individual", "time", "twoways"))
    'twoways'
    >>> check_option("effects", "two-way", ("individual", "twoways"))
    Traceback (most recent call last):
    ...
    spatial._core.errors.InvalidOptionError: effects='two-way' is not supported; choose one of \
'individual', 'twoways'.
    """
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise error(f"{name}={value!r} is not supported; choose one of {choices}.")
    return value


def check_seed(seed: int | None) -> int | None:
    """An integer seed or ``None``; anything else is an :class:`InvalidOptionError`."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise InvalidOptionError(f"seed must be an int or None, got {seed!r}.")
    return None if seed is None else int(seed)
