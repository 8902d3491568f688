"""The demo's input-output section: fusion of manufacturing and producer services in China.

China's national input-output tables 2000-2014 (WIOD 2016 release, CC BY 4.0, packaged with
the toolkit; :func:`coupling.datasets.load_china_io_tables`) give, each year, how much
producer services manufacturing consumes per unit of its output (制造业服务化) and how much
manufacturing producer services consume (服务业制造化), directly (``A``) and completely
(``L - I``). The section writes the panel of both directions and measures, the path over the
years, a heat map of the complete consumption coefficients between the sectors of the two
groups in the last year, and the influence and sensitivity coefficients of the sectors of
both groups. Manufacturing is ISIC rev. 4 C10-C33 and producer services the WIOD sectors of
``sectors.csv`` (``coupling/inputoutput/SECTORS.md`` gives every assignment).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..datasets import load_china_io_tables
from ..inputoutput import fusion_panel
from ..inputoutput.plots import fusion_path
from ..inputoutput.sectors import group_members, short_labels
from .report import Report

__all__ = ["TEXT", "io_section"]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "h5": "5. Fusion of manufacturing and producer services in input-output tables",
        "intro": "Data: national input-output tables of China 2000-2014, WIOD 2016 release "
        "(Timmer et al. 2015, Review of International Economics 23: 575-605; CC BY 4.0), "
        "USD million, {sectors} industries (the nine the release leaves empty for China are "
        "dropped). Manufacturing: ISIC C10-C32 ({n_m} industries); producer services "
        "({n_s} industries, coupling/inputoutput/SECTORS.md): {services}. Coefficients "
        "count domestic and imported inputs; group values are averages of the target sectors "
        "weighted by their output.",
        "panel": "Fusion by year: consumption of the source group per unit of the target "
        "group's output, direct (A) and complete (L - I)",
        "path": "Fusion of manufacturing and producer services, 2000-2014",
        "heat": "Complete consumption coefficients of producer services by manufacturing "
        "sectors, {year}",
        "heat_table": "Complete consumption of producer services by each manufacturing "
        "sector, {year} (column sums of the heat map)",
        "linkages": "Influence (影响力) and sensitivity (感应度, Leontief row sums) coefficients "
        "of the two groups' sectors, {year}",
    },
    "zh": {
        "h5": "五、投入产出表中的制造业与生产性服务业融合",
        "intro": "数据：中国 2000-2014 年全国投入产出表，WIOD 2016 年版（Timmer 等 2015，Review of "
        "International Economics 23: 575-605；CC BY 4.0 许可），百万美元，{sectors} 个行业"
        "（剔除该版中中国为空的 9 个行业）。制造业：ISIC C10-C32（{n_m} 个行业）；生产性服务业（"
        "{n_s} 个行业，见 coupling/inputoutput/SECTORS.md）：{services}。系数包含国内与进口"
        "投入；组别数值为目标部门按产出加权的平均。",
        "panel": "各年融合度：目标组单位产出对来源组的消耗，直接消耗系数（A）与完全消耗系数"
        "（L - I）",
        "path": "2000-2014 年制造业与生产性服务业的融合",
        "heat": "{year}年制造业各部门对生产性服务业各部门的完全消耗系数",
        "heat_table": "{year}年制造业各部门对生产性服务业的完全消耗系数（热力图的列和）",
        "linkages": "{year}年两组部门的影响力系数与感应度系数（感应度按列昂惕夫逆矩阵行和）",
    },
}


def io_section(report: Report, language: str) -> str:
    """Write the section into ``report``; return its one-line summary (English)."""
    text = TEXT[language]
    tables = load_china_io_tables()
    last = max(tables)
    latest = tables[last]
    manufacturing = group_members(latest, "manufacturing")
    services = group_members(latest, "producer_services")
    report.heading(text["h5"])
    name = "name_zh" if language == "zh" else "name_en"
    listed = short_labels(
        latest.classification, services, list(latest.sectors.loc[services, name]), language
    )
    report.text(text["intro"].format(sectors=len(latest.sectors), n_m=len(manufacturing),
                                     n_s=len(services), services="、".join(listed)
                                     if language == "zh" else ", ".join(listed)))  # fmt: skip
    panel = fusion_panel(tables)
    wide = panel.pivot_table(index="year", columns=["source", "target", "measure"],
                             values="value", sort=False)  # fmt: skip
    group_en = {"manufacturing": "manufacturing", "producer_services": "producer services"}
    wide.columns = [f"{group_en[s]} → {group_en[t]}, {m}" for s, t, m in wide.columns]
    report.table(text["panel"], wide, "io_fusion")
    lang: Any = language
    report.figure(text["path"], fusion_path(panel, language=lang), "io_fusion_path")
    heat = latest.fusion("producer_services", "manufacturing", measure="complete")
    report.figure(text["heat"].format(year=last), heat.plot(language=lang), "io_fusion_heatmap")
    by_sector = heat.by_target[[name, "coefficient", "weight"]]
    report.table(text["heat_table"].format(year=last), by_sector, "io_fusion_by_sector")
    linkages = latest.linkages(forward="leontief")
    chosen = linkages.loc[[*manufacturing, *services], ["influence", "sensitivity"]]
    groups = pd.Series("manufacturing", index=chosen.index)
    groups[services] = "producer services"
    chosen.insert(0, "group", groups)
    chosen.insert(1, name, latest.sectors.loc[chosen.index, name])
    report.table(text["linkages"].format(year=last), chosen, "io_linkages")
    first = panel[(panel["year"] == min(tables)) & (panel["measure"] == "complete")]
    end = panel[(panel["year"] == last) & (panel["measure"] == "complete")]

    def value(frame: pd.DataFrame, source: str) -> float:
        return float(frame.loc[frame["source"] == source, "value"].iloc[0])

    return (
        f"Complete consumption of producer services by manufacturing: "
        f"{value(first, 'producer_services'):.3f} in {min(tables)}, "
        f"{value(end, 'producer_services'):.3f} in {last}; of manufacturing by producer "
        f"services: {value(first, 'manufacturing'):.3f}, {value(end, 'manufacturing'):.3f}."
    )
