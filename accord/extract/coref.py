"""Holders and coreference: who a subject, a pronoun, a surname or a title stands for.

The reader learns persons from the titles around their names ("Kremlin spokesperson Dmitry
Peskov", "X, Ukraine's ambassador to Turkiye"), then resolves later surnames, "he/she", "we" in a
quotation, "the ambassador", "the two sides", "the memorandum" and unnamed officials against what
the document said before (`DocState`). Every function returns a `Holder` (actor code, speaker);
`Holder(None)` means nobody the tables or the document know.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .gazetteer import CHAMBERS, HUMAN_TITLES, LEGISLATORS, RELATIONAL_NOUNS, STATE_AGENTS, is_country, venue
from .lexicon import QUOTING_VERBS, SPEECH_NEUTRAL
from .state import DocState, Holder, fold

# Nouns for people whose country is where they are ("protesters in Nairobi"), and for armed
# groups that are the story's armed group when one has been named ("paramilitary fighters").
CIVIL_GROUP_NOUNS = {"protester", "demonstrator", "worker", "student", "resident", "crowd",
                     "activist", "villager", "farmer", "civilian", "people", "citizen", "voter",
                     "opposition", "thousand", "hundred", "dozen", "union", "mob", "rioter",
                     "gunman", "gunmen", "assailant", "attacker", "bandit", "kidnapper"}
ARMED_GROUP_NOUNS = {"rebel", "militant", "fighter", "insurgent", "paramilitary", "guerrilla",
                     "militia", "militiaman", "jihadist", "separatist", "gunman", "gunmen"}
ARMED_GROUPS = {"HAMAS", "HEZBOLLAH", "HOUTHI", "TALIBAN", "FARC", "ELN", "TPLF", "RSF", "M23",
                "WAGNER", "PIJ", "PKK", "SDF", "ISIS"}
BODY_NOUNS = {"group", "bloc", "alliance", "coalition", "grouping", "organisation", "organization"}
DOCUMENT_NOUNS = {"memorandum", "draft", "statement", "communique", "communiqué", "resolution",
                  "letter", "text", "document", "declaration", "report", "note", "proposal", "plan"}
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it", "them"}
PRONOUNS_SELF = {"i", "we", "me", "us", "our", "my"}
# What a party wants or puts forward ("Russia's demand is that ...", "Their aim is that we accept
# ..."): the possessor holds the clause, whoever the clause says must act. The value is the type it
# gives: a want is a REQUEST; a position or a proposal has no type of its own.
STANCE_NOUNS = {**dict.fromkeys(("demand", "aim", "goal", "intention", "objective", "purpose", "condition",
                                 "precondition", "priority", "request", "wish", "desire", "insistence"), "REQUEST"),
                **dict.fromkeys(("position", "proposal", "offer", "plan"))}
# Subjects the tables do not know that still speak for a state ("the ruling party", "the
# attorney general's office"): see fallback_holder.
FALLBACK_NOUNS = {"party", "service", "office", "commission", "court", "assembly", "parliament",
                  "diocese", "church", "agency", "council", "committee", "coalition", "force", "troop",
                  "soldier", "prosecutor", "government", "army", "military", "police", "authority",
                  "ministry", "cabinet", "spokesperson", "spokesman", "spokeswoman", "official",
                  "negotiator", "delegation", "junta", "administration", "president", "minister"}
# heads that count or gather what their "of" phrase names ("a group of senators")
QUANTITY_HEADS = {"group", "number", "majority", "handful", "dozen", "couple", "pair", "minority"}
REPEATED_TITLES = ("ambassador", "diplomat", "envoy", "spokesperson", "minister", "president")
_ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;]+)[,.;]")
# what follows a quotation that its attribution closes: "..., Khamenei said", "...,” the minister added"
# (a pronoun there, "... ,” he said", continues the speaker before it)
_CLOSING_ATTRIBUTION = re.compile(r"\s*(?!(?i:he|she|they|it|we|i|you)\b)(?P<who>(?:[\w.’'-]+\s+){0,5}?[\w.’'-]+)\s+"
                                  r"(?:said|says|told|tells|added|adds|stated|declared|insisted|noted|wrote|explained|warned)\b")


# ---------------------------------------------------------------- entities

def _ents(doc) -> tuple[tuple, list[int]]:
    """The Doc's entity spans and their start tokens, built once (`doc.ents` builds every span of
    the document again on each access, and `Span.ents` goes through `doc.ents`: asked per
    sentence, that was quadratic)."""
    found = doc.user_data.get("accord_ents")
    if found is None:
        ents = tuple(doc.ents)
        found = doc.user_data["accord_ents"] = (ents, [e.start for e in ents])
    return found


def doc_ents(doc) -> tuple:
    """The Doc's entity spans (as `doc.ents`)."""
    return _ents(doc)[0]


