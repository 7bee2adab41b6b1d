"""Every error is an RFC 9457 problem (application/problem+json) naming the field at fault, and a
failed request changes nothing."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from app.core.schemas import MAX_ID
from app.main import create_app
from tests import factories as f

API = "/api/v1"
RESOURCES = ["universities", "employers", "campaigns", "visits", "events", "vacancies"]
BY_ID = {"visits": "visit_id", "events": "event_id", "vacancies": "vacancy_id"}
USCC = f.make_uscc(900000101)
JSON = {"content-type": "application/json"}
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


def total(client, resource: str) -> int:
    response = client.get(f"{API}/{resource}")
    assert response.status_code == 200, response.text
    return response.json()["total"]


def totals(client) -> dict[str, int]:
    return {resource: total(client, resource) for resource in RESOURCES}


@pytest.fixture
def records(client):
    """A university and an employer, so that visit and vacancy bodies are otherwise valid."""
    f.created(client.post(f"{API}/universities", json=f.university()))
    f.created(client.post(f"{API}/employers", json=f.employer(USCC)))


def assert_full_problem(response, status: int, path: str) -> dict:
    body = f.assert_problem(response, status)
    assert PROBLEM_MEMBERS - body.keys() == set(), body
    assert body["instance"] == path
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- malformed and mis-shaped bodies ------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"{bad",
        b'{"name": "x",}',
        b"{'name': 'x'}",
        b'{"name": "x"',
        b'{"name": "\xff"}',  # not UTF-8
        b'{"count": 1' + b"0" * 5000 + b"}",  # a number too long for the JSON parser
    ],
    ids=["bare-word", "trailing-comma", "single-quotes", "unclosed", "not-utf8", "long-number"],
)
@pytest.mark.parametrize("resource", RESOURCES)
def test_malformed_json_is_400_naming_body_and_writes_nothing(client, resource, content):
    path = f"{API}/{resource}"
    problem = f.assert_problem(client.post(path, content=content, headers=JSON), 400, "body")
    assert problem["type"] == "urn:jobfair:problem:malformed-json"
    assert problem["instance"] == path
    assert total(client, resource) == 0


@pytest.mark.parametrize(
    "path", [f"{API}/employers/{USCC}", f"{API}/campaigns/sprint-2023", f"{API}/visits/1"]
)
def test_malformed_json_on_patch_is_400_naming_body(client, path):
    f.assert_problem(client.patch(path, content=b"{bad", headers=JSON), 400, "body")


@pytest.mark.parametrize("content", [b"[]", b"[{}]", b'"text"', b"42", b"null", b"true"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_body_that_is_not_an_object_is_422_naming_body(client, resource, content):
    response = client.post(f"{API}/{resource}", content=content, headers=JSON)
    problem = f.assert_problem(response, 422, "body")
    assert problem["type"] == "urn:jobfair:problem:validation-error"
    assert total(client, resource) == 0


def test_an_array_of_valid_records_is_still_refused(client):
    f.assert_problem(client.post(f"{API}/employers", json=[f.employer(USCC)]), 422, "body")
    assert total(client, "employers") == 0


def test_every_missing_field_is_named_in_one_answer(client):
    problem = f.assert_problem(client.post(f"{API}/employers", json={}), 422)
    assert [error["field"] for error in problem["errors"]] == [
        "uscc",
        "name",
        "industry",
        "province",
    ]
    assert {error["in"] for error in problem["errors"]} == {"body"}
    assert problem["detail"] == "Invalid value for: uscc, name, industry, province."


def test_a_bad_list_item_is_named_with_its_position(client, records):
    body = f.event(participants=[USCC, "91110000600037341A"])
    problem = f.assert_problem(client.post(f"{API}/events", json=body), 422, "participants[1]")
    assert [error["field"] for error in problem["errors"]] == ["participants[1]"]
    assert total(client, "events") == 0


# --- paging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 10**6}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "first"}, "offset"),
    ],
)
@pytest.mark.parametrize("resource", RESOURCES)
def test_bad_paging_is_422_naming_the_parameter(client, resource, params, field):
    problem = f.assert_problem(client.get(f"{API}/{resource}", params=params), 422, field)
    assert problem["errors"][0]["in"] == "query"


@pytest.mark.parametrize("resource", RESOURCES)
def test_page_size_of_1000_is_allowed(client, resource):
    page = client.get(f"{API}/{resource}", params={"limit": 1000, "offset": 7}).json()
    assert page == {"items": [], "total": 0, "limit": 1000, "offset": 7}


@pytest.mark.parametrize("resource", RESOURCES)
def test_paging_defaults_to_50_from_the_start(client, resource):
    page = client.get(f"{API}/{resource}").json()
    assert (page["limit"], page["offset"]) == (50, 0)


@pytest.mark.parametrize("resource", RESOURCES)
def test_offset_beyond_64_bits_is_422_naming_offset(client, resource):
    f.assert_problem(client.get(f"{API}/{resource}", params={"offset": 2**63}), 422, "offset")


@pytest.mark.parametrize("resource", RESOURCES)
def test_largest_offset_is_an_empty_page(client, resource):
    page = client.get(f"{API}/{resource}", params={"offset": MAX_ID}).json()
    assert page == {"items": [], "total": 0, "limit": 50, "offset": MAX_ID}


# --- routes and methods -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/nowhere", f"{API}/nope", f"{API}/employers/{USCC}/visits", "/api/v2/employers"],
)
def test_unknown_route_is_404_problem(client, path):
    problem = assert_full_problem(client.get(path), 404, path)
    assert problem["type"] == "urn:jobfair:problem:not-found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", f"{API}/employers"),
        ("DELETE", f"{API}/universities"),
        ("POST", f"{API}/reference/provinces"),
        ("PUT", f"{API}/campaigns/sprint-2023"),
        ("POST", f"{API}/visits/1"),
        ("PATCH", f"{API}/events"),
    ],
)
def test_wrong_method_is_405_problem_with_allow_header(client, method, path):
    response = client.request(method, path)
    problem = assert_full_problem(response, 405, path)
    assert problem["type"] == "urn:jobfair:problem:method-not-allowed"
    assert response.headers["allow"]


# --- ids in the path ----------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", [str(10**30), str(2**63), "0", "-1", "abc", "1.5"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", list(BY_ID))
def test_out_of_range_or_non_numeric_id_in_path_is_422(client, resource, method, bad_id):
    kwargs = {"json": {}} if method == "PATCH" else {}
    response = client.request(method, f"{API}/{resource}/{bad_id}", **kwargs)
    problem = f.assert_problem(response, 422, BY_ID[resource])
    assert problem["errors"][0]["in"] == "path"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", list(BY_ID))
def test_largest_id_is_a_plain_404(client, resource, method):
    kwargs = {"json": {}} if method == "PATCH" else {}
    path = f"{API}/{resource}/{MAX_ID}"
    problem = assert_full_problem(client.request(method, path, **kwargs), 404, path)
    assert problem["type"] == "urn:jobfair:problem:not-found"


# --- numbers in bodies --------------------------------------------------------------------


def _body(resource: str) -> dict:
    return {
        "visits": f.visit("4111010001", USCC),
        "events": f.event(),
        "vacancies": f.vacancy(USCC),
    }[resource]


@pytest.mark.parametrize(
    ("resource", "field", "value"),
    [
        ("visits", "positions_opened", 10**30),
        ("visits", "positions_opened", 2**63),
        ("visits", "positions_opened", 1_000_001),
        ("visits", "positions_opened", -1),
        ("events", "attendance", 10**30),
        ("events", "attendance", 2**31),
        ("events", "attendance", -1),
        ("vacancies", "headcount", 10**30),
        ("vacancies", "headcount", 1_000_001),
        ("vacancies", "headcount", 0),
        ("vacancies", "event_id", 10**30),
        ("vacancies", "visit_id", 2**63),
    ],
)
def test_out_of_range_number_in_body_is_422_naming_it(client, records, resource, field, value):
    problem = f.assert_problem(
        client.post(f"{API}/{resource}", json=_body(resource) | {field: value}), 422, field
    )
    assert [error["field"] for error in problem["errors"]] == [field]
    assert total(client, resource) == 0


@pytest.mark.parametrize(
    ("resource", "field", "value"),
    [
        ("visits", "positions_opened", "twelve"),
        ("visits", "positions_opened", ""),
        ("visits", "positions_opened", "12 个"),
        ("visits", "positions_opened", 12.5),
        ("visits", "positions_opened", [12]),
        ("events", "attendance", "many"),
        ("events", "attendance", {"value": 3700}),
        ("vacancies", "headcount", "five"),
        ("vacancies", "headcount", "1e3"),
        ("vacancies", "event_id", "abc"),
    ],
)
def test_string_or_other_non_number_where_a_number_belongs_is_422(
    client, records, resource, field, value
):
    f.assert_problem(
        client.post(f"{API}/{resource}", json=_body(resource) | {field: value}), 422, field
    )
    assert total(client, resource) == 0


def test_the_same_bodies_are_accepted_with_valid_numbers(client, records):
    for resource in BY_ID:
        f.created(client.post(f"{API}/{resource}", json=_body(resource)))
    assert totals(client) == {
        "universities": 1,
        "employers": 1,
        "campaigns": 0,
        "visits": 1,
        "events": 1,
        "vacancies": 1,
    }


# --- the shape of every problem -----------------------------------------------------------

_FAILING = [
    ("GET", f"{API}/nope", None, 404),
    ("PUT", f"{API}/employers", None, 405),
    ("POST", f"{API}/employers", b"{bad", 400),
    ("POST", f"{API}/employers", [], 422),
    ("POST", f"{API}/employers", f.employer(USCC), 409),
    ("GET", f"{API}/employers?limit=1001", None, 422),
    ("GET", f"{API}/employers/{f.with_wrong_check_digit(USCC)}", None, 422),
    ("GET", f"{API}/employers/91110000600037341L", None, 404),
    ("DELETE", f"{API}/universities/4111010001", None, 409),
    ("GET", f"{API}/visits/{10**30}", None, 422),
    ("POST", f"{API}/visits", f.visit("4144010558", USCC), 422),
    ("GET", f"{API}/events?from=2023-06-01&to=2023-05-01", None, 422),
    ("PATCH", f"{API}/campaigns/sprint-2023", {"name": "x"}, 404),
]


@pytest.mark.parametrize(("method", "url", "body", "status"), _FAILING)
def test_every_problem_has_type_title_status_detail_instance(
    client, records, method, url, body, status
):
    f.created(client.post(f"{API}/visits", json=f.visit("4111010001", USCC)))
    kwargs = {"content": body, "headers": JSON} if isinstance(body, bytes) else {"json": body}
    response = client.request(method, url, **kwargs)
    assert_full_problem(response, status, url.split("?")[0])


# --- a failed request changes nothing -----------------------------------------------------


def test_failed_creations_change_no_totals(client, records):
    before = totals(client)
    failing = [
        ("universities", f.university(code="4111010002", province="99")),
        ("employers", f.employer(f.with_wrong_check_digit(USCC))),
        (
            "campaigns",
            {"slug": "s", "name": "n", "start_date": "2023-05-02", "end_date": "2023-05-01"},
        ),
        ("visits", f.visit("4111010001", "91110000600037341L")),  # unregistered employer
        ("events", f.event(participants=[USCC, "91110000600037341L"])),
        ("events", f.event(participants=[USCC, USCC])),
        ("vacancies", f.vacancy(USCC, source="event", event_id=MAX_ID)),
    ]
    for resource, body in failing:
        response = client.post(f"{API}/{resource}", json=body)
        assert response.status_code == 422, (resource, response.text)
    assert totals(client) == before


def test_failed_update_leaves_the_record_as_it_was(client, records):
    event = f.created(client.post(f"{API}/events", json=f.event(participants=[USCC])))
    path = f"{API}/events/{event['id']}"
    response = client.patch(
        path, json={"title": "改名", "participants": [USCC, "91110000600037341L"]}
    )
    f.assert_problem(response, 422, "participants[1]")
    assert client.get(path).json() == event


def test_refused_delete_leaves_the_record(client, records):
    f.created(client.post(f"{API}/visits", json=f.visit("4111010001", USCC)))
    before = totals(client)
    f.assert_problem(client.delete(f"{API}/employers/{USCC}"), 409)
    f.assert_problem(client.delete(f"{API}/universities/4111010001"), 409)
    assert totals(client) == before


# --- handlers for what the routes do not expect -------------------------------------------


@pytest.fixture
def failing_app_client():
    app = create_app(background_work=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/race")
    def race():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_unexpected_error_is_a_500_problem_without_internals(failing_app_client):
    response = failing_app_client.get("/boom")
    problem = assert_full_problem(response, 500, "/boom")
    assert problem["type"] == "urn:jobfair:problem:internal-error"
    assert "secret" not in response.text


def test_integrity_error_from_a_concurrent_writer_is_a_409_problem(failing_app_client):
    response = failing_app_client.get("/race")
    problem = assert_full_problem(response, 409, "/race")
    assert problem["type"] == "urn:jobfair:problem:conflict"
    assert "duplicate key" not in response.text
