"""Cutting a range into whole months and ragged ends, for the monthly rows of the kept counts."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.stats.calendar import last_of_month, split_by_months

D = dt.date.fromisoformat


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@given(st.dates(), st.dates())
def test_ends_and_whole_months_cover_the_range_once(a, b):
    first, last = min(a, b), max(a, b)
    if (last - first).days > 800:
        last = first + dt.timedelta(days=800)
    ends, months = split_by_months(first, last)
    covered = [day for start, end in ends for day in _days(start, end)]
    if months:
        month, final = months
        assert month.day == 1 and final.day == 1
        covered += _days(month, last_of_month(final))
    assert sorted(covered) == _days(first, last)


def test_the_campaign_is_four_whole_months():
    assert split_by_months(D("2023-05-01"), D("2023-08-31")) == (
        [],
        (D("2023-05-01"), D("2023-08-01")),
    )


def test_the_calendar_ends_are_reached_without_overflow():
    ends, months = split_by_months(D("0001-01-01"), D("9999-12-31"))
    assert ends == [] and months == (D("0001-01-01"), D("9999-12-01"))


def test_a_range_holding_no_whole_month_is_read_day_by_day():
    assert split_by_months(D("2023-05-10"), D("2023-06-20")) == (
        [(D("2023-05-10"), D("2023-06-20"))],
        None,
    )
