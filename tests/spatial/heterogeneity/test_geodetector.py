"""Tests of spatial/heterogeneity/geodetector.py.

References (tests/spatial/reference/, each with the script or source that produced it):

- geodetector_package.json, from geodetector_package.py: the Python package geodetector
  0.2.0 on its bundled disease.csv and on a simulated cross-section (OPGD); agreement 1e-10.
- geodetector_published.json: the printed output of the vignette of the R package
  geodetector 1.0-3 by the method's authors (Xu, Wang et al.) on the same NTD data;
  agreement to the printed digits.
- geodetector_hand.json, from geodetector_hand.py: exact fractions; agreement 1e-12.
"""

from __future__ import annotations

import json
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spatial._core.errors import InvalidOptionError, MissingValueError, SpecificationError
from spatial.heterogeneity.geodetector import (
    INTERACTION_TYPES,
    GeodetectorResults,
    SingletonStratumWarning,
    StratificationError,
    break_points,
    geodetector,
)

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
PACKAGE = json.loads((REFERENCE / "geodetector_package.json").read_text())
PUBLISHED = json.loads((REFERENCE / "geodetector_published.json").read_text())
HAND = json.loads((REFERENCE / "geodetector_hand.json").read_text())
FACTORS = ["type", "region", "level"]


def disease() -> pd.DataFrame:
    """The NTD data as bundled by geodetector 0.2.0 (the same 185 rows as R's CollectData)."""
    path = Path(pytest.importorskip("geodetector").__file__).parent / "dataset/data/disease.csv"
    return pd.read_csv(path, encoding="utf-8-sig")


def run(data: pd.DataFrame, y: str, factors: list[str], **options: Any) -> GeodetectorResults:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SingletonStratumWarning)
        return geodetector(data, y, factors, **options)


