"""The ledgers of graduates in difficulty (assisted_graduates) and of their services
(assistance_services) imported as the other kinds are: .xlsx and GB18030 CSV, Chinese headers
and labels, all or nothing, the sender's reach, templates; through the API's own service
functions (numbers encrypted, hashed, masked; the once-a-cohort rule, within the file too; the
counts of services). No error, error sheet or job holds a full number: the leak scan of
tests/leaks.py reads every answer, and the tests look at the masked forms themselves.

The data: 湖南大学 (HNU) and 中南大学 (CSU) in Hunan (43), 北京大学 (PKU) in Beijing (11)."""

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from app.assistance.models import AssistanceService, AssistedGraduate, StatusChange
from app.core.settings import get_settings
from app.privacy.cipher import get_cipher
from app.privacy.numbers import mask_id_number, mask_phone
from tests import factories as f
from tests.leaks import register
from tests.test_imports import csv_bytes, finished, send, xlsx_bytes

API = "/api/v1"
HNU, CSU, PKU = f.HNU, f.CSU, f.PKU
GRADUATE_HEADER = ["学校标识码", "届别", "姓名", "居民身份证号", "手机号码", "性别", "专业", "学历", "困难类别", "帮扶责任人", "就业状态", "状态日期", "台账编号"]  # fmt: skip
SERVICE_HEADER = ["学生台账编号", "居民身份证号", "届别", "学生系统编号", "服务类型", "服务日期", "服务人员", "备注", "培训项目", "培训学时", "补贴金额", "台账编号"]  # fmt: skip
ERRORS = "错误原因 / Errors"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


@pytest.fixture
def hunan(client):
    f.register_hunan(client)


@pytest.fixture
def hnu(hunan, bearer) -> dict:
    """The headers of 湖南大学's career office (an API token)."""
    return bearer("university", university_code=HNU)


def person() -> tuple[str, str]:
    """A new ID number and phone (watched for by the leak scan)."""
    return f.make_id_number(), f.make_phone()


def graduate_row(n: int, id_number: str, phone: str, **changed) -> list:
    """A row of GRADUATE_HEADER: labels as an office writes them."""
    row = {
        "学校标识码": "",
        "届别": 2023,
        "姓名": f"张{'一二三四五六七八九十'[n % 10]}",
        "居民身份证号": id_number,
        "手机号码": phone,
        "性别": "",
        "专业": "会计学",
        "学历": "本科",
        "困难类别": "建档立卡脱贫家庭；disabled",
        "帮扶责任人": "李老师",
        "就业状态": "未就业",
        "状态日期": dt.date(2023, 3, 1),
        "台账编号": f"KN-{n}",
        **changed,
    }
    return [row[label] for label in GRADUATE_HEADER]


def ledger(rows: list[list], header: list[str] = GRADUATE_HEADER) -> list[list]:
    return [header, *rows]


def as_csv(table: list[list], encoding: str = "gb18030") -> bytes:
    return csv_bytes([["" if c is None else c for c in row] for row in table], encoding)


def imported(client, kind: str, content: bytes, name: str, headers: dict) -> dict:
    response = send(client, kind, content, name, headers=headers)
    assert response.status_code in (200, 202), response.text
    job = client.get(f"{API}/imports/{response.json()['id']}", headers=headers).json()
    assert job["status"] != "running"
    return job


def graduates(session) -> list[AssistedGraduate]:
    session.expire_all()
    return list(session.scalars(select(AssistedGraduate).order_by(AssistedGraduate.id)))


def add(client, headers: dict, **extra) -> dict:
    """A graduate entered through the API."""
    body = f.graduate(**extra)
    return f.created(client.post(f"{API}/assisted-graduates", json=body, headers=headers))


