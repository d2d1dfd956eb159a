"""Initial schema: every table in accord/store/schema.py as of this revision.

Each table is created only if it is missing, so a store made by the earlier `create_all`
(before migrations existed) is adopted as it stands. The audit log gets its append-only
triggers here on both SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# Frozen copies (a migration must not change when the application code does).
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]


def _missing(bind: sa.engine.Connection, name: str) -> bool:
    return not sa.inspect(bind).has_table(name)


def upgrade() -> None:
    bind = op.get_bind()
    # Parents first: the evidence tables reference cases.
    if _missing(bind, 'cases'):
        op.create_table('cases',
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('meta', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
        sa.PrimaryKeyConstraint('id')
        )
    if _missing(bind, 'records'):
        op.create_table('records',
        sa.Column('case_id', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('date', sa.String(length=10), nullable=True),
        sa.Column('actor', sa.String(length=200), nullable=True),
        sa.Column('issue', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'kind', 'id')
        )
        op.create_index('ix_records_case_kind_status', 'records', ['case_id', 'kind', 'status'])
    if _missing(bind, 'documents'):
        op.create_table('documents',
        sa.Column('case_id', sa.String(length=200), nullable=False),
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('path', sa.Text(), nullable=True),
        sa.Column('source_id', sa.String(length=200), nullable=True),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('outlet', sa.Text(), nullable=True),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('date', sa.String(length=10), nullable=True),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('simhash', sa.String(length=16), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('ingested_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'id')
        )
        op.create_index('ix_documents_simhash', 'documents', ['case_id', 'simhash'])
    if _missing(bind, 'candidates'):
        op.create_table('candidates',
        sa.Column('case_id', sa.String(length=200), nullable=False),
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('document_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('start', sa.Integer(), nullable=True),
        sa.Column('end', sa.Integer(), nullable=True),
        sa.Column('confidence', sa.Float(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
        sa.Column('auto_accepted', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('reviewer', sa.String(length=200), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'id')
        )
        op.create_index('ix_candidates_queue', 'candidates', ['case_id', 'status'])
    if _missing(bind, 'document_bands'):
        op.create_table('document_bands',
        sa.Column('case_id', sa.String(length=200), nullable=False),
        sa.Column('key', sa.String(length=24), nullable=False),
        sa.Column('document_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'key', 'document_id')
        )
    if _missing(bind, 'document_signatures'):
        op.create_table('document_signatures',
        sa.Column('case_id', sa.String(length=200), nullable=False),
        sa.Column('document_id', sa.String(length=64), nullable=False),
        sa.Column('minhash', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'document_id')
        )
    if _missing(bind, 'users'):
        op.create_table('users',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('password_hash', sa.Text(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
        sa.Column('password_changed_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('username')
        )
    if _missing(bind, 'audit_log'):
        op.create_table('audit_log',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('action', sa.String(length=50), nullable=False),
        sa.Column('case_id', sa.String(length=200), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=True),
        sa.Column('record_id', sa.String(length=200), nullable=True),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_audit_log_case', 'audit_log', ['case_id', 'at'])
    if _missing(bind, 'login_throttle'):
        op.create_table('login_throttle',
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username', 'ip')
        )
    if _missing(bind, 'settings'):
        op.create_table('settings',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key')
        )
    # The audit log is append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE).
    for stmt in POSTGRES_TRIGGERS if bind.dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(sa.text(stmt))


def downgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_case_kind_status')

    op.drop_table('records')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_simhash')

    op.drop_table('documents')
    op.drop_table('document_signatures')
    op.drop_table('document_bands')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_candidates_queue')

    op.drop_table('candidates')
    op.drop_table('users')
    op.drop_table('settings')
    op.drop_table('login_throttle')
    op.drop_table('cases')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_case')

    op.drop_table('audit_log')
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("DROP FUNCTION IF EXISTS audit_log_append_only()"))
