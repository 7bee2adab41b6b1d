"""An import job's lease: held by whoever runs the job, seen held from any other session or
thread, and free the moment its holder lets go of it or dies (app/imports/leases.py); and
SIGTERM stopping a running import at its next batch (app/core/shutdown.py)."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core import shutdown
from app.imports import leases, service
from tests import factories as f
from tests.test_imports import csv_bytes, employer_rows, finished, send


@pytest.fixture
def factory(committing_engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(committing_engine, expire_on_commit=False)


def _held(factory: sessionmaker[Session], job_id: int) -> bool:
    with factory() as session:
        return leases.is_held(session, job_id)


def test_a_lease_is_seen_held_until_it_is_let_go_of(factory):
    with factory() as session:
        lease = leases.take(session, 41)
    assert _held(factory, 41) and not _held(factory, 42)
    lease.release()
    assert not _held(factory, 41)


def test_a_lease_is_free_the_moment_its_process_dies(factory, committing_engine):
    url = committing_engine.url.render_as_string(hide_password=False)
    holder = textwrap.dedent(
        f"""
        import sys, time
        from sqlalchemy.orm import Session
        from app.core.db import make_engine
        from app.imports import leases
        with Session(make_engine({url!r})) as session:
            lease = leases.take(session, 43)
        print("held", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        assert process.stdout.readline().strip() == "held"
        assert _held(factory, 43)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert not _held(factory, 43)


def test_sigterm_sets_stopping_and_hands_the_signal_on():
    received = []
    chained = shutdown._chained(lambda number, frame: received.append(number))
    try:
        chained(signal.SIGTERM, None)
        assert shutdown.stopping.is_set() and received == [signal.SIGTERM]
    finally:
        shutdown.stopping.clear()


def test_an_import_under_way_when_the_service_stops_is_interrupted_and_writes_nothing(client):
    shutdown.stopping.set()
    try:
        job = finished(client, send(client, "employers", csv_bytes(employer_rows(3))))
    finally:
        shutdown.stopping.clear()
    assert (job["status"], job["rows_written"]) == ("interrupted", 0)
    assert "interrupted" in job["message"]
    assert f.total(client, "/api/v1/employers") == 0
    again = finished(client, send(client, "employers", csv_bytes(employer_rows(3))))
    assert (again["status"], again["rows_written"]) == ("succeeded", 3)
    assert service.ImportStatus.INTERRUPTED.label == "中断，未写入"
