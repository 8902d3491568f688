"""Tests of coupling/inputoutput/tables.py: IOTable and MRIOTable, their checks and reshaping.

Expected values come from Miller and Blair (2009), hand-worked examples (arithmetic in the
comments), the official NBS 2017 tables (the 42-sector table against the 149-sector one
aggregated by a mapping written out here), pymrio 0.7.0 (reference/pymrio_test_*.csv, made by
reference/pymrio_reference.py) and numpy computations on the raw arrays.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coupling.exceptions import (
    AccountingIdentityError,
    InvalidOptionError,
    IOTableError,
    SectorMappingError,
    ZeroOutputError,
)
from coupling.inputoutput import IOTable, MRIOTable
from tests.shared_data import shared_path

REFERENCE = Path(__file__).with_name("reference")


def frame(values, labels, columns=None) -> pd.DataFrame:
    return pd.DataFrame(
        np.asarray(values, dtype=float), index=list(labels), columns=list(columns or labels)
    )


# --------------------------------------------------------------------------- Miller and Blair
def miller_blair() -> IOTable:
    """Miller and Blair (2009), Input-Output Analysis, 2nd ed., Table 2.3."""
    Z = frame([[150, 500], [200, 100]], ["1", "2"])
    F = frame([[350], [1700]], ["1", "2"], ["final"])
    # value added = output - column sums of Z: 1000 - 350 = 650, 2000 - 600 = 1400
    V = pd.Series([650.0, 1400.0], index=["1", "2"])
    return IOTable(Z, F, V, exports=None)


def test_miller_blair_table_2_3():
    table = miller_blair()
    # Source: Miller and Blair (2009), section 2.3, Table 2.3 and the printed A and L.
    np.testing.assert_allclose(table.output.to_numpy(), [1000.0, 2000.0], rtol=0, atol=1e-12)
    # a_ij = z_ij / x_j: 150/1000, 500/2000; 200/1000, 100/2000
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), [[0.15, 0.25], [0.20, 0.05]], rtol=0, atol=1e-15
    )
    # L as printed, 4 decimals: half a unit of the last digit
    np.testing.assert_allclose(
        table.leontief().to_numpy(), [[1.2541, 0.3300], [0.2640, 1.1221]], rtol=0, atol=5e-5
    )
    # exactly: det(I - A) = 0.85 * 0.95 - 0.25 * 0.20 = 0.7575; L = adj(I - A) / det
    exact = np.array([[0.95, 0.25], [0.20, 0.85]]) / 0.7575
    np.testing.assert_allclose(table.leontief().to_numpy(), exact, rtol=1e-14, atol=0)
    # L x-check: L f = x (f = final demand 350, 1700)
    np.testing.assert_allclose(
        table.leontief().to_numpy() @ [350.0, 1700.0], [1000.0, 2000.0], rtol=1e-13, atol=0
    )
    assert table.competitive and table.exports is None and table.classification is None


# ------------------------------------------------------- competitive and non-competitive tables
def competitive() -> IOTable:
    """Two sectors, imports as a column (NBS layout).

    rows:    a: Z 20 + 30 = 50, FU 60, EX 10, IM 20 -> x_a = 50 + 70 - 20 = 100
             b: Z 10 + 40 = 50, FU 130, EX 20, IM 0  -> x_b = 50 + 150 = 200
    columns: a: 20 + 10 = 30 + VA 70 = 100;  b: 30 + 40 = 70 + VA 130 = 200
    """
    Z = frame([[20, 30], [10, 40]], "ab")
    F = frame([[60, 10], [130, 20]], "ab", ["FU", "EX"])
    V = frame([[40, 100], [30, 30]], ["VA001", "VA002"], "ab")
    imports = pd.Series([20.0, 0.0], index=list("ab"))
    return IOTable(Z, F, V, imports=imports)


def test_competitive_domestic_coefficients_by_import_shares():
    table = competitive()
    # total: a_ij = z_ij / x_j = [[20/100, 30/200], [10/100, 40/200]]
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), [[0.2, 0.15], [0.1, 0.2]], rtol=0, atol=1e-15
    )
    # m_a = IM_a / (Z row + F row - EX) = 20 / (50 + 70 - 10) = 2/11; m_b = 0 / ... = 0
    # domestic a_ij = (1 - m_i) a_ij: row a times 9/11, row b unchanged
    expected = [[0.2 * 9 / 11, 0.15 * 9 / 11], [0.1, 0.2]]
    np.testing.assert_allclose(
        table.technical_coefficients(kind="domestic").to_numpy(), expected, rtol=1e-14, atol=0
    )
    np.testing.assert_allclose(table.output.to_numpy(), [100.0, 200.0], rtol=0, atol=1e-12)
    assert table.exports.tolist() == [10.0, 20.0]
    assert repr(table) == "<IOTable: 2 sectors, competitive>"


def test_competitive_statistical_discrepancy_closes_the_row_identity():
    # sector b: Z 50 + FU 125 + EX 20 - IM 0 + ERR 5 = 200
    Z = frame([[20, 30], [10, 40]], "ab")
    F = frame([[60, 10], [125, 20]], "ab", ["FU", "EX"])
    V = pd.Series([70.0, 130.0], index=list("ab"))
    imports = pd.Series([20.0, 0.0], index=list("ab"))
    other = pd.Series([0.0, 5.0], index=list("ab"))
    table = IOTable(Z, F, V, imports=imports, discrepancy=other)
    np.testing.assert_allclose(table.output.to_numpy(), [100.0, 200.0], rtol=0, atol=1e-12)
    with pytest.raises(AccountingIdentityError, match=r"row \(use of output\).*b: 195"):
        IOTable(Z, F, V, imports=imports)


def test_domestic_coefficients_of_a_competitive_table_need_imports_and_exports():
    Z = frame([[20, 30], [10, 40]], "ab")
    V = pd.Series([70.0, 130.0], index=list("ab"))
    no_imports = IOTable(Z, frame([[50, 0], [150, 0]], "ab", ["FU", "EX"]), V)
    with pytest.raises(IOTableError, match=r"need its imports \(imports=\)"):
        no_imports.technical_coefficients(kind="domestic")
    no_exports = IOTable(
        Z, frame([[70], [150]], "ab", ["FU"]), V,
        imports=pd.Series([20.0, 0.0], index=list("ab")), exports=None,
    )  # fmt: skip
    with pytest.raises(IOTableError, match="need its exports"):
        no_exports.technical_coefficients(kind="domestic")
    with pytest.raises(IOTableError, match="no exports column 'EX'"):
        IOTable(Z, frame([[70], [150]], "ab", ["FU"]), V)
    with pytest.raises(InvalidOptionError, match="kind='imported' is not supported"):
        no_imports.technical_coefficients(kind="imported")


def test_imports_without_domestic_use_have_no_share():
    # b: Z row 0 + FU 0 + EX 200 = 200 sold, all exported; domestic use 0 but IM 5 (ERR +5)
    Z = frame([[20, 0], [0, 0]], "ab")
    F = frame([[80, 0], [0, 200]], "ab", ["FU", "EX"])
    V = pd.Series([80.0, 200.0], index=list("ab"))
    table = IOTable(
        Z, F, V, imports=pd.Series([0.0, 5.0], index=list("ab")),
        discrepancy=pd.Series([0.0, 5.0], index=list("ab")),
    )  # fmt: skip
    with pytest.raises(IOTableError, match="Imports without domestic use in b"):
        table.technical_coefficients(kind="domestic")


def noncompetitive() -> IOTable:
    """Two sectors, imported use in rows.

    rows (domestic): a: 10 + 20 + FU 60 + EX 10 = 100;  b: 5 + 30 + FU 150 + EX 15 = 200
    columns: a: Z^D 10 + 5, Z^M 2 + 3, VA 80 -> 100;  b: Z^D 20 + 30, Z^M 4 + 6, VA 140 -> 200
    """
    return IOTable(
        frame([[10, 20], [5, 30]], "ab"),
        frame([[60, 10], [150, 15]], "ab", ["FU", "EX"]),
        pd.Series([80.0, 140.0], index=list("ab")),
        imported_intermediate=frame([[2, 4], [3, 6]], "ab"),
        imported_final=frame([[7, 0], [9, 0]], "ab", ["FU", "EX"]),
    )


def test_noncompetitive_domestic_and_total_coefficients():
    table = noncompetitive()
    assert not table.competitive
    # domestic: Z^D / x = [[10/100, 20/200], [5/100, 30/200]]
    np.testing.assert_allclose(
        table.technical_coefficients(kind="domestic").to_numpy(),
        [[0.1, 0.1], [0.05, 0.15]], rtol=0, atol=1e-15,
    )  # fmt: skip
    # total: (Z^D + Z^M) / x = [[12/100, 24/200], [8/100, 36/200]]
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), [[0.12, 0.12], [0.08, 0.18]], rtol=0, atol=1e-15
    )
    assert repr(table) == "<IOTable: 2 sectors, non-competitive>"


def test_noncompetitive_table_needs_both_imported_parts_and_no_import_column():
    Z, F = frame([[10, 20], [5, 30]], "ab"), frame([[60, 10], [150, 15]], "ab", ["FU", "EX"])
    V = pd.Series([80.0, 140.0], index=list("ab"))
    with pytest.raises(IOTableError, match="needs both imported_intermediate and imported_final"):
        IOTable(Z, F, V, imported_intermediate=frame([[2, 4], [3, 6]], "ab"))
    with pytest.raises(IOTableError, match="imports= is the import column of a competitive"):
        IOTable(
            Z, F, V, imported_intermediate=frame([[2, 4], [3, 6]], "ab"),
            imported_final=frame([[0, 0], [0, 0]], "ab", ["FU", "EX"]),
            imports=pd.Series([1.0, 1.0], index=list("ab")),
        )  # fmt: skip
    with pytest.raises(IOTableError, match="imported_final must have the categories"):
        IOTable(
            Z, F, V, imported_intermediate=frame([[2, 4], [3, 6]], "ab"),
            imported_final=frame([[0, 0], [0, 0]], "ab", ["EX", "FU"]),
        )  # fmt: skip


# ----------------------------------------------------- the official NBS 2017 tables, 149 -> 42
#: The 149 products of the 2017 benchmark table in the 42 of the 2017 42-sector table, derived
#: by hand from the Chinese names (DescriptionInChinese) of both files.
RANGES_149_TO_42 = {
    "01": (1, 5),  # 农产品 ... 农、林、牧、渔服务产品 -> 农林牧渔产品和服务
    "02": (6, 6),  # 煤炭开采和洗选产品 -> 煤炭采选产品
    "03": (7, 7),  # 石油和天然气开采产品
    "04": (8, 9),  # 黑色、有色金属矿采选产品 -> 金属矿采选产品
    "05": (10, 11),  # 非金属矿采选产品, 开采辅助活动和其他采矿产品
    "06": (12, 26),  # 谷物磨制品 ... 烟草制品 -> 食品和烟草
    "07": (27, 31),  # 棉、化纤纺织 ... 纺织制成品 -> 纺织品
    "08": (32, 34),  # 纺织服装服饰, 皮革毛皮羽毛, 鞋
    "09": (35, 36),  # 木材加工..., 家具
    "10": (37, 40),  # 造纸和纸制品, 印刷, 工艺美术品, 文教体育和娱乐用品
    "11": (41, 42),  # 精炼石油和核燃料加工品, 煤炭加工品
    "12": (43, 53),  # 基础化学原料 ... 塑料制品 -> 化学产品
    "13": (54, 60),  # 水泥、石灰和石膏 ... 石墨及其他非金属矿物制品
    "14": (61, 65),  # 钢 ... 有色金属压延加工品
    "15": (66, 66),  # 金属制品
    "16": (67, 72),  # 锅炉及原动设备 ... 其他通用设备
    "17": (73, 76),  # 采矿、冶金、建筑专用设备 ... 其他专用设备
    "18": (77, 81),  # 汽车整车 ... 其他交通运输设备
    "19": (82, 87),  # 电机 ... 其他电气机械和器材
    "20": (88, 93),  # 计算机 ... 其他电子设备
    "21": (94, 94),  # 仪器仪表
    "22": (95, 96),  # 其他制造产品, 废弃资源和废旧材料回收加工品
    "23": (97, 97),  # 金属制品、机械和设备修理服务
    "24": (98, 98),  # 电力、热力生产和供应
    "25": (99, 99),  # 燃气生产和供应
    "26": (100, 100),  # 水的生产和供应
    "27": (101, 104),  # 房屋建筑 ... 建筑装饰、装修和其他建筑服务 -> 建筑
    "28": (105, 106),  # 批发, 零售
    "29": (107, 118),  # 铁路旅客运输 ... 邮政 -> 交通运输、仓储和邮政
    "30": (119, 120),  # 住宿, 餐饮
    "31": (121, 125),  # 电信 ... 信息技术服务
    "32": (126, 128),  # 货币金融, 资本市场, 保险 -> 金融
    "33": (129, 129),  # 房地产
    "34": (130, 131),  # 租赁, 商务服务
    "35": (132, 132),  # 研究和试验发展
    "36": (133, 134),  # 专业技术服务, 科技推广和应用服务 -> 综合技术服务
    "37": (135, 137),  # 水利管理, 生态保护和环境治理, 公共设施及土地管理
    "38": (138, 139),  # 居民服务, 其他服务
    "39": (140, 140),  # 教育
    "40": (141, 142),  # 卫生, 社会工作
    "41": (143, 147),  # 新闻和出版 ... 娱乐 -> 文化、体育和娱乐
    "42": (148, 149),  # 社会保障, 公共管理和社会组织
}
MAP_149_TO_42 = {
    f"{code:03d}": group
    for group, (lo, hi) in RANGES_149_TO_42.items()
    for code in range(lo, hi + 1)
}


def _raw_nbs(name: str) -> pd.DataFrame:
    return pd.read_csv(shared_path("china_nbs_io", name), dtype={"Code": str})


@pytest.fixture(scope="module")
def nbs2017():
    """The two official 2017 tables: raw frames and IOTables."""
    from coupling.inputoutput import read_io_table

    raw149, raw42 = _raw_nbs("china_2017_149.csv"), _raw_nbs("china_2017_42.csv")
    return {
        "raw149": raw149,
        "raw42": raw42,
        "t149": read_io_table(shared_path("china_nbs_io", "china_2017_149.csv")),
        "t42": read_io_table(shared_path("china_nbs_io", "china_2017_42.csv")),
    }


def test_mapping_149_to_42_is_complete_and_adds_up_outputs(nbs2017):
    assert sorted(MAP_149_TO_42) == [f"{i:03d}" for i in range(1, 150)]
    raw149, raw42 = nbs2017["raw149"], nbs2017["raw42"]
    go149 = raw149[raw149["Code"].str.isdigit()].set_index("Code")["GO"]
    domestic42 = raw42[(raw42["Origin"] == "Domestic") & raw42["Code"].str.isdigit()]
    go42 = domestic42.set_index("Code")["GO"]
    summed = go149.groupby(MAP_149_TO_42).sum()
    # Source: NBS 2017 tables (china_nbs_io); the 42 outputs are sums of the 149 outputs.
    np.testing.assert_allclose(summed.loc[go42.index], go42, rtol=1e-13, atol=0)


def test_aggregated_149_table_reproduces_the_official_42_table(nbs2017):
    raw42, t149, t42 = nbs2017["raw42"], nbs2017["t149"], nbs2017["t42"]
    codes = [f"{i:02d}" for i in range(1, 43)]
    rows = raw42.set_index(["Origin", "Code"])
    domestic, imported = rows.loc["Domestic"].loc[codes], rows.loc["Imports"].loc[codes]
    go = domestic["GO"].to_numpy()
    # The official 42 table by hand: total A = (Z^D + Z^M) / x, domestic A = Z^D / x.
    total42 = (domestic[codes].to_numpy() + imported[codes].to_numpy()) / go[None, :]
    domestic42 = domestic[codes].to_numpy() / go[None, :]

    aggregated = t149.aggregate(MAP_149_TO_42)
    assert list(aggregated.sectors.index) == codes and aggregated.classification == "custom"
    # Source: NBS 2017 149- and 42-sector tables; the same flows, so equal to rounding.
    np.testing.assert_allclose(aggregated.output.to_numpy(), go, rtol=1e-13, atol=0)
    np.testing.assert_allclose(
        aggregated.technical_coefficients().to_numpy(), total42, rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(t42.technical_coefficients().to_numpy(), total42, rtol=0, atol=1e-15)
    np.testing.assert_allclose(
        t42.technical_coefficients(kind="domestic").to_numpy(), domestic42, rtol=0, atol=1e-15
    )


def test_proportionality_assumption_against_the_official_domestic_coefficients(nbs2017):
    raw149, t149, t42 = nbs2017["raw149"], nbs2017["t149"], nbs2017["t42"]
    rows = raw149[raw149["Code"].str.isdigit()].set_index("Code")
    codes149 = list(rows.index)
    final = ["FU101", "FU102", "FU103", "FU201", "FU202", "EX"]  # the detailed final-use columns
    group = rows.index.map(MAP_149_TO_42)
    Z = rows[codes149].groupby(group).sum().T.groupby(group).sum().T
    use = Z.sum(axis=1) + rows[final].groupby(group).sum().sum(axis=1)
    exports, imports = rows["EX"].groupby(group).sum(), rows["IM"].groupby(group).sum()
    x = rows["GO"].groupby(group).sum()
    # Miller and Blair (2009), section 2.6: m_i = IM_i / (domestic use of i, exports excluded);
    # domestic A = (1 - m_i) z_ij / x_j, by hand on the aggregated flows
    share = imports / (use - exports)
    by_hand = (1.0 - share.to_numpy())[:, None] * Z.to_numpy() / x.to_numpy()[None, :]
    aggregated = t149.aggregate(MAP_149_TO_42)
    np.testing.assert_allclose(
        aggregated.technical_coefficients(kind="domestic").to_numpy(), by_hand, rtol=0, atol=1e-12
    )
    gap = aggregated.technical_coefficients(kind="domestic") - t42.technical_coefficients(
        kind="domestic"
    )
    worst = gap.abs().stack().idxmax()
    # Recorded: the proportionality assumption misses the official domestic coefficient by
    # 0.0719 at most, in 20 通信设备、计算机和其他电子设备 used by itself (imported chips).
    np.testing.assert_allclose(gap.abs().to_numpy().max(), 0.07193, rtol=0, atol=5e-5)
    assert worst == ("20", "20")


# ------------------------------------------------------------------------- pymrio reference
def _pymrio(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"pymrio_test_{name}.csv", index_col=["region", "sector"])


def test_pymrio_reference_A_L_ghosh():
    # Source: pymrio 0.7.0, load_test().calc_all(include_ghosh=True) (pymrio_reference.py).
    x = _pymrio("x")["indout"]
    A, L, G = _pymrio("A"), _pymrio("L"), _pymrio("G")
    regions = list(dict.fromkeys(x.index.get_level_values("region")))
    sectors = list(dict.fromkeys(x.index.get_level_values("sector")))
    assert [tuple(c.split(":")) for c in A.columns] == list(A.index) == list(x.index)
    # flows rebuilt from pymrio's output: Z = A diag(x); final demand x - Z 1, in the own region
    xv = x.to_numpy()
    Z = A.to_numpy() * xv[None, :]
    final = xv - Z.sum(axis=1)
    N = len(sectors)
    Y = np.zeros((len(xv), len(regions)))
    for r in range(len(regions)):
        Y[r * N : (r + 1) * N, r] = final[r * N : (r + 1) * N]
    table = MRIOTable.from_arrays(Z, Y, regions, sectors, output=xv)
    assert list(table.index) == list(x.index)
    for got, expected in (
        (table.technical_coefficients(), A),
        (table.leontief(), L),
        (table.ghosh(), G),
    ):
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-10, atol=0)


# --------------------------------------------------------------------------------- MRIOTable
COUNTRIES, SECTORS, CATEGORIES = ["A", "B", "C"], ["s", "t"], ["cons", "inv"]


def world() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three countries x two sectors, two final-demand categories, positive deterministic flows."""
    index = pd.MultiIndex.from_product([COUNTRIES, SECTORS], names=["country", "sector"])
    columns = pd.MultiIndex.from_product([COUNTRIES, CATEGORIES], names=["country", "category"])
    Z = pd.DataFrame(
        (np.arange(36.0).reshape(6, 6) % 7 + 1) * 3, index=index, columns=index
    )  # 3 .. 21
    Y = pd.DataFrame((np.arange(36.0).reshape(6, 6) % 5 + 2) * 10, index=index, columns=columns)
    return Z, Y


