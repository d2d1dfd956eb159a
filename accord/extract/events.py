"""Chronology events the clause rules miss: summits, talks rounds, meetings, signings, deadlines and
ultimatums, attacks, ceasefires, exchanges of prisoners, dated proposals (docs/extraction.md,
"Event recall").

The clause rules read a sentence from its governing verb, so "On August 15, the meeting ... took
place" or "the ultimatum expired" give a statement without a type, or nothing, and "signed an
agreement" or "gave Russia a deadline" a stance (an AGREE or THREATEN statement on the issue). Here
each such event a sentence names becomes an `event` item: its participants are the sentence's
candidate holders (the rules' actors first, then the actors it mentions); its date is the date
the text tells nearest the cue (a sentence can tell two: "signed in November 2013 an agreement
which came into force on 20 January 2014"), for a deadline the day it falls on, else the
sentence's or the document's. A talks round, a war, an annexation or sanctions named by a noun
("the annexation of Crimea in 2014", "the Istanbul negotiations in June this year") are events when
the date is told next to the noun (`NOMINAL`): the history a brief recalls. An event the rules
already gave (same type and date) is not doubled. Counting signings and ultimatums the rules
read as statements cost per-sentence event precision where the annotation codes them only as
statements (test 0.85 → 0.73) and raised the unseen split's chronology recall 0.39 → 0.73 at
higher precision (0.70 → 0.77); the events named by a noun raised the article's 17 → 27 of 40.
"""

from __future__ import annotations

import re

# (PLOVER type, cue). Types follow PLOVER even where the clause rules call the type a statement
# (a signing is AGREE, an ultimatum THREATEN): on a chronology they are dated events.
_DEAL = r"(deal|agreement|accord|framework|road-?map|extension|ceasefire|truce|memorandum|treaty)"
CUES: list[tuple[str, re.Pattern[str]]] = [
    ("CONSULT", re.compile(r"\b(summits?|(round|rounds) of (talks|negotiations)|talks (were|was) held|held talks"
                           r"|(met|meets|meeting) with|(the|a|their) meeting (between|with)"
                           r"|(meeting|summit|talks|negotiations)\b[^.;:]{0,60}? (took place|was held|were held)"
                           r"|visited|(a|an|his|her|their|the) visit to|hosted (the |a )?(talks|summit|meeting)|met"
                           r"|(phone|telephone) (call|conversation|talks)|spoke (by|on the|over the) (phone|telephone)"
                           r"|(resumed|held|opened|began|continued) (the |their |a |new |fresh |another )?([\w-]+ )?(talks|negotiations|meetings)"
                           r"|engaged in ([\w-]+ )?(talks|negotiations))\b", re.I)),
    ("AGREE", re.compile(r"\b(signed|signing of|initialled|initialed|ceasefire (was|took) effect"
                         rf"|agreed (to|on|upon) (a|an|the) ([\w-]+ ){{0,3}}{_DEAL}"
                         rf"|(reached|struck|concluded|sealed|clinched) (a|an|the) ([\w-]+ ){{0,3}}{_DEAL}"
                         rf"|{_DEAL}\b[^.;:]{{0,80}}? (was|were|had been|has been) (reached|agreed|struck|concluded|signed)"
                         rf"|{_DEAL},? (reached|agreed upon|agreed on|struck|concluded|signed) (on|in|last|this|yesterday|by)"
                         r"|(came|come|comes|entered) into force"
                         # a body's vote or a ratification, and talks given more time, are steps of the process
                         r"|(endorsed|approved|ratified|adopted|passed) (the |a |an )?([\w-]+ ){0,3}"
                         r"(deal|agreement|accord|framework|treaty|resolution|legislation|bill)"
                         r"|extended (the |their )?(talks|negotiations|deadline))\b", re.I)),
    ("THREATEN", re.compile(r"\b(ultimatum|deadline)\b", re.I)),
    ("ASSAULT", re.compile(r"\b(largest|massive|major|deadly) (air |drone |missile )?(attack|strike|assault)s?\b"
                           r"|\b(attacked|struck|shelled)\b", re.I)),
    ("CONCEDE", re.compile(r"\b(prisoner|prisoners|pow|pows|captives?) (exchange|swap)|exchange of (prisoners|pows|captives|bodies)"
                           r"|(exchanged|swapped) (\w+ )?(prisoners|pows|captives)\b", re.I)),
]

