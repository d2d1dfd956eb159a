"""The evidence store: SQLite by default, PostgreSQL for teams, one schema for both."""

from .store import Store, StaleWrite, default_url

__all__ = ["Store", "StaleWrite", "default_url"]
