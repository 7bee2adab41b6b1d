"""The ledgers of school–enterprise matchmaking (校企供需对接台账) imported as the other kinds
are: sessions (matchmaking_sessions), the employers that took part (matchmaking_employers) and
cooperation intents with their follow-up (cooperation_intents), from .xlsx written by
xlsxwriter and from CSV, Chinese headers and labels, all or nothing; bad rows named by row and
column; who may send which rows (a university its own, a province its province's sessions and
its universities' intents). After an import the figures and the bulletin's matchmaking
sentences are the new ones, a kept bulletin too: an import moves the figures' epoch."""

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.settings import get_settings
from tests import factories as f
from tests import test_matchmaking as matchmaking
from tests.test_imports import csv_bytes, send
from tests.test_imports_policy import errors_of, imported
from tests.test_matchmaking import (
    BULLETIN,
    FIGURES,
    INTENTS,
    SDU,
    SESSIONS,
    SUMMER,
    THU,
    TJU,
    intent,
)

SESSION_HEADER = ["活动名称", "活动形式", "举办日期", "主办单位", "省份", "学校标识码", "参会高校"]
EMPLOYER_HEADER = ["活动系统编号", "活动名称", "举办日期", "统一社会信用代码", "重点领域"]
INTENT_HEADER = ["活动系统编号", "活动名称", "举办日期", "学校标识码", "统一社会信用代码",
                 "合作类型", "重点领域", "意向概述", "签约日期", "落地日期"]  # fmt: skip
MINISTRY = "重点领域人才校企供需对接会"
FOUR_PARTY = "就业育人“政行企校”四方协作对接洽谈会"
SHANDONG = "山东省人力资源社会保障厅、教育厅、齐鲁工业大学"
JUNE_28, JUNE_9 = dt.date(2023, 6, 28), dt.date(2023, 6, 9)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


@pytest.fixture
def registered(client) -> dict[str, str]:
    """The universities and employers of tests/test_matchmaking.py: {name: uscc}."""
    return matchmaking.registered.__wrapped__(client)


def session_rows() -> list[list]:
    """The Ministry's meeting (北京大学, 清华大学) and Shandong's four-party one (山东大学)."""
    return [
        [MINISTRY, "校企供需对接会", JUNE_28, "教育部", "", "", f"{f.PKU}；{THU}"],
        [FOUR_PARTY, "four_party", JUNE_9, SHANDONG, "山东省", "", SDU],
    ]


def employer_rows(registered: dict[str, str]) -> list[list]:
    """Who took part, each session by its name and day, fields by name or code."""
    return [
        ["", MINISTRY, JUNE_28, registered["grid"], "能源动力"],
        ["", MINISTRY, JUNE_28, registered["rail"], "equipment_manufacturing"],
        ["", MINISTRY, JUNE_28, registered["chips"], "集成电路"],
        ["", FOUR_PARTY, JUNE_9, registered["grid"], "能源动力"],
    ]


def intent_rows(registered: dict[str, str]) -> list[list]:
    """The intents of test_matchmaking.summer_of_matchmaking, with their follow-up."""
    grid, rail, chips = (registered[name] for name in ("grid", "rail", "chips"))
    return [
        ["", MINISTRY, "2023-06-28", f.PKU, grid, "定向培养", "", "", "2023-07-10", ""],
        ["", MINISTRY, "2023-06-28", f.PKU, rail, "internship_base", "", "", "2023-07-01", "2023-08-15"],
        ["", MINISTRY, "2023-06-28", THU, chips, "联合研发", "", "", "", ""],
        ["", MINISTRY, "2023-06-28", THU, grid, "定向培养", "", "", "", ""],
        ["", FOUR_PARTY, "2023-06-09", SDU, grid, "就业育人项目", "", "", "2023-08-01", ""],
    ]  # fmt: skip


