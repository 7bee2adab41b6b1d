"""Ledger imports through the API: formats, encodings, headers, bad rows, repeats, hostile files."""

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import pytest
import xlsxwriter
from sqlalchemy import func, select

from app.core.settings import get_settings
from app.employers.models import Employer
from app.vacancies.models import Vacancy
from tests import factories as f

PKU = f.PKU
USCC = [f.make_uscc(7000 + n, "11") for n in range(4)]
EMPLOYER_HEADER = ["统一社会信用代码", "单位名称", "所属行业", "所在省份", "单位性质", "企业规模"]
VACANCY_HEADER = ["统一社会信用代码", "岗位名称", "招聘人数", "发布日期", "岗位来源", "学历要求", "专业要求", "台账编号", "学校标识码"]  # fmt: skip


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "import_dir", tmp_path / "imports")


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list], sheet: str = "Sheet1") -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows):
        for column, cell in enumerate(row):
            if isinstance(cell, dt.date):
                day = dt.datetime.combine(cell, dt.time())
                worksheet.write_datetime(number, column, day, date_format)
            else:
                worksheet.write(number, column, cell)
    workbook.close()
    return buffer.getvalue()


def send(client, kind: str, content: bytes, name: str = "台账.csv", **extra):
    headers = extra.pop("headers", {})
    data = {"kind": kind, **extra}
    return client.post(
        "/api/v1/imports", data=data, files={"file": (name, content)}, headers=headers
    )


def finished(client, response) -> dict:
    assert response.status_code in (200, 202), response.text
    job = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["status"] != "running"
    return job


def employer_rows(count: int = 3) -> list[list]:
    rows = [EMPLOYER_HEADER]
    for n in range(count):
        rows.append([USCC[n], f"北京示例科技有限公司{n}", "信息传输、软件和信息技术服务业", "北京市", "民营企业", "中型"])  # fmt: skip
    return rows


def test_employers_from_a_utf8_csv_with_chinese_headers_and_labels(client, session):
    job = finished(client, send(client, "employers", csv_bytes(employer_rows())))
    assert job["status"] == "succeeded", job
    assert (job["rows_read"], job["rows_written"], job["rows_present"]) == (3, 3, 0)
    employer = client.get(f"/api/v1/employers/{USCC[0]}").json()
    assert (employer["industry"], employer["province"], employer["ownership"], employer["size"]) == ("I", "11", "private", "medium")  # fmt: skip


def test_an_empty_cell_leaves_a_registered_employers_field_as_it_is(client):
    finished(client, send(client, "employers", csv_bytes(employer_rows(2))))
    rows = employer_rows(2)
    rows[1][4:6] = ["", ""]  # 单位性质, 单位规模 left empty
    rows[2][5] = "大型"
    job = finished(client, send(client, "employers", csv_bytes(rows)))
    assert (job["rows_written"], job["rows_present"]) == (1, 1), job
    first = client.get(f"/api/v1/employers/{USCC[0]}").json()
    assert (first["ownership"], first["size"]) == ("private", "medium")
    assert client.get(f"/api/v1/employers/{USCC[1]}").json()["size"] == "large"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_in_each_encoding_excel_saves(client, encoding):
    rows = employer_rows(2)
    if encoding == "utf-16":
        content = "\n".join("\t".join(row) for row in rows).encode("utf-16")
    else:
        content = csv_bytes(rows, encoding)
    job = finished(client, send(client, "employers", content))
    assert (job["status"], job["rows_written"]) == ("succeeded", 2), job
    assert client.get(f"/api/v1/employers/{USCC[1]}").json()["name"] == "北京示例科技有限公司1"


def test_api_field_names_and_codes_are_accepted_too(client):
    rows = [["uscc", "name", "industry", "province"], [USCC[0], "示例单位", "C", "44"]]
    job = finished(client, send(client, "employers", csv_bytes(rows)))
    assert job["status"] == "succeeded", job
    assert client.get(f"/api/v1/employers/{USCC[0]}").json()["province"] == "44"


def _registered(client) -> None:
    f.created(client.post("/api/v1/universities", json=f.university()))
    assert (
        finished(client, send(client, "employers", csv_bytes(employer_rows())))["status"]
        == "succeeded"
    )


