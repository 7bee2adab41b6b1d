import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class LeaderLevel(LabelledEnum):
    PRINCIPAL = "principal", "书记校长"
    LEADER = "leader", "校领导"
    DEPARTMENT = "department", "院系负责人"
    STAFF = "staff", "工作人员"


class Visit(Base):
    """An enterprise visit (访企拓岗) by a university, and the positions it opened."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "visits"
    __table_args__ = (
        UniqueConstraint("university_code", "external_ref"),
        CheckConstraint("positions_opened >= 0", name="positions_opened_not_negative"),
        Index("ix_visits_university_code_visit_date", "university_code", "visit_date"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    university_code: Mapped[str] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT")
    )
    employer_uscc: Mapped[str] = mapped_column(
        ForeignKey("employers.uscc", ondelete="RESTRICT"), index=True
    )
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    positions_opened: Mapped[int] = mapped_column(Integer)
    leader_level: Mapped[LeaderLevel | None] = mapped_column(enum_type(LeaderLevel, "leader_level"))
    majors: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    external_ref: Mapped[str | None] = mapped_column(String(64), comment="台账编号")
