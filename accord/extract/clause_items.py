"""A clause → items: who holds it, what it says (type), about what (issues), where on the scale.

Steps, each a function: `_attribute` (the subject's holder, conjoined holders, the quotation's
speaker), `_read_content` (a speech verb passes to the clause it reports; nested speech makes the
reported agent the holder), `_settle_type` (negation and modality: a refusal, a threat, or
nothing), then issues (issues.clause_issues) and one item per holder and issue with its position.
Items are plain dicts here; the pipeline turns them into `items.Item` models at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import (
    clause_span,
    complement,
    copular_evaluation,
    cue_type,
    has_ccomp,
    in_quote_attribution,
    meeting_proposal,
    verb_type,
)
from .coref import (
    STANCE_NOUNS,
    conjoined_holders,
    fallback_holder,
    named_person,
    resolve_text,
    resolve_token,
    stance_owner,
    subject_holder,
    target,
    with_modifiers,
)
from .gazetteer import HUMAN_TITLES
from .issues import IssueMatcher, clause_issues, issue_text
from .lexicon import (
    ADJ_TYPES,
    CALLING_VERBS,
    COERCIVE,
    NEGATABLE_TO_REJECT,
    PHRASAL,
    SPEECH_NEUTRAL,
    STATEMENT_TYPES,
    VERB_TYPES,
)
from .quotes import QUOTE_MARKS
from .state import DocState, Holder, fold


@dataclass
class Reading:
    """What is known of a clause so far."""

    holder: Holder
    co_holders: list = field(default_factory=list)
    reported_by: str | None = None
    ptype: str | None = None
    negated: bool = False
    modal: bool = False
    # a type read from the structure (negation, a modal over a coercive act, a deontic
    # complement) stands against the type classifier, which reads words more than scope
    structural: bool = False
    content: object = None  # the predicate whose content is reported (the verb or its complement)
    term: bool = False  # a future passive or existential with no act of a party: what is to be
    # the type of the stance the copula's subject names ("Russia's demand is ...": REQUEST; "" for
    # a stance with no type, as "position"), None when the subject is no owned stance
    stance: str | None = None
    # the holder is the owner of that stance ("Their aim is ..."): the text's structure, kept
    # against the holder classifier as a given holder is
    owned: bool = False


# "issued a statement condemning the strike", "made a statement endorsing the framework": the
# statement's own verb is the stance; the issuing verb says nothing
ISSUING_VERBS = {"issue", "make", "release", "publish", "deliver", "adopt", "put"}
STATEMENT_NOUNS = {"statement", "declaration", "communique", "communiqué", "resolution", "letter", "message"}


def issued_stance(verb) -> str | None:
    """The type of the verb that qualifies a statement the clause's verb issues, if it has one."""
    if verb.lemma_.lower() not in ISSUING_VERBS:
        return None
    for obj in verb.children:
        if obj.dep_ == "dobj" and obj.lemma_.lower() in STATEMENT_NOUNS:
            acl = next((c for c in obj.children if c.dep_ == "acl" and c.tag_ == "VBG"), None)
            if acl is not None:
                return verb_type(acl)[0]
    return None


def _stance(verb) -> str | None:
    """For "X's demand is that ...", "their aim is to ..." (a copula whose subject is a stance
    noun with its owner): the stance's type ("" when the noun has none, as "position"); else None."""
    if verb.lemma_ != "be":
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or stance_owner(subj) is None:
        return None
    return STANCE_NOUNS[subj.lemma_.lower()] or ""


