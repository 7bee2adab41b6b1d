import datetime as dt

import pytest

from app.core.errors import AlreadyExists, NotFound, StillReferenced, UnknownReference
from app.core.filters import DateRange
from app.core.pagination import PageParams
from app.visits import service
from app.visits.models import LeaderLevel, Visit
from app.visits.schemas import VisitCreate, VisitUpdate
from tests import factories as f

API = "/api/v1/visits"
BJ_FIRM = f.make_uscc(101, "11")
SZ_FIRM = f.make_uscc(103, "44")
UNKNOWN_FIRM = f.make_uscc(199, "11")


@pytest.fixture
def refs(client):
    """Two universities (Beijing, Guangdong) and two employers (Beijing, Shenzhen)."""
    f.register_pku_and_sysu(client, {BJ_FIRM: "11", SZ_FIRM: "44"})


def create_body(**fields) -> dict:
    """A valid visit of f.PKU to BJ_FIRM, with `fields` changed."""
    return f.visit(**{"university_code": f.PKU, "employer_uscc": BJ_FIRM, **fields})


def create(client, **fields) -> dict:
    return f.created(client.post(API, json=create_body(**fields)))


# --- CRUD ---------------------------------------------------------------------------------


def test_create_read_update_delete(client, refs):
    body = create(
        client,
        leader_level="principal",
        majors=["计算机科学与技术", "软件工程"],
        notes="书记带队走访",
        external_ref="BD-2023-001",
    )
    assert body == {
        "id": body["id"],
        "university_code": f.PKU,
        "employer_uscc": BJ_FIRM,
        "visit_date": "2023-05-10",
        "positions_opened": 12,
        "leader_level": "principal",
        "majors": ["计算机科学与技术", "软件工程"],
        "notes": "书记带队走访",
        "external_ref": "BD-2023-001",
    }
    assert client.get(f"{API}/{body['id']}").json() == body

    updated = client.patch(
        f"{API}/{body['id']}", json={"positions_opened": 30, "leader_level": None}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**body, "positions_opened": 30, "leader_level": None}
    assert client.get(f"{API}/{body['id']}").json() == updated.json()

    assert client.delete(f"{API}/{body['id']}").status_code == 204
    f.assert_problem(client.get(f"{API}/{body['id']}"), 404)
    assert f.total(client, API) == 0


def test_optional_fields_default_to_empty(client, refs):
    body = create(client)
    assert body["leader_level"] is None
    assert body["majors"] == []
    assert body["notes"] is None
    assert body["external_ref"] is None


def test_zero_positions_opened_is_accepted(client, refs):
    assert create(client, positions_opened=0)["positions_opened"] == 0


def test_codes_are_normalised_from_full_width_forms(client, refs):
    body = create(client, university_code=f.full_width(f.PKU), employer_uscc=f.full_width(BJ_FIRM))
    assert body["university_code"] == f.PKU
    assert body["employer_uscc"] == BJ_FIRM


def test_patch_moves_visit_to_other_university_and_employer(client, refs):
    visit = create(client)
    response = client.patch(
        f"{API}/{visit['id']}", json={"university_code": f.SYSU, "employer_uscc": SZ_FIRM}
    )
    assert response.status_code == 200, response.text
    assert response.json()["university_code"] == f.SYSU
    assert response.json()["employer_uscc"] == SZ_FIRM
    assert f.total(client, API, university_code=f.SYSU) == 1


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_visit_is_404(client, refs, method):
    kwargs = {"json": {"notes": "x"}} if method == "patch" else {}
    problem = f.assert_problem(getattr(client, method)(f"{API}/999999", **kwargs), 404)
    assert problem["type"] == "urn:jobfair:problem:not-found"


@pytest.mark.parametrize("visit_id", ["0", "-1", "abc", str(2**63)])
def test_out_of_range_id_is_422(client, refs, visit_id):
    f.assert_problem(client.get(f"{API}/{visit_id}"), 422, "visit_id")


