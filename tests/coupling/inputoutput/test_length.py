"""Production length, GVC position, upstreamness and downstreamness.

References: the stage-by-stage route of ``paths.py`` (no Leontief inverse), the identities
of Wang et al. (2017b) and Miller and Temurshoev (2017), and R's gvc 6.4.0 ``upstream()``
with the Antràs et al. (2012) formula written out in R (``reference/gvc_upstream_reference.R``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from .conftest import REFERENCE, random_mrio
from .paths import follow_value_added


def _routes(table):
    G, N = len(table.countries), len(table.sectors)
    A = table.technical_coefficients().to_numpy()
    v = table.value_added.to_numpy() / table.output.to_numpy()
    Y = table.final_demand.to_numpy().reshape(G * N, G, -1).sum(axis=2)
    return follow_value_added(A, v, Y, G, N), table.production_length()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lengths_equal_the_stage_by_stage_route(seed):
    paths, length = _routes(random_mrio(3, 2, seed))
    for side, short in (("", "PLv"), ("_b", "PLy")):
        va = {k: paths[f"va_{k}{side}"] for k in ("domestic", "traditional", "simple", "complex")}
        st = {k: paths[f"st_{k}{side}"] for k in va}
        total = sum(st.values()) / sum(va.values())
        np.testing.assert_allclose(length[f"{short}_total"], total, rtol=1e-10)
        for part in ("domestic", "traditional"):
            np.testing.assert_allclose(length[f"{short}_{part}"], st[part] / va[part], rtol=1e-10)
        gvc_va = va["simple"] + va["complex"]
        np.testing.assert_allclose(
            length[f"{short}_gvc"], (st["simple"] + st["complex"]) / gvc_va, rtol=1e-10
        )
        np.testing.assert_allclose(
            length[f"{short}_gvc_domestic"], paths[f"dom_gvc{side}"] / gvc_va, rtol=1e-10
        )
    np.testing.assert_allclose(length["position"], length["PLv_gvc"] / length["PLy_gvc"])


def test_lengths_of_the_leather_table_equal_the_stage_by_stage_route(leather):
    paths, length = _routes(leather)
    total = sum(paths[f"st_{k}"] for k in ("domestic", "traditional", "simple", "complex"))
    va = sum(paths[f"va_{k}"] for k in ("domestic", "traditional", "simple", "complex"))
    np.testing.assert_allclose(length["PLv_total"], total / va, rtol=1e-10)
    gvc = paths["va_simple"] + paths["va_complex"]
    np.testing.assert_allclose(length["PLv_gvc_domestic"], paths["dom_gvc"] / gvc, rtol=1e-10)


def test_upstreamness_is_the_ghosh_row_sum_and_the_forward_length(leather):
    # Antràs et al. (2012) U = (I - Delta)^-1 u, Delta_ij = A_ij x_j / x_i, written out in R
    # (reference/gvc_upstream_reference.R, column antras_full_A)
    ref = pd.read_csv(REFERENCE / "gvc_upstream_leather.csv")
    ours = leather.upstreamness()
    np.testing.assert_allclose(ours, ref["antras_full_A"], rtol=1e-13)
    np.testing.assert_allclose(ours, leather.ghosh().sum(axis=1), rtol=1e-13)
    np.testing.assert_allclose(ours, leather.production_length()["PLv_total"], rtol=1e-13)


def test_gvc_upstream_on_a_decompr_object_is_not_upstreamness(leather):
    # R's gvc 6.4.0 upstream() reads x$A; a decompr object has no element A, and R's partial
    # matching returns x$Am (the foreign blocks only): its numbers are the formula with Am
    # (equal to 4e-16 in the reference script), 0.3-1.0 below the upstreamness of the full A.
    ref = pd.read_csv(REFERENCE / "gvc_upstream_leather.csv")
    np.testing.assert_allclose(ref["gvc_upstream"], ref["antras_Am"], rtol=1e-13)
    gap = leather.upstreamness().to_numpy() - ref["gvc_upstream"].to_numpy()
    assert gap.min() > 0.3 and gap.max() < 1.0


def test_downstreamness_is_the_leontief_column_sum_and_the_backward_length(leather):
    ours = leather.downstreamness()
    np.testing.assert_allclose(ours, leather.leontief().sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(ours, leather.production_length()["PLy_total"], rtol=1e-12)


def test_country_level_divides_sums():
    table = random_mrio(3, 2, seed=5)
    country = table.production_length(level="country")
    assert list(country.index) == list(table.countries)
    up = table.upstreamness()
    x = table.output
    weighted = (up * x).groupby(level="country", sort=False).sum() / x.groupby(
        level="country", sort=False
    ).sum()
    np.testing.assert_allclose(table.upstreamness(level="country"), weighted, rtol=1e-13)
    # a country's total forward length is value-added weighted, not a mean of its sectors
    sectors = table.production_length()
    va = table.value_added
    by_hand = (sectors["PLv_total"] * va).groupby(level="country", sort=False).sum() / va.groupby(
        level="country", sort=False
    ).sum()
    np.testing.assert_allclose(country["PLv_total"], by_hand, rtol=1e-12)


def test_lengths_are_at_least_one():
    length = random_mrio(4, 3, seed=9).production_length()
    for column in ("PLv_total", "PLy_total", "PLv_domestic", "PLy_domestic", "PLv_gvc_domestic"):
        assert (length[column] >= 1.0 - 1e-12).all(), column
    assert (length["PLv_gvc"] >= 2.0 - 1e-12).all()  # at least one stage on each side
