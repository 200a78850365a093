"""Catalogue pages for everyone: the catalogue, a course, the paths and a path. ``ROUTES`` also lists
the trainer's pages (``course_pages``, ``session_pages``) and the set-up pages (``path_pages``: paths
and locations), kept in modules of their own.

Every page works without JavaScript; with HTMX the catalogue's results follow the filters as they
change (the same URL answers with just the results for an HTMX request). The course page reads the
course once (``courses.course_view``: its facts and what it shows) and hands the facts to the
enrolment panel.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template
from markupsafe import Markup

from training_hub.attendance.access import may_take_attendance_of
from training_hub.catalogue import course_pages, path_pages, public, session_pages
from training_hub.catalogue.access import catalogue_view_key
from training_hub.catalogue.courses import course_view
from training_hub.catalogue.forms import AREAS, DELIVERY_MODES, KINDS, PROVINCES, labels
from training_hub.catalogue.listing import (
    FILTER_NAMES,
    parse_catalogue_filters,
    search_catalogue,
)
from training_hub.catalogue.paths import get_path_detail, list_paths, may_create_path
from training_hub.core.cache import MISSING, ReadCache, data_generation
from training_hub.core.i18n import N_, get_language, gettext
from training_hub.core.settings import get_settings
from training_hub.core.tables import EnrolmentStatus, PathKind
from training_hub.core.timeutil import to_utc
from training_hub.enrolment.panel import course_panel_context, my_course_statuses
from training_hub.web.auth import CurrentUser, provide_user, requires_login, user_of
from training_hub.web.responses import is_htmx, page
from training_hub.web.shell import page_with_body

_catalogue_pages: ReadCache[Markup] | None = None


def catalogue_pages() -> ReadCache[Markup]:
    """The catalogue's rendered results, by query string, language and view (see ``catalogue``).

    One of the catalogue page's two cache layers; the other is the listing's (``listing.catalogue_cache``,
    shared with the API). Both are ``core.cache.ReadCache`` (cachetools' TTLCache): stale after any
    write of this process, gone after their time to live."""
    global _catalogue_pages
    if _catalogue_pages is None:
        _catalogue_pages = ReadCache(ttl=get_settings().catalogue_cache_seconds, size=512)
    return _catalogue_pages


_MINE = re.compile(r"<!--mine:(\d+)-->")
MINE_LABELS = {
    EnrolmentStatus.CONFIRMED.value: N_("Sei iscritto"),
    EnrolmentStatus.WAITLISTED.value: N_("Sei in lista d'attesa"),
    EnrolmentStatus.PENDING.value: N_("Hai chiesto l'iscrizione"),
}


def mark_my_courses(html: Markup, statuses: dict[int, str]) -> Markup:
    """The shared results page with the person's own courses marked (the page itself is rendered once
    for everyone with the same view, see ``catalogue_pages``)."""
    if not statuses:
        return html

    def badge(match: re.Match[str]) -> str:
        status = statuses.get(int(match.group(1)))
        if status is None:
            return ""
        kind = "badge-ok" if status == EnrolmentStatus.CONFIRMED.value else "badge-warn"
        return str(Markup('<p class="mine"><span class="badge {}">{}</span></p>').format(kind, Markup(gettext(MINE_LABELS[status]))))

    return Markup(_MINE.sub(badge, str(html)))


# Everyone: catalogue, course, paths ---------------------------------------------------------------


class CataloguePages(Controller):
    """The catalogue and a course page answer everyone: without a login, the public catalogue
    (``catalogue/public.py``); the paths need a login."""

    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/courses", name="catalogue")
    async def catalogue(self, request: Request[Any, Any, Any]) -> Response[str] | Template:
        user = user_of(request)
        if user is None:
            raw = request.query_params.get("page") or "1"
            page_number = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) else 1
            courses, total = await public.public_courses(page_number)
            return page("catalogue/public_catalogue.html", courses=courses, total=total, page_number=page_number,
                        pages=max(1, -(-total // public.PUBLIC_PAGE_SIZE)), **labels())
        htmx = is_htmx(request)
        headers = {"Vary": "HX-Request"}
        # The same query string, seen by someone with the same view of the catalogue, in the same
        # language: the same content (read again after any write, see cache.py).
        key = (request.scope["query_string"], htmx, get_language(), catalogue_view_key(user))
        cache = catalogue_pages()
        html = cache.get(key)
        if html is MISSING:
            generation = data_generation()
            html = await self._render_results(request, user, htmx)
            cache.put(key, html, generation=generation)
        html = mark_my_courses(html, await my_course_statuses(user))
        if htmx:
            return Response(html, media_type=MediaType.HTML, headers=headers)
        return page_with_body(request, "catalogue/catalogue.html", html, headers=headers)

    @staticmethod
    async def _render_results(request: Request[Any, Any, Any], user: CurrentUser, htmx: bool) -> Markup:
        filters, errors = parse_catalogue_filters(
            {name: request.query_params.get(name) for name in FILTER_NAMES})
        items, total = await search_catalogue(user, filters)
        context = dict(
            courses=items, total=total, filters=filters, errors={k: gettext(v) for k, v in errors.items()},
            pages=max(1, -(-total // filters.page_size)), kinds=KINDS, provinces=PROVINCES, areas=AREAS,
            delivery_modes=DELIVERY_MODES, **labels(),
        )
        template = "catalogue/_results.html" if htmx else "catalogue/_catalogue_body.html"
        environment = request.app.template_engine.engine  # type: ignore[union-attr]
        return Markup(environment.get_template(template).render(**context))

    @get("/courses/{course_id:int}", name="course")
    async def course(self, request: Request[Any, Any, Any], course_id: FromPath[int]) -> Template:
        user = user_of(request)
        if user is None:
            return page("catalogue/public_course.html", course=await public.public_course(course_id), **labels())
        facts, course = await course_view(user, course_id)
        return page(
            "catalogue/course.html", course=course, sessions=course["sessions"], user=user,
            is_trainer=course["is_trainer"], can_manage=course["can_manage"],
            can_take_attendance=may_take_attendance_of(user, facts),
            enrolment_panel=await course_panel_context(user, facts),
            calendar_url=f"/calendar/courses/{course_id}.ics", **labels(),
        )

    @get("/paths", name="paths", guards=[requires_login])
    async def paths_page(self, user: NamedDependency[CurrentUser]) -> Template:
        paths = await list_paths(user)
        return page("catalogue/paths.html", paths=paths, kinds=[k.value for k in PathKind],
                    can_create=may_create_path(user))

    @get("/paths/{path_id:int}", name="path", guards=[requires_login])
    async def path_page(self, user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template:
        path = await get_path_detail(user, path_id)
        return page("catalogue/path.html", path=path, courses=path["courses"],
                    calendar_url=f"/calendar/paths/{path_id}.ics", **labels())


class SearchEnginePages(Controller):
    """What search engines read: the public catalogue may be indexed, nothing else."""

    include_in_schema = False

    @get("/robots.txt", name="robots", media_type=MediaType.TEXT)
    async def robots(self) -> str:
        base = get_settings().base_url
        return (f"User-agent: *\nAllow: /courses\nAllow: /public/activity\nDisallow: /\n"
                f"Sitemap: {base}/sitemap.xml\n")

    @get("/sitemap.xml", name="sitemap", media_type="application/xml")
    async def sitemap(self) -> str:
        base = escape(get_settings().base_url)
        urls = [f"<url><loc>{base}/courses</loc></url>"]
        for entry in await public.sitemap_entries():
            lastmod = f"<lastmod>{to_utc(entry['updated_at']).date().isoformat()}</lastmod>" if entry["updated_at"] else ""
            urls.append(f"<url><loc>{base}{entry['url']}</loc>{lastmod}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(urls) + "</urlset>\n")


ROUTES = [CataloguePages, SearchEnginePages, *course_pages.ROUTES, *session_pages.ROUTES, *path_pages.ROUTES]
