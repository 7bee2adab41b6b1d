"""import jobs: an interrupted status, apart from failed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ('running', 'succeeded', 'rejected', 'failed')
NEW = (*OLD, 'interrupted')
OLD_WHERE = "status <> 'failed'"
NEW_WHERE = "status NOT IN ('failed', 'interrupted')"


def _status(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='import_status', native_enum=False, create_constraint=True)


def _swap(old: tuple[str, ...], new: tuple[str, ...], old_where: str, new_where: str) -> None:
    # The CHECK constraint is dropped and made anew with the column's type (batch mode on
    # SQLite rebuilds the table; PostgreSQL alters it in place).
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_import_jobs_kind_reach_fingerprint',
            postgresql_where=sa.text(old_where),
            sqlite_where=sa.text(old_where),
        )
        batch_op.drop_constraint(batch_op.f('ck_import_jobs_import_status'), type_='check')
        batch_op.alter_column(
            'status',
            existing_type=sa.String(length=max(map(len, old))),
            type_=sa.String(length=max(map(len, new))),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_import_jobs_import_status'),
            sa.column('status').in_(new),
        )
        batch_op.create_index(
            'uq_import_jobs_kind_reach_fingerprint',
            ['kind', 'reach', 'fingerprint'],
            unique=True,
            postgresql_where=sa.text(new_where),
            sqlite_where=sa.text(new_where),
        )


def upgrade() -> None:
    _swap(OLD, NEW, OLD_WHERE, NEW_WHERE)


def downgrade() -> None:
    op.execute("UPDATE import_jobs SET status = 'failed' WHERE status = 'interrupted'")
    _swap(NEW, OLD, NEW_WHERE, OLD_WHERE)
