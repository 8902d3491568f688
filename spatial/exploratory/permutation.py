"""Local Moran's I (LISA) with conditional-permutation inference, as numpy array operations.

:func:`local_moran_arrays` computes, for a (T, N) array of T cross-sections
(years) of N units and an N x N sparse weights matrix, every local statistic of
:class:`esda.Moran_Local` (esda 2.8): the standardized values, their spatial
lag, the local Moran's I of Anselin (1995), the quadrants, the analytical
moments under total randomization, and the pseudo p-values and moments of the
conditional randomization of Anselin (1995) as implemented in esda's
``esda.crand`` and in GeoDa.

Why by hand: esda's conditional randomization (``esda.crand``) is written for
numba and compiled at run time, which costs some 20-30 s in every new process,
and it handles one cross-section per call. Here nothing is compiled: every
unit, every year and every permutation is an array operation (the only Python
loops run over chunks of unit-years that bound the memory, over the distinct
neighbour counts and over the k draws of a permutation), and one
:class:`numpy.random.Generator` is the only source of randomness.

Notes
-----
For year t with values y_t1..y_tN (formulas of esda's ``Moran_Local``):

- ``z_ti = (y_ti - mean(y_t)) / sd(y_t)``, population sd (ddof 0);
- ``lag_ti = sum_j w_ij z_tj`` (W as given, in the order of the columns);
- ``I_ti = (N - 1) z_ti lag_ti / sum_j z_tj**2``;
- quadrant 1 HH (z > 0, lag > 0), 2 LH (z <= 0, lag > 0), 3 LL (z <= 0,
  lag <= 0), 4 HL (z > 0, lag <= 0): a zero counts as low;
- ``EI_i = -w_i / (N - 1)`` and ``VI_ti = w2_i (N - b2)/(N - 1) + (w_i**2 -
  w2_i)(2 b2 - N)/((N - 1)(N - 2)) - (w_i/(N - 1))**2`` (total randomization,
  Anselin 1995, in the form of Sokal et al. 1998, eqs. A3 and A4*), with
  ``w_i = sum_j w_ij``, ``w2_i = sum_j w_ij**2``, ``b2 = m4 / m2**2`` and
  ``m_r = sum_j z_tj**r / N``;
- conditional randomization: z_ti stays at unit i, and its k_i neighbour
  weights (stored order of the CSR row) are paired with k_i values drawn without
  replacement from the z of the N - 1 other units, giving
  ``I_ti^(r) = z_ti (sum_m w_i,m z_t,pi(m)) (N - 1) / sum_j z_tj**2``, r = 1..P;
- ``p_sim``: esda's folded one-sided ("directed") pseudo p-value, the smaller
  of the one-sided p-values of the two tails: ``p_sim = (L + 1)/(P + 1)`` with
  L = min(#{r: I^(r) >= I}, #{r: I^(r) <= I}). Without simulated values equal
  to I this is esda's L = #{r: I^(r) >= I}, L = P - L if P - L < L; such ties
  count in both tails here (see :func:`local_moran_arrays`);
- ``EI_sim`` and ``seI_sim`` are the mean and the standard deviation (ddof 0)
  of the P simulated values, ``z_sim = (I - EI_sim)/seI_sim``, ``p_z_sim = 1 -
  Phi(|z_sim|)``, ``z_rand = (I - EI)/sqrt(VI)`` and ``p_rand = 1 - Phi(|z_rand|)``.

References
----------
Anselin, L. (1995). Local indicators of spatial association - LISA.
*Geographical Analysis* 27(2): 93-115.

Sokal, R. R., Oden, N. L. and Thomson, B. A. (1998). Local spatial
autocorrelation in a biological model. *Geographical Analysis* 30(4): 331-354.

Rey, S. J. and Anselin, L. (2007). PySAL: a Python library of spatial
analytical methods. *The Review of Regional Studies* 37(1): 5-27 (esda,
``esda/moran.py`` ``Moran_Local`` and ``esda/crand.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .._core.distributions import normal_two_sided
from ..exceptions import InvalidOptionError, MissingValueError, PanelStructureError, WeightsError

__all__ = [
    "GlobalAutocorrelationArrays",
    "LocalMoranArrays",
    "global_autocorrelation_arrays",
    "local_moran_arrays",
]

#: Working bytes per (unit-year, permutation, neighbour) and per (unit-year, permutation)
#: of the permutation block: the uniforms, the gathered uniforms, the running ranks of the
#: draws and their temporaries; then the lag, draws, indices, masks and simulated values.
_BYTES_PER_DRAW = 16
_BYTES_PER_PERMUTATION = 96


@dataclass(frozen=True)
class LocalMoranArrays:
    """Local Moran's I of T cross-sections of N units, every array of shape (T, N).

    Attributes
    ----------
    Is : ndarray of float
        Local Moran's I (0 for units without neighbours).
    z : ndarray of float
        Standardized values, ``(y - mean) / sd`` per year with the population sd.
    lag : ndarray of float
        Spatial lag of ``z``, ``W z``.
    quadrant : ndarray of int
        1 HH, 2 LH, 3 LL, 4 HL (esda's ``q``; a zero ``z`` or lag counts as low).
    EI, VI : ndarray of float
        Expectation and variance of I_i under total randomization (esda's ``EI``
        and ``VI``).
    z_rand, p_rand : ndarray of float
        ``(Is - EI) / sqrt(VI)`` and its one-sided normal p-value ``1 - Phi(|z_rand|)``
        (NaN where ``VI`` is 0, as for units without neighbours).
    p_sim : ndarray of float
        Folded one-sided pseudo p-value of the conditional permutations (esda's ``p_sim``;
        a simulated value equal to ``Is`` counts in both tails).
    EI_sim, seI_sim : ndarray of float
        Mean and standard deviation (ddof 0) of the simulated I_i.
    z_sim, p_z_sim : ndarray of float
        ``(Is - EI_sim) / seI_sim`` and ``1 - Phi(|z_sim|)``.
    permutations : int
        Number of conditional permutations; with 0 the permutation arrays are NaN.
    """

    Is: np.ndarray
    z: np.ndarray
    lag: np.ndarray
    quadrant: np.ndarray
    EI: np.ndarray
    VI: np.ndarray
    z_rand: np.ndarray
    p_rand: np.ndarray
    p_sim: np.ndarray
    EI_sim: np.ndarray
    seI_sim: np.ndarray
    z_sim: np.ndarray
    p_z_sim: np.ndarray
    permutations: int


# ----------------------------------------------------------------------------- checks
def _check_values(values: np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 3:
        raise PanelStructureError(
            f"values must be a (T, N) array with T >= 1 years and N >= 3 units, "
            f"got shape {array.shape}."
        )
    if not np.isfinite(array).all():
        raise MissingValueError("values contain NaN or infinite entries.")
    flat = np.flatnonzero(np.ptp(array, axis=1) == 0)
    if flat.size:
        raise PanelStructureError(
            f"values are constant across units in row(s) {flat.tolist()}; local Moran's I "
            "is undefined there."
        )
    return array


def _check_weights(w: sparse.csr_matrix, n: int) -> sparse.csr_matrix:
    if not sparse.issparse(w):
        raise WeightsError(f"w must be a scipy sparse matrix, got {type(w).__name__}.")
    matrix = sparse.csr_matrix(w, dtype=np.float64, copy=True)
    if matrix.shape != (n, n):
        raise WeightsError(f"w has shape {matrix.shape}; the values have {n} units.")
    if not np.isfinite(matrix.data).all():
        raise WeightsError("w has NaN or infinite weights.")
    if np.any(matrix.diagonal() != 0):
        raise WeightsError("w has a non-zero diagonal; local Moran's I needs w_ii = 0.")
    if not matrix.has_canonical_format:
        merged = matrix.copy()
        merged.sum_duplicates()
        if merged.nnz != matrix.nnz:
            raise WeightsError("w stores duplicate entries for the same pair of units.")
    matrix.eliminate_zeros()  # as esda: explicit zeros are not neighbours
    return matrix


def _check_count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidOptionError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


# ------------------------------------------------------------------------ permutations
def _chunks(cost: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive row ranges whose summed cost stays within ``budget`` (one row at least)."""
    bounds: list[tuple[int, int]] = []
    start, total = 0, 0
    for row, c in enumerate(cost.tolist()):
        if row > start and total + c > budget:
            bounds.append((start, row))
            start, total = row, 0
        total += c
    if start < cost.size:
        bounds.append((start, cost.size))
    return bounds


def _permutation_groups(
    cards: np.ndarray, t_count: int, permutations: int, chunk_bytes: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray]]:
    """The unit-years with neighbours, chunk by chunk and by neighbour count, with their draws.

    Unit-years are taken year by year, unit by unit, in chunks whose working memory stays
    within ``chunk_bytes``; each chunk draws its uniforms at once, one row of ``P`` per
    (unit-year, neighbour). Yields ``(t, i, k, uniforms, entries)`` for the unit-years of a
    chunk that have ``k`` neighbours, ``entries`` (G, k) their rows of ``uniforms``: the
    arguments of :func:`_simulated_lags`.
    """
    row_t, row_i = np.nonzero(np.broadcast_to(cards > 0, (t_count, cards.size)))
    row_k = cards[row_i]
    cost = permutations * (_BYTES_PER_DRAW * row_k + _BYTES_PER_PERMUTATION)
    for start, stop in _chunks(cost, chunk_bytes):
        t_c, i_c, k_c = row_t[start:stop], row_i[start:stop], row_k[start:stop]
        uniforms = rng.random((int(k_c.sum()), permutations))
        first = np.cumsum(k_c) - k_c  # first row of each unit-year in `uniforms`
        for k in np.unique(k_c).tolist():
            sel = np.flatnonzero(k_c == k)
            yield t_c[sel], i_c[sel], k, uniforms, first[sel][:, None] + np.arange(k)


