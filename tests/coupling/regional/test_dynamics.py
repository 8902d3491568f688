"""Tests of coupling/dynamics.py: kernel densities by year and Markov chains."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy.stats import norm

from coupling import kernel_density, markov_chain
from coupling.exceptions import (
    DegenerateIndexError,
    InsufficientDataError,
    InvalidOptionError,
    SpecificationError,
)
from coupling.regional import dynamics
from coupling.regional.dynamics import silverman_bandwidth
from spatial import SpatialWeights
from spatial.exceptions import WeightsAlignmentError

EXACT_RTOL = 1e-12  # same quantity by an independent route, float64 rounding only
REFERENCE_RTOL = 1e-10  # against giddy / statsmodels (different operation order)
#: giddy's p-values are 1 - chi2.cdf: exact to ~1e-16 in absolute terms, not relative.
PVALUE_ATOL = 1e-15


def panel(values: np.ndarray, regions: list[str] | None = None) -> pd.DataFrame:
    """(N, T) values -> long table region, year (1..T), D."""
    n, t = values.shape
    names = regions or [f"r{i:02d}" for i in range(n)]
    return pd.DataFrame(
        {
            "region": np.repeat(names, t),
            "year": np.tile(np.arange(1, t + 1), n),
            "D": values.ravel(),
        }
    )


# ------------------------------------------------------------ kernel density
def test_silverman_bandwidth_by_hand():
    # x = 0.1, 0.2, 0.4, 0.8: mean 0.375, squared deviations sum 0.2875 -> sd = sqrt(0.2875/3);
    # quartiles by linear interpolation: Q1 = 0.1 + 0.75 * 0.1 = 0.175, Q3 = 0.4 + 0.25 * 0.4
    # = 0.5, IQR/1.34 = 0.325/1.34 < sd, so h = 0.9 * 0.325/1.34 * 4^(-1/5)
    expected = 0.9 * (0.325 / 1.34) * 4 ** (-0.2)
    assert silverman_bandwidth([0.1, 0.2, 0.4, 0.8]) == pytest.approx(expected, rel=EXACT_RTOL)


def test_silverman_equals_statsmodels_where_the_sd_is_smaller():
    """statsmodels uses IQR/1.349; where sd < IQR/1.349 both rules are 0.9 sd n^-1/5."""
    from statsmodels.nonparametric.bandwidths import bw_silverman

    x = np.array([0.0, 0.0, 0.1, 0.9, 1.0, 1.0])  # bimodal: IQR large against sd
    assert np.std(x, ddof=1) < (np.percentile(x, 75) - np.percentile(x, 25)) / 1.349
    assert silverman_bandwidth(x) == pytest.approx(bw_silverman(x), rel=EXACT_RTOL)


def test_density_is_the_gaussian_kernel_sum_and_integrates_to_one():
    rng = np.random.default_rng(0)
    values = rng.uniform(0.2, 0.8, size=(25, 3))
    # boundary="none": the plain kernel sum (D would default to the reflected density)
    res = kernel_density(panel(values), "D", "year", grid=400, cut=5.0, boundary="none")
    for t, year in enumerate([1, 2, 3]):
        part = res.density[res.density["year"] == year]
        x = part["x"].to_numpy()
        h = silverman_bandwidth(values[:, t])
        direct = norm.pdf((x[:, None] - values[None, :, t]) / h).sum(axis=1) / (25 * h)
        np.testing.assert_allclose(part["density"], direct, rtol=EXACT_RTOL)
        assert np.trapezoid(part["density"], x) == pytest.approx(1.0, abs=1e-4)
        assert res.bandwidths.loc[year, "bandwidth"] == pytest.approx(h, rel=EXACT_RTOL)
    assert (res.bandwidths["n"] == 25).all()


def test_peaks_fixed_bandwidth_and_years():
    values = np.array([[0.1, 0.1], [0.12, 0.1], [0.9, 0.1], [0.88, 0.1]])  # year 2 all equal
    table = panel(values)
    with pytest.raises(DegenerateIndexError, match=r"All values are equal in year\(s\) 2"):
        kernel_density(table, "D", "year")
    res = kernel_density(table, "D", "year", bandwidth=0.05, grid=np.linspace(-0.2, 1.2, 281))
    assert res.bandwidths["n_peaks"].tolist() == [2, 1]
    assert res.bandwidths.loc[2, "peak_x"] == pytest.approx(0.1, abs=1e-9)
    only = kernel_density(table, "D", "year", years=[1], bandwidth=0.05)
    assert only.density["year"].unique().tolist() == [1]
    with pytest.raises(SpecificationError, match="years 7 are not in the table"):
        kernel_density(table, "D", "year", years=[7])


def test_kernel_density_bad_input():
    table = panel(np.array([[0.1, 0.2], [0.3, 0.5]]))
    with pytest.raises(InsufficientDataError, match="at least two values per year"):
        kernel_density(table.iloc[:3], "D", "year")
    with pytest.raises(InvalidOptionError, match="bandwidth must be"):
        kernel_density(table, "D", "year", bandwidth=-1.0)
    with pytest.raises(InvalidOptionError, match="grid must be"):
        kernel_density(table, "D", "year", grid=1)
    with pytest.raises(InvalidOptionError, match="strictly increasing"):
        kernel_density(table, "D", "year", grid=[0.3, 0.1])
    with pytest.raises(InvalidOptionError, match="bandwidth='scott'"):
        kernel_density(table, "D", "year", bandwidth="scott")  # type: ignore[arg-type]


def test_kernel_density_from_a_multiindex_and_plot(tmp_path):
    rng = np.random.default_rng(1)
    table = panel(rng.uniform(size=(10, 4))).set_index(["region", "year"])
    res = kernel_density(table)
    assert res.bandwidths.index.name == "year"
    fig = res.plot(tmp_path / "kde.png")
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 4
    assert (tmp_path / "kde.png").stat().st_size > 0
    assert "Kernel density of D" in str(res.summary())


def unbalanced(rng: np.random.Generator, column: str = "x") -> pd.DataFrame:
    """Three years of 12, 30 and 7 values: not a balanced panel."""
    sizes = {2001: 12, 2002: 30, 2003: 7}
    draws = [rng.normal(i, 1 + i, size=n) for i, n in enumerate(sizes.values())]
    return pd.DataFrame({
        "year": np.repeat(list(sizes), list(sizes.values())),
        column: np.concatenate(draws),
    })  # fmt: skip


def test_unbounded_density_equals_statsmodels():
    """statsmodels bins on an FFT grid by default; fft=False evaluates the same kernel sum."""
    from statsmodels.nonparametric.kde import KDEUnivariate

    assert inspect.signature(KDEUnivariate.fit).parameters["fft"].default is True
    rng = np.random.default_rng(3)
    table = unbalanced(rng)
    for grid in (200, np.linspace(-9.0, 12.0, 333)):
        res = kernel_density(table, "x", "year", grid=grid)
        assert res.options["support"] is None and res.options["boundary"] == "none"
        for year, part in res.density.groupby("year"):
            sample = table.loc[table["year"] == year, "x"].to_numpy()
            h = res.bandwidths.loc[year, "bandwidth"]
            kde = KDEUnivariate(sample).fit(kernel="gau", bw=h, fft=False)
            expected = kde.evaluate(part["x"].to_numpy())
            np.testing.assert_allclose(part["density"], expected, rtol=REFERENCE_RTOL)


def bounded_panel(seed: int = 4) -> pd.DataFrame:
    """D-like scores piled near both bounds of [0, 1]: what the reflection is for."""
    rng = np.random.default_rng(seed)
    low = rng.beta(0.8, 4.0, size=(20, 4))
    high = 1.0 - rng.beta(0.8, 6.0, size=(20, 4))
    return panel(np.vstack([low, high]))


def test_reflected_density_integrates_to_one_inside_the_support():
    table = bounded_panel()
    plain = kernel_density(table, "D", "year", boundary="none")
    assert plain.density["x"].min() < 0 < 1 < plain.density["x"].max()  # the spill
    res = kernel_density(table, "D", "year", grid=1001)
    assert res.options["support"] == (0.0, 1.0) and res.options["boundary"] == "reflect"
    assert res.options["support_source"] == "score"
    assert res.options["grid_min"] == 0.0 and res.options["grid_max"] == 1.0
    for _, part in res.density.groupby("year"):
        assert np.trapezoid(part["density"], part["x"]) == pytest.approx(1.0, abs=1e-3)
    # the plain density loses visible mass beyond the bounds
    inside = plain.density[(plain.density["x"] >= 0) & (plain.density["x"] <= 1)]
    lost = [1 - np.trapezoid(p["density"], p["x"]) for _, p in inside.groupby("year")]
    assert min(lost) > 0.02


def test_reflected_density_is_the_sum_of_three_shifted_kernel_densities():
    table = bounded_panel()
    x = np.linspace(-0.5, 1.5, 801)
    res = kernel_density(table, "D", "year", grid=x, support=(0.0, 1.0))
    assert res.options["support_source"] == "argument"

    def plain(points: np.ndarray) -> pd.Series:
        out = kernel_density(table, "D", "year", grid=points, boundary="none").density
        return out.set_index(["year", "x"])["density"]

    inside = (x >= 0) & (x <= 1)
    for year, part in res.density.groupby("year"):
        f = part["density"].to_numpy()
        assert (f[~inside] == 0).all() and (f[inside] > 0).all()
        direct = plain(x).loc[year].to_numpy()
        mirrored_low = plain(-x[::-1]).loc[year].to_numpy()[::-1]  # f(-x) = f(2a - x)
        mirrored_high = plain(2 - x[::-1]).loc[year].to_numpy()[::-1]  # f(2b - x)
        expected = direct + mirrored_low + mirrored_high
        np.testing.assert_allclose(f[inside], expected[inside], rtol=EXACT_RTOL)


def test_reflected_density_is_flat_at_the_bounds():
    table = bounded_panel()
    step = 1e-7
    x = np.array([0.0, step, 0.5, 1.0 - step, 1.0])
    res = kernel_density(table, "D", "year", grid=x)
    plain = kernel_density(table, "D", "year", grid=x, boundary="none")
    for year in res.bandwidths.index:
        f = res.density.loc[res.density["year"] == year, "density"].to_numpy()
        g = plain.density.loc[plain.density["year"] == year, "density"].to_numpy()
        h = res.bandwidths.loc[year, "bandwidth"]
        # one-sided slopes: O(step * f'') for the reflected curve, O(f / h) without
        slopes = np.array([f[1] - f[0], f[4] - f[3]]) / step
        plain_slopes = np.array([g[1] - g[0], g[4] - g[3]]) / step
        assert np.abs(slopes).max() < 1e-3 * f.max() / h
        assert np.abs(plain_slopes).min() > 0.05 * f.max() / h


def test_boundary_mode_counts_as_a_peak_and_plot_stays_in_the_support(tmp_path):
    values = np.array([[0.0, 0.02, 0.05, 0.1, 0.15, 0.3], [0.4, 0.45, 0.5, 0.5, 0.55, 0.6]]).T
    res = kernel_density(panel(values), "D", "year", bandwidth=0.08)
    assert res.bandwidths.loc[1, "peak_x"] == 0.0 and res.bandwidths.loc[1, "n_peaks"] == 1
    assert res.bandwidths.loc[2, "n_peaks"] == 1 and 0 < res.bandwidths.loc[2, "peak_x"] < 1
    fig = res.plot(tmp_path / "kde.png")
    low, high = fig.axes[0].get_xlim()
    assert 0.0 <= low < high <= 1.0
    text = str(res.summary())
    assert "Schuster 1985" in text and "reflection" in text and "D is a coupling score" in text


def test_support_default_and_explicit_choices():
    rng = np.random.default_rng(5)
    values = rng.uniform(0.1, 0.9, size=(15, 2))
    table = panel(values)
    # the default shift of the coupling model lifts the best D to 1 + 1e-4: still a score
    shifted = table.assign(D=table["D"].where(table["D"] < 0.85, 1.0 + 1e-4))
    assert kernel_density(shifted, "D", "year").options["support"] == (0.0, 1.0)
    # a column named D outside [0, 1] is not a coupling score: no bounds
    wide = table.assign(D=table["D"] * 3)
    assert kernel_density(wide, "D", "year").options["support"] is None
    # other names: no bounds unless asked for, even for values in [0, 1]
    other = table.rename(columns={"D": "share"})
    assert kernel_density(other, "share", "year").options["support"] is None
    asked = kernel_density(other, "share", "year", support=(0, 1))
    assert asked.options["support"] == (0.0, 1.0) and asked.options["boundary"] == "reflect"
    # boundary="none": the plain density, cut at an explicit support
    cut = kernel_density(table, "D", "year", support=(0.0, 1.0), boundary="none", grid=50)
    assert cut.options["boundary"] == "none" and cut.density["x"].between(0, 1).all()
    assert "no boundary correction" in str(cut.summary())
    assert kernel_density(table, "D", "year", boundary="none").options["support"] is None
    # an explicit support applies to any name and bounds of any width
    wide_res = kernel_density(wide, "D", "year", support=(0.0, 3.0))
    assert wide_res.density["x"].between(0, 3).all()


def test_support_bad_input():
    table = panel(np.array([[0.1, 0.2], [0.3, 0.5], [0.6, 0.9]]))
    with pytest.raises(SpecificationError, match=r"beyond the support \[0.2, 1\]"):
        kernel_density(table, "D", "year", support=(0.2, 1.0))
    with pytest.raises(InvalidOptionError, match="finite bounds a < b"):
        kernel_density(table, "D", "year", support=(1.0, 0.0))
    with pytest.raises(InvalidOptionError, match="pair"):
        kernel_density(table, "D", "year", support=(0.0,))  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="boundary='cut'"):
        kernel_density(table, "D", "year", boundary="cut")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="tolerance"):
        kernel_density(table, "D", "year", tolerance=-1.0)


def test_kernel_evaluation_in_blocks_equals_one_pass(monkeypatch):
    table = bounded_panel()
    whole = kernel_density(table, "D", "year")
    monkeypatch.setattr(dynamics, "_KDE_BLOCK", 500)  # one year per block
    blocks = kernel_density(table, "D", "year")
    np.testing.assert_allclose(blocks.density["density"], whole.density["density"], rtol=1e-14)


# ------------------------------------------------------------- Markov chains
#: Hand example: 4 regions on a line a-b-c-d, 3 years, cut points 0.3 and 0.6.
HAND = np.array(
    [
        [0.10, 0.20, 0.40],  # a: classes 0 0 1
        [0.35, 0.50, 0.70],  # b: 1 1 2
        [0.65, 0.55, 0.60],  # c: 2 1 2   (0.6 is in [0.6, inf) with closed="left")
        [0.30, 0.25, 0.90],  # d: 1 0 2   (0.3 is in [0.3, 0.6))
    ]
)
LINE = SpatialWeights.from_sparse(
    np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]), ids=list("abcd")
)


def test_classic_transitions_counted_by_hand():
    table = panel(HAND, list("abcd"))
    res = markov_chain(table, region="region", year="year", classes=[0.3, 0.6])
    # a: 0->0, 0->1; b: 1->1, 1->2; c: 2->1, 1->2; d: 1->0, 0->2
    expected = [[1, 1, 1], [1, 1, 2], [0, 1, 0]]
    assert res.transitions.to_numpy().tolist() == expected
    np.testing.assert_allclose(
        res.probabilities, [[1 / 3, 1 / 3, 1 / 3], [0.25, 0.25, 0.5], [0, 1, 0]], rtol=EXACT_RTOL
    )
    assert res.classes["n"].tolist() == [3, 5, 4]
    np.testing.assert_allclose(res.steady_state.sum(axis=1), 1.0, rtol=EXACT_RTOL)
    p = res.probabilities.to_numpy()
    pi = res.steady_state.to_numpy()[0]
    np.testing.assert_allclose(pi @ p, pi, atol=1e-12)
    # (a, b]: 0.3 -> class 0, 0.6 -> class 1; a: 0->0, 0->1; b: 1->1, 1->2; c: 2->1, 1->1;
    # d: 0->0, 0->2
    right = markov_chain(table, region="region", year="year", classes=[0.3, 0.6], closed="right")
    assert right.transitions.to_numpy().tolist() == [[2, 1, 1], [0, 2, 1], [0, 1, 0]]


def test_spatial_transitions_counted_by_hand():
    res = markov_chain(
        panel(HAND, list("abcd")), region="region", year="year", classes=[0.3, 0.6], w=LINE
    )
    # row-standardized lags, year 1: a 0.35, b (0.10+0.65)/2 = 0.375, c (0.35+0.30)/2 = 0.325,
    # d 0.65 -> lag classes 1 1 1 2; year 2: a 0.5, b 0.375, c 0.375, d 0.55 -> 1 1 1 1
    counts = res.spatial_transitions
    assert counts is not None
    by_lag = {lag: counts.xs(lag, level="lag_class").to_numpy().tolist() for lag in
              counts.index.get_level_values("lag_class").unique()}  # fmt: skip
    labels = list(res.classes.index)
    assert by_lag[labels[0]] == [[0, 0, 0]] * 3
    assert by_lag[labels[1]] == [[1, 1, 1], [0, 1, 2], [0, 1, 0]]
    assert by_lag[labels[2]] == [[0, 0, 0], [1, 0, 0], [0, 0, 0]]
    lags = res.classified.set_index(["region", "year"])["lag"]
    assert lags[("c", 1)] == pytest.approx(0.325, rel=EXACT_RTOL)
    assert res.tests is not None and list(res.tests.index) == ["LR", "Q", "chi2"]
    assert res.spatial_steady_state is not None
    assert res.spatial_steady_state.loc[labels[0]].isna().all().all()  # no transitions


@pytest.mark.parametrize("closed", ["left", "right"])
def test_giddy_classifies_cut_points_as_we_do(closed):
    """Values on the cut points: giddy's conditional counts add up to our classic counts."""
    res = markov_chain(
        panel(HAND, list("abcd")), region="region", year="year", classes=[0.3, 0.6],
        w=LINE, closed=closed,
    )  # fmt: skip
    assert res.spatial_transitions is not None
    summed = res.spatial_transitions.groupby(level="from", sort=False).sum()
    np.testing.assert_array_equal(summed.to_numpy(), res.transitions.to_numpy())


