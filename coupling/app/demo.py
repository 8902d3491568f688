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
5. Fusion of manufacturing and producer services in China's input-output tables
   2000-2014 (WIOD 2016 release, packaged; :mod:`coupling.app.io_section`).
6. A report folder: ``report.html``, ``report.md``, every table as CSV and
   the figures as PNG.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from spatial import SpatialWeights
from spatial._core.options import Language
from spatial._core.version import __version__
from spatial.weights import china_provinces

from ..data import IndicatorSystem
from ..datasets import load_provincial_panel
from ..drivers.grey import grey_relational
from ..model import CouplingCoordination
from ..results import CouplingResults
from ..topsis import topsis
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
    """The demo's progress: a live display (rich) that moves during each step, or lines.

    With ``echo`` each finished step is passed to it as one line ``[  1.23 s] text``;
    otherwise a rich progress display on the terminal shows the running step with a
    spinner and its elapsed time, and leaves one line per finished step. ``quiet``
    shows nothing.
    """

    def __init__(self, steps: int, *, echo: Callable[[str], None] | None, quiet: bool) -> None:
        self.start = time.perf_counter()
        self.echo, self.quiet = echo, quiet
        self.lines: list[str] = []
        self._live: Any = None
        if echo is None and not quiet:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._live = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  transient=True)  # fmt: skip
            self._live.start()
            self._task = self._live.add_task("", total=steps)

    def begin(self, text: str) -> None:
        """Show the step that starts now."""
        if self._live is not None:
            self._live.update(self._task, description=text)

    def done(self, text: str) -> None:
        """Record a finished step."""
        line = f"[{time.perf_counter() - self.start:6.2f} s] {text}"
        self.lines.append(line)
        if self._live is not None:
            self._live.console.print(line, soft_wrap=True)
            self._live.advance(self._task)
        elif self.echo is not None and not self.quiet:
            self.echo(line)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()


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


def _topsis_beside_d(
    panel: pd.DataFrame, standard: CouplingResults, years: list[int], names: pd.Series
) -> pd.DataFrame:
    """Entropy-TOPSIS closeness and its rank beside D and its rank, in the last year."""
    closeness = topsis(
        panel[panel["year"].isin(years)], DEMO_SYSTEM, region="code", year="year"
    ).scores.xs(years[-1], level="year")
    d_last = standard.scores["D"].xs(years[-1], level="year")
    table = pd.DataFrame(
        {
            "province": names.reindex(closeness.index),
            "closeness": closeness["closeness"],
            "rank (TOPSIS)": closeness["rank"],
            "D": d_last,
            "rank (D)": d_last.rank(ascending=False, method="min").astype(int),
        }
    )
    return table.sort_values("rank (TOPSIS)")


def _geodetector(drivers: pd.DataFrame, report: Report, text: dict[str, str]) -> None:
    """The geographical detector of D on the drivers, each year, optimal discretisation."""
    import warnings

    from spatial.exceptions import SingletonStratumWarning
    from spatial.heterogeneity import geodetector

    with warnings.catch_warnings():  # 31 provinces: strata of one province are expected
        warnings.simplefilter("ignore", SingletonStratumWarning)
        gd = geodetector(
            drivers, "D", list(DRIVERS), region="code", year="year", discretize="optimal"
        )
    factor = gd.factor.set_index(["year", "factor"])[["q", "p"]].unstack("factor")
    report.table(text["geo"], factor, "geodetector")
    report.table(text["geo_pairs"], gd.interaction, "geodetector_interaction")


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


