from fastapi import APIRouter, status

from app.audit.writes import WriteDep
from app.auth.dependencies import Anyone, NationalOnly
from app.campaigns import service
from app.campaigns.schemas import CampaignCreate, CampaignRead, CampaignUpdate, Slug
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CampaignRead)
def create_campaign(body: CampaignCreate, session: SessionDep, who: NationalOnly, write: WriteDep):
    return write.respond(session, lambda: service.create_campaign(session, body))


@router.get("", response_model=Page[CampaignRead])
def list_campaigns(session: SessionDep, page: PageDep, who: Anyone):
    return service.list_campaigns(session, page)


@router.get("/{slug}", response_model=CampaignRead)
def get_campaign(slug: Slug, session: SessionDep, who: Anyone):
    return service.get_campaign(session, slug)


@router.patch("/{slug}", response_model=CampaignRead)
def update_campaign(
    slug: Slug, body: CampaignUpdate, session: SessionDep, who: NationalOnly, write: WriteDep
):
    return write.respond(session, lambda: service.update_campaign(session, slug, body))


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT)
def delete_campaign(slug: Slug, session: SessionDep, who: NationalOnly, write: WriteDep):
    return write.respond(session, lambda: service.delete_campaign(session, slug))
