"""The record resources are scoped to the token's reach, as the statistics attribute them: a
visit by its university, an event and a vacancy by their university (a university's token) or
their province (a province's token). A record outside the reach is answered as a missing one
(and audited as refused); lists and exports hold only the reach's records; a written record's
owner comes from the token.

The data set: 北京大学 (PKU) and 清华大学 (THU) in Beijing (11), 中山大学 (SYSU) in Guangdong
(44); a PKU event held in Shanghai (31), and a vacancy of PKU counted in Guangdong (44)."""

import csv
import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from tests import factories as f

API = "/api/v1"
PKU, SYSU, THU = f.PKU, f.SYSU, "4111010003"
BJ_FIRM = f.make_uscc(9101, "11")
SZ_FIRM = f.make_uscc(9102, "44")
MISSING_ID = 987_654_321


@pytest.fixture
def data(client) -> dict[str, int]:
    """The records, made by the national client; their ids by name."""
    f.register_pku_and_sysu(client, {BJ_FIRM: "11", SZ_FIRM: "44"})
    f.created(client.post(f"{API}/universities", json=f.university(THU, "清华大学", "11")))
    ids: dict[str, int] = {}

    def make(name: str, path: str, body: dict) -> None:
        ids[name] = f.created(client.post(f"{API}/{path}", json=body))["id"]

    make("v_pku1", "visits", f.visit(PKU, BJ_FIRM))
    make("v_pku2", "visits", f.visit(PKU, BJ_FIRM, visit_date="2023-06-10"))
    make("v_thu", "visits", f.visit(THU, BJ_FIRM))
    make("v_sysu", "visits", f.visit(SYSU, SZ_FIRM))
    make("e_pku", "events", f.event(university_code=PKU, province="11"))
    make("e_pku_sh", "events", f.event(university_code=PKU, province="31"))
    make("e_sysu", "events", f.event(university_code=SYSU, province="44"))
    make("e_dept11", "events", f.event(province="11"))
    make("e_dept44", "events", f.event(province="44"))
    make("va_pku", "vacancies", f.vacancy(BJ_FIRM, source="visit", visit_id=ids["v_pku1"]))
    make("va_pku44", "vacancies", f.vacancy(SZ_FIRM, university_code=PKU, province="44"))
    make("va_sysu", "vacancies", f.vacancy(SZ_FIRM, source="visit", visit_id=ids["v_sysu"]))
    make("va_dept11", "vacancies", f.vacancy(BJ_FIRM))
    return ids


@pytest.fixture
def tokens(data, bearer) -> dict[str, dict[str, str]]:
    """The Authorization headers of a token of each reach."""
    return {
        "pku": bearer("university", university_code=PKU),
        "sysu": bearer("university", university_code=SYSU),
        "p11": bearer("province", province="11"),
        "p44": bearer("province", province="44"),
    }


# What each reach covers. None: the national client's own token.
COVERED = {
    None: {
        "visits": {"v_pku1", "v_pku2", "v_thu", "v_sysu"},
        "events": {"e_pku", "e_pku_sh", "e_sysu", "e_dept11", "e_dept44"},
        "vacancies": {"va_pku", "va_pku44", "va_sysu", "va_dept11"},
    },
    "pku": {
        "visits": {"v_pku1", "v_pku2"},
        "events": {"e_pku", "e_pku_sh"},
        "vacancies": {"va_pku", "va_pku44"},
    },
    "sysu": {"visits": {"v_sysu"}, "events": {"e_sysu"}, "vacancies": {"va_sysu"}},
    "p11": {
        "visits": {"v_pku1", "v_pku2", "v_thu"},
        "events": {"e_pku", "e_dept11"},
        "vacancies": {"va_pku", "va_dept11"},
    },
    "p44": {
        "visits": {"v_sysu"},
        "events": {"e_sysu", "e_dept44"},
        "vacancies": {"va_pku44", "va_sysu"},
    },
}
KINDS = ("visits", "events", "vacancies")


def _headers(tokens, who: str | None) -> dict[str, str] | None:
    return tokens[who] if who is not None else None


