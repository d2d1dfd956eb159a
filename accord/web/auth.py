"""The web side of accounts: session cookies, CSRF tokens and the login throttling policy.

Accounts, password hashes, sessions and attempt counts live in the store
(accord/store/users.py); this module decides what the browser carries and how long a guesser
waits.

* A session cookie is signed and timestamped (itsdangerous) and carries a random token naming a
  server-side session row, plus a nonce for CSRF. Logging out ends the row, so a copy of the
  cookie made before logout no longer works; a new password or deactivation ends every session
  of the user; a cookie older than `session_hours` is refused.
* CSRF tokens are bound to the session nonce (HMAC with the instance key). Before login a
  signed pre-session cookie carries the nonce, so the login form is protected too.
* Login: each attempt is reserved in the store *before* the password is checked, so N
  simultaneous guesses are stopped at the limit. After 5 failures each further attempt waits
  30 s × 2^(n−5), capped at 15 minutes; a right password clears the count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..store import Store
from ..store.users import (
    ROLE_RANK,
    ROLES,
    AuthError,
    User,
    Users,
    check_role,
    now,
    set_hasher,
)

__all__ = [
    "FREE_FAILURES",
    "ROLES",
    "ROLE_RANK",
    "AuthError",
    "LoginResult",
    "Sessions",
    "User",
    "check_role",
    "instance_secret",
    "login",
    "set_hasher",
    "wait_for",
]

FREE_FAILURES = 5
BASE_DELAY_S = 30
MAX_DELAY_S = 15 * 60


def wait_for(failures: int, last_failure_at: dt.datetime | None) -> int:
    """The throttling policy: seconds to wait before another attempt after `failures` unclear attempts."""
    if failures < FREE_FAILURES or last_failure_at is None:
        return 0
    delay = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** min(failures - FREE_FAILURES, 20))
    return max(0, int(delay - (now() - last_failure_at).total_seconds() + 0.999))


@dataclass(frozen=True)
class LoginResult:
    user: User | None  # None: wrong name or password, or throttled
    wait: int = 0  # > 0: throttled, the password was not checked; retry after this many seconds


def login(store: Store, username: str, password: str, ip: str) -> LoginResult:
    """Reserve the attempt, then check the password; clear the count on success."""
    wait = store.users.reserve_attempt(username, ip, wait_for)
    if wait:
        return LoginResult(None, wait)
    user = store.users.verify(username, password)
    if user is not None:
        store.users.clear_attempts(username, ip)
    return LoginResult(user)


def instance_secret(store: Store, configured: str | None = None) -> str:
    """The signing key: configured, else one generated once and kept in the store for all workers."""
    return configured or store.users.setting("session_secret", lambda: secrets.token_urlsafe(48))


class Sessions:
    COOKIE = "accord_session"
    PRE_COOKIE = "accord_prelogin"

    def __init__(self, secret: str, max_age_s: int, users: Users):
        self.secret = secret
        self.max_age_s = max_age_s
        self.users = users
        self._session = URLSafeTimedSerializer(secret, salt="accord.session")
        self._pre = URLSafeTimedSerializer(secret, salt="accord.prelogin")

    def issue(self, user: User) -> str:
        """Open a server-side session for `user`; the cookie value."""
        token = self.users.open_session(user, self.max_age_s)
        return self._session.dumps({"s": token, "n": secrets.token_urlsafe(16)})

    def read(self, cookie: str | None) -> tuple[dict[str, Any] | None, str | None]:
        """(payload, problem): problem is 'expired' or 'invalid' when a cookie is refused."""
        if not cookie:
            return None, None
        try:
            payload = self._session.loads(cookie, max_age=self.max_age_s)
            return (payload, None) if isinstance(payload, dict) else (None, "invalid")
        except SignatureExpired:
            return None, "expired"
        except BadSignature:
            return None, "invalid"

    def resolve(self, cookie: str | None) -> tuple[User | None, str | None, str | None]:
        """(user, CSRF nonce, problem) for a request's cookie. problem: 'expired', 'invalid' or
        'ended' (logged out, password changed, account deactivated) when there is no user."""
        payload, problem = self.read(cookie)
        if payload is None:
            return None, None, problem
        token = payload.get("s")
        user = self.users.session_user(token) if isinstance(token, str) else None
        if user is None:
            return None, None, "ended"
        nonce = payload.get("n")
        return user, nonce if isinstance(nonce, str) else None, None

    def end(self, cookie: str | None) -> None:
        """Log out: end the server-side session the cookie names (a copy of it stops working)."""
        payload, _ = self.read(cookie)
        if payload and isinstance(payload.get("s"), str):
            self.users.end_session(payload["s"])

    def issue_pre(self) -> str:
        return self._pre.dumps(secrets.token_urlsafe(16))

    def read_pre(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            nonce = self._pre.loads(cookie, max_age=3600 * 12)
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None

    def csrf_token(self, nonce: str) -> str:
        return hmac.new(self.secret.encode(), b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token:
            return False
        return hmac.compare_digest(self.csrf_token(nonce), token)

    def opaque(self, *parts: str) -> str:
        """A stable, unguessable stand-in for an identifier a viewer may not see."""
        msg = "\x1f".join(parts).encode()
        return hmac.new(self.secret.encode(), b"opaque:" + msg, hashlib.sha256).hexdigest()[:12]

