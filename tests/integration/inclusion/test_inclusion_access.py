"""Who sees an inclusion pathway: each role × each route, through HTTP.

Admins and the pathway's promoter and host tutors: 200. The person: their own project and objectives,
without the eligibility. Everyone else (the host cooperative's coordinator, a trainer, another tutor —
even one who follows the person — a worker): 404, as if the pathway did not exist.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.inclusion.inclusion_setup import (
    ELIGIBILITY_BODY,
    ELIGIBILITY_PROTOCOL,
    REFERRING_SERVICE,
    make_cast,
    make_pathway,
    pathway_values,
    today,
)
from tests.support import bearer, login, post_form
from training_hub.core.tables import AuditEvent
from training_hub.inclusion.tables import InclusionPathway, PathwayCompetence, PathwayReview

FULL = ("admin", "promoter", "host_tutor")
HIDDEN = ("host_coordinator", "trainer", "other_tutor", "worker")

READ_ROUTES = [
    "/api/inclusion-pathways/{id}",
    "/inclusion-pathways/{id}",
    "/inclusion-pathways/{id}/edit",
    "/inclusion-pathways/{id}/reviews/new",
    "/inclusion-pathways/{id}/competences/new",
    "/inclusion-pathways/{id}/outcome",
    "/inclusion-pathways/{id}/project.pdf",
    "/inclusion-pathways/{id}/record.pdf",
    "/inclusion-pathways/{id}/competences.pdf",
    "/inclusion-pathways/{id}/attendance-sheet.pdf?month={month}",
]
SHOWS_ELIGIBILITY = ("/api/inclusion-pathways/{id}", "/inclusion-pathways/{id}", "/inclusion-pathways/{id}/edit")
# What the person gets on each read route: their project, objectives and documents, nothing more.
PERSON_EXPECTS = {
    "/api/inclusion-pathways/{id}": 200,
    "/inclusion-pathways/{id}": 200,
    "/inclusion-pathways/{id}/project.pdf": 200,
    "/inclusion-pathways/{id}/competences.pdf": 200,
    "/inclusion-pathways/{id}/attendance-sheet.pdf?month={month}": 200,
}


def _url(route: str, pathway_id: int) -> str:
    return route.format(id=pathway_id, month=today().strftime("%Y-%m"))


@pytest.mark.parametrize("route", READ_ROUTES)
async def test_each_role_on_each_read_route(client, route):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    url = _url(route, pathway_id)
    results = {}
    for role in (*FULL, "person", *HIDDEN):
        response = await client.get(url, headers=await bearer(cast.role(role)))
        results[role] = response.status_code
        if response.status_code == 200 and route in SHOWS_ELIGIBILITY:
            assert (ELIGIBILITY_PROTOCOL in response.text) == (role != "person"), role
    expected = {role: 200 for role in FULL} | {"person": PERSON_EXPECTS.get(route, 404)} | {role: 404 for role in HIDDEN}
    assert results == expected


async def test_a_404_says_nothing_more_than_an_id_that_does_not_exist(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    headers = await bearer(cast.host_coordinator)
    hidden = await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=headers)
    missing = await client.get(f"/api/inclusion-pathways/{pathway_id + 1000}", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    assert hidden.json()["type"] == missing.json()["type"]


async def test_the_person_sees_project_and_objectives_but_not_the_eligibility(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    response = await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.person))
    body = response.json()
    assert body["access"] == "own"
    assert [item["description"] for item in body["objectives"]] == [
        "Rispettare gli orari del laboratorio", "Assemblare in autonomia"]
    assert body["objectives"][0]["indicator"] == "9 giornate puntuali su 10"
    for key in ("eligibility", "referring_service", "reviews", "derogation_reason", "outcome_reason"):
        assert key not in body
    for text in (ELIGIBILITY_BODY, ELIGIBILITY_PROTOCOL, REFERRING_SERVICE, "trattamento"):
        assert text not in response.text
    page = await client.get(f"/inclusion-pathways/{pathway_id}", headers=await bearer(cast.person))
    assert "Rispettare gli orari del laboratorio" in page.text
    for text in (ELIGIBILITY_BODY, ELIGIBILITY_PROTOCOL, REFERRING_SERVICE, "trattamento psichiatrico", "/edit"):
        assert text not in page.text


async def test_the_full_view_carries_the_eligibility_as_a_category_and_a_document_reference(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    body = (await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.host_tutor))).json()
    assert body["access"] == "full"
    assert body["eligibility"] == {
        "category": "trattamento_psichiatrico", "category_label": "Soggetti in trattamento psichiatrico",
        "body": ELIGIBILITY_BODY, "protocol": ELIGIBILITY_PROTOCOL,
        "document_date": (today() - timedelta(days=90)).isoformat(),
    }
    assert body["allowance_cents"] == 35050


WRITES = [
    ("patch", "/api/inclusion-pathways/{id}", {"weekly_hours": 25}),
    ("post", "/api/inclusion-pathways/{id}/reviews", None),
    ("post", "/api/inclusion-pathways/{id}/competences", None),
    ("put", "/api/inclusion-pathways/{id}/outcome", None),
]


def _write_body(route: str, objective_ids: list[int]) -> dict:
    if route.endswith("/reviews"):
        return {"held_on": today().isoformat(), "participants": "Tutor e persona",
                "next_review_on": (today() + timedelta(days=30)).isoformat(),
                "outcomes": [{"objective_id": objective_ids[0], "level": "raggiunto"}]}
    if route.endswith("/competences"):
        return {"description": "Uso del trapano", "evidence_kind": "osservazione", "acquired_on": today().isoformat()}
    return {"outcome": "concluso", "outcome_on": today().isoformat()}


@pytest.mark.parametrize(("method", "route", "body"), WRITES)
async def test_each_role_on_each_write_route(client, method, route, body):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    objective_ids = [item["id"] for item in (await client.get(
        f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.admin))).json()["objectives"]]
    payload = body or _write_body(route, objective_ids)
    before = (await InclusionPathway.count(), await PathwayReview.count(), await PathwayCompetence.count())
    row_before = await InclusionPathway.select().where(InclusionPathway.id == pathway_id).first()
    for role in ("person", *HIDDEN):
        response = await getattr(client, method)(route.format(id=pathway_id), json=payload,
                                                 headers=await bearer(cast.role(role)))
        assert response.status_code == 404, (role, response.text)
    assert (await InclusionPathway.count(), await PathwayReview.count(), await PathwayCompetence.count()) == before
    assert await InclusionPathway.select().where(InclusionPathway.id == pathway_id).first() == row_before
    for role in FULL:
        response = await getattr(client, method)(route.format(id=pathway_id), json=payload,
                                                 headers=await bearer(cast.role(role)))
        assert response.status_code in (200, 201), (role, response.text)


async def test_who_may_create_a_pathway_for_a_person(client):
    cast = await make_cast()
    body = pathway_values(cast)
    url = f"/api/people/{cast.person.id}/inclusion-pathways"
    for role in ("person", "host_coordinator", "trainer", "worker", "host_tutor"):
        # The host tutor does not follow the person: creating is for the tutors who follow them.
        response = await client.post(url, json=body, headers=await bearer(cast.role(role)))
        assert response.status_code == 404, role
    assert await InclusionPathway.count() == 0
    created = await client.post(url, json=body, headers=await bearer(cast.promoter))
    assert created.status_code == 201, created.text
    by_admin = await client.post(url, json=body, headers=await bearer(cast.admin))
    assert by_admin.status_code == 201
    # A tutor who follows the person but names neither themself as a tutor would lose sight of it.
    refused = await client.post(url, json=body, headers=await bearer(cast.other_tutor))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "promoter_tutor_id"
    assert await InclusionPathway.count() == 2


async def test_the_list_shows_each_one_their_pathways_only(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    for role, expected in [("admin", [pathway_id]), ("promoter", [pathway_id]), ("host_tutor", [pathway_id]),
                           ("person", [pathway_id]), ("other_tutor", []), ("host_coordinator", []),
                           ("trainer", []), ("worker", [])]:
        response = await client.get("/api/inclusion-pathways", headers=await bearer(cast.role(role)))
        assert response.status_code == 200
        assert [item["id"] for item in response.json()] == expected, role
    own = (await client.get("/api/inclusion-pathways", headers=await bearer(cast.person))).json()[0]
    assert own["next_review_on"] is None  # the review planning is the tutors' business
    page = await client.get("/inclusion-pathways", headers=await bearer(cast.other_tutor))
    assert page.status_code == 200
    assert "Ilaria Moretti" in page.text  # as a person they follow, to start a pathway for
    assert f"/inclusion-pathways/{pathway_id}" not in page.text


async def test_a_tutors_read_leaves_an_audit_row_with_no_content(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    await AuditEvent.delete(force=True)
    response = await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.host_tutor))
    assert response.status_code == 200
    rows = await AuditEvent.select().where(AuditEvent.actor == cast.host_tutor.id)
    assert [(row["action"], row["entity"], row["entity_id"], row["data"] in ({}, "{}"), row["reason"]) for row in rows] == [
        ("inclusion.read", "inclusion_pathway", pathway_id, True, "")]
    # The person reading their own project leaves none; a refused reader leaves none either.
    await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.person))
    await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=await bearer(cast.worker))
    assert await AuditEvent.count().where(AuditEvent.actor.is_in([cast.person.id, cast.worker.id])) == 0


async def test_every_read_and_change_by_others_is_audited(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    headers = await bearer(cast.admin)
    await client.get(f"/inclusion-pathways/{pathway_id}/project.pdf", headers=headers)
    await client.patch(f"/api/inclusion-pathways/{pathway_id}", json={"weekly_hours": 30}, headers=headers)
    await client.get("/api/inclusion-pathways", headers=headers)
    actions = [row["action"] for row in await AuditEvent.select().where(AuditEvent.actor == cast.admin.id)
               .order_by(AuditEvent.id)]
    assert actions == ["inclusion.document", "inclusion.read", "inclusion.updated", "inclusion.read",
                       "inclusion.listed"]
    created = await AuditEvent.select().where(AuditEvent.action == "inclusion.created").first()
    assert created["actor"] == cast.promoter.id and created["entity_id"] == pathway_id
    for row in await AuditEvent.select():
        assert ELIGIBILITY_PROTOCOL not in str(row["data"]) and "trattamento" not in str(row["data"])


async def test_a_page_form_refuses_a_post_without_csrf_and_saves_with_it(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    await login(client, cast.promoter.email)
    data = {"outcome": "interrotto", "outcome_on": today().strftime("%d/%m/%Y"), "reason": ""}
    refused = await post_form(client, f"/inclusion-pathways/{pathway_id}/outcome", data)
    assert refused.status_code == 422
    assert "Per un percorso interrotto indica il motivo." in refused.text
    assert 'id="reason-error"' in refused.text
    no_csrf = await client.post(f"/inclusion-pathways/{pathway_id}/outcome", data={**data, "reason": "Trasferimento"})
    assert no_csrf.status_code == 403
    saved = await post_form(client, f"/inclusion-pathways/{pathway_id}/outcome", {**data, "reason": "Trasferimento"})
    assert saved.status_code == 303
    row = await InclusionPathway.select().where(InclusionPathway.id == pathway_id).first()
    assert (row["outcome"], row["outcome_reason"]) == ("interrotto", "Trasferimento")
