"""Cutting a date range into days, weeks (Monday to Sunday) or calendar months."""

import datetime as dt
from enum import StrEnum

from app.core.errors import InvalidInput


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


Period = tuple[dt.date, dt.date]


def _period_end(day: dt.date, interval: Interval) -> dt.date:
    if interval is Interval.DAY:
        return day
    if interval is Interval.WEEK:
        return day + dt.timedelta(days=6 - day.weekday())
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# A series longer than ten years of days is not a chart anyone reads; it is a mistake or an attack.
MAX_PERIODS = 3660


def period_count(start: dt.date, end: dt.date, interval: Interval) -> int:
    if interval is Interval.DAY:
        return (end - start).days + 1
    if interval is Interval.WEEK:
        return (end - (start - dt.timedelta(days=start.weekday()))).days // 7 + 1
    return (end.year - start.year) * 12 + end.month - start.month + 1


def refuse_too_many(start: dt.date, end: dt.date, interval: Interval) -> None:
    """A 422 naming `interval` when [start, end] by `interval` is more than MAX_PERIODS."""
    count = period_count(start, end, interval)
    if count > MAX_PERIODS:
        raise InvalidInput(
            f"From {start} to {end} by {interval.value} is {count} periods; at most "
            f"{MAX_PERIODS}: choose a shorter range or a longer interval.",
            field="interval",
            location="query",
        )


def periods(start: dt.date, end: dt.date, interval: Interval) -> list[Period]:
    """The periods covering [start, end], the first and last cut to the range."""
    cut: list[Period] = []
    day = start
    while day <= end:
        last = min(_period_end(day, interval), end)
        cut.append((day, last))
        day = last + dt.timedelta(days=1)
    return cut


def period_index(cut: list[Period]) -> dict[dt.date, int]:
    """Each day of the range -> the position of its period."""
    index: dict[dt.date, int] = {}
    for position, (first, last) in enumerate(cut):
        day = first
        while day <= last:
            index[day] = position
            day += dt.timedelta(days=1)
    return index
