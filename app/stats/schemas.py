import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Ranged(BaseModel):
    """An inclusive date range, `from` and `to` on the wire."""

    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date | None = Field(alias="from")
    to: dt.date | None


class Figures(BaseModel):
    """SPEC.md, "What the numbers mean"; null where a figure does not apply to a grouping."""

    universities_visiting: int | None
    enterprises_visited: int | None
    visits: int | None
    positions_opened: int | None
    events: int | None
    employers_at_events: int | None
    attendances: int | None
    postings: int | None
    headcount: int | None


class Change(BaseModel):
    """Change on the previous campaign in percent, one decimal; null where that was zero."""

    universities_visiting: float | None
    enterprises_visited: float | None
    visits: float | None
    positions_opened: float | None
    events: float | None
    employers_at_events: float | None
    attendances: float | None
    postings: float | None
    headcount: float | None


class Filters(BaseModel):
    campaign: str | None
    province: str | None
    university: str | None
    industry: str | None


class Previous(Ranged):
    campaign: str
    figures: Figures


class Summary(Ranged):
    filters: Filters
    figures: Figures
    previous: Previous | None = None
    change_percent: Change | None = None


class Group(BaseModel):
    code: str | None
    name: str
    figures: Figures


class Breakdown(Ranged):
    by: str
    filters: Filters
    groups: list[Group]


class PeriodFigures(BaseModel):
    start: dt.date
    end: dt.date
    figures: Figures
    cumulative: Figures


class Point(PeriodFigures):
    previous: PeriodFigures | None = None


class Timeseries(Ranged):
    interval: str
    filters: Filters
    previous_campaign: str | None = None
    periods: list[Point]
