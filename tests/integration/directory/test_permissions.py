"""Roles and cooperative scoping: refusals are 403/404, never 500, and never leak other data."""

import pytest

from tests.factories import make_cooperative, make_person
from tests.support import as_user, bearer, login, post_form
from training_hub.core.tables import AuditEvent, Person


async def test_worker_is_denied_admin_pages_with_403(client):
    await make_person(email="w@example.test")
    await login(client, "w@example.test")
    for url in ("/admin/people", "/admin/cooperatives", "/admin/people/new"):
        response = await client.get(url)
        assert response.status_code == 403, url
        assert "Operazione non consentita" in response.text
    refused = await post_form(client, "/admin/cooperatives/new", {"name": "X", "province": "MI"})
    assert refused.status_code == 403


async def test_worker_is_denied_people_api(client):
    worker = await make_person()
    response = await client.get("/api/people", headers=await bearer(worker))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:training-hub:problem:permission-denied"


async def test_coordinator_sees_only_own_cooperative(client):
    mine, theirs = await make_cooperative(), await make_cooperative()
    coordinator = await make_person(roles="coordinator", cooperative=mine)
    colleague = await make_person(cooperative=mine, full_name="Collega Mia")
    stranger = await make_person(cooperative=theirs, full_name="Persona Altrui")
    headers = await bearer(coordinator)

    listing = await client.get("/api/people", headers=headers)
    assert listing.status_code == 200
    names = {item["full_name"] for item in listing.json()["items"]}
    assert "Collega Mia" in names and "Persona Altrui" not in names
    assert listing.json()["total"] == 2

    other = await client.get(f"/api/people?cooperative_id={theirs.id}", headers=headers)
    assert other.status_code == 403
    assert (await client.get(f"/api/people/{stranger.id}", headers=headers)).status_code == 404
    assert (await client.get(f"/api/people/{colleague.id}", headers=headers)).status_code == 200
    edit = await client.patch(f"/api/people/{stranger.id}", json={"full_name": "Hacked"}, headers=headers)
    assert edit.status_code == 404
    assert (await Person.select(Person.full_name).where(Person.id == stranger.id).first())["full_name"] == "Persona Altrui"


async def test_coordinator_pages_are_scoped_too(client):
    mine, theirs = await make_cooperative(), await make_cooperative()
    await make_person(roles="coordinator", cooperative=mine, email="coord@example.test")
    stranger = await make_person(cooperative=theirs, full_name="Persona Altrui")
    await login(client, "coord@example.test")
    page = await client.get("/admin/people")
    assert page.status_code == 200 and "Persona Altrui" not in page.text
    assert (await client.get(f"/admin/people/{stranger.id}")).status_code == 404
    assert (await client.get(f"/admin/people?cooperative_id={theirs.id}")).status_code == 403


async def test_coordinator_creates_workers_of_own_cooperative_only(client):
    mine, theirs = await make_cooperative(), await make_cooperative()
    coordinator = await make_person(roles="coordinator", cooperative=mine)
    headers = await bearer(coordinator)
    created = await client.post(
        "/api/people", json={"full_name": "Nuova Lavoratrice", "email": "nuova@example.test"}, headers=headers
    )
    assert created.status_code == 201
    assert created.json()["cooperative_id"] == mine.id
    assert created.json()["roles"] == ["worker"]

    elsewhere = await client.post(
        "/api/people",
        json={"full_name": "Altra Persona", "email": "altra@example.test", "cooperative_id": theirs.id},
        headers=headers,
    )
    assert elsewhere.status_code == 403
    promote = await client.post(
        "/api/people",
        json={"full_name": "Aspirante Admin", "email": "admin2@example.test", "roles": ["admin"]},
        headers=headers,
    )
    assert promote.status_code == 403
    assert not await Person.exists().where(Person.email.is_in(["altra@example.test", "admin2@example.test"]))


async def test_admin_role_change_and_invitation_are_audited(client):
    cooperative = await make_cooperative()
    admin = await make_person(roles="admin", email="admin@example.test")
    person = await make_person(cooperative=cooperative)
    headers = await bearer(admin)
    response = await client.patch(f"/api/people/{person.id}", json={"roles": ["worker", "tutor"]}, headers=headers)
    assert response.status_code == 200
    assert response.json()["roles"] == ["tutor", "worker"]
    event = await AuditEvent.select().where(AuditEvent.action == "person.roles_changed").first()
    assert event["actor"] == admin.id and event["entity_id"] == person.id
    assert event["data"] in ({"from": "worker", "to": "worker,tutor"}, '{"from": "worker", "to": "worker,tutor"}')

    await login(client, "admin@example.test")
    sent = await post_form(client, f"/admin/people/{person.id}/invitation")
    assert sent.status_code == 303
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "person.invited") & (AuditEvent.entity_id == person.id)
    )


