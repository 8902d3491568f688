"""Errors and warnings raised by the spatial estimation engine.

Every error derives from :class:`SpatialError` and from the matching built-in
exception, so ``except ValueError`` keeps working in research scripts.
"""

from __future__ import annotations

__all__ = [
    "BoundaryWarning",
    "CollinearityError",
    "EstimationError",
    "FontNotFoundError",
    "PanelStructureError",
    "SpatialError",
    "SpecificationError",
    "WeightsAlignmentError",
    "WeightsError",
]


class SpatialError(Exception):
    """Root of every error raised by :mod:`spatial`."""


class SpecificationError(SpatialError, ValueError):
    """A model option, variable list or hypothesis that is not well formed."""


class WeightsError(SpatialError, ValueError):
    """A weights matrix that is not square, has negative or non-finite weights,
    a non-zero diagonal, duplicated ids, or islands where none are allowed."""


class WeightsAlignmentError(SpatialError, ValueError):
    """The entities of the data and the ids of the weights do not match."""


class PanelStructureError(SpatialError, ValueError):
    """Missing values, duplicated or missing (entity, time) pairs, too few periods."""


class CollinearityError(SpatialError, ValueError):
    """A regressor absorbed by the fixed effects, or linearly dependent regressors."""


class EstimationError(SpatialError, RuntimeError):
    """The numerical optimisation or a matrix computation failed."""


class BoundaryWarning(UserWarning):
    """The spatial parameter ended at (or next to) a bound of its admissible interval."""


class FontNotFoundError(SpatialError, RuntimeError):
    """Chinese labels were asked for, but no font with Chinese glyphs is installed."""