def test_quantile_chain_equals_giddy_defaults():
    import libpysal
    from giddy.markov import Spatial_Markov

    rng = np.random.default_rng(2)
    values = rng.lognormal(size=(30, 6))
    lattice = libpysal.weights.lat2W(5, 6)
    lattice.transform = "r"
    reference = Spatial_Markov(values, lattice, k=4, m=4, fixed=True)
    ids = [f"r{i:02d}" for i in range(30)]
    w = SpatialWeights.from_sparse(libpysal.weights.lat2W(5, 6).sparse, ids)
    res = markov_chain(panel(values, ids), region="region", year="year", k=4, w=w)
    np.testing.assert_array_equal(res.transitions.to_numpy(), reference.transitions)
    assert res.spatial_transitions is not None and res.tests is not None
    np.testing.assert_array_equal(res.spatial_transitions.to_numpy().reshape(4, 4, 4), reference.T)
    assert res.tests.loc["LR", "statistic"] == pytest.approx(reference.LR, rel=EXACT_RTOL)
    assert res.tests.loc["Q", "p_value"] == pytest.approx(reference.Q_p_value, rel=EXACT_RTOL)
    assert res.tests.loc["LR", "df"] == reference.dof_hom
    assert "Spatial dependence of transitions" in str(res.summary())


