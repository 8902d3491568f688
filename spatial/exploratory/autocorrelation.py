"""Exploratory spatial data analysis of a panel: Moran's I, Geary's C and LISA by year.

The panel goes through the toolkit's validator and is aligned to the weights by id;
all years are computed at once by the array kernels of
:mod:`spatial.exploratory.permutation` (the statistics, moments and p-values of
esda's ``Moran``, ``Geary`` and ``Moran_Local``, which remain the reference in the
tests, without esda's run-time compilation), and the numbers come back as one tidy
table. Permutations draw from a :class:`numpy.random.Generator` seeded with
``seed``; numpy's global random state is never touched.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._core.messages import format_items
from .._core.options import check_option, check_seed
from .._core.panel import panel_arrays, require_columns, rows_of_years
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, PanelStructureError
from ..models.data import align_to_weights, check_weights
from ..weights import SpatialWeights
from .permutation import global_autocorrelation_arrays, local_moran_arrays

__all__ = [
    "LISA_LABELS",
    "LISA_LABELS_ZH",
    "LocalMoranResults",
    "MoranResults",
    "aligned_values",
    "local_moran",
    "moran_by_year",
]

Standardize = Literal["row", "none"]

#: LISA categories: esda's quadrant code q (1 HH, 2 LH, 3 LL, 4 HL), then not significant.
LISA_LABELS: tuple[str, ...] = ("HH", "LH", "LL", "HL", "not significant")
LISA_LABELS_ZH: tuple[str, ...] = ("高-高", "低-高", "低-低", "高-低", "不显著")


# ------------------------------------------------------------------------- helpers
def _check_permutations(permutations: int, minimum: int) -> int:
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, (int, np.integer))
        or permutations < minimum
    ):
        raise InvalidOptionError(
            f"permutations must be an integer >= {minimum}, got {permutations!r}."
        )
    return int(permutations)


def _year_values(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    years: Sequence[Any] | None,
) -> tuple[list[Any], np.ndarray, list[Hashable]]:
    """The values as a (T, N) array, columns in the order of ``w.ids``, rows by year.

    The table goes through the toolkit's panel validator (missing values,
    repeated or absent region-years are errors) and is aligned to W by id.
    """
    check_weights(w)
    require_columns(table, [region, year, value])
    table = rows_of_years(table, year, years)
    panel = panel_arrays(table, [str(value)], region, year)
    aligned, labels = align_to_weights(panel, w)
    values = aligned[:, :, 0]
    flat = [panel.years[t] for t in np.flatnonzero(np.ptp(values, axis=1) == 0)]
    if flat:
        raise PanelStructureError(
            f"{value!r} is constant across regions in year(s) {format_items(flat)}; spatial "
            "autocorrelation is undefined there."
        )
    return list(panel.years), values, list(labels)


def aligned_values(values: pd.Series, w: SpatialWeights) -> np.ndarray:
    """One value per id of ``w``, in W's order (matched by label), for a cross-section."""
    check_weights(w)
    frame = pd.DataFrame({"region": values.index, "year": 0, "value": values.to_numpy()})
    panel = panel_arrays(frame, ["value"], "region", "year")
    y = align_to_weights(panel, w)[0][0, :, 0]
    if np.ptp(y) == 0:
        raise PanelStructureError("values are constant; spatial autocorrelation is undefined.")
    return y