def _attribute(verb, sent, state: DocState, in_quote, quotes) -> Reading:
    """The clause's holder: its subject; inside a quotation the speaker, unless another actor is
    the agent; a subject the tables do not know may speak for the document's main country."""
    ptype, negated, modal, deontic = verb_type(verb)
    holder = subject_holder(verb, state, in_quote, quotes, sent)
    r = Reading(holder, conjoined_holders(verb, state, in_quote, holder), None, ptype, negated, modal,
                content=verb)
    r.stance = _stance(verb)
    r.owned = bool(holder.actor) and r.stance is not None
    if (issued := issued_stance(verb)) is not None:  # "released a statement welcoming": not a release
        r.ptype, r.structural = issued, True
    if (verdict := copular_evaluation(verb)) is not None:
        r.ptype, r.structural = verdict, True
    if meeting_proposal(verb):  # "Putin proposed holding talks in Turkiye"
        r.ptype, r.structural = "CONSULT", True
    if deontic and ptype != "REJECT" and not negated and verb.lemma_ not in SPEECH_NEUTRAL:
        # "Russia as a state must bear responsibility": what must be done is demanded
        r.ptype, r.structural = "REQUEST", True
    if verb.dep_ == "ROOT" and in_quote is None and holder.actor and named_person(holder):
        state.main_person = (state.sent_no, (holder.speaker_id or holder.speaker, holder.actor))
    elif holder.actor and holder.speaker and not named_person(holder):
        # "a Saudi official said ... The official said": an unnamed speaker is met again by title
        # (its last title word: "a senior member of the Assembly" is "the member")
        words = fold(holder.speaker).split()
        title = next((w for w in reversed(words) if w in HUMAN_TITLES), words[-1])
        state.by_title[title] = (holder.speaker, holder.actor)
    qh = state.quote_speaker.get(in_quote) if in_quote is not None else None
    if qh is not None:
        if holder.actor is None or holder.actor == qh.actor or holder.speaker == qh.speaker:
            r.holder, r.co_holders = qh, []
        else:
            r.reported_by = qh.speaker or qh.actor
    elif holder.actor is None:
        said = next((c for c in verb.children if c.dep_ == "parataxis" and c.i > verb.i and c.lemma_ in SPEECH_NEUTRAL
                     and any(g.dep_ == "nsubj" for g in c.children)), None)
        # "The route will stay Armenian, Pashinyan said, and ...": with a clause after it, the
        # parser makes the speech verb an aside of what was said; its subject still said it
        speaker = subject_holder(said, state, in_quote, quotes, sent) if said is not None else Holder(None)
        r.holder = speaker if speaker.actor else fallback_holder(verb, state)
    return r


def _read_content(r: Reading, verb, sent, state: DocState, in_quote, quotes) -> None:
    """A neutral speech verb (say, tell…) passes to its complement; a loaded one is the stance.
    Nested speech ("Zelensky revealed that Putin had made X a condition") gives the clause to the
    complement's agent, reported by the speaker; a deontic complement stays the speaker's REQUEST."""
    phrasal = any((verb.lemma_.lower(), c.lower_) in PHRASAL for c in verb.children if c.dep_ in ("prt", "prep"))
    neutral = verb.lemma_ in SPEECH_NEUTRAL and not phrasal  # "called on both sides" is a request
    if not (neutral or (r.ptype is None and has_ccomp(verb))):
        return
    comp = complement(verb)
    if comp is None:
        # a speech verb with the content in a quote ("..., he said."), or "described it as
        # unrealistic": a stance word of its complement; what a thing is called was read with
        # the verb (clauses.evaluation)
        if r.ptype is None:
            pred = next((c for c in verb.children if c.dep_ in ("oprd", "acomp")), None)
            if pred is not None and not (pred.dep_ == "oprd" and verb.lemma_.lower() in CALLING_VERBS):
                r.ptype = ADJ_TYPES.get(pred.lemma_.lower()) or cue_type(pred)
        return
    ctype, cneg, cmodal, cdeontic = verb_type(comp)
    csub = subject_holder(comp, state, in_quote, quotes, sent, speaker=r.holder)
    r.content = comp
    if (owned := r.stance) is not None:
        # "Russia's demand is that Ukraine withdraw": what the demand says is its owner's, not
        # an act of the party it names
        r.ptype, r.negated, r.modal, r.structural = owned or r.ptype, False, False, bool(owned)
    elif (owned := _stance(comp)) is not None and csub.actor:
        # "..., Steinmeier said: their aim is that we lift ...": the owner's, reported
        r.reported_by, r.holder, r.co_holders, r.owned = r.holder.speaker or r.holder.actor, csub, [], True
        r.ptype, r.negated, r.modal, r.structural = owned or r.ptype, False, False, bool(owned)
    elif cdeontic and ctype != "REJECT" and not cneg:
        r.ptype, r.negated, r.modal, r.structural = "REQUEST", False, False, True
    elif (verdict := copular_evaluation(comp)) is not None:  # "said the solutions are pragmatic"
        r.ptype, r.negated, r.modal, r.structural = verdict, False, cmodal, True
    elif ctype:
        r.ptype, r.negated, r.modal = ctype, cneg, cmodal
        h = r.holder
        if csub.actor and csub.actor != h.actor and not (csub.speaker and csub.speaker == h.speaker):
            r.reported_by, r.holder, r.co_holders = h.speaker or h.actor, csub, []
    elif cneg:
        r.ptype, r.negated, r.structural = "REJECT", False, True
    else:
        r.ptype = cue_type(comp) or ("SUPPORT" if verb.lemma_ not in ("report", "claim") else None)