def summer(client, registered: dict[str, str]) -> dict[str, int]:
    """The summer of tests/test_matchmaking.py, imported: {name: session id}."""
    for kind, header, rows, name in [
        ("matchmaking_sessions", SESSION_HEADER, session_rows(), "活动.xlsx"),
        ("matchmaking_employers", EMPLOYER_HEADER, employer_rows(registered), "参会单位.xlsx"),
        ("cooperation_intents", INTENT_HEADER, intent_rows(registered), "意向.csv"),
    ]:
        job = imported(client, kind, [header, *rows], name)
        assert (job["status"], job["rows_written"]) == ("succeeded", len(rows)), job
    ids = {item["title"]: item["id"] for item in client.get(SESSIONS).json()["items"]}
    return {"ministry": ids[MINISTRY], "shandong": ids[FOUR_PARTY]}


def paragraph(client, **params) -> list[str]:
    answer = client.get(BULLETIN, params={**SUMMER, "section": "matchmaking", **params})
    return [sentence["text"] for sentence in answer.json()["sentences"]]


def figures(client, **params) -> dict:
    return client.get(FIGURES, params={**SUMMER, **params}).json()["figures"]


# --- the three ledgers together ---------------------------------------------------------------


def test_the_summer_imported_moves_the_figures_and_the_kept_bulletin(client, registered, session):
    assert paragraph(client) == []  # kept, until the figures' epoch moves
    ids = summer(client, registered)
    assert figures(client) == {
        "sessions": 2,
        "universities": 3,
        "employers": 3,
        "fields": 3,
        "intents": 5,
        "intended": 2,
        "signed": 2,
        "landed": 1,
    }
    assert paragraph(client) == [
        "全国共举办校企供需对接活动2场，3所高校与3家企业参加，达成合作意向5个，其中已签约3个、已落地1个。",
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等3个重点领域行业的3家企业，"
        "与北京大学、清华大学现场对接，现场达成4个合作意向。",
    ]
    shandong = client.get(f"{SESSIONS}/{ids['shandong']}").json()
    assert (shandong["province"], shandong["format"], shandong["universities"]) == (
        "37",
        "four_party",
        [SDU],
    )
    assert shandong["employers"] == [{"uscc": registered["grid"], "field": "energy_power"}]
    landed = client.get(INTENTS, params={"type": "internship_base"}).json()["items"][0]
    assert [(s["status"], s["as_of"]) for s in landed["steps"]] == [
        ("intended", "2023-06-28"),
        ("signed", "2023-07-01"),
        ("landed", "2023-08-15"),
    ]
    assert landed["field"] == "equipment_manufacturing"  # the employer's there
    entries = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "import"))
    assert entries.all() == [
        "matchmaking_sessions: 活动.xlsx",
        "matchmaking_employers: 参会单位.xlsx",
        "cooperation_intents: 意向.csv",
    ]


def test_the_same_ledgers_again_are_present(client, registered):
    summer(client, registered)
    for kind, header, rows, name in [  # each in the other format: not a repeated file
        ("matchmaking_sessions", SESSION_HEADER, session_rows(), "又一次.csv"),
        ("matchmaking_employers", EMPLOYER_HEADER, employer_rows(registered), "又一次.csv"),
        ("cooperation_intents", INTENT_HEADER, intent_rows(registered), "又一次.xlsx"),
    ]:
        job = imported(client, kind, [header, *rows], name)
        assert (job["status"], job["rows_written"], job["rows_present"]) == (
            "succeeded",
            0,
            len(rows),
        ), job
    assert f.total(client, SESSIONS) == 2 and f.total(client, INTENTS) == 5


# --- sessions ---------------------------------------------------------------------------------


