"""The coupling-coordination model: from a long panel to scores, in one fit."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from spatial._core.messages import format_items
from spatial._core.options import check_option
from spatial._core.version import __version__

from .bootstrap import WEIGHTING_METHODS, bootstrap_weights, percentile_interval
from .classify import FOUR_STAGE, Bands, Closed, band_codes, relative_development, resolve_bands
from .coordination import VARIANTS, Variant, coupling_coordination, resolve_alpha
from .data import Balance, IndicatorSystem, PanelArrays, panel_arrays
from .exceptions import (
    ConstantIndicatorError,
    DegenerateIndexError,
    InvalidOptionError,
    SpecificationError,
)
from .index import composite_index
from .results import BootstrapResults, CouplingResults
from .standardize import Constant, indicator_bounds, standardize
from .weights import equal_weights

__all__ = ["CouplingCoordination"]

Weighting = Literal["entropy", "critic", "cv", "equal"]
Pooling = Literal["panel", "by_period"]
WEIGHTINGS: tuple[str, ...] = (*WEIGHTING_METHODS, "equal")
#: Tolerance for user-given weights summing to one within a subsystem.
WEIGHT_TOLERANCE = 1e-9

#: Diagnostic columns reported by each data-driven method, by field of its result.
_DIAGNOSTICS = {
    "entropy": (("e", 0), ("d", 1)),
    "critic": (("std", 0), ("conflict", 1), ("information", 2)),
    "cv": (("mean", 0), ("std", 1), ("cv", 2)),
}


def _region_major(u: np.ndarray, t: int, n: int) -> np.ndarray:
    """Reorder year-major ``(..., P, rows, S)`` indices to region-major ``(..., N*T, S)``."""
    lead, s = u.shape[:-3], u.shape[-1]
    by_year = u.reshape(*lead, t, n, s)
    return np.ascontiguousarray(np.swapaxes(by_year, -3, -2)).reshape(*lead, n * t, s)


def _stored_by_region(values: np.ndarray) -> bool:
    """Whether the ``(T, N, K)`` array is a view of rows stored region by region, so that
    its region-major stacking ``(N T, K)`` needs no copy."""
    by_region = values.swapaxes(0, 1)
    return by_region.strides[0] == by_region.strides[1] * by_region.shape[1]


class CouplingCoordination:
    """Entropy-weighted (or otherwise weighted) coupling-coordination model.

    Parameters
    ----------
    system : IndicatorSystem
        Subsystems, indicators and directions.
    weighting : {"entropy", "critic", "cv", "equal"} or mapping
        Indicator weighting; a mapping ``{indicator: weight}`` gives fixed
        weights (non-negative, summing to one within each subsystem).
    pooling : {"panel", "by_period"}
        Scope of standardization and weighting: all region-years together
        (default: keeps years comparable) or each year on its own.
    shift : float, default 1e-4
        Added to every standardized value (``0`` allowed, with ``0 ln 0 = 0``).
    variant : {"standard", "wang2021", "fan2024"}
        Coupling-degree formula (see :func:`coupling.coupling_degree`).
    alpha : sequence or mapping, optional
        Subsystem weights in ``T = sum alpha_s U_s``; equal by default; must sum
        to one.
    bands : {"ten_tier", "four_stage"} or Bands
        Tier scheme for ``D``.
    closed : {"left", "right"}
        Closure of the tier intervals: ``[a, b)`` (default, 1.0 in the top tier)
        or ``(a, b]`` (0 in the bottom tier).
    constant : {"raise", "drop"}
        A constant indicator raises, or (``"drop"``) gets weight zero.
    balance : {"error", "drop"}
        An unbalanced panel raises, or (``"drop"``) loses its incomplete regions
        with a warning.
    lag_thresholds : (float, float), default (0.9, 1.1)
        Bounds of the synchronous band of ``E = U_first / U_second``.
    ratio : (str, str), optional
        The two subsystems compared by ``E``; default the first two.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("abcabc"), "year": [1, 1, 1, 2, 2, 2],
    ...                    "m1": [1., 2, 4, 3, 5, 6], "s1": [2., 1, 3, 4, 6, 5]})
    >>> system = IndicatorSystem({"manufacturing": {"m1": "+"}, "services": {"s1": "+"}})
    >>> res = CouplingCoordination(system).fit(df, region="region", year="year")
    >>> res.scores["D"].round(4).tolist()[:2]  # region a in years 1 and 2 (shift 1e-4)
    [0.0669, 0.7]
    """

    def __init__(
        self,
        system: IndicatorSystem,
        *,
        weighting: Weighting | Mapping[str, float] = "entropy",
        pooling: Pooling = "panel",
        shift: float = 1e-4,
        variant: Variant = "standard",
        alpha: Sequence[float] | Mapping[str, float] | None = None,
        bands: str | Bands = "ten_tier",
        closed: Closed = "left",
        constant: Constant = "raise",
        balance: Balance = "error",
        lag_thresholds: tuple[float, float] = (0.9, 1.1),
        ratio: tuple[str, str] | None = None,
    ) -> None:
        if not isinstance(system, IndicatorSystem):
            raise SpecificationError(
                f"system must be an IndicatorSystem, got {type(system).__name__}."
            )
        if len(system.subsystems) < 2:
            raise SpecificationError(
                f"Coupling needs at least two subsystems; the system has {list(system.subsystems)}."
            )
        self.system = system
        self.fixed_weights: np.ndarray | None = None
        if isinstance(weighting, Mapping):
            self.fixed_weights = self._check_fixed_weights(weighting)
            self.weighting = "user"
        else:
            self.weighting = check_option("weighting", weighting, WEIGHTINGS)
        self.pooling = check_option("pooling", pooling, ("panel", "by_period"))
        if not (np.isfinite(shift) and shift >= 0):
            raise InvalidOptionError(f"shift must be a finite number >= 0, got {shift!r}.")
        self.shift = float(shift)
        self.variant = check_option("variant", variant, VARIANTS)
        self.alpha = resolve_alpha(alpha, len(system.subsystems), system.subsystems)
        self.bands = resolve_bands(bands)
        self.closed = check_option("closed", closed, ("left", "right"))
        self.constant = check_option("constant", constant, ("raise", "drop"))
        self.balance = check_option("balance", balance, ("error", "drop"))
        low, high = (float(t) for t in lag_thresholds)
        if not (np.isfinite(low) and np.isfinite(high) and 0 < low <= high):
            raise SpecificationError(
                f"lag_thresholds must satisfy 0 < low <= high, got {lag_thresholds!r}."
            )
        self.lag_thresholds = (low, high)
        pair = tuple(ratio) if ratio is not None else system.subsystems[:2]
        unknown = [s for s in pair if s not in system.subsystems]
        if len(pair) != 2 or unknown or pair[0] == pair[1]:
            raise SpecificationError(
                f"ratio must name two different subsystems of {list(system.subsystems)}, "
                f"got {ratio!r}."
            )
        self.ratio: tuple[str, str] = (str(pair[0]), str(pair[1]))

    def _check_fixed_weights(self, weighting: Mapping[str, float]) -> np.ndarray:
        names = self.system.indicators
        missing = [i for i in names if i not in weighting]
        extra = [i for i in weighting if i not in names]
        if missing or extra:
            raise SpecificationError(
                f"User weights must name every indicator exactly; missing {missing}, "
                f"unknown {extra}."
            )
        w = np.array([weighting[i] for i in names], dtype=np.float64)
        if not np.isfinite(w).all() or (w < 0).any():
            raise SpecificationError(f"User weights must be finite and >= 0, got {w.tolist()}.")
        sums = np.bincount(self.system.groups, weights=w)
        bad = [
            f"{s} sums to {total:.12g}"
            for s, total in zip(self.system.subsystems, sums)
            if abs(total - 1.0) > WEIGHT_TOLERANCE
        ]
        if bad:
            raise SpecificationError(
                f"User weights must sum to 1 within each subsystem: {'; '.join(bad)}."
            )
        return w

    def fit(
        self,
        data: pd.DataFrame,
        region: Hashable | None = None,
        year: Hashable | None = None,
        *,
        bootstrap: int = 0,
        seed: int | None = None,
        level: float = 0.95,
    ) -> CouplingResults:
        """Score a (region, year) panel.

        Parameters
        ----------
        data : DataFrame
            One row per region-year with the system's indicators as columns;
            region and year as columns or as a two-level index. Not modified.
        region, year : hashable, optional
            Column or index-level names; omit both for a (region, year) MultiIndex.
        bootstrap : int, default 0
            Number of region resamples for confidence intervals of the weights
            and of ``D`` (data-driven weighting only); 0 skips the bootstrap.
        seed : int, optional
            Seed of the bootstrap.
        level : float, default 0.95
            Confidence level of the bootstrap percentile intervals.

        Returns
        -------
        CouplingResults
        """
        system = self.system
        panel = panel_arrays(data, system.indicators, region, year, balance=self.balance)
        t, n, j = panel.values.shape
        pooled = self.pooling == "panel"
        # pooled scores do not depend on the order of the rows: they are computed in the
        # order the data are stored in (no copy) and the indices put region-major after
        by_region = pooled and _stored_by_region(panel.values)
        if by_region:
            x = panel.values.swapaxes(0, 1).reshape(1, n * t, j)
        else:
            x = panel.values.reshape(1, t * n, j) if pooled else panel.values
        lo, hi = indicator_bounds(x)
        self._check_constant(lo, hi, panel)
        z = standardize(
            x, system.directions, shift=self.shift, bounds=(lo, hi), constant=self.constant
        )
        w, diagnostics = self._weights(z)
        u = composite_index(z, w, system.groups)
        u = u.reshape(n * t, -1) if by_region else _region_major(u, t, n)
        scores = self._scores(u, panel)
        indices = pd.DataFrame(
            u, index=scores.index, columns=pd.Index(system.subsystems, name="subsystem")
        )
        weights_table = self._weights_table(lo, hi, w, diagnostics, panel)
        boot = None
        if bootstrap:
            boot = self._bootstrap(
                panel, z, scores["D"], weights_table, int(bootstrap), seed, level, by_region
            )
        return CouplingResults(weights_table, indices, scores, self._options(panel), boot)

    def _check_constant(self, lo: np.ndarray, hi: np.ndarray, panel: PanelArrays) -> None:
        flat = (hi == lo)[:, 0, :]  # (P, J)
        if not flat.any():
            return
        names = self.system.indicators
        where = [
            names[col] if flat.shape[0] == 1 else f"{names[col]} in {panel.years[row]}"
            for row, col in zip(*np.nonzero(flat))
        ]
        if self.constant == "raise":
            raise ConstantIndicatorError(
                f"Constant indicator(s) over the rows in scope: {format_items(where)}. The "
                "entropy (and min-max standardization) is undefined; remove them or pass "
                "constant='drop' to give them weight 0."
            )
        groups = self.system.groups
        for s, name in enumerate(self.system.subsystems):
            if flat[:, groups == s].all(axis=1).any():
                raise ConstantIndicatorError(
                    f"Every indicator of subsystem {name!r} is constant in some scope; its "
                    "composite index is undefined."
                )

    def _weights(self, z: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        groups = self.system.groups
        p, _, j = z.shape
        if self.fixed_weights is not None:
            return np.broadcast_to(self.fixed_weights, (p, j)), {}
        if self.weighting == "equal":
            return np.broadcast_to(equal_weights(j, groups), (p, j)), {}
        result = WEIGHTING_METHODS[self.weighting](z, groups)
        undefined = ~np.isfinite(result[-1]).all(axis=0)
        if undefined.any():
            names = sorted({self.system.subsystems[g] for g in groups[undefined]})
            raise DegenerateIndexError(
                f"{self.weighting} weights are undefined in subsystem(s) {names}: their "
                "indicators carry no usable information (perfectly correlated indicators give "
                "CRITIC no conflict). Choose another weighting or other indicators."
            )
        diagnostics = {name: result[k] for name, k in _DIAGNOSTICS[self.weighting]}
        return result[-1], diagnostics

    def _scores(self, u: np.ndarray, panel: PanelArrays) -> pd.DataFrame:
        c, t_index, d = coupling_coordination(u, self.variant, self.alpha)
        undefined = np.flatnonzero(~np.isfinite(c))
        if undefined.size:
            labels = panel.index()[undefined]
            raise DegenerateIndexError(
                f"The coupling degree is undefined (all U zero) at {format_items(list(labels))}; "
                "this happens with shift=0 for a region-year worst on every indicator. Use "
                "shift > 0."
            )
        tiers = band_codes(d, self.bands.edges, self.closed, tolerance=self.shift)
        stages = band_codes(c, FOUR_STAGE.edges, self.closed)
        first, second = (self.system.subsystems.index(s) for s in self.ratio)
        lags = relative_development(
            u[:, first], u[:, second], thresholds=self.lag_thresholds, names=self.ratio,
            names_zh=self.system.names_zh,
        )  # fmt: skip

        def labelled(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
            return pd.Categorical.from_codes(codes, categories=list(categories), ordered=True)

        return pd.DataFrame(
            {
                "C": c,
                "T": t_index,
                "D": d,
                "tier_rank": tiers + 1,
                "tier": labelled(tiers, self.bands.labels),
                "tier_zh": labelled(tiers, self.bands.labels_zh),
                "coupling_stage": labelled(stages, FOUR_STAGE.labels),
                "coupling_stage_zh": labelled(stages, FOUR_STAGE.labels_zh),
                "E": lags["E"].to_numpy(),
                "lag_type": lags["lag_type"].array,
                "lag_type_zh": lags["lag_type_zh"].array,
            },
            index=panel.index(),
        )

    def _weights_index(self, panel: PanelArrays, periods: int) -> pd.MultiIndex:
        system = self.system
        subsystems = [system.subsystems[g] for g in system.groups]
        if periods == 1:
            return pd.MultiIndex.from_arrays(
                [subsystems, list(system.indicators)], names=["subsystem", "indicator"]
            )
        j = len(system.indicators)
        return pd.MultiIndex.from_arrays(
            [np.repeat(panel.years.to_numpy(), j), subsystems * periods,
             list(system.indicators) * periods],
            names=[panel.year_name, "subsystem", "indicator"],
        )  # fmt: skip

    def _weights_table(
        self,
        lo: np.ndarray,
        hi: np.ndarray,
        w: np.ndarray,
        diagnostics: dict[str, np.ndarray],
        panel: PanelArrays,
    ) -> pd.DataFrame:
        periods = lo.shape[0]
        columns: dict[str, Any] = {
            "direction": np.tile(np.where(self.system.directions > 0, "+", "-"), periods),
            "min": lo.ravel(),
            "max": hi.ravel(),
        }
        columns.update({name: np.ravel(v) for name, v in diagnostics.items()})
        columns["w"] = np.ravel(w)
        return pd.DataFrame(columns, index=self._weights_index(panel, periods))

    def _bootstrap(
        self,
        panel: PanelArrays,
        z: np.ndarray,
        d_full: pd.Series,
        weights_table: pd.DataFrame,
        n_resamples: int,
        seed: int | None,
        level: float,
        by_region: bool,
    ) -> BootstrapResults:
        if self.weighting not in WEIGHTING_METHODS:
            raise InvalidOptionError(
                f"bootstrap needs data-driven weights (entropy, critic or cv); weighting="
                f"{self.weighting!r} has nothing to resample."
            )
        draws = bootstrap_weights(
            panel.values,
            self.system.directions,
            self.system.groups,
            method=self.weighting,  # type: ignore[arg-type]
            pooled=self.pooling == "panel",
            shift=self.shift,
            n_resamples=n_resamples,
            seed=seed,
        )
        if draws.weights.shape[0] < 2:
            raise InvalidOptionError(
                f"Only {draws.weights.shape[0]} of {n_resamples} resamples were usable "
                f"({draws.n_discarded} had a constant indicator); the bootstrap is not informative."
            )
        w_lo, w_hi = percentile_interval(draws.weights, level)
        weights = pd.DataFrame(
            {
                "w": weights_table["w"].to_numpy(),
                "std_error": draws.weights.std(axis=0, ddof=1).ravel(),
                "lower": w_lo.ravel(),
                "upper": w_hi.ravel(),
            },
            index=weights_table.index,
        )
        u = composite_index(z, draws.weights, self.system.groups)  # (B, P, rows, S)
        t, n = len(panel.years), len(panel.regions)
        u = u.reshape(*u.shape[:-3], n * t, u.shape[-1]) if by_region else _region_major(u, t, n)
        d_draws = coupling_coordination(u, self.variant, self.alpha).D
        d_lo, d_hi = percentile_interval(d_draws, level)
        d_table = pd.DataFrame(
            {"D": d_full, "std_error": d_draws.std(axis=0, ddof=1), "lower": d_lo, "upper": d_hi},
            index=d_full.index,
        )
        return BootstrapResults(weights, d_table, n_resamples, draws.n_discarded, level, seed)

    def _options(self, panel: PanelArrays) -> dict[str, Any]:
        return {
            "weighting": self.weighting,
            "pooling": self.pooling,
            "shift": self.shift,
            "variant": self.variant,
            "alpha": dict(zip(self.system.subsystems, self.alpha.tolist())),
            "bands": self.bands.name,
            "closed": self.closed,
            "constant": self.constant,
            "balance": self.balance,
            "lag_thresholds": self.lag_thresholds,
            "ratio": self.ratio,
            "n_regions": len(panel.regions),
            "n_years": len(panel.years),
            "dropped_regions": panel.dropped_regions,
            "merged_spellings": panel.merged_spellings,
            "version": __version__,
        }
