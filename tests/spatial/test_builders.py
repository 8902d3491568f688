"""Tests of spatial/weights/builders.py, io.py and china.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spatial.exceptions import (
    InvalidOptionError,
    SpecificationError,
    WeightsAlignmentError,
    WeightsError,
)
from spatial.geography import load_china_provinces, province_codes
from spatial.weights import (
    china_provinces,
    contiguity,
    distance_band,
    economic_distance,
    economic_geographic,
    great_circle_distances,
    inverse_distance,
    knn,
    negative_exponential,
    read_weights,
    write_weights,
)
from tests.shared_data import shared_path


def test_known_facts_of_provincial_contiguity():
    """68 land borders among the 31 units, plus the Hainan-Guangdong convention link."""
    w = china_provinces("queen", transform="none")
    assert w.n == 31 and w.is_symmetric
    assert w.n_links // 2 == 69
    counts = w.neighbor_counts
    assert counts["15"] == 8 and counts["61"] == 8  # Inner Mongolia, Shaanxi
    assert counts["46"] == 1 and w.sparse[list(w.ids).index("46")].indices.tolist() == [
        list(w.ids).index("44")
    ]
    with pytest.raises(WeightsError, match="islands\\): 46"):
        china_provinces("queen", islands="error")
    nearest = china_provinces("queen", islands="nearest", transform="none")
    assert nearest.n_links == w.n_links  # the nearest boundary to Hainan is Guangdong's
    assert china_provinces("rook", transform="none").n_links == w.n_links  # no point contacts


def test_queen_matches_the_shared_edge_list():
    path = shared_path("china_geo", "adjacency_cn31_edges.csv")
    edges = pd.read_csv(path, dtype={"code_i": str, "code_j": str})
    w = china_provinces("queen", transform="none")
    ids = list(w.ids)
    ours = {tuple(sorted((ids[i], ids[j]))) for i, j in zip(*w.sparse.nonzero())}
    theirs = {tuple(sorted(p)) for p in edges[["code_i", "code_j"]].itertuples(index=False)}
    assert ours == theirs


def test_great_circle_distance_by_hand():
    # Beijing (116.4, 39.9) to Shanghai (121.47, 31.23): about 1,067 km
    d = great_circle_distances([[116.4, 39.9], [121.47, 31.23]])
    lon1, lat1, lon2, lat2 = np.radians([116.4, 39.9, 121.47, 31.23])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    assert d[0, 1] == pytest.approx(2 * 6371.0088 * np.arcsin(np.sqrt(h)), rel=1e-12)
    assert d[0, 1] == pytest.approx(1067, abs=5) and d[0, 0] == 0


def _points() -> tuple[np.ndarray, list[str]]:
    gdf = load_china_provinces()
    return gdf[["capital_lon", "capital_lat"]].to_numpy(), list(gdf.index)


def test_distance_builders_by_their_formulas():
    xy, ids = _points()
    d = great_circle_distances(xy)
    raw = inverse_distance(xy, ids, power=2, transform="none").sparse.toarray()
    off = ~np.eye(31, dtype=bool)
    np.testing.assert_allclose(raw[off], d[off] ** -2.0, rtol=1e-12)
    threshold = np.where(off, d, np.inf).min(axis=1).max() + 1.0  # everyone has a neighbour
    cut = inverse_distance(xy, ids, cutoff=threshold, transform="none").sparse.toarray()
    assert ((cut > 0) == ((d <= threshold) & off)).all()
    band = distance_band(xy, ids, threshold, transform="none").sparse.toarray()
    assert ((band == 1) == ((d <= threshold) & off)).all()
    neg = negative_exponential(xy, ids, scale=500, transform="none").sparse.toarray()
    np.testing.assert_allclose(neg[off], np.exp(-d[off] / 500), rtol=1e-12)
    w4 = knn(xy, ids, k=4, transform="none")
    assert (w4.neighbor_counts == 4).all()
    nearest = np.argsort(np.where(off, d, np.inf), axis=1)[:, :4]
    assert all(set(w4.sparse[i].indices) == set(nearest[i]) for i in range(31))
    assert inverse_distance(xy, ids).is_row_standardized


def test_economic_weights():
    values = pd.Series(np.linspace(1.0, 4.0, 31) ** 2, index=province_codes())
    w = economic_distance(values, transform="none").sparse.toarray()
    x = values.to_numpy()
    np.testing.assert_allclose(w[0, 1], 1 / abs(x[0] - x[1]), rtol=1e-12)
    geo = china_provinces("distance")
    nested = economic_geographic(geo, economic_distance(values), phi=0.3, transform="none")
    expected = 0.3 * geo.sparse.toarray() + 0.7 * economic_distance(values).sparse.toarray()
    np.testing.assert_allclose(nested.sparse.toarray(), expected, rtol=1e-12)
    by_name = values.rename(index=dict(zip(province_codes(), load_china_provinces()["name_en"])))
    one_liner = china_provinces("economic_geographic", economic=by_name, phi=0.3)
    np.testing.assert_allclose(one_liner.sparse.toarray(),
                               nested.standardize("row").sparse.toarray(), rtol=1e-12)  # fmt: skip


def test_economic_weights_average_a_panel_over_its_years():
    codes = list(province_codes())
    panel = pd.Series(
        np.concatenate([np.linspace(1, 4, 31), np.linspace(3, 6, 31)]),
        index=pd.MultiIndex.from_product([[2020, 2021], codes]).swaplevel(),
    )
    averaged = panel.groupby(level=0).mean()
    np.testing.assert_allclose(
        china_provinces("economic", economic=panel).sparse.toarray(),
        china_provinces("economic", economic=averaged).sparse.toarray(),
        rtol=1e-12,
    )


def test_builder_errors():
    xy, ids = _points()
    with pytest.raises(WeightsError, match="Tied economic values"):
        economic_distance(pd.Series([1.0, 2.0, 1.0], index=["a", "b", "c"]))
    with pytest.raises(WeightsError, match=r"Zero distances between distinct units \(a, b\)"):
        inverse_distance([[1.0, 2.0], [1.0, 2.0], [3.0, 4.0]], ["a", "b", "c"])
    with pytest.raises(WeightsError, match="without neighbours"):
        distance_band(xy, ids, 10)
    with pytest.raises(SpecificationError, match="k must be between 1 and 30"):
        knn(xy, ids, k=31)
    with pytest.raises(SpecificationError, match="needs `economic`"):
        china_provinces("economic")
    with pytest.raises(WeightsAlignmentError, match=r"71.*not among the 31"):
        china_provinces(provinces=["11", "Taiwan"])
    with pytest.raises(InvalidOptionError, match="kind='grid' is not supported"):
        china_provinces("grid")  # type: ignore[arg-type]


def test_geodataframe_checks():
    gdf = load_china_provinces()
    with pytest.raises(SpecificationError, match="no CRS"):
        contiguity(gdf.set_crs(None, allow_override=True))
    from shapely.geometry import Polygon

    broken = gdf.copy()
    broken.loc["11", "geometry"] = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])  # bow tie
    with pytest.raises(SpecificationError, match="Invalid or missing geometries for 11"):
        contiguity(broken)
    subset = china_provinces(provinces=["Beijing", "天津", "Hebei"])
    assert subset.ids == ("11", "12", "13") and subset.n_links == 6


@pytest.mark.parametrize("suffix", [".gal", ".gwt", ".csv"])
def test_files_round_trip(tmp_path, suffix):
    w = china_provinces("queen") if suffix != ".gal" else china_provinces("queen", transform="none")
    path = write_weights(w, tmp_path / f"w{suffix}")
    back = read_weights(path, ids=w.ids)
    expected = w.sparse.toarray()
    if suffix == ".gal":  # neighbour lists only
        expected = (expected > 0).astype(float)
    # GWT files keep six decimals
    np.testing.assert_allclose(back.sparse.toarray(), expected, rtol=1e-12,
                               atol=1e-6 if suffix == ".gwt" else 0)  # fmt: skip
    with pytest.raises(SpecificationError, match="Unknown weights format"):
        write_weights(w, tmp_path / "w.txt")
    with pytest.raises(SpecificationError, match="No weights file"):
        read_weights(tmp_path / "missing.gal")


@pytest.mark.parametrize("rook", [False, True])
def test_contiguity_equals_libpysal_on_the_province_polygons(rook):
    """Reference: libpysal's Graph.build_contiguity on the same 34 polygons (exact)."""
    from libpysal.graph import Graph

    provinces = load_china_provinces(include_other=True)
    ours = contiguity(provinces, rook=rook, islands="nearest", transform="none")
    graph = Graph.build_contiguity(provinces, rook=rook)
    order = [list(graph.unique_ids).index(i) for i in ours.ids]
    theirs = (graph.sparse.toarray()[np.ix_(order, order)] > 0).astype(float)
    alone = np.flatnonzero(theirs.sum(axis=1) == 0)
    assert list(ours.ids).index("46") in alone  # Hainan has no land border
    mask = np.ones_like(theirs, dtype=bool)
    mask[alone, :] = mask[:, alone] = False  # islands are linked by the 'nearest' rule
    np.testing.assert_array_equal(ours.sparse.toarray()[mask], theirs[mask])
