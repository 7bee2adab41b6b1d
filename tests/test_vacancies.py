import datetime as dt

import pytest

from app.core.errors import AlreadyExists, InvalidInput, NotFound, UnknownReference
from app.core.filters import DateRange
from app.core.pagination import PageParams
from app.vacancies import service
from app.vacancies.models import Education, PolicyProgram, Vacancy, VacancySource
from app.vacancies.schemas import VacancyCreate, VacancyUpdate
from tests import factories as f

API = "/api/v1/vacancies"
BJ_FIRM = f.make_uscc(101, "11")
SZ_FIRM = f.make_uscc(103, "44")
SH_FIRM = f.make_uscc(104, "31")
UNKNOWN_FIRM = f.make_uscc(199, "11")
MISSING_ID = 987654321


@pytest.fixture
def refs(client):
    """Two universities (Beijing, Guangdong) and employers in Beijing, Shenzhen and Shanghai."""
    f.register_pku_and_sysu(client, {BJ_FIRM: "11", SZ_FIRM: "44", SH_FIRM: "31"})


def make_event(client, **fields) -> int:
    """An event in Guangdong organised by f.SYSU, unless `fields` say otherwise."""
    body = f.event(**{"province": "44", "university_code": f.SYSU, **fields})
    return f.created(client.post("/api/v1/events", json=body))["id"]


def make_visit(client, university_code: str = f.PKU, employer_uscc: str = BJ_FIRM) -> int:
    return f.created(client.post("/api/v1/visits", json=f.visit(university_code, employer_uscc)))[
        "id"
    ]


def create(client, employer_uscc: str = BJ_FIRM, **fields) -> dict:
    return f.created(client.post(API, json=f.vacancy(employer_uscc, **fields)))


# --- CRUD ---------------------------------------------------------------------------------


