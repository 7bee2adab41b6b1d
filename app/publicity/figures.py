"""The figures of policy publicity over a range of days: the measures in force in it (published
by its last day, and not expired before its first: a register of measures is a stock, as the
report's "汇集发布……政策措施1866条" counts it), by level, and the provinces and cities that issued
them; the sessions held in it, and their audience. Exact, from the records."""

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import case, distinct, func, literal, or_, select
from sqlalchemy.orm import Session

from app.auth.principal import Reach
from app.core.filters import DateRange, within
from app.publicity.models import (
    HolderKind,
    MeasureCategory,
    MeasureLevel,
    PolicyMeasure,
    PublicityPlace,
    PublicitySession,
)
from app.reference.data import PROVINCES

BY = ("level", "province", "category")
NATIONAL = "全国"


@dataclass(frozen=True)
class PublicityScope:
    start: dt.date | None = None
    end: dt.date | None = None
    province: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {"province": self.province}


def scope_for(reach: Reach, dates: DateRange, province: str | None = None) -> PublicityScope:
    """A province's or a university's token gets its province's figures, whatever it asks."""
    return PublicityScope(dates.start, dates.end, reach.province or province)


def _plain(key: object) -> object:
    return key.value if isinstance(key, Enum) else key


def _measures_in(scope: PublicityScope) -> list:
    conditions = []
    if scope.end is not None:
        conditions.append(PolicyMeasure.published_on <= scope.end)
    if scope.start is not None:
        expiry = PolicyMeasure.effective_to
        conditions.append(or_(expiry.is_(None), expiry >= scope.start))
    if scope.province is not None:
        conditions.append(PolicyMeasure.province == scope.province)
    return conditions


def _sessions_in(scope: PublicityScope) -> list:
    dates = DateRange(start=scope.start, end=scope.end)
    conditions = within(PublicitySession.held_on, dates)
    if scope.province is not None:
        conditions.append(PublicitySession.province == scope.province)
    return conditions


def _measure_counts(session: Session, scope: PublicityScope, by: str | None) -> dict:
    """{key: figures} of the measures, grouped by `by` (one group, "", when None)."""
    key = literal("") if by is None else getattr(PolicyMeasure, by)
    level = PolicyMeasure.level
    issued = func.count(distinct(case((level == MeasureLevel.PROVINCE, PolicyMeasure.province))))
    query = select(
        key,
        func.count(),
        *(func.count(case((level == each, 1))) for each in MeasureLevel),
        issued,
        func.count(distinct(PolicyMeasure.city)),
    )
    rows = session.execute(query.where(*_measures_in(scope)).group_by(key))
    names = ("measures", "national_measures", "province_measures", "city_measures")
    return {
        _plain(key): dict(zip((*names, "provinces", "cities"), counts, strict=True))
        for key, *counts in rows
    }


def _session_counts(session: Session, scope: PublicityScope, by: str | None) -> dict:
    key = literal("") if by is None else PublicitySession.province
    query = select(key, func.count(), func.coalesce(func.sum(PublicitySession.audience), 0))
    rows = session.execute(query.where(*_sessions_in(scope)).group_by(key))
    return {key: {"sessions": held, "audience": audience} for key, held, audience in rows}


def _groups(scope: PublicityScope, by: str) -> list[tuple[str | None, str]]:
    """Every group of the grouping, zeros included, in order: provinces in GB/T 2260 order,
    then the national records (key null)."""
    if by == "level":
        return [(level.value, level.label) for level in MeasureLevel]
    if by == "category":
        return [(category.value, category.label) for category in MeasureCategory]
    if scope.province is not None:
        return [(scope.province, PROVINCES[scope.province])]
    return [*PROVINCES.items(), (None, NATIONAL)]


ZERO = dict.fromkeys(
    ("measures", "national_measures", "province_measures", "city_measures", "provinces", "cities"),
    0,
)


def _rows(session: Session, scope: PublicityScope, by: str) -> list[dict]:
    measures = _measure_counts(session, scope, by)
    sessions = _session_counts(session, scope, by) if by == "province" else {}
    rows = []
    for key, label in _groups(scope, by):
        counted = measures.get(key, ZERO)
        held = sessions.get(key, {"sessions": 0, "audience": 0})
        row = {"key": key, "label": label, "measures": counted["measures"]}
        row |= {"provinces": counted["provinces"], "cities": counted["cities"]}
        row |= held if by == "province" else {"sessions": None, "audience": None}
        rows.append(row)
    return rows


def publicity_figures(session: Session, scope: PublicityScope, by: str | None = None) -> dict:
    figures = _measure_counts(session, scope, None).get("", ZERO)
    figures |= _session_counts(session, scope, None).get("", {"sessions": 0, "audience": 0})
    return {
        "from": scope.start,
        "to": scope.end,
        "filters": scope.filters(),
        "figures": figures,
        "by": by,
        "rows": [] if by is None else _rows(session, scope, by),
    }


def issuing_provinces(session: Session, scope: PublicityScope) -> set[str]:
    """The provinces with a province-level measure in force in the range."""
    query = (
        select(PolicyMeasure.province)
        .where(*_measures_in(scope), PolicyMeasure.level == MeasureLevel.PROVINCE)
        .distinct()
    )
    return set(session.scalars(query))


def holders(session: Session, scope: PublicityScope) -> dict[HolderKind, list[str]]:
    """{kind: the distinct holders of that kind, in order} of the sessions in the range."""
    query = (
        select(PublicitySession.holder_kind, PublicitySession.holder)
        .where(*_sessions_in(scope))
        .distinct()
        .order_by(PublicitySession.holder)
    )
    found: dict[HolderKind, list[str]] = {}
    for kind, holder in session.execute(query):
        found.setdefault(HolderKind(kind), []).append(holder)
    return {kind: found[kind] for kind in HolderKind if kind in found}


def places(session: Session, scope: PublicityScope) -> list[PublicityPlace]:
    """The places the sessions in the range went to, in the enumeration's order."""
    query = select(PublicitySession.place).where(*_sessions_in(scope)).distinct()
    went = {PublicityPlace(place) for place in session.scalars(query)}
    return [place for place in PublicityPlace if place in went]