def test_tier_classes_keep_the_tiers_that_occur():
    values = np.array([[0.15, 0.25, 0.55], [0.22, 0.52, 0.58], [0.5, 0.51, 0.12]])
    res = markov_chain(panel(values), region="region", year="year", classes="tier")
    assert list(res.classes.index) == ["severe imbalance", "moderate imbalance",
                                       "barely coordinated"]  # fmt: skip
    # 0.15->0.25 (0->1), 0.25->0.55 (1->2), 0.22->0.52 (1->2), 0.52->0.58 (2->2),
    # 0.5->0.51 (2->2), 0.51->0.12 (2->0)
    assert res.transitions.to_numpy().tolist() == [[0, 1, 0], [0, 0, 2], [1, 0, 2]]


def test_markov_bad_input():
    table = panel(HAND, list("abcd"))
    keys = {"region": "region", "year": "year"}
    with pytest.raises(InsufficientDataError, match="at least two years"):
        markov_chain(table[table.year == 1], **keys)
    with pytest.raises(InvalidOptionError, match="classes='decile'"):
        markov_chain(table, classes="decile", **keys)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="increasing cut points"):
        markov_chain(table, classes=[0.6, 0.3], **keys)
    with pytest.raises(SpecificationError, match="distinct quantile cut points"):
        markov_chain(panel(np.full((4, 3), 0.5)), k=4, **keys)
    with pytest.raises(SpecificationError, match=r"must be a spatial\.SpatialWeights"):
        markov_chain(table, w=np.eye(4), **keys)  # type: ignore[arg-type]
    other = SpatialWeights.from_sparse(LINE.sparse, ids=list("abce"))
    with pytest.raises(WeightsAlignmentError, match="not in W: d"):
        markov_chain(table, w=other, **keys)
    island = SpatialWeights.from_sparse(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1],
                                                  [0, 0, 0, 0]]), ids=list("abcd"))  # fmt: skip
    with pytest.raises(SpecificationError, match="without neighbours"):
        markov_chain(table, w=island, **keys)


