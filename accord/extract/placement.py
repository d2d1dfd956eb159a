"""Placement on an issue's scale from the anchors' own wording, with negation and polarity.

The words every anchor of a scale shares ("Minsk Group" in "Minsk Group kept" and "Minsk Group
dissolved") name the issue, not a point on it: only the words that tell anchors apart count. An
anchor's distinguishing word matches a word of the sentence when they are the same word, share a
stem (the first five letters: "dissolution" / "dissolved"), or are near synonyms in the static
word space (cosine ≥ `WORD_SIM`). The sentence is placed at the anchor with the most such matches,
when it has enough (1 for anchors with one or two distinguishing words, else 2) and no other anchor
ties. A match under negation ("not", "never", "no longer", "without", "instead of", "rather
than", "an end to" within three words before it, unless the anchor's own wording has that word:
"continues without limits") says where the holder is *not*: no position. An anchor that itself says
no ("no ceasefire") is where a text that negates its word too stands ("there will be no
ceasefire"), not one that names it without a no ("wants a ceasefire": `_says_no`).
Anything else gives no position: a wrong point is worse than none.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .zeroshot import content_words, embed

WORD_SIM = 0.8
NEGATORS = {"not", "no", "never", "without", "nor", "neither", "against", "instead", "rather",
            "longer", "n't", "cannot", "end", "ending", "abandon", "abandoning", "stop", "stopping",
            "oppose", "opposes", "opposed", "rejects", "rejected", "reject", "refuse", "refused", "refuses"}
ANCHOR_NEGATORS = {"no", "not", "never", "without", "nor", "neither", "cannot"}  # an anchor's own "no X"
# Words that say how much, not of what: "full" tells "full delimitation" from "no delimitation", but
# "full sovereignty over the route" is no delimitation at all. Matched alone, they place a text only
# when it also names what the anchors share (the subject, "delimitation").
DEGREE = {"full", "fully", "complete", "completely", "total", "totally", "partial", "partially",
          "entire", "entirely", "whole", "all", "some", "more", "less", "most", "least"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?%?")
_VECTORS: dict[str, np.ndarray] = {}


def _vectors(words: list[str]) -> np.ndarray:
    new = [w for w in dict.fromkeys(words) if w not in _VECTORS]
    for w, v in zip(new, embed(new)):
        _VECTORS[w] = v
    return np.array([_VECTORS[w] for w in words]) if words else np.zeros((0, 256), dtype=np.float32)


def _prefix(w: str) -> str | None:
    """Two words share a stem when their first five letters agree ("dissolution" / "dissolved")."""
    return w[:5] if len(w) >= 5 else None


def _distinguishing(scale: dict[int, str]) -> tuple[dict[int, list[str]], set[str]]:
    """Per anchor, its words the others lack; and the words every anchor has (what the issue is)."""
    words = {point: list(dict.fromkeys(content_words(label))) for point, label in scale.items()}
    shared = set.intersection(*(set(w) for w in words.values())) if len(words) > 1 else set()
    return {point: [w for w in ws if w not in shared] for point, ws in words.items()}, shared


@lru_cache(maxsize=512)
def _anchors(items: tuple) -> tuple[dict[int, list[str]], dict[str, int], np.ndarray, set[str]]:
    """A scale's distinguishing words, their row numbers and vectors, and its shared words (a
    scale is placed against for every item on its issue: computed once per scale)."""
    disc, shared = _distinguishing(dict(items))
    vocab = sorted({w for ws in disc.values() for w in ws})
    return disc, {w: i for i, w in enumerate(vocab)}, _vectors(vocab), shared


def place(scale: dict[int, str], text: str) -> tuple[float | None, str]:
    """(point, why): the anchor the text states, or None with the reason it is not placed."""
    tokens = _tokens(text)
    words = set(content_words(text))
    content = [(k, t) for k, t in enumerate(tokens) if t in words]
    if not content or not scale:
        return None, "no words"
    disc, index, vecs, shared = _anchors(tuple(sorted(scale.items())))
    if not index:
        return None, "the anchors do not differ in wording"
    # match[i, j]: anchor word i and the sentence's content word j are the same word, share a
    # stem, or are near synonyms
    cwords = [t for _, t in content]
    match = (vecs @ _vectors(cwords).T) >= WORD_SIM
    by_word: dict[str, list[int]] = {}
    for j, t in enumerate(cwords):
        by_word.setdefault(t, []).append(j)
        p = _prefix(t)
        if p is not None:
            by_word.setdefault("\0" + p, []).append(j)
    for w, i in index.items():
        p = _prefix(w)
        for j in by_word.get(w, []) + (by_word.get("\0" + p, []) if p is not None else []):
            match[i, j] = True
    says_no = _says_no(tuple(sorted(scale.items())))
    scored = []
    for point, ws in disc.items():
        hits = []
        for w in ws:
            at = [content[j][0] for j in np.flatnonzero(match[index[w]])]
            if w in says_no[point]:  # the text's own negation of "ceasefire" in "no ceasefire", if any
                at = sorted(at, key=lambda k: not _negated(tokens, k, NEGATORS))
            if at:
                hits.append((at[0], w))  # the first matching word of the sentence
        scored.append((len(hits), len(ws), point, hits))
    scored.sort(key=lambda x: (-x[0], x[2]))
    n, size, point, hits = scored[0]
    if n < (1 if size <= 2 else 2):
        return None, "no anchor's wording"
    if len(scored) > 1 and scored[1][0] == n:
        return None, f"anchors {point} and {scored[1][2]} tie"
    if all(w in DEGREE for _, w in hits) and not _names_any(shared, words):
        return None, f"only a degree word ({hits[0][1]!r}) of anchor {point}, and not what it qualifies"
    own = set(_tokens(scale[point]))  # "continues without limits" says it itself
    if any(w not in says_no[point] and _negated(tokens, k, NEGATORS - own) for k, w in hits):
        return None, f"anchor {point} is negated"
    # "wants a ceasefire" against "no ceasefire": the words the anchor says no to, stated without
    # a no, speak against it; when they are half its matches or more, the text is not there
    said = [w for k, w in hits if w in says_no[point] and not _negated(tokens, k, NEGATORS)]
    if said and 2 * len(said) >= len(hits):
        return None, f"anchor {point} says no to {said[0]!r}, the text does not"
    return float(point), f"anchor {point}"


def _names_any(shared: set[str], words: set[str]) -> bool:
    """The text's `words` name one of the anchors' `shared` words (itself or its stem), or they share none."""
    stems = {_prefix(w) or w for w in words}
    return not shared or any((_prefix(w) or w) in stems for w in shared)


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.replace("\u2019", "'"))]


def _negated(tokens: list[str], k: int, negators: set[str]) -> bool:
    """One of `negators` (or a "-n't") within three words before token k."""
    return any(t in negators or t.endswith("n't") for t in tokens[max(0, k - 3):k])


@lru_cache(maxsize=512)
def _says_no(items: tuple) -> dict[int, set[str]]:
    """Per anchor, its distinguishing words it negates itself ("ceasefire" of "no ceasefire",
    "fissile" of "with no enrichment and no fissile material"; a negation stops at a comma). Such a
    word states the anchor where the text negates it too ("there will be no ceasefire"); "wants a
    ceasefire" is the other end of that scale."""
    disc = _anchors(items)[0]
    return {point: {t for part in re.split(r"[,;]", label) for toks in [_tokens(part)]
                    for k, t in enumerate(toks) if t in disc[point] and _negated(toks, k, ANCHOR_NEGATORS)}
            for point, label in items}
