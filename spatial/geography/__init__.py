"""China's provincial units."""

from .provinces import (
    NBS_REGIONS,
    NBS_REGIONS_ZH,
    ProvinceNameError,
    load_china_provinces,
    province_codes,
    resolve_provinces,
)

__all__ = [
    "NBS_REGIONS",
    "NBS_REGIONS_ZH",
    "ProvinceNameError",
    "load_china_provinces",
    "province_codes",
    "resolve_provinces",
]
