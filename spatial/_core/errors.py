"""The toolkit's error root and the errors both packages raise.

Every error of the toolkit derives from :class:`LiangyeError` and from the matching
built-in exception, so ``except LiangyeError`` catches whatever the toolkit raises and
``except ValueError`` keeps working in research scripts. Each package adds a root of its
own for the errors only it raises (:class:`spatial.exceptions.SpatialError`,
:class:`coupling.exceptions.CouplingError`); the errors defined here (bad options, a
malformed specification, panel problems found by the one panel validator
:func:`spatial._core.panel.panel_arrays`) are shared and re-exported by both.
"""

from __future__ import annotations

__all__ = [
    "ColumnNotFoundError",
    "DuplicateObservationError",
    "InvalidOptionError",
    "LiangyeError",
    "MissingValueError",
    "PanelBalanceWarning",
    "PanelStructureError",
    "SpecificationError",
    "SpellingWarning",
    "UnbalancedPanelError",
]


class LiangyeError(Exception):
    """Root of every error raised by the toolkit (:mod:`spatial` and :mod:`coupling`)."""


class InvalidOptionError(LiangyeError, ValueError):
    """A string option or numeric setting outside its allowed values."""


class SpecificationError(LiangyeError, ValueError):
    """A model, indicator system, hypothesis or variable list that is not well formed."""


class ColumnNotFoundError(LiangyeError, KeyError):
    """A column (or index level) named in the call is not in the data."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class PanelStructureError(LiangyeError, ValueError):
    """A long (region, year) panel that cannot be used as it is."""


class MissingValueError(PanelStructureError):
    """Missing, infinite or non-numeric values where numbers are required."""


class DuplicateObservationError(PanelStructureError):
    """The same (region, year) pair appears more than once."""


class UnbalancedPanelError(PanelStructureError):
    """Some regions are not observed in every year."""


class PanelBalanceWarning(UserWarning):
    """Regions were dropped to balance the panel (``balance="drop"``)."""


class SpellingWarning(UserWarning):
    """Several spellings of one province were unified to the first one seen."""