# ---------------------------------------------------------------------- global Moran
@dataclass(frozen=True)
class MoranResults:
    """Global Moran's I (and Geary's C) of a variable, year by year.

    Attributes
    ----------
    table : DataFrame
        One row per year (index named after the year column): ``n``, ``I``,
        ``E_I`` (= -1/(n-1)); under normality ``sd_I_norm``, ``z_I_norm`` and
        ``p_norm_I`` (two-tailed); under randomisation (R spdep's ``moran.test``
        default) ``sd_I_rand``, ``z_I_rand`` and ``p_rand_I``; ``p_sim_I``
        (permutation pseudo p-value); with Geary, ``C``, ``z_C_norm``, ``p_norm_C``,
        ``z_C_rand``, ``p_rand_C`` (one-tailed) and ``p_sim_C``. The z of C is
        :math:`(C - 1)/sd` (as esda; spdep's ``geary.test`` prints :math:`(1 - C)/sd`).
    value : str
        The variable.
    permutations, seed : int
        Permutations per year and statistic, and the seed (None: unseeded).
    standardize : {"row", "none"}
        The weights used: row-standardized W, or W as given.
    geary : bool
        Whether Geary's C was computed.
    """

    table: pd.DataFrame
    value: str
    permutations: int
    seed: int | None
    standardize: str
    geary: bool

    def summary(self) -> Summary:
        """Moran's I (and Geary's C) by year as text, HTML or LaTeX."""
        moran = self.table[["n", "I", "E_I", "z_I_norm", "p_norm_I", "z_I_rand", "p_rand_I",
                            "p_sim_I"]]  # fmt: skip
        parts: list[tuple[str, pd.DataFrame]] = [("Moran's I", moran)]
        if self.geary:
            geary = self.table[["n", "C", "z_C_norm", "p_norm_C", "z_C_rand", "p_rand_C",
                                "p_sim_C"]]  # fmt: skip
            parts.append(("Geary's C", geary))
        seeded = f"seed {self.seed}" if self.seed is not None else "unseeded"
        notes = (
            f"W: {'row-standardized' if self.standardize == 'row' else 'as given'}. "
            f"p_norm / p_rand: normal approximation under normality / randomisation "
            f"(two-tailed for I, one-tailed for C); p_sim: "
            f"{self.permutations} random permutations ({seeded}), one-tailed pseudo p-value.",
        )
        return Summary(f"Global spatial autocorrelation of {self.value}", tuple(parts), notes)


def moran_by_year(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    permutations: int = 999,
    seed: int | None = 0,
    geary: bool = True,
    standardize: Standardize = "row",
) -> MoranResults:
    """Global Moran's I (and Geary's C) of ``value`` for every year of a panel.

    Parameters
    ----------
    table : DataFrame
        Long panel, one row per region and year.
    value : str
        The variable.
    w : SpatialWeights
        Weights whose ids are the region labels of ``table`` (matched by id).
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years (default: every year of the table).
    permutations : int, default 999
        Random permutations for the pseudo p-values (0: none, ``p_sim`` is NaN).
    seed : int or None, default 0
        Seed of the :class:`numpy.random.Generator` of the permutations (all
        years drawn at once; Moran and Geary use the same permutations); numpy's
        global random state is never touched.
    geary : bool, default True
        Also compute Geary's C.
    standardize : {"row", "none"}
        Row-standardize W (esda's default, ``transformation="r"``) or use it as
        given (``"o"``).

    Returns
    -------
    MoranResults

    Raises
    ------
    WeightsAlignmentError
        Regions of the table not in W, or ids of W not in the table (both listed).
    PanelStructureError
        Missing or repeated (region, year) values, or a constant year.

    Notes
    -----
    ``I = (n / S0) * sum_ij w_ij z_i z_j / sum_i z_i^2`` and
    ``C = (n - 1) sum_ij w_ij (y_i - y_j)^2 / (2 S0 sum_i z_i^2)``, with
    ``z = y - mean(y)`` and ``S0 = sum_ij w_ij``; values, moments under normality and
    under randomisation (Cliff and Ord 1981) and their normal p-values equal esda's
    ``Moran`` and ``Geary`` and R spdep's ``moran.test`` and ``geary.test``, and
    ``p_sim`` is esda's folded permutation p-value (the formulas are in
    :func:`spatial.exploratory.permutation.global_autocorrelation_arrays`).

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
    *Biometrika* 37: 17-23. Geary, R. C. (1954). The contiguity ratio and
    statistical mapping. *The Incorporated Statistician* 5: 115-145. Rey, S. J.
    and Anselin, L. (2007). PySAL: a Python library of spatial analytical
    methods. *Review of Regional Studies* 37: 5-27. Cliff, A. D. and Ord, J. K.
    (1981). *Spatial Processes: Models and Applications*. Pion, London.

    Examples
    --------
    Values rising from south to north over China's provinces (capital latitude):

    >>> from spatial.geography import load_china_provinces
    >>> from spatial.weights import china_provinces
    >>> provinces = load_china_provinces()
    >>> panel = pd.DataFrame({"code": provinces["code"], "year": 2023,
    ...                       "lat": provinces["capital_lat"]})
    >>> res = moran_by_year(panel, "lat", china_provinces(), "code", "year", permutations=99)
    >>> bool(res.table.loc[2023, "I"] > 0.5), float(res.table.loc[2023, "p_sim_I"])
    (True, 0.01)
    """
    check_option("standardize", standardize, ("row", "none"))
    permutations = _check_permutations(permutations, 0)
    seed = check_seed(seed)
    labels, values, _ = _year_values(table, value, w, region, year, years)
    matrix = (w.standardize("row") if standardize == "row" else w).matrix
    stats = global_autocorrelation_arrays(
        values, matrix, permutations=permutations, rng=np.random.default_rng(seed)
    )
    columns = {"n": np.full(len(labels), values.shape[1]), "I": stats.I, "E_I": stats.EI,
               "sd_I_norm": np.sqrt(stats.VI_norm), "z_I_norm": stats.z_I,
               "p_norm_I": stats.p_norm_I, "sd_I_rand": np.sqrt(stats.VI_rand),
               "z_I_rand": stats.z_I_rand, "p_rand_I": stats.p_rand_I,
               "p_sim_I": stats.p_sim_I}  # fmt: skip
    if geary:
        columns.update(C=stats.C, z_C_norm=stats.z_C, p_norm_C=stats.p_norm_C,
                       z_C_rand=stats.z_C_rand, p_rand_C=stats.p_rand_C,
                       p_sim_C=stats.p_sim_C)  # fmt: skip
    result = pd.DataFrame(columns, index=pd.Index(labels, name=year))
    return MoranResults(result, str(value), permutations, seed, standardize, geary)


