"""A document's source metadata: who published it, when, where, and how far to trust it.

Three places can say it, strongest first: the manifest row for the file (the analyst's word),
what the document states itself (HTML metadata, a jsonl line's fields, a PDF's title and date, a
text file's dated first line) and the command-line flags (for documents that state nothing).
Two exceptions: `--date` overrides a text file's first-line date (as it always has), and
`--title` beats a text file's first line, which is only a guess at its title.
Nothing is guessed: an outlet nobody states is unknown (never the file name), an unstated date
stays empty, and the grade defaults to F6, "cannot be judged", on the case's admiralty scale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .readers import RawDocument

# `Source.outlet` is required; this is what an outlet nobody stated reads as.
UNKNOWN_OUTLET = "unknown"
_MAX_TITLE = 500


class SourceDefaults(BaseModel):
    """What the command line says about the documents of a run that say nothing themselves."""

    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    credibility: int = Field(default=6, ge=1, le=6)


class SourceFields(BaseModel):
    """The metadata a document is stored with."""

    outlet: str | None
    title: str | None
    author: str | None
    date: str | None
    url: str | None
    reliability: Literal["A", "B", "C", "D", "E", "F"]
    credibility: int = Field(ge=1, le=6)
    declared_language: str | None
    confidential: bool = False
    public_label: str | None = None


def web_url(url: str | None) -> str | None:
    """The URL if it is a web address; a `javascript:` or `file:` URL is never kept."""
    return url if url and url.strip().lower().startswith(("http://", "https://")) else None


def resolve(raw: RawDocument, defaults: SourceDefaults) -> tuple[SourceFields, list[str]]:
    """The document's metadata and notes on what was dropped."""
    e = raw.listed
    notes = []
    if raw.url and not web_url(raw.url):
        notes.append(f"URL {raw.url[:80]!r} dropped: not a web address")
    rel, cred = e.grade() if e else (None, None)
    guessed = raw.meta.get("title_guessed")
    title = (e and e.title) or (None if guessed else raw.title) or defaults.title or raw.title
    fields = SourceFields(
        outlet=(e and e.outlet) or raw.outlet or defaults.outlet,
        title=title[:_MAX_TITLE] if title else None,
        author=(e and e.author) or raw.author,
        date=(e and e.date) or raw.date or defaults.date,
        url=(e and e.url) or web_url(raw.url) or defaults.url,
        reliability=rel or defaults.reliability,  # type: ignore[arg-type]
        credibility=cred or defaults.credibility,
        declared_language=(e and e.language) or raw.language,
        confidential=bool(e and e.confidential),
        public_label=(e.public_label or "a confidential source") if e and e.confidential else None,
    )
    return fields, notes
