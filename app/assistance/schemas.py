import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from app.assistance.models import (
    EmploymentStatus,
    Gender,
    GraduateEducation,
    ServiceKind,
)
from app.core.schemas import ExternalRef, InputModel, PatchModel, RecordId, refuse_nul
from app.privacy.numbers import normalise_id_number, normalise_phone
from app.reference.codes import UniversityCode, as_text

_ID_HELP = (
    "居民身份证号, 18 characters (GB 11643-1999 check digit). Kept encrypted; answered masked, "
    "as 110101********1234."
)
_PHONE_HELP = "A mainland mobile number. Kept encrypted; answered masked, as 138****5678."


IdNumber = Annotated[
    str, BeforeValidator(as_text), AfterValidator(normalise_id_number), Field(description=_ID_HELP)
]
Phone = Annotated[
    str, BeforeValidator(as_text), AfterValidator(normalise_phone), Field(description=_PHONE_HELP)
]
Cohort = Annotated[int, Field(ge=2000, le=2100, description="届别: the year of graduation.")]
PersonName = Annotated[
    str, Field(min_length=1, max_length=50, pattern=r"\S"), AfterValidator(refuse_nul)
]
StaffName = Annotated[
    str, Field(min_length=1, max_length=50, pattern=r"\S"), AfterValidator(refuse_nul)
]
GroupCodes = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=50), AfterValidator(refuse_nul)]],
    Field(
        max_length=10, description="Key groups (codes or names of /reference/difficulty-groups)."
    ),
]
ShortNote = Annotated[str, Field(max_length=500), AfterValidator(refuse_nul)]
Reason = Annotated[
    str,
    Field(min_length=4, max_length=200, description="Why the full numbers are needed (audited)."),
    AfterValidator(refuse_nul),
]


class GraduateCreate(InputModel):
    """`university_code`: a university's token may leave it out; national staff name it."""

    university_code: UniversityCode | None = None
    cohort: Cohort
    name: PersonName
    id_number: IdNumber
    phone: Phone | None = None
    gender: Gender | None = Field(default=None, description="Left out: read off the ID number.")
    major: Annotated[str, Field(max_length=100), AfterValidator(refuse_nul)] | None = None
    education: GraduateEducation | None = None
    groups: GroupCodes = Field(min_length=1)
    mentor: StaffName | None = Field(default=None, description="一对一帮扶责任人")
    status: EmploymentStatus = EmploymentStatus.UNEMPLOYED
    status_date: dt.date | None = Field(default=None, description="Left out: today.")
    external_ref: ExternalRef | None = None


class GraduateUpdate(PatchModel):
    nullable = frozenset({"phone", "major", "education", "mentor", "external_ref"})

    name: PersonName | None = None
    id_number: IdNumber | None = None
    phone: Phone | None = None
    gender: Gender | None = None
    major: Annotated[str, Field(max_length=100), AfterValidator(refuse_nul)] | None = None
    education: GraduateEducation | None = None
    groups: Annotated[GroupCodes, Field(min_length=1)] | None = None
    mentor: StaffName | None = None
    external_ref: ExternalRef | None = None


class StatusChangeCreate(InputModel):
    status: EmploymentStatus
    on: dt.date = Field(description="From when the graduate has this status.")


class StatusChangeRead(BaseModel):
    model_config = {"from_attributes": True}

    id: int
    status: EmploymentStatus
    on: dt.date
    recorded_by: str


class GraduateRead(BaseModel):
    id: int
    university_code: str
    cohort: int
    name: str | None = Field(
        description="In full to the graduate's university; masked (张*) to a province or the "
        "Ministry; null once de-identified.",
        examples=["张*"],
    )
    id_number: str | None = Field(examples=["110101********1234"])
    phone: str | None = Field(examples=["138****5678"])
    gender: Gender
    major: str | None
    education: GraduateEducation | None
    groups: list[str]
    mentor: str | None
    status: EmploymentStatus
    status_date: dt.date
    services: dict[ServiceKind, int] = Field(description="Services given so far, by kind.")
    standard_met: bool = Field(description="Whether its province's service standard is met.")
    missing: dict[ServiceKind, int] = Field(
        description="Services still owed under the standard, by kind."
    )
    external_ref: str | None
    deidentified: bool


