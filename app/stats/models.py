"""Figures kept current as records are written, so that any range and filter is a small sum.

Both tables hold one row per group and day. A group is a level (0 the nation, 1 a province,
2 a university within a province), a slice ('' or a breakdown value such as 'kind:job_fair',
'source:event', 'policy:community') and an industry ('' for all).

- `stat_counts`: per day, how many records of a fact (visit, event, vacancy) and the sum of its
  measure (positions opened, attendance, headcount).
- `stat_firsts`: for the distinct figures, how many universities or employers appear in the group
  on `day` whose previous appearance in the same group was `prev_day` (FIRST_APPEARANCE when none).
  The distinct count over [a, b] is then the sum over day in [a, b] with prev_day < a: each
  university or employer is counted once, at its first appearance in the range.
"""

import datetime as dt

from sqlalchemy import BigInteger, Date, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base

FIRST_APPEARANCE = dt.date(1900, 1, 1)


class StatCount(Base):
    __tablename__ = "stat_counts"
    __table_args__ = (Index("ix_stat_counts_university", "fact", "university", "day"),)

    fact: Mapped[str] = mapped_column(String(8), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    slice: Mapped[str] = mapped_column(String(40), primary_key=True)
    industry: Mapped[str] = mapped_column(String(1), primary_key=True)
    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    university: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    records: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)


class StatFirst(Base):
    __tablename__ = "stat_firsts"
    __table_args__ = (Index("ix_stat_firsts_university", "figure", "university", "day"),)

    figure: Mapped[str] = mapped_column(String(24), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    slice: Mapped[str] = mapped_column(String(40), primary_key=True)
    industry: Mapped[str] = mapped_column(String(1), primary_key=True)
    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    university: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    prev_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    entities: Mapped[int] = mapped_column(BigInteger)
