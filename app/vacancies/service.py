"""Vacancies (岗位信息). A reach covers a vacancy where it is counted: by its university (a
university's token) or its province (a province's token); national staff cover every one."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.auth.ownership import owned_fields, refuse_unless_own
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.changes import changed_copy
from app.core.errors import InvalidInput, NotFound, OutOfReach, UnknownReference
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


def within_reach(reach: Reach) -> list:
    """The conditions that keep a query of vacancies to those `reach` covers."""
    return reach.where(Vacancy.university_code, Vacancy.province)


def get_vacancy(
    session: Session, vacancy_id: int, reach: Reach = NATIONAL, *, for_write: bool = False
) -> Vacancy:
    """The vacancy `vacancy_id`; 404 when there is none, and the same 404 (audited as refused)
    when `reach` does not cover it."""
    vacancy = locks.fetch(session, Vacancy, vacancy_id, for_write=for_write)
    if vacancy is None:
        raise NotFound(_missing(vacancy_id))
    if not reach.covers_university(vacancy.university_code, vacancy.province):
        raise OutOfReach(_missing(vacancy_id))
    return vacancy


def vacancy_for_write(session: Session, vacancy_id: int, reach: Reach = NATIONAL) -> Vacancy:
    """The vacancy `vacancy_id`, read afresh under the lock its change or delete takes first
    (get_vacancy); 404 as get_vacancy, and 403 unless `reach` may change it (its own)."""
    vacancy = get_vacancy(session, vacancy_id, reach, for_write=True)
    refuse_unless_own(reach, vacancy.university_code, f"Vacancy {vacancy_id}")
    return vacancy


def _missing(vacancy_id: int) -> str:
    return f"No vacancy {vacancy_id}."


def _linked_origin(
    session: Session, vacancy: Vacancy, reach: Reach = NATIONAL
) -> tuple[str, str | None] | None:
    """The (province, university_code) of the event or visit the vacancy came from, if any.

    Checks that the link exists and agrees with the vacancy's source and employer. Any event
    will do; a visit must be one `reach` covers (else it is answered as a missing one).
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
        university = session.get(University, visit.university_code) if visit else None
        if university is None or not reach.covers_university(university.code, university.province):
            raise UnknownReference(f"No visit {vacancy.visit_id}.", field="visit_id")
        if visit.employer_uscc != vacancy.employer_uscc:
            raise InvalidInput(
                f"Visit {visit.id} was to employer {visit.employer_uscc}, not {vacancy.employer_uscc}.",
                field="visit_id",
            )
        return university.province, university.code
    return None


def _check(
    session: Session, vacancy: Vacancy, reach: Reach = NATIONAL, *, department: bool = False
) -> tuple[str, str | None] | None:
    """Checks the vacancy's references (a visit within `reach`) and fills in where it is
    counted, from its event or visit; a province department's (`department`) has no university,
    whatever its event or visit."""
    employer = require_employer(session, vacancy.employer_uscc)
    origin = _linked_origin(session, vacancy, reach)
    if vacancy.province is None:
        vacancy.province = origin[0] if origin else employer.province
    if vacancy.university_code is None and origin and not department:
        vacancy.university_code = origin[1]
    if vacancy.university_code is not None:
        require_university(session, vacancy.university_code)
    refuse_duplicate_external_ref(
        session, Vacancy, vacancy.id, vacancy.university_code, vacancy.external_ref
    )
    return origin


def _is_department(who: Principal | None) -> bool:
    return who is not None and who.reach.province is not None and who.reach.university is None


def create_vacancy(session: Session, data: VacancyCreate, who: Principal | None = None) -> Vacancy:
    """A new vacancy of `who`'s. A university's token's is its own (university_code may be left
    out); a province's token's is its department's: its own province, and no university, not
    even that of its event or visit. Otherwise `province` and `university_code` left out are
    those of its event or visit (its employer's province for one from neither). Its visit must
    be one `who` covers (422 naming visit_id, as a missing one); its event may be any."""
    vacancy = Vacancy(**owned_fields(who, data.model_dump()))
    reach = who.reach if who is not None else NATIONAL
    _check(session, vacancy, reach, department=_is_department(who))
    with keeping_figures(session, Touched(), after=lambda: _touch(vacancy.id)):
        session.add(vacancy)
    return vacancy


def vacancies_query(
    reach: Reach = NATIONAL,
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
    """The records a list or an export of them holds, in order: those `reach` covers, that
    the filters select."""
    query = (
        select(Vacancy)
        .where(*within(Vacancy.posted_date, dates), *within_reach(reach))
        .order_by(Vacancy.id)
    )
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


def list_vacancies(session: Session, page: PageParams, reach: Reach = NATIONAL, **filters) -> dict:
    return paginate(session, vacancies_query(reach, **filters), page)


def update_vacancy(
    session: Session, vacancy_id: int, data: VacancyUpdate, who: Principal | None = None
) -> Vacancy:
    """A change to a vacancy `who` covers (else 404, as a missing one); a new university_code
    or province is `who`'s to give, and a new visit one it covers, as when creating."""
    reach = who.reach if who is not None else NATIONAL
    vacancy = vacancy_for_write(session, vacancy_id, reach)
    changes = owned_fields(who, _changes(data))
    # The visit it already came from is not checked again: only one it is moved to.
    visits_within = reach if "visit_id" in changes else NATIONAL
    with keeping_figures(session, _touch(vacancy.id)), session.no_autoflush:
        for field, value in changes.items():
            setattr(vacancy, field, value)
        _check(session, vacancy, visits_within, department=_is_department(who))
    return vacancy


def _changes(data: VacancyUpdate) -> dict:
    changes = data.changes()
    if {"event_id", "visit_id"} & changes.keys():
        # A vacancy moved to another event or visit is counted where that one is, unless told.
        changes.setdefault("province", None)
        changes.setdefault("university_code", None)
    return changes


def check_update(session: Session, vacancy: Vacancy, data: VacancyUpdate) -> None:
    """Raise what update_vacancy would raise for `data` as national staff's change (an
    import's, whose rows are within its sender's reach already), changing nothing."""
    _check(session, changed_copy(vacancy, _changes(data)))


def delete_vacancy(session: Session, vacancy_id: int, reach: Reach = NATIONAL) -> None:
    vacancy = vacancy_for_write(session, vacancy_id, reach)
    with keeping_figures(session, _touch(vacancy_id)):
        session.delete(vacancy)


def _touch(vacancy_id: int) -> Touched:
    return Touched(vacancies=Vacancy.id == vacancy_id)
