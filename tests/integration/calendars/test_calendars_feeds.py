"""Calendar feeds over HTTP: what each feed holds, who sees what, tokens, ETag/304, HEAD, query counts."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime

import pytest
from icalendar import Calendar

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user, bearer, login, post_form
from training_hub.calendars import cache, contents, feeds, versions
from training_hub.calendars.tokens import current_feed_url, rotate_token
from training_hub.core.tables import (
    AccessibilityNeeds,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    FeedToken,
    PathKind,
    Person,
    Session,
    SessionStatus,
)
from training_hub.core.timeutil import rome_wall_clock, utcnow

BASE_URL = "http://testserver.local"


@pytest.fixture(autouse=True)
def empty_caches():
    cache.EVENTS.clear()
    cache.FEEDS.clear()
    cache.VERSIONS.clear()
    yield


async def feed_url(person: Person, kind: str = "personal") -> str:
    return await current_feed_url(as_user(person), kind)


def parse(response) -> Calendar:
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.events}


async def a_course_with_sessions(n: int = 2, **course_values):
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    path = course_values.pop("path", None) or await make_path(PathKind.MARKETING.value, title="Marketing sociale")
    course = await make_course(path, trainers=[trainer], title=course_values.pop("title", "Comunicare il sociale"),
                               **course_values)
    location = await make_location(name="Sede del Consorzio", address="Via Tolmezzo, 3", comune="Milano")
    first = utcnow() + timedelta(days=10)
    sessions = [
        await make_session(course, first + timedelta(days=7 * i), location=location.id, topics=f"Argomento {i}")
        for i in range(n)
    ]
    return course, sessions, trainer


# What a personal feed holds ----------------------------------------------------------------------------


async def test_personal_feed_has_every_property(client):
    worker = await make_person(full_name="Luca Rossi")
    course, sessions, _trainer = await a_course_with_sessions(1)
    online = await make_session(course, utcnow() + timedelta(days=20), online_url="https://meet.example/lezione",
                                topics="Strumenti digitali")
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    assert url.startswith(f"{BASE_URL}/calendar/") and url.endswith(".ics")

    response = await client.get(url)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'inline; filename="training-hub-calendario-personale.ics"'
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith("GMT")
    assert "private" in response.headers["cache-control"]
    calendar = parse(response)
    for name, value in [("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
                        ("X-WR-TIMEZONE", "Europe/Rome"), ("NAME", "La mia formazione · Training Hub"),
                        ("X-WR-CALNAME", "La mia formazione · Training Hub"), ("X-PUBLISHED-TTL", "PT1H")]:
        assert str(calendar[name]) == value
    assert "Training Hub" in str(calendar["PRODID"])
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    [zone] = calendar.timezones
    assert str(zone["TZID"]) == "Europe/Rome"
    assert {component.name for component in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert all("RRULE" in component for component in zone.subcomponents)

    events = events_by_uid(calendar)
    assert set(events) == {sessions[0].uid, online.uid}
    event = events[sessions[0].uid]
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.decoded("DTSTART") == sessions[0].starts_at
    assert event.decoded("DTEND") == sessions[0].ends_at
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("DTSTAMP") == sessions[0].updated_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == sessions[0].updated_at.replace(microsecond=0)
    assert event.decoded("CREATED") == sessions[0].created_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Comunicare il sociale"
    assert str(event["LOCATION"]) == "Sede del Consorzio, Via Tolmezzo, 3, Milano"
    assert str(event["URL"]) == f"{BASE_URL}/courses/{course.id}"
    description = str(event["DESCRIPTION"])
    for text in ("Percorso: Marketing sociale", "Formatore: Marco Bianchi", "Argomenti: Argomento 0"):
        assert text in description
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Marketing sociale"]
    assert str(event["STATUS"]) == "CONFIRMED"
    # A confirmed participant sees the online link.
    assert "Collegamento online: https://meet.example/lezione" in str(events[online.uid]["DESCRIPTION"])
    # No name but the trainer's: not even the person's own.
    assert b"Luca Rossi" not in response.content


async def test_only_confirmed_enrolments_and_taught_courses_are_in_a_personal_feed(client):
    person = await make_person("worker,trainer")
    confirmed, (c1,), _ = await a_course_with_sessions(1, title="Confermato")
    await make_enrolment(person, confirmed)
    left_out = []
    for status in ("pending", "waitlisted", "cancelled", "rejected"):
        course, (session,), _ = await a_course_with_sessions(1, title=f"Iscrizione {status}")
        await make_enrolment(person, course, status=status)
        left_out.append(session.uid)
    taught = await make_course(trainers=[person], title="Insegnato")
    taught_session = await make_session(taught)
    other = await make_course(title="Sessione assegnata")
    assigned = await make_session(other, trainer=person.id)
    other_lesson = await make_session(other)  # same course, another trainer: not theirs
    draft = await make_course(trainers=[person], status=CourseStatus.DRAFT.value, title="Bozza")
    draft_session = await make_session(draft)

    uids = set(events_by_uid(parse(await client.get(await feed_url(person)))))
    assert uids == {c1.uid, taught_session.uid, assigned.uid}
    assert not uids & {*left_out, other_lesson.uid, draft_session.uid}


async def test_moving_a_session_raises_sequence_and_keeps_the_uid(client):
    worker = await make_person()
    course, (session,), _ = await a_course_with_sessions(1)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    first = await client.get(url)
    before = events_by_uid(parse(first))[session.uid]

    # What the scheduling service does when a session moves: new time, sequence + 1, updated_at.
    moved_to = session.starts_at + timedelta(days=1, hours=2)
    await Session.update({
        Session.starts_at: moved_to, Session.ends_at: moved_to + timedelta(hours=3),
        Session.sequence: Session.sequence + 1, Session.updated_at: utcnow() + timedelta(seconds=1),
    }).where(Session.id == session.id)

    second = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    after = events_by_uid(parse(second))[session.uid]
    assert str(after["UID"]) == str(before["UID"]) == session.uid
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1 == 1
    assert after.decoded("DTSTART") == moved_to
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")


async def test_cancelled_session_stays_as_cancelled_for_30_days_then_leaves(client):
    worker = await make_person()
    course, (kept, cancelled), _ = await a_course_with_sessions(2)
    await make_enrolment(worker, course)
    cancelled_at = utcnow()
    await Session.update({
        Session.status: SessionStatus.CANCELLED.value, Session.cancelled_at: cancelled_at,
        Session.sequence: 1, Session.updated_at: cancelled_at,
    }).where(Session.id == cancelled.id)

    events = events_by_uid(parse(await client.get(await feed_url(worker))))
    assert str(events[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert str(events[cancelled.uid]["SUMMARY"]) == "Annullato: Comunicare il sociale"
    assert events[cancelled.uid].decoded("SEQUENCE") == 1
    assert str(events[kept.uid]["STATUS"]) == "CONFIRMED"

    feed = await feeds.token_feed((await feed_url(worker)).rsplit("/", 1)[1][:-4])
    on_day_30 = await contents.feed_sessions(feed, now=cancelled_at + timedelta(days=30))
    assert {s.uid: s.cancelled for s in on_day_30} == {kept.uid: False, cancelled.uid: True}
    after = await contents.feed_sessions(feed, now=cancelled_at + timedelta(days=31, hours=1))
    assert [s.uid for s in after] == [kept.uid]
    # The version moves with the day the cancelled session leaves, so clients see it go.
    v30 = await versions.feed_version(feed, now=cancelled_at + timedelta(days=30))
    v31 = await versions.feed_version(feed, now=cancelled_at + timedelta(days=31, hours=1))
    assert v30.etag != v31.etag


async def test_a_cancelled_course_shows_its_sessions_cancelled_even_after_enrolments_are_closed(client):
    worker = await make_person()
    course, (session,), _ = await a_course_with_sessions(1)
    enrolment = await make_enrolment(worker, course)
    await Course.update({Course.status: CourseStatus.CANCELLED.value, Course.updated_at: utcnow()}).where(
        Course.id == course.id)
    await Enrolment.update({Enrolment.status: EnrolmentStatus.CANCELLED.value, Enrolment.cancelled_at: utcnow()}).where(
        Enrolment.id == enrolment.id)
    event = events_by_uid(parse(await client.get(await feed_url(worker))))[session.uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Annullato: ")


async def test_weekly_series_over_the_october_dst_change_keeps_nine_oclock(client):
    worker = await make_person()
    course = await make_course(title="Serie settimanale")
    year = utcnow().year + 1
    last_sunday = max(date(year, 10, day) for day in range(25, 32) if date(year, 10, day).weekday() == 6)
    days = [last_sunday - timedelta(days=10), last_sunday - timedelta(days=3), last_sunday + timedelta(days=4),
            last_sunday + timedelta(days=11)]
    sessions = [await make_session(course, rome_wall_clock(day, time(9, 0)).astimezone(UTC), minutes=240)
                for day in days]
    await make_enrolment(worker, course)
    events = events_by_uid(parse(await client.get(await feed_url(worker))))
    parsed = [events[session.uid] for session in sessions]
    assert [event["DTSTART"].params["TZID"] for event in parsed] == ["Europe/Rome"] * 4
    assert [event.decoded("DTSTART").time() for event in parsed] == [time(9, 0)] * 4
    assert [event.decoded("DTEND").time() for event in parsed] == [time(13, 0)] * 4
    assert [event.decoded("DTSTART").utcoffset() for event in parsed] == [timedelta(hours=2)] * 2 + [timedelta(hours=1)] * 2


# Privacy -------------------------------------------------------------------------------------------


async def test_a_workers_feed_shows_no_other_persons_data(client):
    cooperative = await make_cooperative()
    worker = await make_person(cooperative=cooperative, full_name="Luca Rossi", email="luca@example.test")
    others = [
        await make_person(cooperative=cooperative, full_name="Giovanna Verdi", email="giovanna@example.test"),
        await make_person(full_name="Pietro Neri", email="pietro@example.test", codice_fiscale="NREPTR80A01F205X"),
    ]
    course, _, _ = await a_course_with_sessions(2)
    for person in [worker, *others]:
        await make_enrolment(person, course)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=others[1].id, interpreter=True,
                                                       notes="Serve un interprete LIS"))
    body = (await client.get(await feed_url(worker))).content.decode()
    for text in ("Giovanna", "Verdi", "Pietro", "Neri", "giovanna@", "pietro@", "NREPTR80A01F205X", "interprete",
                 "Luca Rossi", "luca@"):
        assert text not in body


async def test_cooperative_feed_counts_workers_and_names_nobody(client):
    cooperative = await make_cooperative(name="Cooperativa Sociale Il Melograno")
    coordinator = await make_person("coordinator", cooperative=cooperative)
    workers = [await make_person(cooperative=cooperative, full_name=f"Lavoratore Numero{i}") for i in range(3)]
    outsider = await make_person(full_name="Esterna Sconosciuta")
    course, (session,), _ = await a_course_with_sessions(1, title="Corso comune")
    await make_enrolment(workers[0], course)
    await make_enrolment(workers[1], course)
    await make_enrolment(workers[2], course, status=EnrolmentStatus.WAITLISTED.value)
    await make_enrolment(outsider, course)
    inclusion = await make_path(PathKind.INCLUSION.value, title="Inclusione lavorativa")
    inclusion_course = await make_course(inclusion, title="Percorso di inclusione")
    inclusion_session = await make_session(inclusion_course, online_url="https://meet.example/incl")
    await make_enrolment(workers[2], inclusion_course)
    elsewhere, (elsewhere_session,), _ = await a_course_with_sessions(1, title="Solo esterni")
    await make_enrolment(outsider, elsewhere)

    url = await feed_url(coordinator, "cooperative")
    response = await client.get(url)
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]) == "Formazione · Cooperativa Sociale Il Melograno"
    events = events_by_uid(calendar)
    assert set(events) == {session.uid, inclusion_session.uid}
    assert "Partecipano 2 persone della cooperativa." in str(events[session.uid]["DESCRIPTION"])
    inclusion_description = str(events[inclusion_session.uid]["DESCRIPTION"])
    assert "cooperativa" not in inclusion_description  # no count on an inclusion path
    body = response.content.decode()
    for text in ("Lavoratore", "Numero", "Esterna", "Sconosciuta", "meet.example"):
        assert text not in body
    assert elsewhere_session.uid not in body

    # A coordinator who loses the role (or moves to another cooperative) loses the feed.
    await Person.update({Person.roles: "worker"}).where(Person.id == coordinator.id)
    assert (await client.get(url)).status_code == 404


# Tokens --------------------------------------------------------------------------------------------


async def test_tokens_are_random_long_and_stored_hashed(client):
    person = await make_person()
    url = await feed_url(person)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 random bits
    rows = await FeedToken.select().where(FeedToken.person == person.id)
    assert len(rows) == 1
    assert token not in repr(rows)
    assert await feed_url(person) == url  # shown again to its owner, unchanged
    other = await make_person()
    assert await feed_url(other) != url


async def test_rotating_the_token_kills_the_old_url_at_once(client):
    person = await make_person()
    course, _, _ = await a_course_with_sessions(1)
    await make_enrolment(person, course)
    old = await feed_url(person)
    assert (await client.get(old)).status_code == 200
    new = await rotate_token(as_user(person))
    assert new != old
    gone = await client.get(old)
    assert gone.status_code == 404
    assert (await client.get(new)).status_code == 200
    assert await feed_url(person) == new
    # The same answer as a token that never existed and as an unknown address.
    never = await client.get(f"/calendar/{'0' * 64}.ics")
    unknown = await client.get("/calendar/nothing/here.ics")
    assert gone.content == never.content == unknown.content
    assert gone.headers["content-type"] == never.headers["content-type"] == unknown.headers["content-type"]
    assert (await client.get("/calendar/short.ics")).content == gone.content


async def test_changing_the_password_does_not_touch_the_token(client):
    person = await make_person(email="cambio@example.test")
    await login(client, "cambio@example.test")
    url = await feed_url(person)
    response = await post_form(client, "/profile/password", {
        "current_password": "demo-password", "new_password": "una-password-nuova-e-lunga",
        "confirm_password": "una-password-nuova-e-lunga"})
    assert response.status_code == 303
    assert await feed_url(person) == url
    assert (await client.get(url)).status_code == 200


async def test_api_me_returns_the_current_calendar_url(client):
    person = await make_person()
    headers = await bearer(person)
    first = (await client.get("/api/me", headers=headers)).json()["calendar_url"]
    assert first.startswith(f"{BASE_URL}/calendar/") and first.endswith(".ics")
    assert (await client.get("/api/me", headers=headers)).json()["calendar_url"] == first
    assert (await client.get(first)).status_code == 200
    rotated = await client.post("/api/me/calendar/rotate", headers=headers)
    assert rotated.status_code == 200
    assert rotated.json()["calendar_url"] != first
    assert (await client.get("/api/me", headers=headers)).json()["calendar_url"] == rotated.json()["calendar_url"]
    assert (await client.get(first)).status_code == 404
    refused = await client.post("/api/me/calendar/rotate?kind=cooperative", headers=headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


async def test_inactive_person_feed_is_gone(client):
    person = await make_person()
    url = await feed_url(person)
    await Person.update({Person.active: False}).where(Person.id == person.id)
    assert (await client.get(url)).status_code == 404


# HTTP: validators, 304, HEAD -------------------------------------------------------------------------


async def test_etag_and_last_modified_answer_304_without_building(client, count_queries):
    worker = await make_person()
    course, _, _ = await a_course_with_sessions(3)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    first = await client.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]

    cache.EVENTS.clear()
    cache.FEEDS.clear()
    with count_queries() as counter:
        not_modified = await client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert counter.count == 1  # the token and the aggregate, in one statement
    assert len(cache.EVENTS) == 0 and len(cache.FEEDS) == 0  # nothing was built

    assert (await client.get(url, headers={"If-None-Match": f'"other", W/{etag}'})).status_code == 304
    assert (await client.get(url, headers={"If-None-Match": "*"})).status_code == 304
    assert (await client.get(url, headers={"If-None-Match": '"other"'})).status_code == 200
    assert (await client.get(url, headers={"If-Modified-Since": last_modified})).status_code == 304
    earlier = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    assert (await client.get(url, headers={"If-Modified-Since": earlier})).status_code == 200
    assert (await client.get(url, headers={"If-Modified-Since": "not a date"})).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    both = await client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified})
    assert both.status_code == 200
    # Unchanged data, same bytes and same validator.
    again = await client.get(url)
    assert again.headers["etag"] == etag and again.content == first.content


async def test_a_change_changes_the_validators(client):
    worker = await make_person()
    course, (session,), _ = await a_course_with_sessions(1)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    first = await client.get(url)
    await Course.update({Course.title: "Titolo nuovo", Course.updated_at: utcnow() + timedelta(seconds=2)}).where(
        Course.id == course.id)
    renamed = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert renamed.status_code == 200
    assert str(events_by_uid(parse(renamed))[session.uid]["SUMMARY"]) == "Titolo nuovo"
    # A new enrolment brings its course in.
    other, (other_session,), _ = await a_course_with_sessions(1)
    await make_enrolment(worker, other)
    grown = await client.get(url, headers={"If-None-Match": renamed.headers["etag"]})
    assert grown.status_code == 200
    assert other_session.uid in events_by_uid(parse(grown))


async def test_an_address_edited_by_the_office_reaches_the_feeds_at_once(client):
    worker = await make_person()
    course, (session,), _ = await a_course_with_sessions(1)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    first = await client.get(url)
    assert "Via Tolmezzo, 3" in str(events_by_uid(parse(first))[session.uid]["LOCATION"])
    assert (await client.get(url, headers={"If-None-Match": first.headers["etag"]})).status_code == 304
    location_id = (await Session.select(Session.location).where(Session.id == session.id).first())["location"]
    edited = await client.patch(f"/api/locations/{location_id}", headers=await bearer(await make_person("admin")),
                                json={"address": "Via Tolmezzo, 15"})
    assert edited.status_code == 200, edited.text
    moved = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert moved.status_code == 200
    assert "Via Tolmezzo, 15" in str(events_by_uid(parse(moved))[session.uid]["LOCATION"])
    course_feed = await client.get(f"/calendar/courses/{course.id}.ics")
    assert "Via Tolmezzo, 15" in str(events_by_uid(parse(course_feed))[session.uid]["LOCATION"])


async def test_head_answers_like_get_without_a_body(client):
    worker = await make_person()
    course, _, _ = await a_course_with_sessions(2)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    get = await client.get(url)
    head = await client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    for header in ("etag", "last-modified", "content-type", "content-disposition"):
        assert head.headers[header] == get.headers[header]
    assert head.headers["content-length"] == str(len(get.content))
    assert (await client.head(url, headers={"If-None-Match": get.headers["etag"]})).status_code == 304
    assert (await client.head(f"/calendar/{'0' * 64}.ics")).status_code == 404


async def test_feed_queries_do_not_grow_with_the_number_of_sessions(client, count_queries):
    async def person_with(n_courses: int, per_course: int) -> str:
        person = await make_person()
        trainer = await make_person("trainer")
        location = await make_location()
        start = utcnow() + timedelta(days=5)
        for c in range(n_courses):
            course = await make_course(trainers=[trainer] if c % 2 else [])
            await Session.insert(*[
                Session(course=course.id, starts_at=start + timedelta(days=i, hours=c),
                        ends_at=start + timedelta(days=i, hours=c + 2), location=location.id,
                        trainer=None if c % 2 else trainer.id, uid=f"{uuid.uuid4()}@training-hub")
                for i in range(per_course)
            ])
            await make_enrolment(person, course)
        return await feed_url(person)

    counts = {}
    for label, (courses, per_course) in {"small": (2, 5), "large": (20, 10)}.items():
        url = await person_with(courses, per_course)
        cache.EVENTS.clear()
        cache.FEEDS.clear()
        with count_queries() as counter:
            response = await client.get(url)
        cold = counter.count
        assert len(parse(response).events) == courses * per_course
        with count_queries() as counter:
            again = await client.get(url)
        warm = counter.count
        with count_queries() as counter:
            assert (await client.get(url, headers={"If-None-Match": again.headers["etag"]})).status_code == 304
        counts[label] = (cold, warm, counter.count)
    # Built: token+version, sessions, course trainers; cached or 304: token+version only.
    assert counts["small"] == counts["large"] == (3, 1, 1)


# Public feeds and downloads ---------------------------------------------------------------------------


async def test_course_and_path_feeds_are_public_only_for_published_consortium_courses(client):
    path = await make_path(PathKind.MARKETING.value, title="Marketing sociale")
    published, (session,), _ = await a_course_with_sessions(1, path=path, title="Aperto a tutti")
    online = await make_session(published, online_url="https://meet.example/pubblico")
    draft = await make_course(path, status=CourseStatus.DRAFT.value, title="Ancora in bozza")
    draft_session = await make_session(draft)
    cooperative = await make_cooperative()
    internal_path = await make_path(PathKind.INTERNAL_TRAINING.value, owner_cooperative=cooperative.id)
    internal = await make_course(internal_path, title="Solo per la cooperativa")
    await make_session(internal)

    response = await client.get(f"/calendar/courses/{published.id}.ics")
    assert response.headers["content-disposition"].startswith('inline; filename="training-hub-corso-')
    calendar = parse(response)
    assert set(events_by_uid(calendar)) == {session.uid, online.uid}
    assert b"meet.example" not in response.content  # online links only for participants
    assert str(calendar["X-WR-CALNAME"]) == "Aperto a tutti · Training Hub"

    path_events = events_by_uid(parse(await client.get(f"/calendar/paths/{path.id}.ics")))
    assert set(path_events) == {session.uid, online.uid}
    assert draft_session.uid not in path_events

    not_found = await client.get(f"/calendar/courses/{draft.id}.ics")
    for url in (f"/calendar/courses/{draft.id}.ics", f"/calendar/courses/{internal.id}.ics",
                f"/calendar/paths/{internal_path.id}.ics", "/calendar/courses/999999.ics",
                "/calendar/courses/abc.ics", f"/calendar/courses/{published.id}"):
        answer = await client.get(url)
        assert answer.status_code == 404, url
        assert answer.content == not_found.content
    # Not even with a session cookie of a member: internal courses reach people through personal feeds.
    member = await make_person(cooperative=cooperative, email="membro@example.test")
    await login(client, member.email)
    assert (await client.get(f"/calendar/courses/{internal.id}.ics")).status_code == 404


async def test_session_download_for_whoever_may_see_the_course(client, other_client):
    public, (public_session,), trainer = await a_course_with_sessions(1)
    anonymous = await client.get(f"/calendar/sessions/{public_session.id}.ics")
    assert anonymous.headers["content-disposition"].startswith('attachment; filename="training-hub-lezione-')
    assert [str(e["UID"]) for e in parse(anonymous).events] == [public_session.uid]

    cooperative = await make_cooperative()
    internal_path = await make_path(PathKind.INTERNAL_TRAINING.value, owner_cooperative=cooperative.id)
    internal = await make_course(internal_path, trainers=[trainer], title="Interno")
    lesson = await make_session(internal, online_url="https://meet.example/interno")
    url = f"/calendar/sessions/{lesson.id}.ics"
    assert (await client.get(url)).status_code == 404

    member = await make_person(cooperative=cooperative, email="socio@example.test")
    await login(client, member.email)
    seen_by_member = await client.get(url)
    assert seen_by_member.status_code == 200
    assert b"meet.example" not in seen_by_member.content
    assert "Vary" in seen_by_member.headers or "vary" in seen_by_member.headers

    participant = await make_person(cooperative=cooperative)
    await make_enrolment(participant, internal)
    with_link = await other_client.get(url, headers=await bearer(participant))
    assert "meet.example/interno" in with_link.content.decode()
    as_trainer = await other_client.get(url, headers=await bearer(trainer))
    assert "meet.example/interno" in as_trainer.content.decode()

    stranger = await make_person(cooperative=await make_cooperative())
    assert (await other_client.get(url, headers=await bearer(stranger))).status_code == 404
    assert (await client.get("/calendar/sessions/999999.ics")).status_code == 404


async def test_other_feeds_revalidate_with_two_queries(client, count_queries, cooperative, coordinator):
    worker = await make_person(cooperative=cooperative)
    course, _, _ = await a_course_with_sessions(3)
    await make_enrolment(worker, course)
    for url in (await feed_url(coordinator, "cooperative"), f"/calendar/courses/{course.id}.ics",
                f"/calendar/paths/{course.path}.ics"):
        etag = (await client.get(url)).headers["etag"]
        with count_queries() as counter:
            assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
        assert counter.count == 2, url  # the token (or course, path) and the version


async def test_a_worker_reuses_a_fresh_version_for_a_few_seconds_but_never_a_revoked_token(
    client, count_queries, monkeypatch
):
    """With feed_version_ttl_seconds (60 outside tests) a worker reuses a version it just computed:
    a change shows at most that much later (the feed is served with max-age=300 anyway)."""
    from dataclasses import replace

    from training_hub.calendars import cache as feed_cache
    from training_hub.core import cache as core_cache
    from training_hub.core.settings import get_settings

    settings = replace(get_settings(), feed_version_ttl_seconds=60)
    monkeypatch.setattr(versions, "get_settings", lambda: settings)
    feed_cache.VERSIONS.clear()
    worker = await make_person()
    course, (session,), _ = await a_course_with_sessions(1)
    await make_enrolment(worker, course)
    url = await feed_url(worker)
    first = await client.get(url)
    etag = first.headers["etag"]
    with count_queries() as counter:
        assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
    assert counter.count == 1  # the token only
    # A write made by this worker (or announced by PostgreSQL from another instance, core/changes.py)
    # makes the memo stale at once.
    await Session.update({Session.sequence: 1, Session.updated_at: utcnow() + timedelta(seconds=1)}).where(
        Session.id == session.id)
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert events_by_uid(parse(changed))[session.uid].decoded("SEQUENCE") == 1
    etag = changed.headers["etag"]
    # A write this worker never hears of (another process on SQLite): the version it computed stands
    # within the minute, and a minute later the data is looked at again.
    generation = core_cache.data_generation()
    await Session.update({Session.sequence: 2, Session.updated_at: utcnow() + timedelta(seconds=2)}).where(
        Session.id == session.id)
    monkeypatch.setattr(core_cache, "_generation", generation)
    assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
    later = core_cache.time.monotonic() + 61
    monkeypatch.setattr(core_cache.time, "monotonic", lambda: later)
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert events_by_uid(parse(changed))[session.uid].decoded("SEQUENCE") == 2
    # A revoked token is refused at once, memo or not.
    await rotate_token(as_user(worker))
    assert (await client.get(url)).status_code == 404
    feed_cache.VERSIONS.clear()
