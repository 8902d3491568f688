"""Tests of spatial/exploratory/hotspots.py: Getis-Ord Gi* by year.

References: esda 2.8 ``G_Local(star=True, permutations=0)`` (its analytical part, pure
numpy) for G, E[G], z and p_norm at rtol=1e-10, with binary (``transform="B"``) and
row-standardized (``"R"``) star weights; for ``p_sim``, the exact conditional
permutation distribution enumerated on 5 units (within 4 sampling sd), and (``slow``:
numba compiles for ~20 s) esda's own ``crand`` within sampling error.
"""

from __future__ import annotations

import itertools
import warnings

import esda
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from spatial.exceptions import InvalidOptionError, PanelStructureError, WeightsError
from spatial.exploratory.hotspots import (
    HOTSPOT_LABELS,
    GiStarResults,
    gi_star,
    gi_star_arrays,
    hotspot_bins,
)
from spatial.weights import china_provinces


@pytest.fixture(scope="module")
def values() -> np.ndarray:
    return np.random.default_rng(7).lognormal(size=(6, 31))


@pytest.fixture(scope="module")
def panel(values: np.ndarray) -> pd.DataFrame:
    ids = [str(i) for i in china_provinces("queen").ids]
    return pd.DataFrame({"code": np.tile(ids, 6), "year": np.repeat(np.arange(2018, 2024), 31),
                         "D": values.ravel()})  # fmt: skip


def _esda(
    y: np.ndarray, transform: str, permutations: int = 0, seed: int | None = None
) -> esda.G_Local:
    wl = china_provinces("queen").to_libpysal()
    wl.transform = "B"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(y, wl, transform=transform, star=True, permutations=permutations,
                            seed=seed, n_jobs=1)  # fmt: skip


@pytest.mark.parametrize(("weights", "transform"), [("binary", "B"), ("row", "R")])
def test_statistics_match_esda(values: np.ndarray, weights: str, transform: str) -> None:
    w = china_provinces("queen").matrix
    out = gi_star_arrays(values, w, weights=weights, permutations=0, rng=np.random.default_rng(0))  # type: ignore[arg-type]
    for t, y in enumerate(values):
        ref = _esda(y, transform)
        np.testing.assert_allclose(out.G[t], ref.Gs, rtol=1e-10)
        np.testing.assert_allclose(out.EG[t], ref.EGs, rtol=1e-10)
        np.testing.assert_allclose(out.z[t], ref.Zs, rtol=1e-10)
        np.testing.assert_allclose(out.p_norm[t], ref.p_norm, rtol=1e-10)
    assert np.isnan(out.p_sim).all()


def test_binary_z_is_ord_getis_formula(values: np.ndarray) -> None:
    # Ord and Getis (1995): z = (sum_j w_ij y_j - ybar W_i) / (s sqrt((n W_i - W_i^2)/(n-1)))
    w = china_provinces("queen").matrix
    star = (w != 0).astype(np.float64) + sparse.eye(31)
    out = gi_star_arrays(values, w, permutations=0, rng=np.random.default_rng(0))
    for t, y in enumerate(values):
        wi = np.asarray(star.sum(axis=1)).ravel()
        s = np.sqrt((y**2).mean() - y.mean() ** 2)
        z = (star @ y - y.mean() * wi) / (s * np.sqrt((31 * wi - wi**2) / 30))
        np.testing.assert_allclose(out.z[t], z, rtol=1e-10)


def _directed_moments(probs: np.ndarray, permutations: int) -> tuple[float, float]:
    """Mean and sd of p_sim = (min(#above, #below) + #ties + 1)/(P + 1) under the
    multinomial law of the P draws (400,000 Monte Carlo draws of the counts)."""
    counts = np.random.default_rng(0).multinomial(permutations, probs, size=400_000)
    p = (np.minimum(counts[:, 0], counts[:, 2]) + counts[:, 1] + 1.0) / (permutations + 1.0)
    return float(p.mean()), float(p.std())


@pytest.mark.parametrize("weights", ["binary", "row"])
def test_p_sim_matches_the_exact_permutation_distribution(weights: str) -> None:
    dense = np.array([[0, 1, 1, 0, 1], [1, 0, 0, 1, 0], [1, 0, 0, 1, 0], [0, 1, 1, 0, 1],
                      [1, 0, 0, 1, 0]], dtype=float)  # fmt: skip
    w = sparse.csr_matrix(dense)
    y = np.random.default_rng(3).lognormal(size=(2, 5))
    permutations = 20_000
    res = gi_star_arrays(y, w, weights=weights, permutations=permutations,  # type: ignore[arg-type]
                         rng=np.random.default_rng(11))  # fmt: skip
    for t in range(2):
        for i in range(5):
            cols = np.flatnonzero(dense[i])
            k = cols.size
            ws = 1.0 if weights == "binary" else 1.0 / (k + 1)
            others = [j for j in range(5) if j != i]
            sims = np.array([(ws * y[t, i] + ws * y[t, list(d)].sum()) / y[t].sum()
                             for d in itertools.permutations(others, k)])  # fmt: skip
            tie = np.isclose(sims, res.G[t, i], rtol=1e-12, atol=0.0)
            assert tie.any()
            side = np.where(tie, 1, np.where(sims > res.G[t, i], 2, 0))
            mean, sd = _directed_moments(np.bincount(side, minlength=3) / side.size, permutations)
            assert abs(res.p_sim[t, i] - mean) <= 4 * sd + 0.5 / (permutations + 1), (t, i)
            se = sims.std() / np.sqrt(permutations)
            assert abs(res.EG_sim[t, i] - sims.mean()) <= 4 * se + 1e-12


