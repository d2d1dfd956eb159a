"""Language detection: documents in a language the models do not cover are kept and flagged."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability; 'und' for text too short to tell."""
    sample = " ".join(text.split())[:5000]
    if len(sample) < 20:
        return "und", 0.0
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)
