"""Citations for the briefing: how a source is named to an audience, and CSL-JSON references.

CSL-JSON (the Citation Style Language's data format, read by Zotero, pandoc and citeproc) is the
field's exchange format for references. A confidential source (`Source.confidential`) is protected:
to the public it exists only as its `public_label`, under an opaque id, with no outlet, author,
title, URL or note, because any of those could identify the person who spoke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..case.models import Case, Source

AUDIENCES = ("public", "internal")

# Outlets whose items are interviews or personal communications rather than articles.
_INTERVIEW = re.compile(r"\binterview\b", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """A source as this audience may see it."""

    key: str            # the id used in anchors and references.json
    label: str          # short in-text form: "AP, 2025-08" or "a diplomatic source in Kyiv"
    full: str           # the reference-list entry (plain text)
    url: str | None
    confidential: bool


def is_public(audience: str) -> bool:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    return audience == "public"


class Citer:
    """Names each source of a case for one audience (public hides confidential identities)."""

    def __init__(self, case: Case, audience: str = "public"):
        self.public = is_public(audience)
        self._sources = {s.id: s for s in case.sources}
        # Opaque, stable ids for protected sources: a source id can itself name a person.
        self._keys = {}
        n = 0
        for s in case.sources:
            if s.confidential and self.public:
                n += 1
                self._keys[s.id] = f"confidential-{n}"
            else:
                self._keys[s.id] = s.id

    def hidden(self, source_id: str) -> bool:
        s = self._sources.get(source_id)
        return bool(s and s.confidential and self.public)

    def cite(self, source_id: str) -> Citation:
        s = self._sources.get(source_id)
        if s is None:  # the case reader checks references; this only guards hand-built cases
            return Citation(source_id, source_id, source_id, None, False)
        if self.hidden(source_id):
            label = s.public_label or "a confidential source"
            return Citation(self._keys[s.id], label, _cap(label) + (f" ({s.date})" if s.date else "") + ".",
                            None, True)
        label = s.cited_as.strip("() ") if s.cited_as else ", ".join(x for x in (s.outlet, s.date) if x)
        parts = [s.author, s.outlet, f"({s.date})" if s.date else None]
        full = " ".join(p for p in parts if p)
        if s.title:
            full += f". {s.title}"
        full += "."
        if s.confidential:
            full += f" Confidential; public label: {s.public_label}."
        return Citation(self._keys[s.id], label, full, s.url, s.confidential)

    def csl(self, source_ids: list[str] | None = None) -> list[dict]:
        """CSL-JSON items for the given sources (all of the case's by default)."""
        ids = source_ids if source_ids is not None else list(self._sources)
        return [csl_item(self._sources[i], key=self._keys[i], public=self.public)
                for i in ids if i in self._sources]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def date_parts(value: str | None) -> dict | None:
    if not value:
        return None
    return {"date-parts": [[int(p) for p in value.split("-")]]}


def csl_type(s: Source) -> str:
    if s.confidential:
        return "personal_communication"
    if _INTERVIEW.search(" ".join(x for x in (s.title, s.note, s.outlet) if x)):
        return "interview"
    return "article-newspaper" if s.url else "article"


def csl_item(s: Source, *, key: str, public: bool) -> dict:
    """One CSL-JSON item. A protected source keeps only its label, type, date and language."""
    if s.confidential and public:
        item = {"id": key, "type": "personal_communication",
                "title": s.public_label or "a confidential source", "language": s.language}
        if (issued := date_parts(s.date)):
            item["issued"] = issued
        return item
    item: dict = {"id": key, "type": csl_type(s), "title": s.title or s.outlet,
                  "container-title": s.outlet, "language": s.language}
    if s.author:
        item["author"] = [{"literal": a.strip()} for a in s.author.split(";") if a.strip()]
    if s.url:
        item["URL"] = s.url
    if (issued := date_parts(s.date)):
        item["issued"] = issued
    if s.note:
        item["note"] = s.note
    return item
