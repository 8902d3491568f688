"""Weighted gravity centres, their migration path, and standard deviational ellipses by year.

- :func:`gravity_centres`: the weighted mean centre of the regions' points in each
  year (weights: a column such as the coupling-coordination degree D), and the
  path it moves along: great-circle distance (km), bearing and compass direction
  from one year to the next.
- :func:`deviational_ellipses`: the standard deviational ellipse (Lefever 1926;
  Yuill 1971) of the weighted points in each year: centre, rotation, the standard
  deviations along the two axes, area and flattening, computed in an Albers
  equal-area projection of China and returned in longitude/latitude (with the
  outline, for maps: :func:`spatial.viz.centre_path_map`).

Points are the provinces' mainland centroids by default (the centroid of the
largest polygon: Hainan's polygon centroid lies at sea, pulled south by the South
China Sea islands), or capitals, polygon centroids, or any coordinates given.
Everything is array arithmetic over all years at once; pyproj projects the points.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._core.messages import format_items
from .._core.options import check_option
from .._core.panel import panel_arrays, require_columns, rows_of_years
from .._core.results import FrozenTables
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, PanelStructureError, SpecificationError
from ..geography.provinces import ALBERS_CHINA
from ..weights.builders import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "ALBERS_CHINA",
    "COMPASS",
    "COMPASS_ZH",
    "EARTH_RADIUS_KM",
    "EllipseResults",
    "GravityCentreResults",
    "bearing",
    "deviational_ellipses",
    "ellipse_arrays",
    "gravity_centres",
    "haversine_km",
]

Points = Literal["mainland_centroid", "centroid", "capital"]
#: Eight compass directions, from north clockwise (each a 45-degree sector).
COMPASS: tuple[str, ...] = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
COMPASS_ZH: tuple[str, ...] = ("北", "东北", "东", "东南", "南", "西南", "西", "西北")
_POINT_COLUMNS = {
    "mainland_centroid": ("mainland_centroid_lon", "mainland_centroid_lat"),
    "centroid": ("centroid_lon", "centroid_lat"),
    "capital": ("capital_lon", "capital_lat"),
}


# ------------------------------------------------------------------------ geodesy
def bearing(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    """Initial great-circle bearing from point 1 to point 2, degrees clockwise from north.

    Notes
    -----
    ``theta = atan2(sin(dlam) cos(phi2), cos(phi1) sin(phi2) - sin(phi1) cos(phi2) cos(dlam))``,
    mapped to [0, 360).

    Examples
    --------
    >>> float(bearing(110.0, 30.0, 110.0, 31.0)), float(bearing(110.0, 0.0, 111.0, 0.0))
    (0.0, 90.0)
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    x = np.sin(dlam) * np.cos(phi2)
    y = np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlam)
    return np.asarray(np.degrees(np.arctan2(x, y)) % 360.0)


def _compass(angle: np.ndarray) -> np.ndarray:
    return np.floor(((np.asarray(angle) + 22.5) % 360.0) / 45.0).astype(np.int64)


@lru_cache(maxsize=4)
def _transformer(crs: str, inverse: bool) -> Any:
    from pyproj import Transformer

    if inverse:
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


