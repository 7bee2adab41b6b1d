from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import NationalOnly, RecordReader, RecordWriter
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
from app.core.schemas import NameFragment
from app.employers import service
from app.employers.models import Ownership
from app.employers.schemas import EmployerCreate, EmployerRead, EmployerUpdate
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.reference.codes import IndustryCode, ProvinceCode, Uscc

router = APIRouter(prefix="/employers", tags=["employers"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=EmployerRead, responses=CREATE_RESPONSES
)
def create_employer(
    body: EmployerCreate, session: SessionDep, who: RecordWriter, write: RecordWriteDep
):
    return write.respond(session, lambda: service.create_employer(session, body))


def _filters(
    province: Annotated[ProvinceCode | None, Query()] = None,
    industry: Annotated[IndustryCode | None, Query()] = None,
    ownership: Annotated[Ownership | None, Query()] = None,
    name: Annotated[
        NameFragment | None, Query(description="Part of the name, case-insensitive.")
    ] = None,
) -> dict:
    return {"province": province, "industry": industry, "ownership": ownership, "name": name}


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[EmployerRead])
def list_employers(session: ReadSessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    return service.list_employers(session, page, **filters)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_employers(
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
):
    """The employers the list filters select, as a ledger (.xlsx or CSV, Chinese headers), streamed."""
    return export.respond(session, "employers", service.employers_query(**filters), format)


@router.get("/{uscc}", response_model=EmployerRead, responses=READ_RESPONSES)
def get_employer(
    uscc: Uscc, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    return record_answer(EmployerRead, service.get_employer(session, uscc), if_none_match)


@router.patch("/{uscc}", response_model=EmployerRead, responses=CHANGE_RESPONSES)
def update_employer(
    uscc: Uscc,
    body: EmployerUpdate,
    session: SessionDep,
    who: NationalOnly,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_employer(session, uscc, body),
        current=lambda: service.employer_for_update(session, uscc, body),
    )


@router.delete("/{uscc}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_employer(uscc: Uscc, session: SessionDep, who: NationalOnly, write: ConditionalWriteDep):
    return write.respond(
        session,
        lambda: service.delete_employer(session, uscc),
        current=lambda: service.employer_for_delete(session, uscc),
        shown_as=EmployerRead,
    )
