"""Reading and writing the data files of Chinese researchers: CSV, TSV, TXT, XLSX and XLS.

Why by hand
-----------
``pandas.read_csv`` alone fails Chinese data files in three common ways:

* a CSV saved by Excel on a Chinese-locale Windows is GBK/GB18030, not UTF-8, and
  pandas stops with a bare ``UnicodeDecodeError`` that names neither the encoding to
  use nor the place of the bad byte;
* numbers written with thousands separators (``"1,234"``, as yearbooks and Excel
  "number" formats print them) stay text unless ``thousands=","`` is given, and then
  the validator reports a whole indicator as "non-numeric";
* a byte-order mark or a full-width space (``"\\u3000"``) sticks to a column name, so
  ``产值`` in the specification does not match ``"\\ufeff产值"`` in the file.

:func:`read_table` therefore decodes the whole file itself, trying UTF-8 (with or without
a byte-order mark) first and GB18030 (the superset of GBK and GB2312) second, and only
then hands the text to pandas. A UTF-8 file is never read as GB18030: UTF-8 is tried
first and accepts every UTF-8 file, while GBK-encoded Chinese text is almost never
valid UTF-8. Files in any other encoding (Big5, UTF-16 without a byte-order mark)
end with an error that names the offending bytes and their position and asks for
``--encoding``. Detection is by decoding, not by a statistical guess (no ``chardet``
or ``charset-normalizer``): either the bytes decode without error or they do not, and
the outcome is the same on every machine.

:func:`write_csv` writes UTF-8 with a byte-order mark by default, which Excel on a
Chinese-locale Windows needs to show Chinese column names; an encoding that cannot
represent a cell ends with an error naming that cell instead of a half-written file.

Every problem is raised as :class:`FileReadError` or :class:`FileWriteError`, both
:class:`~spatial._core.errors.LiangyeError` and :class:`ValueError`, with a one-line
message that says what was found, where, and what to do.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spatial._core.errors import LiangyeError

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CommandError",
    "FileReadError",
    "FileWriteError",
    "TableSource",
    "read_table",
    "write_csv",
]

#: File name endings :func:`read_table` reads, with the format each is read as.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xls": "xls",
}

_ENCODING_HINT = (
    "pass --encoding ENC with the file's encoding (e.g. --encoding big5 for Traditional "
    "Chinese, --encoding utf-16-le for UTF-16 without a byte-order mark), or re-save the "
    "file from Excel as 'CSV UTF-8'"
)

#: Characters stripped from both ends of column names besides Unicode white space
#: (which includes the full-width space U+3000 and the no-break space U+00A0).
_NAME_JUNK = "\ufeff\u200b\u200c\u200d\u2060"

#: A number as text after NFKC normalisation: optional sign, digits with or without
#: well-formed groups of three separated by ",", optional decimals and exponent.
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?|[+-]?\.\d+(?:[eE][+-]?\d+)?",
    re.ASCII,
)

#: A UTF-8 decoding failure preceded by at least this many correctly decoded characters
#: from U+0800 up (Chinese takes three bytes) is a damaged UTF-8 file, not GB18030:
#: GBK text forms even one valid three-byte UTF-8 sequence only by rare chance.
_UTF8_EVIDENCE = 4

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileReadError(LiangyeError, ValueError):
    """A data file that cannot be read: missing, empty, of an unsupported type, in an
    unknown encoding, malformed, or with duplicate column names."""


class CommandError(LiangyeError, ValueError):
    """A problem with a command's inputs, reported as one line (exit status 2)."""


class FileWriteError(LiangyeError, ValueError):
    """A table that cannot be written: an encoding that cannot represent a cell, an
    unknown encoding, or a path that cannot be written to."""


