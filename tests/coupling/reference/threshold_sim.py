"""Write threshold_sim.csv: a small simulated panel with two thresholds (shipped for tests).

Data-generating process (seed 20261204), N = 40 regions, T = 10 years:
q ~ U(0, 1), r ~ N(0, 1), x ~ N(0, 1), mu_i ~ N(0, 1), e ~ N(0, 0.5^2),
y = mu_i + 0.5 x + r * (1.0 if q <= 0.3 else 2.0 if q <= 0.7 else 0.5) + e.
The reference numbers for it come from threshold_reference.R (R's lm), not from this file.
"""

from pathlib import Path

import numpy as np
import pandas as pd


def main() -> None:
    rng = np.random.default_rng(20261204)
    n, t = 40, 10
    region = np.repeat(np.arange(1, n + 1), t)
    q, r, x = rng.uniform(size=n * t), rng.normal(size=n * t), rng.normal(size=n * t)
    mu = rng.normal(size=n)[region - 1]
    slope = np.select([q <= 0.3, q <= 0.7], [1.0, 2.0], 0.5)
    y = mu + 0.5 * x + slope * r + rng.normal(0.0, 0.5, n * t)
    frame = pd.DataFrame(
        {
            "region": region,
            "year": np.tile(np.arange(2001, 2001 + t), n),
            "y": y,
            "x": x,
            "r": r,
            "q": q,
        }
    )
    frame.round(6).to_csv(Path(__file__).with_name("threshold_sim.csv"), index=False)


if __name__ == "__main__":
    main()
