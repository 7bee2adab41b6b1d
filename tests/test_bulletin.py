"""The bulletin (SPEC.md, "The bulletin"): numbers floored and marked 余 (多 for 1,000–9,999),
the Ministry's sentence, and GET /api/v1/reports/bulletin over the data set of tests/test_stats.py."""

import pytest

from app.reports import service
from app.reports.numbers import bulletin_number
from app.stats.scope import Scope
from tests import factories as f
from tests.test_stats import C23, PKU, THU, USCC, Data, build_data, expected_figures

BULLETIN = "/api/v1/reports/bulletin"

CAMPAIGN_FIGURES = {
    "universities_visiting": 2612,
    "enterprises_visited": 236412,
    "visits": 300000,
    "positions_opened": 2903117,
    "events": 64000,
    "employers_at_events": 790318,
    "attendances": 10745000,
    "postings": 12300001,
    "headcount": 15000000,
}
CAMPAIGN_SENTENCE = (
    "全国共有2600多所高校走访23.6万余家企业，新开拓岗位290万余个；"
    "累计举办各类校园招聘活动6.4万场，79万余家企业提供岗位信息1230万余条，"
    "1074万余人次毕业生现场参加。"
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        # below 100: exact
        (0, "0"),
        (1, "1"),
        (35, "35"),
        (99, "99"),
        # 100–999: floored to hundreds, 余 when anything was dropped
        (100, "100"),
        (101, "100余"),
        (436, "400余"),
        (999, "900余"),
        # 1,000–9,999: floored to hundreds, 多
        (1000, "1000"),
        (1001, "1000多"),
        (1099, "1000多"),
        (1100, "1100"),
        (2612, "2600多"),
        (9999, "9900多"),
        # 10,000–999,999: 万 to one decimal, floored, .0 dropped
        (10000, "1万"),
        (10001, "1万余"),
        (10999, "1万余"),
        (11000, "1.1万"),
        (64000, "6.4万"),
        (99999, "9.9万余"),
        (100000, "10万"),
        (100100, "10万余"),
        (236412, "23.6万余"),
        (790318, "79万余"),
        (999999, "99.9万余"),
        # 1,000,000–99,999,999: whole 万, floored
        (1000000, "100万"),
        (1000001, "100万余"),
        (1009999, "100万余"),
        (1010000, "101万"),
        (2903117, "290万余"),
        (10745000, "1074万余"),
        (12300001, "1230万余"),
        (99999999, "9999万余"),
        # 100,000,000 and above: 亿 to two decimals, floored, trailing zeros dropped
        (100000000, "1亿"),
        (100000001, "1亿余"),
        (105000000, "1.05亿"),
        (110000000, "1.1亿"),
        (123456789, "1.23亿余"),
        (199999999, "1.99亿余"),
        (1000000000, "10亿"),
        (1234500000, "12.34亿余"),
    ],
)
def test_bulletin_number(value, written):
    assert bulletin_number(value) == written


def test_bulletin_number_refuses_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        bulletin_number(-1)


def test_the_campaign_sentence_word_for_word():
    assert service.bulletin_text("全国", CAMPAIGN_FIGURES) == CAMPAIGN_SENTENCE


def test_sentence_uses_each_figure_in_its_place():
    figures = dict.fromkeys(CAMPAIGN_FIGURES, 0) | {
        "universities_visiting": 1,
        "enterprises_visited": 2,
        "positions_opened": 3,
        "events": 4,
        "employers_at_events": 5,
        "postings": 6,
        "attendances": 7,
    }
    assert service.bulletin_text("广东省", figures) == (
        "广东省共有1所高校走访2家企业，新开拓岗位3个；累计举办各类校园招聘活动4场，"
        "5家企业提供岗位信息6条，7人次毕业生现场参加。"
    )


# --- over HTTP, on the data set -------------------------------------------------------------


@pytest.fixture
def data(client) -> Data:
    return build_data(client)


