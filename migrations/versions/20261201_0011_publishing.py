"""Publishing plans to the public (issue 16).

- ``status_updates.is_internal``: a note written as internal never leaves the organization
  (existing notes stay as they were: not internal, server default false).
- ``plan_publications``: whether a plan is public and which parts (statuses and notes, steps,
  evidence files); ``public_attachments``: the evidence files chosen to be public.

Revision ID: 0011
Revises: 0004
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_internal', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('plan_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('show_statuses', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_steps', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_evidence', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('NOT is_public OR published_at IS NOT NULL', name=op.f('ck_plan_publications_public_has_time')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_publications_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_plan_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_publications')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_plan_publications_plan_id'))
    )
    op.create_table('public_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_public_attachments_attachment_id_attachments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['publication_id'], ['plan_publications.id'], name=op.f('fk_public_attachments_publication_id_plan_publications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_attachments')),
    sa.UniqueConstraint('attachment_id', name=op.f('uq_public_attachments_attachment_id'))
    )
    with op.batch_alter_table('public_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_attachments_publication_id'), ['publication_id'], unique=False)


def downgrade():
    with op.batch_alter_table('public_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_attachments_publication_id'))
    op.drop_table('public_attachments')
    op.drop_table('plan_publications')
    # plain DROP COLUMN (SQLite 3.35+): a rebuild of status_updates would cascade to attachments
    op.drop_column('status_updates', 'is_internal')
