from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from app.auth.dependencies import Anyone
from app.campaigns.models import Campaign
from app.campaigns.schemas import Slug
from app.core.db import SessionDep
from app.core.etag import cached_json
from app.core.filters import DateRangeDep
from app.reference.codes import IndustryCode, ProvinceCode, UniversityCode
from app.stats import service
from app.stats.periods import Interval
from app.stats.queries import GROUPINGS
from app.stats.schemas import Breakdown, Summary, Timeseries
from app.stats.scope import Scope, groups_in_reach, resolve_scope

router = APIRouter(prefix="/stats", tags=["stats"])

Grouping = Literal[GROUPINGS]  # type: ignore[valid-type]
Compare = Annotated[
    Literal["previous"] | None,
    Query(description="Also answer the campaign's previous one, aligned by day of campaign."),
]


def scope_of(
    session: SessionDep,
    dates: DateRangeDep,
    who: Anyone,
    campaign: Annotated[
        Slug | None, Query(description="Its dates, where from/to are absent.")
    ] = None,
    province: Annotated[ProvinceCode | None, Query(description="2- or 6-digit code.")] = None,
    university: Annotated[UniversityCode | None, Query()] = None,
    industry: Annotated[IndustryCode | None, Query()] = None,
) -> tuple[Scope, Campaign | None]:
    """The scope asked for, narrowed to the caller's reach: a province's or a university's
    token is answered for its own province or university, whatever it asks."""
    return resolve_scope(
        session,
        dates,
        campaign=campaign,
        province=province,
        university=university,
        industry=industry,
        reach=who.reach,
    )


ScopeDep = Annotated[tuple[Scope, Campaign | None], Depends(scope_of)]


@router.get("/summary", response_model=Summary)
def summary(
    request: Request, session: SessionDep, scoped: ScopeDep, who: Anyone, compare: Compare = None
):
    """The nine figures, exact, for the range and filters. A province's token is answered for its
    province, a university's for its university, whatever it asks."""
    scope, campaign = scoped
    data = service.summary(session, scope, campaign, compare=compare == "previous")
    return cached_json(request, Summary, data)


@router.get("/breakdown", response_model=Breakdown)
def breakdown(request: Request, session: SessionDep, scoped: ScopeDep, by: Grouping, who: Anyone):
    """The figures per province, industry, university, event kind, vacancy source or policy
    program; null where a figure does not apply to the grouping."""
    scope, campaign = scoped
    data = service.breakdown(session, scope, by, campaign)
    data["groups"] = groups_in_reach(who.reach, by, data["groups"])
    return cached_json(request, Breakdown, data)


@router.get("/timeseries", response_model=Timeseries)
def timeseries(
    request: Request,
    session: SessionDep,
    scoped: ScopeDep,
    who: Anyone,
    interval: Interval = Interval.DAY,
    compare: Compare = None,
):
    """The figures per day, week (Monday–Sunday) or month, and cumulative: a distinct figure
    counts each university or employer once, at its first appearance in the range."""
    scope, campaign = scoped
    data = service.timeseries(session, scope, interval, campaign, compare=compare == "previous")
    return cached_json(request, Timeseries, data)
