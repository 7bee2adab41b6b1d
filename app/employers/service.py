from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.errors import AlreadyExists, NotFound, UnknownReference
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_if_referenced
from app.employers.models import Employer, Ownership
from app.employers.schemas import EmployerCreate, EmployerUpdate
from app.events.models import EventParticipant
from app.matchmaking.models import CooperationIntent, SessionEmployer
from app.stats import locks
from app.stats.upkeep import Touched, employer_touch, keeping_figures
from app.vacancies.models import Vacancy
from app.visits.models import Visit


def get_employer(session: Session, uscc: str, *, lock: dict | None = None) -> Employer:
    """The employer `uscc`, or 404. `lock` (as with_for_update takes it): read afresh, with its
    row so locked."""
    employer = session.get(Employer, uscc, with_for_update=lock, populate_existing=lock is not None)
    if employer is None:
        raise NotFound(f"No employer with 统一社会信用代码 {uscc}.")
    return employer


def require_employer(session: Session, uscc: str, field: str = "employer_uscc") -> Employer:
    """The employer a record points at; a 422 naming `field` when there is none."""
    employer = session.get(Employer, uscc)
    if employer is None:
        raise UnknownReference(
            f"No employer with 统一社会信用代码 {uscc}; register it first.", field=field
        )
    return employer


def create_employer(session: Session, data: EmployerCreate) -> Employer:
    if session.get(Employer, data.uscc) is not None:
        raise AlreadyExists(
            f"Employer {data.uscc} exists already.",
            field="uscc",
            existing=f"/api/v1/employers/{data.uscc}",
        )
    employer = Employer(**data.model_dump())
    session.add(employer)
    session.flush()
    return employer


def employers_query(
    *,
    province: str | None = None,
    industry: str | None = None,
    ownership: Ownership | None = None,
    name: str | None = None,
) -> Select:
    """The records a list or an export of them holds, in order."""
    query = select(Employer).order_by(Employer.uscc)
    if province:
        query = query.where(Employer.province == province)
    if industry:
        query = query.where(Employer.industry == industry)
    if ownership:
        query = query.where(Employer.ownership == ownership)
    if name:
        # icontains: the same answer on PostgreSQL as on SQLite, whose LIKE ignores ASCII case.
        query = query.where(Employer.name.icontains(name, autoescape=True))
    return query


def list_employers(session: Session, page: PageParams, **filters) -> dict:
    return paginate(session, employers_query(**filters), page)


def employer_for_update(session: Session, uscc: str, data: EmployerUpdate) -> Employer:
    """The employer `uscc`, read afresh under the locks update_employer takes for `data`, in
    its order (app/stats/locks.py): a move to another industry reclassifies, any other change
    writes the figures; then its row, as its UPDATE locks it. (For If-Match.)"""
    locks.before_update(session, reclassifies="industry" in data.changes())
    return get_employer(session, uscc, lock=locks.ROW_UPDATE)


def employer_for_delete(session: Session, uscc: str) -> Employer:
    """The employer `uscc`, read afresh with its row locked as delete_employer's DELETE locks
    it (it takes no other lock). (For If-Match.)"""
    return get_employer(session, uscc, lock=locks.ROW_DELETE)


def update_employer(session: Session, uscc: str, data: EmployerUpdate) -> Employer:
    employer = get_employer(session, uscc)
    changes = data.changes()
    touched = employer_touch(session, uscc) if "industry" in changes else Touched()
    with keeping_figures(session, touched):
        for field, value in changes.items():
            setattr(employer, field, value)
    return employer


def delete_employer(session: Session, uscc: str) -> None:
    employer = get_employer(session, uscc)
    refuse_if_referenced(
        session,
        f"Employer {uscc}",
        uscc,
        [
            ("visits", Visit.employer_uscc),
            ("event participations", EventParticipant.employer_uscc),
            ("vacancies", Vacancy.employer_uscc),
            ("matchmaking sessions taken part in", SessionEmployer.employer_uscc),
            ("cooperation intents", CooperationIntent.employer_uscc),
        ],
    )
    session.delete(employer)
    session.flush()
