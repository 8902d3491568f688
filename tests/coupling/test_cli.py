"""Tests of coupling/cli.py (the main job) and of the examples that use the coupling engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from coupling.cli import DEMO_SYSTEM, complete_years, main
from coupling.datasets import load_provincial_panel

ROOT = Path(__file__).resolve().parents[2]


def test_complete_years_of_the_demo_system():
    # 2017 lacks high-tech operations; Tibet lacks technology exports up to 2016
    years = complete_years(load_provincial_panel(), DEMO_SYSTEM.indicators)
    assert years == [2018, 2019, 2020, 2021, 2022, 2023]


def test_demo_writes_tables_and_prints_summary(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--bootstrap", "50"]) == 0
    printed = capsys.readouterr().out
    assert "31 provinces, years 2018-2023" in printed
    assert "Indicator weights" in printed and "Tier counts by year" in printed
    expected = {
        "indicator_weights.csv", "scores.csv", "d_by_year.csv", "d_by_province.csv",
        "tier_counts.csv", "weights_bootstrap.csv", "summary.txt",
    }  # fmt: skip
    assert expected == {p.name for p in tmp_path.iterdir()}
    scores = pd.read_csv(tmp_path / "scores.csv", dtype={"code": str})
    assert len(scores) == 31 * 6
    assert scores["D"].between(0, 1).all() and scores["D_wang2021"].between(0, 1).all()
    assert {"province_zh", "province_en", "tier", "tier_zh", "lag_type"} <= set(scores.columns)
    weights = pd.read_csv(tmp_path / "indicator_weights.csv")
    assert weights.groupby("subsystem")["w"].sum().round(12).tolist() == [1.0, 1.0]


def test_cli_needs_a_command(capsys):
    with pytest.raises(SystemExit):
        main([])
    assert "demo" in capsys.readouterr().err


def test_research_script_example_runs(tmp_path):
    out = tmp_path / "scores.csv"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "score_provincial_panel.py"), str(out)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Mean D by year, standard vs wang2021" in result.stdout
    assert len(pd.read_csv(out)) == 31 * 6
