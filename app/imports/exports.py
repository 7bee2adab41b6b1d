"""Ledgers out: a list query written as CSV or .xlsx with the import template's Chinese headers,
streamed a few thousand rows at a time from a session of its own, so that memory stays flat at
millions of rows. Export then import of the same file changes nothing: each record's id is its
last column (系统编号; a participant's event's, 活动系统编号), so that the import finds every
record as itself, with a 台账编号 or without; enumerations are written as their labels,
provinces and industries as their names, lists joined with '；' (columns.joined).

A text cell that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) is written with a leading apostrophe, which Excel shows as text and imports strip; so
is text that starts with an apostrophe itself, which thus comes back with it.
"""

import csv
import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import chain
from typing import Annotated, Any, Literal

import xlsxwriter
from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import service as audit
from app.auth.dependencies import RecordReader
from app.auth.principal import Principal
from app.core.db import SessionFactoryDep
from app.core.errors import InvalidInput
from app.core.settings import get_settings
from app.imports.columns import NEUTRALISED_STARTS, Column, columns_of, joined
from app.publicity.cities import CITIES
from app.reference.data import INDUSTRIES, PROVINCES

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
_FETCH = 2_000
_NAMES = {
    "province": PROVINCES,
    "work_province": PROVINCES,
    "industry": INDUSTRIES,
    "city": CITIES,  # a policy measure's (城市), which its import reads by name too
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ExportFormat = Annotated[
    Literal["csv", "xlsx"], Query(description="xlsx (at most 1,048,575 rows) or csv (UTF-8).")
]
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, "text/csv": {}}, "description": "The ledger."}
}


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(NEUTRALISED_STARTS) else text


def ledger_cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return getattr(value, "label", value.value)
    if column.field in _NAMES:
        return _NAMES[column.field].get(value, value)
    if isinstance(value, list):
        return neutralised(joined(value))
    if isinstance(value, str):
        return neutralised(value)
    return value


def _records(factory: sessionmaker[Session], query: Select) -> Iterator[Any]:
    """The records `query` selects, or its rows when it selects columns (a row's values are
    read as a record's attributes, by the columns' names)."""
    with factory() as session:
        result = session.execute(query.execution_options(yield_per=_FETCH))
        yield from result.scalars() if len(query.column_descriptions) == 1 else result


def _rows(factory: sessionmaker[Session], kind: str, query: Select) -> Iterator[list[Any]]:
    columns = columns_of(kind)
    for record in _records(factory, query):
        yield [ledger_cell(column, getattr(record, column.field)) for column in columns]


@dataclass(frozen=True)
class Table:
    """A ledger whose rows are not a record's attributes column by column (the graduates in
    difficulty: names and numbers shown as the reader may see them): its header, and its rows
    as `rows(factory, query)` writes them, streamed."""

    header: list[str]
    rows: Callable[[sessionmaker[Session], Select], Iterator[list[Any]]]


def _table(kind: str) -> Table:
    """The ledger of `kind` as its import reads it: a record's attributes by column."""
    return Table(
        [column.label for column in columns_of(kind)],
        lambda factory, query: _rows(factory, kind, query),
    )


class Export:
    """An export request: who asks (an export is audited), and where the rows are read."""

    def __init__(self, who: Principal, request: Request, factory: sessionmaker[Session]) -> None:
        self.who = who
        self.request = audit.RequestInfo.of(request)
        self.query_string = request.url.query
        self.factory = factory

    def respond(
        self,
        session: Session,
        kind: str,
        query: Select,
        format: str,
        *,
        table: Table | None = None,
        detail: str | None = None,
    ) -> StreamingResponse:
        """The records of `query` as a ledger of `kind`, in `format`, streamed; the audit row
        is committed before the first byte (an export is a read: in a transaction of its own).
        `table`: rows other than the records' attributes; `detail`: the audit row's, in place
        of the query string."""
        response = export(session, self.factory, kind, query, format, table)
        audit.record_apart(
            self.factory,
            self.who,
            self.request,
            action="export",
            detail=detail or self.query_string or None,
        )
        return response


def _export_request(who: RecordReader, request: Request, factory: SessionFactoryDep) -> Export:
    return Export(who, request, factory)


ExportDep = Annotated[Export, Depends(_export_request)]


def export(
    session: Session,
    factory: sessionmaker[Session],
    kind: str,
    query: Select,
    format: str,
    table: Table | None = None,
) -> StreamingResponse:
    """The records of `query` as a ledger of `kind` (or as `table` writes them), in `format`."""
    table = table or _table(kind)
    name = f"{kind}-{dt.date.today():%Y%m%d}.{format}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    if format == "csv":
        body = csv_stream(chain([table.header], table.rows(factory, query)))
        return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)
    count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if count > XLSX_MAX_ROWS:
        raise InvalidInput(
            f"{count:,} rows do not fit in one .xlsx sheet ({XLSX_MAX_ROWS:,}); use format=csv "
            "or narrow the filters.",
            field="format",
            location="query",
        )
    body = spooled_xlsx(lambda workbook: _write_xlsx(workbook, factory, kind, query, table))
    return StreamingResponse(body, media_type=XLSX, headers=headers)


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """Rows as CSV in UTF-8, a few thousand at a time. With a BOM, Excel opens the file as
    UTF-8 rather than the machine's code page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number % _FETCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


XLSX_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}


def spooled_xlsx(fill: Callable[[xlsxwriter.Workbook], None]) -> Iterator[bytes]:
    """The workbook that `fill` writes (a cell is what it is, never a formula), written to a
    temporary file (xlsxwriter's constant-memory mode keeps one row in memory), then sent from
    it: a zip archive is complete only when it is closed."""
    folder = get_settings().import_dir
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(name, XLSX_OPTIONS)
        fill(workbook)
        workbook.close()
        with open(name, "rb") as file:
            while chunk := file.read(1024**2):
                yield chunk
    finally:
        os.unlink(name)


class XlsxCells:
    """Cells written as the values they are: numbers as numbers, dates and times as such (in
    formats of the workbook's), everything else as text, never as a formula."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time = workbook.add_format({"num_format": "hh:mm:ss"})
        self.duration = workbook.add_format({"num_format": "[h]:mm:ss"})

    def write(self, sheet, row: int, column: int, value: Any, text_format=None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        elif isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None)
            shown = self.date if value.time() == dt.time() else self.datetime
            sheet.write_datetime(row, column, value, shown)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), self.date)
        elif isinstance(value, dt.time):
            sheet.write_datetime(row, column, value.replace(tzinfo=None), self.time)
        elif isinstance(value, dt.timedelta):
            sheet.write_datetime(row, column, value, self.duration)
        elif isinstance(value, int | float) and math.isfinite(value):
            sheet.write_number(row, column, value)
        else:
            sheet.write_string(row, column, str(value), text_format)


def _write_xlsx(
    workbook: xlsxwriter.Workbook,
    factory: sessionmaker[Session],
    kind: str,
    query: Select,
    table: Table,
) -> None:
    sheet = workbook.add_worksheet(kind)
    bold = workbook.add_format({"bold": True})
    cells = XlsxCells(workbook)
    for position, label in enumerate(table.header):
        sheet.write_string(0, position, label, bold)
        sheet.set_column(position, position, max(12, len(label) * 2 + 2))
    for number, row in enumerate(table.rows(factory, query), start=1):
        for position, value in enumerate(row):
            cells.write(sheet, number, position, value)
