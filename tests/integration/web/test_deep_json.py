"""Issue 12 item 12: JSON nested a thousand deep is a bad request (400), not a RecursionError (500)."""

import pytest

from tests.support import bearer

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
async def test_deep_json_is_refused_anonymously_on_tokens(client, body):
    response = await client.post("/api/auth/tokens", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:training-hub:problem:bad-request"


async def test_deep_json_is_refused_on_an_authenticated_api(client, admin):
    headers = {**await bearer(admin), "Content-Type": "application/json"}
    response = await client.post("/api/paths", content='{"kind": "marketing", "title": ' + DEEP + "}", headers=headers)
    assert response.status_code == 400
    response = await client.put("/api/sessions/1/attendance", content=DEEP, headers=headers)
    assert response.status_code == 400


async def test_ordinary_nesting_still_works(client, admin):
    response = await client.post("/api/auth/tokens", json={"email": "x@example.test", "password": "sbagliata-123"})
    assert response.status_code in (401, 422)
