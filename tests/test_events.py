import datetime as dt

import pytest
from sqlalchemy import func, select

from app.core.errors import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    StillReferenced,
    UnknownReference,
)
from app.core.filters import DateRange
from app.core.pagination import PageParams
from app.events import service
from app.events.models import Event, EventKind, EventMode, EventParticipant
from app.events.schemas import EventCreate, EventUpdate
from tests import factories as f

API = "/api/v1/events"
FIRM_A = f.make_uscc(101, "11")
FIRM_B = f.make_uscc(102, "11")
FIRM_C = f.make_uscc(103, "44")
UNKNOWN_FIRM = f.make_uscc(199, "11")


def participant_rows(session, event_id: int | None = None) -> int:
    query = select(func.count()).select_from(EventParticipant)
    if event_id is not None:
        query = query.where(EventParticipant.event_id == event_id)
    return session.scalar(query)


@pytest.fixture
def refs(client):
    """Two universities (Beijing, Guangdong) and three employers, FIRM_A < FIRM_B < FIRM_C."""
    assert FIRM_A < FIRM_B < FIRM_C
    f.register_pku_and_sysu(client, {uscc: uscc[2:4] for uscc in (FIRM_A, FIRM_B, FIRM_C)})


def create(client, **fields) -> dict:
    return f.created(client.post(API, json=f.event(**fields)))


# --- CRUD ---------------------------------------------------------------------------------


def test_create_read_update_delete_with_participants_sorted(client, refs):
    body = create(
        client,
        university_code=f.PKU,
        organizer_name="北京大学学生就业指导服务中心",
        industry="I",
        attendance=3700,
        participants=[FIRM_C, FIRM_A, FIRM_B],
        external_ref="HD-001",
    )
    assert body == {
        "id": body["id"],
        "title": "2023届毕业生春季双选会",
        "kind": "job_fair",
        "mode": "onsite",
        "start_date": "2023-05-20",
        "end_date": "2023-05-21",
        "province": "11",
        "university_code": f.PKU,
        "organizer_name": "北京大学学生就业指导服务中心",
        "industry": "I",
        "attendance": 3700,
        "participants": [FIRM_A, FIRM_B, FIRM_C],
        "external_ref": "HD-001",
    }
    assert client.get(f"{API}/{body['id']}").json() == body

    updated = client.patch(f"{API}/{body['id']}", json={"attendance": 6409, "mode": "hybrid"})
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**body, "attendance": 6409, "mode": "hybrid"}
    assert client.get(f"{API}/{body['id']}").json() == updated.json()

    assert client.delete(f"{API}/{body['id']}").status_code == 204
    f.assert_problem(client.get(f"{API}/{body['id']}"), 404)
    assert f.total(client, API) == 0


def test_optional_fields_default(client, refs):
    body = create(client)
    assert body["university_code"] is None
    assert body["organizer_name"] is None
    assert body["industry"] is None
    assert body["attendance"] == 0
    assert body["participants"] == []
    assert body["external_ref"] is None


def test_department_event_without_university_is_fine(client, refs):
    body = create(
        client,
        title="广东省绿色产业专场招聘会",
        kind="industry_fair",
        province="广东",
        organizer_name="广东省教育厅",
        industry="信息传输、软件和信息技术服务业",
    )
    assert body["university_code"] is None
    assert body["organizer_name"] == "广东省教育厅"
    assert body["province"] == "44"
    assert body["industry"] == "I"
    assert f.total(client, API, province="44") == 1


def test_single_day_event_is_fine(client, refs):
    body = create(client, start_date="2023-06-01", end_date="2023-06-01")
    assert body["end_date"] == "2023-06-01"


