"""Figures of a provincial panel: choropleth maps, LISA cluster maps and group trends.

Every function builds a :class:`matplotlib.figure.Figure` on an Agg canvas (no
``pyplot`` state, so it runs headless), returns it, and writes it to ``path``
when one is given (parent folders are created; the format follows the suffix,
PNG at 150 dpi by default). Labels are English (``language="en"``) or Chinese
(``language="zh"``); Chinese needs a font with Chinese glyphs, found by
:func:`find_cjk_font`.

Maps of China use an Albers equal-area projection (standard parallels 25 N and
47 N, central meridian 105 E), draw Taiwan, Hong Kong and Macao in grey as "no
data" when the panel does not cover them, and show the South China Sea
islands in an inset, as maps of China in journals do.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from spatial._core.common import check_option, format_items, suggest

from ..exceptions import FontNotFoundError, PanelStructureError, SpecificationError
from ..geography import (
    NBS_REGIONS,
    NBS_REGIONS_ZH,
    ProvinceNameError,
    load_china_provinces,
    resolve_provinces,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from coupling.classify import Bands

    from ..exploratory import LocalMoranResults

__all__ = ["choropleth", "find_cjk_font", "group_trend", "lisa_map"]

Language = Literal["en", "zh"]
Scheme = Literal[
    "quantiles",
    "natural_breaks",
    "equal_interval",
    "max_breaks",
    "head_tail_breaks",
    "pretty",
]
LANGUAGES: tuple[str, ...] = ("en", "zh")
#: Classification schemes and the mapclassify classifier behind each. "natural_breaks"
#: is the exact Fisher-Jenks optimum (deterministic), not mapclassify's sampled k-means.
SCHEMES: dict[str, str] = {
    "quantiles": "Quantiles",
    "natural_breaks": "FisherJenks",
    "equal_interval": "EqualInterval",
    "max_breaks": "MaximumBreaks",
    "head_tail_breaks": "HeadTailBreaks",
    "pretty": "PrettyBreaks",
}
#: Fonts with Chinese glyphs, most wanted first (simplified-Chinese variants first).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "SimSun",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Droid Sans Fallback",
)
_CJK_NAME_HINTS = ("cjk", "source han", "wenquanyi", "yahei", "simhei", "simsun", "pingfang",
                   "heiti", "ar pl u", "droid sans fallback", "noto sans sc", "noto serif sc",
                   "sarasa")  # fmt: skip
_CJK_FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehan", "wqy", "wenquanyi", "simhei",
                   "simsun", "msyh", "pingfang", "uming", "ukai", "droidsansfallback",
                   "notosanssc", "notoserifsc")  # fmt: skip

#: Albers equal-area projection for maps of China.
ALBERS_CHINA = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
_MAINLAND = (72.0, 17.5, 136.0, 54.0)  # lon/lat window of the main map
_SOUTH_CHINA_SEA = (106.5, 2.5, 123.5, 24.5)  # lon/lat window of the inset
NO_DATA_COLOR = "#d9d9d9"
EDGE_COLOR = "#4d4d4d"
#: LISA cluster colours (GeoDa's convention) and the no-data face of LISA maps.
LISA_COLORS: dict[str, str] = {
    "HH": "#d7191c",
    "LH": "#9ecae1",
    "LL": "#2166ac",
    "HL": "#f4a6b7",
    "not significant": "#ececec",
}
_GROUP_COLORS = ("#1b6ca8", "#d95f02", "#1a9850", "#7b3294", "#a6761d", "#e7298a", "#66a61e")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")

_TEXT: dict[str, dict[str, str]] = {
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
_LISA_ZH = {"HH": "高-高", "LH": "低-高", "LL": "低-低", "HL": "高-低"}

_BASE_RC: dict[str, Any] = {
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


# --------------------------------------------------------------------- fonts and style
def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _covers_chinese(path: str, sample: str = "中国人") -> bool:
    """True if the font maps each character of ``sample`` to its own glyph.

    Distinct glyphs rule out fallback fonts such as "Last Resort", which map a
    whole Unicode block to one placeholder glyph.
    """
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - fontTools ships with matplotlib
        return False
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # unreadable or exotic font files are simply skipped
        return False
    glyphs = [cmap.get(ord(ch)) for ch in sample]
    return None not in glyphs and ".notdef" not in glyphs and len(set(glyphs)) == len(glyphs)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or ``None``.

    Looks, in order, for the well-known families of :data:`CJK_FONTS` among
    the fonts matplotlib knows; for any family whose name marks it as CJK; for
    system font files with such a name that matplotlib has not indexed yet
    (they are registered with matplotlib's font manager); and finally for any
    known font whose character map covers "中国" (read with fontTools).

    Returns
    -------
    str or None
        A family name usable as ``font.family``; ``None`` when no font with
        Chinese glyphs is installed.

    Notes
    -----
    The answer is cached; after installing a font in a running session call
    ``find_cjk_font.cache_clear()``.

    Examples
    --------
    >>> font = find_cjk_font()
    >>> font is None or isinstance(font, str)
    True
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    entries = list(font_manager.fontManager.ttflist)
    names = {entry.name for entry in entries}
    for family in CJK_FONTS:
        if family in names:
            return family
    for name in sorted(names):
        if any(hint in name.lower() for hint in _CJK_NAME_HINTS):
            return name
    for path in sorted(font_manager.findSystemFonts()):
        if any(hint in _compact(Path(path).name) for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    bundled = Path(mpl.get_data_path()).resolve()  # DejaVu, STIX, Computer Modern, Last Resort
    checked: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.fname in checked or bundled in Path(entry.fname).resolve().parents:
            continue
        checked.add(entry.fname)
        if "last resort" not in entry.name.lower() and _covers_chinese(entry.fname):
            return entry.name
    return None


@contextmanager
def _style(language: str) -> Iterator[None]:
    """Journal-like matplotlib settings for the figures built inside the block.

    Font families are stored on the text objects when they are created, so a
    figure built here keeps its (Chinese) font when saved later.
    """
    import matplotlib as mpl

    check_option("language", language, LANGUAGES, SpecificationError)
    rc: dict[str, Any] = dict(_BASE_RC)
    if language == "zh":
        font = find_cjk_font()
        if font is None:
            raise FontNotFoundError(
                "language='zh' needs a font with Chinese glyphs, and none is installed. "
                "Install one (Debian/Ubuntu: `sudo apt-get install fonts-noto-cjk`; Fedora: "
                "google-noto-sans-cjk-fonts; Windows and macOS ship SimHei, Microsoft YaHei "
                "or PingFang SC), then call spatial.viz.maps.find_cjk_font.cache_clear() in a "
                "running session, or pass language='en'."
            )
        rc["font.family"] = [font, "DejaVu Sans"]
        rc["axes.unicode_minus"] = False
    with mpl.rc_context(rc):  # type: ignore[arg-type]
        yield


def _text(language: str, key: str, **values: Any) -> str:
    return _TEXT[language][key].format(**values)


def _new_figure(figsize: tuple[float, float]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: str | Path | None, dpi: float) -> None:
    if path is None:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.05)


# ------------------------------------------------------------------------ data helpers
def _require_columns(table: pd.DataFrame, columns: Sequence[Hashable]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SpecificationError(f"Expected a pandas DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        hints = "".join(suggest(str(c), [str(k) for k in table.columns]) for c in missing)
        shown = format_items([repr(c) for c in missing])
        raise SpecificationError(
            f"Column(s) {shown} are not in the table; its columns are "
            f"{format_items(list(table.columns), 12)}.{hints}"
        )


def _numeric(series: pd.Series, name: Hashable) -> pd.Series:
    try:
        return pd.to_numeric(series, errors="raise").astype("float64")
    except (TypeError, ValueError) as err:
        raise SpecificationError(f"Column {name!r} must hold numbers: {err}") from err


def _region_keys(
    labels: pd.Series, geography: gpd.GeoDataFrame | None, region: Hashable
) -> list[Hashable]:
    """Map the table's region labels to the index of the geography."""
    if geography is None:
        return list(resolve_provinces(labels))
    known = set(geography.index)
    unknown = sorted({str(v) for v in labels if v not in known})
    if unknown:
        hints = "".join(suggest(u, [str(k) for k in known]) for u in unknown[:3])
        raise SpecificationError(
            f"{len(unknown)} value(s) of {region!r} are not in the geography's index: "
            f"{format_items(unknown)}.{hints}"
        )
    return list(labels)


