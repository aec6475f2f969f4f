"""Connected platform accounts, their checkpoints and listening keywords.

Secrets go in and come out through a `Vault`; the table only ever holds ciphertext.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select, update

from sociable.connectors.base import Account
from sociable.connectors.secrets import Vault
from sociable.store import connectors_tables as ct


def _now() -> datetime:
    return datetime.now(UTC)


def _account(conn: Connection, row, vault: Vault | None) -> Account:
    keywords = [r.keyword for r in conn.execute(
        select(ct.listening.c.keyword).where(ct.listening.c.account_id == row.id)
        .order_by(ct.listening.c.id))]
    return Account(id=row.id, platform=row.platform, name=row.name, handle=row.handle,
                   external_id=row.external_id, base_url=row.base_url,
                   secrets=vault.open(row.secrets) if vault is not None else {},
                   options=dict(row.options or {}), status=row.status, error=row.error,
                   keywords=keywords, retry_at=row.retry_at, last_sync_at=row.last_sync_at)


def add(conn: Connection, vault: Vault, *, platform: str, name: str, handle: str = "",
        external_id: str = "", base_url: str = "", secrets: dict[str, str] | None = None,
        options: dict | None = None, status: str = "active") -> Account:
    """Add an account, or update the one with the same name (connecting again)."""
    now = _now()
    values = dict(platform=platform, handle=handle, external_id=external_id,
                  base_url=base_url, secrets=vault.seal(secrets or {}), options=options or {},
                  status=status, error=None, error_at=None, retry_at=None, updated_at=now)
    existing = conn.execute(select(ct.accounts.c.id).where(ct.accounts.c.name == name)).first()
    if existing:
        conn.execute(update(ct.accounts).where(ct.accounts.c.id == existing.id).values(**values))
    else:
        conn.execute(ct.accounts.insert().values(name=name, created_at=now, **values))
    return find(conn, name, vault)


def find(conn: Connection, ref: str | int, vault: Vault | None = None) -> Account:
    """An account by id, by name, or by a handle that names exactly one account."""
    col = ct.accounts.c
    if isinstance(ref, int) or str(ref).isdigit():
        row = conn.execute(select(ct.accounts).where(col.id == int(ref))).first()
    else:
        row = conn.execute(select(ct.accounts).where(col.name == ref)).first()
        if row is None:
            rows = conn.execute(select(ct.accounts).where(col.handle == ref)).all()
            row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise LookupError(f"no connected account {ref!r}; see `sociable accounts list`")
    return _account(conn, row, vault)


def list_accounts(conn: Connection, vault: Vault | None = None,
                  platform: str | None = None) -> list[Account]:
    stmt = select(ct.accounts).order_by(ct.accounts.c.id)
    if platform:
        stmt = stmt.where(ct.accounts.c.platform == platform)
    return [_account(conn, r, vault) for r in conn.execute(stmt)]


def remove(conn: Connection, account_id: int) -> None:
    """Forget an account and its secrets; what it brought in stays in the inbox."""
    conn.execute(delete(ct.accounts).where(ct.accounts.c.id == account_id))


def update_account(conn: Connection, account_id: int, vault: Vault | None = None,
                   secrets: dict[str, str] | None = None, **values) -> None:
    if secrets is not None:
        assert vault is not None, "pass the vault to store secrets"
        values["secrets"] = vault.seal(secrets)
    conn.execute(update(ct.accounts).where(ct.accounts.c.id == account_id)
                 .values(updated_at=_now(), **values))


def set_error(conn: Connection, account_id: int, reason: str) -> None:
    """A permanent failure: the account stops syncing until someone fixes it."""
    update_account(conn, account_id, status="error", error=reason, error_at=_now())


def set_retry(conn: Connection, account_id: int, until: datetime, reason: str) -> None:
    """A transient failure: keep the status, say why, and wait until `until`."""
    update_account(conn, account_id, retry_at=until, error=reason, error_at=_now())


def mark_synced(conn: Connection, account_id: int) -> None:
    update_account(conn, account_id, last_sync_at=_now(), retry_at=None, error=None,
                   error_at=None, status="active")


def checkpoints(conn: Connection, account_id: int) -> dict[str, str]:
    return {r.stream: r.position for r in conn.execute(
        select(ct.checkpoints).where(ct.checkpoints.c.account_id == account_id))}


def save_checkpoint(conn: Connection, account_id: int, feed: str, position: str) -> None:
    now = _now()
    done = conn.execute(update(ct.checkpoints).where(
        ct.checkpoints.c.account_id == account_id, ct.checkpoints.c.stream == feed)
        .values(position=position, updated_at=now)).rowcount
    if not done:
        conn.execute(ct.checkpoints.insert().values(account_id=account_id, stream=feed,
                                                     position=position, updated_at=now))


def listen(conn: Connection, account_id: int, keyword: str) -> bool:
    """Add a keyword or hashtag to listen for; False when it was already there."""
    keyword = keyword.strip()
    if not keyword:
        raise ValueError("a keyword cannot be empty")
    exists = conn.execute(select(ct.listening.c.id).where(
        ct.listening.c.account_id == account_id, ct.listening.c.keyword == keyword)).first()
    if exists:
        return False
    conn.execute(ct.listening.insert().values(account_id=account_id, keyword=keyword,
                                              created_at=_now()))
    return True


def unlisten(conn: Connection, account_id: int, keyword: str) -> bool:
    return bool(conn.execute(delete(ct.listening).where(
        ct.listening.c.account_id == account_id, ct.listening.c.keyword == keyword)).rowcount)
