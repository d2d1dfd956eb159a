"""Shared fixtures: the flagship case, a fresh store per test on SQLite and on PostgreSQL.

PostgreSQL tests use $ACCORD_TEST_POSTGRES_URL (`make test` sets it to the local server).
Where no server answers they skip and say so, except under CI (CI=true), where a missing
server is a failure: the team store must really be tested there.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "russia-ukraine-2025"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _default_store_is_temporary(tmp_path_factory):
    # Commands run without --db record their forecasts in the default store: a temporary one in tests.
    os.environ["ACCORD_DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('default-store') / 'accord.db'}"


def _postgres_admin_url() -> str | None:
    return os.environ.get("ACCORD_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def postgres_server_url():
    """A throwaway PostgreSQL database for this test session (worker), dropped afterwards."""
    admin = _postgres_admin_url()
    reason = "PostgreSQL tests skipped: set ACCORD_TEST_POSTGRES_URL to a reachable server"
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("CI=true but ACCORD_TEST_POSTGRES_URL is not set")
        pytest.skip(reason)
    admin = admin.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            name = f"accord_test_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: skip locally, fail in CI
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {admin} is not reachable under CI: {exc}")
        pytest.skip(f"{reason} ({exc.__class__.__name__})")
    url = admin.rsplit("/", 1)[0] + "/" + name
    yield url
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty store URL: one run on SQLite, one on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'accord.db'}"
        return
    url = request.getfixturevalue("postgres_server_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as conn:
        # A connection the test leaked (an open transaction) would block the DROP for ever.
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def flagship_dir() -> Path:
    if not (FLAGSHIP / "case.yaml").exists():
        pytest.skip("the flagship case is not in this checkout yet")
    return FLAGSHIP


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/ is absent (a user's clone has none): anchor and corpus checks skipped")
    return SHARED