def test_mrio_identities_and_coefficients_by_numpy():
    Z, Y = world()
    table = MRIOTable(Z, Y, year=2020)
    x = Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1)  # output = row sums
    np.testing.assert_allclose(table.output.to_numpy(), x, rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        table.value_added.to_numpy(), x - Z.to_numpy().sum(axis=0), rtol=1e-15, atol=0
    )
    A = Z.to_numpy() / x[None, :]
    np.testing.assert_allclose(table.technical_coefficients().to_numpy(), A, rtol=1e-15, atol=0)
    L = np.linalg.inv(np.eye(6) - A)
    np.testing.assert_allclose(table.leontief().to_numpy(), L, rtol=1e-12, atol=0)
    H = Z.to_numpy() / x[:, None]
    np.testing.assert_allclose(
        table.ghosh().to_numpy(), np.linalg.inv(np.eye(6) - H), rtol=1e-12, atol=0
    )
    assert table.countries == ("A", "B", "C") and table.categories == ("cons", "inv")
    assert repr(table) == "<MRIOTable 2020: 3 countries x 2 sectors>"
    assert table.classification is None and table.zero_sectors == []


def test_mrio_matches_flows_by_label():
    Z, Y = world()
    order = [5, 0, 3, 1, 4, 2]
    shuffled = MRIOTable(Z.iloc[:, order], Y.iloc[order, ::-1])
    pd.testing.assert_frame_equal(
        shuffled.technical_coefficients(), MRIOTable(Z, Y).technical_coefficients()
    )


