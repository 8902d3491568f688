"""Errors and warnings raised by the coupling-coordination engine.

Every error derives from :class:`CouplingError` and from the matching built-in
exception, so ``except ValueError`` keeps working in research scripts.
"""

from __future__ import annotations

__all__ = [
    "ConstantIndicatorError",
    "CouplingError",
    "DegenerateIndexError",
    "DuplicateObservationError",
    "IndicatorNotFoundError",
    "InvalidOptionError",
    "MissingValueError",
    "NegativeValueError",
    "PanelBalanceWarning",
    "SpecificationError",
    "UnbalancedPanelError",
]


class CouplingError(Exception):
    """Root of every error raised by :mod:`coupling`."""


class InvalidOptionError(CouplingError, ValueError):
    """A string option or numeric setting outside its allowed values."""


class SpecificationError(CouplingError, ValueError):
    """An indicator system, alpha or band scheme that is not well formed."""


class IndicatorNotFoundError(CouplingError, KeyError):
    """An indicator named in the system is not a column of the data."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class MissingValueError(CouplingError, ValueError):
    """Missing, infinite or non-numeric values where numbers are required."""


class ConstantIndicatorError(CouplingError, ValueError):
    """An indicator takes one value over the rows in scope (entropy undefined)."""


class DuplicateObservationError(CouplingError, ValueError):
    """The same (region, year) appears more than once."""


class UnbalancedPanelError(CouplingError, ValueError):
    """Some regions are not observed in every year."""


class NegativeValueError(CouplingError, ValueError):
    """A negative value where counts (employment) are required."""


class DegenerateIndexError(CouplingError, ValueError):
    """A coupling degree is undefined because every composite index is zero."""


class PanelBalanceWarning(UserWarning):
    """Rows were dropped to balance the panel (``balance="drop"``)."""


class InsufficientDataError(CouplingError, ValueError):
    """Too few years, regions or transitions for the requested analysis (a transition
    matrix needs two years, a trend test three)."""


__all__ += ["InsufficientDataError"]
