"""Ledgers out: a list query written as CSV or .xlsx with the import template's Chinese headers,
streamed a few thousand rows at a time from a session of its own, so that memory stays flat at
millions of rows. Export then import of the same file changes nothing: enumerations are written
as their labels, provinces and industries as their names, lists joined with '；'.

A text cell that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) is written with a leading apostrophe, which Excel shows as text and imports strip.
"""

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Literal

import xlsxwriter
from fastapi import Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import InvalidInput
from app.core.settings import get_settings
from app.imports.columns import FORMULA_STARTS, Column, columns_of
from app.reference.data import INDUSTRIES, PROVINCES

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
_FETCH = 2_000
_NAMES = {
    "province": PROVINCES,
    "work_province": PROVINCES,
    "industry": INDUSTRIES,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ExportFormat = Annotated[
    Literal["csv", "xlsx"], Query(description="xlsx (at most 1,048,575 rows) or csv (UTF-8).")
]
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, "text/csv": {}}, "description": "The ledger."}
}


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return getattr(value, "label", value.value)
    if column.field in _NAMES:
        return _NAMES[column.field].get(value, value)
    if isinstance(value, list):
        return neutralised("；".join(value))
    if isinstance(value, str):
        return neutralised(value)
    return value


def _records(factory: sessionmaker[Session], query: Select) -> Iterator[Any]:
    with factory() as session:
        streamed = session.execute(query.execution_options(yield_per=_FETCH)).scalars()
        yield from streamed


def _rows(factory: sessionmaker[Session], kind: str, query: Select) -> Iterator[list[Any]]:
    columns = columns_of(kind)
    for record in _records(factory, query):
        yield [_cell(column, getattr(record, column.field)) for column in columns]


def export(
    session: Session, factory: sessionmaker[Session], kind: str, query: Select, format: str
) -> StreamingResponse:
    """The records of `query` as a ledger of `kind`, in `format`."""
    name = f"{kind}-{dt.date.today():%Y%m%d}.{format}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    if format == "csv":
        body = _csv(factory, kind, query)
        return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)
    count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if count > XLSX_MAX_ROWS:
        raise InvalidInput(
            f"{count:,} rows do not fit in one .xlsx sheet ({XLSX_MAX_ROWS:,}); use format=csv "
            "or narrow the filters.",
            field="format",
            location="query",
        )
    return StreamingResponse(_xlsx(factory, kind, query), media_type=XLSX, headers=headers)


def _csv(factory: sessionmaker[Session], kind: str, query: Select) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # With a BOM, Excel opens the file as UTF-8 rather than the machine's code page.
    buffer.write("\ufeff")
    writer.writerow([column.label for column in columns_of(kind)])
    for number, row in enumerate(_rows(factory, kind, query), start=1):
        writer.writerow(row)
        if number % _FETCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx(factory: sessionmaker[Session], kind: str, query: Select) -> Iterator[bytes]:
    """Written to a temporary file (xlsxwriter's constant-memory mode keeps one row in memory),
    then sent from it: a zip archive is complete only when it is closed."""
    folder = get_settings().import_dir
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        _write_xlsx(name, factory, kind, query)
        with open(name, "rb") as file:
            while chunk := file.read(1024**2):
                yield chunk
    finally:
        os.unlink(name)


def _write_xlsx(name: str, factory: sessionmaker[Session], kind: str, query: Select) -> None:
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(name, options)
    sheet = workbook.add_worksheet(kind)
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    columns = columns_of(kind)
    for position, column in enumerate(columns):
        sheet.write_string(0, position, column.label, bold)
        sheet.set_column(position, position, max(12, len(column.label) * 2 + 2))
    for number, row in enumerate(_rows(factory, kind, query), start=1):
        for position, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(number, position, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int | float):
                sheet.write_number(number, position, value)
            elif value != "":
                sheet.write_string(number, position, value)
    workbook.close()
