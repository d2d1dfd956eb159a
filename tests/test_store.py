"""The store on SQLite and PostgreSQL: round-trip, atomic replace, stale writes refused."""

from pathlib import Path

import pytest

from accord.case.folder import read_case
from accord.store import StaleWrite, Store

TINY = Path(__file__).parent / "data" / "tiny-case"


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
    with pytest.raises(Exception):
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


def test_reimport_keeps_ingested_documents(db_url):
    from sqlalchemy import func, insert, select

    from accord.store import schema

    case = read_case(TINY)
    store = Store(db_url)
    store.save_case(case)
    with store.engine.begin() as conn:
        conn.execute(insert(schema.documents).values(case_id="tiny", id="d" * 64, text="x", status="extracted"))
    store.save_case(case.model_copy(update={"statements": case.statements[:2]}))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.documents)).scalar() == 1
    assert len(store.load_case("tiny").statements) == 2