def _listed(client, path: str, headers, **params) -> tuple[int, set]:
    response = client.get(f"{API}/{path}", params={"limit": 100, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["total"], {item.get("id", item.get("uscc")) for item in body["items"]}


def _ids(data, names) -> set[int]:
    return {data[name] for name in names}


def _without(body: dict, key: str) -> dict:
    """A problem's body with the record's key in its detail and instance shown as <key>."""
    return {
        name: value.replace(key, "<key>") if name in ("detail", "instance") else value
        for name, value in body.items()
    }


def _same_as_missing(response, missing, record_id: object, missing_id: object = MISSING_ID):
    """`response` (for `record_id`) is a 404 identical to `missing`'s (for `missing_id`), but
    for the id itself."""
    assert response.status_code == 404, response.text
    assert missing.status_code == 404, missing.text
    assert response.headers["content-type"] == missing.headers["content-type"]
    body = response.json()
    assert _without(body, str(record_id)) == _without(missing.json(), str(missing_id))
    assert body["type"] == "urn:jobfair:problem:not-found"
    assert body["instance"].endswith(f"/{record_id}")


# --- lists and exports --------------------------------------------------------------------


@pytest.mark.parametrize("who", list(COVERED))
@pytest.mark.parametrize("kind", KINDS)
def test_a_list_holds_exactly_the_records_of_the_reach(client, data, tokens, who, kind):
    total, ids = _listed(client, kind, _headers(tokens, who))
    expected = _ids(data, COVERED[who][kind])
    assert ids == expected
    assert total == len(expected)


def test_filters_apply_on_top_of_the_reach(client, data, tokens):
    # A university asking for another's records gets none, not theirs.
    assert _listed(client, "visits", tokens["pku"], university_code=SYSU) == (0, set())
    assert _listed(client, "events", tokens["pku"], province="44") == (0, set())
    assert _listed(client, "vacancies", tokens["pku"], province="44") == (1, {data["va_pku44"]})
    # The visits' province filter (a join) composes with a province's reach (a subquery).
    beijing_visits = _ids(data, {"v_pku1", "v_pku2", "v_thu"})
    assert _listed(client, "visits", tokens["p11"], province="11") == (3, beijing_visits)
    assert _listed(client, "visits", tokens["p11"], province="44") == (0, set())
    assert _listed(client, "visits", tokens["p44"], province="11") == (0, set())
    assert _listed(client, "visits", tokens["p11"], university_code=THU) == (1, {data["v_thu"]})
    assert _listed(client, "events", tokens["p44"], university_code=PKU) == (0, set())
    # National: the filter alone.
    assert _listed(client, "visits", None, province="44") == (1, {data["v_sysu"]})


def _csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("who", "kind", "column", "expected"),
    [
        ("pku", "visits", "学校标识码", [PKU, PKU]),
        ("sysu", "visits", "学校标识码", [SYSU]),
        ("p11", "visits", "学校标识码", [PKU, PKU, THU]),
        (None, "visits", "学校标识码", [PKU, PKU, THU, SYSU]),
        ("pku", "events", "主办高校标识码", [PKU, PKU]),
        ("p44", "events", "主办高校标识码", [SYSU, ""]),
        ("pku", "vacancies", "学校标识码", [PKU, PKU]),
        ("p11", "vacancies", "学校标识码", [PKU, ""]),
        ("p44", "vacancies", "学校标识码", [PKU, SYSU]),
    ],
)
def test_an_export_holds_exactly_the_rows_of_the_reach(
    client, data, tokens, who, kind, column, expected
):
    response = client.get(
        f"{API}/{kind}/export", params={"format": "csv"}, headers=_headers(tokens, who)
    )
    assert [row[column] for row in _csv_rows(response)] == expected


def test_an_xlsx_export_is_scoped_too(client, data, tokens):
    import openpyxl

    response = client.get(f"{API}/visits/export", headers=tokens["sysu"])
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [SYSU]


# --- by id --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kind", "name"),
    [
        ("pku", "visits", "v_sysu"),
        ("pku", "events", "e_sysu"),
        ("pku", "vacancies", "va_sysu"),
        ("pku", "events", "e_dept11"),  # a department's event of PKU's own province
        ("pku", "vacancies", "va_dept11"),
        ("sysu", "vacancies", "va_pku44"),  # counted in 44, but PKU's
        ("p11", "visits", "v_sysu"),
        ("p11", "events", "e_sysu"),
        ("p11", "events", "e_pku_sh"),  # PKU's, held in Shanghai
        ("p11", "vacancies", "va_pku44"),  # PKU's, counted in Guangdong
        ("p44", "visits", "v_thu"),
        ("p44", "events", "e_dept11"),
        ("p44", "vacancies", "va_dept11"),
    ],
)
def test_a_record_out_of_reach_is_answered_as_a_missing_one(client, data, tokens, who, kind, name):
    headers = tokens[who]
    record_id = data[name]
    before = client.get(f"{API}/{kind}/{record_id}").json()
    change = {"headcount": 9} if kind == "vacancies" else {"title": "改"}
    if kind == "visits":
        change = {"positions_opened": 99}
    attempts = [("GET", None), ("PATCH", change), ("DELETE", None)]
    if kind == "visits" and who in ("p11", "p44"):
        # A province may not write visits at all (403, whatever the visit); it reads them.
        for method, body in attempts[1:]:
            answer = client.request(method, f"{API}/{kind}/{record_id}", json=body, headers=headers)
            f.assert_problem(answer, 403)
        attempts = attempts[:1]
    for method, body in attempts:
        missing = client.request(method, f"{API}/{kind}/{MISSING_ID}", json=body, headers=headers)
        answer = client.request(method, f"{API}/{kind}/{record_id}", json=body, headers=headers)
        _same_as_missing(answer, missing, record_id)
    # Nothing was changed or deleted.
    assert client.get(f"{API}/{kind}/{record_id}").json() == before


