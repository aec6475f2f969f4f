"""Web accounts in the database: users, sessions, invites, API tokens and login attempts.

Passwords are argon2 hashes; session ids, invite and API tokens are random secrets of which
only a SHA-256 hash is stored, so a copy of the database does not let anyone in.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, select, update

from sociable.store import tables as t

SESSION_DAYS = 30
INVITE_DAYS = 7
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES = 5  # failures per username and address within the window before refusing

_hasher = PasswordHasher()
# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


@dataclass
class User:
    id: int
    username: str
    name: str
    role: Role
    active: bool = True

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def _user(row) -> User:
    return User(row.id, row.username, row.name, Role(row.role), row.active)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def normalize_username(username: str) -> str:
    return username.strip().lower()


def valid_password(password: str) -> str | None:
    """Why a password is refused, or None when it will do."""
    if len(password) < 10:
        return "a password needs at least 10 characters"
    return None


# --- users -------------------------------------------------------------------------------

def count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(t.users)).scalar_one()


def create(conn: Connection, username: str, password: str, role: Role | str,
           name: str = "") -> User:
    username = normalize_username(username)
    if not username or len(username) > 120 or any(c.isspace() for c in username):
        raise ValueError("a username is one word of at most 120 characters")
    problem = valid_password(password)
    if problem:
        raise ValueError(problem)
    if conn.execute(select(t.users.c.id).where(t.users.c.username == username)).first():
        raise ValueError(f"the username {username!r} is taken")
    new_id = conn.execute(t.users.insert().values(
        username=username, name=name.strip() or username, role=str(Role(role)),
        password_hash=_hasher.hash(password), active=True, created_at=_now(),
    )).inserted_primary_key[0]
    return get(conn, new_id)  # type: ignore[return-value]


def get(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
    return _user(row) if row else None


def all_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(t.users).order_by(t.users.c.username))]


def authenticate(conn: Connection, username: str, password: str) -> User | None:
    """The user when the password is right and the account active, else None."""
    row = conn.execute(select(t.users).where(
        t.users.c.username == normalize_username(username))).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        conn.execute(update(t.users).where(t.users.c.id == row.id)
                     .values(password_hash=_hasher.hash(password)))
    return _user(row)


def deactivate(conn: Connection, user_id: int) -> None:
    """Switch an account off: its sessions and API tokens stop working at once."""
    user = get(conn, user_id)
    if user is None:
        raise LookupError(f"no user with id {user_id}")
    if user.is_owner and sum(u.is_owner and u.active for u in all_users(conn)) <= 1:
        raise ValueError("the last owner cannot be switched off")
    conn.execute(update(t.users).where(t.users.c.id == user_id).values(active=False))
    end_sessions(conn, user_id)
    conn.execute(update(t.api_tokens).where(t.api_tokens.c.user_id == user_id,
                                            t.api_tokens.c.revoked_at.is_(None))
                 .values(revoked_at=_now()))


# --- sessions ------------------------------------------------------------------------------

@dataclass
class Session:
    user: User
    csrf: str


def start_session(conn: Connection, user_id: int) -> tuple[str, str]:
    """A new session; returns (the secret for the cookie, its CSRF token)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(t.sessions.insert().values(
        id=digest(secret), user_id=user_id, csrf=csrf, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(days=SESSION_DAYS)))
    return secret, csrf


def session(conn: Connection, secret: str) -> Session | None:
    row = conn.execute(select(t.sessions, t.users)
                       .join(t.users, t.users.c.id == t.sessions.c.user_id)
                       .where(t.sessions.c.id == digest(secret))).first()
    now = _now()
    if row is None or not row.active or row.expires_at <= now:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):
        conn.execute(update(t.sessions).where(t.sessions.c.id == digest(secret))
                     .values(last_seen_at=now))
    return Session(User(row.user_id, row.username, row.name, Role(row.role), row.active),
                   row.csrf)


def end_session(conn: Connection, secret: str) -> None:
    conn.execute(delete(t.sessions).where(t.sessions.c.id == digest(secret)))


def end_sessions(conn: Connection, user_id: int) -> int:
    """Log a user out everywhere; returns how many sessions ended."""
    return conn.execute(delete(t.sessions).where(t.sessions.c.user_id == user_id)).rowcount


# --- invites -------------------------------------------------------------------------------

