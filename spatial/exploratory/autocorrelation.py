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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from spatial._core.common import Summary, check_option, format_items, nonfinite_cells

from ..exceptions import PanelStructureError, SpecificationError, WeightsAlignmentError
from ..viz.maps import _line_axes, _new_figure, _require_columns, _save, _style, _text
from ..weights import SpatialWeights

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LISA_LABELS",
    "LISA_LABELS_ZH",
    "LocalMoranResults",
    "MoranResults",
    "local_moran",
    "moran_by_year",
    "moran_scatter",
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


def _check_seed(seed: int | None) -> int | None:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise SpecificationError(f"seed must be an int or None, got {seed!r}.")
    return None if seed is None else int(seed)


def _check_permutations(permutations: int, minimum: int) -> int:
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, (int, np.integer))
        or permutations < minimum
    ):
        raise SpecificationError(
            f"permutations must be an integer >= {minimum}, got {permutations!r}."
        )
    return int(permutations)


def _esda_weights(w: SpatialWeights) -> Any:
    """The libpysal ``W`` esda expects, with the ids of ``w`` in the same order."""
    from libpysal.weights import WSP

    if not isinstance(w, SpatialWeights):
        raise SpecificationError(
            f"w must be a SpatialWeights, got {type(w).__name__}; convert a libpysal object "
            "with SpatialWeights.from_libpysal(w)."
        )
    return WSP(w.sparse, id_order=list(w.ids)).to_W(silence_warnings=True)


def _alignment_hint(only_data: Sequence[Hashable], w: SpatialWeights) -> str:
    ids_text = {str(i) for i in w.ids}
    if any(str(r) in ids_text for r in only_data):
        return " Labels match as text: make the id types agree (e.g. all str)."
    from ..geography import ProvinceNameError, province_codes, resolve_provinces

    if set(map(str, w.ids)) <= set(province_codes()):
        try:
            resolve_provinces(only_data)
        except ProvinceNameError:
            return ""
        return (
            " W's ids are 2-digit province codes and the table has names: convert them with "
            "spatial.geography.resolve_provinces(table[region])."
        )
    return ""


def _panel_matrix(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    years: Sequence[Any] | None,
) -> tuple[list[Any], np.ndarray]:
    """The values as a (T, N) array, columns in the order of ``w.ids``, rows by year."""
    _require_columns(table, [region, year, value])
    frame = table[[region, year, value]]
    if years is not None:
        wanted = list(years)
        absent = [y for y in wanted if y not in set(frame[year])]
        if absent or not wanted:
            raise SpecificationError(
                f"Year(s) {format_items(absent) or '(none)'} are not in the table."
            )
        frame = frame[frame[year].isin(wanted)]
    try:
        numbers = pd.to_numeric(frame[value], errors="raise").astype("float64")
    except (TypeError, ValueError) as err:
        raise SpecificationError(f"Column {value!r} must hold numbers: {err}") from err
    frame = frame.copy()
    frame[value] = numbers
    dup = frame.duplicated([region, year], keep=False)
    if dup.any():
        pairs = [f"{r} {t}" for r, t in frame.loc[dup, [region, year]].itertuples(index=False)]
        raise PanelStructureError(
            f"{int(dup.sum())} rows repeat a (region, year) pair: {format_items(pairs)}."
        )
    labels = list(pd.unique(frame[region]))
    id_set, label_set = set(w.ids), set(labels)
    only_data = [r for r in labels if r not in id_set]
    only_w = [i for i in w.ids if i not in label_set]
    if only_data or only_w:
        raise WeightsAlignmentError(
            f"Regions in the table but not in W: {format_items(only_data) or 'none'}; in W but "
            f"not in the table: {format_items(only_w) or 'none'}. W is matched to the data by "
            f"id.{_alignment_hint(only_data, w)}"
        )
    wide = frame.pivot(index=year, columns=region, values=value)
    wide = wide.reindex(columns=list(w.ids)).sort_index()
    values = wide.to_numpy(dtype=np.float64)
    pairs = nonfinite_cells(values, lambda r, c: f"{w.ids[c]} {wide.index[r]}")
    if pairs:
        raise PanelStructureError(
            f"{len(pairs)} (region, year) value(s) of {value!r} are missing: "
            f"{format_items(pairs)}. Drop those years (years=...) or fill the values."
        )
    flat = [wide.index[t] for t in np.flatnonzero(np.ptp(values, axis=1) == 0)]
    if flat:
        raise PanelStructureError(
            f"{value!r} is constant across regions in year(s) {format_items(flat)}; spatial "
            "autocorrelation is undefined there."
        )
    return list(wide.index), values


