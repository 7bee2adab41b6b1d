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
from app.core.schemas import RecordId
from app.imports.exports import EXPORT_RESPONSES, ExportDep, ExportFormat
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.vacancies import service
from app.vacancies.models import PolicyProgram, VacancySource
from app.vacancies.schemas import VacancyCreate, VacancyRead, VacancyUpdate

router = APIRouter(prefix="/vacancies", tags=["vacancies"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=VacancyRead, responses=CREATE_RESPONSES
)
def create_vacancy(
    body: VacancyCreate, session: SessionDep, who: RecordWriter, write: RecordWriteDep
):
    return write.respond(session, lambda: service.create_vacancy(session, body, who))


def _filters(
    dates: DateRangeDep,
    province: Annotated[ProvinceCode | None, Query(description="Where it is counted.")] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    employer_uscc: Annotated[Uscc | None, Query()] = None,
    source: Annotated[VacancySource | None, Query()] = None,
    event_id: Annotated[RecordId | None, Query()] = None,
    visit_id: Annotated[RecordId | None, Query()] = None,
    policy_program: Annotated[PolicyProgram | None, Query()] = None,
) -> dict:
    return {
        "dates": dates,
        "province": province,
        "university_code": university_code,
        "employer_uscc": employer_uscc,
        "source": source,
        "event_id": event_id,
        "visit_id": visit_id,
        "policy_program": policy_program,
    }


FiltersDep = Annotated[dict, Depends(_filters)]


@router.get("", response_model=Page[VacancyRead])
def list_vacancies(session: ReadSessionDep, page: PageDep, filters: FiltersDep, who: RecordReader):
    """Vacancies, oldest record first; `from`/`to` bound the posted date."""
    return service.list_vacancies(session, page, who.reach, **filters)


@router.get("/export", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_vacancies(
    session: SessionDep,
    filters: FiltersDep,
    export: ExportDep,
    format: ExportFormat = "xlsx",
):
    """The vacancies the list filters select, as a ledger (.xlsx or CSV, Chinese headers), streamed."""
    query = service.vacancies_query(export.who.reach, **filters)
    return export.respond(session, "vacancies", query, format)


@router.get("/{vacancy_id}", response_model=VacancyRead, responses=READ_RESPONSES)
def get_vacancy(
    vacancy_id: IdPath, session: SessionDep, who: RecordReader, if_none_match: IfNoneMatch = None
):
    vacancy = service.get_vacancy(session, vacancy_id, who.reach)
    return record_answer(VacancyRead, vacancy, if_none_match)


@router.patch("/{vacancy_id}", response_model=VacancyRead, responses=CHANGE_RESPONSES)
def update_vacancy(
    vacancy_id: IdPath,
    body: VacancyUpdate,
    session: SessionDep,
    who: RecordWriter,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_vacancy(session, vacancy_id, body, who),
        current=lambda: service.vacancy_for_write(session, vacancy_id, who.reach),
    )


@router.delete("/{vacancy_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_vacancy(
    vacancy_id: IdPath, session: SessionDep, who: RecordWriter, write: ConditionalWriteDep
):
    return write.respond(
        session,
        lambda: service.delete_vacancy(session, vacancy_id, who.reach),
        current=lambda: service.vacancy_for_write(session, vacancy_id, who.reach),
        shown_as=VacancyRead,
    )