def _long_table(
    table: pd.DataFrame,
    value: Hashable,
    region: Hashable,
    year: Hashable,
    geography: gpd.GeoDataFrame | None,
) -> pd.DataFrame:
    """Columns ``key`` (geography id), ``year`` and ``value``; one row per (key, year)."""
    _require_columns(table, [region, year, value])
    frame = pd.DataFrame(
        {
            "key": _region_keys(table[region], geography, region),
            "year": table[year].to_numpy(),
            "value": _numeric(table[value], value).to_numpy(),
            "label": table[region].astype(str).to_numpy(),
        }
    )
    dup = frame.duplicated(["key", "year"], keep=False)
    if dup.any():
        pairs = [f"{r.label} {r.year}" for r in frame[dup].itertuples()]
        raise PanelStructureError(
            f"{int(dup.sum())} rows repeat a (region, year) pair (spellings of one province "
            f"count as the same region): {format_items(pairs)}."
        )
    return frame


def _select_years(frame: pd.DataFrame, years: Any) -> list[Any]:
    available = sorted(pd.unique(frame["year"]).tolist())
    if years is None:
        return available
    wanted = [years] if np.isscalar(years) else list(years)
    missing = [y for y in wanted if y not in set(available)]
    if missing or not wanted:
        raise SpecificationError(
            f"Year(s) {format_items(missing) or '(none)'} are not in the table; it has "
            f"{format_items(available, 10)}."
        )
    return wanted


