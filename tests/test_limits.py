"""Limits against abuse: page size, request body size, requests per token, failed sign-ins."""

import re
import threading
import time

import pytest

from app.core.settings import get_settings
from tests import factories as f

PASSWORD = "a long enough password"


@pytest.mark.parametrize("path", ["/api/v1/visits", "/api/v1/audit", "/api/v1/auth/tokens"])
def test_a_page_is_at_most_a_thousand_records(client, path):
    assert client.get(path, params={"limit": 1000}).status_code == 200
    f.assert_problem(client.get(path, params={"limit": 1001}), 422, "limit")


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, monkeypatch, session):
    monkeypatch.setattr(get_settings(), "max_body_bytes", 1000)
    body = f.university()
    body["name"] = "北" * 400  # 1,200 bytes of UTF-8
    answer = client.post("/api/v1/universities", json=body)
    assert "1,000 bytes" in f.assert_problem(answer, 413)["detail"]
    assert answer.headers["X-Request-ID"]
    assert client.get("/api/v1/universities").json()["total"] == 0


def test_a_chunked_body_is_counted_as_it_comes(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_body_bytes", 1000)

    def chunks():
        yield b'{"code": "4111010001", "province": "11", "name": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    answer = client.post(
        "/api/v1/universities", content=chunks(), headers={"Content-Type": "application/json"}
    )
    f.assert_problem(answer, 413)


def test_a_body_within_the_cap_is_served(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_body_bytes", 1000)
    f.created(client.post("/api/v1/universities", json=f.university()))


def test_a_token_over_its_rate_gets_429_with_retry_after(client, bearer, monkeypatch):
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 3)
    for _ in range(3):
        assert client.get("/api/v1/reference/provinces").status_code == 200
    answer = client.get("/api/v1/reference/provinces")
    body = f.assert_problem(answer, 429)
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert body["retry_after"] == int(answer.headers["Retry-After"])
    # Another token has its own allowance.
    other = bearer("reader")
    assert client.get("/api/v1/reference/provinces", headers=other).status_code == 200


def test_failed_sign_ins_are_limited_per_address_then_even_the_right_password_waits(
    client, anonymous
):
    body = {"username": "zhao.lei", "password": PASSWORD, "role": "national"}
    f.created(client.post("/api/v1/auth/accounts", json=body))
    attempts = get_settings().failed_logins_per_minute
    wrong = {"username": "zhao.lei", "password": "guess"}
    for _ in range(attempts):
        f.assert_problem(anonymous.post("/api/v1/auth/login", json=wrong), 401)
    right = {"username": "zhao.lei", "password": PASSWORD}
    answer = anonymous.post("/api/v1/auth/login", json=right)
    f.assert_problem(answer, 429)
    assert int(answer.headers["Retry-After"]) >= 1


def test_another_username_from_the_same_address_may_still_sign_in(client, anonymous):
    for username in ("zhao.lei", "qian.li"):
        body = {"username": username, "password": PASSWORD, "role": "national"}
        f.created(client.post("/api/v1/auth/accounts", json=body))
    for _ in range(get_settings().failed_logins_per_minute):
        anonymous.post("/api/v1/auth/login", json={"username": "zhao.lei", "password": "guess"})
    answer = anonymous.post(
        "/api/v1/auth/login", json={"username": "qian.li", "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text


def test_bad_tokens_from_an_address_are_limited_but_good_ones_from_it_are_not(client, anonymous):
    bad = {"Authorization": "Bearer jf_guessing"}
    for _ in range(get_settings().failed_logins_per_minute):
        f.assert_problem(anonymous.get("/api/v1/visits", headers=bad), 401)
    f.assert_problem(anonymous.get("/api/v1/visits", headers=bad), 429)
    f.assert_problem(anonymous.get("/api/v1/visits"), 429)
    assert client.get("/api/v1/visits").status_code == 200


def test_counting_requests_starts_no_thread():
    """limits' own memory storage starts a sweeping thread every 10 ms while hits arrive: a
    thread start on the request's path, slow under load."""
    from app.auth import limits
    from app.auth.principal import NATIONAL, Principal, Role

    limits.reset()
    principal = Principal("token", 1, "threads", Role.NATIONAL, NATIONAL)
    time.sleep(0.05)  # a sweeper of an earlier test's hits has ended
    before = threading.active_count()
    during = []
    for _ in range(20):
        limits.spend_request(principal)
        during.append(threading.active_count())
        time.sleep(0.005)
    assert max(during) == before


def test_expired_counters_are_swept_on_the_way():
    from app.auth import limits

    storage = limits._CountersInMemory()
    storage.incr("old", expiry=1)
    storage.expirations["old"] = time.time() - 1  # as if its minute had passed
    storage.incr("new", expiry=60)
    assert "old" in storage.storage  # not swept yet: at most once a minute
    storage._next_sweep = time.monotonic() - 1
    storage.incr("new", expiry=60)
    assert "old" not in storage.storage
    assert storage.get("new") == 2


# --- counted in Redis, shared by every process ----------------------------------------------


def test_counted_in_redis_a_tokens_count_outlives_the_process_memory(client, monkeypatch):
    from app.auth import limits
    from tests.redis_service import redis_url

    monkeypatch.setattr(get_settings(), "rate_limit_storage_url", redis_url())
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 3)
    limits.reset()
    for _ in range(3):
        assert client.get("/api/v1/reference/provinces").status_code == 200
    # Another process starts with nothing in memory: the count is Redis's.
    monkeypatch.setattr(limits, "_counters", limits._Counters())
    f.assert_problem(client.get("/api/v1/reference/provinces"), 429)


def test_a_storage_that_stops_answering_lets_requests_through_and_says_so(
    client, monkeypatch, caplog
):
    from app.auth import limits

    monkeypatch.setattr(get_settings(), "rate_limit_storage_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 1)
    for _ in range(2):
        assert client.get("/api/v1/reference/provinces").status_code == 200
    assert "rate limits not counted (storage unreachable)" in caplog.text
    with pytest.raises(
        RuntimeError, match=re.escape("RATE_LIMIT_STORAGE_URL: redis://127.0.0.1:1/0 does")
    ):
        limits.require_storage()


def test_an_unknown_storage_is_refused_naming_the_setting():
    from pydantic import ValidationError

    from app.core.settings import Settings

    with pytest.raises(ValidationError, match="RATE_LIMIT_STORAGE_URL must start with one of"):
        Settings(rate_limit_storage_url="memcached://127.0.0.1:11211")
