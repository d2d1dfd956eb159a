"""The ingest runner on a real store (SQLite and PostgreSQL): formats, dedup, languages,
broken files, auto-accept, crash consistency and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import ingest_fakes
import pytest
from ingest_docs import ARTICLE_A, ARTICLE_B, write_corpus
from sqlalchemy import func, select

from accord.case.models import Actor, Case, CaseMeta, Issue
from accord.ingest import ingest
from accord.positions import derive_positions
from accord.store import Store, schema

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def small_case(case_id: str = "talks") -> Case:
    return Case(
        meta=CaseMeta(id=case_id, title="Talks", parties=["UKR", "RUS"]),
        actors=[Actor(id="UKR", name="Ukraine", kind="state", aliases=["Kyiv"]),
                Actor(id="RUS", name="Russia", kind="state", aliases=["Moscow", "the Kremlin"]),
                Actor(id="peskov", name="Dmitry S. Peskov", kind="person", speaks_for="RUS")],
        issues=[Issue(id="nato", name="NATO", scale={0: "joins", 100: "barred"}),
                Issue(id="territory", name="Territory", scale={0: "all returned", 100: "all ceded"})],
    )


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.save_case(small_case())
    yield s
    s.engine.dispose()


def rows(store, table, **where):
    with store.engine.connect() as conn:
        q = select(table).where(*(getattr(table.c, k) == v for k, v in where.items()))
        return conn.execute(q).all()


def assert_consistent(store, case_id="talks"):
    """Every stored extracted document has exactly the candidates its extraction yields, and
    every candidate belongs to a stored document: nothing half-written."""
    docs = {r.id: r for r in rows(store, schema.documents, case_id=case_id)}
    cands = rows(store, schema.candidates, case_id=case_id)
    assert all(c.document_id in docs for c in cands)
    for d in docs.values():
        n = sum(c.document_id == d.id for c in cands)
        expect = len(ingest_fakes.extract(d.text, doc_date=d.date)) if d.status == "extracted" else 0
        assert n == expect, (d.path, n, expect)
        if d.status != "duplicate":
            assert rows(store, schema.records, case_id=case_id, kind="source", id=d.source_id)


def test_mixed_corpus(store, tmp_path):
    paths = write_corpus(tmp_path / "corpus")
    seen = []
    report = ingest([tmp_path / "corpus"], "talks", store, extractor=ingest_fakes.extract, on_problem=seen.append)
    assert report.extracted == 5 and report.flagged == 2 and report.failed == 6
    assert {p.where for p in seen} == {str(paths["truncated"]), str(paths["binary"]), str(paths["empty"]),
                                        str(paths["latin1"]), f"{paths['jsonl']}:2", f"{paths['jsonl']}:4"}
    docs = {r.path: r for r in rows(store, schema.documents, case_id="talks")}
    assert docs[str(paths["txt"])].date == "2025-08-12"
    assert docs[str(paths["html"])].outlet == "Daily Planet" and "SUBSCRIBE" not in docs[str(paths["html"])].text
    ru, tr = docs[f"{paths['jsonl']}:3"], docs[f"{paths['jsonl']}:5"]
    assert (ru.status, ru.language, tr.status, tr.language) == ("flagged", "ru", "flagged", "tr")
    assert not rows(store, schema.candidates, case_id="talks", document_id=ru.id)  # not extracted
    case = store.load_case("talks")
    src = case.source(docs[f"{paths['jsonl']}:1"].source_id)
    assert (src.outlet, src.date, src.url, src.language, src.reliability, src.credibility) == (
        "Wire", "2025-08-20", "https://example.org/1", "en", "F", 6)
    assert case.source(ru.source_id).language == "ru"
    assert report.candidates == len(rows(store, schema.candidates, case_id="talks")) > 5
    assert_consistent(store)
    # Spans index the stored text: the candidate's span is the sentence the extractor saw.
    c = rows(store, schema.candidates, case_id="talks", document_id=docs[str(paths["txt"])].id)[0]
    assert docs[str(paths["txt"])].text[c.start:c.end].startswith("Kyiv rejected")


def test_exact_and_near_duplicates_are_skipped(store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "1.txt").write_text(ARTICLE_A + " " + ARTICLE_B, encoding="utf-8")
    (d / "2.txt").write_text("  " + (ARTICLE_A + "\n\n" + ARTICLE_B).upper(), encoding="utf-8")  # exact
    (d / "3.txt").write_text("By Wire Staff. " + ARTICLE_A + " " + ARTICLE_B + " (c) Wire 2025, all rights reserved.",
                             encoding="utf-8")  # near
    report = ingest([d], "talks", store, extractor=ingest_fakes.extract)
    assert (report.extracted, report.exact_duplicates, report.near_duplicates) == (1, 1, 1)
    near = [r for r in rows(store, schema.documents, case_id="talks") if r.status == "duplicate"]
    assert len(near) == 1 and "near duplicate of" in near[0].note
    assert not rows(store, schema.candidates, case_id="talks", document_id=near[0].id)
    # A later run sees the stored fingerprints (not just this run's): a new copy is caught too.
    (d / "4.txt").write_text("Updated: " + ARTICLE_A + " " + ARTICLE_B, encoding="utf-8")
    again = ingest([d], "talks", store, extractor=ingest_fakes.extract)
    assert (again.already, again.exact_duplicates, again.near_duplicates, again.extracted) == (2, 1, 1, 0)


def _numbered(folder: Path, n: int, marker: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(
            f"2025-08-{i + 1:02d}\nKyiv rejected neutrality and NATO limits, statement {i}. {marker}"
            f"Moscow demanded a neutral neighbour in round {i * 7 + 3}. Talks took place in city number {i * 13}.",
            encoding="utf-8")


def test_resume_after_a_crash(store, tmp_path):
    _numbered(tmp_path / "in", 5)
    calls = {"n": 0}

    def crashing(text, *, doc_date, case):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # what a Ctrl-C or a kill looks like to the loop
        return ingest_fakes.extract(text, doc_date=doc_date, case=case)

    with pytest.raises(KeyboardInterrupt):
        ingest([tmp_path / "in"], "talks", store, extractor=crashing)
    assert len(rows(store, schema.documents, case_id="talks")) == 2
    assert_consistent(store)
    report = ingest([tmp_path / "in"], "talks", store, extractor=ingest_fakes.extract)
    assert (report.already, report.extracted) == (2, 3)
    assert_consistent(store)
    ids = [c.id for c in rows(store, schema.candidates, case_id="talks")]
    assert len(ids) == len(set(ids)) == 5 * 2


def test_extractor_error_skips_only_that_document(store, tmp_path):
    _numbered(tmp_path / "in", 3)
    (tmp_path / "in" / "bad.txt").write_text("Kyiv said BOOM.", encoding="utf-8")
    seen = []
    report = ingest([tmp_path / "in"], "talks", store, extractor=ingest_fakes.extract, on_problem=seen.append)
    assert report.extracted == 3 and report.failed == 1
    assert seen[0].path.endswith("bad.txt") and "extraction failed" in seen[0].reason
    assert_consistent(store)


def test_auto_accept_creates_records_and_moves_positions(store, tmp_path):
    _numbered(tmp_path / "in", 2)
    report = ingest([tmp_path / "in"], "talks", store, extractor=ingest_fakes.extract, auto_accept=0.85)
    assert report.auto_accepted == 4
    accepted = rows(store, schema.candidates, case_id="talks", status="accepted")
    assert len(accepted) == 4 and all(c.auto_accepted and c.reviewer == "auto" for c in accepted)
    positions = {(p.actor, p.issue): p.ideal for p in derive_positions(store.load_case("talks"), "2025-12-31")}
    assert positions == {("UKR", "nato"): 10.0, ("RUS", "nato"): 90.0}


def test_worker_processes_give_the_same_result(db_url, tmp_path):
    _numbered(tmp_path / "in", 6)
    results = []
    for workers, cid in ((1, "one"), (2, "two")):
        s = Store(db_url)
        s.save_case(small_case(cid))
        ingest([tmp_path / "in"], cid, s, extractor=ingest_fakes.extract, workers=workers)
        results.append(sorted((c.id, c.start, c.end, c.kind) for c in rows(s, schema.candidates, case_id=cid)))
        s.engine.dispose()
    assert results[0] == results[1] and len(results[0]) == 12


def test_kill_mid_run_leaves_store_consistent_and_rerun_completes(db_url, tmp_path):
    s = Store(db_url)
    s.save_case(small_case())
    _numbered(tmp_path / "in", 8, marker="SLOW. ")
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    cmd = [sys.executable, "-m", "accord.cli.main", "ingest", str(tmp_path / "in"), "--case", "talks",
           "--db", db_url, "--extractor", "ingest_fakes:extract"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        with s.engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(schema.documents)).scalar() >= 2:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = len(rows(s, schema.documents, case_id="talks"))
    assert 2 <= done < 8
    assert_consistent(s)
    out = subprocess.run(cmd + ["--json"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json
    report = json.loads(out.stdout)
    assert report["already"] == done and report["extracted"] == 8 - done
    assert_consistent(s)
    s.engine.dispose()


def test_cli_ingest_reports_broken_files_and_imports_a_case_folder(db_url, tmp_path):
    from typer.testing import CliRunner

    from accord.case.folder import write_case
    from accord.cli.main import app

    write_case(small_case("folder-case"), tmp_path / "case")
    paths = write_corpus(tmp_path / "corpus")
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "corpus"), "--case", str(tmp_path / "case"),
                                   "--db", db_url, "--extractor", "ingest_fakes:extract", "--json",
                                   "--reliability", "c", "--credibility", "3"])
    assert res.exit_code == 0, res.output
    assert str(paths["binary"]) in res.output and f"{paths['jsonl']}:2" in res.output
    s = Store(db_url)
    srcs = [x for x in s.load_case("folder-case").sources]
    assert len(srcs) == 7 and all((x.reliability, x.credibility) == ("C", 3) for x in srcs)
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "corpus"), "--case", "nope", "--db", db_url])
    assert res.exit_code == 2 and "no case" in res.output
    s.engine.dispose()


def test_ray_engine_gives_the_same_candidates(tmp_path, monkeypatch):
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    monkeypatch.setenv("PYTHONPATH", str(HERE))  # Ray's workers import the fake extractor by name
    # A Ray instance another test left in this worker process has workers without that path.
    ray.shutdown()
    _numbered(tmp_path / "in", 4)
    out = []
    for engine, cid in (("local", "loc"), ("ray", "ray")):
        s = Store(f"sqlite:///{tmp_path / (cid + '.db')}")
        s.save_case(small_case(cid))
        rep = ingest([tmp_path / "in"], cid, s, extractor=ingest_fakes.extract, engine=engine)
        assert rep.extracted == 4
        out.append(sorted((c.id, c.start, c.end) for c in rows(s, schema.candidates, case_id=cid)))
        assert_consistent(s, cid)
    assert out[0] == out[1] and len(out[0]) == 8
