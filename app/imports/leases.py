"""Whether an import job is still being run, known exactly rather than guessed from a clock.

The process that runs a job holds its lease from before the job is committed until the job is
finished: on PostgreSQL an advisory lock of a connection of its own, on SQLite an exclusive
lock (flock) of a file beside the database. Either is let go of by the database or by the
operating system the moment that process dies, however it dies (kill -9, a crash, a lost
connection), and by the process itself when the job ends. A running job whose lease anyone
can take has been abandoned: nothing of it was committed, and its file can be sent again.

flock is the lock of an open file, not of a process, so that a job is seen running by the
other threads of the process that runs it too; it holds between the processes of one machine,
which is where a SQLite database is used.
"""

import fcntl
import os
from functools import cache
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

# PostgreSQL's advisory locks of two 32-bit keys (a space apart from the one-key locks of
# app/stats/locks.py): this namespace, and the job's id.
_NAMESPACE = 0x6A6F62  # "job"


class Lease(Protocol):
    def release(self) -> None: ...


def take(session: Session, job_id: int) -> Lease:
    """The lease of job `job_id`, for the process that will run it."""
    engine = _engine_of(session)
    if engine.dialect.name == "postgresql":
        return _AdvisoryLease(engine, job_id)
    return _FileLease(_lock_file(engine, job_id))


def is_held(session: Session, job_id: int) -> bool:
    """Whether some process holds job `job_id`'s lease (is running it)."""
    engine = _engine_of(session)
    if engine.dialect.name == "postgresql":
        # Taken for this transaction only, if free: then nobody runs the job.
        free = session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:namespace, :job)"), _keys(job_id)
        )
        return not free
    return _file_is_locked(_lock_file(engine, job_id))


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _keys(job_id: int) -> dict[str, int]:
    return {"namespace": _NAMESPACE, "job": job_id % 2**31}


@cache
def _unpooled(url: str) -> Engine:
    # A lease's connection is closed when it is let go of, never handed to another user with
    # the lock still held (a pool's reset rolls back, and a session's advisory lock outlives
    # that).
    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 3})


class _AdvisoryLease:
    """A session-level advisory lock of a connection kept for the job's duration."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self.keys = _keys(job_id)
        self.connection = _unpooled(url).connect()
        try:
            self.connection.execute(text("SELECT pg_advisory_lock(:namespace, :job)"), self.keys)
            self.connection.commit()  # the lock outlives the transaction; the connection idles
        except BaseException:
            self.connection.close()
            raise

    def release(self) -> None:
        # Unlocked before closing: a closed connection's server process lets go of its locks
        # only as it exits, a moment later, when another may already be asking.
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:namespace, :job)"), self.keys)
            self.connection.commit()
        except DBAPIError:
            pass  # the connection is gone, and the lock with it
        finally:
            self.connection.close()


def _lock_file(engine: Engine, job_id: int) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        folder = Path("imports") / ".leases"
    else:
        folder = Path(f"{database}-leases")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job_id}.lock"


class _FileLease:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException:
            os.close(self.descriptor)
            raise

    def release(self) -> None:
        # Removed while still locked: whoever opens the name afterwards finds no file, or a
        # new one nobody holds, and the job's status, written before, tells it is over.
        self.path.unlink(missing_ok=True)
        os.close(self.descriptor)


def _file_is_locked(path: Path) -> bool:
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)