# A proposal put on the table is a step of the process when the text tells its date ("At the end of
# April, the United States put forward a proposal", "In May, Putin proposed holding talks again");
# undated, or still to come (`FUTURE` before it), it is only a stance.
PROPOSED = re.compile(r"\b(proposed|put forward|tabled|submitted|unveiled|presented) (a |an |the |its |his |her "
                      r"|their |new |fresh )*([\w-]+ ){0,2}(proposal|plan|draft|offer|initiative|memorandum|framework"
                      r"|road-?map|ceasefire|truce|talks|negotiations)\b|\bproposed (holding|to hold|that|a |an )", re.I)
FUTURE = re.compile(r"\b(will|would|could|should|might|plans? to|ready to|expected to)\b", re.I)

# Events named by a noun, as a history is told ("the annexation of Crimea in 2014", "the Istanbul
# negotiations in June this year", "imposed very serious sanctions"): a chronology entry only when
# the sentence tells their date; an undated mention ("the occupation of Ukrainian territory") is
# not an event of the document's day, and the date must be told next to the noun ("the talks face
# a July 20 deadline" tells no date of talks).
NEAR = 30
NOMINAL: list[tuple[str, re.Pattern[str]]] = [
    ("CONSULT", re.compile(r"\b(talks|negotiations)\b", re.I)),
    ("ASSAULT", re.compile(r"\b((annexation|invasion|occupation|bombing) of|(full-scale|large-scale|all-out) (war|invasion)"
                           r"|(counter-?)?offensives?|(war|invasion|attack|offensive) (began|started|broke out)|outbreak of (the )?([\w-]+ )?war)\b", re.I)),
    ("SANCTION", re.compile(r"\b(imposed|introduced|announced|adopted) ([\w-]+ ){0,3}sanctions|sanctions (were|was) (imposed|announced|introduced)\b", re.I)),
]

# An event wished for, offered, condemned, promised or only claimed has not happened (dev: "offered to
# host a new round of talks", "urged Putin to agree to a ceasefire"); deadlines are about the future anyway.
NOT_HAPPENED = re.compile(r"\b(will|would|could|should|might|offer\w*|urg\w*|(?<!phone )call(s|ed|ing)? (on|for)|vow\w*"
                          r"|condemn\w*|propos(e|es|ed|ing)|plan\w*|ready to|want\w* to|claim\w*|alleg\w*|as if|as though)\b", re.I)


# a relative clause after a cue that is the sentence's verb says more about what happened ("passed
# legislation that would require Congress to vote"), not that it did not happen; after a noun ("the
# summit that was planned for May will take place in June") the verb is still to come
_RELATIVE = re.compile(r"\b(that|which|who)\b", re.I)
_DONE = re.compile(r"\w+ed\b|(met|held|struck|began|took|came|won)\b", re.I)


def _not_happened(text: str, m: re.Match) -> bool:
    """A word of wishing, offering, condemning or claiming in the sentence, except in a relative
    clause after a verb cue."""
    rel = _RELATIVE.search(text, m.end()) if _DONE.match(m.group(0)) else None
    return bool(NOT_HAPPENED.search(text[:rel.start() if rel else len(text)]))


_BOUNDARY = re.compile(r"[,;:]|\b(which|who|that|but|while|whereas|after|before|when)\b", re.I)


def _when(m: re.Match, ptype: str, hits, told, date: str | None, doc_date: str | None, text: str) -> str | None:
    """The date of the event a cue names: for a deadline, the day looked forward to ("the July 20
    deadline", "a deadline of 15 August"); else the date told nearest the cue ("signed in November
    2013 an agreement which came into force on 20 January 2014" has two events), the start of a
    period the sentence tells of and no other date ("met from 26 March to 2 April"), or the
    sentence's. `hits` are the sentence's dates outside brackets (`_unbracketed`), `told` those of
    them that bound no period."""
    if ptype == "THREATEN":
        ahead = [h for h in hits if h.ahead and h.bound != "from"]
        if ahead:
            return min(ahead, key=lambda h: _gap(m, h)).value
    if len(told) > 1:
        # a time adverbial follows its verb phrase ("continued meetings in the capital on Tuesday"):
        # the first date after the cue in its clause, else the nearest
        after = [h for h in told if h.start >= m.end() and not _BOUNDARY.search(text, m.end(), h.start)]
        return min(after or told, key=lambda h: _gap(m, h)).value
    starts = [h for h in hits if h.bound in ("from", "since")]
    if not told and starts and ptype != "THREATEN":  # "met from 26 March to 2 April", "since February, we have negotiated"
        return min(starts, key=lambda h: _gap(m, h)).value
    return date or doc_date