@pytest.mark.parametrize("who", list(COVERED))
@pytest.mark.parametrize("kind", KINDS)
def test_a_record_within_reach_is_read_by_id(client, data, tokens, who, kind):
    headers = _headers(tokens, who)
    for name in COVERED[who][kind]:
        response = client.get(f"{API}/{kind}/{data[name]}", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == data[name]


def test_a_refused_access_is_audited_and_a_missing_id_is_not(client, data, tokens, session):
    def refused() -> list[AuditEntry]:
        session.expire_all()
        query = select(AuditEntry).where(AuditEntry.action == "refused").order_by(AuditEntry.id)
        return list(session.scalars(query))

    assert refused() == []
    visit_id = data["v_sysu"]
    assert client.get(f"{API}/visits/{MISSING_ID}", headers=tokens["pku"]).status_code == 404
    assert refused() == []
    assert client.get(f"{API}/visits/{visit_id}", headers=tokens["pku"]).status_code == 404
    entries = refused()
    assert [(e.resource, e.resource_id, e.status, e.outcome, e.method) for e in entries] == [
        ("visits", str(visit_id), 404, "refused", "GET")
    ]
    assert (entries[0].role, entries[0].university_code) == ("university", PKU)
    vacancy_id = data["va_sysu"]
    response = client.delete(f"{API}/vacancies/{vacancy_id}", headers=tokens["p11"])
    assert response.status_code == 404
    last = refused()[-1]
    assert len(refused()) == 2
    assert (last.resource, last.resource_id, last.method, last.province) == (
        "vacancies",
        str(vacancy_id),
        "DELETE",
        "11",
    )
    # An event changed, a university read: each refused, none missing.
    event_id = data["e_sysu"]
    response = client.patch(
        f"{API}/events/{event_id}", json={"attendance": 1}, headers=tokens["p11"]
    )
    assert response.status_code == 404
    assert client.get(f"{API}/universities/{SYSU}", headers=tokens["pku"]).status_code == 404
    for resource, missing in (("events", MISSING_ID), ("universities", f.UNKNOWN_UNIVERSITY)):
        response = client.get(f"{API}/{resource}/{missing}", headers=tokens["pku"])
        assert response.status_code == 404
    assert [(e.resource, e.resource_id, e.method) for e in refused()[2:]] == [
        ("events", str(event_id), "PATCH"),
        ("universities", SYSU, "GET"),
    ]
    # The national client reads them through the API too.
    listed = client.get(f"{API}/audit", params={"action": "refused"}).json()
    assert [item["resource"] for item in listed["items"]] == [
        "universities",
        "events",
        "vacancies",
        "visits",
    ]
    assert {item["status"] for item in listed["items"]} == {404}


# --- writes: the owner comes from the token -----------------------------------------------


def _total(client, kind: str) -> int:
    return _listed(client, kind, None)[0]


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("visits", f.visit(SYSU, SZ_FIRM)),
        ("events", f.event(university_code=SYSU, province="44")),
        ("vacancies", f.vacancy(SZ_FIRM, university_code=SYSU)),
    ],
)
def test_a_university_naming_another_university_is_403_naming_the_field(
    client, data, tokens, kind, body
):
    before = _total(client, kind)
    response = client.post(f"{API}/{kind}", json=body, headers=tokens["pku"])
    problem = f.assert_problem(response, 403, "university_code")
    assert problem["type"] == "urn:jobfair:problem:forbidden"
    assert _total(client, kind) == before


