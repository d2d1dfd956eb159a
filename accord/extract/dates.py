"""Dates in news text → YYYY, YYYY-MM or YYYY-MM-DD, at the precision the text gives.

Explicit dates ("on September 5", "8 September 2025"), dates relative to the document date
("yesterday", "on Tuesday", "last week", "earlier this month"), month parts ("in mid-August",
"at the end of April", "early September": month precision) and dates relative to the previous
dated event in the text ("two days later", "a day after", "on that date") or to the event they
name ("two days after the Alaska meeting": the day the text told of that meeting). Rules are regexes because they
are faster and more predictable than a general parser; dateparser is the fallback for what
they miss.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_RANGE_BEFORE = re.compile(r"(from|since|until|till|between|to|through|and|by)\s*$", re.I)
# A date the text looks forward to: "by June 30", "until November 24", "the July 20 deadline",
# "a deadline of 15 August". A month and day without a year there is the next such day, not the
# last one ("the July 20 deadline" in an April article is this July).
_AHEAD_BEFORE = re.compile(r"(\b(until|till|by)|deadline( of| for| on)?)\s*$", re.I)
_AHEAD_AFTER = re.compile(r"^\s*deadline\b", re.I)


# What "two days after the Alaska meeting" counts from: the date of the last sentence that told of
# such an event (a summit, a call, a vote), rather than the last date the text told.
EVENT_NOUNS = {"meeting": "meeting", "summit": "meeting", "talks": "meeting", "call": "call", "visit": "visit",
               "signing": "signing", "vote": "vote", "election": "election", "referendum": "vote",
               "attack": "attack", "speech": "speech", "address": "speech"}
_EVENT_NOUN = re.compile(r"\b(" + "|".join(EVENT_NOUNS) + r")s?\b", re.I)
# the event a relative date counts from, right after "after" / "before": "the Alaska meeting",
# "meeting with Putin", "his visit to Moscow"
_AFTER_EVENT = re.compile(r"\s+(?:(?:the|his|her|their|its|this|that)\s+)?(?:[A-Z][\w-]*\s+)?(" + "|".join(EVENT_NOUNS) + r")s?\b")


@dataclass
class DateHit:
    value: str
    start: int
    end: int
    relative: bool = False  # resolved against the previous dated event
    bound: str | None = None  # the word that makes it a period's end or start ("until", "from"): not when a thing was said
    ahead: bool = False  # a date looked forward to (a deadline, "by June 30")


def _fmt(d: dt.date, precision: str) -> str:
    if precision == "day":
        return d.isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _year_for(month: int, day: int, base: dt.date | None, ahead: bool = False) -> int | None:
    """The year of a month-day given without one: the doc's year, unless that is far in the future
    (news reports what happened); for a date looked forward to, the next such day unless that one
    is three months gone."""
    if base is None:
        return None
    year = base.year
    try:
        cand = dt.date(year, month, min(day, 28))
    except ValueError:
        return year
    if ahead:  # "by June 30" in April is this June, in October the last one (a deadline reported missed)
        return year + 1 if (base - cand).days > 90 else year - 1 if (cand - base).days > 275 else year
    if (cand - base).days > 60:
        year -= 1
    return year


def _shift_month(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(\d{{4}})\b")),
    ("md", re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:percent|%|,\s*\d{{4}}))")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b")),
    ("part_month", re.compile(
        rf"\b(?:(?:in|at|by|during|from)\s+)?(?:the\s+)?(early|mid|late|beginning of|start of|end of|middle of|first half of|second half of)[- ]?{_MON}(?:,?\s+(\d{{4}}))?", re.I)),
    ("month_year", re.compile(rf"\b{_MON},?\s+(\d{{4}})\b")),
    ("in_month", re.compile(rf"\b(?i:in|during|since|by|last|this|early|late|until)\s+{_MON}\b(?!\s+\d)")),
    ("rel_days", re.compile(
        r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|\d+)\s+(day|week|month)s?\s+(later|after|earlier|before)\b", re.I)),
    ("next_day", re.compile(r"\bthe (next|following|previous) (day|week|month)\b|\bthe day (before|after)\b", re.I)),
    ("that_day", re.compile(r"\b(?:on )?(?:that|the same) (?:date|day)\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|today|tonight|this morning|this evening|last night|tomorrow)\b", re.I)),
    ("weekday", re.compile(r"\b(?:on|last|this|next)?\s*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel_period", re.compile(r"\b(last|this|next|earlier this|later this|past) (week|month|year)\b", re.I)),
    ("in_year", re.compile(r"\b(?i:in|during|by|early|late|mid-?)\s+(\d{4})\b(?!\s*[-–]\s*\d)")),
]


class DateResolver:
    """Resolve date expressions in sentences of one document, in reading order."""

    def __init__(self, doc_date: str | None):
        self.doc_date = doc_date
        self.base: dt.date | None = None
        if doc_date:
            parts = [int(p) for p in doc_date.split("-")]
            self.base = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        self.anchor: dt.date | None = None  # the last dated event read, for "two days later"
        self.anchor_precision = "day"
        self.told: dict[str, tuple[dt.date, str]] = {}  # event kind → (date, precision) of its last telling

    def find(self, sentence: str, bounds: bool = False) -> list[DateHit]:
        """Every date expression in a sentence, resolved, in order. The ends and starts of periods
        ("from 2014 to 2022", "since 2014", "until November 24") say when no thing was said: they
        are left out, or, with `bounds`, kept with the word that bounds them (`DateHit.bound`)."""
        hits: list[DateHit] = []
        taken: list[tuple[int, int]] = []
        for name, rx in PATTERNS:
            for m in rx.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                before = sentence[max(0, m.start() - 12):m.start()]
                taken.append((m.start(), m.end()))
                bound = None
                if name not in ("rel_days", "next_day", "that_day", "part_month") and (r := _RANGE_BEFORE.search(before)):
                    if not bounds:
                        continue
                    bound = r.group(1).lower()
                if name == "rel_days" and re.search(r"(within|for|in|than|past|last)\s*$", before, re.I):
                    continue  # a duration, not a date
                ahead = bool(_AHEAD_BEFORE.search(sentence[max(0, m.start() - 16):m.start()])
                             or _AHEAD_AFTER.search(sentence[m.end():m.end() + 12]))
                value = self._resolve(name, m, ahead)
                if value:
                    hits.append(DateHit(value, m.start(), m.end(), relative=name in ("rel_days", "next_day", "that_day"),
                                        bound=bound, ahead=ahead))
        hits.sort(key=lambda h: h.start)
        return hits

    def note(self, value: str, sentence: str = "") -> None:
        """Remember a resolved date as the anchor for later relative expressions, and as the date
        of the events the sentence tells of ("On August 15, the summit in Alaska took place")."""
        parts = [int(p) for p in value.split("-")]
        self.anchor = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        self.anchor_precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
        for m in _EVENT_NOUN.finditer(sentence):
            self.told[EVENT_NOUNS[m.group(1).lower()]] = (self.anchor, self.anchor_precision)

    def _counted_from(self, m: re.Match) -> tuple[dt.date | None, str]:
        """The date a relative expression counts from: the event it names after "after" or
        "before", when the text told its date, else the last date told (else the document's)."""
        e = _AFTER_EVENT.match(m.string, m.end())
        if e and (told := self.told.get(EVENT_NOUNS[e.group(1).lower()])):
            return told
        return (self.anchor, self.anchor_precision) if self.anchor else (self.base, "day")

    def _resolve(self, name: str, m: re.Match, ahead: bool = False) -> str | None:
        g = m.groups()
        base = self.base
        try:
            if name == "iso":
                return dt.date(int(g[0]), int(g[1]), int(g[2])).isoformat()
            if name == "mdy":
                return dt.date(int(g[2]), _month(g[0]), int(g[1])).isoformat()
            if name == "dmy":
                return dt.date(int(g[2]), _month(g[1]), int(g[0])).isoformat()
            if name in ("md", "dm"):
                month, day = (_month(g[0]), int(g[1])) if name == "md" else (_month(g[1]), int(g[0]))
                if not 1 <= day <= 31:
                    return None
                year = _year_for(month, day, base or self.anchor, ahead)
                return dt.date(year, month, day).isoformat() if year else None
            if name == "part_month":
                month = _month(g[1])
                year = int(g[2]) if g[2] else _year_for(month, 15, base or self.anchor)
                return f"{year:04d}-{month:02d}" if year else None
            if name == "month_year":
                return f"{int(g[1]):04d}-{_month(g[0]):02d}"
            if name == "in_month":
                month = _month(g[0])
                year = _year_for(month, 15, base or self.anchor)
                return f"{year:04d}-{month:02d}" if year else None
            if name == "rel_days":
                n = int(g[0]) if g[0].isdigit() else NUMBERS.get(g[0].lower(), 1)
                unit, direction = g[1].lower(), g[2].lower()
                ref, ref_precision = self._counted_from(m)
                if ref is None:
                    return None
                sign = 1 if direction in ("later", "after") else -1
                if unit == "month":
                    return _fmt(_shift_month(ref, sign * n), "month")
                days = n * (7 if unit == "week" else 1)
                return _fmt(ref + dt.timedelta(days=sign * days), "day" if ref_precision == "day" else "month")
            if name == "next_day":
                ref, ref_precision = self._counted_from(m)
                if ref is None:
                    return None
                text = m.group(0).lower()
                sign = -1 if ("previous" in text or "before" in text) else 1
                if "month" in text:
                    return _fmt(_shift_month(ref, sign), "month")
                days = 7 if "week" in text else 1
                return _fmt(ref + dt.timedelta(days=sign * days), "day" if ref_precision == "day" else "month")
            if name == "that_day":  # the day of the event just told
                return _fmt(self.anchor, self.anchor_precision) if self.anchor else None
            if name == "yesterday":
                if base is None:
                    return None
                word = g[0].lower()
                delta = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
                return (base + dt.timedelta(days=delta)).isoformat()
            if name == "weekday":
                if base is None:
                    return None
                target = WEEKDAYS.index(g[0].lower())
                back = (base.weekday() - target) % 7
                if "next" in m.group(0).lower():
                    return (base + dt.timedelta(days=(target - base.weekday()) % 7 or 7)).isoformat()
                return (base - dt.timedelta(days=back)).isoformat()
            if name == "rel_period":
                if base is None:
                    return None
                which, unit = g[0].lower(), g[1].lower()
                if unit == "year":
                    y = base.year + {"last": -1, "next": 1, "past": -1}.get(which, 0)
                    return f"{y:04d}"
                if unit == "month":
                    return _fmt(_shift_month(base, {"last": -1, "next": 1, "past": -1}.get(which, 0)), "month")
                d = base + dt.timedelta(days={"last": -7, "next": 7, "past": -7}.get(which, 0))
                return _fmt(d, "month")
            if name == "in_year":
                y = int(g[0])
                return f"{y:04d}" if 1900 <= y <= 2100 else None
        except (ValueError, KeyError, TypeError):
            return None
        return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS[key] if key in MONTHS else MONTHS[key[:3]]


def parse_doc_date(value: str | None) -> str | None:
    """Normalise a document date given in any common form to YYYY[-MM[-DD]]."""
    if not value:
        return None
    value = str(value).strip()
    if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        return value
    for hit in DateResolver(None).find(value):
        return hit.value
    try:
        import dateparser

        d = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
        return d.date().isoformat() if d else None
    except Exception:  # noqa: BLE001 — an unparsable date is simply absent
        return None


def dateline_end(text: str) -> int:
    """End offset of a first line that holds only a date (a dateline), else 0."""
    first = text.split("\n", 1)[0]
    stripped = first.strip()
    if not stripped or len(stripped) > 40:
        return 0
    hits = DateResolver(None).find(stripped)
    if len(hits) == 1 and hits[0].start <= 1 and hits[0].end >= len(stripped.rstrip(".,;:")) - 1:
        return len(first) + 1
    return 0
