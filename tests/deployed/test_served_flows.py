"""Sign-in, tokens, every write route and the idempotency store, in the served app: two
workers, each with its own memory, sharing only the database."""

import threading
import uuid

from tests import factories as f
from tests.deployed.ledger import Registry

PASSWORD = "correct horse battery staple"
# Enough requests that both workers answer some (uvicorn hands connections out in turn).
REQUESTS = 12


def _answers(served, token: str, path: str) -> set[int]:
    """The statuses of REQUESTS requests, each on a connection of its own."""
    statuses = set()
    for _ in range(REQUESTS):
        with served.client(token) as client:
            statuses.add(client.get(path).status_code)
    return statuses


def test_a_sign_in_works_on_every_worker_until_its_account_is_disabled(served, national):
    served.run("account", "create", "--username", "clerk", "--role", "national",
               "--password", PASSWORD)  # fmt: skip
    with served.client() as anonymous:
        signed = anonymous.post(
            "/api/v1/auth/login", json={"username": "clerk", "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        wrong = anonymous.post("/api/v1/auth/login", json={"username": "clerk", "password": "x"})
        assert wrong.status_code == 401
    login = signed.json()["access_token"]
    assert _answers(served, login, "/api/v1/auth/me") == {200}
    with served.client(national) as admin:
        me = admin.get("/api/v1/auth/me").json()
        accounts = admin.get("/api/v1/auth/accounts").json()["items"]
        clerk = next(a for a in accounts if a["username"] == "clerk")
        disabled = admin.patch(f"/api/v1/auth/accounts/{clerk['id']}", json={"disabled": True})
        assert disabled.status_code == 200, disabled.text
        failed = admin.get("/api/v1/audit", params={"action": "login", "outcome": "failed"})
        assert failed.json()["total"] == 1
    assert me["role"] == "national"
    assert _answers(served, login, "/api/v1/auth/me") == {401}


def test_a_revoked_token_is_refused_by_every_worker_at_once(served, national):
    with served.client(national) as admin:
        made = admin.post("/api/v1/auth/tokens", json={"name": "大屏", "role": "reader"})
        assert made.status_code == 201, made.text
        token = made.json()["token"]
        assert _answers(served, token, "/api/v1/stats/summary") == {200}
        revoked = admin.delete(f"/api/v1/auth/tokens/{made.json()['id']}")
        assert revoked.status_code == 200, revoked.text
    assert _answers(served, token, "/api/v1/stats/summary") == {401}


def test_one_key_sent_twice_at_once_writes_once(served, national, registry: Registry):
    body = f.visit(registry.universities[1], registry.employers[1], notes="twice at once")
    for _ in range(5):
        key = uuid.uuid4().hex
        answers = []

        def send(answers=answers, key=key):
            with served.client(national) as client:
                answers.append(
                    client.post("/api/v1/visits", json=body, headers={"Idempotency-Key": key})
                )

        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(60)
        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        assert answers[0].json() == answers[1].json()
    with served.client(national) as client:
        visits = client.get("/api/v1/visits", params={"limit": 1000}).json()["items"]
    assert len([v for v in visits if v["notes"] == "twice at once"]) == 5


def test_every_write_route_answers_in_the_served_app(served, national, registry: Registry):
    uscc = f.make_uscc(9_100, "44")
    university = "4144099901"
    steps = [
        ("POST", "/api/v1/universities", f.university(university, "测试学院", "44"), 201),
        ("PATCH", f"/api/v1/universities/{university}", {"name": "测试大学"}, 200),
        ("POST", "/api/v1/employers", f.employer(uscc, province="44"), 201),
        ("PATCH", f"/api/v1/employers/{uscc}", {"size": "large"}, 200),
        ("POST", "/api/v1/campaigns", {"slug": "served", "name": "served campaign",
                                       "start_date": "2023-05-01", "end_date": "2023-08-31"}, 201),
        ("PATCH", "/api/v1/campaigns/served", {"name": "百日冲刺"}, 200),
    ]  # fmt: skip
    changes = {"visits": "positions_opened", "events": "attendance", "vacancies": "headcount"}
    with served.client(national) as client:
        deletes_before = _audited_deletes(client)
        for method, url, body, expected in steps:
            answer = client.request(method, url, json=body)
            assert answer.status_code == expected, (method, url, answer.text)
        records = {
            "visits": f.visit(university, uscc),
            "events": f.event(university_code=university, province="44", participants=[uscc]),
            "vacancies": f.vacancy(uscc, university_code=university),
        }
        for kind, body in records.items():
            made = f.created(client.post(f"/api/v1/{kind}", json=body))
            changed = client.patch(f"/api/v1/{kind}/{made['id']}", json={changes[kind]: 7})
            assert changed.json()[changes[kind]] == 7, changed.text
            assert client.delete(f"/api/v1/{kind}/{made['id']}").status_code == 204
        for url in (f"/api/v1/employers/{uscc}", f"/api/v1/universities/{university}",
                    "/api/v1/campaigns/served"):  # fmt: skip
            assert client.delete(url).status_code == 204, url
        assert _audited_deletes(client) - deletes_before == 6


def _audited_deletes(client) -> int:
    return client.get("/api/v1/audit", params={"action": "delete", "limit": 1}).json()["total"]