def _series_values(values: pd.Series, w: SpatialWeights) -> np.ndarray:
    """One value per id of ``w``, in W's order (matched by label)."""
    repeated = values.index[values.index.duplicated()].unique().tolist()
    if repeated:
        raise PanelStructureError(f"values has repeated ids: {format_items(repeated)}.")
    id_set, label_set = set(w.ids), set(values.index)
    only_data = [r for r in values.index if r not in id_set]
    only_w = [i for i in w.ids if i not in label_set]
    if only_data or only_w:
        raise WeightsAlignmentError(
            f"Ids in values but not in W: {format_items(only_data) or 'none'}; in W but not in "
            f"values: {format_items(only_w) or 'none'}.{_alignment_hint(only_data, w)}"
        )
    y = pd.to_numeric(values.reindex(list(w.ids)), errors="coerce").to_numpy(dtype=np.float64)
    if not np.isfinite(y).all():
        bad = [w.ids[i] for i in np.flatnonzero(~np.isfinite(y))]
        raise PanelStructureError(f"values are missing or not numbers for {format_items(bad)}.")
    if np.ptp(y) == 0:
        raise PanelStructureError("values are constant; spatial autocorrelation is undefined.")
    return y


def _stars(p: float) -> str:
    return "***" if p <= 0.01 else "**" if p <= 0.05 else "*" if p <= 0.1 else ""


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

    def plot(
        self,
        path: str | Path | None = None,
        *,
        language: Literal["en", "zh"] = "en",
        significance: float = 0.05,
        dpi: float = 150,
    ) -> Figure:
        """Moran's I by year: filled markers where ``p_sim <= significance``, stars above.

        Stars: ``***`` p_sim <= 0.01, ``**`` <= 0.05, ``*`` <= 0.1. The dashed
        line is E[I] = -1/(n-1).
        """
        from matplotlib.lines import Line2D

        with _style(language):
            years = list(self.table.index)
            moran = self.table["I"].to_numpy()
            pvalues = self.table["p_sim_I"].to_numpy()
            fig = _new_figure((5.0, 3.3))
            ax = fig.subplots()
            ax.plot(years, moran, color="#1b6ca8", zorder=2)
            strong = pvalues <= significance
            for mask, face in ((strong, "#1b6ca8"), (~strong, "white")):
                ax.scatter(np.asarray(years)[mask], moran[mask], s=28, facecolor=face,
                           edgecolor="#1b6ca8", linewidth=1.2, zorder=3)  # fmt: skip
            for x, y, p in zip(years, moran, pvalues):
                ax.annotate(_stars(p), (x, y), xytext=(0, 5), textcoords="offset points",
                            ha="center", fontsize=8)  # fmt: skip
            ax.axhline(float(self.table["E_I"].iloc[0]), color="grey", linestyle="--", lw=0.8)
            _line_axes(ax, language, _text(language, "moran_i"))
            handles = [
                Line2D([], [], marker="o", color="#1b6ca8", markerfacecolor="#1b6ca8",
                       label=_text(language, "significant", level=significance)),
                Line2D([], [], marker="o", color="#1b6ca8", markerfacecolor="white",
                       label=_text(language, "not_significant", level=significance)),
                Line2D([], [], color="grey", linestyle="--", lw=0.8,
                       label=_text(language, "expected")),
            ]  # fmt: skip
            ax.legend(handles=handles, frameon=False, loc="best")
            low, high = ax.get_ylim()
            ax.set_ylim(low, high + 0.08 * (high - low))
            _save(fig, path, dpi)
        return fig


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

    check_option("standardize", standardize, ("row", "none"), SpecificationError)
    permutations = _check_permutations(permutations, 0)
    seed = _check_seed(seed)
    wlib = _esda_weights(w)
    labels, values = _panel_matrix(table, value, w, region, year, years)
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
        check_option("language", language, ("en", "zh"), SpecificationError)
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

    check_option("standardize", standardize, ("row", "none"), SpecificationError)
    permutations = _check_permutations(permutations, 1)
    seed = _check_seed(seed)
    if not 0.0 < float(significance) < 1.0:
        raise SpecificationError(f"significance must lie in (0, 1), got {significance!r}.")
    wlib = _esda_weights(w)
    labels, values = _panel_matrix(table, value, w, region, year, years)
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
                    region: list(w.ids),
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