@dataclass(frozen=True)
class TableSource:
    """Where a table came from and what :func:`read_table` did to read it.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    format : str
        ``"csv"`` (also for ``.tsv`` and ``.txt``), ``"xlsx"`` or ``"xls"``.
    encoding : str or None
        The text encoding used to decode a CSV file (``"utf-8"``, ``"utf-8-sig"``,
        ``"gb18030"``, ``"utf-16"`` or the one passed); ``None`` for Excel workbooks.
    sheet : str or None
        The name of the worksheet read; ``None`` for CSV files.
    thousands_columns : tuple of str
        Columns whose cells were numbers written as text (with thousands separators,
        full-width digits or padding spaces) and were converted to ``float``.
    notes : tuple of str
        Sentences for the report, e.g. ``"read as GB18030 (detected)"``.
    """

    path: Path
    format: str
    encoding: str | None
    sheet: str | None
    thousands_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- reading


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, TableSource]:
    """Read a CSV, TSV, TXT, XLSX or XLS data file into a data frame.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Its ending decides the format: ``.csv`` (comma separated), ``.tsv``
        (tab separated), ``.txt`` (tab separated if its first line has a tab, else
        comma separated), ``.xlsx`` (read with openpyxl) or ``.xls`` (read with xlrd).
    encoding : str, optional
        The text encoding of a CSV/TSV/TXT file, e.g. ``"big5"``. By default the whole
        file is decoded as UTF-8 (with or without a byte-order mark), then as GB18030
        (GBK/GB2312 as Excel writes them on a Chinese-locale Windows); a UTF-16 file
        with a byte-order mark is recognised by it. Ignored for Excel workbooks.
    sheet : str or int, optional
        The worksheet of an Excel workbook: its name or its 0-based position. By
        default the first. Ignored for CSV files.

    Returns
    -------
    frame : pandas.DataFrame
        The table, with column names stripped of surrounding white space and numbers
        written as text (``"1,234"``, ``"１，２３４"``) converted to ``float`` in the
        columns where every non-empty cell is such a number.
    source : TableSource
        The format, encoding, sheet and conversions, with notes for the report.

    Raises
    ------
    FileReadError
        If the file is missing, a folder, empty, of an unsupported type, cannot be
        decoded, cannot be parsed (the message names the line), has no such sheet
        (the message lists the sheets), or has duplicate column names.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "gdp.csv").write_bytes(
    ...     "省份,年份,产值\\n内蒙古,2020,\\"1,234\\"\\n".encode("gb18030"))
    >>> frame, source = read_table(folder / "gdp.csv")
    >>> frame["产值"].tolist(), source.encoding, source.thousands_columns
    ([1234.0], 'gb18030', ('产值',))
    """
    file = Path(path)
    _check_file(file)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        found = f"'{file.suffix}'" if file.suffix else "no file ending"
        raise FileReadError(
            f"cannot read {file}: unsupported file type ({found}); supported are "
            f"{supported}: save the data from Excel as .xlsx or 'CSV UTF-8'"
        )
    try:
        data = file.read_bytes()
    except OSError as err:
        raise FileReadError(
            f"cannot read {file}: {err.strerror or err}: check that you may read it"
        ) from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileReadError(
            f"cannot read {file}: the file is empty: put a header row and data in it"
        )
    notes: list[str] = []
    if SUPPORTED_SUFFIXES[suffix] == "csv":
        if sheet is not None:
            notes.append(f"sheet {sheet!r} ignored: {file.name} is a text file, not a workbook")
        frame, used = _read_text(file, data, encoding, notes)
        fmt, sheet_name = "csv", None
    else:
        if encoding is not None:
            notes.append(f"encoding {encoding!r} ignored: Excel workbooks carry their own")
        frame, fmt, sheet_name = _read_excel(file, data, suffix, sheet, notes)
        used = None
    converted = _convert_text_numbers(frame)
    if converted:
        names = ", ".join(str(name) for name in converted)
        notes.append(
            f"converted numbers written as text (thousands separators, full-width digits "
            f"or spaces) to numbers in column(s) {names}"
        )
    source = TableSource(
        path=file,
        format=fmt,
        encoding=used,
        sheet=sheet_name,
        thousands_columns=tuple(str(name) for name in converted),
        notes=tuple(notes),
    )
    return frame, source


