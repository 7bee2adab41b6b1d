from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import RecordReader, VisitWriter
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
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.visits import service
from app.visits.models import LeaderLevel
from app.visits.schemas import VisitCreate, VisitRead, VisitUpdate

router = APIRouter(prefix="/visits", tags=["visits"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=VisitRead, responses=CREATE_RESPONSES
)
def create_visit(body: VisitCreate, session: SessionDep, who: VisitWriter, write: RecordWriteDep):
    return write.respond(session, lambda: service.create_visit(session, body, who))


def _filters(
    dates: DateRangeDep,
    province: Annotated[
        ProvinceCode | None, Query(description="The university's province.")
    ] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    employer_uscc: Annotated[Uscc | None, Query()] = None,
    leader_level: Annotated[LeaderLevel | None, Query()] = None,
) -> dict:
    return {
        "dates": dates,
        "province": province,
        "university_code": university_code,
        "employer_uscc": employer_uscc,
        "leader_level": leader_level,
    }


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[VisitRead])
def list_visits(session: ReadSessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    """Visits, oldest record first; `from`/`to` bound the visit date."""
    return service.list_visits(session, page, who.reach, **filters)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_visits(
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
):
    """The visits the list filters select, as a ledger (.xlsx or CSV, Chinese headers), streamed."""
    query = service.visits_query(export.who.reach, **filters)
    return export.respond(session, "visits", query, format)


@router.get("/{visit_id}", response_model=VisitRead, responses=READ_RESPONSES)
def get_visit(
    visit_id: IdPath, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    visit = service.get_visit(session, visit_id, who.reach)
    return record_answer(VisitRead, visit, if_none_match)


@router.patch("/{visit_id}", response_model=VisitRead, responses=CHANGE_RESPONSES)
def update_visit(
    visit_id: IdPath,
    body: VisitUpdate,
    session: SessionDep,
    who: VisitWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_visit(session, visit_id, body, who),
        current=lambda: service.get_visit(session, visit_id, who.reach, for_write=True),
    )


@router.delete("/{visit_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_visit(
    visit_id: IdPath, session: SessionDep, who: VisitWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_visit(session, visit_id, who.reach),
        current=lambda: service.get_visit(session, visit_id, who.reach, for_write=True),
        shown_as=VisitRead,
    )
