"""Shared fixtures and data helpers of the spatial tests.

Data: the Baltagi cigarette demand panel (46 US states x 1963-1992) with Elhorst's binary
contiguity matrix of those states and Munnell's production panel with splm's ``usaww``, from
``shared/data/us_spatial_panel`` beside the clone (see its SOURCE.md), and simulated spatial
Durbin panels on a rook lattice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from spatial import SpatialWeights
from tests.shared_data import shared_path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "us_spatial_panel"
REFERENCE = Path(__file__).with_name("reference")
CIGAR_FILES = ("Cigar.csv", "spat_sym_us_46.csv")


def _cigar_folder() -> Path:
    """The folder holding the cigarette panel and its W, or a skip."""
    for folder in (SHARED, REFERENCE):
        if all((folder / name).is_file() for name in CIGAR_FILES):
            return folder
    pytest.skip(
        f"The cigarette panel is missing: expected {', '.join(CIGAR_FILES)} in {SHARED} "
        f"(shared/ beside the clone) or in {REFERENCE}."
    )


@pytest.fixture(scope="session")
def cigar_raw() -> pd.DataFrame:
    """Cigar.csv as stored (state code, year 63..92, price, cpi, ndi, sales, ...)."""
    return pd.read_csv(_cigar_folder() / "Cigar.csv")


@pytest.fixture(scope="session")
def cigar_w(cigar_raw: pd.DataFrame) -> SpatialWeights:
    """Row-standardized contiguity of the 46 states, ids = sorted state codes."""
    binary = np.loadtxt(_cigar_folder() / "spat_sym_us_46.csv", delimiter=",")
    ids = sorted(cigar_raw["state"].unique().tolist())
    return SpatialWeights.from_sparse(binary, ids=ids).standardize("row")


@pytest.fixture(scope="session")
def cigar(cigar_raw: pd.DataFrame) -> pd.DataFrame:
    """Cigarette demand in logs: state, year, logc, logp (real price), logy (real income)."""
    return pd.DataFrame(
        {
            "state": cigar_raw["state"].to_numpy(),
            "year": cigar_raw["year"].to_numpy(),
            "logc": np.log(cigar_raw["sales"].to_numpy()),
            "logp": np.log((cigar_raw["price"] / cigar_raw["cpi"]).to_numpy()),
            "logy": np.log((cigar_raw["ndi"] / cigar_raw["cpi"]).to_numpy()),
        }
    )


@pytest.fixture(scope="session")
def produc_frame() -> tuple[pd.DataFrame, SpatialWeights]:
    """Munnell's production panel (48 states x 1970-1986) in logs with splm's ``usaww``."""
    frame = pd.read_csv(shared_path("us_spatial_panel", "Produc.csv"))
    ww = pd.read_csv(shared_path("us_spatial_panel", "usaww.csv"), index_col=0)
    w = SpatialWeights.from_sparse(ww.to_numpy(), ids=list(ww.index))
    data = pd.DataFrame({
        "state": frame["state"], "year": frame["year"], "lgsp": np.log(frame["gsp"]),
        "lpcap": np.log(frame["pcap"]), "lpc": np.log(frame["pc"]),
        "lemp": np.log(frame["emp"]), "unemp": frame["unemp"],
    })  # fmt: skip
    return data, w


def lattice_matrix(side: int) -> sparse.csr_matrix:
    """Binary rook contiguity of a ``side x side`` grid, cells numbered row by row."""
    cells = np.arange(side * side).reshape(side, side)
    left, right = cells[:, :-1].ravel(), cells[:, 1:].ravel()
    top, bottom = cells[:-1, :].ravel(), cells[1:, :].ravel()
    rows = np.concatenate([left, right, top, bottom])
    cols = np.concatenate([right, left, bottom, top])
    n = side * side
    return sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))


def lattice_w(side: int = 7, *, standardize: bool = True) -> SpatialWeights:
    """Rook-contiguity W on a ``side x side`` lattice with ids ``0..N-1``, row-standardized."""
    w = SpatialWeights.from_sparse(lattice_matrix(side), ids=range(side * side))
    return w.standardize("row") if standardize else w


def simulate_sdm(
    w: SpatialWeights,
    t: int,
    rho: float,
    beta: Sequence[float],
    theta: Sequence[float],
    seed: int,
    effects: str = "twoways",
) -> pd.DataFrame:
    """One draw of ``y_t = (I - rho W)^{-1}(X_t beta + W X_t theta + mu + xi_t + eps_t)``.

    ``X`` has two standard normal columns, ``mu`` (entity effects, with ``effects`` in
    ``individual``/``twoways``), ``xi`` (period effects, with ``time``/``twoways``) and the
    errors are N(0, 1). Returns the long panel: ``id`` (W's ids), ``t`` (0..T-1), y, x1, x2.
    """
    rng = np.random.default_rng(seed)
    n = w.n
    x = rng.standard_normal((t, n, 2))
    mu = rng.standard_normal(n) if effects in ("individual", "twoways") else np.zeros(n)
    xi = rng.standard_normal(t) if effects in ("time", "twoways") else np.zeros(t)
    eps = rng.standard_normal((t, n))
    mat = w.matrix
    lu = sparse_linalg.splu(sparse.csc_matrix(sparse.identity(n) - rho * mat))
    y = np.empty((t, n))
    for period in range(t):
        wx = mat @ x[period]
        rhs = x[period] @ np.asarray(beta) + wx @ np.asarray(theta) + mu + xi[period]
        y[period] = lu.solve(rhs + eps[period])
    ids = np.asarray(w.ids)
    return pd.DataFrame(
        {
            "id": np.tile(ids, t),
            "t": np.repeat(np.arange(t), n),
            "y": y.ravel(),
            "x1": x[:, :, 0].ravel(),
            "x2": x[:, :, 1].ravel(),
        }
    )
