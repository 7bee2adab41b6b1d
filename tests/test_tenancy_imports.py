"""A ledger import writes only within its sender's reach: a university its own records, a
province its department's, national staff anything; the kinds a reach may not import are
refused at once, and a job is seen only within the reach that sent it."""

import pytest
from sqlalchemy import func, select

from app.employers.models import Employer
from app.events.models import Event, EventParticipant
from app.imports.models import ImportJob
from app.vacancies.models import Vacancy
from app.visits.models import Visit
from tests import factories as f
from tests.test_imports import (
    EMPLOYER_HEADER,
    EVENT_HEADER,
    USCC,
    VACANCY_HEADER,
    csv_bytes,
    employer_rows,
    send,
)
from tests.test_imports_errors import csv_of

PKU, SYSU = f.PKU, f.SYSU
VISIT_HEADER = ["学校标识码", "统一社会信用代码", "走访日期", "新开拓岗位数", "台账编号"]
NOT_OURS = "不是本校的记录"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    from app.core.settings import get_settings

    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")


@pytest.fixture
def registered(client):
    """Two universities (Beijing's PKU, Guangdong's SYSU) and three employers."""
    f.created(client.post("/api/v1/universities", json=f.university()))
    f.created(client.post("/api/v1/universities", json=f.university(SYSU, "中山大学", "44")))
    job = done(client, send(client, "employers", csv_bytes(employer_rows())))
    assert job["status"] == "succeeded", job


def done(client, response, headers: dict | None = None) -> dict:
    """The finished job of an accepted upload, read as its sender reads it."""
    assert response.status_code in (200, 202), response.text
    job = client.get(f"/api/v1/imports/{response.json()['id']}", headers=headers or {})
    assert job.status_code == 200, job.text
    assert job.json()["status"] != "running"
    return job.json()


def visit_rows(codes: list[str]) -> list[list]:
    return [VISIT_HEADER] + [
        [code, USCC[n % 3], f"2023-05-{10 + n}", 5 + n, f"V{n}"] for n, code in enumerate(codes)
    ]


def event_row(ref: str, province: str = "", university: str = "", attendance: int = 100):
    return ["春季双选会", "双选会", "线下", "2023-05-20", "2023-05-21", province, university, attendance, ref]  # fmt: skip


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# Visits


@pytest.mark.parametrize("column", ["blank", "left out"])
def test_a_universitys_visits_without_a_code_are_its_own(
    client, bearer, session, registered, column
):
    rows = visit_rows(["", "", ""])
    if column == "left out":
        rows = [row[1:] for row in rows]
    pku = bearer("university", university_code=PKU)
    job = done(client, send(client, "visits", csv_bytes(rows), headers=pku), pku)
    assert (job["status"], job["rows_written"], job["error_count"]) == ("succeeded", 3, 0), job
    owners = session.scalars(select(Visit.university_code).order_by(Visit.external_ref)).all()
    assert owners == [PKU, PKU, PKU]


def test_a_university_may_give_its_own_code(client, bearer, session, registered):
    pku = bearer("university", university_code=PKU)
    job = done(client, send(client, "visits", csv_bytes(visit_rows([PKU, ""])), headers=pku), pku)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    assert session.scalars(select(Visit.university_code).distinct()).all() == [PKU]