def test_mrio_layout_errors():
    Z, Y = world()
    sector_major = pd.MultiIndex.from_product([SECTORS, COUNTRIES]).swaplevel()
    with pytest.raises(IOTableError, match=r"must be country-major.*number 1: \('B', 's'\)"):
        MRIOTable(Z.reindex(index=sector_major, columns=sector_major), Y.reindex(sector_major))
    with pytest.raises(IOTableError, match="same categories for every destination"):
        MRIOTable(Z, Y.drop(columns=[("C", "inv")]))
    with pytest.raises(IOTableError, match="destination countries that are not rows"):
        MRIOTable(Z, Y.rename(columns={"C": "D"}, level=0))
    with pytest.raises(IOTableError, match="two-level"):
        MRIOTable(frame(np.ones((2, 2)), "ab"), Y)
    with pytest.raises(IOTableError, match=r"\(destination country, category\) MultiIndex"):
        MRIOTable(Z, pd.DataFrame(Y.to_numpy(), index=Y.index))
    with pytest.raises(IOTableError, match="intermediate must be 6 x 6"):
        MRIOTable.from_arrays(np.ones((4, 4)), np.ones((6, 3)), COUNTRIES, SECTORS)
    with pytest.raises(IOTableError, match="a multiple of 3 columns"):
        MRIOTable.from_arrays(np.ones((6, 6)), np.ones((6, 4)), COUNTRIES, SECTORS)
    with pytest.raises(InvalidOptionError, match="zero_output='drop' is not supported"):
        MRIOTable(Z, Y, zero_output="drop")


