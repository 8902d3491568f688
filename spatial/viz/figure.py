"""The figure conventions of the toolkit: journal style, labels in two languages, saving.

Every figure is a :class:`matplotlib.figure.Figure` on an Agg canvas (no
``pyplot`` state, so it runs headless). :func:`style` applies journal-like
settings and, for ``language="zh"``, a font with Chinese glyphs
(:func:`~spatial.viz.fonts.find_cjk_font`); :func:`label` holds the English and
Chinese wording shared by the maps and charts; :func:`save_figure` writes a
figure when a path is given (folders are created, the format follows the
suffix). matplotlib is imported only when a figure is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._core.options import check_option
from ..exceptions import FontNotFoundError
from .fonts import find_cjk_font, quiet_font_messages

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "GROUP_COLORS",
    "LABELS",
    "LANGUAGES",
    "MARKERS",
    "new_axes",
    "new_figure",
    "save_figure",
    "style",
    "wording",
    "year_axis",
    "year_line_axes",
    "years_on_axis",
]

LANGUAGES: tuple[str, ...] = ("en", "zh")
GROUP_COLORS = ("#1b6ca8", "#d95f02", "#1a9850", "#7b3294", "#a6761d", "#e7298a", "#66a61e")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "no_data": "No data",
        "year": "Year",
        "year_title": "{year}",
        "national": "National mean",
        "scs": "South China Sea\nIslands",
        "not significant": "not significant",
        "moran_i": "Moran's I",
        "expected": "E[I]",
        "significant": "p_sim ≤ {level:g}",
        "not_significant": "p_sim > {level:g}",
        "standardized": "Standardized {label}",
        "lag": "Spatial lag of standardized {label}",
        "scatter_title": "Moran's I = {value:.3f}",
        "lisa": "LISA cluster",
        "km": "{km:g} km",
    },
    "zh": {
        "no_data": "无数据",
        "year": "年份",
        "year_title": "{year}年",
        "national": "全国均值",
        "scs": "南海诸岛",
        "not significant": "不显著",
        "moran_i": "全局 Moran's I",
        "expected": "期望值 E[I]",
        "significant": "p_sim ≤ {level:g}",
        "not_significant": "p_sim > {level:g}",
        "standardized": "{label}（标准化值）",
        "lag": "{label}的空间滞后（标准化值）",
        "scatter_title": "Moran's I = {value:.3f}",
        "lisa": "LISA 集聚类型",
        "km": "{km:g} 千米",
    },
}

BASE_RC: dict[str, Any] = {
    "font.size": 8.0,
    "axes.titlesize": 9.0,
    "axes.labelsize": 8.0,
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 8.0,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "lines.linewidth": 1.3,
    "figure.dpi": 100.0,
}


@contextmanager
def style(language: str) -> Iterator[None]:
    """Journal-like matplotlib settings for the figures built inside the block.

    Font families are stored on the text objects when they are created, so a
    figure built here keeps its (Chinese) font when saved later.
    """
    quiet_font_messages()
    import matplotlib as mpl

    check_option("language", language, LANGUAGES)
    rc: dict[str, Any] = dict(BASE_RC)
    font = find_cjk_font()
    if language == "zh":
        if font is None:
            raise FontNotFoundError(
                "language='zh' needs a font with Chinese glyphs, and none is installed. "
                "Install one (Debian/Ubuntu: `sudo apt-get install fonts-noto-cjk`; Fedora: "
                "google-noto-sans-cjk-fonts; Windows and macOS ship SimHei, Microsoft YaHei "
                "or PingFang SC), then call spatial.viz.find_cjk_font.cache_clear() in a "
                "running session, or pass language='en'."
            )
        rc["font.family"] = [font, "DejaVu Sans"]
        rc["axes.unicode_minus"] = False
    elif font is not None:  # Chinese names in an English figure: glyphs from the CJK font
        rc["font.family"] = ["DejaVu Sans", font]
    with mpl.rc_context(rc):  # type: ignore[arg-type]
        yield


def wording(language: str, key: str, **values: Any) -> str:
    """The wording ``key`` of :data:`LABELS` in ``language``, formatted with ``values``."""
    return LABELS[language][key].format(**values)


def new_figure(figsize: tuple[float, float] = (7.0, 4.5)) -> Figure:
    """An empty figure with constrained layout on an Agg canvas (no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def new_axes(
    figsize: tuple[float, float] = (7.0, 4.5), *, ncols: int = 1
) -> tuple[Figure, list[Any]]:
    """A figure with ``ncols`` axes side by side (see :func:`new_figure`)."""
    fig = new_figure(figsize)
    return fig, list(fig.subplots(1, ncols, squeeze=False)[0])


def save_figure(
    fig: Figure, path: str | PathLike[str] | None = None, *, dpi: float = 150
) -> Figure:
    """Write ``fig`` to ``path`` when one is given (folders created, format from the suffix,
    white background, tight bounding box); return the figure."""
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(target, dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.05)
    return fig


def year_line_axes(ax: Axes, language: str, ylabel: str) -> None:
    """Axes of a line chart over years: integer year ticks, y label, light grid, no box."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(wording(language, "year"))
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    ax.set_axisbelow(True)


def year_axis(years: pd.Index) -> tuple[np.ndarray, list[str] | None]:
    """x positions for years: the labels when numeric, else 0..T-1 with tick labels."""
    if pd.api.types.is_numeric_dtype(years):
        return years.to_numpy(dtype=np.float64), None
    return np.arange(len(years), dtype=np.float64), [str(y) for y in years]


def years_on_axis(ax: Axes, years: pd.Index) -> np.ndarray:
    """Put ``years`` on the x axis of ``ax`` (whole-number ticks, or the labels); return x."""
    from matplotlib.ticker import MaxNLocator

    x, labels = year_axis(years)
    if labels is not None:
        ax.set_xticks(x, labels)
    elif pd.api.types.is_integer_dtype(years):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return x
