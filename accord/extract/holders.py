"""Candidate holders of a sentence and what the text says about each, for the learned holder layer.

The rules name one holder per clause from the parse (pipeline.py). They miss holders the parse
does not put in subject position and the speaker of a multi-sentence quotation or interview answer
("We will not give away even a piece of our land." three sentences into an ambassador's reply). A
sentence's candidates are therefore every actor that the rules chose, that the sentence names, that
speaks the quotation the sentence sits in, or that held the previous sentence of the paragraph; each
comes with sparse 0/1 features (where and how it is mentioned), and `learned.LearnedLayer` decides
which of them hold the sentence. Nothing here mutates the reader's state.
"""

from __future__ import annotations

from .coref import sent_ents
from .gazetteer import RELATIONAL_NOUNS, venue

FIRST_PLURAL = {"we", "our", "us", "ours", "ourselves"}
MENTION_LABELS = {"GPE", "NORP", "ORG", "LOC", "FAC", "PERSON"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "appos"}


def _mention_code(ent, state) -> str | None:
    if ent.label_ == "PERSON":
        entry = state.known_person(ent.text)
        if entry and entry[1]:
            return entry[1]
        return state.resolver.person(ent.text)[1]
    return state.resolver.code(ent.text)


def _governing_verb(tok):
    """The verb a mention depends on, through noun modifiers and prepositions."""
    t, hops = tok, 0
    while t.head is not t and t.pos_ not in ("VERB", "AUX") and hops < 6:
        t, hops = t.head, hops + 1
    return t


def candidates(sent, rule_items: list[dict], state, *, quote_holder=None, prev_actors=(),
               in_quote: bool = False) -> dict[str, dict]:
    """actor code → features, for every candidate holder of the sentence."""
    out: dict[str, dict] = {}

    def add(actor: str | None, feat: str) -> None:
        if actor:
            out.setdefault(actor, {})[feat] = 1.0

    for k, it in enumerate(rule_items):
        a = it.get("actor")
        if not a or it.get("kind") not in ("statement", "event"):
            continue
        add(a, "rule_cand" if it.get("_candidate") else "rule")
        add(a, f"rule_type:{it.get('event_type')}")
        if it.get("reported_by"):
            add(a, "rule_nested")
        if it.get("speaker"):
            add(a, "rule_speaker")
        if k == 0:
            add(a, "rule_first")
    root = sent.root
    for e in sent_ents(sent):
        if e.label_ not in MENTION_LABELS:
            continue
        code = _mention_code(e, state)
        if not code:
            continue
        r = e.root
        if r.dep_ == "poss" and r.head.lemma_.lower() in RELATIONAL_NOUNS:
            continue  # "Ukraine's allies pledged": not Ukraine
        if venue(r):
            continue  # "the Minsk talks": where they met, not Belarus
        add(code, "m")
        add(code, f"m:{e.label_}")
        add(code, f"dep:{r.dep_}")
        head = r.head
        subj = r.dep_ in SUBJECT_DEPS or (r.dep_ in MODIFIER_DEPS and head.dep_ in SUBJECT_DEPS)
        if r.dep_ in MODIFIER_DEPS:
            # "Russian forces" hold, "NATO membership" does not: the head noun decides
            add(code, f"mod:{r.dep_}_{head.dep_}")
            add(code, f"mod_head:{head.lemma_.lower()}")
            if head.dep_ == "pobj":
                add(code, f"pp:{head.head.head.lemma_.lower()}_{head.head.lower_}")  # "according to the Qatari mediators"
        if r.dep_ == "pobj":
            add(code, f"prep:{head.lower_}")
            add(code, f"prep:{head.lower_}_{head.head.dep_}")
            add(code, f"pp:{head.head.lemma_.lower()}_{head.lower_}")
        verb = _governing_verb(r)
        if subj:
            add(code, "subj")
            add(code, "subj_root" if verb is root else f"subj_of:{verb.dep_}")
            add(code, f"subj_verb:{verb.lemma_.lower()}")
        add(code, "before_root" if r.i < root.i else "after_root")
        if r.i - sent.start < 3:
            add(code, "sent_start")
    first_person = any(t.lower_ in FIRST_PLURAL for t in sent)
    if quote_holder is not None and quote_holder.actor:
        add(quote_holder.actor, "quote_speaker")
        if first_person:
            add(quote_holder.actor, "quote_speaker_we")
    for i, a in enumerate(prev_actors):
        add(a, "prev")
        if i == 0:
            add(a, "prev_first")
            if first_person:
                add(a, "prev_we")
            if in_quote:
                add(a, "prev_in_quote")
    last = (state.interviewee or state.last_named or (None, None))[1]
    if last and in_quote and (quote_holder is None or not quote_holder.actor):
        # a quotation with no attribution of its own: the interviewee, else the person named last
        add(last, "last_person_in_quote")
        if first_person:
            add(last, "last_person_we")
    n = min(len(out), 4)
    for f in out.values():
        f[f"n:{n}"] = 1.0
        f["bias"] = 1.0
        if in_quote:
            f["in_quote"] = 1.0
        if first_person:
            f["we"] = 1.0
        if not rule_items:
            f["no_rule"] = 1.0
    return out
