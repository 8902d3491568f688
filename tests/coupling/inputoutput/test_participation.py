"""GVC participation (Wang et al. 2017a; KPWW 2010) and the services content of exports.

References: MeasureGVC 0.0.1's ``partici_idx`` (R, on decompr 6.8.0 objects;
``reference/measuregvc_reference.R``), decompr's KWW terms, the stage-by-stage route of
``paths.py`` and a plain numpy Leontief decomposition written out here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.shared_data import shared_path

from .conftest import REFERENCE, random_mrio
from .paths import follow_value_added


@pytest.mark.parametrize("name", ["leather", "wiodtest"])
def test_participation_equals_measuregvc(name, request):
    # MeasureGVC::partici_idx(decompr object, "forward" / "backward"): columns up and dw
    table = request.getfixturevalue(name)
    ref = pd.read_csv(REFERENCE / f"measuregvc_partici_{name}.csv")
    ours = table.gvc_participation()
    np.testing.assert_allclose(ours["forward"], ref["up"], rtol=1e-12)
    np.testing.assert_allclose(ours["backward"], ref["dw"], rtol=1e-12)


@pytest.mark.parametrize("seed", [3, 8])
def test_production_types_equal_the_stage_by_stage_route(seed):
    table = random_mrio(3, 2, seed, K=2)
    G, N = 3, 2
    A = table.technical_coefficients().to_numpy()
    v = table.value_added.to_numpy() / table.output.to_numpy()
    Y = table.final_demand.to_numpy().reshape(G * N, G, -1).sum(axis=2)
    paths = follow_value_added(A, v, Y, G, N)
    ours = table.gvc_participation()
    for kind in ("domestic", "traditional", "simple", "complex"):
        np.testing.assert_allclose(ours[f"f_{kind}"], paths[f"va_{kind}"], rtol=1e-10)
        np.testing.assert_allclose(ours[f"b_{kind}"], paths[f"va_{kind}_b"], rtol=1e-10)


@settings(max_examples=20, deadline=None)
@given(G=st.integers(2, 4), N=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_the_four_types_add_up_to_value_added_and_final_goods(G, N, seed):
    table = random_mrio(G, N, seed)
    ours = table.gvc_participation()
    kinds = ["domestic", "traditional", "simple", "complex"]
    np.testing.assert_allclose(ours[[f"f_{k}" for k in kinds]].sum(axis=1), ours["va"], rtol=1e-10)
    np.testing.assert_allclose(ours[[f"b_{k}" for k in kinds]].sum(axis=1), ours["y"], rtol=1e-10)
    # GDP is the sum of final goods (V B Y u = u' V B Y)
    assert ours["va"].sum() == pytest.approx(ours["y"].sum(), rel=1e-12)
    assert ours["forward"].between(0, 1).all() and ours["backward"].between(0, 1).all()


def test_country_participation_divides_sums():
    table = random_mrio(3, 2, seed=2)
    sectors = table.gvc_participation()
    country = table.gvc_participation(level="country")
    summed = sectors.groupby(level="country", sort=False).sum()
    np.testing.assert_allclose(
        country["forward"], (summed["f_simple"] + summed["f_complex"]) / summed["va"], rtol=1e-13
    )
    np.testing.assert_allclose(
        country["backward"], (summed["b_simple"] + summed["b_complex"]) / summed["y"], rtol=1e-13
    )


def test_kpww_from_the_kww_terms_of_decompr(leather):
    # KPWW (2010): IV = DVA_INTrex, FV = FVA_FIN + FVA_INT (+ FDC), from decompr's kww()
    ref = pd.read_csv(shared_path("decompr_leather", "leather_kww_decompr680.csv"))
    ref = ref.set_index("Country")
    exports = ref.sum(axis=1)  # the nine terms add up to gross exports
    for foreign, fv in (
        ("vs", ref["FVA_FIN"] + ref["FVA_INT"] + ref["FDC"]),
        ("fva", ref["FVA_FIN"] + ref["FVA_INT"]),
    ):
        ours = leather.gvc_participation(method="kpww", level="country", foreign=foreign)
        iv = ref["DVA_INTrex"]
        np.testing.assert_allclose(ours["participation"], (iv + fv) / exports, rtol=1e-12)
        np.testing.assert_allclose(
            ours["position"], np.log(1 + iv / exports) - np.log(1 + fv / exports), rtol=1e-11
        )
    # Germany's exports carry the most foreign value added of the three (leather GVC)
    assert ours["position"].idxmin() == "Germany"


def test_services_content_equals_a_plain_leontief_decomposition():
    table = random_mrio(3, 3, seed=6)
    G, N = 3, 3
    Z, x = table.intermediate.to_numpy(), table.output.to_numpy()
    A = Z / x[None, :]
    B = np.linalg.inv(np.eye(G * N) - A)
    V = 1.0 - A.sum(axis=0)
    Y = table.final_demand.to_numpy()
    services, manufacturing = ["s2"], ["s0", "s1"]
    expected = []
    for s in range(G):
        exports = domestic = foreign = 0.0
        for j in (0, 1):
            col = s * N + j
            e = sum(Z[col, r * N : (r + 1) * N].sum() + Y[col, r] for r in range(G) if r != s)
            exports += e
            for t in range(G):
                content = V[t * N + 2] * B[t * N + 2, col] * e
                if t == s:
                    domestic += content
                else:
                    foreign += content
        expected.append((domestic / exports, foreign / exports))
    ours = table.services_content(services=services, exporters=manufacturing)
    np.testing.assert_allclose(ours[["domestic_share", "foreign_share"]], expected, rtol=1e-12)
    by_sector = table.services_content(services=services, exporters=manufacturing, level="sector")
    assert len(by_sector) == G * 2
    np.testing.assert_allclose(
        by_sector.groupby(level="country", sort=False)["exports"].sum(), ours["exports"], rtol=1e-13
    )


def test_services_content_of_the_wiod_table_uses_the_named_groups(wiot2011):
    # WIOD 2013 sectors: manufacturing c3-c16, producer services from sectors.csv
    ours = wiot2011.services_content()
    assert ours.loc["CHN", "share"] == pytest.approx(
        ours.loc["CHN", "domestic_share"] + ours.loc["CHN", "foreign_share"]
    )
    assert 0.05 < ours.loc["CHN", "domestic_share"] < 0.5
    assert (ours["share"].dropna() < 1).all()


def test_bad_options_are_refused():
    table = random_mrio(2, 2, seed=0)
    with pytest.raises(ValueError, match="method='wwz' is not supported"):
        table.gvc_participation(method="wwz")
    with pytest.raises(ValueError, match="foreign='all' is not supported"):
        table.gvc_participation(method="kpww", foreign="all")
