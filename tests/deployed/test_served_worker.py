"""The deployment of docs/scale-out.md, on PostgreSQL: two `jobfair serve` instances behind
Debian's nginx, `jobfair worker` processes (BACKGROUND_WORK=worker), each a process group of its
own, on one database with its streaming replica, one shared IMPORT_DIR, and one Redis for the
limits and the epochs. An import sent through nginx, or to either instance, is run once, by one
worker; a worker killed mid-import writes nothing and its job ends interrupted; a worker told
to stop puts its job back, and the next worker imports it whole, once; reads through nginx
come from the replica, see the client's own write, and equal the primary's."""

import secrets
import time
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from tests import factories as f
from tests.deployed.balancer import Balancer
from tests.deployed.ledger import Registry, encoded, job_ended, send
from tests.deployed.server import ServedApp, ServedWorker, running
from tests.deployed.test_served_replica import replica_of
from tests.redis_service import redis_url

SUMMARY = "/api/v1/stats/summary?from=2023-05-01&to=2023-08-31"
PENDING = "SELECT count(*) FROM stat_pending_vacancies"
# Enough rows to be caught mid-way (several seconds to import here).
ROWS = 200_000


@pytest.fixture(scope="module")
def settings(database, tmp_path_factory) -> dict[str, str]:
    if not database.postgres:
        pytest.skip("the worker runs on PostgreSQL only: on SQLite the web process imports")
    return {
        "BACKGROUND_WORK": "worker",
        "DATABASE_REPLICA_URL": replica_of(database),
        "REPLICA_WAIT_MS": "500",
        "RATE_LIMIT_STORAGE_URL": redis_url(),
        "EPOCHS_BROADCAST_URL": redis_url(),
        "IMPORT_DIR": str(tmp_path_factory.mktemp("shared-imports")),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
    }


@pytest.fixture(scope="module")
def instances(database, settings, tmp_path_factory) -> Iterator[list[ServedApp]]:
    apps = [ServedApp(tmp_path_factory.mktemp("web"), database, **settings) for _ in "ab"]
    with running(apps):
        yield apps


@pytest.fixture
def worker(database, settings, tmp_path_factory) -> Iterator[ServedWorker]:
    worker = ServedWorker(tmp_path_factory.mktemp("worker"), database, **settings)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture(scope="module")
def token(instances) -> str:
    return instances[0].token("national", "worker tests")


@pytest.fixture(scope="module")
def registry(instances, token, database, settings, tmp_path_factory) -> Registry:
    registry = Registry()
    worker = ServedWorker(tmp_path_factory.mktemp("registering"), database, **settings)
    worker.start()
    try:
        with instances[1].client(token) as client:
            registry.register(client)  # imports too: queued, then run by the worker
    finally:
        worker.stop()
    return registry


def _ledger(registry: Registry, prefix: str, rows: int) -> tuple[bytes, str]:
    table = [
        [registry.employers[n % 48], f"队列岗位{n % 89}", 1 + n % 4, "2023-06-20", "就业平台", "",
         f"{prefix}-{n}"]
        for n in range(rows)
    ]  # fmt: skip
    return encoded("vacancies", table, "csv")


def _written(app: ServedApp, prefix: str) -> int:
    sql = "SELECT count(*) FROM vacancies WHERE external_ref LIKE :prefix"
    return app.database.scalar(sql, prefix=f"{prefix}-%")


def _status(app: ServedApp, job_id: int) -> str:
    return app.database.scalar("SELECT status FROM import_jobs WHERE id = :id", id=job_id)


def _queued(app: ServedApp | Balancer, token: str, ledger) -> int:
    with app.client(token) as client:
        answer = send(client, "vacancies", *ledger)
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued"
    return answer.json()["id"]


def _caught_running(app: ServedApp, job_id: int) -> None:
    deadline = time.monotonic() + 30
    while _status(app, job_id) != "running":
        assert time.monotonic() < deadline, "no worker took the job"
        time.sleep(0.05)
    time.sleep(1.5)
    assert _status(app, job_id) == "running", "the import ended before it could be stopped"


