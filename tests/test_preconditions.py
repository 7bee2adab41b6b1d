"""Lost updates are prevented (app/core/preconditions.py): every record read answers an ETag
(and a 304 to If-None-Match of it); PATCH and DELETE with If-Match are made only if the record
still has that ETag, else 412 naming the one it has, and nothing changes; without If-Match they
are made as before. Two writers that read the same ETag: one wins, the other gets the 412."""

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEntry
from app.campaigns import service as campaigns
from app.campaigns.schemas import CampaignCreate, CampaignRead, CampaignUpdate
from app.core.idempotency import json_content
from app.core.preconditions import PreconditionFailed, guarded, matches, record_etag
from app.employers import service as employers
from app.employers.schemas import EmployerCreate, EmployerRead, EmployerUpdate
from app.events import service as events
from app.events.schemas import EventCreate, EventRead, EventUpdate
from app.main import create_app
from app.universities import service as universities
from app.universities.schemas import UniversityCreate, UniversityRead, UniversityUpdate
from app.vacancies import service as vacancies
from app.vacancies.schemas import VacancyCreate, VacancyRead, VacancyUpdate
from app.visits import service as visits
from app.visits.schemas import VisitCreate, VisitRead, VisitUpdate
from tests import factories as f
from tests.races import RACE_HEAD_START, Write, race, writing
from tests.test_stats_concurrency import assert_kept_equals_recount

FIRM, OTHER_FIRM = f.make_uscc(1201, "11"), f.make_uscc(1202, "44")
NEW_FIRM = f.make_uscc(1203, "44")
FUDAN = "4131010246"


@dataclass(frozen=True)
class Kind:
    """A kind of record, as the API writes it: a new one, and two different changes."""

    path: str
    key: str
    body: Callable[[], dict]
    change: dict
    other_change: dict


KINDS = {
    "university": Kind(
        "/api/v1/universities", "code", lambda: f.university(FUDAN, "复旦大学", "31"),
        {"name": "复旦"}, {"province": "44"},
    ),
    "employer": Kind(
        "/api/v1/employers", "uscc", lambda: f.employer(NEW_FIRM, province="44"),
        {"name": "深圳示例科技有限公司"}, {"industry": "C"},
    ),
    "campaign": Kind(
        "/api/v1/campaigns", "slug",
        lambda: {"slug": "2023-sprint", "name": "百日冲刺", "start_date": "2023-05-01",
                 "end_date": "2023-08-31"},
        {"name": "2023 百日冲刺"}, {"end_date": "2023-08-30"},
    ),
    "visit": Kind(
        "/api/v1/visits", "id", lambda: f.visit(f.PKU, FIRM),
        {"positions_opened": 30}, {"notes": "回访"},
    ),
    "event": Kind(
        "/api/v1/events", "id", lambda: f.event(participants=[FIRM]),
        {"attendance": 300}, {"participants": [FIRM, OTHER_FIRM]},
    ),
    "vacancy": Kind(
        "/api/v1/vacancies", "id", lambda: f.vacancy(FIRM),
        {"headcount": 9}, {"title": "数据工程师"},
    ),
}  # fmt: skip


class Record(NamedTuple):
    kind: Kind
    url: str
    created: Any  # the answer to its POST


@pytest.fixture(params=list(KINDS))
def record(request, client) -> Record:
    """A record of each kind, created through the API."""
    f.register_pku_and_sysu(client, {FIRM: "11", OTHER_FIRM: "44"})
    kind = KINDS[request.param]
    created = client.post(kind.path, json=kind.body())
    return Record(kind, f"{kind.path}/{f.created(created)[kind.key]}", created)


def etag_of(response) -> str:
    return '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


def read_etag(client, url: str) -> str:
    read = client.get(url)
    assert read.status_code == 200, read.text
    return read.headers["ETag"]


def if_match(etag: str) -> dict[str, str]:
    return {"If-Match": etag}


def assert_stale(response, current_etag: str) -> None:
    """A 412 problem naming the header, and the ETag the record has."""
    problem = f.assert_problem(response, 412, "If-Match")
    assert problem["type"] == "urn:jobfair:problem:precondition-failed"
    assert [error["in"] for error in problem["errors"]] == ["header"]
    assert problem["current_etag"] == current_etag
    assert response.headers["ETag"] == current_etag


