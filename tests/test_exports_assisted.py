"""The ledgers of graduates in difficulty and of their services exported (.xlsx, CSV) with the
import's Chinese headers and 系统编号 last: numbers masked, names only to the graduate's own
university; exported and sent back, nothing changes (the masked numbers stand for the stored
ones), and one cell edited changes exactly that record. Full numbers only to a permitted
account of the graduates' university, with a reason, audited."""

import pytest
from sqlalchemy import select

from app.assistance import upkeep
from app.assistance.models import AssistedGraduate
from app.audit.models import AuditEntry
from app.core.settings import get_settings
from app.privacy.cipher import get_cipher
from app.privacy.numbers import mask_id_number, mask_phone
from tests import factories as f
from tests.test_imports import send
from tests.test_imports_roundtrip import Ledger

API = "/api/v1"
HNU, CSU = "4143010532", "4143010533"
PASSWORD = "correct horse battery"
EXPORTS = {
    "assisted_graduates": f"{API}/assisted-graduates/export",
    "assistance_services": f"{API}/assistance-services/export",
}
GRADUATE_HEADER = ["学校标识码", "届别", "姓名", "居民身份证号", "手机号码", "性别", "专业", "学历", "困难类别", "帮扶责任人", "就业状态", "状态日期", "台账编号", "系统编号"]  # fmt: skip
SERVICE_HEADER = ["学校标识码", "学生台账编号", "学生姓名", "居民身份证号", "届别", "服务类型", "服务日期", "服务人员", "备注", "推荐岗位编号", "培训项目", "培训学时", "补贴金额", "台账编号", "学生系统编号", "系统编号"]  # fmt: skip


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


@pytest.fixture
def hnu(client, bearer) -> dict:
    for code, name in [(HNU, "湖南大学"), (CSU, "中南大学")]:
        f.created(client.post(f"{API}/universities", json=f.university(code, name, "43")))
    return bearer("university", university_code=HNU)


@pytest.fixture
def ledgers(client, hnu, bearer, session) -> dict:
    """湖南大学's graduates (some with a 台账编号, one without a phone, one of an old cohort
    de-identified) and their services; one graduate of 中南大学's."""
    made = []
    for n in range(6):
        body = f.graduate(
            cohort=2019 if n == 5 else 2023,
            groups=[["poverty_registered"], ["disabled", "minimum_living"]][n % 2],
            mentor=["李老师", "=王老师", None][n % 3],
            major=[None, "会计学", "'法学"][n % 3],
            external_ref=f"KN-{n}" if n % 2 == 0 else None,
        )
        if n == 3:
            body.pop("phone")
        answer = f.created(client.post(f"{API}/assisted-graduates", json=body, headers=hnu))
        made.append({**answer, "id_number": body["id_number"], "phone": body.get("phone")})
    signed = {"status": "signed", "on": "2023-06-15"}
    f.created(
        client.post(f"{API}/assisted-graduates/{made[1]['id']}/statuses", json=signed, headers=hnu)
    )
    services = []
    for n, kind in enumerate(["consultation", "resume", "training", "subsidy", "referral"]):
        extra = {"training": {"programme": "宏志助航", "hours": 16}, "subsidy": {"amount": 1000}}
        body = {
            "graduate_id": made[n % 3]["id"],
            "kind": kind,
            "service_date": f"2023-04-0{n + 1}",
            "provider": "王老师",
            "note": ["电话咨询", None, "+86 热线", "'已转账"][n % 4],
            "external_ref": f"FW-{n}" if n % 2 else None,
            **extra.get(kind, {}),
        }
        services.append(
            f.created(client.post(f"{API}/assistance-services", json=body, headers=hnu))
        )
    csu = bearer("university", university_code=CSU)
    f.created(client.post(f"{API}/assisted-graduates", json=f.graduate(), headers=csu))
    upkeep.deidentify_before(session, 2020)
    session.commit()
    return {"graduates": made, "services": services}


