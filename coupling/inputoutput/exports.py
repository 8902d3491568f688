"""Gross exports in value added: WWZ (2013), KWW (2014) and the Leontief decomposition.

Notation (Wang, Wei and Zhu 2013, WWZ): G countries, N sectors; ``A`` the input
coefficients, ``B = (I - A)^-1`` the global Leontief inverse, ``L^ss = (I - A^ss)^-1``
the local (domestic) inverses, ``V`` value added per unit of output, ``Y^sr`` final goods
of ``s`` bought by ``r``, ``X`` output and ``E^sr = A^sr X^r + Y^sr`` the gross exports of
``s`` to ``r`` (N-vectors; ``#`` is the element-wise product and ``u`` a row of ones).

WWZ split ``E^sr`` into sixteen terms (their eq. 37), each an N-vector by exporting sector
(here the names of decompr, in decompr's order; WWZ's term number in brackets)::

    DVA_FIN       [T1]  (V^s B^ss)' # Y^sr
    DVA_INT       [T2]  (V^s L^ss)' # (A^sr B^rr Y^rr)
    DVA_INTrexI1  [T3]  (V^s L^ss)' # (A^sr sum_{t!=s,r} B^rt Y^tt)
    DVA_INTrexF   [T4]  (V^s L^ss)' # (A^sr B^rr sum_{t!=s,r} Y^rt)
    DVA_INTrexI2  [T5]  (V^s L^ss)' # (A^sr sum_{t!=s,r} B^rt sum_{u!=s,t} Y^tu)
    RDV_INT       [T8]  (V^s L^ss)' # (A^sr B^rs Y^ss)
    RDV_FIN       [T6]  (V^s L^ss)' # (A^sr B^rr Y^rs)
    RDV_FIN2      [T7]  (V^s L^ss)' # (A^sr sum_{t!=s,r} B^rt Y^ts)
    OVA_FIN       [T14] (sum_{t!=s,r} V^t B^ts)' # Y^sr
    MVA_FIN       [T11] (V^r B^rs)' # Y^sr
    OVA_INT       [T15] (sum_{t!=s,r} V^t B^ts)' # (A^sr L^rr Y^rr)
    MVA_INT       [T12] (V^r B^rs)' # (A^sr L^rr Y^rr)
    DDC_FIN       [T9]  (V^s L^ss)' # (A^sr B^rs sum_{t!=s} Y^st)
    DDC_INT       [T10] (V^s B^ss - V^s L^ss)' # (A^sr X^r)
    ODC           [T16] (sum_{t!=s,r} V^t B^ts)' # (A^sr L^rr E^r*)
    MDC           [T13] (V^r B^rs)' # (A^sr L^rr E^r*)

Koopman, Wang and Wei (2014, KWW) split a country's total exports in nine terms; their
country totals are sums of the WWZ terms (decompr's ``wwz2kww``; the identities
``sum_r V^s B^sr Y^rr = T2 + T3`` and ``sum_r V^s B^sr A^rs L^ss Y^ss = sum_r T8`` make the
two agree exactly): DVA_FIN = T1; DVA_INT = T2 + T3; DVA_INTrex = T4 + T5; RDV_FIN = T6 +
T7; RDV_INT = T8; DDC = T9 + T10; FVA_FIN = T11 + T14; FVA_INT = T12 + T15; FDC = T13 + T16.

Computation. Every intermediate term has the form ``w_(s,i) * sum_j A[(s,i),(r,j)]
q_s[(r,j)]``: a weight by exporting sector times the exporter's coefficient row applied to a
vector ``q_s`` that depends on the exporter. The vectors of all exporters are the columns of
one (GN x G) matrix built from ``B Y``, ``B`` applied to block-diagonal final demand and the
diagonal blocks of ``B`` (one product of ``B`` with a (GN x G) matrix each), and the terms
of all exporters, sectors and importers come from one contraction of ``A`` (as a
(G, N, G, N) view) with it. The cost is one inverse of ``I - A`` and a few (GN)^2 G
products; no (GN)^2 x G array is formed. decompr builds the terms with loops over countries
in R; this module is written by hand for that reason (no Python package decomposes exports).

References
----------
Wang, Z., Wei, S.-J. and Zhu, K. (2013). Quantifying international production sharing at
the bilateral and sector levels. NBER Working Paper 19677 (revised 2018).

Koopman, R., Wang, Z. and Wei, S.-J. (2014). Tracing value-added and double counting in
gross exports. *American Economic Review* 104(2), 459-494.

Quast, B. and Kummritz, V. (2015). decompr: global value chain decomposition in R. CTEI
Working Paper 2015-01 (decompr 6.8.0 is the reference of the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from spatial._core.options import check_option
from spatial._core.results import FrozenTables

if TYPE_CHECKING:
    from .tables import MRIOTable

__all__ = [
    "KWW_TERMS",
    "WWZ_TERMS",
    "WWZ_TO_KWW",
    "ExportDecomposition",
    "gross_exports",
    "kww_decomposition",
    "leontief_decomposition",
    "wwz_decomposition",
    "wwz_terms",
]

#: The sixteen WWZ terms, named and ordered as decompr names and orders them.
WWZ_TERMS: tuple[str, ...] = (
    "DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2", "RDV_INT",
    "RDV_FIN", "RDV_FIN2", "OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT", "DDC_FIN",
    "DDC_INT", "ODC", "MDC",
)  # fmt: skip

#: The nine KWW terms, in KWW's (and decompr's) order.
KWW_TERMS: tuple[str, ...] = (
    "DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT", "DDC", "FVA_FIN", "FVA_INT",
    "FDC",
)  # fmt: skip

#: Which WWZ terms make each KWW term.
WWZ_TO_KWW: dict[str, tuple[str, ...]] = {
    "DVA_FIN": ("DVA_FIN",),
    "DVA_INT": ("DVA_INT", "DVA_INTrexI1"),
    "DVA_INTrex": ("DVA_INTrexF", "DVA_INTrexI2"),
    "RDV_FIN": ("RDV_FIN", "RDV_FIN2"),
    "RDV_INT": ("RDV_INT",),
    "DDC": ("DDC_FIN", "DDC_INT"),
    "FVA_FIN": ("MVA_FIN", "OVA_FIN"),
    "FVA_INT": ("MVA_INT", "OVA_INT"),
    "FDC": ("MDC", "ODC"),
}


def _blocks(B: np.ndarray, G: int, N: int) -> np.ndarray:
    """The diagonal blocks of a (GN x GN) matrix, shape (G, N, N)."""
    return B.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :]


def _block_apply(blocks: np.ndarray, M: np.ndarray) -> np.ndarray:
    """``blockdiag(blocks) @ M`` for M of shape (GN,) or (GN, k)."""
    G, N, _ = blocks.shape
    shaped = M.reshape(G, N, -1)
    return np.einsum("gij,gjk->gik", blocks, shaped).reshape(M.shape)


def wwz_terms(
    A: np.ndarray,
    B: np.ndarray,
    local: np.ndarray,
    v: np.ndarray,
    Y: np.ndarray,
    x: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The sixteen WWZ terms of every exporter, exporting sector and importer.

    Parameters
    ----------
    A : ndarray (GN, GN)
        Input coefficients.
    B : ndarray (GN, GN)
        Global Leontief inverse ``(I - A)^-1``.
    local : ndarray (G, N, N)
        Local Leontief inverses ``(I - A^ss)^-1``.
    v : ndarray (GN,)
        Value added per unit of output.
    Y : ndarray (GN, G)
        Final demand by destination country.
    x : ndarray (GN,)
        Gross output.

    Returns
    -------
    terms : ndarray (G, N, G, 16)
        ``terms[s, i, r, k]``: term ``WWZ_TERMS[k]`` of sector ``i`` of ``s`` exporting to
        ``r`` (zero for ``r == s``).
    exports : ndarray (G, N, G)
        Gross exports ``E^sr`` by sector (zero for ``r == s``).
    """
    G, N, _ = local.shape
    GN = G * N
    A4 = A.reshape(G, N, G, N)
    own = np.arange(G)
    Bd = _blocks(B, G, N)
    y_own = Y.reshape(G, N, G)[own, :, own].reshape(GN)  # Y^ss stacked
    y_all = Y.sum(axis=1)
    y_exported = y_all - y_own  # final exports by sector

    def per_exporter(d: np.ndarray) -> np.ndarray:
        # P[:, s] = B[:, s-block] @ d[s-block]  ->  (GN, G)
        return (B.reshape(GN, G, N) * d.reshape(1, G, N)).sum(axis=2)

    P_own = per_exporter(y_own)  # B^rs Y^ss
    P_exp = per_exporter(y_exported)  # B^rs sum_{t!=s} Y^st
    BY = B @ Y  # sum_t B^rt Y^ts
    BdY = _block_apply(Bd, Y)  # B^rr Y^rs
    B_own = B @ y_own
    Bd_own = _block_apply(Bd, y_own)
    B_exp = B @ y_exported
    Bd_exp = _block_apply(Bd, y_exported)
    Bd_all = _block_apply(Bd, y_all)
    others = BY - BdY - P_own  # sum_{t!=s,r} B^rt Y^ts

    # q_s vectors (columns s), one per intermediate term weighted by V^s L^ss
    Q = {
        "DVA_INT": np.repeat(Bd_own[:, None], G, axis=1),
        "DVA_INTrexI1": B_own[:, None] - Bd_own[:, None] - P_own,
        "DVA_INTrexF": (Bd_all - Bd_own)[:, None] - BdY,
        "DVA_INTrexI2": (B_exp - Bd_exp)[:, None] - P_exp - others,
        "RDV_INT": P_own,
        "RDV_FIN": BdY,
        "RDV_FIN2": others,
        "DDC_FIN": P_exp,
    }
    VL = np.einsum("gi,gij->gj", v.reshape(G, N), local).reshape(GN)
    VB = v[:, None] * B
    VBc = VB.reshape(G, N, GN).sum(axis=1)  # (G, GN): V^t B^{t,(s,j)}
    VBd = VBc.reshape(G, G, N)[own, own, :].reshape(GN)  # V^s B^ss
    colsum = VB.sum(axis=0)  # u'V B (1 when v = x - u'Z)

    terms = np.zeros((G, N, G, len(WWZ_TERMS)))
    position = {name: k for k, name in enumerate(WWZ_TERMS)}
    for name, q in Q.items():
        applied = np.einsum("sirj,rjs->sir", A4, q.reshape(G, N, G))
        terms[..., position[name]] = VL.reshape(G, N)[:, :, None] * applied

    Z_to = (A4 * x.reshape(1, 1, G, N)).sum(axis=3)  # A^sr X^r: intermediate exports
    terms[..., position["DDC_INT"]] = (VBd - VL).reshape(G, N)[:, :, None] * Z_to

    Yfin = Y.reshape(G, N, G)
    mva = VBc.reshape(G, G, N).transpose(1, 2, 0)  # [s, i, r] = V^r B^rs (sector i of s)
    ova = (colsum - VBd).reshape(G, N)[:, :, None] - mva
    terms[..., position["DVA_FIN"]] = VBd.reshape(G, N)[:, :, None] * Yfin
    terms[..., position["MVA_FIN"]] = mva * Yfin
    terms[..., position["OVA_FIN"]] = ova * Yfin

    exports_total = Z_to.sum(axis=2) - Z_to[own, :, own] + Yfin.sum(axis=2) - Yfin[own, :, own]
    LY = np.einsum("gij,gj->gi", local, y_own.reshape(G, N))  # L^rr Y^rr
    LE = np.einsum("gij,gj->gi", local, exports_total)  # L^rr E^r*
    ALY = np.einsum("sirj,rj->sir", A4, LY)
    ALE = np.einsum("sirj,rj->sir", A4, LE)
    terms[..., position["MVA_INT"]] = mva * ALY
    terms[..., position["OVA_INT"]] = ova * ALY
    terms[..., position["MDC"]] = mva * ALE
    terms[..., position["ODC"]] = ova * ALE

    exports = Z_to + Yfin
    terms[own, :, own, :] = 0.0
    exports[own, :, own] = 0.0
    return terms, exports


