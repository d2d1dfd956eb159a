"""The third parties and sides of talks that a sentence names outside subject position.

"Russia and Ukraine exchanged 185 prisoners in a swap mediated by the United Arab Emirates",
"EU-mediated talks", "talks hosted by the emir of Qatar", "Separate talks between Kinshasa and the
M23 are being hosted by Qatar": the clause's holders are its subjects, and the mediator, host or
other side of the talks is a participant of the same act (PLOVER codes both sides of a CONSULT and
the mediator of an exchange). `add_participants` runs after the
learned layer (it reads its decisions and leaves its training features alone): each such party
takes the sentence's reading (issue and type) as one more item, unless it already holds it.
"""

from __future__ import annotations

from .coref import ent_at

# verbs of bringing parties together: "mediated by X", "X-brokered"
MEDIATE_VERBS = {"mediate", "broker", "host", "facilitate", "sponsor"}
# an act whose "between X and Y" names its sides
TALK_NOUNS = {"talk", "talks", "negotiation", "negotiations", "meeting", "dialogue", "exchange", "swap",
              "summit", "round", "consultation", "consultations"}
# a meeting that dates the clause ("a day after the Alaska meeting between A and B, C convened")
# is not the clause's act
TEMPORAL = {"after", "before", "since", "until", "following", "ahead", "during"}


def _dates_the_clause(tok) -> bool:
    return any(a.dep_ == "prep" and a.lower_ in TEMPORAL for a in tok.ancestors)


def _codes(tok, state) -> list[str]:
    """The actors a phrase headed by `tok` names, its conjuncts' too ("Qatar and Turkey"), and the
    owner an office names ("the emir of Qatar")."""
    out: list[str] = []
    for t in [tok, *tok.conjuncts]:
        ent = ent_at(t.doc, t.i)
        code = state.resolver.code(ent.text if ent is not None else t.text)
        if code is None:
            # an office names its state: "the emir of Qatar", "the government of Oman"
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None:
                out.extend(_codes(obj, state))
                continue
        if code and code not in out:
            out.append(code)
    return out


def _named_by(tok, state) -> list[str]:
    """The actors a noun's modifiers name: "a Hamas delegation", "Egyptian and Qatari officials"."""
    out: list[str] = []
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            out.extend(x for x in _codes(c, state) if x not in out)
    return out


def _talk(tok) -> bool:
    return tok.lemma_.lower() in TALK_NOUNS or tok.lower_ in TALK_NOUNS


def participants(sent, state) -> list[str]:
    """Codes of the mediators, hosts and sides of talks the sentence names in these forms: the
    agent of a mediating verb on the talks ("a swap mediated by X", "talks hosted by X"), a name
    hyphened to one ("EU-mediated talks"), and the sides of talks that are the clause's subject
    ("Talks between X and Y resumed"; talks someone supports or hosts are that one's stance, and
    what talks "were" a judgement of them). Talks that date the clause ("after talks mediated by
    X, A and B agreed") are not its act."""
    found: list[str] = []

    def add(codes: list[str]) -> None:
        found.extend(c for c in codes if c not in found)

    for t in sent:
        if t.lemma_.lower() in MEDIATE_VERBS and t.pos_ == "VERB" and t.tag_ == "VBN" and not _dates_the_clause(t):
            on_talks = _talk(t.head) and t.dep_ == "acl" or t.dep_ == "ROOT" and any(
                _talk(c) for c in t.children if c.dep_ == "nsubjpass")
            if on_talks:
                for agent in (c for c in t.children if c.dep_ == "agent"):
                    for obj in (c for c in agent.children if c.dep_ == "pobj"):
                        add(_codes(obj, state))
            if t.i - 2 >= sent.start and t.nbor(-1).text == "-" and _talk(t.head):
                add(_codes(t.nbor(-2), state))
        elif _talk(t) and t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_ != "be" and not _dates_the_clause(t):
            for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "between"):
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    add(_codes(obj, state))
                    add(_named_by(obj, state))  # "between a Hamas delegation and ..."
                    for conj in obj.conjuncts:
                        add(_named_by(conj, state))
    return found


def add_participants(infos: list, state) -> None:
    """Each mediator, host or side of talks a sentence names takes the sentence's reading: one
    item per issue its held items are on (or the issueless reading), unless it holds it already."""
    for info in infos:
        items = [it for it in info.items if it.get("kind") in ("statement", "event") and it.get("actor")]
        if not items:
            continue
        parties = participants(info.sent, state)
        if not parties:
            continue
        readings: dict = {}
        for it in items:
            readings.setdefault(it.get("issue"), it)
        if len(readings) > 1:
            readings.pop(None, None)
        held = {(it["actor"], it.get("issue")) for it in items}
        for actor in parties:
            for issue, it in readings.items():
                if (actor, issue) in held:
                    continue
                held.add((actor, issue))
                info.items.append({**it, "actor": actor, "speaker": None, "reported_by": None,
                                   "confidence": round(min(it.get("confidence") or 0.5, 0.5), 2)})
