import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import ExternalRef, InputModel, Majors, Name, PatchModel, RecordId
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.vacancies.models import Education, PolicyProgram, VacancySource

Headcount = Annotated[int, Field(ge=1, le=1_000_000)]


class VacancyCreate(InputModel):
    """`province` and `university_code` default to those of the event or visit the vacancy came
    from; a vacancy from neither is counted in its employer's province."""

    employer_uscc: Uscc
    title: Name
    headcount: Headcount
    posted_date: dt.date
    source: VacancySource
    event_id: RecordId | None = None
    visit_id: RecordId | None = None
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None
    education: Education = Education.ANY
    majors: Majors = []
    work_province: ProvinceCode | None = None
    policy_program: PolicyProgram | None = None
    external_ref: ExternalRef | None = None


class VacancyUpdate(PatchModel):
    nullable = frozenset(
        {
            "event_id",
            "visit_id",
            "university_code",
            "work_province",
            "policy_program",
            "external_ref",
        }
    )

    employer_uscc: Uscc | None = None
    title: Name | None = None
    headcount: Headcount | None = None
    posted_date: dt.date | None = None
    source: VacancySource | None = None
    event_id: RecordId | None = None
    visit_id: RecordId | None = None
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None
    education: Education | None = None
    majors: Majors | None = None
    work_province: ProvinceCode | None = None
    policy_program: PolicyProgram | None = None
    external_ref: ExternalRef | None = None


class VacancyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    employer_uscc: str
    title: str
    headcount: int
    posted_date: dt.date
    source: VacancySource
    event_id: int | None
    visit_id: int | None
    province: str
    university_code: str | None
    education: Education
    majors: list[str]
    work_province: str | None
    policy_program: PolicyProgram | None
    external_ref: str | None
