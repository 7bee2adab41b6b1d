"""Summary, breakdown and time series of the campaign figures, and the comparison with the
previous campaign, aligned by day of campaign."""

import datetime as dt

from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.core.errors import InvalidInput
from app.stats import cells
from app.stats.figures import APPLICABLE, FIGURES, zero_figures
from app.stats.groups import group_names, ordered_groups
from app.stats.periods import Interval, period_index, periods, refuse_too_many
from app.stats.queries import (
    DISTINCT_ENTITIES,
    count_figures,
    daily_totals,
    distinct_appearances,
)
from app.stats.scope import Scope

FigureRow = dict[str, int | None]


def count(session: Session, scope: Scope, by: str | None = None) -> dict:
    """The figures per group: from the kept counts, or from the records where those cannot
    answer exactly."""
    kept = cells.count_figures(session, scope, by)
    return kept if kept is not None else count_figures(session, scope, by)


def _ranged(scope: Scope, campaign: Campaign | None) -> dict:
    return {
        "from": scope.start,
        "to": scope.end,
        "filters": {"campaign": campaign.slug if campaign else None, **scope.filters()},
    }


def _previous_of(campaign: Campaign | None) -> Campaign:
    if campaign is None or campaign.previous_campaign is None:
        raise InvalidInput(
            "compare=previous needs a campaign that names its previous campaign.",
            field="compare",
            location="query",
        )
    return campaign.previous_campaign


def _aligned(scope: Scope, campaign: Campaign, previous: Campaign) -> Scope:
    """The same days of the previous campaign: day k of one is day k of the other."""
    shift = previous.start_date - campaign.start_date
    start = _shifted(scope.start or campaign.start_date, shift, "from")
    end = _shifted(scope.end or campaign.end_date, shift, "to")
    return scope.over(start, end)


def _shifted(day: dt.date, shift: dt.timedelta, field: str) -> dt.date:
    try:
        return day + shift
    except OverflowError:
        raise InvalidInput(
            f"{day} moved to the previous campaign ({shift.days:+d} days) is outside the calendar.",
            field=field,
            location="query",
        ) from None


def change_percent(current: FigureRow, previous: FigureRow) -> dict[str, float | None]:
    change: dict[str, float | None] = {}
    for name in FIGURES:
        now, before = current.get(name), previous.get(name)
        change[name] = (
            None if not before or now is None else round((now - before) * 100 / before, 1)
        )
    return change


def summary(
    session: Session, scope: Scope, campaign: Campaign | None = None, compare: bool = False
) -> dict:
    current = count(session, scope)[None]
    answer = {**_ranged(scope, campaign), "figures": current}
    if compare:
        previous = _previous_of(campaign)
        then = _aligned(scope, campaign, previous)
        before = count(session, then)[None]
        answer["previous"] = {
            "campaign": previous.slug,
            "from": then.start,
            "to": then.end,
            "figures": before,
        }
        answer["change_percent"] = change_percent(current, before)
    return answer


def breakdown(session: Session, scope: Scope, by: str, campaign: Campaign | None = None) -> dict:
    counted = count(session, scope, by)
    empty = zero_figures(APPLICABLE.get(by, FIGURES))
    names = group_names(session, by, counted.keys())
    groups = [
        {"code": code, "name": names[code], "figures": counted.get(code, empty)}
        for code in ordered_groups(by, counted)
    ]
    return {"by": by, **_ranged(scope, campaign), "groups": groups}


def _series(session: Session, scope: Scope, cut: list) -> list[dict]:
    kept = cells.series(session, scope, cut)
    return kept if kept is not None else _counted_series(session, scope, cut)


def _counted_series(session: Session, scope: Scope, cut: list) -> list[dict]:
    """Per period and cumulative figures over the periods `cut` (which cover `scope`'s range),
    counted from the records."""
    index = period_index(cut)
    per_period = [zero_figures() for _ in cut]
    for day, figures in daily_totals(session, scope).items():
        for name, value in figures.items():
            per_period[index[day]][name] += value
    cumulative = [dict(figures) for figures in per_period]
    for position in range(1, len(cut)):
        for name in FIGURES:
            if name not in DISTINCT_ENTITIES:
                cumulative[position][name] += cumulative[position - 1][name]
    for name in DISTINCT_ENTITIES:
        _count_distinct(session, scope, name, index, per_period, cumulative)
    return [
        {"start": first, "end": last, "figures": per_period[i], "cumulative": cumulative[i]}
        for i, (first, last) in enumerate(cut)
    ]


def _count_distinct(session, scope, name, index, per_period, cumulative) -> None:
    """Per period: each entity once a period; cumulative: once, at its first appearance."""
    seen_in_period: set[tuple[int, str]] = set()
    first_period: dict[str, int] = {}
    for entity, day in distinct_appearances(session, scope, name):
        position = index[day]
        seen_in_period.add((position, entity))
        first_period[entity] = min(first_period.get(entity, position), position)
    for position, _ in seen_in_period:
        per_period[position][name] += 1
    firsts = [0] * len(per_period)
    for position in first_period.values():
        firsts[position] += 1
    running = 0
    for position, count in enumerate(firsts):
        running += count
        cumulative[position][name] = running


def timeseries(
    session: Session,
    scope: Scope,
    interval: Interval,
    campaign: Campaign | None = None,
    compare: bool = False,
) -> dict:
    if scope.start is None or scope.end is None:
        raise InvalidInput(
            "A time series needs a range: give from and to, or a campaign.",
            field="from" if scope.start is None else "to",
            location="query",
        )
    refuse_too_many(scope.start, scope.end, interval)
    cut = periods(scope.start, scope.end, interval)
    points = _series(session, scope, cut)
    answer = {"interval": interval.value, **_ranged(scope, campaign), "periods": points}
    if compare:
        previous = _previous_of(campaign)
        then = _aligned(scope, campaign, previous)
        shift = then.start - scope.start
        shifted = [(first + shift, last + shift) for first, last in cut]
        for point, before in zip(points, _series(session, then, shifted), strict=True):
            point["previous"] = before
        answer["previous_campaign"] = previous.slug
    return answer
