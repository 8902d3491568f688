"""Reference numbers of the Python package geodetector 0.2.0 (PyPI, MIT, Lv Yaqiao).

Run from the repository root with the test dependencies installed:

    .venv/bin/python tests/spatial/reference/geodetector_package.py

It writes ``geodetector_package.json`` next to this file:

- ``disease``: the package's bundled ``disease.csv`` (the neural-tube-defects data of Wang et
  al. 2010: ``incidence`` per 1,000 births in 185 villages of Heshun; ``type`` = soil type,
  ``region`` = watershed, ``level`` = elevation class, the ``soiltype``, ``watershed`` and
  ``elevation`` of the R package geodetector's ``CollectData``), through ``GeoDetector``:
  factor q and p, interaction q12 and type codes, Welch t tests of the risk detector and the
  ecological F tests. The package drops the units of one-unit strata (``singletons="drop"``).
- ``opgd``: ``OptimalDiscretizer`` (methods quantile, equal, jenks; 3..8 classes) on a
  simulated cross-section of 150 units (seed 20240607), with the data.
"""

from __future__ import annotations

import json
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from geodetector import GeoDetector, OptimalDiscretizer
from geodetector.dataset import load_disease


def simulated() -> pd.DataFrame:
    rng = np.random.default_rng(20240607)
    n = 150
    x1 = rng.lognormal(size=n)
    x2 = rng.normal(size=n)
    y = np.where(x1 > 1.5, 2.0, 0.0) + np.round(x2, 0) + rng.normal(scale=0.5, size=n)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2})


def main() -> None:
    out: dict = {"source": f"geodetector {version('geodetector')} (PyPI)"}
    data = load_disease()
    factors = ["type", "region", "level"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gd = GeoDetector(factors=factors, target="incidence").fit(data)
    out["disease"] = {
        "factor": {r.variable: {"q": r.q_value, "p": r.p_value} for r in gd.q_values_.itertuples()},
        "interaction": {
            f"{a}|{b}": {
                "q12": float(gd.interaction_q_.loc[a, b]),
                "type": int(gd.interaction_type_.loc[a, b]),
            }
            for i, a in enumerate(factors)
            for b in factors[i + 1 :]
        },
        "risk": {
            f: [
                [int(r.stratum_1), int(r.stratum_2), float(r.t_stat), float(r.p_value)]
                for r in table.itertuples()
            ]
            for f, table in gd.risk_result_.items()
        },
        "ecological": {
            f"{r.factor_1}|{r.factor_2}": {"F": r.f_stat, "p": r.p_value}
            for r in gd.ecological_result_.itertuples()
        },
    }
    sim = simulated()
    od = OptimalDiscretizer(discretize_methods=["quantile", "equal", "jenks"], k_range=(3, 8))
    od.fit(sim[["x1", "x2"]], sim["y"])
    out["opgd"] = {
        "data": {c: sim[c].tolist() for c in sim.columns},
        "chosen": {
            f: {
                "method": od.best_method_[f],
                "k": int(od.best_k_[f]),
                "q": float(od.best_q_[f]),
                "bins": [float(b) for b in od.bins_[f]],
            }
            for f in ["x1", "x2"]
        },
    }
    path = Path(__file__).with_name("geodetector_package.json")
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
