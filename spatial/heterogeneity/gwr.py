"""Geographically weighted regression (GWR) and multiscale GWR (MGWR) through PySAL's ``mgwr``.

:func:`gwr` and :func:`mgwr` take a long (region[, year]) table, find the
coordinates of the regions (China's provincial centroids by default when the
regions are province codes or names), search the bandwidth(s) with
``mgwr.sel_bw.Sel_BW`` and fit ``mgwr.gwr.GWR`` / ``mgwr.gwr.MGWR``: one fit for a
cross-section, one per year of a panel, or one pooled fit. Local estimates come
back as tidy tables with the multiple-testing-adjusted critical t value of da
Silva and Fotheringham (2016); :func:`local_map` draws a local coefficient on the
China map with :func:`spatial.viz.maps.choropleth`.

``mgwr`` (and its ``spglm``/``spreg`` dependencies) is imported on first use.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._core.messages import format_items
from .._core.options import Balance, Language, check_option
from .._core.panel import PanelArrays, panel_arrays
from .._core.results import FrozenTables
from .._core.summary import Summary
from .._core.version import __version__
from ..exceptions import (
    BandwidthSearchWarning,
    CollinearityError,
    EstimationError,
    InvalidOptionError,
    SpecificationError,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Criterion",
    "GWRResults",
    "Kernel",
    "Pooling",
    "adjusted_critical_t",
    "gwr",
    "local_map",
    "mgwr",
    "region_coordinates",
]

Kernel = Literal["bisquare", "gaussian", "exponential"]
Criterion = Literal["AICc", "CV", "AIC", "BIC"]
Pooling = Literal["by_year", "pooled"]
KERNELS = ("bisquare", "gaussian", "exponential")
CRITERIA = ("AICc", "CV", "AIC", "BIC")
POOLINGS = ("by_year", "pooled")
_CROSS_SECTION = "__cross_section__"


# ----------------------------------------------------------------------------- helpers
def adjusted_critical_t(enp: float, k: int, n: int, *, level: float = 0.95) -> float:
    """Critical |t| of local estimates adjusted for multiple testing (da Silva and Fotheringham).

    Parameters
    ----------
    enp : float
        Effective number of parameters: tr(S) of a GWR, ENP_j of an MGWR term.
    k : int
        Number of parameters per location (1 for an MGWR term).
    n : int
        Number of observations.
    level : float, default 0.95
        Confidence level 1 - alpha.

    Returns
    -------
    float

    Notes
    -----
    The family-wise error rate alpha is split over the effective number of
    independent tests: :math:`\\xi = \\alpha\\, k / \\mathrm{ENP}` and the critical
    value is :math:`t_{1-\\xi/2,\\, n-1}` (the degrees of freedom used by ``mgwr``).

    References
    ----------
    da Silva, A. R. and Fotheringham, A. S. (2016). The multiple testing issue in
    geographically weighted regression. *Geographical Analysis* 48(3): 233-247.

    Examples
    --------
    >>> round(adjusted_critical_t(11.805, 4, 159), 3)   # mgwr's Georgia GWR prints 2.414
    2.414
    """
    from scipy import stats

    if not 0 < level < 1:
        raise InvalidOptionError(f"level must lie in (0, 1); got {level!r}.")
    xi = (1.0 - level) * k / enp
    return float(stats.t.ppf(1.0 - xi / 2.0, n - 1))


def _plain_critical_t(n: int, level: float) -> float:
    from scipy import stats

    return float(stats.t.ppf(1.0 - (1.0 - level) / 2.0, n - 1))


def _is_column_pair(coords: Any) -> bool:
    return (
        isinstance(coords, (tuple, list))
        and len(coords) == 2
        and all(isinstance(c, str) for c in coords)
    )


def region_coordinates(
    regions: Sequence[Hashable], coords: Any = None
) -> tuple[np.ndarray, bool, str]:
    """Coordinates ``(n, 2)`` of ``regions``, whether they are lon/lat, and their source.

    Parameters
    ----------
    regions : sequence
        Region labels.
    coords : mapping, DataFrame or None
        ``{region: (x, y)}``, or a DataFrame indexed by region with two columns
        (x/lon first). ``None`` uses the centroid of the largest polygon of each
        Chinese province (``mainland_centroid_lon/lat`` of
        :func:`spatial.geography.load_china_provinces`), in degrees.

    Raises
    ------
    SpecificationError
        A region without coordinates, or regions that are not provinces when
        ``coords`` is omitted.

    Examples
    --------
    >>> xy, lonlat, source = region_coordinates(["Beijing", "上海"])
    >>> xy.round(2).tolist(), lonlat
    ([[116.42, 40.19], [121.44, 31.07]], True)
    """
    labels = list(regions)
    if coords is None:
        from ..geography.provinces import ProvinceNameError, _attributes, resolve_provinces

        try:
            codes = resolve_provinces(labels)
        except ProvinceNameError as exc:
            raise SpecificationError(
                f"The regions are not all Chinese provinces ({exc}); pass coords= (a mapping "
                "{region: (x, y)}, a DataFrame indexed by region, or two column names)."
            ) from None
        table = _attributes().set_index("code")
        xy = table.loc[codes, ["mainland_centroid_lon", "mainland_centroid_lat"]].to_numpy(float)
        return xy, True, "province centroids (largest polygon), lon/lat degrees"
    if isinstance(coords, pd.DataFrame):
        if coords.shape[1] != 2:
            raise SpecificationError(
                "coords as a DataFrame needs exactly two columns (x, y); got "
                f"{list(coords.columns)}."
            )
        lookup = {k: tuple(v) for k, v in zip(coords.index, coords.to_numpy(float))}
    elif isinstance(coords, Mapping):
        lookup = dict(coords)
    else:
        raise SpecificationError(
            "coords must be None (province centroids), two column names, a mapping "
            f"{{region: (x, y)}} or a DataFrame indexed by region; got {type(coords).__name__}."
        )
    missing = [r for r in labels if r not in lookup]
    if missing:
        raise SpecificationError(
            f"No coordinates for {len(missing)} region(s): {format_items(missing)}. Add them to "
            "coords= or drop those regions."
        )
    xy = np.array([np.asarray(lookup[r], dtype=np.float64).reshape(2) for r in labels])
    if not np.isfinite(xy).all():
        bad = [r for r, ok in zip(labels, np.isfinite(xy).all(axis=1)) if not ok]
        raise SpecificationError(f"Missing or infinite coordinates for {format_items(bad)}.")
    return xy, False, "coords= (given)"


@dataclass(frozen=True)
class _Prepared:
    panel: PanelArrays
    y: str
    x: tuple[str, ...]
    coords: np.ndarray  # (T, N, 2)
    spherical: bool
    coord_source: str
    cross_section: bool


def _prepare(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    region: Hashable,
    year: Hashable | None,
    coords: Any,
    spherical: bool | None,
    balance: Balance,
) -> _Prepared:
    if isinstance(x, str):
        x = [x]
    x = [str(c) for c in x]
    if not x:
        raise SpecificationError("Give at least one regressor in x.")
    if y in x:
        raise SpecificationError(f"{y!r} is both the dependent variable and a regressor.")
    check_option("balance", balance, ("error", "drop"))
    columns = [y, *x]
    pair = _is_column_pair(coords)
    if pair:
        columns += list(coords)
    cross = year is None
    frame = data
    if cross:
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}.")
        if region not in data.columns and region in (data.index.names or []):
            frame = data.reset_index()
        frame = frame.assign(**{_CROSS_SECTION: 0})
        panel = panel_arrays(frame, columns, region, _CROSS_SECTION)
    else:
        panel = panel_arrays(data, columns, region, year, balance=balance)
    t, n = len(panel.years), len(panel.regions)
    if pair:
        xy = panel.values[:, :, -2:]
        lonlat = False
        source = f"columns {coords[0]!r}, {coords[1]!r}"
    else:
        xy2, lonlat, source = region_coordinates(list(panel.regions), coords)
        xy = np.broadcast_to(xy2, (t, n, 2)).copy()
    use_spherical = lonlat if spherical is None else bool(spherical)
    if use_spherical and (np.abs(xy[..., 0]).max() > 180 or np.abs(xy[..., 1]).max() > 90):
        raise SpecificationError(
            "spherical=True needs lon/lat in degrees, but some coordinates are outside "
            "[-180, 180] x [-90, 90]; pass spherical=False for projected coordinates."
        )
    return _Prepared(panel, y, tuple(x), xy, use_spherical, source, cross)


def _check_design(X: np.ndarray, names: Sequence[str], label: str) -> None:
    design = np.column_stack([np.ones(len(X)), X])
    rank = np.linalg.matrix_rank(design)
    if rank < design.shape[1]:
        constant = [n for n, col in zip(names, X.T) if np.ptp(col) == 0]
        detail = f" (constant: {constant})" if constant else ""
        raise CollinearityError(
            f"The regressors {list(names)} and the intercept are linearly dependent in "
            f"{label}{detail}: rank {rank} < {design.shape[1]}. Drop a regressor."
        )


def _default_bounds(
    n: int, k: int, fixed: bool, xy: np.ndarray, spherical: bool
) -> tuple[float, float]:
    """mgwr's default search interval: [40 + 2k, n] neighbours, or [min d / 2, 2 max d]."""
    if not fixed:
        low = 40 + 2 * k
        return (float(low) if low < n else float(k + 2)), float(n)
    from mgwr.kernels import local_cdist

    dmin, dmax = np.inf, 0.0
    for i in range(len(xy)):
        d = np.delete(local_cdist(xy[i], xy, spherical), i)
        dmin, dmax = min(dmin, float(d.min())), max(dmax, float(d.max()))
    return dmin / 2.0, dmax * 2.0


