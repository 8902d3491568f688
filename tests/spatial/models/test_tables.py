"""Tests of spatial/models/tables.py and of the summaries of results."""

from __future__ import annotations

import pytest

from spatial import SpatialDurbinPanel, SpatialLagPanel, compare
from spatial._core.summary import stars
from spatial.exceptions import SpecificationError


def test_stars():
    assert [stars(p) for p in (0.001, 0.02, 0.07, 0.2)] == ["***", "**", "*", ""]


def test_compare_side_by_side(cigar, cigar_w):
    args = (cigar, "logc", ["logp", "logy"], cigar_w)
    keys = {"region": "state", "year": "year"}
    sdm, sar = SpatialDurbinPanel(*args, **keys).fit(), SpatialLagPanel(*args, **keys).fit()
    table = compare({"SDM": sdm, "SAR": sar})
    frame = table.tables[0][1]
    assert list(frame.columns) == ["SDM", "SAR"]
    coef_row = list(frame.index).index("logp")
    assert frame.iloc[coef_row]["SDM"] == f"{sdm.params['logp']:.4f}***"
    assert frame.iloc[coef_row + 1]["SDM"] == f"({sdm.std_errors['logp']:.4f})"
    assert frame.loc["W_logp", "SAR"] == ""
    text = str(table)
    assert "log-likelihood" in text and "Standard errors in parentheses" in text
    assert "<table" in table.as_html() and "tabular" in table.as_latex()
    assert list(compare([sdm, sar]).tables[0][1].columns) == ["SDM", "SAR"]
    with pytest.raises(SpecificationError, match="unique"):
        compare([sdm, sdm])
    with pytest.raises(SpecificationError, match="at least one"):
        compare([])


def test_results_summary_and_intervals(cigar, cigar_w):
    res = SpatialDurbinPanel(
        cigar, "logc", ["logp", "logy"], cigar_w, region="state", year="year"
    ).fit()
    text = str(res.summary())
    assert "SDM panel model" in text and "bias correction" in text and "lee_yu" in text
    ci = res.conf_int(0.9)
    assert (ci["lower"] < res.params).all() and (res.params < ci["upper"]).all()
    assert res.bic > res.aic and res.nobs == 1380 and res.n_params == 6
    assert "SpatialPanelResults SDM" in repr(res)
    with pytest.raises(SpecificationError, match="level must lie"):
        res.conf_int(0)
