"""Industrial fusion (产业融合度) from input-output tables.

The 两业融合 literature measures how far manufacturing and producer services have grown
into each other by the inputs one buys from the other: the direct consumption coefficient
``a_ij`` (inputs of ``i`` per unit of output of ``j``) and the complete consumption
coefficient ``l_ij - [i = j]`` (direct and indirect inputs per unit of final product ``j``),
summed over the sectors of the source group and averaged over the target group:

    fusion(S -> T) = sum_{j in T} w_j sum_{i in S} c_ij,

with ``c`` the direct (``A``) or complete (``L - I``) coefficients, total or domestic,
and weights ``w_j`` the shares of the target sectors in the group's output
(``weighting="output"``: for direct coefficients this is exactly the coefficient of the
merged table, sum of flows over sum of output), in its final demand (``"final_demand"``:
the natural weights of complete coefficients, which are per unit of final demand) or equal
(``"equal"``, the plain mean many papers report). Both directions are read from the same
table: producer services consumed by manufacturing (``source="producer_services",
target="manufacturing"``: 制造业服务化) and manufacturing consumed by producer services
(the reverse: 服务业制造化).

A panel over years (:func:`fusion_panel`) is one row per year, direction and measure,
ready to join a coupling-coordination panel or to be plotted; each table resolves the
named groups through its own classification, so tables of different sizes (42 and 149
sectors) line up.

References
----------
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., sections 2.3-2.5
(direct and total requirements) and 4.2 (aggregation).

国家统计局国民经济核算司.《中国投入产出表》 (each benchmark year), 编制说明: 直接消耗系数 and
完全消耗系数.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from spatial._core.options import Language, check_option
from spatial._core.results import FrozenTables

from ..exceptions import IOTableError
from .sectors import GroupSpec, group_members

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .tables import IOTable, Kind

__all__ = ["FusionResults", "Measure", "SectorWeighting", "fusion", "fusion_panel"]

#: Direct consumption coefficients (A) or complete consumption coefficients (L - I).
Measure = Literal["direct", "complete"]
#: How the target sectors are averaged.
SectorWeighting = Literal["output", "final_demand", "equal"]


@dataclass(frozen=True, repr=False)
class FusionResults(FrozenTables):
    """Consumption of a source group of sectors by a target group.

    Attributes
    ----------
    pairs : DataFrame
        The coefficients, source sectors (rows) by target sectors (columns).
    by_target : DataFrame
        Per target sector: its name, ``coefficient`` (the column sum over the source
        group) and ``weight``.
    value : float
        ``sum_j weight_j * coefficient_j``.
    source, target : tuple of str
        The sector codes of the two groups.
    groups : tuple of str
        Names of the source and target groups (a group name, or ``"custom"``).
    measure, kind, weighting : str
        The options used.
    year : int or None
    sectors : DataFrame
        Codes of both groups with ``name_zh`` and ``name_en``.
    classification : str or None
        The table's sector classification (for short chart labels).
    """

    pairs: pd.DataFrame
    by_target: pd.DataFrame
    value: float
    source: tuple[str, ...]
    target: tuple[str, ...]
    groups: tuple[str, str]
    measure: str
    kind: str
    weighting: str
    year: int | None
    sectors: pd.DataFrame
    classification: str | None

    def plot(self, path: str | PathLike[str] | None = None, *, language: Language = "en") -> Figure:
        """Heat map of the coefficients (source sectors by target sectors); see
        :func:`coupling.inputoutput.plots.fusion_heatmap`."""
        from .plots import fusion_heatmap

        return fusion_heatmap(self, path, language=language)


def fusion(
    table: IOTable,
    source: GroupSpec,
    target: GroupSpec,
    *,
    measure: Measure = "complete",
    kind: Kind = "total",
    weighting: SectorWeighting = "output",
) -> FusionResults:
    """How much the ``target`` group consumes of the ``source`` group.

    Parameters
    ----------
    table : IOTable
    source, target : str or sequence of codes
        Groups of sectors: a name (``"producer_services"``, ``"manufacturing"``,
        ``"equipment"``, a producer-service category such as ``"finance"``...) resolved by
        the table's classification, or sector codes.
    measure : {"direct", "complete"}
        Direct consumption coefficients ``A`` (直接消耗系数) or complete consumption
        coefficients ``L - I`` (完全消耗系数).
    kind : {"total", "domestic"}
        Inputs of domestic and imported products, or domestic ones only.
    weighting : {"output", "final_demand", "equal"}
        Weights of the target sectors.

    Returns
    -------
    FusionResults

    Raises
    ------
    SectorMappingError
        A group that is unknown, empty or names codes that are not sectors.
    IOTableError
        Final-demand weights of a target group without final demand, or a target group
        without output.
    """
    check_option("measure", measure, ("direct", "complete"))
    check_option("weighting", weighting, ("output", "final_demand", "equal"))
    rows = group_members(table, source)
    cols = group_members(table, target)
    sectors = table.sectors
    position = {str(code): k for k, code in enumerate(sectors.index)}
    r = np.array([position[c] for c in rows])
    c = np.array([position[c] for c in cols])
    if measure == "direct":
        values = table._cached("A", kind)[np.ix_(r, c)]
    else:
        values = table._cached("L", kind)[np.ix_(r, c)] - (r[:, None] == c[None, :])
    column_sums = values.sum(axis=0)
    if weighting == "equal":
        raw = np.ones(len(c))
    elif weighting == "output":
        raw = table._x[c]
    else:
        raw = table._arrays["F"][c].sum(axis=1)
    if not np.isfinite(raw).all() or raw.sum() <= 0:
        raise IOTableError(
            f"The target group has no positive {weighting.replace('_', ' ')} to weight its "
            f"sectors by (total {raw.sum():.6g}); choose weighting='equal' or another group."
        )
    weight = raw / raw.sum()
    row_labels, col_labels = sectors.index[r], sectors.index[c]
    by_target = sectors.iloc[c].assign(coefficient=column_sums, weight=weight)
    both = list(dict.fromkeys([*r.tolist(), *c.tolist()]))
    return FusionResults(
        pairs=pd.DataFrame(values, index=row_labels, columns=col_labels),
        by_target=by_target,
        value=float(weight @ column_sums),
        source=tuple(rows),
        target=tuple(cols),
        groups=(_group_name(source), _group_name(target)),
        measure=measure,
        kind=kind,
        weighting=weighting,
        year=table.year,
        sectors=sectors.iloc[both],
        classification=table.classification,
    )


def _group_name(group: GroupSpec) -> str:
    return group if isinstance(group, str) else "custom"


def fusion_panel(
    tables: Mapping[int, IOTable] | Sequence[IOTable],
    *,
    directions: Sequence[tuple[GroupSpec, GroupSpec]] = (
        ("producer_services", "manufacturing"),
        ("manufacturing", "producer_services"),
    ),
    measures: Sequence[Measure] = ("direct", "complete"),
    kind: Kind = "total",
    weighting: SectorWeighting = "output",
) -> pd.DataFrame:
    """Fusion in both directions and both measures for a sequence of tables (years).

    Parameters
    ----------
    tables : mapping year -> IOTable, or sequence of IOTable (each with its ``year``)
    directions : sequence of (source, target)
        Default: producer services consumed by manufacturing, and the reverse.
    measures : sequence of {"direct", "complete"}
    kind, weighting
        As in :func:`fusion`.

    Returns
    -------
    DataFrame
        Long: ``year``, ``source``, ``target``, ``measure``, ``value``, ``sectors`` (the
        table's number of sectors), sorted by year. ``pivot_table(index="year",
        columns=["source", "target", "measure"], values="value")`` makes it wide.

    Raises
    ------
    IOTableError
        A table without a year in a sequence, or two tables of the same year.
    """
    if isinstance(tables, Mapping):
        items = list(tables.items())
    else:
        items = []
        for table in tables:
            if table.year is None:
                raise IOTableError(
                    "Each table of a sequence needs its year (IOTable(year=...)); or pass "
                    "a mapping {year: table}."
                )
            items.append((table.year, table))
    years = [y for y, _ in items]
    doubled = sorted({y for y in years if years.count(y) > 1})
    if doubled:
        raise IOTableError(f"Several tables for the year(s) {doubled}; pass one per year.")
    rows = []
    for year, table in sorted(items, key=lambda item: item[0]):
        for source, target in directions:
            for measure in measures:
                result = fusion(
                    table, source, target, measure=measure, kind=kind, weighting=weighting
                )
                rows.append(
                    {
                        "year": year,
                        "source": source if isinstance(source, str) else "+".join(result.source),
                        "target": target if isinstance(target, str) else "+".join(result.target),
                        "measure": measure,
                        "value": result.value,
                        "sectors": len(table.sectors),
                    }
                )
    return pd.DataFrame(rows)
