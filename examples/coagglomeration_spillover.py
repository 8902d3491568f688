"""Co-agglomeration of producer services and manufacturing, and its spatial spillover.

The design of the studies that regress manufacturing quality on the
co-agglomeration of producer services and manufacturing with a spatial Durbin
model: location quotients from the yearbook table "employed persons in urban
units by sector and region" (19 sectors; the 2011/2012 change of sector names
bridged by :func:`coupling.industry.sectors.harmonize_sectors`), the co-agglomeration
index, a two-way fixed-effects SDM with three W (contiguity, geographic
distance, economic distance), LR and Wald tests, effects, and a robustness
table across W.

Three sources of data:

* ``--data DIR`` (recommended): the NBS tables of urban non-private units by province and
  industry, in the layout of :func:`read_nbs_folder` (``income.csv`` or ``.xlsx``: 行业,
  地区, 年份, 平均工资, 就业人数 for eight industries; ``industry.csv`` or ``.xlsx``: 年份,
  地区, GDP and the value added of the three sectors), as downloaded from the NBS
  website. The study is then run on these real data, with the choices below, and its
  tables, maps and report are written to ``--out DIR``. The data are not part of the
  package: the recipe reads the user's own copy.
* ``--employment FILE --outcome FILE``: the yearbook table "employed persons in urban
  units by sector and region" (19 sectors, either edition, Chinese or English) and a
  (region, year) outcome table.
* neither: the script SIMULATES a table with the data-generating process documented
  in :func:`simulate` and shows that the estimator recovers its true spillover.
  Simulated numbers are not findings about China.

Choices of the real-data study (``--data``), each with its reason:

* Manufacturing is 制造业 (GB/T 4754 section C). Producer services are 信息业
  (information transmission, software and IT services, section I), 金融业 (finance, J)
  and 科研 (scientific research and technical services, M): the three sections of the
  eight published that the NBS classification of producer services (生产性服务业统计
  分类, 2019) counts as producer services as a whole. 商贸 (wholesale and retail, F) is left
  out because its retail half serves consumers; transport and leasing/business services,
  also producer services, are not among the eight industries of the table.
* Location quotients divide by the employment of the eight industries together (the
  table has no total over all industries): LQ_rj = (e_rj / e_r) / (E_j / E).
* Co-agglomeration: the quality index 1 - |LQm - LQs| / (LQm + LQs) (the regressor),
  the depth-adjusted index of Chen et al. (2016) and the Ellison-Glaeser (1997) index of
  the pair per year, all from :func:`coupling.coagglomeration_index`.
* Outcome, the manufacturing-quality proxy: the log of the average wage of manufacturing
  employees (real terms are absorbed by the year effects). Wages rise with the skill
  content and labour productivity of a region's manufacturing, which is what upgrading
  means in this literature; the table has no output or TFP by industry, so the wage is the
  proxy it allows. Controls: the tertiary share of GDP (industrial structure) and log GDP
  (size of the economy), from ``industry``.
* A two-way fixed-effects SDM (Lee-Yu corrected) with two W: queen contiguity with Hainan
  linked to Guangdong, and inverse great-circle distance between the capitals; LR tests
  against SAR and SEM, Wald tests of theta = 0 and of the common factor, and the direct,
  indirect and total effects with delta-method standard errors.
* Years: those in both files (2015-2023 in the NBS download of 2024).

``--level city`` runs the same design on the prefecture-level cities of
:func:`spatial.geography.load_china_cities` (337 units: 333 prefecture-level
divisions and the 4 municipalities) with :func:`spatial.weights.china_cities`
W (queen contiguity with island units linked to the nearest mainland unit,
inverse distance, economic distance); your files then name cities (in any
spelling :func:`spatial.geography.resolve_cities` reads; an optional
``province`` column tells 苏州 from 宿州 when both are written "Suzhou").

Run: ``python examples/coagglomeration_spillover.py --data DIR --out DIR``, or
``python examples/coagglomeration_spillover.py [--level province|city]
[--employment E.csv --outcome Y.csv --y quality --controls c1 c2 --gdp gdp_pc]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from coupling import coagglomeration_index, location_quotient
from coupling.industry.sectors import PRODUCER_SERVICES, SECTORS, harmonize_sectors
from spatial import SpatialDurbinPanel, SpatialErrorPanel, SpatialLagPanel, compare
from spatial.geography import load_china_cities, province_codes, resolve_cities, resolve_provinces
from spatial.weights import SpatialWeights, china_cities, china_provinces

#: True parameters of the simulated outcome (two-way SDM on the level's contiguity W).
TRUTH = {"rho": 0.3, "coagglomeration": 0.8, "W_coagglomeration": 0.5, "openness": 0.4}
#: Standard deviation of the outcome's idiosyncratic error.
NOISE = 0.05
#: The units of ``level``.
LEVELS = ("province", "city")
#: The label of the contiguity W (the true W of the simulation) at each level.
CONTIGUITY = {"province": "contiguity (queen + Hainan)", "city": "contiguity (queen + islands)"}


def units(level: str = "province") -> list[str]:
    """The codes of the units: 31 provinces (2 digits) or 337 prefecture-level cities (6)."""
    if level == "province":
        return list(province_codes())
    if level == "city":
        return load_china_cities()["code"].tolist()
    raise ValueError(f"level={level!r} is not one of {', '.join(LEVELS)}")


def contiguity_w(level: str = "province") -> SpatialWeights:
    """Queen contiguity: provinces with Hainan linked to Guangdong, or cities with each
    island unit (Haikou, Sanya, Danzhou, Sansha) linked to the nearest mainland unit."""
    return china_provinces("queen") if level == "province" else china_cities("queen")


def simulate(seed: int = 2024, level: str = "province") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A yearbook-style employment table and an outcome panel with a known SDM.

    Data-generating process, for the 31 provinces (``level="city"``: the 337
    prefecture-level cities, with the same process and city sizes
    ``exp(N(4.5, 0.8))``) and the years 2008-2019:

    * employment: province size ``exp(N(6, 0.8))`` thousand people, growing 2% a
      year; sector shares are a common national profile tilted by two latent
      province factors (an industrial and a service orientation, N(0, 1) at the
      start, then random walks with N(0, 0.6^2) steps, so co-agglomeration
      varies within provinces over time), normalized to one; counts are Poisson. Years up to
      2011 use the GB/T 4754-2002 sector names, later years the 2011 names.
    * gdp_pc: exp(N(10.5, 0.4)) growing 6% a year (for the economic W).
    * outcome ``quality``: y_t = (I - 0.3 W)^-1 (0.8 CA_t + 0.5 W CA_t + 0.4 openness_t
      + mu + xi_t + e_t) with CA the co-agglomeration quality index computed
      from the simulated employment, openness ~ N(0, 1), mu ~ N(0, 1),
      xi_t ~ N(0, 0.5^2), e ~ N(0, NOISE^2), W = queen contiguity + Hainan-Guangdong
      (cities: queen contiguity, island units linked to the nearest mainland unit).
    """
    rng = np.random.default_rng(seed)
    codes = units(level)
    n, years = len(codes), np.arange(2008, 2020)
    keys = list(SECTORS)
    base = rng.dirichlet(np.full(len(keys), 4.0))
    industrial = rng.normal(size=n)
    service = 0.5 * industrial + rng.normal(size=n)
    tilt_m = np.where(np.isin(keys, ["manufacturing", "mining", "construction"]), 0.35, 0.0)
    tilt_s = np.where(np.isin(keys, list(PRODUCER_SERVICES)), 0.30, 0.0)
    size = np.exp(rng.normal(6.0 if level == "province" else 4.5, 0.8, size=n))
    tables, rows = [], []
    gdp = np.exp(rng.normal(10.5, 0.4, size=n))
    for k, year in enumerate(years):
        industrial = industrial + rng.normal(0.0, 0.6, size=n)  # random-walk orientations
        service = service + rng.normal(0.0, 0.6, size=n)
        logits = (
            np.log(base)[None, :]
            + industrial[:, None] * tilt_m[None, :]
            + service[:, None] * tilt_s[None, :]
        )
        shares = np.exp(logits)
        shares /= shares.sum(axis=1, keepdims=True)
        counts = rng.poisson(1000 * size[:, None] * 1.02**k * shares).astype(float)
        edition = 1 if year <= 2011 else 0  # column 1: 2002 names, column 0: 2011 names
        names = [SECTORS[key][edition] for key in keys]
        table = pd.DataFrame(counts, columns=names)
        table.insert(0, "year", year)
        table.insert(0, "region", codes)
        tables.append(table)
        rows.append(pd.DataFrame({"region": codes, "year": year, "gdp_pc": gdp * 1.06**k}))
    employment = pd.concat([harmonize_sectors(t, keys=("region", "year")) for t in tables])
    coagg = coagglomeration_index(
        employment,
        "manufacturing",
        list(PRODUCER_SERVICES),
        region="region",
        year="year",
        sectors=keys,
    )["coagglomeration"]
    w = contiguity_w(level)
    a = np.eye(n) - TRUTH["rho"] * w.sparse.toarray()
    mu, xi = rng.normal(size=n), rng.normal(0, 0.5, size=years.size)
    outcome = pd.concat(rows, ignore_index=True)
    outcome["openness"] = rng.normal(size=len(outcome))
    quality = []
    for k, year in enumerate(years):
        ca = coagg.xs(year, level="year").reindex(codes).to_numpy()
        rhs = (
            TRUTH["coagglomeration"] * ca
            + TRUTH["W_coagglomeration"] * (w.matrix @ ca)
            + TRUTH["openness"] * outcome.loc[outcome["year"] == year, "openness"].to_numpy()
            + mu
            + xi[k]
            + rng.normal(0, NOISE, size=n)
        )
        quality.append(np.linalg.solve(a, rhs))
    outcome["quality"] = np.concatenate(quality)
    return employment, outcome