# ------------------------------------- Markov chains against giddy (the reference)
def test_pooled_quantiles_equal_mapclassify():
    from mapclassify.classifiers import quantile

    rng = np.random.default_rng(6)
    samples = [
        rng.lognormal(size=186),
        rng.uniform(size=7),
        np.round(rng.uniform(size=120), 1),  # many ties
        np.repeat([0.1, 0.5, 0.9], [50, 3, 50]),  # too few distinct quantiles
    ]
    for values in samples:
        for k in range(2, 11):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "Not enough unique values"
                expected = quantile(values, k=k)
            np.testing.assert_array_equal(dynamics._pooled_quantiles(values, k), expected)


def test_steady_state_of_known_chains():
    oz = np.array([[0.5, 0.25, 0.25], [0.5, 0.0, 0.5], [0.25, 0.25, 0.5]])  # Kemeny-Snell
    np.testing.assert_allclose(dynamics._stationary_distributions(oz), [[0.4, 0.2, 0.4]],
                               rtol=EXACT_RTOL)  # fmt: skip
    two = np.array([[0.5, 0.5, 0], [0.2, 0.8, 0], [0, 0, 0]])  # the empty row is absorbing
    np.testing.assert_allclose(
        dynamics._stationary_distributions(two), [[2 / 7, 5 / 7, 0], [0, 0, 1]], rtol=EXACT_RTOL
    )
    rng = np.random.default_rng(7)
    p = rng.uniform(size=(6, 6))
    p /= p.sum(axis=1, keepdims=True)
    (pi,) = dynamics._stationary_distributions(p)
    np.testing.assert_allclose(pi @ p, pi, rtol=EXACT_RTOL)
    values, vectors = np.linalg.eig(p.T)
    eigen = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    np.testing.assert_allclose(pi, eigen / eigen.sum(), rtol=1e-10)


