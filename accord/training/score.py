"""Score extraction against the annotated set: `accord extract score [--split test]`.

Per sentence, gold and predicted items are compared as sets:
  speaker (surname), actor, issue, actor+issue, actor+issue_alt (the issue or one of its ranked
  alternatives), stance (actor, PLOVER type), date (actor, date),
  events (actor, type) of kind event → precision, recall, F1 (micro-averaged over sentences).
PLOVER accuracy: for each sentence with gold items, is the first gold item's type / actor among
the predicted items' types / actors of the sentence's main predicted item (its first)?
Event recall (article, unseen): extracted events against a dated chronology (event_score.py).
A keyword baseline (names and issue words anywhere in the sentence, the first lexicon verb) is
scored the same way for comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from ..extract.items import as_dict
from .event_score import EventScore, GoldEvent, events_from_annotation, events_from_csv, score_events

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "annotated"
METRICS = ["speaker", "actor", "issue", "actor+issue", "actor+issue_alt", "stance", "date", "events"]


def _surname(s: str | None) -> str | None:
    if not s:
        return None
    # a case person's id is a slug ("wang-yi"): its parts are the name's words
    s = re.sub(r"[’'`]s\b", "", s.lower()).replace("-", " ")
    return s.split()[-1].strip(".,") if s.split() else None


def _keys(items: list[dict], metric: str) -> set:
    out = set()
    for it in items:
        if it.get("kind") not in ("statement", "event"):
            continue
        a, i, t = it.get("actor"), it.get("issue"), it.get("event_type")
        if metric == "speaker" and it.get("speaker"):
            out.add(_surname(it["speaker"]))
        elif metric == "actor" and a:
            out.add(a)
        elif metric == "issue" and i:
            out.add(i)
        elif metric == "actor+issue" and a and i:
            out.add((a, i))
        elif metric == "actor+issue_alt" and a:
            # what the reviewer is offered: the item's issue and its ranked alternatives
            out.update((a, x) for x in [i, *(alt["value"] for alt in it.get("issue_alternatives") or [])] if x)
        elif metric == "stance" and a and t:
            out.add((a, t))
        elif metric == "date" and a and it.get("date"):
            out.add((a, it["date"]))
        elif metric == "events" and it.get("kind") == "event" and a and t:
            out.add((a, t))
    return out


def _by_sentence(doc: dict, items: list[dict]) -> list[list[dict]]:
    """Assign items to the gold sentence containing their start."""
    out = [[] for _ in doc["sentences"]]
    for it in items:
        for k, (s, e) in enumerate(doc["sentences"]):
            if s <= it["start"] < e or (it["start"] < s and it["end"] > s + (e - s) // 2):
                out[k].append(it)
                break
    return out


def score(docs: list[dict], predict) -> dict:
    counts = {m: [0, 0, 0] for m in METRICS}  # tp, n_pred, n_gold
    plover = {"type": [0, 0], "actor": [0, 0]}
    placed: list[tuple[float, float]] = []  # (gold, predicted) positions of matched actor+issue pairs
    for doc in docs:
        pred_items = [as_dict(x) for x in predict(doc)]
        gold_s = _by_sentence(doc, doc["items"])
        pred_s = _by_sentence(doc, pred_items)
        for g, p in zip(gold_s, pred_s):
            for m in METRICS:
                gk, pk = _keys(g, m), _keys(p, m)
                counts[m][0] += len(gk & pk)
                counts[m][1] += len(pk)
                counts[m][2] += len(gk)
            gold_pos = {(x.get("actor"), x.get("issue")): x["position"] for x in g if x.get("position") is not None}
            for x in p:
                key = (x.get("actor"), x.get("issue"))
                if x.get("position") is not None and key in gold_pos:
                    placed.append((float(gold_pos.pop(key)), float(x["position"])))
            g_main = [x for x in g if x.get("event_type")]
            if g_main:
                first = g_main[0]
                p_main = [x for x in p if x.get("kind") in ("statement", "event") and x.get("event_type")]
                top = p_main[0] if p_main else {}
                plover["type"][1] += 1
                plover["actor"][1] += 1
                plover["type"][0] += int(top.get("event_type") == first["event_type"])
                plover["actor"][0] += int(bool(first.get("actor")) and top.get("actor") == first["actor"])
    result = {}
    for m, (tp, npred, ngold) in counts.items():
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[m] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": ngold, "pred": npred}
    result["plover_type_accuracy"] = round(plover["type"][0] / max(plover["type"][1], 1), 3)
    result["plover_actor_accuracy"] = round(plover["actor"][0] / max(plover["actor"][1], 1), 3)
    result["sentences_with_items"] = plover["type"][1]
    # where the gold places a holder on an issue and so does the extractor: mean absolute error, and
    # inversions (the two on opposite sides of the scale's middle, each at least 10 points from it)
    result["positions"] = {
        "compared": len(placed),
        "mean_abs_error": round(sum(abs(a - b) for a, b in placed) / len(placed), 1) if placed else None,
        "inversions": sum((a - 50) * (b - 50) < 0 and abs(a - 50) >= 10 and abs(b - 50) >= 10 for a, b in placed),
    }
    return result


# ---------------------------------------------------------------- keyword baseline

def keyword_predict(doc: dict) -> list[dict]:
    """Every known name and issue word in a sentence, paired; the first lexicon verb as the type."""
    from ..extract.gazetteer import builtin_names
    from ..extract.lexicon import VERB_TYPES, keyword_issues

    names = builtin_names()
    name_rx = _name_regex(tuple(sorted(names, key=len, reverse=True)))
    items = []
    for s, e in doc["sentences"]:
        sent = doc["text"][s:e]
        actors = []
        for m in name_rx.finditer(sent.lower()):
            code = names.get(m.group(0))
            if code and code not in actors:
                actors.append(code)
        issues = keyword_issues(sent)
        etype = None
        for w in re.findall(r"[a-z]+", sent.lower()):
            for cand in (w, w[:-1], w[:-2], w[:-3], w[:-2] + "e" if w.endswith("ed") else w):
                if cand in VERB_TYPES:
                    etype = VERB_TYPES[cand]
                    break
            if etype:
                break
        sp = re.search(r"([A-Z][a-z]+ [A-Z][a-z]+) (said|says|told|warned|urged)", sent)
        for a in actors or [None]:
            for i in issues or [None]:
                items.append({"kind": "statement", "event_type": etype, "actor": a, "issue": i,
                              "speaker": sp.group(1) if sp else None, "date": doc["date"],
                              "start": s, "end": e})
    return items


_RX_CACHE = {}


def _name_regex(names: tuple):
    if names not in _RX_CACHE:
        _RX_CACHE[names] = re.compile(r"\b(" + "|".join(re.escape(n) for n in names if len(n) > 2) + r")\b")
    return _RX_CACHE[names]


# ---------------------------------------------------------------- article annotations

def load_split(split: str) -> list[dict]:
    path = DATA / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_docs(corpus: Path = ROOT.parent / "shared" / "corpus") -> list[dict]:
    """The article's annotations (offsets only) joined with its text from ../shared, if present."""
    ann = DATA / "article" / "khar-2025-09.json"
    if not ann.exists():
        return []
    meta = json.loads(ann.read_text(encoding="utf-8"))
    src = corpus / meta["file"]
    if not src.exists():
        return []
    text = src.read_text(encoding="utf-8")
    if meta.get("sha256") and hashlib.sha256(text.encode("utf-8")).hexdigest() != meta["sha256"]:
        print(f"{src}: not the text the offsets were written for (sha256 differs); skipped", file=sys.stderr)
        return []
    return [{"id": meta["file"], "date": meta["date"], "text": text,
             "sentences": meta["sentences"], "items": meta["items"]}]


