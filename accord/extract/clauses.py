"""Clause typing: which predicates head a clause, and the PLOVER type each one expresses.

`verb_type` reads a predicate's type from the lexicon (phrasal verbs, light verbs decided by their
object, copular stance words, aspectual verbs passing to their complement) with its negation and
modality; `cue_type` is the fallback for copular and verbless content. Nothing here resolves who
holds a clause (coref.py) or builds items (clause_items.py).
"""

from __future__ import annotations

from .lexicon import (
    ADJ_TYPES,
    CALLING_VERBS,
    COERCIVE,
    CROWD_CONTROL,
    EVALUATIONS,
    FIGURATIVE_TARGETS,
    LIGHT_VERBS,
    NEGATABLE_TO_REJECT,
    NOUN_TYPES,
    PHRASAL,
    PROTEST_NOUNS,
    QUOTING_VERBS,
    SPEECH_NEUTRAL,
    TRADE_OBJECTS,
    VERB_TYPES,
    VERDICTS,
)

# Verbs that only carry their complement's meaning ("began to withdraw", "decided to impose").
ASPECTUAL = {"begin", "start", "continue", "try", "attempt", "decide", "plan", "intend", "manage",
             "resume", "keep", "prepare", "move", "aim", "hope", "promise", "stop", "cease",
             "seem", "appear", "have", "need", "go", "be", "get", "come", "choose", "opt",
             "fail", "tend", "wish", "mean", "use", "help", "make"}
DEONTIC = {"must", "should", "need", "ought"}  # "have to" is the aspectual 'have' with its xcomp
MODAL_POSSIBLE = {"might", "may", "could", "would", "will", "'ll", "shall", "can"}
COPULAS = {"be", "remain", "seem", "become", "feel", "look", "appear"}


def clauses(sent) -> list:
    """Predicates heading a clause: the root and conjoined verbs with their own subject."""
    root = sent.root
    out = [root]
    head = root
    while any(c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in head.children):
        # a "that"-clause is no main clause: in "Moscow demanded that A; that B; and that C" the
        # parser can hang everything under the last one, the main verb a complement down the chain
        head = next((c for c in head.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")
                     and c.i < head.i), None)
        if head is None:
            break
        if any(g.dep_ == "nsubj" for g in head.children) and not any(g.dep_ == "mark" for g in head.children):
            out = [head]
            break
    for t in sent:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and t.head.i in {p.i for p in out}:
            # "X rejected the plan and proposed talks": the second verb shares the subject
            out.append(t)
    # the parser may hang such a clause on the main clause's complement ("Brussels says the court
    # remains the arbiter, while London says ...": "says" under "remains")
    heads = {p.i for p in out} | {c.i for p in out for c in p.children if c.dep_ in ("ccomp", "xcomp")}
    for t in sent:
        # "X agreed to restore ties, while China welcomed the deal", "... because the US opposes
        # it": a contrastive or causal clause with a subject of its own is a statement of its own
        if t.dep_ == "advcl" and t.pos_ in ("VERB", "AUX") and t.head.i in heads and any(
                m.dep_ == "mark" and m.lower_ in ("while", "whereas", "because", "although", "though")
                for m in t.children) and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            out.append(t)
    for t in sent:
        # "giving Crimea to Russia, as Trump proposes", "..., as Moscow demands": the clause names
        # who holds what the sentence says (wherever the parser hangs it)
        if t.dep_ == "advcl" and t.pos_ == "VERB" and t.lemma_.lower() in AS_HOLDS and t not in out and any(
                m.dep_ == "mark" and m.lower_ == "as" for m in t.children) and any(
                c.dep_ == "nsubj" for c in t.children) and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in t.children):
            out.append(t)
    # "State television quoted Salehi as saying that ...": the clause is Salehi's saying
    out = [quoted_saying(v) or v for v in out]
    # a clause before a colon ("X says ...: “...”") is attribution, handled by the quote logic
    return out


def quoted_saying(verb):
    """The "saying" of "X quoted Y as saying ...", whose speaker is Y (`coref.subject_holder`), or None."""
    if verb.lemma_.lower() not in QUOTING_VERBS or not any(c.dep_ == "dobj" for c in verb.children):
        return None
    return next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                 for g in c.children if g.dep_ in ("pcomp", "pobj") and g.lemma_.lower() == "say"), None)


