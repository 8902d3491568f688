"""Result containers of the coupling-coordination engine.

Results are immutable: attributes return fresh (copy-on-write) views, so a
caller editing a returned table never changes the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from spatial._core.summary import Summary

__all__ = ["BootstrapResults", "CouplingResults"]


@dataclass(frozen=True)
class BootstrapResults:
    """Region-bootstrap intervals for the indicator weights and for ``D``.

    Attributes
    ----------
    indicator_weights : DataFrame
        Per (year,) subsystem and indicator: ``w`` (full-sample estimate),
        ``std_error`` (standard deviation over resamples), ``lower``, ``upper``.
    D : DataFrame
        Per (region, year): ``D``, ``std_error``, ``lower``, ``upper``.
    n_resamples, n_discarded : int
        Resamples drawn, and resamples discarded because an indicator was
        constant in them (min-max standardization undefined).
    level : float
        Confidence level of the equal-tailed percentile intervals.
    seed : int or None
        Seed of the resampling.

    Notes
    -----
    The interval for ``D`` holds the data and the full-sample min-max bounds
    fixed and lets only the indicator weights vary: it answers "how much does
    ``D`` move when the weights are re-estimated on resampled regions".
    """

    indicator_weights: pd.DataFrame
    D: pd.DataFrame
    n_resamples: int
    n_discarded: int
    level: float
    seed: int | None

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value


class CouplingResults:
    """Fitted coupling-coordination scores; returned by :meth:`CouplingCoordination.fit`.

    Attributes
    ----------
    indicator_weights : DataFrame
        Index (``year``,) ``subsystem``, ``indicator``; columns ``direction``,
        ``min`` and ``max`` used in the standardization, the method's
        diagnostics (entropy: ``e``, ``d``; CRITIC: ``std``, ``conflict``,
        ``information``; CV: ``mean``, ``std``, ``cv``) and the weight ``w``.
    indices : DataFrame
        Composite index ``U`` of each subsystem, indexed by (region, year).
    scores : DataFrame
        Indexed by (region, year): ``C``, ``T``, ``D``, ``tier_rank`` (1 = lowest),
        ``tier`` and ``tier_zh``, ``coupling_stage`` and ``coupling_stage_zh``
        (four-stage scale of ``C``), ``E`` and ``lag_type``/``lag_type_zh``.
    options : mapping
        Every option resolved at fit (weighting, pooling, shift, variant, alpha,
        bands, closure, ...), the panel size, dropped regions and the version.
    bootstrap : BootstrapResults or None
        Present when ``fit(..., bootstrap=B)`` was asked for.
    """

    __slots__ = ("_bootstrap", "_indicator_weights", "_indices", "_options", "_scores")
    _bootstrap: BootstrapResults | None
    _indicator_weights: pd.DataFrame
    _indices: pd.DataFrame
    _options: Mapping[str, Any]
    _scores: pd.DataFrame

    def __init__(
        self,
        indicator_weights: pd.DataFrame,
        indices: pd.DataFrame,
        scores: pd.DataFrame,
        options: Mapping[str, Any],
        bootstrap: BootstrapResults | None = None,
    ) -> None:
        object.__setattr__(self, "_indicator_weights", indicator_weights)
        object.__setattr__(self, "_indices", indices)
        object.__setattr__(self, "_scores", scores)
        object.__setattr__(self, "_options", MappingProxyType(dict(options)))
        object.__setattr__(self, "_bootstrap", bootstrap)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("CouplingResults is immutable; fit again to change it.")

    @property
    def indicator_weights(self) -> pd.DataFrame:
        """Weights and their diagnostics (see class docstring)."""
        return self._indicator_weights.copy(deep=False)

    @property
    def indices(self) -> pd.DataFrame:
        """Composite index ``U`` per subsystem, indexed by (region, year)."""
        return self._indices.copy(deep=False)

    @property
    def scores(self) -> pd.DataFrame:
        """``C``, ``T``, ``D``, tiers, ``E`` and lag types, indexed by (region, year)."""
        return self._scores.copy(deep=False)

    @property
    def options(self) -> Mapping[str, Any]:
        """Options resolved at fit (read-only mapping)."""
        return self._options

    @property
    def bootstrap(self) -> BootstrapResults | None:
        """Bootstrap intervals, if requested."""
        return self._bootstrap

    def to_frame(self) -> pd.DataFrame:
        """One long table (region, year, ``U_<subsystem>``, scores) to merge into a script."""
        frame = pd.concat([self._indices.add_prefix("U_"), self._scores], axis=1)
        if self._bootstrap is not None:
            ci = self._bootstrap.D[["lower", "upper"]].add_prefix("D_")
            frame = pd.concat([frame, ci], axis=1)
        return frame.reset_index()

    def summary(self) -> Summary:
        """Weights table, ``D`` by year and tier counts by year."""
        years = self._scores.index.get_level_values(1).to_series(index=self._scores.index)
        by_year = self._scores.groupby(level=1)["D"].agg(["mean", "std", "min", "max", "count"])
        tiers = pd.crosstab(years, self._scores["tier"])
        lags = pd.crosstab(years, self._scores["lag_type"])
        opts = self._options
        notes = [
            f"{opts['n_regions']} regions x {opts['n_years']} years; "
            f"weighting={opts['weighting']}, pooling={opts['pooling']}, "
            f"shift={opts['shift']:g}, variant={opts['variant']}, "
            f"alpha={opts['alpha']}, bands={opts['bands']} (closed={opts['closed']}).",
        ]
        if opts["dropped_regions"]:
            notes.append(f"Dropped to balance the panel: {list(opts['dropped_regions'])}.")
        for kept, others in opts.get("merged_spellings", ()):
            notes.append(f"Spellings of one province unified: {', '.join(others)} -> {kept}.")
        tables = [
            ("Indicator weights", self._indicator_weights),
            ("Coupling coordination degree D by year", by_year),
            ("Tier counts by year", tiers),
            ("Lag types by year", lags),
        ]
        if self._bootstrap is not None:
            boot = self._bootstrap
            tables.insert(1, (
                f"Bootstrap of the weights ({boot.n_resamples} region resamples, "
                f"{boot.level:.0%} percentile intervals)",
                boot.indicator_weights,
            ))  # fmt: skip
        return Summary("Coupling coordination", tuple(tables), tuple(notes))

    def __repr__(self) -> str:
        opts = self._options
        return (
            f"<CouplingResults: {opts['n_regions']} regions x {opts['n_years']} years, "
            f"{opts['weighting']} weights, {opts['variant']} coupling>"
        )