def _unbracketed(hits, text: str) -> list:
    """The date expressions outside brackets: a date in brackets is a reference's ("(Politico,
    August 2025)"), not an event's."""
    spans = [(b.start(), b.end()) for b in re.finditer(r"\([^()]*\)", text)]
    return [h for h in hits if not any(a < h.start and h.end <= b for a, b in spans)]


def _gap(m: re.Match, h) -> int:
    return max(h.start - m.end(), m.start() - h.end, 0)


def chronology_events(sent, items: list[dict], candidates: dict, date: str | None,
                      hits=(), doc_date: str | None = None) -> list[dict]:
    """The event items to add for one sentence (spaCy Span), given the items the rules and the
    learned layer left on it, its candidate holders (actor code → features), its date (the text's
    or else the document's), its date expressions (dates.DateHit, sentence offsets, period bounds
    included) and the document's date. A day the sentence looks forward to with "by" or "until"
    ("have until 15 August to provide explanations", "should be completed by 15 October") is a
    deadline when it lies after the document's date."""
    text = sent.text
    # the rules' own events are not doubled; a statement of the same type is a stance, and the
    # signing, ultimatum or exchange it tells of is still an event of the chronology
    have = {(it.get("event_type"), it.get("date")) for it in items if it.get("kind") == "event"}
    parties = list(dict.fromkeys([*(it["actor"] for it in items if it.get("actor")), *candidates]))
    if not parties or not (date or doc_date):
        return []  # an event nobody takes part in, or undated, is no chronology entry
    found: list[tuple[str, str]] = []
    dated = _unbracketed(hits, text)  # once per sentence, for every cue
    told = [h for h in dated if h.bound is None]  # the dates of what happened, not a period's ends
    for ptype, rx in CUES:
        for m in rx.finditer(text):
            if ptype != "THREATEN" and _not_happened(text, m):
                continue
            when = _when(m, ptype, dated, told, date, doc_date, text)
            if when and (ptype, when) not in found:
                found.append((ptype, when))
    for m in PROPOSED.finditer(text) if told else ():
        when = min(told, key=lambda h: _gap(m, h)).value
        if not FUTURE.search(text[:m.start()]) and ("REQUEST", when) not in found:
            found.append(("REQUEST", when))
    for ptype, rx in NOMINAL if told else ():
        for m in rx.finditer(text):
            near = min(told, key=lambda h: _gap(m, h))
            # "proposed talks in Istanbul on May 15" did not happen; a demand later in the sentence
            # ("At the Istanbul negotiations in June, Moscow demanded that ...") is not about the talks
            said = text[max(0, min(m.start(), near.start) - NEAR):max(m.end(), near.end)]
            # a date another cue took is that event's ("the talks face a July 20 deadline")
            if _gap(m, near) <= NEAR and not NOT_HAPPENED.search(said) \
                    and not any(t == ptype or w == near.value for t, w in found):
                found.append((ptype, near.value))
    if not any(t == "THREATEN" for t, _ in found):
        for h in hits:
            if h.bound in ("by", "until", "till") and len(h.value) == 10 and doc_date and h.value > doc_date:
                found.append(("THREATEN", h.value))
                break
    out = []
    for ptype, when in found:
        if (ptype, when) in have or (ptype, None) in have:
            continue
        out.append({"kind": "event", "event_type": ptype, "actor": parties[0],
                    "target": parties[1] if len(parties) > 1 else None, "date": when,
                    "start": sent.start_char, "end": sent.end_char,
                    "sentence": [sent.start_char, sent.end_char], "confidence": 0.5})
    return out
