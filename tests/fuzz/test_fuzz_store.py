"""Fuzzing the store's own API and review: records added or replaced directly, candidates edited and accepted.

The store is the last line: it must refuse (`Refused`, `StaleWrite`, `KeyError` for a missing
record, `ReviewError` from review) whatever either database could not hold or what would break
the case — also for a record built without validation (`model_construct`, as a script might) — the
same way on both stores, writing nothing; and whatever it accepts must still export as a valid folder.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from fuzz_helpers import CLEAR_ERRORS, new_case_id, verdict
from fuzz_strategies import WRONG_VALUES
from hypothesis import given, note
from hypothesis import strategies as st
from sqlalchemy import insert
from web_helpers import TINY

from accord import review as rv
from accord.case.folder import CaseError, read_case, write_case
from accord.store import schema
from accord.store.kinds import KIND_MODELS

TINY_CASE = read_case(TINY)
ALLOWED = CLEAR_ERRORS + (KeyError, rv.ReviewError)
TEMPLATES = {
    "actor": TINY_CASE.actors[0], "issue": TINY_CASE.issues[0], "source": TINY_CASE.sources[0],
    "statement": TINY_CASE.statements[0], "event": TINY_CASE.events[0], "figure": TINY_CASE.figures[0],
    "salience": TINY_CASE.saliences[0], "contradiction": TINY_CASE.contradictions[0],
}
# What a script building records without validation could pass: mostly values of the field's own
# type that a store cannot hold or that break the case, sometimes a value of the wrong type (F3).
_BAD_TEXT = st.sampled_from(["a\x00b", "\x00", "i" * 201, "z" * 5000, "nobody", "AAA", "aa-leader", "border",
                             "wire-1", "s1", "", " ", "2025-02-30", "\ud800"])
_BAD_NUMBER = st.sampled_from([float("inf"), float("nan"), -float("inf"), -1.0, 101.0, 1e308, 2.0**63])
_BAD_BY_TYPE = {bool: st.booleans(), str: _BAD_TEXT, float: _BAD_NUMBER, int: st.sampled_from([0, 7, -1, 2**31, 2**63]),
                list: st.lists(_BAD_TEXT, max_size=3),
                dict: st.dictionaries(st.integers(-5, 105), _BAD_TEXT, max_size=3)}


def bad_value(current):
    """A bad value, usually of the same type as `current` (a None field gets text)."""
    typed = next((strat for t, strat in _BAD_BY_TYPE.items() if isinstance(current, t)), _BAD_TEXT)
    return st.one_of(typed, typed, typed, WRONG_VALUES)


def _fresh(stores) -> str:
    cid = new_case_id("st")
    case = TINY_CASE.model_copy(update={"meta": TINY_CASE.meta.model_copy(update={"id": cid})})
    for _, store in stores.items():
        store.save_case(case)
    return cid


def _exports_valid(stores, cid: str) -> None:
    for name, store in stores.items():
        with tempfile.TemporaryDirectory() as tmp:
            write_case(store.load_case(cid), Path(tmp) / "x")
            v = verdict(lambda: read_case(Path(tmp) / "x"), (CaseError,))
            assert v[0] == "ok", f"{name}: the store accepted a write that makes the case export invalid: {v[2]:.3000}"


@st.composite
def records(draw):
    """(kind, a record with 1-2 fields replaced, built validated when it can be, else unvalidated)."""
    kind = draw(st.sampled_from(sorted(TEMPLATES)))
    data = TEMPLATES[kind].model_dump()
    fields = sorted(data)
    new_id = draw(st.sampled_from(["fresh-1", "fresh.2", "s1", "AAA", "f1", "border", "i" * 200, "i" * 201, "a\x00"]))
    if "id" in data:
        data["id"] = new_id
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(fields))
        data[name] = draw(bad_value(data[name]))
    model = KIND_MODELS[kind]
    if hasattr(data.get("kind"), "value"):
        data["kind"] = data["kind"].value
    try:
        item = model.model_validate(data)
        how = "validated"
    except Exception:
        # What a script could pass without validation: the store itself must refuse it.
        item = model.model_construct(**data)
        how = "constructed"
    return kind, item, how


@given(rec=records())
def test_add_record(stores, rec):
    kind, item, how = rec
    note(f"{how} {kind}: {item!r:.2000}")
    cid = _fresh(stores)
    v = stores.both(lambda s: s.add_record(cid, kind, item, actor="fuzz"), cid, allowed=ALLOWED)
    if v[0] == "ok":
        assert how == "validated", "the store added a record that its own model refuses"
        _exports_valid(stores, cid)
    stores.assert_same_content(cid)


# Versions up to and past the 32-bit column (F2) and SQLite's 64-bit integer.
VERSIONS = [1, 1, 0, 2, -1, 2**31 - 2, 2**31 - 1, 2**31, 2**63 - 1]


@given(rec=records(), version=st.sampled_from(VERSIONS))
def test_update_record(stores, rec, version):
    kind, item, how = rec
    note(f"{how} {kind} at version {version}: {item!r:.2000}")
    cid = _fresh(stores)
    v = stores.both(lambda s: s.update_record(cid, kind, item, version, actor="fuzz"), cid, allowed=ALLOWED)
    if v[0] == "ok":
        assert how == "validated", "the store replaced a record with one its own model refuses"
        _exports_valid(stores, cid)
    stores.assert_same_content(cid)


edit_values = st.one_of(WRONG_VALUES, st.sampled_from(["AAA", "Aland", "aa-leader", "border", "Border", "nobody",
                                                       "REQUEST", "request", "ideal", "70", "2025-09-01", ""]))


@given(changes=st.dictionaries(st.sampled_from(sorted(rv.EDITABLE) + ["id", "kind", "start"]), edit_values, max_size=4),
       kind=st.sampled_from(["statement", "event", "figure", "contradiction"]),
       data=st.fixed_dictionaries({}, optional={"actor": st.sampled_from(["AAA", "Aland", "Nobody"]),
                                                "event_type": st.sampled_from(["REQUEST", "BOGUS"]),
                                                "issue": st.sampled_from(["border", "nowhere"]),
                                                "position": st.sampled_from([50, 150]),
                                                "quantity": st.just("occupied_share"), "value": st.just(12),
                                                "unit": st.just("percent"), "items": st.just(["k0", "k1"])}),
       version=st.sampled_from([1, 1, 2, 0]))
def test_review_edit_then_accept(stores, changes, kind, data, version):
    """A pending candidate edited with arbitrary values, then accepted: clear verdicts, parity, valid export."""
    note(f"{kind} {data} edited with {changes!r:.2000} at version {version}")
    cid = _fresh(stores)
    text = "Aland demanded the whole valley on 2 May 2025. Borduria refused."
    doc_id = hashlib.sha256((cid + text).encode()).hexdigest()
    for _, store in stores.items():
        with store.engine.begin() as conn:
            conn.execute(insert(schema.documents).values(case_id=cid, id=doc_id, path="/d.txt", source_id="wire-2",
                                                         title="t", date="2025-05-02", language="en", text=text,
                                                         status="extracted"))
            conn.execute(insert(schema.candidates).values(case_id=cid, id="k1", document_id=doc_id, kind=kind,
                                                          start=0, end=20, confidence=0.7, data=data, status="pending"))
    stores.both(lambda s: rv.edit(s, cid, "k1", changes, reviewer="fuzz", expected_version=version), cid,
                allowed=ALLOWED)
    current = {n: s.get_candidate(cid, "k1").version for n, s in stores.items()}
    assert current["sqlite"] == current["postgresql"]
    v = stores.both(lambda s: rv.accept(s, cid, "k1", reviewer="fuzz", expected_version=current["sqlite"]), cid,
                    allowed=ALLOWED)
    if v[0] == "ok":
        _exports_valid(stores, cid)
    stores.assert_same_content(cid)