def vacancy_rows(count: int) -> list[list]:
    rows = [VACANCY_HEADER]
    for n in range(count):
        rows.append([USCC[n % 3], f"软件工程师{n}", 1 + n % 4, dt.date(2023, 5, 1 + n % 28), "就业平台", "本科", "计算机科学与技术；软件工程", f"R{n}", PKU])  # fmt: skip
    return rows


def test_vacancies_from_xlsx_are_written_and_counted_at_once(client):
    _registered(client)
    job = finished(client, send(client, "vacancies", xlsx_bytes(vacancy_rows(40)), "岗位.xlsx"))
    assert (job["status"], job["rows_written"]) == ("succeeded", 40), job
    page = client.get("/api/v1/vacancies", params={"limit": 1, "employer_uscc": USCC[0]}).json()
    assert page["total"] == 14
    vacancy = page["items"][0]
    assert (vacancy["source"], vacancy["education"], vacancy["majors"], vacancy["province"]) == (
        "platform", "bachelor", ["计算机科学与技术", "软件工程"], "11"
    )  # fmt: skip
    summary = client.get("/api/v1/stats/summary").json()["figures"]
    assert (summary["postings"], summary["headcount"]) == (40, sum(1 + n % 4 for n in range(40)))


def test_a_named_sheet_is_read(client):
    _registered(client)
    content = xlsx_bytes(vacancy_rows(3), sheet="岗位台账")
    job = finished(client, send(client, "vacancies", content, "岗位.xlsx", sheet="岗位台账"))
    assert (job["status"], job["rows_written"], job["sheet"]) == ("succeeded", 3, "岗位台账")
    refused = send(client, "vacancies", content, "岗位.xlsx", sheet="Sheet9")
    f.assert_problem(refused, 422, "file")


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_one(client, session):
    _registered(client)
    rows = vacancy_rows(6)
    rows[2][2] = "三"  # headcount not a number
    rows[4][4] = "平台"  # not a source
    rows[5][0] = f.make_uscc(9999, "11")  # an employer never registered
    rows[6][3] = "2023年5月"  # not a date
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert job["status"] == "rejected"
    assert (job["rows_read"], job["rows_written"], job["error_count"]) == (6, 0, 4)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "招聘人数"), (5, "岗位来源"), (6, "统一社会信用代码"), (7, "发布日期"),
    ]  # fmt: skip
    assert job["errors"][1]["value"] == "平台"
    assert "就业平台" in job["errors"][1]["reason"] and job["errors"][1]["reason_en"]
    assert session.scalar(select(func.count()).select_from(Vacancy)) == 0


def test_the_same_file_again_answers_the_first_job_and_writes_nothing(client, session):
    content = csv_bytes(employer_rows())
    first = send(client, "employers", content)
    assert first.status_code == 202
    again = send(client, "employers", content, "改了名字.csv")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert session.scalar(select(func.count()).select_from(Employer)) == 3


def test_an_idempotency_key_answers_the_first_job(client):
    first = send(
        client, "employers", csv_bytes(employer_rows(1)), headers={"Idempotency-Key": "k-1"}
    )
    other = send(
        client, "employers", csv_bytes(employer_rows(2)), headers={"Idempotency-Key": "k-1"}
    )
    assert (other.status_code, other.json()["id"]) == (200, first.json()["id"])


def test_registry_rows_already_there_are_present_or_updated(client):
    finished(client, send(client, "employers", csv_bytes(employer_rows())))
    rows = employer_rows()
    rows[2][1] = "新名称有限公司"
    job = finished(client, send(client, "employers", csv_bytes(rows)))
    assert (job["rows_written"], job["rows_present"]) == (1, 2), job
    assert client.get(f"/api/v1/employers/{USCC[1]}").json()["name"] == "新名称有限公司"


def test_a_reimport_by_ledger_number_updates_instead_of_duplicating(client):
    _registered(client)
    finished(client, send(client, "vacancies", csv_bytes(vacancy_rows(5))))
    rows = vacancy_rows(5)
    rows[1][2] = 9
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 4), job
    assert client.get("/api/v1/vacancies", params={"limit": 1}).json()["total"] == 5
    summary = client.get("/api/v1/stats/summary").json()["figures"]
    assert summary["headcount"] == 9 + sum(1 + n % 4 for n in range(1, 5))


