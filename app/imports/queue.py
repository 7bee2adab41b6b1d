"""The queue of import jobs waiting for `jobfair worker` (BACKGROUND_WORK=worker, PostgreSQL).

The job's own row is the queue. An upload is accepted as a job `queued`, its file moved to
`{IMPORT_DIR}/queued/{job id}.upload` before the transaction that records the job (and its
audit row) commits: a job is queued with its file, or not at all, and a refused commit leaves
no job behind. A worker claims the oldest queued job with `FOR UPDATE SKIP LOCKED`, takes its
lease (leases.py) and marks it running in one transaction: two workers never claim one job,
and a job once claimed is run by that worker alone. From then on the lease tells the rest,
as it does of a job run in a web process: a worker killed mid-job (kill -9, a lost machine)
leaves it running without its lease, and whoever finds it so marks it interrupted; nothing of
it was committed, and the same file may be sent again. A worker asked to stop (SIGTERM) puts
its job back in the queue instead, for another worker to run from the start.

Why the job's row and not a queue library's table (procrastinate was weighed): the job must be
queued in the transaction that records it, its Idempotency-Key and its audit row, and a
library that defers on a connection of its own cannot join that transaction; a crash between
the two would leave a job no worker knows of, or a task for a job that never committed.
`SKIP LOCKED` and the leases already give what a claim needs.

Uploaded files are kept in IMPORT_DIR, which every web instance and worker must share (one
machine's folder, or a network file system mounted at the same path on each): a ledger is up
to MAX_UPLOAD_BYTES (2 GB), streamed to disk as it arrives and read back as a file, and the
files of rejected jobs are kept there for their error sheets. Kept in the database, each
would pass through the write-ahead log, the backups and the replica for a few minutes' use.
"""

import datetime as dt
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.core.settings import get_settings
from app.imports import leases
from app.imports.models import ImportJob, ImportStatus


def folder() -> Path:
    return get_settings().import_dir / "queued"


def file_of(job_id: int) -> Path:
    """Where a queued job's upload waits for its worker."""
    return folder() / f"{job_id}.upload"


def enqueue(job: ImportJob, upload: Path) -> None:
    """The new job waiting for a worker, its upload where any worker finds it (the caller's
    transaction records both, or neither)."""
    target = file_of(job.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.replace(target)
    job.status = ImportStatus.QUEUED


def claim(factory: sessionmaker[Session]) -> tuple[int, leases.Lease] | None:
    """The oldest queued job, now running under this process's lease; None when no job waits
    (or every waiting one is being claimed by another worker right now)."""
    lease = None
    try:
        with factory.begin() as session:
            job_id = session.scalar(
                select(ImportJob.id)
                .where(ImportJob.status == ImportStatus.QUEUED)
                .order_by(ImportJob.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job_id is None:
                return None
            lease = leases.take(session, job_id)
            session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(status=ImportStatus.RUNNING, heartbeat_at=_now())
            )
    except BaseException:
        if lease is not None:
            lease.release()
        raise
    return job_id, lease


def waiting_files() -> list[int]:
    """The ids of the jobs whose uploads are in the queue's folder."""
    try:
        return [int(path.stem) for path in folder().glob("*.upload") if path.stem.isdigit()]
    except FileNotFoundError:
        return []


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
