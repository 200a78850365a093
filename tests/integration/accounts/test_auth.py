"""Logging in and out, sessions, API tokens, rate limiting, CSRF."""

from datetime import timedelta

from tests.factories import PASSWORD, make_cooperative, make_person
from tests.support import bearer, login, post_form
from training_hub.core.tables import ApiToken, KeyValue, LoginFailure
from training_hub.core.timeutil import utcnow


async def test_login_success_opens_an_italian_home_page(client):
    person = await make_person(full_name="Luca Rossi", email="luca@example.test")
    response = await post_form(client, "/login", {"email": "LUCA@example.test", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = await client.get("/")
    assert home.status_code == 200
    assert '<html lang="it">' in home.text
    assert "Buongiorno, Luca" in home.text
    assert person.email in (await client.get("/profile")).text


async def test_login_failure_says_so_without_telling_which_part_is_wrong(client):
    await make_person(email="anna@example.test")
    wrong_password = await post_form(client, "/login", {"email": "anna@example.test", "password": "sbagliata"})
    unknown_email = await post_form(client, "/login", {"email": "nessuno@example.test", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert "E-mail o password non corretti." in response.text
    assert "th_session" not in client.cookies
    assert (await client.get("/")).headers["location"] == "/login"


async def test_inactive_person_cannot_log_in(client):
    await make_person(email="ex@example.test", active=False)
    response = await post_form(client, "/login", {"email": "ex@example.test", "password": PASSWORD})
    assert response.status_code == 400


async def test_login_is_rate_limited_after_repeated_failures(client):
    await make_person(email="target@example.test")
    for _ in range(5):
        response = await post_form(client, "/login", {"email": "target@example.test", "password": "tentativo"})
        assert response.status_code == 400
    # Past the limit even the right password is refused until the window has passed.
    blocked = await post_form(client, "/login", {"email": "target@example.test", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Troppi tentativi" in blocked.text
    api = await client.post("/api/auth/tokens", json={"email": "target@example.test", "password": PASSWORD})
    assert api.status_code == 429
    assert api.headers["content-type"] == "application/problem+json"
    assert int(api.headers["retry-after"]) > 0
    # Once the failures are older than the window, the person can log in again.
    await LoginFailure.update({LoginFailure.at: utcnow() - timedelta(hours=1)}, force=True)
    assert (await post_form(client, "/login", {"email": "target@example.test", "password": PASSWORD})).status_code == 303


async def test_form_post_without_csrf_token_is_rejected(client):
    await make_person(email="csrf@example.test")
    await client.get("/login")  # the browser has the cookie, but the form does not carry the token
    response = await client.post("/login", data={"email": "csrf@example.test", "password": PASSWORD})
    assert response.status_code == 403
    assert "Ricarica la pagina" in response.text
    forged = await client.post(
        "/login", data={"email": "csrf@example.test", "password": PASSWORD, "_csrf_token": "forged"}
    )
    assert forged.status_code == 403


async def test_logout_ends_the_session(client):
    await make_person(email="bye@example.test")
    await login(client, "bye@example.test")
    old_session = client.cookies["th_session"]
    response = await post_form(client, "/logout")
    assert response.status_code == 303
    assert (await client.get("/")).headers["location"] == "/login"
    assert not await KeyValue.exists().where(KeyValue.key == f"sessions:{old_session}")


async def test_session_id_changes_at_login(client):
    await make_person(email="fix@example.test")
    await client.get("/login")
    client.cookies.set("th_session", "a" * 64, domain="testserver.local")  # planted before login
    await login(client, "fix@example.test")
    assert client.cookies["th_session"] != "a" * 64


async def test_reading_pages_does_not_rewrite_the_session(client, count_queries):
    await make_person(email="reader@example.test")
    await login(client, "reader@example.test")
    with count_queries() as counter:
        await client.get("/profile")
        await client.get("/profile")
    writes = [sql for sql in counter.statements if "key_value" in sql and not sql.lstrip().upper().startswith("SELECT")]
    assert writes == []


async def test_next_parameter_only_allows_local_paths(client):
    await make_person(email="next@example.test")
    response = await post_form(
        client, "/login", {"email": "next@example.test", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["location"] == "/"
    await post_form(client, "/logout")
    response = await post_form(client, "/login", {"email": "next@example.test", "password": PASSWORD, "next": "/profile"})
    assert response.headers["location"] == "/profile"


async def test_api_token_flow(client):
    cooperative = await make_cooperative()
    person = await make_person(roles="worker,tutor", cooperative=cooperative, email="api@example.test")
    response = await client.post("/api/auth/tokens", json={"email": "api@example.test", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"].endswith(("+01:00", "+02:00"))
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": person.id,
        "email": "api@example.test",
        "full_name": person.full_name,
        "roles": ["tutor", "worker"],
        "cooperative_id": cooperative.id,
        "calendar_url": me.json()["calendar_url"],
    }
    # Only a hash of the token is stored.
    assert not await ApiToken.exists().where(ApiToken.token_hash == body["token"])


async def test_wrong_password_for_token_is_problem_json(client):
    await make_person(email="api2@example.test")
    response = await client.post("/api/auth/tokens", json={"email": "api2@example.test", "password": "no"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:training-hub:problem:invalid-credentials"
    assert response.json()["title"] == "Credenziali non valide"


async def test_expired_and_revoked_tokens_are_refused(client):
    person = await make_person()
    headers = await bearer(person)
    assert (await client.get("/api/me", headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.expires_at: utcnow() - timedelta(seconds=1)}, force=True)
    expired = await client.get("/api/me", headers=headers)
    assert expired.status_code == 401
    assert expired.json()["type"] == "urn:training-hub:problem:not-authenticated"

    fresh = await bearer(person)
    assert (await client.post("/api/auth/tokens/revoke", headers=fresh)).status_code == 204
    assert (await client.get("/api/me", headers=fresh)).status_code == 401


async def test_api_without_token_is_401_problem_json(client):
    response = await client.get("/api/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/me", headers={"Authorization": "Bearer nonsense"})).status_code == 401


async def test_page_needing_login_redirects_there_and_back(client):
    await make_person(email="back@example.test")
    response = await client.get("/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/profile"
    login_page = await client.get(response.headers["location"])
    assert 'name="next" value="/profile"' in login_page.text


async def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(client):
    import asyncio

    await make_person(email="burst@example.test")
    responses = await asyncio.gather(*[
        client.post("/api/auth/tokens", json={"email": "burst@example.test", "password": f"tentativo-{n}"})
        for n in range(12)
    ])
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {401, 429}
    checked = statuses.count(401)
    assert checked <= 5  # the limit holds for a burst too (how many reach it depends on the interleaving)
    assert await LoginFailure.count().where(LoginFailure.email == "burst@example.test") == checked
    right = await client.post("/api/auth/tokens", json={"email": "burst@example.test", "password": PASSWORD})
    assert right.status_code == (429 if checked == 5 else 201)


async def test_a_planted_live_session_is_replaced_at_login(client):
    """An attacker's own (anonymous, but stored) session id must not become the victim's login."""
    from training_hub.web.sessions import DatabaseStore

    await make_person(email="victim@example.test")
    await client.get("/login")
    planted = "b" * 64
    await DatabaseStore("sessions").set(planted, b'{"_flash":[{"message":"ciao","category":"success"}]}', 3600)
    client.cookies.set("th_session", planted, domain="testserver.local")
    await login(client, "victim@example.test")
    assert client.cookies["th_session"] != planted
    assert not await KeyValue.exists().where(KeyValue.key == f"sessions:{planted}")


async def test_a_garbled_session_cookie_is_no_session_and_no_query(client, count_queries):
    for value in ('"\\000abc"', "null", "x" * 5000, "../../etc"):
        client.cookies.set("th_session", value, domain="testserver.local")
        with count_queries() as counter:
            response = await client.get("/profile")  # a page that needs a login (/courses is public)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), value
        assert not [sql for sql in counter.statements if "key_value" in sql], value


async def test_changing_the_password_logs_out_every_other_browser(client, other_client):
    await make_person(email="two@example.test")
    await login(client, "two@example.test")
    await login(other_client, "two@example.test")
    assert (await other_client.get("/profile")).status_code == 200
    changed = await post_form(client, "/profile/password", {
        "current_password": PASSWORD, "new_password": "una-password-nuova", "confirm_password": "una-password-nuova"})
    assert changed.status_code == 303
    assert (await client.get("/profile")).status_code == 200  # this browser stays in
    assert (await other_client.get("/profile")).headers["location"] == "/login?next=/profile"
