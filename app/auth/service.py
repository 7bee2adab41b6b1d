"""Accounts, API tokens and sign-in; and who may give which role to whom."""

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.auth import credentials
from app.auth.models import Account, ApiToken, Grant
from app.auth.principal import RANK, Principal, Reach, Role
from app.auth.schemas import AccountCreate, AccountUpdate, GrantIn, TokenCreate
from app.core.db import DATABASE_ERRORS, transactional
from app.core.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    NotFound,
    OutOfReach,
    Unauthenticated,
)
from app.core.pagination import PageParams, paginate
from app.core.schemas import as_utc
from app.universities.service import require_university

log = logging.getLogger(__name__)

# The maker of what `jobfair token create` and `jobfair account create` make.
CLI = "cli"
# last_used_at is written at most this often per token, so that reads stay reads.
TOUCH_EVERY = dt.timedelta(minutes=1)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Bearer:
    """Who a bearer token stands for; an API token's id and last use; a sign-in's expiry."""

    principal: Principal
    token_id: int | None = None
    last_used_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None

    def needs_touch(self) -> bool:
        """Whether the API token's last use is to be noted now."""
        return self.token_id is not None and (
            self.last_used_at is None or now() - as_utc(self.last_used_at) >= TOUCH_EVERY
        )


def principal_for(session: Session, bearer: str) -> Bearer:
    """Who a bearer token (an API token, or a sign-in's) stands for; 401 if nobody, now."""
    if bearer.startswith(credentials.API_TOKEN_PREFIX):
        token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == credentials.api_token_hash(bearer))
        )
        if token is None or token.revoked_at is not None:
            raise Unauthenticated("The API token is unknown or has been revoked.")
        principal = Principal("token", token.id, token.name, token.role, token.reach)
        return Bearer(principal, token.id, token.last_used_at)
    try:
        claims = credentials.account_of_login_token(bearer)
    except credentials.InvalidLoginToken as invalid:
        raise Unauthenticated(str(invalid)) from None
    account = session.get(Account, claims.account_id)
    if account is None or account.disabled_at is not None:
        raise Unauthenticated("The account is unknown or disabled.")
    # A token's time is in whole seconds.
    if claims.issued_at < as_utc(account.password_changed_at).replace(microsecond=0):
        raise Unauthenticated("The password has changed since this sign-in; sign in again.")
    principal = Principal(
        "account",
        account.id,
        account.username,
        account.role,
        account.reach,
        may_reveal_personal_data=account.may_reveal_personal_data,
    )
    return Bearer(principal, expires_at=claims.expires_at)


def touch_token(factory: sessionmaker[Session], token_id: int) -> None:
    """Note that the token was used (after the answer, in a transaction of its own). A
    database too busy for it now is no loss: the next use a minute on notes it."""
    try:
        with transactional(factory, writing=True) as session:
            stamp = update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now())
            session.execute(stamp)
    except DATABASE_ERRORS as error:
        log.warning("token %d: last use not noted (%s)", token_id, error.__class__.__name__)


def sign_in(session: Session, username: str, password: str) -> tuple[Account, str, int]:
    """The account, a bearer token for it and the token's lifetime; 401 if the username and
    password do not match an enabled account."""
    account = session.scalar(select(Account).where(Account.username == username.strip().lower()))
    matched = credentials.verify_password(password, account.password_hash if account else None)
    if account is None or not matched or account.disabled_at is not None:
        raise Unauthenticated("Wrong username or password, or the account is disabled.")
    token, lifetime = credentials.login_token(account.id, now())
    return account, token, lifetime


def _reach_of(session: Session, grant: GrantIn) -> Reach:
    """The reach a role is given, checked against what the role needs."""
    if grant.university_code is not None:
        university = require_university(session, grant.university_code)
        if grant.province is not None and grant.province != university.province:
            raise InvalidInput(
                f"University {university.code} is in province {university.province}.",
                field="province",
            )
        reach = Reach(university.province, university.code)
    else:
        reach = Reach(grant.province)
    needed = {
        Role.NATIONAL: reach.is_national,
        Role.PROVINCE: reach.province is not None and reach.university is None,
        Role.UNIVERSITY: reach.university is not None,
        Role.READER: True,
    }
    if not needed[grant.role]:
        field = {Role.NATIONAL: "province", Role.PROVINCE: "province"}.get(
            grant.role, "university_code"
        )
        raise InvalidInput(
            f"A {grant.role.value} role needs "
            + {
                Role.NATIONAL: "neither province nor university_code.",
                Role.PROVINCE: "a province, and no university_code.",
                Role.UNIVERSITY: "a university_code.",
            }[grant.role],
            field=field,
        )
    return reach


