import datetime as dt

from sqlalchemy import Boolean, DateTime, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.principal import Reach, Role
from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import enum_type


class Grant:
    """A role and its reach, as an account or a token holds them."""

    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    province: Mapped[str | None] = mapped_column(String(2))
    university_code: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The actor that made it ("account:3", "token:1"), or "cli".
    created_by: Mapped[str] = mapped_column(String(40))

    @property
    def reach(self) -> Reach:
        return Reach(self.province, self.university_code)


class Account(Grant, Base):
    """A person who signs in with a password (POST /api/v1/auth/login)."""

    __epoch__ = epochs.CREDENTIALS
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    # Stored folded to lower case: "Zhang.Wei" and "zhang.wei" are one account.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Sign-in tokens issued before this are refused: a new password signs the old ones out.
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # May see a graduate in difficulty's full ID number and phone (each time audited, with a
    # reason). Only a university's accounts hold it: a person, never a machine's token.
    may_reveal_personal_data: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class ApiToken(Grant, Base):
    """A long-lived token for a machine (a dashboard, a REST client). Only its SHA-256 is
    kept: the token itself is shown once, when it is made."""

    __epoch__ = epochs.CREDENTIALS
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
