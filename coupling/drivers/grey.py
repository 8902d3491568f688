"""Grey relational analysis: how closely each driver's sequence follows a reference series.

Deng's grey relational analysis (GRA) compares the shape of a reference
sequence (typically the coupling-coordination degree ``D`` or a subsystem index)
with the sequences of candidate factors (indicators or drivers). A sequence
runs over the years of one region (``by="region"``), over the regions of one
year (``by="year"``) or over every region-year of the panel (``by="panel"``);
all sequences of a panel are computed at once as array operations.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from spatial._core.messages import format_items
from spatial._core.options import Balance, check_option
from spatial._core.ranks import rank_descending
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__

from ..data import panel_arrays
from ..exceptions import (
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    SpecificationError,
)

__all__ = ["GreyRelationalResults", "grey_relational"]

GreyNormalization = Literal["mean", "initial", "minmax"]
By = Literal["year", "region", "panel"]


@dataclass(frozen=True, repr=False)
class GreyRelationalResults(FrozenTables):
    """Grey relational coefficients and degrees; returned by :func:`grey_relational`.

    Attributes
    ----------
    coefficients : DataFrame
        Long table, one row per region, year and factor: ``reference`` and
        ``value`` (the normalized reference and factor), ``delta`` (their
        absolute difference) and ``coefficient`` (the grey relational
        coefficient, in (0, 1]).
    degrees : DataFrame
        Indexed by (sequence, factor): ``degree`` (mean coefficient over the
        sequence) and ``rank`` within the sequence (1 = most closely related;
        ties share the best rank). The sequence level is the region
        (``by="region"``), the year (``by="year"``) or ``"panel"`` (a single
        sequence, ``by="panel"``).
    overall : DataFrame
        Indexed by factor: ``degree`` averaged over the sequences and its
        ``rank``.
    options : mapping
        reference, factors, rho, normalization, by, panel size, key names,
        dropped regions, version.
    """

    coefficients: pd.DataFrame
    degrees: pd.DataFrame
    overall: pd.DataFrame
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Overall degrees and ranks, and the degrees of each sequence."""
        opts = self.options
        wide = self.degrees["degree"].unstack("factor")[list(opts["factors"])]
        notes = (
            f"Reference {opts['reference']!r}; sequences by {opts['by']} "
            f"({opts['n_regions']} regions x {opts['n_years']} years); "
            f"normalization={opts['normalization']}, rho={opts['rho']:g}. "
            "xi = (min min delta + rho max max delta) / (delta + rho max max delta), "
            "degree = mean of xi over the sequence.",
        )
        return Summary(
            "Grey relational analysis",
            (("Grey relational degrees (overall)", self.overall),
             (f"Degrees by {opts['by']}", wide)),
            notes,
        )  # fmt: skip


def _factor_list(reference: str, factors: str | Sequence[str]) -> list[str]:
    names = [factors] if isinstance(factors, str) else list(factors)
    if not names:
        raise SpecificationError(
            "factors must name at least one column to relate to the reference."
        )
    if reference in names:
        raise SpecificationError(
            f"The reference {reference!r} is also listed among the factors; remove it."
        )
    return [str(name) for name in names]


def _normalize(
    values: np.ndarray,
    axes: tuple[int, ...],
    normalization: str,
    names: list[str],
    where: Any,
) -> np.ndarray:
    """Normalize every sequence (along ``axes`` of (T, N, K)); name zero divisors."""
    error: type[ValueError]
    if normalization == "minmax":
        lo = values.min(axis=axes, keepdims=True)
        hi = values.max(axis=axes, keepdims=True)
        divisor, shifted = hi - lo, values - lo
        what, error, advice = "is constant", ConstantIndicatorError, "'mean'"
    else:
        if normalization == "initial":
            divisor = values[:1]  # by region: the first year of each region's series
        else:
            divisor = values.mean(axis=axes, keepdims=True)
        shifted = values
        what = "starts at 0" if normalization == "initial" else "has mean 0"
        error, advice = DegenerateIndexError, "'minmax'" if normalization == "mean" else "'mean'"
    zero = divisor == 0
    if zero.any():
        cells = [f"{names[k]} {where(index)}" for *index, k in zip(*np.nonzero(zero))]
        raise error(
            f"normalization={normalization!r} divides each sequence by a number that is 0 here: "
            f"the series {format_items(cells)} {what}. Drop the series or use "
            f"normalization={advice}."
        )
    return shifted / divisor


