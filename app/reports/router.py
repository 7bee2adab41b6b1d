from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from app.auth.dependencies import Anyone
from app.campaigns.models import Campaign
from app.core.db import SessionFactoryDep
from app.reports import service
from app.reports.schemas import Bulletin, SectionedBulletin
from app.stats.router import AskedDep, figures
from app.stats.scope import Scope

router = APIRouter(prefix="/reports", tags=["reports"])


Section = Annotated[
    Literal["supply", "policy", "matchmaking", "all"] | None,
    Query(
        description="The report's paragraphs, sentence by sentence, each with its figures: "
        "supply (the campaign's sentence), policy (policy positions), matchmaking "
        "(school–enterprise matchmaking), all. Without it: the "
        "campaign's sentence and all nine figures."
    ),
]


@router.get("/bulletin", response_model=Bulletin | SectionedBulletin)
async def bulletin(
    request: Request,
    factory: SessionFactoryDep,
    asked: AskedDep,
    who: Anyone,
    section: Section = None,
):
    """The campaign's figures as the Ministry's bulletin sentence (全国, the province's, or the
    university's); a province's or university's token gets its own, whatever it asks."""

    def produce(session: Session, scope: Scope, campaign: Campaign | None) -> dict:
        if section is None:
            return service.bulletin(session, scope, campaign)
        return service.sectioned_bulletin(session, scope, campaign, section)

    model = Bulletin if section is None else SectionedBulletin
    return await figures(request, factory, asked, who, model, produce)