def _settle_type(r: Reading, verb, in_quote) -> bool:
    """Negation and modality. False when the clause gives no item: no holder, or a negated act
    ("did not attack" is no event)."""
    if r.ptype is None and verb.lemma_ == "be" and not r.term:
        r.ptype = cue_type(verb)
    if r.ptype is None and r.holder.actor is None:
        return False
    if r.ptype is None and in_quote is not None:
        r.ptype = cue_type(verb)
    # a predicate the lexicon does not know still reports its holder on the issues the
    # sentence names (type None): kept only when an issue is found
    if r.negated and r.ptype in NEGATABLE_TO_REJECT:
        r.ptype, r.structural = "REJECT", True
    elif r.negated and r.ptype is not None and r.modal:
        r.ptype, r.structural = "REJECT", True  # "we will not give away our land", "cannot accept"
    elif r.negated and r.ptype is not None:
        return False
    if r.modal and r.ptype in COERCIVE:
        r.ptype, r.structural = "THREATEN", True
    return r.holder.actor is not None


# what a term with no agent may say is to be done ("will be lifted", "will be released"): the
# concessions a deal lists, not acts of force
TERM_TYPES = {"CONCEDE", "RETREAT", "AGREE", "COOPERATE", "AID"}
# a statement's text is introduced at its top ("X issued the following statement:"); an article that
# quotes someone half-way down does not become theirs
VOICE_WITHIN = 8
# verbs that introduce a text in the holder's own voice ("issued the following statement:", "said:")
INTRODUCING = {"issue", "say", "state", "declare", "release", "publish", "write", "tell", "add", "announce", "deliver", "make"}


def _owners(verb, state: DocState) -> list[str]:
    """The parties a passive subject belongs to: "U.S. and E.U. sanctions", "Iran's stockpile"."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None:
        return []
    mods = [t for c in subj.children if c.dep_ in ("poss", "compound", "nmod", "amod") for t in (c, *c.conjuncts)]
    names = (with_modifiers(t, ("compound", "nmod")) for t in mods)  # "European Union", not "Union"
    return list(dict.fromkeys(code for code in map(state.resolver.code, names) if code))


def _declared_future(verb) -> bool:
    """The predicate is under 'will' / 'shall' (not 'would': reported or hypothetical)."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("will", "shall", "'ll", "wo") for c in verb.children)


def _candidate(r: Reading, verb, sent, state: DocState, sent_date) -> dict:
    """A holder with a predicate the lexicon does not know and no issue: a candidate the learned
    layer keeps only when it finds a type or an issue for the sentence."""
    h = r.holder
    return {"kind": "statement", "event_type": None, "actor": h.actor,
            "speaker": h.speaker_id or h.speaker, "reported_by": r.reported_by,
            "date": sent_date or state.doc_date, "start": sent.start_char, "end": sent.end_char,
            "sentence": [sent.start_char, sent.end_char], "verb": verb.lemma_,
            "confidence": 0.5, "issue": None, "position": None, "_candidate": True}


