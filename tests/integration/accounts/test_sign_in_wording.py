"""Issue 13.16: a failed login or check-in is not headed "Non è stato possibile salvare" (nothing was
being saved), and logging out says so."""

import re
from datetime import timedelta

from tests.factories import make_person
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import login, post_form
from training_hub.core.timeutil import utcnow


def summary_heading(html):
    match = re.search(r'<div class="error-summary"[^>]*>\s*<h2>(.*?)</h2>', html, re.S)
    return match.group(1) if match else None


async def test_a_failed_login_is_headed_as_a_failed_login(client):
    await make_person(email="w@example.test")
    await client.get("/login")
    response = await post_form(client, "/login", {"email": "w@example.test", "password": "sbagliata"})
    assert response.status_code == 400
    assert summary_heading(response.text) == "Accesso non riuscito"
    assert "Non è stato possibile salvare" not in response.text
    assert 'value="w@example.test"' in response.text  # what was typed stays


async def test_a_wrong_check_in_code_is_headed_as_a_failed_check_in(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    await login(client, setup.people[0].email)
    wrong = await post_form(client, "/check-in", {"session_id": setup.sessions[0].id, "code": "000000", "action": "in"})
    assert wrong.status_code == 409
    assert summary_heading(wrong.text) == "Check-in non riuscito"
    assert "Non è stato possibile salvare" not in wrong.text


async def test_logging_out_says_so(client):
    await make_person(email="w@example.test")
    await login(client, "w@example.test")
    response = await post_form(client, "/logout")
    assert response.status_code in (302, 303)
    page = await client.get(response.headers["location"])
    assert "Sei uscito da Training Hub." in page.text
    assert 'role="status"' in page.text or "flash" in page.text
    again = await client.get("/login")
    assert "Sei uscito da Training Hub." not in again.text  # said once


async def test_in_english_too(client):
    await make_person(email="w@example.test")
    client.cookies.set("lang", "en")
    await client.get("/login")
    response = await post_form(client, "/login", {"email": "w@example.test", "password": "wrong"})
    assert summary_heading(response.text) == "Sign-in failed"