# verbs of an "as X <verb>" clause that say X holds the sentence's content
AS_HOLDS = {"want", "demand", "propose", "suggest", "insist", "wish", "seek", "envisage", "ask",
            "prefer", "request", "say", "state", "claim", "argue"}


def clause_span(verb, sent) -> tuple[int, int]:
    """Char span of a predicate's clause: its subtree, minus conjoined clauses for the root."""
    if verb.dep_ == "ROOT":
        return sent.start_char, sent.end_char
    toks = list(verb.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def has_ccomp(verb) -> bool:
    return any(c.dep_ in ("ccomp",) for c in verb.children)


MADE_KNOWN = {"clear", "plain", "known"}


def complement(verb):
    """The clause a speech verb reports: ccomp, or xcomp/dobj-clause; None when in a quote. Of
    two clausal complements the one after the verb is what is said ("after the six and Iran
    reached a deal, Wang Yi noted that China will play a role": the parser hangs the fronted
    clause on "noted" too)."""
    for c in sorted(verb.children, key=lambda c: c.dep_ == "ccomp" and c.i < verb.i):
        if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
            return c
        if c.dep_ == "ccomp" and c.lemma_ in MADE_KNOWN and verb.lemma_ == "make":
            # "made it clear that we are not prepared to": the clause under "clear" is what is said
            said = next((g for g in c.children if g.dep_ in ("advcl", "ccomp") and g.pos_ in ("VERB", "AUX")), None)
            if said is not None:
                return said
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) > 1:
        # "Israeli airstrikes killed 30 people, health officials said" parsed as two subjects:
        # the first one's finite relative-like verb is the reported clause
        for c in subjects[0].children:
            if c.dep_ == "acl" and (c.tag_ == "VBD" or any(g.dep_ == "dobj" for g in c.children)):
                return c
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB" and c.i > verb.i and not any(
                m.dep_ == "mark" and m.lower_ in ("as", "after", "before", "while", "when", "if", "because")
                for m in c.children):
            return c
    return None


def in_quote_attribution(verb) -> bool:
    """'..., he said.' with the quotation in another sentence: no content of its own."""
    return verb.lemma_ in SPEECH_NEUTRAL and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep") for c in verb.children)


def _lexicon_type(lemma: str, children: list, negated: bool) -> tuple[str | None, bool]:
    """The type the lexicon gives a predicate by its particles, light-verb object or copular
    complement; (type, negated) — "not ready to" negates through the complement."""
    for p in (c.lower_ for c in children if c.dep_ in ("prt", "prep")):
        if (lemma, p) in PHRASAL:
            return PHRASAL[(lemma, p)], negated
    if lemma in LIGHT_VERBS:
        for c in children:
            if c.dep_ in ("dobj", "nsubjpass", "attr") and c.lemma_.lower() in NOUN_TYPES:
                ptype = NOUN_TYPES[c.lemma_.lower()]
                if lemma == "lift" and ptype == "SANCTION":
                    ptype = "CONCEDE"
                return ptype, negated
    if lemma in COPULAS:
        for c in children:
            if c.dep_ in ("acomp", "attr", "prep") and (c.lemma_.lower() in ADJ_TYPES or c.lower_ in ADJ_TYPES):
                ptype = ADJ_TYPES.get(c.lemma_.lower()) or ADJ_TYPES[c.lower_]
                x = next((g for g in c.children if g.dep_ == "xcomp"), None)
                if ptype == "AGREE" and x is not None:
                    # "ready to host talks" is an offer (AGREE); "not ready to" turns it into REJECT
                    negated = negated or verb_type(x)[1]
                return ptype, negated
    return None, negated


EASING = {"suspend", "lift", "ease", "remove", "terminate", "relax", "end", "waive", "loosen", "roll"}
RESTRICTIONS = {"sanction", "sanctions", "embargo", "tariff", "restriction", "curb", "ban", "measure"}


