"""Tests of coupling/dynamics.py: kernel densities by year and Markov chains."""

from __future__ import annotations

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
from coupling.regional.dynamics import silverman_bandwidth
from spatial import SpatialWeights
from spatial.exceptions import WeightsAlignmentError

EXACT_RTOL = 1e-12  # same quantity by an independent route, float64 rounding only


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
    res = kernel_density(panel(values), "D", "year", grid=400, cut=5.0)
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
