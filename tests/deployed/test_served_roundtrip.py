"""Export then import of the same file changes nothing, for every kind, as .xlsx and CSV, for
records with and without a 台账编号; editing one cell changes exactly that record. In the
served app, by the clerk's own path: download the ledger, send it back.

Before exports carried each record's 系统编号, 700 visits typed in through the API, exported and
imported back, were 1,400 visits.
"""

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import factories as f
from tests.deployed.ledger import Registry, everything, job_ended, send

EXPORTS = {
    "universities": "/api/v1/universities/export",
    "employers": "/api/v1/employers/export",
    "visits": "/api/v1/visits/export",
    "events": "/api/v1/events/export",
    "event_participants": "/api/v1/events/participants/export",
    "vacancies": "/api/v1/vacancies/export",
}
LISTS = {
    "universities": "/api/v1/universities",
    "employers": "/api/v1/employers",
    "visits": "/api/v1/visits",
    "events": "/api/v1/events",
    "event_participants": "/api/v1/events",  # participants are listed with their events
    "vacancies": "/api/v1/vacancies",
}


@pytest.fixture(scope="module")
def records(served, national, registry: Registry) -> None:
    """Visits, events and vacancies typed in through the API, most without a 台账编号."""
    with served.client(national) as client:
        for n in range(30):
            university = registry.universities[n % 8]
            employer = registry.employers[n % 48]
            ref = {"external_ref": f"RT-{n}"} if n % 3 == 0 else {}
            notes = '含逗号, 引号"和换行\n的备注' if n == 1 else "=SUM(A1)" if n == 2 else None
            f.created(
                client.post(
                    "/api/v1/visits", json=f.visit(university, employer, notes=notes, **ref)
                )
            )
            f.created(
                client.post(
                    "/api/v1/events",
                    json=f.event(
                        university_code=university,
                        province=registry.province_of(university),
                        participants=registry.employers[n % 40 : n % 40 + 3],
                        **ref,
                    ),
                )
            )
            f.created(
                client.post(
                    "/api/v1/vacancies",
                    json=f.vacancy(
                        employer, university_code=university, majors=["软件工程", "通信工程"], **ref
                    ),
                )
            )


def _exported(client, kind: str, format: str) -> bytes:
    answer = client.get(EXPORTS[kind], params={"format": format})
    assert answer.status_code == 200, answer.text
    return answer.content


def _sent_back(client, kind: str, content: bytes, format: str) -> dict:
    answer = send(client, kind, content, f"{kind}.{format}")
    assert answer.status_code == 202, answer.text
    return job_ended(client, answer.json()["id"])


@pytest.mark.parametrize("format", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", list(EXPORTS))
def test_export_then_import_of_the_same_file_changes_nothing(
    served, national, records, kind, format
):
    with served.client(national) as client:
        before = everything(client, LISTS[kind])
        content = _exported(client, kind, format)
        job = _sent_back(client, kind, content, format)
        assert job["status"] == "succeeded", job
        assert job["rows_written"] == 0 and job["rows_present"] == job["rows_read"] > 0, job
        assert everything(client, LISTS[kind]) == before


def test_700_visits_typed_in_exported_and_imported_back_are_700(
    served, national, registry: Registry
):
    university = "4151099903"
    with served.client(national) as client:
        f.created(
            client.post("/api/v1/universities", json=f.university(university, "成都示例学院", "51"))
        )
    token = served.token("university", "访企拓岗台账", university=university)
    with served.client(token) as client, ThreadPoolExecutor(4) as pool:
        bodies = [
            f.visit(university, registry.employers[n % 48], positions_opened=n % 50)
            for n in range(700)
        ]
        made = pool.map(lambda body: client.post("/api/v1/visits", json=body), bodies)
        assert {answer.status_code for answer in made} == {201}
        job = _sent_back(client, "visits", _exported(client, "visits", "xlsx"), "xlsx")
        assert (job["rows_read"], job["rows_written"], job["rows_present"]) == (700, 0, 700)
        assert client.get("/api/v1/visits").json()["total"] == 700


def test_one_cell_edited_in_an_exported_ledger_changes_exactly_that_record(
    served, national, records
):
    with served.client(national) as client:
        before = {v["id"]: v for v in everything(client, "/api/v1/visits")}
        text = _exported(client, "visits", "csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        ids, opened = header.index("系统编号"), header.index("新开拓岗位数")
        edited = next(row for row in rows[1:] if not row[header.index("台账编号")])
        edited[opened] = str(int(edited[opened]) + 1)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        job = _sent_back(client, "visits", buffer.getvalue().encode("gb18030"), "csv")
        assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
        after = {v["id"]: v for v in everything(client, "/api/v1/visits")}
    changed = int(edited[ids])
    assert after[changed]["positions_opened"] == before[changed]["positions_opened"] + 1
    assert {k: v for k, v in after.items() if k != changed} == {
        k: v for k, v in before.items() if k != changed
    }