async def test_admin_cannot_remove_own_admin_role(client, admin):
    response = await client.patch(f"/api/people/{admin.id}", json={"roles": ["trainer"]}, headers=await bearer(admin))
    assert response.status_code == 409


async def test_own_password_change_needs_current_password_and_is_audited(client):
    person = await make_person(email="me@example.test")
    await login(client, "me@example.test")
    wrong = await post_form(client, "/profile/password", {
        "current_password": "sbagliata", "new_password": "nuova-password-1", "confirm_password": "nuova-password-1"})
    assert wrong.status_code == 422
    assert "La password attuale non è corretta." in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    mismatch = await post_form(client, "/profile/password", {
        "current_password": "demo-password", "new_password": "nuova-password-1", "confirm_password": "altra"})
    assert "Le due password non coincidono." in mismatch.text
    short = await post_form(client, "/profile/password", {
        "current_password": "demo-password", "new_password": "corta", "confirm_password": "corta"})
    assert "almeno 10 caratteri" in short.text
    done = await post_form(client, "/profile/password", {
        "current_password": "demo-password", "new_password": "nuova-password-1", "confirm_password": "nuova-password-1"})
    assert done.status_code == 303
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "person.password_changed") & (AuditEvent.entity_id == person.id)
    )
    await post_form(client, "/logout")
    assert (await post_form(client, "/login", {"email": "me@example.test", "password": "demo-password"})).status_code == 400
    assert (await post_form(client, "/login", {"email": "me@example.test", "password": "nuova-password-1"})).status_code == 303


async def test_coordinator_changes_workers_and_tutors_but_not_the_other_staff_of_the_cooperative(client):
    from training_hub.core.errors import PermissionDenied
    from training_hub.directory.service import resend_invitation

    mine = await make_cooperative()
    coordinator = await make_person(roles="coordinator", cooperative=mine)
    worker = await make_person(cooperative=mine, full_name="Lavoratore Mio")
    staff = [
        await make_person(roles="trainer", cooperative=mine, full_name="Formatrice Interna"),
        await make_person(roles="coordinator", cooperative=mine, full_name="Altro Coordinatore"),
        await make_person(roles="admin,coordinator", cooperative=mine, full_name="Amministratrice"),
    ]
    headers = await bearer(coordinator)
    changed = await client.patch(f"/api/people/{worker.id}", json={"full_name": "Lavoratore Rinominato"}, headers=headers)
    assert changed.status_code == 200
    for person in staff:
        for change in ({"email": "presa@example.test"}, {"active": False}, {"full_name": "Rinominata"}):
            refused = await client.patch(f"/api/people/{person.id}", json=change, headers=headers)
            assert refused.status_code == 403, (person.full_name, change)
        row = await Person.select(Person.email, Person.active, Person.full_name).where(Person.id == person.id).first()
        assert row["active"] and row["full_name"] == person.full_name and row["email"] == person.email
        assert (await client.get(f"/api/people/{person.id}", headers=headers)).status_code == 200  # still visible

    for person in staff:
        with pytest.raises(PermissionDenied):
            await resend_invitation(as_user(coordinator), person.id)
    await resend_invitation(as_user(coordinator), worker.id)  # her own workers: yes


async def test_coordinator_sees_a_colleague_on_the_trainer_side_without_a_form(client):
    mine = await make_cooperative()
    await make_person(roles="coordinator", cooperative=mine, email="coord.pagina@example.test")
    worker = await make_person(cooperative=mine)
    trainer = await make_person(roles="trainer", cooperative=mine, full_name="Formatrice Interna")
    await login(client, "coord.pagina@example.test")
    assert f'action="/admin/people/{worker.id}"' in (await client.get(f"/admin/people/{worker.id}")).text
    page = await client.get(f"/admin/people/{trainer.id}")
    assert page.status_code == 200 and "Formatrice Interna" in page.text
    assert f'action="/admin/people/{trainer.id}"' not in page.text
    assert "rivolgiti all'ufficio formazione" in page.text
    refused = await post_form(client, f"/admin/people/{trainer.id}", {"full_name": "Rinominata", "email": trainer.email,
                                                                      "roles": "worker"})
    assert refused.status_code == 403 and "Un coordinatore può modificare solo lavoratori e tutor" in refused.text
    assert (await Person.select(Person.full_name).where(Person.id == trainer.id).first())["full_name"] == "Formatrice Interna"
