"""Accounts, server-side sessions, login attempts and instance settings.

* Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes).
* A session is a row keyed by the SHA-256 of a random token; the cookie carries the token.
  Ending it (logout), changing the password or deactivating the account ends it here, so a
  copied cookie stops working at once on every worker.
* Login attempts are reserved before the password is checked (`reserve_attempt`): one atomic
  compare-and-set per attempt, so N simultaneous guesses cannot all pass the throttle.
  The policy (how long to wait after how many failures) is the caller's (accord/web/auth.py).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import audit, schema

ROLES = ("viewer", "analyst", "admin")
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,99}$")
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a miss costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def set_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests use cheaper ones; existing hashes still verify)."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = hasher, hasher.hash("not-a-real-password")


def local_actor() -> str:
    """Who a command-line write is attributed to: the operating-system account running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:
        return "cli:unknown"


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

    def public(self) -> dict[str, object]:
        """What the audit log and the admin pages show (never the hash)."""
        return {"username": self.username, "role": self.role, "active": self.active}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite hands back naive datetimes, written in UTC
        value = value.replace(tzinfo=dt.UTC)
    return value


def _ts(value: dt.datetime | None) -> float:
    value = _utc(value)
    return 0.0 if value is None else round(value.timestamp(), 3)


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, bool(row.active), _ts(row.password_changed_at))


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def _check_password(password: str | None) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
    if "\x00" in (password or ""):
        raise AuthError("the password contains a NUL character")
    return password or ""


def _name(username: str) -> str | None:
    """The name as stored, or None if no account can have it (a NUL: PostgreSQL would fail on it)."""
    return None if "\x00" in username or len(username) > 100 else username


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# wait_for(failures so far, time of the last one) -> seconds still to wait (0: may try now)
WaitPolicy = Callable[[int, "dt.datetime | None"], int]


