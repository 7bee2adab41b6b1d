"""matchmaking's kept figures: who took part by first appearance, the intents' steps by day

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:32:38.248877

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What matchmaking already holds, counted into the new tables as app/matchmaking/kept.py keeps
# them (written out here, so that this step stays what it was when the code moves on).
FIRST_APPEARANCE = "'1900-01-01'"
_FIELD = "COALESCE(field_code, '')"
# figure: (table, the entity counted, which rows, breakdowns as (name, key))
FIRSTS = {
    "universities": ("matchmaking_universities", "university_code", "TRUE", [("''", "''")]),
    "employers": (
        "matchmaking_employers",
        "employer_uscc",
        "TRUE",
        [("''", "''"), ("'field'", _FIELD)],
    ),
    "sessions": ("matchmaking_employers", "session_id", "TRUE", [("'field'", _FIELD)]),
}
PROVINCES = ("'*'", "COALESCE(province, '')")
STEPS = (("'intended'", "held_on"), ("'signed'", "signed_on"), ("'landed'", "landed_on"))
INTENT_BREAKDOWNS = (("''", "''"), ("'type'", "type"), ("'field'", _FIELD))


def _count_firsts() -> None:
    for figure, (table, entity, rows, breakdowns) in FIRSTS.items():
        spread = " UNION ".join(
            f"SELECT {province} AS province, {name} AS breakdown, {key} AS row_key, "
            f"{entity} AS entity, held_on AS day FROM {table} WHERE {rows}"
            for province in PROVINCES
            for name, key in breakdowns
        )
        op.execute(
            "INSERT INTO matchmaking_firsts "
            "(figure, breakdown, province, row_key, day, prev_day, entities) "
            f"SELECT '{figure}', breakdown, province, row_key, day, prev_day, count(*) FROM ("
            "SELECT breakdown, province, row_key, day, COALESCE(lag(day) OVER ("
            "PARTITION BY province, breakdown, row_key, entity ORDER BY day), "
            f"{FIRST_APPEARANCE}) AS prev_day FROM ({spread}) AS spread) AS seen "
            "GROUP BY breakdown, province, row_key, day, prev_day"
        )


def _count_steps() -> None:
    spread = " UNION ALL ".join(
        f"SELECT {name} AS breakdown, {province} AS province, {key} AS row_key, held_on, "
        f"{step} AS step, {day} AS step_on FROM cooperation_intents WHERE {day} IS NOT NULL"
        for province in PROVINCES
        for name, key in INTENT_BREAKDOWNS
        for step, day in STEPS
    )
    op.execute(
        "INSERT INTO matchmaking_steps "
        "(breakdown, province, row_key, held_on, step, step_on, intents) "
        "SELECT breakdown, province, row_key, held_on, step, step_on, count(*) "
        f"FROM ({spread}) AS spread "
        "GROUP BY breakdown, province, row_key, held_on, step, step_on"
    )


def upgrade() -> None:
    op.create_table(
        "matchmaking_firsts",
        sa.Column("figure", sa.String(length=12), nullable=False),
        sa.Column("breakdown", sa.String(length=8), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("row_key", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("prev_day", sa.Date(), nullable=False),
        sa.Column("entities", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "figure",
            "breakdown",
            "province",
            "row_key",
            "day",
            "prev_day",
            name=op.f("pk_matchmaking_firsts"),
            postgresql_include=["entities"],
        ),
    )
    op.create_table(
        "matchmaking_steps",
        sa.Column("breakdown", sa.String(length=8), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("row_key", sa.String(length=40), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=8), nullable=False),
        sa.Column("step_on", sa.Date(), nullable=False),
        sa.Column("intents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "breakdown",
            "province",
            "row_key",
            "held_on",
            "step",
            "step_on",
            name=op.f("pk_matchmaking_steps"),
            postgresql_include=["intents"],
        ),
    )
    _count_firsts()
    _count_steps()


def downgrade() -> None:
    op.drop_table("matchmaking_steps")
    op.drop_table("matchmaking_firsts")
