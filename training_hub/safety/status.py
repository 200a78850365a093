"""The refresh tracker (scadenzario) as people read it: status per person and requirement.

Three views of the same rows (:func:`training_hub.safety.due.safety_status` over the inputs of
:mod:`.inputs`), each with the next edition in the catalogue that would satisfy the requirement:

* :func:`person_status` — one person's requirements ("La mia formazione obbligatoria"); the person
  themselves, the coordinators of their cooperative and the office see it;
* :func:`cooperative_status` — a row per person and requirement of one cooperative, missing first, then
  the most overdue, then what falls due soonest; its coordinators and the office. Five statements
  whatever the number of people (the cooperative, the three of :mod:`.inputs`, the editions);
* :func:`office_status` — every cooperative, filtered by cooperative, status and requirement, a page
  of people at a time, ordered by cooperative and person. Without a status filter only the page's
  people are computed (the page is chosen in SQL); a status depends on the rules, so with one every
  person of the scope is computed, and the result kept in a short-lived read cache
  (``core/cache.py``: stale at the first write of this process, and after
  ``TRAINING_HUB_CATALOGUE_CACHE_SECONDS`` for other processes' writes).

Anyone else — another cooperative's coordinator, a trainer, a tutor — is told the person or the
cooperative does not exist (404), whether it does or not.

The next edition is a published course of a type that counts for the requirement (the exact type to
take first: the refresher, or the first course when missing), starting in the future, whose enrolment
has not closed and which is open to the person (the cooperative's own or a consortium course not
restricted to other cooperatives or areas). A person already booked on such a course shows that
booking instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from training_hub.core.cache import MISSING as NOT_CACHED
from training_hub.core.cache import ReadCache, data_generation
from training_hub.core.db import fetch_all, fetch_one, is_possible_id
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_, format_date, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.core.wording import elide
from training_hub.safety import due
from training_hub.safety.course_types import find_course_type
from training_hub.safety.inputs import (
    EVERYONE,
    PersonInputs,
    Scope,
    UpcomingEnrolment,
    cooperative_scope,
    instant,
    iter_inputs,
    load_inputs,
    people_scope,
    person_scope,
)
from training_hub.safety.roles import LEVEL_LABELS, RISK_CLASS_LABELS, ROLES

PERSON_NOT_FOUND = N_("Persona non trovata.")
COOPERATIVE_NOT_FOUND = N_("Cooperativa non trovata.")
PEOPLE_PER_PAGE = 25
# Statuses in the order the lists show them.
STATUS_RANK = {due.MISSING: 0, due.OVERDUE: 1, due.DUE_SOON: 2, due.VALID: 3}
# Rows that offer the next edition: the ones that need a course.
NEEDS_COURSE = frozenset({due.MISSING, due.OVERDUE, due.DUE_SOON})


def current_policy() -> due.Policy:
    return due.policy_from_settings(get_settings())


def today_in_rome(now: datetime | None = None) -> date:
    return to_rome(now or utcnow()).date()


# Rows -----------------------------------------------------------------------------------------------


def person_rows(person: PersonInputs, today: date, policy: due.Policy) -> list[due.PersonRequirement]:
    return [
        due.PersonRequirement(person.person_id, person.cooperative_id, line)
        for line in due.safety_status(person.roles, person.trainings, risk_class=person.risk_class,
                                      headcount=person.headcount, today=today, policy=policy)
    ]


def _counting_types(line: due.RequirementStatus, headcount: int | None) -> frozenset[str]:
    """The course types that would satisfy the requirement: a first course always does; a refresher
    only when there is a course to refresh (not when missing)."""
    requirement = due.build_requirement(line.requirement, line.level, headcount)
    if line.status == due.MISSING:
        return requirement.first_courses
    return requirement.first_courses | requirement.refreshers


def _row(person: PersonInputs, line: due.RequirementStatus) -> dict[str, Any]:
    course = find_course_type(line.course_type)
    return {
        "person_id": person.person_id,
        "full_name": person.full_name,
        "cooperative_id": person.cooperative_id,
        "cooperative_name": person.cooperative_name,
        "requirement": line.requirement,
        "requirement_label": gettext(due.REQUIREMENT_LABELS[line.requirement]),
        "level": line.level,
        "level_label": gettext(LEVEL_LABELS[line.level]) if line.level in LEVEL_LABELS else "",
        "requirement_text": requirement_text(line.requirement, line.level),
        "status": line.status,
        "status_label": gettext(due.STATUS_LABELS[line.status]),
        "last_completed_on": line.last_completed_on,
        "due_on": line.due_on,
        "hours_due": line.hours_due,
        "course_type": line.course_type,
        "course_type_title": gettext(course.title) if course else "",
        "next_course": None,
        "booked": None,
    }


def status_sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Missing first, then the most overdue, then what falls due soonest; then by name."""
    due_on = row["due_on"] or date.max
    if row["status"] == due.MISSING:
        due_on = date.min
    return (STATUS_RANK[row["status"]], due_on, row["full_name"].casefold(), row["person_id"],
            due.REQUIREMENTS.index(row["requirement"]))


