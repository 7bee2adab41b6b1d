"""The error sheet of a rejected import (GET /api/v1/imports/{id}/errors): the file as it was
sent, with every bad row's reasons in a column at the right; the rejected file kept a while."""

import codecs
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import python_calamine

from app.core.settings import get_settings
from app.imports import service
from tests import factories as f
from tests.test_imports import (
    USCC,
    VACANCY_HEADER,
    _registered,
    csv_bytes,
    employer_rows,
    finished,
    send,
    vacancy_rows,
    xlsx_bytes,
)

ERRORS = "错误原因 / Errors"
NOBODY = f.make_uscc(9999, "11")  # an employer never registered
UNKNOWN_EMPLOYER = (
    f"统一社会信用代码：统一社会信用代码“{NOBODY}”不存在，请先登记该单位 / "
    f"employer_uscc: no employer {NOBODY}; register it first"
)


@pytest.fixture(autouse=True)
def import_dir(monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "imports"
    monkeypatch.setattr(get_settings(), "import_dir", folder)
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def shown(error: dict) -> str:
    """A stored error as the sheet writes it."""
    text = f"{error['reason']} / {error['reason_en']}"
    return f"{error['column']}：{text}" if error["column"] else text


def errors_of(client, job_id: int, **params):
    return client.get(f"/api/v1/imports/{job_id}/errors", params=params)


def csv_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def sheet_of(content: bytes, name: str | None = None) -> list[list]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return workbook.get_sheet_by_name(name or workbook.sheet_names[0]).to_python()


def bad_vacancies() -> tuple[list[list], dict[int, str]]:
    """Six vacancies, four of them bad (one twice over), and the errors column expected of
    each row by its number (the header is row 1); literal where the reason is the writer's."""
    rows = vacancy_rows(6)
    rows[2][2] = "三"  # headcount not a number
    rows[4][4] = "平台"  # not a source
    rows[5][0] = NOBODY
    rows[6][2] = "0"  # headcount below 1 ...
    rows[6][3] = "2023年5月"  # ... and not a date
    return rows, {2: "", 3: "招聘人数", 4: "", 5: "岗位来源", 6: UNKNOWN_EMPLOYER, 7: "2 errors"}


def expected_errors(job: dict, rows: dict[int, str]) -> dict[int, str]:
    """The errors column of each row: the job's stored errors, joined, as the sheet must show
    them (for the rows whose expectation is not literal)."""
    by_row: dict[int, list[str]] = {}
    for error in job["errors"]:
        by_row.setdefault(error["row"], []).append(shown(error))
    literal = ("", UNKNOWN_EMPLOYER)
    return {n: text if text in literal else "；".join(by_row[n]) for n, text in rows.items()}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_rejected_csv_comes_back_whole_with_each_rows_reasons(client, import_dir, encoding):
    _registered(client)
    rows, expected = bad_vacancies()
    content = csv_bytes(rows, encoding)
    job = finished(client, send(client, "vacancies", content))
    assert (job["status"], job["error_count"]) == ("rejected", 5), job
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "招聘人数"), (5, "岗位来源"), (6, "统一社会信用代码"), (7, "招聘人数"), (7, "发布日期"),
    ]  # fmt: skip
    assert job["errors_url"] == f"/api/v1/imports/{job['id']}/errors"
    assert files_in(import_dir) == [f"rejected/{job['id']}.csv"]
    assert (import_dir / "rejected" / f"{job['id']}.csv").read_bytes() == content

    response = errors_of(client, job["id"])
    assert response.headers["content-disposition"] == (
        f"attachment; filename*=UTF-8''vacancies-errors-{job['id']}.csv"
    )
    marked = expected_errors(job, expected)
    assert csv_of(response) == [
        [*VACANCY_HEADER, ERRORS],
        *([*map(str, row), marked[number]] for number, row in enumerate(rows[1:], start=2)),
    ]
    assert marked[7] == "；".join(shown(e) for e in job["errors"][3:5])
    assert marked[3].startswith("招聘人数：") and " / " in marked[3]


