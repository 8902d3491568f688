"""Tests of coupling/inputoutput/fusion.py: fusion of two sector groups (融合度), by year.

Expected values: a hand-worked three-sector table (arithmetic in the comments), numpy's
inverse for the complete coefficients, the aggregated table as a second route to the
output-weighted direct fusion, and the NBS tables 2002-2020 for the panel.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coupling.exceptions import InvalidOptionError, IOTableError, SectorMappingError
from coupling.inputoutput import IOTable, fusion, fusion_panel, read_io_table
from tests.shared_data import shared_path

LABELS = ["m1", "m2", "s"]


def hand_table(**options) -> IOTable:
    """Two manufacturing sectors and a service.

    Z = [[10, 20, 5], [15, 10, 10], [20, 30, 10]], x = (100, 200, 100):
    final use m1 100 - 35 = 65 (FU 60, EX 5); m2 200 - 35 = 165 (150, 15); s 100 - 60 = 40;
    value added m1 100 - 45 = 55, m2 200 - 60 = 140, s 100 - 25 = 75.
    """
    Z = pd.DataFrame(
        [[10.0, 20.0, 5.0], [15.0, 10.0, 10.0], [20.0, 30.0, 10.0]], index=LABELS, columns=LABELS
    )
    F = pd.DataFrame({"FU": [60.0, 150.0, 40.0], "EX": [5.0, 15.0, 0.0]}, index=LABELS)
    return IOTable(Z, F, pd.Series([55.0, 140.0, 75.0], index=LABELS), year=2020, **options)


def test_hand_worked_direct_fusion_three_weightings():
    table = hand_table()
    # a_s,m1 = 20/100 = 0.2, a_s,m2 = 30/200 = 0.15
    result = fusion(table, ["s"], ["m1", "m2"], measure="direct")
    # output weights 100/300, 200/300: 0.2/3 + 0.15 * 2/3 = (20 + 30) / 300 = 1/6
    np.testing.assert_allclose(result.value, 1 / 6, rtol=1e-15, atol=0)
    np.testing.assert_allclose(result.by_target["coefficient"], [0.2, 0.15], rtol=1e-15, atol=0)
    np.testing.assert_allclose(result.by_target["weight"], [1 / 3, 2 / 3], rtol=1e-15, atol=0)
    assert result.source == ("s",) and result.target == ("m1", "m2") and result.year == 2020
    assert (result.measure, result.kind, result.weighting) == ("direct", "total", "output")
    assert result.pairs.shape == (1, 2)
    # equal weights: (0.2 + 0.15) / 2
    equal = fusion(table, ["s"], ["m1", "m2"], measure="direct", weighting="equal")
    np.testing.assert_allclose(equal.value, 0.175, rtol=1e-15, atol=0)
    # final-demand weights 65/230, 165/230: (0.2 * 65 + 0.15 * 165) / 230 = 37.75 / 230
    final = fusion(table, ["s"], ["m1", "m2"], measure="direct", weighting="final_demand")
    np.testing.assert_allclose(final.value, 37.75 / 230, rtol=1e-14, atol=0)
    # the reverse direction: (5 + 10) / 100 into the service
    reverse = table.fusion(["m1", "m2"], ["s"], measure="direct")
    np.testing.assert_allclose(reverse.value, 0.15, rtol=1e-15, atol=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 0.0  # type: ignore[misc]


def test_complete_fusion_by_numpy_inverse():
    table = hand_table()
    Z = np.array([[10.0, 20.0, 5.0], [15.0, 10.0, 10.0], [20.0, 30.0, 10.0]])
    x = np.array([100.0, 200.0, 100.0])
    complete = np.linalg.inv(np.eye(3) - Z / x[None, :]) - np.eye(3)
    result = fusion(table, ["s"], ["m1", "m2"])  # measure="complete" is the default
    np.testing.assert_allclose(
        result.value, complete[2, :2] @ np.array([1 / 3, 2 / 3]), rtol=1e-13, atol=0
    )
    services_of_services = fusion(table, ["s"], ["s"], weighting="equal")
    np.testing.assert_allclose(services_of_services.value, complete[2, 2], rtol=1e-13, atol=0)
    assert result.value > fusion(table, ["s"], ["m1", "m2"], measure="direct").value


def test_domestic_fusion_uses_domestic_coefficients():
    # the service imports 10: row s = Z 60 + FU 50 + EX 0 - IM 10 = 100 (columns as before)
    table = IOTable(
        pd.DataFrame(
            [[10.0, 20.0, 5.0], [15.0, 10.0, 10.0], [20.0, 30.0, 10.0]],
            index=LABELS,
            columns=LABELS,
        ),
        pd.DataFrame({"FU": [60.0, 150.0, 50.0], "EX": [5.0, 15.0, 0.0]}, index=LABELS),
        pd.Series([55.0, 140.0, 75.0], index=LABELS),
        imports=pd.Series([0.0, 0.0, 10.0], index=LABELS),
    )
    # m_s = 10 / (60 + 50) = 1/11; domestic a_s,j = (10/11) a_s,j; output weights 1/3, 2/3
    result = fusion(table, ["s"], ["m1", "m2"], measure="direct", kind="domestic")
    np.testing.assert_allclose(result.value, (10 / 11) * (1 / 6), rtol=1e-14, atol=0)


def _three_groups(source, target, codes):
    return {c: "S" if c in source else "T" if c in target else "rest" for c in codes}


@settings(max_examples=30, deadline=None)
@given(
    st.integers(3, 7).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, n), elements=st.floats(0.1, 50.0)),
            arrays(np.float64, (n,), elements=st.floats(1.0, 200.0)),
            st.permutations(list(range(n))),
            st.integers(1, n - 2),
            st.integers(1, n - 2),
        )
    )
)
def test_output_weighted_direct_fusion_equals_the_aggregated_coefficient(data):
    Z, final, order, n_source, n_target = data
    n = len(final)
    labels = [f"s{i}" for i in range(n)]
    x = Z.sum(axis=1) + final
    table = IOTable(
        pd.DataFrame(Z, index=labels, columns=labels),
        pd.DataFrame({"EX": final}, index=labels),
        pd.Series(x - Z.sum(axis=0), index=labels),
        rtol=1e-9,
    )
    source = [labels[i] for i in order[:n_source]]
    target = [labels[i] for i in order[n_source : min(n, n_source + n_target)]]
    if not target:
        target = [labels[order[-1]]]
    result = fusion(table, source, target, measure="direct")
    merged = table.aggregate(_three_groups(source, target, labels))
    np.testing.assert_allclose(
        result.value, merged.technical_coefficients().loc["S", "T"], rtol=1e-12, atol=0
    )


# ------------------------------------------------------------------------ the NBS tables
DETAILED = [
    "china_2002_122.csv",
    "china_2005_42.csv",
    "china_2007_135.csv",
    "china_2010_41.csv",
    "china_2012_139.csv",
    "china_2015_42.csv",
    "china_2017_149.csv",
    "china_2018_153.csv",
    "china_2020_153.csv",
]
FORTY_TWO = [
    "china_2005_42.csv",
    "china_2010_41.csv",
    "china_2015_42.csv",
    "china_2017_42.csv",
    "china_2018_42.csv",
    "china_2020_42.csv",
]


@pytest.fixture(scope="module")
def nbs_tables() -> dict[str, IOTable]:
    return {
        name: read_io_table(shared_path("china_nbs_io", name))
        for name in dict.fromkeys(DETAILED + FORTY_TWO)
    }


def test_official_direct_fusion_equals_the_aggregated_coefficient(nbs_tables):
    table = nbs_tables["china_2017_42.csv"]
    services = ["28", "29", "31", "32", "34", "35", "36"]  # SECTORS.md 5.6, nbs2017_42
    manufacturing = [f"{i:02d}" for i in range(6, 24)]  # SECTORS.md 3: 06-23
    merged = table.aggregate(_three_groups(services, manufacturing, list(table.sectors.index)))
    for kind in ("total", "domestic"):  # a non-competitive table: both kinds are flow sums
        named = table.fusion("producer_services", "manufacturing", measure="direct", kind=kind)
        assert named.source == tuple(services) and named.target == tuple(manufacturing)
        # Source: NBS 2017 42-sector table; two routes, one answer
        np.testing.assert_allclose(
            named.value,
            merged.technical_coefficients(kind=kind).loc["S", "T"],
            rtol=1e-12,
            atol=0,
        )


@pytest.mark.parametrize("names", [DETAILED, FORTY_TWO], ids=["detailed", "forty_two"])
def test_fusion_panel_over_the_nbs_tables(nbs_tables, names):
    tables = {nbs_tables[n].year: nbs_tables[n] for n in reversed(names)}  # years unsorted
    panel = fusion_panel(tables)
    years = sorted(tables)
    assert years == ([2002, 2005, 2007, 2010, 2012, 2015, 2017, 2018, 2020] if len(names) == 9
                     else [2005, 2010, 2015, 2017, 2018, 2020])  # fmt: skip
    assert list(panel.columns) == ["year", "source", "target", "measure", "value", "sectors"]
    assert panel.shape == (4 * len(names), 6)
    assert panel["year"].tolist() == sorted(panel["year"].tolist())
    assert panel["year"].unique().tolist() == years
    directions = set(zip(panel["source"], panel["target"]))
    assert directions == {
        ("producer_services", "manufacturing"),
        ("manufacturing", "producer_services"),
    }
    sizes = dict(zip(panel["year"], panel["sectors"]))
    assert sizes == {nbs_tables[n].year: len(nbs_tables[n].sectors) for n in names}
    wide = panel.pivot_table(index="year", columns=["source", "target", "measure"], values="value")
    direct = wide.xs("direct", axis=1, level="measure")
    complete = wide.xs("complete", axis=1, level="measure")
    assert ((direct > 0) & (direct < 1)).all().all()
    # complete coefficients hold the direct ones and more: L - I = A + A^2 + ... >= A
    assert (complete.to_numpy() > direct.to_numpy()).all()
    # a sequence of tables (each with its year) gives the same panel
    pd.testing.assert_frame_equal(fusion_panel([nbs_tables[n] for n in names]), panel)


def test_fusion_panel_options_and_labels(nbs_tables):
    table = nbs_tables["china_2015_42.csv"]
    panel = fusion_panel(
        {2015: table}, directions=[(["32", "33"], "equipment")], measures=["direct"],
        weighting="equal",
    )  # fmt: skip
    assert panel[["source", "target", "measure"]].values.tolist() == [
        ["32+33", "equipment", "direct"]
    ]
    # equal weights over the 8 equipment sectors of nbs2015_42 (SECTORS.md 4)
    equipment = ["15", "16", "17", "18", "19", "20", "21", "24"]
    A = table.technical_coefficients()
    np.testing.assert_allclose(
        panel["value"].iloc[0], A.loc[["32", "33"], equipment].sum(axis=0).mean(), rtol=1e-13,
        atol=0,
    )  # fmt: skip


def test_fusion_panel_refuses_two_tables_of_one_year_and_tables_without_year(nbs_tables):
    both_2017 = [nbs_tables["china_2017_149.csv"], nbs_tables["china_2017_42.csv"]]
    with pytest.raises(IOTableError, match=r"Several tables for the year\(s\) \[2017\]"):
        fusion_panel(both_2017)
    with pytest.raises(IOTableError, match=r"needs its year \(IOTable\(year=\.\.\.\)\)"):
        fusion_panel([hand_table(), IOTable(*_hand_parts())])


def _hand_parts():
    table = hand_table()
    return table.intermediate, table.final_demand, table.value_added


def test_fusion_errors():
    table = hand_table()
    with pytest.raises(SectorMappingError, match="Unknown sector group 'manufactures'"):
        fusion(table, ["s"], "manufactures")
    with pytest.raises(SectorMappingError, match="not one of them"):
        fusion(table, "producer_services", "manufacturing")  # a table of its own
    with pytest.raises(SectorMappingError, match=r"Sector\(s\) x of the group are not sectors"):
        fusion(table, ["s", "x"], ["m1"])
    with pytest.raises(SectorMappingError, match=r"The group \[\] has no sector in this table"):
        fusion(table, [], ["m1"])
    with pytest.raises(InvalidOptionError, match="measure='total' is not supported"):
        fusion(table, ["s"], ["m1"], measure="total")
    with pytest.raises(InvalidOptionError, match="weighting='value_added' is not supported"):
        fusion(table, ["s"], ["m1"], weighting="value_added")
    # a target group without final demand cannot be weighted by it
    no_final = IOTable(
        pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["m", "s"], columns=["m", "s"]),
        pd.DataFrame({"EX": [70.0, 0.0]}, index=["m", "s"]),
        pd.Series([60.0, 10.0], index=["m", "s"]),
    )
    with pytest.raises(IOTableError, match="no positive final demand"):
        fusion(no_final, ["m"], ["s"], weighting="final_demand")


def test_empty_named_group_of_a_real_table(nbs_tables):
    table = nbs_tables["china_2017_42.csv"]
    # SECTORS.md 5.3: human_resources is not used by any classification
    with pytest.raises(SectorMappingError, match="'human_resources' has no sector"):
        table.fusion("human_resources", "manufacturing")


def test_fusion_with_integer_sector_labels():
    # a table whose sector labels are integers (as read from a spreadsheet): the groups are
    # given as the same integers; a_21 = 4/40 = 0.1 (Z = [[10, 5], [4, 8]], x = (40, 50))
    table = IOTable(
        pd.DataFrame([[10.0, 5.0], [4.0, 8.0]], index=[1, 2], columns=[1, 2]),
        pd.DataFrame({"EX": [25.0, 38.0]}, index=[1, 2]),
        pd.Series([26.0, 37.0], index=[1, 2]),
    )
    np.testing.assert_allclose(
        table.fusion([2], [1], measure="direct").value, 0.1, rtol=1e-15, atol=0
    )
