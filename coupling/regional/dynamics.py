"""Distribution dynamics of a score: kernel densities by year and Markov chains.

Kernel density
    A Gaussian kernel density of the value in each year, with Silverman's
    rule-of-thumb bandwidth :math:`h = 0.9 \\min(s, \\mathrm{IQR}/1.34)\\,n^{-1/5}`
    computed as the coupling literature cites it (Silverman 1986, eq. 3.31), on
    one grid common to all years so the curves can be compared. A value bounded
    to a support :math:`[a, b]` (the coupling scores ``C``, ``T`` and ``D`` live
    in :math:`[0, 1]`) is estimated by reflection at the bounds (Schuster 1985;
    Silverman 1986, section 2.10), so no density spills outside the support.

Markov chains
    Region-years are put into classes (pooled quantiles, the ten coordination
    tiers, or user cut points); the classic chain counts transitions between
    consecutive years (Quah 1993), the spatial chain conditions them on the
    class of the spatial lag of the region in the initial year (Rey 2001). The
    spatial dependence of the transitions is tested with the likelihood-ratio
    and Q statistics of Bickenbach and Bode (2003) and the chi-squared test of
    Rey (2001). Every count, probability, steady state, statistic, degree of
    freedom and p-value is defined as PySAL's :class:`giddy.markov.Markov`,
    :class:`giddy.markov.Spatial_Markov` and :func:`giddy.ergodic.steady_state`
    define it (the tests check them against giddy).

Why the arithmetic is written here
    giddy, quantecon, mapclassify and statsmodels would be loaded for a few
    array operations: counting transitions is one ``bincount`` over all
    region-year pairs, the tests are sums over a (lag class, from, to) array,
    the steady state is a Gaussian elimination on a k x k matrix and a Gaussian
    kernel density is a sum of normal densities. Importing giddy costs about
    2 s, mapclassify (giddy's classifier) loads numba, and giddy's steady state
    goes through quantecon's ``gth_solve``, which numba compiles at run time
    (about 1 s) in every new process. On the main job's path nothing may
    compile at run time, so this module uses numpy (and scipy's compiled
    ``csgraph`` and ``special``) only.

References
----------
Silverman, B. W. (1986). *Density Estimation for Statistics and Data
Analysis*. Chapman & Hall, section 2.10 and section 3.4.2, eq. (3.31).

Schuster, E. F. (1985). Incorporating support constraints into nonparametric
estimators of densities. *Communications in Statistics - Theory and Methods*
14(5): 1123-1136.

Quah, D. (1993). Empirical cross-section dynamics in economic growth.
*European Economic Review* 37(2-3): 426-434.

Rey, S. J. (2001). Spatial empirics for economic growth and convergence.
*Geographical Analysis* 33(3): 195-214.

Bickenbach, F. and Bode, E. (2003). Evaluating the Markov property in
studies of economic convergence. *International Regional Science Review*
26(3): 363-392.

Grassmann, W. K., Taksar, M. I. and Heyman, D. P. (1985). Regenerative
analysis and steady state distributions for Markov chains. *Operations
Research* 33(5): 1107-1116.
"""

from __future__ import annotations

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
from spatial._core.options import Language, check_option
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.viz.figure import new_axes, save_figure, style, wording

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

#: Scores of the coupling model bounded to [0, 1] (coupling degree C,
#: comprehensive index T, coordination degree D): their densities are reflected
#: at 0 and 1 unless told otherwise (see :func:`kernel_density`).
SCORE_SUPPORT: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"C": (0.0, 1.0), "T": (0.0, 1.0), "D": (0.0, 1.0)}
)

#: Largest number of kernel evaluations held in memory at once (about 32 MB).
_KDE_BLOCK = 1 << 22

#: The y-axis label of the density figure in the two languages.
_DENSITY_WORD: Mapping[str, str] = MappingProxyType({"en": "density", "zh": "核密度"})