#: The demo's words in English and Chinese (headings, captions, notes, progress).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Coupling coordination of high-tech manufacturing and technology services",
        "intro": "liangye {version}. Data: 31 provinces, China Statistical Yearbook on Science "
        "and Technology and China Statistical Yearbook via the techme package (MIT). The "
        "services side is measured by technology-market contracts, a proxy for producer "
        "services, not by employment by industry. Associations in the models below are not "
        "causal estimates.",
        "step1": "1/5 coupling coordination: 31 provinces x {n} years ({first}-{last}), entropy "
        "weights, {bootstrap} bootstrap resamples",
        "step2": "2/5 Moran's I of D per year, LISA clusters, maps and charts",
        "step3": "3/5 spatial Durbin model of D with two W, tests against SAR and SEM, effects",
        "step4": "4/5 disparity and dynamics: Dagum Gini, Theil, densities, Markov, convergence",
        "step5": "5/5 input-output fusion of manufacturing and producer services, China "
        "2000-2014 (WIOD 2016)",
        "written": "report written: {path} ({count} files)",
        "h1": "1. Coupling coordination",
        "years": "Years with complete data for all 31 provinces: {years} (2017 lacks high-tech "
        "operations; Tibet lacks technology exports before 2017).",
        "weights": "Indicator weights (entropy, pooled over the panel)",
        "weights_boot": "Bootstrap of the weights ({b} region resamples, 95% intervals)",
        "d_by_year": "Mean coupling-coordination degree D by year",
        "d_by_province": "D by province and year (standard coupling degree)",
        "tiers": "Tier counts by year (ten-tier scale)",
        "lags": "Lag types by year (E = U_manufacturing / U_services)",
        "scores": "Scores by province and year",
        "topsis": "Entropy-TOPSIS closeness to the ideal (same indicators and weights) beside "
        "D, {year}, ranked",
        "h2": "2. Spatial pattern of D",
        "map": "D by province, {first} and {last} (ten-tier scale; Taiwan, Hong Kong and Macao: "
        "no data)",
        "trend": "Mean D by NBS region and year",
        "moran": "Global Moran's I and Geary's C of D (queen + Hainan W, 999 permutations)",
        "scatter": "Moran scatter plot of D, {year}",
        "lisa": "Local Moran (LISA) clusters of D, {year}",
        "lisa_map": "LISA clusters of D, {year} (p < 0.05)",
        "hot": "Getis-Ord Gi* hot and cold spots of D: regions per class and year (binary "
        "queen + Hainan W, 999 permutations)",
        "hot_map": "Hot and cold spots of D, {year}",
        "centres": "Gravity centre of D by year (D-weighted mean of mainland centroids) and its "
        "move from the year before",
        "ellipses": "Standard deviational ellipse of D by year (Albers equal-area projection)",
        "centre_map": "Gravity centre path and standard deviational ellipses of D",
        "rey": "Space-time transitions of the LISA quadrants of D (Rey 2001): types by interval",
        "h3": "3. Spatial Durbin model of D",
        "drivers": "Drivers: {drivers}.",
        "grey": "Grey relational degree of each driver to D (Deng, rho = 0.5; provinces of "
        "each year as the sequence, mean-normalized), by year and over all years",
        "geo": "Geographical detector: q of each driver for D and its p-value, by year (optimal "
        "discretisation of each driver)",
        "geo_pairs": "Geographical detector: interactions of the drivers (q12, its p-value, type)",
        "models": "Spatial panel models of D (two-way fixed effects, Lee-Yu corrected)",
        "tests": "LR and Wald tests of the SDM against SAR and SEM",
        "impacts": "Direct, indirect and total effects on D (delta-method standard errors)",
        "h4": "4. Regional disparity and dynamics",
        "dagum": "Dagum Gini of D by NBS region: G = G_w + G_nb + G_t",
        "dagum_ci": "Bootstrap intervals of the Dagum components (1000 draws)",
        "dagum_fig": "Contributions to the Dagum Gini of D",
        "theil": "Theil indices of D by NBS region",
        "density": "Kernel densities of D by year (Silverman bandwidth, reflected at 0 and 1)",
        "markov": "Markov transition probabilities of D quartiles",
        "markov_tests": "Spatial Markov chain: tests of spatial dependence in the transitions",
        "obstacles": "Obstacle degrees by indicator, mean over provinces (%)",
        "sigma": "Sigma convergence: dispersion of D by year",
        "beta": "Beta convergence of D",
        "queen": "queen + Hainan",
        "distance": "inverse distance",
        "absolute": "absolute",
        "conditional": "conditional (two-way FE)",
        "spatial": "spatial (SDM, queen + Hainan)",
    },
    "zh": {
        "title": "高技术制造业与技术服务业耦合协调分析",
        "intro": "liangye {version}。数据：31个省份，来自《中国科技统计年鉴》和《中国统计年鉴》"
        "（经 techme 包整理，MIT 许可）。服务业一侧以技术市场合同衡量，是生产性服务业的代理"
        "变量，而非分行业就业。下文模型给出的是相关关系，不是因果效应。",
        "step1": "1/5 耦合协调度：31个省份 x {n} 年（{first}-{last}），熵权法，{bootstrap} 次"
        "自助抽样",
        "step2": "2/5 D 的逐年全局 Moran's I、LISA 集聚、地图与图表",
        "step3": "3/5 两种空间权重下 D 的空间杜宾模型，与 SAR、SEM 的检验及效应分解",
        "step4": "4/5 区域差异与动态：Dagum 基尼系数、泰尔指数、核密度、马尔可夫链、收敛",
        "step5": "5/5 投入产出表中制造业与生产性服务业的融合，中国 2000-2014 年（WIOD 2016）",
        "written": "报告已写入：{path}（{count} 个文件）",
        "h1": "一、耦合协调度",
        "years": "31个省份数据完整的年份：{years}（2017年缺高技术产业经营数据；西藏2017年以前"
        "缺技术输出数据）。",
        "weights": "指标权重（熵权法，面板整体计算）",
        "weights_boot": "权重的自助法区间（{b} 次省份重抽样，95% 区间）",
        "d_by_year": "各年耦合协调度 D 的均值",
        "d_by_province": "各省份各年份的 D（标准耦合度）",
        "tiers": "各年协调等级的省份数（十级划分）",
        "lags": "各年滞后类型（E = U制造业 / U服务业）",
        "scores": "各省份各年份的得分",
        "topsis": "熵权 TOPSIS 贴近度（同一指标与权重）与 D 的对照及排名，{year} 年",
        "h2": "二、D 的空间格局",
        "map": "{first}年与{last}年各省份 D（十级划分；台湾、香港、澳门：无数据）",
        "trend": "四大区域 D 的均值",
        "moran": "D 的全局 Moran's I 与 Geary's C（邻接 + 海南权重，999 次置换）",
        "scatter": "{year}年 D 的 Moran 散点图",
        "lisa": "{year}年 D 的局部 Moran（LISA）集聚",
        "lisa_map": "{year}年 D 的 LISA 集聚图（p < 0.05）",
        "hot": "D 的 Getis-Ord Gi* 冷热点：各年份各类别的省份数（二元 queen + 海南 W，999 次置换）",
        "hot_map": "{year}年 D 的冷热点分布",
        "centres": "D 的重心（以 D 加权的大陆质心均值）及其逐年移动",
        "ellipses": "D 的标准差椭圆（Albers 等积投影）",
        "centre_map": "D 的重心迁移路径与标准差椭圆",
        "rey": "D 的 LISA 象限时空跃迁类型（Rey 2001），按时段",
        "h3": "三、D 的空间杜宾模型",
        "drivers": "解释变量：{drivers}。",
        "grey": "各解释变量与 D 的灰色关联度（邓氏，分辨系数 0.5；以各年份的省份为序列，均值化），"
        "分年份及全部年份",
        "geo": "地理探测器：各解释变量对 D 的解释力 q 及其 p 值，分年份（参数最优离散化）",
        "geo_pairs": "地理探测器：解释变量的交互作用（q12、p 值、类型）",
        "models": "D 的空间面板模型（双向固定效应，Lee-Yu 偏误修正）",
        "tests": "SDM 相对 SAR、SEM 的 LR 与 Wald 检验",
        "impacts": "对 D 的直接、间接与总效应（Delta 法标准误）",
        "h4": "四、区域差异与动态演进",
        "dagum": "四大区域 D 的 Dagum 基尼系数：G = G_w + G_nb + G_t",
        "dagum_ci": "Dagum 分解各部分的自助法区间（1000 次）",
        "dagum_fig": "Dagum 基尼系数的来源贡献",
        "theil": "四大区域 D 的泰尔指数",
        "density": "各年 D 的核密度（Silverman 带宽，在 0 与 1 处反射）",
        "markov": "D 四分位类型的马尔可夫转移概率",
        "markov_tests": "空间马尔可夫链：转移的空间依赖检验",
        "obstacles": "各指标障碍度（省份均值，%）",
        "sigma": "σ 收敛：各年 D 的离散程度",
        "beta": "D 的 β 收敛",
        "queen": "邻接 + 海南",
        "distance": "反距离",
        "absolute": "绝对 β 收敛",
        "conditional": "条件 β 收敛（双向固定效应）",
        "spatial": "空间 β 收敛（SDM，邻接 + 海南）",
    },
}

