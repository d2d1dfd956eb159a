"""Typed rows the store hands out and takes in for documents and review candidates."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentMeta:
    case_id: str
    id: str  # sha256 of the decoded text
    path: str | None
    source_id: str | None
    title: str | None
    date: str | None
    status: str  # extracted | flagged | duplicate


@dataclass(frozen=True)
class Document:
    """An ingested document, text included."""
    case_id: str
    id: str
    text: str
    status: str
    path: str | None = None
    source_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    language: str | None = None
    simhash: str | None = None
    note: str | None = None

    def row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NewCandidate:
    """An extracted item waiting for review, as ingest hands it to the store."""
    id: str
    document_id: str
    kind: str  # statement | event | figure | contradiction
    data: dict[str, Any]
    start: int | None = None
    end: int | None = None
    confidence: float | None = None


@dataclass
class Candidate:
    case_id: str
    id: str
    document_id: str
    kind: str
    start: int | None
    end: int | None
    confidence: float | None
    data: dict[str, Any]
    status: str  # pending | accepted | rejected
    auto_accepted: bool
    reviewer: str | None
    reviewed_at: dt.datetime | None
    version: int

    def audit(self) -> dict[str, Any]:
        """What the audit log keeps of a candidate."""
        return {"id": self.id, "kind": self.kind, "status": self.status, "data": dict(self.data),
                "version": self.version, "reviewer": self.reviewer}


@dataclass(frozen=True)
class Span:
    """Where an accepted candidate's text sits in its document."""
    candidate_id: str
    document_id: str
    source_id: str | None
    start: int | None
    end: int | None
    text: str


@dataclass
class ImportResult:
    """What a (re-)import did or, with `dry_run`, would do. Lists hold `kind:id`."""
    case_id: str
    revision: int
    created: bool
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # kind:id -> fields that differ
    unchanged: int = 0
    kept: dict[str, str] = field(default_factory=dict)  # kind:id -> why it stays though not in the folder
    deleted: list[str] = field(default_factory=list)
    backup: str | None = None
    dry_run: bool = False

    def lines(self) -> list[str]:
        """The diff, one line per record: + added, ~ changed (fields), - deleted, = kept."""
        out = [f"+ {r}" for r in self.added]
        out += [f"~ {r} ({', '.join(f)})" for r, f in self.changed.items()]
        out += [f"- {r}" for r in self.deleted]
        out += [f"= {r} kept: {why}" for r, why in self.kept.items()]
        return out
