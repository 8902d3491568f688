"""Backward and forward linkages: 影响力系数 and 感应度系数 (Rasmussen 1956).

The influence coefficient (影响力系数, power of dispersion) of sector ``j`` is its column
sum of the Leontief inverse ``L`` relative to the average column sum:

    F_j = sum_i l_ij / ( (1/n) sum_j sum_i l_ij ).

The sensitivity coefficient (感应度系数, sensitivity of dispersion) of sector ``i`` has two
conventions in use, both here as ``forward=``:

- ``"leontief"``: the row sum of ``L`` relative to the average row sum,
  ``E_i = sum_j l_ij / ((1/n) sum_i sum_j l_ij)`` (Rasmussen 1956; the convention of the
  NBS yearbook commentaries and most textbooks);
- ``"ghosh"``: the same with the Ghosh inverse ``G``, ``E_i = sum_j g_ij / ((1/n) sum_i
  sum_j g_ij)``. Row sums of ``L`` add demands for different products and so depend on
  units; the Ghosh row sums measure how the output of the economy responds to one unit of
  primary input in sector ``i``, which is why Liu Qiyun (2002) recommends them.

The weighted variants (``weighting="structure"``, Liu Qiyun 2002) replace the plain average
in the denominator by an average weighted with the structure of the economy: the shares of
sectors in final demand for the influence coefficient and the shares in value added (initial
inputs) for the sensitivity coefficient,

    F_j = sum_i l_ij / sum_j alpha_j sum_i l_ij,     E_i = sum_j g_ij / sum_i beta_i sum_j g_ij,

with ``alpha_j = y_j / sum y`` and ``beta_i = v_i / sum v``. A coefficient above 1 marks a
sector whose linkage is stronger than the economy's (weighted) average.

References
----------
Rasmussen, P. N. (1956). *Studies in Inter-Sectoral Relations*. Amsterdam: North-Holland.

刘起运 (2002). 关于投入产出系数结构分析方法的研究. 统计研究 (2), 40-42.

Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., section 12.2.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["Forward", "Weighting", "linkage_coefficients"]

#: Which inverse the sensitivity coefficient (感应度系数) sums.
Forward = Literal["ghosh", "leontief"]
#: Plain averages or the structure-weighted averages of Liu Qiyun (2002).
Weighting = Literal["equal", "structure"]


def linkage_coefficients(
    leontief: np.ndarray,
    ghosh: np.ndarray,
    *,
    forward: Forward,
    weighting: Weighting,
    final_demand: np.ndarray,
    value_added: np.ndarray,
) -> dict[str, np.ndarray]:
    """Backward and forward sums and the influence and sensitivity coefficients.

    Parameters
    ----------
    leontief, ghosh : ndarray (n, n)
        The Leontief inverse ``L`` and the Ghosh inverse ``G``.
    forward : {"ghosh", "leontief"}
        The inverse whose row sums give the sensitivity coefficient.
    weighting : {"equal", "structure"}
        Plain averages, or averages weighted by final-demand shares (influence) and
        value-added shares (sensitivity).
    final_demand, value_added : ndarray (n,)
        Total final demand and value added of each sector (used by ``"structure"``).

    Returns
    -------
    dict
        ``backward`` (column sums of L), ``forward`` (row sums of the chosen inverse),
        ``influence`` (影响力系数) and ``sensitivity`` (感应度系数).

    Examples
    --------
    >>> L = np.array([[2.0, 0.0], [1.0, 2.0]])
    >>> out = linkage_coefficients(L, L, forward="leontief", weighting="equal",
    ...                            final_demand=np.ones(2), value_added=np.ones(2))
    >>> out["influence"], out["sensitivity"]
    (array([1.2, 0.8]), array([0.8, 1.2]))
    """
    backward = leontief.sum(axis=0)
    rows = (ghosh if forward == "ghosh" else leontief).sum(axis=1)
    if weighting == "equal":
        alpha = np.full(backward.size, 1.0 / backward.size)
        beta = alpha
    else:
        alpha = final_demand / final_demand.sum()
        beta = value_added / value_added.sum()
    return {
        "backward": backward,
        "forward": rows,
        "influence": backward / (alpha @ backward),
        "sensitivity": rows / (beta @ rows),
    }
