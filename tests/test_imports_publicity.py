"""The ledgers of policy publicity (政策宣传) imported as the other kinds are: the register of
measures (policy_measures) and the publicity sessions (publicity_sessions), from .xlsx written
by xlsxwriter and from CSV, with Chinese headers and labels, all or nothing; bad rows named by
row and column; who may send which rows (a province its own measures and its cities', and its
department's sessions; a university its own sessions, no measure). After an import the figures,
the bulletin's policy sentences (a kept bulletin too: an import moves the figures' epoch) and a
search of the measures are the new ones."""

import csv
import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.settings import get_settings
from tests import factories as f
from tests.test_imports import csv_bytes, send
from tests.test_imports_policy import errors_of, imported
from tests.test_publicity import WHU, held, measure, national_measure, register_whu

API = "/api/v1"
MEASURES, SESSIONS = f"{API}/policy-measures", f"{API}/publicity-sessions"
FIGURES, BULLETIN = f"{API}/stats/policy-publicity", f"{API}/reports/bulletin"
SPRINT = {"from": "2023-05-01", "to": "2023-08-31"}
MEASURE_HEADER = ["政策名称", "发布单位", "政策层级", "省份", "城市", "政策类别", "补贴金额",
                  "金额单位", "发布日期", "生效日期", "失效日期", "政策链接", "政策摘要"]  # fmt: skip
SESSION_HEADER = ["宣讲日期", "宣讲主题", "主办单位类型", "主办单位", "省份", "学校标识码",
                  "宣讲场所", "受众人数"]  # fmt: skip
LOAN = "小微企业新招用符合条件人员达到一定比例的，可申请最高500万元的创业担保贷款。"
# A national measure, Hubei's own, Wuhan's (by its short name) and Enshi's (codes, and the
# enumerations' codes), as an office's ledger holds them.
NATIONAL = ["关于延续实施一次性扩岗补助政策有关工作的通知", "人力资源社会保障部办公厅", "国家", "",
            "", "扩岗补助", 1500, "每人", "2023-05-10", "", "", "https://www.mohrss.gov.cn/1.html",
            "企业招用毕业生的按每人1500元发放一次性扩岗补助。"]  # fmt: skip
HUBEI = ["湖北省创业担保贷款实施办法", "湖北省人力资源和社会保障厅", "省级", "湖北省", "",
         "创业担保贷款", 5000000, "每户", "2023-05-18", "", "2025-12-31", "", LOAN]  # fmt: skip
WUHAN = ["武汉市吸纳就业补贴办法", "武汉市人力资源和社会保障局", "市级", "", "武汉", "吸纳就业补贴",
         1000, "每人", "2023-06-01", "", "", "", ""]  # fmt: skip
ENSHI = ["恩施州吸纳就业补贴办法", "恩施州人力资源和社会保障局", "city", "42", "422800", "hiring",
         "", "", "2023-06-15", "2023-07-01", "", "", ""]  # fmt: skip
