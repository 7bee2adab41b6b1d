import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditEntryRead
from app.auth.dependencies import Administrator
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep
from app.core.schemas import NameFragment

router = APIRouter(prefix="/audit", tags=["audit"])

# An actor is named as the audit log names it; anything else (NUL included) is a 422.
ACTOR = r"^(account|token):[0-9]{1,18}$"
Action = Literal["create", "update", "delete", "import", "export", "login", "refused", "reveal"]


@router.get("", response_model=Page[AuditEntryRead])
def list_audit_entries(
    session: SessionDep,
    who: Administrator,
    page: PageDep,
    since: Annotated[dt.datetime | None, Query(description="From this moment (inclusive).")] = None,
    until: Annotated[dt.datetime | None, Query(description="Before this moment.")] = None,
    actor: Annotated[
        str | None, Query(max_length=40, pattern=ACTOR, description="account:ID or token:ID")
    ] = None,
    action: Action | None = None,
    outcome: Literal["ok", "refused", "failed"] | None = None,
    resource: Annotated[NameFragment | None, Query(max_length=40)] = None,
):
    """The audit log, newest first: a province's administrators read their province's entries.
    It can only be read: no API changes or deletes an entry."""
    return service.list_entries(
        session,
        who.reach,
        page,
        since=since,
        until=until,
        actor=actor,
        action=action,
        outcome=outcome,
        resource=resource,
    )