def listed(client, headers: dict, path: str = "assisted-graduates") -> list[dict]:
    answer = client.get(f"{API}/{path}", params={"limit": 1000}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


# --- graduates ------------------------------------------------------------------------------


def test_a_university_imports_its_graduates_from_xlsx(client, hnu, session):
    people = [person() for _ in range(3)]
    rows = [graduate_row(n, *people[n]) for n in range(3)]
    rows[2][GRADUATE_HEADER.index("学校标识码")] = HNU  # its own code, or blank
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert (job["status"], job["rows_read"], job["rows_written"]) == ("succeeded", 3, 3), job

    shown = listed(client, hnu)
    assert [g["external_ref"] for g in shown] == ["KN-0", "KN-1", "KN-2"]
    first = shown[0]
    assert (first["university_code"], first["cohort"], first["name"]) == (HNU, 2023, "张一")
    assert first["id_number"] == mask_id_number(people[0][0])
    assert first["phone"] == mask_phone(people[0][1])
    assert first["groups"] == ["disabled", "poverty_registered"]
    assert (first["education"], first["status"], first["status_date"]) == (
        "bachelor",
        "unemployed",
        "2023-03-01",
    )
    assert first["gender"] == ("male" if int(people[0][0][16]) % 2 else "female")

    stored = graduates(session)[0]
    assert get_cipher().decrypt(stored.id_number_cipher) == people[0][0]
    assert stored.id_number_hash == get_cipher().lookup_hash(people[0][0])
    assert get_cipher().decrypt(stored.phone_cipher) == people[0][1]
    # Its first status is recorded by the ledger's sender (the token), as the API records it.
    recorder = session.scalar(
        select(StatusChange.recorded_by).where(StatusChange.graduate_id == stored.id)
    )
    assert recorder.startswith("token:")
    # The figures are kept as the API keeps them.
    figures = client.get(f"{API}/stats/assistance", params={"cohort": 2023}, headers=hnu).json()
    assert figures["figures"]["graduates"] == 3


def test_national_staff_import_from_a_gb18030_csv_naming_the_university(client, hunan):
    rows = [graduate_row(n, *person(), 学校标识码=[HNU, PKU][n % 2]) for n in range(2)]
    job = finished(client, send(client, "assisted_graduates", as_csv(ledger(rows))))
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    shown = listed(client, {})
    assert [(g["university_code"], g["name"]) for g in shown] == [(HNU, "张*"), (PKU, "张*")]
    # National staff name the university: a ledger without it is refused as it arrives.
    header = GRADUATE_HEADER[1:]
    refused = send(client, "assisted_graduates", as_csv([header, graduate_row(5, *person())[1:]]))
    assert refused.status_code == 422, refused.text
    assert "学校标识码" in refused.json()["reason"]


def test_a_status_and_other_fields_change_by_the_ledger(client, hnu, session):
    id_number, phone = person()
    first = imported(
        client,
        "assisted_graduates",
        xlsx_bytes(ledger([graduate_row(1, id_number, phone)])),
        "a.xlsx",
        hnu,
    )
    assert first["rows_written"] == 1
    # Sent again by its 台账编号, signed since 15 June and with a new mentor.
    row = graduate_row(
        1, id_number, phone, 就业状态="已签约", 状态日期=dt.date(2023, 6, 15), 帮扶责任人="王老师"
    )
    again = imported(client, "assisted_graduates", xlsx_bytes(ledger([row])), "b.xlsx", hnu)
    assert (again["status"], again["rows_written"], again["rows_present"]) == ("succeeded", 1, 0), (
        again
    )
    (shown,) = listed(client, hnu)
    assert (shown["status"], shown["status_date"], shown["mentor"]) == (
        "signed",
        "2023-06-15",
        "王老师",
    )
    history = client.get(f"{API}/assisted-graduates/{shown['id']}/statuses", headers=hnu).json()
    assert [(h["status"], h["on"]) for h in history] == [
        ("unemployed", "2023-03-01"),
        ("signed", "2023-06-15"),
    ]
    # The same row once more (in a new file: a sheet of another name): present.
    content = xlsx_bytes(ledger([row]), sheet="台账")
    present = imported(client, "assisted_graduates", content, "c.xlsx", hnu)
    assert (present["rows_written"], present["rows_present"]) == (0, 1), present


# --- all or nothing, and no number in what comes back ---------------------------------------


def test_one_bad_row_writes_nothing_and_its_errors_hold_no_number(client, hnu, session):
    good = [person() for _ in range(3)]
    bad_id = good[1][0][:-1] + ("0" if good[1][0][-1] != "0" else "1")  # a wrong check digit
    register(bad_id)
    rows = [graduate_row(n, *good[n]) for n in range(3)]
    rows[1][GRADUATE_HEADER.index("居民身份证号")] = bad_id
    short = rows[2][GRADUATE_HEADER.index("手机号码")] = good[2][1][:-1]  # ten digits
    rows[2][GRADUATE_HEADER.index("专业")] = f"联系人{good[0][1]}"  # a phone typed in a cell
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert (job["status"], job["error_count"], job["rows_written"]) == ("rejected", 2, 0), job
    assert graduates(session) == []
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "居民身份证号"),
        (4, "手机号码"),
    ]
    assert job["errors"][0]["value"] == mask_id_number(bad_id)
    assert "校验码" in job["errors"][0]["reason"] and "check digit" in job["errors"][0]["reason_en"]
    assert job["errors"][1]["value"] == short[:3] + "***" + short[-4:]

    sheet = client.get(job["errors_url"], headers=hnu)
    assert sheet.status_code == 200, sheet.text
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert cells[0] == [*GRADUATE_HEADER, ERRORS]
    at = GRADUATE_HEADER.index
    assert cells[1][at("居民身份证号")] == mask_id_number(good[0][0])
    assert cells[1][at("手机号码")] == mask_phone(good[0][1])
    assert cells[2][at("居民身份证号")] == mask_id_number(bad_id)
    assert cells[2][-1].startswith("居民身份证号：")
    assert cells[3][at("专业")] == f"联系人{mask_phone(good[0][1])}"
    assert cells[1][-1] is None and cells[3][-1].startswith("手机号码：")