def test_create_read_update_delete(client, refs):
    body = create(
        client,
        education="master",
        majors=["计算机科学与技术"],
        work_province="上海市",
        external_ref="GW-001",
    )
    assert body == {
        "id": body["id"],
        "employer_uscc": BJ_FIRM,
        "title": "软件开发工程师",
        "headcount": 5,
        "posted_date": "2023-06-01",
        "source": "direct",
        "event_id": None,
        "visit_id": None,
        "province": "11",
        "university_code": None,
        "education": "master",
        "majors": ["计算机科学与技术"],
        "work_province": "31",
        "policy_program": None,
        "external_ref": "GW-001",
    }
    assert client.get(f"{API}/{body['id']}").json() == body

    updated = client.patch(
        f"{API}/{body['id']}",
        json={"headcount": 20, "policy_program": "three_supports", "work_province": None},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json() == {
        **body,
        "headcount": 20,
        "policy_program": "three_supports",
        "work_province": None,
    }
    assert client.get(f"{API}/{body['id']}").json() == updated.json()

    assert client.delete(f"{API}/{body['id']}").status_code == 204
    f.assert_problem(client.get(f"{API}/{body['id']}"), 404)
    assert f.total(client, API) == 0


def test_education_defaults_to_any(client, refs):
    body = create(client)
    assert body["education"] == "any"
    assert body["majors"] == []
    assert body["policy_program"] is None


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_vacancy_is_404(client, refs, method):
    kwargs = {"json": {"headcount": 2}} if method == "patch" else {}
    problem = f.assert_problem(getattr(client, method)(f"{API}/{MISSING_ID}", **kwargs), 404)
    assert problem["type"] == "urn:jobfair:problem:not-found"


# --- where a vacancy is counted -----------------------------------------------------------


def test_vacancy_from_an_event_is_counted_at_the_event(client, refs):
    event_id = make_event(client)
    body = create(client, BJ_FIRM, source="event", event_id=event_id)
    assert (body["province"], body["university_code"]) == ("44", f.SYSU)
    assert body["event_id"] == event_id


def test_vacancy_from_a_department_event_has_no_university(client, refs):
    event_id = make_event(
        client, province="51", university_code=None, organizer_name="四川省教育厅"
    )
    body = create(client, SZ_FIRM, source="event", event_id=event_id)
    assert (body["province"], body["university_code"]) == ("51", None)


def test_vacancy_from_a_visit_is_counted_at_the_visiting_university(client, refs):
    visit_id = make_visit(client, university_code=f.PKU, employer_uscc=SZ_FIRM)
    body = create(client, SZ_FIRM, source="visit", visit_id=visit_id)
    assert (body["province"], body["university_code"]) == ("11", f.PKU)
    assert body["visit_id"] == visit_id


@pytest.mark.parametrize(
    ("employer", "source", "province"),
    [(SZ_FIRM, "direct", "44"), (SH_FIRM, "platform", "31"), (BJ_FIRM, "event", "11")],
)
def test_vacancy_from_neither_is_counted_in_employer_province(
    client, refs, employer, source, province
):
    body = create(client, employer, source=source)
    assert (body["province"], body["university_code"]) == (province, None)


def test_explicit_province_overrides_the_event(client, refs):
    event_id = make_event(client)
    body = create(client, source="event", event_id=event_id, province="四川")
    assert (body["province"], body["university_code"]) == ("51", f.SYSU)


def test_explicit_province_overrides_the_employer(client, refs):
    body = create(client, SZ_FIRM, province="310000")
    assert body["province"] == "31"


def test_explicit_university_overrides_the_visit(client, refs):
    visit_id = make_visit(client)
    body = create(client, source="visit", visit_id=visit_id, university_code=f.SYSU)
    assert (body["province"], body["university_code"]) == ("11", f.SYSU)


def test_explicit_university_without_event_keeps_employer_province(client, refs):
    body = create(client, SZ_FIRM, university_code=f.PKU)
    assert (body["province"], body["university_code"]) == ("44", f.PKU)


# --- links to events and visits -----------------------------------------------------------


@pytest.mark.parametrize("source", ["visit", "platform", "direct"])
def test_event_id_with_other_source_is_422_naming_event_id(client, refs, source):
    event_id = make_event(client)
    problem = f.assert_problem(
        client.post(API, json=f.vacancy(BJ_FIRM, source=source, event_id=event_id)),
        422,
        "event_id",
    )
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize("source", ["event", "platform", "direct"])
def test_visit_id_with_other_source_is_422_naming_visit_id(client, refs, source):
    visit_id = make_visit(client)
    f.assert_problem(
        client.post(API, json=f.vacancy(BJ_FIRM, source=source, visit_id=visit_id)),
        422,
        "visit_id",
    )
    assert f.total(client, API) == 0


def test_visit_of_another_employer_is_422_naming_visit_id(client, refs):
    visit_id = make_visit(client, employer_uscc=BJ_FIRM)
    problem = f.assert_problem(
        client.post(API, json=f.vacancy(SZ_FIRM, source="visit", visit_id=visit_id)),
        422,
        "visit_id",
    )
    assert BJ_FIRM in problem["detail"]
    assert f.total(client, API) == 0


@pytest.mark.parametrize("source", ["event", "visit"])
def test_both_event_and_visit_is_422(client, refs, source):
    event_id = make_event(client)
    visit_id = make_visit(client)
    body = f.vacancy(BJ_FIRM, source=source, event_id=event_id, visit_id=visit_id)
    problem = f.assert_problem(client.post(API, json=body), 422, "visit_id")
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize(("source", "field"), [("event", "event_id"), ("visit", "visit_id")])
def test_unknown_event_or_visit_is_422_naming_it(client, refs, source, field):
    body = f.vacancy(BJ_FIRM, source=source, **{field: MISSING_ID})
    problem = f.assert_problem(client.post(API, json=body), 422, field)
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert str(MISSING_ID) in problem["detail"]
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"employer_uscc": UNKNOWN_FIRM}, "employer_uscc"),
        ({"university_code": f.UNKNOWN_UNIVERSITY}, "university_code"),
    ],
)
def test_unknown_employer_or_university_is_422_naming_it(client, refs, changes, field):
    body = {**f.vacancy(BJ_FIRM), **changes}
    problem = f.assert_problem(client.post(API, json=body), 422, field)
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert f.total(client, API) == 0


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"headcount": 0}, "headcount"),
        ({"headcount": -3}, "headcount"),
        ({"headcount": 1_000_001}, "headcount"),
        ({"headcount": "五"}, "headcount"),
        ({"source": "fair"}, "source"),
        ({"source": "招聘活动"}, "source"),
        ({"education": "phd"}, "education"),
        ({"education": None}, "education"),
        ({"policy_program": "xyz"}, "policy_program"),
        ({"posted_date": "2023-02-30"}, "posted_date"),
        ({"province": "99"}, "province"),
        ({"work_province": "990000"}, "work_province"),
        ({"university_code": "5111010001"}, "university_code"),
        ({"employer_uscc": f.with_wrong_check_digit(BJ_FIRM)}, "employer_uscc"),
        ({"event_id": 0}, "event_id"),
        ({"visit_id": 2**63}, "visit_id"),
        ({"title": " "}, "title"),
        ({"majors": [""]}, "majors[0]"),
        ({"external_ref": "R" * 65}, "external_ref"),
        ({"salary": 12000}, "salary"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, refs, changes, field):
    problem = f.assert_problem(client.post(API, json={**f.vacancy(BJ_FIRM), **changes}), 422, field)
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    "missing", ["employer_uscc", "title", "headcount", "posted_date", "source"]
)
def test_missing_required_field_is_422_naming_it(client, refs, missing):
    body = f.vacancy(BJ_FIRM)
    del body[missing]
    f.assert_problem(client.post(API, json=body), 422, missing)
    assert f.total(client, API) == 0