def test_steady_states_equal_giddy_on_reducible_chains():
    """Random sparse matrices with empty rows: same distributions, same order of the
    recurrent classes as giddy.ergodic.steady_state (quantecon's MarkovChain)."""
    from giddy.ergodic import steady_state

    rng = np.random.default_rng(8)
    several = 0
    for _ in range(300):
        k = int(rng.integers(1, 8))
        counts = rng.integers(1, 9, size=(k, k)) * (rng.uniform(size=(k, k)) < 0.35)
        counts[rng.uniform(size=k) < 0.2] = 0
        p = dynamics._row_probabilities(counts)
        if not p.any():
            continue
        expected = np.atleast_2d(steady_state(p, fill_empty_classes=True))
        got = dynamics._stationary_distributions(p)
        several += got.shape[0] > 1
        np.testing.assert_allclose(got, expected, rtol=REFERENCE_RTOL, atol=1e-15)
    assert several > 50  # the ordering of several recurrent classes was exercised


#: (lattice rows, lattice columns, years, k, seed, classes): k = 4 and 5; trending
#: panels (cumulative sums) with few regions give reducible conditional chains and
#: empty rows; the cut points leave one class empty and one reached only in the last
#: year, so two classes have no transitions (giddy's df convention).
PANELS = [
    (5, 6, 6, 4, 2, "quantile"),
    (4, 4, 8, 5, 3, "quantile"),
    (6, 7, 5, 5, 4, "quantile"),
    (3, 3, 4, 5, 5, "trend"),
    (4, 4, 5, 5, 7, "trend"),
    (5, 6, 6, 4, 9, "trend"),
    (5, 6, 6, 4, 10, "cuts"),
]


