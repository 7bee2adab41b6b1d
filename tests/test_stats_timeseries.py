"""GET /api/v1/stats/timeseries: figures per day, week (Monday–Sunday) or month, and cumulative,
checked against the independent count of tests/test_stats.py over the same data set."""

import datetime as dt

import pytest

from app.campaigns.service import find_campaign
from app.core.errors import InvalidInput
from app.stats import service
from app.stats.periods import MAX_PERIODS, Interval, period_count, period_index, periods
from app.stats.scope import Scope
from tests import factories as f
from tests.test_stats import (
    C22,
    C23,
    FDU,
    FIGURES,
    PKU,
    SYSU,
    Data,
    build_data,
    expected_figures,
    iso,
)

TIMESERIES = "/api/v1/stats/timeseries"
D = dt.date.fromisoformat
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def data(client) -> Data:
    return build_data(client)


def get_ok(client, **params) -> dict:
    response = client.get(TIMESERIES, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def cut(start: dt.date, end: dt.date, interval: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of [start, end], written independently of app.stats.periods: consecutive
    days that share a date, an ISO week (Monday–Sunday) or a calendar month."""

    def key(day: dt.date) -> object:
        if interval == "day":
            return day
        if interval == "week":
            return day.isocalendar()[:2]
        return day.year, day.month

    spans: list[list[dt.date]] = []
    day = start
    while day <= end:
        if spans and key(spans[-1][0]) == key(day):
            spans[-1][1] = day
        else:
            spans.append([day, day])
        day += ONE_DAY
    return [(first, last) for first, last in spans]


def expected_points(data: Data, start, end, interval: str, filters: dict, shift=None) -> list:
    """Per period, the figures of the period and cumulative from the range's first day (a
    distinct figure over [start, period end] counts each entity once, at its first appearance)."""
    points = []
    for first, last in cut(start, end, interval):
        point = {
            "start": first.isoformat(),
            "end": last.isoformat(),
            "figures": expected_figures(data, first, last, **filters),
            "cumulative": expected_figures(data, start, last, **filters),
            "previous": None,
        }
        if shift is not None:
            point["previous"] = {
                "start": (first + shift).isoformat(),
                "end": (last + shift).isoformat(),
                "figures": expected_figures(data, first + shift, last + shift, **filters),
                "cumulative": expected_figures(data, start + shift, last + shift, **filters),
            }
        points.append(point)
    return points


# name -> (query parameters, (start, end), filters the reference applies)
SCOPES = {
    "campaign": ({"campaign": "c23"}, C23[1:], {}),
    "cut_range": (
        {"from": "2023-05-03", "to": "2023-06-01"},
        (D("2023-05-03"), D("2023-06-01")),
        {},
    ),
    "around_campaign": (
        {"from": "2023-04-28", "to": "2023-09-03"},
        (D("2023-04-28"), D("2023-09-03")),
        {},
    ),
    "province": ({"campaign": "c23", "province": "110000"}, C23[1:], {"province": "11"}),
    "university": ({"campaign": "c23", "university": SYSU}, C23[1:], {"university": SYSU}),
    "industry": ({"campaign": "c23", "industry": "I"}, C23[1:], {"industry": "I"}),
    "province_and_industry": (
        {"campaign": "c23", "province": "44", "industry": "C"},
        C23[1:],
        {"province": "44", "industry": "C"},
    ),
    "previous_campaign": ({"campaign": "c22"}, C22[1:], {}),
}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timeseries_equals_independent_count(client, data, interval, scope):
    params, (start, end), filters = SCOPES[scope]
    assert get_ok(client, interval=interval, **params) == {
        "interval": interval,
        "from": iso(start),
        "to": iso(end),
        "filters": {
            "campaign": params.get("campaign"),
            "province": None,
            "university": None,
            "industry": None,
            **filters,
        },
        "previous_campaign": None,
        "periods": expected_points(data, start, end, interval, filters),
    }


def as_figures(values: tuple[int, ...]) -> dict:
    return dict(zip(FIGURES, values, strict=True))


def test_weekly_series_by_hand(client, data):
    """Weeks 1–3 of c23. E1 is visited in week 1 and week 3, E8 is at events in weeks 1 and 3:
    each counts in both weeks, but once in the cumulative figures."""
    body = get_ok(client, campaign="c23", to="2023-05-21", interval="week")
    assert [(p["start"], p["end"]) for p in body["periods"]] == [
        ("2023-05-01", "2023-05-07"),
        ("2023-05-08", "2023-05-14"),
        ("2023-05-15", "2023-05-21"),
    ]
    per_week = [
        (1, 1, 1, 10, 1, 2, 120, 1, 1),  # v1 (PKU→E1); ev3 (E3, E8); va6
        (1, 1, 2, 7, 0, 0, 0, 1, 3),  # v4, v5 (PKU→E3); va3
        (2, 2, 2, 13, 1, 3, 500, 1, 6),  # v3 (THU→E1), v9 (FDU→E4); ev1 (E1, E5, E8); va11
    ]
    cumulative = [
        (1, 1, 1, 10, 1, 2, 120, 1, 1),
        (1, 2, 3, 17, 1, 2, 120, 2, 4),  # PKU; E1, E3
        (3, 3, 5, 30, 2, 4, 620, 3, 10),  # PKU, THU, FDU; E1, E3, E4; E3, E8, E1, E5
    ]
    assert [p["figures"] for p in body["periods"]] == [as_figures(w) for w in per_week]
    assert [p["cumulative"] for p in body["periods"]] == [as_figures(w) for w in cumulative]


def test_daily_series_by_hand(client, data):
    body = get_ok(client, **{"from": "2023-05-09", "to": "2023-05-11"})
    assert body["interval"] == "day"  # the default
    zero = dict.fromkeys(FIGURES, 0)
    may_10 = zero | {
        "universities_visiting": 1,
        "enterprises_visited": 1,  # E3, visited twice by PKU that day
        "visits": 2,
        "positions_opened": 7,
    }
    assert body["periods"] == [
        {
            "start": "2023-05-09",
            "end": "2023-05-09",
            "figures": zero,
            "cumulative": zero,
            "previous": None,
        },
        {
            "start": "2023-05-10",
            "end": "2023-05-10",
            "figures": may_10,
            "cumulative": may_10,
            "previous": None,
        },
        {
            "start": "2023-05-11",
            "end": "2023-05-11",
            "figures": zero | {"postings": 1, "headcount": 3},  # va3
            "cumulative": may_10 | {"postings": 1, "headcount": 3},
            "previous": None,
        },
    ]


def test_monthly_series_by_hand(client, data):
    body = get_ok(client, campaign="c23", interval="month")
    assert [(p["start"], p["end"]) for p in body["periods"]] == [
        ("2023-05-01", "2023-05-31"),
        ("2023-06-01", "2023-06-30"),
        ("2023-07-01", "2023-07-31"),
        ("2023-08-01", "2023-08-31"),
    ]
    # E1 is visited in May and June; cumulative enterprises_visited counts it once
    assert [p["figures"]["enterprises_visited"] for p in body["periods"]] == [4, 1, 1, 1]
    assert [p["cumulative"]["enterprises_visited"] for p in body["periods"]] == [4, 4, 5, 6]
    assert [p["figures"]["visits"] for p in body["periods"]] == [6, 1, 1, 1]
    assert [p["cumulative"]["visits"] for p in body["periods"]] == [6, 7, 8, 9]
    # E1 is at events in May and June; cumulative employers_at_events counts it once
    assert [p["figures"]["employers_at_events"] for p in body["periods"]] == [4, 2, 1, 3]
    assert [p["cumulative"]["employers_at_events"] for p in body["periods"]] == [4, 5, 6, 8]
    assert body["periods"][-1]["cumulative"] == get_summary(client, campaign="c23")


def get_summary(client, **params) -> dict:
    response = client.get("/api/v1/stats/summary", params=params)
    assert response.status_code == 200, response.text
    return response.json()["figures"]


@pytest.mark.parametrize("interval", ["day", "week", "month"])
@pytest.mark.parametrize(
    "params",
    [
        {"campaign": "c23"},
        {"campaign": "c23", "university": PKU},
        {"campaign": "c23", "industry": "J"},
        {"from": "2023-05-03", "to": "2023-07-02", "province": "44"},
    ],
)
def test_last_cumulative_is_the_summary(client, data, interval, params):
    body = get_ok(client, interval=interval, **params)
    assert body["periods"][-1]["cumulative"] == get_summary(client, **params)


@pytest.mark.parametrize(
    ("start", "end", "interval", "expected"),
    [
        # cut to the range at both ends: Wednesday to Thursday
        (
            "2023-05-03",
            "2023-06-01",
            "week",
            [
                ("2023-05-03", "2023-05-07"),
                ("2023-05-08", "2023-05-14"),
                ("2023-05-15", "2023-05-21"),
                ("2023-05-22", "2023-05-28"),
                ("2023-05-29", "2023-06-01"),
            ],
        ),
        # a Sunday alone, then a full week, then a Monday alone
        (
            "2023-05-07",
            "2023-05-15",
            "week",
            [
                ("2023-05-07", "2023-05-07"),
                ("2023-05-08", "2023-05-14"),
                ("2023-05-15", "2023-05-15"),
            ],
        ),
        # a week across the new year stays one week
        (
            "2023-12-28",
            "2024-01-03",
            "week",
            [("2023-12-28", "2023-12-31"), ("2024-01-01", "2024-01-03")],
        ),
        ("2024-12-30", "2025-01-05", "week", [("2024-12-30", "2025-01-05")]),
        (
            "2023-05-15",
            "2023-07-10",
            "month",
            [
                ("2023-05-15", "2023-05-31"),
                ("2023-06-01", "2023-06-30"),
                ("2023-07-01", "2023-07-10"),
            ],
        ),
        (
            "2024-01-31",
            "2024-03-01",
            "month",
            [
                ("2024-01-31", "2024-01-31"),
                ("2024-02-01", "2024-02-29"),
                ("2024-03-01", "2024-03-01"),
            ],
        ),
        ("2023-02-01", "2023-02-28", "month", [("2023-02-01", "2023-02-28")]),
        (
            "2023-12-20",
            "2024-01-05",
            "month",
            [("2023-12-20", "2023-12-31"), ("2024-01-01", "2024-01-05")],
        ),
        ("2023-05-10", "2023-05-10", "week", [("2023-05-10", "2023-05-10")]),
        ("2023-05-10", "2023-05-10", "month", [("2023-05-10", "2023-05-10")]),
        (
            "2023-02-27",
            "2023-03-02",
            "day",
            [(d, d) for d in ("2023-02-27", "2023-02-28", "2023-03-01", "2023-03-02")],
        ),
    ],
)
def test_periods_are_cut_to_the_range(client, start, end, interval, expected):
    body = get_ok(client, interval=interval, **{"from": start, "to": end})
    assert [(p["start"], p["end"]) for p in body["periods"]] == expected
    zero = dict.fromkeys(FIGURES, 0)
    assert all(p["figures"] == zero and p["cumulative"] == zero for p in body["periods"])
    # the same through app.stats.periods, and against the independent cutter
    found = periods(D(start), D(end), Interval(interval))
    assert found == [(D(a), D(b)) for a, b in expected]
    assert found == cut(D(start), D(end), interval)
    index = period_index(found)
    assert sorted(index) == [D(start) + ONE_DAY * i for i in range((D(end) - D(start)).days + 1)]
    assert [index[first] for first, _ in found] == list(range(len(found)))


def test_long_daily_series(client, data):
    """Every day of a year, one period each."""
    body = get_ok(client, **{"from": "2023-01-01", "to": "2023-12-31"})
    assert len(body["periods"]) == 365
    assert body["periods"][-1]["cumulative"] == expected_figures(
        data, D("2023-01-01"), D("2023-12-31")
    )


# --- compare=previous -----------------------------------------------------------------------


@pytest.mark.parametrize("interval", ["day", "week", "month"])
@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({}, {}),
        ({"province": "44"}, {"province": "44"}),
        ({"industry": "C"}, {"industry": "C"}),
        ({"university": FDU}, {"university": FDU}),  # nothing of Fudan's in 2022
        ({"from": "2023-05-10", "to": "2023-06-20"}, {}),
    ],
)
def test_compare_previous_equals_independent_count(client, data, interval, params, filters):
    body = get_ok(client, campaign="c23", compare="previous", interval=interval, **params)
    start = D(params.get("from", "2023-05-01"))
    end = D(params.get("to", "2023-08-31"))
    shift = C22[1] - C23[1]
    assert body["previous_campaign"] == "c22"
    assert body["periods"] == expected_points(data, start, end, interval, filters, shift)


def test_compare_previous_by_hand(client, data):
    body = get_ok(client, campaign="c23", compare="previous", interval="month")
    may = body["periods"][0]["previous"]
    assert (may["start"], may["end"]) == ("2022-05-01", "2022-05-31")
    # v12 (PKU→E1, 9); ev7 (400; E1, E5); va9 (30)
    assert may["figures"] == {
        "universities_visiting": 1,
        "enterprises_visited": 1,
        "visits": 1,
        "positions_opened": 9,
        "events": 1,
        "employers_at_events": 2,
        "attendances": 400,
        "postings": 1,
        "headcount": 30,
    }
    june = body["periods"][1]["previous"]
    assert (june["start"], june["end"]) == ("2022-06-01", "2022-06-30")
    assert june["figures"]["enterprises_visited"] == 1  # v13 (SYSU→E3)
    assert june["cumulative"]["enterprises_visited"] == 2
    assert june["cumulative"]["universities_visiting"] == 2
    august = body["periods"][3]["previous"]
    assert august["cumulative"] == {
        "universities_visiting": 2,
        "enterprises_visited": 2,
        "visits": 2,
        "positions_opened": 20,
        "events": 2,
        "employers_at_events": 3,
        "attendances": 650,
        "postings": 2,  # va10 on 2022-08-31 counts; v14 of 2022-09-01 does not
        "headcount": 34,
    }


def test_compare_is_aligned_by_day_of_campaign(client, data):
    """c24 starts on a Monday 371 days after c23: its weeks map onto c23's days 1–7, 8–14, …"""
    body = {"slug": "c24", "name": "2024", "start_date": "2024-05-06", "end_date": "2024-05-26"}
    f.created(client.post("/api/v1/campaigns", json=body | {"previous": "c23"}))
    answer = get_ok(client, campaign="c24", compare="previous", interval="week")
    assert answer["previous_campaign"] == "c23"
    assert [(p["previous"]["start"], p["previous"]["end"]) for p in answer["periods"]] == [
        ("2023-05-01", "2023-05-07"),
        ("2023-05-08", "2023-05-14"),
        ("2023-05-15", "2023-05-21"),
    ]
    previous = [p["previous"] for p in answer["periods"]]
    assert [p["figures"]["enterprises_visited"] for p in previous] == [1, 1, 2]
    assert [p["cumulative"]["enterprises_visited"] for p in previous] == [1, 2, 3]
    assert [p["cumulative"]["employers_at_events"] for p in previous] == [2, 2, 4]
    assert all(p["figures"] == dict.fromkeys(FIGURES, 0) for p in answer["periods"])


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023-05-01", "to": "2023-05-31"},
        {"campaign": "c22"},
    ],
)
def test_compare_without_previous_campaign_is_422(client, data, params):
    response = client.get(TIMESERIES, params={"compare": "previous", **params})
    f.assert_problem(response, 422, "compare")


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"to": "2023-05-31"}, "from"),
        ({"from": "2023-05-01"}, "to"),
        ({"interval": "week"}, "from"),
        ({"province": "11"}, "from"),
        ({"from": "2023-05-01", "to": "2023-05-31", "interval": "year"}, "interval"),
        ({"from": "2023-05-01", "to": "2023-05-31", "interval": "WEEK"}, "interval"),
        ({"from": "2023-05-31", "to": "2023-05-01"}, "from"),
        ({"campaign": "nope"}, "campaign"),
        ({"from": "1900-01-01", "to": "2023-05-31"}, "interval"),
        ({"from": "1000-01-01", "to": "9999-12-31", "interval": "week"}, "interval"),
        ({"from": "0001-01-01", "to": "9999-12-31", "interval": "month"}, "interval"),
        (
            {"campaign": "c23", "compare": "previous", "from": "0001-01-01", "to": "0001-12-31"},
            "from",
        ),
    ],
)
def test_bad_request_is_422_naming_the_parameter(client, data, params, field):
    f.assert_problem(client.get(TIMESERIES, params=params), 422, field)


