"""Programmes, quotas and the recruitment's progress. Who writes what: national staff the
national programmes' quotas (and anything); a province's department its own programmes and
their quotas, and the progress of every quota in its province (it runs the recruitment)."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.ownership import owning_province
from app.auth.principal import Principal, Reach
from app.core.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, UnknownReference
from app.core.pagination import PageParams, paginate
from app.policy.models import PolicyQuota, PositionsProgram, RecruitmentProgress
from app.policy.schemas import ProgramCreate, ProgressCreate, QuotaCreate, QuotaUpdate

QUOTAS = "/api/v1/policy-quotas"


def list_programs(session: Session, province: str | None = None) -> list[PositionsProgram]:
    """The national programmes, then the provinces' own (of `province` only, if given)."""
    query = select(PositionsProgram)
    if province is not None:
        query = query.where(
            (PositionsProgram.province.is_(None)) | (PositionsProgram.province == province)
        )
    order = (PositionsProgram.province.is_not(None), PositionsProgram.position)
    return list(session.scalars(query.order_by(*order)))


def create_program(
    session: Session, data: ProgramCreate, who: Principal | None
) -> PositionsProgram:
    """`who` None (the demo loader): for the province given."""
    province = owning_province(who, data.province) if who is not None else data.province
    for field, value in (("code", data.code), ("name", data.name)):
        if session.scalar(
            select(PositionsProgram).where(getattr(PositionsProgram, field) == value)
        ):
            raise AlreadyExists(f"A programme {value!r} exists already.", field=field)
    last = session.scalar(select(func.max(PositionsProgram.position))) or 0
    program = PositionsProgram(
        code=data.code,
        name=data.name,
        ministry=data.ministry,
        province=province,
        position=last + 1,
    )
    session.add(program)
    session.flush()
    return program


def _program(session: Session, code: str, province: str) -> PositionsProgram:
    program = session.get(PositionsProgram, code)
    if program is None:
        raise UnknownReference(f"No programme {code!r}.", field="program")
    if program.province not in (None, province):
        raise InvalidInput(
            f"Programme {code!r} is province {program.province}'s own.", field="program"
        )
    return program


def _may_write_quota(who: Principal | None, program: PositionsProgram) -> None:
    if who is not None and who.reach.province is not None and program.province is None:
        raise Forbidden(
            f"The quotas of the national programme {program.code!r} are the Ministry's; a "
            "province records its own programmes' quotas, and the progress of every quota.",
            field="program",
        )


def create_quota(session: Session, data: QuotaCreate, who: Principal | None) -> PolicyQuota:
    province = owning_province(who, data.province) if who is not None else data.province
    if province is None:
        raise InvalidInput("A quota is of one province: give province.", field="province")
    program = _program(session, data.program, province)
    _may_write_quota(who, program)
    existing = _quota_of(session, data.program, province, data.year)
    if existing is not None:
        raise AlreadyExists(
            f"Programme {data.program!r} has a quota for province {province} in {data.year} "
            "already; change its positions instead.",
            field="program",
            existing=f"{QUOTAS}/{existing}",
        )
    quota = PolicyQuota(
        program=program, province=province, year=data.year, positions=data.positions
    )
    session.add(quota)
    session.flush()
    return quota


def _quota_of(session: Session, program: str, province: str, year: int) -> int | None:
    return session.scalar(
        select(PolicyQuota.id).where(
            PolicyQuota.program_code == program,
            PolicyQuota.province == province,
            PolicyQuota.year == year,
        )
    )


def quotas_query(
    reach: Reach, year: int | None = None, province: str | None = None, program: str | None = None
):
    """The quotas within `reach` (a university's: its province's), as filtered."""
    query = select(PolicyQuota)
    if reach.province is not None:
        query = query.where(PolicyQuota.province == reach.province)
    for column, value in (
        (PolicyQuota.year, year),
        (PolicyQuota.province, province),
        (PolicyQuota.program_code, program),
    ):
        if value is not None:
            query = query.where(column == value)
    return query.order_by(PolicyQuota.year, PolicyQuota.province, PolicyQuota.program_code)


def list_quotas(session: Session, page: PageParams, reach: Reach, **filters) -> dict:
    return paginate(session, quotas_query(reach, **filters), page)


def get_quota(
    session: Session, quota_id: int, reach: Reach, *, lock: dict | None = None
) -> PolicyQuota:
    query = select(PolicyQuota).where(PolicyQuota.id == quota_id)
    if lock is not None:
        # Its own row only: not the programme's, joined to it.
        query = query.with_for_update(of=PolicyQuota, **lock)
        query = query.execution_options(populate_existing=True)
    quota = session.scalar(query)
    if quota is None or (reach.province is not None and quota.province != reach.province):
        raise NotFound(f"No policy quota {quota_id} within this token's reach.")
    return quota


def update_quota(session: Session, quota_id: int, data: QuotaUpdate, who: Principal) -> PolicyQuota:
    quota = get_quota(session, quota_id, who.reach)
    _may_write_quota(who, quota.program)
    for field, value in data.changes().items():
        setattr(quota, field, value)
    session.flush()
    return quota


def delete_quota(session: Session, quota_id: int, who: Principal) -> None:
    quota = get_quota(session, quota_id, who.reach)
    _may_write_quota(who, quota.program)
    session.delete(quota)
    session.flush()


def add_progress(
    session: Session, quota_id: int, data: ProgressCreate, who: Principal | None
) -> RecruitmentProgress:
    """The people a quota's recruitment had reached at a stage on a day; one count per stage
    and day (a correction deletes the count and adds another)."""
    quota = get_quota(session, quota_id, who.reach if who else Reach())
    if any(had.stage == data.stage and had.as_of == data.as_of for had in quota.progress):
        raise AlreadyExists(
            f"Quota {quota_id} has a count of {data.stage.value} on {data.as_of} already.",
            field="as_of",
        )
    progress = RecruitmentProgress(stage=data.stage, as_of=data.as_of, people=data.people)
    quota.progress.append(progress)
    session.flush()
    return progress


def delete_progress(session: Session, quota_id: int, progress_id: int, who: Principal) -> None:
    quota = get_quota(session, quota_id, who.reach)
    progress = session.get(RecruitmentProgress, progress_id)
    if progress is None or progress.quota_id != quota.id:
        raise NotFound(f"Quota {quota_id} has no progress {progress_id}.")
    session.delete(progress)
    session.flush()
