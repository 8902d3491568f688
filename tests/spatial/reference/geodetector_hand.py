"""Hand-worked geographical-detector examples in exact arithmetic (pure Python, Fractions).

Run: ``python tests/spatial/reference/geodetector_hand.py`` (writes geodetector_hand.json).

q = 1 - SSW/SST (Wang et al. 2010) with exact fractions; one-unit strata kept ("keep") or
their units dropped from the partition ("drop", as gdverse and the Python package
geodetector). Interaction types by the table of Wang and Xu (2017, Acta Geographica Sinica
72(1): 116-134): q12 < min -> nonlinear weaken; min <= q12 <= max -> uni-variable weaken;
max < q12 < q1 + q2 -> bi-variable enhance; q12 = q1 + q2 -> independent; q12 > q1 + q2 ->
nonlinear enhance. The weaken examples are the first of a fixed list of small designs
(X2 without one-unit strata) whose exact q values fall in those ranges (they need "drop":
with every unit kept, the intersection refines both partitions and q12 >= max(q1, q2)).
"""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product
from pathlib import Path


def q_value(y, x, drop=False):
    groups: dict = {}
    for yi, xi in zip(y, x):
        groups.setdefault(xi, []).append(Fraction(yi))
    if drop:
        groups = {k: v for k, v in groups.items() if len(v) >= 2}
    values = [v for g in groups.values() for v in g]
    mean = sum(values) / len(values)
    sst = sum((v - mean) ** 2 for v in values)
    ssw = sum(sum((v - sum(g) / len(g)) ** 2 for v in g) for g in groups.values())
    return 1 - ssw / sst


def kind(q1, q2, q12):
    if q12 < min(q1, q2):
        return "nonlinear weaken"
    if q12 <= max(q1, q2):
        return "uni-variable weaken"
    if q12 < q1 + q2:
        return "bi-variable enhance"
    if q12 == q1 + q2:
        return "independent"
    return "nonlinear enhance"


def case(name, y, x1, x2, drop=False):
    q1, q2 = q_value(y, x1, drop), q_value(y, x2, drop)
    q12 = q_value(y, [f"{a}{b}" for a, b in zip(x1, x2)], drop)
    return {
        "name": name,
        "y": y,
        "x1": list(x1),
        "x2": list(x2),
        "singletons": "drop" if drop else "keep",
        "q1": str(q1),
        "q2": str(q2),
        "q12": str(q12),
        "type": kind(q1, q2, q12),
    }


def main() -> None:
    cases = [
        case("1..6 by halves and thirds", [1, 2, 3, 4, 5, 6], "aaabbb", "abcabc"),
        case("additive 2x2", [-1, 1, 3, 5, 1, 3, 5, 7], "aaaabbbb", "aabbaabb"),
        case("xor 2x2", [-1, 1, 3, 5, 3, 5, -1, 1], "aaaabbbb", "aabbaabb"),
        case("correlated", [1, 2, 3, 4, 5, 6, 7, 8], "aaaabbbb", "aaabbbbb"),
    ]
    y = [1, 4, 2, 8, 5, 7, 3, 6, 9]
    x1 = "aaabbbccc"
    wanted = {"nonlinear weaken", "uni-variable weaken"}
    for pattern in product("abc", repeat=len(y)):
        if len(set(pattern)) < 2 or min(pattern.count(c) for c in set(pattern)) < 2:
            continue  # X2 itself without one-unit strata
        if not wanted:
            break
        x2 = "".join(pattern)
        c = case(f"weaken search {x2}", y, x1, x2, drop=True)
        if c["type"] in wanted:
            wanted.discard(c["type"])
            cases.append(c)
    Path(__file__).with_name("geodetector_hand.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()
