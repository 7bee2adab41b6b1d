"""The figures read from the kept counts (stat_counts, stat_firsts; see models.py): a few hundred
rows summed, whatever the number of records. Each function answers None when the counts cannot
give the exact answer to a question (a rare combination); the caller then counts the records."""

import datetime as dt
from dataclasses import dataclass
from itertools import accumulate

from sqlalchemy import BigInteger, ColumnElement, cast, func, select, union_all
from sqlalchemy.orm import Session

from app.reference.data import PROVINCES
from app.stats import pending
from app.stats.calendar import MONTHLY, split_by_months
from app.stats.figures import APPLICABLE, DISTINCT_FIGURES, FIGURES, zero_figures
from app.stats.groups import FIXED_GROUPS
from app.stats.models import FIRST_APPEARANCE, StatCount, StatFirst
from app.stats.periods import period_index
from app.stats.scope import Scope
from app.stats.spreading import NONE

FACT_FIGURES = {
    "visit": ("visits", "positions_opened"),
    "event": ("events", "attendances"),
    "vacancy": ("postings", "headcount"),
}
SLICED = {"event_kind": "kind:", "source": "source:", "policy_program": "policy:"}
LAST_DAY = dt.date(9999, 12, 31)

FigureRow = dict[str, int | None]


@dataclass(frozen=True)
class _Plan:
    """Which rows of the counts answer a question, and what they are grouped by."""

    scope: Scope
    by: str | None
    level: int

    @property
    def first_day(self) -> dt.date:
        return self.scope.start or FIRST_APPEARANCE + dt.timedelta(days=1)

    @property
    def last_day(self) -> dt.date:
        return self.scope.end or LAST_DAY

    def conditions(
        self, model, days: tuple[dt.date, dt.date] | None = None, monthly: bool = False
    ) -> list[ColumnElement]:
        """The rows of `model` for the plan's range, or for `days` (from the monthly rows, whose
        day is the first of their month, when `monthly`)."""
        scope, by = self.scope, self.by
        level = self.level
        if level == 2 and not scope.province:
            level = 3  # the university in every province at once
        kinds = (
            model.fact.in_(FACT_FIGURES)
            if model is StatCount
            else model.figure.in_(DISTINCT_FIGURES)
        )
        first, last = days or (self.first_day, self.last_day)
        stored_level = level + MONTHLY if monthly else level
        conditions = [kinds, model.level == stored_level, model.day.between(first, last)]
        # Every key column before `day` is pinned to a value or a list of values, never a range,
        # so that the index seeks each group's days instead of scanning every day of the group.
        if by in SLICED:
            conditions.append(model.slice.in_([SLICED[by] + code for code in _codes(by)]))
        else:
            conditions.append(model.slice == "")
        if scope.industry or by != "industry":
            conditions.append(model.industry == (scope.industry or ""))
        else:
            conditions.append(model.industry.in_(_codes("industry")))
        if level in (0, 3):
            conditions.append(model.province == "")
        elif scope.province:
            conditions.append(model.province == scope.province)
        else:
            conditions.append(model.province.in_(PROVINCES))  # a province breakdown
        if scope.university:
            conditions.append(model.university == scope.university)
        elif level < 2:
            conditions.append(model.university == "")
        return conditions

    def parts(self, model) -> list[list[ColumnElement]]:
        """The plan's rows as whole months from the monthly rows, the ragged ends day by day."""
        ends, months = split_by_months(self.first_day, self.last_day)
        parts = [self.conditions(model, days) for days in ends]
        if months:
            parts.append(self.conditions(model, months, monthly=True))
        return parts

    def group(self, model) -> list[ColumnElement]:
        if self.by is None:
            return []
        if self.by in SLICED:
            return [model.slice]
        if self.by == "university":
            return [model.university]
        return [getattr(model, self.by)]


def _codes(by: str) -> list[str]:
    return [*FIXED_GROUPS[by], NONE]


def _plan(scope: Scope, by: str | None) -> _Plan | None:
    if scope.university or by == "university":
        if by in ("province", "source", "policy_program"):
            return None
        return _Plan(scope, by, 2)
    if scope.province or by == "province":
        return _Plan(scope, by, 1)
    return _Plan(scope, by, 0)


def _code(by: str | None, value: str | None) -> str | None:
    if by is None:
        return None
    if by in SLICED:
        value = value.removeprefix(SLICED[by])
    return None if value == NONE else value


def count_figures(session: Session, scope: Scope, by: str | None = None) -> dict | None:
    """As app.stats.queries.count_figures, from the counts; None when they cannot answer."""
    plan = _plan(scope, by)
    if plan is None:
        return None
    applicable = APPLICABLE.get(by, FIGURES) if by else FIGURES
    results: dict[str | None, FigureRow] = {}
    _add_counts(session, plan, applicable, results)
    _add_firsts(session, plan, applicable, results)
    if "postings" in applicable:
        _add_pending(session, scope, by, applicable, results)
    if by is None:
        results.setdefault(None, zero_figures())
    return results