def _folded_count(sims: np.ndarray, observed: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """``min(#{sim >= obs}, #{sim <= obs})`` per row, a simulated value within ``tol`` of the
    observed one counting in both tails (a tie in exact arithmetic, whatever the rounding)."""
    above = (sims >= (observed - tol)[:, None]).sum(axis=1)
    below = (sims <= (observed + tol)[:, None]).sum(axis=1)
    return np.minimum(above, below)


def _simulated_lags(
    z_flat: np.ndarray,
    base: np.ndarray,
    own: np.ndarray,
    weights: np.ndarray,
    uniforms: np.ndarray,
    entries: np.ndarray,
    n: int,
) -> np.ndarray:
    """Lags ``sum_m w_i,m z_pi(m)`` of G unit-years that share k neighbours, for P permutations.

    Draw m of a permutation is uniform over the N - 1 - m units still free (not i,
    not drawn before): a rank ``r`` in 0..N-2-m is mapped to the r-th free unit.
    ``gaps[q] = c_q - q`` for the q-th smallest earlier draw c_q (the number of
    free units below it) gives that unit as ``r + #{q: gaps[q] <= r}``. Inserting
    the new gap ``r`` at that count keeps ``gaps`` sorted, and is done in place as
    ``gaps[q] = max(min(gaps[q], r), gaps[q - 1] - 1)`` from the top down, with the
    unused slots at the int32 maximum.

    Parameters
    ----------
    z_flat : ndarray, shape (T * N,)
        The standardized values, row-major.
    base, own : ndarray of int, shape (G, 1)
        Offset ``t * N`` of each unit-year in ``z_flat``, and its unit index i.
    weights : ndarray, shape (G, k)
        The neighbour weights of each unit in the stored order of its CSR row.
    uniforms : ndarray, shape (E, P)
        Uniforms of the chunk, one row per (unit-year, neighbour).
    entries : ndarray of int, shape (G, k)
        Rows of ``uniforms`` that belong to each unit-year, in neighbour order.
    n : int
        Number of units N.

    Returns
    -------
    ndarray, shape (G, P)
    """
    k = weights.shape[1]
    shape = (entries.shape[0], uniforms.shape[1])
    gaps = np.full((k, *shape), np.iinfo(np.int32).max, dtype=np.int32)
    lag = np.zeros(shape)
    for m in range(k):
        free = n - 1 - m
        rank = (uniforms[entries[:, m]] * free).astype(np.int32)
        np.minimum(rank, free - 1, out=rank)
        count = np.zeros(shape, dtype=np.int32)
        for q in range(m, 0, -1):  # top down, so that gaps[q - 1] is still the old one
            shifted = gaps[q - 1] - 1
            np.add(count, shifted < rank, out=count, casting="unsafe")  # gaps[q - 1] <= rank
            if m < k - 1:  # insert rank at position `count`, moving the larger gaps up
                np.minimum(gaps[q], rank, out=gaps[q])
                np.maximum(gaps[q], shifted, out=gaps[q])
        if m < k - 1:
            np.minimum(gaps[0], rank, out=gaps[0])
        drawn = rank + count  # 0..N-2: position among the units other than i
        drawn += drawn >= own
        lag += weights[:, m, None] * z_flat[base + drawn]
    return lag


def _conditional_permutations(
    z: np.ndarray,
    scaling: np.ndarray,
    matrix: sparse.csr_matrix,
    Is: np.ndarray,
    permutations: int,
    rng: np.random.Generator,
    chunk_bytes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``L`` of ``p_sim``, ``EI_sim`` and ``seI_sim`` of every unit-year with neighbours.

    The unit-years (t, i) are taken year by year, unit by unit; unit-year (t, i)
    consumes ``k_i * P`` doubles of ``rng``, neighbour by neighbour, so every
    unit-year draws from its own stretch of the stream whatever the chunks.
    """
    t_count, n = z.shape
    indptr, data = matrix.indptr, matrix.data
    cards = np.diff(indptr)
    larger = np.full((t_count, n), -1, dtype=np.int64)
    ei_sim = np.full((t_count, n), np.nan)
    se_sim = np.full((t_count, n), np.nan)

    z_flat = np.ascontiguousarray(z).ravel()
    abs_w = np.asarray(abs(matrix).sum(axis=1)).ravel()
    z_max = np.abs(z).max(axis=1)
    for t_g, i_g, k, uniforms, entries in _permutation_groups(
        cards, t_count, permutations, chunk_bytes, rng
    ):
        weights = data[indptr[i_g][:, None] + np.arange(k)]
        lag = _simulated_lags(z_flat, (t_g * n)[:, None], i_g[:, None], weights, uniforms,
                              entries, n)  # fmt: skip
        z_i = z[t_g, i_g]
        sims = z_i[:, None] * lag * scaling[t_g, None]  # esda: zi * (zrand @ w) * scaling
        # a simulated value equal to I in exact arithmetic (the neighbours' own values
        # drawn again, or equal sums) is a tie whatever the rounding of the two
        # summation orders, and counts in both tails
        tol = 4.0 * (k + 2) * np.finfo(np.float64).eps
        tol *= np.abs(z_i * scaling[t_g]) * abs_w[i_g] * z_max[t_g]
        larger[t_g, i_g] = _folded_count(sims, Is[t_g, i_g], tol)
        ei_sim[t_g, i_g] = sims.mean(axis=1)
        se_sim[t_g, i_g] = sims.std(axis=1)
    return larger, ei_sim, se_sim


# --------------------------------------------------------------------------------- main
def local_moran_arrays(
    values: np.ndarray,
    w: sparse.csr_matrix,
    *,
    permutations: int,
    rng: np.random.Generator,
    chunk_bytes: int = 64 * 2**20,
) -> LocalMoranArrays:
    """Local Moran's I of T cross-sections with conditional-permutation pseudo p-values.

    Every statistic is esda's ``Moran_Local`` of one year with W as given
    (``transformation="o"`` on a W already in the wanted form); all years,
    units and permutations are computed as array operations, with no numba.

    Parameters
    ----------
    values : ndarray, shape (T, N)
        T cross-sections (years) of N >= 3 units, finite, not constant in any year.
    w : scipy.sparse.csr_matrix, shape (N, N)
        Weights in the order of the columns of ``values``, used as given (row-standardized
        or not), zero diagonal. Any scipy sparse matrix or array is accepted (copied to CSR);
        stored zeros are not neighbours.
    permutations : int
        Conditional permutations per unit and year (>= 0); 0 skips the inference and leaves
        ``p_sim``, ``EI_sim``, ``seI_sim``, ``z_sim`` and ``p_z_sim`` NaN.
    rng : numpy.random.Generator
        The only source of randomness; it is advanced by ``P * T * sum_i k_i`` doubles.
        numpy's global random state is neither used nor changed.
    chunk_bytes : int, default 64 MiB
        Target working memory of the permutation block. Chunks hold whole unit-years (all
        permutations of one unit in one year), so one unit-year, about ``P * (16 k_i + 96)``
        bytes, is the smallest chunk. The results do not depend on it.

    Returns
    -------
    LocalMoranArrays
        Arrays of shape (T, N). Units without neighbours get ``Is = 0``, ``lag = 0``,
        ``EI = VI = 0`` (as esda) and NaN for ``z_rand``, ``p_rand`` and every permutation
        statistic, without warnings.

    Raises
    ------
    PanelStructureError
        ``values`` is not a (T, N) array with N >= 3, or is constant across units in a year.
    MissingValueError
        ``values`` has NaN or infinite entries.
    WeightsError
        ``w`` is not sparse, not N x N, has non-finite weights, a non-zero diagonal or
        duplicate entries.
    InvalidOptionError
        ``permutations`` or ``chunk_bytes`` is not a non-negative (positive) integer, or
        ``rng`` is not a :class:`numpy.random.Generator`.

    Notes
    -----
    With ``z_ti = (y_ti - mean_t) / sd_t`` (population sd), ``lag_ti = sum_j w_ij z_tj``,
    ``w_i = sum_j w_ij``, ``w2_i = sum_j w_ij**2``, ``m_r = sum_j z_tj**r / N`` and
    ``b2 = m4 / m2**2`` (esda ``moran.py``, ``Moran_Local.__init__``, ``__calc``,
    ``__quads`` and ``__moments``)::

        I_ti   = (N - 1) z_ti lag_ti / sum_j z_tj**2
        EI_i   = -w_i / (N - 1)
        VI_ti  = w2_i (N - b2) / (N - 1)
                 + (w_i**2 - w2_i) (2 b2 - N) / ((N - 1)(N - 2)) - (w_i / (N - 1))**2
        z_rand = (I_ti - EI_i) / sqrt(VI_ti),   p_rand = 1 - Phi(|z_rand|)

    ``EI`` and ``VI`` are the moments under total randomization (Anselin 1995; Sokal et
    al. 1998, eqs. A3 and A4*), which esda reports as ``EI`` and ``VI``. The
    quadrant is 1 (HH) when ``z > 0`` and ``lag > 0``, 2 (LH) when ``z <= 0 < lag``,
    3 (LL) when both are ``<= 0`` and 4 (HL) when ``lag <= 0 < z``.

    Conditional randomization (esda ``crand.py``, ``crand``, ``vec_permutations`` and
    ``_prepare_univariate``; ``moran.py``, ``_moran_local_crand``): for permutation r,
    unit i keeps z_ti and its k_i weights w_i,1..w_i,k (stored order of its CSR row) are
    paired with an ordered draw without replacement pi(1..k_i) from the other N - 1 units::

        I_ti^(r) = z_ti (sum_m w_i,m z_t,pi(m)) (N - 1) / sum_j z_tj**2
        L        = min(#{r : I_ti^(r) >= I_ti}, #{r : I_ti^(r) <= I_ti})
        p_sim    = (L + 1) / (P + 1)
        EI_sim   = mean_r I_ti^(r),  seI_sim = sd_r I_ti^(r) (ddof 0)
        z_sim    = (I_ti - EI_sim) / seI_sim,  p_z_sim = 1 - Phi(|z_sim|)

    as in esda ``Moran_Local.__init__`` (``keep_simulations=True``) and
    ``significance._permutation_significance`` (``alternative="directed"``). esda counts
    ``L = #{I^(r) >= I}`` and folds it, ``L = P - L = #{I^(r) < I}`` if that is smaller:
    the same L when no simulated value equals I.

    Differences from esda. (1) esda draws one set of k_max indices per permutation and
    shares it among all units of a call (the draws of two units are dependent); here
    each (year, unit, permutation) has its own draw: the same distribution for each
    unit, independent across units and years. (2) A simulated value equal to I in exact
    arithmetic (within a few ulps of the lag) counts in both tails, as in esda's
    "greater" and "lesser" p-values, the smaller of which its "directed" p-value is
    meant to be; esda's folded count puts such a tie in the upper tail only, or in
    neither, depending on the rounding of two summation orders. Ties arise when a draw
    can reproduce the observed lag (units with one or two neighbours, small N, discrete
    data); a unit whose k_i = N - 1 equal weights take every other unit gets
    ``p_sim = 1`` instead of esda's ``1/(P + 1)`` or a rounding-dependent value. (3) Units
    without neighbours get NaN inference where esda reports ``p_sim = 1/(P + 1)`` and a
    NaN ``z_sim`` with a warning.
    (4) esda's ``Moran_Local`` has no ``z_rand`` or ``p_rand``; they are defined here as
    esda's ``z_sim`` and ``p_z_sim`` are. (5) The rank of draw m is ``floor(u (N - 1 - m))``
    with u a double in [0, 1): uniform up to a bias below ``N / 2**53``.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA. *Geographical
    Analysis* 27(2): 93-115.

    Sokal, R. R., Oden, N. L. and Thomson, B. A. (1998). Local spatial autocorrelation in
    a biological model. *Geographical Analysis* 30(4): 331-354.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> ring = sparse.csr_matrix(np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    >>> y = np.array([[1.0, 2.0, 3.0, 6.0, 5.0, 4.0]])
    >>> res = local_moran_arrays(y, ring * 0.5, permutations=99, rng=np.random.default_rng(0))
    >>> res.Is.shape, res.quadrant[0].tolist()
    ((1, 6), [3, 3, 2, 1, 1, 4])
    """
    values = _check_values(values)
    t_count, n = values.shape
    matrix = _check_weights(w, n)
    permutations = _check_count("permutations", permutations, 0)
    chunk_bytes = _check_count("chunk_bytes", chunk_bytes, 1)
    if not isinstance(rng, np.random.Generator):
        raise InvalidOptionError(f"rng must be a numpy.random.Generator, got {rng!r}.")

    z = values - values.mean(axis=1, keepdims=True)
    z /= values.std(axis=1, keepdims=True)
    lag = np.ascontiguousarray((matrix @ z.T).T)
    den = (z * z).sum(axis=1, keepdims=True)
    Is = (n - 1) * z * lag / den
    z_pos, lag_pos = z > 0, lag > 0
    quadrant = np.where(lag_pos, np.where(z_pos, 1, 2), np.where(z_pos, 4, 3)).astype(np.int64)

    wi = np.asarray(matrix.sum(axis=1)).ravel()
    wi2 = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    m2 = (z * z).sum(axis=1, keepdims=True) / n
    m4 = (z**4).sum(axis=1, keepdims=True) / n
    b2 = m4 / m2**2
    n1 = n - 1
    EI = np.broadcast_to(-wi / n1, (t_count, n)).copy()
    VI = wi2 * (n - b2) / n1
    VI += (wi**2 - wi2) * (2 * b2 - n) / (n1 * (n - 2))
    VI -= (-wi / n1) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        z_rand = (Is - EI) / np.sqrt(VI)
    p_rand = 0.5 * normal_two_sided(z_rand)  # one-sided: 1 - Phi(|z|)

    if permutations == 0:
        nan = np.full((t_count, n), np.nan)
        p_sim, EI_sim, seI_sim, z_sim, p_z_sim = (nan.copy() for _ in range(5))
    else:
        scaling = n1 / den[:, 0]
        larger, EI_sim, seI_sim = _conditional_permutations(
            z, scaling, matrix, Is, permutations, rng, chunk_bytes
        )
        p_sim = np.where(larger >= 0, (larger + 1.0) / (permutations + 1.0), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            z_sim = (Is - EI_sim) / seI_sim
        p_z_sim = 0.5 * normal_two_sided(z_sim)

    return LocalMoranArrays(
        Is=Is,
        z=z,
        lag=lag,
        quadrant=quadrant,
        EI=EI,
        VI=VI,
        z_rand=z_rand,
        p_rand=p_rand,
        p_sim=p_sim,
        EI_sim=EI_sim,
        seI_sim=seI_sim,
        z_sim=z_sim,
        p_z_sim=p_z_sim,
        permutations=permutations,
    )


# --------------------------------------------------------------------- global statistics
@dataclass(frozen=True)
class GlobalAutocorrelationArrays:
    """Global Moran's I and Geary's C of T cross-sections, every array of shape (T,).

    Attributes
    ----------
    I, EI, VI_norm, z_I, p_norm_I : ndarray
        Moran's I, its expectation ``-1/(N - 1)``, its variance under normality, the
        z value and the two-sided normal p-value (esda's ``I``, ``EI``, ``VI_norm``,
        ``z_norm``, ``p_norm``).
    VI_rand, z_I_rand, p_rand_I : ndarray
        The same under randomisation (esda's ``VI_rand``, ``z_rand``, ``p_rand``; the
        default of R spdep's ``moran.test``).
    p_sim_I : ndarray
        Folded one-sided permutation pseudo p-value of I (esda's ``p_sim``).
    C, VC_norm, z_C, p_norm_C, p_sim_C : ndarray
        Geary's C (expectation 1), its variance under normality, z, the one-sided
        normal p-value and the permutation pseudo p-value (esda's ``Geary``).
    VC_rand, z_C_rand, p_rand_C : ndarray
        Geary's C under randomisation (esda's ``VC_rand``, ``z_rand``, ``p_rand``).
    permutations : int
        Random permutations per year (0: the ``p_sim`` arrays are NaN).
    """

    I: np.ndarray  # noqa: E741 - the statistic's name
    EI: np.ndarray
    VI_norm: np.ndarray
    z_I: np.ndarray
    p_norm_I: np.ndarray
    VI_rand: np.ndarray
    z_I_rand: np.ndarray
    p_rand_I: np.ndarray
    p_sim_I: np.ndarray
    C: np.ndarray
    VC_norm: np.ndarray
    z_C: np.ndarray
    p_norm_C: np.ndarray
    VC_rand: np.ndarray
    z_C_rand: np.ndarray
    p_rand_C: np.ndarray
    p_sim_C: np.ndarray
    permutations: int


def _folded_pvalue(simulated: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """esda's folded pseudo p-value of global statistics, ``(L + 1)/(P + 1)`` with
    ``L = #{sim >= obs}``, replaced by ``P - L`` when that is smaller; simulated (T, P)."""
    permutations = simulated.shape[1]
    larger = (simulated >= observed[:, None]).sum(axis=1)
    larger = np.minimum(larger, permutations - larger)
    return (larger + 1.0) / (permutations + 1.0)


def global_autocorrelation_arrays(
    values: np.ndarray,
    w: sparse.csr_matrix,
    *,
    permutations: int,
    rng: np.random.Generator,
    chunk_bytes: int = 64 * 2**20,
) -> GlobalAutocorrelationArrays:
    """Global Moran's I and Geary's C of each row of ``values``, with permutation inference.

    Parameters
    ----------
    values : ndarray, shape (T, N)
        T cross-sections (years) of N units, finite, not constant within a row.
    w : scipy.sparse matrix, shape (N, N)
        Weights in the order of the columns, used as given (row-standardize before
        the call for esda's ``transformation="r"``).
    permutations : int
        Random permutations of the values per year (0: no pseudo p-values).
    rng : numpy.random.Generator
        The only source of randomness (numpy's global state is never touched).
    chunk_bytes : int
        Bound of the working memory of the permutation block.

    Returns
    -------
    GlobalAutocorrelationArrays

    Notes
    -----
    With :math:`z = y - \\bar y`, :math:`S_0 = \\sum_{ij} w_{ij}`,
    :math:`S_1 = \\frac12 \\sum_{ij}(w_{ij} + w_{ji})^2` and
    :math:`S_2 = \\sum_i (w_{i\\cdot} + w_{\\cdot i})^2`:

    - :math:`I = \\frac{N}{S_0} \\frac{z'Wz}{z'z}`, :math:`E[I] = -1/(N-1)`,
      :math:`V_N[I] = \\frac{N^2 S_1 - N S_2 + 3 S_0^2}{(N^2 - 1) S_0^2} - E[I]^2`
      (Cliff and Ord 1981);
    - :math:`C = \\frac{(N-1) \\sum_{ij} w_{ij}(y_i - y_j)^2}{2 S_0 z'z}`, computed as
      :math:`\\sum_i z_i^2 (w_{i\\cdot} + w_{\\cdot i}) - 2 z'Wz` in the numerator,
      :math:`E[C] = 1`, :math:`V_N[C] = \\frac{(2 S_1 + S_2)(N - 1) - 4 S_0^2}
      {2 (N + 1) S_0^2}` (Geary 1954; Cliff and Ord 1981);
    - under randomisation (the values permuted over the units; Cliff and Ord
      1981), with the sample kurtosis :math:`k = N\\sum z_i^4 / (\\sum z_i^2)^2`:
      :math:`V_R[I] = \\frac{N[(N^2 - 3N + 3) S_1 - N S_2 + 3 S_0^2]
      - k[(N^2 - N) S_1 - 2 N S_2 + 6 S_0^2]}{(N-1)(N-2)(N-3) S_0^2} - E[I]^2` and
      :math:`V_R[C] = \\frac{(N-1) S_1 [N^2 - 3N + 3 - (N-1)k]
      - \\frac14 (N-1) S_2 [N^2 + 3N - 6 - (N^2 - N + 2)k]
      + S_0^2 [N^2 - 3 - (N-1)^2 k]}{N (N-2)(N-3) S_0^2}`;
    - the normal p-value of I is two-sided and that of C one-sided (as esda);
      each permutation shuffles the values of a year (all units), and the pseudo
      p-value is esda's folded one: :math:`(L + 1)/(P + 1)` with :math:`L` the
      number of permuted statistics at least as large as the observed one, or
      :math:`P - L` when smaller.

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. *Biometrika*
    37(1/2): 17-23.

    Geary, R. C. (1954). The contiguity ratio and statistical mapping. *The
    Incorporated Statistician* 5(3): 115-145.

    Cliff, A. D. and Ord, J. K. (1981). *Spatial Processes: Models and
    Applications*. Pion, London.

    Examples
    --------
    A path of four units, values rising along it (positive autocorrelation):

    >>> path = sparse.csr_matrix(np.diag(np.ones(3), 1) + np.diag(np.ones(3), -1))
    >>> out = global_autocorrelation_arrays(np.array([[1.0, 2.0, 3.0, 4.0]]), path,
    ...                                     permutations=0, rng=np.random.default_rng(0))
    >>> round(float(out.I[0]), 6), round(float(out.C[0]), 6)  # (4/6)(2.5/5), 3*6/(2*6*5)
    (0.333333, 0.3)
    """
    array = _check_values(values)
    matrix = _check_weights(w, array.shape[1])
    permutations = _check_count("permutations", permutations, 0)
    budget = _check_count("chunk_bytes", chunk_bytes, 1)
    t, n = array.shape
    s0 = float(matrix.sum())
    if s0 <= 0:
        raise WeightsError("w has no positive weights; spatial autocorrelation is undefined.")
    sym = matrix + matrix.T
    s1 = 0.5 * float(sym.multiply(sym).sum())
    degree = np.asarray(matrix.sum(axis=1)).ravel() + np.asarray(matrix.sum(axis=0)).ravel()
    s2 = float((degree**2).sum())
    z = array - array.mean(axis=1, keepdims=True)
    z2 = (z * z).sum(axis=1)

    def statistics(block: np.ndarray, ss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Moran's I and Geary's C of the rows of ``block`` (..., N) with sums of squares ss."""
        flat = block.reshape(-1, n)
        cross = (flat * np.asarray(matrix @ flat.T).T).sum(axis=1).reshape(block.shape[:-1])
        spread = (block**2 * degree).sum(axis=-1) - 2.0 * cross
        return n / s0 * cross / ss, (n - 1) * spread / (2.0 * s0 * ss)

    moran, geary = statistics(z, z2)
    ei = np.full(t, -1.0 / (n - 1))
    vi = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n - 1) * (n + 1) * s0 * s0) - ei**2
    vc = ((2 * s1 + s2) * (n - 1) - 4 * s0 * s0) / (2 * (n + 1) * s0 * s0)
    z_i = (moran - ei) / np.sqrt(vi)
    z_c = (geary - 1.0) / np.sqrt(vc)
    k = n * (z**4).sum(axis=1) / z2**2  # sample kurtosis of each year
    s02, n2 = s0 * s0, n * n
    vi_rand = (
        n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02) - k * ((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    ) / ((n - 1) * (n - 2) * (n - 3) * s02) - ei**2
    vc_rand = (
        (n - 1) * s1 * (n2 - 3 * n + 3 - (n - 1) * k)
        - 0.25 * (n - 1) * s2 * (n2 + 3 * n - 6 - (n2 - n + 2) * k)
        + s02 * (n2 - 3 - (n - 1) ** 2 * k)
    ) / (n * (n - 2) * (n - 3) * s02)
    with np.errstate(invalid="ignore", divide="ignore"):  # N <= 3: no randomisation moments
        z_i_rand = (moran - ei) / np.sqrt(vi_rand)
        z_c_rand = (geary - 1.0) / np.sqrt(vc_rand)
    p_sim_i = np.full(t, np.nan)
    p_sim_c = np.full(t, np.nan)
    if permutations:
        per_year = max(1, budget // (permutations * n * 8 * 4))
        for start in range(0, t, per_year):
            stop = min(t, start + per_year)
            order = np.argsort(rng.random((stop - start, permutations, n)), axis=-1)
            shuffled = np.take_along_axis(z[start:stop, None, :], order, axis=-1)
            sim_i, sim_c = statistics(shuffled, z2[start:stop, None])
            p_sim_i[start:stop] = _folded_pvalue(sim_i, moran[start:stop])
            p_sim_c[start:stop] = _folded_pvalue(sim_c, geary[start:stop])
    return GlobalAutocorrelationArrays(
        I=moran,
        EI=ei,
        VI_norm=np.full(t, vi),
        z_I=z_i,
        p_norm_I=normal_two_sided(z_i),
        VI_rand=vi_rand,
        z_I_rand=z_i_rand,
        p_rand_I=normal_two_sided(z_i_rand),
        p_sim_I=p_sim_i,
        C=geary,
        VC_norm=np.full(t, vc),
        z_C=z_c,
        p_norm_C=0.5 * normal_two_sided(z_c),
        VC_rand=vc_rand,
        z_C_rand=z_c_rand,
        p_rand_C=0.5 * normal_two_sided(z_c_rand),
        p_sim_C=p_sim_c,
        permutations=permutations,
    )
