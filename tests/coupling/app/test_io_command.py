"""Tests of ``liangye io`` (coupling/app/io_command.py) on small NBS-layout files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coupling.app.cli import main
from tests.shared_data import shared_path

SECTORS = [("01", "农业", "Agriculture"), ("02", "制造", "Manufacturing"),
           ("03", "金融", "Finance")]  # fmt: skip


def nbs_file(path, scale: float, *, encoding: str = "gb18030") -> None:
    """A three-sector competitive table in the NBS layout (Code, names, sectors, TIU, final
    use, EX, TFU, IM, GO; rows TII, VA001, VA002, TVA, TI), written as GBK text."""
    Z = np.array([[10.0, 20.0, 5.0], [15.0, 40.0, 10.0], [5.0, 30.0 * scale, 8.0]])
    final = np.array([[40.0, 10.0], [60.0, 30.0], [50.0, 20.0]])  # FU101, EX
    imports = np.array([5.0, 10.0, 3.0])
    go = Z.sum(1) + final.sum(1) - imports
    va = go - Z.sum(0)
    rows = []
    for (code, zh, en), z, f, m, x in zip(SECTORS, Z, final, imports, go):
        rows.append([code, en, zh, *z, z.sum(), f[0], f[1], f.sum(), m, x])
    rows.append(["TII", "Total intermediate inputs", "中间投入合计", *Z.sum(0),
                 *[""] * 6])  # fmt: skip
    rows.append(["VA001", "Compensation", "劳动者报酬", *(0.6 * va), *[""] * 6])
    rows.append(["VA002", "Net taxes", "生产税净额", *(0.4 * va), *[""] * 6])
    rows.append(["TVA", "Value added", "增加值合计", *va, *[""] * 6])
    rows.append(["TI", "Total inputs", "总投入", *(Z.sum(0) + va), *[""] * 6])
    columns = ["Code", "Description", "DescriptionInChinese", "01", "02", "03", "TIU", "FU101",
               "EX", "TFU", "IM", "GO"]  # fmt: skip
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False, encoding=encoding)


@pytest.fixture
def two_years(tmp_path):
    first, second = tmp_path / "toy_2017.csv", tmp_path / "toy_2020.csv"
    nbs_file(first, 1.0)
    nbs_file(second, 1.5)
    return first, second


def test_io_writes_coefficients_linkages_and_fusion(two_years, tmp_path, capsys):
    first, second = two_years
    out = tmp_path / "io"
    assert main(["io", str(first), str(second), "--source", "03", "--target", "02",
                 "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "2 table(s), 2017-2020" in printed
    names = ("direct_consumption", "direct_consumption_domestic", "leontief_inverse",
             "complete_consumption", "direct_distribution", "ghosh_inverse",
             "complete_distribution", "linkages", "fusion", "fusion_pairs_complete")  # fmt: skip
    for name in names:
        assert (out / f"{name}.csv").exists(), name
    assert (out / "report.html").exists() and (out / "summary.txt").exists()
    assert (out / "figures" / "fusion_heatmap.png").exists()
    assert (out / "figures" / "fusion_path.png").exists()
    # the direct fusion of finance by manufacturing in 2020: z_32 / x_2 by hand
    # (z_32 = 30 * 1.5 = 45; x_2 = 15 + 40 + 10 + 60 + 30 - 10 = 145)
    fusion = pd.read_csv(out / "fusion.csv", dtype={"source": str, "target": str})
    direct = fusion.query("year == 2020 and kind == 'total' and measure == 'direct' "
                          "and source == '03'")["value"]  # fmt: skip
    assert direct.iloc[0] == pytest.approx(45.0 / 145.0, rel=1e-12)
    assert "2020 03 -> 02 direct: 0.3103" in printed
    # the CSV opens in Excel: UTF-8 with a byte-order mark, Chinese names kept
    raw = (out / "linkages.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "金融".encode() in raw


def test_io_one_year_with_a_group_name_needs_a_known_classification(two_years, tmp_path, capsys):
    first, _ = two_years
    code = main(["io", str(first), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "not one of them" in capsys.readouterr().err


def test_io_errors_are_one_line(two_years, tmp_path, capsys):
    first, _ = two_years
    assert main(["io", str(tmp_path / "missing_2017.csv"), "--out", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["io", str(first), str(first), "--source", "03", "--target", "02"]) == 2
    assert "given twice" in capsys.readouterr().err
    undated = tmp_path / "toy.csv"
    nbs_file(undated, 1.0)
    assert main(["io", str(undated), "--source", "03", "--target", "02"]) == 2
    assert "no year in the file name" in capsys.readouterr().err
    assert main(["io", str(first), "--year", "2019", "--source", "03", "--target", "02"]) == 2
    assert "--year 2019" in capsys.readouterr().err


def test_io_on_the_nbs_and_wiod_tables(tmp_path, capsys):
    nbs = shared_path("china_nbs_io", "china_2017_42.csv")
    wiod = shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv")
    assert main(["io", str(nbs), "--out", str(tmp_path / "nbs"), "--lang", "zh"]) == 0
    assert "2017 producer_services -> manufacturing complete" in capsys.readouterr().out
    linkages = pd.read_csv(tmp_path / "nbs" / "linkages.csv", dtype={"sector": str})
    assert len(linkages) == 42
    # both sensitivity conventions average to 1 over the 42 sectors (equal weighting)
    for column in ("influence", "sensitivity_leontief", "sensitivity_ghosh"):
        assert linkages[column].mean() == pytest.approx(1.0, rel=1e-12)
    assert main(["io", str(wiod), "--zero-output", "drop", "--out", str(tmp_path / "w")]) == 0
    assert "15 table(s), 2000-2014" in capsys.readouterr().out
