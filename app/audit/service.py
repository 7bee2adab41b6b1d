"""The audit log: a row for every write, import, export, sign-in and refused request. Rows are
added in the transaction of what they record when it writes (they commit together), and in a
short transaction of their own otherwise (reads, refusals)."""

import datetime as dt
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEntry
from app.auth.principal import Principal, Reach
from app.core.db import transactional
from app.core.pagination import PageParams, paginate

API_PREFIX = "/api/v1/"


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    client: str | None
    method: str
    path: str
    resource: str

    @classmethod
    def of(cls, request: Request) -> "RequestInfo":
        route = request.scope.get("route")
        template = getattr(route, "path", request.url.path)
        return cls(
            request_id=request_id_of(request),
            client=request.client.host if request.client else None,
            method=request.method,
            path=request.url.path[:255],
            resource=resource_of(template),
        )


def request_id_of(request: Request) -> str:
    return request.scope.get("state", {}).get("request_id", "")


def resource_of(path_template: str) -> str:
    """'/api/v1/visits/{visit_id}' -> 'visits'; '/api/v1/imports/{job_id}/errors' ->
    'imports/errors'."""
    parts = path_template.removeprefix(API_PREFIX).split("/")
    return "/".join(part for part in parts if part and not part.startswith("{"))[:40]


def record(
    session: Session,
    who: Principal | None,
    request: RequestInfo,
    *,
    action: str,
    outcome: str = "ok",
    status: int = 200,
    resource_id: object = None,
    detail: str | None = None,
) -> None:
    reach = who.reach if who else Reach()
    session.add(
        AuditEntry(
            at=dt.datetime.now(dt.UTC),
            actor=who.actor if who else None,
            actor_name=who.name[:100] if who else None,
            role=who.role.value if who else None,
            province=reach.province,
            university_code=reach.university,
            action=action,
            resource=request.resource,
            resource_id=None if resource_id is None else str(resource_id)[:64],
            outcome=outcome,
            status=status,
            request_id=request.request_id[:64],
            client=request.client[:64] if request.client else None,
            method=request.method,
            path=request.path,
            detail=detail,
        )
    )


def record_apart(
    factory: sessionmaker[Session], who: Principal | None, request: RequestInfo, **what
) -> None:
    """Record in a transaction of its own: for reads, and for requests whose own transaction
    was rolled back."""
    with transactional(factory, writing=True) as session:
        record(session, who, request, **what)


def entries_query(
    reach: Reach,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    resource: str | None = None,
):
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if reach.province is not None:
        query = query.where(AuditEntry.province == reach.province)
    conditions = {
        AuditEntry.actor: actor,
        AuditEntry.action: action,
        AuditEntry.outcome: outcome,
        AuditEntry.resource: resource,
    }
    query = query.where(*(column == value for column, value in conditions.items() if value))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return query


def list_entries(session: Session, reach: Reach, page: PageParams, **filters) -> dict:
    """Newest first. A province's administrators see the entries of its province's actors."""
    return paginate(session, entries_query(reach, **filters), page)