class RevealRequest(InputModel):
    reason: Reason


class Revealed(BaseModel):
    id: int
    id_number: str | None
    phone: str | None


class LookupRequest(InputModel):
    id_number: IdNumber
    cohort: Cohort | None = None


class ServiceCreate(InputModel):
    graduate_id: RecordId
    kind: ServiceKind
    service_date: dt.date
    provider: StaffName = Field(description="Who gave it.")
    note: ShortNote | None = None
    vacancy_id: RecordId | None = Field(
        default=None, description="A referral's vacancy, when it is one of jobfair's."
    )
    programme: Annotated[str, Field(max_length=100), AfterValidator(refuse_nul)] | None = Field(
        default=None, description="A training's programme, e.g. 宏志助航."
    )
    hours: Annotated[int, Field(ge=1, le=10_000)] | None = None
    amount: Annotated[int, Field(ge=0, le=1_000_000)] | None = Field(
        default=None, description="A subsidy's amount, in yuan."
    )
    external_ref: ExternalRef | None = None


class ServiceUpdate(PatchModel):
    nullable = frozenset({"note", "vacancy_id", "programme", "hours", "amount", "external_ref"})

    kind: ServiceKind | None = None
    service_date: dt.date | None = None
    provider: StaffName | None = None
    note: ShortNote | None = None
    vacancy_id: RecordId | None = None
    programme: Annotated[str, Field(max_length=100), AfterValidator(refuse_nul)] | None = None
    hours: Annotated[int, Field(ge=1, le=10_000)] | None = None
    amount: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    external_ref: ExternalRef | None = None


class ServiceRead(BaseModel):
    model_config = {"from_attributes": True}

    id: int
    graduate_id: int
    kind: ServiceKind
    service_date: dt.date
    provider: str
    note: str | None
    vacancy_id: int | None
    programme: str | None
    hours: int | None
    amount: int | None
    external_ref: str | None


Minimums = Annotated[dict[ServiceKind, Annotated[int, Field(ge=1, le=100)]], Field(min_length=1)]


class StandardWrite(InputModel):
    minimums: Minimums = Field(
        description="At least this many services of each kind for every graduate in difficulty.",
        examples=[{"consultation": 1, "resume": 2, "referral": 3}],
    )


class StandardRead(BaseModel):
    province: str
    minimums: dict[ServiceKind, int]
    is_default: bool


class GroupRead(BaseModel):
    model_config = {"from_attributes": True}

    code: str
    name: str


class LedgerFilters(BaseModel):
    province: str | None
    university: str | None


class Figures(BaseModel):
    graduates: int
    placed: int
    placement_rate: float | None = Field(description="落实率, percent, one decimal.")
    served_to_standard: int
    served_to_standard_share: float | None
    below_standard: int
    trained: int
    training_hours: int
    unemployed: int


class GroupFigures(BaseModel):
    code: str
    name: str
    graduates: int
    placed: int


class StatusFigures(BaseModel):
    code: EmploymentStatus
    name: str
    graduates: int


class PlacedOn(BaseModel):
    on: dt.date
    graduates: int
    placed: int
    placement_rate: float | None


class AssistanceFigures(BaseModel):
    cohort: int
    filters: LedgerFilters
    figures: Figures
    by_group: list[GroupFigures]
    by_status: list[StatusFigures]
    previous_cohort: PlacedOn | None


class PlaceRow(BaseModel):
    key: str
    graduates: int
    placed: int
    placement_rate: float | None
    below_standard: int


class PlaceBreakdown(BaseModel):
    cohort: int
    by: str
    filters: LedgerFilters
    rows: list[PlaceRow]


class PeriodPlacement(BaseModel):
    model_config = {"populate_by_name": True}

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    graduates: int
    placed: int
    placement_rate: float | None
    previous_cohort: PlacedOn


class PlacementSeries(BaseModel):
    cohort: int
    interval: str
    filters: LedgerFilters
    periods: list[PeriodPlacement]


class FollowUp(BaseModel):
    cohort: int
    filters: LedgerFilters
    left_on: dt.date
    unplaced_on_leaving: int
    placed_since: int
    served_since: int


class AssistanceBulletin(BaseModel):
    cohort: int
    filters: LedgerFilters
    text: str
    figures: Figures
