import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import ExternalRef, InputModel, Majors, Notes, PatchModel
from app.reference.codes import UniversityCode, Uscc
from app.visits.models import LeaderLevel

PositionsOpened = Annotated[int, Field(ge=0, le=1_000_000)]


class VisitCreate(InputModel):
    """`university_code`: a university's token may leave it out (the visit is its own); national
    staff name it."""

    university_code: UniversityCode | None = None
    employer_uscc: Uscc
    visit_date: dt.date
    positions_opened: PositionsOpened
    leader_level: LeaderLevel | None = None
    majors: Majors = []
    notes: Notes | None = None
    external_ref: ExternalRef | None = None


class VisitUpdate(PatchModel):
    nullable = frozenset({"leader_level", "notes", "external_ref"})

    university_code: UniversityCode | None = None
    employer_uscc: Uscc | None = None
    visit_date: dt.date | None = None
    positions_opened: PositionsOpened | None = None
    leader_level: LeaderLevel | None = None
    majors: Majors | None = None
    notes: Notes | None = None
    external_ref: ExternalRef | None = None


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    university_code: str
    employer_uscc: str
    visit_date: dt.date
    positions_opened: int
    leader_level: LeaderLevel | None
    majors: list[str]
    notes: str | None
    external_ref: str | None
