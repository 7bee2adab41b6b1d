"""Writes side by side, on PostgreSQL (READ COMMITTED), keep the figures exact.

A write takes away a contribution computed from the records, changes them, and adds the new
contribution back (upkeep.py). Two such writes overlapping would each take away what the other
is about to change; and every write updates the same few rows (the nation's, its province's),
so they wait on each other anyway. Hence one writer of the kept figures at a time (`write`),
taken before the write reads what it changes, and held until it commits: writes then follow
one another, and never deadlock on those rows.

Bulk loads and folds share a second lock (`share_loads`) that a reclassification (an employer
changing industry, a university changing province) or a recount takes alone (`reclassify`):
those read which vacancies are pending and must not see that change under them. Taken in this
order, loads lock, then the writer lock: nothing waits in a circle.

SQLite has one writer at a time, so none of this is needed there and all of it is skipped.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session

# Any fixed 64-bit numbers: the keys of the advisory locks.
_WRITER = 0x6A6F6266616901
_LOADS = 0x6A6F6266616902
# Held, for the length of a fold, by the one process folding (app/stats/folding.py).
FOLDER = 0x6A6F6266616903


def _advisory(session: Session, function: str, key: int) -> None:
    # A transaction never waits for its own locks: taking one again is harmless.
    if session.connection().dialect.name == "postgresql":
        session.execute(text(f"SELECT {function}(:key)"), {"key": key})


def write(session: Session) -> None:
    """Be the one writer of the kept figures until the transaction ends."""
    _advisory(session, "pg_advisory_xact_lock", _WRITER)


def share_loads(session: Session) -> None:
    """A bulk load or a fold: no reclassification or recount until the transaction ends."""
    _advisory(session, "pg_advisory_xact_lock_shared", _LOADS)


def reclassify(session: Session) -> None:
    """A reclassification or a recount: no load, no fold and no other write meanwhile."""
    _advisory(session, "pg_advisory_xact_lock", _LOADS)
    write(session)


def fetch(session: Session, model, key, *, for_write: bool):
    """The record `key` of `model`, or None; `for_write`: read afresh as the one writer."""
    if not for_write:
        return session.get(model, key)
    write(session)
    return session.get(model, key, populate_existing=True)


def before_update(session: Session, *, reclassifies: bool) -> None:
    """The lock an update of a university or an employer takes first: reclassify when it
    moves the record to another province or industry, else write. (For If-Match, which reads
    the record under the locks its write takes, in their order.)"""
    if reclassifies:
        reclassify(session)
    else:
        write(session)


# Row locks (as with_for_update takes them) for reading a university, employer or campaign
# before a change to it (If-Match: app/core/preconditions.py), as the write itself will lock
# it: FOR NO KEY UPDATE as an UPDATE that keeps the key (records pointing at it, which lock it
# FOR KEY SHARE, are not held back), FOR UPDATE as a DELETE. A change that keeps the figures
# takes its advisory lock before, as every writer of the figures does.
ROW_UPDATE = {"key_share": True}
ROW_DELETE = {"key_share": False}
