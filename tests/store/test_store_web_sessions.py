"""Issue 11 items 4 and 5 through the workspace's HTTP routes, on SQLite and PostgreSQL: guesses
sent at once are checked at most 5 times, and a cookie copied before logout stops working."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from accord.store import users as store_users
from accord.web import auth, create_app

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(db_url):
    store_users.set_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    app = create_app(db_url, secret="test-secret-" + "x" * 20)
    app.state.ws.store.users.add("ann", PASSWORD, "analyst", actor="test")
    yield app
    app.state.ws.store.engine.dispose()


def login_form(client: TestClient) -> str:
    return CSRF.search(client.get("/login").text).group(1)


def test_a_cookie_copied_before_logout_no_longer_works(app):
    with TestClient(app) as c:
        r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": login_form(c)},
                   follow_redirects=False)
        assert r.status_code == 303
        copied = c.cookies.get(auth.Sessions.COOKIE)
        token = c.get("/api/session").json()["csrf_token"]
        assert c.post("/logout", headers={"x-csrf-token": token}, follow_redirects=False).status_code == 303
    with TestClient(app) as thief:
        thief.cookies.set(auth.Sessions.COOKIE, copied)
        r = thief.get("/api/session")
        assert r.status_code == 401 and "no longer valid" in r.json()["detail"]


def test_thirty_simultaneous_wrong_passwords_are_checked_at_most_five_times(app):
    ws = app.state.ws
    checked, lock = [], threading.Lock()
    verify = ws.store.users.verify

    def counting(username: str, password: str):
        with lock:
            checked.append(password)
        return verify(username, password)

    ws.store.users.verify = counting
    n = 30
    clients = [TestClient(app) for _ in range(n)]
    tokens = [login_form(c) for c in clients]
    barrier = threading.Barrier(n)

    def guess(i: int) -> int:
        barrier.wait()
        return clients[i].post("/login", data={"username": "ann", "password": f"guess {i}",
                                               "csrf_token": tokens[i]}).status_code

    with ThreadPoolExecutor(n) as pool:
        codes = list(pool.map(guess, range(n)))
    for c in clients:
        c.close()
    assert len(checked) == auth.FREE_FAILURES
    assert sorted(codes) == [401] * auth.FREE_FAILURES + [429] * (n - auth.FREE_FAILURES)
