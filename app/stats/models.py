"""Figures kept current as records are written, so that any range and filter is a small sum.

Both tables hold one row per group and day. A group is a level (0 the nation, 1 a province,
2 a university within a province, 3 a university wherever its records lie), a slice ('' or a breakdown value such as 'kind:job_fair',
'source:event', 'policy:community') and an industry ('' for all).

- `stat_counts`: per day, how many records of a fact (visit, event, vacancy) and the sum of its
  measure (positions opened, attendance, headcount).
- `stat_firsts`: for the distinct figures, how many universities or employers appear in the group
  on `day` whose previous appearance in the same group was `prev_day` (FIRST_APPEARANCE when none).
  The distinct count over [a, b] is then the sum over day in [a, b] with prev_day < a: each
  university or employer is counted once, at its first appearance in the range.

Every row has a monthly twin at level + 10 (calendar.MONTHLY) on the first day of its month,
summing the month's rows (for `stat_firsts`, those of the same `prev_day`, if before the month:
no range that holds the whole month counts the others): a range's whole months
are read from the twins, its ragged ends from the daily rows, so a campaign of four months is a
few rows per group instead of a hundred and twenty.
"""

import datetime as dt

from sqlalchemy import BigInteger, Date, Index, PrimaryKeyConstraint, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base, BigIntId

FIRST_APPEARANCE = dt.date(1900, 1, 1)


_GROUP_DAY = ("level", "slice", "industry", "province", "university", "day")


_UNIVERSITIES = text("level IN (3, 13)")
_UNMERGED = text("batch <> 0")
# A breakdown by university reads every university for a range of days: with the day before the
# university, those days are one stretch of the index, not a stretch per university.
_DAY_UNIVERSITY = ("level", "slice", "industry", "province", "day", "university")


class StatCount(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "stat_counts"
    __table_args__ = (
        # INCLUDE: a sum over a range of the key is read from the index alone (PostgreSQL).
        PrimaryKeyConstraint("fact", *_GROUP_DAY, "batch", postgresql_include=["records", "total"]),
        Index(
            "ix_stat_counts_universities_by_day",
            "fact",
            *_DAY_UNIVERSITY,
            postgresql_include=["records", "total"],
            postgresql_where=_UNIVERSITIES,
            sqlite_where=_UNIVERSITIES,
        ),
        # The rows of folds not yet merged, found without reading the others.
        Index(
            "ix_stat_counts_unmerged", "batch", postgresql_where=_UNMERGED, sqlite_where=_UNMERGED
        ),
    )

    fact: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(SmallInteger)
    slice: Mapped[str] = mapped_column(String(40))
    industry: Mapped[str] = mapped_column(String(1))
    province: Mapped[str] = mapped_column(String(2))
    university: Mapped[str] = mapped_column(String(10))
    day: Mapped[dt.date] = mapped_column(Date)
    records: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    # 0: the counts every write keeps. Else the counts a fold added in one piece (its first
    # vacancy's id), not yet merged into those (see batches.py): a figure is the sum of all.
    batch: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))


class StatFirst(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "stat_firsts"
    __table_args__ = (
        PrimaryKeyConstraint("figure", *_GROUP_DAY, "prev_day", postgresql_include=["entities"]),
        Index(
            "ix_stat_firsts_universities_by_day",
            "figure",
            *_DAY_UNIVERSITY,
            "prev_day",
            postgresql_include=["entities"],
            postgresql_where=_UNIVERSITIES,
            sqlite_where=_UNIVERSITIES,
        ),
    )

    figure: Mapped[str] = mapped_column(String(24))
    level: Mapped[int] = mapped_column(SmallInteger)
    slice: Mapped[str] = mapped_column(String(40))
    industry: Mapped[str] = mapped_column(String(1))
    province: Mapped[str] = mapped_column(String(2))
    university: Mapped[str] = mapped_column(String(10))
    day: Mapped[dt.date] = mapped_column(Date)
    prev_day: Mapped[dt.date] = mapped_column(Date)
    entities: Mapped[int] = mapped_column(BigInteger)


class PendingVacancies(Base):
    """Runs of vacancy ids bulk-loaded and not yet counted into `stat_counts` (see pending.py)."""

    __epoch__ = epochs.FIGURES
    __tablename__ = "stat_pending_vacancies"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    first_id: Mapped[int] = mapped_column(BigInteger)
    last_id: Mapped[int] = mapped_column(BigInteger)
    # Moved by every write to one of the run's vacancies: a fold that counted the run meanwhile
    # counted what it no longer is, and starts again.
    changes: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
