from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import NationalOnly, RecordReader
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep
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
from app.reference.codes import ProvinceCode, UniversityCode
from app.universities import service
from app.universities.schemas import UniversityCreate, UniversityRead, UniversityUpdate

router = APIRouter(prefix="/universities", tags=["universities"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UniversityRead,
    responses=CREATE_RESPONSES,
)
def create_university(
    body: UniversityCreate, session: SessionDep, who: NationalOnly, write: RecordWriteDep
):
    return write.respond(session, lambda: service.create_university(session, body))


@router.get("", response_model=Page[UniversityRead])
def list_universities(
    session: ReadSessionDep,
    page: PageDep,
    who: RecordReader,
    province: Annotated[ProvinceCode | None, Query()] = None,
):
    return service.list_universities(session, page, province=province, reach=who.reach)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_universities(
    session: SessionDep,
    export: ExportDep,
    province: Annotated[ProvinceCode | None, Query()] = None,
    format: ExportFormat = "xlsx",
):
    """The universities the list selects, as a ledger (.xlsx or CSV, Chinese headers), streamed."""
    query = service.universities_query(export.who.reach, province=province)
    return export.respond(session, "universities", query, format)


@router.get("/{code}", response_model=UniversityRead, responses=READ_RESPONSES)
def get_university(
    code: UniversityCode,
    session: SessionDep,
    who: RecordReader,
    if_none_match: IfNoneMatch = None,
):
    university = service.get_university(session, code, who.reach)
    return record_answer(UniversityRead, university, if_none_match)


@router.patch("/{code}", response_model=UniversityRead, responses=CHANGE_RESPONSES)
def update_university(
    code: UniversityCode,
    body: UniversityUpdate,
    session: SessionDep,
    who: NationalOnly,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_university(session, code, body),
        current=lambda: service.university_for_update(session, code, body),
    )


@router.delete("/{code}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_university(
    code: UniversityCode, session: SessionDep, who: NationalOnly, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_university(session, code),
        current=lambda: service.university_for_delete(session, code),
        shown_as=UniversityRead,
    )