def test_codes_are_normalised(client, refs):
    body = create(
        client,
        province="110105",
        university_code=f.full_width(f.PKU),
        industry="i",
        participants=[f.full_width(FIRM_B), FIRM_A],
    )
    assert body["province"] == "11"
    assert body["university_code"] == f.PKU
    assert body["industry"] == "I"
    assert body["participants"] == [FIRM_A, FIRM_B]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_event_is_404(client, refs, method):
    kwargs = {"json": {"title": "x"}} if method == "patch" else {}
    problem = f.assert_problem(getattr(client, method)(f"{API}/999999", **kwargs), 404)
    assert problem["type"] == "urn:jobfair:problem:not-found"


# --- dates --------------------------------------------------------------------------------


def test_end_before_start_is_422_naming_end_date_and_writes_nothing(client, refs):
    problem = f.assert_problem(
        client.post(API, json=f.event(start_date="2023-05-20", end_date="2023-05-19")),
        422,
        "end_date",
    )
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


def test_patch_end_before_stored_start_is_422_and_changes_nothing(client, refs):
    event = create(client)
    f.assert_problem(
        client.patch(f"{API}/{event['id']}", json={"end_date": "2023-05-19"}), 422, "end_date"
    )
    assert client.get(f"{API}/{event['id']}").json() == event


def test_patch_start_after_stored_end_is_422_and_changes_nothing(client, refs):
    event = create(client)
    f.assert_problem(
        client.patch(f"{API}/{event['id']}", json={"start_date": "2023-05-22"}), 422, "end_date"
    )
    assert client.get(f"{API}/{event['id']}").json() == event


def test_patch_moving_both_dates_together_is_fine(client, refs):
    event = create(client)
    response = client.patch(
        f"{API}/{event['id']}", json={"start_date": "2023-07-01", "end_date": "2023-07-03"}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["start_date"], response.json()["end_date"]) == (
        "2023-07-01",
        "2023-07-03",
    )


# --- participants -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("participants", "field"),
    [
        ([FIRM_A, FIRM_A], "participants[1]"),
        ([FIRM_A, FIRM_B, f.full_width(FIRM_A)], "participants[2]"),
        ([FIRM_B, FIRM_A, FIRM_C, FIRM_B], "participants[3]"),
    ],
)
def test_duplicate_participant_is_422_naming_its_position(client, refs, participants, field):
    problem = f.assert_problem(
        client.post(API, json=f.event(participants=participants)), 422, field
    )
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("participants", "field"),
    [
        ([UNKNOWN_FIRM], "participants[0]"),
        ([FIRM_A, UNKNOWN_FIRM], "participants[1]"),
        ([FIRM_A, FIRM_B, UNKNOWN_FIRM, FIRM_C], "participants[2]"),
    ],
)
def test_unknown_participant_is_422_naming_its_position(client, refs, participants, field):
    problem = f.assert_problem(
        client.post(API, json=f.event(participants=participants)), 422, field
    )
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert UNKNOWN_FIRM in problem["detail"]
    assert f.total(client, API) == 0


def test_malformed_participant_is_422_naming_its_position(client, refs):
    participants = [FIRM_A, f.with_wrong_check_digit(FIRM_B)]
    f.assert_problem(
        client.post(API, json=f.event(participants=participants)), 422, "participants[1]"
    )
    assert f.total(client, API) == 0


def test_patch_participants_replaces_the_set(client, refs, session):
    event = create(client, participants=[FIRM_A, FIRM_B])
    response = client.patch(f"{API}/{event['id']}", json={"participants": [FIRM_C, FIRM_B]})
    assert response.status_code == 200, response.text
    assert response.json()["participants"] == [FIRM_B, FIRM_C]
    assert client.get(f"{API}/{event['id']}").json()["participants"] == [FIRM_B, FIRM_C]
    assert f.total(client, API, employer_uscc=FIRM_A) == 0
    assert f.total(client, API, employer_uscc=FIRM_C) == 1
    assert participant_rows(session, event["id"]) == 2


