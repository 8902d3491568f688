"""Figures of industrial fusion: a heat map of one table, the path over years.

Both follow the toolkit's figure conventions (:mod:`spatial.viz.figure`): journal style,
English or Chinese labels (``language="zh"`` needs a font with Chinese glyphs), a figure
returned and saved when a path is given. Sector labels on the axes are the short names of
``sectors.csv`` (:func:`coupling.inputoutput.sectors.short_labels`).
"""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from spatial._core.options import Language, check_option
from spatial.viz.figure import GROUP_COLORS, MARKERS, new_axes, save_figure, style

from .sectors import GROUPS, PRODUCER_SERVICE_CATEGORIES, short_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .fusion import FusionResults

__all__ = ["fusion_heatmap", "fusion_path"]

_WORDS = {
    "en": {
        "direct": "direct consumption coefficients",
        "complete": "complete consumption coefficients",
        "title": "{measure}: {source} used by {target}{year}",
        "rows": "supplying sector ({source})",
        "cols": "using sector ({target})",
        "path_y": "coefficient (output-weighted)",
        "arrow": "{source} → {target}",
        "year": "Year",
        "custom": "selected sectors",
    },
    "zh": {
        "direct": "直接消耗系数",
        "complete": "完全消耗系数",
        "title": "{year}{target}对{source}的{measure}",
        "rows": "投入部门（{source}）",
        "cols": "使用部门（{target}）",
        "path_y": "系数（按产出加权）",
        "arrow": "{source} → {target}",
        "year": "年份",
        "custom": "所选部门",
    },
}


def _group_label(group: str, language: str) -> str:
    k = 0 if language == "zh" else 1
    if group in GROUPS:
        return GROUPS[group][k] if language == "zh" else GROUPS[group][k].lower()
    if group in PRODUCER_SERVICE_CATEGORIES:
        return PRODUCER_SERVICE_CATEGORIES[group][k]
    return _WORDS[language]["custom"] if group == "custom" else group


def fusion_heatmap(
    result: FusionResults, path: str | PathLike[str] | None = None, *, language: Language = "en"
) -> Figure:
    """Heat map of the coefficients of a :class:`~coupling.inputoutput.fusion.FusionResults`:
    rows the source sectors, columns the target sectors, each cell annotated when the
    table is small enough to read (at most 12 x 12)."""
    check_option("language", language, ("en", "zh"))
    words = _WORDS[language]
    pairs = result.pairs
    names = result.sectors["name_zh" if language == "zh" else "name_en"]
    rows = short_labels(
        result.classification, list(pairs.index), list(names[pairs.index]), language
    )
    cols = short_labels(
        result.classification, list(pairs.columns), list(names[pairs.columns]), language
    )
    source, target = (_group_label(g, language) for g in result.groups)
    year = (
        ""
        if result.year is None
        else (f"{result.year}年" if language == "zh" else f", {result.year}")
    )
    width = min(14.0, 2.5 + 0.42 * len(cols))
    height = min(12.0, 1.8 + 0.32 * len(rows))
    with style(language):
        fig, (ax,) = new_axes((width, height))
        values = pairs.to_numpy()
        image = ax.imshow(values, cmap="YlOrRd", aspect="auto")
        ax.set_xticks(np.arange(len(cols)), cols, rotation=60, ha="right")
        ax.set_yticks(np.arange(len(rows)), rows)
        ax.set_xlabel(words["cols"].format(target=target))
        ax.set_ylabel(words["rows"].format(source=source))
        ax.set_title(
            words["title"].format(
                measure=words[result.measure], source=source, target=target, year=year
            )
        )
        if values.shape[0] <= 12 and values.shape[1] <= 12:
            top = np.nanmax(values) if values.size else 0.0
            for (i, j), v in np.ndenumerate(values):
                ax.text(
                    j,
                    i,
                    f"{v:.3f}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if v > 0.6 * top else "black",
                )
        fig.colorbar(image, ax=ax, shrink=0.8)
        return save_figure(fig, path)


def fusion_path(
    panel: pd.DataFrame, path: str | PathLike[str] | None = None, *, language: Language = "en"
) -> Figure:
    """Fusion over years: one panel per measure, one line per direction.

    Parameters
    ----------
    panel : DataFrame
        The long output of :func:`coupling.inputoutput.fusion.fusion_panel`.
    """
    check_option("language", language, ("en", "zh"))
    words = _WORDS[language]
    measures = list(dict.fromkeys(panel["measure"]))
    with style(language):
        fig, axes = new_axes((4.6 * len(measures), 3.6), ncols=len(measures))
        for ax, measure in zip(axes, measures):
            part = panel[panel["measure"] == measure]
            for k, ((source, target), line) in enumerate(
                part.groupby(["source", "target"], sort=False)
            ):
                label = words["arrow"].format(
                    source=_group_label(str(source), language),
                    target=_group_label(str(target), language),
                )
                ax.plot(
                    line["year"],
                    line["value"],
                    marker=MARKERS[k % len(MARKERS)],
                    ms=3,
                    color=GROUP_COLORS[k % len(GROUP_COLORS)],
                    label=label,
                )
            ax.set_title(words[measure])
            ax.set_xlabel(words["year"])
            ax.set_ylabel(words["path_y"])
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
            ax.legend(fontsize="small", frameon=False)
        return save_figure(fig, path)
