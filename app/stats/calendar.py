"""Months, for the monthly rows of the kept counts: a range's whole months are read from one row
per month and group, and only its ragged ends from the daily rows."""

import datetime as dt

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

# The monthly twin of level L is level L + MONTHLY, its day the first of the month.
MONTHLY = 10


class month_start(FunctionElement):
    """The first day of the month of a date, in SQL."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_of_month(day: dt.date) -> dt.date:
    if day.month == 12:
        return day.replace(day=31)
    return day.replace(month=day.month + 1, day=1) - dt.timedelta(days=1)


Span = tuple[dt.date, dt.date]


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month(number: int) -> dt.date:
    return dt.date(number // 12, number % 12 + 1, 1)


def split_by_months(first: dt.date, last: dt.date) -> tuple[list[Span], Span | None]:
    """[first, last] as its ragged ends (read day by day) and the first days of its first and
    last whole months (None when it holds no whole month)."""
    head = first.day != 1
    tail = last != last_of_month(last)
    whole_from = _month_number(first) + head
    whole_to = _month_number(last) - tail
    if whole_from > whole_to:
        return [(first, last)], None
    ends = [(first, last_of_month(first))] if head else []
    ends += [(first_of_month(last), last)] if tail else []
    return ends, (_month(whole_from), _month(whole_to))
