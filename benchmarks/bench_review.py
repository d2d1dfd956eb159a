"""Review latency: what a key costs on the review screen (accord/cli/review_tui.py).

    python -m benchmarks.bench_review [--candidates 2000] [--huge-mb 20]

A fresh SQLite store gets one document of short dispatches with one statement candidate per
sentence (a stand-in extractor: the cost measured is review's, not extraction's) and, with
`--huge-mb`, one document of that many million characters with candidates near its end. Measured:
building one candidate's screen (document read once per run, as the screen does), an accept, the
undo of that accept (audit-log lookup, record delete, candidate restored) after N decisions, a
revert, an edit-record, and the review model's refit + re-rank and per-screen hint. Results go to benchmarks/results/review.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console

from accord import review as rv
from accord import review_history as rh
from accord.case.models import Actor, Case, CaseMeta, Issue
from accord.cli.review_learn import WINDOW, Learner
from accord.cli.review_tui import screen
from accord.ingest import ingest
from accord.store import Store

RESULTS = Path(__file__).resolve().parent / "results" / "review.json"
SENTENCE = "Kyiv said NATO membership remains its goal after the talks in Istanbul. "


def _extract(text: str, *, doc_date: str | None, case=None) -> list[dict]:
    out, at = [], 0
    while (i := text.find("Kyiv", at)) >= 0:
        end = text.find(".", i) + 1
        out.append({"kind": "statement", "event_type": "REQUEST", "actor": "UKR", "speaker": None, "issue": "nato",
                    "position": 10.0, "date": doc_date, "start": i, "end": end, "confidence": 0.9})
        at = end
    return out


def _ms(f, n: int) -> dict:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2), "n": n}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=2000)
    ap.add_argument("--huge-mb", type=float, default=20)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{tmp / 'bench.db'}")
    store.save_case(Case(meta=CaseMeta(id="b", title="b", parties=["UKR"]),
                         actors=[Actor(id="UKR", name="Ukraine", kind="state")],
                         issues=[Issue(id="nato", name="NATO", scale={0: "joins", 100: "barred"})]))
    (tmp / "short.txt").write_text("2025-08-12\n" + "\n".join(SENTENCE * 3 for _ in range(args.candidates // 3)))
    ingest([tmp / "short.txt"], "b", store, extractor=_extract)
    out: dict = {"candidates": len(rv.list_candidates(store, "b"))}
    console = Console(file=open("/dev/null", "w"), width=100)  # noqa: SIM115 - rendering cost only

    cands = rv.list_candidates(store, "b")
    doc = store.document("b", cands[0].document_id)
    out["screen_short_doc"] = _ms(lambda: console.print(screen(cands[0], doc, 1, len(cands))), 50)

    def accept_undo() -> None:
        c = rv.list_candidates(store, "b", limit=1)[0]
        rv.accept(store, "b", c.id, reviewer="bench", expected_version=c.version)
        rh.undo_last(store, "b", reviewer="bench")
    # Decisions by someone else first: the undo looks past them in the audit log.
    for c in cands[: len(cands) // 2]:
        rv.reject(store, "b", c.id, reviewer="other", expected_version=c.version)
    out["decisions_before_undo"] = len(cands) // 2
    learner = Learner(store, "b")
    t = time.perf_counter()
    learner.refit()
    out["learn_first_refit_ms"] = {"ms": round((time.perf_counter() - t) * 1000, 2), "reviewed": len(cands) // 2,
                                   "note": "includes loading the sentence vectors, once a session"}

    def refit_rerank() -> None:
        learner.refit()
        learner.order([c.id for c in rv.list_candidates(store, "b")][:WINDOW])
    out["learn_refit_and_rerank"] = _ms(refit_rerank, 5) | {"reviewed": len(cands) // 2, "reranked": WINDOW}
    out["learn_hint"] = _ms(lambda: learner.hint(rv.list_candidates(store, "b", limit=1)[0]), 20)
    out["accept_then_undo"] = _ms(accept_undo, 30)
    c = rv.list_candidates(store, "b", limit=1)[0]
    t = time.perf_counter()
    rv.accept(store, "b", c.id, reviewer="bench", expected_version=c.version)
    out["accept"] = {"ms": round((time.perf_counter() - t) * 1000, 2)}
    rid = rv.record_id_for(c.id)
    out["edit_record"] = _ms(lambda: rh.edit_record(store, "b", "statement", rid, {"position": "20"}, reviewer="bench"), 10)
    t = time.perf_counter()
    rh.revert(store, "b", rid, reviewer="bench")
    out["revert"] = {"ms": round((time.perf_counter() - t) * 1000, 2)}

    if args.huge_mb:
        chars = int(args.huge_mb * 1_000_000)
        filler = "The delegations met again without a statement on the outcome " * (chars // 63)
        (tmp / "huge.txt").write_text("2025-08-12\n" + filler + SENTENCE * 20)
        ingest([tmp / "huge.txt"], "b", store, extractor=_extract)
        big = [x for x in rv.list_candidates(store, "b") if x.start and x.start > chars // 2]
        t = time.perf_counter()
        bdoc = store.document("b", big[0].document_id)
        out["huge_doc_read_ms"] = round((time.perf_counter() - t) * 1000, 2)
        out["huge_doc_chars"] = len(bdoc.text)
        out["screen_huge_doc"] = _ms(lambda: console.print(screen(big[0], bdoc, 1, len(big))), 50)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
