"""A workspace over a fresh store (SQLite and PostgreSQL) with the tiny case and one user per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORD, TINY, login

from accord.case.folder import read_case
from accord.web import auth, create_app


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    # Still argon2id, with test-sized memory and passes: the suite hashes dozens of passwords.
    from argon2 import PasswordHasher
    auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture
def tiny_case():
    return read_case(TINY)


@pytest.fixture
def app(db_url, tiny_case):
    app = create_app(db_url, secret="test-secret-" + "x" * 20)
    ws = app.state.ws
    ws.store.save_case(tiny_case)
    for name, role in (("vic", "viewer"), ("ann", "analyst"), ("bob", "analyst"), ("ada", "admin")):
        ws.store.users.add(name, PASSWORD, role, actor="test")
    yield app
    ws.store.engine.dispose()


@pytest.fixture
def client_for(app):
    """A logged-in TestClient for a user name."""
    clients = []

    def make(username: str | None) -> TestClient:
        c = TestClient(app)
        clients.append(c)
        if username:
            r = login(c, username)
            assert r.status_code == 303, r.text
        return c
    yield make
    for c in clients:
        c.close()

