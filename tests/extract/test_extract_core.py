"""Extraction: spans, attribution, PLOVER types, dates, figures, contradictions, languages."""

from __future__ import annotations

import pytest

from accord.case.models import Actor, Case, CaseMeta, Issue
from accord.extract import Extractor, analyse_document, detect_language, extract_document
from accord.extract.dates import DateResolver


@pytest.fixture(scope="module")
def ex():
    return Extractor()  # the spaCy pipeline is cached per process


def _main(items, kind=("statement", "event")):
    return [i for i in items if i.kind in kind]


def test_offsets_index_the_unnormalised_text(ex):
    text = "  Intro line.\n\nRussian  Foreign Minister Sergei Lavrov   said on Monday that Moscow rejected the “peace plan”.\r\nNext."
    items = ex.extract(text, doc_date="2025-09-10")
    st = _main(items)
    assert st, items
    for it in items:
        assert 0 <= it.start < it.end <= len(text)
    assert text[st[0].start:st[0].end].startswith("Russian  Foreign Minister")
    assert st[0].actor == "RUS" and st[0].speaker == "Sergei Lavrov"
    assert st[0].date == "2025-09-08"


@pytest.mark.parametrize("sentence, etype, actor", [
    ("Kremlin spokesperson Dmitry Peskov said Moscow would not accept foreign troops in Ukraine.", "REJECT", "RUS"),
    ("The White House called for an immediate ceasefire.", "REQUEST", "USA"),
    ("The European Union imposed new sanctions on Iran.", "SANCTION", "EUR"),
    ("Israeli forces shelled a refugee camp in Gaza.", "ASSAULT", "ISR"),
    ("Turkish President Recep Tayyip Erdogan met the Ukrainian delegation in Ankara.", "CONSULT", "TUR"),
    ("Germany pledged air defence systems to Kyiv.", "AID", "DEU"),
    ("Pyongyang threatened to strike American bases.", "THREATEN", "PRK"),
    ("Egypt condemned the attack on the convoy.", "DISAPPROVE", "EGY"),
    ("Azerbaijan did not agree to the proposed border commission.", "REJECT", "AZE"),
    ("Russian troops withdrew from the west bank of the river.", "RETREAT", "RUS"),
    ("Sudan accused the United Arab Emirates of arming the paramilitaries.", "ACCUSE", "SDN"),
    ("Trump said he might impose sanctions on Russia.", "THREATEN", "USA"),
])
def test_plover_type_and_source_actor(ex, sentence, etype, actor):
    st = _main(ex.extract(sentence, doc_date="2025-09-10"))
    assert st, sentence
    assert (st[0].event_type, st[0].actor) == (etype, actor)


def test_nested_holder_is_the_reported_actor(ex):
    text = "Ukrainian President Zelensky revealed that Putin had made Ukraine's withdrawal from Donbas a condition."
    st = _main(ex.extract(text, doc_date="2025-08-20"))
    assert st and st[0].actor == "RUS" and st[0].event_type == "REQUEST"
    assert st[0].reported_by == "Zelensky"
    assert st[0].issue == "territory" and st[0].position == 70


def test_quote_sentences_belong_to_the_speaker(ex):
    text = ('Ambassador Olena Kovalenko, Ukraine\'s envoy to Brazil, says the talks must go on: '
            '“We will never give up Crimea. Sanctions on Russia must be strengthened.”')
    st = _main(ex.extract(text, doc_date="2025-09-10"))
    quoted = [s for s in st if s.quote]
    assert {s.issue for s in quoted} >= {"crimea", "sanctions"}
    assert all(s.actor == "UKR" for s in quoted)
    assert any(s.speaker == "Olena Kovalenko" for s in quoted)


def test_a_quotation_goes_on_about_its_last_issue(ex):
    # "This is essential." names no issue: in a quotation that runs on into a new paragraph it is the
    # speaker's, on the issue the quotation last named; the same sentence outside it is no one's
    text = ('Ambassador Olena Kovalenko, Ukraine\'s envoy to Brazil, says the talks must go on: '
            '“We will never give up Crimea.\n\nThis is essential. Our people know it.”\n\nThis is essential.')
    items = _main(ex.extract(text, doc_date="2025-09-10"))
    inner, outer = text.index("This is essential."), text.rindex("This is essential.")
    assert {(s.actor, s.issue) for s in items if s.start == inner} == {("UKR", "crimea")}
    assert [s for s in items if s.start == outer] == []


def test_a_quotation_that_follows_its_speakers_report_starts_on_its_issue(ex):
    # the quotation's first sentence names neither issue nor speaker: "he said" comes a sentence
    # later, and the issue is the one the report before it gave him
    text = ("Minister Anna Weber said on Tuesday that Northland would accept the water quota.\n\n"
            "“We are not fixated on the past. We know what they did,” he said.")
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="NORTHLAND", name="Northland", kind="state"),
                        Actor(id="weber", name="Anna Weber", kind="person", speaks_for="NORTHLAND")],
                issues=[Issue(id="water", name="Water quota", scale={0: "no quota", 100: "full quota"})])
    items = _main(ex.extract(text, doc_date="2025-09-03", case=case))
    first = text.index("“We are")
    assert {(s.actor, s.issue) for s in items if s.start == first} == {("NORTHLAND", "water")}


