"""Feed URLs (GET and HEAD, ETag/Last-Modified, 304) and the profile's "new link" pages.

A personal feed's poll costs one statement (the token lookup and the feed's version together), or the
token lookup alone when this worker computed the version in the last minute (see versions.py); a
revalidation that matches answers 304 there, before anything is built. Unknown, revoked and
invisible feeds all answer the same plain 404 as any unknown URL under ``/calendar/``.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from litestar import Controller, Request, Response, get, post, route
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.calendars import contents, feeds, versions
from training_hub.calendars.feeds import Feed, FeedVersion
from training_hub.calendars.tokens import rotate_token
from training_hub.core.errors import DomainError
from training_hub.core.i18n import N_, get_language, gettext
from training_hub.core.tables import FeedKind
from training_hub.core.timeutil import utcnow
from training_hub.web.auth import CurrentUser, provide_user, requires_login, user_of
from training_hub.web.responses import flash, form_dict, page, redirect

MEDIA_TYPE = "text/calendar"
# Calendar apps poll on their own schedule; a short freshness keeps a change from waiting in a cache.
SUBSCRIPTION_CACHE_CONTROL = "private, max-age=300"
DOWNLOAD_CACHE_CONTROL = "private, no-cache"


def _ics_name(filename: str) -> str:
    """``<name>.ics`` → ``<name>``; anything else is a 404."""
    if not filename.endswith(".ics") or len(filename) <= 4:
        raise feeds.feed_not_found()
    return filename[:-4]


def _ics_id(filename: str) -> int:
    stem = _ics_name(filename)
    if not stem.isdecimal() or len(stem) > 12:
        raise feeds.feed_not_found()
    return int(stem)


@lru_cache(maxsize=1024)
def _http_date(instant: datetime) -> str:
    return format_datetime(instant, usegmt=True)


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): ``W/`` prefixes are ignored."""
    if header.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in header.split(","))


def not_modified(request: Request[Any, Any, Any], version: FeedVersion) -> bool:
    """RFC 9110 §13.2.2: If-None-Match when present, otherwise If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return _etag_matches(if_none_match, version.etag)
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            return False
        return version.last_modified <= since and since <= utcnow()
    return False


async def respond(request: Request[Any, Any, Any], feed: Feed, version: FeedVersion | None = None) -> Response[bytes]:
    """The feed's answer: 304, a HEAD answer (headers only) or the body."""
    if version is None:
        version = await versions.feed_version(feed)
    headers = {
        "etag": version.etag,
        "last-modified": _http_date(version.last_modified),
        "cache-control": DOWNLOAD_CACHE_CONTROL if feed.download else SUBSCRIPTION_CACHE_CONTROL,
    }
    if feed.kind == "session":
        headers["vary"] = "Cookie, Authorization"
    if not_modified(request, version):
        return Response(content=b"", status_code=304, headers=headers, media_type=MEDIA_TYPE)
    body = await contents.feed_body(feed, version)
    disposition = "attachment" if feed.download else "inline"
    headers["content-disposition"] = f'{disposition}; filename="{feed.filename}"'
    if request.method == "HEAD":
        headers["content-length"] = str(len(body))
        return Response(content=b"", headers=headers, media_type=MEDIA_TYPE)
    return Response(content=body, headers=headers, media_type=MEDIA_TYPE)


class FeedController(Controller):
    path = "/calendar"
    include_in_schema = False

    @route("/{filename:str}", http_method=["GET", "HEAD"], name="calendar_token_feed")
    async def token_feed(self, request: Request[Any, Any, Any], filename: FromPath[str]) -> Response[bytes]:
        feed, version = await versions.token_feed_version(_ics_name(filename))
        return await respond(request, feed, version)

    @route("/courses/{filename:str}", http_method=["GET", "HEAD"], name="calendar_course_feed")
    async def course_feed(self, request: Request[Any, Any, Any], filename: FromPath[str]) -> Response[bytes]:
        return await respond(request, await feeds.course_feed(_ics_id(filename), get_language()))

    @route("/paths/{filename:str}", http_method=["GET", "HEAD"], name="calendar_path_feed")
    async def path_feed(self, request: Request[Any, Any, Any], filename: FromPath[str]) -> Response[bytes]:
        return await respond(request, await feeds.path_feed(_ics_id(filename), get_language()))

    @route("/sessions/{filename:str}", http_method=["GET", "HEAD"], name="calendar_session_download")
    async def session_download(self, request: Request[Any, Any, Any], filename: FromPath[str]) -> Response[bytes]:
        feed = await feeds.session_download(user_of(request), _ics_id(filename), get_language())
        return await respond(request, feed)


_KINDS = (FeedKind.PERSONAL.value, FeedKind.COOPERATIVE.value)


class FeedLinkPages(Controller):
    """A new secret link for one's personal (or, for coordinators, cooperative) feed."""

    path = "/profile/calendar"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/rotate", name="calendar_rotate_confirm")
    async def confirm(self, user: NamedDependency[CurrentUser], kind: FromQuery[str] = "personal") -> Template:
        return page("calendars/rotate.html", kind=kind if kind in _KINDS else FeedKind.PERSONAL.value)

    @post("/rotate", name="calendar_rotate")
    async def rotate(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Redirect:
        data = await form_dict(request)
        kind = str(data.get("kind") or FeedKind.PERSONAL.value)
        try:
            await rotate_token(user, kind)
        except DomainError as exc:
            flash(request, exc.detail, "error")
            return redirect("/profile#calendario")
        flash(request, gettext(N_("Nuovo link pronto: quello precedente non funziona più. "
                                  "Iscriviti di nuovo dalle tue app di calendario con il link qui sotto.")))
        return redirect("/profile#calendario")


ROUTES = [FeedController, FeedLinkPages]
