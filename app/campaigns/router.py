from fastapi import APIRouter, status

from app.audit.writes import ConditionalWriteDep, RecordWriteDep
from app.auth.dependencies import Anyone, NationalOnly
from app.campaigns import service
from app.campaigns.schemas import CampaignCreate, CampaignRead, CampaignUpdate, Slug
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep
from app.core.preconditions import (
    CHANGE_RESPONSES,
    CREATE_RESPONSES,
    DELETE_RESPONSES,
    READ_RESPONSES,
    IfNoneMatch,
    record_answer,
)

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=CampaignRead, responses=CREATE_RESPONSES
)
def create_campaign(
    body: CampaignCreate, session: SessionDep, who: NationalOnly, write: RecordWriteDep
):
    return write.respond(session, lambda: service.create_campaign(session, body))


@router.get("", response_model=Page[CampaignRead])
def list_campaigns(session: SessionDep, page: PageDep, who: Anyone):
    return service.list_campaigns(session, page)


@router.get("/{slug}", response_model=CampaignRead, responses=READ_RESPONSES)
def get_campaign(slug: Slug, session: SessionDep, who: Anyone, if_none_match: IfNoneMatch = None):
    return record_answer(CampaignRead, service.get_campaign(session, slug), if_none_match)


@router.patch("/{slug}", response_model=CampaignRead, responses=CHANGE_RESPONSES)
def update_campaign(
    slug: Slug,
    body: CampaignUpdate,
    session: SessionDep,
    who: NationalOnly,
    write: ConditionalWriteDep,
):
    return write.respond(
        session,
        lambda: service.update_campaign(session, slug, body),
        current=lambda: service.campaign_for_update(session, slug),
    )


@router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_RESPONSES)
def delete_campaign(slug: Slug, session: SessionDep, who: NationalOnly, write: ConditionalWriteDep):
    return write.respond(
        session,
        lambda: service.delete_campaign(session, slug),
        current=lambda: service.campaign_for_delete(session, slug),
        shown_as=CampaignRead,
    )
