"""The office's audit log: who did what and when (``/admin/audit``, ``/admin/audit.csv``).

Rules kept here, and why:

* Admins only (the training office): the log names people and courses across the consortium.
* Filters: a person (id, or part of the name or e-mail), a course (id, or part of the title), a kind
  of event (enrolments decided, attendance corrected, people changed, accessibility needs read or
  changed, training records read, inclusion pathways, courses and sessions, final tests, surveys,
  cooperatives), and a period of Rome days. An event concerns a person or a course through its own
  columns (``AuditEvent.person_id`` / ``course_id``) or through the enrolment, attendance row or
  session it names, so events written before those columns existed are found too.
* Never special-category content: the page and the CSV show when, who, what happened (the action),
  to whom and in which course — never the event's ``data`` nor its free-text ``reason`` (a reason
  typed for an absence may name an illness). That a read or change of a restricted record happened
  is all the log says about it.
* 50 events a page, newest first, with the total; the CSV has the same rows as the pages, all of them
  up to ``MAX_EXPORT_ROWS``. Two statements per page whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.db import fetch_all, fetch_one, form_id, is_possible_id
from training_hub.core.errors import PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, format_datetime, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import parse_day
from training_hub.core.timeutil import rome_day_bounds

PAGE_SIZE = 50
MAX_EXPORT_ROWS = 50_000
MAX_TEXT = 100

# kind → (label, action prefixes)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "enrolment": (N_("Iscrizioni decise"), ("enrolment.",)),
    "attendance": (N_("Presenze corrette"), ("attendance.",)),
    "people": (N_("Persone modificate"), ("person.",)),
    "needs": (N_("Necessità di accessibilità (letture e modifiche)"), ("accessibility_needs.",)),
    "training_record": (N_("Percorsi formativi letti"), ("training_record.",)),
    "inclusion": (N_("Percorsi di inclusione (letture e modifiche)"), ("inclusion.",)),
    "courses": (N_("Corsi, incontri, percorsi e sedi"), ("course.", "session.", "path.", "location.")),
    "final_test": (N_("Test finali"), ("final_test.",)),
    "surveys": (N_("Questionari"), ("survey.", "survey_question.", "survey_questions.")),
    "cooperatives": (N_("Cooperative"), ("cooperative.",)),
}

ACTION_LABELS: dict[str, str] = {
    "enrolment.approved": N_("Iscrizione approvata"),
    "enrolment.rejected": N_("Iscrizione respinta"),
    "enrolment.cancelled": N_("Iscrizione annullata"),
    "enrolment.promoted": N_("Promozione dalla lista d'attesa"),
    "attendance.corrected": N_("Presenza corretta"),
    "person.created": N_("Persona creata"),
    "person.updated": N_("Persona modificata"),
    "person.activated": N_("Persona riattivata"),
    "person.deactivated": N_("Persona disattivata"),
    "person.roles_changed": N_("Ruoli cambiati"),
    "person.password_changed": N_("Password cambiata"),
    "person.password_reset": N_("Password reimpostata"),
    "accessibility_needs.read": N_("Necessità di accessibilità lette"),
    "accessibility_needs.updated": N_("Necessità di accessibilità modificate"),
    "training_record.read": N_("Percorso formativo letto"),
    "inclusion.read": N_("Percorso di inclusione letto"),
    "course.created": N_("Corso creato"),
    "course.updated": N_("Corso modificato"),
    "course.published": N_("Corso pubblicato"),
    "course.cancelled": N_("Corso annullato"),
    "session.created": N_("Incontro aggiunto"),
    "session.updated": N_("Incontro modificato"),
    "session.cancelled": N_("Incontro annullato"),
}

_CONCERNS_PERSON = (
    "(a.person_id IN ({people}) "
    "OR (a.entity = 'enrolment' AND a.entity_id IN (SELECT id FROM enrolment WHERE person IN ({people}))) "
    "OR (a.entity = 'attendance' AND a.entity_id IN (SELECT at.id FROM attendance at "
    "JOIN enrolment ae ON ae.id = at.enrolment WHERE ae.person IN ({people}))))"
)
_CONCERNS_COURSE = (
    "(a.course_id IN ({courses}) "
    "OR (a.entity = 'enrolment' AND a.entity_id IN (SELECT id FROM enrolment WHERE course IN ({courses}))) "
    "OR (a.entity = 'session' AND a.entity_id IN (SELECT id FROM course_session WHERE course IN ({courses}))) "
    "OR (a.entity = 'attendance' AND a.entity_id IN (SELECT at.id FROM attendance at "
    "JOIN enrolment ae ON ae.id = at.enrolment WHERE ae.course IN ({courses}))))"
)
_SELECT = (
    "SELECT a.id, a.at, a.action, a.entity, a.entity_id, act.full_name AS actor_name, a.actor, "
    "COALESCE(a.person_id, e.person) AS person_id, p.full_name AS person_name, "
    "COALESCE(a.course_id, e.course, s.course) AS course_id, c.title AS course_title "
    "FROM audit_event a LEFT JOIN person act ON act.id = a.actor "
    "LEFT JOIN enrolment e ON a.entity = 'enrolment' AND e.id = a.entity_id "
    "LEFT JOIN course_session s ON a.entity = 'session' AND s.id = a.entity_id "
    "LEFT JOIN person p ON p.id = COALESCE(a.person_id, e.person) "
    "LEFT JOIN course c ON c.id = COALESCE(a.course_id, e.course, s.course)"
)


@dataclass
class AuditFilters:
    """The filter form as typed (shown again next to an error)."""

    person: str = ""
    course: str = ""
    kind: str = ""
    start: str = ""
    end: str = ""
    page: str = ""

    def query(self, **extra: str) -> str:
        from urllib.parse import urlencode

        values = {"person": self.person, "course": self.course, "kind": self.kind, "from": self.start,
                  "to": self.end, "page": self.page, **extra}
        return urlencode({key: value for key, value in values.items() if value})


def _who(raw: str, field: str, table_sql: str, errors: dict[str, str]) -> tuple[str, list[Any]] | None:
    """An id, or part of a name: the SQL of the matching ids and its arguments."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > MAX_TEXT or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        errors[field] = N_("Scrivi al massimo 100 caratteri, senza caratteri di controllo.")
        return None
    number = form_id(text) if text.isdigit() else None
    if number is not None and is_possible_id(number):
        return "{}", [number]
    pattern = "%" + text.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
    return table_sql, [pattern] * table_sql.count("{}")


