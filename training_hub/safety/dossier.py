"""The course dossier (``dossier.zip``) the training body keeps for at least 10 years (Accordo
Stato-Regioni 17/04/2025, punto 7: "fascicolo del corso"; retention in :mod:`.retention`).

One ZIP with, in Italian:

* ``LEGGIMI.txt`` — what the dossier is, the course, the retention, the list of files;
* ``partecipanti.csv`` — the participants' data: name, codice fiscale, place and date of birth, cooperative,
  hours attended, percentage, test outcome, attestato issued or not;
* ``registro-presenze.pdf`` — the register with its signature boxes (``attendance``);
* ``formatori.csv`` — the trainers and the sessions each one held;
* ``programma.txt`` — the programme: course type and legal reference, description, sessions with their
  topics;
* ``verbale-test-finale.pdf`` — the final-test report (``assessment``), signed when configured;
* ``attestati/…pdf`` — the attestato of every participant who earned it, signed when configured.

Only for who takes the course's attendance (its trainers, the office); every download leaves an audit
row (it holds personal data of many people). No special-category data is read or printed.
"""

from __future__ import annotations

import asyncio
import io
import re
import unicodedata
import zipfile
from datetime import datetime
from typing import Any

from training_hub.assessment import report as test_report
from training_hub.attendance import documents
from training_hub.attendance.certificates import certificate_for
from training_hub.attendance.registers import register_data
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all
from training_hub.core.errors import NotFound
from training_hub.core.exports import csv_bytes
from training_hub.core.i18n import format_date, format_time, gettext, language
from training_hub.core.identity import CurrentUser
from training_hub.core.signing import sign_document, signing_config
from training_hub.core.timeutil import to_utc, utcnow
from training_hub.safety.attestati import course_attestati, signed_certificate
from training_hub.safety.attestato import birth_data
from training_hub.safety.retention import DOSSIER_RETENTION_YEARS, SOURCE, kept_until

PARTICIPANT_COLUMNS = ["Cognome e nome", "Codice fiscale", "Luogo di nascita", "Data di nascita", "Cooperativa",
                       "Ore previste", "Ore frequentate", "Frequenza %", "Soglia %", "Test finale", "Punteggio test %",
                       "Attestato"]
TRAINER_COLUMNS = ["Formatore", "Incontri tenuti", "Date"]

_PEOPLE_SQL = (
    "SELECT e.id AS enrolment_id, p.codice_fiscale, c.name AS cooperative_name "
    "FROM enrolment e JOIN person p ON p.id = e.person LEFT JOIN cooperative c ON c.id = p.cooperative "
    "WHERE e.course = {} AND e.status = 'confirmed'"
)
_COURSE_SQL = "SELECT c.description, c.ends_at FROM course c WHERE c.id = {}"


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "partecipante"


def _test_text(row: dict[str, Any]) -> str:
    if not row["test_required"]:
        return "non previsto"
    return "superato" if row["test_passed"] else ("non superato" if row["test_score"] is not None else "non sostenuto")