def sent_ents(sent) -> tuple:
    """The entities that lie within a sentence (as `Span.ents`), from the Doc's list."""
    ents, starts = _ents(sent.doc)
    lo = bisect_left(starts, sent.start)
    hi = bisect_left(starts, sent.end, lo)
    return tuple(e for e in ents[lo:hi] if e.end <= sent.end)


def with_modifiers(tok, deps: tuple = ("compound",)) -> str:
    """A word with the modifiers before it ("European Union" for the token "Union")."""
    return " ".join([x.text for x in tok.lefts if x.dep_ in deps] + [tok.text])


def ent_at(doc, i: int):
    """The entity span covering token i (an index built once per Doc: `doc.ents` is rebuilt on
    every access, and looking it up per token made long lists of names cubic)."""
    index = doc.user_data.get("accord_ent_index")
    if index is None:
        index = {}
        for e in doc_ents(doc):
            for k in range(e.start, e.end):
                index[k] = e
        doc.user_data["accord_ent_index"] = index
    return index.get(i)


def _country_as_person(ent, state: DocState) -> bool:
    """The small NER model sometimes tags a country ("Azerbaijan", "Burkina Faso") as a person."""
    return bool(state.resolver.code(ent.text)) and not state.resolver.person(ent.text)[1]


def np_tokens(tok) -> list:
    """The noun phrase around a head: its left modifiers, appositions and 'of' phrases."""
    return [t for t in tok.subtree if not (t.dep_ in ("relcl", "acl") or t.head.dep_ in ("relcl", "acl") and t.head != tok)]


# ---------------------------------------------------------------- what the reader learns

def title_actor(ent, state: DocState) -> str | None:
    """The actor a named person speaks for, read from titles around the name."""
    doc = ent.doc
    head = ent.root
    cands = []
    # left modifiers in the same noun phrase: "Kremlin spokesperson", "Ukraine's ambassador"
    left = doc[max(ent.sent.start, ent.start - 6):ent.start]
    stop = None
    for t in reversed(list(left)):
        if t.text in (",", "(", "—", "-") or t.pos_ in ("VERB", "ADP") and t.lower_ not in ("of",):
            stop = t.i
            break
    cands.extend(t for t in left if stop is None or t.i > stop)
    # apposition: "Name, Ukraine's ambassador to Turkiye"
    for c in head.children:
        if c.dep_ == "appos":
            sub = list(c.subtree)
            # in "X's ambassador to Y" the possessor is the actor, not Y
            cands.extend([t for t in sub if t.i <= c.i or t.dep_ == "poss"])
            cands.extend([t for t in sub if t.i > c.i and t.head.lower_ == "of"])
    for c in head.children:
        if c.dep_ == "relcl":
            cands.extend([t for t in c.subtree if t.ent_type_ in ("NORP", "GPE")])
    if head.dep_ == "appos":
        cands.extend([t for t in head.head.subtree if t.i < head.head.i + 1 and t.i < ent.start])
    for t in cands:
        if t.dep_ == "poss" and t.pos_ == "PROPN" and t.head.lemma_.lower() not in RELATIONAL_NOUNS:
            # "Pashinyan's spokeswoman Nazeli Baghdasaryan": the principal's side
            e = ent_at(doc, t.i)
            who = e.text if e is not None else t.text
            actor = state.resolver.person(who)[1] or (state.known_person(who) or (None, None))[1]
            if actor:
                return actor
        if t.ent_type_ in ("GPE", "NORP", "ORG", "LOC", "FAC") or t.pos_ in ("PROPN", "ADJ") or t.text[:1].isupper():
            span_text = t.text
            if t.ent_type_:
                e = ent_at(doc, t.i)
                if e is not None and e.label_ != "PERSON":
                    span_text = e.text
            code = state.resolver.code(span_text)
            if code:
                return code
    if state.countries and any(t.lemma_.lower() in ("government", "army", "military", "police", "authority", "ministry", "cabinet")
                               for t in cands):
        # "the government's chief negotiator X": the country the document is about
        return state.main_country()
    return None


def learn_persons(sent, state: DocState) -> None:
    """Persons introduced with a title teach the reader who they speak for."""
    for ent in sent_ents(sent):
        if ent.label_ != "PERSON":
            continue
        name = ent.text.strip()
        pid, actor = state.resolver.person(name)
        if actor is None:
            actor = title_actor(ent, state)
        key = fold(name)
        if actor is None:
            known = state.persons.get(key) or state.persons.get(key.split()[-1])
            if known:
                continue
        full = name
        known = state.persons.get(key.split()[-1])
        if known and len(known[0]) >= len(full):
            full = known[0]
        entry = (pid or full, actor or (known[1] if known else None))
        state.persons[key] = entry
        state.persons[key.split()[-1]] = entry
        if entry[1]:
            state.last_named = entry
            for title in _titles_before(ent):
                state.by_title[title] = entry
            if "interview" in sent.text.lower():
                # "an exclusive interview with X": X answers the quotations that follow
                state.interviewee = entry


