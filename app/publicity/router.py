from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import Anyone, PolicyWriter, RecordWriter
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
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.publicity import figures, service
from app.publicity.models import HolderKind, MeasureCategory, MeasureLevel, PublicityPlace
from app.publicity.schemas import (
    CityCode,
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
    PublicityAnswer,
    SearchText,
    SessionCreate,
    SessionRead,
    SessionUpdate,
)
from app.reference.codes import ProvinceCode, UniversityCode
from app.stats import locks

router = APIRouter(tags=["policy publicity"])

ProvinceQuery = Annotated[ProvinceCode | None, Query()]
MEASURE_PATH = "/policy-measures/{measure_id}"
SESSION_PATH = "/publicity-sessions/{session_id}"


@router.post(
    "/policy-measures",
    status_code=status.HTTP_201_CREATED,
    response_model=MeasureRead,
    responses=CREATE_RESPONSES,
)
def create_measure(
    body: MeasureCreate, session: SessionDep, who: PolicyWriter, write: RecordWriteDep
):
    """A published measure (政策措施): the Ministry's staff any; a province's department its
    province's own and its cities'. One title per issuer (a second is a 409 naming the first)."""
    return write.respond(session, lambda: service.create_measure(session, body, who))


def _measure_filters(
    dates: DateRangeDep,
    q: Annotated[SearchText | None, Query(description="Text the measure holds: 创业担保")] = None,
    level: Annotated[MeasureLevel | None, Query()] = None,
    province: ProvinceQuery = None,
    city: Annotated[CityCode | None, Query()] = None,
    category: Annotated[MeasureCategory | None, Query()] = None,
) -> dict:
    return {"dates": dates, "q": q, "level": level, "province": province, "city": city,
            "category": category}  # fmt: skip


MeasureFilters = Annotated[dict, Depends(_measure_filters)]


@router.get("/policy-measures", response_model=Page[MeasureRead])
def list_measures(session: ReadSessionDep, page: PageDep, who: Anyone, filters: MeasureFilters):
    """Every measure, newest first (published policies: every token reads them all), published
    in from/to, of the level, province, city and category, holding `q` (any 2 characters or
    more of its title, issuer or text, case and full-width forms folded)."""
    return service.list_measures(session, page, **filters)


@router.get("/policy-measures/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_measures(
    session: SessionDep, filters: MeasureFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The measures the list's filters select (`q` too), as a ledger of policy_measures (.xlsx
    or CSV, the import's Chinese headers, 城市 by name), streamed."""
    query = service.measures_query(session, **filters)
    return export.respond(session, "policy_measures", query, format)


@router.get(MEASURE_PATH, response_model=MeasureRead, responses=READ_RESPONSES)
def get_measure(
    measure_id: IdPath, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None
):
    return record_answer(MeasureRead, service.get_measure(session, measure_id), if_none_match)


@router.patch(MEASURE_PATH, response_model=MeasureRead, responses=CHANGE_RESPONSES)
def update_measure(
    measure_id: IdPath,
    body: MeasureUpdate,
    session: SessionDep,
    who: PolicyWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_measure(session, measure_id, body, who),
        current=lambda: service.get_measure(session, measure_id, lock=locks.ROW_UPDATE),
    )


@router.delete(MEASURE_PATH, status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_measure(
    measure_id: IdPath, session: SessionDep, who: PolicyWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_measure(session, measure_id, who),
        current=lambda: service.get_measure(session, measure_id, lock=locks.ROW_DELETE),
        shown_as=MeasureRead,
    )


@router.post(
    "/publicity-sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionRead,
    responses=CREATE_RESPONSES,
)
def create_session(
    body: SessionCreate, session: SessionDep, who: RecordWriter, write: RecordWriteDep
):
    """A publicity session (政策宣讲) held on a day, where (进园区, 进企业, 进高校, 进社区), by
    whom, and how many came. A university records its own; a province's department its own."""
    return write.respond(session, lambda: service.create_session(session, body, who))


def _session_filters(
    dates: DateRangeDep,
    province: ProvinceQuery = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    holder_kind: Annotated[HolderKind | None, Query()] = None,
    place: Annotated[PublicityPlace | None, Query()] = None,
) -> dict:
    return {"dates": dates, "province": province, "university_code": university_code,
            "holder_kind": holder_kind, "place": place}  # fmt: skip


SessionFilters = Annotated[dict, Depends(_session_filters)]


@router.get("/publicity-sessions", response_model=Page[SessionRead])
def list_sessions(session: ReadSessionDep, page: PageDep, who: Anyone, filters: SessionFilters):
    """Sessions held in from/to, in order (a province's or a university's token: its
    province's)."""
    return service.list_sessions(session, page, who.reach, **filters)


@router.get(
    "/publicity-sessions/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES
)
def export_sessions(
    session: SessionDep, filters: SessionFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The sessions the list's filters select, within the reader's reach, as a ledger of
    publicity_sessions (.xlsx or CSV, the import's Chinese headers), streamed."""
    query = service.sessions_query(export.who.reach, **filters)
    return export.respond(session, "publicity_sessions", query, format)


@router.get(SESSION_PATH, response_model=SessionRead, responses=READ_RESPONSES)
def get_session(
    session_id: IdPath, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None
):
    held = service.get_session(session, session_id, who.reach)
    return record_answer(SessionRead, held, if_none_match)


@router.patch(SESSION_PATH, response_model=SessionRead, responses=CHANGE_RESPONSES)
def update_session(
    session_id: IdPath,
    body: SessionUpdate,
    session: SessionDep,
    who: RecordWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_session(session, session_id, body, who),
        current=lambda: service.get_session(session, session_id, who.reach, lock=locks.ROW_UPDATE),
    )


@router.delete(SESSION_PATH, status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_session(
    session_id: IdPath, session: SessionDep, who: RecordWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_session(session, session_id, who),
        current=lambda: service.get_session(session, session_id, who.reach, lock=locks.ROW_DELETE),
        shown_as=SessionRead,
    )


@router.get("/stats/policy-publicity", response_model=PublicityAnswer)
def policy_publicity(
    session: ReadSessionDep,
    who: Anyone,
    dates: DateRangeDep,
    province: ProvinceQuery = None,
    by: Annotated[Literal[figures.BY] | None, Query()] = None,  # type: ignore[valid-type]
):
    """Measures in force in from/to (published by `to`, not expired before `from`), by level,
    and the provinces and cities that issued them; sessions held in from/to and their
    audience. `by=level|category|province` for the rows (sessions by province only). A
    province's or a university's token: its province's figures, whatever it asks."""
    scope = figures.scope_for(who.reach, dates, province)
    return figures.publicity_figures(session, scope, by)