@dataclass(frozen=True, repr=False)
class ExportDecomposition(FrozenTables):
    """The WWZ decomposition of gross exports.

    Attributes
    ----------
    terms : DataFrame
        Index (exporter, sector, importer), one row per exporting sector and partner
        (partner != exporter); columns the sixteen terms of :data:`WWZ_TERMS` (decompr's
        names and order) and ``exports`` (gross exports ``E^sr``; decompr's ``texp``).
    max_gap : float
        ``max |sum of the 16 terms - exports|`` over all rows: the adding-up check.
    """

    terms: pd.DataFrame
    max_gap: float

    def totals(
        self, by: Literal["exporter", "exporter_sector", "importer", "pair"] = "exporter"
    ) -> pd.DataFrame:
        """The terms summed by exporter, exporting sector, importer or country pair."""
        check_option("by", by, ("exporter", "exporter_sector", "importer", "pair"))
        levels = {
            "exporter": ["exporter"],
            "exporter_sector": ["exporter", "sector"],
            "importer": ["importer"],
            "pair": ["exporter", "importer"],
        }[by]
        return self.terms.groupby(level=levels, sort=False).sum()

    def kww(self, by: Literal["country", "sector"] = "country") -> pd.DataFrame:
        """The nine KWW terms, by exporter or by exporting sector (see :data:`WWZ_TO_KWW`)."""
        check_option("by", by, ("country", "sector"))
        summed = self.totals("exporter" if by == "country" else "exporter_sector")
        out = pd.DataFrame({k: summed[list(v)].sum(axis=1) for k, v in WWZ_TO_KWW.items()})
        out["exports"] = summed["exports"]
        return out


