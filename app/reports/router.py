from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from app.auth.dependencies import Anyone
from app.campaigns.models import Campaign
from app.core.db import SessionFactoryDep
from app.reports import service
from app.reports.schemas import Bulletin
from app.stats.router import AskedDep, figures
from app.stats.scope import Scope

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/bulletin", response_model=Bulletin)
async def bulletin(request: Request, factory: SessionFactoryDep, asked: AskedDep, who: Anyone):
    """The campaign's figures as the Ministry's bulletin sentence (全国, the province's, or the
    university's); a province's or university's token gets its own, whatever it asks."""

    def produce(session: Session, scope: Scope, campaign: Campaign | None) -> dict:
        return service.bulletin(session, scope, campaign)

    return await figures(request, factory, asked, who, Bulletin, produce)
