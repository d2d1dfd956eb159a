"""The workspace over HTTP on SQLite and PostgreSQL: login, roles, redaction, review, audit, bad input."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import text
from web_helpers import PASSWORD, add_candidate, api_token, csrf_of, login

from accord.web import auth

CONFIDENTIAL = ("Embassy contact", '"secret"', "/sources/secret", "Aland would accept a line slightly")


# -- the login contract ------------------------------------------------------------------------------
def test_unauthenticated_pages_redirect_and_api_says_401(client_for):
    c = client_for(None)
    for path in ("/", "/cases/tiny", "/cases/tiny/matrix", "/admin/audit", "/cases/nope"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    r = c.get("/api/cases/tiny/matrix")
    assert r.status_code == 401 and "Log in" in r.json()["detail"]


def test_login_form_has_csrf_and_sets_a_safe_session_cookie(client_for):
    c = client_for(None)
    page = c.get("/login")
    assert page.status_code == 200 and 'type="hidden" name="csrf_token"' in page.text
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                               "next": "/cases/tiny/matrix"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/cases/tiny/matrix"
    cookie = next(h for k, h in r.headers.multi_items() if k == "set-cookie" and h.startswith("accord_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert c.get("/api/session").json()["role"] == "analyst"


def test_login_refuses_forged_csrf_wrong_password_and_open_redirects(client_for):
    c = client_for(None)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403 and "security token" in r.text
    r = c.post("/login", data={"username": "ann", "password": "wrong password", "csrf_token": token})
    assert r.status_code == 401 and "Wrong username or password" in r.text
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token,
                               "next": "//evil.example/x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_repeated_failed_logins_are_throttled(client_for):
    c = client_for(None)
    token = csrf_of(c.get("/login").text)
    for _ in range(auth.FREE_FAILURES):
        assert c.post("/login", data={"username": "ann", "password": "nope-nope", "csrf_token": token}).status_code == 401
    r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "wait" in r.text
    # Another user from the same address is not locked out by ann's failures.
    assert c.post("/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token},
                  follow_redirects=False).status_code == 303


def test_malformed_login_form_is_422(client_for):
    c = client_for(None)
    r = c.post("/login", data={"username": "ann"})
    assert r.status_code == 422 and "malformed" in r.text and "password" in r.text


def test_expired_and_tampered_sessions_go_back_to_login(app, client_for):
    c = client_for(None)
    ws = app.state.ws
    user = ws.store.users.by_name("ann")

    class Old(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 13 * 3600  # older than the 12-hour session

    old = URLSafeTimedSerializer(ws.sessions.secret, salt="accord.session", signer=Old).dumps(
        {"s": ws.store.users.open_session(user, 24 * 3600), "n": "n"})
    c.cookies.set("accord_session", old)
    r = c.get("/cases/tiny/matrix", follow_redirects=False)
    assert r.status_code == 303 and "expired" in r.headers["location"]
    assert c.get("/api/cases/tiny").status_code == 401
    c.cookies.set("accord_session", old[:-3] + "abc")
    assert c.get("/cases/tiny", follow_redirects=False).status_code == 303


def test_changing_a_password_ends_existing_sessions(app, client_for):
    c = client_for("ann")
    app.state.ws.store.users.change("ann", actor="test", password="a brand new password")
    assert c.get("/api/session").status_code == 401


# -- pages and the as-of control ------------------------------------------------------------------------
def test_every_page_renders_for_a_viewer(client_for):
    c = client_for("vic")
    for path in ("/", "/cases/tiny", "/cases/tiny/matrix", "/cases/tiny/matrix/AAA/border", "/cases/tiny/chronology",
                 "/cases/tiny/figures", "/cases/tiny/forecasts", "/cases/tiny/scenario", "/cases/tiny/sources",
                 "/cases/tiny/sources/wire-1"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert "content-security-policy" in r.headers
    assert "Delegations meet" in c.get("/cases/tiny/chronology").text
    assert "occupied_share" in c.get("/cases/tiny/figures").text


def test_as_of_moves_the_matrix_and_chronology(client_for):
    c = client_for("vic")
    now = c.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]
    assert (now["ideal"], now["fallback"]) == (80, 70)
    june = c.get("/api/cases/tiny/matrix", params={"as_of": "2025-06-01"}).json()["cells"]["AAA|border"]
    assert (june["ideal"], june["fallback"]) == (100, None)
    assert "BBB|border" not in c.get("/api/cases/tiny/matrix", params={"as_of": "2025-05-05"}).json()["cells"]
    html = c.get("/cases/tiny/matrix", params={"as_of": "2025-06-01"}).text
    assert 'href="/cases/tiny/chronology?as_of=2025-06-01"' in html  # the date follows you to every page
    ids = [i["id"] for i in c.get("/api/cases/tiny/chronology", params={"as_of": "2025-05-05"}).json()["items"]]
    assert ids == ["e1", "s1"]
    assert c.get("/cases/tiny/matrix", params={"as_of": "last tuesday"}).status_code == 400


def test_drill_down_lists_every_piece_of_evidence(client_for):
    c = client_for("ann")
    data = c.get("/api/cases/tiny/matrix/AAA/border").json()
    assert [e["id"] for e in data["evidence"]] == ["s3", "s2", "s1"]
    assert {e["id"] for e in data["evidence"] if e["used"]} == {"s2", "s3"}
    assert data["evidence"][2]["quote"] == "the whole valley is ours"
    assert data["evidence"][0]["source_ref"]["name"] == "Embassy contact"  # analysts see the identity


# -- confidential sources ---------------------------------------------------------------------------------
def test_a_viewer_never_sees_a_confidential_source(client_for):
    c = client_for("vic")
    r = c.get("/cases/tiny/sources/secret")
    assert r.status_code == 404 and "Embassy" not in r.text
    assert c.get("/api/cases/tiny/sources/secret").json() == {"detail": "There is no source 'secret' in this case."}
    bodies = {}
    for path in ("/cases/tiny", "/cases/tiny/matrix/AAA/border", "/cases/tiny/chronology", "/cases/tiny/sources",
                 "/api/cases/tiny/matrix/AAA/border", "/api/cases/tiny/sources", "/api/cases/tiny/export",
                 "/api/cases/tiny/chronology", "/api/cases/tiny", "/api/cases/tiny/matrix"):
        r = c.get(path)
        assert r.status_code == 200, path
        bodies[path] = r.text
    z = zipfile.ZipFile(io.BytesIO(c.get("/cases/tiny/export.zip").content))
    bodies["export.zip"] = "".join(z.read(n).decode() for n in z.namelist())
    for where, body in bodies.items():
        for secret in CONFIDENTIAL[:3]:
            assert secret not in body, (where, secret)
    # The label stands in for it, and the evidence it carries still counts.
    ev = c.get("/api/cases/tiny/matrix/AAA/border").json()["evidence"][0]
    assert ev["source_ref"]["name"] == "a diplomatic source in the capital" and ev["quote"] is None
    assert ev["source"].startswith("confidential-")
    r = c.get(f"/cases/tiny/sources/{ev['source']}")
    assert r.status_code == 200 and "a diplomatic source in the capital" in r.text and "Embassy" not in r.text


def test_analysts_see_confidential_sources(client_for):
    c = client_for("ann")
    r = c.get("/cases/tiny/sources/secret")
    assert r.status_code == 200 and "Embassy contact" in r.text


def test_viewer_cannot_open_a_confidential_document(app, client_for):
    ws = app.state.ws
    doc = add_candidate(ws, "tiny", "Embassy contact says the line can move.", 0, 15, {"actor": "AAA"},
                        source_id="secret")
    assert client_for("vic").get(f"/cases/tiny/documents/{doc}").status_code == 404
    assert "Embassy contact says" in client_for("ann").get(f"/cases/tiny/documents/{doc}").text


# -- roles and CSRF on writes -------------------------------------------------------------------------------------
def test_roles_are_enforced(client_for):
    vic, ann = client_for("vic"), client_for("ann")
    assert vic.get("/cases/tiny/review").status_code == 403
    assert "analyst role" in vic.get("/api/cases/tiny/review").json()["detail"]
    assert ann.get("/cases/tiny/review").status_code == 200
    assert ann.get("/admin/audit").status_code == 403
    assert ann.get("/admin/users").status_code == 403
    r = vic.put("/api/cases/tiny/records/statement/s1", params={"version": 1}, json={},
                headers={"x-csrf-token": api_token(vic)})
    assert r.status_code == 403
    r = ann.put("/api/cases/tiny/records/source/wire-1", params={"version": 1}, json={},
                headers={"x-csrf-token": api_token(ann)})
    assert r.status_code == 403 and "admin role" in r.json()["detail"]


def test_writes_need_the_csrf_token(app, client_for):
    add_candidate(app.state.ws, "tiny", "Aland will accept the current line.", 0, 35,
                  {"actor": "AAA", "issue": "border", "stance": "CONCEDE", "role": "ideal", "position": 50})
    ann = client_for("ann")
    assert ann.post("/cases/tiny/review/k1", data={"action": "reject", "version": "1"}).status_code == 403
    r = ann.post("/cases/tiny/review/k1", data={"action": "reject", "version": "1", "csrf_token": "0" * 64})
    assert r.status_code == 403 and "security token" in r.text
    r = ann.post("/api/cases/tiny/review/k1/reject", json={"version": 1}, headers={"x-csrf-token": "forged"})
    assert r.status_code == 403
    # Another user's token is not this session's token.
    other = api_token(client_for("bob"))
    assert ann.post("/api/cases/tiny/review/k1/reject", json={"version": 1},
                    headers={"x-csrf-token": other}).status_code == 403
    assert ann.post("/api/cases/tiny/review/k1/reject", json={"version": 1},
                    headers={"x-csrf-token": api_token(ann)}).status_code == 200


# -- review, the matrix, the audit log ------------------------------------------------------------------------------
def test_accepting_a_suggestion_changes_the_matrix_and_is_audited(app, client_for):
    ws = app.state.ws
    text_ = "Wire, 5 September. Aland's president said Aland would now settle for the current line of contact."
    start = text_.index("Aland would")
    add_candidate(ws, "tiny", text_, start, len(text_) - 1,
                  {"actor": "AAA", "speaker": "President Lind", "issue": "border", "stance": "CONCEDE",
                   "role": "ideal", "position": 50, "date": "2025-08-20", "confidence": 1.0,
                   "summary": "Aland would settle for the current line"})
    ann = client_for("ann")
    before = ann.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]["ideal"]
    page = ann.get("/cases/tiny/review")
    assert "settle for the current line" in page.text
    r = ann.post("/cases/tiny/review/k1", data={"action": "accept", "version": "1", "csrf_token": csrf_of(page.text)},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    cell = ann.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]
    assert before == 80 and cell["ideal"] == 65.0 and "c-k1" in cell["evidence"]  # mean of 80 (2025-08) and 50 (08-20): same 30-day window
    ev = {e["id"]: e for e in ann.get("/api/cases/tiny/matrix/AAA/border").json()["evidence"]}["c-k1"]
    assert ev["used"] and ev["span"]["text"].startswith("Aland would now settle")
    # Viewers see the change too.
    assert client_for("vic").get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]["ideal"] == 65.0
    entries = client_for("ada").get("/api/audit").json()["entries"]
    accept = [e for e in entries if e["action"] == "review.accept" and e["record_id"] == "k1"]
    assert accept and accept[0]["username"] == "ann"
    assert accept[0]["before"]["status"] == "pending" and accept[0]["after"]["status"] == "accepted"
    assert [r["id"] for r in accept[0]["after"]["records"]] == ["c-k1"]  # one row for the write, with what it made
    assert "review.accept" in client_for("ada").get("/admin/audit").text


def test_review_edit_reject_merge_and_stale_versions(app, client_for):
    ws = app.state.ws
    add_candidate(ws, "tiny", "The Szohod envoy rejected any freeze.", 0, 37,
                  {"actor": "the Szohod envoy", "issue": "border", "stance": "REJECT"}, cand_id="k2")
    ann, bob = client_for("ann"), client_for("bob")
    h = {"x-csrf-token": api_token(ann)}
    r = ann.post("/api/cases/tiny/review/k2/accept", json={"version": 1}, headers=h)
    assert r.status_code == 422 and "not an actor of this case" in r.json()["detail"]
    r = ann.post("/api/cases/tiny/review/k2/merge", json={"version": 1, "alias": "the Szohod envoy", "actor": "BBB"},
                 headers=h)
    assert r.status_code == 200 and r.json()["rewritten"] == ["k2"]
    version = ann.get("/api/cases/tiny/review").json()["items"][0]["version"]
    r = ann.post("/api/cases/tiny/review/k2/edit", json={"version": version, "changes": {"position": "10"}}, headers=h)
    assert r.status_code == 200 and r.json()["data"]["position"] == 10
    # bob read the old version: he is told, and ann's edit stays.
    page = bob.get("/cases/tiny/review")
    r = bob.post("/cases/tiny/review/k2", data={"action": "reject", "version": str(version),
                                                 "csrf_token": csrf_of(page.text)})
    assert r.status_code == 409 and "Someone else changed this item" in r.text
    assert ann.get("/api/cases/tiny/review").json()["items"][0]["data"]["position"] == 10
    r = ann.post("/api/cases/tiny/review/k2/reject", json={"version": version + 1}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert ann.post("/api/cases/tiny/review/nope/reject", json={"version": 1}, headers=h).status_code == 404
    assert ann.post("/api/cases/tiny/review/k2/dance", json={"version": 1}, headers=h).status_code == 404
    actions = [e["action"] for e in client_for("ada").get("/api/audit").json()["entries"]]
    assert {"review.merge_alias", "review.edit", "review.reject"} <= set(actions)


def test_two_analysts_editing_one_statement(app, client_for):
    ann, bob = client_for("ann"), client_for("bob")
    form_a = ann.get("/cases/tiny/records/statement/s2/edit").text
    form_b = bob.get("/cases/tiny/records/statement/s2/edit").text
    text_a = form_a.split('spellcheck="false">')[1].split("</textarea>")[0]
    import html as h
    yaml_a = h.unescape(text_a).replace("position: 80.0", "position: 75.0")
    yaml_b = h.unescape(text_a).replace("Aland now asks for the northern half only", "Bob's reading of the report")
    r = ann.post("/cases/tiny/records/statement/s2/edit", data={"version": "1", "text": yaml_a,
                                                                "csrf_token": csrf_of(form_a)}, follow_redirects=False)
    assert r.status_code == 303
    r = bob.post("/cases/tiny/records/statement/s2/edit", data={"version": "1", "text": yaml_b,
                                                                "csrf_token": csrf_of(form_b)})
    assert r.status_code == 409 and "your edit was not saved" in r.text
    assert "Bob&#39;s reading of the report" in r.text  # nothing lost: bob's text comes back to him
    assert "position: 75.0" in r.text  # and he sees ann's version
    rec = ann.get("/api/cases/tiny/records/statement/s2").json()
    assert rec["version"] == 2 and rec["record"]["position"] == 75.0 and "Bob" not in rec["record"]["summary"]
    # Resubmitting on the version he was shown works.
    r = bob.post("/cases/tiny/records/statement/s2/edit", data={"version": "2", "text": yaml_b.replace("80.0", "75.0"),
                                                                "csrf_token": csrf_of(form_b)}, follow_redirects=False)
    assert r.status_code == 303
    entries = [e for e in client_for("ada").get("/api/audit").json()["entries"] if e["action"] == "statement.edit"]
    assert [e["username"] for e in entries] == ["bob", "ann"]
    assert entries[1]["before"]["position"] == 80.0 and entries[1]["after"]["position"] == 75.0


def test_invalid_record_edit_is_422_and_changes_nothing(client_for):
    ann = client_for("ann")
    h = {"x-csrf-token": api_token(ann)}
    rec = ann.get("/api/cases/tiny/records/statement/s2").json()
    bad = rec["record"] | {"position": 300}
    r = ann.put("/api/cases/tiny/records/statement/s2", params={"version": 1}, json=bad, headers=h)
    assert r.status_code == 422 and "position" in r.json()["detail"]
    r = ann.put("/api/cases/tiny/records/statement/s2", params={"version": 1}, json=rec["record"] | {"id": "s9"}, headers=h)
    assert r.status_code == 422
    assert ann.get("/api/cases/tiny/records/statement/s2").json()["version"] == 1
    assert ann.get("/api/cases/tiny/records/statement/zzz").status_code == 404
    assert ann.get("/api/cases/tiny/records/gizmo/s2").status_code == 404


def test_admin_edits_a_source_and_the_audit_log_is_append_only(app, client_for):
    ada = client_for("ada")
    rec = ada.get("/api/cases/tiny/records/source/wire-2").json()
    new = rec["record"] | {"confidential": True, "public_label": "a wire service"}
    r = ada.put("/api/cases/tiny/records/source/wire-2", params={"version": rec["version"]}, json=new,
                headers={"x-csrf-token": api_token(ada)})
    assert r.status_code == 200
    # The viewer's view follows at once.
    assert client_for("vic").get("/cases/tiny/sources/wire-2").status_code == 404
    engine = app.state.ws.store.engine
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 1
    for stmt in ("UPDATE audit_log SET username = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE username = 'mallory'")).scalar() == 0
    # No route edits or deletes audit entries.
    assert ada.delete("/api/audit").status_code == 405


def test_admin_manages_users(app, client_for):
    ada = client_for("ada")
    page = ada.get("/admin/users")
    token = csrf_of(page.text)
    r = ada.post("/admin/users", data={"username": "zoe", "password": "long enough pw", "role": "viewer",
                                       "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    r = ada.post("/admin/users", data={"username": "zoe", "password": "long enough pw", "role": "viewer",
                                       "csrf_token": token})
    assert r.status_code == 409 and "already exists" in r.text
    assert ada.post("/admin/users", data={"username": "yan", "password": "short", "role": "viewer",
                                          "csrf_token": token}).status_code == 422
    assert ada.post("/admin/users", data={"username": "yan", "password": "long enough pw", "role": "god",
                                          "csrf_token": token}).status_code == 422
    zoe = client_for(None)
    assert login(zoe, "zoe", "long enough pw").status_code == 303
    assert zoe.get("/api/session").json()["role"] == "viewer"
    r = ada.post("/admin/users/zoe", data={"role": "analyst", "active": "1", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and zoe.get("/api/session").json()["role"] == "analyst"
    ada.post("/admin/users/zoe", data={"role": "analyst", "csrf_token": token})  # unchecked box: deactivated
    assert zoe.get("/api/session").status_code == 401
    actions = [e["action"] for e in ada.get("/api/audit").json()["entries"]]
    assert actions.count("user.change") == 2 and "user.add" in actions
    assert "long enough pw" not in ada.get("/admin/audit").text  # passwords never reach the log


# -- scenarios and forecasts -------------------------------------------------------------------------------------
def test_scenario_shows_the_difference_from_the_baseline(client_for):
    c = client_for("vic")
    h = {"x-csrf-token": api_token(c)}
    base = c.get("/api/cases/tiny/forecasts").json()
    assert base["available"] and base["forecast"]
    r = c.post("/api/cases/tiny/scenario", headers=h, json={"scenario": {
        "name": "Borduria hardens", "changes": [{"set_position": {"actor": "AAA", "issue": "border", "value": 20}}]}})
    assert r.status_code == 200, r.text
    changed = r.json()["diff"]["changed"]
    assert changed and all(x["issue"] == "border" for x in changed)
    assert all(x["scenario"] < x["baseline"] for x in changed)
    r = c.post("/api/cases/tiny/scenario", headers=h,
               json={"scenario": {"changes": [{"set_position": {"actor": "ZZZ", "issue": "border", "value": 1}}]}})
    assert r.status_code == 422 and "ZZZ" in r.json()["detail"]
    page = c.get("/cases/tiny/scenario")
    r = c.post("/cases/tiny/scenario", data={"scenario": "changes: [oops", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and "not valid YAML" in r.text


# -- bad input ------------------------------------------------------------------------------------------------------
def test_unknown_ids_are_404_with_a_clear_message(client_for):
    c = client_for("ann")
    assert c.get("/cases/nope").status_code == 404 and "There is no case" in c.get("/cases/nope").text
    assert c.get("/api/cases/tiny/matrix/AAA/nope").json()["detail"] == "There is no issue 'nope' in this case."
    assert c.get("/api/cases/tiny/matrix/ZZZ/border").status_code == 404
    assert c.get("/cases/tiny/documents/abc").status_code == 404
    assert c.get("/no/such/page").status_code == 404


def test_script_in_a_document_is_escaped(app, client_for):
    ws = app.state.ws
    evil = '<script>alert("x")</script> Aland <img src=x onerror=alert(1)> wants the valley.'
    doc = add_candidate(ws, "tiny", evil, 0, len(evil),
                        {"actor": "AAA", "issue": "border", "stance": "REQUEST", "summary": evil}, cand_id="k3")
    ann = client_for("ann")
    for path in (f"/cases/tiny/documents/{doc}", "/cases/tiny/review"):
        body = ann.get(path).text
        assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body, path


def test_upload_limits_and_bad_archives(db_url, tiny_case, tmp_path):
    from accord.case.folder import write_case
    from accord.web import create_app
    app = create_app(db_url, secret="s" * 32, max_upload=64 * 1024)
    app.state.ws.store.users.add("ada", PASSWORD, "admin", actor="test")
    with TestClient(app) as c:
        assert login(c, "ada").status_code == 303
        token = csrf_of(c.get("/admin").text)
        big = b"x" * (70 * 1024)
        r = c.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("big.zip", big, "application/zip")})
        assert r.status_code == 413 and "larger than the limit" in r.text
        r = c.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("x.zip", b"not a zip", "application/zip")})
        assert r.status_code == 400 and "not a zip" in r.text
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("../evil/case.yaml", "id: x")
        r = c.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("e.zip", buf.getvalue())})
        assert r.status_code == 400 and "unsafe path" in r.text
        write_case(tiny_case, tmp_path / "tiny")
        (tmp_path / "tiny" / "statements.csv").write_text((tmp_path / "tiny" / "statements.csv").read_text()
                                                          .replace("REQUEST,ideal,100", "REQUEST,ideal,500"))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for f in (tmp_path / "tiny").iterdir():
                z.write(f, f"tiny/{f.name}")
        r = c.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("t.zip", buf.getvalue())})
        assert r.status_code == 422 and "statements.csv" in r.text
        buf = io.BytesIO()
        write_case(tiny_case, tmp_path / "ok")
        with zipfile.ZipFile(buf, "w") as z:
            for f in (tmp_path / "ok").iterdir():
                z.write(f, f"ok/{f.name}")
        r = c.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("t.zip", buf.getvalue())},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/cases/tiny"
        assert c.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]["ideal"] == 80
    app.state.ws.store.engine.dispose()


def test_openapi_describes_the_json_api(client_for):
    spec = client_for(None).get("/openapi.json").json()
    for path in ("/api/cases/{cid}/matrix", "/api/cases/{cid}/chronology", "/api/cases/{cid}/review/{cand_id}/{action}",
                 "/api/cases/{cid}/scenario", "/api/audit", "/login"):
        assert path in spec["paths"], path
