"""RFC 9457 problem details: every error the API answers has this shape.

{"type": "urn:jobfair:problem:<slug>", "title": ..., "status": ..., "detail": ...,
 "instance": "/api/v1/...", "errors": [{"field": "employer_uscc", "in": "body", "message": ...}]}
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """A failure the client can act on. Raise a subclass from service functions."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        location: str = "body",
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = [field_error(field, detail, location)] if field else []
        self.extra = extra
        self.headers: dict[str, str] = {}


class InvalidInput(Problem):
    status = 422
    slug = "validation-error"
    title = "Invalid input"


class UnknownReference(InvalidInput):
    """The request names a record (employer, university, event, …) that does not exist."""

    slug = "unknown-reference"
    title = "Referenced record does not exist"


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = "Not found"


class OutOfReach(NotFound):
    """A record that exists, outside the caller's reach: answered as if it did not exist, and
    audited as a refused access."""


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = "Conflict"


class AlreadyExists(Conflict):
    slug = "already-exists"
    title = "Record already exists"


class StillReferenced(Conflict):
    slug = "still-referenced"
    title = "Record is still referenced"


class Gone(Problem):
    """What was asked for existed, and is no longer kept."""

    status = 410
    slug = "gone"
    title = "No longer available"


class Unauthenticated(Problem):
    """No credentials, or credentials that are not (or no longer) valid."""

    status = 401
    slug = "unauthenticated"
    title = "Authentication required"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers["WWW-Authenticate"] = "Bearer"


class Forbidden(Problem):
    """Valid credentials, whose role may not do this, or not to this record's owner."""

    status = 403
    slug = "forbidden"
    title = "Not allowed"


class RateLimited(Problem):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **kwargs)
        self.headers["Retry-After"] = str(retry_after)


class TooLarge(Problem):
    status = 413
    slug = "too-large"
    title = "Request too large"


def field_error(field: str, message: str, location: str = "body") -> dict[str, str]:
    return {"field": field, "in": location, "message": message}


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: Sequence[dict[str, str]] = (),
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:jobfair:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = list(errors)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_of(loc: Sequence[Any]) -> tuple[str, str]:
    """('body', 'participants', 2) -> ('participants[2]', 'body')."""
    location = str(loc[0]) if loc else "body"
    path = ""
    for part in loc[1:]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or location, location


async def on_problem(request: Request, exc: Problem) -> JSONResponse:
    response = problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        **exc.extra,
    )
    response.headers.update(exc.headers)
    return response


def _malformed_json(request: Request) -> JSONResponse:
    return problem_response(
        request,
        status=400,
        slug="malformed-json",
        title="Malformed JSON",
        detail="The request body is not valid JSON.",
        errors=[field_error("body", "not valid JSON")],
    )


# FastAPI's detail when a JSON body cannot even be decoded (not UTF-8, a number too long to parse).
_BODY_NOT_DECODED = "There was an error parsing the body"


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        return _malformed_json(request)
    errors = []
    for error in raw:
        field, location = _field_of(error.get("loc", ()))
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        errors.append(field_error(field, message, location))
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return problem_response(
        request,
        status=422,
        slug="validation-error",
        title="Invalid input",
        detail=f"Invalid value for: {fields}.",
        errors=errors,
    )


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and exc.detail == _BODY_NOT_DECODED:
        return _malformed_json(request)
    slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
        exc.status_code, "http-error"
    )
    response = problem_response(
        request,
        status=exc.status_code,
        slug=slug,
        title=str(exc.detail) if exc.detail else "Error",
        detail=str(exc.detail),
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _conflict(detail: str):
    async def answer(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            request, status=409, slug="conflict", title="Conflict", detail=detail
        )

    return answer


# Services check references and duplicates first; these answer the race between two writers.
_on_integrity_error = _conflict(
    "The change conflicts with data written at the same time; retry the request."
)
# A record changed or deleted by another writer between this one's read and its write.
_on_stale_data = _conflict(
    "The record was changed or deleted at the same time; read it again and retry."
)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A bug, not the client's doing; the server still logs the traceback.
    return problem_response(
        request,
        status=500,
        slug="internal-error",
        title="Internal server error",
        detail="The server failed to answer this request.",
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(StaleDataError, _on_stale_data)
    app.add_exception_handler(Exception, _on_unexpected)