def by_factor(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("factor")


def by_pair(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index(table["factor1"] + "|" + table["factor2"])


# --------------------------------------------------- the Python package geodetector 0.2.0
def test_factor_detector_matches_geodetector_package() -> None:
    res = by_factor(run(disease(), "incidence", FACTORS, singletons="drop").factor)
    for name, ref in PACKAGE["disease"]["factor"].items():
        assert res.loc[name, "q"] == pytest.approx(ref["q"], abs=1e-10, rel=0)
        assert res.loc[name, "p"] == pytest.approx(ref["p"], abs=1e-10, rel=0)


def test_interaction_detector_matches_geodetector_package() -> None:
    res = by_pair(run(disease(), "incidence", FACTORS, singletons="drop").interaction)
    for pair, ref in PACKAGE["disease"]["interaction"].items():
        assert res.loc[pair, "q12"] == pytest.approx(ref["q12"], abs=1e-10, rel=0)
        assert res.loc[pair, "type"] == INTERACTION_TYPES[ref["type"]]


def test_risk_detector_matches_geodetector_package() -> None:
    risk = run(disease(), "incidence", FACTORS, singletons="drop").risk
    for name, rows in PACKAGE["disease"]["risk"].items():
        mine = risk[risk["factor"] == name]
        assert len(mine) == len(rows)
        for (s1, s2, t_ref, p_ref), row in zip(rows, mine.itertuples()):
            assert (row.stratum1, row.stratum2) == (s1, s2)
            assert row.t == pytest.approx(t_ref, abs=1e-10, rel=0)
            assert row.p == pytest.approx(p_ref, abs=1e-10, rel=0)


def test_ecological_detector_matches_geodetector_package() -> None:
    res = by_pair(run(disease(), "incidence", FACTORS, singletons="drop").ecological)
    for pair, ref in PACKAGE["disease"]["ecological"].items():
        assert res.loc[pair, "F"] == pytest.approx(ref["F"], abs=1e-10, rel=0)
        assert res.loc[pair, "p"] == pytest.approx(ref["p"], abs=1e-10, rel=0)


def test_optimal_discretization_matches_geodetector_package() -> None:
    """OptimalDiscretizer (quantile, equal, jenks x 3..8) against OPGD on the same grid."""
    data = pd.DataFrame(PACKAGE["opgd"]["data"])
    res = run(
        data,
        "y",
        ["x1", "x2"],
        discretize="optimal",
        methods=("quantile", "equal", "natural"),
        singletons="drop",
    )
    chosen = res.chosen.set_index("factor")
    names = {"jenks": "natural"}
    for name, ref in PACKAGE["opgd"]["chosen"].items():
        assert chosen.loc[name, "method"] == names.get(ref["method"], ref["method"])
        assert chosen.loc[name, "k"] == ref["k"]
        search = res.discretization
        best = search[search["factor"] == name]["q"].max()
        assert best == pytest.approx(ref["q"], abs=1e-10, rel=0)
        np.testing.assert_allclose(chosen.loc[name, "breaks"], ref["bins"][:-1], rtol=1e-12)


def test_direct_call_of_geodetector_package() -> None:
    """The installed package itself, on the NTD data and with y shifted by 100."""
    gd_package = pytest.importorskip("geodetector")
    data = disease()
    for shift in (0.0, 100.0):
        frame = data.assign(incidence=data["incidence"] + shift)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = gd_package.GeoDetector(factors=FACTORS, target="incidence").fit(frame)
        mine = by_factor(run(frame, "incidence", FACTORS, singletons="drop").factor)
        for row in ref.q_values_.itertuples():
            assert mine.loc[row.variable, "q"] == pytest.approx(row.q_value, abs=1e-10, rel=0)
            assert mine.loc[row.variable, "p"] == pytest.approx(row.p_value, abs=1e-9, rel=0)


# ----------------------------------------- the published output of the authors' R package
def test_published_r_geodetector_vignette_values() -> None:
    """Keeping one-unit strata (as the authors' R code) reproduces every printed number.

    The R package divides lambda by var(y) with ddof 1; the toolkit (as the paper's sigma^2,
    gdverse and the Python package) by the ddof-0 variance, so the printed p-values are
    recomputed from the toolkit's F and lambda with lambda * (N - 1) / N (to 2e-5: the
    noncentral F tail of R and of scipy differ in the sixth digit at p = 1.2e-4).
    """
    res = run(disease(), "incidence", FACTORS)
    factor = by_factor(res.factor)
    n = 185
    for name, ref in PUBLISHED["factor"].items():
        row = factor.loc[name]
        assert row["q"] == pytest.approx(ref["q"], abs=5e-8, rel=0)
        p_r = stats.ncf.sf(row["F"], row["df1"], row["df2"], row["lambda"] * (n - 1) / n)
        # 2e-5: R's pf(ncp=) (AS 226/R 2.x series) and scipy's ncf (Boost) differ there;
        # 0.00011699044 here against the printed 0.0001169914
        assert p_r == pytest.approx(ref["p"], rel=2e-5)
    inter = by_pair(res.interaction)
    for pair, q12 in PUBLISHED["interaction_q12"].items():
        assert inter.loc[pair, "q12"] == pytest.approx(q12, abs=1e-14, rel=0)
    for name, q in PUBLISHED["interaction_q"].items():
        assert factor.loc[name, "q"] == pytest.approx(q, abs=1e-14, rel=0)
    means = res.means
    for name, ref in PUBLISHED["risk_means"].items():
        mine = means[means["factor"] == name].set_index("stratum")["mean"]
        for stratum, value in ref.items():
            assert mine.loc[int(stratum)] == pytest.approx(value, abs=5e-7, rel=0)
    # Welch t tests at 5%: the R code rounds the Welch df; the decisions agree all the same
    risk = res.risk
    for name, ref in PUBLISHED["risk_significant_0.05"].items():
        order = ref["order"]
        mine = risk[risk["factor"] == name]
        for row in mine.itertuples():
            i, j = order.index(row.stratum1), order.index(row.stratum2)
            assert row.significant == (ref["rows"][i][j] == "T"), (name, i, j)
    # the R code compares q ratios with qf(0.9); the ratio of SSW (Wang et al. 2010) with a
    # two-sided 5% test gives the same decisions on these data
    eco = by_pair(res.ecological)
    for pair, sig in PUBLISHED["ecological_significant"].items():
        assert bool(eco.loc[pair, "significant"]) == sig


# --------------------------------------------------------------- exact, hand-worked values
@pytest.mark.parametrize("case", HAND, ids=[c["name"] for c in HAND])
def test_hand_worked_fractions(case: dict[str, Any]) -> None:
    frame = pd.DataFrame(
        {"y": [float(v) for v in case["y"]], "x1": list(case["x1"]), "x2": list(case["x2"])}
    )
    res = run(frame, "y", ["x1", "x2"], singletons=case["singletons"])
    row = res.interaction.iloc[0]
    for key in ("q1", "q2", "q12"):
        assert row[key] == pytest.approx(float(Fraction(case[key])), abs=1e-12, rel=0)
    assert row["type"] == case["type"]


def test_q_and_f_by_hand() -> None:
    """y = 1..6 in two strata of three: SST = 17.5, SSW = 4, q = 27/35; F = 4 q/(1 - q) = 13.5;
    lambda = [(2^2 + 5^2) - (sqrt3 2 + sqrt3 5)^2/6] / (17.5/6) = 4.5/(35/12) = 54/35."""
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "x": list("aaabbb")})
    row = geodetector(frame, "y", ["x"]).factor.iloc[0]
    assert row["q"] == pytest.approx(27 / 35, abs=1e-12)
    assert row["F"] == pytest.approx(13.5, abs=1e-12)
    assert row["lambda"] == pytest.approx(54 / 35, abs=1e-12)
    assert row["p"] == pytest.approx(stats.ncf.sf(13.5, 1, 4, 54 / 35), abs=1e-14)
    assert row["p_anova"] == pytest.approx(stats.f.sf(13.5, 1, 4), abs=1e-14)


