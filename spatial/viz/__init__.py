"""Maps and charts of regional panels (matplotlib, imported on first use).

- :mod:`spatial.viz.maps`: choropleths and LISA cluster maps of China's provinces.
- :mod:`spatial.viz.charts`: group trends, Moran's I by year, the Moran scatter plot.
- :mod:`spatial.viz.figure`: the figure conventions (style, labels in English and
  Chinese, saving); :mod:`spatial.viz.fonts`: fonts with Chinese glyphs.

The names below load their module on first use, so that ``spatial.viz.figure`` (used
by the figures of :mod:`coupling`) does not import the maps and the ESDA they draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core.lazy import lazy_attributes

if TYPE_CHECKING:
    from .charts import group_trend, moran_plot, moran_scatter
    from .fonts import find_cjk_font
    from .maps import centre_path_map, choropleth, hotspot_map, lisa_map

_LAZY = {
    "group_trend": "charts",
    "moran_plot": "charts",
    "moran_scatter": "charts",
    "find_cjk_font": "fonts",
    "choropleth": "maps",
    "lisa_map": "maps",
    "hotspot_map": "maps",
    "centre_path_map": "maps",
}

__all__ = [
    "centre_path_map",
    "choropleth",
    "find_cjk_font",
    "group_trend",
    "hotspot_map",
    "lisa_map",
    "moran_plot",
    "moran_scatter",
]


__getattr__ = lazy_attributes(__name__, _LAZY)
