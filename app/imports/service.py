"""Import jobs: a ledger file checked, then its rows validated and written, all or nothing.

The file is checked when it arrives (format, size, archive, header): a file that cannot be a
ledger is refused at once and no job is made. The job then reads every row, in one
transaction: valid rows are written a batch at a time while no bad row has been seen; from the
first bad row on, rows are only checked, so that the job lists every bad row. Any bad row rolls
the transaction back, and nothing is written. A job that cannot finish writes nothing either,
and its file can be sent again: one that loses its database is marked failed; one whose
service stops (SIGTERM) rolls back at its next batch and is marked interrupted; one whose
process dies (kill -9, a crash) leaves its transaction uncommitted, and is marked interrupted
by whoever next finds it running without its lease (leases.py): the server as it starts, a
request for the job, the same file sent again.

A job writes within the reach of whoever sent it, as the API's single writes do
(app/auth/ownership.py). Some kinds are refused at once, with 403 naming `kind`: the registry
of universities is national staff's, and visits (访企拓岗) and the ledgers of graduates in
difficulty are universities' own, so a province may not import them. The rows of the others
are checked against the reach as they are read (rows.reach_check): a university's rows are
its own (its code blank, or its own; another's is a bad row), a province's are its
department's (no university, its own province); a row that updates a record matches one
within the reach only, and a participant's event (a service's graduate) is one the reach
covers (writers.py, assisted_services.py). Employers any sender may add; an employer already
registered is left as it is unless national staff send it. The ledgers of policy positions
are national staff's and the provinces' (a university's token is refused them): a province's
rows are of its own province, and name none of the national programmes' quotas (policy.py).
The ledgers of matchmaking any record-writing role sends: its rows are within the API's reach
for sessions and intents (app/imports/matchmaking.py). The ledgers of policy publicity: measures
national staff's and the provinces' (a university's token is refused them), sessions any
record-writing role's, within the API's reach (app/imports/publicity.py). A bad row of any kind
rejects the job.
"""

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.audit import service as audit
from app.audit.service import RequestInfo
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.db import DATABASE_ERRORS, begin_writing_patiently, transactional
from app.core.errors import Forbidden, InvalidInput, NotFound, OutOfReach
from app.core.settings import get_settings
from app.core.shutdown import stopping
from app.imports import leases, queue, rejected
from app.imports.assisted_graduates import GraduatesWriter
from app.imports.assisted_services import ServicesWriter
from app.imports.columns import KINDS
from app.imports.matchmaking_employers import SessionEmployersWriter
from app.imports.matchmaking_intents import IntentsWriter
from app.imports.matchmaking_sessions import SessionsWriter
from app.imports.models import ImportJob, ImportStatus
from app.imports.policy import ProgressWriter, QuotasWriter
from app.imports.publicity_measures import MeasuresWriter
from app.imports.publicity_sessions import SessionsWriter as PublicitySessionsWriter
from app.imports.readers import LedgerRefused, read_ledger
from app.imports.rows import (
    ERRORS_KEPT,
    Batches,
    RowError,
    department_of,
    layout_of,
    parsed_rows,
)
from app.imports.upload import Upload
from app.imports.writers import WRITERS

log = logging.getLogger(__name__)

# The sender of a ledger imported with `jobfair import`.
CLI = "cli"
BATCH_ROWS = 20_000
# A running job writes its progress this often (on PostgreSQL).
HEARTBEAT_SECONDS = 2.0
Progress = Callable[[int], None]
# Jobs that can be sent again: they wrote nothing.
ENDED_UNWRITTEN = (ImportStatus.FAILED, ImportStatus.INTERRUPTED)
INTERRUPTED = (
    "导入中断（服务停止或运行它的进程已退出），未写入任何数据，可重新提交同一文件 / "
    "The import was interrupted (the service stopped, or the process running it ended); "
    "nothing was written, and the file may be sent again."
)
FAILED = (
    "导入出错（如数据库连接中断），未写入任何数据，可重新提交同一文件 / "
    "The import failed (the database connection was lost, or an error); nothing was "
    "written, and the file may be sent again."
)
# While its database is unreachable, a failed job tries this long to say so (then whoever
# next finds it without its lease marks it interrupted).
REPORT_FAILURE_SECONDS = 300