def _object_words(children: list) -> tuple[list, set]:
    objs = [c for c in children if c.dep_ in ("dobj", "pobj", "nsubjpass")] + [
        g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    words = {w for o in objs for w in (o.lemma_.lower(), *(m.lemma_.lower() for m in o.children if m.dep_ in ("compound", "amod")))}
    return objs, words


def _refine_by_arguments(verb, lemma: str, children: list, ptype: str | None) -> str | None:
    """Verbs whose type depends on what they take: banning imports, firing tear gas, going on
    strike, agreeing to release prisoners, exchanging drafts or prisoners, pledging, warning."""
    objs, obj_words = _object_words(children)
    if lemma in EASING and obj_words & RESTRICTIONS:
        ptype = "CONCEDE"  # suspending or lifting sanctions eases them (PLOVER CONCEDE), not a new sanction
    if lemma == "ban" and obj_words & TRADE_OBJECTS:
        ptype = "SANCTION"  # banning imports is a sanction; banning a party or people, coercion
    if lemma in ("fire", "use", "shoot", "launch") and obj_words & CROWD_CONTROL:
        ptype = "COERCE"  # tear gas, water cannon, rubber bullets
    if lemma in ("go", "stage", "hold", "call", "begin", "start", "organise", "organize", "launch", "declare") and obj_words & PROTEST_NOUNS:
        if not (lemma == "launch" and "strike" in obj_words):
            ptype = "PROTEST"  # "went on strike", "staged a walkout"; "launched a strike" stays an attack
    if lemma in ("hit", "strike") and {o.lemma_.lower() for o in objs} & FIGURATIVE_TARGETS:  # the head: not "a high school"
        ptype = None
    if lemma == "raid" and any(c.dep_ == "nsubj" and c.lemma_.lower() in ("police", "authority", "agent", "prosecutor") for c in children):
        ptype = "COERCE"
    if lemma == "commit" and (any(c.dep_ == "xcomp" for c in children) or any(
            c.dep_ == "prep" and c.lower_ == "to" for c in children)):
        ptype = "AGREE"  # "Iran has committed to halt enrichment", not "committed war crimes"
    if lemma in ("agree", "decide", "consent", "move", "vote"):
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt = verb_type(x)[0]
            if xt in ("COOPERATE", "AID", "SANCTION", "MOBILIZE") or (xt == "CONCEDE" and x.lemma_ not in ("exchange", "swap")):
                ptype = xt  # "agreed to release prisoners" is the concession itself
        elif lemma == "agree" and any(t.lemma_.lower() in ("sanction", "tariff", "embargo") for o in objs for t in o.subtree):
            ptype = "SANCTION"  # "agreed to a new package of sanctions"
    if lemma in ("exchange", "swap", "trade") and not any(
            t.lemma_.lower() in ("prisoner", "pow", "hostage", "body", "captive", "detainee") for t in verb.subtree):
        ptype = "CONSULT"  # exchanging drafts or views is consultation; exchanging prisoners a concession
    if lemma in ("promise", "offer") and ptype is None and any(c.dep_ in ("dobj", "dative") for c in children):
        ptype = "AID"  # "promised more air defence for Kyiv"
    if lemma in ("pledge", "promise", "vow"):
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt = verb_type(x)[0]
            if xt:
                ptype = "THREATEN" if xt in COERCIVE else xt
    if lemma == "warn" and not any(c.dep_ in ("ccomp", "xcomp") or c.lower_ == "of" for c in children):
        ptype = "THREATEN"
    return ptype


def evaluation(pred) -> str | None:
    """The stance in what a thing is called (the predicate of "called the deal a capitulation"):
    an evaluative word of it, else scare quotes around all of it ("called the plan 'theft'") are
    disapproval, else a stance word of the predicate ("called it a precondition"), else none."""
    for t in pred.subtree:
        w = t.lemma_.lower()
        if w in EVALUATIONS or t.lower_ in EVALUATIONS:
            return EVALUATIONS.get(w) or EVALUATIONS[t.lower_]
    doc, opening, closing = pred.doc, ('"', "“", "'", "‘"), ('"', "”", "'", "’")
    left, right = pred.left_edge.i, pred.right_edge.i
    # the parser attaches a quotation mark to the predicate or to the verb: either side will do
    opened = doc[left].text in opening or (left > 0 and doc[left - 1].text in opening)
    closed = doc[right].text in closing or (right + 1 < len(doc) and doc[right + 1].text in closing)
    if opened and closed:
        return "DISAPPROVE"
    return ADJ_TYPES.get(pred.lemma_.lower()) or cue_type(pred)


MEETING_NOUNS = {"talk", "talks", "meeting", "summit", "negotiation", "negotiations", "dialogue", "round", "visit"}
PROPOSING = {"propose", "invite", "offer", "suggest", "host"}


def meeting_proposal(verb) -> bool:
    """A proposal to meet ("proposed holding talks in Turkiye", "invited Zelensky to Moscow for a
    meeting", "offered to host the summit"): PLOVER codes the meeting proposed (CONSULT), not a
    demand; a meeting word in a clause the verb reports ("said that the talks ...") does not count."""
    if verb.lemma_.lower() not in PROPOSING or any(c.dep_ == "neg" for c in verb.children):
        return False
    stack = [c for c in verb.children if c.dep_ not in ("ccomp", "advcl", "conj", "parataxis", "nsubj")]
    while stack:
        t = stack.pop()
        if t.lemma_.lower() in MEETING_NOUNS or t.lower_ in MEETING_NOUNS:
            return True
        stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "relcl", "advcl"))
    return False