def named_person(h: Holder) -> bool:
    """A holder who is a person by name ("Kerry"), not by office alone ("the U.S. president", "a
    senior member of the Assembly": the office is the phrase's head, before its "of")."""
    if h.speaker_id:
        return True
    words = fold(h.speaker or "").split(" of ")[0].split()
    return bool(words) and words[0] != "the" and words[-1] not in HUMAN_TITLES and words[-1][:-1] not in HUMAN_TITLES


def _titles_before(ent) -> list[str]:
    """The office words just before a name ("President Barack Obama", "Secretary of State John
    Kerry"): what a later bare "the President" or "the Secretary" calls the same person."""
    out = []
    for t in reversed(list(ent.doc[max(ent.sent.start, ent.start - 4):ent.start])):
        low = t.lower_
        if low in HUMAN_TITLES:
            out.append(low)
        elif not (t.pos_ in ("PROPN", "ADJ") or low in ("of", "state", "the")):
            break
    return out


def note_mentions(sent, state: DocState) -> None:
    """Countries named (for 'the government'), the story's armed group, a document's author."""
    for t in sent:
        if t.lemma_.lower() in DOCUMENT_NOUNS:
            for c in t.children:
                if c.dep_ == "poss":
                    code = state.resolver.code(c.text)
                    if code:
                        state.doc_author = code
    if state.resolver.bodies:  # the bloc a later "the powers" means, the body "the group" does: the last named
        for t in sent:
            if t.pos_ in ("PROPN", "NOUN") and t.dep_ != "compound":
                code = next((c for c in (state.resolver.code(x) for x in (
                    with_modifiers(t, ("nummod", "compound", "amod")), t.text)) if c in state.resolver.bodies), None)
                state.last_bloc = code if code in state.resolver.blocs else state.last_bloc
                state.last_body = code or state.last_body
    for e in sent_ents(sent):
        if e.label_ in ("GPE", "NORP", "ORG"):
            code = state.resolver.code(e.text)
            if code and e.label_ == "ORG":
                state.last_body = code
            if code in ARMED_GROUPS:
                state.last_group = code
            elif code and len(code) == 3 and code.isalpha() and code.isupper() and e.label_ != "ORG":
                state.countries[code] = state.countries.get(code, 0) + 1


# ---------------------------------------------------------------- the holder of a clause

def subject_holder(verb, state: DocState, in_quote, quotes, sent, speaker: Holder | None = None) -> Holder:
    """Who holds a clause: the (passive: 'by' agent) subject, resolved to an actor."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
    if subj is None:
        for c in verb.children:
            if c.dep_ == "agent":
                subj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if subj is None and verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ == "as" \
            and verb.head.head.lemma_.lower() in QUOTING_VERBS:
        # "quoted Salehi as saying": the one quoted says it
        subj = next((c for c in verb.head.head.children if c.dep_ == "dobj"), None)
    if subj is None:
        subj = _swallowed_subject(verb)
    if subj is None and verb.dep_ == "acl" and verb.head.dep_ == "nsubj" and (
            verb.tag_ == "VBD" or any(g.dep_ == "dobj" for g in verb.children)):
        subj = verb.head
    if subj is None and verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
        return subject_holder(verb.head if verb.head.pos_ != "ADJ" else verb.head.head, state, in_quote, quotes, sent, speaker)
    if subj is None:
        # "According to X, ..." attributes the whole sentence
        acc = _ACCORDING.search(sent.text)
        if acc:
            return resolve_text(acc.group(1), state)
        if in_quote is not None and in_quote in state.quote_speaker:
            return state.quote_speaker[in_quote]
        return Holder(None)
    owner = stance_owner(subj)
    h = (_possessor_holder(owner, state, in_quote, speaker) if owner is not None else None) \
        or resolve_token(subj, state, in_quote, speaker)
    if h.actor is None:
        acc = _ACCORDING.search(sent.text)
        if acc:
            return resolve_text(acc.group(1), state)
    # quotes that follow this attribution in the same sentence or paragraph get this speaker
    if h.actor and verb.lemma_ in SPEECH_NEUTRAL | {"emphasize", "explain"}:
        text = state.text
        for qi, (qs, qe) in enumerate(quotes):
            if sent.start_char <= qs <= sent.end_char + 2 and qi != in_quote:
                closing = _CLOSING_ATTRIBUTION.match(text, qe) if qs >= sent.end_char and text[qe - 2:qe - 1] == "," else None
                # unless the quotation names its own speaker at its close ("The powers say ...\n“...
                # our absolute need,” Khamenei said": a comma before the closing mark, then the
                # attribution): that is whose it is, from its first sentence on
                who = resolve_text(closing.group("who"), state) if closing else h
                if who.actor:
                    state.quote_speaker[qi] = who
    return h


def stance_owner(subj):
    """The possessor of a stance noun ("Russia's demand", "their aim"), if `subj` is one."""
    if subj.lemma_.lower() not in STANCE_NOUNS:
        return None
    return next((c for c in subj.children if c.dep_ == "poss"), None)


def _possessor_holder(poss, state: DocState, in_quote, speaker: Holder | None) -> Holder | None:
    """Whose stance it is: a named possessor, or "their"/"its" in someone's words, the party they
    speak of, not their own ("Their aim is that we accept ...": the other side). None when unknown."""
    if poss.lower_ not in ("their", "its"):
        h = resolve_token(poss, state, in_quote, speaker)
        return h if h.actor else None
    voice = state.quote_speaker.get(in_quote) if in_quote is not None else speaker
    own = voice.actor if voice is not None else None
    if own is None:
        return None
    other = next((a for a in [*state.last_holders, state.last_bloc, state.last_actor,
                              *reversed(state.actor_history)] if a and a != own), None)
    return Holder(other) if other else None


def _swallowed_subject(verb):
    """A subject the parser took into the opening phrase: "In mid-August, Trump, who ..., announced"
    parses Trump as the object of "In". A name after the opening phrase's comma, in a phrase that
    modifies the subjectless verb before it, is that verb's subject ("In Moscow, officials said"
    keeps Moscow as a place: no comma precedes it)."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.i > verb.i:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj" or obj.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            start = obj.i  # the name with its title ("President Donald Trump")
            while start - 1 > prep.i and obj.doc[start - 1].dep_ == "compound" and obj.doc[start - 1].head is obj:
                start -= 1
            if start - 1 > prep.i + 1 and obj.doc[start - 1].text == ",":
                return obj
    return None


