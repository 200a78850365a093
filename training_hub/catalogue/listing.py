"""The catalogue: published courses a person may see, filtered and paged, and the managers' own list.

One statement per page whatever it shows (seats, trainers, areas, number of sessions included), built
from the access rule as SQL (``access.visible_courses_sql``) and the filters as typed on the page or
in the API's query string (the same parser for both, :func:`parse_catalogue_filters`: invalid values are
dropped and reported per field). Past courses are left out unless asked for.

Pages are reused for a few seconds (:func:`catalogue_cache`, a ``core.cache.ReadCache``): everyone of a
cooperative looking at the same filters shares one, and anything this process writes makes every entry
stale at once (``core.cache``), so a cached page is exactly what the database says for every change made
here; another worker's change shows within the time to live.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from training_hub.catalogue.access import managed_sql, visible_courses_sql
from training_hub.catalogue.course_rows import (
    AREA_ORDER,
    COURSE_COLUMNS,
    COURSE_FROM,
    SESSION_COUNT,
    course_base,
)
from training_hub.catalogue.search import search_words, words_condition
from training_hub.core.cache import MISSING, ReadCache, data_generation
from training_hub.core.db import fetch_all, fetch_one, is_sqlite
from training_hub.core.errors import PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import DAY_FORMAT_MESSAGE, parse_day, parse_instant_field, parse_integer
from training_hub.core.settings import get_settings
from training_hub.core.tables import (
    Area,
    CourseStatus,
    DeliveryMode,
    EnrolmentStatus,
    PathKind,
    Province,
    Role,
)
from training_hub.core.timeutil import rome_day_bounds, utcnow
from training_hub.seats.state import count_sql

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100000


def _count_from(where: list[str]) -> str:
    """The FROM clause counting needs: the joins only when a condition reads the path or the location,
    so the count can run on the ``course_catalogue`` covering index alone."""
    text = " ".join(where)
    joins = ' JOIN training_path p ON p.id = "course"."path"' if re.search(r"\bp\.", text) else ""
    joins += ' LEFT JOIN location l ON l.id = "course"."location"' if re.search(r"\bl\.", text) else ""
    return 'FROM "course"' + joins


_UNIT, _RECORD = "\x1f", "\x1e"  # separators of the aggregated trainers and areas (never typed by people)


def _links_columns() -> str:
    """Trainers and eligible areas of each row, aggregated in the row itself (no second round trip)."""
    aggregate = "group_concat" if is_sqlite() else "string_agg"
    return (
        f"(SELECT {aggregate}(CAST(pe.id AS TEXT) || '{_UNIT}' || pe.full_name, '{_RECORD}') "
        'FROM course_trainer ct JOIN person pe ON pe.id = ct.person WHERE ct.course = "course"."id") AS trainer_list, '
        f"(SELECT {aggregate}(a.area, '{_RECORD}') FROM course_eligible_area a "
        'WHERE a.course = "course"."id") AS area_list'
    )


def _listing_item(row: Mapping[str, Any]) -> dict[str, Any]:
    trainers = []
    for entry in (row["trainer_list"] or "").split(_RECORD):
        if entry:
            ident, _, name = entry.partition(_UNIT)
            trainers.append({"id": int(ident), "full_name": name})
    trainers.sort(key=lambda t: t["full_name"])
    item = course_base(row, trainers)
    item["eligible_areas"] = sorted((a for a in (row["area_list"] or "").split(_RECORD) if a),
                                    key=lambda a: AREA_ORDER.get(a, 99))
    item["session_count"] = row["session_count"]
    return item


async def course_listing(
    where: list[str], args: list[Any], *, order: str, limit: int | None = None, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Course rows (seats, trainers, areas, number of sessions included) and how many match, in one
    query for any page. ``where``: SQL conditions on ``"course"``, ``p`` (path) and ``l`` (location);
    the visibility fragments never use those two aliases."""
    condition = " AND ".join(where) if where else "1 = 1"
    count_from = _count_from(where)
    columns = f"{COURSE_COLUMNS}, {SESSION_COUNT} AS session_count, {_links_columns()}"
    if limit is None:
        rows = await fetch_all(f"SELECT {columns} {COURSE_FROM} WHERE {condition} ORDER BY {order}", *args)
        total = len(rows)
    else:
        # The page's ids first (the ORDER BY and LIMIT work on the bare rows, along the index), then
        # their details; the total comes in the same round trip (an uncorrelated subquery, run once).
        sql = (
            f"SELECT {columns}, (SELECT COUNT(*) {count_from} WHERE {condition}) AS total "
            f'FROM (SELECT "course"."id" AS page_id {COURSE_FROM} WHERE {condition} ORDER BY {order} '
            "LIMIT {} OFFSET {}) page "
            f'JOIN "course" ON "course"."id" = page.page_id JOIN training_path p ON p.id = "course"."path" '
            f'LEFT JOIN location l ON l.id = "course"."location" ORDER BY {order}'
        )
        rows = await fetch_all(sql, *args, *args, limit, offset)
        if rows:
            total = rows[0]["total"]
        else:
            total = 0 if offset == 0 else (await fetch_one(f"SELECT COUNT(*) AS n {count_from} WHERE {condition}",
                                                           *args) or {"n": 0})["n"]
    return [_listing_item(row) for row in rows], total


