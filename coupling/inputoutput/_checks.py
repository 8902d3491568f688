"""Checks of input-output tables: labels, numbers, output and the accounting identities.

Every check raises an :class:`~coupling.exceptions.IOTableError` (or a subclass) that says
what was found, where, and which argument changes the behaviour. The tables call them in
their constructors, so a table that exists is one whose identities hold within its stated
tolerance.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from spatial._core.messages import format_items

from ..exceptions import (
    AccountingIdentityError,
    IOTableError,
    SectorMappingError,
    ZeroOutputError,
)

__all__ = [
    "ZeroOutput",
    "check_identity",
    "check_output",
    "finite_values",
    "group_matrix",
    "labelled_square",
    "rows_aligned",
]

#: What a table does with sectors of zero gross output.
ZeroOutput = Literal["raise", "drop", "zero"]


def finite_values(frame: pd.DataFrame | pd.Series, what: str) -> np.ndarray:
    """The values of ``frame`` as float64, or an error naming the first non-numeric or
    missing cells."""
    if isinstance(frame, pd.DataFrame):
        numeric = all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes.unique())
        values = frame if numeric else frame.apply(pd.to_numeric, errors="coerce")
        array = values.to_numpy(dtype=float, copy=True)  # never a view of the caller's frame
    else:
        array = np.array(pd.to_numeric(frame, errors="coerce"), dtype=float)
    if not np.isfinite(array).all():
        bad = ~np.isfinite(array)
        if array.ndim == 1:
            cells = [str(frame.index[i]) for i in np.flatnonzero(bad)]
        else:
            rows, cols = np.nonzero(bad)
            cells = [f"({frame.index[r]}, {frame.columns[c]})" for r, c in zip(rows, cols)]
        raise IOTableError(
            f"{what} has {bad.sum()} missing or non-numeric cell(s): {format_items(cells)}. "
            "Fill them (0 for an empty cell of a published table) before building the table."
        )
    return array


def labelled_square(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """``frame`` with its columns in the order of its rows, or an error if the two label
    sets differ (flows are matched by label, never by position)."""
    if not isinstance(frame, pd.DataFrame):
        raise IOTableError(f"{what} must be a DataFrame with sector labels, got {type(frame)}.")
    if frame.shape[0] != frame.shape[1]:
        raise IOTableError(
            f"{what} must be square (a row and a column per sector); it has "
            f"{frame.shape[0]} rows and {frame.shape[1]} columns."
        )
    if frame.index.has_duplicates:
        raise IOTableError(
            f"{what} has duplicated row labels: "
            f"{format_items(list(frame.index[frame.index.duplicated()]))}."
        )
    if frame.columns.equals(frame.index):
        return frame
    missing = [c for c in frame.index if c not in frame.columns]
    extra = [c for c in frame.columns if c not in frame.index]
    if missing or extra:
        raise IOTableError(
            f"The rows and columns of {what} name different sectors: rows without a column "
            f"{format_items(missing)}; columns without a row {format_items(extra)}."
        )
    return frame.loc[:, frame.index]


def rows_aligned(
    frame: pd.DataFrame | pd.Series, sectors: pd.Index, what: str, *, axis: int = 0
) -> pd.DataFrame | pd.Series:
    """``frame`` with its rows (``axis=0``) or columns (``axis=1``) in the order of
    ``sectors``, or an error naming the sectors that are missing or extra."""
    labels = frame.index if axis == 0 else frame.columns
    if labels.equals(sectors):
        return frame
    missing = [s for s in sectors if s not in labels]
    extra = [s for s in labels if s not in sectors]
    if missing or extra or labels.has_duplicates:
        raise IOTableError(
            f"{what} does not have one {'row' if axis == 0 else 'column'} per sector of the "
            f"intermediate flows: missing {format_items(missing) or 'none'}; not a sector "
            f"{format_items(extra) or 'none'}"
            + ("; duplicated labels" if labels.has_duplicates else "")
            + "."
        )
    return frame.reindex(sectors) if axis == 0 else frame.reindex(columns=sectors)


def check_output(
    output: np.ndarray,
    labels: Sequence[str],
    zero_output: ZeroOutput,
    *,
    can_drop: bool,
    atol: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Output with rounding noise around zero set to zero, and the mask of zero-output
    sectors.

    Negative output is an error naming the sectors, unless it lies within ``atol`` of zero
    (a rounded table: the row sums of a sector with no output can come out as -1); such
    sectors, like those with zero output, follow ``zero_output``: an error with
    ``"raise"`` (``can_drop``: whether the message offers ``"drop"``).
    """
    negative = np.flatnonzero(output < -atol)
    if negative.size:
        listed = [f"{labels[int(i)]} ({output[i]:.6g})" for i in negative]
        raise IOTableError(
            f"Gross output is negative in {negative.size} sector(s): {format_items(listed)}. "
            "Output is a sum of non-negative flows; check signs and the output row/column "
            "(for a rounded table, atol= sets how far below zero is rounding noise)."
        )
    zero = output <= 0
    if zero.any() and zero_output == "raise":
        listed = [labels[int(i)] for i in np.flatnonzero(zero)]
        raise ZeroOutputError(
            f"{zero.sum()} sector(s) have zero gross output: {format_items(listed, limit=10)}. "
            "No coefficient can be divided by their output. Pass zero_output='zero' to give "
            "them zero coefficients (as decompr and pymrio do)"
            + (" or zero_output='drop' to remove them" if can_drop else "")
            + "."
        )
    return np.where(zero, 0.0, output), zero


