"""Alembic migrations build the whole schema on both databases, adopt pre-migration stores, and
protect the audit log."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from accord.store import Store, migrations, schema


def _diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), schema.metadata)


def test_a_new_store_is_at_head_and_matches_the_tables(db_url):
    store = Store(db_url)
    assert migrations.current(store.engine) == migrations.head()
    assert set(schema.metadata.tables) <= set(inspect(store.engine).get_table_names())
    assert _diff(store.engine) == []
    store.engine.dispose()


def test_a_store_made_before_migrations_is_adopted(db_url):
    url = db_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    schema.metadata.create_all(engine)  # what ensure_schema did before Alembic
    engine.dispose()
    store = Store(db_url)
    assert migrations.current(store.engine) == migrations.head()
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (username, action) VALUES ('x', 'test')"))
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    store.engine.dispose()


def test_downgrade_and_upgrade_again(db_url):
    from alembic import command
    store = Store(db_url)
    with store.engine.begin() as conn:
        cfg = migrations.config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert "records" not in inspect(store.engine).get_table_names()
    migrations.upgrade(store.engine)
    assert _diff(store.engine) == []
    store.engine.dispose()
