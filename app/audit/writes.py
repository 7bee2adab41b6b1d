"""A write request: its sender, its Idempotency-Key, its If-Match, and its audit row, which
commits with the write (a replayed answer wrote nothing, and adds no row)."""

import json
from collections.abc import Callable
from typing import Annotated, Any

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
from app.core.preconditions import IfMatch, guarded, tagged

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
        # A write of a record that has an ETag answers it (RecordWriteDep); a change or a
        # delete honours If-Match (ConditionalWriteDep).
        self.tags_answer = False
        self.if_match: str | None = None

    def respond(
        self,
        session: Session,
        write: Write,
        *,
        current: Callable[[], object] | None = None,
        shown_as: Any = None,
    ) -> Response:
        """Run `write` as Idempotency.respond does, and record it in the audit log.

        `current` reads the record that `write` changes or deletes, afresh, under the lock
        `write` takes first: with an If-Match header, `write` is made only if that record, as
        `shown_as` shows it (by default what the route answers), still has a tag it names
        (app/core/preconditions.py). A replay answers its stored answer before that."""
        response = self.once.respond(session, self._conditional(write, current, shown_as))
        if self.tags_answer:
            tagged(response)
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

    def _conditional(self, write: Write, current: Callable[[], object] | None, shown_as: Any):
        if current is None:
            if self.if_match is not None:
                raise TypeError("A route that takes If-Match must pass current= to honour it.")
            return write
        return guarded(write, self.if_match, current, shown_as or self.once.route.response_model)


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


async def _record_write_request(write: WriteDep) -> WriteRequest:
    write.tags_answer = True
    return write


RecordWriteDep = Annotated[WriteRequest, Depends(_record_write_request)]
"""A write of a record that a read answers with an ETag: its answer carries that ETag."""


async def _conditional_write_request(
    write: RecordWriteDep, if_match: IfMatch = None
) -> WriteRequest:
    write.if_match = if_match
    return write


ConditionalWriteDep = Annotated[WriteRequest, Depends(_conditional_write_request)]
"""A change or a delete of such a record: made only if the record still has the ETag that
If-Match names, when it is sent (pass `current=` to respond)."""
