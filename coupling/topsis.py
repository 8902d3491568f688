"""Entropy-TOPSIS: closeness of each region-year to the ideal point of an indicator system.

TOPSIS (Hwang and Yoon 1981) scores each region-year by its distances to the
best (ideal) and worst (anti-ideal) observed value of every indicator. It runs on
the coupling engine's inputs: the same :class:`~coupling.IndicatorSystem`
(directions ``"+"``/``"-"``), the same min-max standardization
(:func:`coupling.standardize`, which turns a ``"-"`` indicator into "more is
better") and the same weighting functions (entropy, CRITIC, CV, equal or given),
pooled over the whole panel or computed year by year.

The system is scored twice: as a whole (weights over all indicators, summing to
one) and subsystem by subsystem (the coupling engine's weights, summing to one
within each subsystem), which gives a closeness per subsystem: the development
level of each side that many studies then feed into a coupling model.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
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

from .bootstrap import WEIGHTING_METHODS
from .data import IndicatorSystem, PanelArrays, panel_arrays
from .exceptions import (
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    NegativeValueError,
    SpecificationError,
)
from .model import WEIGHT_TOLERANCE, WEIGHTINGS, Pooling, Weighting
from .standardize import Constant, indicator_bounds, standardize
from .weights import equal_weights, membership, normalize_within

__all__ = ["TopsisResults", "topsis"]

Normalization = Literal["minmax", "vector"]
Distance = Literal["euclidean", "weighted_euclidean"]


@dataclass(frozen=True, repr=False)
class TopsisResults(FrozenTables):
    """TOPSIS distances, closeness and ranks; returned by :func:`topsis`.

    Attributes
    ----------
    scores : DataFrame
        Indexed by (region, year): ``closeness``
        ``= d_minus / (d_plus + d_minus)`` in [0, 1], ``d_plus`` (distance to
        the ideal point), ``d_minus`` (to the anti-ideal point) and ``rank``
        within the year (1 = closest to the ideal; ties share the best rank).
    subsystem_scores : DataFrame
        The same four columns for each subsystem scored on its own indicators
        with the within-subsystem weights, indexed by (region, year, subsystem).
    indicator_weights : DataFrame
        Index (``year``,) ``subsystem``, ``indicator``; columns ``direction``,
        ``min`` and ``max`` in scope, ``w`` (weight in the overall score,
        summing to one over all indicators) and ``w_subsystem`` (weight in the
        subsystem score, summing to one within the subsystem).
    ideal : DataFrame
        Same index: the ideal and anti-ideal points on the normalized scale on
        which distances are measured (``ideal``, ``anti_ideal``) and the raw
        values they stand for (``ideal_value``, ``anti_ideal_value``: the
        maximum of a ``"+"`` and the minimum of a ``"-"`` indicator, and the
        reverse).
    options : mapping
        weighting, pooling, normalization, distance, shift, constant, balance,
        how given weights were read (``weights_given``), the panel size,
        dropped regions, key names and the version.
    """

    scores: pd.DataFrame
    subsystem_scores: pd.DataFrame
    indicator_weights: pd.DataFrame
    ideal: pd.DataFrame
    options: Mapping[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One long table: region, year, the overall scores and ``closeness_<subsystem>``."""
        wide = self.subsystem_scores["closeness"].unstack("subsystem")
        wide = wide[list(dict.fromkeys(self.subsystem_scores.index.get_level_values(2)))]
        wide.columns = [f"closeness_{s}" for s in wide.columns]
        return pd.concat([self.scores, wide], axis=1).reset_index()

    def summary(self) -> Summary:
        """Weights, closeness by year, subsystem closeness by year."""
        opts = self.options
        year = opts["year_name"]
        by_year = self.scores.groupby(level=1)["closeness"].agg(["mean", "std", "min", "max"])
        subs = self.subsystem_scores.pivot_table(
            index=year, columns="subsystem", values="closeness", aggfunc="mean", sort=False
        )
        notes = [
            f"{opts['n_regions']} regions x {opts['n_years']} years; "
            f"weighting={opts['weighting']}, pooling={opts['pooling']}, "
            f"normalization={opts['normalization']}, distance={opts['distance']}, "
            f"shift={opts['shift']:g}. closeness = d_minus / (d_plus + d_minus); "
            "rank 1 = closest to the ideal within the year.",
        ]
        if opts["dropped_regions"]:
            notes.append(f"Dropped to balance the panel: {list(opts['dropped_regions'])}.")
        return Summary(
            "TOPSIS",
            (
                ("Indicator weights", self.indicator_weights),
                ("Closeness by year", by_year),
                ("Mean closeness by subsystem and year", subs),
            ),
            tuple(notes),
        )


