"""Idempotent writes, as Stripe's: a write request that carries an `Idempotency-Key` header
stores its answer in the same transaction as its write; the same key with the same request
again is answered that stored answer, with `Idempotent-Replayed: true`, and writes nothing.

No middleware: each write route calls it, inside the request's session, so the write and its
stored answer commit together or not at all (a failed request stores nothing, and the client
may fix it and retry with the same key):

    def create_visit(body: VisitCreate, session: SessionDep, write: WriteDep):
        return write.respond(session, lambda: service.create_visit(session, body, write.who))

(WriteDep, in app/audit/writes.py, adds the write's audit row.) A key is its sender's own:
two accounts may use the same key for different requests.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from sqlalchemy import DateTime, Integer, String, Text, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.db import Base
from app.core.errors import Conflict, InvalidInput
from app.core.settings import get_settings

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotentRequest(Base):
    """A write request sent with an Idempotency-Key, and the answer it got. The row commits
    with the request's write, or not at all."""

    __tablename__ = "idempotent_requests"

    # The actor that sent it ("account:3", "token:7").
    owner: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # SHA-256 (hex) of the method, path, query and raw body: a key stands for one request.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    # The JSON answered, exactly as sent; None for a 204 (and until the write has run).
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyKeyReused(InvalidInput):
    slug = "idempotency-key-reused"
    title = "Idempotency-Key used for another request"


class IdempotencyKeyInUse(Conflict):
    slug = "idempotency-key-in-use"
    title = "Idempotency-Key in use"


Write = Callable[[], object]


class Idempotency:
    """A write request's Idempotency-Key (None if it sent none), and how to answer it."""

    def __init__(self, owner: str, key: str | None, fingerprint: str, route: APIRoute) -> None:
        self.owner = owner
        self.key = key
        self.fingerprint = fingerprint
        self.route = route

    def respond(self, session: Session, write: Write) -> Response:
        """Run `write` in the request's session and answer its result as the route declares
        (status code, response model); with a key, store that answer in the same transaction,
        or, if the key's request was answered before, answer that again and write nothing."""
        if self.key is None:
            return self._run(session, write)
        earlier = self._find(session) or self._claim(session)
        if earlier is not None:
            return self._replay(earlier)
        response = self._run(session, write)
        # Kept with the write: the session commits both, or rolls both back.
        session.get_one(IdempotentRequest, (self.owner, self.key)).body = (
            response.body.decode() or None
        )
        session.flush()
        return response

    def _run(self, session: Session, write: Write) -> Response:
        """The write's result, answered as FastAPI would from the route's decorator."""
        result = write()
        session.flush()  # ids and defaults, which the answer shows
        model = self.route.response_model
        if model is None:
            return Response(status_code=self._status_code)
        return JSONResponse(json_content(model, result), status_code=self._status_code)

    @property
    def _status_code(self) -> int:
        return self.route.status_code or 200

    def _find(self, session: Session) -> IdempotentRequest | None:
        return session.scalar(
            select(IdempotentRequest).where(
                IdempotentRequest.owner == self.owner,
                IdempotentRequest.key == self.key,
                IdempotentRequest.created_at >= _oldest_kept(),
            )
        )

    def _claim(self, session: Session) -> IdempotentRequest | None:
        """Take the key for this request (an expired one is replaced): None once taken, else
        the request that took it first. On PostgreSQL the insert waits for a request holding
        the same key to end; on SQLite that request has finished before this one began."""
        session.execute(
            delete(IdempotentRequest).where(
                IdempotentRequest.owner == self.owner,
                IdempotentRequest.key == self.key,
                IdempotentRequest.created_at < _oldest_kept(),
            )
        )
        claim = IdempotentRequest(
            owner=self.owner,
            key=self.key,
            fingerprint=self.fingerprint,
            status_code=self._status_code,
            created_at=_now(),
        )
        try:
            with session.begin_nested():
                session.add(claim)
        except IntegrityError:
            # The unique key decides between two requests sent at once: the first one's.
            first = self._find(session)
            if first is None:
                raise IdempotencyKeyInUse(
                    "A request with this Idempotency-Key is in progress or done; retry.",
                    field=KEY_HEADER,
                    location="header",
                ) from None
            return first
        return None

    def _replay(self, earlier: IdempotentRequest) -> Response:
        if earlier.fingerprint != self.fingerprint:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was sent with another request (method, path or body); "
                "a new request needs a new key.",
                field=KEY_HEADER,
                location="header",
            )
        media_type = None if earlier.body is None else "application/json"
        return Response(
            earlier.body,
            status_code=earlier.status_code,
            media_type=media_type,
            headers={REPLAYED_HEADER: "true"},
        )


def forget_expired(session: Session) -> int:
    """Keys older than IDEMPOTENCY_KEEP_HOURS deleted (they are unknown already); how many."""
    result = session.execute(
        delete(IdempotentRequest).where(IdempotentRequest.created_at < _oldest_kept())
    )
    return result.rowcount


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _oldest_kept() -> dt.datetime:
    """A key sent before this is forgotten: treated as unknown, and replaced."""
    return _now() - dt.timedelta(hours=get_settings().idempotency_keep_hours)


@cache
def _adapter(model: Any) -> TypeAdapter:
    return TypeAdapter(model)


def json_content(model: Any, result: object) -> Any:
    """`result` (a record, a dict) as a route that declares `model` answers it, ready for
    JSONResponse."""
    adapter = _adapter(model)
    return adapter.dump_python(
        adapter.validate_python(result, from_attributes=True), mode="json", by_alias=True
    )


def _fingerprint(request: Request, body: bytes) -> str:
    # No newline can occur in a method, path or query, so the parts cannot run into each other.
    url = request.url
    parts = (request.method.encode(), url.path.encode(), url.query.encode(), body)
    return hashlib.sha256(b"\n".join(parts)).hexdigest()


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=KEY_HEADER,
        min_length=1,
        max_length=200,
        pattern=r"^[ -~]+$",  # printable ASCII
        description=(
            "A key of your choosing (a UUID) that makes the request safe to retry: the same key "
            "with the same request again answers the first answer, with "
            "`Idempotent-Replayed: true`, and writes nothing. Kept 24 hours by default."
        ),
    ),
]


async def idempotency_for(request: Request, owner: str, key: str | None) -> Idempotency:
    """The request's Idempotency-Key (`key`, from an IdempotencyKey header parameter), as its
    sender `owner`'s."""
    fingerprint = "" if key is None else _fingerprint(request, await request.body())
    return Idempotency(owner, key, fingerprint, request.scope["route"])