def copular_evaluation(verb) -> str | None:
    """The verdict a copular clause gives its subject ("this is a bad deal", "it was a historic
    achievement", "the solutions are pragmatic"): its predicate or a word qualifying it in
    `VERDICTS`; none when negated ("not a bad deal" is no verdict the lexicon can read)."""
    if verb.lemma_ != "be" or any(c.dep_ == "neg" for c in verb.children):
        return None
    for c in verb.children:
        if c.dep_ in ("acomp", "attr"):
            for w in (c, *(g for g in c.children if g.dep_ in ("amod", "compound"))):
                if any(g.dep_ == "neg" for g in w.children):
                    return None
                v = VERDICTS.get(w.lemma_.lower()) or VERDICTS.get(w.lower_)
                if v:
                    return v
    return None


def verb_type(verb) -> tuple[str | None, bool, bool, bool]:
    """PLOVER type of a predicate: (type, negated, modal-possible, deontic)."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    negated = any(c.dep_ == "neg" or c.lower_ in ("never", "no longer") for c in children)
    auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    modal = bool(auxes & MODAL_POSSIBLE) or any(c.lower_ == "if" for c in children if c.dep_ == "mark")
    deontic = bool(auxes & DEONTIC)
    ptype, negated = _lexicon_type(lemma, children, negated)
    pred = next((c for c in children if c.dep_ == "oprd"), None) if lemma in CALLING_VERBS else None
    if pred is not None:  # what the thing is called, not the thing ("called the sanctions antisemitic")
        return evaluation(pred), negated, modal, deontic
    # "have two weeks to bridge the differences": a 'have' with an object of its own is not "have to"
    if ptype is None and lemma in ASPECTUAL and not (lemma == "have" and any(c.dep_ == "dobj" for c in children)):
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt, xn, xm, xd = verb_type(x)
            if lemma in ("stop", "cease") and xt:
                return ("RETREAT" if xt in ("ASSAULT", "FIGHT") else "REJECT"), negated, modal, deontic
            if lemma in ("need", "have"):
                deontic = True
            return xt, negated or xn, modal or xm, deontic or xd
    if ptype is None:
        ptype = VERB_TYPES.get(lemma)
        if lemma == "make" and any(c.dep_ in ("oprd", "dobj", "ccomp", "appos", "attr") and c.lemma_ in (
                "condition", "precondition", "demand", "requirement") for c in verb.subtree):
            ptype = "REQUEST"
    return _refine_by_arguments(verb, lemma, children, ptype), negated, modal, deontic


def cue_type(verb) -> str | None:
    """Fallback type from stance words in the clause (copular and verbless content)."""
    words = {t.lemma_.lower() for t in verb.subtree} | {t.lower_ for t in verb.subtree}
    neg = any(t.dep_ == "neg" for t in verb.subtree)
    for w, t in ADJ_TYPES.items():
        if w in words:
            if neg and t in NEGATABLE_TO_REJECT:
                return "REJECT"
            return t
    if neg:
        return "REJECT"
    if words & {"must", "should", "need"}:
        return "REQUEST"
    return None
