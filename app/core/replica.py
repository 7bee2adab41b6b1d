"""Reads sent to a PostgreSQL streaming replica (DATABASE_REPLICA_URL): the statistics, the
bulletin and the lists. Writes, and every other read, go to the primary.

A read first asks the primary how far its WAL has gone (a statement that reads no table), then
is answered by the replica once the replica has replayed that far: it sees every write
committed before the request, the client's own included, as the primary would, so that an
answer kept in memory under the figures' epoch (app/core/answers.py) is never older than the
epoch. A replica further behind than REPLICA_MAX_LAG_SECONDS, one that has not caught up within
REPLICA_WAIT_MS, or one that does not answer, leaves the read to the primary. The answer says
which served it (`X-Read-From`) and how far behind the replica was (`X-Replica-Lag`, seconds).
"""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Response
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import (
    DATABASE_ERRORS,
    SessionFactoryDep,
    get_engine,
    make_engine,
    transactional_session,
)
from app.core.settings import get_settings

log = logging.getLogger(__name__)

READ_FROM, REPLICA_LAG = "X-Read-From", "X-Replica-Lag"
_POLL_SECONDS = 0.005
# Seconds since the last transaction replayed, when some WAL received is not replayed yet: an
# idle replica is not behind, however old its last transaction.
_REPLAYED = text(
    "SELECT pg_last_wal_replay_lsn() >= CAST(:target AS pg_lsn), "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0) "
    "END"
)


@dataclass(frozen=True)
class ReadFrom:
    """Which database answered a read, and the replica's lag then (None: not measured)."""

    name: str
    lag: float | None = None

    def headers(self) -> dict[str, str]:
        lag = {} if self.lag is None else {REPLICA_LAG: f"{self.lag:.3f}"}
        return {READ_FROM: self.name, **lag}


class _Unanswered:
    until = 0.0  # (monotonic) the replica is not asked before then


_unanswered = _Unanswered()
RETRY_SECONDS = 10


@lru_cache
def _replica_engine() -> Engine | None:
    settings = get_settings()
    if settings.database_replica_url is None:
        return None
    return make_engine(settings.database_replica_url, wait_seconds=settings.db_wait_seconds)


@lru_cache
def _replica_sessionmaker() -> sessionmaker[Session] | None:
    engine = _replica_engine()
    return None if engine is None else sessionmaker(bind=engine, expire_on_commit=False)


def _primary_position() -> str:
    with get_engine().connect() as connection:
        return str(connection.scalar(text("SELECT pg_current_wal_lsn()")))


def _replica_lag_once_caught_up(target: str) -> float | None:
    """The replica's lag once it has replayed `target`; None if it is too far behind, or has
    not got there in time."""
    settings = get_settings()
    deadline = time.monotonic() + settings.replica_wait_ms / 1000
    with _replica_engine().connect() as connection:
        while True:
            caught_up, lag = connection.execute(_REPLAYED, {"target": target}).one()
            if lag > settings.replica_max_lag_seconds:
                return None
            if caught_up:
                return float(lag)
            if time.monotonic() >= deadline:
                return None
            connection.rollback()  # a fresh snapshot of the replay position
            time.sleep(_POLL_SECONDS)


def choose(primary: sessionmaker[Session]) -> tuple[sessionmaker[Session], ReadFrom | None]:
    """The sessions a read should use: the replica's, or `primary` (the request's); and which
    database that is (None: no replica configured)."""
    replica = _replica_sessionmaker()
    if replica is None:
        return primary, None
    if time.monotonic() < _unanswered.until:
        return primary, ReadFrom("primary")
    try:
        lag = _replica_lag_once_caught_up(_primary_position())
    except DATABASE_ERRORS as error:
        # Not asked again for a while: each read would wait for it to time out.
        _unanswered.until = time.monotonic() + RETRY_SECONDS
        log.warning("reading from the primary: the replica did not answer (%s)", error)
        return primary, ReadFrom("primary")
    if lag is None:
        return primary, ReadFrom("primary")
    return replica, ReadFrom("replica", lag)


def get_read_session(response: Response, primary: SessionFactoryDep) -> Iterator[Session]:
    """A list's or a figure's session: the replica's when it may answer (see above)."""
    factory, read_from = choose(primary)
    if read_from is not None:
        response.headers.update(read_from.headers())
    yield from transactional_session(factory)


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
