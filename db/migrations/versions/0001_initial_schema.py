"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24

Also creates the FTS5 index over subjects.search_text and the triggers that keep it
in step. A later batch migration that recreates `subjects` drops these triggers and
must create them again (SEARCH_INDEX_SQL below).
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


SEARCH_INDEX_SQL = (
    # `kind` is indexed too, so that a search within one kind counts its matches in the index.
    """CREATE VIRTUAL TABLE subjects_fts USING fts5(
        search_text, kind, content='subjects', content_rowid='id', tokenize='unicode61',
        prefix='1 2 3')""",
    """CREATE TRIGGER subjects_fts_ai AFTER INSERT ON subjects BEGIN
        INSERT INTO subjects_fts(rowid, search_text, kind) VALUES (new.id, new.search_text, new.kind);
    END""",
    """CREATE TRIGGER subjects_fts_ad AFTER DELETE ON subjects BEGIN
        INSERT INTO subjects_fts(subjects_fts, rowid, search_text, kind)
        VALUES ('delete', old.id, old.search_text, old.kind);
    END""",
    """CREATE TRIGGER subjects_fts_au AFTER UPDATE OF search_text ON subjects BEGIN
        INSERT INTO subjects_fts(subjects_fts, rowid, search_text, kind)
        VALUES ('delete', old.id, old.search_text, old.kind);
        INSERT INTO subjects_fts(rowid, search_text, kind) VALUES (new.id, new.search_text, new.kind);
    END""",
)


