"""Location quotients and co-agglomeration indices from employment tables.

Tables are wide, laid out like the yearbooks' "employed persons by sector and
region": one row per region (or region-year), one column per sector, counts of
employees. Sums over regions are taken within each year.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse

from spatial._core.messages import format_items, nonfinite_cells, suggest
from spatial._core.options import check_option

from ..exceptions import (
    DegenerateIndexError,
    DuplicateObservationError,
    IndicatorNotFoundError,
    InvalidOptionError,
    MissingValueError,
    NegativeValueError,
)

__all__ = ["coagglomeration_index", "location_quotient", "plant_herfindahl"]

CoagglomerationVariant = Literal["quality", "chen2016", "ellison_glaeser"]


@dataclass(frozen=True)
class _Employment:
    """Validated employment counts with their keys and year grouping."""

    counts: np.ndarray  # (rows, n_columns), non-negative
    index: pd.Index  # (region[, year]) labels of the rows
    year_codes: np.ndarray  # (rows,) group of each row
    years: pd.Index  # group labels (a single unnamed group without a year key)

    def year_sums(self, values: np.ndarray) -> np.ndarray:
        """Sum ``values`` (rows, k) over the rows of each year: ``(n_years, k)``."""
        rows = values.shape[0]
        onehot = sparse.csr_matrix(
            (np.ones(rows), (self.year_codes, np.arange(rows))), shape=(len(self.years), rows)
        )
        return np.asarray(onehot @ values)


def _as_list(names: str | Sequence[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _employment(
    table: pd.DataFrame,
    columns: Sequence[str],
    region: Hashable | None,
    year: Hashable | None,
) -> _Employment:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"employment must be a pandas DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        hints = "".join(suggest(c, [str(k) for k in table.columns]) for c in missing)
        raise IndicatorNotFoundError(f"Sector column(s) {missing} are not in the table.{hints}")
    absent = [k for k in (region, year) if k is not None and k not in table.columns]
    if absent:
        raise IndicatorNotFoundError(f"Key column(s) {absent} are not in the table.")
    two_level = isinstance(table.index, pd.MultiIndex) and table.index.nlevels == 2
    from_index = region is None and year is None and two_level
    if region is not None:
        regions = table[region]
    else:
        regions = table.index.get_level_values(0) if from_index else table.index
    if year is not None:
        years_of_rows = table[year]
    else:
        years_of_rows = table.index.get_level_values(1) if from_index else None
    if years_of_rows is None:
        index = pd.Index(regions)
        year_values = np.zeros(len(table), dtype=np.int64)
    else:
        index = pd.MultiIndex.from_arrays([regions, years_of_rows])
        year_values = np.asarray(years_of_rows)
    if index.has_duplicates:
        dup = index[index.duplicated()].unique().tolist()
        raise DuplicateObservationError(
            f"{len(dup)} row key(s) occur more than once: {format_items(dup)}."
        )
    year_codes, years = pd.factorize(year_values, sort=True)
    block = table[list(columns)].apply(pd.to_numeric, errors="coerce")
    counts = block.to_numpy(dtype=np.float64, na_value=np.nan)
    where = nonfinite_cells(counts, lambda r, c: f"{columns[c]!r} at {index[r]}")
    if where:
        raise MissingValueError(
            f"{len(where)} missing or non-numeric employment value(s): {format_items(where)}."
        )
    if (counts < 0).any():
        rows, cols = np.nonzero(counts < 0)
        where = [
            f"{columns[int(c)]!r} = {counts[r, c]:g} at {index[r]}" for r, c in zip(rows, cols)
        ]
        raise NegativeValueError(
            f"Employment counts must be >= 0; found {rows.size} negative value(s): "
            f"{format_items(where)}."
        )
    year_name = index.names[1] if isinstance(index, pd.MultiIndex) else None
    return _Employment(counts, index, year_codes, pd.Index(years, name=year_name))


def _numeric_sectors(table: pd.DataFrame, exclude: Sequence[Hashable]) -> list[str]:
    return [
        c for c in table.columns if c not in exclude and pd.api.types.is_numeric_dtype(table[c])
    ]


def _quotients(
    emp: _Employment, own: np.ndarray, totals: np.ndarray, names: list[str]
) -> np.ndarray:
    """``(e_rj / e_r) / (E_j / E)`` with sums over each year's regions."""
    if (totals <= 0).any():
        rows = np.flatnonzero(totals <= 0)
        raise DegenerateIndexError(
            f"Total employment is zero for {format_items([emp.index[r] for r in rows])}; the "
            "location quotient is undefined there."
        )
    sector_sums = emp.year_sums(own)[emp.year_codes]
    grand = emp.year_sums(totals[:, None])[emp.year_codes]
    if (sector_sums <= 0).any():
        rows, cols = np.nonzero(sector_sums <= 0)
        where = sorted(
            {f"{names[c]!r} in {emp.years[emp.year_codes[r]]}" for r, c in zip(rows, cols)}
        )
        raise DegenerateIndexError(
            f"No employment at all in {format_items(where)}; its location quotient is undefined."
        )
    return (own / totals[:, None]) / (sector_sums / grand)