def test_mrio_identity_failure_names_the_country_sector():
    Z, Y = world()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    x.loc[("B", "t")] += 1.0
    with pytest.raises(AccountingIdentityError, match=r"row \(use of output\).*B_t"):
        MRIOTable(Z, Y, output=x)
    # value added that closes the columns on the shifted output; with the true output
    # the row identity holds and the column identity fails at B_t by 1
    va = x - Z.sum(axis=0)
    x_ok = Z.sum(axis=1) + Y.sum(axis=1)
    with pytest.raises(AccountingIdentityError, match=r"column \(inputs\).*B_t"):
        MRIOTable(Z, Y, value_added=va, output=x_ok)


def test_national_table_cut_from_the_world_table():
    Z, Y = world()
    table = MRIOTable(Z, Y)
    cut = table.national("B")
    assert isinstance(cut, IOTable) and not cut.competitive
    z = Z.to_numpy()
    x = z.sum(axis=1) + Y.to_numpy().sum(axis=1)
    rows = slice(2, 4)  # B's sectors
    # domestic block, imported use summed over partners A and C, exports = sales abroad
    np.testing.assert_allclose(cut.intermediate.to_numpy(), z[rows, rows], rtol=0, atol=0)
    imported = z[0:2, rows] + z[4:6, rows]
    np.testing.assert_allclose(cut.imported_intermediate.to_numpy(), imported, rtol=0, atol=1e-12)
    abroad = z[rows, 0:2].sum(axis=1) + z[rows, 4:6].sum(axis=1)
    abroad += Y.loc["B", ["A", "C"]].to_numpy().sum(axis=1)
    np.testing.assert_allclose(cut.exports.to_numpy(), abroad, rtol=1e-14, atol=0)
    np.testing.assert_allclose(cut.output.to_numpy(), x[rows], rtol=1e-15, atol=0)
    # identities of the national table: Z^D 1 + F^D 1 = x and 1'Z^D + 1'Z^M + 1'V = x'
    np.testing.assert_allclose(
        cut.intermediate.sum(axis=1) + cut.final_demand.sum(axis=1), x[rows], rtol=1e-14, atol=0
    )
    np.testing.assert_allclose(
        cut.intermediate.sum(axis=0)
        + cut.imported_intermediate.sum(axis=0)
        + cut.value_added.sum(axis=0),
        x[rows], rtol=1e-14, atol=0,
    )  # fmt: skip
    # domestic coefficients = the diagonal block of the world A; total = the column sums of A
    world_A = table.technical_coefficients().to_numpy()
    np.testing.assert_allclose(
        cut.technical_coefficients(kind="domestic").to_numpy(), world_A[rows, rows], rtol=1e-15,
        atol=0,
    )  # fmt: skip
    np.testing.assert_allclose(
        cut.technical_coefficients().to_numpy().sum(axis=0),
        world_A[:, rows].sum(axis=0), rtol=1e-14, atol=0,
    )  # fmt: skip
    assert list(cut.final_demand.columns) == ["cons", "inv", "EX"]
    with pytest.raises(IOTableError, match="'D' is not a country"):
        table.national("D")


