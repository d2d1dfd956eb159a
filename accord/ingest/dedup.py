"""Fingerprints for duplicate detection: exact (sha256) and near (MinHash with LSH bands).

* **Exact**: sha256 of the normalised text (Unicode NFKC, case-folded, whitespace collapsed), so
  the same article re-encoded, re-wrapped or re-cased is one document. The hash is the
  document's id in the store, which also makes re-runs resume: a stored document is recognised
  before any extraction.
* **Near**: the Jaccard similarity of the two texts' sets of word 3-shingles, estimated by a
  64-permutation MinHash (Broder 1997). Two documents are near duplicates when the estimate is
  at least `NEAR_DUPLICATE_JACCARD` = 0.7. On news copy, a syndicated story with a new byline,
  headline or footer, or a few words changed, scores above 0.85; different articles on the same
  event score below 0.1 (tests/ingest/test_dedup.py checks both), so 0.7 leaves room either way.
  We tried 64-bit simhash with the usual 3-bit threshold first: on 300-word articles a byline
  plus footer moved it 5–9 bits, so it missed the copies this check exists for.
* **Lookup**: locality-sensitive hashing cuts the signature into 16 bands of 4 values; documents
  sharing any band are compared. A pair at Jaccard 0.7 shares a band with probability
  1-(1-0.7⁴)¹⁶ ≈ 0.99 (0.9995 at 0.8). Bands live in the `document_bands` table and are looked up
  with one indexed query, so memory stays flat however many documents the store holds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

NEAR_DUPLICATE_JACCARD = 0.7
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 3
_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 31) - 1)
# Fixed seeds: signatures must compare across runs and machines.
_rng = np.random.default_rng(20250901)
_A = _rng.integers(1, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)


def normalise(text: str) -> str:
    """The text as compared for exact duplicates."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: the document id."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    words = _WORD.findall(normalise(text))
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(text: str) -> np.ndarray:
    """The 64-value MinHash signature (uint32) of the text's word 3-shingles."""
    feats = shingles(text)
    digest = b"".join(hashlib.blake2b(f.encode("utf-8"), digest_size=4).digest() for f in feats)
    h = np.frombuffer(digest, dtype=np.uint32).astype(np.uint64)
    # Universal hashing (a·h + b) mod p with p = 2^31-1: a·h (< 2^63) wraps p many times, which is
    # what makes each column a pseudo-random permutation (a larger p left it near-monotone in h).
    perm = (np.outer(h, _A) + _B) % _PRIME
    return perm.min(axis=0).astype(np.uint32)


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(sig_a == sig_b))


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per LSH band: the band number and a hash of its values."""
    raw = sig.astype("<u4").tobytes()
    step = ROWS * 4
    return [f"{i:02d}" + hashlib.blake2b(raw[i * step:(i + 1) * step], digest_size=8).hexdigest()
            for i in range(BANDS)]


def to_hex(sig: np.ndarray) -> str:
    return sig.astype("<u4").tobytes().hex()


def from_hex(s: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(s), dtype="<u4").astype(np.uint32)
