"""Refused requests (401, 403, a record out of reach) are audited as they are answered: after
the request's own transaction has rolled back, in a transaction of their own. A refusal whose
row cannot be written (the database busy or unreachable) is answered 503 instead, so that no
refusal goes unrecorded."""

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.audit import service as audit
from app.core.db import DATABASE_ERRORS
from app.core.errors import Forbidden, OutOfReach, Problem, Unauthenticated, on_problem
from app.core.outages import unavailable

LOGIN_RESOURCE = "auth/login"


async def _audited(request: Request, exc: Problem) -> JSONResponse:
    factory = getattr(request.state, "audit_factory", None)
    if factory is None:
        return await on_problem(request, exc)
    info = audit.RequestInfo.of(request)
    try:
        await run_in_threadpool(
            audit.record_apart,
            factory,
            getattr(request.state, "principal", None),
            info,
            action="login" if info.resource == LOGIN_RESOURCE else "refused",
            outcome="failed" if info.resource == LOGIN_RESOURCE else "refused",
            status=exc.status,
            resource_id=next(iter(request.path_params.values()), None),
            detail=exc.detail,
        )
    except DATABASE_ERRORS as error:
        outage = unavailable(error)
        if outage is None:
            raise
        return await on_problem(request, outage)
    return await on_problem(request, exc)


def install_refusal_audit(app: FastAPI) -> None:
    for refusal in (Unauthenticated, Forbidden, OutOfReach):
        app.add_exception_handler(refusal, _audited)
