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


def test_zero_shot_needs_no_torch_and_no_network():
    code = ("import sys\nfrom accord.extract.zeroshot import embed\nembed(['a test'])\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "no_proxy": "*", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


def test_one_candidate_per_sentence_and_holder_with_ranked_alternatives():
    text = ("Azerbaijani President Ilham Aliyev demanded a referendum to change the Armenian constitution, "
            "the demarcation of the border and unimpeded transit to Nakhchivan.")
    items = [i for i in Extractor().extract(text, doc_date="2025-08-08", case=_case()) if i.kind == "statement"]
    holders = [i.actor for i in items]
    assert holders and len(holders) == len(set(holders)), items  # no holder × issue cross product
    aze = next(i for i in items if i.actor == "AZE")
    offered = [aze.issue] + [a.value for a in aze.issue_alternatives]
    assert len(set(offered) & {"armenian_constitution", "border", "transit"}) >= 2, aze
    assert all(a.score >= 0 for a in aze.issue_alternatives + aze.type_alternatives)
