"""The review page's sentence and paragraph, undo of any review decision, and batch accept after a preview."""

from __future__ import annotations

from web_helpers import add_candidate, api_token, csrf_of

from accord.web.routers.review import sentence_and_paragraph

DOC = ("Wire, 5 September. Talks resumed in the capital.\n\n"
       "The envoy spoke first. Aland's president said Aland would now settle for the current line. "
       "Nobody else spoke.\nA new paragraph.")


def test_the_sentence_and_the_paragraph_around_a_span():
    start = DOC.index("Aland would")
    end = DOC.index(" for the current")
    t = sentence_and_paragraph(DOC, start, end)
    assert t["span"] == "Aland would now settle"
    assert t["sentence_before"] == "Aland's president said "
    assert t["sentence_after"] == " for the current line."
    assert t["paragraph_before"] == "The envoy spoke first. "
    assert t["paragraph_after"] == " Nobody else spoke."
    whole = sentence_and_paragraph("no punctuation at all", 3, 14)
    assert (whole["sentence_before"], whole["span"], whole["sentence_after"]) == ("no ", "punctuation", " at all")


def _two(ws):
    add_candidate(ws, "tiny", DOC, DOC.index("Aland would"), DOC.index(" for the current"),
                  {"actor": "AAA", "issue": "border", "stance": "CONCEDE", "role": "ideal", "position": 50,
                   "date": "2025-08-20", "summary": "Aland would settle"}, cand_id="k1")
    other = "Borduria said it may accept a ceasefire. " * 2
    add_candidate(ws, "tiny", other, 0, 39, {"actor": "BBB", "issue": "border", "stance": "CONCEDE",
                                             "role": "ideal", "position": 40, "date": "2025-08-21",
                                             "summary": "Borduria may accept"}, cand_id="k2")
    from sqlalchemy import update

    from accord.store import schema
    with ws.store.engine.begin() as conn:  # k1 confident, k2 not
        conn.execute(update(schema.candidates).where(schema.candidates.c.id == "k2").values(confidence=0.4))
        conn.execute(update(schema.candidates).where(schema.candidates.c.id == "k1").values(confidence=0.95))


def test_the_queue_shows_the_sentence_and_paragraph_and_the_keys(app, client_for):
    _two(app.state.ws)
    ann = client_for("ann")
    item = next(i for i in ann.get("/api/cases/tiny/review").json()["items"] if i["id"] == "k1")
    assert item["text"]["sentence_before"] == "Aland's president said " and "envoy" in item["text"]["paragraph_before"]
    page = ann.get("/cases/tiny/review").text
    assert "<kbd>a</kbd> accept" in page and "<kbd>u</kbd> undo" in page
    assert "The envoy spoke first." in page and "Talks resumed" not in page  # the paragraph, not the document


def test_batch_accept_takes_exactly_what_the_preview_showed(app, client_for):
    _two(app.state.ws)
    ann = client_for("ann")
    preview = ann.get("/api/cases/tiny/review/batch", params={"min_confidence": 0.9}).json()
    assert [i["id"] for i in preview["items"]] == ["k1"]
    assert ann.get("/api/cases/tiny/review/batch", params={"min_confidence": 2}).status_code == 400
    page = ann.get("/cases/tiny/review/batch", params={"min_confidence": "0.9"})
    assert "k1" in page.text and "k2" not in page.text and "<kbd>y</kbd>" in page.text
    r = ann.post("/cases/tiny/review/batch", data={"csrf_token": csrf_of(page.text), "id": ["k1"], "version": ["1"]},
                 follow_redirects=False)
    assert r.status_code == 303 and "accepted+1" in r.headers["location"]
    left = [i["id"] for i in ann.get("/api/cases/tiny/review").json()["items"]]
    assert left == ["k2"]  # below the threshold: still waiting
    # A preview that went stale is not applied: the candidate is named and left as it is.
    h = {"x-csrf-token": api_token(ann)}
    ann.post("/api/cases/tiny/review/k2/edit", json={"version": 1, "changes": {"position": "45"}}, headers=h)
    r = ann.post("/api/cases/tiny/review/batch", json={"items": [{"id": "k2", "version": 1}]}, headers=h)
    assert r.status_code == 200 and r.json()["accepted"] == [] and r.json()["left"][0]["id"] == "k2"
    actions = [e["action"] for e in client_for("ada").get("/api/audit").json()["entries"]]
    assert "review.accept" in actions