def test_patch_without_participants_keeps_them(client, refs):
    event = create(client, participants=[FIRM_B, FIRM_A])
    response = client.patch(f"{API}/{event['id']}", json={"title": "春季双选会（第二场）"})
    assert response.status_code == 200, response.text
    assert response.json()["participants"] == [FIRM_A, FIRM_B]
    assert response.json()["title"] == "春季双选会（第二场）"


def test_patch_empty_participants_clears_them(client, refs, session):
    event = create(client, participants=[FIRM_A, FIRM_B])
    response = client.patch(f"{API}/{event['id']}", json={"participants": []})
    assert response.status_code == 200, response.text
    assert response.json()["participants"] == []
    assert participant_rows(session) == 0


def test_patch_participants_of_one_event_leaves_another_alone(client, refs):
    first = create(client, participants=[FIRM_A, FIRM_B])
    second = create(client, participants=[FIRM_A])
    client.patch(f"{API}/{first['id']}", json={"participants": [FIRM_B]})
    assert client.get(f"{API}/{second['id']}").json()["participants"] == [FIRM_A]


@pytest.mark.parametrize(
    ("participants", "field", "slug"),
    [
        ([FIRM_A, UNKNOWN_FIRM], "participants[1]", "unknown-reference"),
        ([FIRM_C, FIRM_C], "participants[1]", "validation-error"),
        (None, "participants", "validation-error"),
        (FIRM_C, "participants", "validation-error"),
    ],
)
def test_bad_patch_of_participants_changes_nothing(client, refs, participants, field, slug):
    event = create(client, participants=[FIRM_A, FIRM_B])
    problem = f.assert_problem(
        client.patch(f"{API}/{event['id']}", json={"participants": participants}), 422, field
    )
    assert problem["type"] == f"urn:jobfair:problem:{slug}"
    assert client.get(f"{API}/{event['id']}").json()["participants"] == [FIRM_A, FIRM_B]


# --- organizer and bad input --------------------------------------------------------------


def test_unknown_organizer_university_is_422_and_writes_nothing(client, refs):
    problem = f.assert_problem(
        client.post(API, json=f.event(university_code=f.UNKNOWN_UNIVERSITY)), 422, "university_code"
    )
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert f.total(client, API) == 0


def test_patch_to_unknown_organizer_is_422_and_changes_nothing(client, refs):
    event = create(client, university_code=f.PKU)
    problem = f.assert_problem(
        client.patch(f"{API}/{event['id']}", json={"university_code": f.UNKNOWN_UNIVERSITY}),
        422,
        "university_code",
    )
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert client.get(f"{API}/{event['id']}").json() == event


