"""Tests of spatial/exploratory/autocorrelation.py and of its figures (spatial/viz/charts.py).

Moran's I, Geary's C and LISA by year agree with esda.

Reference: esda 2.8 called directly in each test on the same data, R&D intensity
(``rd_intensity``) of the 31 provinces 2018-2023 from ``coupling.datasets`` and the queen
contiguity of ``china_provinces()`` (Hainan linked to Guangdong). Tolerance: rtol=1e-12 for
the statistics, exact equality for permutation p-values under the same seeding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import esda
import libpysal
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coupling.datasets import load_provincial_panel
from spatial import SpatialWeights
from spatial.exceptions import (
    ColumnNotFoundError,
    DuplicateObservationError,
    InvalidOptionError,
    MissingValueError,
    PanelStructureError,
    SpecificationError,
    WeightsAlignmentError,
)
from spatial.exploratory import (
    LISA_LABELS,
    LISA_LABELS_ZH,
    LocalMoranResults,
    MoranResults,
    local_moran,
    moran_by_year,
)
from spatial.viz import moran_plot, moran_scatter
from spatial.weights import china_provinces
from tests.spatial.viz.pictures import assert_picture

YEARS = list(range(2018, 2024))
RTOL = 1e-12  # statistics: same arithmetic as esda up to summation order


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    data = load_provincial_panel()
    return data[data["year"].isin(YEARS)].reset_index(drop=True)


@pytest.fixture(scope="module")
def w() -> SpatialWeights:
    return china_provinces("queen")


@pytest.fixture(scope="module")
def esda_w(w: SpatialWeights) -> libpysal.weights.W:
    return libpysal.weights.WSP(w.sparse, id_order=list(w.ids)).to_W(silence_warnings=True)


@pytest.fixture(scope="module")
def lisa(panel: pd.DataFrame, w: SpatialWeights) -> LocalMoranResults:
    return local_moran(panel, "rd_intensity", w, "code", "year", years=[2019, 2023], seed=5)


def values_of(panel: pd.DataFrame, w: SpatialWeights, year: int) -> np.ndarray:
    return panel[panel["year"] == year].set_index("code").loc[list(w.ids), "rd_intensity"].values


def same_state(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and tuple(a[2:]) == tuple(b[2:])


@pytest.fixture
def fresh_global_state() -> Iterator[None]:
    state = np.random.get_state()  # noqa: NPY002
    yield
    np.random.set_state(state)  # noqa: NPY002


# ------------------------------------------------------------------- global statistics
def test_moran_and_geary_equal_esda(panel, w, esda_w, fresh_global_state):
    """Statistics, moments and normal p-values equal esda's at rtol 1e-12; the
    permutation p-values agree with esda's within sampling error (both with 9,999
    permutations, independent draws: |diff| <= 4 sd of the difference + 2/10,000)."""
    draws = 9999
    result = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=draws, seed=3)
    assert isinstance(result, MoranResults)
    assert list(result.table.index) == YEARS and result.table.index.name == "year"
    np.random.seed(3)  # noqa: NPY002 - esda draws from the global state
    for year in YEARS:
        y = values_of(panel, w, year)
        row = result.table.loc[year]
        moran = esda.Moran(y, esda_w, permutations=draws)
        np.testing.assert_allclose(row["I"], moran.I, rtol=RTOL)
        np.testing.assert_allclose(
            row[["E_I", "sd_I_norm", "z_I_norm", "p_norm_I", "sd_I_rand", "z_I_rand",
                 "p_rand_I"]].to_numpy(float),
            [moran.EI, moran.seI_norm, moran.z_norm, moran.p_norm, moran.seI_rand,
             moran.z_rand, moran.p_rand], rtol=RTOL,
        )  # fmt: skip
        geary = esda.Geary(y, esda_w, permutations=draws)
        np.testing.assert_allclose(
            row[["C", "z_C_norm", "p_norm_C", "z_C_rand", "p_rand_C"]].to_numpy(float),
            [geary.C, geary.z_norm, geary.p_norm, geary.z_rand, geary.p_rand], rtol=RTOL,
        )  # fmt: skip
        for ours, theirs in ((row["p_sim_I"], moran.p_sim), (row["p_sim_C"], geary.p_sim)):
            p = (ours + theirs) / 2
            assert abs(ours - theirs) <= 4 * np.sqrt(2 * p * (1 - p) / draws) + 2 / draws
    assert (result.table["I"] > 0).all() and (result.table["C"] < 1).all()


def test_seeded_runs_repeat_and_leave_global_state(panel, w, lisa):
    before = np.random.get_state()  # noqa: NPY002
    first = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=199, seed=11)
    second = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=199, seed=11)
    again = local_moran(panel, "rd_intensity", w, "code", "year", years=[2019, 2023], seed=5)
    assert same_state(before, np.random.get_state())  # noqa: NPY002
    pd.testing.assert_frame_equal(first.table, second.table)
    pd.testing.assert_frame_equal(again.table, lisa.table)
    other = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=199, seed=12)
    assert not first.table["p_sim_I"].equals(other.table["p_sim_I"])


def test_moran_invariant_to_region_order(panel, w):
    order = list(np.random.default_rng(1).permutation(np.array(w.ids, dtype=object)))
    shuffled = panel.sample(frac=1.0, random_state=2)
    base = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=0, geary=False)
    moved = moran_by_year(shuffled, "rd_intensity", w.reorder(order), "code", "year",
                          permutations=0, geary=False)  # fmt: skip
    np.testing.assert_allclose(moved.table["I"], base.table["I"], rtol=1e-10)
    assert moved.table["p_sim_I"].isna().all()


def test_moran_summary_and_plot(panel, w, tmp_path):
    result = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=99)
    text = str(result.summary())
    assert "Moran's I" in text and "Geary's C" in text and "99 random permutations" in text
    assert "<table" in result.summary().as_html()
    path = tmp_path / "moran.png"
    fig = moran_plot(result, path)
    assert isinstance(fig, Figure)
    assert_picture(path)
    stars = [t.get_text() for t in fig.axes[0].texts]
    assert len(stars) == len(YEARS) and all(s.startswith("*") for s in stars)


# ------------------------------------------------------------------------- local Moran
@pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")
def test_local_moran_equals_esda_and_labels_follow_quadrants(panel, w, esda_w, lisa):
    """I_i, z, E[I_i], Var[I_i] and the quadrants equal esda's Moran_Local (its
    analytical part, permutations=0, which does not compile); the conditional
    permutation p-values are tested against the exact permutation distribution and
    against esda's in tests/spatial/exploratory/test_permutation.py."""
    table = lisa.table
    assert list(table.columns[:3]) == ["code", "year", "rd_intensity"]
    for year in (2019, 2023):
        part = table[table["year"] == year]
        assert list(part["code"]) == list(w.ids)
        reference = esda.Moran_Local(values_of(panel, w, year), esda_w, permutations=0)
        np.testing.assert_allclose(part["Is"], reference.Is, rtol=RTOL)
        np.testing.assert_allclose(part["z"], reference.z, rtol=RTOL)
        np.testing.assert_allclose(part["EI"], reference.EI, rtol=RTOL)
        np.testing.assert_allclose(part["VI"], reference.VI, rtol=RTOL)
        np.testing.assert_array_equal(part["quadrant"], reference.q)
    z, lag, q = table["z"].to_numpy(), table["lag"].to_numpy(), table["quadrant"].to_numpy()
    high, high_lag = z > 0, lag > 0
    np.testing.assert_array_equal(q == 1, high & high_lag)  # HH
    np.testing.assert_array_equal(q == 2, ~high & high_lag)  # LH
    np.testing.assert_array_equal(q == 3, ~high & ~high_lag)  # LL
    np.testing.assert_array_equal(q == 4, high & ~high_lag)  # HL
    significant = table["p_sim"].to_numpy() <= 0.05
    expected = np.where(significant, np.array(LISA_LABELS)[q - 1], "not significant")
    np.testing.assert_array_equal(table["label"].astype(str), expected)
    to_zh = dict(zip(LISA_LABELS, LISA_LABELS_ZH))
    np.testing.assert_array_equal(table["label_zh"].astype(str), [to_zh[x] for x in expected])
    assert significant.any() and not significant.all()
    # Is are esda's: (n - 1) z_i (Wz)_i / sum z^2
    n = w.n
    part = table[table["year"] == 2023]
    np.testing.assert_allclose(part["Is"], (n - 1) * part["z"] * part["lag"] / n, rtol=1e-10)


