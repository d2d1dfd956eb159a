"""Long documents at the ingest → extract boundary: split into paragraph-bounded chunks, extract
each, put the items back on the whole text's offsets.

spaCy refuses a text over `nlp.max_length` (1,000,000 characters, error E088), its parser's
memory grows with the text in one call and the extractor's cost per character grows with the
text it reads at once, so a document longer than `CHUNK` characters is cut at the last paragraph
break (else line break, else sentence end, else space) in the second half of each window. Each
chunk is extracted with the same date and case; item offsets (`start`, `end`, `other_start`,
`other_end`, `sentence`) move by the chunk's start and a contradiction's item indices (`items`)
by the number of items before it, so `text[start:end]` is the same span as if the whole text had
been read at once. What a chunk cannot see is its neighbours' sentences: a pronoun or an unnamed
speaker at the top of a chunk is resolved within that chunk only, which is why cuts fall between
paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

# A news article (3,000–8,000 characters) stays whole; a long report is read in pieces of about
# this size. Why this small: the extractor's cost per character grows with the text it reads in
# one piece (CPU µs/char besides spaCy's ≈40: 63, 107, 219 at the flagship brief ×1, ×2, ×4), and
# spaCy parses 16 pieces at a time (at 50,000 a 1.24-million-character text peaked at 2.4 GB).
# The price: a chunk cannot see its neighbours (the brief: 355 candidates against 370 read whole).
CHUNK = 10_000
_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s"))
_OFFSETS = ("start", "end", "other_start", "other_end")

Extractor = Callable[..., list[Any]]
BatchFn = Callable[..., list[list[Any]]]


def as_dicts(items: Any) -> Any:
    """The extractor's items as plain dicts (accord's extractor returns pydantic items, a
    stand-in may return dicts); anything that is not a list is returned as is for the caller to
    refuse."""
    if not isinstance(items, list):
        return items
    return [i.model_dump(mode="json") if isinstance(i, BaseModel) else i for i in items]


def spans(text: str, limit: int = CHUNK) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks covering `text`, each at most `limit` characters."""
    out, pos, n = [], 0, len(text)
    while n - pos > limit:
        end = pos + limit
        for pattern in _BREAKS:
            cut = None
            for m in pattern.finditer(text, pos + limit // 2, end):
                cut = m.end()  # the last break in the second half of the window
            if cut is not None and cut > pos:
                end = cut
                break
        out.append((pos, end))
        pos = end
    out.append((pos, n))
    return out


def _shift(item: Any, by: int, first_index: int) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    for key in _OFFSETS:
        if isinstance(item.get(key), int):
            item[key] += by
    if isinstance(item.get("sentence"), list):
        item["sentence"] = [x + by if isinstance(x, int) else x for x in item["sentence"]]
    if isinstance(item.get("items"), list):
        item["items"] = [x + first_index if isinstance(x, int) else x for x in item["items"]]
    return item


def merge(parts: list[tuple[int, Any]]) -> Any:
    """Chunk results [(chunk start, items)] → one item list on the whole text's offsets."""
    out: list[Any] = []
    for start, items in parts:
        items = as_dicts(items)
        if not isinstance(items, list):
            return items  # a bad result: the runner reports it
        first = len(out)
        out.extend(_shift(i, start, first) for i in items)
    return out


def chunked(extractor: Extractor, limit: int = CHUNK) -> Extractor:
    """`extractor` that reads a long text chunk by chunk (short texts go through unchanged)."""
    def run(text: str, *, doc_date: str | None = None, case=None) -> Any:
        if len(text) <= limit:
            return extractor(text, doc_date=doc_date, case=case)
        return merge([(s, extractor(text[s:e], doc_date=doc_date, case=case)) for s, e in spans(text, limit)])
    return run


def chunked_batch(batch_fn: BatchFn, limit: int = CHUNK) -> BatchFn:
    """A batch function (`texts, dates, case=` → item lists) that hands long texts over as their
    chunks, in the same call, and merges each text's results."""
    def run(texts: list[str], dates: list[str | None], *, case=None) -> list[Any]:
        pieces, dates_out, owner = [], [], []
        for i, (text, date) in enumerate(zip(texts, dates)):
            for s, e in (spans(text, limit) if len(text) > limit else [(0, len(text))]):
                pieces.append(text[s:e] if (s, e) != (0, len(text)) else text)
                dates_out.append(date)
                owner.append((i, s))
        results = batch_fn(pieces, dates_out, case=case)
        if len(results) != len(pieces):
            raise RuntimeError("batch extractor returned a different number of results")
        parts: list[list[tuple[int, Any]]] = [[] for _ in texts]
        for (i, s), items in zip(owner, results):
            parts[i].append((s, items))
        return [merge(p) for p in parts]
    return run
