from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.errors import InvalidInput, NotFound, UnknownReference
from app.core.filters import DateRange, within
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_duplicate_external_ref
from app.employers.service import require_employer
from app.events.models import Event
from app.stats import locks
from app.stats.upkeep import Touched, keeping_figures
from app.universities.models import University
from app.universities.service import require_university
from app.vacancies.models import PolicyProgram, Vacancy, VacancySource
from app.vacancies.schemas import VacancyCreate, VacancyUpdate
from app.visits.models import Visit


def get_vacancy(session: Session, vacancy_id: int, *, for_write: bool = False) -> Vacancy:
    vacancy = locks.fetch(session, Vacancy, vacancy_id, for_write=for_write)
    if vacancy is None:
        raise NotFound(f"No vacancy {vacancy_id}.")
    return vacancy


def _linked_origin(session: Session, vacancy: Vacancy) -> tuple[str, str | None] | None:
    """The (province, university_code) of the event or visit the vacancy came from, if any.

    Checks that the link exists and agrees with the vacancy's source and employer.
    """
    if vacancy.event_id is not None and vacancy.visit_id is not None:
        raise InvalidInput("A vacancy comes from an event or a visit, not both.", field="visit_id")
    if vacancy.event_id is not None:
        if vacancy.source != VacancySource.EVENT:
            raise InvalidInput(
                "event_id is given only when the source is 'event'.", field="event_id"
            )
        event = session.get(Event, vacancy.event_id)
        if event is None:
            raise UnknownReference(f"No event {vacancy.event_id}.", field="event_id")
        return event.province, event.university_code
    if vacancy.visit_id is not None:
        if vacancy.source != VacancySource.VISIT:
            raise InvalidInput(
                "visit_id is given only when the source is 'visit'.", field="visit_id"
            )
        visit = session.get(Visit, vacancy.visit_id)
        if visit is None:
            raise UnknownReference(f"No visit {vacancy.visit_id}.", field="visit_id")
        if visit.employer_uscc != vacancy.employer_uscc:
            raise InvalidInput(
                f"Visit {visit.id} was to employer {visit.employer_uscc}, not {vacancy.employer_uscc}.",
                field="visit_id",
            )
        university = session.get(University, visit.university_code)
        return university.province, university.code
    return None


def _check(session: Session, vacancy: Vacancy) -> tuple[str, str | None] | None:
    employer = require_employer(session, vacancy.employer_uscc)
    origin = _linked_origin(session, vacancy)
    if vacancy.province is None:
        vacancy.province = origin[0] if origin else employer.province
    if vacancy.university_code is None and origin:
        vacancy.university_code = origin[1]
    if vacancy.university_code is not None:
        require_university(session, vacancy.university_code)
    refuse_duplicate_external_ref(
        session, Vacancy, vacancy.id, vacancy.university_code, vacancy.external_ref
    )
    return origin


def create_vacancy(session: Session, data: VacancyCreate) -> Vacancy:
    vacancy = Vacancy(**data.model_dump())
    _check(session, vacancy)
    with keeping_figures(session, Touched(), after=lambda: _touch(vacancy.id)):
        session.add(vacancy)
    return vacancy


def vacancies_query(
    *,
    dates: DateRange,
    province: str | None = None,
    university_code: str | None = None,
    employer_uscc: str | None = None,
    source: VacancySource | None = None,
    event_id: int | None = None,
    visit_id: int | None = None,
    policy_program: PolicyProgram | None = None,
) -> Select:
    """The records a list or an export of them holds, in order."""
    query = select(Vacancy).where(*within(Vacancy.posted_date, dates)).order_by(Vacancy.id)
    for column, value in (
        (Vacancy.province, province),
        (Vacancy.university_code, university_code),
        (Vacancy.employer_uscc, employer_uscc),
        (Vacancy.source, source),
        (Vacancy.event_id, event_id),
        (Vacancy.visit_id, visit_id),
        (Vacancy.policy_program, policy_program),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def list_vacancies(session: Session, page: PageParams, **filters) -> dict:
    return paginate(session, vacancies_query(**filters), page)


def update_vacancy(session: Session, vacancy_id: int, data: VacancyUpdate) -> Vacancy:
    vacancy = get_vacancy(session, vacancy_id, for_write=True)
    changes = data.changes()
    if {"event_id", "visit_id"} & changes.keys():
        # A vacancy moved to another event or visit is counted where that one is, unless told.
        changes.setdefault("province", None)
        changes.setdefault("university_code", None)
    with keeping_figures(session, _touch(vacancy.id)), session.no_autoflush:
        for field, value in changes.items():
            setattr(vacancy, field, value)
        _check(session, vacancy)
    return vacancy


def delete_vacancy(session: Session, vacancy_id: int) -> None:
    vacancy = get_vacancy(session, vacancy_id, for_write=True)
    with keeping_figures(session, _touch(vacancy_id)):
        session.delete(vacancy)


def _touch(vacancy_id: int) -> Touched:
    return Touched(vacancies=Vacancy.id == vacancy_id)
