"""Readers: turn paths into a stream of documents (or of problems), one at a time.

`iter_documents(paths)` walks files and directories (recursively, sorted for a reproducible
order) and yields a `RawDocument` per document, a `Problem` per broken one and a `Skipped` per
file it was not asked to read (a type not in `types`, an unsupported type, a file a manifest
does not list); nothing is held beyond the document being read, and a `.jsonl` dump is read
line by line.

Formats: `.txt`, `.md` (UTF-8), `.html`/`.htm` (main text via trafilatura, boilerplate removed),
`.pdf` (pypdf), `.jsonl` (one article per line: text, title, outlet, url, date, language).
A `.txt`/`.md` file is dated by the caller's `date`, else by its first line if that line is a
date. Broken input (binary, empty, undecodable, unreadable PDF, malformed jsonl line) becomes a
`Problem` with the path (and line) and the stream goes on.

Text both stores can hold: NUL characters (PostgreSQL refuses them in text) and unpaired
surrogates (a jsonl `\\ud800`; not encodable as UTF-8) are removed from every document at the
reader, with a note, so SQLite and PostgreSQL store the same text. A file with many NUL bytes or
NULs that are not valid UTF-8 is binary (or UTF-16) and is reported instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case.models import check_partial_date
from .manifest import MANIFEST_NAME, Entry, read_manifest

# type name (as in `--types`) → file suffixes
TYPES = {"txt": (".txt",), "md": (".md", ".markdown"), "html": (".html", ".htm"), "pdf": (".pdf",),
         "jsonl": (".jsonl",)}
SUPPORTED = {suffix for suffixes in TYPES.values() for suffix in suffixes}


@dataclass
class RawDocument:
    path: str
    text: str
    line: int | None = None  # the jsonl line it came from
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    language: str | None = None  # as declared by the source, if any
    author: str | None = None
    meta: dict = field(default_factory=dict)
    listed: Entry | None = None  # what a manifest says about this document

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Skipped:
    """A file not read, and why. `kind`: unsupported | not-asked-for | not-in-manifest | manifest."""
    path: str
    reason: str
    kind: str

    @property
    def where(self) -> str:
        return self.path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Problem:
    path: str
    reason: str
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


Item = RawDocument | Problem | Skipped


# ---------------------------------------------------------------------------- dates
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.+\-Z]*)?$")
_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def parse_date(value: str | None) -> str | None:
    """A date line or field as YYYY, YYYY-MM or YYYY-MM-DD; None if it is not (only) a date.

    Strict on purpose: a first line is taken as the document's date only if it is nothing but
    a date ("2025-09-03", "3 September 2025", "September 3, 2025", "Sept 2025", an ISO timestamp).
    """
    if value is None:
        return None
    s = str(value).strip().strip("*_#").strip()
    if s.lower().startswith("date:"):
        s = s[5:].strip()
    if not s or len(s) > 40:
        return None
    out = None
    if m := _ISO.match(s):
        y, mo, d = m.groups()
        out = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")
    elif m := _DMY.match(s):
        mo = _MONTHS.get(m.group(2).lower()) or _MONTHS.get(m.group(2).lower()[:3])
        out = mo and f"{m.group(3)}-{mo:02d}-{int(m.group(1)):02d}"
    elif m := _MDY.match(s):
        mo = _MONTHS.get(m.group(1).lower()) or _MONTHS.get(m.group(1).lower()[:3])
        out = mo and f"{m.group(3)}-{mo:02d}-{int(m.group(2)):02d}"
    elif m := _MY.match(s):
        mo = _MONTHS.get(m.group(1).lower()) or _MONTHS.get(m.group(1).lower()[:3])
        out = mo and f"{m.group(2)}-{mo:02d}"
    if not out:
        return None
    try:
        return check_partial_date(out)
    except ValueError:
        return None


# ---------------------------------------------------------------------------- walking
def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files under the given paths, directories walked recursively in sorted order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not documents
        if e.is_dir(follow_symlinks=False):
            yield from _walk(Path(e.path))
        elif e.is_file():
            yield Path(e.path)


def parse_types(spec: str | Iterable[str] | None) -> set[str]:
    """`txt,html,pdf` → the set of suffixes to read; None → every supported type."""
    if spec is None:
        return set(SUPPORTED)
    names = [t.strip().lower().lstrip(".") for t in (spec.split(",") if isinstance(spec, str) else spec)]
    names = [t for t in names if t]
    bad = [t for t in names if t not in TYPES and f".{t}" not in SUPPORTED]
    if bad or not names:
        raise ValueError(f"unknown type(s) {', '.join(bad) or '(none)'}: choose among {', '.join(TYPES)}")
    return {sfx for t in names for sfx in TYPES.get(t, (f".{t}",))}


def find_manifests(paths: Iterable[str | os.PathLike], explicit: str | os.PathLike | None = None
                   ) -> dict[Path, dict[Path, Entry]]:
    """The manifests that apply, read now (a bad one raises ManifestError before anything is
    stored): `explicit`, else a `manifest.csv` in each folder given (or beside each file)."""
    if explicit is not None:
        m = Path(explicit)
        return {m.resolve(): read_manifest(m)}
    out: dict[Path, dict[Path, Entry]] = {}
    for p in map(Path, paths):
        m = (p if p.is_dir() else p.parent) / MANIFEST_NAME
        if m.is_file() and m.resolve() not in out:
            out[m.resolve()] = read_manifest(m)
    return out


def iter_documents(paths: Iterable[str | os.PathLike], *, date: str | None = None,
                   types: set[str] | None = None,
                   manifests: dict[Path, dict[Path, Entry]] | None = None) -> Iterator[Item]:
    """Documents, problems and skipped files, one at a time, in path order.

    `types`: the suffixes to read (see `parse_types`; default every supported one).
    `manifests`: from `find_manifests`; a folder walked under a manifest's folder reads only the
    files that manifest lists."""
    wanted = SUPPORTED if types is None else types
    manifests = manifests or {}
    listed: dict[Path, Entry] = {k: v for entries in manifests.values() for k, v in entries.items()}
    seen: set[Path] = set()
    for arg in map(Path, paths):
        # the manifests that select what a walk of this folder reads
        ruling = [m for m in manifests if arg.is_dir() and arg.resolve().is_relative_to(m.parent)]
        for path in (_walk(arg) if arg.is_dir() else [arg]):
            resolved = path.resolve()
            if resolved in manifests:
                yield Skipped(str(path), "the manifest (read for metadata, not a document)", "manifest")
                continue
            if ruling and resolved not in listed:
                yield Skipped(str(path), f"not listed in {ruling[0]}", "not-in-manifest")
                continue
            seen.add(resolved)
            yield from _read(path, date, wanted, listed.get(resolved))
    for m, entries in manifests.items():
        for target, entry in entries.items():
            if target not in seen and not target.exists():
                yield Problem(str(m), f"lists {entry.file!r}, which does not exist")


def _read(path: Path, date: str | None, wanted: set[str], entry: Entry | None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if not path.exists():
        yield Problem(str(path), "no such file or folder")
        return
    if suffix not in SUPPORTED:
        yield Skipped(str(path), f"unsupported file type {suffix or '(none)'!r} "
                                 f"(supported: {', '.join(sorted(SUPPORTED))})", "unsupported")
        return
    if suffix not in wanted:
        yield Skipped(str(path), f"type {suffix!r} not asked for (--types)", "not-asked-for")
        return
    try:
        if suffix == ".jsonl":
            docs: Iterable[Item] = read_jsonl(path)
        elif suffix in (".html", ".htm"):
            docs = [read_html(path)]
        elif suffix == ".pdf":
            docs = [read_pdf(path)]
        else:
            docs = [read_text(path, date=date)]
        for doc in docs:
            if isinstance(doc, RawDocument):
                doc = storable(doc)
                doc.listed = entry
            yield doc
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _clean(value: str | None) -> tuple[str | None, int, int]:
    """(value without NULs and unpaired surrogates, NULs removed, surrogates replaced)."""
    if not value or not _UNSTORABLE.search(value):
        return value, 0, 0
    nul = value.count("\x00")
    surrogates = len(_UNSTORABLE.findall(value)) - nul
    value = re.sub("[\ud800-\udfff]", "\ufffd", value.replace("\x00", ""))
    return value, nul, surrogates


def storable(doc: RawDocument) -> RawDocument:
    """The document with text both stores accept (see the module docstring); what was changed
    goes into `meta["cleaned"]` for the document's note."""
    nul, bad = doc.meta.pop("nul", 0), 0
    for name in ("text", "title", "outlet", "url", "date", "language", "author"):
        value, n, b = _clean(getattr(doc, name))
        setattr(doc, name, value)
        nul, bad = nul + n, bad + b
    parts = []
    if nul:
        parts.append(f"{nul} NUL character{'s' if nul > 1 else ''} removed")
    if bad:
        parts.append(f"{bad} unpaired surrogate{'s' if bad > 1 else ''} replaced by U+FFFD")
    if parts:
        doc.meta["cleaned"] = "; ".join(parts)
    return doc


