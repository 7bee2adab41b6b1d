"""A cap on request bodies (MAX_BODY_BYTES), so that no client can make a worker read an
endless JSON body. An announced larger body is refused before it is read; an unannounced
(chunked) one when the count passes the cap. Ledger uploads are exempt: they stream to disk,
counted against MAX_UPLOAD_BYTES (app/imports/upload.py)."""

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.core.settings import get_settings

TOO_LARGE = "The request body is larger than this server accepts ({limit:,} bytes)."


class BodyLimit:
    def __init__(self, app: ASGIApp, exempt: Callable[[Scope], bool]) -> None:
        self.app = app
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.exempt(scope):
            await self.app(scope, receive, send)
            return
        max_bytes = get_settings().max_body_bytes
        detail = TOO_LARGE.format(limit=max_bytes)
        announced = Request(scope).headers.get("content-length", "")
        if announced.isdigit() and int(announced) > max_bytes:
            response = problem_response(
                Request(scope),
                status=413,
                slug="too-large",
                title="Request too large",
                detail=detail,
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                # An HTTPException passes FastAPI's body reading, to the problem handlers.
                raise HTTPException(413, detail)
            return message

        await self.app(scope, counted, send)