# --- references ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("university_code", f.UNKNOWN_UNIVERSITY), ("employer_uscc", UNKNOWN_FIRM)],
)
def test_unknown_reference_is_422_naming_it_and_writes_nothing(client, refs, field, value):
    problem = f.assert_problem(client.post(API, json=create_body(**{field: value})), 422, field)
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert value in problem["detail"]
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("university_code", f.UNKNOWN_UNIVERSITY), ("employer_uscc", UNKNOWN_FIRM)],
)
def test_patch_revalidates_references_and_changes_nothing(client, refs, field, value):
    visit = create(client)
    problem = f.assert_problem(
        client.patch(f"{API}/{visit['id']}", json={field: value}), 422, field
    )
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    assert client.get(f"{API}/{visit['id']}").json() == visit
    assert f.total(client, API) == 1


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"positions_opened": -1}, "positions_opened"),
        ({"positions_opened": 1.5}, "positions_opened"),
        ({"positions_opened": "很多"}, "positions_opened"),
        ({"positions_opened": 1_000_001}, "positions_opened"),
        ({"visit_date": "2023-02-30"}, "visit_date"),
        ({"visit_date": "2023-13-01"}, "visit_date"),
        ({"visit_date": "昨天"}, "visit_date"),
        ({"leader_level": "president"}, "leader_level"),
        ({"leader_level": "PRINCIPAL"}, "leader_level"),
        ({"employer_uscc": f.with_wrong_check_digit(BJ_FIRM)}, "employer_uscc"),
        ({"employer_uscc": BJ_FIRM[:17]}, "employer_uscc"),
        ({"employer_uscc": "91110108MA01ABCDEI"}, "employer_uscc"),
        ({"university_code": "5111010001"}, "university_code"),
        ({"university_code": "411101000"}, "university_code"),
        ({"majors": "计算机"}, "majors"),
        ({"majors": ["  "]}, "majors[0]"),
        ({"notes": "记" * 2001}, "notes"),
        ({"notes": "书记\x00带队"}, "notes"),  # PostgreSQL cannot store NUL
        ({"external_ref": " "}, "external_ref"),
        ({"external_ref": "R" * 65}, "external_ref"),
        ({"budget": 100}, "budget"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, refs, changes, field):
    problem = f.assert_problem(client.post(API, json=create_body(**changes)), 422, field)
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    "missing", ["university_code", "employer_uscc", "visit_date", "positions_opened"]
)
def test_missing_required_field_is_422_naming_it(client, refs, missing):
    body = create_body()
    del body[missing]
    f.assert_problem(client.post(API, json=body), 422, missing)
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"positions_opened": -5}, "positions_opened"),
        ({"visit_date": "2023-02-30"}, "visit_date"),
        ({"leader_level": "boss"}, "leader_level"),
        ({"employer_uscc": f.with_wrong_check_digit(BJ_FIRM)}, "employer_uscc"),
        ({"visit_date": None}, "visit_date"),
        ({"positions_opened": None}, "positions_opened"),
        ({"university_code": None}, "university_code"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(client, refs, changes, field):
    visit = create(client)
    f.assert_problem(client.patch(f"{API}/{visit['id']}", json=changes), 422, field)
    assert client.get(f"{API}/{visit['id']}").json() == visit


# --- external_ref (台账编号) ----------------------------------------------------------------


def test_external_ref_is_unique_per_university(client, refs):
    first = create(client, external_ref="BD-001")
    problem = f.assert_problem(
        client.post(API, json=create_body(external_ref="BD-001", employer_uscc=SZ_FIRM)),
        409,
        "external_ref",
    )
    assert problem["type"] == "urn:jobfair:problem:already-exists"
    assert problem["existing_id"] == first["id"]
    assert f.total(client, API) == 1


def test_same_external_ref_at_another_university_is_fine(client, refs):
    create(client, external_ref="BD-001")
    other = create(client, university_code=f.SYSU, external_ref="BD-001")
    assert other["external_ref"] == "BD-001"
    assert f.total(client, API) == 2


def test_patch_to_taken_external_ref_is_409(client, refs):
    create(client, external_ref="BD-001")
    second = create(client, external_ref="BD-002")
    f.assert_problem(
        client.patch(f"{API}/{second['id']}", json={"external_ref": "BD-001"}),
        409,
        "external_ref",
    )
    assert client.get(f"{API}/{second['id']}").json()["external_ref"] == "BD-002"


def test_patch_moving_to_university_where_ref_is_taken_is_409(client, refs):
    create(client, university_code=f.SYSU, external_ref="BD-001")
    visit = create(client, external_ref="BD-001")
    f.assert_problem(
        client.patch(f"{API}/{visit['id']}", json={"university_code": f.SYSU}), 409, "external_ref"
    )
    assert client.get(f"{API}/{visit['id']}").json()["university_code"] == f.PKU


def test_patch_keeping_own_external_ref_is_fine(client, refs):
    visit = create(client, external_ref="BD-001")
    response = client.patch(
        f"{API}/{visit['id']}", json={"external_ref": "BD-001", "positions_opened": 3}
    )
    assert response.status_code == 200, response.text
    assert response.json()["positions_opened"] == 3


# --- listing ------------------------------------------------------------------------------


def seed(client) -> list[int]:
    """Four visits: (university, employer, date, leader level)."""
    rows = [
        (f.PKU, BJ_FIRM, "2023-05-01", "principal"),
        (f.PKU, SZ_FIRM, "2023-05-10", "staff"),
        (f.SYSU, BJ_FIRM, "2023-05-31", "principal"),
        (f.SYSU, SZ_FIRM, "2023-06-01", None),
    ]
    return [
        create(
            client,
            university_code=university,
            employer_uscc=employer,
            visit_date=day,
            leader_level=level,
        )["id"]
        for university, employer, day, level in rows
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0, 1, 2, 3]),
        ({"province": "11"}, [0, 1]),
        ({"province": "广东省"}, [2, 3]),
        ({"province": "440300"}, [2, 3]),
        ({"province": "31"}, []),
        ({"university_code": f.SYSU}, [2, 3]),
        ({"employer_uscc": BJ_FIRM}, [0, 2]),
        ({"employer_uscc": f.full_width(SZ_FIRM)}, [1, 3]),
        ({"from": "2023-05-10"}, [1, 2, 3]),
        ({"to": "2023-05-31"}, [0, 1, 2]),
        ({"from": "2023-05-10", "to": "2023-05-31"}, [1, 2]),
        ({"from": "2023-05-10", "to": "2023-05-10"}, [1]),
        ({"from": "2023-05-02", "to": "2023-05-09"}, []),
        ({"leader_level": "principal"}, [0, 2]),
        ({"leader_level": "department"}, []),
        ({"province": "11", "leader_level": "principal"}, [0]),
        ({"university_code": f.SYSU, "employer_uscc": BJ_FIRM, "to": "2023-05-31"}, [2]),
    ],
)
def test_list_filters_with_exact_totals(client, refs, params, expected):
    ids = seed(client)
    page = client.get(API, params=params).json()
    assert [item["id"] for item in page["items"]] == [ids[i] for i in expected]
    assert page["total"] == len(expected)


