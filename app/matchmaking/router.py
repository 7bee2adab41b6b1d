import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep, WriteDep
from app.auth.dependencies import Anyone, RecordWriter
from app.core.db import SessionDep
from app.core.filters import DateRangeDep
from app.core.pagination import Page, PageDep
from app.core.paths import IdPath
from app.core.preconditions import (
    CHANGE_RESPONSES,
    CREATE_RESPONSES,
    DELETE_RESPONSES,
    READ_RESPONSES,
    IfNoneMatch,
    record_answer,
)
from app.core.replica import ReadSessionDep
from app.imports import matchmaking_exports
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.matchmaking import figures, intents, service
from app.matchmaking.models import IntentType
from app.matchmaking.schemas import (
    IntentCreate,
    IntentRead,
    KeyFieldRead,
    MatchAnswer,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    StepCreate,
    StepRead,
)
from app.reference.codes import ProvinceCode, UniversityCode
from app.stats import locks

router = APIRouter(tags=["matchmaking"])

ProvinceQuery = Annotated[ProvinceCode | None, Query()]
UniversityQuery = Annotated[UniversityCode | None, Query()]
SESSION = "/matchmaking-sessions/{session_id}"
INTENT = "/cooperation-intents/{intent_id}"


@router.get("/matchmaking-fields", response_model=list[KeyFieldRead])
def list_fields(session: SessionDep, who: Anyone):
    """The 15 key fields (重点领域) of school–enterprise matchmaking."""
    return service.list_fields(session)


@router.post(
    "/matchmaking-sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionRead,
    responses=CREATE_RESPONSES,
)
def create_session(
    body: SessionCreate, session: SessionDep, who: RecordWriter, write: RecordWriteDep
):
    """A matchmaking session (校企供需对接会, 政行企校四方协作…) with the universities and employers
    that took part, each employer in its key field. National staff's sessions without a province
    are the Ministry's; a province's department holds its province's, a university its own."""
    return write.respond(session, lambda: service.create_session(session, body, who))


@router.get("/matchmaking-sessions", response_model=Page[SessionRead])
def list_sessions(
    session: ReadSessionDep,
    page: PageDep,
    who: Anyone,
    dates: DateRangeDep,
    province: ProvinceQuery = None,
    university: UniversityQuery = None,
):
    """Sessions, the latest first: the Ministry's and the token's province's (a university's
    token: also those it took part in); `university`: those it took part in."""
    filters = {"start": dates.start, "end": dates.end, "province": province}
    return service.list_sessions(session, page, who.reach, university=university, **filters)


def _session_filters(
    dates: DateRangeDep, province: ProvinceQuery = None, university: UniversityQuery = None
) -> dict:
    return {"start": dates.start, "end": dates.end, "province": province, "university": university}


SessionFilters = Annotated[dict, Depends(_session_filters)]


