"""Hand-worked toy panel: every intermediate of the entropy coupling pipeline.

Pure Python (``math`` only, no numpy and no project code): a second, independent
route to the numbers the package must reproduce. Run it to regenerate
``toy_panel.json``::

    python tests/coupling/reference/toy_panel.py

Three regions (A, B, C) x two years (1, 2); manufacturing = m1 (+), m2 (-);
services = s1 (+), s2 (+). Standardization is pooled over the six region-years,
so z takes the exact values written in ``Z_SHIFT0`` before the shift.
Formulas: entropy weights (Shannon entropy with 0 ln 0 = 0), U = sum w z,
C = 2 sqrt(U1 U2) / (U1 + U2), T = (U1 + U2)/2, D = sqrt(C T), ten tiers [a, b).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

ROWS = [("A", 1), ("B", 1), ("C", 1), ("A", 2), ("B", 2), ("C", 2)]
RAW = {
    "m1": [10, 20, 30, 20, 40, 50],
    "m2": [3, 5, 1, 4, 2, 1],
    "s1": [2, 1, 3, 2, 3, 5],
    "s2": [100, 200, 200, 300, 100, 500],
}
DIRECTION = {"m1": "+", "m2": "-", "s1": "+", "s2": "+"}
SUBSYSTEM = {"manufacturing": ["m1", "m2"], "services": ["s1", "s2"]}
# (x - min)/(max - min) for + and (max - x)/(max - min) for -, worked by hand:
# m1: min 10, max 50 -> 0, 1/4, 1/2, 1/4, 3/4, 1
# m2: min 1, max 5, negative -> (5 - x)/4 = 1/2, 0, 1, 1/4, 3/4, 1
# s1: min 1, max 5 -> (x - 1)/4 = 1/4, 0, 1/2, 1/4, 1/2, 1
# s2: min 100, max 500 -> (x - 100)/400 = 0, 1/4, 1/4, 1/2, 0, 1
Z_SHIFT0 = {
    "m1": [0, 0.25, 0.5, 0.25, 0.75, 1],
    "m2": [0.5, 0, 1, 0.25, 0.75, 1],
    "s1": [0.25, 0, 0.5, 0.25, 0.5, 1],
    "s2": [0, 0.25, 0.25, 0.5, 0, 1],
}
TIERS = [
    "extreme imbalance", "severe imbalance", "moderate imbalance", "mild imbalance",
    "on the verge of imbalance", "barely coordinated", "primary coordination",
    "intermediate coordination", "good coordination", "high-quality coordination",
]  # fmt: skip


def standardized(name: str, shift: float) -> list[float]:
    values = RAW[name]
    lo, hi = min(values), max(values)
    if DIRECTION[name] == "+":
        z = [(v - lo) / (hi - lo) for v in values]
    else:
        z = [(hi - v) / (hi - lo) for v in values]
    assert z == Z_SHIFT0[name], name  # the hand-worked fractions above
    return [v + shift for v in z]


def pipeline(shift: float) -> dict[str, object]:
    n = len(ROWS)
    z = {name: standardized(name, shift) for name in RAW}
    p = {name: [v / sum(col) for v in col] for name, col in z.items()}
    e = {name: -sum(q * math.log(q) for q in col if q > 0) / math.log(n) for name, col in p.items()}
    d = {name: 1 - e[name] for name in e}
    w = {}
    for members in SUBSYSTEM.values():
        total = sum(d[m] for m in members)
        w.update({m: d[m] / total for m in members})
    u = {
        sub: [sum(w[m] * z[m][i] for m in members) for i in range(n)]
        for sub, members in SUBSYSTEM.items()
    }
    u1, u2 = u["manufacturing"], u["services"]
    c = [2 * math.sqrt(a * b) / (a + b) for a, b in zip(u1, u2)]
    t = [(a + b) / 2 for a, b in zip(u1, u2)]
    dd = [math.sqrt(ci * ti) for ci, ti in zip(c, t)]
    c_wang = [math.sqrt((1 - abs(a - b)) * min(a, b) / max(a, b)) for a, b in zip(u1, u2)]
    c_fan = [1 - abs(a - b) for a, b in zip(u1, u2)]
    tier = [TIERS[math.floor(v * 10)] if v < 1 else TIERS[-1] for v in dd]
    ratio = [a / b for a, b in zip(u1, u2)]
    lag = [
        "manufacturing lags" if r < 0.9 else "services lags" if r > 1.1 else "synchronous"
        for r in ratio
    ]
    return {
        "shift": shift, "rows": ROWS, "z": z, "p": p, "e": e, "d": d, "w": w,
        "U": u, "C": c, "T": t, "D": dd, "tier": tier, "E": ratio, "lag_type": lag,
        "D_wang2021": [math.sqrt(ci * ti) for ci, ti in zip(c_wang, t)],
        "D_fan2024": [math.sqrt(ci * ti) for ci, ti in zip(c_fan, t)],
    }  # fmt: skip


if __name__ == "__main__":
    out = {"raw": RAW, "directions": DIRECTION, "subsystems": SUBSYSTEM,
           "cases": [pipeline(0.0), pipeline(1e-4)]}  # fmt: skip
    target = Path(__file__).with_name("toy_panel.json")
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")
