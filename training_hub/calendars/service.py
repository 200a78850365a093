"""Who sees which sessions in which feed, how a feed's version is known cheaply, and building it.

Feeds (routes in ``pages.py``):

* **personal** (``/calendar/<token>.ics``): sessions of the courses where the person's enrolment is
  *confirmed*, of the courses they teach (``CourseTrainer``) and the sessions assigned to them
  (``Session.trainer``). Pending and waiting-list enrolments are left out. Online links are shown (the
  person is a confirmed participant or a trainer of every course in it).
* **cooperative** (a coordinator's token): sessions of courses where any worker of the cooperative has
  a confirmed enrolment, with how many of them attend (not on inclusion paths) and never a name.
  No online links: the coordinator is not a participant.
* **course** and **path** (``/calendar/courses/<id>.ics``, ``/calendar/paths/<id>.ics``): published
  consortium courses only (paths with no owner cooperative); drafts and a cooperative's internal
  courses answer 404, they reach people only through personal feeds. No online links.
* **session** (``/calendar/sessions/<id>.ics``): one session as a download, for whoever may see its
  course: anyone for a published consortium course; otherwise its trainers, admins, the people enrolled
  and the members of the owner cooperative (its coordinators also for drafts). The online link only for
  confirmed participants, the course's trainers and admins.

Which sessions: scheduled ones (draft courses never appear in a subscription), and cancelled ones
(session or whole course cancelled) for 30 days after the cancellation, as ``STATUS:CANCELLED``, so
every client removes or strikes them out instead of keeping a ghost; after that they leave the feed.
Feeds keep a year of history. Both limits move once a day (at midnight in Rome), so a feed's content
only changes when data changes or at midnight: that is what makes the cheap version below exact.

Cost: a feed request costs the token lookup (personal and cooperative feeds) plus *one aggregate
query* (:func:`feed_version`) that yields the ETag and Last-Modified. A revalidation stops there (304).
Otherwise the body comes from the feed cache (keyed by the ETag) or is built with two queries whatever
the number of sessions (sessions joined with course, path, place and session trainer; then the course
trainers), with each VEVENT taken from the per-event cache (see ``cache.py``).

The version covers: the set of sessions (count, sum of ids and sequences), the latest ``updated_at``
of sessions, courses, paths and session trainers, the latest cancellation, the enrolments that decide
membership (personal and cooperative feeds), the day (the moving limits), the language and the token.
A change the aggregate cannot see (a location's address edited in the directory, which has no
``updated_at``) reaches clients at the latest the next day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from training_hub.calendars import cache, ical
from training_hub.calendars.ical import FeedSession
from training_hub.calendars.tokens import FeedOwner, current_token, feed_url, lookup_token
from training_hub.db import fetch_all, fetch_one
from training_hub.errors import NotFound
from training_hub.i18n import N_, gettext, language
from training_hub.settings import get_settings
from training_hub.tables import CourseStatus, EnrolmentStatus, FeedKind, PathKind, Role, SessionStatus
from training_hub.timeutil import rome_day_bounds, to_rome, utcnow
from training_hub.web.auth import CurrentUser

CANCELLED_VISIBLE_DAYS = 30
HISTORY_DAYS = 365
# Same wording as any unknown URL: a feed that does not exist, is not visible or whose token was
# revoked must not say which of these it is.
FEED_NOT_FOUND = N_("La pagina o la risorsa richiesta non esiste.")


@dataclass(frozen=True)
class Feed:
    """What a feed request resolved to: whose feed, what it may show, how it is named."""

    kind: str  # personal | cooperative | course | path | session
    subject_id: int  # the person, cooperative, course, path or session
    name: str
    filename: str
    show_online_link: bool
    language: str = "it"
    token_id: int | None = None
    download: bool = False  # Content-Disposition: attachment (one session) instead of inline


@dataclass(frozen=True)
class FeedVersion:
    etag: str  # quoted, strong
    last_modified: datetime  # UTC, whole seconds


@dataclass(frozen=True)
class Window:
    """The moving limits of a feed, fixed for a whole day (Europe/Rome)."""

    day: str
    day_start: datetime
    cancelled_since: datetime
    history_since: datetime


def window(now: datetime | None = None) -> Window:
    today = to_rome(now or utcnow()).date()
    return Window(
        day=today.isoformat(),
        day_start=rome_day_bounds(today)[0],
        cancelled_since=rome_day_bounds(today - timedelta(days=CANCELLED_VISIBLE_DAYS))[0],
        history_since=rome_day_bounds(today - timedelta(days=HISTORY_DAYS))[0],
    )


def _not_found() -> NotFound:
    return NotFound(FEED_NOT_FOUND)


def _instant(value: Any) -> datetime | None:
    """A timestamp from hand-written SQL: a datetime (PostgreSQL, plain columns on SQLite) or, for
    expressions on SQLite, the ISO text Piccolo stores."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Resolving a request ------------------------------------------------------------------------------