def test_a_quotation_goes_on_about_the_issue_its_sentence_names_rather_than_the_carried_one():
    # the quotation opens after its speaker was reported on the ceasefire; a sentence of it that
    # had no holder when the rules read it but names the front line is on territory, and so is
    # what follows it
    from accord.extract.combine import carry_issues
    from accord.extract.issues import IssueMatcher
    from accord.extract.learned import SentenceInfo
    from accord.extract.nlp import get_nlp
    from accord.extract.state import Holder

    doc = get_nlp()("The envoy said Ukraine wants a ceasefire. There is no real difference between the "
                    "front line of 2022 and that of 2025. This, of course, is impossible.")
    s0, s1, s2 = list(doc.sents)
    reported = {"kind": "statement", "actor": "UKR", "issue": "ceasefire", "start": 0, "end": s0.end_char}
    infos = [SentenceInfo(s0, [reported], {}, 0, False, None, None),
             SentenceInfo(s1, [], {}, 1, True, None, None, quote=0),
             SentenceInfo(s2, [], {}, 1, True, None, None, quote=0)]
    carry_issues(infos, IssueMatcher(), {0: Holder("UKR")})
    assert [(it["actor"], it["issue"]) for it in infos[1].items] == [("UKR", "territory")]
    assert [(it["actor"], it["issue"]) for it in infos[2].items] == [("UKR", "territory")]


def test_what_a_quotation_tells_another_party_did_is_that_partys_on_its_topic():
    # the speaker was reported on the talks; in the quotation, "Trump pressured him" is an act the
    # speaker recounts: the quotation's topic goes to the party who acted, not to the speaker, while
    # "He would never go." (a guess, not an act) stays the speaker's
    from accord.extract.combine import carry_issues
    from accord.extract.issues import IssueMatcher
    from accord.extract.learned import SentenceInfo
    from accord.extract.nlp import get_nlp
    from accord.extract.state import Holder

    doc = get_nlp()("The envoy said Ukraine wants direct talks. Trump pressured him into going. "
                    "He would never go.")
    s0, s1, s2 = list(doc.sents)
    reported = {"kind": "statement", "actor": "UKR", "issue": "talks_format", "start": 0, "end": s0.end_char}
    act = {"kind": "statement", "actor": "USA", "event_type": "COERCE", "issue": None}
    guess = {"kind": "statement", "actor": "RUS", "event_type": "REJECT", "issue": None}
    infos = [SentenceInfo(s0, [reported], {}, 0, False, None, None),
             SentenceInfo(s1, [act], {}, 1, True, None, None, quote=0),
             SentenceInfo(s2, [guess], {}, 1, True, None, None, quote=0)]
    carry_issues(infos, IssueMatcher(), {0: Holder("UKR")})
    assert [(it["actor"], it["issue"]) for it in infos[1].items] == [("USA", "talks_format")]
    assert [(it["actor"], it["issue"]) for it in infos[2].items] == [("RUS", None), ("UKR", "talks_format")]


def test_what_carries_is_the_issue_the_sentence_named_not_the_one_its_paragraph_lent():
    # "As for the Church" in a paragraph on language: the holder's items are on both, the one on
    # language lent by the paragraph; the next sentence goes on about the church
    from accord.extract.combine import carry_issues
    from accord.extract.issues import IssueMatcher
    from accord.extract.learned import SentenceInfo
    from accord.extract.nlp import get_nlp

    doc = get_nlp()("As for the Church, everyone knows that Moscow uses it. This is very ridiculous.")
    s0, s1 = list(doc.sents)
    lent = {"kind": "statement", "actor": "UKR", "issue": "language", "confidence": 0.6}
    named = {"kind": "statement", "actor": "UKR", "issue": "church", "confidence": 0.9}
    infos = [SentenceInfo(s0, [lent, named], {}, 0, False, None, None),
             SentenceInfo(s1, [{"kind": "statement", "actor": "UKR", "issue": None, "confidence": 0.6}],
                          {}, 0, False, None, None)]
    carry_issues(infos, IssueMatcher())
    assert [(it["actor"], it["issue"]) for it in infos[1].items] == [("UKR", "church")]


def test_in_a_quotation_its_topic_wins_over_an_issue_the_paragraph_lent():
    # the classifier gave "This is very ridiculous." the issue of its paragraph (language); the
    # quotation it sits in was last on the church, which the sentence before named
    from accord.extract.combine import carry_issues
    from accord.extract.issues import IssueMatcher
    from accord.extract.learned import SentenceInfo
    from accord.extract.nlp import get_nlp
    from accord.extract.state import Holder

    doc = get_nlp()("As for the Church, everyone knows that Moscow uses it. This is very ridiculous.")
    s0, s1 = list(doc.sents)
    infos = [SentenceInfo(s0, [{"kind": "statement", "actor": "UKR", "issue": "church", "confidence": 0.9}],
                          {}, 0, True, Holder("UKR"), None, quote=0),
             SentenceInfo(s1, [{"kind": "statement", "actor": "UKR", "issue": "language", "confidence": 0.6}],
                          {}, 0, True, Holder("UKR"), None, quote=0)]
    carry_issues(infos, IssueMatcher())
    assert [(it["actor"], it["issue"]) for it in infos[1].items] == [("UKR", "church")]


def test_a_list_of_demands_keeps_every_issue_it_lists(ex):
    # five demands between semicolons: the classifier, reading the sentence whole, let some fall
    text = ("At the talks in June, Moscow demanded that Ukraine withdraw its troops from Donetsk and Luhansk; "
            "that the annexation of Crimea be recognised; that Kyiv reduce its army; that Western weapons "
            "deliveries stop; and that elections be held within 100 days.")
    items = _main(ex.extract(text, doc_date="2025-06-10"))
    assert {("RUS", i) for i in ("territory", "crimea", "army_limits", "military_aid", "elections")} \
        <= {(s.actor, s.issue) for s in items}


