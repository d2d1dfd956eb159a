"""Source metadata read at ingest (HTML, manifest, flags), file types asked for, what is skipped
and why, NUL characters on both stores, and workers that die with a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import ingest_fakes
import pytest
from ingest_docs import ARTICLE_A, ARTICLE_B, ARTICLE_C, pdf_bytes
from sqlalchemy import select
from test_ingest import small_case

from accord.ingest import ManifestError, ingest, iter_documents, parse_types
from accord.ingest.readers import Problem, RawDocument, Skipped
from accord.store import Store, schema

HERE = Path(__file__).parent
ROOT = HERE.parents[1]

PAGE = """<!doctype html><html><head><title>Kyiv holds its line | The Ledger</title>
<meta property="og:title" content="Kyiv holds its line">
<meta property="og:site_name" content="The Ledger">
<meta name="author" content="Olena Petrenko">
<link rel="canonical" href="https://ledger.example/world/kyiv-line">
<meta property="article:published_time" content="2025-09-04T08:00:00Z"></head>
<body><article><h1>Kyiv holds its line</h1><p>{a}</p><p>{c}</p></article></body></html>"""


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.save_case(small_case())
    yield s
    s.engine.dispose()


def docs_by_path(store, case_id="talks"):
    with store.engine.connect() as conn:
        return {r.path: r for r in conn.execute(select(schema.documents).where(schema.documents.c.case_id == case_id))}


def test_html_metadata_is_read(store, tmp_path):
    (tmp_path / "page.html").write_text(PAGE.format(a=ARTICLE_A, c=ARTICLE_C), encoding="utf-8")
    ingest([tmp_path], "talks", store, extractor=ingest_fakes.extract)
    doc = docs_by_path(store)[str(tmp_path / "page.html")]
    src = store.load_case("talks").source(doc.source_id)
    assert (src.title, src.outlet, src.author, src.date, src.url) == (
        "Kyiv holds its line", "The Ledger", "Olena Petrenko", "2025-09-04", "https://ledger.example/world/kyiv-line")


def test_manifest_and_flags_describe_txt_and_pdf_and_nothing_is_guessed(store, tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.pdf").write_bytes(pdf_bytes(ARTICLE_B))
    (d / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    (d / "my notes.md").write_text("Call the embassy about the Istanbul round.", encoding="utf-8")
    (d / "manifest.csv").write_text(
        "file,url,outlet,title,date,author,reliability,language,confidential\n"
        "a.txt,https://wire.example/a,Wire,Kyiv rejects neutrality,2025-08-12,A. Writer,B2,en,no\n"
        "b.pdf,,Ministry of Foreign Affairs,,2025-08,,A,,yes\n"
        "c.txt,,,,,,,,\n", encoding="utf-8")
    rep = ingest([d], "talks", store, extractor=ingest_fakes.extract, reliability="D")
    assert rep.extracted == 3 and rep.failed == 0
    assert {(s.kind, Path(s.path).name) for s in rep.skipped_files} == {
        ("manifest", "manifest.csv"), ("not-in-manifest", "my notes.md")}
    docs = docs_by_path(store)
    case = store.load_case("talks")
    a = case.source(docs[str(d / "a.txt")].source_id)
    assert (a.url, a.outlet, a.title, a.date, a.author, a.reliability, a.credibility) == (
        "https://wire.example/a", "Wire", "Kyiv rejects neutrality", "2025-08-12", "A. Writer", "B", 2)
    b = case.source(docs[str(d / "b.pdf")].source_id)
    assert (b.outlet, b.date, b.reliability, b.confidential, b.title) == (
        "Ministry of Foreign Affairs", "2025-08", "A", True, "Briefing")  # title from the PDF itself
    c = case.source(docs[str(d / "c.txt")].source_id)
    # listed with nothing said: the flag's grade, and an outlet nobody stated is unknown, not "c.txt"
    assert (c.outlet, c.reliability, c.url, c.date) == ("unknown", "D", None, None)
    assert docs[str(d / "c.txt")].outlet is None

    # flags describe documents that say nothing themselves
    e = tmp_path / "loose"
    e.mkdir()
    (e / "x.txt").write_text("Moscow said it would never accept NATO troops in Ukraine.", encoding="utf-8")
    ingest([e / "x.txt"], "talks", store, extractor=ingest_fakes.extract, outlet="Kyiv Independent",
           url="https://kyiv.example/x", title="Moscow says never", date="2025-09-01", reliability="C")
    x = store.load_case("talks").source(docs_by_path(store)[str(e / "x.txt")].source_id)
    assert (x.outlet, x.url, x.title, x.date, x.reliability) == (
        "Kyiv Independent", "https://kyiv.example/x", "Moscow says never", "2025-09-01", "C")


@pytest.mark.parametrize("content, message", [
    ("url,outlet\nhttps://x.example,Wire\n", ":1: the header has no `file` column"),
    ("file,outlet,colour\na.txt,Wire,red\n", ":1: unknown column(s) colour"),
    ("file,date\na.txt,12/08/2025\n", ":2 [date]"),
    ("file,reliability\na.txt,G\n", ":2 [reliability]"),
    ("file,url\na.txt,javascript:alert(1)\n", ":2 [url]"),
    ("file,confidential\na.txt,maybe\n", ":2 [confidential]"),
    ("file\na.txt\na.txt\n", ":3 [file]"),
])
def test_a_bad_manifest_stops_the_run_before_anything_is_stored(store, tmp_path, content, message):
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        ingest([tmp_path], "talks", store, extractor=ingest_fakes.extract)
    assert message in str(err.value) and str(tmp_path / "manifest.csv") in str(err.value)
    assert docs_by_path(store) == {}


def test_only_the_types_asked_for_are_read_and_the_rest_is_reported(tmp_path):
    for name in ("a.txt", "b.md", "c.html", "d.docx"):
        (tmp_path / name).write_text(ARTICLE_A, encoding="utf-8")
    items = list(iter_documents([tmp_path], types=parse_types("txt,html")))
    read = {Path(i.path).name for i in items if isinstance(i, (RawDocument, Problem))}
    skipped = {Path(i.path).name: i.kind for i in items if isinstance(i, Skipped)}
    assert read == {"a.txt", "c.html"}
    assert skipped == {"b.md": "not-asked-for", "d.docx": "unsupported"}
    with pytest.raises(ValueError, match="unknown type"):
        parse_types("txt,docx")


def test_cli_says_what_it_skipped(db_url, tmp_path):
    from typer.testing import CliRunner

    from accord.cli.main import app

    Store(db_url).save_case(small_case())
    tmp_path = tmp_path / "docs"  # the SQLite file lives beside: keep it out of the folder read
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "notes.md").write_text("To do: call the ministry.", encoding="utf-8")
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04")
    base = ["ingest", str(tmp_path), "--case", "talks", "--db", db_url, "--extractor", "ingest_fakes:extract",
            "--types", "txt"]
    res = CliRunner().invoke(app, base + ["--json"])
    assert res.exit_code == 0, res.output
    assert "not read: 2 file(s): 1 of a type not asked for (--types), 1 of an unsupported type" in res.output
    out = json.loads(res.output.strip().splitlines()[-1])
    assert out["extracted"] == 1 and out["skipped"] == 2
    assert {Path(f["path"]).name for f in out["skipped_files"]} == {"notes.md", "table.xlsx"}
    res = CliRunner().invoke(app, base + ["--verbose"])
    assert "notes.md" in res.output and "not asked for" in res.output
    res = CliRunner().invoke(app, base[:-1] + ["docx"])
    assert res.exit_code == 2 and "unknown type" in res.output


def test_a_nul_character_does_not_stop_the_run_on_either_store(store, tmp_path):
    """Issue 11 item 9: PostgreSQL refuses NUL in text; the reader removes it, with a note, so
    both stores keep the same text and the run (and a rerun) goes past that document."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "1.txt").write_text(ARTICLE_A + "\x00", encoding="utf-8")
    (d / "2.txt").write_text(ARTICLE_B, encoding="utf-8")
    (d / "3.jsonl").write_text(json.dumps({"text": ARTICLE_C + "\u0000 end.", "title": "T\u0000itle",
                                           "outlet": "Wire\ud800"}) + "\n", encoding="utf-8")
    (d / "4.html").write_bytes(PAGE.format(
        a="Officials in Kyiv said a new round of talks on prisoner exchanges would open in Geneva next week, "
          "with Swiss mediators and observers from the Red Cross present for the first time.", c="\x00").encode())
    rep = ingest([d], "talks", store, extractor=ingest_fakes.extract)
    assert rep.failed == 0 and rep.extracted == 4
    docs = docs_by_path(store)
    one, three = docs[str(d / "1.txt")], docs[f"{d / '3.jsonl'}:1"]
    assert one.text == ARTICLE_A and "1 NUL character removed" in one.note
    assert three.title == "Title" and "\x00" not in three.text and "surrogate" in three.note
    assert "NUL" in docs[str(d / "4.html")].note
    assert store.load_case("talks").source(three.source_id).outlet == "Wire\ufffd"
    again = ingest([d], "talks", store, extractor=ingest_fakes.extract)
    assert (again.already, again.failed) == (4, 0)
    # UTF-16 (NUL in every other byte) is still refused as binary, not stripped into garbage
    (d / "5.txt").write_bytes(ARTICLE_A.encode("utf-16-le"))
    assert "binary" in next(iter_documents([d / "5.txt"])).reason


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out |= {int(x) for x in fh.read().split()}
    except OSError:
        pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_kill_9_of_a_run_with_workers_leaves_no_worker_behind(tmp_path):
    """Issue 11 item 11: the workers of `ingest --workers 2` die with their parent."""
    db = f"sqlite:///{tmp_path / 'k.db'}"
    Store(db).save_case(small_case())
    d = tmp_path / "in"
    d.mkdir()
    for i in range(40):
        (d / f"{i:02d}.txt").write_text(f"SLOW. Kyiv rejected NATO limits in statement {i}.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    proc = subprocess.Popen([sys.executable, "-m", "accord.cli.main", "ingest", str(d), "--case", "talks",
                             "--db", db, "--extractor", "ingest_fakes:extract", "--workers", "2"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline and len(workers) < 2:
        workers = {c for c in _children(proc.pid) if _alive(c)}
        time.sleep(0.05)
    assert len(workers) >= 2, "the run never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them running if the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers {left} outlived the killed run"
