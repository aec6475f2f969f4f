"""Send the replies written in the inbox back through the platforms.

A reply recorded in the inbox (`replies.state = recorded`) is sent through a connected account
of the item's platform, answering the item's latest interaction. Sent: the platform's id is
kept. Failed: the reply stays with state `failed` and the reason, the item goes back to the
inbox (reopened) so someone sees it, and it is retried: by the worker after a transient failure,
by `sociable send --retry` (or the web page) after any. Nothing is dropped silently.

Each reply carries an idempotency key (`sociable-reply-<id>`) where the platform takes one, so
a retry after a lost answer does not post twice.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, or_, select, update

from sociable.connectors import base
from sociable.connectors.base import PermanentError, Target, TransientError
from sociable.connectors.secrets import Vault, redact
from sociable.domain.inbox import Action, Status
from sociable.domain.interactions import TEXT_KINDS
from sociable.store import Store
from sociable.store import accounts as accounts_repo
from sociable.store import connectors_tables as ct
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t

log = logging.getLogger("sociable.connectors")

RETRY_AFTER = timedelta(minutes=2)
MAX_AUTO_ATTEMPTS = 5


@dataclass
class SendResult:
    reply_id: int
    item_id: int
    state: str  # sent, failed, recorded (nothing to send it through)
    platform_id: str | None = None
    error: str | None = None
    account: str | None = None


def idempotency_key(reply_id: int) -> str:
    return f"sociable-reply-{reply_id}"


def target_of(conn: Connection, item_id: int) -> Target | None:
    """What a reply to this item answers: its latest interaction with words, else its latest."""
    x = t.interactions
    rows = conn.execute(
        select(x.c.platform, x.c.external_id, x.c.kind, x.c.in_reply_to, x.c.url, x.c.raw,
               x.c.created_at, t.handles.c.handle)
        .join(t.inbox_item_interactions, t.inbox_item_interactions.c.interaction_id == x.c.id)
        .join(t.handles, t.handles.c.id == x.c.handle_id)
        .where(t.inbox_item_interactions.c.item_id == item_id)
        .order_by(x.c.created_at.desc(), x.c.id.desc())).all()
    if not rows:
        return None
    best = next((r for r in rows if r.kind in TEXT_KINDS), rows[0])
    return Target(platform=best.platform, external_id=best.external_id, kind=best.kind,
                  author_handle=best.handle, in_reply_to=best.in_reply_to, url=best.url,
                  raw=best.raw, created_at=best.created_at)


def _due(conn: Connection, reply_ids, retry_failed: bool, now: datetime):
    r, s = t.replies, ct.reply_sends
    stmt = select(r.c.id, r.c.item_id, r.c.text, r.c.state).outerjoin(s, s.c.reply_id == r.c.id)
    if reply_ids is not None:
        stmt = stmt.where(r.c.id.in_(list(reply_ids)), r.c.state != "sent")
    elif retry_failed:
        stmt = stmt.where(r.c.state.in_(["recorded", "failed"]))
    else:  # the worker: new ones, and transient failures whose time has come
        stmt = stmt.where(or_(r.c.state == "recorded",
                              and_(r.c.state == "failed", s.c.next_attempt_at <= now,
                                   s.c.attempts < MAX_AUTO_ATTEMPTS)))
    return conn.execute(stmt.order_by(r.c.id)).all()


def send_replies(store: Store, *, vault: Vault | None = None, reply_ids=None,
                 retry_failed: bool = False, connectors: dict[int, base.Connector] | None = None,
                 now: datetime | None = None) -> list[SendResult]:
    """Send due replies; returns what happened to each. `connectors`: account id -> instance."""
    vault = vault or Vault()
    now = now or datetime.now(UTC)
    connectors = connectors if connectors is not None else {}
    with store.begin() as conn:
        due = _due(conn, reply_ids, retry_failed, now)
        accounts = [a for a in accounts_repo.list_accounts(conn, vault) if a.status == "active"]
    results = []
    for reply in due:
        with store.begin() as conn:
            target = target_of(conn, reply.item_id)
        account = next((a for a in accounts if target and a.platform == target.platform), None)
        if target is None or account is None:
            results.append(SendResult(reply.id, reply.item_id, reply.state, error=(
                f"no connected {target.platform} account to send it through" if target
                else "the item has no interaction to answer")))
            continue
        connector = connectors.get(account.id)
        if connector is None:
            connector = connectors[account.id] = base.get(account.platform)(account)
        results.append(_send_one(store, connector, account, reply, target, now))
    return results


def _send_one(store: Store, connector: base.Connector, account, reply, target: Target,
              now: datetime) -> SendResult:
    key = idempotency_key(reply.id)
    with store.begin() as conn:
        attempts = _attempt(conn, reply.id, account.id, target.external_id, key, now)
    try:
        platform_id = connector.send_reply(target, reply.text, key)
    except (PermanentError, TransientError, NotImplementedError) as exc:
        transient = isinstance(exc, TransientError)
        reason = redact(str(exc), account.secrets)
        log.info("reply %s not sent: %s", reply.id, reason)
        with store.begin() as conn:
            conn.execute(update(t.replies).where(t.replies.c.id == reply.id)
                         .values(state="failed", error=reason))
            conn.execute(update(ct.reply_sends).where(ct.reply_sends.c.reply_id == reply.id)
                         .values(next_attempt_at=now + RETRY_AFTER * attempts if transient
                                 else None))
            _event(conn, "reply_failed", reply.item_id, {"reply_id": reply.id, "reason": reason,
                                                         "will_retry": transient}, now)
            status = conn.execute(select(t.inbox_items.c.status)
                                  .where(t.inbox_items.c.id == reply.item_id)).scalar_one()
            if status in (Status.REPLIED, Status.DONE):
                inbox_repo.transition(conn, reply.item_id, Action.REOPEN, actor="sociable",
                                      now=now)
        return SendResult(reply.id, reply.item_id, "failed", error=reason, account=account.name)
    with store.begin() as conn:
        conn.execute(update(t.replies).where(t.replies.c.id == reply.id)
                     .values(state="sent", platform_id=platform_id, error=None))
        conn.execute(update(ct.reply_sends).where(ct.reply_sends.c.reply_id == reply.id)
                     .values(next_attempt_at=None))
        _event(conn, "reply_sent", reply.item_id, {"reply_id": reply.id,
                                                   "platform_id": platform_id,
                                                   "account": account.name}, now)
        status = conn.execute(select(t.inbox_items.c.status)
                              .where(t.inbox_items.c.id == reply.item_id)).scalar_one()
        if status in (Status.NEW, Status.FLAGGED, Status.ASSIGNED, Status.SNOOZED):
            # A retry that worked after the item was reopened: it is replied now.
            inbox_repo.transition(conn, reply.item_id, Action.DONE, actor="sociable", now=now)
    return SendResult(reply.id, reply.item_id, "sent", platform_id=platform_id,
                      account=account.name)


def _attempt(conn: Connection, reply_id: int, account_id: int, target: str, key: str,
             now: datetime) -> int:
    row = conn.execute(select(ct.reply_sends.c.attempts)
                       .where(ct.reply_sends.c.reply_id == reply_id)).first()
    if row is None:
        conn.execute(ct.reply_sends.insert().values(
            reply_id=reply_id, account_id=account_id, target=target, idempotency_key=key,
            attempts=1, last_attempt_at=now))
        return 1
    conn.execute(update(ct.reply_sends).where(ct.reply_sends.c.reply_id == reply_id)
                 .values(attempts=row.attempts + 1, last_attempt_at=now, account_id=account_id))
    return row.attempts + 1


def _event(conn: Connection, name: str, item_id: int, data: dict, now: datetime) -> None:
    person = conn.execute(select(t.inbox_items.c.person_id)
                          .where(t.inbox_items.c.id == item_id)).scalar()
    conn.execute(t.events.insert().values(name=name, at=now, actor="sociable", item_id=item_id,
                                          person_id=person, data=data))


def failed_replies(conn: Connection) -> list[dict]:
    """Replies not sent, with the reason, for the inbox and settings pages."""
    r, s = t.replies, ct.reply_sends
    rows = conn.execute(select(r.c.id, r.c.item_id, r.c.text, r.c.error, s.c.attempts,
                               s.c.next_attempt_at).outerjoin(s, s.c.reply_id == r.c.id)
                        .where(r.c.state == "failed").order_by(r.c.id))
    return [dict(row._mapping) for row in rows]
