"""Sending the outbox: SMTP when ``TRAINING_HUB_SMTP_URL`` is set, the log otherwise.

:func:`process_outbox` *claims* a batch of due rows (pending, ``next_attempt_at`` reached) with one
UPDATE whose inner SELECT uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (:func:`claim_due`), sends each
and marks it sent. Claiming moves
``next_attempt_at`` a lease into the future, so several server workers (and the cron command) never
send the same row twice; if a process dies mid-send, the row is tried again when the lease expires.
A failed send is retried with exponential backoff (1, 2, 4 … minutes, at most an hour) for
``TRAINING_HUB_NOTIFICATIONS_RETRY_DAYS`` (3 by default: a weekend-long outage of the mail server loses
nothing), counted from when the row was queued or resent by the office (``retry_until``); only a
permanent refusal (an SMTP 5xx answer) gives up at once. Failed rows are listed to the office
(``/admin/notifications``), which can resend them. SMTP runs in a thread: the event loop never waits
on a mail server, and a request never waits for either.

The Message-ID is derived from the outbox row (:func:`message_id`): if the process dies after the mail
server accepted a message and before the row is marked sent, the message goes out again on the next
run, with the same Message-ID, so mail systems and clients recognise it as the same message.

``TRAINING_HUB_SMTP_URL``: ``smtp://user:password@host:587`` (STARTTLS when the server offers it),
``smtps://user:password@host:465`` (TLS from the start), or ``smtp://host:25`` without login.
The log never shows a message's body or subject, only its id, kind and the recipient's person id: a
subject names the course, and a person id next to the title of an inclusion course would tell who is
on an inclusion pathway (special-category data, which never goes into a log). The outbox row has the
rest.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from training_hub.core.db import fetch_all, is_sqlite
from training_hub.core.settings import get_settings
from training_hub.core.text import one_line
from training_hub.core.timeutil import utcnow

log = logging.getLogger("training_hub.notifications")

LEASE = timedelta(minutes=10)
BACKOFF_CAP = timedelta(hours=1)
SMTP_TIMEOUT_SECONDS = 30


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes, capped at an hour."""
    return min(timedelta(minutes=2 ** min(max(0, attempts - 1), 10)), BACKOFF_CAP)  # no overflow at try 80


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "TRAINING_HUB_SMTP_URL deve essere smtp://utente:password@host:porta o smtps://…"
            )
        implicit_tls = scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit_tls,
        )


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def _send_blocking(self, message: EmailMessage) -> None:
        config = self.config
        context = ssl.create_default_context()
        if config.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT_SECONDS)
        with client:
            client.ehlo()
            if not config.implicit_tls and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if config.username:
                client.login(config.username, config.password or "")
            client.send_message(message)

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send_blocking, message)


class LogTransport:
    """Without SMTP (development, demo): say that a message would have been sent, never what it says."""

    async def send(self, message: EmailMessage) -> None:
        log.info(
            "Notifica %s (%s) sarebbe stata inviata alla persona %s",
            message["X-Training-Hub-Id"],
            message["X-Training-Hub-Kind"],
            message["X-Training-Hub-Recipient"],
        )


def transport_from_settings() -> Transport:
    url = get_settings().smtp_url
    return SmtpTransport(SmtpConfig.from_url(url)) if url else LogTransport()


def message_id(row: dict[str, Any]) -> str:
    """The same for every try of one outbox row, different for every row of every installation: the row's
    id and creation instant, at the host of ``TRAINING_HUB_BASE_URL``."""
    created = row.get("created_at")
    stamp = int(created.timestamp()) if isinstance(created, datetime) else 0
    host = urlsplit(get_settings().base_url).hostname or "training-hub"
    return f"<outbox-{row['id']}.{stamp}@{host}>"


