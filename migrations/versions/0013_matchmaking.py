"""matchmaking: sessions with the universities and employers that took part (each employer in one of the 15 key fields, shipped), cooperation intents and their dated follow-up

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 07:18:06.298856

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 15 key fields (重点领域) of the Ministry's school–enterprise matchmaking, in the order its
# report begins to name them (能源动力、装备制造等15个重点领域).
KEY_FIELDS = [
    ('energy_power', '能源动力'),
    ('equipment_manufacturing', '装备制造'),
    ('electronic_information', '电子信息'),
    ('integrated_circuits', '集成电路'),
    ('artificial_intelligence', '人工智能'),
    ('new_materials', '新材料'),
    ('biomedicine', '生物医药'),
    ('aerospace', '航空航天'),
    ('marine_engineering', '海洋工程'),
    ('new_energy_vehicles', '新能源汽车'),
    ('modern_agriculture', '现代农业'),
    ('transport_logistics', '交通物流'),
    ('ecology_environment', '生态环保'),
    ('civil_engineering', '土木建筑'),
    ('health_care', '医疗卫生'),
]


def upgrade() -> None:
    op.create_table('matchmaking_key_fields',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_matchmaking_key_fields')),
    sa.UniqueConstraint('name', name=op.f('uq_matchmaking_key_fields_name'))
    )
    fields = sa.table(
        'matchmaking_key_fields', sa.column('code'), sa.column('name'), sa.column('position')
    )
    op.bulk_insert(fields, [
        {'code': code, 'name': name, 'position': position}
        for position, (code, name) in enumerate(KEY_FIELDS, 1)
    ])
    op.create_table('matchmaking_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('format', sa.Enum('supply_demand', 'four_party', 'other', name='session_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.Column('university_code', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['university_code'], ['universities.code'], name=op.f('fk_matchmaking_sessions_university_code_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_sessions'))
    )
    with op.batch_alter_table('matchmaking_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_sessions_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_sessions_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_sessions_university_code'), ['university_code'], unique=False)

    op.create_table('cooperation_intents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('university_code', sa.String(length=10), nullable=False),
    sa.Column('employer_uscc', sa.String(length=18), nullable=False),
    sa.Column('type', sa.Enum('directed_training', 'internship_base', 'joint_research', 'employment_education', 'other', name='intent_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('field_code', sa.String(length=40), nullable=True),
    sa.Column('summary', sa.String(length=200), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('landed_on', sa.Date(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['employer_uscc'], ['employers.uscc'], name=op.f('fk_cooperation_intents_employer_uscc_employers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['field_code'], ['matchmaking_key_fields.code'], name=op.f('fk_cooperation_intents_field_code_matchmaking_key_fields'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_cooperation_intents_session_id_matchmaking_sessions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['university_code'], ['universities.code'], name=op.f('fk_cooperation_intents_university_code_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_intents'))
    )
    with op.batch_alter_table('cooperation_intents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperation_intents_employer_uscc'), ['employer_uscc'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_intents_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_intents_university_code'), ['university_code'], unique=False)

    op.create_table('matchmaking_employers',
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('employer_uscc', sa.String(length=18), nullable=False),
    sa.Column('field_code', sa.String(length=40), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['employer_uscc'], ['employers.uscc'], name=op.f('fk_matchmaking_employers_employer_uscc_employers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['field_code'], ['matchmaking_key_fields.code'], name=op.f('fk_matchmaking_employers_field_code_matchmaking_key_fields'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_employers_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'employer_uscc', name=op.f('pk_matchmaking_employers'))
    )
    with op.batch_alter_table('matchmaking_employers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_employers_employer_uscc'), ['employer_uscc', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_employers_field_code'), ['field_code', 'held_on'], unique=False)

    op.create_table('matchmaking_universities',
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('university_code', sa.String(length=10), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_universities_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['university_code'], ['universities.code'], name=op.f('fk_matchmaking_universities_university_code_universities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('session_id', 'university_code', name=op.f('pk_matchmaking_universities'))
    )
    with op.batch_alter_table('matchmaking_universities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_universities_university_code'), ['university_code', 'held_on'], unique=False)

    op.create_table('cooperation_intent_steps',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('intent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.Enum('intended', 'signed', 'landed', name='intent_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['intent_id'], ['cooperation_intents.id'], name=op.f('fk_cooperation_intent_steps_intent_id_cooperation_intents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_intent_steps')),
    sa.UniqueConstraint('intent_id', 'status', name=op.f('uq_cooperation_intent_steps_intent_id_status'))
    )


def downgrade() -> None:
    op.drop_table('cooperation_intent_steps')
    with op.batch_alter_table('matchmaking_universities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_universities_university_code'))

    op.drop_table('matchmaking_universities')
    with op.batch_alter_table('matchmaking_employers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_employers_field_code'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_employers_employer_uscc'))

    op.drop_table('matchmaking_employers')
    with op.batch_alter_table('cooperation_intents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperation_intents_university_code'))
        batch_op.drop_index(batch_op.f('ix_cooperation_intents_session_id'))
        batch_op.drop_index(batch_op.f('ix_cooperation_intents_employer_uscc'))

    op.drop_table('cooperation_intents')
    with op.batch_alter_table('matchmaking_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_sessions_university_code'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_sessions_province'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_sessions_held_on'))

    op.drop_table('matchmaking_sessions')
    op.drop_table('matchmaking_key_fields')
