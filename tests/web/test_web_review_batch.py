"""The review page's sentence and paragraph, undo of an edit, and batch accept after a preview."""

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
    assert r.status_code == 200 and r.json()["restored"] == ["position", "summary"]
    data = next(i for i in ann.get("/api/cases/tiny/review").json()["items"] if i["id"] == "k1")["data"]
    assert data["position"] == 50 and data["summary"] == "Aland would settle"
    # bob's undo is his own: he has nothing to undo.
    assert bob.post("/api/cases/tiny/review/undo", headers={"x-csrf-token": api_token(bob)}).status_code == 404
