"""The ledgers of matchmaking out (app/imports/exports.py streams them), within the reader's
reach and the lists' filters, with the import's Chinese headers, so that an exported ledger
sent back finds each record as itself: a session by its 系统编号 (its 参会高校 joined with '；'),
an employer that took part by its session's 活动系统编号 and its code (重点领域 by name), an
intent by its 系统编号 (合作类型 by label, its 签约日期 and 落地日期 the days of those steps)."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, and_
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.auth.principal import Reach
from app.imports.columns import columns_of
from app.imports.exports import Table, ledger_cell
from app.matchmaking.intents import intents_query
from app.matchmaking.models import (
    CooperationIntent,
    IntentStatus,
    IntentStep,
    KeyField,
    MatchmakingSession,
    SessionEmployer,
)
from app.matchmaking.service import sessions_query

_FETCH = 2_000
_SESSION = (
    MatchmakingSession.id.label("session_id"),
    MatchmakingSession.title.label("session_title"),
    MatchmakingSession.held_on.label("session_held_on"),
)


def sessions_ledger(reach: Reach, **filters) -> Select:
    """The sessions the list selects (the latest first), as records: see `SESSIONS`."""
    return sessions_query(reach, **filters)


def _session_rows(factory: sessionmaker[Session], query: Select) -> Iterator[list[Any]]:
    columns = columns_of("matchmaking_sessions")
    with factory() as reading:
        for meeting in reading.scalars(query.execution_options(yield_per=_FETCH)):
            values = {column.field: getattr(meeting, column.field) for column in columns}
            values["universities"] = meeting.university_codes
            yield [ledger_cell(column, values[column.field]) for column in columns]


# A session's row: its attributes, but its universities as their codes.
SESSIONS = Table([column.label for column in columns_of("matchmaking_sessions")], _session_rows)


def employers_ledger(reach: Reach, **filters) -> Select:
    """The employers of the sessions the list selects, a row each, by session then code."""
    query = sessions_query(reach, **filters).with_only_columns(
        *_SESSION, SessionEmployer.employer_uscc, KeyField.name.label("key_field")
    )
    query = query.select_from(MatchmakingSession).join(
        SessionEmployer, SessionEmployer.session_id == MatchmakingSession.id
    )
    query = query.outerjoin(KeyField, KeyField.code == SessionEmployer.field_code)
    return query.order_by(SessionEmployer.employer_uscc)


def intents_ledger(reach: Reach, **filters) -> Select:
    """The intents the list selects, with their sessions and the days of their steps."""
    signed, landed = aliased(IntentStep), aliased(IntentStep)
    intent = CooperationIntent
    query = intents_query(reach, **filters).with_only_columns(
        *_SESSION,
        intent.university_code,
        intent.employer_uscc,
        intent.type,
        KeyField.name.label("key_field"),
        intent.summary,
        signed.as_of.label("signed_on"),
        landed.as_of.label("landed_on"),
        intent.id,
        maintain_column_froms=True,
    )
    query = query.join(MatchmakingSession, MatchmakingSession.id == intent.session_id)
    query = query.outerjoin(KeyField, KeyField.code == intent.field_code)
    for step, status in ((signed, IntentStatus.SIGNED), (landed, IntentStatus.LANDED)):
        query = query.outerjoin(step, and_(step.intent_id == intent.id, step.status == status))
    return query