def test_a_speech_verb_the_parser_makes_an_aside_still_names_the_speaker(ex):
    # with a clause after "..., X said, and ...", the parser hangs "said" under what was said
    text = "The route through Syunik will remain Armenian, Pashinyan said, and border guards will run it."
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"),
                        Actor(id="pashinyan", name="Nikol Pashinyan", kind="person", speaks_for="ARM")],
                issues=[Issue(id="route", name="Transit route through Syunik",
                              scale={0: "no route", 100: "extraterritorial corridor"})])
    items = _main(ex.extract(text, doc_date="2025-09-03", case=case))
    assert [(s.actor, s.issue) for s in items] == [("ARM", "route")]


def test_case_aliases_and_persons_win(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="NORTHLAND", name="Northland", kind="state", aliases=["Borealia"]),
                        Actor(id="ivanka", name="Ivanka Petrova", kind="person", speaks_for="NORTHLAND",
                              aliases=["Ambassador Petra"])],
                issues=[Issue(id="water", name="Water sharing", scale={0: "all water to the south", 100: "all water to the north"})])
    st = _main(ex.extract("Petrova said Borealia demands all water to the north.", doc_date="2025-01-02", case=case))
    assert st[0].actor == "NORTHLAND" and st[0].speaker == "ivanka"
    assert st[0].issue == "water" and st[0].position == 100


def test_a_sum_in_a_name_is_written_either_way():
    from accord.extract.gazetteer import ActorResolver

    case = Case(meta=CaseMeta(id="t", title="t"), actors=[Actor(id="G6", name="P5+1", kind="bloc", aliases=["E3+3"])])
    r = ActorResolver(case)
    assert [r.code(n) for n in ("P5 plus 1", "the P5 + 1", "E3 Plus 3", "P5+1")] == ["G6"] * 4
    assert r.code("P5 plus") is None and r.code("P5 and 1") is None


def test_a_case_name_is_met_by_its_short_form_and_a_bloc_by_its_size(ex):
    from accord.extract.gazetteer import ActorResolver

    states = [Actor(id=c, name=n, kind="state") for c, n in
              [("USA", "United States"), ("RUS", "Russia"), ("CHN", "China"), ("IRN", "Iran")]]
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        *states, Actor(id="CONG", name="US Congress", kind="organisation"),
        Actor(id="UNSC", name="UN Security Council", kind="organisation"),
        Actor(id="GOV", name="Iranian government", kind="organisation"),
        Actor(id="G3", name="Group of three", kind="bloc", members=["USA", "RUS", "CHN"])],
        issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    r = ActorResolver(case)
    # the case's "Congress" before the built-in reading (the United States); "government" is any
    assert [r.code(n) for n in ("Congress", "the Security Council", "the government")] == ["CONG", "UNSC", None]
    # a name given with its article is read the same ("the US Senate")
    senate = case.model_copy(update={"actors": [*case.actors, Actor(id="SEN", name="the US Senate", kind="organisation")]})
    assert ActorResolver(senate).code("the Senate") == "SEN"
    # dotted initials are the initials ("us" stays a pronoun)
    assert [r.code(n) for n in ("the U.N. Security Council", "U.S.", "us")] == ["UNSC", "USA", None]
    assert [r.code(n) for n in ("three world powers", "the three countries", "four powers")] == ["G3", "G3", None]
    two = case.model_copy(update={"actors": [*case.actors, Actor(id="G3b", name="Other three", kind="bloc",
                                                                  members=["USA", "RUS", "IRN"])]})
    assert ActorResolver(two).code("three world powers") is None  # which of the two is not for the reader to guess
    pair = case.model_copy(update={"actors": [*case.actors, Actor(id="G2", name="Pair", kind="bloc", members=["USA", "RUS"])]})
    assert ActorResolver(pair).code("the two countries") is None  # the two sides, not a bloc of two
    items = _main(ex.extract("Iran and three world powers agreed on sanctions relief in Geneva.",
                             doc_date="2013-11-24", case=case))
    assert {"IRN", "USA", "RUS", "CHN"} <= {i.actor for i in items}, [(i.actor, i.issue) for i in items]


def test_a_name_in_quotation_marks_or_with_its_of_phrase_is_the_alias(ex):
    # "the “Coalition of the Willing”": the marks are not part of the name, and the parser's head
    # "Coalition" is a name only with "of the Willing"
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="EUR", name="European allies", kind="bloc", aliases=["Coalition of the Willing"]),
                        Actor(id="FRA", name="France", kind="state")],
                issues=[Issue(id="guarantees", name="Security guarantees", scale={0: "none", 100: "troops"})])
    from accord.extract.gazetteer import ActorResolver

    assert ActorResolver(case).code("the “Coalition of the Willing”") == "EUR"
    items = [i for i in ex.extract("The “Coalition of the Willing” held its first meeting on September 4 in Paris.",
                                   doc_date="2025-09-12", case=case) if i.kind in ("statement", "event")]
    assert items and {i.actor for i in items} == {"EUR"}