def _granted(session: Session, grantor: Principal, grant: GrantIn) -> Reach:
    """The reach given, if `grantor` may give it: a role no higher than its own, within its
    own reach."""
    reach = _reach_of(session, grant)
    if RANK[grant.role] > RANK[grantor.role] or grantor.role is Role.READER:
        raise Forbidden(
            f"A {grantor.role.value} may not give the role {grant.role.value}.", field="role"
        )
    if not grantor.reach.covers(reach):
        raise Forbidden(
            "That reach is outside your own.",
            field="university_code" if grant.university_code else "province",
        )
    return reach


def _grant_columns(reach: Reach, role: Role, grantor: str) -> dict:
    return {
        "role": role,
        "province": reach.province,
        "university_code": reach.university,
        "created_at": now(),
        "created_by": grantor,
    }


def _checked_reach(session: Session, grantor: Principal | None, grant: GrantIn) -> Reach:
    """`grantor` None: the command line, which may give any role."""
    return _granted(session, grantor, grant) if grantor else _reach_of(session, grant)


def create_account(session: Session, grantor: Principal | None, data: AccountCreate) -> Account:
    reach = _checked_reach(session, grantor, data)
    if session.scalar(select(Account.id).where(Account.username == data.username)) is not None:
        raise AlreadyExists(f"The username {data.username} is taken.", field="username")
    _may_reveal(data.role, data.may_reveal_personal_data)
    account = Account(
        username=data.username,
        password_hash=credentials.hash_password(data.password),
        password_changed_at=now(),
        may_reveal_personal_data=data.may_reveal_personal_data,
        **_grant_columns(reach, data.role, grantor.actor if grantor else CLI),
    )
    session.add(account)
    session.flush()
    return account


def _may_reveal(role: Role, granted: bool) -> None:
    """Full ID numbers and phones are for the graduate's own university, never a province's
    or the Ministry's staff (who see figures and masked lists)."""
    if granted and role is not Role.UNIVERSITY:
        raise InvalidInput(
            "Only a university's account may reveal personal data in full.",
            field="may_reveal_personal_data",
        )


def _within(model: type[Grant], reach: Reach):
    """The accounts or tokens `reach` covers, oldest first."""
    return (
        select(model).where(*reach.where(model.university_code, model.province)).order_by(model.id)
    )


def list_accounts(session: Session, who: Principal, page: PageParams) -> dict:
    return paginate(session, _within(Account, who.reach), page)


def _get_within(session: Session, model: type[Grant], record_id: int, who: Principal, what: str):
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"No {what} {record_id}.")
    if not who.reach.covers(record.reach):
        raise OutOfReach(f"No {what} {record_id}.")
    return record


def update_account(
    session: Session, who: Principal, account_id: int, data: AccountUpdate
) -> Account:
    account = _get_within(session, Account, account_id, who, "account")
    if RANK[account.role] > RANK[who.role]:
        raise Forbidden("This account has a higher role than yours.")
    if data.password is not None:
        account.password_hash = credentials.hash_password(data.password)
        account.password_changed_at = now()
    if data.disabled is not None:
        account.disabled_at = now() if data.disabled else None
    if data.may_reveal_personal_data is not None:
        _may_reveal(account.role, data.may_reveal_personal_data)
        account.may_reveal_personal_data = data.may_reveal_personal_data
    session.flush()
    return account


def create_token(
    session: Session, grantor: Principal | None, data: TokenCreate
) -> tuple[ApiToken, str]:
    """A new API token and its secret (shown once)."""
    reach = _checked_reach(session, grantor, data)
    secret = credentials.new_api_token()
    token = ApiToken(
        name=data.name,
        token_hash=credentials.api_token_hash(secret),
        **_grant_columns(reach, data.role, grantor.actor if grantor else CLI),
    )
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(session: Session, who: Principal, page: PageParams) -> dict:
    return paginate(session, _within(ApiToken, who.reach), page)


def revoke_token(session: Session, who: Principal | None, token_id: int) -> ApiToken:
    token = (
        _get_within(session, ApiToken, token_id, who, "API token")
        if who
        else session.get(ApiToken, token_id)
    )
    if token is None:
        raise NotFound(f"No API token {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = now()
    session.flush()
    return token
