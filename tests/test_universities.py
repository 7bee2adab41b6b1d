import pytest
from sqlalchemy import func, select

from app.core.errors import AlreadyExists, NotFound, StillReferenced
from app.core.pagination import PageParams
from app.universities import service
from app.universities.models import University
from app.universities.schemas import UniversityCreate, UniversityUpdate
from tests import factories as f

API = "/api/v1/universities"


def test_create_read_update_delete(client):
    body = f.created(client.post(API, json=f.university(province="110000")))
    assert body == {"code": "4111010001", "name": "北京大学", "province": "11"}
    assert client.get(f"{API}/4111010001").json() == body

    updated = client.patch(f"{API}/4111010001", json={"name": "北京大学（本部）"})
    assert updated.status_code == 200
    assert updated.json()["name"] == "北京大学（本部）"
    assert client.get(f"{API}/4111010001").json()["name"] == "北京大学（本部）"

    assert client.delete(f"{API}/4111010001").status_code == 204
    f.assert_problem(client.get(f"{API}/4111010001"), 404)


def test_province_accepted_as_name_and_full_width_code(client):
    body = f.created(
        client.post(
            API, json={"code": "４１３１０１０２６４", "name": "上海海洋大学", "province": "上海"}
        )
    )
    assert body["code"] == "4131010264"
    assert body["province"] == "31"


def test_duplicate_is_409_pointing_at_existing(client):
    f.created(client.post(API, json=f.university()))
    problem = f.assert_problem(client.post(API, json=f.university(name="又一个")), 409, "code")
    assert problem["existing"] == f"{API}/4111010001"
    assert client.get(API).json()["total"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (f.university(code="5111010001"), "code"),
        (f.university(code="411101000"), "code"),
        (f.university(province="99"), "province"),
        (f.university(province="990000"), "province"),
        (f.university(name="  "), "name"),
        ({"code": "4111010001", "province": "11"}, "name"),
        ({**f.university(), "motto": "实事求是"}, "motto"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, payload, field):
    f.assert_problem(client.post(API, json=payload), 422, field)
    assert client.get(API).json()["total"] == 0


def test_list_filters_by_province_and_pages(client):
    for code, province in [("4111010001", "11"), ("4111010003", "11"), ("4144010558", "44")]:
        f.created(client.post(API, json=f.university(code=code, province=province)))
    page = client.get(API, params={"province": "11", "limit": 1}).json()
    assert page["total"] == 2
    assert [u["code"] for u in page["items"]] == ["4111010001"]
    assert page["limit"] == 1 and page["offset"] == 0
    second = client.get(API, params={"province": "北京市", "limit": 1, "offset": 1}).json()
    assert [u["code"] for u in second["items"]] == ["4111010003"]
    f.assert_problem(client.get(API, params={"province": "00"}), 422, "province")


def test_delete_refused_while_visited_records_point_at_it(client):
    f.created(client.post(API, json=f.university()))
    employer = f.created(client.post("/api/v1/employers", json=f.employer()))
    f.created(client.post("/api/v1/visits", json=f.visit("4111010001", employer["uscc"])))
    problem = f.assert_problem(client.delete(f"{API}/4111010001"), 409)
    assert problem["referenced_by"] == {"visits": 1}
    assert client.get(f"{API}/4111010001").status_code == 200


def test_service_functions_without_http(session):
    service.create_university(session, UniversityCreate(**f.university()))
    with pytest.raises(AlreadyExists):
        service.create_university(session, UniversityCreate(**f.university()))
    service.update_university(session, "4111010001", UniversityUpdate(province="北京"))
    page = service.list_universities(session, PageParams(limit=10, offset=0), province="11")
    assert page["total"] == 1
    service.delete_university(session, "4111010001")
    assert session.scalar(select(func.count()).select_from(University)) == 0
    with pytest.raises(NotFound):
        service.get_university(session, "4111010001")


def test_service_refuses_delete_of_referenced_university(session, client):
    f.created(client.post(API, json=f.university()))
    f.created(client.post("/api/v1/events", json=f.event(university_code="4111010001")))
    with pytest.raises(StillReferenced):
        service.delete_university(session, "4111010001")