def test_external_ref_is_unique_per_university(client, refs):
    first = create(client, university_code=f.PKU, external_ref="GW-1")
    problem = f.assert_problem(
        client.post(API, json=f.vacancy(SZ_FIRM, university_code=f.PKU, external_ref="GW-1")),
        409,
        "external_ref",
    )
    assert problem["existing_id"] == first["id"]
    assert f.total(client, API) == 1
    create(client, university_code=f.SYSU, external_ref="GW-1")
    assert f.total(client, API) == 2


# --- updates ------------------------------------------------------------------------------


def test_patch_links_a_direct_vacancy_to_a_visit(client, refs):
    visit_id = make_visit(client)
    vacancy = create(client)
    response = client.patch(
        f"{API}/{vacancy['id']}", json={"source": "visit", "visit_id": visit_id}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["source"], response.json()["visit_id"]) == ("visit", visit_id)
    assert f.total(client, API, visit_id=visit_id) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "direct"}, "event_id"),
        ({"event_id": MISSING_ID}, "event_id"),
        ({"employer_uscc": UNKNOWN_FIRM}, "employer_uscc"),
        ({"university_code": f.UNKNOWN_UNIVERSITY}, "university_code"),
        ({"headcount": 0}, "headcount"),
        ({"education": "phd"}, "education"),
        ({"province": None}, "province"),
        ({"source": None}, "source"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(client, refs, changes, field):
    vacancy = create(client, source="event", event_id=make_event(client))
    f.assert_problem(client.patch(f"{API}/{vacancy['id']}", json=changes), 422, field)
    assert client.get(f"{API}/{vacancy['id']}").json() == vacancy


def test_patch_employer_away_from_its_visit_is_422_naming_visit_id(client, refs):
    vacancy = create(client, source="visit", visit_id=make_visit(client))
    f.assert_problem(
        client.patch(f"{API}/{vacancy['id']}", json={"employer_uscc": SZ_FIRM}), 422, "visit_id"
    )
    assert client.get(f"{API}/{vacancy['id']}").json() == vacancy


# --- listing ------------------------------------------------------------------------------


def seed(client) -> dict:
    """Five vacancies of 2023-05-01..06-02, counted in 11, 44, 44, 44 and 31."""
    event_id = make_event(client)
    visit_id = make_visit(client)
    rows = [
        dict(employer_uscc=BJ_FIRM, source="visit", visit_id=visit_id, posted_date="2023-05-01"),
        dict(
            employer_uscc=SZ_FIRM,
            source="event",
            event_id=event_id,
            posted_date="2023-05-10",
            policy_program="three_supports",
        ),
        dict(
            employer_uscc=BJ_FIRM,
            source="event",
            event_id=event_id,
            posted_date="2023-05-31",
            policy_program="special_post_teacher",
        ),
        dict(
            employer_uscc=SZ_FIRM,
            source="direct",
            posted_date="2023-06-01",
            policy_program="three_supports",
        ),
        dict(employer_uscc=BJ_FIRM, source="platform", province="31", posted_date="2023-06-02"),
    ]
    ids = [create(client, **row)["id"] for row in rows]
    return {"ids": ids, "event_id": event_id, "visit_id": visit_id}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0, 1, 2, 3, 4]),
        ({"province": "44"}, [1, 2, 3]),
        ({"province": "北京"}, [0]),
        ({"province": "31"}, [4]),
        ({"province": "12"}, []),
        ({"university_code": f.SYSU}, [1, 2]),
        ({"university_code": f.PKU}, [0]),
        ({"employer_uscc": BJ_FIRM}, [0, 2, 4]),
        ({"employer_uscc": SH_FIRM}, []),
        ({"source": "event"}, [1, 2]),
        ({"source": "platform"}, [4]),
        ({"event_id": "EVENT"}, [1, 2]),
        ({"visit_id": "VISIT"}, [0]),
        ({"event_id": MISSING_ID}, []),
        ({"policy_program": "three_supports"}, [1, 3]),
        ({"policy_program": "rural_doctor"}, []),
        ({"from": "2023-05-10"}, [1, 2, 3, 4]),
        ({"to": "2023-05-31"}, [0, 1, 2]),
        ({"from": "2023-05-10", "to": "2023-05-31"}, [1, 2]),
        ({"from": "2023-06-01", "to": "2023-06-01"}, [3]),
        ({"from": "2023-06-03"}, []),
        ({"province": "44", "policy_program": "three_supports", "to": "2023-05-31"}, [1]),
        ({"employer_uscc": BJ_FIRM, "source": "event"}, [2]),
    ],
)
def test_list_filters_with_exact_totals(client, refs, params, expected):
    seeded = seed(client)
    links = {"EVENT": seeded["event_id"], "VISIT": seeded["visit_id"]}
    params = {key: links.get(value, value) for key, value in params.items()}
    page = client.get(API, params=params).json()
    assert [item["id"] for item in page["items"]] == [seeded["ids"][i] for i in expected]
    assert page["total"] == len(expected)


