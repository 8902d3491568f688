"""The global-value-chain position of China's producer services, 1995-2011 (WIOD 2013).

A rerun, as far as open data allow, of the design of Huang Huiping et al. (2020) on the
position of China's producer services in global value chains: for the producer-service
sectors of China and of comparison economies, in every year of the WIOD 2013 release world
tables,

1. KPWW (Koopman et al. 2010) participation and position, from the WWZ/KWW decomposition of
   the gross exports of each producer-service sector, summed over the group:
   ``participation = (IV + FV) / E``, ``position = ln(1 + IV/E) - ln(1 + FV/E)``, with IV the
   domestic value added re-exported by the direct importer (KWW's DVA_INTrex) and FV the
   foreign content of the exports (FVA_FIN + FVA_INT + FDC, ``foreign="vs"``);
2. the domestic value added in exports (KWW terms 1-5: value added exported and returned,
   without the double counting) as a share of gross exports, for the group and for all
   sectors;
3. Wang et al. (2017) forward and backward GVC participation of the group (value added and
   final goods summed over its sectors) and the GVC position index of production lengths
   (forward over backward GVC length) of each of China's producer-service sectors;
4. the producer-services content of China's manufacturing exports: domestic and foreign
   producer-service value added per unit of manufacturing exports (服务化 of manufacturing
   exports).

Choices, each with its reason:

* Producer services are the WIOD 2013 sectors of ``coupling/inputoutput/sectors.csv`` that
  the 2019 NBS classification counts as producer services: wholesale (c20), inland, water,
  air and auxiliary transport (c23-c26), post and telecommunications (c27), financial
  intermediation (c28), renting of machinery and other business activities (c30) (SECTORS.md
  states each approximation: the transport sectors include passenger transport).
* Comparison economies: the United States, Japan, Germany, Korea and India (``--countries``
  changes them), the large exporters of business services and China's neighbours in Asia.
* Output is the row sums of each table (the WWZ terms then add up to gross exports
  exactly; decompr's reference numbers use the same convention); country-sectors with zero
  output are kept with zero coefficients (``zero_output="zero"``).

Data: the WIOD 2013 release world tables as ``wiot_YYYY.npz`` (the layout of
:func:`coupling.inputoutput.read_wiod`), passed with ``--data DIR``. They are not part of the
package: the recipe reads the user's own copy. Cite Timmer, M. P. (ed.) (2012), The World
Input-Output Database (WIOD): Contents, Sources and Methods, WIOD Working Paper 10, and
Timmer et al. (2015), Review of International Economics 23: 575-605.

The numbers are the measures of the design on these tables, not the study's published
figures (its sector mapping and table version may differ).

Run::

    python examples/gvc_producer_services.py --data DIR --out gvc-study [--years 2000 2011]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from coupling.app.report import Report
from coupling.inputoutput import MRIOTable, read_wiod
from coupling.inputoutput.exports import KWW_TERMS
from coupling.inputoutput.sectors import group_members

COMPARISON = ("CHN", "USA", "JPN", "DEU", "KOR", "IND")


def read_years(folder: Path, years: list[int] | None) -> dict[int, MRIOTable]:
    """The world tables of ``folder`` (``wiot_YYYY.npz``), all or the ``years`` asked for."""
    found = {int(p.stem.split("_")[1]): p for p in sorted(folder.glob("wiot_*.npz"))}
    if not found:
        raise SystemExit(f"no wiot_YYYY.npz files in {folder}")
    wanted = sorted(found) if not years else years
    missing = [y for y in wanted if y not in found]
    if missing:
        raise SystemExit(f"{folder} has no table for {missing}; it has {sorted(found)}")
    tables = {}
    for year in wanted:
        table = read_wiod(found[year], zero_output="zero")
        assert isinstance(table, MRIOTable)
        tables[year] = table
    return tables


def group_measures(table: MRIOTable, countries: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The measures of one year for the producer-service group of each country."""
    services = group_members(table, "producer_services")
    decomposition = table.wwz()
    sector_kww = decomposition.kww("sector")
    in_group = sector_kww.index.get_level_values("sector").isin(services)
    group = sector_kww[in_group].groupby(level="exporter", sort=False).sum()
    every = decomposition.kww("country")
    fv = group["FVA_FIN"] + group["FVA_INT"] + group["FDC"]
    kpww = pd.DataFrame(
        {
            "exports": group["exports"],
            "IV": group["DVA_INTrex"],
            "FV": fv,
            "participation": (group["DVA_INTrex"] + fv) / group["exports"],
            "position": np.log1p(group["DVA_INTrex"] / group["exports"])
            - np.log1p(fv / group["exports"]),
        }
    ).loc[list(countries)]
    dva_terms = list(KWW_TERMS[:5])
    dva = pd.DataFrame(
        {
            "dva_share_services": group[dva_terms].sum(axis=1) / group["exports"],
            "dva_share_all": every[dva_terms].sum(axis=1) / every["exports"],
        }
    ).loc[list(countries)]
    paths = table.gvc_participation()
    paths = paths[paths.index.get_level_values("sector").isin(services)]
    summed = paths.groupby(level="country", sort=False).sum()
    wang = pd.DataFrame(
        {
            "forward": (summed["f_simple"] + summed["f_complex"]) / summed["va"],
            "backward": (summed["b_simple"] + summed["b_complex"]) / summed["y"],
        }
    ).loc[list(countries)]
    columns = ["PLv_gvc", "PLy_gvc", "position"]
    length = table.production_length().loc["CHN"].loc[services, columns]
    content = table.services_content(services="producer_services", exporters="manufacturing")
    return {"kpww": kpww, "dva": dva, "wang": wang, "length": length,
            "content": content.loc[list(countries)]}  # fmt: skip


