"""The ledgers of matchmaking out: sessions, the employers that took part and cooperation
intents exported with the import's Chinese headers, within the reader's reach and the lists'
filters, in .xlsx and CSV; sent back unchanged they change nothing (each record found as
itself), whoever exported them; one cell edited changes that record alone. Templates of the
three kinds, which import as they come."""

import io

import openpyxl
import pytest

from tests import factories as f
from tests.test_exports_policy import _template, table
from tests.test_imports_matchmaking import (
    EMPLOYER_HEADER,
    INTENT_HEADER,
    MINISTRY,
    SESSION_HEADER,
    figures,
    paragraph,
    summer,
)
from tests.test_imports_matchmaking import registered as registered  # the fixture
from tests.test_imports_policy import API, errors_of, imported
from tests.test_matchmaking import INTENTS, SDU, SESSIONS, THU

EXPORTS = {
    "matchmaking_sessions": f"{SESSIONS}/export",
    "matchmaking_employers": f"{SESSIONS}/employers/export",
    "cooperation_intents": f"{INTENTS}/export",
}
HEADERS = {
    "matchmaking_sessions": [*SESSION_HEADER, "系统编号"],
    "matchmaking_employers": EMPLOYER_HEADER,
    "cooperation_intents": [*INTENT_HEADER, "系统编号"],
}


def exported(client, kind: str, format: str = "csv", headers: dict | None = None, **filters):
    answer = client.get(EXPORTS[kind], params={"format": format, **filters}, headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.content


def state(client, headers: dict | None = None) -> list:
    """Every session and intent as the API answers them."""
    return [
        client.get(path, params={"limit": 100}, headers=headers or {}).json()["items"]
        for path in (SESSIONS, INTENTS)
    ]


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(client, registered, format):
    summer(client, registered)
    before, counted, said = state(client), figures(client), paragraph(client)
    for kind, rows in [
        ("matchmaking_sessions", 2),
        ("matchmaking_employers", 4),
        ("cooperation_intents", 5),
    ]:
        content = exported(client, kind, format)
        cells = table(content, format)
        assert (cells[0], len(cells) - 1) == (HEADERS[kind], rows)
        if format == "csv":  # as Excel saves it again on a Chinese Windows
            content = content.decode("utf-8-sig").encode("gb18030")
        job = imported(client, kind, content, f"{kind}.{format}")
        assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, rows)
    assert (state(client), figures(client), paragraph(client)) == (before, counted, said)


def test_the_exports_hold_the_ledgers_as_an_office_reads_them(client, registered):
    ids = summer(client, registered)
    sessions = table(exported(client, "matchmaking_sessions"), "csv")
    assert sessions[1:] == [
        [MINISTRY, "校企供需对接会", "2023-06-28", "教育部", "", "", f"{f.PKU}；{THU}",
         str(ids["ministry"])],
        ["就业育人“政行企校”四方协作对接洽谈会", "政行企校四方协作对接会", "2023-06-09",
         "山东省人力资源社会保障厅、教育厅、齐鲁工业大学", "山东省", "", SDU, str(ids["shandong"])],
    ]  # fmt: skip
    employers = table(exported(client, "matchmaking_employers"), "csv")
    ministry = [str(ids["ministry"]), MINISTRY, "2023-06-28"]
    grid, rail, chips = (registered[name] for name in ("grid", "rail", "chips"))
    assert sorted(employers[1:4]) == sorted(
        [
            [*ministry, grid, "能源动力"],
            [*ministry, rail, "装备制造"],
            [*ministry, chips, "集成电路"],
        ]
    )
    intents = table(exported(client, "cooperation_intents", type="internship_base"), "csv")
    assert intents[1][:-1] == [*ministry, f.PKU, rail, "共建实习基地", "装备制造", "",
                               "2023-07-01", "2023-08-15"]  # fmt: skip


