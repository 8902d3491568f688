"""What drives D: panel threshold, mediation and moderation, grey relational analysis.

============================================  ==============================================
``coupling.drivers.threshold``                :class:`PanelThreshold`, Hansen's (1999)
                                              fixed-effects panel threshold regression
============================================  ==============================================
"""

from __future__ import annotations

from .threshold import PanelThreshold, ThresholdResults, lr_critical_value

__all__ = ["PanelThreshold", "ThresholdResults", "lr_critical_value"]