def wwz_decomposition(table: MRIOTable) -> ExportDecomposition:
    """Wang, Wei and Zhu (2013): the sixteen terms of bilateral exports by sector.

    Parameters
    ----------
    table : MRIOTable

    Returns
    -------
    ExportDecomposition
        The terms with decompr's names; ``max_gap`` is the largest gap between their sum
        and gross exports (a rounding-level number when output equals the row sums).

    Examples
    --------
    >>> import numpy as np
    >>> from coupling.inputoutput import MRIOTable
    >>> Z = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> Y = np.array([[5.0, 2.0], [1.0, 6.0]])
    >>> table = MRIOTable.from_arrays(Z, Y, ["A", "B"], ["s"])
    >>> result = table.wwz()
    >>> float(result.terms.loc[("A", "s", "B"), "exports"])   # 1 intermediate + 2 final
    3.0
    >>> result.max_gap < 1e-12
    True
    """
    G, N = len(table.countries), len(table.sectors)
    terms, exports = wwz_terms(table._A, table._B, table._local, table._v, table._Yd, table._x)
    full = pd.MultiIndex.from_product(
        [table.countries, table.sectors, table.countries], names=["exporter", "sector", "importer"]
    )
    keep = (np.arange(G)[:, None, None] != np.arange(G)[None, None, :]).repeat(N, axis=1)
    keep = keep.reshape(-1)
    flat = terms.reshape(G * N * G, -1)[keep]
    flat_exports = exports.reshape(-1)[keep]
    index = full[keep]
    frame = pd.DataFrame(flat, index=index, columns=list(WWZ_TERMS))
    frame["exports"] = flat_exports
    gap = float(np.abs(flat.sum(axis=1) - flat_exports).max()) if len(flat) else 0.0
    return ExportDecomposition(terms=frame, max_gap=gap)


