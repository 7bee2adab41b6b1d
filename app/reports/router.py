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
    """The campaign's figures as the Ministry's bulletin sentence (全国, the province's, or the
    university's); a province's or university's token gets its own, whatever it asks."""
    scope, campaign = scoped
    return cached_json(request, Bulletin, service.bulletin(session, scope, campaign))
