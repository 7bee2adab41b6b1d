"""Reading a ledger file, whatever an office sends: rows of cells, streamed, with the file
checked before any parser sees it.

- `.xlsx` is a zip archive. Its listing is inspected first (entry count, sizes, compression
  ratio), so a zip bomb is refused before anything is inflated. A sheet small enough to hold in
  memory is read by python-calamine (Rust, fast); its cell references are scanned first, because
  calamine allocates the sheet as a dense rectangle and one cell at XFD1048576 would ask for
  17 billion. A larger sheet is streamed by openpyxl in read-only mode, a row at a time, in
  constant memory. Formulas are never evaluated: a cell holds its cached value or nothing.
- CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", tab-separated) or
  GB18030, a superset of GBK (what Excel saves on a Chinese Windows machine). The encoding is
  decided from the BOM, or by checking the whole file as UTF-8 (fast, in C) before reading it.
- The old binary `.xls`, and anything else, is refused with a message saying what to send.
"""

import codecs
import csv
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import Problem

# The archive of a genuine ledger: a few dozen entries, and text that compresses 5 to 20 times.
MAX_ARCHIVE_ENTRIES = 1_000
MAX_INFLATED_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200
# Sheets up to this size (inflated XML) are read whole by calamine; larger ones are streamed.
CALAMINE_AT_MOST = 64 * 1024**2
# A ledger has a dozen columns; this many is a broken or hostile file.
MAX_COLUMNS = 256
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
_CHUNK = 1024**2
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LedgerRefused(Problem):
    """The file cannot be read as a ledger; the message says why, in Chinese and English."""

    slug = "ledger-refused"
    title = "The file cannot be imported"

    def __init__(self, chinese: str, english: str, status: int = 422) -> None:
        super().__init__(f"{english} {chinese}", field="file", reason=chinese, reason_en=english)
        self.chinese, self.english, self.status = chinese, english, status


@dataclass
class Ledger:
    """A ledger's header and its rows, each row with its number as the office sees it (the
    header is row 1)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    sheet: str | None = None


def read_ledger(path: Path, sheet: str | None = None) -> Ledger:
    with path.open("rb") as file:
        magic = file.read(8)
    if magic.startswith(_XLSX_MAGIC):
        return _xlsx(path, sheet)
    if magic.startswith(_XLS_MAGIC):
        raise LedgerRefused(
            "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传",
            "The old binary .xls format is not supported: save the sheet as .xlsx or CSV.",
            415,
        )
    if sheet is not None:
        raise LedgerRefused(
            "CSV 文件没有工作表，请勿指定工作表名称", "A CSV file has no sheets: leave out sheet."
        )
    return _csv(path)


# ---------------------------------------------------------------------------------------- xlsx


def _inspected(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _not_a_ledger() from None
    entries = archive.infolist()
    inflated = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if (
        len(entries) > MAX_ARCHIVE_ENTRIES
        or inflated > MAX_INFLATED_BYTES
        or inflated > MAX_COMPRESSION_RATIO * max(packed, 1) + _CHUNK
    ):
        archive.close()
        raise LedgerRefused(
            "文件解压后过大或压缩比异常，疑似压缩炸弹，已拒绝",
            f"The archive would inflate to {inflated:,} bytes from {packed:,} "
            f"({len(entries)} entries): refused as a possible zip bomb.",
            413,
        )
    return archive


def _not_a_ledger() -> LedgerRefused:
    return LedgerRefused(
        "文件不是有效的 .xlsx 或 CSV 表格",
        "The file is neither a valid .xlsx workbook nor CSV.",
        415,
    )


def _xlsx(path: Path, sheet: str | None) -> Ledger:
    with _inspected(path) as archive:
        names, members = _sheets(archive)
        name = _sheet_name(names, sheet)
        member = members[names.index(name)]
        if archive.getinfo(member).file_size <= CALAMINE_AT_MOST:
            _check_extent(archive.read(member))
            rows = _calamine_rows(path, name)
        else:
            rows = _openpyxl_rows(path, name)
    return _ledger(rows, name)


def _sheet_name(names: list[str], wanted: str | None) -> str:
    if wanted is None:
        if not names:
            raise _not_a_ledger()
        return names[0]
    if wanted not in names:
        listed = "、".join(names)
        raise LedgerRefused(
            f"找不到工作表“{wanted}”，文件中的工作表有：{listed}",
            f"No sheet {wanted!r}; the workbook has: {', '.join(names)}.",
        )
    return wanted


_SHEET = re.compile(rb"<sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")


def _attributes(tag: bytes) -> dict[bytes, str]:
    return {key: html.unescape(value.decode()) for key, value in _ATTRIBUTE.findall(tag)}


def _sheets(archive: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """The workbook's sheet names, in order, and the archive member of each."""
    try:
        sheets = [_attributes(tag) for tag in _SHEET.findall(archive.read("xl/workbook.xml"))]
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise _not_a_ledger() from None
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        attributes = _attributes(tag)
        target = attributes.get(b"Target", "")
        targets[attributes.get(b"Id")] = (
            target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        )
    members = [targets.get(sheet.get(b"r:id"), "") for sheet in sheets]
    if not sheets or any(member not in archive.namelist() for member in members):
        raise _not_a_ledger()
    return [sheet.get(b"name", "") for sheet in sheets], members