def _where(filters: AuditFilters) -> tuple[str, list[Any], int]:
    errors: dict[str, str] = {}
    parts: list[str] = []
    args: list[Any] = []
    people = _who(filters.person, "person", "SELECT id FROM person WHERE LOWER(full_name) LIKE {} "
                  "OR LOWER(email) LIKE {}", errors)
    courses = _who(filters.course, "course", "SELECT id FROM course WHERE LOWER(title) LIKE {}", errors)
    kind = (filters.kind or "").strip()
    if kind and kind not in KINDS:
        errors["kind"] = N_("Scegli un tipo di evento dall'elenco.")
    first = parse_day(filters.start, "from", errors) if filters.start else None
    last = parse_day(filters.end, "to", errors) if filters.end else None
    for field, day in (("from", first), ("to", last)):
        if day is not None and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            errors[field] = N_("La data deve cadere tra il 2000 e il 2100.")
    if first and last and first > last and not errors:
        errors["from"] = N_("La data di inizio non può essere successiva alla data di fine.")
    page = 1
    if (filters.page or "").strip():
        raw = filters.page.strip()
        if raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) >= 1:
            page = int(raw)
        else:
            errors["page"] = N_("Il numero di pagina è un intero da 1 in su.")
    if errors:
        raise ValidationFailed(N_("Controlla i filtri."), errors=errors)
    if people is not None:
        sql, values = people
        parts.append(_CONCERNS_PERSON.format(people=sql))
        args += values * 3
    if courses is not None:
        sql, values = courses
        parts.append(_CONCERNS_COURSE.format(courses=sql))
        args += values * 4
    if kind:
        prefixes = KINDS[kind][1]
        parts.append("(" + " OR ".join("a.action LIKE {}" for _ in prefixes) + ")")
        args += [prefix + "%" for prefix in prefixes]
    if first is not None:
        parts.append("a.at >= {}")
        args.append(rome_day_bounds(first)[0])
    if last is not None:
        parts.append("a.at < {}")
        args.append(rome_day_bounds(last)[1])
    return (" WHERE " + " AND ".join(parts)) if parts else "", args, page


def _row_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "at": row["at"],
        "action": row["action"],
        "action_label": ACTION_LABELS.get(row["action"], row["action"]),
        "actor_id": row["actor"],
        "actor_name": row["actor_name"] or "",
        "person_id": row["person_id"],
        "person_name": row["person_name"] or "",
        "course_id": row["course_id"],
        "course_title": row["course_title"] or "",
    }


def _require_office(actor: CurrentUser) -> None:
    if not actor.is_admin:
        raise PermissionDenied(N_("Il registro delle attività è riservato all'ufficio formazione."))


async def audit_log(actor: CurrentUser, filters: AuditFilters) -> dict[str, Any]:
    """One page of the log with the filters applied: ``items``, ``total``, ``page``, ``pages``."""
    _require_office(actor)
    where, args, page = _where(filters)
    total_row = await fetch_one("SELECT COUNT(*) AS n FROM audit_event a" + where, *args)
    total = int(total_row["n"]) if total_row else 0
    rows = await fetch_all(_SELECT + where + " ORDER BY a.at DESC, a.id DESC LIMIT {} OFFSET {}",
                           *args, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return {"items": [_row_out(row) for row in rows], "total": total, "page": page,
            "pages": max(1, -(-total // PAGE_SIZE))}


async def audit_log_csv(actor: CurrentUser, filters: AuditFilters) -> bytes:
    """Every event the filters select (up to MAX_EXPORT_ROWS), as the pages show them."""
    from training_hub.core.exports import csv_bytes

    _require_office(actor)
    where, args, _page = _where(filters)
    rows = await fetch_all(_SELECT + where + " ORDER BY a.at DESC, a.id DESC LIMIT {}", *args, MAX_EXPORT_ROWS)
    header = [gettext(N_("Quando")), gettext(N_("Chi")), gettext(N_("Che cosa")), gettext(N_("Codice")),
              gettext(N_("Persona")), gettext(N_("Corso"))]
    return csv_bytes(header, [
        [format_datetime(item["at"]), item["actor_name"], gettext(item["action_label"]), item["action"],
         item["person_name"], item["course_title"]]
        for item in map(_row_out, rows)
    ])
