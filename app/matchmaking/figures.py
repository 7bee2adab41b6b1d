"""The figures of matchmaking over a range of days: the sessions held, the universities and
employers that took part (each counted once), the key fields, and the intents reached there,
each at its furthest step as of a day (意向, 签约, 落地); in all, or by type, field or province."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, distinct, func, literal, select
from sqlalchemy.orm import Session

from app.auth.principal import Reach
from app.core.filters import DateRange, within
from app.matchmaking.models import (
    STATUS_ORDER,
    CooperationIntent,
    IntentStatus,
    IntentStep,
    IntentType,
    KeyField,
    MatchmakingSession,
    SessionEmployer,
    SessionUniversity,
)
from app.matchmaking.service import took_part
from app.reference.data import PROVINCES
from app.stats.scope import Scope

BY = ("type", "field", "province")
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


def held(query, scope: MatchScope):
    """`query` of the sessions held within the scope."""
    conditions = within(MatchmakingSession.held_on, scope.dates)
    if scope.province is not None:
        conditions.append(MatchmakingSession.province == scope.province)
    if scope.university is not None:
        conditions.append(took_part(scope.university))
    return query.where(*conditions)


def _key(by: str | None, field_column):
    if by == "province":
        return func.coalesce(MatchmakingSession.province, "")
    if by == "field":
        return func.coalesce(field_column, "")
    if by == "type":
        return CooperationIntent.type
    return literal("")


def _taking_part(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: {sessions, universities, employers, fields}} (none by type)."""
    key = _key(by, SessionEmployer.field_code)
    employers = held(
        select(
            key,
            func.count(distinct(MatchmakingSession.id)),
            func.count(distinct(SessionEmployer.employer_uscc)),
            func.count(distinct(SessionEmployer.field_code)),
        )
        .select_from(MatchmakingSession)
        .outerjoin(SessionEmployer, SessionEmployer.session_id == MatchmakingSession.id),
        scope,
    ).group_by(key)
    answer = {
        row[0]: {"sessions": row[1], "employers": row[2], "fields": row[3], "universities": 0}
        for row in session.execute(employers)
    }
    if by == "field":
        return answer
    key = _key(by, None)
    universities = held(
        select(key, func.count(distinct(SessionUniversity.university_code)))
        .select_from(MatchmakingSession)
        .join(SessionUniversity, SessionUniversity.session_id == MatchmakingSession.id),
        scope,
    ).group_by(key)
    for row_key, count in session.execute(universities):
        answer[row_key]["universities"] = count
    return answer


def _furthest(scope: MatchScope):
    """Each intent's furthest step on or before as_of, as its index in STATUS_ORDER."""
    rank = case(
        *((IntentStep.status == status, n) for n, status in enumerate(STATUS_ORDER)),
    )
    return (
        select(IntentStep.intent_id, func.max(rank).label("rank"))
        .where(IntentStep.as_of <= scope.as_of)
        .group_by(IntentStep.intent_id)
        .subquery()
    )


def _intents(session: Session, scope: MatchScope, by: str | None) -> dict:
    """{key: {intents, intended, signed, landed}}: the intents at each furthest step."""
    furthest = _furthest(scope)
    key = _key(by, CooperationIntent.field_code)
    counts = [func.sum(case((furthest.c.rank == n, 1), else_=0)) for n in range(len(STATUS_ORDER))]
    query = (
        select(key, func.count(), *counts)
        .select_from(CooperationIntent)
        .join(furthest, furthest.c.intent_id == CooperationIntent.id)
        .join(MatchmakingSession, MatchmakingSession.id == CooperationIntent.session_id)
        .group_by(key)
    )
    if scope.university is not None:
        query = query.where(CooperationIntent.university_code == scope.university)
    answer = {}
    for row in session.execute(held(query, scope)):
        row_key = row[0].value if isinstance(row[0], IntentType) else row[0]
        answer[row_key] = {"intents": row[1], **dict(zip(STATUSES, map(int, row[2:]), strict=True))}
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