def fallback_holder(verb, state: DocState) -> Holder:
    """A subject the tables do not know — a named person, an unnamed official or institution
    ("Prime Minister X said", "the ruling party", "the attorney general's office") — speaks for the
    country the document names most, when it names any."""
    if not state.countries:
        return Holder(None)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_SELF:
        return Holder(None)
    words = {t.lemma_.lower() for t in subj.subtree}
    person = subj.ent_type_ == "PERSON"
    if not (person or subj.ent_type_ == "ORG" or words & (FALLBACK_NOUNS | HUMAN_TITLES)):
        return Holder(None)
    if words & (CIVIL_GROUP_NOUNS | ARMED_GROUP_NOUNS | RELATIONAL_NOUNS | {"separatist", "rebel", "opposition"}):
        return Holder(None)
    code = None
    toks = list(subj.subtree)
    lo, hi = toks[0].i, toks[-1].i + 1
    for e in doc_ents(subj.doc):
        if e.start >= lo and e.end <= hi and e.label_ in ("GPE", "NORP", "ORG"):
            code = state.resolver.code(e.text)
            if code:
                break
    if code is None:
        for t in toks:
            if t.pos_ in ("PROPN", "ADJ") and t.ent_type_ != "PERSON":
                code = state.resolver.code(t.text)
                if code:
                    break
    if code is None:
        if any(e.start >= lo and e.end <= hi and e.label_ == "ORG" for e in doc_ents(subj.doc)):
            return Holder(None)  # a named group the tables do not know is not the state
        code = state.main_country()
    speaker = None
    if person:
        ent = next((e for e in doc_ents(subj.doc) if e.start <= subj.i < e.end), None)
        speaker = ent.text if ent is not None else subj.text
    return Holder(code, speaker=speaker)


def last_pair(state: DocState):
    """The last two different holders, for 'the two sides'."""
    hist = [a for a in state.actor_history if a]
    for i in range(len(hist) - 1, 0, -1):
        if hist[i] != hist[i - 1]:
            return hist[i - 1], hist[i]
    return None


_PAIRED = {"leader", "country", "government", "president", "delegation", "minister", "nation", "state",
           "capital", "negotiator"}
# how many a plural reference counts: "both sides", "the three countries", "all three"
GROUP_SIZES = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _group_size(tok) -> int | None:
    """The number a plural reference gives ("the three countries", "all three": 3), if any."""
    return next((GROUP_SIZES[w] for w in (tok.lower_, *(c.lower_ for c in tok.children)) if w in GROUP_SIZES), None)


