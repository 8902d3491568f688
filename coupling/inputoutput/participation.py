"""Participation in global value chains, GVC position and the services content of exports.

Wang, Wei, Yu and Zhu (2017a) split the value added of each country-sector by where and how
it is absorbed, using ``B = L + L A^F B`` (``L`` the block-diagonal domestic inverse, ``A^F``
the foreign blocks of ``A``, ``Y^D`` and ``Y^F`` the diagonal matrices of domestic and
exported final goods, ``Y`` their sum):

    V B Y = V L Y^D      pure domestic (D)
          + V L Y^F      traditional trade in final goods (RT)
          + V L A^F L Y^D            simple GVC: crosses a border once, for production
          + V L A^F (B Y - L Y^D)    complex GVC: crosses twice or more.

Row sums (forward, by the sector that *creates* the value added) are shares of its value
added ``va``; column sums (backward, by the sector that *produces the final good*) are
shares of its final-goods output ``y``:

    forward participation  = (V L A^F B Y) u / va      (simple + complex)
    backward participation = u' (V L A^F B Y) / y'.

Row sums need only ``B Y u = x``: ``(V L A^F B Y) u = V # (L A^F x)``; column sums need one
row vector ``V L A^F B``. Nothing (GN x GN) beyond ``B`` itself is formed.

Koopman, Powers, Wang and Wei (2010, KPWW) measure participation and position from the
decomposition of gross exports ``E``: ``IV`` (domestic value added in intermediate exports
re-exported by the direct importer to third countries: KWW's ``DVA_INTrex``) and ``FV``
(foreign value added in exports):

    participation = IV/E + FV/E,      position = ln(1 + IV/E) - ln(1 + FV/E).

``FV`` has two conventions (``foreign=``): ``"vs"`` (default), all foreign content of exports,
``FVA_FIN + FVA_INT + FDC``, Hummels et al.'s vertical specialisation, which is what KPWW
(2010) computed; ``"fva"``, foreign value added without the pure double counting,
``FVA_FIN + FVA_INT`` (KWW 2014 terms 7 and 8).

The services content of exports (:func:`services_content`) uses the Leontief decomposition
of gross exports ``diag(V) B diag(E)``: the value added of services sectors at home (same
country) and abroad embodied in the exports of a group of sectors (manufacturing by
default), as a share of those exports: the 服务化 of manufacturing exports in the GVC
literature (e.g. the OECD TiVA indicator of services value added in manufacturing exports).

References
----------
Wang, Z., Wei, S.-J., Yu, X. and Zhu, K. (2017a). Measures of participation in global value
chains and global business cycles. NBER Working Paper 23222.

Koopman, R., Powers, W., Wang, Z. and Wei, S.-J. (2010). Give credit where credit is due:
tracing value added in global production chains. NBER Working Paper 16426.

Hummels, D., Ishii, J. and Yi, K.-M. (2001). The nature and growth of vertical
specialization in world trade. *Journal of International Economics* 54(1), 75-96.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from spatial._core.options import check_option

from .exports import gross_exports, wwz_decomposition
from .sectors import GroupSpec, group_members

if TYPE_CHECKING:
    from .tables import MRIOTable

__all__ = ["foreign_blocks", "gvc_participation", "services_content", "value_added_paths"]

Level = Literal["sector", "country"]


def foreign_blocks(A: np.ndarray, G: int, N: int) -> np.ndarray:
    """``A^F``: ``A`` with its diagonal (domestic) country blocks set to zero."""
    AF = A.copy().reshape(G, N, G, N)
    AF[np.arange(G), :, np.arange(G), :] = 0.0
    return AF.reshape(G * N, G * N)


def _local_apply(table: MRIOTable, M: np.ndarray, *, left: bool = False) -> np.ndarray:
    """``L M`` (or ``M L`` with ``left=True``, M a row vector) with the block-diagonal L."""
    G, N = len(table.countries), len(table.sectors)
    if left:
        return np.einsum("gi,gij->gj", M.reshape(G, N), table._local).reshape(-1)
    return np.einsum("gij,gj->gi", table._local, M.reshape(G, N)).reshape(-1)


def value_added_paths(table: MRIOTable) -> dict[str, np.ndarray]:
    """Forward (row-sum) and backward (column-sum) totals of the four production types.

    Returns
    -------
    dict of ndarray (GN,)
        ``va``, ``y``; ``f_domestic``, ``f_traditional``, ``f_simple``, ``f_complex`` (row
        sums of V L Y^D, V L Y^F, V L A^F L Y^D, V L A^F (B Y - L Y^D)); ``b_...`` the
        column sums of the same four matrices.
    """
    G, N = len(table.countries), len(table.sectors)
    v, x = table._v, table._x
    Yd = table._Yd.reshape(G, N, G)
    own = np.arange(G)
    y_dom = Yd[own, :, own].reshape(-1)
    y = table._Yd.sum(axis=1)
    y_exp = y - y_dom
    AF = foreign_blocks(table._A, G, N)
    L_ydom = _local_apply(table, y_dom)
    VL = _local_apply(table, v, left=True)
    VLAF = VL @ AF
    out = {
        "va": v * x,
        "y": y,
        "f_domestic": v * L_ydom,
        "f_traditional": v * _local_apply(table, y_exp),
        "f_simple": v * _local_apply(table, AF @ L_ydom),
        "b_domestic": VL * y_dom,
        "b_traditional": VL * y_exp,
        "b_simple": _local_apply(table, VLAF, left=True) * y_dom,
    }
    out["f_complex"] = v * _local_apply(table, AF @ x) - out["f_simple"]
    out["b_complex"] = (VLAF @ table._B) * y - out["b_simple"]
    return out


def _shares(num: pd.DataFrame, den: pd.Series) -> pd.DataFrame:
    values = num.to_numpy() / np.where(den.to_numpy() == 0, np.nan, den.to_numpy())[:, None]
    return pd.DataFrame(values, index=num.index, columns=num.columns)


def gvc_participation(
    table: MRIOTable,
    *,
    method: Literal["wang2017", "kpww"] = "wang2017",
    level: Level = "sector",
    foreign: Literal["vs", "fva"] = "vs",
) -> pd.DataFrame:
    """GVC participation and position of each country-sector (or country).

    Parameters
    ----------
    table : MRIOTable
    method : {"wang2017", "kpww"}
        Wang et al. (2017a) forward and backward participation, simple and complex; or
        Koopman et al. (2010) participation and position from the decomposition of exports.
    level : {"sector", "country"}
        Per country-sector, or per country (numerators and denominators summed over the
        country's sectors before dividing).
    foreign : {"vs", "fva"}
        KPWW only: foreign content of exports with (``"vs"``) or without (``"fva"``) the
        foreign double counting.

    Returns
    -------
    DataFrame
        ``"wang2017"``: ``va``, ``y``, the value added (forward) and final goods (backward)
        of the four production types, and ``forward``, ``forward_simple``,
        ``forward_complex``, ``backward``, ``backward_simple``, ``backward_complex``
        (shares). ``"kpww"``: ``exports``, ``IV``, ``FV``, ``participation``, ``position``.
        A share whose denominator is 0 is NaN.
    """
    check_option("method", method, ("wang2017", "kpww"))
    check_option("level", level, ("sector", "country"))
    check_option("foreign", foreign, ("vs", "fva"))
    if method == "kpww":
        kww = wwz_decomposition(table).kww("country" if level == "country" else "sector")
        fv = kww["FVA_FIN"] + kww["FVA_INT"] + (kww["FDC"] if foreign == "vs" else 0.0)
        frame = pd.DataFrame({"exports": kww["exports"], "IV": kww["DVA_INTrex"], "FV": fv})
        e = frame["exports"].where(frame["exports"] != 0)
        frame["participation"] = (frame["IV"] + frame["FV"]) / e
        frame["position"] = np.log1p(frame["IV"] / e) - np.log1p(frame["FV"] / e)
        frame.attrs.update(method="kpww", foreign=foreign)
        return frame
    paths = value_added_paths(table)
    frame = pd.DataFrame(paths, index=table.index)
    if level == "country":
        frame = frame.groupby(level="country", sort=False).sum()
    fwd = _shares(frame[["f_simple", "f_complex"]], frame["va"])
    bwd = _shares(frame[["b_simple", "b_complex"]], frame["y"])
    frame["forward_simple"], frame["forward_complex"] = fwd["f_simple"], fwd["f_complex"]
    frame["forward"] = frame["forward_simple"] + frame["forward_complex"]
    frame["backward_simple"], frame["backward_complex"] = bwd["b_simple"], bwd["b_complex"]
    frame["backward"] = frame["backward_simple"] + frame["backward_complex"]
    frame.attrs.update(method="wang2017")
    return frame


def services_content(
    table: MRIOTable,
    *,
    services: GroupSpec = "producer_services",
    exporters: GroupSpec = "manufacturing",
    level: Level = "country",
) -> pd.DataFrame:
    """Domestic and foreign services value added in the gross exports of a sector group.

    For exporter ``s`` and exporting sectors ``j`` in ``exporters``::

        domestic_s = sum_{i in services} sum_j V_(s,i) B[(s,i), (s,j)] E_(s,j)
        foreign_s  = sum_{t != s} sum_{i in services} sum_j V_(t,i) B[(t,i), (s,j)] E_(s,j)

    shares of ``sum_j E_(s,j)``.

    Parameters
    ----------
    table : MRIOTable
    services, exporters : group name or sector codes
        The value-adding sectors and the exporting sectors (resolved through the table's
        classification, :func:`coupling.inputoutput.sectors.group_members`).
    level : {"country", "sector"}
        Per exporting country, or per exporting country-sector of the group.

    Returns
    -------
    DataFrame
        ``exports``, ``domestic``, ``foreign`` (value added), ``domestic_share``,
        ``foreign_share`` and ``share`` (their sum).
    """
    check_option("level", level, ("sector", "country"))
    G, N = len(table.countries), len(table.sectors)
    source = np.isin(table.sectors, group_members(table, services))
    target = np.isin(table.sectors, group_members(table, exporters))
    E = gross_exports(table)
    rows = (table._v * np.tile(source, G))[:, None] * table._B
    by_source = rows.reshape(G, N, G * N).sum(axis=1) * E[None, :]  # (G, GN)
    own = by_source.reshape(G, G, N)[np.arange(G), np.arange(G), :]  # (G, N)
    total = by_source.sum(axis=0).reshape(G, N)
    exports = E.reshape(G, N)
    index = table.index
    frame = pd.DataFrame(
        {
            "exports": exports.reshape(-1),
            "domestic": own.reshape(-1),
            "foreign": (total - own).reshape(-1),
        },
        index=index,
    )[np.tile(target, G)]
    if level == "country":
        frame = frame.groupby(level="country", sort=False).sum()
    e = frame["exports"].where(frame["exports"] != 0)
    frame["domestic_share"] = frame["domestic"] / e
    frame["foreign_share"] = frame["foreign"] / e
    frame["share"] = frame["domestic_share"] + frame["foreign_share"]
    return frame
