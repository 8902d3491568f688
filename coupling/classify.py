"""Tiers of coupling coordination and lag types of relative development.

A band scheme (:class:`Bands`) cuts ``[0, 1]`` into labelled intervals; the
ten-tier scale for ``D`` and the four-stage scale for ``C`` are built in, and
users may define their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from spatial._core.common import check_option, format_items

from .exceptions import (
    DegenerateIndexError,
    InvalidOptionError,
    MissingValueError,
    SpecificationError,
)

__all__ = [
    "BAND_SCHEMES",
    "FOUR_STAGE",
    "KNOWN_NAMES_ZH",
    "TEN_TIER",
    "Bands",
    "classify",
    "lag_labels",
    "relative_development",
    "resolve_bands",
    "tier_codes",
]

Closed = Literal["left", "right"]

#: Chinese names used in lag-type labels when none are given.
KNOWN_NAMES_ZH = {"manufacturing": "制造业", "services": "服务业"}


@dataclass(frozen=True)
class Bands:
    """A labelled partition of an interval into consecutive bands.

    Parameters
    ----------
    name : str
        Name of the scheme.
    edges : sequence of float
        Strictly increasing band edges, ``len(labels) + 1`` of them.
    labels : sequence of str
        English label of each band, lowest first.
    labels_zh : sequence of str, optional
        Chinese labels; default the English ones.

    Examples
    --------
    >>> Bands("three", [0, 0.4, 0.7, 1], ["low", "middle", "high"]).labels_zh
    ('low', 'middle', 'high')
    """

    name: str
    edges: tuple[float, ...]
    labels: tuple[str, ...]
    labels_zh: tuple[str, ...] = ()

    def __init__(
        self,
        name: str,
        edges: Sequence[float],
        labels: Sequence[str],
        labels_zh: Sequence[str] | None = None,
    ) -> None:
        cut = tuple(float(e) for e in edges)
        if len(cut) < 2 or not np.all(np.isfinite(cut)) or not np.all(np.diff(cut) > 0):
            raise SpecificationError(
                f"Band edges must be finite and strictly increasing, got {list(edges)}."
            )
        if len(labels) != len(cut) - 1:
            raise SpecificationError(
                f"{len(cut)} edges make {len(cut) - 1} bands, but {len(labels)} labels were given."
            )
        zh = tuple(labels_zh) if labels_zh is not None else tuple(labels)
        if len(zh) != len(labels):
            raise SpecificationError("labels_zh must have one label per band.")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "edges", cut)
        object.__setattr__(self, "labels", tuple(labels))
        object.__setattr__(self, "labels_zh", zh)


#: Ten-tier scale of the coupling-coordination degree D in steps of 0.1, as
#: used throughout the Chinese coupling literature (e.g. Tian, Li, Yang, Zhang,
#: Guo 2021, *Acta Geographica Sinica* 76(4): 781, table 1, which closes the
#: intervals on the right).
TEN_TIER = Bands(
    "ten_tier",
    (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    (
        "extreme imbalance",
        "severe imbalance",
        "moderate imbalance",
        "mild imbalance",
        "on the verge of imbalance",
        "barely coordinated",
        "primary coordination",
        "intermediate coordination",
        "good coordination",
        "high-quality coordination",
    ),
    ("极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调",
     "勉强协调", "初级协调", "中级协调", "良好协调", "优质协调"),
)  # fmt: skip

#: Four-stage scale of the coupling degree C (cut at 0.3, 0.5 and 0.8), same source.
FOUR_STAGE = Bands(
    "four_stage",
    (0.0, 0.3, 0.5, 0.8, 1.0),
    ("low-level coupling", "antagonism", "running-in", "high-level coupling"),
    ("低水平耦合", "拮抗", "磨合", "高水平耦合"),
)

BAND_SCHEMES: dict[str, Bands] = {"ten_tier": TEN_TIER, "four_stage": FOUR_STAGE}


def resolve_bands(bands: str | Bands) -> Bands:
    """A built-in scheme by name, or a user-defined :class:`Bands` as is."""
    if isinstance(bands, Bands):
        return bands
    check_option("bands", bands, tuple(BAND_SCHEMES), InvalidOptionError)
    return BAND_SCHEMES[bands]


def tier_codes(
    values: ArrayLike, edges: Sequence[float], closed: Closed = "left", tolerance: float = 0.0
) -> np.ndarray:
    """Zero-based band index of each value.

    Parameters
    ----------
    values : array_like
        Values to classify.
    edges : sequence of float
        Increasing band edges.
    closed : {"left", "right"}
        ``"left"``: bands ``[a, b)`` with the top edge in the top band;
        ``"right"``: bands ``(a, b]`` with the bottom edge in the bottom band.
    tolerance : float, default 0
        Values up to ``tolerance`` beyond the outer edges belong to the outer
        bands (the shift of standardization can lift ``D`` just above 1).

    Raises
    ------
    InvalidOptionError
        Missing values or values outside ``[edges[0] - tolerance, edges[-1] + tolerance]``.
    """
    check_option("closed", closed, ("left", "right"), InvalidOptionError)
    arr = np.asarray(values, dtype=np.float64)
    cut = np.asarray(edges, dtype=np.float64)
    outside = ~((arr >= cut[0] - tolerance) & (arr <= cut[-1] + tolerance))
    if outside.any():
        bad = arr[outside].ravel().tolist()
        raise InvalidOptionError(
            f"{len(bad)} value(s) are missing or outside the band range [{cut[0]}, {cut[-1]}]"
            f" (tolerance {tolerance:g}): {format_items(bad)}."
        )
    side: Literal["left", "right"] = "right" if closed == "left" else "left"
    return np.searchsorted(cut[1:-1], arr, side=side)


def classify(
    values: ArrayLike | pd.Series,
    bands: str | Bands = "ten_tier",
    *,
    closed: Closed = "left",
    language: Literal["en", "zh"] = "en",
    tolerance: float = 0.0,
) -> pd.Series:
    """Label values with the bands of a scheme.

    Parameters
    ----------
    values : array_like or Series
        For example ``D`` (ten tiers) or ``C`` (four stages).
    bands : {"ten_tier", "four_stage"} or Bands
        The scheme; ``Bands(...)`` for user-defined cut points and labels.
    closed : {"left", "right"}
        Interval closure, default ``[a, b)`` with 1.0 in the top band.
    language : {"en", "zh"}
        English or Chinese labels.
    tolerance : float
        See :func:`tier_codes`.

    Returns
    -------
    Series
        Ordered categorical labels; keeps the index of a Series input.

    Examples
    --------
    >>> classify([0.05, 0.65, 1.0]).tolist()
    ['extreme imbalance', 'primary coordination', 'high-quality coordination']
    >>> classify([0.3], "four_stage", language="zh").tolist()
    ['拮抗']
    """
    scheme = resolve_bands(bands)
    check_option("language", language, ("en", "zh"), InvalidOptionError)
    codes = tier_codes(values, scheme.edges, closed, tolerance)
    labels = scheme.labels if language == "en" else scheme.labels_zh
    categorical = pd.Categorical.from_codes(np.ravel(codes), categories=labels, ordered=True)
    index = values.index if isinstance(values, pd.Series) else None
    name = values.name if isinstance(values, pd.Series) else scheme.name
    return pd.Series(categorical, index=index, name=name)


def lag_labels(
    first: str, second: str, names_zh: dict[str, str] | None = None
) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """English and Chinese labels of the three lag types, ``E`` low to high."""
    zh = names_zh or {}
    return (
        (f"{first} lags", "synchronous", f"{second} lags"),
        (f"{zh.get(first, first)}滞后型", "同步发展型", f"{zh.get(second, second)}滞后型"),
    )


def relative_development(
    u_first: ArrayLike | pd.Series,
    u_second: ArrayLike | pd.Series,
    *,
    thresholds: tuple[float, float] = (0.9, 1.1),
    names: tuple[str, str] = ("manufacturing", "services"),
    names_zh: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Relative development ``E = U_first / U_second`` and its lag type.

    Parameters
    ----------
    u_first, u_second : array_like or Series
        Composite indices of the two subsystems (e.g. manufacturing, services).
    thresholds : (low, high), default (0.9, 1.1)
        ``E < low``: the first subsystem lags; ``low <= E <= high``:
        synchronous; ``E > high``: the second subsystem lags.
    names : (str, str)
        Subsystem names used in the labels.
    names_zh : dict, optional
        Chinese names for the labels (default :data:`KNOWN_NAMES_ZH`, otherwise
        the names themselves).

    Returns
    -------
    DataFrame
        Columns ``E``, ``lag_type`` and ``lag_type_zh`` (ordered categoricals).

    Examples
    --------
    >>> relative_development([0.3, 0.6], [0.6, 0.6])["lag_type"].tolist()
    ['manufacturing lags', 'synchronous']
    """
    low, high = (float(t) for t in thresholds)
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low <= high):
        raise SpecificationError(f"thresholds must satisfy 0 < low <= high, got {thresholds!r}.")
    first = np.asarray(u_first, dtype=np.float64)
    second = np.asarray(u_second, dtype=np.float64)
    if not (np.isfinite(first).all() and np.isfinite(second).all()):
        raise MissingValueError("Composite indices must be finite numbers; found missing values.")
    if (second <= 0).any():
        raise DegenerateIndexError(
            f"E = U_{names[0]} / U_{names[1]} is undefined where U_{names[1]} <= 0; "
            "use shift > 0 in the standardization."
        )
    ratio = first / second
    codes = np.where(ratio < low, 0, np.where(ratio > high, 2, 1)).ravel()
    english, chinese = lag_labels(names[0], names[1], {**KNOWN_NAMES_ZH, **(names_zh or {})})
    index = u_first.index if isinstance(u_first, pd.Series) else None
    return pd.DataFrame(
        {
            "E": ratio.ravel(),
            "lag_type": pd.Categorical.from_codes(codes, categories=english, ordered=True),
            "lag_type_zh": pd.Categorical.from_codes(codes, categories=chinese, ordered=True),
        },
        index=index,
    )