def test_one_cell_edited_changes_that_record_alone(client, registered):
    ids = summer(client, registered)
    sessions = table(exported(client, "matchmaking_sessions"), "csv")
    sessions[2][3] = "山东省教育厅"  # Shandong's organiser
    job = imported(client, "matchmaking_sessions", sessions, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    assert client.get(f"{SESSIONS}/{ids['shandong']}").json()["organiser"] == "山东省教育厅"

    intents = table(exported(client, "cooperation_intents"), "csv")
    at = next(n for n, row in enumerate(intents) if row[5] == "联合研发")
    intents[at][8] = "2023-08-30"  # THU's 联合研发 signed
    job = imported(client, "cooperation_intents", intents, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 4), job
    assert figures(client)["signed"] == 3
    intents[at][8] = "2023-08-31"  # another day than the one recorded now: a bad row
    job = imported(client, "cooperation_intents", intents, "又改.csv")
    assert errors_of(job) == [(at + 1, "签约日期")]

    employers = table(exported(client, "matchmaking_employers"), "csv")
    at = next(n for n, row in enumerate(employers) if row[4] == "集成电路")
    employers[at][4] = "人工智能"
    job = imported(client, "matchmaking_employers", employers, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 3), job
    changed = client.get(f"{SESSIONS}/{ids['ministry']}").json()["employers"]
    assert {e["uscc"]: e["field"] for e in changed}[
        registered["chips"]
    ] == "artificial_intelligence"


def test_the_exports_are_within_the_readers_reach_and_the_lists_filters(
    anonymous, bearer, client, registered
):
    ids = summer(client, registered)
    tianjin = bearer("province", province="12")
    seen = table(exported(anonymous, "matchmaking_sessions", headers=tianjin), "csv")
    assert [row[0] for row in seen[1:]] == [MINISTRY]  # not Shandong's
    intents = table(exported(anonymous, "cooperation_intents", headers=tianjin), "csv")
    assert intents == [HEADERS["cooperation_intents"]]  # none of its universities'
    employers = table(exported(client, "matchmaking_employers", province="37"), "csv")
    assert [row[0] for row in employers[1:]] == [str(ids["shandong"])]
    june = {"from": "2023-06-01", "to": "2023-06-10"}
    assert len(table(exported(client, "matchmaking_sessions", **june), "csv")) == 2
    thu = table(exported(client, "cooperation_intents", university=THU), "csv")
    assert {row[3] for row in thu[1:]} == {THU} and len(thu) == 3


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_a_universitys_export_imports_back_unchanged(anonymous, bearer, client, registered, format):
    """北京大学's export holds the Ministry's session, which it may not change: sent back as
    it is, every row is present."""
    summer(client, registered)
    pku = bearer("university", university_code=f.PKU)
    before = state(anonymous, pku)
    for kind, rows in [
        ("matchmaking_sessions", 1),
        ("matchmaking_employers", 3),
        ("cooperation_intents", 2),
    ]:
        content = exported(anonymous, kind, format, pku)
        job = imported(anonymous, kind, content, f"{kind}.{format}", **pku)
        assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, rows)
    assert state(anonymous, pku) == before


# --- templates --------------------------------------------------------------------------------


def test_templates_have_the_headers_and_import_as_they_come(anonymous, bearer, client):
    f.created(client.post(f"{API}/universities", json=f.university(f.PKU, "北京大学", "11")))
    f.created(client.post(f"{API}/universities", json=f.university(THU, "清华大学", "11")))
    f.created(client.post(f"{API}/employers", json=f.employer("91110108MA01C6LR4W")))
    for kind, required in [
        ("matchmaking_sessions", {"活动名称", "活动形式", "举办日期", "主办单位"}),
        ("matchmaking_employers", {"活动系统编号", "活动名称", "统一社会信用代码"}),
        ("cooperation_intents", {"活动系统编号", "活动名称", "学校标识码", "统一社会信用代码", "合作类型"}),
    ]:  # fmt: skip
        header, shaded, content = _template(client, kind)
        assert (header, shaded) == ([h for h in HEADERS[kind] if h != "系统编号"], required)
        job = imported(client, kind, content)
        assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert figures(client) == {
        "sessions": 1,
        "universities": 2,
        "employers": 1,
        "fields": 1,
        "intents": 1,
        "intended": 0,
        "signed": 1,
        "landed": 0,
    }
    # A university's own 学校标识码 is its token's: not asked for.
    _, shaded, _ = _template(
        anonymous, "cooperation_intents", bearer("university", university_code=f.PKU)
    )
    assert "学校标识码" not in shaded


def test_the_key_field_column_of_a_template_drops_down_the_fifteen_fields(client):
    for kind in ["matchmaking_employers", "cooperation_intents"]:
        answer = client.get(f"{API}/imports/templates/{kind}.xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(answer.content))
        sheet, hidden = workbook.worksheets
        column = next(cell.column_letter for cell in sheet[1] if cell.value == "重点领域")
        listed = {
            str(validation.sqref).split(":")[0]: validation.formula1
            for validation in sheet.data_validations.dataValidation
        }
        letter = listed[f"{column}2"].split("!")[1].split(":")[0].strip("$0123456789")
        names = [cell.value for cell in hidden[letter] if cell.value]
        assert names[:2] == ["能源动力", "装备制造"] and len(names) == 15
