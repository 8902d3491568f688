"""Tests for coupling/agglomeration.py: location quotients and co-agglomeration indices.

Expected values are computed exactly with :class:`fractions.Fraction` from the textbook
definitions (Isard 1960 for LQ; Ellison and Glaeser 1997, J. Political Economy 105(5),
eq. 13 for the co-agglomeration of a group of industries), written out here in plain
Python loops, independently of the package's array code.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling.exceptions import (
    CouplingError,
    DegenerateIndexError,
    DuplicateObservationError,
    IndicatorNotFoundError,
    InvalidOptionError,
    MissingValueError,
    NegativeValueError,
)
from coupling.industry.agglomeration import (
    coagglomeration_index,
    location_quotient,
    plant_herfindahl,
)

SECTORS = ["manufacturing", "services", "agriculture"]
REGIONS = ["A", "B", "C"]

# Hand-worked table (one year):
#          manufacturing  services  agriculture   e_r
#   A            60          30          10       100
#   B            20          50          30       100
#   C            40          20         140       200
#   E_j         120         100         180       E = 400
COUNTS_2019 = {"A": [60, 30, 10], "B": [20, 50, 30], "C": [40, 20, 140]}
# Second year for the panel tests:
#   A 50 40 10 (100) | B 30 60 10 (100) | C 20 50 130 (200) | E_j 100 150 150, E = 400
COUNTS_2020 = {"A": [50, 40, 10], "B": [30, 60, 10], "C": [20, 50, 130]}

# LQ = (e_rj / e_r) / (E_j / E), worked by hand for COUNTS_2019:
#   A: (60/100)/(120/400) = 2     (30/100)/(100/400) = 6/5  (10/100)/(180/400)  = 2/9
#   B: (20/100)/(120/400) = 2/3   (50/100)/(100/400) = 2    (30/100)/(180/400)  = 2/3
#   C: (40/200)/(120/400) = 2/3   (20/200)/(100/400) = 2/5  (140/200)/(180/400) = 14/9
HAND_LQ_2019 = {
    "A": [Fraction(2), Fraction(6, 5), Fraction(2, 9)],
    "B": [Fraction(2, 3), Fraction(2), Fraction(2, 3)],
    "C": [Fraction(2, 3), Fraction(2, 5), Fraction(14, 9)],
}


def fraction_lq(
    counts: dict[str, list[int]], totals: dict[str, int] | None = None
) -> dict[str, list[Fraction]]:
    """Exact LQ_rj = (e_rj / e_r) / (E_j / E) with explicit sums."""
    regions = list(counts)
    n_sectors = len(counts[regions[0]])
    e_r = {r: (totals[r] if totals is not None else sum(counts[r])) for r in regions}
    grand = sum(e_r.values())
    sector_sums = [sum(counts[r][j] for r in regions) for j in range(n_sectors)]
    return {
        r: [
            Fraction(counts[r][j], e_r[r]) / Fraction(sector_sums[j], grand)
            for j in range(n_sectors)
        ]
        for r in regions
    }


def as_float_matrix(exact: dict[str, list[Fraction]], regions: list[str]) -> np.ndarray:
    return np.array([[float(v) for v in exact[r]] for r in regions])


def single_year_table(counts: dict[str, list[int]], columns: list[str] = SECTORS) -> pd.DataFrame:
    return pd.DataFrame.from_dict(counts, orient="index", columns=columns)


def panel_table() -> pd.DataFrame:
    rows = [
        {"region": r, "year": year, **dict(zip(SECTORS, values))}
        for year, counts in ((2019, COUNTS_2019), (2020, COUNTS_2020))
        for r, values in counts.items()
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Location quotient
# --------------------------------------------------------------------------------------


def test_hand_worked_table_matches_fractions() -> None:
    # the generic exact helper reproduces the hand-worked values
    assert fraction_lq(COUNTS_2019) == HAND_LQ_2019


def test_location_quotient_hand_worked() -> None:
    table = single_year_table(COUNTS_2019)
    out = location_quotient(table)
    assert list(out.columns) == SECTORS
    assert list(out.index) == REGIONS
    # Source: HAND_LQ_2019 (exact fractions above)
    np.testing.assert_allclose(out.to_numpy(), as_float_matrix(HAND_LQ_2019, REGIONS), rtol=1e-12)
    assert out.loc["C", "agriculture"] == pytest.approx(14 / 9, rel=1e-12)


def test_location_quotient_sector_subset_with_total() -> None:
    # A total column larger than the listed sectors: e_r = total, E = 150 + 100 + 250 = 500.
    #   A manufacturing: (60/150)/(120/500) = (2/5)/(6/25) = 5/3
    #   C services:      (20/250)/(100/500) = (2/25)/(1/5) = 2/5
    table = single_year_table(COUNTS_2019)
    table["total"] = [150, 100, 250]
    out = location_quotient(table, total="total")
    assert list(out.columns) == SECTORS  # `total` is not a sector
    exact = fraction_lq(COUNTS_2019, totals={"A": 150, "B": 100, "C": 250})
    assert exact["A"][0] == Fraction(5, 3)
    assert exact["C"][1] == Fraction(2, 5)
    np.testing.assert_allclose(out.to_numpy(), as_float_matrix(exact, REGIONS), rtol=1e-12)
    # listing a subset of sectors changes nothing when e_r comes from `total`
    sub = location_quotient(table, ["services"], total="total")
    np.testing.assert_allclose(
        sub["services"].to_numpy(), [float(exact[r][1]) for r in REGIONS], rtol=1e-12
    )


def test_location_quotient_subset_without_total_uses_listed_sectors() -> None:
    # e_r = manufacturing + services only: A 90, B 70, C 60; E = 220; E_m = 120.
    #   A manufacturing: (60/90)/(120/220) = (2/3)(11/6) = 11/9
    table = single_year_table(COUNTS_2019)
    out = location_quotient(table, ["manufacturing", "services"])
    exact = fraction_lq({r: v[:2] for r, v in COUNTS_2019.items()})
    assert exact["A"][0] == Fraction(11, 9)
    np.testing.assert_allclose(out.to_numpy(), as_float_matrix(exact, REGIONS), rtol=1e-12)


def exact_panel_rows(table: pd.DataFrame) -> np.ndarray:
    """Exact LQs of panel rows in the table's own row order, from the Fractions per year."""
    exact = {2019: fraction_lq(COUNTS_2019), 2020: fraction_lq(COUNTS_2020)}
    return np.array(
        [[float(v) for v in exact[y][r]] for r, y in zip(table["region"], table["year"])]
    )


