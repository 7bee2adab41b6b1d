"""The error sheet of a rejected import: the ledger as it was sent, with a column at the right,
`错误原因 / Errors`, that says what is wrong with each bad row (blank on good rows), so that an
office can correct its own file and send it again.

Every bad row is marked, not only the first 1,000 its job keeps: the kept file is read twice
side by side, once for its cells as they are and once to be checked again (`row_errors`, as
the import checks it, writing nothing), and the job's stored errors are added to what that
finds (they include conflicts that only writing finds), each error once. Both reads stream,
so a file of millions of rows is answered in constant memory. An .xlsx gives an .xlsx (cells
as they were read: text stays text, numbers numbers, dates dates; nothing becomes a formula),
CSV gives CSV in UTF-8 with a BOM. The full sheet keeps each row at its number, the one the
job's errors name; `only_errors` gives the header and the bad rows alone. A ledger of personal
data (the graduates in difficulty, their services) comes back with its ID numbers and phones
masked and any number typed into another cell scrubbed (app/imports/personal.py): the sheet
never carries a full number out, as no answer does.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from xlsxwriter.exceptions import InvalidWorksheetName

from app.auth.principal import Reach
from app.core.errors import Conflict, Gone
from app.core.settings import get_settings
from app.imports import rejected, service
from app.imports.columns import LABELS
from app.imports.exports import XLSX, XlsxCells, csv_stream, neutralised, spooled_xlsx
from app.imports.models import ImportJob, ImportStatus
from app.imports.personal import PERSONAL_KINDS, shown_cell
from app.imports.readers import read_ledger
from app.imports.rows import RowError
from app.reference.codes import fold

log = logging.getLogger(__name__)

ERRORS_HEADER = "错误原因 / Errors"


def download(
    session: Session,
    factory: sessionmaker[Session],
    job_id: int,
    reach: Reach,
    only_errors: bool,
) -> StreamingResponse:
    """The error sheet of rejected job `job_id`; 404 for no such job (or one sent outside
    `reach`), 409 for a job that was not rejected, 410 when its file is no longer kept."""
    job = service.get_job(session, job_id, reach)
    if job.status != ImportStatus.REJECTED:
        raise Conflict(
            f"Import job {job_id} is {job.status.value}: only a rejected job has an error sheet.",
            job_status=job.status.value,
        )
    if not rejected.for_its_rows(job):
        raise Gone(
            f"Import job {job_id} was rejected because its file could not be read "
            f"({job.message}); there are no rows to mark."
        )
    path = rejected.sheet_file(job)
    if path is None:
        raise Gone(_not_kept(job))
    stored = [
        RowError(e["row"], e["column"], e["value"], e["reason"], e["reason_en"]) for e in job.errors
    ]
    sheet = _Sheet(factory, job.kind, job.sheet, path, stored, only_errors, service.reach_of(job))
    suffix = path.suffix
    name = f"{job.kind}-errors-{job_id}{suffix}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    if suffix == ".xlsx":
        body = spooled_xlsx(sheet.write_xlsx)
        return StreamingResponse(body, media_type=XLSX, headers=headers)
    body = csv_stream(sheet.csv_rows())
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)


def _not_kept(job: ImportJob) -> str:
    until = rejected.kept_until(job)
    if until is not None and until > dt.datetime.now(dt.UTC):
        # Not expired, so gone from here: most often an instance that does not share IMPORT_DIR.
        log.warning(
            "the kept file of rejected import job %d is not in %s: do all instances share "
            "IMPORT_DIR?", job.id, rejected.folder(),
        )  # fmt: skip
        return (
            f"The file of import job {job.id} should be kept until {until:%Y-%m-%d %H:%M} UTC "
            "but this server does not find it: its servers do not share IMPORT_DIR, or the "
            "file was deleted. Send the corrected file again to check it."
        )
    days = f"{get_settings().import_keep_rejected_days:g}"
    return (
        f"The file of import job {job.id} is no longer kept (rejected files are kept {days} "
        "days); send the corrected file again to check it."
    )


def reasons(errors: list[RowError]) -> str:
    """A row's errors as one cell: `列名：原因 / reason`, joined by `；`, each once."""
    seen: set[tuple] = set()
    parts = []
    for error in errors:
        key = (error.column, error.chinese)
        if key in seen:
            continue
        seen.add(key)
        text = f"{error.chinese} / {error.english}"
        parts.append(f"{error.column}：{text}" if error.column else text)
    return "；".join(parts)