# ----------------------------------------------------------------------------- maps
def _china_geography(include_other: bool) -> gpd.GeoDataFrame:
    return load_china_provinces(include_other=include_other).to_crs(ALBERS_CHINA)


def _projected_window(window: tuple[float, float, float, float], crs: str) -> np.ndarray:
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoSeries([box(*window).segmentize(0.5)], crs="EPSG:4326").to_crs(crs)
    return np.asarray(frame.total_bounds)


def _mainland_extent(geo: gpd.GeoDataFrame) -> np.ndarray:
    import geopandas as gpd

    lonlat = gpd.GeoSeries(geo.geometry.to_crs("EPSG:4326").clip_by_rect(*_MAINLAND))
    xmin, ymin, xmax, ymax = lonlat.set_crs("EPSG:4326").to_crs(geo.crs).total_bounds
    pad_x, pad_y = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)
    # room on the right, in the Pacific, for the South China Sea inset
    return np.array([xmin - pad_x, ymin - pad_y, xmax + 6 * pad_x, ymax + pad_y])


def _draw_units(
    ax: Axes,
    geo: gpd.GeoDataFrame,
    colors: Sequence[str | None],
    no_data: Mapping[str, Any],
    linewidth: float,
) -> None:
    has = np.array([c is not None for c in colors], dtype=bool)
    if has.any():
        geo.loc[has].plot(
            ax=ax,
            facecolor=[c for c in colors if c is not None],
            edgecolor=EDGE_COLOR,
            linewidth=linewidth,
        )
    if (~has).any():
        geo.loc[~has].plot(ax=ax, edgecolor=EDGE_COLOR, linewidth=linewidth, **no_data)


def _north_arrow(ax: Axes, language: str) -> None:
    ax.annotate(
        "",
        xy=(0.06, 0.93),
        xytext=(0.06, 0.82),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 0.9},
    )
    weight = "bold" if language == "en" else "normal"  # CJK fonts often lack a bold face
    ax.text(0.06, 0.955, "N", transform=ax.transAxes, ha="center", va="center", weight=weight)


def _scale_bar(ax: Axes, language: str, km: float = 1000.0) -> None:
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    x0, y0 = xmin + 0.04 * (xmax - xmin), ymin + 0.05 * (ymax - ymin)
    length = km * 1000.0
    tick = 0.012 * (ymax - ymin)
    ax.plot([x0, x0 + length], [y0, y0], color="black", lw=1.0, solid_capstyle="butt")
    for x in (x0, x0 + length / 2, x0 + length):
        ax.plot([x, x], [y0, y0 + tick], color="black", lw=0.8)
    ax.text(x0 + length / 2, y0 + 1.8 * tick, _text(language, "km", km=km),
            ha="center", va="bottom", fontsize=7)  # fmt: skip


