from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import StreamingResponse

from app.assistance import given
from app.assistance.models import ServiceKind
from app.assistance.schemas import Cohort, ServiceCreate, ServiceRead, ServiceUpdate
from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import AssistanceWriter, RecordReader
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
from app.core.schemas import RecordId
from app.imports import assisted_exports
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.reference.codes import ProvinceCode, UniversityCode

router = APIRouter(prefix="/assistance-services", tags=["assistance"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=ServiceRead, responses=CREATE_RESPONSES
)
def create_service(
    body: ServiceCreate, session: SessionDep, who: AssistanceWriter, write: RecordWriteDep
):
    """A service given to a graduate on your ledger. Numbers typed into the note are masked."""
    return write.respond(session, lambda: given.create_service(session, body, who))


def _filters(
    dates: DateRangeDep,
    graduate_id: Annotated[RecordId | None, Query()] = None,
    kind: Annotated[ServiceKind | None, Query()] = None,
    cohort: Annotated[Cohort | None, Query()] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    province: Annotated[ProvinceCode | None, Query()] = None,
) -> dict:
    return {
        "dates": dates,
        "graduate_id": graduate_id,
        "kind": kind,
        "cohort": cohort,
        "university_code": university_code,
        "province": province,
    }


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[ServiceRead])
def list_services(session: SessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    """Services given, oldest record first; `from`/`to` bound the service date."""
    return given.list_services(session, page, who.reach, **filters)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_services(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
    full_numbers: assisted_exports.FullNumbers = False,
    reason: assisted_exports.ExportReason = None,
):
    """The services the list's filters select, each with its graduate (学生系统编号,
    学生台账编号, masked 居民身份证号, 届别, and the name as you may see it), as a ledger that
    imports back as updates (系统编号 last). `full_numbers=true` with a `reason`: as for the
    graduates' export. Audited."""
    reason = assisted_exports.full_numbers_allowed(export.who, full_numbers, reason)
    query = given.services_query(export.who.reach, **filters)
    return assisted_exports.respond(
        session, export, request, "assistance_services", query, format, reason
    )


@router.get("/{service_id}", response_model=ServiceRead, responses=READ_RESPONSES)
def get_service(
    service_id: IdPath, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    return record_answer(
        ServiceRead, given.get_service(session, service_id, who.reach), if_none_match
    )


@router.patch("/{service_id}", response_model=ServiceRead, responses=CHANGE_RESPONSES)
def update_service(
    service_id: IdPath,
    body: ServiceUpdate,
    session: SessionDep,
    who: AssistanceWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: given.update_service(session, service_id, body, who),
        current=lambda: given.get_service(session, service_id, who.reach, for_write=True),
    )


@router.delete("/{service_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_service(
    service_id: IdPath, session: SessionDep, who: AssistanceWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: given.delete_service(session, service_id, who),
        current=lambda: given.get_service(session, service_id, who.reach, for_write=True),
        shown_as=ServiceRead,
    )