def test_a_visit_of_another_university_rejects_the_job_and_marks_its_row(
    client, bearer, session, registered
):
    pku = bearer("university", university_code=PKU)
    content = csv_bytes(visit_rows(["", SYSU, ""]))
    job = done(client, send(client, "visits", content, headers=pku), pku)
    assert (job["status"], job["rows_read"], job["rows_written"]) == ("rejected", 3, 0), job
    assert job["error_count"] == 1
    [error] = job["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "学校标识码", SYSU)
    assert NOT_OURS in error["reason"]
    assert "not this university's record" in error["reason_en"]
    assert count(session, Visit) == 0
    # The error sheet, checked again within the sender's reach, marks that row alone.
    sheet = client.get(f"/api/v1/imports/{job['id']}/errors", headers=pku)
    reasons = [row[-1] for row in csv_of(sheet)]
    assert reasons[0] == "错误原因 / Errors"
    assert reasons[1] == reasons[3] == ""
    assert reasons[2].startswith(f"学校标识码：学校标识码“{SYSU}”{NOT_OURS}")


def test_the_same_file_from_national_staff_writes_both_universities(client, session, registered):
    job = done(client, send(client, "visits", csv_bytes(visit_rows([PKU, SYSU]))))
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    assert sorted(session.scalars(select(Visit.university_code)).all()) == [PKU, SYSU]


def test_national_staff_name_the_university_of_each_visit(client, session, registered):
    job = done(client, send(client, "visits", csv_bytes(visit_rows([PKU, ""]))))
    assert (job["status"], job["rows_written"]) == ("rejected", 0), job
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "学校标识码")]
    assert job["errors"][0]["reason"] == "学校标识码不能为空"
    assert count(session, Visit) == 0


def test_a_province_may_not_import_visits(client, bearer, session, registered, tmp_path):
    jobs = count(session, ImportJob)
    response = send(
        client, "visits", csv_bytes(visit_rows(["", ""])), headers=bearer("province", province="11")
    )
    body = f.assert_problem(response, 403, "kind")
    assert "Visits" in body["detail"]
    assert count(session, ImportJob) == jobs
    assert count(session, Visit) == 0
    uploads = tmp_path / "imports"
    assert not uploads.exists() or [p for p in uploads.rglob("*") if p.is_file()] == []


# The registries


@pytest.mark.parametrize("role", ["university", "province"])
def test_only_national_staff_import_universities(client, bearer, session, registered, role):
    reach = {"university_code": PKU} if role == "university" else {"province": "11"}
    rows = [["学校标识码", "学校名称", "所在省份"], ["4131010001", "复旦大学", "31"]]
    jobs = count(session, ImportJob)
    response = send(client, "universities", csv_bytes(rows), headers=bearer(role, **reach))
    f.assert_problem(response, 403, "kind")
    assert count(session, ImportJob) == jobs
    assert client.get("/api/v1/universities/4131010001").status_code == 404


def test_a_university_adds_employers_and_leaves_registered_ones_as_they_are(
    client, bearer, session, registered
):
    new = f.make_uscc(7100, "11")
    rows = [
        EMPLOYER_HEADER,
        [USCC[0], "改过名字的公司", "制造业", "广东省", "国有企业", "大型"],
        [new, "新登记的公司", "制造业", "北京市", "民营企业", "小型"],
    ]
    pku = bearer("university", university_code=PKU)
    job = done(client, send(client, "employers", csv_bytes(rows), headers=pku), pku)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    kept = session.execute(
        select(Employer.name, Employer.industry, Employer.province).where(Employer.uscc == USCC[0])
    ).one()
    assert tuple(kept) == ("北京示例科技有限公司0", "I", "11")
    added = session.scalar(select(Employer.name).where(Employer.uscc == new))
    assert added == "新登记的公司"


# Events and vacancies


def test_a_provinces_events_are_its_departments_in_its_province(
    client, bearer, session, registered
):
    gd = bearer("province", province="44")
    rows = [EVENT_HEADER, event_row("P1"), event_row("P2", province="广东省")]
    job = done(client, send(client, "events", csv_bytes(rows), headers=gd), gd)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    written = session.execute(
        select(Event.external_ref, Event.province, Event.university_code).order_by(
            Event.external_ref
        )
    ).all()
    assert [tuple(row) for row in written] == [("P1", "44", None), ("P2", "44", None)]


