"""Sign-in, API tokens and accounts: who gets a token, for how long, and who may give which
role to whom."""

import datetime as dt
import os
import subprocess
import sys

import jwt
import pytest
from sqlalchemy import update

from app.auth import credentials
from app.auth.models import Account, ApiToken
from app.core.settings import Settings, get_settings
from tests import factories as f

PASSWORD = "correct horse battery"


def _account(client, username="zhang.wei", role="national", headers=None, **reach) -> dict:
    body = {"username": username, "password": PASSWORD, "role": role, **reach}
    return f.created(client.post("/api/v1/auth/accounts", json=body, headers=headers or {}))


def _login(client, username="zhang.wei", password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def _as(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --- signing in -------------------------------------------------------------------------------


def test_an_account_signs_in_and_its_token_works_until_it_expires(client, anonymous):
    account = _account(client, "Zhang.Wei", "province", province="44")
    assert account["username"] == "zhang.wei"
    assert (account["role"], account["province"], account["university_code"]) == (
        "province",
        "44",
        None,
    )
    assert "password" not in account and "password_hash" not in account

    answer = _login(anonymous, "ZHANG.WEI")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == get_settings().login_token_minutes * 60
    me = anonymous.get("/api/v1/auth/me", headers=_as(body["access_token"])).json()
    assert me == {
        "kind": "account",
        "id": account["id"],
        "name": "zhang.wei",
        "role": "province",
        "province": "44",
        "university_code": None,
        "may_reveal_personal_data": False,
    }


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, anonymous):
    _account(client)
    wrong = f.assert_problem(_login(anonymous, password="not the password"), 401)
    unknown = f.assert_problem(_login(anonymous, username="nobody"), 401)
    assert wrong["detail"] == unknown["detail"]


def test_a_username_with_a_nul_character_is_bad_input_on_either_database(anonymous):
    # Found by the fuzz test on PostgreSQL, whose text cannot hold NUL: it was a 500.
    f.assert_problem(_login(anonymous, username="zhang\x00wei"), 422, field="username")


def test_an_expired_or_forged_sign_in_token_is_refused(client, anonymous):
    account_id = _account(client)["id"]
    expired, _ = credentials.login_token(
        account_id, dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    )
    answer = anonymous.get("/api/v1/auth/me", headers=_as(expired))
    assert "expired" in f.assert_problem(answer, 401)["detail"]

    claims = jwt.decode(
        _login(anonymous).json()["access_token"], options={"verify_signature": False}
    )
    forged = jwt.encode(
        claims, "another key, of the attacker's own, long enough", algorithm="HS256"
    )
    f.assert_problem(anonymous.get("/api/v1/auth/me", headers=_as(forged)), 401)
    unsigned = jwt.encode(claims, None, algorithm="none")
    f.assert_problem(anonymous.get("/api/v1/auth/me", headers=_as(unsigned)), 401)


def test_a_disabled_account_can_neither_sign_in_nor_use_its_token(client, anonymous):
    account_id = _account(client)["id"]
    token = _login(anonymous).json()["access_token"]
    disabled = client.patch(f"/api/v1/auth/accounts/{account_id}", json={"disabled": True})
    assert disabled.json()["disabled_at"] is not None
    f.assert_problem(anonymous.get("/api/v1/auth/me", headers=_as(token)), 401)
    f.assert_problem(_login(anonymous), 401)
    client.patch(f"/api/v1/auth/accounts/{account_id}", json={"disabled": False})
    assert _login(anonymous).status_code == 200


def test_a_new_password_replaces_the_old_and_signs_out_its_tokens(client, anonymous, session):
    account_id = _account(client)["id"]
    # Signed in a while ago (a token's time is in whole seconds).
    session.execute(
        update(Account).values(
            password_changed_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        )
    )
    session.commit()
    old, _ = credentials.login_token(account_id, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2))
    assert anonymous.get("/api/v1/auth/me", headers=_as(old)).status_code == 200
    client.patch(f"/api/v1/auth/accounts/{account_id}", json={"password": "a brand new one"})
    answer = anonymous.get("/api/v1/auth/me", headers=_as(old))
    assert "password has changed" in f.assert_problem(answer, 401)["detail"]
    f.assert_problem(_login(anonymous), 401)
    new = _login(anonymous, password="a brand new one")
    assert new.status_code == 200
    assert (
        anonymous.get("/api/v1/auth/me", headers=_as(new.json()["access_token"])).status_code == 200
    )


def test_passwords_are_kept_as_argon2_hashes(client, session):
    _account(client)
    stored = session.query(Account).one()
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_a_short_password_and_a_taken_username_are_refused(client):
    body = {"username": "li.na", "password": "short", "role": "national"}
    f.assert_problem(client.post("/api/v1/auth/accounts", json=body), 422, "password")
    _account(client, "li.na")
    f.assert_problem(
        client.post("/api/v1/auth/accounts", json={**body, "password": PASSWORD}), 409, "username"
    )


# --- API tokens -------------------------------------------------------------------------------