#: Names of the drivers in the two languages.
DRIVERS_ZH = {
    "rd_intensity": "R&D 经费投入强度（占 GDP %）",
    "science_budget_share": "科学技术支出占一般公共预算支出比重（%）",
    "education_budget_share": "教育支出占一般公共预算支出比重（%）",
}


def _spatial_model(
    frame: pd.DataFrame, queen: SpatialWeights, report: Report, text: dict[str, str]
) -> str:
    from spatial import SpatialDurbinPanel, SpatialErrorPanel, SpatialLagPanel, compare
    from spatial.weights import china_provinces

    x = list(DRIVERS)
    weights = {
        text["queen"]: queen,
        text["distance"]: china_provinces("distance"),
    }
    fits, tests, impacts = {}, [], []
    for label, w in weights.items():
        sdm, sar, sem = (
            model(frame, "D", x, w, region="code", year="year", effects="twoways").fit()
            for model in (SpatialDurbinPanel, SpatialLagPanel, SpatialErrorPanel)
        )
        fits[f"SDM ({label})"] = sdm
        if label == text["queen"]:
            fits[f"SAR ({label})"], fits[f"SEM ({label})"] = sar, sem
        for test in (sdm.lr_test(sar), sdm.lr_test(sem), sdm.wald_test("theta = 0"),
                     sdm.wald_test("theta + rho*beta = 0")):  # fmt: skip
            tests.append({"W": label, "test": test.name, "statistic": test.statistic,
                          "df": test.df, "p_value": test.pvalue})  # fmt: skip
        impacts.append(sdm.impacts().to_frame().assign(W=label))
    report.table(text["models"], compare(fits).tables[0][1], "model_comparison")
    report.table(text["tests"], pd.DataFrame(tests).set_index(["W", "test"]), "model_tests")
    effect_table = pd.concat(impacts).set_index(["W", "variable", "effect"])
    report.table(text["impacts"], effect_table, "impacts")
    main = fits[f"SDM ({text['queen']})"]
    spill = main.impacts().estimates["indirect"]
    effects = ", ".join(f"{name} {value:+.4f}" for name, value in spill.items())
    return (
        f"SDM with queen + Hainan W: rho = {main.params['rho']:.3f} "
        f"(s.e. {main.std_errors['rho']:.3f}); indirect effects: {effects}."
    )


