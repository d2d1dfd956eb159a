"""Accounts, passwords, sessions, CSRF tokens and login throttling for the web workspace.

* Passwords are hashed with argon2id (memory-hard; argon2-cffi's defaults: 64 MiB, 3 passes).
* A session is a signed, timestamped cookie (itsdangerous) holding the user id, a random nonce
  and the time the password was last set: changing a password or deactivating a user ends every
  session at once, and a cookie older than `session_hours` is refused (the user logs in again).
* CSRF tokens are bound to the session nonce (HMAC with the instance key). Before login a
  signed pre-session cookie carries the nonce, so the login form is protected too.
* Failed logins are counted per (username, client address) in the store, shared by every worker:
  after 5 failures each further attempt waits 30 s × 2^(n−5), capped at 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine, insert, select, update

from ..store import schema

ROLES = ("viewer", "analyst", "admin")
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,99}$")
MIN_PASSWORD = 8
FREE_FAILURES = 5
BASE_DELAY_S = 30
MAX_DELAY_S = 15 * 60

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a miss costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def set_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests use cheaper ones; existing hashes still verify)."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = hasher, hasher.hash("not-a-real-password")


class AuthError(ValueError):
    """A user-facing problem with an account operation (bad name, weak password, duplicate)."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool
    password_changed_at: float

    def can(self, role: str) -> bool:
        return self.active and ROLE_RANK[self.role] >= ROLE_RANK[role]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _ts(value: dt.datetime | None) -> float:
    if value is None:
        return 0.0
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were written in UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return round(value.timestamp(), 3)


def _user(row) -> User:
    return User(row.id, row.username, row.role, bool(row.active), _ts(row.password_changed_at))


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def add_user(engine: Engine, username: str, password: str, role: str) -> User:
    if not USERNAME_RE.match(username or ""):
        raise AuthError("a username is 1–100 letters, digits, '_', '.', '@' or '-', starting with a letter or digit")
    check_role(role)
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
    with engine.begin() as conn:
        if conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).first():
            raise AuthError(f"user {username!r} already exists")
        conn.execute(insert(schema.users).values(
            username=username, password_hash=_hasher.hash(password), role=role, active=True,
            password_changed_at=_now()))
    return get_user_by_name(engine, username)


def get_user_by_name(engine: Engine, username: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    return _user(row) if row else None


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.username))]


def set_user(engine: Engine, username: str, *, role: str | None = None, active: bool | None = None,
             password: str | None = None) -> tuple[User, User]:
    """Change a user's role, active flag or password; return (before, after)."""
    before = get_user_by_name(engine, username)
    if before is None:
        raise AuthError(f"no user {username!r}")
    values: dict = {}
    if role is not None:
        values["role"] = check_role(role)
    if active is not None:
        values["active"] = active
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
        values["password_hash"] = _hasher.hash(password)
        values["password_changed_at"] = _now()
    if values:
        with engine.begin() as conn:
            conn.execute(update(schema.users).where(schema.users.c.username == username).values(**values))
    return before, get_user_by_name(engine, username)


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The user if the password is right and the account active, else None (same cost either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with engine.begin() as conn:
            conn.execute(update(schema.users).where(schema.users.c.id == row.id)
                         .values(password_hash=_hasher.hash(password)))
    return _user(row)


# -- throttling ---------------------------------------------------------------------------------
def throttle_wait(engine: Engine, username: str, ip: str) -> int:
    """Seconds this (username, address) must still wait before another attempt; 0 if none."""
    with engine.connect() as conn:
        row = conn.execute(select(schema.login_throttle).where(
            schema.login_throttle.c.username == username[:100], schema.login_throttle.c.ip == ip[:64])).first()
    if row is None or row.failures < FREE_FAILURES or row.last_failure_at is None:
        return 0
    delay = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (row.failures - FREE_FAILURES))
    elapsed = (_now() - dt.datetime.fromtimestamp(_ts(row.last_failure_at), dt.timezone.utc)).total_seconds()
    return max(0, int(delay - elapsed + 0.999))


def record_failure(engine: Engine, username: str, ip: str) -> None:
    key = {"username": username[:100], "ip": ip[:64]}
    t = schema.login_throttle
    with engine.begin() as conn:
        res = conn.execute(update(t).where(t.c.username == key["username"], t.c.ip == key["ip"])
                           .values(failures=t.c.failures + 1, last_failure_at=_now()))
        if res.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(insert(t).values(**key, failures=1, last_failure_at=_now()))
            except Exception:  # a concurrent first failure inserted the row: count this one on it
                conn.execute(update(t).where(t.c.username == key["username"], t.c.ip == key["ip"])
                             .values(failures=t.c.failures + 1, last_failure_at=_now()))


def clear_failures(engine: Engine, username: str, ip: str) -> None:
    t = schema.login_throttle
    with engine.begin() as conn:
        conn.execute(update(t).where(t.c.username == username[:100], t.c.ip == ip[:64])
                     .values(failures=0, last_failure_at=None))


# -- instance key, sessions and CSRF ------------------------------------------------------------
def instance_secret(engine: Engine, configured: str | None = None) -> str:
    """The signing key: configured, else one generated once and kept in the store for all workers."""
    if configured:
        return configured
    t = schema.settings
    with engine.begin() as conn:
        value = conn.execute(select(t.c.value).where(t.c.key == "session_secret")).scalar()
        if value:
            return value
        try:
            with conn.begin_nested():
                conn.execute(insert(t).values(key="session_secret", value=secrets.token_urlsafe(48)))
        except Exception:  # another worker created it first
            pass
        return conn.execute(select(t.c.value).where(t.c.key == "session_secret")).scalar()


class Sessions:
    COOKIE = "accord_session"
    PRE_COOKIE = "accord_prelogin"

    def __init__(self, secret: str, max_age_s: int):
        self.secret = secret
        self.max_age_s = max_age_s
        self._session = URLSafeTimedSerializer(secret, salt="accord.session")
        self._pre = URLSafeTimedSerializer(secret, salt="accord.prelogin")

    def issue(self, user: User) -> str:
        return self._session.dumps({"u": user.id, "n": secrets.token_urlsafe(16), "p": user.password_changed_at})

    def read(self, cookie: str | None) -> tuple[dict | None, str | None]:
        """(payload, problem): problem is 'expired' or 'invalid' when a cookie is refused."""
        if not cookie:
            return None, None
        try:
            return self._session.loads(cookie, max_age=self.max_age_s), None
        except SignatureExpired:
            return None, "expired"
        except BadSignature:
            return None, "invalid"

    def issue_pre(self) -> str:
        return self._pre.dumps(secrets.token_urlsafe(16))

    def read_pre(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return self._pre.loads(cookie, max_age=3600 * 12)
        except BadSignature:
            return None

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
