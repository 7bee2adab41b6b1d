from fastapi import APIRouter, Request

from app.auth.dependencies import Anyone
from app.core.db import SessionDep
from app.core.etag import cached_json
from app.reports import service
from app.reports.schemas import Bulletin
from app.stats.router import ScopeDep

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/bulletin", response_model=Bulletin)
def bulletin(request: Request, session: SessionDep, scoped: ScopeDep, who: Anyone):
    """The campaign's figures as the Ministry's bulletin sentence (全国, or the province's)."""
    scope, campaign = scoped
    return cached_json(request, Bulletin, service.bulletin(session, scope, campaign))
