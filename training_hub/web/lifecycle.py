"""Start-up and shutdown of the server process: what ``/readyz`` and SIGTERM rely on.

* **Not ready once shutdown begins.** On SIGTERM (or SIGINT) uvicorn stops accepting connections and
  lets the open requests finish, for at most ``TRAINING_HUB_SHUTDOWN_TIMEOUT`` seconds
  (``timeout_graceful_shutdown``). A load balancer still polling ``/readyz`` on a kept-alive connection
  must hear "no" from the first instant, so the signal handler uvicorn installed is wrapped: the flag is
  set, then uvicorn's own handler runs as before.
* **Bounded shutdown.** Every wait in the lifespan's exit is bounded by the same setting: background
  tasks are cancelled and awaited with a timeout, and the PostgreSQL pool is closed gracefully or, with
  the database frozen, terminated (``core/db.stop_engine``). With the database frozen, shutdown takes at
  most about twice the setting, never forever.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger("training_hub")

_state = {"shutting_down": False}
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def shutting_down() -> bool:
    return _state["shutting_down"]


def begin_shutdown() -> None:
    if not _state["shutting_down"]:
        log.info("Arresto in corso: /readyz risponde 503")
    _state["shutting_down"] = True


def _wrap_signal_handlers() -> dict[int, Any]:
    """Chain our flag in front of the handlers in place (uvicorn's); returns them, to put them back."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous: dict[int, Any] = {}
    for sig in HANDLED_SIGNALS:
        current = signal.getsignal(sig)
        if not callable(current):  # default or ignored: not a server we run in (a test, a script)
            continue

        def handler(signum: int, frame: Any, _chained: Any = current) -> None:
            begin_shutdown()
            _chained(signum, frame)

        previous[sig] = current
        signal.signal(sig, handler)
    return previous


@asynccontextmanager
async def lifecycle_lifespan(app: Any) -> AsyncIterator[None]:
    _state["shutting_down"] = False
    previous = _wrap_signal_handlers()
    try:
        yield
    finally:
        begin_shutdown()
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError):
                signal.signal(sig, handler)
