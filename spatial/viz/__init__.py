"""Maps and charts of regional panels (matplotlib, imported on first use).

- :mod:`spatial.viz.maps`: choropleths and LISA cluster maps of China's provinces.
- :mod:`spatial.viz.charts`: group trends, Moran's I by year, the Moran scatter plot.
- :mod:`spatial.viz.figure`: the figure conventions (style, labels in English and
  Chinese, saving); :mod:`spatial.viz.fonts`: fonts with Chinese glyphs.
"""

from .charts import group_trend, moran_plot, moran_scatter
from .fonts import find_cjk_font
from .maps import choropleth, lisa_map

__all__ = ["choropleth", "find_cjk_font", "group_trend", "lisa_map", "moran_plot", "moran_scatter"]