def _check_file(file: Path) -> None:
    if file.is_dir():
        raise FileReadError(
            f"cannot read {file}: it is a folder, not a file: name a data file in it"
        )
    if not file.exists():
        raise FileReadError(
            f"file not found: {file} (looked in {file.resolve().parent}): check the name "
            f"and the folder"
        )
    if not file.is_file():
        raise FileReadError(f"cannot read {file}: it is not a regular file: name a data file")


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _hex(raw: bytes) -> str:
    return " ".join(f"0x{byte:02x}" for byte in raw[:4])


def _attempt(data: bytes, encoding: str) -> tuple[str | None, str]:
    """Decode all of ``data``; return ``(text, "")`` or ``(None, why it failed)``."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raw = err.object[err.start : err.end]
        line = _line_of(data, err.start)
        return None, f"invalid byte(s) {_hex(raw)} at byte {err.start} (line {line})"
    nul = text.find("\x00")
    if nul >= 0:
        position = data.find(b"\x00")
        line = _line_of(data, max(position, 0))
        return None, (
            f"NUL byte at byte {position} (line {line}), as in UTF-16 without a byte-order mark"
        )
    return text, ""


def _detect(file: Path, data: bytes) -> tuple[str, str, str]:
    """Decode ``data`` by trying encodings in order; return (text, encoding, note)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, why = _attempt(data, "utf-16")
        if text is None:
            raise FileReadError(
                f"cannot decode {file}: it starts with a UTF-16 byte-order mark but has {why}; "
                + _ENCODING_HINT
            )
        return text, "utf-16", "read as UTF-16 (byte-order mark)"
    text, utf8_why = _attempt(data, "utf-8-sig")
    if text is not None:
        if data.startswith(codecs.BOM_UTF8):
            return text, "utf-8-sig", "read as UTF-8 with byte-order mark (detected)"
        return text, "utf-8", "read as UTF-8 (detected)"
    wide = _utf8_prefix_evidence(data)
    if wide >= _UTF8_EVIDENCE:
        raise FileReadError(
            f"cannot decode {file}: it reads as UTF-8 ({wide} Chinese characters) up to "
            f"{utf8_why}, so it is damaged or mixes encodings: fix or re-save that line "
            f"as UTF-8, or pass --encoding gb18030 if the file really is GB18030"
        )
    text, gb_why = _attempt(data, "gb18030")
    if text is not None:
        return text, "gb18030", "read as GB18030 (detected)" + _big5_warning(text, data)
    raise FileReadError(
        f"cannot decode {file}: tried UTF-8 ({utf8_why}) and GB18030 ({gb_why}); " + _ENCODING_HINT
    )


def _utf8_prefix_evidence(data: bytes) -> int:
    """How many characters from U+0800 up decode as UTF-8 before the first invalid byte."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        prefix = data[: err.start].decode("utf-8-sig")
        return sum(1 for char in prefix if ord(char) >= 0x800)
    return 0  # valid UTF-8 rejected for its NUL bytes (UTF-16 of ASCII text)


def _big5_warning(text: str, data: bytes) -> str:
    """A warning when GB18030 text looks like Big5 read as GB18030.

    Big5 byte pairs are valid GB18030, so a Big5 file decodes without error but into
    rare characters: in simplified Chinese nearly every double-byte character is in
    GB2312, in Big5 read as GB18030 a large share is not.
    """
    total = outside = 0
    for char in set(text):
        if ord(char) < 0x80:
            continue
        raw = char.encode("gb18030")
        if len(raw) != 2:
            continue
        total += 1
        lead, trail = raw
        if not ((0xA1 <= lead <= 0xA9 or 0xB0 <= lead <= 0xF7) and 0xA1 <= trail <= 0xFE):
            outside += 1
    if total < 3 or outside < 0.2 * total:
        return ""
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return ""
    return (
        f"; {outside} of {total} distinct Chinese characters are rare ones outside GB2312, "
        f"as when a Big5 (Traditional Chinese) file is read as GB18030: if the names look "
        f"garbled pass --encoding big5"
    )


def _forced(file: Path, data: bytes, encoding: str) -> str:
    """Decode ``data`` with the encoding the user named."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileReadError(
            f"cannot read {file}: unknown encoding {encoding!r}: use e.g. utf-8-sig, "
            f"gb18030 or big5"
        ) from None
    text, why = _attempt(data, encoding)
    if text is not None:
        return text
    likely = None
    for candidate in ("utf-8-sig", "gb18030"):
        decoded = _attempt(data, candidate)[0]
        if decoded is not None:
            likely = (
                "big5" if candidate == "gb18030" and _big5_warning(decoded, data) else candidate
            )
            break
    if likely is not None and codecs.lookup(likely).name == codecs.lookup(encoding).name:
        likely = None
    if likely == "big5":
        advice = "the whole file decodes as big5: pass --encoding big5"
    elif likely is not None:
        advice = f"the whole file decodes as {likely}: pass --encoding {likely} or leave it out"
    else:
        advice = "check the file's encoding and pass that one to --encoding"
    raise FileReadError(f"cannot decode {file} as {encoding}: {why}; {advice}")


