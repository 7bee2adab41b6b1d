"""Figures of the ledgers of graduates in difficulty, exact, scoped as the campaign's: a
province's or a university's token is answered for its own, whatever it asks. Readers see
these, never the rows.

Placed (落实) counts the statuses that are a destination: 已签约, 灵活就业, 升学, 参军, 基层项目.
Today's figures come from the status kept on each graduate; figures as of a past day (and the
previous cohort's, a year earlier) from the dated status history."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.assistance.models import (
    PLACED,
    AssistanceCount,
    AssistanceGroupCount,
    AssistanceService,
    AssistedGraduate,
    DifficultyGroup,
    EmploymentStatus,
    StatusChange,
)
from app.assistance.service import universities_of
from app.auth.principal import Reach
from app.stats.periods import Interval, periods, refuse_too_many
from app.universities.models import University


@dataclass(frozen=True)
class Ledger:
    """Which graduates: a cohort, within a province or a university (already narrowed to the
    asker's reach)."""

    cohort: int
    province: str | None = None
    university: str | None = None

    @classmethod
    def within(cls, reach: Reach, cohort: int, province: str | None, university: str | None):
        if reach.university is not None:
            return cls(cohort, reach.province, reach.university)
        if reach.province is not None:
            return cls(cohort, reach.province, university)
        return cls(cohort, province, university)

    def previous(self) -> "Ledger":
        return Ledger(self.cohort - 1, self.province, self.university)

    def conditions(self, model=AssistedGraduate) -> list[ColumnElement[bool]]:
        """Of the graduates (`model`: or the kept counts, keyed alike by cohort and
        university)."""
        conditions = [model.cohort == self.cohort]
        if self.province:
            conditions.append(model.university_code.in_(universities_of(self.province)))
        if self.university:
            conditions.append(model.university_code == self.university)
        return conditions

    def select(self, *columns, model=AssistedGraduate):
        return select(*columns).select_from(model).where(*self.conditions(model))


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _sum_if(condition, measure) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, measure), else_=0)), 0)


def _kept(ledger: Ledger, model, *columns, by_province: bool = False):
    """A query of the kept counts (`model`) of the ledger."""
    query = ledger.select(*columns, model=model)
    if by_province:
        query = query.join(University, University.code == model.university_code)
    return query


def summary(session: Session, ledger: Ledger) -> dict:
    """Today's figures of the ledger, summed from the kept counts."""
    kept = AssistanceCount
    row = session.execute(
        _kept(
            ledger,
            kept,
            func.coalesce(func.sum(kept.graduates), 0),
            _sum_if(kept.status.in_(PLACED), kept.graduates),
            _sum_if(kept.standard_met, kept.graduates),
            func.coalesce(func.sum(kept.trained), 0),
            func.coalesce(func.sum(kept.training_hours), 0),
            _sum_if(kept.status == EmploymentStatus.UNEMPLOYED, kept.graduates),
        )
    ).one()
    graduates, placed, to_standard, trained, hours, unemployed = (int(value) for value in row)
    return {
        "graduates": graduates,
        "placed": placed,
        "placement_rate": percent(placed, graduates),
        "served_to_standard": to_standard,
        "served_to_standard_share": percent(to_standard, graduates),
        "below_standard": graduates - to_standard,
        "trained": trained,
        "training_hours": hours,
        "unemployed": unemployed,
    }


def by_group(session: Session, ledger: Ledger) -> list[dict]:
    kept = AssistanceGroupCount
    rows = session.execute(
        _kept(
            ledger,
            kept,
            kept.group_code,
            func.sum(kept.graduates),
            _sum_if(kept.placed, kept.graduates),
        ).group_by(kept.group_code)
    ).all()
    counts = {code: (int(graduates), int(placed)) for code, graduates, placed in rows}
    groups = session.scalars(select(DifficultyGroup).order_by(DifficultyGroup.position))
    return [
        {
            "code": group.code,
            "name": group.name,
            "graduates": counts.get(group.code, (0, 0))[0],
            "placed": counts.get(group.code, (0, 0))[1],
        }
        for group in groups
    ]


def by_status(session: Session, ledger: Ledger) -> list[dict]:
    kept = AssistanceCount
    counts = dict(
        session.execute(
            _kept(ledger, kept, kept.status, func.sum(kept.graduates)).group_by(kept.status)
        ).all()
    )
    return [
        {"code": status.value, "name": status.label, "graduates": int(counts.get(status, 0))}
        for status in EmploymentStatus
    ]