# ------------------------------------------------------------------------ local Moran
@dataclass(frozen=True)
class LocalMoranResults:
    """Local Moran's I (LISA) of a variable for each region and year.

    Attributes
    ----------
    table : DataFrame
        One row per region and year: the region and year columns (named as in
        the input), the value, ``z`` (standardized value, population sd),
        ``lag`` (spatial lag of ``z``), ``Is`` (local Moran), ``p_sim``
        (conditional-permutation pseudo p-value), ``quadrant`` (esda's q: 1 HH,
        2 LH, 3 LL, 4 HL), ``label`` (HH, LH, LL, HL or "not significant" when
        ``p_sim > significance``) and ``label_zh`` (高-高, 低-高, 低-低, 高-低, 不显著).
    region, year, value : str
        Column names of the input.
    significance : float
        Level of the labels.
    permutations, seed : int
        Conditional permutations per year, and the seed passed to esda.
    standardize : {"row", "none"}
        The weights used.
    """

    table: pd.DataFrame
    region: str
    year: str
    value: str
    significance: float
    permutations: int
    seed: int | None
    standardize: str

    def counts(self, language: Literal["en", "zh"] = "en") -> pd.DataFrame:
        """Number of regions of each LISA category, per year."""
        check_option("language", language, ("en", "zh"))
        column = "label" if language == "en" else "label_zh"
        names = LISA_LABELS if language == "en" else LISA_LABELS_ZH
        counts = self.table.groupby(self.year)[column].value_counts().unstack(fill_value=0)
        return counts.reindex(columns=list(names), fill_value=0).astype("int64")

    def summary(self) -> Summary:
        """Counts of HH, LH, LL, HL and not-significant regions per year."""
        counts = self.counts()
        counts.columns.name = None
        notes = (
            f"Local Moran's I of {self.value}; significant when p_sim <= {self.significance:g} "
            f"({self.permutations} conditional permutations, seed {self.seed}). Computed with "
            "esda (Moran_Local).",
        )
        return Summary(f"LISA clusters of {self.value}", (("Regions per category", counts),),
                       notes)  # fmt: skip