@pytest.mark.parametrize(("rows", "cols", "years", "k", "seed", "kind"), PANELS)
def test_markov_chains_equal_giddy(rows, cols, years, k, seed, kind):
    import libpysal
    from giddy.ergodic import steady_state
    from giddy.markov import Markov, Spatial_Markov
    from giddy.markov import chi2 as giddy_chi2
    from scipy.stats import chi2 as chi2_dist

    rng = np.random.default_rng(seed)
    n = rows * cols
    values = rng.lognormal(size=(n, years))
    if kind == "trend":
        values = values.cumsum(axis=1)
    ids = [f"r{i:02d}" for i in range(n)]
    w = SpatialWeights.from_sparse(libpysal.weights.lat2W(rows, cols).sparse, ids)
    lattice = libpysal.weights.lat2W(rows, cols)
    lattice.transform = "r"
    keys = {"region": "region", "year": "year"}
    if kind == "cuts":
        values = values.cumsum(axis=1)
        top = float(np.nextafter(values[:, :-1].max(), np.inf))  # only the last year reaches it
        cuts = [2.0, 4.0, top, values.max() + 1.0]  # nothing reaches the last cut
        res = markov_chain(panel(values, ids), classes=cuts, w=w, **keys)
        giddy_cuts = dynamics._Classes(np.array(cuts), "left", ()).giddy_cutoffs()
        ref = Spatial_Markov(values, lattice, cutoffs=giddy_cuts, lag_cutoffs=giddy_cuts)
        assert res.classes["n"].iloc[-1] == 0 and res.classes["n"].iloc[-2] > 0
    else:
        res = markov_chain(panel(values, ids), k=k, w=w, **keys)
        ref = Spatial_Markov(values, lattice, k=k, m=k, fixed=True)
        np.testing.assert_array_equal(res.classes["upper"].to_numpy()[:-1], ref.cutoffs)
        assert res.lag_classes is not None
        np.testing.assert_array_equal(res.lag_classes["upper"].to_numpy()[:-1], ref.lag_cutoffs)
    m = ref.m
    # classes of the values and of their spatial lags, region by year
    by_region = res.classified.set_index(["region", "year"]).unstack("year")
    np.testing.assert_array_equal(by_region["class"].apply(lambda c: c.cat.codes), ref.class_ids)
    lag_codes = by_region["lag_class"].apply(lambda c: c.cat.codes)
    np.testing.assert_array_equal(lag_codes, ref.lclass_ids)
    # classic chain
    classic = Markov(ref.class_ids, classes=np.arange(ref.k), summary=False)
    np.testing.assert_array_equal(res.transitions.to_numpy(), classic.transitions)
    assert res.transitions.to_numpy().dtype == np.int64
    np.testing.assert_allclose(res.probabilities, classic.p, rtol=REFERENCE_RTOL, atol=0)
    expected_ss = np.atleast_2d(steady_state(classic.p, fill_empty_classes=True))
    np.testing.assert_allclose(res.steady_state, expected_ss, rtol=REFERENCE_RTOL, atol=1e-15)
    # spatial chain
    assert res.spatial_transitions is not None and res.spatial_probabilities is not None
    np.testing.assert_array_equal(res.spatial_transitions.to_numpy().reshape(m, ref.k, ref.k),
                                  ref.T)  # fmt: skip
    np.testing.assert_allclose(res.spatial_probabilities.to_numpy().reshape(ref.P.shape), ref.P,
                               rtol=REFERENCE_RTOL, atol=0)  # fmt: skip
    assert res.spatial_steady_state is not None
    for label, p in zip(res.lag_classes.index if res.lag_classes is not None else [], ref.P):
        got = res.spatial_steady_state.loc[label].to_numpy()
        if not p.any():
            assert got.shape == (1, ref.k) and np.isnan(got).all()
            continue
        expected = np.atleast_2d(steady_state(p, fill_empty_classes=True))
        np.testing.assert_allclose(got, expected, rtol=REFERENCE_RTOL, atol=1e-15)
    # tests of spatial dependence
    tests = res.tests
    assert tests is not None
    # giddy's Spatial_Markov.x2 tests each T[l] against its classic Markov counts, which
    # drop classes that never occur (a shape error with an empty class): use giddy's chi2
    # against the pooled counts, which is x2 whenever x2 can be computed.
    x2 = sum(giddy_chi2(counts, ref.T.sum(axis=0))[0] for counts in ref.T)
    if kind == "cuts":
        with pytest.raises(ValueError, match="not aligned"):
            _ = ref.x2
    else:
        assert x2 == pytest.approx(ref.x2, rel=EXACT_RTOL)
    reference = {"LR": (ref.LR, ref.dof_hom, ref.LR_p_value),
                 "Q": (ref.Q, ref.dof_hom, ref.Q_p_value),
                 "chi2": (x2, ref.x2_dof, 1 - chi2_dist.cdf(x2, ref.x2_dof))}  # fmt: skip
    for name, (statistic, df, p_value) in reference.items():
        assert tests.loc[name, "statistic"] == pytest.approx(statistic, rel=REFERENCE_RTOL)
        assert tests.loc[name, "df"] == df
        assert tests.loc[name, "p_value"] == pytest.approx(
            p_value, rel=REFERENCE_RTOL, abs=PVALUE_ATOL, nan_ok=True
        )
    if kind == "cuts":  # giddy counts (0 - 1)(0 - 1) = 1 per class without transitions
        empty = (ref.ht.b_i == 0) & (ref.ht.A == 0)
        assert empty.sum() == 2
        assert ref.dof_hom == int(((ref.ht.b_i - 1) * (ref.ht.A - 1))[~empty].sum()) + 2