def _given_weights(
    weighting: Mapping[str, float] | pd.Series, system: IndicatorSystem
) -> tuple[np.ndarray, str]:
    """Overall weights from a mapping or Series; and whether they summed to one overall
    or within each subsystem (then divided by the number of subsystems)."""
    if isinstance(weighting, pd.Series):
        series = weighting
        if isinstance(series.index, pd.MultiIndex):
            if "indicator" not in series.index.names or series.index.nlevels > 2:
                raise SpecificationError(
                    "Given weights as a Series need an index of indicators, or a (subsystem, "
                    f"indicator) index; got levels {list(series.index.names)} (weights of "
                    "pooling='by_period' vary by year and cannot be given)."
                )
            series = series.droplevel([n for n in series.index.names if n != "indicator"])
        if series.index.has_duplicates:
            raise SpecificationError(
                f"Given weights name indicator(s) twice: "
                f"{format_items(sorted(map(str, series.index[series.index.duplicated()])))}."
            )
        weighting = {str(k): float(v) for k, v in series.items()}
    names = system.indicators
    missing = [i for i in names if i not in weighting]
    extra = [i for i in weighting if i not in names]
    if missing or extra:
        raise SpecificationError(
            f"Given weights must name every indicator exactly; missing {missing}, unknown {extra}."
        )
    w = np.array([weighting[i] for i in names], dtype=np.float64)
    if not np.isfinite(w).all() or (w < 0).any():
        raise SpecificationError(f"Given weights must be finite and >= 0, got {w.tolist()}.")
    if abs(w.sum() - 1.0) <= WEIGHT_TOLERANCE:
        return w, "overall"
    sums = np.bincount(system.groups, weights=w)
    if np.all(np.abs(sums - 1.0) <= WEIGHT_TOLERANCE):
        return w / len(sums), "within_subsystems"
    raise SpecificationError(
        f"Given weights must sum to 1 over all indicators (they sum to {w.sum():.12g}) or to 1 "
        "within each subsystem (they sum to "
        + ", ".join(f"{s}: {v:.12g}" for s, v in zip(system.subsystems, sums))
        + ")."
    )


def _check_constant(
    lo: np.ndarray, hi: np.ndarray, system: IndicatorSystem, panel: PanelArrays, constant: str
) -> None:
    """Name constant indicators (per year under by-period pooling) or whole constant subsystems."""
    flat = (hi == lo)[:, 0, :]  # (P, J)
    if not flat.any():
        return
    names = system.indicators
    where = [
        names[col] if flat.shape[0] == 1 else f"{names[col]} in {panel.years[row]}"
        for row, col in zip(*np.nonzero(flat))
    ]
    if constant == "raise":
        raise ConstantIndicatorError(
            f"Constant indicator(s) over the rows in scope: {format_items(where)}. Min-max "
            "standardization and the weights are undefined; remove them or pass "
            "constant='drop' to give them weight 0."
        )
    for s, name in enumerate(system.subsystems):
        if flat[:, system.groups == s].all(axis=1).any():
            raise ConstantIndicatorError(
                f"Every indicator of subsystem {name!r} is constant in some scope; its TOPSIS "
                "score is undefined. Remove the subsystem or give it other indicators."
            )