def audited(session) -> int:
    session.expire_all()
    return len(session.scalars(select(AuditEntry.id)).all())


# --- reads ----------------------------------------------------------------------------------


def test_a_read_answers_the_etag_of_its_exact_body(client, record):
    read = client.get(record.url)
    assert read.status_code == 200
    assert read.headers["ETag"] == etag_of(read)
    assert read.headers["Cache-Control"] == "private, no-cache"
    assert read.headers["Vary"] == "Authorization"
    assert client.get(record.url).headers["ETag"] == read.headers["ETag"]


def test_a_read_of_what_the_client_has_is_a_304(client, record):
    etag = read_etag(client, record.url)
    for offered in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(record.url, headers={"If-None-Match": offered})
        assert again.status_code == 304, offered
        assert again.content == b""
        assert again.headers["ETag"] == etag
    assert client.get(record.url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_created_record_answers_the_etag_of_its_first_read(client, record):
    read = client.get(record.url)
    assert record.created.headers["ETag"] == read.headers["ETag"] == etag_of(record.created)


# --- changes and deletes with If-Match ------------------------------------------------------


def test_a_change_with_the_current_etag_answers_the_etag_of_the_next_read(client, record):
    etag = read_etag(client, record.url)
    changed = client.patch(record.url, json=record.kind.change, headers=if_match(etag))
    assert changed.status_code == 200, changed.text
    after = client.get(record.url)
    assert changed.headers["ETag"] == after.headers["ETag"] == etag_of(after) != etag
    assert changed.content == after.content


def test_a_change_with_a_stale_etag_is_412_and_changes_nothing(client, record, session):
    stale = read_etag(client, record.url)
    assert client.patch(record.url, json=record.kind.change).status_code == 200
    current = client.get(record.url)
    entries = audited(session)
    refused = client.patch(record.url, json=record.kind.other_change, headers=if_match(stale))
    assert_stale(refused, current.headers["ETag"])
    assert client.get(record.url).content == current.content
    assert audited(session) == entries


def test_a_delete_with_a_stale_etag_is_412_and_deletes_nothing(client, record):
    stale = read_etag(client, record.url)
    assert client.patch(record.url, json=record.kind.change).status_code == 200
    current = client.get(record.url)
    assert_stale(client.delete(record.url, headers=if_match(stale)), current.headers["ETag"])
    assert client.get(record.url).content == current.content


def test_a_delete_with_the_current_etag_is_made(client, record):
    deleted = client.delete(record.url, headers=if_match(read_etag(client, record.url)))
    assert deleted.status_code == 204, deleted.text
    f.assert_problem(client.get(record.url), 404)


def test_a_list_of_etags_holds_if_it_names_the_current_one(client, record):
    etag = read_etag(client, record.url)
    listed = f'"0123", W/{etag}, {etag}'
    assert (
        client.patch(record.url, json=record.kind.change, headers=if_match(listed)).status_code
        == 200
    )


def test_a_weak_etag_never_matches(client, record):
    etag = read_etag(client, record.url)
    assert_stale(
        client.patch(record.url, json=record.kind.change, headers=if_match(f"W/{etag}")), etag
    )
    assert_stale(client.delete(record.url, headers=if_match(f"W/{etag}")), etag)


@pytest.mark.parametrize("header", [{"If-Match": "*"}, {}], ids=["star", "none"])
def test_if_match_star_or_none_writes_whatever_the_record_is_now(client, record, header):
    read_etag(client, record.url)
    assert client.patch(record.url, json=record.kind.change).status_code == 200
    changed = client.patch(record.url, json=record.kind.other_change, headers=header)
    assert changed.status_code == 200, changed.text
    assert client.delete(record.url, headers=header).status_code == 204


def test_a_missing_record_stays_a_404(client, record):
    etag = read_etag(client, record.url)
    assert client.delete(record.url).status_code == 204
    f.assert_problem(client.patch(record.url, json=record.kind.change, headers=if_match(etag)), 404)
    f.assert_problem(client.delete(record.url, headers=if_match(etag)), 404)
    f.assert_problem(client.delete(record.url, headers=if_match("*")), 404)


def test_an_idempotent_replay_answers_its_first_answer_and_etag_before_if_match(client, record):
    etag = read_etag(client, record.url)
    headers = {**if_match(etag), "Idempotency-Key": "change-once"}
    first = client.patch(record.url, json=record.kind.change, headers=headers)
    again = client.patch(record.url, json=record.kind.change, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"] == read_etag(client, record.url)


def test_a_replayed_create_answers_the_same_etag(client, record):
    body = record.kind.body()
    client.delete(record.url)
    headers = {"Idempotency-Key": "create-once"}
    first, again = (client.post(record.kind.path, json=body, headers=headers) for _ in range(2))
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["ETag"] == first.headers["ETag"] == etag_of(first)


def test_a_refused_change_stores_nothing_under_its_idempotency_key(client, record):
    stale = read_etag(client, record.url)
    assert client.patch(record.url, json=record.kind.change).status_code == 200
    keyed = {"Idempotency-Key": "retry-me"}
    assert client.patch(record.url, json=record.kind.other_change,
                        headers={**keyed, **if_match(stale)}).status_code == 412  # fmt: skip
    fresh = read_etag(client, record.url)
    retried = client.patch(
        record.url, json=record.kind.other_change, headers={**keyed, **if_match(fresh)}
    )
    assert retried.status_code == 200, retried.text
    assert "Idempotent-Replayed" not in retried.headers


# --- reach comes first ----------------------------------------------------------------------


def test_a_record_out_of_reach_is_a_404_whatever_if_match_says(client, bearer):
    f.register_pku_and_sysu(client, {FIRM: "11"})
    visit = f.created(client.post("/api/v1/visits", json=f.visit(f.PKU, FIRM)))
    url = f"/api/v1/visits/{visit['id']}"
    sysu = bearer("university", university_code=f.SYSU)
    for etag in (read_etag(client, url), '"stale"'):
        headers = {**sysu, **if_match(etag)}
        f.assert_problem(client.patch(url, json={"notes": "x"}, headers=headers), 404)
        f.assert_problem(client.delete(url, headers=headers), 404)


def test_a_record_the_token_may_read_but_not_change_is_a_403_not_a_412(client, bearer):
    f.register_pku_and_sysu(client, {FIRM: "11"})
    event = f.created(client.post("/api/v1/events", json=f.event(university_code=f.PKU)))
    url = f"/api/v1/events/{event['id']}"
    beijing = bearer("province", province="11")
    assert client.get(url, headers=beijing).status_code == 200
    headers = {**beijing, **if_match('"stale"')}
    f.assert_problem(client.patch(url, json={"attendance": 1}, headers=headers), 403)
    f.assert_problem(client.delete(url, headers=headers), 403)


# --- the header itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "holds"),
    [
        ('"abc"', True),
        (' "x" ,"abc" ', True),
        ("*", True),
        (" * ", True),
        ('W/"abc"', False),
        ('"abcd"', False),
        ("abc", False),
        ("", False),
        ('"x", W/"abc"', False),
    ],
)
def test_if_match_compares_strongly(header, holds):
    assert matches(header, '"abc"') is holds


def test_the_docs_show_if_match_and_the_etag():
    paths = create_app(background_work=False).openapi()["paths"]
    for kind in KINDS.values():
        record = next(p for p in paths if p.startswith(kind.path + "/{"))
        for method in ("patch", "delete"):
            operation = paths[record][method]
            headers = {
                p["name"]: p["required"] for p in operation["parameters"] if p["in"] == "header"
            }
            assert headers["If-Match"] is False, (record, method)
            assert "412" in operation["responses"]
        read = paths[record]["get"]["responses"]
        assert "ETag" in read["200"]["headers"] and "304" in read
        assert "ETag" in paths[record]["patch"]["responses"]["200"]["headers"]
        create = paths[kind.path]["post"]
        assert "ETag" in create["responses"]["201"]["headers"]
        assert "If-Match" not in [p["name"] for p in create.get("parameters", [])]


# --- two writers at once, really committing -------------------------------------------------

PKU, SYSU = f.PKU, f.SYSU
SPRINT = "2023-sprint"


@dataclass(frozen=True)
class ServiceKind:
    """A kind of record, as the services change it: what If-Match reads it with (under the
    lock the change takes first), and how it is shown."""

    shown_as: Any
    get: Callable[[Session, Any], object]  # as a read of it through the API
    read: Callable[[Session, Any, Any], object]  # for If-Match, before the change
    update: Callable[[Session, Any, Any], object]
    changes: tuple[Any, Any]


SERVICE_KINDS = {
    "university": ServiceKind(
        UniversityRead, universities.get_university, universities.university_for_update,
        universities.update_university,
        (UniversityUpdate(province="31"), UniversityUpdate(name="北大")),
    ),
    "employer": ServiceKind(
        EmployerRead, employers.get_employer, employers.employer_for_update,
        employers.update_employer,
        (EmployerUpdate(industry="C"), EmployerUpdate(name="北京另一家公司")),
    ),
    "campaign": ServiceKind(
        CampaignRead, campaigns.get_campaign,
        lambda s, key, _: campaigns.campaign_for_update(s, key), campaigns.update_campaign,
        (CampaignUpdate(name="冲刺"), CampaignUpdate(end_date="2023-08-30")),
    ),
    "visit": ServiceKind(
        VisitRead, visits.get_visit, lambda s, key, _: visits.get_visit(s, key, for_write=True),
        visits.update_visit,
        (VisitUpdate(positions_opened=3), VisitUpdate(employer_uscc=OTHER_FIRM)),
    ),
    "event": ServiceKind(
        EventRead, events.get_event, lambda s, key, _: events.event_for_write(s, key),
        events.update_event,
        (EventUpdate(attendance=7), EventUpdate(participants=[OTHER_FIRM])),
    ),
    "vacancy": ServiceKind(
        VacancyRead, vacancies.get_vacancy, lambda s, key, _: vacancies.vacancy_for_write(s, key),
        vacancies.update_vacancy,
        (VacancyUpdate(headcount=2), VacancyUpdate(province="44")),
    ),
}  # fmt: skip


@pytest.fixture
def factory(committed: sessionmaker[Session]) -> sessionmaker[Session]:
    return committed


def _records(factory) -> dict[str, Any]:
    """One record of each kind, committed: its key by kind."""
    with writing(factory) as session:
        for code, province in ((PKU, "11"), (SYSU, "44")):
            universities.create_university(
                session, UniversityCreate(code=code, name=code, province=province)
            )
        for uscc in (FIRM, OTHER_FIRM):
            employers.create_employer(session, EmployerCreate(**f.employer(uscc, uscc[2:4])))
        campaigns.create_campaign(
            session, CampaignCreate(slug=SPRINT, name="百日冲刺", start_date="2023-05-01",
                                    end_date="2023-08-31"),
        )  # fmt: skip
        visit = visits.create_visit(session, VisitCreate(**f.visit(PKU, FIRM)))
        event = events.create_event(session, EventCreate(**f.event(participants=[FIRM])))
        vacancy = vacancies.create_vacancy(session, VacancyCreate(**f.vacancy(FIRM)))
        return {"university": PKU, "employer": FIRM, "campaign": SPRINT,
                "visit": visit.id, "event": event.id, "vacancy": vacancy.id}  # fmt: skip


def conditional_change(kind: ServiceKind, key, change, etag: str) -> Write:
    """`change`, made as a PATCH with `If-Match: etag` makes it (app/audit/writes.py)."""

    def write(session: Session) -> object:
        return guarded(
            lambda: kind.update(session, key, change),
            etag,
            lambda: kind.read(session, key, change),
            kind.shown_as,
        )()

    return write


def current_etag(factory, kind: ServiceKind, key) -> str:
    with factory() as session:
        return record_etag(kind.shown_as, kind.get(session, key))


def shows(factory, kind: ServiceKind, key, change) -> bool:
    """Whether the record shows every field `change` sets, as it set it."""
    with factory() as session:
        shown = json_content(kind.shown_as, kind.get(session, key))
    return change.model_dump(mode="json", exclude_unset=True).items() <= shown.items()


@pytest.mark.parametrize("name", list(SERVICE_KINDS))
def test_two_writers_with_one_etag_one_changes_the_other_gets_412(factory, name):
    kind, key = SERVICE_KINDS[name], _records(factory)[name]
    etag = current_etag(factory, kind, key)
    first, second = (conditional_change(kind, key, change, etag) for change in kind.changes)

    waited, raised = race(factory, first, second)

    assert waited, "the second writer did not wait for the first"
    assert isinstance(raised, PreconditionFailed), raised
    assert raised.extra["current_etag"] == current_etag(factory, kind, key) != etag
    assert shows(factory, kind, key, kind.changes[0])
    assert not shows(factory, kind, key, kind.changes[1])
    assert_kept_equals_recount(factory)


def test_a_conditional_change_and_a_conditional_delete_with_one_etag(factory):
    keys = _records(factory)
    kind = SERVICE_KINDS["visit"]
    etag = current_etag(factory, kind, keys["visit"])
    change = conditional_change(kind, keys["visit"], kind.changes[0], etag)

    def delete(session: Session) -> None:
        guarded(
            lambda: visits.delete_visit(session, keys["visit"]),
            etag,
            lambda: visits.get_visit(session, keys["visit"], for_write=True),
            VisitRead,
        )()

    waited, raised = race(factory, change, delete)
    assert waited
    assert isinstance(raised, PreconditionFailed), raised
    assert current_etag(factory, kind, keys["visit"]) == raised.extra["current_etag"]


def test_a_conditional_delete_first_leaves_the_change_a_404(factory):
    kind = SERVICE_KINDS["university"]
    with writing(factory) as session:
        universities.create_university(
            session, UniversityCreate(**f.university(FUDAN, "复旦", "31"))
        )
    etag = current_etag(factory, kind, FUDAN)

    def delete(session: Session) -> None:
        guarded(
            lambda: universities.delete_university(session, FUDAN),
            etag,
            lambda: universities.university_for_delete(session, FUDAN),
            UniversityRead,
        )()

    change = conditional_change(kind, FUDAN, UniversityUpdate(province="44"), etag)
    waited, raised = race(factory, delete, change)
    assert waited
    assert getattr(raised, "status", None) == 404, raised


def test_a_conditional_reclassification_takes_turns_with_writes_of_the_figures(factory):
    """A university moving province under If-Match, before and after a visit to it that keeps
    the figures: each waits for the other, neither deadlocks, and the figures stay exact."""
    keys = _records(factory)
    kind = SERVICE_KINDS["university"]
    visit = VisitCreate(**f.visit(PKU, OTHER_FIRM, visit_date="2023-06-01"))

    def move(province: str) -> Write:
        etag = current_etag(factory, kind, keys["university"])
        return conditional_change(kind, PKU, UniversityUpdate(province=province), etag)

    waited, raised = race(factory, lambda s: visits.create_visit(s, visit), move("31"))
    assert raised is None and waited
    waited, raised = race(factory, move("44"), lambda s: visits.create_visit(s, visit))
    assert raised is None and waited
    assert_kept_equals_recount(factory)


# --- the same, through the API --------------------------------------------------------------


def test_two_patches_with_one_etag_at_once_one_is_412(committing_client, monkeypatch):
    client = committing_client
    f.register_pku_and_sysu(client, {FIRM: "11"})
    visit = f.created(client.post("/api/v1/visits", json=f.visit(f.PKU, FIRM)))
    url = f"/api/v1/visits/{visit['id']}"
    etag = client.get(url).headers["ETag"]
    first_wrote = threading.Event()
    update_visit = visits.update_visit

    def update_and_hold(session, visit_id, data, who=None):
        changed = update_visit(session, visit_id, data, who)
        if not first_wrote.is_set():
            first_wrote.set()
            time.sleep(RACE_HEAD_START)  # uncommitted, while the second request arrives
        return changed

    monkeypatch.setattr(visits, "update_visit", update_and_hold)
    answers = {}

    def send(positions: int) -> None:
        answers[positions] = client.patch(
            url, json={"positions_opened": positions}, headers=if_match(etag)
        )

    first = threading.Thread(target=send, args=(1,))
    first.start()
    assert first_wrote.wait(10)
    send(2)
    first.join()

    assert answers[1].status_code == 200, answers[1].text
    assert_stale(answers[2], answers[1].headers["ETag"])
    assert client.get(url).json()["positions_opened"] == 1