def test_location_quotient_two_years_with_key_columns() -> None:
    table = panel_table()
    out = location_quotient(table, SECTORS, region="region", year="year")
    assert out.shape == (6, 3)
    # rows come back in the table's order: 2019 A B C, then 2020 A B C
    np.testing.assert_allclose(out.to_numpy(), exact_panel_rows(table), rtol=1e-12)
    # one year equals the single-year computation
    single = location_quotient(single_year_table(COUNTS_2020))
    np.testing.assert_allclose(out.to_numpy()[3:], single.to_numpy(), rtol=1e-12)


def test_location_quotient_default_sectors_skip_keys() -> None:
    table = panel_table()
    out = location_quotient(table, region="region", year="year")
    assert list(out.columns) == SECTORS  # `year` is numeric but a key


def test_location_quotient_two_level_index() -> None:
    table = panel_table()
    by_columns = location_quotient(table, SECTORS, region="region", year="year")
    by_index = location_quotient(table.set_index(["region", "year"]))
    np.testing.assert_allclose(by_index.to_numpy(), by_columns.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(by_index.to_numpy(), exact_panel_rows(table), rtol=1e-12)


def test_location_quotient_rows_in_any_order() -> None:
    table = panel_table().sample(frac=1.0, random_state=3)
    out = location_quotient(table, SECTORS, region="region", year="year")
    np.testing.assert_allclose(out.to_numpy(), exact_panel_rows(table), rtol=1e-12)


@pytest.mark.parametrize("style", ["key-columns", "two-level-index"])
def test_panel_output_is_indexed_by_region_and_year(style: str) -> None:
    # "One column per sector, indexed by the row keys": a (region, year) MultiIndex.
    table = panel_table()
    if style == "key-columns":
        out = location_quotient(table, SECTORS, region="region", year="year")
    else:
        out = location_quotient(table.set_index(["region", "year"]))
    expected = pd.MultiIndex.from_frame(table[["region", "year"]])
    assert isinstance(out.index, pd.MultiIndex), type(out.index)
    pd.testing.assert_index_equal(out.index, expected)
    np.testing.assert_allclose(
        out.xs(2020, level="year").loc[REGIONS].to_numpy(),
        as_float_matrix(fraction_lq(COUNTS_2020), REGIONS),
        rtol=1e-12,
    )


def test_coagglomeration_panel_output_is_indexed_by_region_and_year() -> None:
    table = panel_table()
    out = coagglomeration_index(table, "manufacturing", "services", region="region", year="year")
    pd.testing.assert_index_equal(out.index, pd.MultiIndex.from_frame(table[["region", "year"]]))


def test_location_quotient_year_key_with_region_index() -> None:
    # Regions in the index and the year as a column: rows are unique by (index, year), and
    # sums must still be taken within each year.
    table = panel_table().set_index("region")
    out = location_quotient(table, SECTORS, year="year")
    expected = np.vstack(
        [
            as_float_matrix(fraction_lq(COUNTS_2019), REGIONS),
            as_float_matrix(fraction_lq(COUNTS_2020), REGIONS),
        ]
    )
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12)


