"""Export, then import the same file: nothing changes, for every kind, in .xlsx and CSV, for
records with a 台账编号 and without. Each export names its records by id (系统编号, last
column), so the import updates each record in place, or counts it present; one cell edited
changes exactly that record. An id that is unknown, outside the sender's reach or given twice
is a bad row, as is an update the service would refuse."""

import copy
import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.settings import get_settings
from tests import factories as f
from tests.test_imports import finished, send

PKU, SYSU = f.PKU, f.SYSU
COLLEGE = "4131010003"  # a third university, of Shanghai
USCC = [f.make_uscc(8100 + n, province) for n, province in enumerate(["11", "11", "44", "31"])]
API = "/api/v1"
LISTS = ("universities", "employers", "visits", "events", "vacancies")
EXPORTS = {
    "universities": f"{API}/universities/export",
    "employers": f"{API}/employers/export",
    "visits": f"{API}/visits/export",
    "events": f"{API}/events/export",
    "event_participants": f"{API}/events/participants/export",
    "vacancies": f"{API}/vacancies/export",
}
KINDS = tuple(EXPORTS)
FORMATS = ("xlsx", "csv")
# Text an office's ledger holds, and a spreadsheet could mistake: formulas, apostrophes,
# blanks around it, lines, Chinese.
TRICKY = [
    "'=abc",
    "=SUM(A1:A9)",
    "+86 热线",
    "-5",
    "@某人",
    "''两个单引号",
    "'单引号开头",
    "第一行\n第二行",
    "  前后有空格  ",
    "中文、顿号，逗号；分号",
    "_x000D_ 不是回车",
]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")
    monkeypatch.setattr(get_settings(), "rate_limit_per_minute", 100_000)


def post(client, path: str, body: dict) -> dict:
    return f.created(client.post(f"{API}/{path}", json=body))


@pytest.fixture
def records(client) -> dict:
    """Records of every kind made through the API, most without a 台账编号, holding what a
    ledger finds hard to keep: formula starts, apostrophes, lines, lists, empty fields."""
    post(client, "universities", f.university(PKU, "北京大学", "11"))
    post(client, "universities", f.university(SYSU, "中山大学", "44"))
    post(client, "universities", f.university(COLLEGE, "'=上海示例学院", "31"))
    post(client, "employers", f.employer(USCC[0], ownership="private", size="medium"))
    post(client, "employers", f.employer(USCC[1], name='=HYPERLINK("x") 公司', industry="C"))
    post(client, "employers", f.employer(USCC[2], province="44", ownership="state"))
    post(client, "employers", f.employer(USCC[3], province="31", name="'上海某公司"))
    majors = [
        ["计算机科学与技术", "软件工程"],
        ["中国语言文学（汉语言、汉语国际教育）"],
        [],
        ["数学", "统计学, 应用统计"],
    ]
    visits = []
    for n, notes in enumerate([*TRICKY, None, ""]):
        body = f.visit(
            [PKU, SYSU][n % 2],
            USCC[n % 3],
            visit_date=f"2023-05-{1 + n:02d}",
            positions_opened=n,
            majors=majors[n % 4],
            notes=notes,
            leader_level=["leader", None][n % 2],
            external_ref=f"V-{n}" if n % 4 == 0 else None,
        )
        visits.append(post(client, "visits", body))
    events = []
    for n, title in enumerate(["春季双选会", *TRICKY[:6]]):
        body = f.event(
            title=title,
            kind=["job_fair", "info_session", "livestream"][n % 3],
            mode=["onsite", "online", "hybrid"][n % 3],
            province=["11", "44", "44"][n % 3],
            university_code=[PKU, SYSU, None][n % 3],
            organizer_name=[None, "学生就业指导服务中心", "'=主办方"][n % 3],
            industry=["I", None][n % 2],
            attendance=100 * n,
            participants=USCC[: n % 4],
            external_ref=f"HD-{n}" if n % 3 == 0 else None,
        )
        events.append(post(client, "events", body))
    vacancies = []
    for n, title in enumerate(["软件开发工程师", *TRICKY[:6]]):
        body = f.vacancy(
            USCC[n % 4],
            title=title,
            headcount=1 + n,
            posted_date=f"2023-06-{1 + n:02d}",
            source=["direct", "platform"][n % 2],
            university_code=[PKU, None, SYSU][n % 3],
            education=["any", "bachelor", "master"][n % 3],
            majors=majors[n % 4],
            work_province=["31", None][n % 2],
            policy_program=[None, "three_supports"][n % 2],
            external_ref=f"GW-{n}" if n % 3 == 0 else None,
        )
        vacancies.append(post(client, "vacancies", body))
    # A vacancy from a visit and one from an event: their links are no column of a ledger.
    visited = visits[0]
    from_visit = f.vacancy(visited["employer_uscc"], source="visit", visit_id=visited["id"])
    vacancies.append(post(client, "vacancies", from_visit))
    from_event = f.vacancy(USCC[0], source="event", event_id=events[0]["id"])
    vacancies.append(post(client, "vacancies", from_event))
    return {"visits": visits, "events": events, "vacancies": vacancies}