def test_a_university_leaving_its_code_out_writes_its_own_records(client, data, tokens):
    pku = tokens["pku"]
    visit = f.visit(PKU, BJ_FIRM)
    del visit["university_code"]
    made = f.created(client.post(f"{API}/visits", json=visit, headers=pku))
    assert made["university_code"] == PKU
    # Giving its own code is as good as leaving it out.
    made = f.created(client.post(f"{API}/visits", json=f.visit(PKU, BJ_FIRM), headers=pku))
    assert made["university_code"] == PKU
    # An event with neither university nor province: PKU's, in PKU's province.
    event = f.event()
    del event["province"]
    made = f.created(client.post(f"{API}/events", json=event, headers=pku))
    assert (made["university_code"], made["province"]) == (PKU, "11")
    # A university's event may be held elsewhere.
    made = f.created(client.post(f"{API}/events", json=f.event(province="44"), headers=pku))
    assert (made["university_code"], made["province"]) == (PKU, "44")
    made = f.created(client.post(f"{API}/vacancies", json=f.vacancy(SZ_FIRM), headers=pku))
    assert (made["university_code"], made["province"]) == (PKU, "44")
    # All of them within PKU's reach, and counted as PKU's.
    assert _listed(client, "visits", pku)[0] == 4
    assert _listed(client, "events", pku)[0] == 4
    assert _listed(client, "vacancies", pku)[0] == 3


def test_national_staff_name_the_university_of_a_visit(client, data):
    visit = f.visit(PKU, BJ_FIRM)
    del visit["university_code"]
    before = _total(client, "visits")
    problem = f.assert_problem(client.post(f"{API}/visits", json=visit), 422, "university_code")
    assert "required" in problem["detail"]
    assert _total(client, "visits") == before
    # And an event of no university needs its province.
    event = f.event()
    del event["province"]
    f.assert_problem(client.post(f"{API}/events", json=event), 422, "province")
    # Of a university, it is that university's, unless told.
    made = f.created(client.post(f"{API}/events", json={**event, "university_code": SYSU}))
    assert made["province"] == "44"


@pytest.mark.parametrize(
    ("kind", "name", "change"),
    [
        ("visits", "v_pku1", {"university_code": SYSU}),
        ("events", "e_pku", {"university_code": SYSU}),
        ("vacancies", "va_pku44", {"university_code": SYSU}),
    ],
)
def test_a_university_moving_its_record_to_another_is_403(client, data, tokens, kind, name, change):
    path = f"{API}/{kind}/{data[name]}"
    before = client.get(path).json()
    f.assert_problem(client.patch(path, json=change, headers=tokens["pku"]), 403, "university_code")
    assert client.get(path).json() == before
    # Naming its own is allowed.
    response = client.patch(path, json={"university_code": PKU}, headers=tokens["pku"])
    assert response.status_code == 200, response.text
    assert response.json() == before


