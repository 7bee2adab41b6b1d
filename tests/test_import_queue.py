"""Imports queued for `jobfair worker` (BACKGROUND_WORK=worker): the upload answered at once with
a queued job and its file kept where any worker finds it; a worker claims each job once, runs
it, puts it back when told to stop; housekeeping ends what a dead worker left. In-process, on
transactions that really commit; tests/deployed/test_served_worker.py runs the same against
`jobfair serve` instances and `jobfair worker` processes."""

import datetime as dt
import os
import threading
import time

import pytest
from sqlalchemy import func, select

from app.core import idempotency
from app.core.idempotency import IdempotentRequest
from app.core.settings import Settings, get_settings
from app.core.shutdown import stopping
from app.employers.models import Employer
from app.imports import leases, queue, tasks
from app.imports.models import ImportJob
from app.worker import keep_house
from tests.test_imports import csv_bytes, employer_rows, send


@pytest.fixture(autouse=True)
def _queued_for_a_worker(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "background_work", "worker")


@pytest.fixture
def client(committing_client):
    return committing_client


def _status(committed, job_id: int) -> str:
    with committed() as session:
        return session.get_one(ImportJob, job_id).status.value


def _employers(committed) -> int:
    with committed() as session:
        return session.scalar(select(func.count()).select_from(Employer))


def test_an_upload_waits_queued_with_its_file_until_a_worker_runs_it_once(client, committed):
    answer = send(client, "employers", csv_bytes(employer_rows(3)))
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert (job["status"], job["rows_written"]) == ("queued", 0)
    assert queue.file_of(job["id"]).is_file()
    assert _employers(committed) == 0
    # Sent again while it waits: the same job, not a second one.
    again = send(client, "employers", csv_bytes(employer_rows(3)))
    assert (again.status_code, again.json()["id"]) == (200, job["id"])

    assert tasks.run_next(committed) is True
    shown = client.get(f"/api/v1/imports/{job['id']}").json()
    assert (shown["status"], shown["rows_written"]) == ("succeeded", 3)
    assert _employers(committed) == 3
    assert not queue.file_of(job["id"]).exists()
    assert tasks.run_next(committed) is False  # nothing left: run once


def test_a_queued_job_is_not_taken_for_abandoned(client, committed):
    job = send(client, "employers", csv_bytes(employer_rows(2))).json()
    keep_house(committed)
    assert client.get(f"/api/v1/imports/{job['id']}").json()["status"] == "queued"
    assert queue.file_of(job["id"]).is_file()


def test_a_worker_told_to_stop_puts_its_job_back_for_another(client, committed):
    job = send(client, "employers", csv_bytes(employer_rows(2))).json()
    stopping.set()
    try:
        assert tasks.run_next(committed) is True
    finally:
        stopping.clear()
    assert _status(committed, job["id"]) == "queued"
    assert queue.file_of(job["id"]).is_file() and _employers(committed) == 0
    assert tasks.run_next(committed) is True
    assert (_status(committed, job["id"]), _employers(committed)) == ("succeeded", 2)


def test_a_rejected_jobs_file_is_kept_for_its_error_sheet(client, committed):
    rows = employer_rows(2)
    rows[1][0] = "not-a-uscc"
    job = send(client, "employers", csv_bytes(rows)).json()
    tasks.run_next(committed)
    assert _status(committed, job["id"]) == "rejected"
    sheet = client.get(f"/api/v1/imports/{job['id']}/errors")
    assert sheet.status_code == 200 and "not-a-uscc" in sheet.text
    assert not queue.file_of(job["id"]).exists()


def test_a_job_whose_worker_died_is_interrupted_and_its_file_deleted(client, committed):
    job = send(client, "employers", csv_bytes(employer_rows(2))).json()
    job_id, lease = queue.claim(committed)
    assert (job_id, _status(committed, job_id)) == (job["id"], "running")
    keep_house(committed)
    assert _status(committed, job_id) == "running"  # its worker holds the lease: alive
    lease.release()  # as the worker's process dying lets go of it
    keep_house(committed)
    assert _status(committed, job_id) == "interrupted"
    assert not queue.file_of(job_id).exists() and _employers(committed) == 0
    # Nothing was written: the same file may be sent again, and is queued anew.
    again = send(client, "employers", csv_bytes(employer_rows(2)))
    assert again.status_code == 202 and again.json()["status"] == "queued"


def test_housekeeping_deletes_orphaned_files_once_old_and_forgets_expired_keys(committed):
    orphan, young = queue.file_of(990_001), queue.file_of(990_002)
    orphan.parent.mkdir(parents=True)
    for path in (orphan, young):
        path.write_bytes(b"a,b\n")
    an_hour_ago = time.time() - tasks.ORPHAN_SECONDS - 5
    os.utime(orphan, (an_hour_ago, an_hour_ago))
    kept_hours = get_settings().idempotency_keep_hours
    with committed.begin() as session:
        for key, age in (("old", kept_hours + 1), ("new", kept_hours - 1)):
            made = dt.datetime.now(dt.UTC) - dt.timedelta(hours=age)
            session.add(
                IdempotentRequest(
                    owner="t", key=key, fingerprint="f", status_code=201, created_at=made
                )
            )
    keep_house(committed)
    assert (orphan.exists(), young.exists()) == (False, True)
    with committed() as session:
        assert session.scalars(select(IdempotentRequest.key)).all() == ["new"]
        assert idempotency.forget_expired(session) == 0


def test_workers_claiming_side_by_side_never_take_one_job_twice(client, committed):
    if committed.kw["bind"].dialect.name != "postgresql":
        pytest.skip("the worker runs on PostgreSQL only (SKIP LOCKED)")
    sent = [
        send(client, "employers", csv_bytes(employer_rows(n))).json()["id"] for n in range(1, 4)
    ]
    claimed: list[tuple[int, leases.Lease]] = []
    start = threading.Barrier(5)

    def claimer() -> None:
        start.wait()
        if (taken := queue.claim(committed)) is not None:
            claimed.append(taken)

    threads = [threading.Thread(target=claimer) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(job_id for job_id, _ in claimed) == sent
        assert {_status(committed, job_id) for job_id in sent} == {"running"}
    finally:
        for _, lease in claimed:
            lease.release()


def test_the_worker_is_postgresqls_only():
    with pytest.raises(ValueError, match="BACKGROUND_WORK=worker needs a PostgreSQL"):
        Settings(database_url="sqlite:///x.db", background_work="worker")
    assert Settings(database_url="sqlite:///x.db").background_work == "web"


def test_jobfair_worker_on_sqlite_says_the_web_process_imports_there(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from app.cli import cli

    monkeypatch.setattr(get_settings(), "database_url", f"sqlite:///{tmp_path / 'x.db'}")
    ran = CliRunner().invoke(cli, ["worker"])
    assert ran.exit_code == 2
    assert "needs a PostgreSQL DATABASE_URL" in ran.output
    assert not (tmp_path / "x.db").exists()  # refused before anything was made