class ImportInterrupted(Exception):
    """The service is stopping: the job gives up at its next batch."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1024**2):
            digest.update(chunk)
    return digest.hexdigest()


# The ledgers of graduates in difficulty: written row by row through the service functions,
# each made with the job's sender, who records their statuses (app/imports/assisted.py).
ASSISTANCE_WRITERS = {"assisted_graduates": GraduatesWriter, "assistance_services": ServicesWriter}
# The ledgers of policy positions, written so too (app/imports/policy.py).
POLICY_WRITERS = {"policy_quotas": QuotasWriter, "policy_progress": ProgressWriter}
# The ledgers of school–enterprise matchmaking, written so too (app/imports/matchmaking.py).
MATCHMAKING_WRITERS = {
    "matchmaking_sessions": SessionsWriter,
    "matchmaking_employers": SessionEmployersWriter,
    "cooperation_intents": IntentsWriter,
}
# The ledgers of policy publicity, written so too (app/imports/publicity.py).
PUBLICITY_WRITERS = {
    "policy_measures": MeasuresWriter,
    "publicity_sessions": PublicitySessionsWriter,
}
LEDGER_WRITERS = ASSISTANCE_WRITERS | POLICY_WRITERS | MATCHMAKING_WRITERS | PUBLICITY_WRITERS
IMPORTABLE = tuple(kind for kind in KINDS if kind in WRITERS or kind in LEDGER_WRITERS)


def make_writer(kind: str, session: Session, reach: Reach, sender: str = CLI):
    """The writer of a job of `kind` sent by `sender` (who records what the ledgers of
    graduates in difficulty keep a recorder of: a status) within `reach`."""
    if kind in LEDGER_WRITERS:
        return LEDGER_WRITERS[kind](session, reach, sender)
    return WRITERS[kind](session, reach)


def estimated_rows(path: Path) -> int | None:
    """The rows of a CSV file (its lines less the header), for a progress bar; None for .xlsx."""
    with path.open("rb") as file:
        if file.read(4) == b"PK\x03\x04":
            return None
        file.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1024**2), b""))
    return max(lines - 1, 0)


def check_kind(kind: str | None, location: str = "body") -> str:
    if kind not in IMPORTABLE:
        known = ", ".join(IMPORTABLE)
        raise InvalidInput(
            f"Unknown kind {kind!r}: one of {known}.", field="kind", location=location
        )
    return kind


def check_sheet(sheet: str | None) -> str | None:
    """The sheet a form names, if any: a name Excel could give one, which any database can
    keep (never NUL, at most 100 characters)."""
    if not sheet:
        return None
    if "\x00" in sheet or len(sheet) > 100:
        raise InvalidInput("A sheet's name is at most 100 characters, without NUL.", field="sheet")
    return sheet


def check_allowed(kind: str, reach: Reach) -> None:
    """403 naming `kind` for a kind the reach may not import at all."""
    if kind == "universities" and not reach.is_national:
        raise Forbidden(
            "The registry of universities is national staff's: only a national token may "
            "import universities.",
            field="kind",
        )
    if kind == "visits" and department_of(reach) is not None:
        raise Forbidden(
            "Visits (访企拓岗) are universities' own records: a province's token may not "
            "import them (a university imports its own).",
            field="kind",
        )
    if kind in ASSISTANCE_WRITERS and department_of(reach) is not None:
        raise Forbidden(
            "The ledgers of graduates in difficulty are universities' own: a province's token "
            "may not import them (a university imports its own).",
            field="kind",
        )
    if kind in POLICY_WRITERS and reach.university is not None:
        raise Forbidden(
            "Policy positions are recorded by the Ministry and the provinces' departments: a "
            "university's token may not import their quotas or progress.",
            field="kind",
        )
    if kind == "policy_measures" and reach.university is not None:
        raise Forbidden(
            "Policy measures are registered by the Ministry and the provinces' departments: a "
            "university's token may not import them (it imports its publicity sessions).",
            field="kind",
        )


def reach_of(job: ImportJob) -> Reach:
    """The reach of the job's sender, which its rows must be within."""
    return Reach(job.province, job.university_code)