COMMITTEES = [
    ["2023-06-01", "高校毕业生就业创业政策宣讲", "全国普通高校毕业生就业创业指导委员会", "", "",
     "", "进园区", 300],
    ["2023-06-02", "交通运输行业政策宣讲", "行业就指委", "交通运输行业高校毕业生就业创业指导委员会",
     "", "", "进企业", 120],
    ["2023-06-03", "金融行业政策宣讲", "industry_committee", "金融行业高校毕业生就业创业指导委员会",
     "", "", "community", 80],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


def figures(client, **params) -> dict:
    return client.get(FIGURES, params={**SPRINT, **params}).json()["figures"]


def texts(client, **params) -> list[str]:
    asked = {**SPRINT, "section": "policy", **params}
    return [sentence["text"] for sentence in client.get(BULLETIN, params=asked).json()["sentences"]]


def searched(client, q: str) -> list[str]:
    return [m["title"] for m in client.get(MEASURES, params={"q": q}).json()["items"]]


def listed(client, path: str, **params) -> list[dict]:
    return client.get(path, params={"limit": 100, **params}).json()["items"]


# --- measures ---------------------------------------------------------------------------------


def test_measures_from_xlsx_move_the_figures_the_kept_bulletin_and_the_search(client, session):
    assert texts(client) == []  # kept, until the figures' epoch moves
    job = imported(client, "policy_measures", [MEASURE_HEADER, NATIONAL, HUBEI, WUHAN, ENSHI])
    assert (job["status"], job["rows_read"], job["rows_written"]) == ("succeeded", 4, 4), job
    assert figures(client) == {
        "measures": 4, "national_measures": 1, "province_measures": 1, "city_measures": 2,
        "provinces": 1, "cities": 2, "sessions": 0, "audience": 0,
    }  # fmt: skip
    assert texts(client) == ["汇集发布1个省份及2个地市级单位高校毕业生就业创业政策措施3条。"]
    assert texts(client, province="42") == [
        "湖北省收录省级和2个市(州)高校毕业生就业创业政策措施3条。"
    ]
    assert searched(client, "500万元") == ["湖北省创业担保贷款实施办法"]
    assert searched(client, "吸纳就业") == ["恩施州吸纳就业补贴办法", "武汉市吸纳就业补贴办法"]
    wuhan = listed(client, MEASURES, city="420100")
    assert [(m["province"], m["city_name"], m["amount"], m["amount_unit"]) for m in wuhan] == [
        ("42", "武汉市", 1000, "每人")
    ]
    enshi = listed(client, MEASURES, city="422800")[0]
    assert (enshi["category"], enshi["effective_from"], enshi["amount"]) == (
        "hiring",
        "2023-07-01",
        None,
    )
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert (entry.resource_id, entry.detail) == (str(job["id"]), "policy_measures: 台账.xlsx")


def test_a_measure_sent_again_is_present_or_updated_by_its_issuer_and_title(client):
    imported(client, "policy_measures", [MEASURE_HEADER, NATIONAL, HUBEI, WUHAN, ENSHI])
    again = [MEASURE_HEADER, NATIONAL, HUBEI, WUHAN, ENSHI]
    job = imported(client, "policy_measures", again, "又.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 4), job
    changed = [*WUHAN[:6], 1200, *WUHAN[7:10], "2024-12-31", *WUHAN[11:]]
    job = imported(client, "policy_measures", [MEASURE_HEADER, changed, ENSHI], "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    wuhan = listed(client, MEASURES, city="420100")
    assert [(m["amount"], m["effective_to"]) for m in wuhan] == [(1200, "2024-12-31")]
    assert f.total(client, MEASURES) == 4
    assert figures(client, **{"from": "2025-01-01", "to": "2025-01-31"})["city_measures"] == 1


def test_bad_measure_rows_are_named_by_row_and_column(client):
    taken = f.created(client.post(MEASURES, json=measure()))
    f.created(client.post(MEASURES, json=measure("湖北省就业见习补贴办法", category="traineeship")))
    rows = [
        ["甲", "某厅", "部级", "", "", "其他", "", "", "2023-05-01", "", "", "", ""],  # 2: level
        ["乙", "某厅", "国家", "湖北省", "", "其他", "", "", "2023-05-01", "", "", "", ""],  # 3
        ["丙", "某局", "市级", "湖北省", "", "其他", "", "", "2023-05-01", "", "", "", ""],  # 4
        ["丁", "某局", "市级", "", "不存在市", "其他", "", "", "2023-05-01", "", "", "", ""],  # 5
        ["戊", "某局", "市级", "陕西省", "武汉市", "其他", "", "", "2023-05-01", "", "", "", ""],  # 6
        ["己", "某厅", "省级", "湖北省", "", "其他", "", "", "2023-05-01", "2023-06-01",
         "2023-05-31", "", ""],  # 7: expires before it takes effect
        ["庚", "某厅", "省级", "湖北省", "", "其他", -1, "", "2023-05-01", "", "", "", ""],  # 8
        ["辛", "某厅", "省级", "湖北省", "", "其他", "", "", "2023-05-01", "", "", "ftp://x", ""],
        ["壬", "某厅", "省级", "", "", "其他", "", "", "2023-05-01", "", "", "", ""],  # 10
        ["癸", "某厅", "省级", "湖北省", "", "其他", "", "", "2023-05-01", "", "", "", ""],
        ["癸", "某厅", "省级", "湖北省", "", "其他", 1, "", "2023-05-01", "", "", "", ""],  # 12
        ["子", "某厅", "省级", "湖北省", "武汉市", "其他", "", "", "2023-05-01", "", "", "", ""],
    ]  # fmt: skip
    header = [*MEASURE_HEADER, "系统编号"]
    renamed = [*measure("湖北省就业见习补贴办法").values()]  # 15: onto another's title
    rows += [
        ["丑", "某厅", "省级", "湖北省", "", "其他", "", "", "2023-05-01", "", "", "", "", 999],
        [renamed[0], renamed[1], "省级", "湖北省", "", "创业担保贷款", "", "", "2023-05-18", "",
         "", "", "", taken["id"]],
    ]  # fmt: skip
    rows = [row if len(row) == len(header) else [*row, ""] for row in rows]
    job = imported(client, "policy_measures", [header, *rows], "错.csv")
    assert errors_of(job) == [
        (2, "政策层级"), (3, "省份"), (4, "城市"), (5, "城市"), (6, "城市"), (7, "失效日期"),
        (8, "补贴金额"), (9, "政策链接"), (10, "省份"), (12, "政策名称"), (13, "城市"),
        (14, "系统编号"), (15, "政策名称"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[3] == "省份与政策层级不符：国家政策不填省份"
    assert reasons[6] == "城市“武汉市”不在陕西省（城市所在的省份是湖北省）"
    assert reasons[10] == "省份不能为空：省级政策须填写省份"
    assert reasons[12] == "政策名称“癸”：与第 11 行是同一条记录，在文件中重复出现"
    assert reasons[15] == (
        "政策名称“湖北省就业见习补贴办法”：湖北省人力资源和社会保障厅已有同名政策（系统编号 "
        f"{taken['id'] + 1}）"
    )
    assert f.total(client, MEASURES) == 2
    # The error sheet marks the same rows, checked again.
    sheet = client.get(job["errors_url"])
    assert sheet.status_code == 200, sheet.text
    marked = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"), newline="")))
    assert [n for n, row in enumerate(marked, start=1) if row[-1]] == [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15,
    ]  # fmt: skip
    # A ledger without 政策名称 is refused at once.
    refused = send(client, "policy_measures", csv_bytes([MEASURE_HEADER[1:], NATIONAL[1:]]))
    assert f.assert_problem(refused, 422, "file")["reason"] == "缺少必填列：政策名称"


def test_a_province_imports_its_own_measures_and_its_cities(anonymous, bearer, client):
    national = f.created(client.post(MEASURES, json=national_measure()))
    hubei = bearer("province", province="42")
    own = [*HUBEI[:3], "", *HUBEI[4:]]  # 省份 left blank: its own
    rows = [
        own,
        WUHAN,
        ["关于做好高校毕业生就业工作的通知", *NATIONAL[1:]],  # 4: a new national measure
        ["陕西省创业孵化项目补贴办法", "陕西省人社厅", "省级", "陕西省", "", "创业孵化补贴", "", "",
         "2023-05-01", "", "", "", ""],  # 5: another province
        ["西安市补贴办法", "西安市人社局", "市级", "", "610100", "其他", "", "", "2023-05-01", "",
         "", "", ""],  # 6: another province's city
    ]  # fmt: skip
    job = imported(anonymous, "policy_measures", [MEASURE_HEADER, *rows], **hubei)
    assert errors_of(job) == [(4, "政策层级"), (5, "省份"), (6, "城市")]
    assert job["errors"][0]["reason"] == (
        "政策层级“国家”：国家政策由教育部录入，省级教育行政部门只能导入本省及其城市的政策"
    )
    assert job["errors"][2]["reason"] == "城市“西安市”不是本省的城市：只能导入本省及其城市的政策"
    job = imported(anonymous, "policy_measures", [MEASURE_HEADER, *rows[:2]], **hubei)
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    assert [m["province"] for m in listed(client, MEASURES, level="province")] == ["42"]
    # The Ministry's measure as it is: present; changed: a bad row.
    header = [*MEASURE_HEADER, "系统编号"]
    same = [national["title"], national["issuer"], "国家", "", "", "扩岗补助", "", "",
            "2023-05-18", "", "", "", "", national["id"]]  # fmt: skip
    job = imported(anonymous, "policy_measures", [header, same], "同.csv", **hubei)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 1), job
    job = imported(anonymous, "policy_measures", [header, [*same[:6], 9, *same[7:]]], **hubei)
    assert errors_of(job) == [(2, "系统编号")]
    assert job["errors"][0]["reason"] == (
        f"系统编号“{national['id']}”是教育部的记录，本账号只能原样导入、不能修改（与已有不同：补贴金额）"
    )


def test_a_university_may_not_import_measures(anonymous, bearer, client):
    register_whu(client)
    whu = bearer("university", university_code=WHU)
    refused = send(anonymous, "policy_measures", csv_bytes([MEASURE_HEADER]), headers=whu)
    f.assert_problem(refused, 403, "kind")


# --- sessions ---------------------------------------------------------------------------------


def test_sessions_from_a_gb18030_csv_move_the_figures_and_the_bulletin(client):
    assert texts(client) == []
    job = imported(client, "publicity_sessions", [SESSION_HEADER, *COMMITTEES], "宣讲.csv")
    assert (job["status"], job["rows_written"]) == ("succeeded", 3), job
    counted = figures(client)
    assert (counted["sessions"], counted["audience"], counted["measures"]) == (3, 500, 0)
    assert texts(client) == [
        "部署全国普通高校毕业生就业创业指导委员会和2个行业就指委进园区、进企业、进社区，"
        "共计宣讲政策3次。"
    ]
    shown = listed(client, SESSIONS)
    assert (shown[0]["holder_kind"], shown[0]["holder"], shown[0]["place"]) == (
        "national_committee",
        "全国普通高校毕业生就业创业指导委员会",
        "park",
    )


def test_a_session_is_found_by_all_it_is_but_its_audience(client):
    imported(client, "publicity_sessions", [SESSION_HEADER, *COMMITTEES])
    more = [*COMMITTEES[1][:7], 150]
    job = imported(client, "publicity_sessions", [SESSION_HEADER, *COMMITTEES[:1], more], "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    assert [s["audience"] for s in listed(client, SESSIONS)] == [300, 150, 80]
    assert figures(client)["audience"] == 530
    # Another place is another session; two alike already: give the 系统编号.
    elsewhere = [*COMMITTEES[0][:6], "进社区", 50]
    job = imported(client, "publicity_sessions", [SESSION_HEADER, elsewhere])
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    twin = f.created(client.post(SESSIONS, json=held()))
    job = imported(client, "publicity_sessions", [SESSION_HEADER, COMMITTEES[0]], "再.csv")
    assert errors_of(job) == [(2, "宣讲主题")]
    first = listed(client, SESSIONS)[0]["id"]
    assert job["errors"][0]["reason"] == (
        "宣讲主题“高校毕业生就业创业政策宣讲”：同一天同一主办单位在同一场所有2场同名宣讲（系统编号 "
        f"{first}、{twin['id']}），请填写系统编号"
    )


def test_bad_session_rows_are_named_by_row_and_column(client):
    register_whu(client)
    rows = [
        ["2023-06-01", "宣讲", "高校", "", "", "", "进高校", 10],  # 2: no university
        ["2023-06-01", "宣讲", "高校", "", "", "4142019999", "进高校", 10],  # 3: unregistered
        ["2023-06-01", "宣讲", "教育行政部门", "湖北省教育厅", "", WHU, "进园区", 10],  # 4
        ["2023-06-01", "宣讲", "行业就指委", "某行指委", "湖北省", "", "进园区", 10],  # 5
        ["2023-06-01", "宣讲", "教育行政部门", "", "湖北省", "", "进园区", 10],  # 6: holder
        ["2023-06-01", "宣讲", "高校", "", "陕西省", WHU, "进高校", 10],  # 7: WHU is Hubei's
        ["2023-06-01", "宣讲", "高校", "", "", WHU, "进礼堂", 10],  # 8: place
        ["2023-06-01", "宣讲", "高校", "", "", WHU, "进高校", -5],  # 9: audience
        ["2023-13-01", "宣讲", "高校", "", "", WHU, "进高校", 5],  # 10: day
        ["2023-06-02", "宣讲", "高校", "", "", WHU, "进高校", 5],
        ["2023-06-02", "宣讲", "高校", "武汉大学", "湖北省", WHU, "campus", 6],  # 12: row 11
    ]
    job = imported(client, "publicity_sessions", [SESSION_HEADER, *rows], "错.csv")
    assert errors_of(job) == [
        (2, "学校标识码"), (3, "学校标识码"), (4, "主办单位类型"), (5, "省份"), (6, "主办单位"),
        (7, "省份"), (8, "宣讲场所"), (9, "受众人数"), (10, "宣讲日期"), (12, "宣讲主题"),
    ]  # fmt: skip
    reasons = {error["row"]: error["reason"] for error in job["errors"]}
    assert reasons[2] == "学校标识码不能为空：高校举办的宣讲须填写学校标识码"
    assert reasons[3] == "学校标识码“4142019999”不存在，请先登记该高校"
    assert reasons[5] == "省份“湖北省”：委员会举办的宣讲是全国性的，省份请留空"
    assert reasons[7] == "省份“陕西省”与学校标识码不符（高校的宣讲在其所在省份，可留空）"
    assert f.total(client, SESSIONS) == 0


def test_a_university_and_a_province_import_their_own_sessions(anonymous, bearer, client):
    register_whu(client)
    f.created(client.post(f"{API}/universities", json=f.university(f.PKU)))
    national = f.created(client.post(SESSIONS, json=held()))
    whu, hubei = bearer("university", university_code=WHU), bearer("province", province="42")
    header = [*SESSION_HEADER, "系统编号"]
    own = ["2023-06-05", "就业政策进校园", "高校", "", "", "", "进高校", 900, ""]
    rows = [
        own,
        ["2023-06-05", "就业政策进校园", "高校", "", "", f.PKU, "进高校", 900, ""],  # 3
        ["2023-06-06", "就业政策宣讲", "教育行政部门", "武汉大学", "", "", "进社区", 9, ""],  # 4
        ["2023-06-01", *COMMITTEES[0][1:], national["id"]],  # 5: not Hubei's: unknown
    ]
    job = imported(anonymous, "publicity_sessions", [header, *rows], **whu)
    assert errors_of(job) == [(3, "学校标识码"), (4, "主办单位类型"), (5, "系统编号")]
    assert job["errors"][0]["reason"] == (
        "学校标识码“4111010001”不是本账号的：高校只能导入本校的宣讲，省级教育行政部门只能导入本部门"
        "的宣讲（请留空）"
    )
    job = imported(anonymous, "publicity_sessions", [header, own], **whu)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    department = ["2023-06-07", "就业政策进园区", "教育行政部门", "湖北省教育厅", "", "", "进园区",
                  520, ""]  # fmt: skip
    rows = [
        department,
        ["2023-06-07", "就业政策宣讲", "教育行政部门", "陕西省教育厅", "陕西省", "", "进园区", 1, ""],
        ["2023-06-05", "就业政策进校园", "高校", "武汉大学", "湖北省", WHU, "进高校", 901, ""],
    ]  # fmt: skip
    job = imported(anonymous, "publicity_sessions", [header, *rows], **hubei)
    assert errors_of(job) == [(3, "省份"), (4, "系统编号")]
    whus = client.get(SESSIONS, params={"university_code": WHU}).json()["items"][0]["id"]
    assert job["errors"][1]["reason"] == (
        f"系统编号“{whus}”是高校{WHU}的记录，本账号只能原样导入、不能修改（与已有不同：受众人数）"
    )
    same = [*rows[2][:7], 900, ""]
    job = imported(anonymous, "publicity_sessions", [header, department, same], **hubei)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 1), job
    shown = client.get(SESSIONS, params={"province": "42"}).json()["items"]
    assert [(s["holder"], s["province"], s["audience"]) for s in shown] == [
        ("武汉大学", "42", 900),
        ("湖北省教育厅", "42", 520),
    ]
