"""The ledger of graduates in difficulty (重点群体毕业生台账). A reach covers a graduate by
university, as a visit: a university's token its own, a province's those of its universities,
national all. Only the graduate's own university sees the name; nobody sees the full numbers
here (app/assistance/reveal.py)."""

import datetime as dt

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.assistance import kept, standards
from app.assistance.models import (
    AssistedGraduate,
    DifficultyGroup,
    EmploymentStatus,
    GraduateGroup,
    StatusChange,
)
from app.assistance.schemas import (
    GraduateCreate,
    GraduateRead,
    GraduateUpdate,
    StatusChangeCreate,
)
from app.auth.ownership import owning_university
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.errors import AlreadyExists, InvalidInput, NotFound, OutOfReach, UnknownReference
from app.core.references import refuse_duplicate_external_ref
from app.privacy.cipher import get_cipher
from app.privacy.numbers import gender_of, mask_id_number, mask_name, mask_phone
from app.universities.models import University
from app.universities.service import require_university

CLI = "cli"
CHINA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def covers(session: Session, reach: Reach, graduate: AssistedGraduate) -> bool:
    if reach.is_national:
        return True
    if reach.university is not None:
        return graduate.university_code == reach.university
    province = session.scalar(
        select(University.province).where(University.code == graduate.university_code)
    )
    return province == reach.province


def reach_of(who: Principal | None) -> Reach:
    """`who`'s reach; None (the command line, the demo loader, an import's writer): national."""
    return who.reach if who else NATIONAL


def within_reach(reach: Reach) -> list:
    if reach.university is not None:
        return [AssistedGraduate.university_code == reach.university]
    if reach.province is not None:
        return [AssistedGraduate.university_code.in_(universities_of(reach.province))]
    return []


def universities_of(province: str) -> Select:
    # A subquery, not a join: a count of a national list need not touch the universities.
    return select(University.code).where(University.province == province)


def get_graduate(
    session: Session, graduate_id: int, reach: Reach = NATIONAL, *, for_write: bool = False
) -> AssistedGraduate:
    if for_write:
        kept.lock(session)
    graduate = session.get(
        AssistedGraduate,
        graduate_id,
        with_for_update=for_write or None,
        populate_existing=for_write,
    )
    missing = f"No graduate {graduate_id} in the ledger."
    if graduate is None:
        raise NotFound(missing)
    if not covers(session, reach, graduate):
        raise OutOfReach(missing)
    return graduate


def group_codes(session: Session, given: list[str]) -> list[str]:
    """Codes of the key groups `given` (by code or name), each once; 422 naming an unknown."""
    groups = session.scalars(select(DifficultyGroup)).all()
    known = {row.code: row.code for row in groups} | {row.name: row.code for row in groups}
    codes = []
    for position, value in enumerate(given):
        code = known.get(value.strip())
        if code is None:
            raise UnknownReference(
                f"Unknown key group {value.strip()[:50]!r}: see /api/v1/reference/difficulty-groups.",
                field=f"groups[{position}]",
            )
        codes.append(code)
    return list(dict.fromkeys(codes))


def _set_id_number(session: Session, graduate: AssistedGraduate, id_number: str) -> None:
    """Encrypt, hash and mask; 409 when the cohort has this person already."""
    cipher = get_cipher()
    hashes = cipher.lookup_hashes(id_number)
    existing = session.scalar(
        select(AssistedGraduate).where(
            AssistedGraduate.cohort == graduate.cohort,
            AssistedGraduate.id_number_hash.in_(hashes),
            AssistedGraduate.id != graduate.id if graduate.id else True,
        )
    )
    if existing is not None:
        where = (
            f"graduate {existing.id} of university {existing.university_code}"
            if existing.university_code == graduate.university_code
            else "another university's ledger"
        )
        raise AlreadyExists(
            f"This 居民身份证号 is in the {graduate.cohort} cohort's ledger already: {where}.",
            field="id_number",
            **(
                {"existing_id": existing.id}
                if existing.university_code == graduate.university_code
                else {}
            ),
        )
    graduate.id_number_cipher = cipher.encrypt(id_number)
    graduate.id_number_hash = hashes[0]
    graduate.id_number_masked = mask_id_number(id_number)