def check_identity(
    left: np.ndarray,
    output: np.ndarray,
    labels: Sequence[str],
    what: str,
    *,
    rtol: float,
    atol: float,
) -> None:
    """``|left - output| <= rtol * |output| + atol`` in every sector, or an
    :class:`AccountingIdentityError` with the worst sectors."""
    gap = left - output
    bound = rtol * np.abs(output) + atol
    bad = np.flatnonzero(np.abs(gap) > bound)
    if bad.size:
        worst = bad[np.argsort(-np.abs(gap[bad]))][:5]
        listed = ", ".join(f"{labels[i]}: {left[i]:.10g} vs output {output[i]:.10g}" for i in worst)
        raise AccountingIdentityError(
            f"The {what} identity fails in {bad.size} sector(s) beyond rtol={rtol:g}, "
            f"atol={atol:g}: {listed}. Check that no row or column is missing (value added, "
            "imports, the statistical discrepancy), or widen rtol/atol for a rounded table."
        )


def group_matrix(
    mapping: Mapping[Hashable, Hashable] | pd.Series,
    units: Sequence[Hashable],
    what: str,
) -> tuple[np.ndarray, list[Hashable]]:
    """The 0/1 matrix ``S`` (groups x units) of a mapping that assigns every unit exactly
    once, and the groups in order of first appearance.

    Raises
    ------
    SectorMappingError
        Units left unassigned, labels that are not units, a unit assigned twice.
    """
    if isinstance(mapping, pd.Series):
        doubled = mapping.index[mapping.index.duplicated()].unique().tolist()
        if doubled:
            raise SectorMappingError(
                f"The {what} mapping assigns {format_items(doubled)} more than once; give "
                "each exactly one group."
            )
        pairs = dict(mapping.items())
    else:
        pairs = dict(mapping)
    unit_set = set(units)
    unknown = [u for u in pairs if u not in unit_set]
    missing = [u for u in units if u not in pairs]
    if unknown or missing:
        raise SectorMappingError(
            f"The {what} mapping must assign every {what} of the table exactly once: "
            f"unassigned {format_items(missing) or 'none'}; not in the table "
            f"{format_items(unknown) or 'none'}."
        )
    nulls = [u for u in units if pd.isna(pairs[u])]
    if nulls:
        raise SectorMappingError(
            f"The {what} mapping gives no group (a missing value) to {format_items(nulls)}."
        )
    groups = list(dict.fromkeys(pairs[u] for u in units))
    position = {g: k for k, g in enumerate(groups)}
    S = np.zeros((len(groups), len(units)))
    S[[position[pairs[u]] for u in units], np.arange(len(units))] = 1.0
    return S, groups