def clause_items(clause, sent, state: DocState, matcher: IssueMatcher, in_quote, sent_date, quotes,
                 keep_candidates: bool) -> list[dict]:
    """The items of one clause (one per holder and issue); `keep_candidates` keeps holders without
    type or issue for the learned layer to decide."""
    verb = clause
    r = _attribute(verb, sent, state, in_quote, quotes)
    _read_content(r, verb, sent, state, in_quote, quotes)
    term = (r.ptype is None or (r.ptype in TERM_TYPES and r.holder.actor is None)) and _declared_future(verb) \
        and any(c.dep_ in ("auxpass", "expl") for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)
    if term:
        # "There will not be any fissile material at Fordow", "will not be enriched", "sanctions
        # will be lifted once ...": a term of what is to be (no party's act named), its negation
        # part of the term's content, not a refusal
        r.ptype, r.negated, r.term = None, False, True
    if r.holder.actor is None and term:
        # "All excess centrifuges will be placed in monitored storage": a term stated with no
        # party is the commitment of the statement's voice, else of the parties whose thing it is
        # ("U.S. and E.U. sanctions will be suspended"), else of the party the text is about (the
        # country it names most)
        if in_quote is None and state.voice is not None:
            r.holder = state.voice
        elif owners := _owners(verb, state):
            r.holder, r.co_holders = Holder(owners[0]), [Holder(a) for a in owners[1:]]
        elif state.main_country():
            r.holder = Holder(state.main_country())
    voice = state.voice
    if in_quote is None and voice is not None and voice.actor and r.holder.actor not in (None, voice.actor) \
            and r.ptype is None and not r.negated and r.reported_by is None:
        # "With this deal, Iran will face more inspections" in a president's statement: what the
        # statement says another party will do or undergo is the statement's claim; that party
        # holds it only when its own act is reported (agreed, rejected, demanded: a typed verb)
        # in a joint statement it is what all its authors agreed, in one party's its claim
        r.holder, r.co_holders, claimed = voice, [], not state.voice_with
    else:
        claimed = False
    if r.holder is state.voice and state.voice_with and not r.co_holders:
        r.co_holders = list(state.voice_with)  # a joint statement's "we" and terms are all its authors'
    if not _settle_type(r, verb, in_quote):
        if r.structural and r.holder.actor is None and r.ptype and not r.negated:
            state.held_type = state.held_type or r.ptype
        return []
    issues = clause_issues(r.content, sent, state, matcher)
    ptype, holder = r.ptype, r.holder
    if ptype is None and issues and not r.negated and _declared_future(r.content):
        # "Iran will reduce its centrifuges to 6,104" (or "confirmed that it will only produce
        # ..."): a party stating what it will do on an issue commits to it (PLOVER AGREE), whatever
        # the verb; read from the structure, so the classifier, which takes a bare 'will' for a
        # threat, does not override it. What one party's statement says another will do under a
        # deal ("With this deal, Iran will face more inspections" in the US president's) is no
        # commitment of its own: it speaks for the deal (SUPPORT)
        ptype, r.structural = ("SUPPORT" if claimed else "AGREE"), True
    if not issues and ptype is None:
        return [_candidate(r, verb, sent, state, sent_date)] if keep_candidates and not in_quote_attribution(verb) else []
    # an undated clause takes the document date (carrying the paragraph's last date over was
    # tried on the dev set and was wrong more often than right)
    conf = 0.5 + 0.15 * bool(holder.speaker) + 0.15 * bool(issues) + 0.1 * (ptype is not None)
    base = {
        # statements are speech acts and stances; physical actions are events, even when reported
        "kind": "statement" if ptype in STATEMENT_TYPES or ptype is None else "event",
        "event_type": ptype, "actor": holder.actor,
        "speaker": holder.speaker_id or holder.speaker, "reported_by": r.reported_by,
        "date": sent_date or state.doc_date, "start": sent.start_char, "end": sent.end_char,
        "sentence": [sent.start_char, sent.end_char],
        "verb": verb.lemma_, "confidence": round(min(conf, 0.95), 2),
        "_structural": r.structural,
    }
    if r.owned:
        base["_given"] = True
    aimed = target(r.content, state)
    if aimed and aimed != holder.actor:
        base["target"] = aimed
    if in_quote is not None:
        # `quote` is only the speaker's words (inside the quotation marks, docs/case-format.md); the
        # sentence, dateline and all, is the source's text: review makes its span the summary.
        qs, qe = quotes[in_quote]
        words = state.text[max(qs, sent.start_char):min(qe, sent.end_char)].strip(" \n," + QUOTE_MARKS)
        if words:
            base["quote"] = words
    # every conjoined subject holds the clause, also what they are reported to say ("Armenia and
    # Azerbaijan said they had agreed"), unless the complement has an agent of its own
    holders = [holder]
    for h in r.co_holders:
        if h.actor and all(h.actor != o.actor for o in holders):
            holders.append(h)
    start, end = clause_span(clause, sent)
    clause_text = state.text[start:end]
    out = []
    for h in holders:
        b = {**base, "actor": h.actor, "speaker": h.speaker_id or h.speaker}
        if not issues:
            out.append({**b, "issue": None, "position": None})
        for issue in issues:
            position, role = matcher.position(issue, clause_text, ptype)
            out.append({**b, "issue": issue, "position": position, "role": role})
    state.last_actor = holder.actor
    state.last_holders = list(dict.fromkeys(h.actor for h in holders if h.actor))
    if in_quote is None and holder.actor and state.sent_no <= VOICE_WITHIN and sent.text.rstrip().endswith(":") \
            and verb.lemma_ in INTRODUCING \
            and state.text[sent.end_char:sent.end_char + 40].lstrip()[:1] not in "“\"«„'‘":
        state.speak_as(holder)  # what follows, unquoted, is this holder's text (a quotation is only itself)
    elif in_quote is None and len(holders) > 1 and state.sent_no <= VOICE_WITHIN and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "we" for c in verb.children):
        # "We, the ministers of X, together with Y (A, B, C), met ...": the text is their joint voice
        state.speak_as(holders[0], holders[1:])
    for h in holders:
        if h.actor and (not state.actor_history or state.actor_history[-1] != h.actor):
            state.actor_history.append(h.actor)
    return out


