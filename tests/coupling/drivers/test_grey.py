"""Tests of coupling/drivers/grey.py: Deng's grey relational analysis."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coupling.drivers.grey import GreyRelationalResults, grey_relational
from coupling.exceptions import (
    ColumnNotFoundError,
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    SpecificationError,
)

from ..conftest import REFERENCE, random_panel

EXACT = 1e-12  # exact fractions (tests/coupling/reference/grey_hand.py) against float64

HAND = json.loads((REFERENCE / "grey_hand.json").read_text(encoding="utf-8"))


def hand_frame() -> pd.DataFrame:
    rows = []
    for r in HAND["regions"]:
        for t, y in enumerate(HAND["years"]):
            rows.append(
                {
                    "region": r,
                    "year": y,
                    **{s: float(HAND["raw"][s][r][t]) for s in ("D", "f1", "f2")},
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "case", HAND["cases"], ids=lambda c: f"{c['by']}-{c['normalization']}-rho{c['rho']}"
)
def test_hand_worked_fractions(case):
    """Every coefficient, degree and overall degree equals the exact fraction (1e-12)."""
    res = grey_relational(
        hand_frame(),
        "D",
        ["f1", "f2"],
        by=case["by"],
        normalization=case["normalization"],
        rho=float(Fraction(case["rho"])),
    )
    coef = res.coefficients.set_index(["region", "year", "factor"])["coefficient"]
    for key, value in case["coefficients"].items():
        region, year, factor = key.split("|")
        assert coef[(region, int(year), factor)] == pytest.approx(
            float(Fraction(value)), rel=EXACT
        ), key
    degrees = res.degrees["degree"]
    for label, by_factor in case["degrees"].items():
        group = int(label) if case["by"] == "year" else label
        for factor, value in by_factor.items():
            assert degrees[(group, factor)] == pytest.approx(float(Fraction(value)), rel=EXACT)
    for factor, value in case["overall"].items():
        assert res.overall.loc[factor, "degree"] == pytest.approx(float(Fraction(value)), rel=EXACT)


def test_worked_case_in_the_reference_docstring():
    """Region a, mean normalization, rho = 1/2: xi f1 = 7/8, 7/9, 7/10; r = 847/1080, 5/9."""
    res = grey_relational(hand_frame(), "D", ["f1", "f2"], by="region")
    a = res.coefficients.query("region == 'a'").pivot(
        index="year", columns="factor", values="coefficient"
    )
    np.testing.assert_allclose(a["f1"], [7 / 8, 7 / 9, 7 / 10], rtol=EXACT)
    np.testing.assert_allclose(a["f2"], [1 / 3, 1, 1 / 3], rtol=EXACT)
    deltas = res.coefficients.query("region == 'a' and factor == 'f1'")["delta"]
    np.testing.assert_allclose(deltas, [1 / 14, 1 / 7, 3 / 14], rtol=EXACT)
    ranks = res.degrees.loc["a", "rank"]
    assert ranks.to_dict() == {"f1": 1, "f2": 2}
    assert res.degrees.index.names == ["region", "factor"]


def test_batched_equals_one_sequence_at_a_time():
    """Two routes: all years at once vs each year's cross-section on its own."""
    panel = random_panel(8, 4, 4, seed=3).rename(columns={"x0": "D"})
    factors = ["x1", "x2", "x3"]
    res = grey_relational(panel, "D", factors, by="year", normalization="minmax", rho=0.3)
    for year, part in panel.groupby("year"):
        single = grey_relational(part, "D", factors, by="panel", normalization="minmax", rho=0.3)
        got = res.degrees.xs(year, level="year")["degree"]
        np.testing.assert_allclose(got, single.overall["degree"], rtol=EXACT)
    by_region = grey_relational(panel, "D", factors, by="region", normalization="initial")
    for region, part in panel.groupby("region"):
        single = grey_relational(part, "D", factors, by="region", normalization="initial")
        np.testing.assert_allclose(
            by_region.degrees.xs(region, level="region")["degree"],
            single.overall["degree"],
            rtol=EXACT,
        )
    np.testing.assert_allclose(
        res.overall["degree"],
        res.degrees["degree"].groupby(level="factor").mean()[factors],
        rtol=EXACT,
    )


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rho=st.floats(0.05, 0.95),
    by=st.sampled_from(["year", "region", "panel"]),
    normalization=st.sampled_from(["mean", "minmax"]),
)
def test_properties(seed, rho, by, normalization):
    """Coefficients in (0, 1], 1 where delta is smallest; a larger rho raises every coefficient
    (d xi / d rho >= 0 since min <= delta), so degrees are monotone in rho."""
    panel = random_panel(5, 4, 3, seed=seed)
    kwargs = {"by": by, "normalization": normalization}
    res = grey_relational(panel, "x0", ["x1", "x2"], rho=rho, **kwargs)
    coef = res.coefficients["coefficient"]
    assert ((coef > 0) & (coef <= 1 + 1e-15)).all()
    assert res.degrees["degree"].between(0, 1).all()
    more = grey_relational(panel, "x0", ["x1", "x2"], rho=min(1.0, rho + 0.05), **kwargs)
    assert (more.coefficients["coefficient"] >= coef - 1e-12).all()
    scaled = panel.assign(x1=panel["x1"] * 7.5)  # units do not matter after normalization
    again = grey_relational(scaled, "x0", ["x1", "x2"], rho=rho, **kwargs)
    np.testing.assert_allclose(again.degrees["degree"], res.degrees["degree"], rtol=1e-9)


