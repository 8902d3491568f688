"""Tests of coupling/app/files.py: reading and writing Chinese researchers' data files."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from coupling.app import files
from coupling.app.files import FileReadError, FileWriteError, TableSource, read_table, write_csv
from spatial._core.errors import LiangyeError

TEXT = '省份,年份,产值\n内蒙古,2020,"1,234"\n广西壮族自治区,2021,567\n'
EXPECTED = pd.DataFrame(
    {"省份": ["内蒙古", "广西壮族自治区"], "年份": [2020, 2021], "产值": [1234.0, 567.0]}
)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------------- encodings


def test_gb18030_file_is_detected(tmp_path):
    path = _write(tmp_path, "gdp.csv", TEXT.encode("gb18030"))
    frame, source = read_table(path)
    pd.testing.assert_frame_equal(frame, EXPECTED)
    assert source == TableSource(
        path=path,
        format="csv",
        encoding="gb18030",
        sheet=None,
        thousands_columns=("产值",),
        notes=source.notes,
    )
    assert "read as GB18030 (detected)" in source.notes


def test_gbk_text_is_not_utf8():
    # the premise of trying UTF-8 first: GBK/GB18030 Chinese fails UTF-8 decoding
    with pytest.raises(UnicodeDecodeError):
        TEXT.encode("gbk").decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        "内蒙古自治区".encode("gb2312").decode("utf-8")


@pytest.mark.parametrize(
    ("codec", "used", "note"),
    [
        ("utf-8", "utf-8", "read as UTF-8 (detected)"),
        ("utf-8-sig", "utf-8-sig", "read as UTF-8 with byte-order mark (detected)"),
    ],
)
def test_utf8_with_and_without_bom(tmp_path, codec, used, note):
    path = _write(tmp_path, "gdp.csv", TEXT.encode(codec))
    frame, source = read_table(path)
    pd.testing.assert_frame_equal(frame, EXPECTED)
    assert source.encoding == used
    assert note in source.notes
    assert list(frame.columns) == ["省份", "年份", "产值"]  # no BOM in the first name


def test_utf8_that_also_decodes_as_gb18030_stays_utf8(tmp_path):
    # these UTF-8 bytes are also valid GB18030 (as mojibake): UTF-8 must win
    data = "地区,年份\n浙江,2020\n".encode()
    assert data.decode("gb18030") == "鍦板尯,骞翠唤\n娴欐睙,2020\n"
    frame, source = read_table(_write(tmp_path, "a.csv", data))
    assert source.encoding == "utf-8"
    assert frame.to_dict("list") == {"地区": ["浙江"], "年份": [2020]}


def test_utf16_with_bom(tmp_path):
    path = _write(tmp_path, "unicode.txt", "省份\t年份\n北京\t2020\n".encode("utf-16"))
    frame, source = read_table(path)
    assert source.encoding == "utf-16"
    assert "read as tab-separated" in source.notes
    assert frame.to_dict("list") == {"省份": ["北京"], "年份": [2020]}


def test_tab_separated(tmp_path):
    text = "省份\t年份\t产值\n内蒙古\t2020\t1,234\n广西壮族自治区\t2021\t567\n"
    path = _write(tmp_path, "gdp.tsv", text.encode("gb18030"))
    frame, source = read_table(path)
    pd.testing.assert_frame_equal(frame, EXPECTED)
    assert source.format == "csv"
    assert "read as tab-separated" in source.notes


@pytest.mark.parametrize("sep", [",", "\t"])
def test_txt_separator_from_first_line(tmp_path, sep):
    path = _write(tmp_path, "a.txt", f"省份{sep}年份\n北京{sep}2020\n".encode())
    frame, _ = read_table(path)
    assert list(frame.columns) == ["省份", "年份"]


def test_forced_big5(tmp_path):
    text = '縣市,年份,產值\n臺北市,2020,"1,000"\n高雄市,2020,200\n'
    path = _write(tmp_path, "tw.csv", text.encode("big5"))
    frame, source = read_table(path, encoding="big5")
    assert frame["縣市"].tolist() == ["臺北市", "高雄市"]
    assert frame["產值"].tolist() == [1000.0, 200.0]
    assert source.encoding == "big5"
    assert "read as big5 (given)" in source.notes


def test_big5_read_as_gb18030_is_flagged(tmp_path):
    # Big5 byte pairs are valid GB18030: detection succeeds but warns
    text = "縣市,年份,產值\n臺北市,2020,100\n高雄市,2020,200\n"
    _, source = read_table(_write(tmp_path, "tw.csv", text.encode("big5")))
    assert source.encoding == "gb18030"
    assert "--encoding big5" in source.notes[0]
    _, plain = read_table(_write(tmp_path, "cn.csv", TEXT.encode("gb18030")))
    assert "big5" not in plain.notes[0]


def test_forced_wrong_encoding_suggests_the_right_one(tmp_path):
    path = _write(tmp_path, "gdp.csv", TEXT.encode("gb18030"))
    with pytest.raises(
        FileReadError,
        match=r"cannot decode .*gdp\.csv as utf-8: invalid byte\(s\) 0x[0-9a-f]{2} at byte \d+ "
        r"\(line 1\); the whole file decodes as gb18030: pass --encoding gb18030 or leave it",
    ):
        read_table(path, encoding="utf-8")
    tw = _write(tmp_path, "tw.csv", "縣市,產值\n臺北市,1\n高雄市,2\n".encode("big5"))
    with pytest.raises(FileReadError, match=r"as ascii: .*pass --encoding big5$"):
        read_table(tw, encoding="ascii")


def test_unknown_encoding(tmp_path):
    path = _write(tmp_path, "gdp.csv", TEXT.encode())
    with pytest.raises(FileReadError, match=r"unknown encoding 'gbkk': use e\.g\. utf-8-sig"):
        read_table(path, encoding="gbkk")


def test_utf16_without_bom_fails_both(tmp_path):
    path = _write(tmp_path, "u16.csv", TEXT.encode("utf-16-le"))
    with pytest.raises(FileReadError) as caught:
        read_table(path)
    message = str(caught.value)
    assert "\n" not in message
    assert isinstance(caught.value, LiangyeError)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(
        FileReadError,
        match=r"cannot decode .*u16\.csv: tried UTF-8 \(invalid byte\(s\) 0x[0-9a-f]{2} at byte "
        r"\d+ \(line 1\)\) and GB18030 \(NUL byte at byte \d+ \(line 1\), as in UTF-16 .*\); "
        r"pass --encoding ENC .*--encoding big5",
    ):
        read_table(path)
    frame, _ = read_table(path, encoding="utf-16-le")
    pd.testing.assert_frame_equal(frame, EXPECTED)


def test_random_high_bytes_fail_both(tmp_path):
    path = _write(tmp_path, "bad.csv", b"a,b\n1,\x80\xff\n")
    with pytest.raises(
        FileReadError,
        match=r"tried UTF-8 \(invalid byte\(s\) 0x80 at byte 6 \(line 2\)\) and GB18030 "
        r"\(invalid byte\(s\) 0x80 at byte 6 \(line 2\)\); pass --encoding ENC",
    ):
        read_table(path)


def test_damaged_utf8_is_not_read_as_gb18030(tmp_path):
    data = "省份,年份\n北京,2020\n天津,2021\n".encode() + b"\xb1\xb1,2022\n"
    path = _write(tmp_path, "mixed.csv", data)
    assert data.decode("gb18030")  # would "work", as mojibake
    with pytest.raises(
        FileReadError,
        match=r"reads as UTF-8 \(8 Chinese characters\) up to invalid byte\(s\) 0xb1 at byte "
        r"\d+ \(line 4\), so it is damaged or mixes encodings",
    ):
        read_table(path)


# ----------------------------------------------------------------- text numbers


def test_thousands_separators_converted(tmp_path):
    text = (
        "省份,年份,产值,增速,人口,混合,代码\n"
        '北京,2020,"1,234","12,345.6"," -1,000 ",1,110000\n'
        '上海,2021,"-1,000",,NA,x,310000\n'
        '天津,2022,"1,234,567",3.5,"2,000",2,120000\n'
    )
    frame, source = read_table(_write(tmp_path, "a.csv", text.encode("gb18030")))
    assert frame["产值"].tolist() == [1234.0, -1000.0, 1234567.0]
    assert frame["增速"].iloc[0] == 12345.6
    assert np.isnan(frame["增速"].iloc[1])
    assert frame["人口"].iloc[0] == -1000.0
    assert np.isnan(frame["人口"].iloc[1])
    assert frame["产值"].dtype == np.float64
    assert source.thousands_columns == ("产值", "增速", "人口")
    assert any("产值, 增速, 人口" in note for note in source.notes)
    # a column mixing numbers and text stays text, for the validator to report
    assert frame["混合"].tolist() == ["1", "x", "2"]
    assert frame["代码"].tolist() == [110000, 310000, 120000]


def test_badly_grouped_numbers_stay_text(tmp_path):
    # "1,5" may be a decimal comma: not a thousands separator
    text = '省份,值\n北京,"1,5"\n上海,"1,234"\n'
    frame, source = read_table(_write(tmp_path, "a.csv", text.encode()))
    assert frame["值"].tolist() == ["1,5", "1,234"]
    assert source.thousands_columns == ()


def test_full_width_digits(tmp_path):
    text = "省份,产值,年份\n北京,１，２３４．５,２０２０\n上海,　６７８　,２０２１\n"
    frame, source = read_table(_write(tmp_path, "a.csv", text.encode("gb18030")))
    assert frame["产值"].tolist() == [1234.5, 678.0]
    assert frame["年份"].tolist() == [2020.0, 2021.0]
    assert source.thousands_columns == ("产值", "年份")


# ------------------------------------------------------------------- column names


def test_column_names_stripped_and_reported(tmp_path):
    text = "\u3000省份 ,\t年份,产值\u3000\n北京,2020,1\n"
    frame, source = read_table(_write(tmp_path, "a.csv", text.encode("gb18030")))
    assert list(frame.columns) == ["省份", "年份", "产值"]
    assert any(note.startswith("removed surrounding spaces") for note in source.notes)


def test_bom_leaked_into_first_name(tmp_path):
    # a byte-order mark written twice (a tool adding one to text that had one): pandas
    # drops one, the other stays in the first name unless stripped
    path = _write(tmp_path, "a.csv", codecs.BOM_UTF8 + TEXT.encode("utf-8-sig"))
    frame, source = read_table(path, encoding="utf-8")
    assert list(frame.columns) == ["省份", "年份", "产值"]
    assert any("'\\ufeff省份'" in note for note in source.notes)


def test_clean_names_are_not_reported(tmp_path):
    _, source = read_table(_write(tmp_path, "a.csv", TEXT.encode()))
    assert not any("removed" in note for note in source.notes)


@pytest.mark.parametrize("header", ["省份,年份,省份", "省份,年份, 省份\u3000"])
def test_duplicate_column_names(tmp_path, header):
    path = _write(tmp_path, "a.csv", f"{header}\n北京,2020,1\n".encode())
    with pytest.raises(
        FileReadError,
        match=r"duplicate column names after removing surrounding spaces: '省份' "
        r"\(columns 1, 3\): rename them",
    ):
        read_table(path)


# ------------------------------------------------------------------ file problems


def test_missing_file(tmp_path):
    with pytest.raises(FileReadError, match=r"file not found: .*nope\.csv \(looked in "):
        read_table(tmp_path / "nope.csv")


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "data.csv").mkdir()
    with pytest.raises(FileReadError, match=r"data\.csv: it is a folder, not a file"):
        read_table(tmp_path / "data.csv")


@pytest.mark.parametrize("data", [b"", b"\n\n", codecs.BOM_UTF8 + b"\r\n"])
def test_empty_file(tmp_path, data):
    path = _write(tmp_path, "empty.csv", data)
    with pytest.raises(FileReadError, match=r"empty\.csv: the file is empty"):
        read_table(path)


def test_unsupported_suffix(tmp_path):
    path = _write(tmp_path, "data.json", b"{}")
    with pytest.raises(
        FileReadError,
        match=r"unsupported file type \('\.json'\); supported are \.csv, \.tsv, \.txt, \.xlsx, "
        r"\.xls",
    ):
        read_table(path)
    with pytest.raises(FileReadError, match=r"unsupported file type \(no file ending\)"):
        read_table(_write(tmp_path, "data", b"a\n1\n"))


def test_parse_error_names_the_line(tmp_path):
    path = _write(tmp_path, "a.csv", "省份,年份,产值\n北京,2020,1\n\n上海,2021,1,234\n".encode())
    with pytest.raises(
        FileReadError,
        match=r"cannot parse .*a\.csv: line 4 has 4 fields where the lines before have 3: "
        r"quote cells that contain a comma",
    ):
        read_table(path)


def test_unclosed_quote(tmp_path):
    path = _write(tmp_path, "a.csv", '省份,年份\n北京,"2020\n上海,2021\n'.encode())
    with pytest.raises(FileReadError, match=r"a quoted cell opened on line 2 is never closed"):
        read_table(path)


def test_sheet_ignored_for_csv(tmp_path):
    _, source = read_table(_write(tmp_path, "a.csv", TEXT.encode()), sheet=1)
    assert "sheet 1 ignored: a.csv is a text file, not a workbook" in source.notes


# ------------------------------------------------------------------------- Excel


@pytest.fixture
def workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    first = book.active
    first.title = "产值数据"
    first.append([" 省份", "年份", "产值", "备注"])
    first.append(["内蒙古", 2020, "1,234", "估计"])
    first.append(["广西", 2021, 567, None])
    first.append(["西藏", 2022, "１２，３４５.６", "NA"])
    second = book.create_sheet("人口")
    second.append(["省份", "人口"])
    second.append(["北京", "2,189"])
    path = tmp_path / "统计.xlsx"
    book.save(path)
    return path


def test_xlsx_first_sheet(workbook):
    frame, source = read_table(workbook)
    assert list(frame.columns) == ["省份", "年份", "产值", "备注"]
    assert frame["省份"].tolist() == ["内蒙古", "广西", "西藏"]
    assert frame["产值"].tolist() == [1234.0, 567.0, 12345.6]
    assert frame["备注"].iloc[0] == "估计"
    assert frame["备注"].iloc[1:].isna().all()
    assert source.format == "xlsx"
    assert source.encoding is None
    assert source.sheet == "产值数据"
    assert source.thousands_columns == ("产值",)
    assert "read sheet '产值数据' of 2" in source.notes


@pytest.mark.parametrize("sheet", ["人口", 1, " 人口 "])
def test_xlsx_second_sheet(workbook, sheet):
    frame, source = read_table(workbook, sheet=sheet)
    assert source.sheet == "人口"
    assert frame.to_dict("list") == {"省份": ["北京"], "人口": [2189.0]}


@pytest.mark.parametrize(
    ("sheet", "pattern"),
    [
        ("GDP", r"no sheet named 'GDP'; the sheets are 0: '产值数据', 1: '人口': pass --sheet"),
        (2, r"no sheet number 2 \(counting from 0\); the sheets are 0: '产值数据', 1: '人口'"),
        (-1, r"no sheet number -1 \(counting from 0\)"),
    ],
)
def test_xlsx_unknown_sheet(workbook, sheet, pattern):
    with pytest.raises(FileReadError, match=pattern):
        read_table(workbook, sheet=sheet)


def test_xlsx_encoding_ignored(workbook):
    _, source = read_table(workbook, encoding="gbk")
    assert "encoding 'gbk' ignored: Excel workbooks carry their own" in source.notes


def test_xlsx_duplicate_names(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["省份", "省份\u3000", "年份"])
    book.active.append(["北京", "北京", 2020])
    book.save(tmp_path / "dup.xlsx")
    with pytest.raises(FileReadError, match=r"duplicate column names .*'省份' \(columns 1, 2\)"):
        read_table(tmp_path / "dup.xlsx")


def test_xlsx_empty_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "空"
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(FileReadError, match=r"sheet '空' of .*: the sheet is empty"):
        read_table(tmp_path / "empty.xlsx")


def test_html_saved_as_xls(tmp_path):
    path = _write(tmp_path, "export.xls", "<html><table><tr><td>省份</td></tr></table>".encode())
    with pytest.raises(
        FileReadError, match=r"the file is a web page \(HTML\) saved with an Excel ending: open it"
    ):
        read_table(path)


def test_csv_named_xlsx(tmp_path):
    path = _write(tmp_path, "data.xlsx", TEXT.encode())
    with pytest.raises(FileReadError, match=r"the file is text, not an Excel workbook: .*\.csv"):
        read_table(path)


def test_damaged_xlsx(tmp_path):
    path = _write(tmp_path, "bad.xlsx", b"PK\x03\x04 not really a zip file")
    with pytest.raises(FileReadError, match=r"cannot read .*bad\.xlsx as an xlsx workbook: .*save"):
        read_table(path)


def test_xls_goes_to_xlrd(tmp_path, monkeypatch):
    """Without an .xls writer: the OLE2 signature routes the file to the xlrd engine."""
    path = _write(tmp_path, "old.xls", files._OLE2_MAGIC + b"\x00" * 504)
    engines = []

    class FakeBook:
        sheet_names = ("表1",)

        def __init__(self, file, engine):
            engines.append(engine)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    def fake_read_excel(book, sheet_name, header=0, nrows=None):
        assert sheet_name == "表1"
        if header is None:
            return pd.DataFrame([["省份", "产值"]])
        return pd.DataFrame({"省份": ["北京"], "产值": ["1,234"]})

    monkeypatch.setattr(files.pd, "ExcelFile", FakeBook)
    monkeypatch.setattr(files.pd, "read_excel", fake_read_excel)
    frame, source = read_table(path)
    assert engines == ["xlrd"]
    assert source.format == "xls"
    assert frame["产值"].tolist() == [1234.0]


def test_xls_with_xlwt(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    first = book.add_sheet("说明")
    first.write(0, 0, "见第二张表")
    second = book.add_sheet("数据")
    for col, name in enumerate(["省份", "年份", "产值"]):
        second.write(0, col, name)
    for row, values in enumerate([["内蒙古", 2020, "1,234"], ["广西", 2021, 567]], start=1):
        for col, value in enumerate(values):
            second.write(row, col, value)
    path = tmp_path / "旧表.xls"
    book.save(str(path))
    frame, source = read_table(path, sheet="数据")
    assert source.format == "xls"
    assert source.sheet == "数据"
    assert frame["省份"].tolist() == ["内蒙古", "广西"]
    assert frame["产值"].tolist() == [1234.0, 567.0]
    assert source.thousands_columns == ("产值",)
    with pytest.raises(
        FileReadError, match=r"no sheet named 'x'; the sheets are 0: '说明', 1: '数据'"
    ):
        read_table(path, sheet="x")


# ------------------------------------------------------------------------- writing


def _sample():
    return pd.DataFrame(
        {
            "省份": ["内蒙古", "广西壮族自治区", None],
            "年份": [2020, 2021, 2022],
            "耦合度": [0.1 + 0.2, 1 / 3, np.nan],
        }
    )


def test_write_csv_utf8_bom(tmp_path):
    out = write_csv(_sample(), tmp_path / "new" / "sub" / "scores.csv")
    assert out == tmp_path / "new" / "sub" / "scores.csv"
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n" not in data
    assert data.decode("utf-8-sig").splitlines()[0] == "省份,年份,耦合度"
    assert "0.30000000000000004" in data.decode("utf-8-sig")


def test_write_csv_round_trip(tmp_path):
    frame = _sample()
    back, source = read_table(write_csv(frame, tmp_path / "scores.csv"))
    pd.testing.assert_frame_equal(back, frame)
    assert source.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_write_csv_other_encodings(tmp_path, encoding):
    out = write_csv(_sample(), tmp_path / "scores.csv", encoding=encoding)
    data = out.read_bytes()
    assert not data.startswith(codecs.BOM_UTF8)
    assert data.decode(encoding).startswith("省份,年份,耦合度\n")
    back, source = read_table(out)
    pd.testing.assert_frame_equal(back, _sample())
    assert source.encoding == encoding


def test_write_csv_index(tmp_path):
    frame = _sample().set_index("年份")
    out = write_csv(frame, tmp_path / "scores.csv", index=True)
    assert out.read_text(encoding="utf-8-sig").startswith("年份,省份,耦合度\n")


def test_write_csv_unencodable_cell(tmp_path):
    frame = pd.DataFrame({"省份": ["北京", "上海"], "备注": ["好", "增长🚀"]}, index=[10, 11])
    out = tmp_path / "scores.csv"
    with pytest.raises(
        FileWriteError,
        match=r"as gbk: the cell '增长🚀' \(character '🚀', U\+1F680\) in column '备注', row 2 "
        r"\(index label 11\) cannot be represented in it: write it as utf-8-sig",
    ):
        write_csv(frame, out, encoding="gbk")
    assert not out.exists()


def test_write_csv_emoji_in_gb18030_is_fine_but_latin1_is_not(tmp_path):
    # GB18030 covers all of Unicode (emoji included); narrower encodings do not
    frame = pd.DataFrame({"省份": ["北京"], "备注": ["🚀"]})
    out = write_csv(frame, tmp_path / "ok.csv", encoding="gb18030")
    assert out.read_bytes().decode("gb18030").endswith("北京,🚀\n")
    with pytest.raises(
        FileWriteError,
        match=r"as latin-1: the column name '省份' \(character '省', U\+7701\) cannot be",
    ):
        write_csv(frame, tmp_path / "bad.csv", encoding="latin-1")


def test_write_csv_unknown_encoding(tmp_path):
    with pytest.raises(FileWriteError, match=r"unknown encoding 'utf8-bom': use utf-8-sig"):
        write_csv(_sample(), tmp_path / "a.csv", encoding="utf8-bom")


def test_write_csv_onto_a_folder(tmp_path):
    (tmp_path / "a.csv").mkdir()
    with pytest.raises(FileWriteError, match=r"cannot write .*a\.csv: .*: choose a writable"):
        write_csv(_sample(), tmp_path / "a.csv")


def test_write_csv_unencodable_row_label(tmp_path):
    # the index is written first, so its label wins over a cell of the same row
    frame = pd.DataFrame(
        {"备注": ["好", "增长🚀"]}, index=pd.Index(["北京", "上海🚀"], name="省份")
    )
    with pytest.raises(FileWriteError, match=r"as gbk: the row label '上海🚀' .* of row 2 cannot"):
        write_csv(frame, tmp_path / "a.csv", encoding="gbk", index=True)
    with pytest.raises(FileWriteError, match=r"as gbk: the cell '增长🚀' .* column '备注', row 2"):
        write_csv(frame, tmp_path / "a.csv", encoding="gbk")