def by_place(session: Session, ledger: Ledger, by: str) -> list[dict]:
    """Per university or province: graduates, placed, and how many are still short of the
    standard, most short first (whom to call today)."""
    kept = AssistanceCount
    key = University.province if by == "province" else kept.university_code
    rows = session.execute(
        _kept(
            ledger,
            kept,
            key,
            func.sum(kept.graduates),
            _sum_if(kept.status.in_(PLACED), kept.graduates),
            _sum_if(~kept.standard_met, kept.graduates),
            by_province=by == "province",
        ).group_by(key)
    ).all()
    listed = [
        {
            "key": code,
            "graduates": int(graduates),
            "placed": int(placed),
            "placement_rate": percent(int(placed), int(graduates)),
            "below_standard": int(below),
        }
        for code, graduates, placed, below in rows
        if graduates
    ]
    return sorted(listed, key=lambda row: (-row["below_standard"], row["key"]))


def _graduate_ids(ledger: Ledger):
    return ledger.select(AssistedGraduate.id)


def _status_on(day: dt.date):
    """A graduate's status on `day`: its latest change dated on or before it (one index
    lookup a graduate; a join to a window over the history is quadratic on SQLite)."""
    return (
        select(StatusChange.status)
        .where(StatusChange.graduate_id == AssistedGraduate.id, StatusChange.on <= day)
        .order_by(StatusChange.on.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(AssistedGraduate)
        .scalar_subquery()
    )


def _placed_changes(session: Session, ledger: Ledger) -> list[tuple[dt.date, int]]:
    """By day, how many of the ledger's graduates became placed, less those who stopped being:
    the placed on a day are the sum of these up to it. One pass over the history, where a
    graduate's status on each day would take one a day."""
    placed = case((StatusChange.status.in_(PLACED), 1), else_=0)
    before = func.lag(placed, 1, 0).over(
        partition_by=StatusChange.graduate_id, order_by=(StatusChange.on, StatusChange.id)
    )
    changes = (
        select(StatusChange.on.label("day"), (placed - before).label("change"))
        .where(StatusChange.graduate_id.in_(_graduate_ids(ledger)))
        .subquery()
    )
    rows = session.execute(
        select(changes.c.day, func.sum(changes.c.change))
        .group_by(changes.c.day)
        .having(func.sum(changes.c.change) != 0)
        .order_by(changes.c.day)
    ).all()
    return [(day, int(change)) for day, change in rows]


def _placed_on(changes: list[tuple[dt.date, int]], day: dt.date) -> int:
    return sum(change for changed_on, change in changes if changed_on <= day)


def _placement(day: dt.date, graduates: int, placed: int) -> dict:
    return {
        "on": day,
        "graduates": graduates,
        "placed": placed,
        "placement_rate": percent(placed, graduates),
    }


def _graduates(session: Session, ledger: Ledger) -> int:
    return int(session.scalar(ledger.select(func.count())) or 0)


def placed_as_of(session: Session, ledger: Ledger, day: dt.date) -> dict:
    """Graduates of the ledger and how many were placed on `day` (from the history)."""
    placed = _placed_on(_placed_changes(session, ledger), day)
    return _placement(day, _graduates(session, ledger), placed)


def one_year_before(day: dt.date) -> dt.date:
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else (day.replace(year=day.year - 1))
    )


def series(
    session: Session, ledger: Ledger, start: dt.date, end: dt.date, interval: Interval
) -> list[dict]:
    """Placement at the end of each period, and the previous cohort's a year before."""
    refuse_too_many(start, end, interval)
    earlier = ledger.previous()
    now, before = _placed_changes(session, ledger), _placed_changes(session, earlier)
    graduates, graduates_before = _graduates(session, ledger), _graduates(session, earlier)
    answer = []
    for first, last in periods(start, end, interval):
        year_ago = one_year_before(last)
        shown = _placement(last, graduates, _placed_on(now, last))
        del shown["on"]
        previous = _placement(year_ago, graduates_before, _placed_on(before, year_ago))
        answer.append({"from": first, "to": last, **shown, "previous_cohort": previous})
    return answer


def left_unplaced(session: Session, ledger: Ledger, left_on: dt.date) -> dict:
    """离校未就业: the graduates not placed on `left_on` (the campaign's end, or leaving
    school), how many are placed since, and how many have been served since (不断线)."""
    served = (
        select(AssistanceService.id)
        .where(
            AssistanceService.graduate_id == AssistedGraduate.id,
            AssistanceService.service_date > left_on,
        )
        .correlate(AssistedGraduate)
        .exists()
    )
    then = func.coalesce(_status_on(left_on), EmploymentStatus.UNEMPLOYED.value)
    # Each graduate unplaced then, side by side with their status now and whether served since.
    left = (
        ledger.select(AssistedGraduate.status.label("now"), served.label("served"))
        .where(then.not_in(PLACED))
        .subquery()
    )
    row = session.execute(
        select(
            func.count(),
            _sum_if(left.c.now.in_(PLACED), 1),
            _sum_if(left.c.served, 1),
        )
    ).one()
    cohort_left, placed_since, served_since = (int(value) for value in row)
    return {
        "left_on": left_on,
        "unplaced_on_leaving": int(cohort_left),
        "placed_since": int(placed_since or 0),
        "served_since": int(served_since or 0),
    }
