"""The extractor: spaCy parse → attributed statements, events, figures and contradictions.

One pass over the sentences of a document, in reading order, so that relative dates
("two days later") and references ("he", "the ambassador", a bare surname) resolve against what
came before (state.DocState). Per sentence: its date (dates.py), the quotation and paragraph it
sits in (quotes.py), the persons it introduces (coref.py), the items of each clause
(clause_items.py), its candidate holders (holders.py) and figures (figures.py). Per document, the
learned layer decides holders, issues and types (combine.py), and the items become typed
`items.Item` models.
"""

from __future__ import annotations

import os

from . import learned as _learned
from .clause_items import (
    bare_verb_item,
    clause_items,
    giver_items,
    heading_voice,
    is_list_item,
    labelled_voice,
    lead_in,
    list_items,
    speaker_label,
    summary_items,
    voice_items,
)
from .clauses import clauses
from .combine import apply_learned, carry_issues, drop_writer_questions, force_without_issue, lead_type
from .coref import learn_persons, note_mentions
from .dates import DateResolver, dateline_end, parse_doc_date
from .events import chronology_events
from .figures import (
    figure_contradictions,
    figure_date,
    find_figures,
    find_titles,
    magnitude_contradictions,
    period,
    title_contradictions,
)
from .gazetteer import ActorResolver
from .holders import candidates as holder_candidates
from .issues import IssueMatcher
from .items import Item, to_item
from .lang import detect_language
from .layout import blank_datelines, unwrap
from .mediators import add_participants
from .nlp import MODEL, get_nlp
from .quotes import paragraph_index, quote_at, quote_regions
from .state import DocState, Holder

__all__ = ["Extractor", "get_nlp", "MODEL"]


