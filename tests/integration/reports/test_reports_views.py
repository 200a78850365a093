"""The report pages show what the reports service decided: which other reports a person may open
(``reports.scope.report_menu``) and which scope filters they may change (``choosable_filters``);
every link shown answers, and the routes refuse what is not shown."""

import re

from tests.factories import make_cooperative, make_person
from tests.support import login

QUERY = "from=2025-01-01&to=2025-12-31"


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="report-views".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


async def _person(client, roles: str, cooperative=None):
    person = await make_person(roles, cooperative=cooperative)
    await login(client, person.email)
    return person


async def test_the_office_gets_every_report_and_every_filter(client):
    await _person(client, "admin")
    page = await client.get(f"/reports?{QUERY}")
    assert _menu(page.text) == ["/reports", "/reports/activity", "/admin/surveys"]
    for href in _menu(page.text):
        assert (await client.get(href)).status_code == 200, href
    assert 'name="cooperative_id"' in page.text and 'name="province"' in page.text
    assert 'name="trainer_id"' not in page.text
    trainer_page = await client.get(f"/reports/trainer?{QUERY}")
    assert 'name="trainer_id"' in trainer_page.text and 'name="cooperative_id"' not in trainer_page.text


async def test_a_coordinator_who_teaches_gets_both_of_her_dashboards(client):
    await _person(client, "coordinator,trainer", await make_cooperative())
    page = await client.get(f"/reports/cooperative?{QUERY}")
    assert _menu(page.text) == ["/reports/cooperative", "/reports/trainer"]
    for href in _menu(page.text):
        assert (await client.get(href)).status_code == 200, href
    assert 'name="cooperative_id"' not in page.text and 'name="province"' not in page.text
    assert (await client.get("/reports/activity")).status_code == 403


async def test_a_coordinator_or_a_trainer_alone_gets_no_menu_and_no_scope_filter(client):
    await _person(client, "coordinator", await make_cooperative())
    page = await client.get(f"/reports/cooperative?{QUERY}")
    assert page.status_code == 200 and _menu(page.text) == []
    assert 'name="cooperative_id"' not in page.text
    assert (await client.get(f"/reports/trainer?{QUERY}")).status_code == 403

    await _person(client, "trainer")
    redirect = await client.get("/reports")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/reports/trainer"
    page = await client.get(f"/reports/trainer?{QUERY}")
    assert page.status_code == 200 and _menu(page.text) == []
    assert 'name="trainer_id"' not in page.text
    assert (await client.get(f"/reports/cooperative?{QUERY}")).status_code == 403


async def test_a_coordinator_without_a_cooperative_is_sent_to_what_she_may_open(client):
    # Nothing to coordinate: her trainer's dashboard is the one she may open, and the only one shown.
    await _person(client, "coordinator,trainer")
    redirect = await client.get("/reports")
    assert redirect.headers["location"] == "/reports/trainer"
    page = await client.get(f"/reports/trainer?{QUERY}")
    assert page.status_code == 200 and _menu(page.text) == []
    assert (await client.get(f"/reports/cooperative?{QUERY}")).status_code == 403
