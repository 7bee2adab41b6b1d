import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class EventKind(LabelledEnum):
    JOB_FAIR = "job_fair", "双选会"
    INDUSTRY_FAIR = "industry_fair", "行业专场招聘会"
    INFO_SESSION = "info_session", "宣讲会"
    LIVESTREAM = "livestream", "直播带岗"
    ONLINE_FAIR = "online_fair", "网络招聘会"


class EventMode(LabelledEnum):
    ONSITE = "onsite", "线下"
    ONLINE = "online", "线上"
    HYBRID = "hybrid", "线上线下"


class Event(Base):
    """A recruitment event (招聘活动); its employers are its participants."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("university_code", "external_ref"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("attendance >= 0", name="attendance_not_negative"),
        Index("ix_events_province_start_date", "province", "start_date"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, "kind"))
    mode: Mapped[EventMode] = mapped_column(enum_type(EventMode, "mode"))
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date] = mapped_column(Date)
    province: Mapped[str] = mapped_column(String(2))
    university_code: Mapped[str | None] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT")
    )
    organizer_name: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(1))
    attendance: Mapped[int] = mapped_column(Integer, default=0)
    external_ref: Mapped[str | None] = mapped_column(String(64), comment="台账编号")

    participant_rows: Mapped[list["EventParticipant"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    @property
    def participants(self) -> list[str]:
        return sorted(row.employer_uscc for row in self.participant_rows)


class EventParticipant(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "event_participants"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    employer_uscc: Mapped[str] = mapped_column(
        ForeignKey("employers.uscc", ondelete="RESTRICT"), primary_key=True, index=True
    )
