"""Regional inequality of a score: Dagum's Gini decomposition and Theil's T and L.

Dagum (1997) splits the Gini coefficient of ``n`` regions in ``k`` groups into
a within-group part ``G_w``, a net between-group part ``G_nb`` and the
transvariation (hypervariable density) part ``G_t``:

.. math::

    G = \\frac{\\sum_j \\sum_h \\sum_i \\sum_r |y_{ji} - y_{hr}|}{2 n^2 \\bar y}
      = G_w + G_{nb} + G_t .

:func:`dagum_decomposition` is the numerical kernel: it takes stacked arrays
``(..., n)`` (years, bootstrap draws) and group codes, and loops only over the
pairs of groups. :func:`dagum_gini` takes a tidy (region, year) table and adds
region-bootstrap percentile intervals.

Theil's T (GE(1)) and L (GE(0), mean log deviation) decompose additively into
between- and within-group parts (Shorrocks 1980), and with a finer level inside the
groups into a two-stage nested decomposition (Akita 2003). :func:`theil_decomposition`
is the kernel, with population weights (income and wage inequality weight regions by
their population or employment); PySAL's *inequality* (``TheilD``, unweighted T only)
is the reference of the tests. The Gini decomposition takes the same weights.

References
----------
Dagum, C. (1997). A new approach to the decomposition of the Gini income
inequality ratio. *Empirical Economics* 22(4): 515-531.

Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.

Shorrocks, A. F. (1980). The class of additively decomposable inequality
measures. *Econometrica* 48(3): 613-625.

National Bureau of Statistics of China (2011). 东西中部和东北地区划分方法
(division into the eastern, central, western and northeastern regions).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from spatial._core.options import Language, check_option
from spatial._core.results import FrozenTables
from spatial._core.summary import Summary
from spatial._core.version import __version__
from spatial.viz.figure import new_axes, save_figure, style, years_on_axis

from ..bootstrap import percentile_interval
from ..data import Balance
from ..exceptions import DegenerateIndexError, InvalidOptionError, SpecificationError
from ..results import CouplingResults
from ._inputs import ValuePanel, check_nonnegative, check_positive_mean, region_groups, value_panel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Words of the figures in English and Chinese.
_PLOT_WORDS: dict[str, dict[str, str]] = {
    "en": {"G": "G (overall)", "G_w": "G_w (within)", "G_nb": "G_nb (between, net)",
           "G_t": "G_t (transvariation)", "interval": "G interval", "year": "year",
           "gini": "Gini", "w": "within", "nb": "between (net)", "t": "transvariation",
           "share": "share of G (%)", "total": "total", "between": "between",
           "within": "within", "theil": "Theil"},
    "zh": {"G": "G（总体）", "G_w": "G_w（区域内）", "G_nb": "G_nb（区域间净值）",
           "G_t": "G_t（超变密度）", "interval": "G 的置信区间", "year": "年份",
           "gini": "基尼系数", "w": "区域内", "nb": "区域间净值", "t": "超变密度",
           "share": "贡献率（%）", "total": "总体", "between": "组间", "within": "组内",
           "theil": "泰尔指数"},
}  # fmt: skip

__all__ = [
    "DagumArrays",
    "DagumResults",
    "TheilArrays",
    "TheilResults",
    "dagum_decomposition",
    "dagum_gini",
    "theil",
    "theil_decomposition",
]

#: Largest number of pairwise differences held in memory at once by the Dagum
#: kernel (32 MB of float64); only panels far larger than 31 regions x 20 years x
#: 1,000 draws are split into chunks.
PAIR_CHUNK = 1 << 22

TheilIndex = Literal["T", "L"]


# --------------------------------------------------------------------- kernel
class DagumArrays(NamedTuple):
    """Every quantity of Dagum's decomposition, over the leading axes of the input.

    ``k`` is the number of groups. ``G_jh[..., j, h]`` is symmetric with
    ``G_jh[..., j, j] = G_jj[..., j]``; ``D_jh`` is symmetric with a zero
    diagonal.
    """

    G: np.ndarray
    G_w: np.ndarray
    G_nb: np.ndarray
    G_t: np.ndarray
    G_jj: np.ndarray
    G_jh: np.ndarray
    D_jh: np.ndarray
    mean: np.ndarray
    p: np.ndarray
    s: np.ndarray


def _pair_abs_sums(
    flat: np.ndarray, members: list[np.ndarray], weight: np.ndarray | None = None
) -> np.ndarray:
    """``A[l, j, h] = sum_i sum_r w_ji w_hr |y_{l, ji} - y_{l, hr}|`` for every pair of
    groups (``w = 1`` without ``weight``)."""
    rows, k = flat.shape[0], len(members)
    sums = np.empty((rows, k, k))
    for j in range(k):
        a = flat[:, members[j]]
        for h in range(j + 1):
            b = flat[:, members[h]]
            step = max(1, PAIR_CHUNK // (a.shape[1] * b.shape[1]))
            out = np.empty(rows)
            for start in range(0, rows, step):  # one pass unless the panel is huge
                stop = start + step
                diff = a[start:stop, :, None] - b[start:stop, None, :]
                np.abs(diff, out=diff)
                if weight is not None:
                    wa = weight[start:stop, members[j]]
                    wb = weight[start:stop, members[h]]
                    diff *= wa[:, :, None] * wb[:, None, :]
                out[start:stop] = diff.sum(axis=(1, 2))
            sums[:, j, h] = out
            sums[:, h, j] = out
    return sums


def dagum_decomposition(
    y: ArrayLike,
    codes: ArrayLike,
    n_groups: int | None = None,
    *,
    weight: ArrayLike | None = None,
) -> DagumArrays:
    """Dagum's Gini decomposition of stacked samples ``y[..., n]`` into ``k`` groups.

    Parameters
    ----------
    y : array_like, shape (..., n)
        Non-negative values; leading axes (bootstrap draws, years) are batches.
    codes : array_like of int, shape (n,)
        Group of each of the ``n`` units, ``0 .. k-1``, the same in every batch.
    n_groups : int, optional
        ``k``; by default ``max(codes) + 1``. Every group must have a member.
    weight : array_like, shape (..., n), optional
        Positive weights of the units (their population or employment), broadcast
        against ``y``: each unit counts as that many people of value ``y`` (below).

    Returns
    -------
    DagumArrays
        ``G``, ``G_w``, ``G_nb``, ``G_t`` with the leading shape of ``y``;
        ``G_jj``, ``mean``, ``s`` with a trailing axis ``k``; ``G_jh``, ``D_jh``
        with trailing axes ``(k, k)``; ``p`` of shape ``(k,)`` (with ``weight``,
        the leading shape and ``k``).

    Notes
    -----
    With :math:`n_j` units of mean :math:`\\bar y_j` in group :math:`j`,
    :math:`p_j = n_j / n` and :math:`s_j = n_j \\bar y_j / (n \\bar y)`:

    .. math::

        G_{jj} &= \\frac{\\sum_i \\sum_r |y_{ji} - y_{jr}|}{2 n_j^2 \\bar y_j}, \\qquad
        G_{jh} = \\frac{\\sum_i \\sum_r |y_{ji} - y_{hr}|}{n_j n_h (\\bar y_j + \\bar y_h)},\\\\
        D_{jh} &= \\frac{d_{jh} - p_{jh}}{d_{jh} + p_{jh}}, \\qquad
        G_w = \\sum_j G_{jj} p_j s_j, \\\\
        G_{nb} &= \\sum_{j=2}^k \\sum_{h=1}^{j-1} G_{jh} (p_j s_h + p_h s_j) D_{jh}, \\qquad
        G_t = \\sum_{j=2}^k \\sum_{h=1}^{j-1} G_{jh} (p_j s_h + p_h s_j)(1 - D_{jh}),

    where, for the pair ordered so that :math:`\\bar y_j \\ge \\bar y_h`,
    :math:`d_{jh}` and :math:`p_{jh}` are the means over all pairs of
    :math:`\\max(y_{ji} - y_{hr}, 0)` and :math:`\\max(y_{hr} - y_{ji}, 0)`.
    Since :math:`d_{jh} - p_{jh} = \\bar y_j - \\bar y_h` and
    :math:`d_{jh} + p_{jh}` is the mean absolute difference, the kernel uses
    :math:`D_{jh} = |\\bar y_j - \\bar y_h| \\, n_j n_h / \\sum_i \\sum_r |y_{ji} - y_{hr}|`,
    which needs no ordering and is symmetric. The absolute differences are
    array operations over all batches at once; the only Python loop runs over
    the :math:`k(k+1)/2` pairs of groups.

    Conventions: where no pair of a block differs (a single-unit group,
    identical values) ``G_jj``, ``G_jh`` and ``D_jh`` are 0; a batch whose
    overall mean is 0 gives NaN (the Gini ratio is undefined).

    With weights :math:`\\omega_i` every sum over units counts unit :math:`i`
    :math:`\\omega_i` times: :math:`n_j` becomes :math:`W_j = \\sum_{i \\in j} \\omega_i`,
    :math:`\\bar y_j` the weighted mean, and
    :math:`\\sum_i \\sum_r |y_{ji} - y_{hr}|` becomes
    :math:`\\sum_i \\sum_r \\omega_{ji} \\omega_{hr} |y_{ji} - y_{hr}|`; the overall
    :math:`G = \\sum_i \\sum_r \\omega_i \\omega_r |y_i - y_r| / (2 W^2 \\bar y)` is the
    population-weighted Gini coefficient, and the decomposition still adds up (it is
    Dagum's on a population where unit :math:`i` appears :math:`\\omega_i` times; with
    integer weights, exactly that).

    References
    ----------
    Dagum, C. (1997). *Empirical Economics* 22(4): 515-531, eqs. (2)-(12).

    Examples
    --------
    >>> res = dagum_decomposition([1.0, 3.0, 2.0, 6.0], [0, 0, 1, 1])
    >>> [round(float(v), 6) for v in (res.G, res.G_w, res.G_nb, res.G_t)]
    [0.333333, 0.125, 0.166667, 0.041667]
    """
    arr = np.asarray(y, dtype=np.float64)
    group = np.asarray(codes)
    if arr.ndim < 1 or group.shape != arr.shape[-1:]:
        raise SpecificationError(
            f"codes must give one group per unit: y has shape {arr.shape}, codes {group.shape}."
        )
    if group.size and (group.dtype.kind not in "iu" or group.min() < 0):
        raise SpecificationError("codes must be non-negative integers 0 .. k-1.")
    k = int(group.max()) + 1 if n_groups is None else int(n_groups)
    sizes = np.bincount(group, minlength=k)
    if sizes.size != k or (sizes == 0).any():
        empty = np.flatnonzero(sizes[:k] == 0).tolist()
        raise SpecificationError(f"Every group 0 .. {k - 1} needs a member; empty: {empty}.")
    lead, n = arr.shape[:-1], arr.shape[-1]
    flat = arr.reshape(-1, n)
    members = [np.flatnonzero(group == j) for j in range(k)]
    omega = None
    if weight is not None:
        omega = np.broadcast_to(np.asarray(weight, dtype=np.float64), arr.shape).reshape(-1, n)
        if not (np.isfinite(omega).all() and (omega > 0).all()):
            raise SpecificationError("weight must be positive and finite for every unit.")
    sums = _pair_abs_sums(flat, members, omega)  # (L, k, k)
    weighted = flat if omega is None else flat * omega
    group_sums = np.stack([weighted[:, m].sum(axis=1) for m in members], axis=-1)  # (L, k)
    total = group_sums.sum(axis=-1)
    if omega is None:
        n_j = np.broadcast_to(sizes.astype(np.float64), group_sums.shape)
    else:
        n_j = np.stack([omega[:, m].sum(axis=1) for m in members], axis=-1)  # W_j, (L, k)
    size = n_j.sum(axis=-1)  # n, or the total weight W
    mean = group_sums / n_j
    p = n_j / size[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = group_sums / total[:, None]
        gini = sums.sum(axis=(1, 2)) / (2.0 * size * size * (total / size))
        pair_n = n_j[:, :, None] * n_j[:, None, :]
        pair_mean = mean[:, :, None] + mean[:, None, :]
        differs = sums > 0
        g_jh = np.where(differs, sums / (pair_n * pair_mean), 0.0)
        d_jh = np.where(differs, np.abs(mean[:, :, None] - mean[:, None, :]) * pair_n / sums, 0.0)
    diagonal = np.arange(k)
    g_jj = g_jh[:, diagonal, diagonal]
    pair_weight = p[:, :, None] * s[:, None, :] + p[:, None, :] * s[:, :, None]
    lower = np.tril(np.ones((k, k), dtype=bool), -1)  # pairs j > h
    between = np.where(lower, g_jh * pair_weight, 0.0)
    g_w = (g_jj * p * s).sum(axis=-1)
    g_nb = (between * d_jh).sum(axis=(1, 2))
    g_t = (between * (1.0 - d_jh)).sum(axis=(1, 2))
    return DagumArrays(
        G=gini.reshape(lead),
        G_w=g_w.reshape(lead),
        G_nb=g_nb.reshape(lead),
        G_t=g_t.reshape(lead),
        G_jj=g_jj.reshape(*lead, k),
        G_jh=g_jh.reshape(*lead, k, k),
        D_jh=d_jh.reshape(*lead, k, k),
        mean=mean.reshape(*lead, k),
        p=p[0] if omega is None else p.reshape(*lead, k),
        s=s.reshape(*lead, k),
    )


def resample_within_groups(codes: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap indices ``(n_draws, n)``: each position draws a unit of its own group."""
    index = np.empty((n_draws, codes.size), dtype=np.intp)
    for j in range(int(codes.max()) + 1):
        members = np.flatnonzero(codes == j)
        index[:, members] = members[rng.integers(0, members.size, size=(n_draws, members.size))]
    return index


