"""Coupling-coordination scoring of regional subsystems.

Indicators per subsystem -> min-max standardization -> indicator weights
(entropy, CRITIC, coefficient of variation, equal or fixed) -> composite index
``U`` -> coupling degree ``C``, coordination index ``T`` and
coupling-coordination degree ``D`` -> tiers and lag types; plus location
quotients and co-agglomeration indices from employment tables.

Each stage lives in a module named after it: :mod:`coupling.data`,
:mod:`coupling.standardize`, :mod:`coupling.weights`, :mod:`coupling.index`,
:mod:`coupling.coordination`, :mod:`coupling.classify`,
:mod:`coupling.industry.agglomeration`, :mod:`coupling.bootstrap`, :mod:`coupling.model`,
:mod:`coupling.results`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("liangye")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .bootstrap import bootstrap_weights
from .classify import FOUR_STAGE, TEN_TIER, Bands, classify, relative_development
from .coordination import coordination_index, coupling_coordination, coupling_degree
from .data import IndicatorSystem
from .datasets import NBS_REGION_OF, NBS_REGIONS
from .index import composite_index
from .industry.agglomeration import (
    coagglomeration_index,
    location_quotient,
    plant_herfindahl,
)
from .model import CouplingCoordination
from .regional.convergence import (
    BetaConvergenceResults,
    SigmaConvergenceResults,
    beta_convergence,
    sigma_convergence,
)
from .regional.dynamics import KernelDensityResults, MarkovResults, kernel_density, markov_chain
from .regional.inequality import DagumResults, TheilResults, dagum_gini, theil
from .regional.obstacle import ObstacleResults, obstacle_degree
from .results import BootstrapResults, CouplingResults
from .standardize import standardize
from .weights import critic_weights, cv_weights, entropy_weights, equal_weights

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
    "IndicatorSystem",
    "KernelDensityResults",
    "MarkovResults",
    "ObstacleResults",
    "SigmaConvergenceResults",
    "TheilResults",
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
    "kernel_density",
    "location_quotient",
    "markov_chain",
    "obstacle_degree",
    "plant_herfindahl",
    "relative_development",
    "sigma_convergence",
    "standardize",
    "theil",
]