def _checked_text(src: Path, sha256: str | None) -> str | None:
    if not src.exists():
        return None
    text = src.read_text(encoding="utf-8")
    if sha256 and hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
        print(f"{src}: not the text the offsets were written for (sha256 differs); skipped", file=sys.stderr)
        return None
    return text


def unseen_docs(shared: Path = ROOT.parent / "shared") -> list[dict]:
    """The unseen split (a negotiation no training file covers, annotated blind; offsets only,
    data/annotated/unseen/README.md) joined with its texts from ../shared, if present."""
    ann = DATA / "unseen" / "jcpoa-2013-2015.json"
    if not ann.exists():
        return []
    meta = json.loads(ann.read_text(encoding="utf-8"))
    out = []
    for d in meta["documents"]:
        text = _checked_text(shared / meta["corpus"] / d["file"], d.get("sha256"))
        if text is not None:
            out.append({"id": d["file"], "date": d["date"], "text": text, "sentences": d["sentences"],
                        "items": d["items"], "events": d.get("events", [])})
    return out


def newcase_sets() -> list[tuple[str, list[dict], object]]:
    """The new negotiations in data/annotated/newcases/ (each a case folder with only its actors and
    issues, and texts coded with that case's ids; written for the test set, README.md in each):
    (name, documents, case) per folder whose texts have been built (build.py)."""
    out = []
    for texts in sorted((DATA / "newcases").glob("*/texts.jsonl")):
        docs = [json.loads(line) for line in texts.read_text(encoding="utf-8").splitlines() if line.strip()]
        out.append((texts.parent.name, docs, _definitions(texts.parent)))
    return out


