"""Statistics and the bulletin are scoped to the token's reach: a province's figures are its
province's, a university's its university's, whatever they ask; a national token (or a national
reader) gets what it asks. Over the data set of tests/test_stats.py: 北京大学 and 清华大学 in
Beijing (11), 中山大学 in Guangdong (44), 复旦大学 in Shanghai (31); a vacancy counted in 44 under
北京大学 (va12), an event of 复旦大学 held in Jiangsu (32, ev9)."""

import pytest

from tests import factories as f
from tests.test_stats import FDU, PKU, SYSU, THU, build_data

STATS = "/api/v1/stats"
SUMMARY = f"{STATS}/summary"
BREAKDOWN = f"{STATS}/breakdown"
TIMESERIES = f"{STATS}/timeseries"
BULLETIN = "/api/v1/reports/bulletin"
C23 = {"campaign": "c23"}


@pytest.fixture
def data(client):
    return build_data(client)


def get_ok(client, path: str, headers: dict | None = None, **params) -> dict:
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def guangdong(data, bearer) -> dict[str, str]:
    return bearer("province", province="44")


def test_province_summary_is_its_province_whatever_it_asks(client, data, guangdong):
    national_44 = get_ok(client, SUMMARY, **C23, province="44")
    assert national_44["filters"] == {
        "campaign": "c23",
        "province": "44",
        "university": None,
        "industry": None,
    }
    # What the province's figures are (SYSU's visits v6, v7; ev2; va2, va4, va12), by hand.
    assert national_44["figures"] == {
        "universities_visiting": 1,
        "enterprises_visited": 2,
        "visits": 2,
        "positions_opened": 28,
        "events": 1,
        "employers_at_events": 2,
        "attendances": 300,
        "postings": 3,
        "headcount": 34,
    }
    assert get_ok(client, SUMMARY, guangdong, **C23) == national_44
    assert get_ok(client, SUMMARY, guangdong, **C23, province="44") == national_44
    assert get_ok(client, SUMMARY, guangdong, **C23, province="11") == national_44
    assert get_ok(client, SUMMARY, guangdong, **C23, province="110108") == national_44
    # Not the nation's, nor Beijing's.
    assert get_ok(client, SUMMARY, **C23) != national_44
    assert get_ok(client, SUMMARY, **C23, province="11") != national_44


def test_province_summary_keeps_campaign_industry_and_dates_as_asked(client, data, guangdong):
    for params in (
        {"campaign": "c22"},
        {**C23, "industry": "I"},
        {"from": "2023-05-01", "to": "2023-06-10"},
        {"campaign": "c23", "compare": "previous"},
    ):
        expected = get_ok(client, SUMMARY, **params, province="44")
        assert get_ok(client, SUMMARY, guangdong, **params, province="11") == expected
        assert expected != get_ok(client, SUMMARY, **params)


def test_province_may_narrow_to_one_of_its_universities(client, data, guangdong):
    expected = get_ok(client, SUMMARY, **C23, province="44", university=SYSU)
    assert expected["filters"]["province"] == "44"
    assert expected["filters"]["university"] == SYSU
    assert get_ok(client, SUMMARY, guangdong, **C23, university=SYSU) == expected
    assert get_ok(client, SUMMARY, guangdong, **C23, province="11", university=SYSU) == expected


def _no_university(code: str) -> dict:
    return {
        "type": "urn:jobfair:problem:not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No university with 学校标识码 {code}.",
        "instance": SUMMARY,
        "errors": [
            {
                "field": "university",
                "in": "query",
                "message": f"No university with 学校标识码 {code}.",
            }
        ],
    }


def test_university_outside_the_province_is_404_like_an_unknown_one(client, data, guangdong):
    refused_before = f.total(client, "/api/v1/audit", action="refused")

    outside = client.get(SUMMARY, params={**C23, "university": PKU}, headers=guangdong)
    assert f.assert_problem(outside, 404, "university") == _no_university(PKU)
    unknown = client.get(
        SUMMARY, params={**C23, "university": f.UNKNOWN_UNIVERSITY}, headers=guangdong
    )
    assert f.assert_problem(unknown, 404, "university") == _no_university(f.UNKNOWN_UNIVERSITY)
    for path in (BREAKDOWN, TIMESERIES, BULLETIN):
        params = {**C23, "university": THU, "by": "university"}
        f.assert_problem(client.get(path, params=params, headers=guangdong), 404, "university")

    # The out-of-reach ones are audited as refused accesses; the unknown one is not.
    assert f.total(client, "/api/v1/audit", action="refused") == refused_before + 4
    # A national token still gets the 422 of an unknown reference.
    f.assert_problem(
        client.get(SUMMARY, params={**C23, "university": f.UNKNOWN_UNIVERSITY}), 422, "university"
    )