# a line that is an item of a list: a bullet or a number, or a verb with no subject
_LIST_MARK = ("•", "*", "-", "–", "·", "▪")


def is_list_item(sent) -> bool:
    """A list item: starts with a bullet or a number, or is a bare verb phrase ("Not install
    additional centrifuges", "Halt all enrichment above 5%") with no subject of its own."""
    first = sent.text.lstrip()
    if first.startswith(_LIST_MARK) or (first[:1].isdigit() and first[1:3].strip()[:1] in (".", ")")):
        return True
    return _after_lone_bullet(sent) or bare_verb_item(sent)


def _after_lone_bullet(sent) -> bool:
    """The sentence starts a line after a bullet the splitter left behind ("•\nNot install ...",
    "• Limit ..." split after the mark). Read token by token back to the line's start: Doc.text
    would rebuild the whole document's string for every sentence of a list."""
    doc, mark = sent.doc, False
    for i in range(sent.start - 1, -1, -1):
        t = doc[i]
        if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text):
            return mark  # the line starts after this token
        if t.is_space:
            continue
        if mark or t.text not in _LIST_MARK:
            return False  # the line holds more than one bullet
        mark = True
    return mark


def bare_verb_item(sent) -> bool:
    """A list item that is a bare verb phrase ("Halt all enrichment above 5%"): its holder is the
    lead-in's, whoever its subordinate clauses name ("..., so Iran cannot use ...")."""
    verb = next((t for t in sent if t.is_alpha and t.lower_ not in ("not", "never", "also", "only")), None)
    if verb is None:
        return False
    # a capitalised imperative is often tagged a proper noun ("Limit its production"); its object says verb
    return (verb.tag_ in ("VB", "VBP") or verb.tag_ == "NNP" and any(c.dep_ == "dobj" for c in verb.children)) \
        and verb.dep_ not in ("aux", "auxpass") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i < verb.i for c in verb.children)


def lead_in(sent, items: list[dict]) -> tuple | None:
    """A sentence that introduces a list ("Iran has committed to:"): its holders and type."""
    if not sent.text.rstrip().endswith(":"):
        return None
    holders = list(dict.fromkeys((it["actor"], it.get("speaker")) for it in items if it.get("actor")))
    typed = [it.get("event_type") for it in items if it.get("actor") and it.get("event_type")]
    return (holders, typed[0] if typed else None) if holders else None


