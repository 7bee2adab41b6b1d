"""Vacancies bulk-loaded but not yet in the kept counts.

A bulk load writes its vacancies and, per contiguous run of their ids, one row in
`stat_pending_vacancies`; nothing else, so it runs at the speed of the load itself. Until a fold
moves them into `stat_counts`, readers count those runs straight from the records and add them
in, so every answer stays exact and current. A fold (the app's background folder, `jobfair
fold`, or a recount) counts runs into `stat_counts` and deletes them, in one transaction.

Single writes keep their figures as before, on the vacancies already counted only: a pending
vacancy changed or deleted simply reads differently from the records until it is folded.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, false, func, not_, or_, select
from sqlalchemy.orm import Session

from app.employers.models import Employer
from app.stats.models import PendingVacancies
from app.stats.scope import Scope
from app.vacancies.models import Vacancy

Run = tuple[int, int]


def runs_of(ids: Iterable[int]) -> list[Run]:
    """Ids as runs of consecutive ids."""
    return runs_of_ranges((number, number) for number in ids)


def register(session: Session, ids: Iterable[int]) -> None:
    """Mark just-written vacancies as not yet counted."""
    session.add_all(PendingVacancies(first_id=a, last_id=b) for a, b in runs_of(ids))
    session.flush()


def pending_runs(session: Session, *, lock: bool = False) -> list[Run]:
    """The runs not yet counted. `lock` holds them (shared) until the transaction ends, so that
    no fold counts them meanwhile: a write that needs to know what is counted asks with it."""
    query = select(PendingVacancies.first_id, PendingVacancies.last_id)
    if lock:
        query = query.with_for_update(read=True)
    return runs_of_ranges((first, last) for first, last in session.execute(query))


def runs_of_ranges(ranges: Iterable[Run]) -> list[Run]:
    """Ranges merged where they meet, so that a load of many batches is one condition."""
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def within(runs: list[Run]) -> ColumnElement:
    if not runs:
        return false()
    return or_(*(Vacancy.id.between(first, last) for first, last in runs))


def counted_only(condition: ColumnElement, runs: list[Run]) -> ColumnElement:
    return condition & not_(within(runs)) if runs else condition


def fold(session: Session, max_runs: int = 50) -> int:
    """Count up to `max_runs` pending runs into `stat_counts` and forget them; answer how many
    vacancies were counted. Runs that another fold holds are skipped."""
    from app.stats.upkeep import Touched, apply

    claimed = session.execute(
        select(PendingVacancies.id, PendingVacancies.first_id, PendingVacancies.last_id)
        .order_by(PendingVacancies.id)
        .limit(max_runs)
        .with_for_update(skip_locked=True)
    ).all()
    if not claimed:
        return 0
    session.execute(
        delete(PendingVacancies).where(PendingVacancies.id.in_([c.id for c in claimed]))
    )
    runs = runs_of_ranges((c.first_id, c.last_id) for c in claimed)
    apply(session, Touched(vacancies=within(runs)), 1)
    return sum(last - first + 1 for first, last in runs)


def forget_all(session: Session) -> None:
    """After a recount, which counts every vacancy."""
    session.execute(delete(PendingVacancies))


# Where the figures find each grouping of a vacancy; the employer only when asked for industry.
_GROUPED_BY = {
    "day": Vacancy.posted_date,
    "province": Vacancy.province,
    "industry": Employer.industry,
    "university": Vacancy.university_code,
    "source": Vacancy.source,
    "policy_program": Vacancy.policy_program,
}


def pending_figures(
    session: Session, scope: Scope, group: str | None, runs: list[Run]
) -> dict[object, tuple[int, int]]:
    """Postings and headcount of the pending vacancies in `scope`, per value of `group` (a
    grouping of the vacancies, or 'day'; one entry keyed None when not grouped)."""
    if group is not None and group not in _GROUPED_BY:
        return {}
    query = select(func.count(), func.coalesce(func.sum(Vacancy.headcount), 0)).where(
        within(runs), *_in_scope(scope)
    )
    if scope.industry is not None or group == "industry":
        query = query.join(Employer, Employer.uscc == Vacancy.employer_uscc)
    if group is None:
        postings, headcount = session.execute(query).one()
        return {None: (int(postings), int(headcount))}
    column = _GROUPED_BY[group]
    rows = session.execute(query.add_columns(column).group_by(column)).all()
    return {_plain(key): (int(postings), int(headcount)) for postings, headcount, key in rows}


def _in_scope(scope: Scope) -> list[ColumnElement]:
    conditions = []
    if scope.start:
        conditions.append(Vacancy.posted_date >= scope.start)
    if scope.end:
        conditions.append(Vacancy.posted_date <= scope.end)
    for column, value in (
        (Vacancy.province, scope.province),
        (Vacancy.university_code, scope.university),
        (Employer.industry, scope.industry),
    ):
        if value is not None:
            conditions.append(column == value)
    return conditions


def _plain(key: object) -> object:
    return getattr(key, "value", key)
