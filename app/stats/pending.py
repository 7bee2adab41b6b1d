"""Vacancies bulk-loaded but not yet in the kept counts.

A bulk load writes its vacancies and, per contiguous run of their ids, one row in
`stat_pending_vacancies`; nothing else, so it runs at the speed of the load itself. Until a fold
moves them into `stat_counts`, readers count those runs straight from the records and add them
in, so every answer stays exact and current. A fold (the app's background folder, `jobfair
fold`, or a recount) counts runs into `stat_counts` and deletes them: here a few thousand
vacancies per transaction, as the one writer of the figures (see locks.py); on PostgreSQL in
pieces of millions, beside the writes (see batches.py).

Single writes keep their figures as before, on the vacancies already counted only: a pending
vacancy changed or deleted simply reads differently from the records until it is folded (and
moves its run's `changes`, so that a piece counting it meanwhile starts again).
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, false, func, not_, or_, select, update
from sqlalchemy.orm import Session

from app.core import epochs
from app.employers.models import Employer
from app.stats import locks
from app.stats.models import PendingVacancies
from app.stats.scope import Scope
from app.vacancies.models import Vacancy

Run = tuple[int, int]


def runs_of(ids: Iterable[int]) -> list[Run]:
    """Ids as runs of consecutive ids."""
    if isinstance(ids, range) and ids.step == 1:
        return [(ids.start, ids.stop - 1)] if ids else []
    return runs_of_ranges((number, number) for number in ids)


def register(session: Session, ids: Iterable[int]) -> None:
    """Mark just-written vacancies as not yet counted."""
    session.add_all(PendingVacancies(first_id=a, last_id=b) for a, b in runs_of(ids))
    session.flush()
    epochs.mark(session, epochs.FIGURES)


def pending_runs(session: Session) -> list[Run]:
    """The runs not yet counted."""
    query = select(PendingVacancies.first_id, PendingVacancies.last_id)
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


def note_changes(session: Session, vacancies: ColumnElement) -> None:
    """A write changes `vacancies`: each pending run holding one of them moves its `changes`,
    so that a fold counting the run meanwhile starts again (see batches.py)."""
    held = (
        select(Vacancy.id)
        .where(vacancies, Vacancy.id.between(PendingVacancies.first_id, PendingVacancies.last_id))
        .exists()
    )
    run = PendingVacancies
    session.execute(update(run).where(held).values(changes=run.changes + 1))


def within(runs: list[Run]) -> ColumnElement:
    if not runs:
        return false()
    return or_(*(Vacancy.id.between(first, last) for first, last in runs))


def counted_only(condition: ColumnElement, runs: list[Run]) -> ColumnElement:
    return condition & not_(within(runs)) if runs else condition


# Vacancies a fold counts per transaction: a write waits for at most one step (see locks.py).
FOLD_STEP = 5_000


def fold(session: Session, max_vacancies: int = FOLD_STEP) -> int:
    """Count up to `max_vacancies` pending vacancies, oldest runs first, into `stat_counts` and
    forget them; answer how many were counted."""
    from app.stats.upkeep import Touched, apply

    locks.share_loads(session)
    locks.write(session)
    taken: list[Run] = []
    room = max_vacancies
    oldest = select(PendingVacancies).order_by(PendingVacancies.id).limit(max_vacancies)
    for run in session.scalars(oldest):
        size = min(run.last_id - run.first_id + 1, room)
        taken.append((run.first_id, run.first_id + size - 1))
        if size == run.last_id - run.first_id + 1:
            session.delete(run)
        else:
            run.first_id += size  # the rest of the run, for the next step
        room -= size
        if not room:
            break
    if not taken:
        return 0
    session.flush()
    apply(session, Touched(vacancies=within(runs_of_ranges(taken))), 1)
    return max_vacancies - room


def forget_all(session: Session) -> None:
    """After a recount, which counts every vacancy."""
    session.execute(delete(PendingVacancies))
    epochs.mark(session, epochs.FIGURES)


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
