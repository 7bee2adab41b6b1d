"""Answers and tokens kept in each worker's memory, in the served app (two workers, each with
its own memory, and commands run beside them): a poll of unchanged figures is a 304 from either
worker; a write, a load by another process, a fold and a reclassification each change the next
answer from both, at once; a token revoked from the command line is refused by both at once."""

import datetime as dt
import json
import time

from tests import factories as f
from tests.deployed.ledger import Registry, encoded, imported

SUMMARY = "/api/v1/stats/summary"
BREAKDOWN = "/api/v1/stats/breakdown"
# Enough requests, each on a connection of its own, that both workers answer some.
REQUESTS = 12


def _polls(served, token: str, path: str, etag: str | None = None, **params) -> list:
    """REQUESTS requests, each on a connection of its own."""
    headers = {"If-None-Match": etag} if etag else {}
    answers = []
    for _ in range(REQUESTS):
        with served.client(token) as client:
            answers.append(client.get(path, params=params, headers=headers))
    return answers


def _one_answer(answers: list) -> tuple[int, str, bytes]:
    seen = {(a.status_code, a.headers.get("ETag"), a.content) for a in answers}
    assert len(seen) == 1, seen
    return seen.pop()


def test_a_poll_is_a_304_until_a_write_changes_the_figures(served, national, registry: Registry):
    status, etag, body = _one_answer(_polls(served, national, SUMMARY))
    assert status == 200
    assert _one_answer(_polls(served, national, SUMMARY, etag))[:2] == (304, etag)
    before = _visits(body)
    with served.client(national) as client:
        visit = f.visit(registry.universities[0], registry.employers[0], notes="poll")
        assert client.post("/api/v1/visits", json=visit).status_code == 201
    status, new_etag, body = _one_answer(_polls(served, national, SUMMARY, etag))
    assert (status, _visits(body)) == (200, before + 1) and new_etag != etag


def _visits(body: bytes) -> int:
    return json.loads(body)["figures"]["visits"]


def _postings(body: bytes) -> int:
    return json.loads(body)["figures"]["postings"]


def test_a_load_by_another_process_and_its_fold_each_show_at_once(
    served, national, registry: Registry, tmp_path
):
    _, etag, body = _one_answer(_polls(served, national, SUMMARY))
    rows = [
        [registry.employers[n % 8], f"岗位{n}", 2, dt.date(2023, 6, 1 + n % 20).isoformat(),
         "就业平台", registry.universities[n % 8], f"P{n}"]
        for n in range(300)
    ]  # fmt: skip
    content, name = encoded("vacancies", rows, "csv")
    ledger = tmp_path / name
    ledger.write_bytes(content)
    served.run("import", "vacancies", str(ledger))
    status, _, loaded = _one_answer(_polls(served, national, SUMMARY, etag))
    assert (status, _postings(loaded)) == (200, _postings(body) + 300)
    # The workers fold every second: until nothing is pending, and after, every answer is exact.
    deadline = time.monotonic() + 60
    while served.database.scalar("SELECT count(*) FROM stat_pending_vacancies"):
        assert _one_answer(_polls(served, national, SUMMARY))[2] == loaded
        assert time.monotonic() < deadline, "still pending"
        time.sleep(0.3)
    assert _one_answer(_polls(served, national, SUMMARY))[2] == loaded


def test_a_reclassification_changes_every_workers_next_answer(served, national, registry):
    employer = registry.employers[5]
    with served.client(national) as client:
        visit = f.visit(registry.universities[1], employer, notes="reclassified")
        assert client.post("/api/v1/visits", json=visit).status_code == 201
        industry = client.get(f"/api/v1/employers/{employer}").json()["industry"]
    status, etag, body = _one_answer(_polls(served, national, BREAKDOWN, by="industry"))
    counted = _by_industry(body)
    new_industry = "Q" if industry != "Q" else "P"
    with served.client(national) as client:
        moved = client.patch(f"/api/v1/employers/{employer}", json={"industry": new_industry})
        assert moved.status_code == 200, moved.text
    status, _, body = _one_answer(_polls(served, national, BREAKDOWN, etag, by="industry"))
    after = _by_industry(body)
    assert status == 200
    assert after[industry] < counted[industry]
    assert after[new_industry] > counted.get(new_industry, 0)


def _by_industry(body: bytes) -> dict[str, int]:
    return {g["code"]: g["figures"]["visits"] for g in json.loads(body)["groups"]}