def list_items(sent, lead: tuple, matcher: IssueMatcher, sent_date) -> list[dict]:
    """A list item's items: what its lead-in's holders commit to, on the item's own issues."""
    holders, ptype = lead
    issues = matcher.issues(issue_text(sent))
    out = []
    for actor, speaker in holders:
        for issue in issues or [None]:
            position, role = matcher.position(issue, sent.text, ptype) if issue else (None, "claim")
            out.append({"kind": "statement" if ptype in STATEMENT_TYPES or ptype is None else "event",
                        "event_type": ptype, "actor": actor, "speaker": speaker, "reported_by": None,
                        "date": sent_date, "start": sent.start_char, "end": sent.end_char,
                        "sentence": [sent.start_char, sent.end_char], "verb": sent.root.lemma_,
                        "confidence": 0.6, "issue": issue, "position": position, "role": role,
                        "_structural": ptype is not None})  # the lead-in's type, not the classifier's
    return out


# "[14:00:09] BARACK OBAMA, PRESIDENT OF THE UNITED STATES:" — a transcript's speaker label
# (capitals, as transcripts print them: a sentence that ends in a colon is not a label)
_SPEAKER_LABEL = re.compile(r"^\W*(?:\[[^\]]{0,20}\]\s*)?((?:[A-Z][A-Z.'’-]+\s+){0,3}[A-Z][A-Z.'’-]+)\s*(?:,[^:a-z]{0,100})?:\s*$")


def speaker_label(sent, state: DocState) -> Holder | None:
    """The person a transcript's label line names, when the reader knows whom they speak for."""
    m = _SPEAKER_LABEL.match(sent.text)
    if m is None:
        return None
    pid, actor = state.resolver.person(m.group(1))
    known = state.known_person(m.group(1))
    if actor is None and known is not None:
        actor = known[1]
    return Holder(actor, m.group(1).title(), pid) if actor else None


# "Pashinyan: “We will not allow any corridor logic”", "Aliyev: Armenia must change its
# constitution": a line that opens with a name and a colon, the words following on the same line
_LABELLED = re.compile(r"^\W*(?P<who>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})\s*:(?P<rest>[ \t]*\S?)")


def labelled_voice(sent, state: DocState, quotes: list) -> Holder | None:
    """The speaker a headline or a record line names before a colon ("Aliyev: Armenia must ...",
    "Pashinyan: “We will ...”"), whose words the rest of the line is: returned when those words are
    this sentence's; when they are a quotation the splitter made a sentence of its own, that
    quotation is theirs (`state.quote_speaker`). None when the line opens otherwise or the name is
    no actor's ("Note: ...")."""
    k = sent.start_char - 1
    while k >= 0 and state.text[k] in " \t":
        k -= 1
    if k >= 0 and state.text[k] != "\n":
        return None  # not at a line's start
    m = _LABELLED.match(sent.text)
    if m is None:
        return None
    h = resolve_text(m.group("who"), state)
    if not h.actor:
        return None
    if m.group("rest").strip():
        return h
    after = sent.start_char + m.end()
    for qi, (qs, _) in enumerate(quotes):
        if after <= qs <= after + 3 and "\n" not in state.text[after:qs]:
            state.quote_speaker.setdefault(qi, h)
    return None


# "Statement to the press by M. Laurent Fabius, Minister of ...", "Joint Statement by EU High
# Representative Federica Mogherini and Iranian Foreign Minister Javad Zarif", "Iran/nuclear issue –
# Reply given by ...", "Statement of the Ministry of Foreign Affairs of the Republic of Armenia": a
# heading that says whose text the page is
_BY_HEADING = re.compile(
    r"^\W*(?:Title:\s*)?(?:[^:\n]{0,60}\s[–—:-]\s+)?(?:joint\s+)?(?:statement|remarks|speech|reply|address"
    r"|declaration|interview|op-ed|message|letter|press conference)\b[^\n.]{0,60}?\b(?:by|of)\s+(?P<who>[^\n(]+)", re.I)


