"""The work of imports that `jobfair worker` runs (app/worker.py): the queued jobs, one at a
time, and the housekeeping of their files and of jobs whose process died."""

import logging
import time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import transactional
from app.imports import queue, rejected, service
from app.imports.models import ImportJob, ImportStatus

log = logging.getLogger(__name__)

# A queued file whose job was never committed (the upload's transaction failed after moving
# it) is deleted once it is this old: younger, its job may be committing right now.
ORPHAN_SECONDS = 3600
WAITING_OR_RUNNING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def run_next(factory: sessionmaker[Session]) -> bool:
    """Claim the oldest queued job and run it; False when none was waiting."""
    claimed = queue.claim(factory)
    if claimed is None:
        return False
    job_id, lease = claimed
    path = queue.file_of(job_id)
    if not path.exists():
        log.error(
            "import job %d: its file %s is not here: IMPORT_DIR must be a folder every web "
            "instance and worker shares",
            job_id,
            path,
        )
    log.info("import job %d: running", job_id)
    service.run_and_discard(factory, job_id, path, lease, requeue_on_stop=True)
    log.info("import job %d: done", job_id)
    return True


def keep_house(factory: sessionmaker[Session]) -> None:
    """Jobs whose worker died marked interrupted, their files and the queue's orphans
    deleted, and the kept files of rejected jobs that have expired."""
    with transactional(factory, writing=True) as session:
        if interrupted := service.mark_interrupted(session):
            log.warning("%d import jobs found without their process: interrupted", interrupted)
        ended = _ended(session, queue.waiting_files())
    for job_id in ended:
        queue.file_of(job_id).unlink(missing_ok=True)
    rejected.remove_expired()


def _ended(session: Session, job_ids: list[int]) -> list[int]:
    """Of the jobs whose files wait in the queue's folder, those no worker will run: ended,
    or never committed (and old enough that they will not be)."""
    if not job_ids:
        return []
    found = session.execute(select(ImportJob.id, ImportJob.status).where(ImportJob.id.in_(job_ids)))
    status_of = {job_id: status for job_id, status in found}
    return [
        job
        for job in job_ids
        if status_of.get(job) not in WAITING_OR_RUNNING and (job in status_of or _old(job))
    ]


def _old(job_id: int) -> bool:
    try:
        return time.time() - queue.file_of(job_id).stat().st_mtime > ORPHAN_SECONDS
    except FileNotFoundError:
        return False
