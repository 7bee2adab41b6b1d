"""PostgreSQL going away, and coming back, under the served app: it reaches its database
through a TCP proxy the test cuts (every connection dropped, new ones refused) and restores.

While the database is away, requests that need it are answered 503 problem+json with
Retry-After within seconds, never a 500 and never a hang; once it is back, the service answers
again without a restart. An import that lost its connection is marked failed, having written
nothing, and its file can be sent again. (SQLite is a file of the same machine: it does not go
away like this.)
"""

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from tests import factories as f
from tests.deployed.ledger import Registry, encoded, job_ended, send
from tests.deployed.proxy import TcpProxy
from tests.deployed.server import ServedApp

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL only: the database is cut off through a TCP proxy",
)
ANSWERED_WITHIN = 5.0


@pytest.fixture(scope="module")
def proxy(database) -> Iterator[TcpProxy]:
    url = make_url(database.url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def served(database, proxy, tmp_path_factory) -> Iterator[ServedApp]:
    """The service, reaching its database through the proxy."""
    app = ServedApp(tmp_path_factory.mktemp("behind-proxy"), database)
    proxied = make_url(database.url).set(host="127.0.0.1", port=proxy.port)
    app.env["DATABASE_URL"] = proxied.render_as_string(hide_password=False)
    app.start()
    yield app
    app.stop()


@pytest.fixture
def cut_off(proxy) -> Iterator[TcpProxy]:
    yield proxy
    proxy.restore()


def _timed(client, method: str, url: str, **options):
    started = time.monotonic()
    answer = client.request(method, url, **options)
    return answer, time.monotonic() - started


def test_while_the_database_is_away_requests_are_503_then_answered_again(
    served, national, registry: Registry, cut_off
):
    visit = f.visit(registry.universities[0], registry.employers[0])
    unknown_yet = served.token("reader", "never used before the cut")
    with served.client(national, timeout=30) as client:
        assert client.get("/api/v1/visits").status_code == 200
        cut_off.cut()
        # Who a token known to the worker stands for is known without the database; a token
        # not yet known needs it.
        assert client.get("/api/v1/auth/me").status_code == 200
        for method, url, body, token in [
            ("GET", "/api/v1/visits", None, national),
            ("POST", "/api/v1/visits", visit, national),
            ("GET", "/api/v1/stats/summary", None, national),
            ("GET", "/api/v1/auth/me", None, unknown_yet),
        ]:
            headers = {"Authorization": f"Bearer {token}"}
            answer, took = _timed(client, method, url, json=body, headers=headers)
            assert answer.status_code == 503, (url, answer.text)
            f.assert_problem(answer, 503)
            assert int(answer.headers["Retry-After"]) >= 1
            assert took < ANSWERED_WITHIN, (url, took)
        assert client.get("/health").status_code == 200  # the process itself is fine
        cut_off.restore()
        deadline = time.monotonic() + 20
        while client.get("/api/v1/visits").status_code != 200:
            assert time.monotonic() < deadline, "the service did not come back"
            time.sleep(0.2)
        assert client.post("/api/v1/visits", json=visit).status_code == 201
    assert "Internal Server Error" not in served.log()


def test_an_import_that_loses_its_database_is_marked_failed_and_wrote_nothing(
    served, national, registry: Registry, cut_off
):
    rows = [
        [registry.employers[n % 48], "断线岗位", 1, "2023-06-20", "就业平台", "", f"CUT-{n}"]
        for n in range(150_000)
    ]
    ledger = encoded("vacancies", rows, "csv")
    with served.client(national, timeout=30) as client:
        answer = send(client, "vacancies", *ledger)
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        time.sleep(1.5)
        cut_off.cut()
        time.sleep(3)
        cut_off.restore()
        deadline = time.monotonic() + 60
        while (job := client.get(f"/api/v1/imports/{job_id}").json())["status"] != "failed":
            assert time.monotonic() < deadline, job
            time.sleep(0.5)
        assert job["rows_written"] == 0 and "failed" in job["message"]
        written = "SELECT count(*) FROM vacancies WHERE external_ref LIKE 'CUT-%'"
        assert served.database.scalar(written) == 0
        again = send(client, "vacancies", *ledger)
        assert again.status_code == 202, again.text
        assert job_ended(client, again.json()["id"])["rows_written"] == 150_000
    assert served.database.scalar(written) == 150_000
