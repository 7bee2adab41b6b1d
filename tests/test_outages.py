"""The database busy or unreachable is a 503 problem with Retry-After, never a 500: which
errors are that (app/core/outages.py), and how a request that meets one is answered. The
service as deployed meets them for real in tests/deployed/."""

import sqlite3
import threading
import time

import psycopg
import psycopg.errors
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from app.core.db import begin_writing, begin_writing_patiently, make_engine
from app.core.outages import unavailable
from app.visits import service as visits_service
from tests import factories as f


def _wrapped(error: Exception, kind=OperationalError, invalidated: bool = False):
    return kind("SELECT 1", {}, error, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    ("error", "retry_after"),
    [
        (_wrapped(sqlite3.OperationalError("database is locked")), 1),
        (_wrapped(psycopg.errors.LockNotAvailable("lock timeout")), 1),
        (_wrapped(psycopg.errors.DeadlockDetected("deadlock detected")), 1),
        (_wrapped(psycopg.errors.SerializationFailure("could not serialize")), 1),
        (_wrapped(psycopg.OperationalError("connection refused")), 5),
        (_wrapped(psycopg.errors.AdminShutdown("terminating connection")), 5),
        (_wrapped(psycopg.errors.TooManyConnections("too many clients")), 5),
        (_wrapped(psycopg.OperationalError("server closed"), invalidated=True), 5),
        (PoolTimeout("QueuePool limit reached"), 5),
    ],
)
def test_a_busy_or_unreachable_database_is_unavailable(error, retry_after):
    problem = unavailable(error)
    assert problem is not None and problem.status == 503
    assert problem.headers["Retry-After"] == str(retry_after)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sqlite3.OperationalError("no such table: visits")),
        _wrapped(psycopg.errors.UndefinedTable("relation does not exist"), ProgrammingError),
        _wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), IntegrityError),
        ValueError("not the database's"),
    ],
)
def test_other_errors_are_not_taken_for_an_outage(error):
    assert unavailable(error) is None


def test_a_write_that_meets_a_locked_database_is_a_503_and_changes_nothing(
    client, monkeypatch, session
):
    f.register_pku_and_sysu(client, {f.make_uscc(5_001): "11"})
    uscc = f.make_uscc(5_001)

    def locked(*args, **kwargs):
        raise _wrapped(sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(visits_service, "create_visit", locked)
    answer = client.post("/api/v1/visits", json=f.visit(f.PKU, uscc))
    body = f.assert_problem(answer, 503)
    assert body["type"] == "urn:jobfair:problem:unavailable"
    assert answer.headers["Retry-After"] == "1"
    assert f.total(client, "/api/v1/visits") == 0


def test_a_refusal_that_cannot_be_audited_is_a_503_not_a_401_unrecorded(anonymous, monkeypatch):
    from app.audit import service as audit

    def unreachable(*args, **kwargs):
        raise _wrapped(psycopg.OperationalError("connection refused"))

    monkeypatch.setattr(audit, "record_apart", unreachable)
    answer = anonymous.get("/api/v1/visits")
    f.assert_problem(answer, 503)
    assert answer.headers["Retry-After"] == "5"


def test_an_import_waits_for_sqlites_write_lock_as_long_as_it_is_held(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wait.db'}", wait_seconds=0.1)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    with Session(engine) as holder, Session(engine) as importer:
        begin_writing(holder)
        threading.Timer(0.6, holder.rollback).start()
        started = time.monotonic()
        begin_writing_patiently(importer, give_up=lambda: False)
        assert time.monotonic() - started >= 0.5  # past its 0.1 s: it waited patiently
        importer.execute(text("INSERT INTO t VALUES (1)"))
        importer.commit()
        begin_writing(holder)
        with pytest.raises(OperationalError):
            begin_writing_patiently(importer, give_up=lambda: True)
    engine.dispose()


def test_a_record_changed_under_a_write_is_a_409_not_a_500(client, monkeypatch):
    """PostgreSQL: a PATCH whose UPDATE finds the row deleted by a writer it waited for."""
    from sqlalchemy.orm.exc import StaleDataError

    from app.universities import service as universities_service

    f.created(client.post("/api/v1/universities", json=f.university()))

    def deleted_meanwhile(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'universities' expected to update 1 row")

    monkeypatch.setattr(universities_service, "update_university", deleted_meanwhile)
    answer = client.patch(f"/api/v1/universities/{f.PKU}", json={"name": "北大"})
    assert f.assert_problem(answer, 409)["type"] == "urn:jobfair:problem:conflict"


def _hold_the_write_lock_in_turns(engine, until: float, waits: list, refused: list) -> None:
    while time.monotonic() < until:
        with Session(engine) as writer:
            asked = time.monotonic()
            try:
                begin_writing(writer)
            except OperationalError as busy:
                refused.append(busy)
                continue
            waits.append(time.monotonic() - asked)
            writer.execute(text("INSERT INTO t VALUES (1)"))
            time.sleep(0.02)  # a write's work, with the lock held
            writer.commit()


def test_sqlite_writers_side_by_side_each_get_their_turn_within_the_wait(tmp_path):
    """SQLite's own busy wait asks ever more seldom, so a writer that had waited long lost
    the lock to every newcomer, and waited past the bound while most took milliseconds."""
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}", wait_seconds=1.0)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    waits, refused = [], []
    until = time.monotonic() + 4
    writers = [
        threading.Thread(target=_hold_the_write_lock_in_turns, args=(engine, until, waits, refused))
        for _ in range(6)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert not refused and len(waits) > 50, (len(refused), len(waits))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == len(waits)
    engine.dispose()


def test_a_sqlite_writer_gives_up_after_its_wait_and_keeps_its_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'bound.db'}", wait_seconds=0.3)
    with Session(engine) as holder, Session(engine) as writer:
        begin_writing(holder)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"):
            begin_writing(writer)
        assert 0.3 <= time.monotonic() - started < 1.5
        writer.rollback()
        assert writer.execute(text("PRAGMA busy_timeout")).scalar() == 300
        writer.rollback()
        holder.rollback()
        begin_writing(writer)  # its turn, now that the lock is free
        writer.rollback()
    engine.dispose()
