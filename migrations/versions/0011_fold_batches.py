"""folds in large pieces: the counts a fold adds are rows of their own (a batch) until merged;
a run of pending vacancies counts the writes to its vacancies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 19:20:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ['fact', 'level', 'slice', 'industry', 'province', 'university', 'day']


def upgrade() -> None:
    with op.batch_alter_table('stat_pending_vacancies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.BigInteger(), server_default=sa.text('0'), nullable=False))

    _primary_key([*KEY, 'batch'], add_batch=True)
    with op.batch_alter_table('stat_counts', schema=None) as batch_op:
        batch_op.create_index('ix_stat_counts_unmerged', ['batch'], unique=False, postgresql_where=sa.text('batch <> 0'), sqlite_where=sa.text('batch <> 0'))


def _primary_key(columns: list[str], add_batch: bool = False) -> None:
    """The counts' primary key on `columns`, its sums INCLUDEd on PostgreSQL (where the table
    is altered in place: at national scale, rewritten only by the index's rebuild)."""
    if op.get_bind().dialect.name == 'postgresql':
        batch = 'ADD COLUMN batch bigint NOT NULL DEFAULT 0, ' if add_batch else ''
        op.execute(
            f'ALTER TABLE stat_counts {batch}DROP CONSTRAINT pk_stat_counts, '
            f'ADD CONSTRAINT pk_stat_counts PRIMARY KEY ({", ".join(columns)}) INCLUDE (records, total)'
        )
        return
    with op.batch_alter_table('stat_counts', schema=None, recreate='always') as batch_op:
        if add_batch:
            batch_op.add_column(sa.Column('batch', sa.BigInteger(), server_default=sa.text('0'), nullable=False))
        batch_op.drop_constraint('pk_stat_counts', type_='primary')
        batch_op.create_primary_key('pk_stat_counts', columns)


def downgrade() -> None:
    with op.batch_alter_table('stat_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_stat_counts_unmerged', postgresql_where=sa.text('batch <> 0'), sqlite_where=sa.text('batch <> 0'))
    op.execute('DELETE FROM stat_counts WHERE batch <> 0')  # a recount after the downgrade
    _primary_key(KEY)
    with op.batch_alter_table('stat_counts', schema=None) as batch_op:
        batch_op.drop_column('batch')

    with op.batch_alter_table('stat_pending_vacancies', schema=None) as batch_op:
        batch_op.drop_column('changes')