def test_input_not_modified_results_frozen_and_summary():
    frame = hand_frame()
    before = frame.copy(deep=True)
    res = grey_relational(frame, "D", "f1")
    pd.testing.assert_frame_equal(frame, before)
    assert isinstance(res, GreyRelationalResults) and res.options["factors"] == ("f1",)
    table = res.overall
    table.loc["f1", "degree"] = -1.0
    assert res.overall.loc["f1", "degree"] > 0
    text = str(res.summary())
    assert "Grey relational degrees (overall)" in text and "rho=0.5" in text
    indexed = grey_relational(
        frame.set_index(["region", "year"]), "D", ["f1", "f2"], region=None, year=None
    )
    pd.testing.assert_frame_equal(
        indexed.degrees, grey_relational(frame, "D", ["f1", "f2"]).degrees
    )


def test_bad_input_messages():
    frame = hand_frame()
    with pytest.raises(InvalidOptionError, match=r"rho .* \(0, 1\], got 0"):
        grey_relational(frame, "D", ["f1"], rho=0)
    with pytest.raises(InvalidOptionError, match=r"rho .* got 1.5"):
        grey_relational(frame, "D", ["f1"], rho=1.5)
    with pytest.raises(InvalidOptionError, match="by='province'"):
        grey_relational(frame, "D", ["f1"], by="province")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match=r"normalization='initial'.*by='region'"):
        grey_relational(frame, "D", ["f1"], normalization="initial", by="year")
    with pytest.raises(SpecificationError, match="at least one column"):
        grey_relational(frame, "D", [])
    with pytest.raises(SpecificationError, match="'D' is also listed among the factors"):
        grey_relational(frame, "D", ["f1", "D"])
    with pytest.raises(ColumnNotFoundError, match="f3"):
        grey_relational(frame, "D", ["f3"])
    zero_start = frame.copy()
    zero_start.loc[(zero_start.region == "b") & (zero_start.year == 1), "f2"] = 0.0
    with pytest.raises(DegenerateIndexError, match=r"f2 in region b starts at 0.*'mean'"):
        grey_relational(zero_start, "D", ["f1", "f2"], by="region", normalization="initial")
    zero_mean = frame.assign(f1=np.where(frame.year == 2, 0.0, frame.f1))
    zero_mean.loc[zero_mean.year == 2, "f1"] = [1.0, -1.0, 0.0]
    with pytest.raises(DegenerateIndexError, match=r"f1 in year 2 has mean 0.*'minmax'"):
        grey_relational(zero_mean, "D", ["f1"], by="year")
    with pytest.raises(
        ConstantIndicatorError, match=r"f1 in year 1, f1 in year 2.* is constant.*'mean'"
    ):
        grey_relational(frame.assign(f1=frame.year * 1.0), "D", ["f1"], normalization="minmax")
    same = frame.assign(f1=frame.D * 3)
    with pytest.raises(DegenerateIndexError, match=r"equals the reference .*in year 1"):
        grey_relational(same, "D", ["f1"])
