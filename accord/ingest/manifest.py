"""The manifest: a CSV beside the documents that says what each one is.

Columns (a header row; only `file` is required, the order is free):
file, url, outlet, title, date, author, reliability, credibility, language, confidential,
public_label. `file` is a path relative to the manifest's folder. `reliability` is the admiralty
grade of the case's sources: a letter A–F, or letter and credibility digit ("B2").

A folder given to `accord ingest` that holds a file named `manifest.csv` uses it (or name one with
`--manifest FILE`). When a manifest is in use, it is also the list of documents: a file under its
folder that it does not list is skipped and reported (that is how notes and drafts in the folder
stay out). A bad row stops the run before anything is stored, with file:line [field].
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ValidationError, field_validator

from ..case.models import check_partial_date

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "url", "outlet", "title", "date", "author", "reliability", "credibility", "language",
           "confidential", "public_label")
_MAX_CELL = 10_000


class ManifestError(ValueError):
    """A manifest that cannot be used; the message is file:line [field] and what to fix."""


class Entry(BaseModel):
    """What the manifest says about one document (None: it says nothing, the document decides)."""

    file: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    reliability: str | None = None
    credibility: int | None = None
    language: str | None = None
    confidential: bool = False
    public_label: str | None = None

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return None if v is None else check_partial_date(v)

    @field_validator("reliability")
    @classmethod
    def _grade(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = v.strip().upper()
        if not (len(v) in (1, 2) and v[0] in "ABCDEF" and (len(v) == 1 or v[1] in "123456")):
            raise ValueError("a letter A–F, optionally with a credibility digit 1–6 (e.g. B2)")
        return v

    @field_validator("credibility")
    @classmethod
    def _cred(cls, v: int | None) -> int | None:
        if v is not None and not 1 <= v <= 6:
            raise ValueError("credibility is 1–6")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        # Only web addresses: a `javascript:` or `file:` URL must never become a link.
        if v is not None and not v.lower().startswith(("http://", "https://")):
            raise ValueError("a URL starts with http:// or https://")
        return v

    def grade(self) -> tuple[str | None, int | None]:
        """(reliability letter, credibility) as given; a two-character grade sets both."""
        if self.reliability and len(self.reliability) == 2:
            return self.reliability[0], int(self.reliability[1])
        return self.reliability, self.credibility


def read_manifest(path: Path) -> dict[Path, Entry]:
    """Resolved document path → its entry. Raises ManifestError on any bad row."""
    base = path.parent
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc})") from exc
    if "\x00" in data:
        raise ManifestError(f"{path}: NUL characters: not a CSV text file")
    reader = csv.DictReader(data.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "file" not in header:
        raise ManifestError(f"{path}:1: the header has no `file` column (columns: {', '.join(COLUMNS)})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ManifestError(f"{path}:1: unknown column(s) {', '.join(unknown)} (columns: {', '.join(COLUMNS)})")
    reader.fieldnames = header
    out: dict[Path, Entry] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ManifestError(f"{path}:{line}: more cells than columns")
        cells = {k: (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        for k, v in cells.items():
            if len(v) > _MAX_CELL:
                raise ManifestError(f"{path}:{line} [{k}]: cell longer than {_MAX_CELL:,} characters")
        values: dict[str, object] = {k: v for k, v in cells.items() if v}
        if "confidential" in values:
            flag = str(values["confidential"]).lower()
            if flag not in ("yes", "no", "true", "false", "1", "0"):
                raise ManifestError(f"{path}:{line} [confidential]: yes or no, not {values['confidential']!r}")
            values["confidential"] = flag in ("yes", "true", "1")
        try:
            entry = Entry.model_validate(values)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or "row"
            raise ManifestError(f"{path}:{line} [{field}]: {err['msg'].removeprefix('Value error, ')}") from None
        target = (base / entry.file).resolve()
        if target in out:
            raise ManifestError(f"{path}:{line} [file]: {entry.file!r} is listed twice")
        out[target] = entry
    return out
