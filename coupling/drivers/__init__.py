"""What drives D: panel threshold, mediation and moderation, grey relational analysis.

======================================  ==================================================
``coupling.drivers.threshold``          :class:`PanelThreshold`, Hansen's (1999) fixed-effects
                                        panel threshold regression
``coupling.drivers.mediation``          :func:`mediation`: stepwise equations with fixed
                                        effects, Sobel tests, cluster-bootstrap intervals;
                                        parallel and chained mediators
``coupling.drivers.moderation``         :func:`moderation`: centred interactions, simple
                                        slopes, Johnson-Neyman values
``coupling.drivers.spatial_mediation``  :func:`spatial_mediation`: mediator and outcome
                                        equations as spatial Durbin panels
``coupling.drivers.grey``               :func:`grey_relational`: Deng's grey relational
                                        coefficients and degrees
======================================  ==================================================
"""

from __future__ import annotations

from .grey import GreyRelationalResults, grey_relational
from .mediation import MediationResults, mediation
from .moderation import ModerationResults, moderation
from .spatial_mediation import SpatialMediationResults, spatial_mediation
from .threshold import PanelThreshold, ThresholdResults, lr_critical_value

__all__ = [
    "GreyRelationalResults",
    "MediationResults",
    "ModerationResults",
    "PanelThreshold",
    "SpatialMediationResults",
    "ThresholdResults",
    "grey_relational",
    "lr_critical_value",
    "mediation",
    "moderation",
    "spatial_mediation",
]