def local_moran(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    permutations: int = 999,
    seed: int | None = 0,
    significance: float = 0.05,
    standardize: Standardize = "row",
) -> LocalMoranResults:
    """Local Moran's I (LISA) with HH/LL/HL/LH labels for each region and year.

    Parameters
    ----------
    table : DataFrame
        Long panel, one row per region and year.
    value : str
        The variable.
    w : SpatialWeights
        Weights whose ids are the region labels of ``table`` (matched by id).
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years (default: every year of the table).
    permutations : int, default 999
        Conditional permutations per year (at least 1).
    seed : int or None, default 0
        Seed of the :class:`numpy.random.Generator` of the conditional
        permutations (all years drawn at once, independently); numpy's global
        random state is never touched.
    significance : float, default 0.05
        Regions with ``p_sim > significance`` are labelled "not significant".
    standardize : {"row", "none"}
        Row-standardize W (esda's default) or use it as given.

    Returns
    -------
    LocalMoranResults

    Warns
    -----
    UserWarning
        When W has islands: they get ``p_sim = NaN`` and "not significant"
        (esda would report the smallest attainable p-value for them).

    Notes
    -----
    ``I_i = (n - 1) z_i sum_j w_ij z_j / sum_j z_j^2`` with ``z`` the
    standardized value; quadrants follow the signs of ``z_i`` and of its lag
    (HH: both positive, LL: both negative, HL: high among low, LH: low among
    high). Values, quadrants and moments equal esda's ``Moran_Local``;
    ``p_sim`` is the folded one-sided ("directed") conditional-permutation
    pseudo p-value, with simulated values equal to ``I_i`` counted in both
    tails (:func:`spatial.exploratory.permutation.local_moran_arrays`). The
    table also carries ``EI`` and ``VI`` (total randomization) and ``z_sim``.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA.
    *Geographical Analysis* 27(2): 93-115.

    Examples
    --------
    Capital latitude, high in the north-east and low in the south:

    >>> from spatial.geography import load_china_provinces
    >>> from spatial.weights import china_provinces
    >>> provinces = load_china_provinces()
    >>> panel = pd.DataFrame({"code": provinces["code"], "year": 2023,
    ...                       "lat": provinces["capital_lat"]})
    >>> res = local_moran(panel, "lat", china_provinces(), "code", "year")
    >>> res.table.set_index("code").loc[["22", "44"], "label"].tolist()  # Jilin, Guangdong
    ['HH', 'LL']
    """
    check_option("standardize", standardize, ("row", "none"))
    permutations = _check_permutations(permutations, 1)
    seed = check_seed(seed)
    if not 0.0 < float(significance) < 1.0:
        raise InvalidOptionError(f"significance must lie in (0, 1), got {significance!r}.")
    labels, values, regions = _year_values(table, value, w, region, year, years)
    if w.islands:
        warnings.warn(
            f"{len(w.islands)} region(s) without neighbours ({format_items(list(w.islands))}) "
            "get no local statistic: p_sim is NaN and the label 'not significant'.",
            UserWarning,
            stacklevel=2,
        )
    matrix = (w.standardize("row") if standardize == "row" else w).matrix
    stats = local_moran_arrays(
        values, matrix, permutations=permutations, rng=np.random.default_rng(seed)
    )
    significant = stats.p_sim <= significance
    code = np.where(significant, stats.quadrant - 1, len(LISA_LABELS) - 1)
    t, n = values.shape
    result = pd.DataFrame(
        {
            region: np.tile(np.asarray(regions, dtype=object), t),
            year: np.repeat(np.asarray(labels, dtype=object), n),
            value: values.ravel(),
            "z": stats.z.ravel(),
            "lag": stats.lag.ravel(),
            "Is": stats.Is.ravel(),
            "EI": stats.EI.ravel(),
            "VI": stats.VI.ravel(),
            "z_sim": stats.z_sim.ravel(),
            "p_sim": stats.p_sim.ravel(),
            "quadrant": stats.quadrant.ravel(),
            "label": pd.Categorical.from_codes(code.ravel(), categories=list(LISA_LABELS)),
            "label_zh": pd.Categorical.from_codes(code.ravel(), categories=list(LISA_LABELS_ZH)),
        }
    )
    result[year] = result[year].astype(pd.Index(labels).dtype)
    return LocalMoranResults(
        result, str(region), str(year), str(value), float(significance), permutations, seed,
        standardize,
    )  # fmt: skip