def test_list_pages_in_id_order(client, refs):
    ids = seed(client)["ids"]
    first = client.get(API, params={"limit": 2, "offset": 1}).json()
    assert [item["id"] for item in first["items"]] == ids[1:3]
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 1)
    last = client.get(API, params={"limit": 2, "offset": 4}).json()
    assert [item["id"] for item in last["items"]] == ids[4:]


def test_from_after_to_is_422_naming_from(client, refs):
    f.assert_problem(
        client.get(API, params={"from": "2023-06-02", "to": "2023-06-01"}), 422, "from"
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "99"}, "province"),
        ({"university_code": "4"}, "university_code"),
        ({"employer_uscc": "x"}, "employer_uscc"),
        ({"source": "fair"}, "source"),
        ({"event_id": 0}, "event_id"),
        ({"visit_id": "abc"}, "visit_id"),
        ({"policy_program": "xyz"}, "policy_program"),
        ({"to": "2023-02-30"}, "to"),
        ({"limit": 5000}, "limit"),
    ],
)
def test_bad_list_parameter_is_422_naming_it(client, refs, params, field):
    f.assert_problem(client.get(API, params=params), 422, field)


# --- service functions --------------------------------------------------------------------

ALL = PageParams(limit=50, offset=0)
ANY_DAY = DateRange()


def test_service_create_update_list_delete(session, refs):
    vacancy = service.create_vacancy(session, VacancyCreate(**f.vacancy(SH_FIRM)))
    assert (vacancy.province, vacancy.university_code) == ("31", None)
    assert vacancy.education is Education.ANY
    assert vacancy.posted_date == dt.date(2023, 6, 1)

    service.update_vacancy(
        session, vacancy.id, VacancyUpdate(policy_program="community", headcount=9)
    )
    assert service.get_vacancy(session, vacancy.id).policy_program is PolicyProgram.COMMUNITY
    assert service.get_vacancy(session, vacancy.id).headcount == 9

    page = service.list_vacancies(
        session, ALL, dates=ANY_DAY, policy_program=PolicyProgram.COMMUNITY
    )
    assert [v.id for v in page["items"]] == [vacancy.id]
    assert page["total"] == 1
    assert service.list_vacancies(session, ALL, dates=ANY_DAY, province="11")["total"] == 0

    service.delete_vacancy(session, vacancy.id)
    assert f.count_rows(session, Vacancy) == 0
    with pytest.raises(NotFound):
        service.get_vacancy(session, vacancy.id)


