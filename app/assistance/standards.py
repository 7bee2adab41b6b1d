"""Service standards (e.g. Hunan's 一次单独咨询、两次简历修改、三次就业推荐): per province, the
least number of services of each kind every graduate in difficulty is owed, and whether each
graduate has had them (from the counts kept on the graduate's row)."""

from sqlalchemy import and_, delete, false, not_, or_, select
from sqlalchemy.orm import Session

from app.assistance.models import AssistedGraduate, ServiceKind, ServiceStandard
from app.auth.principal import Principal
from app.core.errors import Forbidden
from app.universities.models import University

Minimums = dict[ServiceKind, int]

# Hunan's rule (湖南省"一次单独咨询、两次简历修改、三次就业推荐"), where a province has set none.
DEFAULT_MINIMUMS: Minimums = {
    ServiceKind.CONSULTATION: 1,
    ServiceKind.RESUME: 2,
    ServiceKind.REFERRAL: 3,
}

# The column of AssistedGraduate counting each kind of service given.
COUNTED_IN = {
    ServiceKind.CONSULTATION: AssistedGraduate.consultations,
    ServiceKind.RESUME: AssistedGraduate.resume_revisions,
    ServiceKind.REFERRAL: AssistedGraduate.referrals,
    ServiceKind.TRAINING: AssistedGraduate.trainings,
    ServiceKind.SUBSIDY: AssistedGraduate.subsidies,
    ServiceKind.COUNSELLING: AssistedGraduate.counselling_sessions,
}


def given(graduate: AssistedGraduate) -> dict[ServiceKind, int]:
    return {kind: getattr(graduate, column.key) or 0 for kind, column in COUNTED_IN.items()}


def missing(graduate: AssistedGraduate, minimums: Minimums) -> dict[ServiceKind, int]:
    """The services still owed under `minimums`, by kind (empty when the standard is met)."""
    counts = given(graduate)
    return {kind: least - counts[kind] for kind, least in minimums.items() if counts[kind] < least}


def set_standards(session: Session) -> dict[str, Minimums]:
    """The provinces that have set their own standard, and it."""
    standards: dict[str, Minimums] = {}
    for row in session.scalars(select(ServiceStandard)):
        standards.setdefault(row.province, {})[row.kind] = row.minimum
    return standards


def shown(session: Session, province: str) -> dict:
    """As the API answers a province's standard."""
    minimums, is_default = standard_for(session, province)
    return {"province": province, "minimums": minimums, "is_default": is_default}


def standard_for(session: Session, province: str) -> tuple[Minimums, bool]:
    """The province's standard, and whether it is the default."""
    own = {
        row.kind: row.minimum
        for row in session.scalars(
            select(ServiceStandard).where(ServiceStandard.province == province)
        )
    }
    return (own, False) if own else (dict(DEFAULT_MINIMUMS), True)


def _may_set(who: Principal | None, province: str) -> None:
    """The Ministry's staff set any province's standard; a province's, its own."""
    if who is not None and who.reach.province not in (None, province):
        raise Forbidden(f"A province sets its own standard only ({who.reach.province}).")


def replace_standard(
    session: Session, province: str, minimums: Minimums, who: Principal | None = None
) -> None:
    """The province's own standard; its graduates are judged by it at once."""
    from app.assistance import kept

    _may_set(who, province)
    kept.lock(session)
    session.execute(delete(ServiceStandard).where(ServiceStandard.province == province))
    session.add_all(
        ServiceStandard(province=province, kind=kind, minimum=least)
        for kind, least in minimums.items()
    )
    session.flush()
    kept.restandardise(session, _universities_of(session, province))


def reset_standard(session: Session, province: str, who: Principal | None = None) -> None:
    """Back to the default standard."""
    from app.assistance import kept

    _may_set(who, province)
    kept.lock(session)
    session.execute(delete(ServiceStandard).where(ServiceStandard.province == province))
    session.flush()
    kept.restandardise(session, _universities_of(session, province))


def _universities_of(session: Session, province: str) -> list[str]:
    return list(session.scalars(select(University.code).where(University.province == province)))


def _short_of(minimums: Minimums):
    return or_(*(COUNTED_IN[kind] < least for kind, least in minimums.items()))


def below_standard(session: Session):
    """A condition on AssistedGraduate joined to its University: the graduate has not had what
    its province's standard asks (each province by its own, or the default)."""
    standards = set_standards(session)
    conditions = [
        and_(University.province == province, _short_of(minimums))
        for province, minimums in standards.items()
    ]
    default = _short_of(DEFAULT_MINIMUMS)
    if standards:
        default = and_(University.province.not_in(list(standards)), default)
    conditions.append(default)
    return or_(*conditions) if conditions else false()


def met_standard(session: Session):
    return not_(below_standard(session))
