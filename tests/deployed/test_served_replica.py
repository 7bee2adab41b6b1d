"""Reads sent to a streaming replica (DATABASE_REPLICA_URL), as deployed: `jobfair serve` on a
database of the machine's PostgreSQL, its replica on 127.0.0.1:5433 (scripts/start_replica.sh;
REPLICA_TEST_PORT). The lists and figures come from the replica, yet a client reads its own
write at once; a replica held back leaves reads to the primary; after catch-up both answer the
same. Skipped without a replica, unless JOBFAIR_REPLICA_TESTS=required (as in .ci/run)."""

import os
import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests import factories as f
from tests.deployed.server import ServedApp

PORT = int(os.environ.get("REPLICA_TEST_PORT", "5433"))
SUMMARY = "/api/v1/stats/summary?from=2023-05-01&to=2023-08-31"


def _in_recovery(url) -> bool:
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, connect_timeout=2
    ) as connection:
        return connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]


def replica_of(database) -> str:
    """The URL of the test database on the replica, once the replica has it."""
    url = make_url(database.url).set(port=PORT)
    deadline, error = time.monotonic() + 10, None
    while time.monotonic() < deadline:
        try:
            if _in_recovery(url):
                return url.render_as_string(hide_password=False)
            error = "it is not a replica"
            break
        except psycopg.Error as failed:  # not up, or the new database not replayed yet
            error = failed
            time.sleep(0.2)
    missing = f"no streaming replica of the test server answers on port {PORT}: {error}"
    if os.environ.get("JOBFAIR_REPLICA_TESTS") == "required":
        pytest.fail(f"the replica tests are required here, but {missing}")
    pytest.skip(missing)


@pytest.fixture(scope="module")
def replicated(database, tmp_path_factory) -> Iterator[tuple[ServedApp, str]]:
    if not database.postgres:
        pytest.skip("a streaming replica is PostgreSQL's")
    replica = replica_of(database)
    served = ServedApp(
        tmp_path_factory.mktemp("replicated"),
        database,
        DATABASE_REPLICA_URL=replica,
        REPLICA_WAIT_MS="500",
        ANSWER_CACHE_MB="0",  # every figure read from a database, to see which
    )
    served.start()
    yield served, replica
    served.stop()


def _replay(replica: str, action: str) -> None:
    url = make_url(replica)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as connection:
        connection.execute(f"SELECT pg_wal_replay_{action}()")


def test_reads_come_from_the_replica_and_see_the_clients_own_write(replicated):
    served, _ = replicated
    with served.client(served.token()) as client:
        f.created(
            client.post("/api/v1/universities", json=f.university("4144010559", "中山大学", "44"))
        )
        listed = client.get("/api/v1/universities", params={"province": "44"})
        assert listed.headers["X-Read-From"] == "replica"
        assert [u["code"] for u in listed.json()["items"]] == ["4144010559"]
        figures = client.get(SUMMARY)
        assert figures.status_code == 200, figures.text
        assert figures.headers["X-Read-From"] == "replica"
        assert 0 <= float(figures.headers["X-Replica-Lag"]) < 5


def test_a_replica_held_back_leaves_reads_to_the_primary_then_answers_alike(replicated):
    served, replica = replicated
    with served.client(served.token()) as client:
        _replay(replica, "pause")
        try:
            f.created(
                client.post(
                    "/api/v1/universities", json=f.university("4144010558", "华南理工大学", "44")
                )
            )
            listed = client.get("/api/v1/universities", params={"province": "44"})
            held_back = client.get(SUMMARY)
        finally:
            _replay(replica, "resume")
        assert listed.headers["X-Read-From"] == "primary"
        assert "4144010558" in [u["code"] for u in listed.json()["items"]]
        caught_up = client.get(SUMMARY)
    assert (held_back.headers["X-Read-From"], caught_up.headers["X-Read-From"]) == (
        "primary",
        "replica",
    )
    assert caught_up.json() == held_back.json()
