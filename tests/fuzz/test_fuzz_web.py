"""Fuzzing the web API's writes (record edits as JSON and as the YAML form, case uploads) on both stores.

Every request gets a clear answer — 2xx/303, or a 4xx with a message — never a 500 (the TestClient
re-raises a server exception, so a traceback fails the example with its stack); SQLite and
PostgreSQL answer the same; a refused write leaves the case as it was; and an accepted edit leaves
a case that still exports as a folder `case validate` accepts (issue 11, defect 3).
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from pathlib import Path

from fuzz_helpers import dump, new_case_id, verdict
from fuzz_strategies import WRONG_VALUES, any_folder, render
from hypothesis import given, note
from hypothesis import strategies as st
from web_helpers import TINY, api_token, csrf_of

from accord.case.folder import CaseError, read_case, write_case

TINY_CASE = read_case(TINY)
# (kind, id) of every record of the tiny case: what an edit can target.
TARGETS = [(k, r) for k, r in (
    [("actor", a.id) for a in TINY_CASE.actors] + [("issue", i.id) for i in TINY_CASE.issues]
    + [("source", s.id) for s in TINY_CASE.sources] + [("statement", s.id) for s in TINY_CASE.statements]
    + [("event", e.id) for e in TINY_CASE.events] + [("figure", f.id) for f in TINY_CASE.figures]
    + [("salience", f"{s.actor}:{s.issue}") for s in TINY_CASE.saliences]
    + [("contradiction", c.id) for c in TINY_CASE.contradictions])]
OK = {200, 201, 303}
CLEAR = {400, 403, 404, 409, 413, 415, 422}


def _fresh_case(stores) -> str:
    cid = new_case_id("web")
    case = TINY_CASE.model_copy(update={"meta": TINY_CASE.meta.model_copy(update={"id": cid})})
    for _, store in stores.items():
        store.save_case(case)
    return cid


def _answer(r) -> tuple[int, str]:
    assert r.status_code in OK | CLEAR, f"status {r.status_code}: {r.text[:2000]}"
    if r.status_code in CLEAR:
        body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {"detail": r.text}
        detail = body.get("detail")
        assert detail, f"a {r.status_code} without a message: {r.text[:500]}"
        return r.status_code, json.dumps(detail, sort_keys=True)[:4000] if not isinstance(detail, str) else detail
    return r.status_code, ""


def _exports_valid(store, cid: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_case(store.load_case(cid), Path(tmp) / "x")
        v = verdict(lambda: read_case(Path(tmp) / "x"), (CaseError,))
        assert v[0] == "ok", f"{name}: an accepted edit left a case that exports as an invalid folder: {v[2]:.3000}"


def _same_on_both(stores, cid: str, send) -> tuple[int, str]:
    answers = {}
    for name, store in stores.items():
        before = dump(store, cid)
        answers[name] = send(name)
        if answers[name][0] not in OK:
            assert dump(store, cid) == before, f"{name}: refused with {answers[name]} but the store changed"
        else:
            _exports_valid(store, cid, name)
    assert answers["sqlite"] == answers["postgresql"], f"the stores answer differently: {answers}"
    return answers["sqlite"]


# -- record edits ------------------------------------------------------------------------------------
json_values = st.recursive(WRONG_VALUES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=8)


@st.composite
def edits(draw) -> tuple[str, str, object, object]:
    """(kind, id, version or a bad one, payload): the record as read with a few fields changed."""
    kind, rid = draw(st.sampled_from(TARGETS))
    record = TINY_CASE.model_dump(mode="json")
    field = {"actor": "actors", "issue": "issues", "source": "sources", "statement": "statements",
             "event": "events", "figure": "figures", "salience": "saliences", "contradiction": "contradictions"}[kind]
    key = (lambda x: f"{x['actor']}:{x['issue']}") if kind == "salience" else (lambda x: x["id"])
    payload = next(x for x in record[field] if key(x) == rid)
    how = draw(st.sampled_from(["fields", "fields", "fields", "refs", "whole"]))
    if how == "whole":
        payload = draw(json_values)
    elif how == "refs":
        for f in ("actor", "speaker", "reported_by", "issue", "source", "speaks_for"):
            if f in payload or draw(st.booleans()):
                payload[f] = draw(st.sampled_from(["nobody", "AAA", "aa-leader", "border", "wire-1", "s1", "e1",
                                                   "secret", "x" * 201]))
        if "items" in payload:
            payload["items"] = draw(st.lists(st.sampled_from(["f1", "f2", "s1", "e1", "AAA", "nobody"]), max_size=3))
        if "actors" in payload:
            payload["actors"] = draw(st.lists(st.sampled_from(["AAA", "BBB", "aa-leader", "nobody"]), max_size=3))
    else:
        names = sorted(payload) + ["id", "summary", "position", "value", "date", "status", "extra", "scale"]
        for _ in range(draw(st.integers(1, 3))):
            payload[draw(st.sampled_from(names))] = draw(json_values)
    version = draw(st.one_of(st.just(1), st.just(1), st.sampled_from([0, 2, -1, 2**31, 2**62, 2**63, 2**64, "x"])))
    return kind, rid, version, payload


@given(edit=edits())
def test_record_edit_api(stores, web, edit):
    kind, rid, version, payload = edit
    note(f"PUT {kind}/{rid} version={version} payload={payload!r:.2000}")
    cid = _fresh_case(stores)
    # NaN and Infinity are sent as JavaScript writes them: a JSON parser may take them.
    body = json.dumps(payload, allow_nan=True).encode()

    def send(name):
        c = web[name][1]["admin" if kind == "source" else "analyst"]
        return _answer(c.put(f"/api/cases/{cid}/records/{kind}/{rid}", params={"version": version}, content=body,
                             headers={"x-csrf-token": api_token(c), "content-type": "application/json"}))
    status, _ = _same_on_both(stores, cid, send)
    if status == 200:
        for name, store in stores.items():
            item, v = store.get_record(cid, kind, rid)
            assert v == 2, f"{name}: an accepted edit should make version 2, got {v}"
            assert all(not isinstance(x, float) or math.isfinite(x) for x in item.model_dump().values())


yaml_texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["id: s1", "id: s1\nsummary: x\x00y", "- a\n- b", "a: &x [*x]", "{" * 100,
                     "id: s1\ndate: 2025-05-02\nactor: AAA\nstance: AGREE\nsummary: s\nsource: wire-1\nposition: .inf",
                     "id: s1\ndate: 2025-05-02\nactor: AAA\nstance: AGREE\nsummary: s\nsource: nobody",
                     "!!python/object:os.system {}", "a: !!binary AAAA", "a: 0x" + "f" * 400,
                     "id: s1\ndate: 2025-05-02\nactor: AAA\nstance: AGREE\nsummary: ''\nsource: wire-1",  # F5
                     "[" * 5000, "a:\n" + "- " * 3000 + "x",  # F6
                     "id: s1\ndate: 2025-02-30\nactor: AAA\nstance: AGREE\nsummary: s\nsource: wire-1"]),  # F8
    st.builds(lambda d: json.dumps(d, allow_nan=True), json_values),
)


@given(text=yaml_texts, version=st.sampled_from(["1", "0", "2", "-1", str(2**64), "x", ""]))
def test_record_edit_form(stores, web, text, version):
    """The HTML edit form takes YAML: the same rules, answered as a page."""
    note(f"text={text!r:.2000} version={version!r}")
    cid = _fresh_case(stores)

    def send(name):
        c = web[name][1]["analyst"]
        token = csrf_of(c.get(f"/cases/{cid}/records/statement/s1/edit").text)
        r = c.post(f"/cases/{cid}/records/statement/s1/edit", data={"version": version, "text": text,
                                                                   "csrf_token": token}, follow_redirects=False)
        assert r.status_code in OK | CLEAR, f"status {r.status_code}: {r.text[:2000]}"
        return r.status_code, ""
    _same_on_both(stores, cid, send)


# -- case upload ------------------------------------------------------------------------------------
@given(folder=any_folder())
def test_case_upload(stores, web, folder):
    """An admin's zip upload: the same verdict as `case validate`, and a clear answer either way."""
    note(f"damage: {folder.damage}")
    cid = new_case_id("up")
    folder.files["case.yaml"]["id"] = cid
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in render(folder).items():
            if isinstance(data, bytes):
                zf.writestr(f"{cid}/{name}", data)
            elif data == "<directory>":
                zf.writestr(f"{cid}/{name}/", b"")
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(io.BytesIO(buf.getvalue())).extractall(tmp)
        valid = verdict(lambda: read_case(Path(tmp) / cid), (CaseError,))
    if valid[0] == "ok" and valid[1].meta.id != cid:
        return  # the damage renamed the case: it could collide with another example's

    def send(name):
        c = web[name][1]["admin"]
        token = csrf_of(c.get("/admin").text)
        return _answer(c.post("/admin/cases", data={"csrf_token": token}, headers={"accept": "application/json"},
                              files={"archive": ("case.zip", buf.getvalue(), "application/zip")}))
    status, _ = _same_on_both(stores, cid, send)
    assert (status in OK) == (valid[0] == "ok"), f"upload said {status}, case validate said {valid[:2]}"


