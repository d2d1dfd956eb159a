"""Sources of ingested documents: list, edit, withdraw and restore, each write audited.

Written for `accord sources` (accord/cli/sources.py); the store had no operation on a source
with its documents. Every write goes through `Store.write`, so it commits with one audit row.

**Withdrawing** a document takes it out of the analysis without losing anything: in one
transaction its source record, every statement, event and figure citing that source, and every
contradiction naming one of those leave the `records` table (the analysis reads only that) and
are kept, whole, in the document's `withdrawn` column; its pending candidates get the status
`withdrawn` (out of the review queue). The document, its text and its candidates stay in the
store, and the audit row holds what left. **Restoring** puts the same records back (their
versions one higher, so a page opened before the withdrawal gets a conflict rather than saving
over them) and the candidates back to `pending`; it is refused, changing nothing, if the case
has meanwhile taken one of the ids or dropped an actor or issue a record names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, func, insert, select, update

from ..case.models import Source
from . import schema
from .errors import Refused
from .kinds import KIND_MODELS, record_row
from .store import Store
from .tx import Tx

EVIDENCE_CITING_SOURCES = ("statement", "event", "figure")
EDITABLE = ("outlet", "title", "author", "date", "url", "language", "reliability", "credibility",
            "confidential", "public_label", "cited_as", "note")


class DocumentInfo(BaseModel):
    id: str
    path: str | None
    status: str                  # extracted | flagged | duplicate
    language: str | None
    note: str | None
    withdrawn: dict[str, Any] | None = None   # at, by, reason (the kept records are not repeated)
    candidates: dict[str, int] = {}           # status -> count


class SourceEntry(BaseModel):
    """A source and the documents it stands for. `withdrawn`: its document was withdrawn (the
    source is then read from the document's `withdrawn` column and `version` is None)."""

    source: Source
    version: int | None
    origin: str | None
    withdrawn: bool
    documents: list[DocumentInfo]


class WithdrawResult(BaseModel):
    document_id: str
    source_id: str | None
    records: list[str]           # kind:id that left (or came back into) the analysis
    candidates: list[str]        # candidates moved out of (or back into) the review queue


def list_sources(store: Store, case_id: str) -> list[SourceEntry]:
    """Every source of the case (withdrawn ones included), in the case's order, each with its
    documents and their candidates counted by status."""
    r, d, c = schema.records.c, schema.documents.c, schema.candidates.c
    with store.engine.connect() as conn:
        if conn.execute(select(schema.cases.c.id).where(schema.cases.c.id == case_id)).first() is None:
            raise KeyError(f"no case {case_id!r} in the store")
        srcs = conn.execute(select(r.id, r.data, r.version, r.origin).where(
            r.case_id == case_id, r.kind == "source").order_by(r.seq)).all()
        docs = conn.execute(select(d.id, d.path, d.source_id, d.status, d.language, d.note, d.withdrawn)
                            .where(d.case_id == case_id).order_by(d.path, d.id)).all()
        counts: dict[str, dict[str, int]] = {}
        for doc_id, status, n in conn.execute(select(c.document_id, c.status, func.count()).where(
                c.case_id == case_id).group_by(c.document_id, c.status)):
            counts.setdefault(doc_id, {})[status] = n
    by_source: dict[str, list[DocumentInfo]] = {}
    out: list[SourceEntry] = []
    for row in docs:
        info = DocumentInfo(id=row.id, path=row.path, status=row.status, language=row.language, note=row.note,
                            withdrawn={k: v for k, v in row.withdrawn.items() if k != "records"}
                            if row.withdrawn else None, candidates=counts.get(row.id, {}))
        if row.withdrawn and row.source_id:
            kept = next((x for x in row.withdrawn.get("records", []) if x["kind"] == "source"), None)
            if kept is not None:
                out.append(SourceEntry(source=Source.model_validate(kept["data"]), version=None,
                                       origin=kept["origin"], withdrawn=True, documents=[info]))
                continue
        by_source.setdefault(row.source_id or "", []).append(info)
    active = [SourceEntry(source=Source.model_validate(s.data), version=s.version, origin=s.origin,
                          withdrawn=False, documents=by_source.get(s.id, [])) for s in srcs]
    return active + out


def find(store: Store, case_id: str, ref: str) -> tuple[str | None, str | None]:
    """(source id, document id) for a source id, a document id (or a unique prefix of 8+
    characters) or a document's path as ingested. KeyError if none matches, ValueError if
    several do."""
    r, d = schema.records.c, schema.documents.c
    with store.engine.connect() as conn:
        if conn.execute(select(r.id).where(r.case_id == case_id, r.kind == "source", r.id == ref)).first():
            doc = conn.execute(select(d.id).where(d.case_id == case_id, d.source_id == ref)).scalar()
            return ref, doc
        rows = conn.execute(select(d.id, d.source_id).where(d.case_id == case_id, d.source_id == ref)).all()
        if not rows:
            rows = conn.execute(select(d.id, d.source_id).where(d.case_id == case_id, d.path == ref)).all()
        if not rows and len(ref) >= 8:
            rows = conn.execute(select(d.id, d.source_id).where(d.case_id == case_id, d.id.startswith(ref))).all()
    if not rows:
        raise KeyError(f"no source or document {ref!r} in case {case_id!r} (see `accord sources list`)")
    if len(rows) > 1:
        raise ValueError(f"{ref!r} matches {len(rows)} documents; give more of the id")
    return rows[0].source_id, rows[0].id


def edit_source(store: Store, case_id: str, source_id: str, changes: dict[str, Any], *, actor: str,
                expected_version: int) -> Source:
    """Change a source's metadata (and the copy its documents keep); audited as `source.edit`.
    A value of None or "" clears an optional field. Raises Refused with the field at fault."""
    bad = [k for k in changes if k not in EDITABLE]
    if bad:
        raise Refused(f"source {source_id!r}", [(k, f"cannot be edited (fields: {', '.join(EDITABLE)})")
                                                  for k in bad])
    with store.write(actor, "source.edit", case_id=case_id, kind="source", record_id=source_id) as tx:
        old = tx.record("source", source_id)
        if old is None:
            raise KeyError(f"no source {source_id!r} in case {case_id!r} (a withdrawn document's source is "
                           "edited after `accord sources restore`)")
        data = old[0].model_dump(mode="json")
        for k, v in changes.items():
            data[k] = None if v == "" else v
        try:
            new = Source.model_validate(data)
        except ValidationError as exc:
            raise Refused(f"source {source_id!r}", [(".".join(map(str, e["loc"])) or "source",
                                                     e["msg"].removeprefix("Value error, ")) for e in exc.errors()])
        tx.update_record("source", new, expected_version)
        d = schema.documents.c
        tx.conn.execute(update(schema.documents).where(d.case_id == case_id, d.source_id == source_id).values(
            title=new.title, outlet=new.outlet, url=new.url, date=new.date))
        tx.describe(before=old[0], after=new)
    return new


def withdraw(store: Store, case_id: str, document_id: str, *, actor: str, reason: str | None = None
             ) -> WithdrawResult:
    """Take a document and what was drawn from it out of the analysis (see the module docstring)."""
    with store.write(actor, "document.withdraw", case_id=case_id, kind="document", record_id=document_id) as tx:
        doc = _document(tx, document_id)
        if doc.withdrawn:
            when = f"already withdrawn by {doc.withdrawn.get('by')} on {doc.withdrawn.get('at')}"
            raise Refused(f"document {document_id[:16]!r}", [("", when)])
        r = schema.records.c
        taken: list[Any] = []
        if doc.source_id:
            rows = tx.conn.execute(select(r.kind, r.id, r.data, r.version, r.origin, r.seq).where(
                r.case_id == case_id, r.kind.in_(("source",) + EVIDENCE_CITING_SOURCES + ("contradiction",)))
                .order_by(r.kind, r.seq)).all()
            taken = [x for x in rows if (x.kind == "source" and x.id == doc.source_id) or
                     (x.kind in EVIDENCE_CITING_SOURCES and x.data.get("source") == doc.source_id)]
            gone = {x.id for x in taken if x.kind != "source"}
            taken += [x for x in rows if x.kind == "contradiction" and gone & set(x.data.get("items", []))]
        kept = [{"kind": x.kind, "id": x.id, "data": x.data, "version": x.version, "origin": x.origin, "seq": x.seq}
                for x in taken]
        for x in taken:
            tx.conn.execute(delete(schema.records).where(r.case_id == case_id, r.kind == x.kind, r.id == x.id))
        cands = _move_candidates(tx, document_id, "pending", "withdrawn")
        note = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "by": actor, "reason": reason}
        d = schema.documents.c
        tx.conn.execute(update(schema.documents).where(d.case_id == case_id, d.id == document_id).values(
            withdrawn=note | {"records": kept, "candidates": cands}))
        result = WithdrawResult(document_id=document_id, source_id=doc.source_id,
                                records=[f"{x['kind']}:{x['id']}" for x in kept], candidates=cands)
        tx.describe(before={"records": kept}, after=note | result.model_dump())
    return result


