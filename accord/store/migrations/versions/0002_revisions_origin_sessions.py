"""Revisions, record origin and server-side sessions.

* `cases.revision` counts imports: a re-import merges into the case as a new revision.
* `records.origin` says where a record came from (folder, review, ingest), so a re-import keeps
  reviewed evidence and the sources of ingested documents. Existing rows are classified from
  what the earlier code wrote: review records have ids `c-<candidate>`, ingest sources are the
  ones a document points at.
* `sessions` holds server-side sessions so logging out ends a session for good.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c['name'] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # Each step only if missing, like 0001: a store made by `create_all` already has them.
    if 'revision' not in _columns('cases'):
        with op.batch_alter_table('cases') as batch:
            batch.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    if 'origin' not in _columns('records'):
        with op.batch_alter_table('records') as batch:
            batch.add_column(sa.Column('origin', sa.String(length=20), server_default='folder', nullable=False))
            batch.create_index('ix_records_case_id', ['case_id', 'id'])
    op.execute(sa.text(
        "UPDATE records SET origin = 'review' WHERE id LIKE 'c-%' "
        "AND kind IN ('statement', 'event', 'figure', 'contradiction')"))
    op.execute(sa.text(
        "UPDATE records SET origin = 'ingest' WHERE kind = 'source' AND EXISTS (SELECT 1 FROM documents d "
        "WHERE d.case_id = records.case_id AND d.source_id = records.id)"))
    if sa.inspect(op.get_bind()).has_table('sessions'):
        return
    op.create_table('sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sessions_user', 'sessions', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_sessions_user', table_name='sessions')
    op.drop_table('sessions')
    with op.batch_alter_table('records') as batch:
        batch.drop_index('ix_records_case_id')
        batch.drop_column('origin')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('revision')
