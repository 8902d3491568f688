"""Spatial weights and spatial panel models of the liangye toolkit.

The spatial Durbin panel estimators, their nested models, impacts and tests
are built in this package's stage modules (weights, panel, transform, logdet,
likelihood, estimate, covariance, impacts, diagnostics, model, results).
"""

from __future__ import annotations

__all__: list[str] = []
