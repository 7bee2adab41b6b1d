from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import RecordReader, RecordWriter
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
from app.events import service
from app.events.models import EventKind, EventMode
from app.events.schemas import EventCreate, EventRead, EventUpdate
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.reference.codes import IndustryCode, ProvinceCode, UniversityCode, Uscc

router = APIRouter(prefix="/events", tags=["events"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=EventRead, responses=CREATE_RESPONSES
)
def create_event(body: EventCreate, session: SessionDep, who: RecordWriter, write: RecordWriteDep):
    return write.respond(session, lambda: service.create_event(session, body, who))


def _filters(
    dates: DateRangeDep,
    province: Annotated[ProvinceCode | None, Query()] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    kind: Annotated[EventKind | None, Query()] = None,
    mode: Annotated[EventMode | None, Query()] = None,
    industry: Annotated[IndustryCode | None, Query(description="The event's focus.")] = None,
    employer_uscc: Annotated[Uscc | None, Query(description="A participant.")] = None,
) -> dict:
    return {
        "dates": dates,
        "province": province,
        "university_code": university_code,
        "kind": kind,
        "mode": mode,
        "industry": industry,
        "employer_uscc": employer_uscc,
    }


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[EventRead])
def list_events(session: ReadSessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    """Events, oldest record first; `from`/`to` bound the start date."""
    return service.list_events(session, page, who.reach, **filters)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_events(
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
):
    """The events the list filters select, as a ledger (.xlsx or CSV, Chinese headers), streamed."""
    query = service.events_query(export.who.reach, **filters)
    return export.respond(session, "events", query, format)


@router.get("/participants/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_participants(
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
):
    """The participants of the events the list filters select, one row each, as a ledger of
    event_participants (.xlsx or CSV, Chinese headers), streamed."""
    query = service.participants_query(export.who.reach, **filters)
    return export.respond(session, "event_participants", query, format)


@router.get("/{event_id}", response_model=EventRead, responses=READ_RESPONSES)
def get_event(
    event_id: IdPath, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    event = service.get_event(session, event_id, who.reach)
    return record_answer(EventRead, event, if_none_match)


@router.patch("/{event_id}", response_model=EventRead, responses=CHANGE_RESPONSES)
def update_event(
    event_id: IdPath,
    body: EventUpdate,
    session: SessionDep,
    who: RecordWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_event(session, event_id, body, who),
        current=lambda: service.event_for_write(session, event_id, who.reach),
    )


@router.delete("/{event_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_event(
    event_id: IdPath, session: SessionDep, who: RecordWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_event(session, event_id, who.reach),
        current=lambda: service.event_for_write(session, event_id, who.reach),
        shown_as=EventRead,
    )
