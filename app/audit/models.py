import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntId


class AuditEntry(Base):
    """One write, import, export, sign-in or refused request: who, what, and how it ended.
    Rows are only ever added; no API changes or deletes them."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_province_at", "province", "at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # "account:3", "token:7"; None when the request carried no valid credentials.
    actor: Mapped[str | None] = mapped_column(String(40))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(12))
    # The actor's reach: a province's administrators read the entries of theirs.
    province: Mapped[str | None] = mapped_column(String(2))
    university_code: Mapped[str | None] = mapped_column(String(10))
    # create, update, delete, import, export, login, refused, reveal (personal data shown)
    action: Mapped[str] = mapped_column(String(16))
    # The API path's resource ("visits", "auth/tokens") and the record's id, when there is one.
    resource: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    # ok, refused, failed
    outcome: Mapped[str] = mapped_column(String(12))
    status: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[str] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(255))
    detail: Mapped[str | None] = mapped_column(Text)