def flagship_case():
    from ..case.folder import read_case

    return read_case(ROOT / "examples" / "russia-ukraine-2025")


def definitions_case(folder: str):
    """An example case's actors and issues only, as a new user starts: no statements, no records."""
    return _definitions(ROOT / "examples" / folder)


def _definitions(path: Path):
    """The case folder at `path` with its actors and issues only."""
    from ..case.folder import read_case
    from ..case.models import Case

    full = read_case(path)
    return Case(meta=full.meta, actors=full.actors, issues=full.issues)


def bare_case(case):
    """The case as a user who defines the least gives it: actors by their names alone (no aliases,
    no persons), issues by name, description and scale (no keywords)."""
    actors = [a.model_copy(update={"aliases": []}) for a in case.actors if a.kind.value != "person"]
    issues = [i.model_copy(update={"keywords": []}) for i in case.issues]
    return case.model_copy(update={"actors": actors, "issues": issues})


NEW = "new:"  # prefix that makes a known issue id unknown to the lexicon and the learned layer


def as_new_case(case, prefix: str = NEW):
    """The same case with its issue ids unknown to the extractor's lexicon and learned layer: what
    the definitions alone give (predictions are mapped back with `from_new`; a store takes no
    `NEW` in an id, so a case bound for one takes another `prefix`)."""
    from ..case.models import Case

    issues = [i.model_copy(update={"id": prefix + i.id}) for i in case.issues]
    return Case(meta=case.meta, actors=case.actors, issues=issues)


def from_new(items: list) -> list[dict]:
    out = []
    for it in map(as_dict, items):
        if isinstance(it.get("issue"), str) and it["issue"].startswith(NEW):
            it["issue"] = it["issue"][len(NEW):]
        out.append(it)
    return out