ClassScheme = Literal["quantile", "tier"]
Boundary = Literal["reflect", "none"]


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
        Long table: year, ``x`` (grid point), ``density`` (0 at grid points
        outside the support, when there is one).
    bandwidths : DataFrame
        Indexed by year: ``n``, ``mean``, ``sd``, ``iqr``, ``bandwidth`` and
        descriptors of the curve on the grid: ``peak_x`` (location of the main
        peak), ``peak_density`` (its height) and ``n_peaks`` (local maxima,
        a maximum at a reflecting bound included).
    options : mapping
        Value, bandwidth rule, kernel, grid, ``support`` (``(a, b)`` or None),
        ``support_source`` (``"argument"``, ``"score"`` when inferred for a
        coupling score, or None), ``boundary`` (the boundary method applied:
        ``"reflect"`` or ``"none"``), ``tolerance``, version.
    """

    density: pd.DataFrame
    bandwidths: pd.DataFrame
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Bandwidths and peak descriptors by year."""
        opts = self.options
        notes = (
            f"Gaussian kernel, bandwidth {opts['bandwidth']!r} "
            "(Silverman 1986: 0.9 min(sd, IQR/1.34) n^-1/5); "
            f"{opts['grid_size']} grid points on "
            f"[{opts['grid_min']:.4g}, {opts['grid_max']:.4g}].",
            _support_note(opts),
        )
        return Summary(
            f"Kernel density of {opts['value']}",
            (("Bandwidth and peaks by year", self.bandwidths),),
            notes,
        )

    def plot(self, path: str | PathLike[str] | None = None, *, language: Language = "en") -> Figure:
        """One density curve per year (colour running through the years).

        With a support the x axis stays within it. Labels in English or Chinese
        (``language="zh"``, with a CJK font). Saved to ``path`` when given; the
        figure is returned either way.
        """
        with style(language):
            fig, (ax,) = new_axes()
            year = self.bandwidths.index.name
            years = list(self.bandwidths.index)
            colours = _colours(len(years))
            for colour, label in zip(colours, years):
                part = self.density[self.density[year] == label]
                ax.plot(
                    part["x"].to_numpy(),
                    part["density"].to_numpy(),
                    color=colour,
                    label=wording(language, "year_title", year=label),
                )
            support = self.options.get("support")
            if support is not None:
                left, right = ax.get_xlim()
                ax.set_xlim(max(left, support[0]), min(right, support[1]))
            ax.set_xlabel(str(self.options["value"]))
            ax.set_ylabel(_DENSITY_WORD[language])
            ax.legend(fontsize="small", ncols=2 if len(years) > 8 else 1, frameon=False)
            return save_figure(fig, path)


def _support_note(opts: Mapping[str, Any]) -> str:
    support = opts.get("support")
    if support is None:
        return "No support bounds: the kernel spreads density beyond the data range."
    bounds = f"[{support[0]:.4g}, {support[1]:.4g}]"
    source = {
        "argument": "as given",
        "score": f"inferred: {opts['value']} is a coupling score in [0, 1]",
    }.get(str(opts.get("support_source")), "")
    if opts["boundary"] == "reflect":
        return (
            f"Support {bounds} ({source}), reflection at its bounds (Schuster 1985; "
            "Silverman 1986, section 2.10): f(x) + f(2a - x) + f(2b - x) on [a, b], 0 outside."
        )
    return (
        f"Support {bounds} ({source}), no boundary correction (boundary='none'): the curve "
        "is the plain kernel density, cut at the bounds, and loses the mass beyond them."
    )


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


def _resolve_support(
    value: str,
    values: np.ndarray,
    support: tuple[float, float] | None,
    boundary: Boundary,
    tolerance: float,
) -> tuple[tuple[float, float] | None, str | None]:
    """The support of the density and where it came from (argument, score or none)."""
    check_option("boundary", boundary, ("reflect", "none"))
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise InvalidOptionError(f"tolerance must be a finite number >= 0, got {tolerance!r}.")
    low, high = float(values.min()), float(values.max())
    if support is not None:
        try:
            lower, upper = (float(b) for b in support)
        except (TypeError, ValueError):
            raise InvalidOptionError(
                f"support must be a pair (a, b) of numbers, got {support!r}."
            ) from None
        if not (np.isfinite(lower) and np.isfinite(upper) and lower < upper):
            raise InvalidOptionError(f"support must be finite bounds a < b, got {support!r}.")
        if low < lower - tolerance or high > upper + tolerance:
            raise SpecificationError(
                f"The values of {value!r} run over [{low:.6g}, {high:.6g}], beyond the support "
                f"[{lower:.6g}, {upper:.6g}] (tolerance {tolerance:g}). Widen the support or "
                "pass support=None."
            )
        return (lower, upper), "argument"
    inferred = SCORE_SUPPORT.get(value) if boundary == "reflect" else None
    if inferred is not None and inferred[0] - tolerance <= low and high <= inferred[1] + tolerance:
        return inferred, "score"
    return None, None


