"""The ledgers of policy publicity out: measures and sessions exported with the import's Chinese
headers, as the lists select them (a measure's search `q` too; sessions within the reader's
reach), in .xlsx and CSV; sent back unchanged they change nothing (each record found by its
系统编号), whoever exported them; one cell edited changes that record alone, a row added is a
new one. Templates of both kinds, which import as they come."""

import pytest

from tests import factories as f
from tests.test_exports_policy import _template, table
from tests.test_imports_policy import errors_of, imported
from tests.test_imports_publicity import (
    COMMITTEES,
    ENSHI,
    HUBEI,
    MEASURE_HEADER,
    MEASURES,
    NATIONAL,
    SESSION_HEADER,
    SESSIONS,
    WUHAN,
    figures,
    listed,
    searched,
    texts,
)
from tests.test_publicity import WHU, held, register_whu

EXPORTS = {"policy_measures": f"{MEASURES}/export", "publicity_sessions": f"{SESSIONS}/export"}
HEADERS = {
    "policy_measures": [*MEASURE_HEADER, "系统编号"],
    "publicity_sessions": [*SESSION_HEADER, "系统编号"],
}


@pytest.fixture
def recorded(client) -> None:
    """Four measures (national, Hubei's, Wuhan's, Enshi's); the committees' three sessions,
    武汉大学's and Hubei's department's."""
    register_whu(client)
    imported(client, "policy_measures", [MEASURE_HEADER, NATIONAL, HUBEI, WUHAN, ENSHI])
    imported(client, "publicity_sessions", [SESSION_HEADER, *COMMITTEES])
    own = held(holder_kind="university", university_code=WHU, place="campus", audience=1200)
    f.created(client.post(SESSIONS, json=own))
    department = held(holder_kind="department", holder="湖北省教育厅", province="42")
    f.created(
        client.post(SESSIONS, json=department | {"title": "=就业政策进园区", "audience": 520})
    )


def exported(client, kind: str, format: str = "csv", headers: dict | None = None, **filters):
    answer = client.get(EXPORTS[kind], params={"format": format, **filters}, headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.content


def state(client) -> tuple:
    return listed(client, MEASURES), listed(client, SESSIONS), figures(client), texts(client)


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(client, recorded, format):
    before = state(client)
    for kind, rows in [("policy_measures", 4), ("publicity_sessions", 5)]:
        content = exported(client, kind, format)
        cells = table(content, format)
        assert (cells[0], len(cells) - 1) == (HEADERS[kind], rows)
        if format == "csv":  # as Excel saves it again on a Chinese Windows
            content = content.decode("utf-8-sig").encode("gb18030")
        job = imported(client, kind, content, f"{kind}.{format}")
        assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, rows)
    assert state(client) == before


def test_the_exports_hold_the_records_as_an_office_reads_them(client, recorded):
    measures = table(exported(client, "policy_measures"), "csv")
    wuhan = listed(client, MEASURES, city="420100")[0]
    assert [row for row in measures if row[0] == WUHAN[0]] == [
        ["武汉市吸纳就业补贴办法", "武汉市人力资源和社会保障局", "市级", "湖北省", "武汉市",
         "吸纳就业补贴", "1000", "每人", "2023-06-01", "", "", "", "", str(wuhan["id"])]
    ]  # fmt: skip
    sessions = table(exported(client, "publicity_sessions", place="park"), "csv")
    assert [row[:8] for row in sessions[1:]] == [
        ["2023-06-01", "高校毕业生就业创业政策宣讲", "全国普通高校毕业生就业创业指导委员会",
         "全国普通高校毕业生就业创业指导委员会", "", "", "进园区", "300"],
        ["2023-06-01", "'=就业政策进园区", "教育行政部门", "湖北省教育厅", "湖北省", "", "进园区",
         "520"],
    ]  # fmt: skip


def test_one_cell_edited_changes_that_record_and_a_row_added_is_new(client, recorded):
    measures = table(exported(client, "policy_measures"), "csv")
    at = next(n for n, row in enumerate(measures) if row[0] == ENSHI[0])
    measures[at][12] = "对吸纳高校毕业生就业的小微企业给予创业担保贷款贴息。"
    measures.append(["神农架林区就业补贴办法", "神农架林区人社局", "市级", "", "神农架林区",
                     "其他", "", "", "2023-07-01", "", "", "", "", ""])  # fmt: skip
    job = imported(client, "policy_measures", measures, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 2, 3), job
    assert searched(client, "贷款贴息") == [ENSHI[0]]
    assert texts(client, province="42")[-1] == (
        "湖北省收录省级和3个市(州)高校毕业生就业创业政策措施4条。"
    )

    sessions = table(exported(client, "publicity_sessions"), "csv")
    at = next(n for n, row in enumerate(sessions) if row[3] == "湖北省教育厅")
    sessions[at][7] = "620"
    job = imported(client, "publicity_sessions", sessions, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 4), job
    assert figures(client)["audience"] == 2320
    sessions[at][6] = "进礼堂"
    job = imported(client, "publicity_sessions", sessions, "错.csv")
    assert errors_of(job) == [(at + 1, "宣讲场所")]


def test_the_exports_are_the_lists_within_the_readers_reach(anonymous, bearer, client, recorded):
    hubei, whu = bearer("province", province="42"), bearer("university", university_code=WHU)
    # Every token reads every measure; a province sends them all back as they are.
    everything = exported(anonymous, "policy_measures", headers=hubei)
    assert len(table(everything, "csv")) == 5
    job = imported(anonymous, "policy_measures", everything, "全部.csv", **hubei)
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 4), job
    found = table(exported(client, "policy_measures", q="创业担保"), "csv")
    assert [row[0] for row in found[1:]] == [HUBEI[0]]
    cities = table(exported(client, "policy_measures", level="city", province="42"), "csv")
    assert [row[0] for row in cities[1:]] == [ENSHI[0], WUHAN[0]]
    # Sessions: the province's, for its department and its universities.
    for headers in (hubei, whu):
        own = exported(anonymous, "publicity_sessions", headers=headers)
        assert [row[3] for row in table(own, "csv")[1:]] == ["武汉大学", "湖北省教育厅"]
        job = imported(anonymous, "publicity_sessions", own, "本省.csv", **headers)
        assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, 2)
    june = table(exported(client, "publicity_sessions", **{"from": "2023-06-02"}), "csv")
    assert [row[0] for row in june[1:]] == ["2023-06-02", "2023-06-03"]


def test_templates_have_the_headers_and_import_as_they_come(anonymous, bearer, client):
    header, shaded, content = _template(client, "policy_measures")
    assert (header, shaded) == (
        MEASURE_HEADER,
        {"政策名称", "发布单位", "政策层级", "政策类别", "发布日期"},
    )
    job = imported(client, "policy_measures", content)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert [m["city_name"] for m in listed(client, MEASURES)] == ["武汉市"]
    header, shaded, content = _template(client, "publicity_sessions")
    assert (header, shaded) == (
        SESSION_HEADER,
        {"宣讲日期", "宣讲主题", "主办单位类型", "宣讲场所"},
    )
    hubei = bearer("province", province="42")
    job = imported(anonymous, "publicity_sessions", content, **hubei)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert figures(client)["audience"] == 520
