"""A small, deterministic stand-in for accord.extract.extract_document, so ingest and review tests
do not depend on the real extractor (same signature, same item shape: docs/design.md §4).

Rules: every sentence naming Ukraine/Kyiv or Russia/Moscow/Peskov is a statement (REJECT if it
says "reject"/"never", else REQUEST), on `nato` if it mentions NATO/neutrality (position 10 for
Ukraine, 90 for Russia), else `territory` without a position; "N percent" adds a figure;
"met" adds a CONSULT event; "contradicts" adds a contradiction linking the first two statements.
Markers drive failure tests: BOOM raises ValueError, CRASH raises KeyboardInterrupt (a kill),
SLOW sleeps 0.2 s.
"""

from __future__ import annotations

import re
import time

_SENT = re.compile(r"[^.!?\n]+[.!?]")
CALLS: list[str] = []


def extract(text: str, *, doc_date: str | None, case=None) -> list[dict]:
    CALLS.append(text[:40])
    if "BOOM" in text:
        raise ValueError("extractor bug")
    if "CRASH" in text:
        raise KeyboardInterrupt
    if "SLOW" in text:
        time.sleep(0.2)
    items: list[dict] = []
    statements: list[int] = []
    for m in _SENT.finditer(text):
        s = m.group(0)
        low = s.lower()
        actor = speaker = None
        if re.search(r"\b(ukraine|kyiv)\b", low):
            actor = "UKR"
        elif "peskov" in low:
            speaker = "Dmitry Peskov"
        elif re.search(r"\b(russia|moscow)\b", low):
            actor = "RUS"
        if re.search(r"\bmet\b", low) and actor:
            items.append({"kind": "event", "event_type": "CONSULT", "actor": actor, "speaker": None,
                          "issue": None, "position": None, "date": doc_date, "start": m.start(),
                          "end": m.end(), "confidence": 0.7})
        elif actor or speaker:
            nato = "nato" in low or "neutral" in low
            items.append({"kind": "statement",
                          "event_type": "REJECT" if ("reject" in low or "never" in low) else "REQUEST",
                          "actor": actor, "speaker": speaker, "issue": "nato" if nato else "territory",
                          "position": (10.0 if actor == "UKR" else 90.0) if nato else None,
                          "date": doc_date, "start": m.start(), "end": m.end(),
                          "confidence": 0.9 if nato else 0.6})
            statements.append(len(items) - 1)
        if (f := re.search(r"(\d+(?:\.\d+)?) percent", low)):
            items.append({"kind": "figure", "event_type": None, "actor": actor, "speaker": None,
                          "issue": None, "position": None, "date": doc_date, "start": m.start(),
                          "end": m.end(), "confidence": 0.8, "quantity": "occupied_share",
                          "value": float(f.group(1)), "unit": "percent"})
        if "contradicts" in low and len(statements) >= 2:
            items.append({"kind": "contradiction", "event_type": None, "actor": None, "speaker": None,
                          "issue": None, "position": None, "date": doc_date, "start": m.start(),
                          "end": m.end(), "confidence": 0.5, "why": "the two statements disagree",
                          "items": statements[:2]})
    return items
