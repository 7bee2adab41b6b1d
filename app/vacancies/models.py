import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class VacancySource(LabelledEnum):
    EVENT = "event", "招聘活动"
    VISIT = "visit", "访企拓岗"
    PLATFORM = "platform", "就业平台"
    DIRECT = "direct", "单位直接发布"


class Education(LabelledEnum):
    ANY = "any", "不限"
    VOCATIONAL = "vocational", "专科"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTORATE = "doctorate", "博士研究生"


class PolicyProgram(LabelledEnum):
    SPECIAL_POST_TEACHER = "special_post_teacher", "特岗计划"
    THREE_SUPPORTS = "three_supports", "三支一扶"
    WESTERN_VOLUNTEER = "western_volunteer", "西部计划"
    COMMUNITY = "community", "城乡社区专项计划"
    RURAL_DOCTOR = "rural_doctor", "大学生乡村医生专项计划"


class Vacancy(Base):
    """A job posting (岗位信息), counted under its own province and university."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "vacancies"
    __table_args__ = (
        UniqueConstraint("university_code", "external_ref"),
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        Index("ix_vacancies_province_posted_date", "province", "posted_date"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    employer_uscc: Mapped[str] = mapped_column(
        ForeignKey("employers.uscc", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(Integer)
    posted_date: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[VacancySource] = mapped_column(enum_type(VacancySource, "source"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="RESTRICT"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="RESTRICT"), index=True
    )
    province: Mapped[str] = mapped_column(String(2))
    university_code: Mapped[str | None] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT")
    )
    education: Mapped[Education] = mapped_column(
        enum_type(Education, "education"), default=Education.ANY
    )
    majors: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_province: Mapped[str | None] = mapped_column(String(2))
    policy_program: Mapped[PolicyProgram | None] = mapped_column(
        enum_type(PolicyProgram, "policy_program")
    )
    external_ref: Mapped[str | None] = mapped_column(String(64), comment="台账编号")