def fingerprint(digest: str, sheet: str | None) -> str:
    return f"{digest}:{sheet[:100]}" if sheet else digest


def earlier_job(
    session: Session,
    kind: str,
    fingerprint: str,
    idempotency_key: str | None,
    *,
    owner: str = CLI,
    reach: Reach = NATIONAL,
) -> ImportJob | None:
    """The job this request repeats: the same sender's same Idempotency-Key, or the same file
    of the same kind sent within the same reach (unless that one wrote nothing: failed or
    interrupted, it may be sent again; the key of such a job is let go of)."""
    if idempotency_key is not None:
        found = session.scalar(
            select(ImportJob).where(
                ImportJob.owner == owner, ImportJob.idempotency_key == idempotency_key
            )
        )
        if found is not None:
            return found
    found = session.scalar(
        select(ImportJob).where(
            ImportJob.kind == kind,
            ImportJob.reach == reach.label,
            ImportJob.fingerprint == fingerprint,
            ImportJob.status.not_in(ENDED_UNWRITTEN),
        )
    )
    if found is not None and _abandoned(session, found):
        _mark(session, found.id, ImportStatus.INTERRUPTED, INTERRUPTED)
        return None
    return found


def _abandoned(session: Session, job: ImportJob) -> bool:
    """Running, and nobody holds its lease: the process that ran it has stopped."""
    return job.status == ImportStatus.RUNNING and not leases.is_held(session, job.id)


def start_job(
    session: Session,
    kind: str,
    path: Path,
    filename: str,
    *,
    sheet: str | None = None,
    idempotency_key: str | None = None,
    digest: str | None = None,
    owner: str = CLI,
    reach: Reach = NATIONAL,
) -> tuple[ImportJob, bool]:
    """The job for this file, and whether it is new (False: an earlier job it repeats). A new
    job is running; `run_job` reads it. LedgerRefused when the file cannot be a ledger.
    `owner` sent it; its rows must be within `reach` (the command line's: national). Forbidden
    for a kind the reach may not import (`check_allowed`), before any job is made."""
    check_kind(kind)
    check_allowed(kind, reach)
    key = fingerprint(digest or file_digest(path), sheet)
    earlier = earlier_job(session, kind, key, idempotency_key, owner=owner, reach=reach)
    if earlier is not None:
        return earlier, False
    ledger = read_ledger(path, sheet)
    layout_of(kind, ledger.header, reach)
    moment = now()
    job = ImportJob(
        kind=kind,
        filename=filename[:255],
        sheet=ledger.sheet,
        fingerprint=key,
        owner=owner,
        province=reach.province,
        university_code=reach.university,
        reach=reach.label,
        idempotency_key=idempotency_key,
        status=ImportStatus.RUNNING,
        rows_read=0,
        rows_written=0,
        rows_present=0,
        error_count=0,
        errors=[],
        created_at=moment,
        heartbeat_at=moment,
    )
    session.add(job)
    session.flush()
    return job, True


class _Heartbeat:
    """Progress written from its own transaction every few seconds (PostgreSQL: on SQLite the
    import's transaction holds the only write lock, so progress shows when it ends)."""

    def __init__(self, factory: sessionmaker[Session], job_id: int, progress: Progress | None):
        self.factory, self.job_id, self.progress = factory, job_id, progress
        self.last = time.monotonic()

    def beat(self, rows_read: int, session: Session) -> None:
        if self.progress:
            self.progress(rows_read)
        if time.monotonic() - self.last < HEARTBEAT_SECONDS:
            return
        self.last = time.monotonic()
        if session.connection().dialect.name != "postgresql":
            return
        with self.factory.begin() as beat:
            beat.execute(
                update(ImportJob)
                .where(ImportJob.id == self.job_id)
                .values(rows_read=rows_read, heartbeat_at=now())
            )


@dataclass
class _Tally:
    """What a job has read and written so far. Kept apart from the job's row: the import's
    transaction writes that row only as it commits, or the heartbeat, in a transaction of its
    own, would wait for it forever."""

    rows_read: int = 0
    rows_written: int = 0
    rows_present: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)


