"""Distribution dynamics of a score: kernel densities by year and Markov chains.

Kernel density
    A Gaussian kernel density of the value in each year (statsmodels'
    :class:`~statsmodels.nonparametric.kde.KDEUnivariate`), with Silverman's
    rule-of-thumb bandwidth :math:`h = 0.9 \\min(s, \\mathrm{IQR}/1.34)\\,n^{-1/5}`
    computed here as the coupling literature cites it (Silverman 1986,
    eq. 3.31), on one grid common to all years so the curves can be compared.

Markov chains
    Region-years are put into classes (pooled quantiles, the ten coordination
    tiers, or user cut points); the classic chain counts transitions between
    consecutive years (Quah 1993), the spatial chain conditions them on the
    class of the spatial lag of the region in the initial year (Rey 2001).
    Both wrap PySAL's :class:`giddy.markov.Markov` and
    :class:`giddy.markov.Spatial_Markov`; the spatial dependence of the
    transitions is tested with the likelihood-ratio and Q statistics of
    Bickenbach and Bode (2003) as giddy computes them.

References
----------
Silverman, B. W. (1986). *Density Estimation for Statistics and Data
Analysis*. Chapman & Hall, section 3.4.2, eq. (3.31).

Quah, D. (1993). Empirical cross-section dynamics in economic growth.
*European Economic Review* 37(2-3): 426-434.

Rey, S. J. (2001). Spatial empirics for economic growth and convergence.
*Geographical Analysis* 33(3): 195-214.

Bickenbach, F. and Bode, E. (2003). Evaluating the Markov property in
studies of economic convergence. *International Regional Science Review*
26(3): 363-392.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from spatial._core.messages import format_items, suggest
from spatial._core.options import check_option
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.viz.figure import new_axes, save_figure

from ..classify import TEN_TIER, Closed, band_codes
from ..data import Balance
from ..exceptions import (
    DegenerateIndexError,
    IndicatorNotFoundError,
    InsufficientDataError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)
from ..results import CouplingResults
from ._inputs import as_table, value_panel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from spatial.weights import SpatialWeights

__all__ = [
    "KernelDensityResults",
    "MarkovResults",
    "kernel_density",
    "markov_chain",
    "silverman_bandwidth",
]

#: Normalising constant of the interquartile range in Silverman's rule, as
#: printed in Silverman (1986, eq. 3.31) and cited by the coupling literature.
IQR_SCALE = 1.34

ClassScheme = Literal["quantile", "tier"]


# ------------------------------------------------------------ kernel density
def silverman_bandwidth(x: ArrayLike) -> float:
    """Silverman's rule-of-thumb bandwidth ``0.9 min(sd, IQR/1.34) n^(-1/5)``.

    Parameters
    ----------
    x : array_like
        One sample (at least two values).

    Returns
    -------
    float
        The bandwidth; ``sd`` has ``ddof=1`` and the IQR uses linear
        interpolation between order statistics. Where the IQR is 0 (over half
        the values tied) ``sd`` alone is used, as statsmodels does; all values
        equal give 0.

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data
    Analysis*, eq. (3.31).

    Examples
    --------
    >>> round(silverman_bandwidth([0.1, 0.2, 0.4, 0.8]), 6)
    0.165428
    """
    arr = np.asarray(x, dtype=np.float64).ravel()
    sd = float(arr.std(ddof=1))
    q75, q25 = np.percentile(arr, [75.0, 25.0])
    iqr = float(q75 - q25) / IQR_SCALE
    spread = min(sd, iqr) if iqr > 0 else sd
    return 0.9 * spread * arr.size ** (-0.2)


@dataclass(frozen=True, repr=False)
class KernelDensityResults(FrozenTables):
    """Kernel density estimates of a value by year; from :func:`kernel_density`.

    Attributes
    ----------
    density : DataFrame
        Long table: year, ``x`` (grid point), ``density``.
    bandwidths : DataFrame
        Indexed by year: ``n``, ``mean``, ``sd``, ``iqr``, ``bandwidth`` and
        descriptors of the curve on the grid: ``peak_x`` (location of the main
        peak), ``peak_density`` (its height) and ``n_peaks`` (local maxima).
    options : mapping
        Value, bandwidth rule, kernel, grid, version.
    """

    density: pd.DataFrame
    bandwidths: pd.DataFrame
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Bandwidths and peak descriptors by year."""
        notes = (
            f"Gaussian kernel, bandwidth {self.options['bandwidth']!r} "
            "(Silverman 1986: 0.9 min(sd, IQR/1.34) n^-1/5); "
            f"{self.options['grid_size']} grid points on "
            f"[{self.options['grid_min']:.4g}, {self.options['grid_max']:.4g}].",
        )
        return Summary(
            f"Kernel density of {self.options['value']}",
            (("Bandwidth and peaks by year", self.bandwidths),),
            notes,
        )

    def plot(self, path: str | PathLike[str] | None = None) -> Figure:
        """One density curve per year (colour running through the years)."""
        fig, (ax,) = new_axes()
        year = self.bandwidths.index.name
        years = list(self.bandwidths.index)
        colours = _colours(len(years))
        for colour, label in zip(colours, years):
            part = self.density[self.density[year] == label]
            ax.plot(
                part["x"].to_numpy(), part["density"].to_numpy(), color=colour, label=str(label)
            )
        ax.set_xlabel(str(self.options["value"]))
        ax.set_ylabel("density")
        ax.legend(fontsize="small", ncols=2 if len(years) > 8 else 1)
        return save_figure(fig, path)