def test_one_ledger_number_twice_in_a_file_is_refused(client, session):
    _registered(client)
    rows = vacancy_rows(3)
    rows[3][7] = "R0"
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert job["status"] == "rejected" and job["error_count"] >= 1, job
    assert session.scalar(select(func.count()).select_from(Vacancy)) == 0


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", 415),
        (b"", "empty.csv", 422),
        (b"PK\x03\x04 broken archive", "broken.xlsx", 415),
        (b"\x00\x01\x02\xff" * 100, "junk.csv", 415),
        (csv_bytes([["单位名称"], ["x"]]), "missing.csv", 422),
        (csv_bytes([["c"] * 300]), "wide.csv", 413),
    ],
)
def test_files_that_cannot_be_ledgers_are_refused_at_once(client, session, content, name, status):
    response = send(client, "employers", content, name)
    f.assert_problem(response, status, "file")
    assert "reason" in response.json()
    assert session.scalar(select(func.count()).select_from(Employer)) == 0


def test_a_zip_bomb_is_refused_before_it_is_inflated(client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    assert len(buffer.getvalue()) < 100_000
    f.assert_problem(send(client, "employers", buffer.getvalue(), "bomb.xlsx"), 413, "file")


def test_an_upload_over_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 1000)
    response = send(client, "employers", b"x" * 5000)
    f.assert_problem(response, 413, "file")


def test_an_unknown_kind_is_refused(client):
    f.assert_problem(send(client, "students", csv_bytes(employer_rows())), 422, "kind")


@pytest.mark.parametrize("sheet", ["\x00", "表" * 101])
def test_a_sheet_no_workbook_could_name_is_refused(client, sheet):
    answer = send(client, "employers", csv_bytes(employer_rows()), sheet=sheet)
    f.assert_problem(answer, 422, "sheet")


def test_a_file_name_with_nul_is_kept_without_it(client):
    # Written out by hand: httpx would percent-encode the NUL.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\nemployers\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a\x00.csv"\r\n\r\n'
        + csv_bytes(employer_rows())
        + b"\r\n--b--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    job = finished(client, client.post("/api/v1/imports", content=body, headers=headers))
    assert (job["status"], job["filename"]) == ("succeeded", "a.csv")


class Stalled:
    """Import jobs taken by a runner that holds their leases and does not get on with them
    (until `resume`); `leases`, which a test may let go of as a dying process would."""

    def __init__(self, monkeypatch) -> None:
        from app.imports import service

        self.leases: list = []
        original = service.run_and_discard
        self.resume = lambda: monkeypatch.setattr(service, "run_and_discard", original)
        monkeypatch.setattr(service, "run_and_discard", lambda *args: self.leases.append(args[-1]))


@pytest.fixture
def stalled(monkeypatch) -> Iterator[Stalled]:
    stalled = Stalled(monkeypatch)
    yield stalled
    for lease in stalled.leases:
        lease.release()


def test_a_job_whose_process_stopped_is_marked_interrupted_and_the_file_can_be_sent_again(
    client, session, stalled
):
    content = csv_bytes(employer_rows(2))
    first = send(client, "employers", content).json()
    assert client.get(f"/api/v1/imports/{first['id']}").json()["status"] == "running"
    assert send(client, "employers", content).json()["id"] == first["id"]  # still running
    stalled.leases.pop().release()  # as the runner's process dying lets go of it
    stalled.resume()
    again = finished(client, send(client, "employers", content))
    assert again["id"] != first["id"] and again["status"] == "succeeded"
    stopped = client.get(f"/api/v1/imports/{first['id']}").json()
    assert stopped["status"] == "interrupted" and "interrupted" in stopped["message"]
    assert session.scalar(select(func.count()).select_from(Employer)) == 2


def test_a_job_found_running_without_its_lease_is_marked_interrupted_when_asked_for(
    client, stalled
):
    job = send(client, "employers", csv_bytes(employer_rows(2)), headers={"Idempotency-Key": "k1"})
    stalled.leases.pop().release()
    shown = client.get(f"/api/v1/imports/{job.json()['id']}").json()
    assert (shown["status"], shown["rows_written"]) == ("interrupted", 0)
    # Nothing was written: the same key may be sent again, and makes a new job.
    again = send(
        client, "employers", csv_bytes(employer_rows(2)), headers={"Idempotency-Key": "k1"}
    )
    assert again.status_code == 202 and again.json()["id"] != shown["id"]


