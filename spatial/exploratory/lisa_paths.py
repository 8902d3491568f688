"""LISA time paths and the space-time transitions of LISA quadrants (Rey 2001).

:func:`lisa_paths` follows each region through the Moran scatter plot year by year,
the point (z_ti, lag_ti) of its standardized value and spatial lag, and returns:

- the paths and their geometry (length, end-to-end displacement, tortuosity, relative
  length, the direction of the end-to-end move and its sector of the rose diagram),
  as in giddy's ``directional.Rose`` (Rey, Murray and Anselin 2011);
- the 4 x 4 transitions between the quadrants HH, LH, LL, HL from one year to the next,
  counts and row probabilities, as giddy's ``markov.LISA_Markov`` (permutations=0);
- each move classified by Rey's (2001) space-time types: 0 (neither the region nor its
  neighbours change quadrant), I (only the region moves), II (only its neighbours
  move), III (both move), split into IIIA (both in the same direction, HH <-> LL) and
  IIIB (opposite directions, LH <-> HL); counts and shares by interval and overall.

Why not call giddy here: giddy (with libpysal and mapclassify) takes some 4 s to import,
its ``LISA_Markov`` runs esda's ``Moran_Local`` year by year, and ``Rose.permute``
draws from numpy's global random state. The quantities are a few array operations on
the standardized values and lags of :func:`~spatial.exploratory.permutation.local_moran_arrays`;
giddy's ``Rose`` and ``LISA_Markov`` are the references of the tests (same inputs,
same numbers).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._core.options import check_option
from .._core.results import FrozenTables
from .._core.summary import Summary
from ..exceptions import InvalidOptionError, PanelStructureError
from ..weights import SpatialWeights
from .autocorrelation import _year_values
from .permutation import local_moran_arrays

__all__ = ["QUADRANTS", "REY_TYPES", "LisaPathResults", "lisa_paths", "rey_types"]

Standardize = Literal["row", "none"]
#: LISA quadrants in PySAL's (esda's and giddy's) order: 1 HH, 2 LH, 3 LL, 4 HL.
QUADRANTS: tuple[str, ...] = ("HH", "LH", "LL", "HL")
#: Rey's (2001) space-time transition types, with Type III split by direction.
REY_TYPES: tuple[str, ...] = ("0", "I", "II", "IIIA", "IIIB")
REY_TYPES_ZH: tuple[str, ...] = ("类型0（均不变）", "类型I（自身跃迁）", "类型II（邻域跃迁）",
                                 "类型IIIA（同向跃迁）", "类型IIIB（反向跃迁）")  # fmt: skip
# type of the move from quadrant a (row) to quadrant b (column), codes 0..4 of REY_TYPES
_TYPE_OF = np.array(
    [
        [0, 1, 3, 2],  # HH -> HH, LH (own moves), LL (both), HL (neighbours)
        [1, 0, 2, 4],  # LH -> HH (own), LH, LL (neighbours), HL (both, opposite)
        [3, 2, 0, 1],  # LL -> HH (both), LH (neighbours), LL, HL (own)
        [2, 4, 1, 0],  # HL -> HH (neighbours), LH (both, opposite), LL (own), HL
    ]
)


def rey_types(origin: Any, destination: Any) -> np.ndarray:
    """Rey's (2001) type of moves between LISA quadrants (1 HH, 2 LH, 3 LL, 4 HL).

    Returns codes into :data:`REY_TYPES`: 0 no move, 1 "I" (the region changes sides
    of the mean, its lag does not), 2 "II" (the lag changes, the region does not), 3
    "IIIA" (both change, in the same direction: HH <-> LL), 4 "IIIB" (both change, in
    opposite directions: LH <-> HL).

    Examples
    --------
    >>> [REY_TYPES[c] for c in rey_types([1, 1, 1, 1, 2], [1, 2, 4, 3, 4])]
    ['0', 'I', 'II', 'IIIA', 'IIIB']
    """
    a = np.asarray(origin, dtype=np.int64)
    b = np.asarray(destination, dtype=np.int64)
    if not (np.isin(a, (1, 2, 3, 4)).all() and np.isin(b, (1, 2, 3, 4)).all()):
        raise InvalidOptionError("quadrants must be 1 (HH), 2 (LH), 3 (LL) or 4 (HL).")
    return _TYPE_OF[a - 1, b - 1]


@dataclass(frozen=True, repr=False)
class LisaPathResults(FrozenTables):
    """LISA time paths, quadrant transitions and Rey's space-time types.

    Attributes
    ----------
    paths : DataFrame
        One row per region and year: region, year, the value, ``z`` (standardized value,
        population sd), ``lag`` (its spatial lag) and ``quadrant`` (HH, LH, LL, HL).
    path_stats : DataFrame
        One row per region (index named after the region column): ``length`` (sum of
        the yearly steps in the (z, lag) plane), ``displacement`` (first to last year),
        ``tortuosity`` (length / displacement; NaN when the path ends where it began),
        ``relative_length`` (length / mean length), ``dz``, ``dlag`` (end-to-end move),
        ``theta`` (its direction, radians in (-pi, pi], as giddy's Rose), ``sector``
        (1..k of the rose diagram, counter-clockwise from east).
    transitions, probabilities : DataFrame
        4 x 4 counts of quadrant moves between consecutive years (rows: from; columns:
        to; HH, LH, LL, HL) and the row shares (NaN for a quadrant never left from).
    moves : DataFrame
        One row per region and interval: region, ``from_year``, ``to_year``, ``from``,
        ``to`` and ``type`` (0, I, II, IIIA, IIIB).
    types : DataFrame
        Counts of each type per interval (index ``from_year-to_year``) and in all
        (``total``), with the shares in a second block of columns (``share_<type>``).
    rose : DataFrame
        One row per sector: ``lower`` and ``upper`` angles (radians from east,
        counter-clockwise) and ``count`` of end-to-end moves.
    region, year, value : str
        Column names of the input.
    standardize : str
        The weights used ("row": row-standardized W).
    """

    paths: pd.DataFrame
    path_stats: pd.DataFrame
    transitions: pd.DataFrame
    probabilities: pd.DataFrame
    moves: pd.DataFrame
    types: pd.DataFrame
    rose: pd.DataFrame
    region: str
    year: str
    value: str
    standardize: str

    @property
    def cohesion(self) -> float:
        """Share of type-0 moves (neither the region nor its neighbours change quadrant),
        Rey's (2001) measure of space-time cohesion."""
        return float(self.types.loc["total", "share_0"])

    def summary(self) -> Summary:
        """Transition counts and probabilities, Rey's types and the longest paths."""
        counts = self.types[[c for c in self.types.columns if not str(c).startswith("share")]]
        longest = self.path_stats.sort_values("length", ascending=False).head(5)
        notes = (
            f"LISA quadrants of {self.value} (W: "
            f"{'row-standardized' if self.standardize == 'row' else 'as given'}), moves between "
            "consecutive years. Types (Rey 2001): 0 no move, I the region moves, II its "
            "neighbours move, IIIA both in the same direction, IIIB in opposite directions. "
            f"Space-time cohesion (share of type 0): {self.cohesion:.3f}.",
        )
        parts = (
            ("Quadrant transitions (counts)", self.transitions),
            ("Transition probabilities", self.probabilities),
            ("Rey's types by interval", counts),
            ("Longest LISA time paths",
             longest[["length", "displacement", "tortuosity", "relative_length"]]),
        )  # fmt: skip
        return Summary(f"LISA time paths and transitions of {self.value}", parts, notes)


def lisa_paths(
    table: pd.DataFrame,
    value: Hashable,
    w: SpatialWeights,
    region: Hashable,
    year: Hashable,
    *,
    years: Sequence[Any] | None = None,
    standardize: Standardize = "row",
    sectors: int = 8,
) -> LisaPathResults:
    """LISA time paths, quadrant transitions and Rey's (2001) space-time transition types.

    Parameters
    ----------
    table : DataFrame
        Long balanced panel, one row per region and year (at least 2 years; never
        modified).
    value : str
        The variable.
    w : SpatialWeights
        Weights whose ids are the region labels of ``table`` (matched by id).
    region, year : str
        Columns of the region labels and of the year.
    years : sequence, optional
        Only these years (at least 2).
    standardize : {"row", "none"}
        Row-standardize W (as giddy's examples) or use it as given.
    sectors : int, default 8
        Sectors of the rose diagram (giddy's ``k``).

    Returns
    -------
    LisaPathResults

    Raises
    ------
    PanelStructureError
        Fewer than 2 years, a constant year, missing or repeated region-years.
    WeightsAlignmentError
        Regions of the table and ids of W differ.

    Notes
    -----
    In year t, ``z_ti = (y_ti - mean_t) / sd_t`` (population sd) and ``lag_ti = sum_j
    w_ij z_tj``; the quadrant is HH (z > 0, lag > 0), LH (z <= 0 < lag), LL (both
    <= 0), HL (lag <= 0 < z), as esda's ``Moran_Local`` (and giddy's ``LISA_Markov``,
    which uses it). Path of region i: the points p_ti = (z_ti, lag_ti), t = 1..T::

        length_i       = sum_{t>1} ||p_ti - p_t-1,i||
        displacement_i = ||p_Ti - p_1i||,     tortuosity_i = length_i / displacement_i
        relative_length_i = length_i / mean_j length_j
        theta_i = atan2(lag_Ti - lag_1i, z_Ti - z_1i)

    (Rey, Murray and Anselin 2011; giddy ``Rose``: ``r`` = displacement, ``theta``;
    sectors of width 2 pi / k counter-clockwise from east). A transition count
    ``n_ab`` is the number of (region, t) with quadrant a in year t and b in t + 1, and
    ``p_ab = n_ab / sum_b n_ab`` (giddy ``LISA_Markov.transitions`` and ``.p``).
    Types (Rey 2001; the IIIA/IIIB split of Rey and Janikas 2006 by the direction of
    the two moves): 0 for a == b; I for HH<->LH and LL<->HL; II for HH<->HL and
    LH<->LL; IIIA for HH<->LL; IIIB for LH<->HL.

    References
    ----------
    Rey, S. J. (2001). Spatial empirics for economic growth and convergence.
    *Geographical Analysis* 33(3): 195-214.

    Rey, S. J. and Janikas, M. V. (2006). STARS: Space-time analysis of regional
    systems. *Geographical Analysis* 38(1): 67-86.

    Rey, S. J., Murray, A. T. and Anselin, L. (2011). Visualizing regional income
    distribution dynamics. *Letters in Spatial and Resource Sciences* 4(1): 81-90.

    Examples
    --------
    >>> from spatial.weights import SpatialWeights
    >>> from scipy import sparse
    >>> ring = sparse.csr_matrix(np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    >>> w = SpatialWeights.from_sparse(ring, ids=list("abcdef"))
    >>> panel = pd.DataFrame({"r": list("abcdef") * 2, "t": [1] * 6 + [2] * 6,
    ...                       "y": [1, 2, 3, 6, 5, 4, 6, 5, 4, 1, 2, 3.0]})
    >>> res = lisa_paths(panel, "y", w, "r", "t")
    >>> res.moves["type"].tolist()
    ['IIIA', 'IIIA', 'IIIB', 'IIIA', 'IIIA', 'IIIB']
    """
    check_option("standardize", standardize, ("row", "none"))
    if isinstance(sectors, bool) or not isinstance(sectors, (int, np.integer)) or sectors < 1:
        raise InvalidOptionError(f"sectors must be an integer >= 1, got {sectors!r}.")
    labels, values, regions = _year_values(table, value, w, region, year, years)
    t_count, n = values.shape
    if t_count < 2:
        raise PanelStructureError(
            f"LISA paths and transitions need at least 2 years; the panel has {t_count} "
            f"({labels[0]!r})."
        )
    matrix = (w.standardize("row") if standardize == "row" else w).matrix
    stats = local_moran_arrays(values, matrix, permutations=0, rng=np.random.default_rng(0))
    z, lag, quad = stats.z, stats.lag, stats.quadrant
    names = np.asarray(QUADRANTS, dtype=object)
    region_col = np.tile(np.asarray(regions, dtype=object), t_count)
    paths = pd.DataFrame(
        {
            region: region_col,
            year: np.repeat(np.asarray(labels, dtype=object), n),
            value: values.ravel(),
            "z": z.ravel(),
            "lag": lag.ravel(),
            "quadrant": pd.Categorical(names[quad.ravel() - 1], categories=list(QUADRANTS)),
        }
    )
    paths[year] = paths[year].astype(pd.Index(labels).dtype)

    steps = np.hypot(np.diff(z, axis=0), np.diff(lag, axis=0))
    length = steps.sum(axis=0)
    dz, dlag = z[-1] - z[0], lag[-1] - lag[0]
    displacement = np.hypot(dz, dlag)
    theta = np.arctan2(dlag, dz)
    width = 2.0 * np.pi / sectors
    cuts = np.arange(0.0, 2.0 * np.pi + width, width)
    counts, _ = np.histogram(np.where(theta < 0, theta + 2.0 * np.pi, theta), cuts)
    sector = np.minimum(np.floor(np.mod(theta, 2.0 * np.pi) / width).astype(np.int64),
                        sectors - 1) + 1  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        tortuosity = np.where(displacement > 0, length / displacement, np.nan)
    path_stats = pd.DataFrame(
        {"length": length, "displacement": displacement, "tortuosity": tortuosity,
         "relative_length": length / length.mean() if length.mean() > 0 else np.nan,
         "dz": dz, "dlag": dlag, "theta": theta, "sector": sector},
        index=pd.Index(regions, name=region),
    )  # fmt: skip
    rose = pd.DataFrame(
        {"lower": cuts[:-1], "upper": cuts[1:], "count": counts.astype(np.int64)},
        index=pd.RangeIndex(1, sectors + 1, name="sector"),
    )

    origin, destination = quad[:-1], quad[1:]
    flat = (origin - 1) * 4 + (destination - 1)
    transitions = np.bincount(flat.ravel(), minlength=16).reshape(4, 4).astype(np.int64)
    row_sums = transitions.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        probs = np.where(row_sums > 0, transitions / row_sums, np.nan)
    frame = {"index": pd.Index(QUADRANTS, name="from"),
             "columns": pd.Index(QUADRANTS, name="to")}  # fmt: skip
    types = rey_types(origin, destination)
    type_names = np.asarray(REY_TYPES, dtype=object)
    moves = pd.DataFrame(
        {
            region: np.tile(np.asarray(regions, dtype=object), t_count - 1),
            "from_year": np.repeat(np.asarray(labels[:-1], dtype=object), n),
            "to_year": np.repeat(np.asarray(labels[1:], dtype=object), n),
            "from": pd.Categorical(names[origin.ravel() - 1], categories=list(QUADRANTS)),
            "to": pd.Categorical(names[destination.ravel() - 1], categories=list(QUADRANTS)),
            "type": pd.Categorical(type_names[types.ravel()], categories=list(REY_TYPES)),
        }
    )
    for col in ("from_year", "to_year"):
        moves[col] = moves[col].astype(pd.Index(labels).dtype)
    per_interval = np.stack([np.bincount(row, minlength=5) for row in types])
    type_counts = np.vstack([per_interval, per_interval.sum(axis=0)]).astype(np.int64)
    intervals = [f"{a}-{b}" for a, b in itertools.pairwise(labels)] + ["total"]
    shares = type_counts / type_counts.sum(axis=1, keepdims=True)
    type_table = pd.DataFrame(
        np.hstack([type_counts, shares]),
        index=pd.Index(intervals, name="interval"),
        columns=[*REY_TYPES, *(f"share_{t}" for t in REY_TYPES)],
    )
    type_table[list(REY_TYPES)] = type_table[list(REY_TYPES)].astype(np.int64)
    return LisaPathResults(
        paths=paths,
        path_stats=path_stats,
        transitions=pd.DataFrame(transitions, **frame),
        probabilities=pd.DataFrame(probs, **frame),
        moves=moves,
        types=type_table,
        rose=rose,
        region=str(region),
        year=str(year),
        value=str(value),
        standardize=standardize,
    )