@dataclass
class CatalogueFilters:
    kind: str | None = None
    province: str | None = None
    area: str | None = None
    delivery_mode: str | None = None
    q: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    seats_available: bool = False
    include_past: bool = False
    sort: str = "start"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # The valid values as typed, to build shareable links.
    raw: dict[str, str] = field(default_factory=dict)
    # Everything as typed, invalid values included: the form shows it again so it can be corrected.
    typed: dict[str, str] = field(default_factory=dict)

    def active(self) -> list[tuple[str, Any]]:
        """The filters applied, in the form's order, for the summary on the folded filters: (name, value),
        dates as Rome days (``starts_before`` the last day included)."""
        from training_hub.core.timeutil import to_rome

        shown: list[tuple[str, Any]] = []
        if self.q:
            shown.append(("q", self.q))
        shown += [(name, getattr(self, name)) for name in ("kind", "province", "area", "delivery_mode")
                  if getattr(self, name)]
        if self.starts_after:
            shown.append(("starts_after", to_rome(self.starts_after).date()))
        if self.starts_before:
            shown.append(("starts_before", to_rome(self.starts_before - timedelta(microseconds=1)).date()))
        shown += [(name, True) for name in ("seats_available", "include_past") if getattr(self, name)]
        return shown

    def query_string(self, **overrides: Any) -> str:
        """The filters as a query string (``page`` and others replaced by ``overrides``)."""
        values = {k: v for k, v in self.raw.items() if v not in ("", None)}
        for key, value in overrides.items():
            if value in (None, "", False):
                values.pop(key, None)
            else:
                values[key] = str(value)
        return urlencode(values)


FILTER_NAMES = ("kind", "province", "area", "delivery_mode", "q", "starts_after", "starts_before",
                "seats_available", "include_past", "sort", "page", "page_size")
TRUE_VALUES = {"1", "true", "on", "yes", "si", "sì"}