def test_an_alias_that_ends_in_a_title_gives_no_surname(ex):
    # "Ukraine's Prime Minister" is an alias of the prime minister; "Minister" is no surname of hers
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="UKR", name="Ukraine", kind="state"), Actor(id="RUS", name="Russia", kind="state"),
                        Actor(id="pm", name="Yulia Svyrydenko", kind="person", speaks_for="UKR",
                              aliases=["Ukraine's Prime Minister"])],
                issues=[Issue(id="territory", name="Territory", scale={0: "none", 100: "all"})])
    items = _main(ex.extract("The Foreign Minister of Russia said Kyiv must withdraw from Donetsk.",
                             doc_date="2025-09-12", case=case))
    assert {(i.actor, i.speaker) for i in items} == {("RUS", "Foreign Minister of Russia")}


def test_an_office_of_a_named_country_is_the_case_person_who_holds_it(ex):
    # aliases "Iran's foreign minister" and "Iranian President" name offices: "the Foreign Minister
    # of Iran" is Zarif; a bare "the President" in a text on Iran is not Rouhani
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="IRN", name="Iran", kind="state"), Actor(id="USA", name="United States", kind="state"),
                        Actor(id="zarif", name="Mohammad Javad Zarif", kind="person", speaks_for="IRN",
                              aliases=["Iran's foreign minister"]),
                        Actor(id="rouhani", name="Hassan Rouhani", kind="person", speaks_for="IRN",
                              aliases=["Iranian President"])],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    items = _main(ex.extract("The Foreign Minister of Iran said all sanctions must be lifted.", doc_date="2015-04-02", case=case))
    assert {(i.actor, i.speaker) for i in items} == {("IRN", "zarif")}
    items = _main(ex.extract("Iran wants sanctions lifted. The President said the sanctions will stay.",
                             doc_date="2015-04-02", case=case))
    assert "rouhani" not in {i.speaker for i in items}


def _iran_us_case():
    return Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="IRN", name="Iran", kind="state"), Actor(id="USA", name="United States", kind="state"),
                        Actor(id="obama", name="Barack Obama", kind="person", speaks_for="USA"),
                        Actor(id="khamenei", name="Ali Khamenei", kind="person", speaks_for="IRN")],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])


def test_a_bare_title_is_the_person_last_named_with_it(ex):
    # not the country the sentence names (Iran, in the quotation)
    text = ("President Barack Obama on Wednesday hailed the framework agreed with Iran. "
            "\u201cThis framework would cut off every pathway that Iran could take to a bomb,\u201d the President said.")
    items = [i for i in _main(ex.extract(text, doc_date="2015-04-02", case=_iran_us_case())) if i.start > 60]
    assert {(i.actor, i.speaker) for i in items if i.speaker} == {("USA", "obama")}


def test_a_party_mentioned_in_what_a_named_speaker_says_is_not_a_holder(ex):
    text = ("President Barack Obama on Wednesday hailed the framework. \u201cThis deal would cut off every pathway "
            "to the bomb that Iran could take while sanctions are lifted,\u201d Obama said.")
    items = [i for i in _main(ex.extract(text, doc_date="2015-04-02", case=_iran_us_case())) if i.start > 55]
    assert items and {i.actor for i in items} == {"USA"}, [(i.actor, i.issue) for i in items]


def test_a_case_persons_role_is_an_office_held_in_its_term(ex):
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        Actor(id="EU", name="European Union", kind="bloc"), Actor(id="USA", name="United States", kind="state"),
        Actor(id="IRN", name="Iran", kind="state"),
        Actor(id="ashton", name="Catherine Ashton", kind="person", speaks_for="EU", role="EU High Representative (to 2014)"),
        Actor(id="mogherini", name="Federica Mogherini", kind="person", speaks_for="EU",
              role="EU High Representative (from November 2014)"),
        Actor(id="cotton", name="Tom Cotton", kind="person", speaks_for="USA", role="US Senator (Arkansas)"),
        Actor(id="zarif", name="Mohammad Javad Zarif", kind="person", speaks_for="IRN", role="Foreign Minister of Iran")],
        issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    text = "The EU High Representative said sanctions on Iran would be lifted."
    for date, who in (("2015-04-02", "mogherini"), ("2013-11-24", "ashton")):
        assert {i.speaker for i in _main(ex.extract(text, doc_date=date, case=case))} == {who}, date
    held = _main(ex.extract("The Iranian foreign minister said all sanctions must be lifted.", doc_date="2015-04-02", case=case))
    assert {(i.actor, i.speaker) for i in held} == {("IRN", "zarif")}
    # an office many hold is no one in particular when indefinite
    held = _main(ex.extract("A U.S. senator said the sanctions must stay.", doc_date="2015-03-09", case=case))
    assert "cotton" not in {i.speaker for i in held}
    # what reporters call an office: a country's "top diplomat" is its foreign minister
    held = _main(ex.extract("Iran's top diplomat said all sanctions must be lifted.", doc_date="2015-04-02", case=case))
    assert {(i.actor, i.speaker) for i in held} == {("IRN", "zarif")}


def test_a_title_the_case_gives_a_person_as_a_name_is_that_person(ex):
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        Actor(id="IRN", name="Iran", kind="state"), Actor(id="UKR", name="Ukraine", kind="state"),
        Actor(id="TUR", name="Turkiye", kind="state"),
        Actor(id="khamenei", name="Ali Khamenei", kind="person", speaks_for="IRN", aliases=["the Supreme Leader"]),
        Actor(id="celal", name="Naryman Dzhelialov", kind="person", speaks_for="UKR", aliases=["the ambassador"])],
        issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    held = _main(ex.extract("The supreme leader said all sanctions must be lifted.", doc_date="2015-06-23", case=case))
    assert {(i.actor, i.speaker) for i in held} == {("IRN", "khamenei")}
    # a title whose country is said is not the case's person of another country
    held = _main(ex.extract("Turkiye's ambassador said sanctions would not help.", doc_date="2025-09-10", case=case))
    assert "celal" not in {i.speaker for i in held}


