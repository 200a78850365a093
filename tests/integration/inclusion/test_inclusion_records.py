"""Creating and correcting a pathway through HTTP: the legal durations, errors next to the fields, and
bad input that changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.inclusion.inclusion_setup import make_cast, make_pathway, pathway_values, today
from tests.support import bearer, login, post_form
from training_hub.inclusion.tables import InclusionPathway, PathwayObjective


def _errors(response) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json().get("errors", [])}


async def test_a_25_month_inclusion_traineeship_is_refused_without_a_derogation(client):
    cast = await make_cast()
    url = f"/api/people/{cast.person.id}/inclusion-pathways"
    headers = await bearer(cast.promoter)
    body = pathway_values(cast, starts_on="2026-12-01", ends_on="2028-12-31", next_review_on=None)
    refused = await client.post(url, json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    message = _errors(refused)["ends_on"]
    assert "24 mesi" in message and "30/11/2028" in message and "5451" in message
    assert await InclusionPathway.count() == 0
    exactly = await client.post(url, json={**body, "ends_on": "2028-11-30"}, headers=headers)
    assert exactly.status_code == 201, exactly.text
    derogated = await client.post(url, json={**body, "derogation_reason": "Prosecuzione chiesta dal servizio"},
                                  headers=headers)
    assert derogated.status_code == 201, derogated.text
    assert await InclusionPathway.count() == 2


async def test_an_extracurricular_traineeship_has_12_months_for_disadvantaged_and_24_with_disability(client):
    cast = await make_cast()
    url = f"/api/people/{cast.person.id}/inclusion-pathways"
    headers = await bearer(cast.admin)
    base = pathway_values(cast, pathway_type="tirocinio_extracurricolare", starts_on="2026-12-01",
                          ends_on="2027-12-01", next_review_on=None)
    refused = await client.post(url, json=base, headers=headers)
    assert refused.status_code == 422 and "12 mesi" in _errors(refused)["ends_on"]
    with_reason = await client.post(url, json={**base, "derogation_reason": "Richiesta del servizio"}, headers=headers)
    assert with_reason.status_code == 422 and "ends_on" in _errors(with_reason)  # no derogation for these
    disabled = await client.post(url, json={**base, "eligibility_category": "invalidi_fisici"}, headers=headers)
    assert disabled.status_code == 201, disabled.text


async def test_every_mistake_is_reported_at_once_next_to_its_field(client):
    cast = await make_cast()
    body = pathway_values(
        cast, pathway_type="stage", referring_service="", host_cooperative_id=999999, promoter_tutor_id=cast.worker.id,
        host_tutor_id=cast.person.id, eligibility_category="diagnosi", eligibility_body="Riga\nspezzata",
        eligibility_protocol="", eligibility_date=(today() + timedelta(days=3)).isoformat(), weekly_hours=41,
        starts_on="31/02/2026", allowance="tanti", objectives=[{"description": "", "indicator": ""}],
    )
    response = await client.post(f"/api/people/{cast.person.id}/inclusion-pathways", json=body,
                                 headers=await bearer(cast.admin))
    assert response.status_code == 422
    assert set(_errors(response)) == {
        "pathway_type", "referring_service", "host_cooperative_id", "promoter_tutor_id", "host_tutor_id",
        "eligibility_category", "eligibility_body", "eligibility_protocol", "eligibility_date", "weekly_hours",
        "starts_on", "allowance", "objectives",
    }
    assert _errors(response)["host_tutor_id"] == "Il tutor non può essere la persona che segue il percorso."
    assert await InclusionPathway.count() == 0


async def test_a_type_error_in_the_body_is_a_problem_not_a_crash(client):
    cast = await make_cast()
    response = await client.post(f"/api/people/{cast.person.id}/inclusion-pathways",
                                 json={**pathway_values(cast), "weekly_hours": "venti"}, headers=await bearer(cast.admin))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "weekly_hours"


async def test_correcting_a_pathway_keeps_objectives_already_reviewed(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    headers = await bearer(cast.promoter)
    view = (await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=headers)).json()
    first, second = view["objectives"]
    review = await client.post(f"/api/inclusion-pathways/{pathway_id}/reviews", headers=headers, json={
        "held_on": today().isoformat(), "participants": "Sara Ricci, Paolo Sala",
        "next_review_on": (today() + timedelta(days=60)).isoformat(),
        "outcomes": [{"objective_id": first["id"], "level": "parzialmente_raggiunto", "comment": "Quasi"}]})
    assert review.status_code == 201, review.text
    patch = {"objectives": [{"id": second["id"], "description": "Assemblare da solo", "indicator": "X"},
                            {"description": "Nuovo obiettivo"}]}
    refused = await client.patch(f"/api/inclusion-pathways/{pathway_id}", json=patch, headers=headers)
    assert refused.status_code == 422 and "objectives" in _errors(refused)
    assert await PathwayObjective.count() == 2
    patch["objectives"].insert(0, {"id": first["id"], "description": first["description"], "indicator": "Nuovo"})
    saved = await client.patch(f"/api/inclusion-pathways/{pathway_id}", json=patch, headers=headers)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert [(o["description"], o["indicator"]) for o in body["objectives"]] == [
        (first["description"], "Nuovo"), ("Assemblare da solo", "X"), ("Nuovo obiettivo", "")]
    assert body["next_review_on"] == (today() + timedelta(days=60)).isoformat()
    assert body["reviews"][0]["outcomes"][0] == {"objective_id": first["id"], "level": "parzialmente_raggiunto",
                                                 "comment": "Quasi"}


async def test_a_review_needs_its_date_participants_and_the_next_date_and_cannot_be_in_the_future(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    response = await client.post(f"/api/inclusion-pathways/{pathway_id}/reviews", headers=await bearer(cast.admin),
                                 json={"held_on": (today() + timedelta(days=1)).isoformat(), "participants": " ",
                                       "outcomes": [{"objective_id": 999, "level": "raggiunto"}]})
    assert response.status_code == 422
    assert set(_errors(response)) == {"held_on", "participants", "next_review_on", "outcomes"}


async def test_a_competence_by_course_must_name_a_course_attended_during_the_pathway(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    response = await client.post(f"/api/inclusion-pathways/{pathway_id}/competences", headers=await bearer(cast.admin),
                                 json={"description": "Saldatura", "evidence_kind": "corso", "course_id": 12345,
                                       "acquired_on": today().isoformat()})
    assert response.status_code == 422 and set(_errors(response)) == {"course_id"}


async def test_the_pathway_form_through_pages(client):
    cast = await make_cast()
    await login(client, cast.promoter.email)
    form = await client.get(f"/people/{cast.person.id}/inclusion-pathways/new")
    assert form.status_code == 200
    assert 'name="_csrf_token"' in form.text and 'for="eligibility_protocol"' in form.text
    values = pathway_values(cast, starts_on="01/12/2026", ends_on="01/12/2028", eligibility_date="10/11/2026",
                            next_review_on="")
    data = {key: value for key, value in values.items() if key != "objectives" and value is not None}
    data["objectives.0.description"] = "Rispettare gli orari"
    data["objectives.0.indicator"] = "Puntualità"
    refused = await post_form(client, f"/people/{cast.person.id}/inclusion-pathways/new", data)
    assert refused.status_code == 422
    assert 'id="ends_on-error"' in refused.text and "30/11/2028" in refused.text
    assert 'value="Rispettare gli orari"' in refused.text or "Rispettare gli orari</textarea>" in refused.text
    assert await InclusionPathway.count() == 0
    saved = await post_form(client, f"/people/{cast.person.id}/inclusion-pathways/new", {**data, "ends_on": "30/11/2028"})
    assert saved.status_code == 303
    row = await InclusionPathway.select().first()
    assert saved.headers["location"] == f"/inclusion-pathways/{row['id']}"
    assert (row["starts_on"], row["ends_on"], row["allowance_cents"]) == (date(2026, 12, 1), date(2028, 11, 30), 35050)
    edit = await client.get(f"/inclusion-pathways/{row['id']}/edit")
    assert 'value="01/12/2026"' in edit.text and 'value="350,50"' in edit.text


async def test_reading_a_pathway_costs_the_same_statements_however_many_reviews_it_has(client, count_queries):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    headers = await bearer(cast.host_tutor)
    objective = (await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=headers)).json()["objectives"][0]

    async def statements() -> int:
        with count_queries() as counter:
            response = await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=headers)
        assert response.status_code == 200
        return counter.count

    with_one = None
    for held in range(4):
        review = await client.post(f"/api/inclusion-pathways/{pathway_id}/reviews", headers=headers, json={
            "held_on": (today() - timedelta(days=10 - held)).isoformat(), "participants": "Paolo Sala",
            "next_review_on": (today() + timedelta(days=20)).isoformat(),
            "outcomes": [{"objective_id": objective["id"], "level": "raggiunto"}]})
        assert review.status_code == 201
        if with_one is None:
            with_one = await statements()
    # Token, pathway, objectives, courses, competences, reviews, outcomes, audit row: no query per review.
    assert await statements() == with_one <= 9
