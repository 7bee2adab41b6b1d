import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class ImportStatus(LabelledEnum):
    # Waiting for `jobfair worker` (BACKGROUND_WORK=worker): nothing read yet.
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    SUCCEEDED = "succeeded", "已完成"
    REJECTED = "rejected", "有错误，未写入"
    FAILED = "failed", "出错，未写入"
    INTERRUPTED = "interrupted", "中断，未写入"


# The jobs a file is known by: not those that wrote nothing and may be sent again.
WRITTEN_OR_RUNNING = "status NOT IN ('failed', 'interrupted')"


class ImportJob(Base):
    """One ledger file sent for import, and what became of it. A file is known by its kind, the
    SHA-256 of its content and the sheet asked for: sending it again answers this job, unless
    it failed or was interrupted (it wrote nothing), in which case it may be sent again."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        UniqueConstraint("owner", "idempotency_key"),
        Index(
            "uq_import_jobs_kind_reach_fingerprint",
            "kind",
            "reach",
            "fingerprint",
            unique=True,
            postgresql_where=text(WRITTEN_OR_RUNNING),
            sqlite_where=text(WRITTEN_OR_RUNNING),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    filename: Mapped[str] = mapped_column(String(255))
    sheet: Mapped[str | None] = mapped_column(String(100))
    # The content's SHA-256, then the sheet asked for, if one was.
    fingerprint: Mapped[str] = mapped_column(String(200))
    # Who sent it ("account:3", "token:7"), and the reach its rows must be within: only that
    # reach (and those above it) sees the job. `reach` is its label ("national",
    # "province:44", "university:4111010001"): the same file counts as sent before only
    # within one reach.
    owner: Mapped[str] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(String(2))
    university_code: Mapped[str | None] = mapped_column(String(10))
    reach: Mapped[str] = mapped_column(String(24))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ImportStatus] = mapped_column(enum_type(ImportStatus, "import_status"))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    rows_present: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # The first errors (row, column, value, reason in Chinese and English); all are counted.
    errors: Mapped[list[dict]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Touched as the job reads, from another transaction (on PostgreSQL), with its progress.
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