# ---------------------------------------------------- where the published programs differ
def test_noncentrality_is_not_location_invariant() -> None:
    """Adding 100 to y leaves q, F and the central p unchanged but moves the noncentral p
    of Wang, Zhang and Fu (2016), in the package (see the direct-call test) as here: lambda
    is built from the raw stratum means, so [sum m_h^2 - (sum sqrt(N_h) m_h)^2/N] =
    m^2 [L - (sum sqrt N_h)^2/N] > 0 for equal means m unless all N_h are equal. A test of
    stratified heterogeneity cannot depend on the origin of y: p_anova is the invariant one."""
    data = disease()
    base = by_factor(run(data, "incidence", FACTORS).factor)
    moved = by_factor(
        run(data.assign(incidence=data["incidence"] + 100), "incidence", FACTORS).factor
    )
    for col in ("q", "F", "p_anova"):
        np.testing.assert_allclose(moved[col], base[col], rtol=1e-9, atol=1e-12)
    assert (moved["lambda"] > 100 * base["lambda"]).all()
    assert (np.abs(moved["p"] - base["p"]) > 0.01).any()


def test_keep_and_drop_singletons_are_the_two_published_conventions() -> None:
    """R geodetector (the authors) keeps one-unit strata: q12 = 0.735680548139531 for
    type x region; gdverse and the Python package drop their units: 0.723183561450517.
    The paper's q is defined on all N units of the study area, so "keep" is the default."""
    data = disease()
    keep = by_pair(run(data, "incidence", FACTORS).interaction)
    drop = by_pair(run(data, "incidence", FACTORS, singletons="drop").interaction)
    assert keep.loc["type|region", "q12"] == pytest.approx(
        PUBLISHED["interaction_q12"]["type|region"], abs=1e-14
    )
    assert drop.loc["type|region", "q12"] == pytest.approx(
        PACKAGE["disease"]["interaction"]["type|region"]["q12"], abs=1e-10
    )
    assert keep.loc["type|region", "singletons12"] == 2


