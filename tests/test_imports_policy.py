"""The ledgers of policy positions (政策性岗位) imported as the other kinds are: quotas
(policy_quotas) and the recruitment's progress (policy_progress), from .xlsx written by
xlsxwriter and from CSV, with Chinese headers and labels, all or nothing; bad rows named by row
and column; who may send which rows (a province its own programmes' quotas and its province's
progress, a university neither). After an import the figures and the bulletin's policy
sentences are the new ones, a kept bulletin too: an import moves the figures' epoch."""

import csv
import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.settings import get_settings
from tests import factories as f
from tests.test_imports import csv_bytes, send, xlsx_bytes
from tests.test_policy import TIANJIN_2022, TIANJIN_2023, progress, quota

API = "/api/v1"
QUOTAS, PROGRAMS = f"{API}/policy-quotas", f"{API}/policy-programs"
FIGURES, BULLETIN = f"{API}/stats/policy-positions", f"{API}/reports/bulletin"
QUOTA_HEADER = ["项目代码", "项目名称", "省份", "年度", "岗位数"]
PROGRESS_HEADER = ["项目代码", "项目名称", "省份", "年度", "招录阶段", "统计日期", "人数"]
NAMES = {"special_post_teacher": "特岗计划", "three_supports": "三支一扶", "western_volunteer": "西部计划",
         "community": "城乡社区专项计划", "rural_doctor": "大学生乡村医生专项计划"}  # fmt: skip
FUJIAN_OWN = {"code": "fj_grassroots", "name": "城乡基层就业岗位募集", "ministry": "福建省人社厅"}
POLICY = {"to": "2023-08-31", "province": "12", "section": "policy"}


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


def tianjin_rows() -> list[list]:
    """Tianjin's quotas: 2023's by 项目代码 and province name, 2022's by 项目名称 and code."""
    rows = [[code, "", "天津市", 2023, n] for code, n in TIANJIN_2023.items()]
    return rows + [["", NAMES[code], "12", 2022, n] for code, n in TIANJIN_2022.items()]


def imported(client, kind: str, ledger, name: str = "台账.xlsx", **headers) -> dict:
    """The ended job of `ledger` (a file's bytes, or its rows written as `name` says: .xlsx,
    or CSV in GB18030) sent by `headers`' token."""
    if isinstance(ledger, bytes):
        content = ledger
    elif name.endswith(".xlsx"):
        content = xlsx_bytes(ledger)
    else:
        content = csv_bytes(ledger, "gb18030")
    answer = send(client, kind, content, name, headers=headers)
    assert answer.status_code == 202, answer.text
    job = client.get(f"{API}/imports/{answer.json()['id']}", headers=headers).json()
    assert job["status"] != "running"
    return job


def errors_of(job: dict) -> list[tuple[int, str]]:
    assert (job["status"], job["rows_written"]) == ("rejected", 0), job
    return [(error["row"], error["column"]) for error in job["errors"]]


def figures(client, **params) -> dict:
    asked = {"year": 2023, "as_of": "2023-08-31", "province": "12", **params}
    return client.get(FIGURES, params=asked).json()["figures"]


def texts(client) -> list[str]:
    return [
        sentence["text"] for sentence in client.get(BULLETIN, params=POLICY).json()["sentences"]
    ]


# --- quotas -----------------------------------------------------------------------------------


def test_quotas_from_xlsx_move_the_figures_and_the_kept_bulletin(client, session):
    assert texts(client) == []  # kept, until the figures' epoch moves
    job = imported(client, "policy_quotas", [QUOTA_HEADER, *tianjin_rows()])
    assert (job["status"], job["rows_read"], job["rows_written"]) == ("succeeded", 10, 10), job
    kept = figures(client)
    assert (kept["offered"], kept["offered_last_year"], kept["change_percent"]) == (
        16800,
        15231,
        10.3,
    )
    assert texts(client)[:2] == [
        "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。",
        "其中，特岗计划4200个，三支一扶5100个，西部计划2300个，城乡社区专项计划3800个，"
        "大学生乡村医生专项计划1400个。",
    ]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert (entry.resource_id, entry.detail) == (str(job["id"]), "policy_quotas: 台账.xlsx")


