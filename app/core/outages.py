"""The database busy or gone is an answer, not a crash: 503 problem details with Retry-After.

A request that waited its bounded time for another writer (SQLite's one write lock, a lock on
PostgreSQL held past DB_WAIT_SECONDS), or that found the database unreachable, changed nothing
(its transaction is rolled back) and may simply be sent again; with an Idempotency-Key it is
safe to. Everything else the database refuses is a bug, and stays a 500.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.core.db import DATABASE_ERRORS, is_busy
from app.core.errors import Problem, on_problem

log = logging.getLogger(__name__)

# Retry soon after a lock (another writer ends within seconds); later after an outage.
BUSY_RETRY_SECONDS = 1
DOWN_RETRY_SECONDS = 5
# PostgreSQL's SQLSTATEs of a lock not had in time (55P03), a transaction to retry (40001,
# 40P01), a query cancelled (57014) or a server shutting down or starting (57P..): busy.
_BUSY_STATES = ("55P03", "40001", "40P01", "57014")
# Connection failures (08...), insufficient resources (53...), shutdown (57P..): down.
_DOWN_CLASSES = ("08", "53", "57P")


class Unavailable(Problem):
    status = 503
    slug = "unavailable"
    title = "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.headers["Retry-After"] = str(retry_after)


def unavailable(error: BaseException) -> Unavailable | None:
    """The 503 that answers `error`, if it is the database being busy or unreachable."""
    if isinstance(error, PoolTimeout):
        return _down("No database connection was free in time.")
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return _down("The connection to the database was lost.")
    if not isinstance(error, OperationalError):
        return None
    state = getattr(error.orig, "sqlstate", None)
    if state in _BUSY_STATES or is_busy(error):
        return Unavailable(
            "The database is busy with another write; nothing was changed. Retry shortly.",
            retry_after=BUSY_RETRY_SECONDS,
        )
    if state is None and "sqlite" not in type(error.orig).__module__:
        return _down("The database cannot be reached.")  # psycopg: no server answered
    if state is not None and state.startswith(_DOWN_CLASSES):
        return _down("The database is unavailable.")
    return None


def _down(detail: str) -> Unavailable:
    return Unavailable(
        f"{detail} Nothing was changed; retry later.", retry_after=DOWN_RETRY_SECONDS
    )


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    problem = unavailable(exc)
    if problem is None:
        raise exc  # a bug: the 500 handler answers it, and the server logs the traceback
    log.warning("%s %s answered 503: %s", request.method, request.url.path, exc.__class__.__name__)
    return await on_problem(request, problem)


def install_outage_handlers(app: FastAPI) -> None:
    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _on_database_error)
