"""The evidence store: SQLite by default, PostgreSQL for teams, one schema for both.

Every table and transaction lives here (see docs/store.md); callers use `Store`'s methods."""

from . import ledger as _ledger  # noqa: F401  (its tables join the schema's metadata: migrations compare all)
from .errors import CaseNotFound, Refused, StaleWrite
from .store import Store, default_url
from .tx import Tx
from .types import Candidate, Document, DocumentMeta, ImportResult, NewCandidate, Span
from .users import AuthError, User, local_actor

__all__ = [
           "AuthError",
           "Candidate",
           "CaseNotFound",
           "Document",
           "DocumentMeta",
           "ImportResult",
           "NewCandidate",
           "Refused",
           "Span",
           "StaleWrite",
           "Store",
           "Tx",
           "User",
           "default_url",
           "local_actor",
]