def test_a_quota_sent_again_is_updated_where_it_differs(client):
    imported(client, "policy_quotas", [QUOTA_HEADER, *tianjin_rows()])
    assert texts(client)[0] == "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。"
    rows = [
        ["community", "城乡社区专项计划", "12", 2023, 4600],
        ["rural_doctor", "", "天津", 2023, 1400],
    ]
    job = imported(client, "policy_quotas", [QUOTA_HEADER, *rows], "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    listed = client.get(QUOTAS, params={"year": 2023, "program": "community"}).json()["items"]
    assert [(q["province"], q["positions"]) for q in listed] == [("12", 4600)]
    assert f.total(client, QUOTAS) == 10
    assert texts(client)[0] == "天津市面向毕业生提供1.76万个政策性岗位，较去年增长15.6%。"


def test_bad_quota_rows_are_named_by_row_and_column(anonymous, bearer, client):
    f.created(anonymous.post(PROGRAMS, json=FUJIAN_OWN, headers=bearer("province", province="35")))
    rows = [
        ["no_such", "", "12", 2023, 1],  # 2: no such programme
        ["three_supports", "特岗计划", "12", 2023, 1],  # 3: two programmes
        ["", "", "12", 2023, 1],  # 4: none
        ["community", "", "12", 1999, 1],  # 5: year
        ["community", "", "12", 2024, -1],  # 6: positions
        ["community", "", "", 2025, 1],  # 7: national staff name the province
        ["rural_doctor", "", "12", 2023, 1],
        ["", "大学生乡村医生专项计划", "天津市", 2023, 2],  # 9: the quota of row 8 again
        ["fj_grassroots", "", "12", 2023, 1],  # 10: Fujian's own programme
        ["", "没有这个项目", "12", 2023, 1],  # 11
    ]
    job = imported(client, "policy_quotas", [QUOTA_HEADER, *rows], "错.csv")
    assert errors_of(job) == [
        (2, "项目代码"), (3, "项目名称"), (4, "项目代码"), (5, "年度"), (6, "岗位数"), (7, "省份"),
        (9, "项目名称"), (10, "项目代码"), (11, "项目名称"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert (
        reasons[9]
        == "项目名称“大学生乡村医生专项计划”：天津市2023年的岗位数在文件中重复出现（与第 8 行）"
    )
    assert reasons[10] == "项目代码“fj_grassroots”是福建省的自有项目，不能用于其他省份"
    assert f.total(client, QUOTAS) == 0
    # The error sheet marks the same rows, checked again.
    sheet = client.get(job["errors_url"])
    assert sheet.status_code == 200, sheet.text
    marked = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"), newline="")))
    assert [n for n, row in enumerate(marked, start=1) if row[-1]] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        9,
        10,
        11,
    ]
    # A ledger of national staff without 省份 is refused at once.
    table = [["项目名称", "年度", "岗位数"], ["三支一扶", 2023, 1]]
    refused = send(client, "policy_quotas", csv_bytes(table))
    assert f.assert_problem(refused, 422, "file")["reason"] == "缺少必填列：省份"


# --- progress ---------------------------------------------------------------------------------


def test_progress_from_a_gb18030_csv_by_labels_or_codes(client):
    imported(client, "policy_quotas", [QUOTA_HEADER, *tianjin_rows()])
    assert len(texts(client)) == 2  # nobody admitted yet: no third sentence
    rows = [
        ["three_supports", "", "天津市", 2023, "发布岗位", "2023-05-01", 5100],
        ["three_supports", "", "天津市", 2023, "applied", "2023-05-20", 20400],
        ["three_supports", "三支一扶", "天津市", 2023, "录用", "2023-06-30", 3000],
        ["three_supports", "", "12", 2023, "admitted", "2023-07-31", 4500],
        ["", "城乡社区专项计划", "12", 2023, "录用", "2023-07-15", 2000],
        ["community", "", "12", 2023, "到岗", "2023-08-01", 1500],
        ["community", "", "12", 2023, "到岗", "2023-09-01", 3000],  # after the day asked
    ]
    job = imported(client, "policy_progress", [PROGRESS_HEADER, *rows], "进度.csv")
    assert (job["status"], job["rows_written"]) == ("succeeded", 7), job
    assert figures(client) == {
        "offered": 16800,
        "offered_last_year": 15231,
        "change_percent": 10.3,
        "announced": 5100,
        "applied": 20400,
        "filled": 6500,
        "on_duty": 1500,
        "fill_rate": 38.7,
    }
    assert texts(client)[2] == "截至8月31日，已录用6500人，招录完成率38.7%。"
    stages = client.get(QUOTAS, params={"year": 2023, "program": "three_supports"}).json()
    shown = stages["items"][0]["progress"]
    assert [(p["stage"], p["as_of"], p["people"]) for p in shown][-1] == (
        "admitted",
        "2023-07-31",
        4500,
    )


def test_a_count_already_recorded_is_present_or_a_bad_row(client):
    made = f.created(client.post(QUOTAS, json=quota(positions=5100)))
    url = f"{QUOTAS}/{made['id']}/progress"
    f.created(client.post(url, json=progress("admitted", "2023-07-31", 4500)))
    same = [["three_supports", "", "12", 2023, "录用", "2023-07-31", 4500]]
    job = imported(client, "policy_progress", [PROGRESS_HEADER, *same])
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 1), job
    rows = [
        ["three_supports", "", "12", 2023, "录用", "2023-07-31", 4600],  # 2: counted otherwise
        ["three_supports", "", "12", 2023, "hired", "2023-08-01", 1],  # 3: no such stage
        ["community", "", "12", 2023, "录用", "2023-08-01", 1],  # 4: no quota
        ["three_supports", "", "12", 2023, "录用", "2023-13-01", 1],  # 5: no such day
        ["three_supports", "", "12", 2023, "录用", "2023-08-01", "许多"],  # 6: people
        ["three_supports", "", "12", 2023, "到岗", "2023-08-01", 100],
        ["", "三支一扶", "天津市", 2023, "on_duty", "2023-08-01", 100],  # 8: row 7 again
        ["three_supports", "", "12", 2023, "录用", "2023-08-31", 4800],
    ]
    job = imported(client, "policy_progress", [PROGRESS_HEADER, *rows])
    assert errors_of(job) == [
        (2, "人数"), (3, "招录阶段"), (4, "项目代码"), (5, "统计日期"), (6, "人数"), (8, "统计日期"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[2] == (
        "人数与已有统计不符：2023-07-31的录用人数已记为4500（每个阶段每天一个数，更正请先删除原统计）"
    )
    assert reasons[4] == "项目代码“community”在天津市2023年没有岗位数记录，请先导入或录入岗位数"
    assert len(client.get(f"{QUOTAS}/{made['id']}").json()["progress"]) == 1


# --- who sends what ---------------------------------------------------------------------------


def test_a_province_imports_its_own_programmes_quotas_and_its_provinces_progress(
    anonymous, bearer, client
):
    fujian = bearer("province", province="35")
    f.created(anonymous.post(PROGRAMS, json=FUJIAN_OWN, headers=fujian))
    f.created(client.post(QUOTAS, json=quota(province="35", positions=2000)))
    rows = [
        ["fj_grassroots", "", "", 2023, 3000],  # its own province, left blank
        ["", "城乡基层就业岗位募集", "福建省", 2022, 2800],
        ["three_supports", "", "", 2023, 2100],  # 4: a national programme's quota
        ["fj_grassroots", "", "天津市", 2023, 5],  # 5: another province
    ]
    job = imported(anonymous, "policy_quotas", [QUOTA_HEADER, *rows], **fujian)
    assert errors_of(job) == [(4, "项目代码"), (5, "省份")]
    assert "全国性项目" in job["errors"][0]["reason"]
    job = imported(anonymous, "policy_quotas", [QUOTA_HEADER, *rows[:2]], **fujian)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job

    counts = [
        ["three_supports", "", "", 2023, "录用", "2023-07-01", 1500],  # a national programme's
        ["fj_grassroots", "", "35", 2023, "录用", "2023-07-01", 2400],
        ["three_supports", "", "12", 2023, "录用", "2023-07-01", 1],  # 4: another province
    ]
    job = imported(anonymous, "policy_progress", [PROGRESS_HEADER, *counts], **fujian)
    assert errors_of(job) == [(4, "省份")]
    job = imported(anonymous, "policy_progress", [PROGRESS_HEADER, *counts[:2]], **fujian)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    answer = anonymous.get(FIGURES, params={"year": 2023, "as_of": "2023-12-31"}, headers=fujian)
    kept = answer.json()["figures"]
    assert (kept["offered"], kept["offered_last_year"], kept["filled"]) == (5000, 2800, 3900)


@pytest.mark.parametrize("kind", ["policy_quotas", "policy_progress"])
def test_a_university_may_not_import_policy_ledgers(anonymous, bearer, client, kind):
    f.created(client.post(f"{API}/universities", json=f.university("4112010056", "天津大学", "12")))
    tju = bearer("university", university_code="4112010056")
    header = QUOTA_HEADER if kind == "policy_quotas" else PROGRESS_HEADER
    refused = send(anonymous, kind, csv_bytes([header]), headers=tju)
    f.assert_problem(refused, 403, "kind")
