"""Who may see which report, and bad input: clear 4xx answers in Italian, never a 500."""

import pytest

from tests import reports_fixture as fx
from tests.factories import make_cooperative, make_person
from tests.support import bearer, login
from training_hub.core.tables import Session

QUERY = "from=2025-01-01&to=2025-12-31"


async def test_workers_are_refused_every_dashboard(client):
    worker = await make_person(email="w@example.test", cooperative=await make_cooperative())
    await login(client, "w@example.test")
    for url in ("/reports", "/reports/cooperative", "/reports/trainer", "/reports/export.xlsx",
                "/reports/cooperative/export.xlsx", "/reports/activity", "/reports/activity.pdf", "/admin/surveys"):
        assert (await client.get(url)).status_code == 403, url
    headers = await bearer(worker)
    for url in ("/api/reports/summary", "/api/reports/monthly", "/api/reports/surveys", "/api/reports/workers"):
        response = await client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.headers["content-type"] == "application/problem+json"
    assert 'href="/reports"' not in (await client.get("/")).text  # no menu entry either


async def test_coordinators_are_pinned_to_their_cooperative(client):
    data = await fx.build()
    other = data["beta"].id
    headers = await bearer(data["coordinator"])
    assert (await client.get(f"/api/reports/summary?cooperative_id={other}", headers=headers)).status_code == 403
    assert (await client.get("/api/reports/summary?view=office", headers=headers)).status_code == 403
    assert (await client.get(f"/api/reports/workers?cooperative_id={other}", headers=headers)).status_code == 403
    own = await client.get(f"/api/reports/summary?cooperative_id={data['alfa'].id}&{QUERY}", headers=headers)
    assert own.status_code == 200
    await login(client, "carla@example.test")
    redirect = await client.get("/reports")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/reports/cooperative"
    assert (await client.get(f"/reports/cooperative?cooperative_id={other}")).status_code == 403
    assert (await client.get(f"/reports/cooperative/export.csv?cooperative_id={other}&table=workers")).status_code == 403
    assert (await client.get("/reports/export.xlsx")).status_code == 403
    assert (await client.get("/reports/activity")).status_code == 403
    page = await client.get(f"/reports/cooperative?{QUERY}")
    assert page.status_code == 200
    assert "Cooperativa Alfa" in page.text and "Alfa Persona 1" in page.text and "Beta Persona 1" not in page.text
    nav = (await client.get("/")).text
    assert 'href="/reports"' in nav and 'href="/admin/surveys"' not in nav


async def test_trainers_are_pinned_to_their_courses(client):
    data = await fx.build()
    headers = await bearer(data["t1"])
    for query in (f"trainer_id={data['t2'].id}", f"cooperative_id={data['alfa'].id}", "province=MI",
                  "view=office", "view=cooperative"):
        response = await client.get(f"/api/reports/summary?{query}", headers=headers)
        assert response.status_code == 403, query
    await login(client, "tina@example.test")
    assert (await client.get(f"/reports/trainer?trainer_id={data['t2'].id}")).status_code == 403
    redirect = await client.get("/reports")
    assert redirect.headers["location"] == "/reports/trainer"
    page = await client.get(f"/reports/trainer?{QUERY}")
    assert "Marketing sociale di base" in page.text and "Inclusione lavorativa" not in page.text


async def test_admins_choose_a_cooperative_or_trainer(client):
    data = await fx.build()
    await login(client, "office@example.test")
    missing = await client.get("/reports/cooperative")
    assert missing.status_code == 422 and "Scegli una cooperativa." in missing.text
    chosen = await client.get(f"/reports/cooperative?cooperative_id={data['beta'].id}&{QUERY}")
    assert chosen.status_code == 200 and "Beta Persona 1" in chosen.text
    trainer = await client.get(f"/reports/trainer?trainer_id={data['t2'].id}&{QUERY}")
    assert trainer.status_code == 200 and "Inclusione lavorativa" in trainer.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2025-13-01", "from"),
        ("from=2025-12-01&to=2025-01-01", "from"),
        ("to=domani", "to"),
        ("province=XX", "province"),
        ("kind=cucina", "kind"),
        ("cooperative_id=999999", "cooperative_id"),
    ],
)
async def test_bad_filters_get_problem_json_422(client, query, field, admin):
    response = await client.get(f"/api/reports/summary?{query}", headers=await bearer(admin))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:training-hub:problem:validation-failed"
    assert field in {error["field"] for error in body["errors"]}