def _map_figure(
    geo: gpd.GeoDataFrame,
    panels: Sequence[tuple[str, Sequence[str | None]]],
    handles: Sequence[Patch],
    legend_title: str | None,
    *,
    language: str,
    china: bool,
    no_data: Mapping[str, Any],
    ncols: int,
    title: str | None,
) -> Figure:
    n = len(panels)
    ncols = max(1, min(int(ncols), n))
    nrows = math.ceil(n / ncols)
    width = 3.4 * ncols + (1.9 if n == 1 else 0.0)
    height = 2.75 * nrows + (0.35 if title else 0.0) + (0.0 if n == 1 else 0.55)
    fig = _new_figure((width, height))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    extent = _mainland_extent(geo) if china else None
    scs = _projected_window(_SOUTH_CHINA_SEA, str(geo.crs)) if china else None
    for ax, (caption, colors) in zip(axes, panels):
        _draw_units(ax, geo, colors, no_data, linewidth=0.3)
        if extent is not None and scs is not None:
            ax.set_xlim(extent[0], extent[2])
            ax.set_ylim(extent[1], extent[3])
            inset = ax.inset_axes((0.845, 0.0, 0.155, 0.27))
            _draw_units(inset, geo, colors, no_data, linewidth=0.2)
            inset.set_xlim(scs[0], scs[2])
            inset.set_ylim(scs[1], scs[3])
            inset.set_xticks([])
            inset.set_yticks([])
            inset.set_xlabel("")
            inset.set_ylabel("")
            for spine in inset.spines.values():
                spine.set_linewidth(0.5)
            inset.text(0.5, 0.03, _text(language, "scs"), transform=inset.transAxes,
                       ha="center", va="bottom", fontsize=4.5)  # fmt: skip
        ax.set_axis_off()
        ax.set_title(caption)
    for ax in axes[n:]:
        ax.set_visible(False)
    if china:
        _north_arrow(axes[0], language)
        _scale_bar(axes[0], language)
    if n == 1:
        fig.legend(handles=list(handles), loc="outside right center", title=legend_title,
                   frameon=False, alignment="left")  # fmt: skip
    else:
        columns = min(len(handles), 6 if max(len(str(h.get_label())) for h in handles) < 16 else 3)
        fig.legend(handles=list(handles), loc="outside lower center", ncols=columns,
                   title=legend_title, frameon=False)  # fmt: skip
    if title:
        fig.suptitle(title)
    return fig


def _patch(color: str, label: str, **style: Any) -> Patch:
    from matplotlib.patches import Patch

    return Patch(facecolor=color, edgecolor=EDGE_COLOR, linewidth=0.4, label=label, **style)


def _sequential(n: int, cmap: str) -> list[str]:
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    colormap = mpl.colormaps[cmap]
    if n == 1:
        return [to_hex(colormap(0.6))]
    return [to_hex(colormap(0.12 + 0.83 * i / (n - 1))) for i in range(n)]


def _break_labels(low: float, bins: np.ndarray) -> list[str]:
    edges = np.concatenate([[low], np.asarray(bins, dtype=np.float64)])
    top = float(np.max(np.abs(edges))) or 1.0
    digits = max(0, 2 - math.floor(math.log10(top)))
    for extra in range(6):
        texts = [f"{e:,.{digits + extra}f}" for e in edges]
        if len(set(texts)) == len(texts):
            break
    return [f"{a}–{b}" for a, b in itertools.pairwise(texts)]