def test_province_breakdown_by_province_is_its_one_row(client, data, guangdong):
    national = get_ok(client, BREAKDOWN, **C23, by="province", province="44")
    assert len(national["groups"]) == 34  # a national request lists every province
    [row_44] = [group for group in national["groups"] if group["code"] == "44"]
    assert row_44["name"] == "广东省"
    assert row_44["figures"] == get_ok(client, SUMMARY, **C23, province="44")["figures"]

    for asked in ({}, {"province": "11"}, {"province": "44"}):
        scoped = get_ok(client, BREAKDOWN, guangdong, **C23, by="province", **asked)
        assert scoped["groups"] == [row_44]
        assert {key: value for key, value in scoped.items() if key != "groups"} == {
            key: value for key, value in national.items() if key != "groups"
        }


def test_province_breakdown_by_university_is_its_province_records(client, data, guangdong):
    expected = get_ok(client, BREAKDOWN, **C23, by="university", province="44")
    # 中山大学, the records of no university (va4), and 北京大学's vacancy counted in 44 (va12):
    # each figure of the province's own records, under the university it is attributed to.
    assert [group["code"] for group in expected["groups"]] == [PKU, SYSU, None]
    assert expected["groups"][0]["figures"]["postings"] == 1
    assert expected["groups"][0]["figures"]["visits"] == 0
    asked_beijing = get_ok(client, BREAKDOWN, guangdong, **C23, by="university", province="11")
    assert asked_beijing == expected
    # Neither 清华大学 nor 复旦大学, which have records of the campaign elsewhere.
    national = get_ok(client, BREAKDOWN, **C23, by="university")
    assert {THU, FDU} <= {group["code"] for group in national["groups"]}


def test_province_breakdowns_equal_the_national_ones_for_the_province(client, data, guangdong):
    for by in ("industry", "event_kind", "source", "policy_program"):
        expected = get_ok(client, BREAKDOWN, **C23, by=by, province="44")
        assert get_ok(client, BREAKDOWN, guangdong, **C23, by=by, province="11") == expected
        assert expected != get_ok(client, BREAKDOWN, **C23, by=by)


def test_province_timeseries_is_its_province(client, data, guangdong):
    for interval in ("day", "week", "month"):
        params = {**C23, "interval": interval, "compare": "previous"}
        expected = get_ok(client, TIMESERIES, **params, province="44")
        assert expected["filters"]["province"] == "44"
        assert get_ok(client, TIMESERIES, guangdong, **params, province="11") == expected
        assert get_ok(client, TIMESERIES, guangdong, **params) == expected
        assert expected != get_ok(client, TIMESERIES, **params)


def test_province_bulletin_names_its_province(client, data, guangdong):
    expected = get_ok(client, BULLETIN, **C23, province="44")
    assert expected["text"].startswith("广东省共有1所高校走访2家企业，新开拓岗位28个；")
    assert get_ok(client, BULLETIN, guangdong, **C23) == expected
    assert get_ok(client, BULLETIN, guangdong, **C23, province="11") == expected
    assert get_ok(client, BULLETIN, **C23)["text"].startswith("全国共有")


@pytest.mark.parametrize("role", ["university", "reader"])
def test_university_figures_are_its_own_whatever_it_asks(client, data, bearer, role):
    pku = bearer(role, university_code=PKU)
    expected = get_ok(client, SUMMARY, **C23, university=PKU)
    assert expected["filters"] == {
        "campaign": "c23",
        "province": None,
        "university": PKU,
        "industry": None,
    }
    for asked in (
        {},
        {"university": PKU},
        {"university": SYSU},
        {"university": f.UNKNOWN_UNIVERSITY},
        {"province": "44"},
        {"province": "11"},
        {"province": "44", "university": SYSU},
    ):
        assert get_ok(client, SUMMARY, pku, **C23, **asked) == expected, asked
    # No province filter: 北京大学's vacancy counted in Guangdong (va12) is its own too, as
    # when a national token asks for 北京大学 alone.
    in_beijing_only = get_ok(client, SUMMARY, **C23, university=PKU, province="11")
    assert expected["figures"]["postings"] == in_beijing_only["figures"]["postings"] + 1

    for by in ("province", "university", "industry"):
        by_params = {**C23, "by": by}
        expected_rows = get_ok(client, BREAKDOWN, **by_params, university=PKU)
        assert get_ok(client, BREAKDOWN, pku, **by_params, university=SYSU) == expected_rows
    assert [
        group["code"] for group in get_ok(client, BREAKDOWN, pku, **C23, by="university")["groups"]
    ] == [PKU]

    series = {**C23, "interval": "week"}
    expected_series = get_ok(client, TIMESERIES, **series, university=PKU)
    assert get_ok(client, TIMESERIES, pku, **series, province="44") == expected_series

    bulletin = get_ok(client, BULLETIN, pku, **C23, university=SYSU)
    assert bulletin == get_ok(client, BULLETIN, **C23, university=PKU)
    assert bulletin["text"].startswith("北京大学共有1所高校")


