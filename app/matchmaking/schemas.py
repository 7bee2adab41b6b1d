import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.core.schemas import InputModel, Name, PatchModel, RecordId
from app.matchmaking.models import IntentStatus, IntentType, SessionFormat
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.stats.schemas import Ranged

FieldCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z][a-z0-9_]{1,39}$"),
]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
# A session's universities and employers: the Ministry's meeting had 25 and 35; a big fair's
# matchmaking a few hundred.
MAX_TAKING_PART = 2000


class KeyFieldRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str


class EmployerTakingPart(InputModel):
    uscc: Uscc
    field: FieldCode | None = Field(default=None, description="Its key field (重点领域) there.")


def _distinct_codes(codes: list[str]) -> list[str]:
    if len(set(codes)) != len(codes):
        raise ValueError("names a university more than once")
    return codes


def _distinct_employers(employers: list[EmployerTakingPart]) -> list[EmployerTakingPart]:
    if len({employer.uscc for employer in employers}) != len(employers):
        raise ValueError("names an employer more than once")
    return employers


Universities = Annotated[
    list[UniversityCode], Field(max_length=MAX_TAKING_PART), AfterValidator(_distinct_codes)
]
Employers = Annotated[
    list[EmployerTakingPart],
    Field(max_length=MAX_TAKING_PART),
    AfterValidator(_distinct_employers),
]


class TakingPart(InputModel):
    universities: Universities = []
    employers: Employers = []


class SessionCreate(TakingPart):
    title: Name
    format: SessionFormat
    held_on: dt.date
    organiser: Name = Field(description="Who held it (教育部; 山东省教育厅…).")
    province: ProvinceCode | None = Field(
        default=None, description="None: the Ministry's; a province's token may leave it out."
    )
    university_code: UniversityCode | None = Field(
        default=None, description="A university's own session; its token may leave it out."
    )


class SessionUpdate(PatchModel):
    """A session's description and who took part (each list replaces the one before)."""

    title: Name | None = None
    format: SessionFormat | None = None
    held_on: dt.date | None = None
    organiser: Name | None = None
    universities: Universities | None = None
    employers: Employers | None = None


class EmployerTookPart(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uscc: str = Field(validation_alias="employer_uscc")
    field: str | None = Field(validation_alias="field_code")


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    format: SessionFormat
    held_on: dt.date
    organiser: str
    province: str | None
    university_code: str | None
    universities: list[str] = Field(validation_alias="university_codes")
    employers: list[EmployerTookPart]


class IntentCreate(InputModel):
    session_id: RecordId
    university_code: UniversityCode | None = Field(
        default=None, description="A university's token may leave it out (its own)."
    )
    employer_uscc: Uscc
    type: IntentType
    field: FieldCode | None = Field(default=None, description="Default: the employer's there.")
    summary: Summary | None = None


class StepCreate(InputModel):
    status: IntentStatus
    as_of: dt.date


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: IntentStatus
    as_of: dt.date


class IntentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    session_id: int
    university_code: str
    employer_uscc: str
    type: IntentType
    field: str | None = Field(validation_alias="field_code")
    summary: str | None
    status: IntentStatus = Field(description="The furthest step reached.")
    steps: list[StepRead]


class MatchFigures(BaseModel):
    """Sessions held within the range, the universities, employers and key fields that took
    part (each once), and the intents reached there, each at its furthest step as of `as_of`:
    `intended` (意向 only), `signed` (签约, not yet 落地), `landed` (落地)."""

    sessions: int
    universities: int
    employers: int
    fields: int
    intents: int
    intended: int
    signed: int
    landed: int


class MatchRow(BaseModel):
    """By type: the intents only; by key field: also the sessions and employers of the field;
    by province (the Ministry's sessions under ''): everything."""

    key: str
    label: str
    sessions: int | None = None
    universities: int | None = None
    employers: int | None = None
    fields: int | None = None
    intents: int
    intended: int
    signed: int
    landed: int


class MatchAnswer(Ranged):
    as_of: dt.date
    filters: dict[str, str | None]
    figures: MatchFigures
    by: str | None
    rows: list[MatchRow]