def _number(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


async def course_dossier(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> tuple[bytes, str]:
    """The dossier's ZIP bytes and file name (see the module)."""
    now = now or utcnow()
    overview = await course_attestati(user, course_id, now=now)  # who may: the course's attendance takers
    course = overview["course"]
    safety_type = overview["safety_course"]
    register = await register_data(user, course_id, now=now)
    people = {r["enrolment_id"]: r for r in await fetch_all(_PEOPLE_SQL, course_id)}
    extra = (await fetch_all(_COURSE_SQL, course_id))[0]
    try:
        report = await test_report.final_test_report(user, course_id, now=now)
    except NotFound:
        report = None
    config = signing_config()
    files: list[tuple[str, bytes]] = []

    with language("it"):
        reference = to_utc(extra["ends_at"] or now).date()
        rows = []
        for row in overview["rows"]:
            person = people.get(row["enrolment_id"], {})
            born = birth_data(person.get("codice_fiscale") or "", reference)
            p = row["progress"]
            rows.append([row["full_name"], person.get("codice_fiscale") or "", born.birth_place,
                         format_date(born.birth_date) if born.birth_date else "", person.get("cooperative_name") or "",
                         _number(p.scheduled_minutes / 60), _number(p.attended_minutes / 60), _number(p.percent),
                         p.threshold, _test_text(row),
                         _number(row["test_score"]) if row["test_score"] is not None else "",
                         "rilasciato" if row["eligible"] else "non rilasciato"])
        files.append(("partecipanti.csv", csv_bytes(PARTICIPANT_COLUMNS, rows)))

        sessions = await fetch_all(
            "SELECT s.starts_at, s.ends_at, s.topics, t.full_name AS trainer_name, l.name AS location_name "
            "FROM course_session s LEFT JOIN person t ON t.id = s.trainer LEFT JOIN location l ON l.id = s.location "
            "WHERE s.course = {} AND s.status = 'scheduled' ORDER BY s.starts_at", course_id)
        by_trainer: dict[str, list[dict[str, Any]]] = {}
        for s in sessions:
            by_trainer.setdefault(s["trainer_name"] or "", []).append(s)
        course_trainers = await fetch_all(
            "SELECT p.full_name FROM course_trainer ct JOIN person p ON p.id = ct.person WHERE ct.course = {} "
            "ORDER BY p.full_name", course_id)
        names = list(dict.fromkeys([t["full_name"] for t in course_trainers] + [n for n in by_trainer if n]))
        files.append(("formatori.csv", csv_bytes(TRAINER_COLUMNS, [
            [name, len(by_trainer.get(name, [])), ", ".join(format_date(s["starts_at"]) for s in by_trainer.get(name, []))]
            for name in names])))

        lines = [f"Programma del corso «{course['title']}»", ""]
        if safety_type is not None:
            lines += [f"Tipo di corso: {gettext(safety_type.title)}", f"Riferimento normativo: {safety_type.legal_reference}",
                      f"Durata minima: {safety_type.min_hours} ore", ""]
        lines += ["Descrizione:", extra["description"] or "(nessuna)", "", "Incontri:"]
        for number, s in enumerate(sessions, start=1):
            lines.append(f"{number}. {format_date(s['starts_at'])} {format_time(s['starts_at'])}-{format_time(s['ends_at'])}"
                         f" · {s['location_name'] or 'online'} · {s['trainer_name'] or 'formatore da definire'}")
            lines.append(f"   Argomenti: {s['topics'] or '(non indicati)'}")
        files.append(("programma.txt", ("\r\n".join(lines) + "\r\n").encode("utf-8")))

    files.append(("registro-presenze.pdf", await asyncio.to_thread(documents.register_pdf, register)))
    if report is not None:
        content = await asyncio.to_thread(test_report.final_test_report_pdf, report)
        files.append(("verbale-test-finale.pdf",
                      await sign_document(content, reason="Verbale del test finale", config=config)))
    for row in overview["rows"]:
        if row["eligible"]:
            data = await certificate_for(user, row["enrolment_id"], now=now)
            content, _name = await signed_certificate(data)
            files.append((f"attestati/attestato-{_slug(row['full_name'])}-{row['enrolment_id']}.pdf", content))

    until = kept_until(extra["ends_at"])
    readme = [
        f"Fascicolo del corso «{course['title']}» (codice {course_id})",
        f"Generato il {format_date(now)} da Training Hub.",
        "",
        f"Da conservare per almeno {DOSSIER_RETENTION_YEARS} anni ({SOURCE})"
        + (f": fino al {format_date(until)}." if until else "."),
        "Firma digitale: " + ("i PDF di attestati e verbale sono firmati digitalmente (PAdES)." if config else
                              "non configurata; i PDF recano lo spazio per la firma autografa."),
        "",
        "Contenuto:",
        *[f"- {name}" for name, _content in files],
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEGGIMI.txt", ("\r\n".join(readme) + "\r\n").encode("utf-8"))
        for name, content in files:
            archive.writestr(name, content)
    await record_audit_event("safety.dossier_downloaded", actor_id=user.id, entity="course", entity_id=course_id,
                             data={"files": len(files) + 1})
    return buffer.getvalue(), f"fascicolo-corso-{course_id}.zip"
