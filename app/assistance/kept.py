"""Kept figures of the ledgers of graduates in difficulty (assistance_counts,
assistance_group_counts), exact at every commit.

Every write of a graduate or a service runs inside `keeping(session, graduate_id)`: the
graduate's contribution to the kept counts is taken away before and added back after. Writers
of the ledgers take one lock first (on PostgreSQL an advisory lock; SQLite has one writer
anyway), so two writes never compute a contribution from the same stale row, and a change of
a province's standard (which moves many graduates at once) waits for them and they for it."""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import and_, case, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.assistance import standards
from app.assistance.models import (
    PLACED,
    AssistanceCount,
    AssistanceGroupCount,
    AssistanceService,
    AssistedGraduate,
    EmploymentStatus,
    GraduateGroup,
    ServiceKind,
)
from app.universities.models import University

_LEDGER_WRITER = 0x6A6F6266616903

CountKey = tuple[int, str, EmploymentStatus, bool]
MEASURES = ("graduates", "trained", "training_hours")
GroupKey = tuple[int, str, str, bool]


def lock(session: Session) -> None:
    """Be the one writer of the ledgers until the transaction ends."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LEDGER_WRITER})


class Contribution:
    """What one graduate adds to the kept counts."""

    def __init__(self, graduate: AssistedGraduate | None) -> None:
        self.counts: Counter = Counter()
        self.groups: Counter = Counter()
        if graduate is None:
            return
        key = (
            graduate.cohort,
            graduate.university_code,
            EmploymentStatus(graduate.status),
            bool(graduate.standard_met),
        )
        self.counts[(key, "graduates")] = 1
        self.counts[(key, "trained")] = 1 if graduate.trainings > 0 else 0
        self.counts[(key, "training_hours")] = graduate.training_hours or 0
        placed = EmploymentStatus(graduate.status).is_placed
        for code in graduate.groups:
            self.groups[(graduate.cohort, graduate.university_code, code, placed)] = 1


def _upsert(session: Session, model, keys: dict, values: dict) -> None:
    dialect = postgresql if session.connection().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**keys, **values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: getattr(model, name) + statement.excluded[name] for name in values},
        )
    )


def _apply(session: Session, before: Contribution, after: Contribution) -> None:
    counts: dict[CountKey, dict[str, int]] = {}
    for (key, measure), value in after.counts.items():
        counts.setdefault(key, {})[measure] = counts.get(key, {}).get(measure, 0) + value
    for (key, measure), value in before.counts.items():
        counts.setdefault(key, {})[measure] = counts.get(key, {}).get(measure, 0) - value
    for key, measures in sorted(counts.items()):
        if any(measures.values()):
            cohort, university, status, met = key
            _upsert(
                session,
                AssistanceCount,
                {
                    "cohort": cohort,
                    "university_code": university,
                    "status": status,
                    "standard_met": met,
                },
                {measure: measures.get(measure, 0) for measure in MEASURES},
            )
    groups = Counter(after.groups)
    groups.subtract(before.groups)
    for (cohort, university, code, placed), change in sorted(groups.items()):
        if change:
            _upsert(
                session,
                AssistanceGroupCount,
                {
                    "cohort": cohort,
                    "university_code": university,
                    "group_code": code,
                    "placed": placed,
                },
                {"graduates": change},
            )


_MINIMUMS = "jobfair.assistance.minimums"


def _minimums(session: Session, university_code: str) -> standards.Minimums:
    """The standard a university's graduates are judged by (remembered for the session: a
    change of standards or of a university's province forgets it)."""
    known = session.info.setdefault(_MINIMUMS, {})
    if university_code not in known:
        province = session.scalar(
            select(University.province).where(University.code == university_code)
        )
        known[university_code] = standards.standard_for(session, province)[0]
    return known[university_code]


def forget_standards(session: Session) -> None:
    session.info.pop(_MINIMUMS, None)


def count_service(graduate: AssistedGraduate, service: AssistanceService, step: int) -> None:
    """A service given (step 1) or taken back (-1), in the graduate's counts."""
    column = standards.COUNTED_IN[ServiceKind(service.kind)].key
    setattr(graduate, column, getattr(graduate, column) + step)
    if service.kind is ServiceKind.TRAINING:
        graduate.training_hours += step * (service.hours or 0)


