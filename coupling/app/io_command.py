"""``liangye io``: coefficients, linkages and fusion of a user's input-output tables.

::

    liangye io china_2017_42.csv [china_2012_139.csv ...] --out io-report
    liangye io CHN_NIOT_nov16.csv --year 2014 --zero-output drop --lang zh

Each file is an NBS-layout national table (CSV in UTF-8 or GBK, or Excel; see
:func:`coupling.inputoutput.read_io_table`) or a WIOD national table (';'-separated, all years
in one file; :func:`coupling.inputoutput.read_wiod`), recognised by its header. The tables of
the latest year (or ``--year``) are written out in full: direct consumption (total and
domestic), the Leontief inverse, complete consumption, allocation coefficients, the Ghosh
inverse and complete distribution, and the influence and sensitivity coefficients (both
conventions). Fusion of the ``--source`` group by the ``--target`` group and the reverse
(direct and complete, total and domestic inputs) is written for every year given, with a heat
map and, for several years, the path over time. CSV outputs are UTF-8 with a byte-order mark
(Excel opens the Chinese names); the report is ``report.html``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .files import CommandError

__all__ = ["add_io_parser", "run_io"]


def add_io_parser(commands: Any) -> None:
    """Register ``liangye io`` on the subcommand parser of the command line."""
    io = commands.add_parser("io", help="coefficients, linkages and fusion of IO tables")
    io.add_argument("tables", nargs="+", help="NBS-layout (CSV/XLSX) or WIOD national tables")
    io.add_argument("--year", type=int,
                    help="the year written in full (default: the latest)")  # fmt: skip
    io.add_argument("--source", default="producer_services",
                    help="source group: a group name (producer_services, manufacturing, "
                    "equipment, finance...) or comma-separated sector codes")  # fmt: skip
    io.add_argument("--target", default="manufacturing", help="target group (same forms)")
    io.add_argument("--weighting", default="output", choices=["output", "final_demand", "equal"],
                    help="weights of the target sectors in a group value")  # fmt: skip
    io.add_argument("--zero-output", default="raise", choices=["raise", "drop", "zero"],
                    help="sectors with zero output: stop (default), drop them (empty ones) or "
                    "keep them with zero coefficients")  # fmt: skip
    io.add_argument("--out", default="liangye-io", help="output folder")
    io.add_argument("--encoding", help="encoding of a CSV table (default: detected)")
    io.add_argument("--sheet", help="sheet of an Excel table")
    io.add_argument("--output-encoding", default="utf-8-sig",
                    help="encoding of the CSV outputs (default UTF-8 with BOM)")  # fmt: skip
    io.add_argument("--lang", default="en", choices=["en", "zh"], help="report language")


def _group(text: str) -> Any:
    from ..inputoutput.sectors import GROUPS, PRODUCER_SERVICE_CATEGORIES

    if text in GROUPS or text in PRODUCER_SERVICE_CATEGORIES:
        return text
    return [c.strip() for c in text.split(",") if c.strip()]


def _read_tables(paths: Sequence[str], args: argparse.Namespace) -> dict[int, Any]:
    from ..inputoutput import read_io_table, read_wiod

    tables: dict[int, Any] = {}
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        head = path.read_bytes()[:2000].decode("utf-8", errors="replace")
        if ";" in head.splitlines()[0] and "Origin" in head:
            found = read_wiod(path, zero_output=args.zero_output)
            read = dict(found) if isinstance(found, dict) else {}
        else:
            table = read_io_table(path, encoding=args.encoding, sheet=args.sheet,
                                  zero_output=args.zero_output)  # fmt: skip
            if table.year is None:
                raise CommandError(
                    f"{path}: no year in the file name; name the file with its year (e.g. "
                    "china_2017_42.csv)"
                )
            read = {table.year: table}
        doubled = sorted(set(read) & set(tables))
        if doubled:
            raise CommandError(f"{path}: the year(s) {doubled} were given twice")
        tables.update(read)
    return tables


def run_io(args: argparse.Namespace) -> str:
    """``liangye io``: write the coefficients, linkages and fusion; return the summary."""
    from ..inputoutput import fusion_panel
    from ..inputoutput.plots import fusion_path
    from .files import write_csv
    from .report import Report

    tables = _read_tables(args.tables, args)
    year = args.year if args.year is not None else max(tables)
    if year not in tables:
        raise CommandError(f"--year {year}: the tables given are of {sorted(tables)}")
    table = tables[year]
    source, target = _group(args.source), _group(args.target)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = table.sectors
    linkages = table.linkages(forward="leontief").rename(
        columns={"sensitivity": "sensitivity_leontief", "forward": "forward_leontief"}
    )
    ghosh = table.linkages(forward="ghosh")
    linkages["forward_ghosh"] = ghosh["forward"]
    linkages["sensitivity_ghosh"] = ghosh["sensitivity"]
    linkages.insert(1, "name_en", names["name_en"])
    matrices = {
        "direct_consumption.csv": table.technical_coefficients(),
        "direct_consumption_domestic.csv": table.technical_coefficients(kind="domestic"),
        "leontief_inverse.csv": table.leontief(),
        "complete_consumption.csv": table.complete_consumption(),
        "direct_distribution.csv": table.allocation_coefficients(),
        "ghosh_inverse.csv": table.ghosh(),
        "complete_distribution.csv": table.complete_distribution(),
    }
    panels = [
        fusion_panel(tables, directions=((source, target), (target, source)), kind=kind,
                     weighting=args.weighting).assign(kind=kind)
        for kind in ("total", "domestic")
    ]  # fmt: skip
    panel = pd.concat(panels, ignore_index=True)
    pairs = table.fusion(source, target, measure="complete", weighting=args.weighting)
    files = {
        **{name: frame.reset_index() for name, frame in matrices.items()},
        "linkages.csv": linkages.reset_index(),
        "fusion.csv": panel,
        "fusion_pairs_complete.csv": pairs.pairs.reset_index(),
    }
    for name, frame in files.items():
        write_csv(frame, out / name, encoding=args.output_encoding)
    report = Report(f"Input-output analysis, {year}", language=args.lang)
    report.header({
        "tables": ", ".join(f"{y} ({len(t.sectors)} sectors, "
                            f"{'competitive' if t.competitive else 'non-competitive'})"
                            for y, t in sorted(tables.items())),
        "source group": f"{args.source} ({len(pairs.source)} sectors)",
        "target group": f"{args.target} ({len(pairs.target)} sectors)",
        "weighting": args.weighting,
    })  # fmt: skip
    wide = panel.pivot_table(index="year", columns=["kind", "source", "target", "measure"],
                             values="value", sort=False)  # fmt: skip
    wide.columns = [" ".join(str(c) for c in column) for column in wide.columns]
    report.table("Fusion by year (source consumed per unit of target output)", wide, "fusion")
    lang: Any = args.lang
    report.figure(f"Complete consumption coefficients, {year}", pairs.plot(language=lang),
                  "fusion_heatmap")  # fmt: skip
    if len(tables) > 1:
        report.figure("Fusion over the years (total inputs)",
                      fusion_path(panels[0], language=lang), "fusion_path")  # fmt: skip
    report.table(f"Influence and sensitivity coefficients, {year}", linkages, "linkages_table")
    report.write(out, csv_encoding=args.output_encoding)
    last = panel[(panel["year"] == year) & (panel["kind"] == "total")]
    lines = [f"liangye io: {len(tables)} table(s), {min(tables)}-{max(tables)}"]
    for _, row in last.iterrows():
        lines.append(f"{year} {row['source']} -> {row['target']} {row['measure']}: "
                     f"{row['value']:.4f}")  # fmt: skip
    lines.append(f"Wrote {len(files)} CSV files and report.html to {out}.")
    (out / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "\n".join(lines)
