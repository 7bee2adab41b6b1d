from fastapi import APIRouter, Request, status

from app.audit import service as audit
from app.audit.writes import WriteDep
from app.auth import limits, service
from app.auth.dependencies import SIGN_IN, Anyone, Granter, client_address
from app.auth.principal import Principal
from app.auth.schemas import (
    AccountCreate,
    AccountRead,
    AccountUpdate,
    LoginRequest,
    LoginToken,
    Me,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from app.core.db import SessionDep, SessionFactoryDep
from app.core.errors import Unauthenticated
from app.core.pagination import Page, PageDep
from app.core.paths import IdPath

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginToken)
def login(body: LoginRequest, request: Request, session: SessionDep, factory: SessionFactoryDep):
    """Sign in: a bearer token for the account, valid LOGIN_TOKEN_MINUTES (30 by default).
    Failed attempts are limited per username and client address (FAILED_LOGINS_PER_MINUTE,
    then 429 with Retry-After, even for the right password)."""
    request.state.audit_factory = factory
    # Per address and username: one person mistyping does not lock out a whole campus.
    attempt = f"{client_address(request)} {body.username.strip().lower()}"
    limits.refuse_while_failing(SIGN_IN, attempt)
    try:
        account, token, lifetime = service.sign_in(session, body.username, body.password)
    except Unauthenticated:
        limits.count_failure(SIGN_IN, attempt)
        raise
    who = Principal("account", account.id, account.username, account.role, account.reach)
    audit.record(
        session, who, audit.RequestInfo.of(request), action="login", resource_id=account.id
    )
    return LoginToken(access_token=token, expires_in=lifetime)


@router.get("/me", response_model=Me)
def me(who: Anyone):
    """Who the token stands for: its role and reach."""
    return Me(
        kind=who.kind,
        id=who.id,
        name=who.name,
        role=who.role,
        province=who.reach.province,
        university_code=who.reach.university,
        may_reveal_personal_data=who.may_reveal_personal_data,
    )


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountRead)
def create_account(body: AccountCreate, session: SessionDep, who: Granter, write: WriteDep):
    """An account for a person, with a role no higher than yours, within your reach."""
    return write.respond(session, lambda: service.create_account(session, who, body))


@router.get("/accounts", response_model=Page[AccountRead])
def list_accounts(session: SessionDep, who: Granter, page: PageDep):
    return service.list_accounts(session, who, page)


@router.patch("/accounts/{account_id}", response_model=AccountRead)
def update_account(
    account_id: IdPath, body: AccountUpdate, session: SessionDep, who: Granter, write: WriteDep
):
    """Set a new password, or disable (and enable again) an account. Accounts are never
    deleted, so that the audit log keeps naming who did what."""
    return write.respond(session, lambda: service.update_account(session, who, account_id, body))


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated)
def create_token(body: TokenCreate, request: Request, session: SessionDep, who: Granter):
    """A long-lived API token for a machine, with a role no higher than yours, within your
    reach. The token is in this answer only: keep it. (No Idempotency-Key: the answer holds
    the secret, which is never stored.)"""
    token, secret = service.create_token(session, who, body)
    audit.record(
        session,
        who,
        audit.RequestInfo.of(request),
        action="create",
        status=201,
        resource_id=token.id,
    )
    return TokenCreated.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": secret}
    )


@router.get("/tokens", response_model=Page[TokenRead])
def list_tokens(session: SessionDep, who: Granter, page: PageDep):
    """The API tokens within your reach, with when each was last used."""
    return service.list_tokens(session, who, page)


@router.delete("/tokens/{token_id}", response_model=TokenRead)
def revoke_token(token_id: IdPath, session: SessionDep, who: Granter, write: WriteDep):
    """Revoke a token: it is refused (401) from now on. The record stays, for the audit log."""
    return write.respond(session, lambda: service.revoke_token(session, who, token_id))