def test_event_held_elsewhere_counts_for_its_university(client, data, bearer):
    """复旦大学's event held in Jiangsu (ev9) is in its figures, as a national token sees them."""
    fdu = bearer("university", university_code=FDU)
    expected = get_ok(client, SUMMARY, **C23, university=FDU)
    assert expected["figures"]["events"] == 2  # ev4 (Shanghai), ev9 (Jiangsu)
    assert get_ok(client, SUMMARY, fdu, **C23) == expected
    assert get_ok(client, SUMMARY, fdu, **C23, province="31") == expected


def test_reader_bound_to_a_province_reads_as_the_province(client, data, bearer, guangdong):
    reader = bearer("reader", province="44")
    for path, params in (
        (SUMMARY, {**C23, "province": "11"}),
        (BREAKDOWN, {**C23, "by": "province"}),
        (BREAKDOWN, {**C23, "by": "university", "province": "31"}),
        (TIMESERIES, {**C23, "interval": "week", "province": "11"}),
        (BULLETIN, {**C23, "province": "11"}),
    ):
        expected = get_ok(client, path, guangdong, **params)
        assert get_ok(client, path, reader, **params) == expected
    outside = client.get(SUMMARY, params={**C23, "university": PKU}, headers=reader)
    assert f.assert_problem(outside, 404, "university") == _no_university(PKU)


def test_national_reader_reads_national_figures(client, data, bearer):
    reader = bearer("reader")
    for path, params in (
        (SUMMARY, C23),
        (SUMMARY, {**C23, "province": "11"}),
        (SUMMARY, {**C23, "university": SYSU}),
        (BREAKDOWN, {**C23, "by": "province"}),
        (TIMESERIES, {**C23, "interval": "week"}),
        (BULLETIN, C23),
    ):
        assert get_ok(client, path, reader, **params) == get_ok(client, path, **params)
    assert len(get_ok(client, BREAKDOWN, reader, **C23, by="province")["groups"]) == 34
    assert get_ok(client, SUMMARY, reader, **C23, province="11")["filters"]["province"] == "11"
    f.assert_problem(
        client.get(SUMMARY, params={**C23, "university": f.UNKNOWN_UNIVERSITY}, headers=reader),
        422,
        "university",
    )


def test_answers_are_private_to_the_token(client, data, bearer, guangdong):
    beijing = bearer("province", province="11")
    mine = client.get(SUMMARY, params=C23, headers=guangdong)
    assert mine.status_code == 200, mine.text
    assert "private" in mine.headers["cache-control"]
    assert "public" not in mine.headers["cache-control"]
    assert "authorization" in mine.headers["vary"].lower()

    theirs = client.get(SUMMARY, params=C23, headers=beijing)
    assert theirs.status_code == 200, theirs.text
    assert theirs.content != mine.content
    assert theirs.headers["etag"] != mine.headers["etag"]

    # Each client's ETag answers its own 304; another token's ETag does not.
    again = {"If-None-Match": mine.headers["etag"]}
    cached = client.get(SUMMARY, params=C23, headers=guangdong | again)
    assert cached.status_code == 304
    assert "private" in cached.headers["cache-control"]
    assert "authorization" in cached.headers["vary"].lower()
    not_cached = client.get(SUMMARY, params=C23, headers=beijing | again)
    assert not_cached.status_code == 200
    assert not_cached.content == theirs.content

    # The same request of a province token and of a national token for that province: the
    # same data, the same body, the same ETag.
    national_44 = client.get(SUMMARY, params={**C23, "province": "44"})
    assert national_44.headers["etag"] == mine.headers["etag"]
