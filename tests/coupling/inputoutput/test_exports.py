"""WWZ, KWW and the Leontief decomposition against decompr 6.8.0 and exvatools 0.9.0.

References (``reference/README.md`` names the software and the script of each file):
decompr's ``wwz()``/``kww()``/``leontief`` on its leather table, on exvatools' wiodtest
table and on the WIOD 2013 world table of 2011; exvatools' world totals on wiodtest. The
packages name and order the terms differently; the tests match them by name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling.inputoutput.exports import KWW_TERMS, WWZ_TERMS
from tests.shared_data import shared_path

from .conftest import REFERENCE, random_mrio

# exvatools 0.9.0 term names -> decompr's (shared/data/gvc_testtables/SOURCE.md)
EXVATOOLS = {
    "DVA_FIN": "DVA_FIN", "DVA_INT": "DVA_INT", "DVA_INTrex1": "DVA_INTrexI1",
    "DVA_INTrex2": "DVA_INTrexF", "DVA_INTrex3": "DVA_INTrexI2", "RDV_FIN1": "RDV_FIN",
    "RDV_FIN2": "RDV_FIN2", "RDV_INT": "RDV_INT", "DDC_FIN": "DDC_FIN", "DDC_INT": "DDC_INT",
    "FVA_FIN1": "MVA_FIN", "FVA_FIN2": "OVA_FIN", "FVA_INT1": "MVA_INT", "FVA_INT2": "OVA_INT",
    "MDC": "MDC", "ODC": "ODC",
}  # fmt: skip


def _decompr_rows(path) -> pd.DataFrame:
    ref = pd.read_csv(path)
    return ref[ref["Exporting_Country"] != ref["Importing_Country"]].reset_index(drop=True)


def test_wwz_equals_decompr_on_leather(leather):
    # decompr 6.8.0 decomp(leather, method = "wwz"); the diagonal rows (exports to self) are 0
    ref = _decompr_rows(shared_path("decompr_leather", "leather_wwz_decompr680.csv"))
    result = leather.wwz()
    ours = result.terms.reset_index()
    assert list(ours["exporter"]) == list(ref["Exporting_Country"])
    assert list(ours["importer"]) == list(ref["Importing_Country"])
    for term in WWZ_TERMS:
        np.testing.assert_allclose(ours[term], ref[term], rtol=1e-12, atol=1e-12, err_msg=term)
    np.testing.assert_allclose(ours["exports"], ref["texp"], rtol=1e-13)
    assert result.max_gap < 1e-12


def test_kww_equals_decompr_on_leather(leather):
    # decompr 6.8.0 decomp(leather, method = "kww"): nine terms per country
    ref = pd.read_csv(shared_path("decompr_leather", "leather_kww_decompr680.csv"))
    ours = leather.kww()
    assert list(ours.index) == list(ref["Country"])
    for term in KWW_TERMS:
        np.testing.assert_allclose(ours[term], ref[term], rtol=1e-12, err_msg=term)


def test_wwz_equals_decompr_and_exvatools_on_wiodtest(wiodtest):
    # decompr 6.8.0 wwz() row by row; exvatools 0.9.0 world totals (the two R packages agree to
    # 4 decimals, shared/data/gvc_testtables/SOURCE.md)
    ref = _decompr_rows(shared_path("gvc_testtables", "wiodtest_wwz_decompr680.csv"))
    result = wiodtest.wwz()
    ours = result.terms.reset_index()
    for term in WWZ_TERMS:
        np.testing.assert_allclose(ours[term], ref[term], rtol=1e-11, atol=1e-10, err_msg=term)
    totals = pd.read_csv(shared_path("gvc_testtables", "wiodtest_wwz_exvatools090_totals.csv"))
    totals = totals.set_index("term")["total"]
    assert totals["EXGR"] == pytest.approx(ours["exports"].sum(), abs=1e-4)
    for name, term in EXVATOOLS.items():
        assert ours[term].sum() == pytest.approx(totals[name], abs=1e-4), name


def test_kww_equals_decompr_on_wiodtest(wiodtest):
    ref = pd.read_csv(REFERENCE / "wiodtest_kww_decompr680.csv").set_index("Country")
    ours = wiodtest.kww()
    np.testing.assert_allclose(ours[list(KWW_TERMS)], ref[list(KWW_TERMS)], rtol=1e-11)


def test_wwz_of_the_2011_world_table_equals_decompr(wiot2011):
    # decompr 6.8.0 wwz() on the WIOD 2013 release table of 2011 with o = row sums, summed by
    # exporter (reference/decompr_reference.R). Two country-sectors have row sums of -1 (LUX
    # c5 and c8, rounding); the table treats them as zero output, decompr divides by -1: the
    # LUX terms differ by less than 1e-9 relative.
    ref = pd.read_csv(REFERENCE / "wiot2011_wwz_country_totals_decompr680.csv")
    ref = ref.set_index(ref.columns[0])
    result = wiot2011.wwz()
    ours = result.totals("exporter")
    assert list(ours.index) == list(ref.index)
    np.testing.assert_allclose(ours[list(WWZ_TERMS)], ref[list(WWZ_TERMS)], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(ours["exports"], ref["texp"], rtol=1e-12)
    assert result.max_gap < 1e-6
    china = pd.read_csv(shared_path("wiod2013", "wiot2011_CHN_wwz_totals_decompr680.csv"))
    china = china.set_index("term")["value"]
    for term in WWZ_TERMS:
        assert ours.loc["CHN", term] == pytest.approx(china[term], rel=1e-9), term


def test_kww_of_the_2011_world_table_equals_decompr(wiot2011):
    # decompr 6.8.0 kww() for all 41 countries (shared/data/wiod2013, o = row sums)
    ref = pd.read_csv(shared_path("wiod2013", "wiot2011_kww_decompr680.csv")).set_index("Country")
    ours = wiot2011.kww()
    np.testing.assert_allclose(ours[list(KWW_TERMS)], ref[list(KWW_TERMS)], rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("post", ["exports", "output", "final_demand"])
def test_leontief_decomposition_equals_decompr(leather, post):
    # decompr 6.8.0 decomp(leather, method = "leontief", post = ...), long format
    ref = pd.read_csv(REFERENCE / f"leather_leontief_{post}_decompr680.csv")
    ours = leather.leontief_decomposition(post=post)
    np.testing.assert_allclose(ours.to_numpy().ravel(), ref.iloc[:, -1], rtol=1e-12)
    # decompr's own test values (tests/testthat/test_leontief.R)
    first = {"exports": 28.52278, "output": 66.75361799, "final_demand": 24.3345824}[post]
    assert ours.to_numpy().ravel()[0] == pytest.approx(first, abs=1e-5)


def test_two_countries_have_no_third_country_terms():
    # With two countries every "t != s, r" sum is empty (WWZ 2013, eq. 37)
    # (the terms are computed as differences, so "zero" is zero up to rounding)
    terms = random_mrio(2, 3, seed=4).wwz().terms
    for term in ("DVA_INTrexI1", "DVA_INTrexI2", "RDV_FIN2", "OVA_FIN", "OVA_INT", "ODC"):
        np.testing.assert_allclose(terms[term], 0.0, atol=1e-14 * terms["exports"].max())


def _dense_identities(table):
    """Domestic and foreign content of each exporter computed with plain numpy inverses."""
    G, N = len(table.countries), len(table.sectors)
    Z, x = table.intermediate.to_numpy(), table.output.to_numpy()
    A = Z / x[None, :]
    B = np.linalg.inv(np.eye(G * N) - A)
    V = 1.0 - A.sum(axis=0)
    Y = table.final_demand.to_numpy().reshape(G * N, G, -1).sum(axis=2)
    E = np.zeros(G * N)
    for s in range(G):
        rows = slice(s * N, (s + 1) * N)
        for r in range(G):
            if r != s:
                E[rows] += Z[rows, r * N : (r + 1) * N].sum(axis=1) + Y[rows, r]
    VBE = (V[:, None] * B) * E[None, :]
    domestic = np.array([VBE[s * N : (s + 1) * N, s * N : (s + 1) * N].sum() for s in range(G)])
    foreign = VBE.sum(axis=0).reshape(G, N).sum(axis=1) - domestic
    return domestic, foreign, E.reshape(G, N).sum(axis=1)


@settings(max_examples=25, deadline=None)
@given(G=st.integers(2, 4), N=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_terms_add_up_and_split_exports_into_domestic_and_foreign_content(G, N, seed):
    # KWW (2014), eq. (36): terms 1-6 are the domestic content V^s B^ss E^s*, terms 7-9 the
    # foreign content sum_t V^t B^ts E^s* (Hummels et al.'s vertical specialisation)
    table = random_mrio(G, N, seed)
    result = table.wwz()
    scale = result.terms["exports"].abs().max()
    assert result.max_gap <= 1e-12 * scale
    kww = result.kww()
    domestic, foreign, exports = _dense_identities(table)
    np.testing.assert_allclose(kww[list(KWW_TERMS[:6])].sum(axis=1), domestic, rtol=1e-10)
    np.testing.assert_allclose(kww[list(KWW_TERMS[6:])].sum(axis=1), foreign, rtol=1e-10)
    np.testing.assert_allclose(kww["exports"], exports, rtol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), factor=st.floats(0.01, 100.0))
def test_terms_are_equivariant_to_scale_and_to_the_order_of_countries(seed, factor):
    table = random_mrio(3, 2, seed)
    base = table.wwz().terms
    from coupling.inputoutput import MRIOTable

    scaled = MRIOTable(table.intermediate * factor, table.final_demand * factor).wwz().terms
    np.testing.assert_allclose(
        scaled[list(WWZ_TERMS)], factor * base[list(WWZ_TERMS)], rtol=1e-10, atol=1e-12 * factor
    )
    order = ["C2", "C0", "C1"]
    index = pd.MultiIndex.from_product([order, table.sectors], names=["country", "sector"])
    cols = pd.MultiIndex.from_product([order, table.categories], names=["country", "category"])
    shuffled = (
        MRIOTable(
            table.intermediate.reindex(index=index, columns=index),
            table.final_demand.reindex(index=index, columns=cols),
        )
        .wwz()
        .terms
    )
    np.testing.assert_allclose(
        shuffled.loc[base.index, list(WWZ_TERMS)], base[list(WWZ_TERMS)], rtol=1e-10, atol=1e-12
    )


def test_totals_group_the_terms():
    result = random_mrio(3, 2, seed=1).wwz()
    by_pair = result.totals("pair")
    assert by_pair.shape == (6, len(WWZ_TERMS) + 1)
    np.testing.assert_allclose(by_pair.sum(), result.terms.sum(), rtol=1e-12)
    with pytest.raises(ValueError, match="by='sector' is not supported"):
        result.totals("sector")


def test_wwz_of_the_folded_icio_table_equals_exvatools():
    # read_icio folds CN1 + CN2 into CHN and MX1 + MX2 into MEX before decomposing. exvatools
    # 0.9.0 on the same folded table (make_custom_wio; reference/exvatools_reference.R) gives
    # the same terms. Its make_wio("iciotest") instead decomposes the split 30-row table and
    # folds the results: gross exports are the same, the terms are not (world ODC differs by
    # 21.2), which the second half of this test records.
    from coupling.inputoutput import read_icio

    table = read_icio(shared_path("gvc_testtables", "iciotest_iot.csv"))
    totals = table.wwz().terms
    folded = pd.read_csv(REFERENCE / "iciotest_folded_wwz_exvatools090_totals.csv")
    folded = folded.set_index("term")
    split = pd.read_csv(REFERENCE / "iciotest_wwz_exvatools090_totals.csv").set_index("term")
    for column, rows in (("WLD", slice(None)), ("CHN", "CHN"), ("MEX", "MEX"), ("ESP", "ESP")):
        part = totals.loc[rows] if column == "WLD" else totals.xs(rows, level="exporter")
        ours = part.sum()
        assert ours["exports"] == pytest.approx(folded.loc["EXGR", column], rel=1e-12)
        assert ours["exports"] == pytest.approx(split.loc["EXGR", column], rel=1e-12)
        for name, term in EXVATOOLS.items():
            assert ours[term] == pytest.approx(folded.loc[name, column], rel=1e-10), (column, name)
    world = totals.sum()
    assert world["ODC"] - split.loc["ODC", "WLD"] == pytest.approx(
        folded.loc["ODC", "WLD"] - split.loc["ODC", "WLD"], rel=1e-9
    )
    assert abs(folded.loc["ODC", "WLD"] - split.loc["ODC", "WLD"]) > 20
