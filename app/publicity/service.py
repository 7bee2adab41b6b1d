"""The register of policy measures and the publicity sessions. Who writes what: national staff
anything; a province's department its province's measures (its own and its cities') and its
own sessions; a university its own sessions. Everyone reads every measure (they are published
policies); sessions are read within reach (a province's or university's token: its province's)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.ownership import owned_fields, refuse_unless_own
from app.auth.principal import Principal, Reach
from app.core.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from app.core.filters import DateRange, within
from app.core.pagination import PageParams, paginate
from app.publicity import search
from app.publicity.models import HolderKind, MeasureLevel, PolicyMeasure, PublicitySession
from app.publicity.schemas import MeasureCreate, MeasureUpdate, SessionCreate, SessionUpdate
from app.universities.service import require_university

MEASURES = "/api/v1/policy-measures"
COMMITTEES = (HolderKind.NATIONAL_COMMITTEE, HolderKind.INDUSTRY_COMMITTEE)


# --- measures ---------------------------------------------------------------------------------


def _provincial(who: Principal | None) -> str | None:
    """The province of a province's token; None for national staff and the demo loader."""
    return who.reach.province if who is not None and who.reach.university is None else None


def _placed(fields: dict, who: Principal | None) -> dict:
    """`fields` with level, province and city agreeing, and within `who`'s province."""
    level, province, city = fields["level"], fields["province"], fields["city"]
    if level != MeasureLevel.CITY and city is not None:
        raise InvalidInput(f"A {level.value} measure has no city.", field="city")
    if level == MeasureLevel.NATIONAL and province is not None:
        raise InvalidInput("A national measure has no province.", field="province")
    if level == MeasureLevel.CITY:
        if city is None:
            raise InvalidInput("A city's measure names its city.", field="city")
        if province not in (None, city[:2]):
            raise InvalidInput(f"City {city} is in province {city[:2]}.", field="city")
        province = city[:2]
    own = _provincial(who)
    if own is not None and level == MeasureLevel.NATIONAL:
        raise Forbidden("National measures are the Ministry's.", field="level")
    if own is not None and province not in (None, own):
        raise Forbidden(
            f"This token writes the measures of province {own} and its cities only.",
            field="city" if level == MeasureLevel.CITY else "province",
        )
    province = province or own
    if level == MeasureLevel.PROVINCE and province is None:
        raise InvalidInput("A province's measure names its province.", field="province")
    start, end = fields["effective_from"], fields["effective_to"]
    if start and end and end < start:
        raise InvalidInput(f"effective_to ({end}) is before effective_from.", field="effective_to")
    return {**fields, "province": province}


def _indexed(measure: PolicyMeasure) -> None:
    measure.search_text = search.searchable(measure.title, measure.issuer, measure.summary)
    measure.search_bigrams = " ".join(search.bigrams(measure.search_text))


def _refuse_duplicate(session: Session, measure: PolicyMeasure) -> None:
    existing = session.scalar(
        select(PolicyMeasure.id).where(
            PolicyMeasure.issuer == measure.issuer,
            PolicyMeasure.title == measure.title,
            PolicyMeasure.id != (measure.id or 0),
        )
    )
    if existing is not None:
        raise AlreadyExists(
            f"{measure.issuer} has a measure titled {measure.title!r} already.",
            field="title",
            existing=f"{MEASURES}/{existing}",
        )


def new_measure(data: MeasureCreate, who: Principal | None) -> PolicyMeasure:
    """The measure `data` describes, checked and indexed, not yet added (the demo adds many)."""
    measure = PolicyMeasure(**_placed(data.model_dump(), who))
    _indexed(measure)
    return measure


def create_measure(session: Session, data: MeasureCreate, who: Principal | None) -> PolicyMeasure:
    measure = new_measure(data, who)
    with session.no_autoflush:
        _refuse_duplicate(session, measure)
    session.add(measure)
    session.flush()
    return measure


def _read(session: Session, model: type, record_id: int, lock: dict | None):
    """The record, or None; read afresh under `lock` (app/stats/locks.py) when one is given."""
    query = select(model).where(model.id == record_id)
    if lock is not None:
        query = query.with_for_update(**lock).execution_options(populate_existing=True)
    return session.scalar(query)


def get_measure(session: Session, measure_id: int, *, lock: dict | None = None) -> PolicyMeasure:
    measure = _read(session, PolicyMeasure, measure_id, lock)
    if measure is None:
        raise NotFound(f"No policy measure {measure_id}.")
    return measure


def _may_change_measure(who: Principal, measure: PolicyMeasure) -> None:
    own = _provincial(who)
    if own is not None and measure.province != own:
        owner = f"province {measure.province}'s" if measure.province else "the Ministry's"
        raise Forbidden(f"Policy measure {measure.id} is {owner}.")


