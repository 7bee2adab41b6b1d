import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class Gender(LabelledEnum):
    MALE = "male", "男"
    FEMALE = "female", "女"


class GraduateEducation(LabelledEnum):
    VOCATIONAL = "vocational", "专科"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTORATE = "doctorate", "博士研究生"


class EmploymentStatus(LabelledEnum):
    UNEMPLOYED = "unemployed", "未就业"
    SIGNED = "signed", "已签约"
    FLEXIBLE = "flexible", "灵活就业"
    FURTHER_STUDY = "further_study", "升学"
    MILITARY = "military", "参军"
    GRASSROOTS = "grassroots", "基层项目"
    NOT_SEEKING = "not_seeking", "暂不就业"

    @property
    def is_placed(self) -> bool:
        """Counted as 落实 (the 落实率's numerator)."""
        return self not in (EmploymentStatus.UNEMPLOYED, EmploymentStatus.NOT_SEEKING)


PLACED = [status for status in EmploymentStatus if status.is_placed]


class ServiceKind(LabelledEnum):
    CONSULTATION = "consultation", "单独咨询"
    RESUME = "resume", "简历修改"
    REFERRAL = "referral", "就业推荐"
    TRAINING = "training", "就业培训"
    SUBSIDY = "subsidy", "求职创业补贴"
    COUNSELLING = "counselling", "心理辅导"


class DifficultyGroup(Base):
    """A key group (重点群体) a graduate in difficulty may belong to: 建档立卡脱贫家庭, 低保家庭…
    Shipped by the migrations."""

    __tablename__ = "difficulty_groups"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    position: Mapped[int] = mapped_column(SmallInteger)


class AssistedGraduate(Base):
    """A graduate in difficulty on a university's ledger (重点群体毕业生台账), for one cohort.

    The ID number and phone are kept only encrypted (`*_cipher`), found by a keyed hash
    (`id_number_hash`), and shown masked (`*_masked`). De-identified (retention), all of these
    and the name are emptied; the groups, statuses and services stay for the figures."""

    __tablename__ = "assisted_graduates"
    __table_args__ = (
        # The same person is entered once a cohort, whichever university enters them.
        UniqueConstraint("cohort", "id_number_hash"),
        UniqueConstraint("university_code", "external_ref"),
        CheckConstraint("cohort BETWEEN 2000 AND 2100", name="cohort_in_range"),
        Index("ix_assisted_graduates_university_code_cohort", "university_code", "cohort"),
        Index("ix_assisted_graduates_cohort_status", "cohort", "status"),
        # Whom to call today: a page in id order, and counts by university read off the index.
        Index("ix_assisted_graduates_cohort_standard_met_id", "cohort", "standard_met", "id"),
        Index(
            "ix_assisted_graduates_cohort_standard_met_university",
            "cohort",
            "standard_met",
            "university_code",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    university_code: Mapped[str] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT")
    )
    cohort: Mapped[int] = mapped_column(SmallInteger, comment="届别")
    name: Mapped[str | None] = mapped_column(String(50))
    id_number_cipher: Mapped[str | None] = mapped_column(Text)
    id_number_hash: Mapped[str | None] = mapped_column(String(64))
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    phone_cipher: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str | None] = mapped_column(String(11))
    gender: Mapped[Gender] = mapped_column(enum_type(Gender, "gender"))
    major: Mapped[str | None] = mapped_column(String(100))
    education: Mapped[GraduateEducation | None] = mapped_column(
        enum_type(GraduateEducation, "graduate_education")
    )
    mentor: Mapped[str | None] = mapped_column(String(50), comment="一对一帮扶责任人")
    # The latest of its status changes (kept here, so that figures need no history walk).
    status: Mapped[EmploymentStatus] = mapped_column(
        enum_type(EmploymentStatus, "employment_status")
    )
    status_date: Mapped[dt.date] = mapped_column(Date)
    # Services given so far, by kind (kept with every service written, for the standard).
    consultations: Mapped[int] = mapped_column(Integer, default=0)
    resume_revisions: Mapped[int] = mapped_column(Integer, default=0)
    referrals: Mapped[int] = mapped_column(Integer, default=0)
    trainings: Mapped[int] = mapped_column(Integer, default=0)
    subsidies: Mapped[int] = mapped_column(Integer, default=0)
    counselling_sessions: Mapped[int] = mapped_column(Integer, default=0)
    training_hours: Mapped[int] = mapped_column(Integer, default=0)
    # Whether its province's standard is met by the counts above (kept with them, and anew
    # when a standard changes): the list of whom to call today is an index scan.
    standard_met: Mapped[bool] = mapped_column(Boolean, default=False)
    external_ref: Mapped[str | None] = mapped_column(String(64), comment="台账编号")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    deidentified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    group_links: Mapped[list["GraduateGroup"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GraduateGroup.group_code"
    )

    @property
    def groups(self) -> list[str]:
        return sorted(link.group_code for link in self.group_links)


class GraduateGroup(Base):
    __tablename__ = "assisted_graduate_groups"

    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("assisted_graduates.id", ondelete="CASCADE"), primary_key=True
    )
    group_code: Mapped[str] = mapped_column(
        ForeignKey("difficulty_groups.code", ondelete="RESTRICT"), primary_key=True, index=True
    )