def _weights(
    weighting: str, fixed: np.ndarray | None, z: np.ndarray, system: IndicatorSystem
) -> tuple[np.ndarray, np.ndarray]:
    """Overall weights (sum 1 over all indicators) and within-subsystem weights, each (P, J)."""
    p, _, j = z.shape
    groups = system.groups
    if fixed is not None:
        overall = np.broadcast_to(fixed, (p, j))
        within = np.broadcast_to(normalize_within(fixed, groups), (p, j))
    elif weighting == "equal":
        overall = np.broadcast_to(equal_weights(j), (p, j))
        within = np.broadcast_to(equal_weights(j, groups), (p, j))
    else:
        method = WEIGHTING_METHODS[weighting]
        overall, within = method(z)[-1], method(z, groups)[-1]
    for label, w in (("all indicators", overall), ("subsystem", within)):
        undefined = ~np.isfinite(w).all(axis=0)
        if undefined.any():
            where = sorted({system.subsystems[g] for g in groups[undefined]})
            raise DegenerateIndexError(
                f"{weighting} weights are undefined over {label} ({where}): the indicators carry "
                "no usable information (all given weights 0, or perfectly correlated indicators "
                "for CRITIC). Choose another weighting or other indicators."
            )
    return overall, within


def _distances(
    r: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    w: np.ndarray,
    member: np.ndarray,
    distance: str,
) -> tuple[np.ndarray, np.ndarray]:
    """``D+`` and ``D-`` of every row, summed within the columns of ``member``: (P, rows, G)."""
    weight = w[:, None, :]
    out = []
    for target in (best, worst):
        gap = r - target
        squared = (weight * gap) ** 2 if distance == "euclidean" else weight * gap**2
        out.append(np.sqrt(squared @ member))
    return out[0], out[1]


def _rank_within_year(closeness: np.ndarray) -> np.ndarray:
    """Ranks (1 = highest closeness, ties share the best) along the region axis of (T, N, G)."""
    return rank_descending(closeness, axis=1)


def _indicator_index(system: IndicatorSystem, panel: PanelArrays, periods: int) -> pd.MultiIndex:
    subsystems = [system.subsystems[g] for g in system.groups]
    arrays: list[Any] = [subsystems * periods, list(system.indicators) * periods]
    names: list[Hashable] = ["subsystem", "indicator"]
    if periods > 1:
        arrays.insert(0, np.repeat(panel.years.to_numpy(), len(subsystems)))
        names.insert(0, panel.year_name)
    return pd.MultiIndex.from_arrays(arrays, names=names)