@pytest.mark.slow
def test_p_sim_agrees_with_esda_crand(values: np.ndarray) -> None:
    """esda's own numba crand (compiles for ~20 s), 9,999 permutations."""
    permutations = 9_999
    res = gi_star_arrays(values[:2], china_provinces("queen").matrix, permutations=permutations,
                         rng=np.random.default_rng(5))  # fmt: skip
    for t in range(2):
        ref = _esda(values[t], "B", permutations, seed=100 + t)
        ties = np.isclose(ref.rGs, ref.Gs[:, None], rtol=1e-12, atol=0.0).mean(axis=1)
        p = res.p_sim[t]
        tol = 4 * np.sqrt(2 * p * (1 - p) / permutations) + 2 / (permutations + 1) + ties
        assert (np.abs(p - ref.p_sim) <= tol).all()


def test_seeded_reproducible_and_global_state_untouched(panel: pd.DataFrame) -> None:
    w = china_provinces("queen")
    state = np.random.RandomState(123).get_state()
    np.random.set_state(state)  # noqa: NPY002 - the global state must stay untouched
    before = np.random.random(3)  # noqa: NPY002
    np.random.set_state(state)  # noqa: NPY002
    a = gi_star(panel, "D", w, "code", "year", seed=1)
    b = gi_star(panel, "D", w, "code", "year", seed=1)
    np.testing.assert_array_equal(np.random.random(3), before)  # noqa: NPY002
    pd.testing.assert_frame_equal(a.table, b.table)
    c = gi_star(panel, "D", w, "code", "year", seed=2)
    assert not np.array_equal(a.table["p_sim"], c.table["p_sim"])


def test_table_classes_and_frozen(panel: pd.DataFrame) -> None:
    copy = panel.copy()
    res = gi_star(panel, "D", china_provinces("queen"), "code", "year")
    pd.testing.assert_frame_equal(panel, copy)  # nothing the user passes is modified
    assert isinstance(res, GiStarResults)
    table = res.table
    assert list(table.columns[:9]) == ["code", "year", "D", "G", "E_G", "z", "p_norm", "p_sim",
                                       "z_sim"]  # fmt: skip
    assert len(table) == 186
    expected = hotspot_bins(table["z"].to_numpy(), table["p_sim"].to_numpy())
    np.testing.assert_array_equal(table["bin"], expected)
    np.testing.assert_array_equal(
        table["class"].astype(str), np.asarray(HOTSPOT_LABELS)[3 - expected]
    )
    assert res.counts().to_numpy().sum() == 186
    assert res.counts("zh").columns[0] == "热点（99%）"
    assert "Hot and cold spots" in str(res.summary())
    table.loc[0, "G"] = -1.0
    assert res.table.loc[0, "G"] != -1.0
    norm = gi_star(panel, "D", china_provinces("queen"), "code", "year", permutations=0,
                   inference="norm")  # fmt: skip
    z, p = norm.table["z"].to_numpy(), 2 * norm.table["p_norm"].to_numpy()
    np.testing.assert_array_equal(norm.table["bin"], hotspot_bins(z, p))
    # ArcGIS's critical values: |z| >= 1.645 / 1.960 / 2.576
    assert (np.abs(z[np.abs(norm.table["bin"]) == 3]) >= 2.5758).all()
    assert (np.abs(z[norm.table["bin"] == 0]) < 1.6449).all()


def test_bad_input(panel: pd.DataFrame) -> None:
    w = china_provinces("queen")
    negative = panel.assign(D=panel["D"] - 1.0)
    with pytest.raises(PanelStructureError, match="non-negative values"):
        gi_star(negative, "D", w, "code", "year")
    with pytest.raises(InvalidOptionError, match="needs permutations >= 1"):
        gi_star(panel, "D", w, "code", "year", permutations=0)
    with pytest.raises(InvalidOptionError, match="choose one of 'binary', 'row'"):
        gi_star(panel, "D", w, "code", "year", weights="kernel")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="choose one of 'sim', 'norm'"):
        gi_star(panel, "D", w, "code", "year", inference="z")  # type: ignore[arg-type]
    with pytest.raises(WeightsError, match="negative weights"):
        gi_star_arrays(np.ones((1, 3)) + np.eye(3)[:1], -sparse.eye(3, k=1, format="csr"),
                       permutations=0, rng=np.random.default_rng(0))  # fmt: skip
    with pytest.raises(PanelStructureError, match="constant"):
        gi_star(panel.assign(D=1.0), "D", w, "code", "year")


def test_hotspot_map(panel: pd.DataFrame) -> None:
    from spatial.viz.maps import hotspot_map

    res = gi_star(panel, "D", china_provinces("queen"), "code", "year")
    fig = hotspot_map(res, [2022, 2023])
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.get_title()]) == 2
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0].startswith("hot spot 99%") and labels[-1] == "No data"  # TW, HK, MO