# -------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class DagumResults(FrozenTables):
    """Dagum Gini decomposition per year; returned by :func:`dagum_gini`.

    Attributes
    ----------
    components : DataFrame
        Indexed by year: ``G`` (overall Gini), ``G_w``, ``G_nb``, ``G_t`` and
        their shares of ``G`` (``share_w``, ``share_nb``, ``share_t``, fractions
        summing to 1; NaN where ``G = 0``).
    within : DataFrame
        One row per year and group: ``n``, ``mean``, ``G_jj``, ``p``
        (``n_j / n``), ``s`` (share of the total), ``contribution``
        (``G_jj p_j s_j``).
    between : DataFrame
        One row per year and pair of groups (``group_j`` after ``group_h`` in
        the group order): ``G_jh``, ``D_jh`` (relative economic affluence,
        in [0, 1]), ``contribution_nb`` and ``contribution_t``.
    intervals : DataFrame or None
        With ``bootstrap > 0``: one row per year and component (``G``,
        ``G_w``, ``G_nb``, ``G_t``): ``estimate``, ``std_error`` (over draws),
        ``lower``, ``upper`` (equal-tailed percentile interval).
    groups : Series
        Group of each region.
    n_draws, seed, level
        Bootstrap settings (``n_draws = 0`` without bootstrap).
    options : mapping
        Value column, groups, singleton option, panel size, version.
    """

    components: pd.DataFrame
    within: pd.DataFrame
    between: pd.DataFrame
    intervals: pd.DataFrame | None
    groups: pd.Series
    n_draws: int
    seed: int | None
    level: float
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Components by year, within- and between-group Gini by year, intervals."""
        within = self.within.pivot(index=self.components.index.name, columns="group", values="G_jj")
        pairs = self.between.assign(
            pair=self.between["group_j"].astype(str) + " - " + self.between["group_h"].astype(str)
        )
        between = pairs.pivot(index=self.components.index.name, columns="pair", values="G_jh")
        tables: list[tuple[str, pd.DataFrame]] = [
            ("Gini coefficient and its components", self.components),
            ("Within-group Gini G_jj", within),
            ("Between-group Gini G_jh", between),
        ]
        if self.intervals is not None:
            tables.append((
                f"Bootstrap ({self.n_draws} draws within groups, seed {self.seed}, "
                f"{self.level:.0%} percentile intervals)",
                self.intervals,
            ))  # fmt: skip
        sizes = self.groups.value_counts().sort_index()
        notes = (
            f"{len(self.groups)} regions in {len(sizes)} groups ("
            + ", ".join(f"{g}: {c}" for g, c in sizes.items())
            + f"); value {self.options['value']!r}. Dagum (1997): G = G_w + G_nb + G_t.",
        )
        return Summary("Dagum Gini decomposition", tuple(tables), notes)

    def plot(self, path: str | PathLike[str] | None = None, *, language: Language = "en") -> Figure:
        """Gini and its three components over time, and their shares (in per cent).

        With a bootstrap the percentile band of ``G`` is shaded. Labels in English
        or Chinese (``language="zh"``, with a CJK font). Saved to ``path`` when
        given; the figure is returned either way.
        """
        words = _PLOT_WORDS[language] if language in _PLOT_WORDS else _PLOT_WORDS["en"]
        with style(language):
            fig, (left, right) = new_axes((10.0, 4.2), ncols=2)
            comp = self.components
            x = years_on_axis(left, comp.index)
            for col in ("G", "G_w", "G_nb", "G_t"):
                left.plot(x, comp[col].to_numpy(), marker="o", ms=3, label=words[col])
            if self.intervals is not None:
                band = self.intervals[self.intervals["component"] == "G"]
                left.fill_between(x, band["lower"], band["upper"], alpha=0.2,
                                  label=words["interval"])  # fmt: skip
            left.set_xlabel(words["year"])
            left.set_ylabel(words["gini"])
            left.legend(fontsize="small", frameon=False)
            years_on_axis(right, comp.index)
            shares = [100.0 * comp[c].to_numpy() for c in ("share_w", "share_nb", "share_t")]
            right.stackplot(x, *shares, labels=[words["w"], words["nb"], words["t"]])
            right.set_ylim(0, 100)
            right.set_xlabel(words["year"])
            right.set_ylabel(words["share"])
            right.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15),
                         ncols=3, frameon=False)  # fmt: skip
            return save_figure(fig, path)


@dataclass(frozen=True, repr=False)
class TheilResults(FrozenTables):
    """Theil T and L with their between/within decomposition; from :func:`theil`.

    Attributes
    ----------
    components : DataFrame
        Indexed by year: for each index asked for (``T``, ``L``) the total,
        ``<I>_between``, ``<I>_within`` and ``<I>_between_share`` (fraction of
        the total; NaN where the total is 0).
    groups : DataFrame
        One row per year and group: ``n``, ``mean``, ``p`` (``n_j / n``),
        ``s`` (share of the total value), and per index the group's own index
        (``T_j``, ``L_j``), its contribution to the within part
        (``T_contribution = s_j T_j``, ``L_contribution = p_j L_j``) and that
        contribution's share of the total (``T_share``, ``L_share``).
    options : mapping
        Value column, indices, groups, panel size, version.
    """

    components: pd.DataFrame
    groups: pd.DataFrame
    options: Mapping[str, Any]

    def summary(self) -> Summary:
        """Components by year and group contributions by year."""
        year = self.components.index.name
        tables: list[tuple[str, pd.DataFrame]] = [("Theil indices", self.components)]
        for index in self.options["indices"]:
            wide = self.groups.pivot(index=year, columns="group", values=f"{index}_contribution")
            tables.append((f"Within-group contributions to Theil {index}", wide))
        notes = (
            "T = sum s_j ln(s_j/p_j) + sum s_j T_j; L = sum p_j ln(p_j/s_j) + sum p_j L_j "
            "(Theil 1967; Shorrocks 1980).",
        )
        return Summary("Theil decomposition", tuple(tables), notes)

    def plot(self, path: str | PathLike[str] | None = None, *, language: Language = "en") -> Figure:
        """Total, between and within parts over time, one panel per index."""
        words = _PLOT_WORDS[language] if language in _PLOT_WORDS else _PLOT_WORDS["en"]
        indices = list(self.options["indices"])
        with style(language):
            fig, axes = new_axes((5.0 * len(indices), 4.0), ncols=len(indices))
            comp = self.components
            for ax, index in zip(axes, indices):
                x = years_on_axis(ax, comp.index)
                for suffix, key in (("", "total"), ("_between", "between"), ("_within", "within")):
                    ax.plot(x, comp[f"{index}{suffix}"].to_numpy(), marker="o", ms=3,
                            label=words[key])  # fmt: skip
                ax.set_title(f"{words['theil']} {index}")
                ax.set_xlabel(words["year"])
                ax.legend(fontsize="small", frameon=False)
            return save_figure(fig, path)


# ------------------------------------------------------------------ functions
def _years_frame(panel: ValuePanel, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame(columns, index=pd.Index(panel.years, name=panel.year_name))


def _weight_values(
    table: pd.DataFrame | CouplingResults,
    weight: Hashable | None,
    panel: ValuePanel,
    region: Hashable | None,
    year: Hashable | None,
    balance: Balance,
) -> np.ndarray | None:
    """The ``weight`` column as ``(T, N)`` in the order of ``panel`` (None without one).

    Raises
    ------
    SpecificationError
        Weights of another set of regions or years than the values, or not positive.
    """
    if weight is None:
        return None
    found = value_panel(table, str(weight), region, year, balance=balance)
    if not (found.regions.equals(panel.regions) and found.years.equals(panel.years)):
        raise SpecificationError(
            f"The weight column {weight!r} covers other regions or years than the values; "
            "give both for the same region-years."
        )
    omega = found.values
    if not (omega > 0).all():
        bad = found.where(~(omega > 0))
        raise SpecificationError(
            f"Weights must be positive: {weight!r} is zero or negative at {', '.join(bad[:5])}."
        )
    return omega


def dagum_gini(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    group: Hashable | None = None,
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    groups: Mapping[Any, Hashable] | None = None,
    bootstrap: int = 0,
    seed: int | None = None,
    level: float = 0.95,
    allow_singleton_groups: bool = False,
    balance: Balance = "error",
    weight: Hashable | None = None,
) -> DagumResults:
    """Dagum Gini coefficient per year with its within/between/transvariation parts.

    Parameters
    ----------
    table : DataFrame or CouplingResults
        Long (region, year) table, e.g. ``CouplingResults.scores`` or any
        table with a value column; region and year as columns or index levels.
    value : str, default "D"
        Column to analyse (non-negative).
    group : hashable, optional
        Column (or index level) holding each region's group, constant over years.
    region, year : hashable, optional
        Key names; omit both for a (region, year) MultiIndex.
    groups : mapping, optional
        ``{region: group}`` instead of ``group`` (e.g. :data:`coupling.datasets.NBS_REGION_OF`);
        entries for other regions are ignored. With neither, all regions form
        one group (``G = G_w``).
    bootstrap : int, default 0
        Number of bootstrap draws. Regions are resampled with replacement
        within each group (group sizes kept), each with its whole time series.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng` for the draws.
    level : float, default 0.95
        Level of the percentile intervals.
    allow_singleton_groups : bool, default False
        A group with one region raises unless True; its ``G_jj`` is then 0.
    balance : {"error", "drop"}
        Unbalanced panel: raise, or drop incomplete regions with a warning.
    weight : hashable, optional
        Column of the regions' population (or employment) in each year: the
        population-weighted Gini and its decomposition (each region counts as its
        population; see :func:`dagum_decomposition`). Bootstrap draws carry each drawn
        region's weights. By default every region counts once.

    Returns
    -------
    DagumResults

    Raises
    ------
    SpecificationError
        Groups given twice or not at all where needed; a region in no group;
        a singleton group (see ``allow_singleton_groups``).
    NegativeValueError
        Negative values (the listing names the region-years).
    DegenerateIndexError
        A year in which every value is 0 (mean zero).
    MissingValueError, UnbalancedPanelError, DuplicateObservationError
        From the panel checks.

    Notes
    -----
    See :func:`dagum_decomposition` for the formulas. All values equal in a
    year give ``G = G_w = G_nb = G_t = 0`` and NaN shares (documented result,
    not an error). The overall ``G`` is the ordinary Gini coefficient
    :math:`\\sum_i \\sum_r |y_i - y_r| / (2 n^2 \\bar y)`.

    The bootstrap resamples regions within their groups (group sizes, hence
    the ``p_j``, stay fixed) and runs the kernel on all draws and years at
    once. Its percentile intervals are not bias-corrected: with a handful of
    regions per group, resamples repeat regions, which lowers the resampled
    Gini, so the interval of ``G`` tends to sit below the estimate.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income
    inequality ratio. *Empirical Economics* 22(4): 515-531.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("abcd"), "year": 2020, "D": [1.0, 3.0, 2.0, 6.0],
    ...                    "zone": ["x", "x", "y", "y"]})
    >>> res = dagum_gini(df, "D", group="zone", region="region", year="year")
    >>> res.components[["G", "G_w", "G_nb", "G_t"]].round(4).iloc[0].tolist()
    [0.3333, 0.125, 0.1667, 0.0417]
    """
    if not 0 < level < 1:
        raise InvalidOptionError(f"level must lie in (0, 1), got {level!r}.")
    n_draws = int(bootstrap)
    if n_draws < 0 or n_draws != bootstrap:
        raise InvalidOptionError(f"bootstrap must be a whole number >= 0, got {bootstrap!r}.")
    panel = value_panel(table, value, region, year, balance=balance)
    codes, labels = region_groups(
        table, panel, group, groups, region, year,
        allow_singleton_groups=allow_singleton_groups, required=False,
    )  # fmt: skip
    check_nonnegative(panel, "The Gini coefficient")
    check_positive_mean(panel, "The Gini coefficient")
    y = panel.values  # (T, N)
    omega = _weight_values(table, weight, panel, region, year, balance)
    res = dagum_decomposition(y, codes, len(labels), weight=omega)
    t, k = y.shape[0], len(labels)
    p_year = np.broadcast_to(res.p, (t, k))
    year_name = panel.year_name
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {
            f"share_{c}": np.where(res.G > 0, getattr(res, f"G_{c}") / res.G, np.nan)
            for c in ("w", "nb", "t")
        }
    components = _years_frame(
        panel, {"G": res.G, "G_w": res.G_w, "G_nb": res.G_nb, "G_t": res.G_t, **shares}
    )
    sizes = np.bincount(codes, minlength=k)
    within = pd.DataFrame({
        year_name: np.repeat(panel.years.to_numpy(), k),
        "group": np.tile(labels.to_numpy(), t),
        "n": np.tile(sizes, t),
        "mean": res.mean.ravel(),
        "G_jj": res.G_jj.ravel(),
        "p": p_year.ravel(),
        "s": res.s.ravel(),
        "contribution": (res.G_jj * p_year * res.s).ravel(),
    })  # fmt: skip
    jj, hh = np.tril_indices(k, -1)
    pair_weight = p_year[:, jj] * res.s[:, hh] + p_year[:, hh] * res.s[:, jj]
    g_pair, d_pair = res.G_jh[:, jj, hh], res.D_jh[:, jj, hh]
    between = pd.DataFrame({
        year_name: np.repeat(panel.years.to_numpy(), jj.size),
        "group_j": np.tile(labels.to_numpy()[jj], t),
        "group_h": np.tile(labels.to_numpy()[hh], t),
        "G_jh": g_pair.ravel(),
        "D_jh": d_pair.ravel(),
        "contribution_nb": (g_pair * pair_weight * d_pair).ravel(),
        "contribution_t": (g_pair * pair_weight * (1.0 - d_pair)).ravel(),
    })  # fmt: skip
    intervals = None
    if n_draws:
        rng = np.random.default_rng(seed)
        index = resample_within_groups(codes, n_draws, rng)  # (B, N)
        drawn = None if omega is None else np.moveaxis(omega[:, index], 1, 0)
        draws = dagum_decomposition(np.moveaxis(y[:, index], 1, 0), codes, k, weight=drawn)
        parts = ("G", "G_w", "G_nb", "G_t")
        stacked = np.stack([getattr(draws, c) for c in parts], axis=-1)  # (B, T, 4)
        lower, upper = percentile_interval(stacked, level)
        point = np.stack([getattr(res, c) for c in parts], axis=-1)
        intervals = pd.DataFrame({
            year_name: np.repeat(panel.years.to_numpy(), len(parts)),
            "component": np.tile(parts, t),
            "estimate": point.ravel(),
            "std_error": stacked.std(axis=0, ddof=1).ravel() if n_draws > 1 else np.nan,
            "lower": lower.ravel(),
            "upper": upper.ravel(),
        })  # fmt: skip
    options = {
        "value": value,
        "group": group if group is not None else ("mapping" if groups is not None else None),
        "group_labels": tuple(labels),
        "allow_singleton_groups": allow_singleton_groups,
        "balance": balance,
        "weight": weight,
        "n_regions": len(panel.regions),
        "n_years": t,
        "dropped_regions": panel.dropped_regions,
        "version": __version__,
    }
    return DagumResults(
        components=components,
        within=within,
        between=between,
        intervals=intervals,
        groups=pd.Series(labels.to_numpy()[codes], index=panel.regions, name="group"),
        n_draws=n_draws,
        seed=seed,
        level=level,
        options=MappingProxyType(options),
    )


class TheilArrays(NamedTuple):
    """One Theil index decomposed, for T cross-sections: arrays of shape ``(T,)`` or
    ``(T, k)`` (per group); ``between_sub`` and ``within_sub`` only when nested."""

    total: np.ndarray
    between: np.ndarray
    within: np.ndarray
    own: np.ndarray
    contribution: np.ndarray
    mean: np.ndarray
    p: np.ndarray
    s: np.ndarray
    between_sub: np.ndarray | None
    within_sub: np.ndarray | None


def theil_decomposition(
    y: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    *,
    index: TheilIndex,
    weight: np.ndarray | None = None,
    subcodes: np.ndarray | None = None,
) -> TheilArrays:
    """Theil T or L of each row of ``y (T, n)`` split between and within ``k`` groups (and,
    with ``subcodes``, between and within subgroups nested in them); the formulas are
    those of :func:`theil`. ``weight`` (``(T, n)``, positive) weights the units.

    Examples
    --------
    Two units of values 1 and 3 with populations 3 and 1: income shares 1/2 and 1/2,
    population shares 3/4 and 1/4, so T = (1/2) ln(2/3) + (1/2) ln 2 = (1/2) ln(4/3):

    >>> out = theil_decomposition(np.array([[1.0, 3.0]]), np.array([0, 1]), 2, index="T",
    ...                           weight=np.array([[3.0, 1.0]]))
    >>> round(float(out.total[0]), 6), round(float(0.5 * np.log(4 / 3)), 6)
    (0.143841, 0.143841)
    """
    n = y.shape[1]
    omega = np.ones_like(y) if weight is None else np.asarray(weight, dtype=np.float64)
    p_i = omega / omega.sum(axis=1, keepdims=True)
    s_i = omega * y / (omega * y).sum(axis=1, keepdims=True)
    mean = (omega * y).sum(axis=1) / omega.sum(axis=1)

    def sums(values: np.ndarray, labels: np.ndarray, size: int) -> np.ndarray:
        """Per-group sums ``(T, size)`` of ``values (T, n)``."""
        one_hot = np.zeros((n, size))
        one_hot[np.arange(n), labels] = 1.0
        return values @ one_hot

    def log_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(num / den)

    def terms(shares: np.ndarray, ratio: np.ndarray) -> np.ndarray:
        """``shares * ln(ratio)``, 0 where the share is 0 (``0 ln 0 = 0``)."""
        return np.where(shares > 0, shares * np.where(shares > 0, ratio, 0.0), 0.0)

    p_j, s_j = sums(p_i, codes, n_groups), sums(s_i, codes, n_groups)
    mean_j = sums(omega * y, codes, n_groups) / sums(omega, codes, n_groups)
    member = mean_j[:, codes]  # each unit's group mean
    if index == "T":
        total = terms(s_i, log_ratio(y, mean[:, None])).sum(axis=1)
        between = terms(s_j, log_ratio(mean_j, mean[:, None])).sum(axis=1)
        unit = terms(s_i, log_ratio(y, member))
        contribution = sums(unit, codes, n_groups)  # S_j T_j
        with np.errstate(divide="ignore", invalid="ignore"):
            own = np.where(s_j > 0, contribution / s_j, 0.0)
    else:
        total = terms(p_i, log_ratio(mean[:, None], y)).sum(axis=1)
        between = terms(p_j, log_ratio(mean[:, None], mean_j)).sum(axis=1)
        unit = terms(p_i, log_ratio(member, y))
        contribution = sums(unit, codes, n_groups)  # P_j L_j
        own = contribution / p_j
    within = contribution.sum(axis=1)
    between_sub = within_sub = None
    if subcodes is not None:
        q = int(subcodes.max()) + 1
        mean_q = sums(omega * y, subcodes, q) / sums(omega, subcodes, q)
        parent = np.zeros(q, dtype=np.intp)
        parent[subcodes] = codes
        if index == "T":
            s_q = sums(s_i, subcodes, q)
            between_sub = terms(s_q, log_ratio(mean_q, mean_j[:, parent])).sum(axis=1)
            within_sub = terms(s_i, log_ratio(y, mean_q[:, subcodes])).sum(axis=1)
        else:
            p_q = sums(p_i, subcodes, q)
            between_sub = terms(p_q, log_ratio(mean_j[:, parent], mean_q)).sum(axis=1)
            within_sub = terms(p_i, log_ratio(mean_q[:, subcodes], y)).sum(axis=1)
    return TheilArrays(total, between, within, own, contribution, mean_j, p_j, s_j,
                       between_sub, within_sub)  # fmt: skip


def _check_nesting(
    codes: np.ndarray, labels: pd.Index, sub_codes: np.ndarray, sub_labels: pd.Index
) -> None:
    """Every subgroup lies inside one group."""
    pairs = pd.DataFrame({"sub": sub_codes, "group": codes}).drop_duplicates()
    split = pairs["sub"][pairs["sub"].duplicated()].unique()
    if split.size:
        where = [
            f"{sub_labels[s]} in "
            + ", ".join(str(labels[g]) for g in pairs.loc[pairs["sub"] == s, "group"])
            for s in split[:5]
        ]
        raise SpecificationError(
            f"Subgroups must be nested in the groups; {len(split)} lie in more than one "
            f"group: {'; '.join(where)}."
        )


def theil(
    table: pd.DataFrame | CouplingResults,
    value: str = "D",
    group: Hashable | None = None,
    region: Hashable | None = None,
    year: Hashable | None = None,
    *,
    groups: Mapping[Any, Hashable] | None = None,
    indices: Sequence[TheilIndex] = ("T", "L"),
    allow_singleton_groups: bool = False,
    balance: Balance = "error",
    weight: Hashable | None = None,
    subgroup: Hashable | None = None,
    subgroups: Mapping[Any, Hashable] | None = None,
) -> TheilResults:
    """Theil T and L indices per year with their between/within decomposition.

    Parameters
    ----------
    table, value, group, region, year, groups, allow_singleton_groups, balance
        As in :func:`dagum_gini` (without groups there is one group and the
        between part is 0).
    indices : sequence of {"T", "L"}, default ("T", "L")
        Indices to compute. L (mean log deviation) needs strictly positive
        values; T allows zeros (:math:`0 \\ln 0 = 0`).
    weight : hashable, optional
        Column of the regions' population (or employment) in each year: the
        population-weighted indices of income or wage inequality, with income shares
        ``s_i`` and population shares ``p_i`` (below). By default every region counts
        once (``p_i = 1/n``).
    subgroup, subgroups : optional
        A second, finer level inside the groups (a column, or ``{region: subgroup}``),
        for the two-stage nested decomposition: regions > provinces > units. Every
        subgroup must lie in one group. Adds ``<I>_between_sub`` (between the
        subgroups of each group) and ``<I>_within_sub`` (within the subgroups), which
        add up to ``<I>_within``.

    Returns
    -------
    TheilResults

    Raises
    ------
    NegativeValueError
        Negative values.
    DegenerateIndexError
        A year with mean 0, or a zero value when L is asked for.
    SpecificationError, InvalidOptionError
        Grouping problems (see :func:`dagum_gini`), a subgroup in two groups, weights
        that are not positive; unknown indices.

    Notes
    -----
    With weights :math:`\\omega_i` (1 without ``weight``), income shares
    :math:`s_i = \\omega_i y_i / \\sum_k \\omega_k y_k`, population shares
    :math:`p_i = \\omega_i / \\sum_k \\omega_k` and their group sums :math:`S_j`, :math:`P_j`:

    .. math::

        T &= \\sum_i s_i \\ln\\frac{s_i}{p_i}
           = \\sum_j S_j \\ln\\frac{S_j}{P_j} + \\sum_j S_j T_j, \\\\
        L &= \\sum_i p_i \\ln\\frac{p_i}{s_i}
           = \\sum_j P_j \\ln\\frac{P_j}{S_j} + \\sum_j P_j L_j,

    where :math:`T_j`, :math:`L_j` are the indices within group :math:`j` (its shares
    renormalized to sum to one). Unweighted, :math:`T = \\frac1n \\sum_i \\frac{y_i}
    {\\bar y} \\ln\\frac{y_i}{\\bar y}` and :math:`L = \\frac1n \\sum_i \\ln\\frac{\\bar y}{y_i}`
    (Theil 1967; Shorrocks 1980). Nested, with subgroups :math:`q` inside the groups,
    the within part splits once more (Akita 2003):
    :math:`\\sum_j S_j T_j = \\sum_j S_j \\sum_{q \\in j} \\frac{S_q}{S_j}
    \\ln\\frac{S_q / S_j}{P_q / P_j} + \\sum_q S_q T_q`, and likewise for L with the
    roles of :math:`S` and :math:`P` exchanged. Both indices are 0 when all values
    are equal and invariant to rescaling the values (and the weights).

    Written here rather than through PySAL's *inequality* (``TheilD``, used as the
    reference in the tests): it has no population weights, no L and no nested
    decomposition.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.

    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3): 613-625.

    Akita, T. (2003). Decomposing regional income inequality in China and Indonesia
    using two-stage nested Theil decomposition method. *The Annals of Regional
    Science* 37(1): 55-77.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": list("abcd"), "year": 2020, "D": [1.0, 3.0, 2.0, 6.0],
    ...                    "zone": ["x", "x", "y", "y"], "pop": [3.0, 1.0, 1.0, 1.0]})
    >>> res = theil(df, "D", group="zone", region="region", year="year")
    >>> round(float(res.components["T"].iloc[0]), 6)
    0.187445
    >>> weighted = theil(df, "D", region="region", year="year", weight="pop")
    >>> round(float(weighted.components["T"].iloc[0]), 6)  # = theil of [1, 1, 1, 3, 2, 6]
    0.255037
    """
    chosen = tuple(indices)
    for index in chosen:
        check_option("indices", index, ("T", "L"))
    if not chosen or len(set(chosen)) != len(chosen):
        raise InvalidOptionError(f"indices must name 'T' and/or 'L' once each, got {indices!r}.")
    panel = value_panel(table, value, region, year, balance=balance)
    codes, labels = region_groups(
        table, panel, group, groups, region, year,
        allow_singleton_groups=allow_singleton_groups, required=False,
    )  # fmt: skip
    nested = subgroup is not None or subgroups is not None
    sub_codes = None
    if nested:
        sub_codes, sub_labels = region_groups(
            table, panel, subgroup, subgroups, region, year, allow_singleton_groups=True
        )
        _check_nesting(codes, labels, sub_codes, sub_labels)
    check_nonnegative(panel, "The Theil index")
    check_positive_mean(panel, "The Theil index")
    y = panel.values
    if "L" in chosen and (y == 0).any():
        raise DegenerateIndexError(
            f"Theil L (mean log deviation) is undefined for zero values; {panel.value_name!r} "
            f"is 0 at {', '.join(panel.where(y == 0)[:5])}. Use indices=('T',)."
        )
    omega = _weight_values(table, weight, panel, region, year, balance)
    t, n, k = y.shape[0], y.shape[1], len(labels)
    columns: dict[str, np.ndarray] = {}
    per_group: dict[Hashable, np.ndarray] = {}
    found = None
    for index in chosen:
        found = theil_decomposition(y, codes, k, index=index, weight=omega, subcodes=sub_codes)
        with np.errstate(divide="ignore", invalid="ignore"):
            columns |= {
                index: found.total,
                f"{index}_between": found.between,
                f"{index}_within": found.within,
                f"{index}_between_share": np.where(
                    found.total > 0, found.between / found.total, np.nan
                ),
            }
            if found.between_sub is not None and found.within_sub is not None:
                columns |= {
                    f"{index}_between_sub": found.between_sub,
                    f"{index}_within_sub": found.within_sub,
                }
            per_group |= {
                f"{index}_j": found.own.ravel(),
                f"{index}_contribution": found.contribution.ravel(),
                f"{index}_share": np.where(
                    found.total[:, None] > 0, found.contribution / found.total[:, None], np.nan
                ).ravel(),
            }
    assert found is not None
    components = _years_frame(panel, columns)
    group_columns: dict[Hashable, Any] = {
        panel.year_name: np.repeat(panel.years.to_numpy(), k),
        "group": np.tile(labels.to_numpy(), t),
        "n": np.tile(np.bincount(codes, minlength=k), t),
        "mean": found.mean.ravel(),
        "p": found.p.ravel(),
        "s": found.s.ravel(),
        **per_group,
    }
    group_table = pd.DataFrame(group_columns)
    options = {
        "value": value,
        "indices": chosen,
        "group": group if group is not None else ("mapping" if groups is not None else None),
        "group_labels": tuple(labels),
        "subgroup": subgroup if subgroup is not None else ("mapping" if nested else None),
        "weight": weight,
        "allow_singleton_groups": allow_singleton_groups,
        "balance": balance,
        "n_regions": n,
        "n_years": t,
        "dropped_regions": panel.dropped_regions,
        "version": __version__,
    }
    return TheilResults(
        components=components, groups=group_table, options=MappingProxyType(options)
    )
