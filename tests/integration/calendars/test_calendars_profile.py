"""The calendar panel on the profile page and the "new link" form."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from tests.factories import make_cooperative, make_person
from tests.support import extract_csrf, login, post_form
from training_hub.core.i18n import format_date
from training_hub.core.tables import FeedToken
from training_hub.core.timeutil import utcnow


def feed_url_in(page: str, kind: str = "personal") -> str:
    match = re.search(rf'id="calendar-url-{kind}" value="([^"]+)"', page)
    assert match, f"no {kind} feed URL on the page"
    return html.unescape(match.group(1))


async def test_profile_shows_the_feed_with_subscribe_buttons_and_explanation(client):
    await make_person(email="luca@example.test")
    await login(client, "luca@example.test")
    page = (await client.get("/profile")).text
    url = feed_url_in(page)
    assert url.startswith("http://testserver.local/calendar/") and url.endswith(".ics")
    assert '<label for="calendar-url-personal">' in page
    assert 'readonly' in page
    webcal = "webcal://" + url.split("://", 1)[1]
    assert f'href="{webcal}"' in page
    assert html.escape("https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")) in page
    assert html.escape("https://outlook.live.com/calendar/0/addfromweb?url=" + quote(url, safe="")) in page
    assert "outlook.office.com/calendar/0/addfromweb" in page
    assert "Google Calendar anche fino a un giorno" in page
    assert "«Scarica» salva una copia che non si aggiorna più" in page
    assert f"Link attivo dal {format_date(utcnow())}" in page
    assert re.search(r"Link attivo dal \d\d/\d\d/\d{4}\.", page)
    assert 'href="/profile/calendar/rotate?kind=personal"' in page
    # CSP: scripts only from files, no inline code or style.
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert 'style="' not in page
    assert '<script src="/static/js/calendars.js" defer></script>' in page
    # Seen again, the same link (the token is created once).
    assert feed_url_in((await client.get("/profile")).text) == url
    assert await FeedToken.count() == 1
    assert "calendar-url-cooperative" not in page


async def test_coordinators_also_get_their_cooperative_feed(client):
    cooperative = await make_cooperative()
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    await login(client, "coord@example.test")
    page = (await client.get("/profile")).text
    personal, cooperative_url = feed_url_in(page), feed_url_in(page, "cooperative")
    assert personal != cooperative_url
    assert (await client.get(cooperative_url)).status_code == 200
    assert 'href="/profile/calendar/rotate?kind=cooperative"' in page


async def test_new_link_after_confirmation_kills_the_old_one(client):
    await make_person(email="ruota@example.test")
    await login(client, "ruota@example.test")
    old = feed_url_in((await client.get("/profile")).text)
    confirm = await client.get("/profile/calendar/rotate?kind=personal")
    assert confirm.status_code == 200
    assert "smetterà subito di funzionare" in confirm.text
    assert '<input type="hidden" name="kind" value="personal">' in confirm.text
    token = extract_csrf(confirm.text)
    assert token

    response = await post_form(client, "/profile/calendar/rotate", {"kind": "personal"})
    assert response.status_code == 303
    assert response.headers["location"] == "/profile#calendario"
    page = (await client.get("/profile")).text
    assert "Nuovo link pronto" in page
    new = feed_url_in(page)
    assert new != old
    assert (await client.get(old)).status_code == 404
    assert (await client.get(new)).status_code == 200


async def test_new_link_form_needs_its_csrf_token_and_the_right_role(client):
    await make_person(email="csrf@example.test")
    await login(client, "csrf@example.test")
    old = feed_url_in((await client.get("/profile")).text)
    forged = await client.post("/profile/calendar/rotate", data={"kind": "personal"})
    assert forged.status_code == 403
    assert (await client.get(old)).status_code == 200
    # A worker cannot make themselves a cooperative feed.
    refused = await post_form(client, "/profile/calendar/rotate", {"kind": "cooperative"})
    assert refused.status_code == 303
    assert "Solo i coordinatori" in (await client.get("/profile")).text
    assert (await client.get(old)).status_code == 200


async def test_rotation_pages_need_a_login(client):
    assert (await client.get("/profile/calendar/rotate")).headers["location"].startswith("/login")