def test_an_import_sent_through_nginx_is_run_once_by_a_worker(
    instances, balancer, token, registry, worker
):
    before = [_uploads_received(each) for each in instances]
    job_id = _queued(balancer, token, _ledger(registry, "ONCE", 300))
    received = [_uploads_received(each) - n for each, n in zip(instances, before, strict=True)]
    with balancer.client(token) as client:
        job = job_ended(client, job_id)
    assert (job["status"], job["rows_written"]) == ("succeeded", 300), job
    assert sorted(received) == [0, 1]  # one instance took it
    assert worker.ran(job_id) == 1  # and the worker ran it, once
    assert _written(instances[0], "ONCE") == 300
    # Its vacancies' figures pending, then folded by the worker (the instances leave it to it).
    # The worker logs its fold after committing it, so the log is waited for as well.
    deadline = time.monotonic() + 30
    while not _folded_by(worker, instances[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert instances[0].database.scalar(PENDING) == 0
    assert "pending vacancies into the figures" in worker.log()


def _folded_by(worker: ServedWorker, app: ServedApp) -> bool:
    return not app.database.scalar(PENDING) and "into the figures" in worker.log()


def _uploads_received(app: ServedApp) -> int:
    return app.log().count('"POST /api/v1/imports HTTP/1.1" 202')


def test_imports_sent_to_both_instances_are_each_run_once_by_two_workers(
    instances, token, registry, worker, database, settings, tmp_path_factory
):
    second = ServedWorker(tmp_path_factory.mktemp("second"), database, **settings)
    second.start()
    try:
        sent = [
            _queued(instances[n % 2], token, _ledger(registry, f"BOTH{n}", 20_000 + n))
            for n in range(6)
        ]
        with instances[0].client(token) as client:
            jobs = [job_ended(client, job_id) for job_id in sent]
    finally:
        second.stop()
    assert [job["status"] for job in jobs] == ["succeeded"] * 6
    assert [worker.ran(job_id) + second.ran(job_id) for job_id in sent] == [1] * 6
    assert [_written(instances[0], f"BOTH{n}") for n in range(6)] == [20_000 + n for n in range(6)]


def test_a_worker_killed_mid_import_writes_nothing_and_its_job_ends_interrupted(
    instances, token, registry, worker
):
    ledger = _ledger(registry, "KILLED", ROWS)
    job_id = _queued(instances[0], token, ledger)
    _caught_running(instances[0], job_id)
    worker.kill()
    with instances[1].client(token) as client:
        shown = client.get(f"/api/v1/imports/{job_id}").json()
    assert (shown["status"], shown["rows_written"]) == ("interrupted", 0), shown
    assert _written(instances[0], "KILLED") == 0
    worker.start()
    again = _queued(instances[1], token, ledger)
    with instances[0].client(token) as client:
        job = job_ended(client, again)
    assert (job["status"], job["rows_written"]) == ("succeeded", ROWS), job
    assert _written(instances[0], "KILLED") == ROWS


def test_a_worker_told_to_stop_puts_its_job_back_and_the_next_imports_it_once(
    instances, token, registry, worker, database, settings, tmp_path_factory
):
    job_id = _queued(instances[1], token, _ledger(registry, "REQUEUED", ROWS))
    _caught_running(instances[1], job_id)
    assert worker.terminate(timeout=30) == 0
    assert (_status(instances[0], job_id), _written(instances[0], "REQUEUED")) == ("queued", 0)
    assert "put back in the queue" in worker.log()
    successor = ServedWorker(tmp_path_factory.mktemp("successor"), database, **settings)
    successor.start()
    try:
        with instances[0].client(token) as client:
            job = job_ended(client, job_id)
    finally:
        successor.stop()
    assert (job["status"], job["rows_written"]) == ("succeeded", ROWS), job
    assert (worker.ran(job_id), successor.ran(job_id)) == (1, 1)
    assert _written(instances[0], "REQUEUED") == ROWS


def test_reads_through_nginx_come_from_the_replica_and_equal_the_primarys(
    instances, balancer, token, registry
):
    university = registry.universities[0]
    with balancer.client(token) as client:
        visit = f.visit(university, registry.employers[1], notes="read back through nginx")
        made = f.created(client.post("/api/v1/visits", json=visit))
        listed = client.get("/api/v1/visits", params={"university_code": university, "limit": 500})
        summary = client.get(SUMMARY)
    assert listed.headers["X-Read-From"] == summary.headers["X-Read-From"] == "replica"
    assert float(listed.headers["X-Replica-Lag"]) < 5
    assert made["id"] in {each["id"] for each in listed.json()["items"]}  # its own write
    on_primary = instances[0].database.scalar(
        "SELECT count(*) FROM visits WHERE university_code = :code", code=university
    )
    assert listed.json()["total"] == on_primary
    in_range = "SELECT count(*) FROM visits WHERE visit_date BETWEEN '2023-05-01' AND '2023-08-31'"
    assert summary.json()["figures"]["visits"] == instances[0].database.scalar(in_range)
