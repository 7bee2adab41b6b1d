"""Keeping `stat_counts` and `stat_firsts` current, in the transaction of the write.

A write takes away the contribution of every record and every university or employer it may
change, makes the change, then adds their contribution back, computed afresh from the records.
Contributions are computed in SQL, set-based, so one statement serves a single visit and a bulk
load of millions alike.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Date,
    Engine,
    Select,
    String,
    func,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core import epochs
from app.employers.models import Employer
from app.events.models import Event, EventParticipant
from app.stats import locks, pending
from app.stats.calendar import MONTHLY, month_start
from app.stats.models import FIRST_APPEARANCE, StatCount, StatFirst
from app.stats.rebuilding import fresh_tables
from app.stats.spreading import Cells, Group, bytewise, spread_across
from app.universities.models import University
from app.vacancies.models import Vacancy
from app.visits.models import Visit

CELL_KEYS = ("level", "slice", "industry", "province", "university", "day")


@dataclass(frozen=True)
class Touched:
    """The records and the universities or employers whose contribution a write may change,
    each as a SQL condition on its table."""

    visits: ColumnElement | None = None
    events: ColumnElement | None = None
    vacancies: ColumnElement | None = None
    universities_visiting: ColumnElement | None = None
    enterprises_visited: ColumnElement | None = None
    employers_at_events: ColumnElement | None = None

    def plus(self, **conditions: ColumnElement) -> "Touched":
        return replace(self, **conditions)


def visits_touch(universities, employers, visit_id: int | None = None) -> Touched:
    """A visit write: the visit, and its universities and employers (before and after)."""
    return Touched(
        visits=None if visit_id is None else Visit.id == visit_id,
        universities_visiting=Visit.university_code.in_(set(universities)),
        enterprises_visited=Visit.employer_uscc.in_(set(employers)),
    )


def employer_touch(session: Session, uscc: str) -> Touched:
    """An employer changing industry: everything counted under its industry. It runs alone."""
    locks.reclassify(session)
    universities = session.scalars(
        select(Visit.university_code).where(Visit.employer_uscc == uscc).distinct()
    ).all()
    return Touched(
        visits=Visit.employer_uscc == uscc,
        vacancies=Vacancy.employer_uscc == uscc,
        universities_visiting=Visit.university_code.in_(universities),
        enterprises_visited=Visit.employer_uscc == uscc,
        employers_at_events=EventParticipant.employer_uscc == uscc,
    )


def university_touch(session: Session, code: str) -> Touched:
    """A university moving province: its visits are counted under its province. It runs alone."""
    locks.reclassify(session)
    employers = session.scalars(
        select(Visit.employer_uscc).where(Visit.university_code == code).distinct()
    ).all()
    return Touched(
        visits=Visit.university_code == code,
        universities_visiting=Visit.university_code == code,
        enterprises_visited=Visit.employer_uscc.in_(employers),
    )


def events_touch(employers, event_id: int | None = None) -> Touched:
    """An event write: the event, and its participants (before and after)."""
    return Touched(
        events=None if event_id is None else Event.id == event_id,
        employers_at_events=EventParticipant.employer_uscc.in_(set(employers)),
    )


def _visits(where: ColumnElement, entity=None):
    return (
        select(
            University.province.label("province"),
            Visit.university_code.label("university"),
            Employer.industry.label("industry"),
            Visit.visit_date.label("day"),
            Visit.positions_opened.label("measure"),
            *([entity.label("entity")] if entity is not None else []),
        )
        .select_from(Visit)
        .join(University, University.code == Visit.university_code)
        .join(Employer, Employer.uscc == Visit.employer_uscc)
        .where(where)
    )


def _summed(base: Select):
    """Records alike in every group key as one row: spreading them into groups then costs per
    distinct key, not per record (a bulk load of millions has far fewer)."""
    base = base.subquery()
    keys = [column for column in base.c if column.name != "measure"]
    return (
        select(*keys, func.count().label("n"), func.sum(base.c.measure).label("measure"))
        .group_by(*keys)
        .cte("summed")  # read once for every group
    )


def _visit_cells(where: ColumnElement) -> Cells:
    return Cells(_summed(_visits(where)))


def _event_cells(where: ColumnElement) -> Cells:
    base = (
        select(
            Event.province.label("province"),
            Event.university_code.label("university"),
            Event.industry.label("industry"),
            Event.kind.label("kind"),
            Event.start_date.label("day"),
            Event.attendance.label("measure"),
        )
        .select_from(Event)
        .where(where)
    )
    return Cells(_summed(base), ("kind",))


def _vacancy_cells(where: ColumnElement) -> Cells:
    base = (
        select(
            Vacancy.province.label("province"),
            Vacancy.university_code.label("university"),
            Employer.industry.label("industry"),
            Vacancy.source.label("source"),
            Vacancy.policy_program.label("policy"),
            Vacancy.posted_date.label("day"),
            Vacancy.headcount.label("measure"),
        )
        .select_from(Vacancy)
        .join(Employer, Employer.uscc == Vacancy.employer_uscc)
        .where(where)
    )
    # Sources and programs are broken down for the nation and provinces only.
    return Cells(_summed(base), ("source", "policy"), sliced_levels=2)


def _daily_and_monthly(daily, measures: tuple[str, ...], only_from_before: bool = False):
    """The rows of `daily` (its keys summed per day into `measures`), and their monthly twins
    summed from them: from the few daily rows, not from the records' many spread rows. A
    monthly twin is read only for a range that holds its whole month, so an appearance whose
    previous one is in the same month can never count there (`only_from_before`: none kept)."""
    month = month_start(daily.c.day)
    twin = {"level": (daily.c.level + MONTHLY).label("level"), "day": month.label("day")}
    keys = [twin.get(column.name, column) for column in daily.c if column.name not in measures]
    monthly = select(*keys, *(func.sum(daily.c[name]).label(name) for name in measures))
    if only_from_before:
        monthly = monthly.where(daily.c.prev_day < month)
    return union_all(select(daily), monthly.group_by(*keys)).subquery()


def _counts(fact: str, cells: Cells, sign: int, batch: int = 0) -> Select:
    """The records' counts and sums per day in each of their groups, and their monthly twins.
    Summed group by group: many small aggregates, not one over every record in every group."""
    base = cells.records
    daily = union_all(
        *(
            select(
                *group.keys(base),
                base.c.day,
                (func.sum(base.c.n) * sign).label("records"),
                (func.sum(base.c.measure) * sign).label("total"),
            ).group_by(*group.varying(base), base.c.day)
            for group in cells.groups()
        )
    ).cte("daily")  # read once, for the daily rows and their monthly twins
    return _count_rows(fact, daily, batch)


def _counts_of_few(fact: str, cells: Cells, sign: int) -> Select:
    """As _counts, in a statement cheap to build (a write's few records; see spread_across)."""
    facts = spread_across(cells).subquery()
    keys = [facts.c[key] for key in CELL_KEYS]
    records, total = func.sum(facts.c.n) * sign, func.sum(facts.c.measure) * sign
    daily = select(*keys, records.label("records"), total.label("total")).group_by(*keys)
    return _count_rows(fact, daily.cte("daily"))


def _count_rows(fact: str, daily: CTE, batch: int = 0) -> Select:
    rows = _daily_and_monthly(daily, ("records", "total"))
    return select(
        literal(fact, String).label("fact"),
        *(rows.c[key] for key in (*CELL_KEYS, "records", "total")),
        literal(batch, BigInteger).label("batch"),
    ).where(true())  # SQLite reads an upsert's SELECT without a WHERE as a join's ON


def _participants(where: ColumnElement) -> Cells:
    base = (
        select(
            Event.province.label("province"),
            Event.university_code.label("university"),
            Employer.industry.label("industry"),
            Event.kind.label("kind"),
            Event.start_date.label("day"),
            literal(0).label("measure"),
            EventParticipant.employer_uscc.label("entity"),
        )
        .select_from(EventParticipant)
        .join(Event, Event.id == EventParticipant.event_id)
        .join(Employer, Employer.uscc == EventParticipant.employer_uscc)
        .where(where)
        .cte("records")
    )
    return Cells(base, ("kind",))


def _appearances(seen: CTE, group: Group, previous, sign: int) -> Select:
    """How many entities appear on each day in each instance of `group`, by the day each was
    last seen there (`previous`). Of an entity's rows of one day, only the first follows an
    earlier day."""
    return (
        select(
            *group.keys(seen),
            seen.c.day,
            func.coalesce(previous, literal(FIRST_APPEARANCE, Date)).label("prev_day"),
            (func.count() * sign).label("entities"),
        )
        .where(or_(previous.is_(None), previous < seen.c.day))
        .group_by(*group.varying(seen), seen.c.day, previous)
    )


def _firsts(figure: str, cells: Cells, sign: int) -> Select:
    """How many entities appear on each day in each group, by the day each was last seen there,
    and their monthly twins. Each record's previous day in every group is found in one pass
    over the records, a window per group: each window's rows sorted by entity first, so that
    after the first sort PostgreSQL only sorts each entity's few rows again (an incremental
    sort), rather than sorting the records spread into every group."""
    records, groups = cells.records, list(cells.groups())
    previous = [
        func.lag(records.c.day)
        .over(
            partition_by=[bytewise(c) for c in (records.c.entity, *group.varying(records))],
            order_by=records.c.day,
        )
        .label(f"previous_{n}")
        for n, group in enumerate(groups)
    ]
    varying = {column.name: column for group in groups for column in group.varying(records)}
    seen = select(*varying.values(), records.c.day, *previous).cte("seen")
    daily = union_all(
        *(
            _appearances(seen, group, seen.c[f"previous_{n}"], sign)
            for n, group in enumerate(groups)
        )
    ).cte("daily")
    return _first_rows(figure, daily)


def _firsts_of_few(figure: str, cells: Cells, sign: int) -> Select:
    """As _firsts, in a statement cheap to build (a write's few records; see spread_across)."""
    facts = spread_across(cells).subquery()
    rows = select(*(facts.c[key] for key in CELL_KEYS), facts.c.entity).distinct().subquery()
    partition = [rows.c[key] for key in CELL_KEYS if key != "day"] + [rows.c.entity]
    previous = func.lag(rows.c.day).over(partition_by=partition, order_by=rows.c.day)
    seen = select(
        *(rows.c[key] for key in CELL_KEYS),
        func.coalesce(previous, literal(FIRST_APPEARANCE, Date)).label("prev_day"),
    ).subquery()
    keys = [seen.c[key] for key in (*CELL_KEYS, "prev_day")]
    daily = select(*keys, (func.count() * sign).label("entities")).group_by(*keys)
    return _first_rows(figure, daily.cte("daily"))


def _first_rows(figure: str, daily: CTE) -> Select:
    rows = _daily_and_monthly(daily, ("entities",), only_from_before=True)
    return select(
        literal(figure, String).label("figure"),
        *(rows.c[key] for key in (*CELL_KEYS, "prev_day", "entities")),
    ).where(true())


def upsert_adding(session: Session, model, query: Select, measures: tuple[str, ...]) -> None:
    """Insert the rows of `query` (its columns named as the table's) into `model`, adding
    `measures` to those of a row already there."""
    dialect = session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = [column.name for column in query.selected_columns]
    statement = insert(model).from_select(columns, query)
    keys = [column.name for column in model.__table__.primary_key.columns]
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: getattr(model, name) + statement.excluded[name] for name in measures},
    )
    session.execute(statement)


