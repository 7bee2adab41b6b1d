"""What a statistics request asks about: a date range and filters, checked against the records."""

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.service import find_campaign
from app.core.errors import InvalidInput, UnknownReference
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
) -> tuple[Scope, Campaign | None]:
    """The scope of a request; a campaign supplies whichever end of the range is not given."""
    found = _campaign(session, campaign)
    start = dates.start or (found.start_date if found else None)
    end = dates.end or (found.end_date if found else None)
    if start and end and start > end:
        raise InvalidInput(
            f"The range starts ({start}) after it ends ({end}).", field="from", location="query"
        )
    if university is not None and session.get(University, university) is None:
        raise UnknownReference(
            f"No university with 学校标识码 {university}.", field="university", location="query"
        )
    scope = Scope(start, end, province=province, university=university, industry=industry)
    return scope, found


def _campaign(session: Session, slug: str | None) -> Campaign | None:
    if slug is None:
        return None
    found = find_campaign(session, slug)
    if found is None:
        raise UnknownReference(f"No campaign {slug!r}.", field="campaign", location="query")
    return found