def restore(store: Store, case_id: str, document_id: str, *, actor: str) -> WithdrawResult:
    """Put a withdrawn document and its records back into the analysis."""
    with store.write(actor, "document.restore", case_id=case_id, kind="document", record_id=document_id) as tx:
        doc = _document(tx, document_id)
        if not doc.withdrawn:
            raise Refused(f"document {document_id[:16]!r}", [("", "is not withdrawn")])
        kept = doc.withdrawn.get("records", [])
        order = {"source": 0, "contradiction": 2}
        for x in sorted(kept, key=lambda x: order.get(x["kind"], 1)):  # what others cite goes first
            model = KIND_MODELS[x["kind"]].model_validate(x["data"])
            tx.check(x["kind"], model)  # the id is free and every actor, issue and source it names exists
            tx.conn.execute(insert(schema.records).values(
                **record_row(case_id, x["kind"], x["seq"], model), version=x["version"] + 1, origin=x["origin"]))
        cands = _move_candidates(tx, document_id, "withdrawn", "pending")
        d = schema.documents.c
        tx.conn.execute(update(schema.documents).where(d.case_id == case_id, d.id == document_id)
                        .values(withdrawn=None))
        result = WithdrawResult(document_id=document_id, source_id=doc.source_id,
                                records=[f"{x['kind']}:{x['id']}" for x in kept], candidates=cands)
        tx.describe(before={k: v for k, v in doc.withdrawn.items() if k != "records"}, after=result.model_dump())
    return result


def _document(tx: Tx, document_id: str) -> Any:
    d = schema.documents.c
    doc = tx.conn.execute(select(d.id, d.source_id, d.withdrawn).where(
        d.case_id == tx.case_id, d.id == document_id)).first()
    if doc is None:
        raise KeyError(f"no document {document_id!r} in case {tx.case_id!r}")
    return doc


def _move_candidates(tx: Tx, document_id: str, frm: str, to: str) -> list[str]:
    c = schema.candidates.c
    where = (c.case_id == tx.case_id, c.document_id == document_id, c.status == frm)
    ids = list(tx.conn.execute(select(c.id).where(*where).order_by(c.id)).scalars())
    if ids:
        tx.conn.execute(update(schema.candidates).where(*where).values(status=to, version=c.version + 1))
    return ids
