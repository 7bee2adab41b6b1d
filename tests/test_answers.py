"""Answers kept in memory (app/core/answers.py, app/auth/known.py): a poll of unchanged figures
is answered without computing them, a known token without asking the database; and neither is
ever stale. A write, a bulk load, a fold, a reclassification, a new campaign date, a renamed
university, a revoked token, a disabled account each change the very next answer.

(The same with two workers, in the service as deployed: tests/deployed/test_served_answers.py.)"""

import subprocess
import sys
import threading
import time

import pytest

from app.auth import service as auth_service
from app.core import answers, epochs
from app.core.answers import AnswerCache
from app.core.settings import get_settings
from app.stats import service as stats_service
from app.stats.folding import fold_all
from tests import factories as f
from tests.test_imports import _registered, csv_bytes, finished, send, vacancy_rows

SUMMARY = "/api/v1/stats/summary"
BREAKDOWN = "/api/v1/stats/breakdown"
PKU, SYSU = "4111010001", "4144010558"
ALPHA, BETA = f.make_uscc(101, "11"), f.make_uscc(102, "44")


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The figures computed (not answered from memory), in order."""
    calls: list[str] = []
    for name in ("summary", "breakdown"):
        real = getattr(stats_service, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(stats_service, name, counting)
    return calls


@pytest.fixture
def registered(client) -> None:
    f.register_pku_and_sysu(client, {ALPHA: "11", BETA: "44"})


def poll(client, path: str = SUMMARY, etag: str | None = None, **params):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(path, params=params, headers=headers)


def visits(response) -> int:
    return response.json()["figures"]["visits"]


def test_an_unchanged_poll_is_a_304_computed_from_nothing(client, registered, computed):
    first = poll(client)
    assert first.status_code == 200 and computed == ["summary"]
    etag = first.headers["ETag"]
    for _ in range(3):
        again = poll(client, etag=etag)
        assert again.status_code == 304 and again.headers["ETag"] == etag
        assert again.content == b""
    plain = poll(client)
    assert (plain.status_code, plain.content) == (200, first.content)
    assert computed == ["summary"]


def test_a_write_changes_the_next_answer_at_once(client, registered, computed):
    etag = poll(client).headers["ETag"]
    f.created(client.post("/api/v1/visits", json=f.visit(PKU, ALPHA)))
    after = poll(client, etag=etag)
    assert after.status_code == 200 and visits(after) == 1
    assert computed == ["summary", "summary"]
    visit_id = client.get("/api/v1/visits").json()["items"][0]["id"]
    assert client.delete(f"/api/v1/visits/{visit_id}").status_code == 204
    assert visits(poll(client, etag=after.headers["ETag"])) == 0


def test_a_bulk_load_and_its_fold_each_change_the_next_answer(client, session_factory):
    _registered(client)
    etag = poll(client).headers["ETag"]
    job = finished(client, send(client, "vacancies", csv_bytes(vacancy_rows(30))))
    assert job["status"] == "succeeded", job
    loaded = poll(client, etag=etag)
    assert loaded.status_code == 200 and loaded.json()["figures"]["postings"] == 30
    before = epochs.current(epochs.FIGURES)
    assert fold_all(session_factory) == 30
    assert epochs.current(epochs.FIGURES) != before
    # The same figures, now kept: the same bytes, so the same tag (a 304 after one computation).
    assert poll(client, etag=loaded.headers["ETag"]).status_code == 304


def test_a_reclassification_changes_the_next_answer(client, registered):
    f.created(client.post("/api/v1/visits", json=f.visit(PKU, ALPHA)))
    by_industry = poll(client, BREAKDOWN, by="industry")
    assert _visits_of(by_industry, "I") == 1
    moved = client.patch(f"/api/v1/employers/{ALPHA}", json={"industry": "C"})
    assert moved.status_code == 200, moved.text
    after = poll(client, BREAKDOWN, etag=by_industry.headers["ETag"], by="industry")
    assert after.status_code == 200
    assert (_visits_of(after, "I"), _visits_of(after, "C")) == (0, 1)


def _visits_of(response, code: str) -> int:
    return next(g for g in response.json()["groups"] if g["code"] == code)["figures"]["visits"]


def test_a_renamed_university_and_a_moved_campaign_change_the_next_answer(client, registered):
    f.created(client.post("/api/v1/visits", json=f.visit(PKU, ALPHA, visit_date="2023-05-10")))
    campaign = {"slug": "c23", "name": "百日冲刺", "start_date": "2023-05-01"}
    f.created(client.post("/api/v1/campaigns", json=campaign | {"end_date": "2023-08-31"}))
    by_university = poll(client, BREAKDOWN, by="university")
    assert by_university.json()["groups"][0]["name"] == "北京大学"
    renamed = client.patch(f"/api/v1/universities/{PKU}", json={"name": "北京大学（本部）"})
    assert renamed.status_code == 200, renamed.text
    after = poll(client, BREAKDOWN, etag=by_university.headers["ETag"], by="university")
    assert after.json()["groups"][0]["name"] == "北京大学（本部）"
    in_campaign = poll(client, campaign="c23")
    assert visits(in_campaign) == 1
    moved = client.patch("/api/v1/campaigns/c23", json={"start_date": "2023-06-01"})
    assert moved.status_code == 200, moved.text
    assert visits(poll(client, etag=in_campaign.headers["ETag"], campaign="c23")) == 0


def test_each_reach_is_answered_its_own(client, registered, bearer):
    f.created(client.post("/api/v1/visits", json=f.visit(PKU, ALPHA)))
    f.created(client.post("/api/v1/visits", json=f.visit(SYSU, BETA)))
    national = poll(client)
    guangdong = client.get(SUMMARY, headers=bearer("province", province="44"))
    assert (visits(national), visits(guangdong)) == (2, 1)
    assert guangdong.headers["ETag"] != national.headers["ETag"]
    # A province's poll with the nation's tag is not told it has the answer.
    again = client.get(SUMMARY, headers=bearer("province", province="44") | {
        "If-None-Match": national.headers["ETag"]})  # fmt: skip
    assert again.status_code == 200 and visits(again) == 1


def test_a_refused_request_is_never_kept(client, registered, bearer):
    out_of_reach = {"university": SYSU}
    beijing = bearer("province", province="11")
    assert client.get(SUMMARY, params=out_of_reach, headers=beijing).status_code == 404
    assert client.get(SUMMARY, params=out_of_reach).status_code == 200
    assert client.get(SUMMARY, params=out_of_reach, headers=beijing).status_code == 404


# --- tokens known without asking the database --------------------------------------------------


@pytest.fixture
def looked_up(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = auth_service.principal_for

    def counting(session, bearer):
        calls.append(bearer)
        return real(session, bearer)

    monkeypatch.setattr(auth_service, "principal_for", counting)
    return calls


def test_a_known_token_is_not_looked_up_again(anonymous, bearer, looked_up):
    headers = bearer("reader")
    for _ in range(5):
        assert anonymous.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert len(looked_up) == 1


def test_a_revoked_token_is_refused_on_its_next_request(client, anonymous):
    made = client.post("/api/v1/auth/tokens", json={"name": "大屏", "role": "reader"}).json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert anonymous.get(SUMMARY, headers=headers).status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{made['id']}").status_code == 200
    assert anonymous.get(SUMMARY, headers=headers).status_code == 401


PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    "change",
    [
        {"disabled": True},
        {"password": "another long passphrase"},
        {"may_reveal_personal_data": True},
    ],
)
def test_a_changed_account_is_looked_up_afresh(client, anonymous, change):
    body = {"username": "clerk", "password": PASSWORD, "role": "university", "university_code": PKU}
    f.created(client.post("/api/v1/universities", json=f.university()))
    account = f.created(client.post("/api/v1/auth/accounts", json=body))
    login = anonymous.post("/api/v1/auth/login", json={"username": "clerk", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert anonymous.get("/api/v1/auth/me", headers=headers).status_code == 200
    if "password" in change:
        time.sleep(1.05)  # a sign-in's time is in whole seconds: one of the same second stands
    assert client.patch(f"/api/v1/auth/accounts/{account['id']}", json=change).status_code == 200
    me = anonymous.get("/api/v1/auth/me", headers=headers)
    if "may_reveal_personal_data" in change:
        assert me.json()["may_reveal_personal_data"] is True
    else:
        assert me.status_code == 401


def test_two_sign_ins_in_the_same_second_are_two_tokens(client, anonymous):
    body = {"username": "clerk", "password": PASSWORD, "role": "reader"}
    f.created(client.post("/api/v1/auth/accounts", json=body))
    sign_in = {"username": "clerk", "password": PASSWORD}
    tokens = {
        anonymous.post("/api/v1/auth/login", json=sign_in).json()["access_token"] for _ in "ab"
    }
    assert len(tokens) == 2


# --- the parts -----------------------------------------------------------------------------------


def test_an_epoch_moved_by_another_process_is_seen_here(monkeypatch, tmp_path):
    # A database of its own: no other process of this machine moves its epochs.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'own.db'}")
    get_settings.cache_clear()
    try:
        before = epochs.current(epochs.CREDENTIALS)
        code = "from app.core import epochs; epochs.move(epochs.CREDENTIALS)"
        subprocess.run([sys.executable, "-c", code], check=True)
        assert epochs.current(epochs.CREDENTIALS) == before + 1
        assert epochs.current(epochs.FIGURES) == 0
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_cache_keeps_what_fits_and_lets_the_least_recent_go():
    cache = AnswerCache(max_bytes=10, max_age=60)
    for key in "abc":
        cache.get_or_compute(key, lambda: b"1234")
    assert cache.get("a") is None  # 12 bytes would not fit
    assert cache.get("b").body == b"1234" and cache.get("c").body == b"1234"
    cache.get_or_compute("d", lambda: b"12345678901")  # too large to keep at all
    assert cache.get("d") is None and cache.get("b") is not None


def test_a_kept_answer_expires(monkeypatch):
    cache = AnswerCache(max_bytes=100, max_age=0.05)
    cache.get_or_compute("a", lambda: b"x")
    time.sleep(0.1)
    assert cache.get("a") is None


def test_an_answer_asked_for_by_many_threads_at_once_is_computed_once():
    cache, computed, gate = AnswerCache(max_bytes=100, max_age=60), [], threading.Event()

    def compute() -> bytes:
        computed.append(1)
        gate.wait(5)
        return b"answer"

    threads = [threading.Thread(target=cache.get_or_compute, args=("k", compute)) for _ in "abcd"]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    gate.set()
    for thread in threads:
        thread.join()
    assert computed == [1]


def test_nothing_is_kept_when_the_cache_is_off(client, registered, computed, monkeypatch):
    monkeypatch.setenv("ANSWER_CACHE_MB", "0")
    get_settings.cache_clear()
    try:
        etag = poll(client).headers["ETag"]
        assert poll(client, etag=etag).status_code == 304
        assert computed == ["summary", "summary"]
    finally:
        monkeypatch.delenv("ANSWER_CACHE_MB")
        get_settings.cache_clear()
        answers.cache().clear()
