"""Getis-Ord Gi* hot and cold spots of a (region, year) panel, year by year.

:func:`gi_star` returns, for every region and year, esda's ``G_Local(star=True)``
statistic (``Gs``), its expectation and z value under the normality assumption
(``EGs``, ``Zs``, ``p_norm``), and the pseudo p-value of a conditional
randomization (``p_sim``), with hot/cold-spot classes at 90, 95 and 99% confidence,
as one tidy table; :func:`spatial.viz.hotspot_map` draws it.

Why an own batched kernel rather than ``esda.G_Local`` per year. esda's
conditional randomization (``esda.crand``) is written for numba and compiles at
run time (some 20 s in every new process), it handles one cross-section per call,
and it seeds numpy's global random state (``np.random.seed`` in
``vec_permutations``). Here the analytical part is esda's formulas written as array
operations over all years at once, and the permutations reuse the toolkit's
conditional-permutation kernel of :mod:`spatial.exploratory.permutation` (all
years, units and draws at once, one :class:`numpy.random.Generator`, nothing
compiled): 999 permutations for 31 provinces x 6 years take a few milliseconds.
esda stays the reference in the tests (``G``, ``z`` and ``p_norm`` to 1e-10; ``p_sim``
against an exact enumeration and against esda's own ``crand`` within sampling error).
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .._core.distributions import normal_two_sided
from .._core.messages import format_items
from .._core.options import Language, check_option, check_seed
from .._core.results import FrozenTables
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, MissingValueError, PanelStructureError, WeightsError
from ..weights import SpatialWeights
from .autocorrelation import _check_permutations, _year_values
from .permutation import _folded_count, _permutation_groups, _simulated_lags

__all__ = [
    "HOTSPOT_LABELS",
    "HOTSPOT_LABELS_ZH",
    "GiStarArrays",
    "GiStarResults",
    "gi_star",
    "gi_star_arrays",
]

GiWeights = Literal["binary", "row"]
Inference = Literal["sim", "norm"]

#: Hot/cold-spot classes in the order of ``bin`` = 3, 2, 1, 0, -1, -2, -3 (ArcGIS's Gi_Bin).
HOTSPOT_LABELS: tuple[str, ...] = (
    "hot spot 99%",
    "hot spot 95%",
    "hot spot 90%",
    "not significant",
    "cold spot 90%",
    "cold spot 95%",
    "cold spot 99%",
)
HOTSPOT_LABELS_ZH: tuple[str, ...] = (
    "热点（99%）",
    "热点（95%）",
    "热点（90%）",
    "不显著",
    "冷点（90%）",
    "冷点（95%）",
    "冷点（99%）",
)
_LEVELS = (0.01, 0.05, 0.10)  # 99, 95, 90% confidence


# ------------------------------------------------------------------------------ kernel
@dataclass(frozen=True)
class GiStarArrays:
    """Gi* of T cross-sections of N units, every array of shape (T, N).

    Attributes
    ----------
    G, EG, VG : ndarray
        esda's ``Gs``, ``EGs`` and ``VGs``: the statistic, its expectation and its
        variance under the normality assumption.
    z, p_norm : ndarray
        ``(G - EG) / sqrt(VG)`` and the one-sided normal p-value ``1 - Phi(|z|)``.
    p_sim : ndarray
        Folded one-sided pseudo p-value of the conditional randomization (NaN for
        units without neighbours or with ``permutations=0``).
    EG_sim, seG_sim, z_sim : ndarray
        Mean and sd (ddof 0) of the simulated G, and ``(G - EG_sim) / seG_sim``.
    permutations : int
        Conditional permutations per unit and year.
    """

    G: np.ndarray
    EG: np.ndarray
    VG: np.ndarray
    z: np.ndarray
    p_norm: np.ndarray
    p_sim: np.ndarray
    EG_sim: np.ndarray
    seG_sim: np.ndarray
    z_sim: np.ndarray
    permutations: int


def _star_links(w: Any, n: int) -> sparse.csr_matrix:
    """The binary links of W (non-zero off-diagonal entries) as CSR, sorted indices."""
    if not sparse.issparse(w):
        raise WeightsError(f"w must be a scipy sparse matrix, got {type(w).__name__}.")
    matrix = sparse.csr_matrix(w, dtype=np.float64, copy=True)
    if matrix.shape != (n, n):
        raise WeightsError(f"w has shape {matrix.shape}; the values have {n} units.")
    if not np.isfinite(matrix.data).all():
        raise WeightsError("w has NaN or infinite weights.")
    if (matrix.data < 0).any():
        raise WeightsError("w has negative weights; Gi* needs non-negative weights.")
    matrix.setdiag(0.0)
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    matrix.sort_indices()
    return matrix


def gi_star_arrays(
    values: np.ndarray,
    w: sparse.csr_matrix,
    *,
    weights: GiWeights = "binary",
    permutations: int,
    rng: np.random.Generator,
    chunk_bytes: int = 64 * 2**20,
) -> GiStarArrays:
    """Getis-Ord Gi* of every row of ``values``, with conditional-permutation pseudo p-values.

    Parameters
    ----------
    values : ndarray, shape (T, N)
        T cross-sections of N >= 3 non-negative values, not constant within a row.
    w : scipy sparse matrix, shape (N, N)
        Contiguity (or any) weights; only its links count: the non-zero off-diagonal
        entries become 1 and every unit gets a self-link of 1 (esda's ``star=True`` on
        binary weights).
    weights : {"binary", "row"}
        Binary star weights (esda ``transform="B"``) or the same row-standardized,
        ``1/(k_i + 1)`` for each of the k_i neighbours and the unit itself (esda
        ``transform="R"``).
    permutations : int
        Conditional permutations per unit and year (0: no ``p_sim``).
    rng : numpy.random.Generator
        The only source of randomness (advanced by ``P * T * sum_i k_i`` doubles).
    chunk_bytes : int, default 64 MiB
        Target working memory of the permutation block; results do not depend on it.

    Returns
    -------
    GiStarArrays

    Raises
    ------
    PanelStructureError
        Not a (T, N) array with N >= 3, negative values, or a constant row.
    MissingValueError
        NaN or infinite values.
    WeightsError
        ``w`` not sparse, of the wrong shape, with negative or non-finite weights.

    Notes
    -----
    With star weights ``w*_ij`` (``w*_ii > 0``), ``W_i = sum_j w*_ij`` (esda's
    cardinality: k_i + 1 binary, 1 row-standardized), ``ybar`` and ``s**2`` the mean
    and population variance of the N values of the year (esda ``G_Local.calc``)::

        G_i   = sum_j w*_ij y_j / sum_j y_j
        EG_i  = W_i / N
        VG_i  = W_i (N - W_i) / ((N - 1) N**2) * s**2 / ybar**2
        z_i   = (G_i - EG_i) / sqrt(VG_i),   p_norm = 1 - Phi(|z_i|)

    With binary weights z_i equals Ord and Getis's (1995) Gi* z,
    ``(sum_j w*_ij y_j - ybar W_i) / (s sqrt((N W_i - W_i**2)/(N - 1))))``; with
    row-standardized weights esda (and this function) keep the binary form of the
    variance with W_i = 1, which is not Ord and Getis's general formula (that would use
    ``sum_j w*_ij**2``): binary weights are the default for that reason.

    Conditional randomization (esda ``_g_local_star_crand``): y_i stays at unit i with
    its self-weight, and its k_i neighbour weights are paired with k_i values drawn
    without replacement from the other N - 1 units,
    ``G_i^(r) = (w*_ii y_i + sum_m w_i,m y_pi(m)) / sum_j y_j``;
    ``p_sim = (L + 1)/(P + 1)`` with ``L = min(#{G^(r) >= G}, #{G^(r) <= G})``, ties
    (a draw of the observed neighbours, equal values) counting in both tails, as in
    :func:`spatial.exploratory.permutation.local_moran_arrays`. Each (year, unit) has
    its own draws (esda shares one set of draws among the units of a call).

    References
    ----------
    Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of
    distance statistics. *Geographical Analysis* 24(3): 189-206.

    Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics:
    distributional issues and an application. *Geographical Analysis* 27(4): 286-306.

    Examples
    --------
    >>> ring = sparse.csr_matrix(np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    >>> y = np.array([[1.0, 2.0, 3.0, 6.0, 5.0, 4.0]])
    >>> out = gi_star_arrays(y, ring, permutations=0, rng=np.random.default_rng(0))
    >>> out.G[0].round(4).tolist()  # (y_{i-1} + y_i + y_{i+1}) / 21
    [0.3333, 0.2857, 0.5238, 0.6667, 0.7143, 0.4762]
    >>> round(float(out.z[0, 4]), 4)  # (15 - 3.5 * 3) / (sqrt(35/12) * sqrt(3 * 3 / 5))
    1.964
    """
    check_option("weights", weights, ("binary", "row"))
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 3:
        raise PanelStructureError(
            f"values must be a (T, N) array with T >= 1 and N >= 3, got shape {array.shape}."
        )
    if not np.isfinite(array).all():
        raise MissingValueError("values contain NaN or infinite entries.")
    if (array < 0).any():
        rows = np.unique(np.nonzero(array < 0)[0]).tolist()
        raise PanelStructureError(
            f"values are negative in row(s) {rows}; Gi* (a share of the total, Getis and Ord "
            "1992) needs non-negative values: shift or rescale the variable first."
        )
    flat = np.flatnonzero(np.ptp(array, axis=1) == 0)
    if flat.size:
        raise PanelStructureError(f"values are constant in row(s) {flat.tolist()}.")
    if isinstance(permutations, bool) or not isinstance(permutations, (int, np.integer)):
        raise InvalidOptionError(f"permutations must be an integer >= 0, got {permutations!r}.")
    if permutations < 0:
        raise InvalidOptionError(f"permutations must be an integer >= 0, got {permutations!r}.")
    if not isinstance(rng, np.random.Generator):
        raise InvalidOptionError(f"rng must be a numpy.random.Generator, got {rng!r}.")
    t_count, n = array.shape
    links = _star_links(w, n)
    cards = np.diff(links.indptr)
    if weights == "binary":
        self_weight = np.ones(n)
        neighbour_weight = np.ones(n)
    else:
        self_weight = 1.0 / (cards + 1.0)
        neighbour_weight = self_weight
    total = array.sum(axis=1, keepdims=True)
    lag = np.asarray(links @ array.T).T * neighbour_weight + self_weight * array
    G = lag / total
    card = (cards + 1.0) * neighbour_weight if weights == "binary" else np.ones(n)
    mean = total / n
    variance = (array**2).mean(axis=1, keepdims=True) - mean**2
    EG = np.broadcast_to(card / n, (t_count, n)).copy()
    VG = card * (n - card) / ((n - 1) * n**2) * variance / mean**2
    z = (G - EG) / np.sqrt(VG)
    p_norm = 0.5 * normal_two_sided(z)

    nan = np.full((t_count, n), np.nan)
    p_sim, EG_sim, seG_sim = nan.copy(), nan.copy(), nan.copy()
    if permutations:
        flat_y = np.ascontiguousarray(array).ravel()
        y_max = array.max(axis=1)
        for t_g, i_g, k, uniforms, entries in _permutation_groups(
            cards, t_count, permutations, int(chunk_bytes), rng
        ):
            weights_g = np.repeat(neighbour_weight[i_g][:, None], k, axis=1)
            sims = _simulated_lags(flat_y, (t_g * n)[:, None], i_g[:, None], weights_g, uniforms,
                                   entries, n)  # fmt: skip
            sims += (self_weight[i_g] * array[t_g, i_g])[:, None]
            sims /= total[t_g]
            tol = 4.0 * (k + 2) * np.finfo(np.float64).eps
            tol *= (card[i_g] * y_max[t_g]) / total[t_g, 0]
            counts = _folded_count(sims, G[t_g, i_g], tol)
            p_sim[t_g, i_g] = (counts + 1.0) / (permutations + 1.0)
            EG_sim[t_g, i_g] = sims.mean(axis=1)
            seG_sim[t_g, i_g] = sims.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z_sim = (G - EG_sim) / seG_sim
    return GiStarArrays(G, EG, VG, z, p_norm, p_sim, EG_sim, seG_sim, z_sim, int(permutations))


def hotspot_bins(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """ArcGIS's Gi_Bin: 3, 2, 1 for hot spots at 99, 95, 90% confidence (``p <= 0.01,
    0.05, 0.10`` and ``z > 0``), -3, -2, -1 for cold spots, 0 otherwise (NaN p: 0).

    Examples
    --------
    >>> hotspot_bins(np.array([2.7, 2.0, -1.7, 0.3]), np.array([0.004, 0.03, 0.08, 0.4]))
    array([ 3,  2, -1,  0])
    """
    level = np.zeros(np.shape(p), dtype=np.int64)
    with np.errstate(invalid="ignore"):
        for count, cut in zip((3, 2, 1), _LEVELS):
            level = np.where((level == 0) & (p <= cut), count, level)
    return np.where(z > 0, level, np.where(z < 0, -level, 0)).astype(np.int64)


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True, repr=False)
class GiStarResults(FrozenTables):
    """Getis-Ord Gi* hot and cold spots of a variable for each region and year.

    Attributes
    ----------
    table : DataFrame
        One row per region and year: the region and year columns (named as in the
        input), the value, ``G`` (esda's ``Gs``), ``E_G``, ``z`` (esda's ``Zs``),
        ``p_norm`` (one-sided normal), ``p_sim`` (conditional permutations, folded
        one-sided), ``z_sim``, ``bin`` (3 .. -3, ArcGIS's Gi_Bin), ``class`` (hot spot
        99%, ..., not significant, ..., cold spot 99%) and ``class_zh`` (热点（99%）...).
    region, year, value : str
        Column names of the input.
    weights : {"binary", "row"}
        The star weights.
    inference : {"sim", "norm"}
        The p-value behind the classes: ``p_sim``, or the two-sided normal p-value
        ``2 p_norm`` (ArcGIS).
    permutations : int
        Conditional permutations per region and year.
    seed : int or None
        Seed of the permutations.
    """

    table: pd.DataFrame
    region: str
    year: str
    value: str
    weights: str
    inference: str
    permutations: int
    seed: int | None

    def counts(self, language: Language = "en") -> pd.DataFrame:
        """Number of regions in each class, per year (all seven classes as columns)."""
        check_option("language", language, ("en", "zh"))
        column = "class" if language == "en" else "class_zh"
        names = HOTSPOT_LABELS if language == "en" else HOTSPOT_LABELS_ZH
        table = self.table
        counts = (
            table.groupby(self.year, observed=True)[column].value_counts().unstack(fill_value=0)
        )
        return counts.reindex(columns=list(names), fill_value=0).astype("int64")

    def summary(self) -> Summary:
        """Hot and cold spots per year and confidence level."""
        counts = self.counts()
        counts.columns.name = None
        basis = (
            f"p_sim of {self.permutations} conditional permutations (seed {self.seed})"
            if self.inference == "sim"
            else "the two-sided normal p-value 2 p_norm (|z| >= 1.645, 1.960, 2.576)"
        )
        notes = (
            f"Getis-Ord Gi* of {self.value} with {self.weights} star weights (the region counts "
            f"among its neighbours). Classes at 90/95/99% confidence from {basis}; hot when "
            "z > 0, cold when z < 0.",
        )
        return Summary(f"Hot and cold spots of {self.value}", (("Regions per class", counts),),
                       notes)  # fmt: skip


def gi_star(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    permutations: int = 999,
    seed: int | None = 0,
    weights: GiWeights = "binary",
    inference: Inference = "sim",
) -> GiStarResults:
    """Getis-Ord Gi* with hot/cold-spot classes for each region and year of a panel.

    Parameters
    ----------
    table : DataFrame
        Long panel, one row per region and year (never modified).
    value : str
        The variable (non-negative, e.g. the coupling-coordination degree D).
    w : SpatialWeights
        Weights whose ids are the region labels of ``table`` (matched by id); only its
        links count (binary, plus a self-link: Gi*).
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years (default: every year of the table).
    permutations : int, default 999
        Conditional permutations per region and year (0: no ``p_sim``; then
        ``inference`` must be ``"norm"``).
    seed : int or None, default 0
        Seed of the :class:`numpy.random.Generator` of the permutations; numpy's global
        random state is never touched.
    weights : {"binary", "row"}
        Binary star weights (esda ``G_Local(transform="B", star=True)``, the Ord-Getis
        z) or row-standardized ones (esda's default ``transform="R"``).
    inference : {"sim", "norm"}
        The p-value of the classes: the permutation ``p_sim`` (esda, GeoDa), or the
        two-sided normal ``2 p_norm`` (ArcGIS's Gi_Bin).

    Returns
    -------
    GiStarResults

    Raises
    ------
    WeightsAlignmentError
        Regions of the table not in W, or ids of W not in the table.
    PanelStructureError
        Missing or repeated region-years, negative values, or a constant year.

    Warns
    -----
    UserWarning
        When W has islands: their Gi* is their own share, without permutation inference.

    Notes
    -----
    See :func:`gi_star_arrays` for the formulas. A region is a hot spot at 99 / 95 /
    90% confidence when ``z > 0`` and ``p <= 0.01 / 0.05 / 0.10``, a cold spot likewise
    when ``z < 0``, with p the pseudo p-value ``p_sim`` (``inference="sim"``) or
    ``2 p_norm`` (``"norm"``).

    References
    ----------
    Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of
    distance statistics. *Geographical Analysis* 24(3): 189-206. Ord, J. K. and Getis,
    A. (1995). Local spatial autocorrelation statistics: distributional issues and an
    application. *Geographical Analysis* 27(4): 286-306.

    Examples
    --------
    Capital latitude: the north-east is a hot spot, the south a cold spot.

    >>> from spatial.geography import load_china_provinces
    >>> from spatial.weights import china_provinces
    >>> provinces = load_china_provinces()
    >>> panel = pd.DataFrame({"code": provinces["code"], "year": 2023,
    ...                       "lat": provinces["capital_lat"]})
    >>> res = gi_star(panel, "lat", china_provinces(), "code", "year", permutations=999)
    >>> res.table.set_index("code").loc[["22", "44"], "class"].tolist()  # Jilin, Guangdong
    ['hot spot 99%', 'cold spot 99%']
    """
    check_option("weights", weights, ("binary", "row"))
    check_option("inference", inference, ("sim", "norm"))
    permutations = _check_permutations(permutations, 0)
    if inference == "sim" and permutations == 0:
        raise InvalidOptionError(
            "inference='sim' needs permutations >= 1; pass inference='norm' for the normal "
            "p-value only."
        )
    seed = check_seed(seed)
    labels, values, regions = _year_values(table, value, w, region, year, years)
    if w.islands:
        warnings.warn(
            f"{len(w.islands)} region(s) without neighbours ({format_items(list(w.islands))}): "
            "their Gi* is their own share; p_sim is NaN.",
            UserWarning,
            stacklevel=2,
        )
    stats = gi_star_arrays(
        values, w.matrix, weights=weights, permutations=permutations,
        rng=np.random.default_rng(seed),
    )  # fmt: skip
    p = stats.p_sim if inference == "sim" else np.minimum(2.0 * stats.p_norm, 1.0)
    bins = hotspot_bins(stats.z, p)
    codes = (3 - bins).ravel()
    t, n = values.shape
    result = pd.DataFrame(
        {
            region: np.tile(np.asarray(regions, dtype=object), t),
            year: np.repeat(np.asarray(labels, dtype=object), n),
            value: values.ravel(),
            "G": stats.G.ravel(),
            "E_G": stats.EG.ravel(),
            "z": stats.z.ravel(),
            "p_norm": stats.p_norm.ravel(),
            "p_sim": stats.p_sim.ravel(),
            "z_sim": stats.z_sim.ravel(),
            "bin": bins.ravel(),
            "class": pd.Categorical.from_codes(codes, categories=list(HOTSPOT_LABELS)),
            "class_zh": pd.Categorical.from_codes(codes, categories=list(HOTSPOT_LABELS_ZH)),
        }
    )
    result[year] = result[year].astype(pd.Index(labels).dtype)
    return GiStarResults(
        result, str(region), str(year), str(value), weights, inference, permutations, seed
    )