def get_ok(client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_national_bulletin(client, data):
    body = get_ok(client, BULLETIN, campaign="c23")
    figures = expected_figures(data, *C23[1:])
    assert body == {
        "from": "2023-05-01",
        "to": "2023-08-31",
        "filters": {"campaign": "c23", "province": None, "university": None, "industry": None},
        "text": (
            "全国共有4所高校走访6家企业，新开拓岗位63个；累计举办各类校园招聘活动5场，"
            "8家企业提供岗位信息8条，1900多人次毕业生现场参加。"
        ),
        "figures": figures,
        "written": {name: bulletin_number(value) for name, value in figures.items()},
    }
    summary = get_ok(client, "/api/v1/stats/summary", campaign="c23")
    assert body["figures"] == summary["figures"]


@pytest.mark.parametrize(
    ("province", "text"),
    [
        (
            "11",
            "北京市共有2所高校走访2家企业，新开拓岗位29个；累计举办各类校园招聘活动2场，"
            "4家企业提供岗位信息3条，600余人次毕业生现场参加。",
        ),
        (
            "440300",
            "广东省共有1所高校走访2家企业，新开拓岗位28个；累计举办各类校园招聘活动1场，"
            "2家企业提供岗位信息3条，300人次毕业生现场参加。",
        ),
        (
            "新疆",
            "新疆维吾尔自治区共有0所高校走访0家企业，新开拓岗位0个；累计举办各类校园招聘活动0场，"
            "0家企业提供岗位信息0条，0人次毕业生现场参加。",
        ),
    ],
)
def test_province_bulletin(client, data, province, text):
    body = get_ok(client, BULLETIN, campaign="c23", province=province)
    assert body["text"] == text
    code = body["filters"]["province"]
    assert body["figures"] == expected_figures(data, *C23[1:], province=code)
    summary = get_ok(client, "/api/v1/stats/summary", campaign="c23", province=province)
    assert body["figures"] == summary["figures"]
    assert (body["from"], body["to"]) == (summary["from"], summary["to"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2023-05-10", "to": "2023-06-10"},
        {"campaign": "c23", "industry": "I"},
        {"campaign": "c22", "province": "44"},
        {"campaign": "c23", "university": THU},
    ],
)
def test_bulletin_figures_are_the_summary(client, data, params):
    body = get_ok(client, BULLETIN, **params)
    summary = get_ok(client, "/api/v1/stats/summary", **params)
    assert body["figures"] == summary["figures"]
    assert body["filters"] == summary["filters"]
    assert (body["from"], body["to"]) == (summary["from"], summary["to"])


def test_bulletin_floors_large_figures(client):
    """Real-sized numbers through the API: 2,903,117 positions and 10,745,000 attendances."""
    f.created(client.post("/api/v1/universities", json=f.university(PKU, "北京大学", "11")))
    f.created(client.post("/api/v1/employers", json=f.employer(USCC["E1"], industry="I")))
    for positions in (1_000_000, 1_000_000, 903_117):
        body = f.visit(PKU, USCC["E1"], visit_date="2023-06-01", positions_opened=positions)
        f.created(client.post("/api/v1/visits", json=body))
    event = f.event(university_code=PKU, attendance=10_745_000, participants=[USCC["E1"]])
    f.created(client.post("/api/v1/events", json=event))
    body = get_ok(client, BULLETIN, province="11")
    assert body["text"] == (
        "北京市共有1所高校走访1家企业，新开拓岗位290万余个；累计举办各类校园招聘活动1场，"
        "1家企业提供岗位信息0条，1074万余人次毕业生现场参加。"
    )
    assert body["figures"]["positions_opened"] == 2_903_117
    assert body["written"]["positions_opened"] == "290万余"
    assert body["written"]["attendances"] == "1074万余"
    assert body["written"]["visits"] == "3"


def test_bulletin_service_directly(session, data):
    answer = service.bulletin(session, Scope(*C23[1:], province="11"))
    assert answer["text"].startswith("北京市共有2所高校")
    assert answer["figures"] == expected_figures(data, *C23[1:], province="11")
    national = service.bulletin(session, Scope(*C23[1:]))
    assert national["text"].startswith("全国共有4所高校走访6家企业")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"campaign": "c99"}, "campaign"),
        ({"province": "00"}, "province"),
        ({"university": f.UNKNOWN_UNIVERSITY}, "university"),
        ({"from": "2023-06-02", "to": "2023-06-01"}, "from"),
    ],
)
def test_bad_bulletin_request_is_422(client, params, field):
    f.assert_problem(client.get(BULLETIN, params=params), 422, field)
