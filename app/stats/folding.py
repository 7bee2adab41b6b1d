"""Folding pending vacancies (see pending.py) into the kept counts, off the write path: in the
app's background and from `jobfair fold`."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Engine, exists, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import begin_writing
from app.core.periodic import Periodic
from app.stats.batches import FOLD_PIECE, ChangedMeanwhile, fold_piece, merge, split, unmerged
from app.stats.locks import FOLDER
from app.stats.models import PendingVacancies
from app.stats.pending import FOLD_STEP, fold

log = logging.getLogger(__name__)


def fold_all(factory: sessionmaker[Session]) -> int:
    """Fold until nothing is pending, a transaction per piece, then merge the pieces into the
    kept rows; answer how many vacancies were counted. On PostgreSQL in large pieces beside
    the writes (batches.py), by one process at a time; on SQLite, the one writer, a step at a
    time."""
    if not _postgresql(factory):
        return _fold_in_steps(factory)
    with _the_only_folder(factory) as alone:
        return _fold_in_pieces(factory) if alone else 0


def _fold_in_steps(factory: sessionmaker[Session]) -> int:
    total = 0
    while _anything_pending(factory):
        with factory.begin() as session:
            begin_writing(session)
            counted = fold(session)
        if not counted:
            break
        total += counted
    return total


def _fold_in_pieces(factory: sessionmaker[Session]) -> int:
    total, piece = 0, FOLD_PIECE
    while _anything_pending(factory):
        try:
            if piece > FOLD_STEP:
                with factory.begin() as session:
                    split(session, piece)
            with factory.begin() as session:
                counted = fold_piece(session, piece) if piece > FOLD_STEP else fold(session)
        except ChangedMeanwhile:
            piece = max(FOLD_STEP, piece // 10)  # at the least, as the one writer from the start
            continue
        if not counted:
            break
        total += counted
    while _unmerged(factory):
        with factory.begin() as session:
            merge(session)
    return total


@contextmanager
def _the_only_folder(factory: sessionmaker[Session]) -> Iterator[bool]:
    """Whether this process may fold now: two folding at once would count the same piece
    twice over (and split a run twice). A lock of a connection of its own, held for the whole
    fold, let go of when it ends or the process dies; a process that finds it taken leaves the
    fold to the other."""
    bind = factory.kw["bind"]
    own = isinstance(bind, Engine)  # else a connection lent by the caller (a test's)
    with bind.connect() if own else nullcontext(bind) as connection:
        alone = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": FOLDER})
        if own:
            connection.commit()  # the lock is the connection's, not the transaction's
        try:
            yield bool(alone)
        finally:
            if alone:
                connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": FOLDER})
                if own:
                    connection.commit()


def _postgresql(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return session.connection().dialect.name == "postgresql"


def _unmerged(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return unmerged(session)


def _anything_pending(factory: sessionmaker[Session]) -> bool:
    """Asked in a read, so that an idle server never takes the write lock (SQLite's only one)
    to find nothing to do."""
    with factory() as session:
        return bool(session.scalar(select(exists().select_from(PendingVacancies))))


class BackgroundFolder(Periodic):
    """Folds whatever is pending every `every` seconds, in a daemon thread. Several processes
    may run one each: on PostgreSQL one folds at a time and the others skip their round; on
    SQLite they take turns as the one writer. Nothing is lost when a round fails: what could
    not be folded stays pending, read from the records."""

    def __init__(self, factory: sessionmaker[Session], every: float) -> None:
        super().__init__("folding", lambda: _fold_and_tell(factory), every, wait_first=True)


def _fold_and_tell(factory: sessionmaker[Session]) -> None:
    if counted := fold_all(factory):
        log.info("counted %d pending vacancies into the figures", counted)