def _both_sides(tok) -> bool:
    """'the two sides', 'both parties', 'all parties (concerned)', 'the two leaders', 'both
    countries', 'the three countries', 'all three', bare 'negotiators': the parties just named
    together."""
    lemma = tok.lemma_.lower()
    counted = any(c.lower_ in GROUP_SIZES for c in tok.children)
    if lemma in ("side", "party") and (counted or any(c.lower_ == "all" for c in tok.children)):
        return True
    if lemma == "party" and tok.tag_ in ("NNS", "NNPS") and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) \
            and not any(c.dep_ in ("amod", "compound", "poss", "nummod") for c in tok.children):
        return True  # "The Parties agree that ...": an agreement's or a joint statement's parties
    if lemma in _PAIRED and tok.tag_ == "NNS" and counted:
        return True  # "the two leaders pledged", "both countries agreed", "the three countries commit"
    if tok.pos_ == "NUM" and tok.lower_ in GROUP_SIZES and tok.dep_ in ("nsubj", "nsubjpass") \
            and any(c.lower_ in ("all", "the") for c in tok.children):
        return True  # "all three pledge", "the three agreed"
    return tok.lower_ == "negotiators" and not any(c.dep_ in ("amod", "compound", "poss", "prep") for c in tok.children)


def last_group(state: DocState, or_parties: bool = False, size: int | None = None) -> list[str]:
    """The parties a plural reference points back at: the holders of the last clause when it had
    several, else the last two different holders, else (`or_parties`) the case's main parties. A
    reference that counts more than two ("the three countries") takes the last clause's holders
    when they are that many, else the last that many different holders."""
    if size is not None and size > 2:
        if len(state.last_holders) == size:
            return list(state.last_holders)
        recent: list[str] = []
        for a in reversed(state.actor_history):
            if a and a not in recent:
                recent.append(a)
                if len(recent) == size:
                    return recent[::-1]
        return list(state.resolver.parties) if or_parties and len(state.resolver.parties) == size else []
    if len(state.last_holders) >= 2:
        return list(state.last_holders)
    pair = last_pair(state)
    if pair:
        return list(pair)
    # no pair named yet ("Yerevan insists ... Both sides accuse each other"): the case's parties
    return list(state.resolver.parties) if or_parties and len(state.resolver.parties) >= 2 else []


def _says_both(tok) -> bool:
    """'Both sides', 'the two leaders': the two sides by their number (a bare 'negotiators' is
    anyone at the table: "Negotiators face a June 30 deadline")."""
    return _both_sides(tok) and tok.lower_ != "negotiators"


def _named_alongside(subj) -> list:
    """The parties a subject names beside itself: "We, the EU High Representative and the Foreign
    Minister of Iran, together with the Foreign Ministers of the E3+3 (China, France, ...)"."""
    out = []
    for c in subj.children:
        if c.dep_ == "appos":
            out += [c, *c.conjuncts]
        elif c.dep_ == "prep" and c.lower_ == "with" and any(m.lower_ in ("together", "along") for m in c.children):
            for obj in c.children:
                if obj.dep_ == "pobj":
                    out += [obj, *obj.conjuncts]
                    out += [t for a in obj.children if a.dep_ == "appos" for t in (a, *a.conjuncts)]
    # "the Foreign Ministers of the United States and Germany": each country of the list
    return out + [c for t in out for p in t.children if p.dep_ == "prep" and p.lower_ in ("of", "from")
                  for o in p.children if o.dep_ == "pobj" and o.conjuncts for c in (o, *o.conjuncts)]


def conjoined_holders(verb, state: DocState, in_quote, first: Holder) -> list[Holder]:
    """'Armenia and Azerbaijan said', 'Ukrainian and American delegations met': every holder."""
    # "signed by Amano and Salehi", "agreed between the IAEA and Iran": every party of the act
    parties = [g for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "between")
               for g in c.children if g.dep_ == "pobj"]
    named = [t for g in parties for a in (g, *(x for x in g.children if x.dep_ == "appos")) for t in (a, *a.conjuncts)]
    by_act = [h for h in (resolve_token(t, state, in_quote) for t in named) if h.actor and h.actor != first.actor]
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or (subj.dep_ == "nsubjpass" and by_act):
        return by_act
    out = [h for h in (resolve_token(t, state, in_quote) for t in _named_alongside(subj)) if h.actor]
    if _both_sides(subj) or (subj.lower_ == "they" and in_quote is None and len(state.last_holders) >= 2):
        group = last_group(state, or_parties=_says_both(subj), size=_group_size(subj))
        if group and first.actor == group[0]:
            return [Holder(a) for a in group[1:]]
    for c in subj.conjuncts:
        h = resolve_token(c, state, in_quote)
        if h.actor:
            out.append(h)
    for mod in subj.children:
        if mod.dep_ == "amod":
            for c in mod.conjuncts:
                code = state.resolver.code(c.text)
                if code:
                    out.append(Holder(code))
        # "the governments of Mali, Burkina Faso and Niger", "talks between Israel and Hamas",
        # "delegations from Russia and Ukraine": every party named in the list
        if mod.dep_ == "prep" and mod.lower_ in ("of", "between", "from") and not subj.conjuncts:
            for obj in mod.children:
                if obj.dep_ == "pobj":
                    for c in obj.conjuncts:
                        h = resolve_token(c, state, in_quote)
                        if h.actor:
                            out.append(Holder(h.actor))
    return out


