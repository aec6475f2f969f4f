"""The morning digest: people to talk to today and the goals at a glance, by e-mail.

    message = build(store, now)
    send(store, message)        # SMTP settings: `sociable results settings`
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from sociable.results import goals as G
from sociable.results.report import templates
from sociable.store import inbox as inbox_repo
from sociable.store import results as repo
from sociable.store import settings as store_settings

PEOPLE = 7


class MailError(RuntimeError):
    """The digest could not be sent; the message says what to set or fix."""


@dataclass
class Digest:
    subject: str
    text: str
    html: str


def build(store, now: datetime | None = None) -> Digest:
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        items = inbox_repo.list_items(conn, now=now, limit=PEOPLE)
        name = store_settings.get(conn, "store_name") or "Your store"
        tz = repo.timezone(conn)
    progress = G.progress_all(store, now)
    today = now.astimezone(tz)
    subject = f"{name}: {len(items)} people to talk to today ({today:%a %b %d})".replace(" 0", " ")
    lines = [f"Good morning! {today:%A, %B %d}".replace(" 0", " "), "",
             "People to talk to today:"]
    for it in items:
        lines.append(f"  - {it.person_name} ({it.platform}): {it.reasons[0] if it.reasons else ''}")
        if len(it.reasons) > 1:
            lines.append(f"      {'; '.join(it.reasons[1:3])}")
    if not items:
        lines.append("  Nobody is waiting. A good day to post something.")
    lines += ["", "Goals at a glance:"]
    lines += [f"  - {p.sentence}" for p in progress] or ["  No goals yet: sociable goals add"]
    html = templates().get_template("digest.html").render(
        subject=subject, today=today, items=items, progress=progress, store_name=name)
    return Digest(subject, "\n".join(lines) + "\n", html)


def send(store, digest: Digest, *, to: list[str] | None = None, timeout: float = 30) -> list[str]:
    """Send over SMTP with the results settings; returns the recipients."""
    with store.begin() as conn:
        cfg = repo.all_settings(conn)
        password = repo.smtp_password(conn)
    host, tls = cfg.get("smtp_host"), cfg.get("smtp_tls") or "starttls"
    recipients = to or cfg.get("digest_to") or []
    sender = cfg.get("mail_from")
    missing = [k for k, v in (("smtp_host", host), ("mail_from", sender),
                              ("digest_to", recipients)) if not v]
    if missing:
        raise MailError("set " + ", ".join(missing) + " first, e.g. sociable results set "
                        "smtp_host smtp.example.com")
    port = int(cfg.get("smtp_port") or {"ssl": 465, "none": 25}.get(tls, 587))
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = digest.subject, sender, ", ".join(recipients)
    msg.set_content(digest.text)
    msg.add_alternative(digest.html, subtype="html")
    try:
        if tls == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if cfg.get("smtp_user"):
                server.login(cfg["smtp_user"], password or "")
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not send through {host}:{port} ({tls}): {exc}") from None
    return list(recipients)
