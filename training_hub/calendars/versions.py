"""A feed's version (ETag and Last-Modified), known cheaply: calendar apps poll all day.

Rules kept here, and why:

* A personal feed's poll is *one statement*: the token lookup and the feed's version together
  (:func:`token_feed_version`); other feeds cost a small lookup plus the version
  (:func:`feed_version`). A revalidation stops there with a 304, before anything is built.
* The version aggregates, over a superset of the feed (every session of every course in its scope,
  whatever the window): the sessions' count, sequences and latest ``updated_at``; the courses' ids,
  statuses and ``updated_at``, their paths' and trainers' ``updated_at``; the sessions assigned to the
  person; the latest change to the enrolments deciding membership (a withdrawal removes sessions
  without touching them); plus the day (the moving limits), the language and the token. It relies on
  the services setting ``updated_at`` when they change a row (the sequence is counted too), and the
  latest edit of any location (an address edited by the training office changes every feed once).
* A personal feed may also carry all-day events of features above the calendars (safety's due dates,
  ``core/events.py``): their FROM items join the same statement, so their inputs are in the ETag and a
  poll stays one statement; the body asks for the events only when the version says there are some.
* A worker reuses a version it computed for ``feed_version_ttl_seconds``; the token is always looked
  up again, so a revoked link answers 404 at once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from typing import Any

from training_hub.calendars import cache, ical
from training_hub.calendars.contents import CONFIRMED, COURSE_CANCELLED, SCOPES, person_scope, scope_args
from training_hub.calendars.feeds import (
    Feed,
    FeedVersion,
    feed_for_owner,
    feed_not_found,
    fetch_row,
    instant_of,
    window,
)
from training_hub.calendars.tokens import TOKEN_LOOKUP_SQL, TOKEN_PATTERN, owner_from_row, token_lookup_hash
from training_hub.core.events import personal_feed_version_sql
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, FeedKind
from training_hub.core.timeutil import utcnow

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
    f" SUM(CASE WHEN c.status = '{COURSE_CANCELLED}' THEN c.id ELSE 0 END) AS cancelled_ids,"
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
    f" SUM(CASE WHEN e.status = '{CONFIRMED}' THEN e.id ELSE 0 END) AS confirmed_ids"
    " FROM enrolment e JOIN person w ON w.id = e.person WHERE w.cooperative = {}) x"
)
_VERSION_SQL = {
    kind: f"SELECT * FROM (WITH {scope} SELECT * FROM{_AGGREGATES}"
    + {FeedKind.PERSONAL.value: _person_extra("{}"), FeedKind.COOPERATIVE.value: _COOPERATIVE_EXTRA}.get(kind, "")
    + ") v"
    for kind, scope in SCOPES.items()
}
# A personal feed's token and version in one statement: what a calendar app's poll costs. (For a
# cooperative token the personal aggregates are computed for its owner and ignored.)
_TOKEN_PERSON = "(SELECT person FROM tok)"
_TOKEN_AND_VERSION_SQL = (
    f"SELECT * FROM (WITH tok AS ({TOKEN_LOOKUP_SQL}), {person_scope(_TOKEN_PERSON)}"
    f" SELECT * FROM tok,{_AGGREGATES}{_person_extra(_TOKEN_PERSON)}"
)

# The personal feed's extra all-day events (core/events.py personal_feed_version_sql): the features
# that add them give FROM items over "{person}", joined into the same statement.
_EXTRA_FRAGMENTS: dict[tuple[Any, ...], tuple[str, ...]] = {}


async def extra_version_fragments() -> tuple[str, ...]:
    """The FROM items of the features adding events to personal feeds (asked once per set of receivers)."""
    receivers = personal_feed_version_sql.receivers
    fragments = _EXTRA_FRAGMENTS.get(receivers)
    if fragments is None:
        fragments = tuple(item for answer in await personal_feed_version_sql.send() for item in answer)
        _EXTRA_FRAGMENTS[receivers] = fragments
    return fragments


def _extra_sql(fragments: tuple[str, ...], person: str) -> str:
    return "".join(", " + fragment.replace("{person}", person) for fragment in fragments)


@lru_cache(maxsize=8)
def token_and_version_sql(fragments: tuple[str, ...]) -> str:
    return _TOKEN_AND_VERSION_SQL + _extra_sql(fragments, _TOKEN_PERSON) + ") v"


@lru_cache(maxsize=8)
def personal_version_sql(fragments: tuple[str, ...]) -> tuple[str, int]:
    """The personal version (not from a token) and how many times the person's id is an argument."""
    base = _VERSION_SQL[FeedKind.PERSONAL.value].removesuffix(") v")
    return base + _extra_sql(fragments, "{}") + ") v", sum(fragment.count("{person}") for fragment in fragments)
# The token alone (SELECT first: the SQLite engine's in-loop fast path).
_TOKEN_SQL = f"SELECT * FROM ({TOKEN_LOOKUP_SQL}) v"
# Every column named "*_updated" is an instant that counts for Last-Modified (those above, and the extra
# events' own); a non-zero "*_events" column says the feed has extra events to build.


@lru_cache(maxsize=1024)
def _feed_fingerprint(feed: Feed) -> str:
    return repr((ical.FORMAT_VERSION, feed, get_settings().base_url))


def _version(feed: Feed, row: Any, now: datetime) -> FeedVersion:
    """ETag and Last-Modified from the aggregate row (a dict, or an asyncpg record)."""
    limits = window(now)
    fingerprint = "|".join((_feed_fingerprint(feed), limits.day, *map(str, row.values())))
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:40] + '"'
    last_modified = limits.day_start  # the moving limits may have changed the feed at midnight
    extras = False
    for key, value in row.items():
        if key.endswith("_updated"):
            stamp = instant_of(value)
            if stamp is not None and stamp > last_modified:
                last_modified = stamp
        elif key.endswith("_events") and value:
            extras = True
    return FeedVersion(etag=etag, last_modified=min(last_modified, now).replace(microsecond=0), extras=extras)


async def feed_version(feed: Feed, *, now: datetime | None = None) -> FeedVersion:
    """ETag and Last-Modified of a feed from one aggregate query, without building anything.

    Reused for ``feed_version_ttl_seconds`` by this worker (see ``cache.VersionMemo``).
    """
    if now is None and (memo := cache.VERSIONS.get(feed)) is not None:
        return memo
    args = scope_args(feed)
    sql = _VERSION_SQL[feed.kind]
    if feed.kind == FeedKind.PERSONAL:
        sql, extra_args = personal_version_sql(await extra_version_fragments())
        args += [feed.subject_id] * (2 + extra_args)
    elif feed.kind == FeedKind.COOPERATIVE:
        args += [feed.subject_id]
    row = await fetch_row(sql, *args)
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
    token_hash = token_lookup_hash(token)
    if now is None and (memo := cache.VERSIONS.get(token_hash)) is not None:
        row = await fetch_row(_TOKEN_SQL, token_hash)
        owner = owner_from_row(row) if row is not None else None
        if owner is None:
            raise feed_not_found()
        feed = feed_for_owner(owner)
        if feed == memo[0]:
            return memo
    row = await fetch_row(token_and_version_sql(await extra_version_fragments()), token_hash)
    owner = owner_from_row(row) if row is not None else None
    if owner is None:
        raise feed_not_found()
    feed = feed_for_owner(owner)
    if feed.kind == FeedKind.PERSONAL:
        version = _version(feed, row, now or utcnow())
    else:
        version = await feed_version(feed, now=now)
    if now is None:
        cache.VERSIONS.put(token_hash, (feed, version), get_settings().feed_version_ttl_seconds)
    return feed, version

