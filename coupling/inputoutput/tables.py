"""Input-output tables: one economy (:class:`IOTable`) and many (:class:`MRIOTable`).

A table is built once, checked once (shapes, labels, numbers, output, the row and column
accounting identities within ``rtol``/``atol``) and never changes; every coefficient,
inverse and decomposition is computed from it on first use and kept.

Layouts
-------
:class:`IOTable` holds one economy: intermediate flows ``Z`` (row: supplying sector,
column: using sector), final demand by category (columns; exports among them), value added
by component (rows) and gross output ``x``. It is *competitive* when imports are one
negative column of the use side (``imports=``, the NBS national tables: ``Z`` then mixes
domestic and imported products) and *non-competitive* when imported use sits in separate
rows (``imported_intermediate=``, ``imported_final=``: the NBS 42-sector tables of 2017,
2018 and 2020 and the WIOD national tables). The identities are

    competitive:      Z 1 + F 1 - m + e = x        and   1'Z + 1'V = x'
    non-competitive:  Z^D 1 + F^D 1 = x            and   1'Z^D + 1'Z^M + 1'V = x'

with ``m`` the imports, ``e`` the statistical discrepancy (``discrepancy=``, NBS ``ERR``),
``V`` the value-added rows and, where a table has them, ``O`` the other primary inputs
(``other_inputs=``: taxes less subsidies on products, cif/fob adjustments, international
transport margins, imported products that no domestic sector makes), which join ``V`` in the
column identity: ``1'Z + 1'Z^M + 1'O + 1'V = x'``.

:class:`MRIOTable` holds ``G`` countries with the same ``N`` sectors each (WIOD, OECD
ICIO, decompr's tables): ``Z`` (GN x GN), final demand ``Y`` by destination country and
category (GN x G x K) and output ``x``, with ``Z 1 + Y 1 = x``; value added is
``x' - 1'Z`` (taxes less subsidies and international margins included) unless given.
Rows are country-major (all sectors of the first country, then the second...), and flows
are matched by their (country, sector) labels, never by position.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from spatial._core.messages import format_items
from spatial._core.options import check_option

from ..exceptions import IOTableError
from . import coefficients as coef
from ._checks import (
    ZeroOutput,
    check_identity,
    check_output,
    finite_values,
    group_matrix,
    labelled_square,
    rows_aligned,
)
from .linkages import Forward, Weighting, linkage_coefficients

if TYPE_CHECKING:
    from .exports import ExportDecomposition
    from .fusion import FusionResults, Measure, SectorWeighting
    from .sectors import GroupSpec

__all__ = ["IOTable", "Kind", "MRIOTable"]

#: Total coefficients (domestic and imported products together) or domestic ones only.
Kind = Literal["total", "domestic"]
_KINDS = ("total", "domestic")


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _names(
    given: Mapping[Hashable, str] | pd.Series | None, codes: Sequence[str]
) -> tuple[str, ...]:
    if given is None:
        return tuple(codes)
    lookup = dict(given.items()) if isinstance(given, pd.Series) else dict(given)
    return tuple(str(lookup.get(c, c)) for c in codes)


class IOTable:
    """The input-output table of one economy (a country, a province, a year).

    Parameters
    ----------
    intermediate : DataFrame (n, n)
        Intermediate flows, rows = supplying sectors, columns = using sectors, labelled by
        the same sector codes (columns are put in the order of the rows). In a
        non-competitive table: the use of domestic products only.
    final_demand : DataFrame (n, k)
        Final use by category (consumption, capital formation, exports...), rows labelled
        by sector. Subtotals must not be among the columns. Non-competitive: domestic
        products only.
    value_added : DataFrame (c, n) or Series (n,)
        Value added by component (rows, e.g. NBS VA001-VA004) and sector (columns).
    output : Series, optional
        Gross output by sector; the column totals ``1'Z + 1'Z^M + 1'V`` when omitted.
    imported_intermediate, imported_final : DataFrame, optional
        Imported products used as intermediate inputs (n x n) and in final use (n x k):
        both given make the table non-competitive.
    imports : Series, optional
        Competitive tables: imports by product, a positive number subtracted on the use
        side (NBS ``IM``).
    discrepancy : Series, optional
        The statistical discrepancy of the row identity (NBS ``ERR``, 其他).
    other_inputs : DataFrame (c, n), optional
        Primary inputs that are not value added (rows: components; columns: sectors), such
        as WIOD's taxes less subsidies on products and adjustments; part of the column
        identity, not of value added.
    exports : label or None
        The column of ``final_demand`` that holds exports (default ``"EX"``); ``None`` for a
        table without exports. Needed for domestic coefficients of a competitive table.
    names_zh, names_en : mapping or Series, optional
        Chinese and English sector names by code (the codes when omitted).
    year : int, optional
    unit : str, optional
        For labels only (e.g. ``"万元"``, ``"USD million"``).
    classification : str, optional
        The sector classification (a key of :data:`coupling.inputoutput.sectors.CLASSIFICATIONS`,
        e.g. ``"nbs2017_42"``); found from the sector codes and names when omitted.
        Sector groups such as ``"manufacturing"`` resolve through it.
    zero_output : {"raise", "drop", "zero"}
        Sectors with zero output: an error (default), removed, or kept with zero
        coefficients (recorded as :attr:`zero_sectors`). A sector is removed only if its
        domestic rows and columns are empty; in a non-competitive table the imported use of
        its product (goods the economy imports but does not make) stays in the inputs of the
        sectors that buy it, as the other input "imported products without domestic
        output", and its imported final use is left out. Removed sectors are listed in
        :attr:`dropped_sectors`.
    rtol, atol : float
        Tolerance of the accounting identities, ``|lhs - x| <= rtol |x| + atol`` per sector.

    Raises
    ------
    IOTableError
        Shapes or labels that do not match, missing or non-numeric cells, negative output,
        zero output (see ``zero_output``), an identity beyond tolerance.

    Examples
    --------
    Miller and Blair's (2009) two-sector example (Table 2.3):

    >>> Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=["1", "2"],
    ...                  columns=["1", "2"])
    >>> F = pd.DataFrame({"final": [350.0, 1700.0]}, index=["1", "2"])
    >>> V = pd.Series([650.0, 1400.0], index=["1", "2"])
    >>> table = IOTable(Z, F, V, exports=None)
    >>> table.technical_coefficients().round(4)
    sector     1     2
    sector
    1       0.15  0.25
    2       0.20  0.05
    >>> table.leontief().round(4)
    sector       1       2
    sector
    1       1.2541  0.3300
    2       0.2640  1.1221
    """

    def __init__(
        self,
        intermediate: pd.DataFrame,
        final_demand: pd.DataFrame,
        value_added: pd.DataFrame | pd.Series,
        *,
        output: pd.Series | None = None,
        imported_intermediate: pd.DataFrame | None = None,
        imported_final: pd.DataFrame | None = None,
        imports: pd.Series | None = None,
        discrepancy: pd.Series | None = None,
        other_inputs: pd.DataFrame | None = None,
        exports: Hashable | None = "EX",
        names_zh: Mapping[Hashable, str] | pd.Series | None = None,
        names_en: Mapping[Hashable, str] | pd.Series | None = None,
        year: int | None = None,
        unit: str | None = None,
        classification: str | None = None,
        zero_output: ZeroOutput = "raise",
        rtol: float = 1e-6,
        atol: float = 0.0,
    ) -> None:
        check_option("zero_output", zero_output, ("raise", "drop", "zero"))
        Z = labelled_square(intermediate, "intermediate")
        sectors = Z.index
        codes = [str(c) for c in sectors]
        if not isinstance(final_demand, pd.DataFrame):
            raise IOTableError("final_demand must be a DataFrame (sectors x categories).")
        F = rows_aligned(final_demand, sectors, "final_demand")
        if isinstance(value_added, pd.Series):
            value_added = value_added.to_frame(name=value_added.name or "VA").T
        VA = rows_aligned(value_added, sectors, "value_added", axis=1)
        if (imported_intermediate is None) != (imported_final is None):
            raise IOTableError(
                "A non-competitive table needs both imported_intermediate and imported_final "
                "(pass an all-zero frame for an empty one); a competitive table neither."
            )
        competitive = imported_intermediate is None
        if not competitive and imports is not None:
            raise IOTableError(
                "imports= is the import column of a competitive table; a non-competitive "
                "table records imports in imported_intermediate and imported_final."
            )
        if exports is not None and exports not in F.columns:
            raise IOTableError(
                f"final_demand has no exports column {exports!r} (its columns: "
                f"{format_items(list(F.columns), limit=12)}); pass exports=<column> or "
                "exports=None for a table without exports."
            )
        arrays: dict[str, np.ndarray] = {
            "Z": finite_values(Z, "intermediate"),
            "F": finite_values(F, "final_demand"),
            "VA": finite_values(VA, "value_added"),
        }
        if not competitive:
            assert imported_intermediate is not None and imported_final is not None
            Zm = labelled_square(imported_intermediate, "imported_intermediate")
            arrays["Zm"] = finite_values(
                rows_aligned(
                    rows_aligned(Zm, sectors, "imported_intermediate"),
                    sectors,
                    "imported_intermediate",
                    axis=1,
                ),
                "imported_intermediate",
            )
            Fm = rows_aligned(imported_final, sectors, "imported_final")
            if not Fm.columns.equals(F.columns):
                raise IOTableError(
                    "imported_final must have the categories of final_demand, in the same "
                    f"order: {format_items(list(F.columns))} vs {format_items(list(Fm.columns))}."
                )
            arrays["Fm"] = finite_values(Fm, "imported_final")
        for name, series in (("imports", imports), ("discrepancy", discrepancy)):
            if series is not None:
                arrays[name] = finite_values(rows_aligned(series, sectors, name), name)
        other_components = pd.Index([], name="component")
        if other_inputs is not None:
            frame = rows_aligned(other_inputs, sectors, "other_inputs", axis=1)
            arrays["OI"] = finite_values(frame, "other_inputs")
            other_components = pd.Index(frame.index, name="component")
        column_total = arrays["Z"].sum(0) + arrays["VA"].sum(0)
        for key in ("Zm", "OI"):
            if key in arrays:
                column_total = column_total + arrays[key].sum(0)
        x = (
            column_total
            if output is None
            else finite_values(rows_aligned(output, sectors, "output"), "output")
        )
        x, zero = check_output(x, codes, zero_output, can_drop=True, atol=atol)
        row_total = arrays["Z"].sum(1) + arrays["F"].sum(1)
        if "imports" in arrays:
            row_total = row_total - arrays["imports"]
        if "discrepancy" in arrays:
            row_total = row_total + arrays["discrepancy"]
        check_identity(row_total, x, codes, "row (use of output)", rtol=rtol, atol=atol)
        check_identity(column_total, x, codes, "column (inputs)", rtol=rtol, atol=atol)
        names = (_names(names_zh, codes), _names(names_en, codes))
        self.dropped_sectors: list[Hashable] = []
        if zero.any() and zero_output == "drop":
            self.dropped_sectors = list(sectors[zero])
            arrays, other_components = _drop_sectors(arrays, zero, codes, other_components)
            keep = ~zero
            x, sectors = x[keep], sectors[keep]
            codes = [c for c, k in zip(codes, keep) if k]
            names = (tuple(n for n, k in zip(names[0], keep) if k),
                     tuple(n for n, k in zip(names[1], keep) if k))  # fmt: skip
            zero = np.zeros(len(codes), dtype=bool)
        self._arrays = {k: _read_only(v) for k, v in arrays.items()}
        self._x = _read_only(np.asarray(x, dtype=float))
        self._zero = _read_only(zero)
        self._sectors = pd.Index(sectors, name="sector")
        self._codes = tuple(codes)
        self._names_zh, self._names_en = names
        self._categories = pd.Index(F.columns, name="category")
        self._components = pd.Index(VA.index, name="component")
        self._other_components = other_components
        self._exports = exports
        self.year = year
        self.unit = unit
        self.zero_output = zero_output
        self.rtol, self.atol = rtol, atol
        from .sectors import detect_classification, sector_names

        self.classification = classification or detect_classification(
            self._codes, self._names_zh, self._names_en
        )
        if self.classification not in (None, "custom") and (names_zh is None or names_en is None):
            known_zh, known_en = sector_names(self.classification, self._codes)
            self._names_zh = known_zh if names_zh is None else self._names_zh
            self._names_en = known_en if names_en is None else self._names_en

    # ------------------------------------------------------------------ data
    @property
    def competitive(self) -> bool:
        """True when imports are a column of the use side, False when they are rows."""
        return "Zm" not in self._arrays

    @property
    def sectors(self) -> pd.DataFrame:
        """Sector codes (index) with their Chinese and English names."""
        return pd.DataFrame(
            {"name_zh": self._names_zh, "name_en": self._names_en}, index=self._sectors
        )

    @property
    def zero_sectors(self) -> list[Hashable]:
        """Sectors kept with zero output (``zero_output="zero"``); their coefficients are 0."""
        return list(self._sectors[self._zero])

    def _frame(self, values: np.ndarray, columns: Any = None) -> pd.DataFrame:
        return pd.DataFrame(
            values, index=self._sectors, columns=self._sectors if columns is None else columns
        )

    @property
    def intermediate(self) -> pd.DataFrame:
        """Intermediate flows ``Z`` (domestic products only in a non-competitive table)."""
        return self._frame(self._arrays["Z"].copy())

    @property
    def imported_intermediate(self) -> pd.DataFrame | None:
        """Imported intermediate use ``Z^M`` of a non-competitive table, else ``None``."""
        return None if self.competitive else self._frame(self._arrays["Zm"].copy())

    @property
    def final_demand(self) -> pd.DataFrame:
        """Final use by category (domestic products only in a non-competitive table)."""
        return self._frame(self._arrays["F"].copy(), self._categories)

    @property
    def value_added(self) -> pd.DataFrame:
        """Value added by component (rows) and sector (columns)."""
        return pd.DataFrame(
            self._arrays["VA"].copy(), index=self._components, columns=self._sectors
        )

    @property
    def other_inputs(self) -> pd.DataFrame | None:
        """Primary inputs that are not value added (components x sectors), or ``None``."""
        if "OI" not in self._arrays:
            return None
        return pd.DataFrame(self._arrays["OI"].copy(), index=self._other_components,
                            columns=self._sectors)  # fmt: skip

    @property
    def output(self) -> pd.Series:
        """Gross output ``x`` by sector."""
        return pd.Series(self._x.copy(), index=self._sectors, name="output")

    @property
    def exports(self) -> pd.Series | None:
        """Exports by sector (the ``exports`` column of final demand), or ``None``."""
        if self._exports is None:
            return None
        return self.final_demand[self._exports].rename("exports")

    def __repr__(self) -> str:
        kind = "competitive" if self.competitive else "non-competitive"
        year = f" {self.year}" if self.year is not None else ""
        return f"<IOTable{year}: {len(self._codes)} sectors, {kind}>"

    # ----------------------------------------------------------- coefficients
    def _flows(self, kind: Kind) -> np.ndarray:
        check_option("kind", kind, _KINDS)
        Z = self._arrays["Z"]
        if kind == "domestic":
            return Z if not self.competitive else (1.0 - self._import_shares)[:, None] * Z
        return Z if self.competitive else Z + self._arrays["Zm"]

    @cached_property
    def _import_shares(self) -> np.ndarray:
        """Competitive tables: ``m_i = IM_i / (Z_i. + F_i. - EX_i)``, the share of imports
        in the domestic use of product ``i`` (intermediate and final, exports excluded)."""
        if "imports" not in self._arrays:
            raise IOTableError(
                "Domestic coefficients of a competitive table need its imports (imports=)."
            )
        if self._exports is None:
            raise IOTableError(
                "Domestic coefficients of a competitive table need its exports: the import "
                "share of a product is imports over its domestic use, exports excluded. "
                "Pass exports=<column of final_demand>."
            )
        F = self._arrays["F"]
        exported = F[:, list(self._categories).index(self._exports)]
        use = self._arrays["Z"].sum(1) + F.sum(1) - exported
        imports = self._arrays["imports"]
        share = np.divide(imports, use, out=np.zeros_like(use), where=use != 0)
        bad = np.flatnonzero((use == 0) & (imports != 0))
        if bad.size:
            raise IOTableError(
                f"Imports without domestic use in {format_items([self._codes[i] for i in bad])}:"
                " no import share can be computed."
            )
        return _read_only(share)

    def _cached(self, key: str, kind: Kind) -> np.ndarray:
        store = self.__dict__.setdefault("_cache", {})
        if (key, kind) not in store:
            flows = self._flows(kind)
            if key == "A":
                value = coef.input_coefficients(flows, self._x, self._zero)
            elif key == "H":
                value = coef.allocation_coefficients(flows, self._x, self._zero)
            elif key == "L":
                value = coef.leontief_inverse(self._cached("A", kind), labels=list(self._codes))
            else:
                value = coef.ghosh_inverse(self._cached("H", kind), labels=list(self._codes))
            store[key, kind] = _read_only(value)
        return store[key, kind]

    def technical_coefficients(self, *, kind: Kind = "total") -> pd.DataFrame:
        """Direct consumption (input) coefficients ``A = Z diag(x)^-1`` (直接消耗系数).

        Parameters
        ----------
        kind : {"total", "domestic"}
            ``"total"``: inputs of domestic and imported products (a competitive table's
            ``Z``; ``Z^D + Z^M`` of a non-competitive one). ``"domestic"``: domestic products
            only, ``A^D``: ``Z^D diag(x)^-1`` of a non-competitive table, or
            ``(I - diag(m)) A`` of a competitive one, where ``m_i`` is the share of imports
            in the domestic use (intermediate and final, exports excluded) of product ``i``
            (the proportionality assumption; Miller and Blair 2009, section 2.6).
        """
        return self._frame(self._cached("A", kind).copy())

    def leontief(self, *, kind: Kind = "total") -> pd.DataFrame:
        """The Leontief inverse ``L = (I - A)^-1`` (完全需要系数); see
        :func:`~coupling.inputoutput.coefficients.leontief_inverse`."""
        return self._frame(self._cached("L", kind).copy())

    def complete_consumption(self, *, kind: Kind = "total") -> pd.DataFrame:
        """Complete consumption coefficients ``L - I`` (完全消耗系数): the direct and all
        indirect inputs of product ``i`` per unit of final product ``j`` (国家统计局
        《中国投入产出表》 编制方法; Miller and Blair 2009, eq. 2.11 less the unit)."""
        return self._frame(self._cached("L", kind) - np.eye(len(self._codes)))

    def allocation_coefficients(self, *, kind: Kind = "total") -> pd.DataFrame:
        """Direct distribution (allocation) coefficients ``H = diag(x)^-1 Z`` (直接分配系数)."""
        return self._frame(self._cached("H", kind).copy())

    def ghosh(self, *, kind: Kind = "total") -> pd.DataFrame:
        """The Ghosh inverse ``G = (I - H)^-1``; see
        :func:`~coupling.inputoutput.coefficients.ghosh_inverse`."""
        return self._frame(self._cached("G", kind).copy())

    def complete_distribution(self, *, kind: Kind = "total") -> pd.DataFrame:
        """Complete distribution coefficients ``G - I`` (完全分配系数)."""
        return self._frame(self._cached("G", kind) - np.eye(len(self._codes)))

    def linkages(
        self,
        *,
        kind: Kind = "total",
        forward: Forward = "leontief",
        weighting: Weighting = "equal",
    ) -> pd.DataFrame:
        """Influence (影响力系数) and sensitivity (感应度系数) coefficients of every sector.

        Parameters
        ----------
        kind : {"total", "domestic"}
            The coefficients the inverses are built from.
        forward : {"leontief", "ghosh"}
            Row sums of the Leontief inverse (the traditional 感应度系数) or of the Ghosh
            inverse (Liu Qiyun 2002); see :mod:`coupling.inputoutput.linkages`.
        weighting : {"equal", "structure"}
            Plain averages, or averages weighted by final-demand and value-added shares.

        Returns
        -------
        DataFrame
            Index: sector; columns ``name_zh``, ``backward``, ``forward``, ``influence``,
            ``sensitivity``; ``attrs`` record the options.
        """
        check_option("forward", forward, ("leontief", "ghosh"))
        check_option("weighting", weighting, ("equal", "structure"))
        F = self._arrays["F"]
        final = (
            F.sum(1)
            if self.competitive or kind == "domestic"
            else F.sum(1) + self._arrays["Fm"].sum(1)
        )
        out = linkage_coefficients(
            self._cached("L", kind),
            self._cached("G", kind),
            forward=forward,
            weighting=weighting,
            final_demand=final,
            value_added=self._arrays["VA"].sum(0),
        )
        frame = pd.DataFrame({"name_zh": self._names_zh, **out}, index=self._sectors)
        frame.attrs.update(kind=kind, forward=forward, weighting=weighting)
        return frame

    # ------------------------------------------------------------ reshaping
    def aggregate(
        self,
        mapping: Mapping[Hashable, Hashable] | pd.Series,
        *,
        names_zh: Mapping[Hashable, str] | None = None,
        names_en: Mapping[Hashable, str] | None = None,
    ) -> IOTable:
        """The table with sectors merged into groups: flows are summed first, and every
        coefficient of the new table is computed from the summed flows.

        Parameters
        ----------
        mapping : mapping or Series
            ``{sector: group}`` for every sector of the table, each exactly once.
        names_zh, names_en : mapping, optional
            Names of the groups (the group labels when omitted).

        Raises
        ------
        SectorMappingError
            Sectors left unassigned, labels that are not sectors, a sector assigned twice.

        Examples
        --------
        >>> Z = pd.DataFrame(np.ones((3, 3)), index=list("abc"), columns=list("abc"))
        >>> F = pd.DataFrame({"EX": [2.0, 3.0, 4.0]}, index=list("abc"))
        >>> table = IOTable(Z, F, pd.Series([2.0, 3.0, 4.0], index=list("abc")))
        >>> table.aggregate({"a": "x", "b": "x", "c": "y"}).intermediate
        sector    x    y
        sector
        x       4.0  2.0
        y       2.0  1.0
        """
        S, groups = group_matrix(mapping, list(self._sectors), "sector")
        labels = pd.Index(groups, name="sector")
        a = self._arrays

        def square(M: np.ndarray) -> pd.DataFrame:
            return pd.DataFrame(S @ M @ S.T, index=labels, columns=labels)

        def rows(M: np.ndarray, columns: pd.Index) -> pd.DataFrame:
            return pd.DataFrame(S @ M, index=labels, columns=columns)

        def vector(v: np.ndarray, name: str) -> pd.Series:
            return pd.Series(S @ v, index=labels, name=name)

        return IOTable(
            square(a["Z"]),
            rows(a["F"], self._categories),
            pd.DataFrame(a["VA"] @ S.T, index=self._components, columns=labels),
            output=vector(self._x, "output"),
            imported_intermediate=None if self.competitive else square(a["Zm"]),
            imported_final=None if self.competitive else rows(a["Fm"], self._categories),
            imports=vector(a["imports"], "imports") if "imports" in a else None,
            discrepancy=vector(a["discrepancy"], "discrepancy") if "discrepancy" in a else None,
            other_inputs=None
            if "OI" not in a
            else pd.DataFrame(a["OI"] @ S.T, index=self._other_components, columns=labels),
            exports=self._exports,
            names_zh=names_zh,
            names_en=names_en,
            year=self.year,
            unit=self.unit,
            classification="custom",
            zero_output=self.zero_output,
            rtol=self.rtol,
            atol=self.atol * len(self._codes),
        )

    # --------------------------------------------------------------- fusion
    def fusion(
        self,
        source: GroupSpec,
        target: GroupSpec,
        *,
        measure: Measure = "complete",
        kind: Kind = "total",
        weighting: SectorWeighting = "output",
    ) -> FusionResults:
        """How much the ``target`` group consumes of the ``source`` group (融合度).

        See :func:`coupling.inputoutput.fusion.fusion`, which this calls with the table.

        Examples
        --------
        >>> Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["m", "s"], columns=["m", "s"])
        >>> F = pd.DataFrame({"EX": [70.0, 65.0]}, index=["m", "s"])
        >>> table = IOTable(Z, F, pd.Series([60.0, 75.0], index=["m", "s"]))
        >>> table.fusion(["s"], ["m"], measure="direct").value   # 30 / 100
        0.3
        """
        from .fusion import fusion

        return fusion(self, source, target, measure=measure, kind=kind, weighting=weighting)


def _drop_sectors(
    arrays: dict[str, np.ndarray], zero: np.ndarray, codes: list[str], other: pd.Index
) -> tuple[dict[str, np.ndarray], pd.Index]:
    """The arrays without the zero-output sectors, whose domestic rows and columns must be
    empty; imported use of their products moves to the other inputs (see ``zero_output``)."""
    busy = []
    for i in np.flatnonzero(zero):
        cells = [arrays["Z"][i, :], arrays["Z"][:, i], arrays["F"][i, :], arrays["VA"][:, i]]
        cells += [arrays[k][:, i] for k in ("Zm", "OI") if k in arrays]
        cells += [arrays[k][i : i + 1] for k in ("imports", "discrepancy") if k in arrays]
        if any(np.any(c != 0) for c in cells):
            busy.append(codes[i])
    if busy:
        raise IOTableError(
            f"zero_output='drop' removes only sectors without domestic flows, but "
            f"{format_items(busy)} have zero output and non-zero flows; pass "
            "zero_output='zero' to keep them with zero coefficients, or correct the table."
        )
    keep = ~zero
    out: dict[str, np.ndarray] = {}
    for key, value in arrays.items():
        if key in ("Z", "Zm"):
            out[key] = value[np.ix_(keep, keep)]
        elif key in ("VA", "OI"):
            out[key] = value[:, keep]
        else:
            out[key] = value[keep]
    if "Zm" in arrays:
        moved = arrays["Zm"][np.ix_(zero, keep)].sum(axis=0)
        if np.any(moved != 0):
            row = moved[None, :]
            out["OI"] = np.vstack([out["OI"], row]) if "OI" in out else row
            other = other.append(pd.Index(["imported products without domestic output"]))
    return out, other.rename("component")


class MRIOTable:
    """A multi-regional (inter-country) input-output table: G countries x N sectors.

    Parameters
    ----------
    intermediate : DataFrame (GN, GN)
        Intermediate flows with a two-level (country, sector) index on both axes, rows
        country-major with the same sectors, in the same order, for every country.
    final_demand : DataFrame (GN, G * K)
        Final demand; rows as ``intermediate``, columns a (destination country, category)
        index with the same categories for every destination.
    value_added : Series or DataFrame, optional
        Value added by (country, sector) (rows of components allowed); checked against
        ``x' - 1'Z`` when given, which is used when omitted.
    output : Series, optional
        Gross output; the row sums ``Z 1 + Y 1`` when omitted (the decompositions are exact
        identities only then; decompr and the WIOD references use row sums).
    year : int, optional
    unit : str, optional
    classification : str, optional
        Sector classification (``"wiod2013_35"``, ``"wiod2016_56"``...), found from the
        sector codes when omitted.
    zero_output : {"raise", "zero"}
        Country-sectors with zero output: an error (default) or zero coefficients (as
        decompr and pymrio). Dropping is not offered: every country keeps N sectors.
    rtol, atol : float
        Tolerance of ``Z 1 + Y 1 = x`` (and of value added, when given).

    Examples
    --------
    >>> index = pd.MultiIndex.from_product([["A", "B"], ["s"]], names=["country", "sector"])
    >>> Z = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=index, columns=index)
    >>> cols = pd.MultiIndex.from_product([["A", "B"], ["fd"]], names=["country", "category"])
    >>> Y = pd.DataFrame([[5.0, 2.0], [1.0, 2.0]], index=index, columns=cols)
    >>> MRIOTable(Z, Y)
    <MRIOTable: 2 countries x 1 sectors>
    """

    def __init__(
        self,
        intermediate: pd.DataFrame,
        final_demand: pd.DataFrame,
        *,
        value_added: pd.Series | pd.DataFrame | None = None,
        output: pd.Series | None = None,
        year: int | None = None,
        unit: str | None = None,
        classification: str | None = None,
        zero_output: Literal["raise", "zero"] = "raise",
        rtol: float = 1e-6,
        atol: float = 0.0,
    ) -> None:
        check_option("zero_output", zero_output, ("raise", "zero"))
        Z = labelled_square(intermediate, "intermediate")
        countries, sectors = _country_sector_layout(Z.index)
        index = Z.index
        if not isinstance(final_demand, pd.DataFrame) or final_demand.columns.nlevels != 2:
            raise IOTableError(
                "final_demand must be a DataFrame whose columns are a (destination country, "
                "category) MultiIndex."
            )
        Yf = rows_aligned(final_demand, index, "final_demand")
        destinations = list(dict.fromkeys(Yf.columns.get_level_values(0)))
        unknown = [d for d in destinations if d not in countries]
        if unknown:
            raise IOTableError(
                f"final_demand has destination countries that are not rows of the table: "
                f"{format_items(unknown)}."
            )
        categories = list(dict.fromkeys(Yf.columns.get_level_values(1)))
        full = pd.MultiIndex.from_product([countries, categories])
        if len(Yf.columns) != len(full) or not set(Yf.columns) == set(full):
            raise IOTableError(
                "final_demand needs the same categories for every destination country "
                f"({format_items(categories)}), {len(full)} columns in all; it has "
                f"{len(Yf.columns)}. Add the missing (country, category) columns as zeros."
            )
        Y = finite_values(Yf.reindex(columns=full), "final_demand")
        z = finite_values(Z, "intermediate")
        G, N = len(countries), len(sectors)
        labels = [f"{c}_{s}" for c, s in index]
        row_total = z.sum(1) + Y.sum(1)
        x = (
            row_total
            if output is None
            else finite_values(rows_aligned(output, index, "output"), "output")
        )
        x, zero = check_output(x, labels, zero_output, can_drop=False, atol=atol)
        check_identity(row_total, x, labels, "row (use of output)", rtol=rtol, atol=atol)
        if value_added is not None:
            if isinstance(value_added, pd.DataFrame):
                va = finite_values(
                    rows_aligned(value_added, index, "value_added", axis=1), "value_added"
                ).sum(0)
            else:
                va = finite_values(rows_aligned(value_added, index, "value_added"), "value_added")
            check_identity(z.sum(0) + va, x, labels, "column (inputs)", rtol=rtol, atol=atol)
        else:
            va = x - z.sum(0)
        self._Z = _read_only(z)
        self._Y = _read_only(Y.reshape(G * N, G, len(categories)))
        self._x = _read_only(np.asarray(x, dtype=float))
        self._va = _read_only(np.asarray(va, dtype=float))
        self._zero = _read_only(zero)
        self._index = index.set_names(["country", "sector"])
        self.countries = tuple(countries)
        self.sectors = tuple(sectors)
        self.categories = tuple(categories)
        self.year, self.unit = year, unit
        self.zero_output = zero_output
        self.rtol, self.atol = rtol, atol
        from .sectors import detect_classification

        codes = tuple(str(s) for s in sectors)
        self.classification = classification or detect_classification(codes, codes, codes)

    @classmethod
    def from_arrays(
        cls,
        intermediate: np.ndarray,
        final_demand: np.ndarray,
        countries: Sequence[str],
        sectors: Sequence[str],
        *,
        categories: Sequence[str] | None = None,
        **options: Any,
    ) -> MRIOTable:
        """A table from plain arrays in country-major order.

        Parameters
        ----------
        intermediate : ndarray (GN, GN)
        final_demand : ndarray (GN, G * K)
            Columns country-major: all categories of the first destination, then the next.
        countries, sectors : sequence of str
        categories : sequence of str, optional
            The K final-demand categories (``"fd"`` when K = 1, ``"fd1"``... otherwise).
        **options
            Passed to :class:`MRIOTable` (``output``, ``year``, ``zero_output``...);
            ``output`` may be an array.
        """
        G, N = len(countries), len(sectors)
        Z = np.asarray(intermediate, dtype=float)
        Y = np.asarray(final_demand, dtype=float)
        if Z.shape != (G * N, G * N):
            raise IOTableError(
                f"intermediate must be {G * N} x {G * N} for {G} countries x {N} sectors; it "
                f"is {Z.shape[0]} x {Z.shape[1]}."
            )
        if Y.ndim != 2 or Y.shape[0] != G * N or Y.shape[1] % G:
            raise IOTableError(
                f"final_demand must have {G * N} rows and a multiple of {G} columns "
                f"(destinations x categories); it has shape {Y.shape}."
            )
        K = Y.shape[1] // G
        if categories is None:
            categories = ["fd"] if K == 1 else [f"fd{k + 1}" for k in range(K)]
        if len(categories) != K:
            raise IOTableError(f"{len(categories)} categories given for {K} columns per country.")
        index = pd.MultiIndex.from_product(
            [list(countries), list(sectors)], names=["country", "sector"]
        )
        columns = pd.MultiIndex.from_product(
            [list(countries), list(categories)], names=["country", "category"]
        )
        output = options.pop("output", None)
        if output is not None and not isinstance(output, pd.Series):
            output = pd.Series(np.asarray(output, dtype=float), index=index)
        return cls(
            pd.DataFrame(Z, index=index, columns=index),
            pd.DataFrame(Y, index=index, columns=columns),
            output=output,
            **options,
        )

    def __repr__(self) -> str:
        year = f" {self.year}" if self.year is not None else ""
        return f"<MRIOTable{year}: {len(self.countries)} countries x {len(self.sectors)} sectors>"

    # ------------------------------------------------------------------ data
    @property
    def index(self) -> pd.MultiIndex:
        """The (country, sector) labels of the rows."""
        return self._index

    @property
    def intermediate(self) -> pd.DataFrame:
        """Intermediate flows ``Z`` (GN x GN)."""
        return pd.DataFrame(self._Z.copy(), index=self._index, columns=self._index)

    @property
    def final_demand(self) -> pd.DataFrame:
        """Final demand by (destination, category)."""
        G, K = len(self.countries), len(self.categories)
        columns = pd.MultiIndex.from_product(
            [self.countries, self.categories], names=["country", "category"]
        )
        return pd.DataFrame(self._Y.reshape(-1, G * K).copy(), index=self._index, columns=columns)

    @property
    def output(self) -> pd.Series:
        """Gross output ``x``."""
        return pd.Series(self._x.copy(), index=self._index, name="output")

    @property
    def value_added(self) -> pd.Series:
        """Value added ``x' - 1'Z`` (or as given)."""
        return pd.Series(self._va.copy(), index=self._index, name="value_added")

    @property
    def zero_sectors(self) -> list[tuple[str, str]]:
        """Country-sectors kept with zero output (zero coefficients)."""
        return list(self._index[self._zero])

    # ----------------------------------------------------------- numerics
    @cached_property
    def _A(self) -> np.ndarray:
        return _read_only(coef.input_coefficients(self._Z, self._x, self._zero))

    @cached_property
    def _B(self) -> np.ndarray:
        """The global Leontief inverse (``B`` in Wang, Wei and Zhu 2013)."""
        labels = [f"{c}_{s}" for c, s in self._index]
        return _read_only(coef.leontief_inverse(self._A, labels=labels))

    @cached_property
    def _local(self) -> np.ndarray:
        """The local (domestic) Leontief inverses ``L^ss = (I - A^ss)^-1``, shape (G, N, N)."""
        G, N = len(self.countries), len(self.sectors)
        blocks = self._A.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :]
        try:
            return _read_only(np.linalg.inv(np.eye(N)[None] - blocks))
        except np.linalg.LinAlgError:
            raise IOTableError(
                "A country's domestic block I - A^ss is singular; check its flows and output."
            ) from None

    @cached_property
    def _v(self) -> np.ndarray:
        """Value-added coefficients ``v_i / x_i`` (0 where output is 0)."""
        return _read_only(
            np.divide(self._va, self._x, out=np.zeros_like(self._va), where=~self._zero)
        )

    @cached_property
    def _Yd(self) -> np.ndarray:
        """Final demand by destination country (GN x G), categories summed."""
        return _read_only(self._Y.sum(axis=2))

    def technical_coefficients(self) -> pd.DataFrame:
        """Input coefficients ``A = Z diag(x)^-1`` (GN x GN)."""
        return pd.DataFrame(self._A.copy(), index=self._index, columns=self._index)

    def leontief(self) -> pd.DataFrame:
        """The global Leontief inverse ``(I - A)^-1`` (GN x GN)."""
        return pd.DataFrame(self._B.copy(), index=self._index, columns=self._index)

    def ghosh(self) -> pd.DataFrame:
        """The Ghosh inverse ``(I - diag(x)^-1 Z)^-1``, computed as
        ``diag(x)^-1 L diag(x)`` from the Leontief inverse (rows and columns of zero-output
        sectors are 0 but for the unit diagonal)."""
        x = np.where(self._zero, 1.0, self._x)
        G = self._B * x[None, :] / x[:, None]
        G[self._zero, :] = 0.0
        G[:, self._zero] = 0.0
        G[self._zero, self._zero] = 1.0
        return pd.DataFrame(G, index=self._index, columns=self._index)

    # ------------------------------------------------------- value chains
    def wwz(self) -> ExportDecomposition:
        """Wang, Wei and Zhu (2013): gross exports in sixteen terms, bilateral and by sector.

        See :func:`coupling.inputoutput.exports.wwz_decomposition`.
        """
        from .exports import wwz_decomposition

        return wwz_decomposition(self)

    def kww(self, *, by: Literal["country", "sector"] = "country") -> pd.DataFrame:
        """Koopman, Wang and Wei (2014): gross exports in nine terms by exporter.

        See :func:`coupling.inputoutput.exports.kww_decomposition`.
        """
        from .exports import kww_decomposition

        return kww_decomposition(self, by=by)

    def leontief_decomposition(
        self, *, post: Literal["exports", "output", "final_demand"] = "exports"
    ) -> pd.DataFrame:
        """Value added by source country-sector in exports, output or final demand.

        See :func:`coupling.inputoutput.exports.leontief_decomposition`.
        """
        from .exports import leontief_decomposition

        return leontief_decomposition(self, post=post)

    def gvc_participation(
        self,
        *,
        method: Literal["wang2017", "kpww"] = "wang2017",
        level: Literal["sector", "country"] = "sector",
        foreign: Literal["vs", "fva"] = "vs",
    ) -> pd.DataFrame:
        """GVC participation (and position): Wang et al. (2017) or Koopman et al. (2010).

        See :func:`coupling.inputoutput.participation.gvc_participation`.
        """
        from .participation import gvc_participation

        return gvc_participation(self, method=method, level=level, foreign=foreign)

    def production_length(self, *, level: Literal["sector", "country"] = "sector") -> pd.DataFrame:
        """Wang, Wei, Yu and Zhu (2017) production length, its segments and GVC position.

        See :func:`coupling.inputoutput.length.production_length`.
        """
        from .length import production_length

        return production_length(self, level=level)

    def upstreamness(self, *, level: Literal["sector", "country"] = "sector") -> pd.Series:
        """Antràs et al. (2012) upstreamness; see
        :func:`coupling.inputoutput.length.upstreamness`."""
        from .length import upstreamness

        return upstreamness(self, level=level)

    def downstreamness(self, *, level: Literal["sector", "country"] = "sector") -> pd.Series:
        """Downstreamness (total backward linkage); see
        :func:`coupling.inputoutput.length.downstreamness`."""
        from .length import downstreamness

        return downstreamness(self, level=level)

    def services_content(
        self,
        *,
        services: GroupSpec = "producer_services",
        exporters: GroupSpec = "manufacturing",
        level: Literal["sector", "country"] = "country",
    ) -> pd.DataFrame:
        """Domestic and foreign services value added in (manufacturing) exports.

        See :func:`coupling.inputoutput.participation.services_content`.
        """
        from .participation import services_content

        return services_content(self, services=services, exporters=exporters, level=level)

    # ------------------------------------------------------------ reshaping
    def national(self, country: str) -> IOTable:
        """One country's non-competitive national table cut from the world table.

        Domestic flows are the country's diagonal block; imported use is the sum over
        partner countries of the flows into it; final demand keeps its categories, and
        exports (``"EX"``) are everything the country's sectors sell abroad.
        """
        if country not in self.countries:
            raise IOTableError(
                f"{country!r} is not a country of the table ({format_items(list(self.countries))})."
            )
        G, N, K = len(self.countries), len(self.sectors), len(self.categories)
        c = self.countries.index(country)
        rows = slice(c * N, (c + 1) * N)
        Z4 = self._Z.reshape(G, N, G, N)
        domestic = Z4[c, :, c, :]
        imported = Z4[:, :, c, :].sum(0) - domestic
        Y = self._Y.reshape(G, N, G, K)
        final_dom = Y[c, :, c, :]
        final_imp = Y[:, :, c, :].sum(0) - final_dom
        exports = (
            Z4[c].sum(axis=(1, 2)) - domestic.sum(1) + Y[c].sum(axis=(1, 2)) - final_dom.sum(1)
        )
        categories = [*self.categories, "EX"]
        sectors = pd.Index(self.sectors, name="sector")

        def frame(values: np.ndarray, columns: Sequence[Hashable]) -> pd.DataFrame:
            return pd.DataFrame(values, index=sectors, columns=list(columns))

        return IOTable(
            frame(domestic, self.sectors),
            frame(np.column_stack([final_dom, exports]), categories),
            pd.Series(self._va[rows], index=sectors),
            output=pd.Series(self._x[rows], index=sectors),
            imported_intermediate=frame(imported, self.sectors),
            imported_final=frame(np.column_stack([final_imp, np.zeros(N)]), categories),
            exports="EX",
            year=self.year,
            unit=self.unit,
            classification=self.classification,
            zero_output="zero" if self.zero_output == "zero" else "raise",
            rtol=max(self.rtol, 1e-9),
            atol=self.atol * G * N,
        )

    def aggregate(
        self,
        *,
        sectors: Mapping[Hashable, Hashable] | pd.Series | None = None,
        countries: Mapping[Hashable, Hashable] | pd.Series | None = None,
    ) -> MRIOTable:
        """The table with sectors and/or countries merged (flows summed first).

        Parameters
        ----------
        sectors : mapping, optional
            ``{sector: group}`` for every sector, each exactly once.
        countries : mapping, optional
            ``{country: region}`` for every country, each exactly once.
        """
        G, N, K = len(self.countries), len(self.sectors), len(self.categories)
        Sc, cgroups = (
            group_matrix(countries, list(self.countries), "country")
            if countries is not None
            else (np.eye(G), list(self.countries))
        )
        Ss, sgroups = (
            group_matrix(sectors, list(self.sectors), "sector")
            if sectors is not None
            else (np.eye(N), list(self.sectors))
        )
        S = np.kron(Sc, Ss)
        Z = S @ self._Z @ S.T
        Y = np.einsum("gc,ack->agk", Sc, (S @ self._Y.reshape(G * N, -1)).reshape(-1, G, K))
        return MRIOTable.from_arrays(
            Z,
            Y.reshape(len(cgroups) * len(sgroups), -1),
            [str(c) for c in cgroups],
            [str(s) for s in sgroups],
            categories=list(self.categories),
            output=S @ self._x,
            year=self.year,
            unit=self.unit,
            classification="custom",
            zero_output=self.zero_output,
            rtol=self.rtol,
            atol=self.atol * G * N,
        )


def _country_sector_layout(index: pd.Index) -> tuple[list[str], list[str]]:
    """Countries and sectors of a country-major (country, sector) index, or an error."""
    if index.nlevels != 2:
        raise IOTableError(
            "An MRIO table needs a two-level (country, sector) index on its rows and columns; "
            f"found {index.nlevels} level(s). Use MRIOTable.from_arrays for plain arrays."
        )
    countries = list(dict.fromkeys(index.get_level_values(0)))
    sectors = list(dict.fromkeys(index.get_level_values(1)))
    expected = pd.MultiIndex.from_product([countries, sectors])
    if len(index) != len(expected) or not all(a == b for a, b in zip(index, expected)):
        first = next((k for k, (a, b) in enumerate(zip(index, expected)) if a != b), len(index))
        found = index[first] if first < len(index) else "the end of the rows"
        raise IOTableError(
            "The rows of an MRIO table must be country-major with the same sectors, in the "
            f"same order, for every country ({len(countries)} countries x {len(sectors)} "
            f"sectors = {len(expected)} rows; it has {len(index)}). The first row out of "
            f"place is number {first}: {found}."
        )
    return [str(c) for c in countries], [str(s) for s in sectors]