def upgrade() -> None:
    op.create_table('commune_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('province_name', sa.String(length=100), nullable=False),
    sa.Column('commune_code', sa.Integer(), nullable=False),
    sa.Column('commune_name', sa.String(length=100), nullable=False),
    sa.Column('commune_kind', sa.String(length=20), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('issuer_symbol', sa.String(length=30), nullable=False),
    sa.Column('council_symbol', sa.String(length=30), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_profile'))
    )
    op.create_table('officials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('full_name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officials'))
    )
    op.create_table('subjects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.String(length=400), nullable=False),
    sa.Column('sort_key', sa.String(length=600), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('individual', 'collective', 'household', 'village')", name=op.f('ck_subjects_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subjects')),
    sa.UniqueConstraint('uuid', name=op.f('uq_subjects_uuid'))
    )
    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subjects_sort_key'), ['sort_key'], unique=False)
        batch_op.create_index('ix_subjects_kind_sort_key', ['kind', 'sort_key'], unique=False)

    op.create_table('annual_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_annual_ratings_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_ratings')),
    sa.UniqueConstraint('subject_id', 'year', name='subject_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_annual_ratings_uuid'))
    )
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('award_code', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('basis_kind', sa.String(length=30), nullable=False),
    sa.Column('decision_number', sa.String(length=50), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_awards_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('uuid', name=op.f('uq_awards_uuid'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index('ix_awards_subject_year', ['subject_id', 'year'], unique=False)

    op.create_table('disciplines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=30), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_disciplines_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disciplines')),
    sa.UniqueConstraint('uuid', name=op.f('uq_disciplines_uuid'))
    )
    with op.batch_alter_table('disciplines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disciplines_subject_id'), ['subject_id'], unique=False)

    op.create_table('initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('recognised_by', sa.String(length=200), nullable=False),
    sa.Column('decision_number', sa.String(length=50), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_initiatives_subject_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives')),
    sa.UniqueConstraint('uuid', name=op.f('uq_initiatives_uuid'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiatives_subject_id'), ['subject_id'], unique=False)

    op.create_table('villages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_kind', sa.String(length=20), nullable=False),
    sa.Column('difficult_area', sa.Boolean(), nullable=False),
    sa.Column('ethnic_minority_area', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['subjects.id'], name=op.f('fk_villages_id_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_villages'))
    )
    op.create_table('collectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collective_kind', sa.String(length=30), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['subjects.id'], name=op.f('fk_collectives_id_subjects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['collectives.id'], name=op.f('fk_collectives_parent_id_collectives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_collectives_village_id_villages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collectives'))
    )
    with op.batch_alter_table('collectives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collectives_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collectives_village_id'), ['village_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['subjects.id'], name=op.f('fk_households_id_subjects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_households_village_id_villages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_village_id'), ['village_id'], unique=False)

    op.create_table('individuals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('ethnicity', sa.String(length=50), nullable=False),
    sa.Column('religion', sa.String(length=50), nullable=False),
    sa.Column('home_town', sa.String(length=200), nullable=False),
    sa.Column('residence', sa.String(length=200), nullable=False),
    sa.Column('citizen_id', sa.String(length=12), nullable=True),
    sa.Column('job_title', sa.String(length=150), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('employment', sa.String(length=30), nullable=False),
    sa.Column('direct_labour', sa.Boolean(), nullable=False),
    sa.Column('employment_start', sa.Date(), nullable=True),
    sa.Column('ethnic_minority', sa.Boolean(), nullable=False),
    sa.Column('difficult_area', sa.Boolean(), nullable=False),
    sa.CheckConstraint("gender IN ('male', 'female')", name=op.f('ck_individuals_gender')),
    sa.ForeignKeyConstraint(['id'], ['subjects.id'], name=op.f('fk_individuals_id_subjects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['collectives.id'], name=op.f('fk_individuals_unit_id_collectives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_individuals_village_id_villages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_individuals'))
    )
    with op.batch_alter_table('individuals', schema=None) as batch_op:
        batch_op.create_index('ix_individuals_birth_date', ['birth_date'], unique=False)
        batch_op.create_index('ix_individuals_citizen_id', ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_individuals_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_individuals_village_id'), ['village_id'], unique=False)

    op.create_table('collective_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collective_id', sa.Integer(), nullable=False),
    sa.Column('individual_id', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['collective_id'], ['collectives.id'], name=op.f('fk_collective_members_collective_id_collectives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['individual_id'], ['individuals.id'], name=op.f('fk_collective_members_individual_id_individuals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collective_members'))
    )
    with op.batch_alter_table('collective_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collective_members_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collective_members_individual_id'), ['individual_id'], unique=False)

    op.create_table('household_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('individual_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=50), nullable=False),
    sa.Column('is_head', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_members_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['individual_id'], ['individuals.id'], name=op.f('fk_household_members_individual_id_individuals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_members')),
    sa.UniqueConstraint('household_id', 'individual_id', name='member')
    )
    with op.batch_alter_table('household_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_members_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_members_individual_id'), ['individual_id'], unique=False)
    for statement in SEARCH_INDEX_SQL:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE subjects_fts")
    with op.batch_alter_table('household_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_members_individual_id'))
        batch_op.drop_index(batch_op.f('ix_household_members_household_id'))

    op.drop_table('household_members')
    with op.batch_alter_table('collective_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collective_members_individual_id'))
        batch_op.drop_index(batch_op.f('ix_collective_members_collective_id'))

    op.drop_table('collective_members')
    with op.batch_alter_table('individuals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_individuals_village_id'))
        batch_op.drop_index(batch_op.f('ix_individuals_unit_id'))
        batch_op.drop_index('ix_individuals_citizen_id')
        batch_op.drop_index('ix_individuals_birth_date')

    op.drop_table('individuals')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_village_id'))

    op.drop_table('households')
    with op.batch_alter_table('collectives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collectives_village_id'))
        batch_op.drop_index(batch_op.f('ix_collectives_parent_id'))

    op.drop_table('collectives')
    op.drop_table('villages')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiatives_subject_id'))

    op.drop_table('initiatives')
    with op.batch_alter_table('disciplines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disciplines_subject_id'))

    op.drop_table('disciplines')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index('ix_awards_subject_year')

    op.drop_table('awards')
    op.drop_table('annual_ratings')
    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.drop_index('ix_subjects_kind_sort_key')
        batch_op.drop_index(batch_op.f('ix_subjects_sort_key'))

    op.drop_table('subjects')
    op.drop_table('officials')
    op.drop_table('commune_profile')
