"""Exploratory spatial data analysis of a panel: Moran's I, Geary's C and LISA by year.

Thin wrappers of :mod:`esda` (global :class:`esda.Moran` and :class:`esda.Geary`,
local :class:`esda.Moran_Local`): the panel is aligned to the weights by id,
each year is passed to esda, and the numbers come back as one tidy table. The
permutations are seeded without leaving numpy's global random state changed.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._core.messages import format_items
from .._core.options import check_option, check_seed
from .._core.panel import panel_arrays, require_columns
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, PanelStructureError
from ..panel import align_to_weights, check_weights
from ..weights import SpatialWeights

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
_ESDA_TRANSFORM = {"row": "R", "none": "O"}

#: LISA categories: esda's quadrant code q (1 HH, 2 LH, 3 LL, 4 HL), then not significant.
LISA_LABELS: tuple[str, ...] = ("HH", "LH", "LL", "HL", "not significant")
LISA_LABELS_ZH: tuple[str, ...] = ("高-高", "低-高", "低-低", "高-低", "不显著")


# ------------------------------------------------------------------------- helpers
@contextmanager
def _kept_random_state(seed: int | None, *, seed_numpy: bool = True) -> Iterator[None]:
    """Seed numpy's global RandomState for the block, then put the old state back.

    esda's global statistics draw from the global state; ``Moran_Local`` seeds
    it itself when numba is absent (``seed_numpy=False``: only save and
    restore). With ``seed=None`` nothing is seeded or restored: the draws then
    advance the global state, as a direct call of esda would.
    """
    if seed is None:
        yield
        return
    state = np.random.get_state()  # noqa: NPY002 - esda draws from the global state
    try:
        if seed_numpy:
            np.random.seed(seed)  # noqa: NPY002
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


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
    if years is not None:
        wanted = list(years)
        absent = [y for y in wanted if y not in set(table[year])]
        if absent or not wanted:
            raise InvalidOptionError(
                f"Year(s) {format_items(absent) or '(none)'} are not in the table."
            )
        table = table[table[year].isin(wanted)]
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
        ``E_I`` (= -1/(n-1)), ``sd_I`` and ``z_I`` (normality assumption),
        ``p_norm_I`` (two-tailed), ``p_sim_I`` (permutation pseudo p-value);
        with Geary, ``C``, ``z_C``, ``p_norm_C`` (one-tailed) and ``p_sim_C``.
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
        moran = self.table[["n", "I", "E_I", "sd_I", "z_I", "p_norm_I", "p_sim_I"]]
        parts: list[tuple[str, pd.DataFrame]] = [("Moran's I", moran)]
        if self.geary:
            parts.append(("Geary's C", self.table[["n", "C", "z_C", "p_norm_C", "p_sim_C"]]))
        seeded = f"seed {self.seed}" if self.seed is not None else "unseeded"
        notes = (
            f"W: {'row-standardized' if self.standardize == 'row' else 'as given'}. "
            f"p_norm: normal approximation (two-tailed for I, one-tailed for C); p_sim: "
            f"{self.permutations} random permutations ({seeded}), one-tailed pseudo p-value.",
            "Computed with esda (Moran, Geary).",
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
        Each year's Moran and Geary permutations start from
        ``np.random.seed(seed)`` (so a year's p-value does not depend on the
        other years), and numpy's global state is restored afterwards.
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
    ``z = y - mean(y)`` and ``S0 = sum_ij w_ij``; values, moments and p-values
    are esda's.

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
    *Biometrika* 37: 17-23. Geary, R. C. (1954). The contiguity ratio and
    statistical mapping. *The Incorporated Statistician* 5: 115-145. Rey, S. J.
    and Anselin, L. (2007). PySAL: a Python library of spatial analytical
    methods. *Review of Regional Studies* 37: 5-27.

    Examples
    --------
    >>> from coupling.datasets import load_provincial_panel
    >>> from spatial.weights import china_provinces
    >>> panel = load_provincial_panel()
    >>> res = moran_by_year(panel, "rd_intensity", china_provinces(), "code", "year",
    ...                     years=[2022, 2023], permutations=99)
    >>> list(res.table.index), bool((res.table["I"] > 0).all())
    ([2022, 2023], True)
    """
    import esda

    check_option("standardize", standardize, ("row", "none"))
    permutations = _check_permutations(permutations, 0)
    seed = check_seed(seed)
    labels, values, _ = _year_values(table, value, w, region, year, years)
    wlib = w.to_libpysal()
    transformation = _ESDA_TRANSFORM[standardize]
    rows = []
    for y in values:
        with _kept_random_state(seed):
            m = esda.Moran(y, wlib, transformation=transformation, permutations=permutations)
        row = {
            "n": int(m.n),
            "I": float(m.I),
            "E_I": float(m.EI),
            "sd_I": float(m.seI_norm),
            "z_I": float(m.z_norm),
            "p_norm_I": float(m.p_norm),
            "p_sim_I": float(getattr(m, "p_sim", np.nan)),
        }
        if geary:
            with _kept_random_state(seed):
                g = esda.Geary(y, wlib, transformation=transformation, permutations=permutations)
            row.update(
                C=float(g.C),
                z_C=float(g.z_norm),
                p_norm_C=float(g.p_norm),
                p_sim_C=float(getattr(g, "p_sim", np.nan)),
            )
        rows.append(row)
    result = pd.DataFrame(rows, index=pd.Index(labels, name=year))
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
        Passed to esda's ``Moran_Local`` for every year; numpy's global random
        state is left as it was.
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
    high). Values, quadrants and p-values are esda's; ``p_sim`` is esda's
    folded one-sided ("directed") conditional-permutation pseudo p-value.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA.
    *Geographical Analysis* 27(2): 93-115.

    Examples
    --------
    >>> from coupling.datasets import load_provincial_panel
    >>> from spatial.weights import china_provinces
    >>> panel = load_provincial_panel()
    >>> res = local_moran(panel, "rd_intensity", china_provinces(), "code", "year",
    ...                   years=[2023])
    >>> res.table.set_index("code").loc["65", ["label", "label_zh"]].tolist()
    ['LL', '低-低']
    """
    import esda
    from libpysal.weights import lag_spatial

    check_option("standardize", standardize, ("row", "none"))
    permutations = _check_permutations(permutations, 1)
    seed = check_seed(seed)
    if not 0.0 < float(significance) < 1.0:
        raise InvalidOptionError(f"significance must lie in (0, 1), got {significance!r}.")
    labels, values, regions = _year_values(table, value, w, region, year, years)
    wlib = w.to_libpysal()
    transformation = _ESDA_TRANSFORM[standardize]
    island = np.isin(np.arange(w.n), [w.ids.index(i) for i in w.islands])
    if island.any():
        warnings.warn(
            f"{island.sum()} region(s) without neighbours ({format_items(list(w.islands))}) "
            "get no local statistic: p_sim is NaN and the label 'not significant'.",
            UserWarning,
            stacklevel=2,
        )
    parts = []
    for t, y in zip(labels, values):
        with (
            _kept_random_state(seed, seed_numpy=False),
            warnings.catch_warnings(),
            np.errstate(invalid="ignore" if island.any() else "warn"),
        ):
            # esda 2.8 announces a future change of its default; the p-values stay "directed"
            warnings.filterwarnings("ignore", "The alternative hypothesis", DeprecationWarning)
            lm = esda.Moran_Local(y, wlib, transformation=transformation,
                                  permutations=permutations, seed=seed)  # fmt: skip
        quadrant = np.asarray(lm.q, dtype=np.int64)
        p_sim = np.where(island, np.nan, np.asarray(lm.p_sim, dtype=np.float64))
        significant = p_sim <= significance
        code = np.where(significant, quadrant - 1, len(LISA_LABELS) - 1)
        parts.append(
            pd.DataFrame(
                {
                    region: regions,
                    year: t,
                    value: y,
                    "z": lm.z,
                    "lag": lag_spatial(lm.w, lm.z),
                    "Is": lm.Is,
                    "p_sim": p_sim,
                    "quadrant": quadrant,
                    "label": pd.Categorical.from_codes(code, categories=list(LISA_LABELS)),
                    "label_zh": pd.Categorical.from_codes(code, categories=list(LISA_LABELS_ZH)),
                }
            )
        )
    result = pd.concat(parts, ignore_index=True)
    return LocalMoranResults(
        result, str(region), str(year), str(value), float(significance), permutations, seed,
        standardize,
    )  # fmt: skip