# ------------------------------------------------------------------ equivalence and panels
def test_panel_equals_each_year_alone() -> None:
    data = disease()
    rng = np.random.default_rng(3)
    years = []
    for t, year in enumerate((2001, 2002, 2003)):
        frame = data.assign(
            incidence=data["incidence"] + rng.normal(scale=0.2 * t, size=len(data)),
            village=np.arange(len(data)),
            year=year,
        )
        frame["x"] = rng.lognormal(size=len(data)) + frame["incidence"]
        years.append(frame)
    panel = pd.concat(years, ignore_index=True)
    factors = [*FACTORS, "x"]
    res = run(
        panel,
        "incidence",
        factors,
        region="village",
        year="year",
        discretize={"x": "optimal"},
        classes=range(3, 6),
    )
    for frame in years:
        year = frame["year"].iloc[0]
        alone = run(
            frame,
            "incidence",
            factors,
            region="village",
            discretize={"x": "optimal"},
            classes=range(3, 6),
        )
        for name in ("factor", "interaction", "ecological", "risk", "discretization"):
            got = getattr(res, name)
            got = got[got["year"] == year].drop(columns="year").reset_index(drop=True)
            pd.testing.assert_frame_equal(
                got,
                getattr(alone, name),
                check_exact=False,
                rtol=1e-10,
                atol=1e-12,
                check_dtype=False,
            )


def test_search_table_equals_fixed_discretization() -> None:
    """q of the OPGD grid (prefix sums at the breaks) = q of the same discretization passed
    as {"method": m, "k": k} (stratum codes through np.bincount)."""
    data = pd.DataFrame(PACKAGE["opgd"]["data"])
    res = run(data, "y", ["x1", "x2"], discretize="optimal", classes=(3, 5, 8))
    assert set(res.discretization["method"]) == {
        "equal",
        "quantile",
        "natural",
        "geometric",
        "sd",
        "maximum",
    }
    for row in res.discretization.itertuples():
        fixed = run(
            data, "y", [row.factor], discretize={row.factor: {"method": row.method, "k": row.k}}
        )
        assert fixed.factor["q"].iloc[0] == pytest.approx(row.q, abs=1e-10, rel=0)


def test_break_points_against_mapclassify() -> None:
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(11)
    for _ in range(20):
        x = np.round(rng.lognormal(size=int(rng.integers(12, 150))), 3)
        for k in (2, 3, 5, 8):
            np.testing.assert_array_equal(
                break_points(x, method="natural", k=k), mapclassify.FisherJenks(x, k=k).bins[:-1]
            )
    x = rng.normal(size=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method, cls in (
            ("equal", mapclassify.EqualInterval),
            ("quantile", mapclassify.Quantiles),
            ("maximum", mapclassify.MaximumBreaks),
        ):
            for k in (3, 5, 8):
                mine = break_points(x, method=method, k=k)  # type: ignore[arg-type]
                np.testing.assert_allclose(mine, cls(x, k=k).bins[:-1], rtol=0, atol=1e-12)


def test_geometric_and_sd_breaks_by_hand() -> None:
    x = [1.0, 2.0, 4.0, 8.0, 16.0]
    np.testing.assert_allclose(
        break_points(x, method="geometric", k=4), [2.0, 4.0, 8.0], rtol=1e-14
    )
    # mean 6.2, population sd sqrt(30.56); k = 4: mean - sd, mean, mean + sd
    sd = np.sqrt(np.mean((np.array(x) - 6.2) ** 2))
    np.testing.assert_allclose(
        break_points(x, method="sd", k=4), [6.2 - sd, 6.2, 6.2 + sd], rtol=1e-14
    )


# ------------------------------------------------------------------------------ bad input
def test_factor_with_one_stratum() -> None:
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "x": list("aaaa")})
    with pytest.raises(StratificationError, match="at least two strata; 'x' has only one"):
        geodetector(frame, "y", ["x"])


