"""Coefficients of an input-output table: direct and complete consumption and distribution.

The kernels of this module take numpy arrays and return numpy arrays; the table classes
of :mod:`coupling.inputoutput.tables` label them. Each matrix has the name of what it
means, because the letters do not travel: ``B`` is the Leontief inverse in Wang, Wei and
Zhu (2013) and in decompr, the allocation (direct output) coefficients in Miller and Blair
(2009) and in pymrio, and ``G`` is Ghosh's inverse in Miller and Blair but the number of
countries in the value-chain papers.

==================================  ===========================  =========================
meaning                             formula                      Chinese name
==================================  ===========================  =========================
input (technical) coefficients      ``A = Z diag(x)^-1``         直接消耗系数
Leontief inverse                    ``L = (I - A)^-1``           完全需要系数
complete consumption coefficients   ``L - I``                    完全消耗系数
allocation (output) coefficients    ``H = diag(x)^-1 Z``         直接分配系数
Ghosh inverse                       ``G = (I - H)^-1``           (完全感应)
complete distribution coefficients  ``G - I``                    完全分配系数
==================================  ===========================  =========================

``Z`` holds the intermediate flows (row: supplying sector, column: using sector) and ``x``
gross output. The two inverses are similar matrices, ``G = diag(x)^-1 L diag(x)``
(Miller and Blair 2009, eq. 12.10), which the tests use as one of their checks.

Sectors with zero output have no coefficient: the tables decide what to do with them
(``zero_output=``) before any division, and these kernels receive the mask of the sectors
whose coefficients are set to zero.

Written with numpy because the inverses are dense at the sizes of national and
world tables (42 to 3,800 sectors): one LU factorization each, no (n, n) matrix formed
twice. pymrio computes the same ``A``, ``L`` and Ghosh inverse (its ``calc_A``,
``calc_L``, ``calc_G``) and is one of the test references.

References
----------
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis: Foundations and
Extensions*, 2nd ed. Cambridge University Press, chapters 2 and 12.

Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97),
58-64.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import IOTableError

__all__ = [
    "allocation_coefficients",
    "ghosh_inverse",
    "input_coefficients",
    "leontief_inverse",
]


def input_coefficients(flows: np.ndarray, output: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """Input (technical) coefficients ``a_ij = z_ij / x_j``; columns in ``zero`` are 0.

    Parameters
    ----------
    flows : ndarray (n, m)
        Flows to the ``m`` using sectors (intermediate, domestic or imported).
    output : ndarray (m,)
        Gross output of the using sectors.
    zero : ndarray of bool (m,)
        Sectors whose coefficients are set to zero (zero output, ``zero_output="zero"``).

    Examples
    --------
    >>> input_coefficients(np.array([[2.0, 0.0], [1.0, 3.0]]), np.array([10.0, 0.0]),
    ...                    np.array([False, True]))
    array([[0.2, 0. ],
           [0.1, 0. ]])
    """
    divisor = np.where(zero, 1.0, output)
    return np.where(zero[None, :], 0.0, flows / divisor[None, :])


def allocation_coefficients(flows: np.ndarray, output: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """Allocation (direct output) coefficients ``h_ij = z_ij / x_i``; rows in ``zero`` are 0.

    Examples
    --------
    >>> allocation_coefficients(np.array([[2.0, 8.0], [1.0, 3.0]]), np.array([10.0, 4.0]),
    ...                         np.array([False, False]))
    array([[0.2 , 0.8 ],
           [0.25, 0.75]])
    """
    divisor = np.where(zero, 1.0, output)
    return np.where(zero[:, None], 0.0, flows / divisor[:, None])


def _inverse(coefficients: np.ndarray, what: str, axis: int, labels: list[str]) -> np.ndarray:
    n = coefficients.shape[0]
    system = np.eye(n) - coefficients
    try:
        inverse = np.linalg.solve(system, np.eye(n))
    except np.linalg.LinAlgError:
        inverse = None
    # A non-negative coefficient matrix of a productive economy has a non-negative inverse
    # (Hawkins-Simon); negative entries beyond rounding mean I - A is singular to working
    # precision (a solve then returns huge numbers of either sign instead of failing).
    unproductive = (
        inverse is not None
        and bool((coefficients >= 0).all())
        and float(inverse.min()) < -1e-9 * max(1.0, float(np.abs(inverse).max()))
    )
    if inverse is None or not np.isfinite(inverse).all() or unproductive:
        sums = coefficients.sum(axis=axis)
        worst = np.argsort(-sums)[:3]
        listed = ", ".join(f"{labels[i]} ({sums[i]:.4g})" for i in worst)
        raise IOTableError(
            f"I - {what} is singular (or the economy it describes is not productive): the "
            f"{what} matrix has no usable inverse. Its largest "
            f"{'column' if axis == 0 else 'row'} sums are {listed}; a sum of 1 or more means "
            "a sector whose inputs use up its whole output. Check the units of the flows and "
            "of output, and whether value added is missing."
        )
    return inverse


def leontief_inverse(A: np.ndarray, *, labels: list[str] | None = None) -> np.ndarray:
    """The Leontief inverse ``L = (I - A)^-1`` (total requirements, 完全需要系数).

    ``l_ij`` is the output of sector ``i`` needed, directly and indirectly, for one unit of
    final demand for the product of sector ``j`` (Miller and Blair 2009, eq. 2.11).

    Raises
    ------
    IOTableError
        ``I - A`` is singular; the message names the columns with the largest sums.

    Examples
    --------
    >>> leontief_inverse(np.array([[0.5, 0.0], [0.25, 0.5]]))
    array([[2., 0.],
           [1., 2.]])
    """
    names = labels if labels is not None else [str(i) for i in range(A.shape[0])]
    return _inverse(A, "A", 0, names)


def ghosh_inverse(H: np.ndarray, *, labels: list[str] | None = None) -> np.ndarray:
    """The Ghosh inverse ``G = (I - H)^-1`` of the allocation coefficients ``H``.

    ``g_ij`` is the output of sector ``j`` that one unit of primary input (value added) of
    sector ``i`` makes possible, directly and indirectly (Miller and Blair 2009, eq. 12.8).
    Its row sums are the total forward linkages; in a world table they are the
    upstreamness of Antràs et al. (2012) and the forward production length of Wang et al.
    (2017). (pymrio 0.7.0 calls ``H`` ``B``; the docstring of its ``calc_B`` describes it
    as a normalization "of the transpose of Z", while its code divides the rows of ``Z``
    by output, as here.)

    Examples
    --------
    >>> ghosh_inverse(np.array([[0.5, 0.25], [0.0, 0.5]]))
    array([[2., 1.],
           [0., 2.]])
    """
    names = labels if labels is not None else [str(i) for i in range(H.shape[0])]
    return _inverse(H, "H (allocation coefficients)", 1, names)
