"""When each background job last finished without an error, for ``/metrics`` (``training_hub_job_last_success``).

Per process: every instance runs its own loop (the notifications worker, the hourly housekeeping), and
Prometheus scrapes each instance, so an alert on "no success for two hours" fires for the instance whose
loop is stuck. Kept in ``core`` because the jobs live in several features and the web layer reads it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

_last_success: dict[str, float] = {}


def record_job_success(job: str) -> None:
    """Note that ``job`` (a fixed name such as ``"notifications"``, never data) has just succeeded."""
    _last_success[job] = time.time()


def job_successes() -> dict[str, float]:
    """Job name → Unix time of its last success in this process."""
    return dict(_last_success)


async def claim_periodic_run(job: str, every: timedelta, now: datetime | None = None) -> bool:
    """True when this process is the one to run ``job`` now; False when an instance ran it within ``every``.

    Several instances each run the hourly loop; the jobs must run once per hour across all of them.
    The claim is a ``key_value`` row (``job:<name>``) whose ``expires_at`` says until when the last run
    covers, decided in one write transaction: on PostgreSQL behind a transaction-level advisory lock
    (instances starting together queue on it instead of racing on the insert), on SQLite behind the
    IMMEDIATE write lock. The row's value counts the runs (tests and the operator read it). A run that
    fails still counts as this hour's: the next instance tries at the next hour.
    """
    from training_hub.core.db import fetch_all, fetch_one, is_sqlite, write_transaction
    from training_hub.core.timeutil import utcnow

    now = now or utcnow()
    key = f"job:{job}"
    # 90% of the period: an instance whose loop drifts by a few seconds still gets the next run.
    covered_until = now + every * 0.9
    async with write_transaction():
        if not is_sqlite():
            await fetch_all("SELECT pg_advisory_xact_lock(hashtext({}))", key)
        row = await fetch_one("SELECT value, expires_at FROM key_value WHERE key = {}", key)
        if row is None:
            await fetch_all("INSERT INTO key_value (key, value, expires_at) VALUES ({}, {}, {})",
                            key, b"1", covered_until)
            return True
        if row["expires_at"] is not None and _aware(row["expires_at"]) > now:
            return False
        runs = int(bytes(row["value"] or b"0") or b"0") + 1
        await fetch_all("UPDATE key_value SET value = {}, expires_at = {} WHERE key = {}",
                        str(runs).encode(), covered_until, key)
        return True


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
