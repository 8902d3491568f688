"""Tiers of coupling coordination and lag types of relative development.

A band scheme (:class:`Bands`, a shared helper of the toolkit) cuts ``[0, 1]``
into labelled intervals; the ten-tier scale for ``D`` and the four-stage scale
for ``C`` are built in, and users may define their own.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from spatial._core.bands import Bands, Closed, band_codes
from spatial._core.options import check_option

from .exceptions import (
    DegenerateIndexError,
    MissingValueError,
    SpecificationError,
)

__all__ = [
    "BAND_SCHEMES",
    "FOUR_STAGE",
    "KNOWN_NAMES_ZH",
    "TEN_TIER",
    "Bands",
    "Closed",
    "band_codes",
    "classify",
    "lag_labels",
    "relative_development",
    "resolve_bands",
]

#: Chinese names used in lag-type labels when none are given.
KNOWN_NAMES_ZH = {"manufacturing": "制造业", "services": "服务业"}


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
    check_option("bands", bands, tuple(BAND_SCHEMES))
    return BAND_SCHEMES[bands]


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
        See :func:`band_codes`.

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
    check_option("language", language, ("en", "zh"))
    codes = band_codes(values, scheme.edges, closed, tolerance)
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
