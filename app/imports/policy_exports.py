"""The ledgers of policy positions out (app/imports/exports.py streams them): the quotas the
list's filters select, and the progress counted against them, one row a count, with the
import's Chinese headers, so that an exported ledger sent back finds each quota (by programme,
province and year) and each count (by its quota, stage and day) as itself."""

from sqlalchemy import Select

from app.auth.principal import Reach
from app.policy.models import PolicyQuota, PositionsProgram, RecruitmentProgress
from app.policy.service import quotas_query

# A quota's columns, by the names of the ledger's fields.
_QUOTA = (
    PolicyQuota.program_code.label("program"),
    PositionsProgram.name.label("program_name"),
    PolicyQuota.province,
    PolicyQuota.year,
)


def _with_programme(query: Select) -> Select:
    return query.join(PositionsProgram, PositionsProgram.code == PolicyQuota.program_code)


def quotas_ledger(reach: Reach, **filters) -> Select:
    """The quotas within `reach`, as the list filters them, by year, province and programme."""
    query = quotas_query(reach, **filters).with_only_columns(*_QUOTA, PolicyQuota.positions)
    return _with_programme(query.select_from(PolicyQuota))


def progress_ledger(reach: Reach, **filters) -> Select:
    """The counts of the quotas `quotas_ledger` selects, each quota's by day."""
    progress = RecruitmentProgress
    query = quotas_query(reach, **filters).with_only_columns(
        *_QUOTA, progress.stage, progress.as_of, progress.people
    )
    query = _with_programme(query.select_from(PolicyQuota))
    return query.join(progress, progress.quota_id == PolicyQuota.id).order_by(
        progress.as_of, progress.id
    )
