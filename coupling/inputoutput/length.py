"""Production length, its segments, the GVC position index, upstreamness and downstreamness.

Wang, Wei, Yu and Zhu (2017b) measure the average number of production stages between the
value added of a sector and the final goods it ends in. Counting every producing sector on
the way (the first included), value added ``V B Y`` induces gross output ``V B B Y``
(``B B = sum_k (k + 1) A^k``), so the average length is their ratio. With ``B = L + L A^F B``
it splits exactly as the value added does (:mod:`coupling.inputoutput.participation`):

    V B B Y = V L L Y^D + V L L Y^F + (V L L A^F B Y + V L A^F B B Y),

the last bracket being the output induced by GVC activities, whose first term counts the
stages before the first border crossing (the domestic segment, in the country where the value
added is created) and whose second counts those after it (the international segment). The
backward lengths sum the same matrices by columns: their two segments are the same stretches
of the same paths (before and after the first crossing), seen from the final good.
Forward lengths are row sums over row sums (``PLv = (V B B Y) u / (V B Y) u``: from the
value added of a sector onward), backward lengths column sums over column sums
(``PLy = u'(V B B Y) / u'(V B Y)``: upstream from a final product). The GVC position index
(Wang et al. 2017b) is the ratio of the
forward to the backward GVC length, ``GVCPs = PLv_GVC / PLy_GVC``: a sector whose value added
travels further to final goods than its final goods travel back to primary inputs is
upstream.

Row sums need no (GN x GN) product: ``B Y u = x``, so ``(V B B Y) u = V # (B x)``,
``(V L L A^F B Y) u = V # (L L A^F x)`` and ``(V L A^F B B Y) u = V # (L A^F B x)``.

Upstreamness (Antràs, Chor, Fally and Hillberry 2012) is the row sum of the Ghosh inverse,
``U = (I - H)^-1 u`` with ``H = diag(x)^-1 Z``; in a world table it equals the total forward
production length ``PLv`` (Miller and Temurshoev 2017; Wang et al. 2017b), which the tests
use as a check. Downstreamness (Miller and Temurshoev 2017's total backward linkage) is the
column sum of the Leontief inverse, ``D = u' B``, equal to ``PLy`` when ``u' V B = u'``.
(R's ``gvc::upstream`` on a decompr object reads ``x$A``, which R's partial matching turns
into the foreign-only ``x$Am``; its numbers are those of ``A^F``, not of ``A``. The tests
store both.)

References
----------
Wang, Z., Wei, S.-J., Yu, X. and Zhu, K. (2017b). Characterizing global value chains:
production length and upstreamness. NBER Working Paper 23261.

Antràs, P., Chor, D., Fally, T. and Hillberry, R. (2012). Measuring the upstreamness of
production and trade flows. *American Economic Review* 102(3), 412-416.

Miller, R. E. and Temurshoev, U. (2017). Output upstreamness and input downstreamness of
industries/countries in world production. *International Regional Science Review* 40(5),
443-475.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from spatial._core.options import check_option

from .participation import _local_apply, foreign_blocks, value_added_paths

if TYPE_CHECKING:
    from .tables import MRIOTable

__all__ = ["downstreamness", "production_length", "upstreamness"]

Level = Literal["sector", "country"]


def _ratio(num: np.ndarray | pd.Series, den: np.ndarray | pd.Series) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.full_like(num, np.nan), where=den != 0)


def production_length(table: MRIOTable, *, level: Level = "sector") -> pd.DataFrame:
    """Forward and backward production length by segment, and the GVC position index.

    Parameters
    ----------
    table : MRIOTable
    level : {"sector", "country"}
        Per country-sector, or per country (induced output and value added summed over
        the country's sectors before dividing).

    Returns
    -------
    DataFrame
        Forward (value-added based, ``PLv_...``) and backward (final-goods based,
        ``PLy_...``) lengths: ``total``, ``domestic`` (pure domestic), ``traditional``
        (final-goods trade), ``gvc`` with its ``gvc_domestic`` and ``gvc_international``
        segments (they add up to ``gvc``), and ``position`` (``PLv_gvc / PLy_gvc``). A length
        whose value added (final goods) is 0 is NaN.
    """
    check_option("level", level, ("sector", "country"))
    G, N = len(table.countries), len(table.sectors)
    v, x, B = table._v, table._x, table._B
    paths = value_added_paths(table)
    AF = foreign_blocks(table._A, G, N)
    own = np.arange(G)
    Yd = table._Yd.reshape(G, N, G)
    y_dom = Yd[own, :, own].reshape(-1)
    y = table._Yd.sum(axis=1)
    y_exp = y - y_dom

    def L(M: np.ndarray) -> np.ndarray:
        return _local_apply(table, M)

    def Lr(M: np.ndarray) -> np.ndarray:
        return _local_apply(table, M, left=True)

    VL = Lr(v)
    VLL = Lr(VL)
    VLAF = VL @ AF
    Bx = B @ x
    induced = {
        # forward: row sums of the induced-output matrices
        "f_total": v * Bx,
        "f_domestic": v * L(L(y_dom)),
        "f_traditional": v * L(L(y_exp)),
        "f_gvc_domestic": v * L(L(AF @ x)),
        "f_gvc_international": v * L(AF @ Bx),
        # backward: column sums
        "b_total": ((v @ B) @ B) * y,
        "b_domestic": VLL * y_dom,
        "b_traditional": VLL * y_exp,
        "b_gvc_domestic": ((VLL @ AF) @ B) * y,
        "b_gvc_international": ((VLAF @ B) @ B) * y,
    }
    frame = pd.DataFrame(induced, index=table.index)
    frame["f_va_total"] = paths["va"]
    frame["f_va_gvc"] = paths["f_simple"] + paths["f_complex"]
    frame["b_y_total"] = (v @ B) * y
    frame["b_y_gvc"] = paths["b_simple"] + paths["b_complex"]
    frame["f_va_domestic"], frame["f_va_traditional"] = paths["f_domestic"], paths["f_traditional"]
    frame["b_y_domestic"], frame["b_y_traditional"] = paths["b_domestic"], paths["b_traditional"]
    if level == "country":
        frame = frame.groupby(level="country", sort=False).sum()
    out = pd.DataFrame(index=frame.index)
    for side, short in (("f", "PLv"), ("b", "PLy")):
        base = "va" if side == "f" else "y"
        out[f"{short}_total"] = _ratio(frame[f"{side}_total"], frame[f"{side}_{base}_total"])
        for part in ("domestic", "traditional"):
            out[f"{short}_{part}"] = _ratio(frame[f"{side}_{part}"], frame[f"{side}_{base}_{part}"])
        gvc = frame[f"{side}_{base}_gvc"]
        out[f"{short}_gvc_domestic"] = _ratio(frame[f"{side}_gvc_domestic"], gvc)
        out[f"{short}_gvc_international"] = _ratio(frame[f"{side}_gvc_international"], gvc)
        out[f"{short}_gvc"] = out[f"{short}_gvc_domestic"] + out[f"{short}_gvc_international"]
    out["position"] = out["PLv_gvc"] / out["PLy_gvc"]
    return out


def upstreamness(table: MRIOTable, *, level: Level = "sector") -> pd.Series:
    """Antràs et al. (2012) upstreamness ``U = (I - diag(x)^-1 Z)^-1 u``.

    Computed as ``diag(x)^-1 B x`` (the Ghosh row sums). At ``level="country"`` the
    output-weighted mean over the country's sectors. Zero-output sectors are NaN.
    """
    check_option("level", level, ("sector", "country"))
    Bx = table._B @ table._x
    values = pd.Series(_ratio(Bx, table._x), index=table.index, name="upstreamness")
    if level == "sector":
        return values
    weighted = pd.Series(Bx, index=table.index).groupby(level="country", sort=False).sum()
    output = table.output.groupby(level="country", sort=False).sum()
    return (weighted / output).rename("upstreamness")


def downstreamness(table: MRIOTable, *, level: Level = "sector") -> pd.Series:
    """Downstreamness ``D = u' B`` (total backward linkage; Miller and Temurshoev 2017).

    At ``level="country"`` the output-weighted mean over the country's sectors.
    Zero-output sectors (whose ``B`` column is the unit vector) are NaN.
    """
    check_option("level", level, ("sector", "country"))
    colsum = table._B.sum(axis=0)
    values = pd.Series(
        np.where(table._zero, np.nan, colsum), index=table.index, name="downstreamness"
    )
    if level == "sector":
        return values
    weights = table.output
    weighted = (values.fillna(0) * weights).groupby(level="country", sort=False).sum()
    return (weighted / weights.groupby(level="country", sort=False).sum()).rename("downstreamness")
