"""Issue 12 item 7: ``POST /api/people`` must not tell a coordinator whether an e-mail or a codice fiscale
exists in another cooperative (nor let her choose the new person's password: see
tests/integration/accounts/test_password_links.py)."""

from __future__ import annotations

from tests.factories import make_cooperative, make_person
from tests.support import bearer, login, post_form

CF_ELSEWHERE = "RSSMRA80A01F205X"
CF_FREE = "BNCLRA85C41F205P"
GENERIC = ("Non è possibile registrare questa persona con questo indirizzo e-mail o codice fiscale: "
           "contatta l'ufficio formazione.")


async def people_elsewhere():
    mine, other = await make_cooperative(), await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=mine)
    await make_person(cooperative=other, email="altrove@example.test", codice_fiscale=CF_ELSEWHERE)
    await make_person(cooperative=mine, email="qui@example.test")
    return mine, coordinator


def body(email: str, codice_fiscale: str | None = None) -> dict:
    return {"full_name": "Nuova Persona", "email": email, "roles": ["worker"], "codice_fiscale": codice_fiscale}


async def test_a_coordinator_gets_one_generic_answer_for_another_cooperatives_email_or_codice_fiscale(client):
    _, coordinator = await people_elsewhere()
    headers = await bearer(coordinator)
    by_email = await client.post("/api/people", json=body("altrove@example.test"), headers=headers)
    by_cf = await client.post("/api/people", json=body("libera@example.test", CF_ELSEWHERE), headers=headers)
    assert by_email.status_code == by_cf.status_code == 422
    assert by_email.json()["detail"] == by_cf.json()["detail"] == GENERIC
    assert by_email.json()["errors"] == [{"field": "email", "message": GENERIC},
                                         {"field": "codice_fiscale", "message": GENERIC}]
    assert by_cf.json()["errors"] == by_email.json()["errors"]
    # The same through a change of e-mail.
    worker = await make_person(cooperative=coordinator.cooperative, email="mio@example.test")
    changed = await client.patch(f"/api/people/{worker.id}", json={"email": "altrove@example.test"}, headers=headers)
    assert changed.status_code == 422 and changed.json()["detail"] == GENERIC


async def test_a_duplicate_in_her_own_cooperative_and_for_the_office_is_named(client, admin):
    _, coordinator = await people_elsewhere()
    own = await client.post("/api/people", json=body("qui@example.test"), headers=await bearer(coordinator))
    assert own.json()["errors"] == [{"field": "email", "message": "Esiste già una persona con questo indirizzo e-mail."}]
    office = await client.post("/api/people", json={**body("nuova@example.test", CF_ELSEWHERE),
                                                    "cooperative_id": coordinator.cooperative},
                               headers=await bearer(admin))
    assert office.json()["errors"] == [{"field": "codice_fiscale",
                                        "message": "Esiste già una persona con questo codice fiscale."}]
    free = await client.post("/api/people", json=body("libera@example.test", CF_FREE), headers=await bearer(coordinator))
    assert free.status_code == 201


async def test_the_page_shows_the_generic_message_next_to_both_fields(client):
    _, coordinator = await people_elsewhere()
    await login(client, coordinator.email)
    page = await post_form(client, "/admin/people/new", {
        "full_name": "Nuova Persona", "email": "altrove@example.test", "roles": "worker", "active": "on"})
    assert page.status_code == 422
    assert 'id="email-error"' in page.text and "contatta l&#39;ufficio formazione" in page.text