def update_measure(
    session: Session, measure_id: int, data: MeasureUpdate, who: Principal
) -> PolicyMeasure:
    measure = get_measure(session, measure_id)
    _may_change_measure(who, measure)
    changes = data.changes()
    if "city" in changes and "province" not in changes:
        changes["province"] = None  # the new city's
    current = {field: getattr(measure, field) for field in MeasureUpdate.model_fields}
    with session.no_autoflush:
        for field, value in _placed(current | changes, who).items():
            setattr(measure, field, value)
        _indexed(measure)
        _refuse_duplicate(session, measure)
    session.flush()
    return measure


def delete_measure(session: Session, measure_id: int, who: Principal) -> None:
    measure = get_measure(session, measure_id)
    _may_change_measure(who, measure)
    session.delete(measure)
    session.flush()


def measures_query(session: Session, *, dates: DateRange, q: str | None = None, **filters):
    """Measures published in the range, of the filters' values, holding `q`; newest first."""
    query = select(PolicyMeasure).where(*within(PolicyMeasure.published_on, dates))
    for field, value in filters.items():
        if value is not None:
            query = query.where(getattr(PolicyMeasure, field) == value)
    if q is not None:
        query = query.where(search.matches(q, session.get_bind().dialect.name))
    return query.order_by(PolicyMeasure.published_on.desc(), PolicyMeasure.id.desc())


def list_measures(session: Session, page: PageParams, **filters) -> dict:
    return paginate(session, measures_query(session, **filters), page)


# --- publicity sessions -----------------------------------------------------------------------


def _checked(session: Session, fields: dict) -> dict:
    """A session's holder, university and province agreeing: a university's session is in
    its province and by default named after it; the committees' are national."""
    kind, code, province = fields["holder_kind"], fields["university_code"], fields["province"]
    if (kind == HolderKind.UNIVERSITY) != (code is not None):
        field = "university_code" if code is None else "holder_kind"
        raise InvalidInput(
            "A university's session, and only one, names the university.", field=field
        )
    if code is not None:
        university = require_university(session, code)
        if province not in (None, university.province):
            raise InvalidInput(
                f"University {code} is in province {university.province}.", field="province"
            )
        province, fields["holder"] = university.province, fields["holder"] or university.name
    if kind in COMMITTEES and province is not None:
        raise InvalidInput(
            f"The {kind.label}'s sessions are national: no province.", field="province"
        )
    if kind == HolderKind.NATIONAL_COMMITTEE:
        fields["holder"] = fields["holder"] or kind.label
    if not fields["holder"]:
        raise InvalidInput("Who held the session: give holder.", field="holder")
    return {**fields, "province": province}


def create_session(
    session: Session, data: SessionCreate, who: Principal | None
) -> PublicitySession:
    fields = owned_fields(who, data.model_dump())
    held = PublicitySession(**_checked(session, fields))
    session.add(held)
    session.flush()
    return held


def _covers(reach: Reach, held: PublicitySession) -> bool:
    return reach.province is None or held.province == reach.province


def get_session(
    session: Session, session_id: int, reach: Reach, *, lock: dict | None = None
) -> PublicitySession:
    held = _read(session, PublicitySession, session_id, lock)
    if held is None or not _covers(reach, held):
        raise NotFound(f"No publicity session {session_id} within this token's reach.")
    return held


def _may_change_session(reach: Reach, held: PublicitySession) -> None:
    what = f"Publicity session {held.id}"
    refuse_unless_own(reach, held.university_code, what)
    if reach.university is not None and held.university_code != reach.university:
        raise Forbidden(f"{what} is not this university's own.")


def update_session(
    session: Session, session_id: int, data: SessionUpdate, who: Principal
) -> PublicitySession:
    held = get_session(session, session_id, who.reach)
    _may_change_session(who.reach, held)
    changes = owned_fields(who, data.changes())
    if "university_code" in changes and "province" not in changes:
        changes["province"] = None  # the new university's
    current = {field: getattr(held, field) for field in SessionUpdate.model_fields}
    for field, value in _checked(session, current | changes).items():
        setattr(held, field, value)
    session.flush()
    return held


def delete_session(session: Session, session_id: int, who: Principal) -> None:
    held = get_session(session, session_id, who.reach)
    _may_change_session(who.reach, held)
    session.delete(held)
    session.flush()


def sessions_query(reach: Reach, *, dates: DateRange, **filters):
    """Sessions within `reach`, held in the range, of the filters' values, in order."""
    query = select(PublicitySession).where(*within(PublicitySession.held_on, dates))
    if reach.province is not None:
        query = query.where(PublicitySession.province == reach.province)
    for field, value in filters.items():
        if value is not None:
            query = query.where(getattr(PublicitySession, field) == value)
    return query.order_by(PublicitySession.held_on, PublicitySession.id)


def list_sessions(session: Session, page: PageParams, reach: Reach, **filters) -> dict:
    return paginate(session, sessions_query(reach, **filters), page)
