"""School–enterprise matchmaking (校企供需对接): the sessions (重点领域人才校企供需对接会, the
政行企校 四方协作 meetings…) with the universities and employers that took part, each employer
in a key field (15 重点领域), and the cooperation intents reached there, followed up over time
(意向 → 签约 → 落地)."""

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import epochs
from app.core.db import Base, BigIntId
from app.core.enums import LabelledEnum, enum_type


class SessionFormat(LabelledEnum):
    SUPPLY_DEMAND = "supply_demand", "校企供需对接会"
    FOUR_PARTY = "four_party", "政行企校四方协作对接会"
    OTHER = "other", "其他对接活动"


class IntentType(LabelledEnum):
    DIRECTED_TRAINING = "directed_training", "定向培养"
    INTERNSHIP_BASE = "internship_base", "共建实习基地"
    JOINT_RESEARCH = "joint_research", "联合研发"
    EMPLOYMENT_EDUCATION = "employment_education", "就业育人项目"
    OTHER = "other", "其他合作"


class IntentStatus(LabelledEnum):
    """An intent's follow-up, in its order: each step is reached on a day, after the one
    before."""

    INTENDED = "intended", "意向"
    SIGNED = "signed", "签约"
    LANDED = "landed", "落地"


STATUS_ORDER = list(IntentStatus)


class KeyField(Base):
    """One of the 15 key fields (重点领域) of the Ministry's matchmaking, shipped with the
    migrations."""

    __tablename__ = "matchmaking_key_fields"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(SmallInteger)


class HeldAt:
    """The day and province of the record's session, copied onto it (service.py keeps them
    the session's), so that the figures of a range or a province read this table alone: a
    national campaign has some 70,000 employers at sessions, counted once each."""

    held_on: Mapped[dt.date] = mapped_column(Date)
    province: Mapped[str | None] = mapped_column(String(2))


class SessionUniversity(HeldAt, Base):
    """A university that took part in a session."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "matchmaking_universities"
    # Distinct universities of a range: read in code order from the index alone.
    __table_args__ = (Index(None, "university_code", "held_on"),)

    session_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    university_code: Mapped[str] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT"), primary_key=True
    )


class SessionEmployer(HeldAt, Base):
    """An employer that took part in a session, in its key field there."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "matchmaking_employers"
    __table_args__ = (
        Index(None, "employer_uscc", "held_on"),
        Index(None, "field_code", "held_on"),
    )

    session_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    employer_uscc: Mapped[str] = mapped_column(
        ForeignKey("employers.uscc", ondelete="RESTRICT"), primary_key=True
    )
    field_code: Mapped[str | None] = mapped_column(
        ForeignKey("matchmaking_key_fields.code", ondelete="RESTRICT")
    )


class MatchmakingSession(Base):
    """A matchmaking session: the Ministry's (no province), a province's department's, or a
    university's own (its province)."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "matchmaking_sessions"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[SessionFormat] = mapped_column(enum_type(SessionFormat, "session_format"))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # Who held it, as the report names them (教育部; 山东省人力资源社会保障厅、教育厅、齐鲁工业大学).
    organiser: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    university_code: Mapped[str | None] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT"), index=True
    )

    universities: Mapped[list[SessionUniversity]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by=SessionUniversity.university_code,
    )
    employers: Mapped[list[SessionEmployer]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by=SessionEmployer.employer_uscc,
    )

    @property
    def university_codes(self) -> list[str]:
        return [taking_part.university_code for taking_part in self.universities]

    @property
    def employer_usccs(self) -> list[str]:
        return [taking_part.employer_uscc for taking_part in self.employers]

    def field_of(self, uscc: str) -> str | None:
        return next((e.field_code for e in self.employers if e.employer_uscc == uscc), None)


class CooperationIntent(HeldAt, Base):
    """A cooperation intent (合作意向) a university and an employer reached at a session. Its
    steps' days are also kept on it (`held_on` is its 意向's), for the figures."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "cooperation_intents"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("matchmaking_sessions.id", ondelete="RESTRICT"), index=True
    )
    university_code: Mapped[str] = mapped_column(
        ForeignKey("universities.code", ondelete="RESTRICT"), index=True
    )
    employer_uscc: Mapped[str] = mapped_column(
        ForeignKey("employers.uscc", ondelete="RESTRICT"), index=True
    )
    type: Mapped[IntentType] = mapped_column(enum_type(IntentType, "intent_type"))
    field_code: Mapped[str | None] = mapped_column(
        ForeignKey("matchmaking_key_fields.code", ondelete="RESTRICT")
    )
    summary: Mapped[str | None] = mapped_column(String(200))
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    landed_on: Mapped[dt.date | None] = mapped_column(Date)

    steps: Mapped[list["IntentStep"]] = relationship(
        back_populates="intent",
        order_by="(IntentStep.as_of, IntentStep.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    @property
    def status(self) -> IntentStatus:
        """The furthest step reached."""
        return max((step.status for step in self.steps), key=STATUS_ORDER.index)


class IntentStep(Base):
    """The day an intent reached a status; its first step (意向) is the session's day."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "cooperation_intent_steps"
    __table_args__ = (UniqueConstraint("intent_id", "status"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    intent_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("cooperation_intents.id", ondelete="CASCADE")
    )
    status: Mapped[IntentStatus] = mapped_column(enum_type(IntentStatus, "intent_status"))
    as_of: Mapped[dt.date] = mapped_column(Date)

    intent: Mapped[CooperationIntent] = relationship(back_populates="steps")


# The province of the kept rows that count the nation (a session's own is a code, or '' for the
# Ministry's).
NATION = "*"
# The day before any: what a university's or employer's first appearance follows.
FIRST_APPEARANCE = dt.date(1900, 1, 1)


class KeptGroup:
    """The group a kept row counts: a province (NATION for all), and a breakdown ('', 'type'
    or 'field') with its `row_key` (the type's or field's code)."""

    breakdown: Mapped[str] = mapped_column(String(8))
    province: Mapped[str] = mapped_column(String(2))
    row_key: Mapped[str] = mapped_column(String(40))


class MatchmakingFirst(KeptGroup, Base):
    """Kept for the figures of who took part (kept.py): how many universities, employers (in
    all and by key field) or, by key field, sessions appear on `day` in a group whose previous appearance
    there was on `prev_day` (FIRST_APPEARANCE when none). The distinct count over [a, b] is the
    sum of the rows of days in [a, b] with `prev_day` before a: each counted once, on its first
    day in the range."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "matchmaking_firsts"
    __table_args__ = (
        PrimaryKeyConstraint(
            "figure", "breakdown", "province", "row_key", "day", "prev_day",
            postgresql_include=["entities"],
        ),
    )  # fmt: skip

    figure: Mapped[str] = mapped_column(String(12))
    day: Mapped[dt.date] = mapped_column(Date)
    prev_day: Mapped[dt.date] = mapped_column(Date)
    entities: Mapped[int] = mapped_column(BigInteger)


class MatchmakingStep(KeptGroup, Base):
    """Kept for the figures of the intents (kept.py): how many intents reached at a session
    of `held_on` took `step` on `step_on`, in a group. An intent's steps come in order, so
    those at 签约 as of a day are the signed by then less the landed."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "matchmaking_steps"
    __table_args__ = (
        PrimaryKeyConstraint(
            "breakdown", "province", "row_key", "held_on", "step", "step_on",
            postgresql_include=["intents"],
        ),
    )  # fmt: skip

    held_on: Mapped[dt.date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(8))
    step_on: Mapped[dt.date] = mapped_column(Date)
    intents: Mapped[int] = mapped_column(BigInteger)
