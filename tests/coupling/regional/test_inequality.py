"""Tests of coupling/inequality.py: Dagum's Gini decomposition and Theil's T and L."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from coupling import NBS_REGION_OF, CouplingCoordination, dagum_gini, theil
from coupling.exceptions import (
    DegenerateIndexError,
    InvalidOptionError,
    MissingValueError,
    NegativeValueError,
    SpecificationError,
)
from coupling.regional.inequality import dagum_decomposition, resample_within_groups

from ..conftest import random_panel, split_system

#: Exact rational arithmetic against float64 kernels: agreement to rounding.
EXACT_RTOL = 1e-12


def long_table(values: np.ndarray, groups: list[str]) -> pd.DataFrame:
    """(T, N) values -> long table with region r0.., year 2001.., zone column."""
    t, n = values.shape
    return pd.DataFrame(
        {
            "region": np.tile([f"r{i}" for i in range(n)], t),
            "year": np.repeat(np.arange(2001, 2001 + t), n),
            "D": values.ravel(),
            "zone": np.tile(groups, t),
        }
    )


# ------------------------------------------------------------------- Dagum
def test_hand_worked_two_groups():
    """Dagum (1997) quantities for A = {1, 3}, B = {2, 6}, worked out with fractions.

    n = 4, ybar = 12/4 = 3.
    Ordered-pair absolute differences (each unordered pair counted twice):
      |1-3| = 2, |1-2| = 1, |1-6| = 5, |3-2| = 1, |3-6| = 3, |2-6| = 4 -> 16, twice = 32.
      G = 32 / (2 * 4^2 * 3) = 1/3.
    Within A: ybar_A = 2, sum |.| = 2 + 2 = 4 -> G_AA = 4 / (2 * 2^2 * 2) = 1/4.
    Within B: ybar_B = 4, sum |.| = 4 + 4 = 8 -> G_BB = 8 / (2 * 2^2 * 4) = 1/4.
    Between: |1-2| + |1-6| + |3-2| + |3-6| = 10 -> G_AB = 10 / (2 * 2 * (2 + 4)) = 5/12.
    p_A = p_B = 1/2; s_A = 2*2/(4*3) = 1/3, s_B = 2*4/12 = 2/3.
    G_w = 1/4 * 1/2 * 1/3 + 1/4 * 1/2 * 2/3 = 1/24 + 2/24 = 1/8.
    ybar_B >= ybar_A, so j = B, h = A:
      d = mean(max(y_B - y_A, 0)) over (2,1),(2,3),(6,1),(6,3) = (1 + 0 + 5 + 3)/4 = 9/4,
      p = mean(max(y_A - y_B, 0)) = (0 + 1 + 0 + 0)/4 = 1/4, D = (9/4 - 1/4)/(9/4 + 1/4) = 4/5.
    p_B s_A + p_A s_B = 1/6 + 1/3 = 1/2.
    G_nb = 5/12 * 1/2 * 4/5 = 1/6;  G_t = 5/12 * 1/2 * 1/5 = 1/24.
    Check: 1/8 + 1/6 + 1/24 = 8/24 = 1/3 = G.
    """
    expected = {
        "G": Fraction(1, 3),
        "G_w": Fraction(1, 8),
        "G_nb": Fraction(1, 6),
        "G_t": Fraction(1, 24),
    }
    assert sum(expected[c] for c in ("G_w", "G_nb", "G_t")) == expected["G"]
    table = long_table(np.array([[1.0, 3.0, 2.0, 6.0]]), ["A", "A", "B", "B"])
    res = dagum_gini(table, "D", group="zone", region="region", year="year")
    row = res.components.iloc[0]
    for name, frac in expected.items():
        assert row[name] == pytest.approx(float(frac), rel=EXACT_RTOL)
    assert row["share_w"] == pytest.approx(float(Fraction(1, 8) / Fraction(1, 3)), rel=EXACT_RTOL)
    within = res.within.set_index("group")
    assert within.loc["A", "G_jj"] == pytest.approx(0.25, rel=EXACT_RTOL)
    assert within.loc["B", "G_jj"] == pytest.approx(0.25, rel=EXACT_RTOL)
    assert within.loc["A", "s"] == pytest.approx(1 / 3, rel=EXACT_RTOL)
    assert within.loc["B", "contribution"] == pytest.approx(1 / 12, rel=EXACT_RTOL)
    pair = res.between.iloc[0]
    assert (pair["group_j"], pair["group_h"]) == ("B", "A")
    assert pair["G_jh"] == pytest.approx(5 / 12, rel=EXACT_RTOL)
    assert pair["D_jh"] == pytest.approx(0.8, rel=EXACT_RTOL)
    assert pair["contribution_nb"] == pytest.approx(1 / 6, rel=EXACT_RTOL)
    assert pair["contribution_t"] == pytest.approx(1 / 24, rel=EXACT_RTOL)


def ordinary_gini(x: np.ndarray) -> float:
    """Sort-based Gini: sum_i (2i - n - 1) x_(i) / (n^2 mean), i = 1..n."""
    s = np.sort(x)
    n = s.size
    return float(((2 * np.arange(1, n + 1) - n - 1) * s).sum() / (n * n * s.mean()))


def test_overall_gini_is_the_ordinary_gini():
    from inequality.gini import Gini

    rng = np.random.default_rng(1)
    values = rng.lognormal(size=(6, 31))
    groups = [NBS_REGION_OF[c] for c in sorted(NBS_REGION_OF)]
    res = dagum_gini(long_table(values, groups), "D", group="zone", region="region", year="year")
    # the table sorts regions as text (r0, r1, r10, ...): the Gini does not care about order
    for t in range(values.shape[0]):
        assert res.components["G"].iloc[t] == pytest.approx(Gini(values[t]).g, rel=EXACT_RTOL)
        assert res.components["G"].iloc[t] == pytest.approx(
            ordinary_gini(values[t]), rel=EXACT_RTOL
        )


def nested_loop_dagum(y: np.ndarray, codes: np.ndarray) -> dict[str, float]:
    """Dagum (1997) with plain loops and the ordered d_jh / p_jh of the paper."""
    n, k = y.size, int(codes.max()) + 1
    mean = y.mean()
    members = [[y[i] for i in range(n) if codes[i] == j] for j in range(k)]
    means = [sum(m) / len(m) for m in members]
    total = sum(abs(a - b) for a in y for b in y)
    gini = total / (2 * n * n * mean)
    p = [len(m) / n for m in members]
    s = [len(m) * means[j] / (n * mean) for j, m in enumerate(members)]
    g_w = 0.0
    for j, m in enumerate(members):
        diff = sum(abs(a - b) for a in m for b in m)
        g_w += (diff / (2 * len(m) ** 2 * means[j]) if diff > 0 else 0.0) * p[j] * s[j]
    g_nb = g_t = 0.0
    for j in range(k):
        for h in range(j):
            hi, lo = (j, h) if means[j] >= means[h] else (h, j)
            pairs = [(a, b) for a in members[hi] for b in members[lo]]
            d = sum(max(a - b, 0.0) for a, b in pairs) / len(pairs)
            q = sum(max(b - a, 0.0) for a, b in pairs) / len(pairs)
            g_jh = sum(abs(a - b) for a, b in pairs) / (len(pairs) * (means[j] + means[h]))
            share = g_jh * (p[j] * s[h] + p[h] * s[j])
            big_d = (d - q) / (d + q) if d + q > 0 else 0.0
            g_nb += share * big_d
            g_t += share * (1.0 - big_d)
    return {"G": gini, "G_w": g_w, "G_nb": g_nb, "G_t": g_t}


def test_batched_kernel_equals_nested_loops():
    rng = np.random.default_rng(2)
    codes = np.array([0, 2, 1, 0, 2, 2, 1, 0, 3, 3, 2, 1])
    y = rng.lognormal(size=(3, 4, codes.size))  # (draws, years, regions)
    res = dagum_decomposition(y, codes)
    for b in range(3):
        for t in range(4):
            ref = nested_loop_dagum(y[b, t], codes)
            for name, value in ref.items():
                assert getattr(res, name)[b, t] == pytest.approx(value, rel=EXACT_RTOL)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=6, max_size=14),
    n_groups=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_components_sum_to_the_gini(values, n_groups, seed):
    y = np.asarray(values)
    if y.sum() < 1e-9:  # an all-zero (or denormal) sample has no Gini: the mean divides
        y = y + 1.0
    codes = np.random.default_rng(seed).permutation(np.arange(y.size) % n_groups)
    res = dagum_decomposition(y, codes)
    assert float(res.G_w + res.G_nb + res.G_t) == pytest.approx(float(res.G), rel=1e-10, abs=1e-14)
    assert np.all((res.D_jh >= 0) & (res.D_jh <= 1 + 1e-12))
    assert 0 <= float(res.G) <= 1


def test_bootstrap_is_seeded_and_keeps_group_sizes():
    rng = np.random.default_rng(3)
    groups = ["a"] * 5 + ["b"] * 4 + ["c"] * 3
    table = long_table(rng.lognormal(size=(4, 12)), groups)
    kwargs = {"group": "zone", "region": "region", "year": "year", "bootstrap": 200}
    one = dagum_gini(table, "D", seed=5, **kwargs)
    two = dagum_gini(table, "D", seed=5, **kwargs)
    other = dagum_gini(table, "D", seed=6, **kwargs)
    assert one.intervals is not None and two.intervals is not None
    assert other.intervals is not None
    pd.testing.assert_frame_equal(one.intervals, two.intervals)
    assert not np.allclose(one.intervals["lower"], other.intervals["lower"])
    assert (one.intervals["lower"] <= one.intervals["upper"]).all()
    codes = np.repeat([0, 1, 2], [5, 4, 3])
    index = resample_within_groups(codes, 50, np.random.default_rng(0))
    assert (codes[index] == codes).all()


def test_coupling_results_and_mapping_groups():
    panel = random_panel(12, 3, 4, seed=4)
    res = CouplingCoordination(split_system(4)).fit(panel, "region", "year")
    zones = {
        r: ("north" if i < 6 else "south") for i, r in enumerate(sorted(panel.region.unique()))
    }
    out = dagum_gini(res, groups=zones)
    direct = dagum_gini(res.to_frame(), "D", region="region", year="year", groups=zones)
    pd.testing.assert_frame_equal(out.components, direct.components)
    assert list(out.components.index) == [2001, 2002, 2003]
    assert set(out.groups) == {"north", "south"}


def test_nbs_regions_cover_the_31_provinces():
    from coupling.datasets import load_provincial_panel

    codes = set(load_provincial_panel()["code"])
    assert set(NBS_REGION_OF) == codes
    sizes = pd.Series(NBS_REGION_OF).value_counts().to_dict()
    assert sizes == {"West": 12, "East": 10, "Central": 6, "Northeast": 3}


def test_all_equal_values_give_zero_gini_and_undefined_shares():
    table = long_table(np.full((2, 4), 0.5), ["a", "a", "b", "b"])
    res = dagum_gini(table, "D", group="zone", region="region", year="year")
    assert (res.components[["G", "G_w", "G_nb", "G_t"]] == 0).all().all()
    assert res.components["share_w"].isna().all()


def test_singleton_group_raises_or_is_documented_zero():
    table = long_table(np.array([[1.0, 2.0, 4.0]]), ["a", "a", "b"])
    with pytest.raises(SpecificationError, match="single region"):
        dagum_gini(table, "D", group="zone", region="region", year="year")
    res = dagum_gini(
        table, "D", group="zone", region="region", year="year", allow_singleton_groups=True
    )
    assert res.within.set_index("group").loc["b", "G_jj"] == 0.0
    row = res.components.iloc[0]
    assert row["G_w"] + row["G_nb"] + row["G_t"] == pytest.approx(row["G"], rel=1e-12)


def test_bad_groupings_raise():
    table = long_table(np.array([[1.0, 2.0, 3.0, 4.0]]), ["a", "a", "b", "b"])
    keys = {"region": "region", "year": "year"}
    with pytest.raises(SpecificationError, match=r"in no group: r3"):
        dagum_gini(table, "D", groups={"r0": "a", "r1": "a", "r2": "b"}, **keys)
    with pytest.raises(SpecificationError, match="not both"):
        dagum_gini(table, "D", group="zone", groups={"r0": "a"}, **keys)
    moving = long_table(np.ones((2, 4)), ["a", "a", "b", "b"])
    moving.loc[7, "zone"] = "a"
    with pytest.raises(SpecificationError, match=r"changes over the years.*r3"):
        dagum_gini(moving, "D", group="zone", **keys)
    gap = table.assign(zone=[None, "a", "b", "b"])
    with pytest.raises(SpecificationError, match="no value in the group column"):
        dagum_gini(gap, "D", group="zone", **keys)


def test_bad_values_raise():
    keys = {"group": "zone", "region": "region", "year": "year"}
    negative = long_table(np.array([[1.0, -2.0, 3.0, 4.0]]), ["a", "a", "b", "b"])
    with pytest.raises(NegativeValueError, match=r"negative at 1 region-year.*\(r1, 2001\)"):
        dagum_gini(negative, "D", **keys)
    zeros = long_table(np.zeros((1, 4)), ["a", "a", "b", "b"])
    with pytest.raises(DegenerateIndexError, match="mean, which is zero in year"):
        dagum_gini(zeros, "D", **keys)
    missing = long_table(np.array([[1.0, np.nan, 3.0, 4.0]]), ["a", "a", "b", "b"])
    with pytest.raises(MissingValueError, match="missing"):
        dagum_gini(missing, "D", **keys)
    fine = long_table(np.array([[1.0, 2.0, 3.0, 4.0]]), ["a", "a", "b", "b"])
    with pytest.raises(InvalidOptionError, match="level must lie"):
        dagum_gini(fine, "D", level=1.5, **keys)
    with pytest.raises(InvalidOptionError, match="bootstrap must be"):
        dagum_gini(fine, "D", bootstrap=-1, **keys)
    with pytest.raises(SpecificationError, match="empty"):
        dagum_decomposition([1.0, 2.0], [0, 2])


def test_dagum_summary_and_plot(tmp_path):
    rng = np.random.default_rng(7)
    table = long_table(rng.lognormal(size=(5, 8)), ["a"] * 4 + ["b"] * 4)
    res = dagum_gini(table, "D", group="zone", region="region", year="year", bootstrap=50, seed=1)
    text = str(res.summary())
    assert "Dagum Gini decomposition" in text and "Bootstrap (50 draws" in text
    path = tmp_path / "dagum.png"
    fig = res.plot(path)
    assert isinstance(fig, Figure) and path.stat().st_size > 0
    returned = res.components
    returned.loc[2001, "G"] = -1.0
    assert res.components.loc[2001, "G"] != -1.0  # results are immutable


# ------------------------------------------------------------------- Theil
def theil_by_formula(y: np.ndarray) -> tuple[float, float]:
    """T = mean((y/m) ln(y/m)), L = mean(ln(m/y)) written out directly."""
    r = y / y.mean()
    return float(np.mean(r * np.log(r))), float(np.mean(np.log(1.0 / r)))


def test_theil_decomposition_identities_and_formula():
    from inequality.theil import TheilD

    rng = np.random.default_rng(8)
    values = rng.lognormal(size=(4, 12))
    codes = np.repeat([0, 1, 2], [5, 4, 3])
    groups = ["a"] * 5 + ["b"] * 4 + ["c"] * 3
    res = theil(long_table(values, groups), "D", group="zone", region="region", year="year")
    comp = res.components
    # regions sort as text: r0, r1, r10, r11, r2, ... -> reorder the reference to match
    order = sorted(range(12), key=lambda i: f"r{i}")
    reference = TheilD(values[:, order].T, codes[order])
    for t in range(4):
        t_ref, l_ref = theil_by_formula(values[t])
        assert comp["T"].iloc[t] == pytest.approx(t_ref, rel=EXACT_RTOL)
        assert comp["L"].iloc[t] == pytest.approx(l_ref, rel=EXACT_RTOL)
        assert comp["T_between"].iloc[t] == pytest.approx(reference.bg[t], rel=EXACT_RTOL)
        assert comp["T_within"].iloc[t] == pytest.approx(reference.wg[t], rel=EXACT_RTOL)
    by_year = res.groups.groupby("year")
    np.testing.assert_allclose(
        by_year["T_contribution"].sum().to_numpy(), comp["T_within"], rtol=EXACT_RTOL
    )
    np.testing.assert_allclose(
        by_year["L_contribution"].sum().to_numpy(), comp["L_within"], rtol=EXACT_RTOL
    )
    np.testing.assert_allclose(comp["L_between"] + comp["L_within"], comp["L"], rtol=EXACT_RTOL)
    share = by_year["T_share"].sum() + comp["T_between_share"].to_numpy()
    np.testing.assert_allclose(share.to_numpy(), 1.0, rtol=EXACT_RTOL)


def test_theil_is_scale_invariant_and_zero_for_equal_values():
    rng = np.random.default_rng(9)
    values = rng.lognormal(size=(3, 6))
    groups = ["a"] * 3 + ["b"] * 3
    keys = {"group": "zone", "region": "region", "year": "year"}
    base = theil(long_table(values, groups), "D", **keys).components
    scaled = theil(long_table(7.3 * values, groups), "D", **keys).components
    pd.testing.assert_frame_equal(base, scaled, rtol=EXACT_RTOL)
    flat = theil(long_table(np.full((2, 6), 0.4), groups), "D", **keys).components
    np.testing.assert_allclose(flat[["T", "L", "T_between", "L_within"]], 0.0, atol=1e-15)


def test_theil_zero_values_and_options():
    keys = {"group": "zone", "region": "region", "year": "year"}
    table = long_table(np.array([[0.0, 1.0, 2.0, 3.0]]), ["a", "a", "b", "b"])
    with pytest.raises(DegenerateIndexError, match=r"Theil L .* undefined for zero"):
        theil(table, "D", **keys)
    res = theil(table, "D", indices=("T",), **keys)
    t_ref = np.mean([r * np.log(r) for r in np.array([1.0, 2.0, 3.0]) / 1.5]) * 3 / 4
    assert res.components["T"].iloc[0] == pytest.approx(t_ref, rel=EXACT_RTOL)
    assert "L" not in res.components
    with pytest.raises(InvalidOptionError, match="indices="):
        theil(table, "D", indices=("G",), **keys)
    with pytest.raises(NegativeValueError, match="non-negative"):
        theil(table.assign(D=[-1.0, 1.0, 2.0, 3.0]), "D", **keys)


def test_theil_without_groups_and_plot(tmp_path):
    rng = np.random.default_rng(10)
    table = long_table(rng.lognormal(size=(3, 5)), ["a"] * 5)
    res = theil(table, "D", region="region", year="year")
    np.testing.assert_allclose(res.components["T_between"], 0.0, atol=1e-15)
    assert "Theil decomposition" in str(res.summary())
    fig = res.plot(tmp_path / "theil.png")
    assert isinstance(fig, Figure) and len(fig.axes) == 2


# ------------------------------------------------------ population weights and nesting
def test_weighted_indices_by_hand():
    """Two regions of values 1 and 3 with populations 3 and 1 (one year). Income shares
    s = (3*1, 1*3)/6 = (1/2, 1/2), population shares p = (3/4, 1/4):
    T = 1/2 ln(2/3) + 1/2 ln(2) = 1/2 ln(4/3); L = 3/4 ln(3/2) + 1/4 ln(1/2).
    Gini: sum_ij p_i p_j |y_i - y_j| = 2 (3/4)(1/4)(2) = 3/4 over 2 * mean(=3/2): 1/4
    (the people: 1, 1, 1, 3; pairs 2 * 3 * 2 = 12 over 2 * 4^2 * 3/2 = 48)."""
    table = pd.DataFrame({"region": ["a", "b"], "year": 2020, "y": [1.0, 3.0],
                          "pop": [3.0, 1.0]})  # fmt: skip
    res = theil(table, "y", region="region", year="year", weight="pop")
    assert res.components["T"].iloc[0] == pytest.approx(0.5 * np.log(4 / 3), rel=EXACT_RTOL)
    expected_l = 0.75 * np.log(1.5) + 0.25 * np.log(0.5)
    assert res.components["L"].iloc[0] == pytest.approx(expected_l, rel=EXACT_RTOL)
    gini = dagum_gini(table, "y", region="region", year="year", weight="pop")
    assert gini.components["G"].iloc[0] == pytest.approx(0.25, rel=EXACT_RTOL)
    assert res.options["weight"] == "pop" and gini.options["weight"] == "pop"


def _replicated(values: np.ndarray, weights: np.ndarray, groups: list[str]) -> pd.DataFrame:
    """One row per person: region i repeated weights[i] times (constant over years)."""
    rows = []
    for t in range(values.shape[0]):
        for i, count in enumerate(weights):
            rows += [(f"r{i}_{c}", 2001 + t, values[t, i], groups[i]) for c in range(count)]
    return pd.DataFrame(rows, columns=["region", "year", "D", "zone"])


def test_integer_weights_equal_the_unweighted_indices_of_the_replicated_people():
    """Weight w_i = counting region i w_i times: the weighted Theil T and L (with their
    between and within parts) and the weighted Dagum decomposition equal the unweighted
    ones of the replicated table, which are checked against PySAL and fractions above."""
    rng = np.random.default_rng(21)
    values = rng.lognormal(size=(3, 7))
    weights = np.array([1, 4, 2, 3, 1, 5, 2])
    groups = ["a", "a", "a", "b", "b", "c", "c"]
    table = long_table(values, groups).assign(pop=np.tile(weights.astype(float), 3))
    keys = {"group": "zone", "region": "region", "year": "year"}
    people = _replicated(values, weights, groups)
    weighted = theil(table, "D", weight="pop", **keys).components
    plain = theil(people, "D", **keys).components
    pd.testing.assert_frame_equal(weighted, plain, rtol=EXACT_RTOL)
    g_weighted = dagum_gini(table, "D", weight="pop", **keys).components
    g_plain = dagum_gini(people, "D", **keys).components
    pd.testing.assert_frame_equal(g_weighted, g_plain, rtol=1e-11)
    equal = theil(table.assign(pop=2.5), "D", weight="pop", **keys).components
    pd.testing.assert_frame_equal(equal, theil(table, "D", **keys).components, rtol=EXACT_RTOL)


def test_nested_decomposition_by_explicit_group_means():
    """Units in provinces in regions: T = between regions + between provinces within
    regions + within provinces (Akita 2003), each part computed here from group means
    with pandas, weighted by population; likewise for L."""
    rng = np.random.default_rng(22)
    n = 9
    province = ["p1", "p1", "p2", "p2", "p2", "p3", "p4", "p4", "p4"]
    zone = ["A", "A", "A", "A", "A", "B", "B", "B", "B"]
    values = rng.lognormal(size=(2, n))
    pop = rng.uniform(1, 5, size=(2, n))
    table = long_table(values, zone).assign(province=np.tile(province, 2), pop=pop.ravel())
    res = theil(table, "D", group="zone", subgroup="province", region="region", year="year",
                weight="pop")  # fmt: skip
    for year, part in table.groupby("year"):
        y, w = part["D"].to_numpy(), part["pop"].to_numpy()
        mu = (w * y).sum() / w.sum()
        s, p = w * y / (w * y).sum(), w / w.sum()
        frame = part.assign(s=s, p=p, wy=w * y)
        zone_mu = frame.groupby("zone")["wy"].sum() / frame.groupby("zone")["pop"].sum()
        prov_mu = frame.groupby("province")["wy"].sum() / frame.groupby("province")["pop"].sum()
        prov_zone = frame.groupby("province")["zone"].first()
        S_r, P_r = frame.groupby("zone")["s"].sum(), frame.groupby("zone")["p"].sum()
        S_q, P_q = frame.groupby("province")["s"].sum(), frame.groupby("province")["p"].sum()
        t_br = (S_r * np.log(zone_mu / mu)).sum()
        t_bp = (S_q * np.log(prov_mu / zone_mu[prov_zone].to_numpy())).sum()
        t_wp = (s * np.log(y / prov_mu[frame["province"]].to_numpy())).sum()
        l_br = (P_r * np.log(mu / zone_mu)).sum()
        l_bp = (P_q * np.log(zone_mu[prov_zone].to_numpy() / prov_mu)).sum()
        l_wp = (p * np.log(prov_mu[frame["province"]].to_numpy() / y)).sum()
        row = res.components.loc[year]
        for name, value in (("T_between", t_br), ("T_between_sub", t_bp),
                            ("T_within_sub", t_wp), ("L_between", l_br),
                            ("L_between_sub", l_bp), ("L_within_sub", l_wp)):  # fmt: skip
            assert row[name] == pytest.approx(value, rel=1e-12), name
        assert row["T"] == pytest.approx(t_br + t_bp + t_wp, rel=1e-12)
        assert row["T_within"] == pytest.approx(t_bp + t_wp, rel=1e-12)
        assert row["L"] == pytest.approx(l_br + l_bp + l_wp, rel=1e-12)


def test_bad_weights_and_subgroups_are_refused():
    table = long_table(np.array([[1.0, 2.0, 3.0, 4.0]]), ["a", "a", "b", "b"])
    keys = {"group": "zone", "region": "region", "year": "year"}
    with pytest.raises(SpecificationError, match="positive"):
        theil(table.assign(pop=[1.0, 0.0, 2.0, 2.0]), "D", weight="pop", **keys)
    with pytest.raises(SpecificationError, match="positive"):
        dagum_gini(table.assign(pop=[1.0, -1.0, 2.0, 2.0]), "D", weight="pop", **keys)
    with pytest.raises(SpecificationError, match="nested in the groups"):
        theil(table.assign(province=["p", "q", "q", "r"]), "D", subgroup="province", **keys)