def test_service_defaults_from_event(session, client, refs):
    event_id = make_event(client)
    vacancy = service.create_vacancy(
        session, VacancyCreate(**f.vacancy(BJ_FIRM, source="event", event_id=event_id))
    )
    assert (vacancy.province, vacancy.university_code) == ("44", f.SYSU)


def test_service_list_filters(session, client, refs):
    seeded = seed(client)
    dates = DateRange(start=dt.date(2023, 5, 10), end=dt.date(2023, 6, 1))
    page = service.list_vacancies(session, ALL, dates=dates, source=VacancySource.EVENT)
    assert [v.id for v in page["items"]] == seeded["ids"][1:3]
    page = service.list_vacancies(session, ALL, dates=ANY_DAY, visit_id=seeded["visit_id"])
    assert [v.id for v in page["items"]] == seeded["ids"][:1]
    assert page["total"] == 1


def test_service_refuses_event_id_with_other_source(session, client, refs):
    event_id = make_event(client)
    with pytest.raises(InvalidInput) as caught:
        service.create_vacancy(session, VacancyCreate(**f.vacancy(BJ_FIRM, event_id=event_id)))
    assert [error["field"] for error in caught.value.errors] == ["event_id"]
    assert f.count_rows(session, Vacancy) == 0


def test_service_refuses_visit_of_another_employer(session, client, refs):
    visit_id = make_visit(client, employer_uscc=BJ_FIRM)
    with pytest.raises(InvalidInput) as caught:
        service.create_vacancy(
            session, VacancyCreate(**f.vacancy(SZ_FIRM, source="visit", visit_id=visit_id))
        )
    assert [error["field"] for error in caught.value.errors] == ["visit_id"]
    assert f.count_rows(session, Vacancy) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "event", "event_id": MISSING_ID}, "event_id"),
        ({"source": "visit", "visit_id": MISSING_ID}, "visit_id"),
        ({"employer_uscc": UNKNOWN_FIRM}, "employer_uscc"),
        ({"university_code": f.UNKNOWN_UNIVERSITY}, "university_code"),
    ],
)
def test_service_refuses_unknown_references(session, refs, changes, field):
    with pytest.raises(UnknownReference) as caught:
        service.create_vacancy(session, VacancyCreate(**{**f.vacancy(BJ_FIRM), **changes}))
    assert [error["field"] for error in caught.value.errors] == [field]
    assert f.count_rows(session, Vacancy) == 0


def test_service_refuses_duplicate_external_ref(session, refs):
    body = f.vacancy(BJ_FIRM, university_code=f.PKU, external_ref="GW-7")
    first = service.create_vacancy(session, VacancyCreate(**body))
    with pytest.raises(AlreadyExists) as caught:
        service.create_vacancy(session, VacancyCreate(**body))
    assert caught.value.extra == {"existing_id": first.id}
    assert f.count_rows(session, Vacancy) == 1


def test_moving_to_another_event_counts_it_where_that_event_is(client, refs):
    vacancy = create(client, source="event", event_id=make_event(client))
    assert (vacancy["province"], vacancy["university_code"]) == ("44", f.SYSU)
    beijing_event = make_event(client, province="11", university_code=f.PKU)
    moved = client.patch(f"{API}/{vacancy['id']}", json={"event_id": beijing_event})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["province"], moved.json()["university_code"]) == ("11", f.PKU)


def test_moving_to_another_event_keeps_a_province_given_with_it(client, refs):
    vacancy = create(client, source="event", event_id=make_event(client))
    beijing_event = make_event(client, province="11", university_code=f.PKU)
    moved = client.patch(
        f"{API}/{vacancy['id']}", json={"event_id": beijing_event, "province": "31"}
    )
    assert (moved.json()["province"], moved.json()["university_code"]) == ("31", f.PKU)