def _figures_and_esda(
    scores: pd.DataFrame,
    w: SpatialWeights,
    years: list[int],
    report: Report,
    seed: int,
    language: str,
) -> None:
    from spatial import choropleth, group_trend, lisa_map, local_moran, moran_by_year, moran_scatter

    from ..classify import TEN_TIER

    text = TEXT[language]
    table = scores.reset_index()
    first, last = years[0], years[-1]
    lang: Any = language
    report.heading(text["h2"])
    report.figure(
        text["map"].format(first=first, last=last),
        choropleth(
            table,
            "D",
            region="code",
            year="year",
            years=[first, last],
            bands=TEN_TIER,
            ncols=2,
            language=lang,
        ),
        "map_d",
    )
    trend = group_trend(table, "D", region="code", year="year", language=lang)
    report.figure(text["trend"], trend, "trend_by_region")
    moran = moran_by_year(table, "D", w, "code", "year", permutations=999, seed=seed)
    report.table(text["moran"], moran.table, "moran")
    report.figure(
        text["scatter"].format(year=last),
        moran_scatter(scores["D"].xs(last, level="year"), w, label="D", language=lang),
        "moran_scatter",
    )
    lisa = local_moran(table, "D", w, "code", "year", years=[last], permutations=999, seed=seed)
    report.table(text["lisa"].format(year=last), lisa.table, "lisa")
    report.figure(
        text["lisa_map"].format(year=last), lisa_map(lisa, last, language=lang), "lisa_map"
    )
    _hotspots_and_centres(table, w, last, report, seed, lang)


