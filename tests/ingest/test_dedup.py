"""Exact and near-duplicate fingerprints: copies are caught, different articles are not."""

from __future__ import annotations

import random

from ingest_docs import ARTICLE_A, ARTICLE_B, ARTICLE_C

from accord.ingest import dedup

_SUBJECTS = ["Kyiv", "Moscow", "Ankara", "Washington", "The European Commission", "The Kremlin spokesman",
             "Ukraine's foreign minister", "Turkish officials", "The UN envoy", "Poland's prime minister"]
_VERBS = ["said", "warned", "insisted", "announced", "told reporters", "suggested", "denied"]
_CLAUSES = ["talks in Istanbul could resume next week", "a ceasefire must come before any settlement",
            "security guarantees would need foreign troops", "sanctions would stay until a withdrawal",
            "the prisoner exchange was delayed again", "drones struck energy sites overnight",
            "frozen assets should fund reconstruction", "no territory would be recognised as Russian",
            "elections could only follow a ceasefire", "NATO membership remained the goal"]


def article(seed: int, sentences: int = 14) -> str:
    """Same topic, same stock phrases, a different article: the hard case for near-duplicates."""
    rnd = random.Random(seed)
    return " ".join(f"{rnd.choice(_SUBJECTS)} {rnd.choice(_VERBS)} on {rnd.randint(1, 28)} "
                    f"{rnd.choice(['May', 'June', 'July', 'August'])} that {rnd.choice(_CLAUSES)}, "
                    f"citing {rnd.randint(2, 40)} {rnd.choice(['officials', 'diplomats', 'sources', 'reports'])}."
                    for _ in range(sentences))


def test_exact_hash_ignores_case_spacing_and_unicode_form():
    a = "Kyiv  rejected\nneutrality. Café"
    b = "kyiv rejected neutrality.   CAFE\u0301"
    assert dedup.content_hash(a) == dedup.content_hash(b)
    assert dedup.content_hash(a) != dedup.content_hash(a + " Again.")


def test_syndicated_copies_are_near_duplicates():
    for text in (ARTICLE_A + " " + ARTICLE_B, article(1), article(2)):
        sig = dedup.minhash(text)
        copy = "By Staff Reporter, Wire Service. " + text + " Copyright 2025 Wire. All rights reserved."
        edited = text.replace(" said ", " stated ", 2)
        for variant in (copy, edited):
            v = dedup.minhash(variant)
            assert dedup.similarity(sig, v) >= dedup.NEAR_DUPLICATE_JACCARD
            assert set(dedup.band_keys(sig)) & set(dedup.band_keys(v))  # found by the LSH lookup


def test_different_articles_on_the_same_story_are_not():
    texts = [ARTICLE_A, ARTICLE_B, ARTICLE_C] + [article(s) for s in range(10, 30)]
    sigs = [dedup.minhash(t) for t in texts]
    worst = max(dedup.similarity(a, b) for i, a in enumerate(sigs) for b in sigs[i + 1:])
    assert worst < dedup.NEAR_DUPLICATE_JACCARD - 0.2


def test_minhash_estimates_jaccard():
    a, b = article(3, 30), article(4, 30)
    mixed = " ".join(a.split()[:150] + b.split()[:150])
    sa, sm = dedup.shingles(a), dedup.shingles(mixed)
    true = len(sa & sm) / len(sa | sm)
    assert abs(dedup.similarity(dedup.minhash(a), dedup.minhash(mixed)) - true) < 0.2
    assert (dedup.from_hex(dedup.to_hex(dedup.minhash(a))) == dedup.minhash(a)).all()
