"""Tables shared by the value-chain tests: decompr's and exvatools' test tables (read from
``../shared``) and small random world tables (always available)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coupling.inputoutput import MRIOTable
from tests.shared_data import shared_path

REFERENCE = Path(__file__).with_name("reference")

LEATHER_COUNTRIES = ["Argentina", "Turkey", "Germany"]
LEATHER_SECTORS = ["Agriculture", "Textile_and_Leather", "Transport_Equipment"]


def random_mrio(G: int, N: int, seed: int, *, K: int = 1) -> MRIOTable:
    """A world table with positive flows, column sums of A near 0.5 and output the row sums."""
    rng = np.random.default_rng(seed)
    Z = rng.uniform(0.1, 1.0, (G * N, G * N))
    Z[np.kron(np.eye(G), np.ones((N, N))) > 0] *= 4.0  # heavier domestic blocks
    Y = rng.uniform(0.5, 2.0, (G * N, G * K))
    x = Z.sum(1) + Y.sum(1)
    Z *= 0.5 * x[None, :] / Z.sum(0)[None, :] * rng.uniform(0.6, 1.0, G * N)[None, :]
    return MRIOTable.from_arrays(
        Z,
        Y,
        [f"C{g}" for g in range(G)],
        [f"s{i}" for i in range(N)],
        categories=None if K == 1 else [f"k{k}" for k in range(K)],
    )


@pytest.fixture(scope="session")
def leather() -> MRIOTable:
    """decompr's 3 x 3 example table (``shared/data/decompr_leather``), output as given."""
    frame = pd.read_csv(shared_path("decompr_leather", "leather_iot.csv")).set_index("row")
    return MRIOTable.from_arrays(
        frame.iloc[:, :9].to_numpy(),
        frame.iloc[:, 9:12].to_numpy(),
        LEATHER_COUNTRIES,
        LEATHER_SECTORS,
        output=frame["output"].to_numpy(),
    )


@pytest.fixture(scope="session")
def wiodtest() -> MRIOTable:
    """exvatools' random WIOD-type table: 6 countries x 3 sectors, 2 final-demand categories,
    output the row sums (``shared/data/gvc_testtables``)."""
    frame = pd.read_csv(shared_path("gvc_testtables", "wiodtest_iot.csv")).set_index("row")
    countries = list(dict.fromkeys(c.split("_")[0] for c in frame.index))
    sectors = list(dict.fromkeys(c.split("_")[1] for c in frame.index))
    return MRIOTable.from_arrays(
        frame.iloc[:, :18].to_numpy(),
        frame.iloc[:, 18:].to_numpy(),
        countries,
        sectors,
        categories=["CONS", "INVST"],
    )


@pytest.fixture(scope="session")
def wiot2011() -> MRIOTable:
    """The WIOD 2013 release world table of 2011 (41 x 35), output the row sums."""
    from coupling.inputoutput import read_wiod

    return read_wiod(shared_path("wiod2013", "wiot_2011.npz"), zero_output="zero")
