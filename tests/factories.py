"""Valid records to build tests on. Each helper answers a JSON body for the API."""

import datetime as dt
import itertools

from sqlalchemy import func, select
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from tests.leaks import register

_sequence = itertools.count(1)

PKU = "4111010001"  # 北京大学, Beijing (11)
SYSU = "4144010558"  # 中山大学, Guangdong (44)
UNKNOWN_UNIVERSITY = "4199999999"

# Region codes (first 6 digits after the registration type) per province prefix.
_REGIONS = {"11": "110108", "12": "120116", "31": "310115", "44": "440300", "51": "510107"}


def make_uscc(n: int | None = None, province: str = "11") -> str:
    """A 统一社会信用代码 with a correct GB 32100-2015 check digit."""
    n = next(_sequence) if n is None else n
    first17 = f"91{_REGIONS.get(province, province + '0000')}{n:09d}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def with_wrong_check_digit(code: str) -> str:
    wrong = "0" if code[-1] != "0" else "1"
    return code[:-1] + wrong


def university(code: str = "4111010001", name: str = "北京大学", province: str = "11") -> dict:
    return {"code": code, "name": name, "province": province}


def employer(uscc: str | None = None, province: str = "11", industry: str = "I", **extra) -> dict:
    return {
        "uscc": uscc or make_uscc(province=province),
        "name": "北京示例科技有限公司",
        "industry": industry,
        "province": province,
        **extra,
    }


def visit(university_code: str, employer_uscc: str, **extra) -> dict:
    return {
        "university_code": university_code,
        "employer_uscc": employer_uscc,
        "visit_date": "2023-05-10",
        "positions_opened": 12,
        **extra,
    }


def event(**extra) -> dict:
    return {
        "title": "2023届毕业生春季双选会",
        "kind": "job_fair",
        "mode": "onsite",
        "start_date": "2023-05-20",
        "end_date": "2023-05-21",
        "province": "11",
        **extra,
    }


def vacancy(employer_uscc: str, **extra) -> dict:
    return {
        "employer_uscc": employer_uscc,
        "title": "软件开发工程师",
        "headcount": 5,
        "posted_date": "2023-06-01",
        "source": "direct",
        **extra,
    }


def created(response) -> dict:
    """The body of a 201 answer; fails the test with the problem details otherwise."""
    assert response.status_code == 201, response.text
    return response.json()


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """The answer is an RFC 9457 problem with `status`, naming `field` when given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:jobfair:problem:")
    if field is not None:
        assert field in [error["field"] for error in body.get("errors", [])], body
    return body


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (１２Ａ), as spreadsheets paste them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


def total(client, path: str, **params) -> int:
    """How many records the list at `path` holds under `params`."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["total"]


def count_rows(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def register_pku_and_sysu(client, employers: dict[str, str]) -> None:
    """北京大学 and 中山大学, and `employers` (uscc -> province), through the API."""
    for code, name, province in [(PKU, "北京大学", "11"), (SYSU, "中山大学", "44")]:
        created(client.post("/api/v1/universities", json=university(code, name, province)))
    for uscc, province in employers.items():
        created(client.post("/api/v1/employers", json=employer(uscc, province=province)))


HNU, CSU = "4143010532", "4143010533"  # 湖南大学, 中南大学, Hunan (43)


def register_hunan(client) -> None:
    """湖南大学 and 中南大学 (Hunan), and 北京大学, through the API."""
    for code, name, province in [
        (HNU, "湖南大学", "43"),
        (CSU, "中南大学", "43"),
        (PKU, "北京大学", "11"),
    ]:
        created(client.post("/api/v1/universities", json=university(code, name, province)))


_people = itertools.count(1)


def make_id_number(region: str = "430102", born: str | None = None) -> str:
    """A 居民身份证号 with a correct GB 11643-1999 check digit, each one new (and watched for
    in everything the tests produce: tests/leaks.py)."""
    n = next(_people)
    if born is None:
        born = (dt.date(2001, 1, 1) + dt.timedelta(days=n // 1000)).strftime("%Y%m%d")
    first17 = f"{region}{born}{n % 1000:03d}"
    return register(first17 + stdnum_ric.calc_check_digit(first17 + "0"))


def make_phone() -> str:
    return register(f"139{next(_people):08d}")


def graduate(cohort: int = 2023, **extra) -> dict:
    return {
        "cohort": cohort,
        "name": "张小明",
        "id_number": make_id_number(),
        "phone": make_phone(),
        "major": "计算机科学与技术",
        "education": "bachelor",
        "groups": ["poverty_registered"],
        "mentor": "李老师",
        "status_date": "2023-03-01",
        **extra,
    }
