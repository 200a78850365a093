"""The attestato of a safety course, as the Accordo Stato-Regioni 17/04/2025 asks for it (Parte I,
punto 6): "Attestato di frequenza con verifica dell'apprendimento", one per participant and course,
issued only to who attended at least the threshold (90%) AND passed the final learning test (the rule
lives in ``attendance.certificates.certificate_for``, which gives the data), dated at the course's end.

The elements it carries, in the order printed (each one of the Accordo's list):

1. the training body ("soggetto formatore"): name, address and tax code from the settings
   ``TRAINING_HUB_TRAINING_BODY_NAME`` / ``_ADDRESS`` / ``_CITY`` / ``_TAX_CODE``;
2. the worker: name and surname, codice fiscale, place and date of birth — derived from the codice
   fiscale (:mod:`training_hub.core.codice_fiscale`: the date from positions 7-11, the comune or foreign
   state from its Belfiore code, named as it was on the birth date);
3. the course type with its legal reference (:mod:`training_hub.safety.course_types`) and its duration
   (the hours scheduled; the hours attended and the percentage beside them);
4. the delivery mode (in presence, synchronous videoconference, mixed, e-learning);
5. the date(s) and place(s) of the course, and the outcome of the final learning test;
6. the name and role of the signatory, the legal representative or a delegate
   (``TRAINING_HUB_SIGNATORY_NAME`` / ``_ROLE``), and the place and date of issue (the course's end).

When a signing certificate is configured the file is signed PAdES (``core.signing``); otherwise it
keeps the box for a handwritten signature. The public verification code and QR code stay as on the
other certificates. The PDF is in Italian whatever the reader's language; nothing else about the person
(no special-category data) is read or printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fpdf.enums import XPos, YPos

from training_hub.attendance.certificate_pdf import verification_box
from training_hub.attendance.certificates import CertificateData
from training_hub.attendance.documents import hours_phrase
from training_hub.core.codice_fiscale import birth_place_for_code, decode_codice_fiscale
from training_hub.core.errors import ValidationFailed
from training_hub.core.exports import PDF_FONT, UnicodePDF, pdf_text
from training_hub.core.i18n import format_date, gettext, language
from training_hub.core.settings import get_settings
from training_hub.core.timeutil import to_rome
from training_hub.safety.course_types import find_course_type

TITLE = "Attestato di frequenza con verifica dell'apprendimento"
MODE_TEXT = {
    "in_presence": "in presenza",
    "online": "in videoconferenza sincrona",
    "blended": "mista (in presenza e in videoconferenza sincrona)",
    "e_learning": "in modalità e-learning (asincrona)",
}
UNKNOWN = "non indicato"


@dataclass(frozen=True)
class TrainingBody:
    """The training body and the signatory, from the settings (see the module's docstring)."""

    name: str
    address: str
    city: str
    tax_code: str
    signatory_name: str
    signatory_role: str


def training_body() -> TrainingBody:
    settings = get_settings()
    return TrainingBody(settings.training_body_name, settings.training_body_address, settings.training_body_city,
                        settings.training_body_tax_code, settings.signatory_name, settings.signatory_role)


@dataclass(frozen=True)
class BirthData:
    birth_date: date | None
    birth_place: str


def birth_data(codice_fiscale: str, reference: date) -> BirthData:
    """Date and place of birth read from the codice fiscale ("non indicato" when it has none)."""
    if not codice_fiscale:
        return BirthData(None, UNKNOWN)
    try:
        decoded = decode_codice_fiscale(codice_fiscale, reference=reference)
    except ValidationFailed:
        return BirthData(None, UNKNOWN)
    place = birth_place_for_code(decoded.birth_place_code, decoded.birth_date)
    if place is None:
        text = UNKNOWN
    elif place.foreign:
        text = place.name.title()
    else:
        text = f"{place.name.title()} ({place.province})"
    return BirthData(decoded.birth_date, text)


def split_name(full_name: str) -> tuple[str, str]:
    """(name, surname) from the full name as entered ("Giulia Maria Rossi" → "Giulia Maria", "Rossi")."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name, ""
    return " ".join(parts[:-1]), parts[-1]


def _dates(first: datetime | None, last: datetime | None) -> str:
    if first is None or last is None:
        return UNKNOWN
    if format_date(first) == format_date(last):
        return f"il {format_date(first)}"
    return f"dal {format_date(first)} al {format_date(last)}"


def attestato_lines(data: CertificateData, body: TrainingBody) -> list[tuple[str, str]]:
    """(label, value) of every element the Accordo lists, as printed (the tests read them back)."""
    course_type = find_course_type(data.safety_course_type)
    end = to_rome(data.last_day or data.issued_at).date()
    born = birth_data(data.codice_fiscale, end)
    name, surname = split_name(data.full_name)
    progress = data.progress
    type_text = gettext(course_type.title) if course_type else data.course_title
    return [
        ("Soggetto formatore", ", ".join(x for x in (body.name, body.address) if x)
         + (f" - C.F. {body.tax_code}" if body.tax_code else "")),
        ("Nome", name),
        ("Cognome", surname or UNKNOWN),
        ("Codice fiscale", data.codice_fiscale or UNKNOWN),
        ("Luogo e data di nascita", f"{born.birth_place}, {format_date(born.birth_date) if born.birth_date else UNKNOWN}"),
        ("Corso", f"{type_text} - «{data.course_title}»"),
        ("Riferimento normativo", course_type.legal_reference if course_type else UNKNOWN),
        ("Durata", f"{hours_phrase(progress.scheduled_minutes)}"
         + (f" (minimo previsto {course_type.min_hours} ore)" if course_type else "")),
        ("Frequenza", f"{hours_phrase(progress.attended_minutes)} ({_percent(progress.percent)}%, "
         f"minimo richiesto {progress.threshold}%)"),
        ("Modalità di svolgimento", MODE_TEXT.get(data.delivery_mode, data.delivery_mode or UNKNOWN)),
        ("Date di svolgimento", _dates(data.first_day, data.last_day)),
        ("Sede", "; ".join(data.places) if data.places else UNKNOWN),
        ("Verifica dell'apprendimento", "test finale superato"),
    ]


def _percent(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


class _AttestatoPDF(UnicodePDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(PDF_FONT, size=7.5)
        self.set_text_color(70, 70, 70)
        self.cell(0, 5, pdf_text(self.footer_text))
        self.set_text_color(0, 0, 0)


def attestato_pdf(data: CertificateData, body: TrainingBody, *, signed: bool = False) -> bytes:
    """The attestato as PDF bytes (A4 portrait, one page). ``signed``: a digital signature will be added
    (the signature box says so instead of waiting for a handwritten one)."""
    with language("it"):
        pdf = _AttestatoPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(18, 15, 18)
        pdf.set_auto_page_break(False)
        pdf.set_title(pdf_text(f"{TITLE} - {data.course_title}"))
        pdf.set_author(pdf_text(body.name))
        pdf.set_creator("Training Hub")
        pdf.set_creation_date(data.issued_at)
        pdf.footer_text = f"{body.name} - {TITLE} - codice {data.code}"
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin

        pdf.set_font(PDF_FONT, "B", 14)
        pdf.cell(width, 7, pdf_text(body.name.upper()), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(PDF_FONT, size=9.5)
        pdf.cell(width, 5, pdf_text(body.address), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(11, 90, 138)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 3, pdf.w - pdf.r_margin, pdf.get_y() + 3)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(8)
        pdf.set_font(PDF_FONT, "B", 17)
        pdf.multi_cell(width, 8, pdf_text(TITLE), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(PDF_FONT, size=9.5)
        pdf.multi_cell(width, 5, pdf_text("ai sensi dell'art. 37 del D.Lgs. 81/2008 e dell'Accordo Stato-Regioni "
                                          "17/04/2025 (Rep. Atti n. 59/CSR), Parte I punto 6"),
                       align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(5)

        label_width = 52
        for label, value in attestato_lines(data, body):
            y = pdf.get_y()
            pdf.set_font(PDF_FONT, "B", 10)
            pdf.multi_cell(label_width, 5.6, pdf_text(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.set_xy(pdf.l_margin + label_width, y)
            pdf.set_font(PDF_FONT, size=10.5)
            pdf.multi_cell(width - label_width, 5.6, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_y(max(pdf.get_y(), y + 5.6) + 1.2)

        pdf.ln(5)
        end = data.last_day or data.issued_at
        pdf.set_font(PDF_FONT, size=10.5)
        pdf.cell(width / 2, 6, pdf_text(f"{body.city}, {format_date(end)}"))
        pdf.multi_cell(width / 2, 5.5, pdf_text(body.signatory_role), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + width / 2)
        pdf.set_font(PDF_FONT, "B", 10.5)
        pdf.multi_cell(width / 2, 5.5, pdf_text(body.signatory_name or "(nome del firmatario)"), align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(PDF_FONT, size=9)
        pdf.set_x(pdf.l_margin + width / 2)
        if signed:
            pdf.multi_cell(width / 2, 5, "Documento firmato digitalmente (PAdES)", align="C",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.ln(12)
            pdf.line(pdf.l_margin + width / 2 + 10, pdf.get_y(), pdf.w - pdf.r_margin - 10, pdf.get_y())

        verification_box(pdf, code=data.code, url=data.verify_url, top=pdf.h - 50, qr_size=30, text_size=9,
                         note="Il fascicolo del corso (registro, programma, verbale del test) è conservato dal "
                              "soggetto formatore per almeno 10 anni (Accordo Stato-Regioni 2025, punto 7).")
        return bytes(pdf.output())


def attestato_filename(data: CertificateData) -> str:
    return f"attestato-sicurezza-{data.enrolment_id}.pdf"
