"""The figures counted straight from the record tables with SQL: exact by construction, and the
reference every faster path is checked against."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, Select, distinct, func, select
from sqlalchemy.orm import Session

from app.employers.models import Employer
from app.events.models import Event, EventParticipant
from app.stats.figures import APPLICABLE, FIGURES, zero_figures
from app.stats.scope import Scope
from app.universities.models import University
from app.vacancies.models import Vacancy
from app.visits.models import Visit

GROUPINGS = ("province", "industry", "university", "event_kind", "source", "policy_program")

GroupKey = str | None
FigureRow = dict[str, int | None]


@dataclass(frozen=True, eq=False)
class _Facts:
    """One kind of record the figures count, and where each filter and grouping finds its value."""

    day: ColumnElement
    province: ColumnElement
    university: ColumnElement
    industry: ColumnElement
    groups: dict[str, ColumnElement]

    def select(self, scope: Scope, *columns) -> Select:
        query = select(*columns)
        query = self.joined(query)
        if scope.start:
            query = query.where(self.day >= scope.start)
        if scope.end:
            query = query.where(self.day <= scope.end)
        for column, value in (
            (self.province, scope.province),
            (self.university, scope.university),
            (self.industry, scope.industry),
        ):
            if value is not None:
                query = query.where(column == value)
        return query

    def joined(self, query: Select) -> Select:
        raise NotImplementedError


class _VisitFacts(_Facts):
    def joined(self, query: Select) -> Select:
        return (
            query.select_from(Visit)
            .join(University, University.code == Visit.university_code)
            .join(Employer, Employer.uscc == Visit.employer_uscc)
        )


class _EventFacts(_Facts):
    def joined(self, query: Select) -> Select:
        return query.select_from(Event)


class _ParticipantFacts(_Facts):
    def joined(self, query: Select) -> Select:
        return (
            query.select_from(EventParticipant)
            .join(Event, Event.id == EventParticipant.event_id)
            .join(Employer, Employer.uscc == EventParticipant.employer_uscc)
        )


class _VacancyFacts(_Facts):
    def joined(self, query: Select) -> Select:
        return query.select_from(Vacancy).join(Employer, Employer.uscc == Vacancy.employer_uscc)


VISITS = _VisitFacts(
    day=Visit.visit_date,
    province=University.province,
    university=Visit.university_code,
    industry=Employer.industry,
    groups={
        "province": University.province,
        "industry": Employer.industry,
        "university": Visit.university_code,
    },
)
EVENTS = _EventFacts(
    day=Event.start_date,
    province=Event.province,
    university=Event.university_code,
    # The industry filter keeps the events whose focus is that section.
    industry=Event.industry,
    groups={
        "province": Event.province,
        "industry": Event.industry,
        "university": Event.university_code,
        "event_kind": Event.kind,
    },
)
PARTICIPANTS = _ParticipantFacts(
    day=Event.start_date,
    province=Event.province,
    university=Event.university_code,
    # ...but the employers of that section, at any event in range.
    industry=Employer.industry,
    groups={
        "province": Event.province,
        "industry": Employer.industry,
        "university": Event.university_code,
        "event_kind": Event.kind,
    },
)
VACANCIES = _VacancyFacts(
    day=Vacancy.posted_date,
    province=Vacancy.province,
    university=Vacancy.university_code,
    industry=Employer.industry,
    groups={
        "province": Vacancy.province,
        "industry": Employer.industry,
        "university": Vacancy.university_code,
        "source": Vacancy.source,
        "policy_program": Vacancy.policy_program,
    },
)

# Each figure: the records it counts and how.
MEASURES: dict[str, tuple[_Facts, ColumnElement]] = {
    "universities_visiting": (VISITS, func.count(distinct(Visit.university_code))),
    "enterprises_visited": (VISITS, func.count(distinct(Visit.employer_uscc))),
    "visits": (VISITS, func.count()),
    "positions_opened": (VISITS, func.coalesce(func.sum(Visit.positions_opened), 0)),
    "events": (EVENTS, func.count()),
    "attendances": (EVENTS, func.coalesce(func.sum(Event.attendance), 0)),
    "employers_at_events": (PARTICIPANTS, func.count(distinct(EventParticipant.employer_uscc))),
    "postings": (VACANCIES, func.count()),
    "headcount": (VACANCIES, func.coalesce(func.sum(Vacancy.headcount), 0)),
}
# The entity a distinct figure counts once.
DISTINCT_ENTITIES: dict[str, ColumnElement] = {
    "universities_visiting": Visit.university_code,
    "enterprises_visited": Visit.employer_uscc,
    "employers_at_events": EventParticipant.employer_uscc,
}


def _code(key: object) -> GroupKey:
    return key.value if isinstance(key, Enum) else key


def _by_facts() -> dict[_Facts, list[str]]:
    by_facts: dict[_Facts, list[str]] = {}
    for name, (facts, _) in MEASURES.items():
        by_facts.setdefault(facts, []).append(name)
    return by_facts


def count_figures(
    session: Session, scope: Scope, by: str | None = None
) -> dict[GroupKey, FigureRow]:
    """The figures in `scope`, per group of `by` (one group, keyed None, when not grouped)."""
    applicable = APPLICABLE.get(by, FIGURES) if by else FIGURES
    results: dict[GroupKey, FigureRow] = {}
    for facts, names in _by_facts().items():
        group = facts.groups.get(by) if by else None
        if by and group is None:
            continue
        columns = [MEASURES[name][1].label(name) for name in names]
        query = facts.select(scope, *columns)
        if group is not None:
            query = query.add_columns(group.label("group_key")).group_by(group)
        for row in session.execute(query).mappings():
            key = _code(row["group_key"]) if group is not None else None
            figures = results.setdefault(key, zero_figures(applicable))
            figures.update({name: int(row[name]) for name in names})
    if by is None:
        results.setdefault(None, zero_figures())
    return results


def daily_totals(session: Session, scope: Scope) -> dict[dt.date, FigureRow]:
    """The additive figures per day in `scope`."""
    days: dict[dt.date, FigureRow] = {}
    for facts, names in _by_facts().items():
        additive = [name for name in names if name not in DISTINCT_ENTITIES]
        columns = [MEASURES[name][1].label(name) for name in additive]
        query = facts.select(scope, facts.day.label("day"), *columns).group_by(facts.day)
        for row in session.execute(query).mappings():
            figures = days.setdefault(row["day"], {})
            figures.update({name: int(row[name]) for name in additive})
    return days


def distinct_appearances(
    session: Session, scope: Scope, figure: str
) -> Iterable[tuple[str, dt.date]]:
    """Each (university or employer, day) that a distinct figure sees in `scope`, once."""
    facts = MEASURES[figure][0]
    entity = DISTINCT_ENTITIES[figure]
    query = facts.select(scope, entity, facts.day).distinct()
    return session.execute(query).all()
