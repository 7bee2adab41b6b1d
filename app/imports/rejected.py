"""The files of rejected imports, kept for a while so that their error sheet can be downloaded.

A rejected job's upload is moved to `{IMPORT_DIR}/rejected/{job id}.xlsx` (or `.csv`): the job's
id finds it, so the job's row records nothing more. It is kept IMPORT_KEEP_REJECTED_DAYS from
the rejection; older ones are deleted as new uploads arrive (one scan of that folder). The files
of other jobs are deleted as soon as they finish, and a file imported from the command line is
never moved or deleted: it is the user's own.
"""

import datetime as dt
import logging
import time
from pathlib import Path

from app.core.schemas import as_utc
from app.core.settings import get_settings
from app.imports.models import ImportJob, ImportStatus

log = logging.getLogger(__name__)

SUFFIXES = (".xlsx", ".csv")
_XLSX_MAGIC = b"PK\x03\x04"


def folder() -> Path:
    return get_settings().import_dir / "rejected"


def keep(job_id: int, upload: Path) -> Path:
    """The upload moved to where the job's id finds it, its age counted from now."""
    with upload.open("rb") as file:
        suffix = ".xlsx" if file.read(4) == _XLSX_MAGIC else ".csv"
    target = folder() / f"{job_id}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    for other in SUFFIXES:  # a file left by an earlier database whose ids began again
        if other != suffix:
            (folder() / f"{job_id}{other}").unlink(missing_ok=True)
    upload.replace(target)
    target.touch()
    return target


def kept(job_id: int) -> Path | None:
    """The kept file of a rejected job, if it is still kept."""
    for suffix in SUFFIXES:
        path = folder() / f"{job_id}{suffix}"
        if path.is_file():
            return path
    return None


def remove_expired() -> int:
    """Kept files older than IMPORT_KEEP_REJECTED_DAYS deleted; how many."""
    oldest = time.time() - get_settings().import_keep_rejected_days * 86_400
    removed = 0
    try:
        entries = list(folder().iterdir())
    except FileNotFoundError:
        return 0
    except OSError as error:  # never the upload's failure
        log.warning("could not list the rejected ledgers: %s", error)
        return 0
    for path in entries:
        try:
            if path.suffix in SUFFIXES and path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # deleted meanwhile, by another worker
            continue
        except OSError as error:
            log.warning("could not remove the rejected ledger %s: %s", path, error)
    return removed


def for_its_rows(job: ImportJob) -> bool:
    """Whether the job was rejected for its rows (its file is kept), rather than because the
    file broke off mid-way (its message says so; there are no rows to show)."""
    return job.status == ImportStatus.REJECTED and job.message is None


def sheet_file(job: ImportJob) -> Path | None:
    """The kept file of a job rejected for its rows, while it is kept."""
    return kept(job.id) if for_its_rows(job) else None


def kept_until(job: ImportJob) -> dt.datetime | None:
    """Until when a job rejected for its rows has its file kept (None for any other job)."""
    if not for_its_rows(job) or job.finished_at is None:
        return None
    return as_utc(job.finished_at) + dt.timedelta(days=get_settings().import_keep_rejected_days)
