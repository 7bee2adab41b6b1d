import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from app.assistance import bulletin, figures
from app.assistance.figures import Ledger
from app.assistance.schemas import (
    AssistanceBulletin,
    AssistanceFigures,
    Cohort,
    FollowUp,
    PlaceBreakdown,
    PlacementSeries,
)
from app.assistance.service import today
from app.auth.dependencies import Anyone
from app.core.db import SessionDep
from app.core.filters import DateRangeDep, require_ordered
from app.reference.codes import ProvinceCode, UniversityCode
from app.stats.periods import Interval

router = APIRouter(prefix="/stats/assistance", tags=["assistance"])


def ledger_of(
    who: Anyone,
    cohort: Annotated[Cohort, Query()],
    province: Annotated[ProvinceCode | None, Query()] = None,
    university: Annotated[UniversityCode | None, Query()] = None,
) -> Ledger:
    """A cohort's ledger, narrowed to the caller's reach: a province's or a university's token
    is answered for its own, whatever it asks."""
    return Ledger.within(who.reach, cohort, province, university)


LedgerDep = Annotated[Ledger, Depends(ledger_of)]


def _filters(ledger: Ledger) -> dict:
    return {"province": ledger.province, "university": ledger.university}


@router.get("", response_model=AssistanceFigures)
def summary(
    session: SessionDep,
    ledger: LedgerDep,
    compare: Annotated[
        Literal["previous"] | None,
        Query(description="Also the previous cohort's placement a year before today."),
    ] = None,
):
    """Graduates in difficulty on the ledgers: how many, by key group and status; how many
    served to their province's standard; trained; placed (落实率). Exact."""
    answer = {
        "cohort": ledger.cohort,
        "filters": _filters(ledger),
        "figures": figures.summary(session, ledger),
        "by_group": figures.by_group(session, ledger),
        "by_status": figures.by_status(session, ledger),
        "previous_cohort": None,
    }
    if compare:
        year_ago = figures.one_year_before(today())
        answer["previous_cohort"] = figures.placed_as_of(session, ledger.previous(), year_ago)
    return answer


@router.get("/breakdown", response_model=PlaceBreakdown)
def breakdown(
    session: SessionDep,
    ledger: LedgerDep,
    by: Annotated[Literal["university", "province"], Query()] = "university",
):
    """Per university or province: graduates, placed, and how many are still short of the
    service standard, most short first."""
    return {
        "cohort": ledger.cohort,
        "by": by,
        "filters": _filters(ledger),
        "rows": figures.by_place(session, ledger, by),
    }


@router.get("/series", response_model=PlacementSeries)
def series(
    session: SessionDep,
    ledger: LedgerDep,
    dates: DateRangeDep,
    interval: Interval = Interval.MONTH,
):
    """Placement at the end of each period (from the dated statuses), beside the previous
    cohort's a year before. `from`/`to` default to the cohort's year."""
    start = dates.start or dt.date(ledger.cohort, 1, 1)
    end = dates.end or dt.date(ledger.cohort, 12, 31)
    require_ordered(start, end, "to")
    return {
        "cohort": ledger.cohort,
        "interval": interval,
        "filters": _filters(ledger),
        "periods": figures.series(session, ledger, start, end, interval),
    }


@router.get("/follow-up", response_model=FollowUp)
def follow_up(
    session: SessionDep,
    ledger: LedgerDep,
    left_on: Annotated[
        dt.date | None,
        Query(description="When they left school or the campaign ended; default 08-31."),
    ] = None,
):
    """离校未就业: those not placed when they left (default the cohort's 31 August, the end of
    the 百日冲刺), and of them how many are placed since and how many served since (不断线)."""
    day = left_on or dt.date(ledger.cohort, 8, 31)
    return {
        "cohort": ledger.cohort,
        "filters": _filters(ledger),
        **figures.left_unplaced(session, ledger, day),
    }


@router.get("/bulletin", response_model=AssistanceBulletin)
def assistance_bulletin(session: SessionDep, ledger: LedgerDep):
    """The figures in the report's words: "湖南省全面掌握2023届4.4万名困难毕业生就业需求，…"."""
    return bulletin.bulletin(session, ledger)
