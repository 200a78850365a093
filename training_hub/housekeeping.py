"""Hourly jobs of the server: clean up what expires (web sessions, throttling records, old API
tokens), run the satisfaction surveys' calendar (open, remind once, close) and remind the tutors of
overdue inclusion-pathway reviews (once per due date).

``training-hub open-surveys`` runs the survey part once, for installations that prefer cron.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from training_hub.core.settings import get_settings
from training_hub.core.tables import ApiToken, KeyValue, LoginFailure
from training_hub.core.timeutil import utcnow

log = logging.getLogger("training_hub.housekeeping")
INTERVAL_SECONDS = 3600


async def purge_expired(now: datetime | None = None) -> None:
    now = now or utcnow()
    await KeyValue.delete().where(KeyValue.expires_at < now)
    await LoginFailure.delete().where(LoginFailure.at < now - timedelta(days=1))
    await ApiToken.delete().where(ApiToken.expires_at < now - timedelta(days=7))
    # Password-reset requests counted for throttling, and e-mailed password links long expired.
    from training_hub.accounts.tables import AccountLink, ThrottleHit

    await ThrottleHit.delete().where(ThrottleHit.at < now - timedelta(days=1))
    await AccountLink.delete().where(AccountLink.expires_at < now - timedelta(days=30))


@asynccontextmanager
async def housekeeping_lifespan(app: Any) -> AsyncIterator[None]:
    if get_settings().mode == "test":
        yield
        return

    async def loop() -> None:
        from training_hub.inclusion.reviews import remind_overdue_reviews
        from training_hub.surveys.lifecycle import run_survey_jobs

        while True:
            for job in (purge_expired, run_survey_jobs, remind_overdue_reviews):
                try:
                    await job()
                except Exception:  # never let a periodic job take the server down; try again next hour
                    log.exception("Attività periodica %s non riuscita", job.__name__)
            await asyncio.sleep(INTERVAL_SECONDS)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