def test_local_moran_summary_counts(lisa):
    counts = lisa.counts()
    assert list(counts.columns) == list(LISA_LABELS) and list(counts.index) == [2019, 2023]
    assert (counts.sum(axis=1) == 31).all()
    assert list(lisa.counts("zh").columns) == list(LISA_LABELS_ZH)
    text = str(lisa.summary())
    assert "not significant" in text and "p_sim <= 0.05" in text


# ------------------------------------------------------------------------ scatter plot
def test_moran_scatter_slope_is_moran_i(panel, w, tmp_path):
    values = panel[panel["year"] == 2023].set_index("code")["rd_intensity"]
    path = tmp_path / "scatter.png"
    fig = moran_scatter(values.sample(frac=1.0, random_state=0), w, path=path)
    assert_picture(path)
    moran = moran_by_year(panel, "rd_intensity", w, "code", "year", years=[2023],
                          permutations=0).table.loc[2023, "I"]  # fmt: skip
    ax = fig.axes[0]
    points = ax.collections[0].get_offsets()
    z, lag = np.asarray(points[:, 0]), np.asarray(points[:, 1])
    np.testing.assert_allclose(z @ lag / (z @ z), moran, rtol=1e-10)  # least-squares slope
    line = ax.get_lines()[0]
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose((y[1] - y[0]) / (x[1] - x[0]), moran, rtol=1e-12)
    assert {t.get_text() for t in ax.texts} == {"HH", "LH", "LL", "HL"}