def test_patch_null_organizer_makes_department_event(client, refs):
    event = create(client, university_code=f.PKU)
    response = client.patch(f"{API}/{event['id']}", json={"university_code": None})
    assert response.status_code == 200, response.text
    assert response.json()["university_code"] is None
    assert f.total(client, API, university_code=f.PKU) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"kind": "双选会"}, "kind"),
        ({"mode": "offline"}, "mode"),
        ({"province": "99"}, "province"),
        ({"province": "990000"}, "province"),
        ({"province": "火星"}, "province"),
        ({"industry": "Z"}, "industry"),
        ({"industry": "IT"}, "industry"),
        ({"attendance": -1}, "attendance"),
        ({"attendance": 100_000_001}, "attendance"),
        ({"attendance": 1.5}, "attendance"),
        ({"start_date": "2023-02-30"}, "start_date"),
        ({"end_date": "2023-02-29"}, "end_date"),
        ({"title": "   "}, "title"),
        ({"title": "会" * 201}, "title"),
        ({"organizer_name": ""}, "organizer_name"),
        ({"university_code": "5111010001"}, "university_code"),
        ({"participants": "not-a-list"}, "participants"),
        ({"external_ref": ""}, "external_ref"),
        ({"venue": "体育馆"}, "venue"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, refs, changes, field):
    problem = f.assert_problem(client.post(API, json=f.event(**changes)), 422, field)
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize("missing", ["title", "kind", "mode", "start_date", "end_date", "province"])
def test_missing_required_field_is_422_naming_it(client, refs, missing):
    body = f.event()
    del body[missing]
    f.assert_problem(client.post(API, json=body), 422, missing)
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"attendance": -1}, "attendance"),
        ({"kind": "party"}, "kind"),
        ({"mode": None}, "mode"),
        ({"province": None}, "province"),
        ({"attendance": None}, "attendance"),
        ({"start_date": None}, "start_date"),
        ({"industry": "Z"}, "industry"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(client, refs, changes, field):
    event = create(client, participants=[FIRM_A])
    f.assert_problem(client.patch(f"{API}/{event['id']}", json=changes), 422, field)
    assert client.get(f"{API}/{event['id']}").json() == event


def test_external_ref_is_unique_per_university(client, refs):
    create(client, university_code=f.PKU, external_ref="HD-001")
    f.assert_problem(
        client.post(API, json=f.event(university_code=f.PKU, external_ref="HD-001")),
        409,
        "external_ref",
    )
    assert f.total(client, API) == 1
    create(client, university_code=f.SYSU, external_ref="HD-001")
    assert f.total(client, API) == 2


# --- listing ------------------------------------------------------------------------------


def seed(client) -> list[int]:
    """Four events; the first runs 2023-05-01..05-12, so only its start date is before 05-10."""
    return [
        create(
            client,
            kind="job_fair",
            mode="onsite",
            start_date="2023-05-01",
            end_date="2023-05-12",
            province="11",
            university_code=f.PKU,
            industry="I",
            participants=[FIRM_A],
        )["id"],
        create(
            client,
            kind="industry_fair",
            mode="hybrid",
            start_date="2023-05-10",
            end_date="2023-05-10",
            province="44",
            university_code=f.SYSU,
            industry="C",
            participants=[FIRM_B, FIRM_A],
        )["id"],
        create(
            client,
            kind="online_fair",
            mode="online",
            start_date="2023-05-31",
            end_date="2023-06-30",
            province="11",
            organizer_name="北京市教委",
        )["id"],
        create(
            client,
            kind="info_session",
            mode="onsite",
            start_date="2023-06-01",
            end_date="2023-06-01",
            province="44",
            university_code=f.SYSU,
            industry="I",
            participants=[FIRM_B],
        )["id"],
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0, 1, 2, 3]),
        ({"province": "11"}, [0, 2]),
        ({"province": "广东"}, [1, 3]),
        ({"province": "31"}, []),
        ({"university_code": f.SYSU}, [1, 3]),
        ({"university_code": f.PKU}, [0]),
        ({"kind": "job_fair"}, [0]),
        ({"kind": "livestream"}, []),
        ({"mode": "onsite"}, [0, 3]),
        ({"mode": "online"}, [2]),
        ({"industry": "I"}, [0, 3]),
        ({"industry": "制造业"}, [1]),
        ({"employer_uscc": FIRM_A}, [0, 1]),
        ({"employer_uscc": FIRM_B}, [1, 3]),
        ({"employer_uscc": FIRM_C}, []),
        ({"from": "2023-05-10"}, [1, 2, 3]),
        ({"from": "2023-05-11"}, [2, 3]),
        ({"to": "2023-05-31"}, [0, 1, 2]),
        ({"from": "2023-05-10", "to": "2023-05-31"}, [1, 2]),
        ({"from": "2023-06-01", "to": "2023-06-01"}, [3]),
        ({"from": "2023-06-02", "to": "2023-06-30"}, []),
        ({"province": "44", "employer_uscc": FIRM_A}, [1]),
        ({"mode": "onsite", "industry": "I", "from": "2023-05-02"}, [3]),
    ],
)
def test_list_filters_with_exact_totals(client, refs, params, expected):
    ids = seed(client)
    page = client.get(API, params=params).json()
    assert [item["id"] for item in page["items"]] == [ids[i] for i in expected]
    assert page["total"] == len(expected)