_CELL_REFERENCE = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')


def _check_extent(xml: bytes) -> None:
    """Refuse a sheet whose cells reach further right than any ledger does."""
    widest = max((ref for ref, _ in _CELL_REFERENCE.findall(xml)), key=_column_number, default=b"")
    if widest and _column_number(widest) > MAX_COLUMNS:
        raise _too_wide(_column_number(widest))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _too_wide(columns: int) -> LedgerRefused:
    return LedgerRefused(
        f"表格有 {columns} 列，超过上限 {MAX_COLUMNS} 列",
        f"The sheet has {columns} columns; at most {MAX_COLUMNS} are read.",
        413,
    )


def _calamine_rows(path: Path, name: str) -> Iterator[list[Any]]:
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheet = workbook.get_sheet_by_name(name)
        yield from (list(row) for row in sheet.iter_rows())
    finally:
        workbook.close()


# How a sheet's XML holds a character XML cannot (_x000D_ a carriage return), and an
# underscore that would otherwise start one (_x005F_). calamine reads them back; openpyxl's
# streaming reader leaves them as they are.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(cell: Any) -> Any:
    if isinstance(cell, str) and "_x" in cell:
        return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), cell)
    return cell


def _openpyxl_rows(path: Path, name: str) -> Iterator[list[Any]]:
    import openpyxl

    # read_only streams the sheet; data_only gives a formula's cached value, never the formula.
    # Opened as a file, since openpyxl refuses a path whose name does not end in .xlsx.
    file = path.open("rb")
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = workbook[name]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] is not None:
                raise _too_wide(MAX_COLUMNS + 1)
            yield [_unescaped(cell) for cell in row]
    finally:
        workbook.close()
        file.close()


# ----------------------------------------------------------------------------------------- CSV


def _encoding(path: Path) -> str:
    with path.open("rb") as file:
        start = file.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _csv(path: Path) -> Ledger:
    encoding = _encoding(path)
    text = path.open(encoding=encoding, errors="strict", newline="")
    try:
        first = text.readline(1024**2)
    except UnicodeDecodeError:
        text.close()
        raise _undecodable() from None
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    text.seek(0)
    return _ledger(_csv_rows(text, delimiter), None)


def _undecodable() -> LedgerRefused:
    return LedgerRefused(
        "文件编码无法识别，请保存为 UTF-8 或 GB18030（GBK）编码的 CSV",
        "The file is not text in UTF-8, UTF-16 or GB18030 (GBK): save it as CSV in one of them.",
        415,
    )


def _csv_rows(text: io.TextIOWrapper, delimiter: str) -> Iterator[list[Any]]:
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    with text:
        try:
            for row in csv.reader(text, delimiter=delimiter):
                if len(row) > MAX_COLUMNS:
                    raise _too_wide(len(row))
                yield row
        except csv.Error as error:
            raise LedgerRefused(
                f"CSV 格式错误：{error}", f"The CSV file is malformed: {error}"
            ) from None
        except UnicodeDecodeError:
            raise _undecodable() from None


# -------------------------------------------------------------------------------------- common


def _ledger(rows: Iterator[list[Any]], sheet: str | None) -> Ledger:
    numbered = _numbered(rows)
    for _, header in numbered:
        return Ledger([_header_text(cell) for cell in header], numbered, sheet)
    raise LedgerRefused("文件是空的，没有表头", "The file is empty: it has no header row.")


def _numbered(rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            if row.count("") + row.count(None) < len(row):  # not a blank row
                yield number, row
    except LedgerRefused:
        raise
    except Exception as error:  # whatever a parser makes of a damaged file: the file's fault
        raise LedgerRefused(
            f"文件在第 {number + 1} 行处损坏，无法读取",
            f"The file is damaged at row {number + 1} and cannot be read ({type(error).__name__}).",
        ) from None


def _header_text(cell: Any) -> str:
    # A BOM that a conversion left inside the text (UTF-8 saved again as GB18030) is no part
    # of the first column's name.
    return "" if cell is None else str(cell).replace("\ufeff", "").strip()
