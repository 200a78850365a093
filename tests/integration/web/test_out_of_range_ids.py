import pytest

from tests.support import bearer


@pytest.mark.parametrize("url", ["/api/courses/99999999999", "/api/people/99999999999", "/api/sessions/99999999999",
                                 "/api/courses/99999999999/enrolments", "/courses/99999999999"])
async def test_ids_beyond_the_database_range_are_bad_requests_not_crashes(client, url, admin):
    response = await client.get(url, headers=await bearer(admin))
    assert response.status_code in (400, 404)
