"""What a feed contains, and building its bytes.

Rules kept here, and why (see :mod:`.feeds` for who sees which feed):

* Every feed starts from a ``scope``, the courses it draws from: a personal feed's are the courses
  of the person's confirmed enrolments, those confirmed when the whole course was cancelled (so the
  cancellation shows instead of the lessons silently vanishing) and the courses they teach, plus the
  sessions assigned to them; a cooperative's, the courses where any of its workers is confirmed;
  public feeds, consortium courses only.
* What a subscription shows: no drafts, a year of history, cancelled sessions (the session or its
  whole course) for 30 days after the cancellation, as ``STATUS:CANCELLED``.
* A cooperative feed shows how many of its workers attend a session, never a name — and not even the
  count on an inclusion path, where a count could point at a person.
* Building costs two queries whatever the number of sessions (the sessions joined with course, path,
  place and session trainer; then the course trainers), each VEVENT taken from the per-event cache
  and the whole body from the feed cache keyed by the ETag (see ``cache.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.calendars import cache, ical
from training_hub.calendars.feeds import Feed, FeedVersion, Window, fetch_rows, instant_of, window
from training_hub.calendars.ical import FeedSession
from training_hub.core.events import personal_feed_events
from training_hub.core.i18n import N_, gettext, language
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, EnrolmentStatus, FeedKind, PathKind, SessionStatus
from training_hub.core.timeutil import utcnow

# Every feed starts from a ``scope``: the courses it draws from (a CTE). Queries join it to the
# sessions, which both SQLite and PostgreSQL plan as index lookups per course whatever the size of the
# tables. A personal feed adds the sessions assigned to the person (``Session.trainer``) by a second
# branch. Statements are wrapped in ``SELECT * FROM (…) v``: the SQLite engine runs a statement that
# starts with SELECT on its in-loop reader (see db.PooledSQLiteEngine), about 100 µs cheaper.

CONFIRMED = EnrolmentStatus.CONFIRMED.value
_CANCELLED = EnrolmentStatus.CANCELLED.value
COURSE_CANCELLED = CourseStatus.CANCELLED.value


def person_scope(person: str) -> str:
    """The courses of a personal feed; ``person`` is an SQL expression (``{}`` or a subquery).

    Confirmed enrolments; enrolments that were confirmed when the whole course was cancelled (so the
    cancellation shows instead of the lessons silently vanishing); the courses the person teaches.
    """
    return (
        "scope AS ("
        f"SELECT e.course FROM enrolment e WHERE e.person = {person} AND e.status = '{CONFIRMED}'"
        " UNION SELECT e.course FROM enrolment e JOIN course c2 ON c2.id = e.course"
        f" WHERE e.person = {person} AND e.status = '{_CANCELLED}' AND e.confirmed_at IS NOT NULL"
        f" AND c2.status = '{COURSE_CANCELLED}'"
        f" UNION SELECT ct.course FROM course_trainer ct WHERE ct.person = {person})"
    )


SCOPES = {
    FeedKind.PERSONAL.value: person_scope("{}"),
    FeedKind.COOPERATIVE.value: (
        "scope AS (SELECT DISTINCT e.course FROM enrolment e JOIN person w ON w.id = e.person"
        f" JOIN course c2 ON c2.id = e.course WHERE w.cooperative = {{}} AND (e.status = '{CONFIRMED}'"
        f" OR (e.status = '{_CANCELLED}' AND e.confirmed_at IS NOT NULL AND c2.status = '{COURSE_CANCELLED}')))"
    ),
    # Public feeds: consortium courses open to everyone only (the resolvers check it too): never one
    # restricted to some cooperatives.
    "course": (
        "scope AS (SELECT c2.id AS course FROM course c2 JOIN training_path tp2 ON tp2.id = c2.path"
        " WHERE c2.id = {} AND tp2.owner_cooperative IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM course_eligible_cooperative ec2 WHERE ec2.course = c2.id))"
    ),
    "path": (
        "scope AS (SELECT c2.id AS course FROM course c2 JOIN training_path tp2 ON tp2.id = c2.path"
        " WHERE c2.path = {} AND tp2.owner_cooperative IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM course_eligible_cooperative ec2 WHERE ec2.course = c2.id))"
    ),
    "session": "scope AS (SELECT s2.course FROM course_session s2 WHERE s2.id = {})",
}


def scope_args(feed: Feed) -> list[Any]:
    return [feed.subject_id] * (3 if feed.kind == FeedKind.PERSONAL else 1)


# Cancelled (the session, or its whole course) and when: the 30 days run from that instant.
_IS_CANCELLED = f"(s.status = '{SessionStatus.CANCELLED.value}' OR c.status = '{COURSE_CANCELLED}')"
_CANCELLED_AT = (
    f"(CASE WHEN s.status = '{SessionStatus.CANCELLED.value}' THEN COALESCE(s.cancelled_at, s.updated_at) "
    "ELSE c.updated_at END)"
)
# What a subscription shows: no drafts, a year of history, cancelled sessions for 30 days.
_WINDOW = (
    f"c.status <> '{CourseStatus.DRAFT.value}' AND s.ends_at >= {{}}"
    f" AND (NOT {_IS_CANCELLED} OR {_CANCELLED_AT} >= {{}})"
)
_COLUMNS = (
    "s.id, s.uid, s.sequence, s.status, s.starts_at, s.ends_at, s.created_at, s.updated_at,"
    " s.topics, s.online_url, s.trainer, c.id AS course_id, c.title AS course_title,"
    " c.status AS course_status, tp.title AS path_title, tp.kind AS path_kind,"
    " l.name AS location_name, l.address AS location_address, l.comune AS location_comune,"
    " t.full_name AS trainer_name"
)
_JOINS = (
    " JOIN course c ON c.id = s.course JOIN training_path tp ON tp.id = c.path"
    " LEFT JOIN person t ON t.id = s.trainer"
    # A session without place nor link takes the course's place.
    " LEFT JOIN location l ON l.id = CASE WHEN s.location IS NULL AND s.online_url IS NULL"
    " THEN c.location ELSE s.location END"
)
_ATTENDEES = (
    ", (SELECT COUNT(*) FROM enrolment e3 JOIN person w3 ON w3.id = e3.person"
    f" WHERE e3.course = s.course AND e3.status = '{CONFIRMED}' AND w3.cooperative = {{}})"
    " AS cooperative_attendees"
)


def _sessions_query(feed: Feed, limits: Window) -> tuple[str, list[Any]]:
    """The feed's sessions with everything a VEVENT shows, and the arguments: one statement."""
    cooperative = feed.kind == FeedKind.COOPERATIVE
    columns = _COLUMNS + (_ATTENDEES if cooperative else ", NULL AS cooperative_attendees")
    column_args = [feed.subject_id] if cooperative else []
    window_args = [limits.history_since, limits.cancelled_since]
    if feed.kind == "session":
        # A download shows the session whatever its state; visibility was decided by session_download.
        sql = f"SELECT {columns} FROM course_session s{_JOINS} WHERE s.id = {{}}"
        return sql, [feed.subject_id]
    sql = (
        f"SELECT * FROM (WITH {SCOPES[feed.kind]}"
        f" SELECT {columns} FROM scope JOIN course_session s ON s.course = scope.course{_JOINS} WHERE {_WINDOW}"
    )
    args = [*scope_args(feed), *column_args, *window_args]
    if feed.kind == FeedKind.PERSONAL:
        sql += f" UNION SELECT {columns} FROM course_session s{_JOINS} WHERE s.trainer = {{}} AND {_WINDOW}"
        args += [feed.subject_id, *window_args]
    return sql + ") v ORDER BY v.starts_at, v.id", args