def _feed_for_owner(owner: FeedOwner) -> Feed:
    with language(owner.language):
        if owner.kind == FeedKind.COOPERATIVE:
            assert owner.cooperative_id is not None
            return Feed(
                kind=FeedKind.COOPERATIVE.value,
                subject_id=owner.cooperative_id,
                name=gettext(N_("Formazione · %(cooperative)s")) % {"cooperative": owner.cooperative_name or ""},
                filename=ical.feed_filename("cooperativa", owner.cooperative_id, owner.cooperative_name or ""),
                show_online_link=False,
                language=owner.language,
                token_id=owner.token_id,
            )
        return Feed(
            kind=FeedKind.PERSONAL.value,
            subject_id=owner.person_id,
            name=gettext(N_("La mia formazione · Training Hub")),
            filename=ical.feed_filename("calendario-personale"),
            show_online_link=True,
            language=owner.language,
            token_id=owner.token_id,
        )


async def token_feed(token: str) -> Feed:
    """The personal or cooperative feed behind a secret URL; NotFound for anything else (one query)."""
    owner = await lookup_token(token)
    if owner is None:
        raise _not_found()
    return _feed_for_owner(owner)


_PUBLIC_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, CourseStatus.CANCELLED.value)


async def course_feed(course_id: int, lang: str = "it") -> Feed:
    """A published consortium course's public feed; NotFound for drafts and internal courses."""
    row = await fetch_one(
        "SELECT c.id, c.title, c.status, tp.owner_cooperative FROM course c "
        "JOIN training_path tp ON tp.id = c.path WHERE c.id = {}",
        course_id,
    )
    if row is None or row["status"] not in _PUBLIC_STATUSES or row["owner_cooperative"] is not None:
        raise _not_found()
    with language(lang):
        name = gettext(N_("%(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="course", subject_id=course_id, name=name, filename=ical.feed_filename("corso", course_id, row["title"]),
                show_online_link=False, language=lang)


async def path_feed(path_id: int, lang: str = "it") -> Feed:
    """A consortium path's public feed (its published courses); NotFound for a cooperative's path."""
    row = await fetch_one("SELECT id, title, owner_cooperative FROM training_path WHERE id = {}", path_id)
    if row is None or row["owner_cooperative"] is not None:
        raise _not_found()
    with language(lang):
        name = gettext(N_("Percorso %(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="path", subject_id=path_id, name=name, filename=ical.feed_filename("percorso", path_id, row["title"]),
                show_online_link=False, language=lang)


async def session_download(user: CurrentUser | None, session_id: int, lang: str = "it") -> Feed:
    """One session as a file, for whoever may see its course (see the module docstring)."""
    row = await fetch_one(
        "SELECT s.id, s.trainer, c.id AS course_id, c.title, c.status, tp.owner_cooperative "
        "FROM course_session s JOIN course c ON c.id = s.course JOIN training_path tp ON tp.id = c.path "
        "WHERE s.id = {}",
        session_id,
    )
    if row is None:
        raise _not_found()
    listed = row["status"] != CourseStatus.DRAFT.value
    visible = listed and row["owner_cooperative"] is None
    show_link = False
    if user is not None:
        facts = await fetch_one(
            "SELECT (SELECT COUNT(*) FROM course_trainer WHERE course = {} AND person = {}) AS teaches, "
            "(SELECT MAX(status) FROM enrolment WHERE course = {} AND person = {} AND status IN ({}, {}, {})) "
            "AS enrolment_status",
            row["course_id"], user.id, row["course_id"], user.id,
            EnrolmentStatus.PENDING.value, EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value,
        )
        assert facts is not None
        teaches = bool(facts["teaches"]) or row["trainer"] == user.id
        member = row["owner_cooperative"] is not None and row["owner_cooperative"] == user.cooperative_id
        confirmed = facts["enrolment_status"] == EnrolmentStatus.CONFIRMED.value
        show_link = user.is_admin or teaches or confirmed
        visible = (
            visible
            or show_link
            or facts["enrolment_status"] is not None
            or (member and (listed or user.has_role(Role.COORDINATOR)))
        )
    if not visible:
        raise _not_found()
    return Feed(kind="session", subject_id=session_id, name=row["title"],
                filename=ical.feed_filename("lezione", session_id, row["title"]), show_online_link=show_link,
                language=lang, download=True)


# Which sessions -----------------------------------------------------------------------------------

_CONFIRMED = EnrolmentStatus.CONFIRMED.value
_CANCELLED = EnrolmentStatus.CANCELLED.value

# Enrolments that put a course in a feed: confirmed ones, and the ones that were confirmed when the
# whole course was cancelled (so the cancellation shows instead of the lessons silently vanishing).
_PERSON_COURSES = (
    "(s.course IN (SELECT e.course FROM enrolment e WHERE e.person = {} AND e.status = {}) "
    "OR (c.status = {} AND s.course IN (SELECT e.course FROM enrolment e WHERE e.person = {} "
    "AND e.status = {} AND e.confirmed_at IS NOT NULL)) "
    "OR s.course IN (SELECT ct.course FROM course_trainer ct WHERE ct.person = {}) "
    "OR s.trainer = {})"
)
_COOPERATIVE_COURSES = (
    "(s.course IN (SELECT e.course FROM enrolment e JOIN person w ON w.id = e.person "
    "WHERE w.cooperative = {} AND e.status = {}) "
    "OR (c.status = {} AND s.course IN (SELECT e.course FROM enrolment e JOIN person w ON w.id = e.person "
    "WHERE w.cooperative = {} AND e.status = {} AND e.confirmed_at IS NOT NULL)))"
)
# Cancelled (the session, or its whole course) and when: the 30 days run from that instant.
_IS_CANCELLED = f"(s.status = '{SessionStatus.CANCELLED.value}' OR c.status = '{CourseStatus.CANCELLED.value}')"
_CANCELLED_AT = (
    f"(CASE WHEN s.status = '{SessionStatus.CANCELLED.value}' THEN COALESCE(s.cancelled_at, s.updated_at) "
    "ELSE c.updated_at END)"
)


def _scope(feed: Feed, limits: Window) -> tuple[str, list[Any]]:
    """The WHERE clause choosing a feed's sessions, and its arguments."""
    if feed.kind == FeedKind.PERSONAL:
        person = feed.subject_id
        where, args = _PERSON_COURSES, [person, _CONFIRMED, CourseStatus.CANCELLED.value, person, _CANCELLED,
                                        person, person]
    elif feed.kind == FeedKind.COOPERATIVE:
        cooperative = feed.subject_id
        where, args = _COOPERATIVE_COURSES, [cooperative, _CONFIRMED, CourseStatus.CANCELLED.value, cooperative,
                                             _CANCELLED]
    elif feed.kind == "course":
        where, args = "s.course = {} AND tp.owner_cooperative IS NULL", [feed.subject_id]
    elif feed.kind == "path":
        where, args = "c.path = {} AND tp.owner_cooperative IS NULL", [feed.subject_id]
    elif feed.kind == "session":
        # A download shows the session whatever its state; visibility was decided by session_download.
        return "s.id = {}", [feed.subject_id]
    else:  # pragma: no cover
        raise ValueError(feed.kind)
    where += (
        f" AND c.status <> '{CourseStatus.DRAFT.value}' AND s.ends_at >= {{}}"
        f" AND (NOT {_IS_CANCELLED} OR {_CANCELLED_AT} >= {{}})"
    )
    return where, [*args, limits.history_since, limits.cancelled_since]


_FROM = (
    " FROM course_session s JOIN course c ON c.id = s.course JOIN training_path tp ON tp.id = c.path"
    " LEFT JOIN person t ON t.id = s.trainer"
)
# A session without place nor link takes the course's place.
_LOCATION_JOIN = (
    " LEFT JOIN location l ON l.id = CASE WHEN s.location IS NULL AND s.online_url IS NULL"
    " THEN c.location ELSE s.location END"
)


def _extra_version_sql(feed: Feed) -> tuple[str, list[Any]]:
    """Scalar subqueries adding the enrolments that decide a feed's membership to its version."""
    if feed.kind == FeedKind.PERSONAL:
        return ", (SELECT MAX(e.updated_at) FROM enrolment e WHERE e.person = {}) AS enrolments_updated", [
            feed.subject_id
        ]
    if feed.kind == FeedKind.COOPERATIVE:
        inner = " FROM enrolment e JOIN person w ON w.id = e.person WHERE w.cooperative = {}"
        return (
            f", (SELECT MAX(e.updated_at){inner}) AS enrolments_updated"
            f", (SELECT COUNT(*){inner} AND e.status = {{}}) AS confirmed_count"
            f", (SELECT SUM(e.id){inner} AND e.status = {{}}) AS confirmed_ids",
            [feed.subject_id, feed.subject_id, _CONFIRMED, feed.subject_id, _CONFIRMED],
        )
    return "", []


_TIMESTAMP_COLUMNS = ("sessions_updated", "sessions_cancelled", "courses_updated", "paths_updated",
                      "trainers_updated", "enrolments_updated")


async def feed_version(feed: Feed, *, now: datetime | None = None) -> FeedVersion:
    """ETag and Last-Modified of a feed from one aggregate query, without building anything."""
    now = now or utcnow()
    limits = window(now)
    where, args = _scope(feed, limits)
    extra, extra_args = _extra_version_sql(feed)
    sql = (
        "SELECT COUNT(*) AS n, SUM(s.id) AS ids, SUM(s.sequence) AS sequences,"
        " MAX(s.updated_at) AS sessions_updated, MAX(s.cancelled_at) AS sessions_cancelled,"
        " MAX(c.updated_at) AS courses_updated, MAX(tp.updated_at) AS paths_updated,"
        " MAX(t.updated_at) AS trainers_updated" + extra + _FROM + " WHERE " + where
    )
    row = await fetch_one(sql, *extra_args, *args) or {}
    settings = get_settings()
    fingerprint = repr((
        ical.FORMAT_VERSION, feed.kind, feed.subject_id, feed.token_id, feed.language, feed.show_online_link,
        feed.name, settings.base_url, limits.day, sorted((key, str(value)) for key, value in row.items()),
    ))
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:40] + '"'
    stamps = [stamp for key in _TIMESTAMP_COLUMNS if (stamp := _instant(row.get(key))) is not None]
    # Never earlier than today's midnight: the moving limits may have changed the feed then.
    last_modified = min(max([limits.day_start, *stamps]), now)
    return FeedVersion(etag=etag, last_modified=last_modified.replace(microsecond=0))


# Building -----------------------------------------------------------------------------------------


def _sessions_sql(feed: Feed, where: str) -> str:
    attendees = ", NULL AS cooperative_attendees"
    if feed.kind == FeedKind.COOPERATIVE:
        attendees = (
            ", (SELECT COUNT(*) FROM enrolment e2 JOIN person w2 ON w2.id = e2.person"
            f" WHERE e2.course = s.course AND e2.status = '{_CONFIRMED}' AND w2.cooperative = {{}})"
            " AS cooperative_attendees"
        )
    return (
        "SELECT s.id, s.uid, s.sequence, s.status, s.starts_at, s.ends_at, s.created_at, s.updated_at,"
        " s.topics, s.online_url, s.trainer, c.id AS course_id, c.title AS course_title,"
        " c.status AS course_status, tp.title AS path_title, tp.kind AS path_kind,"
        " l.name AS location_name, l.address AS location_address, l.comune AS location_comune,"
        " t.full_name AS trainer_name" + attendees + _FROM + _LOCATION_JOIN + " WHERE " + where
        + " ORDER BY s.starts_at, s.id"
    )


async def _course_trainers(course_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not course_ids:
        return {}
    ids = sorted(course_ids)
    rows = await fetch_all(
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
    limits = window(now)
    where, args = _scope(feed, limits)
    attendee_args = [feed.subject_id] if feed.kind == FeedKind.COOPERATIVE else []
    rows = await fetch_all(_sessions_sql(feed, where), *attendee_args, *args)
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
                starts_at=_instant(row["starts_at"]),  # type: ignore[arg-type]
                ends_at=_instant(row["ends_at"]),  # type: ignore[arg-type]
                created_at=_instant(row["created_at"]),  # type: ignore[arg-type]
                updated_at=_instant(row["updated_at"]),  # type: ignore[arg-type]
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


def render(feed: Feed, sessions: list[FeedSession]) -> bytes:
    """The feed's bytes from its sessions, each VEVENT from the event cache when possible."""
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
        description = gettext(N_("Le lezioni dei corsi del Consorzio Sociale Light, da Training Hub."))
        return ical.build_calendar(feed.name, events, description=description)


async def feed_body(feed: Feed, version: FeedVersion, *, now: datetime | None = None) -> bytes:
    """The feed's bytes for ``version``: from the feed cache, or built (two queries) and cached."""
    body = cache.FEEDS.get(version.etag)
    if body is None:
        body = render(feed, await feed_sessions(feed, now=now))
        cache.FEEDS.put(version.etag, body)
    return body


# The profile panel ---------------------------------------------------------------------------------


def subscribe_links(url: str, name: str) -> dict[str, str]:
    """The feed URL and the one-click ways to subscribe to it."""
    webcal = "webcal://" + url.split("://", 1)[1]
    encoded_url, encoded_name = quote(url, safe=""), quote(name, safe="")
    return {
        "url": url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded_url}&name={encoded_name}",
        "outlook365": f"https://outlook.office.com/calendar/0/addfromweb?url={encoded_url}&name={encoded_name}",
    }


async def _panel_links(user: CurrentUser, kind: str, name: str) -> dict[str, Any]:
    token, created_at = await current_token(user, kind)
    return {**subscribe_links(feed_url(token), name), "kind": kind, "created_at": created_at}


async def calendar_panel_context(user: CurrentUser) -> dict[str, Any]:
    """What ``templates/calendars/_profile_panel.html`` needs (as ``calendar``): the person's feed links
    (the token is created on first use) and, for coordinators, their cooperative feed's."""
    context: dict[str, Any] = {
        "personal": await _panel_links(user, FeedKind.PERSONAL.value, gettext(N_("La mia formazione · Training Hub"))),
        "cooperative": None,
    }
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        context["cooperative"] = await _panel_links(
            user, FeedKind.COOPERATIVE.value, gettext(N_("Formazione della cooperativa · Training Hub"))
        )
    return context