def choropleth(
    table: pd.DataFrame,
    value: Hashable,
    *,
    region: Hashable = "province",
    year: Hashable = "year",
    years: Any = None,
    geography: gpd.GeoDataFrame | None = None,
    bands: str | Bands | None = None,
    closed: Literal["left", "right"] = "left",
    scheme: Scheme = "quantiles",
    k: int = 5,
    cmap: str | None = None,
    language: Language = "en",
    title: str | None = None,
    label: str | None = None,
    path: str | Path | None = None,
    ncols: int = 3,
    include_other: bool = True,
    dpi: float = 150,
) -> Figure:
    """Choropleth map of a (province, year) variable, one panel per year.

    Parameters
    ----------
    table : DataFrame
        Long panel with a region column, a year column and ``value``.
    value : str
        Column to map.
    region, year : str
        Columns naming the region (names or codes in any spelling that
        :func:`spatial.geography.resolve_provinces` accepts) and the year.
    years : int or sequence, optional
        Years to draw (default: every year of the table); several years give
        small multiples with common classes, so colours compare across panels.
    geography : GeoDataFrame, optional
        Polygons indexed by the region labels of ``table`` (default: China's
        provinces, Albers projection, South China Sea inset).
    bands : {"ten_tier", "four_stage"} or Bands, optional
        Classify by a band scheme of :mod:`coupling.classify` (e.g. the ten
        tiers of the coupling-coordination degree D); overrides ``scheme``.
    closed : {"left", "right"}
        Interval closure of the bands (as :func:`coupling.classify.classify`).
    scheme : {"quantiles", "natural_breaks", "equal_interval", "max_breaks", \
"head_tail_breaks", "pretty"}
        mapclassify scheme applied to the values of all drawn years together;
        ``"natural_breaks"`` is the exact Fisher-Jenks optimum.
    k : int, default 5
        Number of classes of the scheme (``"head_tail_breaks"`` chooses its own).
    cmap : str, optional
        Sequential colour map (default ``"YlGnBu"`` for bands, ``"YlOrRd"`` otherwise).
    language : {"en", "zh"}
        Labels in English or Chinese (needs a CJK font, see :func:`find_cjk_font`).
    title : str, optional
        Figure title.
    label : str, optional
        Legend title (default ``value``).
    path : str or Path, optional
        Write the figure there (format from the suffix; folders are created).
    ncols : int, default 3
        Panels per row.
    include_other : bool, default True
        Draw Taiwan, Hong Kong and Macao (as "no data" unless the table has them).
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ProvinceNameError
        Region names that do not resolve, with the nearest matches.
    FontNotFoundError
        ``language="zh"`` without a font with Chinese glyphs.

    Notes
    -----
    Units without a value in a year (and units outside the table) are drawn
    in light grey and listed as "no data" in the legend.

    Examples
    --------
    >>> from coupling.datasets import load_provincial_panel
    >>> panel = load_provincial_panel()
    >>> fig = choropleth(panel, "rd_intensity", region="code", years=[2013, 2023])
    >>> len([ax for ax in fig.axes if ax.get_visible() and ax.get_title()])
    2
    """
    with _style(language):
        if bands is None:
            check_option("scheme", scheme, tuple(SCHEMES), SpecificationError)
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
                raise SpecificationError(f"k must be an integer >= 2, got {k!r}.")
        frame = _long_table(table, value, region, year, geography)
        geo = _china_geography(include_other) if geography is None else geography
        outside = sorted({str(c) for c in frame["key"] if c not in set(geo.index)})
        if outside:
            hint = "" if geography is not None else " (include_other=True draws Taiwan, HK, Macao)"
            raise SpecificationError(
                f"Unit(s) {format_items(outside)} are in the table but not in the geography{hint}."
            )
        chosen = _select_years(frame, years)
        wide = frame.pivot(index="key", columns="year", values="value")
        wide = wide.reindex(index=list(geo.index), columns=chosen)
        values = wide.to_numpy(dtype=np.float64)
        finite = np.isfinite(values)
        if not finite.any():
            raise PanelStructureError(f"{value!r} has no values in the years {chosen}.")
        codes = np.full(values.shape, -1, dtype=np.int64)
        if bands is not None:
            from coupling.classify import resolve_bands, tier_codes

            scheme_bands = resolve_bands(bands)
            codes[finite] = tier_codes(values[finite], scheme_bands.edges, closed)
            names = list(scheme_bands.labels if language == "en" else scheme_bands.labels_zh)
            palette = _sequential(len(names), cmap or "YlGnBu")
            shown = sorted(set(codes[finite].tolist()))
        else:
            import mapclassify

            pooled = values[finite]
            classifier_class = getattr(mapclassify, SCHEMES[scheme])
            options = {} if scheme == "head_tail_breaks" else {"k": k}
            classifier = classifier_class(pooled, **options)
            bins = np.asarray(classifier.bins, dtype=np.float64)
            bins[-1] = max(bins[-1], float(pooled.max()))
            codes[finite] = np.minimum(np.searchsorted(bins, values[finite], side="left"),
                                       len(bins) - 1)  # fmt: skip
            names = _break_labels(float(pooled.min()), bins)
            palette = _sequential(len(names), cmap or "YlOrRd")
            shown = list(range(len(names)))
        panels = [
            (
                _text(language, "year_title", year=y),
                [palette[c] if c >= 0 else None for c in codes[:, j]],
            )
            for j, y in enumerate(chosen)
        ]
        handles = [_patch(palette[c], names[c]) for c in shown]
        if (~finite).any():
            handles.append(_patch(NO_DATA_COLOR, _text(language, "no_data")))
        fig = _map_figure(
            geo,
            panels,
            handles,
            label if label is not None else str(value),
            language=language,
            china=geography is None,
            no_data={"facecolor": NO_DATA_COLOR},
            ncols=ncols,
            title=title,
        )
        _save(fig, path, dpi)
    return fig


