"""Errors: problem+json on the API, Italian pages elsewhere, no stack traces."""

from litestar import get

from tests.factories import make_cooperative, make_person
from tests.support import bearer, login, post_form


async def test_bad_api_input_is_problem_json_with_fields(client, admin):
    headers = await bearer(admin)
    missing = await client.post("/api/people", json={"full_name": "Senza Email"}, headers=headers)
    assert missing.status_code == 400
    assert missing.headers["content-type"] == "application/problem+json"
    body = missing.json()
    assert body["type"] == "urn:training-hub:problem:validation-failed"
    assert {"field": "email", "message": "Campo obbligatorio."} in body["errors"]

    wrong_type = await client.post("/api/people", json={"full_name": "X", "email": "x@example.test",
                                                        "cooperative_id": "tre"}, headers=headers)
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"][0]["field"] == "cooperative_id"

    malformed = await client.post("/api/people", content=b"{not json", headers={**headers, "content-type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.headers["content-type"] == "application/problem+json"


async def test_domain_validation_lists_every_field(client, admin):
    cooperative = await make_cooperative()
    response = await client.post(
        "/api/people",
        json={"full_name": "A", "email": "non-una-mail", "codice_fiscale": "RSSMRA85T10A562T",
              "roles": ["pilota"], "cooperative_id": cooperative.id},
        headers=await bearer(admin),
    )
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert fields["email"] == "Indica un indirizzo e-mail valido."
    assert fields["codice_fiscale"] == "Il carattere di controllo del codice fiscale non è corretto."
    assert fields["roles"] == "Uno dei ruoli indicati non esiste."
    assert fields["full_name"] == "Indica nome e cognome."


async def test_codice_fiscale_is_validated_on_the_page_too(client):
    cooperative = await make_cooperative()
    await make_person(roles="admin", email="office@example.test")
    await login(client, "office@example.test")
    response = await post_form(client, "/admin/people/new", {
        "full_name": "Mario Rossi", "email": "mario@example.test", "codice_fiscale": "RSSMRA85T10A562T",
        "roles": "worker", "cooperative_id": str(cooperative.id), "active": "on"})
    assert response.status_code == 422
    assert "Il carattere di controllo del codice fiscale non è corretto." in response.text
    assert 'value="Mario Rossi"' in response.text  # what was typed is kept
    ok = await post_form(client, "/admin/people/new", {
        "full_name": "Mario Rossi", "email": "mario@example.test", "codice_fiscale": "rssmra85t10a562s",
        "roles": "worker", "cooperative_id": str(cooperative.id), "active": "on"})
    assert ok.status_code == 303


async def test_duplicate_email_is_refused_case_insensitively(client, admin):
    cooperative = await make_cooperative()
    await make_person(email="dup@example.test")
    response = await client.post("/api/people", json={"full_name": "Doppione", "email": "DUP@example.test",
                                                      "cooperative_id": cooperative.id}, headers=await bearer(admin))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "email", "message": "Esiste già una persona con questo indirizzo e-mail."}]


async def test_unknown_page_is_a_friendly_italian_404(client):
    response = await client.get("/non-esiste")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "Pagina non trovata" in response.text
    assert "Torna alla home" in response.text


async def test_unknown_api_route_is_problem_json(client):
    response = await client.get("/api/non-esiste")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:training-hub:problem:not-found"


async def test_unexpected_error_shows_no_stack_trace(app, client):
    @get("/test-only/boom", include_in_schema=False)
    async def boom() -> str:
        raise RuntimeError("segreto interno: password=hunter2")

    @get("/api/test-only/boom", include_in_schema=False)
    async def api_boom() -> str:
        raise RuntimeError("segreto interno: password=hunter2")

    app.register(boom)
    app.register(api_boom)
    page = await client.get("/test-only/boom")
    assert page.status_code == 500
    assert "hunter2" not in page.text and "Traceback" not in page.text
    assert "Si è verificato un errore imprevisto." in page.text
    api = await client.get("/api/test-only/boom")
    assert api.status_code == 500
    assert "hunter2" not in api.text
    assert api.json()["type"] == "urn:training-hub:problem:internal-error"


async def test_a_server_side_http_error_is_logged_with_its_reference(app, client, caplog):
    from litestar.exceptions import InternalServerException

    @get("/test-only/misconfigured", include_in_schema=False)
    async def misconfigured() -> str:
        raise InternalServerException("modello mancante")

    app.register(misconfigured)
    with caplog.at_level("ERROR", logger="training_hub.core.errors"):
        page = await client.get("/test-only/misconfigured")
    assert page.status_code == 500 and "modello mancante" not in page.text
    assert "Codice di riferimento" in page.text
    incident = page.text.split("ufficio formazione: ")[1][:8]
    assert any(incident in record.getMessage() for record in caplog.records)


