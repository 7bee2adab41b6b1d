"""Services given to graduates in difficulty (帮扶服务): each dated, by whom, with a short note.
A service is within a reach when its graduate is; writing one keeps the graduate's count of
services of its kind, which the standard is judged by."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.assistance import kept
from app.assistance.models import AssistanceService, AssistedGraduate, ServiceKind
from app.assistance.schemas import ServiceCreate, ServiceUpdate
from app.assistance.service import get_graduate, reach_of, within_reach
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.errors import InvalidInput, NotFound, OutOfReach, UnknownReference
from app.core.filters import DateRange, within
from app.core.pagination import PageParams, paginate
from app.privacy.numbers import scrub
from app.universities.models import University
from app.vacancies.models import Vacancy

# Fields that belong to one kind of service only.
_ONLY_FOR = {
    "vacancy_id": ServiceKind.REFERRAL,
    "hours": ServiceKind.TRAINING,
    "programme": ServiceKind.TRAINING,
    "amount": ServiceKind.SUBSIDY,
}


def _check(session: Session, service: AssistanceService) -> None:
    for field, kind in _ONLY_FOR.items():
        if getattr(service, field) is not None and service.kind is not kind:
            raise InvalidInput(
                f"{field} is for a service of kind {kind.value} ({kind.label}) only.", field=field
            )
    if service.vacancy_id is not None and session.get(Vacancy, service.vacancy_id) is None:
        raise UnknownReference(f"No vacancy {service.vacancy_id}.", field="vacancy_id")


def check_service(session: Session, service: AssistanceService) -> None:
    """422 for a service the API would refuse as it stands (another kind's field, an unknown
    vacancy): an import asks before it writes (app/imports/assisted.py)."""
    _check(session, service)


def create_service(
    session: Session, data: ServiceCreate, who: Principal | None = None
) -> AssistanceService:
    graduate = get_graduate(session, data.graduate_id, reach_of(who), for_write=True)
    if graduate.deidentified_at is not None:
        raise InvalidInput("This graduate has been de-identified.", field="graduate_id")
    fields = data.model_dump()
    if fields["note"]:
        fields["note"] = scrub(fields["note"])
    service = AssistanceService(**fields)
    _check(session, service)
    with kept.keeping(session, graduate):
        session.add(service)
        kept.count_service(graduate, service, +1)
    return service


def get_service(
    session: Session, service_id: int, reach: Reach = NATIONAL, *, for_write: bool = False
) -> AssistanceService:
    if for_write:
        kept.lock(session)
    service = session.get(
        AssistanceService, service_id, with_for_update=for_write or None, populate_existing=True
    )
    missing = f"No assistance service {service_id}."
    if service is None:
        raise NotFound(missing)
    try:
        get_graduate(session, service.graduate_id, reach)
    except OutOfReach:
        raise OutOfReach(missing) from None
    return service


def update_service(
    session: Session, service_id: int, data: ServiceUpdate, who: Principal | None = None
) -> AssistanceService:
    service = get_service(session, service_id, reach_of(who), for_write=True)
    changes = data.changes()
    if changes.get("note"):
        changes["note"] = scrub(changes["note"])
    graduate = get_graduate(session, service.graduate_id, for_write=True)
    with kept.keeping(session, graduate), session.no_autoflush:
        kept.count_service(graduate, service, -1)
        for field, value in changes.items():
            setattr(service, field, value)
        _check(session, service)
        kept.count_service(graduate, service, +1)
    return service


def delete_service(session: Session, service_id: int, who: Principal | None = None) -> None:
    service = get_service(session, service_id, reach_of(who), for_write=True)
    graduate = get_graduate(session, service.graduate_id, for_write=True)
    with kept.keeping(session, graduate):
        session.delete(service)
        kept.count_service(graduate, service, -1)


def services_query(
    reach: Reach = NATIONAL,
    *,
    dates: DateRange,
    graduate_id: int | None = None,
    kind: ServiceKind | None = None,
    cohort: int | None = None,
    university_code: str | None = None,
    province: str | None = None,
) -> Select:
    query = (
        select(AssistanceService)
        .join(AssistedGraduate, AssistedGraduate.id == AssistanceService.graduate_id)
        .join(University, University.code == AssistedGraduate.university_code)
        .where(*within(AssistanceService.service_date, dates), *within_reach(reach))
        .order_by(AssistanceService.id)
    )
    conditions = {
        AssistanceService.graduate_id: graduate_id,
        AssistanceService.kind: kind,
        AssistedGraduate.cohort: cohort,
        AssistedGraduate.university_code: university_code,
        University.province: province,
    }
    return query.where(*(column == value for column, value in conditions.items() if value))


def list_services(session: Session, page: PageParams, reach: Reach = NATIONAL, **filters) -> dict:
    return paginate(session, services_query(reach, **filters), page)
