"""The figures of policy positions for a year, as of a day: the positions offered (the
quotas), the people each stage of the recruitment had reached (each quota's latest count on or
before the day), the fill rate (admitted over offered) and the change on the year before."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from app.auth.principal import Reach
from app.core.errors import InvalidInput
from app.policy.models import PolicyQuota, PositionsProgram, RecruitmentProgress, RecruitmentStage
from app.reference.data import PROVINCES

# Each stage's figure: the people admitted are the positions filled.
STAGE_FIGURES = {
    RecruitmentStage.ANNOUNCED: "announced",
    RecruitmentStage.APPLIED: "applied",
    RecruitmentStage.ADMITTED: "filled",
    RecruitmentStage.ON_DUTY: "on_duty",
}
BY = ("program", "province")


@dataclass(frozen=True)
class PositionsScope:
    year: int
    as_of: dt.date
    province: str | None = None
    program: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {"province": self.province, "program": self.program}


def scope_for(
    reach: Reach,
    year: int,
    as_of: dt.date | None = None,
    province: str | None = None,
    program: str | None = None,
) -> PositionsScope:
    """A province's or a university's token gets its province's figures, whatever it asks.
    `as_of` by default: today, kept within the year (its last day for a year past, its first
    for a year to come)."""
    as_of = as_of or min(dt.date(year, 12, 31), max(dt.date(year, 1, 1), dt.date.today()))
    if as_of.year != year:
        raise InvalidInput(f"as_of must be a day of {year}.", field="as_of", location="query")
    return PositionsScope(year, as_of, reach.province or province, program)


def _key(by: str | None):
    if by is None:
        return literal("")
    return PolicyQuota.program_code if by == "program" else PolicyQuota.province


def _filtered(query, scope: PositionsScope, year: int):
    query = query.where(PolicyQuota.year == year)
    if scope.province is not None:
        query = query.where(PolicyQuota.province == scope.province)
    if scope.program is not None:
        query = query.where(PolicyQuota.program_code == scope.program)
    return query


def _offered(session: Session, scope: PositionsScope, year: int, by: str | None) -> dict:
    key = _key(by)
    query = select(key, func.sum(PolicyQuota.positions)).group_by(key)
    return dict(session.execute(_filtered(query, scope, year)).all())


def _reached(session: Session, scope: PositionsScope, by: str | None) -> dict:
    """{(key, stage): people}, each quota's latest count of a stage on or before as_of."""
    progress = RecruitmentProgress
    rank = func.row_number().over(
        partition_by=(progress.quota_id, progress.stage), order_by=progress.as_of.desc()
    )
    latest = (
        select(progress.quota_id, progress.stage, progress.people, rank.label("rank"))
        .where(progress.as_of <= scope.as_of)
        .subquery()
    )
    key = _key(by)
    query = (
        select(key, latest.c.stage, func.sum(latest.c.people))
        .select_from(PolicyQuota)
        .join(latest, latest.c.quota_id == PolicyQuota.id)
        .where(latest.c.rank == 1)
        .group_by(key, latest.c.stage)
    )
    rows = session.execute(_filtered(query, scope, scope.year)).all()
    return {(key, RecruitmentStage(stage)): people for key, stage, people in rows}


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _figures(key, offered: dict, last_year: dict, reached: dict) -> dict:
    answer = {"offered": offered.get(key, 0), "offered_last_year": last_year.get(key, 0)}
    for stage, name in STAGE_FIGURES.items():
        answer[name] = reached.get((key, stage), 0)
    answer["change_percent"] = _percent(
        answer["offered"] - answer["offered_last_year"], answer["offered_last_year"]
    )
    answer["fill_rate"] = _percent(answer["filled"], answer["offered"])
    return answer


def _labels(session: Session, by: str) -> dict[str, tuple[int, str]]:
    """{key: (order, label)} of the programmes or provinces."""
    if by == "province":
        return {code: (n, name) for n, (code, name) in enumerate(PROVINCES.items())}
    programs = session.scalars(select(PositionsProgram))
    return {p.code: ((p.province is not None, p.position), p.name) for p in programs}


def position_figures(session: Session, scope: PositionsScope, by: str | None = None) -> dict:
    totals = (
        _offered(session, scope, scope.year, None),
        _offered(session, scope, scope.year - 1, None),
        _reached(session, scope, None),
    )
    answer = {
        "year": scope.year,
        "as_of": scope.as_of,
        "filters": scope.filters(),
        "figures": _figures("", *totals),
        "by": by,
        "rows": [],
    }
    if by is not None:
        parts = (
            _offered(session, scope, scope.year, by),
            _offered(session, scope, scope.year - 1, by),
            _reached(session, scope, by),
        )
        keys = set(parts[0]) | set(parts[1]) | {key for key, _ in parts[2]}
        labels = _labels(session, by)
        for key in sorted(keys, key=lambda key: labels[key][0]):
            answer["rows"].append({"key": key, "label": labels[key][1], **_figures(key, *parts)})
    return answer
