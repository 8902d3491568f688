"""Where effects differ: the geographical detector and geographically weighted regression.

==========================================  ==============================================
``spatial.heterogeneity.geodetector``       :func:`geodetector`: factor, interaction, risk
                                            and ecological detectors (Wang et al. 2010),
                                            optimal discretisation (Song et al. 2020)
``spatial.heterogeneity.gwr``               :func:`gwr`, :func:`mgwr` (PySAL's mgwr) with
                                            tidy local estimates and adjusted t;
                                            :func:`local_map`
``spatial.heterogeneity.gtwr``              :class:`GTWR` (Huang, Wu and Barry 2010) with
                                            memory linear in n
==========================================  ==============================================
"""

from __future__ import annotations

from .geodetector import GeodetectorResults, break_points, geodetector
from .gtwr import GTWR, GTWRResults
from .gwr import GWRResults, adjusted_critical_t, gwr, local_map, mgwr

__all__ = [
    "GTWR",
    "GTWRResults",
    "GWRResults",
    "GeodetectorResults",
    "adjusted_critical_t",
    "break_points",
    "geodetector",
    "gwr",
    "local_map",
    "mgwr",
]