def grey_relational(
    data: pd.DataFrame,
    reference: str,
    factors: str | Sequence[str],
    *,
    region: Hashable | None = "region",
    year: Hashable | None = "year",
    rho: float = 0.5,
    normalization: GreyNormalization = "mean",
    by: By = "year",
    balance: Balance = "error",
) -> GreyRelationalResults:
    """Deng's grey relational coefficients and degrees of factors to a reference series.

    Parameters
    ----------
    data : DataFrame
        A (region, year) panel with the reference and factor columns (for
        example the scores of a coupling model joined to its drivers). Not
        modified.
    reference : str
        Column of the reference sequence :math:`x_0` (e.g. ``"D"``).
    factors : str or sequence of str
        Columns of the compared sequences :math:`x_i` (indicators or drivers).
    region, year : hashable, default "region", "year"
        Column or index-level names; ``None`` for both means a two-level
        (region, year) index.
    rho : float, default 0.5
        Distinguishing coefficient, in (0, 1]; a smaller ``rho`` spreads the
        coefficients further apart (the ranking of the degrees is usually
        stable).
    normalization : {"mean", "initial", "minmax"}
        Dimensionless sequences: divided by their mean (default), by their
        first value (``by="region"`` only: the first year), or min-max
        scaled to [0, 1].
    by : {"year", "region", "panel"}
        What a sequence runs over: the regions of each year (``"year"``,
        default: cross-sections), the years of each region (``"region"``:
        time series), or all region-years at once (``"panel"``).
        Normalization, :math:`\\min\\min` and :math:`\\max\\max` are taken
        within each sequence.
    balance : {"error", "drop"}
        An unbalanced panel raises or loses its incomplete regions (warning).

    Returns
    -------
    GreyRelationalResults
        ``coefficients`` (long), ``degrees`` (by sequence, with ranks),
        ``overall`` (mean over sequences, with ranks), ``options`` and
        ``summary()``.

    Raises
    ------
    SpecificationError
        No factors, or the reference among them.
    InvalidOptionError
        ``rho`` outside (0, 1], an unknown option, ``normalization="initial"``
        with sequences over regions.
    DegenerateIndexError
        A series with first value 0 (``"initial"``) or mean 0 (``"mean"``) in a
        sequence; every factor identical to the reference in a sequence.
    ConstantIndicatorError
        A series constant within a sequence with ``normalization="minmax"``.
    ColumnNotFoundError, MissingValueError, UnbalancedPanelError
        From the panel checks.

    Notes
    -----
    Each sequence ``k = 1..n`` is normalized; with
    :math:`\\Delta_i(k) = |x_0(k) - x_i(k)|` the grey relational coefficient
    and degree are

    .. math::

        \\xi_i(k) = \\frac{\\min_i \\min_k \\Delta_i(k) + \\rho \\max_i \\max_k \\Delta_i(k)}
                         {\\Delta_i(k) + \\rho \\max_i \\max_k \\Delta_i(k)}, \\qquad
        r_i = \\frac{1}{n} \\sum_k \\xi_i(k),

    the minimum and maximum running over all factors ``i`` and all points
    ``k`` of the sequence. The overall degree is the mean of :math:`r_i` over
    the sequences (equal lengths: the mean of all coefficients). GRA
    measures the similarity of shapes, not the sign of an association: a
    driver that moves against the reference gets a low degree.

    References
    ----------
    Deng, J.-L. (1989). Introduction to grey system theory. *Journal of Grey
    System* 1(1): 1-24.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": "a", "year": [1, 2, 3], "D": [1.0, 2, 3],
    ...                    "f1": [2.0, 4, 6], "f2": [3.0, 3, 3]})
    >>> res = grey_relational(df, "D", ["f1", "f2"], by="region")
    >>> res.overall.round(4)
            degree  rank
    factor
    f1      1.0000     1
    f2      0.5556     2
    """
    reference = str(reference)
    names = _factor_list(reference, factors)
    if isinstance(rho, bool) or not isinstance(rho, Real) or not (0 < float(rho) <= 1):
        raise InvalidOptionError(
            f"rho (the distinguishing coefficient) must be a number in (0, 1], got {rho!r}; "
            "0.5 is the usual choice."
        )
    rho = float(rho)
    check_option("normalization", normalization, ("mean", "initial", "minmax"))
    check_option("by", by, ("year", "region", "panel"))
    if normalization == "initial" and by != "region":
        raise InvalidOptionError(
            f"normalization='initial' divides each sequence by its first value; with by={by!r} "
            "the sequence runs over regions, whose order is arbitrary. Use by='region' or "
            "normalization='mean' or 'minmax'."
        )
    columns = [reference, *names]
    panel = panel_arrays(data, columns, region, year, balance=balance)
    values = panel.values  # (T, N, 1 + F)
    t, n, k = values.shape
    axes = {"region": (0,), "year": (1,), "panel": (0, 1)}[by]

    def where(index: tuple[int, int]) -> str:
        row, col = index
        if by == "region":
            return f"in region {panel.regions[col]}"
        if by == "year":
            return f"in year {panel.years[row]}"
        return "over the panel"

    normalized = _normalize(values, axes, normalization, columns, where)
    delta = np.abs(normalized[..., :1] - normalized[..., 1:])  # (T, N, F)
    extent = (*axes, 2)
    smallest = delta.min(axis=extent, keepdims=True)
    largest = delta.max(axis=extent, keepdims=True)
    if (largest == 0).any():
        same = [where((row, col)) for row, col in zip(*np.nonzero(largest[..., 0] == 0))]
        raise DegenerateIndexError(
            f"Every factor equals the reference after normalization {format_items(same)}: the "
            "coefficients are 0/0. Add a factor that differs, or use another normalization or by."
        )
    coefficient = (smallest + rho * largest) / (delta + rho * largest)
    degree = coefficient.mean(axis=axes)  # (T, F), (N, F) or (F,)
    degree = degree.reshape(-1, k - 1)
    labels: pd.Index
    if by == "region":
        labels = pd.Index(panel.regions, name=panel.region_name)
    elif by == "year":
        labels = pd.Index(panel.years, name=panel.year_name)
    else:
        labels = pd.Index(["all"], name="panel")
    f = k - 1
    degrees = pd.DataFrame(
        {
            "degree": degree.reshape(-1),
            "rank": rank_descending(degree, axis=1).reshape(-1),
        },
        index=pd.MultiIndex.from_arrays(
            [
                np.repeat(labels.to_numpy(), f),
                np.tile(np.asarray(names, dtype=object), len(labels)),
            ],
            names=[labels.name, "factor"],
        ),
    )
    mean_degree = degree.mean(axis=0)
    overall = pd.DataFrame(
        {
            "degree": mean_degree,
            "rank": rank_descending(mean_degree[None, :], axis=1)[0],
        },
        index=pd.Index(names, name="factor"),
    )

    def long(arr: np.ndarray) -> np.ndarray:
        """(T, N, F) -> region-major, factor-innermost vector."""
        return np.swapaxes(np.broadcast_to(arr, (t, n, f)), 0, 1).reshape(-1)

    coefficients = pd.DataFrame(
        {
            panel.region_name: np.repeat(panel.regions.to_numpy(), t * f),
            panel.year_name: np.tile(np.repeat(panel.years.to_numpy(), f), n),
            "factor": np.tile(np.asarray(names, dtype=object), n * t),
            "reference": long(normalized[..., :1]),
            "value": long(normalized[..., 1:]),
            "delta": long(delta),
            "coefficient": long(coefficient),
        }
    )
    options = {
        "reference": reference,
        "factors": tuple(names),
        "rho": rho,
        "normalization": normalization,
        "by": by,
        "balance": balance,
        "n_regions": n,
        "n_years": t,
        "region_name": panel.region_name,
        "year_name": panel.year_name,
        "dropped_regions": panel.dropped_regions,
        "version": __version__,
    }
    return GreyRelationalResults(coefficients, degrees, overall, MappingProxyType(options))
