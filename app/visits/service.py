"""Visits (访企拓岗). A reach covers a visit by its university: a university's token its own
visits, a province's those of its province's universities, national all of them."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.auth.ownership import owning_university
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.changes import changed_copy
from app.core.errors import InvalidInput, NotFound, OutOfReach, StillReferenced
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


def covers(session: Session, reach: Reach, visit: Visit) -> bool:
    """Whether `reach` covers `visit`: by its university (and that university's province)."""
    if reach.is_national:
        return True
    if reach.university is not None:
        return visit.university_code == reach.university
    province = session.scalar(
        select(University.province).where(University.code == visit.university_code)
    )
    return province == reach.province


def within_reach(reach: Reach) -> list:
    """The conditions that keep a query of visits to those `reach` covers."""
    if reach.university is not None:
        return [Visit.university_code == reach.university]
    if reach.province is not None:
        # A subquery, not a join: it composes with the province filter's own join.
        return [
            Visit.university_code.in_(
                select(University.code).where(University.province == reach.province)
            )
        ]
    return []


def get_visit(
    session: Session, visit_id: int, reach: Reach = NATIONAL, *, for_write: bool = False
) -> Visit:
    """The visit `visit_id`; 404 when there is none, and the same 404 (audited as refused)
    when `reach` does not cover it."""
    visit = locks.fetch(session, Visit, visit_id, for_write=for_write)
    if visit is None:
        raise NotFound(_missing(visit_id))
    if not covers(session, reach, visit):
        raise OutOfReach(_missing(visit_id))
    return visit


def _missing(visit_id: int) -> str:
    return f"No visit {visit_id}."


def _check(session: Session, visit: Visit) -> None:
    require_university(session, visit.university_code)
    require_employer(session, visit.employer_uscc)
    refuse_duplicate_external_ref(
        session, Visit, visit.id, visit.university_code, visit.external_ref
    )


def create_visit(session: Session, data: VisitCreate, who: Principal | None = None) -> Visit:
    """A visit of `who`'s university (a university's token may leave university_code out; it
    may name no other, 403); national staff, and `who` None (the command line, the demo
    loader), name it (422 when they do not)."""
    fields = data.model_dump()
    if who is not None:
        fields["university_code"] = owning_university(who, data.university_code)
    if fields["university_code"] is None:
        raise InvalidInput(
            "university_code is required: the university that made the visit.",
            field="university_code",
        )
    visit = Visit(**fields)
    _check(session, visit)
    touched = visits_touch([visit.university_code], [visit.employer_uscc])
    with keeping_figures(session, touched, after=lambda: touched.plus(visits=Visit.id == visit.id)):
        session.add(visit)
    return visit


def visits_query(
    reach: Reach = NATIONAL,
    *,
    dates: DateRange,
    province: str | None = None,
    university_code: str | None = None,
    employer_uscc: str | None = None,
    leader_level: LeaderLevel | None = None,
) -> Select:
    """The records a list or an export of them holds, in order: those `reach` covers, that
    the filters select."""
    query = (
        select(Visit)
        .where(*within(Visit.visit_date, dates), *within_reach(reach))
        .order_by(Visit.id)
    )
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


def list_visits(session: Session, page: PageParams, reach: Reach = NATIONAL, **filters) -> dict:
    return paginate(session, visits_query(reach, **filters), page)


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


def update_visit(
    session: Session, visit_id: int, data: VisitUpdate, who: Principal | None = None
) -> Visit:
    """A change to a visit `who` covers (else 404, as a missing one); a new university_code
    is `who`'s to give (403 naming it otherwise). `who` None: national (the command line)."""
    reach = who.reach if who is not None else NATIONAL
    visit = get_visit(session, visit_id, reach, for_write=True)
    changes = data.changes()
    if who is not None and "university_code" in changes:
        changes["university_code"] = owning_university(who, changes["university_code"])
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


def check_update(session: Session, visit: Visit, data: VisitUpdate) -> None:
    """Raise what update_visit would raise for `data` as national staff's change (an import's,
    whose rows are within its sender's reach already), changing nothing."""
    changes = data.changes()
    if "employer_uscc" in changes:
        _refuse_employer_change_under_vacancies(session, visit, changes["employer_uscc"])
    _check(session, changed_copy(visit, changes))


def delete_visit(session: Session, visit_id: int, reach: Reach = NATIONAL) -> None:
    visit = get_visit(session, visit_id, reach, for_write=True)
    refuse_if_referenced(session, f"Visit {visit_id}", visit_id, [("vacancies", Vacancy.visit_id)])
    touched = visits_touch([visit.university_code], [visit.employer_uscc], visit.id)
    with keeping_figures(session, touched):
        session.delete(visit)
