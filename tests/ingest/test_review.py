"""Review through the real CLI and the API the web workspace calls, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import ingest_fakes
import pytest
from test_ingest import small_case
from typer.testing import CliRunner

from accord import review as rv
from accord.case.folder import read_case, write_case
from accord.cli.main import app
from accord.ingest import ingest
from accord.positions import derive_positions
from accord.store import StaleWrite, Store

DOC = ("2025-08-12\nTalks in Istanbul\n"
       "Kyiv said NATO membership is its goal. "
       "Dmitry Peskov said neutrality is the only option for NATO talks. "
       "Moscow wants the whole of Donetsk. "
       "This contradicts the line taken in July.")


def ingested(db_url, tmp_path, doc=DOC):
    """A store holding the small case and the candidates the fake extractor finds in `doc`."""
    s = Store(db_url)
    s.save_case(small_case())
    (tmp_path / "d.txt").write_text(doc, encoding="utf-8")
    ingest([tmp_path / "d.txt"], "talks", s, extractor=ingest_fakes.extract)
    return s


@pytest.fixture
def setup(db_url, tmp_path):
    s = ingested(db_url, tmp_path)
    yield s, db_url
    s.engine.dispose()


def cli(db_url, *args, input=None):
    return CliRunner().invoke(app, ["review", "talks", "--db", db_url, "--reviewer", "ana", *args], input=input)


def queue(db_url):
    res = cli(db_url, "--list", "--json")
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]


def positions(store):
    return {(p.actor, p.issue): p.ideal for p in derive_positions(store.load_case("talks"), "2025-12-31")}


def test_accept_reject_edit_merge_via_cli(setup, tmp_path):
    store, url = setup
    items = queue(url)
    by = {(i["kind"], i.get("actor") or i.get("speaker")): i for i in items}
    ukr, peskov = by[("statement", "UKR")], by[("statement", "Dmitry Peskov")]
    rus_territory = by[("statement", "RUS")]
    assert positions(store) == {}

    # Rejecting changes nothing in the analysis.
    res = cli(url, "--reject", rus_territory["id"])
    assert res.exit_code == 0, res.output
    assert positions(store) == {}

    # Accepting a positioned statement creates an accepted ideal statement cited to the document.
    res = cli(url, "--accept", ukr["id"])
    assert res.exit_code == 0, res.output
    case = store.load_case("talks")
    st = case.statements[0]
    assert (st.actor, st.issue, st.role, st.position, st.status, st.stance) == ("UKR", "nato", "ideal", 10.0, "accepted", "REQUEST")
    assert st.locator == f"chars {ukr['start']}-{ukr['end']}" and st.quote is None and st.summary.startswith("Kyiv said NATO")  # a reporter's sentence: no quote
    # Cited to the source ingest made for the document, dated by the document.
    assert st.source == store.document("talks", ukr["document"]).source_id and case.source(st.source)
    assert st.date == "2025-08-12"
    assert positions(store) == {("UKR", "nato"): 10.0}

    # An unknown speaker cannot be accepted until the name is merged into an actor.
    res = cli(url, "--accept", peskov["id"])
    assert res.exit_code == 1 and "Dmitry Peskov" in res.output and "merge" in res.output
    res = cli(url, "--merge-alias", "Dmitry Peskov", "--into", "peskov")
    assert res.exit_code == 0, res.output
    assert "Dmitry Peskov" in store.load_case("talks").actor("peskov").aliases
    # Edit before accepting: the reviewer reads the scale differently.
    res = cli(url, "--edit", peskov["id"], "--set", "position=80", "--set", "role=fallback")
    assert res.exit_code == 0, res.output
    assert cli(url, "--edit", peskov["id"], "--set", "position=180").exit_code == 1  # validated
    res = cli(url, "--accept", peskov["id"])
    assert res.exit_code == 0, res.output
    st = next(s for s in store.load_case("talks").statements if s.speaker == "peskov")
    assert (st.actor, st.role, st.position) == ("RUS", "fallback", 80.0)  # the person speaks for RUS
    assert positions(store) == {("UKR", "nato"): 10.0, ("RUS", "nato"): 80.0}

    # The contradiction links the records of the accepted items it overlaps or names.
    contra = by[("contradiction", None)]
    res = cli(url, "--accept", contra["id"])
    assert res.exit_code == 0, res.output
    c = store.load_case("talks").contradictions[0]
    assert set(c.items) == {rv.record_id_for(ukr["id"]), rv.record_id_for(peskov["id"])}

    # Everything accepted keeps the case folder valid: export, read back, same evidence.
    write_case(store.load_case("talks"), tmp_path / "export")
    back = read_case(tmp_path / "export")
    assert len(back.statements) == 2 and len(back.contradictions) == 1
    listed = {i["id"]: i["status"] for i in json.loads("[" + ",".join(
        ln for ln in cli(url, "--list", "--all", "--json").stdout.splitlines() if ln.startswith("{")) + "]")}
    assert listed[ukr["id"]] == "accepted" and listed[rus_territory["id"]] == "rejected"


def test_interactive_review(setup):
    store, url = setup
    first, second = queue(url)[:2]
    res = cli(url, input="a\nx\nq\n")
    assert res.exit_code == 0, res.output
    assert "Kyiv said NATO membership" in res.output  # the sentence in its context
    got = {c.id: c.status for c in rv.list_candidates(store, "talks", status=None)}
    assert got[first["id"]] == "accepted" and got[second["id"]] == "rejected"


def test_stale_write_between_two_reviewers(setup):
    store, _ = setup
    cand = rv.list_candidates(store, "talks")[0]
    # Both reviewers read version 1; the first to save wins, the second is told, not overwritten.
    rv.edit(store, "talks", cand.id, {"position": "20"}, reviewer="ana", expected_version=cand.version)
    with pytest.raises(StaleWrite):
        rv.accept(store, "talks", cand.id, reviewer="ben", expected_version=cand.version)
    with pytest.raises(StaleWrite):
        rv.reject(store, "talks", cand.id, reviewer="ben", expected_version=cand.version)
    fresh = rv.get_candidate(store, "talks", cand.id)
    assert fresh.status == "pending" and fresh.data["position"] == 20.0 and fresh.reviewer == "ana"
    assert store.load_case("talks").statements == []


def test_an_edited_holder_keeps_the_one_the_extractor_proposed_for_the_review_model(setup):
    from accord.cli.review_learn import Learner

    store, _ = setup
    cand = next(c for c in rv.list_candidates(store, "talks") if c.data.get("actor") == "UKR")
    cand = rv.edit(store, "talks", cand.id, {"actor": "RUS"}, reviewer="ana", expected_version=cand.version)
    cand = rv.edit(store, "talks", cand.id, {"actor": "UKR"}, reviewer="ana", expected_version=cand.version)
    assert cand.data["actor"] == "UKR" and cand.data["extracted_actor"] == "UKR"  # the first proposal, kept
    cand = rv.edit(store, "talks", cand.id, {"actor": "RUS"}, reviewer="ana", expected_version=cand.version)
    rv.accept(store, "talks", cand.id, reviewer="ana", expected_version=cand.version)
    learner = Learner(store, "talks")
    assert learner.refit() == 1
    (example,) = learner.model.examples
    assert (example.actor, example.proposed, example.extracted) == ("RUS", "UKR", "UKR")


def test_every_review_write_leaves_one_audit_row_in_its_transaction(setup):
    store, url = setup
    log = []
    cand, other = rv.list_candidates(store, "talks")[:2]
    start = store.audit.entries(case_id="talks")[1]  # the import and ingest wrote theirs
    res = rv.accept(store, "talks", cand.id, reviewer="ana", expected_version=1,
                    on_change=lambda b, a: log.append((b, a)))
    entries, total = store.audit.entries(case_id="talks")
    assert total == start + 1 and entries[0].action == "review.accept" and entries[0].username == "ana"
    assert entries[0].record_id == cand.id and entries[0].before["status"] == "pending"
    assert entries[0].after["status"] == "accepted"
    assert [r["id"] for r in entries[0].after["records"]] == [i for _, i in res.records]
    assert log == [(entries[0].before, entries[0].after)]  # told after the commit, with the same row
    # A refused write leaves nothing: neither the change nor an audit row.
    with pytest.raises(StaleWrite):
        rv.reject(store, "talks", other.id, reviewer="ana", expected_version=99)
    assert store.audit.entries(case_id="talks")[1] == start + 1
    # The CLI's writes are audited the same way (issue 11: CLI writes left no row).
    assert cli(url, "--reject", other.id).exit_code == 0
    latest = store.audit.entries(case_id="talks")[0][0]
    assert (latest.action, latest.username, latest.record_id) == ("review.reject", "ana", other.id)


def test_bulk_auto_accept_is_recorded_as_automatic(setup):
    store, url = setup
    res = cli(url, "--auto-accept", "0.85")
    assert res.exit_code == 0, res.output
    acc = rv.list_candidates(store, "talks", status="accepted")
    # UKR (0.9) is accepted; the 0.9 Peskov statement waits for its alias: reported, not forced.
    assert [c.data["actor"] for c in acc] == ["UKR"] and all(c.auto_accepted for c in acc)
    assert "Dmitry Peskov" in res.output


def test_reimport_after_ingest_and_cli_review_loses_nothing(setup, tmp_path):
    """Issue 11's reproduction: import, ingest, `review --accept`, import the folder again."""
    store, url = setup
    folder = tmp_path / "talks"
    write_case(small_case(), folder)
    ukr = next(i for i in queue(url) if i.get("actor") == "UKR")
    assert cli(url, "--accept", ukr["id"]).exit_code == 0
    accepted, version = store.get_record("talks", "statement", rv.record_id_for(ukr["id"]))
    res = CliRunner().invoke(app, ["case", "import", str(folder), "--db", url])
    assert res.exit_code == 0, res.output
    case = store.load_case("talks")
    assert store.get_record("talks", "statement", accepted.id) == (accepted, version)  # same evidence, same version
    document = store.document("talks", ukr["document"])
    assert case.source(document.source_id)  # the document still has its source
    assert rv.get_candidate(store, "talks", ukr["id"]).status == "accepted"
    assert positions(store) == {("UKR", "nato"): 10.0}
    write_case(case, tmp_path / "out")
    assert read_case(tmp_path / "out") == case  # and it exports as a valid folder

