"""Issue 12 item 6: wrong passwords slow down the client that types them, never lock the account.

The behaviour table (the same for a worker and an administrator):

| step                                         | answer                    |
| -------------------------------------------- | ------------------------- |
| wrong password ×5 from client A               | 401 each                  |
| 6th attempt from A (wrong or right)           | 429, Retry-After: 60      |
| right password from client B meanwhile        | 201                       |
| A after 60 s, wrong again                     | 401, then 429 Retry-After: 120 |
| A after the wait, right password              | 201 (A's failures forgotten) |
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.factories import PASSWORD, make_person
from tests.support import InLoopTestClient, post_form
from training_hub.core.tables import LoginFailure, Outbox
from training_hub.core.timeutil import utcnow


@pytest.fixture
async def client_b(app):
    async with InLoopTestClient(app) as other:
        other._transport = httpx.ASGITransport(app=app, client=("10.20.30.40", 50000))
        yield other


async def token(client, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/tokens", json={"email": email, "password": password})


async def age_failures(seconds: int) -> None:
    rows = await LoginFailure.select(LoginFailure.id, LoginFailure.at)
    for row in rows:
        await LoginFailure.update({LoginFailure.at: row["at"] - timedelta(seconds=seconds)}).where(
            LoginFailure.id == row["id"])


@pytest.mark.parametrize("roles", ["worker", "admin"])
async def test_the_lockout_table(client, client_b, roles):
    await make_person(roles, email="bersaglio@example.test")
    for _ in range(5):
        assert (await token(client, "bersaglio@example.test", "sbagliata-123")).status_code == 401
    sixth = await token(client, "bersaglio@example.test", "sbagliata-123")
    assert sixth.status_code == 429 and sixth.headers["retry-after"] == "60"
    assert sixth.headers["content-type"] == "application/problem+json"
    right_same_client = await token(client, "bersaglio@example.test", PASSWORD)
    assert right_same_client.status_code == 429 and right_same_client.headers["retry-after"] == "60"
    # The owner, from another client, is not held back at all.
    assert (await token(client_b, "bersaglio@example.test", PASSWORD)).status_code == 201
    # After the wait, one more try; a further failure doubles the wait.
    await age_failures(61)
    assert (await token(client, "bersaglio@example.test", "sbagliata-123")).status_code == 401
    doubled = await token(client, "bersaglio@example.test", "sbagliata-123")
    assert doubled.status_code == 429 and doubled.headers["retry-after"] == "120"
    await age_failures(121)
    assert (await token(client, "bersaglio@example.test", PASSWORD)).status_code == 201
    assert await LoginFailure.count().where(LoginFailure.client == "testclient") == 0


async def test_the_login_page_says_how_long_to_wait_and_another_browser_logs_in(client, client_b):
    await make_person(email="pagina@example.test")
    for _ in range(5):
        response = await post_form(client, "/login", {"email": "pagina@example.test", "password": "sbagliata-123"})
        assert response.status_code == 400
    blocked = await post_form(client, "/login", {"email": "pagina@example.test", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Riprova tra 60 secondi" in blocked.text
    assert (await post_form(client_b, "/login", {"email": "pagina@example.test", "password": PASSWORD})).status_code == 303


async def test_the_owner_is_told_by_email_once(client):
    person = await make_person(email="avvisata@example.test", full_name="Giulia Neri")
    for _ in range(5):
        await token(client, "avvisata@example.test", "sbagliata-123")
    await token(client, "avvisata@example.test", "sbagliata-123")  # refused: no second e-mail
    await age_failures(61)
    await token(client, "avvisata@example.test", "sbagliata-123")
    mails = await Outbox.select().where(Outbox.kind == "login_throttled")
    assert len(mails) == 1
    assert mails[0]["recipient"] == person.id and mails[0]["to_email"] == "avvisata@example.test"
    assert "Giulia Neri" in mails[0]["body"] and "altro dispositivo" in mails[0]["body"]
    assert "sbagliata" not in mails[0]["body"]


async def test_unknown_addresses_are_throttled_alike_and_mail_nobody(client):
    for _ in range(5):
        assert (await token(client, "nessuno@example.test", "sbagliata-123")).status_code == 401
    assert (await token(client, "nessuno@example.test", "sbagliata-123")).status_code == 429
    assert await Outbox.count() == 0


async def test_a_client_spraying_many_addresses_meets_the_per_client_limit(client, client_b):
    for n in range(21):
        await token(client, f"spray{n}@example.test", "sbagliata-123")
    await make_person(email="vittima@example.test")
    assert (await token(client, "vittima@example.test", PASSWORD)).status_code == 429
    assert (await token(client_b, "vittima@example.test", PASSWORD)).status_code == 201
    assert utcnow()  # the clock ticks; nothing here depends on timing
