"""A simulated spatial lag panel for the Hausman tests, written for splm to read.

Run: ``.venv/bin/python tests/spatial/models/reference/hausman_simulated.py`` (numpy only).
Writes ``hausman_simulated.csv`` (region 0..48, year 2001..2005, x1, x2, y_re, y_fe) and
``hausman_simulated_w.csv`` (the 49 x 49 binary rook contiguity of a 7 x 7 lattice, cells
numbered row by row) next to this file; ``splm_hausman.R`` fits splm's ``sphtest`` on them.

Data-generating process, seed 2: ``x_it = xbar_i + 0.5 e_it`` (two regressors, ``xbar_i``
and ``e_it`` standard normal), ``y_t = (I - 0.4 W)^-1 (X_t (1, -0.5)' + mu + eps_t)`` with
``W`` the row-standardized lattice and ``eps`` standard normal. ``y_re``: ``mu_i`` drawn
independently, N(0, 0.49) (random effects hold). ``y_fe``: ``mu_i = xbar_i1 + 0.7 v_i``
(the effects are correlated with the regressors; random effects inconsistent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIDE, PERIODS, SEED = 7, 5, 2


def lattice(side: int) -> np.ndarray:
    """Binary rook contiguity of a ``side x side`` grid."""
    n = side * side
    c = np.zeros((n, n))
    for i in range(side):
        for j in range(side):
            k = i * side + j
            if j + 1 < side:
                c[k, k + 1] = c[k + 1, k] = 1.0
            if i + 1 < side:
                c[k, k + side] = c[k + side, k] = 1.0
    return c


def main() -> None:
    c = lattice(SIDE)
    n = c.shape[0]
    w = c / c.sum(axis=1, keepdims=True)
    rng = np.random.default_rng(SEED)
    xbar = rng.normal(size=(n, 2))
    x = xbar[None] + 0.5 * rng.normal(size=(PERIODS, n, 2))
    mu_re = 0.7 * rng.normal(size=n)
    eps = rng.normal(size=(PERIODS, n))
    mu_fe = xbar[:, 0] + 0.7 * rng.normal(size=n)
    solve = np.linalg.inv(np.eye(n) - 0.4 * w)
    beta = np.array([1.0, -0.5])
    y_re = np.stack([solve @ (x[t] @ beta + mu_re + eps[t]) for t in range(PERIODS)])
    y_fe = np.stack([solve @ (x[t] @ beta + mu_fe + eps[t]) for t in range(PERIODS)])
    rows = ["region,year,x1,x2,y_re,y_fe"]
    for i in range(n):
        for t in range(PERIODS):
            values = (x[t, i, 0], x[t, i, 1], y_re[t, i], y_fe[t, i])
            rows.append(f"{i},{2001 + t}," + ",".join(repr(float(v)) for v in values))
    (HERE / "hausman_simulated.csv").write_text("\n".join(rows) + "\n")
    matrix = "\n".join(",".join(str(int(v)) for v in row) for row in c)
    (HERE / "hausman_simulated_w.csv").write_text(matrix + "\n")


if __name__ == "__main__":
    main()
