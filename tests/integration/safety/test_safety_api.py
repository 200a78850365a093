"""GET /api/safety/course-types through HTTP: reference data for anyone logged in."""

from tests.factories import make_person
from tests.support import bearer

CONTRACT_FIELDS = {
    "code", "title", "legal_reference", "min_hours", "refresher_of", "refresh_years", "refresh_hours",
    "delivery_modes", "min_attendance_percent",
}


async def test_course_types_need_a_login(client):
    response = await client.get("/api/safety/course-types")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_any_logged_in_person_reads_the_course_types(client, count_queries):
    worker = await make_person("worker")
    headers = await bearer(worker)
    with count_queries() as counter:
        response = await client.get("/api/safety/course-types", headers=headers)
    assert response.status_code == 200, response.text
    assert counter.count == 1  # the token with its person; the course types live in code
    body = response.json()
    assert len(body) == 25
    assert all(CONTRACT_FIELDS <= set(item) for item in body)
    by_code = {item["code"]: item for item in body}
    assert body[0]["code"] == "lavoratori_generale"
    assert by_code["lavoratori_generale"]["refresh_years"] is None
    assert by_code["preposto_aggiornamento"] == {
        **by_code["preposto_aggiornamento"],
        "title": "Aggiornamento preposti",
        "min_hours": 6,
        "refresher_of": ["preposto"],
        "refresh_years": 2,
        "refresh_hours": 6,
        "delivery_modes": ["in_presence", "online", "blended"],
        "min_attendance_percent": 90,
        "final_test_min_questions": 10,
        "final_test_pass_percent": 70,
    }
    assert by_code["lavoratori_specifica_basso"]["delivery_modes"] == ["in_presence", "online", "blended", "e_learning"]
    assert by_code["rls_aggiornamento"]["refresh_hours_by_headcount"] == [
        {"min_workers": 0, "max_workers": 14, "hours": None},
        {"min_workers": 15, "max_workers": 50, "hours": 4},
        {"min_workers": 51, "max_workers": None, "hours": 8},
    ]
    assert "Parte II, punto 2.2" in by_code["preposto"]["legal_reference"]


async def test_titles_follow_the_language_of_the_request(client):
    headers = await bearer(await make_person("admin"))
    client.cookies.set("lang", "en")
    body = (await client.get("/api/safety/course-types", headers=headers)).json()
    assert body[0]["title"] == "General training of workers"
    assert body[0]["legal_reference"].startswith("D.Lgs. 81/2008")  # the legal citation stays Italian


async def test_the_response_is_documented_in_the_openapi_schema(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/safety/course-types"]["get"]
    assert "safety" in operation["tags"]
    assert "CourseTypeOut" in str(operation["responses"]["200"])
