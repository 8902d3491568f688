"""Co-agglomeration of producer services and manufacturing, and its spatial spillover.

The design of the studies that regress manufacturing quality on the
co-agglomeration of producer services and manufacturing with a spatial Durbin
model: location quotients from the yearbook table "employed persons in urban
units by sector and region" (19 sectors; the 2011/2012 change of sector names
bridged by :func:`coupling.industry.sectors.harmonize_sectors`), the co-agglomeration
index, a two-way fixed-effects SDM with three W (contiguity, geographic
distance, economic distance), LR and Wald tests, effects, and a robustness
table across W.

No licensed copy of that yearbook table is available offline. Pass your own
files: ``--employment FILE`` (one CSV per layout is fine: columns region, year
and the 19 sectors named as in the yearbook, either edition, Chinese or
English) and ``--outcome FILE`` (region, year, the outcome and controls). Without
them the script SIMULATES a table with the data-generating process documented
in :func:`simulate` and shows that the estimator recovers its true spillover.
Simulated numbers are not findings about China.

``--level city`` runs the same design on the prefecture-level cities of
:func:`spatial.geography.load_china_cities` (337 units: 333 prefecture-level
divisions and the 4 municipalities) with :func:`spatial.weights.china_cities`
W (queen contiguity with island units linked to the nearest mainland unit,
inverse distance, economic distance); your files then name cities (in any
spelling :func:`spatial.geography.resolve_cities` reads; an optional
``province`` column tells 苏州 from 宿州 when both are written "Suzhou").

Run: ``python examples/coagglomeration_spillover.py [--level province|city]
[--employment E.csv --outcome Y.csv --y quality --controls c1 c2 --gdp gdp_pc]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from coupling import coagglomeration_index
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