# --------------------------------------------------------------------------------------
# Co-agglomeration: quality and chen2016
# --------------------------------------------------------------------------------------

# Services split into two producer-service sectors (finance + logistics):
#          manufacturing  finance  logistics  agriculture   e_r   services
#   A            60          10        20          10        100     30
#   B            20          30        20          30        100     50
#   C            40          10        10         140        200     20
# so LQ_m = (2, 2/3, 2/3) and LQ_s = (6/5, 2, 2/5) as in HAND_LQ_2019.
COAG_COLUMNS = ["manufacturing", "finance", "logistics", "agriculture"]
COAG_COUNTS = {"A": [60, 10, 20, 10], "B": [20, 30, 20, 30], "C": [40, 10, 10, 140]}


def exact_side_lq(counts: dict[str, list[int]]) -> tuple[list[Fraction], list[Fraction]]:
    """LQ of manufacturing (column 0) and of finance + logistics (columns 1 + 2)."""
    pair = {r: [v[0], v[1] + v[2]] for r, v in counts.items()}
    totals = {r: sum(v) for r, v in counts.items()}
    lq = fraction_lq(pair, totals)
    return [lq[r][0] for r in counts], [lq[r][1] for r in counts]


def test_quality_index_fractions() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    out = coagglomeration_index(table, "manufacturing", ["finance", "logistics"])
    lq_m, lq_s = exact_side_lq(COAG_COUNTS)
    assert lq_m == [Fraction(2), Fraction(2, 3), Fraction(2, 3)]
    assert lq_s == [Fraction(6, 5), Fraction(2), Fraction(2, 5)]
    # quality = 1 - |LQm - LQs| / (LQm + LQs):
    #   A: 1 - (4/5)/(16/5) = 3/4;  B: 1 - (4/3)/(8/3) = 1/2;  C: 1 - (4/15)/(16/15) = 3/4
    quality = [1 - abs(m - s) / (m + s) for m, s in zip(lq_m, lq_s)]
    assert quality == [Fraction(3, 4), Fraction(1, 2), Fraction(3, 4)]
    assert list(out.columns) == ["LQ_manufacturing", "LQ_services", "coagglomeration"]
    np.testing.assert_allclose(out["LQ_manufacturing"], [float(v) for v in lq_m], rtol=1e-12)
    np.testing.assert_allclose(out["LQ_services"], [float(v) for v in lq_s], rtol=1e-12)
    np.testing.assert_allclose(out["coagglomeration"], [float(v) for v in quality], rtol=1e-12)


def test_chen2016_index_fractions() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    out = coagglomeration_index(
        table, ["manufacturing"], ["finance", "logistics"], variant="chen2016"
    )
    lq_m, lq_s = exact_side_lq(COAG_COUNTS)
    # chen2016 = quality + LQm + LQs:  A 3/4 + 16/5 = 79/20;  B 1/2 + 8/3 = 19/6;
    #                                  C 3/4 + 16/15 = 109/60
    chen = [1 - abs(m - s) / (m + s) + m + s for m, s in zip(lq_m, lq_s)]
    assert chen == [Fraction(79, 20), Fraction(19, 6), Fraction(109, 60)]
    np.testing.assert_allclose(out["coagglomeration"], [float(v) for v in chen], rtol=1e-12)


