import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep, WriteDep
from app.auth.dependencies import Anyone, PolicyWriter
from app.core.db import SessionDep
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
from app.imports import policy_exports
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.policy import figures, service
from app.policy.schemas import (
    PositionsAnswer,
    ProgramCode,
    ProgramCreate,
    ProgramRead,
    ProgressCreate,
    ProgressRead,
    QuotaCreate,
    QuotaRead,
    QuotaUpdate,
    Year,
)
from app.reference.codes import ProvinceCode
from app.stats import locks

router = APIRouter(tags=["policy positions"])

YearQuery = Annotated[Year | None, Query()]
ProvinceQuery = Annotated[ProvinceCode | None, Query()]
ProgramQuery = Annotated[ProgramCode | None, Query()]


@router.get("/policy-programs", response_model=list[ProgramRead])
def list_programs(session: SessionDep, who: Anyone):
    """The programmes of policy positions (政策性岗位): the national ones, then the provinces'
    own (a province's token: its own only)."""
    return service.list_programs(session, who.reach.province)


@router.post("/policy-programs", status_code=status.HTTP_201_CREATED, response_model=ProgramRead)
def create_program(body: ProgramCreate, session: SessionDep, who: PolicyWriter, write: WriteDep):
    """A province's own programme (福建省城乡基层就业岗位募集), with the department in charge."""
    return write.respond(session, lambda: service.create_program(session, body, who))


@router.post(
    "/policy-quotas",
    status_code=status.HTTP_201_CREATED,
    response_model=QuotaRead,
    responses=CREATE_RESPONSES,
)
def create_quota(body: QuotaCreate, session: SessionDep, who: PolicyWriter, write: RecordWriteDep):
    """A programme's positions for graduates in a province in a year (one quota each)."""
    return write.respond(session, lambda: service.create_quota(session, body, who))


def _quota_filters(
    year: YearQuery = None, province: ProvinceQuery = None, program: ProgramQuery = None
) -> dict:
    return {"year": year, "province": province, "program": program}


QuotaFilters = Annotated[dict, Depends(_quota_filters)]


@router.get("/policy-quotas", response_model=Page[QuotaRead])
def list_quotas(session: ReadSessionDep, page: PageDep, who: Anyone, filters: QuotaFilters):
    """Quotas by year, province and programme, with their progress (a province's or a
    university's token: its province's)."""
    return service.list_quotas(session, page, who.reach, **filters)


@router.get("/policy-quotas/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_quotas(
    session: SessionDep, filters: QuotaFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The quotas the list's filters select, as a ledger of policy_quotas (.xlsx or CSV, the
    import's Chinese headers), streamed."""
    query = policy_exports.quotas_ledger(export.who.reach, **filters)
    return export.respond(session, "policy_quotas", query, format)


@router.get(
    "/policy-quotas/progress/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES
)
def export_progress(
    session: SessionDep, filters: QuotaFilters, export: ExportDep, format: ExportFormat = "xlsx"
):
    """The progress of the quotas the list's filters select, one row a count, as a ledger of
    policy_progress (.xlsx or CSV, the import's Chinese headers), streamed."""
    query = policy_exports.progress_ledger(export.who.reach, **filters)
    return export.respond(session, "policy_progress", query, format)


@router.get("/policy-quotas/{quota_id}", response_model=QuotaRead, responses=READ_RESPONSES)
def get_quota(
    quota_id: IdPath, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None
):
    return record_answer(QuotaRead, service.get_quota(session, quota_id, who.reach), if_none_match)


@router.patch("/policy-quotas/{quota_id}", response_model=QuotaRead, responses=CHANGE_RESPONSES)
def update_quota(
    quota_id: IdPath,
    body: QuotaUpdate,
    session: SessionDep,
    who: PolicyWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_quota(session, quota_id, body, who),
        current=lambda: service.get_quota(session, quota_id, who.reach, lock=locks.ROW_UPDATE),
    )


@router.delete(
    "/policy-quotas/{quota_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES
)
def delete_quota(
    quota_id: IdPath, session: SessionDep, who: PolicyWriter, write: ConditionalWriteDep
):
    """A quota, and its progress."""
    return write.respond(
        session,
        lambda: service.delete_quota(session, quota_id, who),
        current=lambda: service.get_quota(session, quota_id, who.reach, lock=locks.ROW_DELETE),
        shown_as=QuotaRead,
    )


@router.post(
    "/policy-quotas/{quota_id}/progress",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgressRead,
)
def add_progress(
    quota_id: IdPath, body: ProgressCreate, session: SessionDep, who: PolicyWriter, write: WriteDep
):
    """How many people the recruitment had reached at a stage (announced, applied, admitted,
    on duty) on a day: 招录进度. The figures take each stage's latest count."""
    return write.respond(session, lambda: service.add_progress(session, quota_id, body, who))


@router.delete(
    "/policy-quotas/{quota_id}/progress/{progress_id}", status_code=status.HTTP_204_NO_CONTENT
)
def delete_progress(
    quota_id: IdPath, progress_id: IdPath, session: SessionDep, who: PolicyWriter, write: WriteDep
):
    return write.respond(
        session, lambda: service.delete_progress(session, quota_id, progress_id, who)
    )


@router.get("/stats/policy-positions", response_model=PositionsAnswer)
def policy_positions(
    session: ReadSessionDep,
    who: Anyone,
    year: Annotated[Year, Query()],
    as_of: Annotated[
        dt.date | None, Query(description="Default: today, kept within the year.")
    ] = None,
    province: ProvinceQuery = None,
    program: ProgramQuery = None,
    by: Annotated[Literal["program", "province"] | None, Query()] = None,
):
    """Policy positions offered, the recruitment's progress, the fill rate and the change on
    the year before, in all and by programme or province (a province's or a university's
    token: its province's, whatever it asks)."""
    scope = figures.scope_for(who.reach, year, as_of, province, program)
    return figures.position_figures(session, scope, by)