@pytest.mark.parametrize(("text", "actor", "ptype"), [
    ("France issued a statement condemning the strike on Kharkiv.", "FRA", "DISAPPROVE"),
    ("The Kremlin released a statement welcoming the talks in Istanbul.", "RUS", "SUPPORT"),  # not a release
    ("Saudi Arabia had made a cautious statement endorsing the nuclear framework agreement.", "SAU", "SUPPORT"),
])
def test_a_statement_issued_takes_the_type_of_the_verb_that_qualifies_it(ex, text, actor, ptype):
    assert {(i.actor, i.event_type) for i in _main(ex.extract(text, doc_date="2015-05-01"))} == {(actor, ptype)}


def test_a_pronoun_subject_continues_the_last_main_clause_person(ex):
    # "he" is Obama, who held the last main clause, not Khamenei named inside it
    text = ("Barack Obama said Khamenei's remarks would not affect the talks on sanctions. "
            "\u201cThis has been going on throughout the negotiations,\u201d he said the next day.")
    items = [i for i in _main(ex.extract(text, doc_date="2015-06-24", case=_iran_us_case())) if i.start > 75]
    assert {i.speaker for i in items if i.speaker} == {"obama"}


def test_an_unnamed_speaker_is_met_again_by_title(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="IRN", name="Iran", kind="state"), Actor(id="SAU", name="Saudi Arabia", kind="state")],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    text = ("The deal would prove bad if it allowed Tehran to wreak havoc, a Saudi official told Reuters. "
            "The official said Iran had destabilised the whole Middle East.")
    items = [i for i in _main(ex.extract(text, doc_date="2015-07-15", case=case)) if i.start > 90]
    assert {i.actor for i in items if i.speaker} == {"SAU"}


def test_a_group_of_an_alias_is_the_alias(ex):
    # the alias is a noun with its adjective; "a group of ..." counts its members
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="IRN", name="Iran", kind="state"),
                        Actor(id="CONGRESS", name="US Congress", kind="organisation", aliases=["Republican senators"])],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    items = _main(ex.extract("On March 9, a group of 47 Republican senators warned Iran's leaders that a deal could be revoked.",
                             doc_date="2015-03-09", case=case))
    assert "CONGRESS" in {i.actor for i in items}


def test_a_title_beside_another_speaker_is_its_own_speaker(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="EU", name="European Union", kind="bloc", aliases=["EU"]),
                        Actor(id="IRN", name="Iran", kind="state")],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "none", 100: "all lifted"})])
    items = _main(ex.extract("The EU High Representative and the Foreign Minister of Iran said sanctions would be lifted.",
                             doc_date="2015-04-02", case=case))
    assert "EU High Representative" in {i.speaker for i in items if i.actor == "EU"}


def test_relative_dates():
    r = DateResolver("2025-09-12")
    assert r.find("In mid-August, Trump met Putin.")[0].value == "2025-08"
    assert r.find("At the end of April, the US proposed a plan.")[0].value == "2025-04"
    hit = r.find("On August 15, the summit took place.")[0]
    r.note(hit.value)
    assert r.find("Two days later, he met Zelensky.")[0].value == "2025-08-17"
    assert r.find("on Tuesday")[0].value == "2025-09-09"
    assert r.find("From 2014 to 2022 it held 7 percent.") == []


def test_days_after_a_named_event_count_from_when_it_was_told():
    r = DateResolver("2025-09-12")
    r.note("2025-08-15", "On August 15, the summit in Alaska took place.")
    r.note("2025-08-20", "On August 20, Witkoff flew to Paris.")
    # from the summit's day, not from the last date told
    assert r.find("A day after the Alaska meeting, the leaders issued a statement.")[0].value == "2025-08-16"
    assert r.find("Two days after meeting with Putin, Trump shifted the blame.")[0].value == "2025-08-17"
    assert r.find("Two days later, he met Zelensky.")[0].value == "2025-08-22"


def test_period_bounds_and_days_looked_forward_to():
    r = DateResolver("2014-04-19")
    # a period's ends are no date a thing was said; asked for, they come with the word that bounds them
    assert r.find("They have until November 24 to make a deal.") == []
    (hit,) = r.find("They have until November 24 to make a deal.", bounds=True)
    assert (hit.value, hit.bound, hit.ahead) == ("2014-11-24", "until", True)
    # a deadline's month and day is the next such day; a reported one, the last
    assert r.find("The talks face a July 20 deadline.")[0].value == "2014-07-20"
    assert r.find("On July 20, the talks resumed.")[0].value == "2013-07-20"
    assert DateResolver("2014-09-19").find("They missed the July 20 deadline.")[0].value == "2014-07-20"


def test_that_date_is_the_date_just_told():
    r = DateResolver("2014-12-01")
    assert r.find("On that date, they extended the talks.") == []  # nothing told before
    r.note(r.find("The talks began on July 20.")[0].value)
    assert r.find("On that date, however, negotiators announced an extension.")[0].value == "2014-07-20"