def test_an_api_token_is_shown_once_kept_hashed_and_noted_when_used(client, anonymous, session):
    made = f.created(client.post("/api/v1/auth/tokens", json={"name": "大屏", "role": "reader"}))
    secret = made["token"]
    assert secret.startswith("jf_")
    assert made["last_used_at"] is None
    listed = client.get("/api/v1/auth/tokens").json()["items"]
    assert all("token" not in item for item in listed)
    assert [item["name"] for item in listed].count("大屏") == 1
    stored = session.get(ApiToken, made["id"])
    assert (
        stored.token_hash == credentials.api_token_hash(secret) and secret not in stored.token_hash
    )

    assert anonymous.get("/api/v1/auth/me", headers=_as(secret)).json()["role"] == "reader"
    session.expire_all()
    assert session.get(ApiToken, made["id"]).last_used_at is not None


def test_a_revoked_token_is_refused(client, anonymous):
    made = f.created(client.post("/api/v1/auth/tokens", json={"name": "old", "role": "reader"}))
    revoked = client.delete(f"/api/v1/auth/tokens/{made['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    answer = anonymous.get("/api/v1/auth/me", headers=_as(made["token"]))
    assert "revoked" in f.assert_problem(answer, 401)["detail"]


# --- who may give which role ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grantor", "grant", "status", "field"),
    [
        (("province", {"province": "11"}), {"role": "national"}, 403, "role"),
        (("province", {"province": "11"}), {"role": "province", "province": "44"}, 403, "province"),
        (
            ("province", {"province": "11"}),
            {"role": "university", "university_code": f.SYSU},
            403,
            "university_code",
        ),
        (
            ("province", {"province": "11"}),
            {"role": "university", "university_code": f.PKU},
            201,
            None,
        ),
        (("province", {"province": "11"}), {"role": "reader", "province": "11"}, 201, None),
        (
            ("university", {"university_code": f.PKU}),
            {"role": "province", "province": "11"},
            403,
            "role",
        ),
        (
            ("university", {"university_code": f.PKU}),
            {"role": "reader", "university_code": f.PKU},
            201,
            None,
        ),
        (("university", {"university_code": f.PKU}), {"role": "reader"}, 403, "province"),
        (("national", {}), {"role": "province"}, 422, "province"),
        (("national", {}), {"role": "university", "province": "11"}, 422, "university_code"),
        (("national", {}), {"role": "national", "province": "11"}, 422, "province"),
        (
            ("national", {}),
            {"role": "university", "university_code": f.UNKNOWN_UNIVERSITY},
            422,
            "university_code",
        ),
        (
            ("national", {}),
            {"role": "reader", "university_code": f.PKU, "province": "44"},
            422,
            "province",
        ),
    ],
)
def test_a_role_gives_only_its_own_or_lower_within_its_reach(
    client, bearer, grantor, grant, status, field
):
    f.register_pku_and_sysu(client, {})
    role, reach = grantor
    headers = bearer(role, **reach)
    for path, extra in [
        ("/api/v1/auth/tokens", {"name": "t"}),
        ("/api/v1/auth/accounts", {"username": f"u{status}", "password": PASSWORD}),
    ]:
        answer = client.post(path, json={**grant, **extra}, headers=headers)
        if status == 201:
            assert answer.status_code == 201, answer.text
        else:
            f.assert_problem(answer, status, field)


def test_a_university_token_reaches_its_university_and_province(client, bearer):
    f.register_pku_and_sysu(client, {})
    made = f.created(
        client.post(
            "/api/v1/auth/tokens",
            json={"name": "t", "role": "university", "university_code": f.SYSU},
        )
    )
    assert (made["province"], made["university_code"]) == ("44", f.SYSU)


def test_tokens_and_accounts_are_listed_and_revoked_within_the_reach_only(client, bearer):
    f.register_pku_and_sysu(client, {})
    beijing = bearer("province", province="11")
    guangdong_token = f.created(
        client.post(
            "/api/v1/auth/tokens", json={"name": "gd", "role": "province", "province": "44"}
        )
    )
    _account(client, "gd.staff", "province", province="44")
    listed = client.get("/api/v1/auth/tokens", headers=beijing).json()
    assert {item["province"] for item in listed["items"]} == {"11"}
    assert client.get("/api/v1/auth/accounts", headers=beijing).json()["total"] == 0
    f.assert_problem(
        client.delete(f"/api/v1/auth/tokens/{guangdong_token['id']}", headers=beijing), 404
    )


# --- the command line and the settings ----------------------------------------------------------


def test_the_command_line_makes_a_first_national_token(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    command = [
        sys.executable,
        "-c",
        "from app.cli import main; main()",
        "token",
        "create",
        "--role",
        "national",
        "--name",
        "admin",
        "--quiet",
    ]
    made = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    )
    secret = made.stdout.strip()
    assert secret.startswith("jf_") and len(secret) > 40
    listing = subprocess.run(
        [*command[:4], "list"], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert (
        "national" in listing.stdout and "admin" in listing.stdout and secret not in listing.stdout
    )
    refused = subprocess.run(
        [*command[:6], "university", "--name", "x"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert refused.returncode == 2 and "university_code" in refused.stdout


@pytest.mark.parametrize("key", ["changethis", "short-key", "x" * 31])
def test_an_unsafe_secret_key_is_refused(key):
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(secret_key=key)


def test_without_a_secret_key_one_is_made_once_and_kept(tmp_path):
    settings = Settings(secret_key=None, secret_key_file=tmp_path / "keys" / "jobfair.secret")
    first = settings.signing_key()
    assert len(first) >= 32 and settings.signing_key() == first
    assert (tmp_path / "keys" / "jobfair.secret").stat().st_mode & 0o077 == 0
