"""Problem+json for bodies and parameters Litestar refuses: every field named, an Italian (or English)
message built from the declared types and the JSON sent, never from msgspec's own English."""

from litestar import get
from litestar.plugins.problem_details import ProblemDetailsException

from tests.factories import make_person
from tests.support import bearer


def fields(response) -> dict[str, str]:
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:training-hub:problem:validation-failed"
    assert body["instance"] == response.request.url.path
    return {error["field"]: error["message"] for error in body["errors"]}


async def test_a_body_names_every_missing_field_and_every_value_of_the_wrong_kind(client):
    trainer = await make_person(roles="trainer")
    response = await client.post("/api/courses", json={"title": 3, "trainer_ids": [1, "due"]},
                                 headers=await bearer(trainer))
    assert fields(response) == {
        "path_id": "Campo obbligatorio.",
        "title": "Valore non valido: è atteso un testo.",
        "capacity": "Campo obbligatorio.",
        "trainer_ids.1": "Valore non valido: è atteso un numero intero.",
    }


async def test_a_list_body_names_the_item(client):
    trainer = await make_person(roles="trainer")
    body = [{"enrolment_id": 4, "status": "present"}, {"status": 1}]
    response = await client.put("/api/sessions/1/attendance", json=body, headers=await bearer(trainer))
    assert fields(response) == {"1.enrolment_id": "Campo obbligatorio.",
                                "1.status": "Valore non valido: è atteso un testo."}
    not_a_list = await client.put("/api/sessions/1/attendance", json={"enrolment_id": 4},
                                  headers=await bearer(trainer))
    assert fields(not_a_list) == {"body": "Valore non valido: è atteso un elenco."}


async def test_unknown_fields_are_named_where_the_body_refuses_them(client):
    worker = await make_person()
    response = await client.post("/api/courses/1/enrolments", json={"persona": 5, "person_id": "cinque"},
                                 headers=await bearer(worker))
    assert fields(response) == {"person_id": "Valore non valido: è atteso un numero intero.",
                                "persona": "Campo non previsto."}
    # What Litestar reads leniently ("5" for 5) is not listed as a problem.
    lenient = await client.post("/api/courses/1/enrolments", json={"persona": 5, "person_id": "5"},
                                headers=await bearer(worker))
    assert fields(lenient) == {"persona": "Campo non previsto."}


async def test_query_parameters_of_the_handler_and_of_its_dependencies(client):
    admin = await make_person(roles="admin")
    headers = await bearer(admin)
    assert fields(await client.get("/api/people?page=uno", headers=headers)) == {
        "page": "Valore non valido: è atteso un numero intero."}
    assert fields(await client.get("/api/reports/summary?cooperative_id=tre", headers=headers)) == {
        "cooperative_id": "Valore non valido: è atteso un numero intero."}


async def test_messages_follow_the_language_of_the_request(client):
    admin = await make_person(roles="admin")
    response = await client.post("/api/people", json={"full_name": ["X"]},
                                 headers={**await bearer(admin), "cookie": "lang=en"})
    assert fields(response) == {"full_name": "Invalid value: a text is expected.", "email": "Required field."}
    assert response.json()["title"] == "Invalid request"


async def test_malformed_json_says_so(client):
    admin = await make_person(roles="admin")
    response = await client.post("/api/people", content=b'{"full_name": ', headers={
        **await bearer(admin), "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"] == "urn:training-hub:problem:bad-request"
    assert response.json()["detail"] == "Il corpo della richiesta non è un JSON valido."


ISSUE = {"code": "started", "severity": "error", "message": "Il corso è già iniziato."}


async def test_a_problem_details_exception_is_problem_json_on_the_api_and_a_page_elsewhere(app, client):
    def refuse() -> None:
        raise ProblemDetailsException(
            type_="urn:training-hub:problem:conflict", title="Operazione non possibile",
            detail="Il corso è già iniziato.", status_code=409, extra={"issues": [ISSUE]},
        )

    @get("/api/test-only/problem", include_in_schema=False)
    async def api_problem() -> None:
        refuse()

    @get("/test-only/problem", include_in_schema=False)
    async def page_problem() -> None:
        refuse()

    app.register(api_problem)
    app.register(page_problem)
    api = await client.get("/api/test-only/problem")
    assert api.status_code == 409 and api.headers["content-type"] == "application/problem+json"
    assert api.json() == {"type": "urn:training-hub:problem:conflict", "title": "Operazione non possibile",
                          "status": 409, "detail": "Il corso è già iniziato.",
                          "instance": "/api/test-only/problem", "issues": [ISSUE]}
    page = await client.get("/test-only/problem")
    assert page.status_code == 409 and "text/html" in page.headers["content-type"]
    assert "Il corso è già iniziato." in page.text