VISIT_HEADER = ["学校标识码", "统一社会信用代码", "走访日期", "新开拓岗位数", "带队领导", "需求专业", "台账编号"]  # fmt: skip
EVENT_HEADER = ["活动名称", "活动类型", "举办形式", "开始日期", "结束日期", "举办省份", "主办高校标识码", "参会毕业生人次", "台账编号"]  # fmt: skip


def test_visits_events_and_participants_and_their_figures(client):
    _registered(client)
    visits = [VISIT_HEADER] + [
        [PKU, USCC[n % 3], f"2023-05-{10 + n}", 5 * n, "校领导", "软件工程", f"V{n}"]
        for n in range(4)
    ]
    job = finished(client, send(client, "visits", csv_bytes(visits)))
    assert (job["status"], job["rows_written"]) == ("succeeded", 4), job
    events = [
        EVENT_HEADER,
        ["春季双选会", "双选会", "线下", "2023-05-20", "2023-05-21", "北京市", PKU, 800, "E1"],
        ["宣讲会", "宣讲会", "线上", "2023-06-01", "2023-06-01", "11", PKU, 120, "E2"],
    ]
    assert finished(client, send(client, "events", csv_bytes(events)))["rows_written"] == 2
    participants = [
        ["活动台账编号", "统一社会信用代码"],
        ["E1", USCC[0]],
        ["E1", USCC[1]],
        ["E2", USCC[0]],
    ]
    job = finished(client, send(client, "event_participants", csv_bytes(participants)))
    assert (job["status"], job["rows_written"]) == ("succeeded", 3), job
    figures = client.get("/api/v1/stats/summary").json()["figures"]
    assert figures["visits"] == 4 and figures["positions_opened"] == 30
    assert figures["enterprises_visited"] == 3 and figures["universities_visiting"] == 1
    assert (figures["events"], figures["attendances"], figures["employers_at_events"]) == (
        2,
        920,
        2,
    )
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
    assert (event["kind"], event["mode"], event["participants"]) == (
        "job_fair",
        "onsite",
        sorted(USCC[:2]),
    )
    again = finished(
        client, send(client, "event_participants", csv_bytes([*participants[:2], ["E2", USCC[2]]]))
    )
    assert (again["rows_written"], again["rows_present"]) == (1, 1), again
    assert client.get("/api/v1/stats/summary").json()["figures"]["employers_at_events"] == 3


def test_a_participant_of_an_unknown_event_is_a_bad_row(client):
    _registered(client)
    rows = [["活动台账编号", "统一社会信用代码"], ["E404", USCC[0]]]
    job = finished(client, send(client, "event_participants", csv_bytes(rows)))
    assert job["status"] == "rejected"
    assert job["errors"][0]["column"] == "活动台账编号" and "不存在" in job["errors"][0]["reason"]


def test_an_event_that_ends_before_it_starts_is_a_bad_row(client):
    _registered(client)
    rows = [
        EVENT_HEADER,
        ["双选会", "双选会", "线下", "2023-05-21", "2023-05-20", "11", PKU, 1, "E1"],
    ]
    job = finished(client, send(client, "events", csv_bytes(rows)))
    assert job["status"] == "rejected" and job["errors"][0]["column"] == "结束日期"


@pytest.mark.parametrize(
    "kind", ["universities", "employers", "visits", "events", "event_participants", "vacancies"]
)
def test_a_template_has_chinese_headers_an_example_and_drop_downs(client, tmp_path, kind):
    from app.imports.readers import read_ledger
    from app.imports.rows import layout_of, parsed_rows

    response = client.get(f"/api/v1/imports/templates/{kind}.xlsx")
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    ledger = read_ledger(path)
    layout = layout_of(kind, ledger.header)
    assert not layout.ignored and not layout.defaults
    [(number, _values, errors)] = list(parsed_rows(ledger, layout))
    assert number == 2 and errors == [], errors
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    has_lists = kind in ("universities", "employers", "visits", "events", "vacancies")
    assert ("<dataValidation " in sheet) == has_lists


def test_a_template_of_an_unknown_kind_is_refused(client):
    f.assert_problem(client.get("/api/v1/imports/templates/students.xlsx"), 422, "kind")


