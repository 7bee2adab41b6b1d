from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.errors import NotFound, StillReferenced
from app.core.filters import DateRange, within
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_duplicate_external_ref, refuse_if_referenced
from app.employers.service import require_employer
from app.stats import locks
from app.stats.upkeep import keeping_figures, visits_touch
from app.universities.models import University
from app.universities.service import require_university
from app.vacancies.models import Vacancy
from app.visits.models import LeaderLevel, Visit
from app.visits.schemas import VisitCreate, VisitUpdate


def get_visit(session: Session, visit_id: int, *, for_write: bool = False) -> Visit:
    visit = locks.fetch(session, Visit, visit_id, for_write=for_write)
    if visit is None:
        raise NotFound(f"No visit {visit_id}.")
    return visit


def _check(session: Session, visit: Visit) -> None:
    require_university(session, visit.university_code)
    require_employer(session, visit.employer_uscc)
    refuse_duplicate_external_ref(
        session, Visit, visit.id, visit.university_code, visit.external_ref
    )


def create_visit(session: Session, data: VisitCreate) -> Visit:
    visit = Visit(**data.model_dump())
    _check(session, visit)
    touched = visits_touch([visit.university_code], [visit.employer_uscc])
    with keeping_figures(session, touched, after=lambda: touched.plus(visits=Visit.id == visit.id)):
        session.add(visit)
    return visit


def visits_query(
    *,
    dates: DateRange,
    province: str | None = None,
    university_code: str | None = None,
    employer_uscc: str | None = None,
    leader_level: LeaderLevel | None = None,
) -> Select:
    """The records a list or an export of them holds, in order."""
    query = select(Visit).where(*within(Visit.visit_date, dates)).order_by(Visit.id)
    if province:
        query = query.join(University, University.code == Visit.university_code).where(
            University.province == province
        )
    if university_code:
        query = query.where(Visit.university_code == university_code)
    if employer_uscc:
        query = query.where(Visit.employer_uscc == employer_uscc)
    if leader_level:
        query = query.where(Visit.leader_level == leader_level)
    return query


def list_visits(session: Session, page: PageParams, **filters) -> dict:
    return paginate(session, visits_query(**filters), page)


def _refuse_employer_change_under_vacancies(session: Session, visit: Visit, uscc: str) -> None:
    """A vacancy from a visit is of the visited employer; moving the visit would break that."""
    if uscc == visit.employer_uscc:
        return
    linked = session.scalar(select(func.count()).where(Vacancy.visit_id == visit.id)) or 0
    if linked:
        raise StillReferenced(
            f"Visit {visit.id} has {linked} vacancies of employer {visit.employer_uscc}; "
            "re-point or delete those before changing its employer.",
            field="employer_uscc",
            referenced_by={"vacancies": linked},
        )


def update_visit(session: Session, visit_id: int, data: VisitUpdate) -> Visit:
    visit = get_visit(session, visit_id, for_write=True)
    changes = data.changes()
    if "employer_uscc" in changes:
        _refuse_employer_change_under_vacancies(session, visit, changes["employer_uscc"])
    touched = visits_touch(
        {visit.university_code, changes.get("university_code", visit.university_code)},
        {visit.employer_uscc, changes.get("employer_uscc", visit.employer_uscc)},
        visit.id,
    )
    with keeping_figures(session, touched), session.no_autoflush:
        for field, value in changes.items():
            setattr(visit, field, value)
        _check(session, visit)
    return visit


def delete_visit(session: Session, visit_id: int) -> None:
    visit = get_visit(session, visit_id, for_write=True)
    refuse_if_referenced(session, f"Visit {visit_id}", visit_id, [("vacancies", Vacancy.visit_id)])
    touched = visits_touch([visit.university_code], [visit.employer_uscc], visit.id)
    with keeping_figures(session, touched):
        session.delete(visit)