class StatusChange(Base):
    """A graduate's employment status from a date on (就业状态变化), as recorded."""

    __tablename__ = "assisted_status_changes"
    __table_args__ = (
        Index("ix_assisted_status_changes_graduate_id_effective_on", "graduate_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("assisted_graduates.id", ondelete="CASCADE")
    )
    status: Mapped[EmploymentStatus] = mapped_column(
        enum_type(EmploymentStatus, "employment_status")
    )
    # "on" is an SQL keyword: the column is named for what it is.
    on: Mapped[dt.date] = mapped_column("effective_on", Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(40))


class AssistanceService(Base):
    """A service given to a graduate in difficulty: a consultation, a résumé revised, a job
    referral (to a vacancy of jobfair's, perhaps), training, a subsidy, counselling."""

    __tablename__ = "assistance_services"
    __table_args__ = (
        Index("ix_assistance_services_graduate_id_kind", "graduate_id", "kind"),
        CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("assisted_graduates.id", ondelete="CASCADE")
    )
    kind: Mapped[ServiceKind] = mapped_column(enum_type(ServiceKind, "service_kind"))
    service_date: Mapped[dt.date] = mapped_column(Date, index=True)
    provider: Mapped[str] = mapped_column(String(50), comment="by whom")
    note: Mapped[str | None] = mapped_column(String(500))
    vacancy_id: Mapped[int | None] = mapped_column(
        ForeignKey("vacancies.id", ondelete="SET NULL"), index=True
    )
    programme: Mapped[str | None] = mapped_column(String(100), comment="e.g. 宏志助航")
    hours: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(Integer, comment="yuan")
    external_ref: Mapped[str | None] = mapped_column(String(64), comment="台账编号")


class ServiceStandard(Base):
    """A province's service standard: at least `minimum` services of `kind` for every graduate
    in difficulty (Hunan's 一次单独咨询、两次简历修改、三次就业推荐). A province with none has
    the default (app/assistance/standards.py)."""

    __tablename__ = "assistance_standards"
    __table_args__ = (CheckConstraint("minimum BETWEEN 1 AND 100", name="minimum_in_range"),)

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(
        enum_type(ServiceKind, "service_kind"), primary_key=True
    )
    minimum: Mapped[int] = mapped_column(SmallInteger)


class AssistanceCount(Base):
    """Kept figures of the ledgers: the graduates of a cohort and university in each status,
    standard met or not (how many trained, for how many hours). Kept by every write
    (app/assistance/kept.py), so that the figures sum a few thousand rows, not the ledger."""

    __tablename__ = "assistance_counts"

    cohort: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    university_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[EmploymentStatus] = mapped_column(
        enum_type(EmploymentStatus, "employment_status"), primary_key=True
    )
    standard_met: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    graduates: Mapped[int] = mapped_column(Integer)
    # Of them, those trained, and the hours of training they had.
    trained: Mapped[int] = mapped_column(Integer)
    training_hours: Mapped[int] = mapped_column(Integer)


class AssistanceGroupCount(Base):
    """Kept figures by key group: a cohort and university's graduates of a group, placed or
    not."""

    __tablename__ = "assistance_group_counts"

    cohort: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    university_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(24), primary_key=True)
    placed: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    graduates: Mapped[int] = mapped_column(Integer)
