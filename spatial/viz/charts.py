"""Charts of a regional panel: group trends, Moran's I by year and the Moran scatter plot.

Built like the maps (see :mod:`spatial.viz.figure`): a returned
:class:`matplotlib.figure.Figure`, written to ``path`` when one is given, with
English or Chinese labels.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.options import Language
from .._core.panel import panel_arrays, require_columns
from .._core.summary import stars
from ..exceptions import PanelStructureError, SpecificationError
from ..exploratory.autocorrelation import LISA_LABELS, LISA_LABELS_ZH, MoranResults, aligned_values
from ..geography import (
    NBS_REGION_OF,
    NBS_REGIONS,
    NBS_REGIONS_ZH,
    ProvinceNameError,
    resolve_provinces,
)
from ..weights import SpatialWeights
from .figure import GROUP_COLORS, MARKERS, new_figure, save_figure, style, wording, year_line_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["group_trend", "moran_plot", "moran_scatter"]


def _group_of_regions(
    regions: pd.Index,
    table: pd.DataFrame,
    region: Hashable,
    groups: Mapping[Any, Hashable] | Hashable | None,
    provinces: bool,
) -> tuple[list[str], list[str | None]]:
    """Group names in order of first appearance and the group of each region (None: none).

    ``groups`` is ``{region: group}`` (region labels in any spelling when the
    regions are provinces), the name of a column of ``table``, or None for the
    NBS regions.
    """
    if groups is None:
        if not provinces:
            raise SpecificationError(
                "The default groups (the NBS regions) need province names or codes; pass "
                "groups={region: group} or the name of a group column."
            )
        return list(NBS_REGIONS), [NBS_REGION_OF.get(str(r)) for r in regions]
    if isinstance(groups, Mapping):
        keys = list(groups)
        resolved = resolve_provinces(keys) if provinces else keys
        member = {k: str(groups[raw]) for raw, k in zip(keys, resolved)}
        absent = [raw for raw, k in zip(keys, resolved) if k not in set(regions)]
        if absent:
            raise SpecificationError(
                f"groups names region(s) the table does not have: {absent[:5]}."
            )
    else:
        require_columns(table, [groups])
        keys = resolve_provinces(table[region]) if provinces else list(table[region])
        column = table[groups].astype(object).where(table[groups].notna(), None)
        member = {}
        for key, group in zip(keys, column):
            if group is not None:
                member.setdefault(key, str(group))
    order = list(dict.fromkeys(member.values()))
    return order, [member.get(r) for r in regions]


def group_trend(
    table: pd.DataFrame,
    value: Hashable,
    *,
    region: Hashable = "province",
    year: Hashable = "year",
    groups: Mapping[Any, Hashable] | Hashable | None = None,
    language: Language = "en",
    title: str | None = None,
    label: str | None = None,
    national: bool = True,
    path: str | Path | None = None,
    dpi: float = 150,
) -> Figure:
    """Line chart of a variable's mean by region group over time, plus the national mean.

    Parameters
    ----------
    table : DataFrame
        Long panel with a region column, a year column and ``value``.
    value : str
        Column to average.
    region, year : str
        Region and year columns; province names in any spelling of
        :func:`spatial.geography.resolve_provinces` count as one region.
    groups : mapping or str, optional
        ``{region: group}`` (as everywhere in the toolkit; e.g.
        ``spatial.geography.NBS_REGION_OF``), or the name of a column of
        ``table`` holding each region's group. Default: the four NBS regions
        (East, Central, West, Northeast; 东部, 中部, 西部, 东北).
    language : {"en", "zh"}
        Labels in English or Chinese.
    title : str, optional
        Axes title.
    label : str, optional
        y-axis label (default ``value``).
    national : bool, default True
        Add the mean over all regions of the table ("National mean", 全国均值),
        an unweighted mean of regions, not the national aggregate.
    path : str or Path, optional
        Write the figure there.
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Warns
    -----
    UserWarning
        When missing values are left out of the means (the composition of a
        group then changes over time).

    Notes
    -----
    The mean of group ``g`` in year ``t`` is :math:`\\bar y_{gt} = \\frac{1}{n_{gt}}
    \\sum_{i \\in g} y_{it}` over the regions with a value in that year.
    """
    with style(language):
        require_columns(table, [region, year, value])
        try:
            keys: list[Hashable] = list(resolve_provinces(table[region]))
            provinces = True
        except ProvinceNameError:
            if groups is None:
                raise
            keys, provinces = list(table[region]), False
        frame = pd.DataFrame({"key": keys, "year": table[year].to_numpy(),
                              "value": table[value].to_numpy()})  # fmt: skip
        panel = panel_arrays(frame, ["value"], "key", "year", allow_missing=True)
        values = panel.values[:, :, 0]
        order, member = _group_of_regions(panel.regions, table, region, groups, provinces)
        present = np.isfinite(values)
        if not present.any():
            raise PanelStructureError(f"{value!r} has no values to average.")
        gaps = int((~present).sum())
        if gaps:
            warnings.warn(
                f"{gaps} missing region-year value(s) of {value!r} are left out of the means.",
                UserWarning,
                stacklevel=2,
            )
        x = panel.years.to_numpy()
        fig = new_figure((5.6, 3.5))
        ax = fig.subplots()
        for i, name in enumerate(order):
            columns = [j for j, g in enumerate(member) if g == name]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a year with no value: NaN
                means = np.nanmean(values[:, columns], axis=1)
            shown = NBS_REGIONS_ZH.get(name, name) if language == "zh" else name
            ax.plot(x, means, color=GROUP_COLORS[i % len(GROUP_COLORS)],
                    marker=MARKERS[i % len(MARKERS)], markersize=4, label=shown)  # fmt: skip
        if national:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                overall = np.nanmean(values, axis=1)
            ax.plot(x, overall, color="black", linestyle="--", linewidth=1.8,
                    label=wording(language, "national"))  # fmt: skip
        year_line_axes(ax, language, label if label is not None else str(value))
        ax.legend(frameon=False, loc="best")
        if title:
            ax.set_title(title)
        save_figure(fig, path, dpi=dpi)
    return fig


def moran_plot(
    results: MoranResults,
    path: str | Path | None = None,
    *,
    language: Language = "en",
    significance: float = 0.05,
    dpi: float = 150,
) -> Figure:
    """Moran's I by year: filled markers where ``p_sim <= significance``, stars above.

    Stars as in every table of the toolkit: ``***`` p < 0.01, ``**`` p < 0.05,
    ``*`` p < 0.1 (of ``p_sim``). The dashed line is E[I] = -1/(n-1).
    """
    from matplotlib.lines import Line2D

    if not isinstance(results, MoranResults):
        raise SpecificationError(
            f"moran_plot draws the result of moran_by_year, got {type(results).__name__}."
        )
    with style(language):
        table = results.table
        years = np.asarray(table.index)
        moran = table["I"].to_numpy()
        pvalues = table["p_sim_I"].to_numpy()
        fig = new_figure((5.0, 3.3))
        ax = fig.subplots()
        ax.plot(years, moran, color="#1b6ca8", zorder=2)
        strong = pvalues <= significance
        for mask, face in ((strong, "#1b6ca8"), (~strong, "white")):
            ax.scatter(years[mask], moran[mask], s=28, facecolor=face, edgecolor="#1b6ca8",
                       linewidth=1.2, zorder=3)  # fmt: skip
        for x, y, p in zip(years, moran, pvalues):
            ax.annotate(stars(p), (x, y), xytext=(0, 5), textcoords="offset points",
                        ha="center", fontsize=8)  # fmt: skip
        ax.axhline(float(table["E_I"].iloc[0]), color="grey", linestyle="--", lw=0.8)
        year_line_axes(ax, language, wording(language, "moran_i"))
        handles = [
            Line2D([], [], marker="o", color="#1b6ca8", markerfacecolor="#1b6ca8",
                   label=wording(language, "significant", level=significance)),
            Line2D([], [], marker="o", color="#1b6ca8", markerfacecolor="white",
                   label=wording(language, "not_significant", level=significance)),
            Line2D([], [], color="grey", linestyle="--", lw=0.8,
                   label=wording(language, "expected")),
        ]  # fmt: skip
        ax.legend(handles=handles, frameon=False, loc="best")
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.08 * (high - low))
        save_figure(fig, path, dpi=dpi)
    return fig


def moran_scatter(
    values: pd.Series,
    w: SpatialWeights,
    *,
    ax: Axes | None = None,
    language: Language = "en",
    label: str | None = None,
    title: str | None = None,
    path: str | Path | None = None,
    dpi: float = 150,
) -> Figure:
    """Moran scatter plot: standardized values against their spatial lag.

    Parameters
    ----------
    values : Series
        One value per id of ``w`` (index = the ids; matched by label).
    w : SpatialWeights
        The weights; the plot uses their row-standardized form.
    ax : Axes, optional
        Draw into this axes (default: a new figure).
    language : {"en", "zh"}
        Labels in English or Chinese.
    label : str, optional
        Name of the variable on the axes (default the Series name).
    title : str, optional
        Default ``"Moran's I = ..."``.
    path : str or Path, optional
        Write the figure there.
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    With :math:`z = (y - \\bar y)/s` (population sd) and row-standardized
    :math:`W`, the least-squares slope of :math:`Wz` on :math:`z` through the
    origin is Moran's I, :math:`I = z'Wz / z'z`; the dotted lines at zero divide
    the HH, LH, LL and HL quadrants.

    References
    ----------
    Anselin, L. (1996). The Moran scatterplot as an ESDA tool to assess local
    instability in spatial association. In Fischer, Scholten and Unwin (eds.),
    *Spatial Analytical Perspectives on GIS*, 111-125. Taylor & Francis.
    """
    if not isinstance(values, pd.Series):
        raise SpecificationError(
            f"values must be a pandas Series indexed by the ids of w, got "
            f"{type(values).__name__}; for values in W's order use pd.Series(values, "
            "index=w.ids)."
        )
    y = aligned_values(values, w)
    z = (y - y.mean()) / y.std()
    lag = np.asarray(w.standardize("row").matrix @ z)
    moran = float(z @ lag / (z @ z))
    with style(language):
        if ax is None:
            fig = new_figure((4.2, 4.0))
            ax = fig.subplots()
        else:
            fig = ax.get_figure(root=True)  # type: ignore[assignment]
        ax.scatter(z, lag, s=18, facecolor="#1b6ca8", edgecolor="white", linewidth=0.4,
                   alpha=0.9, zorder=3)  # fmt: skip
        x_span = float(np.abs(z).max()) * 1.15
        y_span = max(float(np.abs(lag).max()), abs(moran) * x_span) * 1.15
        grid = np.array([-x_span, x_span])
        ax.plot(grid, moran * grid, color="#d7191c", lw=1.2, zorder=2)
        ax.axhline(0, color="grey", lw=0.7, linestyle=":")
        ax.axvline(0, color="grey", lw=0.7, linestyle=":")
        ax.set_xlim(-x_span, x_span)
        ax.set_ylim(-y_span, y_span)
        corners = {
            "HH": (0.97, 0.97, "right", "top"),
            "LH": (0.03, 0.97, "left", "top"),
            "LL": (0.03, 0.03, "left", "bottom"),
            "HL": (0.97, 0.03, "right", "bottom"),
        }
        names = dict(zip(LISA_LABELS, LISA_LABELS if language == "en" else LISA_LABELS_ZH))
        for quadrant, (x_pos, y_pos, ha, va) in corners.items():
            ax.text(x_pos, y_pos, names[quadrant], transform=ax.transAxes, ha=ha, va=va,
                    color="#555555", fontsize=9,
                    weight="bold" if language == "en" else "normal")  # fmt: skip
        name = label if label is not None else str(values.name or "value")
        ax.set_xlabel(wording(language, "standardized", label=name))
        ax.set_ylabel(wording(language, "lag", label=name))
        ax.set_title(title if title is not None else wording(language, "scatter_title",
                                                             value=moran))  # fmt: skip
        ax.spines[["top", "right"]].set_visible(False)
        save_figure(fig, path, dpi=dpi)
    return fig
