"""Obstacle degree model: which indicators hold a region's coordination back.

From a fitted coupling model, each indicator's share of a region-year's gap to
the ideal is the product of its factor contribution (its weight in the
composite, ``F_j = w_j alpha_s``) and its deviation from the ideal
(``I_ij = 1 - z_ij`` with ``z`` the min-max standardized value without the
shift), normalised over the indicators:

.. math::

    O_{ij} = \\frac{F_j I_{ij}}{\\sum_k F_k I_{ik}} \\times 100\\%, \\qquad
    O_{is} = \\sum_{j \\in s} O_{ij} .

This is the obstacle degree model as used throughout the Chinese
coupling-coordination literature; the bounds, directions, weights and alpha
are those recorded on the :class:`~coupling.CouplingResults`, so the model is
the one that produced ``D``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from spatial._core.messages import format_items
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.viz.figure import new_axes, save_figure, years_on_axis

from ..data import panel_arrays
from ..exceptions import InvalidOptionError, SpecificationError
from ..results import CouplingResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ObstacleResults", "obstacle_degree"]


@dataclass(frozen=True, repr=False)
class ObstacleResults(FrozenTables):
    """Obstacle degrees per region, year and indicator; from :func:`obstacle_degree`.

    Attributes
    ----------
    indicators : DataFrame
        Long table: region, year, ``subsystem``, ``indicator``, ``z``
        (standardized value without shift; NaN for an indicator dropped as
        constant), ``deviation`` (``1 - z``), ``factor`` (``w alpha``),
        ``obstacle`` (per cent, summing to 100 over the indicators of a
        region-year) and ``rank`` (1 = largest obstacle in the region-year).
    subsystems : DataFrame
        Long table: region, year, ``subsystem``, ``obstacle`` (sum over its
        indicators, per cent) and ``rank``.
    options : mapping
        Pooling of the fitted model, alpha, panel size, region-years at the
        ideal (no gap, obstacle NaN), version.

    Notes
    -----
    A region-year at the best observed value of every indicator has no gap
    (``sum F I = 0``); its obstacle degrees are NaN and it has no rank.
    """

    indicators: pd.DataFrame
    subsystems: pd.DataFrame
    options: Mapping[str, Any]

    def top(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` largest obstacles of each region-year (long table, by rank)."""
        if int(n) != n or n < 1:
            raise InvalidOptionError(f"n must be a whole number >= 1, got {n!r}.")
        table = self.indicators
        keys = [self.options["region_name"], self.options["year_name"]]
        chosen = table[table["rank"] <= n]
        return chosen.sort_values([*keys, "rank"], kind="stable").reset_index(drop=True)

    def mean_by_year(self, level: str = "indicator") -> pd.DataFrame:
        """Mean obstacle degree over regions, ``level`` (indicator or subsystem) by year."""
        if level not in ("indicator", "subsystem"):
            raise InvalidOptionError(
                f"level={level!r} is not supported; choose one of 'indicator', 'subsystem'."
            )
        table = self.indicators if level == "indicator" else self.subsystems
        year = self.options["year_name"]
        return table.pivot_table(index=level, columns=year, values="obstacle", aggfunc="mean")

    def summary(self) -> Summary:
        """Mean obstacle degrees by indicator and by subsystem, per year."""
        opts = self.options
        notes = [
            f"{opts['n_regions']} regions x {opts['n_years']} years; pooling={opts['pooling']}, "
            f"alpha={dict(opts['alpha'])}. O_ij = w_j alpha_s (1 - z_ij) / sum_k (...) x 100%.",
        ]
        if opts["at_ideal"]:
            notes.append(f"At the ideal on every indicator (no obstacle): {opts['at_ideal']}.")
        return Summary(
            "Obstacle degrees (per cent, mean over regions)",
            (
                ("By indicator", self.mean_by_year("indicator")),
                ("By subsystem", self.mean_by_year("subsystem")),
            ),
            tuple(notes),
        )

    def plot(self, path: str | PathLike[str] | None = None) -> Figure:
        """Mean obstacle degree of each subsystem over time (stacked, per cent)."""
        wide = self.mean_by_year("subsystem")
        fig, (ax,) = new_axes()
        x = years_on_axis(ax, pd.Index(wide.columns))
        ax.stackplot(x, *wide.to_numpy(), labels=[str(s) for s in wide.index])
        ax.set_ylim(0, 100)
        ax.set_xlabel(str(self.options["year_name"]))
        ax.set_ylabel("mean obstacle degree (%)")
        ax.legend(fontsize="small", loc="lower left")
        return save_figure(fig, path)


