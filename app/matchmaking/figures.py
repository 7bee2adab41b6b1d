"""The figures of matchmaking over a range of days: the sessions held, the universities and
employers that took part (each counted once), the key fields, and the intents reached there,
each at its furthest step as of a day (意向, 签约, 落地); in all, or by type, field or province."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from app.auth.principal import Reach
from app.core.filters import DateRange, within
from app.matchmaking.kept_figures import kept_fields, kept_firsts, kept_intents
from app.matchmaking.models import (
    CooperationIntent,
    IntentStatus,
    IntentType,
    KeyField,
    MatchmakingSession,
    SessionEmployer,
    SessionUniversity,
)
from app.matchmaking.service import sessions_taken_part_in
from app.reference.data import PROVINCES
from app.stats.scope import Scope

STATUSES = [status.value for status in IntentStatus]
# The Ministry's own sessions have no province; their rows say so.
MINISTRY = "教育部"


@dataclass(frozen=True)
class MatchScope:
    dates: DateRange
    as_of: dt.date
    province: str | None = None
    university: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {"province": self.province, "university": self.university}


def scope_for(
    reach: Reach,
    dates: DateRange,
    as_of: dt.date | None = None,
    province: str | None = None,
    university: str | None = None,
) -> MatchScope:
    """A province's token gets its province's figures, a university's its own, whatever they
    ask. `as_of` by default: the range's end, or today."""
    if reach.university is not None:
        province, university = None, reach.university
    elif reach.province is not None:
        province = reach.province
    return MatchScope(dates, as_of or dates.end or dt.date.today(), province, university)


def matchmaking_scope(scope: Scope) -> MatchScope:
    """The campaign's scope as matchmaking counts it: a university's sessions are those it took
    part in, wherever they were held."""
    province = None if scope.university else scope.province
    dates = DateRange(start=scope.start, end=scope.end)
    return MatchScope(dates, scope.end or dt.date.today(), province, scope.university)


def _kept_in(model, scope: MatchScope) -> list:
    """SQL conditions keeping the rows of `model` (sessions, who took part, intents: each has
    its session's day and province) of the sessions held within the scope; a university's:
    those it took part in (its own intents, of those)."""
    conditions = within(model.held_on, scope.dates)
    if scope.province is not None:
        conditions.append(model.province == scope.province)
    if scope.university is None:
        return conditions
    if model is CooperationIntent:
        return [*conditions, CooperationIntent.university_code == scope.university]
    session_id = MatchmakingSession.id if model is MatchmakingSession else model.session_id
    return [*conditions, session_id.in_(sessions_taken_part_in(scope.university))]


def held(query, scope: MatchScope):
    """`query` of the sessions held within the scope."""
    return query.where(*_kept_in(MatchmakingSession, scope))


def _key(model, by: str | None):
    if by == "province":
        return func.coalesce(model.province, "")
    if by == "field":
        return func.coalesce(model.field_code, "")
    if by == "type":
        return model.type
    return literal("")


def _counted(session: Session, query) -> dict:
    return {key: count for key, count in session.execute(query)}


def _distinct(session: Session, column, model, scope: MatchScope, by: str | None, *only) -> dict:
    """{key: how many distinct `column` values}. In all, read in order from the index that
    starts with the column (a university or employer counted once, with no sort)."""
    kept = (*only, *_kept_in(model, scope))
    if by is None:
        inner = select(column).where(*kept).distinct().subquery()
        return {"": session.scalar(select(func.count()).select_from(inner))}
    key = _key(model, by).label("key")
    inner = select(key, column).where(*kept).distinct().subquery()
    return _counted(session, select(inner.c.key, func.count()).group_by(inner.c.key))


def _fields(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: the key fields some employer took part in}: in all, a look in the index of each
    of the fields."""
    if scope.university is None:
        return kept_fields(session, scope, by)
    if by is not None:
        field = SessionEmployer.field_code
        return _distinct(session, field, SessionEmployer, scope, by, field.is_not(None))
    taken = select(SessionEmployer.session_id).where(
        SessionEmployer.field_code == KeyField.code, *_kept_in(SessionEmployer, scope)
    )
    return {"": session.scalar(select(func.count()).select_from(KeyField).where(taken.exists()))}


def _sessions(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: the sessions held}; by key field, those where an employer of the field took part."""
    if by == "field" and scope.university is None:
        return kept_firsts(session, "sessions", scope, by)
    if by == "field":
        column = distinct(SessionEmployer.session_id)
        key = _key(SessionEmployer, by)
        query = select(key, func.count(column)).where(*_kept_in(SessionEmployer, scope))
        return _counted(session, query.group_by(key))
    key = _key(MatchmakingSession, by)
    query = select(key, func.count()).where(*_kept_in(MatchmakingSession, scope))
    return _counted(session, query.group_by(key))


