"""Personal data of graduates in difficulty: encrypted at rest, found by a keyed hash, masked
in every answer, revealed only to a permitted account of the graduate's own university with a
reason (audited), rotated to a new key, de-identified after the years kept. The scan of
tests/leaks.py proves, over the whole run, that nothing else lets a full number out."""

import datetime as dt
import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from app.assistance import given, service, upkeep
from app.assistance.figures import Ledger, summary
from app.assistance.models import AssistanceService
from app.assistance.schemas import GraduateCreate, ServiceCreate
from app.audit.models import AuditEntry
from app.core.settings import Settings
from app.privacy import cipher as cipher_module
from app.privacy.cipher import PersonalDataCipher, UnreadableCiphertext
from app.privacy.logs import install_log_scrubbing
from app.privacy.numbers import mask_id_number, mask_name, mask_phone, scrub
from tests import factories as f
from tests import leaks

API = "/api/v1"
HNU, CSU = "4143010532", "4143010533"
PASSWORD = "correct horse battery"


@pytest.fixture
def hunan(client):
    for code, name in [(HNU, "湖南大学"), (CSU, "中南大学")]:
        f.created(client.post(f"{API}/universities", json=f.university(code, name, "43")))


def _account(client, username: str, **grant) -> dict:
    body = {"username": username, "password": PASSWORD, **grant}
    return f.created(client.post(f"{API}/auth/accounts", json=body))


def _signed_in(anonymous, username: str) -> dict:
    answer = anonymous.post(f"{API}/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def officer(hunan, client, anonymous):
    """湖南大学's career officer, permitted to reveal."""
    _account(
        client, "hnu.officer", role="university", university_code=HNU, may_reveal_personal_data=True
    )
    return _signed_in(anonymous, "hnu.officer")


def _graduate(anonymous, headers, **extra) -> tuple[dict, dict]:
    body = f.graduate(**extra)
    made = anonymous.post(f"{API}/assisted-graduates", json=body, headers=headers)
    return body, f.created(made)


def test_a_permitted_officer_reveals_with_a_reason_and_it_is_audited(officer, anonymous, session):
    body, made = _graduate(anonymous, officer)
    reason = f"联系家长核实就业意向，家长电话{body['phone']}"
    answer = anonymous.post(
        f"{API}/assisted-graduates/{made['id']}/reveal", json={"reason": reason}, headers=officer
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "id": made["id"],
        "id_number": body["id_number"],
        "phone": body["phone"],
    }
    assert answer.headers["cache-control"] == "no-store"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
    assert entry.actor_name == "hnu.officer"
    assert entry.resource_id == str(made["id"])
    # The reason is kept, with the number typed into it masked.
    assert entry.detail == f"reason: 联系家长核实就业意向，家长电话{mask_phone(body['phone'])}"


def test_a_reason_is_required(officer, anonymous):
    _, made = _graduate(anonymous, officer)
    answer = anonymous.post(
        f"{API}/assisted-graduates/{made['id']}/reveal", json={"reason": ""}, headers=officer
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "reason"


def test_who_may_not_reveal(officer, hunan, client, anonymous, bearer, session):
    _, made = _graduate(anonymous, officer)
    url = f"{API}/assisted-graduates/{made['id']}/reveal"
    _account(client, "hnu.clerk", role="university", university_code=HNU)
    _account(
        client, "csu.officer", role="university", university_code=CSU, may_reveal_personal_data=True
    )
    refused = {
        "an account without the permission": _signed_in(anonymous, "hnu.clerk"),
        "the university's API token": bearer("university", university_code=HNU),
        "a national token": bearer("national"),
        "a province's token": bearer("province", province="43"),
    }
    for who, headers in refused.items():
        answer = anonymous.post(url, json={"reason": "核实信息"}, headers=headers)
        assert answer.status_code == 403, who
    # Another university's permitted officer: as if the graduate did not exist.
    other = anonymous.post(
        url, json={"reason": "核实信息"}, headers=_signed_in(anonymous, "csu.officer")
    )
    assert other.status_code == 404
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == "assisted-graduates/reveal")
    ).all()
    assert [entry.outcome for entry in refusals] == ["refused"] * 5


