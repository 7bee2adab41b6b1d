"""Every kind of ledger, as .xlsx and as a GB18030 CSV, imported by the served app (two
workers); the jobs run after their answer, in transactions of their own.

Before the request's own transaction stopped beginning as SQLite's writer for authentication,
every upload to `jobfair serve` on SQLite was a 500 ("database is locked") after five seconds.
"""

import time

import pytest

from tests.deployed.ledger import UNIVERSITIES, encoded, everything, imported, job_ended, send

FORMATS = ["xlsx", "csv"]


def _records(registry, kind: str, format: str) -> list[list]:
    """A few rows of `kind`, distinct per format (a file sent twice is imported once)."""
    tag = format.upper()
    university, employer = registry.universities[0], registry.employers[0]
    province = registry.province_of(university)
    if kind == "visits":
        return [
            [university, registry.employers[n], f"2023-05-1{n}", 3 + n, "校领导", f"{tag}-V{n}"]
            for n in range(3)
        ]
    if kind == "events":
        return [
            [f"双选会{tag}{n}", "双选会", "线下", "2023-05-20", "2023-05-21", province,
             university, 100 * n, f"{tag}-E{n}"]
            for n in range(3)
        ]  # fmt: skip
    if kind == "event_participants":
        return [[f"{tag}-E{n}", registry.employers[n]] for n in range(3)]
    return [
        [employer, f"工程师{tag}{n}", 2, "2023-06-01", "就业平台", university, f"{tag}-J{n}"]
        for n in range(3)
    ]


@pytest.mark.parametrize("format", FORMATS)
def test_every_kind_of_ledger_is_imported_by_the_served_app(served, national, registry, format):
    with served.client(national) as client:
        for kind in ("visits", "events", "event_participants", "vacancies"):
            job = imported(client, kind, _records(registry, kind, format), format)
            assert (job["rows_read"], job["rows_written"]) == (3, 3), job
        tag = format.upper()
        visits = everything(client, "/api/v1/visits")
        assert sorted(v["external_ref"] for v in visits if v["external_ref"].startswith(tag)) == [
            f"{tag}-V{n}" for n in range(3)
        ]
        events = [e for e in everything(client, "/api/v1/events") if e["title"].endswith(f"{tag}0")]
        assert len(events) == 1 and events[0]["participants"] == [registry.employers[0]]
        vacancies = everything(client, "/api/v1/vacancies", university_code=UNIVERSITIES[0][0])
        assert len([v for v in vacancies if v["external_ref"].startswith(tag)]) == 3


def test_the_registry_was_imported_as_sent(served, national, registry):
    """The universities (.xlsx) and employers (GB18030 CSV) the other tests stand on."""
    with served.client(national) as client:
        codes = {u["code"] for u in everything(client, "/api/v1/universities")}
        assert codes == set(registry.universities)
        employers = everything(client, "/api/v1/employers")
        assert {e["uscc"] for e in employers} == set(registry.employers)
        assert {e["name"] for e in employers if e["uscc"] == registry.employers[0]} == {
            "示例企业0有限公司"
        }


def test_a_university_imports_its_own_visits_with_its_own_token(served, registry):
    university = registry.universities[3]
    token = served.token("university", "本校台账", university=university)
    rows = [["", registry.employers[5], "2023-06-02", 8, "院系负责人", "OWN-1"]]
    with served.client(token) as client:
        job = imported(client, "visits", rows, "csv")
        assert job["rows_written"] == 1
        mine = everything(client, "/api/v1/visits")
    assert {v["university_code"] for v in mine} == {university}


def test_the_same_file_twice_at_once_is_one_job(served, national, registry):
    content, name = encoded("vacancies", _records(registry, "vacancies", "twice"), "csv")
    with served.client(national) as first, served.client(national) as second:
        answers = [
            send(first, "vacancies", content, name),
            send(second, "vacancies", content, name),
        ]
        assert sorted(a.status_code for a in answers) == [200, 202]
        assert len({a.json()["id"] for a in answers}) == 1
        assert job_ended(first, answers[0].json()["id"])["rows_written"] == 3


def test_progress_of_a_running_import_is_answered_while_it_runs(served, national, registry):
    rows = [
        [registry.employers[n % 40], f"进度{n}", 1, "2023-07-01", "就业平台", "", f"P{n}"]
        for n in range(30_000)
    ]
    content, name = encoded("vacancies", rows, "csv")
    with served.client(national) as client:
        answer = send(client, "vacancies", content, name)
        assert answer.status_code == 202, answer.text
        started = time.monotonic()
        seen = client.get(f"/api/v1/imports/{answer.json()['id']}")
        assert seen.status_code == 200 and time.monotonic() - started < 2
        job = job_ended(client, answer.json()["id"])
    assert (job["status"], job["rows_written"]) == ("succeeded", 30_000)
