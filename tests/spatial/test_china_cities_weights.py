"""Tests of china_cities in spatial/weights/china.py: W of the prefecture-level units.

References: libpysal 4.14 (``Queen``/``Rook.from_dataframe`` and
``Graph.build_contiguity``) on the same shipped polygons, ids matched by code; libpysal's
``KNN`` and ``DistanceBand`` with its great-circle metric (``distance_metric="Arc"``, the same
radius) on the same points; a brute-force haversine written here for the distance kinds
(R = 6371.0088 km).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from spatial.exceptions import (
    InvalidOptionError,
    SpecificationError,
    WeightsAlignmentError,
    WeightsError,
)
from spatial.geography import load_china_cities, resolve_cities
from spatial.weights.china import china_cities
from tests.spatial.neighbours import libpysal_sets, neighbour_sets

#: Units without a contiguous neighbour in the shipped polygons, and their default link
#: (the mainland unit with the nearest boundary), by layer.
ISLANDS = {
    False: {"460100": "440800", "460200": "440800", "460300": "440700", "460400": "440800"},
    True: {"460300": "469006"},  # Sansha -> Wanning, once Hainan's counties are in
}
SYMMETRIC_KINDS = ["queen", "rook", "distance", "band:1300", "negexp:200"]
ALL_KINDS = [*SYMMETRIC_KINDS, "knn", "knn:6"]


def _haversine(points: np.ndarray) -> np.ndarray:
    """Brute force, pair by pair (km)."""
    radius = 6371.0088
    n = len(points)
    out = np.zeros((n, n))
    for i in range(n):
        lon1, lat1 = np.radians(points[i])
        for j in range(i + 1, n):
            lon2, lat2 = np.radians(points[j])
            a = (
                np.sin((lat2 - lat1) / 2) ** 2
                + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
            )
            out[i, j] = out[j, i] = 2 * radius * np.arcsin(np.sqrt(a))
    return out


@pytest.fixture(scope="module", params=[False, True], ids=["337", "367"])
def layer(request):
    return request.param, load_china_cities(include_county_level=request.param)


@pytest.fixture(scope="module")
def distances() -> dict[bool, np.ndarray]:
    out = {}
    for county in (False, True):
        gdf = load_china_cities(include_county_level=county)
        out[county] = _haversine(gdf[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy())
    return out


def _dense(w, ids) -> np.ndarray:
    return w.reorder(list(ids)).sparse.toarray()


@pytest.mark.parametrize("kind", SYMMETRIC_KINDS)
def test_raw_weights_are_symmetric(layer, kind):
    county, gdf = layer
    w = china_cities(kind, include_county_level=county, transform="none")
    assert w.ids == tuple(gdf.index) and w.n == (367 if county else 337)
    assert w.is_symmetric and not w.islands
    dense = w.sparse.toarray()
    np.testing.assert_array_equal(dense, dense.T)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_rows_sum_to_one_after_row_standardization(layer, kind):
    county, _ = layer
    w = china_cities(kind, include_county_level=county)
    assert w.transform == "row" and w.is_row_standardized
    np.testing.assert_allclose(np.asarray(w.sparse.sum(axis=1)).ravel(), 1.0, rtol=1e-12)


@pytest.mark.parametrize("rook", [False, True], ids=["queen", "rook"])
def test_contiguity_equals_libpysal_weights(layer, rook):
    """Reference: libpysal.weights Queen/Rook.from_dataframe on the same polygons (exact)."""
    from libpysal.weights import Queen, Rook

    county, gdf = layer
    builder = Rook if rook else Queen
    with warnings.catch_warnings():  # libpysal warns about the islands and disconnected parts
        warnings.simplefilter("ignore")
        theirs_w = builder.from_dataframe(gdf, use_index=True)
    assert set(theirs_w.islands) == set(ISLANDS[county])
    ours = china_cities("rook" if rook else "queen", include_county_level=county, transform="none")
    ids = list(ours.ids)
    links = ISLANDS[county]
    expected = {tuple(sorted((i, j))) for i, nbrs in theirs_w.neighbors.items() for j in nbrs}
    expected |= {tuple(sorted(pair)) for pair in links.items()}
    found = {tuple(sorted((ids[i], ids[j]))) for i, j in zip(*ours.sparse.nonzero())}
    assert found == expected


@pytest.mark.parametrize("rook", [False, True], ids=["queen", "rook"])
def test_contiguity_equals_libpysal_graph(layer, rook):
    """Reference: libpysal.graph.Graph.build_contiguity (exact), islands masked."""
    from libpysal.graph import Graph

    county, gdf = layer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = Graph.build_contiguity(gdf, rook=rook)
    ours = china_cities("rook" if rook else "queen", include_county_level=county, transform="none")
    order = [list(graph.unique_ids).index(i) for i in ours.ids]
    theirs = (graph.sparse.toarray()[np.ix_(order, order)] > 0).astype(float)
    alone = np.flatnonzero(theirs.sum(axis=1) == 0)
    assert {ours.ids[i] for i in alone} == set(ISLANDS[county])
    mask = np.ones_like(theirs, dtype=bool)
    mask[alone, :] = mask[:, alone] = False
    np.testing.assert_array_equal(ours.sparse.toarray()[mask], theirs[mask])


def test_islands_are_linked_to_the_nearest_mainland_boundary(layer):
    """The documented rule, recomputed: boundary distance on one equidistant projection."""
    county, gdf = layer
    w = china_cities("queen", include_county_level=county, transform="none")
    ids = list(w.ids)
    projected = gdf.to_crs("+proj=aeqd +lat_0=18 +lon_0=112 +datum=WGS84 +units=km")
    mainland = projected.drop(index=list(ISLANDS[county]))
    for island, partner in ISLANDS[county].items():
        assert [ids[j] for j in w.sparse[ids.index(island)].indices] == [partner]
        gap = mainland.geometry.distance(projected.geometry.loc[island])
        assert gap.idxmin() == partner
        assert ids.index(island) in w.sparse[ids.index(partner)].indices  # symmetric


def test_islands_error_names_them():
    with pytest.raises(WeightsError, match=r"islands\): 460100 Haikou \(海口市\).*460400"):
        china_cities("queen", islands="error")
    with pytest.raises(WeightsError, match=r"islands\): 460300 Sansha"):
        china_cities("rook", islands="error", include_county_level=True)
    with pytest.raises(InvalidOptionError, match="islands='drop' is not supported"):
        china_cities("queen", islands="drop")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="islands='drop' is not supported"):
        china_cities("queen", cities=["北京", "天津"], islands="drop")  # type: ignore[arg-type]
    # no island, no error: a subset of contiguous units
    subset = china_cities("queen", cities=["北京", "天津", "廊坊"], islands="error")
    assert subset.ids == ("110000", "120000", "131000") and not subset.islands


def test_islands_given_as_a_mapping():
    links = {"海口": ["湛江"], "三亚": ["海口"], "Sansha": ["Sanya"], "儋州": ["海口", "湛江"]}
    w = china_cities("queen", islands=links, transform="none")
    ids = list(w.ids)

    def neighbours(code):
        return {ids[j] for j in w.sparse[ids.index(code)].indices}

    assert neighbours("460100") == {"440800", "460200", "460400"}
    assert neighbours("460300") == {"460200"}
    assert w.is_symmetric
    with pytest.raises(WeightsError, match=r"missing from `islands`: 460300 Sansha"):
        china_cities("queen", islands={"海口": ["湛江"], "三亚": ["海口"], "儋州": ["海口"]})
    from scipy.sparse.csgraph import connected_components

    county = china_cities("queen", include_county_level=True)
    assert connected_components(county.sparse)[0] == 2  # Hainan has no land link
    joined = china_cities(
        "queen", include_county_level=True, islands={"460100": ["440800"], "460300": ["469006"]}
    )
    assert connected_components(joined.sparse)[0] == 1


def test_knn_against_brute_force_haversine(layer, distances):
    county, gdf = layer
    d = distances[county].copy()
    np.fill_diagonal(d, np.inf)
    for k in (1, 4, 6):
        w = china_cities(f"knn:{k}", include_county_level=county, transform="none")
        assert (w.neighbor_counts == k).all()
        dense = _dense(w, gdf.index)
        nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
        # no ties at the k-th distance, so the sets are unique
        kth = np.sort(d, axis=1)
        assert (kth[:, k] > kth[:, k - 1]).all()
        for i in range(len(gdf)):
            assert set(np.flatnonzero(dense[i])) == set(nearest[i])
    assert china_cities("knn").n_links == 4 * 337


def test_knn_band_and_inverse_distance_equal_libpysal_arc(layer):
    from libpysal.weights import KNN, DistanceBand

    county, gdf = layer
    points = gdf[["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy()
    ids = list(gdf.index)
    arc = {"distance_metric": "Arc", "radius": 6371.0088, "ids": ids}
    for k in (1, 4, 6):
        ours = china_cities(f"knn:{k}", include_county_level=county, transform="none")
        assert neighbour_sets(ours, ids) == {
            i: set(n) for i, n in KNN.from_array(points, k=k, **arc).neighbors.items()
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal's note on the dense distance matrix
        band = DistanceBand.from_array(points, threshold=1300, binary=True, **arc)
        inverse = DistanceBand.from_array(points, threshold=20000, binary=False, alpha=-1.0, **arc)
    ours_band = china_cities("band:1300", include_county_level=county, transform="none")
    assert neighbour_sets(ours_band, ids) == libpysal_sets(band.neighbors)
    dense = _dense(china_cities("distance", include_county_level=county, transform="none"), ids)
    np.testing.assert_allclose(dense, inverse.full()[0], rtol=1e-9)


def test_distance_kinds_by_their_formulas(distances):
    d = distances[False]
    off = ~np.eye(337, dtype=bool)
    raw = china_cities("distance", power=2, transform="none").sparse.toarray()
    np.testing.assert_allclose(raw[off], d[off] ** -2.0, rtol=1e-9)
    cut = china_cities("distance", cutoff=1300, transform="none").sparse.toarray()
    assert ((cut > 0) == ((d <= 1300) & off)).all()
    band = china_cities("band:1300", transform="none").sparse.toarray()
    assert ((band == 1) == ((d <= 1300) & off)).all()
    neg = china_cities("negexp:250", transform="none").sparse.toarray()
    np.testing.assert_allclose(neg[off], np.exp(-d[off] / 250), rtol=1e-9)
    with pytest.raises(WeightsError, match="without neighbours: 460300"):
        china_cities("band:1000")  # Sansha's largest part lies in the Spratly Islands


def test_economic_kinds_by_name_and_panel():
    gdf = load_china_cities()
    values = pd.Series(np.linspace(1.0, 9.0, 337) ** 2, index=gdf["name_zh"].to_numpy())
    values = values.drop(
        ["苏州市", "宿州市", "泰州市", "台州市", "抚州市", "福州市"], errors="ignore"
    )
    by_code = pd.Series(np.linspace(1.0, 9.0, 337) ** 2, index=gdf.index)
    econ = china_cities("economic", economic=by_code, transform="none").sparse.toarray()
    x = by_code.to_numpy()
    assert econ[0, 1] == pytest.approx(1 / abs(x[0] - x[1]), rel=1e-12)
    panel = pd.Series(
        np.concatenate([x - 1.0, x + 1.0]),
        index=pd.MultiIndex.from_arrays([np.tile(gdf["name_en"].to_numpy(), 2),
                                         np.repeat([2020, 2021], 337)]),
    )  # fmt: skip
    assert resolve_cities(["Suzhou"], province=["Jiangsu"]) == ["320500"]
    with pytest.raises(SpecificationError, match="several provinces"):
        china_cities("economic", economic=panel)  # two Suzhous in the English names
    by_name = pd.Series(np.tile(x, 2), index=pd.MultiIndex.from_arrays(
        [np.tile(gdf.index.to_numpy(), 2), np.repeat([2020, 2021], 337)]))  # fmt: skip
    np.testing.assert_allclose(
        china_cities("economic", economic=by_name).sparse.toarray(),
        china_cities("economic", economic=by_code).sparse.toarray(),
        rtol=1e-12,
    )
    nested = china_cities("economic_geographic", economic=by_code, phi=0.3)
    expected = (
        0.3 * china_cities("distance").sparse.toarray()
        + 0.7 * china_cities("economic", economic=by_code).sparse.toarray()
    )
    np.testing.assert_allclose(nested.sparse.toarray(), expected, rtol=1e-12)
    with pytest.raises(WeightsAlignmentError, match="`economic` has no value for 320500"):
        china_cities("economic", economic=values)
    with pytest.raises(SpecificationError, match="needs `economic`: one value per city"):
        china_cities("economic")


def test_subsets_and_kind_errors():
    subset = china_cities("knn:2", cities=["苏州", "无锡", "常州", "南京", "上海"])
    assert subset.ids == ("320500", "320200", "320400", "320100", "310000")
    with pytest.raises(WeightsAlignmentError, match=r"429004.*include_county_level=True"):
        china_cities("queen", cities=["武汉", "仙桃"])
    assert china_cities("queen", cities=["武汉", "仙桃"], include_county_level=True).n == 2
    with pytest.raises(InvalidOptionError, match="kind='grid' is not supported"):
        china_cities("grid")
    with pytest.raises(InvalidOptionError, match="kind='queen:2' is not supported"):
        china_cities("queen:2")
    with pytest.raises(SpecificationError, match="'x' is not a positive integer"):
        china_cities("knn:x")
    with pytest.raises(SpecificationError, match=r"'2\.5' is not a positive integer"):
        china_cities("knn:2.5")
    with pytest.raises(SpecificationError, match="'-3' is not a positive distance in km"):
        china_cities("band:-3")
    with pytest.raises(InvalidOptionError, match="is not supported"):
        china_cities("band")


def test_points_seat_uses_the_government_seats():
    gdf = load_china_cities()
    d = _haversine(gdf[["seat_lon", "seat_lat"]].to_numpy())
    off = ~np.eye(337, dtype=bool)
    raw = china_cities("distance", points="seat", transform="none").sparse.toarray()
    np.testing.assert_allclose(raw[off], 1 / d[off], rtol=1e-9)
    band = china_cities("band:1000", points="seat", transform="none")
    assert ((band.sparse.toarray() == 1) == ((d <= 1000) & off)).all()
    # Sansha's seat is on Yongxing Island: its nearest unit is Sanya, 339 km away
    knn1 = china_cities("knn:1", points="seat", transform="none")
    sansha, sanya = gdf.index.get_loc("460300"), gdf.index.get_loc("460200")
    assert knn1.sparse[sansha].indices.tolist() == [sanya]
    assert d[sansha, sanya] == pytest.approx(339.2, abs=0.5)
    # the default is the largest part's centroid; contiguity ignores points
    centroid = china_cities("distance", transform="none").sparse.toarray()
    assert (centroid == china_cities("distance", points="centroid",
                                     transform="none").sparse.toarray()).all()  # fmt: skip
    assert not np.allclose(centroid, raw)
    queen = china_cities("queen", points="seat", transform="none")
    assert (queen.sparse != china_cities("queen", transform="none").sparse).nnz == 0
    with pytest.raises(InvalidOptionError, match="points"):
        china_cities("knn", points="capital")  # type: ignore[arg-type]
