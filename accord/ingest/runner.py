"""The ingest runner: documents in, candidates out, one document per transaction.

The pipeline is a chain of generators (read → fingerprint → dedup → detect language → extract →
store), so one document at a time is in memory, plus the few in flight to extraction workers.

Consistency and resume: each document is written together with its source record, its
fingerprints, its candidates and any auto-accepted records in ONE transaction. A crash or kill
leaves only whole documents in the store; a re-run recognises them by their content hash (the
document id) before extracting anything and skips them.

Extraction is a pure function `extractor(text, *, doc_date, case) -> list[dict]` (items as in docs/extraction.md),
injected so tests and other extractors can stand in for `accord.extract.extract_document`. It runs
in one of the engines of `engines.py`: in-process, in a pool of processes (`workers>1`) or on
Ray Data (`engine="ray"`).
An extractor exception on one document reports that document and leaves it out of the store (a
re-run retries it); KeyboardInterrupt and kills stop the run, consistently.
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError

from ..case.models import Source
from ..extract.lang import detect_language
from ..store import Store
from ..store.errors import Refused
from ..store.types import Document, NewCandidate
from ..store.users import local_actor
from . import dedup
from .chunking import BatchFn, Extractor, as_dicts, chunked, chunked_batch
from .engines import make_engine
from .metadata import UNKNOWN_OUTLET, SourceDefaults, SourceFields, resolve
from .readers import Item, Problem, RawDocument, Skipped, find_manifests, iter_documents

KINDS = ("statement", "event", "figure", "contradiction")
DEFAULT_EXTRACTOR = "accord.extract:extract_document"
MAX_REPORTED_PROBLEMS = 1000


@dataclass
class IngestReport:
    """What a run did. `problems` keeps the first MAX_REPORTED_PROBLEMS; `on_problem` sees all."""
    extracted: int = 0          # stored and extracted
    flagged: int = 0            # stored, not English: kept for review, not extracted
    already: int = 0            # already in the store from an earlier run (resume)
    exact_duplicates: int = 0   # same normalised text as a stored document
    near_duplicates: int = 0    # MinHash Jaccard ≥ threshold with a stored document
    failed: int = 0             # broken documents, extraction and storage failures
    skipped: int = 0            # files not read: a type not asked for, unsupported, not in the manifest
    candidates: int = 0
    auto_accepted: int = 0
    chars: int = 0              # characters of the documents stored
    problems: list[Problem] = field(default_factory=list)
    skipped_files: list[Skipped] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.extracted + self.flagged

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k not in ("problems", "skipped_files")}
        d["problems"] = [str(p) for p in self.problems]
        d["skipped_files"] = [{"path": s.path, "why": s.reason} for s in self.skipped_files]
        d["skipped_by_kind"] = self.skipped_by_kind()
        return d

    def skipped_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.skipped_files:
            out[s.kind] = out.get(s.kind, 0) + 1
        return out


@dataclass
class _Prepared:
    raw: RawDocument
    id: str
    language: str
    status: str                 # extracted | flagged | duplicate
    meta: SourceFields
    sig: Any = None
    keys: list[str] = field(default_factory=list)
    note: str | None = None


def load_extractor(spec: str = DEFAULT_EXTRACTOR) -> Extractor:
    """`module:function` → the function (the default is accord's own extractor)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "extract_document")


# ---------------------------------------------------------------------------- the pipeline
class Ingestor:
    """One ingest run into one case of one store (see `ingest`)."""

    def __init__(self, store: Store, case_id: str, *, extractor: Extractor | None = None,
                 auto_accept: float | None = None, engine: str = "local", workers: int = 1,
                 defaults: SourceDefaults | None = None,
                 on_problem: Callable[[Problem], None] | None = None,
                 on_skip: Callable[[Skipped], None] | None = None,
                 on_document: Callable[[IngestReport], None] | None = None, ray_batch: int = 256,
                 actor: str | None = None,
                 batch_extractor: BatchFn | None = None, batch: int = 32):
        self.store, self.case_id = store, case_id
        self.case = store.load_case(case_id)  # raises CaseNotFound early, before reading anything
        # long texts are read in paragraph-bounded chunks (chunking.py): spaCy stops at 1M characters
        self.extractor = chunked(extractor or load_extractor())
        if batch_extractor is not None:
            batch_extractor = chunked_batch(batch_extractor)
        self.auto_accept, self.defaults = auto_accept, defaults or SourceDefaults()
        self.actor = actor or local_actor()  # who the audit log names for each stored document
        self.on_problem, self.on_skip, self.on_document = on_problem, on_skip, on_document
        self.exec = make_engine(engine, self.extractor, self.case, workers=workers,
                                batch_fn=batch_extractor, batch=batch, ray_batch=ray_batch)
        self.report = IngestReport()
        # Documents prepared but not yet committed: dedup must see them too.
        self.inflight: dict[str, _Prepared] = {}
        self.inflight_keys: dict[str, str] = {}

    # -- reporting
    def problem(self, p: Problem) -> None:
        self.report.failed += 1
        if len(self.report.problems) < MAX_REPORTED_PROBLEMS:
            self.report.problems.append(p)
        if self.on_problem:
            self.on_problem(p)

    def skip(self, s: Skipped) -> None:
        self.report.skipped += 1
        if len(self.report.skipped_files) < MAX_REPORTED_PROBLEMS:
            self.report.skipped_files.append(s)
        if self.on_skip:
            self.on_skip(s)

    def tick(self) -> None:
        if self.on_document:
            self.on_document(self.report)

    # -- stages
    def prepare(self, raw: RawDocument) -> _Prepared | None:
        """Fingerprint the document and decide its fate; None if it is already in the store."""
        doc_id = dedup.content_hash(raw.text)
        where = raw.where
        if doc_id in self.inflight:
            self.report.exact_duplicates += 1
            return None
        stored = self.store.document_meta(self.case_id, doc_id)
        if stored is not None:
            if stored.path == where:
                self.report.already += 1
            else:
                self.report.exact_duplicates += 1
            return None
        sig = dedup.minhash(raw.text)
        keys = dedup.band_keys(sig)
        dup = self._near_duplicate(sig, keys)
        meta, notes = resolve(raw, self.defaults)
        declared = meta.declared_language
        language, _ = detect_language(raw.text, declared)
        if dup:
            other, sim = dup
            return _Prepared(raw, doc_id, language, "duplicate", meta,
                             note=f"near duplicate of {other} (estimated Jaccard {sim:.2f})")
        status = "extracted"
        if language not in ("en", "und"):
            status = "flagged"
            notes.insert(0, f"language {language!r}: kept for review, not extracted")
        if declared and declared.lower()[:2] != language[:2]:
            notes.append(f"declared language {declared!r}, detected {language!r}")
        if raw.meta.get("bad_date"):
            notes.append(f"unreadable date {raw.meta['bad_date']!r} ignored")
        if raw.meta.get("cleaned"):
            notes.append(raw.meta["cleaned"])
        return _Prepared(raw, doc_id, language, status, meta, sig, keys, "; ".join(notes) or None)

    def _near_duplicate(self, sig, keys: list[str]) -> tuple[str, float] | None:
        ids = self.store.band_members(self.case_id, keys)
        ids |= {self.inflight_keys[k] for k in keys if k in self.inflight_keys}
        best = None
        stored = self.store.signatures(self.case_id, [i for i in ids if i not in self.inflight])
        for other in sorted(ids):
            other_sig = self.inflight[other].sig if other in self.inflight else (
                dedup.from_hex(stored[other]) if other in stored else None)
            if other_sig is None:
                continue
            sim = dedup.similarity(sig, other_sig)
            if sim >= dedup.NEAR_DUPLICATE_JACCARD and (best is None or sim > best[1]):
                best = (other, sim)
        return best

    def commit(self, prep: _Prepared, items: list[Any] | None) -> None:
        """Write the document, its source, fingerprints, candidates and auto-accepts atomically."""
        from .. import review

        raw, meta = prep.raw, prep.meta
        source_id = f"doc-{prep.id[:16]}" if prep.status != "duplicate" else None
        cands = _candidate_rows(prep.id, items or [])
        with self.store.write(self.actor, "document.ingest", case_id=self.case_id, kind="document",
                              record_id=prep.id) as tx:
            if source_id:
                tx.add_record("source", self._source(source_id, prep), origin="ingest")
            tx.add_document(Document(
                case_id=self.case_id, id=prep.id, path=raw.where, source_id=source_id, title=meta.title,
                outlet=meta.outlet, url=meta.url, date=meta.date, language=prep.language,
                text=raw.text, status=prep.status, note=prep.note))
            if prep.status != "duplicate":
                tx.add_fingerprint(prep.id, dedup.to_hex(prep.sig), prep.keys)
            tx.add_candidates(cands)
            auto = 0
            if self.auto_accept is not None:
                ordered = sorted(cands, key=lambda c: (c.kind == "contradiction", c.id))
                for c in ordered:
                    if c.confidence is not None and c.confidence >= self.auto_accept:
                        try:
                            review.accept(self.store, self.case_id, c.id, reviewer="auto",
                                          expected_version=1, auto=True, tx=tx)
                            auto += 1
                        except review.ReviewError:
                            pass  # stays pending: a reviewer must edit or merge first
            tx.describe(after={"path": raw.where, "status": prep.status, "source": source_id,
                               "note": prep.note, "candidates": len(cands), "auto_accepted": auto})
        self.report.candidates += len(cands)
        self.report.auto_accepted += auto
        if prep.status == "extracted":
            self.report.extracted += 1
        elif prep.status == "flagged":
            self.report.flagged += 1
        else:
            self.report.near_duplicates += 1
        if prep.status != "duplicate":
            self.report.chars += len(raw.text)

    def _source(self, source_id: str, prep: _Prepared) -> Source:
        m = prep.meta
        return Source(id=source_id, outlet=m.outlet or UNKNOWN_OUTLET, title=m.title, author=m.author,
                      date=m.date, url=m.url, language=prep.language, reliability=m.reliability,
                      credibility=m.credibility, confidential=m.confidential, public_label=m.public_label,
                      note=f"ingested from {prep.raw.where}")

    # -- the loop
    def run(self, items: Iterable[Item]) -> IngestReport:
        pending: collections.deque[tuple[_Prepared, Any]] = collections.deque()

        def finish(prep: _Prepared, fut) -> None:
            try:
                items = fut.result() if fut is not None else None
            except Exception as exc:  # noqa: BLE001 - an extractor bug on one document is reported, not fatal
                self.problem(Problem(prep.raw.path, f"extraction failed: {exc.__class__.__name__}: {exc}", prep.raw.line))
            else:
                try:
                    self.commit(prep, items)
                except _BadItems as exc:
                    self.problem(Problem(prep.raw.path, f"extractor returned {exc}", prep.raw.line))
                except (ValidationError, Refused, StatementError) as exc:
                    if isinstance(exc, (OperationalError, InterfaceError)):
                        raise  # the database is gone: stop, what is stored is whole
                    # this document cannot be stored (rolled back); the rest of the run goes on
                    self.problem(Problem(prep.raw.path, f"cannot be stored: {_first_line(exc)}", prep.raw.line))
            finally:
                self.inflight.pop(prep.id, None)
                for k in prep.keys:
                    if self.inflight_keys.get(k) == prep.id:
                        del self.inflight_keys[k]
            self.tick()

        try:
            for item in items:
                if isinstance(item, Problem):
                    self.problem(item)
                    self.tick()
                    continue
                if isinstance(item, Skipped):
                    self.skip(item)
                    continue
                prep = self.prepare(item)
                if prep is None:
                    self.tick()
                    continue
                self.inflight[prep.id] = prep
                if prep.status != "duplicate":
                    for k in prep.keys:
                        self.inflight_keys.setdefault(k, prep.id)
                fut = None
                if prep.status == "extracted":
                    fut = self.exec.submit(item.text, prep.meta.date)
                pending.append((prep, fut))
                while pending and (len(pending) > self.exec.window or pending[0][1] is None or pending[0][1].done()):
                    finish(*pending.popleft())
            while pending:
                finish(*pending.popleft())
        finally:
            self.exec.close()
        return self.report


class _BadItems(ValueError):
    pass


def _candidate_rows(doc_id: str, items: list[Any]) -> list[NewCandidate]:
    """Candidate rows for the extractor's items; contradiction links (item indices) become ids."""
    items = as_dicts(items)
    if not isinstance(items, list):
        raise _BadItems(f"{type(items).__name__}, not a list of items")
    prefix = doc_id[:16]
    ids = [f"{prefix}-{i:04d}" for i in range(len(items))]
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            raise _BadItems(f"item {i} without a kind among {', '.join(KINDS)}")
        data = json.loads(json.dumps(item, default=_jsonable))
        links = data.get("items")
        if isinstance(links, list):
            data["items"] = [ids[x] if isinstance(x, int) and 0 <= x < len(ids) else x for x in links]
        conf = data.get("confidence")
        rows.append(NewCandidate(id=ids[i], document_id=doc_id, kind=data["kind"], data=data,
                                 start=_int(data.get("start")), end=_int(data.get("end")),
                                 confidence=float(conf) if isinstance(conf, (int, float)) else None))
    return rows


def _first_line(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: " + (str(exc).strip().splitlines() or [""])[0][:300]


def _int(v) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def _jsonable(v):
    if hasattr(v, "item"):
        return v.item()  # numpy scalars
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def ingest(paths: Iterable[str | os.PathLike], case_id: str, store: Store, *,
           extractor: Extractor | None = None, auto_accept: float | None = None, engine: str = "local",
           workers: int = 1, date: str | None = None, outlet: str | None = None, url: str | None = None,
           title: str | None = None, reliability: str = "F", credibility: int = 6,
           types: set[str] | None = None, manifest: str | os.PathLike | None = None,
           on_problem: Callable[[Problem], None] | None = None,
           on_skip: Callable[[Skipped], None] | None = None,
           on_document: Callable[[IngestReport], None] | None = None, actor: str | None = None) -> IngestReport:
    """Ingest documents at `paths` (files or folders) into case `case_id` of `store`.

    See the module docstring for the guarantees. `extractor` defaults to accord's own;
    `auto_accept=C` accepts candidates with confidence ≥ C (recorded as automatic);
    `outlet/url/title/date/reliability/credibility` describe documents that do not describe
    themselves (default grade F/6: cannot be judged; see metadata.py for the precedence);
    `types` limits the suffixes read (readers.parse_types); `manifest` names a manifest CSV,
    else a `manifest.csv` in a folder given is used (manifest.py). A bad manifest raises
    ManifestError before anything is read or stored. `actor` is who the audit log names for
    each stored document (default: this OS account, `cli:<user>`).
    """
    paths = list(paths)
    manifests = find_manifests(paths, manifest)
    defaults = SourceDefaults.model_validate({"outlet": outlet, "url": url, "title": title, "date": date,
                                              "reliability": reliability, "credibility": credibility})
    batch_fn: BatchFn | None = None
    if extractor is None or getattr(extractor, "__module__", "").startswith("accord.extract"):
        # accord's extractor parses a batch with one nlp.pipe call: far faster than one by one.
        from ..extract import Extractor as _BatchExtractor
        from ..extract import extract_document
        extractor = extractor or extract_document
        batch_fn = _BatchExtractor().extract_many
    runner = Ingestor(store, case_id, extractor=extractor, auto_accept=auto_accept, engine=engine,
                      workers=workers, defaults=defaults, on_problem=on_problem, on_skip=on_skip,
                      on_document=on_document, batch_extractor=batch_fn, actor=actor)
    return runner.run(iter_documents(paths, date=date, types=types, manifests=manifests))