def _sums(
    session, plan: _Plan, kind, kinds, measures, *conditions
) -> list[tuple[str | None, tuple]]:
    """Per group of the plan, the sums of `measures` over the plan's rows, for each of `kinds`
    in turn (a column each: one row per group, however many kinds), as (group code, sums)."""
    group = plan.group(kind.class_)
    parts = [
        select(kind, *group, *measures).where(*part, *conditions)
        for part in plan.parts(kind.class_)
    ]
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    keys = [rows.c[column.key] for column in group]
    # As bigint: PostgreSQL sums bigints as numeric, which the driver turns into slow Decimals.
    sums = [
        cast(func.sum(rows.c[measure.key]).filter(rows.c[kind.key] == name), BigInteger)
        for name in kinds
        for measure in measures
    ]
    # Core, not the ORM: thousands of plain rows (a group per university).
    rows = session.connection().execute(select(*keys, *sums).group_by(*keys)).all()
    if not keys:
        return [(None, tuple(row)) for row in rows]
    by = plan.by
    return [(_code(by, row[0]), row[1:]) for row in rows]


def _group(results: dict, key: str | None, applicable) -> FigureRow:
    figures = results.get(key)
    if figures is None:
        figures = results[key] = zero_figures(applicable)
    return figures


def _add_counts(session, plan: _Plan, applicable, results) -> None:
    facts = [fact for fact, (count, _) in FACT_FIGURES.items() if count in applicable]
    if not facts:
        return
    measures = (StatCount.records, StatCount.total)
    names = [FACT_FIGURES[fact] for fact in facts]
    for code, sums in _sums(session, plan, StatCount.fact, facts, measures):
        figures = _group(results, code, applicable)
        for (count_name, total_name), records, total in zip(
            names, sums[::2], sums[1::2], strict=True
        ):
            if records is not None:  # None: no row of the kind in the group
                figures[count_name] += records
                figures[total_name] += total


def _add_pending(session, scope: Scope, by: str | None, applicable, results) -> None:
    runs = pending.pending_runs(session)
    if not runs:
        return
    for key, (postings, headcount) in pending.pending_figures(session, scope, by, runs).items():
        figures = results.setdefault(key, zero_figures(applicable))
        figures["postings"] += postings
        figures["headcount"] += headcount


def _add_firsts(session, plan: _Plan, applicable, results) -> None:
    names = [figure for figure in DISTINCT_FIGURES if figure in applicable]
    if not names:
        return
    seen_before = StatFirst.prev_day < plan.first_day
    rows = _sums(session, plan, StatFirst.figure, names, (StatFirst.entities,), seen_before)
    for code, sums in rows:
        figures = _group(results, code, applicable)
        for figure, entities in zip(names, sums, strict=True):
            if entities is not None:
                figures[figure] += entities


def series(session: Session, scope: Scope, cut: list[tuple[dt.date, dt.date]]) -> list[dict] | None:
    """Per period and cumulative figures over the periods `cut`, which cover `scope`'s range."""
    plan = _plan(scope, None)
    index = period_index(cut)
    per_period = [zero_figures() for _ in cut]
    counts = (
        select(
            StatCount.fact, StatCount.day, func.sum(StatCount.records), func.sum(StatCount.total)
        )
        .where(*plan.conditions(StatCount))
        .group_by(StatCount.fact, StatCount.day)
    )
    for fact, day, records, total in session.execute(counts).all():
        count_name, total_name = FACT_FIGURES[fact]
        per_period[index[day]][count_name] += int(records)
        per_period[index[day]][total_name] += int(total)
    if runs := pending.pending_runs(session):
        for day, (postings, headcount) in pending.pending_figures(
            session, scope, "day", runs
        ).items():
            per_period[index[day]]["postings"] += postings
            per_period[index[day]]["headcount"] += headcount
    cumulative = [dict(figures) for figures in per_period]
    for position in range(1, len(cut)):
        for name in FIGURES:
            cumulative[position][name] += cumulative[position - 1][name]
    firsts = {figure: [0] * len(cut) for figure in DISTINCT_FIGURES}
    appearances = (
        select(StatFirst.figure, StatFirst.day, StatFirst.prev_day, func.sum(StatFirst.entities))
        .where(*plan.conditions(StatFirst))
        .group_by(StatFirst.figure, StatFirst.day, StatFirst.prev_day)
    )
    for figure, day, prev_day, entities in session.execute(appearances).all():
        position = index[day]
        if prev_day < cut[position][0]:
            per_period[position][figure] += int(entities)
        if prev_day < plan.first_day:
            firsts[figure][position] += int(entities)
    for figure, counts_by_period in firsts.items():
        for position, running in enumerate(accumulate(counts_by_period)):
            cumulative[position][figure] = running
    return [
        {"start": first, "end": last, "figures": per_period[i], "cumulative": cumulative[i]}
        for i, (first, last) in enumerate(cut)
    ]
