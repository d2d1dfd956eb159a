"""The team workspace (`accord serve`): pages and a JSON API over the store, with roles and an audit log."""

from .app import create_app

__all__ = ["create_app"]
