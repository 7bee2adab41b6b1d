import datetime as dt
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel

from app.core.errors import InvalidInput


class DateRange(BaseModel):
    """An inclusive range of calendar dates (China Standard Time); either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None


FromDay = Annotated[
    dt.date | None, Query(alias="from", description="First day, inclusive (YYYY-MM-DD).")
]
ToDay = Annotated[
    dt.date | None, Query(alias="to", description="Last day, inclusive (YYYY-MM-DD).")
]


def date_range(start: dt.date | None, end: dt.date | None) -> DateRange:
    if start and end and start > end:
        raise InvalidInput(
            f"'from' ({start}) is after 'to' ({end}).", field="from", location="query"
        )
    return DateRange(start=start, end=end)


async def _date_range(start: FromDay = None, end: ToDay = None) -> DateRange:
    return date_range(start, end)


DateRangeDep = Annotated[DateRange, Depends(_date_range)]


def within(column, dates: DateRange) -> list:
    """SQL conditions keeping `column` inside the range."""
    conditions = []
    if dates.start:
        conditions.append(column >= dates.start)
    if dates.end:
        conditions.append(column <= dates.end)
    return conditions


def require_ordered(start: dt.date, end: dt.date, field: str = "end_date") -> None:
    """A record's end date may not come before its start date."""
    if end < start:
        raise InvalidInput(f"{field} ({end}) is before start_date ({start}).", field=field)