def test_a_university_updates_and_deletes_its_own_records(client, data, tokens):
    pku = tokens["pku"]
    response = client.patch(
        f"{API}/visits/{data['v_pku2']}", json={"positions_opened": 3}, headers=pku
    )
    assert response.status_code == 200, response.text
    assert response.json()["positions_opened"] == 3
    assert client.delete(f"{API}/visits/{data['v_pku2']}", headers=pku).status_code == 204
    assert client.get(f"{API}/visits/{data['v_pku2']}").status_code == 404
    # A vacancy moved to an event of another university stays PKU's, counted where it is held.
    response = client.patch(
        f"{API}/vacancies/{data['va_pku44']}",
        json={"source": "event", "event_id": data["e_sysu"]},
        headers=pku,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["university_code"], response.json()["province"]) == (PKU, "44")


# --- a province's department --------------------------------------------------------------


def test_a_province_writes_its_departments_events_in_its_own_province(client, data, tokens):
    p11 = tokens["p11"]
    before = _total(client, "events")
    event = f.event()
    del event["province"]
    made = f.created(client.post(f"{API}/events", json=event, headers=p11))
    assert (made["province"], made["university_code"]) == ("11", None)
    made = f.created(client.post(f"{API}/events", json=f.event(province="11"), headers=p11))
    assert (made["province"], made["university_code"]) == ("11", None)
    assert _total(client, "events") == before + 2
    f.assert_problem(
        client.post(f"{API}/events", json=f.event(province="44"), headers=p11), 403, "province"
    )
    f.assert_problem(
        client.post(f"{API}/events", json=f.event(university_code=PKU), headers=p11),
        403,
        "university_code",
    )
    assert _total(client, "events") == before + 2
    # Nor may it move one of its province's events elsewhere, or give it a university.
    path = f"{API}/events/{data['e_dept11']}"
    f.assert_problem(client.patch(path, json={"province": "44"}, headers=p11), 403, "province")
    f.assert_problem(
        client.patch(path, json={"university_code": THU}, headers=p11), 403, "university_code"
    )
    assert client.get(path).json()["province"] == "11"
    response = client.patch(path, json={"attendance": 40}, headers=p11)
    assert response.status_code == 200, response.text
    assert response.json()["attendance"] == 40


@pytest.mark.parametrize(("kind", "name"), [("events", "e_pku"), ("vacancies", "va_pku")])
def test_a_province_reads_but_does_not_change_its_universities_records(
    client, data, tokens, kind, name
):
    path = f"{API}/{kind}/{data[name]}"
    before = client.get(path).json()
    assert client.get(path, headers=tokens["p11"]).status_code == 200
    f.assert_problem(client.patch(path, json={"title": "改名"}, headers=tokens["p11"]), 403)
    f.assert_problem(client.delete(path, headers=tokens["p11"]), 403)
    assert client.get(path).json() == before
    # Its department's own, it may.
    own = f"{API}/{kind}/{data[name.replace('pku', 'dept11')]}"
    assert client.delete(own, headers=tokens["p11"]).status_code == 204


def test_a_provinces_vacancy_is_its_departments_whatever_its_origin(client, data, tokens):
    p11 = tokens["p11"]
    body = f.vacancy(BJ_FIRM, source="visit", visit_id=data["v_pku1"])
    made = f.created(client.post(f"{API}/vacancies", json=body, headers=p11))
    assert (made["province"], made["university_code"]) == ("11", None)
    body = f.vacancy(SZ_FIRM, source="event", event_id=data["e_sysu"])
    made = f.created(client.post(f"{API}/vacancies", json=body, headers=p11))
    assert (made["province"], made["university_code"]) == ("11", None)
    f.assert_problem(
        client.post(f"{API}/vacancies", json=f.vacancy(BJ_FIRM, province="44"), headers=p11),
        403,
        "province",
    )
    # A visit of another province's university is as good as missing.
    body = f.vacancy(SZ_FIRM, source="visit", visit_id=data["v_sysu"])
    f.assert_problem(client.post(f"{API}/vacancies", json=body, headers=p11), 422, "visit_id")


