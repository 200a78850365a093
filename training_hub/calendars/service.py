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

Cost (calendar apps poll all day): a personal feed's poll is *one statement*, the token lookup and
the feed's version (ETag, Last-Modified) together (:func:`token_feed_version`); other feeds cost a
small lookup plus the version (:func:`feed_version`). A revalidation stops there with a 304, before
anything is built. Otherwise the body comes from the feed cache (keyed by the ETag), or is built with
two queries whatever the number of sessions (sessions joined with course, path, place and session
trainer; then the course trainers) and each VEVENT taken from the per-event cache (see ``cache.py``).

The version aggregates, over a superset of the feed (every session of every course in its scope,
whatever the window): the sessions' count, sequences and latest ``updated_at``; the courses' ids,
statuses and ``updated_at``, their paths' and trainers' ``updated_at``; the sessions assigned to the
person; the latest change to the enrolments deciding membership (a withdrawal removes sessions
without touching them); plus the day (the moving limits), the language and the token. It relies on
the services setting ``updated_at`` when they change a row (the sequence is counted too), and the
latest edit of any location (an address edited by the training office changes every feed once).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from piccolo.querystring import QueryString

from training_hub.calendars import cache, ical
from training_hub.calendars.ical import FeedSession
from training_hub.calendars.tokens import (
    TOKEN_LOOKUP_SQL,
    TOKEN_PATTERN,
    FeedOwner,
    current_token,
    feed_url,
    lookup_token,
    owner_from_row,
)
from training_hub.core.db import get_engine
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_, gettext, language
from training_hub.core.identity import CurrentUser
from training_hub.core.security import hash_secret
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, EnrolmentStatus, FeedKind, PathKind, Role, SessionStatus
from training_hub.core.timeutil import rome_day_bounds, to_rome, utcnow

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
    return _window_for_day(to_rome(now or utcnow()).date())


@lru_cache(maxsize=4)
def _window_for_day(today: date) -> Window:
    return Window(
        day=today.isoformat(),
        day_start=rome_day_bounds(today)[0],
        cancelled_since=rome_day_bounds(today - timedelta(days=CANCELLED_VISIBLE_DAYS))[0],
        history_since=rome_day_bounds(today - timedelta(days=HISTORY_DAYS))[0],
    )


@lru_cache(maxsize=1)
def _engine() -> Any:
    return get_engine()


async def _fetch_all(sql: str, *args: Any) -> list[dict[str, Any]]:
    """``db.fetch_all`` without looking the engine up on every call (a feed poll is a hot path)."""
    return await _engine().run_querystring(QueryString(sql, *args))


async def _fetch_one(sql: str, *args: Any) -> dict[str, Any] | None:
    rows = await _fetch_all(sql, *args)
    return rows[0] if rows else None


def feed_not_found() -> NotFound:
    """The one 404 of every feed that does not exist, is not visible or whose token was revoked."""
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


@lru_cache(maxsize=1024)
def _feed_for_owner(owner: FeedOwner) -> Feed:
    """The feed a token gives (cached: it depends only on the owner's plain values)."""
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
        raise feed_not_found()
    return _feed_for_owner(owner)


_PUBLIC_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, CourseStatus.CANCELLED.value)


