"""Tests of spatial/exploratory/centres.py: gravity centres, their path, and SDEs.

References: plain weighted means computed by hand; great-circle distances of known
city pairs (Beijing-Shanghai about 1,068 km by road atlases; one degree of the equator
= 2 pi R / 360 = 111.195 km for R = 6371.0088 km); the standard deviational ellipse
by hand on small point sets and, as a second route, the eigen-decomposition of the
weighted covariance matrix (rtol 1e-10).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial.exceptions import PanelStructureError, SpecificationError
from spatial.exploratory.centres import (
    EARTH_RADIUS_KM,
    bearing,
    deviational_ellipses,
    ellipse_arrays,
    gravity_centres,
    haversine_km,
)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    from spatial.geography import province_codes

    codes = list(province_codes())
    d = np.random.default_rng(4).random((6, 31))
    return pd.DataFrame({"code": np.tile(codes, 6), "year": np.repeat(np.arange(2018, 2024), 31),
                         "D": d.ravel()})  # fmt: skip


def test_haversine_known_pairs() -> None:
    # Beijing (39.9042 N, 116.4074 E) - Shanghai (31.2304 N, 121.4737 E): about 1,068 km
    assert abs(float(haversine_km(116.4074, 39.9042, 121.4737, 31.2304)) - 1068) < 1.5
    # one degree of longitude on the equator and of latitude on a meridian
    one = 2 * np.pi * EARTH_RADIUS_KM / 360
    np.testing.assert_allclose(haversine_km(0, 0, 1, 0), one, rtol=1e-12)
    np.testing.assert_allclose(haversine_km(100, 10, 100, 11), one, rtol=1e-12)
    # a quarter of a great circle: pole to equator
    np.testing.assert_allclose(haversine_km(0, 0, 0, 90), np.pi * EARTH_RADIUS_KM / 2, rtol=1e-12)
    np.testing.assert_allclose(bearing([0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, -1], [1, 0, -1, 0]),
                               [0, 90, 180, 270], atol=1e-9)  # fmt: skip


def test_gravity_centre_by_hand() -> None:
    coords = pd.DataFrame({"lon": [100.0, 110.0, 120.0], "lat": [30.0, 40.0, 30.0]},
                          index=["a", "b", "c"])  # fmt: skip
    panel = pd.DataFrame({"r": list("abc") * 3, "t": np.repeat([1, 2, 4], 3),
                          "w": [1, 1, 1, 1, 2, 1, 0, 0, 5.0]})  # fmt: skip
    copy = panel.copy()
    res = gravity_centres(panel, "w", "r", "t", coordinates=coords)
    pd.testing.assert_frame_equal(panel, copy)
    c = res.centres
    np.testing.assert_allclose(c[["lon", "lat"]].to_numpy(),
                               np.array([[110, 100 / 3], [110, 35], [120, 30]]),
                               rtol=1e-12)  # fmt: skip
    np.testing.assert_allclose(c["distance_km"].iloc[1],
                               haversine_km(110, 100 / 3, 110, 35), rtol=1e-12)  # fmt: skip
    assert c["direction"].tolist() == ["", "N", "SE"]
    assert c["direction_zh"].tolist() == ["", "北", "东南"]
    # speed: distance per year (2 -> 4 is two years)
    np.testing.assert_allclose(c["speed_km"].iloc[2], c["distance_km"].iloc[2] / 2)
    assert res.total_distance_km == pytest.approx(c["distance_km"].iloc[1:].sum())
    assert "Gravity centre of w" in str(res.summary())


def test_gravity_centre_of_provinces(panel: pd.DataFrame) -> None:
    from spatial.geography import load_china_provinces

    res = gravity_centres(panel, "D", "code", "year", points="capital")
    gdf = load_china_provinces().set_index("code")
    d = panel[panel["year"] == 2020].set_index("code")["D"]
    lon = (d * gdf.loc[d.index, "capital_lon"]).sum() / d.sum()
    lat = (d * gdf.loc[d.index, "capital_lat"]).sum() / d.sum()
    np.testing.assert_allclose(
        res.centres.loc[2020, ["lon", "lat"]].to_numpy(dtype=float),
        [float(lon), float(lat)],
        rtol=1e-12,
    )


def test_ellipse_by_hand() -> None:
    # points along the NE diagonal: theta = 45, sd along = sqrt(10/6), across = sqrt(1/6)
    x = np.array([0.0, 1.0, 2.0, 3.0, 1.0, 2.0])
    y = np.array([0.0, 1.0, 2.0, 3.0, 2.0, 1.0])
    out = ellipse_arrays(x, y, np.ones((1, 6)))
    np.testing.assert_allclose(out["theta"], 45.0)
    np.testing.assert_allclose(out["sigma_y"], np.sqrt(10 / 6), rtol=1e-12)
    np.testing.assert_allclose(out["sigma_x"], np.sqrt(1 / 6), rtol=1e-12)
    np.testing.assert_allclose(out["area"], np.pi * np.sqrt(10 / 36), rtol=1e-12)
    # a cross spread east-west (C = 0): theta = 90, sigma_y along east
    x2, y2 = np.array([-2.0, 2.0, 0.0, 0.0]), np.array([0.0, 0.0, -1.0, 1.0])
    out2 = ellipse_arrays(x2, y2, np.array([[1.0, 1.0, 1.0, 1.0], [1, 1, 3, 3]]))
    np.testing.assert_allclose(out2["theta"], [90.0, 90.0])
    np.testing.assert_allclose(out2["sigma_y"][0], np.sqrt(8 / 4))
    np.testing.assert_allclose(out2["sigma_x"][0], np.sqrt(2 / 4))
    np.testing.assert_allclose(out2["flattening"][0], 0.5)
    # sqrt(2) form of ArcGIS
    out3 = ellipse_arrays(x, y, np.ones((1, 6)), sqrt2=True)
    np.testing.assert_allclose(out3["sigma_y"], np.sqrt(2) * out["sigma_y"], rtol=1e-12)


def test_ellipse_equals_the_eigen_decomposition() -> None:
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=40) * 3, rng.normal(size=40)
    x, y = x * 0.8 + y * 0.6, -x * 0.6 + y * 0.8
    w = rng.random((5, 40))
    out = ellipse_arrays(x, y, w)
    for t in range(5):
        cov = np.cov(np.vstack([x, y]), aweights=w[t], bias=True)
        vals, vecs = np.linalg.eigh(cov)
        np.testing.assert_allclose([out["sigma_x"][t], out["sigma_y"][t]], np.sqrt(vals),
                                   rtol=1e-10)  # fmt: skip
        major = vecs[:, 1]  # (east, north) of the larger eigenvalue
        theta = np.degrees(np.arctan2(major[0], major[1])) % 180
        assert min(abs(theta - out["theta"][t]), 180 - abs(theta - out["theta"][t])) < 1e-8


def test_deviational_ellipses_and_outlines(panel: pd.DataFrame) -> None:
    res = deviational_ellipses(panel, "D", "code", "year")
    e = res.ellipses
    np.testing.assert_allclose(e["area_km2"], np.pi * e["sigma_x_km"] * e["sigma_y_km"])
    assert ((e["theta"] >= 0) & (e["theta"] < 180)).all()
    assert (e["lon"].between(100, 120) & e["lat"].between(25, 40)).all()
    outline = res.outlines(n_vertices=64)
    assert outline.shape == (6 * 64, 4)
    # the vertices lie on the ellipse in the projection
    from pyproj import Transformer

    to = Transformer.from_crs("EPSG:4326", res.crs, always_xy=True)
    row = e.iloc[0]
    cx, cy = to.transform(row["lon"], row["lat"])
    px, py = to.transform(outline["lon"].to_numpy()[:64], outline["lat"].to_numpy()[:64])
    th = np.radians(row["theta"])
    u = (px - cx) * np.cos(th) - (py - cy) * np.sin(th)  # across theta
    v = (px - cx) * np.sin(th) + (py - cy) * np.cos(th)  # along theta
    np.testing.assert_allclose((u / (1e3 * row["sigma_x_km"])) ** 2
                               + (v / (1e3 * row["sigma_y_km"])) ** 2, 1.0, rtol=1e-8)  # fmt: skip
    assert "without the sqrt(2)" in str(res.summary())
    arc = deviational_ellipses(panel, "D", "code", "year", sqrt2=True).ellipses
    np.testing.assert_allclose(arc["sigma_y_km"], np.sqrt(2) * e["sigma_y_km"], rtol=1e-12)


def test_bad_input(panel: pd.DataFrame) -> None:
    two = panel[panel["code"].isin(["11", "31"])]
    with pytest.raises(PanelStructureError, match="at least 3 are needed"):
        deviational_ellipses(two, "D", "code", "year")
    with pytest.raises(PanelStructureError, match="negative weights"):
        gravity_centres(panel.assign(D=panel["D"] - 0.5), "D", "code", "year")
    coords = pd.DataFrame({"lon": [116.4, 121.5], "lat": [39.9, 31.2]}, index=["11", "31"])
    with pytest.raises(SpecificationError, match="no row for 29 region"):
        gravity_centres(panel, "D", "code", "year", coordinates=coords)
    with pytest.raises(PanelStructureError, match="sums to zero"):
        gravity_centres(panel.assign(D=0.0), "D", "code", "year")


def test_centre_path_map(panel: pd.DataFrame, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from spatial.viz.maps import centre_path_map

    centres = gravity_centres(panel, "D", "code", "year")
    ellipses = deviational_ellipses(panel, "D", "code", "year")
    fig = centre_path_map(centres, ellipses, zoom=True, path=tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 0
    assert len(fig.axes) == 2