class Users:
    def __init__(self, engine: Engine):
        self.engine = engine

    # -- accounts --------------------------------------------------------------------------------
    def add(self, username: str, password: str, role: str, *, actor: str) -> User:
        if not USERNAME_RE.match(username or ""):
            raise AuthError("a username is 1–100 letters, digits, '_', '.', '@' or '-', starting with a letter or digit")
        check_role(role)
        hashed = _hasher.hash(_check_password(password))
        t = schema.users
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(t.c.id).where(t.c.username == username)).first():
                    raise AuthError(f"user {username!r} already exists")
                conn.execute(insert(t).values(username=username, password_hash=hashed, role=role, active=True,
                                              password_changed_at=now()))
                user = _user(conn.execute(select(t).where(t.c.username == username)).one())
                audit.append(conn, actor, "user.add", kind="user", record_id=username, after=user.public())
        except IntegrityError:  # a concurrent add of the same name
            raise AuthError(f"user {username!r} already exists") from None
        return user

    def by_name(self, username: str) -> User | None:
        if _name(username) is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.username == username)).first()
        return _user(row) if row else None

    def get(self, user_id: int) -> User | None:
        if not -(2 ** 31) <= user_id < 2 ** 31:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
        return _user(row) if row else None

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.username))]

    def change(self, username: str, *, actor: str, role: str | None = None, active: bool | None = None,
               password: str | None = None) -> tuple[User, User]:
        """Change a user's role, active flag or password; return (before, after).

        A new password or deactivation ends every session of the user."""
        t = schema.users
        values: dict[str, Any] = {}
        if role is not None:
            values["role"] = check_role(role)
        if active is not None:
            values["active"] = active
        if password is not None:
            values["password_hash"] = _hasher.hash(_check_password(password))
            values["password_changed_at"] = now()
        with self.engine.begin() as conn:
            row = conn.execute(select(t).where(t.c.username == _name(username))).first() if _name(username) else None
            if row is None:
                raise AuthError(f"no user {username!r}")
            before = _user(row)
            if values:
                conn.execute(update(t).where(t.c.id == before.id).values(**values))
            if password is not None or active is False:
                s = schema.sessions
                conn.execute(update(s).where(s.c.user_id == before.id, s.c.ended_at.is_(None)).values(ended_at=now()))
            after = _user(conn.execute(select(t).where(t.c.id == before.id)).one())
            audit.append(conn, actor, "user.change", kind="user", record_id=username,
                         before=before.public(), after=after.public() | {"password_changed": password is not None})
        return before, after

    def verify(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account active, else None (same cost either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(
                schema.users.c.username == _name(username))).first() if _name(username) else None
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(update(schema.users).where(schema.users.c.id == row.id)
                             .values(password_hash=_hasher.hash(password)))
        return _user(row)

    # -- login attempts ----------------------------------------------------------------------------
    def reserve_attempt(self, username: str, ip: str, wait_for: WaitPolicy) -> int:
        """Count one login attempt before its password is checked; 0 if it may go ahead, else the
        seconds to wait (and nothing is counted).

        The count moves by compare-and-set (`failures = n` in the WHERE), so of N simultaneous
        attempts each sees a different n and the policy stops them at its limit, on SQLite and
        PostgreSQL alike. `clear_attempts` after a right password resets the count.
        """
        t = schema.login_throttle
        username, ip = username.replace("\x00", "\ufffd")[:100], ip.replace("\x00", "\ufffd")[:64]
        key = (t.c.username == username) & (t.c.ip == ip)
        for _ in range(1000):  # each retry means another attempt was counted first
            with self.engine.begin() as conn:
                row = conn.execute(select(t.c.failures, t.c.last_failure_at).where(key)).first()
                if row is None:
                    try:
                        with conn.begin_nested():
                            conn.execute(insert(t).values(username=username, ip=ip, failures=1,
                                                          last_failure_at=now()))
                        return 0
                    except IntegrityError:
                        continue  # a concurrent first attempt created the row
                wait = wait_for(row.failures, _utc(row.last_failure_at))
                if wait > 0:
                    return wait
                res = conn.execute(update(t).where(key, t.c.failures == row.failures)
                                   .values(failures=row.failures + 1, last_failure_at=now()))
                if res.rowcount == 1:
                    return 0
        raise RuntimeError("login attempts did not settle")  # not reached under any real load

    def clear_attempts(self, username: str, ip: str) -> None:
        t = schema.login_throttle
        username, ip = username.replace("\x00", "\ufffd")[:100], ip.replace("\x00", "\ufffd")[:64]
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.username == username, t.c.ip == ip)
                         .values(failures=0, last_failure_at=None))

    # -- sessions ----------------------------------------------------------------------------------
    def open_session(self, user: User, max_age_s: int) -> str:
        """A new session for `user`; returns the token to put in the cookie (only its hash is kept)."""
        token = secrets.token_urlsafe(32)
        at = now()
        s = schema.sessions
        with self.engine.begin() as conn:
            # The user's sessions that expired a day ago say nothing any more.
            conn.execute(delete(s).where(s.c.user_id == user.id, s.c.expires_at < at - dt.timedelta(days=1)))
            conn.execute(insert(schema.sessions).values(id=_token_id(token), user_id=user.id, created_at=at,
                                                        expires_at=at + dt.timedelta(seconds=max_age_s)))
            audit.append(conn, user.username, "user.login", kind="user", record_id=user.username)
        return token

    def session_user(self, token: str) -> User | None:
        """The user of a live session: not ended, not expired, account active."""
        s, u = schema.sessions, schema.users
        with self.engine.connect() as conn:
            row = conn.execute(select(u, s.c.expires_at, s.c.ended_at).join(s, s.c.user_id == u.c.id)
                               .where(s.c.id == _token_id(token))).first()
        expires = _utc(row.expires_at) if row is not None else None
        if row is None or row.ended_at is not None or expires is None or expires <= now() or not row.active:
            return None
        return _user(row)

    def end_session(self, token: str) -> None:
        """Log out: the session is over for every worker, whoever holds a copy of the cookie."""
        s, u = schema.sessions, schema.users
        with self.engine.begin() as conn:
            row = conn.execute(select(u.c.username).join(s, s.c.user_id == u.c.id)
                               .where(s.c.id == _token_id(token), s.c.ended_at.is_(None))).first()
            if row is None:
                return
            conn.execute(update(s).where(s.c.id == _token_id(token)).values(ended_at=now()))
            audit.append(conn, row.username, "user.logout", kind="user", record_id=row.username)

    # -- instance settings -------------------------------------------------------------------------
    def setting(self, key: str, make: Callable[[], str]) -> str:
        """The value of an instance setting, created once with `make()` and shared by every worker."""
        t = schema.settings
        with self.engine.begin() as conn:
            value = conn.execute(select(t.c.value).where(t.c.key == key)).scalar()
            if value:
                return str(value)
            try:
                with conn.begin_nested():
                    conn.execute(insert(t).values(key=key, value=make()))
                    # The value may be a secret: the log says only that it was made.
                    audit.append(conn, "system", "setting.create", kind="setting", record_id=key)
            except IntegrityError:  # another worker created it first
                pass
            return str(conn.execute(select(t.c.value).where(t.c.key == key)).scalar_one())
