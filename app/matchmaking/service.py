"""Matchmaking sessions and who took part. Who writes what: national staff any session (the
Ministry's have no province); a province's department its province's; a university its own.
Everyone reads the Ministry's sessions and its province's, and a university those it took part
in, to record the intents it reached there."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.auth.ownership import owning_province, owning_university
from app.auth.principal import Principal, Reach
from app.core.errors import Forbidden, InvalidInput, NotFound, StillReferenced, UnknownReference
from app.core.pagination import PageParams, paginate
from app.employers.service import require_employer
from app.matchmaking.kept import Touched, keeping
from app.matchmaking.models import (
    CooperationIntent,
    IntentStatus,
    KeyField,
    MatchmakingSession,
    SessionEmployer,
    SessionUniversity,
)
from app.matchmaking.schemas import EmployerTakingPart, SessionCreate, SessionUpdate
from app.stats import locks
from app.universities.service import require_university


def list_fields(session: Session) -> list[KeyField]:
    return list(session.scalars(select(KeyField).order_by(KeyField.position)))


def require_field(session: Session, code: str | None, field: str) -> str | None:
    if code is not None and session.get(KeyField, code) is None:
        raise UnknownReference(f"No key field {code!r} (see /matchmaking-fields).", field=field)
    return code


def sessions_taken_part_in(university: str):
    """SQL: the ids of the sessions `university` took part in."""
    return select(SessionUniversity.session_id).where(
        SessionUniversity.university_code == university
    )


def took_part(university: str):
    """SQL: the session had `university` among those taking part."""
    return MatchmakingSession.id.in_(sessions_taken_part_in(university))


def visible(reach: Reach) -> list:
    """SQL conditions keeping the sessions `reach` reads."""
    if reach.is_national:
        return []
    seen = [MatchmakingSession.province.is_(None), MatchmakingSession.province == reach.province]
    if reach.university is not None:
        seen.append(took_part(reach.university))
    return [or_(*seen)]


def _may_write(who: Principal, meeting: MatchmakingSession) -> None:
    if not who.reach.covers_university(meeting.university_code, meeting.province):
        raise Forbidden(
            f"Session {meeting.id} is not this token's to change: the Ministry's sessions are "
            "national staff's, a province's its department's, a university's its own."
        )


def _owner(session: Session, data: SessionCreate, who: Principal | None) -> tuple:
    """(university, province) of a new session: from the token, the university's province."""
    if who is None:
        university, province = data.university_code, data.province
    else:
        university = owning_university(who, data.university_code)
        province = owning_province(who, data.province)
    if university is not None:
        home = require_university(session, university).province
        if province not in (None, home):
            raise InvalidInput(
                f"University {university} is in province {home}, not {province}.",
                field="province",
            )
        province = home
    return university, province


def create_session(
    session: Session, data: SessionCreate, who: Principal | None
) -> MatchmakingSession:
    """`who` None (the demo loader): as given."""
    university, province = _owner(session, data, who)
    meeting = MatchmakingSession(
        title=data.title,
        format=data.format,
        held_on=data.held_on,
        organiser=data.organiser,
        province=province,
        university_code=university,
    )
    _set_universities(session, meeting, data.universities)
    _set_employers(session, meeting, data.employers)
    with keeping(session, touched_by(meeting), lambda: touched_by(meeting)):
        session.add(meeting)
    return meeting


def touched_by(meeting: MatchmakingSession, data: SessionUpdate | None = None) -> Touched:
    """What a write of the session changes in the kept figures: who took part (and who will,
    as `data` gives them), the session, and its intents."""
    universities = (data and data.universities) or []
    employers = (data and data.employers) or []
    ids = {meeting.id} if meeting.id is not None else set()
    return Touched(
        universities={*meeting.university_codes, *universities},
        employers={*meeting.employer_usccs, *(employer.uscc for employer in employers)},
        sessions=ids,
    )


def _held_at(meeting: MatchmakingSession) -> dict:
    """The session's day and province, as the records of who took part keep them."""
    return {"held_on": meeting.held_on, "province": meeting.province}


def _move_to_its_day(session: Session, meeting: MatchmakingSession) -> None:
    """The session's day corrected: who took part, and the intents reached there (their 意向
    is the session's day), move with it; not past a step an intent took afterwards."""
    for taking_part in (*meeting.universities, *meeting.employers):
        taking_part.held_on = meeting.held_on
    reached = session.scalars(
        select(CooperationIntent).where(CooperationIntent.session_id == meeting.id)
    )
    for intent in reached:
        if intent.signed_on is not None and intent.signed_on < meeting.held_on:
            raise InvalidInput(
                f"Intent {intent.id} reached at session {meeting.id} was signed on "
                f"{intent.signed_on}, before {meeting.held_on}.",
                field="held_on",
            )
        intent.held_on = meeting.held_on
        for step in intent.steps:
            if step.status == IntentStatus.INTENDED:
                step.as_of = meeting.held_on


