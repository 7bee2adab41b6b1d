"""The ledgers of graduates in difficulty and of their services, in the served app (two
workers) as an office uses them: a graduates ledger (.xlsx) sent by the university's token and
one imported by `jobfair import`, a services ledger (GB18030 CSV); then both exported, sent
back unchanged (no duplicates: every row present) and with one cell edited (exactly that
record changed); and then nothing the service wrote (its log, every row of its database,
each answer) holds a full ID number or phone."""

import csv
import datetime as dt
import io

import openpyxl

from tests import factories as f
from tests import leaks
from tests.deployed.ledger import Registry, everything, job_ended, send
from tests.test_imports import csv_bytes, xlsx_bytes

API = "/api/v1"
UESTC = "4151010614"  # 电子科技大学, one of the registry's
GRADUATES = ["届别", "姓名", "居民身份证号", "手机号码", "专业", "学历", "困难类别", "帮扶责任人", "就业状态", "状态日期", "台账编号"]  # fmt: skip
SERVICES = ["学生台账编号", "居民身份证号", "届别", "服务类型", "服务日期", "服务人员", "备注", "培训项目", "培训学时", "台账编号"]  # fmt: skip


def _graduates(count: int, tag: str) -> tuple[list[list], list[tuple[str, str]]]:
    people = [(f.make_id_number(), f.make_phone()) for _ in range(count)]
    rows = [
        [2023, f"李{n}", id_number, phone, "软件工程", "本科", "低保家庭；残疾", "周老师",
         "未就业", dt.date(2023, 3, 1), f"{tag}-{n}"]
        for n, (id_number, phone) in enumerate(people)
    ]  # fmt: skip
    return rows, people


def _ended(client, content: bytes, kind: str, name: str) -> dict:
    answer = send(client, kind, content, name)
    assert answer.status_code == 202, answer.text
    job = job_ended(client, answer.json()["id"])
    assert job["status"] == "succeeded", job
    return job


def _rows(content: bytes, format: str) -> list[list]:
    if format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _counts(client) -> tuple[int, int]:
    return (
        len(everything(client, f"{API}/assisted-graduates")),
        len(everything(client, f"{API}/assistance-services")),
    )


def test_ledgers_imported_exported_and_sent_back(served, registry: Registry, tmp_path):
    office = served.token("university", "电子科技大学就业指导中心", university=UESTC)
    rows, people = _graduates(20, "UE")
    with served.client(office) as client:
        job = _ended(client, xlsx_bytes([GRADUATES, *rows]), "assisted_graduates", "台账.xlsx")
        assert (job["rows_read"], job["rows_written"]) == (20, 20)

    # National staff's ledger of another university, by the command line.
    other, _ = _graduates(5, "CLI")
    cli_file = tmp_path / "困难毕业生.csv"
    cli_file.write_bytes(
        csv_bytes(
            [["学校标识码", *GRADUATES], *[[registry.universities[0], *row] for row in other]],
            "gb18030",
        )
    )
    printed = served.run("import", "assisted_graduates", str(cli_file))
    assert "5 written" in printed, printed
    leaks.LEAKS.scan("jobfair import's output", printed)

    services = [
        [f"UE-{n}", "", "", "单独咨询", "2023-04-01", "周老师", "电话咨询", "", "", f"FW-{n}"]
        for n in range(10)
    ] + [
        ["", people[n][0], 2023, "就业培训", "2023-04-08", "周老师", "", "宏志助航", 8, ""]
        for n in range(10, 20)
    ]
    with served.client(office) as client:
        job = _ended(
            client, csv_bytes([SERVICES, *services], "gb18030"), "assistance_services", "服务.csv"
        )
        assert job["rows_written"] == 20
        before = _counts(client)
        assert before == (20, 20)
        shown = everything(client, f"{API}/assisted-graduates")
        assert {g["services"]["consultation"] + g["services"]["training"] for g in shown} == {1}

        # Exported, sent back as it is: every row present, nothing doubled.
        for kind, path, format in [
            ("assisted_graduates", "assisted-graduates", "xlsx"),
            ("assistance_services", "assistance-services", "csv"),
        ]:
            answer = client.get(f"{API}/{path}/export", params={"format": format})
            assert answer.status_code == 200, answer.text
            content = answer.content
            if format == "csv":
                content = content.decode("utf-8-sig").encode("gb18030")
            job = _ended(client, content, kind, f"{kind}.{format}")
            assert (job["rows_written"], job["rows_present"]) == (0, 20), job
        assert _counts(client) == before

        # One cell edited: exactly that graduate changed, the numbers as they were.
        exported = client.get(f"{API}/assisted-graduates/export", params={"format": "csv"})
        table = _rows(exported.content, "csv")
        header = table[0]
        assert header[-1] == "系统编号" and table[1][header.index("居民身份证号")].count("*") == 8
        table[3][header.index("帮扶责任人")] = "吴老师"
        job = _ended(client, csv_bytes(table, "gb18030"), "assisted_graduates", "改.csv")
        assert (job["rows_written"], job["rows_present"]) == (1, 19), job
        after = everything(client, f"{API}/assisted-graduates")
        changed = [(g["id"], g["mentor"]) for g, was in zip(after, shown, strict=True) if g != was]
        assert changed == [(int(table[3][-1]), "吴老师")]
        assert _counts(client) == before
        found = client.post(f"{API}/assisted-graduates/lookup", json={"id_number": people[2][0]})
        assert [g["id"] for g in found.json()] == [int(table[3][-1])]

    leaks.LEAKS.scan("the served app's log", served.log())
    with served.database.engine.connect() as connection:
        leaks.LEAKS.scan_database("the served app's database", connection)
    assert leaks.LEAKS.take() == []