def test_a_province_reads_its_provinces_universities(client, data, tokens):
    def codes(headers, **params) -> tuple[int, list[str]]:
        response = client.get(f"{API}/universities", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        return body["total"], [item["code"] for item in body["items"]]

    assert codes(None) == (3, [PKU, THU, SYSU])
    assert codes(tokens["p11"]) == (2, [PKU, THU])
    assert codes(tokens["p44"]) == (1, [SYSU])
    assert codes(tokens["p44"], province="11") == (0, [])
    assert codes(tokens["pku"]) == (1, [PKU])
    assert codes(tokens["sysu"], province="44") == (1, [SYSU])
    for headers, code in [(tokens["p11"], SYSU), (tokens["p44"], PKU), (tokens["pku"], THU)]:
        missing = client.get(f"{API}/universities/{f.UNKNOWN_UNIVERSITY}", headers=headers)
        answer = client.get(f"{API}/universities/{code}", headers=headers)
        _same_as_missing(answer, missing, code, f.UNKNOWN_UNIVERSITY)
    for headers, code in [(tokens["p11"], THU), (tokens["p44"], SYSU), (tokens["pku"], PKU)]:
        answer = client.get(f"{API}/universities/{code}", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["code"] == code


# --- references ---------------------------------------------------------------------------


def test_a_universitys_vacancy_may_not_point_at_another_universitys_visit(client, data, tokens):
    pku = tokens["pku"]
    before = _total(client, "vacancies")
    body = f.vacancy(SZ_FIRM, source="visit", visit_id=data["v_sysu"])
    answer = client.post(f"{API}/vacancies", json=body, headers=pku)
    problem = f.assert_problem(answer, 422, "visit_id")
    assert problem["type"] == "urn:jobfair:problem:unknown-reference"
    missing = client.post(f"{API}/vacancies", json={**body, "visit_id": MISSING_ID}, headers=pku)
    assert problem == {
        **missing.json(),
        "detail": f"No visit {data['v_sysu']}.",
        "errors": [{"field": "visit_id", "in": "body", "message": f"No visit {data['v_sysu']}."}],
    }
    assert missing.json()["detail"] == f"No visit {MISSING_ID}."
    # Nor be moved to one.
    path = f"{API}/vacancies/{data['va_pku']}"
    before_vacancy = client.get(path).json()
    f.assert_problem(
        client.patch(
            path,
            json={"employer_uscc": SZ_FIRM, "visit_id": data["v_sysu"]},
            headers=pku,
        ),
        422,
        "visit_id",
    )
    assert client.get(path).json() == before_vacancy
    assert _total(client, "vacancies") == before
    # Its own visit will do; and any event.
    body = f.vacancy(BJ_FIRM, source="visit", visit_id=data["v_pku2"])
    made = f.created(client.post(f"{API}/vacancies", json=body, headers=pku))
    assert (made["visit_id"], made["university_code"]) == (data["v_pku2"], PKU)
    body = f.vacancy(SZ_FIRM, source="event", event_id=data["e_sysu"])
    made = f.created(client.post(f"{API}/vacancies", json=body, headers=pku))
    assert (made["event_id"], made["university_code"], made["province"]) == (
        data["e_sysu"],
        PKU,
        "44",
    )


# --- shared registries --------------------------------------------------------------------


def test_employers_and_campaigns_are_shared(client, data, tokens, bearer):
    for who in ("pku", "p44"):
        total, _ = _listed(client, "employers", tokens[who])
        assert total == 2
        response = client.get(f"{API}/employers/{SZ_FIRM}", headers=tokens[who])
        assert response.status_code == 200, response.text
    made = client.post(
        f"{API}/employers", json=f.employer(f.make_uscc(9103, "44"), "44"), headers=tokens["pku"]
    )
    assert made.status_code == 201, made.text
    assert _listed(client, "employers", tokens["p11"])[0] == 3
    f.assert_problem(
        client.patch(f"{API}/employers/{SZ_FIRM}", json={"name": "改"}, headers=tokens["p44"]),
        403,
    )
    f.created(
        client.post(
            f"{API}/campaigns",
            json={
                "slug": "c23",
                "name": "2023届",
                "start_date": "2022-09-01",
                "end_date": "2023-08-31",
            },
        )
    )
    reader = bearer("reader", province="44")
    for headers in (tokens["sysu"], tokens["p11"], reader):
        response = client.get(f"{API}/campaigns", headers=headers)
        assert response.status_code == 200, response.text
        assert [item["slug"] for item in response.json()["items"]] == ["c23"]