def _kde_curves(
    samples: Sequence[np.ndarray],
    widths: np.ndarray,
    points: np.ndarray,
    reflect_at: tuple[float, float] | None,
) -> np.ndarray:
    """Gaussian kernel densities ``(years, points)``, reflected at ``reflect_at`` if given.

    :math:`\\hat f(x) = \\frac{1}{nh}\\sum_i [\\phi(\\frac{x - x_i}{h}) +
    \\phi(\\frac{x - (2a - x_i)}{h}) + \\phi(\\frac{x - (2b - x_i)}{h})]`: the
    reflected terms are kernels centred on the mirror images of the data, so
    every year and grid point is one array expression; the observations are
    split into blocks of whole years only to bound the memory.
    """
    sizes = np.array([s.size for s in samples])
    data = np.concatenate(samples)
    if reflect_at is None:
        centres = data[None, :]
    else:
        lower, upper = reflect_at
        centres = np.stack([data, 2.0 * lower - data, 2.0 * upper - data])
    per_year = sizes * points.size * centres.shape[0]
    block = np.concatenate([[0], np.cumsum(per_year)[:-1]]) // _KDE_BLOCK
    ends = np.cumsum(sizes)
    starts = ends - sizes
    curves = np.empty((len(samples), points.size))
    for label in np.unique(block):  # one pass unless the panel is large
        chosen = np.flatnonzero(block == label)
        rows = slice(int(starts[chosen[0]]), int(ends[chosen[-1]]))
        scale = np.repeat(widths[chosen], sizes[chosen])[None, :, None]
        z = (points[None, None, :] - centres[:, rows, None]) / scale
        kernel = np.exp(-0.5 * z * z).sum(axis=0)
        sums = np.add.reduceat(kernel, starts[chosen] - starts[chosen[0]], axis=0)
        norm = sizes[chosen] * widths[chosen] * np.sqrt(2.0 * np.pi)
        curves[chosen] = sums / norm[:, None]
    if reflect_at is not None:
        curves[:, (points < reflect_at[0]) | (points > reflect_at[1])] = 0.0
    return curves


def _count_peaks(
    curves: np.ndarray, points: np.ndarray, mirror: tuple[float, float] | None
) -> np.ndarray:
    """Local maxima of each curve on the grid (rows of ``curves``).

    An end point on a reflecting bound counts when the curve falls away from it:
    the reflected density is flat there, a genuine mode at the bound.
    """
    inner = curves[:, 1:-1]
    peaks = ((inner > curves[:, :-2]) & (inner >= curves[:, 2:])).sum(axis=1)
    if mirror is not None:
        if points[0] == mirror[0]:
            peaks += curves[:, 0] > curves[:, 1]
        if points[-1] == mirror[1]:
            peaks += curves[:, -1] > curves[:, -2]
    return peaks