def study(folder: str | Path, out: str | Path, *, years: list[int] | None = None,
          countries: tuple[str, ...] = COMPARISON) -> str:  # fmt: skip
    """Run the design on the tables of ``folder``; write tables, figures and a report."""
    from spatial.viz.figure import new_axes

    tables = read_years(Path(folder), years)
    unknown = [c for c in countries if c not in next(iter(tables.values())).countries]
    if unknown:
        raise SystemExit(f"--countries: {unknown} are not WIOD 2013 countries")
    per_year = {year: group_measures(table, countries) for year, table in tables.items()}
    stacked = {
        name: pd.concat({y: m[name] for y, m in per_year.items()}, names=["year"])
        for name in ("kpww", "dva", "wang", "length", "content")
    }
    report = Report("GVC position of producer services, WIOD 2013", language="en")
    report.text(__doc__.split("\n\n")[1].replace("\n", " "))
    captions = {
        "kpww": "KPWW participation and position of the producer-service group",
        "dva": "Domestic value added (KWW terms 1-5) per unit of gross exports",
        "wang": "Wang et al. (2017) forward and backward GVC participation, producer services",
        "length": "GVC production lengths and position index of China's producer services",
        "content": "Producer-services value added in manufacturing exports (share of exports)",
    }
    for name, caption in captions.items():
        report.table(caption, stacked[name], name)
    for name, column, label in (("kpww", "position", "KPWW position"),
                                ("wang", "forward", "forward GVC participation"),
                                ("content", "share", "producer-services content")):  # fmt: skip
        fig, (ax,) = new_axes((6.0, 3.6))
        wide = stacked[name][column].unstack()
        for country in countries:
            ax.plot(wide.index, wide[country], marker="o", ms=3, label=country)
        ax.set_xlabel("year")
        ax.set_ylabel(label)
        ax.legend(frameon=False, fontsize="small", ncols=3)
        report.figure(f"{label} of producer services, {', '.join(countries)}", fig,
                      f"{name}_{column}")  # fmt: skip
    report.write(Path(out))
    first, last = min(tables), max(tables)
    china = stacked["kpww"].xs("CHN", level="exporter")
    content = stacked["content"].xs("CHN", level="country")
    return "\n".join(
        [
            f"GVC position of producer services, WIOD 2013, {first}-{last}, {len(tables)} tables",
            f"China KPWW position {china.loc[first, 'position']:+.4f} ({first}) -> "
            f"{china.loc[last, 'position']:+.4f} ({last}); participation "
            f"{china.loc[first, 'participation']:.4f} -> {china.loc[last, 'participation']:.4f}",
            f"China producer-services content of manufacturing exports: domestic "
            f"{content.loc[last, 'domestic_share']:.4f}, foreign "
            f"{content.loc[last, 'foreign_share']:.4f} ({last})",
            f"Report: {Path(out) / 'report.html'}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder with wiot_YYYY.npz (WIOD 2013)")
    parser.add_argument("--out", default="gvc-study", help="output folder")
    parser.add_argument("--years", nargs="*", type=int, help="years (default: every table)")
    parser.add_argument("--countries", nargs="+", default=list(COMPARISON),
                        help="WIOD 2013 codes (default CHN USA JPN DEU KOR IND)")  # fmt: skip
    args = parser.parse_args(argv)
    print(study(args.data, args.out, years=args.years, countries=tuple(args.countries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
