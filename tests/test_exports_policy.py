"""The ledgers of policy positions out: quotas and their progress exported with the import's
Chinese headers, within the reader's reach and the list's filters, in .xlsx and CSV; sent back
unchanged they change nothing (each quota and count found as itself); one 岗位数 edited
changes that quota alone. Templates of both kinds, which import as they come."""

import csv
import io

import openpyxl
import pytest

from tests import factories as f
from tests.test_imports_policy import (
    API,
    PROGRESS_HEADER,
    QUOTA_HEADER,
    QUOTAS,
    errors_of,
    figures,
    imported,
)
from tests.test_policy import progress, quota, tianjin

EXPORTS = {
    "policy_quotas": f"{QUOTAS}/export",
    "policy_progress": f"{QUOTAS}/progress/export",
}
TJU = "4112010056"  # 天津大学


@pytest.fixture
def recorded(client) -> dict[str, int]:
    """Tianjin's quotas of 2022 and 2023 (ids of 2023's), Guangdong's 三支一扶 of 2023, and
    progress of three quotas."""
    ids = tianjin(client)
    guangdong = f.created(client.post(QUOTAS, json=quota(province="44", positions=9000)))
    for quota_id, stage, day, people in [
        (ids["three_supports"], "applied", "2023-05-20", 20400),
        (ids["three_supports"], "admitted", "2023-07-31", 4500),
        (ids["community"], "on_duty", "2023-08-01", 1500),
        (guangdong["id"], "admitted", "2023-07-01", 6000),
    ]:
        f.created(client.post(f"{QUOTAS}/{quota_id}/progress", json=progress(stage, day, people)))
    return ids


def table(content: bytes, format: str) -> list[list[str]]:
    """The ledger's cells as text, as a CSV holds them."""
    if format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    return [["" if c is None else str(c).removesuffix(" 00:00:00") for c in row] for row in cells]


def exported(client, kind: str, format: str = "csv", headers: dict | None = None, **filters):
    answer = client.get(EXPORTS[kind], params={"format": format, **filters}, headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.content


def state(client) -> list[dict]:
    return client.get(QUOTAS, params={"limit": 100}).json()["items"]


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(client, recorded, format):
    before, counted = state(client), figures(client)
    for kind, header, rows in [("policy_quotas", QUOTA_HEADER, 11), ("policy_progress", PROGRESS_HEADER, 4)]:  # fmt: skip
        content = exported(client, kind, format)
        cells = table(content, format)
        assert (cells[0], len(cells) - 1) == (header, rows)
        if format == "csv":  # as Excel saves it again on a Chinese Windows
            content = content.decode("utf-8-sig").encode("gb18030")
        job = imported(client, kind, content, f"{kind}.{format}")
        assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 0, rows)
    assert (state(client), figures(client)) == (before, counted)


def test_the_exports_hold_the_quotas_and_their_counts_as_an_office_reads_them(client, recorded):
    quotas = table(exported(client, "policy_quotas"), "csv")
    assert quotas[1] == ["community", "城乡社区专项计划", "天津市", "2022", "3500"]
    assert quotas[-1] == ["three_supports", "三支一扶", "广东省", "2023", "9000"]
    counts = table(exported(client, "policy_progress", province="12"), "csv")
    assert counts[1:] == [
        ["community", "城乡社区专项计划", "天津市", "2023", "到岗", "2023-08-01", "1500"],
        ["three_supports", "三支一扶", "天津市", "2023", "报名", "2023-05-20", "20400"],
        ["three_supports", "三支一扶", "天津市", "2023", "录用", "2023-07-31", "4500"],
    ]


def test_one_positions_edited_changes_that_quota_and_an_edited_count_is_a_bad_row(client, recorded):
    quotas = table(exported(client, "policy_quotas"), "csv")
    at = next(n for n, row in enumerate(quotas) if row[0] == "community" and row[3] == "2023")
    quotas[at][4] = "4600"
    job = imported(client, "policy_quotas", quotas, "改.csv")
    assert (job["status"], job["rows_written"], job["rows_present"]) == ("succeeded", 1, 10), job
    changed = client.get(f"{QUOTAS}/{recorded['community']}").json()
    assert changed["positions"] == 4600
    assert figures(client)["offered"] == 17600

    counts = table(exported(client, "policy_progress"), "csv")
    at = next(n for n, row in enumerate(counts) if row[4:6] == ["录用", "2023-07-31"])
    counts[at][6] = "4600"  # 三支一扶's, counted as 4500
    job = imported(client, "policy_progress", counts, "改.csv")
    assert errors_of(job) == [(at + 1, "人数")]


def test_the_exports_are_within_the_readers_reach_and_the_lists_filters(
    anonymous, bearer, client, recorded
):
    guangdong = bearer("province", province="44")
    own = table(exported(anonymous, "policy_quotas", headers=guangdong), "csv")
    assert [row[2] for row in own[1:]] == ["广东省"]
    # Another province's asked for: none, as the list answers it.
    other = table(exported(anonymous, "policy_quotas", headers=guangdong, province="12"), "csv")
    assert other == [QUOTA_HEADER]
    counts = table(exported(anonymous, "policy_progress", headers=guangdong), "csv")
    assert [row[4:] for row in counts[1:]] == [["录用", "2023-07-01", "6000"]]
    f.created(client.post(f"{API}/universities", json=f.university(TJU, "天津大学", "12")))
    tju = bearer("university", university_code=TJU)
    seen = table(exported(anonymous, "policy_quotas", headers=tju), "csv")
    assert {row[2] for row in seen[1:]} == {"天津市"} and len(seen) == 11
    filtered = table(exported(client, "policy_quotas", year=2022, program="rural_doctor"), "csv")
    assert filtered[1:] == [["rural_doctor", "大学生乡村医生专项计划", "天津市", "2022", "1000"]]


# --- templates --------------------------------------------------------------------------------


def _template(client, kind: str, headers: dict | None = None) -> tuple[list, set, bytes]:
    answer = client.get(f"{API}/imports/templates/{kind}.xlsx", headers=headers or {})
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
    shaded = {cell.value for cell in sheet[1] if str(cell.fill.fgColor.rgb).endswith("FCE4D6")}
    return [cell.value for cell in sheet[1]], shaded, answer.content


def test_templates_have_the_headers_and_import_as_they_come(anonymous, bearer, client):
    header, shaded, content = _template(client, "policy_quotas")
    assert (header, shaded) == (QUOTA_HEADER, set(QUOTA_HEADER))
    job = imported(client, "policy_quotas", content)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    header, shaded, content = _template(client, "policy_progress")
    assert header == PROGRESS_HEADER and shaded == set(PROGRESS_HEADER)
    job = imported(client, "policy_progress", content)
    assert (job["status"], job["rows_written"]) == ("succeeded", 1), job
    assert figures(client)["filled"] == 4500
    # A province's own 省份 is its token's: not asked for.
    _, shaded, _ = _template(anonymous, "policy_progress", bearer("province", province="12"))
    assert shaded == set(PROGRESS_HEADER) - {"省份"}
