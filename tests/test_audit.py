"""The audit log: a row for each write, import, export, sign-in and refused request, readable
by national and province administrators, and by no API changed or deleted."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.settings import get_settings
from tests import factories as f
from tests.test_imports import csv_bytes, employer_rows, send

FIRM = f.make_uscc(8101, "11")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")


def _entries(session, **where) -> list[AuditEntry]:
    session.expire_all()
    query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(session.scalars(query))


def _one(session, **where) -> AuditEntry:
    entries = _entries(session, **where)
    assert len(entries) == 1, [(e.action, e.resource, e.status) for e in entries]
    return entries[0]


def _me(client) -> dict:
    return client.get("/api/v1/auth/me").json()


def test_a_write_is_recorded_with_who_what_and_the_request(client, session):
    f.register_pku_and_sysu(client, {FIRM: "11"})
    answer = client.post("/api/v1/visits", json=f.visit(f.PKU, FIRM))
    visit_id = answer.json()["id"]
    entry = _one(session, resource="visits")
    me = _me(client)
    assert (entry.action, entry.outcome, entry.status) == ("create", "ok", 201)
    assert (entry.actor, entry.actor_name, entry.role) == (
        f"token:{me['id']}",
        me["name"],
        "national",
    )
    assert entry.resource_id == str(visit_id)
    assert (entry.method, entry.path) == ("POST", "/api/v1/visits")
    assert entry.request_id == answer.headers["X-Request-ID"]
    assert entry.client == "testclient"
    assert entry.at.tzinfo is not None or session.bind.dialect.name == "sqlite"

    client.patch(f"/api/v1/visits/{visit_id}", json={"positions_opened": 3})
    client.delete(f"/api/v1/visits/{visit_id}")
    assert [(e.action, e.resource_id) for e in _entries(session, resource="visits")] == [
        ("create", str(visit_id)),
        ("update", str(visit_id)),
        ("delete", str(visit_id)),
    ]


def test_a_failed_write_and_a_replayed_one_add_no_row(client, session):
    f.register_pku_and_sysu(client, {FIRM: "11"})
    f.assert_problem(client.post("/api/v1/visits", json=f.visit(f.PKU, f.make_uscc(1))), 422)
    assert _entries(session, resource="visits") == []
    keyed = {"Idempotency-Key": "audit-once"}
    client.post("/api/v1/visits", json=f.visit(f.PKU, FIRM), headers=keyed)
    again = client.post("/api/v1/visits", json=f.visit(f.PKU, FIRM), headers=keyed)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_entries(session, resource="visits")) == 1


def test_the_request_id_sent_by_a_proxy_is_kept(client, session):
    answer = client.post(
        "/api/v1/universities", json=f.university(), headers={"X-Request-ID": "nginx-42"}
    )
    assert answer.headers["X-Request-ID"] == "nginx-42"
    assert _one(session, resource="universities").request_id == "nginx-42"


def test_an_import_and_an_export_are_recorded(client, session):
    job = send(client, "employers", csv_bytes(employer_rows(2))).json()
    entry = _one(session, action="import")
    assert (entry.resource, entry.resource_id, entry.status) == ("imports", str(job["id"]), 202)
    assert entry.detail == "employers: 台账.csv"

    client.get("/api/v1/employers/export", params={"format": "csv", "province": "11"})
    entry = _one(session, action="export")
    assert (entry.resource, entry.outcome) == ("employers/export", "ok")
    assert entry.detail == "format=csv&province=11"


def test_sign_ins_are_recorded_whether_they_succeed_or_fail(client, anonymous, session):
    body = {"username": "wang.fang", "password": "a long password", "role": "national"}
    account_id = f.created(client.post("/api/v1/auth/accounts", json=body))["id"]
    anonymous.post(
        "/api/v1/auth/login", json={"username": "wang.fang", "password": "a long password"}
    )
    anonymous.post("/api/v1/auth/login", json={"username": "wang.fang", "password": "wrong one"})
    logins = _entries(session, action="login")
    assert [(e.outcome, e.status, e.actor) for e in logins] == [
        ("ok", 200, f"account:{account_id}"),
        ("failed", 401, None),
    ]


def test_refused_requests_are_recorded_after_their_rollback(client, anonymous, bearer, session):
    f.register_pku_and_sysu(client, {})
    anonymous.get("/api/v1/visits")
    reader = bearer("reader", province="11")
    anonymous.post("/api/v1/universities", json=f.university(f.UNKNOWN_UNIVERSITY), headers=reader)
    refused = _entries(session, action="refused")
    assert [(e.status, e.resource, e.role, e.province) for e in refused] == [
        (401, "visits", None, None),
        (403, "universities", "reader", "11"),
    ]
    assert all(e.outcome == "refused" for e in refused)


def test_national_reads_every_entry_a_province_its_own_and_others_none(client, bearer):
    f.register_pku_and_sysu(client, {})
    beijing, guangdong = bearer("province", province="11"), bearer("province", province="44")
    client.get("/api/v1/audit", headers=beijing)  # reads are not recorded
    client.post(
        "/api/v1/auth/tokens",
        json={"name": "bj", "role": "reader", "province": "11"},
        headers=beijing,
    )
    client.post(
        "/api/v1/auth/tokens",
        json={"name": "gd", "role": "reader", "province": "44"},
        headers=guangdong,
    )
    everything = client.get("/api/v1/audit", params={"resource": "auth/tokens"}).json()
    assert [item["province"] for item in everything["items"]] == ["44", "11"]  # newest first
    mine = client.get("/api/v1/audit", headers=beijing).json()
    assert [(item["province"], item["resource"]) for item in mine["items"]] == [
        ("11", "auth/tokens")
    ]
    for role, reach in [("university", {"university_code": f.PKU}), ("reader", {})]:
        f.assert_problem(client.get("/api/v1/audit", headers=bearer(role, **reach)), 403)


def test_the_log_can_be_filtered(client, anonymous):
    anonymous.get("/api/v1/visits")
    client.post("/api/v1/universities", json=f.university())
    refused = client.get("/api/v1/audit", params={"action": "refused"}).json()
    assert [item["status"] for item in refused["items"]] == [401]
    created = client.get(
        "/api/v1/audit", params={"outcome": "ok", "resource": "universities"}
    ).json()
    assert [item["resource_id"] for item in created["items"]] == [f.PKU]
    f.assert_problem(client.get("/api/v1/audit", params={"action": "drop"}), 422, "action")
    me = _me(client)
    mine = client.get("/api/v1/audit", params={"actor": f"{me['kind']}:{me['id']}"}).json()
    assert mine["total"] == 1


@pytest.mark.parametrize("actor", ["\x00", "account:\x00", "account:1 OR 1=1", "robot:1"])
def test_an_actor_not_named_as_the_log_names_one_is_refused(client, actor):
    f.assert_problem(client.get("/api/v1/audit", params={"actor": actor}), 422, "actor")


def test_a_resource_with_nul_is_refused(client):
    f.assert_problem(client.get("/api/v1/audit", params={"resource": "\x00"}), 422, "resource")


def test_no_api_changes_or_deletes_an_entry(client):
    client.post("/api/v1/universities", json=f.university())
    entry_id = client.get("/api/v1/audit").json()["items"][0]["id"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/api/v1/audit", f"/api/v1/audit/{entry_id}"):
            assert client.request(method, path, json={}).status_code in (404, 405)
    assert client.get("/api/v1/audit").json()["total"] == 1