def test_undo_puts_back_the_last_edit(app, client_for):
    _two(app.state.ws)
    ann, bob = client_for("ann"), client_for("bob")
    h = {"x-csrf-token": api_token(ann)}
    assert ann.post("/api/cases/tiny/review/undo", headers=h).status_code == 404  # nothing to undo yet
    r = ann.post("/api/cases/tiny/review/k1/edit", json={"version": 1, "changes": {"position": "20", "summary": "x"}},
                 headers=h)
    assert r.status_code == 200 and r.json()["data"]["position"] == 20
    r = ann.post("/api/cases/tiny/review/undo", headers=h)
    assert r.status_code == 200 and (r.json()["id"], r.json()["undid"], r.json()["status"]) == ("k1", "edit", "pending")
    data = next(i for i in ann.get("/api/cases/tiny/review").json()["items"] if i["id"] == "k1")["data"]
    assert data["position"] == 50 and data["summary"] == "Aland would settle"
    # bob's undo is his own: he has nothing to undo.
    assert bob.post("/api/cases/tiny/review/undo", headers={"x-csrf-token": api_token(bob)}).status_code == 404


def _pending(client) -> dict[str, dict]:
    return {i["id"]: i["data"] for i in client.get("/api/cases/tiny/review").json()["items"]}


def _undos(ws) -> list[tuple[str, str, int]]:
    """(reviewer, undone action, undone audit row) of each review.undo row, newest first."""
    rows, _ = ws.store.audit.entries(case_id="tiny", action="review.undo", limit=50)
    return [(e.username, e.after["undid_action"], e.after["undid"]) for e in rows]


def test_undo_takes_back_accepts_rejects_and_edits_step_by_step(app, client_for):
    """u / POST …/review/undo goes through the review core the CLI's --undo uses: the last decision
    of any kind, one step back each time, audited as review.undo; then a 404 that says why."""
    ws = app.state.ws
    _two(ws)
    ann = client_for("ann")
    h = {"x-csrf-token": api_token(ann)}
    # An accept sent with a changed field (the page's `a` after editing) is an edit, then an accept.
    r = ann.post("/api/cases/tiny/review/k1/accept", json={"version": 1, "changes": {"position": "20"}}, headers=h)
    assert r.status_code == 200 and r.json()["records"] == [["statement", "c-k1"]]
    assert ann.get("/api/cases/tiny/records/statement/c-k1").json()["record"]["position"] == 20
    assert ann.post("/api/cases/tiny/review/k2/reject", json={"version": 1}, headers=h).status_code == 200
    assert _pending(ann) == {}

    r = ann.post("/api/cases/tiny/review/undo", headers=h)  # the reject
    assert r.status_code == 200 and (r.json()["id"], r.json()["undid"], r.json()["status"]) == ("k2", "reject", "pending")
    assert list(_pending(ann)) == ["k2"]
    r = ann.post("/api/cases/tiny/review/undo", headers=h)  # the accept: its record leaves the evidence
    assert r.status_code == 200 and (r.json()["id"], r.json()["undid"], r.json()["status"]) == ("k1", "accept", "pending")
    assert r.json()["deleted"] == ["statement:c-k1"]
    assert ann.get("/api/cases/tiny/records/statement/c-k1").status_code == 404
    assert _pending(ann)["k1"]["position"] == 20  # still as edited: the edit is the next step back
    r = ann.post("/api/cases/tiny/review/undo", headers=h)  # the edit
    assert r.status_code == 200 and (r.json()["id"], r.json()["undid"]) == ("k1", "edit")
    assert _pending(ann)["k1"]["position"] == 50

    r = ann.post("/api/cases/tiny/review/undo", headers=h)
    assert r.status_code == 404 and "nothing to undo" in r.json()["detail"]
    undos = _undos(ws)
    assert [(who, action) for who, action, _ in undos] == [("ann", "review.edit"), ("ann", "review.accept"),
                                                           ("ann", "review.reject")]
    assert len({row for _, _, row in undos}) == 3  # each names a different decision


