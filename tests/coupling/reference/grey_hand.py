"""Hand-worked grey relational analysis: exact fractions, pure Python.

No numpy and no project code: Deng's formulas written out on ``fractions.Fraction``, so
every coefficient and degree is an exact rational number, a second route to the numbers
:func:`coupling.drivers.grey.grey_relational` must reproduce. Regenerate ``grey_hand.json``::

    python tests/coupling/reference/grey_hand.py

Panel: regions a, b, c x years 1, 2, 3; reference D and factors f1, f2 (values in RAW).
For every sequence (the years of a region, the regions of a year, or all nine
region-years) each series is normalized (divided by its first value or its mean, or
min-max scaled), then Delta_i(k) = |x0(k) - xi(k)| and, with m and M the minimum and
maximum of Delta over both factors and every point of the sequence,
xi_i(k) = (m + rho M) / (Delta_i(k) + rho M) and r_i = mean_k xi_i(k).

A worked case, by="region", normalization="mean", rho=1/2, region a:
D = (2, 4, 6), mean 4 -> (1/2, 1, 3/2); f1 = (1, 2, 4), mean 7/3 -> (3/7, 6/7, 12/7);
f2 = (6, 4, 2), mean 4 -> (3/2, 1, 1/2). Delta f1 = (1/14, 1/7, 3/14), Delta f2 = (1, 0, 1):
m = 0, M = 1, rho M = 1/2; xi f1 = (1/2)/(1/14 + 1/2) = 7/8, (1/2)/(1/7 + 1/2) = 7/9,
(1/2)/(3/14 + 1/2) = 7/10; xi f2 = 1/3, 1, 1/3. Degrees
r1 = (7/8 + 7/9 + 7/10)/3 = 7 (121/360)/3 = 847/1080
and r2 = 5/9.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

REGIONS = ["a", "b", "c"]
YEARS = [1, 2, 3]
# RAW[series][region] = values in years 1, 2, 3
RAW = {
    "D": {"a": [2, 4, 6], "b": [3, 3, 5], "c": [1, 2, 2]},
    "f1": {"a": [1, 2, 4], "b": [2, 4, 5], "c": [3, 1, 2]},
    "f2": {"a": [6, 4, 2], "b": [5, 5, 4], "c": [2, 3, 5]},
}
FACTORS = ["f1", "f2"]
RHOS = [Fraction(1, 2), Fraction(1, 4), Fraction(1)]


def normalize(seq: list[Fraction], how: str) -> list[Fraction]:
    if how == "initial":
        return [v / seq[0] for v in seq]
    if how == "mean":
        mean = sum(seq) / len(seq)
        return [v / mean for v in seq]
    lo, hi = min(seq), max(seq)
    return [(v - lo) / (hi - lo) for v in seq]


def sequences(by: str) -> dict[str, list[tuple[str, int]]]:
    """The (region, year) points of each sequence, in order."""
    if by == "region":
        return {r: [(r, y) for y in YEARS] for r in REGIONS}
    if by == "year":
        return {str(y): [(r, y) for r in REGIONS] for y in YEARS}
    return {"all": [(r, y) for r in REGIONS for y in YEARS]}


def value(series: str, region: str, year: int) -> Fraction:
    return Fraction(RAW[series][region][YEARS.index(year)])


def case(by: str, how: str, rho: Fraction) -> dict[str, object]:
    coefficients: dict[str, str] = {}
    degrees: dict[str, dict[str, str]] = {}
    for label, points in sequences(by).items():
        norm = {s: normalize([value(s, r, y) for r, y in points], how) for s in ["D", *FACTORS]}
        delta = {f: [abs(a - b) for a, b in zip(norm["D"], norm[f])] for f in FACTORS}
        every = [d for f in FACTORS for d in delta[f]]
        m, big = min(every), max(every)
        xi = {f: [(m + rho * big) / (d + rho * big) for d in delta[f]] for f in FACTORS}
        degrees[label] = {f: str(sum(xi[f]) / len(xi[f])) for f in FACTORS}
        for f in FACTORS:
            for (r, y), c in zip(points, xi[f]):
                coefficients[f"{r}|{y}|{f}"] = str(c)
    overall = {
        f: str(sum(Fraction(d[f]) for d in degrees.values()) / len(degrees)) for f in FACTORS
    }
    return {
        "by": by,
        "normalization": how,
        "rho": str(rho),
        "coefficients": coefficients,
        "degrees": degrees,
        "overall": overall,
    }


def main() -> None:
    cases = []
    for by in ("region", "year", "panel"):
        for how in ("mean", "minmax", "initial"):
            if how == "initial" and by != "region":
                continue  # the first region of a cross-section is arbitrary
            for rho in RHOS:
                cases.append(case(by, how, rho))
    worked = case("region", "mean", Fraction(1, 2))["degrees"]["a"]  # type: ignore[index]
    assert worked == {"f1": "847/1080", "f2": "5/9"}, worked  # the docstring's hand work
    out = {
        "source": "hand-worked with fractions.Fraction: tests/coupling/reference/grey_hand.py",
        "regions": REGIONS,
        "years": YEARS,
        "raw": RAW,
        "cases": cases,
    }
    path = Path(__file__).with_suffix(".json")
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
