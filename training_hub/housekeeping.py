"""Hourly jobs of the server: clean up what expires (web sessions, throttling records, old API
tokens), run the satisfaction surveys' calendar (open, remind once, close), remind the tutors of
overdue inclusion-pathway reviews (once per due date) and people and their coordinators of the safety
refreshers falling due (90 and 30 days before and on the day, once each); compute the public activity
report of the recent months, quarters and years ahead.

``training-hub open-surveys`` runs the survey part once, for installations that prefer cron.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from training_hub.core.background import stop_task
from training_hub.core.jobs import claim_periodic_run, record_job_success
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


async def run_hourly_jobs(jobs: tuple[Callable[[], Awaitable[Any]], ...]) -> bool:
    """Run the jobs unless another instance ran them within the hour (``claim_periodic_run``).

    True when this process ran them. A failing job is logged and the others still run: never let a
    periodic job take the server down; the next hour tries again.
    """
    try:
        if not await claim_periodic_run("housekeeping", timedelta(seconds=INTERVAL_SECONDS)):
            return False
    except Exception:  # the database is away: the next hour tries again
        log.exception("Attività periodiche non avviate")
        return False
    for job in jobs:
        try:
            await job()
            record_job_success(job.__name__)
        except Exception:
            log.exception("Attività periodica %s non riuscita", job.__name__)
    return True


@asynccontextmanager
async def housekeeping_lifespan(app: Any) -> AsyncIterator[None]:
    if get_settings().mode == "test":
        yield
        return

    async def loop() -> None:
        from training_hub.inclusion.reviews import remind_overdue_reviews
        from training_hub.planning.budgets import notify_expiring_budgets
        from training_hub.reports.activity import precompute_public_reports
        from training_hub.safety.reminders import send_safety_reminders
        from training_hub.surveys.lifecycle import run_survey_jobs

        while True:
            await run_hourly_jobs((purge_expired, run_survey_jobs, remind_overdue_reviews, send_safety_reminders,
                                   notify_expiring_budgets))
            # Each process keeps its own copy of the public reports: every instance computes them.
            try:
                await precompute_public_reports()
                record_job_success("precompute_public_reports")
            except Exception:
                log.exception("Attività periodica precompute_public_reports non riuscita")
            await asyncio.sleep(INTERVAL_SECONDS)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        await stop_task(task)  # bounded: a task stuck on a frozen database does not hold the shutdown
