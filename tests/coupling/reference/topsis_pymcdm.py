"""TOPSIS reference values from pymcdm, an established implementation.

Source: pymcdm 1.4.0 (``pymcdm.methods.TOPSIS``, numpy 2.4.6), installed from PyPI into a
throwaway virtual environment outside the repository; no project code is imported. Regenerate::

    python -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install pymcdm==1.4.0
    /tmp/refvenv/bin/python tests/coupling/reference/topsis_pymcdm.py

Cases (written to ``topsis_pymcdm.json``):

* ``fighter``: the fighter-aircraft example of Hwang and Yoon (1981, *Multiple Attribute
  Decision Making*, Springer, TOPSIS chapter): 4 aircraft x 6 attributes, acquisition cost
  the only cost attribute, weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3). Closeness with vector
  normalization (the book's) and min-max normalization. The book's closeness, to three
  decimals, is 0.643, 0.268, 0.613, 0.312 (as the example is reproduced in the MCDM
  literature; the printed page was not available here to check): pymcdm agrees.
* ``entropy_panel``: 5 regions x 3 years, indicators a (+), b (-), c (+), d (+). Entropy
  weights are computed here on an independent route (min-max standardization by direction
  plus a shift of 1e-4, p = z / sum z, e = -sum p ln p / ln n, w = (1 - e) / sum(1 - e),
  written out below with numpy), pooled over the 15 region-years and year by year; then
  pymcdm's TOPSIS (min-max normalization, weighted normalized matrix v = w r, Euclidean
  distances) gives the closeness. The ``weighted_euclidean`` distance
  sqrt(sum w (r - r*)^2) equals pymcdm's distance with weights sqrt(w), since closeness
  does not change when all weights are rescaled.

pymcdm's own entropy weights are not used: they are computed on the raw values without
the direction and min-max step of the coupling literature.
"""

from __future__ import annotations

import json
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

FIGHTER = {
    "alternatives": ["A1", "A2", "A3", "A4"],
    "attributes": ["speed", "range", "payload", "cost", "reliability", "maneuverability"],
    "types": [1, 1, 1, -1, 1, 1],
    "weights": [0.2, 0.1, 0.1, 0.1, 0.2, 0.3],
    "matrix": [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ],
    "published_closeness_vector": [0.643, 0.268, 0.613, 0.312],
}

PANEL = {
    "regions": ["r1", "r2", "r3", "r4", "r5"],
    "years": [2001, 2002, 2003],
    "indicators": ["a", "b", "c", "d"],
    "types": [1, -1, 1, 1],
    # rows: year-major, regions r1..r5 within each year
    "matrix": [
        [3.0, 12.0, 0.5, 40.0],
        [5.0, 9.0, 0.7, 55.0],
        [2.0, 15.0, 0.2, 30.0],
        [8.0, 7.0, 0.9, 90.0],
        [4.0, 11.0, 0.4, 35.0],
        [4.0, 11.0, 0.6, 45.0],
        [6.0, 8.5, 0.8, 60.0],
        [2.5, 14.0, 0.3, 28.0],
        [9.0, 6.0, 1.1, 95.0],
        [4.5, 10.0, 0.5, 50.0],
        [5.0, 10.0, 0.7, 52.0],
        [7.0, 8.0, 0.9, 70.0],
        [3.0, 13.0, 0.35, 33.0],
        [10.0, 5.5, 1.2, 99.0],
        [5.5, 9.5, 0.45, 58.0],
    ],
    "shift": 1e-4,
}


def entropy(x: np.ndarray, types: np.ndarray, shift: float) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    z = np.where(types > 0, (x - lo) / (hi - lo), (hi - x) / (hi - lo)) + shift
    p = z / z.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(len(x))
    return (1 - e) / (1 - e).sum()


def main() -> None:
    from pymcdm import normalizations  # the reference, installed outside the project
    from pymcdm.methods import TOPSIS

    warnings.simplefilter("ignore", UserWarning)  # pymcdm notes dominant alternatives
    f = {k: np.asarray(v, dtype=float) for k, v in FIGHTER.items() if k in ("matrix", "weights")}
    types = np.asarray(FIGHTER["types"])
    fighter = dict(FIGHTER)
    for name, norm in (("vector", normalizations.vector_normalization),
                       ("minmax", normalizations.minmax_normalization)):  # fmt: skip
        method = TOPSIS(norm)
        p = method(f["matrix"], f["weights"], types)
        *_, d_minus, d_plus, p_again = method._method(f["matrix"], f["weights"], types)
        assert np.array_equal(p, p_again)
        fighter[f"d_plus_{name}"] = d_plus.tolist()
        fighter[f"d_minus_{name}"] = d_minus.tolist()
        fighter[f"closeness_{name}"] = p.tolist()
    x = np.asarray(PANEL["matrix"])
    ptypes = np.asarray(PANEL["types"])
    shift = PANEL["shift"]
    panel = dict(PANEL)
    topsis = TOPSIS(normalizations.minmax_normalization)
    w = entropy(x, ptypes, shift)
    panel["entropy_weights_panel"] = w.tolist()
    panel["closeness_panel"] = topsis(x, w, ptypes).tolist()
    panel["closeness_panel_weighted_euclidean"] = topsis(
        x, np.sqrt(w) / np.sqrt(w).sum(), ptypes
    ).tolist()
    by_year, weights_by_year = [], []
    for t in range(3):
        block = x[5 * t : 5 * t + 5]
        wt = entropy(block, ptypes, shift)
        weights_by_year.append(wt.tolist())
        by_year += topsis(block, wt, ptypes).tolist()
    panel["entropy_weights_by_period"] = weights_by_year
    panel["closeness_by_period"] = by_year
    out = {
        "source": f"pymcdm {version('pymcdm')} (numpy {np.__version__}); "
        "tests/coupling/reference/topsis_pymcdm.py",
        "fighter": fighter,
        "entropy_panel": panel,
    }
    path = Path(__file__).with_suffix(".json")
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