def resolve_text(text: str, state: DocState) -> Holder:
    """A name or title given as text ("according to Ukraine's ambassador") → holder."""
    text = text.strip()
    key = fold(text)
    for k in (key, key.split()[-1] if key else key):
        if k in state.persons:
            full, actor = state.persons[k]
            return Holder(actor, full)
    pid, actor = state.resolver.person(text)
    if actor:
        return Holder(actor, text, pid)
    # "Ukraine's ambassador", "Kremlin spokesperson", "the Russian foreign ministry"
    for word in re.findall(r"[A-Z][\w’'.-]+(?:\s[A-Z][\w’'-]+)*", text):
        code = state.resolver.code(word)
        if code:
            human = any(w in HUMAN_TITLES for w in key.split())
            return Holder(code, text if human else None)
    return Holder(None)


# ---------------------------------------------------------------- a token → holder

def _pronoun_holder(tok, state: DocState, in_quote, speaker: Holder | None) -> Holder | None:
    """'we' in a quotation is its speaker; 'he/she' the last person; 'they/it' the last actor.
    None when the token is no pronoun."""
    low = tok.lower_
    if low in PRONOUNS_SELF:
        if in_quote is not None and in_quote in state.quote_speaker:
            return state.quote_speaker[in_quote]
        if speaker is not None:
            return speaker
        if in_quote is None:
            # outside quotations news does not say "we": the text is a statement or a speech, in
            # the voice of whoever introduced it ("X issued the following statement:"), or of
            # whoever opened it speaking in the present ("The Central Committee of X welcomes ...")
            if state.voice is None and state.lede is not None:
                state.speak_as(state.lede)
            return state.voice or Holder(None)
        unattributed = state.interviewee or state.last_named
        if unattributed:
            # a quotation with no attribution of its own: an interview answer, else the person named last
            return Holder(unattributed[1], unattributed[0])
        return Holder(None)
    if low in PRONOUNS_PERSON:
        if speaker is not None and speaker.speaker:
            return speaker
        if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and state.main_person \
                and state.main_person[0] >= state.sent_no - 1:
            # "Kerry said Khamenei's remarks would not affect the talks. ... he said": the subject
            # of a main clause continues the last main clause's person (centering), not whoever
            # was named last inside it
            full, actor = state.main_person[1]
            return Holder(actor, full)
        if state.last_person:
            return Holder(state.last_person[1], state.last_person[0])
        return Holder(None)
    if low in PRONOUNS_GROUP:
        if speaker is not None and low in ("it", "they") and speaker.actor:
            # "Pristina says it ...", "the army's leaders said they will not sit ...": the
            # reported clause's subject is the speaker's side
            return Holder(speaker.actor)
        if low == "they" and in_quote is None and len(state.last_holders) >= 2:
            return Holder(state.last_holders[0])  # "Iran and the powers ... They resumed talks"
        return Holder(state.last_actor) if state.last_actor else Holder(None)
    return None


def _person_holder(tok, state: DocState) -> Holder | None:
    """A named person (by the NER, or a surname it missed on a second mention); None if not one."""
    ent = ent_at(tok.doc, tok.i)
    if ent is not None and ent.label_ == "PERSON" and _country_as_person(ent, state):
        ent = None
    if ent is not None and ent.label_ == "PERSON":
        entry = state.known_person(ent.text)
        if entry and entry[1]:
            state.last_person = entry
            return Holder(entry[1], entry[0])
        pid, actor = state.resolver.person(ent.text)
        actor = actor or title_actor(ent, state)
        if actor:
            state.last_person = (pid or ent.text, actor)
            return Holder(actor, pid or ent.text, pid)
        return Holder(None, ent.text)
    if tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.text[:1].isupper()):
        # a surname the NER missed on its second mention (or tagged a noun at sentence start)
        entry = state.persons.get(fold(tok.text))
        if entry and entry[1]:
            state.last_person = entry
            return Holder(entry[1], entry[0])
        pid, actor = state.resolver.person(tok.text)
        if actor and state.resolver.code(tok.text) is None:
            state.last_person = (pid or tok.text, actor)
            return Holder(actor, pid or tok.text, pid)
    return None


