"""Tests of coupling/inputoutput/readers.py: the NBS, WIOD and ICIO layouts.

The real files are in ``shared/data`` (china_nbs_io, wiod2016_chn_niot, wiod2013,
gvc_testtables; see each SOURCE.md); every expected number is read from the raw file with
pandas or numpy, beside the reader. Synthetic files in the same layouts are written to
``tmp_path`` (GBK CSV with Chinese headers, Excel with numeric codes, ICIO with split China,
WIOD .npz), so the readers are tested without the shared data too.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from coupling.exceptions import AccountingIdentityError, TableLayoutError, ZeroOutputError
from coupling.inputoutput import IOTable, MRIOTable, read_icio, read_io_table, read_wiod
from coupling.inputoutput.sectors import group_members
from tests.shared_data import shared_path

#: SECTORS.md section 2 and china_nbs_io/SOURCE.md: classification, sectors, competitive.
NBS_FILES = {
    "china_2002_122.csv": ("nbs2002_122", 122, True),
    "china_2005_42.csv": ("nbs2005_42", 42, True),
    "china_2007_135.csv": ("nbs2007_135", 135, True),
    "china_2010_41.csv": ("nbs2010_41", 41, True),
    "china_2012_139.csv": ("nbs2012_139", 139, True),
    "china_2015_42.csv": ("nbs2015_42", 42, True),
    "china_2017_149.csv": ("nbs2017_149", 149, True),
    "china_2017_42.csv": ("nbs2017_42", 42, False),
    "china_2018_153.csv": ("nbs2018_153", 153, True),
    "china_2018_42.csv": ("nbs2017_42", 42, False),
    "china_2020_153.csv": ("nbs2018_153", 153, True),
    "china_2020_42.csv": ("nbs2017_42", 42, False),
}
DETAILED_FINAL = ["FU101", "FU102", "FU103", "FU201", "FU202", "EX"]
WIOD_EMPTY = ["C33", "G45", "J58", "J59_J60", "K66", "M71", "M73", "T", "U"]  # SOURCE.md, (2)


# ------------------------------------------------------------------------------ NBS layout
@pytest.mark.parametrize("name", list(NBS_FILES))
def test_every_nbs_table(name):
    key, n, competitive = NBS_FILES[name]
    path = shared_path("china_nbs_io", name)
    table = read_io_table(path)
    raw = pd.read_csv(path, dtype={"Code": str})
    if not competitive:
        imported = raw[raw["Origin"] == "Imports"].set_index("Code")
        raw = raw[raw["Origin"].isin(["Domestic", "TOT"])]
    frame = raw.set_index("Code")
    codes = [c for c in frame.index if c.isdigit()]
    rows = frame.loc[codes]
    assert table.classification == key and len(codes) == n
    assert table.year == int(name.split("_")[1]) and table.unit == "万元"
    assert table.competitive is competitive
    assert list(table.sectors.index) == codes
    assert table.sectors["name_zh"].tolist() == rows["DescriptionInChinese"].str.strip().tolist()
    # Source: the NBS table itself (china_nbs_io): flows, output, value added as published
    np.testing.assert_allclose(table.output.to_numpy(), rows["GO"].to_numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(
        table.intermediate.to_numpy(), rows[codes].to_numpy(), rtol=0, atol=0
    )
    va = frame.loc[["VA001", "VA002", "VA003", "VA004"], codes]
    np.testing.assert_allclose(table.value_added.to_numpy(), va.to_numpy(), rtol=0, atol=0)
    final = table.final_demand
    # the detailed final-use columns, subtotals (THC, TC, GCF, TFU) left out where parts exist
    assert list(final.columns) == (
        DETAILED_FINAL if competitive else ["TC", "FU201", "FU202", "EX"]
    )
    if "TFU" in rows:  # the 2005 table has no total column
        np.testing.assert_allclose(
            final.sum(axis=1).to_numpy(), rows["TFU"].to_numpy(), rtol=1e-9, atol=1e-3
        )
    # the identities (NBS SOURCE.md: TI = GO to <= 7.2e-9 relative): columns ...
    inputs = rows[codes].sum(axis=0) + va.sum(axis=0)
    if not competitive:
        inputs = inputs + imported.loc[codes, codes].sum(axis=0)
        np.testing.assert_allclose(
            table.imported_intermediate.to_numpy(), imported.loc[codes, codes].to_numpy(),
            rtol=0, atol=0,
        )  # fmt: skip
    np.testing.assert_allclose(inputs.to_numpy(), table.output.to_numpy(), rtol=1e-6, atol=0)
    # ... and rows: Z 1 + F 1 (- IM + ERR) = x
    use = rows[codes].sum(axis=1) + final.sum(axis=1).to_numpy()
    if competitive:
        use = use - rows["IM"] + (rows["ERR"] if "ERR" in rows else 0.0)
    np.testing.assert_allclose(use.to_numpy(), table.output.to_numpy(), rtol=1e-6, atol=0)
    assert read_io_table(path, year=1999).year == 1999


def _nbs_frame(n: int, *, chinese: bool) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """A competitive table of n sectors in the NBS layout, and its arrays.

    Z_ij = 1 + (i + 2j) mod 5; final use FU101 = 40 + i, FU201 = 20, EX = 10 + 2i;
    IM = 5 for even i, 0 otherwise; GO = Z 1 + F 1 - IM; VA001 = 60 % of GO - 1'Z, VA002 the rest.
    """
    i = np.arange(n)
    Z = 1.0 + (i[:, None] + 2 * i[None, :]) % 5
    F = np.column_stack([40.0 + i, np.full(n, 20.0), 10.0 + 2 * i])
    IM = np.where(i % 2 == 0, 5.0, 0.0)
    GO = Z.sum(axis=1) + F.sum(axis=1) - IM
    va = GO - Z.sum(axis=0)
    VA = np.vstack([0.6 * va, 0.4 * va])
    width = len(str(n))
    codes = [f"{k + 1:0{width}d}" for k in range(n)] if n >= 10 else [f"0{k + 1}" for k in range(n)]
    code, name = ("代码", "部门名称") if chinese else ("Code", "DescriptionInChinese")
    header = [code, name, *codes, "TIU", "FU101", "FU201", "EX", "TFU", "IM", "GO"]
    body = [
        [c, f"部门{k + 1}", *Z[k], Z[k].sum(), *F[k], F[k].sum(), IM[k], GO[k]]
        for k, c in enumerate(codes)
    ]
    blank = [None] * 7
    body += [
        ["TII", "中间投入合计", *Z.sum(axis=0), *blank],
        ["VA001", "劳动者报酬", *VA[0], *blank],
        ["VA002", "生产税净额", *VA[1], *blank],
        ["TVA", "增加值合计", *VA.sum(axis=0), *blank],
        ["TI", "总投入", *GO, *blank],
    ]
    frame = pd.DataFrame(body, columns=header)
    return frame, {"Z": Z, "F": F, "IM": IM, "GO": GO, "VA": VA, "codes": np.array(codes)}


def _check_synthetic(table: IOTable, arrays: dict[str, np.ndarray]) -> None:
    codes = arrays["codes"].tolist()
    assert list(table.sectors.index) == codes and table.competitive
    assert table.sectors["name_zh"].tolist() == [f"部门{k + 1}" for k in range(len(codes))]
    assert list(table.final_demand.columns) == ["FU101", "FU201", "EX"]
    np.testing.assert_allclose(table.intermediate.to_numpy(), arrays["Z"], rtol=0, atol=0)
    np.testing.assert_allclose(table.final_demand.to_numpy(), arrays["F"], rtol=0, atol=0)
    np.testing.assert_allclose(table.output.to_numpy(), arrays["GO"], rtol=1e-15, atol=0)
    np.testing.assert_allclose(table.value_added.to_numpy(), arrays["VA"], rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), arrays["Z"] / arrays["GO"][None, :],
        rtol=1e-15, atol=0,
    )  # fmt: skip
    # m_i = IM_i / (Z row + F row - EX), by hand
    use = arrays["Z"].sum(axis=1) + arrays["F"][:, :2].sum(axis=1)
    np.testing.assert_allclose(
        table.technical_coefficients(kind="domestic").to_numpy(),
        (1 - arrays["IM"] / use)[:, None] * arrays["Z"] / arrays["GO"][None, :],
        rtol=1e-14, atol=0,
    )  # fmt: skip


def test_gbk_csv_with_chinese_headers(tmp_path):
    frame, arrays = _nbs_frame(3, chinese=True)
    path = tmp_path / "投入产出表2012.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")  # it really is GBK
    table = read_io_table(path)
    _check_synthetic(table, arrays)
    assert table.year == 2012 and table.classification is None


def test_excel_numeric_codes_are_padded(tmp_path):
    frame, arrays = _nbs_frame(12, chinese=False)
    # what Excel does to codes typed as 01 ... 12: numbers, in the code column and the header
    frame["Code"] = [int(c) if c.isdigit() else c for c in frame["Code"]]
    frame.columns = [int(c) if str(c).isdigit() else c for c in frame.columns]
    path = tmp_path / "table.xlsx"
    frame.to_excel(path, index=False)
    assert pd.read_excel(path).columns[2] == 1  # the header cell is a number
    table = read_io_table(path, year=2015)
    assert arrays["codes"][0] == "01"
    _check_synthetic(table, arrays)


def test_excel_copy_of_an_official_table(tmp_path):
    source = shared_path("china_nbs_io", "china_2017_42.csv")
    frame = pd.read_csv(source, dtype={"Code": str})
    frame["Code"] = [int(c) if c.isdigit() else c for c in frame["Code"]]
    frame.columns = [int(c) if c.isdigit() else c for c in frame.columns]
    path = tmp_path / "china_2017_42.xlsx"
    frame.to_excel(path, index=False)
    table, original = read_io_table(path), read_io_table(source)
    assert table.classification == "nbs2017_42" and list(table.sectors.index)[:2] == ["01", "02"]
    pd.testing.assert_frame_equal(
        table.technical_coefficients(kind="domestic"),
        original.technical_coefficients(kind="domestic"),
        rtol=1e-15,
        atol=0,
    )


def test_unknown_nbs_layouts(tmp_path):
    frame, _ = _nbs_frame(3, chinese=False)
    no_code = tmp_path / "no_code.csv"
    frame.rename(columns={"Code": "Item"}).to_csv(no_code, index=False)
    with pytest.raises(
        TableLayoutError, match=r"no_code\.csv: no code column; expected one of Code"
    ):
        read_io_table(no_code)
    missing_column = tmp_path / "missing_column.csv"
    frame.drop(columns=["02"]).to_csv(missing_column, index=False)
    with pytest.raises(TableLayoutError, match=r"must also head the columns.*missing for 02"):
        read_io_table(missing_column)
    no_output = tmp_path / "no_output.csv"
    frame.drop(columns=["GO"]).to_csv(no_output, index=False)
    with pytest.raises(TableLayoutError, match=r"expected a GO \(总产出\) column"):
        read_io_table(no_output)
    no_va = tmp_path / "no_va.csv"
    frame[~frame["Code"].isin(["VA001", "VA002", "TVA"])].to_csv(no_va, index=False)
    with pytest.raises(TableLayoutError, match="value-added rows VA001"):
        read_io_table(no_va)
    # a non-competitive table with an Origin column but no Imports rows
    origin = frame.assign(Origin=["Domestic"] * 3 + ["TOT"] * 5)
    origin_path = tmp_path / "origin.csv"
    origin.to_csv(origin_path, index=False)
    with pytest.raises(TableLayoutError, match="one Domestic and one Imports row per sector"):
        read_io_table(origin_path)


# ----------------------------------------------------------------------------- WIOD 2016
@pytest.fixture(scope="module")
def niot() -> dict[int, IOTable]:
    return read_wiod(shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv"), zero_output="drop")


def _raw_niot() -> pd.DataFrame:
    path = shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv")
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    frame = pd.DataFrame(rows[2:], columns=rows[0])  # line 2 holds descriptions
    return frame


def test_wiod_national_tables_all_years_drop_the_empty_industries(niot):
    assert sorted(niot) == list(range(2000, 2015))
    raw = _raw_niot()
    codes = raw.columns[4 : list(raw.columns).index("CONS_h")].tolist()
    for year, table in niot.items():
        assert isinstance(table, IOTable) and table.year == year and not table.competitive
        assert [c for c in codes if c not in table.sectors.index] == WIOD_EMPTY
        assert table.classification == "wiod2016_56" and table.unit == "USD million"
        assert list(table.final_demand.columns) == [
            "CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN", "EXP",
        ]  # fmt: skip
    # a group of the classification keeps only the sectors left: C33 is gone from manufacturing
    assert len(group_members(niot[2014], "manufacturing")) == 19 - 1
    # cells against the raw file (thousands separated by spaces), read by hand
    block = raw[raw["Year"] == "2014"].set_index(["Origin", "Code"])

    def number(text: str) -> float:
        return float(text.replace(" ", ""))

    table = niot[2014]
    assert table.intermediate.loc["A01", "C10-C12"] == number(
        block.loc[("Domestic", "A01"), "C10-C12"]
    )
    assert table.imported_intermediate.loc["C26", "C26"] == number(
        block.loc[("Imports", "C26"), "C26"]
    )
    assert table.output.loc["F"] == number(block.loc[("Domestic", "F"), "GO"])
    assert table.exports.loc["C26"] == number(block.loc[("Domestic", "C26"), "EXP"])
    assert table.sectors.loc["C26", "name_en"].startswith("Manufacture of computer")


def _inputs(table: IOTable) -> pd.Series:
    """Column totals 1'Z^D + 1'Z^M + 1'O + 1'V of a non-competitive table (O: the other
    inputs, WIOD's taxes and adjustments and, after a drop, the imported products without
    domestic output)."""
    other = table.other_inputs
    return (
        table.intermediate.sum(axis=0)
        + table.imported_intermediate.sum(axis=0)
        + table.value_added.sum(axis=0)
        + (0.0 if other is None else other.sum(axis=0))
    )


def test_wiod_national_tables_keep_their_identities_after_drop(niot):
    # WIOD 2016 SOURCE.md: integer-rounded, the column identity holds to <= 8 as published.
    # China imports products of its empty industries (G45: 2,466 in 2014): dropping the
    # industries must not lose those imported inputs from the column totals of the sectors
    # that use them. Two routes: the table with the industries kept at zero output.
    path = shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv")
    kept = read_wiod(path, year=2014, zero_output="zero")
    dropped = niot[2014]
    np.testing.assert_allclose(
        _inputs(dropped).to_numpy(), _inputs(kept).loc[dropped.sectors.index].to_numpy(),
        rtol=1e-12, atol=0,
    )  # fmt: skip
    for year, table in niot.items():
        np.testing.assert_allclose(
            _inputs(table).to_numpy(), table.output.to_numpy(), rtol=0, atol=table.atol,
            err_msg=str(year),
        )  # fmt: skip


def test_wiod_national_table_of_one_year_and_its_options():
    path = shared_path("wiod2016_chn_niot", "CHN_NIOT_nov16.csv")
    with pytest.raises(ZeroOutputError, match=r"9 sector\(s\) have zero gross output: C33, G45"):
        read_wiod(path, year=2014)
    kept = read_wiod(path, year=2014, zero_output="zero")
    assert isinstance(kept, IOTable) and kept.zero_sectors == WIOD_EMPTY
    assert kept.classification == "wiod2016_56" and len(kept.sectors) == 56
    # the rounded table: atol = 0.5 x (56 + 56 + 6 + 1) cells
    assert kept.atol == 59.5
    with pytest.raises(TableLayoutError, match="has the years 2000-2014, not 1999"):
        read_wiod(path, year=1999)
    with pytest.raises(
        TableLayoutError, match=r"not a WIOD national table.*missing Year, Code, Origin"
    ):
        read_wiod(shared_path("china_nbs_io", "china_2015_42.csv"))


# ----------------------------------------------------------------------------- WIOD 2013
def test_wiod_world_table_2011():
    path = shared_path("wiod2013", "wiot_2011.npz")
    table = read_wiod(path, zero_output="zero")
    with np.load(path) as data:
        Z, Y, published = data["Z"], data["Y"], data["output"]
        countries = [str(c) for c in data["countries"]]
    assert isinstance(table, MRIOTable) and table.year == 2011
    assert table.countries == tuple(countries) and len(countries) == 41
    assert table.sectors == tuple(f"c{i}" for i in range(1, 36))
    assert table.classification == "wiod2013_35"
    assert table.categories == ("households", "npish", "government", "gfcf", "inventories")
    # output = row sums; wiod2013 SOURCE.md: 20 cells with row sum 0 in 2011; two more
    # (LUX c5, c8) have row sums of -1, rounding noise within atol, hence zero output too
    rows = Z.sum(axis=1) + Y.sum(axis=1)
    assert (rows == 0).sum() == 20 and sorted(rows[rows < 0]) == [-1.0, -1.0]
    np.testing.assert_allclose(table.output.to_numpy(), np.maximum(rows, 0), rtol=0, atol=0)
    zero = [(countries[i // 35], f"c{i % 35 + 1}") for i in np.flatnonzero(rows <= 0)]
    assert table.zero_sectors == zero and ("LUX", "c5") in zero
    np.testing.assert_allclose(table.intermediate.to_numpy()[:5, :5], Z[:5, :5], rtol=0, atol=0)
    as_published = read_wiod(path, zero_output="zero", output="published")
    np.testing.assert_allclose(as_published.output.to_numpy(), published, rtol=0, atol=0)
    with pytest.raises(ZeroOutputError, match=r"22 sector\(s\).*AUS_c35"):
        read_wiod(path)
    with pytest.raises(TableLayoutError, match="'drop' is not available for a world table"):
        read_wiod(path, zero_output="drop")


def test_wiod_world_npz_synthetic(tmp_path):
    # two countries x two industries, five categories: Y (4 x 10)
    Z = np.array([[5.0, 1, 2, 0], [1, 4, 0, 2], [2, 0, 6, 1], [0, 1, 1, 3]])
    Y = np.arange(40.0).reshape(4, 10) % 7
    path = tmp_path / "wiot_2001.npz"
    np.savez(path, Z=Z, Y=Y, output=Z.sum(1) + Y.sum(1), countries=np.array(["AAA", "BBB"]),
             industries=np.array(["c1", "c2"]), year=np.array(2001))  # fmt: skip
    table = read_wiod(path)
    assert table.year == 2001 and table.countries == ("AAA", "BBB")
    np.testing.assert_allclose(
        table.technical_coefficients().to_numpy(), Z / (Z.sum(1) + Y.sum(1))[None, :],
        rtol=1e-15, atol=0,
    )  # fmt: skip
    np.testing.assert_allclose(
        table.final_demand.loc[("BBB", "c1"), ("AAA", "gfcf")], Y[2, 3], rtol=0, atol=0
    )
    broken = tmp_path / "wiot_2002.npz"
    np.savez(broken, Z=Z, Y=Y)
    with pytest.raises(TableLayoutError, match="missing output, countries, industries"):
        read_wiod(broken)


# ------------------------------------------------------------------------------------ ICIO
def test_icio_test_table_folds_china_and_mexico():
    path = shared_path("gvc_testtables", "iciotest_iot.csv")
    raw = pd.read_csv(path, index_col=0)
    table = read_icio(path)
    assert table.countries == ("ESP", "FRA", "MEX", "USA", "CHN", "ROW")
    assert table.sectors == ("01T09", "10T39", "41T98")
    assert table.categories == ("CONS", "INVST")
    Z, Y = table.intermediate, table.final_demand
    china = ["CHN_01T09", "CN1_01T09", "CN2_01T09"]  # CHN rows are zeros in this table
    assert (raw.loc["CHN_01T09"] == 0).all()
    # Source: exvatools 0.9.0 iciotest (gvc_testtables); CHN = CN1 + CN2, by hand with pandas
    np.testing.assert_allclose(
        Z.loc[("CHN", "01T09"), ("ESP", "01T09")],
        raw.loc["CN1_01T09", "ESP_01T09"] + raw.loc["CN2_01T09", "ESP_01T09"], rtol=1e-15, atol=0,
    )  # fmt: skip
    np.testing.assert_allclose(
        Z.loc[("ESP", "10T39"), ("CHN", "41T98")],
        raw.loc["ESP_10T39", ["CHN_41T98", "CN1_41T98", "CN2_41T98"]].sum(), rtol=1e-15, atol=0,
    )  # fmt: skip
    mexico_rows = ["MEX_10T39", "MX1_10T39", "MX2_10T39"]
    china_cols = ["CHN_10T39", "CN1_10T39", "CN2_10T39"]
    np.testing.assert_allclose(
        Z.loc[("MEX", "10T39"), ("CHN", "10T39")],
        raw.loc[mexico_rows, china_cols].to_numpy().sum(), rtol=1e-14, atol=0,
    )  # fmt: skip
    np.testing.assert_allclose(
        Y.loc[("CHN", "41T98"), ("USA", "CONS")],
        raw.loc["CN1_41T98", "USA_CONS"] + raw.loc["CN2_41T98", "USA_CONS"], rtol=1e-15, atol=0,
    )  # fmt: skip
    np.testing.assert_allclose(
        table.output.loc[("CHN", "01T09")], raw.loc[china].to_numpy().sum(), rtol=1e-14, atol=0
    )
    np.testing.assert_allclose(table.output.sum(), raw.to_numpy().sum(), rtol=1e-14, atol=0)
    assert table.year is None


def _icio_csv(path, *, out_shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """A folded world of CHN and USA x sectors A, B, written with China split 30/70 into
    CN1 and CN2 (rows and intermediate columns), with VA and OUT rows."""
    Z = np.array([[4.0, 2, 1, 3], [1, 5, 2, 2], [3, 1, 6, 1], [2, 2, 1, 4]])
    Y = np.array([[20.0, 5], [15, 4], [3, 25], [2, 30]])  # CHN_HFCE, USA_HFCE
    split = {"CHN": [("CN1", 0.3), ("CN2", 0.7)], "USA": [("USA", 1.0)]}
    labels = [(c, s) for c in ("CHN", "USA") for s in ("A", "B")]
    rows = [(f"{p}_{s}", k, share) for k, (c, s) in enumerate(labels) for p, share in split[c]]
    names = [r[0] for r in rows]
    body = np.array(
        [[Z[k, m] * sk * sm for _, m, sm in rows] + list(Y[k] * sk) for _, k, sk in rows]
    )
    frame = pd.DataFrame(body, index=names, columns=[*names, "CHN_HFCE", "USA_HFCE"])
    out = frame.sum(axis=1)
    frame.loc["VA"] = [*(out.to_numpy() - frame.iloc[:, : len(names)].sum(axis=0)), 0, 0]
    frame.loc["OUT"] = [*(out.to_numpy() + out_shift), 0, 0]
    frame.index.name = "row"
    frame.to_csv(path)
    return Z, Y


def test_icio_synthetic_split_china(tmp_path):
    path = tmp_path / "icio_2018.csv"
    Z, Y = _icio_csv(path)
    table = read_icio(path)
    assert table.countries == ("CHN", "USA") and table.sectors == ("A", "B")
    assert table.year == 2018 and table.categories == ("HFCE",)
    np.testing.assert_allclose(table.intermediate.to_numpy(), Z, rtol=1e-14, atol=0)
    np.testing.assert_allclose(table.final_demand.to_numpy(), Y, rtol=1e-14, atol=0)
    np.testing.assert_allclose(
        table.output.to_numpy(), Z.sum(axis=1) + Y.sum(axis=1), rtol=1e-14, atol=0
    )
    wrong = tmp_path / "icio_wrong.csv"
    _icio_csv(wrong, out_shift=1.0)
    with pytest.raises(AccountingIdentityError, match=r"published output \(OUT row\)"):
        read_icio(wrong)


def test_icio_unknown_layouts(tmp_path):
    plain = tmp_path / "plain.csv"
    pd.DataFrame({"a": [1.0, 2.0]}, index=pd.Index(["x", "y"], name="row")).to_csv(plain)
    with pytest.raises(TableLayoutError, match=r"no rows labelled <country>_<sector>.*x, y"):
        read_icio(plain)
    no_final = tmp_path / "no_final.csv"
    labels = ["CHN_A", "USA_A"]
    pd.DataFrame(np.eye(2), index=pd.Index(labels, name="row"), columns=labels).to_csv(no_final)
    with pytest.raises(TableLayoutError, match="found 2 and 0"):
        read_icio(no_final)
