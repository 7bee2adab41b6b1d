"""Conditional requests on records (RFC 9110 §13): no lost updates.

A record read (`GET /api/v1/visits/7`) answers an `ETag`, a strong validator of the exact JSON
answered; so do the answers of POST and PATCH, with the tag the next read answers. A client
that changes or deletes a record sends the tag it read in `If-Match`: the write is made only if
the record still has it, else 412 with the current tag, and nothing changes. Without `If-Match`
a write is unconditional, as before.

The comparison is made inside the write's transaction, on the record read under the lock the
write itself takes first (app/stats/locks.py), so that two writers that read the same tag take
turns and the second finds it changed; and so that no writer locks in another order than the
others do (a row lock taken before the figures' advisory lock would deadlock against a writer
holding that lock and waiting for the row).
"""

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse, Response

from app.core.errors import PROBLEM_JSON, Problem, field_error
from app.core.etag import conditional_json, strong_etag
from app.core.idempotency import Write, json_content

IF_MATCH = "If-Match"

# An entity-tag (RFC 9110 §8.8.3), weak (W/) or not; a header is read as Latin-1 (obs-text).
_ENTITY_TAG = re.compile(r'(W/)?"[\x21\x23-\x7e\x80-\xff]*"')


class PreconditionFailed(Problem):
    """The record has changed since the client read it (If-Match names none of its tags)."""

    status = 412
    slug = "precondition-failed"
    title = "Precondition failed"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            f"The record has changed since it was read: its ETag is now {current_etag}. "
            "Read it again, and send the change with that ETag in If-Match.",
            current_etag=current_etag,
        )
        message = f"does not name the record's ETag, which is now {current_etag}"
        self.errors = [field_error(IF_MATCH, message, "header")]
        self.headers["ETag"] = current_etag


IfMatch = Annotated[
    str | None,
    Header(
        alias=IF_MATCH,
        description=(
            "The `ETag` of the record as you read it (or several, comma-separated, or `*`): "
            "the change is made only if the record still has it; else 412, naming its "
            "current ETag, and nothing changes. Strong comparison: a weak `W/` tag never "
            "matches. Without it, the change is made whatever the record is now."
        ),
    ),
]

IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="ETags you have (or `*`): 304, without a body, if the record has one.",
    ),
]

_ETAG_HEADER = {
    "ETag": {
        "description": "A strong validator of the record's JSON: send it back in If-Match.",
        "schema": {"type": "string"},
    }
}
_STALE = {
    412: {
        "description": "The record no longer has the ETag sent in If-Match (`current_etag` "
        "and the ETag header name the one it has); nothing changed.",
        "content": {PROBLEM_JSON: {}},
    }
}
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": _ETAG_HEADER},
    304: {"description": "Not modified: the record still has an ETag sent in If-None-Match."},
}
CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {201: {"headers": _ETAG_HEADER}}
CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"headers": _ETAG_HEADER}, **_STALE}
DELETE_RESPONSES: dict[int | str, dict[str, Any]] = dict(_STALE)


def record_etag(model: Any, record: object) -> str:
    """The ETag of `record` answered as `model`: of the very bytes a read of it answers."""
    return strong_etag(JSONResponse(json_content(model, record)).body)


def record_answer(model: Any, record: object, if_none_match: str | None) -> Response:
    """A record read: `record` as `model`, with its ETag; 304 when the client has it."""
    return conditional_json(JSONResponse(json_content(model, record)).body, if_none_match)


def tagged(response: Response) -> Response:
    """A write's answer with the ETag of the record it shows, which the next read answers
    (an idempotent replay's too: its stored body is the record as it was then)."""
    if response.status_code in (200, 201) and response.body:
        response.headers["ETag"] = strong_etag(response.body)
    return response


def matches(if_match: str, etag: str) -> bool:
    """Whether `If-Match: if_match` holds for a record tagged `etag` (RFC 9110 §13.1.1):
    `*`, or a list naming `etag`, compared strongly (a weak tag never matches)."""
    if if_match.strip() == "*":
        return True
    return any(
        tag.group(1) is None and tag.group(0) == etag for tag in _ENTITY_TAG.finditer(if_match)
    )


def guarded(write: Write, if_match: str | None, current: Callable[[], object], model: Any) -> Write:
    """`write`, made only if the record `current()` reads, as `model` shows it, matches
    `if_match`; else PreconditionFailed, before anything changes. `current` reads the record
    afresh under the lock `write` takes first (see above). No If-Match, or `*` (any record
    that exists; `write` answers 404 for one that does not): `write` alone, as before."""
    if if_match is None or if_match.strip() == "*":
        return write

    def checked() -> object:
        etag = record_etag(model, current())
        if not matches(if_match, etag):
            raise PreconditionFailed(etag)
        return write()

    return checked
