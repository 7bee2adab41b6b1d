"""Ledgers and requests as an office's clients send them to the served app: files to import,
jobs polled to their end, and writes retried, with their Idempotency-Key, while the service
answers 503 (Retry-After) or the connection drops."""

import time
import uuid
from dataclasses import dataclass, field

import httpx2 as httpx

from tests import factories as f
from tests.test_imports import csv_bytes, xlsx_bytes

UNIVERSITIES = [
    ("4111010001", "北京大学", "11"),
    ("4111010003", "清华大学", "11"),
    ("4112010056", "天津大学", "12"),
    ("4144010558", "中山大学", "44"),
    ("4144010561", "华南理工大学", "44"),
    ("4151010614", "电子科技大学", "51"),
    ("4151010610", "四川大学", "51"),
    ("4165010755", "新疆大学", "65"),
]
PROVINCES = sorted({province for _, _, province in UNIVERSITIES})
INDUSTRIES = ["C", "I", "M", "D", "E", "F"]
HEADERS = {
    "universities": ["学校标识码", "学校名称", "所在省份"],
    "employers": ["统一社会信用代码", "单位名称", "所属行业", "所在省份", "单位性质", "企业规模"],
    "visits": [
        "学校标识码",
        "统一社会信用代码",
        "走访日期",
        "新开拓岗位数",
        "带队领导",
        "台账编号",
    ],
    "events": [
        "活动名称",
        "活动类型",
        "举办形式",
        "开始日期",
        "结束日期",
        "举办省份",
        "主办高校标识码",
        "参会毕业生人次",
        "台账编号",
    ],
    "event_participants": ["活动台账编号", "统一社会信用代码"],
    "vacancies": [
        "统一社会信用代码",
        "岗位名称",
        "招聘人数",
        "发布日期",
        "岗位来源",
        "学校标识码",
        "台账编号",
    ],
    "policy_quotas": ["项目代码", "项目名称", "省份", "年度", "岗位数"],
    "policy_progress": ["项目代码", "项目名称", "省份", "年度", "招录阶段", "统计日期", "人数"],
    "matchmaking_sessions": ["活动名称", "活动形式", "举办日期", "主办单位", "省份", "参会高校"],
    "matchmaking_employers": ["活动名称", "举办日期", "统一社会信用代码", "重点领域"],
    "cooperation_intents": [
        "活动名称",
        "举办日期",
        "学校标识码",
        "统一社会信用代码",
        "合作类型",
        "签约日期",
        "落地日期",
    ],
    "policy_measures": [
        "政策名称",
        "发布单位",
        "政策层级",
        "省份",
        "城市",
        "政策类别",
        "补贴金额",
        "金额单位",
        "发布日期",
        "政策摘要",
    ],
    "publicity_sessions": [
        "宣讲日期",
        "宣讲主题",
        "主办单位类型",
        "主办单位",
        "省份",
        "学校标识码",
        "宣讲场所",
        "受众人数",
    ],
}
FINISHED = {"succeeded", "rejected", "failed", "interrupted"}


def encoded(kind: str, rows: list[list], format: str) -> tuple[bytes, str]:
    """The ledger (header and rows) as an .xlsx, or as a CSV saved by Excel on a Chinese
    Windows (GB18030), and its file name."""
    table = [HEADERS[kind], *rows]
    if format == "xlsx":
        return xlsx_bytes(table), f"{kind}.xlsx"
    return csv_bytes(table, "gb18030"), f"{kind}.csv"


def send(client: httpx.Client, kind: str, content: bytes, name: str, **headers) -> httpx.Response:
    return client.post(
        "/api/v1/imports", data={"kind": kind}, files={"file": (name, content)}, headers=headers
    )


def job_ended(client: httpx.Client, job_id: int, timeout: float = 300) -> dict:
    """The import job, polled until it has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/imports/{job_id}")
        if job.status_code == 200 and job.json()["status"] in FINISHED:
            return job.json()
        time.sleep(0.2)
    raise AssertionError(f"import job {job_id} did not end")


def imported(
    client: httpx.Client, kind: str, rows: list[list], format: str = "xlsx", *, busy: bool = False
) -> dict:
    """The ended job of a ledger of `kind` sent to the served app; it must have succeeded.
    `busy`: the service is busy with other writes, so a 503 is sent again (see `retried`)."""
    content, name = encoded(kind, rows, format)
    if busy:
        files = {"file": (name, content)}
        answer = retried(client, "POST", "/api/v1/imports", data={"kind": kind}, files=files)
        answer = answer.response
    else:
        answer = send(client, kind, content, name)
    assert answer.status_code == 202, answer.text
    job = job_ended(client, answer.json()["id"])
    assert job["status"] == "succeeded", job
    return job


def everything(client: httpx.Client, path: str, **params) -> list[dict]:
    """Every record of a list, a page of 1,000 at a time."""
    items: list[dict] = []
    while True:
        page = client.get(path, params={**params, "limit": 1000, "offset": len(items)})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        if len(items) >= page.json()["total"]:
            return items


@dataclass
class Retried:
    """What a client saw of one request it kept sending until it was answered."""

    response: httpx.Response
    attempts: int
    unavailable: int = 0


def retried(
    client: httpx.Client, method: str, url: str, *, give_up_after: float = 120, **options
) -> Retried:
    """The request sent (with one Idempotency-Key for all its attempts) until the service
    answers something other than 503 or a dropped connection."""
    headers = {"Idempotency-Key": uuid.uuid4().hex, **options.pop("headers", {})}
    deadline = time.monotonic() + give_up_after
    attempts = unavailable = 0
    while True:
        attempts += 1
        try:
            response = client.request(method, url, headers=headers, **options)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code != 503:
            return Retried(response, attempts, unavailable)
        if response is not None:
            unavailable += 1
            assert response.headers["content-type"].startswith("application/problem+json")
            assert int(response.headers["Retry-After"]) >= 1
        assert time.monotonic() < deadline, f"{method} {url}: still unavailable"
        time.sleep(0.2)


@dataclass
class Registry:
    """The universities and employers the tests write against."""

    universities: list[str] = field(default_factory=lambda: [c for c, _, _ in UNIVERSITIES])
    employers: list[str] = field(default_factory=list)

    def register(self, client: httpx.Client) -> None:
        imported(client, "universities", [list(row) for row in UNIVERSITIES], "xlsx")
        rows = []
        for n in range(48):
            province = PROVINCES[n % len(PROVINCES)]
            uscc = f.make_uscc(7_000 + n, province)
            self.employers.append(uscc)
            industry = INDUSTRIES[n % len(INDUSTRIES)]
            rows.append([uscc, f"示例企业{n}有限公司", industry, province, "民营企业", "中型"])
        imported(client, "employers", rows, "csv")

    def province_of(self, university: str) -> str:
        return next(p for code, _, p in UNIVERSITIES if code == university)
