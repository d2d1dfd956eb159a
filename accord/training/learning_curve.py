"""The learning curve of the per-case review model: `python -m accord.training.learning_curve`.

On the unseen split (a case the extractor never saw, read with the Iran case's actors and issues
only), or on each new case of data/annotated/newcases/ (`--split newcases`), documents alternate
between a review stream (even positions) and a held-out half (odd).
A simulated analyst reviews the stream's candidates in reading order with the gold annotation:
accept when (holder, issue) is gold for the sentence, edit the issue when the holder is gold there
with another issue, edit the holder when the issue is gold there for another holder (one the
extractor did not already give it), reject otherwise. After 0, 10, 25, 50 and 100 reviewed items the review model
is refitted and relabels the held-out candidates; actor + issue per sentence is scored as
`accord extract score` does (and the PLOVER type of each sentence's first item). The model also re-ranks the held-out queue: its average precision
(a candidate is right when its holder and issue are gold for its sentence; 1.0 would put every
right one first) is set beside the queue in reading order and by the extractor's confidence.
Nothing here changes the extractor.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ..extract import Extractor
from ..extract.review_model import Example, ReviewModel
from . import score as S

STEPS = [0, 10, 25, 50, 100]


def _sentence(doc: dict, start: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in doc["sentences"] if s <= start < e), None)


def _reviewable(doc: dict, items: list[dict]):
    """(candidate, its sentence's text, the sentence's gold items) for each candidate with a holder."""
    for it in items:
        span = _sentence(doc, it["start"])
        if it.get("kind") in ("statement", "event") and it.get("actor") and span is not None:
            yield it, doc["text"][span[0]:span[1]], [g for g in doc["items"] if span[0] <= g["start"] < span[1]]


def review_stream(docs, preds) -> list[Example]:
    out = []
    for d, items in zip(docs, preds):
        given = {(it.get("start"), it.get("actor"), it.get("issue")) for it in items}
        for it, text, gold in _reviewable(d, items):
            pairs = {(g.get("actor"), g.get("issue")) for g in gold}
            mine = [g.get("issue") for g in gold if g.get("actor") == it["actor"]]
            if (it["actor"], it.get("issue")) in pairs:
                out.append(Example(text, it["actor"], "accept", it.get("issue")))
            elif mine:
                out.append(Example(text, it["actor"], "edit", next((i for i in mine if i), None)))
            elif others := sorted(a for a, i in pairs if a and i == it.get("issue") and i
                                  and (it["start"], a, i) not in given):
                out.append(Example(text, others[0], "edit", it.get("issue"), proposed=it["actor"]))
                given.add((it["start"], others[0], it.get("issue")))
            else:
                out.append(Example(text, it["actor"], "reject"))
    return out


def average_precision(right: list[bool], order: list[int]) -> float:
    """Mean of the precision at each right candidate's rank, reading the queue in `order`."""
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if right[i]:
            hits += 1
            total += hits / rank
    return round(total / hits, 3) if hits else 0.0


def held_queue(docs, preds) -> tuple[list[dict], list[str], list[bool]]:
    """The held-out candidates with a holder, their sentences, and whether each is right."""
    cands, texts, right = [], [], []
    for d, items in zip(docs, preds):
        for it, text, gold in _reviewable(d, items):
            cands.append(it)
            texts.append(text)
            right.append((it["actor"], it.get("issue")) in {(g.get("actor"), g.get("issue")) for g in gold})
    return cands, texts, right


def curve(docs: list[dict], case, read) -> dict:
    """The learning curve on one case's documents: `read(docs, case)` extracts them."""
    stream_docs, held_docs = docs[0::2], docs[1::2]
    stream = review_stream(stream_docs, read(stream_docs, case))
    held_preds = read(held_docs, case)
    queue, queue_texts, right = held_queue(held_docs, held_preds)
    by_confidence = sorted(range(len(queue)), key=lambda i: -(queue[i].get("confidence") or 0.0))
    baseline = {"reading_order": average_precision(right, list(range(len(queue)))),
                "confidence": average_precision(right, by_confidence)}
    rows = []
    for n in STEPS:
        if n > len(stream):
            break
        t = time.perf_counter()
        model = ReviewModel.fit(stream[:n])
        fit_ms = 1000 * (time.perf_counter() - t)
        relabelled = {}
        for d, items in zip(held_docs, held_preds):
            texts = [d["text"][slice(*(_sentence(d, it["start"]) or (it["start"], it["end"])))] for it in items]
            relabelled[d["id"]] = model.relabel(items, texts)
        scored = S.score(held_docs, lambda d: relabelled[d["id"]])
        r = scored["actor+issue"]
        rows.append({"reviewed": n, "precision": r["precision"], "recall": r["recall"], "f1": r["f1"],
                     "type": scored["plover_type_accuracy"],
                     "queue_ap": average_precision(right, model.rerank(queue, queue_texts)),
                     "fit_ms": round(fit_ms, 1),
                     "decisions": {k: sum(e.decision == k for e in stream[:n]) for k in ("accept", "edit", "reject")}})
    return {"steps": rows, "queue_ap_without_model": baseline, "stream": [len(stream_docs), len(stream)],
            "held": [len(held_docs), len(queue)]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--split", default="unseen", choices=["unseen", "newcases"],
                    help="unseen: the Iran case; newcases: each case of data/annotated/newcases/")
    ap.add_argument("--names-only", action="store_true",
                    help="the issues by their names and scales only (no description, no keywords)")
    args = ap.parse_args(argv)
    if args.split == "unseen":
        docs = S.unseen_docs()
        sets = [("unseen", docs, S.definitions_case("iran-nuclear-2015"))] if docs else []
    else:
        sets = S.newcase_sets()
    if not sets:
        print(f"{args.split}: no documents (the unseen texts live in ../shared/corpus/; skipped)", file=sys.stderr)
        return 0
    extractor = Extractor()

    def read(docs: list[dict], case) -> list[list[dict]]:
        if args.names_only:
            case = S.as_new_case(case)  # issue ids the extractor's lexicon does not know
        return [S.from_new(p) for p in extractor.extract_many([d["text"] for d in docs], [d["date"] for d in docs], case=case)]

    out = {}
    for name, docs, case in sets:
        if args.names_only:
            case = case.model_copy(update={"issues": [
                i.model_copy(update={"keywords": [], "description": None}) for i in case.issues]})
        out[name] = curve(docs, case, read)
    if args.json:
        print(json.dumps(out if len(out) > 1 else next(iter(out.values())), indent=2))
        return 0
    for name, res in out.items():
        base = res["queue_ap_without_model"]
        print(f"{name}: review stream {res['stream'][0]} documents ({res['stream'][1]} candidates), held out "
              f"{res['held'][0]} documents ({res['held'][1]} candidates; queue average precision "
              f"{base['reading_order']:.3f} in reading order, {base['confidence']:.3f} by confidence)")
        for r in res["steps"]:
            print(f"after {r['reviewed']:3d} reviewed: actor+issue P {r['precision']:.2f} R {r['recall']:.2f} "
                  f"F1 {r['f1']:.2f}, type {r['type']:.2f}, queue average precision {r['queue_ap']:.3f} "
                  f"(refit {r['fit_ms']} ms; {r['decisions']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