def run_job(
    factory: sessionmaker[Session], job_id: int, path: Path, progress: Progress | None = None
) -> ImportJob:
    """Read and write the job's file, all or nothing; answer the finished job. Its caller
    holds the job's lease (leases.take). ImportInterrupted when the service is stopping."""
    with factory() as session:
        # On SQLite another import may hold the only write lock for minutes: wait for it.
        begin_writing_patiently(session, give_up=stopping.is_set)
        kind, sheet, province, university, owner = session.execute(
            select(
                ImportJob.kind,
                ImportJob.sheet,
                ImportJob.province,
                ImportJob.university_code,
                ImportJob.owner,
            ).where(ImportJob.id == job_id)
        ).one()
        reach = Reach(province, university)
        tally = _Tally()
        try:
            heartbeat = _Heartbeat(factory, job_id, progress)
            writer = make_writer(kind, session, reach, owner)
            _read_and_write(session, kind, sheet, path, reach, tally, heartbeat, writer)
        except LedgerRefused as refused:  # a flaw found deep in the file (a malformed line)
            session.rollback()
            message = f"{refused.chinese} / {refused.english}"
            return _finish_rejected(factory, job_id, tally.rows_read, 1, [], message)
        errors = [error.as_dict() for error in sorted(tally.errors, key=lambda e: e.row)]
        if tally.error_count:
            session.rollback()
            return _finish_rejected(factory, job_id, tally.rows_read, tally.error_count, errors)
        job = session.get(ImportJob, job_id)
        job.status, job.finished_at = ImportStatus.SUCCEEDED, now()
        job.rows_read, job.rows_written = tally.rows_read, tally.rows_written
        job.rows_present = tally.rows_present
        session.commit()
        return job


def _read_and_write(
    session: Session,
    kind: str,
    sheet: str | None,
    path: Path,
    reach: Reach,
    tally: _Tally,
    heartbeat: _Heartbeat,
    writer,
) -> None:
    ledger = read_ledger(path, sheet)
    layout = layout_of(kind, ledger.header, reach)
    batches = Batches(parsed_rows(ledger, layout), BATCH_ROWS)
    for batch in batches:
        if stopping.is_set():
            raise ImportInterrupted
        tally.rows_read += len(batch)
        found = [error for _, _, row_errors in batch for error in row_errors]
        valid = [(number, values) for number, values, row_errors in batch if not row_errors]
        found += writer.check(valid)
        if not found and not tally.error_count:
            found = _write(session, writer, tally, valid, batches.read_next)
        tally.error_count += len(found)
        tally.errors.extend(found[: ERRORS_KEPT - len(tally.errors)])
        heartbeat.beat(tally.rows_read, session)
    if not tally.error_count:
        _finish(writer, tally)


def _write(
    session: Session, writer, tally: _Tally, rows: list, meanwhile: Callable[[], None]
) -> list[RowError]:
    try:
        with session.begin_nested():
            written, present = writer.write(rows, meanwhile)
    except IntegrityError as error:
        # Rows that clash with each other (one 台账编号 twice in the file): the database says which.
        return [_conflict(error, rows[0][0] if rows else 0)]
    tally.rows_written += written
    tally.rows_present += present
    return []


def _finish(writer, tally: _Tally) -> None:
    """The writer's last step once every row is written (indexes built at the end)."""
    try:
        writer.finish()
    except IntegrityError as error:  # of the file as a whole: shown on its header row
        tally.error_count += 1
        tally.errors.append(_conflict(error, 1))


def _conflict(error: IntegrityError, row: int) -> RowError:
    detail = str(error.orig).splitlines()[-1][:300] if error.orig else str(error)[:300]
    return RowError(row, None, None, f"与文件中其他行或已有记录冲突：{detail}", detail)


def _finish_rejected(
    factory: sessionmaker[Session],
    job_id: int,
    rows_read: int,
    error_count: int,
    errors: list[dict],
    message: str | None = None,
) -> ImportJob:
    """The job rejected, in a transaction of its own (the import's was rolled back)."""
    with factory.begin() as session:
        job = session.get(ImportJob, job_id)
        job.status, job.finished_at = ImportStatus.REJECTED, now()
        job.rows_read, job.rows_written, job.rows_present = rows_read, 0, 0
        job.error_count, job.errors, job.message = error_count, errors, message
    return job