def _who(session: Session, figure: str, scope: MatchScope, by: str | None) -> dict:
    """{key: the universities or employers that took part}: the nation's or a province's
    from the kept rows, a university's (a few sessions) from the records."""
    if scope.university is None:
        return kept_firsts(session, figure, scope, by)
    model = SessionEmployer if figure == "employers" else SessionUniversity
    column = model.employer_uscc if figure == "employers" else model.university_code
    return _distinct(session, column, model, scope, by)


def _taking_part(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: {sessions, universities, employers, fields}} (none by type)."""
    figures = {
        "sessions": _sessions(session, scope, by),
        "employers": _who(session, "employers", scope, by),
    }
    if by != "field":
        figures["universities"] = _who(session, "universities", scope, by)
        figures["fields"] = _fields(session, scope, by)
    answer: dict[str, dict] = {}
    for name, counts in figures.items():
        for key, count in counts.items():
            answer.setdefault(key, {})[name] = count
    return answer


def _intents(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: {intents, intended, signed, landed}}: the intents reached by as_of, at their
    furthest step by then (the days of its steps are kept on each intent)."""
    if scope.university is None:
        return kept_intents(session, scope, by)
    day = scope.as_of
    # Never NULL (a day not yet reached is false), so that "not landed" is true for them.
    landed = and_(CooperationIntent.landed_on.is_not(None), CooperationIntent.landed_on <= day)
    signed = and_(CooperationIntent.signed_on <= day, ~landed)
    key = _key(CooperationIntent, by)
    query = (
        select(
            key,
            func.count(),
            func.sum(case((signed, 1), else_=0)),
            func.sum(case((landed, 1), else_=0)),
        )
        .where(CooperationIntent.held_on <= day, *_kept_in(CooperationIntent, scope))
        .group_by(key)
    )
    answer = {}
    for row_key, intents, signed_count, landed_count in session.execute(query):
        row_key = row_key.value if isinstance(row_key, IntentType) else row_key
        signed_count, landed_count = int(signed_count), int(landed_count)
        answer[row_key] = {
            "intents": intents,
            "intended": intents - signed_count - landed_count,
            "signed": signed_count,
            "landed": landed_count,
        }
    return answer


def _labels(session: Session, by: str) -> dict[str, tuple]:
    """{key: (order, label)} of the types, key fields or provinces."""
    if by == "type":
        return {kind.value: (n, kind.label) for n, kind in enumerate(IntentType)}
    if by == "field":
        fields = {f.code: (f.position, f.name) for f in session.scalars(select(KeyField))}
        return fields | {"": (len(fields) + 1, "未分领域")}
    provinces = {code: (n + 1, name) for n, (code, name) in enumerate(PROVINCES.items())}
    return provinces | {"": (0, MINISTRY)}


NO_INTENTS = dict.fromkeys(["intents", *STATUSES], 0)
# The figures of who took part that each breakdown's rows have: a key field's sessions are
# those where an employer of the field took part; an intent's type has none.
TAKING_PART = {
    None: ("sessions", "universities", "employers", "fields"),
    "province": ("sessions", "universities", "employers", "fields"),
    "field": ("sessions", "employers"),
    "type": (),
}


def _part(taking_part: dict, key: str, by: str | None) -> dict:
    had = taking_part.get(key, {})
    return {name: had.get(name, 0) for name in TAKING_PART[by]}


def match_figures(session: Session, scope: MatchScope, by: str | None = None) -> dict:
    totals = _part(_taking_part(session, scope, None), "", None)
    totals |= _intents(session, scope, None).get("", NO_INTENTS)
    answer = {
        "from": scope.dates.start,
        "to": scope.dates.end,
        "as_of": scope.as_of,
        "filters": scope.filters(),
        "figures": totals,
        "by": by,
        "rows": [],
    }
    if by is None:
        return answer
    taking_part = {} if by == "type" else _taking_part(session, scope, by)
    intents = _intents(session, scope, by)
    labels = _labels(session, by)
    for key in sorted(set(taking_part) | set(intents), key=lambda key: labels[key][0]):
        row = {"key": key, "label": labels[key][1], **intents.get(key, NO_INTENTS)}
        answer["rows"].append(row | _part(taking_part, key, by))
    return answer
