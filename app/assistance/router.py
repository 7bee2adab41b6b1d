from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse, StreamingResponse

from app.assistance import reveal, service
from app.assistance.models import EmploymentStatus
from app.assistance.schemas import (
    Cohort,
    GraduateCreate,
    GraduateRead,
    GraduateUpdate,
    LookupRequest,
    Revealed,
    RevealRequest,
    StatusChangeCreate,
    StatusChangeRead,
)
from app.audit import service as audit
from app.audit.writes import ConditionalWriteDep, RecordWriteDep, WriteDep
from app.auth.dependencies import AssistanceWriter, RecordReader
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep, paginate
from app.core.paths import IdPath
from app.core.preconditions import (
    CHANGE_RESPONSES,
    CREATE_RESPONSES,
    DELETE_RESPONSES,
    READ_RESPONSES,
    IfNoneMatch,
    record_answer,
)
from app.imports import assisted_exports
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.reference.codes import ProvinceCode, UniversityCode

router = APIRouter(prefix="/assisted-graduates", tags=["assistance"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=GraduateRead, responses=CREATE_RESPONSES
)
def create_graduate(
    body: GraduateCreate, session: SessionDep, who: AssistanceWriter, write: RecordWriteDep
):
    """A graduate in difficulty on the university's ledger for a cohort. The same 居民身份证号
    twice in a cohort is a 409. Answered masked, as every read."""
    return write.respond(
        session, lambda: service.shown(session, service.create_graduate(session, body, who), who)
    )


def _filters(
    cohort: Annotated[Cohort | None, Query()] = None,
    province: Annotated[
        ProvinceCode | None, Query(description="The university's province.")
    ] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    group: Annotated[str | None, Query(max_length=50, description="A key group's code.")] = None,
    status: Annotated[EmploymentStatus | None, Query()] = None,
    standard_met: Annotated[
        bool | None,
        Query(description="false: those still short of their province's service standard."),
    ] = None,
) -> dict:
    return {
        "cohort": cohort,
        "province": province,
        "university_code": university_code,
        "group": group,
        "status": status,
        "standard_met": standard_met,
    }


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[GraduateRead])
def list_graduates(session: SessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    """The ledger within your reach, oldest record first. `standard_met=false` lists whom the
    standard is not yet met for: whom to call today. Names only to the graduate's own
    university; ID numbers and phones always masked."""
    answer = paginate(session, service.graduates_query(session, who.reach, **filters), page)
    answer["items"] = service.present(session, answer["items"], who)
    return answer


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_graduates(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
    full_numbers: assisted_exports.FullNumbers = False,
    reason: assisted_exports.ExportReason = None,
):
    """The ledger the list's filters select (.xlsx or CSV, Chinese headers, 系统编号 last, so
    that it imports back as updates), streamed. Numbers masked, names only to the graduate's
    own university; `full_numbers=true` with a `reason`: the full numbers, for an account of
    the graduates' university granted may_reveal_personal_data (else 403). Audited."""
    reason = assisted_exports.full_numbers_allowed(export.who, full_numbers, reason)
    query = service.graduates_query(session, export.who.reach, **filters)
    return assisted_exports.respond(
        session, export, request, "assisted_graduates", query, format, reason
    )


@router.post("/lookup", response_model=list[GraduateRead])
def lookup(body: LookupRequest, session: SessionDep, who: RecordReader):
    """The graduates (one a cohort) with this 居民身份证号, within your reach. A POST, so that
    the number is never in a URL or an access log."""
    found = service.find_by_id_number(session, body.id_number, body.cohort, who.reach)
    return service.present(session, found, who)


@router.get("/{graduate_id}", response_model=GraduateRead, responses=READ_RESPONSES)
def get_graduate(
    graduate_id: IdPath, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    graduate = service.get_graduate(session, graduate_id, who.reach)
    return record_answer(GraduateRead, service.shown(session, graduate, who), if_none_match)


def _current(session, graduate_id: int, who):
    return lambda: service.shown(
        session, service.get_graduate(session, graduate_id, who.reach, for_write=True), who
    )


@router.patch("/{graduate_id}", response_model=GraduateRead, responses=CHANGE_RESPONSES)
def update_graduate(
    graduate_id: IdPath,
    body: GraduateUpdate,
    session: SessionDep,
    who: AssistanceWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.shown(
            session, service.update_graduate(session, graduate_id, body, who), who
        ),
        current=_current(session, graduate_id, who),
    )


@router.delete("/{graduate_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_graduate(
    graduate_id: IdPath, session: SessionDep, who: AssistanceWriter, write: ConditionalWriteDep
):
    """Removes the graduate, with their statuses and services."""
    return write.respond(
        session,
        lambda: service.delete_graduate(session, graduate_id, who),
        current=_current(session, graduate_id, who),
        shown_as=GraduateRead,
    )


@router.get("/{graduate_id}/statuses", response_model=list[StatusChangeRead])
def status_history(graduate_id: IdPath, session: SessionDep, who: RecordReader):
    """The graduate's employment status over time, oldest first."""
    return service.status_history(session, graduate_id, who.reach)


@router.post(
    "/{graduate_id}/statuses",
    status_code=status.HTTP_201_CREATED,
    response_model=StatusChangeRead,
)
def record_status(
    graduate_id: IdPath,
    body: StatusChangeCreate,
    session: SessionDep,
    who: AssistanceWriter,
    write: WriteDep,
):
    """The graduate's status from a date on (未就业 → 已签约 …). The latest dated is theirs."""
    return write.respond(session, lambda: service.record_status(session, graduate_id, body, who))


@router.post("/{graduate_id}/reveal", response_model=Revealed)
def reveal_numbers(
    graduate_id: IdPath,
    body: RevealRequest,
    request: Request,
    session: SessionDep,
    who: RecordReader,
):
    """The graduate's full ID number and phone, for an account of the graduate's own
    university granted `may_reveal_personal_data`; audited with the reason. Never cached."""
    shown = reveal.reveal(session, graduate_id, who, body.reason, audit.RequestInfo.of(request))
    return JSONResponse(shown.model_dump(), headers={"Cache-Control": "no-store"})