def location_quotient(
    employment: pd.DataFrame,
    sectors: Sequence[str] | None = None,
    *,
    total: str | None = None,
    region: Hashable | None = None,
    year: Hashable | None = None,
) -> pd.DataFrame:
    """Location quotient of every sector in every region (and year).

    Parameters
    ----------
    employment : DataFrame
        Employment counts, one row per region (or region-year), one column per
        sector. Not modified.
    sectors : sequence of str, optional
        The sector columns; default every numeric column except the keys and
        ``total``.
    total : str, optional
        Column holding each region's total employment ``e_r``; by default the
        sum of ``sectors`` (then ``sectors`` must cover the whole economy).
    region, year : hashable, optional
        Key columns; a missing region key means the table's index labels the
        regions, and with neither key a two-level index is read as (region,
        year). Sums over regions are taken within each year.

    Returns
    -------
    DataFrame
        One column per sector, indexed by the row keys.

    Notes
    -----
    :math:`LQ_{rj} = (e_{rj} / e_r) / (E_j / E)` with :math:`E_j = \\sum_r e_{rj}`
    and :math:`E = \\sum_r e_r` (Isard 1960, *Methods of Regional Analysis*).

    Examples
    --------
    >>> table = pd.DataFrame({"mfg": [30, 10], "svc": [10, 50]}, index=["a", "b"])
    >>> location_quotient(table).round(3)  # a, svc: (10/40) / (60/100) = 0.417
    sector    mfg    svc
    a       1.875  0.417
    b       0.417  1.389
    """
    keys = [k for k in (region, year, total) if k is not None]
    names = list(sectors) if sectors is not None else _numeric_sectors(employment, keys)
    emp = _employment(employment, [*names, *([total] if total else [])], region, year)
    own = emp.counts[:, : len(names)]
    totals = emp.counts[:, -1] if total else own.sum(axis=1)
    lq = _quotients(emp, own, totals, names)
    return pd.DataFrame(lq, index=emp.index, columns=pd.Index(names, name="sector"))


def plant_herfindahl(plant_employment: ArrayLike) -> float:
    """Plant Herfindahl index :math:`H = \\sum_k (n_k / \\sum_l n_l)^2` of one industry.

    Examples
    --------
    >>> round(plant_herfindahl([50, 30, 20]), 12)  # 0.25 + 0.09 + 0.04
    0.38
    """
    sizes = np.asarray(plant_employment, dtype=np.float64).ravel()
    if not np.isfinite(sizes).all():
        raise MissingValueError("Plant sizes must be finite numbers; found missing values.")
    if (sizes < 0).any():
        raise NegativeValueError(f"Plant sizes must be >= 0; found {sizes[sizes < 0].tolist()}.")
    if sizes.sum() <= 0:
        raise DegenerateIndexError("The Herfindahl index needs at least one plant with employees.")
    shares = sizes / sizes.sum()
    return float(shares @ shares)