def test_mrio_aggregate_sectors_and_countries_by_hand():
    Z, Y = world()
    table = MRIOTable(Z, Y)
    countries = {"A": "AB", "B": "AB", "C": "C"}
    sectors = {"s": "all", "t": "all"}
    merged = table.aggregate(sectors=sectors, countries=countries)
    assert merged.countries == ("AB", "C") and merged.sectors == ("all",)
    # by hand: sum the labelled flows over the groups of both axes with pandas
    key = pd.Index([countries[c] for c, _ in Z.index])
    by_hand = Z.groupby(key).sum().T.groupby(key).sum().T
    np.testing.assert_allclose(merged.intermediate.to_numpy(), by_hand.to_numpy(), rtol=0, atol=0)
    final = Y.groupby(key).sum().T.groupby(level="category", sort=False).sum().T  # all dest.
    fd = merged.final_demand
    np.testing.assert_allclose(
        fd.T.groupby(level="category", sort=False).sum().T.to_numpy(), final.to_numpy(),
        rtol=0, atol=0,
    )  # fmt: skip
    # final demand of group AB's products bought by destination AB = destinations A + B
    np.testing.assert_allclose(
        fd.loc[("AB", "all"), ("AB", "cons")],
        Y.loc[["A", "B"], [("A", "cons"), ("B", "cons")]].to_numpy().sum(),
        rtol=0, atol=0,
    )  # fmt: skip
    x = by_hand.sum(axis=1) + final.sum(axis=1)
    np.testing.assert_allclose(
        merged.technical_coefficients().to_numpy(),
        by_hand.to_numpy() / x.to_numpy()[None, :], rtol=1e-15, atol=0,
    )  # fmt: skip
    only_sectors = table.aggregate(sectors={"s": "g1", "t": "g1"})
    assert only_sectors.countries == ("A", "B", "C") and only_sectors.classification == "custom"
    with pytest.raises(SectorMappingError, match="unassigned C"):
        table.aggregate(countries={"A": "AB", "B": "AB"})