def test_a_statement_is_not_dated_by_what_is_to_come(ex):
    text = "Pashinyan said on Monday that a referendum could be held in 2027."
    said = {it.date for it in ex.extract(text, doc_date="2025-03-12") if it.kind == "statement"}
    assert said == {"2025-03-10"}  # the Monday it was said, not the year it looks forward to
    said = {it.date for it in ex.extract("Pashinyan said a referendum could be held in 2027.", doc_date="2025-03")
            if it.kind == "statement"}
    assert said == {"2025-03"}


def test_figures_and_contradictions(ex):
    text = ("On September 7, Russia launched 805 drones and 13 missiles at Ukraine. "
            "Nearly one-fifth of Ukraine's territory (114.5 square kilometers) is under occupation. "
            "Maria Lind, Sweden's ambassador to Norway, spoke to reporters. "
            "Norway's ambassador to Sweden said the talks were useful. "
            "From 2014 to 2022 Russia occupied 7 percent of Ukrainian territory. "
            "Between 2014 and 2022, Russia occupied 26 percent of Ukrainian territory.")
    items = ex.extract(text, doc_date="2025-09-12")
    figs = {(f.quantity, f.value, f.unit) for f in items if f.kind == "figure"}
    assert ("drones", 805.0, "drones") in figs and ("missiles", 13.0, "missiles") in figs
    drone = next(f for f in items if f.kind == "figure" and f.value == 805)
    assert drone.date == "2025-09-07" and text[drone.start:drone.end] == "805 drones"
    whys = [c.why for c in items if c.kind == "contradiction"]
    assert any("km2" in w and "cannot be right" in w for w in whys), whys
    assert any("ambassador" in w for w in whys), whys
    assert any("occupied_share" in w for w in whys), whys
    for c in items:
        if c.kind == "contradiction":
            assert text[c.start:c.end]


def test_other_languages_are_flagged_not_extracted():
    ru = "Президент заявил, что Россия не примет никаких условий мирного соглашения с Украиной."
    assert detect_language(ru)[0] == "ru"
    res = analyse_document(ru)
    assert res["flagged"] and res["items"] == [] and "ru" in res["reason"]
    assert extract_document(ru) == []
    assert detect_language("Russia rejected the proposal for a ceasefire in the east.")[0] == "en"


def test_extract_many_equals_one_by_one(ex):
    texts = ["Poland urged NATO to deploy more troops.", "Hamas released three hostages on Sunday."]
    dates = ["2025-01-10", "2025-02-02"]
    assert ex.extract_many(texts, dates) == [ex.extract(t, doc_date=d) for t, d in zip(texts, dates)]


def test_a_quotation_its_attribution_closes_is_that_speakers_not_the_one_before_it(ex):
    # the quotation opens right after Southland's demand, but its close names its speaker: the
    # first sentence is Weber's (Northland's) too, read once the attribution is known
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="NORTHLAND", name="Northland", kind="state"),
                        Actor(id="SOUTHLAND", name="Southland", kind="state"),
                        Actor(id="weber", name="Anna Weber", kind="person", speaks_for="NORTHLAND")],
                issues=[Issue(id="water", name="Water quota", scale={0: "no quota", 100: "full quota"})])
    text = ("Southland says Northland must cut its water quota.\n"
            "“Our officials say we need the full water quota. We will not give it up,” Weber said.")
    first = text.index("“Our")
    items = [s for s in _main(ex.extract(text, doc_date="2025-09-03", case=case)) if first <= s.start < text.index(" We will")]
    assert {s.actor for s in items} == {"NORTHLAND"}, [(s.actor, s.issue) for s in items]
    # a pronoun at the close continues the speaker before the quotation
    text = ("Southland says Northland must cut its water quota.\n"
            "“Our officials say we need the full water quota. We will not give it up,” he said.")
    items = [s for s in _main(ex.extract(text, doc_date="2025-09-03", case=case)) if first <= s.start < text.index(" We will")]
    assert {s.actor for s in items} == {"SOUTHLAND"}, [(s.actor, s.issue) for s in items]


def test_the_two_leaders_are_the_parties_just_named_together(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")],
                issues=[Issue(id="border", name="Border delimitation", keywords=["border"],
                              scale={0: "no delimitation", 100: "border delimited"})])
    text = "Armenia and Azerbaijan met in Washington on Friday. The two leaders pledged to open the border."
    items = [i for i in _main(ex.extract(text, doc_date="2025-08-08", case=case)) if i.start >= text.index("The two")]
    assert {i.actor for i in items} == {"ARM", "AZE"}, [(i.actor, i.issue) for i in items]


def test_a_line_labelled_with_its_speaker_is_in_their_voice(ex):
    # a headline's "Name: “words”": the quotation the splitter makes a sentence of its own is theirs
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state"),
                        Actor(id="pashinyan", name="Nikol Pashinyan", kind="person", speaks_for="ARM")],
                issues=[Issue(id="transit", name="Transit route", keywords=["corridor", "route"],
                              scale={0: "Armenian control", 100: "extraterritorial corridor"})])
    text = 'Baku wants a corridor.\nPashinyan: "We will not allow any corridor on our territory"\n'
    items = [i for i in _main(ex.extract(text, doc_date="2025-08-01", case=case)) if i.start > text.index("\n")]
    assert {(i.actor, i.issue) for i in items} == {("ARM", "transit")}, [(i.actor, i.issue) for i in items]


