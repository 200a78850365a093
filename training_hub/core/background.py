"""Stopping a background task (the notifications worker, the hourly jobs) within a bounded time.

A task stuck on a frozen database may not notice its cancellation for as long as the wait lasts:
the server's shutdown waits for it at most ``TRAINING_HUB_SHUTDOWN_TIMEOUT`` seconds, then goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger("training_hub")


async def stop_task(task: asyncio.Task[Any], timeout: float | None = None) -> None:
    if timeout is None:
        from training_hub.core.settings import get_settings

        timeout = float(get_settings().shutdown_timeout_seconds)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        log.warning("L'attività %s non si è fermata entro %s secondi: la lascio", task.get_name(), timeout)
        return
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()