def format_table(rows: dict[str, dict]) -> str:
    lines = ["| metric | " + " | ".join(f"{name} P / R / F1" for name in rows) + " |",
             "|---|" + "---|" * len(rows)]
    for m in METRICS:
        cells = [f"{r[m]['precision']:.2f} / {r[m]['recall']:.2f} / {r[m]['f1']:.2f}" for r in rows.values()]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    for m in ("plover_type_accuracy", "plover_actor_accuracy"):
        lines.append(f"| {m} | " + " | ".join(f"{r[m]:.2f}" for r in rows.values()) + " |")
    cells = [f"{r['positions']['compared']} compared, error {r['positions']['mean_abs_error']}, "
             f"{r['positions']['inversions']} inverted" if r["positions"]["compared"] else "no gold positions"
             for r in rows.values()]
    lines.append("| positions | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gold_events(split: str, docs: list[dict]) -> list[list[GoldEvent]] | None:
    """Per document, its gold events: the unseen split's annotated events, or the flagship case's
    chronology lines that point into the article; None for splits without events."""
    if split == "unseen":
        return [events_from_annotation(d["id"], d.get("events", [])) for d in docs]
    if split == "article":
        csv_path = ROOT / "examples" / "russia-ukraine-2025" / "events.csv"
        return [events_from_csv(csv_path, d["text"]) for d in docs]
    return None


def event_report(split: str, docs: list[dict], preds: list[list[dict]], case) -> EventScore | None:
    gold = gold_events(split, docs)
    if gold is None:
        return None
    speaks_for = {a.id: a.speaks_for for a in case.actors if a.speaks_for} if case is not None else {}
    # the unseen annotation lists every event of its texts; the case chronology only some
    return score_events(list(zip(gold, preds)), exhaustive=split == "unseen", speaks_for=speaks_for)


def format_events(rows: dict[str, EventScore]) -> str:
    lines = ["| events | gold | extracted | recall | precision | date accuracy (of located) |", "|---|---|---|---|---|---|"]
    for name, r in rows.items():
        p = "—" if r.precision is None else f"{r.precision:.2f}"
        d = "—" if r.date_accuracy is None else f"{r.date_accuracy:.2f} ({r.located})"
        lines.append(f"| {name} | {r.gold} | {r.extracted} | {r.recall:.2f} ({r.matched_gold}) | {p} | {d} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test",
                    choices=["dev", "test", "heldout", "train", "article", "unseen", "newcases", "all"])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--as-new-case", action="store_true",
                    help="article: the flagship's issues with ids the extractor does not know (definitions only)")
    ap.add_argument("--bare", action="store_true",
                    help="article, unseen, newcases: actors by name only (no aliases, no persons), issues without keywords")
    args = ap.parse_args(argv)
    from ..extract import Extractor

    extractor = Extractor()
    splits = ["dev", "test", "article"] if args.split == "all" else [args.split]
    report = {}
    events: dict[str, EventScore] = {}
    for split in splits:
        if split == "newcases":
            sets = [(f"newcases {name}", docs, case) for name, docs, case in newcase_sets()]
        else:
            docs = article_docs() if split == "article" else unseen_docs() if split == "unseen" else load_split(split)
            # the article is read as the flagship case reads it: its actors, aliases and issues; the
            # unseen split as a new user starts the Iran case: its actors and issues, nothing else
            case = flagship_case() if split == "article" else definitions_case("iran-nuclear-2015") \
                if split == "unseen" else None
            sets = [(split, docs, case)] if docs else []
        if not sets:
            print(f"{split}: no documents (the article's and unseen texts live in ../shared/corpus/; "
                  f"new cases are built by data/annotated/build.py; skipped)", file=sys.stderr)
            continue
        pooled_docs, pooled = [], {}
        for name, docs, case in sets:
            if case is not None and args.bare:
                case = bare_case(case)
            if case is not None and args.as_new_case:
                case = as_new_case(case)
            texts = [d["text"] for d in docs]
            preds = [from_new(p) for p in extractor.extract_many(texts, [d["date"] for d in docs], case=case)]
            by_id = {d["id"]: p for d, p in zip(docs, preds)}
            if len(sets) > 1:
                report[f"{name} accord"] = score(docs, lambda d: by_id[d["id"]])
            pooled_docs.extend(docs)
            pooled.update(by_id)
            ev = event_report(split, docs, preds, case)
            if ev is not None:
                events[split] = ev
            n_sent = sum(len(d["sentences"]) for d in docs)
            print(f"{name}: {len(docs)} documents, {n_sent} sentences, {sum(len(d['items']) for d in docs)} gold items",
                  file=sys.stderr)
        report[f"{split} accord"] = score(pooled_docs, lambda d: pooled[d["id"]])
        report[f"{split} keywords"] = score(pooled_docs, keyword_predict)
    if args.json:
        print(json.dumps({**report, **{f"{k} events": v.model_dump() for k, v in events.items()}}, indent=2))
    else:
        print(format_table(report))
        if events:
            print()
            print(format_events(events))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