def test_only_a_university_account_may_hold_the_permission(client, hunan):
    body = {
        "username": "province.officer",
        "password": PASSWORD,
        "role": "province",
        "province": "43",
        "may_reveal_personal_data": True,
    }
    answer = client.post(f"{API}/auth/accounts", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "may_reveal_personal_data"


def test_the_permission_is_granted_and_withdrawn_per_account(client, hunan, anonymous):
    account = _account(client, "hnu.clerk", role="university", university_code=HNU)
    assert account["may_reveal_personal_data"] is False
    headers = _signed_in(anonymous, "hnu.clerk")
    _, made = _graduate(anonymous, headers)
    url = f"{API}/assisted-graduates/{made['id']}/reveal"
    assert anonymous.post(url, json={"reason": "核实信息"}, headers=headers).status_code == 403
    grant = client.patch(
        f"{API}/auth/accounts/{account['id']}", json={"may_reveal_personal_data": True}
    )
    assert grant.json()["may_reveal_personal_data"] is True
    assert anonymous.post(url, json={"reason": "核实信息"}, headers=headers).status_code == 200
    client.patch(f"{API}/auth/accounts/{account['id']}", json={"may_reveal_personal_data": False})
    assert anonymous.post(url, json={"reason": "核实信息"}, headers=headers).status_code == 403


def test_numbers_are_stored_encrypted_and_found_by_a_keyed_hash(officer, anonymous, session):
    body, made = _graduate(anonymous, officer)
    row = (
        session.execute(text("SELECT * FROM assisted_graduates WHERE id = :id"), {"id": made["id"]})
        .mappings()
        .one()
    )
    stored = " ".join(str(value) for value in row.values())
    assert body["id_number"] not in stored and body["phone"] not in stored
    assert row["id_number_hash"] != body["id_number"] and len(row["id_number_hash"]) == 64
    assert row["id_number_masked"] == mask_id_number(body["id_number"])
    cipher = cipher_module.get_cipher()
    assert cipher.decrypt(row["id_number_cipher"]) == body["id_number"]
    # Tampering is detected, not decrypted into something else.
    tampered = (
        row["id_number_cipher"][:-6]
        + ("A" if row["id_number_cipher"][-6] != "A" else "B")
        + row["id_number_cipher"][-5:]
    )
    with pytest.raises(UnreadableCiphertext):
        cipher.decrypt(tampered)


def test_key_rotation_keeps_every_record_readable_and_findable(hunan, session, monkeypatch):
    old_key, new_key = Fernet.generate_key(), Fernet.generate_key()
    _use(monkeypatch, PersonalDataCipher([old_key]))
    body = f.graduate(university_code=HNU)
    graduate = service.create_graduate(session, GraduateCreate(**body))
    before = graduate.id_number_cipher

    # The new key first: old records are still read and found, new ones written with it.
    _use(monkeypatch, PersonalDataCipher([new_key, old_key]))
    assert [
        found.id
        for found in service.find_by_id_number(session, body["id_number"], 2023, service.NATIONAL)
    ] == [graduate.id]
    assert upkeep.rotate_keys(session) == 1
    session.refresh(graduate)
    assert graduate.id_number_cipher != before

    # Then the old key removed: everything is read and found with the new alone.
    only_new = PersonalDataCipher([new_key])
    _use(monkeypatch, only_new)
    assert only_new.decrypt(graduate.id_number_cipher) == body["id_number"]
    assert only_new.decrypt(graduate.phone_cipher) == body["phone"]
    assert [
        found.id
        for found in service.find_by_id_number(session, body["id_number"], 2023, service.NATIONAL)
    ] == [graduate.id]
    with pytest.raises(UnreadableCiphertext):
        PersonalDataCipher([old_key]).decrypt(graduate.id_number_cipher)


def _use(monkeypatch, cipher: PersonalDataCipher) -> None:
    for module in ("app.assistance.service", "app.assistance.upkeep", "app.assistance.reveal"):
        monkeypatch.setattr(f"{module}.get_cipher", lambda: cipher)


def test_old_cohorts_are_deidentified_and_their_figures_kept(hunan, session):
    old = service.create_graduate(
        session, GraduateCreate(**f.graduate(cohort=2019, university_code=HNU))
    )
    kept = service.create_graduate(
        session, GraduateCreate(**f.graduate(cohort=2023, university_code=HNU))
    )
    given.create_service(
        session,
        ServiceCreate(
            graduate_id=old.id,
            kind="consultation",
            service_date=dt.date(2019, 5, 1),
            provider="李老师",
            note="已联系",
        ),
    )
    before = summary(session, Ledger(2019, "43"))
    cohort = upkeep.oldest_kept_cohort(3, on=dt.date(2023, 9, 1))
    assert cohort == 2020
    assert upkeep.deidentify_before(session, cohort) == 1
    session.refresh(old)
    assert (
        old.name,
        old.id_number_cipher,
        old.id_number_hash,
        old.id_number_masked,
        old.phone_cipher,
        old.phone_masked,
    ) == (None,) * 6
    assert old.deidentified_at is not None
    assert session.scalars(
        select(AssistanceService.note).where(AssistanceService.graduate_id == old.id)
    ).all() == [None]
    assert summary(session, Ledger(2019, "43")) == before
    session.refresh(kept)
    assert kept.name is not None and kept.deidentified_at is None
    # A second run finds nobody left to de-identify.
    assert upkeep.deidentify_before(session, cohort) == 0


def test_weak_or_malformed_keys_are_refused():
    for keys in ["", "not-a-key", "A" * 43 + "=", Fernet.generate_key().decode() + ",short"]:
        with pytest.raises(ValueError, match="PERSONAL_DATA_KEYS"):
            Settings(personal_data_keys=keys)


def test_production_refuses_to_start_without_its_keys():
    with pytest.raises(ValueError, match="PERSONAL_DATA_KEYS"):
        Settings(environment="production", personal_data_keys=None)
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production", secret_key=None)
    Settings(environment="production", personal_data_keys=Fernet.generate_key().decode())


def test_without_keys_outside_production_one_is_made_once_and_kept(tmp_path):
    settings = Settings(personal_data_keys=None, personal_data_key_file=tmp_path / "k" / "data.key")
    first = settings.data_keys()
    assert settings.data_keys() == first and len(first) == 1
    assert (tmp_path / "k" / "data.key").stat().st_mode & 0o077 == 0


def test_masks_and_scrub():
    assert mask_id_number("11010119900307123X") == "110101********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "张*"
    assert scrub("身份证11010119900307123x，电话+86 13812345678。") == (
        "身份证110101********123X，电话138****5678。"
    )
    assert scrub("岗位数 12345678901234567 个") == "岗位数 12345678901234567 个"


def test_the_leak_scan_finds_a_number_let_out():
    """The scan itself (tests/leaks.py): a number a test made, in a log record that was not
    scrubbed (made by hand, past the service's record factory), is found."""
    number = f.make_id_number()
    scan = leaks.LogScan()
    made = logging.LogRecord(
        "jobfair.test", logging.WARNING, __file__, 1, "graduate %s", (number,), None
    )
    scan.emit(made)
    found = leaks.LEAKS.take()
    assert found and "log jobfair.test" in found[0]
    assert number not in found[0]
    leaks.LEAKS.scan("an answer", f"graduate {mask_id_number(number)}")
    assert leaks.LEAKS.take() == []


def test_every_log_record_is_scrubbed_of_numbers(caplog):
    install_log_scrubbing()
    number, phone = f.make_id_number(), f.make_phone()
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
                    f"/api/v1/x?reason=%E5%8F%B7{phone}&id={number}", "1.1", 200)  # fmt: skip
        logging.getLogger("app.test").warning(f"graduate {number.lower()}")
    shown = [record.getMessage() for record in caplog.records]
    assert shown[0].endswith(
        f'reason=%E5%8F%B7{mask_phone(phone)}&id={mask_id_number(number)} HTTP/1.1" 200'
    )
    assert shown[1] == f"graduate {mask_id_number(number)}"


def test_the_leak_scan_reads_the_rows_a_test_left_uncommitted(hunan, session):
    """A row written through the test's session, never committed, is scanned as the test
    leaves it (conftest.py scans before the fixtures roll back): a number stored in the clear
    there is found."""
    graduate = service.create_graduate(session, GraduateCreate(**f.graduate(university_code=HNU)))
    number = f.make_id_number()
    session.execute(
        text("UPDATE assisted_graduates SET mentor = :mentor WHERE id = :id"),
        {"mentor": number, "id": graduate.id},
    )
    leaks.LEAKS.scan_database("this test", session.connection())
    found = leaks.LEAKS.take()
    assert found and "assisted_graduates" in found[0]
    session.execute(
        text("UPDATE assisted_graduates SET mentor = NULL WHERE id = :id"), {"id": graduate.id}
    )