@contextmanager
def keeping(session: Session, graduate: AssistedGraduate | None) -> Iterator["_Holder"]:
    """Around a write of `graduate`, read under `lock`: its contribution taken away before,
    and added back after (with whether its standard is met, judged anew). A new graduate (None
    before) or a deleted one (None after) is set on what the block is given:
    `with keeping(session, None) as kept: kept.graduate = new`."""
    before = Contribution(graduate)
    holder = _Holder(graduate)
    yield holder
    after_graduate = holder.graduate
    if after_graduate is not None:
        minimums = _minimums(session, after_graduate.university_code)
        after_graduate.standard_met = not standards.missing(after_graduate, minimums)
    session.flush()
    _apply(session, before, Contribution(after_graduate))


class _Holder:
    def __init__(self, graduate: AssistedGraduate | None) -> None:
        self.graduate = graduate


def restandardise(session: Session, universities: Iterable[str] | None = None) -> None:
    """Judge the standard anew for the graduates of `universities` (None: all), and rebuild
    their kept counts: after a province's standard changed, or a university moved."""
    chosen = select(AssistedGraduate.id).join(
        University, University.code == AssistedGraduate.university_code
    )
    forget_standards(session)
    codes = list(universities) if universities is not None else None
    if codes is not None:
        chosen = chosen.where(AssistedGraduate.university_code.in_(codes))
    met = standards.met_standard(session)
    session.execute(
        update(AssistedGraduate)
        .where(AssistedGraduate.id.in_(chosen.where(met)))
        .values(standard_met=True)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(AssistedGraduate)
        .where(AssistedGraduate.id.in_(chosen.where(~met)))
        .values(standard_met=False)
        .execution_options(synchronize_session=False)
    )
    recount(session, codes)


def recount_everything(session: Session) -> None:
    """Every graduate's counts of services from its services, whether its standard is met,
    and the kept figures: after data was loaded around the service (`jobfair recount`)."""
    lock(session)
    given = {}
    for kind, column in standards.COUNTED_IN.items():
        given[column.key] = (
            select(func.count())
            .where(AssistanceService.graduate_id == AssistedGraduate.id)
            .where(AssistanceService.kind == kind)
            .scalar_subquery()
        )
    given["training_hours"] = (
        select(func.coalesce(func.sum(AssistanceService.hours), 0))
        .where(AssistanceService.graduate_id == AssistedGraduate.id)
        .where(AssistanceService.kind == ServiceKind.TRAINING)
        .scalar_subquery()
    )
    session.execute(update(AssistedGraduate).values(given))
    restandardise(session)


def recount(session: Session, universities: list[str] | None = None) -> None:
    """Rebuild the kept counts (of `universities`, or all) from the ledgers."""
    for model in (AssistanceCount, AssistanceGroupCount):
        wipe = delete(model)
        if universities is not None:
            wipe = wipe.where(model.university_code.in_(universities))
        session.execute(wipe)
    where = [] if universities is None else [AssistedGraduate.university_code.in_(universities)]
    key = (
        AssistedGraduate.cohort,
        AssistedGraduate.university_code,
        AssistedGraduate.status,
        AssistedGraduate.standard_met,
    )
    session.execute(
        insert(AssistanceCount).from_select(
            ["cohort", "university_code", "status", "standard_met", *MEASURES],
            select(
                *key,
                func.count(),
                func.coalesce(func.sum(case((AssistedGraduate.trainings > 0, 1), else_=0)), 0),
                func.coalesce(func.sum(AssistedGraduate.training_hours), 0),
            )
            .where(*where)
            .group_by(*key),
        )
    )
    placed = case((AssistedGraduate.status.in_(PLACED), True), else_=False)
    session.execute(
        insert(AssistanceGroupCount).from_select(
            ["cohort", "university_code", "group_code", "placed", "graduates"],
            select(
                AssistedGraduate.cohort,
                AssistedGraduate.university_code,
                GraduateGroup.group_code,
                placed,
                func.count(),
            )
            .join(GraduateGroup, and_(GraduateGroup.graduate_id == AssistedGraduate.id))
            .where(*where)
            .group_by(
                AssistedGraduate.cohort,
                AssistedGraduate.university_code,
                GraduateGroup.group_code,
                placed,
            ),
        )
    )
    session.expire_all()