def test_quality_index_per_year_and_total() -> None:
    table = panel_table()
    table["total"] = [150, 100, 250, 120, 110, 270]
    out = coagglomeration_index(
        table, "manufacturing", "services", total="total", region="region", year="year"
    )
    pair_2020 = {r: v[:2] for r, v in COUNTS_2020.items()}
    lq = fraction_lq(pair_2020, totals={"A": 120, "B": 110, "C": 270})
    quality = [1 - abs(lq[r][0] - lq[r][1]) / (lq[r][0] + lq[r][1]) for r in REGIONS]
    got = out.iloc[3:]  # rows of 2020 (A, B, C), in the table's order
    np.testing.assert_allclose(
        got["LQ_manufacturing"], [float(lq[r][0]) for r in REGIONS], rtol=1e-12
    )
    np.testing.assert_allclose(got["coagglomeration"], [float(q) for q in quality], rtol=1e-12)


# --------------------------------------------------------------------------------------
# Co-agglomeration: Ellison-Glaeser
# --------------------------------------------------------------------------------------


def eg_general(
    m: list[int], s: list[int], e: list[int], h_m: Fraction, h_s: Fraction
) -> dict[str, Fraction]:
    """Ellison-Glaeser (1997) eq. 13 for a group of two industries, term by term, exactly."""
    total_m, total_s, grand = sum(m), sum(s), sum(e)
    n = len(e)
    x = [Fraction(e[r], grand) for r in range(n)]
    one_minus_x2 = 1 - sum(xr * xr for xr in x)
    shares = {"m": [Fraction(v, total_m) for v in m], "s": [Fraction(v, total_s) for v in s]}
    plant_h = {"m": h_m, "s": h_s}
    w = {"m": Fraction(total_m, total_m + total_s), "s": Fraction(total_s, total_m + total_s)}
    gamma = {}
    for j in ("m", "s"):
        g_j = sum((shares[j][r] - x[r]) ** 2 for r in range(n))
        gamma[j] = (g_j / one_minus_x2 - plant_h[j]) / (1 - plant_h[j])
    group = [Fraction(m[r] + s[r], total_m + total_s) for r in range(n)]
    g = sum((group[r] - x[r]) ** 2 for r in range(n))
    h = sum(w[j] ** 2 * plant_h[j] for j in ("m", "s"))
    numerator = g / one_minus_x2 - h - sum(gamma[j] * w[j] ** 2 * (1 - plant_h[j]) for j in "ms")
    gamma_c = numerator / (1 - sum(w[j] ** 2 for j in ("m", "s")))
    return {"gamma_c": gamma_c, "gamma_m": gamma["m"], "gamma_s": gamma["s"]}


def coag_sides(counts: dict[str, list[int]]) -> tuple[list[int], list[int], list[int]]:
    m = [v[0] for v in counts.values()]
    s = [v[1] + v[2] for v in counts.values()]
    e = [sum(v) for v in counts.values()]
    return m, s, e


def test_ellison_glaeser_general_formula_cancels_h() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    out = coagglomeration_index(
        table, "manufacturing", ["finance", "logistics"], variant="ellison_glaeser"
    )
    assert list(out.columns) == ["gamma_c"]
    assert len(out) == 1
    m, s, e = coag_sides(COAG_COUNTS)
    a = eg_general(m, s, e, Fraction(1, 20), Fraction(1, 5))  # H_m = 0.05, H_s = 0.2
    b = eg_general(m, s, e, Fraction(3, 10), Fraction(1, 100))  # other H: same gamma_c
    assert a["gamma_c"] == b["gamma_c"]
    # Hand check via the pairwise form: x = (1/4, 1/4, 1/2), s_m = (1/2, 1/6, 1/3),
    # s_s = (3/10, 1/2, 1/5); sum (s_m - x)(s_s - x) = 1/80 - 1/48 + 1/20 = 1/24;
    # 1 - sum x^2 = 5/8; gamma_c = (1/24) / (5/8) = 1/15.
    assert a["gamma_c"] == Fraction(1, 15)
    assert out["gamma_c"].iloc[0] == pytest.approx(float(a["gamma_c"]), rel=1e-12)


