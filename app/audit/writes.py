"""A write request: its sender, its Idempotency-Key, and its audit row, which commits with
the write (a replayed answer wrote nothing, and adds no row)."""

import json
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.dependencies import CurrentPrincipal
from app.auth.principal import Principal
from app.core.idempotency import (
    REPLAYED_HEADER,
    Idempotency,
    IdempotencyKey,
    Write,
    idempotency_for,
)

ACTIONS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}
_ID_FIELDS = ("id", "code", "uscc", "slug")


class WriteRequest:
    """A write route's request: `who` sends it, `once` is its Idempotency-Key."""

    def __init__(
        self, who: Principal, once: Idempotency, request: audit.RequestInfo, path_id: object
    ) -> None:
        self.who = who
        self.once = once
        self.request = request
        self.path_id = path_id

    def respond(self, session: Session, write: Write) -> Response:
        """Run `write` as Idempotency.respond does, and record it in the audit log."""
        response = self.once.respond(session, write)
        if REPLAYED_HEADER not in response.headers:
            audit.record(
                session,
                self.who,
                self.request,
                action=ACTIONS[self.request.method],
                status=response.status_code,
                resource_id=self.path_id if self.path_id is not None else _id_in(response),
            )
            session.flush()
        return response


def _id_in(response: Response) -> object:
    """The created record's id (or natural key), from the answer's body."""
    if not response.body:
        return None
    body = json.loads(response.body)
    return next(
        (body[field] for field in _ID_FIELDS if isinstance(body, dict) and field in body), None
    )


async def _write_request(
    request: Request, who: CurrentPrincipal, key: IdempotencyKey = None
) -> WriteRequest:
    once = await idempotency_for(request, who.actor, key)
    path_id = next(iter(request.path_params.values()), None)
    return WriteRequest(who, once, audit.RequestInfo.of(request), path_id)


WriteDep = Annotated[WriteRequest, Depends(_write_request)]
