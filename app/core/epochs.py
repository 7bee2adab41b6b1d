"""Epochs: counters that every process of this machine serving the same database shares, each
moved when something its readers keep in memory may have changed, so that a cached answer or a
cached token is never used past a change to what it was made from.

- `FIGURES` moves with every change to the campaign figures or to what their answers name
  (records, kept counts, folds, recounts, universities, employers, campaigns);
- `CREDENTIALS` with every change to accounts and API tokens (a revocation, a disabled
  account, a new password, a permission).

A transaction marks what it changes (`mark`, or a flush of a watched model); the epochs move
then, and again once it has committed. A reader reads the epoch before it reads the
database: what it then reads is at least as new as that epoch, so that anything it keeps under
the epoch is replaced as soon as a later commit moves it. (The first move is for readers sharing the
writer's connection, as tests do; the one after the commit is the one other readers rely on.)

They live in a small file in shared memory (/dev/shm, or EPOCHS_DIR), named after the
database, and are read without a system call: a cached answer costs no round trip to the
database. Processes on other machines hear of each move through EPOCHS_BROADCAST_URL (a Redis,
epoch_broadcast.py); without it, they do not, and what they cache expires after
ANSWER_CACHE_SECONDS or PRINCIPAL_CACHE_SECONDS only. Where the file cannot be made, or the
broadcast is not heard, nothing is cached (`current` answers None).
"""

import fcntl
import hashlib
import mmap
import os
import struct
import tempfile
from pathlib import Path

from sqlalchemy import Table, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.epoch_broadcast import Broadcast

FIGURES, CREDENTIALS = 0, 1
_SLOT = struct.Struct("<Q")
_SIZE = 4096
_MARKS = "jobfair.epochs.marked"


class _SharedCounters:
    """Counters in a memory-mapped file. A read is a load from memory; a move takes the file's
    lock, so that two processes moving at once both count."""

    def __init__(self, path: Path) -> None:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(descriptor).st_size < _SIZE:
                os.ftruncate(descriptor, _SIZE)
            self._map = mmap.mmap(descriptor, _SIZE)
        finally:
            os.close(descriptor)
        self._lock_path = path

    def read(self, slot: int) -> int:
        return _SLOT.unpack_from(self._map, slot * _SLOT.size)[0]

    def move(self, slot: int) -> None:
        with open(self._lock_path, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            offset = slot * _SLOT.size
            _SLOT.pack_into(self._map, offset, (self.read(slot) + 1) % 2**64)


_counters: dict[str, _SharedCounters | None] = {}


def _folder() -> Path:
    shared = Path("/dev/shm")
    return shared if shared.is_dir() and os.access(shared, os.W_OK) else Path(tempfile.gettempdir())


def _identity(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        url = url.set(database=str(Path(url.database).resolve()))
    plain = url.set(password=None).render_as_string(hide_password=False)
    return hashlib.sha256(plain.encode()).hexdigest()[:24]


def _shared() -> _SharedCounters | None:
    from app.core.settings import get_settings

    settings = get_settings()
    if settings.database_url not in _counters:
        identity = _identity(settings.database_url)
        path = (settings.epochs_dir or _folder()) / f"jobfair-{identity}.epochs"
        try:
            _counters[settings.database_url] = _SharedCounters(path)
        except OSError:
            _counters[settings.database_url] = None
    return _counters[settings.database_url]


_broadcasts: dict[tuple[str, str], Broadcast] = {}


def _broadcast() -> Broadcast | None:
    """The other machines' channel (EPOCHS_BROADCAST_URL), if there are other machines."""
    from app.core.settings import get_settings

    settings = get_settings()
    if settings.epochs_broadcast_url is None:
        return None
    key = (settings.epochs_broadcast_url, settings.database_url)
    if key not in _broadcasts:
        channel = f"jobfair:epochs:{_identity(settings.database_url)}"
        _broadcasts[key] = Broadcast(key[0], channel, _move_here, (FIGURES, CREDENTIALS))
    return _broadcasts[key]


def current(slot: int) -> int | None:
    """The epoch now; None where epochs cannot be shared (then nothing may be cached): no
    shared memory, or other machines' moves not heard right now."""
    counters = _shared()
    broadcast = _broadcast()
    if counters is None or (broadcast is not None and not broadcast.listening()):
        return None
    return counters.read(slot)


def move(slot: int) -> None:
    _move_here(slot)
    if (broadcast := _broadcast()) is not None:
        broadcast.publish(slot)


def _move_here(slot: int) -> None:
    counters = _shared()
    if counters is not None:
        counters.move(slot)


def mark(session: Session, slot: int) -> None:
    """This transaction changes what `slot` guards: the epoch moves now and again when the
    transaction ends."""
    session.info.setdefault(_MARKS, set()).add(slot)
    move(slot)


# A model whose rows, changed, change what an epoch guards says which, as `__epoch__ = FIGURES`:
# changed through the ORM, a flush marks it; written in bulk, `wrote` does. Other statements
# outside the ORM's unit of work (the kept counts' upserts) call `mark` themselves.


def _slot_of(model: type) -> int | None:
    return getattr(model, "__epoch__", None)


def wrote(session: Session, table: Table) -> None:
    """Rows were written into `table` outside the ORM (a bulk load)."""
    from app.core.db import Base

    for mapper in Base.registry.mappers:
        slot = _slot_of(mapper.class_)
        if mapper.local_table is table and slot is not None:
            mark(session, slot)


@event.listens_for(Session, "after_flush")
def _marks_from_flush(session: Session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    for slot in {_slot_of(type(instance)) for instance in changed} - {None}:
        mark(session, slot)


@event.listens_for(Session, "after_commit")
def _moves_on_commit(session: Session) -> None:
    for slot in session.info.pop(_MARKS, ()):
        move(slot)


@event.listens_for(Session, "after_rollback")
def _moves_on_rollback(session: Session) -> None:
    # Another session on the same connection (a test's) may have read what is now undone.
    for slot in session.info.pop(_MARKS, ()):
        move(slot)