def _bound(value: str, field_name: str, errors: dict[str, str], *, end_of_day: bool) -> datetime | None:
    """A date (a whole Rome day: from its start, or through its end) or an ISO instant."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}", text):
        day = parse_day(text, field_name, errors)
        if day is None:
            return None
        start, end = rome_day_bounds(day)
        return end if end_of_day else start
    instant = parse_instant_field(text, field_name, errors)
    if field_name in errors:
        errors[field_name] = DAY_FORMAT_MESSAGE
    return instant


def parse_catalogue_filters(params: Mapping[str, Any]) -> tuple[CatalogueFilters, dict[str, str]]:
    """Read the catalogue's query string; invalid values are dropped and reported per field.

    ``starts_after`` / ``starts_before``: a date (``2026-11-25`` or ``25/11/2026``, both ends included)
    or an ISO instant (``starts_before`` then excluded). ``seats_available``, ``include_past``: a flag
    (``1``, ``true``, ``on``). ``sort``: ``start`` (earliest first, the default) or ``-start``.
    """
    raw = {name: str(params.get(name) or "").strip() for name in FILTER_NAMES}
    errors: dict[str, str] = {}
    filters = CatalogueFilters(raw={k: v for k, v in raw.items() if v}, typed={k: v for k, v in raw.items() if v})
    if raw["kind"]:
        if raw["kind"] in {k.value for k in PathKind}:
            filters.kind = raw["kind"]
        else:
            errors["kind"] = N_("Tipo di percorso sconosciuto.")
    if raw["province"]:
        if raw["province"].upper() in {p.value for p in Province}:
            filters.province = raw["province"].upper()
        else:
            errors["province"] = N_("Provincia sconosciuta.")
    if raw["area"]:
        if raw["area"] in {a.value for a in Area}:
            filters.area = raw["area"]
        else:
            errors["area"] = N_("Area di lavoro sconosciuta.")
    if raw["delivery_mode"]:
        if raw["delivery_mode"] in {m.value for m in DeliveryMode}:
            filters.delivery_mode = raw["delivery_mode"]
        else:
            errors["delivery_mode"] = N_("Modalità di svolgimento sconosciuta.")
    filters.q = raw["q"][:100] or None
    filters.starts_after = _bound(raw["starts_after"], "starts_after", errors, end_of_day=False)
    filters.starts_before = _bound(raw["starts_before"], "starts_before", errors, end_of_day=True)
    if filters.starts_after and filters.starts_before and filters.starts_before <= filters.starts_after:
        # A reversed range applies neither end: half of it would filter as nobody asked.
        errors["starts_before"] = N_("La fine dell'intervallo deve venire dopo l'inizio.")
        errors["starts_after"] = N_("L'inizio dell'intervallo deve venire prima della fine.")
        filters.starts_after = filters.starts_before = None
    filters.seats_available = raw["seats_available"].lower() in TRUE_VALUES
    filters.include_past = raw["include_past"].lower() in TRUE_VALUES
    if raw["sort"] in ("start", "-start"):
        filters.sort = raw["sort"]
    elif raw["sort"]:
        errors["sort"] = N_("Ordinamento sconosciuto: usa start o -start.")
    if raw["page"]:
        filters.page = parse_integer(raw["page"], "page", errors, minimum=1, maximum=MAX_PAGE,
                                message=N_("Il numero di pagina è un intero da 1 in su.")) or 1
    if raw["page_size"]:
        filters.page_size = parse_integer(raw["page_size"], "page_size", errors, minimum=1, maximum=MAX_PAGE_SIZE,
                                     message=N_("Il numero di corsi per pagina va da 1 a 100.")) or DEFAULT_PAGE_SIZE
    for name in errors:
        filters.raw.pop(name, None)
    return filters, errors


def _catalogue_where(user: CurrentUser, filters: CatalogueFilters, now: datetime) -> tuple[list[str], list[Any]]:
    if filters.include_past:
        # Courses already held are published or, once their trainer closed them, completed.
        where: list[str] = ['"course"."status" IN ({}, {})']
        args: list[Any] = [CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value]
    else:
        where, args = ['"course"."status" = {}'], [CourseStatus.PUBLISHED.value]
    rule = visible_courses_sql(user, path_alias="p")
    if rule is not None:
        where.append(rule[0])
        args += rule[1]
    if filters.kind:
        where.append("p.kind = {}")
        args.append(filters.kind)
    if filters.province:
        where.append("l.province = {}")
        args.append(filters.province)
    if filters.delivery_mode:
        where.append('"course"."delivery_mode" = {}')
        args.append(filters.delivery_mode)
    if filters.area:
        where.append('("course"."id" NOT IN (SELECT course FROM course_eligible_area) '
                     'OR "course"."id" IN (SELECT course FROM course_eligible_area WHERE area = {}))')
        args.append(filters.area)
    if filters.q:
        # Accents and case folded on both sides; the path's title counts too (catalogue/search.py).
        conditions, needles = words_condition(search_words(filters.q), ['"course"."title"', '"course"."description"',
                                                                        "p.title"])
        where += conditions
        args += needles
    if filters.starts_after:
        where.append('"course"."starts_at" >= {}')
        args.append(filters.starts_after)
    if filters.starts_before:
        where.append('"course"."starts_at" < {}')
        args.append(filters.starts_before)
    if not filters.include_past:
        where.append('"course"."ends_at" >= {}')
        args.append(now)
    if filters.seats_available:
        confirmed = count_sql(EnrolmentStatus.CONFIRMED.value, '"course"."id"')
        where.append(f'"course"."capacity" > {confirmed}')
    return where, args


async def search_catalogue(
    user: CurrentUser, filters: CatalogueFilters, *, now: datetime | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One page of published courses the user may see, and how many match in all (one query).

    Pages are reused for a few seconds (``catalogue_cache``): everyone of a cooperative looking at the
    same filters shares one. With an explicit ``now`` the database is always asked.
    """
    moment = now or utcnow()
    where, args = _catalogue_where(user, filters, moment)
    direction = "DESC" if filters.sort == "-start" else "ASC"
    order = f'"course"."starts_at" {direction}, "course"."id" {direction}'
    limit, offset = filters.page_size, (filters.page - 1) * filters.page_size
    cache = catalogue_cache()
    # The statement and its arguments are exactly what the answer depends on (the visibility rule
    # included: it names the cooperative, and the person only where their own courses count), save
    # the current instant, which moves on by less than the entry lives.
    key = (" AND ".join(where), tuple(arg for arg in args if arg is not moment), order, limit, offset)
    if now is None and (hit := cache.get(key)) is not MISSING:
        return hit
    generation = data_generation()
    result = await course_listing(where, args, order=order, limit=limit, offset=offset)
    if now is None:
        cache.put(key, result, generation=generation)
    return result