@dataclass(frozen=True)
class _Edition:
    course_id: int
    title: str
    course_type: str
    starts_at: datetime | None
    owner_cooperative: int | None
    cooperatives: frozenset[int]
    areas: frozenset[str]

    def open_to(self, person: PersonInputs) -> bool:
        if self.owner_cooperative is not None and self.owner_cooperative != person.cooperative_id:
            return False
        if self.cooperatives and person.cooperative_id not in self.cooperatives:
            return False
        return not self.areas or person.area in self.areas


_EDITIONS_SQL = (
    "SELECT c.id, c.title, c.safety_course_type, c.starts_at, tp.owner_cooperative, "
    "ec.cooperative AS eligible_cooperative, ea.area AS eligible_area "
    "FROM course c JOIN training_path tp ON tp.id = c.path "
    "LEFT JOIN course_eligible_cooperative ec ON ec.course = c.id "
    "LEFT JOIN course_eligible_area ea ON ea.course = c.id "
    "WHERE c.status = {} AND c.starts_at > {} AND (c.enrolment_closes_at IS NULL OR c.enrolment_closes_at > {}) "
    "AND (c.enrolment_opens_at IS NULL OR c.enrolment_opens_at <= {}) AND c.safety_course_type IN "
)


async def _editions(course_types: set[str], now: datetime) -> list[_Edition]:
    """The published future safety courses of these types, soonest first (one statement)."""
    if not course_types:
        return []
    codes = sorted(course_types)
    rows = await fetch_all(
        _EDITIONS_SQL + f"({', '.join('{}' for _ in codes)}) ORDER BY c.starts_at, c.id",
        CourseStatus.PUBLISHED.value, now, now, now, *codes,
    )
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row["id"], {"row": row, "cooperatives": set(), "areas": set()})
        if row["eligible_cooperative"] is not None:
            entry["cooperatives"].add(row["eligible_cooperative"])
        if row["eligible_area"] is not None:
            entry["areas"].add(row["eligible_area"])
    return [
        _Edition(course_id, e["row"]["title"], e["row"]["safety_course_type"], instant(e["row"]["starts_at"]),
                 e["row"]["owner_cooperative"], frozenset(e["cooperatives"]), frozenset(e["areas"]))
        for course_id, e in found.items()
    ]


def _booked(person: PersonInputs, types: frozenset[str]) -> UpcomingEnrolment | None:
    booked = [u for u in person.upcoming if u.course_type in types]
    return min(booked, key=lambda u: (u.starts_at is None, u.starts_at or datetime.max, u.course_id)) if booked else None


async def build_rows(people: list[PersonInputs], *, today: date, now: datetime, policy: due.Policy,
                     with_editions: bool = True) -> list[dict[str, Any]]:
    """Every requirement row of ``people`` with, where a course is needed, the person's booking on a
    course that counts or the next edition open to them (one statement for all the editions)."""
    computed: list[tuple[PersonInputs, due.RequirementStatus, frozenset[str]]] = []
    wanted: set[str] = set()
    for person in people:
        for requirement_row in person_rows(person, today, policy):
            line = requirement_row.status
            types = _counting_types(line, person.headcount) if line.status in NEEDS_COURSE else frozenset()
            computed.append((person, line, types))
            wanted |= types
    editions = await _editions(wanted, now) if with_editions else []
    rows = []
    for person, line, types in computed:
        row = _row(person, line)
        if types:
            booked = _booked(person, types)
            if booked is not None:
                row["booked"] = {"course_id": booked.course_id, "title": booked.course_title,
                                 "starts_at": booked.starts_at, "status": booked.status}
            else:
                row["next_course"] = _next_edition(editions, person, types, line.course_type)
        row["plan_text"] = plan_text(row)
        rows.append(row)
    return rows


def requirement_text(requirement: str, level: str | None) -> str:
    """"Antincendio (livello 2)", "Formazione specifica lavoratori (Rischio medio)"."""
    label = gettext(due.REQUIREMENT_LABELS[requirement])
    if level in LEVEL_LABELS:
        return f"{label} ({gettext(LEVEL_LABELS[level])})"
    if level in RISK_CLASS_LABELS:
        return f"{label} ({gettext(RISK_CLASS_LABELS[level])})"
    return label


