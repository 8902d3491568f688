"""The study recipes in examples/ run as scripts and print what they promise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "us_spatial_panel"


def run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_seed_national_figures_reproduce_published_growth():
    out = run("seed_national_figures.py")
    # modern services 9.87% and advanced manufacturing 4.92% a year (published)
    assert re.search(r"modern_services_va\s+242197\.0\s+681756\.0\s+2\.814882\s+9\.87\s+9\.87", out)
    assert re.search(r"advanced_manufacturing_revenue.*4\.92\s+4\.92", out)
    assert "D only restates that both sides grew" in out


def test_coagglomeration_recipe_recovers_the_simulated_spillover():
    out = run("coagglomeration_spillover.py")
    assert out.startswith("SIMULATED DATA")
    found = re.search(r"indirect true (\S+)\s+estimated (\S+) \(s\.e\. (\S+)\)", out)
    assert found is not None
    truth, estimate, se = (float(v) for v in found.groups())
    assert abs(estimate - truth) < 3 * se
    assert "Robustness across W" in out and "economic distance" in out


def test_coagglomeration_recipe_at_city_level():
    """The simulated table on the 337 prefecture-level cities, china_cities W (about 2 s)."""
    out = run("coagglomeration_spillover.py", "--level", "city")
    assert out.startswith("SIMULATED DATA")
    assert "Level: prefecture-level cities, 337 units, 12 years." in out
    assert "contiguity (queen + islands)" in out and "economic distance" in out
    found = re.search(r"indirect true (\S+)\s+estimated (\S+) \(s\.e\. (\S+)\)", out)
    assert found is not None
    truth, estimate, se = (float(v) for v in found.groups())
    assert abs(estimate - truth) < 3 * se
    rho = re.search(r"rho\s+true 0\.300\s+estimated (\S+)", out)
    assert rho is not None and abs(float(rho.group(1)) - 0.3) < 0.05


def test_coagglomeration_recipe_level_is_a_function_argument(capsys):
    """``run(level=...)`` is the recipe as a function; a wrong level is refused."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "coagglomeration_spillover", ROOT / "examples" / "coagglomeration_spillover.py"
    )
    assert spec is not None and spec.loader is not None
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    with pytest.raises(ValueError, match="level='county' is not one of province, city"):
        recipe.run("county")
    assert len(recipe.units("city")) == 337 and len(recipe.units("province")) == 31


EMPLOYMENT = ROOT.parent / "shared" / "data" / "china_industry_employment"


@pytest.fixture(scope="module")
def nbs_study(tmp_path_factory):
    """The co-agglomeration study on the NBS tables of shared/ (no licence: not packaged)."""
    if not (EMPLOYMENT / "income.csv").exists():
        pytest.skip(f"the NBS employment tables are not beside the repository ({EMPLOYMENT})")
    out = tmp_path_factory.mktemp("coagglomeration")
    printed = run("coagglomeration_spillover.py", "--data", str(EMPLOYMENT), "--out", str(out))
    return out, printed


def test_coagglomeration_study_on_the_nbs_tables_writes_tables_maps_and_report(nbs_study):
    import pandas as pd
    from matplotlib import image

    out, printed = nbs_study
    for name in ("location_quotients", "coagglomeration", "ellison_glaeser", "moran", "lisa",
                 "sdm", "tests", "effects"):  # fmt: skip
        assert (out / "tables" / f"{name}.csv").exists(), name
    for name in ("map_coagglomeration", "lisa_map"):
        picture = image.imread(out / "figures" / f"{name}.png")
        assert picture.std() > 0.05, name  # not blank
    assert (out / "report.html").exists() and "信息业, 金融业, 科研" in printed
    moran = pd.read_csv(out / "tables" / "moran.csv", encoding="utf-8-sig")
    assert list(moran["year"]) == list(range(2015, 2024)) and (moran["n"] == 31).all()
    assert {"z_I_norm", "z_I_rand", "p_sim_I"} <= set(moran.columns)
    effects = pd.read_csv(out / "tables" / "effects.csv", encoding="utf-8-sig")
    rows = effects[effects["variable"] == "coagglomeration"]
    assert len(rows) == 6 and set(rows["effect"]) == {"direct", "indirect", "total"}
    assert set(rows["W"]) == {"contiguity (queen + Hainan)", "inverse distance"}
    tests = pd.read_csv(out / "tables" / "tests.csv", encoding="utf-8-sig")
    assert len(tests) == 8 and tests["p_value"].between(0, 1).all()
    eg = pd.read_csv(out / "tables" / "ellison_glaeser.csv", encoding="utf-8-sig")
    assert len(eg) == 9 and eg["gamma_c"].notna().all()