# Building -----------------------------------------------------------------------------------------


async def _course_trainers(course_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not course_ids:
        return {}
    ids = sorted(course_ids)
    rows = await fetch_rows(
        "SELECT ct.course, p.full_name FROM course_trainer ct JOIN person p ON p.id = ct.person"
        f" WHERE ct.course IN ({', '.join('{}' for _ in ids)}) ORDER BY ct.course, p.full_name",
        *ids,
    )
    names: dict[int, list[str]] = {}
    for row in rows:
        names.setdefault(row["course"], []).append(row["full_name"])
    return {course: tuple(people) for course, people in names.items()}


async def feed_sessions(feed: Feed, *, now: datetime | None = None) -> list[FeedSession]:
    """The feed's sessions as plain data: two queries, whatever their number."""
    sql, args = _sessions_query(feed, window(now))
    rows = await fetch_rows(sql, *args)
    without_trainer = {row["course_id"] for row in rows if row["trainer_name"] is None}
    course_trainers = await _course_trainers(without_trainer)
    sessions = []
    for row in rows:
        attendees = row["cooperative_attendees"]
        if row["path_kind"] == PathKind.INCLUSION.value:
            attendees = None  # on an inclusion path even a count could point at a person
        sessions.append(
            FeedSession(
                id=row["id"],
                uid=row["uid"],
                sequence=row["sequence"],
                cancelled=row["status"] == SessionStatus.CANCELLED.value
                or row["course_status"] == CourseStatus.CANCELLED.value,
                starts_at=instant_of(row["starts_at"]),  # type: ignore[arg-type]
                ends_at=instant_of(row["ends_at"]),  # type: ignore[arg-type]
                created_at=instant_of(row["created_at"]),  # type: ignore[arg-type]
                updated_at=instant_of(row["updated_at"]),  # type: ignore[arg-type]
                course_id=row["course_id"],
                course_title=row["course_title"],
                path_title=row["path_title"],
                path_kind=row["path_kind"],
                topics=row["topics"] or "",
                trainer_names=(row["trainer_name"],) if row["trainer_name"] else course_trainers.get(row["course_id"], ()),
                location_name=row["location_name"],
                location_address=row["location_address"],
                location_comune=row["location_comune"],
                online_url=row["online_url"] or None,
                cooperative_attendees=int(attendees) if attendees is not None else None,
            )
        )
    return sessions


def render(feed: Feed, sessions: list[FeedSession], all_day: list[ical.AllDayEvent] | None = None) -> bytes:
    """The feed's bytes from its sessions, each VEVENT from the event cache when possible, and the
    all-day events of the features above (personal feeds)."""
    base_url = get_settings().base_url
    events = []
    with language(feed.language):
        for session in sessions:
            key = (session, feed.show_online_link, feed.language, base_url, ical.FORMAT_VERSION)
            event = cache.EVENTS.get(key)
            if event is None:
                event = ical.build_vevent(session, show_online_link=feed.show_online_link, base_url=base_url)
                cache.EVENTS.put(key, event)
            events.append(event)
        events += [ical.build_all_day_vevent(item) for item in all_day or ()]
        description = gettext(N_("Le lezioni dei corsi del Consorzio Sociale Light, da Training Hub."))
        return ical.build_calendar(feed.name, events, description=description)


async def feed_body(feed: Feed, version: FeedVersion, *, now: datetime | None = None) -> bytes:
    """The feed's bytes for ``version``: from the feed cache, or built (two queries) and cached."""
    body = cache.FEEDS.get(version.etag)
    if body is None:
        all_day = await all_day_events(feed, now=now) if version.extras else []
        body = render(feed, await feed_sessions(feed, now=now), all_day)
        cache.FEEDS.put(version.etag, body)
    return body


async def all_day_events(feed: Feed, *, now: datetime | None = None) -> list[ical.AllDayEvent]:
    """A personal feed's all-day events from the features above (``core/events.py``), in its language."""
    if feed.kind != FeedKind.PERSONAL.value:
        return []
    with language(feed.language):
        answers = await personal_feed_events.send(person_id=feed.subject_id, now=now or utcnow())
    return sorted((item for answer in answers for item in answer), key=lambda item: (item.day, item.uid))