def _hotspots_and_centres(
    table: pd.DataFrame, w: Any, last: int, report: Report, seed: int, language: Any
) -> None:
    """Gi* hot spots, the gravity centre's path with ellipses, and Rey's LISA transitions."""
    from spatial import deviational_ellipses, gi_star, gravity_centres, lisa_paths
    from spatial.viz import centre_path_map, hotspot_map

    text = TEXT[language]
    hot = gi_star(table, "D", w, "code", "year", permutations=999, seed=seed)
    report.table(text["hot"], hot.counts(language), "hotspot_counts")
    report.figure(text["hot_map"].format(year=last), hotspot_map(hot, last, language=language),
                  "hotspot_map")  # fmt: skip
    centres = gravity_centres(table, "D", "code", "year")
    ellipses = deviational_ellipses(table, "D", "code", "year")
    report.table(text["centres"], centres.centres, "gravity_centres")
    report.table(text["ellipses"], ellipses.ellipses, "ellipses")
    report.figure(text["centre_map"], centre_path_map(centres, ellipses, language=language),
                  "centre_path")  # fmt: skip
    paths = lisa_paths(table, "D", w, "code", "year")
    report.table(text["rey"], paths.types, "rey_types")


def _disparity(
    result: CouplingResults,
    panel: pd.DataFrame,
    queen: SpatialWeights,
    years: list[int],
    report: Report,
    seed: int,
    language: str,
) -> str:
    from spatial.geography import NBS_REGION_OF

    from ..regional.convergence import beta_convergence, sigma_convergence
    from ..regional.dynamics import kernel_density, markov_chain
    from ..regional.inequality import dagum_gini, theil
    from ..regional.obstacle import obstacle_degree

    text = TEXT[language]
    lang: Any = language
    scores = result.scores
    report.heading(text["h4"])
    gap = dagum_gini(scores, "D", groups=NBS_REGION_OF, bootstrap=1000, seed=seed)
    report.table(text["dagum"], gap.components, "dagum")
    report.table(text["dagum_ci"], gap.intervals, "dagum_intervals")
    report.figure(text["dagum_fig"], gap.plot(language=lang), "dagum")
    report.table(text["theil"], theil(scores, "D", groups=NBS_REGION_OF).components, "theil")
    density = kernel_density(scores, "D", support=(0.0, 1.0))
    report.figure(text["density"], density.plot(language=lang), "kernel_density")
    chain = markov_chain(scores, "D", classes="quantile", k=4, w=queen)
    report.table(text["markov"], chain.probabilities, "markov")
    report.table(text["markov_tests"], chain.tests, "markov_tests")
    obstacles = obstacle_degree(result, panel[panel["year"].isin(years)], "code", "year")
    report.table(text["obstacles"], obstacles.mean_by_year(), "obstacles")
    report.table(text["sigma"], sigma_convergence(scores, "D").dispersion, "sigma")
    betas = {
        text["absolute"]: beta_convergence(scores, "D", kind="absolute"),
        text["conditional"]: beta_convergence(scores, "D", kind="conditional"),
        text["spatial"]: beta_convergence(scores, "D", kind="conditional", w=queen),
    }
    report.table(text["beta"], pd.concat({k: b.convergence for k, b in betas.items()}), "beta")
    g = gap.components
    return (
        f"Dagum Gini of D: {g['G'].iloc[0]:.3f} in {years[0]}, {g['G'].iloc[-1]:.3f} in "
        f"{years[-1]} (between-region share {g['share_nb'].iloc[-1]:.0%})"
    )