async def course_feed(course_id: int, lang: str = "it") -> Feed:
    """A published consortium course's public feed; NotFound for drafts and internal courses."""
    row = await _fetch_one(
        "SELECT c.id, c.title, c.status, tp.owner_cooperative FROM course c "
        "JOIN training_path tp ON tp.id = c.path WHERE c.id = {}",
        course_id,
    )
    if row is None or row["status"] not in _PUBLIC_STATUSES or row["owner_cooperative"] is not None:
        raise feed_not_found()
    with language(lang):
        name = gettext(N_("%(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="course", subject_id=course_id, name=name, filename=ical.feed_filename("corso", course_id, row["title"]),
                show_online_link=False, language=lang)


async def path_feed(path_id: int, lang: str = "it") -> Feed:
    """A consortium path's public feed (its published courses); NotFound for a cooperative's path."""
    row = await _fetch_one("SELECT id, title, owner_cooperative FROM training_path WHERE id = {}", path_id)
    if row is None or row["owner_cooperative"] is not None:
        raise feed_not_found()
    with language(lang):
        name = gettext(N_("Percorso %(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="path", subject_id=path_id, name=name, filename=ical.feed_filename("percorso", path_id, row["title"]),
                show_online_link=False, language=lang)


async def session_download(user: CurrentUser | None, session_id: int, lang: str = "it") -> Feed:
    """One session as a file, for whoever may see its course (see the module docstring)."""
    row = await _fetch_one(
        "SELECT s.id, s.trainer, c.id AS course_id, c.title, c.status, tp.owner_cooperative "
        "FROM course_session s JOIN course c ON c.id = s.course JOIN training_path tp ON tp.id = c.path "
        "WHERE s.id = {}",
        session_id,
    )
    if row is None:
        raise feed_not_found()
    listed = row["status"] != CourseStatus.DRAFT.value
    visible = listed and row["owner_cooperative"] is None
    show_link = False
    if user is not None:
        facts = await _fetch_one(
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
        raise feed_not_found()
    return Feed(kind="session", subject_id=session_id, name=row["title"],
                filename=ical.feed_filename("lezione", session_id, row["title"]), show_online_link=show_link,
                language=lang, download=True)


# Which sessions -----------------------------------------------------------------------------------
#
# Every feed starts from a ``scope``: the courses it draws from (a CTE). Queries join it to the
# sessions, which both SQLite and PostgreSQL plan as index lookups per course whatever the size of the
# tables. A personal feed adds the sessions assigned to the person (``Session.trainer``) by a second
# branch. Statements are wrapped in ``SELECT * FROM (…) v``: the SQLite engine runs a statement that
# starts with SELECT on its in-loop reader (see db.PooledSQLiteEngine), about 100 µs cheaper.

_CONFIRMED = EnrolmentStatus.CONFIRMED.value
_CANCELLED = EnrolmentStatus.CANCELLED.value
_COURSE_CANCELLED = CourseStatus.CANCELLED.value


def _person_scope(person: str) -> str:
    """The courses of a personal feed; ``person`` is an SQL expression (``{}`` or a subquery).

    Confirmed enrolments; enrolments that were confirmed when the whole course was cancelled (so the
    cancellation shows instead of the lessons silently vanishing); the courses the person teaches.
    """
    return (
        "scope AS ("
        f"SELECT e.course FROM enrolment e WHERE e.person = {person} AND e.status = '{_CONFIRMED}'"
        " UNION SELECT e.course FROM enrolment e JOIN course c2 ON c2.id = e.course"
        f" WHERE e.person = {person} AND e.status = '{_CANCELLED}' AND e.confirmed_at IS NOT NULL"
        f" AND c2.status = '{_COURSE_CANCELLED}'"
        f" UNION SELECT ct.course FROM course_trainer ct WHERE ct.person = {person})"
    )


_SCOPES = {
    FeedKind.PERSONAL.value: _person_scope("{}"),
    FeedKind.COOPERATIVE.value: (
        "scope AS (SELECT DISTINCT e.course FROM enrolment e JOIN person w ON w.id = e.person"
        f" JOIN course c2 ON c2.id = e.course WHERE w.cooperative = {{}} AND (e.status = '{_CONFIRMED}'"
        f" OR (e.status = '{_CANCELLED}' AND e.confirmed_at IS NOT NULL AND c2.status = '{_COURSE_CANCELLED}')))"
    ),
    # Public feeds: consortium courses only (the resolvers check it too).
    "course": (
        "scope AS (SELECT c2.id AS course FROM course c2 JOIN training_path tp2 ON tp2.id = c2.path"
        " WHERE c2.id = {} AND tp2.owner_cooperative IS NULL)"
    ),
    "path": (
        "scope AS (SELECT c2.id AS course FROM course c2 JOIN training_path tp2 ON tp2.id = c2.path"
        " WHERE c2.path = {} AND tp2.owner_cooperative IS NULL)"
    ),
    "session": "scope AS (SELECT s2.course FROM course_session s2 WHERE s2.id = {})",
}


def _scope_args(feed: Feed) -> list[Any]:
    return [feed.subject_id] * (3 if feed.kind == FeedKind.PERSONAL else 1)


# Cancelled (the session, or its whole course) and when: the 30 days run from that instant.
_IS_CANCELLED = f"(s.status = '{SessionStatus.CANCELLED.value}' OR c.status = '{_COURSE_CANCELLED}')"
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
    f" WHERE e3.course = s.course AND e3.status = '{_CONFIRMED}' AND w3.cooperative = {{}})"
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
        f"SELECT * FROM (WITH {_SCOPES[feed.kind]}"
        f" SELECT {columns} FROM scope JOIN course_session s ON s.course = scope.course{_JOINS} WHERE {_WINDOW}"
    )
    args = [*_scope_args(feed), *column_args, *window_args]
    if feed.kind == FeedKind.PERSONAL:
        sql += f" UNION SELECT {columns} FROM course_session s{_JOINS} WHERE s.trainer = {{}} AND {_WINDOW}"
        args += [feed.subject_id, *window_args]
    return sql + ") v ORDER BY v.starts_at, v.id", args


# The version: ETag and Last-Modified from one aggregate query ------------------------------------------
#
# The aggregate runs over a *superset* of what the feed shows: every session of every course in the
# scope, whatever the window (the window only moves at midnight, and the day is part of the ETag). Per
# session it reads only the index ``course_session_feed_version`` (count, latest ``updated_at``, sum of
# sequences); per course its status, ``updated_at``, path and trainers.

_AGGREGATES = (
    " (SELECT COUNT(*) AS sessions, SUM(s.sequence) AS sequences, MAX(s.updated_at) AS sessions_updated"
    " FROM scope JOIN course_session s ON s.course = scope.course) a,"
    # One row per course and trainer: the sums are fingerprints, not counts.
    " (SELECT COUNT(*) AS courses, SUM(c.id) AS course_ids, MAX(c.updated_at) AS courses_updated,"
    " MAX(tp.updated_at) AS paths_updated,"
    f" SUM(CASE WHEN c.status = '{CourseStatus.DRAFT.value}' THEN c.id ELSE 0 END) AS draft_ids,"
    f" SUM(CASE WHEN c.status = '{_COURSE_CANCELLED}' THEN c.id ELSE 0 END) AS cancelled_ids,"
    " SUM(ct.id) AS trainer_ids, MAX(p.updated_at) AS trainers_updated"
    " FROM scope JOIN course c ON c.id = scope.course JOIN training_path tp ON tp.id = c.path"
    " LEFT JOIN course_trainer ct ON ct.course = c.id LEFT JOIN person p ON p.id = ct.person) b,"
    # Places are few and rarely edited: the latest edit of any of them, whatever the feed.
    " (SELECT MAX(updated_at) AS locations_updated FROM location) l"
)


def _person_extra(person: str) -> str:
    """A personal feed's sessions assigned to the person, and the latest change to their enrolments (a
    withdrawal removes sessions without touching them)."""
    return (
        ", (SELECT COUNT(*) AS assigned, SUM(s.sequence) AS assigned_sequences, MAX(s.updated_at) AS assigned_updated,"
        " SUM(c.id) AS assigned_course_ids, MAX(c.updated_at) AS assigned_courses_updated"
        f" FROM course_session s JOIN course c ON c.id = s.course WHERE s.trainer = {person}) a2,"
        f" (SELECT MAX(e.updated_at) AS enrolments_updated FROM enrolment e WHERE e.person = {person}) x"
    )


# A cooperative's enrolments: their latest change and the confirmed ones (the counts shown).
_COOPERATIVE_EXTRA = (
    ", (SELECT MAX(e.updated_at) AS enrolments_updated,"
    f" SUM(CASE WHEN e.status = '{_CONFIRMED}' THEN e.id ELSE 0 END) AS confirmed_ids"
    " FROM enrolment e JOIN person w ON w.id = e.person WHERE w.cooperative = {}) x"
)
_VERSION_SQL = {
    kind: f"SELECT * FROM (WITH {scope} SELECT * FROM{_AGGREGATES}"
    + {FeedKind.PERSONAL.value: _person_extra("{}"), FeedKind.COOPERATIVE.value: _COOPERATIVE_EXTRA}.get(kind, "")
    + ") v"
    for kind, scope in _SCOPES.items()
}
# A personal feed's token and version in one statement: what a calendar app's poll costs. (For a
# cooperative token the personal aggregates are computed for its owner and ignored.)
_TOKEN_PERSON = "(SELECT person FROM tok)"
_TOKEN_AND_VERSION_SQL = (
    f"SELECT * FROM (WITH tok AS ({TOKEN_LOOKUP_SQL}), {_person_scope(_TOKEN_PERSON)}"
    f" SELECT * FROM tok,{_AGGREGATES}{_person_extra(_TOKEN_PERSON)}) v"
)
# The token alone (SELECT first: the SQLite engine's in-loop fast path).
_TOKEN_SQL = f"SELECT * FROM ({TOKEN_LOOKUP_SQL}) v"
_TIMESTAMP_COLUMNS = ("sessions_updated", "courses_updated", "paths_updated", "trainers_updated", "locations_updated",
                      "assigned_updated", "assigned_courses_updated", "enrolments_updated")


@lru_cache(maxsize=1024)
def _feed_fingerprint(feed: Feed) -> str:
    return repr((ical.FORMAT_VERSION, feed, get_settings().base_url))


def _version(feed: Feed, row: Any, now: datetime) -> FeedVersion:
    """ETag and Last-Modified from the aggregate row (a dict, or an asyncpg record)."""
    limits = window(now)
    fingerprint = "|".join((_feed_fingerprint(feed), limits.day, *map(str, row.values())))
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:40] + '"'
    last_modified = limits.day_start  # the moving limits may have changed the feed at midnight
    for key in _TIMESTAMP_COLUMNS:
        stamp = _instant(row.get(key))
        if stamp is not None and stamp > last_modified:
            last_modified = stamp
    return FeedVersion(etag=etag, last_modified=min(last_modified, now).replace(microsecond=0))


async def feed_version(feed: Feed, *, now: datetime | None = None) -> FeedVersion:
    """ETag and Last-Modified of a feed from one aggregate query, without building anything.

    Reused for ``feed_version_ttl_seconds`` by this worker (see ``cache.VersionMemo``).
    """
    if now is None and (memo := cache.VERSIONS.get(feed)) is not None:
        return memo
    args = _scope_args(feed)
    if feed.kind == FeedKind.PERSONAL:
        args += [feed.subject_id] * 2
    elif feed.kind == FeedKind.COOPERATIVE:
        args += [feed.subject_id]
    row = await _fetch_one(_VERSION_SQL[feed.kind], *args)
    version = _version(feed, row if row is not None else {}, now or utcnow())
    if now is None:
        cache.VERSIONS.put(feed, version, get_settings().feed_version_ttl_seconds)
    return version


async def token_feed_version(token: str, *, now: datetime | None = None) -> tuple[Feed, FeedVersion]:
    """The feed behind a secret URL and its version; NotFound for an unknown or revoked token.

    A personal feed's poll is one statement: the token lookup and the aggregate together, or, when
    this worker computed the version a few seconds ago, the token lookup alone (the token is always
    looked up: a revoked link answers 404 at once). A cooperative feed costs one statement more.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        raise feed_not_found()
    token_hash = hash_secret(token)
    if now is None and (memo := cache.VERSIONS.get(token_hash)) is not None:
        row = await _fetch_one(_TOKEN_SQL, token_hash)
        owner = owner_from_row(row) if row is not None else None
        if owner is None:
            raise feed_not_found()
        feed = _feed_for_owner(owner)
        if feed == memo[0]:
            return memo
    row = await _fetch_one(_TOKEN_AND_VERSION_SQL, token_hash)
    owner = owner_from_row(row) if row is not None else None
    if owner is None:
        raise feed_not_found()
    feed = _feed_for_owner(owner)
    if feed.kind == FeedKind.PERSONAL:
        version = _version(feed, row, now or utcnow())
    else:
        version = await feed_version(feed, now=now)
    if now is None:
        cache.VERSIONS.put(token_hash, (feed, version), get_settings().feed_version_ttl_seconds)
    return feed, version


# Building -----------------------------------------------------------------------------------------


async def _course_trainers(course_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not course_ids:
        return {}
    ids = sorted(course_ids)
    rows = await _fetch_all(
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
    rows = await _fetch_all(sql, *args)
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