class _Sheet:
    def __init__(
        self,
        factory: sessionmaker[Session],
        kind: str,
        sheet: str | None,
        path: Path,
        stored: list[RowError],
        only_errors: bool,
        reach: Reach,
    ) -> None:
        self.factory, self.kind, self.sheet, self.path = factory, kind, sheet, path
        self.stored = stored
        self.only_errors = only_errors
        self.reach = reach  # the sender's, which the rows are checked against again

    def marked_rows(self) -> tuple[list[str], Iterator[tuple[int, list[Any], str]]]:
        """The ledger's header, and each of its rows as (row number, cells, its errors' text)."""
        ledger = read_ledger(self.path, self.sheet)
        marked = self._marked(ledger.rows)
        if self.kind in PERSONAL_KINDS:
            marked = _shown(self.kind, ledger.header, marked)
        return ledger.header, marked

    def _marked(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list, str]]:
        stored: dict[int, list[RowError]] = defaultdict(list)
        for error in self.stored:
            stored[error.row].append(error)
        with self.factory() as session:  # read only: rolled back as it closes
            found = service.row_errors(session, self.kind, self.sheet, self.path, self.reach)
            try:
                pending = next(found, None)
                for number, cells in rows:
                    errors = stored.pop(number, [])
                    while pending is not None and pending.row <= number:
                        if pending.row == number:
                            errors.append(pending)
                        pending = next(found, None)
                    if errors or not self.only_errors:
                        yield number, cells, reasons(errors)
            finally:
                found.close()
                close = getattr(rows, "close", None)
                if close is not None:
                    close()

    def csv_rows(self) -> Iterator[list[Any]]:
        header, rows = self.marked_rows()
        width = len(header)
        yield [*header, ERRORS_HEADER]
        at = 1  # the row last written, as numbered in the ledger
        for number, cells, text in rows:
            if not self.only_errors:
                for _ in range(at + 1, number):  # blank rows, left out by the reader
                    yield []
                at = number
            yield _with_errors(["" if c is None else c for c in cells], width, neutralised(text))

    def write_xlsx(self, workbook: xlsxwriter.Workbook) -> None:
        header, rows = self.marked_rows()
        width = len(header)
        try:
            sheet = workbook.add_worksheet(self.sheet or self.kind)
        except InvalidWorksheetName:
            sheet = workbook.add_worksheet(self.kind)
        bold = workbook.add_format({"bold": True})
        flagged = workbook.add_format(
            {"bold": True, "font_color": "#C00000", "bg_color": "#FCE4D6"}
        )
        red = workbook.add_format({"font_color": "#C00000"})
        cells = XlsxCells(workbook)
        sheet.set_column(width, width, 60)
        for position, title in enumerate([*header, ERRORS_HEADER]):
            cells.write(sheet, 0, position, title, flagged if position == width else bold)
        sheet.freeze_panes(1, 0)
        for written, (number, row, text) in enumerate(rows, start=1):
            at = written if self.only_errors else number - 1
            for position, value in enumerate(_with_errors(row, width, text)):
                cells.write(sheet, at, position, value, red if position == width else None)


def _shown(
    kind: str, header: list[str], rows: Iterator[tuple[int, list, str]]
) -> Iterator[tuple[int, list, str]]:
    """The rows of a ledger of personal data as they may be shown: the cells of its number
    columns (by label or field name) masked, every other cell scrubbed."""
    by_title = {fold(label): name for name, label in LABELS[kind].items()}
    by_title |= {name: name for name in LABELS[kind]}
    fields = [by_title.get(fold(title)) or by_title.get(fold(title).lower()) for title in header]
    try:
        for number, cells, text in rows:
            shown = [
                shown_cell(fields[at] if at < len(fields) else None, cell)
                for at, cell in enumerate(cells)
            ]
            yield number, shown, text
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _with_errors(cells: list, width: int, text: str) -> list:
    """The row's cells with its errors in the column after the header's last (a cell beyond
    the header, which no column names and the import ignores, follows them)."""
    if len(cells) < width:
        cells = [*cells, *([""] * (width - len(cells)))]
    return [*cells[:width], text, *cells[width:]]