def test_both_sides_with_no_pair_named_yet_are_the_cases_parties(ex):
    actors = [Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")]
    issues = [Issue(id="border", name="Border delimitation", keywords=["border"], scale={0: "none", 100: "delimited"})]
    text = "Yerevan insists the talks go on.\nBoth sides accuse each other of violations along the border.\n"
    later = text.index("Both")
    case = Case(meta=CaseMeta(id="t", title="t", parties=["ARM", "AZE"]), actors=actors, issues=issues)
    assert {i.actor for i in _main(ex.extract(text, doc_date="2025-08-01", case=case)) if i.start >= later} == {"ARM", "AZE"}
    # a bare "negotiators" is anyone at the table, not the parties
    text = "Yerevan insists the talks go on.\nNegotiators face a deadline on the border.\n"
    later = text.index("Negotiators")
    assert not [i for i in _main(ex.extract(text, doc_date="2025-08-01", case=case)) if i.start >= later]


def test_the_government_in_what_a_speaker_reports_is_the_speakers(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")],
                issues=[Issue(id="border", name="Border delimitation", keywords=["border"], scale={0: "none", 100: "delimited"})])
    text = ("Azerbaijan is demanding that Armenia amend its constitution.\n"
            "Both sides accuse each other of violations along the border.\n"
            "The OSCE said it would begin closing the Minsk Group structures by December.\n"
            "Armenian Foreign Minister Ararat Mirzoyan told parliament that the government had no plans to hold a "
            "referendum on the border before the elections.\n")
    later = text.index("Armenian")
    held = {i.actor for i in _main(ex.extract(text, doc_date="2025-08-01", case=case)) if i.start >= later}
    assert held == {"ARM"}, held  # not the country the text names most


def test_a_capital_naming_a_format_of_talks_is_no_party(ex):
    text = ("The Minsk talks, in which France and Germany played key roles, amounted to turning a blind eye "
            "to the occupation of Crimea.")
    held = {i.actor for i in _main(ex.extract(text, doc_date="2025-09-10"))}
    assert "BLR" not in held and {"FRA", "DEU"} <= held, held


def test_a_leaders_spokeswoman_speaks_for_the_leaders_side(ex):
    case = Case(meta=CaseMeta(id="t", title="t"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state"),
                        Actor(id="pashinyan", name="Nikol Pashinyan", kind="person", speaks_for="ARM")],
                issues=[Issue(id="border", name="Border delimitation", keywords=["border"], scale={0: "none", 100: "delimited"})])
    text = ('Azerbaijan wants more. Baku insists.\n"We are ready to sign the border deal today," '
            "Pashinyan's spokeswoman Nazeli Baghdasaryan said.\n")
    later = text.index('"We')
    held = {i.actor for i in _main(ex.extract(text, doc_date="2025-08-01", case=case)) if i.start >= later}
    assert held == {"ARM"}, held


def test_a_built_in_code_for_what_a_case_actor_names_is_that_actor():
    from accord.extract.gazetteer import ActorResolver

    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        Actor(id="IRN", name="Iran", kind="state"), Actor(id="EU", name="European Union", kind="bloc"),
        Actor(id="UNSC", name="UN Security Council", kind="organisation")])
    r = ActorResolver(case)
    # the built-in tables say EUR and UN; this case calls them EU and UNSC
    assert [r.code(n) for n in ("Brussels", "the European Union", "United Nations")] == ["EU", "EU", "UNSC"]
    assert r.person("Kaja Kallas")[1] == "EU"
    # a case that has both keeps them apart, and a code the case uses itself is never rewritten
    both = case.model_copy(update={"actors": [*case.actors, Actor(id="UN", name="United Nations", kind="organisation")]})
    assert [ActorResolver(both).code(n) for n in ("United Nations", "UN Security Council")] == ["UN", "UNSC"]
    assert ActorResolver(None).code("Brussels") == "EUR"


def test_a_case_without_persons_still_knows_who_well_known_office_holders_speak_for(ex):
    from accord.extract.gazetteer import ActorResolver

    r = ActorResolver(None)
    assert [r.person(n)[1] for n in ("Kerry", "Mohammad Javad Zarif", "Theresa May", "Jean-Yves Le Drian")] == \
        ["USA", "IRN", "GBR", "FRA"]
    assert r.person("May")[1] is None and r.person("Carter")[1] is None  # common names only in full
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[Actor(id="USA", name="United States", kind="state"),
                                                          Actor(id="IRN", name="Iran", kind="state")],
                issues=[Issue(id="sanctions", name="Sanctions relief", scale={0: "all lifted", 100: "none"})])
    st = _main(ex.extract("Kerry said on Monday that sanctions relief would come in phases.", doc_date="2015-04-06", case=case))
    assert st[0].actor == "USA"


def test_a_bloc_plus_a_number_is_the_case_bloc_that_grows_it_by_that_many():
    from accord.extract.gazetteer import ActorResolver

    states = [Actor(id=c, name=c, kind="state") for c in ("USA", "GBR", "FRA", "DEU", "RUS", "CHN")]
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        *states, Actor(id="E3", name="E3", kind="bloc", members=["GBR", "FRA", "DEU"]),
        Actor(id="SIX", name="P5+1", kind="bloc", members=["USA", "GBR", "FRA", "DEU", "RUS", "CHN"])])
    r = ActorResolver(case)
    # the case calls its six "P5+1"; the text says "E3+3": the E3 and three others
    assert [r.code(n) for n in ("the E3 plus 3", "E3+3", "E3+2", "E4+3")] == ["SIX", "SIX", None, None]


