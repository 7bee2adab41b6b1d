"""An `Idempotency-Key` header on any write request (app/core/idempotency.py): the same key with
the same request again answers the first answer and writes nothing; a failed request stores
nothing; a key is kept 24 hours; two requests with one key at once write once."""

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.idempotency import IdempotentRequest
from app.main import create_app
from app.visits import service as visits_service
from tests import factories as f
from tests.races import RACE_HEAD_START

VISITS = "/api/v1/visits"
FIRM = f.make_uscc(301, "11")
OTHER_FIRM = f.make_uscc(302, "44")
REPLAYED = "Idempotent-Replayed"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


@pytest.fixture
def refs(client):
    f.register_pku_and_sysu(client, {FIRM: "11", OTHER_FIRM: "44"})


def post_visit(client, key: str, **fields):
    return client.post(VISITS, json=f.visit(f.PKU, FIRM, **fields), headers=keyed(key))


def assert_replayed(first, again) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again.headers[REPLAYED] == "true"
    assert REPLAYED not in first.headers


def assert_key_problem(response, status: int) -> None:
    problem = f.assert_problem(response, status, "Idempotency-Key")
    assert [error["in"] for error in problem["errors"]] == ["header"]


# --- replays --------------------------------------------------------------------------------


def test_a_repeated_post_is_answered_again_and_creates_one_record(client, refs):
    first = post_visit(client, "visit-1")
    again = post_visit(client, "visit-1")
    assert first.status_code == 201
    assert_replayed(first, again)
    assert f.total(client, VISITS) == 1


def test_posts_with_other_keys_or_none_each_create_a_record(client, refs):
    for key in ("visit-1", "visit-2"):
        f.created(post_visit(client, key))
    f.created(client.post(VISITS, json=f.visit(f.PKU, FIRM)))
    f.created(client.post(VISITS, json=f.visit(f.PKU, FIRM)))
    assert f.total(client, VISITS) == 4