def _visit_with(entity) -> Callable[[ColumnElement], Cells]:
    return lambda where: Cells(_visits(where, entity).cte("records"))


# What each fact's and distinct figure's kept rows are counted from: (its name, the part of a
# Touched that names its records, the records' cells).
_COUNTED = (
    ("visit", "visits", _visit_cells),
    ("event", "events", _event_cells),
    ("vacancy", "vacancies", _vacancy_cells),
)
_DISTINCT = (
    ("universities_visiting", "universities_visiting", _visit_with(Visit.university_code)),
    ("enterprises_visited", "enterprises_visited", _visit_with(Visit.employer_uscc)),
    ("employers_at_events", "employers_at_events", _participants),
)


def apply(session: Session, touched: Touched, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the contributions of what `touched` names. A write
    touches few records: its statements are the ones cheap to build, not to run at scale (a
    write holds the writers' turn while Python builds them)."""
    epochs.mark(session, epochs.FIGURES)
    for fact, part, cells in _COUNTED:
        if (where := getattr(touched, part)) is not None:
            counts = _counts_of_few(fact, cells(where), sign)
            upsert_adding(session, StatCount, counts, ("records", "total"))
    for figure, part, cells in _DISTINCT:
        if (where := getattr(touched, part)) is not None:
            firsts = _firsts_of_few(figure, cells(where), sign)
            upsert_adding(session, StatFirst, firsts, ("entities",))


def _insert(session: Session, table, query: Select) -> None:
    session.execute(table.insert().from_select([column.name for column in table.columns], query))


def insert_batch(session: Session, vacancies: ColumnElement, batch: int) -> None:
    """The counts of `vacancies` (pending ones: no counts of theirs are kept) as rows of batch
    `batch` of their own (see batches.py): inserted, never updated, so that it waits for no
    write, and no write for it."""
    epochs.mark(session, epochs.FIGURES)
    _insert(session, StatCount.__table__, _counts("vacancy", _vacancy_cells(vacancies), 1, batch))


@contextmanager
def keeping_figures(
    session: Session, before: Touched, after: Callable[[], Touched] | None = None
) -> Iterator[None]:
    """Around a write: take away what `before` names, let the write happen, add back what
    `after()` names (by default the same)."""
    if counting_deferred(session):
        yield
        return
    locks.write(session)
    session.flush()
    counted = _counted_only(session)
    apply(session, counted(before), -1)
    yield
    session.flush()
    apply(session, counted(after() if after else before), 1)


def _counted_only(session: Session) -> Callable[[Touched], Touched]:
    """What a write touches, less the vacancies still pending (see pending.py): their figures
    are read from the records until they are folded, so none are kept to take away or add.
    No fold runs meanwhile: the write is the one writer of the figures (see locks.py)."""
    runs: list[pending.Run] | None = None

    def counted(touched: Touched) -> Touched:
        nonlocal runs
        if touched.vacancies is None:
            return touched
        if runs is None:
            runs = pending.pending_runs(session)
        if runs:
            pending.note_changes(session, touched.vacancies)
        return touched.plus(vacancies=pending.counted_only(touched.vacancies, runs))

    return counted


_DEFERRED = "jobfair.stats.deferred"


def counting_deferred(session: Session) -> bool:
    """Whether the transaction keeps no count along the way (see counting_afterwards)."""
    return bool(session.info.get(_DEFERRED))


@contextmanager
def counting_afterwards(session: Session) -> Iterator[None]:
    """Many writes in a row (a demo, a load into an empty database): keep no count along the
    way, recount everything once at the end, in the same transaction."""
    session.info[_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)
    rebuild(session)


def sort_in_memory(session: Session) -> None:
    """Counting millions of records sorts millions of rows: let PostgreSQL sort them in memory,
    for this transaction."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '256MB'"))


def rebuild(session: Session, progress: Callable[[str], None] = lambda line: None) -> None:
    """Every figure recounted from the records (after a bulk load into an empty database, or to
    recover), into fresh tables (rebuilding.py); `progress` is told each step's time."""
    locks.reclassify(session)
    sort_in_memory(session)
    pending.forget_all(session)
    epochs.mark(session, epochs.FIGURES)
    kept = [StatCount.__table__, StatFirst.__table__]
    started = time.perf_counter()
    with fresh_tables(session, kept) as (counts, firsts):
        steps = [(counts, fact, _counts(fact, cells(true()), 1)) for fact, _, cells in _COUNTED]
        steps += [(firsts, name, _firsts(name, cells(true()), 1)) for name, _, cells in _DISTINCT]
        for table, name, query in steps:
            began = time.perf_counter()
            _insert(session, table, query)
            progress(f"counted {name} in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
    progress(f"made them the kept tables in {time.perf_counter() - began:.0f} s")
    if session.connection().dialect.name == "postgresql":
        # Fresh statistics, or the planner guesses at tables that just grew by millions of rows.
        session.execute(text("ANALYZE stat_counts, stat_firsts"))
    # Imported here: matchmaking's kept figures are kept with this module's tools.
    from app.matchmaking.kept import recount

    recount(session)
    progress(f"figures recounted in {time.perf_counter() - started:.0f} s")


def settle(engine: Engine) -> None:
    """After a recount has committed (PostgreSQL): mark the new rows visible to all, so that sums
    are read from the index alone rather than visiting each row (autovacuum would, later)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(
                "VACUUM (ANALYZE) stat_counts, stat_firsts, matchmaking_firsts, matchmaking_steps"
            )