def state(client, headers: dict) -> dict:
    return {
        path: client.get(f"{API}/{path}", params={"limit": 1000}, headers=headers).json()["items"]
        for path in ("assisted-graduates", "assistance-services")
    }


def numbers(session) -> dict[int, tuple]:
    """Every graduate's stored numbers, as stored."""
    session.expire_all()
    return {
        g.id: (g.id_number_cipher, g.id_number_hash, g.id_number_masked, g.phone_cipher)
        for g in session.scalars(select(AssistedGraduate))
    }


def exported(client, kind: str, format: str, headers: dict, **params) -> bytes:
    answer = client.get(EXPORTS[kind], params={"format": format, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return answer.content


def sent_back(client, kind: str, content: bytes, format: str, headers: dict) -> dict:
    answer = send(client, kind, content, f"台账.{format}", headers=headers)
    assert answer.status_code in (200, 202), answer.text
    job = client.get(f"{API}/imports/{answer.json()['id']}", headers=headers).json()
    assert job["status"] == "succeeded", job
    return job


def test_the_graduates_ledger_as_exported(client, ledgers, hnu):
    made = ledgers["graduates"]
    sheet = Ledger(exported(client, "assisted_graduates", "csv", hnu), "csv")
    assert sheet.header == GRADUATE_HEADER
    assert [int(row[-1]) for row in sheet.rows] == [g["id"] for g in made]
    first = dict(zip(sheet.header, sheet.rows[0], strict=True))
    assert first == {
        "学校标识码": HNU, "届别": "2023", "姓名": "张小明",
        "居民身份证号": mask_id_number(made[0]["id_number"]), "手机号码": mask_phone(made[0]["phone"]),
        "性别": first["性别"], "专业": "", "学历": "本科", "困难类别": "建档立卡脱贫家庭",
        "帮扶责任人": "李老师", "就业状态": "未就业", "状态日期": "2023-03-01", "台账编号": "KN-0",
        "系统编号": str(made[0]["id"]),
    }  # fmt: skip
    assert first["性别"] in ("男", "女")
    second = dict(zip(sheet.header, sheet.rows[1], strict=True))
    assert (second["困难类别"], second["帮扶责任人"], second["就业状态"]) == (
        "残疾；低保家庭",
        "'=王老师",
        "已签约",
    )
    deidentified = dict(zip(sheet.header, sheet.rows[5], strict=True))
    assert (deidentified["姓名"], deidentified["居民身份证号"], deidentified["届别"]) == (
        "",
        "",
        "2019",
    )
    # The list's filters; a province and the Ministry see names masked, and a university its own.
    signed = Ledger(exported(client, "assisted_graduates", "csv", hnu, status="signed"), "csv")
    assert [int(row[-1]) for row in signed.rows] == [made[1]["id"]]
    national = Ledger(exported(client, "assisted_graduates", "csv", {}), "csv")
    assert len(national.rows) == 7 and national.rows[0][2] == "张**"


def test_the_services_ledger_as_exported(client, ledgers, hnu):
    made, services = ledgers["graduates"], ledgers["services"]
    sheet = Ledger(exported(client, "assistance_services", "csv", hnu), "csv")
    assert sheet.header == SERVICE_HEADER
    rows = [dict(zip(sheet.header, row, strict=True)) for row in sheet.rows]
    assert [int(row["系统编号"]) for row in rows] == [s["id"] for s in services]
    assert rows[2] == {
        "学校标识码": HNU, "学生台账编号": "KN-2", "学生姓名": "张小明",
        "居民身份证号": mask_id_number(made[2]["id_number"]), "届别": "2023", "服务类型": "就业培训",
        "服务日期": "2023-04-03", "服务人员": "王老师", "备注": "'+86 热线", "推荐岗位编号": "",
        "培训项目": "宏志助航", "培训学时": "16", "补贴金额": "", "台账编号": "",
        "学生系统编号": str(made[2]["id"]), "系统编号": str(services[2]["id"]),
    }  # fmt: skip
    national = Ledger(exported(client, "assistance_services", "csv", {}), "csv")
    assert {row[2] for row in national.rows} == {"张**"}


@pytest.mark.parametrize("format", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["assisted_graduates", "assistance_services"])
def test_export_then_import_changes_nothing(client, ledgers, hnu, session, kind, format):
    before, stored = state(client, hnu), numbers(session)
    content = exported(client, kind, format, hnu)
    rows = len(Ledger(content, format).rows)
    job = sent_back(client, kind, content, format, hnu)
    assert (job["rows_read"], job["rows_written"], job["rows_present"]) == (rows, 0, rows), job
    assert state(client, hnu) == before
    assert numbers(session) == stored


@pytest.mark.parametrize("kind", ["assisted_graduates", "assistance_services"])
def test_a_csv_export_resaved_in_gb18030_and_a_national_export_import_unchanged(
    client, ledgers, hnu, session, kind
):
    before, stored = state(client, hnu), numbers(session)
    content = exported(client, kind, "csv", hnu)
    resaved = content.decode("utf-8-sig").encode("gb18030")
    job = sent_back(client, kind, resaved, "csv", hnu)
    assert (job["rows_written"], job["rows_present"]) == (0, len(Ledger(content, "csv").rows))
    # National staff's export: every name masked (张**), which stands for the name as well.
    national = exported(client, kind, "xlsx", {})
    job = sent_back(client, kind, national, "xlsx", {})
    assert (job["rows_written"], job["rows_present"]) == (0, len(Ledger(national, "xlsx").rows))
    assert state(client, hnu) == before
    assert numbers(session) == stored


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_one_cell_edited_changes_exactly_that_graduate(client, ledgers, hnu, session, format):
    made = ledgers["graduates"]
    before, stored = state(client, hnu), numbers(session)
    sheet = Ledger(exported(client, "assisted_graduates", format, hnu), format)
    at = sheet.find(系统编号=made[3]["id"])
    sheet.set(at, "帮扶责任人", "赵老师")
    job = sent_back(client, "assisted_graduates", sheet.content(), format, hnu)
    assert (job["rows_written"], job["rows_present"]) == (1, len(sheet.rows) - 1), job
    after = state(client, hnu)
    changed = [
        g
        for g, was in zip(after["assisted-graduates"], before["assisted-graduates"], strict=True)
        if g != was
    ]
    assert [(g["id"], g["mentor"]) for g in changed] == [(made[3]["id"], "赵老师")]
    assert after["assistance-services"] == before["assistance-services"]
    assert numbers(session) == stored


def test_one_service_edited_changes_exactly_that_service(client, ledgers, hnu):
    services = ledgers["services"]
    before = state(client, hnu)
    sheet = Ledger(exported(client, "assistance_services", "xlsx", hnu), "xlsx")
    sheet.set(sheet.find(系统编号=services[1]["id"]), "服务人员", "孙老师")
    job = sent_back(client, "assistance_services", sheet.content(), "xlsx", hnu)
    assert (job["rows_written"], job["rows_present"]) == (1, len(services) - 1), job
    after = state(client, hnu)
    assert after["assisted-graduates"] == before["assisted-graduates"]  # counts unchanged
    changed = [
        s
        for s, was in zip(after["assistance-services"], before["assistance-services"], strict=True)
        if s != was
    ]
    assert [(s["id"], s["provider"]) for s in changed] == [(services[1]["id"], "孙老师")]


# --- full numbers ---------------------------------------------------------------------------


def _account(client, username: str, **grant) -> dict:
    body = {"username": username, "password": PASSWORD, "role": "university", **grant}
    return f.created(client.post(f"{API}/auth/accounts", json=body))


def _signed_in(anonymous, username: str) -> dict:
    answer = anonymous.post(f"{API}/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_full_numbers_for_a_permitted_officer_with_a_reason_audited(
    client, anonymous, ledgers, session
):
    _account(client, "hnu.officer", university_code=HNU, may_reveal_personal_data=True)
    officer = _signed_in(anonymous, "hnu.officer")
    made = ledgers["graduates"]
    reason = f"核对学籍信息，联系人{made[0]['phone']}"
    params = {"format": "csv", "cohort": 2023, "full_numbers": "true", "reason": reason}
    # The one answer besides a reveal meant to hold full numbers (tests/leaks.py exempts it).
    answer = anonymous.get(EXPORTS["assisted_graduates"], params=params, headers=officer)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    sheet = Ledger(answer.content, "csv")
    shown = {int(row[-1]): (row[3], row[4]) for row in sheet.rows}
    assert shown[made[0]["id"]] == (made[0]["id_number"], made[0]["phone"])
    assert shown[made[3]["id"]] == (made[3]["id_number"], "")
    exports = select(AuditEntry).where(AuditEntry.action == "export")
    entry = session.scalars(exports.where(AuditEntry.actor_name == "hnu.officer")).one()
    assert entry.resource == "assisted-graduates/export"
    assert entry.detail == (
        f"full numbers (完整号码); reason: 核对学籍信息，联系人{mask_phone(made[0]['phone'])}; "
        "format=csv&cohort=2023&full_numbers=true"
    )
    # Such a ledger, sent back, changes nothing either: the full numbers are the stored ones.
    stored = numbers(session)
    job = sent_back(client, "assisted_graduates", sheet.content(), "csv", officer)
    assert (job["rows_written"], job["rows_present"]) == (0, len(sheet.rows)), job
    assert numbers(session) == stored


def test_full_numbers_refused_to_all_others_and_without_a_reason(
    client, anonymous, bearer, ledgers, session
):
    _account(client, "hnu.clerk", university_code=HNU)
    _account(client, "hnu.officer", university_code=HNU, may_reveal_personal_data=True)
    refused = {
        "an account without the permission": _signed_in(anonymous, "hnu.clerk"),
        "the university's API token": bearer("university", university_code=HNU),
        "a national token": bearer("national"),
        "a province's token": bearer("province", province="43"),
    }
    params = {"full_numbers": "true", "reason": "核对学籍信息"}
    for kind, url in EXPORTS.items():
        for who, headers in refused.items():
            answer = anonymous.get(url, params=params, headers=headers)
            assert answer.status_code == 403, (kind, who, answer.text)
        without = anonymous.get(
            url, params={"full_numbers": "true"}, headers=_signed_in(anonymous, "hnu.officer")
        )
        assert without.status_code == 422, without.text
        assert without.json()["errors"][0]["field"] == "reason"
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "refused", AuditEntry.status == 403)
    ).all()
    assert len([e for e in refusals if e.resource.endswith("/export")]) == 8


def test_the_services_export_with_full_numbers(client, anonymous, ledgers, session):
    _account(client, "hnu.officer", university_code=HNU, may_reveal_personal_data=True)
    officer = _signed_in(anonymous, "hnu.officer")
    made = ledgers["graduates"]
    params = {"format": "xlsx", "full_numbers": "true", "reason": "核对服务对象"}
    answer = anonymous.get(EXPORTS["assistance_services"], params=params, headers=officer)
    assert answer.status_code == 200
    sheet = Ledger(answer.content, "xlsx")
    assert sheet.rows[0][3] == made[0]["id_number"]
    assert session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "export")
    ).all() == ["full numbers (完整号码); reason: 核对服务对象; format=xlsx&full_numbers=true"]
    stored = session.get(AssistedGraduate, made[0]["id"])
    assert get_cipher().decrypt(stored.id_number_cipher) == made[0]["id_number"]
