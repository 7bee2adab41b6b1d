import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import ExternalRef, InputModel, Name, PatchModel
from app.events.models import EventKind, EventMode
from app.reference.codes import IndustryCode, ProvinceCode, UniversityCode, Uscc

Attendance = Annotated[int, Field(ge=0, le=100_000_000)]
# The national platform's online sessions gathered thousands of employers each.
Participants = Annotated[list[Uscc], Field(max_length=20_000)]


class EventCreate(InputModel):
    """`province` may be left out when it follows from the writer or the university: a
    province's token's events are in its own province, and an event of a university is, unless
    told, in that university's province. A university's token may leave `university_code` out
    (the event is its own); a province's token gives none (the event is its department's)."""

    title: Name
    kind: EventKind
    mode: EventMode
    start_date: dt.date
    end_date: dt.date
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None
    organizer_name: Name | None = None
    industry: IndustryCode | None = None
    attendance: Attendance = 0
    participants: Participants = []
    external_ref: ExternalRef | None = None


class EventUpdate(PatchModel):
    """`participants`, when given, replaces the whole list."""

    nullable = frozenset({"university_code", "organizer_name", "industry", "external_ref"})

    title: Name | None = None
    kind: EventKind | None = None
    mode: EventMode | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None
    organizer_name: Name | None = None
    industry: IndustryCode | None = None
    attendance: Attendance | None = None
    participants: Participants | None = None
    external_ref: ExternalRef | None = None


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    kind: EventKind
    mode: EventMode
    start_date: dt.date
    end_date: dt.date
    province: str
    university_code: str | None
    organizer_name: str | None
    industry: str | None
    attendance: int
    participants: list[str]
    external_ref: str | None
