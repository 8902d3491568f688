"""Errors and warnings raised by :mod:`spatial`.

:class:`SpatialError` is the root of the errors only this package raises; the
errors shared with :mod:`coupling` (bad options, a malformed specification,
panel problems) come from :mod:`spatial._core.errors` and are re-exported here.
All derive from :class:`LiangyeError` and from the matching built-in, so
``except LiangyeError`` catches everything and ``except ValueError`` keeps working.
"""

from __future__ import annotations

from ._core.errors import (
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
    "BoundaryWarning",
    "CollinearityError",
    "ColumnNotFoundError",
    "DuplicateObservationError",
    "EstimationError",
    "FontNotFoundError",
    "InvalidOptionError",
    "LiangyeError",
    "MissingValueError",
    "PanelBalanceWarning",
    "PanelStructureError",
    "SpatialError",
    "SpecificationError",
    "UnbalancedPanelError",
    "WeightsAlignmentError",
    "WeightsError",
]


class SpatialError(LiangyeError):
    """Root of the errors raised only by :mod:`spatial`."""


class WeightsError(SpatialError, ValueError):
    """A weights matrix that is not square, has negative or non-finite weights,
    a non-zero diagonal, duplicated ids, or islands where none are allowed."""


class WeightsAlignmentError(SpatialError, ValueError):
    """The regions of the data and the ids of the weights do not match."""


class CollinearityError(SpatialError, ValueError):
    """A regressor absorbed by the fixed effects, or linearly dependent regressors."""


class EstimationError(SpatialError, RuntimeError):
    """The numerical optimisation or a matrix computation failed."""


class FontNotFoundError(SpatialError, RuntimeError):
    """Chinese labels were asked for, but no font with Chinese glyphs is installed."""


class BoundaryWarning(UserWarning):
    """The spatial parameter ended at (or next to) a bound of its admissible interval."""