def test_one_unit_stratum_warns_and_has_no_t_test() -> None:
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 7], "x": list("aabbc")})
    with pytest.warns(SingletonStratumWarning, match="'x' stratum 'c'"):
        res = geodetector(frame, "y", ["x"])
    assert res.factor["strata"].iloc[0] == 3
    tests = res.risk.set_index(["stratum1", "stratum2"])
    assert np.isnan(tests.loc[("a", "c"), "t"]) and np.isnan(tests.loc[("a", "c"), "p"])
    assert np.isfinite(tests.loc[("a", "b"), "p"])


def test_missing_values() -> None:
    frame = pd.DataFrame({"y": [1.0, np.nan, 3, 4], "x": list("aabb")})
    with pytest.raises(MissingValueError, match="missing or infinite"):
        geodetector(frame, "y", ["x"])
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "x": ["a", None, "b", "b"]})
    with pytest.raises(MissingValueError, match="missing stratum label"):
        geodetector(frame, "y", ["x"])


def test_constant_response() -> None:
    frame = pd.DataFrame({"y": [2.0] * 4, "x": list("aabb"), "year": [1, 1, 1, 1], "id": range(4)})
    with pytest.raises(StratificationError, match="'y' is constant in year"):
        geodetector(frame, "y", ["x"], region="id", year="year")


def test_unknown_method_and_options() -> None:
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "x": [1.0, 2, 3, 4, 5, 7]})
    with pytest.raises(InvalidOptionError, match="methods='jenks' is not supported"):
        geodetector(frame, "y", ["x"], discretize="optimal", methods=("jenks",))
    with pytest.raises(InvalidOptionError, match=r"discretize\['x'\]\['method'\]='kmeans'"):
        geodetector(frame, "y", ["x"], discretize={"x": {"method": "kmeans", "k": 3}})
    with pytest.raises(InvalidOptionError, match="singletons='ignore' is not supported"):
        geodetector(frame, "y", ["x"], singletons="ignore")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="classes must be an integer >= 2"):
        geodetector(frame, "y", ["x"], discretize="optimal", classes=[1, 2])
    with pytest.raises(SpecificationError, match="also among the factors"):
        geodetector(frame, "y", ["y"])
    with pytest.raises(InvalidOptionError, match="method='ckmeans' is not supported"):
        break_points([1.0, 2.0], method="ckmeans", k=2)  # type: ignore[arg-type]


def test_input_is_not_modified() -> None:
    data = disease().assign(x=lambda d: d["incidence"] * 3 + np.arange(len(d)))
    before = data.copy(deep=True)
    res = run(data, "incidence", [*FACTORS, "x"], discretize={"x": "optimal"})
    pd.testing.assert_frame_equal(data, before)
    table = res.factor
    table.loc[0, "q"] = -1.0
    assert res.factor.loc[0, "q"] != -1.0
    text = str(res.summary())
    assert "Factor detector" in text and "Interaction detector" in text


def test_interaction_significance_is_the_factor_test_of_the_intersection():
    """p12 equals the factor detector's p of a column holding the intersected strata."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"a": rng.integers(0, 3, 120), "b": rng.integers(0, 4, 120), "y": rng.normal(size=120)}
    )
    frame["y"] += frame["a"] * 0.5 + (frame["b"] == 2)
    frame["ab"] = frame["a"].astype(str) + "-" + frame["b"].astype(str)
    pair = geodetector(frame, "y", ["a", "b"]).interaction.iloc[0]
    alone = geodetector(frame, "y", ["ab", "a"]).factor.set_index("factor").loc["ab"]
    assert pair["q12"] == pytest.approx(alone["q"], abs=1e-12)
    assert pair["p12"] == pytest.approx(alone["p"], rel=1e-10)