def test_coagglomeration_study_indices_equal_a_hand_computation(nbs_study):
    """LQ and the co-agglomeration quality index of Beijing (11) in 2015, computed here from
    the raw income.csv: shares of the eight industries, producer services summed."""
    import pandas as pd

    out, _ = nbs_study
    raw = pd.read_csv(EMPLOYMENT / "income.csv")
    year = raw[raw["年份"] == 2015]
    by = year.pivot(index="地区", columns="行业", values="就业人数").astype(float)
    total, national = by.sum(axis=1), by.sum()
    lq_m = (by.loc["北京", "制造业"] / total["北京"]) / (national["制造业"] / national.sum())
    services = ["信息业", "金融业", "科研"]
    lq_s = (by.loc["北京", services].sum() / total["北京"]) / (
        national[services].sum() / national.sum()
    )
    quality = 1 - abs(lq_m - lq_s) / (lq_m + lq_s)
    lq = pd.read_csv(out / "tables" / "location_quotients.csv", dtype={"region": str},
                     encoding="utf-8-sig").set_index(["region", "year"])  # fmt: skip
    assert lq.loc[("11", 2015), "制造业"] == pytest.approx(lq_m, rel=1e-12)
    coagg = pd.read_csv(out / "tables" / "coagglomeration.csv", dtype={"region": str},
                        encoding="utf-8-sig").set_index(["region", "year"])  # fmt: skip
    assert coagg.loc[("11", 2015), "LQ_services"] == pytest.approx(lq_s, rel=1e-12)
    assert coagg.loc[("11", 2015), "coagglomeration"] == pytest.approx(quality, rel=1e-12)


def test_coagglomeration_study_reports_a_missing_file(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "coagglomeration_spillover.py"), "--data",
         str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "no income.csv, income.xlsx or income.xls" in result.stderr


def test_cigarette_demand_recipe():
    if not (SHARED / "Cigar.csv").exists():
        pytest.skip(f"the GPL cigarette data are not beside the repository ({SHARED})")
    out = run("cigarette_demand.py", str(SHARED))
    assert "SDPDmod, Lee-Yu" in out and "LR SDM vs SAR" in out and "Direct effects" in out
    rho = re.search(r"^rho\s+(\S+)\s+(\S+)\s+0\.222591\s+0\.262211", out, flags=re.MULTILINE)
    assert rho is not None
    assert float(rho.group(2)) == pytest.approx(0.269137, abs=1e-6)


def test_cigarette_recipe_reports_missing_data(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "cigarette_demand.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "Cigarette data not found" in result.stderr


def test_region_industry_study(tmp_path):
    out = run("region_industry_coupling.py", str(tmp_path))
    for section in (
        "Indicator weights",
        "Mean D by NBS region",
        "Tier counts by year",
        "Lag types by year",
        "Dagum Gini",
        "Sigma convergence",
    ):
        assert section in out, section
    import pandas as pd

    dagum = pd.read_csv(tmp_path / "dagum.csv", index_col=0)
    parts = dagum[["G_w", "G_nb", "G_t"]].sum(axis=1)
    assert (abs(parts - dagum["G"]) < 1e-12).all()
    assert len(pd.read_csv(tmp_path / "scores.csv")) == 31 * 6


WIOD2013 = ROOT.parent / "shared" / "data" / "wiod2013"


def test_gvc_recipe_on_two_wiod_tables(tmp_path):
    """The GVC recipe on the WIOD 2013 tables of 2010 and 2011 (no licence: not packaged)."""
    import pandas as pd

    if not (WIOD2013 / "wiot_2011.npz").exists():
        pytest.skip(f"the WIOD 2013 world tables are not beside the repository ({WIOD2013})")
    printed = run("gvc_producer_services.py", "--data", str(WIOD2013), "--out", str(tmp_path),
                  "--years", "2010", "2011")  # fmt: skip
    assert printed.startswith("GVC position of producer services, WIOD 2013, 2010-2011, 2 tables")
    tables = {n: pd.read_csv(tmp_path / "tables" / f"{n}.csv")
              for n in ("kpww", "dva", "wang", "length", "content")}  # fmt: skip
    assert set(tables["kpww"]["exporter"]) == {"CHN", "USA", "JPN", "DEU", "KOR", "IND"}
    # China's domestic value added in all its exports, 2011: KWW terms 1-5 over the nine
    # terms of decompr 6.8.0 kww() (shared/data/wiod2013/wiot2011_kww_decompr680.csv)
    kww = pd.read_csv(WIOD2013 / "wiot2011_kww_decompr680.csv").set_index("Country")
    terms = ["DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT"]
    expected = kww.loc["CHN", terms].sum() / kww.loc["CHN"].sum()
    dva = tables["dva"].set_index(["year", "exporter"])
    assert dva.loc[(2011, "CHN"), "dva_share_all"] == pytest.approx(expected, rel=1e-9)
    kpww = tables["kpww"].set_index(["year", "exporter"])
    ratio = (kpww["IV"] + kpww["FV"]) / kpww["exports"]
    assert (abs(ratio - kpww["participation"]) < 1e-12).all()
    assert (tmp_path / "report.html").exists()
    assert len(list((tmp_path / "figures").glob("*.png"))) == 3