def mark_interrupted(session: Session) -> int:
    """Running jobs whose process has stopped (their lease free) marked interrupted; how
    many."""
    running = session.scalars(select(ImportJob.id).where(ImportJob.status == ImportStatus.RUNNING))
    abandoned = [job for job in running.all() if not leases.is_held(session, job)]
    for job_id in abandoned:
        _mark(session, job_id, ImportStatus.INTERRUPTED, INTERRUPTED)
    return len(abandoned)


def _mark(
    session: Session,
    job_id: int,
    status: ImportStatus,
    message: str,
    over: tuple[ImportStatus, ...] = (ImportStatus.RUNNING,),
) -> bool:
    """A job ended without writing anything: `status` (failed or interrupted), and its
    Idempotency-Key let go of, so that the same request may be sent again. Only a job whose
    status is one of `over`: False if it was not (it finished meanwhile)."""
    result = session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status.in_(over))
        .values(status=status, finished_at=now(), message=message, idempotency_key=None)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)


def _report_unwritten(factory: sessionmaker[Session], job_id: int, status: ImportStatus) -> None:
    """`_mark` in a transaction of its own, tried again while the database is unreachable
    (not for long once the service is stopping). The runner knows why its job ended: a
    failure it reports replaces the "interrupted" of whoever found the job without its lease
    meanwhile (a lost connection lets go of the lease too)."""
    deadline = time.monotonic() + (5 if stopping.is_set() else REPORT_FAILURE_SECONDS)
    failed = status == ImportStatus.FAILED
    over = (ImportStatus.RUNNING, ImportStatus.INTERRUPTED) if failed else (ImportStatus.RUNNING,)
    while True:
        try:
            with transactional(factory, writing=True) as session:
                _mark(session, job_id, status, FAILED if failed else INTERRUPTED, over)
            return
        except DATABASE_ERRORS:
            if time.monotonic() > deadline:
                log.error("import job %d: could not record that it %s", job_id, status.value)
                return
            time.sleep(1)


def accept_upload(
    factory: sessionmaker[Session],
    upload: Upload,
    idempotency_key: str | None,
    who: Principal,
    request: RequestInfo,
) -> tuple[ImportJob, bool, leases.Lease | None]:
    """The job for an upload, in a transaction of its own (committed before the job runs), with
    its audit row; whether it is new (False: an earlier job this upload repeats); and the
    lease of a new job the caller runs, taken before the job is committed (None when it
    waits for `jobfair worker`, queue.py). The upload is discarded unless a new job will read
    it. Kept files of rejected jobs that have expired are deleted meanwhile."""
    lease, created = None, False
    try:
        with transactional(factory, writing=True) as session:
            job, created = start_job(
                session,
                check_kind(upload.fields.get("kind")),
                upload.path,
                upload.filename,
                sheet=check_sheet(upload.fields.get("sheet")),
                idempotency_key=idempotency_key,
                digest=upload.sha256,
                owner=who.actor,
                reach=who.reach,
            )
            if created:
                audit.record(
                    session,
                    who,
                    request,
                    action="import",
                    status=202,
                    resource_id=job.id,
                    detail=f"{job.kind}: {job.filename}",
                )
                if get_settings().queues_background_work():
                    queue.enqueue(job, upload.path)
                else:
                    lease = leases.take(session, job.id)
    except BaseException:
        if lease is not None:
            lease.release()
        upload.path.unlink(missing_ok=True)
        if created:
            queue.file_of(job.id).unlink(missing_ok=True)
        raise
    if lease is None:
        upload.path.unlink(missing_ok=True)
    rejected.remove_expired()
    return job, created, lease


def run_and_discard(
    factory: sessionmaker[Session],
    job_id: int,
    path: Path,
    lease: leases.Lease,
    *,
    requeue_on_stop: bool = False,
) -> None:
    """Run the job, then let go of its lease and delete its file; the file of a job rejected
    for its rows is kept a while instead, for its error sheet (app/imports/rejected.py). A job
    stopped with its service is marked interrupted or, `requeue_on_stop` (a worker's), put
    back in the queue with its file, for another worker to run from the start."""
    finished, requeued = None, False
    try:
        finished = run_job(factory, job_id, path)
    except Exception as error:
        if stopping.is_set() and requeue_on_stop:
            requeued = _requeue(factory, job_id)
        if requeued:
            log.warning("import job %d put back in the queue: the worker is stopping", job_id)
        elif stopping.is_set():
            log.warning("import job %d interrupted: the service is stopping", job_id)
            _report_unwritten(factory, job_id, ImportStatus.INTERRUPTED)
        else:
            log.error("import job %d failed", job_id, exc_info=error)
            _report_unwritten(factory, job_id, ImportStatus.FAILED)
    finally:
        lease.release()
        if not requeued:
            _discard(job_id, path, finished)


