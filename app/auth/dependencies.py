"""Who is asking, and whether their role may use the route. Every route but the health check,
the docs and sign-in declares a principal:

    def create_visit(body: VisitCreate, session: SessionDep, who: VisitWriter, write: WriteDep):

No token, or a bad one: 401. A role the route does not allow: 403. Both are audited."""

from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.auth import known, limits, service
from app.auth.principal import Principal, Role
from app.core.db import SessionFactoryDep
from app.core.errors import Forbidden, Unauthenticated

_bearer = HTTPBearer(
    auto_error=False,
    description="An API token (`jf_…`, from `jobfair token create` or POST /api/v1/auth/tokens), "
    "or the access_token of POST /api/v1/auth/login.",
)


BAD_TOKEN = "authentication"
SIGN_IN = "sign-in"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def authenticated(
    request: Request,
    factory: SessionFactoryDep,
    background: BackgroundTasks,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # Where a refusal's audit row is written, once this request's transaction has ended.
    request.state.audit_factory = factory
    try:
        if credentials is None:
            raise Unauthenticated("This needs a bearer token: Authorization: Bearer <token>.")
        bearer = await _bearer_of(factory, credentials.credentials)
    except Unauthenticated:
        # Past the limit, a 429 (and no audit row): refusals cannot flood the log.
        limits.refuse_while_failing(BAD_TOKEN, client_address(request))
        limits.count_failure(BAD_TOKEN, client_address(request))
        raise
    request.state.principal = bearer.principal
    limits.spend_request(bearer.principal)
    if bearer.needs_touch():
        known.touched(credentials.credentials, service.now())
        background.add_task(service.touch_token, factory, bearer.token_id)
    return bearer.principal


async def _bearer_of(factory: sessionmaker[Session], token: str) -> service.Bearer:
    """Known to this process already (app/auth/known.py), or looked up, in a worker thread."""
    bearer = known.lookup(token)
    if bearer is None:
        epoch = known.epoch()
        bearer = await run_in_threadpool(_looked_up, factory, token)
        known.remember(token, bearer, epoch)
    return bearer


def _looked_up(factory: sessionmaker[Session], token: str) -> service.Bearer:
    """Looked up in a short read of its own, ended before the request's handler runs: the
    request's own transaction (a writer, on SQLite the only one) has not begun, so that work
    the handler does in transactions of its own (an import, an audit row) never waits on it."""
    with factory() as session:
        return service.principal_for(session, token)


CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


def allow(*roles: Role):
    """A dependency answering the principal if its role is one of `roles`, else 403."""
    if set(roles) == set(Role):
        # Nothing to refuse: one dependency fewer to solve on every request (the figures').
        return Depends(authenticated)
    names = ", ".join(role.value for role in roles)

    async def allowed(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"A {principal.role.value} token may not do this; it needs: {names}.")
        return principal

    return Depends(allowed)


NATIONAL, PROVINCE, UNIVERSITY, READER = Role.NATIONAL, Role.PROVINCE, Role.UNIVERSITY, Role.READER

# Figures, reference tables and campaigns: every role.
Anyone = Annotated[Principal, allow(NATIONAL, PROVINCE, UNIVERSITY, READER)]
# Records (within the reach): every role but a reader's.
RecordReader = Annotated[Principal, allow(NATIONAL, PROVINCE, UNIVERSITY)]
# Events, vacancies, employers, imports: a university its own, a province its department's.
RecordWriter = Annotated[Principal, allow(NATIONAL, PROVINCE, UNIVERSITY)]
# Visits are a university's (访企拓岗).
VisitWriter = Annotated[Principal, allow(NATIONAL, UNIVERSITY)]
# The registry of universities, campaigns, and changing or deleting shared employers.
NationalOnly = Annotated[Principal, allow(NATIONAL)]
# The audit log, and accounts.
Administrator = Annotated[Principal, allow(NATIONAL, PROVINCE)]
# Accounts and API tokens: any role but a reader's may make them, within its reach.
Granter = Annotated[Principal, allow(NATIONAL, PROVINCE, UNIVERSITY)]
# Policy positions: the Ministry's programmes' quotas; a province's own, and its progress.
PolicyWriter = Annotated[Principal, allow(NATIONAL, PROVINCE)]
# The ledgers of graduates in difficulty: a university keeps its own (national staff may too).
AssistanceWriter = Annotated[Principal, allow(NATIONAL, UNIVERSITY)]
