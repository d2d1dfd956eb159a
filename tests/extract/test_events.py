"""Chronology events (accord/extract/events.py): cues, participants, dates, and what is left alone."""

from dataclasses import dataclass

import pytest

from accord.extract.events import chronology_events


@dataclass
class Sent:  # the three things the module reads from a spaCy Span
    text: str
    start_char: int = 0

    @property
    def end_char(self) -> int:
        return self.start_char + len(self.text)


def run(text, items=(), cands=("USA", "RUS"), date="2025-08-15"):
    return chronology_events(Sent(text, 40), list(items), dict.fromkeys(cands, {}), date)


@pytest.mark.parametrize("text, ptype", [
    ("On August 15, the summit in Alaska took place.", "CONSULT"),
    ("Witkoff met with Putin in Moscow.", "CONSULT"),
    ("The two sides signed the interim agreement in Geneva.", "AGREE"),
    ("Trump gave Russia a 50-day deadline.", "THREATEN"),
    ("Russia launched its largest air attack of the war.", "ASSAULT"),
    ("The two countries carried out a prisoner exchange.", "CONCEDE"),
])
def test_cues_give_typed_dated_events_with_participants(text, ptype):
    (ev,) = run(text)
    assert ev["kind"] == "event" and ev["event_type"] == ptype
    assert (ev["actor"], ev["target"], ev["date"]) == ("USA", "RUS", "2025-08-15")
    assert (ev["start"], ev["end"]) == (40, 40 + len(text))


def test_rule_actors_come_before_mentions():
    (ev,) = run("Zelensky met with Trump.", items=[{"kind": "statement", "actor": "UKR", "event_type": None}])
    assert (ev["actor"], ev["target"]) == ("UKR", "USA")


def test_a_type_the_rules_already_gave_is_not_doubled():
    items = [{"kind": "statement", "actor": "USA", "event_type": "THREATEN"}]
    assert run("Trump gave Russia a deadline.", items=items) == []


@pytest.mark.parametrize("text", [
    "Saudi Arabia offered to host a new round of talks.",
    "Merz urged Putin to agree to a ceasefire before the summit.",
    "The next round of talks will take place in Caracas.",
    "Jordan condemned the massive strike on a school.",
])
def test_events_that_have_not_happened_are_left_out(text):
    assert run(text) == []


def test_no_participant_or_no_date_no_event():
    assert run("The summit took place.", cands=()) == []
    assert run("The summit took place.", date=None) == []
    assert run("The weather was fine.") == []


def test_the_extractor_emits_them():
    from accord.extract import Extractor

    # the clause rules read this sentence as a statement without a type (from "was held")
    text = "On March 3, the meeting between Iran and the United States was held in Geneva."
    items = [it for it in Extractor().extract(text, doc_date="2025-09-10") if it.kind == "event"]
    assert any(it.event_type == "CONSULT" and it.date == "2025-03-03" and {it.actor, it.target} == {"USA", "IRN"}
               for it in items), items