def _person_in_phrase(tok, np: list, state: DocState):
    """The root of a person named inside the noun phrase ("Kremlin spokesperson Dmitry Peskov"
    headed oddly), to resolve instead of the head; None if there is none."""
    for t in np:
        e = ent_at(tok.doc, t.i)
        if (e is not None and e.label_ == "PERSON" and t.i != tok.i and not (e.start <= tok.i < e.end)
                and not _country_as_person(e, state)
                and t.dep_ in ("compound", "appos", "nmod", "poss", "nsubj")):
            # not a place the NER took for a person inside a PP ("a Russian strike on Kharkiv"),
            # nor the entity the token already belongs to ("Burkina Faso" tagged PERSON, whose
            # root is this token): recursing there came back here for ever
            yield e.root


def _phrase_code(tok, np: list, state: DocState) -> str | None:
    """The actor the head or its noun phrase names; of "France and Germany" the first (the
    items name one holder each; conjunct_holders adds the others)."""
    plus = _plus_number(tok)
    if plus is not None and (code := state.resolver.code(plus)):
        return code
    other_conj = {x.i for c in tok.children if c.dep_ in ("conj", "cc") for x in c.subtree}
    for t in [tok] + [t for t in np if t.i != tok.i and t.i not in other_conj and not venue(t)]:
        e = ent_at(tok.doc, t.i)
        texts = [e.text] if (e is not None and (e.label_ != "PERSON" or _country_as_person(e, state))) else []
        # the word with its compounds too: the NER sometimes swallows a name into a longer span
        # ("the Foreign Ministers of the United States" as one LAW entity)
        texts.append(with_modifiers(t))
        if t.i == tok.i:
            texts.append(_with_of(t))  # "Coalition of the Willing", "League of Arab States"
            texts.append(with_modifiers(t, ("compound", "amod")))  # an alias "Republican senators"
            texts.append(with_modifiers(t, ("nummod", "compound", "amod")))  # "six world powers": a bloc by its size
        for text in texts:
            code = state.resolver.code(text)
            if code:
                return code
    return None


def _plus_number(tok) -> str | None:
    """A group named by a sum the parser reads as a coordination ("the E3 plus 3": "E3", "plus",
    conjunct "3"; "P5 + 1"), as one name; None when the head has no such number after it."""
    if not any(c.dep_ == "cc" and c.lower_ in ("plus", "+") for c in tok.children):
        return None
    num = next((c for c in tok.children if c.dep_ in ("conj", "nummod") and c.like_num and c.i > tok.i), None)
    return None if num is None else f"{with_modifiers(tok)} plus {num.text}"


def _with_of(tok) -> str:
    """A name's head with the "of" phrase that completes it ("Coalition" → "Coalition of the
    Willing"), its compounds before it."""
    of = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return with_modifiers(tok)
    return with_modifiers(tok) + " " + " ".join(x.text for x in of.subtree if not x.is_punct)


def _group_code(tok, state: DocState) -> str | None:
    """'Paramilitary fighters' → the story's armed group; 'police in Lagos', 'protesters in
    Nairobi', 'the government' → the place named in the sentence, else the country the document
    has named most."""
    lemma = tok.lemma_.lower()
    if lemma in ARMED_GROUP_NOUNS and state.last_group:
        return state.last_group
    if not (lemma in STATE_AGENTS or lemma in ARMED_GROUP_NOUNS or lemma in CIVIL_GROUP_NOUNS
            or tok.lower_ in STATE_AGENTS):
        return None
    for e in sent_ents(tok.sent):
        if e.label_ in ("GPE", "LOC"):
            code = state.resolver.place(e.text)
            if code and code not in ARMED_GROUPS:
                return code
    if lemma in STATE_AGENTS and state.countries:
        return state.main_country()
    return None