def test_undo_takes_back_a_batch_accept_one_candidate_at_a_time(app, client_for):
    ws = app.state.ws
    _two(ws)
    ann = client_for("ann")
    page = ann.get("/cases/tiny/review/batch", params={"min_confidence": "0.3"})
    r = ann.post("/cases/tiny/review/batch", data={"csrf_token": csrf_of(page.text), "id": ["k1", "k2"],
                                                  "version": ["1", "1"]}, follow_redirects=False)
    assert r.status_code == 303 and "accepted+2" in r.headers["location"] and _pending(ann) == {}
    token = csrf_of(ann.get("/cases/tiny/review").text)
    r = ann.post("/cases/tiny/review/undo", data={"csrf_token": token}, follow_redirects=False)  # the page's button
    assert r.status_code == 303 and "undid+your+accept+of+k2" in r.headers["location"]
    assert "statement%3Ac-k2+taken+out+of+the+evidence" in r.headers["location"]
    assert "undid your accept of k2: it is pending again" in ann.get(r.headers["location"]).text
    assert list(_pending(ann)) == ["k2"] and ann.get("/api/cases/tiny/records/statement/c-k1").status_code == 200
    r = ann.post("/api/cases/tiny/review/undo", headers={"x-csrf-token": api_token(ann)})
    assert r.status_code == 200 and r.json()["id"] == "k1" and r.json()["deleted"] == ["statement:c-k1"]
    assert sorted(_pending(ann)) == ["k1", "k2"]
    r = ann.post("/cases/tiny/review/undo", data={"csrf_token": token})
    assert r.status_code == 404 and "You have nothing to undo in this case" in r.text


def test_undo_refuses_what_someone_changed_since(app, client_for):
    """Nothing is undone, with a 409 that says why, once another analyst edited the accepted record."""
    ws = app.state.ws
    _two(ws)
    ann, bob = client_for("ann"), client_for("bob")
    h = {"x-csrf-token": api_token(ann)}
    assert ann.post("/api/cases/tiny/review/k1/accept", json={"version": 1}, headers=h).status_code == 200
    rec = bob.get("/api/cases/tiny/records/statement/c-k1").json()
    r = bob.put("/api/cases/tiny/records/statement/c-k1", params={"version": rec["version"]},
                json=rec["record"] | {"position": 30}, headers={"x-csrf-token": api_token(bob)})
    assert r.status_code == 200, r.text
    r = ann.post("/api/cases/tiny/review/undo", headers=h)
    assert r.status_code == 409 and "was edited since your accept" in r.json()["detail"]
    assert "--revert" not in r.json()["detail"]  # no CLI option named on the web
    assert ann.get("/api/cases/tiny/records/statement/c-k1").json()["record"]["position"] == 30
    assert _pending(ann).keys() == {"k2"} and _undos(ws) == []
    # An edit, a reject and its undo leave k2 as the edit did; bob's edit since stands: 409, kept.
    assert ann.post("/api/cases/tiny/review/k2/edit", json={"version": 1, "changes": {"position": "45"}},
                    headers=h).status_code == 200
    assert ann.post("/api/cases/tiny/review/k2/reject", json={"version": 2}, headers=h).status_code == 200
    assert ann.post("/api/cases/tiny/review/undo", headers=h).json()["undid"] == "reject"
    assert bob.post("/api/cases/tiny/review/k2/edit", json={"version": 4, "changes": {"position": "35"}},
                    headers={"x-csrf-token": api_token(bob)}).status_code == 200
    r = ann.post("/api/cases/tiny/review/undo", headers=h)
    assert r.status_code == 409 and "changed since your edit" in r.json()["detail"]
    assert _pending(ann)["k2"]["position"] == 35


def test_an_accept_refused_with_its_changes_changes_nothing(app, client_for):
    """An accept sent with changed fields is an edit and an accept made together: when the edited
    candidate cannot become a record, neither is made and no audit row is written."""
    ws = app.state.ws
    add_candidate(ws, "tiny", "Aland demanded the whole valley.", 0, 31, {"value": 12}, kind="event")  # no type
    ann = client_for("ann")

    def state():
        (k1,) = ws.store.candidates("tiny", status=None)
        return k1.status, k1.version, k1.data, ws.store.audit.entries(case_id="tiny", limit=100)[1]

    before = state()
    r = ann.post("/api/cases/tiny/review/k1/accept", json={"version": 1, "changes": {"issue": "border"}},
                 headers={"x-csrf-token": api_token(ann)})
    assert r.status_code == 422 and "no event type" in r.json()["detail"]
    assert state() == before
    # with the missing field among the changes, the same request is made in full: two audit rows
    r = ann.post("/api/cases/tiny/review/k1/accept", json={"version": 1, "changes": {"event_type": "REQUEST"}},
                 headers={"x-csrf-token": api_token(ann)})
    assert r.status_code == 200 and state()[0] == "accepted" and state()[3] == before[3] + 2
