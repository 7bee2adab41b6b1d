"""The served app stopped in the middle of an import: by SIGTERM (a deploy, `docker stop`), and
by SIGKILL to every process (a crash, the OOM killer). Either way the import writes nothing,
its job says it was interrupted, and the same file sent again is imported whole: exactly the
file's rows."""

import threading
import time

from tests.deployed.ledger import encoded, imported, job_ended, send
from tests.deployed.server import ServedApp

# Enough rows to be caught mid-way (several seconds to import here on either database).
ROWS = 200_000


def _ledger(registry, prefix: str, rows: int = ROWS) -> tuple[bytes, str]:
    return encoded("vacancies", _rows(registry, prefix, rows), "csv")


def _rows(registry, prefix: str, rows: int) -> list[list]:
    return [
        [registry.employers[n % 48], f"批量岗位{n % 97}", 1 + n % 3, "2023-06-15", "就业平台", "",
         f"{prefix}-{n}"]
        for n in range(rows)
    ]  # fmt: skip


def _written(app: ServedApp, prefix: str) -> int:
    sql = "SELECT count(*) FROM vacancies WHERE external_ref LIKE :prefix"
    return app.database.scalar(sql, prefix=f"{prefix}-%")


def _job_status(app: ServedApp, job_id: int) -> str:
    return app.database.scalar("SELECT status FROM import_jobs WHERE id = :id", id=job_id)


def _caught_running(app: ServedApp, token: str, ledger) -> int:
    """An import of the ledger, sent, and under way for a while."""
    with app.client(token) as client:
        answer = send(client, "vacancies", *ledger)
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["id"]
    time.sleep(1.5)
    assert _job_status(app, job_id) == "running", "the import ended before it could be stopped"
    return job_id


def _sent_again_imports_exactly_the_file(app: ServedApp, token: str, ledger, stopped: int):
    with app.client(token) as client:
        shown = client.get(f"/api/v1/imports/{stopped}").json()
        assert (shown["status"], shown["rows_written"]) == ("interrupted", 0), shown
        again = send(client, "vacancies", *ledger)
        assert again.status_code == 202, again.text
        job = job_ended(client, again.json()["id"])
    assert (job["status"], job["rows_written"]) == ("succeeded", ROWS), job


def test_kill_9_mid_import_writes_nothing_and_the_file_sent_again_is_imported_once(
    served, national, registry
):
    ledger = _ledger(registry, "KILLED")
    job_id = _caught_running(served, national, ledger)
    served.kill()
    assert _written(served, "KILLED") == 0
    assert _job_status(served, job_id) == "running"  # nobody was left to say otherwise
    served.start()  # the jobs its processes left running are found abandoned as it starts
    assert _job_status(served, job_id) == "interrupted"
    _sent_again_imports_exactly_the_file(served, national, ledger, job_id)
    assert _written(served, "KILLED") == ROWS


def _slow_export(app: ServedApp, token: str, progress: dict[str, threading.Event], out: dict):
    """All the vacancies as CSV, read once the server has been told to stop: an answer still
    being sent when the signal arrives."""
    with (
        app.client(token) as client,
        client.stream("GET", "/api/v1/vacancies/export", params={"format": "csv"}) as answer,
    ):
        out["status"] = answer.status_code
        progress["headers"].set()
        progress["signalled"].wait(60)
        out["lines"] = answer.read().decode("utf-8-sig").count("\n")


def test_sigterm_lets_requests_finish_and_rolls_back_a_running_import(served, national, registry):
    with served.client(national) as client:
        imported(client, "vacancies", _rows(registry, "KEPT", 50_000), "csv")
    exported = served.database.scalar("SELECT count(*) FROM vacancies")
    progress, export = {"headers": threading.Event(), "signalled": threading.Event()}, {}
    reader = threading.Thread(target=_slow_export, args=(served, national, progress, export))
    reader.start()
    assert progress["headers"].wait(30)
    ledger = _ledger(registry, "STOPPED")
    job_id = _caught_running(served, national, ledger)
    started = time.monotonic()
    served.signal_stop()
    progress["signalled"].set()
    assert served.process.wait(60) == 0
    stopping_took = time.monotonic() - started
    reader.join(30)
    assert (export["status"], export["lines"]) == (200, exported + 1)  # finished, whole
    assert stopping_took < 20, "the import held the shutdown"
    assert _job_status(served, job_id) == "interrupted"
    assert _written(served, "STOPPED") == 0
    served.start()
    _sent_again_imports_exactly_the_file(served, national, ledger, job_id)
    assert _written(served, "STOPPED") == ROWS
