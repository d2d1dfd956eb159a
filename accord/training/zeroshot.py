"""Choose the zero-shot issue thresholds on our own training text: `python -m accord.training.zeroshot`.

A "new case" is simulated with the flagship case's issue definitions (name, description,
keywords, scale wording) over dev + train, whose sentences are annotated with the same issue ids:
per sentence, the issues the definitions alone propose (no keyword lexicon, no learned layer)
against the gold issues, as precision / recall / F1. Prints the grid and the best setting by F1;
the chosen numbers are constants in accord/extract/zeroshot.py (WORD_SIM and COMMON_ZIPF by the
same grid, run with --word-sim and --common-zipf). Test, heldout, the article and the
unseen split are never read.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ..extract import zeroshot as Z
from ..extract.gazetteer import ActorResolver
from . import score as S
from .train import load_docs


def sentences(docs: list[dict], ids: set[str]) -> list[tuple[str, set[str]]]:
    out = []
    for d in docs:
        for s, e in d["sentences"]:
            gold = {it["issue"] for it in d["items"] if s <= it["start"] < e and it.get("issue") in ids}
            out.append((d["text"][s:e], gold))
    return out


def prf(pairs) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    npred = sum(len(p) for _, p in pairs)
    ngold = sum(len(g) for g, _ in pairs)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def grid(rows, zs: Z.ZeroShot):
    ranked = [zs.ranked(t) for t, _ in rows]
    results = []
    for th in np.arange(0.2, 2.0, 0.05):
        for margin in (0.0, 0.3, 1.0, 3.0):
            for k in (1, 2, 3):
                pairs = []
                for (t, g), r in zip(rows, ranked):
                    best = r[0][1] if r else 0.0
                    pairs.append((g, {i for i, v in r[:k] if v >= th and v >= best - margin}))
                results.append((prf(pairs), round(float(th), 3), margin, k))
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", default="dev,train")
    ap.add_argument("--word-sim", type=float, default=Z.WORD_SIM)
    ap.add_argument("--common-zipf", type=float, default=Z.COMMON_ZIPF,
                    help="a definition word weighs (this - its Zipf frequency) / 2, between 0.2 and 1 (99: every word weighs 1)")
    ap.add_argument("--raw", action="store_true", help="sum of word scores, not divided by sqrt(definition size)")
    args = ap.parse_args(argv)
    Z.COMMON_ZIPF = args.common_zipf
    Z.rarity.cache_clear()
    case = S.flagship_case()
    resolver = ActorResolver(case)
    defs = Z.definitions(case.issues, lambda w: resolver.code(w) is not None)
    ids = {d.id for d in defs}
    rows = sentences(load_docs([s.strip() for s in args.splits.split(",") if s.strip()]), ids)
    Z.WORD_SIM = args.word_sim
    Z.NORMALISE = not args.raw
    zs = Z.ZeroShot(defs)
    phrase_only = prf([(g, {d.id for d in defs if zs.patterns[d.id] is not None and zs.patterns[d.id].search(t)})
                       for t, g in rows])
    print(f"{len(rows)} sentences, {sum(len(g) for _, g in rows)} gold issues among {len(ids)} ids", file=sys.stderr)
    print(f"names and keywords as phrases only: P {phrase_only[0]:.3f} R {phrase_only[1]:.3f} F1 {phrase_only[2]:.3f}")
    results = sorted(grid(rows, zs), key=lambda x: -x[0][2])
    for (p, r, f), th, m, k in results[:15]:
        print(f"threshold {th:.3f} margin {m:.3f} top {k}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    (p, r, f), th, m, k = results[0]
    print(f"best: THRESHOLD = {th}, MARGIN = {m}, MAX_ISSUES = {k} (F1 {f:.3f}); "
          f"shipped: {Z.THRESHOLD}, {Z.MARGIN}, {Z.MAX_ISSUES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
