"""Placement on an issue's scale from the anchors' own wording, with negation and polarity.

The words every anchor of a scale shares ("Minsk Group" in "Minsk Group kept" and "Minsk Group
dissolved") name the issue, not a point on it: only the words that tell anchors apart count. An
anchor's distinguishing word matches a word of the sentence when they are the same word, share a
stem (the first five letters: "dissolution" / "dissolved"), or are near synonyms in the static
word space (cosine ≥ `WORD_SIM`). The sentence is placed at the anchor with the most such matches,
when it has enough (1 for anchors with one or two distinguishing words, else 2) and no other anchor
ties. A match under negation ("not", "never", "no longer", "without", "instead of", "rather
than", "an end to" within three words before it, unless the anchor's own wording has that word:
"continues without limits") says where the holder is *not*: no position.
Anything else gives no position: a wrong point is worse than none.
"""

from __future__ import annotations

import re

import numpy as np

from .zeroshot import content_words, embed

WORD_SIM = 0.8
NEGATORS = {"not", "no", "never", "without", "nor", "neither", "against", "instead", "rather",
            "longer", "n't", "cannot", "end", "ending", "abandon", "abandoning", "stop", "stopping",
            "oppose", "opposes", "opposed", "rejects", "rejected", "reject", "refuse", "refused", "refuses"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?%?")
_VECTORS: dict[str, np.ndarray] = {}


def _vectors(words: list[str]) -> np.ndarray:
    new = [w for w in dict.fromkeys(words) if w not in _VECTORS]
    for w, v in zip(new, embed(new)):
        _VECTORS[w] = v
    return np.array([_VECTORS[w] for w in words]) if words else np.zeros((0, 256), dtype=np.float32)


def _same(a: str, b: str) -> bool:
    return a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5])


def _distinguishing(scale: dict[int, str]) -> dict[int, list[str]]:
    words = {point: list(dict.fromkeys(content_words(label))) for point, label in scale.items()}
    shared = set.intersection(*(set(w) for w in words.values())) if len(words) > 1 else set()
    return {point: [w for w in ws if w not in shared] for point, ws in words.items()}


def place(scale: dict[int, str], text: str) -> tuple[float | None, str]:
    """(point, why): the anchor the text states, or None with the reason it is not placed."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    words = set(content_words(text))
    content = [(k, t) for k, t in enumerate(tokens) if t in words]
    if not content or not scale:
        return None, "no words"
    disc = _distinguishing(scale)
    vocab = sorted({w for ws in disc.values() for w in ws})
    if not vocab:
        return None, "the anchors do not differ in wording"
    sims = _vectors(vocab) @ _vectors([t for _, t in content]).T
    index = {w: i for i, w in enumerate(vocab)}
    scored = []
    for point, ws in disc.items():
        hits = []
        for w in ws:
            row = sims[index[w]]
            for j, (k, t) in enumerate(content):
                if _same(w, t) or row[j] >= WORD_SIM:
                    hits.append(k)
                    break
        scored.append((len(hits), len(ws), point, hits))
    scored.sort(key=lambda x: (-x[0], x[2]))
    n, size, point, hits = scored[0]
    if n < (1 if size <= 2 else 2):
        return None, "no anchor's wording"
    if len(scored) > 1 and scored[1][0] == n:
        return None, f"anchors {point} and {scored[1][2]} tie"
    own = {t.lower() for t in _TOKEN.findall(scale[point])}  # "continues without limits" says it itself
    if any((tokens[j] in NEGATORS or tokens[j].endswith("n't")) and tokens[j] not in own
           for k in hits for j in range(max(0, k - 3), k)):
        return None, f"anchor {point} is negated"
    return float(point), f"anchor {point}"
