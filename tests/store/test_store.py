"""The store on SQLite and PostgreSQL: round-trip, atomic replace, stale writes refused."""

from pathlib import Path

import pytest

from accord.case.folder import read_case
from accord.store import Refused, StaleWrite, Store

TINY = Path(__file__).parents[1] / "data" / "tiny-case"


def test_case_round_trips_through_store(db_url):
    case = read_case(TINY)
    store = Store(db_url)
    store.save_case(case)
    assert store.case_ids() == [case.meta.id]
    assert store.load_case(case.meta.id) == case


def test_save_is_atomic(db_url):
    case = read_case(TINY)
    store = Store(db_url)
    store.save_case(case)
    broken = case.model_copy(update={"statements": case.statements + [case.statements[0]]})  # duplicate key
    with pytest.raises(Refused, match="appears twice"):
        store.save_case(broken)
    assert store.load_case(case.meta.id) == case


def test_second_editor_is_told(db_url):
    case = read_case(TINY)
    store = Store(db_url)
    store.save_case(case)
    sid = case.statements[0].id
    item, version = store.get_record(case.meta.id, "statement", sid)
    store.update_record(case.meta.id, "statement", item.model_copy(update={"summary": "first"}), version)
    with pytest.raises(StaleWrite):
        store.update_record(case.meta.id, "statement", item.model_copy(update={"summary": "second"}), version)
    assert store.get_record(case.meta.id, "statement", sid)[0].summary == "first"


def test_reimport_keeps_ingested_documents_and_prunes_only_when_asked(db_url, tmp_path):
    from accord.store import Document

    case = read_case(TINY)
    store = Store(db_url)
    store.save_case(case)
    with store.write("ann", "test.document", case_id="tiny") as tx:
        tx.add_document(Document(case_id="tiny", id="d" * 64, text="x", status="extracted"))
    fewer = case.model_copy(update={"statements": case.statements[:2]})
    result = store.save_case(fewer)
    assert store.document("tiny", "d" * 64) is not None
    assert len(store.load_case("tiny").statements) == len(case.statements)  # nothing deleted unasked
    assert sorted(result.kept) == [f"statement:{s.id}" for s in case.statements[2:]]
    result = store.save_case(fewer, prune=True, backup_dir=tmp_path)
    assert len(store.load_case("tiny").statements) == 2 and result.backup
    assert store.document("tiny", "d" * 64) is not None


def test_the_case_stamp_moves_with_every_write_and_only_then(db_url):
    from accord import review as rv
    from accord.store import Document, NewCandidate

    store = Store(db_url)
    store.save_case(read_case(TINY))
    stamps = [store.case_stamp("tiny")]
    store.load_case("tiny")
    assert store.case_stamp("tiny") == stamps[-1]  # reads leave it
    with store.write("ann", "test.document", case_id="tiny") as tx:
        tx.add_document(Document(case_id="tiny", id="d" * 64, text="Aland spoke.", status="extracted",
                                 source_id="wire-1", date="2025-09-01"))
        tx.add_candidates([NewCandidate(id="k1", document_id="d" * 64, kind="statement", data={})])
    stamps.append(store.case_stamp("tiny"))
    rv.reject(store, "tiny", "k1", reviewer="ann", expected_version=1)  # a candidate only, no record
    stamps.append(store.case_stamp("tiny"))
    store.save_case(read_case(TINY))  # an identical re-import is still a revision
    stamps.append(store.case_stamp("tiny"))
    assert len(set(stamps)) == 4 and store.case_stamp("nope") is None
