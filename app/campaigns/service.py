from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignCreate, CampaignUpdate
from app.core.errors import AlreadyExists, InvalidInput, NotFound, UnknownReference
from app.core.filters import require_ordered
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_if_referenced
from app.stats import locks


def find_campaign(session: Session, slug: str, *, lock: dict | None = None) -> Campaign | None:
    """The campaign `slug`, or None. `lock` (as with_for_update takes it): read afresh, with
    its row so locked."""
    query = select(Campaign).where(Campaign.slug == slug)
    if lock is not None:
        query = query.with_for_update(**lock)
        query = query.execution_options(populate_existing=True)
    return session.scalar(query)


def get_campaign(session: Session, slug: str, *, lock: dict | None = None) -> Campaign:
    campaign = find_campaign(session, slug, lock=lock)
    if campaign is None:
        raise NotFound(f"No campaign {slug!r}.")
    return campaign


def campaign_for_update(session: Session, slug: str) -> Campaign:
    """The campaign `slug`, read afresh with its row locked as update_campaign's UPDATE locks
    it (it takes no other lock). (For If-Match.)"""
    return get_campaign(session, slug, lock=locks.ROW_UPDATE)


def campaign_for_delete(session: Session, slug: str) -> Campaign:
    """The campaign `slug`, read afresh with its row locked as delete_campaign's DELETE locks
    it. (For If-Match.)"""
    return get_campaign(session, slug, lock=locks.ROW_DELETE)


def _previous(session: Session, slug: str | None, of: Campaign | None = None) -> Campaign | None:
    if slug is None:
        return None
    previous = find_campaign(session, slug)
    if previous is None:
        raise UnknownReference(f"No campaign {slug!r} to compare with.", field="previous")
    ancestor: Campaign | None = previous
    while ancestor is not None:
        if ancestor is of:
            raise InvalidInput(
                f"Campaign {slug!r} cannot be its own previous campaign, directly or through others.",
                field="previous",
            )
        ancestor = ancestor.previous_campaign
    return previous


def create_campaign(session: Session, data: CampaignCreate) -> Campaign:
    if find_campaign(session, data.slug) is not None:
        raise AlreadyExists(
            f"Campaign {data.slug!r} exists already.",
            field="slug",
            existing=f"/api/v1/campaigns/{data.slug}",
        )
    require_ordered(data.start_date, data.end_date)
    campaign = Campaign(
        slug=data.slug,
        name=data.name,
        start_date=data.start_date,
        end_date=data.end_date,
        previous_campaign=_previous(session, data.previous),
    )
    session.add(campaign)
    session.flush()
    return campaign


def list_campaigns(session: Session, page: PageParams) -> dict:
    return paginate(session, select(Campaign).order_by(Campaign.start_date, Campaign.id), page)


def update_campaign(session: Session, slug: str, data: CampaignUpdate) -> Campaign:
    campaign = get_campaign(session, slug)
    changes = data.changes()
    if "previous" in changes:
        campaign.previous_campaign = _previous(session, changes.pop("previous"), of=campaign)
    require_ordered(
        changes.get("start_date", campaign.start_date), changes.get("end_date", campaign.end_date)
    )
    for field, value in changes.items():
        setattr(campaign, field, value)
    session.flush()
    return campaign


def delete_campaign(session: Session, slug: str) -> None:
    campaign = get_campaign(session, slug)
    refuse_if_referenced(
        session,
        f"Campaign {slug!r}",
        campaign.id,
        [("campaigns comparing with it", Campaign.previous_id)],
    )
    session.delete(campaign)
    session.flush()