def test_a_session_found_by_its_name_or_id_is_updated_where_it_differs(client, registered):
    ids = summer(client, registered)
    rows = [
        [MINISTRY, "其他对接活动", JUNE_28, "教育部", "", "", f"{THU}；{f.PKU}；{TJU}"],  # changed
        [FOUR_PARTY, "政行企校四方协作对接会", JUNE_9, SHANDONG, "", "", ""],  # a new one: 省份
    ]
    job = imported(client, "matchmaking_sessions", [SESSION_HEADER, *rows], "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 2, 0), job
    ministry = client.get(f"{SESSIONS}/{ids['ministry']}").json()
    assert (ministry["format"], ministry["universities"]) == ("other", [f.PKU, THU, TJU])
    assert len(ministry["employers"]) == 3  # left as they were
    assert f.total(client, SESSIONS) == 3  # blank 省份: the Ministry's, another session

    renamed = [[*session_rows()[1][:3], "山东省教育厅", "37", "", SDU, ids["shandong"]]]
    header = [*SESSION_HEADER, "系统编号"]
    job = imported(client, "matchmaking_sessions", [header, *renamed], "改名.csv")
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert client.get(f"{SESSIONS}/{ids['shandong']}").json()["organiser"] == "山东省教育厅"


def test_bad_session_rows_are_named_by_row_and_column(client, registered):
    ids = summer(client, registered)
    header = [*SESSION_HEADER, "系统编号"]
    rows = [
        ["座谈会", "banquet", "2023-06-01", "教育部", "", "", "", ""],  # 2: 活动形式
        ["座谈会", "其他对接活动", "2023-06-31", "教育部", "", "", "", ""],  # 3: 举办日期
        ["座谈会", "其他对接活动", "2023-06-01", "教育部", "", "", f.UNKNOWN_UNIVERSITY, ""],  # 4
        ["座谈会", "其他对接活动", "2023-06-02", "天津大学", "", f.UNKNOWN_UNIVERSITY, "", ""],  # 5
        ["座谈会", "其他对接活动", "2023-06-03", "天津大学", "北京市", TJU, "", ""],  # 6: 省份
        ["座谈会", "其他对接活动", "2023-06-04", "教育部", "", "", "", 999_999],  # 7: 系统编号
        ["座谈会", "其他对接活动", "2023-06-06", "教育部", "", "", "", ""],
        ["座谈会", "other", "2023-06-06", "教育部", "", "", "", ""],  # 9: row 8's session again
        ["", "其他对接活动", "2023-06-05", "教育部", "", "", "", ""],  # 10: 活动名称
        [FOUR_PARTY, "four_party", "2023-06-09", SHANDONG, "12", "", "", ids["shandong"]],  # 11
        [MINISTRY, "校企供需对接会", "2023-06-28", "教育部", "", "", THU, ""],  # 12: PKU's intents
    ]
    job = imported(client, "matchmaking_sessions", [header, *rows], "错.csv")
    assert errors_of(job) == [
        (2, "活动形式"), (3, "举办日期"), (4, "参会高校"), (5, "学校标识码"), (6, "省份"),
        (7, "系统编号"), (9, "活动名称"), (10, "活动名称"), (11, "省份"), (12, "参会高校"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[6] == "省份“北京市”与学校标识码不符：高校4112010056在天津市（可留空）"
    assert reasons[9] == "活动名称“座谈会”：与第 8 行是同一条记录，在文件中重复出现"
    assert reasons[11] == "省份“天津市”不能修改：该活动是山东省的（可留空）"
    assert reasons[12] == f"参会高校不能去掉“{f.PKU}”：它在该活动已有合作意向（请先通过接口删除）"
    assert f.total(client, SESSIONS) == 2
    # A ledger without 活动形式 is refused at once.
    refused = send(client, "matchmaking_sessions", csv_bytes([SESSION_HEADER[:1]]))
    assert (
        f.assert_problem(refused, 422, "file")["reason"]
        == "缺少必填列：活动形式、举办日期、主办单位"
    )


# --- employers --------------------------------------------------------------------------------


def test_employers_are_added_and_their_fields_changed(client, registered):
    ids = summer(client, registered)
    rows = [
        [ids["ministry"], "", "", registered["grid"], ""],  # there, its field left as it is
        [ids["ministry"], MINISTRY, "2023-06-28", registered["rail"], "航空航天"],  # changed
        [ids["ministry"], "", "", registered["pharma"], "生物医药"],  # added
    ]
    job = imported(client, "matchmaking_employers", [EMPLOYER_HEADER, *rows])
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 2, 1), job
    employers = client.get(f"{SESSIONS}/{ids['ministry']}").json()["employers"]
    assert {e["uscc"]: e["field"] for e in employers} == {
        registered["grid"]: "energy_power",
        registered["rail"]: "aerospace",
        registered["chips"]: "integrated_circuits",
        registered["pharma"]: "biomedicine",
    }
    assert figures(client)["employers"] == 4


def test_bad_employer_rows_are_named_by_row_and_column(client, registered):
    ids = summer(client, registered)
    grid, pharma = registered["grid"], registered["pharma"]
    rows = [
        ["", "", "", grid, ""],  # 2: no session
        ["", MINISTRY, "", grid, ""],  # 3: a name without its day
        ["", MINISTRY, "2023-06-29", grid, ""],  # 4: not that day
        [999_999, "", "", grid, ""],  # 5: no such id
        [ids["ministry"], FOUR_PARTY, "", grid, ""],  # 6: not that session's name
        [ids["ministry"], "", "", f.make_uscc(province="44"), ""],  # 7: not registered
        [ids["ministry"], "", "", pharma, "炼金术"],  # 8: no such field
        [ids["ministry"], "", "", pharma, ""],
        ["", MINISTRY, "2023-06-28", pharma, "生物医药"],  # 10: row 9 again
    ]
    job = imported(client, "matchmaking_employers", [EMPLOYER_HEADER, *rows], "错.xlsx")
    assert errors_of(job) == [
        (2, "活动系统编号"), (3, "举办日期"), (4, "活动名称"), (5, "活动系统编号"), (6, "活动名称"),
        (7, "统一社会信用代码"), (8, "重点领域"), (10, "统一社会信用代码"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[4] == f"活动名称“{MINISTRY}”：2023-06-29没有这个名称的活动"
    assert reasons[6] == (
        f"活动名称“{FOUR_PARTY}”与活动系统编号 {ids['ministry']} 的活动不符（应为“{MINISTRY}”）"
    )


# --- intents ----------------------------------------------------------------------------------


def test_an_intent_by_its_id_gets_the_steps_it_lacks(client, registered):
    ids = summer(client, registered)
    listed = client.get(INTENTS, params={"type": "joint_research"}).json()["items"]
    intent_id, chips = listed[0]["id"], registered["chips"]
    header = [*INTENT_HEADER, "系统编号"]
    row = [ids["ministry"], "", "", THU, chips, "联合研发", "", "", "2023-08-30", "", intent_id]
    before = figures(client)
    job = imported(client, "cooperation_intents", [header, row])
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    after = figures(client)
    assert (after["intended"], after["signed"]) == (before["intended"] - 1, before["signed"] + 1)
    landed = [*row[:9], "2023-09-01", intent_id]  # 签约 the same day: present; then 落地
    job = imported(client, "cooperation_intents", [header, landed])
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    steps = client.get(f"{INTENTS}/{intent_id}").json()["steps"]
    assert [(s["status"], s["as_of"]) for s in steps] == [
        ("intended", "2023-06-28"),
        ("signed", "2023-08-30"),
        ("landed", "2023-09-01"),
    ]
    # Without its 系统编号, the row finds it by session, university, employer and type.
    job = imported(client, "cooperation_intents", [INTENT_HEADER, row[:10]])
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 1), job


def test_bad_intent_rows_are_named_by_row_and_column(client, registered):
    ids = summer(client, registered)
    grid, rail, pharma = registered["grid"], registered["rail"], registered["pharma"]
    listed = client.get(INTENTS, params={"type": "internship_base"}).json()["items"]
    signed_id = listed[0]["id"]  # PKU and rail: signed 07-01, landed 08-15
    listed = client.get(INTENTS, params={"type": "joint_research"}).json()["items"]
    research_id, chips = listed[0]["id"], registered["chips"]  # THU and chips
    header = [*INTENT_HEADER, "系统编号"]
    ministry = [ids["ministry"], "", ""]
    rows = [
        [*ministry, f.PKU, pharma, "联合研发", "", "", "", "", ""],  # 2: pharma did not take part
        [*ministry, TJU, grid, "联合研发", "", "", "", "", ""],  # 3: TJU did not take part
        [*ministry, f.PKU, grid, "joint_venture", "", "", "", "", ""],  # 4: 合作类型
        [*ministry, f.PKU, grid, "联合研发", "", "", "", "2023-07-01", ""],  # 5: 落地 without 签约
        [*ministry, f.PKU, grid, "联合研发", "", "", "2023-06-27", "", ""],  # 6: before the session
        [*ministry, f.PKU, grid, "联合研发", "", "", "2023-07-02", "2023-07-01", ""],  # 7
        [*ministry, f.PKU, rail, "internship_base", "", "", "2023-07-02", "", signed_id],  # 8
        [*ministry, THU, chips, "定向培养", "", "", "", "", research_id],  # 9: 合作类型
        [*ministry, f.PKU, rail, "internship_base", "", "换了概述", "", "", 999_999],  # 10
        [*ministry, f.PKU, grid, "其他合作", "炼金术", "", "", "", ""],  # 11: 重点领域
        [*ministry, f.PKU, grid, "其他合作", "", "", "", "", ""],
        [*ministry, f.PKU, grid, "other", "", "", "", "", ""],  # 13: row 12 again
        [*ministry, "", grid, "other", "", "", "", "", ""],  # 14: national staff name it
    ]
    job = imported(client, "cooperation_intents", [header, *rows], "错.xlsx")
    assert errors_of(job) == [
        (2, "统一社会信用代码"), (3, "学校标识码"), (4, "合作类型"), (5, "落地日期"), (6, "签约日期"),
        (7, "落地日期"), (8, "签约日期"), (9, "合作类型"), (10, "系统编号"), (11, "重点领域"),
        (13, "统一社会信用代码"), (14, "学校标识码"),
    ]  # fmt: skip
    # The error sheet marks the same rows, checked again.
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(job["errors_url"]).content)).active
    marked = [row[0].row for row in sheet.iter_rows(min_row=2) if row[-1].value]
    assert marked == [row for row, _ in errors_of(job)]
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[5] == "落地日期：尚未签约，不能落地（请先填写签约日期）"
    assert reasons[6] == "签约日期早于意向日期（2023-06-28）"
    assert reasons[7] == "落地日期早于签约日期（2023-07-02）"
    assert reasons[8] == (
        "签约日期与已记录的签约日期（2023-07-01）不符：已记录的步骤不能通过台账修改"
        "（更正请通过接口删除该步骤）"
    )
    assert reasons[9] == (
        f"合作类型“定向培养”与系统编号 {research_id} 的合作意向不符：合作意向的内容不能通过台账修改"
        "（更正请通过接口删除后重新录入）"
    )
    assert f.total(client, INTENTS) == 5


def test_several_intents_of_a_kind_are_told_apart_by_their_ids(client, registered):
    ids = summer(client, registered)
    again = intent(ids["ministry"], THU, registered["grid"], "directed_training")
    f.created(client.post(INTENTS, json=again))  # a second 定向培养 of THU with grid
    row = [ids["ministry"], "", "", THU, registered["grid"], "定向培养", "", "", "2023-07-20", ""]
    job = imported(client, "cooperation_intents", [INTENT_HEADER, row])
    assert errors_of(job) == [(2, "合作类型")]
    assert "请填写系统编号" in job["errors"][0]["reason"]


# --- who sends what ---------------------------------------------------------------------------


def test_a_university_imports_its_own_sessions_and_intents(anonymous, bearer, client, registered):
    ids = summer(client, registered)
    pku = bearer("university", university_code=f.PKU)
    own = [
        ["北大能源专场", "其他对接活动", "2023-07-05", "北京大学", "", "", f.PKU],
        ["北大能源专场", "其他对接活动", "2023-07-06", "北京大学", "", THU, ""],  # 3: not its own
        ["清华专场", "其他对接活动", "2023-07-06", "清华大学", "天津市", "", ""],  # 4: 省份
    ]
    job = imported(anonymous, "matchmaking_sessions", [SESSION_HEADER, *own], **pku)
    assert errors_of(job) == [(3, "学校标识码"), (4, "省份")]
    job = imported(anonymous, "matchmaking_sessions", [SESSION_HEADER, own[0]], **pku)
    assert job["status"] == "succeeded", job
    made = client.get(SESSIONS, params={"from": "2023-07-05", "to": "2023-07-05"}).json()
    assert [(m["province"], m["university_code"]) for m in made["items"]] == [("11", f.PKU)]

    # The Ministry's session: as it is, present; changed, a bad row; its employers alike.
    header = [*SESSION_HEADER, "系统编号"]
    theirs = [
        MINISTRY,
        "校企供需对接会",
        JUNE_28,
        "教育部",
        "",
        "",
        f"{f.PKU}；{THU}",
        ids["ministry"],
    ]
    job = imported(anonymous, "matchmaking_sessions", [header, theirs], **pku)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 1), job
    changed = [*theirs[:6], f.PKU, ids["ministry"]]
    job = imported(anonymous, "matchmaking_sessions", [header, changed], **pku)
    assert errors_of(job) == [(2, "系统编号")]
    assert job["errors"][0]["reason"] == (
        f"系统编号“{ids['ministry']}”是教育部的活动，本账号只能原样导入、不能修改（与已有不同：参会高校）"
    )
    employers = [[ids["ministry"], "", "", registered["pharma"], ""]]
    job = imported(anonymous, "matchmaking_employers", [EMPLOYER_HEADER, *employers], **pku)
    assert errors_of(job) == [(2, "活动系统编号")]

    rows = [
        [ids["ministry"], "", "", "", registered["chips"], "联合研发", "", "", "", ""],  # its own
        [ids["ministry"], "", "", THU, registered["chips"], "other", "", "", "", ""],  # 3
    ]
    job = imported(anonymous, "cooperation_intents", [INTENT_HEADER, *rows], **pku)
    assert errors_of(job) == [(3, "学校标识码")]
    job = imported(anonymous, "cooperation_intents", [INTENT_HEADER, rows[0]], **pku)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert anonymous.get(INTENTS, headers=pku).json()["total"] == 3


