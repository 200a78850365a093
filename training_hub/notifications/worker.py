"""The notifications worker: a background task of the server, and one run for cron.

In the server (``training_hub.plugin.BACKGROUND_TASKS``) a task wakes every
``TRAINING_HUB_NOTIFICATIONS_INTERVAL`` seconds (30 by default; 0 turns it off), queues the day-before
reminders and sends what is due; it is stopped cleanly at shutdown and never started in test mode.
Several workers can run it at once: rows are claimed one by one (see ``sender.py``) and reminders are
deduplicated. ``training-hub send-notifications`` does the same once, for a cron job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from training_hub.core.background import stop_task
from training_hub.core.jobs import record_job_success
from training_hub.core.settings import get_settings
from training_hub.notifications.sender import OutboxRun, process_outbox
from training_hub.notifications.sessions import queue_due_reminders

log = logging.getLogger("training_hub.notifications")


async def run_once(limit: int = 50) -> tuple[int, OutboxRun]:
    """Queue due reminders, then send due notifications. Returns (reminders queued, what was sent)."""
    reminders = await queue_due_reminders()
    return reminders, await process_outbox(limit=limit)


async def run_forever(interval_seconds: float) -> None:
    while True:
        try:
            await run_once()
            record_job_success("notifications")
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup must not kill the worker: log it and try again later
            log.exception(
                "Invio delle notifiche non riuscito; nuovo tentativo tra %s secondi", interval_seconds
            )
        await asyncio.sleep(interval_seconds)


@asynccontextmanager
async def notifications_lifespan(app: Any) -> AsyncIterator[None]:
    """Start the worker with the server, stop it at shutdown (not in test mode, not with interval 0)."""
    settings = get_settings()
    if settings.mode == "test" or settings.notifications_interval_seconds <= 0:
        yield
        return
    task = asyncio.create_task(
        run_forever(settings.notifications_interval_seconds), name="training-hub-notifications"
    )
    try:
        yield
    finally:
        await stop_task(task)  # bounded: a task stuck on a frozen database does not hold the shutdown