def test_ellison_glaeser_agglomeration_with_herfindahl() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    out = coagglomeration_index(
        table,
        "manufacturing",
        ["finance", "logistics"],
        variant="ellison_glaeser",
        herfindahl={"manufacturing": 0.05, "services": 0.2},
    )
    m, s, e = coag_sides(COAG_COUNTS)
    exact = eg_general(m, s, e, Fraction(1, 20), Fraction(1, 5))
    row = out.iloc[0]
    assert row["gamma_c"] == pytest.approx(float(exact["gamma_c"]), rel=1e-12)
    assert row["gamma_manufacturing"] == pytest.approx(float(exact["gamma_m"]), rel=1e-12)
    assert row["gamma_services"] == pytest.approx(float(exact["gamma_s"]), rel=1e-12)
    assert row["H_manufacturing"] == pytest.approx(0.05, rel=1e-15)
    assert row["H_services"] == pytest.approx(0.2, rel=1e-15)


def test_ellison_glaeser_with_total_column() -> None:
    # x_r from the `total` column (economy larger than the listed sectors)
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    table["total"] = [130, 160, 310]
    out = coagglomeration_index(
        table, "manufacturing", ["finance", "logistics"], variant="ellison_glaeser",
        total="total",
    )  # fmt: skip
    m, s, _ = coag_sides(COAG_COUNTS)
    exact = eg_general(m, s, [130, 160, 310], Fraction(1, 10), Fraction(1, 10))
    assert out["gamma_c"].iloc[0] == pytest.approx(float(exact["gamma_c"]), rel=1e-12)


def test_ellison_glaeser_per_year() -> None:
    table = panel_table()
    herfindahl = pd.DataFrame(
        {"manufacturing": [0.05, 0.1], "services": [0.2, 0.15]}, index=[2019, 2020]
    )
    out = coagglomeration_index(
        table,
        "manufacturing",
        "services",
        variant="ellison_glaeser",
        region="region",
        year="year",
        herfindahl=herfindahl,
    )
    assert list(out.index) == [2019, 2020]
    assert out.index.name == "year"
    for year, counts, h_m, h_s in (
        (2019, COUNTS_2019, Fraction(1, 20), Fraction(1, 5)),
        (2020, COUNTS_2020, Fraction(1, 10), Fraction(3, 20)),
    ):
        m = [v[0] for v in counts.values()]
        s = [v[1] for v in counts.values()]
        e = [sum(v) for v in counts.values()]
        exact = eg_general(m, s, e, h_m, h_s)
        assert out.loc[year, "gamma_c"] == pytest.approx(float(exact["gamma_c"]), rel=1e-12)
        assert out.loc[year, "gamma_manufacturing"] == pytest.approx(
            float(exact["gamma_m"]), rel=1e-12
        )
        assert out.loc[year, "gamma_services"] == pytest.approx(float(exact["gamma_s"]), rel=1e-12)
        # and equal to the single-year computation
        single = coagglomeration_index(
            single_year_table(counts), "manufacturing", "services", variant="ellison_glaeser"
        )
        assert out.loc[year, "gamma_c"] == pytest.approx(single["gamma_c"].iloc[0], rel=1e-12)


def test_ellison_glaeser_two_level_index() -> None:
    table = panel_table()
    by_index = coagglomeration_index(
        table.set_index(["region", "year"]), "manufacturing", "services", variant="ellison_glaeser"
    )
    by_columns = coagglomeration_index(
        table, "manufacturing", "services", variant="ellison_glaeser", region="region",
        year="year",
    )  # fmt: skip
    np.testing.assert_allclose(by_index.to_numpy(), by_columns.to_numpy(), rtol=1e-12)
    assert list(by_index.index) == [2019, 2020]


def test_ellison_glaeser_two_level_index_names_the_year() -> None:
    # The year level of a two-level (region, year) index labels the per-year output.
    table = panel_table().set_index(["region", "year"])
    out = coagglomeration_index(table, "manufacturing", "services", variant="ellison_glaeser")
    assert out.index.name == "year"


# --------------------------------------------------------------------------------------
# Plant Herfindahl
# --------------------------------------------------------------------------------------