def _set_phone(graduate: AssistedGraduate, phone: str | None) -> None:
    graduate.phone_cipher = get_cipher().encrypt(phone) if phone else None
    graduate.phone_masked = mask_phone(phone) if phone else None


def _set_groups(graduate: AssistedGraduate, codes: list[str]) -> None:
    kept = {link.group_code: link for link in graduate.group_links}
    graduate.group_links = [kept.get(code) or GraduateGroup(group_code=code) for code in codes]


def create_graduate(
    session: Session,
    data: GraduateCreate,
    who: Principal | None = None,
    *,
    actor: str | None = None,
) -> AssistedGraduate:
    """`actor`: who records the first status when `who` is None (an import's sender)."""
    university = data.university_code
    if who is not None:
        university = owning_university(who, data.university_code)
    if university is None:
        raise InvalidInput(
            "university_code is required: the graduate's university.", field="university_code"
        )
    require_university(session, university)
    kept.lock(session)
    status_date = data.status_date or today()
    graduate = AssistedGraduate(
        university_code=university,
        cohort=data.cohort,
        name=data.name.strip(),
        gender=data.gender or gender_of(data.id_number),
        major=data.major,
        education=data.education,
        mentor=data.mentor,
        status=data.status,
        status_date=status_date,
        external_ref=data.external_ref,
        created_at=dt.datetime.now(dt.UTC),
        training_hours=0,
        standard_met=False,
        **{column.key: 0 for column in standards.COUNTED_IN.values()},
    )
    refuse_duplicate_external_ref(session, AssistedGraduate, None, university, data.external_ref)
    _set_id_number(session, graduate, data.id_number)
    _set_phone(graduate, data.phone)
    _set_groups(graduate, group_codes(session, data.groups))
    with kept.keeping(session, None) as keeping:
        session.add(graduate)
        session.flush()
        _record_status(session, graduate, data.status, status_date, who, actor)
        keeping.graduate = graduate
    return graduate


def _record_status(
    session: Session,
    graduate: AssistedGraduate,
    status: EmploymentStatus,
    on: dt.date,
    who: Principal | None,
    actor: str | None = None,
) -> StatusChange:
    change = StatusChange(
        graduate_id=graduate.id,
        status=status,
        on=on,
        recorded_at=dt.datetime.now(dt.UTC),
        recorded_by=who.actor if who else (actor or CLI),
    )
    session.add(change)
    # The graduate's status is its latest change by date, then by record: a new change is
    # that unless it is dated before the one kept.
    if on >= graduate.status_date:
        graduate.status, graduate.status_date = status, on
    session.flush()
    return change


def record_status(
    session: Session,
    graduate_id: int,
    data: StatusChangeCreate,
    who: Principal | None = None,
    *,
    actor: str | None = None,
) -> StatusChange:
    """A status from a date on; the graduate's status is its latest (a change dated before
    the latest goes into the history only). `actor`: who records it when `who` is None."""
    graduate = get_graduate(session, graduate_id, reach_of(who), for_write=True)
    if graduate.deidentified_at is not None:
        raise InvalidInput("This graduate has been de-identified.", field="status")
    with kept.keeping(session, graduate):
        return _record_status(session, graduate, data.status, data.on, who, actor)


def status_history(session: Session, graduate_id: int, reach: Reach) -> list[StatusChange]:
    get_graduate(session, graduate_id, reach)
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.graduate_id == graduate_id)
            .order_by(StatusChange.on, StatusChange.id)
        )
    )


