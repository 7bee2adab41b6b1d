"""Conditional GET: a client that has the answer already (a dashboard polling unchanged
figures, a record read again) gets a 304 and no body.

The answers depend on who asks (a province's token gets its province's figures, a record out
of a token's reach is a 404), so they are `private`: a shared cache must not hand one token's
answer to another."""

import hashlib
import json

from fastapi import Response
from pydantic import BaseModel


def strong_etag(body: bytes) -> str:
    """A strong ETag of the exact bytes answered: the first 32 hex digits of their SHA-256."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def has_it(if_none_match: str | None, etag: str) -> bool:
    """Whether a client that sent `If-None-Match: if_none_match` has the answer tagged `etag`.
    Weak comparison (RFC 9110): a proxy that compressed the answer sends W/"…" back."""
    if if_none_match is None:
        return False
    offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in offered or "*" in offered


def conditional_json(body: bytes, if_none_match: str | None, etag: str | None = None) -> Response:
    """JSON `body`, with its ETag (`etag`, when known already); 304 when the client has it."""
    etag = etag or strong_etag(body)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization"}
    if has_it(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def json_bytes(model: type[BaseModel], data: dict) -> bytes:
    """`data` as `model`'s JSON, compact."""
    return json.dumps(
        model.model_validate(data).model_dump(mode="json", by_alias=True),
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