def test_a_token_revoked_from_the_command_line_is_refused_by_every_worker(served, national):
    token = served.token("reader", "大屏 revoked from the command line")
    assert {a.status_code for a in _polls(served, token, "/api/v1/auth/me")} == {200}
    with served.client(national) as client:
        tokens = client.get("/api/v1/auth/tokens", params={"limit": 1000}).json()["items"]
    token_id = next(t["id"] for t in tokens if t["name"] == "大屏 revoked from the command line")
    served.run("token", "revoke", str(token_id))
    assert {a.status_code for a in _polls(served, token, "/api/v1/auth/me")} == {401}


def test_ledgers_written_through_imports_are_in_the_next_answer(served, national, registry):
    status, etag, body = _one_answer(_polls(served, national, SUMMARY))
    rows = [
        [registry.universities[2], registry.employers[n], "2023-06-02", 3, "书记校长", f"V-{n}"]
        for n in range(10, 14)
    ]
    with served.client(national) as client:
        imported(client, "visits", rows, "csv")
    status, _, after = _one_answer(_polls(served, national, SUMMARY, etag))
    assert (status, _visits(after)) == (200, _visits(body) + 4)


def test_a_quota_or_its_progress_changes_the_policy_paragraph_from_both_workers(served, national):
    bulletin = "/api/v1/reports/bulletin"
    asked = {"to": "2023-08-31", "province": "12", "section": "policy"}
    quota = {"program": "western_volunteer", "province": "12", "year": 2023, "positions": 16800}
    with served.client(national) as client:
        made = client.post("/api/v1/policy-quotas", json=quota)
        assert made.status_code == 201, made.text
    status, etag, body = _one_answer(_polls(served, national, bulletin, **asked))
    assert json.loads(body)["sentences"][0]["text"] == "天津市面向毕业生提供1.68万个政策性岗位。"
    assert _one_answer(_polls(served, national, bulletin, etag, **asked))[0] == 304
    progress = {"stage": "admitted", "as_of": "2023-08-01", "people": 8400}
    with served.client(national) as client:
        url = f"/api/v1/policy-quotas/{made.json()['id']}/progress"
        assert client.post(url, json=progress).status_code == 201
    status, _, body = _one_answer(_polls(served, national, bulletin, etag, **asked))
    assert status == 200
    assert json.loads(body)["sentences"][-1]["text"] == "截至8月31日，已录用8400人，招录完成率50%。"


def test_a_measure_or_a_session_changes_the_publicity_paragraph_from_both_workers(served, national):
    bulletin, measures = "/api/v1/reports/bulletin", "/api/v1/policy-measures"
    asked = {"from": "2023-05-01", "to": "2023-08-31", "province": "42", "section": "policy"}
    hubei = served.token("province", "湖北省教育厅", province="42")
    loan = {"title": "湖北省小微企业创业担保贷款政策", "issuer": "湖北省人力资源和社会保障厅",
            "level": "province", "category": "startup_loan", "amount": 5_000_000,
            "published_on": "2023-05-18"}  # fmt: skip
    wuhan = {**loan, "title": "武汉市吸纳就业补贴办法", "issuer": "武汉市人力资源和社会保障局",
             "level": "city", "city": "420100", "category": "hiring"}  # fmt: skip
    with served.client(hubei) as client:
        for body in (loan, wuhan):
            assert client.post(measures, json=body).status_code == 201
    status, etag, body = _one_answer(_polls(served, national, bulletin, **asked))
    assert [s["text"] for s in json.loads(body)["sentences"]] == [
        "湖北省收录省级和1个市(州)高校毕业生就业创业政策措施2条。"
    ]
    assert _one_answer(_polls(served, national, bulletin, etag, **asked))[0] == 304
    session = {"held_on": "2023-06-01", "title": "政策宣讲进高校", "holder_kind": "department",
               "holder": "湖北省教育厅", "place": "campus", "audience": 600}  # fmt: skip
    with served.client(hubei) as client:
        assert client.post("/api/v1/publicity-sessions", json=session).status_code == 201
        found = client.get(measures, params={"q": "担保贷款"}).json()["items"]
        assert [m["title"] for m in found] == ["湖北省小微企业创业担保贷款政策"]
    status, _, body = _one_answer(_polls(served, national, bulletin, etag, **asked))
    assert status == 200
    assert json.loads(body)["sentences"][0]["text"] == "湖北省教育厅进高校，共计宣讲政策1次。"
