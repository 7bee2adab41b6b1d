"""Passwords (argon2, through pwdlib), API tokens (random, kept as SHA-256) and the short-lived
bearer tokens of a sign-in (JWT, HS256, through PyJWT)."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

import jwt
from pwdlib import PasswordHash

from app.core.settings import get_settings

API_TOKEN_PREFIX = "jf_"
_JWT_ALGORITHM = "HS256"
_JWT_AUDIENCE = "jobfair"


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Takes as long without an account as with one, so that timing does not tell which
    usernames exist."""
    if password_hash is None:
        _hasher().verify(password, _dummy_hash())
        return False
    return _hasher().verify(password, password_hash)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_hash(token: str) -> str:
    # The token has 256 random bits: a fast hash is as safe as a slow one, and costs no time
    # on each request.
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _signing_key() -> str:
    # Read once a process (SECRET_KEY_FILE is a file read), not on every request.
    return get_settings().signing_key()


def login_token(account_id: int, now: dt.datetime) -> tuple[str, int]:
    """A bearer token for the account, and its lifetime in seconds."""
    lifetime = get_settings().login_token_minutes * 60
    claims = {
        "sub": str(account_id),
        "aud": _JWT_AUDIENCE,
        "iat": now,
        "exp": now + dt.timedelta(seconds=lifetime),
        # Two sign-ins in the same second are two tokens (they are cached per token).
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, _signing_key(), algorithm=_JWT_ALGORITHM), lifetime


class InvalidLoginToken(Exception):
    pass


@dataclass(frozen=True)
class LoginClaims:
    account_id: int
    issued_at: dt.datetime
    expires_at: dt.datetime


def account_of_login_token(token: str) -> LoginClaims:
    """The account a login token was given to, when, and until when; InvalidLoginToken if it
    is forged, expired or malformed."""
    try:
        claims = jwt.decode(
            token,
            _signing_key(),
            algorithms=[_JWT_ALGORITHM],
            audience=_JWT_AUDIENCE,
            options={"require": ["sub", "exp", "iat"]},
        )
        return LoginClaims(
            int(claims["sub"]),
            dt.datetime.fromtimestamp(claims["iat"], dt.UTC),
            dt.datetime.fromtimestamp(claims["exp"], dt.UTC),
        )
    except jwt.ExpiredSignatureError:
        raise InvalidLoginToken("The token has expired; sign in again.") from None
    except (jwt.InvalidTokenError, ValueError):
        raise InvalidLoginToken("The token is not valid.") from None