def _bounds(
    bandwidth_bounds: tuple[float | None, float | None] | None,
    n: int,
    k: int,
    fixed: bool,
    xy: np.ndarray,
    spherical: bool,
) -> tuple[float, float]:
    low, high = _default_bounds(n, k, fixed, xy, spherical)
    if bandwidth_bounds is not None:
        if not isinstance(bandwidth_bounds, (tuple, list)) or len(bandwidth_bounds) != 2:
            raise InvalidOptionError(
                f"bandwidth_bounds must be a pair (low, high), None for a default; "
                f"got {bandwidth_bounds!r}."
            )
        lo, hi = bandwidth_bounds
        low = low if lo is None else float(lo)
        high = high if hi is None else float(hi)
    if not (0 < low < high) or (not fixed and high > n):
        raise InvalidOptionError(
            f"bandwidth_bounds resolve to ({low:g}, {high:g}); need 0 < low < high"
            + ("" if fixed else f" <= n = {n} neighbours")
            + "."
        )
    return low, high


def _check_bandwidth(bandwidth: float, n: int, k: int, fixed: bool) -> float:
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, (int, float, np.number)):
        raise InvalidOptionError(f"bandwidth must be a number or None; got {bandwidth!r}.")
    value = float(bandwidth)
    if not fixed and not (k + 1 <= value <= n and value == int(value)):
        raise InvalidOptionError(
            f"bandwidth={bandwidth!r} neighbours is not possible with {n} observations and "
            f"{k} parameters: an adaptive bandwidth is an integer in [{k + 1}, {n}]."
        )
    if fixed and not (value > 0 and math.isfinite(value)):
        raise InvalidOptionError(f"A fixed bandwidth must be a positive distance; got {bandwidth}.")
    return value


