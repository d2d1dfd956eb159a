"""Build data/annotated/{dev,test,heldout,train}.jsonl and newcases/*/texts.jsonl from the
sentence-per-line sources (see docs/extraction.md).

The text of a document is its sentences joined by a space, paragraphs by a newline; each item's
start/end are the character offsets of its sentence in that text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
STATEMENT_TYPES = {"REQUEST", "REJECT", "ACCUSE", "DISAPPROVE", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"}


def _none(v: str):
    return None if v == "-" else v.replace("_", " ")


def parse(path: Path) -> list[dict]:
    docs, doc, para = [], None, []

    def flush_para():
        if para and doc is not None:
            doc["paragraphs"].append(list(para))
            para.clear()

    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## doc:"):
            flush_para()
            meta = dict(p.split(":", 1) for p in line[3:].split(" | "))
            doc = {k.strip(): v.strip() for k, v in meta.items()}
            doc["paragraphs"] = []
            docs.append(doc)
        elif line.startswith("#"):
            continue
        elif not line.strip():
            flush_para()
        else:
            if " || " not in line:
                sys.exit(f"{path}:{n}: a sentence needs ' || ' and its items (or '-')")
            para.append((n, *line.split(" || ", 1)))
    flush_para()
    out = []
    for doc in docs:
        text, items, sentences = "", [], []
        for pi, p in enumerate(doc["paragraphs"]):
            if pi:
                text += "\n"
            for si, (n, sent, ann) in enumerate(p):
                if si:
                    text += " "
                start = len(text)
                text += sent.strip()
                end = len(text)
                sentences.append([start, end])
                if ann.strip() == "-":
                    continue
                for part in ann.split(" ;; "):
                    f = part.split()
                    if len(f) < 5:
                        sys.exit(f"{path}:{n}: item needs TYPE ACTOR SPEAKER ISSUES DATE: {part!r}")
                    extra = dict(x.split("=", 1) for x in f[5:])
                    etype = _none(f[0])
                    for issue in (f[3].split(",") if f[3] != "-" else [None]):
                        items.append({
                            "kind": extra.get("kind") or ("statement" if (etype in STATEMENT_TYPES or etype is None) else "event"),
                            "event_type": etype, "actor": _none(f[1]), "speaker": _none(f[2]),
                            "issue": issue, "date": _none(f[4]),
                            "reported_by": _none(extra["by"]) if "by" in extra else None,
                            "start": start, "end": end, "line": n,
                        })
        out.append({"id": doc["doc"], "date": doc["date"], "title": doc.get("title"), "text": text,
                    "sentences": sentences, "items": items})
    return out


def main() -> None:
    for split in ("dev", "test", "heldout", "train"):
        # a split may be written in several files: train.txt, train-gaza.txt, …
        docs = [d for path in sorted((HERE / "source").glob(f"{split}*.txt")) for d in parse(path)]
        with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{split}: {len(docs)} documents, {sum(len(d['sentences']) for d in docs)} sentences, "
              f"{sum(len(d['items']) for d in docs)} items")
    # new negotiations, each a case folder (actors and issues only) with its own coded texts
    for source in sorted((HERE / "newcases").glob("*/texts.txt")):
        docs = parse(source)
        with open(source.with_suffix(".jsonl"), "w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"newcases/{source.parent.name}: {len(docs)} documents, "
              f"{sum(len(d['sentences']) for d in docs)} sentences, {sum(len(d['items']) for d in docs)} items")


if __name__ == "__main__":
    main()
