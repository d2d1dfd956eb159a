"""Read and write cases in the store, atomically.

`Store.save_case` replaces a case in one transaction: a failure half-way leaves the previous
content untouched. Each record carries a `version`; `update_record` refuses a write based on a
stale version (`StaleWrite`), so two analysts editing one item never silently overwrite each other.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from sqlalchemy import Engine, create_engine, delete, event, insert, select, update
from sqlalchemy.engine import Connection

from ..case.models import (
    Actor, Case, CaseMeta, Contradiction, Event, Figure, Issue, Salience, Source, Statement,
)
from . import schema

KIND_MODELS: dict[str, type] = {
    "actor": Actor, "issue": Issue, "source": Source, "statement": Statement, "event": Event,
    "figure": Figure, "salience": Salience, "contradiction": Contradiction,
}
# Case attribute holding each kind's list.
KIND_FIELDS = {
    "actor": "actors", "issue": "issues", "source": "sources", "statement": "statements",
    "event": "events", "figure": "figures", "salience": "saliences", "contradiction": "contradictions",
}


class CaseNotFound(LookupError):
    pass


class StaleWrite(RuntimeError):
    """The record changed since it was read: someone else saved first."""


def default_url() -> str:
    return os.environ.get("ACCORD_DATABASE_URL") or "sqlite:///accord.db"


def _record_id(kind: str, item: Any) -> str:
    return f"{item.actor}:{item.issue}" if kind == "salience" else item.id


def _row(case_id: str, kind: str, seq: int, item: Any) -> dict[str, Any]:
    return {
        "case_id": case_id, "kind": kind, "id": _record_id(kind, item), "seq": seq,
        "date": getattr(item, "date", None), "actor": getattr(item, "actor", None),
        "issue": getattr(item, "issue", None), "status": getattr(item, "status", None),
        "data": item.model_dump(mode="json"), "version": 1,
    }


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

    def ensure_schema(self) -> None:
        # Alembic migrations (accord/store/migrations), so team stores upgrade in place.
        from .migrations import upgrade
        upgrade(self.engine)

    # -- cases -------------------------------------------------------------------------------
    def save_case(self, case: Case) -> None:
        """Insert or replace a case's content in one transaction.

        The case row is updated, not deleted: deleting it would cascade to the case's ingested
        documents and review queue, which a re-import of the folder must keep.
        """
        meta = case.meta.model_dump(mode="json")
        with self.engine.begin() as conn:
            conn.execute(delete(schema.records).where(schema.records.c.case_id == case.meta.id))
            updated = conn.execute(update(schema.cases).where(schema.cases.c.id == case.meta.id).values(meta=meta))
            if updated.rowcount == 0:
                conn.execute(insert(schema.cases).values(id=case.meta.id, meta=meta))
            rows = [
                _row(case.meta.id, kind, seq, item)
                for kind, field in KIND_FIELDS.items()
                for seq, item in enumerate(getattr(case, field))
            ]
            if rows:
                conn.execute(insert(schema.records), rows)

    def case_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r.id for r in conn.execute(select(schema.cases.c.id).order_by(schema.cases.c.id))]

    def has_case(self, case_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.cases.c.id).where(schema.cases.c.id == case_id)).first() is not None

    def load_case(self, case_id: str) -> Case:
        with self.engine.connect() as conn:
            meta = conn.execute(select(schema.cases.c.meta).where(schema.cases.c.id == case_id)).scalar()
            if meta is None:
                raise CaseNotFound(f"no case {case_id!r} in the store")
            lists: dict[str, list[Any]] = {f: [] for f in KIND_FIELDS.values()}
            rows = conn.execute(
                select(schema.records.c.kind, schema.records.c.data)
                .where(schema.records.c.case_id == case_id)
                .order_by(schema.records.c.kind, schema.records.c.seq)
            )
            for kind, data in rows:
                lists[KIND_FIELDS[kind]].append(KIND_MODELS[kind].model_validate(data))
        return Case(meta=CaseMeta.model_validate(meta), **lists)

    # -- single records (review, web edits) ---------------------------------------------------
    def get_record(self, case_id: str, kind: str, record_id: str) -> tuple[Any, int]:
        """The record's model and its version."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.records.c.data, schema.records.c.version).where(
                schema.records.c.case_id == case_id, schema.records.c.kind == kind,
                schema.records.c.id == record_id)).first()
        if row is None:
            raise KeyError(f"no {kind} {record_id!r} in case {case_id!r}")
        return KIND_MODELS[kind].model_validate(row.data), row.version

    def add_record(self, case_id: str, kind: str, item: Any, conn: Connection | None = None) -> None:
        def run(c: Connection) -> None:
            seq = c.execute(select(schema.records.c.seq).where(
                schema.records.c.case_id == case_id, schema.records.c.kind == kind
            ).order_by(schema.records.c.seq.desc()).limit(1)).scalar()
            c.execute(insert(schema.records).values(**_row(case_id, kind, (seq or 0) + 1, item)))
        self._in_tx(conn, run)

    def update_record(self, case_id: str, kind: str, item: Any, expected_version: int,
                      conn: Connection | None = None) -> int:
        """Replace a record if nobody saved it since `expected_version`; return the new version."""
        def run(c: Connection) -> int:
            row = _row(case_id, kind, 0, item)
            res = c.execute(update(schema.records).where(
                schema.records.c.case_id == case_id, schema.records.c.kind == kind,
                schema.records.c.id == row["id"], schema.records.c.version == expected_version,
            ).values(date=row["date"], actor=row["actor"], issue=row["issue"], status=row["status"],
                     data=row["data"], version=expected_version + 1))
            if res.rowcount != 1:
                raise StaleWrite(f"{kind} {row['id']!r} was changed by someone else; reload and apply your edit again")
            return expected_version + 1
        return self._in_tx(conn, run)

    def _in_tx(self, conn: Connection | None, fn):
        if conn is not None:
            return fn(conn)
        with self.engine.begin() as c:
            return fn(c)

    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction, for callers that write several things atomically."""
        return self.engine.begin()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()