def _set_universities(session: Session, meeting: MatchmakingSession, codes: list[str]) -> None:
    for position, code in enumerate(codes):
        require_university(session, code, field=f"universities[{position}]")
    meeting.universities = [
        SessionUniversity(university_code=code, **_held_at(meeting)) for code in codes
    ]


def _set_employers(
    session: Session, meeting: MatchmakingSession, employers: list[EmployerTakingPart]
) -> None:
    for position, employer in enumerate(employers):
        require_employer(session, employer.uscc, field=f"employers[{position}].uscc")
        require_field(session, employer.field, f"employers[{position}].field")
    meeting.employers = [
        SessionEmployer(employer_uscc=employer.uscc, field_code=employer.field, **_held_at(meeting))
        for employer in employers
    ]


def sessions_query(
    reach: Reach,
    *,
    start=None,
    end=None,
    province: str | None = None,
    university: str | None = None,
):
    query = select(MatchmakingSession).where(*visible(reach))
    if start is not None:
        query = query.where(MatchmakingSession.held_on >= start)
    if end is not None:
        query = query.where(MatchmakingSession.held_on <= end)
    if province is not None:
        query = query.where(MatchmakingSession.province == province)
    if university is not None:
        query = query.where(took_part(university))
    return query.order_by(MatchmakingSession.held_on.desc(), MatchmakingSession.id.desc())


def list_sessions(session: Session, page: PageParams, reach: Reach, **filters) -> dict:
    return paginate(session, sessions_query(reach, **filters), page)


def get_session(
    session: Session, session_id: int, reach: Reach, *, lock: dict | None = None
) -> MatchmakingSession:
    query = select(MatchmakingSession).where(MatchmakingSession.id == session_id, *visible(reach))
    if lock is not None:
        query = query.with_for_update(**lock).execution_options(populate_existing=True)
    meeting = session.scalar(query)
    if meeting is None:
        raise NotFound(f"No matchmaking session {session_id} within this token's reach.")
    return meeting


def current_session(
    session: Session, session_id: int, reach: Reach, lock: dict = locks.ROW_UPDATE
) -> MatchmakingSession:
    """The session and who took part as a write must see them: read afresh as the one writer
    of the kept figures (its lock first, then the row's, in the order every writer takes
    them), so that no write meanwhile is missed."""
    locks.write(session)
    return get_session(session, session_id, reach, lock=lock)


def _intents_of(session: Session, session_id: int, column, values: set[str]) -> str | None:
    """One of `values` that some intent of the session names in `column`."""
    if not values:
        return None
    return session.scalar(
        select(column)
        .where(CooperationIntent.session_id == session_id, column.in_(values))
        .limit(1)
    )


def _keep_intents(session: Session, meeting: MatchmakingSession, data: SessionUpdate) -> None:
    """A university or employer with intents there cannot be taken off a session."""
    checks = (
        ("universities", CooperationIntent.university_code, meeting.university_codes, None),
        ("employers", CooperationIntent.employer_uscc, meeting.employer_usccs, "uscc"),
    )
    for name, column, had, key in checks:
        given = getattr(data, name)
        if given is None:
            continue
        kept = {getattr(item, key) if key else item for item in given}
        dropped = _intents_of(session, meeting.id, column, set(had) - kept)
        if dropped is not None:
            raise StillReferenced(
                f"{dropped} reached cooperation intents at session {meeting.id}; delete "
                "those first.",
                field=name,
            )


def update_session(
    session: Session, session_id: int, data: SessionUpdate, who: Principal
) -> MatchmakingSession:
    meeting = current_session(session, session_id, who.reach)
    _may_write(who, meeting)
    _keep_intents(session, meeting, data)
    touched = touched_by(meeting, data)
    with keeping(session, touched):
        _change(session, meeting, data)
    return meeting


def _change(session: Session, meeting: MatchmakingSession, data: SessionUpdate) -> None:
    changes = data.changes()
    universities, employers = changes.pop("universities", None), changes.pop("employers", None)
    moved = changes.get("held_on", meeting.held_on) != meeting.held_on
    for field, value in changes.items():
        setattr(meeting, field, value)
    if moved:
        _move_to_its_day(session, meeting)
    if universities is not None:
        _set_universities(session, meeting, data.universities)
    if employers is not None:
        _set_employers(session, meeting, data.employers)


def delete_session(session: Session, session_id: int, who: Principal) -> None:
    meeting = current_session(session, session_id, who.reach, locks.ROW_DELETE)
    _may_write(who, meeting)
    intent = session.scalar(
        select(CooperationIntent.id).where(CooperationIntent.session_id == meeting.id).limit(1)
    )
    if intent is not None:
        raise StillReferenced(
            f"Session {meeting.id} has cooperation intents (such as {intent}); delete them first."
        )
    with keeping(session, touched_by(meeting)):
        session.delete(meeting)