def test_plant_herfindahl() -> None:
    # Source: shares 0.5, 0.3, 0.2 -> 0.25 + 0.09 + 0.04 = 0.38
    assert plant_herfindahl([50, 30, 20]) == pytest.approx(0.38, rel=1e-12)
    # a single plant: H = 1; n equal plants: H = 1/n
    assert plant_herfindahl([7]) == pytest.approx(1.0, rel=1e-12)
    assert plant_herfindahl(np.full(8, 3.0)) == pytest.approx(1 / 8, rel=1e-12)


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        ([], DegenerateIndexError, "at least one plant"),
        ([0, 0], DegenerateIndexError, "at least one plant"),
        ([-1, 5], NegativeValueError, r"must be >= 0; found \[-1.0\]"),
        ([np.nan, 3], MissingValueError, "finite numbers"),
    ],
    ids=["empty", "zeros", "negative", "nan"],
)
def test_plant_herfindahl_rejects_bad_sizes(sizes: list[float], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        plant_herfindahl(sizes)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@st.composite
def employment_tables(draw: st.DrawFn) -> pd.DataFrame:
    n_regions = draw(st.integers(min_value=2, max_value=6))
    n_sectors = draw(st.integers(min_value=2, max_value=4))
    cells = st.integers(min_value=1, max_value=10_000)
    values = draw(
        st.lists(
            st.lists(cells, min_size=n_sectors, max_size=n_sectors),
            min_size=n_regions,
            max_size=n_regions,
        )
    )
    return pd.DataFrame(
        values,
        index=[f"r{i}" for i in range(n_regions)],
        columns=[f"s{j}" for j in range(n_sectors)],
    )


@settings(max_examples=50, deadline=None)
@given(table=employment_tables(), scale=st.floats(min_value=0.01, max_value=1000.0))
def test_property_lq_scale_invariant(table: pd.DataFrame, scale: float) -> None:
    np.testing.assert_allclose(
        location_quotient(table * scale).to_numpy(),
        location_quotient(table).to_numpy(),
        rtol=1e-12,
    )


@settings(max_examples=50, deadline=None)
@given(table=employment_tables())
def test_property_weighted_mean_lq_is_one(table: pd.DataFrame) -> None:
    # sum_r (e_r / E) LQ_rj = sum_r e_rj / E_j = 1
    lq = location_quotient(table).to_numpy()
    e_r = table.to_numpy(dtype=float).sum(axis=1)
    weights = e_r / e_r.sum()
    np.testing.assert_allclose(weights @ lq, np.ones(lq.shape[1]), rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(table=employment_tables())
def test_property_quality_in_unit_interval(table: pd.DataFrame) -> None:
    columns = list(table.columns)
    out = coagglomeration_index(table, columns[0], columns[1:])
    quality = out["coagglomeration"].to_numpy()
    assert np.all(quality >= 0.0)
    assert np.all(quality <= 1.0 + 1e-12)


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def test_negative_count() -> None:
    table = single_year_table(COUNTS_2019)
    table.loc["B", "services"] = -5
    with pytest.raises(NegativeValueError, match=r"'services' = -5 at B"):
        location_quotient(table)
    with pytest.raises(NegativeValueError, match=r"'services' = -5 at B"):
        coagglomeration_index(table, "manufacturing", "services")


def test_missing_value() -> None:
    table = single_year_table(COUNTS_2019).astype(float)
    table.loc["C", "agriculture"] = np.nan
    with pytest.raises(MissingValueError, match=r"missing or non-numeric .*'agriculture' at C"):
        location_quotient(table)


def test_non_numeric_value() -> None:
    table = single_year_table(COUNTS_2019).astype(object)
    table.loc["A", "manufacturing"] = "n/a"
    with pytest.raises(MissingValueError, match=r"'manufacturing' at A"):
        location_quotient(table, SECTORS)


def test_duplicated_region() -> None:
    table = panel_table()
    with pytest.raises(DuplicateObservationError, match=r"occur more than once: A, B, C"):
        location_quotient(table, SECTORS, region="region")
    dup = single_year_table(COUNTS_2019)
    dup.index = ["A", "B", "A"]
    with pytest.raises(DuplicateObservationError, match=r"1 row key\(s\) occur more than once: A"):
        location_quotient(dup)


def test_unknown_sector_suggests_near_miss() -> None:
    table = single_year_table(COUNTS_2019)
    with pytest.raises(IndicatorNotFoundError, match=re.escape("Did you mean 'manufacturing'?")):
        location_quotient(table, ["manufacturng", "services"])
    with pytest.raises(IndicatorNotFoundError, match=r"\['manufactoring'\] are not in the table"):
        coagglomeration_index(table, "manufactoring", "services", total="services")
    with pytest.raises(KeyError, match="mining"):
        location_quotient(table, ["mining"])


def test_unknown_key_column() -> None:
    with pytest.raises(IndicatorNotFoundError, match=r"Key column\(s\) \['province'\]"):
        location_quotient(panel_table(), SECTORS, region="province", year="year")


def test_region_with_zero_employment() -> None:
    table = single_year_table({**COUNTS_2019, "D": [0, 0, 0]})
    with pytest.raises(DegenerateIndexError, match="Total employment is zero for D"):
        location_quotient(table)


def test_sector_with_zero_national_employment() -> None:
    table = single_year_table(COUNTS_2019)
    table["mining"] = 0
    with pytest.raises(DegenerateIndexError, match="No employment at all in 'mining'"):
        location_quotient(table)


def test_ellison_glaeser_side_without_employment() -> None:
    table = single_year_table(COUNTS_2019)
    table["mining"] = 0
    with pytest.raises(DegenerateIndexError, match="has no employment"):
        coagglomeration_index(table, "manufacturing", "mining", variant="ellison_glaeser")


def test_unknown_variant() -> None:
    listing = re.escape("choose one of 'quality', 'chen2016', 'ellison_glaeser'")
    with pytest.raises(InvalidOptionError, match=listing):
        coagglomeration_index(single_year_table(COUNTS_2019), "manufacturing", "services",
                              variant="eg")  # fmt: skip


def test_column_on_both_sides() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    with pytest.raises(InvalidOptionError, match=r"\['finance'\] are on both sides"):
        coagglomeration_index(table, ["manufacturing", "finance"], ["finance", "logistics"])


def test_side_outside_economy_without_total() -> None:
    table = single_year_table(COAG_COUNTS, COAG_COLUMNS)
    with pytest.raises(InvalidOptionError, match=r"\['logistics'\] are not among the sectors"):
        coagglomeration_index(
            table, "manufacturing", ["finance", "logistics"],
            sectors=["manufacturing", "finance", "agriculture"],
        )  # fmt: skip


@pytest.mark.parametrize(
    "herfindahl",
    [
        {"manufacturing": 0.05},
        pd.DataFrame({"manufacturing": [0.05], "services": [0.2]}, index=[1999]),
    ],
    ids=["missing-side", "missing-year"],
)
def test_herfindahl_missing(herfindahl: object) -> None:
    with pytest.raises(InvalidOptionError, match="herfindahl needs 'manufacturing' and 'services'"):
        coagglomeration_index(
            single_year_table(COUNTS_2019), "manufacturing", "services",
            variant="ellison_glaeser", herfindahl=herfindahl,
        )  # fmt: skip


def test_herfindahl_out_of_range() -> None:
    with pytest.raises(InvalidOptionError, match=re.escape("must lie in [0, 1)")):
        coagglomeration_index(
            single_year_table(COUNTS_2019), "manufacturing", "services",
            variant="ellison_glaeser", herfindahl={"manufacturing": 1.0, "services": 0.2},
        )  # fmt: skip


def test_not_a_dataframe() -> None:
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        location_quotient(np.ones((3, 2)), ["a", "b"])


def test_errors_derive_from_builtins() -> None:
    table = single_year_table({**COUNTS_2019, "D": [0, 0, 0]})
    with pytest.raises(ValueError, match="Total employment is zero"):
        location_quotient(table)
    with pytest.raises(CouplingError, match="Total employment is zero"):
        location_quotient(table)


# --------------------------------------------------------------------------------------
# Inputs are not modified
# --------------------------------------------------------------------------------------

CALLS: dict[str, Callable[[pd.DataFrame], object]] = {
    "lq": lambda t: location_quotient(t, SECTORS, region="region", year="year"),
    "lq-total": lambda t: location_quotient(t, ["services"], total="total", region="region",
                                            year="year"),
    "quality": lambda t: coagglomeration_index(t, "manufacturing", ["services", "agriculture"],
                                               region="region", year="year"),
    "chen2016": lambda t: coagglomeration_index(t, "manufacturing", "services",
                                                variant="chen2016", region="region",
                                                year="year"),
    "eg": lambda t: coagglomeration_index(t, "manufacturing", "services",
                                          variant="ellison_glaeser", region="region",
                                          year="year",
                                          herfindahl={"manufacturing": 0.05, "services": 0.2}),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CALLS))
def test_input_not_modified(name: str) -> None:
    table = panel_table()
    table["total"] = table[SECTORS].sum(axis=1) + 10
    before = copy.deepcopy(table)
    CALLS[name](table)
    pd.testing.assert_frame_equal(table, before)
