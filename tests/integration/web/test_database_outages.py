"""Issue 12 items 14 and 15: a stopped or frozen database answers 503 with Retry-After, never 500 or a hang.

Timings are measured by bench/robustness.py, not here: these tests only check what is answered.
"""

import pytest

from tests.outages import frozen_database, stopped_database
from tests.support import bearer, login
from training_hub.core.db import is_sqlite

UNAVAILABLE = "urn:training-hub:problem:unavailable"


def _is_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert "Servizio non disponibile" in response.text and "Il database non risponde" in response.text
    assert "Errore interno" not in response.text


def _is_unavailable_problem(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == UNAVAILABLE


async def test_stopped_database_answers_503_on_pages_api_and_readyz(client, admin):
    await login(client, admin.email)
    headers = await bearer(admin)
    async with stopped_database():
        _is_unavailable_page(await client.get("/courses"))
        _is_unavailable_problem(await client.get("/api/courses", headers=headers))
        _is_unavailable_problem(await client.post("/api/auth/tokens",
                                                  json={"email": admin.email, "password": "demo-password"}))
        assert (await client.get("/readyz")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200  # the process itself is alive
    # Back up: the same requests work again, nothing left broken.
    assert (await client.get("/courses")).status_code == 200
    assert (await client.get("/readyz")).status_code == 200


@pytest.mark.skipif(is_sqlite(), reason="a SQLite file cannot be cut off from the server by a network partition")
async def test_frozen_database_answers_503_after_the_connect_timeout(client, admin):
    await login(client, admin.email)
    headers = await bearer(admin)
    async with frozen_database() as accepted:
        _is_unavailable_page(await client.get("/courses"))
        _is_unavailable_problem(await client.get("/api/courses", headers=headers))
        assert (await client.get("/readyz")).status_code == 503
        assert accepted  # the requests did reach the (silent) database
    assert (await client.get("/readyz")).status_code == 200
