"""Issue 14 items 1 and 2: password reset by the person, invitations instead of chosen passwords."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest

from tests.factories import PASSWORD, make_cooperative, make_person
from tests.support import InLoopTestClient, bearer, login, post_form
from training_hub.accounts.tables import AccountLink
from training_hub.core.tables import AuditEvent, Outbox, Person
from training_hub.core.timeutil import utcnow

STRONG = "lampada-verde-sul-tetto"


def link_token(body: str) -> str:
    match = re.search(r"/password/reset\?token=([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


async def last_mail(kind: str) -> dict:
    rows = await Outbox.select().where(Outbox.kind == kind).order_by(Outbox.id, ascending=False)
    assert rows, f"no {kind} e-mail"
    return rows[0]


@pytest.fixture
async def client_b(app):
    async with InLoopTestClient(app) as other:
        other._transport = httpx.ASGITransport(app=app, client=("10.20.30.41", 50000))
        yield other


# Reset -----------------------------------------------------------------------------------------------


async def test_the_answer_is_the_same_whether_or_not_the_address_exists(client):
    person = await make_person(email="esiste@example.test")
    known = await client.post("/api/auth/password-reset", json={"email": "ESISTE@example.test"})
    unknown = await client.post("/api/auth/password-reset", json={"email": "nessuno@example.test"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert "link valido per un'ora" in known.json()["detail"]
    page_known = await post_form(client, "/password/forgot", {"email": "esiste@example.test"})
    page_unknown = await post_form(client, "/password/forgot", {"email": "nessuno2@example.test"})
    assert page_known.status_code == page_unknown.status_code == 200
    assert page_known.text.replace("esiste@example.test", "X") == page_unknown.text.replace("nessuno2@example.test", "X")
    mails = await Outbox.select().where(Outbox.kind == "password_reset")
    assert [m["recipient"] for m in mails] == [person.id, person.id]  # nobody else is written to
    assert await AccountLink.count() == 2


async def test_the_link_works_once_for_one_hour(client):
    await make_person(email="una.volta@example.test", full_name="Anna Bianchi")
    await client.post("/api/auth/password-reset", json={"email": "una.volta@example.test"})
    token = link_token((await last_mail("password_reset"))["body"])
    link = await AccountLink.select().first()
    assert link["token_hash"] != token and token not in str(link)
    assert link["expires_at"] - link["created_at"] == timedelta(hours=1)
    form = await client.get(f"/password/reset?token={token}")
    assert form.status_code == 200 and 'name="new_password"' in form.text and "Anna Bianchi" in form.text
    weak = await post_form(client, "/password/reset", {"token": token, "new_password": "aaaaaaaaaa",
                                                        "confirm_password": "aaaaaaaaaa"})
    assert weak.status_code == 422
    assert "Password troppo debole" in weak.text and 'aria-invalid="true"' in weak.text
    done = await post_form(client, "/password/reset", {"token": token, "new_password": STRONG,
                                                        "confirm_password": STRONG})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    await login(client, "una.volta@example.test", STRONG)
    again = await client.get(f"/password/reset?token={token}")
    assert again.status_code == 404 and "non è valido o è scaduto" in again.text
    assert 'href="/password/forgot"' in again.text
    # An expired link is refused the same way.
    await client.post("/api/auth/password-reset", json={"email": "una.volta@example.test"})
    late = link_token((await last_mail("password_reset"))["body"])
    await AccountLink.update({AccountLink.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    refused = await client.post("/api/auth/password-reset/confirm", json={"token": late, "password": STRONG + "!"})
    assert refused.status_code == 404


async def test_setting_the_password_ends_other_sessions_and_api_tokens(client, other_client):
    person = await make_person(email="fuori@example.test")
    await login(other_client, "fuori@example.test")
    headers = await bearer(person)
    assert (await client.get("/api/me", headers=headers)).status_code == 200
    await client.post("/api/auth/password-reset", json={"email": "fuori@example.test"})
    token = link_token((await last_mail("password_reset"))["body"])
    assert (await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": STRONG})).status_code == 204
    assert (await other_client.get("/profile")).status_code == 303
    assert (await client.get("/api/me", headers=headers)).status_code == 401
    assert await AuditEvent.exists().where(AuditEvent.action == "person.password_set_by_link")


async def test_a_link_used_twice_at_the_same_instant_works_once(client):
    await make_person(email="gara@example.test")
    await client.post("/api/auth/password-reset", json={"email": "gara@example.test"})
    token = link_token((await last_mail("password_reset"))["body"])
    first, second = await asyncio.gather(
        client.post("/api/auth/password-reset/confirm", json={"token": token, "password": STRONG}),
        client.post("/api/auth/password-reset/confirm", json={"token": token, "password": "finestra-blu-sul-mare"}),
    )
    assert sorted([first.status_code, second.status_code]) == [204, 404]


async def test_requests_are_limited_per_address_and_per_client(client, client_b):
    await make_person(email="limite@example.test")
    for _ in range(3):
        assert (await client.post("/api/auth/password-reset", json={"email": "limite@example.test"})).status_code == 202
    known = await client_b.post("/api/auth/password-reset", json={"email": "limite@example.test"})
    for _ in range(3):
        await client_b.post("/api/auth/password-reset", json={"email": "ignoto@example.test"})
    unknown = await client_b.post("/api/auth/password-reset", json={"email": "ignoto@example.test"})
    assert known.status_code == unknown.status_code == 429  # per address, known or not
    assert known.json()["detail"] == unknown.json()["detail"]
    assert await Outbox.count().where(Outbox.kind == "password_reset") == 3
    # Per client: ten addresses, then the eleventh is refused from this client only.
    for n in range(7):
        await client.post("/api/auth/password-reset", json={"email": f"altro{n}@example.test"})
    assert (await client.post("/api/auth/password-reset", json={"email": "altro9@example.test"})).status_code == 429
    page = await post_form(client, "/password/forgot", {"email": "altro9@example.test"})
    assert page.status_code == 429 and "Troppe richieste di nuova password" in page.text and 'aria-invalid="true"' in page.text


# Invitations -----------------------------------------------------------------------------------------


async def test_a_person_created_by_the_office_is_invited_and_nobody_chooses_their_password(client):
    cooperative = await make_cooperative()
    admin = await make_person("admin")
    headers = await bearer(admin)
    chosen = await client.post("/api/people", headers=headers, json={
        "full_name": "Carla Verdi", "email": "carla@example.test", "cooperative_id": cooperative.id,
        "password": "scelta-da-altri-123"})
    assert chosen.status_code == 422
    assert chosen.json()["errors"] == [{"field": "password", "message": (
        "La password la sceglie la persona: riceverà per e-mail un invito a impostarla.")}]
    assert not await Person.exists().where(Person.email == "carla@example.test")

    created = await client.post("/api/people", headers=headers, json={
        "full_name": "Carla Verdi", "email": "carla@example.test", "cooperative_id": cooperative.id})
    assert created.status_code == 201
    row = await Person.select(Person.password_hash).where(Person.email == "carla@example.test").first()
    assert row["password_hash"] is None  # nobody can log in as her before she chooses
    mail = await last_mail("invitation")
    assert mail["to_email"] == "carla@example.test" and "Carla Verdi" in mail["body"]
    link = await AccountLink.select().where(AccountLink.purpose == "invitation").first()
    assert link["expires_at"] - link["created_at"] == timedelta(days=7) and link["created_by"] == admin.id
    token = link_token(mail["body"])
    page = await client.get(f"/password/reset?token={token}")
    assert "Benvenuto, Carla Verdi" in page.text

    # Re-sent: the first link stops working, the new one works.
    assert (await client.post(f"/api/people/{created.json()['id']}/invitation", headers=headers)).status_code == 202
    new_token = link_token((await last_mail("invitation"))["body"])
    assert new_token != token
    assert (await client.get(f"/password/reset?token={token}")).status_code == 404
    assert (await client.post("/api/auth/password-reset/confirm", json={"token": new_token, "password": STRONG})).status_code == 204
    await login(client, "carla@example.test", STRONG)


async def test_a_coordinator_creating_a_worker_on_the_page_sends_an_invitation(client, coordinator):
    await login(client, coordinator.email)
    response = await post_form(client, "/admin/people/new", {
        "full_name": "Piero Neri", "email": "piero@example.test", "roles": "worker", "active": "on",
        "password": "scelta-dal-coordinatore"})
    assert response.status_code == 422  # a forged password field is refused, not used
    form = (await client.get("/admin/people/new")).text
    assert 'type="password"' not in form and "invito" in form
    response = await post_form(client, "/admin/people/new", {
        "full_name": "Piero Neri", "email": "piero@example.test", "roles": "worker", "active": "on"})
    assert response.status_code == 303
    assert (await last_mail("invitation"))["to_email"] == "piero@example.test"
    assert (await post_form(client, "/login", {"email": "piero@example.test", "password": PASSWORD})).status_code == 400