def lisa_map(
    local_results: LocalMoranResults,
    year: Any = None,
    *,
    language: Language = "en",
    title: str | None = None,
    path: str | Path | None = None,
    geography: gpd.GeoDataFrame | None = None,
    include_other: bool = True,
    ncols: int = 3,
    dpi: float = 150,
) -> Figure:
    """LISA cluster map: HH, LL, LH, HL and not-significant regions of one or more years.

    Parameters
    ----------
    local_results : LocalMoranResults
        The output of :func:`spatial.exploratory.local_moran`.
    year : int or sequence, optional
        Year(s) to draw (default: every year of the results; several years give
        small multiples).
    language : {"en", "zh"}
        Legend in English (HH, LH, ...) or Chinese (高-高, 低-高, ...).
    title : str, optional
        Figure title.
    path : str or Path, optional
        Write the figure there.
    geography : GeoDataFrame, optional
        Polygons indexed by the region ids of the results (default China's provinces).
    include_other : bool, default True
        Draw Taiwan, Hong Kong and Macao, hatched as "no data".
    ncols : int, default 3
        Panels per row.
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Conventional colours: HH red, LL blue, LH light blue, HL pink, not
    significant light grey; units without a result are white and hatched. The
    legend counts the regions of each category (summed over the years drawn).
    """
    with _style(language):
        table = local_results.table
        region, year_col = local_results.region, local_results.year
        long = pd.DataFrame(
            {
                "key": _region_keys(table[region], geography, region),
                "year": table[year_col].to_numpy(),
                "label": table["label"].astype(str).to_numpy(),
            }
        )
        chosen = _select_years(long, year)
        geo = _china_geography(include_other) if geography is None else geography
        outside = sorted({str(c) for c in long["key"] if c not in set(geo.index)})
        if outside:
            raise SpecificationError(
                f"Region(s) {format_items(outside)} of the results are not in the geography."
            )
        categories = list(LISA_COLORS)
        panels = []
        counts = dict.fromkeys(categories, 0)
        for y in chosen:
            labels = long.loc[long["year"] == y].set_index("key")["label"]
            colors = [LISA_COLORS[labels[u]] if u in labels.index else None for u in geo.index]
            for lab in labels:
                counts[lab] += 1
            panels.append((_text(language, "year_title", year=y), colors))
        handles = []
        for cat in categories:
            name = cat if language == "en" else _LISA_ZH.get(cat, _text("zh", "not significant"))
            handles.append(_patch(LISA_COLORS[cat], f"{name} ({counts[cat]})"))
        missing = any(c is None for _, colors in panels for c in colors)
        no_data = {"facecolor": "white", "hatch": "////"}
        if missing:
            handles.append(_patch("white", _text(language, "no_data"), hatch="////"))
        fig = _map_figure(
            geo,
            panels,
            handles,
            _text(language, "lisa"),
            language=language,
            china=geography is None,
            no_data=no_data,
            ncols=ncols,
            title=title,
        )
        _save(fig, path, dpi)
    return fig