def test_a_rejected_xlsx_comes_back_as_xlsx_with_its_cells_as_they_were(client, import_dir):
    _registered(client)
    rows, expected = bad_vacancies()
    content = xlsx_bytes(rows, sheet="岗位台账")
    job = finished(client, send(client, "vacancies", content, "岗位.xlsx", sheet="岗位台账"))
    assert (job["status"], job["error_count"]) == ("rejected", 5), job
    assert files_in(import_dir) == [f"rejected/{job['id']}.xlsx"]

    response = errors_of(client, job["id"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"].endswith(f"vacancies-errors-{job['id']}.xlsx")
    marked = expected_errors(job, expected)
    original = sheet_of(content)
    assert sheet_of(response.content, "岗位台账") == [
        [*original[0], ERRORS],
        *([*row, marked[number]] for number, row in enumerate(original[1:], start=2)),
    ]
    # Cells as they were: codes text, counts numbers, dates dates, "三" still text.
    first, second = sheet_of(response.content)[1:3]
    assert first[:4] == [USCC[0], "软件工程师0", 1.0, dt.date(2023, 5, 1)]
    assert (first[8], second[2]) == (f.PKU, "三")


def test_a_cell_that_looks_like_a_formula_stays_text(client):
    _registered(client)
    rows = vacancy_rows(2)
    rows[1][1] = '=HYPERLINK("http://evil")'
    rows[2][0] = NOBODY
    job = finished(client, send(client, "vacancies", xlsx_bytes(rows), "岗位.xlsx"))
    response = errors_of(client, job["id"])
    assert sheet_of(response.content)[1][1] == '=HYPERLINK("http://evil")'
    assert b"<f>" not in _sheet_xml(response.content)


def _sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_more_than_the_kept_errors_every_bad_row_gets_its_reason(client, monkeypatch):
    monkeypatch.setattr(service, "BATCH_ROWS", 97)  # rows checked again over many batches
    _registered(client)
    rows = vacancy_rows(1300)
    good, unparsed = set(), set()
    for n in range(1300):
        if n % 13 == 5:
            good.add(n + 2)
        elif n % 100 == 7:
            rows[n + 1][2] = "x"
            unparsed.add(n + 2)
        else:
            rows[n + 1][0] = NOBODY
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    bad = 1300 - len(good)
    assert (job["status"], job["error_count"], len(job["errors"])) == ("rejected", bad, 1000)
    [headcount] = {shown(e) for e in job["errors"] if e["column"] == "招聘人数"}

    lines = csv_of(errors_of(client, job["id"]))
    assert len(lines) == 1301
    for number, line in enumerate(lines[1:], start=2):
        reason = "" if number in good else headcount if number in unparsed else UNKNOWN_EMPLOYER
        assert line[-1] == reason, number
    assert lines[1200][-1] == UNKNOWN_EMPLOYER  # row 1201, past the 1,000 the job keeps

    only = csv_of(errors_of(client, job["id"], only_errors="true"))
    assert len(only) == 1 + bad
    assert [line[1] for line in only[1:]] == [
        f"软件工程师{n - 2}" for n in range(2, 1302) if n not in good
    ]


def test_only_errors_gives_the_header_and_the_bad_rows(client):
    _registered(client)
    rows, expected = bad_vacancies()
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    marked = expected_errors(job, expected)
    assert csv_of(errors_of(client, job["id"], only_errors="true")) == [
        [*VACANCY_HEADER, ERRORS],
        *([*map(str, rows[n - 1]), marked[n]] for n in (3, 5, 6, 7)),
    ]
    content = xlsx_bytes(rows)
    job = finished(client, send(client, "vacancies", content, "岗位.xlsx"))
    original = sheet_of(content)
    response = errors_of(client, job["id"], only_errors=True)
    assert sheet_of(response.content) == [
        [*original[0], ERRORS],
        *([*original[n - 1], marked[n]] for n in (3, 5, 6, 7)),
    ]


def test_rows_keep_their_numbers_across_blank_rows(client):
    _registered(client)
    rows = vacancy_rows(3)
    rows[3][0] = NOBODY
    lines = [rows[0], rows[1], [], [], rows[2], rows[3]]  # rows 3 and 4 blank
    job = finished(client, send(client, "vacancies", csv_bytes(lines)))
    assert [e["row"] for e in job["errors"]] == [6]
    sheet = csv_of(errors_of(client, job["id"]))
    assert sheet == [
        [*VACANCY_HEADER, ERRORS],
        [*map(str, rows[1]), ""],
        [],
        [],
        [*map(str, rows[2]), ""],
        [*map(str, rows[3]), UNKNOWN_EMPLOYER],
    ]
    content = xlsx_bytes(lines)
    job = finished(client, send(client, "vacancies", content, "岗位.xlsx"))
    marked = sheet_of(errors_of(client, job["id"]).content)
    assert [row[-1] for row in marked] == [ERRORS, "", "", "", "", UNKNOWN_EMPLOYER]
    assert marked[5][:2] == [NOBODY, "软件工程师2"]


def test_a_conflict_found_only_when_writing_is_on_the_sheet_once(client):
    _registered(client)
    rows = vacancy_rows(3)
    rows[3][7] = "R0"  # one 台账编号 twice: the database refuses the batch
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert (job["status"], job["error_count"]) == ("rejected", 1), job
    [conflict] = job["errors"]
    assert (conflict["row"], conflict["column"]) == (2, None)
    assert conflict["reason"].startswith("与文件中其他行或已有记录冲突")
    lines = csv_of(errors_of(client, job["id"]))
    assert [line[-1] for line in lines] == [ERRORS, shown(conflict), "", ""]


def test_a_row_whose_error_is_stored_and_found_again_shows_it_once(client):
    _registered(client)
    rows = vacancy_rows(2)
    rows[2][0] = NOBODY
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert len(job["errors"]) == 1
    assert csv_of(errors_of(client, job["id"]))[2][-1] == UNKNOWN_EMPLOYER


def test_an_unknown_job_is_a_404(client):
    f.assert_problem(errors_of(client, 987654), 404)


def test_a_job_that_was_not_rejected_is_a_409(client, monkeypatch, import_dir):
    succeeded = finished(client, send(client, "employers", csv_bytes(employer_rows(1))))
    assert (succeeded["status"], succeeded["errors_url"]) == ("succeeded", None)
    body = f.assert_problem(errors_of(client, succeeded["id"]), 409)
    assert (body["type"], body["job_status"]) == ("urn:jobfair:problem:conflict", "succeeded")

    run = service.run_and_discard
    leases = []
    monkeypatch.setattr(service, "run_and_discard", lambda *args: leases.append(args[-1]))
    running = send(client, "employers", csv_bytes(employer_rows(2))).json()
    assert f.assert_problem(errors_of(client, running["id"]), 409)["job_status"] == "running"

    monkeypatch.setattr(service, "run_and_discard", run)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(service, "run_job", broken)
    failed = finished(client, send(client, "employers", csv_bytes(employer_rows(3))))
    assert failed["status"] == "failed"
    assert f.assert_problem(errors_of(client, failed["id"]), 409)["job_status"] == "failed"
    # the running job's upload is still waiting for it; the failed job's is deleted
    assert len(files_in(import_dir)) == 1 and files_in(import_dir)[0].endswith(".upload")
    leases.pop().release()


def _rejected_then_deleted(client, import_dir) -> int:
    rows = employer_rows(2)
    rows[2][0] = f.with_wrong_check_digit(USCC[1])
    job = finished(client, send(client, "employers", csv_bytes(rows)))
    assert job["status"] == "rejected" and job["errors_url"] is not None
    (import_dir / "rejected" / f"{job['id']}.csv").unlink()
    assert client.get(f"/api/v1/imports/{job['id']}").json()["errors_url"] is None
    return job["id"]


def test_a_file_no_longer_kept_is_a_410(client, import_dir, monkeypatch):
    monkeypatch.setattr(get_settings(), "import_keep_rejected_days", 0)
    job_id = _rejected_then_deleted(client, import_dir)
    body = f.assert_problem(errors_of(client, job_id), 410)
    assert body["type"] == "urn:jobfair:problem:gone"
    assert body["detail"] == (
        f"The file of import job {job_id} is no longer kept (rejected files are kept 0 days); "
        "send the corrected file again to check it."
    )


def test_a_file_missing_before_its_time_names_the_shared_folder(client, import_dir, caplog):
    """As an instance that does not share IMPORT_DIR with the one that received the file sees
    it: the operator is told what to look at, not that the file expired."""
    job_id = _rejected_then_deleted(client, import_dir)
    body = f.assert_problem(errors_of(client, job_id), 410)
    assert "should be kept until" in body["detail"] and "IMPORT_DIR" in body["detail"]
    assert "no longer kept" not in body["detail"]
    warned = [r.getMessage() for r in caplog.records if r.name == "app.imports.error_sheet"]
    assert warned == [
        f"the kept file of rejected import job {job_id} is not in {import_dir / 'rejected'}: "
        "do all instances share IMPORT_DIR?"
    ]


def test_a_file_that_broke_off_mid_way_is_not_kept(client, import_dir):
    rows = employer_rows(3)
    content = csv_bytes(rows[:3]) + b",".join([b"x"] * 300) + b"\n"  # row 4 far too wide
    job = finished(client, send(client, "employers", content))
    assert job["status"] == "rejected" and job["message"], job
    assert (job["errors_url"], files_in(import_dir)) == (None, [])
    body = f.assert_problem(errors_of(client, job["id"]), 410)
    assert "could not be read" in body["detail"]


def test_the_file_of_a_successful_import_is_deleted(client, import_dir):
    job = finished(client, send(client, "employers", csv_bytes(employer_rows())))
    assert job["status"] == "succeeded"
    assert import_dir.is_dir() and files_in(import_dir) == []


def test_rejected_files_older_than_the_setting_are_removed_as_uploads_arrive(
    client, import_dir, monkeypatch
):
    ids = []
    for n in range(3):
        rows = employer_rows(n + 1)
        rows[1][0] = f.with_wrong_check_digit(USCC[0])
        ids.append(finished(client, send(client, "employers", csv_bytes(rows)))["id"])
    kept = [import_dir / "rejected" / f"{job_id}.csv" for job_id in ids]
    days = 86_400
    for path, age in zip(kept, (8 * days, 6 * days, 60), strict=True):
        os.utime(path, (time.time() - age, time.time() - age))
    assert get_settings().import_keep_rejected_days == 7

    finished(client, send(client, "employers", csv_bytes(employer_rows(1))))
    assert files_in(import_dir) == [f"rejected/{ids[1]}.csv", f"rejected/{ids[2]}.csv"]
    assert f.assert_problem(errors_of(client, ids[0]), 410)
    assert errors_of(client, ids[1]).status_code == 200

    monkeypatch.setattr(get_settings(), "import_keep_rejected_days", 5)
    finished(client, send(client, "employers", csv_bytes(employer_rows(2))))
    assert files_in(import_dir) == [f"rejected/{ids[2]}.csv"]


def test_the_command_line_never_moves_or_deletes_the_users_file(tmp_path):
    rows = employer_rows(2)
    rows[2][0] = f.with_wrong_check_digit(USCC[1])
    ledger = tmp_path / "单位台账.csv"
    ledger.write_bytes(csv_bytes(rows))
    imports = tmp_path / "imports"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "IMPORT_DIR": str(imports),
    }
    command = [sys.executable, "-c", "from app.cli import main; main()", "import", "employers"]
    done = subprocess.run([*command, str(ledger)], env=env, capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr.decode()
    assert "rejected" in done.stdout.decode()
    assert ledger.read_bytes() == csv_bytes(rows)
    assert not imports.exists() or files_in(imports) == []