def is_permanent(exc: BaseException) -> bool:
    """An SMTP 5xx answer: the server refuses this message for good (unknown recipient, rejected content).
    Everything else (refused or lost connections, timeouts, 4xx "try later") is worth trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(exc, smtplib.SMTPResponseException) and isinstance(code, int) and 500 <= code < 600


def build_email(row: dict[str, Any]) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row["to_email"]
    message["Subject"] = one_line(row["subject"])  # a stored CR/LF would be refused as header injection
    message["Message-ID"] = message_id(row)
    message["X-Training-Hub-Id"] = str(row["id"])
    message["X-Training-Hub-Kind"] = row["kind"]
    message["X-Training-Hub-Recipient"] = str(row["recipient"] or "")
    message.set_content(row["body"])
    if row.get("ics"):
        method = "CANCEL" if "METHOD:CANCEL" in row["ics"] else "REQUEST"
        message.add_attachment(
            row["ics"], subtype="calendar", filename="invito.ics", params={"method": method}
        )
    return message


def retry_deadline(row: dict[str, Any]) -> datetime:
    """Until when a failing row is tried again (see the module notes)."""
    if row.get("retry_until") is not None:
        return row["retry_until"]
    return row["created_at"] + timedelta(days=get_settings().notifications_retry_days)


@dataclass
class OutboxRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def processed(self) -> int:
        return self.sent + self.retried + self.failed


# One statement claims a batch: the rows due, each moved a lease into the future. On PostgreSQL a
# MATERIALIZED CTE picks them once with FOR UPDATE SKIP LOCKED (rows another sender has locked are
# skipped, so two instances take disjoint batches without waiting); written as ``id IN (subquery)``,
# PostgreSQL may run the locking subquery again per row and claim more than the limit. SQLite runs one
# writer at a time, so the plain statement is atomic there.
_CLAIM_RETURNING = "RETURNING outbox.id, kind, recipient, to_email, subject, body, ics, attempts, created_at, retry_until"
_CLAIM_SQL_SQLITE = (
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = {} "
    "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= {} "
    "ORDER BY next_attempt_at, id LIMIT {}) " + _CLAIM_RETURNING
)
_CLAIM_SQL_POSTGRES = (
    "WITH due AS MATERIALIZED (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= {} "
    "ORDER BY next_attempt_at, id LIMIT {} FOR UPDATE SKIP LOCKED) "
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = {} FROM due WHERE outbox.id = due.id "
    + _CLAIM_RETURNING
)


async def claim_due(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Take up to ``limit`` due rows for this process, oldest first; rows another process holds are
    left to it."""
    if is_sqlite():
        rows = await fetch_all(_CLAIM_SQL_SQLITE, now + LEASE, now, limit)
    else:
        rows = await fetch_all(_CLAIM_SQL_POSTGRES, now, limit, now + LEASE)
    return sorted(rows, key=lambda row: row["id"])


async def process_outbox(
    now: datetime | None = None, limit: int = 50, transport: Transport | None = None
) -> OutboxRun:
    """Send up to ``limit`` due notifications; returns what happened to them."""
    now = now or utcnow()
    transport = transport or transport_from_settings()
    result = OutboxRun()
    for row in await claim_due(now, limit):
        try:
            await transport.send(build_email(row))
        except Exception as exc:  # noqa: BLE001 - any failure of the server or the network: retry later
            attempts = int(row["attempts"])
            retry_at = now + backoff(attempts)
            gave_up = is_permanent(exc) or retry_at > retry_deadline(row)
            await fetch_all(
                "UPDATE outbox SET status = {}, next_attempt_at = {}, last_error = {} WHERE id = {}",
                "failed" if gave_up else "pending",
                retry_at,
                f"{type(exc).__name__}: {exc}"[:1000],
                row["id"],
            )
            log.warning(
                "Invio della notifica %s non riuscito (tentativo %d%s): %s",
                row["id"],
                attempts,
                ", abbandonata" if gave_up else "",
                type(exc).__name__,
            )
            if gave_up:
                result.failed += 1
            else:
                result.retried += 1
            continue
        await fetch_all(
            "UPDATE outbox SET status = 'sent', sent_at = {}, last_error = '' WHERE id = {}",
            utcnow(),
            row["id"],
        )
        result.sent += 1
    return result