def test_list_pages_in_id_order(client, refs):
    ids = seed(client)
    first = client.get(API, params={"limit": 3}).json()
    assert (first["total"], first["limit"], first["offset"]) == (4, 3, 0)
    assert [item["id"] for item in first["items"]] == ids[:3]
    second = client.get(API, params={"limit": 3, "offset": 3}).json()
    assert [item["id"] for item in second["items"]] == ids[3:]
    assert second["total"] == 4 and second["offset"] == 3
    beyond = client.get(API, params={"offset": 10}).json()
    assert beyond["items"] == [] and beyond["total"] == 4


def test_list_filtered_page_total_counts_all_matches(client, refs):
    ids = seed(client)
    page = client.get(API, params={"province": "44", "limit": 1, "offset": 1}).json()
    assert [item["id"] for item in page["items"]] == [ids[3]]
    assert page["total"] == 2


def test_from_after_to_is_422_naming_from(client, refs):
    seed(client)
    problem = f.assert_problem(
        client.get(API, params={"from": "2023-06-01", "to": "2023-05-01"}), 422, "from"
    )
    assert problem["errors"][0]["in"] == "query"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "99"}, "province"),
        ({"university_code": "5111010001"}, "university_code"),
        ({"employer_uscc": f.with_wrong_check_digit(BJ_FIRM)}, "employer_uscc"),
        ({"leader_level": "boss"}, "leader_level"),
        ({"from": "2023-02-30"}, "from"),
        ({"to": "2023-5-1x"}, "to"),
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_list_parameter_is_422_naming_it(client, refs, params, field):
    f.assert_problem(client.get(API, params=params), 422, field)


# --- deletion -----------------------------------------------------------------------------


def test_delete_refused_while_a_vacancy_points_at_the_visit(client, refs):
    visit = create(client)
    vacancy = f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(BJ_FIRM, source="visit", visit_id=visit["id"])
        )
    )
    problem = f.assert_problem(client.delete(f"{API}/{visit['id']}"), 409)
    assert problem["type"] == "urn:jobfair:problem:still-referenced"
    assert problem["referenced_by"] == {"vacancies": 1}
    assert client.get(f"{API}/{visit['id']}").json() == visit

    assert client.delete(f"/api/v1/vacancies/{vacancy['id']}").status_code == 204
    assert client.delete(f"{API}/{visit['id']}").status_code == 204
    assert f.total(client, API) == 0