def run_demo(
    out: Path,
    *,
    bootstrap: int = 1000,
    seed: int = 0,
    language: Language = "en",
    quiet: bool = False,
    echo: Callable[[str], None] | None = None,
) -> str:
    """Run the main job and write the report to ``out``; return a short summary text.

    Parameters
    ----------
    out : Path
        Report folder (created).
    bootstrap : int, default 1000
        Region resamples of the entropy weights (0 skips).
    seed : int, default 0
        Seed of every random step.
    language : {"en", "zh"}
        Report in English or in Chinese (headings, tables' captions and figure text;
        Chinese needs a font with Chinese glyphs, see :func:`spatial.viz.find_cjk_font`).
    quiet : bool
        Show no progress.
    echo : callable, optional
        Receive one line per finished step instead of the live progress display.
    """
    from spatial._core.options import check_option

    check_option("language", language, ("en", "zh"))
    if language == "zh":
        from spatial.viz.figure import style

        with style("zh"):  # fail early, with the font message, before any work
            pass
    text = TEXT[language]
    progress = _Progress(5, echo=echo, quiet=quiet)
    try:
        progress.begin(text["step1"].format(n="", first="", last="", bootstrap=bootstrap))
        panel = load_provincial_panel()
        queen = china_provinces("queen")  # Hainan linked to Guangdong; shared by every step
        report = Report(text["title"], language=language)
        report.text(text["intro"].format(version=__version__))
        results, years = _score(panel, bootstrap, seed)
        standard = results["standard"]
        progress.done(text["step1"].format(n=len(years), first=years[0], last=years[-1],
                                           bootstrap=bootstrap))  # fmt: skip
        name_column = "province_zh" if language == "zh" else "province_en"
        names = panel.drop_duplicates("code").set_index("code")[["province_zh", "province_en"]]
        report.heading(text["h1"])
        report.text(text["years"].format(years=", ".join(map(str, years))))
        report.table(text["weights"], standard.indicator_weights, "indicator_weights")
        if standard.bootstrap is not None:
            report.table(text["weights_boot"].format(b=bootstrap),
                         standard.bootstrap.indicator_weights, "weights_bootstrap")  # fmt: skip
        by_year = pd.concat(
            {v: r.scores.groupby(level="year")["D"].mean() for v, r in results.items()}, axis=1
        ).add_prefix("mean D, ")
        report.table(text["d_by_year"], by_year, "d_by_year")
        d_wide = standard.scores["D"].unstack("year")
        d_wide.index = pd.MultiIndex.from_arrays(
            [d_wide.index, names.loc[d_wide.index, name_column]], names=["code", name_column]
        )
        report.table(text["d_by_province"], d_wide, "d_by_province")
        index_years = standard.scores.index.get_level_values("year")
        suffix = "_zh" if language == "zh" else ""
        tiers = pd.crosstab(index_years, standard.scores[f"tier{suffix}"])
        report.table(text["tiers"], tiers, "tier_counts")
        lags = pd.crosstab(index_years, standard.scores[f"lag_type{suffix}"])
        report.table(text["lags"], lags, "lag_types")
        scores = standard.to_frame().merge(names, left_on="code", right_index=True)
        scores["D_wang2021"] = results["wang2021"].scores["D"].to_numpy()
        report.table(text["scores"], scores.set_index(["code", "year"]), "scores")
        closeness = _topsis_beside_d(panel, standard, years, names[name_column])
        report.table(text["topsis"].format(year=years[-1]), closeness, "topsis")

        progress.begin(text["step2"])
        _figures_and_esda(standard.scores, queen, years, report, seed, language)
        progress.done(text["step2"])

        progress.begin(text["step3"])
        report.heading(text["h3"])
        drivers = _drivers(panel, standard.scores)
        described = DRIVERS if language == "en" else DRIVERS_ZH
        report.text(text["drivers"].format(
            drivers="; ".join(f"{k} = {v}" for k, v in described.items())))  # fmt: skip
        model_line = _spatial_model(drivers, queen, report, text)
        grey = grey_relational(drivers, "D", list(DRIVERS), region="code", year="year")
        degrees = grey.degrees["degree"].unstack("factor")[list(DRIVERS)]
        degrees.loc["all"] = grey.overall["degree"]
        report.table(text["grey"], degrees, "grey_relational")
        _geodetector(drivers, report, text)
        progress.done(text["step3"])

        progress.begin(text["step4"])
        gap_line = _disparity(standard, panel, queen, years, report, seed, language)
        progress.done(text["step4"])

        progress.begin(text["step5"])
        from .io_section import io_section

        io_line = io_section(report, language)
        progress.done(text["step5"])

        written = report.write(out)
        progress.done(text["written"].format(path=out / "report.html", count=len(written)))
    finally:
        progress.close()
    mean_d = by_year["mean D, standard"]
    summary = [
        f"liangye {__version__} demo",
        f"Mean D (standard) rose from {mean_d.iloc[0]:.3f} in {years[0]} to "
        f"{mean_d.iloc[-1]:.3f} in {years[-1]}.",
        model_line,
        gap_line,
        io_line,
        f"Report: {out / 'report.html'}",
    ]
    return "\n".join(summary)