def test_list_pages_in_id_order(client, refs):
    ids = seed(client)
    first = client.get(API, params={"limit": 2}).json()
    assert [item["id"] for item in first["items"]] == ids[:2]
    assert (first["total"], first["limit"], first["offset"]) == (4, 2, 0)
    last = client.get(API, params={"limit": 2, "offset": 3}).json()
    assert [item["id"] for item in last["items"]] == ids[3:]
    assert last["total"] == 4


def test_listed_events_carry_their_participants(client, refs):
    ids = seed(client)
    page = client.get(API, params={"employer_uscc": FIRM_A}).json()
    assert [(item["id"], item["participants"]) for item in page["items"]] == [
        (ids[0], [FIRM_A]),
        (ids[1], [FIRM_A, FIRM_B]),
    ]


def test_from_after_to_is_422_naming_from(client, refs):
    f.assert_problem(
        client.get(API, params={"from": "2023-06-01", "to": "2023-05-31"}), 422, "from"
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "00"}, "province"),
        ({"university_code": "123"}, "university_code"),
        ({"kind": "party"}, "kind"),
        ({"mode": "offline"}, "mode"),
        ({"industry": "Z"}, "industry"),
        ({"employer_uscc": "91110108"}, "employer_uscc"),
        ({"from": "2023-02-30"}, "from"),
        ({"limit": 1001}, "limit"),
    ],
)
def test_bad_list_parameter_is_422_naming_it(client, refs, params, field):
    f.assert_problem(client.get(API, params=params), 422, field)


# --- deletion -----------------------------------------------------------------------------


def test_delete_removes_participant_rows_and_frees_the_employer(client, refs, session):
    event = create(client, participants=[FIRM_A, FIRM_B])
    other = create(client, participants=[FIRM_B])
    problem = f.assert_problem(client.delete(f"/api/v1/employers/{FIRM_A}"), 409)
    assert problem["referenced_by"] == {"event participations": 1}

    assert client.delete(f"{API}/{event['id']}").status_code == 204
    assert participant_rows(session, event["id"]) == 0
    assert participant_rows(session) == 1
    assert client.get(f"{API}/{other['id']}").json()["participants"] == [FIRM_B]
    assert client.delete(f"/api/v1/employers/{FIRM_A}").status_code == 204
    f.assert_problem(client.delete(f"/api/v1/employers/{FIRM_B}"), 409)


def test_delete_refused_while_a_vacancy_points_at_the_event(client, refs, session):
    event = create(client, participants=[FIRM_A])
    vacancy = f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(FIRM_A, source="event", event_id=event["id"])
        )
    )
    problem = f.assert_problem(client.delete(f"{API}/{event['id']}"), 409)
    assert problem["type"] == "urn:jobfair:problem:still-referenced"
    assert problem["referenced_by"] == {"vacancies": 1}
    assert client.get(f"{API}/{event['id']}").json() == event
    assert participant_rows(session, event["id"]) == 1

    assert client.delete(f"/api/v1/vacancies/{vacancy['id']}").status_code == 204
    assert client.delete(f"{API}/{event['id']}").status_code == 204
    assert f.total(client, API) == 0


def test_organizing_university_cannot_be_deleted_until_event_is(client, refs):
    event = create(client, university_code=f.SYSU)
    problem = f.assert_problem(client.delete(f"/api/v1/universities/{f.SYSU}"), 409)
    assert problem["referenced_by"] == {"events": 1}
    assert client.delete(f"{API}/{event['id']}").status_code == 204
    assert client.delete(f"/api/v1/universities/{f.SYSU}").status_code == 204


# --- service functions --------------------------------------------------------------------

ALL = PageParams(limit=50, offset=0)
ANY_DAY = DateRange()


def count_events(session) -> int:
    return session.scalar(select(func.count()).select_from(Event))


