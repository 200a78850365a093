"""Demo data for the office's tools: a message from the trainer to a course's participants, a bulk
enrolment by the training office, and a correction of a closed register (its history per session).

Everything goes through the services, as the office would do it, so the demo shows what they record:
the message on the course's page with who sent it and to how many, one audit row per enrolment, the
correction with its reason on ``/sessions/{id}/attendance/history``.
"""

from __future__ import annotations

from typing import Any

from training_hub.attendance.recording import AttendanceEntry, record_attendance
from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.errors import DomainError
from training_hub.core.identity import CurrentUser
from training_hub.enrolment.bulk import enrol_many
from training_hub.enrolment.messages import send_course_message

PERSON_SQL = "SELECT id, email, full_name, roles, cooperative, language FROM person WHERE email = {}"


async def _user(email: str) -> CurrentUser | None:
    row = await fetch_one(PERSON_SQL, email)
    return CurrentUser.from_row(row) if row else None


async def _course_id(title: str) -> int | None:
    row = await fetch_one("SELECT id FROM course WHERE title = {} AND status = 'published' ORDER BY id", title)
    return row["id"] if row else None


async def load_office_demo() -> dict[str, Any]:
    admin, trainer = await _user("admin@demo.test"), await _user("trainer@demo.test")
    coordinator = await _user("coordinator@demo.test")
    if admin is None or trainer is None or coordinator is None:
        return {}
    done: dict[str, Any] = {}
    course_id = await _course_id("Analisi dei fabbisogni formativi")
    if course_id is not None:
        sent = await send_course_message(
            trainer, course_id, "Materiali per il primo incontro di {corso}",
            "Ciao {nome},\nprima del primo incontro (il {data_inizio}) leggi la scheda sui fabbisogni che trovi "
            "nella pagina del corso: {link_corso}\nPorta un esempio dalla tua cooperativa.",
            "confirmed",
        )
        done["message_recipients"] = sent["queued"]
    # The office enrols four of the coordinator's workers in one step: each gets the seat rules' result.
    marketing = await _course_id("Comunicare i valori della cooperativa")
    workers = await fetch_all(
        "SELECT p.id FROM person p WHERE p.cooperative = {} AND p.roles = 'worker' AND p.active = {} "
        "AND p.email <> 'worker@demo.test' AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.person = p.id) "
        "ORDER BY p.id LIMIT 4",
        coordinator.cooperative_id, True,
    )
    if marketing is not None and workers:
        try:
            result = await enrol_many(admin, marketing, [row["id"] for row in workers])
            done["bulk_enrolled"] = result.will_enrol
        except DomainError:
            pass
    # A closed register corrected by the office, with its reason.
    row = await fetch_one(
        "SELECT a.session, a.enrolment FROM attendance a JOIN course_session s ON s.id = a.session "
        "WHERE a.status = 'absent' ORDER BY s.starts_at, a.id LIMIT 1"
    )
    if row is not None:
        try:
            await record_attendance(admin, row["session"], [AttendanceEntry(row["enrolment"], "excused")],
                                    reason="Certificato di servizio consegnato in ritardo all'ufficio")
            done["corrections"] = 1
        except DomainError:
            pass
    return done