def test_mrio_zero_output_raise_and_zero():
    Z, Y = world()
    Z.loc[("C", "t"), :] = 0.0
    Z.loc[:, ("C", "t")] = 0.0
    Y.loc[("C", "t"), :] = 0.0
    with pytest.raises(ZeroOutputError, match=r"1 sector\(s\) have zero gross output: C_t"):
        MRIOTable(Z, Y)
    table = MRIOTable(Z, Y, zero_output="zero")
    assert table.zero_sectors == [("C", "t")]
    A = table.technical_coefficients()
    assert (A[("C", "t")] == 0).all()
    G = table.ghosh().to_numpy()
    assert G[5, 5] == 1.0 and (np.delete(G[5], 5) == 0).all() and (np.delete(G[:, 5], 5) == 0).all()


def test_mrio_inputs_are_not_modified():
    Z, Y = world()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    before = copy.deepcopy((Z, Y, x))
    table = MRIOTable(Z, Y, output=x)
    table.leontief(), table.ghosh(), table.national("A")
    table.aggregate(countries=dict.fromkeys(COUNTRIES, "W"))
    for now, then in zip((Z, Y, x), before):
        assert now.equals(then)
    Z.iloc[0, 0] = 1e6
    assert table.intermediate.iloc[0, 0] == before[0].iloc[0, 0]


# --------------------------------------------------------------------------- zero output
def with_empty_sector(**options) -> IOTable:
    """a, b as in the 2 x 2 example; c with no flows at all.

    a: Z 10 + 5 + EX 25 = 40, column 10 + 4 + VA 26 = 40;
    b: Z 4 + 8 + EX 38 = 50,  column 5 + 8 + VA 37 = 50.
    """
    Z = frame([[10, 5, 0], [4, 8, 0], [0, 0, 0]], "abc")
    F = frame([[25], [38], [0]], "abc", ["EX"])
    return IOTable(Z, F, pd.Series([26.0, 37.0, 0.0], index=list("abc")), **options)


def test_zero_output_raise_drop_zero():
    with pytest.raises(ZeroOutputError, match=r"1 sector\(s\) have zero gross output: c.*'drop'"):
        with_empty_sector()
    # A of a, b: [[10/40, 5/50], [4/40, 8/50]] = [[0.25, 0.1], [0.1, 0.16]]
    expected = np.array([[0.25, 0.1], [0.1, 0.16]])
    dropped = with_empty_sector(zero_output="drop")
    assert list(dropped.sectors.index) == ["a", "b"] and dropped.zero_sectors == []
    np.testing.assert_allclose(
        dropped.technical_coefficients().to_numpy(), expected, rtol=0, atol=1e-15
    )
    kept = with_empty_sector(zero_output="zero")
    assert kept.zero_sectors == ["c"]
    A = kept.technical_coefficients().to_numpy()
    np.testing.assert_allclose(A[:2, :2], expected, rtol=0, atol=1e-15)
    assert (A[:, 2] == 0).all() and (A[2] == 0).all()
    H = kept.allocation_coefficients().to_numpy()
    assert (H[2] == 0).all()
    # the empty sector is a unit in both inverses and leaves the others as in the dropped table
    for full, small in ((kept.leontief(), dropped.leontief()), (kept.ghosh(), dropped.ghosh())):
        np.testing.assert_allclose(full.to_numpy()[:2, :2], small.to_numpy(), rtol=1e-14, atol=0)
        np.testing.assert_allclose(full.to_numpy()[2], [0, 0, 1], rtol=0, atol=0)
        np.testing.assert_allclose(full.to_numpy()[:, 2], [0, 0, 1], rtol=0, atol=0)
    with pytest.raises(InvalidOptionError, match="zero_output='keep' is not supported"):
        with_empty_sector(zero_output="keep")


def test_drop_refuses_a_zero_output_sector_with_flows():
    # c sells 2 to a (a: 10 + 5 + 0 + EX 25 = 40; column a: 10 + 4 + 2 + VA 24 = 40);
    # c: row 2 + 0 + 0 + EX -2 = 0, column 0 -> output 0 with flows
    Z = frame([[10, 5, 0], [4, 8, 0], [2, 0, 0]], "abc")
    F = frame([[25], [38], [-2]], "abc", ["EX"])
    V = pd.Series([24.0, 37.0, 0.0], index=list("abc"))
    with pytest.raises(IOTableError, match="without domestic flows, but c have zero output"):
        IOTable(Z, F, V, zero_output="drop")
    assert IOTable(Z, F, V, zero_output="zero").zero_sectors == ["c"]