def test_a_rejected_gb18030_csv_comes_back_masked(client, hnu):
    id_number, phone = person()
    rows = [graduate_row(1, id_number, phone, 学历="大专生")]
    job = imported(client, "assisted_graduates", as_csv(ledger(rows)), "台账.csv", hnu)
    assert (job["status"], job["errors"][0]["column"]) == ("rejected", "学历"), job
    sheet = client.get(job["errors_url"], headers=hnu)
    text = sheet.content.decode("utf-8-sig")
    assert mask_id_number(id_number) in text and mask_phone(phone) in text


def test_the_same_person_once_a_cohort_within_the_file_and_against_every_ledger(
    client, hnu, bearer, session
):
    twice, elsewhere, own = person(), person(), person()
    csu = bearer("university", university_code=CSU)
    add(client, csu, id_number=elsewhere[0], phone=elsewhere[1])
    made = add(client, hnu, id_number=own[0], phone=own[1])
    rows = [
        graduate_row(1, *twice),
        graduate_row(2, *twice),  # the same person again
        graduate_row(3, *elsewhere),  # in 中南大学's ledger
        graduate_row(4, *own),  # in the university's own, without naming it
        graduate_row(5, *twice, 届别=2024),  # the next cohort may have them
    ]
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert (job["status"], job["error_count"]) == ("rejected", 3), job
    errors = {e["row"]: e for e in job["errors"]}
    assert sorted(errors) == [3, 4, 5]
    assert "与第 2 行是同一人" in errors[3]["reason"]
    assert "其他高校" in errors[4]["reason"] and CSU not in errors[4]["reason"]
    assert f"系统编号 {made['id']}" in errors[5]["reason"]
    assert all(e["column"] == "居民身份证号" and e["value"] is None for e in job["errors"])
    assert len(graduates(session)) == 2  # the two made through the API, nothing more


def test_masked_cells_stand_for_the_records_numbers_only(client, hnu):
    id_number, phone = person()
    other, _ = person()
    made = add(client, hnu, id_number=id_number, phone=phone, external_ref="KN-1")
    unchanged = graduate_row(
        1,
        mask_id_number(id_number),
        mask_phone(phone),
        姓名="张**",
        学历="",
        困难类别="",
        专业="",
        帮扶责任人="",
        就业状态="",
        状态日期="",
    )
    wrong = graduate_row(2, mask_id_number(other), "", 台账编号="KN-1")
    new = graduate_row(3, mask_id_number(other), "")
    table = [[*GRADUATE_HEADER, "系统编号"], [*unchanged, made["id"]], [*wrong, ""], [*new, ""]]
    job = imported(client, "assisted_graduates", xlsx_bytes(table), "台账.xlsx", hnu)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "台账编号"), (3, "居民身份证号"), (4, "居民身份证号"),
    ]  # fmt: skip
    only_first = imported(client, "assisted_graduates", xlsx_bytes(table[:2]), "ok.xlsx", hnu)
    assert (only_first["status"], only_first["rows_present"]) == ("succeeded", 1), only_first


