"""policy positions: programmes (the national ones shipped), quotas per programme, province and year, and the recruitment's dated progress

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 04:31:21.023994

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The national programmes of policy positions (SPEC.md's policy_program codes), with the
# ministries in charge, in the order the Ministry's report names them.
PROGRAMS = [
    ('special_post_teacher', '特岗计划', '教育部、财政部'),
    ('three_supports', '三支一扶', '人力资源社会保障部'),
    ('western_volunteer', '西部计划', '共青团中央、教育部'),
    ('community', '城乡社区专项计划', '民政部、教育部'),
    ('rural_doctor', '大学生乡村医生专项计划', '国家卫生健康委、教育部、中央编办'),
]


def upgrade() -> None:
    op.create_table('policy_programs',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('ministry', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_policy_programs')),
    sa.UniqueConstraint('name', name=op.f('uq_policy_programs_name'))
    )
    with op.batch_alter_table('policy_programs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_programs_province'), ['province'], unique=False)
    programs = sa.table(
        'policy_programs', sa.column('code'), sa.column('name'), sa.column('ministry'),
        sa.column('position'),
    )
    op.bulk_insert(programs, [
        {'code': code, 'name': name, 'ministry': ministry, 'position': position}
        for position, (code, name, ministry) in enumerate(PROGRAMS, 1)
    ])

    op.create_table('policy_quotas',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('program_code', sa.String(length=40), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.CheckConstraint('positions >= 0', name=op.f('ck_policy_quotas_positions_not_negative')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_policy_quotas_year_in_range')),
    sa.ForeignKeyConstraint(['program_code'], ['policy_programs.code'], name=op.f('fk_policy_quotas_program_code_policy_programs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_quotas')),
    sa.UniqueConstraint('program_code', 'province', 'year', name=op.f('uq_policy_quotas_program_code_province_year'))
    )
    with op.batch_alter_table('policy_quotas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_quotas_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_policy_quotas_year'), ['year'], unique=False)

    op.create_table('policy_recruitment_progress',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quota_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Enum('announced', 'applied', 'admitted', 'on_duty', name='recruitment_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.CheckConstraint('people >= 0', name=op.f('ck_policy_recruitment_progress_people_not_negative')),
    sa.ForeignKeyConstraint(['quota_id'], ['policy_quotas.id'], name=op.f('fk_policy_recruitment_progress_quota_id_policy_quotas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_recruitment_progress')),
    sa.UniqueConstraint('quota_id', 'stage', 'as_of', name=op.f('uq_policy_recruitment_progress_quota_id_stage_as_of'))
    )


def downgrade() -> None:
    op.drop_table('policy_recruitment_progress')
    with op.batch_alter_table('policy_quotas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_quotas_year'))
        batch_op.drop_index(batch_op.f('ix_policy_quotas_province'))

    op.drop_table('policy_quotas')
    with op.batch_alter_table('policy_programs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_programs_province'))

    op.drop_table('policy_programs')
