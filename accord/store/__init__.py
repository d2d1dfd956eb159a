"""The evidence store: SQLite by default, PostgreSQL for teams, one schema for both.

Every table and transaction lives here (see docs/store.md); callers use `Store`'s methods."""

from .errors import CaseNotFound, Refused, StaleWrite
from .store import Store, default_url
from .tx import Tx
from .types import Candidate, Document, DocumentMeta, ImportResult, NewCandidate, Span
from .users import AuthError, User, local_actor

__all__ = ["Store", "StaleWrite", "CaseNotFound", "Refused", "default_url", "Tx", "Candidate", "Document",
           "DocumentMeta", "ImportResult", "NewCandidate", "Span", "AuthError", "User", "local_actor"]