def topsis(
    data: pd.DataFrame,
    system: IndicatorSystem,
    *,
    region: Hashable | None = "region",
    year: Hashable | None = "year",
    weighting: Weighting | Mapping[str, float] | pd.Series = "entropy",
    pooling: Pooling = "panel",
    normalization: Normalization = "minmax",
    distance: Distance = "euclidean",
    shift: float = 1e-4,
    constant: Constant = "raise",
    balance: Balance = "error",
) -> TopsisResults:
    """Entropy-TOPSIS (or CRITIC-, CV-, equal- or given-weight TOPSIS) of a (region, year) panel.

    Parameters
    ----------
    data : DataFrame
        One row per region-year with the system's indicators as columns.
        Not modified.
    system : IndicatorSystem
        Subsystems, indicators and directions (``"-"``: less is better). One
        subsystem is enough.
    region, year : hashable, default "region", "year"
        Column or index-level names of the keys; ``None`` for both means a
        two-level (region, year) index.
    weighting : {"entropy", "critic", "cv", "equal"}, mapping or Series
        The coupling engine's weighting, computed on the min-max standardized
        values (with ``shift``) whatever the ``normalization``. Given weights
        (``{indicator: weight}``, or a Series such as
        ``CouplingResults.indicator_weights["w"]``) are non-negative and sum
        to one over all indicators, or to one within each subsystem (then
        each subsystem gets an equal share of the overall weight).
    pooling : {"panel", "by_period"}
        Scope of the bounds, weights and ideal points: the whole panel
        (default: closeness comparable over the years) or each year.
    normalization : {"minmax", "vector"}
        ``"minmax"``: the engine's :func:`coupling.standardize` (a ``"-"``
        indicator reversed), ideal 1 and anti-ideal 0 on every indicator.
        ``"vector"``: :math:`r_{ij} = x_{ij} / \\sqrt{\\sum_i x_{ij}^2}` (Hwang
        and Yoon 1981; needs non-negative values), the ideal is the largest
        ``r`` of a ``"+"`` and the smallest of a ``"-"`` indicator.
    distance : {"euclidean", "weighted_euclidean"}
        ``"euclidean"``: Euclidean distance of the weighted normalized values
        :math:`v_{ij} = w_j r_{ij}` (Hwang and Yoon 1981).
        ``"weighted_euclidean"``: :math:`\\sqrt{\\sum_j w_j (r_{ij} - r_j^+)^2}`,
        the form of many entropy-TOPSIS studies.
    shift : float, default 1e-4
        Shift of the standardized values in the weighting (as in the engine);
        it cancels in the min-max distances.
    constant : {"raise", "drop"}
        A constant indicator raises, or (``"drop"``) gets weight 0.
    balance : {"error", "drop"}
        An unbalanced panel raises or loses its incomplete regions (warning).

    Returns
    -------
    TopsisResults
        ``scores`` (overall), ``subsystem_scores``, ``indicator_weights``,
        ``ideal``, ``options``, ``summary()`` and ``to_frame()``.

    Raises
    ------
    SpecificationError
        ``system`` is not an IndicatorSystem; given weights that miss or add
        indicators, are negative or do not sum to one.
    InvalidOptionError
        An option outside its choices or a negative ``shift``.
    ConstantIndicatorError
        A constant indicator (with ``constant="raise"``), or a subsystem
        whose indicators are all constant.
    NegativeValueError
        Negative values with ``normalization="vector"``.
    DegenerateIndexError
        Undefined weights, or a region-year at both the ideal and the
        anti-ideal point (every weighted indicator constant).
    ColumnNotFoundError, MissingValueError, UnbalancedPanelError
        From the panel checks.

    Notes
    -----
    With normalized values :math:`r_{ij}`, weights :math:`w_j`, the ideal
    :math:`r_j^+` and the anti-ideal :math:`r_j^-` over the rows in scope,

    .. math::

        D_i^{\\pm} = \\sqrt{\\sum_j \\big(w_j (r_{ij} - r_j^{\\pm})\\big)^2}, \\qquad
        C_i = \\frac{D_i^-}{D_i^+ + D_i^-} \\in [0, 1],

    (``distance="weighted_euclidean"``: :math:`w_j` instead of :math:`w_j^2`).
    The overall score uses all indicators with weights summing to one over
    them (a data-driven weighting applied to all indicators at once: entropy
    and CV weights are then the within-subsystem weights rescaled, CRITIC
    counts the conflict with every indicator); the subsystem scores use the
    indicators of each subsystem with the engine's within-subsystem weights.
    Closeness does not change when all weights are multiplied by a constant.

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods
    and Applications*. Lecture Notes in Economics and Mathematical Systems 186.
    Berlin: Springer (TOPSIS, pp. 128-140).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("abc"), "year": 2020,
    ...                    "m1": [1.0, 2, 4], "s1": [3.0, 1, 2]})
    >>> system = IndicatorSystem({"manufacturing": {"m1": "+"}, "services": {"s1": "-"}})
    >>> res = topsis(df, system, weighting="equal")
    >>> res.scores["closeness"].round(4).tolist(), res.scores["rank"].tolist()
    ([0.0, 0.6126, 0.691], [3, 2, 1])
    """
    if not isinstance(system, IndicatorSystem):
        raise SpecificationError(f"system must be an IndicatorSystem, got {type(system).__name__}.")
    fixed: np.ndarray | None = None
    weights_given = None
    if isinstance(weighting, (Mapping, pd.Series)):
        fixed, weights_given = _given_weights(weighting, system)
        method = "user"
    else:
        method = check_option("weighting", weighting, WEIGHTINGS)
    check_option("pooling", pooling, ("panel", "by_period"))
    check_option("normalization", normalization, ("minmax", "vector"))
    check_option("distance", distance, ("euclidean", "weighted_euclidean"))
    check_option("constant", constant, ("raise", "drop"))
    if not (np.isfinite(shift) and shift >= 0):
        raise InvalidOptionError(f"shift must be a finite number >= 0, got {shift!r}.")
    panel = panel_arrays(data, system.indicators, region, year, balance=balance)
    t, n, j = panel.values.shape
    x = panel.values.reshape(1, t * n, j) if pooling == "panel" else panel.values
    lo, hi = indicator_bounds(x)
    _check_constant(lo, hi, system, panel, constant)
    directions = system.directions
    z = standardize(x, directions, shift=shift, bounds=(lo, hi), constant=constant)
    overall, within = _weights(method, fixed, z, system)
    if normalization == "minmax":
        r = standardize(x, directions, shift=0.0, bounds=(lo, hi), constant=constant)
        benefit = np.ones(j, dtype=bool)
    else:
        negative_panel = panel.values < 0
        if negative_panel.any():
            cells = [
                f"{system.indicators[c]} at {format_items(panel.where(negative_panel[..., c]))}"
                for c in np.flatnonzero(negative_panel.any(axis=(0, 1)))
            ]
            raise NegativeValueError(
                f"normalization='vector' needs non-negative values; negative values in "
                f"{format_items(cells)}. Use normalization='minmax'."
            )
        norm = np.sqrt((x**2).sum(axis=-2, keepdims=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(norm > 0, x / norm, 0.0)
        benefit = directions > 0
    top, bottom = r.max(axis=-2, keepdims=True), r.min(axis=-2, keepdims=True)
    best, worst = np.where(benefit, top, bottom), np.where(benefit, bottom, top)
    member = membership(system.groups, j)
    d_plus, d_minus = (
        np.concatenate(pair, axis=-1)
        for pair in zip(
            _distances(r, best, worst, overall, np.ones((j, 1)), distance),
            _distances(r, best, worst, within, member, distance),
        )
    )  # (P, rows, 1 + S): overall, then each subsystem
    total = d_plus + d_minus
    if (total == 0).any():
        at = (total == 0).reshape(t, n, -1).any(axis=-1)
        raise DegenerateIndexError(
            f"Region-year(s) {format_items(panel.where(at))} are at the ideal and the anti-ideal "
            "point at once (every weighted indicator is constant); closeness is undefined."
        )
    closeness = d_minus / total
    stacked = [a.reshape(t, n, -1) for a in (closeness, d_plus, d_minus)]
    ranks = _rank_within_year(stacked[0])
    columns = {
        name: np.swapaxes(a, 0, 1).reshape(n * t, -1)
        for name, a in zip(("closeness", "d_plus", "d_minus", "rank"), (*stacked, ranks))
    }
    index = panel.index()
    scores = pd.DataFrame({name: a[:, 0] for name, a in columns.items()}, index=index)
    s_count = len(system.subsystems)
    sub_index = pd.MultiIndex.from_arrays(
        [
            np.repeat(index.get_level_values(0), s_count),
            np.repeat(index.get_level_values(1), s_count),
            np.tile(np.asarray(system.subsystems, dtype=object), n * t),
        ],
        names=[panel.region_name, panel.year_name, "subsystem"],
    )
    subsystem_scores = pd.DataFrame(
        {name: a[:, 1:].reshape(-1) for name, a in columns.items()}, index=sub_index
    )
    periods = lo.shape[0]
    ind_index = _indicator_index(system, panel, periods)
    signs = np.tile(directions > 0, periods)
    low, high = lo.reshape(-1), hi.reshape(-1)
    weights_table = pd.DataFrame(
        {
            "direction": np.where(signs, "+", "-"),
            "min": low,
            "max": high,
            "w": np.ravel(overall),
            "w_subsystem": np.ravel(within),
        },
        index=ind_index,
    )
    ideal = pd.DataFrame(
        {
            "ideal": np.broadcast_to(best, lo.shape).reshape(-1),
            "anti_ideal": np.broadcast_to(worst, lo.shape).reshape(-1),
            "ideal_value": np.where(signs, high, low),
            "anti_ideal_value": np.where(signs, low, high),
        },
        index=ind_index,
    )
    options = {
        "weighting": method,
        "weights_given": weights_given,
        "pooling": pooling,
        "normalization": normalization,
        "distance": distance,
        "shift": float(shift),
        "constant": constant,
        "balance": balance,
        "n_regions": n,
        "n_years": t,
        "region_name": panel.region_name,
        "year_name": panel.year_name,
        "dropped_regions": panel.dropped_regions,
        "merged_spellings": panel.merged_spellings,
        "version": __version__,
    }
    return TopsisResults(scores, subsystem_scores, weights_table, ideal, MappingProxyType(options))