def test_patch_employer_refused_while_a_vacancy_of_it_points_at_the_visit(client, refs):
    visit = create(client)
    f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(BJ_FIRM, source="visit", visit_id=visit["id"])
        )
    )
    problem = f.assert_problem(
        client.patch(f"{API}/{visit['id']}", json={"employer_uscc": SZ_FIRM}), 409, "employer_uscc"
    )
    assert problem["type"] == "urn:jobfair:problem:still-referenced"
    assert problem["referenced_by"] == {"vacancies": 1}
    assert client.get(f"{API}/{visit['id']}").json() == visit


def test_patch_other_fields_is_fine_while_a_vacancy_points_at_the_visit(client, refs):
    visit = create(client)
    f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(BJ_FIRM, source="visit", visit_id=visit["id"])
        )
    )
    response = client.patch(
        f"{API}/{visit['id']}", json={"employer_uscc": BJ_FIRM, "positions_opened": 99}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {**visit, "positions_opened": 99}


def test_visited_employer_cannot_be_deleted_until_visit_is(client, refs):
    visit = create(client)
    problem = f.assert_problem(client.delete(f"/api/v1/employers/{BJ_FIRM}"), 409)
    assert problem["referenced_by"] == {"visits": 1}
    assert client.delete(f"{API}/{visit['id']}").status_code == 204
    assert client.delete(f"/api/v1/employers/{BJ_FIRM}").status_code == 204


# --- service functions --------------------------------------------------------------------

ALL = PageParams(limit=50, offset=0)
ANY_DAY = DateRange()


def test_service_create_update_list_delete(session, refs):
    visit = service.create_visit(
        session, VisitCreate(**create_body(leader_level="leader", majors=["电子信息"]))
    )
    assert visit.leader_level is LeaderLevel.LEADER
    assert visit.visit_date == dt.date(2023, 5, 10)
    assert visit.majors == ["电子信息"]

    service.update_visit(session, visit.id, VisitUpdate(positions_opened=40, notes="复访"))
    assert service.get_visit(session, visit.id).positions_opened == 40
    assert service.get_visit(session, visit.id).notes == "复访"

    page = service.list_visits(session, ALL, dates=ANY_DAY, province="11")
    assert [v.id for v in page["items"]] == [visit.id]
    assert page["total"] == 1
    assert service.list_visits(session, ALL, dates=ANY_DAY, province="44")["total"] == 0

    service.delete_visit(session, visit.id)
    assert f.count_rows(session, Visit) == 0
    with pytest.raises(NotFound):
        service.get_visit(session, visit.id)


def test_service_list_bounds_dates_inclusively(session, client, refs):
    ids = seed(client)
    dates = DateRange(start=dt.date(2023, 5, 10), end=dt.date(2023, 5, 31))
    page = service.list_visits(session, ALL, dates=dates)
    assert [v.id for v in page["items"]] == ids[1:3]
    assert page["total"] == 2
    page = service.list_visits(
        session, ALL, dates=ANY_DAY, employer_uscc=SZ_FIRM, leader_level=LeaderLevel.STAFF
    )
    assert [v.id for v in page["items"]] == [ids[1]]


@pytest.mark.parametrize(
    ("field", "value"),
    [("university_code", f.UNKNOWN_UNIVERSITY), ("employer_uscc", UNKNOWN_FIRM)],
)
def test_service_refuses_unknown_reference(session, refs, field, value):
    with pytest.raises(UnknownReference) as caught:
        service.create_visit(session, VisitCreate(**create_body(**{field: value})))
    assert [error["field"] for error in caught.value.errors] == [field]
    assert f.count_rows(session, Visit) == 0


def test_service_refuses_duplicate_external_ref(session, refs):
    first = service.create_visit(session, VisitCreate(**create_body(external_ref="BD-9")))
    with pytest.raises(AlreadyExists) as caught:
        service.create_visit(session, VisitCreate(**create_body(external_ref="BD-9")))
    assert caught.value.extra == {"existing_id": first.id}
    assert f.count_rows(session, Visit) == 1


def test_service_refuses_delete_of_referenced_visit(session, client, refs):
    visit = create(client)
    f.created(
        client.post(
            "/api/v1/vacancies", json=f.vacancy(BJ_FIRM, source="visit", visit_id=visit["id"])
        )
    )
    with pytest.raises(StillReferenced):
        service.delete_visit(session, visit["id"])
    assert f.count_rows(session, Visit) == 1


@pytest.mark.parametrize("call", ["get_visit", "delete_visit"])
def test_service_unknown_id_is_not_found(session, call):
    with pytest.raises(NotFound):
        getattr(service, call)(session, 424242)


def test_service_update_of_unknown_id_is_not_found(session):
    with pytest.raises(NotFound):
        service.update_visit(session, 424242, VisitUpdate(notes="x"))
