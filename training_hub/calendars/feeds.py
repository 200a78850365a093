"""Who sees which sessions in which feed: resolving a feed request, and what every part shares.

Feeds (routes in ``pages.py``):

* **personal** (``/calendar/<token>.ics``): sessions of the courses where the person's enrolment is
  *confirmed*, of the courses they teach (``CourseTrainer``) and the sessions assigned to them
  (``Session.trainer``). Pending and waiting-list enrolments are left out. Online links are shown (the
  person is a confirmed participant or a trainer of every course in it).
* **cooperative** (a coordinator's token): sessions of courses where any worker of the cooperative has
  a confirmed enrolment, with how many of them attend (not on inclusion paths) and never a name.
  No online links: the coordinator is not a participant.
* **course** and **path** (``/calendar/courses/<id>.ics``, ``/calendar/paths/<id>.ics``): published
  consortium courses open to everyone only (paths with no owner cooperative, no restriction to some
  cooperatives); drafts, a cooperative's internal courses and restricted courses answer 404 (the path
  feed leaves them out), they reach people only through personal feeds. No online links.
* **session** (``/calendar/sessions/<id>.ics``): one session as a download, for whoever may see its
  course: anyone for a published consortium course open to everyone; the members of the cooperatives a
  restricted course is open to; otherwise its trainers, admins, the people enrolled
  and the members of the owner cooperative (its coordinators also for drafts). The online link only for
  confirmed participants, the course's trainers and admins.

Which sessions: scheduled ones (draft courses never appear in a subscription), and cancelled ones
(session or whole course cancelled) for 30 days after the cancellation, as ``STATUS:CANCELLED``, so
every client removes or strikes them out instead of keeping a ghost; after that they leave the feed.
Feeds keep a year of history. Both limits move once a day (at midnight in Rome), so a feed's content
only changes when data changes or at midnight: that is what makes the cheap version exact (:mod:`.versions`).

The modules: this one resolves a request to a :class:`Feed` (or the one 404); :mod:`.contents` says
which sessions a feed holds and builds its bytes; :mod:`.versions` knows its ETag cheaply;
:mod:`.panel` gives the profile's subscription links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from piccolo.querystring import QueryString

from training_hub.calendars import ical
from training_hub.calendars.tokens import FeedOwner, lookup_token
from training_hub.core.db import as_bool, get_engine
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_, gettext, language
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, EnrolmentStatus, FeedKind, Role
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
    extras: bool = False  # a personal feed with all-day events of a feature above (core/events.py)


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


async def fetch_rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    """``db.fetch_all`` without looking the engine up on every call (a feed poll is a hot path)."""
    return await _engine().run_querystring(QueryString(sql, *args))


async def fetch_row(sql: str, *args: Any) -> dict[str, Any] | None:
    rows = await fetch_rows(sql, *args)
    return rows[0] if rows else None


def feed_not_found() -> NotFound:
    """The one 404 of every feed that does not exist, is not visible or whose token was revoked."""
    return NotFound(FEED_NOT_FOUND)


def instant_of(value: Any) -> datetime | None:
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
def feed_for_owner(owner: FeedOwner) -> Feed:
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
    return feed_for_owner(owner)


_PUBLIC_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, CourseStatus.CANCELLED.value)


# A course open only to some cooperatives is not open to everyone: no anonymous feed carries it.
RESTRICTED_SQL = "EXISTS (SELECT 1 FROM course_eligible_cooperative ec WHERE ec.course = c.id)"


async def course_feed(course_id: int, lang: str = "it") -> Feed:
    """A published consortium course's public feed; NotFound for drafts, internal courses and courses
    open only to some cooperatives."""
    row = await fetch_row(
        f"SELECT c.id, c.title, c.status, tp.owner_cooperative, {RESTRICTED_SQL} AS restricted FROM course c "
        "JOIN training_path tp ON tp.id = c.path WHERE c.id = {}",
        course_id,
    )
    if (row is None or row["status"] not in _PUBLIC_STATUSES or row["owner_cooperative"] is not None
            or as_bool(row["restricted"])):
        raise feed_not_found()
    with language(lang):
        name = gettext(N_("%(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="course", subject_id=course_id, name=name, filename=ical.feed_filename("corso", course_id, row["title"]),
                show_online_link=False, language=lang)


async def path_feed(path_id: int, lang: str = "it") -> Feed:
    """A consortium path's public feed (its published courses); NotFound for a cooperative's path."""
    row = await fetch_row("SELECT id, title, owner_cooperative FROM training_path WHERE id = {}", path_id)
    if row is None or row["owner_cooperative"] is not None:
        raise feed_not_found()
    with language(lang):
        name = gettext(N_("Percorso %(title)s · Training Hub")) % {"title": row["title"]}
    return Feed(kind="path", subject_id=path_id, name=name, filename=ical.feed_filename("percorso", path_id, row["title"]),
                show_online_link=False, language=lang)


async def session_download(user: CurrentUser | None, session_id: int, lang: str = "it") -> Feed:
    """One session as a file, for whoever may see its course (see the module docstring)."""
    row = await fetch_row(
        f"SELECT s.id, s.trainer, c.id AS course_id, c.title, c.status, tp.owner_cooperative, {RESTRICTED_SQL} "
        "AS restricted FROM course_session s JOIN course c ON c.id = s.course JOIN training_path tp ON tp.id = c.path "
        "WHERE s.id = {}",
        session_id,
    )
    if row is None:
        raise feed_not_found()
    listed = row["status"] != CourseStatus.DRAFT.value
    restricted = as_bool(row["restricted"])
    visible = listed and row["owner_cooperative"] is None and not restricted
    show_link = False
    if user is not None:
        facts = await fetch_row(
            "SELECT (SELECT COUNT(*) FROM course_trainer WHERE course = {} AND person = {}) AS teaches, "
            "(SELECT MAX(status) FROM enrolment WHERE course = {} AND person = {} AND status IN ({}, {}, {})) "
            "AS enrolment_status, "
            "(SELECT COUNT(*) FROM course_eligible_cooperative WHERE course = {} AND cooperative = {}) AS eligible, "
            "(SELECT COUNT(*) FROM enrolment fe JOIN tutor_link tl ON tl.person = fe.person "
            " WHERE fe.course = {} AND tl.tutor = {}) AS follows_enrolled",
            row["course_id"], user.id, row["course_id"], user.id,
            EnrolmentStatus.PENDING.value, EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value,
            row["course_id"], user.cooperative_id, row["course_id"], user.id,
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
            # A restricted consortium course: the members of its cooperatives see it, as on its page.
            or (listed and row["owner_cooperative"] is None and restricted and bool(facts["eligible"]))
            # A tutor, for the courses of the people they follow (as the course page).
            or (listed and user.has_role(Role.TUTOR) and bool(facts["follows_enrolled"]))
        )
    if not visible:
        raise feed_not_found()
    return Feed(kind="session", subject_id=session_id, name=row["title"],
                filename=ical.feed_filename("lezione", session_id, row["title"]), show_online_link=show_link,
                language=lang, download=True)