def state(client, headers: dict | None = None) -> dict:
    """Every record the API lists (events with their participants), in order."""
    listed = {}
    for name in LISTS:
        response = client.get(f"{API}/{name}", params={"limit": 1000}, headers=headers or {})
        assert response.status_code == 200, response.text
        listed[name] = response.json()["items"]
    return listed


def figures(client) -> dict:
    return client.get(f"{API}/stats/summary").json()["figures"]


def exported(client, kind: str, format: str, headers: dict | None = None) -> bytes:
    response = client.get(EXPORTS[kind], params={"format": format}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.content


def imported(client, kind: str, content: bytes, format: str, headers: dict | None = None):
    response = send(client, kind, content, f"台账.{format}", headers=headers or {})
    return (
        finished(client, response) if headers is None else _finished_as(client, response, headers)
    )


def _finished_as(client, response, headers: dict) -> dict:
    assert response.status_code in (200, 202), response.text
    job = client.get(f"{API}/imports/{response.json()['id']}", headers=headers).json()
    assert job["status"] != "running"
    return job


class Ledger:
    """An exported ledger, edited as an office edits it: in Excel (openpyxl) or as CSV."""

    def __init__(self, content: bytes, format: str) -> None:
        self.format = format
        if format == "xlsx":
            self.book = openpyxl.load_workbook(io.BytesIO(content))
            rows = [list(row) for row in self.book.worksheets[0].iter_rows(values_only=True)]
        else:
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        self.header, self.rows = rows[0], rows[1:]

    def find(self, **wanted) -> int:
        """The index of the one row whose columns (by label) hold the values wanted."""
        columns = {self.header.index(label): str(value) for label, value in wanted.items()}
        found = [
            index
            for index, row in enumerate(self.rows)
            if all(str(row[column]) == value for column, value in columns.items())
        ]
        assert len(found) == 1, (wanted, found)
        return found[0]

    def set(self, index: int, label: str, value) -> None:
        column = self.header.index(label)
        self.rows[index][column] = value
        if self.format == "xlsx":
            self.book.worksheets[0].cell(row=index + 2, column=column + 1, value=value)

    def content(self, rows: list[int] | None = None, drop: str | None = None) -> bytes:
        """The ledger as a file in its format (`rows`: only those, in that order; `drop`:
        without that column)."""
        if rows is None and drop is None and self.format == "xlsx":
            buffer = io.BytesIO()
            self.book.save(buffer)  # as Excel saves an edited sheet
            return buffer.getvalue()
        kept = [self.rows[index] for index in rows] if rows is not None else self.rows
        lines = [self.header, *kept]
        if drop is not None:
            at = self.header.index(drop)
            lines = [line[:at] + line[at + 1 :] for line in lines]
        if self.format == "xlsx":
            book = openpyxl.Workbook()
            for line in lines:
                book.active.append(line)
            buffer = io.BytesIO()
            book.save(buffer)
            return buffer.getvalue()
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(["" if c is None else c for c in line] for line in lines)
        return buffer.getvalue().encode("utf-8-sig")


def assert_unchanged(client, kind: str, content: bytes, format: str, before: dict, rows: int):
    job = imported(client, kind, content, format)
    assert (job["status"], job["rows_read"], job["rows_written"], job["rows_present"]) == (
        "succeeded", rows, 0, rows
    ), job  # fmt: skip
    assert state(client) == before


# --- export, then import: nothing changes -------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_of_the_same_file_changes_nothing(client, records, kind, format):
    before, counted = state(client), figures(client)
    content = exported(client, kind, format)
    rows = len(Ledger(content, format).rows)
    assert rows > 0
    assert_unchanged(client, kind, content, format, before, rows)
    assert figures(client) == counted


@pytest.mark.parametrize("kind", ["visits", "events", "vacancies", "event_participants"])
def test_exports_name_each_record_by_its_id_in_the_last_column(client, records, kind):
    ledger = Ledger(exported(client, kind, "csv"), "csv")
    label = "活动系统编号" if kind == "event_participants" else "系统编号"
    assert ledger.header[-1] == label
    if kind != "event_participants":
        assert [int(row[-1]) for row in ledger.rows] == [r["id"] for r in records[kind]]


def test_the_participants_export_has_a_row_per_participant_of_the_selected_events(client, records):
    ledger = Ledger(exported(client, "event_participants", "csv"), "csv")
    assert ledger.header == ["活动台账编号", "统一社会信用代码", "活动系统编号"]
    expected = [
        [event["external_ref"] or "", uscc, str(event["id"])]
        for event in records["events"]
        for uscc in event["participants"]
    ]
    assert ledger.rows == expected
    response = client.get(
        EXPORTS["event_participants"], params={"format": "csv", "university_code": PKU}
    )
    pku = [e for e in records["events"] if e["university_code"] == PKU]
    assert len(Ledger(response.content, "csv").rows) == sum(len(e["participants"]) for e in pku)


def test_the_universities_export_takes_the_list_filters_and_the_reach(client, records, bearer):
    ledger = Ledger(client.get(EXPORTS["universities"], params={"format": "csv"}).content, "csv")
    assert ledger.header == ["学校标识码", "学校名称", "所在省份"]
    assert ledger.rows[0] == [PKU, "北京大学", "北京市"]
    assert ledger.rows[1] == [COLLEGE, "''=上海示例学院", "上海市"]  # its name starts with '
    guangdong = client.get(EXPORTS["universities"], params={"format": "csv", "province": "44"})
    assert [row[0] for row in Ledger(guangdong.content, "csv").rows] == [SYSU]
    sysu = bearer("university", university_code=SYSU)
    own = Ledger(exported(client, "universities", "csv", sysu), "csv")
    assert [row[0] for row in own.rows] == [SYSU]


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_export_saved_again_in_gb18030_imports_unchanged(client, records, kind):
    before = state(client)
    content = exported(client, kind, "csv")
    rows = len(Ledger(content, "csv").rows)
    resaved = content.decode("utf-8-sig").encode("gb18030")
    assert_unchanged(client, kind, resaved, "csv", before, rows)


def test_a_gb18030_file_that_kept_the_bom_as_text_imports_unchanged(client, records):
    before = state(client)
    content = exported(client, "visits", "csv")
    resaved = content.decode("utf-8").encode("gb18030")  # U+FEFF, now a GB18030 character
    assert_unchanged(client, "visits", resaved, "csv", before, len(records["visits"]))


def test_a_large_sheet_streamed_by_openpyxl_imports_unchanged(client, records, monkeypatch):
    from app.imports import readers

    monkeypatch.setattr(readers, "CALAMINE_AT_MOST", 0)  # every sheet counts as large
    before = state(client)
    content = exported(client, "visits", "xlsx")
    assert_unchanged(client, "visits", content, "xlsx", before, len(records["visits"]))


@pytest.mark.parametrize("format", FORMATS)
def test_a_university_exports_and_imports_its_own_records_unchanged(
    client, records, bearer, format
):
    pku = bearer("university", university_code=PKU)
    for kind in ("visits", "events", "vacancies", "event_participants"):
        before = state(client)
        content = exported(client, kind, format, pku)
        rows = len(Ledger(content, format).rows)
        job = imported(client, kind, content, format, pku)
        assert (job["status"], job["rows_written"], job["rows_present"]) == (
            "succeeded", 0, rows
        ), (kind, job)  # fmt: skip
        assert state(client) == before


@pytest.mark.parametrize("format", FORMATS)
def test_records_imported_anew_from_an_export_are_the_same_records(client, records, format):
    # Without 系统编号, rows without a 台账编号 are new records (as before there was one):
    # each is the same as the record it was exported from, but for its id.
    before = state(client)
    ledger = Ledger(exported(client, "visits", format), format)
    job = imported(client, "visits", ledger.content(drop="系统编号"), format)
    unnamed = [visit for visit in records["visits"] if visit["external_ref"] is None]
    assert (job["status"], job["rows_written"]) == ("succeeded", len(unnamed)), job
    after = state(client)["visits"]
    assert after[: len(before["visits"])] == before["visits"]
    added = after[len(before["visits"]) :]
    assert [_without_id(visit) for visit in added] == [_without_id(visit) for visit in unnamed]


def _without_id(record: dict) -> dict:
    return {name: value for name, value in record.items() if name != "id"}


# --- one cell edited: exactly that record changes -----------------------------------------


def _edit_university(records):
    return {"学校标识码": COLLEGE}, "学校名称", "上海示例学院（更名）", ("universities", 1, "name")


def _edit_employer(records):
    return {"统一社会信用代码": USCC[1]}, "单位名称", "更名后的单位", ("employers", 1, "name")


def _edit_visit(records):
    index = 1  # a visit without a 台账编号
    visit = records["visits"][index]
    assert visit["external_ref"] is None
    return {"系统编号": visit["id"]}, "新开拓岗位数", 99, ("visits", index, "positions_opened")


def _edit_event(records):
    index = 1
    event = records["events"][index]
    assert event["external_ref"] is None
    return {"系统编号": event["id"]}, "活动名称", "更名后的活动", ("events", index, "title")


def _edit_vacancy(records):
    index = 2
    vacancy = records["vacancies"][index]
    assert vacancy["external_ref"] is None
    return {"系统编号": vacancy["id"]}, "招聘人数", 42, ("vacancies", index, "headcount")


EDITS = {
    "universities": _edit_university,
    "employers": _edit_employer,
    "visits": _edit_visit,
    "events": _edit_event,
    "vacancies": _edit_vacancy,
}


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", EDITS)
def test_one_cell_edited_changes_exactly_that_record(client, records, kind, format):
    before = state(client)
    ledger = Ledger(exported(client, kind, format), format)
    where, label, value, (listing, index, field) = EDITS[kind](records)
    ledger.set(ledger.find(**where), label, value)
    job = imported(client, kind, ledger.content(), format)
    assert (job["status"], job["rows_written"], job["rows_present"]) == (
        "succeeded", 1, len(ledger.rows) - 1
    ), job  # fmt: skip
    expected = copy.deepcopy(before)
    expected[listing][index][field] = value
    assert state(client) == expected


@pytest.mark.parametrize("format", FORMATS)
def test_a_participant_row_edited_adds_exactly_that_participant(client, records, format):
    before = state(client)
    ledger = Ledger(exported(client, "event_participants", format), format)
    event = records["events"][1]  # no 台账编号; one participant
    assert event["external_ref"] is None and event["participants"] == [USCC[0]]
    row = ledger.find(**{"活动系统编号": event["id"], "统一社会信用代码": USCC[0]})
    ledger.set(row, "统一社会信用代码", USCC[3])
    job = imported(client, "event_participants", ledger.content(), format)
    assert (job["status"], job["rows_written"], job["rows_present"]) == (
        "succeeded", 1, len(ledger.rows) - 1
    ), job  # fmt: skip
    expected = copy.deepcopy(before)
    expected["events"][1]["participants"] = sorted([USCC[0], USCC[3]])
    assert state(client) == expected


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_cell_leaves_a_field_as_it_is_even_one_with_a_default(client, records, format):
    before = state(client)
    for kind, label in [
        ("vacancies", "学历要求"),
        ("events", "参会毕业生人次"),
        ("visits", "备注"),
    ]:
        ledger = Ledger(exported(client, kind, format), format)
        for index in range(len(ledger.rows)):
            ledger.set(index, label, None)
        job = imported(client, kind, ledger.content(), format)
        assert (job["status"], job["rows_written"]) == ("succeeded", 0), (kind, job)
    assert state(client) == before


# --- ids a sender may not give --------------------------------------------------------------


def _rejected_on(job: dict, *cells: tuple[int, str]) -> list[dict]:
    assert (job["status"], job["rows_written"]) == ("rejected", 0), job
    assert [(error["row"], error["column"]) for error in job["errors"]] == list(cells), job
    for error in job["errors"]:
        assert error["reason"] and error["reason_en"], error
    return job["errors"]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", ["visits", "events", "vacancies"])
def test_an_id_that_does_not_exist_is_a_bad_row_and_nothing_is_written(
    client, records, kind, format
):
    before = state(client)
    ledger = Ledger(exported(client, kind, format), format)
    ledger.set(2, "系统编号", 999_999_999)
    job = imported(client, kind, ledger.content(), format)
    [error] = _rejected_on(job, (4, "系统编号"))
    assert error["value"] == "999999999" and "不存在" in error["reason"]
    assert state(client) == before


@pytest.mark.parametrize("kind", ["visits", "events", "vacancies"])
def test_another_universitys_record_id_is_a_bad_row_for_a_university(client, records, bearer, kind):
    before = state(client)
    ledger = Ledger(exported(client, kind, "csv"), "csv")
    theirs = next(r for r in records[kind] if r["university_code"] == SYSU)
    row = ledger.find(**{"系统编号": theirs["id"]})
    code = "主办高校标识码" if kind == "events" else "学校标识码"
    ledger.set(row, code, "")  # as PKU's own row (a university's rows are its own)
    pku = bearer("university", university_code=PKU)
    job = imported(client, kind, ledger.content(rows=[row]), "csv", pku)
    [error] = _rejected_on(job, (2, "系统编号"))
    assert error["value"] == str(theirs["id"]) and "本校" in error["reason"]
    assert state(client) == before


def test_a_provinces_department_may_name_its_own_records_only(client, records, bearer):
    before = state(client)
    ledger = Ledger(exported(client, "events", "csv"), "csv")
    own = records["events"][2]  # Guangdong's department's: no university
    assert (own["university_code"], own["province"]) == (None, "44")
    theirs = records["events"][1]  # SYSU's, in Guangdong too
    guangdong = bearer("province", province="44")
    rows = [ledger.find(**{"系统编号": own["id"]}), ledger.find(**{"系统编号": theirs["id"]})]
    ledger.set(rows[0], "活动名称", "省厅双选会")
    ledger.set(rows[1], "主办高校标识码", "")
    job = imported(client, "events", ledger.content(rows=rows), "csv", guangdong)
    [error] = _rejected_on(job, (3, "系统编号"))
    assert "本部门" in error["reason"]
    job = imported(client, "events", ledger.content(rows=rows[:1]), "csv", guangdong)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    expected = copy.deepcopy(before)
    expected["events"][2]["title"] = "省厅双选会"
    assert state(client) == expected


def test_the_same_id_twice_in_a_file_is_a_bad_row(client, records):
    ledger = Ledger(exported(client, "visits", "csv"), "csv")
    job = imported(client, "visits", ledger.content(rows=[0, 1, 0]), "csv")
    [error] = _rejected_on(job, (4, "系统编号"))
    assert "重复" in error["reason"]


def test_a_bad_id_cell_is_a_bad_row(client, records):
    ledger = Ledger(exported(client, "vacancies", "csv"), "csv")
    ledger.set(0, "系统编号", "第一条")
    ledger.set(1, "系统编号", "0")
    job = imported(client, "vacancies", ledger.content(rows=[0, 1]), "csv")
    _rejected_on(job, (2, "系统编号"), (3, "系统编号"))


# --- updates the service refuses are bad rows, never a failed job ----------------------------


def test_a_taizhang_number_another_record_holds_is_a_bad_row(client, records):
    before = state(client)
    ledger = Ledger(exported(client, "visits", "csv"), "csv")
    held = records["visits"][0]  # PKU's, V-0
    other = next(v for v in records["visits"] if v["university_code"] == PKU and v is not held)
    row = ledger.find(**{"系统编号": other["id"]})
    ledger.set(row, "台账编号", held["external_ref"])
    job = imported(client, "visits", ledger.content(), "csv")
    [error] = _rejected_on(job, (row + 2, "台账编号"))
    assert error["value"] == "V-0" and "已被其他记录使用" in error["reason"]
    assert "already used" in error["reason_en"]
    assert state(client) == before


def test_two_rows_taking_one_new_taizhang_number_are_a_bad_row(client, records):
    ledger = Ledger(exported(client, "visits", "csv"), "csv")
    pku = [ledger.find(**{"系统编号": v["id"]}) for v in records["visits"] if v["university_code"] == PKU]  # fmt: skip
    for row in pku[1:3]:
        ledger.set(row, "台账编号", "NEW-1")
    job = imported(client, "visits", ledger.content(), "csv")
    [error] = _rejected_on(job, (pku[2] + 2, "台账编号"))
    assert "重复" in error["reason"]


@pytest.mark.parametrize("by", ["系统编号", "台账编号"])
def test_another_employer_for_a_visit_that_vacancies_came_from_is_a_bad_row(client, records, by):
    before = state(client)
    ledger = Ledger(exported(client, "visits", "csv"), "csv")
    visited = records["visits"][0]  # a vacancy came from it; it has a 台账编号
    row = ledger.find(**{"系统编号": visited["id"]})
    ledger.set(row, "统一社会信用代码", USCC[3])
    content = ledger.content(rows=[row], drop="系统编号" if by == "台账编号" else None)
    job = imported(client, "visits", content, "csv")
    [error] = _rejected_on(job, (2, "统一社会信用代码"))
    assert "引用" in error["reason"]
    assert state(client) == before


def test_a_vacancy_from_an_event_given_another_source_is_a_bad_row(client, records):
    ledger = Ledger(exported(client, "vacancies", "csv"), "csv")
    row = ledger.find(**{"系统编号": records["vacancies"][-1]["id"]})  # from an event
    ledger.set(row, "岗位来源", "就业平台")
    job = imported(client, "vacancies", ledger.content(rows=[row]), "csv")
    _rejected_on(job, (2, "岗位来源"))


# --- participants: their event by id or by 台账编号 ------------------------------------------


def test_a_participant_row_names_its_event_by_id_or_by_taizhang_number(client, records):
    event = records["events"][0]  # HD-0
    rows = [
        ["活动台账编号", "统一社会信用代码", "活动系统编号"],
        ["", USCC[3], event["id"]],
        [event["external_ref"], USCC[2], ""],
        ["HD-404", USCC[3], event["id"]],  # the id is what counts: a repeat
    ]
    content = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    job = imported(client, "event_participants", content, "csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 2, 1), job
    listed = client.get(f"{API}/events/{event['id']}").json()["participants"]
    assert listed == sorted([USCC[2], USCC[3]])


def test_a_participant_row_without_its_event_or_with_an_unknown_one_is_a_bad_row(
    client, records, bearer
):
    rows = [
        ["活动台账编号", "统一社会信用代码", "活动系统编号"],
        ["", USCC[3], ""],
        ["", USCC[3], 999_999_999],
        ["", USCC[3], records["events"][1]["id"]],  # SYSU's
    ]
    content = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    job = imported(client, "event_participants", content, "csv")
    errors = _rejected_on(job, (2, "活动台账编号"), (3, "活动系统编号"))
    assert "不能都为空" in errors[0]["reason"] and "不存在" in errors[1]["reason"]
    pku = bearer("university", university_code=PKU)
    job = imported(client, "event_participants", content, "csv", pku)
    errors = _rejected_on(job, (2, "活动台账编号"), (3, "活动系统编号"), (4, "活动系统编号"))
    assert "本校" in errors[2]["reason"]


def test_a_participants_ledger_without_either_event_column_is_refused(client, records):
    content = f"统一社会信用代码\n{USCC[0]}\n".encode()
    response = send(client, "event_participants", content)
    f.assert_problem(response, 422, "file")
    assert "活动台账编号或活动系统编号" in response.json()["reason"]


def test_templates_leave_the_id_column_out(client):
    for kind in KINDS:
        response = client.get(f"{API}/imports/templates/{kind}.xlsx")
        header = next(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].values)
        assert "系统编号" not in header and "活动系统编号" not in header, (kind, header)


# --- whatever the text, it comes back as it was -----------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("'=+-@ \n\r\t\u3000aZ9_x,;、，；\"中文台账编号岗位")),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip())


@pytest.mark.parametrize("format", FORMATS)
def test_any_text_survives_export_and_import(client, format):
    post(client, "universities", f.university(PKU, "北京大学", "11"))
    post(client, "employers", f.employer(USCC[0]))

    @given(notes=_TEXT, title=_TEXT, major=_TEXT.filter(lambda text: "；" not in text))
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    def survives(notes, title, major):
        post(client, "visits", f.visit(PKU, USCC[0], notes=notes, majors=[major.strip()]))
        post(client, "events", f.event(title=title, organizer_name=notes))
        post(client, "vacancies", f.vacancy(USCC[0], title=title, majors=[major.strip()]))
        before = state(client)
        for kind in ("visits", "events", "vacancies"):
            content = exported(client, kind, format)
            job = imported(client, kind, content, format)
            assert (job["status"], job["rows_written"]) == ("succeeded", 0), (kind, job)
        assert state(client) == before

    survives()


def test_a_major_holding_the_separator_of_majors_is_refused(client):
    # In a ledger '；' separates majors: a major holding one would come back as two.
    post(client, "universities", f.university(PKU, "北京大学", "11"))
    post(client, "employers", f.employer(USCC[0]))
    response = client.post(f"{API}/visits", json=f.visit(PKU, USCC[0], majors=["数学；统计学"]))
    f.assert_problem(response, 422, "majors[0]")
