"""What a statistics request asks about: a date range and filters, checked against the records
and narrowed to the caller's reach: a province's figures are its province's, a university's its
university's, whatever they ask."""

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.campaigns.models import Campaign
from app.campaigns.service import find_campaign
from app.core.errors import InvalidInput, NotFound, OutOfReach, UnknownReference
from app.core.filters import DateRange
from app.universities.models import University


@dataclass(frozen=True)
class Scope:
    """An inclusive date range (either end open) and the filters, all optional."""

    start: dt.date | None = None
    end: dt.date | None = None
    province: str | None = None
    university: str | None = None
    industry: str | None = None

    def over(self, start: dt.date | None, end: dt.date | None) -> "Scope":
        return replace(self, start=start, end=end)

    def filters(self) -> dict[str, str | None]:
        return {"province": self.province, "university": self.university, "industry": self.industry}


def resolve_scope(
    session: Session,
    dates: DateRange,
    *,
    campaign: str | None = None,
    province: str | None = None,
    university: str | None = None,
    industry: str | None = None,
    reach: Reach = NATIONAL,
) -> tuple[Scope, Campaign | None]:
    """The scope of a request; a campaign supplies whichever end of the range is not given.
    `reach` narrows the province and university filters (see `within_reach`)."""
    found = _campaign(session, campaign)
    start = dates.start or (found.start_date if found else None)
    end = dates.end or (found.end_date if found else None)
    if start and end and start > end:
        raise InvalidInput(
            f"The range starts ({start}) after it ends ({end}).", field="from", location="query"
        )
    province, university = within_reach(session, reach, province, university)
    scope = Scope(start, end, province=province, university=university, industry=industry)
    return scope, found


def _campaign(session: Session, slug: str | None) -> Campaign | None:
    if slug is None:
        return None
    found = find_campaign(session, slug)
    if found is None:
        raise UnknownReference(f"No campaign {slug!r}.", field="campaign", location="query")
    return found


def within_reach(
    session: Session, reach: Reach, province: str | None, university: str | None
) -> tuple[str | None, str | None]:
    """The (province, university) filters a request of `reach` is answered for.

    National: as asked; an unknown university is a 422. A university's reach: its own
    university, whatever is asked, and no province filter (so the figures are the ones a
    national request for that university gets: its events held in another province included).
    A province's reach: its own province, whatever is asked; a university of another province
    is out of reach, and answered with the same 404 as a university that does not exist."""
    if reach.university is not None:
        return None, reach.university
    if university is not None:
        found = session.get(University, university)
        detail = f"No university with 学校标识码 {university}."
        if reach.province is not None and (found is None or found.province != reach.province):
            refusal = NotFound if found is None else OutOfReach
            raise refusal(detail, field="university", location="query")
        if found is None:
            raise UnknownReference(detail, field="university", location="query")
    if reach.province is not None:
        province = reach.province
    return province, university


def groups_in_reach(reach: Reach, by: str, groups: list[dict]) -> list[dict]:
    """A breakdown's groups a province's reach answers: by province, its own row only (the
    others, all zero, would be rows of provinces it does not reach)."""
    if by == "province" and reach.province is not None and reach.university is None:
        return [group for group in groups if group["code"] == reach.province]
    return groups
