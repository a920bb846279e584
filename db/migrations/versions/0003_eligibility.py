"""rule setting values and stored eligibility checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rule_setting_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_rule_setting_values_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_setting_values')),
    sa.UniqueConstraint('key', 'effective_from', name='key_effective_from'),
    sa.UniqueConstraint('uuid', name=op.f('uq_rule_setting_values_uuid'))
    )
    op.create_index(op.f('ix_rule_setting_values_key'), 'rule_setting_values', ['key'], unique=False)

    op.create_table('eligibility_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('award_code', sa.String(length=30), nullable=False),
    sa.Column('route', sa.String(length=30), nullable=False),
    sa.Column('period_end', sa.Integer(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=False),
    sa.Column('rule_set', sa.String(length=20), nullable=False),
    sa.Column('engine_version', sa.String(length=10), nullable=False),
    sa.Column('result_json', sa.String(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('checked_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['checked_by'], ['users.id'], name=op.f('fk_eligibility_checks_checked_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_eligibility_checks_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_checks')),
    sa.UniqueConstraint('uuid', name=op.f('uq_eligibility_checks_uuid'))
    )
    op.create_index(op.f('ix_eligibility_checks_subject_id'), 'eligibility_checks', ['subject_id'], unique=False)
    op.create_index('ix_eligibility_checks_subject_checked_at', 'eligibility_checks', ['subject_id', 'checked_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_eligibility_checks_subject_checked_at', table_name='eligibility_checks')
    op.drop_index(op.f('ix_eligibility_checks_subject_id'), table_name='eligibility_checks')
    op.drop_table('eligibility_checks')
    op.drop_index(op.f('ix_rule_setting_values_key'), table_name='rule_setting_values')
    op.drop_table('rule_setting_values')
