"""County-level divisions by type at the end of 2019-2023, counted in the MCA code lists.

Run: ``.venv/bin/python tests/spatial/reference/county_counts_mca.py PATH`` where PATH is a
checkout (or a bare mirror) of https://github.com/yescallop/areacodes (CC0 1.0); writes
county_counts_mca.json beside this script. Not run by the tests.

The repository's ``data/<year>.txt`` is the Ministry of Civil Affairs' list of codes above
the township level at the end of ``year`` (one ``code name`` per line), with the corrections
of its ``errata.md``. A county-level unit is a code whose last two digits are not ``00``,
outside Taiwan (71), Hong Kong (81) and Macao (82); the codes ``xx90xx`` (county-level units
administered by their province: 济源市, 仙桃市, 神农架林区, 石河子市...) are county-level
units like the others. The type comes from the name's suffix, tried in this order:

- 自治旗 -> autonomous_banner, 旗 -> banner, 自治县 -> autonomous_county;
- 特区 -> special_district (六枝特区 520203 is the only one);
- 林区 -> forestry_district only for 神农架林区 429021 (万柏林区, 金林区, 北林区 and 碑林区
  are districts);
- 区 -> district (矿区 included), 市 -> county_city, 县 -> county.

A name that matches none of these stops the script.

Xisha and Nansha (460302 西沙区, 460303 南沙区, set up in April 2020): according to the
repository's errata.md the ministry's own lists of 2020-2023 leave them out, and the
repository added them back (the ministry's list of 2024 has them). The counts below include
them, as the statistics do (973 districts at the end of 2020 in the published figures);
``districts_without_xisha_nansha`` gives the count of the lists as the ministry published
them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

YEARS = range(2019, 2024)
TYPES = (
    "district",
    "county_city",
    "county",
    "autonomous_county",
    "banner",
    "autonomous_banner",
    "special_district",
    "forestry_district",
)
OUTSIDE = ("71", "81", "82")
FORESTRY = ("429021",)
ADDED_BY_ERRATA = ("460302", "460303")


def unit_type(code: str, name: str) -> str:
    for suffix, kind in (
        ("自治旗", "autonomous_banner"),
        ("旗", "banner"),
        ("自治县", "autonomous_county"),
        ("特区", "special_district"),
    ):
        if name.endswith(suffix):
            return kind
    if name.endswith("林区") and code in FORESTRY:
        return "forestry_district"
    for suffix, kind in (("区", "district"), ("市", "county_city"), ("县", "county")):
        if name.endswith(suffix):
            return kind
    raise ValueError(f"no county-level type for {code} {name}")


def read_list(repo: Path, year: int) -> str:
    """``data/<year>.txt`` of a checkout, or of HEAD of a bare mirror."""
    path = repo / "data" / f"{year}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:data/{year}.txt"],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")


def count(text: str) -> dict[str, object]:
    counts = dict.fromkeys(TYPES, 0)
    codes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, name = line.split(maxsplit=1)
        if code.endswith("00") or code[:2] in OUTSIDE:
            continue
        counts[unit_type(code, name.strip())] += 1
        codes.append(code)
    added = [c for c in ADDED_BY_ERRATA if c in codes]
    return {
        **counts,
        "total": sum(counts.values()),
        "xisha_nansha_in_list": added,
        "districts_without_xisha_nansha": counts["district"] - len(added),
    }


def main(repo: Path) -> None:
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    out = {
        "source": "MCA county-level code lists (year end) as transcribed in "
        "https://github.com/yescallop/areacodes (CC0 1.0), data/<year>.txt",
        "commit": commit,
        "rule": "codes not ending in 00, without 71/81/82; type by the name's suffix "
        "(see county_counts_mca.py)",
        "counts": {str(year): count(read_list(repo, year)) for year in YEARS},
    }
    path = Path(__file__).with_name("county_counts_mca.json")
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for year, counts in out["counts"].items():
        print(year, counts)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: county_counts_mca.py PATH_TO_AREACODES (checkout or bare mirror)")
    main(Path(sys.argv[1]))
