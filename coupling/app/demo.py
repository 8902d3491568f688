"""The main job: ``liangye demo`` on the embedded real provincial panel.

1. Coupling coordination of high-tech manufacturing and technology-market
   services for the 31 provinces and every year with complete data: entropy
   weights pooled over the panel, the standard and the wang2021 variants side
   by side, tiers and lag types (bootstrap intervals for the weights).
2. Moran's I of D per year and LISA clusters (queen + Hainan W).
3. A two-way fixed-effects SDM of D on institutional drivers, with the
   queen + Hainan W and an inverse-distance W as a robustness check; LR and
   Wald tests against SAR and SEM; direct, indirect and total effects.
4. Regional disparity and dynamics of D (Dagum Gini by NBS region, Theil,
   kernel densities, Markov chains, obstacle degrees, convergence).
5. A report folder: ``report.html``, ``report.md``, every table as CSV and
   the figures as PNG.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from spatial._core.version import __version__

from ..data import IndicatorSystem
from ..datasets import load_provincial_panel
from ..model import CouplingCoordination
from ..results import CouplingResults
from .report import Report

__all__ = ["DEMO_SYSTEM", "DRIVERS", "complete_years", "run_demo"]

#: Indicator system of the demo: high-tech manufacturing operations against
#: technology-market services (contracts exported and absorbed), a proxy for
#: the producer-services side (see ``coupling/datasets/SOURCE.md``).
DEMO_SYSTEM = IndicatorSystem(
    {
        "manufacturing": {"ht_enterprises": "+", "ht_revenue": "+", "ht_profit": "+"},
        "services": {
            "tm_export_contracts": "+",
            "tm_export_value": "+",
            "tm_absorb_contracts": "+",
            "tm_absorb_value": "+",
        },
    }
)

#: Drivers of D in the SDM: none is an input of D.
DRIVERS = {
    "rd_intensity": "R&D expenditure, % of GDP",
    "science_budget_share": "science & technology, % of public budget",
    "education_budget_share": "education, % of public budget",
}


def complete_years(panel: pd.DataFrame, columns: Sequence[str], region: str = "code") -> list[int]:
    """Years in which every region reports every one of ``columns``."""
    complete = panel.groupby("year")[list(columns)].apply(lambda g: bool(g.notna().all().all()))
    counts = panel.groupby("year")[region].nunique()
    full = counts == panel[region].nunique()
    return [int(y) for y in complete.index[complete & full]]


class _Progress:
    """Prints one line per step with its duration."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo, self.start = echo, time.perf_counter()
        self.lines: list[str] = []

    def step(self, text: str) -> None:
        line = f"[{time.perf_counter() - self.start:6.2f} s] {text}"
        self.lines.append(line)
        self.echo(line)


def _score(
    panel: pd.DataFrame, bootstrap: int, seed: int
) -> tuple[dict[str, CouplingResults], list[int]]:
    years = complete_years(panel, DEMO_SYSTEM.indicators)
    data = panel[panel["year"].isin(years)]
    results = {
        variant: CouplingCoordination(
            DEMO_SYSTEM, weighting="entropy", pooling="panel", variant=variant
        ).fit(
            data,
            region="code",
            year="year",
            bootstrap=bootstrap if variant == "standard" else 0,
            seed=seed,
        )
        for variant in ("standard", "wang2021")
    }
    return results, years


