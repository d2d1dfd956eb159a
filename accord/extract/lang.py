"""Language detection: documents in a language the models do not cover are kept and flagged."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, declared: str | None = None) -> tuple[str, float]:
    """ISO 639-1 code and probability; for text too short to tell, the `declared` language (a
    source's own claim, probability 0) or 'und'. The one detector: extraction and ingest both
    use it, so a document ingest keeps for extraction is one the extractor reads."""
    sample = " ".join(text.split())[:5000]
    if len(sample) < 20:
        return ((declared or "").strip().lower()[:16] or "und"), 0.0
    return _classify(sample)


@lru_cache(maxsize=256)
def _classify(sample: str) -> tuple[str, float]:
    # ingest asks before it stores a document and the extractor again before it reads it
    lang, prob = _identifier().classify(sample)
    if lang != "en" and prob < 0.5:
        # an unsure guess on a short, name-heavy English sentence ("Chinese President Xi Jinping met
        # Brazilian President Lula in Beijing." → Javanese at 0.1) is not a reason to flag it
        return "en", 1 - float(prob)
    if lang != "en":
        # short English news sentences full of foreign names fool the character model: English
        # function words settle it
        words = re.findall(r"[a-z]+", sample.lower())
        share = sum(w in _EN_FUNCTION for w in words) / max(len(words), 1)
        if share >= 0.12:
            return "en", max(0.5, 1 - float(prob))
        if len(sample) < SHORT and prob < 0.95:
            # a headline-length text is too little evidence to keep a document from extraction
            return "en", 1 - float(prob)
    return lang, float(prob)


SHORT = 200


_EN_FUNCTION = {
    "the", "a", "an", "of", "to", "in", "on", "and", "or", "that", "with", "for", "by", "from", "at", "is",
    "was", "were", "are", "be", "been", "has", "have", "had", "it", "its", "this", "he", "she", "they",
    "said", "says", "would", "will", "not", "but", "as", "which", "who",
}