def test_a_provinces_event_elsewhere_or_of_a_university_is_a_bad_row(
    client, bearer, session, registered
):
    gd = bearer("province", province="44")
    rows = [
        EVENT_HEADER,
        event_row("P1"),
        event_row("P2", province="11"),
        event_row("P3", university=SYSU),
        event_row("P1", province="44"),
    ]
    job = done(client, send(client, "events", csv_bytes(rows), headers=gd), gd)
    assert (job["status"], job["rows_written"], job["error_count"]) == ("rejected", 0, 3), job
    found = [(e["row"], e["column"], e["value"]) for e in job["errors"]]
    assert found == [(3, "举办省份", "11"), (4, "主办高校标识码", SYSU), (5, "台账编号", "P1")]
    assert "不是本省的记录" in job["errors"][0]["reason"]
    assert "not this province's record" in job["errors"][0]["reason_en"]
    assert count(session, Event) == 0


def test_a_provinces_reimport_updates_its_departments_events_only(
    client, bearer, session, registered
):
    national = [EVENT_HEADER, event_row("E1", "44", SYSU, attendance=100)]
    assert done(client, send(client, "events", csv_bytes(national)))["rows_written"] == 1
    gd = bearer("province", province="44")
    first = [EVENT_HEADER, event_row("E1", attendance=500)]
    job = done(client, send(client, "events", csv_bytes(first), headers=gd), gd)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 0), job
    again = [EVENT_HEADER, event_row("E1", attendance=600), event_row("E2", attendance=7)]
    job = done(client, send(client, "events", csv_bytes(again), headers=gd), gd)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 2, 0), job
    events = session.execute(select(Event.external_ref, Event.university_code, Event.attendance))
    assert sorted(events, key=repr) == sorted(
        [("E1", SYSU, 100), ("E1", None, 600), ("E2", None, 7)], key=repr
    )


def test_a_universitys_events_are_its_own(client, bearer, session, registered):
    pku = bearer("university", university_code=PKU)
    rows = [EVENT_HEADER, event_row("E1"), event_row("E2", "44", PKU)]
    job = done(client, send(client, "events", csv_bytes(rows), headers=pku), pku)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    written = session.execute(
        select(Event.external_ref, Event.university_code, Event.province)
    ).all()
    # Held, unless told, in the university's province.
    assert sorted(written) == [("E1", PKU, "11"), ("E2", PKU, "44")]
    bad = [EVENT_HEADER, event_row("E3", "44", SYSU)]
    job = done(client, send(client, "events", csv_bytes(bad), headers=pku), pku)
    assert job["status"] == "rejected", job
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(2, "主办高校标识码")]
    assert NOT_OURS in job["errors"][0]["reason"]
    assert count(session, Event) == 2


def vacancy_row(ref: str, university: str = "", province: str = "", headcount: int = 1):
    return [USCC[0], "软件工程师", headcount, "2023-05-01", "就业平台", "本科", "软件工程", ref, university, province]  # fmt: skip


VACANCY_COLUMNS = [*VACANCY_HEADER, "统计省份"]


def test_a_universitys_vacancy_rows_match_its_own_vacancies_only(
    client, bearer, session, registered
):
    national = [VACANCY_COLUMNS, vacancy_row("R1", SYSU, "44", headcount=3)]
    assert done(client, send(client, "vacancies", csv_bytes(national)))["rows_written"] == 1
    pku = bearer("university", university_code=PKU)
    rows = [VACANCY_COLUMNS, vacancy_row("R1", headcount=9)]
    job = done(client, send(client, "vacancies", csv_bytes(rows), headers=pku), pku)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 0), job
    vacancies = session.execute(
        select(Vacancy.university_code, Vacancy.headcount, Vacancy.province)
    ).all()
    assert sorted(tuple(v) for v in vacancies) == [(PKU, 9, "11"), (SYSU, 3, "44")]
    bad = [VACANCY_COLUMNS, vacancy_row("R2"), vacancy_row("R3", SYSU)]
    job = done(client, send(client, "vacancies", csv_bytes(bad), headers=pku), pku)
    assert job["status"] == "rejected", job
    assert [(e["row"], e["column"], e["value"]) for e in job["errors"]] == [(3, "学校标识码", SYSU)]
    assert count(session, Vacancy) == 2