WRITES_OF_EACH_KIND: list[tuple[str, Callable[[], dict]]] = [
    ("/api/v1/universities", lambda: f.university("4131010246", "复旦大学", "31")),
    ("/api/v1/employers", lambda: f.employer(f.make_uscc(303, "44"), province="44")),
    ("/api/v1/campaigns", lambda: {"slug": "s", "name": "冲刺", "start_date": "2023-05-01",
                                    "end_date": "2023-08-31"}),
    ("/api/v1/visits", lambda: f.visit(f.PKU, FIRM)),
    ("/api/v1/events", lambda: f.event(participants=[FIRM, OTHER_FIRM])),
    ("/api/v1/vacancies", lambda: f.vacancy(FIRM)),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body"), WRITES_OF_EACH_KIND)
def test_every_kind_of_record_is_created_once(client, refs, path, body):
    before = f.total(client, path)
    first = client.post(path, json=body(), headers=keyed("create-once"))
    again = client.post(path, json=body(), headers=keyed("create-once"))
    assert first.status_code == 201, first.text
    assert_replayed(first, again)
    assert f.total(client, path) == before + 1


def test_a_repeated_patch_answers_its_first_answer_and_changes_nothing(client, refs):
    visit = f.created(post_visit(client, "create"))
    url = f"{VISITS}/{visit['id']}"
    first = client.patch(url, json={"positions_opened": 30}, headers=keyed("patch-1"))
    assert first.json()["positions_opened"] == 30
    assert client.patch(url, json={"positions_opened": 40}).status_code == 200
    again = client.patch(url, json={"positions_opened": 30}, headers=keyed("patch-1"))
    assert_replayed(first, again)
    assert client.get(url).json()["positions_opened"] == 40


def test_a_repeated_delete_answers_204_again(client, refs):
    visit = f.created(post_visit(client, "create"))
    url = f"{VISITS}/{visit['id']}"
    first = client.delete(url, headers=keyed("delete-1"))
    again = client.delete(url, headers=keyed("delete-1"))
    assert first.status_code == 204
    assert_replayed(first, again)
    assert again.content == b""
    f.assert_problem(client.delete(url, headers=keyed("delete-2")), 404)


def test_every_write_route_takes_the_header():
    paths = create_app(background_work=False).openapi()["paths"]
    # Sign-in, a new API token and a reveal answer secrets, which are never stored to be
    # replayed; a lookup by ID number is a read (a POST so that the number stays out of URLs).
    unkeyed = {
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/tokens", "post"),
        ("/api/v1/assisted-graduates/{graduate_id}/reveal", "post"),
        ("/api/v1/assisted-graduates/lookup", "post"),
    }
    writes = [(path, method, operation) for path, operations in paths.items()
              for method, operation in operations.items()
              if method != "get" and (path, method) not in unkeyed]  # fmt: skip
    # Six kinds of records, created, changed and deleted; imports; accounts made and changed;
    # tokens revoked; graduates in difficulty and their services created, changed and deleted,
    # a status recorded; a standard set and reset; a policy programme added, its quotas created,
    # changed and deleted, their progress recorded and deleted; matchmaking sessions created,
    # changed and deleted, their intents created and deleted, an intent's steps added and
    # deleted; policy measures and publicity sessions created, changed and deleted.
    assert len(writes) == 50
    for path, method, operation in writes:
        # Besides If-Match, which changes and deletes of records take (test_preconditions.py).
        headers = [p for p in operation.get("parameters", [])
                   if p["in"] == "header" and p["name"] != "If-Match"]  # fmt: skip
        assert [(p["name"], p["required"]) for p in headers] == [("Idempotency-Key", False)], (
            method,
            path,
        )


# --- a key stands for one request -----------------------------------------------------------


def test_a_key_sent_with_another_body_is_422_and_writes_nothing(client, refs):
    f.created(post_visit(client, "visit-1"))
    assert_key_problem(post_visit(client, "visit-1", positions_opened=13), 422)
    assert f.total(client, VISITS) == 1


def test_a_key_sent_to_another_path_or_with_another_method_is_422(client, refs):
    visit = f.created(post_visit(client, "visit-1"))
    employer = f.employer(f.make_uscc(304, "11"))
    assert_key_problem(
        client.post("/api/v1/employers", json=employer, headers=keyed("visit-1")), 422
    )
    assert_key_problem(client.delete(f"{VISITS}/{visit['id']}", headers=keyed("visit-1")), 422)
    assert f.total(client, VISITS) == 1
    f.assert_problem(client.get(f"/api/v1/employers/{employer['uscc']}"), 404)


def test_a_failed_request_stores_nothing_and_may_be_corrected_under_its_key(client, refs):
    unknown = f.make_uscc(399, "11")
    failed = client.post(VISITS, json=f.visit(f.PKU, unknown), headers=keyed("visit-1"))
    f.assert_problem(failed, 422, "employer_uscc")
    corrected = post_visit(client, "visit-1")
    assert corrected.status_code == 201
    assert REPLAYED not in corrected.headers
    assert f.total(client, VISITS) == 1


# --- keys are kept 24 hours -----------------------------------------------------------------


def sent_hours_ago(session: Session, hours: float) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    session.execute(update(IdempotentRequest).values(created_at=moment))
    session.commit()


def test_a_key_of_23_hours_ago_is_still_known(client, session, refs):
    f.created(post_visit(client, "visit-1"))
    sent_hours_ago(session, 23)
    assert_key_problem(post_visit(client, "visit-1", positions_opened=13), 422)
    assert post_visit(client, "visit-1").headers[REPLAYED] == "true"
    assert f.total(client, VISITS) == 1


def test_a_key_older_than_24_hours_is_unknown_and_replaced(client, session, refs):
    f.created(post_visit(client, "visit-1"))
    sent_hours_ago(session, 25)
    replacing = post_visit(client, "visit-1", positions_opened=13)
    assert replacing.status_code == 201
    assert REPLAYED not in replacing.headers
    assert_replayed(replacing, post_visit(client, "visit-1", positions_opened=13))
    assert f.total(client, VISITS) == 2
    assert f.count_rows(session, IdempotentRequest) == 1


# --- the header itself ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["k" * 201, "", "schlüssel\x7f"], ids=["too-long", "empty", "del"])
def test_a_malformed_key_is_422_naming_the_header(client, refs, key):
    response = client.post(
        VISITS, json=f.visit(f.PKU, FIRM), headers={"Idempotency-Key": key.encode("latin-1")}
    )
    assert_key_problem(response, 422)
    assert f.total(client, VISITS) == 0


def test_a_key_of_200_printable_characters_is_taken(client, refs):
    key = ("0123456789 !~abcdefghij" * 9)[:200]
    first = post_visit(client, key)
    assert first.status_code == 201
    assert_replayed(first, post_visit(client, key))


# --- two requests with one key at once ------------------------------------------------------


def test_two_requests_with_one_key_at_once_create_one_record(committing_client, monkeypatch):
    f.register_pku_and_sysu(committing_client, {FIRM: "11"})
    first_wrote = threading.Event()
    create_visit = visits_service.create_visit

    def create_and_hold(session, data, who=None):
        visit = create_visit(session, data, who)
        if not first_wrote.is_set():
            first_wrote.set()
            time.sleep(RACE_HEAD_START)  # uncommitted, while the second request arrives
        return visit

    monkeypatch.setattr(visits_service, "create_visit", create_and_hold)
    answers = []

    def send() -> None:
        answers.append(post_visit(committing_client, "race"))

    first = threading.Thread(target=send)
    first.start()
    assert first_wrote.wait(10)
    send()
    first.join()

    assert [answer.status_code for answer in answers] == [201, 201], [a.text for a in answers]
    assert sorted(answer.headers.get(REPLAYED, "") for answer in answers) == ["", "true"]
    assert answers[0].content == answers[1].content
    assert f.total(committing_client, VISITS) == 1