def invite(conn: Connection, created_by: int, role: Role | str = Role.STAFF) -> str:
    """A one-time invite; returns its token (only its hash is kept)."""
    token = secrets.token_urlsafe(24)
    now = _now()
    conn.execute(t.invites.insert().values(
        token_hash=digest(token), role=str(Role(role)), created_by=created_by, created_at=now,
        expires_at=now + timedelta(days=INVITE_DAYS)))
    return token


def open_invite(conn: Connection, token: str):
    """The invite row if the token is unused and not expired, else None."""
    row = conn.execute(select(t.invites).where(t.invites.c.token_hash == digest(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= _now():
        return None
    return row


def accept_invite(conn: Connection, token: str, username: str, password: str,
                  name: str = "") -> User:
    row = open_invite(conn, token)
    if row is None:
        raise LookupError("this invite link is unknown, used or expired; "
                          "ask the owner for a new one")
    user = create(conn, username, password, row.role, name)
    conn.execute(update(t.invites).where(t.invites.c.id == row.id)
                 .values(used_at=_now(), used_by=user.id))
    return user


def pending_invites(conn: Connection) -> list[dict]:
    rows = conn.execute(select(t.invites).where(t.invites.c.used_at.is_(None),
                                                t.invites.c.expires_at > _now())
                        .order_by(t.invites.c.id))
    return [{"id": r.id, "role": r.role, "created_at": r.created_at, "expires_at": r.expires_at}
            for r in rows]


# --- API tokens ----------------------------------------------------------------------------

def create_token(conn: Connection, user_id: int, name: str) -> tuple[int, str]:
    """A bearer token acting as this user; returns (id, the token: shown once)."""
    if get(conn, user_id) is None:
        raise LookupError(f"no user with id {user_id}")
    token = "soc_" + secrets.token_urlsafe(32)
    token_id = conn.execute(t.api_tokens.insert().values(
        user_id=user_id, name=name.strip() or "token", token_hash=digest(token),
        created_at=_now())).inserted_primary_key[0]
    return token_id, token


def token_user(conn: Connection, token: str) -> User | None:
    row = conn.execute(select(t.api_tokens.c.id, t.api_tokens.c.last_used_at, t.users)
                       .join(t.users, t.users.c.id == t.api_tokens.c.user_id)
                       .where(t.api_tokens.c.token_hash == digest(token),
                              t.api_tokens.c.revoked_at.is_(None))).first()
    if row is None or not row.active:
        return None
    now = _now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        conn.execute(update(t.api_tokens).where(t.api_tokens.c.id == row[0])
                     .values(last_used_at=now))
    return User(row[2], row.username, row.name, Role(row.role), row.active)


def tokens(conn: Connection) -> list[dict]:
    rows = conn.execute(select(t.api_tokens, t.users.c.username)
                        .join(t.users, t.users.c.id == t.api_tokens.c.user_id)
                        .where(t.api_tokens.c.revoked_at.is_(None))
                        .order_by(t.api_tokens.c.id))
    return [{"id": r.id, "name": r.name, "user": r.username, "created_at": r.created_at,
             "last_used_at": r.last_used_at} for r in rows]


def revoke_token(conn: Connection, token_id: int) -> None:
    done = conn.execute(update(t.api_tokens).where(t.api_tokens.c.id == token_id,
                                                   t.api_tokens.c.revoked_at.is_(None))
                        .values(revoked_at=_now())).rowcount
    if not done:
        raise LookupError(f"no active API token with id {token_id}")


# --- login rate limiting -------------------------------------------------------------------

def login_blocked(conn: Connection, username: str, ip: str) -> bool:
    """True after LOGIN_FAILURES failures for this username from this address in the window."""
    since = _now() - LOGIN_WINDOW
    failures = conn.execute(select(func.count()).select_from(t.login_attempts).where(
        t.login_attempts.c.username == normalize_username(username)[:120],
        t.login_attempts.c.ip == ip[:64], t.login_attempts.c.at > since)).scalar_one()
    return failures >= LOGIN_FAILURES


def login_failed(conn: Connection, username: str, ip: str) -> None:
    now = _now()
    conn.execute(delete(t.login_attempts).where(t.login_attempts.c.at < now - LOGIN_WINDOW))
    conn.execute(t.login_attempts.insert().values(
        username=normalize_username(username)[:120], ip=ip[:64], at=now))


def login_succeeded(conn: Connection, username: str, ip: str) -> None:
    conn.execute(delete(t.login_attempts).where(
        t.login_attempts.c.username == normalize_username(username)[:120],
        t.login_attempts.c.ip == ip[:64]))