# ---------------------------------------------------------------------------- trends
def _groups_of(
    keys: Sequence[Hashable],
    table: pd.DataFrame,
    groups: Mapping[str, Iterable[Hashable]] | Hashable | None,
    language: str,
    provinces: bool,
) -> tuple[list[str], list[str | None]]:
    """Ordered group names and the group of each row (None: in no group)."""
    if groups is None:
        if not provinces:
            raise SpecificationError("The default groups (NBS regions) need province names.")
        nbs = {code: name for name, codes in NBS_REGIONS.items() for code in codes}
        order = list(NBS_REGIONS)
        rows: list[str | None] = [nbs.get(str(k)) for k in keys]
        if language == "zh":
            rows = [NBS_REGIONS_ZH[g] if g is not None else None for g in rows]
            order = [NBS_REGIONS_ZH[g] for g in order]
        return order, rows
    if not isinstance(groups, Mapping):
        _require_columns(table, [groups])
        column = table[groups]
        order = [str(g) for g in pd.unique(column.dropna())]
        return order, [None if pd.isna(g) else str(g) for g in column]
    order = [str(name) for name in groups]
    member: dict[Hashable, str] = {}
    present = set(keys)
    for name, units in groups.items():
        units = [units] if isinstance(units, str) else list(units)
        resolved = resolve_provinces(units) if provinces else units
        absent = [u for u, r in zip(units, resolved) if r not in present]
        if absent:
            raise SpecificationError(
                f"Group {name!r} lists {format_items(absent)}, which the table does not have."
            )
        for unit in resolved:
            member[unit] = str(name)
    return order, [member.get(k) for k in keys]


def group_trend(
    table: pd.DataFrame,
    value: Hashable,
    *,
    region: Hashable = "province",
    year: Hashable = "year",
    groups: Mapping[str, Iterable[Hashable]] | Hashable | None = None,
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
        Region and year columns; regions in any spelling of
        :func:`spatial.geography.resolve_provinces`.
    groups : mapping or str, optional
        Group name -> regions (in any spelling), or the name of a column of
        ``table`` holding each row's group. Default: the four NBS regions
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
    """
    with _style(language):
        _require_columns(table, [region, year, value])
        try:
            keys = list(resolve_provinces(table[region]))
            provinces = True
        except ProvinceNameError:
            if groups is None:
                raise
            keys, provinces = list(table[region]), False
        order, member = _groups_of(keys, table, groups, language, provinces)
        frame = pd.DataFrame(
            {
                "group": member,
                "year": table[year].to_numpy(),
                "value": _numeric(table[value], value).to_numpy(),
            }
        )
        gaps = frame["value"].isna()
        if gaps.all():
            raise PanelStructureError(f"{value!r} has no values to average.")
        if gaps.any():
            warnings.warn(
                f"{int(gaps.sum())} missing value(s) of {value!r} are left out of the means.",
                UserWarning,
                stacklevel=2,
            )
        frame = frame[~gaps]
        means = frame.dropna(subset=["group"]).groupby(["group", "year"])["value"].mean()
        fig = _new_figure((5.6, 3.5))
        ax = fig.subplots()
        for i, name in enumerate(order):
            if name not in means.index.get_level_values(0):
                continue
            series = means.loc[name].sort_index()
            ax.plot(series.index, series.to_numpy(), color=_GROUP_COLORS[i % len(_GROUP_COLORS)],
                    marker=_MARKERS[i % len(_MARKERS)], markersize=4, label=name)  # fmt: skip
        if national:
            overall = frame.groupby("year")["value"].mean().sort_index()
            ax.plot(overall.index, overall.to_numpy(), color="black", linestyle="--",
                    linewidth=1.8, label=_text(language, "national"))  # fmt: skip
        _line_axes(ax, language, label if label is not None else str(value))
        ax.legend(frameon=False, loc="best")
        if title:
            ax.set_title(title)
        _save(fig, path, dpi)
    return fig


def _line_axes(ax: Axes, language: str, ylabel: str) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_text(language, "year"))
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    ax.set_axisbelow(True)