def test_service_create_update_list_delete(session, refs):
    event = service.create_event(
        session, EventCreate(**f.event(university_code=f.PKU, participants=[FIRM_B, FIRM_A]))
    )
    assert event.participants == [FIRM_A, FIRM_B]
    assert event.kind is EventKind.JOB_FAIR
    assert event.start_date == dt.date(2023, 5, 20)
    assert participant_rows(session, event.id) == 2

    service.update_event(session, event.id, EventUpdate(participants=[FIRM_C], attendance=35))
    assert service.get_event(session, event.id).participants == [FIRM_C]
    assert service.get_event(session, event.id).attendance == 35
    assert participant_rows(session, event.id) == 1

    page = service.list_events(session, ALL, dates=ANY_DAY, employer_uscc=FIRM_C)
    assert [e.id for e in page["items"]] == [event.id]
    assert page["total"] == 1
    assert service.list_events(session, ALL, dates=ANY_DAY, employer_uscc=FIRM_A)["total"] == 0

    service.delete_event(session, event.id)
    assert count_events(session) == 0
    assert participant_rows(session) == 0
    with pytest.raises(NotFound):
        service.get_event(session, event.id)


def test_service_list_filters(session, client, refs):
    ids = seed(client)
    dates = DateRange(start=dt.date(2023, 5, 10), end=dt.date(2023, 6, 1))
    page = service.list_events(session, ALL, dates=dates, mode=EventMode.ONSITE)
    assert [e.id for e in page["items"]] == [ids[3]]
    page = service.list_events(session, ALL, dates=ANY_DAY, province="11", industry="I")
    assert [e.id for e in page["items"]] == [ids[0]]
    assert page["total"] == 1


def test_service_refuses_end_before_start(session, refs):
    with pytest.raises(InvalidInput) as caught:
        service.create_event(session, EventCreate(**f.event(end_date="2023-05-01")))
    assert [error["field"] for error in caught.value.errors] == ["end_date"]
    assert count_events(session) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"participants": [FIRM_A, UNKNOWN_FIRM]}, "participants[1]"),
        ({"university_code": f.UNKNOWN_UNIVERSITY}, "university_code"),
    ],
)
def test_service_refuses_unknown_references(session, refs, changes, field):
    with pytest.raises(UnknownReference) as caught:
        service.create_event(session, EventCreate(**f.event(**changes)))
    assert [error["field"] for error in caught.value.errors] == [field]
    assert count_events(session) == 0


def test_service_refuses_duplicate_participant(session, refs):
    with pytest.raises(InvalidInput) as caught:
        service.create_event(session, EventCreate(**f.event(participants=[FIRM_B, FIRM_B])))
    assert [error["field"] for error in caught.value.errors] == ["participants[1]"]
    assert count_events(session) == 0


def test_service_refuses_duplicate_external_ref(session, refs):
    first = service.create_event(
        session, EventCreate(**f.event(university_code=f.PKU, external_ref="HD-1"))
    )
    with pytest.raises(AlreadyExists) as caught:
        service.create_event(
            session, EventCreate(**f.event(university_code=f.PKU, external_ref="HD-1"))
        )
    assert caught.value.extra == {"existing_id": first.id}
    assert count_events(session) == 1


def test_service_refuses_delete_of_referenced_event(session, client, refs):
    event = create(client, participants=[FIRM_A])
    f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(FIRM_A, source="event", event_id=event["id"])
        )
    )
    with pytest.raises(StillReferenced):
        service.delete_event(session, event["id"])
    assert count_events(session) == 1


def test_service_require_event_names_the_field(session):
    with pytest.raises(UnknownReference) as caught:
        service.require_event(session, 424242, field="event_ref")
    assert [error["field"] for error in caught.value.errors] == ["event_ref"]


def test_department_events_of_no_university_may_share_a_ledger_number(client, refs):
    first = create(client, university_code=None, external_ref="TING-1")
    second = create(client, university_code=None, external_ref="TING-1", province="44")
    assert first["id"] != second["id"]
    assert f.total(client, API) == 2
