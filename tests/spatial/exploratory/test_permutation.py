"""Tests of spatial/exploratory/permutation.py: local Moran's I with conditional permutations.

References: esda 2.8 ``Moran_Local`` with ``permutations=0`` (its analytical part, which
skips the numba ``crand``) for the statistics and moments, at rtol=1e-10; for the
permutation inference, the exact conditional permutation distribution enumerated on 5
units, a plain-loop re-implementation of esda's ``crand`` / ``_moran_local_crand`` on the
31 provinces, and (``slow``: numba compiles for about 20 s) esda's ``crand`` itself. Pseudo
p-values and simulated moments are compared within 4 sampling standard errors.
"""

from __future__ import annotations

import itertools
import tracemalloc
import warnings

import esda
import libpysal
import numpy as np
import pytest
from libpysal.weights import lag_spatial
from scipy import sparse, stats
from scipy.spatial import cKDTree

from spatial.exceptions import (
    InvalidOptionError,
    MissingValueError,
    PanelStructureError,
    WeightsError,
)
from spatial.exploratory.permutation import (
    LocalMoranArrays,
    _simulated_lags,
    local_moran_arrays,
)
from spatial.weights import china_provinces

INFERENCE = ("p_sim", "EI_sim", "seI_sim", "z_sim", "p_z_sim")


# ----------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def provinces() -> tuple[sparse.csr_matrix, libpysal.weights.W]:
    """Row-standardized queen contiguity of the 31 provinces (CSR) and the same libpysal W."""
    w = china_provinces("queen")
    return sparse.csr_matrix(w.sparse), w.to_libpysal()


@pytest.fixture(scope="module")
def values() -> np.ndarray:
    """Three cross-sections of 31 lognormal values."""
    return np.random.default_rng(20240601).lognormal(size=(3, 31))