def heading_voice(sent, state: DocState) -> tuple[Holder, list[Holder]] | None:
    """The voice a page's heading names near its top ("Statement ... by X and Y"): X, with Y."""
    if state.sent_no > VOICE_WITHIN or state.voice is not None:
        return None
    m = _BY_HEADING.match(sent.text)
    if m is None:
        return None
    found: list[Holder] = []
    for part in re.split(r",|;|\band\b", m.group("who"))[:4]:
        h = resolve_text(part, state) if part.strip() else Holder(None)
        if h.actor and all(h.actor != f.actor for f in found):
            found.append(h)
    return (found[0], found[1:]) if found else None


def _bulleted(sent) -> bool:
    return sent.text.lstrip().startswith(_LIST_MARK) or _after_lone_bullet(sent)


def _opening_verb(sent) -> str | None:
    """The lemma of a capitalised third-person verb that opens the sentence ("Refuses", "Says",
    "Warns", "Denies"), when the lexicon knows it: the parser reads such a bullet's verb as a
    noun subject."""
    first = next((t for t in sent if t.is_alpha), None)
    if first is None or not first.text[:1].isupper() or not first.lower_.endswith("s"):
        return None
    word = first.lower_
    for lemma in (word[:-1], word[:-2], word[:-3] + "y"):
        if lemma in VERB_TYPES or lemma in SPEECH_NEUTRAL:
            return lemma
    return None


def summary_items(sent, before, matcher: IssueMatcher, sent_date) -> list[dict]:
    """A bullet of a news summary that drops its subject ("* Refuses to shut down Fordow
    underground facility" under "* Leader outlines tough enrichment stance"): the holders of the
    bullet before (`before`: its sentence and items), in the type its opening verb says
    ("Refuses": REJECT; "Says": left to the classifier), on the issues it names."""
    prev_sent, prev_items = before
    lemma = _opening_verb(sent)
    if lemma is None or not (_bulleted(sent) and _bulleted(prev_sent)):
        return []
    holders = list(dict.fromkeys((it["actor"], it.get("speaker")) for it in prev_items if it.get("actor")))
    if not holders:
        return []
    return [it for it in list_items(sent, (holders, VERB_TYPES.get(lemma)), matcher, sent_date) if it.get("issue")]


# what one side gives another: "relief from the P5+1" is the P5+1's to give
GIFT_NOUNS = {"relief", "aid", "assistance", "guarantee", "concession", "assurance", "support", "funding",
              "loan", "waiver", "pledge", "commitment", "help", "compensation"}


def giver_items(sent, state: DocState, matcher: IssueMatcher, sent_date) -> list[dict]:
    """A sentence whose subject is no party ("That agreement ... provides limited sanctions relief
    from the P5+1"): the party a gift is said to come from holds it, on the issue the gift's words
    name, placed by those words."""
    givers: list[tuple] = []
    gifts: dict[str, str] = {}  # issue → the words of the gift that names it
    for t in sent:
        if t.lemma_.lower() in GIFT_NOUNS:
            # "relief from X", or "provides relief from X" with the "from" on the verb
            heads = [t, t.head] if t.dep_ == "dobj" else [t]
            for prep in (c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "from"):
                for g in (c for c in prep.children if c.dep_ == "pobj"):
                    h = resolve_token(g, state, None)
                    if h.actor and (h.actor, h.speaker) not in givers:
                        givers.append((h.actor, h.speaker))
                        phrase = " ".join(x.text for x in t.subtree if x.i < prep.i or prep.head is t)
                        gifts.update((i, phrase) for i in matcher.issues(phrase))
    # on what is given ("limited sanctions relief"), placed by its words, not on all the sentence
    # names ("access to frozen assets")
    out = [it for it in list_items(sent, (givers, None), matcher, sent_date) if it.get("issue") in gifts]
    for it in out:
        it["position"], it["role"] = matcher.position(it["issue"], gifts[it["issue"]], None)
    return out


def voice_items(sent, voice: Holder, voice_with: list, matcher: IssueMatcher, sent_date) -> list[dict]:
    """A sentence with no holder of its own in a statement's text ("There will be strict limits
    for a decade."): the statement's voice (all authors of a joint one) holds it, on the issues it
    names."""
    out = list_items(sent, ([(h.actor, h.speaker_id or h.speaker) for h in (voice, *voice_with)], None),
                     matcher, sent_date)
    return [it for it in out if it.get("issue")]
