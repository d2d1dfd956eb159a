"""Event recall: extracted events against a gold chronology (docs/extraction.md, "Event recall").

A gold event has a date (YYYY, YYYY-MM or YYYY-MM-DD), participants (actor ids) and where it sits
in the text: a char span (the unseen split's annotated events) or lines (the flagship case's
events.csv locators "KHAR ¶N", ¶N = line N of the article). An extracted event (an item of kind
"event") matches a gold event when
  - its date agrees to the gold's precision (a month-only gold date matches any day of that
    month; an extracted date less precise than the gold's does not agree), and
  - at least one participant agrees (the item's actor or target, a person counting for the actor
    it speaks for), or its span falls on the gold's place in the text.
Recall = gold events matched by some extracted event; precision (only where the gold lists every
event of its documents) = extracted events matching some gold event; date accuracy = of the gold
events with an extracted event on their place in the text (date ignored), the share where one of
those has the date right.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class GoldEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    date: str
    participants: frozenset[str]
    spans: list[tuple[int, int]]  # where the event is told: char ranges of the document


class EventScore(BaseModel):
    gold: int
    extracted: int
    matched_gold: int
    recall: float
    precision: float | None  # None where the gold is not exhaustive
    located: int  # gold events with an extracted event on their place in the text, date ignored
    date_accuracy: float | None


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")


def dates_agree(gold: str, extracted: str | None) -> bool:
    """True when the extracted date says what the gold says, to the gold's precision."""
    if not extracted or not _DATE.match(gold) or not _DATE.match(extracted):
        return False
    return len(extracted) >= len(gold) and extracted[: len(gold)] == gold


def participants(item: dict, speaks_for: dict[str, str]) -> set[str]:
    out = set()
    for a in (item.get("actor"), item.get("target")):
        if a:
            out.add(a)
            if a in speaks_for:
                out.add(speaks_for[a])
    return out


def line_spans(text: str) -> list[tuple[int, int]]:
    """Char range of each line (index 0 = line 1), without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def events_from_csv(path: Path, text: str, prefix: str = "KHAR") -> list[GoldEvent]:
    """The case chronology's events told in this text (a locator starting with `prefix`)."""
    lines = line_spans(text)
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            loc = (row.get("locator") or "").strip()
            if not loc.startswith(prefix):
                continue
            nums = [int(n) for n in re.findall(r"¶\s*(\d+)", loc)]
            spans = [lines[n - 1] for n in nums if 0 < n <= len(lines)]
            if not spans:
                raise ValueError(f"{path}: event {row['id']}: locator {loc!r} names no line of the text")
            parts = frozenset(p.strip() for p in (row.get("actors") or "").split(";") if p.strip())
            out.append(GoldEvent(id=row["id"], date=row["date"].strip(), participants=parts, spans=spans))
    return out


def events_from_annotation(doc_id: str, events: list[dict]) -> list[GoldEvent]:
    return [GoldEvent(id=f"{doc_id}#{k}", date=e["date"], participants=frozenset(e.get("participants") or []),
                      spans=[(e["start"], e["end"])]) for k, e in enumerate(events)]


def _on_place(item: dict, ev: GoldEvent) -> bool:
    s = item.get("start")
    return s is not None and any(a <= s < b for a, b in ev.spans)


def _about(item: dict, ev: GoldEvent, speaks_for: dict[str, str]) -> bool:
    return bool(participants(item, speaks_for) & ev.participants) or _on_place(item, ev)


def score_events(pairs: list[tuple[list[GoldEvent], list[dict]]], *, exhaustive: bool,
                 speaks_for: dict[str, str] | None = None) -> EventScore:
    """`pairs`: per document, its gold events and its extracted items (any kind; events are kept)."""
    speaks_for = speaks_for or {}
    n_gold = n_ext = matched = ext_matched = located = located_dated = 0
    for gold, items in pairs:
        evs = [it for it in items if it.get("kind") == "event"]
        n_gold += len(gold)
        n_ext += len(evs)
        hit = [False] * len(evs)
        for g in gold:
            about = [k for k, it in enumerate(evs) if _about(it, g, speaks_for)]
            good = [k for k in about if dates_agree(g.date, evs[k].get("date"))]
            placed = [k for k in about if _on_place(evs[k], g)]
            located += bool(placed)
            located_dated += any(k in good for k in placed)
            matched += bool(good)
            for k in good:
                hit[k] = True
        ext_matched += sum(hit)
    return EventScore(
        gold=n_gold, extracted=n_ext, matched_gold=matched,
        recall=round(matched / n_gold, 3) if n_gold else 0.0,
        precision=(round(ext_matched / n_ext, 3) if n_ext else 0.0) if exhaustive else None,
        located=located, date_accuracy=round(located_dated / located, 3) if located else None)
