"""Due dates in the person's calendar feed: all-day events with stable UIDs, no special-category data,
a poll still one statement, and the ETag and the body changing when a due date changes."""

from datetime import date

import pytest
from icalendar import Calendar

from tests.factories import make_cooperative, make_person
from tests.integration.safety.tracker_setup import external, give_role, set_risk
from tests.support import as_user
from training_hub.calendars import cache
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.tables import AccessibilityNeeds


@pytest.fixture(autouse=True)
def empty_caches():
    cache.EVENTS.clear()
    cache.FEEDS.clear()
    cache.VERSIONS.clear()
    yield


def _all_day(response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.events if str(event["UID"]).startswith("safety-due-")}


async def test_due_dates_are_all_day_events_in_the_personal_feed(client, count_queries):
    cooperative = await make_cooperative()
    await set_risk(cooperative, "medio", headcount=30)
    person = await make_person(cooperative=cooperative, full_name="Paolo Conti")
    await give_role(person, "worker")
    await give_role(person, "preposto")
    await external(person, "lavoratori_generale", date(2019, 1, 1), 4)
    await external(person, "lavoratori_specifica_medio", date(2025, 6, 10), 8)
    await external(person, "preposto", date(2025, 6, 10), 12)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, notes="Diabete: pause frequenti"))
    url = await current_feed_url(as_user(person), "personal")

    with count_queries() as counter:
        first = await client.get(url)
    assert counter.count == 5  # token and version; sessions (no course: no trainers to read); the three of the due dates
    events = _all_day(first)
    preposto = events[f"safety-due-{person.id}-preposto@training-hub"]
    assert str(preposto["SUMMARY"]) == "Scadenza aggiornamento preposti"
    assert preposto.decoded("DTSTART") == date(2027, 6, 10)
    assert preposto.decoded("DTEND") == date(2027, 6, 11)
    assert str(preposto["TRANSP"]) == "TRANSPARENT"
    assert "Ore da frequentare: 6." in str(preposto["DESCRIPTION"])
    specific = events[f"safety-due-{person.id}-lavoratori_specifica@training-hub"]
    assert str(specific["SUMMARY"]) == "Scadenza aggiornamento lavoratori"
    assert specific.decoded("DTSTART") == date(2030, 6, 10)
    assert len(events) == 2  # the general course never expires: no event
    assert b"Diabete" not in first.content and b"pause" not in first.content

    # Unchanged: 304 for one statement.
    with count_queries() as counter:
        again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert counter.count == 1

    # A refresher entered by the office moves the due date: new ETag, same UID, new day.
    await external(person, "preposto_aggiornamento", date(2026, 11, 20), 6)
    moved = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert moved.status_code == 200
    assert moved.headers["etag"] != first.headers["etag"]
    assert _all_day(moved)[f"safety-due-{person.id}-preposto@training-hub"].decoded("DTSTART") == date(2028, 11, 20)


async def test_a_feed_without_roles_builds_nothing_more(client, count_queries):
    person = await make_person()
    url = await current_feed_url(as_user(person), "personal")
    with count_queries() as counter:
        response = await client.get(url)
    assert response.status_code == 200
    assert counter.count == 2  # token and version; sessions (none: no trainers to read)
    assert _all_day(response) == {}
    # A role given later changes the version and brings the event in.
    await give_role(person, "antincendio", "1")
    await external(person, "antincendio_1", date(2025, 3, 3), 4)
    with_role = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert with_role.status_code == 200
    [event] = _all_day(with_role).values()
    assert str(event["SUMMARY"]) == "Scadenza aggiornamento addetti antincendio"
    assert event.decoded("DTSTART") == date(2030, 3, 3)
