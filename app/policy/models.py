"""Policy positions (政策性岗位): the programmes that offer them, each year's quota of a
programme in a province, and the recruitment's progress against it (招录进度), dated."""

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class RecruitmentStage(LabelledEnum):
    """Where a programme's recruitment stands, in its order: each stage counts people (the
    positions announced, the applicants, those admitted, those who reported for duty)."""

    ANNOUNCED = "announced", "发布岗位"
    APPLIED = "applied", "报名"
    ADMITTED = "admitted", "录用"
    ON_DUTY = "on_duty", "到岗"


class PositionsProgram(Base):
    """A programme of policy positions: the national ones (特岗计划, 三支一扶…) ship with the
    migrations; a province may add its own (福建省城乡基层就业岗位募集)."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "policy_programs"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The ministry or department in charge (主管部门).
    ministry: Mapped[str] = mapped_column(String(200))
    # A province's own programme; None: a national one.
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)


class PolicyQuota(Base):
    """How many positions a programme offers graduates in a province in a year."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "policy_quotas"
    __table_args__ = (
        UniqueConstraint("program_code", "province", "year"),
        CheckConstraint("positions >= 0", name="positions_not_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_in_range"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    program_code: Mapped[str] = mapped_column(
        ForeignKey("policy_programs.code", ondelete="RESTRICT")
    )
    province: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    positions: Mapped[int] = mapped_column(Integer)

    program: Mapped[PositionsProgram] = relationship(lazy="joined")
    progress: Mapped[list["RecruitmentProgress"]] = relationship(
        back_populates="quota",
        order_by="(RecruitmentProgress.as_of, RecruitmentProgress.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    @property
    def program_name(self) -> str:
        return self.program.name


class RecruitmentProgress(Base):
    """How many people a quota's recruitment had reached at a stage, as of a day."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "policy_recruitment_progress"
    __table_args__ = (
        UniqueConstraint("quota_id", "stage", "as_of"),
        CheckConstraint("people >= 0", name="people_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    quota_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("policy_quotas.id", ondelete="CASCADE")
    )
    stage: Mapped[RecruitmentStage] = mapped_column(
        enum_type(RecruitmentStage, "recruitment_stage")
    )
    as_of: Mapped[dt.date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer)

    quota: Mapped[PolicyQuota] = relationship(back_populates="progress")
