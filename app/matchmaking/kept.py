"""Keeping matchmaking's figures (matchmaking_firsts, matchmaking_steps; see models.py) exact
at every commit, so that the nation's or a province's figures sum a few thousand kept rows
rather than count distinct among every employer that took part.

Every write of a session, of who took part or of an intent runs inside `keeping`: the
contribution of each university, employer, session and intent it may change is
taken away before and added back after, computed afresh from the records in SQL. Writers
take the one lock of the kept figures first (stats/locks.py), so two writes never compute a
contribution from the same stale rows."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import (
    Date,
    String,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from app.core import epochs
from app.matchmaking.models import (
    FIRST_APPEARANCE,
    NATION,
    CooperationIntent,
    MatchmakingFirst,
    MatchmakingStep,
    SessionEmployer,
    SessionUniversity,
)
from app.stats import locks
from app.stats.upkeep import counting_deferred, upsert_adding


@dataclass
class Touched:
    """What a write may change: the universities and employers that took part (before or
    after), the sessions (and the intents reached there), and the intents."""

    universities: set[str] = field(default_factory=set)
    employers: set[str] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)
    intents: set[int] = field(default_factory=set)


def _in(column, values: set):
    return column.in_(values) if values else None


def _figure_sources(touched: Touched | None) -> list[tuple]:
    """(figure, table, the entity counted, which rows (None: none), its breakdowns)."""
    everything = touched is None
    field_key = func.coalesce(SessionEmployer.field_code, "")

    def rows(column, values: set) -> object:
        return true() if everything else _in(column, values)

    return [
        (
            "universities",
            SessionUniversity,
            SessionUniversity.university_code,
            rows(SessionUniversity.university_code, touched and touched.universities),
            [("", literal(""))],
        ),
        (
            "employers",
            SessionEmployer,
            SessionEmployer.employer_uscc,
            rows(SessionEmployer.employer_uscc, touched and touched.employers),
            [("", literal("")), ("field", field_key)],
        ),
        (
            "sessions",
            SessionEmployer,
            SessionEmployer.session_id,
            rows(SessionEmployer.session_id, touched and touched.sessions),
            [("field", field_key)],
        ),
    ]


def _firsts(figure: str, model, entity, where, breakdowns, sign: int):
    """The rows `figure` keeps for the entities `where` names: each entity once a day in each
    group, by the day it last appeared there before."""
    spread = union(
        *(
            select(
                cast(province, String).label("province"),
                literal(breakdown, String).label("breakdown"),
                cast(key, String).label("row_key"),
                entity.label("entity"),
                model.held_on.label("day"),
            ).where(where)
            for province in (literal(NATION, String), func.coalesce(model.province, ""))
            for breakdown, key in breakdowns
        )
    ).subquery()
    group = [spread.c.province, spread.c.breakdown, spread.c.row_key]
    previous = func.lag(spread.c.day).over(
        partition_by=[*group, spread.c.entity], order_by=spread.c.day
    )
    seen = select(
        *group,
        spread.c.day,
        func.coalesce(previous, literal(FIRST_APPEARANCE, Date)).label("prev_day"),
    ).subquery()
    keys = [seen.c[name] for name in ("breakdown", "province", "row_key", "day", "prev_day")]
    return (
        select(
            literal(figure, String).label("figure"), *keys, (func.count() * sign).label("entities")
        )
        .group_by(*keys)
        .where(true())
    )


STEP_DAYS = (
    ("intended", CooperationIntent.held_on),
    ("signed", CooperationIntent.signed_on),
    ("landed", CooperationIntent.landed_on),
)


def _steps(where, sign: int):
    """The rows the intents `where` names keep: each step on its day, in each group."""
    intent = CooperationIntent
    breakdowns = (
        ("", literal("")),
        ("type", cast(intent.type, String)),
        ("field", func.coalesce(intent.field_code, "")),
    )
    spread = union_all(
        *(
            select(
                literal(breakdown, String).label("breakdown"),
                cast(province, String).label("province"),
                cast(key, String).label("row_key"),
                intent.held_on.label("held_on"),
                literal(step, String).label("step"),
                day.label("step_on"),
            ).where(where, day.is_not(None))
            for province in (literal(NATION, String), func.coalesce(intent.province, ""))
            for breakdown, key in breakdowns
            for step, day in STEP_DAYS
        )
    ).subquery()
    keys = [
        spread.c[name]
        for name in ("breakdown", "province", "row_key", "held_on", "step", "step_on")
    ]
    return select(*keys, (func.count() * sign).label("intents")).group_by(*keys).where(true())


def _apply(session: Session, touched: Touched | None, sign: int) -> None:
    """Add (sign 1) or take away (-1) the contributions of what `touched` names (None: all)."""
    epochs.mark(session, epochs.FIGURES)
    for figure, model, entity, where, breakdowns in _figure_sources(touched):
        if where is not None:
            rows = _firsts(figure, model, entity, where, breakdowns, sign)
            upsert_adding(session, MatchmakingFirst, rows, ("entities",))
    intents = _intents_where(touched)
    if intents is not None:
        upsert_adding(session, MatchmakingStep, _steps(intents, sign), ("intents",))


def _intents_where(touched: Touched | None):
    if touched is None:
        return true()
    named = [
        condition
        for condition in (
            _in(CooperationIntent.id, touched.intents),
            _in(CooperationIntent.session_id, touched.sessions),
        )
        if condition is not None
    ]
    return or_(*named) if named else None


@contextmanager
def keeping(
    session: Session, before: Touched, after: Callable[[], Touched] | None = None
) -> Iterator[None]:
    """Around a write: take away what `before` names, let the write happen, add back what
    `after()` names (by default the same). A bulk load that recounts afterwards keeps none."""
    if counting_deferred(session):
        yield
        session.flush()
        return
    locks.write(session)
    session.flush()
    _apply(session, before, -1)
    yield
    session.flush()
    _apply(session, after() if after else before, 1)


def recount(session: Session) -> None:
    """Matchmaking's kept figures counted afresh from the records (after a bulk load)."""
    locks.write(session)
    session.execute(delete(MatchmakingFirst))
    session.execute(delete(MatchmakingStep))
    _apply(session, None, 1)
    if session.connection().dialect.name == "postgresql":
        session.execute(text("ANALYZE matchmaking_firsts, matchmaking_steps"))