# ---------------------------------------------------------------------------- formats
def _binary(path: Path, data: bytes, what: str = "text") -> Problem | None:
    """A file whose NUL bytes say binary (or UTF-16): many of them, or not valid UTF-8. A stray
    NUL in real text is removed later (`storable`)."""
    nul = data.count(b"\x00")
    if not nul:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return Problem(str(path), f"binary file (NUL bytes), not {what}")
    if nul > max(1, len(data) // 100):
        return Problem(str(path), f"binary file ({nul} NUL bytes: binary or UTF-16), not UTF-8 {what}")
    return None


def _decode(path: Path, data: bytes) -> str | Problem:
    if (bad := _binary(path, data)) is not None:
        return bad
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(str(path), f"undecodable: not UTF-8 (byte {exc.start})")
    if not text.strip():
        return Problem(str(path), "empty document")
    return text


def read_text(path: Path, *, date: str | None = None) -> Item:
    """A .txt or .md file. Its first line dates it if that line is a date (unless `date` is given)."""
    text = _decode(path, path.read_bytes())
    if isinstance(text, Problem):
        return text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first_date = parse_date(lines[0]) if lines else None
    title = None
    for ln in lines[1 if first_date else 0:]:
        title = ln.strip().lstrip("#").strip()[:300] or None
        break
    # the first line is only a guess at a title: a --title flag beats it (metadata.resolve)
    return RawDocument(path=str(path), text=text, title=title, date=date or first_date,
                       meta={"title_guessed": True} if title else {})


def read_html(path: Path) -> Item:
    """Main text of an HTML page (navigation, footers, ads removed by trafilatura)."""
    import trafilatura

    raw = path.read_bytes()
    if (bad := _binary(path, raw, "HTML")) is not None:
        return bad
    nul = raw.count(b"\x00")
    raw = raw.replace(b"\x00", b"")  # the HTML parser stops at a NUL; `storable` notes it
    if not raw.strip():
        return Problem(str(path), "empty document")
    try:
        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=True,
            # Only dates the page states: no guessing from copyright lines or today's date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises a variety of parser errors on junk
        return Problem(str(path), f"unparseable HTML: {exc.__class__.__name__}: {exc}")
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        return Problem(str(path), "no main text found in the HTML")
    m = {k: getattr(doc, k, None) for k in ("title", "sitename", "hostname", "url", "date", "language", "author")}
    return RawDocument(path=str(path), text=text, title=m["title"], outlet=m["sitename"] or m["hostname"],
                       url=m["url"], date=parse_date(m["date"]), language=m["language"], author=m["author"],
                       meta={"nul": nul} if nul else {})


def read_pdf(path: Path) -> Item:
    """Text of a PDF, page by page (pages joined by a blank line)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings on odd PDFs would flood the run
    try:
        reader = PdfReader(str(path), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError) as exc:
        return Problem(str(path), f"unreadable PDF ({exc.__class__.__name__}: {exc})")
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        return Problem(str(path), "PDF has no extractable text (scanned, empty or truncated)")
    date = None
    created = info.get("/CreationDate") if hasattr(info, "get") else None
    if created:
        m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", str(created))
        if m:
            date = parse_date("-".join(x for x in m.groups() if x))
    title = info.get("/Title") if hasattr(info, "get") else None
    return RawDocument(path=str(path), text=text, title=str(title) if title else None, date=date)


def read_jsonl(path: Path) -> Iterator[Item]:
    """One article per line; a malformed line is reported with its number and skipped."""
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield Problem(str(path), "undecodable line: not UTF-8", n)
                continue
            except json.JSONDecodeError as exc:
                yield Problem(str(path), f"malformed JSON: {exc.msg} at column {exc.colno}", n)
                continue
            if not isinstance(obj, dict):
                yield Problem(str(path), "line is not a JSON object", n)
                continue
            text = obj.get("text")
            if not isinstance(text, str) or not text.strip():
                yield Problem(str(path), "no `text` in the article", n)
                continue
            date = parse_date(obj.get("date")) if obj.get("date") else None
            if obj.get("date") and date is None:
                # A date we cannot read is not a reason to drop the article; it is kept undated.
                obj = {**obj, "_bad_date": obj.get("date")}
            yield RawDocument(
                path=str(path), line=n, text=text, title=_s(obj.get("title")), outlet=_s(obj.get("outlet")),
                url=_s(obj.get("url")), date=date, language=_s(obj.get("language")), author=_s(obj.get("author")),
                meta={"bad_date": obj["_bad_date"]} if "_bad_date" in obj else {},
            )


def _s(v) -> str | None:
    return None if v is None else (str(v).strip() or None)