def kww_decomposition(
    table: MRIOTable, *, by: Literal["country", "sector"] = "country"
) -> pd.DataFrame:
    """Koopman, Wang and Wei (2014): the nine terms of each country's gross exports.

    Parameters
    ----------
    table : MRIOTable
    by : {"country", "sector"}
        Country totals (KWW's decomposition) or the same sums by exporting sector (the
        sector-level terms of WWZ aggregated over partners).

    Returns
    -------
    DataFrame
        Index exporter (and sector); columns :data:`KWW_TERMS` and ``exports``.
    """
    return wwz_decomposition(table).kww(by)


def leontief_decomposition(
    table: MRIOTable, *, post: Literal["exports", "output", "final_demand"] = "exports"
) -> pd.DataFrame:
    """Value added by source in exports, output or final demand (decompr's ``leontief``).

    ``diag(V) B diag(E)`` (``post="exports"``, E = total gross exports of each
    country-sector), ``diag(V) B diag(X)`` (``"output"``) or ``diag(V) B Y``
    (``"final_demand"``, Y by destination country): entry ((t, i), (s, j)) is the value
    added of sector ``i`` of ``t`` embodied in the exports (output) of sector ``j`` of ``s``,
    or in the final goods bought by destination ``s``. Column sums are the exports (output,
    final demand) themselves when value added is ``x' - u'Z``.

    Returns
    -------
    DataFrame
        Rows: source (country, sector); columns: using (country, sector), or destination
        country for ``"final_demand"``.
    """
    check_option("post", post, ("exports", "output", "final_demand"))
    VB = table._v[:, None] * table._B
    index = table.index.set_names(["source_country", "source_sector"])
    if post == "final_demand":
        return pd.DataFrame(
            VB @ table._Yd, index=index, columns=pd.Index(table.countries, name="destination")
        )
    weights = table._x if post == "output" else gross_exports(table)
    columns = table.index.set_names(["country", "sector"])
    return pd.DataFrame(VB * weights[None, :], index=index, columns=columns)


def gross_exports(table: MRIOTable) -> np.ndarray:
    """Total gross exports ``E^s* = sum_{r != s} (Z^sr u + Y^sr)`` of every country-sector."""
    G, N = len(table.countries), len(table.sectors)
    Z4 = table._Z.reshape(G, N, G, N)
    Yg = table._Yd.reshape(G, N, G)
    own = np.arange(G)
    return (
        Z4.sum(axis=(2, 3)) - Z4[own, :, own, :].sum(axis=2) + Yg.sum(axis=2) - Yg[own, :, own]
    ).reshape(-1)