def update_graduate(
    session: Session, graduate_id: int, data: GraduateUpdate, who: Principal | None = None
) -> AssistedGraduate:
    graduate = get_graduate(session, graduate_id, reach_of(who), for_write=True)
    changes = data.changes()
    if graduate.deidentified_at is not None and changes:
        raise InvalidInput("This graduate has been de-identified.", field=next(iter(changes)))
    if "id_number" in changes:
        _set_id_number(session, graduate, changes.pop("id_number"))
    if "phone" in changes:
        _set_phone(graduate, changes.pop("phone"))
    if "external_ref" in changes:
        refuse_duplicate_external_ref(
            session,
            AssistedGraduate,
            graduate.id,
            graduate.university_code,
            changes["external_ref"],
        )
    groups = group_codes(session, changes.pop("groups")) if "groups" in changes else None
    with kept.keeping(session, graduate):
        if groups is not None:
            _set_groups(graduate, groups)
        for field, value in changes.items():
            setattr(graduate, field, value)
    return graduate


def delete_graduate(session: Session, graduate_id: int, who: Principal | None = None) -> None:
    """Removes the graduate with their statuses and services (the ledger's row was wrong)."""
    graduate = get_graduate(session, graduate_id, reach_of(who), for_write=True)
    with kept.keeping(session, graduate) as keeping:
        session.delete(graduate)
        keeping.graduate = None


def graduates_query(
    session: Session,
    reach: Reach = NATIONAL,
    *,
    cohort: int | None = None,
    province: str | None = None,
    university_code: str | None = None,
    group: str | None = None,
    status: EmploymentStatus | None = None,
    standard_met: bool | None = None,
) -> Select:
    query = select(AssistedGraduate).where(*within_reach(reach)).order_by(AssistedGraduate.id)
    if cohort is not None:
        query = query.where(AssistedGraduate.cohort == cohort)
    if province:
        query = query.where(AssistedGraduate.university_code.in_(universities_of(province)))
    if university_code:
        query = query.where(AssistedGraduate.university_code == university_code)
    if group:
        code = group_codes(session, [group])[0]
        query = query.where(
            AssistedGraduate.id.in_(
                select(GraduateGroup.graduate_id).where(GraduateGroup.group_code == code)
            )
        )
    if status is not None:
        query = query.where(AssistedGraduate.status == status)
    if standard_met is not None:
        query = query.where(AssistedGraduate.standard_met == standard_met)
    return query


def find_by_id_number(
    session: Session, id_number: str, cohort: int | None, reach: Reach
) -> list[AssistedGraduate]:
    """The graduates of this ID number within `reach` (one a cohort), by its keyed hash."""
    hashes = get_cipher().lookup_hashes(id_number)
    query = graduates_query(session, reach, cohort=cohort).where(
        or_(*(AssistedGraduate.id_number_hash == value for value in hashes))
    )
    return list(session.scalars(query))


def present(
    session: Session, graduates: list[AssistedGraduate], who: Principal
) -> list[GraduateRead]:
    """As `who` may see them: names only to their own university; numbers always masked."""
    provinces = dict(
        session.execute(
            select(University.code, University.province).where(
                University.code.in_({graduate.university_code for graduate in graduates})
            )
        ).all()
    )
    set_standards = standards.set_standards(session)
    return [
        _shown(
            graduate,
            who,
            set_standards.get(provinces.get(graduate.university_code), standards.DEFAULT_MINIMUMS),
        )
        for graduate in graduates
    ]


def _shown(graduate: AssistedGraduate, who: Principal, minimums) -> GraduateRead:
    own = who.reach.university == graduate.university_code
    owed = standards.missing(graduate, minimums)
    return GraduateRead(
        id=graduate.id,
        university_code=graduate.university_code,
        cohort=graduate.cohort,
        name=graduate.name if own or graduate.name is None else mask_name(graduate.name),
        id_number=graduate.id_number_masked,
        phone=graduate.phone_masked,
        gender=graduate.gender,
        major=graduate.major,
        education=graduate.education,
        groups=graduate.groups,
        mentor=graduate.mentor,
        status=graduate.status,
        status_date=graduate.status_date,
        services=standards.given(graduate),
        standard_met=not owed,
        missing=owed,
        external_ref=graduate.external_ref,
        deidentified=graduate.deidentified_at is not None,
    )


def shown(session: Session, graduate: AssistedGraduate, who: Principal) -> GraduateRead:
    return present(session, [graduate], who)[0]
