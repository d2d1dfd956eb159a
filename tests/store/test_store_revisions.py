"""Re-import is a new revision (issue 11, items 1 and 2), on SQLite and PostgreSQL: reviewed and
ingested evidence survives, versions never go back, --dry-run shows the diff, --prune deletes only
after a backup that `accord restore` reads back."""

from __future__ import annotations

import shutil

import pytest
from store_helpers import TINY, cli, ingest_one

from accord import review as rv
from accord.case.folder import read_case, write_case
from accord.store import Refused, StaleWrite, Store


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "tiny"
    shutil.copytree(TINY, dst)
    return dst


def edit_csv(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reimport_after_review_keeps_reviewed_evidence_and_ingested_sources(db_url, folder, tmp_path):
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    store = Store(db_url)
    doc_id = ingest_one(store)
    rv.accept(store, "tiny", "k1", reviewer="ana", expected_version=1)
    res = cli("case", "import", str(folder), "--db", db_url)
    assert res.exit_code == 0, res.output
    case = store.load_case("tiny")
    st = next(s for s in case.statements if s.id == rv.record_id_for("k1"))
    source_id = store.document("tiny", doc_id).source_id
    assert st.source == source_id and case.source(source_id)  # the document still points at its source
    assert rv.get_candidate(store, "tiny", "k1").status == "accepted"
    assert "statement:c-k1 kept: reviewed evidence" in res.output
    # And the case still exports as a folder `case validate` accepts.
    write_case(case, tmp_path / "out")
    assert cli("case", "validate", str(tmp_path / "out")).exit_code == 0
    # Even --prune keeps them: the folder does not know reviewed or ingested evidence.
    res = cli("case", "import", str(folder), "--db", db_url, "--prune", "--backup-dir", str(tmp_path / "bk"))
    assert res.exit_code == 0, res.output
    assert {rv.record_id_for("k1")} <= {s.id for s in store.load_case("tiny").statements}
    assert store.load_case("tiny").source(source_id)
    store.engine.dispose()


def test_reimport_keeps_versions_monotonic_so_an_open_page_gets_a_conflict(db_url, folder):
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    store = Store(db_url)
    opened, version = store.get_record("tiny", "statement", "s2")  # a page opened before the re-import
    assert version == 1
    edit_csv(folder / "statements.csv", "Aland now asks for the northern half only", "Aland asks for the north")
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    assert store.get_record("tiny", "statement", "s2")[1] == 2
    assert store.get_record("tiny", "statement", "s1")[1] == 1  # unchanged records keep theirs
    with pytest.raises(StaleWrite):
        store.update_record("tiny", "statement", opened.model_copy(update={"position": 70.0}), version, actor="ann")
    assert store.get_record("tiny", "statement", "s2")[0].summary == "Aland asks for the north"
    # What the import overwrote is in its audit row.
    entry = store.audit.entries(case_id="tiny", action="case.import")[0][0]
    assert entry.after["changed"] == ["statement:s2"] and entry.username.startswith("cli:")
    assert entry.before["records"]["statement:s2"] == opened.model_dump(mode="json")
    # A second identical import changes nothing, version included.
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    assert store.get_record("tiny", "statement", "s2")[1] == 2
    store.engine.dispose()


def test_dry_run_shows_the_diff_and_writes_nothing(db_url, folder):
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    store = Store(db_url)
    before, audit_rows = store.load_case("tiny"), store.audit.entries()[1]
    edit_csv(folder / "statements.csv", "Borduria could live with a freeze", "Borduria could accept a freeze")
    edit_csv(folder / "statements.csv", "s6,2025-06-01,AAA,,,sanctions,REQUEST,ideal,100,false,wire-1,,,Aland wants sanctions lifted,1,pending\n", "")
    with open(folder / "statements.csv", "a", encoding="utf-8") as fh:
        fh.write("s7,2025-09-03,BBB,,,border,REQUEST,ideal,10,false,wire-2,,,Borduria asks again,1,accepted\n")
    res = cli("case", "import", str(folder), "--db", db_url, "--dry-run")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert "+ statement:s7" in lines and "~ statement:s5 (summary)" in lines
    assert any(line.startswith("= statement:s6 kept") for line in lines)
    res = cli("case", "import", str(folder), "--db", db_url, "--dry-run", "--prune")
    assert "- statement:s6" in res.stdout.splitlines() and "nothing written" in res.output
    assert store.load_case("tiny") == before and store.audit.entries()[1] == audit_rows
    store.engine.dispose()


def test_prune_writes_a_backup_that_restore_reads_back(db_url, folder, tmp_path):
    assert cli("case", "import", str(folder), "--db", db_url).exit_code == 0
    store = Store(db_url)
    original = store.load_case("tiny")
    ingest_one(store)
    rv.accept(store, "tiny", "k1", reviewer="ana", expected_version=1)
    edit_csv(folder / "statements.csv", "s6,2025-06-01,AAA,,,sanctions,REQUEST,ideal,100,false,wire-1,,,Aland wants sanctions lifted,1,pending\n", "")
    res = cli("case", "import", str(folder), "--db", db_url)
    assert res.exit_code == 0 and any(s.id == "s6" for s in store.load_case("tiny").statements)  # no flag, no delete
    backups = tmp_path / "bk"
    res = cli("case", "import", str(folder), "--db", db_url, "--prune", "--backup-dir", str(backups))
    assert res.exit_code == 0, res.output
    assert not any(s.id == "s6" for s in store.load_case("tiny").statements)
    [backup] = list(backups.glob("tiny-rev*.json"))
    assert str(backup) in res.output.replace("\n", "")
    entry = store.audit.entries(case_id="tiny", action="case.import")[0][0]
    assert entry.after["deleted"] == ["statement:s6"] and entry.after["backup"] == str(backup)
    s2, v2 = store.get_record("tiny", "statement", "s2")
    store.update_record("tiny", "statement", s2.model_copy(update={"position": 75.0}), v2, actor="ann")
    res = cli("restore", str(backup), "--db", db_url)
    assert res.exit_code == 0, res.output
    restored = store.load_case("tiny")
    assert next(s for s in restored.statements if s.id == "s6") == next(s for s in original.statements if s.id == "s6")
    assert any(s.id == rv.record_id_for("k1") for s in restored.statements)
    assert store.audit.entries(case_id="tiny", action="case.restore")[1] == 1
    # A restore is a revision too: the edit since the backup is undone and the version moves on.
    assert store.get_record("tiny", "statement", "s2") == (s2, v2 + 2)
    res = cli("restore", str(tmp_path / "nope.json"), "--db", db_url)
    assert res.exit_code == 2 and "cannot be read" in res.output
    store.engine.dispose()


def test_a_merge_that_would_break_references_is_refused_whole(db_url, folder, tmp_path):
    store = Store(db_url)
    store.save_case(read_case(folder), actor="ann")
    ingest_one(store, own_source=False)  # a document cited to the folder's source wire-2
    rv.accept(store, "tiny", "k1", reviewer="ana", expected_version=1)
    case = read_case(folder)
    without = case.model_copy(update={
        "sources": [s for s in case.sources if s.id != "wire-2"],
        "statements": [s for s in case.statements if s.source != "wire-2"]})
    before = store.load_case("tiny")
    with pytest.raises(Refused) as exc:
        store.save_case(without, actor="ann", prune=True, backup_dir=tmp_path)
    assert ("statement:c-k1.source", "unknown source 'wire-2': use an id of this case's sources") in exc.value.problems
    assert store.load_case("tiny") == before and not list(tmp_path.glob("*.json"))
    store.engine.dispose()


def test_simultaneous_imports_of_one_case_run_one_after_the_other(db_url, folder):
    import threading

    store = Store(db_url)
    store.save_case(read_case(folder), actor="ann")
    case = read_case(folder)
    changed = case.model_copy(update={"statements": [s.model_copy(update={"summary": f"{s.summary}!"})
                                                     for s in case.statements]})
    barrier, errors = threading.Barrier(4), []

    def run() -> None:
        barrier.wait()
        try:
            store.save_case(changed, actor="ann")
        except Exception as exc:  # noqa: BLE001 — the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.case_stamp("tiny")[0] == 5  # five revisions, none lost
    assert store.get_record("tiny", "statement", "s1")[1] == 2  # changed once, then unchanged three times
    store.engine.dispose()


@pytest.mark.parametrize("field, value", [("origin", {}), ("kind", []), ("origin", None)])
def test_a_backup_record_with_a_malformed_kind_or_origin_is_refused_by_name(tmp_path, field, value):
    """Any JSON can stand where a damaged backup had a string: it is named, never a crash."""
    import json

    from accord.store.merge import BACKUP_FORMAT, read_backup

    rec = {"kind": "statement", "origin": "folder", "data": {}}
    rec[field] = value
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": BACKUP_FORMAT, "meta": {"id": "c", "title": "c"}, "records": [rec]}))
    with pytest.raises(Refused) as err:
        read_backup(path)
    assert "records.0" in str(err.value) and "kind and origin" in str(err.value)
