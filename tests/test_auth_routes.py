"""Every route of the app, walked: each needs a token (but the health check, the docs and
sign-in), and refuses (403) the roles that may not use it."""

import re

import pytest

from app.core.settings import get_settings
from tests import factories as f

N, P, U, R = "national", "province", "university", "reader"
EVERYONE = {N, P, U, R}
RECORDS = {N, P, U}

# (method, path) -> the roles allowed. A route missing here fails the walk: a new route must
# say who may use it.
ALLOWED = {
    ("GET", "/api/v1/auth/me"): EVERYONE,
    ("POST", "/api/v1/auth/accounts"): RECORDS,
    ("GET", "/api/v1/auth/accounts"): RECORDS,
    ("PATCH", "/api/v1/auth/accounts/{account_id}"): RECORDS,
    ("POST", "/api/v1/auth/tokens"): RECORDS,
    ("GET", "/api/v1/auth/tokens"): RECORDS,
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): RECORDS,
    ("GET", "/api/v1/reference/provinces"): EVERYONE,
    ("GET", "/api/v1/reference/industries"): EVERYONE,
    ("POST", "/api/v1/universities"): {N},
    ("GET", "/api/v1/universities"): RECORDS,
    ("GET", "/api/v1/universities/export"): RECORDS,
    ("GET", "/api/v1/universities/{code}"): RECORDS,
    ("PATCH", "/api/v1/universities/{code}"): {N},
    ("DELETE", "/api/v1/universities/{code}"): {N},
    ("POST", "/api/v1/employers"): RECORDS,
    ("GET", "/api/v1/employers"): RECORDS,
    ("GET", "/api/v1/employers/export"): RECORDS,
    ("GET", "/api/v1/employers/{uscc}"): RECORDS,
    ("PATCH", "/api/v1/employers/{uscc}"): {N},
    ("DELETE", "/api/v1/employers/{uscc}"): {N},
    ("POST", "/api/v1/campaigns"): {N},
    ("GET", "/api/v1/campaigns"): EVERYONE,
    ("GET", "/api/v1/campaigns/{slug}"): EVERYONE,
    ("PATCH", "/api/v1/campaigns/{slug}"): {N},
    ("DELETE", "/api/v1/campaigns/{slug}"): {N},
    ("POST", "/api/v1/visits"): {N, U},
    ("GET", "/api/v1/visits"): RECORDS,
    ("GET", "/api/v1/visits/export"): RECORDS,
    ("GET", "/api/v1/visits/{visit_id}"): RECORDS,
    ("PATCH", "/api/v1/visits/{visit_id}"): {N, U},
    ("DELETE", "/api/v1/visits/{visit_id}"): {N, U},
    **{
        (method, f"/api/v1/{kind}{suffix}"): RECORDS
        for kind, by_id in [("events", "/{event_id}"), ("vacancies", "/{vacancy_id}")]
        for method, suffix in [
            ("POST", ""),
            ("GET", ""),
            ("GET", "/export"),
            ("GET", by_id),
            ("PATCH", by_id),
            ("DELETE", by_id),
        ]
    },
    ("GET", "/api/v1/events/participants/export"): RECORDS,
    ("GET", "/api/v1/stats/summary"): EVERYONE,
    ("GET", "/api/v1/stats/breakdown"): EVERYONE,
    ("GET", "/api/v1/stats/timeseries"): EVERYONE,
    ("GET", "/api/v1/reports/bulletin"): EVERYONE,
    ("POST", "/api/v1/imports"): RECORDS,
    ("GET", "/api/v1/imports/templates/{kind}.xlsx"): RECORDS,
    ("GET", "/api/v1/imports/{job_id}"): RECORDS,
    ("GET", "/api/v1/imports/{job_id}/errors"): RECORDS,
    ("GET", "/api/v1/audit"): {N, P},
    ("GET", "/api/v1/reference/difficulty-groups"): EVERYONE,
    ("POST", "/api/v1/assisted-graduates"): {N, U},
    ("GET", "/api/v1/assisted-graduates"): RECORDS,
    ("GET", "/api/v1/assisted-graduates/export"): RECORDS,
    ("POST", "/api/v1/assisted-graduates/lookup"): RECORDS,
    ("GET", "/api/v1/assisted-graduates/{graduate_id}"): RECORDS,
    ("PATCH", "/api/v1/assisted-graduates/{graduate_id}"): {N, U},
    ("DELETE", "/api/v1/assisted-graduates/{graduate_id}"): {N, U},
    ("GET", "/api/v1/assisted-graduates/{graduate_id}/statuses"): RECORDS,
    ("POST", "/api/v1/assisted-graduates/{graduate_id}/statuses"): {N, U},
    # Any record reader may ask; only a permitted account of the graduate's university is
    # answered (tests/test_personal_data.py).
    ("POST", "/api/v1/assisted-graduates/{graduate_id}/reveal"): RECORDS,
    ("POST", "/api/v1/assistance-services"): {N, U},
    ("GET", "/api/v1/assistance-services"): RECORDS,
    ("GET", "/api/v1/assistance-services/export"): RECORDS,
    ("GET", "/api/v1/assistance-services/{service_id}"): RECORDS,
    ("PATCH", "/api/v1/assistance-services/{service_id}"): {N, U},
    ("DELETE", "/api/v1/assistance-services/{service_id}"): {N, U},
    ("GET", "/api/v1/assistance-standards"): EVERYONE,
    ("GET", "/api/v1/assistance-standards/{province}"): EVERYONE,
    ("PUT", "/api/v1/assistance-standards/{province}"): {N, P},
    ("DELETE", "/api/v1/assistance-standards/{province}"): {N, P},
    ("GET", "/api/v1/stats/assistance"): EVERYONE,
    ("GET", "/api/v1/stats/assistance/breakdown"): EVERYONE,
    ("GET", "/api/v1/stats/assistance/series"): EVERYONE,
    ("GET", "/api/v1/stats/assistance/follow-up"): EVERYONE,
    ("GET", "/api/v1/stats/assistance/bulletin"): EVERYONE,
    ("GET", "/api/v1/policy-programs"): EVERYONE,
    ("POST", "/api/v1/policy-programs"): {N, P},
    ("POST", "/api/v1/policy-quotas"): {N, P},
    ("GET", "/api/v1/policy-quotas"): EVERYONE,
    ("GET", "/api/v1/policy-quotas/export"): RECORDS,
    ("GET", "/api/v1/policy-quotas/progress/export"): RECORDS,
    ("GET", "/api/v1/policy-quotas/{quota_id}"): EVERYONE,
    ("PATCH", "/api/v1/policy-quotas/{quota_id}"): {N, P},
    ("DELETE", "/api/v1/policy-quotas/{quota_id}"): {N, P},
    ("POST", "/api/v1/policy-quotas/{quota_id}/progress"): {N, P},
    ("DELETE", "/api/v1/policy-quotas/{quota_id}/progress/{progress_id}"): {N, P},
    ("GET", "/api/v1/stats/policy-positions"): EVERYONE,
    ("POST", "/api/v1/policy-measures"): {N, P},
    ("GET", "/api/v1/policy-measures"): EVERYONE,
    ("GET", "/api/v1/policy-measures/export"): RECORDS,
    ("GET", "/api/v1/policy-measures/{measure_id}"): EVERYONE,
    ("PATCH", "/api/v1/policy-measures/{measure_id}"): {N, P},
    ("DELETE", "/api/v1/policy-measures/{measure_id}"): {N, P},
    ("POST", "/api/v1/publicity-sessions"): RECORDS,
    ("GET", "/api/v1/publicity-sessions"): EVERYONE,
    ("GET", "/api/v1/publicity-sessions/export"): RECORDS,
    ("GET", "/api/v1/publicity-sessions/{session_id}"): EVERYONE,
    ("PATCH", "/api/v1/publicity-sessions/{session_id}"): RECORDS,
    ("DELETE", "/api/v1/publicity-sessions/{session_id}"): RECORDS,
    ("GET", "/api/v1/stats/policy-publicity"): EVERYONE,
    ("GET", "/api/v1/matchmaking-fields"): EVERYONE,
    ("POST", "/api/v1/matchmaking-sessions"): RECORDS,
    ("GET", "/api/v1/matchmaking-sessions"): EVERYONE,
    ("GET", "/api/v1/matchmaking-sessions/export"): RECORDS,
    ("GET", "/api/v1/matchmaking-sessions/employers/export"): RECORDS,
    ("GET", "/api/v1/matchmaking-sessions/{session_id}"): EVERYONE,
    ("PATCH", "/api/v1/matchmaking-sessions/{session_id}"): RECORDS,
    ("DELETE", "/api/v1/matchmaking-sessions/{session_id}"): RECORDS,
    ("POST", "/api/v1/cooperation-intents"): RECORDS,
    ("GET", "/api/v1/cooperation-intents"): EVERYONE,
    ("GET", "/api/v1/cooperation-intents/export"): RECORDS,
    ("GET", "/api/v1/cooperation-intents/{intent_id}"): EVERYONE,
    ("DELETE", "/api/v1/cooperation-intents/{intent_id}"): RECORDS,
    ("POST", "/api/v1/cooperation-intents/{intent_id}/steps"): RECORDS,
    ("DELETE", "/api/v1/cooperation-intents/{intent_id}/steps/{step_id}"): RECORDS,
    ("GET", "/api/v1/stats/matchmaking"): EVERYONE,
}
PUBLIC = {("GET", "/health"), ("POST", "/api/v1/auth/login")}

