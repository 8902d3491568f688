"""Input handling and figures shared by the disparity and dynamics analyses.

The analyses of :mod:`coupling.regional.inequality`, :mod:`coupling.regional.dynamics`,
:mod:`coupling.regional.convergence` and :mod:`coupling.regional.obstacle` all start from a tidy
(region, year, value) table: the ``scores`` of a :class:`~coupling.CouplingResults`,
its ``to_frame()``, or any long table. This module turns such a table into a
year-major array ``(T, N)`` (through the toolkit's one panel validator,
:func:`spatial._core.panel.panel_arrays`) and resolves region groups
(``groups={region: group}``, or a column naming each region's group).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from spatial._core.messages import format_items, suggest
from spatial._core.options import Balance
from spatial._core.panel import PanelArrays, panel_arrays, panel_keys

from ..exceptions import (
    DegenerateIndexError,
    IndicatorNotFoundError,
    MissingValueError,
    NegativeValueError,
    SpecificationError,
)
from ..results import CouplingResults

__all__ = [
    "ValuePanel",
    "as_table",
    "check_finite",
    "check_nonnegative",
    "check_positive_mean",
    "region_groups",
    "value_panel",
]


@dataclass(frozen=True)
class ValuePanel(PanelArrays):
    """One value of a balanced panel: ``values`` has shape ``(T, N)``.

    Attributes
    ----------
    value_name : str
        Column the values came from; the other attributes are those of
        :class:`spatial._core.panel.PanelArrays`.
    """

    value_name: str = ""


def as_table(table: pd.DataFrame | CouplingResults) -> pd.DataFrame:
    """The scores of a :class:`CouplingResults`, or a DataFrame as it is."""
    if isinstance(table, CouplingResults):
        return table.scores
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"Expected a DataFrame (or CouplingResults), got {type(table).__name__}.")
    return table


def value_panel(
    table: pd.DataFrame | CouplingResults,
    value: str,
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    balance: Balance = "error",
) -> ValuePanel:
    """Validate a long (region, year, value) table and return the value as ``(T, N)``.

    Region and year are columns or index levels; both omitted means a
    two-level (region, year) index, as in ``CouplingResults.scores``. Missing
    or non-numeric values raise :class:`MissingValueError`, duplicated pairs
    :class:`DuplicateObservationError` and an unbalanced panel
    :class:`UnbalancedPanelError` (or, with ``balance="drop"``, lose the
    incomplete regions with a warning).
    """
    frame = as_table(table)
    panel = panel_arrays(frame, [value], region, year, balance=balance)
    return ValuePanel(
        values=panel.values[:, :, 0],
        regions=panel.regions,
        years=panel.years,
        columns=panel.columns,
        region_name=panel.region_name if panel.region_name is not None else "region",
        year_name=panel.year_name if panel.year_name is not None else "year",
        dropped_regions=panel.dropped_regions,
        value_name=value,
    )


def _column(frame: pd.DataFrame, key: Hashable, role: str) -> np.ndarray:
    if key in frame.columns:
        return frame[key].to_numpy()
    if isinstance(frame.index, pd.MultiIndex) and key in frame.index.names:
        return frame.index.get_level_values(key).to_numpy()
    raise IndicatorNotFoundError(
        f"The {role} column {key!r} is neither a column nor an index level of the table."
        + suggest(str(key), [str(c) for c in frame.columns])
    )


def region_groups(
    table: pd.DataFrame | CouplingResults,
    panel: ValuePanel,
    group: Hashable | None,
    groups: Mapping[Any, Hashable] | None,
    region: Hashable | None,
    year: Hashable | None,
    *,
    allow_singleton_groups: bool = False,
    required: bool = True,
) -> tuple[np.ndarray, pd.Index]:
    """Group code of each region of ``panel`` and the sorted group labels.

    ``group`` names a column (or index level) holding each region's group,
    constant over the years; ``groups`` maps region labels to group labels
    (entries for regions not in the panel are ignored). With neither and
    ``required=False`` every region is in one group ``"all"``.

    Raises
    ------
    SpecificationError
        Both or (when required) neither of ``group`` and ``groups``; a region
        in no group; a region whose group changes over the years; a group
        with a single region unless ``allow_singleton_groups=True``.
    """
    if group is not None and groups is not None:
        raise SpecificationError(
            "Give the groups either as a column (group=...) or as a mapping (groups=...), not both."
        )
    if group is None and groups is None:
        if required:
            raise SpecificationError(
                "This analysis needs region groups: name a column with group=... or pass "
                "groups={region: group}."
            )
        return np.zeros(len(panel.regions), dtype=np.intp), pd.Index(["all"], name="group")
    regions = list(panel.regions)
    if groups is not None:
        if not isinstance(groups, Mapping):
            raise SpecificationError(
                f"groups must be a mapping {{region: group}}, got {type(groups).__name__}."
            )
        label_of = [groups.get(r) for r in regions]
        missing = [r for r, g in zip(regions, label_of) if g is None or pd.isna(g)]
        if missing:
            raise SpecificationError(
                f"{len(missing)} region(s) are in no group: {format_items(missing, 10)}. "
                "Add them to the groups mapping (or drop them from the table)."
            )
        name: Hashable = "group"
    else:
        frame = as_table(table)
        region_values, _, _, _ = panel_keys(frame, region, year)
        members = pd.DataFrame({"region": region_values, "group": _column(frame, group, "group")})
        absent = members["group"].isna()
        if absent.any():
            bad = pd.unique(members.loc[absent, "region"]).tolist()
            raise SpecificationError(
                f"{len(bad)} region(s) have no value in the group column {group!r}: "
                f"{format_items(bad, 10)}. Every region must belong to a group."
            )
        counts = members.groupby("region", sort=True)["group"].nunique()
        moving = counts.index[counts > 1].tolist()
        if moving:
            raise SpecificationError(
                f"The group column {group!r} changes over the years for region(s) "
                f"{format_items(moving, 10)}; a region must stay in one group."
            )
        first = members.drop_duplicates("region").set_index("region")["group"]
        label_of = [first.get(r) for r in regions]
        name = group
    codes, labels = pd.factorize(pd.Index(label_of, dtype=object), sort=True)
    sizes = np.bincount(codes, minlength=len(labels))
    single = [str(labels[g]) for g in np.flatnonzero(sizes == 1)]
    if single and not allow_singleton_groups:
        raise SpecificationError(
            f"Group(s) {format_items(single, 10)} contain a single region; a within-group "
            "index is then 0 by definition and the group is usually a labelling mistake. "
            "Merge the group or pass allow_singleton_groups=True to keep it."
        )
    return codes.astype(np.intp), pd.Index(labels, name=name)


def check_finite(panel: ValuePanel) -> None:
    """Refuse missing or infinite values (normally caught by :func:`value_panel`)."""
    bad = ~np.isfinite(panel.values)
    if bad.any():
        raise MissingValueError(
            f"{int(bad.sum())} missing or infinite value(s) of {panel.value_name!r} at "
            f"{format_items(panel.where(bad))}."
        )


def check_nonnegative(panel: ValuePanel, what: str) -> None:
    """Refuse negative values, naming the region-years, for an index ``what``."""
    negative = panel.values < 0
    if negative.any():
        raise NegativeValueError(
            f"{what} needs non-negative values; {panel.value_name!r} is negative at "
            f"{int(negative.sum())} region-year(s): {format_items(panel.where(negative))}."
        )


def check_positive_mean(panel: ValuePanel, what: str) -> None:
    """Refuse years in which the mean is zero (the index divides by it)."""
    zero = panel.values.mean(axis=1) == 0
    if zero.any():
        years = [panel.years[t] for t in np.flatnonzero(zero)]
        raise DegenerateIndexError(
            f"{what} divides by the mean, which is zero in year(s) {format_items(years)} "
            f"(every {panel.value_name!r} is 0)."
        )
