"""The store's boundary on SQLite and PostgreSQL (issue 11, items 3 and 9): edits must name what
the case has, and what either database cannot hold is refused the same way on both, with a
field-level message, leaving the store and the audit log unchanged."""

from __future__ import annotations

import pytest
from store_helpers import TINY, cli, ingest_one

from accord import review as rv
from accord.case.folder import read_case
from accord.store import Document, NewCandidate, Refused, Store


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.save_case(read_case(TINY), actor="ann")
    yield s
    s.engine.dispose()


def refused(store: Store, fn) -> list[tuple[str, str]]:
    """Run a write that must be refused; check nothing changed; its problems."""
    case, audit_rows = store.load_case("tiny"), store.audit.entries()[1]
    with pytest.raises(Refused) as exc:
        fn()
    assert store.load_case("tiny") == case and store.audit.entries()[1] == audit_rows
    return exc.value.problems


@pytest.mark.parametrize("field, value, problem", [
    ("actor", "ZZZ", "unknown actor 'ZZZ': use an id of this case's actors"),
    ("speaker", "nobody", "unknown actor 'nobody': use an id of this case's actors"),
    ("issue", "borderr", "unknown issue 'borderr': use an id of this case's issues"),
    ("source", "wire-9", "unknown source 'wire-9': use an id of this case's sources"),
    ("actor", "aa-leader", "'aa-leader' is a person: put the person in `speaker` and the actor they speak for in `actor`"),
])
def test_an_edit_naming_what_the_case_lacks_is_refused_by_field(store, field, value, problem):
    item, version = store.get_record("tiny", "statement", "s2")
    assert refused(store, lambda: store.update_record(
        "tiny", "statement", item.model_copy(update={field: value}), version, actor="ann")) == [(field, problem)]


def test_other_kinds_are_checked_too(store):
    event, v = store.get_record("tiny", "event", "e1")
    assert refused(store, lambda: store.update_record("tiny", "event", event.model_copy(update={"actors": ["AAA", "QQQ"]}),
                                                      v, actor="ann"))[0][0] == "actors"
    actor, v = store.get_record("tiny", "actor", "AAA")
    problems = refused(store, lambda: store.update_record(
        "tiny", "actor", type(actor).model_validate(actor.model_dump() | {"kind": "person", "speaks_for": "BBB"}), v, actor="ann"))
    assert problems[0][0] == "kind" and "a person can only be a speaker" in problems[0][1]
    src = store.get_record("tiny", "source", "wire-1")[0].model_copy(update={"id": "AAA"})
    problems = refused(store, lambda: store.add_record("tiny", "source", src, actor="ann"))
    assert problems == [("id", "'AAA' is already the id of an actor in this case")]


def test_what_the_store_holds_always_exports_as_a_valid_folder(store, tmp_path):
    item, version = store.get_record("tiny", "statement", "s2")
    store.update_record("tiny", "statement", item.model_copy(update={"speaker": None, "issue": "sanctions"}),
                        version, actor="ann")
    ingest_one(store)
    rv.accept(store, "tiny", "k1", reviewer="ana", expected_version=1)
    res = cli("case", "export", "tiny", str(tmp_path / "out"), "--db", str(store.engine.url.render_as_string(False)))
    assert res.exit_code == 0, res.output
    res = cli("case", "validate", str(tmp_path / "out"))
    assert res.exit_code == 0, res.output


# Values one database would take and the other refuse: both refuse them, in the same words.
def bad_statements(store):
    item, _ = store.get_record("tiny", "statement", "s2")
    fields = item.model_dump()
    yield "summary", item.model_construct(**(fields | {"summary": "a\x00b"})), "contains a NUL character"
    yield "position", item.model_construct(**(fields | {"position": float("inf")})), "finite number"
    yield "id", item.model_construct(**(fields | {"id": "s" * 5000})), "at most 200 characters"


def test_nul_long_ids_and_non_finite_numbers_are_refused_alike(store):
    for field, bad, message in bad_statements(store):
        problems = refused(store, lambda bad=bad: store.update_record("tiny", "statement", bad, 1, actor="ann"))
        assert any(f == field and message in m for f, m in problems), (field, problems)
        problems = refused(store, lambda bad=bad: store.add_record("tiny", "statement", bad, actor="ann"))
        assert any(f == field and message in m for f, m in problems), (field, problems)
    case = read_case(TINY)
    bad = next(bad_statements(store))[1]
    problems = refused(store, lambda: store.save_case(case.model_construct(
        **(dict(case) | {"statements": [bad]})), actor="ann"))
    assert problems == [("summary", "contains a NUL character")]


def test_a_document_or_candidate_the_store_cannot_hold_is_refused_before_writing(store):
    def add(doc: Document, cands: list[NewCandidate]):
        with store.write("ingest", "ingest.document", case_id="tiny") as tx:
            tx.add_document(doc)
            tx.add_candidates(cands)
    doc = Document(case_id="tiny", id="d" * 64, text="one NUL \x00 here", status="extracted")
    assert refused(store, lambda: add(doc, [])) == [("text", "contains a NUL character")]
    ok = Document(case_id="tiny", id="d" * 64, text="fine", status="extracted", language="e" * 40)
    assert refused(store, lambda: add(ok, [])) == [("language", "is 40 characters; the store holds at most 16")]
    ok = Document(case_id="tiny", id="d" * 64, text="fine", status="extracted")
    cand = NewCandidate(id="k", document_id="d" * 64, kind="statement", start=2 ** 63, data={"x": float("nan")})
    assert sorted(refused(store, lambda: add(ok, [cand]))) == [
        ("data.x", "nan is not a finite number"),
        ("start", f"{2 ** 63} is outside the range the store holds (-2147483648 to 2147483647)")]
    assert store.document("tiny", "d" * 64) is None


def test_review_edits_and_accepts_are_refused_alike(store):
    ingest_one(store)
    with pytest.raises(rv.ReviewError, match=r"\[data.summary\] contains a NUL character"):
        rv.edit(store, "tiny", "k1", {"summary": "x\x00y"}, reviewer="ana", expected_version=1)
    assert rv.get_candidate(store, "tiny", "k1").version == 1


def test_lookups_by_keys_no_row_can_have_answer_not_found_on_both_stores(store):
    """A NUL in an id from a URL made PostgreSQL fail (500) where SQLite said "not found"."""
    from accord.store import CaseNotFound
    from accord.web import auth

    nul = "s2\x00"
    with pytest.raises(KeyError):
        store.get_record("tiny", "statement", nul)
    with pytest.raises(CaseNotFound):
        store.load_case(nul)
    with pytest.raises(KeyError):
        rv.get_candidate(store, "tiny", nul)
    with pytest.raises(KeyError):
        rv.accept(store, "tiny", nul, reviewer="ana", expected_version=1)
    assert store.case_meta(nul) is None and store.case_stamp(nul) is None
    assert store.document("tiny", nul) is None and store.document_meta(nul, "x") is None
    assert store.documents_for_source("tiny", nul) == [] and store.candidates(nul) == []
    assert store.candidate_spans("tiny", [nul]) == [] and store.audit.entries(case_id=nul) == ([], 0)
    assert store.users.by_name(nul) is None and store.users.by_name("a" * 101) is None
    assert store.users.get(2 ** 40) is None
    assert auth.login(store, "ann\x00", "whatever password", "10.0.0.9").user is None
    with pytest.raises(Refused), store.write("ann", "test", case_id=nul):
        pass
    # Page numbers past what BIGINT holds are just empty pages.
    assert store.candidates("tiny", offset=2 ** 70) == [] and store.audit.entries(offset=2 ** 70)[0] == []
