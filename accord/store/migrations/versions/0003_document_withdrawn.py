"""Withdrawn documents: `documents.withdrawn` holds who withdrew a document, when and why, and
the records that left the analysis with it, so `accord sources restore` can put them back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only if missing, like 0001/0002: a store made by `create_all` already has it.
    if 'withdrawn' not in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('documents')}:
        with op.batch_alter_table('documents') as batch:
            batch.add_column(sa.Column('withdrawn', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('withdrawn')