# -- review decisions -------------------------------------------------------------------------------
review_values = st.one_of(WRONG_VALUES, st.sampled_from(["AAA", "Aland", "aa-leader", "border", "nobody", "REQUEST",
                                                         "ideal", "70", "2025-09-01", "x" * 300]))


@st.composite
def review_bodies(draw) -> object:
    """A review decision's JSON body: mostly well-formed with odd values, sometimes anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    body = {"version": draw(st.sampled_from([1, 1, 1, 0, 2, -1, 2**31, 2**62, 2**63, "1", None])),
            "changes": draw(st.dictionaries(st.sampled_from(["actor", "speaker", "issue", "event_type", "position",
                                                             "date", "confidence", "red_line", "summary", "value",
                                                             "unit", "quantity", "actors", "why", "role", "id"]),
                                            review_values, max_size=4))}
    if draw(st.booleans()):
        body["alias"] = draw(st.one_of(st.none(), review_values))
        body["actor"] = draw(st.sampled_from([None, "AAA", "aa-leader", "nobody", "x" * 300, "\x00"]))
    return body


@given(kind=st.sampled_from(["statement", "event", "figure"]), action=st.sampled_from(["accept", "edit", "reject",
                                                                                         "merge", "bogus"]),
       data=st.fixed_dictionaries({}, optional={"actor": st.sampled_from(["AAA", "Aland", "Nobody"]),
                                                "event_type": st.sampled_from(["REQUEST", "BOGUS"]),
                                                "issue": st.sampled_from(["border", "nowhere"]),
                                                "quantity": st.just("occupied_share"), "value": st.just(12),
                                                "unit": st.just("percent")}),
       body=review_bodies())
def test_review_api(stores, web, kind, action, data, body):
    """POST /api/cases/{cid}/review/k1/{action}: a clear answer, the same on both stores."""
    from web_helpers import add_candidate

    note(f"{action} {kind} {data} with {body!r:.2000}")
    cid = _fresh_case(stores)
    for name, store in stores.items():
        add_candidate(web[name][0].state.ws, cid, "Aland demanded the whole valley. Borduria refused.", 0, 31, data,
                      kind=kind)
    payload = json.dumps(body, allow_nan=True).encode()

    def send(name):
        c = web[name][1]["analyst"]
        return _answer(c.post(f"/api/cases/{cid}/review/k1/{action}", content=payload,
                              headers={"x-csrf-token": api_token(c), "content-type": "application/json"}))
    _same_on_both(stores, cid, send)


# -- scenarios ----------------------------------------------------------------------------------------
scenario_values = st.one_of(st.sampled_from([0, 50, 100, -1, 101, 1e308, "50", None, True, [], {}]),
                            st.floats(), st.integers(-2**70, 2**70))


@st.composite
def scenarios(draw) -> object:
    """A scenario as the API takes it: a mapping of changes with odd values, or YAML text, or junk."""
    how = draw(st.sampled_from(["changes", "changes", "changes", "text", "yaml", "junk"]))
    if how == "junk":
        return draw(json_values)
    if how == "yaml":
        return draw(st.sampled_from(["name: s\nchanges: []",
                                     "changes:\n- set_position: {actor: AAA, issue: border, value: .inf}",
                                     "changes:\n- set_salience: {actor: AAA, issue: border, value: .nan}",
                                     "a: &x [*x, *x]",
                                     # F9: an impossible date and deep nesting were 500s
                                     "name: s\nwhen: 2025-02-30\nchanges: []", "[" * 5000,
                                     "changes: " + "[" * 3000]))
    changes = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["set_position", "set_fallback", "set_salience", "set_capability",
                                     "remove_actor", "bogus"]))
        arg = {"actor": draw(st.sampled_from(["AAA", "BBB", "aa-leader", "nobody", None, 5])),
               "issue": draw(st.sampled_from(["border", "sanctions", "nowhere", None])),
               "value": draw(scenario_values)}
        changes.append({kind: draw(st.sampled_from([arg, arg, "AAA", None, [arg]]))})
    scenario = {"name": draw(st.sampled_from(["s", "", "\x00", 5])), "changes": changes}
    if how == "text":
        return json.dumps(scenario, allow_nan=True) + draw(st.sampled_from(["", "\n# c", "\n[", "\ndate: 2025-02-30"]))
    return scenario


@given(scenario=scenarios())
def test_scenario_api(stores, web, scenario):
    """POST /api/cases/{cid}/scenario: the analysis under a what-if, or a 4xx saying why; read-only."""
    note(f"scenario={scenario!r:.2000}")
    cid = _fresh_case(stores)
    payload = json.dumps({"scenario": scenario}, allow_nan=True).encode()

    def send(name):
        c = web[name][1]["analyst"]
        return _answer(c.post(f"/api/cases/{cid}/scenario", content=payload,
                              headers={"x-csrf-token": api_token(c), "content-type": "application/json"}))
    _same_on_both(stores, cid, send)
