"""The registry of universities. Every record reader sees the universities of its reach:
national staff all, a province's its own province's, a university itself."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.assistance import kept
from app.assistance.models import AssistedGraduate
from app.auth.principal import NATIONAL, Reach
from app.core.errors import AlreadyExists, NotFound, OutOfReach, UnknownReference
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_if_referenced
from app.events.models import Event
from app.matchmaking.models import CooperationIntent, MatchmakingSession, SessionUniversity
from app.publicity.models import PublicitySession
from app.stats import locks
from app.stats.upkeep import Touched, keeping_figures, university_touch
from app.universities.models import University
from app.universities.schemas import UniversityCreate, UniversityUpdate
from app.vacancies.models import Vacancy
from app.visits.models import Visit


def get_university(
    session: Session, code: str, reach: Reach = NATIONAL, *, lock: dict | None = None
) -> University:
    """The university `code`; 404 when there is none, and the same 404 (audited as refused)
    when `reach` does not cover it. `lock` (as with_for_update takes it): read afresh, with
    its row so locked."""
    university = session.get(
        University, code, with_for_update=lock, populate_existing=lock is not None
    )
    missing = f"No university with 学校标识码 {code}."
    if university is None:
        raise NotFound(missing)
    if not reach.covers_university(university.code, university.province):
        raise OutOfReach(missing)
    return university


def require_university(session: Session, code: str, field: str = "university_code") -> University:
    """The university a record points at; a 422 naming `field` when there is none."""
    university = session.get(University, code)
    if university is None:
        raise UnknownReference(f"No university with 学校标识码 {code}.", field=field)
    return university


def create_university(session: Session, data: UniversityCreate) -> University:
    if session.get(University, data.code) is not None:
        raise AlreadyExists(
            f"University {data.code} exists already.",
            field="code",
            existing=f"/api/v1/universities/{data.code}",
        )
    university = University(**data.model_dump())
    session.add(university)
    session.flush()
    return university


def universities_query(reach: Reach = NATIONAL, *, province: str | None = None) -> Select:
    """The records a list or an export of them holds, by code: the universities `reach`
    covers, of `province` if given."""
    query = select(University).order_by(University.code)
    if reach.university is not None:
        query = query.where(University.code == reach.university)
    elif reach.province is not None:
        query = query.where(University.province == reach.province)
    if province:
        query = query.where(University.province == province)
    return query


def list_universities(
    session: Session, page: PageParams, *, province: str | None = None, reach: Reach = NATIONAL
) -> dict:
    """The universities `reach` covers, of `province` if given, by code."""
    return paginate(session, universities_query(reach, province=province), page)


def university_for_update(session: Session, code: str, data: UniversityUpdate) -> University:
    """The university `code`, read afresh under the locks update_university takes for `data`,
    in its order (app/stats/locks.py): a move to another province reclassifies, any other
    change writes the figures; then its row, as its UPDATE locks it. (For If-Match.)"""
    locks.before_update(session, reclassifies="province" in data.changes())
    return get_university(session, code, lock=locks.ROW_UPDATE)


def university_for_delete(session: Session, code: str) -> University:
    """The university `code`, read afresh with its row locked as delete_university's DELETE
    locks it (it takes no other lock). (For If-Match.)"""
    return get_university(session, code, lock=locks.ROW_DELETE)


def update_university(session: Session, code: str, data: UniversityUpdate) -> University:
    university = get_university(session, code)
    changes = data.changes()
    touched = university_touch(session, code) if "province" in changes else Touched()
    with keeping_figures(session, touched):
        for field, value in changes.items():
            setattr(university, field, value)
    if "province" in changes:
        # Its graduates in difficulty are judged by their new province's service standard.
        kept.lock(session)
        session.flush()
        kept.restandardise(session, [code])
    return university


def delete_university(session: Session, code: str) -> None:
    university = get_university(session, code)
    refuse_if_referenced(
        session,
        f"University {code}",
        code,
        [
            ("visits", Visit.university_code),
            ("events", Event.university_code),
            ("vacancies", Vacancy.university_code),
            ("graduates in difficulty", AssistedGraduate.university_code),
            ("matchmaking sessions held", MatchmakingSession.university_code),
            ("matchmaking sessions taken part in", SessionUniversity.university_code),
            ("cooperation intents", CooperationIntent.university_code),
            ("publicity sessions", PublicitySession.university_code),
        ],
    )
    session.delete(university)
    session.flush()
