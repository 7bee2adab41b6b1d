"""Conditional GET for computed answers: a dashboard that polls unchanged figures gets a 304.

The answers depend on who asks (a province's token gets its province's figures), so they are
`private`: a shared cache must not hand one token's answer to another."""

import hashlib
import json

from fastapi import Request, Response
from pydantic import BaseModel


def cached_json(request: Request, model: type[BaseModel], data: dict) -> Response:
    """`data` as `model`'s JSON, with a strong ETag of its bytes; 304 when the client has it."""
    body = json.dumps(
        model.model_validate(data).model_dump(mode="json", by_alias=True),
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization"}
    wanted = request.headers.get("if-none-match", "")
    # Weak comparison (RFC 9110): a proxy that compressed the answer sends W/"…" back.
    offered = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if etag in offered or "*" in offered:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