def test_a_province_imports_its_sessions_and_its_universities_intents(
    anonymous, bearer, client, registered
):
    ids = summer(client, registered)
    beijing = bearer("province", province="11")
    rows = [
        [
            "北京市校企对接会",
            "校企供需对接会",
            "2023-07-08",
            "北京市教委",
            "",
            "",
            f"{f.PKU}；{TJU}",
        ],
        ["北京市校企对接会", "校企供需对接会", "2023-07-09", "北京市教委", "天津市", "", ""],  # 3
        ["北京市校企对接会", "校企供需对接会", "2023-07-10", "北京大学", "", f.PKU, ""],  # 4
    ]
    job = imported(anonymous, "matchmaking_sessions", [SESSION_HEADER, *rows], **beijing)
    assert errors_of(job) == [(3, "省份"), (4, "学校标识码")]
    job = imported(anonymous, "matchmaking_sessions", [SESSION_HEADER, rows[0]], **beijing)
    assert job["status"] == "succeeded", job
    held = client.get(SESSIONS, params={"province": "11"}).json()["items"]
    assert [(m["title"], m["universities"]) for m in held] == [("北京市校企对接会", [f.PKU, TJU])]
    employers = [["", "北京市校企对接会", "2023-07-08", registered["grid"], "能源动力"]]
    job = imported(anonymous, "matchmaking_employers", [EMPLOYER_HEADER, *employers], **beijing)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job

    grid = registered["grid"]
    intents = [
        ["", "北京市校企对接会", "2023-07-08", f.PKU, grid, "定向培养", "", "", "", ""],
        [ids["ministry"], "", "", THU, grid, "联合研发", "", "", "", ""],  # the Ministry's: fine
        ["", "北京市校企对接会", "2023-07-08", TJU, grid, "定向培养", "", "", "", ""],  # 4: TJU
        [ids["shandong"], "", "", SDU, grid, "其他合作", "", "", "", ""],  # 5: Shandong's SDU
    ]
    job = imported(anonymous, "cooperation_intents", [INTENT_HEADER, *intents], **beijing)
    assert errors_of(job) == [(4, "学校标识码"), (5, "学校标识码")]
    assert job["errors"][0]["reason"] == (
        f"学校标识码“{TJU}”不是本省的高校：只能导入本省（北京市）高校的合作意向"
    )
    job = imported(anonymous, "cooperation_intents", [INTENT_HEADER, *intents[:2]], **beijing)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    assert figures(client, province="11")["intents"] == 1  # its own session's