def _boundary_warning(bw: float, low: float, high: float, fixed: bool, label: str) -> None:
    slack = 1.0 if not fixed else 1e-2 * (high - low)
    side = "lower" if bw - low <= slack else "upper" if high - bw <= slack else None
    if side is not None:
        bound = low if side == "lower" else high
        warnings.warn(
            f"The bandwidth search for {label} ended at {bw:g}, at the {side} bound {bound:g} "
            "of its interval: the criterion may keep falling beyond it. Widen "
            "bandwidth_bounds= (or pass bandwidth= to fix it).",
            BandwidthSearchWarning,
            stacklevel=4,
        )


def _standardized(values: np.ndarray) -> np.ndarray:
    sd = values.std(axis=0)
    if (sd == 0).any():
        raise CollinearityError("A variable is constant and cannot be standardized.")
    return (values - values.mean(axis=0)) / sd


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class GWRResults(FrozenTables):
    """Results of :func:`gwr` or :func:`mgwr` (immutable).

    Attributes
    ----------
    local : DataFrame
        One row per region (and year) and parameter: ``estimate``, ``se``, ``t``,
        ``critical_t`` (multiple-testing adjusted when ``multiple_testing``) and
        ``significant`` (``|t| > critical_t``).
    diagnostics : DataFrame
        One row per fit (year, or ``"all"``): ``n``, ``bandwidth`` (GWR),
        ``aicc``, ``aic``, ``bic``, ``r2``, ``adj_r2``, ``enp`` (tr S), ``rss``,
        ``sigma2``, ``cv`` (GWR), ``critical_t``.
    bandwidths : DataFrame
        One row per fit and parameter: ``bandwidth``, ``enp`` (ENP_j for MGWR,
        tr S / k shares for GWR are not defined: NaN) and ``critical_t``.
    fitted : DataFrame
        ``y`` (as fitted, standardized when ``standardize``), ``fitted`` and
        ``residual`` by region (and year).
    options : dict
        Everything resolved at fit: model, kernel, fixed, criterion, search
        bounds, spherical, coordinate source, standardize, level, pooling, mgwr
        and liangye versions.
    notes : tuple of str
    """

    local: pd.DataFrame
    diagnostics: pd.DataFrame
    bandwidths: pd.DataFrame
    fitted: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def params(self) -> pd.DataFrame:
        """Local estimates wide: one column per parameter."""
        keys = [c for c in self.local.columns[:2] if c not in ("parameter",)]
        return self.local.pivot_table(
            index=keys, columns="parameter", values="estimate", sort=False
        )

    def summary(self) -> Summary:
        """Diagnostics, bandwidths and the distribution of the local estimates."""
        local = self.local
        stats = local.groupby("parameter", sort=False)["estimate"].describe()[
            ["mean", "std", "min", "50%", "max"]
        ]
        stats = stats.rename(columns={"50%": "median"})
        stats["share significant"] = local.groupby("parameter", sort=False)["significant"].mean()
        title = f"{self.options.get('model', 'GWR')} ({self.options.get('kernel')} kernel)"
        return Summary(
            title=title,
            tables=(
                ("Diagnostics", self.diagnostics),
                ("Bandwidths", self.bandwidths),
                ("Local estimates", stats),
            ),
            notes=self.notes,
        )

    def map(self, parameter: str, **options: Any) -> Figure:
        """Draw the local estimates of ``parameter`` on the China map (see :func:`local_map`)."""
        return local_map(self, parameter, **options)


