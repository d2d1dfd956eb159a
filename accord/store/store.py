"""The store: every table and every transaction of accord, on SQLite or PostgreSQL.

Callers (review, ingest, the CLI, the web workspace) never touch a table: they call these
methods, and every write goes through `Store.write`, which commits the change and exactly one
audit row together (accord/store/tx.py). Values either database could not hold are refused
before writing (accord/store/checks.py), with the same message on both.

Records carry a `version`; a write based on a stale version raises `StaleWrite`, so two
analysts editing one item never silently overwrite each other. A re-import merges as a new
revision (accord/store/merge.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select

from ..case.models import Case, CaseMeta
from . import schema
from .audit import AuditLog
from .checks import bounded, findable, only_findable
from .errors import CaseNotFound, Refused, StaleWrite
from .kinds import KIND_FIELDS, KIND_MODELS
from .ledger import LedgerTables
from .merge import merge_case, read_backup
from .tx import ORIGINS, Tx, candidate_from_row, document_from_row
from .types import Candidate, Document, DocumentMeta, ImportResult, Span
from .users import Users, local_actor

__all__ = ["KIND_MODELS", "CaseNotFound", "StaleWrite", "Store", "default_url"]


def default_url() -> str:
    return os.environ.get("ACCORD_DATABASE_URL") or "sqlite:///accord.db"


class Store:
    """A handle on one database. Create with a SQLAlchemy URL (`sqlite:///accord.db`, `postgresql://…`)."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        self.url = url or default_url()
        if self.url.startswith("postgresql://"):
            self.url = "postgresql+psycopg://" + self.url.removeprefix("postgresql://")
        self.engine = engine or create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.ensure_schema()
        self.users = Users(self.engine)
        self.audit = AuditLog(self.engine)
        self.ledger = LedgerTables(self.engine)

    def ensure_schema(self) -> None:
        # Alembic migrations (accord/store/migrations), so team stores upgrade in place.
        from .migrations import upgrade
        upgrade(self.engine)

    # -- the unit of write -------------------------------------------------------------------------
    @contextmanager
    def writes(self) -> Iterator[Connection]:
        """One transaction for several writes that each keep their own audit row (`write(...,
        beside=conn)`): an edit and the accept sent with it are both made or neither."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def write(self, actor: str, action: str, *, case_id: str | None = None, kind: str | None = None,
              record_id: str | None = None, within: Tx | None = None,
              beside: Connection | None = None) -> Iterator[Tx]:
        """One transaction and its one audit row. `within`: run inside another write's transaction
        (its audit row tells of this one); `beside`: inside `writes()`'s, with an audit row of its own."""
        if case_id is not None and not findable(case_id):
            raise Refused("case id", [("case", "contains a NUL character")])
        if beside is not None:
            tx = Tx(beside, actor, action, case_id, kind, record_id)
            yield tx
            tx.finish()
            return
        if within is not None:
            # A savepoint: a refused inner write (an auto-accept) leaves the outer one intact.
            with within.conn.begin_nested():
                tx = Tx(within.conn, actor, action, case_id or within.case_id, kind, record_id, parent=within)
                yield tx
                tx.finish()
            return
        with self.engine.begin() as conn:
            tx = Tx(conn, actor, action, case_id, kind, record_id)
            yield tx
            tx.finish()

    # -- cases -------------------------------------------------------------------------------------
    def save_case(self, case: Case, *, actor: str | None = None, prune: bool = False, dry_run: bool = False,
                  backup_dir: str | Path | None = None) -> ImportResult:
        """Import a case: a new case, or a new revision of an existing one (merged, see merge.py).

        `prune` deletes folder records the case no longer has, after writing a backup into
        `backup_dir`; `dry_run` only reports. Writes made without an `actor` are attributed to
        the operating-system account (`cli:<user>`).
        """
        incoming = [(kind, item, "folder") for kind, field in KIND_FIELDS.items() for item in getattr(case, field)]
        backup = Path(backup_dir) if backup_dir else None
        if dry_run:  # reads only, and leaves no audit row
            with self.engine.connect() as conn:
                return merge_case(Tx(conn, actor or local_actor(), "case.import", case.meta.id), case.meta,
                                  incoming, prune=prune, dry_run=True, backup_dir=backup)
        with self.write(actor or local_actor(), "case.import", case_id=case.meta.id) as tx:
            return merge_case(tx, case.meta, incoming, prune=prune, dry_run=False, backup_dir=backup)

    def restore(self, path: str | Path, *, actor: str | None = None) -> ImportResult:
        """Put a case back as a backup file recorded it, as a new revision; what the restore
        deletes is backed up beside the file first."""
        meta, incoming = read_backup(Path(path))
        with self.write(actor or local_actor(), "case.restore", case_id=meta.id) as tx:
            return merge_case(tx, meta, incoming, prune=True, dry_run=False, backup_dir=Path(path).parent)

    def case_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(schema.cases.c.id).order_by(schema.cases.c.id)).scalars())

    def has_case(self, case_id: str) -> bool:
        return self.case_meta(case_id) is not None

    def case_meta(self, case_id: str) -> CaseMeta | None:
        if not findable(case_id):
            return None
        with self.engine.connect() as conn:
            meta = conn.execute(select(schema.cases.c.meta).where(schema.cases.c.id == case_id)).scalar()
        return None if meta is None else CaseMeta.model_validate(meta)

    def case_stamp(self, case_id: str) -> tuple[int, int] | None:
        """(revision, changes): moves with every write to the case — records, documents, review
        candidates — from any process, for cache keys. None if there is no such case."""
        if not findable(case_id):
            return None
        c = schema.cases.c
        with self.engine.connect() as conn:
            row = conn.execute(select(c.revision, c.changes).where(c.id == case_id)).first()
        return None if row is None else (int(row.revision), int(row.changes))

    def load_case(self, case_id: str) -> Case:
        if not findable(case_id):
            raise CaseNotFound(f"no case {case_id!r} in the store")
        with self.engine.connect() as conn:
            meta = conn.execute(select(schema.cases.c.meta).where(schema.cases.c.id == case_id)).scalar()
            if meta is None:
                raise CaseNotFound(f"no case {case_id!r} in the store")
            lists: dict[str, list[Any]] = {f: [] for f in KIND_FIELDS.values()}
            r = schema.records.c
            for kind, data in conn.execute(select(r.kind, r.data).where(r.case_id == case_id)
                                           .order_by(r.kind, r.seq)):
                lists[KIND_FIELDS[kind]].append(KIND_MODELS[kind].model_validate(data))
        return Case(meta=CaseMeta.model_validate(meta), **lists)

    # -- single records (review, web edits) --------------------------------------------------------
    def get_record(self, case_id: str, kind: str, record_id: str) -> tuple[Any, int]:
        """The record's model and its version; KeyError if there is none."""
        if not findable(case_id, kind, record_id):
            raise KeyError(f"no {kind} {record_id!r} in case {case_id!r}")
        r = schema.records.c
        with self.engine.connect() as conn:
            row = conn.execute(select(r.data, r.version).where(
                r.case_id == case_id, r.kind == kind, r.id == record_id)).first()
        if row is None or kind not in KIND_MODELS:
            raise KeyError(f"no {kind} {record_id!r} in case {case_id!r}")
        return KIND_MODELS[kind].model_validate(row.data), row.version

    def add_record(self, case_id: str, kind: str, item: Any, *, actor: str, origin: str = "edit") -> None:
        """Add one record (checked against the case); audited as `<kind>.add`."""
        if origin not in ORIGINS:
            raise ValueError(f"origin is one of {', '.join(ORIGINS)}")
        with self.write(actor, f"{kind}.add", case_id=case_id, kind=kind) as tx:
            rid = tx.add_record(kind, item, origin=origin)
            tx.describe(after=item, record_id=rid)

    def update_record(self, case_id: str, kind: str, item: Any, expected_version: int, *,
                      actor: str | None = None) -> int:
        """Replace a record if nobody saved it since `expected_version`; return the new version.

        Refused (`Refused`, field-level) if a store could not hold it or it names an actor,
        issue, source or evidence the case does not have; audited as `<kind>.edit`."""
        with self.write(actor or local_actor(), f"{kind}.edit", case_id=case_id, kind=kind) as tx:
            item, rid = tx.check(kind, item)
            old = tx.record(kind, rid)
            if old is None:
                raise KeyError(f"no {kind} {rid!r} in case {case_id!r}")
            version = tx.update_record(kind, item, expected_version)
            tx.describe(before=old[0], after=item, record_id=rid)
        return version

    # -- documents ---------------------------------------------------------------------------------
    def document(self, case_id: str, document_id: str) -> Document | None:
        if not findable(case_id, document_id):
            return None
        d = schema.documents.c
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(d.case_id == case_id, d.id == document_id)).first()
        return None if row is None else document_from_row(row)

    def document_meta(self, case_id: str, document_id: str) -> DocumentMeta | None:
        """A document without its text (cheap: ingest asks this for every file it reads)."""
        if not findable(case_id, document_id):
            return None
        d = schema.documents.c
        with self.engine.connect() as conn:
            row = conn.execute(select(d.case_id, d.id, d.path, d.source_id, d.title, d.date, d.status)
                               .where(d.case_id == case_id, d.id == document_id)).first()
        return None if row is None else DocumentMeta(**row._mapping)

    def documents_for_source(self, case_id: str, source_id: str) -> list[DocumentMeta]:
        if not findable(case_id, source_id):
            return []
        d = schema.documents.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(d.case_id, d.id, d.path, d.source_id, d.title, d.date, d.status)
                                .where(d.case_id == case_id, d.source_id == source_id).order_by(d.date, d.id))
            return [DocumentMeta(**r._mapping) for r in rows]

    def band_members(self, case_id: str, keys: list[str]) -> set[str]:
        """Documents sharing a MinHash band key with `keys` (near-duplicate candidates)."""
        if not keys:
            return set()
        b = schema.document_bands.c
        with self.engine.connect() as conn:
            return set(conn.execute(select(b.document_id).where(b.case_id == case_id, b.key.in_(keys))).scalars())

    def signatures(self, case_id: str, document_ids: list[str]) -> dict[str, str]:
        """The stored MinHash signature (hex) of each document."""
        if not document_ids:
            return {}
        s = schema.document_signatures.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(s.document_id, s.minhash).where(
                s.case_id == case_id, s.document_id.in_(sorted(document_ids)))).all())

    # -- review candidates -------------------------------------------------------------------------
    def candidates(self, case_id: str, *, status: str | None = "pending", min_confidence: float | None = None,
                   limit: int | None = None, offset: int = 0) -> list[Candidate]:
        """Candidates in queue order (document, then position); `status=None` for all."""
        if not findable(case_id, status or ""):
            return []
        limit, offset = bounded(limit), bounded(offset) or 0
        c = schema.candidates.c
        q = select(schema.candidates).where(c.case_id == case_id)
        if status:
            q = q.where(c.status == status)
        if min_confidence is not None:
            q = q.where(c.confidence >= min_confidence)
        q = q.order_by(c.id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [candidate_from_row(r) for r in conn.execute(q)]

    def candidate_counts(self, case_id: str) -> dict[str, int]:
        if not findable(case_id):
            return {}
        c = schema.candidates.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.status, func.count()).where(c.case_id == case_id).group_by(c.status))
            return {s: n for s, n in rows}

    def get_candidate(self, case_id: str, candidate_id: str) -> Candidate:
        if not findable(case_id):
            raise KeyError(f"no candidate {candidate_id!r} in case {case_id!r}")
        with self.engine.connect() as conn:
            return Tx(conn, "", "", case_id).candidate(candidate_id)

    def candidate_spans(self, case_id: str, candidate_ids: list[str]) -> list[Span]:
        """Each candidate's span and its document's text (for evidence shown in context)."""
        candidate_ids = only_findable(candidate_ids)
        if not candidate_ids or not findable(case_id):
            return []
        c, d = schema.candidates.c, schema.documents.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.start, c.end, d.id.label("doc"), d.text, d.source_id)
                                .join(schema.documents, (d.case_id == c.case_id) & (d.id == c.document_id))
                                .where(c.case_id == case_id, c.id.in_(candidate_ids)))
            return [Span(r.id, r.doc, r.source_id, r.start, r.end, r.text) for r in rows]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()
