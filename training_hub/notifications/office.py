"""What the office sees of the outbox: how many notices wait or failed, and a way to resend a failed one.

A notice fails for good after ``TRAINING_HUB_NOTIFICATIONS_RETRY_DAYS`` of unreachable mail server, or at
once when the server refuses it permanently (an SMTP 5xx: an address that does not exist, say). The
office sees them here, fixes the cause (the person's e-mail, the server) and resends: the row goes back to
pending with a new retry window, and keeps its id, so its Message-ID stays the same (``sender.message_id``).

Subjects and bodies are not listed: a subject names the course, and the office reaches the content through
the person's page if need be. Only admins see this page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.timeutil import utcnow

MAX_LISTED = 200

COUNTS_SQL = (
    "SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS pending, "
    "(SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts > 0) AS retrying, "
    "(SELECT COUNT(*) FROM outbox WHERE status = 'failed') AS failed, "
    "(SELECT MIN(created_at) FROM outbox WHERE status = 'pending' AND attempts > 0) AS oldest_retrying"
)
FAILED_SQL = (
    "SELECT o.id, o.kind, o.to_email, o.created_at, o.attempts, o.next_attempt_at, o.last_error, "
    "p.full_name FROM outbox o LEFT JOIN person p ON p.id = o.recipient "
    "WHERE o.status = 'failed' ORDER BY o.created_at DESC, o.id DESC LIMIT {}"
)


def _require_office(actor: CurrentUser) -> None:
    if not actor.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione vede le notifiche non consegnate."))


async def outbox_overview(actor: CurrentUser) -> dict[str, Any]:
    """Counts of pending, retrying and failed notices, and the failed ones (newest first)."""
    _require_office(actor)
    counts = await fetch_one(COUNTS_SQL) or {}
    failed = await fetch_all(FAILED_SQL, MAX_LISTED)
    return {
        "pending": int(counts.get("pending") or 0),
        "retrying": int(counts.get("retrying") or 0),
        "failed_count": int(counts.get("failed") or 0),
        "failed": failed,
        "retry_days": get_settings().notifications_retry_days,
    }


async def resend_failed(actor: CurrentUser, outbox_id: int) -> None:
    """Put a failed notice back in the queue, due now, with a fresh retry window."""
    _require_office(actor)
    now = utcnow()
    rows = await fetch_all(
        "UPDATE outbox SET status = 'pending', next_attempt_at = {}, retry_until = {}, last_error = '' "
        "WHERE id = {} AND status = 'failed' RETURNING id",
        now, now + timedelta(days=get_settings().notifications_retry_days), outbox_id,
    )
    if not rows:
        raise NotFound(N_("La notifica non esiste o non è tra quelle non consegnate."))
    # The id goes in data: outbox ids are 64-bit, audit_event.entity_id is not.
    await record_audit_event("notifications.resend", actor_id=actor.id, entity="outbox", data={"outbox_id": outbox_id})