def _read_text(
    file: Path, data: bytes, encoding: str | None, notes: list[str]
) -> tuple[pd.DataFrame, str]:
    """Decode and parse a delimited text file; return (frame, encoding used)."""
    if encoding is None:
        text, used, note = _detect(file, data)
    else:
        text, used, note = _forced(file, data, encoding), encoding, f"read as {encoding} (given)"
    notes.append(note)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    suffix = file.suffix.lower()
    sep = "\t" if suffix == ".tsv" or (suffix == ".txt" and "\t" in first_line) else ","
    if sep == "\t":
        notes.append("read as tab-separated")
    try:
        header = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, nrows=1, dtype=str, keep_default_na=False
        )
        frame = pd.read_csv(io.StringIO(text), sep=sep, low_memory=False)
    except pd.errors.EmptyDataError:
        raise FileReadError(
            f"cannot read {file}: no header row: put the column names on the first line"
        ) from None
    except pd.errors.ParserError as err:
        raise FileReadError(f"cannot parse {file}: {_parser_message(str(err), sep)}") from None
    _set_names(file, frame, list(header.iloc[0]) if len(header) else [], notes)
    return frame, used


def _parser_message(message: str, sep: str) -> str:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    what = "tab" if sep == "\t" else "comma"
    if fields:
        expected, line, saw = fields.groups()
        return (
            f"line {line} has {saw} fields where the lines before have {expected}: quote "
            f'cells that contain a {what} ("1,234") or remove the extra {what}s'
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        line = int(quote.group(1)) + 1
        return f'a quoted cell opened on line {line} is never closed: add the closing "'
    flat = " ".join(message.split())
    return f"{flat}: check the line named and re-save the file from Excel"


def _strip_name(name: str) -> str:
    return name.strip().strip(_NAME_JUNK).strip()


def _set_names(file: Path, frame: pd.DataFrame, raw: Sequence[Any], notes: list[str]) -> None:
    """Strip the column names of ``frame`` in place; raise on duplicates after stripping.

    ``raw`` is the header row as written (pandas renames duplicates ``a``, ``a.1``), used
    to find the duplicates pandas has hidden.
    """
    current = list(frame.columns)
    if len(raw) != len(current):
        raw = current
    names: list[Hashable] = []
    changed: list[str] = []
    for position, (written, given) in enumerate(zip(raw, current)):
        if isinstance(written, str) and written:
            cleaned = _strip_name(written) or f"Unnamed: {position}"
            if cleaned != written:
                changed.append(repr(written))
            names.append(cleaned)
        else:
            names.append(given)
    seen: dict[Hashable, list[int]] = {}
    for position, name in enumerate(names):
        seen.setdefault(name, []).append(position + 1)
    duplicates = {name: where for name, where in seen.items() if len(where) > 1}
    if duplicates:
        listed = "; ".join(
            f"{name!r} (columns {', '.join(map(str, where))})" for name, where in duplicates.items()
        )
        raise FileReadError(
            f"cannot read {file}: duplicate column names after removing surrounding spaces: "
            f"{listed}: rename them so that every column name is unique"
        )
    if changed:
        notes.append(
            "removed surrounding spaces or a byte-order mark from column name(s) "
            + ", ".join(changed)
        )
    frame.columns = pd.Index(names)


def _read_excel(
    file: Path, data: bytes, suffix: str, sheet: str | int | None, notes: list[str]
) -> tuple[pd.DataFrame, str, str]:
    """Read one worksheet; return (frame, format, sheet name)."""
    if data.startswith(_ZIP_MAGIC):
        fmt, engine = "xlsx", "openpyxl"
    elif data.startswith(_OLE2_MAGIC):
        fmt, engine = "xls", "xlrd"
    else:
        start = data.lstrip()[:200].lower()
        if start.startswith((b"<", b"\xef\xbb\xbf<")) or b"<html" in start or b"<table" in start:
            kind = "a web page (HTML) saved with an Excel ending"
        else:
            kind = "text, not an Excel workbook"
        raise FileReadError(
            f"cannot read {file}: the file is {kind}: open it in Excel and save it as .xlsx, "
            f"or rename it to .csv if it is comma-separated text"
        )
    if fmt != SUPPORTED_SUFFIXES[suffix]:
        notes.append(f"{file.name} is an {fmt} workbook despite its {suffix} ending")
    broken = _excel_errors()
    try:
        with warnings.catch_warnings():
            # pandas 3 deprecates its xlrd engine (in favour of calamine); it still works
            warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated")
            with pd.ExcelFile(file, engine=engine) as book:
                names = [str(name) for name in book.sheet_names]
                name = _pick_sheet(file, names, sheet)
                header = pd.read_excel(book, sheet_name=name, header=None, nrows=1)
                frame = pd.read_excel(book, sheet_name=name)
    except FileReadError:
        raise
    except broken as err:
        detail = " ".join(str(err).split()) or type(err).__name__
        raise FileReadError(
            f"cannot read {file} as an {fmt} workbook: {detail}: open it in Excel and save "
            f"it again as .xlsx"
        ) from None
    if frame.shape[1] == 0:
        raise FileReadError(
            f"cannot read sheet {name!r} of {file}: the sheet is empty: pick another with "
            f"--sheet (sheets: {', '.join(map(repr, names))})"
        )
    _set_names(file, frame, list(header.iloc[0]) if len(header) else [], notes)
    notes.append(f"read sheet {name!r} of {len(names)}")
    return frame, fmt, name


def _excel_errors() -> tuple[type[BaseException], ...]:
    """The exceptions openpyxl, xlrd and zipfile raise for a damaged workbook."""
    import zipfile

    errors: list[type[BaseException]] = [
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        EOFError,
        OSError,
        AssertionError,
        zipfile.BadZipFile,
    ]
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        errors.append(InvalidFileException)
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        pass
    try:
        from xlrd import XLRDError

        errors.append(XLRDError)
    except ImportError:  # pragma: no cover - xlrd is a dependency
        pass
    return tuple(errors)


def _pick_sheet(file: Path, names: list[str], sheet: str | int | None) -> str:
    listed = ", ".join(f"{position}: {name!r}" for position, name in enumerate(names))
    if not names:
        raise FileReadError(f"cannot read {file}: the workbook has no worksheets")
    if sheet is None:
        return names[0]
    if isinstance(sheet, bool) or not isinstance(sheet, (str, int)):
        raise FileReadError(f"cannot read {file}: sheet must be a name or a 0-based number")
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise FileReadError(
            f"cannot read {file}: no sheet number {sheet} (counting from 0); the sheets are "
            f"{listed}: pass --sheet with one of these names or numbers"
        )
    if sheet in names:
        return sheet
    close = [name for name in names if _strip_name(name) == _strip_name(sheet)]
    if len(close) == 1:
        return close[0]
    raise FileReadError(
        f"cannot read {file}: no sheet named {sheet!r}; the sheets are {listed}: pass "
        f"--sheet with one of these names or numbers"
    )


# ------------------------------------------------------------------ text numbers


def _as_number(value: Any) -> float | None:
    """``value`` as a float if it is a number or a number written as text, else None.

    Blank text is returned as NaN.
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace("\u2212", "-")
    if not text:
        return float("nan")
    if not _NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", ""))


def _convert_text_numbers(frame: pd.DataFrame) -> list[Hashable]:
    """Convert in place the text columns whose non-empty cells are all numbers."""
    converted: list[Hashable] = []
    for position, dtype in enumerate(frame.dtypes):
        if not (pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)):
            continue
        column = frame.iloc[:, position]
        present = column[column.notna()]
        if not any(isinstance(value, str) and value.strip() for value in present):
            continue
        numbers = [_as_number(value) for value in present]
        if any(number is None for number in numbers):
            continue
        values = np.full(len(column), np.nan)
        values[np.flatnonzero(column.notna().to_numpy())] = numbers
        frame.isetitem(position, pd.Series(values, index=frame.index, dtype="float64"))
        converted.append(frame.columns[position])
    return converted


# --------------------------------------------------------------------------- writing


def write_csv(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    encoding: str = "utf-8-sig",
    index: bool = False,
) -> Path:
    """Write a data frame as a CSV file that Excel on a Chinese-locale Windows opens.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or os.PathLike
        The file to write; missing parent folders are created.
    encoding : str, default "utf-8-sig"
        UTF-8 with a byte-order mark, so that Excel shows Chinese text correctly;
        ``"utf-8"`` (no mark) or ``"gb18030"`` (for old software) are accepted too.
    index : bool, default False
        Whether to write the row labels as the first column.

    Returns
    -------
    pathlib.Path
        The file written. Lines end with ``\\n``; floats keep their full precision.

    Raises
    ------
    FileWriteError
        If the encoding is unknown or cannot represent a column name or cell (the
        message names the first such cell by column and row), or the file cannot be
        written. Nothing is written then.

    Examples
    --------
    >>> import tempfile
    >>> out = write_csv(pd.DataFrame({"省份": ["内蒙古"]}), Path(tempfile.mkdtemp()) / "a.csv")
    >>> out.read_bytes()[:3] == codecs.BOM_UTF8
    True
    """
    file = Path(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileWriteError(
            f"cannot write {file}: unknown encoding {encoding!r}: use utf-8-sig (the default)"
        ) from None
    text = frame.to_csv(index=index, lineterminator="\n")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as err:
        where = _first_unencodable(frame, encoding, index=index)
        if where is None:
            bad = err.object[err.start : err.end]
            where = f"text {bad!r} at character {err.start} of the CSV text"
        raise FileWriteError(
            f"cannot write {file} as {encoding}: {where} cannot be represented in it: "
            f"write it as utf-8-sig (the default) or change that cell"
        ) from None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    except OSError as err:
        raise FileWriteError(
            f"cannot write {file}: {err.strerror or err}: choose a writable file path"
        ) from None
    return file


def _encodable(value: Any, encoding: str) -> bool:
    try:
        str(value).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _describe(value: Any, encoding: str) -> str:
    text = str(value)
    bad = next((char for char in text if not _encodable(char, encoding)), "")
    return f"{text!r} (character {bad!r}, U+{ord(bad):04X})" if bad else repr(text)


def _first_unencodable(frame: pd.DataFrame, encoding: str, *, index: bool) -> str | None:
    """Name the first column name, row label or cell ``encoding`` cannot represent."""
    for name in frame.columns:
        if not _encodable(name, encoding):
            return f"the column name {_describe(name, encoding)}"
    if index:
        for name in frame.index.names:
            if name is not None and not _encodable(name, encoding):
                return f"the index name {_describe(name, encoding)}"
    first: tuple[int, int, str] | None = None
    for column in range(frame.shape[1]):
        values = frame.iloc[:, column]
        if values.dtype.kind in "biufcmM":
            continue
        for row, value in enumerate(values):
            if first is not None and row >= first[0]:
                break
            if not _encodable(value, encoding):
                first = (row, column, _describe(value, encoding))
                break
    if index:
        for row, label in enumerate(frame.index):  # the index is written first
            if first is not None and row > first[0]:
                break
            if not _encodable(label, encoding):
                return f"the row label {_describe(label, encoding)} of row {row + 1}"
    if first is None:
        return None
    row, column, value = first
    label = frame.index[row]
    return (
        f"the cell {value} in column {frame.columns[column]!r}, row {row + 1} (index label {label})"
    )