async def test_logs_never_show_a_feed_token(app, client, caplog, monkeypatch):
    from training_hub.calendars import versions

    async def boom(token: str, **_: object) -> None:
        raise RuntimeError("guasto")

    monkeypatch.setattr(versions, "token_feed_version", boom)
    token = "a" * 64
    with caplog.at_level("ERROR", logger="training_hub.core.errors"):
        response = await client.get(f"/calendar/{token}.ics")
    assert response.status_code == 500
    assert caplog.records and all(token not in record.getMessage() for record in caplog.records)
    assert "/calendar/<token>.ics" in caplog.records[0].getMessage()


async def test_a_text_longer_than_its_column_is_a_field_error(client, admin):
    headers = await bearer(admin)
    response = await client.post("/api/people", json={"full_name": "N" * 201, "email": "lungo@example.test",
                                                      "roles": ["trainer"]}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "full_name", "message": "Il nome è troppo lungo: al massimo 200 caratteri."}]
    response = await client.post("/api/cooperatives", json={"name": "C" * 201, "province": "MI", "comune": "X" * 101},
                                 headers=headers)
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["errors"]} == {"name", "comune"}


async def test_a_page_number_beyond_any_page_is_an_empty_page(client, admin):
    response = await client.get("/api/people?page=99999999999999999999", headers=await bearer(admin))
    assert response.status_code == 200 and response.json()["items"] == []


async def test_litestar_http_errors_speak_italian_on_the_api_and_on_pages(client):
    admin = await make_person(roles="admin", email="errori@example.test")
    headers = await bearer(admin)
    wrong_method = await client.delete("/api/me", headers=headers)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == "application/problem+json"
    assert wrong_method.json()["type"] == "urn:training-hub:problem:method-not-allowed"
    assert wrong_method.json()["title"] == "Metodo non consentito"
    assert "GET" in wrong_method.headers["allow"]
    too_big = b"{" + b" " * (10 * 1024 * 1024 + 1) + b"}"
    large = await client.post("/api/auth/tokens", content=too_big, headers={"content-type": "application/json"})
    assert large.status_code == 413 and large.json()["type"] == "urn:training-hub:problem:too-large"
    bad_query = await client.get("/api/people?page=uno", headers=headers)
    assert bad_query.status_code == 400 and bad_query.json()["type"] == "urn:training-hub:problem:validation-failed"

    await login(client, "errori@example.test")
    page = await client.put("/profile")
    assert page.status_code == 405 and "text/html" in page.headers["content-type"]
    assert "Metodo non consentito" in page.text and "Traceback" not in page.text
    large_form = await client.post("/profile/password", content=b"a=" + b"x" * (10 * 1024 * 1024 + 1),
                                   headers={"content-type": "application/x-www-form-urlencoded"})
    assert large_form.status_code == 413 and "Richiesta troppo grande" in large_form.text
    bad_page_query = await client.get("/admin/people?page_number=uno")
    assert bad_page_query.status_code == 400 and "Richiesta non valida" in bad_page_query.text


async def test_a_nul_character_is_bad_input_on_every_engine(client, admin):
    from training_hub.core.db import is_sqlite

    response = await client.get("/api/people?q=a%00b", headers=await bearer(admin))
    if is_sqlite():
        assert response.status_code == 200  # SQLite has no quarrel with NUL
    else:
        assert response.status_code == 400
        assert response.json()["type"] == "urn:training-hub:problem:invalid-characters"
        assert response.json()["detail"] == "Un testo indicato contiene caratteri non ammessi."


async def test_unicode_digits_that_int_refuses_are_bad_input_not_crashes(client):
    """'²'.isdigit() is True but int('²') raises: numbers from URLs and forms are checked with isdecimal()."""
    assert (await client.get("/calendar/courses/%C2%B2.ics")).status_code == 404
    assert (await client.get("/calendar/sessions/%C2%B2.ics")).status_code == 404
    await make_person(roles="admin", email="apice@example.test")
    await login(client, "apice@example.test")
    response = await post_form(client, "/admin/people/new", {"full_name": "Nome Cognome", "email": "apice2@example.test",
                                                             "roles": "trainer", "cooperative_id": "²"})
    assert response.status_code == 303


async def test_superscript_digits_in_other_features_forms_and_queries(client):
    await make_person(roles="admin,trainer", email="apice3@example.test")
    await login(client, "apice3@example.test")
    assert (await client.get("/trainer/courses?page_number=%C2%B2")).status_code == 200
