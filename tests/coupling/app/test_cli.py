"""Tests of coupling/cli.py: the liangye command line."""

from __future__ import annotations

import pandas as pd
import pytest

from coupling.app.cli import main
from coupling.datasets import load_provincial_panel
from spatial.weights import china_provinces, write_weights

SPEC = """
region = "code"
year = "year"

[options]
weighting = "entropy"
variant = "wang2021"

[subsystems.manufacturing]
ht_enterprises = "+"
ht_revenue = "+"

[subsystems.services]
tm_absorb_contracts = "+"
tm_absorb_value = "+"
"""


@pytest.fixture
def panel_file(tmp_path):
    panel = load_provincial_panel().query("year >= 2018")
    path = tmp_path / "panel.csv"
    panel.to_csv(path, index=False)
    return path


def test_score_command(tmp_path, panel_file, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "scored"
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(out)]) == 0
    assert "Indicator weights" in capsys.readouterr().out
    scores = pd.read_csv(out / "scores.csv")
    assert len(scores) == 31 * 6 and scores["D"].between(0, 1).all()
    assert {p.name for p in out.iterdir()} == {
        "scores.csv",
        "indicator_weights.csv",
        "summary.txt",
        "report.html",
    }


@pytest.mark.parametrize(
    ("spec_text", "message"),
    [
        ("[subsystems", "malformed spec"),
        ("x = 1", "needs \\[subsystems.<name>\\]"),
        (
            '[options]\nweight = "entropy"\n[subsystems.m]\na = "+"',
            "unknown option\\(s\\) \\['weight'\\]",
        ),
        ('[subsystems.manufacturing]\nht_revenue = "up"', "direction 'up'"),
    ],
)
def test_score_reports_bad_specs(tmp_path, panel_file, capsys, spec_text, message):
    spec = tmp_path / "spec.toml"
    spec.write_text(spec_text, encoding="utf-8")
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(tmp_path)]) == 2
    assert pytest.importorskip("re").search(message, capsys.readouterr().err)


def test_score_reports_missing_files_and_columns(tmp_path, panel_file, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("ht_revenue", "ht_revenu"), encoding="utf-8")
    assert main(["score", str(tmp_path / "none.csv"), "--spec", str(spec)]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(tmp_path / "none.toml")]) == 2
    assert "spec file not found" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(spec), "--out", str(tmp_path)]) == 2
    assert "Did you mean 'ht_revenue'" in capsys.readouterr().err
    assert main(["score", str(panel_file), "--spec", str(spec), "--region", "province"]) == 2
    assert "column(s) ['province'] not in" in capsys.readouterr().err


def test_sdm_command(tmp_path, capsys):
    panel = (
        load_provincial_panel()
        .query("year >= 2018")
        .assign(science=lambda d: 100 * d["budget_science_tech"] / d["budget_total"])
    )
    data = tmp_path / "panel.csv"
    panel.to_csv(data, index=False)
    w_file = write_weights(china_provinces("queen", transform="none"), tmp_path / "w.gal")
    out = tmp_path / "sdm"
    code = main(
        [
            "sdm",
            str(data),
            "--y",
            "rd_intensity",
            "--x",
            "science",
            "--w",
            str(w_file),
            "--region",
            "code",
            "--year",
            "year",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "SDM panel model" in printed and "Direct effects" in printed
    params = pd.read_csv(out / "params.csv")
    assert params["term"].tolist() == ["science", "W_science", "rho"]
    assert set(pd.read_csv(out / "impacts.csv")["effect"]) == {"direct", "indirect", "total"}
    assert (
        main(
            [
                "sdm",
                str(data),
                "--y",
                "rd_intensity",
                "--x",
                "scince",
                "--w",
                str(w_file),
                "--region",
                "code",
                "--year",
                "year",
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "Did you mean 'science'" in capsys.readouterr().err
    assert (
        main(
            [
                "sdm",
                str(data),
                "--y",
                "rd_intensity",
                "--x",
                "science",
                "--w",
                str(tmp_path / "missing.gal"),
                "--region",
                "code",
                "--year",
                "year",
            ]
        )
        == 2
    )
    assert "weights file not found" in capsys.readouterr().err


def test_cli_needs_a_command(capsys):
    with pytest.raises(SystemExit):
        main([])
    assert "demo" in capsys.readouterr().err
