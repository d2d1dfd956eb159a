"""Issues of a new case from its own definitions (zero-shot), and one candidate per holder."""

from __future__ import annotations

import os
import subprocess
import sys

from accord.case.models import Actor, Case, CaseMeta, Issue
from accord.extract import Extractor
from accord.extract.issues import IssueMatcher

ISSUES = [
    Issue(id="armenian_constitution", name="Armenian constitution",
          description="Whether Armenia removes the claim to Karabakh from its constitution by referendum.",
          scale={0: "constitution unchanged", 100: "referendum removes the claim from the constitution"}),
    Issue(id="border", name="Border delimitation", keywords=["demarcation", "border commission"],
          scale={0: "no delimitation", 100: "border fully delimited"}),
    Issue(id="transit", name="Transit corridor", keywords=["Zangezur corridor", "transit route"],
          description="Road and rail transit through southern Armenia to Nakhchivan.",
          scale={0: "no transit", 100: "unimpeded transit under Azerbaijani control"}),
]


def _case():
    return Case(meta=CaseMeta(id="south-caucasus", title="Armenia–Azerbaijan peace talks"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")],
                issues=ISSUES)


def test_an_actor_word_in_an_issue_name_does_not_tag_every_sentence():
    m = IssueMatcher(_case())
    assert "armenian_constitution" not in m.issues("Armenian troops withdrew from two villages on Monday.")
    assert "armenian_constitution" in m.issues("Baku wants the Armenian constitution changed.")


def test_keywords_match_as_whole_phrases_and_definitions_find_paraphrases():
    m = IssueMatcher(_case())
    assert m.issues("The border commission met in Yerevan.") == ["border"]
    phrase = m.patterns["border"][0]
    assert phrase.search("the Border  Commission") and not phrase.search("The commission met.")  # whole phrases
    # one word of the definition is weaker evidence than the whole phrase
    assert dict(m.zeroshot.ranked("The commission met in Yerevan."))["border"] < dict(m.zeroshot.ranked("The border commission met."))["border"]
    assert "transit" in m.issues("Aliyev demanded unimpeded rail transit to Nakhchivan.")
    ranked = m.ranked("Aliyev demanded unimpeded rail transit to Nakhchivan.")
    assert ranked[0][0] == "transit" and ranked[0][1] <= 1.0


def test_a_keyword_meets_its_plural():
    m = IssueMatcher(_case())
    phrase = m.own["transit"]
    assert phrase.search("two transit routes") and phrase.search("the Zangezur corridors")
    assert m.issues("The border commissions met in Yerevan.") == ["border"]
    assert not phrase.search("a transit router")  # still whole words


def test_a_keyword_meets_its_words_with_little_words_gained_or_lost_between():
    from accord.extract.zeroshot import phrase_pattern

    p = phrase_pattern(["exchange of data", "fill the reservoir"])
    assert p.search("Ethiopia offered to exchange data daily") and p.search("an exchange of their data")
    assert p.search("a plan to fill reservoir levels")
    assert not p.search("the exchange rate is of no use to data") and not p.search("fill the dam reservoir")


def test_zero_shot_needs_no_torch_and_no_network():
    code = ("import sys\nfrom accord.extract.zeroshot import embed\nembed(['a test'])\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "no_proxy": "*", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


def test_one_candidate_per_sentence_holder_and_issue_with_ranked_alternatives():
    """A holder's list of demands is one item per issue demanded (each placed on its own scale),
    never a clause × holder × issue cross product; the first carries the ranked alternatives."""
    text = ("Azerbaijani President Ilham Aliyev demanded a referendum to change the Armenian constitution, "
            "the demarcation of the border and unimpeded transit to Nakhchivan.")
    items = [i for i in Extractor().extract(text, doc_date="2025-08-08", case=_case()) if i.kind == "statement"]
    pairs = [(i.actor, i.issue) for i in items]
    assert pairs and len(pairs) == len(set(pairs)), items  # one item per holder and issue
    assert {a for a, _ in pairs} == {"AZE"}, items  # Armenia is named only as the constitution's owner
    assert {i for _, i in pairs} <= {"armenian_constitution", "border", "transit"}
    aze = items[0]
    offered = {i.issue for i in items} | {a.value for a in aze.issue_alternatives}
    assert len(offered & {"armenian_constitution", "border", "transit"}) >= 2, aze
    assert all(a.score >= 0 for a in aze.issue_alternatives + aze.type_alternatives)
    assert all(not i.issue_alternatives for i in items[1:])  # alternatives are offered once per holder


def test_an_issue_whose_scale_is_in_years_matches_a_stated_span():
    from accord.extract.spans import span_pattern

    years = span_pattern(["no limits", "limits for less than ten years", "limits for ten years",
                          "limits for 20 years or more", "permanent limits"])
    assert years is not None
    for said in ("enriching uranium for 10 years", "after eight and a half years", "for the next decade",
                 "the limits will be permanent"):
        assert years.search(said), said
    for history in ("research more than a decade ago", "seven days of talks", "a permanent member of the Council"):
        assert not years.search(history), history
    # one dated anchor does not make an issue about something else a time issue
    assert span_pattern(["no embargo", "embargo kept for five years", "embargo kept"]) is None


def test_a_stated_span_ranks_below_the_term_it_qualifies():
    # "for 15 years" says how long, the rest of the sentence what: the stockpile issue is the main
    # one, the duration issue still found (a sentence with only the span is on duration alone)
    case = Case(meta=CaseMeta(id="t", title="Nuclear talks"), actors=[Actor(id="IRN", name="Iran", kind="state")],
                issues=[Issue(id="level", name="Enrichment level and stockpile",
                              description="How far Iran may enrich uranium and how much enriched uranium it may keep.",
                              scale={0: "enrichment to 20 percent", 100: "no enriched uranium kept"}),
                        Issue(id="duration", name="Duration of the limits",
                              scale={0: "no limits", 25: "limits for less than ten years", 50: "limits for ten years",
                                     75: "limits for 20 years or more", 100: "permanent limits"})])
    m = IssueMatcher(case)
    ranked = dict(m.ranked("Iran has agreed to not enrich uranium over 3.67 percent for at least 15 years."))
    assert max(ranked, key=ranked.__getitem__) == "level"
    assert ranked["duration"] >= 0.5 * ranked["level"]  # kept as a second item of the holder's
    assert m.issues("The limits will last for 15 years.") == ["duration"]


def test_a_word_another_issue_is_named_for_is_not_inherited_from_a_family():
    # "Sanctions relief" (no keywords) inherits the built-in sanctions words, "embargo" among them;
    # the case names another issue for embargoes, so an embargo is that issue's alone
    case = Case(meta=CaseMeta(id="t", title="Nuclear talks"), actors=[Actor(id="RUS", name="Russia", kind="state")],
                issues=[Issue(id="relief", name="Sanctions relief", scale={0: "all lifted", 100: "none lifted"}),
                        Issue(id="embargo", name="Arms embargo and missiles", scale={0: "lifted", 100: "kept"})])
    m = IssueMatcher(case)
    assert "relief" not in m.issues("Russia wants the UN arms embargo against Iran lifted as soon as possible.")
    assert "relief" not in m.issues("Iran demanded that the missile embargoes be ended.")
    assert "relief" in m.issues("Russia wants the sanctions on Iran lifted as soon as possible.")


def test_an_issue_named_for_a_known_concept_without_keywords_takes_its_synonyms():
    """A bare "Ceasefire" or "Accountability for war crimes" finds "truce" and "tried"; an issue
    with keywords of its own, or a family two issues' names share, inherits nothing."""
    issues = [Issue(id="truce", name="Ceasefire", scale={0: "none", 100: "permanent"}),
              Issue(id="justice", name="Accountability for war crimes", scale={0: "amnesty", 100: "tribunal"}),
              Issue(id="relief", name="Sanctions relief", scale={0: "kept", 100: "lifted"}),
              Issue(id="snap", name="Sanctions snapback", scale={0: "none", 100: "automatic"}),
              Issue(id="arms", name="Arms embargo", keywords=["arms embargo"], scale={0: "kept", 100: "lifted"})]
    case = Case(meta=CaseMeta(id="new", title="Some talks"), actors=[Actor(id="X", name="Xland", kind="state")],
                issues=issues)
    m = IssueMatcher(case)
    assert "truce" in m.issues("Both sides agreed to a three-day truce from Sunday.")
    assert "justice" in m.issues("The commanders will be tried in The Hague.")
    assert not {"relief", "snap"} & set(m.issues("New tariffs were announced on Monday."))
    assert "arms" not in m.issues("The ministry bought new weapons.")


def test_a_family_listing_what_the_issue_is_done_to_is_not_inherited():
    # the talks family lists "Minsk Group"; an issue about dissolving that group is not every
    # sentence on talks, while the group's own name still finds it
    case = Case(meta=CaseMeta(id="t", title="Armenia–Azerbaijan peace talks"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")],
                issues=[Issue(id="minsk", name="Dissolution of the OSCE Minsk Group",
                              scale={0: "Minsk Group kept", 100: "Minsk Group dissolved"}),
                        Issue(id="border", name="Border delimitation", scale={0: "none", 100: "delimited"})])
    m = IssueMatcher(case)
    assert "minsk" not in m.issues("The negotiations resumed in Washington with a new delegation.")
    assert "minsk" in m.issues("Both sides asked the OSCE to close the Minsk Group.")
    assert "border" in m.issues("Baku and Yerevan discussed the border.")
    # nor is an issue named after the group alone: a proper name the family lists, not its concept
    case = case.model_copy(update={"issues": [case.issues[0].model_copy(update={"name": "Minsk Group"}), case.issues[1]]})
    m = IssueMatcher(case)
    assert "minsk" not in m.issues("Armenia and Azerbaijan initial peace deal at White House summit")
    assert "minsk" in m.issues("Both sides asked the OSCE to close the Minsk Group.")


def test_a_rare_word_of_one_description_names_its_issue_when_no_keywords_were_given():
    issues = [
        Issue(id="reactor", name="Reactor", description="The heavy-water research reactor at Arak and its plutonium.",
              scale={0: "reactor built as designed", 100: "reactor core removed"}),
        Issue(id="site", name="Underground site", description=("The enrichment plant dug deep into a mountain beside the holy city of Qom, "
                                                        "its halls and the machines it holds."),
              keywords=["underground facility"], scale={0: "site kept", 100: "site closed"}),
        Issue(id="stock", name="Stockpile", description="How much enriched uranium and plutonium may be kept.",
              scale={0: "no cap", 100: "all shipped out"}),
    ]
    case = Case(meta=CaseMeta(id="t", title="Nuclear talks"), actors=[Actor(id="IRN", name="Iran", kind="state")],
                issues=issues)
    m = IssueMatcher(case)
    assert m.issues("Inspectors visited Arak on Monday.") == ["reactor"]  # one rare word is enough
    assert "site" not in m.issues("Trucks were seen near Qom.")  # the analyst's keywords are what it matches
    assert m.issues("The plutonium question stays open.") == []  # a rare word two issues share names neither
    # so does a rare word of the name ("Syunik" of "Transit route through Syunik")
    case = case.model_copy(update={"issues": [Issue(id="transit", name="Transit route through Syunik",
                                                    scale={0: "Armenian control", 100: "extraterritorial"}), *issues]})
    ranked = dict(IssueMatcher(case).ranked("Troops were seen in Syunik."))
    assert ranked["transit"] > 0.9, ranked  # as a phrase match, not a word's near miss (about 0.4)


def test_an_inherited_family_leaves_the_words_another_issue_defines_itself_with():
    # "Border delimitation" inherits the territory family, which lists "corridor"; the case's transit
    # issue is described as a corridor, so a corridor is the transit issue's, not the border's
    case = Case(meta=CaseMeta(id="t", title="Armenia–Azerbaijan peace talks"),
                actors=[Actor(id="ARM", name="Armenia", kind="state"), Actor(id="AZE", name="Azerbaijan", kind="state")],
                issues=[Issue(id="border", name="Border delimitation", scale={0: "none", 100: "delimited"}),
                        Issue(id="transit", name="Transit route", description="A transport corridor through southern Armenia",
                              scale={0: "Armenian control", 100: "extraterritorial corridor"})])
    m = IssueMatcher(case)
    assert "border" not in m.issues("The deal grants the United States rights to a corridor through Armenia.")
    assert "border" in m.issues("Both sides agreed on the delimitation of the border.")


def _iran_case(issue: Issue) -> Case:
    """A case of one party with `issue` and a sanctions issue beside it."""
    return Case(meta=CaseMeta(id="iran", title="Iran talks"), actors=[Actor(id="IRN", name="Iran", kind="state")],
                issues=[issue, Issue(id="relief", name="Sanctions relief", scale={0: "all lifted", 100: "no relief"})])


def test_a_trailing_apostrophe_or_hyphen_is_not_part_of_a_definition_word():
    from accord.extract.zeroshot import content_words

    assert content_words("inspectors' access to IR-1 machines") == ["inspectors", "access", "machines"]
    # a model name in the keywords ("IR-1") is no word "ir-" standing near every "Iran's"
    case = _iran_case(Issue(id="capacity", name="Enrichment capacity", keywords=["IR-1"],
                            scale={0: "unlimited centrifuges", 100: "no enrichment"}))
    assert "capacity" not in IssueMatcher(case).issues("Iran's foreign minister arrived in Vienna on Monday.")


def test_an_issue_named_for_two_things_is_met_by_either():
    from accord.extract.zeroshot import name_phrases

    assert name_phrases("Enrichment level and stockpile") == ["Enrichment level and stockpile", "Enrichment level", "stockpile"]
    assert name_phrases("Fordow") == ["Fordow"]
    m = IssueMatcher(_iran_case(Issue(id="inspections", name="Inspections and access",
                                      description="Verification of the programme and how quickly inspectors reach a site.",
                                      scale={0: "safeguards only", 100: "anytime, anywhere"})))
    assert "inspections" in m.issues("With this deal, Iran will face more inspections than any other country.")


def test_an_everyday_word_of_a_definition_counts_less_than_a_specialist_one():
    from accord.extract.zeroshot import rarity

    assert rarity("centrifuges") == 1.0 and rarity("much") < 0.5 and rarity("keep") < rarity("stockpile")
    m = IssueMatcher(_iran_case(Issue(id="level", name="Enrichment level and stockpile",
                                      description="How much enriched uranium Iran may keep, and for how long.",
                                      scale={0: "unlimited stockpile", 100: "nothing kept"})))
    assert "level" not in m.issues("Much of the work will keep going for a long time.")
    assert "level" in m.issues("Tehran may keep only 300 kg of enriched uranium.")


def test_a_definition_word_meets_its_other_number():
    """The static vectors hold "durations" at 0.35 to "duration": both sides are read singular."""
    from accord.extract.zeroshot import singular

    assert [singular(w) for w in ("durations", "countries", "taxes", "access", "status", "crisis", "guarantees")] \
        == ["duration", "country", "tax", "access", "status", "crisis", "guarantee"]
    m = IssueMatcher(_iran_case(Issue(id="duration", name="Duration of the limits",
                                      description="How long the limits on the programme last before they expire.",
                                      scale={0: "a few years", 100: "permanent"})))
    assert "duration" in m.issues("The restrictions will apply for specified durations.")


def test_a_cases_tables_are_built_once_and_rebuilt_when_it_changes(monkeypatch):
    """A stream of short documents on one case pays for its issue definitions once (they cost
    about half a short document's extraction), yet an analyst's edit to the case counts at once."""
    import accord.extract.zeroshot as zs

    built = []
    init = zs.ZeroShot.__init__
    monkeypatch.setattr(zs.ZeroShot, "__init__", lambda self, *a, **k: (built.append(1), init(self, *a, **k))[1])
    ex, case = Extractor(), _case()
    text = "Armenia said it would hold a referendum on the constitution."
    for _ in range(3):
        ex.extract(text, doc_date="2025-08-08", case=case)
    assert len(built) == 1
    case.issues[0].keywords = ["plebiscite"]  # edited in place: the same object, new words
    got = ex.extract("Armenia said a plebiscite was possible.", doc_date="2025-08-08", case=case)
    assert len(built) == 2
    assert ("ARM", "armenian_constitution") in {(i.actor, i.issue) for i in got if i.kind == "statement"}


def test_the_word_vectors_a_case_keeps_between_documents_are_bounded(monkeypatch):
    import accord.extract.zeroshot as zs

    monkeypatch.setattr(zs, "WORD_CACHE", 5)
    base = IssueMatcher(_case()).zeroshot
    for k in range(3):
        base.for_document().scores(f"Talks on transit, border posts and railway number {k} went on in Yerevan and Baku.")
    assert len(base._words) > len(base.vocab) + 5  # the documents' words are kept for the next
    fresh = base.for_document()
    assert set(fresh._words) == set(base.vocab)  # past the bound only the definitions' own stay
    assert fresh.ranked("Azerbaijan demanded transit through Armenia.")[0][0] == "transit"


def test_a_proper_name_the_rest_of_the_case_shares_does_not_name_one_issue():
    """"Northern Ireland" inside one issue's name is in another's too (and in every text of the
    case): a sentence that names the place is on neither; the issue's own words still find it."""
    case = Case(meta=CaseMeta(id="protocol", title="Northern Ireland Protocol talks"),
                actors=[Actor(id="GBR", name="United Kingdom", kind="state", aliases=["Great Britain", "London"]),
                        Actor(id="EU", name="European Union", kind="bloc")],
                issues=[Issue(id="checks", name="Checks on goods from Great Britain to Northern Ireland",
                              scale={0: "no checks", 100: "full checks"}),
                        Issue(id="say", name="Northern Ireland's say over EU rules",
                              scale={0: "a veto on new rules", 100: "no say"})])
    m = IssueMatcher(case)
    assert "checks" not in m.issues("The prime minister visited Northern Ireland on Monday.")
    assert "checks" not in m.issues("Ministers in Great Britain met on Monday.")
    assert "checks" in m.issues("London wants checks on goods to end.")


def test_a_known_id_the_case_defines_its_own_way_is_a_new_issue():
    """A case's "territory" scaled in its own words (core territory and a plebiscite) is not the
    lexicon's territory: neither the classifier trained on that meaning nor its keyword family
    names it; the flagship's own "territory" still is the lexicon's."""
    from accord.extract.issues import lexicon_issue
    from accord.training.score import flagship_case

    own = Issue(id="territory", name="Territory and plebiscite", keywords=["core territory", "plebiscite"],
                scale={0: "only the core territory of the old autonomous region",
                       100: "every contiguous area that votes to join in a plebiscite"})
    case = Case(meta=CaseMeta(id="mindanao", title="Mindanao peace talks"),
                actors=[Actor(id="MILF", name="Moro Islamic Liberation Front", kind="organisation", aliases=["MILF"])],
                issues=[own, Issue(id="wealth", name="Wealth sharing", scale={0: "none", 100: "most revenue"})])
    assert not lexicon_issue(own) and lexicon_issue(flagship_case().issue("territory"))
    assert IssueMatcher(case).redefined == {"territory"}
    text = "The MILF's chief negotiator said the annex had given up none of the land the front had demanded."
    items = Extractor().extract(text, doc_date="2013-07-14", case=case)
    assert "territory" not in {i.issue for i in items}, [(i.actor, i.issue) for i in items]


def test_a_keywords_head_met_again_with_the_names_its_issue_once_the_text_named_it():
    """"the Charter" after "the Transitional Charter" is that charter; alone it names nothing."""
    case = Case(meta=CaseMeta(id="sudan-transition", title="Sudan transition talks"),
                actors=[Actor(id="SDN", name="Sudan", kind="state", aliases=["Khartoum"]),
                        Actor(id="FFC", name="Forces of Freedom and Change", kind="organisation", aliases=["FFC"])],
                issues=[Issue(id="transition", name="Transition rules", keywords=["Transitional Charter"],
                              description="How power passes from the generals to civilians: the sovereign "
                                          "council, the cabinet, the length of the transition and elections.",
                              scale={0: "military rule continues", 100: "civilian government at once"}),
                        Issue(id="justice", name="Justice for the protesters", scale={0: "none", 100: "trials"})])
    m = IssueMatcher(case).for_document()
    assert "transition" not in m.issues("The FFC said the charter ignored its demands.")
    m = IssueMatcher(case).for_document()
    assert "transition" in m.issues("The council adopted the Transitional Charter on Monday.")
    assert "transition" in m.issues("The FFC said the charter ignored its demands.")