# --- exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(client, session, format):
    _registered(client)
    rows = vacancy_rows(12)
    rows[1][1] = '=HYPERLINK("http://evil")'  # a title that a spreadsheet would run
    assert finished(client, send(client, "vacancies", csv_bytes(rows)))["status"] == "succeeded"
    before = client.get("/api/v1/vacancies", params={"limit": 100}).json()["items"]
    exported = client.get("/api/v1/vacancies/export", params={"format": format})
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    name = f"export.{format}"
    job = finished(client, send(client, "vacancies", exported.content, name))
    assert (job["status"], job["rows_read"], job["rows_written"], job["rows_present"]) == (
        "succeeded", 12, 0, 12
    ), job  # fmt: skip
    assert client.get("/api/v1/vacancies", params={"limit": 100}).json()["items"] == before
    assert before[0]["title"] == '=HYPERLINK("http://evil")'


def test_a_csv_export_has_chinese_headers_labels_and_neutralised_formulas(client):
    _registered(client)
    rows = vacancy_rows(3)
    rows[2][1] = "+86 热线岗位"
    finished(client, send(client, "vacancies", csv_bytes(rows)))
    text = client.get("/api/v1/vacancies/export", params={"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    lines = text.splitlines()
    assert lines[0].split(",")[:4] == ["统一社会信用代码", "岗位名称", "招聘人数", "发布日期"]
    assert "就业平台" in lines[1] and "北京市" in lines[1] and "2023-05-01" in lines[1]
    assert "'+86 热线岗位" in lines[2]


def test_an_export_takes_the_list_filters(client):
    _registered(client)
    finished(client, send(client, "vacancies", csv_bytes(vacancy_rows(9))))
    exported = client.get(
        "/api/v1/vacancies/export", params={"format": "csv", "employer_uscc": USCC[1]}
    )
    assert len(exported.content.decode("utf-8-sig").splitlines()) == 1 + 3
    employers = client.get("/api/v1/employers/export", params={"format": "csv", "industry": "I"})
    assert len(employers.content.decode("utf-8-sig").splitlines()) == 1 + 3
    f.assert_problem(client.get("/api/v1/visits/export", params={"format": "pdf"}), 422, "format")


def test_a_sheet_reaching_past_the_columns_a_ledger_has_is_refused(client):
    rows = employer_rows(1)
    content = xlsx_bytes(rows)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, rows[0])
    sheet.write_row(1, 0, rows[1])
    sheet.write_string(1, 16_383, "XFD")  # the last column Excel has
    workbook.close()
    assert finished(client, send(client, "employers", content, "ok.xlsx"))["status"] == "succeeded"
    f.assert_problem(send(client, "employers", buffer.getvalue(), "wide.xlsx"), 413, "file")


def test_a_formula_is_never_run_its_cached_value_is_read(client):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, EMPLOYER_HEADER[:4])
    sheet.write_row(1, 0, [USCC[0], "示例单位", "I"])
    sheet.write_formula(1, 3, '=CONCATENATE("北京","市")', None, "北京市")
    workbook.close()
    job = finished(client, send(client, "employers", buffer.getvalue(), "formula.xlsx"))
    assert job["status"] == "succeeded", job
    assert client.get(f"/api/v1/employers/{USCC[0]}").json()["province"] == "11"


def test_a_large_sheet_is_streamed_by_openpyxl_with_the_same_result(client, monkeypatch):
    from app.imports import readers

    monkeypatch.setattr(readers, "CALAMINE_AT_MOST", 0)  # every sheet counts as large
    _registered(client)
    job = finished(client, send(client, "vacancies", xlsx_bytes(vacancy_rows(30)), "大表.xlsx"))
    assert (job["status"], job["rows_written"]) == ("succeeded", 30), job
    vacancy = client.get("/api/v1/vacancies", params={"limit": 1}).json()["items"][0]
    assert (vacancy["posted_date"], vacancy["headcount"], vacancy["education"]) == (
        "2023-05-01",
        1,
        "bachelor",
    )


def test_a_damaged_workbook_is_a_4xx_not_a_500(client):
    content = xlsx_bytes(employer_rows(2))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    response = send(client, "employers", buffer.getvalue(), "damaged.xlsx")
    assert 400 <= response.status_code < 500, response.text


def test_employers_forgotten_by_a_full_memory_are_looked_up_again(client, monkeypatch):
    from app.imports import service, writers

    monkeypatch.setattr(writers, "_KNOWN_AT_MOST", 1)
    monkeypatch.setattr(service, "BATCH_ROWS", 2)
    _registered(client)
    job = finished(client, send(client, "vacancies", csv_bytes(vacancy_rows(12))))
    assert (job["status"], job["rows_written"]) == ("succeeded", 12), job
