"""The person's data as a readable PDF: the same dict as the JSON export (``export.personal_data``),
laid out in Italian (or the reader's language) with dates as 25/11/2026 and 09:30."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from training_hub.attendance.rules import STATUS_LABELS as ATTENDANCE_LABELS
from training_hub.core.exports import UnicodePDF, pdf_text
from training_hub.core.i18n import format_date, format_datetime, format_hours, format_percentage, gettext
from training_hub.core.labels import AREA_LABELS, ROLE_LABELS, label
from training_hub.enrolment.eligibility import STATUS_LABELS as ENROLMENT_LABELS
from training_hub.safety.course_types import find_course_type
from training_hub.safety.roles import role_label

MEDIA_TYPE = "application/pdf"


def _when(value: str | None) -> str:
    return format_datetime(datetime.fromisoformat(value)) if value else ""


def _day(value: str | None) -> str:
    return format_date(datetime.fromisoformat(value)) if value else ""


def _calendar_day(value: str) -> str:
    """A plain date (``2025-06-10``), never moved between time zones."""
    return format_date(date.fromisoformat(value))


class _Document(UnicodePDF):
    def section(self, title: str) -> None:
        self.ln(3)
        self.set_font(style="B", size=12)
        self.multi_cell(0, 7, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
        self.set_font(style="", size=10)

    def line(self, text: str) -> None:
        self.multi_cell(0, 5.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def none(self) -> None:
        self.line(gettext("Nessun dato."))


def personal_data_pdf(data: dict[str, Any]) -> bytes:
    profile = data["profile"]
    pdf = _Document(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(style="B", size=15)
    pdf.multi_cell(0, 8, pdf_text(gettext("I tuoi dati in Training Hub")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(style="", size=10)
    pdf.line(gettext("Copia dei dati personali (art. 15 e 20 GDPR), prodotta il %(when)s.")
             % {"when": _when(data["generated_at"])})

    pdf.section(gettext("Profilo"))
    pdf.line(f"{gettext('Nome e cognome')}: {profile['full_name']}")
    pdf.line(f"{gettext('E-mail')}: {profile['email']}")
    pdf.line(f"{gettext('Codice fiscale')}: {profile['codice_fiscale'] or '—'}")
    pdf.line(f"{gettext('Cooperativa')}: {profile['cooperative'] or '—'}")
    pdf.line(f"{gettext('Area')}: {label(AREA_LABELS, profile['area']) if profile['area'] else '—'}")
    pdf.line(f"{gettext('Ruoli')}: {', '.join(label(ROLE_LABELS, role) for role in profile['roles'])}")
    pdf.line(f"{gettext('Registrato il')}: {_day(profile['created_at'])}")

    pdf.section(gettext("Iscrizioni"))
    for row in data["enrolments"] or []:
        pdf.line(f"{row['course']} — {label(ENROLMENT_LABELS, row['status'])}, {_day(row['created_at'])}"
                 + (f" ({gettext('attestato')} {row['certificate_code']})" if row["certificate_code"] else ""))
    if not data["enrolments"]:
        pdf.none()

    pdf.section(gettext("Presenze"))
    for row in data["attendance"]:
        pdf.line(f"{_when(row['starts_at'])} — {row['course']}: {label(ATTENDANCE_LABELS, row['status'])}, "
                 f"{format_hours(row['minutes'])}")
    if not data["attendance"]:
        pdf.none()

    pdf.section(gettext("Test finali"))
    for row in data["final_tests"]:
        outcome = gettext("superato") if row["passed"] else gettext("non superato")
        pdf.line(f"{_day(row['submitted_at'])} — {row['course']}: "
                 f"{format_percentage(row['score_percent'] / 100)}, {outcome}")
    if not data["final_tests"]:
        pdf.none()

    pdf.section(gettext("Questionari di gradimento"))
    pdf.line(gettext("Le risposte sono anonime: non sono collegate a te e non possono essere esportate."))
    for row in data["survey_invitations"]:
        pdf.line(f"{row['course']}: " + (gettext("risposto") if row["answered"] else gettext("non risposto")))

    pdf.section(gettext("Tutor"))
    pdf.line(", ".join(data["tutors"]) if data["tutors"] else gettext("Nessun dato."))

    pdf.section(gettext("Ruoli per la sicurezza"))
    for row in data.get("safety_roles", []):
        since = gettext("dal %(day)s") % {"day": _calendar_day(row["since"])}
        pdf.line(f"{role_label(row['role'], row['level'])} — {since}")
    if not data.get("safety_roles"):
        pdf.none()

    pdf.section(gettext("Attestati ottenuti altrove"))
    for row in data.get("external_trainings", []):
        course = find_course_type(row["course_type"])
        title = gettext(course.title) if course else row["course_type"]
        details = ", ".join(part for part in (row["provider"], row["certificate_number"], row["scan_filename"]) if part)
        pdf.line(f"{_calendar_day(row['completed_on'])} — {title}, {format_hours(round(row['hours'] * 60))}"
                 + (f" ({details})" if details else ""))
    if not data.get("external_trainings"):
        pdf.none()

    needs = data["accessibility_needs"]
    if needs is not None:
        pdf.section(gettext("Necessità di accessibilità"))
        flags = [(needs["step_free_access"], gettext("accesso senza barriere")),
                 (needs["interpreter"], gettext("interprete")), (needs["easy_read"], gettext("testi facili da leggere")),
                 (needs["companion"], gettext("accompagnatore"))]
        pdf.line(", ".join(text for on, text in flags if on) or gettext("Nessuna indicata."))
        if needs["notes"]:
            pdf.line(needs["notes"])
    return bytes(pdf.output())
