"""policy publicity: the register of policy measures (national, provinces' and cities'; on PostgreSQL a GIN index of their text's bigrams, for Chinese search) and the publicity sessions (宣讲) held to explain them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 07:21:34.389262

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policy_measures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('national', 'province', 'city', name='measure_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.Column('city', sa.String(length=6), nullable=True),
    sa.Column('category', sa.Enum('job_expansion', 'social_insurance', 'hiring', 'training', 'startup_loan', 'incubation', 'job_seeking', 'traineeship', 'other', name='measure_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('amount_unit', sa.String(length=20), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('search_bigrams', sa.Text(), nullable=False),
    sa.CheckConstraint("(level = 'national' AND province IS NULL AND city IS NULL) OR (level = 'province' AND province IS NOT NULL AND city IS NULL) OR (level = 'city' AND province IS NOT NULL AND city IS NOT NULL)", name=op.f('ck_policy_measures_level_matches_region')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_policy_measures_amount_not_negative')),
    sa.CheckConstraint('effective_to >= effective_from', name=op.f('ck_policy_measures_effective_ordered')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_measures')),
    sa.UniqueConstraint('issuer', 'title', name=op.f('uq_policy_measures_issuer_title'))
    )
    with op.batch_alter_table('policy_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_measures_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_policy_measures_published_on'), ['published_on'], unique=False)
    # Search by any substring of two characters or more (app/publicity/search.py): PostgreSQL
    # keeps the measures' bigrams in a GIN index; SQLite reads its few thousand rows.
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_policy_measures_search_bigrams', 'policy_measures',
            [sa.text("string_to_array(search_bigrams, ' ')")], postgresql_using='gin',
        )

    op.create_table('publicity_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('holder_kind', sa.Enum('national_committee', 'industry_committee', 'department', 'university', name='holder_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.Column('university_code', sa.String(length=10), nullable=True),
    sa.Column('place', sa.Enum('park', 'enterprise', 'campus', 'community', name='publicity_place', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('audience', sa.Integer(), nullable=False),
    sa.CheckConstraint('audience >= 0', name=op.f('ck_publicity_sessions_audience_not_negative')),
    sa.ForeignKeyConstraint(['university_code'], ['universities.code'], name=op.f('fk_publicity_sessions_university_code_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_sessions'))
    )
    with op.batch_alter_table('publicity_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicity_sessions_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_sessions_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_sessions_university_code'), ['university_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('publicity_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicity_sessions_university_code'))
        batch_op.drop_index(batch_op.f('ix_publicity_sessions_province'))
        batch_op.drop_index(batch_op.f('ix_publicity_sessions_held_on'))

    op.drop_table('publicity_sessions')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_policy_measures_search_bigrams', table_name='policy_measures')
    with op.batch_alter_table('policy_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_measures_published_on'))
        batch_op.drop_index(batch_op.f('ix_policy_measures_province'))

    op.drop_table('policy_measures')