# --- the sender's reach ---------------------------------------------------------------------


def test_a_university_imports_its_own_graduates_and_services_only(client, hunan, bearer):
    hnu, csu = bearer("university", university_code=HNU), bearer("university", university_code=CSU)
    theirs_id, theirs_phone = person()
    theirs = add(client, csu, id_number=theirs_id, phone=theirs_phone, external_ref="KN-9")
    rows = [graduate_row(1, *person(), 学校标识码=CSU)]
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(2, "学校标识码")], job
    # 中南大学's graduate by 系统编号, by its 台账编号, by ID number: none is 湖南大学's.
    services = [
        ["", "", "", theirs["id"], "单独咨询", "2023-04-01", "王老师", "", "", "", "", ""],
        ["KN-9", "", "", "", "单独咨询", "2023-04-01", "王老师", "", "", "", "", ""],
        ["", theirs_id, 2023, "", "单独咨询", "2023-04-01", "王老师", "", "", "", "", ""],
    ]
    job = imported(
        client, "assistance_services", as_csv(ledger(services, SERVICE_HEADER)), "fw.csv", hnu
    )
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (2, "学生系统编号"), (3, "学生台账编号"), (4, "居民身份证号"),
    ], job  # fmt: skip
    assert all("本校的台账中没有" in e["reason"] for e in job["errors"])
    assert job["errors"][2]["value"] == mask_id_number(theirs_id)


@pytest.mark.parametrize("kind", ["assisted_graduates", "assistance_services"])
def test_a_province_may_not_import_these_ledgers(client, hunan, bearer, kind):
    province = bearer("province", province="43")
    header = GRADUATE_HEADER if kind == "assisted_graduates" else SERVICE_HEADER
    refused = send(client, kind, as_csv([header]), headers=province)
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"][0]["field"] == "kind"


# --- services -------------------------------------------------------------------------------


def test_services_find_their_graduate_three_ways_and_are_counted(client, hnu, session):
    people = [person() for _ in range(3)]
    made = [
        add(client, hnu, id_number=i, phone=p, external_ref=f"KN-{n}")
        for n, (i, p) in enumerate(people)
    ]
    services = [
        ["KN-0", "", "", "", "单独咨询", dt.date(2023, 4, 1), "王老师", "电话咨询", "", "", "", "FW-1"],
        ["", people[1][0], 2023, "", "resume", dt.date(2023, 4, 2), "王老师", "", "", "", "", "FW-2"],
        ["", "", "", made[2]["id"], "就业培训", dt.date(2023, 4, 3), "赵老师", "", "宏志助航", 16, "", ""],
        ["KN-2", mask_id_number(people[2][0]), 2023, made[2]["id"], "求职创业补贴", dt.date(2023, 4, 4), "赵老师", f"已转账，联系{people[2][1]}", "", "", 1000, ""],
    ]  # fmt: skip
    content = xlsx_bytes(ledger(services, SERVICE_HEADER))
    job = imported(client, "assistance_services", content, "服务.xlsx", hnu)
    assert (job["status"], job["rows_written"]) == ("succeeded", 4), job
    given = {g["id"]: g["services"] for g in listed(client, hnu)}
    assert given[made[0]["id"]]["consultation"] == 1
    assert given[made[1]["id"]]["resume"] == 1
    assert (given[made[2]["id"]]["training"], given[made[2]["id"]]["subsidy"]) == (1, 1)
    stored = session.scalars(select(AssistanceService).order_by(AssistanceService.id)).all()
    assert [(s.kind.value, s.hours, s.amount) for s in stored] == [
        ("consultation", None, None), ("resume", None, None), ("training", 16, None), ("subsidy", None, 1000),
    ]  # fmt: skip
    assert stored[3].note == f"已转账，联系{mask_phone(people[2][1])}"  # scrubbed as the API does

    # The same services as a GB18030 CSV, by their 台账编号: FW-1 changed, FW-2 as it is.
    services[0][7] = "面谈咨询"
    again = imported(
        client, "assistance_services", as_csv(ledger(services[:2], SERVICE_HEADER)), "fw.csv", hnu
    )
    assert (again["status"], again["rows_written"], again["rows_present"]) == ("succeeded", 1, 1), (
        again
    )
    session.expire_all()
    assert session.get(AssistanceService, stored[0].id).note == "面谈咨询"