def _esda_local(y: np.ndarray, wlib: libpysal.weights.W, transformation: str) -> esda.Moran_Local:
    """esda's analytical local Moran (no permutations, so no numba compilation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.Moran_Local(y, wlib, transformation=transformation, permutations=0)


def _knn(n: int, k: int, seed: int) -> sparse.csr_matrix:
    """Row-standardized k-nearest-neighbour weights of n random points."""
    points = np.random.default_rng(seed).random((n, 2))
    _, idx = cKDTree(points).query(points, k=k + 1)
    rows = np.repeat(np.arange(n), k)
    return sparse.csr_matrix((np.full(n * k, 1.0 / k), (rows, idx[:, 1:].ravel())), (n, n))


def _reference_sims(
    z: np.ndarray, w: sparse.csr_matrix, permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """esda's crand for Moran_Local written plainly: (N, P) simulated I_i.

    As ``esda.crand.compute_chunk`` with ``_moran_local_crand``: k_i indices drawn without
    replacement from the N - 1 other units (``z_no_i``), paired with the stored weights of
    row i, ``zi * (zrand @ w_i) * scaling`` with ``scaling = (n - 1) / sum(z**2)``.
    """
    n = z.size
    scaling = (n - 1) / (z * z).sum()
    sims = np.full((n, permutations), np.nan)
    for i in range(n):
        weights = w.data[w.indptr[i] : w.indptr[i + 1]]
        z_no_i = np.delete(z, i)
        for r in range(permutations):
            ids = rng.choice(n - 1, size=weights.size, replace=False)
            sims[i, r] = z[i] * (z_no_i[ids] @ weights) * scaling
    return sims


def _directed_larger(sims: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """esda's folded count, min(#{sim >= I}, #{sim < I}), with values equal to I up to
    rounding counted in both tails (our rule): min(#{sim >= I}, #{sim <= I})."""
    ties = np.isclose(sims, observed[:, None], rtol=1e-12, atol=0.0)
    above = ((sims >= observed[:, None]) | ties).sum(axis=1)
    below = ((sims <= observed[:, None]) | ties).sum(axis=1)
    return np.minimum(above, below)


def _directed_moments(probs: np.ndarray, permutations: int) -> tuple[float, float]:
    """Mean and sd of p_sim = (min(#above + #ties, #below + #ties) + 1)/(P + 1) when the
    P simulated values fall below, on, or above I with probabilities ``probs``
    (the multinomial law of the counts, by 400,000 Monte Carlo draws of it)."""
    counts = np.random.default_rng(0).multinomial(permutations, probs, size=400_000)
    p = (np.minimum(counts[:, 0], counts[:, 2]) + counts[:, 1] + 1.0) / (permutations + 1.0)
    return float(p.mean()), float(p.std())


def _sd_standard_error(sims: np.ndarray, permutations: int) -> np.ndarray:
    """Large-sample standard error of the sd (ddof 0) of ``permutations`` draws from the
    distribution of each row of ``sims``: sqrt((m4 - m2**2) / (4 m2 P))."""
    centred = sims - sims.mean(axis=-1, keepdims=True)
    m2 = (centred**2).mean(axis=-1)
    m4 = (centred**4).mean(axis=-1)
    return np.sqrt(np.maximum(m4 - m2**2, 0.0) / (4.0 * m2 * permutations))


# ------------------------------------------------------------------ analytical (esda)
@pytest.mark.parametrize("transformation", ["r", "b"])
def test_statistics_and_moments_match_esda(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W],
    values: np.ndarray,
    transformation: str,
) -> None:
    w, _ = provinces
    wlib = china_provinces("queen").to_libpysal()
    if transformation == "b":
        w = sparse.csr_matrix((w != 0).astype(np.float64))
    res = local_moran_arrays(values, w, permutations=0, rng=np.random.default_rng(0))
    assert isinstance(res, LocalMoranArrays)
    for t, y in enumerate(values):
        lm = _esda_local(y, wlib, transformation)
        assert not hasattr(lm, "p_sim")  # permutations=0: esda skipped crand (and numba)
        z_rand = (lm.Is - lm.EI) / np.sqrt(lm.VI)
        expected = {
            "Is": lm.Is,
            "z": lm.z,
            "lag": lag_spatial(lm.w, lm.z),
            "EI": lm.EI,
            "VI": lm.VI,
            "z_rand": z_rand,
            "p_rand": stats.norm.sf(np.abs(z_rand)),
        }
        for name, target in expected.items():
            np.testing.assert_allclose(getattr(res, name)[t], target, rtol=1e-10, err_msg=name)
        np.testing.assert_array_equal(res.quadrant[t], lm.q)
    for name in ("Is", "z", "lag", "quadrant", "EI", "VI", "z_rand", "p_rand", *INFERENCE):
        assert getattr(res, name).shape == values.shape
    assert res.quadrant.dtype.kind == "i"


def test_quadrant_ties_at_zero_follow_esda() -> None:
    # binary path of 7 units; z = 0 at units 0, 2, 4 and lag = 0 at units 1, 2, 3:
    # z = 0 < lag (LH), lag = 0 < z (HL), z = lag = 0 (LL), z < 0 = lag (LL), ...
    y = np.array([[0.0, 1.0, 0.0, -1.0, 0.0, -1.0, 1.0]])
    path = sparse.diags([np.ones(6), np.ones(6)], [-1, 1], format="csr")
    res = local_moran_arrays(y, path, permutations=0, rng=np.random.default_rng(0))
    wlib = libpysal.weights.W({i: [j for j in (i - 1, i + 1) if 0 <= j < 7] for i in range(7)})
    lm = _esda_local(y[0], wlib, "b")
    np.testing.assert_array_equal(res.z[0] == 0, [True, False, True, False, True, False, False])
    np.testing.assert_array_equal(res.lag[0] == 0, [False, True, True, True, False, False, False])
    np.testing.assert_array_equal(res.quadrant[0], lm.q)
    assert res.quadrant[0].tolist() == [2, 4, 3, 3, 3, 2, 4]