def kernel_density(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    year: Hashable | None = None,
    *,
    years: Sequence[Hashable] | None = None,
    grid: int | ArrayLike = 200,
    bandwidth: Literal["silverman"] | float = "silverman",
    cut: float = 3.0,
    support: tuple[float, float] | None = None,
    boundary: Boundary = "reflect",
    tolerance: float = 1e-4,
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
        shown (clipped to the support, if any), or the grid points themselves
        (increasing; the density is 0 at points outside the support).
    bandwidth : "silverman" or float
        Silverman's rule per year (:func:`silverman_bandwidth`), or one fixed
        positive bandwidth for every year.
    cut : float, default 3
        Grid extension beyond the data in bandwidths (as statsmodels' ``cut``).
    support : (float, float), optional
        Bounds ``(a, b)`` of the variable. Default: ``(0, 1)`` for the coupling
        scores ``"C"``, ``"T"`` and ``"D"`` (:data:`SCORE_SUPPORT`) when their
        values lie in ``[0, 1]`` up to ``tolerance``, no bounds otherwise. An
        explicit support always applies (values beyond it by more than
        ``tolerance`` raise).
    boundary : {"reflect", "none"}, default "reflect"
        Estimator at the bounds of the support: reflection (Schuster 1985), or
        the plain kernel density cut at the bounds (``"none"``; without an
        explicit ``support`` this also turns off the default support).
    tolerance : float, default 1e-4
        Values up to this far beyond the support belong to it (the default
        shift of the coupling model lifts the best scores to ``1 + 1e-4``); they
        are kept as they are, the reflection still conserves their mass.

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
    SpecificationError
        Unknown years, values outside an explicit support.
    InvalidOptionError, MissingValueError
        A bad grid, bandwidth, support, boundary or tolerance; missing values.

    Notes
    -----
    Without a support,
    :math:`\\hat f(x) = \\frac{1}{nh}\\sum_i \\phi\\left(\\frac{x - x_i}{h}\\right)`,
    the plain Gaussian kernel density (statsmodels'
    ``KDEUnivariate(x).fit(kernel="gau", bw=h, fft=False).evaluate(grid)``,
    evaluated exactly, without statsmodels' default FFT binning), where
    :math:`h` is computed here (statsmodels' own "silverman" uses 1.349
    instead of the 1.34 the papers print).

    With a support :math:`[a, b]` and ``boundary="reflect"``, the reflection
    estimator (Schuster 1985; Silverman 1986, section 2.10)

    .. math::

        \\tilde f(x) = \\hat f(x) + \\hat f(2a - x) + \\hat f(2b - x),
        \\quad a \\le x \\le b, \\qquad \\tilde f(x) = 0 \\text{ otherwise},

    with the same bandwidth. The kernel mass that :math:`\\hat f` puts beyond a
    bound is folded back inside, so :math:`\\tilde f` integrates to 1 over
    :math:`[a, b]` (up to the mass beyond :math:`2a - b` and :math:`2b - a`,
    negligible unless :math:`h` is comparable with :math:`b - a`) and has
    zero slope at the bounds. The grid lies inside the support.

    References
    ----------
    Silverman, B. W. (1986). *Density Estimation for Statistics and Data
    Analysis*, section 2.10 and eq. (3.31).

    Schuster, E. F. (1985). Incorporating support constraints into
    nonparametric estimators of densities. *Communications in Statistics -
    Theory and Methods* 14(5): 1123-1136.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [1] * 4 + [2] * 4,
    ...                    "D": [0.2, 0.3, 0.35, 0.5, 0.3, 0.4, 0.45, 0.6]})
    >>> res = kernel_density(df, "D", "year", grid=50)
    >>> res.bandwidths["bandwidth"].round(4).tolist()
    [0.0573, 0.0573]
    >>> res.options["support"], res.options["boundary"]
    ((0.0, 1.0), 'reflect')
    """
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
    pooled = np.concatenate(samples)
    bounds, source = _resolve_support(value, pooled, support, boundary, tolerance)
    if np.ndim(grid) == 0:
        size = int(grid)  # type: ignore[arg-type]
        if size < 2 or size != grid:
            raise InvalidOptionError(f"grid must be an integer >= 2 or the points, got {grid!r}.")
        reach = cut * float(widths.max())
        first, last = pooled.min() - reach, pooled.max() + reach
        if bounds is not None:
            first, last = np.clip([first, last], *bounds)
            if not last > first:
                first, last = bounds
        points = np.linspace(first, last, size)
    else:
        points = np.asarray(grid, dtype=np.float64).ravel()
        if points.size < 2 or not np.isfinite(points).all() or not (np.diff(points) > 0).all():
            raise InvalidOptionError("grid points must be finite and strictly increasing.")
    mirror = bounds if boundary == "reflect" else None
    curves = _kde_curves(samples, widths, points, mirror)
    if bounds is not None and mirror is None:
        curves[:, (points < bounds[0]) | (points > bounds[1])] = 0.0
    peaks = _count_peaks(curves, points, mirror)
    top = np.argmax(curves, axis=1)
    stats_rows = []
    for i, (sample, h) in enumerate(zip(samples, widths)):
        q75, q25 = np.percentile(sample, [75.0, 25.0])
        stats_rows.append({
            "n": sample.size, "mean": sample.mean(), "sd": sample.std(ddof=1),
            "iqr": q75 - q25, "bandwidth": h, "peak_x": points[top[i]],
            "peak_density": curves[i, top[i]], "n_peaks": int(peaks[i]),
        })  # fmt: skip
    density = pd.DataFrame({
        year_name: np.repeat(chosen.to_numpy(), points.size),
        "x": np.tile(points, len(samples)),
        "density": curves.ravel(),
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
        "support": bounds,
        "support_source": source,
        "boundary": "reflect" if mirror is not None else "none",
        "tolerance": tolerance,
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
        same set of floating-point numbers (the tests pass them to giddy, the
        reference of :func:`markov_chain`).
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


def _pooled_quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Distinct quantile bins of ``values`` for ``k`` classes, as mapclassify computes them.

    ``mapclassify.classifiers.quantile`` (behind giddy's and mapclassify's
    ``Quantiles``): percentiles ``100 i / k`` (the last set to 100) by scipy's
    ``scoreatpercentile`` rule (``"fraction"``: position ``p (n - 1) / 100``
    in the sorted values, linear interpolation), duplicates dropped. The same
    arithmetic here, without importing mapclassify (which loads numba).
    """
    step = 100.0 / k
    pct = np.arange(step, 100.0 + step, step)
    if pct[-1] > 100.0:
        pct[-1] = 100.0
    ordered = np.sort(values.ravel())
    position = np.minimum(pct, 100.0) / 100.0 * (ordered.size - 1)
    low = position.astype(np.int64)
    high = np.minimum(low + 1, ordered.size - 1)
    between = position != low
    w_low = np.where(between, low + 1 - position, 1.0)
    w_high = np.where(between, position - low, 0.0)
    mixed = (ordered[low] * w_low + ordered[high] * w_high) / (w_low + w_high)
    return np.unique(np.where(between, mixed, ordered[low]))


def _quantile_classes(values: np.ndarray, k: int, what: str) -> _Classes:
    bins = _pooled_quantiles(values, k)
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


def _transition_counts(
    codes: np.ndarray, k: int, strata: np.ndarray | None = None, m: int = 1
) -> np.ndarray:
    """Counts ``n_ij`` (or ``n_ij,l`` by the stratum of the initial year), all pairs at once.

    ``codes`` and ``strata`` are ``(T, N)`` class codes; every region-year
    pair ``(t, t + 1)`` adds one to cell ``(l, i, j)`` of a flat ``bincount``.
    Returns ``(k, k)`` without strata, ``(m, k, k)`` with.
    """
    cell = codes[:-1] * k + codes[1:]
    if strata is None:
        return np.bincount(cell.ravel(), minlength=k * k).reshape(k, k)
    cell = strata[:-1] * (k * k) + cell
    return np.bincount(cell.ravel(), minlength=m * k * k).reshape(m, k, k)


def _row_probabilities(counts: np.ndarray) -> np.ndarray:
    """``p_ij = n_ij / n_i`` along the last axis; a row without transitions stays 0 (giddy)."""
    totals = counts.sum(axis=-1, keepdims=True)
    out = np.zeros(counts.shape, dtype=np.float64)
    np.divide(counts, totals, out=out, where=totals > 0)
    return out


def _gth_solve(p: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible stochastic matrix by GTH elimination.

    The Grassmann-Taksar-Heyman algorithm (Grassmann et al. 1985), a Gaussian
    elimination on :math:`\\pi (P - I) = 0` that only adds and divides
    non-negative numbers, so it loses no precision to cancellation; the same
    steps as quantecon's ``gth_solve`` (which numba compiles), one row-column
    rank-one update per state.
    """
    a = np.array(p, dtype=np.float64)
    n = a.shape[0]
    for k in range(n - 1):
        scale = a[k, k + 1 :].sum()
        if scale <= 0:  # a recurrent class inside {0, ..., k}
            n = k + 1
            break
        a[k + 1 :, k] /= scale
        a[k + 1 :, k + 1 :] += np.outer(a[k + 1 :, k], a[k, k + 1 :])
    x = np.zeros(a.shape[0])
    x[n - 1] = 1.0
    for k in range(n - 2, -1, -1):
        x[k] = x[k + 1 : n] @ a[k + 1 : n, k]
    return x / x.sum()


def _stationary_distributions(p: np.ndarray) -> np.ndarray:
    """Steady state(s) of a transition matrix, one row per recurrent class.

    As ``giddy.ergodic.steady_state(p, fill_empty_classes=True)``: a row
    without transitions gets a 1 on the diagonal (an absorbing class);
    an irreducible chain has one distribution, the left eigenvector
    :math:`\\pi P = \\pi`, :math:`\\sum_j \\pi_j = 1`; a reducible one has one
    per recurrent class (communicating class that is never left), zero off the
    class, in the order of quantecon's ``MarkovChain.stationary_distributions``
    (scipy's strongly connected components, which label them the same way).
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    filled = np.array(p, dtype=np.float64)
    empty = np.flatnonzero(filled.sum(axis=1) == 0)
    filled[empty, empty] = 1.0
    edges = filled > 0
    count, component = connected_components(csr_matrix(edges), connection="strong")
    if count == 1:
        return _gth_solve(filled)[None, :]
    leaving = edges & (component[:, None] != component[None, :])
    exits = np.bincount(component, weights=leaving.sum(axis=1), minlength=count)
    recurrent = np.flatnonzero(exits == 0)
    dists = np.zeros((recurrent.size, filled.shape[0]))
    for row, label in enumerate(recurrent):
        members = np.flatnonzero(component == label)
        dists[row, members] = _gth_solve(filled[np.ix_(members, members)])
    return dists


def _steady_state_frame(p: np.ndarray, labels: Sequence[str]) -> pd.DataFrame:
    """Steady state(s) of ``p`` as a table; one row of NaN for a chain without transitions."""
    if not (p.sum(axis=1) > 0).any():
        dist = np.full((1, len(labels)), np.nan)
    else:
        dist = _stationary_distributions(p)
    return pd.DataFrame(
        dist,
        index=pd.RangeIndex(dist.shape[0], name="distribution"),
        columns=pd.Index(labels, name="class"),
    )


def _chi2_pvalue(statistic: float, df: int) -> float:
    """Upper tail of the chi-squared distribution; NaN for ``df <= 0`` (as scipy's chi2)."""
    from scipy.special import chdtrc

    return float(chdtrc(df, statistic)) if df > 0 else float("nan")


def _homogeneity_tests(counts: np.ndarray) -> pd.DataFrame:
    """LR and Q (Bickenbach and Bode 2003) and chi2 (Rey 2001) from ``(m, k, k)`` counts.

    Defined as giddy's ``Homogeneity_Results`` (``Spatial_Markov.LR``, ``.Q``,
    ``.dof_hom``) and ``Spatial_Markov.x2``, ``.x2_dof``; see
    :func:`markov_chain` for the formulas.
    """
    k = counts.shape[1]
    pooled = counts.sum(axis=0)
    p = _row_probabilities(pooled)
    p_l = _row_probabilities(counts)
    n_il = counts.sum(axis=2)
    q = float((n_il[:, :, None] * (p_l - p) ** 2 / np.where(p > 0, p, 1.0)).sum())
    seen = counts > 0  # implies p_ij > 0
    ratio = p_l[seen] / np.broadcast_to(p, counts.shape)[seen]
    lr = 2.0 * float((counts[seen] * np.log(ratio)).sum())
    regimes = (n_il > 0).sum(axis=0)  # b_i: lag classes with transitions from i
    cells = (pooled > 0).sum(axis=1)  # A_i: classes reached from i
    df = int(((regimes - 1) * (cells - 1)).sum())
    expected = n_il[:, :, None] * p
    x2 = float(((counts - expected) ** 2 / np.where(expected > 0, expected, 1.0)).sum())
    x2_df = k * (k - 1) * (k - 1)
    return pd.DataFrame(
        {
            "statistic": [lr, q, x2],
            "df": [df, df, x2_df],
            "p_value": [_chi2_pvalue(lr, df), _chi2_pvalue(q, df), _chi2_pvalue(x2, x2_df)],
        },
        index=pd.Index(["LR", "Q", "chi2"], name="test"),
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
    All quantities are those of PySAL's giddy (``Markov``, ``Spatial_Markov``
    with ``fixed=True`` and ``fill_empty_classes=False``,
    ``ergodic.steady_state``), computed here with numpy (see the module
    docstring for why).

    *Classic chain* (Quah 1993). :math:`n_{ij}` counts the region-years in
    class :math:`i` in year :math:`t` and in class :math:`j` in :math:`t+1`,
    pooled over all pairs of consecutive years (consecutive observed years:
    gaps count as one period); :math:`p_{ij} = n_{ij} / n_i` with
    :math:`n_i = \\sum_j n_{ij}`, and a row of zeros where :math:`n_i = 0`.

    *Steady state.* A class without transitions is made absorbing
    (:math:`p_{ii} = 1`); for an irreducible chain the steady state is the
    unique :math:`\\pi` with :math:`\\pi P = \\pi`, :math:`\\sum_j \\pi_j = 1`,
    solved exactly by GTH elimination (Grassmann et al. 1985); a reducible
    chain has one distribution per recurrent class (zero outside it), in
    quantecon's order.

    *Spatial chain* (Rey 2001). The counts :math:`n_{ij,l}` and probabilities
    :math:`p_{ij,l} = n_{ij,l} / n_{i,l}` are split by the class :math:`l` of
    the spatial lag :math:`\\sum_r w_{ir} y_{rt}` (row-standardized
    :math:`W`) in the initial year :math:`t`; the steady state of each is NaN
    for a lag class without transitions.

    *Tests* of homogeneity across the :math:`m` lag classes, with
    :math:`p_{ij}` the pooled probabilities (Bickenbach and Bode 2003):

    .. math::

        LR = 2 \\sum_l \\sum_i \\sum_{j: n_{ij,l} > 0}
             n_{ij,l} \\ln\\frac{p_{ij,l}}{p_{ij}}, \\qquad
        Q = \\sum_l \\sum_i \\sum_{j: p_{ij} > 0}
            n_{i,l} \\frac{(p_{ij,l} - p_{ij})^2}{p_{ij}},

    both :math:`\\chi^2` with :math:`\\sum_i (b_i - 1)(a_i - 1)` degrees of
    freedom, :math:`b_i` the number of lag classes with transitions from
    :math:`i` and :math:`a_i` the number of classes with :math:`p_{ij} > 0`.
    As in giddy, a class with no transitions at all (:math:`b_i = a_i = 0`)
    adds :math:`(0 - 1)(0 - 1) = 1` to these degrees of freedom. The ``chi2``
    row is the sum over lag classes of Rey's (2001) test of each conditional
    matrix against the pooled probabilities,
    :math:`\\sum_l \\sum_i \\sum_j (n_{ij,l} - n_{i,l} p_{ij})^2 / (n_{i,l} p_{ij})`
    (cells with a zero expectation left out), with giddy's
    :math:`k (k - 1)^2` degrees of freedom (``Spatial_Markov.x2_dof``, not
    corrected for empty rows). p-values are upper :math:`\\chi^2` tails
    (``scipy.special.chdtrc``; NaN for 0 degrees of freedom). giddy computes
    them as ``1 - chi2.cdf``, which equals the tail up to about
    :math:`10^{-16}` in absolute terms, and is 0 below that.

    References
    ----------
    Quah (1993), *European Economic Review* 37: 426-434; Rey (2001),
    *Geographical Analysis* 33(3): 195-214; Bickenbach and Bode (2003),
    *International Regional Science Review* 26(3): 363-392; Grassmann, Taksar
    and Heyman (1985), *Operations Research* 33(5): 1107-1116.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("aabbcc"), "year": [1, 2] * 3,
    ...                    "D": [0.15, 0.35, 0.35, 0.45, 0.55, 0.45]})
    >>> res = markov_chain(df, region="region", year="year", classes=[0.3, 0.5])
    >>> res.transitions.to_numpy().tolist()
    [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
    >>> res.steady_state.to_numpy().tolist()
    [[0.0, 1.0, 0.0]]
    """
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
    counts = _transition_counts(codes, n_classes)
    probabilities = _row_probabilities(counts)
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
        lag_labels = lag_scheme.labels
        conditional = _transition_counts(codes, n_classes, lag_codes, len(lag_labels))
        conditional_p = _row_probabilities(conditional)
        rows = pd.MultiIndex.from_product([lag_labels, labels], names=["lag_class", "from"])
        to = pd.Index(labels, name="to")
        spatial_counts = pd.DataFrame(conditional.reshape(-1, n_classes), rows, to)
        spatial_p = pd.DataFrame(conditional_p.reshape(-1, n_classes), rows, to)
        frames = {lab: _steady_state_frame(conditional_p[i], labels)
                  for i, lab in enumerate(lag_labels)}  # fmt: skip
        spatial_ss = pd.concat(frames, names=["lag_class", "distribution"])
        tests = _homogeneity_tests(conditional)
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
        probabilities=_matrix(probabilities, labels),
        steady_state=_steady_state_frame(probabilities, labels),
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