def _discard(job_id: int, path: Path, finished: ImportJob | None) -> None:
    if finished is not None and rejected.for_its_rows(finished):
        try:
            rejected.keep(job_id, path)
        except OSError:
            log.exception("the file of rejected import job %d could not be kept", job_id)
    path.unlink(missing_ok=True)


def _requeue(factory: sessionmaker[Session], job_id: int) -> bool:
    """The running job waiting again (it wrote nothing: its transaction was rolled back);
    False if that could not be recorded."""
    try:
        with transactional(factory, writing=True) as session:
            return _mark_queued(session, job_id)
    except DATABASE_ERRORS:
        return False


def _mark_queued(session: Session, job_id: int) -> bool:
    result = session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == ImportStatus.RUNNING)
        .values(status=ImportStatus.QUEUED, rows_read=0, heartbeat_at=now())
    )
    return bool(result.rowcount)


def start_from_file(
    factory: sessionmaker[Session], kind: str, path: Path, sheet: str | None = None
) -> tuple[ImportJob, leases.Lease | None]:
    """The command line's job for a ledger file (sent as national staff), and its lease (None:
    an earlier job it repeats), run by the command itself; jobs whose process stopped are
    marked interrupted first."""
    with transactional(factory, writing=True) as session:
        mark_interrupted(session)
        job, created = start_job(session, kind, path, path.name, sheet=sheet)
        lease = leases.take(session, job.id) if created else None
    return job, lease


def run_leased(
    factory: sessionmaker[Session],
    job_id: int,
    path: Path,
    lease: leases.Lease,
    progress: Progress | None = None,
) -> ImportJob:
    """`run_job`, then let go of its lease; stopped by Ctrl+C, the job says so."""
    try:
        return run_job(factory, job_id, path, progress)
    except KeyboardInterrupt:
        with transactional(factory, writing=True) as session:
            _mark(session, job_id, ImportStatus.INTERRUPTED, INTERRUPTED)
        raise
    finally:
        lease.release()


def get_job(
    session: Session,
    job_id: int,
    reach: Reach,
    factory: sessionmaker[Session] | None = None,
) -> ImportJob:
    """The job, if it was sent within `reach`; else 404. With `factory`, a job found running
    without its lease is marked interrupted first (in a transaction of its own)."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"No import job {job_id}.")
    if not reach.covers(reach_of(job)):
        raise OutOfReach(f"No import job {job_id}.")
    if factory is not None and _abandoned(session, job):
        with transactional(factory, writing=True) as marking:
            _mark(marking, job_id, ImportStatus.INTERRUPTED, INTERRUPTED)
            job = marking.get_one(ImportJob, job_id, populate_existing=True)
    return job


def row_errors(
    session: Session, kind: str, sheet: str | None, path: Path, reach: Reach = NATIONAL
) -> Iterator[RowError]:
    """The errors of every bad row of a ledger, in row order, found as `_read_and_write` finds
    them (each batch's cells parsed and checked against the sender's `reach`, then its valid
    rows checked by the writer) but writing nothing: the kept file of a rejected job checked
    again, a batch at a time, for its error sheet. Conflicts that only writing finds (one
    台账编号 twice) are the job's stored errors."""
    ledger = read_ledger(path, sheet)
    layout = layout_of(kind, ledger.header, reach)
    writer = make_writer(kind, session, reach)
    for batch in Batches(parsed_rows(ledger, layout), BATCH_ROWS):
        found = [error for _, _, errors in batch for error in errors]
        valid = [(number, values) for number, values, errors in batch if not errors]
        found += writer.check(valid)
        yield from sorted(found, key=lambda error: error.row)