_catalogue_cache: ReadCache[tuple[list[dict[str, Any]], int]] | None = None


def catalogue_cache() -> ReadCache[tuple[list[dict[str, Any]], int]]:
    """Catalogue pages recently computed by this worker (see cache.py for when they go stale)."""
    global _catalogue_cache
    if _catalogue_cache is None:
        _catalogue_cache = ReadCache(ttl=get_settings().catalogue_cache_seconds, size=256)
    return _catalogue_cache


async def list_managed_courses(
    user: CurrentUser, *, status: str | None = None, q: str | None = None, page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> tuple[list[dict[str, Any]], int]:
    """The courses a trainer, coordinator or admin manages ("I miei corsi"): undated drafts first,
    then the latest dates first."""
    if not user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR):
        raise PermissionDenied(N_("Questa pagina è per formatori, coordinatori e ufficio formazione."))
    where: list[str] = []
    args: list[Any] = []
    if not user.is_admin:
        parts, part_args = managed_sql(user)
        where.append("(" + " OR ".join(parts) + ")" if parts else "1 = 0")
        args += part_args
    if status:
        if status not in {s.value for s in CourseStatus}:
            raise ValidationFailed(N_("Stato del corso sconosciuto."), field="status")
        where.append('"course"."status" = {}')
        args.append(status)
    if q and q.strip():
        conditions, needles = words_condition(search_words(q), ['"course"."title"', "p.title"])
        where += conditions
        args += needles
    if page > MAX_PAGE:  # an OFFSET the database could not even take
        raise ValidationFailed(N_("Il numero di pagina è un intero da 1 in su."), field="page")
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    return await course_listing(
        where, args, order='("course"."starts_at" IS NULL) DESC, "course"."starts_at" DESC, "course"."id" DESC',
        limit=page_size, offset=(page - 1) * page_size,
    )
