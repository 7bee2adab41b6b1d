"""key-group assistance ledgers: graduates in difficulty (personal data encrypted), their
statuses and services, service standards, their kept figures; the permission to reveal
personal data

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 15:39:58.123958

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The key groups (重点群体) of the Ministry's assistance ledgers, in the order they are listed.
DIFFICULTY_GROUPS = [
    ('poverty_registered', '建档立卡脱贫家庭'),
    ('minimum_living', '低保家庭'),
    ('zero_employment', '零就业家庭'),
    ('disabled', '残疾'),
    ('long_unemployed', '较长时间未就业'),
    ('other', '其他'),
]


def upgrade() -> None:
    op.create_table('assistance_standards',
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.Enum('consultation', 'resume', 'referral', 'training', 'subsidy', 'counselling', name='service_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('minimum', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('minimum BETWEEN 1 AND 100', name=op.f('ck_assistance_standards_minimum_in_range')),
    sa.PrimaryKeyConstraint('province', 'kind', name=op.f('pk_assistance_standards'))
    )
    op.create_table('difficulty_groups',
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_difficulty_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_difficulty_groups_name'))
    )
    op.bulk_insert(
        sa.table('difficulty_groups', sa.column('code'), sa.column('name'), sa.column('position')),
        [
            {'code': code, 'name': name, 'position': position}
            for position, (code, name) in enumerate(DIFFICULTY_GROUPS, start=1)
        ],
    )
    op.create_table('assisted_graduates',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('university_code', sa.String(length=10), nullable=False),
    sa.Column('cohort', sa.SmallInteger(), nullable=False, comment='届别'),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.Column('id_number_cipher', sa.Text(), nullable=True),
    sa.Column('id_number_hash', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=18), nullable=True),
    sa.Column('phone_cipher', sa.Text(), nullable=True),
    sa.Column('phone_masked', sa.String(length=11), nullable=True),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('major', sa.String(length=100), nullable=True),
    sa.Column('education', sa.Enum('vocational', 'bachelor', 'master', 'doctorate', name='graduate_education', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('mentor', sa.String(length=50), nullable=True, comment='一对一帮扶责任人'),
    sa.Column('status', sa.Enum('unemployed', 'signed', 'flexible', 'further_study', 'military', 'grassroots', 'not_seeking', name='employment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=False),
    sa.Column('consultations', sa.Integer(), nullable=False),
    sa.Column('resume_revisions', sa.Integer(), nullable=False),
    sa.Column('referrals', sa.Integer(), nullable=False),
    sa.Column('trainings', sa.Integer(), nullable=False),
    sa.Column('subsidies', sa.Integer(), nullable=False),
    sa.Column('counselling_sessions', sa.Integer(), nullable=False),
    sa.Column('training_hours', sa.Integer(), nullable=False),
    sa.Column('standard_met', sa.Boolean(), nullable=False),
    sa.Column('external_ref', sa.String(length=64), nullable=True, comment='台账编号'),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deidentified_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('cohort BETWEEN 2000 AND 2100', name=op.f('ck_assisted_graduates_cohort_in_range')),
    sa.ForeignKeyConstraint(['university_code'], ['universities.code'], name=op.f('fk_assisted_graduates_university_code_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assisted_graduates')),
    sa.UniqueConstraint('cohort', 'id_number_hash', name=op.f('uq_assisted_graduates_cohort_id_number_hash')),
    sa.UniqueConstraint('university_code', 'external_ref', name=op.f('uq_assisted_graduates_university_code_external_ref'))
    )
    with op.batch_alter_table('assisted_graduates', schema=None) as batch_op:
        batch_op.create_index('ix_assisted_graduates_cohort_status', ['cohort', 'status'], unique=False)
        batch_op.create_index('ix_assisted_graduates_cohort_standard_met_id', ['cohort', 'standard_met', 'id'], unique=False)
        batch_op.create_index('ix_assisted_graduates_cohort_standard_met_university', ['cohort', 'standard_met', 'university_code', 'id'], unique=False)
        batch_op.create_index('ix_assisted_graduates_university_code_cohort', ['university_code', 'cohort'], unique=False)

    op.create_table('assisted_graduate_groups',
    sa.Column('graduate_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('group_code', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['assisted_graduates.id'], name=op.f('fk_assisted_graduate_groups_graduate_id_assisted_graduates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_code'], ['difficulty_groups.code'], name=op.f('fk_assisted_graduate_groups_group_code_difficulty_groups'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('graduate_id', 'group_code', name=op.f('pk_assisted_graduate_groups'))
    )
    with op.batch_alter_table('assisted_graduate_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assisted_graduate_groups_group_code'), ['group_code'], unique=False)

    op.create_table('assisted_status_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('graduate_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.Enum('unemployed', 'signed', 'flexible', 'further_study', 'military', 'grassroots', 'not_seeking', name='employment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['assisted_graduates.id'], name=op.f('fk_assisted_status_changes_graduate_id_assisted_graduates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assisted_status_changes'))
    )
    with op.batch_alter_table('assisted_status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_assisted_status_changes_graduate_id_effective_on', ['graduate_id', 'effective_on'], unique=False)

    op.create_table('assistance_services',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('graduate_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('consultation', 'resume', 'referral', 'training', 'subsidy', 'counselling', name='service_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('service_date', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=50), nullable=False, comment='by whom'),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('vacancy_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('programme', sa.String(length=100), nullable=True, comment='e.g. 宏志助航'),
    sa.Column('hours', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=True, comment='yuan'),
    sa.Column('external_ref', sa.String(length=64), nullable=True, comment='台账编号'),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_assistance_services_amount_not_negative')),
    sa.CheckConstraint('hours IS NULL OR hours > 0', name=op.f('ck_assistance_services_hours_positive')),
    sa.ForeignKeyConstraint(['graduate_id'], ['assisted_graduates.id'], name=op.f('fk_assistance_services_graduate_id_assisted_graduates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_assistance_services_vacancy_id_vacancies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_services'))
    )
    with op.batch_alter_table('assistance_services', schema=None) as batch_op:
        batch_op.create_index('ix_assistance_services_graduate_id_kind', ['graduate_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_services_service_date'), ['service_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_services_vacancy_id'), ['vacancy_id'], unique=False)

    op.create_table('assistance_counts',
    sa.Column('cohort', sa.SmallInteger(), nullable=False),
    sa.Column('university_code', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Enum('unemployed', 'signed', 'flexible', 'further_study', 'military', 'grassroots', 'not_seeking', name='employment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('standard_met', sa.Boolean(), nullable=False),
    sa.Column('graduates', sa.Integer(), nullable=False),
    sa.Column('trained', sa.Integer(), nullable=False),
    sa.Column('training_hours', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('cohort', 'university_code', 'status', 'standard_met', name=op.f('pk_assistance_counts'))
    )
    op.create_table('assistance_group_counts',
    sa.Column('cohort', sa.SmallInteger(), nullable=False),
    sa.Column('university_code', sa.String(length=10), nullable=False),
    sa.Column('group_code', sa.String(length=24), nullable=False),
    sa.Column('placed', sa.Boolean(), nullable=False),
    sa.Column('graduates', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('cohort', 'university_code', 'group_code', 'placed', name=op.f('pk_assistance_group_counts'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_reveal_personal_data', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('may_reveal_personal_data')

    with op.batch_alter_table('assistance_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistance_services_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_assistance_services_service_date'))
        batch_op.drop_index('ix_assistance_services_graduate_id_kind')

    op.drop_table('assistance_group_counts')
    op.drop_table('assistance_counts')
    op.drop_table('assistance_services')
    with op.batch_alter_table('assisted_status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_assisted_status_changes_graduate_id_effective_on')

    op.drop_table('assisted_status_changes')
    with op.batch_alter_table('assisted_graduate_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assisted_graduate_groups_group_code'))

    op.drop_table('assisted_graduate_groups')
    with op.batch_alter_table('assisted_graduates', schema=None) as batch_op:
        batch_op.drop_index('ix_assisted_graduates_university_code_cohort')
        batch_op.drop_index('ix_assisted_graduates_cohort_standard_met_id')
        batch_op.drop_index('ix_assisted_graduates_cohort_standard_met_university')
        batch_op.drop_index('ix_assisted_graduates_cohort_status')

    op.drop_table('assisted_graduates')
    op.drop_table('difficulty_groups')
    op.drop_table('assistance_standards')