def test_a_provinces_vacancies_are_counted_in_its_province(client, bearer, session, registered):
    gd = bearer("province", province="44")
    rows = [VACANCY_COLUMNS, vacancy_row("G1"), vacancy_row("G2", province="11")]
    job = done(client, send(client, "vacancies", csv_bytes(rows), headers=gd), gd)
    assert job["status"] == "rejected", job
    assert [(e["row"], e["column"], e["value"]) for e in job["errors"]] == [(3, "统计省份", "11")]
    job = done(client, send(client, "vacancies", csv_bytes(rows[:2]), headers=gd), gd)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    written = session.execute(select(Vacancy.province, Vacancy.university_code)).one()
    assert tuple(written) == ("44", None)  # the employer's province would have been 11


def test_participants_of_another_universitys_event_are_bad_rows(
    client, bearer, session, registered
):
    # SYSU's event held in Beijing: in PKU's province, and yet not PKU's.
    events = [EVENT_HEADER, event_row("S1", "11", SYSU), event_row("K1", "11", PKU)]
    assert done(client, send(client, "events", csv_bytes(events)))["rows_written"] == 2
    pku = bearer("university", university_code=PKU)
    rows = [["活动台账编号", "统一社会信用代码"], ["K1", USCC[0]], ["S1", USCC[1]]]
    job = done(client, send(client, "event_participants", csv_bytes(rows), headers=pku), pku)
    assert job["status"] == "rejected", job
    [error] = job["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "活动台账编号", "S1")
    assert "不存在" in error["reason"]
    assert count(session, EventParticipant) == 0
    job = done(client, send(client, "event_participants", csv_bytes(rows[:2]), headers=pku), pku)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert count(session, EventParticipant) == 1


# Jobs, within their reach


def test_a_job_is_seen_only_within_the_reach_that_sent_it(client, bearer, registered):
    pku = bearer("university", university_code=PKU)
    job = done(client, send(client, "visits", csv_bytes(visit_rows([SYSU])), headers=pku), pku)
    assert job["status"] == "rejected", job
    url = f"/api/v1/imports/{job['id']}"
    assert client.get(f"{url}/errors", headers=pku).status_code == 200
    for outsider in (
        bearer("university", university_code=SYSU),
        bearer("province", province="44"),
    ):
        f.assert_problem(client.get(url, headers=outsider), 404)
        f.assert_problem(client.get(f"{url}/errors", headers=outsider), 404)
    for above in (bearer("province", province="11"), {}):  # {}: the national client's own
        assert client.get(url, headers=above).json()["id"] == job["id"]
        assert client.get(f"{url}/errors", headers=above).status_code == 200


def test_the_same_file_is_one_job_per_reach(client, bearer, session, registered):
    content = csv_bytes(visit_rows(["", ""]))
    pku = bearer("university", university_code=PKU)
    sysu = bearer("university", university_code=SYSU)
    first = send(client, "visits", content, headers=pku)
    other = send(client, "visits", content, headers=sysu)
    assert (first.status_code, other.status_code) == (202, 202)
    assert first.json()["id"] != other.json()["id"]
    again = send(client, "visits", content, "另一个名字.csv", headers=bearer("university", university_code=PKU))  # fmt: skip
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    owners = session.scalars(select(Visit.university_code)).all()
    assert sorted(owners) == [PKU, PKU, SYSU, SYSU]


def _shaded_headers(content: bytes) -> set[str]:
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    # Required columns' headers are shaded #FCE4D6 (app/imports/templates.py).
    return {cell.value for cell in sheet[1] if str(cell.fill.fgColor.rgb).endswith("FCE4D6")}


def test_a_universitys_template_does_not_ask_for_its_own_code(client, bearer):
    f.register_pku_and_sysu(client, {})
    path = "/api/v1/imports/templates/visits.xlsx"
    national = _shaded_headers(client.get(path).content)
    own = _shaded_headers(
        client.get(path, headers=bearer("university", university_code=f.PKU)).content
    )
    assert "学校标识码" in national
    assert national - own == {"学校标识码"}
