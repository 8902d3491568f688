"""The four economic regions of China's National Bureau of Statistics (NBS).

The 2011 division into East, Central, West and Northeast, by 2-digit GB/T 2260
province code, as used for regional comparisons throughout the Chinese
literature (National Bureau of Statistics, "东西中部和东北地区划分方法", 2011).
"""

from __future__ import annotations

__all__ = ["NBS_REGIONS", "NBS_REGIONS_ZH", "NBS_REGION_OF"]

#: Region -> province codes (East, Central, West, Northeast).
NBS_REGIONS: dict[str, tuple[str, ...]] = {
    "East": ("11", "12", "13", "31", "32", "33", "35", "37", "44", "46"),
    "Central": ("14", "34", "36", "41", "42", "43"),
    "West": ("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
    "Northeast": ("21", "22", "23"),
}
#: Chinese names of the regions.
NBS_REGIONS_ZH: dict[str, str] = {
    "East": "东部",
    "Central": "中部",
    "West": "西部",
    "Northeast": "东北",
}
#: Province code -> region, e.g. ``NBS_REGION_OF["46"] == "East"`` (Hainan).
NBS_REGION_OF: dict[str, str] = {c: name for name, codes in NBS_REGIONS.items() for c in codes}