def test_drop_keeps_the_identities_of_a_noncompetitive_table():
    """An empty domestic sector whose imported product is used by the others (WIOD: China's
    C33, G45...). Dropping it must not give a table whose column identity fails: either
    refuse or keep the imported inputs of the remaining sectors."""
    # a: Z^D 10 + 5, F 25 -> 40; column a: Z^D 10 + 4, Z^M 1 + 2 + 3 (c!) + VA 20 = 40
    # b: Z^D 4 + 8, F 38 -> 50; column b: Z^D 5 + 8, Z^M 1 + 1 + 4 (c!) + VA 31 = 50
    Z = frame([[10, 5, 0], [4, 8, 0], [0, 0, 0]], "abc")
    F = frame([[25], [38], [0]], "abc", ["EX"])
    Zm = frame([[1, 1, 0], [2, 1, 0], [3, 4, 0]], "abc")
    Fm = frame([[0], [0], [6]], "abc", ["EX"])
    V = pd.Series([20.0, 31.0, 0.0], index=list("abc"))
    options = dict(imported_intermediate=Zm, imported_final=Fm)
    full = IOTable(Z, F, V, zero_output="zero", **options)
    np.testing.assert_allclose(
        full.technical_coefficients().to_numpy().sum(axis=0)[:2],
        [(14 + 6) / 40, (13 + 6) / 50], rtol=1e-15, atol=0,
    )  # fmt: skip
    try:
        dropped = IOTable(Z, F, V, zero_output="drop", **options)
    except IOTableError as error:
        assert "c" in str(error)
        return
    # the imports of c (3 and 4) stay in the inputs of a and b, as an other input
    other = dropped.other_inputs
    assert list(other.index) == ["imported products without domestic output"]
    np.testing.assert_array_equal(other.to_numpy(), [[3.0, 4.0]])
    inputs = (
        dropped.intermediate.sum(axis=0)
        + dropped.imported_intermediate.sum(axis=0)
        + dropped.value_added.sum(axis=0)
        + other.sum(axis=0)
    )
    np.testing.assert_allclose(inputs.to_numpy(), dropped.output.to_numpy(), rtol=1e-12, atol=0)
    assert dropped.dropped_sectors == ["c"]


def test_negative_output_and_rounding_noise():
    # c: a rounded table where c's row sums to -0.4 (an inventory change) and its column to 0
    Z = frame([[10, 5, 0], [4, 8, 0], [0, 0, 0]], "abc")
    V = pd.Series([26.0, 37.0, 0.0], index=list("abc"))
    F = frame([[25, 0], [38, 0], [0, -0.4]], "abc", ["EX", "INV"])
    output = pd.Series([40.0, 50.0, -0.4], index=list("abc"))
    kept = IOTable(Z, F, V, output=output, atol=0.5, zero_output="zero")
    assert kept.zero_sectors == ["c"] and kept.output["c"] == 0.0
    with pytest.raises(ZeroOutputError, match="zero gross output: c"):
        IOTable(Z, F, V, output=output, atol=0.5)
    with pytest.raises(
        IOTableError, match=r"Gross output is negative in 1 sector\(s\): c \(-0.4\)"
    ):
        IOTable(Z, F, V, output=output, atol=0.1, zero_output="zero")
    # and far below zero: c's row -3 and column -3 (negative value added)
    F3 = frame([[25, 0], [38, 0], [0, -3]], "abc", ["EX", "INV"])
    V3 = pd.Series([26.0, 37.0, -3.0], index=list("abc"))
    with pytest.raises(IOTableError, match=r"negative in 1 sector\(s\): c \(-3\)"):
        IOTable(Z, F3, V3, zero_output="zero")


def test_accounting_identity_failures_name_the_sector():
    Z = frame([[10, 5], [4, 8]], "ab")
    V = pd.Series([26.0, 37.0], index=list("ab"))
    with pytest.raises(
        AccountingIdentityError,
        match=r"row \(use of output\) identity fails in 1 sector\(s\).*b: 51 vs output 50",
    ):
        IOTable(Z, frame([[25], [39]], "ab", ["EX"]), V)
    with pytest.raises(AccountingIdentityError, match=r"column \(inputs\).*a: 40 vs output 41"):
        IOTable(
            Z,
            frame([[26], [38]], "ab", ["EX"]),
            V,
            output=pd.Series([41.0, 50.0], index=["a", "b"]),
        )
    # within the stated tolerance: a row off by 1 passes with atol=1 (|51 - 50| <= 1)
    IOTable(
        Z,
        frame([[25], [39]], "ab", ["EX"]),
        V,
        output=pd.Series([40.0, 50.0], index=["a", "b"]),
        atol=1.0,
    )


def test_shapes_labels_and_numbers_are_checked():
    Z = frame([[10, 5], [4, 8]], "ab")
    F = frame([[25], [38]], "ab", ["EX"])
    V = pd.Series([26.0, 37.0], index=list("ab"))
    with pytest.raises(IOTableError, match=r"must be square.*2 rows and 3 columns"):
        IOTable(frame(np.ones((2, 3)), "ab", "abc"), F, V)
    with pytest.raises(IOTableError, match=r"name different sectors.*without a column b.*row c"):
        IOTable(frame([[10, 5], [4, 8]], "ab", "ac"), F, V)
    with pytest.raises(IOTableError, match="duplicated row labels: a"):
        IOTable(frame([[10, 5], [4, 8]], "aa"), F, V)
    with pytest.raises(
        IOTableError, match=r"final_demand does not have one row per sector.*missing b"
    ):
        IOTable(Z, F.loc[["a"]], V)
    with pytest.raises(IOTableError, match="value_added does not have one column per sector"):
        IOTable(Z, F, pd.Series([26.0, 37.0], index=["a", "x"]))
    with pytest.raises(IOTableError, match="final_demand must be a DataFrame"):
        IOTable(Z, F["EX"], V)
    with pytest.raises(IOTableError, match="intermediate must be a DataFrame"):
        IOTable(Z.to_numpy(), F, V)
    text = Z.astype(object)
    text.loc["a", "b"] = "5 (est.)"
    with pytest.raises(IOTableError, match=r"intermediate has 1 missing or non-numeric.*\(a, b\)"):
        IOTable(text, F, V)
    gap = F.copy()
    gap.loc["b", "EX"] = np.nan
    with pytest.raises(IOTableError, match=r"final_demand has 1 missing.*\(b, EX\)"):
        IOTable(Z, gap, V)


