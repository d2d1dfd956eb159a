"""Issues measured in time: a stated span ("for 15 years", "a decade", "permanently") is on them.

An analyst who defines an issue whose scale anchors are durations ("limits for less than ten
years", "limits for 20 years or more", "permanent limits") is asking how long something lasts;
a sentence that states a span ("enriching uranium for 10 years", "will last for 15 years",
"after eight and a half years") speaks to it, whatever words the definition used. The issue is a
time issue when most of its anchors name a span; a pattern for spans in the anchors' own units
(an issue in years is not about "seven days of talks") then joins its keywords
(issues.IssueMatcher). A past span ("a decade ago") is history, not a term, and does not count.
"""

from __future__ import annotations

import re

_NUMBER = (r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|twenty-five|"
           r"thirty|forty|fifty|sixty|ninety|a|an|several|a few|many)")
_LEAD = r"(?:for|over|within|after|in|until|beyond|during|of|lasting|last)"
_QUALIFIER = (r"(?:(?:at least|up to|about|some|more than|less than|nearly|almost|another|the next|"
              r"the first|the coming)\s+)?")
# a unit as the anchors write it → the unit's forms in a sentence
_UNITS = {"year": "years?", "decade": "decades?", "month": "months?", "week": "weeks?", "day": "days?"}
_ANCHOR_UNIT = re.compile(r"\b(year|decade|month|week|day)s?\b|\b(permanent|indefinite)\w*", re.I)
_NOT_A_TERM = r"(?!\s+(?:member|members|representative|seat|mission|residents?|secretariat)\b)"


def is_time_issue(anchors: list[str]) -> bool:
    """Most of the issue's anchors name a span of time (at least three, so one dated anchor of
    an issue about something else does not make it one)."""
    spans = sum(bool(_ANCHOR_UNIT.search(a)) for a in anchors)
    return spans >= 3 and spans * 2 > len(anchors)


def span_pattern(anchors: list[str]) -> re.Pattern | None:
    """A stated span in the units the anchors use (years and decades for an issue in years), or
    None when the issue is not a time issue."""
    if not is_time_issue(anchors):
        return None
    found = {m.group(1).lower() for a in anchors for m in _ANCHOR_UNIT.finditer(a) if m.group(1)}
    if found & {"year", "decade"}:
        found |= {"year", "decade"}  # "a decade" is ten years (with no number: "for the next decade")
    units = "|".join(_UNITS[u] for u in sorted(found))
    alts = [r"\bpermanent(?:ly)?\b" + _NOT_A_TERM, r"\bindefinite(?:ly)?\b", r"\bsunset\w*\b"]
    if units:
        alts += [rf"\b{_LEAD}\s+{_QUALIFIER}{_NUMBER}(?:\s+and\s+a\s+half)?[\s-]+(?:{units})\b(?!\s+ago)",
                 r"\b(?:a|one|the next|the first|another)\s+decades?\b(?!\s+ago)"]
    return re.compile("|".join(f"(?:{a})" for a in alts), re.I)