class Extractor:
    """Holds the loaded spaCy pipeline; `extract` one document or `extract_many` with nlp.pipe."""

    def __init__(self, model: str = MODEL, batch_size: int = 16, learned: bool = True,
                 embeddings: bool | None = None):
        self.nlp = get_nlp(model)
        self.batch_size = batch_size
        # the learned issue/type layer (learned.py, trained by `accord extract train`)
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
        self.record = None  # training hook: called with the sentences' SentenceInfo per document
        self._tables: tuple | None = None  # (case fingerprint, its resolver, its issue matcher)

    # -- public API --
    def extract(self, text: str, *, doc_date: str | None = None, case=None) -> list[Item]:
        return self.extract_many([text], [doc_date], case=case)[0]

    def analyse_many(self, texts, dates=None, *, case=None) -> list[dict]:
        """Per document: {language, flagged, reason, items}. Non-English documents get no items."""
        # hard-wrapped lines joined and datelines blanked (same offsets): the parser and the
        # paragraphs see the prose
        texts = [blank_datelines(unwrap(t)) for t in texts]
        self._case_tokens(case)
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
        tables = self._case_tables(case)
        docs = self.nlp.pipe((texts[i] for i in english), batch_size=self.batch_size)
        for i, doc in zip(english, docs):
            items = [to_item(d) for d in self._extract_doc(doc, texts[i], parse_doc_date(dates[i]), case, tables)]
            results[i] = {"language": "en", "flagged": False, "reason": None, "items": items}
        return results  # type: ignore[return-value]

    def extract_many(self, texts, dates=None, *, case=None) -> list[list[Item]]:
        return [r["items"] for r in self.analyse_many(texts, dates, case=case)]

    def _case_tokens(self, case) -> None:
        """A case's one-word names that the tokenizer would split ("P5+1", "E3/EU+3") stay one
        token, so the parser sees one subject and the resolver its alias."""
        if case is None:
            return
        for actor in case.actors:
            for alias in [actor.name, *actor.aliases]:
                if alias and " " not in alias and not alias.replace("'", "").isalpha() \
                        and len(self.nlp.tokenizer(alias)) > 1:
                    self.nlp.tokenizer.add_special_case(alias, [{"ORTH": alias}])

    def _case_tables(self, case) -> tuple[ActorResolver, IssueMatcher]:
        """The case's name tables and issue matcher, built once per case (for a new case's issues
        the zero-shot definitions cost ~12 ms, about half a short document's extraction) and
        rebuilt when the case's actors, issues or metadata change, in place or not."""
        key = case.model_dump_json(include={"meta", "actors", "issues"}) if case is not None else None
        if self._tables is None or self._tables[0] != key:
            resolver = ActorResolver(case)
            self._tables = (key, resolver, IssueMatcher(case, resolver))
        return self._tables[1], self._tables[2]

    # -- one document --
    def _extract_doc(self, doc, text: str, doc_date: str | None, case,
                     tables: tuple[ActorResolver, IssueMatcher]) -> list[dict]:
        resolver, matcher = tables[0], tables[1].for_document()
        state = DocState(resolver, DateResolver(doc_date), doc_date, text)
        quotes = quote_regions(text)
        paragraphs = paragraph_index(text)
        keep_candidates = self.learned is not None or self.record is not None
        items: list[dict] = []
        figures: list[dict] = []
        per_sentence: list[_learned.SentenceInfo] = []  # what the learned layer reads, per sentence
        dateline = dateline_end(text)
        lead, lead_at = None, 0  # holders and type of a sentence that introduces a list ("X has agreed to:"), its index
        for sent in doc.sents:
            if not any(ch.isalnum() for ch in sent.text):
                continue  # a quotation mark or a bullet the splitter left alone says nothing (and keeps a list going)
            para = paragraphs(sent.start_char)
            hits, sent_date = self._sentence_date(sent, state, dateline)
            in_quote = quote_at(quotes, sent.start_char, sent.end_char)
            learn_persons(sent, state)
            state.sent_no += 1
            note_mentions(sent, state)
            found: list[str] = []
            sent_items: list[dict] = []
            state.held_type = None
            # a line labelled with its speaker ("Pashinyan: “We will ...”") is in their voice, for
            # this sentence only
            labelled = labelled_voice(sent, state, quotes) if in_quote is None else None
            if labelled is not None:
                before = (state.voice, state.voice_with)
                state.speak_as(labelled)
            for clause in clauses(sent):
                new = clause_items(clause, sent, state, matcher, in_quote, sent_date, quotes, keep_candidates)
                found.extend(it["issue"] for it in new if it.get("issue") and it["issue"] not in found)
                sent_items.extend(new)
            label = speaker_label(sent, state) if in_quote is None else None
            if label is not None:
                state.speak_as(label)
            elif in_quote is None and (heading := heading_voice(sent, state)) is not None:
                state.speak_as(*heading)
            held = any(it.get("actor") for it in sent_items)
            if not per_sentence and held and in_quote is None and sent.root.tag_ in ("VBZ", "VBP"):
                state.lede = Holder(next(it["actor"] for it in sent_items if it.get("actor")))
            if lead is not None and is_list_item(sent):
                # a list goes on past an item with a subject of its own ("Iran will ..."), which
                # keeps its own holders
                if not held or bare_verb_item(sent):
                    sent_items = list_items(sent, lead, matcher, sent_date or state.doc_date)
                    for it in sent_items:
                        it["_lead"] = lead_at
            else:
                lead, lead_at = lead_in(sent, sent_items), len(per_sentence)
                if not held and state.voice is not None and in_quote is None:
                    sent_items = voice_items(sent, state.voice, state.voice_with, matcher, sent_date or state.doc_date)
                    for it in sent_items:
                        it["_given"] = True
                elif not held and in_quote is None:
                    # no holder of its own: a summary bullet's is the bullet before's, a gift's its giver's
                    last = per_sentence[-1] if per_sentence else None
                    sent_items = (summary_items(sent, (last.sent, last.items), matcher, sent_date or state.doc_date)
                                  if last is not None else []) \
                        or giver_items(sent, state, matcher, sent_date or state.doc_date) or sent_items
            if labelled is not None:
                state.voice, state.voice_with = before
            qh = state.quote_speaker.get(in_quote) if in_quote is not None else None
            prev = per_sentence[-1] if per_sentence and per_sentence[-1].para == para else None
            prev_actors = [] if prev is None else list(dict.fromkeys(
                it["actor"] for it in prev.items if it.get("actor")))
            cands = holder_candidates(sent, sent_items, state, quote_holder=qh, prev_actors=prev_actors,
                                      in_quote=in_quote is not None)
            per_sentence.append(_learned.SentenceInfo(sent, sent_items, cands, para, in_quote is not None,
                                                      qh, sent_date or state.doc_date, state.held_type, hits,
                                                      state.voice if in_quote is None else None, in_quote))
            if found:
                state.recent_issues = (state.sent_no, tuple(found))
            figures.extend(_sentence_figures(sent, [h for h in hits if h.bound is None], state))
            items.extend(magnitude_contradictions(sent.text, sent.start_char,
                                                  [f for f in figures if f["start"] >= sent.start_char],
                                                  state.resolver, sent_date or state.doc_date))
        if self.record is not None:
            self.record(per_sentence)
        elif self.learned is not None and per_sentence:
            apply_learned(per_sentence, self.learned, self.embed, matcher, case)
            force_without_issue(per_sentence, matcher)
            answers = Holder(state.interviewee[1], state.interviewee[0]) if state.interviewee else None
            carry_issues(per_sentence, matcher, state.quote_speaker, answers)
            drop_writer_questions(per_sentence)
            add_participants(per_sentence, state)
        for info in per_sentence:
            lead_type(info.items, per_sentence)  # without the learned layer, list items are typed here
            _quote_speaker(info, state)
            for it in info.items:
                for key in ("_candidate", "_structural", "_given", "_lead"):
                    it.pop(key, None)
            items.extend(info.items)
            items.extend(chronology_events(info.sent, info.items, info.candidates, info.date, info.dates, state.doc_date))
        if case is not None:
            items = _bloc_members(items, case)
        items.extend(figures)
        items.extend(figure_contradictions(figures, text))
        items.extend(title_contradictions(find_titles(text, state.resolver)))
        items.sort(key=lambda it: (it["start"], it["end"]))
        for key in ("accord_ent_index", "accord_ents"):
            doc.user_data.pop(key, None)  # spans do not serialise with the Doc
        return items

    @staticmethod
    def _sentence_date(sent, state: DocState, dateline: int):
        """(date hits, period bounds included; the sentence's date or None); notes it for
        relative dates that follow."""
        dated_text = sent.text
        if sent.start_char < dateline:
            # the file's dateline is the document date, not the date of what the sentence
            # reports ("on Tuesday" in the same sentence is); blanked to keep offsets
            cut = dateline - sent.start_char
            dated_text = " " * cut + dated_text[cut:]
        every = state.dates.find(dated_text, bounds=True)
        # a date after the document's is what is to come ("a referendum could be held in 2027"),
        # not when anything in it was said or done
        doc = state.doc_date
        hits = [h for h in every if h.bound is None and not (doc and h.value[:len(doc)] > doc[:len(h.value)])]
        if not hits:
            return every, None
        state.dates.note(hits[-1].value if hits[-1].relative else hits[0].value, sent.text)
        return every, hits[0].value


