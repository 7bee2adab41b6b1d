"""Policy publicity (政策宣传): the register of policy measures (政策措施) the Ministry, the
provinces and their cities publish for graduates, and the publicity sessions (宣讲) held to
explain them."""

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class MeasureLevel(LabelledEnum):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"


class MeasureCategory(LabelledEnum):
    JOB_EXPANSION = "job_expansion", "扩岗补助"
    SOCIAL_INSURANCE = "social_insurance", "社保补贴"
    HIRING = "hiring", "吸纳就业补贴"
    TRAINING = "training", "职业培训补贴"
    STARTUP_LOAN = "startup_loan", "创业担保贷款"
    INCUBATION = "incubation", "创业孵化补贴"
    JOB_SEEKING = "job_seeking", "求职创业补贴"
    TRAINEESHIP = "traineeship", "就业见习补贴"
    OTHER = "other", "其他"


class HolderKind(LabelledEnum):
    NATIONAL_COMMITTEE = "national_committee", "全国普通高校毕业生就业创业指导委员会"
    INDUSTRY_COMMITTEE = "industry_committee", "行业就指委"
    DEPARTMENT = "department", "教育行政部门"
    UNIVERSITY = "university", "高校"


class PublicityPlace(LabelledEnum):
    PARK = "park", "进园区"
    ENTERPRISE = "enterprise", "进企业"
    CAMPUS = "campus", "进高校"
    COMMUNITY = "community", "进社区"


class PolicyMeasure(Base):
    """A published measure: the nation's (no province), a province's, or a city's (its
    province is the city code's prefix)."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "policy_measures"
    __table_args__ = (
        UniqueConstraint("issuer", "title"),
        CheckConstraint(
            "(level = 'national' AND province IS NULL AND city IS NULL)"
            " OR (level = 'province' AND province IS NOT NULL AND city IS NULL)"
            " OR (level = 'city' AND province IS NOT NULL AND city IS NOT NULL)",
            name="level_matches_region",
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("effective_to >= effective_from", name="effective_ordered"),
        # PostgreSQL finds the measures holding a text's bigrams in this index (app/publicity/
        # search.py); SQLite reads its few thousand rows instead.
        Index(
            "ix_policy_measures_search_bigrams",
            func.string_to_array(literal_column("search_bigrams"), literal_column("' '")),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # The body that published it (发布单位).
    issuer: Mapped[str] = mapped_column(String(200))
    level: Mapped[MeasureLevel] = mapped_column(enum_type(MeasureLevel, "measure_level"))
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(6))
    category: Mapped[MeasureCategory] = mapped_column(
        enum_type(MeasureCategory, "measure_category")
    )
    # Yuan: the most it gives (最高), per amount_unit where one is given (每人, 每户).
    amount: Mapped[int | None] = mapped_column(BigInteger)
    amount_unit: Mapped[str | None] = mapped_column(String(20))
    published_on: Mapped[dt.date] = mapped_column(Date, index=True)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    link: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    # What a search reads: title, issuer and summary, folded (search.py), one a line; and the
    # distinct bigrams of those lines, space-separated, which the index holds.
    search_text: Mapped[str] = mapped_column(Text)
    search_bigrams: Mapped[str] = mapped_column(Text)


class PublicitySession(Base):
    """A publicity session (政策宣讲) on a day: held by the national committee, an industry
    committee (行业就指委), a department or a university; of a province (None: national)."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "publicity_sessions"
    __table_args__ = (CheckConstraint("audience >= 0", name="audience_not_negative"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    holder_kind: Mapped[HolderKind] = mapped_column(enum_type(HolderKind, "holder_kind"))
    holder: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    university_code: Mapped[str | None] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT"), index=True
    )
    place: Mapped[PublicityPlace] = mapped_column(enum_type(PublicityPlace, "publicity_place"))
    # People reached (人次).
    audience: Mapped[int] = mapped_column(Integer, default=0)