# ------------------------------------------------------------------------ inputs
def _points(
    regions: pd.Index, coordinates: pd.DataFrame | None, points: str
) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each region (in the order of ``regions``)."""
    if coordinates is None:
        from ..geography import resolve_provinces
        from ..geography.provinces import _attributes

        lon_col, lat_col = _POINT_COLUMNS[points]
        table = _attributes().set_index("code")
        codes = resolve_provinces(regions)
        return (table.loc[codes, lon_col].to_numpy(dtype=np.float64),
                table.loc[codes, lat_col].to_numpy(dtype=np.float64))  # fmt: skip
    if not isinstance(coordinates, pd.DataFrame):
        raise SpecificationError(
            "coordinates must be a DataFrame indexed by region with columns 'lon' and 'lat', "
            f"got {type(coordinates).__name__}."
        )
    require_columns(coordinates, ["lon", "lat"])
    missing = [r for r in regions if r not in coordinates.index]
    if missing:
        raise SpecificationError(
            f"coordinates have no row for {len(missing)} region(s): {format_items(missing)}; "
            "give every region of the table a longitude and a latitude."
        )
    if coordinates.index.has_duplicates:
        raise SpecificationError("coordinates have duplicated regions in the index.")
    rows = coordinates.loc[list(regions), ["lon", "lat"]].to_numpy(dtype=np.float64)
    bad = [r for r, ok in zip(regions, np.isfinite(rows).all(axis=1)) if not ok]
    if bad:
        raise SpecificationError(f"coordinates are missing for region(s) {format_items(bad)}.")
    if (np.abs(rows[:, 1]) > 90).any() or (np.abs(rows[:, 0]) > 360).any():
        raise SpecificationError("coordinates must be longitude and latitude in degrees.")
    return rows[:, 0].copy(), rows[:, 1].copy()


def _weighted_panel(
    table: pd.DataFrame,
    weight: Hashable,
    region: Hashable,
    year: Hashable,
    years: Sequence[Any] | None,
    coordinates: pd.DataFrame | None,
    points: str,
    minimum: int,
) -> tuple[list[Any], np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    check_option("points", points, tuple(_POINT_COLUMNS))
    require_columns(table, [region, year, weight])
    table = rows_of_years(table, year, years)
    panel = panel_arrays(table, [str(weight)], region, year)
    values = panel.values[:, :, 0]
    if values.shape[1] < minimum:
        raise PanelStructureError(
            f"{values.shape[1]} region(s) given; at least {minimum} are needed"
            + (" for a standard deviational ellipse." if minimum > 1 else ".")
        )
    if (values < 0).any():
        t, i = np.argwhere(values < 0)[0]
        raise PanelStructureError(
            f"{weight!r} has negative weights (e.g. {panel.regions[i]} in {panel.years[t]}); "
            "centres need non-negative weights: shift or rescale the variable first."
        )
    empty = [panel.years[t] for t in np.flatnonzero(values.sum(axis=1) <= 0)]
    if empty:
        raise PanelStructureError(f"{weight!r} sums to zero in year(s) {format_items(empty)}.")
    lon, lat = _points(panel.regions, coordinates, points)
    return list(panel.years), values, lon, lat, panel.regions


# ------------------------------------------------------------------- gravity centres
@dataclass(frozen=True, repr=False)
class GravityCentreResults(FrozenTables):
    """Weighted gravity centres by year and their migration path.

    Attributes
    ----------
    centres : DataFrame
        One row per year (index named after the year column): ``lon``, ``lat`` (the
        weighted centre), ``total`` (sum of the weights), ``distance_km`` (great-circle
        distance from the previous year's centre, NaN in the first year), ``bearing``
        (degrees clockwise from north), ``direction`` and ``direction_zh`` (eight-point
        compass), ``speed_km`` (distance per year between the two labels when they are
        numeric, else the distance).
    weight : str
        The weight column.
    points : str
        The points of the regions ("mainland_centroid", "centroid", "capital" or
        "given").
    radius_km : float
        Earth radius of the distances.
    """

    centres: pd.DataFrame
    weight: str
    points: str
    radius_km: float

    @property
    def total_distance_km(self) -> float:
        """Length of the whole migration path (sum of the yearly moves), km."""
        return float(np.nansum(self.centres["distance_km"].to_numpy()))

    def summary(self) -> Summary:
        """The centre of each year and its move from the year before."""
        table = self.centres[["lon", "lat", "distance_km", "bearing", "direction"]]
        notes = (
            f"Centre weighted by {self.weight} ({self.points} points); distances on a sphere "
            f"of radius {self.radius_km} km; path length {self.total_distance_km:.1f} km.",
        )
        return Summary(f"Gravity centre of {self.weight}", (("Centre by year", table),), notes)


def gravity_centres(
    table: pd.DataFrame,
    weight: Hashable,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    coordinates: pd.DataFrame | None = None,
    points: Points = "mainland_centroid",
    radius: float = EARTH_RADIUS_KM,
) -> GravityCentreResults:
    """Weighted gravity (mean) centre of the regions in each year, and how far it moved.

    Parameters
    ----------
    table : DataFrame
        Long balanced panel, one row per region and year (never modified).
    weight : str
        The weight column (e.g. ``"D"``; non-negative, positive sum in each year).
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years.
    coordinates : DataFrame, optional
        Points of the regions: indexed by the region labels, columns ``lon`` and ``lat``
        (degrees). Default: China's provinces (labels in any spelling of
        :func:`spatial.geography.resolve_provinces`), at ``points``.
    points : {"mainland_centroid", "centroid", "capital"}
        Which point of a province (without ``coordinates``).
    radius : float, default 6371.0088
        Earth radius in km of the great-circle distances.

    Returns
    -------
    GravityCentreResults

    Raises
    ------
    PanelStructureError
        Negative weights, a year whose weights sum to zero, missing or repeated
        region-years.
    SpecificationError
        ``coordinates`` without a row (or with NaN) for a region of the table.

    Notes
    -----
    With weights w_ti and points (lambda_i, phi_i) in degrees::

        lon_t = sum_i w_ti lambda_i / sum_i w_ti,    lat_t = sum_i w_ti phi_i / sum_i w_ti

    (the gravity-centre model of regional studies, a weighted arithmetic mean of the
    coordinates). The move from year t-1 to t is the haversine distance between the
    two centres on a sphere of radius ``radius`` and the initial bearing (see
    :func:`haversine_km` and :func:`bearing`); its compass direction is the 45-degree
    sector the bearing falls in (N = [337.5, 22.5)).

    References
    ----------
    Lefever, D. W. (1926). Measuring geographic concentration by means of the standard
    deviational ellipse. *American Journal of Sociology* 32(1): 88-94.

    Examples
    --------
    Two provinces (Beijing and Shanghai at their capitals): the centre moves towards
    Shanghai when its weight grows.

    >>> panel = pd.DataFrame({"province": ["Beijing", "Shanghai"] * 2,
    ...                       "year": [2020, 2020, 2021, 2021], "D": [1.0, 1.0, 1.0, 3.0]})
    >>> res = gravity_centres(panel, "D", "province", "year", points="capital")
    >>> res.centres[["lon", "lat"]].round(4).values.tolist()
    [[118.935, 35.565], [120.2025, 33.3975]]
    >>> res.centres["direction"].tolist()
    ['', 'SE']
    """
    if not (isinstance(radius, (int, float)) and np.isfinite(radius) and radius > 0):
        raise InvalidOptionError(f"radius must be a positive number of km, got {radius!r}.")
    labels, w, lon, lat, _ = _weighted_panel(
        table, weight, region, year, years, coordinates, points, 1
    )
    total = w.sum(axis=1)
    c_lon = w @ lon / total
    c_lat = w @ lat / total
    dist = np.full(len(labels), np.nan)
    angle = np.full(len(labels), np.nan)
    if len(labels) > 1:
        dist[1:] = haversine_km(c_lon[:-1], c_lat[:-1], c_lon[1:], c_lat[1:], radius=radius)
        angle[1:] = bearing(c_lon[:-1], c_lat[:-1], c_lon[1:], c_lat[1:])
    sector = _compass(np.nan_to_num(angle))
    moved = np.isfinite(angle) & (dist > 0)
    direction = np.where(moved, np.asarray(COMPASS, dtype=object)[sector], "")
    direction_zh = np.where(moved, np.asarray(COMPASS_ZH, dtype=object)[sector], "")
    index = pd.Index(labels, name=year)
    speed = dist.copy()
    if pd.api.types.is_numeric_dtype(index) and len(labels) > 1:
        gaps = np.diff(index.to_numpy(dtype=np.float64))
        speed[1:] = dist[1:] / np.where(gaps > 0, gaps, np.nan)
    centres = pd.DataFrame(
        {"lon": c_lon, "lat": c_lat, "total": total, "distance_km": dist, "bearing": angle,
         "direction": direction, "direction_zh": direction_zh, "speed_km": speed},
        index=index,
    )  # fmt: skip
    return GravityCentreResults(
        centres, str(weight), "given" if coordinates is not None else points, float(radius)
    )


# ---------------------------------------------------------------------------- ellipses
def ellipse_arrays(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, *, sqrt2: bool = False
) -> dict[str, np.ndarray]:
    """Standard deviational ellipses of weighted planar points, one per row of ``w``.

    Parameters
    ----------
    x, y : ndarray, shape (N,)
        Planar coordinates (e.g. metres of an equal-area projection).
    w : ndarray, shape (T, N)
        Non-negative weights, positive sum in each row.
    sqrt2 : bool, default False
        Multiply the standard deviations by sqrt(2) (ArcGIS's form).

    Returns
    -------
    dict of ndarray, shape (T,)
        ``x``, ``y`` (weighted mean centre), ``theta`` (rotation of the y axis of the
        ellipse clockwise from north, degrees in [0, 180)), ``sigma_x``, ``sigma_y``
        (standard deviations along the rotated x and y axes), ``major``, ``minor``,
        ``area`` (``pi sigma_x sigma_y``) and ``flattening`` (``1 - minor / major``).

    Notes
    -----
    With ``X = sum_i w_i x_i / sum_i w_i`` (likewise Y), ``dx_i = x_i - X``, ``dy_i =
    y_i - Y`` and weighted sums (Yuill 1971)::

        A = sum w dx^2 - sum w dy^2,   C = 2 sum w dx dy,   B = sqrt(A^2 + C^2)
        tan(theta) = (A + B) / C
        sigma_x = sqrt(sum w (dx cos(theta) - dy sin(theta))^2 / sum w)
        sigma_y = sqrt(sum w (dx sin(theta) + dy cos(theta))^2 / sum w)

    theta turns the ellipse's y axis clockwise from north, so sigma_y is the spread
    along the direction ``theta`` and sigma_x across it: the two are the square roots of
    the eigenvalues of the weighted covariance matrix (population form, divisor sum w).
    When C = 0 the axes are north-south and east-west (theta = 0 if the north-south
    spread is the larger, else 90).

    Examples
    --------
    Points spread along the NE-SW diagonal:

    >>> x = np.array([0.0, 1.0, 2.0, 3.0, 1.0, 2.0])
    >>> y = np.array([0.0, 1.0, 2.0, 3.0, 2.0, 1.0])
    >>> out = ellipse_arrays(x, y, np.ones((1, 6)))
    >>> [round(float(out[k][0]), 4) for k in ("theta", "sigma_y", "sigma_x")]
    [45.0, 1.291, 0.4082]
    """
    w = np.asarray(w, dtype=np.float64)
    total = w.sum(axis=1)
    cx = w @ x / total
    cy = w @ y / total
    dx = x[None, :] - cx[:, None]
    dy = y[None, :] - cy[:, None]
    sxx = (w * dx * dx).sum(axis=1)
    syy = (w * dy * dy).sum(axis=1)
    sxy = (w * dx * dy).sum(axis=1)
    a = sxx - syy
    c = 2.0 * sxy
    b = np.sqrt(a * a + c * c)
    scale = max(float(np.max(sxx + syy)), np.finfo(np.float64).tiny)
    flat = np.abs(c) <= 1e-12 * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(flat, np.where(a > 0, np.pi / 2, 0.0), np.arctan((a + b) / c))
    theta = np.mod(theta, np.pi)
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    sigma_x = np.sqrt((w * (dx * cos - dy * sin) ** 2).sum(axis=1) / total)
    sigma_y = np.sqrt((w * (dx * sin + dy * cos) ** 2).sum(axis=1) / total)
    if sqrt2:
        sigma_x, sigma_y = np.sqrt(2.0) * sigma_x, np.sqrt(2.0) * sigma_y
    major, minor = np.maximum(sigma_x, sigma_y), np.minimum(sigma_x, sigma_y)
    with np.errstate(divide="ignore", invalid="ignore"):
        flattening = np.where(major > 0, 1.0 - minor / major, 0.0)
    return {"x": cx, "y": cy, "theta": np.degrees(theta), "sigma_x": sigma_x,
            "sigma_y": sigma_y, "major": major, "minor": minor,
            "area": np.pi * sigma_x * sigma_y, "flattening": flattening}  # fmt: skip


@dataclass(frozen=True, repr=False)
class EllipseResults(FrozenTables):
    """Standard deviational ellipses by year.

    Attributes
    ----------
    ellipses : DataFrame
        One row per year: ``lon``, ``lat`` (centre: the weighted mean of the projected
        points, back in degrees), ``theta`` (rotation, degrees clockwise from north),
        ``sigma_x_km``, ``sigma_y_km`` (standard deviations across and along theta),
        ``major_km``, ``minor_km``, ``area_km2`` (pi sigma_x sigma_y) and
        ``flattening`` (1 - minor/major).
    weight, points : str
        The weight column and the points used.
    sqrt2 : bool
        Whether the standard deviations carry ArcGIS's sqrt(2) factor.
    crs : str
        The projection the ellipses were computed in.
    """

    ellipses: pd.DataFrame
    weight: str
    points: str
    sqrt2: bool
    crs: str

    def outlines(self, *, n_vertices: int = 180) -> pd.DataFrame:
        """Vertices of each ellipse in longitude/latitude (columns year, vertex, lon, lat),
        traced in the projection and converted back (for maps)."""
        if isinstance(n_vertices, bool) or not isinstance(n_vertices, int) or n_vertices < 8:
            raise InvalidOptionError(f"n_vertices must be an integer >= 8, got {n_vertices!r}.")
        table = self.ellipses
        x0, y0 = _transformer(self.crs, False).transform(table["lon"].to_numpy(),
                                                         table["lat"].to_numpy())  # fmt: skip
        t = np.linspace(0.0, 2.0 * np.pi, n_vertices, endpoint=False)
        theta = np.radians(table["theta"].to_numpy())[:, None]
        u = 1000.0 * table["sigma_x_km"].to_numpy()[:, None] * np.cos(t)
        v = 1000.0 * table["sigma_y_km"].to_numpy()[:, None] * np.sin(t)
        # u along the rotated x axis (east turned clockwise by theta), v along theta
        px = np.asarray(x0)[:, None] + u * np.cos(theta) + v * np.sin(theta)
        py = np.asarray(y0)[:, None] - u * np.sin(theta) + v * np.cos(theta)
        lon, lat = _transformer(self.crs, True).transform(px.ravel(), py.ravel())
        return pd.DataFrame(
            {
                table.index.name or "year": np.repeat(table.index.to_numpy(), n_vertices),
                "vertex": np.tile(np.arange(n_vertices), len(table)),
                "lon": lon,
                "lat": lat,
            }
        )

    def summary(self) -> Summary:
        """Centre, rotation, axes, area and flattening of each year's ellipse."""
        notes = (
            f"Standard deviational ellipse of {self.weight} ({self.points} points) in an Albers "
            "equal-area projection; theta clockwise from north; standard deviations "
            + ("times sqrt(2) (ArcGIS)." if self.sqrt2 else "without the sqrt(2) factor."),
        )
        return Summary(f"Standard deviational ellipse of {self.weight}",
                       (("Ellipse by year", self.ellipses),), notes)  # fmt: skip


def deviational_ellipses(
    table: pd.DataFrame,
    weight: Hashable,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    coordinates: pd.DataFrame | None = None,
    points: Points = "mainland_centroid",
    sqrt2: bool = False,
    crs: str = ALBERS_CHINA,
) -> EllipseResults:
    """Standard deviational ellipse of the weighted regions in each year.

    Parameters
    ----------
    table : DataFrame
        Long balanced panel, one row per region and year (never modified); at least 3
        regions.
    weight : str
        Weight column (non-negative, positive sum in each year), e.g. ``"D"``.
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years.
    coordinates : DataFrame, optional
        Points of the regions (index: region labels; columns ``lon``, ``lat``), default
        the provinces at ``points``.
    points : {"mainland_centroid", "centroid", "capital"}
        Which point of a province (without ``coordinates``).
    sqrt2 : bool, default False
        Multiply the standard deviations by sqrt(2), as ArcGIS's Directional
        Distribution does. The default reports the standard deviations of the weighted
        points along the two axes themselves (Yuill 1971): they are the square roots
        of the eigenvalues of the weighted covariance matrix, the quantity the name
        promises, and comparable with any software; the sqrt(2) ellipse is the one
        that holds about 63% rather than 39% of a bivariate normal distribution.
    crs : str, default the Albers equal-area projection of China
        Projected CRS (pyproj string) the ellipses are computed in; lengths in its unit
        are taken as metres.

    Returns
    -------
    EllipseResults

    Raises
    ------
    PanelStructureError
        Fewer than 3 regions, negative weights, a year whose weights sum to zero.
    SpecificationError
        ``coordinates`` missing a region.

    Notes
    -----
    The points are projected (pyproj), the ellipse of each year is computed from the
    projected coordinates (:func:`ellipse_arrays`), and its centre converted back to
    longitude/latitude. The centre is the weighted mean in the projection, which
    differs from the mean of longitudes and latitudes of :func:`gravity_centres` by a
    few km for China.

    References
    ----------
    Lefever, D. W. (1926). Measuring geographic concentration by means of the standard
    deviational ellipse. *American Journal of Sociology* 32(1): 88-94.

    Yuill, R. S. (1971). The standard deviational ellipse: an updated tool for spatial
    description. *Geografiska Annaler B* 53(1): 28-39.

    Wang, B., Shi, W. and Miao, Z. (2015). Confidence analysis of standard deviational
    ellipse and its extension into higher dimensional Euclidean space. *PLoS ONE*
    10(3): e0118537.

    Examples
    --------
    >>> from spatial.geography import load_china_provinces
    >>> provinces = load_china_provinces()
    >>> panel = pd.DataFrame({"code": provinces["code"], "year": 2023, "w": 1.0})
    >>> res = deviational_ellipses(panel, "w", "code", "year")
    >>> row = res.ellipses.loc[2023]
    >>> bool(45 < row["theta"] < 135), bool(row["sigma_y_km"] >= row["sigma_x_km"])  # east-west
    (True, True)
    """
    if not isinstance(sqrt2, bool):
        raise InvalidOptionError(f"sqrt2 must be True or False, got {sqrt2!r}.")
    labels, w, lon, lat, _ = _weighted_panel(
        table, weight, region, year, years, coordinates, points, 3
    )
    px, py = _transformer(crs, False).transform(lon, lat)
    out = ellipse_arrays(np.asarray(px), np.asarray(py), w, sqrt2=sqrt2)
    c_lon, c_lat = _transformer(crs, True).transform(out["x"], out["y"])
    ellipses = pd.DataFrame(
        {"lon": np.asarray(c_lon), "lat": np.asarray(c_lat), "theta": out["theta"],
         "sigma_x_km": out["sigma_x"] / 1e3, "sigma_y_km": out["sigma_y"] / 1e3,
         "major_km": out["major"] / 1e3, "minor_km": out["minor"] / 1e3,
         "area_km2": out["area"] / 1e6, "flattening": out["flattening"]},
        index=pd.Index(labels, name=year),
    )  # fmt: skip
    return EllipseResults(
        ellipses, str(weight), "given" if coordinates is not None else points, sqrt2, crs
    )
