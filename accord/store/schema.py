"""Tables of the evidence store (SQLAlchemy Core, portable between SQLite and PostgreSQL).

Case content lives in one `records` table keyed by (case, kind, id): each row carries the
validated model as JSON plus the columns that queries filter on. One table keeps import,
export, review and the audit trail on a single code path for every kind of evidence.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

RECORD_KINDS = ("actor", "issue", "source", "statement", "event", "figure", "salience", "contradiction")

cases = Table(
    "cases", metadata,
    Column("id", String(200), primary_key=True),
    Column("meta", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), onupdate=func.now()),
    # Imports of a folder so far: a re-import is a new revision (accord/store/merge.py).
    Column("revision", Integer, nullable=False, server_default="0"),
    # Writes to the case so far (records, documents, candidates): moved by every write in its own
    # transaction, so caches keyed by it see every change from any worker or the CLI.
    Column("changes", Integer, nullable=False, server_default="0"),
)

records = Table(
    "records", metadata,
    Column("case_id", String(200), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False),  # keeps the author's order for a lossless export
    Column("date", String(10)),
    Column("actor", String(200)),
    Column("issue", String(200)),
    Column("status", String(20)),
    Column("data", JSON, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    # Where the record came from: folder (an import), review (an accepted candidate) or ingest
    # (a document's source). A re-import never deletes review or ingest records.
    Column("origin", String(20), nullable=False, server_default="folder"),
)
Index("ix_records_case_kind_status", records.c.case_id, records.c.kind, records.c.status)
# Ids are unique across kinds in a case folder; this index makes the store's check cheap.
Index("ix_records_case_id", records.c.case_id, records.c.id)
# The next `seq` of a kind is max(seq) + 1: without this index every add scans the kind's rows, and
# ingesting N documents (a source each) costs O(N^2) (migration 0006).
Index("ix_records_case_kind_seq", records.c.case_id, records.c.kind, records.c.seq)

documents = Table(
    "documents", metadata,
    Column("case_id", String(200), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(64), primary_key=True),  # sha256 of the decoded text
    Column("path", Text),
    Column("source_id", String(200)),
    Column("title", Text),
    Column("outlet", Text),
    Column("url", Text),
    Column("date", String(10)),
    Column("language", String(16)),
    Column("simhash", String(16)),
    Column("text", Text, nullable=False),
    Column("status", String(20), nullable=False),  # extracted | flagged | duplicate
    Column("note", Text),
    Column("ingested_at", DateTime(timezone=True), server_default=func.now()),
    # who withdrew it, when, why, and the records that left the analysis with it (migration 0003)
    Column("withdrawn", JSON),
)
Index("ix_documents_simhash", documents.c.case_id, documents.c.simhash)

candidates = Table(
    "candidates", metadata,
    Column("case_id", String(200), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("document_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),  # statement | event | figure | contradiction
    Column("start", Integer),
    Column("end", Integer),
    Column("confidence", Float),
    Column("data", JSON, nullable=False),
    Column("status", String(20), nullable=False, server_default="pending"),  # pending|accepted|rejected
    Column("auto_accepted", Boolean, nullable=False, server_default="0"),
    Column("reviewer", String(200)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
)
Index("ix_candidates_queue", candidates.c.case_id, candidates.c.status)

# -- the web workspace: accounts, the audit log, login throttling, settings -------------------
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("role", String(20), nullable=False),  # viewer | analyst | admin
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("password_changed_at", DateTime(timezone=True), server_default=func.now()),
)

# Server-side sessions: the cookie carries a random token, the store its SHA-256. Logging out,
# a password change or deactivation ends the session here, so a copied cookie stops working.
sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)
Index("ix_sessions_user", sessions.c.user_id)

# Append-only: the migrations add triggers that refuse UPDATE and DELETE on both dialects.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("username", String(100), nullable=False),
    Column("action", String(50), nullable=False),  # e.g. review.accept, record.edit, user.add
    Column("case_id", String(200)),
    Column("kind", String(20)),
    Column("record_id", String(200)),
    Column("before", JSON),
    Column("after", JSON),
)
Index("ix_audit_log_case", audit_log.c.case_id, audit_log.c.at)

# Failed logins per (username, client address): the backoff survives restarts and is shared by workers.
login_throttle = Table(
    "login_throttle", metadata,
    Column("username", String(100), primary_key=True),
    Column("ip", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_failure_at", DateTime(timezone=True)),
)

# Instance settings such as the session-signing key, shared by every worker on the same store.
settings = Table(
    "settings", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# -- ingest: near-duplicate lookup (accord/ingest/dedup.py) ------------------------------------
# MinHash LSH: one row per (document, band); documents sharing a band key are compared.
document_bands = Table(
    "document_bands", metadata,
    Column("case_id", String(200), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(24), primary_key=True),  # band number (2 digits) + hash of the band's values
    Column("document_id", String(64), primary_key=True),
)

# The MinHash signature each candidate pair is verified with (64 uint32 values, hex).
document_signatures = Table(
    "document_signatures", metadata,
    Column("case_id", String(200), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", String(64), primary_key=True),
    Column("minhash", Text, nullable=False),
)
