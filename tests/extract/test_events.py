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


def test_an_event_the_rules_already_gave_is_not_doubled():
    items = [{"kind": "event", "actor": "USA", "event_type": "CONSULT", "date": "2025-08-15"}]
    assert run("Witkoff met with Putin in Moscow.", items=items) == []


def test_a_statement_of_the_same_type_is_a_stance_and_the_event_still_counts():
    # the ultimatum is both Trump's threat (a statement on the issue) and a date of the chronology
    items = [{"kind": "statement", "actor": "USA", "event_type": "THREATEN", "date": "2025-08-15"}]
    (ev,) = run("Trump gave Russia a deadline.", items=items)
    assert (ev["kind"], ev["event_type"], ev["date"]) == ("event", "THREATEN", "2025-08-15")


def hits(text, doc_date):
    from accord.extract.dates import DateResolver

    return DateResolver(doc_date).find(text, bounds=True)


@pytest.mark.parametrize("text, doc_date, day", [
    # the day looked forward to, in the year it comes (an April article's "July 20" is this July)
    ("The talks face an informal July 20 deadline to hammer out a deal.", "2014-04-19", "2014-07-20"),
    ("Iran has until 15 August to provide explanations to the agency.", "2015-07-15", "2015-08-15"),
    ("Discussions should then be completed by 15 October.", "2015-07-15", "2015-10-15"),
])
def test_a_deadline_is_dated_on_the_day_it_falls(text, doc_date, day):
    (ev,) = chronology_events(Sent(text), [], {"IRN": {}, "USA": {}}, doc_date, hits(text, doc_date), doc_date)
    assert (ev["event_type"], ev["date"]) == ("THREATEN", day)


def test_a_day_before_the_document_is_no_deadline():
    text = "The report was finished by 15 June."
    assert chronology_events(Sent(text), [], {"IAEA": {}}, "2015-07-15", hits(text, "2015-07-15"), "2015-07-15") == []


def test_each_event_takes_the_date_told_nearest_it_and_not_a_references():
    text = ("In November 2013, the powers signed an interim agreement with Iran which came into force on "
            "20 January 2014 (Reuters, March 2014).")
    evs = chronology_events(Sent(text), [], {"USA": {}, "IRN": {}}, "2013-11", hits(text, "2014-11-25"), "2014-11-25")
    assert sorted((e["event_type"], e["date"]) for e in evs) == [("AGREE", "2013-11"), ("AGREE", "2014-01-20")]


def test_a_date_after_the_cue_in_its_clause_is_its_own():
    text = ("They resumed talks in Vienna last week and their negotiators continued meetings in the Austrian "
            "capital on Tuesday; the council on Monday endorsed the deal, agreed upon last week.")
    evs = chronology_events(Sent(text), [], {"USA": {}, "IRN": {}}, None, hits(text, "2014-07-09"), "2014-07-09")
    # the endorsement is Monday's, not the "last week" after the comma
    assert sorted((e["event_type"], e["date"]) for e in evs) == [
        ("AGREE", "2014-07-07"), ("CONSULT", "2014-07"), ("CONSULT", "2014-07-08")]


def test_a_meeting_told_as_a_period_starts_when_it_starts():
    text = "The ministers met from 26 March to 2 April in Lausanne."
    (ev,) = chronology_events(Sent(text), [], {"IRN": {}, "USA": {}}, None, hits(text, "2015-04-02"), "2015-04-02")
    assert (ev["event_type"], ev["date"]) == ("CONSULT", "2015-03-26")


@pytest.mark.parametrize("text", [
    "Iran and six world powers reached a landmark nuclear deal on Tuesday.",
    "A road-map for the clarification of outstanding issues was agreed yesterday.",
    "The 15-member body endorsed the deal, agreed upon last week by the six powers.",
    "I and other ministers met the Iranians in Vienna last Friday.",
    "They resumed talks in Vienna last week.",
    "On August 15, the meeting watched by the whole world took place.",
    "Trump and Putin held a phone call on Tuesday.",
    "During his visit to Moscow, Witkoff delivered the proposal.",
    # a vote or a ratification is a step of the process; what the law would do is not a doubt
    "The Senate passed legislation that would require Congress to vote on a final deal.",
    "The Security Council on Monday endorsed the nuclear deal.",
    "The two sides extended the talks until November 24.",
])
def test_agreements_reached_and_meetings_held_are_events(text):
    assert len(run(text)) == 1


@pytest.mark.parametrize("text", [
    "Saudi Arabia offered to host a new round of talks.",
    "Merz urged Putin to agree to a ceasefire before the summit.",
    "The next round of talks will take place in Caracas.",
    "Jordan condemned the massive strike on a school.",
    "Peskov claimed that a draft agreement had been signed in 2022.",
    "The Russians present it as if a document had been signed.",
    "The summit that was postponed in May will take place in June.",  # the verb after the relative clause
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


@pytest.mark.parametrize("text, ptype, day", [
    ("From the annexation of Crimea in 2014 until February 2022, the share stood at 7 percent.", "ASSAULT", "2014"),
    ("At the Istanbul negotiations in June this year, Moscow demanded that Kyiv withdraw its army.", "CONSULT", "2025-06"),
    ("After the Kharkiv operation in September 2022 and its counteroffensives, the share fell.", "ASSAULT", "2022-09"),
    ("In 2022 the Union imposed very serious sanctions on Russia.", "SANCTION", "2022"),
])
def test_events_named_by_a_noun_with_their_date_are_events(text, ptype, day):
    evs = chronology_events(Sent(text), [], {"RUS": {}, "UKR": {}}, None, hits(text, "2025-09-10"), "2025-09-10")
    assert (ptype, day) in {(e["event_type"], e["date"]) for e in evs}, evs


@pytest.mark.parametrize("text", [
    "Russia has not ended the occupation of Ukrainian territory.",  # no date: not an event of the document's day
    "The talks face a difficult week, the minister said on Monday.",  # the date is the saying's, far from the noun
    "In May, Putin proposed holding talks in Istanbul.",  # proposed, not held
])
def test_a_noun_without_its_own_date_or_not_held_is_no_event(text):
    evs = chronology_events(Sent(text), [], {"RUS": {}, "UKR": {}}, None, hits(text, "2025-09-10"), "2025-09-10")
    assert not [e for e in evs if e["event_type"] in ("ASSAULT", "CONSULT", "SANCTION")], evs


@pytest.mark.parametrize("text, day", [
    ("At the end of April, the United States put forward a proposal that envisaged recognising Crimea.", "2025-04"),
    ("In May, Putin proposed holding talks again in Turkiye.", "2025-05"),
])
def test_a_proposal_the_text_dates_is_a_step_of_the_process(text, day):
    evs = chronology_events(Sent(text), [], {"USA": {}, "RUS": {}}, None, hits(text, "2025-09-10"), "2025-09-10")
    assert [(e["event_type"], e["date"]) for e in evs] == [("REQUEST", day)]


@pytest.mark.parametrize("text", [
    "The United States put forward a proposal that envisaged recognising Crimea.",  # no date told
    "In May, Putin will propose holding talks again in Turkiye.",
    "In May, Washington said it would put forward a new plan.",
])
def test_an_undated_or_future_proposal_is_no_event(text):
    evs = chronology_events(Sent(text), [], {"USA": {}, "RUS": {}}, None, hits(text, "2025-09-10"), "2025-09-10")
    assert [e for e in evs if e["event_type"] == "REQUEST"] == []