def _drivers(panel: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    data = panel.set_index(["code", "year"])
    frame = pd.DataFrame(
        {
            "rd_intensity": data["rd_intensity"],
            "science_budget_share": 100 * data["budget_science_tech"] / data["budget_total"],
            "education_budget_share": 100 * data["budget_education"] / data["budget_total"],
        }
    )
    return scores[["D"]].join(frame, how="left").reset_index()


def _spatial_model(frame: pd.DataFrame, report: Report) -> str:
    from spatial import SpatialDurbinPanel, SpatialErrorPanel, SpatialLagPanel, compare
    from spatial.weights import china_provinces

    x = list(DRIVERS)
    weights = {
        "queen + Hainan": china_provinces("queen"),
        "inverse distance": china_provinces("distance"),
    }
    fits = {}
    tests = []
    impacts = []
    for label, w in weights.items():
        sdm, sar, sem = (
            model(frame, "D", x, w, region="code", year="year", effects="twoways").fit()
            for model in (SpatialDurbinPanel, SpatialLagPanel, SpatialErrorPanel)
        )
        fits[f"SDM ({label})"] = sdm
        if label == "queen + Hainan":
            fits["SAR (queen + Hainan)"], fits["SEM (queen + Hainan)"] = sar, sem
        for test in (
            sdm.lr_test(sar),
            sdm.lr_test(sem),
            sdm.wald_test("theta = 0"),
            sdm.wald_test("theta + rho*beta = 0"),
        ):
            tests.append(
                {
                    "W": label,
                    "test": test.name,
                    "statistic": test.statistic,
                    "df": test.df,
                    "p_value": test.pvalue,
                }
            )
        table = sdm.impacts().to_frame().assign(W=label)
        impacts.append(table)
    comparison = compare(fits).tables[0][1]
    report.table(
        "Spatial panel models of D (two-way fixed effects, Lee-Yu corrected)",
        comparison,
        "model_comparison",
    )
    test_table = pd.DataFrame(tests).set_index(["W", "test"])
    report.table("LR and Wald tests of the SDM against SAR and SEM", test_table, "model_tests")
    effect_table = pd.concat(impacts).set_index(["W", "variable", "effect"])
    report.table(
        "Direct, indirect and total effects on D (delta-method standard errors)",
        effect_table,
        "impacts",
    )
    main = fits["SDM (queen + Hainan)"]
    imp = main.impacts()
    spill = imp.estimates["indirect"].round(4).to_dict()
    return (
        f"SDM with queen + Hainan W: rho = {main.params['rho']:.3f} "
        f"(s.e. {main.std_errors['rho']:.3f}); indirect effects {spill}"
    )


def _figures_and_esda(scores: pd.DataFrame, years: list[int], report: Report, seed: int) -> None:
    from spatial import choropleth, group_trend, lisa_map, local_moran, moran_by_year, moran_scatter
    from spatial.weights import china_provinces

    from ..classify import TEN_TIER

    w = china_provinces("queen")
    table = scores.reset_index()
    first, last = years[0], years[-1]
    report.heading("2. Spatial pattern of D")
    report.figure(
        f"D by province, {first} and {last} (ten-tier scale; Taiwan, Hong Kong and Macao: no data)",
        choropleth(
            table, "D", region="code", year="year", years=[first, last], bands=TEN_TIER, ncols=2
        ),
        "map_d",
    )
    report.figure(
        "Mean D by NBS region and year",
        group_trend(table, "D", region="code", year="year"),
        "trend_by_region",
    )
    moran = moran_by_year(table, "D", w, "code", "year", permutations=999, seed=seed)
    report.table(
        "Global Moran's I and Geary's C of D (queen + Hainan W, 999 permutations)",
        moran.table,
        "moran",
    )
    report.figure(
        f"Moran scatter plot of D, {last}",
        moran_scatter(scores["D"].xs(last, level="year"), w, label="D"),
        "moran_scatter",
    )
    lisa = local_moran(table, "D", w, "code", "year", years=[last], permutations=999, seed=seed)
    report.table(f"Local Moran (LISA) clusters of D, {last}", lisa.table, "lisa")
    report.figure(f"LISA clusters of D, {last} (p < 0.05)", lisa_map(lisa, last), "lisa_map")


def _disparity(
    result: CouplingResults, panel: pd.DataFrame, years: list[int], report: Report, seed: int
) -> str:
    from spatial.geography import NBS_REGION_OF
    from spatial.weights import china_provinces

    from ..regional.convergence import beta_convergence, sigma_convergence
    from ..regional.dynamics import kernel_density, markov_chain
    from ..regional.inequality import dagum_gini, theil
    from ..regional.obstacle import obstacle_degree

    scores = result.scores
    report.heading("4. Regional disparity and dynamics")
    gap = dagum_gini(scores, "D", groups=NBS_REGION_OF, bootstrap=1000, seed=seed)
    report.table("Dagum Gini of D by NBS region: G = G_w + G_nb + G_t", gap.components, "dagum")
    report.table(
        "Bootstrap intervals of the Dagum components (1000 draws)", gap.intervals, "dagum_intervals"
    )
    report.figure("Contributions to the Dagum Gini of D", gap.plot(), "dagum")
    report.table(
        "Theil indices of D by NBS region",
        theil(scores, "D", groups=NBS_REGION_OF).components,
        "theil",
    )
    density = kernel_density(scores, "D")
    report.figure(
        "Kernel densities of D by year (Silverman bandwidth)", density.plot(), "kernel_density"
    )
    chain = markov_chain(scores, "D", classes="quantile", k=4, w=china_provinces("queen"))
    report.table("Markov transition probabilities of D quartiles", chain.probabilities, "markov")
    report.table(
        "Spatial Markov chain: tests of spatial dependence in the transitions",
        chain.tests,
        "markov_tests",
    )
    obstacles = obstacle_degree(result, panel[panel["year"].isin(years)], "code", "year")
    report.table(
        "Obstacle degrees by indicator, mean over provinces (%)",
        obstacles.mean_by_year(),
        "obstacles",
    )
    sigma = sigma_convergence(scores, "D")
    report.table("Sigma convergence: dispersion of D by year", sigma.dispersion, "sigma")
    betas = {
        "absolute": beta_convergence(scores, "D", kind="absolute"),
        "conditional (two-way FE)": beta_convergence(scores, "D", kind="conditional"),
        "spatial (SDM, queen + Hainan)": beta_convergence(
            scores, "D", kind="conditional", w=china_provinces("queen")
        ),
    }
    report.table(
        "Beta convergence of D",
        pd.concat({label: b.convergence for label, b in betas.items()}),
        "beta",
    )
    g = gap.components
    return (
        f"Dagum Gini of D: {g['G'].iloc[0]:.3f} in {years[0]}, {g['G'].iloc[-1]:.3f} in "
        f"{years[-1]} (between-region share {g['share_nb'].iloc[-1]:.0%})"
    )


def run_demo(
    out: Path, *, bootstrap: int = 1000, seed: int = 0, echo: Callable[[str], None] = print
) -> str:
    """Run the main job, write the report to ``out``; returns a short summary text."""
    progress = _Progress(echo)
    panel = load_provincial_panel()
    report = Report("Coupling coordination of high-tech manufacturing and technology services")
    report.text(
        f"liangye {__version__}. Data: 31 provinces, China Statistical Yearbook on Science and "
        "Technology and China Statistical Yearbook via the techme package (MIT). The services "
        "side is measured by technology-market contracts, a proxy for producer services, not by "
        "employment by industry. Associations in the models below are not causal estimates."
    )
    results, years = _score(panel, bootstrap, seed)
    standard = results["standard"]
    progress.step(
        f"1/4 coupling coordination: 31 provinces x {len(years)} years "
        f"({years[0]}-{years[-1]}), entropy weights, {bootstrap} bootstrap resamples"
    )
    names = panel.drop_duplicates("code").set_index("code")[["province_zh", "province_en"]]
    report.heading("1. Coupling coordination")
    report.text(
        f"Years with complete data for all 31 provinces: {', '.join(map(str, years))} "
        "(2017 lacks high-tech operations; Tibet lacks technology exports before 2017)."
    )
    report.table(
        "Indicator weights (entropy, pooled over the panel)",
        standard.indicator_weights,
        "indicator_weights",
    )
    if standard.bootstrap is not None:
        report.table(
            f"Bootstrap of the weights ({bootstrap} region resamples, 95% intervals)",
            standard.bootstrap.indicator_weights,
            "weights_bootstrap",
        )
    by_year = pd.concat(
        {v: r.scores.groupby(level="year")["D"].mean() for v, r in results.items()}, axis=1
    ).add_prefix("mean D, ")
    report.table("Mean coupling-coordination degree D by year", by_year, "d_by_year")
    d_wide = standard.scores["D"].unstack("year").join(names)
    report.table("D by province and year (standard coupling degree)", d_wide, "d_by_province")
    tiers = pd.crosstab(standard.scores.index.get_level_values("year"), standard.scores["tier"])
    report.table("Tier counts by year (ten-tier scale)", tiers, "tier_counts")
    lags = pd.crosstab(standard.scores.index.get_level_values("year"), standard.scores["lag_type"])
    report.table("Lag types by year (E = U_manufacturing / U_services)", lags, "lag_types")
    scores = standard.to_frame().merge(names, left_on="code", right_index=True)
    scores["D_wang2021"] = results["wang2021"].scores["D"].to_numpy()
    report.table("Scores by province and year", scores.set_index(["code", "year"]), "scores")

    _figures_and_esda(standard.scores, years, report, seed)
    progress.step("2/4 Moran's I of D per year, LISA clusters, maps and charts")

    report.heading("3. Spatial Durbin model of D")
    drivers = _drivers(panel, standard.scores)
    report.text("Drivers: " + "; ".join(f"{k} = {v}" for k, v in DRIVERS.items()) + ".")
    model_line = _spatial_model(drivers, report)
    progress.step("3/4 spatial Durbin model of D with two W, tests against SAR and SEM, effects")

    gap_line = _disparity(standard, panel, years, report, seed)
    progress.step("4/4 disparity and dynamics: Dagum Gini, Theil, densities, Markov, convergence")

    written = report.write(out)
    progress.step(f"report written: {out / 'report.html'} ({len(written)} files)")
    mean_d = by_year["mean D, standard"]
    summary = [
        f"liangye {__version__} demo",
        f"Mean D (standard) rose from {mean_d.iloc[0]:.3f} in {years[0]} to "
        f"{mean_d.iloc[-1]:.3f} in {years[-1]}.",
        model_line,
        gap_line,
        f"Report: {out / 'report.html'}",
    ]
    return "\n".join(summary)