def local_map(
    results: GWRResults,
    parameter: str,
    *,
    value: Literal["estimate", "t"] = "estimate",
    years: Any = None,
    path: str | Path | None = None,
    language: Language = "en",
    **choropleth_options: Any,
) -> Figure:
    """Choropleth of a local coefficient (or its t value) on the map of China's provinces.

    Parameters
    ----------
    results : GWRResults
        From :func:`gwr` or :func:`mgwr` with provinces as regions.
    parameter : str
        ``"const"`` or a regressor.
    value : {"estimate", "t"}
        Map the estimate or its t value.
    years : optional
        Years to draw (panels fitted by year); one panel titled with the
        parameter for a cross-section.
    path : str or Path, optional
        Write the figure there.
    language : {"en", "zh"}
    **choropleth_options
        Passed to :func:`spatial.viz.maps.choropleth` (``scheme``, ``k``, ``cmap``, ...).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..viz.maps import choropleth

    check_option("value", value, ("estimate", "t"))
    local = results.local
    names = list(dict.fromkeys(local["parameter"]))
    check_option("parameter", parameter, names)
    rows = local[local["parameter"] == parameter]
    region = results.options["region"]
    year = results.options.get("year")
    if year is None or results.options.get("pooling") == "pooled":
        if year is not None:
            rows = rows.drop_duplicates(subset=[region])
        table = pd.DataFrame(
            {"province": rows[region].to_numpy(), "year": parameter, "v": rows[value].to_numpy()}
        )
    else:
        table = pd.DataFrame(
            {
                "province": rows[region].to_numpy(),
                "year": rows[year].to_numpy(),
                "v": rows[value].to_numpy(),
            }
        )
    label = parameter if value == "estimate" else f"t({parameter})"
    return choropleth(
        table,
        "v",
        region="province",
        year="year",
        years=years,
        label=label,
        path=path,
        language=language,
        **choropleth_options,
    )


# ----------------------------------------------------------------------------- fitting
def _common_checks(kernel: str, criterion: str, pooling: str, fixed: Any, level: float) -> None:
    check_option("kernel", kernel, KERNELS)
    check_option("criterion", criterion, CRITERIA)
    check_option("pooling", pooling, POOLINGS)
    if not isinstance(fixed, bool):
        raise InvalidOptionError(f"fixed must be True or False; got {fixed!r}.")
    if not 0 < level < 1:
        raise InvalidOptionError(f"level must lie in (0, 1); got {level!r}.")


def _fits(prep: _Prepared, pooling: str) -> list[tuple[Any, np.ndarray, np.ndarray, np.ndarray]]:
    """(label, y, X, coords) of each fit, rows region-major within a fit."""
    values = prep.panel.values
    k = len(prep.x)
    if prep.cross_section:
        return [("all", values[0, :, 0], values[0, :, 1 : 1 + k], prep.coords[0])]
    if pooling == "pooled":
        flat = values.reshape(-1, values.shape[2])
        return [("pooled", flat[:, 0], flat[:, 1 : 1 + k], prep.coords.reshape(-1, 2))]
    return [
        (year, values[t, :, 0], values[t, :, 1 : 1 + k], prep.coords[t])
        for t, year in enumerate(prep.panel.years)
    ]


def _keys(prep: _Prepared, pooling: str, label: Any) -> dict[str, np.ndarray]:
    panel = prep.panel
    region = str(panel.region_name)
    if prep.cross_section:
        return {region: np.asarray(panel.regions)}
    year = str(panel.year_name)
    if pooling == "pooled":
        t, n = len(panel.years), len(panel.regions)
        return {region: np.tile(np.asarray(panel.regions), t), year: np.repeat(panel.years, n)}
    return {region: np.asarray(panel.regions), year: np.repeat(label, len(panel.regions))}


def _run(
    model: str,
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    *,
    region: Hashable,
    year: Hashable | None,
    coords: Any,
    spherical: bool | None,
    kernel: Kernel,
    fixed: bool,
    criterion: Criterion,
    bandwidth: Any,
    bandwidth_bounds: Any,
    pooling: Pooling,
    balance: Balance,
    multiple_testing: bool,
    level: float,
    standardize: bool,
    n_jobs: int,
    max_iter: int,
    tol: float,
) -> GWRResults:
    _common_checks(kernel, criterion, pooling, fixed, level)
    prep = _prepare(data, y, x, region, year, coords, spherical, balance)
    from mgwr.gwr import GWR, MGWR
    from mgwr.sel_bw import Sel_BW

    names = ["const", *prep.x]
    k = len(names)
    local_parts, diag_rows, bw_rows, fitted_parts = [], [], [], []
    notes: list[str] = []
    resolved_bounds: dict[Any, tuple[float, float]] = {}
    for label, yv, Xv, xy in _fits(prep, pooling):
        where = "the cross-section" if label == "all" else f"fit {label!r}"
        n = len(yv)
        if n < k + 2:
            raise SpecificationError(
                f"{where} has {n} observations for {k} parameters; a GWR needs at least "
                f"{k + 2} (and many more for a meaningful bandwidth)."
            )
        _check_design(Xv, prep.x, where)
        if standardize:
            Xv = _standardized(Xv)
            yv = _standardized(yv.reshape(-1, 1)).ravel()
        ycol = yv.reshape(-1, 1)
        sel_k = k if model == "GWR" else 1
        try:
            if model == "GWR":
                selector = Sel_BW(
                    xy,
                    ycol,
                    Xv,
                    kernel=kernel,
                    fixed=fixed,
                    spherical=prep.spherical,
                    n_jobs=n_jobs,
                )
                if bandwidth is None:
                    low, high = _bounds(bandwidth_bounds, n, k, fixed, xy, prep.spherical)
                    resolved_bounds[label] = (low, high)
                    bw = float(
                        selector.search(
                            criterion=criterion,
                            bw_min=low,
                            bw_max=high,
                            max_iter=max_iter,
                            tol=tol,
                        )
                    )
                    _boundary_warning(bw, low, high, fixed, where)
                else:
                    bw = _check_bandwidth(bandwidth, n, k, fixed)
                res = GWR(
                    xy,
                    ycol,
                    Xv,
                    bw,
                    kernel=kernel,
                    fixed=fixed,
                    spherical=prep.spherical,
                    n_jobs=n_jobs,
                ).fit()
                bws = np.full(k, bw)
                enp_j = np.full(k, np.nan)
                crit = (
                    adjusted_critical_t(float(res.ENP), k, n, level=level)
                    if multiple_testing
                    else _plain_critical_t(n, level)
                )
                crit_j = np.full(k, crit)
            else:
                selector = Sel_BW(
                    xy,
                    ycol,
                    Xv,
                    multi=True,
                    kernel=kernel,
                    fixed=fixed,
                    spherical=prep.spherical,
                    n_jobs=n_jobs,
                )
                if bandwidth is None:
                    low, high = _bounds(bandwidth_bounds, n, sel_k, fixed, xy, prep.spherical)
                    resolved_bounds[label] = (low, high)
                    lows, highs = [low] * k, [high] * k
                else:
                    given = np.atleast_1d(np.asarray(bandwidth, dtype=object))
                    if len(given) == 1:
                        given = np.repeat(given, k)
                    if len(given) != k:
                        raise InvalidOptionError(
                            f"bandwidth for an MGWR is one number or one per parameter "
                            f"({k}: {names}); got {len(given)}."
                        )
                    lows = highs = [_check_bandwidth(b, n, 1, fixed) for b in given]
                init = None
                if not fixed and n <= 40 + 2 * k:  # mgwr's initial GWR search would start above n
                    init = Sel_BW(
                        xy,
                        ycol,
                        Xv,
                        kernel=kernel,
                        fixed=fixed,
                        spherical=prep.spherical,
                        n_jobs=n_jobs,
                    ).search(criterion=criterion, bw_min=float(k + 2), bw_max=float(n))
                selector.search(
                    criterion=criterion,
                    multi_bw_min=lows,
                    multi_bw_max=highs,
                    max_iter_multi=max_iter,
                    tol_multi=tol,
                    init_multi=init,
                )
                scores = selector.bw[2]
                if len(scores) and scores[-1] >= tol:
                    warnings.warn(
                        f"MGWR backfitting for {where} stopped after max_iter={max_iter} "
                        f"iterations with a score of change {scores[-1]:.3g} >= tol={tol:g}; "
                        "raise max_iter.",
                        BandwidthSearchWarning,
                        stacklevel=3,
                    )
                res = MGWR(
                    xy,
                    ycol,
                    Xv,
                    selector,
                    kernel=kernel,
                    fixed=fixed,
                    spherical=prep.spherical,
                    n_jobs=1,
                ).fit()
                bws = np.asarray(res.model.bws, dtype=float)
                if bandwidth is None:
                    for name, b in zip(names, bws):
                        _boundary_warning(float(b), low, high, fixed, f"{where}, {name}")
                enp_j = np.asarray(res.ENP_j, dtype=float)
                crit_j = np.array(
                    [
                        adjusted_critical_t(float(e), 1, n, level=level)
                        if multiple_testing
                        else _plain_critical_t(n, level)
                        for e in enp_j
                    ]
                )
                crit = np.nan
        except np.linalg.LinAlgError as exc:
            raise CollinearityError(
                f"A local design matrix is singular in {where} ({exc}): the bandwidth is too "
                "small for the local variation of the regressors. Raise the lower end of "
                "bandwidth_bounds= or pass a larger bandwidth=."
            ) from None
        params = np.asarray(res.params)
        se = np.asarray(res.bse)
        if not np.isfinite(params).all():
            raise EstimationError(
                f"Non-finite local estimates in {where}; the bandwidth {bws.tolist()} leaves "
                "some local regressions without data. Raise bandwidth_bounds= or bandwidth=."
            )
        tv = params / se
        keys = _keys(prep, pooling, label)
        block = pd.DataFrame({key: np.repeat(v, k) for key, v in keys.items()})
        block["parameter"] = np.tile(names, n)
        block["estimate"] = params.ravel()
        block["se"] = se.ravel()
        block["t"] = tv.ravel()
        block["critical_t"] = np.tile(crit_j, n)
        block["significant"] = np.abs(block["t"].to_numpy()) > block["critical_t"].to_numpy()
        local_parts.append(block)
        predy = np.asarray(res.predy).ravel()
        fitted = pd.DataFrame(keys)
        fitted["y"], fitted["fitted"], fitted["residual"] = yv, predy, yv - predy
        fitted_parts.append(fitted)
        rss = float(np.sum((yv - predy) ** 2))
        diag_rows.append(
            {
                "fit": label,
                "n": n,
                "bandwidth": float(bws[0]) if model == "GWR" else np.nan,
                "aicc": float(res.aicc),
                "aic": float(res.aic),
                "bic": float(res.bic),
                "r2": float(res.R2),
                "adj_r2": float(res.adj_R2),
                "enp": float(res.ENP),
                "rss": rss,
                "sigma2": float(res.sigma2),
                "cv": float(np.mean((res.resid_response.ravel() / (1 - res.influ.ravel())) ** 2))
                if model == "GWR"
                else np.nan,
                "critical_t": crit,
            }
        )
        for name, b, e, c in zip(names, bws, enp_j, crit_j):
            bw_rows.append(
                {"fit": label, "parameter": name, "bandwidth": float(b), "enp": e, "critical_t": c}
            )
    diagnostics = pd.DataFrame(diag_rows).set_index("fit")
    if model == "MGWR":
        diagnostics = diagnostics.drop(columns=["bandwidth", "cv", "critical_t"])
    bandwidths = pd.DataFrame(bw_rows)
    if model == "GWR":
        bandwidths = bandwidths.drop(columns=["enp"])
    unit = (
        "neighbours (adaptive)"
        if not fixed
        else ("km (great-circle)" if prep.spherical else "coordinate units")
    )
    notes.append(
        f"Bandwidth in {unit}; distances "
        + (
            "great-circle (haversine, km) from lon/lat (mgwr spherical=True)."
            if prep.spherical
            else "Euclidean in the given coordinates."
        )
    )
    notes.append(
        "Significance: |t| > critical t "
        + (
            f"adjusted for multiple testing (da Silva and Fotheringham 2016), level {level}."
            if multiple_testing
            else f"at level {level}, not adjusted for multiple testing."
        )
    )
    if standardize:
        notes.append(
            "y and the regressors were standardized (mean 0, sd 1 with ddof=0) in each fit: "
            "estimates are in standard deviations."
        )
    if not prep.cross_section and pooling == "pooled":
        notes.append(
            "Pooled: all region-years in one fit with each region's coordinates repeated; "
            "time is ignored (GTWR weights it)."
        )
    options = {
        "model": model,
        "kernel": kernel,
        "fixed": fixed,
        "criterion": criterion,
        "bandwidth": bandwidth,
        "bandwidth_bounds": resolved_bounds,
        "spherical": prep.spherical,
        "coordinates": prep.coord_source,
        "standardize": standardize,
        "multiple_testing": multiple_testing,
        "level": level,
        "pooling": None if prep.cross_section else pooling,
        "region": str(prep.panel.region_name),
        "year": None if prep.cross_section else str(prep.panel.year_name),
        "max_iter": max_iter,
        "tol": tol,
        "mgwr_version": _mgwr_version(),
        "version": __version__,
    }
    return GWRResults(
        local=pd.concat(local_parts, ignore_index=True),
        diagnostics=diagnostics,
        bandwidths=bandwidths,
        fitted=pd.concat(fitted_parts, ignore_index=True),
        options=options,
        notes=tuple(notes),
    )


def _mgwr_version() -> str:
    from importlib.metadata import version

    return version("mgwr")


def gwr(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    *,
    region: Hashable = "region",
    year: Hashable | None = None,
    coords: Any = None,
    spherical: bool | None = None,
    kernel: Kernel = "bisquare",
    fixed: bool = False,
    criterion: Criterion = "AICc",
    bandwidth: float | None = None,
    bandwidth_bounds: tuple[float | None, float | None] | None = None,
    pooling: Pooling = "by_year",
    balance: Balance = "error",
    multiple_testing: bool = True,
    level: float = 0.95,
    standardize: bool = False,
    n_jobs: int = 1,
    max_iter: int = 200,
    tol: float = 1e-6,
) -> GWRResults:
    """Geographically weighted regression of ``y`` on ``x`` (``mgwr.gwr.GWR``).

    Parameters
    ----------
    data : DataFrame
        A cross-section (one row per region) or a long panel (one row per
        region and year). Never modified.
    y : str
        Dependent variable.
    x : sequence of str
        Regressors (an intercept ``const`` is added).
    region : hashable, default "region"
        Column of region labels.
    year : hashable, optional
        Column of years: ``None`` for a cross-section.
    coords : None, pair of column names, mapping or DataFrame
        Coordinates: ``None`` uses the centroids of China's provinces (the
        regions must be province codes or names, in any spelling); ``("lon",
        "lat")`` names two columns of ``data``; or ``{region: (x, y)}`` / a
        DataFrame indexed by region with two columns.
    spherical : bool, optional
        Distances on the sphere from lon/lat (mgwr's ``spherical=True``: haversine,
        km). Default: True for the province centroids, False otherwise (Euclidean in
        the coordinates given, e.g. projected metres).
    kernel : {"bisquare", "gaussian", "exponential"}
    fixed : bool, default False
        Fixed distance bandwidth, or adaptive (a number of nearest neighbours).
    criterion : {"AICc", "CV", "AIC", "BIC"}
        Criterion minimized by the golden-section bandwidth search.
    bandwidth : float, optional
        Use this bandwidth instead of searching.
    bandwidth_bounds : (low, high), optional
        Search interval; ``None`` (or a ``None`` end) keeps mgwr's default:
        ``[40 + 2k, n]`` neighbours, or half the smallest to twice the largest
        distance for a fixed kernel. A result at a bound warns.
    pooling : {"by_year", "pooled"}
        With ``year``: one fit per year, or one fit of all region-years (time
        ignored; see :class:`~spatial.heterogeneity.gtwr.GTWR` to weight it).
    balance : {"error", "drop"}
        Unbalanced panels (see :func:`spatial._core.panel.panel_arrays`).
    multiple_testing : bool, default True
        Judge significance at the adjusted critical t (da Silva and
        Fotheringham 2016); False uses the plain t quantile.
    level : float, default 0.95
        Confidence level of the significance flags.
    standardize : bool, default False
        Standardize y and x (mean 0, sd 1, ddof 0) in each fit first.
    n_jobs : int, default 1
        joblib processes of mgwr's local fits (-1: all cores).
    max_iter, tol : int, float
        Golden-section iterations and tolerance (mgwr's ``search``).

    Returns
    -------
    GWRResults

    Raises
    ------
    SpecificationError
        Regions without coordinates, too few observations.
    MissingValueError, DuplicateObservationError, UnbalancedPanelError
        From the panel validator.
    CollinearityError
        Collinear regressors, or a singular local design (bandwidth too small).
    InvalidOptionError
        Bad option values, a bandwidth impossible for the data.

    Warns
    -----
    BandwidthSearchWarning
        The search ended at a bound of ``bandwidth_bounds``.

    Notes
    -----
    At location :math:`i` with kernel weights :math:`W_i = \\operatorname{diag}(w_{ij})`,

    .. math:: \\hat\\beta_i = (X^\\top W_i X)^{-1} X^\\top W_i y, \\qquad
              S_{i\\cdot} = x_i^\\top (X^\\top W_i X)^{-1} X^\\top W_i,

    with :math:`w_{ij} = (1 - (d_{ij}/h_i)^2)^2 1\\{d_{ij} < h_i\\}` (bisquare),
    :math:`\\exp(-\\tfrac12 (d_{ij}/h_i)^2)` (gaussian) or :math:`\\exp(-d_{ij}/h_i)`
    (exponential); :math:`h_i = h` (fixed) or the distance to the
    :math:`h`-th nearest observation (adaptive). :math:`\\sigma^2 =
    \\mathrm{RSS}/(n - \\operatorname{tr} S)`, ENP :math:`= \\operatorname{tr} S` and

    .. math:: \\mathrm{AICc} = n \\ln\\hat\\sigma^2_{ML} + n\\ln 2\\pi +
              n\\,\\frac{n + \\operatorname{tr} S}{n - 2 - \\operatorname{tr} S}.

    Local estimates are significant when :math:`|t| > t_{1-\\xi/2, n-1}` with
    :math:`\\xi = \\alpha k / \\mathrm{ENP}`.

    References
    ----------
    Fotheringham, A. S., Brunsdon, C. and Charlton, M. (2002). *Geographically Weighted
    Regression: The Analysis of Spatially Varying Relationships*. Wiley, Chichester.

    Oshan, T. M., Li, Z., Kang, W., Wolf, L. J. and Fotheringham, A. S. (2019). mgwr: A
    Python implementation of multiscale geographically weighted regression. *ISPRS
    International Journal of Geo-Information* 8(6): 269.

    da Silva, A. R. and Fotheringham, A. S. (2016). The multiple testing issue in
    geographically weighted regression. *Geographical Analysis* 48(3): 233-247.

    Examples
    --------
    >>> from spatial.geography import province_codes
    >>> codes = list(province_codes())
    >>> rng = np.random.default_rng(0)
    >>> xy, _, _ = region_coordinates(codes)
    >>> x1 = rng.normal(size=31)
    >>> frame = pd.DataFrame({"region": codes, "x1": x1,
    ...                       "y": 1 + (0.5 + 0.02 * (xy[:, 0] - 110)) * x1
    ...                            + 0.1 * rng.normal(size=31)})
    >>> res = gwr(frame, "y", ["x1"], bandwidth=12)  # adaptive bisquare, 12 neighbours
    >>> res.diagnostics[["n", "bandwidth", "enp"]].round(3)
          n  bandwidth     enp
    fit
    all  31       12.0  12.335
    >>> # slope of x1 in Shanghai (true 0.73) and Xinjiang (true 0.00), smoothed by the kernel
    >>> float(round(res.params.loc["31", "x1"], 3)), float(round(res.params.loc["65", "x1"], 3))
    (0.745, 0.239)
    """
    return _run(
        "GWR",
        data,
        y,
        x,
        region=region,
        year=year,
        coords=coords,
        spherical=spherical,
        kernel=kernel,
        fixed=fixed,
        criterion=criterion,
        bandwidth=bandwidth,
        bandwidth_bounds=bandwidth_bounds,
        pooling=pooling,
        balance=balance,
        multiple_testing=multiple_testing,
        level=level,
        standardize=standardize,
        n_jobs=n_jobs,
        max_iter=max_iter,
        tol=tol,
    )


def mgwr(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    *,
    region: Hashable = "region",
    year: Hashable | None = None,
    coords: Any = None,
    spherical: bool | None = None,
    kernel: Kernel = "bisquare",
    fixed: bool = False,
    criterion: Criterion = "AICc",
    bandwidth: float | Sequence[float] | None = None,
    bandwidth_bounds: tuple[float | None, float | None] | None = None,
    pooling: Pooling = "by_year",
    balance: Balance = "error",
    multiple_testing: bool = True,
    level: float = 0.95,
    standardize: bool = True,
    n_jobs: int = 1,
    max_iter: int = 200,
    tol: float = 1e-5,
) -> GWRResults:
    """Multiscale GWR: one bandwidth per parameter (``mgwr.gwr.MGWR``, backfitting).

    Parameters are those of :func:`gwr`, except:

    Parameters
    ----------
    bandwidth : float or sequence, optional
        Fix the bandwidths (one for all, or one per parameter, ``const`` first).
    bandwidth_bounds : (low, high), optional
        Search interval of every parameter's bandwidth; default ``[42, n]``
        neighbours (mgwr's ``[40 + 2k, n]`` for each one-column search).
    standardize : bool, default True
        Standardize y and x (mean 0, sd 1, ddof 0) first, as mgwr recommends
        (bandwidths are comparable across parameters only then).
    max_iter, tol : int, float
        Backfitting iterations and the tolerance on its score of change
        (``max_iter_multi``, ``tol_multi`` of mgwr); stopping at ``max_iter``
        warns.

    Returns
    -------
    GWRResults
        ``bandwidths`` holds each parameter's bandwidth, ENP_j and its adjusted
        critical t (:math:`\\xi_j = \\alpha / \\mathrm{ENP}_j`).

    Notes
    -----
    :math:`y = \\sum_j f_j + \\varepsilon` with :math:`f_j = \\beta_{\\cdot j} x_j`
    smoothed by its own GWR of bandwidth :math:`h_j`; backfitting updates each
    :math:`f_j` on the partial residual until the score of change
    :math:`\\big(\\tfrac1n\\sum (\\hat f^{new} - \\hat f^{old})^2 / \\sum_i (\\sum_j
    \\hat f_{ij}^{new})^2\\big)^{1/2} < \\text{tol}`; ENP :math:`= \\sum_j
    \\operatorname{tr} R_j`.

    References
    ----------
    Fotheringham, A. S., Yang, W. and Kang, W. (2017). Multiscale geographically weighted
    regression (MGWR). *Annals of the American Association of Geographers* 107(6):
    1247-1265.

    Oshan, T. M., Li, Z., Kang, W., Wolf, L. J. and Fotheringham, A. S. (2019). mgwr: A
    Python implementation of multiscale geographically weighted regression. *ISPRS
    International Journal of Geo-Information* 8(6): 269.

    Examples
    --------
    >>> from spatial.geography import province_codes
    >>> codes = list(province_codes())
    >>> rng = np.random.default_rng(1)
    >>> frame = pd.DataFrame({"region": codes, "x1": rng.normal(size=31)})
    >>> frame["y"] = 2 * frame["x1"] + rng.normal(size=31)
    >>> res = mgwr(frame, "y", ["x1"], bandwidth=[20, 31])
    >>> res.bandwidths[["parameter", "bandwidth"]]
      parameter  bandwidth
    0     const       20.0
    1        x1       31.0
    """
    return _run(
        "MGWR",
        data,
        y,
        x,
        region=region,
        year=year,
        coords=coords,
        spherical=spherical,
        kernel=kernel,
        fixed=fixed,
        criterion=criterion,
        bandwidth=bandwidth,
        bandwidth_bounds=bandwidth_bounds,
        pooling=pooling,
        balance=balance,
        multiple_testing=multiple_testing,
        level=level,
        standardize=standardize,
        n_jobs=n_jobs,
        max_iter=max_iter,
        tol=tol,
    )