# ------------------------------------------------------------------------------ errors
def test_alignment_errors_list_both_sides(panel, w):
    no_xinjiang = panel[panel["code"] != "65"]
    with pytest.raises(WeightsAlignmentError, match="in W but not in the data: 65"):
        moran_by_year(no_xinjiang, "rd_intensity", w, "code", "year")
    extra = pd.concat([panel, panel[panel["code"] == "11"].assign(code="99")])
    with pytest.raises(WeightsAlignmentError, match="in the data but not in W: 99"):
        local_moran(extra, "rd_intensity", w, "code", "year")
    by_name = moran_by_year(panel, "rd_intensity", w, "province_en", "year", permutations=0)
    by_code = moran_by_year(panel, "rd_intensity", w, "code", "year", permutations=0)
    np.testing.assert_allclose(by_name.table["I"], by_code.table["I"], rtol=1e-14)
    named = local_moran(panel, "rd_intensity", w, "province_zh", "year", years=[2023])
    assert "内蒙古" in set(named.table["province_zh"])  # names resolved to W's codes, kept
    numbers = panel.assign(code=panel["code"].astype(int))
    as_numbers = moran_by_year(numbers, "rd_intensity", w, "code", "year", permutations=0)
    np.testing.assert_allclose(as_numbers.table["I"], by_code.table["I"], rtol=1e-14)
    with pytest.raises(WeightsAlignmentError, match="in W but not in the data: 13"):
        moran_scatter(pd.Series([1.0, 2.0], index=["11", "12"]), w)


def test_data_errors_name_region_and_year(panel, w):
    gap = panel.copy()
    gap.loc[(gap["code"] == "11") & (gap["year"] == 2019), "rd_intensity"] = np.nan
    with pytest.raises(MissingValueError, match=r"'rd_intensity' at \(11, 2019\)"):
        moran_by_year(gap, "rd_intensity", w, "code", "year")
    moran_by_year(gap, "rd_intensity", w, "code", "year", years=[2020], permutations=0)
    with pytest.raises(DuplicateObservationError, match="occur more than once"):
        moran_by_year(pd.concat([panel, panel.iloc[:2]]), "rd_intensity", w, "code", "year")
    with pytest.raises(PanelStructureError, match="constant across regions in year"):
        moran_by_year(panel.assign(one=1.0), "one", w, "code", "year")
    with pytest.raises(InvalidOptionError, match=r"Year\(s\) 1990 are not in the table"):
        moran_by_year(panel, "rd_intensity", w, "code", "year", years=[1990])


