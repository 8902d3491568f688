"""Tests of coupling/inputoutput/linkages.py: influence (影响力系数) and sensitivity (感应度系数)
coefficients in both conventions and both weightings.

The hand-worked example is Miller and Blair's (2009) Table 2.3, whose inverses are exact
fractions over det(I - A) = 0.7575:

    L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575,   G = [[0.95, 0.50], [0.10, 0.85]] / 0.7575,

final demand f = (350, 1700) and value added v = (650, 1400).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coupling.exceptions import InvalidOptionError
from coupling.inputoutput import IOTable
from coupling.inputoutput.linkages import linkage_coefficients

DET = 0.7575
L = np.array([[0.95, 0.25], [0.20, 0.85]]) / DET
G = np.array([[0.95, 0.50], [0.10, 0.85]]) / DET
FINAL = np.array([350.0, 1700.0])
VALUE_ADDED = np.array([650.0, 1400.0])

# Column sums of L (x DET): 1.15, 1.10, mean 1.125. Row sums of L: 1.20, 1.05, mean 1.125.
# Row sums of G: 1.45, 0.95, mean 1.20.
# Final-demand weights 350/2050, 1700/2050: weighted column sum (350*1.15 + 1700*1.10)/2050
#   = 2272.5/2050. Value-added weights 650/2050, 1400/2050: weighted G row sum
#   (650*1.45 + 1400*0.95)/2050 = 2272.5/2050; weighted L row sum (650*1.2 + 1400*1.05)/2050
#   = 2250/2050.
HAND = {
    ("leontief", "equal"): ([1.15 / 1.125, 1.10 / 1.125], [1.20 / 1.125, 1.05 / 1.125]),
    ("ghosh", "equal"): ([1.15 / 1.125, 1.10 / 1.125], [1.45 / 1.20, 0.95 / 1.20]),
    ("leontief", "structure"): (
        [1.15 * 2050 / 2272.5, 1.10 * 2050 / 2272.5],
        [1.20 * 2050 / 2250, 1.05 * 2050 / 2250],
    ),
    ("ghosh", "structure"): (
        [1.15 * 2050 / 2272.5, 1.10 * 2050 / 2272.5],
        [1.45 * 2050 / 2272.5, 0.95 * 2050 / 2272.5],
    ),
}


@pytest.mark.parametrize(("forward", "weighting"), list(HAND))
def test_hand_worked_two_sector_example(forward, weighting):
    out = linkage_coefficients(
        L, G, forward=forward, weighting=weighting, final_demand=FINAL, value_added=VALUE_ADDED
    )
    influence, sensitivity = HAND[forward, weighting]
    np.testing.assert_allclose(out["influence"], influence, rtol=1e-13, atol=0)
    np.testing.assert_allclose(out["sensitivity"], sensitivity, rtol=1e-13, atol=0)
    np.testing.assert_allclose(out["backward"], np.array([1.15, 1.10]) / DET, rtol=1e-13, atol=0)
    rows = [1.20, 1.05] if forward == "leontief" else [1.45, 0.95]
    np.testing.assert_allclose(out["forward"], np.array(rows) / DET, rtol=1e-13, atol=0)


def test_printed_values_of_the_example():
    # the same numbers to 6 decimals: 1.022222, 0.977778; 1.066667, 0.933333; 1.208333, 0.791667
    out = linkage_coefficients(
        L, G, forward="ghosh", weighting="equal", final_demand=FINAL, value_added=VALUE_ADDED
    )
    np.testing.assert_allclose(out["influence"], [1.022222, 0.977778], rtol=0, atol=5e-7)
    np.testing.assert_allclose(out["sensitivity"], [1.208333, 0.791667], rtol=0, atol=5e-7)


def miller_blair() -> IOTable:
    labels = ["1", "2"]
    return IOTable(
        pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=labels, columns=labels),
        pd.DataFrame({"final": FINAL}, index=labels),
        pd.Series(VALUE_ADDED, index=labels),
        exports=None,
        names_zh={"1": "农业", "2": "工业"},
    )


@pytest.mark.parametrize(("forward", "weighting"), list(HAND))
def test_table_linkages_use_its_inverses_final_demand_and_value_added(forward, weighting):
    frame = miller_blair().linkages(forward=forward, weighting=weighting)
    assert list(frame.columns) == ["name_zh", "backward", "forward", "influence", "sensitivity"]
    assert frame["name_zh"].tolist() == ["农业", "工业"]
    assert frame.attrs == {"kind": "total", "forward": forward, "weighting": weighting}
    influence, sensitivity = HAND[forward, weighting]
    np.testing.assert_allclose(frame["influence"], influence, rtol=1e-12, atol=0)
    np.testing.assert_allclose(frame["sensitivity"], sensitivity, rtol=1e-12, atol=0)


def test_noncompetitive_total_linkages_weight_by_all_final_use():
    # a: Z^D 10 + 20, F^D 70 -> 100; b: Z^D 5 + 30, F^D 165 -> 200 (as in test_tables)
    labels = ["a", "b"]
    table = IOTable(
        pd.DataFrame([[10.0, 20.0], [5.0, 30.0]], index=labels, columns=labels),
        pd.DataFrame({"FU": [60.0, 150.0], "EX": [10.0, 15.0]}, index=labels),
        pd.Series([80.0, 140.0], index=labels),
        imported_intermediate=pd.DataFrame([[2.0, 4.0], [3.0, 6.0]], index=labels, columns=labels),
        imported_final=pd.DataFrame({"FU": [7.0, 9.0], "EX": [0.0, 0.0]}, index=labels),
    )
    total = table.linkages(weighting="structure")
    # total A = [[.12, .12], [.08, .18]]; L by numpy; weights: final use of domestic and
    # imported products, 70 + 7 = 77 and 165 + 9 = 174
    Lt = np.linalg.inv(np.eye(2) - np.array([[0.12, 0.12], [0.08, 0.18]]))
    b = Lt.sum(axis=0)
    np.testing.assert_allclose(
        total["influence"], b / (np.array([77.0, 174.0]) @ b / 251.0), rtol=1e-12, atol=0
    )
    domestic = table.linkages(kind="domestic", weighting="structure")
    Ld = np.linalg.inv(np.eye(2) - np.array([[0.1, 0.1], [0.05, 0.15]]))
    bd = Ld.sum(axis=0)
    np.testing.assert_allclose(
        domestic["influence"], bd / (np.array([70.0, 165.0]) @ bd / 235.0), rtol=1e-12, atol=0
    )
    assert domestic.attrs["kind"] == "domestic"


def test_invalid_options():
    table = miller_blair()
    with pytest.raises(InvalidOptionError, match="forward='rasmussen' is not supported"):
        table.linkages(forward="rasmussen")
    with pytest.raises(InvalidOptionError, match="weighting='output' is not supported"):
        table.linkages(weighting="output")


# ------------------------------------------------------------------------- property tests
@st.composite
def inverses(draw):
    n = draw(st.integers(2, 7))
    A = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 0.9 / n)))
    x = draw(arrays(np.float64, (n,), elements=st.floats(1.0, 1000.0)))
    f = draw(arrays(np.float64, (n,), elements=st.floats(0.1, 100.0)))
    v = draw(arrays(np.float64, (n,), elements=st.floats(0.1, 100.0)))
    Lr = np.linalg.inv(np.eye(n) - A)
    return Lr, Lr * x[None, :] / x[:, None], f, v


@settings(max_examples=40, deadline=None)
@given(inverses(), st.sampled_from(["leontief", "ghosh"]))
def test_equal_weighting_averages_to_one_property(data, forward):
    Lr, Gr, f, v = data
    out = linkage_coefficients(
        Lr, Gr, forward=forward, weighting="equal", final_demand=f, value_added=v
    )
    np.testing.assert_allclose(out["influence"].mean(), 1.0, rtol=1e-12, atol=0)
    np.testing.assert_allclose(out["sensitivity"].mean(), 1.0, rtol=1e-12, atol=0)
    # Rasmussen (1956): column sums over their mean
    b = Lr.sum(axis=0)
    np.testing.assert_allclose(out["influence"], b / b.mean(), rtol=1e-12, atol=0)


@settings(max_examples=40, deadline=None)
@given(inverses(), st.sampled_from(["leontief", "ghosh"]))
def test_structure_weighting_has_weighted_mean_one_property(data, forward):
    Lr, Gr, f, v = data
    out = linkage_coefficients(
        Lr, Gr, forward=forward, weighting="structure", final_demand=f, value_added=v
    )
    # Liu Qiyun (2002): the final-demand-weighted mean of the influence coefficients and the
    # value-added-weighted mean of the sensitivity coefficients are 1
    np.testing.assert_allclose(out["influence"] @ (f / f.sum()), 1.0, rtol=1e-12, atol=0)
    np.testing.assert_allclose(out["sensitivity"] @ (v / v.sum()), 1.0, rtol=1e-12, atol=0)
    # the numerators do not depend on the weighting
    equal = linkage_coefficients(
        Lr, Gr, forward=forward, weighting="equal", final_demand=f, value_added=v
    )
    np.testing.assert_allclose(out["backward"], equal["backward"], rtol=0, atol=0)
    np.testing.assert_allclose(
        out["influence"] / equal["influence"],
        np.full(len(f), out["influence"][0] / equal["influence"][0]), rtol=1e-12, atol=0,
    )  # fmt: skip
