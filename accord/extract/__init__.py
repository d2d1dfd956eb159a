"""Extraction: documents → attributed statements, events, figures and contradictions.

`extract_document` is the pure function other stages call per document; `Extractor` holds the
loaded spaCy pipeline for batches (`extract_many` uses `nlp.pipe`). Items are the pydantic models
of `items.py` (docs/extraction.md); training and scoring live in `accord.training`.
"""

from __future__ import annotations

from .items import Contradiction, Event, Figure, Item, Statement, as_dict
from .lang import detect_language
from .pipeline import Extractor, get_nlp

__all__ = ["Extractor", "extract_document", "analyse_document", "detect_language", "get_nlp",
           "Item", "Statement", "Event", "Figure", "Contradiction", "as_dict"]

_DEFAULT: Extractor | None = None


def _default() -> Extractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def extract_document(text: str, *, doc_date: str | None = None, case=None) -> list[Item]:
    """Items found in one document's text; offsets index into `text` as given.

    A document in a language the models do not cover gives no items: use `analyse_document`
    (or `detect_language`) to see it flagged.
    """
    return _default().extract(text, doc_date=doc_date, case=case)


def analyse_document(text: str, *, doc_date: str | None = None, case=None) -> dict:
    """{language, flagged, reason, items} for one document."""
    return _default().analyse_many([text], [doc_date], case=case)[0]