def test_flows_are_matched_by_label_not_position():
    table = competitive()
    Z = frame([[40, 10], [30, 20]], "ba")  # the same flows, rows and columns in order b, a
    F = frame([[130, 20], [60, 10]], "ba", ["FU", "EX"])
    V = frame([[30, 30], [100, 40]], ["VA002", "VA001"], "ba")
    shuffled = IOTable(Z, F, V, imports=pd.Series([0.0, 20.0], index=list("ba")))
    pd.testing.assert_frame_equal(
        shuffled.technical_coefficients(kind="domestic").loc[list("ab"), list("ab")],
        table.technical_coefficients(kind="domestic"),
        check_index_type=False,
    )


def test_nothing_passed_in_is_modified():
    Z = frame([[20, 30], [10, 40]], "ab")
    F = frame([[60, 10], [130, 20]], "ab", ["FU", "EX"])
    V = frame([[40, 100], [30, 30]], ["VA001", "VA002"], "ab")
    imports = pd.Series([20.0, 0.0], index=list("ab"))
    names = {"a": "甲", "b": "乙"}
    before = copy.deepcopy((Z, F, V, imports, names))
    table = IOTable(Z, F, V, imports=imports, names_zh=names)
    for kind in ("total", "domestic"):
        table.leontief(kind=kind), table.ghosh(kind=kind), table.linkages(kind=kind)
    table.aggregate({"a": "g", "b": "g"})
    for now, then in zip((Z, F, V, imports), before[:4]):
        assert now.equals(then)
    assert names == before[4]
    # and the table does not change when the caller's frames do
    Z.loc["a", "a"] = 999.0
    assert table.intermediate.loc["a", "a"] == 20.0
    # nor when its own outputs are changed
    out = table.technical_coefficients()
    out.loc["a", "a"] = 5.0
    assert table.technical_coefficients().loc["a", "a"] == 0.2


def test_accessors_labels_and_aggregate_names():
    table = IOTable(
        frame([[20, 30], [10, 40]], "ab"), frame([[60, 10], [130, 20]], "ab", ["FU", "EX"]),
        frame([[40, 100], [30, 30]], ["VA001", "VA002"], "ab"),
        imports=pd.Series([20.0, 0.0], index=list("ab")), names_zh={"a": "甲"}, year=2020,
        unit="万元",
    )  # fmt: skip
    assert table.sectors["name_zh"].tolist() == ["甲", "b"]
    assert table.sectors["name_en"].tolist() == ["a", "b"]
    assert list(table.value_added.index) == ["VA001", "VA002"]
    assert table.year == 2020 and table.unit == "万元"
    assert repr(table) == "<IOTable 2020: 2 sectors, competitive>"
    merged = table.aggregate({"a": "all", "b": "all"}, names_zh={"all": "全部"})
    assert merged.sectors.loc["all", "name_zh"] == "全部" and merged.year == 2020
    # flows summed: Z 100, final FU 190, EX 30, imports 20 -> x = 100 + 220 - 20 = 300
    np.testing.assert_allclose(merged.output.to_numpy(), [300.0], rtol=0, atol=0)
    np.testing.assert_allclose(
        merged.technical_coefficients(kind="domestic").to_numpy(),
        # m = 20 / (100 + 190) ; a = 100 / 300
        [[(1 - 20 / 290) * 100 / 300]], rtol=1e-14, atol=0,
    )  # fmt: skip
    with pytest.raises(SectorMappingError, match="more than once"):
        table.aggregate(pd.Series(["g", "g", "h"], index=["a", "b", "a"]))
    with pytest.raises(SectorMappingError, match="not in the table z"):
        table.aggregate({"a": "g", "b": "g", "z": "h"})
    with pytest.raises(SectorMappingError, match="gives no group"):
        table.aggregate({"a": "g", "b": None})


# ------------------------------------------------------------------------- property tests
@st.composite
def random_table(draw, max_n: int = 6):
    n = draw(st.integers(2, max_n))
    Z = draw(arrays(np.float64, (n, n), elements=st.floats(0.1, 100.0)))
    F = draw(arrays(np.float64, (n, 2), elements=st.floats(1.0, 500.0)))
    groups = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return Z, F, groups


def _build(Z: np.ndarray, F: np.ndarray) -> IOTable:
    n = Z.shape[0]
    labels = [f"s{i}" for i in range(n)]
    x = Z.sum(axis=1) + F.sum(axis=1)
    value_added = pd.Series(x - Z.sum(axis=0), index=labels)  # may be negative; allowed
    return IOTable(
        pd.DataFrame(Z, index=labels, columns=labels),
        pd.DataFrame(F, index=labels, columns=["FU", "EX"]),
        value_added,
        rtol=1e-9,
    )


@settings(max_examples=30, deadline=None)
@given(random_table())
def test_aggregation_sums_flows_property(data):
    Z, F, groups = data
    table = _build(Z, F)
    mapping = {f"s{i}": f"g{g}" for i, g in enumerate(groups)}
    merged = table.aggregate(mapping)
    order = list(dict.fromkeys(f"g{g}" for g in groups))
    S = np.array([[1.0 if f"g{g}" == group else 0.0 for g in groups] for group in order])
    x = Z.sum(axis=1) + F.sum(axis=1)
    np.testing.assert_allclose(
        merged.technical_coefficients().to_numpy(), (S @ Z @ S.T) / (S @ x)[None, :],
        rtol=1e-12, atol=1e-15,
    )  # fmt: skip
    assert list(merged.sectors.index) == order


@settings(max_examples=30, deadline=None)
@given(random_table())
def test_ghosh_is_similar_to_leontief_property(data):
    Z, F, _ = data
    table = _build(Z, F)
    x = table.output.to_numpy()
    L = table.leontief().to_numpy()
    # Miller and Blair (2009), eq. 12.10: G = diag(x)^-1 L diag(x)
    np.testing.assert_allclose(
        table.ghosh().to_numpy(), L * x[None, :] / x[:, None], rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        L, np.linalg.inv(np.eye(len(x)) - Z / x[None, :]), rtol=1e-9, atol=1e-12
    )