def resolve_token(tok, state: DocState, in_quote, speaker: Holder | None = None,
                  _seen: frozenset = frozenset()) -> Holder:
    """The holder a subject token stands for: a pronoun, a person, a titled person or a body."""
    _seen = _seen | {tok.i}
    if tok.lower_ in PRONOUNS_SELF:
        # "We, the foreign ministers of X and Y, ...": the parties named, not the voice
        named = [h for h in (resolve_token(t, state, in_quote, None, _seen) for t in _named_alongside(tok)
                             if t.i not in _seen) if h.actor]
        if named:
            return named[0]
    h = _pronoun_holder(tok, state, in_quote, speaker) or _person_holder(tok, state)
    if h is not None:
        return h
    np = np_tokens(tok)
    for root in _person_in_phrase(tok, np, state):
        if root.i not in _seen:
            return resolve_token(root, state, in_quote, speaker, _seen)
    lemma = tok.lemma_.lower()
    if lemma in RELATIONAL_NOUNS:
        # "Ukraine's allies", "Russia's neighbours": someone else than the possessor
        return Holder(None)
    if lemma in QUANTITY_HEADS:
        # "a group of 47 Republican senators warned": the senators
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        member = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if member is not None and member.i not in _seen:
            return resolve_token(member, state, in_quote, speaker, _seen)
    head_is_title = lemma in HUMAN_TITLES or tok.lower_ in HUMAN_TITLES
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
    if head_is_title and not indefinite and not any(
            c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in ("of", "to", "from", "for", "in") for c in tok.children):
        # "the supreme leader", a title the case gives one of its persons as a name (not
        # "Turkiye's ambassador", whose country is said)
        pid, actor = state.resolver.titled_person(with_modifiers(tok, ("compound", "amod")))
        if pid and actor:
            return Holder(actor, pid, pid)
    code = named = _phrase_code(tok, np, state)
    if code is None and _both_sides(tok):
        # "the two sides agreed": the parties just named together (the others are added by conjoined_holders)
        group = last_group(state, or_parties=_says_both(tok), size=_group_size(tok))
        if group:
            return Holder(group[0])
    if code is None and lemma in DOCUMENT_NOUNS and (state.doc_author or state.last_actor) and not any(
            c.dep_ == "poss" for c in tok.children):
        # "The memorandum also called for elections": the document speaks for its author
        return Holder(state.doc_author or state.last_actor)
    if code is None and head_is_title and lemma in state.by_title and tok.tag_ != "NNS" and not any(
            c.dep_ in ("amod", "compound", "poss", "prep") for c in tok.children):
        # "the President said" after "President Obama": the person last named with that title
        # (not the country the sentence names)
        full, actor = state.by_title[lemma]
        return Holder(actor, full)
    if code is None and tok.lower_ == "powers" and state.last_bloc and any(c.lower_ == "the" for c in tok.children) \
            and not any(c.dep_ in ("poss", "prep", "nummod") for c in tok.children):
        # "the powers say": the bloc of powers the text last named
        return Holder(state.last_bloc)
    if code is None and state.resolver.legislature and not any(c.dep_ in ("poss", "prep") for c in tok.children) and (
            lemma in LEGISLATORS and (tok.tag_ == "NNS" or any(c.lower_ == "the" for c in tok.children))
            or lemma in CHAMBERS and any(c.lower_ == "the" for c in tok.children)
            and not any(c.dep_ in ("compound", "amod") for c in tok.children)):
        # "47 Republican senators", "lawmakers", "the Senate": the case's one legislature (a
        # country's own, "Iranian lawmakers", was read above)
        return Holder(state.resolver.legislature)
    if code is None and lemma in BODY_NOUNS and any(c.lower_ == "the" for c in tok.children) \
            and not any(c.dep_ in ("poss", "compound", "amod", "prep", "nummod") for c in tok.children):
        # "The group issued a joint statement" after "the Weimar group convened": the body last
        # named; in what a group's own negotiator says ("al-Murtada said the group was ready"), theirs
        own = speaker.actor if speaker is not None and speaker.actor and not is_country(speaker.actor) else None
        if own or state.last_body:
            return Holder(own or state.last_body)
    if code is None and speaker is not None and speaker.actor and lemma in STATE_AGENTS \
            and any(c.lower_ == "the" for c in tok.children) \
            and not any(c.dep_ in ("poss", "compound", "amod", "prep") for c in tok.children):
        # "Mirzoyan told parliament that the government had no plans ...": a bare "the
        # government" in what a speaker reports is the speaker's own, not the country named most
        return Holder(speaker.actor)
    if code is None:
        code = _group_code(tok, state)
    if code is None:
        if head_is_title and state.last_person and lemma in REPEATED_TITLES:
            # "the ambassador" said again: the last person with that title
            return Holder(state.last_person[1], state.last_person[0])
        return Holder(None)
    if head_is_title:
        office = " ".join([x.text for x in tok.lefts if x.dep_ in ("compound", "amod")] + [tok.text])
        # "the Foreign Minister of Iran" is the case's Zarif; a bare "the president" is nobody's yet
        # (an office many hold is no one in particular when indefinite: "a U.S. senator")
        pid = None if indefinite else state.resolver.office_holder(named, office, state.doc_date)
        # the title's own words: not those of a person named beside it ("the EU High Representative
        # and the Foreign Minister of Iran" is two speakers)
        other = {x.i for c in tok.children if c.dep_ in ("conj", "cc") for x in c.subtree}
        return Holder(code, pid or " ".join(t.text for t in np if t.dep_ not in ("det", "punct") and t.i not in other), pid)
    return Holder(code)


def target(verb, state: DocState) -> str | None:
    """The actor a clause is aimed at: its object, or 'on/against/with/to/at X'."""
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "iobj"):
            code = state.resolver.code(c.text)
            if code:
                return code
        if c.dep_ == "prep" and c.lower_ in ("on", "against", "with", "to", "at"):
            for g in c.children:
                if g.dep_ == "pobj":
                    code = state.resolver.code(g.text)
                    if code:
                        return code
    return None
