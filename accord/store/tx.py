"""One write: a transaction, the operations allowed in it, and its single audit row.

`Store.write(actor, action, case_id=…)` opens a `Tx`; everything done through it commits
together with exactly one audit row (who, action, case, kind, record id, before, after), so
no write — CLI, web, ingest or review — goes unaudited and no audit row describes a write that
rolled back. An operation called inside another (ingest auto-accepting a candidate) passes the
outer `Tx`; its description is added to the outer row's `after["also"]`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from ..case.models import ActorKind
from . import audit, schema
from .checks import (
    INT_MAX,
    INT_MIN,
    check_record,
    check_row,
    findable,
    only_findable,
    reference_problems,
    validated,
)
from .errors import Refused, StaleWrite
from .kinds import KIND_MODELS, record_id, record_row
from .types import Candidate, Document, NewCandidate

ORIGINS = ("folder", "review", "ingest", "edit")


def candidate_from_row(row: Any) -> Candidate:
    return Candidate(case_id=row.case_id, id=row.id, document_id=row.document_id, kind=row.kind,
                     start=row.start, end=row.end, confidence=row.confidence, data=dict(row.data or {}),
                     status=row.status, auto_accepted=bool(row.auto_accepted), reviewer=row.reviewer,
                     reviewed_at=row.reviewed_at, version=row.version)


def document_from_row(row: Any) -> Document:
    return Document(**{k: row._mapping[k] for k in Document.__dataclass_fields__})


class Tx:
    def __init__(self, conn: Connection, actor: str, action: str, case_id: str | None,
                 kind: str | None = None, record_id: str | None = None, parent: Tx | None = None):
        self.conn, self.actor, self.action = conn, actor, action
        self.case_id, self.kind, self.record_id = case_id, kind, record_id
        self.before: Any = None
        self.after: Any = None
        self.also: list[dict[str, Any]] = []
        self.parent = parent
        self.written: tuple[Any, Any] = (None, None)

    @property
    def case(self) -> str:
        """The case this write is about (record, document and candidate operations need one)."""
        if self.case_id is None:
            raise ValueError(f"{self.action}: this write names no case")
        return self.case_id

    def describe(self, *, before: Any = None, after: Any = None, kind: str | None = None,
                 record_id: str | None = None) -> None:
        """What the audit row says; the last call wins."""
        self.before, self.after = before, after
        self.kind = kind or self.kind
        self.record_id = record_id or self.record_id

    def finish(self) -> None:
        after = audit.jsonable(self.after)
        if self.also:
            after = (after if isinstance(after, dict) else {"value": after}) | {"also": audit.jsonable(self.also)}
        self.written = (audit.jsonable(self.before), after)  # the row's before and after, as stored
        if self.parent is not None:
            self.parent.also.append({"action": self.action, "kind": self.kind, "record_id": self.record_id,
                                     "before": self.before, "after": after})
            return
        audit.append(self.conn, self.actor, self.action, case_id=self.case_id, kind=self.kind,
                     record_id=self.record_id, before=self.before, after=after)
        if self.case_id is not None:
            c = schema.cases.c
            self.conn.execute(update(schema.cases).where(c.id == self.case_id).values(changes=c.changes + 1))

    # -- reading inside the transaction ----------------------------------------------------------
    def record(self, kind: str, rid: str) -> tuple[Any, int] | None:
        if not findable(kind, rid) or kind not in KIND_MODELS:
            return None
        r = schema.records.c
        row = self.conn.execute(select(r.data, r.version).where(
            r.case_id == self.case_id, r.kind == kind, r.id == rid)).first()
        return None if row is None else (KIND_MODELS[kind].model_validate(row.data), row.version)

    def records(self, kind: str) -> list[Any]:
        r = schema.records.c
        return [KIND_MODELS[kind].model_validate(d) for d in self.conn.execute(
            select(r.data).where(r.case_id == self.case_id, r.kind == kind).order_by(r.seq)).scalars()]

    def ids(self, kind: str) -> set[str]:
        r = schema.records.c
        return set(self.conn.execute(select(r.id).where(r.case_id == self.case_id, r.kind == kind)).scalars())

    def lookup(self, ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """{id: (kind, actor kind)} for the ids that exist in the case (salience keys excluded)."""
        ids = only_findable(ids)
        if not ids:
            return {}
        r = schema.records.c
        out: dict[str, tuple[str, str | None]] = {}
        for kind, rid, data in self.conn.execute(select(r.kind, r.id, r.data).where(
                r.case_id == self.case_id, r.id.in_(ids), r.kind != "salience")):
            out[rid] = (kind, data.get("kind") if kind == "actor" else None)
        return out

    def candidate(self, candidate_id: str) -> Candidate:
        if not findable(candidate_id):
            raise KeyError(f"no candidate {candidate_id!r} in case {self.case_id!r}")
        c = schema.candidates.c
        row = self.conn.execute(select(schema.candidates).where(
            c.case_id == self.case_id, c.id == candidate_id)).first()
        if row is None:
            raise KeyError(f"no candidate {candidate_id!r} in case {self.case_id!r}")
        return candidate_from_row(row)

    def candidates(self, *, status: str | None = None, ids: list[str] | None = None,
                   document_id: str | None = None, exclude_kind: str | None = None) -> list[Candidate]:
        c = schema.candidates.c
        q = select(schema.candidates).where(c.case_id == self.case_id)
        if status:
            q = q.where(c.status == status)
        if ids is not None:
            q = q.where(c.id.in_(only_findable(ids)))
        if document_id is not None and not findable(document_id):
            return []
        if document_id is not None:
            q = q.where(c.document_id == document_id)
        if exclude_kind:
            q = q.where(c.kind != exclude_kind)
        return [candidate_from_row(r) for r in self.conn.execute(q.order_by(c.id))]

    def document(self, document_id: str) -> Document | None:
        if not findable(document_id):
            return None
        d = schema.documents.c
        row = self.conn.execute(select(schema.documents).where(
            d.case_id == self.case_id, d.id == document_id)).first()
        return None if row is None else document_from_row(row)

    # -- case records ----------------------------------------------------------------------------
    def check(self, kind: str, item: BaseModel) -> tuple[BaseModel, str]:
        """The record validated, and its id; `Refused` if its model, a store or the case's
        references would not have it."""
        if kind not in KIND_MODELS:
            known = ", ".join(KIND_MODELS)
            raise Refused(f"record kind {kind!r}", [("kind", f"is not one of {known}")])
        item = validated(kind, item)
        rid = record_id(kind, item)
        check_record(kind, item, rid)
        problems = reference_problems(kind, item, rid, self.lookup)
        if kind == "actor" and getattr(item, "kind", None) == ActorKind.person.value:  # a str enum
            r = schema.records.c
            cited = self.conn.execute(select(r.id).where(r.case_id == self.case_id, r.kind == "statement",
                                                         r.actor == rid).limit(3)).scalars().all()
            if cited:
                problems.append(("kind", (f"statements {', '.join(cited)} have {rid!r} as their actor; "
                                          "a person can only be a speaker")))
        if problems:
            raise Refused(f"{kind} {rid[:80]!r}", problems)
        return item, rid

    def add_record(self, kind: str, item: BaseModel, *, origin: str) -> str:
        item, rid = self.check(kind, item)
        r = schema.records.c
        if self.conn.execute(select(r.id).where(r.case_id == self.case_id, r.kind == kind, r.id == rid)).first():
            raise Refused(f"{kind} {rid!r}", [("id", f"a {kind} {rid!r} already exists in this case")])
        seq = self.conn.execute(select(func.max(r.seq)).where(r.case_id == self.case_id, r.kind == kind)).scalar()
        self.conn.execute(insert(schema.records).values(
            **record_row(self.case, kind, (seq or 0) + 1, item), version=1, origin=origin))
        return rid

    def update_record(self, kind: str, item: BaseModel, expected_version: int) -> int:
        """Replace a record if nobody saved it since `expected_version`; the new version."""
        item, rid = self.check(kind, item)
        if not INT_MIN <= expected_version < INT_MAX:  # no record has it (and the column could not hold +1)
            raise StaleWrite(f"{kind} {rid!r} is not at version {expected_version}; reload and apply your edit again")
        row = record_row(self.case, kind, 0, item)
        r = schema.records.c
        res = self.conn.execute(update(schema.records).where(
            r.case_id == self.case_id, r.kind == kind, r.id == rid, r.version == expected_version,
        ).values(date=row["date"], actor=row["actor"], issue=row["issue"], status=row["status"],
                 data=row["data"], version=expected_version + 1))
        if res.rowcount != 1:
            raise StaleWrite(f"{kind} {rid!r} was changed by someone else; reload and apply your edit again")
        return expected_version + 1

    # -- review candidates -----------------------------------------------------------------------
    def set_candidate(self, cand: Candidate, expected_version: int, *, status: str, reviewer: str,
                      data: dict[str, Any] | None = None, auto: bool = False) -> Candidate:
        """Move a candidate to `status` (optionally with new data) if still at `expected_version`."""
        if not INT_MIN <= expected_version < INT_MAX:
            raise StaleWrite(f"candidate {cand.id!r} is not at version {expected_version}; reload and review it again")
        c = schema.candidates.c
        now = dt.datetime.now(dt.UTC)
        values: dict[str, Any] = {"status": status, "reviewer": reviewer, "reviewed_at": now,
                                  "version": expected_version + 1}
        if auto:
            values["auto_accepted"] = True
        if data is not None:
            values["data"] = data
            if "confidence" in data:
                values["confidence"] = data["confidence"]
        check_row(schema.candidates, values, f"candidate {cand.id!r}")
        res = self.conn.execute(update(schema.candidates).where(
            c.case_id == cand.case_id, c.id == cand.id, c.version == expected_version).values(**values))
        if res.rowcount != 1:
            raise StaleWrite(f"candidate {cand.id!r} was changed by someone else; reload and review it again")
        return Candidate(**{**cand.__dict__, "status": status, "reviewer": reviewer, "reviewed_at": now,
                            "version": expected_version + 1, "auto_accepted": cand.auto_accepted or auto,
                            "data": data if data is not None else cand.data,
                            "confidence": (data or {}).get("confidence", cand.confidence)})

    # -- ingest ----------------------------------------------------------------------------------
    def add_document(self, doc: Document) -> None:
        row = doc.row() | {"case_id": self.case_id}
        check_row(schema.documents, row, f"document {doc.id[:64]!r}")
        self.conn.execute(insert(schema.documents).values(**row))

    def add_fingerprint(self, document_id: str, minhash_hex: str, band_keys: list[str]) -> None:
        """The MinHash signature and LSH band keys near-duplicate lookup uses (accord/ingest/dedup.py)."""
        self.conn.execute(insert(schema.document_signatures).values(
            case_id=self.case_id, document_id=document_id, minhash=minhash_hex))
        keys = list(dict.fromkeys(band_keys))
        if keys:
            self.conn.execute(insert(schema.document_bands), [
                {"case_id": self.case_id, "key": k, "document_id": document_id} for k in keys])

    def add_candidates(self, cands: list[NewCandidate]) -> None:
        rows = []
        for cand in cands:
            row = {"case_id": self.case_id, "id": cand.id, "document_id": cand.document_id, "kind": cand.kind,
                   "start": cand.start, "end": cand.end, "confidence": cand.confidence, "data": cand.data,
                   "status": "pending"}
            check_row(schema.candidates, row, f"candidate {cand.id[:80]!r}")
            rows.append(row)
        if rows:
            self.conn.execute(insert(schema.candidates), rows)

