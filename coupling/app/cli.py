"""The ``liangye`` command line.

* ``liangye demo`` — the main job on the embedded real data (see :mod:`coupling.app.demo`).
* ``liangye score DATA.csv --spec SPEC.toml`` — coupling coordination of a user's file.
* ``liangye sdm DATA.csv --y Y --x X1 X2 --w W.gal`` — a spatial panel model with its effects.

Every command writes CSV and HTML output to ``--out``; a missing file, a
malformed specification or unknown columns end with a one-line message and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from spatial._core.version import __version__

from ..data import IndicatorSystem
from ..exceptions import LiangyeError
from ..model import CouplingCoordination

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["CommandError", "main", "read_spec", "run_score", "run_sdm"]

#: Options of ``CouplingCoordination`` a spec file may set.
SPEC_OPTIONS = (
    "weighting",
    "pooling",
    "shift",
    "variant",
    "alpha",
    "bands",
    "closed",
    "constant",
    "balance",
    "lag_thresholds",
    "ratio",
)


class CommandError(LiangyeError, ValueError):
    """A problem with the command's inputs, reported as one line (exit status 2)."""


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise CommandError(f"file not found: {path}")
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise CommandError(f"cannot read {path} as CSV: {err}") from err


def read_spec(path: Path) -> tuple[IndicatorSystem, dict[str, Any], dict[str, str]]:
    """Read a TOML spec: ``[subsystems.<name>]`` tables of ``indicator = "+"|"-"``,
    an optional ``[options]`` table (weighting, pooling, shift, variant, ...) and
    optional top-level ``region`` / ``year`` column names."""
    if not path.is_file():
        raise CommandError(f"spec file not found: {path}")
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CommandError(f"malformed spec {path}: {err}") from err
    subsystems = spec.get("subsystems")
    if not isinstance(subsystems, dict) or not subsystems:
        raise CommandError(
            f"malformed spec {path}: it needs [subsystems.<name>] tables of indicator = '+' or '-'"
        )
    options = spec.get("options", {})
    unknown = sorted(set(options) - set(SPEC_OPTIONS))
    if unknown:
        raise CommandError(
            f"malformed spec {path}: unknown option(s) {unknown}; "
            f"allowed: {', '.join(SPEC_OPTIONS)}"
        )
    keys = {k: str(spec[k]) for k in ("region", "year") if k in spec}
    try:
        system = IndicatorSystem(subsystems)
    except LiangyeError as err:
        raise CommandError(f"malformed spec {path}: {err}") from err
    return system, dict(options), keys


def _write(out: Path, tables: dict[str, pd.DataFrame], html: str, text: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out / name, index=False, encoding="utf-8")
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    page = f"<!doctype html><meta charset='utf-8'><title>liangye</title><body>{html}</body>"
    (out / "report.html").write_text(page, encoding="utf-8")


def run_score(data: Path, spec: Path, out: Path, region: str | None, year: str | None) -> str:
    """``liangye score``: score a user's panel; returns the summary text."""
    system, options, keys = read_spec(spec)
    frame = _read_csv(data)
    region = region or keys.get("region", "region")
    year = year or keys.get("year", "year")
    missing = [c for c in (region, year) if c not in frame.columns]
    if missing:
        raise CommandError(
            f"column(s) {missing} not in {data} (columns: {', '.join(map(str, frame.columns))});"
            " pass --region/--year or set region/year in the spec"
        )
    result = CouplingCoordination(system, **options).fit(frame, region=region, year=year)
    summary = result.summary()
    _write(
        out,
        {
            "scores.csv": result.to_frame(),
            "indicator_weights.csv": result.indicator_weights.reset_index(),
        },
        summary.as_html(),
        str(summary),
    )
    return (
        str(summary)
        + f"\n\nWrote scores.csv, indicator_weights.csv, summary.txt, report.html to {out}."
    )