def _colours(count: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return [cmap(v) for v in np.linspace(0.0, 0.9, max(count, 1))]


def _year_values(
    table: pd.DataFrame, value: str, year: Hashable | None
) -> tuple[np.ndarray, np.ndarray, Hashable]:
    """Year label and value of each row; the year from a column or an index level."""
    if value not in table.columns:
        raise IndicatorNotFoundError(
            f"The value column {value!r} is not in the table."
            + suggest(value, [str(c) for c in table.columns])
        )
    names = list(table.index.names) if isinstance(table.index, pd.MultiIndex) else []
    if year is None:
        if len(names) != 2:
            raise SpecificationError(
                "Name the year column (year=...) or pass a table with a (region, year) index."
            )
        year = names[1]
        labels = table.index.get_level_values(1).to_numpy()
    elif year in table.columns:
        labels = table[year].to_numpy()
    elif year in names:
        labels = table.index.get_level_values(year).to_numpy()
    else:
        raise IndicatorNotFoundError(
            f"The year key {year!r} is neither a column nor an index level of the table."
            + suggest(str(year), [str(c) for c in table.columns])
        )
    values = pd.to_numeric(table[value], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | pd.isna(labels)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise MissingValueError(
            f"{rows.size} row(s) have a missing, infinite or non-numeric {value!r} or year "
            f"(first at row {int(rows[0])}). Drop or fill them first."
        )
    return labels, values, year if year is not None else "year"


def kernel_density(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    year: Hashable | None = None,
    *,
    years: Sequence[Hashable] | None = None,
    grid: int | ArrayLike = 200,
    bandwidth: Literal["silverman"] | float = "silverman",
    cut: float = 3.0,
) -> KernelDensityResults:
    """Gaussian kernel density of a value in each year, on a common grid.

    Parameters
    ----------
    table : DataFrame or CouplingResults
        Long table with the value and a year column (or a (region, year)
        index, as ``CouplingResults.scores``). Panels need not be balanced.
    value : str, default "D"
        Column to analyse.
    year : hashable, optional
        Year column or index level; default the second level of a two-level index.
    years : sequence, optional
        Years to estimate (papers often show a few); default all.
    grid : int or array_like, default 200
        Number of grid points, spread over
        ``[min - cut * h_max, max + cut * h_max]`` of the values of the years
        shown, or the grid points themselves (increasing).
    bandwidth : "silverman" or float
        Silverman's rule per year (:func:`silverman_bandwidth`), or one fixed
        positive bandwidth for every year.
    cut : float, default 3
        Grid extension beyond the data in bandwidths (as statsmodels' ``cut``).

    Returns
    -------
    KernelDensityResults

    Raises
    ------
    InsufficientDataError
        A year with fewer than two values.
    DegenerateIndexError
        All values of a year equal under the Silverman rule (bandwidth 0);
        pass a fixed ``bandwidth`` to draw them anyway.
    SpecificationError, InvalidOptionError, MissingValueError
        Unknown years, a bad grid or bandwidth, missing values.

    Notes
    -----
    :math:`\\hat f(x) = \\frac{1}{nh}\\sum_i \\phi\\left(\\frac{x - x_i}{h}\\right)`,
    evaluated with ``KDEUnivariate(x).fit(kernel="gau", bw=h, fft=False)``
    and ``.evaluate(grid)``, where :math:`h` is computed here (statsmodels'
    own "silverman" uses 1.349 instead of the 1.34 the papers print).

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data
    Analysis*, eq. (3.31).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [1] * 4 + [2] * 4,
    ...                    "D": [0.2, 0.3, 0.35, 0.5, 0.3, 0.4, 0.45, 0.6]})
    >>> res = kernel_density(df, "D", "year", grid=50)
    >>> res.bandwidths["bandwidth"].round(4).tolist()
    [0.0573, 0.0573]
    """
    from statsmodels.nonparametric.kde import KDEUnivariate

    frame = as_table(table)
    labels, values, year_name = _year_values(frame, value, year)
    present = pd.Index(pd.unique(labels)).sort_values()
    if years is None:
        chosen = present
    else:
        wanted = list(years)
        unknown = [y for y in wanted if y not in present]
        if unknown or not wanted:
            raise SpecificationError(
                f"years {format_items(unknown) or '(none)'} are not in the table; it has "
                f"{format_items(list(present), 10)}."
            )
        chosen = pd.Index(wanted)
    samples = [values[labels == y] for y in chosen]
    small = [str(y) for y, s in zip(chosen, samples) if s.size < 2]
    if small:
        raise InsufficientDataError(
            f"A density needs at least two values per year; year(s) {format_items(small)} "
            "have fewer."
        )
    if isinstance(bandwidth, str):
        check_option("bandwidth", bandwidth, ("silverman",))
        widths = np.array([silverman_bandwidth(s) for s in samples])
        flat = [str(y) for y, h in zip(chosen, widths) if not h > 0]
        if flat:
            raise DegenerateIndexError(
                f"All values are equal in year(s) {format_items(flat)}, so Silverman's bandwidth "
                "is 0 (a point mass). Pass a fixed bandwidth=... to draw a kernel anyway."
            )
    else:
        fixed = float(bandwidth)
        if not (np.isfinite(fixed) and fixed > 0):
            raise InvalidOptionError(
                f"bandwidth must be 'silverman' or a positive number, got {bandwidth!r}."
            )
        widths = np.full(len(samples), fixed)
    if not (np.isfinite(cut) and cut >= 0):
        raise InvalidOptionError(f"cut must be a finite number >= 0, got {cut!r}.")
    if np.ndim(grid) == 0:
        size = int(grid)  # type: ignore[arg-type]
        if size < 2 or size != grid:
            raise InvalidOptionError(f"grid must be an integer >= 2 or the points, got {grid!r}.")
        pooled = np.concatenate(samples)
        reach = cut * float(widths.max())
        points = np.linspace(pooled.min() - reach, pooled.max() + reach, size)
    else:
        points = np.asarray(grid, dtype=np.float64).ravel()
        if points.size < 2 or not np.isfinite(points).all() or not (np.diff(points) > 0).all():
            raise InvalidOptionError("grid points must be finite and strictly increasing.")
    curves = []
    stats_rows = []
    for sample, h in zip(samples, widths):
        kde = KDEUnivariate(sample).fit(kernel="gau", bw=float(h), fft=False, gridsize=points.size)
        curve = np.asarray(kde.evaluate(points), dtype=np.float64)
        curves.append(curve)
        inner = curve[1:-1]
        peaks = int(((inner > curve[:-2]) & (inner >= curve[2:])).sum())
        q75, q25 = np.percentile(sample, [75.0, 25.0])
        top = int(np.argmax(curve))
        stats_rows.append({
            "n": sample.size, "mean": sample.mean(), "sd": sample.std(ddof=1),
            "iqr": q75 - q25, "bandwidth": h, "peak_x": points[top],
            "peak_density": curve[top], "n_peaks": peaks,
        })  # fmt: skip
    density = pd.DataFrame({
        year_name: np.repeat(chosen.to_numpy(), points.size),
        "x": np.tile(points, len(samples)),
        "density": np.concatenate(curves),
    })  # fmt: skip
    bandwidths = pd.DataFrame(stats_rows, index=pd.Index(chosen, name=year_name))
    options = {
        "value": value,
        "bandwidth": bandwidth,
        "kernel": "gau",
        "cut": cut,
        "grid_size": points.size,
        "grid_min": float(points[0]),
        "grid_max": float(points[-1]),
        "version": __version__,
    }
    return KernelDensityResults(
        density=density, bandwidths=bandwidths, options=MappingProxyType(options)
    )


# -------------------------------------------------------------- Markov chains
@dataclass(frozen=True)
class _Classes:
    """Cut points, closure and labels of a class scheme."""

    cuts: np.ndarray
    closed: Closed
    labels: tuple[str, ...]

    def codes(self, values: np.ndarray) -> np.ndarray:
        side: Literal["left", "right"] = "right" if self.closed == "left" else "left"
        return np.searchsorted(self.cuts, values, side=side)

    def giddy_cutoffs(self) -> np.ndarray:
        """Cut points for giddy/mapclassify, which close classes on the right (``y <= c``).

        Left-closed classes ``[a, b)`` become ``y <= nextafter(b, -inf)``, the
        same set of floating-point numbers.
        """
        if self.closed == "right":
            return self.cuts.copy()
        return np.nextafter(self.cuts, -np.inf)

    def table(self, values: np.ndarray, index_name: str) -> pd.DataFrame:
        codes = self.codes(values.ravel())
        counts = np.bincount(codes, minlength=len(self.labels))
        edges = np.concatenate([[-np.inf], self.cuts, [np.inf]])
        return pd.DataFrame(
            {
                "code": np.arange(len(self.labels)),
                "lower": edges[:-1],
                "upper": edges[1:],
                "n": counts,
                "share": counts / counts.sum(),
            },
            index=pd.Index(self.labels, name=index_name),
        )


def _interval_label(lower: float, upper: float, closed: Closed) -> str:
    left, right = ("[", ")") if closed == "left" else ("(", "]")
    if not np.isfinite(lower):
        left = "("
    if not np.isfinite(upper):
        right = ")"
    return f"{left}{lower:.4g}, {upper:.4g}{right}"


def _quantile_classes(values: np.ndarray, k: int, what: str) -> _Classes:
    from mapclassify.classifiers import quantile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        bins = np.asarray(quantile(values.ravel(), k=k), dtype=np.float64)
    if bins.size < k:
        raise SpecificationError(
            f"The {what} has only {bins.size} distinct quantile cut points for k={k} classes "
            "(many tied values); lower k or give cut points."
        )
    labels = tuple(f"Q{i + 1}" for i in range(k))
    return _Classes(bins[:-1], "right", labels)


def _resolve_classes(
    values: np.ndarray,
    classes: ClassScheme | Sequence[float],
    k: int,
    closed: Closed,
    tolerance: float,
) -> _Classes:
    check_option("closed", closed, ("left", "right"))
    if isinstance(classes, str):
        check_option("classes", classes, ("quantile", "tier"))
        if classes == "quantile":
            if int(k) != k or k < 2:
                raise InvalidOptionError(f"k must be an integer >= 2, got {k!r}.")
            return _quantile_classes(values, int(k), "value")
        tiers = np.unique(band_codes(values.ravel(), TEN_TIER.edges, closed, tolerance))
        cuts = np.array([TEN_TIER.edges[t] for t in tiers[1:]], dtype=np.float64)
        return _Classes(cuts, closed, tuple(TEN_TIER.labels[t] for t in tiers))
    cuts = np.asarray(classes, dtype=np.float64).ravel()
    if cuts.size < 1 or not np.isfinite(cuts).all() or not (np.diff(cuts) > 0).all():
        raise InvalidOptionError(
            f"classes must be 'quantile', 'tier' or finite increasing cut points, got {classes!r}."
        )
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    labels = tuple(_interval_label(a, b, closed) for a, b in pairwise(edges))
    return _Classes(cuts, closed, labels)


def _steady_state_frame(p: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    from giddy.ergodic import steady_state

    if not (p.sum(axis=1) > 0).any():
        return pd.DataFrame(
            np.full((1, len(labels)), np.nan),
            index=pd.RangeIndex(1, name="distribution"),
            columns=pd.Index(labels, name="class"),
        )
    dist = np.atleast_2d(np.asarray(steady_state(p, fill_empty_classes=True), dtype=np.float64))
    return pd.DataFrame(
        dist,
        index=pd.RangeIndex(dist.shape[0], name="distribution"),
        columns=pd.Index(labels, name="class"),
    )


def _matrix(values: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(
        values, index=pd.Index(labels, name="from"), columns=pd.Index(labels, name="to")
    )


@dataclass(frozen=True, repr=False)
class MarkovResults(FrozenTables):
    """Classic and (with ``w``) spatial Markov chains; from :func:`markov_chain`.

    Attributes
    ----------
    classes : DataFrame
        One row per class (label): ``code``, ``lower``, ``upper``, ``n``
        (region-years in the class) and ``share``.
    transitions, probabilities : DataFrame
        Classic chain: transition counts and row-normalised probabilities,
        ``from`` class in rows, ``to`` class in columns. A class never left
        has a row of zeros in ``probabilities``.
    steady_state : DataFrame
        Ergodic distribution(s) of the classic chain, one row per recurrent
        class (usually one); classes without transitions count as absorbing.
    classified : DataFrame
        Long table: region, year, value, ``class`` and, for the spatial chain,
        ``lag`` and ``lag_class``.
    lag_classes : DataFrame or None
        Classes of the spatial lag (same layout as ``classes``).
    spatial_transitions, spatial_probabilities : DataFrame or None
        Conditional chains, rows indexed by (``lag_class``, ``from``).
    spatial_steady_state : DataFrame or None
        Ergodic distribution of each conditional chain, rows (``lag_class``,
        ``distribution``); NaN for a lag class without transitions.
    tests : DataFrame or None
        Spatial dependence of the transitions: ``LR`` and ``Q``
        (Bickenbach-Bode homogeneity across lag classes) and ``chi2`` (the sum
        of the per-lag-class chi-squared tests of Rey 2001), each with
        ``statistic``, ``df``, ``p_value``.
    options : mapping
        Class scheme, closure, W transform, counts, version.
    """

    classes: pd.DataFrame
    transitions: pd.DataFrame
    probabilities: pd.DataFrame
    steady_state: pd.DataFrame
    classified: pd.DataFrame
    lag_classes: pd.DataFrame | None
    spatial_transitions: pd.DataFrame | None
    spatial_probabilities: pd.DataFrame | None
    spatial_steady_state: pd.DataFrame | None
    tests: pd.DataFrame | None
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Classes, transition probabilities with counts, steady states and tests."""
        n = self.transitions.sum(axis=1).rename("n")
        classic = pd.concat([n, self.probabilities], axis=1)
        tables: list[tuple[str, pd.DataFrame]] = [
            ("Classes", self.classes),
            ("Transition probabilities (n = transitions from the class)", classic),
            ("Steady state", self.steady_state),
        ]
        spatial = (
            self.lag_classes,
            self.spatial_transitions,
            self.spatial_probabilities,
            self.spatial_steady_state,
            self.tests,
        )
        lag_classes, counts, probabilities, steady, tests = spatial
        if (
            lag_classes is not None
            and counts is not None
            and probabilities is not None
            and steady is not None
            and tests is not None
        ):
            conditional = pd.concat([counts.sum(axis=1).rename("n"), probabilities], axis=1)
            tables += [
                ("Lag classes", lag_classes),
                ("Spatial Markov: probabilities conditional on the lag class", conditional),
                ("Spatial Markov: steady states", steady),
                ("Spatial dependence of transitions", tests),
            ]
        opts = self.options
        notes = (
            f"{opts['n_regions']} regions, {opts['n_years']} years, {opts['n_transitions']} "
            f"transitions; classes={opts['classes']!r}, closed={opts['closed']!r}.",
        )
        return Summary(f"Markov chain of {opts['value']}", tuple(tables), notes)


def markov_chain(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    classes: ClassScheme | Sequence[float] = "quantile",
    k: int = 4,
    w: SpatialWeights | None = None,
    closed: Closed = "left",
    tolerance: float = 1e-4,
    balance: Balance = "error",
) -> MarkovResults:
    """Classic and spatial Markov chains of value classes between consecutive years.

    Parameters
    ----------
    table : DataFrame or CouplingResults
        Balanced long (region, year) panel with the value.
    value : str, default "D"
        Column to classify.
    region, year : hashable, optional
        Key names; omit both for a (region, year) MultiIndex.
    classes : {"quantile", "tier"} or sequence of float
        ``"quantile"``: ``k`` classes at the quantiles of all region-years
        pooled (mapclassify's ``Quantiles``, classes closed on the right, as
        giddy does); ``"tier"``: the bands of :data:`coupling.TEN_TIER` that
        occur in the data; or interior cut points (``len + 1`` classes).
    k : int, default 4
        Number of quantile classes.
    w : spatial.SpatialWeights, optional
        Weights matched to the regions by id; row-standardized here. Gives
        the spatial Markov chain conditioned on the class of the spatial lag
        (quantile classes of the lag for ``"quantile"``, the same cut points
        otherwise) and the tests of spatial dependence.
    closed : {"left", "right"}
        Closure of tier and cut-point classes: ``[a, b)`` (default, the
        convention of :func:`coupling.classify`) or ``(a, b]``.
    tolerance : float, default 1e-4
        Values up to this far beyond ``[0, 1]`` belong to the outer tiers
        (the default shift of the coupling model lifts ``D`` above 1).
    balance : {"error", "drop"}
        Unbalanced panel: raise, or drop incomplete regions with a warning.

    Returns
    -------
    MarkovResults

    Raises
    ------
    InsufficientDataError
        Fewer than two years (no transition).
    SpecificationError
        Tied quantiles leaving fewer than ``k`` classes, ``w`` not a
        SpatialWeights or with islands.
    spatial.exceptions.WeightsAlignmentError
        The ids of ``w`` and the regions differ.
    InvalidOptionError, MissingValueError, UnbalancedPanelError
        Bad options, missing values, unbalanced panel.

    Notes
    -----
    The transition probability is :math:`p_{ij} = n_{ij} / n_i`, with
    :math:`n_{ij}` the number of region-years in class :math:`i` in year
    :math:`t` and in class :math:`j` in :math:`t+1`, pooled over all pairs of
    consecutive years (consecutive observed years: gaps count as one period).
    The spatial chain splits the counts by the class of the spatial lag
    :math:`\\sum_r w_{ir} y_{rt}` in year :math:`t`. Homogeneity across lag
    classes is tested by
    :math:`LR = 2 \\sum_l \\sum_i \\sum_j n_{ij,l} \\ln(p_{ij,l} / p_{ij})` and
    :math:`Q = \\sum_l \\sum_i \\sum_j n_{i,l} (p_{ij,l} - p_{ij})^2 / p_{ij}`,
    both :math:`\\chi^2` with the degrees of freedom of Bickenbach and Bode
    (2003) (``giddy.markov.Spatial_Markov.LR``, ``.Q``, ``.dof_hom``).

    References
    ----------
    Quah (1993), *European Economic Review* 37: 426-434; Rey (2001),
    *Geographical Analysis* 33(3): 195-214; Bickenbach and Bode (2003),
    *International Regional Science Review* 26(3): 363-392.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("aabbcc"), "year": [1, 2] * 3,
    ...                    "D": [0.15, 0.35, 0.35, 0.45, 0.55, 0.45]})
    >>> res = markov_chain(df, region="region", year="year", classes=[0.3, 0.5])
    >>> res.transitions.to_numpy().tolist()
    [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
    """
    from giddy.markov import Markov, Spatial_Markov

    check_option("closed", closed, ("left", "right"))
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise InvalidOptionError(f"tolerance must be a finite number >= 0, got {tolerance!r}.")
    panel = value_panel(table, value, region, year, balance=balance)
    y = panel.values  # (T, N)
    t, n = y.shape
    if t < 2:
        raise InsufficientDataError(
            f"A transition matrix needs at least two years; the table has {t} "
            f"({format_items(list(panel.years))})."
        )
    scheme = _resolve_classes(y, classes, k, closed, tolerance)
    labels = scheme.labels
    n_classes = len(labels)
    codes = scheme.codes(y)  # (T, N)
    classic = Markov(codes.T, classes=np.arange(n_classes), summary=False)
    counts = np.asarray(classic.transitions).astype(np.int64)
    classified = pd.DataFrame({
        panel.region_name: np.tile(panel.regions.to_numpy(), t),
        panel.year_name: np.repeat(panel.years.to_numpy(), n),
        value: y.ravel(),
        "class": pd.Categorical.from_codes(codes.ravel(), categories=list(labels), ordered=True),
    })  # fmt: skip
    lag_table = spatial_counts = spatial_p = spatial_ss = tests = None
    w_transform = None
    if w is not None:
        weights = _aligned_weights(w, panel.regions)
        w_transform = "row"
        lag = np.asarray(weights.sparse @ y.T).T  # (T, N)
        if isinstance(classes, str) and classes == "quantile":
            lag_scheme = _quantile_classes(lag, int(k), "spatial lag")
        else:
            lag_scheme = _Classes(scheme.cuts, scheme.closed, labels)
        lag_codes = lag_scheme.codes(lag)
        chain = Spatial_Markov(
            y.T,
            weights.to_libpysal(),
            cutoffs=scheme.giddy_cutoffs(),
            lag_cutoffs=lag_scheme.giddy_cutoffs(),
            fixed=True,
            fill_empty_classes=False,
        )
        lag_labels = lag_scheme.labels
        rows = pd.MultiIndex.from_product([lag_labels, labels], names=["lag_class", "from"])
        to = pd.Index(labels, name="to")
        spatial_counts = pd.DataFrame(
            np.asarray(chain.T).astype(np.int64).reshape(-1, n_classes), rows, to
        )
        spatial_p = pd.DataFrame(np.asarray(chain.P).reshape(-1, n_classes), rows, to)
        frames = {lab: _steady_state_frame(np.asarray(chain.P[i]), labels)
                  for i, lab in enumerate(lag_labels)}  # fmt: skip
        spatial_ss = pd.concat(frames, names=["lag_class", "distribution"])
        tests = pd.DataFrame(
            {
                "statistic": [float(chain.LR), float(chain.Q), float(chain.x2)],
                "df": [int(chain.dof_hom), int(chain.dof_hom), int(chain.x2_dof)],
                "p_value": [float(chain.LR_p_value), float(chain.Q_p_value),
                            float(chain.x2_pvalue)],
            },
            index=pd.Index(["LR", "Q", "chi2"], name="test"),
        )  # fmt: skip
        lag_table = lag_scheme.table(lag, "lag_class")
        classified["lag"] = lag.ravel()
        classified["lag_class"] = pd.Categorical.from_codes(
            lag_codes.ravel(), categories=list(lag_labels), ordered=True
        )
    options = {
        "value": value,
        "classes": classes if isinstance(classes, str) else tuple(float(c) for c in classes),
        "k": n_classes,
        "closed": scheme.closed,
        "tolerance": tolerance,
        "w_transform": w_transform,
        "n_regions": n,
        "n_years": t,
        "n_transitions": int(counts.sum()),
        "balance": balance,
        "dropped_regions": panel.dropped_regions,
        "version": __version__,
    }
    return MarkovResults(
        classes=scheme.table(y, "class"),
        transitions=_matrix(counts, labels),
        probabilities=_matrix(np.asarray(classic.p, dtype=np.float64), labels),
        steady_state=_steady_state_frame(np.asarray(classic.p, dtype=np.float64), labels),
        classified=classified,
        lag_classes=lag_table,
        spatial_transitions=spatial_counts,
        spatial_probabilities=spatial_p,
        spatial_steady_state=spatial_ss,
        tests=tests,
        options=MappingProxyType(options),
    )


def _aligned_weights(w: Any, regions: pd.Index) -> SpatialWeights:
    """``w`` reordered to the regions (by id) and row-standardized; islands refused."""
    from spatial.weights import SpatialWeights

    if not isinstance(w, SpatialWeights):
        raise SpecificationError(
            f"w must be a spatial.SpatialWeights (e.g. SpatialWeights.from_libpysal(...)), got "
            f"{type(w).__name__}."
        )
    aligned = w.reorder(list(regions))
    if aligned.islands:
        raise SpecificationError(
            f"W has regions without neighbours ({format_items(list(aligned.islands))}); their "
            "spatial lag is undefined. Connect them (e.g. to the nearest region) first."
        )
    return aligned.standardize("row")
