"""Coupling-coordination scoring and regional analysis: the upper floor of liangye.

Where each stage lives (``coupling`` builds on ``spatial``, never the reverse):

============================  ===============================================================
``coupling.data``             :class:`IndicatorSystem` (subsystems, indicators, directions)
``coupling.standardize``      min-max standardization with a shift
``coupling.weights``          entropy, CRITIC, coefficient-of-variation and equal weights
``coupling.index``            composite indices ``U``
``coupling.coordination``     coupling ``C``, coordination ``T`` and degree ``D``
``coupling.classify``         tiers of ``D``, stages of ``C``, lag types
``coupling.bootstrap``        region resampling of the weights, batched
``coupling.model``,           :class:`CouplingCoordination` and its results
``coupling.results``
``coupling.topsis``           entropy-TOPSIS closeness to the ideal, overall and per subsystem
``coupling.drivers``          what drives D: panel threshold (Hansen 1999), mediation and
                              moderation (also spatial), grey relational analysis
``coupling.industry``         location quotients, co-agglomeration, yearbook sectors
``coupling.regional``         disparity (Dagum, Theil), dynamics (kernel densities, Markov
                              chains), convergence (sigma, beta, spatial), obstacle degrees
``coupling.datasets``         the embedded provincial panel and its dictionary
``coupling.app``              the ``liangye`` command line, the demo and the report
============================  ===============================================================

Panel keys are ``region`` and ``year`` throughout the toolkit; groups of regions
are always given as ``{region: group}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spatial._core.lazy import lazy_attributes
from spatial._core.version import __version__
from spatial.geography import NBS_REGION_OF, NBS_REGIONS

from .bootstrap import bootstrap_weights
from .classify import FOUR_STAGE, TEN_TIER, Bands, classify, relative_development
from .coordination import coordination_index, coupling_coordination, coupling_degree
from .data import IndicatorSystem
from .index import composite_index
from .model import CouplingCoordination
from .results import BootstrapResults, CouplingResults
from .standardize import standardize

# eager: the function has the name of its module, which a lazy attribute could not shadow
from .topsis import TopsisResults, topsis
from .weights import critic_weights, cv_weights, entropy_weights, equal_weights

if TYPE_CHECKING:
    from .drivers import (
        GreyRelationalResults,
        MediationResults,
        ModerationResults,
        PanelThreshold,
        SpatialMediationResults,
        ThresholdResults,
        grey_relational,
        mediation,
        moderation,
        spatial_mediation,
    )
    from .industry.agglomeration import (
        coagglomeration_index,
        location_quotient,
        plant_herfindahl,
    )
    from .regional.convergence import (
        BetaConvergenceResults,
        SigmaConvergenceResults,
        beta_convergence,
        sigma_convergence,
    )
    from .regional.dynamics import KernelDensityResults, MarkovResults, kernel_density, markov_chain
    from .regional.inequality import DagumResults, TheilResults, dagum_gini, theil
    from .regional.obstacle import ObstacleResults, obstacle_degree

#: Names loaded on first use (so that ``import coupling`` stays light), and their modules.
_LAZY = {
    "GreyRelationalResults": "drivers",
    "MediationResults": "drivers",
    "ModerationResults": "drivers",
    "PanelThreshold": "drivers",
    "SpatialMediationResults": "drivers",
    "ThresholdResults": "drivers",
    "grey_relational": "drivers",
    "mediation": "drivers",
    "moderation": "drivers",
    "spatial_mediation": "drivers",
    "coagglomeration_index": "industry.agglomeration",
    "location_quotient": "industry.agglomeration",
    "plant_herfindahl": "industry.agglomeration",
    "BetaConvergenceResults": "regional.convergence",
    "SigmaConvergenceResults": "regional.convergence",
    "beta_convergence": "regional.convergence",
    "sigma_convergence": "regional.convergence",
    "KernelDensityResults": "regional.dynamics",
    "MarkovResults": "regional.dynamics",
    "kernel_density": "regional.dynamics",
    "markov_chain": "regional.dynamics",
    "DagumResults": "regional.inequality",
    "TheilResults": "regional.inequality",
    "dagum_gini": "regional.inequality",
    "theil": "regional.inequality",
    "ObstacleResults": "regional.obstacle",
    "obstacle_degree": "regional.obstacle",
}

__all__ = [
    "FOUR_STAGE",
    "NBS_REGIONS",
    "NBS_REGION_OF",
    "TEN_TIER",
    "Bands",
    "BetaConvergenceResults",
    "BootstrapResults",
    "CouplingCoordination",
    "CouplingResults",
    "DagumResults",
    "GreyRelationalResults",
    "IndicatorSystem",
    "KernelDensityResults",
    "MarkovResults",
    "MediationResults",
    "ModerationResults",
    "ObstacleResults",
    "PanelThreshold",
    "SigmaConvergenceResults",
    "SpatialMediationResults",
    "TheilResults",
    "ThresholdResults",
    "TopsisResults",
    "__version__",
    "beta_convergence",
    "bootstrap_weights",
    "classify",
    "coagglomeration_index",
    "composite_index",
    "coordination_index",
    "coupling_coordination",
    "coupling_degree",
    "critic_weights",
    "cv_weights",
    "dagum_gini",
    "entropy_weights",
    "equal_weights",
    "grey_relational",
    "kernel_density",
    "location_quotient",
    "markov_chain",
    "mediation",
    "moderation",
    "obstacle_degree",
    "plant_herfindahl",
    "relative_development",
    "sigma_convergence",
    "spatial_mediation",
    "standardize",
    "theil",
    "topsis",
]

__getattr__ = lazy_attributes(__name__, _LAZY)
