"""Maps and charts."""

from .maps import choropleth, find_cjk_font, group_trend, lisa_map

__all__ = ["choropleth", "find_cjk_font", "group_trend", "lisa_map"]
