"""An auto-accepted record is marked unreviewed (issue 9 item 5), on SQLite and PostgreSQL: the flag
survives export → import, its position says so, and a person's edit confirms it."""

from __future__ import annotations

import shutil

import pytest
from store_helpers import TINY, ingest_one

from accord import review as rv
from accord import review_history as rh
from accord.case.folder import read_case, write_case
from accord.positions import derive_positions
from accord.store import Store


@pytest.fixture
def store(db_url, tmp_path):
    s = Store(db_url)
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    s.save_case(read_case(folder), actor="test")
    return s


def _position(case):
    return next(p for p in derive_positions(case, "2025-09-30") if p.actor == "AAA" and p.issue == "border")


def test_auto_accept_is_unreviewed_and_round_trips(store, tmp_path):
    ingest_one(store)
    done, left = rv.auto_accept(store, "tiny", 0.5, reviewer="ingest")
    assert not left and done
    st, _ = store.get_record("tiny", "statement", rv.record_id_for("k1"))
    assert st.reviewed is False
    assert _position(store.load_case("tiny")).unreviewed == 1

    out = tmp_path / "export"
    write_case(store.load_case("tiny"), out)
    header = (out / "statements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "reviewed" in header.split(",")
    back = read_case(out)
    assert next(s for s in back.statements if s.id == st.id).reviewed is False
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    other.save_case(back, actor="test")
    assert other.get_record("tiny", "statement", st.id)[0].reviewed is False

    rh.edit_record(store, "tiny", "statement", st.id, {"position": "55"}, reviewer="analyst")
    assert store.get_record("tiny", "statement", st.id)[0].reviewed is True
    assert _position(store.load_case("tiny")).unreviewed == 0


def test_a_person_accepts_reviewed_and_hand_coded_folders_export_unchanged(store, tmp_path):
    ingest_one(store)
    cand = store.get_candidate("tiny", "k1")
    rv.accept(store, "tiny", "k1", reviewer="analyst", expected_version=cand.version)
    st, _ = store.get_record("tiny", "statement", rv.record_id_for("k1"))
    assert st.reviewed is True and st.quote is None  # the sentence is the summary, not a quote
    assert "Aland would now settle" in st.summary
    write_case(store.load_case("tiny"), tmp_path / "export")
    assert "reviewed" not in (tmp_path / "export" / "statements.csv").read_text(encoding="utf-8").splitlines()[0]