def plan_text(row: dict[str, Any]) -> str:
    """What is planned for the row, as the page and the spreadsheet say it."""
    if row["booked"]:
        return elide(gettext(N_("Iscrizione: %(title)s, dal %(date)s")) % {
            "title": row["booked"]["title"], "date": format_date(row["booked"]["starts_at"])})
    if row["next_course"]:
        return elide(gettext(N_("Prossima edizione: %(title)s, dal %(date)s")) % {
            "title": row["next_course"]["title"], "date": format_date(row["next_course"]["starts_at"])})
    if row["status"] in NEEDS_COURSE:
        return gettext(N_("Nessuna edizione in calendario"))
    return ""


def _next_edition(editions: list[_Edition], person: PersonInputs, types: frozenset[str],
                  preferred: str | None) -> dict[str, Any] | None:
    open_ones = [e for e in editions if e.course_type in types and e.open_to(person)]
    exact = [e for e in open_ones if e.course_type == preferred]
    chosen = (exact or open_ones or [None])[0]
    if chosen is None:
        return None
    return {"course_id": chosen.course_id, "title": chosen.title, "starts_at": chosen.starts_at,
            "course_type": chosen.course_type}


# Who sees what ----------------------------------------------------------------------------------------


def may_see_cooperative(actor: CurrentUser, cooperative_id: int | None) -> bool:
    if actor.is_admin:
        return True
    return (cooperative_id is not None and actor.has_role(Role.COORDINATOR)
            and actor.cooperative_id == cooperative_id)


_PERSON_SQL = (
    "SELECT p.id, p.full_name, p.cooperative AS cooperative_id, c.name AS cooperative_name "
    "FROM person p LEFT JOIN cooperative c ON c.id = p.cooperative WHERE p.id = {}"
)


async def person_status(actor: CurrentUser, person_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """One person's requirements: the person, their cooperative's coordinators and the office."""
    now = now or utcnow()
    person = await fetch_one(_PERSON_SQL, person_id) if is_possible_id(person_id) else None
    if person is None or not (person["id"] == actor.id or may_see_cooperative(actor, person["cooperative_id"])):
        raise NotFound(PERSON_NOT_FOUND)
    today = today_in_rome(now)
    inputs = await load_inputs(person_scope(person_id), today=today, now=now)
    rows = await build_rows(inputs, today=today, now=now, policy=current_policy())
    return {"person": person, "rows": rows, "today": today, "roles": inputs[0].roles if inputs else []}


async def cooperative_status(actor: CurrentUser, cooperative_id: int, *, now: datetime | None = None
                             ) -> dict[str, Any]:
    """A row per person and requirement of the cooperative, missing first, then the most overdue."""
    now = now or utcnow()
    if not is_possible_id(cooperative_id) or not may_see_cooperative(actor, cooperative_id):
        raise NotFound(COOPERATIVE_NOT_FOUND)
    cooperative = await fetch_one("SELECT id, name, risk_class FROM cooperative WHERE id = {}", cooperative_id)
    if cooperative is None:
        raise NotFound(COOPERATIVE_NOT_FOUND)
    today = today_in_rome(now)
    inputs = await load_inputs(cooperative_scope(cooperative_id), today=today, now=now)
    rows = await build_rows(inputs, today=today, now=now, policy=current_policy())
    rows.sort(key=status_sort_key)
    return {"cooperative": cooperative, "rows": rows, "today": today, "counts": status_counts(rows),
            "people": len(inputs)}


def status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(due.STATUSES, 0)
    for row in rows:
        counts[row["status"]] += 1
    return counts


# The office's list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeFilters:
    cooperative_id: int | None = None
    status: str | None = None
    requirement: str | None = None
    page: int = 1

    def cleaned(self) -> OfficeFilters:
        """Unknown values are ignored (a stale bookmark shows everything rather than an error)."""
        return OfficeFilters(
            cooperative_id=self.cooperative_id if self.cooperative_id and is_possible_id(self.cooperative_id)
            else None,
            status=self.status if self.status in due.STATUSES else None,
            requirement=self.requirement if self.requirement in due.REQUIREMENTS else None,
            page=max(1, min(int(self.page or 1), 100_000)),
        )


def roles_for_requirement(requirement: str) -> tuple[str, ...]:
    return tuple(role for role in ROLES if requirement in due.ROLE_REQUIREMENTS.get(role, ()))


def _people_condition(filters: OfficeFilters) -> tuple[str, list[Any]]:
    """People of the office's list: active, holding a role (one that brings the requirement asked)."""
    sql = "p.active = {} AND EXISTS (SELECT 1 FROM safety_role r WHERE r.person = p.id"
    args: list[Any] = [True]
    if filters.requirement:
        roles = roles_for_requirement(filters.requirement)
        sql += f" AND r.role IN ({', '.join('{}' for _ in roles)})"
        args += roles
    sql += ")"
    if filters.cooperative_id:
        sql += " AND p.cooperative = {}"
        args.append(filters.cooperative_id)
    return sql, args


def _office_order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["cooperative_id"] is None, row["cooperative_id"] or 0, row["person_id"],
            due.REQUIREMENTS.index(row["requirement"]))