def run_sdm(args: argparse.Namespace) -> str:
    """``liangye sdm``: fit a spatial panel model; returns the summary text."""
    from spatial import (
        SLXPanel,
        SpatialDurbinErrorPanel,
        SpatialDurbinPanel,
        SpatialErrorPanel,
        SpatialLagPanel,
    )
    from spatial.weights import read_weights

    models = {
        "sdm": SpatialDurbinPanel,
        "sar": SpatialLagPanel,
        "sem": SpatialErrorPanel,
        "sdem": SpatialDurbinErrorPanel,
        "slx": SLXPanel,
    }
    frame = _read_csv(Path(args.data))
    if not Path(args.w).is_file():
        raise CommandError(f"weights file not found: {args.w}")
    missing = [c for c in (args.region, args.year) if c not in frame.columns]
    if missing:
        raise CommandError(f"column(s) {missing} not in {args.data}; pass --region/--year")
    w = read_weights(args.w, ids=list(pd.unique(frame[args.region])))
    if args.standardize:
        w = w.standardize("row")
    model = models[args.model](
        frame, args.y, args.x, w, region=args.region, year=args.year, effects=args.effects
    )
    result = model.fit(bias_correction=args.bias_correction)
    text = str(result.summary())
    tables = {
        "params.csv": pd.DataFrame(
            {
                "coef": result.params,
                "std_error": result.std_errors,
                "z": result.tstats,
                "p_value": result.pvalues,
            }
        )
        .rename_axis("term")
        .reset_index()
    }
    html = result.summary().as_html()
    if args.model in ("sdm", "sar", "sdem", "slx"):
        impacts = result.impacts(method=args.impacts, seed=0)
        tables["impacts.csv"] = impacts.to_frame()
        text += "\n\n" + str(impacts.summary())
        html += impacts.summary().as_html()
    _write(Path(args.out), tables, html, text)
    return text + f"\n\nWrote {', '.join(tables)}, summary.txt, report.html to {args.out}."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liangye", description="Coupling coordination and spatial panel econometrics."
    )
    parser.add_argument("--version", action="version", version=f"liangye {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="the main job on the embedded provincial panel")
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("liangye-report"),
        help="report folder (default ./liangye-report)",
    )
    demo.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help="region resamples for the weights (0 skips; default 1000)",
    )
    demo.add_argument("--seed", type=int, default=0, help="seed of every random step")
    score = commands.add_parser("score", help="coupling coordination of a CSV panel")
    score.add_argument("data", type=Path, help="CSV with region, year and the indicators")
    score.add_argument("--spec", type=Path, required=True, help="TOML indicator system")
    score.add_argument("--region", help="region column (default from the spec, or 'region')")
    score.add_argument("--year", help="year column (default from the spec, or 'year')")
    score.add_argument("--out", type=Path, default=Path("liangye-score"), help="output folder")
    sdm = commands.add_parser("sdm", help="spatial panel model of a CSV panel")
    sdm.add_argument("data", help="CSV with region, year, y and x")
    sdm.add_argument("--y", required=True, help="dependent variable")
    sdm.add_argument("--x", nargs="+", required=True, help="regressors")
    sdm.add_argument("--w", required=True, help="weights file (.gal, .gwt or .csv)")
    sdm.add_argument("--region", default="region", help="region column (default region)")
    sdm.add_argument("--year", default="year", help="year column (default year)")
    sdm.add_argument(
        "--effects", default="twoways", choices=["individual", "time", "twoways", "none"]
    )
    sdm.add_argument("--model", default="sdm", choices=["sdm", "sar", "sem", "sdem", "slx"])
    sdm.add_argument(
        "--bias-correction", default="lee_yu", choices=["lee_yu", "none", "transformation"]
    )
    sdm.add_argument("--impacts", default="delta", choices=["delta", "simulation"])
    sdm.add_argument(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        help="keep W as read (default: row-standardize)",
    )
    sdm.add_argument("--out", default="liangye-sdm", help="output folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``liangye`` console command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from .demo import run_demo

            print(run_demo(args.out, bootstrap=args.bootstrap, seed=args.seed))
        elif args.command == "score":
            print(run_score(args.data, args.spec, args.out, args.region, args.year))
        else:
            print(run_sdm(args))
    except (CommandError, LiangyeError) as err:
        print(f"liangye {args.command}: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
