"""Chronology events the clause rules miss: summits, talks rounds, meetings, signings, deadlines and
ultimatums, attacks, ceasefires, exchanges of prisoners (docs/extraction.md, "Event recall").

The clause rules read a sentence from its governing verb, so "On August 15, the meeting ... took
place" or "the ultimatum expired" give a statement without a type, or nothing. Here a sentence
that names such an event gets one `event` item: its participants are the sentence's candidate
holders (the rules' actors first, then the actors it mentions), its date the sentence's own date
(from the text, relative dates resolved) or else the document's. A sentence whose items already
carry that type (an event, or a statement such as the rules' THREATEN for "gave Russia a
deadline") gets none, so the rules' own readings are kept and not doubled. (Also adding events
where the rules read a signing or an exchange as an AGREE / CONCEDE statement lowered dev
precision, 0.97 → 0.94 per sentence, and found no more of the article's chronology.)
"""

from __future__ import annotations

import re

# (PLOVER type, cue). Types follow PLOVER even where the clause rules call the type a statement
# (a signing is AGREE, an ultimatum THREATEN): on a chronology they are dated events.
CUES: list[tuple[str, re.Pattern[str]]] = [
    ("CONSULT", re.compile(r"\b(summits?|(round|rounds) of (talks|negotiations)|talks (were|was) held|held talks"
                           r"|(met|meets|meeting) with|(the|a|their) meeting (took place|was held|between)"
                           r"|visited|hosted (the |a )?(talks|summit|meeting))\b", re.I)),
    ("AGREE", re.compile(r"\b(signed|signing of|initialled|initialed|ceasefire (was|took) effect"
                         r"|agreed (to|on) a (ceasefire|truce))\b", re.I)),
    ("THREATEN", re.compile(r"\b(ultimatum|deadline)\b", re.I)),
    ("ASSAULT", re.compile(r"\b(largest|massive|major|deadly) (air |drone |missile )?(attack|strike|assault)s?\b"
                           r"|\b(attacked|struck|shelled)\b", re.I)),
    ("CONCEDE", re.compile(r"\b(prisoner|prisoners|pow|pows|captives?) (exchange|swap)|exchange of (prisoners|pows|captives|bodies)"
                           r"|(exchanged|swapped) (\w+ )?(prisoners|pows|captives)\b", re.I)),
]

# An event wished for, offered, condemned or promised has not happened (dev: "offered to host a new
# round of talks", "urged Putin to agree to a ceasefire"); deadlines are about the future anyway.
NOT_HAPPENED = re.compile(r"\b(will|would|could|should|might|offer\w*|urg\w*|call\w* (on|for)|vow\w*"
                          r"|condemn\w*|propos\w*|plan\w*|ready to|want\w* to)\b", re.I)


def chronology_events(sent, items: list[dict], candidates: dict, date: str | None) -> list[dict]:
    """The event items to add for one sentence (spaCy Span), given the items the rules and the
    learned layer left on it and its candidate holders (actor code → features)."""
    text = sent.text
    have = {it.get("event_type") for it in items if it.get("kind") in ("statement", "event")}
    parties = list(dict.fromkeys([*(it["actor"] for it in items if it.get("actor")), *candidates]))
    if not parties or not date:
        return []  # an event nobody takes part in, or undated, is no chronology entry
    out = []
    for ptype, rx in CUES:
        if ptype in have or not rx.search(text):
            continue
        if ptype != "THREATEN" and NOT_HAPPENED.search(text):
            continue
        out.append({"kind": "event", "event_type": ptype, "actor": parties[0],
                    "target": parties[1] if len(parties) > 1 else None, "date": date,
                    "start": sent.start_char, "end": sent.end_char,
                    "sentence": [sent.start_char, sent.end_char], "confidence": 0.5})
    return out