PATH_VALUES = {
    "code": f.PKU,
    "uscc": f.make_uscc(999_001),
    "slug": "no-such-campaign",
    "kind": "visits",
}


def _routes(app) -> list[tuple[str, str]]:
    """Every route, as the OpenAPI document lists them (no route is hidden from it)."""
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    )


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "999999"), path)


def _send(client, method: str, path: str, headers: dict | None = None):
    body = {} if method in ("POST", "PATCH") else None
    return client.request(method, _url(path), json=body, headers=headers or {})


@pytest.fixture
def walk(anonymous, monkeypatch):
    # The walk sends a hundred requests without a token: more than the limit of failures.
    monkeypatch.setattr(get_settings(), "failed_logins_per_minute", 10_000)
    return anonymous


def test_every_route_says_who_may_use_it(anonymous):
    assert set(_routes(anonymous.app)) == set(ALLOWED) | PUBLIC


def test_every_route_but_health_docs_and_sign_in_needs_a_token(walk):
    for method, path in _routes(walk.app):
        if (method, path) in PUBLIC:
            continue
        for headers in (
            {},
            {"Authorization": "Bearer jf_not-a-token"},
            {"Authorization": "Basic eDp5"},
        ):
            answer = _send(walk, method, path, headers)
            f.assert_problem(answer, 401)
            assert answer.headers["WWW-Authenticate"] == "Bearer", (method, path)


def test_health_docs_and_sign_in_answer_without_a_token(walk):
    assert walk.get("/health").status_code == 200
    assert walk.get("/docs").status_code == 200
    assert walk.get("/openapi.json").status_code == 200
    # Sign-in without a token: a wrong password is its 401, not a missing token's.
    answer = walk.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong"})
    assert f.assert_problem(answer, 401)["detail"].startswith("Wrong username or password")


def test_openapi_declares_the_bearer_scheme_on_every_protected_route(walk):
    spec = walk.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            protected = (method.upper(), path) not in PUBLIC
            assert ("security" in operation) == protected, (method, path)


def test_each_role_is_refused_exactly_the_routes_it_may_not_use(walk, client, bearer):
    f.register_pku_and_sysu(client, {})
    tokens = {
        N: bearer(N),
        P: bearer(P, province="11"),
        U: bearer(U, university_code=f.PKU),
        R: bearer(R, province="11"),
    }
    for (method, path), allowed in ALLOWED.items():
        for role, headers in tokens.items():
            answer = _send(walk, method, path, headers)
            if role in allowed:
                assert answer.status_code not in (401, 403), (role, method, path, answer.text)
            else:
                f.assert_problem(answer, 403)