# ------------------------------------------------------------- permutation inference
def test_draws_are_uniform_ordered_samples_without_replacement() -> None:
    # 4 candidates (unit 2 is the unit itself) with z = 0, 1, 2, 3 and weights 1, 4, 16:
    # the lag encodes the ordered triple in base 4, so each of the 4*3*2 = 24 triples
    # must appear with frequency 1/24, and the unit itself (z = 1000) never.
    z_flat = np.array([0.0, 1.0, 1000.0, 2.0, 3.0])
    permutations = 24_000
    uniforms = np.random.default_rng(7).random((3, permutations))
    lag = _simulated_lags(
        z_flat,
        np.zeros((1, 1), dtype=np.int64),
        np.full((1, 1), 2),
        np.array([[1.0, 4.0, 16.0]]),
        uniforms,
        np.array([[0, 1, 2]]),
        5,
    )[0]
    assert lag.max() < 1000.0
    digits = np.stack([lag % 4, lag // 4 % 4, lag // 16], axis=1).astype(int)
    assert (np.sort(digits, axis=1)[:, 1:] != np.sort(digits, axis=1)[:, :-1]).all()
    codes = np.unique(lag, return_counts=True)[1]
    assert codes.size == 24
    assert stats.chisquare(codes).pvalue > 1e-3


def test_pseudo_p_values_match_the_exact_permutation_distribution() -> None:
    # 5 units, k_i = 1, 2 or 3, equal and unequal weights: every ordered draw is enumerated
    dense = np.array(
        [
            [0.0, 0.5, 0.3, 0.0, 0.2],
            [0.8, 0.0, 0.0, 0.2, 0.0],
            [0.0, 0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.5, 0.0, 0.5],
            [1.0, 1.0, 0.0, 1.0, 0.0],
        ]
    )
    w = sparse.csr_matrix(dense)
    y = np.random.default_rng(3).lognormal(size=(3, 5))
    permutations = 20_000
    res = local_moran_arrays(y, w, permutations=permutations, rng=np.random.default_rng(11))
    n = 5
    for t in range(y.shape[0]):
        z = res.z[t]
        scaling = (n - 1) / (z * z).sum()
        for i in range(n):
            cols = w.indices[w.indptr[i] : w.indptr[i + 1]]
            weights = w.data[w.indptr[i] : w.indptr[i + 1]]
            others = [j for j in range(n) if j != i]
            draws = itertools.permutations(others, cols.size)
            sims = np.array([z[i] * (z[list(d)] @ weights) * scaling for d in draws])
            observed = res.Is[t, i]
            tie = np.isclose(sims, observed, rtol=1e-12, atol=0.0)
            assert tie.any()  # the observed neighbours are one of the draws
            side = np.where(tie, 1, np.where(sims > observed, 2, 0))
            mean, sd = _directed_moments(np.bincount(side, minlength=3) / side.size, permutations)
            assert abs(res.p_sim[t, i] - mean) <= 4 * sd + 0.5 / (permutations + 1), (t, i)
            se_mean = sims.std() / np.sqrt(permutations)
            assert abs(res.EI_sim[t, i] - sims.mean()) <= 4 * se_mean + 1e-12, (t, i)
            se_sd = _sd_standard_error(sims, permutations)
            assert abs(res.seI_sim[t, i] - sims.std()) <= 4 * se_sd + 1e-12, (t, i)


@pytest.mark.parametrize("binary", [False, True])
def test_inference_agrees_with_a_plain_reimplementation_of_esda_crand(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray, binary: bool
) -> None:
    w, _ = provinces
    if binary:
        w = sparse.csr_matrix((w != 0).astype(np.float64))
    y = values[:1] if binary else values[:2]
    permutations = 2_000
    res = local_moran_arrays(y, w, permutations=permutations, rng=np.random.default_rng(21))
    reference_rng = np.random.default_rng(99)
    for t in range(y.shape[0]):
        sims = _reference_sims(res.z[t], w, permutations, reference_rng)
        p_ref = (_directed_larger(sims, res.Is[t]) + 1.0) / (permutations + 1.0)
        p = res.p_sim[t]
        tol = 4 * np.sqrt(2 * p * (1 - p) / permutations) + 2 / (permutations + 1)
        assert (np.abs(p - p_ref) <= tol).all(), np.abs(p - p_ref) / tol
        sd = sims.std(axis=1)
        assert (
            np.abs(res.EI_sim[t] - sims.mean(axis=1)) <= 4 * np.sqrt(2 / permutations) * sd
        ).all()
        se_sd = _sd_standard_error(sims, permutations)
        assert (np.abs(res.seI_sim[t] - sd) <= 4 * np.sqrt(2) * se_sd).all()
    # esda's definitions of z_sim and p_z_sim from EI_sim and seI_sim
    np.testing.assert_allclose(res.z_sim, (res.Is - res.EI_sim) / res.seI_sim, rtol=1e-12)
    np.testing.assert_allclose(res.p_z_sim, stats.norm.sf(np.abs(res.z_sim)), rtol=1e-12)


@pytest.mark.slow
def test_inference_agrees_with_esda_crand(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    """esda's own numba crand (compiles for ~20 s), 9,999 permutations, seeded."""
    w, _ = provinces
    permutations = 9_999
    res = local_moran_arrays(values, w, permutations=permutations, rng=np.random.default_rng(5))
    for t, y in enumerate(values):
        wlib = china_provinces("queen").to_libpysal()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lm = esda.Moran_Local(
                y, wlib, transformation="o", permutations=permutations, seed=12345 + t, n_jobs=1
            )
        sims = lm.sim.T
        # esda puts a simulated value equal to I in the upper tail, or in no tail, by the
        # rounding of its sums; ours counts in both: the p-values may differ by the share
        # of such ties (1/30 for Hainan, whose one neighbour is drawn with probability 1/30)
        ties = np.isclose(sims, lm.Is[:, None], rtol=1e-12, atol=0.0).mean(axis=1)
        p = res.p_sim[t]
        tol = 4 * np.sqrt(2 * p * (1 - p) / permutations) + 2 / (permutations + 1) + ties
        assert (np.abs(p - lm.p_sim) <= tol).all(), np.abs(p - lm.p_sim) / tol
        se_mean = np.sqrt(2 / permutations) * lm.seI_sim
        assert (np.abs(res.EI_sim[t] - lm.EI_sim) <= 4 * se_mean).all()
        assert (
            np.abs(res.seI_sim[t] - lm.seI_sim)
            <= 4 * np.sqrt(2) * _sd_standard_error(sims, permutations)
        ).all()


# ------------------------------------------------------------ seeding and randomness
def test_seeding_is_reproducible_and_leaves_the_global_state_alone(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    w, _ = provinces
    before = np.random.get_state()  # noqa: NPY002 - checking that it is not touched
    first = local_moran_arrays(values, w, permutations=199, rng=np.random.default_rng(8))
    again = local_moran_arrays(values, w, permutations=199, rng=np.random.default_rng(8))
    other = local_moran_arrays(values, w, permutations=199, rng=np.random.default_rng(9))
    after = np.random.get_state()  # noqa: NPY002
    assert before[0] == after[0] and before[2:] == after[2:]
    np.testing.assert_array_equal(before[1], after[1])
    for name in ("Is", "quadrant", "EI", "VI", *INFERENCE):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name), err_msg=name)
    assert not np.array_equal(first.p_sim, other.p_sim)
    assert not np.array_equal(first.EI_sim, other.EI_sim)


def test_rng_is_advanced_by_one_double_per_draw(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    w, _ = provinces
    rng, twin = np.random.default_rng(4), np.random.default_rng(4)
    local_moran_arrays(values, w, permutations=37, rng=rng)
    twin.random(37 * values.shape[0] * w.nnz)
    assert rng.bit_generator.state == twin.bit_generator.state


def test_years_draw_independently(provinces: tuple[sparse.csr_matrix, libpysal.weights.W]) -> None:
    w, _ = provinces
    y = np.random.default_rng(2).lognormal(size=31)
    res = local_moran_arrays(np.stack([y, y]), w, permutations=99, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(res.Is[0], res.Is[1])
    assert not np.array_equal(res.EI_sim[0], res.EI_sim[1])


def test_chunking_does_not_change_the_results() -> None:
    w = _knn(2_000, 6, seed=0)
    y = np.random.default_rng(1).lognormal(size=(2, 2_000))
    small_chunk = 4 * 2**20
    tracemalloc.start()
    try:
        small = local_moran_arrays(
            y, w, permutations=199, rng=np.random.default_rng(3), chunk_bytes=small_chunk
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    large = local_moran_arrays(y, w, permutations=199, rng=np.random.default_rng(3))
    for name in INFERENCE:
        np.testing.assert_array_equal(getattr(small, name), getattr(large, name), err_msg=name)
    assert peak < small_chunk + 2**20  # the outputs and W take about 0.5 MB here


def test_one_unit_year_per_chunk(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    w, _ = provinces
    kwargs = {"permutations": 99}
    one = local_moran_arrays(values, w, rng=np.random.default_rng(6), chunk_bytes=1, **kwargs)
    all_ = local_moran_arrays(values, w, rng=np.random.default_rng(6), **kwargs)
    for name in INFERENCE:
        np.testing.assert_array_equal(getattr(one, name), getattr(all_, name), err_msg=name)


# ------------------------------------------------------------------ degenerate cases
def test_islands_get_nan_inference_without_warnings() -> None:
    path = sparse.diags([np.ones(4), np.ones(4)], [-1, 1], shape=(5, 5))
    w = sparse.block_diag([path, sparse.csr_matrix((1, 1))], format="csr")
    w = sparse.csr_matrix(w.multiply(1.0 / np.maximum(w.sum(axis=1), 1)))
    y = np.random.default_rng(5).lognormal(size=(2, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = local_moran_arrays(y, w, permutations=99, rng=np.random.default_rng(0))
    for name in ("z_rand", "p_rand", *INFERENCE):
        assert np.isnan(getattr(res, name)[:, 5]).all(), name
        assert np.isfinite(getattr(res, name)[:, :5]).all(), name
    np.testing.assert_array_equal(res.Is[:, 5], 0.0)
    wlib = libpysal.weights.W(
        {0: [1], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3], 5: []}, silence_warnings=True
    )
    for t in range(2):
        lm = _esda_local(y[t], wlib, "r")
        for name in ("Is", "EI", "VI"):
            np.testing.assert_allclose(getattr(res, name)[t], getattr(lm, name), rtol=1e-10)
        np.testing.assert_array_equal(res.quadrant[t], lm.q)


def test_no_permutations_gives_nan_inference_and_draws_nothing(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    w, _ = provinces
    rng = np.random.default_rng(12)
    state = rng.bit_generator.state
    res = local_moran_arrays(values, w, permutations=0, rng=rng)
    assert rng.bit_generator.state == state
    assert res.permutations == 0
    for name in INFERENCE:
        assert np.isnan(getattr(res, name)).all(), name
    assert np.isfinite(res.Is).all() and np.isfinite(res.z_rand).all()


def test_invalid_input_is_rejected(
    provinces: tuple[sparse.csr_matrix, libpysal.weights.W], values: np.ndarray
) -> None:
    w, _ = provinces
    rng = np.random.default_rng(0)
    bad = values.copy()
    bad[1, 4] = np.nan
    with pytest.raises(MissingValueError):
        local_moran_arrays(bad, w, permutations=9, rng=rng)
    flat = values.copy()
    flat[2] = 1.0
    with pytest.raises(PanelStructureError, match="row"):
        local_moran_arrays(flat, w, permutations=9, rng=rng)
    with pytest.raises(PanelStructureError):
        local_moran_arrays(values[0], w, permutations=9, rng=rng)
    with pytest.raises(WeightsError):
        local_moran_arrays(values[:, :30], w, permutations=9, rng=rng)
    with pytest.raises(WeightsError, match="diagonal"):
        local_moran_arrays(values, w + sparse.eye(31, format="csr"), permutations=9, rng=rng)
    with pytest.raises(WeightsError):
        local_moran_arrays(values, w.toarray(), permutations=9, rng=rng)  # type: ignore[arg-type]
    for permutations in (-1, True, 9.0):
        with pytest.raises(InvalidOptionError):
            local_moran_arrays(values, w, permutations=permutations, rng=rng)  # type: ignore[arg-type]
    legacy = np.random.RandomState(0)  # the wrong kind of generator
    with pytest.raises(InvalidOptionError):
        local_moran_arrays(values, w, permutations=9, rng=legacy)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError):
        local_moran_arrays(values, w, permutations=9, rng=rng, chunk_bytes=0)