@router.get(
    "/matchmaking-sessions/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES
)
def export_sessions(
    session: SessionDep, filters: SessionFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The sessions the list's filters select, as a ledger of matchmaking_sessions (.xlsx or
    CSV, the import's Chinese headers, 系统编号 last), streamed."""
    query = matchmaking_exports.sessions_ledger(export.who.reach, **filters)
    table = matchmaking_exports.SESSIONS
    return export.respond(session, "matchmaking_sessions", query, format, table=table)


@router.get(
    "/matchmaking-sessions/employers/export",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
)
def export_session_employers(
    session: SessionDep, filters: SessionFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The employers that took part in the sessions the list's filters select, a row each
    (活动系统编号 first), as a ledger of matchmaking_employers, streamed."""
    query = matchmaking_exports.employers_ledger(export.who.reach, **filters)
    return export.respond(session, "matchmaking_employers", query, format)


@router.get(SESSION, response_model=SessionRead, responses=READ_RESPONSES)
def get_session(
    session_id: IdPath, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None
):
    meeting = service.get_session(session, session_id, who.reach)
    return record_answer(SessionRead, meeting, if_none_match)


@router.patch(SESSION, response_model=SessionRead, responses=CHANGE_RESPONSES)
def update_session(
    session_id: IdPath,
    body: SessionUpdate,
    session: SessionDep,
    who: RecordWriter,
    write: ConditionalWriteDep,
):
    """A session's description; `universities` and `employers` each replace the list before
    (one with intents there cannot be taken off: 409)."""
    return write.respond(
        session,
        lambda: service.update_session(session, session_id, body, who),
        current=lambda: service.current_session(session, session_id, who.reach),
    )


@router.delete(SESSION, status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_session(
    session_id: IdPath, session: SessionDep, who: RecordWriter, write: ConditionalWriteDep
):
    """A session without intents (409 otherwise: delete its intents first)."""
    return write.respond(
        session,
        lambda: service.delete_session(session, session_id, who),
        current=lambda: service.current_session(session, session_id, who.reach, locks.ROW_DELETE),
        shown_as=SessionRead,
    )


@router.post(
    "/cooperation-intents",
    status_code=status.HTTP_201_CREATED,
    response_model=IntentRead,
    responses=CREATE_RESPONSES,
)
def create_intent(body: IntentCreate, session: SessionDep, who: RecordWriter, write: WriteDep):
    """A cooperation intent (合作意向) a university and an employer that took part in a session
    reached there (定向培养, 共建实习基地, 联合研发, 就业育人项目…); its first step, 意向, is the
    session's day. A university records its own, a province's department its universities'."""
    return write.respond(session, lambda: intents.create_intent(session, body, who))


@router.get("/cooperation-intents", response_model=Page[IntentRead])
def list_intents(
    session: ReadSessionDep,
    page: PageDep,
    who: Anyone,
    session_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    university: UniversityQuery = None,
    type: Annotated[IntentType | None, Query()] = None,
):
    """Intents within the token's reach (a province's: its universities'; a university's: its
    own), with their steps."""
    filters = {"session_id": session_id, "university": university, "type": type}
    return intents.list_intents(session, page, who.reach, **filters)


@router.get(
    "/cooperation-intents/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES
)
def export_intents(
    session: SessionDep,
    export: ExportDep,
    session_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    university: UniversityQuery = None,
    type: Annotated[IntentType | None, Query()] = None,
    format: ExportFormat = "xlsx",
):
    """The intents the list's filters select, with the days they were signed and landed, as a
    ledger of cooperation_intents (.xlsx or CSV, the import's Chinese headers, 系统编号 last),
    streamed."""
    filters = {"session_id": session_id, "university": university, "type": type}
    query = matchmaking_exports.intents_ledger(export.who.reach, **filters)
    return export.respond(session, "cooperation_intents", query, format)


@router.get(INTENT, response_model=IntentRead, responses=READ_RESPONSES)
def get_intent(
    intent_id: IdPath, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None
):
    intent = intents.get_intent(session, intent_id, who.reach)
    return record_answer(IntentRead, intent, if_none_match)


@router.delete(INTENT, status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_intent(
    intent_id: IdPath, session: SessionDep, who: RecordWriter, write: ConditionalWriteDep
):
    """An intent, and its steps."""
    return write.respond(
        session,
        lambda: intents.delete_intent(session, intent_id, who),
        current=lambda: intents.current_intent(session, intent_id, who.reach, locks.ROW_DELETE),
        shown_as=IntentRead,
    )


@router.post(INTENT + "/steps", status_code=status.HTTP_201_CREATED, response_model=StepRead)
def add_step(
    intent_id: IdPath, body: StepCreate, session: SessionDep, who: RecordWriter, write: WriteDep
):
    """The intent's next step, on a day no earlier than the last: 签约 (signed), then 落地
    (landed)."""
    return write.respond(session, lambda: intents.add_step(session, intent_id, body, who))


@router.delete(INTENT + "/steps/{step_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_step(
    intent_id: IdPath, step_id: IdPath, session: SessionDep, who: RecordWriter, write: WriteDep
):
    """The intent's last step, to correct it (its first goes with the intent)."""
    return write.respond(session, lambda: intents.delete_step(session, intent_id, step_id, who))


@router.get("/stats/matchmaking", response_model=MatchAnswer)
def matchmaking_figures(
    session: ReadSessionDep,
    who: Anyone,
    dates: DateRangeDep,
    as_of: Annotated[
        dt.date | None,
        Query(description="The intents' steps by this day. Default: `to`, or today."),
    ] = None,
    province: ProvinceQuery = None,
    university: UniversityQuery = None,
    by: Annotated[Literal["type", "field", "province"] | None, Query()] = None,
):
    """Sessions held within the range, the universities, employers and key fields that took
    part, and the intents reached there by their furthest step as of `as_of`; in all and by
    intent type, key field or province (a province's token: its province's; a university's:
    the sessions it took part in and its own intents)."""
    scope = figures.scope_for(who.reach, dates, as_of, province, university)
    return figures.match_figures(session, scope, by)