def coagglomeration_index(
    employment: pd.DataFrame,
    manufacturing: str | Sequence[str],
    services: str | Sequence[str],
    *,
    variant: CoagglomerationVariant = "quality",
    sectors: Sequence[str] | None = None,
    total: str | None = None,
    region: Hashable | None = None,
    year: Hashable | None = None,
    herfindahl: Mapping[str, float] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Co-agglomeration of manufacturing and (producer) services.

    Parameters
    ----------
    employment : DataFrame
        Employment by sector, as in :func:`location_quotient`.
    manufacturing, services : str or sequence of str
        Sector column(s) of each side; several columns are summed (e.g. the
        producer-service sectors).
    variant : {"quality", "chen2016", "ellison_glaeser"}
        Index (see Notes).
    sectors, total, region, year
        As in :func:`location_quotient`: ``e_r`` is ``total`` or the sum of
        ``sectors`` (default all numeric non-key columns).
    herfindahl : mapping or DataFrame, optional
        ``ellison_glaeser`` only: plant Herfindahl indices ``H`` of the two
        sides, ``{"manufacturing": H_m, "services": H_s}`` or a DataFrame with
        those columns indexed by year (see :func:`plant_herfindahl`). With it
        the Ellison-Glaeser agglomeration index of each side is reported too.

    Returns
    -------
    DataFrame
        ``quality``/``chen2016``: per row, ``LQ_manufacturing``,
        ``LQ_services`` and ``coagglomeration``. ``ellison_glaeser``: per year,
        ``gamma_c`` (and ``gamma_manufacturing``, ``gamma_services``,
        ``H_manufacturing``, ``H_services`` when ``herfindahl`` is given).

    Notes
    -----
    ``quality``: :math:`1 - |LQ_m - LQ_s| / (LQ_m + LQ_s)`, the co-agglomeration
    quality index (Yang Renfa 2013, *Management World* 2013(8)).
    ``chen2016``: :math:`1 - |LQ_m - LQ_s| / (LQ_m + LQ_s) + (LQ_m + LQ_s)`,
    adding the depth of co-agglomeration (Chen Jianjun, Liu Yue, Zou Miaomiao
    2016, *Journal of Zhejiang University (Humanities and Social Sciences)*
    46(3)).
    ``ellison_glaeser``: with region shares of aggregate employment
    :math:`x_r = e_r / E` and of each side :math:`s_{rm}, s_{rs}`, the
    Ellison-Glaeser (1997, *J. Political Economy* 105(5): 889-927, eq. 13)
    co-agglomeration index of a group of two industries,

    .. math:: \\gamma^c = \\frac{G/(1 - \\sum_r x_r^2) - H - \\sum_j \\gamma_j w_j^2 (1 - H_j)}
                               {1 - \\sum_j w_j^2},

    reduces exactly to :math:`\\sum_r (s_{rm} - x_r)(s_{rs} - x_r) / (1 - \\sum_r x_r^2)`:
    the plant Herfindahls cancel for a pair (as Ellison, Glaeser and Kerr 2010,
    *AER* 100(3), use it), so they are needed only for the agglomeration
    indices :math:`\\gamma_j = (G_j / (1 - \\sum_r x_r^2) - H_j) / (1 - H_j)`,
    :math:`G_j = \\sum_r (s_{rj} - x_r)^2`.
    """
    check_option("variant", variant, ("quality", "chen2016", "ellison_glaeser"))
    side_m, side_s = _as_list(manufacturing), _as_list(services)
    overlap = sorted(set(side_m) & set(side_s))
    if overlap:
        raise InvalidOptionError(f"Column(s) {overlap} are on both sides.")
    keys = [k for k in (region, year, total) if k is not None]
    economy = list(sectors) if sectors is not None else _numeric_sectors(employment, keys)
    outside = [c for c in [*side_m, *side_s] if c not in economy]
    if outside and total is None:
        raise InvalidOptionError(
            f"Column(s) {outside} are not among the sectors {economy}; without `total` the "
            "economy's employment is the sum of the sectors."
        )
    columns = list(dict.fromkeys([*economy, *side_m, *side_s, *([total] if total else [])]))
    emp = _employment(employment, columns, region, year)
    col = {name: k for k, name in enumerate(columns)}
    pair = np.column_stack(
        [emp.counts[:, [col[c] for c in side_m]].sum(axis=1),
         emp.counts[:, [col[c] for c in side_s]].sum(axis=1)]
    )  # fmt: skip
    totals = emp.counts[:, col[total]] if total else emp.counts[:, [col[c] for c in economy]].sum(1)
    if variant != "ellison_glaeser":
        lq = _quotients(emp, pair, totals, ["manufacturing", "services"])
        lq_m, lq_s = lq[:, 0], lq[:, 1]
        index = 1.0 - np.abs(lq_m - lq_s) / (lq_m + lq_s)
        if variant == "chen2016":
            index = index + lq_m + lq_s
        return pd.DataFrame(
            {"LQ_manufacturing": lq_m, "LQ_services": lq_s, "coagglomeration": index},
            index=emp.index,
        )
    return _ellison_glaeser(emp, pair, totals, herfindahl)


def _ellison_glaeser(
    emp: _Employment,
    pair: np.ndarray,
    totals: np.ndarray,
    herfindahl: Mapping[str, float] | pd.DataFrame | None,
) -> pd.DataFrame:
    """Pairwise EG co-agglomeration (and agglomeration) indices per year."""
    sums = emp.year_sums(np.column_stack([pair, totals]))
    if (sums <= 0).any():
        raise DegenerateIndexError("A side or the economy has no employment in some year.")
    shares = np.column_stack([pair, totals]) / sums[emp.year_codes]  # s_rm, s_rs, x_r
    dev = shares[:, :2] - shares[:, 2:3]
    products = np.column_stack([dev[:, 0] * dev[:, 1], dev**2, shares[:, 2] ** 2])
    per_year = emp.year_sums(products)
    one_minus_x2 = 1.0 - per_year[:, 3]
    out = pd.DataFrame({"gamma_c": per_year[:, 0] / one_minus_x2}, index=emp.years)
    if herfindahl is None:
        return out
    h = pd.DataFrame(herfindahl, index=out.index) if isinstance(herfindahl, Mapping) else herfindahl
    need = ["manufacturing", "services"]
    if not set(need) <= set(h.columns) or not out.index.isin(h.index).all():
        raise InvalidOptionError(
            "herfindahl needs 'manufacturing' and 'services' values for every year "
            f"{out.index.tolist()}."
        )
    h = h.loc[out.index, need].to_numpy(dtype=np.float64)
    if not ((h >= 0) & (h < 1)).all():
        raise InvalidOptionError("Plant Herfindahl indices must lie in [0, 1).")
    gamma = (per_year[:, 1:3] / one_minus_x2[:, None] - h) / (1.0 - h)
    out["gamma_manufacturing"], out["gamma_services"] = gamma[:, 0], gamma[:, 1]
    out["H_manufacturing"], out["H_services"] = h[:, 0], h[:, 1]
    return out