def _resolve(frame: pd.DataFrame, level: str) -> list[str]:
    """Codes of the ``region`` column: provinces, or cities (a ``province`` column helps)."""
    if level == "province":
        return resolve_provinces(frame["region"])
    province = frame["province"] if "province" in frame.columns else None
    return resolve_cities(frame["region"], province=province)


def read_user_files(
    employment: str, outcome: str, level: str = "province"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and harmonize a user's yearbook table (several layouts may be stacked)."""
    raw = pd.read_csv(employment)
    codes = _resolve(raw, level)
    table = harmonize_sectors(raw.drop(columns=["province"], errors="ignore"),
                              keys=("region", "year", "total"))  # fmt: skip
    table["region"] = codes
    panel = pd.read_csv(outcome)
    panel["region"] = _resolve(panel, level)
    return table, panel


def weights_of(level: str, gdp: pd.Series) -> dict[str, SpatialWeights]:
    """The three W of the robustness table, for the units of ``gdp`` (codes)."""
    if level == "province":
        return {
            CONTIGUITY[level]: china_provinces("queen", provinces=gdp.index),
            "inverse distance": china_provinces("distance", provinces=gdp.index),
            "economic distance": china_provinces("economic", economic=gdp, provinces=gdp.index),
        }
    return {
        CONTIGUITY[level]: china_cities("queen", cities=gdp.index),
        "inverse distance": china_cities("distance", cities=gdp.index),
        "economic distance": china_cities("economic", economic=gdp, cities=gdp.index),
    }


#: The NBS table's industries on each side of the co-agglomeration (reasons in the docstring).
NBS_MANUFACTURING = "制造业"
NBS_PRODUCER_SERVICES = ("信息业", "金融业", "科研")
#: Columns of the two files of the NBS layout.
NBS_INCOME = ("行业", "地区", "年份", "平均工资", "就业人数")
NBS_INDUSTRY = ("年份", "地区", "GDP", "第一产业", "第二产业", "第三产业")


def _nbs_file(folder: Path, stem: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """``stem.csv`` (or ``.xlsx``, ``.xls``) of ``folder`` with the ``columns`` it needs."""
    from coupling.app.files import read_table

    for suffix in (".csv", ".xlsx", ".xls"):
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            frame, _ = read_table(path)
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"{path} lacks the column(s) {missing}; the NBS layout has {list(columns)}."
                )
            return frame
    raise FileNotFoundError(f"{folder} has no {stem}.csv, {stem}.xlsx or {stem}.xls.")


def read_nbs_folder(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The employment table (province code, year, one column per industry) and the
    outcome panel (code, year, manufacturing wage, GDP, sector shares) of an NBS folder.

    Raises
    ------
    FileNotFoundError, ValueError
        A missing file or column, a province name that resolves to no province, or an
        industry of the study missing from the employment table.
    """
    folder = Path(folder)
    income = _nbs_file(folder, "income", NBS_INCOME)
    industry = _nbs_file(folder, "industry", NBS_INDUSTRY)
    income = income.assign(region=resolve_provinces(income["地区"]), year=income["年份"])
    industry = industry.assign(region=resolve_provinces(industry["地区"]),
                               year=industry["年份"])  # fmt: skip
    wanted = [NBS_MANUFACTURING, *NBS_PRODUCER_SERVICES]
    absent = [name for name in wanted if name not in set(income["行业"])]
    if absent:
        raise ValueError(f"The employment table has no rows for {absent} (行业 column).")
    years = sorted(set(income["year"]) & set(industry["year"]))
    income, industry = income[income["year"].isin(years)], industry[industry["year"].isin(years)]
    employment = income.pivot(index=["region", "year"], columns="行业", values="就业人数")
    wage = income[income["行业"] == NBS_MANUFACTURING].set_index(["region", "year"])["平均工资"]
    economy = industry.set_index(["region", "year"])
    outcome = pd.DataFrame({
        "ln_wage_manufacturing": np.log(wage.astype(float)),
        "tertiary_share": economy["第三产业"] / economy["GDP"],
        "ln_gdp": np.log(economy["GDP"].astype(float)),
        "gdp": economy["GDP"].astype(float),
    })  # fmt: skip
    return employment.reset_index(), outcome.reset_index()


def nbs_study(folder: str | Path, out: str | Path) -> int:
    """The study on a user's NBS tables; tables, maps and a report are written to ``out``."""
    from coupling.app.report import Report
    from spatial import choropleth, lisa_map, local_moran, moran_by_year

    employment, outcome = read_nbs_folder(folder)
    out = Path(out)
    sectors = [c for c in employment.columns if c not in ("region", "year")]
    keys = {"region": "region", "year": "year"}
    lq = location_quotient(employment, sectors, **keys)
    services = list(NBS_PRODUCER_SERVICES)
    indices = {
        variant: coagglomeration_index(
            employment, NBS_MANUFACTURING, services, variant=variant, sectors=sectors, **keys
        )
        for variant in ("quality", "chen2016", "ellison_glaeser")
    }
    coagg = indices["quality"].copy()
    coagg["coagglomeration_chen2016"] = indices["chen2016"]["coagglomeration"]
    data = outcome.merge(coagg.reset_index(), on=["region", "year"], validate="one_to_one")
    queen = china_provinces("queen")
    weights = {
        "contiguity (queen + Hainan)": queen,
        "inverse distance": china_provinces("distance"),
    }
    moran = moran_by_year(data, "coagglomeration", queen, "region", "year", seed=0)
    last = int(data["year"].max())
    lisa = local_moran(data, "coagglomeration", queen, "region", "year", years=[last], seed=0)
    y, x = "ln_wage_manufacturing", ["coagglomeration", "tertiary_share", "ln_gdp"]
    fits, tests, effects = {}, [], []
    for label, w in weights.items():
        sdm = SpatialDurbinPanel(data, y, x, w, region="region", year="year").fit()
        sar = SpatialLagPanel(data, y, x, w, region="region", year="year").fit()
        sem = SpatialErrorPanel(data, y, x, w, region="region", year="year").fit()
        fits[f"SDM ({label})"] = sdm
        for test in (sdm.lr_test(sar), sdm.lr_test(sem), sdm.wald_test("theta = 0"),
                     sdm.wald_test("theta + rho*beta = 0")):  # fmt: skip
            tests.append({"W": label, "test": test.name, "statistic": test.statistic,
                          "df": test.df, "p_value": test.pvalue})  # fmt: skip
        effects.append(sdm.impacts().to_frame().assign(W=label))
    table = compare(fits).tables[0][1]
    tests_table = pd.DataFrame(tests).set_index(["W", "test"])
    effects_table = pd.concat(effects).set_index(["W", "variable", "effect"])
    lq_table = lq[[NBS_MANUFACTURING, *services]]
    first = int(data["year"].min())
    report = Report("Co-agglomeration of manufacturing and producer services, 31 provinces",
                    subtitle=f"NBS urban non-private units, {first}-{last}")  # fmt: skip
    report.header(
        {
            "Data": str(folder),
            "Manufacturing": NBS_MANUFACTURING,
            "Producer services": ", ".join(services),
            "Outcome": "ln average manufacturing wage (quality proxy)",
            "Controls": "tertiary share of GDP, ln GDP",
            "W": ", ".join(weights),
        }
    )
    report.text(
        "The study's choices and their reasons are in the recipe's docstring "
        "(examples/coagglomeration_spillover.py). The estimates are associations "
        "within provinces over time, not causal effects."
    )
    report.heading("1. Co-agglomeration")
    report.table("Location quotients", lq_table, "location_quotients")
    report.table("Co-agglomeration (quality and Chen et al. 2016 indices)", coagg,
                 "coagglomeration")  # fmt: skip
    report.table("Ellison-Glaeser co-agglomeration of the pair, by year",
                 indices["ellison_glaeser"], "ellison_glaeser")  # fmt: skip
    report.figure(f"Co-agglomeration quality index, {first} and {last}",
                  choropleth(data, "coagglomeration", region="region", year="year",
                             years=[first, last]),
                  "map_coagglomeration")  # fmt: skip
    report.table("Moran's I of co-agglomeration (queen + Hainan W)", moran.table, "moran")
    report.table(f"LISA of co-agglomeration, {last}", lisa.table, "lisa")
    report.figure(f"LISA clusters of co-agglomeration, {last}", lisa_map(lisa), "lisa_map")
    report.heading("2. Spatial Durbin model of the manufacturing wage")
    report.table("SDM with two W (two-way fixed effects, Lee-Yu)", table, "sdm")
    report.table("LR and Wald tests", tests_table, "tests")
    report.table("Direct, indirect and total effects", effects_table, "effects")
    written = report.write(out)
    print(f"Data: {folder} ({len(data)} province-years, {first}-{last}).")
    print(f"Producer services: {', '.join(services)}; manufacturing: {NBS_MANUFACTURING}.")
    print("Co-agglomeration quality index, mean by year:")
    print(data.groupby("year")["coagglomeration"].mean().round(4).to_string())
    print("\nMoran's I of co-agglomeration (queen + Hainan):")
    print(moran.table[["I", "z_I_rand", "p_rand_I", "p_sim_I"]].round(4).to_string())
    print("\n" + str(compare({label.split(" (")[0]: fit for label, fit in
                               zip(weights, fits.values())})))  # fmt: skip
    print("\nTests:")
    print(tests_table.round(4).to_string())
    print("\nEffects of co-agglomeration:")
    print(effects_table.xs("coagglomeration", level="variable").round(4).to_string())
    print(f"\nWritten: {out / 'report.html'} and {len(written) - 1} more files in {out}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder with the NBS tables income and industry")
    parser.add_argument("--out", default="coagglomeration-study",
                        help="output folder of the --data study")  # fmt: skip
    parser.add_argument("--employment", help="yearbook-style employment CSV")
    parser.add_argument("--outcome", help="CSV with region, year, outcome and controls")
    parser.add_argument("--y", default="quality", help="outcome column (default quality)")
    parser.add_argument("--controls", nargs="*", default=["openness"], help="control columns")
    parser.add_argument("--gdp", default="gdp_pc", help="column for the economic W")
    parser.add_argument(
        "--level",
        default="province",
        choices=list(LEVELS),
        help="the 31 provinces (default) or the prefecture-level cities",
    )
    args = parser.parse_args(argv)
    if args.data is not None:
        if args.level != "province":
            print("--data holds provincial tables; it runs at --level province.", file=sys.stderr)
            return 2
        try:
            return nbs_study(args.data, args.out)
        except (FileNotFoundError, ValueError) as error:
            print(f"coagglomeration_spillover: {error}", file=sys.stderr)
            return 2
    return run(args.level, args)


def run(level: str = "province", args: argparse.Namespace | None = None) -> int:
    """The recipe at ``level`` (``"province"`` or ``"city"``), on ``args`` or simulated data."""
    if args is None:
        args = argparse.Namespace(employment=None, outcome=None, y="quality",
                                  controls=["openness"], gdp="gdp_pc")  # fmt: skip
    units(level)  # checks the level
    main_label = CONTIGUITY[level]
    simulated = args.employment is None
    if simulated:
        employment, outcome = simulate(level=level)
        print("SIMULATED DATA: the employment table and the outcome come from the documented")
        print("data-generating process of simulate(); the numbers illustrate the method and")
        print("its recovery of a known spillover. They are not findings about China.\n")
    elif args.outcome is None:
        print(
            "--employment needs --outcome (the regression's dependent variable).", file=sys.stderr
        )
        return 2
    else:
        employment, outcome = read_user_files(args.employment, args.outcome, level)
    sectors = [c for c in employment.columns if c in SECTORS]
    coagg = coagglomeration_index(
        employment,
        "manufacturing",
        list(PRODUCER_SERVICES),
        region="region",
        year="year",
        sectors=sectors,
    ).reset_index()
    data = outcome.merge(coagg, on=["region", "year"], validate="one_to_one")
    what = "provinces" if level == "province" else "prefecture-level cities"
    print(f"Level: {what}, {data['region'].nunique()} units, {data['year'].nunique()} years.")
    print("Co-agglomeration quality index 1 - |LQm - LQs|/(LQm + LQs), mean by year:")
    print(data.groupby("year")["coagglomeration"].mean().round(4).to_string())
    gdp = data.groupby("region", sort=False)[args.gdp].mean()
    weights = weights_of(level, gdp)
    x = ["coagglomeration", *args.controls]
    fits, rows = {}, []
    for label, w in weights.items():
        res = SpatialDurbinPanel(
            data, args.y, x, w, region="region", year="year", durbin=["coagglomeration"]
        ).fit()
        fits[label] = res
        imp = res.impacts()
        rows.append(
            {
                "W": label,
                "rho": res.params["rho"],
                "beta": res.params["coagglomeration"],
                "theta": res.params["W_coagglomeration"],
                "direct": imp.estimates.loc["coagglomeration", "direct"],
                "indirect": imp.estimates.loc["coagglomeration", "indirect"],
                "indirect_se": imp.std_errors.loc["coagglomeration", "indirect"],
                "total": imp.estimates.loc["coagglomeration", "total"],
                "loglik": res.loglik,
            }
        )
    main_fit = fits[main_label]
    print("\n" + str(compare({k.split(" (")[0]: v for k, v in fits.items()})))
    sar = SpatialLagPanel(data, args.y, x, weights[main_label], region="region", year="year").fit()
    sem = SpatialErrorPanel(
        data, args.y, x, weights[main_label], region="region", year="year"
    ).fit()
    print("\nTests (contiguity W):")
    for test in (
        main_fit.lr_test(sar),
        main_fit.lr_test(sem),
        main_fit.wald_test("theta = 0"),
        main_fit.wald_test("theta + rho*beta = 0"),
    ):
        print(f"  {test}")
    robustness = pd.DataFrame(rows).set_index("W")
    print("\nRobustness across W (effects of co-agglomeration):")
    print(robustness.round(4).to_string())
    if simulated:
        w = weights[main_label]
        true_total = (TRUTH["coagglomeration"] + TRUTH["W_coagglomeration"]) / (1 - TRUTH["rho"])
        lam = np.linalg.eigvals(w.sparse.toarray()).real
        true_direct = TRUTH["coagglomeration"] * np.mean(1 / (1 - TRUTH["rho"] * lam)) + TRUTH[
            "W_coagglomeration"
        ] * np.mean(lam / (1 - TRUTH["rho"] * lam))
        est = robustness.loc[main_label]
        print("\nRecovery of the simulated truth (contiguity W is the true W):")
        print(f"  rho      true {TRUTH['rho']:.3f}  estimated {est['rho']:.3f}")
        print(f"  beta     true {TRUTH['coagglomeration']:.3f}  estimated {est['beta']:.3f}")
        print(f"  theta    true {TRUTH['W_coagglomeration']:.3f}  estimated {est['theta']:.3f}")
        print(
            f"  indirect true {true_total - true_direct:.3f}  estimated {est['indirect']:.3f}"
            f" (s.e. {est['indirect_se']:.3f})"
        )
        print(f"  total    true {true_total:.3f}  estimated {est['total']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