# ------------------------------------------------------------------- scatter plot
def moran_scatter(
    values: pd.Series,
    w: SpatialWeights,
    *,
    ax: Axes | None = None,
    language: Literal["en", "zh"] = "en",
    label: str | None = None,
    title: str | None = None,
    path: str | Path | None = None,
    dpi: float = 150,
) -> Figure:
    """Moran scatter plot: standardized values against their spatial lag.

    Parameters
    ----------
    values : Series
        One value per id of ``w`` (index = the ids; matched by label).
    w : SpatialWeights
        The weights; the plot uses their row-standardized form.
    ax : Axes, optional
        Draw into this axes (default: a new figure).
    language : {"en", "zh"}
        Labels in English or Chinese.
    label : str, optional
        Name of the variable on the axes (default the Series name).
    title : str, optional
        Default ``"Moran's I = ..."``.
    path : str or Path, optional
        Write the figure there.
    dpi : float, default 150
        Resolution of the written file.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    With row-standardized W the least-squares slope of ``Wz`` on ``z``
    (through the origin) is Moran's I (esda's, ``transformation="r"``); the
    dotted lines at zero divide the HH, LH, LL and HL quadrants.

    References
    ----------
    Anselin, L. (1996). The Moran scatterplot as an ESDA tool to assess local
    instability in spatial association. In Fischer, Scholten and Unwin (eds.),
    *Spatial Analytical Perspectives on GIS*, 111-125. Taylor & Francis.
    """
    import esda
    from libpysal.weights import lag_spatial

    if not isinstance(values, pd.Series):
        raise SpecificationError(
            f"values must be a pandas Series indexed by the ids of w, got "
            f"{type(values).__name__}; for values in W's order use pd.Series(values, "
            "index=w.ids)."
        )
    wlib = _esda_weights(w)
    y = _series_values(values, w)
    with _style(language):
        m = esda.Moran(y, wlib, transformation="R", permutations=0)
        z = np.asarray(m.z)
        lag = lag_spatial(m.w, z)
        if ax is None:
            fig = _new_figure((4.2, 4.0))
            ax = fig.subplots()
        else:
            fig = ax.get_figure(root=True)  # type: ignore[assignment]
        ax.scatter(z, lag, s=18, facecolor="#1b6ca8", edgecolor="white", linewidth=0.4,
                   alpha=0.9, zorder=3)  # fmt: skip
        x_span = float(np.abs(z).max()) * 1.15
        y_span = max(float(np.abs(lag).max()), abs(float(m.I)) * x_span) * 1.15
        grid = np.array([-x_span, x_span])
        ax.plot(grid, float(m.I) * grid, color="#d7191c", lw=1.2, zorder=2)
        ax.axhline(0, color="grey", lw=0.7, linestyle=":")
        ax.axvline(0, color="grey", lw=0.7, linestyle=":")
        ax.set_xlim(-x_span, x_span)
        ax.set_ylim(-y_span, y_span)
        quadrant_names = dict(zip(("HH", "LH", "LL", "HL"), LISA_LABELS_ZH))
        corners = {
            "HH": (0.97, 0.97, "right", "top"),
            "LH": (0.03, 0.97, "left", "top"),
            "LL": (0.03, 0.03, "left", "bottom"),
            "HL": (0.97, 0.03, "right", "bottom"),
        }
        for quadrant, (x_pos, y_pos, ha, va) in corners.items():
            text = quadrant if language == "en" else quadrant_names[quadrant]
            ax.text(x_pos, y_pos, text, transform=ax.transAxes, ha=ha, va=va, color="#555555",
                    fontsize=9, weight="bold" if language == "en" else "normal")  # fmt: skip
        name = label if label is not None else str(values.name or "value")
        ax.set_xlabel(_text(language, "standardized", label=name))
        ax.set_ylabel(_text(language, "lag", label=name))
        ax.set_title(title if title is not None else _text(language, "scatter_title",
                                                           value=float(m.I)))  # fmt: skip
        ax.spines[["top", "right"]].set_visible(False)
        _save(fig, path, dpi)
    return fig
