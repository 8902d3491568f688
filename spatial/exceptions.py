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
    "BandwidthSearchWarning",
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
    "SingletonStratumWarning",
    "SpatialError",
    "SpecificationError",
    "StratificationError",
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


class StratificationError(SpatialError, ValueError):
    """A factor, a year or a response with which a stratified variance is undefined: fewer
    than two strata, a constant response, or too few units."""


class SingletonStratumWarning(UserWarning):
    """A stratum holds a single unit: its within variance is 0 and no t test involves it."""


class BandwidthSearchWarning(UserWarning):
    """A bandwidth search ended at (or next to) a bound of its interval, or did not converge."""


class FontNotFoundError(SpatialError, RuntimeError):
    """Chinese labels were asked for, but no font with Chinese glyphs is installed."""


class BoundaryWarning(UserWarning):
    """The spatial parameter ended at (or next to) a bound of its admissible interval."""
