"""Test helpers: put a document and a candidate in the store as ingest would, through the store API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from accord.case.models import Source
from accord.cli.main import app
from accord.store import Document, NewCandidate, Store

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny-case"
TEXT = "Wire, 5 September. Aland's president said Aland would now settle for the current line of contact."


def ingest_one(store: Store, case_id: str = "tiny", *, text: str = TEXT, cand_id: str = "k1",
               data: dict | None = None, own_source: bool = True) -> str:
    """One document with one pending statement candidate; its own ingest source unless told not to."""
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    source_id = f"doc-{doc_id[:16]}" if own_source else "wire-2"
    start = text.index("Aland would")
    with store.write("ingest-test", "ingest.document", case_id=case_id, kind="document", record_id=doc_id) as tx:
        if own_source:
            tx.add_record("source", Source(id=source_id, outlet="Wire", date="2025-09-05",
                                           note="ingested from d.txt"), origin="ingest")
        tx.add_document(Document(case_id=case_id, id=doc_id, path="/srv/d.txt", source_id=source_id,
                                 title="A wire report", date="2025-09-05", language="en", text=text,
                                 status="extracted"))
        tx.add_candidates([NewCandidate(id=cand_id, document_id=doc_id, kind="statement", start=start,
                                        end=len(text) - 1, confidence=0.9,
                                        data=data or {"actor": "AAA", "issue": "border", "stance": "CONCEDE",
                                                      "role": "ideal", "position": 50, "date": "2025-09-05"})])
    return doc_id


def cli(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)