async def test_bad_filters_on_pages_are_shown_next_to_the_field(client):
    await make_person(roles="admin", email="office@example.test")
    await login(client, "office@example.test")
    response = await client.get("/reports?from=31/02/2025")
    assert response.status_code == 422
    assert "Data non valida: usa il formato GG/MM/AAAA" in response.text
    assert 'id="from-error"' in response.text and 'aria-invalid="true"' in response.text
    assert (await client.get("/reports?from=2025-05-01&to=2025-01-01")).status_code == 422
    assert (await client.get("/reports?cooperative_id=abc")).status_code == 422
    assert (await client.get("/reports/activity?from=xyz")).status_code == 422
    assert (await client.get("/reports/activity.pdf?from=xyz")).status_code == 422
    assert (await client.get("/reports/export.csv?table=nessuna")).status_code == 404
    public = await client.get("/public/activity?from=2025-12-01&to=2025-01-01")
    assert public.status_code == 422 and "La data di inizio non può essere successiva" in public.text
    assert (await client.get("/api/reports/summary?cooperative_id=abc",
                             headers=await bearer(await make_person(roles="admin")))).status_code == 400


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "99999999999", "9" * 5000, "-1"])
async def test_odd_ids_in_page_filters_are_a_field_error_not_a_crash(client, value):
    await make_person(roles="admin,trainer", email="office@example.test")
    await login(client, "office@example.test")
    for url in (f"/reports?cooperative_id={value}", f"/reports/cooperative?cooperative_id={value}",
                f"/reports/trainer?trainer_id={value}"):
        response = await client.get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert "Valore non valido." in response.text and 'aria-invalid="true"' in response.text
    assert (await client.get(f"/reports/export.xlsx?cooperative_id={value}")).status_code == 422


async def test_reports_are_in_the_openapi_schema(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/reports/summary", "/api/reports/monthly", "/api/reports/by-path-kind", "/api/reports/by-province",
                 "/api/reports/surveys", "/api/surveys/{survey_id}/responses"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/reports/summary"]["get"]["parameters"]}
    assert {"from", "to", "cooperative_id", "province", "kind", "view"} <= parameters
    assert not any(path.startswith(("/reports", "/public", "/surveys", "/admin")) for path in schema["paths"])


async def test_teaching_only_a_cancelled_session_does_not_make_one_a_trainer_of_the_course(client):
    """The catalogue's rule, as everywhere else: a listed trainer, or the trainer of a scheduled session."""
    data = await fx.build()
    cancelled = await Session.select(Session.id).where(
        (Session.course == data["k1"].id) & (Session.status == "cancelled")).first()
    await Session.update({Session.trainer: data["t2"].id}).where(Session.id == cancelled["id"])
    headers = await bearer(data["t2"])
    assert (await client.get(f"/api/surveys/{data['survey_k1']}/results", headers=headers)).status_code == 403
    titles = [item["title"] for item in (await client.get(f"/api/reports/courses?{QUERY}", headers=headers)).json()["items"]]
    assert titles == ["Inclusione lavorativa"]
    # Moved onto a scheduled session, Ugo teaches the course: he sees it and its survey.
    await Session.update({Session.status: "scheduled"}).where(Session.id == cancelled["id"])
    assert (await client.get(f"/api/surveys/{data['survey_k1']}/results", headers=headers)).status_code == 200
    titles = [item["title"] for item in (await client.get(f"/api/reports/courses?{QUERY}", headers=headers)).json()["items"]]
    assert "Marketing sociale di base" in titles
