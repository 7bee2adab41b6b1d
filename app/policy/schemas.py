import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.schemas import InputModel, Name, PatchModel
from app.policy.models import RecruitmentStage
from app.reference.codes import ProvinceCode

ProgramCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z][a-z0-9_]{1,39}$"),
]
Year = Annotated[int, Field(ge=2000, le=2100)]
# People and positions: a province's year is far below ten million.
People = Annotated[int, Field(ge=0, le=10_000_000)]


class ProgramCreate(InputModel):
    """A province's own programme (national staff may add one for any province)."""

    code: ProgramCode
    name: Annotated[Name, StringConstraints(max_length=100)]
    ministry: Name = Field(description="The department in charge (主管部门).")
    province: ProvinceCode | None = Field(
        default=None, description="Its province; a province's token may leave it out."
    )


class ProgramRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    ministry: str
    province: str | None = Field(description="A province's own programme; null: a national one.")


class QuotaCreate(InputModel):
    program: ProgramCode
    province: ProvinceCode | None = Field(
        default=None, description="A province's token may leave it out (its own)."
    )
    year: Year
    positions: People


class QuotaUpdate(PatchModel):
    """A quota's positions; its programme, province and year are what it is."""

    positions: People | None = None


class ProgressCreate(InputModel):
    stage: RecruitmentStage
    as_of: dt.date
    people: People


class ProgressRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    stage: RecruitmentStage
    as_of: dt.date
    people: int


class QuotaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    program: str = Field(validation_alias="program_code")
    program_name: str
    province: str
    year: int
    positions: int
    progress: list[ProgressRead]


class PositionFigures(BaseModel):
    """Policy positions of a year, as of a day. `filled`: the people admitted (录用) by then,
    each quota's latest count; the fill rate and the change on the year before in percent,
    rounded to one decimal (null when there is nothing to divide by)."""

    offered: int
    offered_last_year: int
    change_percent: float | None
    announced: int
    applied: int
    filled: int
    on_duty: int
    fill_rate: float | None


class PositionRow(PositionFigures):
    key: str
    label: str


class PositionsAnswer(BaseModel):
    year: int
    as_of: dt.date
    filters: dict[str, str | None]
    figures: PositionFigures
    by: str | None
    rows: list[PositionRow]