def _per_period(table: pd.DataFrame, column: str, periods: int, j: int) -> np.ndarray:
    return table[column].to_numpy().reshape(periods, j)


def obstacle_degree(
    results: CouplingResults,
    data: pd.DataFrame,
    region: Hashable | None = None,
    year: Hashable | None = None,
) -> ObstacleResults:
    """Obstacle degree of every indicator and subsystem, per region and year.

    Parameters
    ----------
    results : CouplingResults
        A fitted coupling model (its indicator bounds, directions, weights,
        alpha and pooling are reused).
    data : DataFrame
        The indicator panel the model was fitted on (region and year as
        columns or a two-level index).
    region, year : hashable, optional
        Key names, as given to ``fit``.

    Returns
    -------
    ObstacleResults

    Raises
    ------
    SpecificationError
        ``results`` is not a CouplingResults; the data's regions or years, or
        its values, are not those the results were fitted on.
    IndicatorNotFoundError, MissingValueError, UnbalancedPanelError
        From the panel checks.

    Notes
    -----
    For a positive indicator :math:`z_{ij} = (x_{ij} - m_j)/(M_j - m_j)`, for a
    negative one :math:`z_{ij} = (M_j - x_{ij})/(M_j - m_j)`, with the bounds
    :math:`m_j, M_j` recorded at fit (per year with ``pooling="by_period"``);
    the deviation is :math:`I_{ij} = 1 - z_{ij}`, the factor contribution
    :math:`F_j = w_j \\alpha_{s(j)}` and the obstacle degree
    :math:`O_{ij} = 100 F_j I_{ij} / \\sum_k F_k I_{ik}`. The subsystem
    obstacle is :math:`O_{is} = \\sum_{j \\in s} O_{ij}`. An indicator dropped
    as constant (``constant="drop"``) has weight 0 and obstacle 0.

    Examples
    --------
    >>> import pandas as pd
    >>> from coupling import CouplingCoordination, IndicatorSystem
    >>> system = IndicatorSystem({"m": {"m1": "+"}, "s": {"s1": "+"}})
    >>> df = pd.DataFrame({"region": list("abab"), "year": [1, 1, 2, 2],
    ...                    "m1": [0.0, 1, 2, 3], "s1": [3.0, 2, 1, 0]})
    >>> res = CouplingCoordination(system).fit(df, "region", "year")
    >>> obstacle_degree(res, df, "region", "year").indicators["obstacle"].round(1).tolist()
    [100.0, 0.0, 33.3, 66.7, 66.7, 33.3, 0.0, 100.0]
    """
    if not isinstance(results, CouplingResults):
        raise SpecificationError(
            f"results must be a fitted CouplingResults, got {type(results).__name__}."
        )
    opts = results.options
    weights = results.indicator_weights
    by_period = opts["pooling"] == "by_period"
    indicators = list(dict.fromkeys(weights.index.get_level_values("indicator")))
    j = len(indicators)
    first = weights.iloc[:j]
    subsystems = first.index.get_level_values("subsystem").to_numpy()
    panel = panel_arrays(data, indicators, region, year, balance=opts.get("balance", "error"))
    scores = results.scores.index
    fitted_regions, fitted_years = scores.levels[0], scores.levels[1]
    if not (panel.regions.equals(fitted_regions) and panel.years.equals(fitted_years)):
        extra = [r for r in panel.regions if r not in fitted_regions]
        absent = [r for r in fitted_regions if r not in panel.regions]
        raise SpecificationError(
            "The data are not the panel the results were fitted on: regions only in the data "
            f"{format_items(extra) or '(none)'}, only in the results "
            f"{format_items(absent) or '(none)'}; years {list(panel.years)} vs "
            f"{list(fitted_years)}."
        )
    x = panel.values  # (T, N, J)
    t, n = x.shape[:2]
    periods = t if by_period else 1
    lo = _per_period(weights, "min", periods, j)[:, None, :]
    hi = _per_period(weights, "max", periods, j)[:, None, :]
    w = _per_period(weights, "w", periods, j)[:, None, :]
    positive = (first["direction"].to_numpy() == "+")[None, None, :]
    alpha = np.array([opts["alpha"][s] for s in subsystems], dtype=np.float64)
    flat = hi == lo
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(positive, x - lo, hi - x) / (hi - lo)
    z = np.where(flat, np.nan, z)
    outside = ~flat & ((z < 0) | (z > 1))
    if outside.any():
        cells = [f"{indicators[c]} at ({panel.regions[b]}, {panel.years[a]})"
                 for a, b, c in zip(*np.nonzero(outside))]  # fmt: skip
        raise SpecificationError(
            "Values lie outside the bounds recorded at fit, so the data are not the panel the "
            f"results were fitted on: {format_items(cells)}."
        )
    deviation = 1.0 - z
    factor = np.broadcast_to(w * alpha, x.shape)
    gap = factor * np.where(flat, 0.0, deviation)
    total = gap.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        obstacle = np.where(total > 0, 100.0 * gap / total, np.nan)
    ideal = total[..., 0] == 0
    names = pd.Index(dict.fromkeys(subsystems))
    sub_codes = names.get_indexer(subsystems)
    by_sub = np.stack([obstacle[..., sub_codes == s].sum(axis=-1) for s in range(len(names))], -1)
    by_sub = np.where(ideal[..., None], np.nan, by_sub)
    region_name, year_name = panel.region_name, panel.year_name

    def long(values: dict[str, np.ndarray], labels: np.ndarray, column: str) -> pd.DataFrame:
        """(T, N, K) arrays -> region-major long table with K rows per region-year."""
        k = labels.size
        frame: dict[Hashable, Any] = {
            region_name: np.repeat(panel.regions.to_numpy(), t * k),
            year_name: np.tile(np.repeat(panel.years.to_numpy(), k), n),
            **({"subsystem": np.tile(subsystems, n * t)} if column == "indicator" else {}),
            column: np.tile(labels, n * t),
        }
        for name, arr in values.items():
            frame[name] = np.swapaxes(arr, 0, 1).reshape(-1)
        out = pd.DataFrame(frame)
        from scipy.stats import rankdata  # scipy.stats loads on first use

        ranks = rankdata(-np.swapaxes(values["obstacle"], 0, 1), axis=-1, method="min")
        out["rank"] = pd.array(
            np.where(np.isnan(ranks), -1, ranks).reshape(-1).astype(np.int64), dtype="Int64"
        )
        out.loc[out["obstacle"].isna(), "rank"] = pd.NA
        return out

    indicator_table = long(
        {"z": z, "deviation": deviation, "factor": factor, "obstacle": obstacle},
        np.asarray(indicators, dtype=object),
        "indicator",
    )
    subsystem_table = long({"obstacle": by_sub}, names.to_numpy(), "subsystem")
    at_ideal = [f"({panel.regions[b]}, {panel.years[a]})" for a, b in zip(*np.nonzero(ideal))]
    options = {
        "pooling": opts["pooling"],
        "alpha": dict(opts["alpha"]),
        "weighting": opts["weighting"],
        "region_name": region_name,
        "year_name": year_name,
        "n_regions": n,
        "n_years": t,
        "at_ideal": tuple(at_ideal),
        "version": __version__,
    }
    return ObstacleResults(indicator_table, subsystem_table, MappingProxyType(options))
