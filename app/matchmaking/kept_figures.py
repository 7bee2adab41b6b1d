"""Matchmaking's figures for the nation or a province, read from the kept rows (kept.py): a few
thousand rows summed, whatever the number of employers that took part. A university's are
counted from the records (figures.py): a few sessions."""

from collections import Counter
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.filters import within
from app.matchmaking.models import FIRST_APPEARANCE, NATION, MatchmakingFirst, MatchmakingStep

if TYPE_CHECKING:  # figures.py reads through this module
    from app.matchmaking.figures import MatchScope


def _kept_province(model, scope: "MatchScope", by: str | None) -> list:
    """SQL conditions keeping the kept rows of the scope's province, of every province (by
    province), or the nation's."""
    if scope.province is not None:
        return [model.province == scope.province]
    return [model.province != NATION if by == "province" else model.province == NATION]


def _kept_key(model, by: str | None):
    return model.province if by == "province" else model.row_key


def _firsts_of(figure: str, breakdown: str, scope: "MatchScope", by: str | None) -> list:
    """SQL conditions keeping the kept rows of `figure` that count each entity once, on its
    first day in the range (kept.py)."""
    first, start = MatchmakingFirst, scope.dates.start
    return [
        first.figure == figure,
        first.breakdown == breakdown,
        first.prev_day < start if start else first.prev_day == FIRST_APPEARANCE,
        *_kept_province(first, scope, by),
        *within(first.day, scope.dates),
    ]


def kept_firsts(session: Session, figure: str, scope: "MatchScope", by: str | None) -> dict:
    """{key: how many distinct universities, employers or (by field) sessions}."""
    key = _kept_key(MatchmakingFirst, by)
    kept = _firsts_of(figure, "field" if by == "field" else "", scope, by)
    query = select(key, func.sum(MatchmakingFirst.entities)).where(*kept).group_by(key)
    return {row_key: int(count) for row_key, count in session.execute(query) if count}


def kept_fields(session: Session, scope: "MatchScope", by: str | None) -> dict:
    """{key: how many key fields some employer took part in}: those whose employers, counted
    by field, are not none."""
    first = MatchmakingFirst
    query = (
        select(first.province, first.row_key)
        .where(*_firsts_of("employers", "field", scope, by), first.row_key != "")
        .group_by(first.province, first.row_key)
        .having(func.sum(first.entities) > 0)
    )
    fields = Counter(province if by == "province" else "" for province, _ in session.execute(query))
    return dict(fields)


def kept_intents(session: Session, scope: "MatchScope", by: str | None) -> dict:
    """{key: {intents, intended, signed, landed}}: the intents reached by as_of at their
    furthest step, from the kept rows of their steps; those signed by as_of less those landed
    are at 签约 (the steps come in order)."""
    step, day = MatchmakingStep, scope.as_of
    key = _kept_key(step, by)

    def reached(name: str):
        return func.sum(case((step.step == name, step.intents), else_=0))

    query = select(key, reached("intended"), reached("signed"), reached("landed")).where(
        step.breakdown == (by if by in ("type", "field") else ""),
        *_kept_province(step, scope, by),
        *within(step.held_on, scope.dates),
        step.held_on <= day,
        step.step_on <= day,
    )
    answer = {}
    for row_key, intents, signed, landed in session.execute(query.group_by(key)):
        if intents:
            intents, signed, landed = int(intents), int(signed), int(landed)
            answer[row_key] = {
                "intents": intents,
                "intended": intents - signed,
                "signed": signed - landed,
                "landed": landed,
            }
    return answer