def test_a_news_summary_bullet_that_drops_its_subject_is_the_bullet_before_s_holder(ex):
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[Actor(id="IRN", name="Iran", kind="state")],
                issues=[Issue(id="fordow", name="Fordow", scale={0: "enriches", 100: "closed"}),
                        Issue(id="sanctions", name="Sanctions relief", scale={0: "all lifted", 100: "none"})])
    text = ("* Iran outlines tough stance before talks\n* Refuses to shut down Fordow\n"
            "* Says economy should prepare as if no end to sanctions\n\nThe talks resume on Monday in Vienna.\n")
    items = _main(ex.extract(text, doc_date="2014-07-08", case=case))
    got = {(i.actor, i.issue, i.event_type) for i in items if i.issue}
    assert ("IRN", "fordow", "REJECT") in got and any(a == "IRN" and i == "sanctions" for a, i, _ in got)
    # a bullet with a subject of its own, or one after prose, is not a summary's
    prose = _main(ex.extract("Iran outlines a tough stance.\nRefuses to shut down Fordow.\n", doc_date="2014-07-08", case=case))
    assert not any(i.issue == "fordow" and i.actor == "IRN" for i in prose)


def test_a_gift_from_a_party_is_that_party_s_when_the_sentence_has_no_holder(ex):
    states = [Actor(id=c, name=n, kind="state") for c, n in [("IRN", "Iran"), ("USA", "United States"), ("FRA", "France")]]
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        *states, Actor(id="G2", name="Western powers", kind="bloc", members=["USA", "FRA"])],
        issues=[Issue(id="relief", name="Sanctions relief", scale={0: "all lifted", 100: "no relief"}),
                Issue(id="access", name="Inspections and access", scale={0: "none", 100: "anywhere"})])
    text = ("That agreement halts Iranian nuclear work, provides limited sanctions relief from the Western powers, "
            "and allows Iran access to frozen assets.")
    got = {(i.actor, i.issue) for i in _main(ex.extract(text, doc_date="2014-12-01", case=case))}
    # the givers hold what is given, not everything the sentence names
    assert {("USA", "relief"), ("FRA", "relief")} <= got and ("USA", "access") not in got


def test_the_group_is_the_body_last_named_or_the_speaker_s_own(ex):
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        Actor(id="UKR", name="Ukraine", kind="state"), Actor(id="FRA", name="France", kind="state"),
        Actor(id="WEIMAR", name="Weimar group", kind="bloc"), Actor(id="UN", name="United Nations", kind="organisation"),
        Actor(id="HOUTHI", name="Houthis", kind="organisation", aliases=["Houthi"])],
        issues=[Issue(id="guarantees", name="Security guarantees", scale={0: "none", 100: "binding"}),
                Issue(id="prisoners", name="Prisoner exchange", keywords=["swap"], scale={0: "none", 100: "all for all"})])
    text = ("The foreign ministers of the Weimar group met in Paris on Monday. "
            "The group issued a joint statement on strong security guarantees for Ukraine.")
    got = {(i.actor, i.issue) for i in _main(ex.extract(text, doc_date="2025-08-18", case=case))}
    assert ("WEIMAR", "guarantees") in got
    text = ("The United Nations hosted the talks. "
            "Houthi negotiator Abdulqader al-Murtada said the group was ready for an all-for-all swap.")
    got = {(i.actor, i.issue) for i in _main(ex.extract(text, doc_date="2025-08-18", case=case))}
    assert ("HOUTHI", "prisoners") in got and ("UN", "prisoners") not in got


def test_members_and_chambers_of_the_case_s_one_legislature_are_it(ex):
    case = Case(meta=CaseMeta(id="t", title="t"), actors=[
        Actor(id="USA", name="United States", kind="state"), Actor(id="IRN", name="Iran", kind="state"),
        Actor(id="CONG", name="US Congress", kind="organisation")],
        issues=[Issue(id="pmd", name="Possible military dimensions", scale={0: "none", 100: "full admission"})])
    for text in ("A group of 47 Republican senators warned Iran's leaders that a deal could be revoked.",
                 "In the case of a treaty, the Senate must ratify it by a two-thirds vote.",
                 "Lawmakers want Iran to admit its past weapons work."):
        assert _main(ex.extract(text, doc_date="2015-03-09", case=case))[0].actor == "CONG", text
    # a country's own lawmakers are that country's, and the White House is no chamber
    st = _main(ex.extract("Iranian lawmakers rejected any inspection of military sites.", doc_date="2015-03-09", case=case))
    assert st[0].actor == "IRN"
    st = _main(ex.extract("The White House rejected any admission of past weapons work.", doc_date="2015-03-09", case=case))
    assert st[0].actor == "USA"


@pytest.mark.parametrize("sentence, holder, issue", [
    # where an attack happened is no position on territory (the flagship's oblasts are territory words)
    ("Overnight, Russian forces shelled Zaporizhzhia city, killing 13 people.", "RUS", None),
    ("Ukrainian forces launched a new counter-attack in Russia's Kursk region on Tuesday.", "UKR", None),
    # what it was aimed at is: an attack on a camp for the displaced is on the humanitarian issue
    ("RSF fighters shelled a camp for displaced people near El Fasher on Saturday.", "RSF", "humanitarian"),
])
def test_an_act_of_force_is_on_an_issue_only_when_the_sentence_names_one(ex, sentence, holder, issue):
    acts = [(i.actor, i.issue) for i in ex.extract(sentence, doc_date="2025-10-04")
            if i.kind in ("statement", "event") and i.event_type == "ASSAULT"]
    assert acts == [(holder, issue)], acts