_OFFICE_CACHE: ReadCache[list[int]] = ReadCache(ttl=10, size=64)


def _matches(line: due.RequirementStatus, filters: OfficeFilters) -> bool:
    return line.status == filters.status and (filters.requirement is None or line.requirement == filters.requirement)


async def _matching_people(filters: OfficeFilters, today: date, now: datetime) -> list[int]:
    """The people of the scope with a row matching the status and requirement filters, in the office's
    order; only the statuses are computed (the page's rows are built afterwards), and the list is kept
    briefly (see the module docstring)."""
    key = (filters.cooperative_id, filters.status, filters.requirement, today)
    _OFFICE_CACHE.ttl = get_settings().catalogue_cache_seconds
    cached = _OFFICE_CACHE.get(key)
    if cached is not NOT_CACHED:
        return cached
    generation = data_generation()
    scope = cooperative_scope(filters.cooperative_id) if filters.cooperative_id else EVERYONE
    policy = current_policy()
    people = [
        person
        async for chunk in iter_inputs(scope, today=today, now=now)
        for person in chunk
        if any(_matches(row.status, filters) for row in person_rows(person, today, policy))
    ]
    people.sort(key=lambda p: (p.cooperative_id is None, p.cooperative_id or 0, p.person_id))
    ids = [person.person_id for person in people]
    _OFFICE_CACHE.put(key, ids, generation=generation)
    return ids


async def office_status(actor: CurrentUser, filters: OfficeFilters, *, now: datetime | None = None
                        ) -> dict[str, Any]:
    """The office's list: a page of people (``PEOPLE_PER_PAGE``) with their rows, the filters applied."""
    if not actor.is_admin:
        raise NotFound(N_("La pagina o la risorsa richiesta non esiste."))
    now = now or utcnow()
    filters = filters.cleaned()
    today = today_in_rome(now)
    policy = current_policy()
    first = (filters.page - 1) * PEOPLE_PER_PAGE
    if filters.status is None:
        condition, args = _people_condition(filters)
        total_row = await fetch_one(f"SELECT COUNT(*) AS n FROM person p WHERE {condition}", *args)
        total = int(total_row["n"]) if total_row else 0
        ids = [row["id"] for row in await fetch_all(
            f"SELECT p.id FROM person p WHERE {condition} ORDER BY p.cooperative, p.id LIMIT {{}} OFFSET {{}}",
            *args, PEOPLE_PER_PAGE, first,
        )]
        inputs = await load_inputs(people_scope(ids), today=today, now=now)
        rows = await build_rows(inputs, today=today, now=now, policy=policy)
        if filters.requirement:
            rows = [row for row in rows if row["requirement"] == filters.requirement]
        rows.sort(key=_office_order)
    else:
        people_ids = await _matching_people(filters, today, now)
        total = len(people_ids)
        page_ids = set(people_ids[first:first + PEOPLE_PER_PAGE])
        page_people = await load_inputs(people_scope(sorted(page_ids)), today=today, now=now)
        rows = [
            row for row in await build_rows(page_people, today=today, now=now, policy=policy)
            if row["status"] == filters.status and (filters.requirement is None or row["requirement"] == filters.requirement)
        ]
        rows.sort(key=_office_order)
    pages = max(1, -(-total // PEOPLE_PER_PAGE))
    return {"rows": rows, "filters": filters, "total_people": total, "page": filters.page, "pages": pages,
            "today": today}


async def office_export_rows(actor: CurrentUser, filters: OfficeFilters, *, now: datetime | None = None
                             ) -> list[dict[str, Any]]:
    """Every row of the office's list with its filters (the XLSX: all pages at once)."""
    if not actor.is_admin:
        raise NotFound(N_("La pagina o la risorsa richiesta non esiste."))
    now = now or utcnow()
    filters = filters.cleaned()
    today = today_in_rome(now)
    scope: Scope = cooperative_scope(filters.cooperative_id) if filters.cooperative_id else EVERYONE
    rows = []
    async for chunk in iter_inputs(scope, today=today, now=now):
        rows += [
            row for row in await build_rows(chunk, today=today, now=now, policy=current_policy())
            if (filters.status is None or row["status"] == filters.status)
            and (filters.requirement is None or row["requirement"] == filters.requirement)
        ]
    rows.sort(key=_office_order)
    return rows
