"""Issue 12 item 15: /readyz fails from the first instant of shutdown; shutdown waits are bounded."""

import asyncio
import signal

from training_hub.core.background import stop_task
from training_hub.web import lifecycle


async def test_readyz_fails_once_sigterm_arrives_and_uvicorn_still_gets_the_signal(client):
    received = []
    def uvicorn_handler(signum, frame):
        received.append(signum)

    original = signal.signal(signal.SIGTERM, uvicorn_handler)
    try:
        async with lifecycle.lifecycle_lifespan(None):
            assert (await client.get("/readyz")).status_code == 200
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)  # what the kernel delivers
            assert received == [signal.SIGTERM]
            response = await client.get("/readyz")
            assert response.status_code == 503 and response.json()["status"] == "shutting-down"
            assert (await client.get("/healthz")).status_code == 200
        assert signal.getsignal(signal.SIGTERM) is uvicorn_handler  # ours removed, uvicorn's put back
    finally:
        signal.signal(signal.SIGTERM, original)
        lifecycle._state["shutting_down"] = False
    assert (await client.get("/readyz")).status_code == 200


async def test_a_background_task_that_ignores_cancellation_does_not_hold_the_shutdown():
    release = asyncio.Event()

    async def stuck() -> None:  # like a query on a frozen database, deaf to cancellation
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue

    task = asyncio.create_task(stuck())
    await asyncio.sleep(0)
    await stop_task(task, timeout=0.05)
    assert not task.done()
    release.set()
    await task