def test_pvalues_are_upper_chi2_tails():
    from scipy.stats import chi2

    rng = np.random.default_rng(11)
    values = rng.lognormal(size=(30, 6)).cumsum(axis=1)
    import libpysal

    w = SpatialWeights.from_sparse(
        libpysal.weights.lat2W(5, 6).sparse, [f"r{i:02d}" for i in range(30)]
    )
    res = markov_chain(panel(values), region="region", year="year", k=5, w=w)
    assert res.tests is not None
    for name in res.tests.index:
        statistic, df, p_value = res.tests.loc[name, ["statistic", "df", "p_value"]]
        assert p_value == pytest.approx(chi2.sf(statistic, df), rel=EXACT_RTOL)
    assert np.isnan(dynamics._chi2_pvalue(3.0, 0))  # giddy: 1 - chi2.cdf(3, 0) is NaN
    assert np.isnan(1 - chi2.cdf(3.0, 0))


def test_markov_and_density_load_no_giddy_quantecon_numba():
    """In a fresh interpreter: the main job's path compiles nothing at run time."""
    code = """
import sys
import numpy as np, pandas as pd
from scipy import sparse
from spatial import SpatialWeights
from coupling.regional.dynamics import kernel_density, markov_chain
n, t = 31, 6
ids = [f"r{i}" for i in range(n)]
df = pd.DataFrame({"region": np.repeat(ids, t), "year": np.tile(np.arange(t), n),
                   "D": np.random.default_rng(0).uniform(size=n * t)})
a = sparse.diags([np.ones(n - 1), np.ones(n - 1)], [-1, 1]).tocsr()
res = markov_chain(df, region="region", year="year", w=SpatialWeights.from_sparse(a, ids))
assert res.tests is not None and res.steady_state.notna().all().all()
kernel_density(df, "D", "year")
heavy = ("giddy", "quantecon", "numba", "mapclassify", "statsmodels", "libpysal")
print(",".join(m for m in heavy if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_density_plot_in_chinese(tmp_path):
    from spatial.viz import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    res = kernel_density(bounded_panel(), "D", "year")
    fig = res.plot(tmp_path / "kde_zh.png", language="zh")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "核密度"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1年", "2年", "3年", "4年"]
    assert 0.0 <= ax.get_xlim()[0] < ax.get_xlim()[1] <= 1.0
