"""import jobs: a queued status, for jobs waiting for `jobfair worker`

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 14:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("running", "succeeded", "rejected", "failed", "interrupted")
NEW = ("queued", *OLD)


def _allow(values: tuple[str, ...]) -> None:
    # Only the CHECK constraint changes: 'queued' is no longer than 'interrupted'.
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_import_jobs_import_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_import_jobs_import_status"),
            sa.column("status").in_(values),
        )


def upgrade() -> None:
    _allow(NEW)


def downgrade() -> None:
    # A job still waiting wrote nothing: it may be sent again, as an interrupted one may.
    op.execute(
        "UPDATE import_jobs SET status = 'interrupted', idempotency_key = NULL "
        "WHERE status = 'queued'"
    )
    _allow(OLD)