def test_option_errors(panel, w):
    args = (panel, "rd_intensity", w, "code", "year")
    with pytest.raises(InvalidOptionError, match="permutations must be an integer >= 0"):
        moran_by_year(*args, permutations=-5)
    with pytest.raises(InvalidOptionError, match="permutations must be an integer >= 1"):
        local_moran(*args, permutations=0)
    with pytest.raises(InvalidOptionError, match=r"significance must lie in \(0, 1\)"):
        local_moran(*args, significance=1.5)
    with pytest.raises(InvalidOptionError, match="choose one of 'row', 'none'"):
        moran_by_year(*args, standardize="column")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="seed must be an int"):
        moran_by_year(*args, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ColumnNotFoundError, match="'rd' are not in the table"):
        moran_by_year(panel, "rd", w, "code", "year")
    with pytest.raises(SpecificationError, match=r"SpatialWeights\.from_dataframe / from_libpysal"):
        moran_by_year(panel, "rd_intensity", w.sparse, "code", "year")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="pandas Series"):
        moran_scatter(np.ones(31), w)  # type: ignore[arg-type]


def test_islands_get_no_local_statistic(panel, w):
    binary = china_provinces("queen", transform="none").sparse.tolil()
    hainan, guangdong = w.ids.index("46"), w.ids.index("44")
    binary[hainan, guangdong] = binary[guangdong, hainan] = 0.0
    island_w = SpatialWeights(binary.tocsr(), w.ids).standardize("row")
    with pytest.warns(UserWarning, match=r"1 region\(s\) without neighbours \(46\)"):
        result = local_moran(panel, "rd_intensity", island_w, "code", "year", years=[2023])
    row = result.table.set_index("code").loc["46"]
    assert np.isnan(row["p_sim"]) and row["label"] == "not significant"
    assert result.table["p_sim"].notna().sum() == 30
    moran = moran_by_year(panel, "rd_intensity", island_w, "code", "year", years=[2023])
    assert np.isfinite(moran.table.loc[2023, "I"])


# ------------------------------------------------------ spdep's moran.test and geary.test
SPDEP = json.loads((Path(__file__).with_name("reference") / "spdep_moran_geary_R.json").read_text())
COLUMBUS = Path(__file__).resolve().parents[1] / "models" / "reference"


@pytest.mark.parametrize("style", ["W", "B"])
@pytest.mark.parametrize("variable", ["CRIME", "HOVAL"])
def test_moments_under_normality_and_randomisation_equal_spdep(variable, style):
    """Columbus (49 neighbourhoods, COL.nb): I, C, their expectations and variances under
    both assumptions and the z values equal R spdep 1.2-7's moran.test and geary.test
    (spdep_moran_geary.R) at 1e-10; spdep's one-sided ("greater") p-values are half our
    two-sided ones for I and equal our one-sided ones for C; spdep's Geary z is (1 - C)/sd,
    ours (C - 1)/sd as esda."""
    data = pd.read_csv(COLUMBUS / "columbus_data.csv")
    links = pd.read_csv(COLUMBUS / "columbus_neighbors.csv")
    w = SpatialWeights.from_dataframe(
        pd.crosstab(links["id"], links["neighbor"]).reindex(
            index=data["POLYID"], columns=data["POLYID"], fill_value=0
        )
    )
    panel = data.assign(year=1)
    row = moran_by_year(panel, variable, w, "POLYID", "year", permutations=0,
                        standardize="row" if style == "W" else "none").table.loc[1]  # fmt: skip
    ref = SPDEP[f"{variable}_{style}"]
    tol = {"rel": 1e-10}
    for kind, tag in (("normality", "norm"), ("randomisation", "rand")):
        moran, geary = ref[f"moran_{kind}"], ref[f"geary_{kind}"]
        assert row["I"] == pytest.approx(moran["statistic"], **tol)
        assert row["E_I"] == pytest.approx(moran["expectation"], **tol)
        assert row[f"sd_I_{tag}"] ** 2 == pytest.approx(moran["variance"], **tol)
        assert row[f"z_I_{tag}"] == pytest.approx(moran["standard_deviate"], **tol)
        assert row[f"p_{tag}_I"] / 2 == pytest.approx(moran["p_value"], rel=1e-8)
        assert row["C"] == pytest.approx(geary["statistic"], **tol)
        sd_c = (1.0 - row["C"]) / geary["standard_deviate"]
        assert sd_c**2 == pytest.approx(geary["variance"], **tol)
        assert row[f"z_C_{tag}"] == pytest.approx(-geary["standard_deviate"], **tol)
        assert row[f"p_{tag}_C"] == pytest.approx(geary["p_value"], rel=1e-8)