def _quote_speaker(info, state: DocState) -> None:
    """What a quotation (or a statement's own text) says its speaker says: the speaker's side's
    statements in it name the speaker ("NATO membership is our strategic goal" in the
    ambassador's answer is his). A quotation nobody is said to speak, in a text that interviews
    someone (known by its end: an article can open on a pull quote), is the interviewee's."""
    qh = info.quote_holder or info.voice  # a statement's own text is its author's words too
    if qh is not None and qh.actor:
        actor, who = qh.actor, qh.speaker_id or qh.speaker
    elif info.in_quote and state.interviewee:
        actor, who = state.interviewee[1], state.resolver.person(state.interviewee[0])[0] or state.interviewee[0]
    else:
        return
    for it in info.items:
        if who and it.get("kind") == "statement" and it.get("actor") == actor and not it.get("speaker"):
            it["speaker"] = who


def _bloc_members(items: list[dict], case) -> list[dict]:
    """What a bloc with `members` says, each member says: one item per member (a member that the
    sentence already gives the same reading is not repeated)."""
    def key(it: dict) -> tuple:
        return it["start"], it.get("actor"), it.get("issue"), it.get("event_type"), it.get("kind"), it.get("date")

    seen = {key(it) for it in items}
    out: list[dict] = []
    for it in items:
        members = case.members(it["actor"]) if it.get("actor") else []
        if members == [it.get("actor")] or not members:
            out.append(it)
            continue
        for actor in members:
            copy = {**it, "actor": actor}
            if key(copy) not in seen:
                seen.add(key(copy))
                out.append(copy)
    return out


def _sentence_figures(sent, hits, state: DocState) -> list[dict]:
    out = []
    for fig in find_figures(sent.text, sent.start_char):
        fig.update(kind="figure", date=figure_date(sent.text, hits, state.doc_date), confidence=0.7,
                   sentence=[sent.start_char, sent.end_char])
        rng = period(sent.text)
        if rng:
            fig["period"] = rng
        out.append(fig)
    return out
