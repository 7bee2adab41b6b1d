from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from app.auth.dependencies import Anyone
from app.auth.principal import Principal, Reach
from app.campaigns.models import Campaign
from app.campaigns.schemas import Slug
from app.core import replica
from app.core.answers import figures_answer
from app.core.db import SessionFactoryDep, one_snapshot, transactional
from app.core.etag import json_bytes
from app.core.filters import DateRange, FromDay, ToDay, date_range
from app.core.replica import ReadFrom
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


@dataclass(frozen=True)
class Asked:
    """What a figures request asks about, as parsed: checked against the records (and narrowed
    to the caller's reach) only when its answer is not kept already."""

    dates: DateRange
    campaign: str | None
    province: str | None
    university: str | None
    industry: str | None

    def resolve(self, session: Session, reach: Reach) -> tuple[Scope, Campaign | None]:
        """A province's or a university's token is answered for its own province or
        university, whatever it asks."""
        return resolve_scope(
            session,
            self.dates,
            campaign=self.campaign,
            province=self.province,
            university=self.university,
            industry=self.industry,
            reach=reach,
        )


class FiguresQuery(BaseModel):
    """What every figures route is asked: one model, validated at once (the figures are polled
    most, and FastAPI spends more on each parameter of its own than on a model's fields)."""

    start: FromDay = None
    end: ToDay = None
    campaign: Slug | None = Field(None, description="Its dates, where from/to are absent.")
    province: ProvinceCode | None = Field(None, description="2- or 6-digit code.")
    university: UniversityCode | None = None
    industry: IndustryCode | None = None


async def asked_of(query: Annotated[FiguresQuery, Query()]) -> Asked:
    dates = date_range(query.start, query.end)
    return Asked(dates, query.campaign, query.province, query.university, query.industry)


AskedDep = Annotated[Asked, Depends(asked_of)]
Produce = Callable[[Session, Scope, Campaign | None], dict]


async def figures(
    request: Request,
    factory: sessionmaker[Session],
    asked: Asked,
    who: Principal,
    model: type[BaseModel],
    produce: Produce,
) -> Response:
    """`produce`'s answer, as `model`'s JSON: kept, or computed in a read of its own (from the
    replica when it may answer: app/core/replica.py)."""
    read_from: list[ReadFrom | None] = []

    def compute() -> bytes:
        reading, chosen = replica.choose(factory)
        read_from.append(chosen)
        with transactional(reading) as session:
            one_snapshot(session)
            scope, campaign = asked.resolve(session, who.reach)
            return json_bytes(model, produce(session, scope, campaign))

    answer = await figures_answer(request, who.reach.label, compute)
    if read_from and read_from[0] is not None:
        answer.headers.update(read_from[0].headers())
    return answer


@router.get("/summary", response_model=Summary)
async def summary(
    request: Request,
    factory: SessionFactoryDep,
    asked: AskedDep,
    who: Anyone,
    compare: Compare = None,
):
    """The nine figures, exact, for the range and filters. A province's token is answered for its
    province, a university's for its university, whatever it asks."""

    def produce(session: Session, scope: Scope, campaign: Campaign | None) -> dict:
        return service.summary(session, scope, campaign, compare=compare == "previous")

    return await figures(request, factory, asked, who, Summary, produce)


@router.get("/breakdown", response_model=Breakdown)
async def breakdown(
    request: Request, factory: SessionFactoryDep, asked: AskedDep, by: Grouping, who: Anyone
):
    """The figures per province, industry, university, event kind, vacancy source or policy
    program; null where a figure does not apply to the grouping."""

    def produce(session: Session, scope: Scope, campaign: Campaign | None) -> dict:
        data = service.breakdown(session, scope, by, campaign)
        data["groups"] = groups_in_reach(who.reach, by, data["groups"])
        return data

    return await figures(request, factory, asked, who, Breakdown, produce)


@router.get("/timeseries", response_model=Timeseries)
async def timeseries(
    request: Request,
    factory: SessionFactoryDep,
    asked: AskedDep,
    who: Anyone,
    interval: Interval = Interval.DAY,
    compare: Compare = None,
):
    """The figures per day, week (Monday–Sunday) or month, and cumulative: a distinct figure
    counts each university or employer once, at its first appearance in the range."""

    def produce(session: Session, scope: Scope, campaign: Campaign | None) -> dict:
        return service.timeseries(session, scope, interval, campaign, compare=compare == "previous")

    return await figures(request, factory, asked, who, Timeseries, produce)
