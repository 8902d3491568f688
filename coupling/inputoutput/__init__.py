"""Input-output tables, linkages, fusion and global value chains.

============================================  ==============================================
``coupling.inputoutput.tables``               :class:`IOTable` (one economy) and
                                              :class:`MRIOTable` (countries x sectors),
                                              checks, aggregation
``coupling.inputoutput.readers``              :func:`read_io_table` (NBS layout),
                                              :func:`read_wiod`, :func:`read_icio`
``coupling.inputoutput.sectors``              NBS and WIOD classifications, manufacturing,
                                              equipment and producer-service groups
``coupling.inputoutput.coefficients``         direct and complete consumption, Leontief and
                                              Ghosh inverses
``coupling.inputoutput.linkages``             影响力系数 and 感应度系数 (both conventions)
``coupling.inputoutput.fusion``               fusion of two groups (融合度), by year
``coupling.inputoutput.exports``              WWZ (2013), KWW (2014), Leontief decomposition
``coupling.inputoutput.participation``        Wang et al. (2017) and KPWW (2010) participation
                                              and position, services content of exports
``coupling.inputoutput.length``               production length (Wang et al. 2017),
                                              upstreamness and downstreamness
============================================  ==============================================
"""

from __future__ import annotations

from .exports import (
    ExportDecomposition,
    kww_decomposition,
    leontief_decomposition,
    wwz_decomposition,
)
from .fusion import FusionResults, fusion, fusion_panel
from .readers import read_icio, read_io_table, read_wiod
from .tables import IOTable, MRIOTable

__all__ = [
    "ExportDecomposition",
    "FusionResults",
    "IOTable",
    "MRIOTable",
    "fusion",
    "fusion_panel",
    "kww_decomposition",
    "leontief_decomposition",
    "read_icio",
    "read_io_table",
    "read_wiod",
    "wwz_decomposition",
]
