"""Errors and warnings raised by :mod:`coupling`.

:class:`CouplingError` is the root of the errors only this package raises; the
errors shared with :mod:`spatial` (bad options, a malformed specification,
panel problems found by the one panel validator) are re-exported from
:mod:`spatial._core.errors`. All derive from :class:`LiangyeError` and from the
matching built-in, so ``except LiangyeError`` catches everything the toolkit
raises and ``except ValueError`` keeps working in research scripts.
"""

from __future__ import annotations

from spatial._core.errors import (
    ColumnNotFoundError,
    DuplicateObservationError,
    InvalidOptionError,
    LiangyeError,
    MissingValueError,
    PanelBalanceWarning,
    PanelStructureError,
    SpecificationError,
    UnbalancedPanelError,
)

__all__ = [
    "AccountingIdentityError",
    "BootstrapFailureError",
    "BootstrapFailureWarning",
    "ColumnNotFoundError",
    "ConstantIndicatorError",
    "CouplingError",
    "DegenerateIndexError",
    "DuplicateObservationError",
    "IOTableError",
    "IndicatorNotFoundError",
    "InsufficientDataError",
    "InvalidOptionError",
    "LiangyeError",
    "MissingValueError",
    "NegativeValueError",
    "PanelBalanceWarning",
    "PanelStructureError",
    "SectorMappingError",
    "SpecificationError",
    "TableLayoutError",
    "UnbalancedPanelError",
    "ZeroOutputError",
]

#: The name under which coupling reports a missing indicator column.
IndicatorNotFoundError = ColumnNotFoundError


class CouplingError(LiangyeError):
    """Root of the errors raised only by :mod:`coupling`."""


class ConstantIndicatorError(CouplingError, ValueError):
    """An indicator takes one value over the rows in scope (entropy undefined)."""


class NegativeValueError(CouplingError, ValueError):
    """A negative value where counts (employment) are required."""


class DegenerateIndexError(CouplingError, ValueError):
    """A coupling degree or index is undefined (every composite index is zero, a mean is 0)."""


class InsufficientDataError(CouplingError, ValueError):
    """Too few years, regions or transitions for the requested analysis (a transition
    matrix needs two years, a trend test three)."""


class BootstrapFailureError(CouplingError, ValueError):
    """Too many bootstrap resamples had a singular design (see ``max_failed``)."""


class BootstrapFailureWarning(UserWarning):
    """Some bootstrap resamples had a singular design and were dropped (counted on the result)."""


class IOTableError(CouplingError, ValueError):
    """An input-output table that cannot be used as it is (shapes, labels, negative output,
    a singular Leontief matrix)."""


class AccountingIdentityError(IOTableError):
    """A row or column identity of an input-output table fails beyond the stated tolerance
    (``rtol``, ``atol``)."""


class ZeroOutputError(IOTableError):
    """Sectors with zero gross output, which no coefficient may be divided by silently
    (see ``zero_output``)."""


class TableLayoutError(IOTableError):
    """A file whose rows and columns are not in a layout the readers know."""


class SectorMappingError(CouplingError, ValueError):
    """A sector (or country) mapping that leaves units unassigned, names unknown units or
    assigns one twice."""