@pytest.mark.parametrize(
    ("start", "end", "interval", "count"),
    [
        ("2023-05-01", "2023-05-01", "day", 1),
        ("2013-05-01", "2023-05-01", "day", 3653),
        ("2023-05-07", "2023-05-08", "week", 2),
        ("2023-05-01", "2023-05-07", "week", 1),
        ("2023-01-31", "2023-02-01", "month", 2),
        ("1000-01-01", "9999-12-31", "month", 108000),
    ],
)
def test_period_count_agrees_with_the_periods(start, end, interval, count):
    assert period_count(D(start), D(end), Interval(interval)) == count
    if count < 5000:
        assert len(periods(D(start), D(end), Interval(interval))) == count


def test_a_series_of_at_most_the_cap_is_answered(client, data):
    end = D("2023-05-31")
    start = end - dt.timedelta(days=MAX_PERIODS - 1)
    params = {"from": start.isoformat(), "to": end.isoformat(), "interval": "day"}
    response = client.get(TIMESERIES, params=params)
    assert response.status_code == 200
    assert len(response.json()["periods"]) == MAX_PERIODS


# --- the service function, called directly ------------------------------------------------


def test_service_timeseries_compare(session, data):
    c23 = find_campaign(session, "c23")
    scope = Scope(D("2023-05-01"), D("2023-06-30"), province="11")
    answer = service.timeseries(session, scope, Interval.MONTH, c23, compare=True)
    shift = C22[1] - C23[1]
    assert answer["previous_campaign"] == "c22"
    assert answer["filters"] == {
        "campaign": "c23",
        "province": "11",
        "university": None,
        "industry": None,
    }
    for point, (first, last) in zip(
        answer["periods"], cut(*scope_range(scope), "month"), strict=True
    ):
        assert (point["start"], point["end"]) == (first, last)
        assert point["figures"] == expected_figures(data, first, last, province="11")
        assert point["cumulative"] == expected_figures(data, scope.start, last, province="11")
        assert point["previous"] == {
            "start": first + shift,
            "end": last + shift,
            "figures": expected_figures(data, first + shift, last + shift, province="11"),
            "cumulative": expected_figures(data, scope.start + shift, last + shift, province="11"),
        }
    with pytest.raises(InvalidInput) as raised:
        service.timeseries(session, Scope(D("2023-05-01"), None), Interval.DAY)
    assert raised.value.errors[0]["field"] == "to"
    with pytest.raises(InvalidInput) as raised:
        service.timeseries(session, scope, Interval.DAY, None, compare=True)
    assert raised.value.errors[0]["field"] == "compare"


def scope_range(scope: Scope) -> tuple[dt.date, dt.date]:
    assert scope.start is not None and scope.end is not None
    return scope.start, scope.end
