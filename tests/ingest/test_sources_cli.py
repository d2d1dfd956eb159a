"""`accord sources list|edit|withdraw|restore` on both stores: edits audited, a withdrawn
document and its evidence leave the analysis but stay in the store and the audit log."""

from __future__ import annotations

import json

import ingest_fakes
import pytest
from test_ingest import small_case
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ingest import ingest
from accord.positions import derive_positions
from accord.store import Store

UKR = ("2025-08-01\nKyiv rejected neutrality and said NATO membership remains its goal. "
       "Ukraine said the 19 percent figure was wrong. This contradicts what Kyiv said before.")
RUS = "2025-08-02\nMoscow demanded neutrality and no NATO membership. Russia said so again."


@pytest.fixture
def setup(db_url, tmp_path):
    s = Store(db_url)
    s.save_case(small_case())
    d = tmp_path / "in"
    d.mkdir()
    (d / "ukr.txt").write_text(UKR, encoding="utf-8")
    (d / "rus.txt").write_text(RUS, encoding="utf-8")
    ingest([d], "talks", s, extractor=ingest_fakes.extract, auto_accept=0.85)
    yield s, db_url, d
    s.engine.dispose()


def run(*args: str):
    return CliRunner().invoke(app, ["sources", *args])


def positions(store) -> dict:
    return {(p.actor, p.issue): p.ideal for p in derive_positions(store.load_case("talks"), "2025-12-31")}


def listed(db_url) -> list[dict]:
    res = run("list", "talks", "--db", db_url, "--json")
    assert res.exit_code == 0, res.output
    return [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]


def test_withdraw_and_restore(setup):
    store, db_url, d = setup
    before_case = store.load_case("talks")
    before = positions(store)
    assert before == {("UKR", "nato"): 10.0, ("RUS", "nato"): 90.0}
    ukr = next(e for e in listed(db_url) if e["documents"][0]["path"] == str(d / "ukr.txt"))
    src = ukr["source"]["id"]
    cited = {s.id for s in before_case.statements if s.source == src}
    assert cited and ukr["documents"][0]["candidates"].get("pending")

    res = run("withdraw", "talks", str(d / "ukr.txt"), "--db", db_url, "--reason", "fabricated quote",
              "--actor", "cli:tester")
    assert res.exit_code == 0, res.output
    case = store.load_case("talks")
    assert src not in {s.id for s in case.sources} and not cited & {s.id for s in case.statements}
    assert positions(store) == {("RUS", "nato"): 90.0}  # the analysis no longer sees it
    # still in the store: the document, its text, its candidates (pending ones out of the queue)
    entry = next(e for e in listed(db_url) if e["source"]["id"] == src)
    assert entry["withdrawn"] and entry["documents"][0]["withdrawn"]["reason"] == "fabricated quote"
    assert "pending" not in entry["documents"][0]["candidates"] and entry["documents"][0]["candidates"]["withdrawn"]
    assert all(c.document_id != entry["documents"][0]["id"] for c in store.candidates("talks"))
    log, _ = store.audit.entries(case_id="talks", action="document.withdraw")
    assert log[0].username == "cli:tester" and {r["id"] for r in log[0].before["records"]} >= cited | {src}
    # a second withdrawal is refused; edits wait for the restore
    assert run("withdraw", "talks", src, "--db", db_url).exit_code == 1
    assert "restore" in run("edit", "talks", src, "--set", "outlet=X", "--db", db_url).output

    res = run("restore", "talks", src, "--db", db_url)
    assert res.exit_code == 0, res.output
    after = store.load_case("talks")
    assert positions(store) == before
    assert {s.id for s in after.statements} == {s.id for s in before_case.statements}
    assert {c.id for c in after.contradictions} == {c.id for c in before_case.contradictions}
    assert [c.id for c in store.candidates("talks")] == [c.id for c in store.candidates("talks", status="pending")]
    assert len(store.audit.entries(case_id="talks", action="document.restore")[0]) == 1
    assert run("restore", "talks", src, "--db", db_url).exit_code == 1  # not withdrawn any more


def test_edit_is_checked_and_audited(setup):
    store, db_url, d = setup
    src = next(e["source"]["id"] for e in listed(db_url) if e["documents"][0]["path"] == str(d / "rus.txt"))
    assert store.get_record("talks", "source", src)[0].outlet == "unknown"  # nobody said: never the file name
    res = run("edit", "talks", src, "--set", "outlet=TASS", "--set", "reliability=c3", "--set",
              "url=https://tass.example/1", "--set", "date=2025-08-02", "--db", db_url)
    assert res.exit_code == 0, res.output
    s, version = store.get_record("talks", "source", src)
    assert (s.outlet, s.reliability, s.credibility, s.url, s.date, version) == (
        "TASS", "C", 3, "https://tass.example/1", "2025-08-02", 2)
    doc = store.document("talks", store.documents_for_source("talks", src)[0].id)
    assert (doc.outlet, doc.url) == ("TASS", "https://tass.example/1")  # the document's copy follows
    log, _ = store.audit.entries(case_id="talks", action="source.edit")
    assert (log[0].before["outlet"], log[0].after["outlet"]) == ("unknown", "TASS")
    for bad, field in (("reliability=Z", "reliability"), ("date=yesterday", "date"), ("colour=red", "colour")):
        res = run("edit", "talks", src, "--set", bad, "--db", db_url)
        assert res.exit_code == 1 and field in res.output, res.output
    assert store.get_record("talks", "source", src)[1] == 2  # refused edits changed nothing
    assert run("edit", "talks", "nope", "--set", "outlet=X", "--db", db_url).exit_code == 1


def test_a_contradiction_naming_withdrawn_evidence_leaves_with_it(db_url, tmp_path):
    s = Store(db_url)
    s.save_case(small_case())
    (tmp_path / "ukr.txt").write_text(UKR, encoding="utf-8")
    ingest([tmp_path / "ukr.txt"], "talks", s, extractor=ingest_fakes.extract, auto_accept=0.4)
    case = s.load_case("talks")
    assert case.contradictions and case.statements
    res = run("withdraw", "talks", str(tmp_path / "ukr.txt"), "--db", db_url)
    assert res.exit_code == 0, res.output
    gone = s.load_case("talks")
    assert not gone.contradictions and not gone.statements and not gone.figures
    assert run("restore", "talks", str(tmp_path / "ukr.txt"), "--db", db_url).exit_code == 0
    back = s.load_case("talks")
    assert back.model_dump() == case.model_dump()
    s.engine.dispose()
