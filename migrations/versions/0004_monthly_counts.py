"""monthly counts: each daily row of the kept counts summed into a monthly twin; counts by
university across provinces (level 3), as the distinct figures have them

The readers take a range's whole months from level + 10 (day = the first of the month), so the
twins of the rows kept so far are written here, summed from the daily rows (of stat_firsts, only
appearances whose previous one is before the month: no range that holds the month counts others).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 04:05:00

"""
from collections.abc import Sequence

from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONTHLY = 10
GROUP = "level + 10, slice, industry, province, university"


def _month_start() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "CAST(date_trunc('month', day) AS DATE)"
    return "date(day, 'start of month')"


def upgrade() -> None:
    # Level 3 is level 2 summed over provinces (vacancies: no source or program slices).
    op.execute(
        "INSERT INTO stat_counts (fact, level, slice, industry, province, university, day, records, total) "
        "SELECT fact, 3, slice, industry, '', university, day, sum(records), sum(total) FROM stat_counts "
        "WHERE level = 2 GROUP BY fact, slice, industry, university, day"
    )
    month = _month_start()
    op.execute(
        f"INSERT INTO stat_counts (fact, level, slice, industry, province, university, day, records, total) "
        f"SELECT fact, {GROUP}, {month}, sum(records), sum(total) FROM stat_counts "
        f"WHERE level < {MONTHLY} GROUP BY fact, {GROUP}, {month}"
    )
    op.execute(
        f"INSERT INTO stat_firsts (figure, level, slice, industry, province, university, day, prev_day, entities) "
        f"SELECT figure, {GROUP}, {month}, prev_day, sum(entities) FROM stat_firsts "
        f"WHERE level < {MONTHLY} AND prev_day < {month} GROUP BY figure, {GROUP}, {month}, prev_day"
    )


def downgrade() -> None:
    op.execute(f"DELETE FROM stat_counts WHERE level >= {MONTHLY} OR level = 3")
    op.execute(f"DELETE FROM stat_firsts WHERE level >= {MONTHLY}")
