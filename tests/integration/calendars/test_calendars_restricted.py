"""Anonymous feeds carry only courses open to everyone (issue 12, item 5): a consortium course open
only to some cooperatives is served by no public feed, and its session file only to who may see it."""

from __future__ import annotations

import pytest

from tests.factories import make_cooperative, make_course, make_path, make_person, make_session
from tests.support import bearer
from training_hub.calendars import cache
from training_hub.core.tables import CourseEligibleCooperative, PathKind


@pytest.fixture(autouse=True)
def empty_caches():
    cache.EVENTS.clear()
    cache.FEEDS.clear()
    cache.VERSIONS.clear()
    yield


async def test_a_restricted_course_is_in_no_anonymous_feed(client, other_client):
    allowed, outside = await make_cooperative(), await make_cooperative()
    path = await make_path(PathKind.MARKETING.value)
    open_course = await make_course(path, title="Aperto a tutti")
    open_session = await make_session(open_course)
    restricted = await make_course(path, title="Solo per alcune cooperative")
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=restricted.id, cooperative=allowed.id))
    lesson = await make_session(restricted)

    assert (await client.get(f"/calendar/courses/{restricted.id}.ics")).status_code == 404
    assert (await client.get(f"/calendar/sessions/{lesson.id}.ics")).status_code == 404
    path_feed = await client.get(f"/calendar/paths/{path.id}.ics")
    assert path_feed.status_code == 200
    assert open_session.uid.encode() in path_feed.content
    assert lesson.uid.encode() not in path_feed.content and b"Solo per alcune" not in path_feed.content
    assert (await client.get(f"/calendar/courses/{open_course.id}.ics")).status_code == 200
    assert (await client.get(f"/calendar/sessions/{open_session.id}.ics")).status_code == 200

    # The session file, like the course page: for the members of the cooperatives it is open to.
    member, stranger = await make_person(cooperative=allowed), await make_person(cooperative=outside)
    url = f"/calendar/sessions/{lesson.id}.ics"
    assert (await other_client.get(url, headers=await bearer(member))).status_code == 200
    assert (await other_client.get(url, headers=await bearer(stranger))).status_code == 404
    assert (await other_client.get(f"/api/courses/{restricted.id}", headers=await bearer(stranger))).status_code == 404