def test_bad_service_rows_are_named(client, hnu):
    id_number, phone = person()
    made = add(client, hnu, id_number=id_number, phone=phone, external_ref="KN-1")
    other, _ = person()
    services = [
        ["", id_number, "", "", "单独咨询", "2023-04-01", "王老师", "", "", "", "", ""],  # no 届别
        [
            "KN-1",
            other,
            2023,
            "",
            "单独咨询",
            "2023-04-01",
            "王老师",
            "",
            "",
            "",
            "",
            "",
        ],  # 2 people
        ["", "", "", made["id"], "单独咨询", "2023-04-01", "王老师", "", "", 8, "", ""],  # hours
        ["", "", "", "", "单独咨询", "2023-04-01", "王老师", "", "", "", "", ""],  # nobody
        ["KN-1", "", "", "", "单独咨询", "2023-04-01", "王老师", "", "", "", "", "FW-1"],
        ["KN-1", "", "", "", "简历修改", "2023-04-02", "王老师", "", "", "", "", "FW-1"],  # twice
    ]
    job = imported(
        client, "assistance_services", xlsx_bytes(ledger(services, SERVICE_HEADER)), "fw.xlsx", hnu
    )
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (2, "届别"), (3, "居民身份证号"), (4, "培训学时"), (5, "学生系统编号"), (7, "台账编号"),
    ], job  # fmt: skip
    assert job["rows_written"] == 0
    assert (
        client.get(f"{API}/assisted-graduates/{made['id']}", headers=hnu).json()["services"][
            "consultation"
        ]
        == 0
    )


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first"), [("assisted_graduates", "学校标识码"), ("assistance_services", "学校标识码")]
)
def test_templates(client, hnu, kind, first):
    answer = client.get(f"{API}/imports/templates/{kind}.xlsx", headers=hnu)
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == first and "系统编号" not in header
    assert "居民身份证号" in header and "届别" in header
    shaded = {cell.value for cell in sheet[1] if cell.fill.fgColor.rgb in ("FFFCE4D6", "00FCE4D6")}
    if kind == "assisted_graduates":
        assert {"届别", "姓名", "居民身份证号", "困难类别"} <= shaded
        assert "学校标识码" not in shaded  # the university's own
    else:
        assert {"学生台账编号", "居民身份证号", "学生系统编号", "服务类型", "服务日期"} <= shaded
    # The template, filled in as it comes, imports (its example names a university of its own).


def test_the_once_a_cohort_rule_holds_across_batches(client, hnu, monkeypatch, session):
    from app.imports import service

    monkeypatch.setattr(service, "BATCH_ROWS", 1)  # each row a batch of its own
    twice = person()
    rows = [graduate_row(1, *twice), graduate_row(2, *person()), graduate_row(3, *twice)]
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(4, "居民身份证号")], job
    assert graduates(session) == []
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(job["errors_url"], headers=hnu).content))
    marks = [row[-1] for row in sheet.worksheets[0].iter_rows(values_only=True)]
    assert marks[1:3] == [None, None] and "与第 2 行是同一人" in marks[3]
    rows[2] = graduate_row(3, *person())
    job = imported(client, "assisted_graduates", xlsx_bytes(ledger(rows)), "台账.xlsx", hnu)
    assert (job["status"], job["rows_written"]) == ("succeeded", 3), job


def test_the_same_ledger_twice_or_the_same_key_is_one_job(client, hnu, session):
    content = xlsx_bytes(ledger([graduate_row(n, *person()) for n in range(2)]))
    first = send(client, "assisted_graduates", content, "台账.xlsx", headers=hnu)
    again = send(client, "assisted_graduates", content, "副本.xlsx", headers=hnu)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    keyed = {**hnu, "Idempotency-Key": "graduates-2023-06"}
    other = xlsx_bytes(ledger([graduate_row(5, *person())]))
    sent = send(client, "assisted_graduates", other, "a.xlsx", headers=keyed)
    resent = send(client, "assisted_graduates", other, "a.xlsx", headers=keyed)
    assert (sent.status_code, resent.status_code) == (202, 200)
    assert resent.json()["id"] == sent.json()["id"]
    assert len(graduates(session)) == 3
