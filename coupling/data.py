"""Indicator systems: which indicator belongs to which subsystem, and its direction.

:class:`IndicatorSystem` says which indicator belongs to which subsystem and in
which direction it counts. The long (region, year) panel is validated and turned
into a year-major array ``(T, N, J)`` by the toolkit's one panel validator,
:func:`spatial._core.panel.panel_arrays`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from spatial._core.messages import suggest
from spatial._core.options import Balance
from spatial._core.panel import PanelArrays, panel_arrays

from .classify import KNOWN_NAMES_ZH
from .exceptions import SpecificationError

__all__ = ["Balance", "Direction", "IndicatorSystem", "PanelArrays", "panel_arrays"]

Direction = Literal["+", "-"]
IndicatorSpec = Mapping[str, Direction] | Sequence[tuple[str, Direction]]


class IndicatorSystem:
    """Subsystems, their indicators and each indicator's direction.

    Parameters
    ----------
    subsystems : mapping
        ``{subsystem: {indicator: "+" or "-"}}``. Each inner value may also be a
        sequence of ``(indicator, direction)`` pairs, which lets an indicator
        listed twice be caught (a dict literal silently keeps the last one).
        ``"+"`` marks a positive (benefit) indicator, ``"-"`` a negative (cost)
        indicator.
    names_zh : mapping, optional
        Chinese names of the subsystems, used in Chinese lag-type labels.
        ``manufacturing`` and ``services`` are known (制造业, 服务业); other
        subsystems default to their own name.

    Raises
    ------
    SpecificationError
        Fewer than one subsystem, an empty subsystem, a direction other than
        ``"+"``/``"-"``, or an indicator listed twice (in one subsystem or two).

    Examples
    --------
    >>> system = IndicatorSystem({
    ...     "manufacturing": {"revenue": "+", "energy_per_output": "-"},
    ...     "services": [("value_added", "+"), ("employment", "+")],
    ... })
    >>> system.indicators
    ('revenue', 'energy_per_output', 'value_added', 'employment')
    """

    __slots__ = ("_names_zh", "_spec")

    def __init__(
        self,
        subsystems: Mapping[str, IndicatorSpec],
        names_zh: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(subsystems, Mapping) or len(subsystems) == 0:
            raise SpecificationError(
                "An indicator system needs a mapping {subsystem: {indicator: '+' or '-'}} "
                "with at least one subsystem."
            )
        spec: list[tuple[str, tuple[tuple[str, Direction], ...]]] = []
        seen: dict[str, str] = {}
        for name, members in subsystems.items():
            pairs = list(members.items()) if isinstance(members, Mapping) else list(members)
            if not pairs:
                raise SpecificationError(f"Subsystem {name!r} has no indicators.")
            checked: list[tuple[str, Direction]] = []
            for pair in pairs:
                if not (isinstance(pair, tuple) and len(pair) == 2):
                    raise SpecificationError(
                        f"Subsystem {name!r}: expected (indicator, direction) pairs, got {pair!r}."
                    )
                indicator, direction = pair
                if direction not in ("+", "-"):
                    raise SpecificationError(
                        f"Indicator {indicator!r} in subsystem {name!r} has direction "
                        f"{direction!r}; use '+' (more is better) or '-' (less is better)."
                    )
                if indicator in seen:
                    raise SpecificationError(
                        f"Indicator {indicator!r} is listed twice (in subsystem {seen[indicator]!r}"
                        f" and {name!r}); each indicator may appear once."
                    )
                seen[indicator] = str(name)
                checked.append((str(indicator), direction))
            spec.append((str(name), tuple(checked)))
        self._spec = tuple(spec)
        names = dict(names_zh or {})
        unknown = sorted(set(names) - {s for s, _ in spec})
        if unknown:
            raise SpecificationError(f"names_zh names unknown subsystems: {unknown}.")
        self._names_zh = {s: names.get(s, KNOWN_NAMES_ZH.get(s, s)) for s, _ in spec}

    @classmethod
    def from_frame(
        cls,
        table: pd.DataFrame,
        subsystem: str = "subsystem",
        indicator: str = "indicator",
        direction: str = "direction",
    ) -> IndicatorSystem:
        """Build a system from a table with one row per indicator.

        Directions may be written ``+``/``-`` or ``positive``/``negative``.
        """
        missing = [c for c in (subsystem, indicator, direction) if c not in table.columns]
        if missing:
            raise SpecificationError(
                f"The specification table lacks column(s) {missing}; it has {list(table.columns)}."
            )
        aliases = {"+": "+", "-": "-", "positive": "+", "negative": "-"}
        spec: dict[str, list[tuple[str, Direction]]] = {}
        for sub, ind, dirn in table[[subsystem, indicator, direction]].itertuples(index=False):
            key = str(dirn).strip().lower()
            spec.setdefault(str(sub), []).append((str(ind), aliases.get(key, key)))  # type: ignore[arg-type]
        return cls(spec)

    @property
    def subsystems(self) -> tuple[str, ...]:
        """Subsystem names, in the order given."""
        return tuple(s for s, _ in self._spec)

    @property
    def indicators(self) -> tuple[str, ...]:
        """All indicator names, subsystem by subsystem."""
        return tuple(i for _, pairs in self._spec for i, _ in pairs)

    @property
    def directions(self) -> np.ndarray:
        """``+1`` for positive and ``-1`` for negative indicators, in indicator order."""
        return np.array(
            [1 if d == "+" else -1 for _, pairs in self._spec for _, d in pairs], dtype=np.int8
        )

    @property
    def groups(self) -> np.ndarray:
        """Index of the subsystem of each indicator, in indicator order."""
        return np.array(
            [k for k, (_, pairs) in enumerate(self._spec) for _ in pairs], dtype=np.intp
        )

    @property
    def names_zh(self) -> dict[str, str]:
        """Chinese subsystem names used in labels."""
        return dict(self._names_zh)

    def indicators_of(self, subsystem: str) -> tuple[str, ...]:
        """Indicator names of one subsystem."""
        for name, pairs in self._spec:
            if name == subsystem:
                return tuple(i for i, _ in pairs)
        raise SpecificationError(
            f"No subsystem {subsystem!r}; the system has {list(self.subsystems)}."
            + suggest(subsystem, self.subsystems)
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: subsystem, indicator, direction."""
        return pd.DataFrame(
            [(s, i, d) for s, pairs in self._spec for i, d in pairs],
            columns=["subsystem", "indicator", "direction"],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndicatorSystem) and self._spec == other._spec

    def __hash__(self) -> int:
        return hash(self._spec)

    def __repr__(self) -> str:
        body = ", ".join(
            f"{s!r}: {{{', '.join(f'{i!r}: {d!r}' for i, d in pairs)}}}" for s, pairs in self._spec
        )
        return f"IndicatorSystem({{{body}}})"
